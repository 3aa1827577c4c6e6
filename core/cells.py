"""Reading one cell as a typed value, with the reason when it cannot be read.

A cell arrives as a backend read it (text, number, bool, date or nothing). Each reader
returns the value or raises :class:`InvalidValue` whose message says what is wrong in
words a leader understands; the tracker reader turns that into a Problem that names
the tab, the row and the column.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from braingain.core.errors import InvalidValue, quote
from braingain.core.parsing import clean_text, parse_bool, parse_date, parse_decimal, parse_int, split_list
from braingain.core.tracker import (
    UNCALCULATED,
    UNCALCULATED_HINT,
    Cell,
    Uncalculated,
    as_text,
    formula_error,
    is_blank,
)


def _check_formula(value: Cell) -> None:
    if isinstance(value, Uncalculated):
        raise InvalidValue(UNCALCULATED, hint=UNCALCULATED_HINT)
    error = formula_error(value)
    if error:
        raise InvalidValue(f"holds the formula error {error}", hint="fix the formula or type the value")


def text(value: Cell) -> str:
    _check_formula(value)
    return clean_text(as_text(value))


def as_id(value: Cell) -> str:
    """An ID cell as text, whatever it holds (even a formula error), for matching rows."""
    return clean_text(as_text(value))


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


def date_value(value: Cell) -> date | None:
    _check_formula(value)
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise InvalidValue(f"{value.isoformat()} has a time", hint="give only the date, YYYY-MM-DD")
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):  # bool is an int too
        raise InvalidValue(f"{quote(as_text(value))} is not a date", hint="write dates as YYYY-MM-DD")
    return parse_date(str(value), "date")


def datetime_value(value: Cell, zone: ZoneInfo | None = None) -> datetime | None:
    """A date-time; one without an offset is read in ``zone`` (default UTC)."""
    _check_formula(value)
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time(0))
    elif isinstance(value, str):
        cleaned = clean_text(value).replace(" ", "T", 1) if "T" not in value else clean_text(value)
        try:
            found = datetime.fromisoformat(cleaned)
        except ValueError:
            raise InvalidValue(
                f"{quote(clean_text(value))} is not a date and time",
                hint="write YYYY-MM-DD HH:MM, optionally with its offset (+01:00)",
            ) from None
    else:
        raise InvalidValue(f"{quote(as_text(value))} is not a date and time", hint="write YYYY-MM-DD HH:MM")
    if found.tzinfo is None:
        found = found.replace(tzinfo=zone or UTC)
    return found


def number(value: Cell) -> Decimal | None:
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
    return parse_decimal(str(value), "number")


def integer(value: Cell) -> int | None:
    found = number(value)
    if found is None:
        return None
    return parse_int(str(found), "number")


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
