"""One recurring weekend slot that suits most members, across time zones.

A slot is a weekday and a wall-clock time in a named **anchor zone** (e.g. Saturday
14:00 Europe/London), never a fixed UTC time: the UK and North America change their
clocks on different dates and Nigeria never does, so the same slot moves for some
members several weeks a year. The finder scores every candidate start (every
``step`` minutes of the allowed days) over every meeting date in the horizon, and
ranks them by:

1. members available on **every** date;
2. member-dates available in all;
3. fairness: the smallest **worst-off** local-time inconvenience (how far outside
   08:00-21:00 local the meeting falls for the member it suits least);
4. a deterministic tie-break: the order of the allowed days, then the earlier time.

The result explains itself: for each member, their local time in each clock period
and the dates on which they lose the slot, and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from braingain.core.errors import InvalidValue
from braingain.core.ids import MemberId
from braingain.core.schedule.availability import (
    DEFAULT_WINDOWS,
    MINUTES_PER_DAY,
    WEEKEND,
    Availability,
    Weekday,
    Window,
    covered,
    hhmm,
)
from braingain.core.words import day_said

SHORTEST, LONGEST = 15, 8 * 60
"""A meeting's length in minutes, at least and at most."""


@dataclass(frozen=True, slots=True)
class RecurringSlot:
    """A weekday and a wall-clock start in the anchor zone, with a length in minutes."""

    weekday: Weekday
    start: int
    length: int
    zone: ZoneInfo

    def __post_init__(self) -> None:
        if not 0 <= self.start < MINUTES_PER_DAY:
            raise InvalidValue(f"{self.start} is not a minute of the day", field="slot time")
        if not SHORTEST <= self.length <= LONGEST:
            raise InvalidValue(
                f"a meeting of {self.length} minutes",
                field="meeting length",
                hint=f"use {SHORTEST} to {LONGEST} minutes",
            )

    @property
    def label(self) -> str:
        return f"{self.weekday.label} {hhmm(self.start)} {self.zone.key}"

    def at(self, day: date) -> datetime:
        """The meeting's start on ``day`` in the anchor zone.

        A wall time that does not exist that day (inside a spring-forward gap) moves
        forward by the gap, as a clock on the wall would; a wall time that happens twice
        (when clocks fall back) is the first of the two.
        """
        if day.weekday() != self.weekday:
            raise InvalidValue(f"{day_said(day)} is not a {self.weekday.label}", field="date")
        naive = datetime.combine(day, time(self.start // 60, self.start % 60))
        return naive.replace(tzinfo=self.zone).astimezone(UTC).astimezone(self.zone)

    def first_on_or_after(self, day: date) -> date:
        return day + timedelta(days=(self.weekday - day.weekday()) % 7)

    def weekly_dates(self, first: date, count: int) -> list[date]:
        start = self.first_on_or_after(first)
        return [start + timedelta(weeks=n) for n in range(count)]


def _cost_per_minute(minute_of_day: int) -> int:
    hour = minute_of_day // 60
    if 8 <= hour < 21:
        return 0
    if 6 <= hour < 8 or 21 <= hour < 23:
        return 1
    return 3


_PREFIX = [0]
for _m in range(2 * MINUTES_PER_DAY):
    _PREFIX.append(_PREFIX[-1] + _cost_per_minute(_m % MINUTES_PER_DAY))


def inconvenience(local_start: int, length: int) -> int:
    """How unsociable a meeting is in local time: minutes outside 08:00-21:00, weighted
    1 in the early morning (06-08) and late evening (21-23), and 3 at night (23-06)."""
    start = local_start % MINUTES_PER_DAY
    return _PREFIX[start + length] - _PREFIX[start]


@dataclass(frozen=True, slots=True)
class SlotScore:
    slot: RecurringSlot
    everyone: int
    """Members available on every date of the horizon."""
    member_dates: int
    """Available member-dates in all."""
    worst_inconvenience: int
    """The worst-off member's worst inconvenience (see :func:`inconvenience`)."""
    members: int
    dates: int

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (-self.everyone, -self.member_dates, self.worst_inconvenience)


@dataclass(frozen=True, slots=True)
class LocalPeriod:
    """A run of meeting dates on which the slot falls at the same local time for a member."""

    first: date
    last: date
    local_start: datetime

    @property
    def label(self) -> str:
        return f"{self.local_start:%a} {self.local_start:%H:%M}"


@dataclass(frozen=True, slots=True)
class LostDate:
    date: date
    reason: str


@dataclass(frozen=True, slots=True)
class MemberFit:
    """How the slot falls for one member over the horizon."""

    member_id: MemberId
    zone: ZoneInfo
    periods: tuple[LocalPeriod, ...]
    lost: tuple[LostDate, ...]

    @property
    def every_date(self) -> bool:
        return not self.lost


@dataclass(frozen=True, slots=True)
class SlotChoice:
    best: SlotScore
    ranked: tuple[SlotScore, ...]
    dates: tuple[date, ...]
    fits: tuple[MemberFit, ...]


@dataclass(frozen=True, slots=True)
class _Timeline:
    """Where each (candidate, date) falls in one zone: local minute of week and local date."""

    minute_of_week: list[list[int]]
    local_date: list[list[date]]


def _candidates(days: Sequence[Weekday], step: int, length: int, anchor: ZoneInfo) -> list[RecurringSlot]:
    if step not in (5, 10, 15, 20, 30, 60):
        raise InvalidValue(f"a step of {step} minutes", field="step", hint="use 5, 10, 15, 20, 30 or 60")
    if not days:
        raise InvalidValue("no days allowed", field="days", hint="allow at least one day, e.g. Sat")
    if len(set(days)) != len(days):
        raise InvalidValue("a day is allowed twice", field="days", hint="list each day once")
    return [RecurringSlot(day, t, length, anchor) for day in days for t in range(0, MINUTES_PER_DAY, step)]


def _timeline(zone: ZoneInfo, instants: list[list[datetime]]) -> _Timeline:
    mows: list[list[int]] = []
    dates: list[list[date]] = []
    for row in instants:
        mow_row, date_row = [], []
        for instant in row:
            local = instant.astimezone(zone)
            mow_row.append(local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute)
            date_row.append(local.date())
        mows.append(mow_row)
        dates.append(date_row)
    return _Timeline(mows, dates)


def find_slots(
    members: Iterable[Availability],
    *,
    anchor: ZoneInfo,
    start: date,
    days: Sequence[Weekday] = WEEKEND,
    step: int = 30,
    length: int = 90,
    horizon: int = 26,
    default_windows: tuple[Window, ...] = DEFAULT_WINDOWS,
    top: int = 5,
) -> SlotChoice:
    """Score every candidate slot over ``horizon`` weekly meeting dates from ``start``.

    Every member needs a known zone (:meth:`Group.schedulable` leaves the others out, with
    the reason); raises :class:`InvalidValue` otherwise.
    """
    people = sorted(members, key=lambda a: a.member_id)
    if not people:
        raise InvalidValue(
            "no members to schedule", field="members", hint="add members with their time zones"
        )
    if top < 1:
        raise InvalidValue(f"top {top}", field="top", hint="ask for 1 or more candidates")
    if not 1 <= horizon <= 260:
        raise InvalidValue(
            f"a horizon of {horizon} dates", field="horizon", hint="use 1 to 260 meeting dates"
        )
    candidates = _candidates(days, step, length, anchor)
    dates_of = {day: RecurringSlot(day, 0, length, anchor).weekly_dates(start, horizon) for day in days}
    instants = [[c.at(d) for d in dates_of[c.weekday]] for c in candidates]

    timelines = {
        zone_key: _timeline(ZoneInfo(zone_key), instants) for zone_key in {p.placed_in().key for p in people}
    }
    n_cand = len(candidates)
    everyone = [0] * n_cand
    member_dates = [0] * n_cand

    profiles: dict[tuple[str, tuple[Window, ...]], list[Availability]] = {}
    for person in people:
        profiles.setdefault((person.placed_in().key, person.effective_windows(default_windows)), []).append(
            person
        )

    for (zone_key, windows), group in profiles.items():
        line = timelines[zone_key]
        memo: dict[int, bool] = {}

        def fits(mow: int, windows: tuple[Window, ...] = windows, memo: dict[int, bool] = memo) -> bool:
            found = memo.get(mow)
            if found is None:
                found = memo[mow] = covered(windows, mow, length)
            return found

        base = [[fits(mow) for mow in row] for row in line.minute_of_week]
        plain = [p for p in group if not p.unavailable]
        if plain:
            for c, row in enumerate(base):
                ok = sum(row)
                member_dates[c] += ok * len(plain)
                everyone[c] += len(plain) if ok == len(row) else 0
        for person in group:
            if not person.unavailable:
                continue
            for c, row in enumerate(base):
                local_dates = line.local_date[c]
                ok = sum(
                    1 for i, free in enumerate(row) if free and person.unavailable_on(local_dates[i]) is None
                )
                member_dates[c] += ok
                everyone[c] += 1 if ok == len(row) else 0

    worst = [0] * n_cand
    for line in timelines.values():
        for c, minutes in enumerate(line.minute_of_week):
            worst[c] = max(worst[c], max(inconvenience(mow, length) for mow in minutes))

    scores = [
        SlotScore(candidates[c], everyone[c], member_dates[c], worst[c], len(people), horizon)
        for c in range(n_cand)
    ]
    day_order = {day: i for i, day in enumerate(days)}
    ranked = sorted(scores, key=lambda s: (*s.sort_key, day_order[s.slot.weekday], s.slot.start))
    best = ranked[0]
    return SlotChoice(
        best=best,
        ranked=tuple(ranked[:top]),
        dates=tuple(dates_of[best.slot.weekday]),
        fits=tuple(explain(best.slot, people, dates_of[best.slot.weekday], default_windows)),
    )


def explain(
    slot: RecurringSlot,
    members: Iterable[Availability],
    dates: Sequence[date],
    default_windows: tuple[Window, ...] = DEFAULT_WINDOWS,
) -> list[MemberFit]:
    """For each member: local time in each clock period, and the dates they lose, with why."""
    fits = []
    for person in sorted(members, key=lambda a: a.member_id):
        periods: list[LocalPeriod] = []
        lost: list[LostDate] = []
        for day in dates:
            local = slot.at(day).astimezone(person.placed_in())
            key = (local.weekday(), local.hour, local.minute)
            last = periods[-1] if periods else None
            if last and (last.local_start.weekday(), last.local_start.hour, last.local_start.minute) == key:
                periods[-1] = LocalPeriod(last.first, day, last.local_start)
            else:
                periods.append(LocalPeriod(day, day, local))
            why = person.cannot_make(local, slot.length, default_windows)
            if why is not None:
                lost.append(LostDate(day, why))
        fits.append(MemberFit(person.member_id, person.placed_in(), tuple(periods), tuple(lost)))
    return fits
