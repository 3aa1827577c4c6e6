"""What a digest contains. Core decides the content; integrations render and deliver it.

A **member digest** holds, for one member over a period: their open and overdue tasks,
the open tasks they offered for, for a leader the submitted work awaiting their review,
tasks they could volunteer for, points awarded to them, their disputes, the next
meeting in their local time with its agenda, action items assigned to them, and the
minutes of meetings they missed. A **group digest** holds progress per project, tasks
needing volunteers, newly accepted work, upcoming deadlines and the points table.

Each digest has a stable key (who, and the period), so each is delivered once.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    MeetingRecord,
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
    """Members who offered for it so far (each once)."""
    places: int | None = None
    """The task's cap on volunteers (``None``: no cap)."""

    @property
    def full(self) -> bool:
        """Whether its places are all offered for: more offers are still ranked, but none has room."""
        return self.places is not None and self.volunteers >= self.places


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
    my_offers: tuple[TaskLine, ...]
    """Open tasks the member offered for, not yet assigned (a leader assigns after the ranking)."""
    to_review: tuple[TaskLine, ...]
    """For a leader: submitted work they did not contribute to, awaiting a leader's review."""
    can_volunteer: tuple[TaskLine, ...]
    """Open tasks the member has not offered for and does not supervise, head or work on (full ones
    too: offers beyond the cap are still ranked)."""
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
            or self.my_offers
            or self.to_review
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


def _offers(group: Group) -> dict[TaskId, set[MemberId]]:
    """Who offered for each task (one pass over the Volunteers; a member who offered twice, once)."""
    offers: dict[TaskId, set[MemberId]] = {}
    for offer in group.volunteers:
        offers.setdefault(offer.task_id, set()).add(offer.member_id)
    return offers


def task_line(group: Group, task: Task, now: datetime) -> TaskLine:
    """``task`` as a digest lists it at ``now``: whether it is overdue, its offers so far (each member
    once) and its cap."""
    return _line(task, len({v.member_id for v in group.volunteers if v.task_id == task.id}), now)


def _line(task: Task, offers: int, now: datetime) -> TaskLine:
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


def _by_due(group: Group) -> list[Task]:
    return sorted(group.tasks.values(), key=lambda t: (t.due or date.max, t.id))


def member_digest(group: Group, member_id: MemberId, *, since: datetime, until: datetime) -> MemberDigest:
    """One member's digest for the period ``(since, until]``.

    Raises :class:`InvalidValue` for a period that is naive or ends before it starts, and
    :class:`~braingain.core.errors.UnknownReference` for a member the group does not have.
    """
    return member_digests(group, (member_id,), since=since, until=until)[0]


def member_digests(
    group: Group, member_ids: Iterable[MemberId], *, since: datetime, until: datetime
) -> tuple[MemberDigest, ...]:
    """Each member's digest for the period ``(since, until]``, in the order given: what every digest
    reads (task lines, offers, awards, disputes, meetings) is worked out once, so that a thousand
    members' digests cost about as much as the group's tasks and offers, not a thousand times it.
    Raises as :func:`member_digest` does."""
    _check_period(since, until)
    week = _Week(group, since, until)
    return tuple(week.digest(group.member(m)) for m in member_ids)


class _Week:
    """What every member's digest of one period reads, indexed by member."""

    def __init__(self, group: Group, since: datetime, until: datetime) -> None:
        self.group, self.since, self.until = group, since, until
        offers = _offers(group)
        self.carrying: dict[MemberId, list[TaskLine]] = {}
        self.offering: dict[MemberId, list[TaskLine]] = {}
        self.open: list[tuple[Task, TaskLine]] = []
        self.open_to_all: tuple[TaskLine, ...] = ()
        """Every open task: each member's list of tasks to volunteer for, unless ``not_for`` has them."""
        self.not_for: dict[MemberId, set[TaskId]] = {}
        """The open tasks each member offered for, supervises, heads or works on."""
        self.submitted: list[tuple[Task, TaskLine]] = []
        self.to_review: tuple[TaskLine, ...] = ()
        """Every submitted task: each leader's to review, unless ``own_work`` has them."""
        self.own_work: dict[MemberId, set[TaskId]] = {}
        """The submitted tasks each member contributed to (a leader never reviews their own work)."""
        for task in _by_due(group):
            offered = offers.get(task.id, set())
            line = _line(task, len(offered), until)
            if task.status.is_active:
                for who in dict.fromkeys(task.contributors):
                    self.carrying.setdefault(who, []).append(line)
            if task.status is TaskStatus.OPEN:
                self.open.append((task, line))
                for who in offered:
                    self.offering.setdefault(who, []).append(line)
                for who in {
                    *offered,
                    task.supervisor,
                    *task.contributors,
                    *([task.head] if task.head else []),
                }:
                    self.not_for.setdefault(who, set()).add(task.id)
            elif task.status is TaskStatus.SUBMITTED:
                self.submitted.append((task, line))
                for who in task.contributors:
                    self.own_work.setdefault(who, set()).add(task.id)
        self.open_to_all = tuple(line for _, line in self.open)
        self.to_review = tuple(line for _, line in self.submitted)
        self.awarded: dict[MemberId, list[LedgerEntry]] = {}
        for entry in group.ledger:
            if since < entry.recorded_at <= until:
                self.awarded.setdefault(entry.member_id, []).append(entry)
        self.disputes: dict[MemberId, list[Dispute]] = {}
        for dispute in sorted(group.disputes, key=lambda d: (d.raised_at, d.id)):
            if dispute.raised_at <= until and (
                dispute.status is DisputeStatus.OPEN or since < dispute.trail[-1].at <= until
            ):
                self.disputes.setdefault(dispute.member_id, []).append(dispute)
        self.upcoming = group.next_meeting(until)
        upcoming_record = group.records.get(self.upcoming.id) if self.upcoming is not None else None
        self.agenda = upcoming_record.agenda if upcoming_record is not None else ()
        self.held: list[tuple[Occurrence, MeetingRecord]] = []
        for meeting in group.meetings_by(until):
            record = group.records.get(meeting.id)
            if record is not None and meeting.start <= until:
                self.held.append((meeting, record))

    def digest(self, member: Member) -> MemberDigest:
        since, until = self.since, self.until
        active = member.is_active_on(until.date())
        next_meeting = None
        if self.upcoming is not None:
            next_meeting = NextMeeting(self.upcoming, member.local(self.upcoming.start), self.agenda)
        actions: list[ActionItem] = []
        missed: list[MissedMeeting] = []
        for meeting, record in self.held:
            actions.extend(
                a for a in record.actions if a.owner == member.id and a.status is ActionStatus.OPEN
            )
            joined = member.is_active_on(member.local_date(meeting.start))
            if record.has_minutes and since < meeting.end <= until and joined:
                status = presence_of(member.id, meeting, record, self.group.availability.get(member.id))
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
            my_tasks=tuple(self.carrying.get(member.id, ())),
            my_offers=tuple(self.offering.get(member.id, ())),
            to_review=self._to_review(member) if active and member.is_leader else (),
            can_volunteer=self._open_to(member) if active else (),
            points_awarded=tuple(self.awarded.get(member.id, ())),
            disputes=tuple(self.disputes.get(member.id, ())),
            next_meeting=next_meeting,
            my_actions=tuple(actions),
            missed=tuple(missed),
            by_email=by_email,
            by_slack=by_slack,
            notes=notes,
        )

    def _open_to(self, member: Member) -> tuple[TaskLine, ...]:
        """The open tasks ``member`` could volunteer for: all but those ``not_for`` them."""
        skip = self.not_for.get(member.id)
        if not skip:
            return self.open_to_all
        return tuple(line for task, line in self.open if task.id not in skip)

    def _to_review(self, member: Member) -> tuple[TaskLine, ...]:
        """The submitted work leader ``member`` may review: all but what they contributed to."""
        own = self.own_work.get(member.id)
        if not own:
            return self.to_review
        return tuple(line for task, line in self.submitted if task.id not in own)


def _delivery(member: Member) -> tuple[bool, bool, tuple[str, ...]]:
    """Whether the member's digest goes by email and by Slack, and what cannot be done, with why."""
    notes: list[str] = []
    channel = member.digest_channel
    if channel is None:
        return False, False, (f"no digest is sent: {member.lacks('digest_channel')}",)
    by_slack = channel.wants_slack and member.slack_user_id is not None
    # A member who chose Slack but has no Slack user braingain can reach gets it by email instead.
    by_email = (channel.wants_email or not by_slack) and member.email is not None
    if channel.wants_email and not by_email:
        notes.append(f"no email digest: {member.lacks('email') or 'no email address'}")
    if channel.wants_slack and not by_slack:
        why = member.lacks("slack_user_id") or "no Slack user ID"
        notes.append(
            f"the digest goes by email instead of Slack: {why}" if by_email else f"no Slack digest: {why}"
        )
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
    tasks = _by_due(group)
    offers = {t: len(who) for t, who in _offers(group).items()}
    needing = tuple(
        line
        for line in (_line(t, offers.get(t.id, 0), until) for t in tasks if t.status is TaskStatus.OPEN)
        if not line.full
    )
    accepted = tuple(
        _line(t, offers.get(t.id, 0), until)
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
