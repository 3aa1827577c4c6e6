"""Reading one cell as a typed value, with the reason when it cannot be read.

A cell arrives as a backend read it (text, number, bool, date or nothing). Each reader
returns the value or raises :class:`InvalidValue` whose message says what is wrong in
words a leader understands; the tracker reader turns that into a Problem that names
the tab, the row and the column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from braingain.core.errors import InvalidValue, quote
from braingain.core.members import time_zone
from braingain.core.memo import remembered
from braingain.core.parsing import clean_text, parse_bool, parse_date, parse_decimal, split_list
from braingain.core.tracker.schema import (
    FORMULA_ERRORS,
    MERGED_HINT,
    PLACEHOLDERS,
    UNCALCULATED,
    UNCALCULATED_HINT,
    Cell,
    Merged,
    Uncalculated,
    as_text,
    formula_error,
    is_blank,
    is_placeholder,
    row_id,
)
from braingain.core.words import day_said

SERIAL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 (a serial number is a wall-clock time, naive)
"""Day 0 of spreadsheet serial dates (Excel's 1900 system, LibreOffice and Google Sheets)."""
EARLIEST = date(1950, 1, 1)
"""No date in a tracker is earlier: an earlier one is a typo (2062 typed as 1962), or a number
such as a year (2026) that, read as a day number, would be 1905-07-18."""
FIRST_SERIAL = (EARLIEST - SERIAL_EPOCH.date()).days
"""The serial number of :data:`EARLIEST`: smaller numbers are numbers, not dates."""
END_SERIAL = 2_958_466
"""10000-01-01: serial numbers from here on are numbers, not dates."""
_DAY_SECONDS = 86_400
UTC_ZONE = ZoneInfo("UTC")
"""UTC as a zone braingain can name in what it writes ("2026-03-14 10:00 UTC")."""


def _check_formula(value: Cell) -> None:
    if value is None or type(value) is int:
        return  # empty, or a number: the common cells that cannot hold a formula's trouble
    if isinstance(value, Uncalculated):
        raise InvalidValue(UNCALCULATED, hint=UNCALCULATED_HINT)
    if isinstance(value, Merged):
        raise InvalidValue(f"is in merged cells ({value.span})", hint=MERGED_HINT)
    if not isinstance(value, str):
        return  # only text shows a formula error or "Loading..."
    first = value[:1]
    if first.isalnum() and first not in "Ll":
        return  # an error starts with "#", "Loading..." with an L (after any spaces)
    error = formula_error(value)
    if error:
        raise InvalidValue(f"holds the formula error {error}", hint="fix the formula or type the value")
    if is_placeholder(value):
        raise InvalidValue(
            "is a formula that is still loading", hint="wait until the sheet shows its value, then sync again"
        )


def text(value: Cell) -> str:
    """The cell as cleaned text (:func:`~braingain.core.parsing.clean_text`); raises
    :class:`InvalidValue` for a formula error, one still loading or one not calculated."""
    if type(value) is str:
        return _typed_text(value)
    _check_formula(value)
    return clean_text(as_text(value))


@remembered(maxsize=1 << 16)
def _typed_text(value: str) -> str:
    """:func:`text` of a string; remembered: a tracker types the same IDs and choices thousands
    of times (a refusal is not remembered: it is raised again)."""
    if value.isascii() and value.isprintable():
        # The common case, without the checks' own cleaning: a formula error ("#N/A") or a
        # "Loading..." cleans to itself up to case, so only those go the long way (and raise).
        cleaned = " ".join(value.split())
        if cleaned.upper() not in FORMULA_ERRORS and cleaned.lower() not in PLACEHOLDERS:
            return cleaned
    _check_formula(value)
    return clean_text(value.strip())


def as_id(value: Cell) -> str:
    """An ID cell as text, whatever it holds (even a formula error), for matching rows."""
    return row_id(value)


def longtext(value: Cell) -> str:
    """A cell of several lines, kept as typed (line breaks included), or ``""``."""
    _check_formula(value)
    return "" if value is None else str(value)


def optional_text(value: Cell) -> str | None:
    found = text(value)
    return found or None


def required_text(value: Cell) -> str:
    found = text(value)
    if not found:
        raise InvalidValue("is empty", hint="fill it in")
    return found


# --- dates and times ---------------------------------------------------------------------------
#
# One rule for both backends. A date or date-time cell may hold:
# - a true date or date-time (the spreadsheet's own), read as it is;
# - a plain number: a spreadsheet serial number (days since 1899-12-30, the fraction is the
#   time of day), what the same cell shows once formatted as a date; this is how Google
#   hands over every date, and how Excel stores one typed into a cell formatted "General";
# - ISO text: 2026-03-14, or 2026-03-14 10:00 optionally followed by a UTC offset (+01:00, Z)
#   and/or an IANA zone (Africa/Lagos).
# A date-time that names neither offset nor zone is a wall-clock time in the zone of the
# member it belongs to (given by the caller).


def serial_moment(serial: float) -> datetime | None:
    """The naive date-time a spreadsheet serial number stands for (to the second), or ``None``
    outside :data:`EARLIEST` .. 9999-12-31, where it is not read as a date."""
    if not math.isfinite(serial) or not FIRST_SERIAL <= serial < END_SERIAL:
        return None
    return SERIAL_EPOCH + timedelta(seconds=round(serial * _DAY_SECONDS))


def to_serial(value: date) -> int | float:
    """The spreadsheet serial number of a date (whole) or naive date-time (with its fraction)."""
    if isinstance(value, datetime):
        delta = value - SERIAL_EPOCH
        serial = delta.days + delta.seconds / _DAY_SECONDS + delta.microseconds / (_DAY_SECONDS * 10**6)
        return int(serial) if serial.is_integer() else serial
    return (value - SERIAL_EPOCH.date()).days


_SERIAL_HINT = "write dates as YYYY-MM-DD, or format the cell as a date to see the date a number stands for"


def _from_number(value: int | float, what: str) -> datetime:
    moment = serial_moment(value)
    if moment is None:
        shown = as_text(value)
        if math.isfinite(value) and 61 <= value < FIRST_SERIAL:
            day = day_said(SERIAL_EPOCH + timedelta(days=value))
            shown = f"{quote(shown)} (as a spreadsheet date, {day})"
        else:
            shown = quote(shown)
        raise InvalidValue(f"{shown} is not {what}", hint=_SERIAL_HINT)
    return moment


def _plausible(day: date) -> None:
    if day < EARLIEST:
        raise InvalidValue(
            f"{day.isoformat()} is before {EARLIEST.year}", hint="check the year; write dates as YYYY-MM-DD"
        )


def date_value(value: Cell) -> date | None:
    """A date: a date cell, a serial number, or ISO text (2026-03-14); a time of day is refused."""
    _check_formula(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(f"{quote(as_text(value))} is not a date", hint="write dates as YYYY-MM-DD")
    if isinstance(value, int | float):
        value = _from_number(value, "a date")
    if isinstance(value, datetime):
        if value.time() != time(0):
            shown = value.isoformat(sep=" ", timespec="minutes")
            raise InvalidValue(f"{shown} has a time", hint="give only the date, YYYY-MM-DD")
        value = value.date()
    day = value if isinstance(value, date) else parse_date(str(value), "date")
    _plausible(day)
    return day


_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*")
"""A zone name in a date-time's text."""
_MOMENT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?)?"
    r"(?:\s*(?P<offset>Z|[+-]\d{2}(?::?\d{2})?))?"
    rf"(?:\s+\(?(?P<zone>{_ZONE_NAME.pattern})\)?)?",
)
_MOMENT_HINT = (
    "write YYYY-MM-DD HH:MM, optionally with its offset or zone: 2026-03-14 10:00 +01:00 or "
    "2026-03-14 10:00 Africa/Lagos"
)


def datetime_value(value: Cell, zone: ZoneInfo) -> datetime | None:
    """A date-time (an aware ``datetime``), from a date-time cell, a serial number, or ISO text.

    Text may carry its own UTC offset (``+01:00``, ``Z``) and/or IANA zone
    (``2026-03-14 10:00 Africa/Lagos``, the form braingain writes). A date-time that gives
    neither (text, or a spreadsheet's own date-time, which has no zone) is the wall-clock
    time in ``zone``; a time the clocks skip there, or one they pass twice, is refused with
    the offsets to choose from. Raises :class:`InvalidValue` with the form to use.
    """
    _check_formula(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(f"{quote(as_text(value))} is not a date and time", hint=_MOMENT_HINT)
    if isinstance(value, int | float):
        value = _from_number(value, "a date and time")
    if type(value) is str and (written := _written_moment(value)) is not None:
        return written  # the form braingain writes, read by its parts: no other form reads it differently
    if isinstance(value, datetime):
        found = value if value.tzinfo is not None and value.utcoffset() is not None else _local(value, zone)
    elif isinstance(value, date):
        found = _local(datetime.combine(value, time(0)), zone)
    else:
        found = _parse_moment(str(value), zone)
    _plausible(found.date())
    return found


def gives_zone(value: Cell) -> bool:
    """Whether a date-time cell says by itself which instant it is (an offset or a zone in its text)."""
    if isinstance(value, datetime):
        return value.tzinfo is not None
    if not isinstance(value, str):
        return False
    found = _MOMENT.fullmatch(clean_text(value))
    return found is not None and bool(found["offset"] or found["zone"])


def _written_moment(typed: str) -> datetime | None:
    """A date-time in exactly the form :func:`moment_text` writes ("2026-03-14 10:00 Africa/Lagos"),
    from its parts, each remembered (a tracker repeats its days, times and zones on row after row
    while the date-times themselves differ); ``None`` for any other text, which
    :func:`_parse_moment` reads (and refuses) as usual. Either way the same text reads the same."""
    parts = typed.split(" ")
    if len(parts) != 3:
        return None
    day, clock, zone = _written_day(parts[0]), _written_clock(parts[1]), _written_zone(parts[2])
    if day is None or clock is None or zone is None:
        return None
    try:
        return _local(datetime.combine(day, clock), zone)
    except InvalidValue:
        return None  # the clocks skip it or pass it twice there: the long way says which


@remembered(maxsize=4096)
def _written_day(text: str) -> date | None:
    """``YYYY-MM-DD`` (ASCII digits) as a date no earlier than :data:`EARLIEST`, else ``None``."""
    if len(text) != 10 or not text.isascii() or text[4] != "-" or text[7] != "-":
        return None
    if not (text[:4] + text[5:7] + text[8:]).isdigit():
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if day >= EARLIEST else None


@remembered(maxsize=2048)
def _written_clock(text: str) -> time | None:
    """``HH:MM`` (ASCII digits) as a time of day, else ``None``."""
    if len(text) != 5 or not text.isascii() or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        return None
    hour, minute = int(text[:2]), int(text[3:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


@remembered(maxsize=512)
def _written_zone(text: str) -> ZoneInfo | None:
    """An IANA zone name as :func:`_parse_moment` reads one (never the offset ``Z``), else ``None``."""
    if text == "Z" or not text.isascii() or _ZONE_NAME.fullmatch(text) is None:
        return None
    try:
        return _named_zone(text)
    except InvalidValue:
        return None


@remembered(maxsize=1024)
def _parse_moment(typed: str, default: ZoneInfo) -> datetime:
    """Remembered (a pure function; a refusal is raised again, never remembered): the award rows
    of one task, say, all give the moment it was accepted."""
    cleaned = clean_text(typed)
    found = _MOMENT.fullmatch(cleaned)
    if found is None:
        raise InvalidValue(f"{quote(cleaned)} is not a date and time", hint=_MOMENT_HINT)
    try:
        day = date.fromisoformat(found["date"])
        clock = time(
            int(found["hour"] or 0),
            int(found["minute"] or 0),
            int(found["second"] or 0),
            int((found["fraction"] or "0").ljust(6, "0")),
        )
    except ValueError:
        raise InvalidValue(f"{quote(cleaned)} is not a date and time", hint=_MOMENT_HINT) from None
    wall = datetime.combine(day, clock)
    offset = _offset(found["offset"]) if found["offset"] else None
    if found["zone"]:
        named = _named_zone(found["zone"])
        if offset is None:
            return _local(wall, named)
        for fold in (0, 1):
            candidate = wall.replace(tzinfo=named, fold=fold)
            if candidate.utcoffset() == offset:
                if candidate.replace(fold=1 - fold).utcoffset() == offset:
                    return candidate
                # A time the clocks pass twice: the instant at its offset, which compares equal to
                # the same instant in any zone (one in the zone's fold never does, PEP 495).
                return wall.replace(tzinfo=timezone(offset))
        raise InvalidValue(
            f"{quote(cleaned)}: {named.key} is not at {_offset_text(offset)} then",
            hint=f"give the offset {named.key} has on that date, or leave the offset out",
        )
    if offset is not None:
        return wall.replace(tzinfo=timezone(offset))
    return _local(wall, default)


@remembered(maxsize=512)
def _named_zone(name: str) -> ZoneInfo:
    """The IANA zone a date-time names (a tracker names a few zones, thousands of times)."""
    return time_zone(name, "date and time")


def _offset(text: str) -> timedelta:
    if text == "Z":
        return timedelta(0)
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise InvalidValue(
            f"{quote(text)} is not a UTC offset", hint="write the offset as +HH:MM, e.g. +01:00"
        )
    sign = -1 if text.startswith("-") else 1
    return sign * timedelta(hours=hours, minutes=minutes)


def _offset_text(offset: timedelta) -> str:
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _local(wall: datetime, zone: ZoneInfo) -> datetime:
    """The wall-clock time ``wall`` (naive) in ``zone``; refused where the clocks skip it or pass it twice."""
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first  # the clocks neither skip nor repeat it: the common case
    wall = wall.replace(tzinfo=None)
    shown = wall.isoformat(sep=" ", timespec="minutes")
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        raise InvalidValue(
            f"{shown} does not exist in {zone.key} (the clocks skip it)",
            hint=f"give the time the clocks showed, or its offset: {shown} {_offset_text(_utcoffset(first))}",
        )
    options = " or ".join(f"{shown} {_offset_text(_utcoffset(c))}" for c in (first, second))
    raise InvalidValue(
        f"{shown} happens twice in {zone.key} (the clocks go back)", hint=f"say which: write {options}"
    )


def _utcoffset(moment: datetime) -> timedelta:
    found = moment.utcoffset()
    assert found is not None  # an aware datetime in a ZoneInfo always has one
    return found


def moment_text(at: datetime, zone: ZoneInfo) -> str:
    """``at`` as braingain writes a date-time into the tracker: the wall-clock time in ``zone`` to
    the minute, then the zone (``2026-03-14 10:00 Africa/Lagos``); where that wall-clock time
    happens twice, its offset goes before the zone. :func:`datetime_value` reads it back as the
    same instant (to the minute), so writing it again changes nothing."""
    local = at.astimezone(zone).replace(second=0, microsecond=0)
    shown = local.strftime("%Y-%m-%d %H:%M")
    naive = local.replace(tzinfo=None)
    if naive.replace(tzinfo=zone, fold=0).utcoffset() != naive.replace(tzinfo=zone, fold=1).utcoffset():
        shown += " " + _offset_text(_utcoffset(local))
    return f"{shown} {zone.key}"


# --- numbers and the rest ----------------------------------------------------------------------


def number(value: Cell, places: int | None = None) -> Decimal | None:
    """A number cell; ``places`` is how many decimal places the column takes (for the hints)."""
    _check_formula(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise InvalidValue(f"{quote(as_text(value))} is not a number", hint="write a number such as 5 or 2.5")
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, date):
        raise InvalidValue(f"{value.isoformat()} is a date, not a number", hint="write a number such as 5")
    return parse_decimal(str(value), "number", places=places)


def points_value(value: Cell) -> Decimal | None:
    """A number of points: hints never suggest more than the two decimal places points have."""
    return number(value, places=2)


def integer(value: Cell) -> int | None:
    try:
        found = number(value, places=0)
    except InvalidValue as refused:
        if not refused.hint.startswith("write a number such as"):  # one that fits ("write 2.0") stays
            raise
        raise InvalidValue(refused.reason, hint="write a whole number such as 3") from None
    if found is None:
        return None
    if found != found.to_integral_value():
        raise InvalidValue(
            f"{quote(as_text(value))} is not a whole number", hint="write a whole number such as 3"
        )
    return int(found)


def boolean(value: Cell, default: bool = False) -> bool:
    _check_formula(value)
    if is_blank(value):
        return default
    if isinstance(value, bool):
        return value
    return parse_bool(as_text(value), "yes/no")


def items(value: Cell) -> list[str]:
    """A list cell: values separated by semicolons, commas or new lines."""
    _check_formula(value)
    return split_list(as_text(value))


def decimal_cell(amount: Decimal) -> float | int:
    """Points as a number a spreadsheet shows as typed: 3 stays 3, 3.5 stays 3.5."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


T = TypeVar("T")

_REMEMBERED_CELLS = (str, int, type(None))
"""The cells whose reading may be remembered: text, whole numbers and empty cells, which are
equal only when they are the same (``1.0``, ``True`` and a ``Decimal`` are read each time)."""


def remembered_reader(read: Callable[[Cell], T], maxsize: int = 4096) -> Callable[[Cell], T]:
    """``read``, a cell reader (a pure function of the cell, with an immutable result), with
    what it makes of text, whole numbers and empty cells remembered (:mod:`~braingain.core.memo`):
    a tracker types the same choices, IDs, points and dates on row after row. A refusal is
    raised afresh each time; other cells are read each time. Make it once (at import), not
    once per row: each one is a cache of its own."""
    typed = remembered(maxsize)(read)

    def reader(value: Cell) -> T:
        return typed(value) if type(value) in _REMEMBERED_CELLS else read(value)

    return reader
