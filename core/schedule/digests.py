"""What a digest contains. Core decides the content; integrations render and deliver it.

A **member digest** holds, for one member over a period: their open and overdue tasks,
tasks they could volunteer for, points awarded to them, their disputes, the next
meeting in their local time with its agenda, action items assigned to them, and the
minutes of meetings they missed. A **group digest** holds progress per project, tasks
needing volunteers, newly accepted work, upcoming deadlines and the points table.

Each digest has a stable key (who, and the period), so each is delivered once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from braingain.core.authorship.disputes import Dispute, DisputeStatus
from braingain.core.authorship.ledger import LedgerEntry, Standing
from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.errors import InvalidValue
from braingain.core.group import Group
from braingain.core.ids import MemberId, ProjectId, TaskId
from braingain.core.members import Member
from braingain.core.parsing import require_aware
from braingain.core.schedule.meetings import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Occurrence,
    Presence,
    presence_of,
)


@dataclass(frozen=True, slots=True)
class TaskLine:
    task_id: TaskId
    project_id: ProjectId
    title: str
    status: TaskStatus
    due: date | None
    overdue: bool = False
    volunteers: int = 0
    places: int | None = None


@dataclass(frozen=True, slots=True)
class NextMeeting:
    meeting: Occurrence
    local_start: datetime | None
    """In the member's zone; ``None`` while it cannot be read (the digest's notes say so)."""
    agenda: tuple[AgendaItem, ...]


@dataclass(frozen=True, slots=True)
class MissedMeeting:
    meeting: Occurrence
    local_start: datetime | None
    minutes: str
    decisions: tuple[str, ...]
    actions: tuple[ActionItem, ...]


@dataclass(frozen=True, slots=True)
class MemberDigest:
    key: str
    member_id: MemberId
    since: datetime
    until: datetime
    my_tasks: tuple[TaskLine, ...]
    can_volunteer: tuple[TaskLine, ...]
    points_awarded: tuple[LedgerEntry, ...]
    disputes: tuple[Dispute, ...]
    next_meeting: NextMeeting | None
    my_actions: tuple[ActionItem, ...]
    missed: tuple[MissedMeeting, ...]
    by_email: bool = False
    by_slack: bool = False
    notes: tuple[str, ...] = ()
    """What the digest cannot do for this member, and why: no email digest while their email
    address cannot be read, no local times while their time zone cannot be read."""

    @property
    def overdue(self) -> tuple[TaskLine, ...]:
        return tuple(t for t in self.my_tasks if t.overdue)

    @property
    def has_news(self) -> bool:
        """Whether anything in it is worth a message (an upcoming meeting alone is not)."""
        return bool(
            self.my_tasks
            or self.points_awarded
            or self.disputes
            or self.my_actions
            or self.missed
            or self.can_volunteer
        )


@dataclass(frozen=True, slots=True)
class ProjectProgress:
    project_id: ProjectId
    title: str
    accepted: int
    total: int
    points: Decimal
    next_milestone: tuple[str, date] | None

    @property
    def percent(self) -> int:
        return round(100 * self.accepted / self.total) if self.total else 0


@dataclass(frozen=True, slots=True)
class Deadline:
    due: date
    what: str
    project_id: ProjectId


@dataclass(frozen=True, slots=True)
class GroupDigest:
    key: str
    since: datetime
    until: datetime
    progress: tuple[ProjectProgress, ...]
    needing_volunteers: tuple[TaskLine, ...]
    newly_accepted: tuple[TaskLine, ...]
    upcoming_deadlines: tuple[Deadline, ...]
    points_table: tuple[tuple[ProjectId, tuple[Standing, ...]], ...]


def _period_key(prefix: str, since: datetime, until: datetime) -> str:
    """``prefix:2026-03-01..2026-03-08``, the period's UTC dates: the same period, the same key."""
    first, last = since.astimezone(UTC).date(), until.astimezone(UTC).date()
    return f"{prefix}:{first.isoformat()}..{last.isoformat()}"


def _check_period(since: datetime, until: datetime) -> None:
    require_aware(since, "since")
    require_aware(until, "until")
    if until <= since:
        raise InvalidValue(f"the period ends at {until} before it starts at {since}", field="digest period")


def task_line(group: Group, task: Task, now: datetime) -> TaskLine:
    """``task`` as a digest lists it at ``now``: whether it is overdue, its offers so far and its cap."""
    offers = sum(1 for v in group.volunteers if v.task_id == task.id)
    return TaskLine(
        task.id,
        task.project_id,
        task.title,
        task.status,
        task.due,
        task.overdue_on(now),
        offers,
        task.max_volunteers,
    )


def member_digest(group: Group, member_id: MemberId, *, since: datetime, until: datetime) -> MemberDigest:
    """One member's digest for the period ``(since, until]``."""
    _check_period(since, until)
    member = group.member(member_id)
    tasks = sorted(group.tasks.values(), key=lambda t: (t.due or date.max, t.id))
    mine = tuple(
        task_line(group, t, until) for t in tasks if member.id in t.contributors and t.status.is_active
    )
    offered = {v.task_id for v in group.volunteers if v.member_id == member.id}
    open_to_me = tuple(
        task_line(group, t, until)
        for t in tasks
        if t.status is TaskStatus.OPEN and t.id not in offered and member.id not in t.contributors
    )
    awarded = tuple(e for e in group.ledger if e.member_id == member.id and since < e.recorded_at <= until)
    disputes = tuple(
        d
        for d in group.disputes
        if d.member_id == member.id
        and d.raised_at <= until
        and (d.status is DisputeStatus.OPEN or since < d.trail[-1].at <= until)
    )
    upcoming = group.next_meeting(until)
    next_meeting = None
    if upcoming is not None:
        record = group.records.get(upcoming.id)
        next_meeting = NextMeeting(upcoming, member.local(upcoming.start), record.agenda if record else ())
    actions: list[ActionItem] = []
    missed: list[MissedMeeting] = []
    for meeting in group.meetings_by(until):
        record = group.records.get(meeting.id)
        if record is None or meeting.start > until:
            continue
        actions.extend(a for a in record.actions if a.owner == member.id and a.status is ActionStatus.OPEN)
        joined = member.is_active_on(member.local_date(meeting.start))
        if record.has_minutes and since < meeting.end <= until and joined:
            status = presence_of(member.id, meeting, record, group.availability.get(member.id))
            if status is not Presence.PRESENT:
                missed.append(
                    MissedMeeting(
                        meeting,
                        member.local(meeting.start),
                        record.minutes,
                        record.decisions,
                        record.actions,
                    )
                )
    by_email, by_slack, notes = _delivery(member)
    return MemberDigest(
        key=_period_key(f"digest:{member.id}", since, until),
        member_id=member.id,
        since=since,
        until=until,
        my_tasks=mine,
        can_volunteer=open_to_me if member.is_active_on(until.date()) else (),
        points_awarded=awarded,
        disputes=disputes,
        next_meeting=next_meeting,
        my_actions=tuple(actions),
        missed=tuple(missed),
        by_email=by_email,
        by_slack=by_slack,
        notes=notes,
    )


def _delivery(member: Member) -> tuple[bool, bool, tuple[str, ...]]:
    """Whether the member's digest goes by email and by Slack, and what cannot be done, with why."""
    notes: list[str] = []
    channel = member.digest_channel
    if channel is None:
        return False, False, (f"no digest is sent: {member.lacks('digest_channel')}",)
    by_email = channel.wants_email and member.email is not None
    by_slack = channel.wants_slack and member.slack_user_id is not None
    if channel.wants_email and not by_email:
        notes.append(f"no email digest: {member.lacks('email') or 'no email address'}")
    if channel.wants_slack and not by_slack:
        notes.append(f"no Slack digest: {member.lacks('slack_user_id') or 'no Slack user ID'}")
    if member.zone is None:
        notes.append(f"meeting times are not in local time: {member.lacks('zone')}")
    return by_email, by_slack, tuple(notes)


def group_digest(
    group: Group, *, since: datetime, until: datetime, deadline_window: timedelta = timedelta(days=28)
) -> GroupDigest:
    """The whole group's digest for the period ``(since, until]``."""
    _check_period(since, until)
    progress = []
    deadlines: list[Deadline] = []
    horizon = (until + deadline_window).date()
    for project in sorted(group.projects.values(), key=lambda p: p.id):
        tasks = [t for t in group.project_tasks(project.id) if t.status is not TaskStatus.CANCELLED]
        upcoming = [m for m in project.milestones if m.due >= until.date()]
        progress.append(
            ProjectProgress(
                project.id,
                project.title,
                sum(1 for t in tasks if t.status is TaskStatus.ACCEPTED),
                len(tasks),
                group.ledger.total(project.id),
                (upcoming[0].name, upcoming[0].due) if upcoming else None,
            )
        )
        deadlines += [
            Deadline(m.due, f"milestone: {m.name}", project.id) for m in upcoming if m.due <= horizon
        ]
        deadlines += [
            Deadline(t.due, f"{t.id} due: {t.title}", project.id)
            for t in tasks
            if t.due and not t.status.is_final and until.date() <= t.due <= horizon
        ]
    tasks = sorted(group.tasks.values(), key=lambda t: (t.due or date.max, t.id))
    needing = tuple(
        line
        for line in (task_line(group, t, until) for t in tasks if t.status is TaskStatus.OPEN)
        if line.places is None or line.volunteers < line.places
    )
    accepted = tuple(
        task_line(group, t, until)
        for t in tasks
        if t.accepted_at is not None and since < t.accepted_at <= until
    )
    table = tuple((p, tuple(group.ledger.standings(p, tasks=group.tasks))) for p in sorted(group.projects))
    return GroupDigest(
        key=_period_key("group-digest", since, until),
        since=since,
        until=until,
        progress=tuple(progress),
        needing_volunteers=needing,
        newly_accepted=accepted,
        upcoming_deadlines=tuple(sorted(deadlines, key=lambda d: (d.due, d.what))),
        points_table=table,
    )
