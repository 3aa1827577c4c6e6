"""The group's Slack, over slack_sdk's ``WebClient``: the :class:`~braingain.core.ports.Chat` port.

- :meth:`SlackChat.channel` finds a public channel by name (``conversations.list``, archived ones
  left out, page by page until found), makes it when missing (``conversations.create``) and joins it
  when braingain is not in it (``conversations.join``); ids are remembered per instance.
- :meth:`SlackChat.invite` adds members by their Slack user ID, or by the account Slack has under
  their email (``users.lookupByEmail``), in one ``conversations.invite`` (one per member when one of
  them cannot be added); who could not be added is said by name, never by email.
- :meth:`SlackChat.post` renders a message and posts it with its key in the message metadata
  (``event_type`` ``braingain_message``, ``event_payload.key``), links not unfurled; to a member's user
  ID it arrives as the app's direct message. At most one post per ``pace`` seconds per channel.
- :meth:`SlackChat.attach` shares a file in reply to a message (the weekly digest's Gantt charts):
  slack_sdk's ``files_upload_v2``, which takes Slack's current way (``files.getUploadURLExternal``,
  the bytes POSTed to the upload URL it returns, then ``files.completeUploadExternal`` with the
  channel, the thread and the title; the retired ``files.upload`` is never used), with the image's
  alt text. :meth:`SlackChat.attached` reads the thread (``conversations.replies``) for a file of a
  name: how an upload whose answer was lost is found again before it is made twice.
- :meth:`SlackChat.find` reads a channel's history since a moment (``include_all_metadata``, every
  page) for the message carrying a key; for a member, their direct message is opened first
  (``conversations.open``).

Retries are slack_sdk retry handlers (its ``RetryHandler`` interface, on the client's
``retry_handlers``), bounded and sleeping through the injected ``sleep``: a 429
waits as long as Retry-After asks (up to :data:`LONGEST_WAIT` seconds, :data:`RATE_LIMIT_RETRIES`
times); a 5xx or a dropped connection is tried again (:data:`SERVER_RETRIES` times) for every method
but ``chat.postMessage`` and ``files.completeUploadExternal``, which Slack may have done before
failing. What is still failing after that
is raised as :mod:`braingain.integrations.slack.errors` says.

slack_sdk's own log (the ``slack_sdk`` logger, every client's) is kept at WARNING from the moment this
module is imported: at DEBUG it writes request and response bodies, which hold email addresses
(``users.lookupByEmail``), and at INFO request addresses. braingain logs each failure itself, by
method and Slack's error code.
"""

from __future__ import annotations

import http.client
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.web import SlackResponse

from braingain.core.group import Group
from braingain.core.members import Member
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.ports import Upload
from braingain.integrations.config import Config
from braingain.integrations.slack import blocks
from braingain.integrations.slack.blocks import SlackMessage
from braingain.integrations.slack.errors import (
    AUTH_ERRORS,
    SlackAuthError,
    SlackChannelTaken,
    SlackError,
    SlackRateLimited,
    SlackRefused,
    SlackScopeMissing,
    SlackUnavailable,
)

__all__ = ["EVENT_TYPE", "SDK_LOG", "Render", "SlackChat", "slack_for"]

API_URL = "https://slack.com/api"
"""Slack's Web API; ``[endpoints] slack`` moves it (tests, a proxy)."""
BOT_TOKEN_SETTING = "SLACK_BOT_TOKEN"  # noqa: S105 (the name of the setting, not a token)
EVENT_TYPE = "braingain_message"
"""The ``event_type`` of every message braingain posts; ``event_payload.key`` is the message's key."""

RATE_LIMIT_RETRIES = 3
LONGEST_WAIT = 60.0
"""The longest Retry-After (seconds) braingain waits through; a longer one halts Slack's actions."""
SERVER_RETRIES = 2
SERVER_BACKOFF = 1.0
"""Seconds before the first retry of a 5xx or a dropped connection, doubled for each one after."""
TIMEOUT = 30
PAGE = 200

SDK_LOG = logging.getLogger("slack_sdk")
SDK_LOG.setLevel(logging.WARNING)
log = logging.getLogger(__name__)

Render = Callable[[Outgoing, Group], SlackMessage]
"""How a message becomes a Slack message: text, Block Kit blocks and metadata."""

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
_POST = "chat.postMessage"
_COMPLETE = "files.completeUploadExternal"
_UNSURE = frozenset({_POST, _COMPLETE})
"""Methods Slack may have carried out before failing: never retried blindly (looked for instead)."""
_FINE_INVITES = frozenset({"already_in_channel", "cant_invite_self"})
_CHANNEL_REFUSALS = frozenset({"channel_not_found", "is_archived", "not_in_channel", "no_permission"})


def _retry_after(response: HttpResponse) -> float | None:
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                return None
    return None


class _SleepingRetry(RetryHandler):
    """A slack_sdk retry handler that waits through the injected ``sleep`` (never time.sleep) for as
    long as :meth:`_wait` says."""

    def __init__(self, *, sleep: Callable[[float], None], attempts: int) -> None:
        super().__init__(max_retry_count=attempts)
        self.sleep = sleep

    def _worth(self, request: HttpRequest, response: HttpResponse | None, error: Exception | None) -> bool:
        raise NotImplementedError

    def _wait(self, state: RetryState, response: HttpResponse | None) -> float:
        raise NotImplementedError

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return self._worth(request, response, error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self.sleep(self._wait(state, response))
        state.increment_current_attempt()


class _RateLimitRetry(_SleepingRetry):
    """A 429, tried again after exactly as long as Retry-After asks (1 s without one); a longer wait
    than ``longest`` seconds is not waited for. (slack_sdk's own RateLimitErrorRetryHandler waits
    through time.sleep, with jitter, however long Slack asks.)"""

    def __init__(self, *, sleep: Callable[[float], None], attempts: int, longest: float) -> None:
        super().__init__(sleep=sleep, attempts=attempts)
        self.longest = longest

    def _worth(self, request: HttpRequest, response: HttpResponse | None, error: Exception | None) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = _retry_after(response)
        return wait is None or wait <= self.longest

    def _wait(self, state: RetryState, response: HttpResponse | None) -> float:
        wait = _retry_after(response) if response is not None else None
        return 1.0 if wait is None else wait


class _FailureRetry(_SleepingRetry):
    """A 5xx or a dropped connection, tried again after ``base * 2**n`` seconds, never for a post
    (Slack may have posted it before failing; the sync engine finds it by its key instead)."""

    def __init__(self, *, sleep: Callable[[float], None], attempts: int, base: float) -> None:
        super().__init__(sleep=sleep, attempts=attempts)
        self.base = base

    def _worth(self, request: HttpRequest, response: HttpResponse | None, error: Exception | None) -> bool:
        if request.url.rstrip("/").rpartition("/")[2] in _UNSURE:
            return False
        if response is not None:
            return response.status_code >= 500
        return _connection_problem(error)

    def _wait(self, state: RetryState, response: HttpResponse | None) -> float:
        return self.base * 2.0**state.current_attempt


def _connection_problem(error: BaseException | None) -> bool:
    return isinstance(error, OSError | http.client.HTTPException)


class SlackChat:
    """:class:`~braingain.core.ports.Chat` over ``client`` (a ``WebClient`` with the bot token).

    ``render`` turns a message into text, blocks and metadata; ``pace`` is the fewest seconds between
    two posts to one channel (Slack allows about one a second); ``sleep`` and ``clock`` (seconds,
    monotonic) are injectable so tests never wait. The client's retry handlers are replaced by
    braingain's (see the module). Every method raises
    :class:`~braingain.integrations.slack.errors.SlackError` and below.
    """

    def __init__(
        self,
        client: WebClient,
        *,
        render: Render,
        pace: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.render = render
        self.pace = pace
        self.sleep = sleep
        self.clock = clock
        client.retry_handlers = [
            _RateLimitRetry(sleep=sleep, attempts=RATE_LIMIT_RETRIES, longest=LONGEST_WAIT),
            _FailureRetry(sleep=sleep, attempts=SERVER_RETRIES, base=SERVER_BACKOFF),
        ]
        self._channels: dict[str, str] = {}
        self._direct: dict[str, str] = {}
        self._last_post: dict[str, float] = {}
        self._by_email: dict[str, str | None] = {}
        """Each member looked up by email (by member ID): a member invited to several channels is
        looked up once; ``None``: Slack has no account under their email."""

    # -- channels -----------------------------------------------------------------------

    def channel(self, name: str) -> str:
        """The id of the public channel ``name`` (``#`` optional), made when missing, joined when
        braingain is not in it. Raises :class:`SlackChannelTaken` when an archived or private channel
        has the name, :class:`SlackRefused` for a name Slack does not take."""
        wanted = name.strip().removeprefix("#")
        known = self._channels.get(wanted)
        if known is not None:
            return known
        found = self._listed(wanted, exclude_archived=True)
        ident = self._joined(found) if found is not None else self._created(wanted)
        self._channels[wanted] = ident
        return ident

    def _listed(self, name: str, *, exclude_archived: bool) -> dict[str, Any] | None:
        for page in self._pages(
            "conversations.list", "channels", types="public_channel", exclude_archived=exclude_archived
        ):
            for channel in page:
                if channel.get("name") == name:
                    return channel
        return None

    def _joined(self, channel: dict[str, Any]) -> str:
        ident = str(channel["id"])
        if not channel.get("is_member"):
            self._call("conversations.join", channel=ident)
        return ident

    def _created(self, name: str) -> str:
        try:
            answer = self._call("conversations.create", name=name)
        except SlackRefused as refused:
            if refused.error == "name_taken":
                return self._taken(name)
            if refused.error.startswith("invalid_name"):
                refused.also(
                    "a channel name is at most 80 lower-case letters, digits, hyphens and underscores: "
                    "change channel (or project_channel_prefix) under [slack] in braingain.toml"
                )
            raise
        return str(answer["channel"]["id"])

    def _taken(self, name: str) -> str:
        """``conversations.create`` said the name is taken: made meanwhile, archived, or private."""
        found = self._listed(name, exclude_archived=False)
        if found is not None and not found.get("is_archived"):
            return self._joined(found)
        whose = "an archived channel" if found is not None else "a private channel braingain cannot see"
        raise SlackChannelTaken(
            f"braingain cannot use the Slack channel #{name}: the name belongs to {whose}",
            method="conversations.create",
            error="name_taken",
            hint="unarchive it in Slack (or make it public and add the app to it), "
            "or choose another name under [slack] in braingain.toml (channel, or project_channel_prefix "
            "for a project's channel)",
        )

    # -- members ------------------------------------------------------------------------

    def invite(self, channel: str, members: Sequence[Member]) -> tuple[str, ...]:
        """Add ``members`` to the channel ``channel`` (an id); returns who could not be added and why,
        by name. One already in it is not an error."""
        words: list[str] = []
        users: dict[str, Member] = {}
        for member in members:
            user = member.slack_user_id or self._user_by_email(member, words)
            if user is not None:
                users.setdefault(user, member)
        if not users:
            return tuple(words)
        try:
            self._call("conversations.invite", channel=channel, users=",".join(users))
        except SlackRefused as refused:
            if refused.error in _CHANNEL_REFUSALS:
                raise
            if len(users) == 1:
                words += self._refused_invite(refused.error, *next(iter(users.items())))
            else:
                for user, member in users.items():
                    words += self._invited(channel, user, member)
        return tuple(words)

    def _invited(self, channel: str, user: str, member: Member) -> list[str]:
        try:
            self._call("conversations.invite", channel=channel, users=user)
        except SlackRefused as refused:
            if refused.error in _CHANNEL_REFUSALS:
                raise
            return self._refused_invite(refused.error, user, member)
        return []

    @staticmethod
    def _refused_invite(error: str, user: str, member: Member) -> list[str]:
        if error in _FINE_INVITES:
            return []
        if error == "user_not_found":
            return [
                f"{member.name} could not be added: the Slack user ID {user} on the Members tab is not "
                "a member of the group's workspace"
            ]
        return [f"{member.name} could not be added: Slack said {error}"]

    def _user_by_email(self, member: Member, words: list[str]) -> str | None:
        if member.email is None:
            words.append(f"{member.name} has neither a Slack user ID nor an email on the Members tab")
            return None
        if member.id not in self._by_email:
            try:
                answer = self._call("users.lookupByEmail", email=member.email.address)
                self._by_email[member.id] = str(answer["user"]["id"])
            except SlackRefused as refused:
                if refused.error != "users_not_found":
                    raise
                self._by_email[member.id] = None
        found = self._by_email[member.id]
        if found is None:
            words.append(f"{member.name} has no Slack account under the email on the Members tab")
        return found

    # -- messages -----------------------------------------------------------------------

    def post(self, channel: str, message: Outgoing, *, group: Group) -> str:
        """Post ``message`` to ``channel`` (a channel id, or a member's user ID: the app's direct
        message) with its key in the metadata; returns its ``ts``. Waits first when the last post to
        ``channel`` was less than ``pace`` seconds ago. A dropped connection or a timeout raises
        :class:`SlackUnavailable` with ``outcome_known`` false: look for it with :meth:`find`."""
        slack = self.render(message, group)
        payload = dict(slack.metadata.get("event_payload") or {})
        payload["key"] = message.key
        metadata = {"event_type": slack.metadata.get("event_type") or EVENT_TYPE, "event_payload": payload}
        self._wait_for_turn(channel)
        answer = self._call(
            _POST,
            channel=channel,
            text=slack.text,
            blocks=list(slack.blocks) or None,
            metadata=metadata,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(answer["ts"])

    def _wait_for_turn(self, channel: str) -> None:
        last = self._last_post.get(channel)
        if last is not None:
            left = last + self.pace - self.clock()
            if left > 0:
                self.sleep(left)
        self._last_post[channel] = self.clock()

    def find(self, channel: str, key: str, *, since: datetime) -> str | None:
        """The ``ts`` of the message carrying ``key`` in ``channel`` (an id, or a member's user ID for
        their direct message) posted at or after ``since`` (aware), or ``None``."""
        if since.tzinfo is None:
            raise ValueError("since must be an aware datetime")
        where = self._direct_message(channel) if _USER_ID.fullmatch(channel) else channel
        for page in self._pages(
            "conversations.history",
            "messages",
            channel=where,
            oldest=f"{since.timestamp():.6f}",
            inclusive=True,
            include_all_metadata=True,
        ):
            for found in page:
                metadata = found.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == EVENT_TYPE and payload.get("key") == key:
                    return str(found["ts"])
        return None

    def attach(self, channel: str, thread: str, upload: Upload) -> str:
        """Share ``upload`` in ``channel`` (an id) in reply to the message ``thread`` (its ``ts``), with its
        title and alt text; returns the file's id. A failure after the bytes went up raises
        :class:`SlackUnavailable` with ``outcome_known`` false: look for it with :meth:`attached`."""
        method = "files.upload_v2"
        self._wait_for_turn(channel)
        try:
            answer = self.client.files_upload_v2(
                channel=channel,
                thread_ts=thread,
                filename=upload.name,
                content=upload.data,
                title=upload.title,
                alt_txt=upload.alt,
            )
        except SlackApiError as error:
            raised = _failure(str(error.response.api_url).rpartition("/")[2] or method, error.response)
        except SlackRequestError as error:  # the upload URL refused the bytes: nothing was shared
            raised = _unavailable(method, f"Slack's upload of {upload.name} failed ({error})", "")
        except (OSError, http.client.HTTPException) as error:
            raised = _dropped(_COMPLETE, error)
        else:
            return str(answer["file"]["id"])
        log.info("Slack %s: %s", method, raised.reason)
        raise raised

    def attached(self, channel: str, thread: str, name: str) -> str | None:
        """The id of the file named ``name`` in the replies to ``thread`` in ``channel`` (every page), or
        ``None``."""
        for page in self._pages("conversations.replies", "messages", channel=channel, ts=thread):
            for message in page:
                for shared in message.get("files") or ():
                    if shared.get("name") == name:
                        return str(shared["id"])
        return None

    def _direct_message(self, user: str) -> str:
        known = self._direct.get(user)
        if known is None:
            known = str(self._call("conversations.open", users=user)["channel"]["id"])
            self._direct[user] = known
        return known

    # -- calls --------------------------------------------------------------------------

    def _pages(self, method: str, field: str, **arguments: Any) -> Iterator[list[dict[str, Any]]]:
        cursor = ""
        while True:
            answer = self._call(method, limit=PAGE, cursor=cursor or None, **arguments)
            yield list(answer.get(field) or [])
            cursor = str((answer.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return

    def _call(self, method: str, **arguments: Any) -> SlackResponse:
        """``method`` with ``arguments`` (``None`` ones left out), or its failure as a SlackError."""
        given = {k: v for k, v in arguments.items() if v is not None}
        try:  # slack_sdk's own method: each sends its arguments in the body Slack takes for it
            answer: SlackResponse = getattr(self.client, method.replace(".", "_"))(**given)
        except SlackApiError as error:
            raised = _failure(method, error.response)
        except (OSError, http.client.HTTPException) as error:
            raised = _dropped(method, error)
        else:
            return answer
        log.info("Slack %s: %s", method, raised.reason)
        raise raised


def _failure(method: str, response: SlackResponse) -> SlackError:
    """Slack's refusal (or a 429 or 5xx still there after the retries) as a SlackError; built from
    the status and Slack's error code only (the response also holds the request, token included)."""
    status = response.status_code
    body = response.data if isinstance(response.data, dict) else {}
    code = str(body.get("error") or "")
    if status == 429 or code == "ratelimited":
        return SlackRateLimited(
            f"Slack kept refusing {method} for too many requests (HTTP 429) after the waits allowed",
            method=method,
            error=code or "ratelimited",
            hint="nothing was done; run the sync again later, and braingain carries on where it stopped",
        )
    if status >= 500:
        return _unavailable(
            method, f"Slack failed {method} (HTTP {status}{', ' + code if code else ''})", code
        )
    if code in AUTH_ERRORS:
        return SlackAuthError(
            f"Slack refused braingain's bot token ({code}) for {method}", method=method, error=code
        )
    if code == "missing_scope":
        needed = str(body.get("needed") or "unknown")
        return SlackScopeMissing(
            f"the group's Slack app may not call {method}: it lacks the {needed} scope",
            method=method,
            needed=needed,
        )
    return SlackRefused(f"Slack refused {method}: {code or f'HTTP {status}'}", method=method, error=code)


def _dropped(method: str, error: BaseException) -> SlackError:
    timed_out = isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)
    what = "timed out" if timed_out else "lost its connection"
    return _unavailable(method, f"Slack's {method} {what}", "")


def _unavailable(method: str, message: str, code: str) -> SlackUnavailable:
    if method == _COMPLETE:
        return SlackUnavailable(
            f"{message}: the file may or may not have been shared",
            method=method,
            error=code,
            hint="the next sync looks for it in the thread before sharing it again, so it is never "
            "shared twice",
        )
    if method == _POST:
        return SlackUnavailable(
            f"{message}: the message may or may not have been posted",
            method=method,
            error=code,
            hint="the next sync looks for it by its key before sending it again, so it is never sent twice",
        )
    return SlackUnavailable(
        f"{message}, after the retries allowed",
        method=method,
        error=code,
        hint="Slack or the network is down; run the sync again later, and braingain carries on where "
        "it stopped",
    )


def slack_for(config: Config, *, render: Render | None = None) -> SlackChat | None:
    """Slack for the group ``config`` describes, or ``None`` when ``SLACK_BOT_TOKEN`` is not set
    (in the environment or .env). ``[endpoints] slack`` moves the Web API (default :data:`API_URL`);
    ``render`` is how a message looks (by default :func:`braingain.integrations.slack.blocks.render`)."""
    token = config.secret(BOT_TOKEN_SETTING)
    if token is None:
        return None
    base = config.endpoints.get(API_URL, API_URL).rstrip("/") + "/"
    client = WebClient(token=token, base_url=base, timeout=TIMEOUT)
    return SlackChat(client, render=render or blocks.render)
