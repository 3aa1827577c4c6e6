"""The Zoom webhook: signed requests only, fresh and once; Zoom's URL check; a meeting's end."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.integrations.zoom.webhook import ReplayGuard, WebhookResponse, handle

SECRET = "s3cret-token"
NOW = datetime(2027, 1, 16, 15, 31, tzinfo=UTC)
ENDED = {
    "event": "meeting.ended",
    "event_ts": 1_800_000_000_000,
    "payload": {
        "account_id": "AAAA",
        "object": {
            "id": "85746065432",
            "uuid": "4444AAAiAAAAAiAiAiiAii==",
            "host_id": "x1yCzABCDEfg23HiJKl4mN",
            "topic": "Monthly meeting",
            "type": 2,
            "start_time": "2027-01-16T14:00:00Z",
            "end_time": "2027-01-16T15:30:00Z",
            "duration": 90,
            "timezone": "Europe/London",
        },
    },
}


def zoom_signs(body: bytes, at: datetime = NOW, secret: str = SECRET) -> dict[str, str]:
    """The headers Zoom sends, computed here independently of the module under test."""
    stamp = str(int(at.timestamp()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"x-zm-signature": f"v0={digest}", "x-zm-request-timestamp": stamp}


class Ended:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, meeting_id: str, uuid: str) -> None:
        self.calls.append((meeting_id, uuid))


def send(
    body: bytes,
    headers: dict[str, str] | None = None,
    *,
    guard: ReplayGuard | None = None,
    ended: Ended | None = None,
    now: datetime = NOW,
) -> WebhookResponse:
    return handle(
        zoom_signs(body) if headers is None else headers,
        body,
        secret_token=SECRET,
        now=now,
        seen=guard or ReplayGuard(),
        on_meeting_ended=ended or Ended(),
    )


def raw(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()


def test_a_signed_meeting_ended_event_reports_the_meeting_id_and_uuid() -> None:
    ended = Ended()
    answer = send(raw(ENDED), ended=ended)
    assert answer == WebhookResponse(200, {"status": "accepted"})
    assert ended.calls == [("85746065432", "4444AAAiAAAAAiAiAiiAii==")]


def test_an_older_event_with_a_numeric_meeting_id_reports_it_as_text() -> None:
    event = json.loads(raw(ENDED))
    event["payload"]["object"]["id"] = 85746065432
    ended = Ended()
    assert send(raw(event), ended=ended).status == 200
    assert ended.calls == [("85746065432", "4444AAAiAAAAAiAiAiiAii==")]


def test_the_url_check_is_answered_with_the_token_signed_by_the_secret() -> None:
    body = raw({"event": "endpoint.url_validation", "event_ts": 1, "payload": {"plainToken": "qgg8vlvZ"}})
    answer = send(body)
    expected = hmac.new(SECRET.encode(), b"qgg8vlvZ", hashlib.sha256).hexdigest()
    assert answer == WebhookResponse(200, {"plainToken": "qgg8vlvZ", "encryptedToken": expected})


def test_headers_are_read_whatever_their_case() -> None:
    body = raw(ENDED)
    shouted = {key.upper(): value for key, value in zoom_signs(body).items()}
    assert send(body, shouted).status == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-zm-request-timestamp": str(int(NOW.timestamp()))},
        {"x-zm-signature": "v0=00"},
    ],
    ids=["no headers", "no signature", "no timestamp"],
)
def test_an_unsigned_request_is_refused_and_nothing_happens(headers: dict[str, str]) -> None:
    ended = Ended()
    assert send(raw(ENDED), headers, ended=ended).status == 401
    assert ended.calls == []


def test_a_request_signed_with_another_secret_is_refused() -> None:
    ended = Ended()
    body = raw(ENDED)
    assert send(body, zoom_signs(body, secret="not-ours"), ended=ended).status == 401
    assert ended.calls == []


def test_a_body_changed_after_signing_is_refused() -> None:
    body = raw(ENDED)
    headers = zoom_signs(body)
    forged = body.replace(b"85746065432", b"85746065433")
    ended = Ended()
    assert send(forged, headers, ended=ended).status == 401
    assert ended.calls == []


def test_a_signature_for_another_timestamp_is_refused() -> None:
    body = raw(ENDED)
    headers = zoom_signs(body)
    headers["x-zm-request-timestamp"] = str(int(NOW.timestamp()) + 1)
    assert send(body, headers).status == 401


@given(seconds=st.integers(min_value=-300, max_value=300))
def test_a_timestamp_within_five_minutes_either_way_is_accepted(seconds: int) -> None:
    body = raw(ENDED)
    assert send(body, zoom_signs(body, NOW + timedelta(seconds=seconds))).status == 200


@pytest.mark.parametrize("seconds", [-301, 301, -86_400, 86_400 * 365])
def test_a_stale_or_future_timestamp_is_refused_even_when_signed(seconds: int) -> None:
    body = raw(ENDED)
    ended = Ended()
    assert send(body, zoom_signs(body, NOW + timedelta(seconds=seconds)), ended=ended).status == 401
    assert ended.calls == []


def test_a_replayed_request_is_refused_and_the_meeting_is_reported_once() -> None:
    guard, ended = ReplayGuard(), Ended()
    body = raw(ENDED)
    headers = zoom_signs(body)
    assert send(body, headers, guard=guard, ended=ended).status == 200
    assert send(body, headers, guard=guard, ended=ended, now=NOW + timedelta(minutes=4)).status == 401
    assert ended.calls == [("85746065432", "4444AAAiAAAAAiAiAiiAii==")]


def test_a_request_dated_ahead_is_refused_when_replayed_for_as_long_as_its_timestamp_is_accepted() -> None:
    guard, ended = ReplayGuard(), Ended()
    body = raw(ENDED)
    headers = zoom_signs(body, NOW + timedelta(minutes=4))  # a sender's clock four minutes fast
    assert send(body, headers, guard=guard, ended=ended).status == 200
    # Six minutes on, its timestamp is two minutes old: still fresh, so it must still be known.
    assert send(body, headers, guard=guard, ended=ended, now=NOW + timedelta(minutes=6)).status == 401
    assert len(ended.calls) == 1


def test_zoom_sending_the_event_again_newly_signed_is_accepted() -> None:
    guard, ended = ReplayGuard(), Ended()
    body = raw(ENDED)
    send(body, guard=guard, ended=ended)
    later = NOW + timedelta(seconds=30)
    assert send(body, zoom_signs(body, later), guard=guard, ended=ended, now=later).status == 200
    assert len(ended.calls) == 2


def test_the_guard_forgets_signatures_older_than_the_window() -> None:
    guard = ReplayGuard()
    assert guard.first_time("v0=aa", NOW)
    assert guard.first_time("v0=bb", NOW + timedelta(minutes=6))
    assert guard._seen.keys() == {"v0=bb"}


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'"meeting.ended"',
        b'{"event": "meeting.ended"}',
        raw({"event": "meeting.ended", "payload": {}}),
        raw({"event": "meeting.ended", "payload": {"object": {"id": "857"}}}),
        raw({"event": "meeting.ended", "payload": {"object": {"uuid": "abc=="}}}),
        raw({"event": "meeting.ended", "payload": {"object": {"id": "85 7", "uuid": "abc=="}}}),
        raw({"event": "meeting.ended", "payload": {"object": {"id": "٨٥٧", "uuid": "abc=="}}}),
        raw({"event": "meeting.ended", "payload": {"object": {"id": True, "uuid": "abc=="}}}),
        raw({"event": "meeting.ended", "payload": {"object": {"id": -5, "uuid": "abc=="}}}),
        raw({"event": "meeting.ended", "payload": {"object": {"id": "857", "uuid": ""}}}),
        raw({"event": "endpoint.url_validation", "payload": {}}),
        raw({"event": "endpoint.url_validation", "payload": {"plainToken": 5}}),
        raw({"payload": {"object": {}}}),
    ],
)
def test_a_signed_but_malformed_request_is_refused_as_bad_and_nothing_happens(body: bytes) -> None:
    ended = Ended()
    answer = send(body, ended=ended)
    assert answer.status == 400
    assert ended.calls == []


@pytest.mark.parametrize("stamp", ["soon", "1.8e9", " 1800000000", "+1800000000", "١٨٠٠", "9" * 40])
def test_a_signed_timestamp_that_is_not_unix_seconds_is_refused_as_bad(stamp: str) -> None:
    body = raw(ENDED)
    digest = hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {"x-zm-signature": f"v0={digest}", "x-zm-request-timestamp": stamp}
    assert send(body, headers).status == 400


def test_another_event_is_acknowledged_and_ignored() -> None:
    ended = Ended()
    body = raw({"event": "meeting.started", "payload": {"object": {"id": "857", "uuid": "a=="}}})
    assert send(body, ended=ended) == WebhookResponse(200, {"status": "ignored"})
    assert ended.calls == []


def test_no_answer_echoes_the_secret_or_a_signature() -> None:
    body = raw(ENDED)
    headers = zoom_signs(body)
    answers = [send(body, headers), send(body, {**headers, "x-zm-signature": "v0=ab"}), send(b"x")]
    for answer in answers:
        text = json.dumps(answer.body)
        assert SECRET not in text
        assert headers["x-zm-signature"][3:] not in text


def test_a_handler_without_a_secret_or_an_aware_time_is_a_programming_error() -> None:
    body = raw(ENDED)
    with pytest.raises(ValueError, match="secret"):
        handle(zoom_signs(body), body, secret_token="", now=NOW, seen=ReplayGuard(), on_meeting_ended=Ended())
    with pytest.raises(ValueError, match="aware"):
        handle(
            zoom_signs(body),
            body,
            secret_token=SECRET,
            now=NOW.replace(tzinfo=None),
            seen=ReplayGuard(),
            on_meeting_ended=Ended(),
        )
