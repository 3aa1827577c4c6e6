"""Match a platform's participants (Zoom's, for one meeting) to the group's members.

Each participant is matched by email first (case-insensitive, against the members' redacted
:class:`~braingain.core.members.Email`), then by name. Names are compared after folding case,
accents and spacing, dropping honorifics ("Dr", "Prof."), anything in brackets ("(she/her)") and
degrees after a comma ("Adaeze Okafor, MD"), and regardless of order ("Okafor, Adaeze" is
"Adaeze Okafor"). A name that fits two members is ambiguous and stays unmatched, as does every
participant whose name fits nobody: the leader sees them listed, by name only (never an email).
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import UTC, datetime, time

from braingain.core.errors import DomainError, InvalidValue, quote
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.members import DEGREE_ALIASES, Degree, Member
from braingain.core.outcomes import AttendanceImport
from braingain.core.parsing import clean_text, normalize_key


@dataclass(frozen=True)
class Attendee:
    """One participant of a meeting as the platform reports it: the name they showed, their email
    (``None`` when the platform did not give one) and how long they stayed, in seconds. A person
    who joined twice appears twice."""

    name: str
    email: str | None
    seconds: int


_HONORIFICS = frozenset(
    {"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev", "revd"}
)
_DEGREES = frozenset(normalize_key(d.value) for d in Degree) | frozenset(
    normalize_key(alias) for alias in DEGREE_ALIASES
)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
UNNAMED = "a participant with no name"
"""How a participant is listed when the platform gave no usable name (an email is never shown)."""


def name_key(text: str) -> tuple[str, ...]:
    """The words a name is compared by, in order-free form: ``"Dr. Okafor, Adaeze (she/her)"``
    and ``"adaeze  OKAFOR"`` both give ``("adaeze", "okafor")``; ``()`` when nothing is left."""
    parts = _BRACKETS.sub(" ", text).split(",")
    # After a comma: degrees ("MD, PhD") go, a given name ("Okafor, Adaeze") stays.
    kept = [parts[0], *(part for part in parts[1:] if normalize_key(part) not in _DEGREES)]
    # A dotless i ("Yıldız") is shown as "I" once upper-cased: fold it to the i it becomes.
    words = normalize_key(" ".join(kept).replace("ı", "i")).split()
    while words and words[0] in _HONORIFICS:
        words.pop(0)
    return tuple(sorted(words))


def _email_key(text: str | None) -> str | None:
    cleaned = (text or "").strip().casefold()
    return cleaned or None


def _shown(name: str) -> str:
    """The name as the leader is shown it: cleaned, and never an email address."""
    cleaned = clean_text(name)
    return cleaned if cleaned and "@" not in cleaned else UNNAMED


def match_attendance(
    group: Group,
    meeting_id: str,
    attendees: Sequence[Attendee],
    *,
    excused: Set[MemberId],
    source: str = "Zoom",
) -> AttendanceImport:
    """Who of the members active on the meeting's day attended ``meeting_id`` (``"2027-01-16"``).

    Present: every active member some attendee matched (once, however often they joined), unless
    excused. Absent: every other active member not in ``excused``. Excused members are in neither:
    what the leader typed for them stands. Unmatched: the names of attendees who match no active
    member, or more than one, each once, in the order they joined.

    Raises :class:`InvalidValue` when ``meeting_id`` names no meeting of the group's series.
    """
    members = _active_on_day(group, meeting_id)
    by_email: dict[str, MemberId] = {}
    by_name: dict[tuple[str, ...], set[MemberId]] = {}
    for person in members:
        if person.email is not None:
            by_email[person.email.address.casefold()] = person.id
        key = name_key(person.name)
        if key:
            by_name.setdefault(key, set()).add(person.id)
    seen: set[MemberId] = set()
    unmatched: dict[str, None] = {}
    for attendee in attendees:
        found = by_email.get(_email_key(attendee.email) or "")
        if found is None:
            fits = by_name.get(name_key(attendee.name), set())
            found = next(iter(fits)) if len(fits) == 1 else None
        if found is None:
            unmatched.setdefault(_shown(attendee.name))
        else:
            seen.add(found)
    active = {person.id for person in members}
    return AttendanceImport(
        meeting_id=meeting_id,
        present=frozenset(seen - excused),
        absent=frozenset(active - seen - excused),
        unmatched=tuple(unmatched),
        source=source,
    )


def _active_on_day(group: Group, meeting_id: str) -> list[Member]:
    """The members active on the day (in the anchor zone) the meeting ``meeting_id`` took place."""
    problem = InvalidValue(
        f"{quote(meeting_id)} is not a meeting of the group",
        field="meeting",
        hint="name a meeting by its ID in the Meetings tab, e.g. 2027-01-16",
    )
    series = group.series
    if series is None:
        raise problem
    try:
        planned = series.planned_of(meeting_id)
    except DomainError:
        raise problem from None
    horizon = datetime.combine(planned, time.max, tzinfo=UTC)
    key = series.meeting_id(planned)
    meeting = next((m for m in group.meetings_by(horizon) if m.id == key), None)
    if meeting is None:
        raise problem
    day = meeting.start.astimezone(series.slot.zone).date()
    return group.active_members(day)
