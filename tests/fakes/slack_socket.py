"""Slack's side of a Socket Mode connection, on loopback, for :class:`tests.fakes.slack.FakeSlack`.

A WebSocket server (the ``websockets`` library's sync server) on 127.0.0.1, reached at a plain
``ws://`` URL (slack_sdk's built-in client opens a non-TLS socket to any port but 443). It speaks
Slack's Socket Mode protocol as Slack describes it:

- on each connection, Slack's ``{"type": "hello", "num_connections", "debug_info",
  "connection_info": {"app_id"}}`` first;
- :meth:`SocketMode.send` pushes an envelope ``{"envelope_id", "type": "slash_commands" |
  "interactive" | "events_api", "payload", "accepts_response_payload"}`` (``retry_attempt`` and
  ``retry_reason`` for events) to the newest open connection;
- the app acks with ``{"envelope_id": ..., "payload"?: {...}}``; :meth:`SocketMode.ack` waits for it;
- :meth:`SocketMode.disconnect` sends ``{"type": "disconnect", "reason": ...}``, after which a client
  opens a new connection (a new ``apps.connections.open``) and drops the old one.

An ack for an envelope never sent, a second ack, a payload in the ack of an envelope that accepts
none, or a message that is not JSON lands in ``problems`` (the fake's, failing the test).
The server pings every :data:`PING_INTERVAL` seconds, as Slack does, which also lets the client's
blocking read return, so that it closes at once when told to.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Self, TypeVar

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

JsonObject = dict[str, Any]
T = TypeVar("T")
EnvelopeType = Literal["slash_commands", "interactive", "events_api"]

PING_INTERVAL = 0.1
"""Seconds between two pings from the server (Slack pings too; here often, so that tests run fast)."""
WAIT = 10.0
"""Seconds a test waits for a connection, an ack or a close before it fails."""


@dataclass
class Connection:
    """One WebSocket connection from the app: what it sent, and how it ended (``None``: open)."""

    socket: ServerConnection
    number: int
    received: list[JsonObject] = field(default_factory=list)
    close_code: int | None = None
    thread: threading.Thread = field(default_factory=threading.current_thread)
    """The server's thread for this connection (it ends soon after the close)."""


class SocketMode:
    """The loopback Socket Mode endpoint (start with :meth:`start` or ``with``; :meth:`stop` ends it)."""

    def __init__(self, app_id: str, problems: list[str]) -> None:
        self.app_id = app_id
        self.problems = problems
        self.connections: list[Connection] = []
        """Every connection made, oldest first (open ones have ``close_code is None``)."""
        self._sent: dict[str, JsonObject] = {}
        self._acks: dict[str, JsonObject] = {}
        self._changed = threading.Condition()
        self._numbers = itertools.count(1)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> Self:
        self._server = serve(
            self._serve,
            "127.0.0.1",
            0,
            compression=None,
            ping_interval=PING_INTERVAL,
            ping_timeout=WAIT,
            close_timeout=1,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="FakeSlack-socket-mode", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the connections still open (code 1001) and the listening socket; join the server."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.shutdown()
        thread.join(WAIT)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """What ``apps.connections.open`` answers: ``ws://127.0.0.1:PORT/link/?ticket=...``."""
        if self._server is None:
            raise RuntimeError("Socket Mode endpoint not started")
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket=fake-ticket&app_id={self.app_id}"

    # -- the test's side -----------------------------------------------------------------

    def open_connections(self) -> list[Connection]:
        with self._changed:
            return [c for c in self.connections if c.close_code is None]

    def connected(self, count: int = 1) -> Connection:
        """Wait until ``count`` connections were made in all and one is open; the newest open one."""
        return self._wait(
            lambda: self._newest_open() if len(self.connections) >= count else None, "the app's connection"
        )

    def closed(self) -> list[Connection]:
        """Wait until no connection is open and the server's threads for them have ended; every
        connection."""
        connections = self._wait(
            lambda: list(self.connections) if self.connections and not self._newest_open() else None,
            "the connection's close",
        )
        for connection in connections:
            connection.thread.join(WAIT)
        return connections

    def send(self, kind: EnvelopeType, payload: JsonObject, *, accepts_response_payload: bool) -> str:
        """Push an envelope to the newest open connection; its ``envelope_id``."""
        connection = self.connected()
        envelope_id = f"{next(self._numbers):04d}-fake-envelope"
        envelope: JsonObject = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if kind == "events_api":
            envelope |= {"retry_attempt": 0, "retry_reason": ""}
        with self._changed:
            self._sent[envelope_id] = envelope
        connection.socket.send(json.dumps(envelope))
        return envelope_id

    def ack(self, envelope_id: str) -> JsonObject:
        """Wait for the app's ack of ``envelope_id``: ``{"envelope_id", "payload"?}``."""
        return self._wait(lambda: self._acks.get(envelope_id), f"the ack of envelope {envelope_id}")

    def push(self, kind: EnvelopeType, payload: JsonObject, *, accepts_response_payload: bool) -> JsonObject:
        """:meth:`send` an envelope and wait for its ack."""
        return self.ack(self.send(kind, payload, accepts_response_payload=accepts_response_payload))

    def acked(self, envelope_id: str) -> bool:
        with self._changed:
            return envelope_id in self._acks

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Slack's notice that this connection ends soon: the app should open a new one."""
        connection = self.connected()
        connection.socket.send(
            json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-applink"}})
        )

    # -- the app's side ------------------------------------------------------------------

    def _serve(self, socket: ServerConnection) -> None:
        with self._changed:
            connection = Connection(socket, len(self.connections) + 1)
            self.connections.append(connection)
            opened = sum(1 for c in self.connections if c.close_code is None)
        socket.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": opened,
                    "debug_info": {"host": "fake-applink", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": self.app_id},
                }
            )
        )
        with self._changed:
            self._changed.notify_all()
        try:
            for raw in socket:
                self._received(connection, raw)
        except ConnectionClosed:
            pass  # the built-in client drops the socket without a close frame: code 1006
        finally:
            with self._changed:
                connection.close_code = socket.close_code or 1006
                self._changed.notify_all()

    def _received(self, connection: Connection, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            self.problems.append("Socket Mode: the app sent a message that is not JSON")
            return
        with self._changed:
            connection.received.append(message)
            envelope_id = str(message.get("envelope_id")) if isinstance(message, dict) else ""
            sent = self._sent.get(envelope_id)
            if sent is None:
                self.problems.append(f"Socket Mode: an ack for an envelope never sent: {message!r}")
            elif envelope_id in self._acks:
                self.problems.append(f"Socket Mode: envelope {envelope_id} acked twice")
            elif "payload" in message and not sent["accepts_response_payload"]:
                self.problems.append(f"Socket Mode: a payload in the ack of {sent['type']} {envelope_id}")
            else:
                self._acks[envelope_id] = message
            self._changed.notify_all()

    def _newest_open(self) -> Connection | None:
        return next((c for c in reversed(self.connections) if c.close_code is None), None)

    def _wait(self, found: Callable[[], T | None], what: str) -> T:
        deadline = time.monotonic() + WAIT
        with self._changed:
            while not (answer := found()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"Socket Mode: {what} not seen in {WAIT:g} s")
                self._changed.wait(left)
            return answer
