"""Report files written whole: each replaced in one step, so a reader sees the old file or the new."""

from __future__ import annotations

from pathlib import Path

from braingain.integrations.errors import IntegrationError
from braingain.integrations.files import outbox_name, replace_atomically

__all__ = ["report_path", "save_report"]


def report_path(folder: Path, stem: str, suffix: str) -> Path:
    """Where the report ``stem`` (``gantt-sr-migration``) with ``suffix`` (``.png``) goes in
    ``folder``: its name is ``stem`` itself when it holds only letters, digits, ``.``, ``_`` and
    ``-``, else made safe (see :func:`~braingain.integrations.files.outbox_name`)."""
    return folder / outbox_name(stem, suffix)


def save_report(target: Path, content: bytes) -> Path:
    """Write ``content`` to ``target``, making its folder if missing; returns ``target``.

    Raises :class:`~braingain.integrations.errors.IntegrationError` saying which folder or file
    cannot be written and how to choose another (``--out``, or ``[workspace] reports``)."""
    folder = target.parent
    hint = "choose another folder with --out DIR, or set reports under [workspace] in braingain.toml"
    blocked = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocked is not None and not blocked.is_dir():
        raise IntegrationError(f"cannot make the folder {folder}: {blocked} is a file", hint=hint)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, content)
    except OSError as error:
        raise IntegrationError(
            f"cannot write {target}: {error.strerror or error}",
            hint=f"check that you may write in {folder}, or {hint}",
        ) from None
    return target
