"""The Slack outbox: with no Slack app set up (the embedded default), each message braingain would
post is kept in a folder of the workspace, so ``make demo`` shows what Slack would.

One folder per channel (``#braingain`` → ``braingain/``; a member's direct message → a folder named
after their Slack user ID), and in it, per message, ``<safe key>.json`` (the channel, the text, the
Block Kit blocks and the metadata: paste the blocks into Slack's Block Kit Builder to see the
message) and ``<safe key>.txt`` beside it (the message as a person reads it: names for mentions,
times in words). File names come from the message's key
(:func:`~braingain.integrations.files.outbox_name`: never an email address, safe on Windows). Each
file is replaced in one step, the ``.txt`` first, so a ``.json`` found means the message was kept
whole; a file that already holds the same bytes is not written again.

A file shared in reply to a message (the group digest's Gantt charts) is kept beside the message's
files as ``<the message's file name>.<file name>`` (``group-digest_….gantt-P1.png``), so the weekly
digest and its charts sit together.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from braingain.core.group import Group
from braingain.core.members import Member
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.ports import Upload
from braingain.integrations.files import OutboxError, keep_file, outbox_name
from braingain.integrations.slack.blocks import readable, render

__all__ = ["MARKER", "SlackOutbox"]

MARKER = "outbox"
"""What :meth:`SlackOutbox.post` returns in place of a Slack timestamp, before the message's path."""


class SlackOutbox:
    """A :class:`~braingain.core.ports.Chat` that keeps every message in ``folder`` instead of posting it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def channel(self, name: str) -> str:
        """``#name``: the outbox needs no channel made."""
        return f"#{name}"

    def invite(self, channel: str, members: Sequence[Member]) -> tuple[str, ...]:
        """Nothing to invite anyone to in a folder: ``()``."""
        return ()

    def _where(self, channel: str, key: str) -> tuple[Path, Path]:
        """The folder of ``channel`` and the ``.json`` file of ``key`` in it."""
        folder = self.folder / outbox_name(channel.removeprefix("#"), "")
        return folder, folder / outbox_name(key, ".json")

    def _marker(self, path: Path) -> str:
        return f"{MARKER}:{path.relative_to(self.folder).as_posix()}"

    def post(self, channel: str, message: Outgoing, *, group: Group) -> str:
        """Keep ``message`` as ``<channel>/<key>.json`` and ``.txt``; returns ``outbox:<channel>/<file>``.
        Raises :class:`~braingain.integrations.files.OutboxError` when the folder cannot be written."""
        slack = render(message, group)
        folder, target = self._where(channel, message.key)
        payload = {
            "channel": channel,
            "text": slack.text,
            "blocks": list(slack.blocks),
            "metadata": slack.metadata,
        }
        text = readable(slack.text, group).rstrip("\n") + "\n"
        keep_file(folder, target.with_suffix(".txt"), text.encode("utf-8"), what="Slack message")
        content = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
        keep_file(folder, target, content.encode("utf-8"), what="Slack message")
        return self._marker(target)

    def find(self, channel: str, key: str, *, since: datetime) -> str | None:
        """The marker of the message with ``key`` kept for ``channel``, or ``None``. The outbox keeps every
        message, so ``since`` narrows nothing."""
        _, target = self._where(channel, key)
        return self._marker(target) if target.is_file() else None

    def _beside(self, thread: str, name: str) -> Path:
        """The file ``name`` kept beside the message ``thread`` (its marker, as :meth:`post` returned it)."""
        message = self.folder.joinpath(*thread.removeprefix(f"{MARKER}:").split("/"))
        return message.with_name(f"{message.stem}.{outbox_name(name, '')}")

    def attach(self, channel: str, thread: str, upload: Upload) -> str:
        """Keep ``upload`` beside the message ``thread`` (``<message>.<name>``); returns its marker. Raises
        :class:`~braingain.integrations.files.OutboxError` when the message is not in the outbox or the
        folder cannot be written."""
        if not thread.startswith(f"{MARKER}:"):
            raise OutboxError(
                f"the Slack outbox holds no message {thread} to keep {upload.name} beside",
                hint="the next sync keeps it once the message is in the outbox",
            )
        target = self._beside(thread, upload.name)
        keep_file(target.parent, target, upload.data, what="Slack attachment")
        return self._marker(target)

    def attached(self, channel: str, thread: str, name: str) -> str | None:
        """The marker of the file ``name`` kept beside the message ``thread``, or ``None``."""
        if not thread.startswith(f"{MARKER}:"):
            return None
        target = self._beside(thread, name)
        return self._marker(target) if target.is_file() else None
