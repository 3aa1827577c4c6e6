"""Turning what a person typed into domain values, with errors that say why.

These helpers are shared by every reader of human input (the tracker, the sample
group, configuration), so that "Sat", "saturday" and "SAT" mean the same thing
everywhere and every refusal reads the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar

from braingain.core.errors import InvalidValue, quote

E = TypeVar("E", bound=Enum)

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LIST_SEPARATORS = re.compile(r"[;,\n]")


def normalize_key(text: str) -> str:
    """Fold case, accents, dashes, dots and spacing so that spellings compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = folded.replace("–", "-").replace("—", "-").replace("’", "'")
    folded = re.sub(r"[.\s_/&-]+", " ", folded)
    return folded.strip()


def clean_text(text: str) -> str:
    """Collapse runs of white space, drop control characters, and trim; otherwise kept as typed."""
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


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
    for member in enum_type:
        if key in (normalize_key(str(member.value)), normalize_key(member.name)):
            return member
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


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_decimal(text: str, field: str) -> Decimal:
    """Parse a number such as points or a share; text in a number column is refused.

    Commas are read only as thousands separators ("1,000.5"); a decimal comma ("2,5")
    is refused rather than silently read as 25.
    """
    cleaned = clean_text(text)
    if "," in cleaned:
        if not _THOUSANDS.fullmatch(cleaned):
            raise InvalidValue(
                f"{quote(cleaned)} is not a number",
                field=field,
                hint="use a dot for decimals, e.g. 2.5; commas only between thousands, e.g. 1,000",
            )
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidValue(
            f"{quote(clean_text(text))} is not a number",
            field=field,
            hint="write a number such as 5 or 2.5",
        ) from None
    if not value.is_finite():
        raise InvalidValue(
            f"{quote(cleaned)} is not a finite number", field=field, hint="write a number such as 5 or 2.5"
        )
    return value


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
