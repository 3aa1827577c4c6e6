"""A small framework for loopback fakes of the HTTP services braingain talks to.

A fake is a :class:`LoopbackServer` subclass whose handler methods are routed with
:func:`route`. The real client libraries are pointed at its ``base_url``; the fake
answers in the real service's request and response shapes from in-memory state.

Every fake also:

- records every request (:attr:`LoopbackServer.requests`), with the Authorization
  header and secret query, form or JSON fields redacted, and counts requests per route name
  (:meth:`LoopbackServer.count`, :meth:`LoopbackServer.reset_counts`);
- injects faults on a named route or on any route (:attr:`LoopbackServer.faults`):
  an HTTP status with the service's error body (optionally with Retry-After), a rate
  limit, an expired token, a request held past the client's timeout and then dropped,
  or a connection reset *after* the change was committed;
- collects its own problems (a handler that raised, a feature the fake does not
  implement) in :attr:`LoopbackServer.problems`, which :meth:`LoopbackServer.check`
  turns into a test failure, so a gap in a fake never passes for a service error.

Subclasses render errors in their service's shape by overriding
:meth:`LoopbackServer.error_response` and :meth:`LoopbackServer.fault_response`, and
can authorize requests before routing in :meth:`LoopbackServer.before_route`.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import socketserver
import struct
import threading
import traceback
import urllib.parse
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Self

ANY_ROUTE = "*"
"""Route name for :meth:`Faults.add` that matches every request, routed or not."""

REDACTED = "<redacted>"

_JOIN_TIMEOUT = 5.0


# --------------------------------------------------------------------------------------
# Requests and responses


class BodyError(ValueError):
    """The request body could not be parsed as the handler expected."""


@dataclass
class Request:
    """One HTTP request as a handler sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    path_params: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else default

    def params(self, name: str) -> list[str]:
        """All values of a repeated query parameter."""
        return list(self.query.get(name, []))

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter, as Google and most APIs spell them (``true``/``false``)."""
        value = self.param(name)
        if value is None:
            return default
        return value.strip().lower() in ("true", "1", "yes")

    def json(self) -> Any:
        """The body parsed as JSON (``None`` when empty)."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise BodyError(f"Invalid JSON payload received. {error}") from error

    def form(self) -> dict[str, str]:
        """The body parsed as ``application/x-www-form-urlencoded``."""
        try:
            pairs = urllib.parse.parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError as error:
            raise BodyError("form body is not UTF-8") from error
        return dict(pairs)

    def parsed_body(self) -> Any:
        """JSON, form fields or text, by Content-Type; ``None`` when empty."""
        if not self.body:
            return None
        content_type = (self.header("Content-Type") or "").lower()
        try:
            if "json" in content_type:
                return self.json()
            if "x-www-form-urlencoded" in content_type:
                return self.form()
            return self.body.decode("utf-8")
        except (BodyError, UnicodeDecodeError):
            return self.body


@dataclass
class Response:
    """What a handler answers."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
        body = json.dumps(payload, indent=2).encode("utf-8")
        merged = {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}
        return cls(status, body, merged)

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain; charset=UTF-8") -> Response:
        return cls(status, text.encode("utf-8"), {"Content-Type": content_type})

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        return cls(status)


class HttpError(Exception):
    """Raised by a handler to answer at once with ``response``."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"HTTP {response.status}")
        self.response = response


@dataclass
class RecordedRequest:
    """A request as the fake saw it. ``status`` is ``None`` when no response was sent."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    route: str | None
    status: int | None = None
    fault: str | None = None


# --------------------------------------------------------------------------------------
# Routing


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    name: str
    regex: re.Pattern[str]
    handler: str


_ROUTE_ATTRIBUTE = "__loopback_routes__"
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _compile(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    position = 0
    for match in _PARAM.finditer(pattern):
        parts.append(re.escape(pattern[position : match.start()]))
        parts.append(f"(?P<{match.group(1)}>[^/]+?)")
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    return re.compile("".join(parts))


def route(
    method: str, pattern: str, *, name: str
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Route ``method pattern`` to the decorated handler ``(self, request) -> Response``.

    ``{param}`` segments match one percent-encoded path segment (``:`` included, so
    ``/v4/spreadsheets/{id}:batchUpdate`` works) and arrive decoded in
    ``request.path_params``. Routes are tried in definition order (base classes
    first); the first match wins. ``name`` is what counts and faults refer to.
    """

    def decorate(function: Callable[..., Response]) -> Callable[..., Response]:
        routes: list[tuple[str, str, str]] = list(getattr(function, _ROUTE_ATTRIBUTE, []))
        routes.append((method.upper(), pattern, name))
        setattr(function, _ROUTE_ATTRIBUTE, routes)
        return function

    return decorate


# --------------------------------------------------------------------------------------
# Faults


@dataclass(frozen=True)
class Fault:
    """One injected fault; build them with the functions below."""

    kind: str
    status: int = 0
    retry_after: str | None = None
    seconds: float = 0.0
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        if self.kind in ("status", "rate_limited"):
            return f"{self.kind}({self.status})"
        if self.kind == "timeout":
            return f"timeout({self.seconds})"
        return f"{self.kind}()"


def _retry_after(value: str | int | float | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("Retry-After dates must be timezone-aware")
        return format_datetime(value, usegmt=True)
    return str(value)


def status(
    code: int,
    *,
    retry_after: str | int | float | datetime | None = None,
    body: bytes | str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Fault:
    """Answer ``code`` with the service's error body (or ``body``) without touching state.

    ``retry_after`` sets Retry-After: seconds (``"2"`` or ``2``) or an aware datetime,
    sent as an HTTP date.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return Fault(
        "status",
        status=code,
        retry_after=_retry_after(retry_after),
        body=raw,
        headers=tuple((headers or {}).items()),
    )


def rate_limited(code: int = 429, *, retry_after: str | int | float | datetime | None = None) -> Fault:
    """A rate limit in the service's own shape (Google: ``rate_limited(403)`` is usageLimits)."""
    return Fault("rate_limited", status=code, retry_after=_retry_after(retry_after))


def timeout(seconds: float) -> Fault:
    """Hold the request unanswered for ``seconds`` (longer than the client's timeout), then drop it.

    The request is never applied. Stopping the server releases held requests at once.
    """
    return Fault("timeout", seconds=seconds)


def reset_after_commit() -> Fault:
    """Apply the request to state, then reset the connection instead of answering."""
    return Fault("reset_after_commit")


def expired_token() -> Fault:
    """Answer as the service does for an expired access token (Google: 401 UNAUTHENTICATED)."""
    return Fault("expired_token", status=401)


class Faults:
    """The queue of faults to inject, consumed in the order they were added."""

    def __init__(self, known_routes: Callable[[], set[str]]) -> None:
        self._known_routes = known_routes
        self._lock = threading.Lock()
        self._queue: list[list[Any]] = []  # [route, fault, remaining]

    def add(self, route: str, fault: Fault, times: int = 1) -> None:
        """Inject ``fault`` on the next ``times`` requests to ``route`` (a route name or ANY_ROUTE)."""
        if route != ANY_ROUTE and route not in self._known_routes():
            known = ", ".join(sorted(self._known_routes()))
            raise ValueError(f"unknown route {route!r}; known routes: {known}")
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._queue.append([route, fault, times])

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    @property
    def pending(self) -> list[tuple[str, Fault, int]]:
        with self._lock:
            return [(r, f, n) for r, f, n in self._queue]

    def take(self, route_name: str | None) -> Fault | None:
        with self._lock:
            for entry in self._queue:
                if entry[0] == ANY_ROUTE or entry[0] == route_name:
                    entry[2] -= 1
                    if entry[2] == 0:
                        self._queue.remove(entry)
                    fault: Fault = entry[1]
                    return fault
        return None


# --------------------------------------------------------------------------------------
# The server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body
    # waits for the client's delayed ACK (~40 ms a response on Linux).
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake keeps its own request log."""

    def _serve(self) -> None:
        self.server.owner._serve(self)

    # BaseHTTPRequestHandler dispatches on these exact method names (do_<VERB>), so they
    # cannot follow PEP 8 naming.
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve  # noqa: N815


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: LoopbackServer) -> None:
        self.owner = owner
        self.tracking_lock = threading.Lock()
        self.connections: set[socket.socket] = set()
        self.workers: set[threading.Thread] = set()
        super().__init__((owner.host, 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN (a reverse DNS lookup); skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self._work, args=(request, client_address), name="loopback-handler", daemon=True
        )
        with self.tracking_lock:
            self.connections.add(request)
            self.workers.add(worker)
        worker.start()

    def _work(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self.tracking_lock:
                self.connections.discard(request)
                self.workers.discard(threading.current_thread())

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.owner._handler_crashed(traceback.format_exc())


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 with routing, a request log, counts and faults.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    host: ClassVar[str] = "127.0.0.1"
    redact_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "client_secret",
            "refresh_token",
            "assertion",
            "password",
            "code",
            "code_verifier",
            "access_token",
            "token",
        }
    )
    """Query parameters and top-level form or JSON body fields whose values never reach the request log."""

    def __init__(self) -> None:
        self.routes: list[Route] = self._collect_routes()
        self.lock = threading.RLock()
        """Held while a handler runs; hold it too when touching state from a test."""
        self.requests: list[RecordedRequest] = []
        self.problems: list[str] = []
        self.faults = Faults(lambda: {r.name for r in self.routes})
        self._counts: Counter[str] = Counter()
        self._log_lock = threading.Lock()
        self._cleanups: list[Callable[[], object]] = []
        self._stopping = threading.Event()
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            raise RuntimeError("server already started")
        self._stopping.clear()
        self._server = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"{type(self).__name__}-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Run the cleanups, release held requests, close every connection and join every thread."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        errors: list[BaseException] = []
        for cleanup in reversed(self._cleanups):
            try:
                cleanup()
            except Exception as error:
                errors.append(error)
        self._cleanups.clear()
        self._stopping.set()
        server.shutdown()
        with server.tracking_lock:
            connections = list(server.connections)
            workers = list(server.workers)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for worker in workers:
            worker.join(_JOIN_TIMEOUT)
        server.server_close()
        thread.join(_JOIN_TIMEOUT)
        self._server = self._thread = None
        stuck = [w.name for w in workers if w.is_alive()]
        if stuck:
            errors.append(RuntimeError(f"handler threads did not finish: {stuck}"))
        if errors:
            raise errors[0]

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def add_cleanup(self, cleanup: Callable[[], object]) -> None:
        """Run ``cleanup`` (e.g. closing a client session) first thing in :meth:`stop`."""
        self._cleanups.append(cleanup)

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    # -- the record --------------------------------------------------------------------

    def count(self, route: str) -> int:
        """How many requests reached ``route`` (faulted ones included) since the last reset."""
        if route not in {r.name for r in self.routes}:
            raise KeyError(f"unknown route {route!r}")
        with self._log_lock:
            return self._counts[route]

    @property
    def counts(self) -> dict[str, int]:
        with self._log_lock:
            return dict(self._counts)

    def requests_to(self, route: str) -> list[RecordedRequest]:
        with self._log_lock:
            return [r for r in self.requests if r.route == route]

    def reset_counts(self) -> None:
        """Forget the counts and the request log (state and faults stay)."""
        with self._log_lock:
            self._counts.clear()
            self.requests.clear()

    def check(self) -> None:
        """Fail if the fake hit a problem of its own (a crashed handler, an unimplemented feature)."""
        if self.problems:
            raise AssertionError(f"{type(self).__name__} problems:\n" + "\n".join(self.problems))

    # -- hooks for subclasses ----------------------------------------------------------

    def before_route(self, request: Request, route: Route) -> Response | None:
        """Answer instead of the handler (e.g. 401), or ``None`` to go on. Runs under :attr:`lock`."""
        return None

    def error_response(self, status: int, message: str, request: Request, route: Route | None) -> Response:
        """An error in the service's shape."""
        return Response.json({"error": {"code": status, "message": message}}, status)

    def fault_response(self, fault: Fault, request: Request, route: Route | None) -> Response:
        """The response for a ``status``, ``rate_limited`` or ``expired_token`` fault."""
        if fault.body is not None:
            response = Response(fault.status, fault.body, {"Content-Type": "application/json; charset=UTF-8"})
        else:
            try:
                reason = HTTPStatus(fault.status).phrase
            except ValueError:
                reason = "error"
            response = self.error_response(fault.status, reason, request, route)
        response.headers.update(dict(fault.headers))
        if fault.retry_after is not None:
            response.headers["Retry-After"] = fault.retry_after
        return response

    # -- dispatch ----------------------------------------------------------------------

    def _collect_routes(self) -> list[Route]:
        routes: list[Route] = []
        seen: set[str] = set()
        for klass in reversed(type(self).__mro__):
            for attribute, value in vars(klass).items():
                for method, pattern, name in getattr(value, _ROUTE_ATTRIBUTE, []):
                    if name in seen:
                        routes = [r for r in routes if r.name != name]
                    seen.add(name)
                    routes.append(Route(method, pattern, name, _compile(pattern), attribute))
        return routes

    def _match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for candidate in self.routes:
            if candidate.method != method:
                continue
            match = candidate.regex.fullmatch(path)
            if match:
                params = {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
                return candidate, params
        return None

    def _handler_crashed(self, trace: str) -> None:
        with self._log_lock:
            self.problems.append(f"handler crashed:\n{trace}")

    def _redact(self, body: Any) -> Any:
        if isinstance(body, dict):
            return {k: (REDACTED if k in self.redact_fields else v) for k, v in body.items()}
        return body

    def _serve(self, handler: _Handler) -> None:
        split = urllib.parse.urlsplit(handler.path)
        headers = dict(handler.headers.items())
        try:
            body = _read_body(handler)
        except (OSError, ValueError):
            handler.close_connection = True
            return
        request = Request(
            method=handler.command,
            path=split.path,
            query=urllib.parse.parse_qs(split.query, keep_blank_values=True),
            headers=headers,
            body=body,
        )
        matched = self._match(request.method, request.path)
        found, request.path_params = matched if matched else (None, {})
        record = RecordedRequest(
            method=request.method,
            path=request.path,
            query={k: ([REDACTED] if k in self.redact_fields else v) for k, v in request.query.items()},
            headers={k: (REDACTED if k.lower() == "authorization" else v) for k, v in headers.items()},
            body=self._redact(request.parsed_body()),
            route=found.name if found else None,
        )
        with self._log_lock:
            self.requests.append(record)
            if found:
                self._counts[found.name] += 1

        fault = self.faults.take(found.name if found else None)
        if fault is not None:
            record.fault = fault.describe()
        if fault is not None and fault.kind == "timeout":
            self._stopping.wait(fault.seconds)
            _abort(handler)
            return
        if fault is not None and fault.kind != "reset_after_commit":
            response = self.fault_response(fault, request, found)
        elif found is None:
            message = f"loopback fake {type(self).__name__}: no route for {request.method} {request.path}"
            response = self.error_response(404, message, request, None)
        else:
            response = self._call(found, request)
        if fault is not None and fault.kind == "reset_after_commit":
            _abort(handler)
            return
        record.status = response.status
        _send(handler, response)

    def _call(self, found: Route, request: Request) -> Response:
        with self.lock:
            try:
                early = self.before_route(request, found)
                if early is not None:
                    return early
                handler: Callable[[Request], Response] = getattr(self, found.handler)
                return handler(request)
            except HttpError as error:
                return error.response
            except BodyError as error:
                return self.error_response(400, str(error), request, found)
            except Exception:
                trace = traceback.format_exc()
                with self._log_lock:
                    self.problems.append(f"{found.name} crashed on {request.method} {request.path}:\n{trace}")
                return self.error_response(500, "loopback fake crashed; see fake.problems", request, found)


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower():
        chunks: list[bytes] = []
        while True:
            size_line = handler.rfile.readline(65537)
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline(65537)
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def _send(handler: BaseHTTPRequestHandler, response: Response) -> None:
    try:
        handler.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() != "content-length":
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(response.body)))
        handler.end_headers()
        if response.body and handler.command != "HEAD":
            handler.wfile.write(response.body)
    except (BrokenPipeError, ConnectionResetError):
        handler.close_connection = True


def _abort(handler: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP reset and without a response."""
    handler.close_connection = True
    connection = handler.connection
    with contextlib.suppress(OSError):
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    # The descriptor closes (and the reset goes out) only once rfile, the one file object
    # made from the socket, is closed too. wfile writes straight to the socket and stays
    # open: the handler machinery flushes it after every request.
    with contextlib.suppress(OSError):
        handler.rfile.close()
    with contextlib.suppress(OSError):
        connection.close()
