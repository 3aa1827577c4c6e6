"""One bounded retry policy for every platform request: full jitter, Retry-After honoured.

:class:`RetryPolicy` runs one request (any callable) and retries it when the failure
is worth another try:

- HTTP 408, 429, 500, 502, 503 and 504;
- HTTP 403 when it is a rate limit (Google's error JSON names the reason
  ``rateLimitExceeded`` or ``userRateLimitExceeded`` in ``error.errors[]``, or says
  ``RESOURCE_EXHAUSTED`` in ``error.status``); any other 403, and every other 4xx, is
  raised at once;
- a connection error or a timeout, but only for an *idempotent* request (one that may
  safely be sent twice), unless the request provably never left this machine (the
  connection could not be opened, or signing in to Google failed on the way).

Between attempts it waits a random time between 0 and ``base * 2**(attempt-1)``
seconds (capped at ``cap``: "full jitter"), or as long as the server's Retry-After
asks (seconds or an HTTP date) when that is longer. Both limits hold: at most
``attempts`` tries, and at most ``max_wait`` seconds spent waiting in all. When they
run out, :class:`~braingain.integrations.errors.PlatformError` says what failed, how
often, and what to do; its text is built from status codes and reasons only, never
from headers or request bodies, and anything that looks like an email address in a
server message is blanked out.

The sleep function, the random source and the clock are injected, so tests never wait.
"""

from __future__ import annotations

import json
import logging
import math
import random as _random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import requests

from braingain.integrations.errors import PlatformError

__all__ = [
    "RATE_LIMIT_REASONS",
    "RETRY_STATUSES",
    "Failure",
    "RetryPolicy",
    "classify",
    "error_details",
    "redact",
    "retry_after_seconds",
]

T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses that are retried for every request: the server did not (or could not) do it."""
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
"""Google's ``error.errors[].reason`` values that make a 403 a rate limit."""

DEFAULT_ATTEMPTS = 5
DEFAULT_MAX_WAIT = 60.0
DEFAULT_BASE = 0.5
DEFAULT_CAP = 16.0

log = logging.getLogger(__name__)

_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_SECRET = re.compile(
    r"ya29\.[\w.-]+"  # an OAuth access token
    r"|1//[\w-]{10,}"  # a refresh token
    r"|eyJ[\w-]+\.[\w-]+\.[\w-]*"  # a JWT (a signed service-account assertion)
    r"|-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----",  # a PEM key
    re.DOTALL,
)
_MESSAGE_LIMIT = 200


def redact(text: str) -> str:
    """``text`` with email addresses, tokens and keys blanked out, on one line and shortened."""
    cleaned = _SECRET.sub("<redacted>", text)
    cleaned = _EMAIL.sub("<email>", cleaned)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= _MESSAGE_LIMIT else cleaned[: _MESSAGE_LIMIT - 3] + "..."


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed attempt, as the policy understands it."""

    retryable: bool
    description: str
    """What went wrong, for messages: "HTTP 503 UNAVAILABLE", "the connection failed"..."""
    status: int | None = None
    retry_after: float | None = None
    """Seconds the server asked to wait (Retry-After), if it did."""


def error_details(response: requests.Response) -> tuple[str, frozenset[str], str]:
    """Google's error body: (``error.status``, the ``reason`` values, ``error.message``).

    Reasons come from ``error.errors[].reason`` (the older shape) and from
    ``error.details[].reason`` (google.rpc.ErrorInfo). Anything unreadable gives blanks.
    """
    try:
        body: Any = json.loads(response.content or b"null")
    except ValueError:
        return "", frozenset(), ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, str):  # OAuth's shape: {"error": "invalid_grant", "error_description": ...}
        description = body.get("error_description")
        return error, frozenset(), description if isinstance(description, str) else ""
    if not isinstance(error, dict):
        return "", frozenset(), ""
    reasons: set[str] = set()
    for key in ("errors", "details"):
        items = error.get(key)
        if isinstance(items, list):
            reasons.update(
                str(item["reason"]) for item in items if isinstance(item, dict) and item.get("reason")
            )
    status = error.get("status")
    message = error.get("message")
    return (
        status if isinstance(status, str) else "",
        frozenset(reasons),
        message if isinstance(message, str) else "",
    )


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """A Retry-After header as seconds from ``now``: "120", "1.5" or an HTTP date; None if absent or bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _response_of(error: BaseException) -> requests.Response | None:
    """The HTTP response an exception carries (gspread's APIError, requests' HTTPError)."""
    response = getattr(error, "response", None)
    if isinstance(response, requests.Response) and response.status_code >= 400:
        return response
    return None


def _never_sent(error: BaseException) -> bool:
    """Whether the request provably never reached the server (so even a POST may be sent again)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = type(current).__name__
        if name in ("NewConnectionError", "NameResolutionError", "TransportError"):
            # urllib3 could not open a connection, or google-auth could not fetch a token
            # (that happens before the request itself is sent).
            return True
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException) and type(reason).__name__ in (
            "NewConnectionError",
            "NameResolutionError",
            "ConnectTimeoutError",
        ):
            return True
        args = getattr(current, "args", ())
        nested = next((a for a in args if isinstance(a, BaseException)), None)
        current = nested or current.__cause__ or current.__context__
    return False


def _is_connection_problem(error: BaseException) -> bool:
    if isinstance(
        error,
        requests.exceptions.ConnectionError
        | requests.exceptions.Timeout
        | requests.exceptions.ChunkedEncodingError
        | ConnectionError
        | TimeoutError,
    ):
        return True
    return type(error).__name__ == "TransportError" and type(error).__module__.startswith("google.auth")


def classify(error: BaseException, *, idempotent: bool, now: datetime) -> Failure | None:
    """What ``error`` means for a retry, or ``None`` when the policy does not know it (re-raised)."""
    response = _response_of(error)
    if response is not None:
        code = response.status_code
        status, reasons, message = error_details(response)
        rate_limit = code == 403 and (bool(reasons & RATE_LIMIT_REASONS) or status == "RESOURCE_EXHAUSTED")
        label = " ".join(part for part in (f"HTTP {code}", status) if part)
        if reasons:
            label += f" ({', '.join(sorted(reasons))})"
        if message:
            label += f": {redact(message)}"
        return Failure(
            retryable=code in RETRY_STATUSES or rate_limit,
            description=label,
            status=code,
            retry_after=retry_after_seconds(response.headers.get("Retry-After"), now),
        )
    if _is_connection_problem(error):
        timed_out = isinstance(error, requests.exceptions.Timeout | TimeoutError)
        description = "the request timed out" if timed_out else "the connection failed"
        return Failure(retryable=idempotent or _never_sent(error), description=description)
    return None


class RetryPolicy:
    """Bounded retries with full jitter that honour Retry-After.

    ``attempts`` is the most tries (the first included); ``max_wait`` the most seconds
    spent waiting between them in all. ``sleep``, ``random`` (a float in [0, 1)) and
    ``now`` (an aware datetime, for Retry-After dates) are injectable for tests.
    """

    def __init__(
        self,
        *,
        attempts: int = DEFAULT_ATTEMPTS,
        max_wait: float = DEFAULT_MAX_WAIT,
        base: float = DEFAULT_BASE,
        cap: float = DEFAULT_CAP,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        if max_wait < 0 or base < 0 or cap < 0:
            raise ValueError("waits cannot be negative")
        self.attempts = attempts
        self.max_wait = max_wait
        self.base = base
        self.cap = cap
        self.sleep = sleep
        self.random = random
        self.now = now or (lambda: datetime.now(UTC))

    def __repr__(self) -> str:
        return f"RetryPolicy(attempts={self.attempts}, max_wait={self.max_wait})"

    def backoff(self, attempt: int) -> float:
        """The jittered wait after failed attempt number ``attempt`` (1-based), before Retry-After."""
        ceiling = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return ceiling * min(max(self.random(), 0.0), 1.0)

    def run(
        self,
        operation: Callable[[], T],
        *,
        what: str,
        idempotent: bool,
        hint: str = "",
        service: str = "the platform",
    ) -> T:
        """Call ``operation`` until it succeeds or the limits are reached.

        ``what`` says what the request does, for messages ("read the tracker"). A failure
        that is not retryable is raised as it is (the caller knows best how to explain a
        403 or a 404); an exhausted retry raises :class:`PlatformError`.
        """
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            try:
                return operation()
            except Exception as error:
                failure = classify(error, idempotent=idempotent, now=self.now())
                if failure is None or not failure.retryable:
                    raise
                if attempt >= self.attempts:
                    raise self._exhausted(what, failure, attempt, waited, hint, service, None) from None
                remaining = self.max_wait - waited
                if failure.retry_after is not None and failure.retry_after > remaining:
                    raise self._exhausted(
                        what, failure, attempt, waited, hint, service, failure.retry_after
                    ) from None
                delay = max(self.backoff(attempt), failure.retry_after or 0.0)
                if delay > remaining:
                    if remaining <= 0 < waited:
                        raise self._exhausted(what, failure, attempt, waited, hint, service, None) from None
                    delay = max(remaining, 0.0)
                log.info(
                    "%s: %s (attempt %d of %d); trying again in %.1f s",
                    what,
                    failure.description,
                    attempt,
                    self.attempts,
                    delay,
                )
                if delay > 0:
                    self.sleep(delay)
                waited += delay

    def _exhausted(
        self,
        what: str,
        failure: Failure,
        attempts: int,
        waited: float,
        hint: str,
        service: str,
        asked: float | None,
    ) -> PlatformError:
        tries = "once" if attempts == 1 else f"{attempts} times"
        message = f"could not {what}: {service} answered {failure.description}"
        if failure.status is None:
            message = f"could not {what}: {failure.description}"
        message += f" ({tries}, over {waited:.0f} s of waiting)"
        if asked is not None:
            message += (
                f"; it asked braingain to wait {asked:.0f} s more, "
                f"longer than the {self.max_wait:.0f} s allowed in all"
            )
        advice = hint or (
            "wait a few minutes and run the command again; nothing is lost or half-written, "
            "braingain works out again what is left to do"
        )
        return PlatformError(message, hint=advice)
