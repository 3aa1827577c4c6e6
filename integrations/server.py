"""``braingain serve``: one long-running process for a group.

- **The timed sync** (:class:`Syncer`): ``compose.run_sync(config, apply=True)`` every
  ``[serve] sync_minutes``, and soon after an action from Slack or a meeting's end from Zoom; never
  two at once (one lock in the process, and the sync's own lock across processes); one log line per
  sync, with what changed, what waits and why, or why it could not run (never a secret or an email).
- **Slack** (:mod:`braingain.integrations.slack.app`): in Socket Mode when ``SLACK_APP_TOKEN`` is set
  (braingain connects to Slack: no public address needed), else over HTTP at ``/slack/events``.
- **The web server** (waitress, a production WSGI server): ``/slack/events`` (HTTP mode),
  ``/zoom/events`` (Zoom's signed webhook, with ``ZOOM_WEBHOOK_SECRET_TOKEN``; one replay guard for
  the process) and ``/healthz``, on ``[serve] host`` and ``port``.

:meth:`Server.stop` (SIGTERM, SIGINT) lets the sync under way finish, then stops the rest (the Slack
actions under way finish too).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from braingain.core.errors import BraingainError
from braingain.integrations import compose, text
from braingain.integrations.config import Config
from braingain.integrations.errors import ConfigError
from braingain.integrations.zoom import webhook

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from slack_bolt import App

SOON = 5.0
"""Seconds between an action from Slack (or a meeting's end) and the sync it asks for, so that a few
clicks in a row make one sync."""
WEB_SLICE = 0.25
"""Seconds the web server waits for sockets before it looks whether it should stop."""
MAX_BODY = 1024 * 1024
"""The largest request the web server reads (bytes): Slack's and Zoom's are a few kilobytes."""

SLACK_PATH, ZOOM_PATH, HEALTH_PATH = "/slack/events", "/zoom/events", "/healthz"
ZOOM_SECRET = "ZOOM_WEBHOOK_SECRET_TOKEN"  # noqa: S105 (the variable's name, not a secret)

Log = Callable[[str], None]
SyncRun = Callable[[frozenset[str]], compose.SyncOutcome]
"""One sync that applies; its argument: the Zoom meetings that just ended (attendance at once)."""


def sync_for(config: Config) -> SyncRun:
    """The real sync of ``config``'s group (the platforms it sets up, meetings just ended included)."""

    def run(ended: frozenset[str]) -> compose.SyncOutcome:
        setup = compose.platform_setup(config)
        if ended:
            setup = replace(setup, ended=setup.ended | ended)
        return compose.run_sync(config, apply=True, platforms=setup)

    return run


def sync_line(outcome: compose.SyncOutcome) -> str:
    """The log line of one sync (counts and reasons; no names, no emails)."""
    done = outcome.done
    return text.serve_synced(
        cells=len(outcome.plan.write.cells) if outcome.applied else 0,
        done=len(done.done) if done else 0,
        refused=len(done.failed) if done else 0,
        waiting=tuple(why for _, why in done.waiting) if done else (),
        problems=sum(1 for p in outcome.read.problems if not p.repaired),
        held=len(outcome.unwritten),
    )


@dataclass
class Syncer:
    """The timed sync: :meth:`loop` syncs at once, then every ``interval`` seconds, and ``soon``
    seconds after :meth:`request`; :meth:`sync` runs one (holding the process's lock)."""

    run: SyncRun
    log: Log
    interval: float
    soon: float = SOON
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _wake: threading.Event = field(default_factory=threading.Event, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, repr=False)
    _ended: set[str] = field(default_factory=set, repr=False)
    _asked: float | None = field(default=None, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def request(self, ended: str | None = None) -> None:
        """Ask for a sync soon (after an action); ``ended``: a Zoom meeting whose attendance it imports."""
        with self._guard:
            if ended:
                self._ended.add(ended)
            if self._asked is None:
                self._asked = self.clock() + self.soon
        self._wake.set()

    def sync(self) -> str:
        """Run one sync now (waiting for one under way in this process), log its line and return it."""
        with self._lock:
            with self._guard:
                ended, self._ended = frozenset(self._ended), set()
                self._asked = None
            try:
                line = sync_line(self.run(ended))
            except BraingainError as error:
                line = text.serve_sync_failed(str(error))
                with self._guard:  # their attendance is asked again by the next sync
                    self._ended |= ended
            except Exception as error:  # a bug must not stop the server; its kind is logged
                line = text.serve_sync_bug(type(error).__name__)
            self.log(line)
            return line

    def loop(self) -> None:
        """Sync at once, then on time and on request, until :meth:`stop`."""
        due = self.clock()
        while not self._stopping.is_set():
            now = self.clock()
            with self._guard:
                asked = self._asked
            wake_at = min(due, asked) if asked is not None else due
            if now < wake_at:
                self._wake.wait(wake_at - now)
                self._wake.clear()
                continue
            self.sync()
            due = self.clock() + self.interval

    def stop(self) -> None:
        """No sync starts after this; the one under way finishes (hold :meth:`sync`'s lock to wait for it)."""
        self._stopping.set()
        self._wake.set()

    def finished(self) -> None:
        """Wait for the sync under way, if any."""
        with self._lock:
            pass


@dataclass(frozen=True)
class Web:
    """The WSGI application: Bolt's (HTTP mode), Zoom's webhook and a health check."""

    slack: Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]] | None
    zoom: Callable[[Mapping[str, str], bytes], webhook.WebhookResponse] | None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _answer(start_response, 200, {"status": "ok"})
        if path == SLACK_PATH and self.slack is not None:
            return self.slack(environ, start_response)
        if path == ZOOM_PATH and self.zoom is not None:
            if method != "POST":
                return _answer(start_response, 405, {"error": "POST only"})
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            headers = {
                key[5:].replace("_", "-").lower(): value
                for key, value in environ.items()
                if key.startswith("HTTP_") and isinstance(value, str)
            }
            answer = self.zoom(headers, body)
            return _answer(start_response, answer.status, answer.body)
        return _answer(start_response, 404, {"error": "not found"})


def _answer(start_response: StartResponse, status: int, body: Mapping[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}
    start_response(
        f"{status} {reason.get(status, 'Error')}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
    )
    return [data]


def zoom_route(
    secret_token: str, syncer: Syncer, clock: Callable[[], datetime] = compose.now
) -> Callable[[Mapping[str, str], bytes], webhook.WebhookResponse]:
    """Zoom's webhook (:func:`webhook.handle`, one replay guard for the process): a meeting's end asks
    for a sync soon that imports its attendance (answered at once, so Zoom does not wait or retry)."""
    seen = webhook.ReplayGuard()

    def route(headers: Mapping[str, str], body: bytes) -> webhook.WebhookResponse:
        return webhook.handle(
            headers,
            body,
            secret_token=secret_token,
            now=clock(),
            seen=seen,
            on_meeting_ended=lambda zoom_id, _uuid: syncer.request(ended=zoom_id),
        )

    return route


class Server:
    """The serving process's parts: the timed sync, the web server (waitress), Socket Mode."""

    def __init__(
        self,
        syncer: Syncer,
        *,
        web: Web,
        host: str,
        port: int,
        slack: App | None = None,
        app_token: str | None = None,
        log: Log = lambda _: None,
    ) -> None:
        from waitress import wasyncore
        from waitress.server import create_server

        self.syncer = syncer
        self._map: dict[int, Any] = {}
        try:
            self.web = create_server(
                web,
                map=self._map,
                host=host,
                port=port,
                threads=4,
                max_request_body_size=MAX_BODY,
                clear_untrusted_proxy_headers=True,
            )
        except (OSError, ValueError) as error:  # the port is taken or needs rights; no such host here
            wasyncore.close_all(self._map, ignore_all=True)  # what waitress had opened
            number = error.errno if isinstance(error, OSError) else None
            why = (error.strerror or str(error)) if isinstance(error, OSError) else text.SERVE_NO_SUCH_HOST
            reason, hint = text.serve_cannot_listen(f"{host}:{port}", why, number)
            raise ConfigError(reason, hint=hint) from None
        self.slack = slack
        self.socket_mode: Any = None
        self.log = log
        if slack is not None and app_token:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            # braingain reconnects itself (:meth:`_keep_slack`): with a bounded wait, one line an outage
            self.socket_mode = SocketModeHandler(
                slack,
                app_token,
                web_client=slack.client,
                logger=_quiet("socket_mode"),
                auto_reconnect_enabled=False,
            )
        self.mode = "socket" if self.socket_mode is not None else "http" if web.slack is not None else ""
        """How Slack reaches the app: ``"socket"``, ``"http"`` (/slack/events) or ``""`` (no Slack)."""
        self._threads: list[threading.Thread] = []
        self._closing = threading.Event()
        self._unreachable = ""
        """Why Slack cannot be reached (Socket Mode); "" when it can, or has not been tried."""

    @property
    def address(self) -> str:
        """``host:port`` the web server listens on (the port the system chose for port 0)."""
        from waitress.server import BaseWSGIServer

        assert isinstance(self.web, BaseWSGIServer)  # one host and port: one socket
        host, port = self.web.getsockname()
        return f"{host}:{port}"

    def start(self) -> None:
        """Start serving (threads); returns at once. Raises :class:`ConfigError` when Slack refuses
        ``SLACK_APP_TOKEN`` (Socket Mode); Slack out of reach is logged and tried again."""
        refused = self._connect_slack() if self.socket_mode is not None else ""
        if refused:
            self.socket_mode.close()
            raise ConfigError(text.serve_app_token_refused(refused))
        targets = [("braingain-web", self._serve_web), ("braingain-sync", self.syncer.loop)]
        if self.socket_mode is not None:
            targets.append(("braingain-slack", self._keep_slack))
        for name, target in targets:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Finish the sync under way, then close Socket Mode and the web server, let the Slack actions
        under way finish (Bolt runs them on its own threads), and wait for all of them."""
        self.syncer.stop()
        self.syncer.finished()
        self._closing.set()
        if self.socket_mode is not None:
            self.socket_mode.close()
        for thread in self._threads:
            thread.join()
        if not self._threads:  # never started: its sockets are closed here
            from waitress import wasyncore

            wasyncore.close_all(self._map, ignore_all=True)
        self.web.task_dispatcher.shutdown()
        if self.slack is not None:
            self.slack.listener_runner.listener_executor.shutdown(wait=True)

    def _connect_slack(self) -> str:
        """One attempt to open Socket Mode's connection; returns Slack's error code when it refuses
        the app token, else "" (connected, or not: :attr:`_unreachable` says why not)."""
        from slack_sdk.errors import SlackApiError

        client = self.socket_mode.client
        try:
            client.connect_to_new_endpoint()
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown"))
            if code in REFUSED:
                return code
            self._unreachable = f"Slack said {code}"
        except OSError as error:  # no DNS, no route, refused, timed out (URLError is an OSError)
            self._unreachable = str(getattr(error, "reason", None) or error.strerror or type(error).__name__)
        else:
            self._unreachable = "" if client.is_connected() else "its connection could not be opened"
        return ""

    def _keep_slack(self) -> None:
        """Socket Mode kept open: a connection found closed is opened again at once (Slack asks apps to
        reconnect now and then); when Slack cannot be reached, again after ``RETRY_FIRST`` seconds,
        twice as long each time up to ``text.SERVE_RETRY_MOST``; one line when Slack cannot be reached,
        one when it is again, one if it refuses the app token (then Socket Mode stays off)."""
        delay, said = RETRY_FIRST, False
        while True:
            if not self._unreachable:
                if said:
                    self.log(text.SERVE_SLACK_BACK)
                delay, said = RETRY_FIRST, False
                if self._closing.wait(CHECK_EVERY):
                    return
                if self.socket_mode.client.is_connected():
                    continue
            else:
                if not said:
                    self.log(text.serve_slack_unreachable(self._unreachable, delay))
                    said = True
                if self._closing.wait(delay):
                    return
                delay = min(delay * 2, text.SERVE_RETRY_MOST)
            refused = self._connect_slack()
            if refused:
                self.log(text.serve_app_token_refused(refused))
                return

    def _serve_web(self) -> None:
        """waitress's loop, in slices, until :meth:`stop`; then its sockets are closed in this same
        thread (closing them from another would pull them from under its ``select``)."""
        from waitress import wasyncore

        try:
            while not self._closing.is_set() and self._map:
                wasyncore.loop(timeout=WEB_SLICE, map=self._map, count=1)
        finally:
            wasyncore.close_all(self._map, ignore_all=True)


RETRY_FIRST = 5.0
"""Seconds before Socket Mode's first new attempt to reach Slack (then twice as long each time)."""
CHECK_EVERY = 2.0
"""Seconds between two looks whether Socket Mode's connection is still open."""
REFUSED = frozenset(
    {"invalid_auth", "not_allowed_token_type", "not_authed", "token_revoked", "account_inactive"}
    | {"missing_scope"}
)
"""Slack's answers to ``apps.connections.open`` meaning the app token is wrong (no use trying again)."""


def _quiet(name: str) -> logging.Logger:
    """A silent logger for a Slack client (Socket Mode's, and the app's WebClient): each of their
    failed attempts would be a line, or a traceback; the failures reach braingain, which says what
    matters in one line."""
    quiet = logging.getLogger(f"braingain.slack.{name}")
    quiet.propagate = False
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())
    return quiet


SLACK_API = "https://slack.com/api"
BOT_TOKEN, SIGNING_SECRET, APP_TOKEN = "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"


def build(
    config: Config,
    *,
    log: Log,
    client: WebClient | None = None,
    run: SyncRun | None = None,
    port: int | None = None,
    clock: Callable[[], datetime] = compose.now,
) -> Server:
    """The server ``config`` sets up: Slack when its tokens are in the environment or .env (Socket
    Mode with ``SLACK_APP_TOKEN``, else HTTP with ``SLACK_SIGNING_SECRET``), Zoom's webhook with
    ``ZOOM_WEBHOOK_SECRET_TOKEN``, and the timed sync in any case. ``client`` (tests: the loopback
    fake), ``run`` (the sync), ``port`` (0: any free port) and ``clock`` (the members' actions and
    Zoom's timestamps) replace the configured ones."""
    from braingain.integrations.desk import Desk
    from braingain.integrations.slack.app import build_app

    syncer = Syncer(run or sync_for(config), log, interval=config.serve.sync_minutes * 60.0)
    bot, signing, app_token = (config.secret(name) for name in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN))
    slack: App | None = None
    if bot and not (app_token or signing):
        log(text.serve_slack_partly(missing=text.SERVE_SLACK_WAYS, given=BOT_TOKEN))
    elif not bot and (app_token or signing):
        log(text.serve_slack_partly(missing=BOT_TOKEN, given=APP_TOKEN if app_token else SIGNING_SECRET))
    elif not bot:
        log(text.SERVE_SLACK_OFF)
    else:
        if client is None:
            client = WebClient(
                token=bot,
                base_url=config.endpoints.get(SLACK_API, SLACK_API).rstrip("/") + "/",
                logger=_quiet("web"),
            )
        slack = build_app(
            Desk(config, clock=clock),
            signing_secret=signing,
            token=bot,
            client=client,
            changed=syncer.request,
        )
    zoom_secret = config.secret(ZOOM_SECRET)
    if not zoom_secret:
        log(text.SERVE_ZOOM_HOOK_OFF)
    http_slack = None
    if slack is not None and not app_token:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        http_slack = SlackRequestHandler(slack, path=SLACK_PATH)
    web = Web(slack=http_slack, zoom=zoom_route(zoom_secret, syncer, clock) if zoom_secret else None)
    return Server(
        syncer,
        web=web,
        host=config.serve.host,
        port=config.serve.port if port is None else port,
        slack=slack,
        app_token=app_token,
        log=log,
    )
