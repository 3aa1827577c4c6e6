"""What to remind whom, and when; and the minutes that go out after a meeting.

Reminders go at configurable offsets before each meeting (7 days, 1 day and 1 hour by
default), each with the meeting's time in the recipient's own zone; the agenda goes
with the 1-day reminder. A reminder is *due* from its send time until the next, closer
reminder is due (or the meeting starts), so a sync that runs late sends the freshest
reminder, not a stale pile. After a meeting whose minutes are recorded, the minutes and
action items go to everyone, flagged for members who were absent.

Every reminder and follow-up has a stable ``key``: delivery records keys it has sent,
which is how each goes out once, however often the sync runs. A reminder's key names
the meeting's start, so a meeting that is moved is announced again at its new time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from braingain.core.errors import InvalidValue
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.parsing import before, require_aware
from braingain.core.schedule.meetings import (
    ActionItem,
    AgendaItem,
    MeetingStatus,
    Occurrence,
    Presence,
    presence_of,
)


def _default_offsets() -> tuple[timedelta, ...]:
    return (timedelta(days=7), timedelta(days=1), timedelta(hours=1))


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    offsets: tuple[timedelta, ...] = field(default_factory=_default_offsets)
    agenda_with: timedelta = timedelta(days=1)
    """The reminder that carries the agenda."""
    publish_agenda: timedelta = timedelta(days=2)
    """How long before the meeting the agenda is published; later items are marked late."""

    def __post_init__(self) -> None:
        if not self.offsets or any(o <= timedelta(0) for o in self.offsets):
            raise InvalidValue(
                "reminder offsets must be after zero", field="reminders", hint="e.g. 7d, 1d, 1h"
            )
        if any(o % timedelta(minutes=1) for o in self.offsets):
            raise InvalidValue(
                "reminder offsets must be whole minutes", field="reminders", hint="e.g. 7d, 1d, 1h, 30m"
            )
        if len(set(self.offsets)) != len(self.offsets):
            raise InvalidValue("a reminder offset is repeated", field="reminders")
        if self.publish_agenda <= timedelta(0):
            raise InvalidValue(
                "the agenda must be published before the meeting", field="agenda", hint="e.g. 2 days ahead"
            )
        if self.agenda_with not in self.offsets:
            raise InvalidValue(
                "the agenda must go with one of the reminders",
                field="agenda reminder",
                hint="choose one of the reminder offsets",
            )

    @property
    def ordered(self) -> tuple[timedelta, ...]:
        return tuple(sorted(self.offsets, reverse=True))


def offset_label(offset: timedelta) -> str:
    if offset % timedelta(days=1) == timedelta(0):
        days = offset // timedelta(days=1)
        return f"{days}d"
    if offset % timedelta(hours=1) == timedelta(0):
        return f"{offset // timedelta(hours=1)}h"
    return f"{offset // timedelta(minutes=1)}m"


@dataclass(frozen=True, slots=True)
class Reminder:
    key: str
    member_id: MemberId
    meeting: Occurrence
    offset: timedelta
    send_at: datetime
    local_start: datetime | None
    """The meeting's start in the recipient's own zone; ``None`` while their zone cannot be read
    (then ``note`` says so, and the meeting's own time is given)."""
    agenda: tuple[AgendaItem, ...] = ()
    expected_away: bool = False
    """The member declared they are unavailable that day."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class FollowUp:
    key: str
    member_id: MemberId
    meeting: Occurrence
    minutes: str
    decisions: tuple[str, ...]
    actions: tuple[ActionItem, ...]
    missed: bool
    """Flag for members who were absent or excused: this is how they catch up."""


def _sent_as(group: Group, meeting: Occurrence) -> str:
    """The meeting as delivery keys name it: ``monthly:2027-01-16`` (its series and planned date),
    as before meeting IDs became the date alone, so that nothing delivered is sent again."""
    series = group.series.id if group.series is not None else ""
    return f"{series}:{meeting.planned.isoformat()}"


def reminders_due(group: Group, now: datetime, policy: ReminderPolicy | None = None) -> list[Reminder]:
    """Every reminder due at ``now``, for every active member, for every upcoming meeting."""
    require_aware(now, "now")
    policy = policy or ReminderPolicy()
    horizon = now + max(policy.offsets) + timedelta(days=1)
    offsets = policy.ordered
    due: list[Reminder] = []
    for meeting in group.meetings_by(horizon):
        if meeting.status is MeetingStatus.CANCELLED or not now < meeting.start:
            continue
        current = _current_offset(meeting.start, now, offsets)
        if current is None:
            continue
        record = group.records.get(meeting.id)
        agenda = record.agenda if record and current == policy.agenda_with else ()
        for member in sorted(group.members.values(), key=lambda m: m.id):
            if not member.is_active_on(member.local_date(meeting.start)):
                continue
            away = group.availability_of(member).unavailable_at(meeting.start) is True
            unplaced = member.lacks("zone")
            due.append(
                Reminder(
                    key=f"reminder:{_sent_as(group, meeting)}@{meeting.start.astimezone(UTC):%Y%m%dT%H%MZ}"
                    f":{offset_label(current)}:{member.id}",
                    member_id=member.id,
                    meeting=meeting,
                    offset=current,
                    send_at=before(meeting.start, current),
                    local_start=member.local(meeting.start),
                    agenda=agenda,
                    expected_away=away,
                    note=f"the time is not in local time: {unplaced}" if unplaced else "",
                )
            )
    return due


def _current_offset(start: datetime, now: datetime, offsets: Sequence[timedelta]) -> timedelta | None:
    """The closest offset whose send time has passed: the one reminder worth sending now."""
    current = None
    for offset in offsets:  # longest first
        if before(start, offset) <= now:
            current = offset
    return current


def follow_ups_due(group: Group, now: datetime, *, within: timedelta = timedelta(days=14)) -> list[FollowUp]:
    """Minutes and actions of meetings held in the last ``within``, for every active member."""
    require_aware(now, "now")
    result: list[FollowUp] = []
    for meeting in group.meetings_by(now):
        if meeting.status is MeetingStatus.CANCELLED or not (now - within <= meeting.end <= now):
            continue
        record = group.records.get(meeting.id)
        if record is None or not record.has_minutes:
            continue
        for member in sorted(group.members.values(), key=lambda m: m.id):
            if not member.is_active_on(member.local_date(meeting.start)):
                continue
            status = presence_of(member.id, meeting, record, group.availability.get(member.id))
            result.append(
                FollowUp(
                    key=f"minutes:{_sent_as(group, meeting)}:{member.id}",
                    member_id=member.id,
                    meeting=meeting,
                    minutes=record.minutes,
                    decisions=record.decisions,
                    actions=record.actions,
                    missed=status is not Presence.PRESENT,
                )
            )
    return result
