"""When members can meet: weekly windows in their own local time, and dated exceptions.

A member says "Sat 09:00-13:00, Sun 14:00-20:00" in *their* time zone. Windows may
cross midnight ("Fri 22:00-01:00"). Dated unavailability (on call, travel) removes the
member from meetings whose local date falls inside it. A member with no windows gets
the group's default: weekend daytime in their own zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import IntEnum
from zoneinfo import ZoneInfo

from braingain.core.errors import InvalidValue, quote
from braingain.core.ids import MemberId
from braingain.core.parsing import clean_text, normalize_key, split_list
from braingain.core.words import day_said

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


class Weekday(IntEnum):
    """ISO weekday numbering minus one, as ``date.weekday()`` gives it."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def short(self) -> str:
        return self.name[:3].title()

    @property
    def label(self) -> str:
        return self.name.title()

    @classmethod
    def parse(cls, text: str, field: str = "day") -> Weekday:
        key = normalize_key(text)
        for day in cls:
            if key in (day.name.lower(), day.name[:3].lower(), day.name[:2].lower()):
                return day
        if key in ("tues", "thur", "thurs"):
            return cls.TUESDAY if key == "tues" else cls.THURSDAY
        raise InvalidValue(
            f"{quote(clean_text(text))} is not a day of the week",
            field=field,
            hint="use Mon, Tue, Wed, Thu, Fri, Sat or Sun",
        )


WEEKEND = (Weekday.SATURDAY, Weekday.SUNDAY)


def hhmm(minutes: int) -> str:
    """Minutes after midnight as HH:MM (1440 is written 24:00)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True, order=True)
class Window:
    """A weekly window in local time: ``start`` and ``end`` are minutes of the week (Mon 00:00 = 0)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end <= MINUTES_PER_WEEK):
            raise InvalidValue(f"window {self.start}-{self.end} is not within one week", field="availability")

    def __str__(self) -> str:
        midnight = (self.start // MINUTES_PER_DAY + 1) * MINUTES_PER_DAY
        if self.end > midnight and self.end - self.start >= MINUTES_PER_DAY:  # a day or more: day by day
            return f"{Window(self.start, midnight)}, {Window(midnight, self.end)}"
        day = Weekday(self.start // MINUTES_PER_DAY)
        start = self.start % MINUTES_PER_DAY
        end = self.end - day * MINUTES_PER_DAY
        shown = end if end <= MINUTES_PER_DAY else end - MINUTES_PER_DAY
        return f"{day.short} {hhmm(start)}-{hhmm(shown)}"


_WINDOW = re.compile(r"^([A-Za-z]+)\s+(\d{1,2}):?(\d{2})?\s*(?:-|–|—|to)\s*(\d{1,2}):?(\d{2})?$")


def _minute_of_day(hours: str, minutes: str | None, text: str, field: str) -> int:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise InvalidValue(f"{quote(text)} has an impossible time", field=field, hint="use 00:00 to 24:00")
    return h * 60 + m


def parse_windows(text: str, field: str = "availability") -> tuple[Window, ...]:
    """Parse "Sat 09:00-13:00, Sun 14:00-20:00" into windows (midnight-crossing ones are split)."""
    windows: list[Window] = []
    for part in split_list(text):
        match = _WINDOW.match(part)
        if not match:
            raise InvalidValue(
                f"{quote(part)} is not a window",
                field=field,
                hint="write day and local times, e.g. 'Sat 09:00-13:00, Sun 14:00-20:00'",
            )
        day = Weekday.parse(match.group(1), field)
        start = _minute_of_day(match.group(2), match.group(3), part, field)
        end = _minute_of_day(match.group(4), match.group(5), part, field)
        if start == end:
            raise InvalidValue(
                f"{quote(part)} is empty", field=field, hint="the end must differ from the start"
            )
        if start == MINUTES_PER_DAY:
            raise InvalidValue(
                f"{quote(part)} starts at 24:00", field=field, hint="start at 00:00 on the next day instead"
            )
        base = day * MINUTES_PER_DAY
        if end > start:
            windows.append(Window(base + start, base + end))
        else:  # crosses midnight into the next day (Sunday wraps to Monday)
            windows.append(Window(base + start, base + MINUTES_PER_DAY))
            if end:
                following = ((day + 1) % 7) * MINUTES_PER_DAY
                windows.append(Window(following, following + end))
    return merge(windows)


def merge(windows: list[Window] | tuple[Window, ...]) -> tuple[Window, ...]:
    """Sort windows and join those that touch or overlap."""
    merged: list[Window] = []
    for window in sorted(windows):
        if merged and window.start <= merged[-1].end:
            last = merged.pop()
            merged.append(Window(last.start, max(last.end, window.end)))
        else:
            merged.append(window)
    return tuple(merged)


_EARTH = (timezone(timedelta(hours=-12)), timezone(timedelta(hours=14)))
"""The first and last zones where a date begins and ends."""

DEFAULT_WINDOWS: tuple[Window, ...] = parse_windows("Sat 09:00-21:00, Sun 12:00-21:00")
"""Weekend daytime in the member's own zone, for members who have not said."""


@dataclass(frozen=True, slots=True)
class Unavailability:
    """Dates a member cannot meet (inclusive), in the member's own calendar."""

    first: date
    last: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidValue(
                f"ends on {day_said(self.last)} before it starts on {day_said(self.first)}",
                field="unavailable",
                hint="check both dates",
            )

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class Availability:
    """One member's weekly windows and dated unavailability, in their own zone.

    ``zone`` is ``None`` while the member's time zone cannot be read: their windows cannot
    be placed (slot finding leaves them out), and a date is matched against every zone on
    Earth (:meth:`unavailable_anywhere`). ``incomplete`` says why, when one of their
    availability rows could not be read: slot finding leaves them out too.
    """

    member_id: MemberId
    zone: ZoneInfo | None
    windows: tuple[Window, ...] = ()
    unavailable: tuple[Unavailability, ...] = ()
    incomplete: str = ""

    def __post_init__(self) -> None:
        # Touching windows must be joined, or a meeting across the join would not fit.
        object.__setattr__(self, "windows", merge(self.windows))

    def placed_in(self) -> ZoneInfo:
        """The zone the windows are in; raises :class:`InvalidValue` while it is unknown."""
        if self.zone is None:
            raise InvalidValue(
                f"{self.member_id} has no readable time zone",
                field="members",
                hint="leave members whose zone is unknown out of slot finding (Group.schedulable)",
            )
        return self.zone

    def effective_windows(self, default: tuple[Window, ...] = DEFAULT_WINDOWS) -> tuple[Window, ...]:
        return self.windows or default

    def unavailable_on(self, day: date) -> Unavailability | None:
        return next((u for u in self.unavailable if u.covers(day)), None)

    def cannot_make(
        self, start: datetime, length: int, default: tuple[Window, ...] = DEFAULT_WINDOWS
    ) -> str | None:
        """Why the member cannot make a meeting from ``start`` (aware) for ``length`` minutes, in
        words (a date they declared unavailable, with its reason; a time outside their weekly
        windows, in their local time), or ``None`` when they can. While their zone is unknown only
        a date unavailable in every zone on Earth is known to keep them away."""
        if self.zone is None:
            return "unavailable" if self.unavailable_at(start) else None
        local = start.astimezone(self.zone)
        away = self.unavailable_on(local.date())
        if away is not None:
            return f"unavailable ({away.reason})" if away.reason else "unavailable"
        mow = local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute
        if covered(self.effective_windows(default), mow, length):
            return None
        end = hhmm((mow + length) % MINUTES_PER_DAY)
        return f"{local:%a} {local:%H:%M}-{end} local is outside their availability"

    def unavailable_at(self, instant: datetime) -> bool | None:
        """Whether ``instant`` falls on a date the member declared unavailable, in their zone.

        While the zone is unknown, the instant's date in every zone on Earth (UTC-12 to
        UTC+14) is tried: ``True`` or ``False`` when they all agree, ``None`` when they do not.
        """
        if self.zone is not None:
            return self.unavailable_on(instant.astimezone(self.zone).date()) is not None
        found = {self.unavailable_on(instant.astimezone(edge).date()) is not None for edge in _EARTH}
        return found.pop() if len(found) == 1 else None


def covered(windows: tuple[Window, ...], start: int, length: int) -> bool:
    """Whether ``[start, start + length)`` (minutes of the week, may wrap) lies inside one window.

    Touching windows were merged, and a Sunday-night window that runs to 24:00 joins a
    Monday window from 00:00 across the wrap.
    """
    start %= MINUTES_PER_WEEK
    end = start + length
    for window in windows:
        if window.start <= start and end <= window.end:
            return True
        if end > MINUTES_PER_WEEK and window.start <= start and window.end == MINUTES_PER_WEEK:
            rest = end - MINUTES_PER_WEEK
            return any(w.start == 0 and rest <= w.end for w in windows)
    return False
