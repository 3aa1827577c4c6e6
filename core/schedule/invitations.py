"""Calendar invitations: what each meeting of the series should look like in a member's calendar.

Each meeting has one invitation for life (RFC 5545 / iTIP, RFC 5546). Its ``uid`` comes
from the series, the meeting's ID (its planned date, kept when the meeting moves) and the
group's domain, so a calendar that imported it once updates that entry, never adds a
second one. Its ``sequence`` starts at 0 and rises by one each time anything a member
would see changes: the time, the agenda, the join link, the alarms, a cancellation.

:func:`plan_invitations` compares what the meetings should say now with what was sent
(the ``sent`` memory, one :class:`Sent` per meeting ID, kept by the caller as text) and
returns the invitations that are due: new meetings and changed ones as ``REQUEST``,
cancelled meetings that were sent as ``CANCEL``. Nothing unchanged is due, so a second
run issues nothing. The time is passed in; the result depends on nothing else.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from braingain.core.errors import DomainError, InvalidValue, quote
from braingain.core.group import Group
from braingain.core.parsing import clean_text, require_aware
from braingain.core.schedule.meetings import MeetingSeries, MeetingStatus, Occurrence, meeting_date
from braingain.core.schedule.reminders import ReminderPolicy
from braingain.core.words import day_said

REQUEST = "REQUEST"
CANCEL = "CANCEL"

_DOMAIN = re.compile(
    r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)
_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Invitation:
    """One meeting as a calendar should hold it.

    ``start`` and ``end`` are aware, in the anchor zone ``zone`` (an IANA name, the TZID);
    ``alarms`` are the reminder offsets before the start, longest first (none on a ``CANCEL``);
    ``fingerprint`` is a SHA-256 hex digest of everything a member sees (not ``uid`` or ``sequence``).
    """

    uid: str
    sequence: int
    method: str
    """``REQUEST`` (new or changed) or ``CANCEL``."""
    meeting_id: str
    summary: str
    start: datetime
    end: datetime
    zone: str
    description: str
    url: str | None
    alarms: tuple[timedelta, ...]
    fingerprint: str
    location: str = ""
    """Where to join (the Zoom link, or that it will follow); empty for a group that meets without Zoom."""

    @property
    def cancelled(self) -> bool:
        return self.method == CANCEL


@dataclass(frozen=True, slots=True)
class Sent:
    """What was last sent for one meeting: its sequence, fingerprint and whether it cancelled it."""

    sequence: int
    fingerprint: str
    cancelled: bool

    def to_text(self) -> str:
        """Compact JSON: ``{"cancelled":false,"fingerprint":"…","sequence":2}``."""
        return json.dumps(
            {"cancelled": self.cancelled, "fingerprint": self.fingerprint, "sequence": self.sequence},
            separators=(",", ":"),
            sort_keys=True,
        )

    @classmethod
    def from_text(cls, text: str) -> Sent:
        """Read :meth:`to_text`'s output back. Raises :class:`InvalidValue` (a :class:`DomainError`)
        for text that is not that JSON: a missing or extra key, a negative or non-integer
        sequence, a fingerprint that is not a SHA-256 hex digest, a ``cancelled`` that is not
        true or false."""
        hint = "braingain wrote this memory; delete it to send every invitation again"
        try:
            found: Any = json.loads(text)
        except (ValueError, TypeError):
            raise InvalidValue(f"{quote(text)} is not JSON", field="invitation memory", hint=hint) from None
        if not isinstance(found, dict) or set(found) != {"sequence", "fingerprint", "cancelled"}:
            raise InvalidValue(
                f"{quote(text)} is not what braingain remembers of an invitation",
                field="invitation memory",
                hint=hint,
            )
        sequence, fingerprint, cancelled = found["sequence"], found["fingerprint"], found["cancelled"]
        if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
            raise InvalidValue(
                f"sequence {quote(sequence)} is not a whole number from 0",
                field="invitation memory",
                hint=hint,
            )
        if not isinstance(fingerprint, str) or not _DIGEST.fullmatch(fingerprint):
            raise InvalidValue(
                f"fingerprint {quote(fingerprint)} is not a digest", field="invitation memory", hint=hint
            )
        if not isinstance(cancelled, bool):
            raise InvalidValue(
                f"cancelled {quote(cancelled)} is not true or false", field="invitation memory", hint=hint
            )
        return cls(sequence, fingerprint, cancelled)


@dataclass(frozen=True, slots=True)
class InvitationPlan:
    due: tuple[Invitation, ...]
    """New or changed since last sent, cancellations included, in order of start (then ID)."""
    memory: Mapping[str, Sent]
    """Meeting ID → what has been sent once ``due`` is: the whole memory to keep (meetings
    that are over are dropped)."""


def invitation_uid(series: str, meeting_id: str, domain: str) -> str:
    """The meeting's UID: ``meeting-monthly-2027-01-16@example.org``; a moved meeting keeps it."""
    return f"meeting-{series}-{meeting_id}@{domain}"


def plan_invitations(
    group: Group,
    *,
    now: datetime,
    join_links: Mapping[str, str],
    policy: ReminderPolicy,
    sent: Mapping[str, Sent],
    domain: str,
    horizon: datetime,
    online: bool = True,
) -> InvitationPlan:
    """The invitations due at ``now`` and the memory to keep once they are sent.

    Meetings that start by ``horizon`` and have not ended at ``now`` are invited (``REQUEST``)
    when scheduled or moved, at sequence 0 the first time and one higher than ``sent`` each
    time what a member sees changes. A meeting already sent stays up to date even when it
    has moved beyond ``horizon``. A cancelled meeting that was sent (and not yet cancelled)
    gets a ``CANCEL`` one sequence higher; one never sent gets nothing. So does a sent
    meeting that is no longer in the series at all (its planned date gives its time).

    ``join_links`` maps meeting IDs to their Zoom join links; ``online`` says the group meets on
    Zoom (without it, an invitation promises no link); ``domain`` (e.g. ``example.org``, the
    group's own) ends every UID. Both times must be aware. Raises :class:`InvalidValue` for a
    domain that is not a host name.
    """
    require_aware(now, "now")
    require_aware(horizon, "horizon")
    domain = _checked_domain(domain)
    series = group.series
    if series is None:
        return InvitationPlan((), dict(sent))
    memory: dict[str, Sent] = {}
    due: list[Invitation] = []
    seen: set[str] = set()
    # Every meeting sent is looked for, however far ahead: one beyond a horizon made shorter since
    # is still in the series (kept up to date), never taken for a meeting the series lost.
    for meeting in group.meetings_by(max(now, horizon, _furthest(series, sent))):
        seen.add(meeting.id)
        before = sent.get(meeting.id)
        if meeting.end <= now or (before is None and meeting.start > horizon):
            continue
        wanted = _invitation(group, series, meeting, join_links, policy, domain, online=online)
        _settle(wanted, before, meeting.id, memory, due)
    for ident, before in sorted(sent.items()):
        if ident in seen:
            continue
        gone = _vanished(group, series, ident, policy, domain)
        if gone is not None and gone.end > now:
            _settle(gone, before, ident, memory, due)
    return InvitationPlan(tuple(sorted(due, key=lambda i: (i.start, i.meeting_id))), memory)


def invitation_of(
    group: Group,
    meeting: Occurrence,
    *,
    join_links: Mapping[str, str],
    policy: ReminderPolicy,
    sent: Mapping[str, Sent],
    domain: str,
    online: bool = True,
) -> Invitation | None:
    """The invitation of ``meeting`` as members hold it (the sequence last sent, or 0), to attach to a
    message about it; ``None`` when the group has no series or the meeting is cancelled. The other
    arguments are :func:`plan_invitations`'s."""
    series = group.series
    if series is None or meeting.status is MeetingStatus.CANCELLED:
        return None
    wanted = _invitation(group, series, meeting, join_links, policy, _checked_domain(domain), online=online)
    before = sent.get(meeting.id)
    return replace(wanted, sequence=before.sequence if before is not None else 0)


def _furthest(series: MeetingSeries, sent: Mapping[str, Sent]) -> datetime:
    """The start of the latest planned meeting ``sent`` names (a week on, for one moved later)."""
    latest = series.slot.at(series.first)
    for ident in sent:
        try:
            latest = max(latest, series.slot.at(meeting_date(ident, series.id)))
        except DomainError:
            continue
    return latest + timedelta(weeks=1)


def _settle(
    wanted: Invitation, before: Sent | None, ident: str, memory: dict[str, Sent], due: list[Invitation]
) -> None:
    """Record what is sent for one meeting, adding ``wanted`` to ``due`` when it differs."""
    if wanted.cancelled and (before is None or before.cancelled):
        if before is not None:
            memory[ident] = before  # cancelled once: a later change of its note is not sent again
        return
    if before is not None and before.fingerprint == wanted.fingerprint:
        memory[ident] = before
        return
    sequence = 0 if before is None else before.sequence + 1
    issued = replace(wanted, sequence=sequence)
    due.append(issued)
    memory[ident] = Sent(sequence, issued.fingerprint, issued.cancelled)


def _invitation(
    group: Group,
    series: MeetingSeries,
    meeting: Occurrence,
    join_links: Mapping[str, str],
    policy: ReminderPolicy,
    domain: str,
    *,
    online: bool,
) -> Invitation:
    url = clean_text(join_links.get(meeting.id, "")) or None
    lines: list[str] = []
    if meeting.status is MeetingStatus.CANCELLED:
        lines.append(f"Cancelled: {meeting.note}" if meeting.note else "Cancelled.")
        return _build(group, series, meeting.id, meeting, CANCEL, lines, None, policy, domain)
    if meeting.status is MeetingStatus.MOVED:
        moved = f"Moved from {day_said(meeting.planned)}"
        lines.append(f"{moved}: {meeting.note}" if meeting.note else f"{moved}.")
    record = group.records.get(meeting.id)
    agenda = record.agenda if record is not None else ()
    if agenda:
        lines.append("Agenda:")
        lines.extend(f"- {item.title}" for item in agenda)
    else:
        lines.append("Agenda: none yet; add items on the tracker's Agenda tab before the meeting.")
    if url:
        lines.append(f"Join on Zoom: {url}")
    elif online:
        lines.append("Join: the Zoom link will follow in an update.")
    where = url or ("Zoom (the link will follow)" if online else "")
    return _build(group, series, meeting.id, meeting, REQUEST, lines, url, policy, domain, where)


def _vanished(
    group: Group, series: MeetingSeries, ident: str, policy: ReminderPolicy, domain: str
) -> Invitation | None:
    """The cancellation of a sent meeting the series no longer has, at its planned time."""
    try:
        planned = meeting_date(ident, series.id)
        start = series.slot.at(planned)
    except DomainError:
        return None  # not a date on the slot's weekday: nothing braingain could have sent
    meeting = Occurrence(ident, planned, start, series.slot.length, MeetingStatus.CANCELLED)
    lines = [f"Cancelled: the meeting of {day_said(planned)} is no longer in the series."]
    return _build(group, series, ident, meeting, CANCEL, lines, None, policy, domain)


def _build(
    group: Group,
    series: MeetingSeries,
    ident: str,
    meeting: Occurrence,
    method: str,
    lines: list[str],
    url: str | None,
    policy: ReminderPolicy,
    domain: str,
    location: str = "",
) -> Invitation:
    zone = series.slot.zone
    start, end = meeting.start.astimezone(zone), meeting.end.astimezone(zone)
    summary = f"{group.name} meeting"
    description = "\n".join(lines)
    alarms = policy.ordered if method == REQUEST else ()  # a cancelled meeting reminds nobody
    seen = {
        "method": method,
        "summary": summary,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "zone": zone.key,
        "description": description,
        "url": url,
        "alarms": [a // timedelta(minutes=1) for a in alarms],
    }
    if location:  # (left out when empty, so what was sent before keeps its fingerprint)
        seen["location"] = location
    fingerprint = hashlib.sha256(json.dumps(seen, sort_keys=True).encode()).hexdigest()
    return Invitation(
        invitation_uid(series.id, ident, domain),
        0,
        method,
        ident,
        summary,
        start,
        end,
        zone.key,
        description,
        url,
        alarms,
        fingerprint,
        location,
    )


def _checked_domain(domain: str) -> str:
    cleaned = clean_text(domain).lower()
    if not _DOMAIN.fullmatch(cleaned):
        raise InvalidValue(
            f"{quote(domain)} is not a host name",
            field="invitation domain",
            hint="use the group's own domain, e.g. example.org",
        )
    return cleaned


__all__ = [
    "CANCEL",
    "REQUEST",
    "Invitation",
    "InvitationPlan",
    "Sent",
    "invitation_uid",
    "plan_invitations",
]
