"""Messages in the sync: the group's channels on Slack, every message due, each sent exactly once.

Planned with the rest of a sync (:func:`actions`, called by ``engine.platforms.plan``) and applied
after Zoom and the invitations (:func:`apply`), so that a reminder carries the join link Zoom just
gave and a member's digest the invitation just issued. Every action has a stable key:

====================================================  =============================================
``slack:channel:proj-p1``                             make the channel (or find it) and join it
``slack:invite:proj-p1:3f2a9c1d``                     add this set of members to it
``slack:post:task-opened:T12``                        post one message (its key after ``post:``)
``email:send:digest:M04:2027-01-04..2027-01-11:email``  send one email
``slack:attach:group-digest:2027-01-04..2027-01-11:P1:3f2a9c1d0b``  share P1's Gantt chart in the
                                                      group digest's thread (its chart's fingerprint last)
====================================================  =============================================

**The group digest's charts.** When the sync has charts to deliver (:class:`Messaging` ``charts``),
the weekly group digest is followed by each active project's charts (its Gantt chart and its points
chart: PNG, with title and alt text), shared as replies to the digest (Slack's thread; the outbox
keeps them beside the digest's files). The digest's post remembers its thread and which charts belong
to it (``slack.thread:<digest key>``), and each chart shared is remembered
(``slack.attached:<digest key>:<chart>``, the chart being the project's ID for its Gantt chart,
``points:<project>`` for its points chart), both for as long as the digest itself. Each upload is its
own journaled action; one whose answer was lost (by whatever chart version) is looked for in the
thread, by the chart's file name, before it is shared again. What is left: Slack may show a file in a
thread a moment after ``files.completeUploadExternal`` answered, so a sync stopped in that moment and
resumed within it could share that chart twice.

Exactly once. Each message's key is journaled before it is sent and after; a sent message is
remembered (``message:<key>`` in braingain's memory, with the day it may be forgotten) so that no
later sync sends it again. A post whose answer was lost (the sync stopped, the connection dropped) is
looked for in its channel's history by the key its metadata carries before it is posted again. An
email cannot be looked for: the mail delivery says when it hands the message itself over (after
SMTP's DATA was accepted) and the journal notes it. A send stopped before that delivered nothing and
is sent again; one whose answer was lost after it (the one case SMTP cannot confirm) is never sent
again, so that nobody gets two copies: it is recorded as handed over, unconfirmed, and the sync says
so. Syncs of one group never overlap (the journal is held from the read to the write-back; on a
shared Google Sheet, its lease is taken before anything leaves the computer).

Channels are made and members invited only on a live Slack; until Slack is set up, each message is
written to the outbox (``outbox/slack``), and email to ``outbox/email`` until a mail server is.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from braingain.core.charts import PNG, Chart
from braingain.core.group import Group
from braingain.core.members import Member
from braingain.core.messaging.due import MessagePolicy, messages_due
from braingain.core.messaging.outgoing import Destination, Medium, Outgoing
from braingain.core.platforms import Action, PlatformNote
from braingain.core.ports import Chat, Mail, Upload
from braingain.core.schedule import invitations
from braingain.core.schedule.digests import GroupDigest, MemberDigest
from braingain.core.schedule.meetings import Occurrence
from braingain.core.schedule.reminders import Reminder
from braingain.integrations.engine.charts import ChartSource
from braingain.integrations.engine.journal import Entry, Journal
from braingain.integrations.errors import PlatformError

SLACK, EMAIL = "slack", "email"
MESSAGE_PREFIX = "message:"
"""Memory key prefix of a message sent: ``message:<key>`` -> the ISO moment it may be forgotten."""
CHANNEL_PREFIX = "slack.channel:"
"""Memory key prefix of a channel's Slack id: ``slack.channel:proj-p1`` -> ``"C0123"``."""
INVITED_PREFIX = "slack.invited:"
"""Memory key prefix of the set of members last added to a channel (a fingerprint)."""
THREAD_PREFIX = "slack.thread:"
"""Memory key prefix of a group digest's thread: ``slack.thread:<digest key>`` ->
``{"channel", "ts", "charts": [chart idents: see Chart.ident], "forget"}``."""
ATTACHED_PREFIX = "slack.attached:"
"""Memory key prefix of a chart shared in a digest's thread: ``slack.attached:<digest key>:<chart>`` ->
the ISO moment it may be forgotten."""
FIND_MARGIN = timedelta(minutes=10)
"""How far before a lost post's start its channel's history is read (clocks differ)."""


@dataclass(frozen=True)
class Messaging:
    """How a group's messages go out: ``chat`` (Slack, or the outbox), ``mail`` (the mail server, or the
    outbox), the ``policy`` of when, and the channels' names. ``live`` says ``chat`` is a real Slack
    (channels are made and members invited) and ``mail_live`` that ``mail`` is a mail server;
    ``chat_off`` and ``mail_off`` say, for the plan, why a platform writes to the outbox and how to
    set it up."""

    chat: Chat | None
    mail: Mail | None
    policy: MessagePolicy = field(default_factory=MessagePolicy)
    channel: str = "braingain"
    prefix: str = "proj-"
    live: bool = False
    chat_off: str = ""
    mail_off: str = ""
    mail_live: bool = False
    """``mail`` sends through a mail server (not the outbox)."""
    charts: ChartSource | None = None
    """Each active project's chart, shared in reply to the weekly group digest (``None``: none)."""

    def channel_of(self, destination: Destination) -> str:
        """The channel name a destination's messages go to (the group's, or a project's)."""
        if destination.kind == "project":
            return channel_name(self.prefix, destination.ident)
        return self.channel


def channel_name(prefix: str, project: str) -> str:
    """A project's channel: ``proj-`` and its ID as Slack names channels (lower case, digits, ``-``, ``_``),
    at most 80 characters."""
    label = re.sub(r"[^a-z0-9_-]+", "-", project.casefold()).strip("-") or "project"
    return f"{prefix}{label}"[:80]


# -- what is known ------------------------------------------------------------------------------


def sent_keys(memory: Mapping[str, str]) -> set[str]:
    """The keys of the messages braingain remembers sending."""
    return {key.removeprefix(MESSAGE_PREFIX) for key in memory if key.startswith(MESSAGE_PREFIX)}


def _remembered(memory: Mapping[str, str], key: str) -> str | None:
    try:
        found = json.loads(memory.get(key, "null"))
    except ValueError:
        return None
    return found if isinstance(found, str) and found else None


def fold(entry: Entry, memory: MutableMapping[str, str]) -> None:
    """Take one finished message action's result into braingain's memory."""
    result = entry.result
    if entry.verb == "channel":
        memory[CHANNEL_PREFIX + entry.subject] = json.dumps(str(result["id"]))
    elif entry.verb == "invite":
        memory[INVITED_PREFIX + entry.subject] = json.dumps(str(result["fp"]))
    elif entry.verb in {"post", "send"}:
        memory[MESSAGE_PREFIX + entry.subject] = json.dumps(str(result["forget"]))
        if entry.verb == "post" and result.get("thread"):
            memory[THREAD_PREFIX + entry.subject] = json.dumps(
                {
                    "channel": str(result["channel"]),
                    "ts": str(result["ts"]),
                    "charts": [str(p) for p in result.get("charts", ())],
                    "forget": str(result["forget"]),
                }
            )
    elif entry.verb == "attach":
        memory[ATTACHED_PREFIX + entry.subject] = json.dumps(str(result["forget"]))


def _thread(memory: Mapping[str, str], digest: str) -> dict[str, Any] | None:
    """What is remembered of the group digest ``digest``'s thread, or ``None``."""
    try:
        found = json.loads(memory.get(THREAD_PREFIX + digest, "null"))
    except ValueError:
        return None
    if not isinstance(found, dict) or not found.get("ts") or not found.get("channel"):
        return None
    return found


def forget(memory: MutableMapping[str, str], now: datetime) -> None:
    """Forget every message whose memory is no longer needed (it can never be due again), with the
    group digests' threads and the charts shared in them."""
    for key in [k for k in memory if k.startswith((MESSAGE_PREFIX, ATTACHED_PREFIX, THREAD_PREFIX))]:
        if key.startswith(THREAD_PREFIX):
            thread = _thread(memory, key.removeprefix(THREAD_PREFIX))
            until = str(thread.get("forget") or "") if thread is not None else None
        else:
            until = _remembered(memory, key)
        try:
            moment = datetime.fromisoformat(until) if until else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None or moment < now:
            del memory[key]


# -- planning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A message to post: to the channel named ``channel`` or, for a direct message, to ``user``."""

    message: Outgoing
    channel: str = ""
    user: str = ""


@dataclass(frozen=True)
class Attach:
    """Share ``chart`` in reply to the group digest ``digest`` (remembered until ``forget``)."""

    digest: str
    chart: Chart
    forget: datetime


@dataclass(frozen=True)
class Invite:
    channel: str
    members: tuple[Member, ...]
    fingerprint: str


def _members_of(group: Group, setup: Messaging, now: datetime) -> dict[str, tuple[Member, ...]]:
    """Who belongs in each channel: every active member in the group's; a project's lead, the leaders
    and everyone who works on or offered for one of its tasks in the project's."""
    active = [m for m in group.members.values() if m.is_active_on(now.date())]
    channels: dict[str, tuple[Member, ...]] = {setup.channel: tuple(sorted(active, key=lambda m: m.id))}
    for project in sorted(group.projects.values(), key=lambda p: p.id):
        working = {m for t in group.project_tasks(project.id) for m in t.contributors}
        working |= {
            v.member_id
            for v in group.volunteers
            if group.tasks.get(v.task_id) in group.project_tasks(project.id)
        }
        chosen = [m for m in active if m.id == project.lead or m.is_leader or m.id in working]
        channels[setup.channel_of(Destination.project(project.id))] = tuple(
            sorted(chosen, key=lambda m: m.id)
        )
    return channels


def _fingerprint(members: tuple[Member, ...]) -> str:
    """What the channel's membership depends on: each member and the Slack ID the tracker gives."""
    text = "\n".join(f"{m.id}\t{m.slack_user_id or ''}" for m in members)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def actions(
    group: Group, memory: Mapping[str, str], setup: Messaging, *, now: datetime, join_links: Mapping[str, str]
) -> tuple[list[Action[object]], list[PlatformNote]]:
    """Every message action due now, and what a leader should know (a platform in the outbox, a member
    who cannot be reached). No I/O."""
    notes: list[PlatformNote] = []
    if setup.chat is None and setup.mail is None:
        return [], notes
    due = messages_due(group, now=now, policy=setup.policy, sent=sent_keys(memory), join_links=join_links)
    notes += [PlatformNote(SLACK if "Slack" in n else EMAIL, n) for n in due.notes]
    found: list[Action[object]] = []
    if setup.chat is not None and setup.live:
        for name, members in _members_of(group, setup, now).items():
            if _remembered(memory, CHANNEL_PREFIX + name) is None:
                found.append(
                    Action(
                        f"{SLACK}:channel:{name}",
                        SLACK,
                        "channel",
                        name,
                        f"make the Slack channel #{name} (or find it) and join it",
                        name,
                    )
                )
            fp = _fingerprint(members)
            if _remembered(memory, INVITED_PREFIX + name) != fp and members:
                count = f"{len(members)} member{'' if len(members) == 1 else 's'}"
                found.append(
                    Action(
                        f"{SLACK}:invite:{name}:{fp}",
                        SLACK,
                        "invite",
                        name,
                        f"add {count} to #{name}",
                        Invite(name, members, fp),
                    )
                )
    for message in due.messages:
        to = message.to
        if to.medium is Medium.EMAIL:
            if setup.mail is not None:
                found.append(
                    Action(f"{EMAIL}:send:{message.key}", EMAIL, "send", message.key, message.words, message)
                )
            continue
        if setup.chat is None:
            continue
        if to.kind == "member":
            member = group.members.get(to.ident)  # type: ignore[call-overload]
            if member is None or not member.slack_user_id:
                continue
            post = Post(message, user=member.slack_user_id)
        else:
            post = Post(message, channel=setup.channel_of(to))
        found.append(Action(f"{SLACK}:post:{message.key}", SLACK, "post", message.key, message.words, post))
    found += _attachments(group, memory, setup, due.messages, now)
    if setup.chat is not None and setup.chat_off and any(a.platform == SLACK for a in found):
        notes.append(PlatformNote(SLACK, setup.chat_off))
    if setup.mail is not None and setup.mail_off and any(a.platform == EMAIL for a in found):
        notes.append(PlatformNote(EMAIL, setup.mail_off))
    return found, notes


def _attachments(
    group: Group, memory: Mapping[str, str], setup: Messaging, due: Sequence[Outgoing], now: datetime
) -> list[Action[object]]:
    """The charts to share in reply to a group digest: the one posted now (each active project's), and
    those of a digest posted before whose charts were not all shared (a sync stopped between)."""
    if setup.chat is None or setup.charts is None:
        return []
    charts = {c.ident: c for c in setup.charts.due(group, now.date())}
    wanted: dict[str, tuple[datetime, list[str]]] = {}
    for message in due:
        if isinstance(message.content, GroupDigest) and message.to.medium is Medium.SLACK:
            wanted[message.key] = (message.forget_after, sorted(charts))
    for key in memory:
        if key.startswith(THREAD_PREFIX):
            digest = key.removeprefix(THREAD_PREFIX)
            thread = _thread(memory, digest)
            until = _moment(str(thread.get("forget") or "")) if thread is not None else None
            if thread is not None and until is not None and until >= now:
                wanted.setdefault(digest, (until, sorted(str(p) for p in thread.get("charts", ()))))
    found: list[Action[object]] = []
    for digest, (until, idents) in sorted(wanted.items()):
        for ident in idents:
            chart = charts.get(ident)
            if chart is None or ATTACHED_PREFIX + f"{digest}:{ident}" in memory:
                continue
            found.append(
                Action(
                    f"{SLACK}:attach:{digest}:{ident}:{chart.fingerprint}",
                    SLACK,
                    "attach",
                    f"{digest}:{ident}",
                    f"share {chart.what}, {chart.name()}, in reply to the group digest",
                    Attach(digest, chart, until),
                )
            )
    return found


# -- applying -----------------------------------------------------------------------------------


def perform(
    action: Action[object],
    setup: Messaging,
    group: Group,
    memory: MutableMapping[str, str],
    journal: Journal,
    *,
    previous: Entry | None,
    now: datetime,
    invitation: Callable[[Outgoing], invitations.Invitation | None],
    lost: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Make one message action; returns its journal result. Raises the platform's error.

    ``lost`` holds the subjects of the uploads whose answer was lost (:func:`lost_uploads`, read before
    this sync started any).

    ``previous`` is what the journal held of the action before this sync started it: a post whose
    outcome is unknown is looked for in its channel first; an email whose outcome is unknown is sent
    again only if it never reached the mail server (see the module docstring)."""
    payload = action.payload
    if action.verb == "channel":
        assert setup.chat is not None
        assert isinstance(payload, str)
        ident = setup.chat.channel(payload)
        memory[CHANNEL_PREFIX + payload] = json.dumps(ident)
        return {"id": ident}
    if action.verb == "invite":
        assert setup.chat is not None
        assert isinstance(payload, Invite)
        missing = setup.chat.invite(_channel_id(setup, memory, payload.channel), payload.members)
        result: dict[str, Any] = {"fp": payload.fingerprint}
        if missing:
            result["where"] = "; ".join(missing)
        return result
    if action.verb == "post":
        assert setup.chat is not None
        assert isinstance(payload, Post)
        message = payload.message
        target = payload.user or _channel_id(setup, memory, payload.channel)
        forget_at = message.forget_after.isoformat()
        if previous is not None and previous.unknown:  # its answer was lost: looked for first
            started = _moment(str(previous.result.get(FIRST) or previous.at)) or now
            try:
                ts = setup.chat.find(target, message.key, since=started - FIND_MARGIN)
            except PlatformError as error:  # not looked for: its outcome is still unknown
                raise NotLookedFor(str(error.reason), hint=error.hint) from None
            if ts is not None:
                return {
                    "ts": ts,
                    "forget": forget_at,
                    "where": FOUND,
                    **_charts(setup, group, message, target, now),
                }
        ts = setup.chat.post(target, message, group=group)
        posted: dict[str, Any] = {
            "ts": ts,
            "forget": forget_at,
            **_charts(setup, group, message, target, now),
        }
        if not setup.live:  # the outbox answers with where it kept the message
            posted["where"] = f"kept in the outbox ({ts.partition(':')[2] or ts})"
        return posted
    if action.verb == "attach":
        assert setup.chat is not None
        assert setup.charts is not None
        assert isinstance(payload, Attach)
        looked = action.subject in lost
        return _attach(
            setup.chat, setup.charts, group, memory, journal, action, payload, now=now, look=looked
        )
    if action.verb == "send":
        assert setup.mail is not None
        assert isinstance(payload, Outgoing)
        forget_at = payload.forget_after.isoformat()
        if previous is not None and previous.unknown and previous.result.get("handed"):
            return {"forget": forget_at, "where": UNCONFIRMED}
        member = group.members.get(payload.to.ident)  # type: ignore[call-overload]
        if member is None:
            raise NoRecipient(
                f"member {payload.to.ident} is no longer on the Members tab", hint="nothing is sent"
            )

        def handing() -> None:
            journal.start(action, at=now, note={"handed": True})

        where = setup.mail.send(payload, member, group=group, invitation=invitation(payload), handing=handing)
        return {"forget": forget_at, "where": where}
    raise ValueError(f"no such message action: {action.key}")


def _charts(setup: Messaging, group: Group, message: Outgoing, target: str, now: datetime) -> dict[str, Any]:
    """What a group digest's post remembers for its charts: its thread and which projects' charts
    belong in it (nothing for any other message, or without charts)."""
    if setup.charts is None or not isinstance(message.content, GroupDigest):
        return {}
    idents = [c.ident for c in setup.charts.due(group, now.date())]
    return {"thread": True, "channel": target, "charts": idents}


def _attach(
    chat: Chat,
    charts: ChartSource,
    group: Group,
    memory: MutableMapping[str, str],
    journal: Journal,
    action: Action[object],
    attach: Attach,
    *,
    now: datetime,
    look: bool,
) -> dict[str, Any]:
    """Share one chart in its digest's thread; when an upload of it lost its answer (``look``: whatever
    version of the chart), it is looked for in the thread first. The journal then forgets the lost
    uploads of other versions (this one settles the chart)."""
    thread = _thread(memory, attach.digest)
    if thread is None:
        raise ThreadWaits(
            f"{attach.chart.what} waits for the weekly digest to be posted",
            hint="the next sync shares it once the digest is there",
        )
    channel, ts = str(thread["channel"]), str(thread["ts"])
    forget_at = attach.forget.isoformat()
    name = attach.chart.name()
    prefix = f"{SLACK}:attach:{action.subject}:"
    others = [e.key for e in journal.entries() if e.key.startswith(prefix) and e.key != action.key]
    if look:
        try:
            there = chat.attached(channel, ts, name)
        except PlatformError as error:  # not looked for: its outcome is still unknown
            raise NotLookedFor(str(error.reason), hint=error.hint) from None
        if there is not None:
            journal.settle(others)
            return {"file": there, "forget": forget_at, "where": FOUND_FILE}
    drawn = charts.rendered(group, attach.chart, now.date())
    upload = Upload(name, attach.chart.title, drawn.alt, PNG, drawn.png)
    shared = chat.attach(channel, ts, upload)
    journal.settle(others)
    return {"file": shared, "forget": forget_at}


def lost_uploads(journal: Journal) -> frozenset[str]:
    """The subjects (``<digest key>:<project>``) of the chart uploads a sync started and never heard
    back from, whatever version of the chart they carried."""
    return frozenset(e.subject for e in journal.entries() if e.unknown and e.verb == "attach")


class ThreadWaits(PlatformError):
    """The digest a chart goes with was not posted (its post failed or waits): nothing was shared, and
    the chart waits for the next sync."""

    outcome_known = True
    halts = False


FOUND_FILE = "found in the digest's thread: a sync that stopped had shared it"
FIRST = "first"
"""The journal note of when a message whose outcome is unknown was first started (ISO)."""


def first_started(previous: Entry | None) -> dict[str, Any] | None:
    """The note a message's start carries when it is tried again after an unknown outcome: when it
    was first started, so that its channel is read from then, however many syncs looked since."""
    if previous is None or not previous.unknown:
        return None
    return {FIRST: str(previous.result.get(FIRST) or previous.at)}


FOUND = "found in its channel: a sync that stopped had posted it"
UNCONFIRMED = (
    "handed to the mail server by a sync that stopped before the server confirmed it: not sent again, "
    "so that no member gets it twice (ask the member whether it arrived)"
)


class NoRecipient(PlatformError):
    """The member a message is for is no longer on the Members tab: nothing is sent."""

    outcome_known = True
    halts = False


class NotLookedFor(PlatformError):
    """A post whose answer was lost could not be looked for: it stays unknown, and Slack's other
    messages wait for the next sync (which looks again before posting it)."""

    outcome_known = False
    halts = True


def _channel_id(setup: Messaging, memory: MutableMapping[str, str], name: str) -> str:
    """The id of channel ``name``: remembered, or asked of the chat (which makes it when missing)."""
    known = _remembered(memory, CHANNEL_PREFIX + name)
    if known is not None:
        return known
    assert setup.chat is not None
    ident = setup.chat.channel(name)
    if setup.live:
        memory[CHANNEL_PREFIX + name] = json.dumps(ident)
    return ident


def _moment(text: str) -> datetime | None:
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def meeting_of(message: Outgoing) -> Occurrence | None:
    """The meeting whose invitation goes with a message by email: a member digest's next meeting, or
    the meeting a reminder is about."""
    content = message.content
    if isinstance(content, MemberDigest) and content.next_meeting is not None:
        return content.next_meeting.meeting
    if isinstance(content, Reminder):
        return content.meeting
    return None
