"""Messages of the sample group, one of every kind a member can get by email, for the email tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache

from braingain.core.authorship.tasks import TaskStatus
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.members import Member
from braingain.core.messaging.outgoing import (
    Content,
    Destination,
    DisputeNews,
    Medium,
    MeetingMinutes,
    MeetingReminder,
    Outgoing,
    TaskNews,
)
from braingain.core.schedule.digests import MemberDigest, group_digest, member_digest, task_line
from braingain.core.schedule.invitations import Invitation, plan_invitations
from braingain.core.schedule.meetings import MeetingStatus, Occurrence
from braingain.core.schedule.reminders import ReminderPolicy, follow_ups_due, reminders_due
from braingain.sample import sample_group

TODAY = date(2027, 1, 11)
NOW = datetime(2027, 1, 11, 7, tzinfo=UTC)
READER = MemberId("uyi.omoregbe")
"""A member in Lagos with a task, points awarded, a missed meeting and tasks to volunteer for."""
ABROAD = MemberId("ada.obiora")
"""A leader in London: her local time is not the meeting's."""
JOIN = "https://zoom.example.org/j/81234567890?pwd=abc"


@cache
def group() -> Group:
    return sample_group(TODAY)


def reader(member_id: MemberId = READER) -> Member:
    return group().member(member_id)


def outgoing(key: str, content: Content, to: MemberId = READER) -> Outgoing:
    return Outgoing(
        key,
        Destination.member(to, Medium.EMAIL),
        content,
        "a message for the tests",
        NOW,
        NOW + timedelta(days=30),
    )


def full_digest(member_id: MemberId = READER) -> MemberDigest:
    """The member's digest over a whole year that ends once their full-text review task is overdue:
    every section the sample group can fill."""
    until = datetime(2027, 2, 10, 7, tzinfo=UTC)
    return member_digest(group(), member_id, since=until - timedelta(days=365), until=until)


def leader_digest() -> MemberDigest:
    """A leader's digest (:data:`ABROAD`) with work awaiting her review (an in-progress task of the
    sample, as if submitted) and an open task she offered for, its places all offered for."""
    g = group()
    tasks = sorted(g.tasks.values(), key=lambda t: t.id)
    working = next(t for t in tasks if t.status is TaskStatus.IN_PROGRESS)
    opened = next(t for t in tasks if t.status is TaskStatus.OPEN)
    waiting = replace(task_line(g, working, NOW), status=TaskStatus.SUBMITTED)
    full = replace(task_line(g, opened, NOW), volunteers=5, places=2)
    digest = full_digest(ABROAD)
    others = tuple(line for line in digest.can_volunteer if line.task_id != opened.id)
    return replace(digest, to_review=(waiting,), my_offers=(full,), can_volunteer=others)


def digest_message(member_id: MemberId = READER) -> Outgoing:
    digest = full_digest(member_id)
    return outgoing(f"{digest.key}:email", digest, member_id)


def week_digest_message(member_id: MemberId = READER) -> Outgoing:
    """The member's digest of the week that ends at ``NOW``: its next meeting is :func:`next_meeting`."""
    digest = member_digest(group(), member_id, since=NOW - timedelta(days=7), until=NOW)
    return outgoing(f"{digest.key}:email", digest, member_id)


def next_meeting() -> Occurrence:
    meeting = group().next_meeting(NOW)
    assert meeting is not None
    return meeting


def last_held() -> Occurrence:
    held = [
        m
        for m in group().meetings_by(NOW)
        if m.status is not MeetingStatus.CANCELLED and m.end <= NOW and m.id in group().records
    ]
    return held[-1]


def invitation() -> Invitation:
    meeting = next_meeting()
    plan = plan_invitations(
        group(),
        now=NOW,
        join_links={meeting.id: JOIN},
        policy=ReminderPolicy(),
        sent={},
        domain="diamante.example.org",
        horizon=meeting.end,
    )
    return next(i for i in plan.due if i.meeting_id == meeting.id)


@dataclass(frozen=True)
class Sample:
    name: str
    message: Outgoing
    to: MemberId


def every_kind() -> list[Sample]:
    """One message of every kind of content, for the member it is meant for."""
    g = group()
    meeting = next_meeting()
    [reminder] = [r for r in reminders_due(g, meeting.start - timedelta(hours=23)) if r.member_id == ABROAD]
    held = last_held()
    follow_ups = [f for f in follow_ups_due(g, held.end + timedelta(hours=1)) if f.meeting == held]
    missed = next(f for f in follow_ups if f.missed)
    present = next(f for f in follow_ups if not f.missed)
    record = g.records[held.id]
    tasks = sorted(g.tasks.values(), key=lambda t: t.id)
    opened = next(t for t in tasks if t.status is TaskStatus.OPEN)
    working = next(t for t in tasks if t.status is TaskStatus.IN_PROGRESS)
    done = next(t for t in tasks if t.status is TaskStatus.ACCEPTED and len(t.contributors) > 1)
    awards = tuple(e for e in g.ledger if e.task_id == done.id)
    assert done.accepted_at is not None
    still_open, resolved = g.disputes[-1], g.disputes[1]
    return [
        Sample("member digest", digest_message(), READER),
        Sample("reminder", outgoing(reminder.key, reminder, ABROAD), ABROAD),
        Sample("follow-up, missed", outgoing(missed.key, missed, missed.member_id), missed.member_id),
        Sample("follow-up, present", outgoing(present.key, present, present.member_id), present.member_id),
        Sample(
            "meeting reminder",
            outgoing(
                "reminder:group",
                MeetingReminder(meeting, timedelta(days=1), g.records[meeting.id].agenda, JOIN, (READER,)),
            ),
            ABROAD,
        ),
        Sample(
            "meeting minutes",
            outgoing(
                "minutes:group",
                MeetingMinutes(held, record.minutes, record.decisions, record.actions, (READER,)),
            ),
            READER,
        ),
        Sample("task opened", outgoing("task-opened", TaskNews("opened", opened, NOW, offers=2)), READER),
        Sample("task selected", outgoing("task-selected", TaskNews("selected", working, NOW)), READER),
        Sample("task submitted", outgoing("task-submitted", TaskNews("submitted", working, NOW)), READER),
        Sample(
            "task accepted",
            outgoing("task-accepted", TaskNews("accepted", done, done.accepted_at, awards=awards)),
            awards[0].member_id,
        ),
        Sample("dispute raised", outgoing("dispute-raised", DisputeNews("raised", still_open, NOW)), READER),
        Sample(
            "dispute resolved",
            outgoing("dispute-resolved", DisputeNews("resolved", resolved, resolved.trail[-1].at)),
            resolved.member_id,
        ),
        Sample(
            "group digest",
            outgoing("group-digest", group_digest(g, since=NOW - timedelta(days=365), until=NOW)),
            READER,
        ),
        Sample("member digest, a leader's", outgoing("leader-digest", leader_digest(), ABROAD), ABROAD),
    ]
