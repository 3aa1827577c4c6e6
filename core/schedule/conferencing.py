"""Each meeting's Zoom meeting: as it should be, as braingain last pushed it, and the actions between.

One Zoom meeting per meeting of the series (a one-off meeting per date, never a Zoom recurring
series: a leader moves or cancels one meeting without touching the others, and every meeting keeps
the series' wall-clock time in its anchor zone across daylight-saving changes, which a Zoom
recurrence fixed in one zone would also do, but only for meetings that all share one time).

What Zoom holds is known without asking Zoom: the tracker's Meetings tab holds each meeting's
Zoom id and join link, and braingain remembers (in its state) the fingerprint of what it last
pushed (:class:`Pushed`). So a sync with nothing new makes no Zoom request at all:

- a meeting ahead (scheduled or moved, not yet started, within the horizon) with no Zoom meeting
  is created (``zoom:create:ID``);
- one whose time, length, zone, title, agenda or settings changed since it was pushed is updated
  (``zoom:update:ID:FINGERPRINT``);
- a cancelled one that has a Zoom meeting and has not started is deleted (``zoom:delete:ID``), and
  so is one no longer in the series at all (its slot or cadence changed) planned after today;
- a meeting moved beyond the horizon keeps its Zoom meeting, moved with it;
- a meeting that is over, has a Zoom meeting, and whose attendance was not imported has it
  imported (``zoom:attendance:ID``).

Each Zoom meeting carries its key (:func:`zoom_key`) at the foot of its agenda, so that a create
whose answer was lost is found again, never made twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from braingain.core.errors import DomainError, InvalidValue
from braingain.core.group import Group
from braingain.core.outcomes import MeetingLink
from braingain.core.platforms import Action
from braingain.core.schedule.meetings import MeetingStatus, Occurrence
from braingain.core.words import moment_said

ZOOM = "zoom"
MEMORY_PREFIX = "zoom:"
"""Keys of braingain's platform memory that hold a :class:`Pushed` (``zoom:2027-01-16``)."""


@dataclass(frozen=True, slots=True)
class ConferenceSettings:
    """The settings every meeting of the group gets on Zoom (``[zoom]`` in braingain.toml).

    Defaults: participants muted on entry (as the group asked of its members), the waiting room
    on, nobody joining before the host.
    """

    mute_upon_entry: bool = True
    waiting_room: bool = True
    join_before_host: bool = False


@dataclass(frozen=True, slots=True)
class DesiredMeeting:
    """A meeting's Zoom meeting as it should be. ``start`` is aware, in the anchor ``zone``
    (an IANA name); ``minutes`` its length; ``key`` the marker it carries (:func:`zoom_key`)."""

    meeting_id: str
    key: str
    topic: str
    start: datetime
    minutes: int
    zone: str
    agenda: str
    settings: ConferenceSettings

    @property
    def fingerprint(self) -> str:
        """16 hex digits of SHA-256 over everything pushed to Zoom (the instant in UTC)."""
        data = {
            "start": self.start.astimezone(UTC).isoformat(),
            "minutes": self.minutes,
            "zone": self.zone,
            "topic": self.topic,
            "agenda": self.agenda,
            "settings": [
                self.settings.mute_upon_entry,
                self.settings.waiting_room,
                self.settings.join_before_host,
            ],
        }
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()
        return digest[:16]


@dataclass(frozen=True, slots=True)
class Pushed:
    """What braingain last pushed to Zoom for one meeting: its Zoom id and the fingerprint."""

    zoom_id: str
    fingerprint: str

    def to_text(self) -> str:
        return json.dumps({"id": self.zoom_id, "fp": self.fingerprint}, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_text(cls, text: str) -> Pushed:
        """Read :meth:`to_text`'s form. Raises :class:`InvalidValue` for anything else."""
        try:
            data = json.loads(text)
            zoom_id, fingerprint = data["id"], data["fp"]
        except (ValueError, TypeError, KeyError):
            raise InvalidValue(
                "braingain's memory of a Zoom meeting cannot be read",
                field="state",
                hint="the next sync pushes the meeting again",
            ) from None
        if not isinstance(zoom_id, str) or not isinstance(fingerprint, str):
            raise InvalidValue("braingain's memory of a Zoom meeting cannot be read", field="state")
        return cls(zoom_id, fingerprint)


@dataclass(frozen=True, slots=True)
class ZoomFacts:
    """What braingain knows of Zoom without asking it: each meeting's Zoom id (from the Meetings
    tab), what it last pushed (its memory), and the meetings whose attendance was imported."""

    links: Mapping[str, MeetingLink]
    """Meeting ID -> its Zoom meeting."""
    pushed: Mapping[str, Pushed]
    imported: Set[str] = frozenset()


def zoom_key(meeting_id: str, tag: str = "") -> str:
    """The key a meeting's Zoom meeting carries in its agenda: ``zoom:3fa2c1d9e0:2027-01-16``.

    ``tag`` names the group (several groups may share one Zoom account, even one host, and meet on
    the same dates): a meeting is only ever found again by the group that made it."""
    return f"{ZOOM}:{tag}:{meeting_id}" if tag else f"{ZOOM}:{meeting_id}"


def remembered(memory: Mapping[str, str]) -> dict[str, Pushed]:
    """The :class:`Pushed` entries of braingain's platform memory, by meeting ID (an entry that
    cannot be read is left out: that meeting is pushed again)."""
    found: dict[str, Pushed] = {}
    for key, value in memory.items():
        if key.startswith(MEMORY_PREFIX):
            try:
                found[key.removeprefix(MEMORY_PREFIX)] = Pushed.from_text(value)
            except InvalidValue:
                continue
    return found


def agenda_text(group: Group, meeting: Occurrence) -> str:
    """The agenda as Zoom shows it: the items added on the Agenda tab, in order, with who added them."""
    record = group.records.get(meeting.id)
    items = record.agenda if record is not None else ()
    if not items:
        return "Agenda: to follow on the group's tracker (Agenda tab)."
    lines = ["Agenda:"]
    for number, item in enumerate(items, 1):
        member = group.members.get(item.added_by)
        lines.append(f"{number}. {item.title}" + (f" ({member.name})" if member is not None else ""))
    return "\n".join(lines)


def _reach(group: Group, horizon: datetime, linked: Iterable[str]) -> datetime:
    """How far ahead to look: ``horizon``, or the latest planned day of a meeting that has a Zoom
    meeting (the group's horizon may have been shortened since it was made)."""
    series = group.series
    if series is None:
        return horizon
    latest = horizon
    for ident in linked:
        try:
            day = series.planned_of(ident)
        except DomainError:
            continue
        latest = max(latest, datetime.combine(day, time.max, tzinfo=series.slot.zone))
    return latest


def desired_meetings(
    group: Group,
    *,
    now: datetime,
    horizon: datetime,
    topic: str,
    settings: ConferenceSettings,
    tag: str = "",
    linked: Iterable[str] = (),
) -> list[DesiredMeeting]:
    """The Zoom meeting each meeting ahead should have: scheduled or moved, starting after ``now``
    and by ``horizon`` (both aware), in time order. ``topic`` is the meeting's title on Zoom;
    ``tag`` names the group in each key (:func:`zoom_key`). A meeting in ``linked`` (IDs of
    meetings that have a Zoom meeting) is kept up to date however far ahead it was moved."""
    if group.series is None:
        return []
    zone = group.series.slot.zone
    linked = set(linked)
    wanted = []
    for meeting in group.meetings_by(_reach(group, horizon, linked)):
        if meeting.status is MeetingStatus.CANCELLED or not now < meeting.start:
            continue
        if meeting.start > horizon and meeting.id not in linked:
            continue
        wanted.append(
            DesiredMeeting(
                meeting_id=meeting.id,
                key=zoom_key(meeting.id, tag),
                topic=topic,
                start=meeting.start.astimezone(zone),
                minutes=meeting.length,
                zone=zone.key,
                agenda=agenda_text(group, meeting),
                settings=settings,
            )
        )
    return wanted


def _planned_after(group: Group, ident: str, today: date) -> bool:
    """Whether the meeting ``ident`` names was planned for a day after ``today``."""
    assert group.series is not None
    try:
        return group.series.planned_of(ident) > today
    except DomainError:
        return False


def zoom_actions(
    group: Group,
    desired: list[DesiredMeeting],
    facts: ZoomFacts,
    *,
    now: datetime,
    horizon: datetime,
    ended: Set[str] = frozenset(),
) -> list[Action[object]]:
    """The Zoom actions that bring Zoom to ``desired`` (see the module docstring), in order:
    deletions, creates and updates by start time, then attendance imports by meeting ID.
    ``ended``: IDs of meetings Zoom reported over (its webhook), whose attendance is imported
    even before their planned end."""
    actions: list[Action[object]] = []
    if group.series is None:
        return actions
    zone = group.series.slot.zone
    meetings = {m.id: m for m in group.meetings_by(_reach(group, horizon, facts.links))}
    today = now.astimezone(zone).date()
    for ident in sorted(facts.links):
        meeting = meetings.get(ident)
        if meeting is not None and meeting.status is MeetingStatus.CANCELLED and meeting.start > now:
            words = f"delete the Zoom meeting of {moment_said(meeting.start, zone)} (cancelled)"
        elif meeting is None and _planned_after(group, ident, today):
            words = f"delete the Zoom meeting of {ident} (no longer a meeting of the series)"
        else:
            continue
        actions.append(Action(f"{ZOOM}:delete:{ident}", ZOOM, "delete", ident, words, facts.links[ident]))
    for want in desired:
        when = moment_said(want.start, zone)
        if want.meeting_id not in facts.links:
            actions.append(
                Action(
                    f"{ZOOM}:create:{want.meeting_id}",
                    ZOOM,
                    "create",
                    want.meeting_id,
                    f"create the Zoom meeting for {when}, {want.minutes} minutes",
                    want,
                )
            )
            continue
        pushed = facts.pushed.get(want.meeting_id)
        if (
            pushed is None
            or pushed.fingerprint != want.fingerprint
            or pushed.zoom_id != facts.links[want.meeting_id].zoom_id
        ):
            actions.append(
                Action(
                    f"{ZOOM}:update:{want.meeting_id}:{want.fingerprint}",
                    ZOOM,
                    "update",
                    want.meeting_id,
                    f"update the Zoom meeting of {when} (its time, length, title, agenda or settings "
                    "differ from what braingain last sent)",
                    want,
                )
            )
    for ident in sorted(facts.links):
        meeting = meetings.get(ident)
        if (
            meeting is not None
            and meeting.status is not MeetingStatus.CANCELLED
            and (meeting.end <= now or (ident in ended and meeting.start <= now))
            and ident not in facts.imported
        ):
            actions.append(
                Action(
                    f"{ZOOM}:attendance:{ident}",
                    ZOOM,
                    "attendance",
                    ident,
                    f"import who joined the meeting of {moment_said(meeting.start, zone)} from Zoom",
                    facts.links[ident],
                )
            )
    return actions
