"""Tasks of the task-sharing document and the lifecycle a task moves through.

::

    draft ──open──▶ open ──assign──▶ assigned ──start──▶ in progress ──submit──▶ submitted
                                                              ▲                   │    │
                                                              └──── needs rework ◀┘    └──▶ accepted
    cancelled: from any status that is not accepted or cancelled (leaders only)

Leaders open, assign, accept, ask for rework and cancel; the task's mini-team head
starts, submits and resumes after rework (a leader may also start and resume).
A task cannot open without acceptance criteria, and a leader may not accept work
they contributed to: another leader reviews it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.points import points, split
from braingain.core.errors import (
    CapacityExceeded,
    Checks,
    InvalidValue,
    NotPermitted,
    TransitionNotAllowed,
    quote,
)
from braingain.core.ids import MemberId, ProjectId, TaskId, task_id
from braingain.core.members import Member
from braingain.core.memo import remembered
from braingain.core.parsing import clean_text, require_aware, require_text
from braingain.core.projects import Project
from braingain.core.words import day_said, moment_said


class TaskStatus(Enum):
    DRAFT = "draft"
    OPEN = "open"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in progress"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    NEEDS_REWORK = "needs rework"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (TaskStatus.ACCEPTED, TaskStatus.CANCELLED)

    @property
    def is_active(self) -> bool:
        """Work a contributor is carrying: counts against their limit of open tasks."""
        return self in _ACTIVE


_ACTIVE = frozenset(
    {TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, TaskStatus.NEEDS_REWORK}
)


class Icmje(Enum):
    """Which ICMJE criterion a task's work evidences, if any."""

    DESIGN_ACQUISITION_ANALYSIS = "1"
    DRAFTING_OR_REVISION = "2"
    NONE = "none"

    @property
    def label(self) -> str:
        return ICMJE_LABELS.get(self, "no ICMJE criterion")


ICMJE_LABELS = {
    Icmje.DESIGN_ACQUISITION_ANALYSIS: "criterion 1: design, acquisition, analysis or interpretation",
    Icmje.DRAFTING_OR_REVISION: "criterion 2: drafting or critical revision",
}


class Actor(Enum):
    """Who may make a transition."""

    LEADER = "a leader"
    HEAD = "the task's mini-team head"


S = TaskStatus
TRANSITIONS: dict[tuple[TaskStatus, TaskStatus], frozenset[Actor]] = {
    (S.DRAFT, S.OPEN): frozenset({Actor.LEADER}),
    (S.OPEN, S.ASSIGNED): frozenset({Actor.LEADER}),
    (S.ASSIGNED, S.IN_PROGRESS): frozenset({Actor.HEAD, Actor.LEADER}),
    (S.IN_PROGRESS, S.SUBMITTED): frozenset({Actor.HEAD}),
    (S.SUBMITTED, S.ACCEPTED): frozenset({Actor.LEADER}),
    (S.SUBMITTED, S.NEEDS_REWORK): frozenset({Actor.LEADER}),
    (S.NEEDS_REWORK, S.IN_PROGRESS): frozenset({Actor.HEAD, Actor.LEADER}),
    **{(s, S.CANCELLED): frozenset({Actor.LEADER}) for s in S if not s.is_final},
}


def allowed_from(status: TaskStatus) -> list[tuple[TaskStatus, frozenset[Actor]]]:
    """The statuses a task can move to from ``status``, with who may move it."""
    return [(to, who) for (frm, to), who in TRANSITIONS.items() if frm is status]


def _describe(actors: frozenset[Actor]) -> str:
    return " or ".join(a.value for a in sorted(actors, key=lambda a: a.name))


@dataclass(frozen=True, slots=True)
class TaskEvent:
    """One step in a task's history."""

    at: datetime
    by: MemberId
    from_status: TaskStatus
    to_status: TaskStatus
    note: str = ""


@remembered(maxsize=4096)
def _split_points(
    total: Decimal, contributors: tuple[MemberId, ...], shares: tuple[tuple[MemberId, Decimal], ...]
) -> dict[MemberId, Decimal]:
    """:meth:`Task.split_points`, remembered (a pure function of immutable values; a refusal is
    not remembered, so it is raised again): the reader checks every award row of a task against
    the task's split, and the plan splits it again for the points tables."""
    return split(total, dict(shares)) if shares else split(total, list(contributors))


def deadline_instant(due: date) -> datetime:
    """The last instant of ``due`` anywhere on Earth (UTC-12): no member is late early."""
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=timezone(timedelta(hours=-12)))


@dataclass(frozen=True, slots=True)
class Task:
    """A task with what it must deliver, how it will be judged, and what it is worth."""

    id: TaskId
    project_id: ProjectId
    stage: str
    title: str
    deliverable: str
    acceptance_criteria: str
    points: Decimal
    credit_role: CreditRole
    icmje: Icmje
    supervisor: MemberId
    max_volunteers: int | None = None
    head: MemberId | None = None
    start: date | None = None
    due: date | None = None
    status: TaskStatus = TaskStatus.DRAFT
    contributors: tuple[MemberId, ...] = ()
    shares: tuple[tuple[MemberId, Decimal], ...] = ()
    history: tuple[TaskEvent, ...] = ()

    @classmethod
    def create(
        cls,
        *,
        id: str,
        project: Project,
        stage: str,
        title: str,
        deliverable: str,
        acceptance_criteria: str = "",
        points_worth: Decimal | int | str,
        credit_role: CreditRole,
        icmje: Icmje,
        supervisor: Member,
        max_volunteers: int | None = None,
        start: date | None = None,
        due: date | None = None,
    ) -> Task:
        """Create a draft task of ``project``; the supervisor must be a leader.

        Every value is checked: :class:`~braingain.core.errors.Refusals` carries all the
        refusals when more than one fails (each names its field).
        """
        checks = Checks()
        with checks:
            ident = task_id(id, "task id")
        with checks:
            project.stage(stage)
        if not supervisor.is_leader:
            with checks:
                raise NotPermitted(
                    f"{supervisor.name} is not a leader",
                    field="supervisor",
                    hint="tasks are supervised by one of the group's leaders",
                )
        worth = Decimal(0)
        with checks:
            worth = points(points_worth)
            if worth <= 0:
                raise InvalidValue(
                    f"{quote(worth)} is not more than zero", field="points", hint="give the task some points"
                )
        if max_volunteers is not None and max_volunteers < 1:
            with checks:
                raise InvalidValue(
                    f"{quote(max_volunteers)} volunteers is too few",
                    field="max volunteers",
                    hint="use 1 or more, or leave empty",
                )
        if start and due and due < start:
            with checks:
                raise InvalidValue(
                    f"is {day_said(due)}, before the start on {day_said(start)}",
                    field="due",
                    hint="check both dates",
                )
        with checks:
            title = require_text(title, "title", max_length=200)
        with checks:
            deliverable = require_text(deliverable, "deliverable", max_length=1000)
        checks.done()
        return cls(
            id=ident,
            project_id=project.id,
            stage=stage,
            title=title,
            deliverable=deliverable,
            acceptance_criteria=clean_text(acceptance_criteria),
            points=worth,
            credit_role=credit_role,
            icmje=icmje,
            supervisor=supervisor.id,
            max_volunteers=max_volunteers,
            start=start,
            due=due,
        )

    def resumed(
        self,
        *,
        status: TaskStatus,
        history: tuple[TaskEvent, ...],
        contributors: tuple[MemberId, ...],
        head: MemberId | None,
        shares: tuple[tuple[MemberId, Decimal], ...],
    ) -> Task:
        """This task where its lifecycle stood when last synced (status, history, team, shares):
        each step was checked when it was taken. The same as :func:`dataclasses.replace`, made
        directly (a tracker resumes ten thousand tasks on every sync)."""
        return Task(
            self.id,
            self.project_id,
            self.stage,
            self.title,
            self.deliverable,
            self.acceptance_criteria,
            self.points,
            self.credit_role,
            self.icmje,
            self.supervisor,
            self.max_volunteers,
            head,
            self.start,
            self.due,
            status,
            contributors,
            shares,
            history,
        )

    # --- derived facts ---------------------------------------------------------------

    def _first(self, status: TaskStatus) -> TaskEvent | None:
        return next((e for e in self.history if e.to_status is status), None)

    @property
    def opened_at(self) -> datetime | None:
        """When the task was opened for volunteers (``None`` while it never was)."""
        event = self._first(TaskStatus.OPEN)
        return event.at if event else None

    @property
    def assigned_at(self) -> datetime | None:
        """When its volunteers were chosen (``None`` while they are not)."""
        event = self._first(TaskStatus.ASSIGNED)
        return event.at if event else None

    @property
    def submissions(self) -> tuple[datetime, ...]:
        """When the work was submitted, each time (a resubmission after rework is another)."""
        return tuple(e.at for e in self.history if e.to_status is TaskStatus.SUBMITTED)

    @property
    def submitted_at(self) -> datetime | None:
        """When the work was first submitted."""
        event = self._first(TaskStatus.SUBMITTED)
        return event.at if event else None

    @property
    def accepted_at(self) -> datetime | None:
        event = self._first(TaskStatus.ACCEPTED)
        return event.at if event else None

    @property
    def rework_count(self) -> int:
        return sum(1 for e in self.history if e.to_status is TaskStatus.NEEDS_REWORK)

    @property
    def was_reviewed(self) -> bool:
        """A leader has judged a submission (accepted it or asked for rework)."""
        return self.status is TaskStatus.ACCEPTED or self.rework_count > 0

    @property
    def accepted_first_time(self) -> bool:
        return self.status is TaskStatus.ACCEPTED and self.rework_count == 0

    @property
    def delivered_on_time(self) -> bool | None:
        """Whether the first submission came by the due date (``None`` if that cannot be said yet)."""
        if self.due is None or self.submitted_at is None:
            return None
        return self.submitted_at < deadline_instant(self.due)

    def overdue_on(self, now: datetime) -> bool:
        """Due and still not submitted (or back for rework) at ``now``."""
        require_aware(now, "now")
        if self.due is None or self.status.is_final or self.status is TaskStatus.SUBMITTED:
            return False
        return now >= deadline_instant(self.due)

    def split_points(self) -> dict[MemberId, Decimal]:
        """Each contributor's part of the task's points: equal, or by the leader's shares."""
        return dict(_split_points(self.points, self.contributors, self.shares))

    # --- the lifecycle ---------------------------------------------------------------

    def _actors(self, member: Member) -> set[Actor]:
        actors = set()
        if member.is_leader:
            actors.add(Actor.LEADER)
        if self.head is not None and member.id == self.head:
            actors.add(Actor.HEAD)
        return actors

    def check_transition(self, to: TaskStatus, by: Member) -> None:
        """Raise if ``by`` may not move this task to ``to``; say what is allowed instead."""
        allowed = TRANSITIONS.get((self.status, to))
        if allowed is None:
            options = allowed_from(self.status)
            listed = "; ".join(f"'{s.value}' by {_describe(who)}" for s, who in options)
            raise TransitionNotAllowed(
                f"task {self.id} cannot go from '{self.status.value}' to '{to.value}'",
                field="status",
                hint=f"from '{self.status.value}' it can go to {listed}"
                if options
                else f"'{self.status.value}' is final",
            )
        if not allowed & self._actors(by):
            raise NotPermitted(
                f"{by.name} may not move task {self.id} from '{self.status.value}' to '{to.value}'",
                field="status",
                hint=f"only {_describe(allowed)} may do that",
            )

    def _moved(self, to: TaskStatus, by: Member, at: datetime, note: str, **changes: object) -> Task:
        self.check_transition(to, by)
        require_aware(at, "time")
        if self.history and at < self.history[-1].at:
            raise InvalidValue(
                f"{moment_said(at)} is before the task's last change, {moment_said(self.history[-1].at)}",
                field="time",
            )
        event = TaskEvent(at=at, by=by.id, from_status=self.status, to_status=to, note=clean_text(note))
        return replace(self, status=to, history=(*self.history, event), **changes)  # type: ignore[arg-type]

    def open(self, *, by: Member, at: datetime) -> Task:
        """Publish the task for volunteers. It must say up front how the work will be judged."""
        if not self.acceptance_criteria:
            raise InvalidValue(
                f"task {self.id} has no acceptance criteria",
                field="acceptance criteria",
                hint="write what the work must meet to be accepted before opening the task",
            )
        return self._moved(TaskStatus.OPEN, by, at, "")

    def assign(
        self,
        contributors: Sequence[MemberId],
        *,
        head: MemberId,
        by: Member,
        at: datetime,
        note: str = "",
    ) -> Task:
        """Assign the chosen volunteers and their mini-team head. The cap is never exceeded."""
        team = tuple(dict.fromkeys(contributors))
        if not team:
            raise InvalidValue(
                "no contributors given", field="contributors", hint="choose at least one volunteer"
            )
        if self.max_volunteers is not None and len(team) > self.max_volunteers:
            raise CapacityExceeded(
                f"task {self.id} takes at most {self.max_volunteers} volunteers, not {len(team)}",
                field="contributors",
                hint="choose fewer volunteers, or raise the task's maximum",
            )
        if head not in team:
            raise InvalidValue(
                f"the head {head} is not one of the task's contributors",
                field="head",
                hint="the mini-team head must be one of the assigned volunteers",
            )
        return self._moved(TaskStatus.ASSIGNED, by, at, note, contributors=team, head=head)

    def start_work(self, *, by: Member, at: datetime) -> Task:
        return self._moved(TaskStatus.IN_PROGRESS, by, at, "")

    def submit(self, *, by: Member, at: datetime, note: str = "") -> Task:
        return self._moved(TaskStatus.SUBMITTED, by, at, note)

    def accept(self, *, by: Member, at: datetime, note: str = "") -> Task:
        """Accept the submitted work against its criteria; a leader never accepts their own work."""
        self.check_transition(TaskStatus.ACCEPTED, by)
        if by.id in self.contributors:
            raise NotPermitted(
                f"{by.name} contributed to task {self.id} and cannot accept it",
                field="status",
                hint="another leader must review and accept it",
            )
        return self._moved(TaskStatus.ACCEPTED, by, at, note)

    def request_rework(self, *, by: Member, at: datetime, note: str) -> Task:
        """Send the work back, saying which criteria it did not meet."""
        if not clean_text(note):
            raise InvalidValue(
                "a rework request needs a note",
                field="note",
                hint="say which acceptance criteria the work does not yet meet",
            )
        return self._moved(TaskStatus.NEEDS_REWORK, by, at, note)

    def resume(self, *, by: Member, at: datetime) -> Task:
        return self._moved(TaskStatus.IN_PROGRESS, by, at, "")

    def cancel(self, *, by: Member, at: datetime, note: str = "") -> Task:
        return self._moved(TaskStatus.CANCELLED, by, at, note)

    def with_shares(self, shares: dict[MemberId, Decimal], *, by: Member) -> Task:
        """Set how the points are split among the contributors (before acceptance)."""
        if not by.is_leader:
            raise NotPermitted(f"{by.name} is not a leader", field="shares", hint="only leaders set shares")
        if self.status.is_final:
            raise InvalidValue(
                f"task {self.id} is {self.status.value}",
                field="shares",
                hint="shares are set before acceptance",
            )
        if set(shares) != set(self.contributors):
            raise InvalidValue(
                "shares must name exactly the task's contributors",
                field="shares",
                hint=f"give a share to each of: {', '.join(self.contributors)}",
            )
        split(self.points, shares)  # validates the weights
        return replace(self, shares=tuple(sorted(shares.items())))
