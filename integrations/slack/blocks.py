"""A message as Slack shows it: Block Kit blocks, the readable ``text`` beside them, and the metadata
that carries the message's key (how a post whose answer was lost is found again).

Every :data:`~braingain.core.messaging.outgoing.Content` renders: news of a task (opened: a
*Volunteer* button; volunteers selected: *Submit work*; work submitted: *Accept* and *Needs
rework*; work accepted: the points of each contributor), news of a dispute, a meeting's reminder,
its minutes, the weekly group digest, a member's digest, and a member's own reminder and follow-up.
Buttons carry stable ``action_id``\\ s (:data:`VOLUNTEER`, :data:`SUBMIT`, :data:`ACCEPT`,
:data:`REWORK`) and the task's ID as ``value``; who may press them is the app's business, not the
message's.

Members are named by mention (``<@U…>``) when their Slack user ID is known, else by name; in a
member's own message (their digest, reminder, minutes) they are "you", never a mention of
themselves. Times
carry Slack's date token; whatever a person typed is escaped (and any email address in it blanked).

Slack refuses a message over its limits, so every message is made to fit them (:data:`LIMITS`,
from Slack's Block Kit reference): a long text is split over sections and, past the last block or
the characters a message may hold, cut with :data:`~braingain.integrations.slack.words.CONTINUED`.
Lengths are counted in UTF-16 code units, never fewer than the characters Slack counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from braingain.core.authorship.ledger import Standing
from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.group import Group
from braingain.core.ids import MemberId, ProjectId
from braingain.core.messaging.outgoing import (
    DisputeNews,
    MeetingMinutes,
    MeetingReminder,
    Outgoing,
    TaskNews,
)
from braingain.core.schedule.digests import GroupDigest, MemberDigest, TaskLine
from braingain.core.schedule.meetings import ActionItem, AgendaItem, Occurrence
from braingain.core.schedule.reminders import FollowUp, Reminder
from braingain.core.words import day_said, day_short
from braingain.integrations.slack import words

__all__ = [
    "ACCEPT",
    "EVENT_TYPE",
    "LIMITS",
    "REWORK",
    "SUBMIT",
    "VOLUNTEER",
    "SlackMessage",
    "readable",
    "render",
    "size",
]

VOLUNTEER, SUBMIT, ACCEPT, REWORK = "bg_volunteer", "bg_submit", "bg_accept", "bg_rework"
"""The ``action_id`` of each button; the value is the task's ID."""

EVENT_TYPE = "braingain_message"
"""The metadata ``event_type`` of every message braingain posts."""

LIMITS: dict[str, int] = {
    "blocks": 50,  # blocks in a message
    "header": 150,  # a header's plain text
    "section": 3000,  # a section's text (any text object)
    "field": 2000,  # one field of a section
    "fields": 10,  # fields in a section
    "context": 10,  # elements of a context block
    "actions": 25,  # elements of an actions block
    "button": 75,  # a button's text
    "value": 2000,  # a button's value
    "action_id": 255,
    "text": 4000,  # the message's text: Slack's advice (it cuts a text past 40,000)
    "total": 12000,  # characters in all blocks: Slack refuses far less than 50 x 3000 (msg_blocks_too_long)
}
"""Slack's limits (Block Kit reference: blocks, block elements, composition objects; chat.postMessage)."""


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """What ``chat.postMessage`` is given: the ``text`` (notifications, screen readers, the outbox's
    ``.txt``), the Block Kit ``blocks``, and the message ``metadata`` (``event_type`` and
    ``event_payload``, which holds the message's key)."""

    text: str
    blocks: tuple[dict[str, Any], ...]
    metadata: dict[str, Any]


def size(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (an emoji counts 2): never less than Slack's count."""
    return len(text.encode("utf-16-le")) // 2


# -- fitting text into limits -----------------------------------------------------------------------


def _cut_index(text: str, limit: int, *, markup: bool = True) -> int:
    """Where to cut ``text`` so the part before holds at most ``limit`` units and, in mrkdwn
    (``markup``), never half a token (``<…>``) or an entity (``&amp;``): at a line break or a space
    in its second half when there is one."""
    end, used = 0, 0
    for char in text:
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            break
        end += 1
    else:
        return len(text)
    if markup:
        opened = text.rfind("<", 0, end)
        if opened > text.rfind(">", 0, end):
            end = opened
        ampersand = text.rfind("&", 0, end)
        if ampersand > text.rfind(";", 0, end):
            end = ampersand
    for mark in ("\n", " "):
        at = text.rfind(mark, 0, end)
        if at > end // 2 and (not markup or text.rfind("<", 0, at) <= text.rfind(">", 0, at)):
            return at
    return end


def _cut(text: str, limit: int, tail: str = " …", *, markup: bool = True) -> str:
    """``text`` when it fits ``limit``, else cut (see :func:`_cut_index`) and ended with ``tail``."""
    if size(text) <= limit:
        return text
    return text[: _cut_index(text, limit - size(tail), markup=markup)].rstrip() + tail


def _chunks(text: str, limit: int) -> Iterator[str]:
    """``text`` in pieces of at most ``limit`` units, cut at line breaks where it can be."""
    while size(text) > limit:
        at = _cut_index(text, limit) or limit // 2
        piece, text = text[:at].rstrip(), text[at:].lstrip()
        if piece:
            yield piece
    if text.strip():
        yield text


# -- blocks ------------------------------------------------------------------------------------------


def _header(text: str) -> dict[str, Any]:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": _cut(text, LIMITS["header"], "…", markup=False)},
    }


def _section(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def _sections(text: str) -> list[dict[str, Any]]:
    return [_section(piece) for piece in _chunks(text, LIMITS["section"])]


def _fields(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    fields = [
        {"type": "mrkdwn", "text": _cut(f"*{label}*\n{value}", LIMITS["field"])}
        for label, value in pairs[: LIMITS["fields"]]
    ]
    return {"type": "section", "fields": fields}


def _context(*texts: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": _cut(t, LIMITS["section"])} for t in texts[: LIMITS["context"]]
        ],
    }


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": _cut(label, LIMITS["button"], "…", markup=False)},
        "action_id": action_id,
        "value": value[: LIMITS["value"]],
    }
    if style is not None:
        button["style"] = style
    return button


def _actions(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(buttons[: LIMITS["actions"]])}


_DIVIDER: dict[str, Any] = {"type": "divider"}


def _texts(block: dict[str, Any], *, buttons: bool = True) -> Iterator[str]:
    """Every text a block shows, in order (header, section text and fields, context, and the buttons'
    labels unless ``buttons`` is false)."""
    text = block.get("text")
    if isinstance(text, dict):
        yield str(text["text"])
    for element in (*block.get("fields", ()), *block.get("elements", ())):
        if element.get("type") == "button":
            if buttons:
                yield str(element["text"]["text"])
        elif "text" in element:
            yield str(element["text"])
    accessory = block.get("accessory")
    if buttons and isinstance(accessory, dict) and accessory.get("type") == "button":
        yield str(accessory["text"]["text"])


def _fit(blocks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``blocks`` within the message's limits: in order while they fit (the last section that does not
    is cut to what is left), then :data:`words.CONTINUED` when anything was left out. The buttons of
    an ``actions`` block are what the message is for, so room is kept for them whatever comes before:
    when the text is cut, they follow the continuation line."""
    actions = [b for b in blocks if b["type"] == "actions"]
    room = LIMITS["blocks"] - 1 - len(actions)
    budget = LIMITS["total"] - size(words.CONTINUED) - sum(size(t) for b in actions for t in _texts(b))
    kept: list[dict[str, Any]] = []
    for at, block in enumerate(blocks):
        if block["type"] == "actions":
            kept.append(block)
            room += 1
            continue
        used = sum(size(t) for t in _texts(block))
        if len(kept) < room and used <= budget:
            kept.append(block)
            budget -= used
            continue
        if len(kept) < room and block["type"] == "section" and "fields" not in block and budget > 100:
            kept.append(_section(_cut(block["text"]["text"], budget)))
        if kept and kept[-1]["type"] == "divider":
            kept.pop()
        kept.append(_context(words.CONTINUED))
        kept += [b for b in blocks[at + 1 :] if b["type"] == "actions"]
        break
    return kept


def _fallback(blocks: Iterable[dict[str, Any]]) -> str:
    """The message's ``text``: what its blocks say, line by line (buttons left out), within the limit."""
    lines: list[str] = []
    for block in blocks:
        if block["type"] == "header":  # plain text there, mrkdwn here
            lines.append(words.escape(block["text"]["text"]))
        elif block["type"] == "section" and "fields" in block:
            lines += [str(f["text"]).replace("*\n", "*: ", 1) for f in block["fields"]]
        else:
            lines += _texts(block, buttons=False)
    text = "\n".join(line for line in lines if line)
    return _cut(text, LIMITS["text"], f"\n{words.CONTINUED}")


# -- naming and times --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Say:
    """How one message names people and times for ``group``."""

    group: Group
    me: MemberId | None = None
    """Whose own message it is (named "you" in it), if anyone's."""

    @property
    def zone(self) -> tzinfo | None:
        """The group's meeting zone (the anchor zone of its series), for the fallback of a time."""
        return self.group.series.slot.zone if self.group.series is not None else None

    def who(self, member_id: MemberId | str) -> str:
        """ "you" for the reader of their own message; else a mention when the member's Slack user ID
        is known, else their name (or the ID as given)."""
        if self.me is not None and member_id == self.me:
            return words.YOU
        member = self.group.members.get(MemberId(member_id))
        if member is None:
            return words.escape(str(member_id))
        if member.slack_user_id:
            return f"<@{member.slack_user_id}>"
        return words.escape(member.name)

    def team(self, task: Task) -> str:
        return ", ".join(
            words.head_said(self.who(m)) if m == task.head else self.who(m) for m in task.contributors
        )

    def when(self, at: datetime, zone: tzinfo | None = None) -> str:
        return words.slack_date(at, zone or self.zone)

    def meeting(self, meeting: Occurrence) -> str:
        return words.slack_date(meeting.start, meeting.start.tzinfo)

    def day_of(self, at: datetime) -> date:
        """The day of ``at`` in the meeting's own zone (a header cannot hold a date token)."""
        return at.astimezone(self.zone).date() if self.zone is not None else at.date()

    def project(self, project_id: str) -> str:
        project = self.group.projects.get(ProjectId(project_id))
        return project.title if project is not None else project_id

    def agenda(self, agenda: Sequence[AgendaItem]) -> str:
        return "\n".join(words.agenda_line(a.title, self.who(a.added_by), a.late) for a in agenda)

    def actions(self, actions: Sequence[ActionItem]) -> str:
        return "\n".join(
            words.action_line(a.title, self.who(a.owner), day_short(a.due) if a.due else None)
            for a in actions
        )

    def names(self, members: Iterable[MemberId]) -> str:
        return ", ".join(self.who(m) for m in members)


def _titled(title: str, body: str) -> list[dict[str, Any]]:
    """A section headed by ``title`` (bold), its body split over as many sections as it needs."""
    return _sections(f"*{title}*\n{body}") if body else []


def _line_list(lines: Sequence[str]) -> str:
    return "\n".join(lines)


# -- each kind of message ----------------------------------------------------------------------------


def _task_fields(
    say: _Say, task: Task, extra: Sequence[tuple[str, str]] = (), *, worth: bool = True
) -> dict[str, Any]:
    """The task's project, points (unless ``worth`` is false), stage, due date, and ``extra``."""
    pairs = [
        (words.PROJECT, words.escape(say.project(task.project_id))),
        *([(words.POINTS, words.points_said(task.points))] if worth else []),
        (words.STAGE, words.escape(task.stage)),
        (words.DUE, day_said(task.due) if task.due else "—"),
        *extra,
    ]
    return _fields(pairs)


def _task_body(task: Task) -> list[dict[str, Any]]:
    criteria = words.escape(task.acceptance_criteria) or words.NO_CRITERIA
    return [
        *_titled(words.DELIVERABLE, words.escape(task.deliverable)),
        *_titled(words.CRITERIA, criteria),
    ]


def _task_news(say: _Say, news: TaskNews) -> list[dict[str, Any]]:
    task, when = news.task, say.when(news.at)
    title = words.task_title(task.id, task.title)
    if news.kind == "opened":
        return [
            _header(f"{words.TASK_OPENED}: {title}"),
            _task_fields(
                say,
                task,
                [
                    (words.PLACES, words.places_said(task.max_volunteers, news.offers)),
                    (words.SUPERVISOR, say.who(task.supervisor)),
                    (words.CREDIT, words.escape(task.credit_role.value)),
                ],
            ),
            *_task_body(task),
            _actions(_button(words.VOLUNTEER_BUTTON, VOLUNTEER, task.id, "primary")),
            _context(words.opened_context(task.id, when)),
        ]
    if news.kind == "selected":
        return [
            _header(f"{words.TASK_SELECTED}: {title}"),
            *_sections(f"*{words.TEAM}:* {say.team(task)}"),
            _task_fields(say, task),
            *_titled(words.CRITERIA, words.escape(task.acceptance_criteria) or words.NO_CRITERIA),
            _actions(_button(words.SUBMIT_BUTTON, SUBMIT, task.id, "primary")),
            _context(words.selected_context(task.id, when)),
        ]
    if news.kind == "submitted":
        note = next(
            (e.note for e in reversed(task.history) if e.to_status is TaskStatus.SUBMITTED and e.note), ""
        )
        return [
            _header(f"{words.TASK_SUBMITTED}: {title}"),
            *_sections(f"*{words.TEAM}:* {say.team(task)}"),
            _task_fields(say, task, [(words.SUPERVISOR, say.who(task.supervisor))]),
            *_task_body(task),
            *(_sections(words.submitted_note(note)) if note else []),
            _actions(
                _button(words.ACCEPT_BUTTON, ACCEPT, task.id, "primary"),
                _button(words.REWORK_BUTTON, REWORK, task.id, "danger"),
            ),
            _context(words.submitted_context(when)),
        ]
    if news.awards:
        lines = [words.award_line(say.who(e.member_id), e.points) for e in news.awards]
    else:
        lines = [words.split_line(say.who(m), p) for m, p in task.split_points().items()]
    return [
        _header(f"{words.TASK_ACCEPTED}: {title}"),
        _task_fields(say, task, worth=False),  # the points are said once: who was awarded what
        *_titled(words.POINTS, _line_list(lines)),
        _context(words.accepted_context(when)),
    ]


def _dispute_news(say: _Say, news: DisputeNews) -> list[dict[str, Any]]:
    dispute = news.dispute
    title = words.dispute_title(dispute.id, say.project(dispute.project_id))
    about = words.dispute_about(dispute.entry_id, dispute.task_id)
    if news.kind == "raised":
        return [
            _header(f"{words.DISPUTE_RAISED}: {title}"),
            *_sections(words.dispute_raised(say.who(dispute.member_id), about)),
            *_titled(words.REASON, words.escape(dispute.reason)),
            _context(words.dispute_raised_context(say.when(news.at), dispute.id)),
        ]
    last = dispute.trail[-1]
    return [
        _header(f"{words.DISPUTE_RESOLVED}: {title}"),
        *_sections(words.dispute_resolved(say.who(last.by), last.action, say.who(dispute.member_id))),
        *_titled(words.REASON, words.escape(last.note)),
        _context(words.resolved_context(say.when(news.at))),
    ]


def _meeting_lines(say: _Say, meeting: Occurrence) -> list[dict[str, Any]]:
    blocks = _sections(words.meeting_when(say.meeting(meeting), meeting.length))
    if meeting.note or meeting.status.value == "moved":
        blocks += _sections(words.meeting_moved(meeting.note))
    return blocks


def _reminder(say: _Say, reminder: MeetingReminder) -> list[dict[str, Any]]:
    blocks = [
        _header(words.reminder_header(say.day_of(reminder.meeting.start))),
        *_meeting_lines(say, reminder.meeting),
    ]
    if reminder.join_url:
        blocks += _sections(words.link(reminder.join_url, words.JOIN))
    blocks += _titled(words.AGENDA, say.agenda(reminder.agenda))
    if reminder.away:
        blocks.append(_context(f"{words.AWAY}: {say.names(reminder.away)}"))
    return blocks


def _minutes_blocks(
    say: _Say, minutes: str, decisions: Sequence[str], actions: Sequence[ActionItem]
) -> list[dict[str, Any]]:
    return [
        *_sections(words.escape(minutes) if minutes.strip() else words.NO_MINUTES),
        *_titled(words.DECISIONS, _line_list([f"• {words.escape(d)}" for d in decisions])),
        *_titled(words.ACTIONS, say.actions(actions)),
    ]


def _minutes(say: _Say, minutes: MeetingMinutes) -> list[dict[str, Any]]:
    blocks = [
        _header(words.minutes_header(day_said(minutes.meeting.start))),
        _context(say.meeting(minutes.meeting)),
        *_minutes_blocks(say, minutes.minutes, minutes.decisions, minutes.actions),
    ]
    if minutes.absent:
        blocks.append(_context(f"{words.ABSENT}: {say.names(minutes.absent)}"))
    return blocks


def _task_lines(say: _Say, lines: Sequence[TaskLine], *, offers: bool = False) -> str:
    said = []
    for line in lines:
        details = [words.escape(say.project(line.project_id))]
        if offers:
            details.append(words.offers_said(line.volunteers, line.places))
        if line.due:
            details.append(words.due_said(day_short(line.due)))
        if line.overdue:
            details.append(words.OVERDUE)
        said.append(words.task_line(line.task_id, line.title, ", ".join(details)))
    return _line_list(said)


def _volunteer_sections(say: _Say, title: str, lines: Sequence[TaskLine]) -> list[dict[str, Any]]:
    """Tasks open for volunteers, each with its own Volunteer button (the first ten; the rest listed)."""
    if not lines:
        return []
    blocks = _sections(f"*{title}*")
    blocks += [
        _section(
            _cut(_task_lines(say, [line], offers=True), LIMITS["section"]),
            _button(words.VOLUNTEER_BUTTON, VOLUNTEER, line.task_id),
        )
        for line in lines[:10]
    ]
    blocks += _sections(_task_lines(say, lines[10:], offers=True))
    return blocks


REVIEW_BUTTONS = 5
"""Submitted tasks a leader's digest gives Accept and Needs rework buttons (the rest are listed)."""


def _review_sections(say: _Say, lines: Sequence[TaskLine]) -> list[dict[str, Any]]:
    """Submitted work awaiting the reader's review: the first few each with its Accept and Needs
    rework buttons (labelled with the task, should a cut part them from their line), the rest listed."""
    if not lines:
        return []
    blocks = _sections(f"*{words.TO_REVIEW}*")
    for line in lines[:REVIEW_BUTTONS]:
        blocks += [
            _section(_cut(_task_lines(say, [line]), LIMITS["section"])),
            _actions(
                _button(f"{words.ACCEPT_BUTTON} {line.task_id}", ACCEPT, line.task_id, "primary"),
                _button(f"{words.REWORK_BUTTON}: {line.task_id}", REWORK, line.task_id, "danger"),
            ),
        ]
    blocks += _sections(_task_lines(say, lines[REVIEW_BUTTONS:]))
    blocks.append(_context(words.REVIEW_HOW))
    return blocks


def _ranked(standings: Sequence[Standing]) -> Iterator[tuple[int, Standing]]:
    """Standings with their rank; exactly equal points share one (1, 2, 2, 4)."""
    rank, above = 0, None
    for place, standing in enumerate(standings, start=1):
        if standing.exact != above:
            rank, above = place, standing.exact
        yield rank, standing


TOP = 5
"""Members shown per project in a digest's points table."""


def _group_digest(say: _Say, digest: GroupDigest) -> list[dict[str, Any]]:
    progress = []
    for p in digest.progress:
        line = words.progress_line(p.title, p.accepted, p.total, p.percent, p.points)
        if p.next_milestone:
            line += "; " + words.milestone_said(p.next_milestone[0], day_short(p.next_milestone[1]))
        progress.append(line)
    table = []
    for project_id, standings in digest.points_table:
        top = [
            words.standing_line(rank, say.who(s.member_id), s.points, s.accepted_tasks)
            for rank, s in list(_ranked(standings))[:TOP]
        ]
        if top:
            table.append(f"*{words.escape(say.project(project_id))}*\n" + _line_list(top))
    deadlines = [
        words.deadline_line(day_short(d.due), d.what, say.project(d.project_id))
        for d in digest.upcoming_deadlines
    ]
    blocks = [
        _header(words.digest_header(words.period_said(digest.since, digest.until, say.zone))),
        *_titled(words.PROGRESS, _line_list(progress)),
        _DIVIDER,
        *_volunteer_sections(say, words.NEEDING_VOLUNTEERS, digest.needing_volunteers),
        *_titled(words.NEWLY_ACCEPTED, _task_lines(say, digest.newly_accepted)),
        *_titled(words.DEADLINES, _line_list(deadlines)),
        _DIVIDER,
        *_titled(words.POINTS_TABLE, "\n\n".join(table)),
    ]
    return _tidy(blocks)


def _member_digest(say: _Say, digest: MemberDigest) -> list[dict[str, Any]]:
    awards = [words.award_said(e.points, e.reason, say.project(e.project_id)) for e in digest.points_awarded]
    disputes = [
        words.dispute_line(d.id, d.status.value, words.dispute_about(d.entry_id, d.task_id))
        for d in digest.disputes
    ]
    blocks = [
        _header(words.member_digest_header(words.period_said(digest.since, digest.until, say.zone))),
        *_titled(words.MY_TASKS, _task_lines(say, digest.my_tasks)),
        *_review_sections(say, digest.to_review),
        *_titled(words.MY_OFFERS, _task_lines(say, digest.my_offers, offers=True)),
        *([_context(words.OFFERS_RANKED)] if digest.my_offers else []),
        *_volunteer_sections(say, words.CAN_VOLUNTEER, digest.can_volunteer),
        *_titled(words.POINTS_AWARDED, _line_list(awards)),
        *_titled(words.MY_DISPUTES, _line_list(disputes)),
        *_titled(words.MY_ACTIONS, say.actions(digest.my_actions)),
    ]
    if digest.next_meeting is not None:
        meeting = digest.next_meeting
        blocks += _titled(
            words.NEXT_MEETING, words.meeting_when(say.meeting(meeting.meeting), meeting.meeting.length)
        )
        blocks += _titled(words.AGENDA, say.agenda(meeting.agenda))
    if len(blocks) == 1:
        blocks += _sections(words.NOTHING)
    for missed in digest.missed:
        blocks += [_DIVIDER, *_sections(words.missed_line(day_said(missed.meeting.start)))]
        blocks += _minutes_blocks(say, missed.minutes, missed.decisions, missed.actions)
    if digest.notes:
        blocks.append(_context(*(words.escape(n) for n in digest.notes)))
    return _tidy(blocks)


def _member_reminder(say: _Say, reminder: Reminder) -> list[dict[str, Any]]:
    blocks = [
        _header(words.reminder_dm_header(say.day_of(reminder.meeting.start))),
        *_meeting_lines(say, reminder.meeting),
    ]
    if reminder.expected_away:
        blocks += _sections(words.AWAY_YOU)
    blocks += _titled(words.AGENDA, say.agenda(reminder.agenda))
    if reminder.note:
        blocks.append(_context(words.escape(reminder.note)))
    return blocks


def _follow_up(say: _Say, follow: FollowUp) -> list[dict[str, Any]]:
    blocks = [
        _header(words.minutes_header(day_said(follow.meeting.start))),
        _context(say.meeting(follow.meeting)),
    ]
    if follow.missed:
        blocks += _sections(words.MISSED_YOU)
    return blocks + _minutes_blocks(say, follow.minutes, follow.decisions, follow.actions)


def _tidy(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No divider first, last, or twice in a row (a part with nothing to say leaves none behind)."""
    tidy: list[dict[str, Any]] = []
    for block in blocks:
        if block["type"] == "divider" and (not tidy or tidy[-1]["type"] in ("divider", "header")):
            continue
        tidy.append(block)
    while tidy and tidy[-1]["type"] == "divider":
        tidy.pop()
    return tidy


_RENDER: dict[type, Callable[[_Say, Any], list[dict[str, Any]]]] = {
    TaskNews: _task_news,
    DisputeNews: _dispute_news,
    MeetingReminder: _reminder,
    MeetingMinutes: _minutes,
    GroupDigest: _group_digest,
    MemberDigest: _member_digest,
    Reminder: _member_reminder,
    FollowUp: _follow_up,
}


def render(message: Outgoing, group: Group) -> SlackMessage:
    """``message`` as Slack shows it, within Slack's limits (see the module), naming people and
    projects from ``group``. The metadata is ``{"event_type": "braingain_message", "event_payload":
    {"key": message.key}}``. Raises :class:`TypeError` for content it does not know."""
    renderer = _RENDER.get(type(message.content))
    if renderer is None:
        raise TypeError(f"no Slack rendering for {type(message.content).__name__}")
    content = message.content
    me = content.member_id if isinstance(content, MemberDigest | Reminder | FollowUp) else None
    blocks = _fit(renderer(_Say(group, me), content))
    return SlackMessage(
        text=_fallback(blocks),
        blocks=tuple(blocks),
        metadata={"event_type": EVENT_TYPE, "event_payload": {"key": message.key}},
    )


_TOKEN = re.compile(r"<(?P<body>[^<>]*)>")


def readable(text: str, group: Group) -> str:
    """Slack's mrkdwn as a person reads it in a plain file: a mention as ``@Name``, a date token as its
    fallback, a link as ``label (url)``, entities as the characters they stand for."""
    slack_names = {m.slack_user_id: m.name for m in group.members.values() if m.slack_user_id}

    def token(match: re.Match[str]) -> str:
        body = match["body"]
        if body.startswith("@"):
            return "@" + slack_names.get(body[1:], body[1:])
        if body.startswith("!date^"):
            return body.partition("|")[2]
        url, _, label = body.partition("|")
        return f"{label} ({url})" if label else url

    said = _TOKEN.sub(token, text)
    return said.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
