"""Who the group is, in counts: the group report (``braingain report group``).

Pure counting over the members, as the tracker holds them on a given day. Gender is optional:
a member who did not state it is counted as "not stated" (never guessed, never left out of the
total); one whose cell could not be read, as "could not be read".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from braingain.core.ids import MemberId
from braingain.core.members import Gender, Member

NOT_STATED = "not stated"
UNREADABLE = "could not be read"
_GENDER_ORDER = [g.value for g in Gender]


@dataclass(frozen=True, slots=True)
class Roster:
    """The group's members on ``on``, counted. ``by_gender`` and ``by_country`` count the active
    members, as ``(label, count)`` pairs, largest first (genders in a fixed order, then "not stated");
    ``co_leaders`` are the active leaders' ids, by name; ``inactive`` counts the members who have
    left, are marked not active, have not joined yet, or whose dates cannot be read."""

    on: date
    members: int
    active: int
    inactive: int
    by_gender: tuple[tuple[str, int], ...]
    by_country: tuple[tuple[str, int], ...]
    co_leaders: tuple[MemberId, ...]


def _gender(member: Member) -> str:
    if member.gender is not None:
        return member.gender.value
    return UNREADABLE if "gender" in member.unknown else NOT_STATED


def _country(member: Member) -> str:
    if member.country is not None:
        return member.country.name
    return UNREADABLE if "country" in member.unknown else NOT_STATED


def roster(members: Iterable[Member], on: date) -> Roster:
    """Count ``members`` as they stand on ``on`` (see :class:`Roster`)."""
    everyone = sorted(members, key=lambda m: m.id)
    active = [m for m in everyone if m.is_active_on(on)]
    genders = Counter(_gender(m) for m in active)
    gender_order = [*_GENDER_ORDER, NOT_STATED, UNREADABLE]
    countries = Counter(_country(m) for m in active)
    return Roster(
        on=on,
        members=len(everyone),
        active=len(active),
        inactive=len(everyone) - len(active),
        by_gender=tuple((g, genders[g]) for g in gender_order if genders[g]),
        by_country=tuple(
            sorted(
                countries.items(), key=lambda item: (item[0] in (NOT_STATED, UNREADABLE), -item[1], item[0])
            )
        ),
        co_leaders=tuple(
            m.id
            for m in sorted(active, key=lambda m: (m.surname.casefold(), m.given_names.casefold(), m.id))
            if m.is_leader
        ),
    )
