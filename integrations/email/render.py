"""What a member reads by email: a subject, a plain-text part and an HTML part for every message.

:func:`render_email` turns one :class:`~braingain.core.messaging.outgoing.Outgoing` into an
:class:`EmailContent` for one member: their weekly digest (their tasks with the overdue ones
flagged, for a leader the work awaiting their review, the tasks they offered for, tasks they could
volunteer for, points awarded, their disputes, the next meeting with its
agenda, their action items, and the minutes of meetings they missed), a meeting's reminder, a
meeting's minutes (flagged when they missed it), and news of tasks, disputes and the group's week.

Both parts are written from one small document (headings, paragraphs, lists, a highlighted note,
text a person typed), so the plain text carries every fact the HTML does. The HTML is one column
at most 600 px wide, styled inline only (no ``<style>`` the layout depends on), with no remote
image or font and no script, so that it reads well on a phone and in a low-bandwidth mail client;
its language is declared and its colours keep a contrast of at least 4.5:1. Everything a person
typed (titles, minutes, notes, names) is escaped. Times are in the member's own zone
(:meth:`~braingain.core.members.Member.local`), said as the rest of braingain says them
(:mod:`braingain.core.words`); while their zone cannot be read, the meeting's own time is given,
zone named. No email address is ever written into a message.

All of email's wording lives in this module.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, assert_never
from urllib.parse import urlsplit

from braingain.core.authorship.disputes import Dispute, DisputeStatus
from braingain.core.authorship.ledger import EntryKind, LedgerEntry
from braingain.core.authorship.tasks import Task
from braingain.core.group import Group
from braingain.core.ids import MemberId, ProjectId, TaskId
from braingain.core.members import Member
from braingain.core.messaging.outgoing import (
    Content,
    DisputeNews,
    MeetingMinutes,
    MeetingReminder,
    Outgoing,
    TaskNews,
)
from braingain.core.schedule.digests import GroupDigest, MemberDigest, MissedMeeting, TaskLine
from braingain.core.schedule.invitations import Invitation
from braingain.core.schedule.meetings import ActionItem, ActionStatus, AgendaItem, MeetingStatus, Occurrence
from braingain.core.schedule.reminders import FollowUp, Reminder
from braingain.core.words import day_said, moment_said

__all__ = ["EmailContent", "render_email"]


@dataclass(frozen=True, slots=True)
class EmailContent:
    """One email's words: its ``subject`` (one line), its plain ``text`` and its ``html`` (a whole
    UTF-8 document); the two parts carry the same facts."""

    subject: str
    text: str
    html: str


def render_email(
    message: Outgoing, to: Member, group: Group, *, invitation: Invitation | None = None
) -> EmailContent:
    """``message`` as member ``to`` reads it by email; ``group`` names the members, tasks and
    projects it mentions. ``invitation`` is the calendar invitation sent with it, if any: the
    message says it is attached, and gives its join link (``Invitation.url``) with the meeting it is
    for (a member's own :class:`~braingain.core.schedule.reminders.Reminder` and their digest's next
    meeting carry no link of their own). Only an ``http``/``https`` link is ever made clickable.

    Raises :class:`ValueError` when ``message`` is a member's own digest, reminder or minutes meant
    for another member (the error names both members, never an address)."""
    reader = _Reader(to, group, invitation)
    document = _document(message.content, reader)
    if invitation is not None and not reader.invitation_said:
        document = replace(document, blocks=(*document.blocks, reader.attached_invitation()))
    return EmailContent(_one_line(document.subject), _text(document), _html(document))


# The document both parts are written from -------------------------------------------------------

SpanKind = Literal["text", "strong", "flag", "muted", "link"]


@dataclass(frozen=True, slots=True)
class _Span:
    text: str
    kind: SpanKind = "text"
    url: str = ""


Line = tuple[_Span, ...]


@dataclass(frozen=True, slots=True)
class _Heading:
    text: str
    level: Literal[2, 3, 4] = 2


@dataclass(frozen=True, slots=True)
class _Para:
    line: Line


@dataclass(frozen=True, slots=True)
class _Note:
    """A highlighted paragraph: what the reader must not miss."""

    line: Line


@dataclass(frozen=True, slots=True)
class _Items:
    lines: tuple[Line, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class _Typed:
    """Text a person typed (minutes, a reason): its paragraphs and line breaks kept."""

    text: str


_Block = _Heading | _Para | _Note | _Items | _Typed


@dataclass(frozen=True, slots=True)
class _Document:
    subject: str
    title: str
    blocks: tuple[_Block, ...]
    footer: tuple[Line, ...]


def _t(text: str) -> _Span:
    return _Span(text)


def _strong(text: str) -> _Span:
    return _Span(text, "strong")


def _flag(text: str) -> _Span:
    return _Span(text, "flag")


def _muted(text: str) -> _Span:
    return _Span(text, "muted")


def _link(url: str) -> _Span:
    """A web address: a link in HTML when it is ``http``/``https``, otherwise just its text."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    return _Span(url, "link", url) if scheme in ("http", "https") else _Span(url)


def _line(*spans: _Span | str) -> Line:
    return tuple(_t(s) if isinstance(s, str) else s for s in spans if s)


# What each message says -------------------------------------------------------------------------


@dataclass(slots=True)
class _Reader:
    """Who reads the message, the group it is about, and the calendar invitation sent with it."""

    to: Member
    group: Group
    invitation: Invitation | None
    invitation_said: bool = False

    def joining(self, meeting: Occurrence, url: str | None = None) -> list[_Block]:
        """How to join ``meeting`` (``url``, else the invitation's link when it is for this meeting),
        and its invitation, when attached."""
        invitation = self.invitation
        ours = invitation is not None and invitation.meeting_id == meeting.id
        if ours and invitation is not None and not invitation.cancelled:
            url = url or invitation.url
        blocks: list[_Block] = [_Para(_line("Join the meeting: ", _link(url)))] if url else []
        if ours:
            blocks.append(self.attached_invitation(mentioned=True))
        return blocks

    def attached_invitation(self, *, mentioned: bool = False) -> _Para:
        """What the attached invitation does in the member's calendar; ``mentioned``: said beside
        the meeting it is for."""
        invitation = self.invitation
        assert invitation is not None
        self.invitation_said = True
        if invitation.cancelled:
            return _Para(
                _line("The calendar invitation attached takes the cancelled meeting off your calendar.")
            )
        which = "Its" if mentioned else f"The meeting of {self.day(invitation.start)}: its"
        return _Para(
            _line(f"{which} calendar invitation is attached; open it to add the meeting to your calendar.")
        )

    def name(self, member_id: MemberId) -> str:
        """The member's name; their ID while the group does not know them."""
        member = self.group.members.get(member_id)
        return member.name if member is not None else member_id

    def names(self, member_ids: Iterable[MemberId]) -> str:
        return _joined([self.name(m) for m in member_ids])

    def project(self, project_id: ProjectId) -> str:
        project = self.group.projects.get(project_id)
        return project.title if project is not None else project_id

    def task(self, task_id: TaskId) -> str:
        task = self.group.tasks.get(task_id)
        return f"{task_id}: {task.title}" if task is not None else task_id

    def when(self, at: datetime, local: datetime | None = None) -> str:
        """``at`` on the reader's clock, zone named; the meeting's own clock while theirs is unknown."""
        mine = local or self.to.local(at)
        return moment_said(mine if mine is not None else at)

    def day(self, at: datetime) -> str:
        mine = self.to.local(at)
        return day_said(mine if mine is not None else at)

    def hello(self) -> _Para:
        return _Para(_line(f"Hello {self.to.given_names or self.to.name},"))

    def own(self, what: str, member_id: MemberId) -> None:
        if member_id != self.to.id:
            raise ValueError(
                f"the {what} of {self.name(member_id)} cannot be sent to {self.to.name}: "
                "each member receives only their own"
            )


def _document(content: Content, r: _Reader) -> _Document:
    match content:
        case MemberDigest():
            return _member_digest(content, r)
        case Reminder():
            r.own("meeting reminder", content.member_id)
            return _reminder(
                r,
                content.meeting,
                content.agenda,
                None,
                local=content.local_start,
                away=content.expected_away,
                note=content.note,
            )
        case MeetingReminder():
            return _reminder(
                r,
                content.meeting,
                content.agenda,
                content.join_url,
                local=None,
                away=r.to.id in content.away,
                note="",
                others_away=tuple(m for m in content.away if m != r.to.id),
            )
        case FollowUp():
            r.own("minutes", content.member_id)
            return _minutes(
                r, content.meeting, content.minutes, content.decisions, content.actions, content.missed
            )
        case MeetingMinutes():
            return _minutes(
                r,
                content.meeting,
                content.minutes,
                content.decisions,
                content.actions,
                r.to.id in content.absent,
            )
        case TaskNews():
            return _task_news(content, r)
        case DisputeNews():
            return _dispute_news(content, r)
        case GroupDigest():
            return _group_digest(content, r)
        case _:
            assert_never(content)


def _footer(r: _Reader, *, digest: bool = False) -> tuple[Line, ...]:
    lines = [_line(f"Sent by braingain for {r.group.name}.")]
    if digest:
        lines.append(
            _line(
                "You receive this digest by email because of the Digest by column of your row on the "
                "Members tab of the group's tracker; a leader can change it."
            )
        )
    return tuple(lines)


def _member_digest(d: MemberDigest, r: _Reader) -> _Document:
    r.own("digest", d.member_id)
    group = r.group.name
    blocks: list[_Block] = [
        r.hello(),
        _Para(_line(f"Here is what is new for you in {group}, from {r.day(d.since)} to {r.day(d.until)}.")),
    ]
    highlights: list[str] = []
    if d.overdue:
        highlights.append(_count(len(d.overdue), "task overdue", "tasks overdue"))
    if d.to_review:
        highlights.append(_count(len(d.to_review), "task to review", "tasks to review"))
    if d.can_volunteer:
        highlights.append(_count(len(d.can_volunteer), "task to volunteer for", "tasks to volunteer for"))
    if d.points_awarded:
        highlights.append(f"{_points(sum((e.points for e in d.points_awarded), Decimal(0)))} awarded")
    if d.missed:
        highlights.append(_count(len(d.missed), "meeting missed", "meetings missed"))
    if d.my_tasks:
        if d.overdue:
            late = _count(len(d.overdue), "of your tasks is overdue:", "of your tasks are overdue:")
            blocks.append(_Note(_line(_strong(late), f" {_joined([t.task_id for t in d.overdue])}.")))
        blocks += [_Heading("Your tasks"), _Items(tuple(_task_line(t, mine=True) for t in d.my_tasks))]
    if d.to_review:
        blocks += [
            _Heading("Awaiting your review"),
            _Items(tuple(_task_line(t, mine=True) for t in d.to_review)),
            _Para(
                _line(
                    "To review one, on the Tasks tab of the group's tracker set its Status to accepted, or "
                    "to needs rework with a Review note saying which criteria it does not yet meet, and "
                    f"Status changed by to your member ID ({r.to.id}). A leader never reviews work they "
                    "contributed to."
                )
            ),
        ]
    if d.my_offers:
        blocks += [
            _Heading("Tasks you offered for"),
            _Items(tuple(_task_line(t, mine=False) for t in d.my_offers)),
            _Para(_line("A leader assigns each task after the sync ranks its offers.")),
        ]
    if d.can_volunteer:
        blocks += _open_tasks("Tasks you could volunteer for", d.can_volunteer, r)
    if d.points_awarded:
        total = sum((e.points for e in d.points_awarded), Decimal(0))
        blocks += [
            _Heading("Points awarded to you"),
            _Items(tuple(_award_line(e, r) for e in d.points_awarded)),
            _Para(_line("In all: ", _strong(_points(total)), ".")),
        ]
    if d.disputes:
        blocks += [_Heading("Your disputes"), *(b for x in d.disputes for b in _dispute_blocks(x, r))]
    if d.next_meeting is not None:
        upcoming = d.next_meeting
        blocks += [
            _Heading("Next meeting"),
            _Para(_line(_strong(r.when(upcoming.meeting.start, upcoming.local_start)))),
            *_moved(upcoming.meeting),
            *r.joining(upcoming.meeting),
            *_agenda(upcoming.agenda, r, level=3),
        ]
    if d.my_actions:
        blocks += [
            _Heading("Your action items"),
            _Items(tuple(_action_line(a, r, show_owner=False) for a in d.my_actions)),
        ]
    if d.missed:
        blocks.append(_Heading("Meetings you missed"))
        blocks.append(_Para(_line("Their minutes, so that you can catch up.")))
        for missed in d.missed:
            blocks += _missed_blocks(missed, r)
    if not d.has_news and d.next_meeting is None:
        blocks.append(_Para(_line("Nothing new for you this week.")))
    if d.notes:
        blocks += [_Heading("What this digest cannot show"), _Items(tuple(_line(n) for n in d.notes))]
    title = f"Your week in {group}"
    subject = f"{title}: {', '.join(highlights[:3])}" if highlights else title
    return _Document(subject, title, tuple(blocks), _footer(r, digest=True))


def _task_line(t: TaskLine, *, mine: bool) -> Line:
    due = f"due {day_said(t.due)}" if t.due else "no due date"
    detail = f" ({t.status.value if mine else _places(t.volunteers, t.places)}; {due})"
    return _line(
        _flag("overdue") if t.overdue else "", _strong(str(t.task_id)), f": {t.title}", _muted(detail)
    )


def _places(offers: int, places: int | None) -> str:
    """``1 offer for 2 places``; ``5 offers for 2 places: all offered for, the sync ranks them``;
    ``3 offers so far, no limit``."""
    offered = _count(offers, "offer", "offers")
    if places is None:
        return f"{offered} so far, no limit"
    said = f"{offered} for {_count(places, 'place', 'places')}"
    return f"{said}: all offered for, the sync ranks them" if offers >= places else said


def _open_tasks(heading: str, lines: Sequence[TaskLine], r: _Reader) -> list[_Block]:
    return [_Heading(heading), _Items(tuple(_task_line(t, mine=False) for t in lines)), _volunteer_how(r)]


def _volunteer_how(r: _Reader) -> _Para:
    return _Para(
        _line(
            "To volunteer, add a row to the Volunteers tab of the group's tracker with the task's ID "
            f"and your member ID ({r.to.id}); a leader selects the team."
        )
    )


def _award_line(entry: LedgerEntry, r: _Reader) -> Line:
    """An award names its task (its reason only repeats the title); any other entry says its reason."""
    if entry.kind is EntryKind.AWARD and entry.task_id is not None:
        what = f" for {r.task(entry.task_id)}"
    else:
        what = f" for {entry.reason}"
    return _line(_strong(_points(entry.points)), what, _muted(f" ({r.day(entry.recorded_at)})"))


_DISPUTE_SAID = {
    DisputeStatus.OPEN: "is open: a leader has yet to decide",
    DisputeStatus.UPHELD: "was upheld: the recorded points stand",
    DisputeStatus.ADJUSTED: "was adjusted: the points were corrected",
    DisputeStatus.WITHDRAWN: "was withdrawn",
}


def _dispute_about(dispute: Dispute, r: _Reader) -> str:
    if dispute.task_id is not None:
        task = r.group.tasks.get(dispute.task_id)
        return f"task {dispute.task_id}" + (f" ({task.title})" if task is not None else "")
    if dispute.entry_id is not None:
        return f"ledger entry {dispute.entry_id}"
    return f"the project {r.project(dispute.project_id)}"


def _dispute_blocks(dispute: Dispute, r: _Reader) -> list[_Block]:
    blocks: list[_Block] = [
        _Para(
            _line(
                _strong(f"Dispute {dispute.id}"),
                f", about {_dispute_about(dispute, r)}, {_DISPUTE_SAID[dispute.status]}",
                _muted(f" (raised {r.day(dispute.raised_at)})"),
            )
        ),
        _Para(_line(_muted("The reason given:"))),
        _Typed(dispute.reason),
    ]
    if dispute.status is not DisputeStatus.OPEN:
        last = dispute.trail[-1]
        blocks.append(_Para(_line(_muted(f"{r.name(last.by)} wrote, {r.day(last.at)}:"))))
        blocks.append(_Typed(last.note or "(no note)"))
    return blocks


def _moved(meeting: Occurrence) -> list[_Block]:
    if meeting.status is not MeetingStatus.MOVED:
        return []
    said = f"Moved from its usual day, {day_said(meeting.planned)}"
    return [_Note(_line(f"{said}: {meeting.note}" if meeting.note else f"{said}."))]


def _agenda(agenda: Sequence[AgendaItem], r: _Reader, *, level: Literal[2, 3]) -> list[_Block]:
    if not agenda:
        return [_Para(_line(_muted("No agenda items yet.")))]
    return [
        _Heading("Agenda", level),
        _Items(
            tuple(
                _line(
                    item.title,
                    _muted(
                        f" (added by {r.name(item.added_by)}"
                        f"{', after the agenda was published' if item.late else ''})"
                    ),
                )
                for item in agenda
            ),
            ordered=True,
        ),
    ]


_ACTION_SAID = {ActionStatus.OPEN: "open", ActionStatus.DONE: "done", ActionStatus.DROPPED: "dropped"}


def _action_line(action: ActionItem, r: _Reader, *, show_owner: bool = True) -> Line:
    details = []
    if show_owner:
        details.append(r.name(action.owner))
    details.append(f"due {day_said(action.due)}" if action.due else "no due date")
    details.append(_ACTION_SAID[action.status])
    if not show_owner:
        details.append(f"from the meeting of {_meeting_day(action.meeting_id)}")
    yours = show_owner and action.owner == r.to.id
    return _line(_flag("yours") if yours else "", action.title, _muted(f" ({'; '.join(details)})"))


def _meeting_day(meeting_id: str) -> str:
    """A meeting named by its ID (its planned date, ``2027-01-16``) as a day said in words."""
    try:
        return day_said(date.fromisoformat(meeting_id))
    except ValueError:
        return meeting_id


def _meeting_record(
    minutes: str,
    decisions: Sequence[str],
    actions: Sequence[ActionItem],
    r: _Reader,
    *,
    level: Literal[2, 3, 4],
) -> list[_Block]:
    blocks: list[_Block] = [_Heading("Minutes", level)]
    blocks.append(_Typed(minutes) if minutes.strip() else _Para(_line(_muted("No minutes were recorded."))))
    if decisions:
        blocks += [_Heading("Decisions", level), _Items(tuple(_line(d) for d in decisions))]
    if actions:
        blocks += [_Heading("Action items", level), _Items(tuple(_action_line(a, r) for a in actions))]
    return blocks


def _missed_blocks(missed: MissedMeeting, r: _Reader) -> list[_Block]:
    when = r.when(missed.meeting.start, missed.local_start)
    return [
        _Heading(f"The meeting of {when}", 3),
        *_meeting_record(missed.minutes, missed.decisions, missed.actions, r, level=4),
    ]


def _reminder(
    r: _Reader,
    meeting: Occurrence,
    agenda: Sequence[AgendaItem],
    join_url: str | None,
    *,
    local: datetime | None,
    away: bool,
    note: str,
    others_away: Sequence[MemberId] = (),
) -> _Document:
    group = r.group.name
    when = r.when(meeting.start, local)
    mine = local is not None or r.to.local(meeting.start) is not None
    blocks: list[_Block] = [
        r.hello(),
        _Para(
            _line(
                f"{group} meets on ",
                _strong(when),
                ", your own time." if mine else ".",
                f" It lasts {_count(meeting.length, 'minute', 'minutes')}.",
            )
        ),
    ]
    if note:
        blocks.append(_Para(_line(_muted(_sentence(note)))))
    elif not mine:
        blocks.append(_Para(_line(_muted("This is the meeting's own time: your time zone is not known."))))
    blocks += _moved(meeting)
    if away:
        blocks.append(
            _Note(
                _line(
                    "You said you are away that day: there is no need to come. "
                    "The minutes and action items will reach you afterwards."
                )
            )
        )
    blocks += r.joining(meeting, join_url)
    if others_away:
        blocks.append(_Para(_line(_muted(f"Away that day: {r.names(others_away)}."))))
    if agenda:
        blocks += _agenda(agenda, r, level=2)
    subject = f"Reminder: {group} meets on {when}"
    return _Document(subject, f"{group} meets on {r.day(meeting.start)}", tuple(blocks), _footer(r))


def _minutes(
    r: _Reader,
    meeting: Occurrence,
    minutes: str,
    decisions: Sequence[str],
    actions: Sequence[ActionItem],
    missed: bool,
) -> _Document:
    group = r.group.name
    day = r.day(meeting.start)
    blocks: list[_Block] = [r.hello()]
    if missed:
        blocks.append(
            _Note(
                _line(
                    _strong("You missed this meeting."),
                    " Here are its minutes, decisions and action items, so that you can catch up.",
                )
            )
        )
    blocks.append(_Para(_line(f"The meeting of {group} on ", _strong(r.when(meeting.start)), ".")))
    blocks += _meeting_record(minutes, decisions, actions, r, level=2)
    if missed:
        title = f"You missed the meeting of {day}"
        subject = f"{group}: you missed the meeting of {day}; its minutes and action items"
    else:
        title = f"Minutes of the meeting of {day}"
        subject = f"{group}: minutes of the meeting of {day}"
    return _Document(subject, title, tuple(blocks), _footer(r))


def _task_blocks(task: Task, r: _Reader) -> list[_Block]:
    facts = [
        _line(_muted("Project: "), r.project(task.project_id)),
        _line(_muted("Deliverable: "), task.deliverable),
        _line(_muted("Accepted when: "), task.acceptance_criteria or "(not written yet)"),
        _line(_muted("Worth: "), _points(task.points)),
        _line(_muted("Due: "), day_said(task.due) if task.due else "no due date"),
        _line(_muted("Supervising leader: "), r.name(task.supervisor)),
    ]
    return [_Para(_line(_strong(str(task.id)), f": {task.title}")), _Items(tuple(facts))]


def _task_news(news: TaskNews, r: _Reader) -> _Document:
    task = news.task
    blocks: list[_Block] = [r.hello()]
    match news.kind:
        case "opened":
            title = f"Task {task.id} is open for volunteers"
            so_far = f"{_count(news.offers, 'offer', 'offers')} so far"
            cap, left = task.max_volunteers, news.places_left
            if cap is None or left is None:
                places = f"There is no limit on volunteers ({so_far})."
            elif left:
                places = f"It takes {_count(left, 'more volunteer', 'more volunteers')} ({so_far})."
            else:
                places = (
                    f"Its {_count(cap, 'place is', 'places are')} all offered for ({so_far}): "
                    "you can still offer, as the sync ranks every offer."
                )
            blocks += [
                _Para(_line(f"A new task opened for volunteers on {r.day(news.at)}. {places}")),
                *_task_blocks(task, r),
                _volunteer_how(r),
            ]
        case "selected":
            title = f"Volunteers selected for {task.id}"
            team = _Items(
                tuple(
                    _line(r.name(m), _muted(" (mini-team head)") if m == task.head else "")
                    for m in task.contributors
                )
            )
            blocks += [
                _Para(_line(f"The team of task {task.id} was selected on {r.day(news.at)}:")),
                team,
            ]
            if r.to.id in task.contributors:
                blocks.append(_Note(_line(_strong("You are on the team."), " Thank you for volunteering.")))
            blocks += _task_blocks(task, r)
        case "submitted":
            title = f"Work on {task.id} submitted for review"
            blocks += [
                _Para(
                    _line(
                        f"The work on task {task.id} was submitted for review on {r.day(news.at)}. "
                        f"{r.name(task.supervisor)} accepts it or asks for rework."
                    )
                ),
                *_task_blocks(task, r),
            ]
        case "accepted":
            title = f"Work on {task.id} accepted"
            blocks.append(_Para(_line(f"The work on task {task.id} was accepted on {r.day(news.at)}.")))
            mine = sum((e.points for e in news.awards if e.member_id == r.to.id), Decimal(0))
            if any(e.member_id == r.to.id for e in news.awards):
                blocks.append(_Note(_line("You were awarded ", _strong(_points(mine)), ".")))
            if news.awards:
                blocks += [
                    _Heading("Points awarded"),
                    _Items(
                        tuple(
                            _line(r.name(e.member_id), ": ", _strong(_points(e.points))) for e in news.awards
                        )
                    ),
                ]
            blocks += _task_blocks(task, r)
        case _:
            assert_never(news.kind)
    return _Document(f"{r.group.name}: {title}: {task.title}", title, tuple(blocks), _footer(r))


def _dispute_news(news: DisputeNews, r: _Reader) -> _Document:
    dispute = news.dispute
    mine = dispute.member_id == r.to.id
    if news.kind == "raised":
        title = f"Dispute {dispute.id} raised"
        who = "You" if mine else r.name(dispute.member_id)
        opening = f"{who} raised a dispute about {_dispute_about(dispute, r)} on {r.day(news.at)}."
    else:
        title = f"Dispute {dispute.id} resolved"
        whose = "you" if mine else r.name(dispute.member_id)
        opening = f"The dispute {whose} raised was resolved on {r.day(news.at)}."
    blocks: list[_Block] = [r.hello(), _Para(_line(opening)), *_dispute_blocks(dispute, r)]
    return _Document(f"{r.group.name}: {title}", title, tuple(blocks), _footer(r))


def _group_digest(d: GroupDigest, r: _Reader) -> _Document:
    group = r.group.name
    blocks: list[_Block] = [
        r.hello(),
        _Para(_line(f"How {group} did from {r.day(d.since)} to {r.day(d.until)}.")),
    ]
    if d.progress:
        blocks += [
            _Heading("Progress"),
            _Items(
                tuple(
                    _line(
                        _strong(p.title),
                        f": {p.accepted} of {_count(p.total, 'task', 'tasks')} accepted ({p.percent}%), "
                        f"{_points(p.points)} awarded",
                        _muted(
                            f"; next milestone: {p.next_milestone[0]}, {day_said(p.next_milestone[1])}"
                            if p.next_milestone
                            else ""
                        ),
                    )
                    for p in d.progress
                )
            ),
        ]
    if d.needing_volunteers:
        blocks += _open_tasks("Tasks needing volunteers", d.needing_volunteers, r)
    if d.newly_accepted:
        blocks += [
            _Heading("Work accepted"),
            _Items(tuple(_line(_strong(str(t.task_id)), f": {t.title}") for t in d.newly_accepted)),
        ]
    if d.upcoming_deadlines:
        blocks += [
            _Heading("Deadlines ahead"),
            _Items(
                tuple(
                    _line(_strong(day_said(x.due)), f": {x.what}", _muted(f" ({r.project(x.project_id)})"))
                    for x in d.upcoming_deadlines
                )
            ),
        ]
    tables = [(p, standings) for p, standings in d.points_table if standings]
    if tables:
        blocks.append(_Heading("Points"))
    for project_id, standings in tables:
        blocks += [
            _Heading(r.project(project_id), 3),
            _Items(
                tuple(
                    _line(
                        r.name(s.member_id),
                        ": ",
                        _strong(_points(s.points)),
                        _muted(f" ({_count(s.accepted_tasks, 'task', 'tasks')} accepted)"),
                    )
                    for s in standings
                ),
                ordered=True,
            ),
        ]
    title = f"The week in {group}"
    return _Document(title, title, tuple(blocks), _footer(r))


# Words ------------------------------------------------------------------------------------------


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _points(value: Decimal) -> str:
    """``2 points``, ``2.50 points``, ``1 point``: two places unless whole."""
    amount = value.quantize(Decimal("0.01"))
    said = f"{amount:f}".removesuffix(".00")
    return f"{said} {'point' if amount in (1, -1) else 'points'}"


def _joined(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# Plain text -------------------------------------------------------------------------------------

_WIDTH = 72


def _plain(line: Line) -> str:
    parts = []
    for span in line:
        if span.kind == "flag":
            parts.append(f"[{span.text.upper()}] ")
        else:
            parts.append(span.text)
    return "".join(parts)


def _wrap(text: str, first: str = "", rest: str = "") -> str:
    return textwrap.fill(
        text,
        _WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _typed_paragraphs(text: str) -> list[list[str]]:
    """Paragraphs (split at blank lines) of lines, as typed."""
    paragraphs: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _text(document: _Document) -> str:
    out = [document.title, "=" * min(len(document.title), _WIDTH)]
    for block in document.blocks:
        match block:
            case _Heading(text, 2):
                out += ["", "", text, "-" * min(len(text), _WIDTH)]
            case _Heading(text, 3):
                out += ["", text, "~" * min(len(text), _WIDTH)]
            case _Heading(text, _):
                out += ["", f"{text}:"]
            case _Para(line):
                out += ["", _wrap(_plain(line))]
            case _Note(line):
                out += ["", _wrap(_plain(line), "! ", "! ")]
            case _Items(lines, ordered):
                out.append("")
                for n, line in enumerate(lines, 1):
                    mark = f"{n}. " if ordered else "- "
                    out.append(_wrap(_plain(line), mark, " " * len(mark)))
            case _Typed(text):
                for paragraph in _typed_paragraphs(text):
                    out += ["", *(_wrap(line, "    ", "    ") for line in paragraph)]
            case _:
                assert_never(block)
    out += ["", "-- "]
    out += [_wrap(_plain(line)) for line in document.footer]
    return "\n".join(out) + "\n"


# HTML -------------------------------------------------------------------------------------------

_FONT = "-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
_INK = "#1f2328"  # 15.8:1 on white
_MUTED = "#555f6b"  # 6.6:1 on white
_LINK = "#0b57d0"  # 6.3:1 on white
_STYLE = {
    "body": "margin:0;padding:0;background-color:#eef0f3;",
    "column": (
        f"max-width:600px;margin:0 auto;padding:20px 16px;background-color:#ffffff;color:{_INK};"
        f"font-family:{_FONT};font-size:16px;line-height:1.5;overflow-wrap:break-word;word-wrap:break-word;"
    ),
    "h1": f"margin:0 0 16px;font-size:22px;line-height:1.3;color:{_INK};",
    "h2": (
        "margin:28px 0 8px;padding-top:16px;border-top:1px solid #d8dde3;"
        f"font-size:18px;line-height:1.3;color:{_INK};"
    ),
    "h3": f"margin:20px 0 6px;font-size:16px;line-height:1.3;color:{_INK};",
    "h4": f"margin:12px 0 4px;font-size:15px;line-height:1.3;color:{_MUTED};",
    "p": "margin:0 0 12px;",
    "note": (
        "margin:0 0 12px;padding:10px 12px;background-color:#fff4d6;border-left:4px solid #9a6700;"
        f"color:{_INK};"
    ),
    "typed": f"margin:0 0 12px;padding:0 0 0 12px;border-left:3px solid #d8dde3;color:{_INK};",
    "list": "margin:0 0 12px;padding:0 0 0 22px;",
    "li": "margin:0 0 6px;",
    "muted": f"color:{_MUTED};",
    "flag": (
        "padding:0 4px;border-radius:3px;background-color:#ffe1df;color:#8c1d18;font-size:13px;"
        "font-weight:bold;"
    ),
    "link": f"color:{_LINK};text-decoration:underline;",
    "footer": f"margin:28px 0 0;padding-top:12px;border-top:1px solid #d8dde3;font-size:13px;color:{_MUTED};",
}


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _spans(line: Line) -> str:
    out = []
    for span in line:
        text = _esc(span.text)
        match span.kind:
            case "text":
                out.append(text)
            case "strong":
                out.append(f"<strong>{text}</strong>")
            case "muted":
                out.append(f'<span style="{_STYLE["muted"]}">{text}</span>')
            case "flag":
                out.append(f'<span style="{_STYLE["flag"]}">{_esc(span.text.upper())}</span> ')
            case "link":
                out.append(f'<a href="{_esc(span.url)}" style="{_STYLE["link"]}">{text}</a>')
            case _:
                assert_never(span.kind)
    return "".join(out)


def _html(document: _Document) -> str:
    subject = _esc(_one_line(document.subject))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        f"<title>{subject}</title>",
        "</head>",
        f'<body style="{_STYLE["body"]}">',
        f'<div role="article" aria-label="{subject}" lang="en" style="{_STYLE["column"]}">',
        f'<h1 style="{_STYLE["h1"]}">{_esc(document.title)}</h1>',
    ]
    for block in document.blocks:
        match block:
            case _Heading(text, level):
                out.append(f'<h{level} style="{_STYLE[f"h{level}"]}">{_esc(text)}</h{level}>')
            case _Para(line):
                out.append(f'<p style="{_STYLE["p"]}">{_spans(line)}</p>')
            case _Note(line):
                out.append(f'<p style="{_STYLE["note"]}">{_spans(line)}</p>')
            case _Items(lines, ordered):
                tag = "ol" if ordered else "ul"
                items = "".join(f'<li style="{_STYLE["li"]}">{_spans(line)}</li>' for line in lines)
                out.append(f'<{tag} style="{_STYLE["list"]}">{items}</{tag}>')
            case _Typed(text):
                out += [
                    f'<p style="{_STYLE["typed"]}">{"<br>".join(_esc(line) for line in paragraph)}</p>'
                    for paragraph in _typed_paragraphs(text)
                ]
            case _:
                assert_never(block)
    footer = "<br>".join(_spans(line) for line in document.footer)
    out += [f'<p style="{_STYLE["footer"]}">{footer}</p>', "</div>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
