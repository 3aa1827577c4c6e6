"""A chat and a mail server as the core's ports see them, with observable state: what the engine's
message tests count (every post and email by its key) and stop dead after any call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from braingain.core.group import Group
from braingain.core.members import Member
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.ports import Upload
from braingain.core.schedule.invitations import Invitation
from braingain.integrations.errors import PlatformError
from tests.integrations.platform_support import Stopper


@dataclass(frozen=True)
class Posted:
    channel: str
    key: str
    ts: str
    at: int
    """The order it was posted in (1, 2, ...)."""


@dataclass
class RecordingChat:
    """A Slack workspace in memory: channels by name, every post in order, ``fail`` to refuse calls."""

    stopper: Stopper = field(default_factory=Stopper)
    channels: dict[str, str] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    posts: list[Posted] = field(default_factory=list)
    attachments: list[tuple[str, str, Upload]] = field(default_factory=list)
    """Each file shared: (channel, thread, the upload), in order."""
    looks: int = 0
    fail: Callable[[str], PlatformError | None] = lambda _: None

    def _check(self, what: str) -> None:
        error = self.fail(what)
        if error is not None:
            raise error

    def channel(self, name: str) -> str:
        self._check("channel")
        ident = self.channels.setdefault(name, f"C{len(self.channels) + 1:04d}")
        self.stopper.tick(f"channel {name}")
        return ident

    def invite(self, channel: str, members: Sequence[Member]) -> tuple[str, ...]:
        self._check("invite")
        self.members.setdefault(channel, set()).update(m.id for m in members)
        self.stopper.tick(f"invite {channel}")
        return ()

    def post(self, channel: str, message: Outgoing, *, group: Group) -> str:
        self._check("post")
        ts = f"{1_700_000_000 + len(self.posts)}.000100"
        self.posts.append(Posted(channel, message.key, ts, len(self.posts) + 1))
        self.stopper.tick(f"post {message.key}")
        return ts

    def find(self, channel: str, key: str, *, since: datetime) -> str | None:
        self._check("find")
        self.looks += 1
        return next((p.ts for p in self.posts if p.channel == channel and p.key == key), None)

    def attach(self, channel: str, thread: str, upload: Upload) -> str:
        self._check("attach")
        self.attachments.append((channel, thread, upload))
        self.stopper.tick(f"attach {upload.name}")
        return f"F{len(self.attachments):04d}"

    def attached(self, channel: str, thread: str, name: str) -> str | None:
        self._check("attached")
        self.looks += 1
        found = [
            n for n, (c, t, u) in enumerate(self.attachments, 1) if (c, t, u.name) == (channel, thread, name)
        ]
        return f"F{found[0]:04d}" if found else None

    def keys(self) -> list[str]:
        return [p.key for p in self.posts]


@dataclass(frozen=True)
class Mailed:
    member: str
    key: str
    invitation: str | None
    """The attached invitation's UID and sequence, if any."""


@dataclass
class RecordingMail:
    """A mail server in memory: every message handed over, in order. ``lose`` names keys whose
    connection drops before the message is handed over (nothing sent, the error's outcome known)."""

    stopper: Stopper = field(default_factory=Stopper)
    sent: list[Mailed] = field(default_factory=list)
    fail: Callable[[str], PlatformError | None] = lambda _: None

    def send(
        self,
        message: Outgoing,
        to: Member,
        *,
        group: Group,
        invitation: Invitation | None = None,
        handing: Callable[[], None] | None = None,
    ) -> str:
        error = self.fail(message.key)
        if error is not None:
            raise error
        if handing is not None:
            handing()
        attached = f"{invitation.uid}#{invitation.sequence}" if invitation is not None else None
        self.sent.append(Mailed(to.id, message.key, attached))
        self.stopper.tick(f"email {message.key}")
        return f"sent by email to {to.name}"

    def keys(self) -> list[str]:
        return [m.key for m in self.sent]
