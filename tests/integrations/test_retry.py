"""The retry policy: which failures are retried, how long it waits, and when it gives up."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import gspread
import pytest
import requests
import responses
from gspread.http_client import HTTPClient

from braingain.integrations.errors import PlatformError
from braingain.integrations.retry import (
    RetryPolicy,
    classify,
    error_details,
    redact,
    retry_after_seconds,
)

URL = "https://sheets.googleapis.com/v4/spreadsheets/abc/values:batchGet"
NOW = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
EMAIL = "ada.obiora@example.org"


class Clock:
    """An injected sleep that only records, and a fixed 'now'."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def now(self) -> datetime:
        return NOW + timedelta(seconds=sum(self.sleeps))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def policy(clock: Clock, *, random: float = 0.5, **kwargs: Any) -> RetryPolicy:
    return RetryPolicy(sleep=clock.sleep, random=lambda: random, now=clock.now, **kwargs)


def google_error(code: int, status: str, message: str = "", reasons: tuple[str, ...] = ()) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message or status, "status": status}
    if reasons:
        error["errors"] = [{"domain": "usageLimits", "reason": r, "message": message} for r in reasons]
    return {"error": error}


def get(session: requests.Session | None = None) -> Callable[[], str]:
    """A request that raises requests' HTTPError (with the response) on an error status."""
    client = session or requests.Session()

    def call() -> str:
        response = client.get(URL, timeout=5)
        response.raise_for_status()
        return response.text

    return call


def calls(mock: responses.RequestsMock) -> int:
    return len(mock.calls)


# -- what is retried ------------------------------------------------------------------------


@pytest.mark.parametrize("code", [408, 429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(mocked: responses.RequestsMock, clock: Clock, code: int) -> None:
    mocked.get(URL, json=google_error(code, "UNAVAILABLE"), status=code)
    mocked.get(URL, body="ok")
    assert policy(clock).run(get(), what="read the tracker", idempotent=False) == "ok"
    assert calls(mocked) == 2
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("code", [400, 401, 404, 409, 410, 412, 422])
def test_other_client_errors_are_raised_at_once(
    mocked: responses.RequestsMock, clock: Clock, code: int
) -> None:
    mocked.get(URL, json=google_error(code, "INVALID_ARGUMENT"), status=code)
    with pytest.raises(requests.HTTPError) as raised:
        policy(clock).run(get(), what="read the tracker", idempotent=True)
    assert raised.value.response is not None
    assert raised.value.response.status_code == code
    assert calls(mocked) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "body",
    [
        google_error(403, "PERMISSION_DENIED", "Quota exceeded", ("rateLimitExceeded",)),
        google_error(403, "PERMISSION_DENIED", "Quota exceeded", ("userRateLimitExceeded",)),
        google_error(403, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests'"),
    ],
    ids=["rateLimitExceeded", "userRateLimitExceeded", "RESOURCE_EXHAUSTED"],
)
def test_a_403_that_is_a_rate_limit_is_retried(
    mocked: responses.RequestsMock, clock: Clock, body: dict[str, Any]
) -> None:
    mocked.get(URL, json=body, status=403)
    mocked.get(URL, body="ok")
    assert policy(clock).run(get(), what="read the tracker", idempotent=True) == "ok"
    assert calls(mocked) == 2


@pytest.mark.parametrize(
    "body",
    [
        google_error(403, "PERMISSION_DENIED", "The caller does not have permission"),
        google_error(403, "PERMISSION_DENIED", "Daily limit", ("dailyLimitExceeded",)),
        google_error(403, "PERMISSION_DENIED", "Insufficient permissions", ("insufficientFilePermissions",)),
        "<html>Forbidden</html>",
    ],
    ids=["permission", "daily-limit", "file-permissions", "not-json"],
)
def test_a_plain_403_is_not_retried(mocked: responses.RequestsMock, clock: Clock, body: Any) -> None:
    if isinstance(body, str):
        mocked.get(URL, body=body, status=403)
    else:
        mocked.get(URL, json=body, status=403)
    with pytest.raises(requests.HTTPError):
        policy(clock).run(get(), what="read the tracker", idempotent=True)
    assert calls(mocked) == 1


def test_gspread_api_errors_are_understood(mocked: responses.RequestsMock, clock: Clock) -> None:
    client = HTTPClient(auth=None, session=requests.Session())  # type: ignore[arg-type]
    mocked.get(URL, json=google_error(503, "UNAVAILABLE"), status=503)
    mocked.get(URL, json={"valueRanges": []})
    result = policy(clock).run(
        lambda: client.values_batch_get("abc", ["'Members'"]), what="read the tracker", idempotent=True
    )
    assert result == {"valueRanges": []}
    mocked.get(URL, json=google_error(404, "NOT_FOUND", "Requested entity was not found."), status=404)
    with pytest.raises(gspread.exceptions.APIError):
        policy(clock).run(
            lambda: client.values_batch_get("abc", ["'Members'"]), what="read the tracker", idempotent=True
        )


@pytest.mark.parametrize(
    "error",
    [
        requests.ConnectionError("Connection aborted: reset by peer"),
        requests.ReadTimeout("read timed out"),
        requests.exceptions.ChunkedEncodingError("connection broken"),
    ],
    ids=["reset", "read-timeout", "broken"],
)
def test_connection_errors_are_retried_for_idempotent_requests_only(
    mocked: responses.RequestsMock, clock: Clock, error: Exception
) -> None:
    mocked.get(URL, body=error)
    mocked.get(URL, body="ok")
    assert policy(clock).run(get(), what="write cells", idempotent=True) == "ok"
    assert calls(mocked) == 2

    mocked.get(URL, body=error)
    with pytest.raises(type(error)):
        policy(clock).run(get(), what="add a tab", idempotent=False)
    assert calls(mocked) == 3


def test_a_request_that_never_left_is_retried_even_when_not_idempotent(
    mocked: responses.RequestsMock, clock: Clock
) -> None:
    mocked.get(URL, body=requests.ConnectTimeout("could not connect"))
    mocked.get(URL, body="ok")
    assert policy(clock).run(get(), what="create the spreadsheet", idempotent=False) == "ok"
    assert calls(mocked) == 2


def test_unknown_errors_are_raised_unchanged(clock: Clock) -> None:
    def broken() -> None:
        raise ValueError("a bug, not a platform failure")

    with pytest.raises(ValueError, match="a bug"):
        policy(clock).run(broken, what="read the tracker", idempotent=True)
    assert clock.sleeps == []


# -- how long it waits ----------------------------------------------------------------------


def test_retry_after_in_seconds_is_honoured(mocked: responses.RequestsMock, clock: Clock) -> None:
    mocked.get(URL, json=google_error(429, "RESOURCE_EXHAUSTED"), status=429, headers={"Retry-After": "7"})
    mocked.get(URL, body="ok")
    policy(clock, random=0.0).run(get(), what="read the tracker", idempotent=True)
    assert clock.sleeps == [7.0]


def test_retry_after_as_an_http_date_is_honoured(mocked: responses.RequestsMock, clock: Clock) -> None:
    when = format_datetime(NOW + timedelta(seconds=30), usegmt=True)
    mocked.get(URL, json=google_error(503, "UNAVAILABLE"), status=503, headers={"Retry-After": when})
    mocked.get(URL, body="ok")
    policy(clock, random=0.0).run(get(), what="read the tracker", idempotent=True)
    assert clock.sleeps == [30.0]


def test_the_jitter_wins_when_it_is_longer_than_retry_after(
    mocked: responses.RequestsMock, clock: Clock
) -> None:
    mocked.get(URL, status=503, headers={"Retry-After": "0"})
    mocked.get(URL, body="ok")
    policy(clock, random=0.5, base=4.0).run(get(), what="read the tracker", idempotent=True)
    assert clock.sleeps == [2.0]


def test_jitter_is_full_and_bounded(mocked: responses.RequestsMock, clock: Clock) -> None:
    for _ in range(6):
        mocked.get(URL, status=503)
    mocked.get(URL, body="ok")
    almost_one = 0.999999
    policy(clock, random=almost_one, attempts=7, base=1.0, cap=8.0, max_wait=1000).run(
        get(), what="read the tracker", idempotent=True
    )
    ceilings = [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert len(clock.sleeps) == 6
    for slept, ceiling in zip(clock.sleeps, ceilings, strict=True):
        assert ceiling * 0.99 <= slept <= ceiling

    low = Clock()
    for _ in range(3):
        mocked.get(URL, status=503)
    mocked.get(URL, body="ok")
    policy(low, random=0.0, attempts=7, base=1.0).run(get(), what="read the tracker", idempotent=True)
    assert low.sleeps == []  # a zero draw retries at once: nothing to sleep


def test_the_random_source_decides_within_the_window(clock: Clock) -> None:
    draws = iter([0.25, 0.75])
    retry = RetryPolicy(sleep=clock.sleep, random=lambda: next(draws), base=2.0, now=clock.now)
    assert retry.backoff(1) == 0.5
    assert retry.backoff(2) == 3.0


# -- when it gives up -----------------------------------------------------------------------


def test_it_gives_up_after_the_attempts_allowed(mocked: responses.RequestsMock, clock: Clock) -> None:
    mocked.get(
        URL, json=google_error(503, "UNAVAILABLE", "The service is currently unavailable."), status=503
    )
    with pytest.raises(PlatformError) as raised:
        policy(clock, attempts=3).run(
            get(), what="read the tracker", idempotent=True, service="Google Sheets"
        )
    assert calls(mocked) == 3
    assert len(clock.sleeps) == 2
    text = str(raised.value)
    assert "could not read the tracker" in text
    assert "Google Sheets answered HTTP 503 UNAVAILABLE" in text
    assert "3 times" in text
    assert "run the command again" in raised.value.hint


def test_the_default_is_five_attempts(mocked: responses.RequestsMock, clock: Clock) -> None:
    mocked.get(URL, status=500)
    with pytest.raises(PlatformError, match="5 times"):
        policy(clock).run(get(), what="read the tracker", idempotent=True)
    assert calls(mocked) == 5


def test_it_never_waits_longer_than_allowed_in_all(mocked: responses.RequestsMock, clock: Clock) -> None:
    mocked.get(URL, status=503)
    with pytest.raises(PlatformError):
        policy(clock, random=0.999, attempts=50, base=4.0, cap=30.0, max_wait=20.0).run(
            get(), what="read the tracker", idempotent=True
        )
    assert sum(clock.sleeps) <= 20.0 + 1e-9
    assert calls(mocked) < 50


def test_a_retry_after_beyond_the_limit_gives_up_at_once(
    mocked: responses.RequestsMock, clock: Clock
) -> None:
    mocked.get(URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(PlatformError) as raised:
        policy(clock, max_wait=60.0).run(get(), what="write cells", idempotent=True)
    assert calls(mocked) == 1
    assert clock.sleeps == []
    assert "wait 3600 s" in str(raised.value)


def test_connection_failures_are_explained_too(mocked: responses.RequestsMock, clock: Clock) -> None:
    mocked.get(URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(PlatformError) as raised:
        policy(clock, attempts=2).run(get(), what="read the tracker", idempotent=True)
    assert "could not read the tracker: the request timed out (2 times" in str(raised.value)


def test_the_message_never_holds_an_email_or_a_token(mocked: responses.RequestsMock, clock: Clock) -> None:
    message = f"Backend error for {EMAIL} with token ya29.a0AfH6SMBx-secret and eyJhbGciOi.eyJzdWIi.c2ln"
    mocked.get(URL, json=google_error(503, "UNAVAILABLE", message), status=503)
    with pytest.raises(PlatformError) as raised:
        policy(clock, attempts=2).run(get(), what="share the tracker", idempotent=True)
    text = f"{raised.value} {raised.value.hint}"
    assert EMAIL not in text
    assert "ya29" not in text
    assert "eyJ" not in text
    assert "<email>" in text
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


# -- the pieces -----------------------------------------------------------------------------


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("12", NOW) == 12.0
    assert retry_after_seconds(" 1.5 ", NOW) == 1.5
    assert retry_after_seconds("-3", NOW) == 0.0
    assert retry_after_seconds(format_datetime(NOW + timedelta(minutes=2), usegmt=True), NOW) == 120.0
    assert retry_after_seconds(format_datetime(NOW - timedelta(minutes=2), usegmt=True), NOW) == 0.0
    assert retry_after_seconds("soon", NOW) is None
    assert retry_after_seconds("", NOW) is None
    assert retry_after_seconds(None, NOW) is None
    assert retry_after_seconds("nan", NOW) is None


def test_error_details_reads_both_google_shapes() -> None:
    response = requests.Response()
    response.status_code = 403
    response._content = json.dumps(
        {
            "error": {
                "code": 403,
                "status": "PERMISSION_DENIED",
                "message": "no",
                "details": [
                    {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"}
                ],
                "errors": [{"reason": "rateLimitExceeded"}],
            }
        }
    ).encode()
    assert error_details(response) == (
        "PERMISSION_DENIED",
        frozenset({"RATE_LIMIT_EXCEEDED", "rateLimitExceeded"}),
        "no",
    )
    response._content = b'{"error": "invalid_grant", "error_description": "Bad Request"}'
    assert error_details(response) == ("invalid_grant", frozenset(), "Bad Request")
    response._content = b"not json"
    assert error_details(response) == ("", frozenset(), "")


def test_classify_describes_without_secrets() -> None:
    response = requests.Response()
    response.status_code = 429
    response.headers["Retry-After"] = "5"
    response._content = json.dumps(google_error(429, "RESOURCE_EXHAUSTED", f"slow down {EMAIL}")).encode()
    failure = classify(requests.HTTPError(response=response), idempotent=False, now=NOW)
    assert failure is not None
    assert failure.retryable
    assert failure.retry_after == 5.0
    assert failure.description == "HTTP 429 RESOURCE_EXHAUSTED: slow down <email>"
    assert classify(KeyError("x"), idempotent=True, now=NOW) is None


def test_redact() -> None:
    assert redact(f"share with {EMAIL} please") == "share with <email> please"
    assert redact("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----") == "<redacted>"
    assert redact("refresh 1//0gAbCdEfGhIjKlMnOp") == "refresh <redacted>"
    assert len(redact("x" * 1000)) <= 200


def test_the_policy_checks_its_limits() -> None:
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(max_wait=-1)
