"""What a member can do and see from outside the tracker (the Slack app calls it).

Its words (a :class:`Done`'s, a :class:`Refused`'s reason and hint, the availability lines) are shown
to the member as they are, by Slack today and by any other front end later: they are the desk's own
wording, about the tracker, kept here beside the rules they explain; the Slack app's wording around
them is in :mod:`braingain.integrations.slack.words`.

Each action reads the tracker, checks it by the core's own rules (the task lifecycle of
:mod:`braingain.core.authorship.tasks`, :func:`~braingain.core.authorship.volunteering.volunteer`,
:func:`~braingain.core.authorship.disputes.raise_dispute`), and writes the tracker once through its
backend, under the same lock (the local workbook) or lease (Google) a sync takes, so it never
interleaves with a sync. The write is made by :mod:`braingain.core.tracker.edits`: new rows are
appended below whatever is there, and a cell a person owns is written only while it still holds
what the read found (``fill``/``was``), so nothing a person typed is ever overwritten.

Who may do what comes from the roster (the Members tab's Role), never from the caller. A refused
action raises :class:`Refused`, which says why (``reason``) and what to do (``hint``), in words a
member reads; no email address is ever in them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from braingain.core.authorship.disputes import raise_dispute
from braingain.core.authorship.ledger import Standing
from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.authorship.volunteering import volunteer
from braingain.core.errors import DomainError, quote
from braingain.core.ids import EntryId, MemberId, ProjectId, TaskId
from braingain.core.members import Member
from braingain.core.parsing import clean_text, normalize_key
from braingain.core.ports import TrackerBackend
from braingain.core.schedule.availability import Unavailability
from braingain.core.schedule.digests import NextMeeting, TaskLine, task_line
from braingain.core.schedule.meetings import MeetingStatus
from braingain.core.tracker.cells import UTC_ZONE, moment_text
from braingain.core.tracker.edits import (
    FIRST_IDS,
    Edit,
    append_row,
    change_cells,
    found,
    listed_with,
    next_id,
)
from braingain.core.tracker.read import ReadResult, advance, meeting_rows, read_tracker
from braingain.core.tracker.schema import Row, cells_equal, index_by_id
from braingain.core.words import day_said, moment_said
from braingain.integrations import compose
from braingain.integrations.config import Config, state_key
from braingain.integrations.errors import IntegrationError, SyncBusy
from braingain.integrations.tracker.schema import load_schema


class Refused(IntegrationError):
    """A member's action that was not done: ``reason`` says why, ``hint`` what to do instead.
    Nothing was written. Never carries an email address."""


@dataclass(frozen=True, slots=True)
class Done:
    """An action that was recorded in the tracker."""

    words: str
    """What was recorded, in words, for the member (one or two sentences, no email address)."""


@dataclass(frozen=True, slots=True)
class Overview:
    """What a member sees of themselves (the Home tab, ``/braingain my``)."""

    member: Member
    tasks: tuple[TaskLine, ...]
    """Their tasks in hand (assigned, in progress, submitted, needs rework), soonest due first."""
    points: tuple[tuple[ProjectId, Decimal], ...]
    """Their points per project (the Ledger's sums, two places), by project ID."""
    next_meeting: NextMeeting | None
    """The group's next meeting, its start in the member's own zone (``local_start``; ``None`` while
    their zone cannot be read), or ``None`` when none is planned."""
    join_url: str | None
    """The next meeting's join link from the Meetings tab, when it has one."""


T = TypeVar("T")

ATTEMPTS = 3
"""How many times an action is tried afresh when the tracker changed under it (a person typed the
cell, or the ID, it was writing): each try reads the tracker again and checks the rules again."""


@dataclass(frozen=True)
class Points:
    """The points table (per project, each member's standing, highest first) and the names of the
    members it lists (a member no longer on the Members tab is shown by ID)."""

    table: tuple[tuple[ProjectId, tuple[Standing, ...]], ...]
    names: Mapping[MemberId, str]

    def __iter__(self) -> Iterator[tuple[ProjectId, tuple[Standing, ...]]]:
        return iter(self.table)

    def __getitem__(self, index: int) -> tuple[ProjectId, tuple[Standing, ...]]:
        return self.table[index]


class Desk:
    """A member's actions on the group's tracker, each one read, the core's rules, and one write.

    ``backend`` is the tracker (by default the one ``config`` names); ``clock`` gives the time
    (aware), read once per try of an action; ``wait`` is how long an action waits for a sync that
    is writing (seconds), after which it is :class:`Refused` (try again).
    """

    def __init__(
        self,
        config: Config,
        *,
        backend: TrackerBackend | None = None,
        clock: Callable[[], datetime] = compose.now,
        wait: float = compose.DEFAULT_WAIT,
    ) -> None:
        self._config = config
        self._backend = backend
        self._clock = clock
        self._wait = wait
        self._schema = load_schema()
        self._turn = threading.RLock()  # one action or look at a time: the backend is one view of the tracker

    # --- looking ---------------------------------------------------------------------------

    def member(self, *, slack_user: str, email: str | None = None) -> Member:
        """The member with Slack user ID ``slack_user`` on the Members tab, else the one whose email
        is ``email`` (case and spaces set aside). Raises :class:`Refused` when neither names a
        member, or the member is no longer active."""
        read, now = self._look()
        members = sorted(read.group.members.values(), key=lambda m: m.id)
        wanted = slack_user.strip().casefold()
        found_by_slack = [
            m for m in members if m.slack_user_id and m.slack_user_id.strip().casefold() == wanted
        ]
        mail = (email or "").strip().casefold()
        found_by_mail = [
            m for m in members if mail and m.email is not None and m.email.address.casefold() == mail
        ]
        candidates = found_by_slack or found_by_mail
        if not candidates:
            raise Refused(
                "you are not on the group's Members tab: no member's row there has your Slack user ID"
                + (" or your email address" if email else "")
                + " (or that row has a problem the Problems tab names)",
                hint=f"ask a leader to put your Slack user ID, {quote(slack_user.strip())}, "
                "on your row of the Members tab",
            )
        who = candidates[0]
        if not who.is_active_on(who.local_date(now)):
            raise Refused(
                f"{who.name} is no longer an active member of the group (Members: Active, Left)",
                hint="ask a leader if you should be",
            )
        return who

    def open_tasks(self) -> tuple[TaskLine, ...]:
        """The open tasks that take volunteers, soonest due first (``volunteers`` offers so far,
        ``places`` the task's cap or ``None``)."""
        read, now = self._look()
        group = read.group
        tasks = sorted(group.tasks.values(), key=_by_due)
        return tuple(task_line(group, t, now) for t in tasks if t.status is TaskStatus.OPEN)

    def overview(self, member: Member) -> Overview:
        """``member``'s tasks in hand, their points per project, and the next meeting (in their
        local time) with its join link."""
        read, now = self._look()
        group = read.group
        me = _on_roster(read, member)
        tasks = tuple(
            task_line(group, t, now)
            for t in sorted(group.tasks.values(), key=_by_due)
            if me.id in t.contributors and t.status.is_active
        )
        mine: dict[ProjectId, Decimal] = {}
        for entry in group.ledger:
            if entry.member_id == me.id:
                mine[entry.project_id] = mine.get(entry.project_id, Decimal(0)) + entry.points
        upcoming = group.next_meeting(now)
        meeting, join = None, None
        if upcoming is not None:
            record = group.records.get(upcoming.id)
            meeting = NextMeeting(upcoming, me.local(upcoming.start), record.agenda if record else ())
            link = read.platforms.links.get(upcoming.id)
            join = link.join_url if link is not None and link.join_url else None
        return Overview(me, tasks, tuple(sorted(mine.items())), meeting, join)

    def points(self, project: str | None = None) -> Points:
        """The points table: per project (only ``project`` when given; its ID typed in any case),
        each member's standing, highest first, with the names of those it lists. Raises
        :class:`Refused` for an unknown project."""
        read, _ = self._look()
        group = read.group
        projects = sorted(group.projects)
        if project is not None and project.strip():
            projects = [ProjectId(_refused_unless(lambda: found(group.projects, project, "project")))]
        table = tuple((p, tuple(group.ledger.standings(p, tasks=group.tasks))) for p in projects)
        listed = {s.member_id for _, standings in table for s in standings}
        names = {m: group.members[m].name for m in listed if m in group.members}
        return Points(table, names)

    def availability(self, member: Member) -> tuple[str, ...]:
        """``member``'s weekly windows and the dates they are away from today on, one line each, in
        words (``Sat 09:00-13:00``; ``away Monday 1 February 2027 to Friday 5 February 2027:
        travel``); one line saying so when nothing is recorded."""
        read, now = self._look()
        me = _on_roster(read, member)
        mine = read.group.availability.get(me.id)
        if mine is None:
            return ("No weekly windows or dates away recorded (the Availability tab).",)
        today = me.local_date(now)
        lines = [f"weekly: {w}" for w in mine.windows]
        lines += [_away_said(a) for a in mine.unavailable if a.last >= today]
        if mine.incomplete:
            lines.append(f"not all of it can be read: {mine.incomplete}")
        return tuple(lines) or ("No weekly windows or dates away recorded (the Availability tab).",)

    # --- acting ----------------------------------------------------------------------------

    def volunteer(self, member: Member, task: str, note: str = "") -> Done:
        """Offer ``member`` for the open task ``task`` (a new Volunteers row). Refused when the task
        is unknown or not open, the member already volunteered for it, or a leader forced in as
        many members as it takes. More offers than the task takes are not refused: the next sync
        ranks them (proficiency, commitment, who offered first) and says who is chosen."""

        def make(read: ReadResult, now: datetime) -> tuple[Edit, str]:
            me, chosen = _on_roster(read, member), _task(read, task)
            offer = volunteer(chosen, me, at=now, existing=read.group.volunteers, note=note)
            forced, _ = read.overrides.get(chosen.id, ([], []))
            cap = chosen.max_volunteers
            if cap is not None and len(set(forced)) >= cap and me.id not in forced:
                raise Refused(
                    f"task {chosen.id} already has its {cap} volunteer{'s' if cap > 1 else ''}, "
                    "chosen by a leader",
                    hint="ask a leader to raise the cap, or pick another task",
                )
            edit = append_row(
                read.tables,
                "volunteers",
                "Volunteers",
                {
                    "task": chosen.id,
                    "member": me.id,
                    "at": moment_text(offer.at, me.zone or UTC_ZONE),
                    "note": offer.note,
                },
            )
            offers = 1 + sum(1 for v in read.group.volunteers if v.task_id == chosen.id)
            places = f" for its {cap} place{'s' if cap > 1 else ''}" if cap is not None else ""
            then = (
                "the next sync ranks the offers and says who is chosen"
                if cap is not None and offers > cap
                else "a leader assigns the task from the offers"
            )
            return edit, (
                f"You volunteered for {chosen.id} ({chosen.title}), Volunteers row {edit.ident}: "
                f"{offers} offer{'s' if offers != 1 else ''}{places} so far; {then}."
            )

        return self._act(make)

    def submit(self, member: Member, task: str, note: str = "") -> Done:
        """Mark ``task`` submitted, as its mini-team head (Status, Status changed by, Review note).
        Refused when ``member`` is not the task's head or the task is not in progress (or back for
        rework)."""
        return self._status(member, task, TaskStatus.SUBMITTED, note, "submitted for review")

    def accept(self, member: Member, task: str, note: str = "") -> Done:
        """Accept ``task``'s submitted work (leaders who did not work on it only, as the roster
        says); the next sync awards its points on the Ledger."""
        return self._status(
            member, task, TaskStatus.ACCEPTED, note, "accepted; the next sync awards its points"
        )

    def rework(self, member: Member, task: str, note: str) -> Done:
        """Send ``task``'s submitted work back (leaders only); ``note`` says which acceptance
        criteria it does not yet meet, and is required."""
        return self._status(member, task, TaskStatus.NEEDS_REWORK, note, "sent back for rework")

    def dispute(self, member: Member, entry: str, reason: str) -> Done:
        """Raise a dispute about ``member``'s own Ledger entry ``entry`` (a new Disputes row); a
        leader resolves it on the Disputes tab."""

        def make(read: ReadResult, now: datetime) -> tuple[Edit, str]:
            me = _on_roster(read, member)
            ledger = read.group.ledger
            ident = EntryId(found((e.id for e in ledger), entry, "Ledger entry"))
            number = next_id(read.tables.get("disputes"), FIRST_IDS["disputes"])
            raised = raise_dispute(id=number, member=me, ledger=ledger, reason=reason, at=now, entry=ident)
            edit = append_row(
                read.tables,
                "disputes",
                "Disputes",
                {
                    "member": me.id,
                    "entry": ident,
                    "reason": raised.reason,
                    "raised_at": moment_text(now, me.zone or UTC_ZONE),
                },
                ident=number,
            )
            return (
                edit,
                f"Your dispute {number} about {ident} is recorded; a leader resolves it on the Disputes tab.",
            )

        return self._act(make)

    def excuse(self, member: Member, meeting: str) -> Done:
        """Add ``member`` to the Excused cell of the meeting ``meeting`` (its ID, the planned date
        ``2027-01-16``). Refused when the meeting is unknown, cancelled or already started, or has
        no row on the Meetings tab yet."""

        def make(read: ReadResult, now: datetime) -> tuple[Edit, str]:
            me, group = _on_roster(read, member), read.group
            series, table = group.series, read.tables.get("meetings")
            if series is None or table is None:
                raise Refused("the group has no meeting series", hint="a leader sets the meetings up")
            rows = meeting_rows(table, series)
            horizon = now + timedelta(days=366)  # (a meeting is excused ahead; a sync adds its row)
            meetings = {m.id: m for m in group.meetings_by(horizon)}
            ident = found(meetings, meeting, "meeting")
            held = meetings[ident]
            if held.status is MeetingStatus.CANCELLED:
                raise Refused(f"the meeting {ident} is cancelled", hint="nothing to excuse")
            if held.start <= now:
                raise Refused(
                    f"the meeting {ident} was already held ({moment_said(held.start)})",
                    hint="excuses are given before a meeting; a leader records an absence after it",
                )
            if ident not in rows:
                raise Refused(
                    f"the meeting {ident} has no row on the Meetings tab yet",
                    hint="a sync adds the meetings ahead; try again after the next one",
                )
            row = rows[ident]
            typed = next(r for r in table.rows if r.number == index_by_id(table)[row]).get("excused")
            edit = change_cells(
                read.tables, "meetings", "Meetings", row, {"excused": listed_with(typed, me.id)}
            )
            when = moment_said(held.start, me.zone or held.start.tzinfo)
            return edit, f"You are excused from the meeting of {when}."

        return self._act(make)

    def away(self, member: Member, first: date, last: date, reason: str = "") -> Done:
        """Record that ``member`` is unavailable from ``first`` to ``last`` (dates in their own zone,
        both included; a new Availability row). Refused when ``last`` is before ``first`` or
        before today."""

        def make(read: ReadResult, now: datetime) -> tuple[Edit, str]:
            me = _on_roster(read, member)
            away = Unavailability(first, last, clean_text(reason))
            if last < me.local_date(now):
                raise Refused(f"{day_said(last)} is in the past", hint="give dates from today on")
            edit = append_row(
                read.tables,
                "availability",
                "Availability",
                {"member": me.id, "away_from": first, "away_until": last, "reason": away.reason},
            )
            return edit, f"Recorded: you are {_away_said(away)}."

        return self._act(make)

    # --- the machinery ---------------------------------------------------------------------

    def _status(self, member: Member, task: str, to: TaskStatus, note: str, said: str) -> Done:
        """Move ``task`` to ``to`` as ``member`` (by the lifecycle, the way the next sync applies
        the Status typed on the Tasks tab) and write Status, Status changed by and Review note."""

        def make(read: ReadResult, now: datetime) -> tuple[Edit, str]:
            me, chosen = _on_roster(read, member), _task(read, task)
            row = _task_row(read, chosen.id)
            typed = row.get("status") if row is not None else None
            if row is not None and normalize_key(str(typed or "")) != normalize_key(chosen.status.value):
                raise Refused(
                    f"the Status of task {chosen.id} says {quote(str(typed or ''))}, which is not applied "
                    f"yet (the task is {chosen.status.value})",
                    hint="a leader puts the Status right on the Tasks tab (the Problems tab says why), "
                    "then try again",
                )
            if to is TaskStatus.SUBMITTED and me.id != chosen.head and me.id not in chosen.contributors:
                raise Refused(
                    f"task {chosen.id} is not yours: you are not on its team",
                    hint="its mini-team head submits it",
                )
            text = clean_text(note)
            advance(chosen, to, me, now, text, chosen.contributors, chosen.head)  # the lifecycle's refusals
            typed_change = next((c for c in read.changes if c.task == chosen.id), None)
            if (
                typed_change is not None
            ):  # Status and Status changed by hold a step braingain has not recorded
                raise Refused(
                    f"task {chosen.id}'s last step ({typed_change.before.value} -> "
                    f"{typed_change.after.value}, by {read.group.members[typed_change.actor].name}) "
                    "is not recorded by a sync yet, and this step would write over it",
                    hint="try again after the next sync",
                )
            edit = change_cells(
                read.tables,
                "tasks",
                "Tasks",
                chosen.id,
                {"status": to.value, "changed_by": me.id, "note": text},
            )
            return edit, f"Task {chosen.id} ({chosen.title}) is {said}."

        return self._act(make)

    def _tracker(self) -> TrackerBackend:
        if self._backend is None:
            self._backend = compose.tracker_backend(self._config)
        return self._backend

    def _read(self, tracker: TrackerBackend, now: datetime) -> ReadResult:
        read = read_tracker(
            self._schema, tracker.read(), self._config.settings, now, state_key=state_key(self._config)
        )
        if read.absent:
            raise Refused(
                "the tracker is not all there: " + "; ".join(str(a) for a in read.absent),
                hint="a leader puts it right (braingain sync says how), then try again",
            )
        return read

    def _look(self) -> tuple[ReadResult, datetime]:
        with self._turn:
            now = self._clock()
            return self._read(self._tracker(), now), now

    def _act(self, make: Callable[[ReadResult, datetime], tuple[Edit, str]]) -> Done:
        """Read, ``make`` the edit by the core's rules, write it, and read again to see it landed;
        tried afresh (at most :data:`ATTEMPTS` times) when a person changed what it wrote meanwhile."""

        def once(tracker: TrackerBackend) -> tuple[bool, str]:
            now = self._clock()
            read = self._read(tracker, now)
            edit, words = _refused_unless(lambda: make(read, now))
            if edit.write.empty:
                return True, words  # the tracker holds it already
            if tracker.write(edit.write):
                raise Refused(
                    "it was not recorded: the tracker changed while braingain was writing it",
                    hint="try again",
                )
            if _landed(self._read(tracker, now), edit):
                return True, words
            # A person changed a cell meanwhile: theirs stayed, so the edit's other cells go back as
            # they were (each only while it holds what this edit wrote), and the action is tried afresh.
            undo = tuple(
                replace(c, value="" if c.was is None else c.was, was=c.value)
                for c in edit.write.cells
                if c.fill and c.was != c.value
            )
            if undo:
                tracker.write(replace(edit.write, cells=undo))
            return False, words

        for _ in range(ATTEMPTS):
            try:
                with self._turn:
                    landed, words = compose.one_at_a_time(self._tracker(), once, wait=self._wait)
            except SyncBusy:
                raise Refused(
                    "the tracker is busy: a sync is writing it", hint="try again in a minute"
                ) from None
            if landed:
                return Done(words)
        raise Refused(
            "it was not recorded: the tracker kept changing while braingain was writing it",
            hint="try again in a minute",
        )


def _landed(read: ReadResult, edit: Edit) -> bool:
    """Whether the tracker as ``read`` holds ``edit``: its row, with its cells."""
    table = read.tables.get(edit.key)
    if table is None:
        return False
    number = index_by_id(table).get(edit.ident)
    row = next((r for r in table.rows if r.number == number), None)
    return row is not None and all(cells_equal(row.get(k), v) for k, v in edit.cells.items())


def _refused_unless(work: Callable[[], T]) -> T:
    """``work()``, its :class:`~braingain.core.errors.DomainError` said as :class:`Refused`."""
    try:
        return work()
    except DomainError as error:
        raise Refused(error.reason, hint=error.hint or "ask a leader if this seems wrong") from None


def _on_roster(read: ReadResult, member: Member) -> Member:
    """``member`` as the Members tab has them now (their role decides what they may do)."""
    me = read.group.members.get(MemberId(member.id))
    if me is None:
        raise Refused(
            f"{member.name} is not on the Members tab (or their row has a problem)",
            hint="ask a leader to look at the Members tab",
        )
    return me


def _task(read: ReadResult, typed: str) -> Task:
    return read.group.tasks[TaskId(_refused_unless(lambda: found(read.group.tasks, typed, "task")))]


def _task_row(read: ReadResult, ident: str) -> Row | None:
    table = read.tables.get("tasks")
    if table is None:
        return None
    number = index_by_id(table).get(ident)
    return next((r for r in table.rows if r.number == number), None)


def _by_due(task: Task) -> tuple[date, str]:
    return (task.due or date.max, task.id)


def _away_said(away: Unavailability) -> str:
    days = (
        day_said(away.first)
        if away.first == away.last
        else f"{day_said(away.first)} to {day_said(away.last)}"
    )
    return f"away {days}" + (f": {away.reason}" if away.reason else "")
