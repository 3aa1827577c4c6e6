"""What a meeting's minutes Doc says: a pure, structured document the adapters render.

A Doc is made once a meeting has started (or been held) and its Minutes cell on the Meetings tab is
filled; it is saved in its project's Minutes folder (the Meetings row's Project), else the group's
(:data:`braingain.core.drive.folders.MINUTES`). Its :attr:`MinutesDoc.fingerprint` changes with
anything it says, so corrected minutes are saved again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from braingain.core.group import Group
from braingain.core.schedule.meetings import MeetingStatus, Occurrence, Presence
from braingain.core.words import day_said, moment_said


@dataclass(frozen=True, slots=True)
class ActionLine:
    """One action item as the minutes list it: what, who (a name), by when (words, or ``""``)."""

    title: str
    owner: str
    due: str


@dataclass(frozen=True, slots=True)
class MinutesDoc:
    """The minutes of one meeting, ready to render (every text is what a person reads; no email).

    ``meeting_id`` is the meeting's ID (``2027-01-16``); ``folder`` the key of the folder it goes in
    (``P1/minutes`` or ``minutes``); ``title`` the Doc's name; ``when`` the start in the meetings'
    zone, in words; the tuples hold names and lines in the tracker's order."""

    meeting_id: str
    folder: str
    title: str
    group: str
    when: str
    minutes: str
    decisions: tuple[str, ...] = ()
    agenda: tuple[str, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    excused: tuple[str, ...] = ()
    recorded_by: str = ""

    @property
    def fingerprint(self) -> str:
        """Ten hex digits of SHA-256 over everything the Doc says: a new one means saving it again."""
        data = json.dumps(
            [
                self.folder,
                self.title,
                self.group,
                self.when,
                self.minutes,
                self.decisions,
                self.agenda,
                [(a.title, a.owner, a.due) for a in self.actions],
                self.present,
                self.absent,
                self.excused,
                self.recorded_by,
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:10]


def minutes_doc(group: Group, meeting: Occurrence, folder: str) -> MinutesDoc | None:
    """The minutes Doc of ``meeting`` to save in ``folder``, or ``None`` while its record has no
    minutes, or when the meeting was cancelled."""
    record = group.records.get(meeting.id)
    if record is None or not record.minutes.strip() or meeting.status is MeetingStatus.CANCELLED:
        return None
    zone = group.series.slot.zone if group.series is not None else None

    def named(member: str) -> str:
        found = group.members.get(member)  # type: ignore[call-overload]
        return found.name if found is not None else member

    def who(presence: Presence) -> tuple[str, ...]:
        return tuple(sorted(named(m) for m, p in record.attendance.items() if p is presence))

    local = meeting.start.astimezone(zone) if zone is not None else meeting.start
    return MinutesDoc(
        meeting_id=meeting.id,
        folder=folder,
        title=f"Minutes of the meeting of {day_said(local)}",
        group=group.name,
        when=moment_said(meeting.start, zone),
        minutes=record.minutes.strip(),
        decisions=tuple(d for d in record.decisions if d.strip()),
        agenda=tuple(item.title for item in record.agenda),
        actions=tuple(
            ActionLine(a.title, named(a.owner), day_said(a.due) if a.due is not None else "")
            for a in record.actions
        ),
        present=who(Presence.PRESENT),
        absent=who(Presence.ABSENT),
        excused=who(Presence.EXCUSED),
        recorded_by=named(record.recorded_by) if record.recorded_by is not None else "",
    )


def started(meeting: Occurrence, now: datetime) -> bool:
    """Whether ``meeting`` has started by ``now`` (its minutes may be saved)."""
    return meeting.start <= now
