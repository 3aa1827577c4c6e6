"""Files braingain writes whole into the outbox: replaced in one step, so a reader sees the old
file or the new, never half of one."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from braingain.integrations.errors import PlatformError

__all__ = ["OutboxError", "keep_file", "outbox_name", "replace_atomically"]

_NAME_LIMIT = 200
"""Characters of a file name (most file systems allow 255 bytes), its suffix included."""


def outbox_name(key: str, suffix: str) -> str:
    """The outbox's file name for ``key``: the key with every character but letters, digits, ``_`` and
    ``-`` written as ``%XX`` (its UTF-8 bytes), then ``suffix`` (``.eml``), so that two keys never
    share a file, no key reaches outside its folder, and the name is safe on Windows; a key too long
    for a file name is cut and ends with its SHA-256. Raises :class:`ValueError` for an empty key."""
    if not key:
        raise ValueError("a message needs a key (its file in the outbox is named after it)")
    safe = quote(key, safe="").replace(".", "%2E").replace("~", "%7E")
    if len(safe) + len(suffix) > _NAME_LIMIT:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        safe = f"{safe[: _NAME_LIMIT - len(suffix) - len(digest) - 1].rstrip('%0123456789ABCDEF')}-{digest}"
    return f"{safe}{suffix}"


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
