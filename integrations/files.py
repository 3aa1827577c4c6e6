"""Files braingain writes whole into the outbox: replaced in one step, so a reader sees the old
file or the new, never half of one."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
from pathlib import Path

from braingain.integrations.errors import PlatformError

__all__ = ["OutboxError", "keep_file", "outbox_name", "replace_atomically"]

_NAME_LIMIT = 200
"""Characters of a file name (most file systems allow 255 bytes), its suffix included."""


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}
)
"""Names Windows keeps for devices, whatever their extension."""


def outbox_name(key: str, suffix: str) -> str:
    """The outbox's file name for ``key``, readable by a person: the key itself when it holds only
    letters, digits, ``.``, ``_`` and ``-`` (``task-opened_SR-T09.json`` stays as it is); else each run
    of other characters written as ``_`` and the key's SHA-256 (12 hex digits) added, so that two
    keys do not share a file (``digest_m04_2027-01-04..2027-01-11_email-3f2a9c1d0b7e.eml``). No name
    reaches outside its folder, starts with a dot or is a name Windows keeps for a device; a key
    too long for a file name is cut. Raises :class:`ValueError` for an empty key."""
    if not key:
        raise ValueError("a message needs a key (its file in the outbox is named after it)")
    readable = _UNSAFE.sub("_", key).strip("._")
    stem = readable.split(".")[0].upper()
    if readable != key or stem in _RESERVED:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        room = _NAME_LIMIT - len(suffix) - len(digest) - 1
        readable = f"{readable[:room].rstrip('._')}-{digest}" if readable else digest
    elif len(readable) + len(suffix) > _NAME_LIMIT:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        readable = f"{readable[: _NAME_LIMIT - len(suffix) - len(digest) - 1]}-{digest}"
    return f"{readable}{suffix}"


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
