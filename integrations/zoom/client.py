"""braingain's Zoom client: zoomus 1.2.1's meeting components, with its faults fixed around them.

zoomus builds the URLs and request bodies; this module does everything zoomus gets wrong:

- **The token.** ``zoomus.ZoomClient.__init__`` posts to the token endpoint itself, with no
  timeout and no error check (bad credentials give a token of ``None`` and every later call
  sends ``Bearer None``), and never refreshes the one-hour token. So ``zoomus.ZoomClient`` is
  never constructed: its components (``MeetingComponentV2``, ``PastMeetingComponentV2``,
  ``ReportComponentV2``) are built directly over a config dict whose ``token`` this client
  fills. It fetches the Server-to-Server OAuth token with requests (with the timeout, the
  answer checked: a refusal raises :class:`ZoomAuthError` naming the variables to check),
  fetches a new one five minutes before the old one ends, and once more on a 401.
- **Errors.** zoomus returns raw responses; every non-2xx answer here raises an error of
  :mod:`braingain.integrations.zoom.errors`. Transient failures (429 per second, 5xx, a
  reset, a timeout) are retried by :class:`~braingain.integrations.retry.RetryPolicy`
  (Retry-After honoured); the 429 of the daily cap is never retried. Requests are spaced at
  least :data:`MIN_INTERVAL` seconds apart, under Zoom's per-second limits for meeting calls.
- **Times.** zoomus formats ``start_time`` with ``%Y-%m-%dT%H:%M:%SZ`` without converting:
  this client hands it the instant converted to UTC (naive times are refused by
  :class:`MeetingRequest`), and sends the IANA ``timezone`` with it.
- **Past-meeting ids** go as strings (zoomus indexes ``id[0]`` to decide on encoding); a UUID
  that starts with ``/`` or contains ``//`` is double-URL-encoded, as Zoom documents, on the
  report endpoint too (zoomus encodes it only for past meetings).
- **Timeout.** zoomus's client timeout never reaches its components, and its setter cuts it
  to whole seconds; here each component gets this client's timeout, as given.
- **Listed agendas** are cut to 250 characters by Zoom: a listed meeting whose agenda may have
  lost its key line that way is read in full before it is judged not braingain's.
- **Creating twice.** A create that may have reached Zoom (a reset, a 5xx) is retried only
  after looking for the meeting by its key (:meth:`ZoomClient.find_meeting`).
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from zoomus.components.meeting import MeetingComponentV2
from zoomus.components.past_meeting import PastMeetingComponentV2
from zoomus.components.report import ReportComponentV2
from zoomus.util import API_VERSION_2, encode_uuid

from braingain.integrations.errors import PlatformError
from braingain.integrations.retry import RETRY_STATUSES, RetryPolicy, redact
from braingain.integrations.zoom.errors import (
    ZoomAuthError,
    ZoomDailyLimit,
    ZoomError,
    ZoomHostUnknown,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomRefused,
    ZoomUnavailable,
)
from braingain.integrations.zoom.models import (
    MeetingRequest,
    Participant,
    ZoomCredentials,
    ZoomMeeting,
    agenda_with_key,
    human_part,
    key_of,
)

__all__ = ["MIN_INTERVAL", "TOKEN_MARGIN", "ZoomClient"]

API_URL = "https://api.zoom.us/v2"
OAUTH_URL = "https://zoom.us"
MIN_INTERVAL = 0.1
"""Seconds between two requests: 10 a second, under Zoom's lowest per-second limit for meeting
calls (Heavy: 10 a second on Pro; create and update are Medium: 20)."""
TOKEN_MARGIN = timedelta(minutes=5)
"""A token is replaced this long before Zoom says it ends."""
USER_NOT_FOUND = 1001
"""Zoom's code for "User does not exist" (a host that is not on the account)."""
PAGE_SIZE = 300
LISTED_AGENDA = 250
"""Zoom's list of a user's meetings cuts each agenda to 250 characters (its reference says so):
braingain's key, the agenda's last line, may be cut off, and such a meeting is read in full."""
SCHEDULED = 2


def _utc_now() -> datetime:
    return datetime.now(UTC)


class _Timeout:
    """zoomus's ``timeout`` setter turns 2.5 into 2 (and 0.5 into 0): keep the number as given."""

    _timeout: float | None

    @property
    def timeout(self) -> float | None:
        return self._timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        self._timeout = None if value is None else float(value)


class _Meetings(_Timeout, MeetingComponentV2):  # type: ignore[misc]
    pass


class _PastMeetings(_Timeout, PastMeetingComponentV2):  # type: ignore[misc]
    pass


class _Reports(_Timeout, ReportComponentV2):  # type: ignore[misc]
    pass


class _Transient(requests.HTTPError):
    """A retryable answer (429 per second, 5xx), carried to :class:`RetryPolicy` with its response."""


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _zoom_words(response: requests.Response) -> tuple[int | None, str]:
    """Zoom's ``code`` and ``message`` (or OAuth's ``error``/``reason``), redacted."""
    body = _body(response)
    code = body.get("code")
    message = body.get("message") or body.get("reason") or body.get("error") or ""
    return (code if isinstance(code, int) and not isinstance(code, bool) else None), redact(str(message))


def _utc(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _next_midnight(now: datetime) -> datetime:
    day = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def is_daily_cap(response: requests.Response) -> bool:
    """Whether a 429 is Zoom's daily cap (stop until 00:00 GMT) rather than its per-second limit."""
    if response.status_code != 429:
        return False
    kind = (response.headers.get("X-RateLimit-Type") or "").lower()
    return kind.startswith("daily") or "daily rate limit" in _zoom_words(response)[1].lower()


class ZoomClient:
    """Meetings and attendance on Zoom for one Server-to-Server OAuth app.

    ``api_url`` and ``oauth_url`` are Zoom's (movable for tests and Zoom for Government);
    ``timeout`` (seconds) applies to every request, the token's included; ``host`` is the
    Zoom user whose meetings these are ("me": the app's owner). ``clock`` (aware now) and
    ``sleep`` are injected for tests; ``retry`` defaults to a :class:`RetryPolicy` using them.
    :attr:`requests_made` counts every HTTP request sent (token requests included).
    No request is made until a method needs one.
    """

    def __init__(
        self,
        credentials: ZoomCredentials,
        *,
        api_url: str = API_URL,
        oauth_url: str = OAUTH_URL,
        timeout: float = 30.0,
        clock: Callable[[], datetime] = _utc_now,
        sleep: Callable[[float], None] = time.sleep,
        host: str = "me",
        retry: RetryPolicy | None = None,
    ) -> None:
        self._credentials = credentials
        self._oauth_url = oauth_url.rstrip("/")
        self._timeout = timeout
        self._clock = clock
        self._sleep = sleep
        self._host = host
        self._retry = retry or RetryPolicy(sleep=sleep, now=clock)
        self._config: dict[str, Any] = {"version": API_VERSION_2, "token": None}
        self._expires: datetime | None = None
        self._last_sent: datetime | None = None
        self._meetings = _Meetings(base_uri=api_url, config=self._config, timeout=timeout)
        self._past = _PastMeetings(base_uri=api_url, config=self._config, timeout=timeout)
        self._reports = _Reports(base_uri=api_url, config=self._config, timeout=timeout)
        self.requests_made = 0

    def __repr__(self) -> str:
        return f"ZoomClient(account_id={self._credentials.account_id!r}, host={self._host!r})"

    @property
    def timeouts(self) -> tuple[float | None, ...]:
        """The timeout each zoomus component sends with its requests (for checks)."""
        return (self._meetings.timeout, self._past.timeout, self._reports.timeout)

    # -- meetings ------------------------------------------------------------------------

    def create_meeting(self, request: MeetingRequest) -> ZoomMeeting:
        """Create ``request`` as a scheduled (one-off) meeting of the host; the meeting as Zoom made it.

        Counts against the host's 100 creates and updates a day (:class:`ZoomDailyLimit`). If a
        try may have reached Zoom, the next looks for the meeting by key first, so a retry
        never makes a second one.
        """
        what = f"create the Zoom meeting {request.key}"
        response = self._call(
            what,
            lambda: self._meetings.create(user_id=self._host, type=SCHEDULED, **self._fields(request)),
            idempotent=True,
            recover=lambda: self._find(request.key),
        )
        if isinstance(response, ZoomMeeting):
            return response
        self._check(response, what)
        return _meeting(_body(response))

    def update_meeting(self, meeting_id: str, request: MeetingRequest) -> None:
        """Set the meeting's topic, time, length, zone, agenda and settings (PATCH); ZoomNotFound if gone."""
        what = f"update the Zoom meeting {request.key}"
        response = self._send(
            what,
            lambda: self._meetings.update(id=str(meeting_id), type=SCHEDULED, **self._fields(request)),
        )
        self._check(response, what)

    def delete_meeting(self, meeting_id: str) -> bool:
        """Delete the meeting: True, or False when it was already gone (404)."""
        what = f"delete the Zoom meeting {meeting_id}"
        response = self._send(what, lambda: self._meetings.delete(id=str(meeting_id)))
        if response.status_code == 404:
            return False
        self._check(response, what)
        return True

    def get_meeting(self, meeting_id: str) -> ZoomMeeting | None:
        """The meeting, or None when Zoom has no such meeting."""
        what = f"read the Zoom meeting {meeting_id}"
        response = self._send(what, lambda: self._meetings.get(id=str(meeting_id)))
        if response.status_code == 404:
            return None
        self._check(response, what)
        return _meeting(_body(response))

    def find_meeting(self, key: str) -> ZoomMeeting | None:
        """The host's scheduled meeting whose agenda carries ``key`` (all pages read), or None.

        Should there be more than one, the one Zoom numbered first.
        """
        return self._find(key)

    def scheduled_meetings(self) -> list[ZoomMeeting]:
        """Every scheduled meeting of the host (all pages read), braingain's or not."""
        return list(self._scheduled())

    def _find(self, key: str) -> ZoomMeeting | None:
        found = [meeting for meeting in self._scheduled() if meeting.key == key]
        return min(found, key=lambda m: int(m.id) if m.id.isdigit() else 0) if found else None

    def _scheduled(self) -> Iterator[ZoomMeeting]:
        for item in self._pages(
            "list the host's Zoom meetings",
            lambda token: self._meetings.list(
                user_id=self._host, type="scheduled", page_size=PAGE_SIZE, **token
            ),
            "meetings",
        ):
            agenda = item.get("agenda")
            if isinstance(agenda, str) and (key_of(agenda) is not None or len(agenda) < LISTED_AGENDA - 3):
                yield _meeting(item)
            else:  # no agenda listed, or one cut short (its key line lost): read the meeting itself
                full = self.get_meeting(str(item.get("id")))
                if full is not None:
                    yield full

    # -- attendance ----------------------------------------------------------------------

    def participants(self, meeting_id: str) -> list[Participant]:
        """Who was in the meeting's last instance (``meeting_id``: its number or instance UUID).

        From the report endpoint; when the app may not read reports (400, 403 or 404 there),
        from the past-meeting participants. ZoomNotFound when neither knows the meeting.
        """
        ident = str(meeting_id)
        try:
            rows = list(
                self._pages(
                    f"read the attendance report of Zoom meeting {ident}",
                    lambda token: self._reports.get_meeting_participants_report(
                        id=encode_uuid(ident), page_size=PAGE_SIZE, **token
                    ),
                    "participants",
                )
            )
        except (ZoomRefused, ZoomNotFound) as refused:
            if isinstance(refused, ZoomRefused) and refused.status not in (400, 403):
                raise
            rows = list(
                self._pages(
                    f"read the participants of Zoom meeting {ident}",
                    lambda token: self._past.get_participants(meeting_id=ident, page_size=PAGE_SIZE, **token),
                    "participants",
                )
            )
        return [_participant(row) for row in rows]

    # -- plumbing ------------------------------------------------------------------------

    def _fields(self, request: MeetingRequest) -> dict[str, Any]:
        return {
            "topic": request.topic,
            # zoomus writes start_time with "%Y-%m-%dT%H:%M:%SZ" as it is: hand it UTC.
            "start_time": request.start.astimezone(UTC),
            "duration": request.duration_minutes,
            "timezone": request.timezone,
            "agenda": agenda_with_key(request.agenda, request.key),
            "settings": request.settings.as_json(),
        }

    def _pages(
        self, what: str, fetch: Callable[[dict[str, str]], requests.Response], items: str
    ) -> Iterator[dict[str, Any]]:
        token: dict[str, str] = {}
        while True:
            response = self._send(what, functools.partial(fetch, token))
            self._check(response, what)
            body = _body(response)
            for item in body.get(items) or []:
                if isinstance(item, dict):
                    yield item
            following = body.get("next_page_token")
            if not isinstance(following, str) or not following:
                return
            token = {"next_page_token": following}

    def _check(self, response: requests.Response, what: str) -> None:
        """Raise for any answer but 2xx (429 and 5xx arrive here only after the retries)."""
        code = response.status_code
        if 200 <= code < 300:
            return
        zoom_code, message = _zoom_words(response)
        said = f"HTTP {code}" + (f" (code {zoom_code})" if zoom_code is not None else "")
        said += f": {message}" if message else ""
        if code == 404 and zoom_code == USER_NOT_FOUND:
            raise ZoomHostUnknown(f"could not {what}: Zoom answered {said}")
        if code == 404:
            raise ZoomNotFound(f"could not {what}: Zoom answered {said}")
        raise ZoomRefused(
            f"could not {what}: Zoom refused it with {said}",
            status=code,
            code=zoom_code,
            zoom_message=message,
            hint="this is a refusal, not an outage: trying again will not help until what it names is fixed",
        )

    def _send(self, what: str, send: Callable[[], requests.Response]) -> requests.Response:
        """An idempotent request through :meth:`_call`: its response (2xx or 4xx)."""
        response = self._call(what, send, idempotent=True)
        assert isinstance(response, requests.Response)  # no recover: never a found meeting
        return response

    def _call(
        self,
        what: str,
        send: Callable[[], requests.Response],
        *,
        idempotent: bool,
        recover: Callable[[], ZoomMeeting | None] | None = None,
    ) -> requests.Response | ZoomMeeting:
        """``send()`` with a live token, paced, retried on transient failures; its response (any 4xx too).

        ``recover`` runs before every try but the first, and what it finds is the answer
        (a create looks for the meeting it may already have made).
        """
        last: list[int | None] = [None]
        tries = [0]

        def attempt() -> requests.Response | ZoomMeeting:
            tries[0] += 1
            if recover is not None and tries[0] > 1:
                found = recover()
                if found is not None:
                    return found
            response = self._authorized(send)
            last[0] = response.status_code
            if is_daily_cap(response):
                until = _next_midnight(self._clock())
                raise ZoomDailyLimit(
                    f"could not {what}: Zoom's daily limit of meeting creates and updates for this "
                    f"host is reached ({_zoom_words(response)[1]})",
                    until=until,
                )
            if response.status_code in RETRY_STATUSES:
                raise _Transient(f"HTTP {response.status_code}", response=response)
            return response

        try:
            return self._retry.run(attempt, what=what, idempotent=idempotent, service="Zoom")
        except ZoomError:
            raise
        except PlatformError as exhausted:
            kind = ZoomRateLimited if last[0] == 429 else ZoomUnavailable
            raise kind(exhausted.reason, hint=exhausted.hint) from None
        except _Transient as failure:  # a policy that gave up at once still hands it back
            raise ZoomUnavailable(f"could not {what}: Zoom answered {failure}") from None
        except requests.RequestException as error:
            timed_out = isinstance(error, requests.Timeout)
            raise ZoomUnavailable(
                f"could not {what}: "
                + ("Zoom did not answer in time" if timed_out else "the connection failed"),
                hint="braingain looks for the meeting by its key before trying again, so nothing is made "
                "twice; run the sync again in a few minutes",
            ) from None

    def _authorized(self, send: Callable[[], requests.Response]) -> requests.Response:
        """``send()`` with a token that is live; on a 401 a new token and one more try."""
        self._ensure_token()
        response = self._paced(send)
        if response.status_code == 401:
            self._fetch_token()
            response = self._paced(send)
            if response.status_code == 401:
                code, message = _zoom_words(response)
                raise ZoomAuthError(f"Zoom refused braingain's access token twice (code {code}: {message})")
        return response

    def _paced(self, send: Callable[[], requests.Response]) -> requests.Response:
        """``send()`` at least :data:`MIN_INTERVAL` seconds after the request before it."""
        if self._last_sent is not None:
            gap = (self._clock() - self._last_sent).total_seconds()
            if gap < MIN_INTERVAL:
                self._sleep(MIN_INTERVAL - gap)
        self._last_sent = self._clock()
        self.requests_made += 1
        return send()

    def _ensure_token(self) -> None:
        expires = self._expires
        if self._config["token"] is None or expires is None or self._clock() >= expires - TOKEN_MARGIN:
            self._fetch_token()

    def _fetch_token(self) -> None:
        """A new Server-to-Server OAuth token (account_credentials grant), or ZoomAuthError."""
        credentials = self._credentials

        def post() -> requests.Response:
            self.requests_made += 1
            response = requests.post(
                f"{self._oauth_url}/oauth/token",
                data={"grant_type": "account_credentials", "account_id": credentials.account_id},
                auth=(credentials.client_id, credentials.client_secret),
                timeout=self._timeout,
            )
            if response.status_code in RETRY_STATUSES:
                raise _Transient(f"HTTP {response.status_code}", response=response)
            return response

        self._config["token"] = None
        try:
            response = self._retry.run(post, what="sign in to Zoom", idempotent=True, service="Zoom")
        except PlatformError as exhausted:
            raise ZoomUnavailable(exhausted.reason, hint=exhausted.hint) from None
        except requests.RequestException:
            raise ZoomUnavailable("could not sign in to Zoom: the connection failed or timed out") from None
        body = _body(response)
        token = body.get("access_token")
        if response.status_code != 200 or not isinstance(token, str) or not token:
            _, message = _zoom_words(response)
            raise ZoomAuthError(
                f"Zoom refused braingain's Server-to-Server OAuth credentials (HTTP {response.status_code}"
                + (f": {message}" if message else "")
                + ")"
            )
        lifetime = body.get("expires_in")
        seconds = lifetime if isinstance(lifetime, int | float) and not isinstance(lifetime, bool) else 3600
        self._config["token"] = token
        self._expires = self._clock() + timedelta(seconds=seconds)


def _meeting(body: dict[str, Any]) -> ZoomMeeting:
    agenda = body.get("agenda") if isinstance(body.get("agenda"), str) else ""
    start = _utc(body.get("start_time"))
    if start is None:
        raise ZoomRefused(
            f"Zoom sent meeting {body.get('id')} without a start time braingain can read",
            status=200,
            code=None,
            zoom_message="",
        )
    duration = body.get("duration")
    return ZoomMeeting(
        id=str(body.get("id")),
        key=key_of(agenda),
        topic=str(body.get("topic") or ""),
        start=start,
        duration_minutes=duration if isinstance(duration, int) and not isinstance(duration, bool) else 0,
        timezone=str(body.get("timezone") or "UTC"),
        agenda=human_part(agenda),
        join_url=str(body.get("join_url") or ""),
    )


def _participant(row: dict[str, Any]) -> Participant:
    email = row.get("user_email")
    duration = row.get("duration")
    return Participant(
        name=str(row.get("name") or ""),
        email=email.strip() if isinstance(email, str) and email.strip() else None,
        join=_utc(row.get("join_time")),
        leave=_utc(row.get("leave_time")),
        duration_seconds=duration if isinstance(duration, int) and not isinstance(duration, bool) else 0,
    )
