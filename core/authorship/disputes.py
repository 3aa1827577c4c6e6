"""Disputes: a member questions their points, and a leader resolves it with a note.

A dispute is about one ledger entry or one task's award. It is **open** until a
leader resolves it as **upheld** (the recorded points stand, and the note says why)
or **adjusted** (a dispute-resolution entry corrects the points, and the note says
why). The member may **withdraw** an open dispute. Every step is kept in the trail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import Enum

from braingain.core.authorship.ledger import EntryKind, Ledger, LedgerEntry
from braingain.core.authorship.points import points
from braingain.core.errors import DisputeError, InvalidValue, NotPermitted
from braingain.core.ids import DisputeId, EntryId, MemberId, ProjectId, TaskId, dispute_id
from braingain.core.members import Member
from braingain.core.parsing import clean_text, require_aware
from braingain.core.words import moment_said


class DisputeStatus(Enum):
    OPEN = "open"
    UPHELD = "upheld"
    ADJUSTED = "adjusted"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class DisputeEvent:
    at: datetime
    by: MemberId
    action: str
    note: str


@dataclass(frozen=True, slots=True)
class Dispute:
    id: DisputeId
    member_id: MemberId
    project_id: ProjectId
    entry_id: EntryId | None
    task_id: TaskId | None
    reason: str
    status: DisputeStatus
    trail: tuple[DisputeEvent, ...]
    resolution_entry: EntryId | None = None

    @property
    def raised_at(self) -> datetime:
        return self.trail[0].at

    def _check_open(self) -> None:
        if self.status is not DisputeStatus.OPEN:
            raise DisputeError(
                f"dispute {self.id} is already {self.status.value}",
                field="status",
                hint="raise a new dispute if there is more to discuss",
            )

    def _after_last_step(self, at: datetime, field: str) -> datetime:
        require_aware(at, field)
        last = self.trail[-1].at
        if at < last:
            raise InvalidValue(
                f"{moment_said(at)} is before the dispute's last step, {moment_said(last)}",
                field=field,
                hint="check the date and time",
            )
        return at

    def _resolver(self, by: Member, note: str) -> str:
        self._check_open()
        if not by.is_leader:
            raise NotPermitted(
                f"{by.name} is not a leader", field="resolved by", hint="leaders resolve disputes"
            )
        if by.id == self.member_id:
            raise NotPermitted(
                f"{by.name} raised dispute {self.id} and cannot resolve it",
                field="resolved by",
                hint="another leader must resolve it",
            )
        text = clean_text(note)
        if not text:
            raise InvalidValue(
                "a resolution needs a note", field="note", hint="explain the decision to the member"
            )
        return text

    def uphold(self, *, by: Member, at: datetime, note: str) -> Dispute:
        """The recorded points stand; the note tells the member why."""
        text = self._resolver(by, note)
        event = DisputeEvent(self._after_last_step(at, "resolved at"), by.id, "upheld", text)
        return replace(self, status=DisputeStatus.UPHELD, trail=(*self.trail, event))

    def adjust(
        self, *, ledger: Ledger, amount: Decimal | int | str, by: Member, at: datetime, note: str
    ) -> tuple[Dispute, LedgerEntry]:
        """Correct the points with a dispute-resolution entry, and close the dispute."""
        text = self._resolver(by, note)
        self._after_last_step(at, "resolved at")
        if points(amount) == 0:
            raise InvalidValue(
                "an adjustment of 0 changes nothing",
                field="amount",
                hint="to keep the recorded points, uphold the dispute instead",
            )
        corrects = self.entry_id
        if corrects is None and self.task_id is not None:
            corrects = next(
                (e.id for e in ledger.awards_of(self.task_id) if e.member_id == self.member_id), None
            )
        entry = ledger.adjust(
            id=f"dispute:{self.id}",
            kind=EntryKind.DISPUTE_RESOLUTION,
            member=self.member_id,
            project=self.project_id,
            task=self.task_id,
            corrects=corrects,
            amount=amount,
            reason=f"dispute {self.id}: {text}",
            by=by,
            at=at,
        )
        event = DisputeEvent(require_aware(at, "resolved at"), by.id, f"adjusted by {entry.points}", text)
        resolved = replace(
            self,
            status=DisputeStatus.ADJUSTED,
            trail=(*self.trail, event),
            resolution_entry=entry.id,
        )
        return resolved, entry

    def withdraw(self, *, by: Member, at: datetime, note: str = "") -> Dispute:
        self._check_open()
        if by.id != self.member_id:
            raise NotPermitted(
                f"only {self.member_id} can withdraw dispute {self.id}",
                field="withdrawn by",
                hint="a leader closes a dispute by upholding or adjusting it",
            )
        event = DisputeEvent(self._after_last_step(at, "withdrawn at"), by.id, "withdrawn", clean_text(note))
        return replace(self, status=DisputeStatus.WITHDRAWN, trail=(*self.trail, event))


def raise_dispute(
    *,
    id: str,
    member: Member,
    ledger: Ledger,
    reason: str,
    at: datetime,
    entry: EntryId | None = None,
    task: TaskId | None = None,
    project: ProjectId | None = None,
) -> Dispute:
    """Open a dispute about one of ``member``'s ledger entries or a task's award."""
    text = clean_text(reason)
    if not text:
        raise InvalidValue(
            "a dispute needs a reason", field="reason", hint="say what seems wrong with the points"
        )
    if (entry is None) == (task is None):
        raise InvalidValue("a dispute is about one entry or one task", field="about", hint="name exactly one")
    if entry is not None:
        disputed = ledger.get(entry)
        if disputed.member_id != member.id:
            raise NotPermitted(
                f"entry {entry} is not {member.name}'s",
                field="entry",
                hint="members dispute their own points",
            )
        project_of, task_of = disputed.project_id, disputed.task_id
    else:
        awards = ledger.awards_of(task) if task is not None else []
        if project is not None and awards and awards[0].project_id != project:
            raise InvalidValue(
                f"task {task} belongs to project {awards[0].project_id}, not {project}",
                field="project",
                hint="leave the project out, or name the task's own project",
            )
        if project is None and not awards:
            raise InvalidValue(
                f"task {task} has no award yet, so its project is unknown",
                field="project",
                hint="name the project as well",
            )
        project_of, task_of = (project or awards[0].project_id), task
    event = DisputeEvent(require_aware(at, "raised at"), member.id, "raised", text)
    return Dispute(
        id=dispute_id(id, "dispute id"),
        member_id=member.id,
        project_id=project_of,
        entry_id=entry,
        task_id=task_of,
        reason=text,
        status=DisputeStatus.OPEN,
        trail=(event,),
    )
