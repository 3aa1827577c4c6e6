"""The group's Slack app (slack-bolt): ``/braingain``, the Home tab, the task buttons and the rework modal.

Every listener is thin: it finds who is asking (their Slack user, and the email Slack holds for them,
looked up by ``users.info``), hands the action to the :class:`~braingain.integrations.desk.Desk`
(which reads the tracker, applies the core's rules, and writes), and says what happened. Who is a
leader comes from the tracker's roster through the desk, never from the request. A refusal
(``Refused``, or any other braingain error) is answered with why and what to do; nothing else is
said about it.

Replies are ephemeral: to a command or a button on a message through its ``response_url``; to a
button on the Home tab, by drawing the Home tab again with the answer at its top.

Bolt verifies every request's signature with the signing secret and refuses a timestamp more than
five minutes away (401): a forged or replayed request runs nothing.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.error import URLError

from slack_bolt import Ack, App, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from braingain.core.authorship.tasks import TaskStatus
from braingain.core.errors import BraingainError
from braingain.core.members import Member, Role
from braingain.core.schedule.digests import TaskLine
from braingain.integrations.desk import Desk, Done, Overview
from braingain.integrations.slack import words

COMMAND = "/braingain"
VOLUNTEER, SUBMIT, ACCEPT, REWORK = "bg_volunteer", "bg_submit", "bg_accept", "bg_rework"
"""The action ids of the task buttons (value: the task's id)."""
REWORK_VIEW = "bg_rework_note"
"""The rework modal's callback id (private metadata: the task's id)."""
NOTE_BLOCK, NOTE_INPUT = "note", "text"

log = logging.getLogger("braingain.slack")


@dataclass(frozen=True, slots=True)
class Answer:
    """What the app says back, and whether the tracker changed (then a sync is asked for)."""

    text: str
    changed: bool = False


SUBCOMMANDS = ("tasks", "volunteer", "my", "submit", "points", "dispute", "excuse", "availability", "help")
LEADER_SUBCOMMANDS = ("accept", "rework")


def build_app(
    desk: Desk,
    *,
    signing_secret: str | None,
    token: str | None,
    client: WebClient | None = None,
    changed: Callable[[], None] = lambda: None,
    verify_token: bool = False,
) -> App:
    """The Bolt app over ``desk``; ``changed()`` is called after every action that wrote the tracker
    (the server asks for a sync soon). ``client`` (tests: a WebClient on the loopback fake) is made
    from ``token`` when not given. ``verify_token`` calls ``auth.test`` at once (a wrong token then
    fails at start, not at the first request).

    ``signing_secret`` verifies every request (HTTP mode); ``None`` only for Socket Mode, whose requests
    arrive over the connection braingain opened (such an app must never be served over HTTP)."""
    app = App(
        signing_secret=signing_secret or "",
        token=None if client is not None else token,  # the client holds it (both: Bolt warns)
        client=client,
        token_verification_enabled=verify_token,
        request_verification_enabled=bool(signing_secret),
        raise_error_for_unhandled_request=False,
        user_facing_authorize_error_message=words.APP_REFUSED,
        logger=log,
    )
    app.error(_failed)

    @app.command(COMMAND)
    def command(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        user = str(body.get("user_id", ""))
        answer = _guarded(lambda: run(desk, _member(desk, client, user), str(body.get("text", ""))))
        respond(text=answer.text, response_type="ephemeral", replace_original=False)
        if answer.changed:
            changed()

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(desk, client, str(event.get("user", "")))

    def button(action_id: str, act: Callable[[Desk, Member, str], Any]) -> None:
        @app.action(action_id)
        def pressed(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
            ack()
            user = str(body.get("user", {}).get("id", ""))
            task = str((body.get("actions") or [{}])[0].get("value", ""))
            answer = _guarded(lambda: Answer(_done(act(desk, _member(desk, client, user), task)), True))
            _reply(client, respond, body, user, answer.text, desk)
            if answer.changed:
                changed()

    button(VOLUNTEER, lambda d, m, t: d.volunteer(m, t))
    button(SUBMIT, lambda d, m, t: d.submit(m, t))
    button(ACCEPT, lambda d, m, t: d.accept(m, t))

    @app.action(REWORK)
    def rework_pressed(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        user = str(body.get("user", {}).get("id", ""))
        task = str((body.get("actions") or [{}])[0].get("value", ""))
        try:
            leader = _member(desk, client, user).role is Role.LEADER
        except BraingainError as error:
            _reply(client, respond, body, user, _refusal(error), desk)
            return
        if not leader:  # said at once, before a note is written for nothing (the desk refuses it too)
            _reply(
                client, respond, body, user, words.refused(words.LEADERS_ONLY, words.LEADERS_ONLY_HINT), desk
            )
            return
        try:
            client.views_open(trigger_id=body["trigger_id"], view=rework_modal(task))
        except SlackApiError as error:  # the trigger lives 3 seconds
            log.warning("views.open said %s", error.response.get("error", "unknown"))
            _reply(client, respond, body, user, words.failed(), desk)

    @app.view(REWORK_VIEW)
    def rework_sent(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        note = str(view["state"]["values"].get(NOTE_BLOCK, {}).get(NOTE_INPUT, {}).get("value") or "").strip()
        if not note:
            ack(response_action="errors", errors={NOTE_BLOCK: words.REWORK_EMPTY})
            return
        user = str(body.get("user", {}).get("id", ""))
        task = str(view.get("private_metadata", ""))
        # Slack gives a modal 3 seconds: it closes now, and the outcome (with the note, if it could not
        # be recorded, so nothing typed is lost) is shown on the leader's Home tab.
        ack()
        try:
            done = desk.rework(_member(desk, client, user), task, note)
        except BraingainError as error:
            publish_home(desk, client, user, notice=words.rework_not_recorded(_refusal(error), note))
            return
        changed()
        publish_home(desk, client, user, notice=words.done(_done(done)))

    return app


def _failed(error: Exception, body: dict[str, Any], response: BoltResponse | None) -> BoltResponse | None:
    """What a request that failed outside the listeners' own guards gets (Slack's Web API out of
    reach while Bolt checks the bot token with ``auth.test``, or a reply that cannot be posted): one
    log line, its kind only (never a traceback, a token or an email); a command not yet answered is
    told, in the answer to its request, that nothing was done; anything else gets an empty 200 (Slack
    does not send it again)."""
    log.warning("a Slack request was not answered: %s", _why(error))
    if response is None:  # already answered (the listener had acknowledged it)
        return None
    if body.get("command"):
        return BoltResponse(status=200, body=words.failed())
    return BoltResponse(status=200, body="")


def _why(error: Exception) -> str:
    """A failure's kind as a log says it: Slack's error code, or the network's reason, or the class."""
    if isinstance(error, SlackApiError):
        return f"Slack said {error.response.get('error', 'unknown')}"
    if isinstance(error, (OSError, URLError)):
        reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or type(error).__name__
        return f"Slack cannot be reached ({reason})"
    return f"something went wrong inside braingain ({type(error).__name__})"


def run(desk: Desk, member: Member, text: str) -> Answer:
    """One ``/braingain`` command line (``text``, what follows the command) for ``member``."""
    parts = text.split()
    if not parts:
        return Answer(words.help_text(leader=member.role is Role.LEADER))
    name, rest = parts[0].lower(), parts[1:]
    leader = member.role is Role.LEADER
    known = SUBCOMMANDS + LEADER_SUBCOMMANDS
    if name not in known:
        closest = difflib.get_close_matches(name, known if leader else SUBCOMMANDS, n=1, cutoff=0.5)
        return Answer(words.help_text(leader=leader, unknown=parts[0], closest=closest[0] if closest else ""))
    note = " ".join(rest[1:])
    if name == "help":
        return Answer(words.help_text(leader=leader))
    if name == "tasks":
        return Answer(
            f"*{words.OPEN_TASKS}*\n" + words.task_lines(desk.open_tasks(), none=words.NO_OPEN_TASKS)
        )
    if name == "my":
        return Answer(said_overview(desk.overview(member)))
    if name == "points":
        points = desk.points(rest[0] if rest else None)
        return Answer(words.points_table(points.table, points.names))
    if name == "availability":
        if rest and rest[0].lower() == "away":
            return _away(desk, member, rest[1:])
        return Answer(words.availability(desk.availability(member)))
    if not rest:
        return Answer(words.needs(_usage(name)))
    task = rest[0]
    if name == "volunteer":
        return Answer(_done(desk.volunteer(member, task, note)), True)
    if name == "submit":
        return Answer(_done(desk.submit(member, task, note)), True)
    if name == "accept":
        return Answer(_done(desk.accept(member, task, note)), True)
    if name == "excuse":
        return Answer(_done(desk.excuse(member, task)), True)
    if not note:  # rework and dispute need their words
        return Answer(words.needs(_usage(name)))
    if name == "rework":
        return Answer(_done(desk.rework(member, task, note)), True)
    return Answer(_done(desk.dispute(member, task, note)), True)


def _away(desk: Desk, member: Member, rest: list[str]) -> Answer:
    if not rest:
        return Answer(words.needs(words.AWAY_USAGE))
    first = _date(rest[0])
    if first is None:
        return Answer(words.not_a_date(rest[0]))
    last = _date(rest[1]) if len(rest) > 1 else None
    reason = " ".join(rest[2:] if last is not None else rest[1:])
    return Answer(_done(desk.away(member, first, last or first, reason)), True)


def _date(word: str) -> date | None:
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None


def _usage(name: str) -> str:
    for usage, _ in words.COMMAND_HELP + words.LEADER_HELP:
        if usage.split()[0] == name:
            return usage
    return name


def _guarded(work: Callable[[], Answer]) -> Answer:
    """``work``'s answer; a braingain error said with why and what to do; anything else logged (its
    kind only) and said as a failure that changed nothing."""
    try:
        return work()
    except BraingainError as error:
        return Answer(_refusal(error))
    except (SlackApiError, OSError) as error:  # Slack refused a call, or cannot be reached
        log.warning("a Slack call failed: %s", _why(error))
        return Answer(words.failed())
    except Exception as error:  # a bug: the member hears it failed; the log has its kind, never its data
        log.error("an action failed inside braingain: %s", type(error).__name__)
        return Answer(words.failed())


def _refusal(error: BraingainError) -> str:
    reason = str(getattr(error, "reason", "") or error)
    return words.refused(reason, str(getattr(error, "hint", "") or ""))


def _done(result: Done) -> str:
    return words.done(result.words)


def said_overview(overview: Overview) -> str:
    """``/braingain my``: my tasks, my points, the next meeting in the reader's own time."""
    return "\n".join(
        (
            f"*{words.MY_TASKS}*",
            words.task_lines(overview.tasks, none=words.NO_TASKS),
            f"*{words.MY_POINTS}*",
            words.my_points(overview.points),
            f"*{words.NEXT_MEETING}*",
            _meeting(overview),
        )
    )


def _meeting(overview: Overview) -> str:
    if overview.next_meeting is None:
        return words.NO_MEETING
    return words.next_meeting(overview.next_meeting.meeting.start, overview.join_url)


def _member(desk: Desk, client: WebClient, user: str) -> Member:
    """The member behind Slack user ``user``: by the Slack user id on the Members tab, else by the email
    Slack holds for them (``users.info``; never shown anywhere)."""
    email: str | None = None
    try:
        found = client.users_info(user=user)
        profile = (found.get("user") or {}).get("profile") or {}
        email = profile.get("email") or None
    except SlackApiError as error:  # no users:read.email, or a user Slack does not know: the id alone
        log.info("users.info said %s", error.response.get("error", "unknown"))
    return desk.member(slack_user=user, email=email)


def _reply(
    client: WebClient, respond: Respond, body: dict[str, Any], user: str, text: str, desk: Desk
) -> None:
    """An ephemeral answer to a button: on a message through its response_url; on the Home tab, by
    drawing it again with ``text`` at its top."""
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    channel = (body.get("channel") or {}).get("id")
    if channel:
        client.chat_postEphemeral(channel=channel, user=user, text=text)
        return
    publish_home(desk, client, user, notice=text)


def rework_modal(task: str) -> dict[str, Any]:
    """The modal a leader writes the rework note in (the task's id rides in its private metadata)."""
    return {
        "type": "modal",
        "callback_id": REWORK_VIEW,
        "private_metadata": task,
        "title": {"type": "plain_text", "text": words.REWORK_TITLE},
        "submit": {"type": "plain_text", "text": words.REWORK_SEND},
        "close": {"type": "plain_text", "text": words.CANCEL},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": words.rework_intro(task)}},
            {
                "type": "input",
                "block_id": NOTE_BLOCK,
                "label": {"type": "plain_text", "text": words.REWORK_LABEL},
                "element": {
                    "type": "plain_text_input",
                    "action_id": NOTE_INPUT,
                    "multiline": True,
                    "max_length": 2000,
                    "placeholder": {"type": "plain_text", "text": words.REWORK_PLACEHOLDER},
                },
            },
        ],
    }


def publish_home(desk: Desk, client: WebClient, user: str, *, notice: str = "") -> None:
    """Draw ``user``'s Home tab (views.publish): their tasks, points and the next meeting, with buttons."""
    try:
        member = _member(desk, client, user)
        view = home_view(
            desk.overview(member), desk.open_tasks(), leader=member.role is Role.LEADER, notice=notice
        )
    except BraingainError as error:
        view = {
            "type": "home",
            "blocks": [_text(notice), _text(_refusal(error))] if notice else [_text(_refusal(error))],
        }
    client.views_publish(user_id=user, view=view)


def home_view(
    overview: Overview, open_tasks: Sequence[TaskLine], *, leader: bool, notice: str = ""
) -> dict[str, Any]:
    """The Home tab's view: an answer to a button when there is one, my tasks (Submit; Accept and Needs
    rework for a leader), my points, the next meeting in the reader's own time, and the open tasks
    (Volunteer)."""
    blocks: list[dict[str, Any]] = []
    if notice:
        blocks += [_text(notice), {"type": "divider"}]
    blocks.append({"type": "header", "text": {"type": "plain_text", "text": words.MY_TASKS}})
    if not overview.tasks:
        blocks.append(_text(words.NO_TASKS))
    for line in overview.tasks:
        blocks += _task_blocks(line, [(words.SUBMIT_BUTTON, SUBMIT)] if line.status in _SUBMITTABLE else [])
    blocks.append({"type": "header", "text": {"type": "plain_text", "text": words.MY_POINTS}})
    blocks.append(_text(words.my_points(overview.points)))
    blocks.append({"type": "header", "text": {"type": "plain_text", "text": words.NEXT_MEETING}})
    blocks.append(_text(_meeting(overview)))
    blocks.append({"type": "header", "text": {"type": "plain_text", "text": words.OPEN_TASKS}})
    if not open_tasks:
        blocks.append(_text(words.NO_OPEN_TASKS))
    for line in open_tasks[:40]:  # a Home tab holds at most 100 blocks
        blocks += _task_blocks(line, [(words.VOLUNTEER_BUTTON, VOLUNTEER)])
    return {"type": "home", "blocks": blocks[:100]}


_SUBMITTABLE = frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.NEEDS_REWORK})


def _task_blocks(line: TaskLine, buttons: list[tuple[str, str]]) -> list[dict[str, Any]]:
    if not buttons:
        return [_text(words.reply_task_line(line))]
    return [
        _text(words.reply_task_line(line)),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": action,
                    "text": {"type": "plain_text", "text": label},
                    "value": str(line.task_id),
                }
                for label, action in buttons
            ],
        },
    ]


def _text(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}
