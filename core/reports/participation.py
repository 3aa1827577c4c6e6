"""Participation per period (``braingain report group --period month|quarter|year``): attendance rate,
tasks completed and points awarded.

- **Attendance** comes from the meeting records (``Group.records``) of the meetings held before
  ``now`` (not cancelled): each member marked present, absent or excused. An absence on a day the member
  declared unavailable is excused (:func:`~braingain.core.schedule.meetings.presence_of`). The rate is
  present ÷ (present + absent): **an excused absence counts neither for nor against**, as in the track
  record volunteers are chosen by (:class:`~braingain.core.authorship.volunteering.Attendance`). A
  period with no one present or absent has no rate (``None``), never 0%.
- **Tasks completed**: tasks accepted in the period (the first ``accepted`` event of
  ``Task.history``).
- **Points awarded**: the Ledger's entries recorded in the period, added up as recorded: awards,
  adjustments and dispute resolutions alike (a correction counts in the period it was recorded, and
  may make a period's sum smaller).

Days are calendar days in the meeting series' anchor zone (UTC for a group without a series). Every
period from the first activity to the last is listed, a period with nothing as zeros. Attendance
counted before meetings were tracked (``Group.attendance``, kept without dates) belongs to no period:
it is given apart, as :attr:`Participation.earlier`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from braingain.core.authorship.points import ZERO
from braingain.core.authorship.volunteering import Attendance
from braingain.core.group import Group
from braingain.core.parsing import require_aware
from braingain.core.reports.table_one import percent
from braingain.core.schedule.meetings import MeetingStatus, Presence, presence_of
from braingain.core.words import month_said


class Period(Enum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    def start_of(self, day: date) -> date:
        """The first day of the period ``day`` falls in."""
        if self is Period.YEAR:
            return date(day.year, 1, 1)
        if self is Period.QUARTER:
            return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return date(day.year, day.month, 1)

    def after(self, start: date) -> date:
        """The first day of the period after the one starting on ``start``."""
        months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[self]
        index = start.year * 12 + start.month - 1 + months
        return date(index // 12, index % 12 + 1, 1)

    def label(self, start: date) -> str:
        """How a person names the period starting on ``start``: "March 2026", "Q1 2026", "2026"."""
        if self is Period.YEAR:
            return str(start.year)
        if self is Period.QUARTER:
            return f"Q{(start.month - 1) // 3 + 1} {start.year}"
        return month_said(start)


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """One period, ``start`` (first day) to ``end`` (first day after): ``meetings`` with attendance
    recorded, ``attendance`` counts, ``tasks_completed``, ``points`` (two places, may be negative)."""

    label: str
    start: date
    end: date
    meetings: int
    attendance: Attendance
    tasks_completed: int
    points: Decimal

    @property
    def rate(self) -> Fraction | None:
        """present ÷ (present + absent); ``None`` when nobody was present or absent."""
        return self.attendance.rate

    @property
    def rate_percent(self) -> Decimal | None:
        """:attr:`rate` as a percentage, one decimal place, rounded half up."""
        counted = self.attendance.present + self.attendance.absent
        return percent(self.attendance.present, counted) if counted else None


@dataclass(frozen=True, slots=True)
class Participation:
    """Every period from the first activity to the last (none at all: ``rows`` empty), and the
    attendance counted before meetings were tracked (``earlier``)."""

    period: Period
    rows: tuple[PeriodRow, ...]
    earlier: Attendance

    @property
    def empty(self) -> bool:
        return not self.rows and not (self.earlier.present + self.earlier.absent + self.earlier.excused)


def participation(group: Group, *, now: datetime, period: Period = Period.QUARTER) -> Participation:
    """The group's participation per ``period`` up to ``now`` (see the module's docstring).

    Raises :class:`~braingain.core.errors.InvalidValue` when ``now`` has no time zone."""
    require_aware(now, "now")
    zone: tzinfo = group.series.slot.zone if group.series is not None else UTC
    meetings: dict[date, int] = {}
    presence: dict[date, Counter[Presence]] = {}
    for meeting in group.meetings_by(now):
        record = group.records.get(meeting.id)
        if meeting.status is MeetingStatus.CANCELLED or meeting.start >= now or record is None:
            continue
        counted = [
            status
            for member in record.attendance
            if (status := presence_of(member, meeting, record, group.availability.get(member))) is not None
        ]
        if not counted:
            continue
        start = period.start_of(meeting.start.astimezone(zone).date())
        meetings[start] = meetings.get(start, 0) + 1
        presence.setdefault(start, Counter()).update(counted)
    tasks: dict[date, int] = {}
    for task in group.tasks.values():
        if task.accepted_at is not None:
            start = period.start_of(task.accepted_at.astimezone(zone).date())
            tasks[start] = tasks.get(start, 0) + 1
    points: dict[date, Decimal] = {}
    for entry in group.ledger:
        start = period.start_of(entry.recorded_at.astimezone(zone).date())
        points[start] = points.get(start, ZERO) + entry.points
    starts = {*meetings, *tasks, *points}
    rows: list[PeriodRow] = []
    if starts:
        start, last = min(starts), max(starts)
        while start <= last:
            end = period.after(start)
            rows.append(
                PeriodRow(
                    period.label(start),
                    start,
                    end,
                    meetings.get(start, 0),
                    _attendance(presence.get(start, Counter())),
                    tasks.get(start, 0),
                    points.get(start, ZERO),
                )
            )
            start = end
    return Participation(period, tuple(rows), Attendance(*_earlier(group)))


def _attendance(seen: Counter[Presence]) -> Attendance:
    return Attendance(seen[Presence.PRESENT], seen[Presence.ABSENT], seen[Presence.EXCUSED])


def _earlier(group: Group) -> tuple[int, int, int]:
    found = [0, 0, 0]
    for counts in group.attendance.values():
        found[0] += counts.present
        found[1] += counts.absent
        found[2] += counts.excused
    return found[0], found[1], found[2]
