"""A loopback fake of Zoom's Server-to-Server OAuth token endpoint and the meeting APIs braingain uses.

One :class:`FakeZoom` serves both under one base URL: the token endpoint at
``{base_url}/oauth/token`` (so ``oauth_url = fake.base_url``) and the API at
``{base_url}/v2`` (so ``api_url = fake.api_url``). Shapes follow Zoom's API v2 description
(``shared/specs/zoom_api_openapi_v2.json``) and Zoom's current reference where it grew since:

- ``POST /oauth/token``: the ``account_credentials`` grant, with ``grant_type`` and
  ``account_id`` in the form body or the query, and the app's client id and secret in HTTP
  Basic. Wrong credentials answer 400 ``{"reason": "Invalid client_id or client_secret",
  "error": "invalid_client"}`` as Zoom does; an account id the app does not belong to
  answers 400 ``invalid_request`` (Zoom's exact words for that one are not published: the
  fake's are its own). A token lives :attr:`FakeZoom.token_lifetime` seconds (3600) by
  :attr:`FakeZoom.clock`; :meth:`FakeZoom.expire_tokens` ends every token early.
- ``/v2/users/{userId}/meetings`` POST (201, the meeting) and GET (``type`` scheduled or
  upcoming, ``page_size`` up to 300, ``next_page_token`` paging; each listed ``agenda`` cut to
  :data:`LISTED_AGENDA` characters, as Zoom's current reference says: "The length of agenda gets
  truncated to 250 characters when you list all meetings for a user");
  ``/v2/meetings/{meetingId}`` GET, PATCH (204) and DELETE (204); an unknown meeting is 404
  ``{"code": 3001, "message": "Meeting does not exist: <id>."}``.
- ``/v2/past_meetings/{meetingUUID}/participants`` and
  ``/v2/report/meetings/{meetingId}/participants`` (paged) for meetings a test held with
  :meth:`FakeZoom.hold_meeting`; :meth:`FakeZoom.deny_report_scope` makes the report answer
  as Zoom does to a token without ``report:read:admin`` (400, code 4711). A UUID that starts
  with ``/`` or contains ``//`` must arrive double-URL-encoded, as Zoom documents: sent
  encoded once it is not found.

Meetings keep ``start_time`` in UTC as Zoom returns it (``"2027-01-16T14:00:00Z"``) next to
their ``timezone``; a ``start_time`` sent without ``Z`` is read in that timezone, as Zoom reads
it. Meeting ids are integers in the JSON, as Zoom sends them (the 2021 description says
string; Zoom's current reference says int64).

Limits and faults, in Zoom's shapes: every API request needs a live Bearer token (else 401
``{"code": 124, "message": "Invalid access token."}`` or ``"Access token is expired."``); each
user may create or update :attr:`FakeZoom.daily_limit` (100) meetings per UTC day, then 429
with Zoom's daily-cap message and ``X-RateLimit-Type: Daily-limit`` (:meth:`FakeZoom.daily_cap`
injects the same answer at once); ``rate_limited()`` is the per-second 429
(``X-RateLimit-Type: QPS``); ``expired_token()`` the 401 code 124; ``status(5xx)`` and
``reset_after_commit()`` come from :mod:`tests.fakes.framework`.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import urllib.parse
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any, ClassVar

from tests.fakes.framework import Fault, HttpError, LoopbackServer, Request, Response, Route, route
from tests.fakes.framework import status as status_fault

JsonObject = dict[str, Any]

TOKEN_LIFETIME = 3600
DAILY_LIMIT = 100
AGENDA_LIMIT = 2000
LISTED_AGENDA = 250
"""How much of each meeting's agenda Zoom's list of a user's meetings shows."""
TOPIC_LIMIT = 200
MAX_PAGE_SIZE = 300
DEFAULT_PAGE_SIZE = 30
HOST_ID = "KDcuGIm1QgePTO8WbOqwIQ"
HOST_EMAIL = "host@braingain.test"
REPORT_SCOPE = "report:read:admin"
SCOPES = ("meeting:read:admin", "meeting:write:admin", REPORT_SCOPE)

PER_SECOND_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_CAP_MESSAGE = (
    "You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API requests permitted "
    "for this particular user. You may resume these requests at GMT 00:00:00."
)
"""Zoom's answer to the 101st meeting create or update of a user in one UTC day."""


def zoom_error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> HttpError:
    return HttpError(Response.json({"code": code, "message": message}, status, headers))


def zoom_time(moment: datetime) -> str:
    """An instant as Zoom writes it: UTC, to the second, with ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_midnight_utc(now: datetime) -> datetime:
    day = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass
class _Token:
    expires_at: datetime
    scopes: tuple[str, ...]


@dataclass
class HeldParticipant:
    """One participant of a held meeting, as a test describes them."""

    name: str
    email: str = ""
    join: datetime | None = None
    leave: datetime | None = None

    @property
    def duration(self) -> int:
        if self.join is None or self.leave is None:
            return 0
        return int((self.leave - self.join).total_seconds())


@dataclass
class _Held:
    meeting_id: int
    uuid: str
    participants: list[HeldParticipant] = field(default_factory=list)


class FakeZoom(LoopbackServer):
    """Zoom's token endpoint and meeting APIs on one loopback base URL.

    Register the app with :meth:`register_app`; reach state through the helpers below (each
    takes :attr:`lock`). ``clock`` (an aware datetime) drives token lifetimes, the daily cap's
    day and ``upcoming``; tests may replace it.
    """

    redact_fields: ClassVar[frozenset[str]] = LoopbackServer.redact_fields | {"account_id"}

    def __init__(self) -> None:
        super().__init__()
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.token_lifetime = TOKEN_LIFETIME
        self.daily_limit = DAILY_LIMIT
        self._apps: dict[str, tuple[str, str]] = {}  # client id -> (secret, account id)
        self._tokens: dict[str, _Token] = {}
        self._token_numbers = itertools.count(1)
        self._meeting_numbers = itertools.count(81234567890)
        self._meetings: dict[int, JsonObject] = {}
        self._held: dict[int, _Held] = {}
        self._daily: dict[tuple[str, str], int] = {}  # (host, UTC day) -> creates and updates
        self._report_scope = True

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v2"

    # -- test API ------------------------------------------------------------------------

    def register_app(self, account_id: str, client_id: str, client_secret: str) -> None:
        """A Server-to-Server OAuth app of ``account_id``."""
        with self.lock:
            self._apps[client_id] = (client_secret, account_id)

    def expire_tokens(self) -> None:
        """End every token issued so far, as if its hour had passed."""
        with self.lock:
            for token in self._tokens.values():
                token.expires_at = self.clock() - timedelta(seconds=1)

    def deny_report_scope(self) -> None:
        """Tokens issued from now on lack ``report:read:admin`` (a Pro account's app without it)."""
        with self.lock:
            self._report_scope = False

    def meetings(self) -> list[JsonObject]:
        """Every meeting, as GET /meetings/{id} answers it, by id."""
        with self.lock:
            return [dict(self._meetings[key]) for key in sorted(self._meetings)]

    def add_meeting(self, body: JsonObject) -> JsonObject:
        """A meeting made outside braingain (by hand in Zoom), not counted against the daily cap."""
        with self.lock:
            return self._create(HOST_ID, body)

    def hold_meeting(self, meeting_id: int | str, uuid: str | None = None) -> str:
        """Mark the meeting as held (ended); returns its instance UUID (``uuid`` or a made one)."""
        with self.lock:
            number = int(meeting_id)
            meeting = self._meetings.get(number)
            given = uuid or (meeting["uuid"] if meeting else f"held{number}==")
            self._held[number] = _Held(number, given)
            return given

    def add_participant(
        self,
        meeting_id: int | str,
        name: str,
        email: str = "",
        join: datetime | None = None,
        leave: datetime | None = None,
    ) -> None:
        """Someone who was in the held meeting ``meeting_id``."""
        with self.lock:
            held = self._held.get(int(meeting_id))
            if held is None:
                raise KeyError(f"meeting {meeting_id} was not held: call hold_meeting first")
            held.participants.append(HeldParticipant(name, email, join, leave))

    def daily_cap(self) -> Fault:
        """The 429 Zoom answers once the user's daily creates and updates are spent."""
        return status_fault(
            429,
            body=Response.json(
                {"code": 429, "message": DAILY_CAP_MESSAGE.format(limit=self.daily_limit)}
            ).body,
            headers=self._daily_headers(),
        )

    # -- rendering -----------------------------------------------------------------------

    def error_response(self, status: int, message: str, request: Request, route: Route | None) -> Response:
        return Response.json({"code": status, "message": message}, status)

    def fault_response(self, fault: Fault, request: Request, route: Route | None) -> Response:
        if fault.kind == "expired_token":
            return Response.json({"code": 124, "message": "Access token is expired."}, 401)
        if fault.kind == "rate_limited" and fault.status == 429:
            headers = {"X-RateLimit-Category": "Medium", "X-RateLimit-Type": "QPS"}
            if fault.retry_after is not None:
                headers["Retry-After"] = fault.retry_after
            return Response.json({"code": 429, "message": PER_SECOND_MESSAGE}, 429, headers)
        if fault.kind == "status" and fault.body is None:
            phrase = HTTPStatus(fault.status).phrase if fault.status in HTTPStatus._value2member_map_ else ""
            response = Response.json({"code": fault.status, "message": phrase}, fault.status)
            response.headers.update(dict(fault.headers))
            if fault.retry_after is not None:
                response.headers["Retry-After"] = fault.retry_after
            return response
        return super().fault_response(fault, request, route)

    def _daily_headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Category": "Medium",
            "X-RateLimit-Type": "Daily-limit",
            "X-RateLimit-Limit": str(self.daily_limit),
            "X-RateLimit-Remaining": "0",
            "Retry-After": zoom_time(next_midnight_utc(self.clock())),
        }

    # -- authorization -------------------------------------------------------------------

    def before_route(self, request: Request, route: Route) -> Response | None:
        if route.name == "oauth.token":
            return None
        header = request.header("Authorization") or ""
        scheme, _, value = header.partition(" ")
        token = self._tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            return Response.json({"code": 124, "message": "Invalid access token."}, 401)
        if self.clock() >= token.expires_at:
            return Response.json({"code": 124, "message": "Access token is expired."}, 401)
        if route.name.startswith("report.") and REPORT_SCOPE not in token.scopes:
            message = f"Invalid access token, does not contain scopes:[{REPORT_SCOPE}]."
            return Response.json({"code": 4711, "message": message}, 400)
        return None

    @route("POST", "/oauth/token", name="oauth.token")
    def _token(self, request: Request) -> Response:
        fields = {key: values[0] for key, values in request.query.items() if values}
        if request.body and "x-www-form-urlencoded" in (request.header("Content-Type") or ""):
            fields.update(request.form())
        client_id, secret = _basic(request.header("Authorization"))
        app = self._apps.get(client_id or "")
        if app is None or secret != app[0]:
            return Response.json(
                {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}, 400
            )
        if fields.get("grant_type") != "account_credentials":
            return Response.json({"reason": "unsupported grant type", "error": "unsupported_grant_type"}, 400)
        if fields.get("account_id") != app[1]:
            return Response.json({"reason": "Invalid account_id", "error": "invalid_request"}, 400)
        value = f"fake-zoom-token-{next(self._token_numbers)}"
        scopes = SCOPES if self._report_scope else tuple(s for s in SCOPES if s != REPORT_SCOPE)
        self._tokens[value] = _Token(self.clock() + timedelta(seconds=self.token_lifetime), scopes)
        return Response.json(
            {
                "access_token": value,
                "token_type": "bearer",
                "expires_in": self.token_lifetime,
                "scope": " ".join(scopes),
                "api_url": "https://api.zoom.us",
            }
        )

    # -- meetings ------------------------------------------------------------------------

    def _user(self, user_id: str) -> str:
        if user_id in ("me", HOST_ID, HOST_EMAIL):
            return HOST_ID
        raise zoom_error(404, 1001, f"User does not exist: {user_id}.")

    def _meeting(self, raw: str) -> JsonObject:
        try:
            number = int(raw)
        except ValueError:
            raise zoom_error(404, 3001, f"Meeting does not exist: {raw}.") from None
        meeting = self._meetings.get(number)
        if meeting is None:
            raise zoom_error(404, 3001, f"Meeting does not exist: {raw}.")
        return meeting

    def _spend_daily(self, host: str) -> None:
        day = self.clock().astimezone(UTC).date().isoformat()
        used = self._daily.get((host, day), 0)
        if used >= self.daily_limit:
            message = DAILY_CAP_MESSAGE.format(limit=self.daily_limit)
            raise zoom_error(429, 429, message, self._daily_headers())
        self._daily[(host, day)] = used + 1

    def _change(self, request: Request, host: str) -> JsonObject:
        """A create's or update's body, checked, and counted against the host's daily cap."""
        body = request.json()
        if not isinstance(body, dict):
            raise zoom_error(400, 300, "Request Body should be a valid JSON object.")
        _check_fields(body)
        self._spend_daily(host)
        return body

    @route("POST", "/v2/users/{userId}/meetings", name="meetings.create")
    def _create_route(self, request: Request) -> Response:
        host = self._user(request.path_params["userId"])
        body = self._change(request, host)
        return Response.json(self._create(host, body), 201)

    def _create(self, host: str, body: JsonObject) -> JsonObject:
        number = next(self._meeting_numbers)
        zone = body.get("timezone") or "UTC"
        settings = {
            "host_video": False,
            "participant_video": False,
            "join_before_host": False,
            "mute_upon_entry": False,
            "waiting_room": False,
            "auto_recording": "none",
            **(body.get("settings") or {}),
        }
        meeting: JsonObject = {
            "uuid": f"u{number}Q==",
            "id": number,
            "host_id": host,
            "host_email": HOST_EMAIL,
            "topic": body.get("topic") or "Zoom Meeting",
            "type": body.get("type", 2),
            "status": "waiting",
            "start_time": _start(body.get("start_time"), zone, self.clock()),
            "duration": body.get("duration", 60),
            "timezone": zone,
            "agenda": body.get("agenda", ""),
            "created_at": zoom_time(self.clock()),
            "start_url": f"https://zoom.us/s/{number}?zak=fake",
            "join_url": f"https://zoom.us/j/{number}?pwd=fake{number % 9973}",
            "password": "fake",
            "settings": settings,
        }
        self._meetings[number] = meeting
        return dict(meeting)

    @route("GET", "/v2/users/{userId}/meetings", name="meetings.list")
    def _list(self, request: Request) -> Response:
        host = self._user(request.path_params["userId"])
        kind = request.param("type", "scheduled") or "scheduled"
        if kind not in ("scheduled", "upcoming", "live"):
            raise zoom_error(400, 300, f"Invalid field: type {kind}.")
        size = _page_size(request)
        now = zoom_time(self.clock())
        found = [
            m
            for _, m in sorted(self._meetings.items())
            if m["host_id"] == host
            and (kind != "upcoming" or m["start_time"] >= now)
            and (kind != "live" or m["status"] == "started")
        ]
        start = _offset(request.param("next_page_token"))
        page = found[start : start + size]
        listed = [
            {
                k: m[k][:LISTED_AGENDA] if k == "agenda" else m[k]
                for k in (
                    "uuid",
                    "id",
                    "host_id",
                    "topic",
                    "type",
                    "start_time",
                    "duration",
                    "timezone",
                    "agenda",
                    "created_at",
                    "join_url",
                )
            }
            for m in page
        ]
        return Response.json(
            {
                "page_size": size,
                "total_records": len(found),
                "next_page_token": _token_for(start + size) if start + size < len(found) else "",
                "meetings": listed,
            }
        )

    @route("GET", "/v2/meetings/{meetingId}", name="meetings.get")
    def _get(self, request: Request) -> Response:
        return Response.json(dict(self._meeting(request.path_params["meetingId"])))

    @route("PATCH", "/v2/meetings/{meetingId}", name="meetings.update")
    def _update(self, request: Request) -> Response:
        meeting = self._meeting(request.path_params["meetingId"])
        body = self._change(request, meeting["host_id"])
        for key in ("topic", "duration", "agenda", "type"):
            if key in body:
                meeting[key] = body[key]
        if "timezone" in body:
            meeting["timezone"] = body["timezone"]
        if "start_time" in body:
            meeting["start_time"] = _start(body["start_time"], meeting["timezone"], self.clock())
        if isinstance(body.get("settings"), dict):
            meeting["settings"] = {**meeting["settings"], **body["settings"]}
        return Response.empty(204)

    @route("DELETE", "/v2/meetings/{meetingId}", name="meetings.delete")
    def _delete(self, request: Request) -> Response:
        meeting = self._meeting(request.path_params["meetingId"])
        del self._meetings[meeting["id"]]
        return Response.empty(204)

    # -- participants --------------------------------------------------------------------

    def _held_meeting(self, raw: str) -> _Held:
        """The held meeting a path names, by id or instance UUID (double-encoded when Zoom says so)."""
        if raw.startswith("/") or "//" in raw:
            # Zoom decodes the path once before routing: a UUID like this sent encoded once
            # becomes more than one segment and names no meeting.
            raise zoom_error(404, 3001, "Meeting does not exist: " + raw.split("/")[0] + ".")
        value = urllib.parse.unquote(raw) if "%" in raw else raw
        for held in self._held.values():
            if value in (held.uuid, str(held.meeting_id)):
                return held
        raise zoom_error(404, 3001, f"Meeting does not exist: {value}.")

    def _participants(self, request: Request, key: str) -> Response:
        held = self._held_meeting(request.path_params[key])
        size = _page_size(request)
        start = _offset(request.param("next_page_token"))
        page = held.participants[start : start + size]
        rows: list[JsonObject] = []
        for number, person in enumerate(page, start=start):
            row: JsonObject = {
                "id": f"p{held.meeting_id}x{number}",
                "user_id": str(16778240 + number),
                "name": person.name,
                "user_email": person.email,
                "join_time": zoom_time(person.join) if person.join else "",
                "leave_time": zoom_time(person.leave) if person.leave else "",
                "duration": person.duration,
            }
            rows.append(row)
        return Response.json(
            {
                "page_count": 1 if rows else 0,
                "page_size": size,
                "total_records": len(held.participants),
                "next_page_token": _token_for(start + size) if start + size < len(held.participants) else "",
                "participants": rows,
            }
        )

    @route("GET", "/v2/past_meetings/{meetingUUID}/participants", name="past_meetings.participants")
    def _past_participants(self, request: Request) -> Response:
        return self._participants(request, "meetingUUID")

    @route("GET", "/v2/report/meetings/{meetingId}/participants", name="report.participants")
    def _report_participants(self, request: Request) -> Response:
        return self._participants(request, "meetingId")


def _basic(header: str | None) -> tuple[str | None, str | None]:
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, colon, secret = decoded.partition(":")
    return (client_id, secret) if colon else (None, None)


def _check_fields(body: JsonObject) -> None:
    """Zoom's validation of the fields braingain sends (code 300, "Validation Failed.")."""
    problems: list[JsonObject] = []
    if "topic" in body and (not isinstance(body["topic"], str) or len(body["topic"]) > TOPIC_LIMIT):
        problems.append({"field": "topic", "message": f"Topic must be a string of at most {TOPIC_LIMIT}."})
    if "agenda" in body and (not isinstance(body["agenda"], str) or len(body["agenda"]) > AGENDA_LIMIT):
        problems.append({"field": "agenda", "message": f"Agenda must be at most {AGENDA_LIMIT} characters."})
    if "type" in body and body["type"] not in (1, 2, 3, 8):
        problems.append({"field": "type", "message": "Invalid meeting type."})
    if "duration" in body and (isinstance(body["duration"], bool) or not isinstance(body["duration"], int)):
        problems.append({"field": "duration", "message": "Duration must be an integer."})
    if "timezone" in body:
        try:
            zoneinfo.ZoneInfo(str(body["timezone"]))
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            problems.append({"field": "timezone", "message": "Invalid timezone."})
    if "start_time" in body:
        try:
            _parse_start(body["start_time"])
        except ValueError:
            problems.append({"field": "start_time", "message": "Invalid start_time."})
    if problems:
        raise HttpError(
            Response.json({"code": 300, "message": "Validation Failed.", "errors": problems}, 400)
        )


def _parse_start(value: object) -> tuple[datetime, bool]:
    """(the wall or UTC time, whether it was UTC) of a start_time Zoom accepts."""
    if not isinstance(value, str):
        raise ValueError("not text")
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), True
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S"), False  # noqa: DTZ007 - wall time, zone added by caller


def _start(value: object, zone: str, now: datetime) -> str:
    if value is None:
        return zoom_time(now)
    moment, utc = _parse_start(value)
    if utc:
        return zoom_time(moment)
    return zoom_time(moment.replace(tzinfo=zoneinfo.ZoneInfo(zone)))


def _page_size(request: Request) -> int:
    raw = request.param("page_size", str(DEFAULT_PAGE_SIZE)) or str(DEFAULT_PAGE_SIZE)
    try:
        size = int(raw)
    except ValueError:
        raise zoom_error(400, 300, f"Invalid field: page_size {raw}.") from None
    return max(1, min(size, MAX_PAGE_SIZE))


def _token_for(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode("ascii")


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii")
        label, _, number = text.partition(":")
        if label != "offset":
            raise ValueError(text)
        return int(number)
    except (ValueError, binascii.Error):
        raise zoom_error(400, 300, "The next page token is invalid or expired.") from None
