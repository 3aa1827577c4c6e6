"""The Zoom fake answers in the shapes of Zoom's API description, and fails as Zoom fails.

The description (``shared/specs/zoom_api_openapi_v2.json`` beside the repository, never
copied into it) is read when present; the checks against it are skipped on a clone without it.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.fakes.framework import rate_limited, reset_after_commit, status
from tests.fakes.zoom import DAILY_CAP_MESSAGE, PER_SECOND_MESSAGE, FakeZoom
from tests.fakes.zoom_support import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, Clock
from tests.integrations.api_descriptions import JSON_TYPES, description, resolve

MEETING = {
    "topic": "Brain Gain meeting",
    "type": 2,
    "start_time": "2027-01-16T14:00:00Z",
    "duration": 90,
    "timezone": "Africa/Lagos",
    "agenda": "1. Progress\n\nbraingain key: zoom:2027-01-16",
    "settings": {"mute_upon_entry": True, "waiting_room": True},
}
INTEGER_IDS = {"id"}
"""Zoom sends meeting ids as JSON integers (its reference now: int64); the 2021 description says string."""


SPEC = "zoom_api_openapi_v2.json"


def problems(schema: dict[str, Any], value: Any, where: str = "body") -> list[str]:
    """Where ``value`` breaks ``schema`` (types, enums, maxima, nested properties, allOf)."""
    schema = resolve(SPEC, schema)
    found: list[str] = []
    for part in schema.get("allOf", []):
        found += problems(part, value, where)
    kind = schema.get("type")
    name = where.rsplit(".", 1)[-1]
    if kind in JSON_TYPES and not (name in INTEGER_IDS and isinstance(value, int)):
        wanted = JSON_TYPES[kind]
        if not isinstance(value, wanted) or (kind in ("integer", "number") and isinstance(value, bool)):
            found.append(f"{where}: {value!r} is not {kind}")
            return found
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if "maximum" in schema and isinstance(value, int) and value > schema["maximum"]:
        found.append(f"{where}: {value} over {schema['maximum']}")
    if isinstance(value, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if key in value:
                found += problems(sub, value[key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(schema["items"], item, f"{where}[{index}]")
    return found


def response_schema(path: str, method: str, code: str) -> dict[str, Any]:
    schema: dict[str, Any] = description(SPEC)["paths"][path][method]["responses"][code]["schema"]
    return schema


def request_schema(path: str, method: str) -> dict[str, Any]:
    for parameter in description(SPEC)["paths"][path][method]["parameters"]:
        if parameter.get("in") == "body":
            body: dict[str, Any] = parameter["schema"]
            return body
    raise AssertionError(f"{method} {path} takes no body")


def token(fake: FakeZoom) -> str:
    answer = requests.post(
        f"{fake.base_url}/oauth/token",
        data={"grant_type": "account_credentials", "account_id": ACCOUNT_ID},
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=5,
    )
    assert answer.status_code == 200
    value: str = answer.json()["access_token"]
    return value


def call(fake: FakeZoom, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token(fake)}"}
    return requests.request(method, f"{fake.api_url}{path}", headers=headers, timeout=5, **kwargs)


# -- shapes ------------------------------------------------------------------------------


def test_what_braingain_sends_is_a_meeting_as_the_description_has_it() -> None:
    assert problems(request_schema("/users/{userId}/meetings", "post"), MEETING) == []
    assert problems(request_schema("/meetings/{meetingId}", "patch"), MEETING) == []
    assert problems(request_schema("/users/{userId}/meetings", "post"), {**MEETING, "type": 5}) != []


def test_created_listed_and_read_meetings_have_the_described_shape(fake_zoom: FakeZoom) -> None:
    created = call(fake_zoom, "POST", "/users/me/meetings", json=MEETING)
    assert created.status_code == 201
    assert problems(response_schema("/users/{userId}/meetings", "post", "201"), created.json()) == []
    meeting_id = created.json()["id"]
    assert isinstance(meeting_id, int)
    got = call(fake_zoom, "GET", f"/meetings/{meeting_id}")
    assert problems(response_schema("/meetings/{meetingId}", "get", "200"), got.json()) == []
    assert got.json()["start_time"] == "2027-01-16T14:00:00Z"
    assert got.json()["timezone"] == "Africa/Lagos"
    listed = call(fake_zoom, "GET", "/users/me/meetings", params={"type": "scheduled"})
    assert problems(response_schema("/users/{userId}/meetings", "get", "200"), listed.json()) == []
    assert [m["id"] for m in listed.json()["meetings"]] == [meeting_id]


def test_participants_have_the_described_shape(fake_zoom: FakeZoom) -> None:
    meeting_id = call(fake_zoom, "POST", "/users/me/meetings", json=MEETING).json()["id"]
    uuid = fake_zoom.hold_meeting(meeting_id)
    fake_zoom.add_participant(meeting_id, "Ada", "ada@braingain.test")
    report = call(fake_zoom, "GET", f"/report/meetings/{meeting_id}/participants")
    schema = response_schema("/report/meetings/{meetingId}/participants", "get", "200")
    assert problems(schema, report.json()) == []
    past = call(fake_zoom, "GET", f"/past_meetings/{uuid}/participants")
    assert (
        problems(response_schema("/past_meetings/{meetingUUID}/participants", "get", "200"), past.json())
        == []
    )


def test_a_local_start_time_without_z_is_read_in_the_meetings_zone(fake_zoom: FakeZoom) -> None:
    local = {**MEETING, "start_time": "2027-07-17T15:00:00", "timezone": "Europe/London"}
    created = call(fake_zoom, "POST", "/users/me/meetings", json=local)
    assert created.json()["start_time"] == "2027-07-17T14:00:00Z"


def test_the_list_pages_with_next_page_token_and_upcoming_leaves_out_the_past(
    fake_zoom: FakeZoom, clock: Clock
) -> None:
    for day in range(1, 6):
        fake_zoom.add_meeting({**MEETING, "start_time": f"2027-01-{day:02d}T10:00:00Z"})
    clock.now = clock.now.replace(year=2027, month=1, day=3, hour=12)
    first = call(fake_zoom, "GET", "/users/me/meetings", params={"page_size": 2}).json()
    assert (len(first["meetings"]), first["total_records"]) == (2, 5)
    rest = call(
        fake_zoom,
        "GET",
        "/users/me/meetings",
        params={"page_size": 10, "next_page_token": first["next_page_token"]},
    ).json()
    assert (len(rest["meetings"]), rest["next_page_token"]) == (3, "")
    upcoming = call(fake_zoom, "GET", "/users/me/meetings", params={"type": "upcoming"}).json()
    assert [m["start_time"][:10] for m in upcoming["meetings"]] == ["2027-01-04", "2027-01-05"]


# -- refusals and faults -----------------------------------------------------------------


def test_wrong_credentials_are_refused_as_zoom_refuses_them(fake_zoom: FakeZoom) -> None:
    answer = requests.post(
        f"{fake_zoom.base_url}/oauth/token",
        params={"grant_type": "account_credentials", "account_id": ACCOUNT_ID},
        auth=(CLIENT_ID, "not-the-secret"),
        timeout=5,
    )
    assert answer.status_code == 400
    assert answer.json() == {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}


def test_tokens_last_an_hour_and_can_be_ended_early(fake_zoom: FakeZoom, clock: Clock) -> None:
    headers = {"Authorization": f"Bearer {token(fake_zoom)}"}
    url = f"{fake_zoom.api_url}/users/me/meetings"
    assert requests.get(url, headers=headers, timeout=5).status_code == 200
    clock.advance(3600)
    expired = requests.get(url, headers=headers, timeout=5)
    assert (expired.status_code, expired.json()) == (
        401,
        {"code": 124, "message": "Access token is expired."},
    )
    fresh = {"Authorization": f"Bearer {token(fake_zoom)}"}
    fake_zoom.expire_tokens()
    assert requests.get(url, headers=fresh, timeout=5).json()["code"] == 124
    nothing = requests.get(url, headers={"Authorization": "Bearer None"}, timeout=5)
    assert (nothing.status_code, nothing.json()["message"]) == (401, "Invalid access token.")


def test_the_daily_cap_answers_with_zooms_message_and_headers(fake_zoom: FakeZoom) -> None:
    fake_zoom.daily_limit = 1
    assert call(fake_zoom, "POST", "/users/me/meetings", json=MEETING).status_code == 201
    capped = call(fake_zoom, "POST", "/users/me/meetings", json=MEETING)
    assert capped.status_code == 429
    assert capped.json() == {"code": 429, "message": DAILY_CAP_MESSAGE.format(limit=1)}
    assert capped.headers["X-RateLimit-Type"] == "Daily-limit"
    assert capped.headers["Retry-After"] == "2027-01-11T00:00:00Z"
    assert len(fake_zoom.meetings()) == 1


def test_the_per_second_limit_and_server_errors_come_in_zooms_shape(fake_zoom: FakeZoom) -> None:
    fake_zoom.faults.add("meetings.list", rate_limited(429, retry_after=1))
    limited = call(fake_zoom, "GET", "/users/me/meetings")
    assert (limited.status_code, limited.json()["message"]) == (429, PER_SECOND_MESSAGE)
    assert (limited.headers["X-RateLimit-Type"], limited.headers["Retry-After"]) == ("QPS", "1")
    fake_zoom.faults.add("meetings.list", status(503))
    assert call(fake_zoom, "GET", "/users/me/meetings").json() == {
        "code": 503,
        "message": "Service Unavailable",
    }


def test_a_reset_after_commit_keeps_the_meeting(fake_zoom: FakeZoom) -> None:
    fake_zoom.faults.add("meetings.create", reset_after_commit())
    with pytest.raises(requests.ConnectionError):
        call(fake_zoom, "POST", "/users/me/meetings", json=MEETING)
    assert len(fake_zoom.meetings()) == 1
    assert fake_zoom.count("meetings.create") == 1


def test_a_uuid_zoom_wants_double_encoded_is_not_found_when_encoded_once(fake_zoom: FakeZoom) -> None:
    fake_zoom.hold_meeting(81234567890, "/ab//cd==")
    once = call(fake_zoom, "GET", "/past_meetings/%2Fab%2F%2Fcd%3D%3D/participants")
    twice = call(fake_zoom, "GET", "/past_meetings/%252Fab%252F%252Fcd%253D%253D/participants")
    assert (once.status_code, once.json()["code"]) == (404, 3001)
    assert twice.status_code == 200


def test_the_report_without_its_scope_is_refused_like_zoom(fake_zoom: FakeZoom) -> None:
    fake_zoom.hold_meeting(81234567890)
    fake_zoom.deny_report_scope()
    refused = call(fake_zoom, "GET", "/report/meetings/81234567890/participants")
    assert (refused.status_code, refused.json()["code"]) == (400, 4711)
    assert call(fake_zoom, "GET", "/past_meetings/81234567890/participants").status_code == 200
