"""Files braingain writes whole into the outbox: replaced in one step, so a reader sees the old
file or the new, never half of one."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from braingain.integrations.errors import PlatformError

__all__ = ["OutboxError", "keep_file", "replace_atomically"]


class OutboxError(PlatformError):
    """A file of the outbox cannot be written (the folder is missing, not a folder, or read-only).

    Nothing changed (a file is replaced in one step), and the platform's other actions wait for
    the next sync: the sync writes everything else, the tracker's write-back included."""

    outcome_known = True


def keep_file(folder: Path, target: Path, content: bytes, *, what: str) -> bool:
    """Put ``content`` in ``target`` (inside ``folder``, made if missing) in one step; ``False`` when it
    already held exactly these bytes (then it is not touched). ``what`` names the file in errors
    ("invitation"). Raises :class:`OutboxError` saying which folder or file and why."""
    blocked = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocked is not None and not blocked.is_dir():
        where = "" if blocked == folder else f" ({folder})"
        raise OutboxError(
            f"{blocked} is a file, but braingain keeps the {what}s in a folder there{where}",
            hint="move or rename that file, or choose another outbox under [workspace] in "
            "braingain.toml; then sync again",
        )
    try:
        if target.is_file() and target.read_bytes() == content:
            return False
        folder.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, content)
    except OSError as error:
        raise OutboxError(
            f"cannot write the {what} {target}: {error.strerror or error}",
            hint="check that the folder exists and that you may write there",
        ) from None
    return True


def replace_atomically(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` through a hidden temporary file beside it (flushed to disk),
    then put it in ``target``'s place in one step. Raises :class:`OSError`; no temporary is left."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.partial")
    try:
        with temporary.open("xb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
