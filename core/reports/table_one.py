"""Table 1 of the case study, computed from the roster: who the group's members are, in counts and
percentages (``braingain report group``).

**Who counts (N).** The members active on the day (:meth:`Member.is_active_on`): joined on or before it,
not left, not marked not active. A member whose dates cannot be read is not counted (it is unknown
whether they belong to the group that day); :class:`~braingain.core.roster.Roster` says how many are
left out, and which active members lead the group.

**Sections.** Gender; degrees attained or in process (BDS, MBBS, PhD, "Master's degree": any master's,
:attr:`Degree.is_masters`, counted once per member, then every other degree held); area of clinical
specialization ("None" for a member without one); country of residence; employment sector. A member
counts once in the gender, specialization and country sections; in the degree and sector sections they
count in each row that applies, so those percentages add up to more than 100% (the section says so).

**Unknowns are counted, never guessed.** A cell that could not be read counts under "Could not be
read"; a gender, degree or sector not given counts under "Not stated". Every active member appears in
every section.

**Percentages** are of N, to one decimal place, rounded half up (:func:`percent`): 1 of 16 is 6.3,
5 of 16 is 31.3, 11 of 16 is 68.8. The paper prints 68.7 for 11 of 16 (68.75) while rounding the other
halves (6.25, 31.25, 81.25) up: braingain follows the one rule throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from braingain.core.members import Degree, Gender, Member, Sector
from braingain.core.parsing import normalize_key
from braingain.core.roster import Roster, roster

NOT_STATED = "Not stated"
UNREADABLE = "Could not be read"
NONE = "None"
MASTERS = "Master's degree"
MULTIPLE_NOTE = "a member may count in several rows, so the percentages add up to more than 100%"

_TENTH = Decimal("0.1")
_GENDER_LABELS = {
    Gender.FEMALE: "Female",
    Gender.MALE: "Male",
    Gender.NON_BINARY: "Non-binary",
    Gender.UNDISCLOSED: "Prefer not to say",
}
_FIRST_DEGREES = ("BDS", "MBBS", "PhD", MASTERS)
"""The degree rows Table 1 always shows, in its order; other degrees follow when someone holds one."""
_FIRST_SECTORS = (Sector.ACADEMIA, Sector.CLINICAL, Sector.GOVERNMENT, Sector.NGO)


def percent(count: int, of: int) -> Decimal:
    """``count`` as a percentage of ``of``, one decimal place, rounded half up (``Decimal("6.3")`` for 1
    of 16). ``of`` must be positive (raises :class:`ZeroDivisionError` otherwise)."""
    if of <= 0:
        raise ZeroDivisionError("a percentage of nobody")
    return (Decimal(count * 100) / Decimal(of)).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a section: ``count`` members, ``percent`` of N (one decimal)."""

    label: str
    count: int
    percent: Decimal


@dataclass(frozen=True, slots=True)
class Section:
    """One section of Table 1. ``multiple``: a member may count in several rows (its percentages may
    add up to more than 100%; :data:`MULTIPLE_NOTE`)."""

    title: str
    rows: tuple[Row, ...]
    multiple: bool = False


@dataclass(frozen=True, slots=True)
class TableOne:
    """Table 1 on ``on``: ``n`` active members and the sections (all empty when ``n`` is 0);
    ``roster`` keeps the group's other counts (members, active, not active, co-leaders)."""

    on: date
    n: int
    sections: tuple[Section, ...]
    roster: Roster

    def section(self, title: str) -> Section:
        """The section called ``title``. Raises :class:`KeyError` when there is none."""
        for found in self.sections:
            if found.title == title:
                return found
        raise KeyError(title)


GENDER = "Gender"
DEGREES = "Degrees attained or in process"
SPECIALIZATION = "Area of clinical specialization"
COUNTRY = "Country of residence"
SECTOR = "Employment sector"


def table_one(members: Iterable[Member], on: date) -> TableOne:
    """Table 1 of the members active on ``on`` (see the module's docstring)."""
    everyone = sorted(members, key=lambda m: m.id)
    counted = roster(everyone, on)
    active = [m for m in everyone if m.is_active_on(on)]
    n = len(active)
    if not n:
        return TableOne(on, 0, (), counted)
    sections = (
        _section(GENDER, active, _genders, always=("Female", "Male")),
        _section(DEGREES, active, _degrees, always=_FIRST_DEGREES, multiple=True),
        _section(SPECIALIZATION, active, _specialization, order=_alphabetical),
        _section(COUNTRY, active, _country, order=_alphabetical),
        _section(SECTOR, active, _sectors, always=tuple(s.value for s in _FIRST_SECTORS), multiple=True),
    )
    return TableOne(on, n, sections, counted)


def _genders(member: Member) -> list[str]:
    if member.gender is not None:
        return [_GENDER_LABELS[member.gender]]
    return [UNREADABLE if "gender" in member.unknown else NOT_STATED]


def _degrees(member: Member) -> list[str]:
    if "degrees" in member.unknown:
        return [UNREADABLE]
    found = [MASTERS if d.is_masters else d.value for d in member.degrees]
    return list(dict.fromkeys(found)) or [NOT_STATED]


def _specialization(member: Member) -> list[str]:
    if "specialization" in member.unknown:
        return [UNREADABLE]
    return [member.specialization or NONE]


def _country(member: Member) -> list[str]:
    if member.country is not None:
        return [member.country.name]
    return [UNREADABLE if "country" in member.unknown else NOT_STATED]


def _sectors(member: Member) -> list[str]:
    if "sectors" in member.unknown:
        return [UNREADABLE]
    return [s.value for s in member.sectors] or [NOT_STATED]


_TRAILING = (NONE, NOT_STATED, UNREADABLE)
"""Rows that always come last, in this order."""
_DEGREE_ORDER = [*_FIRST_DEGREES, *(d.value for d in Degree if not d.is_masters)]
_SECTOR_ORDER = [s.value for s in Sector]


def _alphabetical(label: str) -> tuple[int, str, str]:
    return (0, label.casefold(), label)


def _fixed(order: list[str]) -> Callable[[str], tuple[int, str, str]]:
    def key(label: str) -> tuple[int, str, str]:
        return (order.index(label), "", label) if label in order else (len(order), label.casefold(), label)

    return key


def _section(
    title: str,
    active: list[Member],
    labels: Callable[[Member], list[str]],
    *,
    always: tuple[str, ...] = (),
    order: Callable[[str], tuple[int, str, str]] | None = None,
    multiple: bool = False,
) -> Section:
    """Count each member under every label ``labels`` gives them (spellings of one label that differ
    only in case or spacing count together, under the spelling met first by member id)."""
    counts: dict[str, int] = dict.fromkeys(always, 0)
    spelled: dict[str, str] = {normalize_key(label): label for label in always}
    for member in active:
        for label in dict.fromkeys(labels(member)):
            shown = spelled.setdefault(normalize_key(label), label)
            counts[shown] = counts.get(shown, 0) + 1
    if order is None:
        order = _fixed(
            _DEGREE_ORDER if title == DEGREES else _SECTOR_ORDER if title == SECTOR else list(always)
        )

    def key(label: str) -> tuple[int, tuple[int, str, str]]:
        return (_TRAILING.index(label) + 1 if label in _TRAILING else 0, order(label))

    n = len(active)
    rows = tuple(Row(label, counts[label], percent(counts[label], n)) for label in sorted(counts, key=key))
    return Section(title, rows, multiple)
