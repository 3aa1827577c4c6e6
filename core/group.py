"""The whole state of one group, as the tracker holds it: the aggregate the services read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from braingain.core.authorship.disputes import Dispute
from braingain.core.authorship.icmje import (
    AuthorshipDecision,
    AuthorshipPolicy,
    Confirmation,
    LeaderEvidence,
    Output,
    decide_authorship,
)
from braingain.core.authorship.ledger import Ledger
from braingain.core.authorship.tasks import Task
from braingain.core.authorship.volunteering import (
    Attendance,
    Selection,
    Volunteer,
    select_volunteers,
    track_records,
)
from braingain.core.errors import DomainError, InvalidValue, UnknownReference, quote
from braingain.core.ids import MemberId, OutputId, ProjectId, TaskId
from braingain.core.members import Member
from braingain.core.projects import Project
from braingain.core.schedule.availability import Availability
from braingain.core.schedule.meetings import (
    MeetingRecord,
    MeetingSeries,
    MeetingStatus,
    Occurrence,
    attendance_summary,
    presence_uncertain,
)

T = TypeVar("T")


def _index(items: Iterable[T], key: str, what: str) -> dict[str, T]:
    found: dict[str, T] = {}
    for item in items:
        ident = getattr(item, key)
        if ident in found:
            raise InvalidValue(
                f"{what} {quote(ident)} appears twice",
                field=f"{what} id",
                hint="give each one its own id",
            )
        found[ident] = item
    return found


@dataclass(frozen=True)
class Group:
    """Members, projects, tasks, volunteers, the ledger, disputes and outputs of one group."""

    name: str
    members: Mapping[MemberId, Member]
    projects: Mapping[ProjectId, Project]
    tasks: Mapping[TaskId, Task]
    volunteers: tuple[Volunteer, ...] = ()
    ledger: Ledger = field(default_factory=Ledger)
    disputes: tuple[Dispute, ...] = ()
    outputs: Mapping[OutputId, Output] = field(default_factory=dict)
    confirmations: tuple[Confirmation, ...] = ()
    evidence: tuple[LeaderEvidence, ...] = ()
    attendance: Mapping[MemberId, Attendance] = field(default_factory=dict)
    policy: AuthorshipPolicy = field(default_factory=AuthorshipPolicy)
    open_task_limit: int | None = 3
    availability: Mapping[MemberId, Availability] = field(default_factory=dict)
    series: MeetingSeries | None = None
    records: Mapping[str, MeetingRecord] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        name: str,
        *,
        members: Iterable[Member],
        projects: Iterable[Project],
        tasks: Iterable[Task] = (),
        outputs: Iterable[Output] = (),
        volunteers: Iterable[Volunteer] = (),
        ledger: Ledger | None = None,
        disputes: Iterable[Dispute] = (),
        confirmations: Iterable[Confirmation] = (),
        evidence: Iterable[LeaderEvidence] = (),
        attendance: Mapping[MemberId, Attendance] | None = None,
        policy: AuthorshipPolicy | None = None,
        open_task_limit: int | None = 3,
        availability: Iterable[Availability] = (),
        series: MeetingSeries | None = None,
        records: Iterable[MeetingRecord] = (),
    ) -> Group:
        """Build a group, refusing repeated ids and references to unknown members or projects."""
        group = cls(
            name=name,
            members={MemberId(k): v for k, v in _index(members, "id", "member").items()},
            projects={ProjectId(k): v for k, v in _index(projects, "id", "project").items()},
            tasks={TaskId(k): v for k, v in _index(tasks, "id", "task").items()},
            outputs={OutputId(k): v for k, v in _index(outputs, "id", "output").items()},
            volunteers=tuple(volunteers),
            ledger=ledger if ledger is not None else Ledger(),
            disputes=tuple(disputes),
            confirmations=tuple(confirmations),
            evidence=tuple(evidence),
            attendance=dict(attendance or {}),
            policy=policy or AuthorshipPolicy(),
            open_task_limit=open_task_limit,
            availability={
                MemberId(k): v for k, v in _index(availability, "member_id", "availability of member").items()
            },
            series=series,
            records=_index(records, "meeting_id", "record of meeting"),
        )
        group.check_references()
        return group

    def member(self, id: str) -> Member:
        try:
            return self.members[MemberId(id)]
        except KeyError:
            raise UnknownReference(
                f"{quote(id)} is not a member of {self.name}",
                field="member",
                hint="use an id from the Members tab",
            ) from None

    def project(self, id: str) -> Project:
        try:
            return self.projects[ProjectId(id)]
        except KeyError:
            raise UnknownReference(
                f"there is no project {quote(id)}", field="project", hint=_known("project", self.projects)
            ) from None

    def task(self, id: str) -> Task:
        try:
            return self.tasks[TaskId(id)]
        except KeyError:
            raise UnknownReference(
                f"there is no task {quote(id)}", field="task", hint=_known("task", self.tasks)
            ) from None

    def output(self, id: str) -> Output:
        try:
            return self.outputs[OutputId(id)]
        except KeyError:
            raise UnknownReference(
                f"there is no output {quote(id)}", field="output", hint=_known("output", self.outputs)
            ) from None

    def leaders(self) -> list[Member]:
        return [m for m in self.members.values() if m.is_leader]

    def active_members(self, on: date) -> list[Member]:
        return [m for m in self.members.values() if m.is_active_on(on)]

    def check_references(self) -> None:
        for project in self.projects.values():
            self.member(project.lead)
        for task in self.tasks.values():
            self.project(task.project_id)
            for who in (task.supervisor, *task.contributors, *([task.head] if task.head else [])):
                self.member(who)
        for offer in self.volunteers:
            self.member(offer.member_id)
            if offer.task_id not in self.tasks:
                raise UnknownReference(f"volunteer for unknown task {quote(offer.task_id)}", field="task")
        for entry in self.ledger:
            self.member(entry.member_id)
            self.project(entry.project_id)
        for output in self.outputs.values():
            self.project(output.project_id)
        for person in self.availability:
            self.member(person)
        for record in self.records.values():
            if self.series is None or not _names_a_meeting(self.series, record.meeting_id):
                raise UnknownReference(
                    f"minutes or agenda for {quote(record.meeting_id)}, "
                    "which is not a meeting of this group's series",
                    field="meeting",
                    hint="use the meeting's id from the Meetings tab",
                )
            for who in (
                *record.attendance,
                *(a.owner for a in record.actions),
                *(i.added_by for i in record.agenda),
            ):
                self.member(who)

    def project_tasks(self, project: ProjectId) -> list[Task]:
        return [t for t in self.tasks.values() if t.project_id == project]

    def availability_of(self, member: Member) -> Availability:
        """The member's availability, or none declared (the group's default windows apply)."""
        return self.availability.get(member.id) or Availability(member.id, member.zone)

    def schedulable(self, on: date) -> tuple[list[Availability], list[tuple[MemberId, str]]]:
        """The availability of every member active ``on`` that slot finding can place, and the
        members it must leave out (their zone or an availability row cannot be read), with why."""
        placed: list[Availability] = []
        left_out: list[tuple[MemberId, str]] = []
        for member in sorted(self.active_members(on), key=lambda m: m.id):
            found = self.availability_of(member)
            why = member.lacks("zone") or found.incomplete
            if why:
                left_out.append((member.id, why))
            else:
                placed.append(found)
        return placed, left_out

    def attendance_uncertain(self, now: datetime) -> dict[MemberId, str]:
        """Members whose attendance before ``now`` depends on something that cannot be read
        (an absence whose date, in their unknown zone, may fall on a date they declared
        unavailable), with why: decisions that weigh attendance wait for them."""
        found: dict[MemberId, str] = {}
        for meeting in self.meetings_by(now):
            if meeting.status is MeetingStatus.CANCELLED or meeting.start >= now:
                continue
            record = self.records.get(meeting.id)
            for member in record.attendance if record else ():
                if member in found:
                    continue
                if presence_uncertain(member, meeting, record, self.availability.get(member)):
                    person = self.members.get(member)
                    found[member] = (person.lacks("zone") if person else None) or (
                        f"{member}'s time zone is unknown"
                    )
        return found

    def deadlines(self) -> list[date]:
        """Milestones and task due dates: what makes the meeting cadence busy."""
        found = {m.due for p in self.projects.values() for m in p.milestones}
        found |= {t.due for t in self.tasks.values() if t.due and not t.status.is_final}
        return sorted(found)

    def meetings(self, until: date) -> list[Occurrence]:
        """The series' meetings planned up to ``until`` (none without a series)."""
        return self.series.occurrences(until, self.deadlines()) if self.series else []

    def meetings_by(self, until: datetime) -> list[Occurrence]:
        """Every meeting that may start by ``until``: those planned up to that date in the
        anchor zone, and any moved there from a later planned date."""
        if self.series is None:
            return []
        last = until.astimezone(self.series.slot.zone).date()
        moved = [o.planned for o in self.series.overrides if o.moved_to is not None]
        return self.meetings(max([last, *moved]))

    def next_meeting(self, after: datetime) -> Occurrence | None:
        """The first meeting, not cancelled, that starts after ``after`` (however far ahead)."""
        if self.series is None:
            return None
        horizon = after + timedelta(weeks=13)
        for _ in range(40):  # ten years of quarterly cadence: beyond that, no series is meeting
            upcoming = [m for m in self.meetings_by(horizon) if m.status is not MeetingStatus.CANCELLED]
            found = next((m for m in upcoming if m.start > after), None)
            if found is not None and found.start <= horizon:
                return found
            horizon += timedelta(weeks=13)
        return None

    def attendance_on(self, now: datetime) -> dict[MemberId, Attendance]:
        """Attendance at meetings held before ``now``, added to the counts given explicitly
        (history from before the series was tracked)."""
        held = attendance_summary(self.meetings_by(now), self.records, self.availability, before=now)
        counts = dict(self.attendance)
        for member, seen in held.items():
            prior = counts.get(member, Attendance())
            counts[member] = Attendance(
                prior.present + seen.present, prior.absent + seen.absent, prior.excused + seen.excused
            )
        return counts

    def selection(self, task: str, *, now: datetime | None = None) -> Selection:
        """Rank the volunteers of ``task`` from everyone's track record (attendance up to ``now``)."""
        attendance = self.attendance_on(now) if now is not None else dict(self.attendance)
        records = track_records(self.members.values(), self.tasks.values(), attendance)
        return select_volunteers(
            self.task(task), self.volunteers, records, open_task_limit=self.open_task_limit
        )

    def decide(
        self, output: OutputId, *, carried_in: Mapping[MemberId, Decimal] | None = None
    ) -> AuthorshipDecision:
        target = self.output(output)
        project = self.project(target.project_id)
        return decide_authorship(
            target,
            project=project,
            members=self.members,
            tasks=self.project_tasks(project.id),
            entries=self.ledger.for_project(project.id),
            confirmations=self.confirmations,
            evidence=self.evidence,
            policy=self.policy,
            carried_in=carried_in,
        )


def _names_a_meeting(series: MeetingSeries, ident: str) -> bool:
    """Whether ``ident`` is the ID of a meeting of ``series`` as braingain gives it (its date)."""
    try:
        return series.key_of(ident) == ident
    except DomainError:
        return False


def _known(kind: str, found: Iterable[str]) -> str:
    """The hint for an unknown ID: the IDs there are (the first ten)."""
    if not found:
        return f"the tracker has no {kind} yet"
    ids = sorted(found)
    return (
        f"the {kind}s are: " + ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    )
