"""A loopback fake of the Slack Web API methods braingain uses.

Point the real ``slack_sdk.WebClient`` at it with ``base_url=fake.api_url`` (``{base_url}/api/``).
Every method answers at ``/api/<method>`` to GET and POST alike, as Slack does, and reads its
arguments from the query, a form body or a JSON body. Shapes follow the Slack Web API description
(``shared/specs/slack_web_openapi_v2.json``) and Slack's current reference where it grew since
(message ``metadata``, ``include_all_metadata``).

Slack's way of failing: every answer is HTTP 200, an error being ``{"ok": false, "error": "..."}``,
except a rate limit, which is HTTP 429 ``{"ok": false, "error": "ratelimited"}`` with a
``Retry-After`` header in seconds.

- Auth: a Bearer token in the Authorization header (or a ``token`` body field; a token in the query
  string is not read, as for apps made since 2021). None: ``not_authed``; unknown:
  ``invalid_auth``; revoked with :meth:`FakeSlack.revoke`: ``token_revoked``; a method whose
  scope the token lacks: ``missing_scope`` with ``needed`` and ``provided`` (the bot token
  :data:`BOT_TOKEN` has :data:`BOT_SCOPES`; :meth:`FakeSlack.add_token` makes others; with
  ``chat:write.public`` a bot posts to a public channel it is not in). The ``expired_token()``
  fault answers ``token_expired``.
- Rate limits are off unless a test turns them on: :meth:`FakeSlack.enforce_tiers` applies each
  method's tier (:data:`TIERS`, requests a minute by :attr:`FakeSlack.clock`) and
  :attr:`FakeSlack.post_interval` (seconds) holds ``chat.postMessage`` to one message per
  interval per channel (Slack: about one a second). ``rate_limited(retry_after=N)`` injects one.
- State a test reads and sets (each helper takes :attr:`FakeSlack.lock`): :meth:`add_user`,
  :meth:`add_channel`, :meth:`join`, :meth:`messages`, :meth:`ephemerals`, :meth:`home_views`,
  :meth:`opened_views`, :meth:`trigger`, :meth:`channel`, :meth:`response_url` and
  :meth:`responses` (what an app posted to a command's or an interaction's ``response_url``: no
  token, the URL's secret path is the authority, as at Slack's ``hooks.slack.com/commands/...``).
- Socket Mode: ``apps.connections.open`` takes an app-level token (:data:`APP_TOKEN`, scope
  ``connections:write``) and answers :attr:`FakeSlack.socket_url`: a ``wss://`` URL where nothing
  listens, until a test calls :meth:`FakeSlack.socket_mode`, which starts Slack's side of the
  connection on loopback (:mod:`tests.fakes.slack_socket`: hello, envelopes, acks, disconnect).

Scopes are the bot scopes of Slack's current reference where the 2020 description names user scopes:
``conversations.join`` needs ``channels:join`` (the description: ``channels:write``), and
``conversations.open`` of a direct message ``im:write``. ``users.info`` leaves ``profile.email`` out
unless the token has ``users:read.email``, as Slack does.

Files, Slack's current way (the retired ``files.upload`` is not served): ``files.getUploadURLExternal``
(``filename``, ``length``, ``alt_txt``; scope ``files:write``) answers a ``file_id`` and an
``upload_url`` on the fake (a pre-signed address: no token, POST only), which takes the bytes;
``files.completeUploadExternal`` (``files`` as JSON ``[{"id", "title"}]``, ``channel_id``,
``thread_ts``, ``initial_comment``) shares them, as a reply in the thread when ``thread_ts`` is
given, which ``conversations.replies`` then lists (the parent first, each reply with its
``files``). :meth:`FakeSlack.uploads` shows every file and its bytes; :meth:`FakeSlack.replies` a
thread. The shapes follow Slack's current reference (the 2020 description predates these methods).

Not implemented (recorded in :attr:`problems`, failing the test): ``conversations.invite`` with
``force``, posting into a thread (``chat.postMessage`` with ``thread_ts``), completing one upload
twice or one whose bytes never arrived or differ from its ``length``, sharing to several channels
(``channels``), ``conversations.open`` of a group direct message, by ``channel`` or with
``return_im``, and methods not listed in :data:`TIERS`.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import math
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from tests.fakes.framework import Fault, HttpError, LoopbackServer, Request, Response, Route, route
from tests.fakes.slack_socket import SocketMode

JsonObject = dict[str, Any]

TEAM_ID = "T0FAKETEAM1"
TEAM_NAME = "Brain Gain"
BOT_USER_ID = "U0BRAINBOT"
BOT_ID = "B0BRAINGAIN1"
APP_ID = "A0BRAINGAIN"
BOT_TOKEN = "xoxb-fake-braingain-bot-token"
APP_TOKEN = "xapp-1-fake-braingain-app-token"

TIER_1, TIER_2, TIER_3, TIER_4 = 1, 20, 50, 100
"""Requests a minute per method of Slack's rate limit tiers (the documented floor of each)."""

TIERS: dict[str, int] = {
    "auth.test": TIER_4,  # "Special"; generous in practice
    "chat.postMessage": TIER_4,  # "Special": the per-channel limit is post_interval
    "chat.postEphemeral": TIER_4,
    "views.publish": TIER_4,
    "views.open": TIER_4,
    "conversations.create": TIER_2,
    "conversations.invite": TIER_3,
    "conversations.list": TIER_2,
    "conversations.history": TIER_3,
    "conversations.join": TIER_3,
    "conversations.open": TIER_3,
    "users.lookupByEmail": TIER_3,
    "users.info": TIER_4,
    "apps.connections.open": TIER_1,
    "conversations.replies": TIER_3,
    "files.getUploadURLExternal": TIER_4,
    "files.completeUploadExternal": TIER_4,
}

BOT_SCOPES = (
    "chat:write",
    "channels:manage",
    "channels:join",
    "groups:write",
    "im:write",
    "channels:read",
    "groups:read",
    "im:read",
    "mpim:read",
    "channels:history",
    "groups:history",
    "im:history",
    "mpim:history",
    "users:read",
    "users:read.email",
    "files:write",
)
"""The bot token's scopes unless a test gives others."""

TEXT_LIMIT = 40000
NAME_LIMIT = 80
TRIGGER_LIFETIME = 3.0
"""Seconds a trigger_id lives (Slack: 3)."""
MAX_HISTORY_LIMIT = 999
MAX_LIST_LIMIT = 1000

_NAME = re.compile(r"[a-z0-9_\-\u00c0-\uffff]+")


class SlackError(HttpError):
    """Answer ``{"ok": false, "error": error, **extra}`` (HTTP 200 unless ``status``)."""

    def __init__(
        self, error: str, status: int = 200, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(Response.json({"ok": False, "error": error, **extra}, status, headers))
        self.error = error


@dataclass
class Upload:
    """A file on its way up (``files.getUploadURLExternal``) and, once complete, shared."""

    id: str
    filename: str
    length: int
    alt_txt: str
    secret: str
    data: bytes | None = None
    title: str = ""
    channel: str = ""
    thread_ts: str = ""
    completed: bool = False

    def as_json(self) -> JsonObject:
        extension = self.filename.rpartition(".")[2].lower() if "." in self.filename else ""
        mimetype = {"png": "image/png", "svg": "image/svg+xml"}.get(extension, "application/octet-stream")
        return {
            "id": self.id,
            "name": self.filename,
            "title": self.title or self.filename,
            "mimetype": mimetype,
            "filetype": extension or "binary",
            "size": self.length,
            "user": BOT_USER_ID,
            "alt_txt": self.alt_txt,
            "is_public": True,
        }


@dataclass
class Token:
    """A token the fake knows: who it is and what it may do."""

    user_id: str
    scopes: tuple[str, ...]
    bot_id: str | None = BOT_ID
    revoked: bool = False


@dataclass
class Channel:
    """One conversation. ``messages`` oldest first; ``members`` holds user ids (the bot's too)."""

    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_archived: bool = False
    created: int = 0
    creator: str = BOT_USER_ID
    members: list[str] = field(default_factory=list)
    messages: list[JsonObject] = field(default_factory=list)
    replies: dict[str, list[JsonObject]] = field(default_factory=dict)
    """Each thread's replies by its parent's ``ts``, oldest first."""

    def as_json(self, viewer: str) -> JsonObject:
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": next((m for m in self.members if m != viewer), viewer),
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_general": False,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "is_member": viewer in self.members,
            "created": self.created,
            "creator": self.creator,
            "unlinked": 0,
            "num_members": len(self.members),
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }


class FakeSlack(LoopbackServer):
    """Slack's Web API on one loopback base URL, for one workspace and one bot.

    ``clock`` (an aware datetime) drives message ``ts``, rate limit windows and trigger lifetimes.
    """

    redact_fields: ClassVar[frozenset[str]] = LoopbackServer.redact_fields | {"email"}

    def __init__(self) -> None:
        super().__init__()
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.tokens: dict[str, Token] = {
            BOT_TOKEN: Token(BOT_USER_ID, BOT_SCOPES),
            APP_TOKEN: Token(BOT_USER_ID, ("connections:write",), bot_id=None),
        }
        self.socket_url = "wss://127.0.0.1:9/link/?ticket=fake"
        """What apps.connections.open answers (a port where nothing listens, unless a test says)."""
        self._socket_mode: SocketMode | None = None
        self._responses: dict[str, list[JsonObject]] = {}
        self.users: dict[str, JsonObject] = {}
        self.channels: dict[str, Channel] = {}
        self.rate_limits: dict[str, int] = {}
        """Requests a minute allowed per method name; a method not here is not limited."""
        self.post_interval: float | None = None
        """Seconds between two chat.postMessage to one channel; ``None`` for no limit."""
        self._ephemerals: list[JsonObject] = []
        self._home: dict[str, JsonObject] = {}
        self._opened: list[JsonObject] = []
        self._triggers: dict[str, tuple[str, datetime]] = {}
        self._calls: dict[str, deque[datetime]] = {}
        self._last_post: dict[str, datetime] = {}
        self._last_ts = 0
        self._numbers = itertools.count(1)
        self._id_lock = threading.Lock()
        self._current_args: JsonObject = {}
        self._current_token = self.tokens[BOT_TOKEN]
        self._uploads: dict[str, Upload] = {}
        self.add_user("braingain", email="", user_id=BOT_USER_ID, is_bot=True)

    @property
    def api_url(self) -> str:
        """What ``WebClient(base_url=...)`` takes."""
        return f"{self.base_url}/api/"

    # -- test API ------------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        with self._id_lock:
            return f"{prefix}{next(self._numbers):09d}"

    def add_user(
        self, name: str, *, email: str, user_id: str | None = None, is_bot: bool = False, tz: str = "UTC"
    ) -> str:
        """A workspace member; returns their user id (``U...``)."""
        with self.lock:
            uid = user_id or self._new_id("U")
            self.users[uid] = {
                "id": uid,
                "team_id": TEAM_ID,
                "name": name,
                "deleted": False,
                "real_name": name,
                "tz": tz,
                "tz_label": tz,
                "tz_offset": 0,
                "is_admin": False,
                "is_owner": False,
                "is_primary_owner": False,
                "is_restricted": False,
                "is_ultra_restricted": False,
                "is_bot": is_bot,
                "is_app_user": False,
                "updated": int(self.clock().timestamp()),
                "profile": {
                    "real_name": name,
                    "real_name_normalized": name,
                    "display_name": name,
                    "display_name_normalized": name,
                    "avatar_hash": "",
                    "title": "",
                    "phone": "",
                    "skype": "",
                    "status_text": "",
                    "status_emoji": "",
                    "fields": None,
                    "email": email,
                    "team": TEAM_ID,
                },
            }
            return uid

    def add_channel(self, name: str, *, private: bool = False, members: tuple[str, ...] = ()) -> str:
        """A channel made outside braingain, with ``members`` (user ids; BOT_USER_ID lets the bot in)."""
        with self.lock:
            channel = Channel(
                self._new_id("G" if private else "C"),
                name,
                is_private=private,
                created=int(self.clock().timestamp()),
                creator=members[0] if members else BOT_USER_ID,
                members=list(members),
            )
            self.channels[channel.id] = channel
            return channel.id

    def join(self, channel_id: str, *user_ids: str) -> None:
        with self.lock:
            members = self.channels[channel_id].members
            members.extend(u for u in user_ids if u not in members)

    def channel(self, channel_id_or_name: str) -> Channel:
        """The channel with this id or name (KeyError if none)."""
        with self.lock:
            for channel in self.channels.values():
                if channel_id_or_name in (channel.id, channel.name):
                    return channel
        raise KeyError(channel_id_or_name)

    def messages(self, channel_id_or_name: str) -> list[JsonObject]:
        """The channel's messages, oldest first, as stored (metadata included)."""
        with self.lock:
            return [dict(m) for m in self.channel(channel_id_or_name).messages]

    def replies(self, channel_id_or_name: str, ts: str) -> list[JsonObject]:
        """The replies to the message ``ts`` in the channel, oldest first."""
        with self.lock:
            return [dict(m) for m in self.channel(channel_id_or_name).replies.get(ts, [])]

    def uploads(self) -> list[Upload]:
        """Every upload asked for, in order (``completed`` once shared; ``data`` its bytes)."""
        with self.lock:
            return list(self._uploads.values())

    def ephemerals(self) -> list[JsonObject]:
        """Every ephemeral message: ``{"channel", "user", "text", "blocks", "message_ts"}``."""
        with self.lock:
            return [dict(m) for m in self._ephemerals]

    def home_views(self) -> dict[str, JsonObject]:
        """The Home tab view published for each user id."""
        with self.lock:
            return dict(self._home)

    def opened_views(self) -> list[JsonObject]:
        with self.lock:
            return list(self._opened)

    def trigger(self, user_id: str) -> str:
        """A trigger_id, as an interaction from ``user_id`` carries; it lives TRIGGER_LIFETIME seconds."""
        with self.lock:
            value = f"{next(self._numbers)}.{TEAM_ID}.fake{len(self._triggers)}"
            self._triggers[value] = (user_id, self.clock())
            return value

    def response_url(self) -> str:
        """A new ``response_url``, as a command or an interaction carries (answers may be posted to it)."""
        with self.lock:
            key = f"{TEAM_ID}/{next(self._numbers)}/fake{len(self._responses)}"
            self._responses[key] = []
            return f"{self.base_url}/commands/{key}"

    def responses(self, url: str | None = None) -> list[JsonObject]:
        """What was posted to ``url`` (every response_url when ``None``), oldest first."""
        with self.lock:
            if url is None:
                return [dict(r) for posted in self._responses.values() for r in posted]
            return [dict(r) for r in self._responses[url.split("/commands/", 1)[1]]]

    def socket_mode(self) -> SocketMode:
        """Slack's side of Socket Mode on loopback, started once (stopped with the fake); from now on
        ``apps.connections.open`` answers its ``ws://`` URL."""
        with self.lock:
            if self._socket_mode is None:
                self._socket_mode = SocketMode(APP_ID, self.problems).start()
                self.add_cleanup(self._socket_mode.stop)
                self.socket_url = self._socket_mode.url
            return self._socket_mode

    def add_token(self, value: str, scopes: tuple[str, ...], user_id: str = BOT_USER_ID) -> None:
        with self.lock:
            self.tokens[value] = Token(user_id, scopes)

    def revoke(self, value: str = BOT_TOKEN) -> None:
        with self.lock:
            self.tokens[value].revoked = True

    def enforce_tiers(self) -> None:
        """Limit every method to its tier's requests a minute (:data:`TIERS`)."""
        with self.lock:
            self.rate_limits.update(TIERS)

    # -- rendering -----------------------------------------------------------------------

    def error_response(self, status: int, message: str, request: Request, route: Route | None) -> Response:
        if route is None:
            self.problems.append(f"FakeSlack does not implement {request.method} {request.path}")
            return Response.json({"ok": False, "error": "unknown_method"}, 200)
        if status == 400:
            return Response.json({"ok": False, "error": "invalid_json"}, 200)
        return Response.json({"ok": False, "error": "fatal_error"}, status)

    def fault_response(self, fault: Fault, request: Request, route: Route | None) -> Response:
        if fault.kind == "expired_token":
            return Response.json({"ok": False, "error": "token_expired"}, 200)
        if fault.kind == "rate_limited":
            headers = {"Retry-After": fault.retry_after or "1"}
            return Response.json({"ok": False, "error": "ratelimited"}, fault.status, headers)
        return super().fault_response(fault, request, route)

    # -- dispatch ------------------------------------------------------------------------

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """Slack takes GET or POST on every method; a response_url takes POST only."""
        for candidate in self.routes:
            found = candidate.regex.fullmatch(path)
            if found and candidate.name in ("response_url", "upload_url"):
                return (candidate, found.groupdict()) if method == "POST" else None
            if found and method in ("GET", "POST"):
                return candidate, {}
        return None

    def before_route(self, request: Request, route: Route) -> Response | None:
        if route.name in ("response_url", "upload_url"):  # its secret path is the authority, not a token
            return None
        args = _arguments(request)
        self._current_args = args
        header = request.header("Authorization") or ""
        scheme, _, value = header.partition(" ")
        given = value.strip() if scheme.lower() == "bearer" else str(args.get("token") or "")
        if not given:
            raise SlackError("not_authed")
        token = self.tokens.get(given)
        if token is None:
            raise SlackError("invalid_auth")
        if token.revoked:
            raise SlackError("token_revoked")
        self._current_token = token
        self._spend(route.name)
        return None

    def _spend(self, method: str) -> None:
        limit = self.rate_limits.get(method)
        if limit is None:
            return
        now = self.clock()
        calls = self._calls.setdefault(method, deque())
        while calls and now - calls[0] >= timedelta(minutes=1):
            calls.popleft()
        if len(calls) >= limit:
            wait = 60 - (now - calls[0]).total_seconds()
            raise SlackError("ratelimited", 429, {"Retry-After": str(max(1, math.ceil(wait)))})
        calls.append(now)

    def _caller(self, request: Request) -> Token:
        """The token of the request being handled (handlers run one at a time, under :attr:`lock`)."""
        return self._current_token

    def _args(self, request: Request) -> JsonObject:
        """The arguments of the request being handled."""
        return self._current_args

    def _need(self, request: Request, *scopes: str) -> Token:
        token = self._caller(request)
        for scope in scopes:
            if scope not in token.scopes:
                raise SlackError("missing_scope", needed=scope, provided=",".join(token.scopes))
        return token

    def _channel(self, raw: object, viewer: str) -> Channel:
        text = str(raw or "")
        if text.startswith("#"):
            text = text[1:]
        if text in self.users:  # a user id: their direct message with the bot
            return self._im(text, viewer)
        for channel in self.channels.values():
            if text in (channel.id, channel.name) and not (
                channel.is_private and viewer not in channel.members
            ):
                return channel
        raise SlackError("channel_not_found")

    def _im(self, user_id: str, viewer: str) -> Channel:
        for channel in self.channels.values():
            if channel.is_im and set(channel.members) == {user_id, viewer}:
                return channel
        channel = Channel(self._new_id("D"), "", is_im=True, members=[viewer, user_id])
        channel.created = int(self.clock().timestamp())
        self.channels[channel.id] = channel
        return channel

    def _ts(self) -> str:
        micros = int(self.clock().timestamp() * 1_000_000)
        self._last_ts = max(micros, self._last_ts + 1)
        return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    # -- auth ----------------------------------------------------------------------------

    @route("POST", "/api/auth.test", name="auth.test")
    def _auth_test(self, request: Request) -> Response:
        token = self._caller(request)
        answer: JsonObject = {
            "ok": True,
            "url": "https://braingain-fake.slack.com/",
            "team": TEAM_NAME,
            "user": self.users[token.user_id]["name"] if token.user_id in self.users else "braingain",
            "team_id": TEAM_ID,
            "user_id": token.user_id,
            "is_enterprise_install": False,
        }
        if token.bot_id:
            answer["bot_id"] = token.bot_id
        return Response.json(answer)

    # -- chat ----------------------------------------------------------------------------

    def _content(self, args: JsonObject) -> tuple[str, list[Any] | None]:
        text = str(args.get("text") or "")
        blocks = _json_field(args.get("blocks"), "invalid_blocks")
        if blocks is not None and not isinstance(blocks, list):
            raise SlackError("invalid_blocks")
        if not text and not blocks and not args.get("attachments"):
            raise SlackError("no_text")
        if len(text) > TEXT_LIMIT:
            raise SlackError("msg_too_long")
        if args.get("thread_ts"):
            self.problems.append("FakeSlack does not implement threads (thread_ts)")
        return text, blocks

    @route("POST", "/api/chat.postMessage", name="chat.postMessage")
    def _post_message(self, request: Request) -> Response:
        token = self._need(request, "chat:write")
        args = self._args(request)
        channel = self._channel(args.get("channel"), token.user_id)
        if channel.is_archived:
            raise SlackError("is_archived")
        public_ok = "chat:write.public" in token.scopes and not (channel.is_private or channel.is_im)
        if token.user_id not in channel.members and not public_ok:
            raise SlackError("not_in_channel")
        text, blocks = self._content(args)
        metadata = _json_field(args.get("metadata"), "invalid_metadata_format")
        if metadata is not None and not (
            isinstance(metadata, dict)
            and isinstance(metadata.get("event_type"), str)
            and metadata["event_type"]
            and isinstance(metadata.get("event_payload"), dict)
        ):
            raise SlackError("invalid_metadata_format")
        self._hold_per_channel(channel.id)
        message: JsonObject = {
            "type": "message",
            "user": token.user_id,
            "bot_id": token.bot_id,
            "app_id": APP_ID,
            "text": text,
            "ts": self._ts(),
            "team": TEAM_ID,
        }
        if blocks is not None:
            message["blocks"] = blocks
        if metadata is not None:
            message["metadata"] = {
                "event_type": metadata["event_type"],
                "event_payload": metadata["event_payload"],
            }
        channel.messages.append(message)
        return Response.json(
            {"ok": True, "channel": channel.id, "ts": message["ts"], "message": dict(message)}
        )

    def _hold_per_channel(self, channel_id: str) -> None:
        if self.post_interval is None:
            return
        now = self.clock()
        last = self._last_post.get(channel_id)
        if last is not None:
            left = self.post_interval - (now - last).total_seconds()
            if left > 0:
                raise SlackError("ratelimited", 429, {"Retry-After": str(max(1, math.ceil(left)))})
        self._last_post[channel_id] = now

    @route("POST", "/api/chat.postEphemeral", name="chat.postEphemeral")
    def _post_ephemeral(self, request: Request) -> Response:
        token = self._need(request, "chat:write")
        args = self._args(request)
        channel = self._channel(args.get("channel"), token.user_id)
        user = str(args.get("user") or "")
        if channel.is_archived:
            raise SlackError("is_archived")
        if user not in channel.members:  # an unknown user too: Slack has no user_not_found here
            raise SlackError("user_not_in_channel")
        text, blocks = self._content(args)
        ts = self._ts()
        self._ephemerals.append(
            {"channel": channel.id, "user": user, "text": text, "blocks": blocks, "message_ts": ts}
        )
        return Response.json({"ok": True, "message_ts": ts})

    # -- views ---------------------------------------------------------------------------

    def _view(self, args: JsonObject, kind: str, user: str) -> JsonObject:
        view = _json_field(args.get("view"), "invalid_arguments")
        if not isinstance(view, dict) or view.get("type") != kind or not isinstance(view.get("blocks"), list):
            raise SlackError(
                "invalid_arguments", response_metadata={"messages": [f"[ERROR] must be a {kind} view"]}
            )
        number = next(self._numbers)
        return {
            "id": f"V{number:010d}",
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "user_id": user,
            "hash": f"{int(self.clock().timestamp())}.{number:08x}",
            "state": {"values": {}},
            "title": view.get("title"),
            "callback_id": view.get("callback_id", ""),
            "private_metadata": view.get("private_metadata", ""),
            "external_id": view.get("external_id", ""),
            **{k: v for k, v in view.items() if k in ("type", "blocks", "submit", "close")},
        }

    @route("POST", "/api/views.publish", name="views.publish")
    def _views_publish(self, request: Request) -> Response:
        args = self._args(request)
        user = str(args.get("user_id") or "")
        if user not in self.users:
            raise SlackError("user_not_found")
        given_hash = args.get("hash")
        current = self._home.get(user)
        if given_hash and current is not None and given_hash != current["hash"]:
            raise SlackError("hash_conflict")
        view = self._view(args, "home", user)
        self._home[user] = view
        return Response.json({"ok": True, "view": view})

    @route("POST", "/api/views.open", name="views.open")
    def _views_open(self, request: Request) -> Response:
        args = self._args(request)
        trigger = self._triggers.pop(str(args.get("trigger_id") or ""), None)
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        user, issued = trigger
        if (self.clock() - issued).total_seconds() > TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        view = self._view(args, "modal", user)
        self._opened.append(view)
        return Response.json({"ok": True, "view": view})

    # -- conversations -------------------------------------------------------------------

    @route("POST", "/api/conversations.create", name="conversations.create")
    def _create(self, request: Request) -> Response:
        args = self._args(request)
        private = _flag(args.get("is_private"))
        token = self._need(request, "groups:write" if private else "channels:manage")
        name = str(args.get("name") or "")
        if not name:
            raise SlackError("invalid_name_required")
        if len(name) > NAME_LIMIT:
            raise SlackError("invalid_name_maxlength")
        if not _NAME.fullmatch(name):
            raise SlackError("invalid_name_specials")
        if not re.search(r"[^\-_]", name):
            raise SlackError("invalid_name_punctuation")
        if any(c.name == name for c in self.channels.values() if not c.is_im):
            raise SlackError("name_taken")
        channel = Channel(
            self._new_id("G" if private else "C"),
            name,
            is_private=private,
            created=int(self.clock().timestamp()),
            creator=token.user_id,
            members=[token.user_id],
        )
        self.channels[channel.id] = channel
        return Response.json({"ok": True, "channel": channel.as_json(token.user_id)})

    @route("POST", "/api/conversations.invite", name="conversations.invite")
    def _invite(self, request: Request) -> Response:
        args = self._args(request)
        token = self._caller(request)
        channel = self._channel(args.get("channel"), token.user_id)
        self._need(request, "groups:write" if channel.is_private else "channels:manage")
        if _flag(args.get("force")):
            self.problems.append("FakeSlack does not implement conversations.invite force=true")
        if channel.is_im:
            raise SlackError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise SlackError("is_archived")
        if token.user_id not in channel.members:
            raise SlackError("not_in_channel")
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise SlackError("no_user")
        if len(users) > 1000:
            raise SlackError("too_many_users")
        for user in users:
            if user == token.user_id:
                raise SlackError("cant_invite_self")
            if user not in self.users:
                raise SlackError("user_not_found")
            if user in channel.members:
                raise SlackError("already_in_channel")
        channel.members.extend(dict.fromkeys(users))
        return Response.json({"ok": True, "channel": channel.as_json(token.user_id)})

    @route("POST", "/api/conversations.join", name="conversations.join")
    def _join(self, request: Request) -> Response:
        token = self._need(request, "channels:join")
        wanted = str(self._args(request).get("channel") or "")
        channel = self.channels.get(wanted)
        if channel is None or (channel.is_private and token.user_id not in channel.members):
            raise SlackError("channel_not_found")
        if channel.is_private or channel.is_im:
            raise SlackError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise SlackError("is_archived")
        answer: JsonObject = {"ok": True, "channel": channel.as_json(token.user_id)}
        if token.user_id in channel.members:
            answer["warning"] = "already_in_channel"
            answer["response_metadata"] = {"warnings": ["already_in_channel"]}
        else:
            channel.members.append(token.user_id)
            answer["channel"] = channel.as_json(token.user_id)
        return Response.json(answer)

    @route("POST", "/api/conversations.open", name="conversations.open")
    def _open(self, request: Request) -> Response:
        args = self._args(request)
        if args.get("channel") or _flag(args.get("return_im")):
            self.problems.append("FakeSlack does not implement conversations.open by channel or return_im")
        users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) > 1:
            self.problems.append("FakeSlack does not implement group direct messages (conversations.open)")
            raise SlackError("method_not_supported_for_channel_type")
        token = self._need(request, "im:write")
        user = users[0]
        if user not in self.users or self.users[user]["deleted"]:
            raise SlackError("user_not_found")
        before = len(self.channels)
        channel = self._im(user, token.user_id)
        opened = len(self.channels) == before
        return Response.json(
            {"ok": True, "no_op": opened, "already_open": opened, "channel": {"id": channel.id}}
        )

    @route("POST", "/api/conversations.list", name="conversations.list")
    def _list(self, request: Request) -> Response:
        args = self._args(request)
        types = [t.strip() for t in str(args.get("types") or "public_channel").split(",") if t.strip()]
        scope_of = {
            "public_channel": "channels:read",
            "private_channel": "groups:read",
            "im": "im:read",
            "mpim": "mpim:read",
        }
        unknown = [t for t in types if t not in scope_of]
        if unknown:
            raise SlackError("invalid_types")
        token = self._need(request, *(scope_of[t] for t in types))
        limit = _limit(args.get("limit"), 100, MAX_LIST_LIMIT)
        exclude_archived = _flag(args.get("exclude_archived"))

        def wanted(channel: Channel) -> bool:
            kind = "im" if channel.is_im else "private_channel" if channel.is_private else "public_channel"
            if kind not in types or (exclude_archived and channel.is_archived):
                return False
            return kind == "public_channel" or token.user_id in channel.members

        found = [c for c in self.channels.values() if wanted(c)]
        start = _offset(args.get("cursor"))
        page = found[start : start + limit]
        after = start + limit
        return Response.json(
            {
                "ok": True,
                "channels": [c.as_json(token.user_id) for c in page],
                "response_metadata": {"next_cursor": _cursor(after) if after < len(found) else ""},
            }
        )

    def _readable(self, request: Request, args: JsonObject) -> Channel:
        """The channel a history method reads: the token's scope for its kind, and the caller in it."""
        token = self._caller(request)
        channel = self._channel(args.get("channel"), token.user_id)
        kind = "im" if channel.is_im else "groups" if channel.is_private else "channels"
        self._need(request, f"{kind}:history")
        if token.user_id not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    @route("POST", "/api/conversations.history", name="conversations.history")
    def _history(self, request: Request) -> Response:
        args = self._args(request)
        channel = self._readable(request, args)
        latest = _ts_bound(args.get("latest"), "invalid_ts_latest", math.inf)
        oldest = _ts_bound(args.get("oldest"), "invalid_ts_oldest", 0.0)
        inclusive = _flag(args.get("inclusive"))
        limit = _limit(args.get("limit"), 100, MAX_HISTORY_LIMIT)
        with_metadata = _flag(args.get("include_all_metadata"))

        def inside(message: JsonObject) -> bool:
            ts = float(message["ts"])
            if inclusive:
                return oldest <= ts <= latest
            return oldest < ts < latest

        newest_first = [m for m in reversed(channel.messages) if inside(m)]
        start = _offset(args.get("cursor"))
        page = newest_first[start : start + limit]
        shown = [{k: v for k, v in m.items() if with_metadata or k != "metadata"} for m in page]
        more = start + limit < len(newest_first)
        answer: JsonObject = {
            "ok": True,
            "messages": shown,
            "has_more": more,
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
        }
        if more:
            answer["response_metadata"] = {"next_cursor": _cursor(start + limit)}
        return Response.json(answer)

    @route("POST", "/api/conversations.replies", name="conversations.replies")
    def _replies(self, request: Request) -> Response:
        args = self._args(request)
        channel = self._readable(request, args)
        ts = str(args.get("ts") or "")
        parent = next((m for m in channel.messages if m["ts"] == ts), None)
        if parent is None:
            raise SlackError("thread_not_found")
        replies = channel.replies.get(ts, [])
        whole = [{**parent, "thread_ts": ts, "reply_count": len(replies)}, *replies] if replies else [parent]
        limit = _limit(args.get("limit"), 1000, MAX_HISTORY_LIMIT)
        start = _offset(args.get("cursor"))
        page = whole[start : start + limit]
        more = start + limit < len(whole)
        answer: JsonObject = {"ok": True, "messages": [dict(m) for m in page], "has_more": more}
        answer["response_metadata"] = {"next_cursor": _cursor(start + limit) if more else ""}
        return Response.json(answer)

    # -- files ---------------------------------------------------------------------------

    @route("POST", "/api/files.getUploadURLExternal", name="files.getUploadURLExternal")
    def _upload_url(self, request: Request) -> Response:
        self._need(request, "files:write")
        args = self._args(request)
        filename = str(args.get("filename") or "")
        if not filename:
            raise SlackError("invalid_arguments")
        try:
            length = int(str(args.get("length")))
        except ValueError:
            raise SlackError("invalid_arguments") from None
        if length < 1:
            raise SlackError("invalid_arguments")
        upload = Upload(
            self._new_id("F"), filename, length, str(args.get("alt_txt") or ""), self._new_id("s")
        )
        self._uploads[upload.id] = upload
        return Response.json(
            {"ok": True, "upload_url": f"{self.base_url}/upload/v1/{upload.secret}", "file_id": upload.id}
        )

    @route("POST", "/upload/v1/{secret}", name="upload_url")
    def _upload_bytes(self, request: Request) -> Response:
        secret = request.path_params["secret"]
        upload = next((u for u in self._uploads.values() if u.secret == secret), None)
        if upload is None or upload.completed:
            return Response.text("invalid_upload", 404)
        upload.data = request.body
        return Response.text(f"OK - {len(request.body)}")

    @route("POST", "/api/files.completeUploadExternal", name="files.completeUploadExternal")
    def _complete_upload(self, request: Request) -> Response:
        token = self._need(request, "files:write")
        args = self._args(request)
        given = _json_field(args.get("files"), "invalid_arguments")
        if not isinstance(given, list) or not given or not all(isinstance(f, dict) for f in given):
            raise SlackError("invalid_arguments")
        if args.get("channels"):
            self.problems.append("FakeSlack does not implement sharing to several channels (channels)")
        channel: Channel | None = None
        if args.get("channel_id"):
            channel = self._channel(args.get("channel_id"), token.user_id)
            if token.user_id not in channel.members:
                raise SlackError("not_in_channel")
        thread = str(args.get("thread_ts") or "")
        if thread and (channel is None or all(m["ts"] != thread for m in channel.messages)):
            self.problems.append(f"FakeSlack: thread_ts {thread} is no message of the channel")
            raise SlackError("invalid_arguments")
        uploads: list[Upload] = []
        for item in given:
            upload = self._uploads.get(str(item.get("id") or ""))
            if upload is None:
                raise SlackError("file_not_found")
            if upload.completed or upload.data is None or len(upload.data) != upload.length:
                self.problems.append(
                    f"FakeSlack does not implement completing the upload {upload.id} as it is"
                )
                raise SlackError("invalid_arguments")
            upload.title = str(item.get("title") or upload.filename)
            uploads.append(upload)
        for upload in uploads:
            upload.completed = True
            upload.channel = channel.id if channel is not None else ""
            upload.thread_ts = thread
        if channel is not None:
            message: JsonObject = {
                "type": "message",
                "user": token.user_id,
                "bot_id": token.bot_id,
                "text": str(args.get("initial_comment") or ""),
                "ts": self._ts(),
                "upload": True,
                "files": [u.as_json() for u in uploads],
            }
            if thread:
                message["thread_ts"] = thread
                channel.replies.setdefault(thread, []).append(message)
            else:
                channel.messages.append(message)
        return Response.json({"ok": True, "files": [u.as_json() for u in uploads]})

    # -- users ---------------------------------------------------------------------------

    @route("POST", "/api/users.lookupByEmail", name="users.lookupByEmail")
    def _lookup(self, request: Request) -> Response:
        self._need(request, "users:read.email")
        email = str(self._args(request).get("email") or "").strip().lower()
        for user in self.users.values():
            if email and user["profile"].get("email", "").lower() == email and not user["deleted"]:
                return Response.json({"ok": True, "user": user})
        raise SlackError("users_not_found")

    @route("POST", "/api/users.info", name="users.info")
    def _user_info(self, request: Request) -> Response:
        token = self._need(request, "users:read")
        args = self._args(request)
        found = self.users.get(str(args.get("user") or ""))
        if found is None:
            raise SlackError("user_not_found")
        user = json.loads(json.dumps(found))
        if "users:read.email" not in token.scopes:
            user["profile"].pop("email", None)
        if _flag(args.get("include_locale")):
            user["locale"] = "en-US"
        return Response.json({"ok": True, "user": user})

    # -- Socket Mode and response_url ----------------------------------------------------

    @route("POST", "/api/apps.connections.open", name="apps.connections.open")
    def _connections_open(self, request: Request) -> Response:
        self._need(request, "connections:write")
        return Response.json({"ok": True, "url": self.socket_url})

    @route("POST", "/commands/{team}/{number}/{secret}", name="response_url")
    def _respond(self, request: Request) -> Response:
        key = "/".join(request.path_params[k] for k in ("team", "number", "secret"))
        if key not in self._responses:
            return Response.text("invalid_token", 404)
        body = _posted(request)
        if not isinstance(body.get("text"), str) and not isinstance(body.get("blocks"), list):
            return Response.text("no_text", 400)
        self._responses[key].append(body)
        return Response.text("ok")


def _posted(request: Request) -> JsonObject:
    """A response_url's body: JSON (what slack_sdk's WebhookClient sends)."""
    try:
        body = request.json()
    except ValueError:
        raise HttpError(Response.text("invalid_payload", 400)) from None
    if not isinstance(body, dict):
        raise HttpError(Response.text("invalid_payload", 400))
    return body


def _arguments(request: Request) -> JsonObject:
    """A method's arguments from the query, a form body or a JSON body (later ones win)."""
    args: JsonObject = {k: v[0] for k, v in request.query.items() if v and k != "token"}
    content_type = (request.header("Content-Type") or "").lower()
    if request.body and "json" in content_type:
        try:
            body = request.json()
        except ValueError:
            raise SlackError("invalid_json") from None
        if not isinstance(body, dict):
            raise SlackError("json_not_object")
        args.update(body)
    elif request.body and "x-www-form-urlencoded" in content_type:
        args.update(request.form())
    elif request.body:
        raise SlackError("invalid_form_data")
    return args


def _json_field(value: object, error: str) -> Any:
    """A field sent as JSON text (form data) or as JSON itself; ``None`` when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise SlackError(error) from None
    return value


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("true", "1")


def _limit(value: object, default: int, most: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise SlackError("invalid_limit") from None
    return max(1, min(number, most))


def _ts_bound(value: object, error: str, default: float) -> float:
    if value is None or value == "":
        return default
    try:
        return float(str(value))
    except ValueError:
        raise SlackError(error) from None


def _cursor(offset: int) -> str:
    return base64.b64encode(f"next:{offset}".encode()).decode("ascii")


def _offset(value: object) -> int:
    if not value:
        return 0
    try:
        label, _, number = base64.b64decode(str(value), validate=True).decode("ascii").partition(":")
        if label != "next":
            raise ValueError(label)
        return int(number)
    except (ValueError, binascii.Error):
        raise SlackError("invalid_cursor") from None
