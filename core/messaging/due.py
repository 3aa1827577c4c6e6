"""Which messages are due now: every :class:`~braingain.core.messaging.outgoing.Outgoing` the group
should be sent at a given moment and has not been sent yet.

Pure: the moment (``now``), what was already sent (``sent``, a set of keys) and the join links are
passed in; nothing here reads a clock or sends anything.

Each message, its key, where it goes, and while it is due:

- ``task-opened:T12``: the task's project channel, while it is open, up to the news window after it
  opened (with the offers so far: its places left are its cap less them).
- ``task-selected:T12``: the project channel, up to the news window after its volunteers were chosen.
- ``task-submitted:T12:2`` (its second submission, so a resubmission after rework is news again):
  the project channel, while it waits for review, up to the news window after.
- ``task-accepted:T12``: the project channel, up to the news window after, with its Ledger awards.
- ``dispute-raised:D3``, ``dispute-resolved:D3``: the dispute's project channel, up to the news window
  after it was raised, and after its last step once it is not open.
- ``reminder:monthly:2027-01-16@20270116T1400Z:1d``: the group's channel, one per meeting and offset,
  from its send time until the next, closer reminder is due (a late sync sends the freshest only);
  ``…:1d:M04:email``: member M04's own, by email, when they chose email and their address reads.
- ``minutes:monthly:2027-01-16``: the group's channel, up to the minutes window after the meeting;
  ``minutes:monthly:2027-01-16:M04:email``: member M04's own copy, by email, likewise.
- ``group-digest:2027-01-04..2027-01-11``: the group's channel, the week after the digest moment
  (:func:`digest_period`); ``digest:M04:2027-01-04..2027-01-11:slack`` and ``…:email``: member M04's,
  as they chose, when it has news.

A window's edges count: news that happened exactly ``news_window`` before ``now`` is still due,
one microsecond earlier it is not; news stamped after ``now`` is not due yet. Each message says how
long braingain must remember having sent it (``forget_after``): a day past the last moment it could
be due. Draft and cancelled tasks make no news. Members who are not active (left the group, paused)
get no digest; the meeting reminders and minutes go to the members
:func:`~braingain.core.schedule.reminders.reminders_due` and
:func:`~braingain.core.schedule.reminders.follow_ups_due` name.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo

from braingain.core.authorship.disputes import Dispute, DisputeStatus
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.errors import InvalidValue, quote
from braingain.core.group import Group
from braingain.core.ids import MemberId, TaskId
from braingain.core.members import Member
from braingain.core.messaging.outgoing import (
    Destination,
    DisputeNews,
    Medium,
    MeetingMinutes,
    MeetingReminder,
    Outgoing,
    TaskNews,
)
from braingain.core.parsing import require_aware
from braingain.core.schedule.digests import group_digest, member_digests
from braingain.core.schedule.reminders import (
    FollowUp,
    Reminder,
    ReminderPolicy,
    follow_ups_due,
    reminders_due,
)
from braingain.core.words import day_said, moment_said

_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)
_UTC = ZoneInfo("UTC")
_NO_LINKS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class MessagePolicy:
    """When messages go: the weekly digest's moment (``digest_day``, 0 = Monday as
    :meth:`datetime.date.weekday` counts; ``digest_minutes`` after midnight in ``zone``), how long news
    and minutes stay worth sending, and the meeting reminders' offsets.

    ``zone`` ``None``: the meeting series' anchor zone, else UTC. Raises :class:`InvalidValue` for a day
    that is not 0-6, a minute that is not 0-1439, or a window that is not after zero.
    """

    digest_day: int = 0
    digest_minutes: int = 8 * 60
    zone: ZoneInfo | None = None
    news_window: timedelta = timedelta(days=14)
    minutes_window: timedelta = timedelta(days=14)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)

    def __post_init__(self) -> None:
        if self.digest_day not in range(7):
            raise InvalidValue(
                f"{quote(self.digest_day)} is not a day of the week",
                field="digest day",
                hint="0 is Monday, 6 is Sunday",
            )
        if self.digest_minutes not in range(24 * 60):
            raise InvalidValue(
                f"{quote(self.digest_minutes)} is not a minute of the day",
                field="digest time",
                hint="give minutes after midnight, 0 to 1439 (480 is 08:00)",
            )
        for name, window in (("news days", self.news_window), ("minutes window", self.minutes_window)):
            if window <= timedelta(0):
                raise InvalidValue(f"{quote(window)} is not after zero", field=name, hint="e.g. 14 days")


@dataclass(frozen=True, slots=True)
class DueMessages:
    """The messages due, group channel first, then project channels by project ID, then members by
    member ID (each destination's in the order they became due, then by key); and who cannot be
    reached and why, in words, each once (never an email address)."""

    messages: tuple[Outgoing, ...]
    notes: tuple[str, ...]


def digest_period(now: datetime, policy: MessagePolicy, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The last digest moment D <= now and the period (D - 7 days, D].

    D is ``policy.digest_minutes`` after midnight of the last ``policy.digest_day`` in ``zone``; the
    period starts at the same wall-clock time seven calendar days before (across a clock change the
    week is 167 or 169 hours). A wall time the clocks skip that day is read forward by the gap; one
    they pass twice is the first. Both ends are aware, in ``zone``. Raises :class:`InvalidValue` for a
    naive ``now``.
    """
    require_aware(now, "now")
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - policy.digest_day) % 7)
    moment = _on_the_clock(day, policy.digest_minutes, zone)
    if moment > now:
        day -= _WEEK
        moment = _on_the_clock(day, policy.digest_minutes, zone)
    return _on_the_clock(day - _WEEK, policy.digest_minutes, zone), moment


def _on_the_clock(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    naive = datetime.combine(day, time(minutes // 60, minutes % 60))
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def messages_due(
    group: Group,
    *,
    now: datetime,
    policy: MessagePolicy,
    sent: Collection[str] = (),
    join_links: Mapping[str, str] = _NO_LINKS,
) -> DueMessages:
    """Every message due at `now` whose key is not in `sent`.

    ``join_links`` maps a meeting's ID (``2027-01-16``) to its join link, carried by its reminders.
    The same group at the same moment gives the same messages in the same order, whatever order the
    group's members, tasks, offers and disputes come in; no two share a key. Raises
    :class:`InvalidValue` for a naive ``now``.
    """
    require_aware(now, "now")
    done = frozenset(sent)
    notes: list[str] = []
    found = [
        *_task_news(group, now, policy.news_window),
        *_dispute_news(group, now, policy.news_window, notes),
        *_reminders(group, now, policy, join_links, done, notes),
        *_minutes(group, now, policy.minutes_window, done, notes),
        *_digests(group, now, policy, done, notes),
    ]
    due = sorted((m for m in found if m.key not in done), key=_order)
    return DueMessages(tuple(due), tuple(dict.fromkeys(notes)))


_RANK = {"group": 0, "project": 1, "member": 2}


def _order(message: Outgoing) -> tuple[int, str, datetime, str]:
    return _RANK[message.to.kind], message.to.ident, message.due, message.key


def _recent(at: datetime, now: datetime, window: timedelta) -> bool:
    """Whether ``at`` happened by ``now``, at most ``window`` before it."""
    return now - window <= at <= now


# --- news of tasks and disputes --------------------------------------------------------------------


def _task_news(group: Group, now: datetime, window: timedelta) -> Iterator[Outgoing]:
    offers: dict[TaskId, set[MemberId]] = {}
    for offer in group.volunteers:
        offers.setdefault(offer.task_id, set()).add(offer.member_id)
    for task in group.tasks.values():
        if task.status in (TaskStatus.DRAFT, TaskStatus.CANCELLED):
            continue
        channel = f"project {task.project_id}'s channel"
        opened, chosen, accepted = task.opened_at, task.assigned_at, task.accepted_at
        if opened is not None and task.status is TaskStatus.OPEN and _recent(opened, now, window):
            news = TaskNews("opened", task, opened, offers=len(offers.get(task.id, ())))
            cap, left = task.max_volunteers, news.places_left
            if left is None:
                places = "no cap on volunteers"
            elif left:
                places = f"{left} of {cap} places left"
            else:
                said = f"{cap} place{'' if cap == 1 else 's'}"
                places = f"{said}, all offered for: {news.offers} offers so far, to be ranked"
            yield _news(
                news,
                f"task-opened:{task.id}",
                f"post to {channel} that task {task.id} is open for volunteers ({places})",
                window,
            )
        if chosen is not None and _recent(chosen, now, window):
            yield _news(
                TaskNews("selected", task, chosen),
                f"task-selected:{task.id}",
                f"post to {channel} who was chosen for task {task.id}",
                window,
            )
        submissions = task.submissions
        if task.status is TaskStatus.SUBMITTED and submissions and _recent(submissions[-1], now, window):
            again = "" if len(submissions) == 1 else f" again (submission {len(submissions)})"
            yield _news(
                TaskNews("submitted", task, submissions[-1]),
                f"task-submitted:{task.id}:{len(submissions)}",
                f"post to {channel} that the work of task {task.id} was submitted{again} for review",
                window,
            )
        if accepted is not None and _recent(accepted, now, window):
            awards = tuple(group.ledger.awards_of(task.id))
            yield _news(
                TaskNews("accepted", task, accepted, awards=awards),
                f"task-accepted:{task.id}",
                f"post to {channel} that the work of task {task.id} was accepted, with the points awarded",
                window,
            )


def _news(content: TaskNews, key: str, words: str, window: timedelta) -> Outgoing:
    at = content.at
    return Outgoing(key, Destination.project(content.task.project_id), content, words, at, at + window + _DAY)


def _dispute_news(group: Group, now: datetime, window: timedelta, notes: list[str]) -> Iterator[Outgoing]:
    """Each dispute's news; a dispute ID that appears more than once is announced for the dispute
    raised first (the others are named in ``notes``), so that no two messages share a key."""
    seen: set[str] = set()
    for dispute in sorted(group.disputes, key=_dispute_order):
        if dispute.id in seen:
            notes.append(f"dispute {dispute.id} appears more than once: only the first raised is announced")
            continue
        seen.add(dispute.id)
        to = Destination.project(dispute.project_id)
        channel = f"project {dispute.project_id}'s channel"
        if _recent(dispute.raised_at, now, window):
            at = dispute.raised_at
            yield Outgoing(
                f"dispute-raised:{dispute.id}",
                to,
                DisputeNews("raised", dispute, at),
                f"post to {channel} that dispute {dispute.id} was raised",
                at,
                at + window + _DAY,
            )
        closed = dispute.trail[-1].at
        if dispute.status is not DisputeStatus.OPEN and _recent(closed, now, window):
            yield Outgoing(
                f"dispute-resolved:{dispute.id}",
                to,
                DisputeNews("resolved", dispute, closed),
                f"post to {channel} that dispute {dispute.id} was closed: {dispute.status.value}",
                closed,
                closed + window + _DAY,
            )


def _dispute_order(dispute: Dispute) -> tuple[str, datetime, str, str]:
    return dispute.id, dispute.raised_at, dispute.member_id, dispute.reason


# --- meetings --------------------------------------------------------------------------------------


def _reminders(
    group: Group,
    now: datetime,
    policy: MessagePolicy,
    join_links: Mapping[str, str],
    done: frozenset[str],
    notes: list[str],
) -> Iterator[Outgoing]:
    """One reminder per meeting and offset to the group's channel; each member who chose email
    (with a readable address) their own, in their local time."""
    for key, each in _per_meeting(reminders_due(group, now, policy.reminders)).items():
        first = each[0]
        meeting = first.meeting
        forget = meeting.start + _DAY
        ahead = f"{_span_said(first.offset)} ahead of the meeting of {moment_said(meeting.start)}"
        away = tuple(sorted(r.member_id for r in each if r.expected_away))
        content = MeetingReminder(meeting, first.offset, first.agenda, join_links.get(meeting.id), away)
        agenda = " with its agenda" if first.agenda else ""
        yield Outgoing(
            key,
            Destination.group(),
            content,
            f"post to the group's channel the reminder {ahead}{agenda}",
            first.send_at,
            forget,
        )
        for reminder in each:
            person = group.members[reminder.member_id]
            if _emailed(person, "reminder", key in done, notes):
                yield Outgoing(
                    f"{reminder.key}:email",
                    Destination.member(person.id, Medium.EMAIL),
                    reminder,
                    f"email {person.name} the reminder {ahead}",
                    reminder.send_at,
                    forget,
                )


def _minutes(
    group: Group, now: datetime, window: timedelta, done: frozenset[str], notes: list[str]
) -> Iterator[Outgoing]:
    """One message of a held meeting's minutes to the group's channel (naming who missed it); each
    member who chose email (with a readable address) their own copy, flagged if they missed it."""
    for key, each in _per_meeting(follow_ups_due(group, now, within=window)).items():
        first = each[0]
        meeting = first.meeting
        forget = meeting.end + window + _DAY
        of = f"the minutes of the meeting of {moment_said(meeting.start)}"
        absent = tuple(sorted(f.member_id for f in each if f.missed))
        content = MeetingMinutes(meeting, first.minutes, first.decisions, first.actions, absent)
        yield Outgoing(
            key, Destination.group(), content, f"post to the group's channel {of}", meeting.end, forget
        )
        for follow_up in each:
            person = group.members[follow_up.member_id]
            if _emailed(person, "minutes", key in done, notes):
                missed = " (they missed it)" if follow_up.missed else ""
                yield Outgoing(
                    f"{follow_up.key}:email",
                    Destination.member(person.id, Medium.EMAIL),
                    follow_up,
                    f"email {person.name} {of}{missed}",
                    meeting.end,
                    forget,
                )


Each = TypeVar("Each", Reminder, FollowUp)


def _per_meeting(each: Iterable[Each]) -> dict[str, list[Each]]:
    """Members' reminders or follow-ups by the key of the one message to the group's channel: theirs
    without its ``:<member>`` tail (``reminder:monthly:2027-01-16@20270116T1400Z:1d``)."""
    found: dict[str, list[Each]] = {}
    for one in each:
        found.setdefault(one.key.removesuffix(f":{one.member_id}"), []).append(one)
    return found


def _emailed(person: Member, what: str, posted: bool, notes: list[str]) -> bool:
    """Whether ``person`` gets their own copy by email: they chose email (or Slack without a Slack user
    braingain can reach) and their address reads.
    When they chose it but it cannot be read, ``notes`` says so while the channel's copy is due."""
    channel = person.digest_channel
    if channel is None or not (channel.wants_email or person.slack_user_id is None):
        return False  # on Slack: the group's channel has it (one with no Slack user gets email)
    if person.email is not None:
        return True
    if not posted:
        why = person.lacks("email") or f"{person.name} has no email address"
        notes.append(f"no email {what} for {person.name} (the group's channel has it): {why}")
    return False


def _span_said(offset: timedelta) -> str:
    """``7 days``, ``1 day``, ``1 hour``, ``90 minutes``: an offset as a person says it."""
    for unit, name in ((_DAY, "day"), (timedelta(hours=1), "hour"), (timedelta(minutes=1), "minute")):
        if not offset % unit:
            count = offset // unit
            return f"{count} {name}{'' if count == 1 else 's'}"
    return str(offset)


# --- the weekly digests ----------------------------------------------------------------------------


def _digests(
    group: Group, now: datetime, policy: MessagePolicy, done: frozenset[str], notes: list[str]
) -> Iterator[Outgoing]:
    """The group's weekly digest, always; each active member's, by Slack and/or email as they chose,
    when it has news. A member's digest notes (what cannot be done for them) go into ``notes`` while
    one of their digests is due or none can be sent."""
    zone = policy.zone or (group.series.slot.zone if group.series is not None else _UTC)
    since, until = digest_period(now, policy, zone)
    forget = until + _WEEK + _DAY
    week = f"the weekly digest of the week to {day_said(until)}"
    digest = group_digest(group, since=since, until=until)
    yield Outgoing(
        digest.key, Destination.group(), digest, f"post to the group's channel {week}", until, forget
    )
    members = [
        m
        for m in sorted(group.members.values(), key=lambda m: m.id)
        if m.is_active_on(m.local_date(until)) and m.is_active_on(m.local_date(now))
    ]
    digests = member_digests(group, [m.id for m in members], since=since, until=until)
    for person, mine in zip(members, digests, strict=True):
        if not mine.has_news:
            continue
        made = []
        if mine.by_slack:
            made.append(
                Outgoing(
                    f"{mine.key}:slack",
                    Destination.member(person.id, Medium.SLACK),
                    mine,
                    f"send {person.name} {week} by Slack direct message",
                    until,
                    forget,
                )
            )
        if mine.by_email:
            made.append(
                Outgoing(
                    f"{mine.key}:email",
                    Destination.member(person.id, Medium.EMAIL),
                    mine,
                    f"email {person.name} {week}",
                    until,
                    forget,
                )
            )
        if not made or any(m.key not in done for m in made):
            notes.extend(n if person.name in n else f"{person.name}: {n}" for n in mine.notes)
        yield from made
