"""Turning what a person typed into domain values, with errors that say why.

These helpers are shared by every reader of human input (the tracker, the sample
group, configuration), so that "Sat", "saturday" and "SAT" mean the same thing
everywhere and every refusal reads the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar

from braingain.core.errors import InvalidValue, quote
from braingain.core.memo import remembered

E = TypeVar("E", bound=Enum)

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
"""Characters that show as nothing (soft hyphen, zero-width space, word joiner, byte-order mark):
pasted from web pages and word processors, they would make two cells that look alike differ."""
_JOINERS = re.compile("[\u200c\u200d]")
_LIST_SEPARATORS = re.compile(r"[;,\n]")


@remembered(maxsize=4096)
def normalize_key(text: str) -> str:
    """Fold case, accents, dashes, dots and spacing so that spellings compare equal.

    Memoised: a tracker spells the same few choices thousands of times (a pure function of
    an immutable string, so a remembered key is the key)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = folded.replace("–", "-").replace("—", "-").replace("’", "'")
    folded = re.sub(r"[.\s_/&-]+", " ", folded)
    return folded.strip()


def clean_text(text: str) -> str:
    """Collapse runs of white space (no-break and other Unicode spaces included), drop control and
    invisible characters (zero-width space, word joiner, soft hyphen, byte-order mark), and trim;
    otherwise kept as typed."""
    if text.isascii() and text.isprintable():
        return " ".join(text.split())  # the common case, ten times faster than the patterns below
    return _SPACES.sub(" ", _INVISIBLE.sub("", _CONTROL.sub("", text))).strip()


def header_key(text: str) -> str:
    """What a header (or a tab title) is matched by: its cleaned text, compatibility-normalized
    (NFKC: a full-width letter is its letter) and case-folded, with zero-width joiners dropped.

    ``"Max\u00a0volunteers "``, ``"max volunteers"`` and ``"MAX  VOLUNTEERS"`` share a key;
    ``"Max-volunteers"`` does not (a header is a name, not a spelling to guess at).
    """
    return clean_text(_JOINERS.sub("", unicodedata.normalize("NFKC", text))).casefold()


def require_text(value: str, field: str, *, max_length: int = 500) -> str:
    """Return ``value`` cleaned, refusing an empty or over-long text."""
    cleaned = clean_text(value)
    if not cleaned:
        raise InvalidValue("is empty", field=field, hint="fill it in")
    if len(cleaned) > max_length:
        raise InvalidValue(
            f"is {len(cleaned)} characters long",
            field=field,
            hint=f"keep it to {max_length} characters at most",
        )
    return cleaned


def split_list(text: str) -> list[str]:
    """Split a cell that lists several values ("MBBS; MPH", "Academia, Government")."""
    return [part for part in (clean_text(p) for p in _LIST_SEPARATORS.split(text)) if part]


def parse_enum(
    enum_type: type[E],
    text: str,
    field: str,
    *,
    aliases: Mapping[str, E] | None = None,
) -> E:
    """Match ``text`` to a member of ``enum_type`` by value, name or alias."""
    key = normalize_key(text)
    found: E | None = _enum_keys(enum_type).get(key)
    if found is not None:
        return found
    if aliases:
        for alias, member in aliases.items():
            if key == normalize_key(alias):
                return member
    allowed = ", ".join(repr(str(m.value)) for m in enum_type)
    raise InvalidValue(
        f"{quote(clean_text(text))} is not one of the allowed values",
        field=field,
        hint=f"use one of {allowed}",
    )


@remembered(maxsize=256)
def _enum_keys(enum_type: type[E]) -> Mapping[str, E]:
    """Each member of ``enum_type`` by the key of its value and of its name (the first member wins)."""
    keys: dict[str, E] = {}
    for member in enum_type:
        keys.setdefault(normalize_key(str(member.value)), member)
        keys.setdefault(normalize_key(member.name), member)
    return keys


def parse_enum_list(
    enum_type: type[E],
    text: str,
    field: str,
    *,
    aliases: Mapping[str, E] | None = None,
) -> tuple[E, ...]:
    """Parse a list cell into enum members, keeping order and dropping repeats."""
    seen: dict[E, None] = {}
    for part in split_list(text):
        seen[parse_enum(enum_type, part, field, aliases=aliases)] = None
    return tuple(seen)


def parse_date(text: str, field: str) -> date:
    """Parse an ISO date (2026-03-14); other spellings are refused, not guessed at."""
    cleaned = clean_text(text)
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidValue(
            f"{quote(cleaned)} is not a date",
            field=field,
            hint="write dates as YYYY-MM-DD, for example 2026-03-14",
        ) from None


def parse_datetime(text: str, field: str) -> datetime:
    """Parse an ISO date-time that carries its UTC offset (2026-03-14T10:00+01:00)."""
    cleaned = clean_text(text)
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        raise InvalidValue(
            f"{quote(cleaned)} is not a date and time",
            field=field,
            hint="write YYYY-MM-DDTHH:MM with its offset, e.g. 2026-03-14T10:00+01:00",
        ) from None
    return require_aware(value, field)


def require_aware(value: datetime, field: str) -> datetime:
    """Refuse a date-time without a time zone: it would mean different instants to different members."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(
            "has no time zone",
            field=field,
            hint="give the UTC offset or a zone, e.g. 2026-03-14T10:00+01:00",
        )
    return value


def before(at: datetime, span: timedelta) -> datetime:
    """The moment ``span`` before the aware ``at``, on ``at``'s clock, as RFC 5545 counts a duration
    (section 3.3.6): whole days on the calendar (a week before 14:00 is 14:00, even across a clock
    change), hours and minutes in real time.

    Python subtracts a ``timedelta`` from an aware date-time on the wall clock of its zone, so
    ``03:00 - 1 hour`` on the morning the clocks go forward lands on 02:00, a time that does not exist
    that morning and is read as the meeting itself. Reminders and their calendar alarms count as
    RFC 5545 does, so a reminder and its alarm always agree.
    """
    days = span // timedelta(days=1)
    on_the_calendar = (at - timedelta(days=days)).astimezone(UTC)  # a time in a gap is read forward
    return (on_the_calendar - (span - timedelta(days=days))).astimezone(at.tzinfo)


_TRUE = {"yes", "y", "true", "1", "x", "✓"}
_FALSE = {"no", "n", "false", "0", ""}


def parse_bool(text: str, field: str) -> bool:
    """Parse a yes/no cell; an empty cell means no."""
    key = normalize_key(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise InvalidValue(f"{quote(clean_text(text))} is not yes or no", field=field, hint="write yes or no")


_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*(?:\.\d+)?")
_ONE_GROUP = re.compile(r"[+-]?(?P<whole>[1-9]\d{0,2})(?P<sep>[.,])(?P<part>\d{3})")
_DECIMAL_COMMA = re.compile(r"[+-]?(?:\d{1,3}(?:[. ]\d{3})*|\d*),\d+")
_MINUS = "\u2212"
_NOT_FINITE = frozenset({"nan", "snan", "inf", "infinity"})
_NUMBER_HINT = "write a number such as 5 or 2.5"


def parse_decimal(text: str, field: str, *, places: int | None = None) -> Decimal:
    """Parse a number such as points or a share; text in a number column is refused.

    A number is read only when it means the same in every spreadsheet convention:

    - the decimal point is a dot: ``2.5``, ``0.75``, ``-1.25``, ``1e3``;
    - thousands may be grouped with commas or spaces when that cannot be misread:
      ``12,345.50``, ``1,000,000``, ``12 500`` (a no-break space counts as a space);
    - a single group of three digits after one comma or dot (``1,000``, ``2.500``) could
      be a thousand or a decimal, and is refused with both readings as the hint;
    - a decimal comma (``2,5``, ``0,500``, ``1.234,5``) is refused with the number
      written with a dot as the hint; never read as a bigger number.

    Raises :class:`InvalidValue` (with ``field``) for anything else, and for NaN and infinity.
    ``places``, when the column allows no more decimal places (points: 2), keeps the hints
    to what the column accepts.
    """
    cleaned = clean_text(text).replace(_MINUS, "-")
    if cleaned.lstrip("+-").casefold() in _NOT_FINITE:
        raise InvalidValue(f"{quote(cleaned)} is not a finite number", field=field, hint=_NUMBER_HINT)
    if _PLAIN.fullmatch(cleaned):
        ambiguous = _ONE_GROUP.fullmatch(cleaned)
        if ambiguous:
            raise _either(cleaned, ambiguous, field, places)
        digits = cleaned
    elif _GROUPED.fullmatch(cleaned):
        ambiguous = _ONE_GROUP.fullmatch(cleaned)
        if ambiguous:
            raise _either(cleaned, ambiguous, field, places)
        digits = cleaned.replace(",", "").replace(" ", "")
    elif _DECIMAL_COMMA.fullmatch(cleaned):
        whole, _, part = cleaned.rpartition(",")
        dotted = (whole.replace(".", "").replace(" ", "") or "0") + "." + part
        raise InvalidValue(
            f"{quote(cleaned)} is not a number",
            field=field,
            hint=f"use a dot for decimals, e.g. 2.5: write {dotted}; a comma is never a decimal point",
        )
    else:
        raise InvalidValue(f"{quote(cleaned)} is not a number", field=field, hint=_NUMBER_HINT)
    try:
        return Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the patterns above only let numbers through
        raise InvalidValue(f"{quote(cleaned)} is not a number", field=field, hint=_NUMBER_HINT) from None


def _either(cleaned: str, found: re.Match[str], field: str, places: int | None) -> InvalidValue:
    sign = "-" if cleaned.startswith("-") else ""
    small = f"{sign}{found['whole']}.{found['part']}".rstrip("0").rstrip(".")
    big = f"{sign}{found['whole']}{found['part']}"
    decimals = len(small.partition(".")[2])
    if places is not None and decimals > places:
        # The small reading has more decimal places than the column takes: only the big one fits.
        return InvalidValue(
            f"{quote(cleaned)} could be {small} or {big}",
            field=field,
            hint=f"write {big} (no thousands separator), or a number with at most {places} decimal places",
        )
    # Three decimals would be just as ambiguous: a fourth, a zero, makes the small reading plain.
    written = small + "0" if found["part"][-1] != "0" else small
    return InvalidValue(
        f"{quote(cleaned)} could be {small} or {big}",
        field=field,
        hint=f"write {big} (no thousands separator) or {written} (a dot for decimals)",
    )


def parse_int(text: str, field: str) -> int:
    """Parse a whole number."""
    value = parse_decimal(text, field)
    if value != value.to_integral_value():
        raise InvalidValue(f"{quote(clean_text(text))} is not a whole number", field=field)
    return int(value)


def unique(values: Iterable[str], field: str) -> tuple[str, ...]:
    """Return ``values`` as a tuple, refusing repeats."""
    result: list[str] = []
    for value in values:
        if value in result:
            raise InvalidValue(f"{quote(value)} appears twice", field=field, hint="list it once")
        result.append(value)
    return tuple(result)
