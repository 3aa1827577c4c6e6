"""The meeting series: cadence, blackouts, moves and cancellations, and what each meeting holds.

The series meets every ``busy_weeks`` (2) while a milestone or task due date falls in
the next ``lookahead_weeks`` (4), and every ``quiet_weeks`` (4) otherwise; blackout
dates (holidays) are skipped to the following week. Planned dates come from the cadence
alone, so a leader can move or cancel one meeting without shifting any other: the
series never drifts, and every planned meeting starts at the same wall-clock time in
the anchor zone.

Meetings are scheduled ahead: once a date is announced (``schedule_through``) it is
kept in ``scheduled`` and never recomputed, so a deadline that later moves or a task
that is accepted never shifts a meeting that members have already planned around, or
one that has been held. The cadence continues from the last scheduled date.

Each meeting has an agenda (items anyone adds before it starts; published a set time
ahead), minutes, decisions, action items (which can become tasks) and attendance
(present, absent or excused), which feeds the commitment measure used to choose
volunteers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.tasks import Icmje, Task
from braingain.core.authorship.volunteering import Attendance
from braingain.core.errors import InvalidValue, NotPermitted, UnknownReference, quote
from braingain.core.ids import MemberId, ProjectId, check_id
from braingain.core.members import Member
from braingain.core.parsing import before, clean_text, require_aware, require_text
from braingain.core.projects import Project
from braingain.core.schedule.availability import Availability
from braingain.core.schedule.slots import RecurringSlot
from braingain.core.words import day_said


@dataclass(frozen=True, slots=True)
class Cadence:
    busy_weeks: int = 2
    quiet_weeks: int = 4
    lookahead_weeks: int = 4

    def __post_init__(self) -> None:
        if not 1 <= self.busy_weeks <= self.quiet_weeks <= 12:
            raise InvalidValue(
                f"every {self.busy_weeks} and {self.quiet_weeks} weeks",
                field="cadence",
                hint="use 1-12 weeks, busy no longer than quiet (e.g. 2 and 4)",
            )
        if not 0 <= self.lookahead_weeks <= 26:
            raise InvalidValue(
                f"{self.lookahead_weeks} weeks", field="cadence lookahead", hint="use 0 to 26 weeks"
            )


class MeetingStatus(Enum):
    SCHEDULED = "scheduled"
    HELD = "held"
    """Scheduled, and it has taken place (braingain writes it once the meeting is over)."""
    MOVED = "moved"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Override:
    """A leader's change to one planned meeting: moved to another time, or cancelled."""

    planned: date
    moved_to: datetime | None
    note: str
    by: MemberId


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of the series. ``id`` is stable: the planned date (``2027-01-16``)."""

    id: str
    planned: date
    start: datetime
    length: int
    status: MeetingStatus
    note: str = ""

    @property
    def end(self) -> datetime:
        """``length`` minutes of elapsed time after ``start``, in its zone (not the wall clock's
        arithmetic: a meeting that spans a clock change still lasts ``length`` minutes)."""
        return (self.start.astimezone(UTC) + timedelta(minutes=self.length)).astimezone(self.start.tzinfo)


@dataclass(frozen=True, slots=True)
class MeetingSeries:
    id: str
    slot: RecurringSlot
    first: date
    cadence: Cadence = field(default_factory=Cadence)
    blackouts: frozenset[date] = frozenset()
    overrides: tuple[Override, ...] = ()
    scheduled: tuple[date, ...] = ()
    """Dates already announced: fixed, whatever the cadence would say now."""

    @classmethod
    def create(
        cls,
        *,
        id: str,
        slot: RecurringSlot,
        first: date,
        cadence: Cadence | None = None,
        blackouts: Iterable[date] = (),
        scheduled: Iterable[date] = (),
    ) -> MeetingSeries:
        fixed = tuple(sorted({first, *scheduled})) if scheduled else ()
        for day in fixed:
            if day.weekday() != slot.weekday or day < first:
                raise InvalidValue(
                    f"{day_said(day)} cannot be a meeting of this series",
                    field="scheduled",
                    hint=f"meetings fall on a {slot.weekday.label}, from {day_said(first)} on",
                )
        if first.weekday() != slot.weekday:
            raise InvalidValue(
                f"{day_said(first)} is not a {slot.weekday.label}",
                field="first meeting",
                hint=f"start the series on a {slot.weekday.label}, "
                f"e.g. {day_said(slot.first_on_or_after(first))}",
            )
        return cls(
            check_id(id, "series id"), slot, first, cadence or Cadence(), frozenset(blackouts), (), fixed
        )

    def _skip_blackouts(self, day: date) -> date:
        while day in self.blackouts:
            day += timedelta(weeks=1)
        return day

    def _next(self, day: date, deadlines: list[date]) -> date:
        lookahead = timedelta(weeks=self.cadence.lookahead_weeks)
        busy = any(day < d <= day + lookahead for d in deadlines)
        gap = self.cadence.busy_weeks if busy else self.cadence.quiet_weeks
        return self._skip_blackouts(day + timedelta(weeks=gap))

    def planned_dates(self, until: date, deadlines: Iterable[date] = ()) -> list[date]:
        """Planned dates up to ``until``: the scheduled ones, then the cadence from the last of them."""
        upcoming = sorted(set(deadlines))
        dates = [d for d in self.scheduled if d <= until]
        day = self._next(self.scheduled[-1], upcoming) if self.scheduled else self._skip_blackouts(self.first)
        while day <= until:
            dates.append(day)
            day = self._next(day, upcoming)
        return dates

    def schedule_through(self, until: date, deadlines: Iterable[date] = ()) -> MeetingSeries:
        """Announce every meeting up to ``until``: from now on their dates are fixed."""
        return replace(self, scheduled=tuple(self.planned_dates(until, deadlines)))

    def meeting_id(self, planned: date) -> str:
        """A meeting's ID: its planned date, ``2027-01-16`` (a moved meeting keeps it). The group
        has one series, so the date alone names the meeting."""
        return planned.isoformat()

    def planned_of(self, ident: str) -> date:
        """The planned date a meeting ID of this series names (see :func:`meeting_date`)."""
        return meeting_date(ident, self.id)

    def key_of(self, ident: str) -> str:
        """The ID braingain gives the meeting ``ident`` names (see :meth:`planned_of`)."""
        return self.meeting_id(self.planned_of(ident))

    def occurrences(self, until: date, deadlines: Iterable[date] = ()) -> list[Occurrence]:
        """Every meeting up to ``until``, with moves and cancellations applied, in time order."""
        changes = {o.planned: o for o in self.overrides}
        result = []
        for planned in self.planned_dates(until, deadlines):
            change = changes.get(planned)
            start = self.slot.at(planned)
            status, note = MeetingStatus.SCHEDULED, ""
            if change is not None:
                note = change.note
                if change.moved_to is None:
                    status = MeetingStatus.CANCELLED
                else:
                    status, start = MeetingStatus.MOVED, change.moved_to
            result.append(
                Occurrence(self.meeting_id(planned), planned, start, self.slot.length, status, note)
            )
        return sorted(result, key=lambda o: (o.start, o.id))

    def _override(
        self, planned: date, by: Member, change: Override, deadlines: Iterable[date]
    ) -> MeetingSeries:
        if not by.is_leader:
            raise NotPermitted(
                f"{by.name} is not a leader", field="meeting", hint="leaders move and cancel meetings"
            )
        if planned not in self.planned_dates(planned, deadlines):
            raise UnknownReference(
                f"no meeting of series {self.id} is planned on {day_said(planned)}",
                field="meeting",
                hint="give the planned date of the meeting to change",
            )
        kept = tuple(o for o in self.overrides if o.planned != planned)
        return replace(self, overrides=tuple(sorted((*kept, change), key=lambda o: o.planned)))

    def move(
        self, planned: date, to: datetime, *, by: Member, note: str = "", deadlines: Iterable[date] = ()
    ) -> MeetingSeries:
        """Move one meeting; the rest of the series keeps its dates."""
        require_aware(to, "moved to")
        return self._override(planned, by, Override(planned, to, clean_text(note), by.id), deadlines)

    def cancel(
        self, planned: date, *, by: Member, note: str, deadlines: Iterable[date] = ()
    ) -> MeetingSeries:
        """Cancel one meeting; the rest of the series keeps its dates."""
        if not clean_text(note):
            raise InvalidValue(
                "a cancellation needs a note", field="note", hint="say why, so absent members know"
            )
        return self._override(planned, by, Override(planned, None, clean_text(note), by.id), deadlines)


def meeting_date(ident: str, series: str) -> date:
    """The planned date a meeting ID names: ``2027-01-16``, or ``monthly:2027-01-16`` (the ID of
    the ``series`` before the date), as trackers made before wrote them, so that their rows and
    the references people typed keep naming their meeting. Raises :class:`UnknownReference` for
    an ID of another series, :class:`InvalidValue` for one that does not end with a date."""
    named, colon, day = ident.rpartition(":")
    hint = "use an ID from the Meetings tab: the meeting's date, e.g. 2027-01-16"
    if colon and named != series:
        raise UnknownReference(f"{quote(ident)} is not a meeting of the series {quote(series)}", hint=hint)
    try:
        return date.fromisoformat(day)
    except ValueError:
        raise InvalidValue(f"{quote(ident)} is not a meeting's date", hint=hint) from None


class Presence(Enum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


@dataclass(frozen=True, slots=True)
class AgendaItem:
    title: str
    added_by: MemberId
    added_at: datetime
    late: bool = False
    """Added after the agenda was published."""


class ActionStatus(Enum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class ActionItem:
    id: str
    meeting_id: str
    title: str
    owner: MemberId
    due: date | None
    status: ActionStatus = ActionStatus.OPEN

    def to_task(
        self,
        *,
        task_id: str,
        project: Project,
        stage: str,
        acceptance_criteria: str,
        points_worth: Decimal | int | str,
        credit_role: CreditRole,
        icmje: Icmje,
        supervisor: Member,
        max_volunteers: int | None = None,
    ) -> Task:
        """Turn this action item into a draft task of the task-sharing document."""
        return Task.create(
            id=task_id,
            project=project,
            stage=stage,
            title=self.title,
            deliverable=f"{self.title} (action from meeting {self.meeting_id})",
            acceptance_criteria=acceptance_criteria,
            points_worth=points_worth,
            credit_role=credit_role,
            icmje=icmje,
            supervisor=supervisor,
            max_volunteers=max_volunteers,
            due=self.due,
        )


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """What happened around one meeting: agenda before; minutes, decisions, actions, attendance after."""

    meeting_id: str
    agenda: tuple[AgendaItem, ...] = ()
    minutes: str = ""
    decisions: tuple[str, ...] = ()
    actions: tuple[ActionItem, ...] = ()
    attendance: Mapping[MemberId, Presence] = field(default_factory=dict)
    recorded_by: MemberId | None = None
    project: ProjectId | None = None
    """The project the meeting was about (the Meetings row's Project): its minutes are saved in that
    project's Minutes folder on Drive; ``None``: the group's."""

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes)

    def add_agenda_item(
        self, meeting: Occurrence, title: str, *, by: Member, at: datetime, publish_ahead: timedelta
    ) -> MeetingRecord:
        """Anyone adds items before the meeting starts; items after publication are marked late."""
        require_aware(at, "added at")
        if meeting.status is MeetingStatus.CANCELLED:
            raise InvalidValue(f"the meeting of {day_said(meeting.planned)} is cancelled", field="agenda")
        if at >= meeting.start:
            raise InvalidValue(
                f"the meeting of {day_said(meeting.planned)} has already started",
                field="agenda",
                hint="add the item to the next meeting's agenda",
            )
        late = at > before(meeting.start, publish_ahead)
        item = AgendaItem(require_text(title, "agenda item", max_length=300), by.id, at, late)
        return replace(self, agenda=(*self.agenda, item))

    def record_minutes(
        self,
        *,
        minutes: str,
        decisions: Iterable[str] = (),
        actions: Iterable[ActionItem] = (),
        attendance: Mapping[MemberId, Presence],
        by: Member,
    ) -> MeetingRecord:
        """A leader records the minutes, decisions, action items and who attended."""
        if not by.is_leader:
            raise NotPermitted(
                f"{by.name} is not a leader", field="minutes", hint="a leader records the minutes"
            )
        items = tuple(actions)
        for item in items:
            if item.meeting_id != self.meeting_id:
                raise InvalidValue(f"action {item.id} belongs to another meeting", field="action items")
        return replace(
            self,
            minutes=require_text(minutes, "minutes", max_length=20_000),
            decisions=tuple(clean_text(d) for d in decisions if clean_text(d)),
            actions=items,
            attendance=dict(attendance),
            recorded_by=by.id,
        )


_COLUMN = {Presence.PRESENT: 0, Presence.ABSENT: 1, Presence.EXCUSED: 2}


def presence_of(
    member: MemberId, meeting: Occurrence, record: MeetingRecord | None, availability: Availability | None
) -> Presence | None:
    """A member's attendance at a held meeting. Absence on a declared unavailable date is excused.

    While the member's zone is unknown and the meeting's date differs across zones, an
    absence on a date that is unavailable in some zone is excused: nobody counts as absent
    because of a cell that cannot be read (:func:`presence_uncertain` says when this applies).
    """
    if record is None or member not in record.attendance:
        return None
    status = record.attendance[member]
    if (
        status is Presence.ABSENT
        and availability is not None
        and availability.unavailable_at(meeting.start) is not False
    ):
        return Presence.EXCUSED
    return status


def presence_uncertain(
    member: MemberId, meeting: Occurrence, record: MeetingRecord | None, availability: Availability | None
) -> bool:
    """Whether the member's attendance at ``meeting`` depends on their unknown time zone."""
    if record is None or record.attendance.get(member) is not Presence.ABSENT or availability is None:
        return False
    return availability.unavailable_at(meeting.start) is None


def attendance_summary(
    meetings: Iterable[Occurrence],
    records: Mapping[str, MeetingRecord],
    availability: Mapping[MemberId, Availability],
    *,
    before: datetime,
) -> dict[MemberId, Attendance]:
    """Present, absent and excused counts per member over meetings held before ``before``."""
    require_aware(before, "before")
    counts: dict[MemberId, list[int]] = {}
    for meeting in meetings:
        if meeting.status is MeetingStatus.CANCELLED or meeting.start >= before:
            continue
        record = records.get(meeting.id)
        if record is None:
            continue
        for member in record.attendance:
            status = presence_of(member, meeting, record, availability.get(member))
            if status is not None:
                counts.setdefault(member, [0, 0, 0])[_COLUMN[status]] += 1
    return {m: Attendance(*row) for m, row in counts.items()}
