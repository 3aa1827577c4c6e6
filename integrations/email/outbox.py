"""The email outbox: with no SMTP server configured (the embedded default), each message is kept as
``<folder>/<safe key>.eml``, which any mail client opens.

The file name is the message's key with every character but letters, digits, ``_`` and ``-``
written as ``%XX`` (its UTF-8 bytes), so that two keys never share a file and no key reaches
outside the folder; a key too long for a file name is cut and ends with its SHA-256. A file is
replaced in one step (a reader sees the old message or the new), and one that already holds the
same bytes is not written again.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from braingain.integrations.files import keep_file, outbox_name

__all__ = ["EmailOutbox", "file_name"]


def file_name(key: str) -> str:
    """The outbox's file name for ``key``: ``<safe key>.eml`` (see the module and
    :func:`~braingain.integrations.files.outbox_name`). Raises :class:`ValueError` for an empty key."""
    return outbox_name(key, ".eml")


class EmailOutbox:
    """A folder of messages not sent by SMTP, one ``.eml`` file per key, each the latest written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_of(self, key: str) -> Path:
        """Where the message with ``key`` is kept."""
        return self.folder / file_name(key)

    def write(self, key: str, message: EmailMessage) -> Path | None:
        """Keep ``message`` as the message with ``key``; the file written, or ``None`` when it already
        held exactly these bytes. Raises :class:`~braingain.integrations.files.OutboxError` when the
        folder cannot be written, saying which and why."""
        target = self.path_of(key)
        return target if keep_file(self.folder, target, bytes(message), what="message") else None
