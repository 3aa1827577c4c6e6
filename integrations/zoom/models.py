"""What braingain sends to Zoom and reads back: credentials, meeting requests, meetings, participants.

Every meeting braingain makes carries its key in the agenda's last line, ``braingain key: <key>``
(e.g. ``braingain key: zoom:2027-01-16``), so that a meeting created just before a sync stopped
is found again instead of made twice (:func:`agenda_with_key`, :func:`key_of`).
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from braingain.core.errors import quote
from braingain.integrations.errors import ConfigError

__all__ = [
    "AGENDA_LIMIT",
    "ENVIRONMENT_NAMES",
    "MeetingRequest",
    "MeetingSettings",
    "Participant",
    "ZoomCredentials",
    "ZoomMeeting",
    "agenda_with_key",
    "human_part",
    "key_of",
]

AGENDA_LIMIT = 2000
"""Zoom keeps at most 2,000 characters of a meeting's agenda."""
KEY_PREFIX = "braingain key: "
ENVIRONMENT_NAMES = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")
_SEPARATOR = "\n\n"
_ELLIPSIS = "…"
_MARKER = re.compile(r"(?:\A|\n)braingain key: (?P<key>[^\n]+)\Z")
AUTO_RECORDING = ("none", "local", "cloud")


@dataclass(frozen=True, slots=True)
class ZoomCredentials:
    """A Server-to-Server OAuth app's account id, client id and client secret (hidden from repr)."""

    account_id: str
    client_id: str
    client_secret: str = field(repr=False)

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> ZoomCredentials | None:
        """The credentials in ``ZOOM_ACCOUNT_ID``, ``ZOOM_CLIENT_ID`` and ``ZOOM_CLIENT_SECRET``.

        ``None`` when none is set (Zoom is not configured); :class:`ConfigError` naming the
        missing ones when only some are. Blank values count as unset.
        """
        values = {name: (env.get(name) or "").strip() for name in ENVIRONMENT_NAMES}
        missing = [name for name, value in values.items() if not value]
        if len(missing) == len(ENVIRONMENT_NAMES):
            return None
        if missing:
            given = [name for name in ENVIRONMENT_NAMES if name not in missing]
            raise ConfigError(
                f"Zoom is half configured: {', '.join(given)} set but {', '.join(missing)} not",
                hint=f"set {' and '.join(missing)} in .env (from the App Credentials page of the group's "
                "Server-to-Server OAuth app in the Zoom App Marketplace), or remove the other ZOOM_ lines "
                "to leave Zoom out",
            )
        return cls(values["ZOOM_ACCOUNT_ID"], values["ZOOM_CLIENT_ID"], values["ZOOM_CLIENT_SECRET"])


@dataclass(frozen=True, slots=True)
class MeetingSettings:
    """The meeting settings braingain sets (Zoom's ``settings`` object, same names)."""

    mute_upon_entry: bool = True
    waiting_room: bool = True
    join_before_host: bool = False
    host_video: bool = False
    participant_video: bool = False
    auto_recording: str = "none"

    def __post_init__(self) -> None:
        if self.auto_recording not in AUTO_RECORDING:
            wanted = ", ".join(AUTO_RECORDING)
            raise ValueError(f"auto_recording must be one of {wanted}, not {quote(self.auto_recording)}")

    def as_json(self) -> dict[str, object]:
        return {
            "mute_upon_entry": self.mute_upon_entry,
            "waiting_room": self.waiting_room,
            "join_before_host": self.join_before_host,
            "host_video": self.host_video,
            "participant_video": self.participant_video,
            "auto_recording": self.auto_recording,
        }


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """One meeting as braingain wants it on Zoom.

    ``start`` must be aware (a naive time is refused: ValueError); it is sent as the same
    instant in UTC, with ``timezone`` (an IANA name such as "Europe/London") for Zoom's pages
    and invitations. ``duration_minutes`` is 1 or more. ``key`` is braingain's stable key.
    """

    key: str
    topic: str
    start: datetime
    duration_minutes: int
    timezone: str
    agenda: str = ""
    settings: MeetingSettings = field(default_factory=MeetingSettings)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise ValueError(
                f"meeting {self.key}: start {self.start.isoformat()} has no time zone; "
                "give an aware datetime (Zoom would read a naive one at the wrong hour)"
            )
        if self.duration_minutes < 1:
            raise ValueError(f"meeting {self.key}: duration_minutes must be 1 or more")
        if not self.key.strip() or "\n" in self.key:
            raise ValueError("a meeting key is one non-empty line")
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            raise ValueError(f"meeting {self.key}: {quote(self.timezone)} is not an IANA time zone") from None


@dataclass(frozen=True, slots=True)
class ZoomMeeting:
    """A meeting as Zoom keeps it.

    ``id`` is Zoom's meeting number as text; ``key`` braingain's key from the agenda (None for
    a meeting braingain did not make); ``start`` aware UTC; ``agenda`` the human part (marker
    removed, trimmed as sent: compare with ``agenda_with_key(wanted, key) ==
    agenda_with_key(meeting.agenda, key)``).
    """

    id: str
    key: str | None
    topic: str
    start: datetime
    duration_minutes: int
    timezone: str
    agenda: str
    join_url: str


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone who was in a meeting: display name, email (None when Zoom gives none), the
    UTC times they joined and left when known, and seconds present."""

    name: str
    email: str | None
    join: datetime | None
    leave: datetime | None
    duration_seconds: int


def agenda_with_key(agenda: str, key: str) -> str:
    """``agenda`` with a last line ``braingain key: <key>``, within Zoom's 2,000 characters.

    Only the human part is shortened (ending in "…"), never the marker; applying it again to
    the human part of its result gives the same text.
    """
    marker = KEY_PREFIX + key
    human = human_part(agenda).rstrip()
    if not human:
        return marker
    room = AGENDA_LIMIT - len(_SEPARATOR) - len(marker)
    if room <= len(_ELLIPSIS):
        return marker
    if len(human) > room:
        human = human[: room - len(_ELLIPSIS)].rstrip() + _ELLIPSIS
    return human + _SEPARATOR + marker


def key_of(agenda: str | None) -> str | None:
    """The key in an agenda's last line ``braingain key: <key>``, or None."""
    if not agenda:
        return None
    found = _MARKER.search(agenda.replace("\r\n", "\n").rstrip())
    return found.group("key").strip() if found else None


def human_part(agenda: str | None) -> str:
    """``agenda`` without braingain's key line (and the blank line before it)."""
    if not agenda:
        return ""
    text = agenda.replace("\r\n", "\n").rstrip()
    found = _MARKER.search(text)
    return text[: found.start()].rstrip() if found else text
