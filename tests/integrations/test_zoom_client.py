"""braingain's Zoom client: the real zoomus 1.2.1 components against the loopback fake, each of
zoomus's faults fixed (see braingain.integrations.zoom.client's docstring)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from braingain.integrations.errors import ConfigError, PlatformError
from braingain.integrations.zoom import (
    AGENDA_LIMIT,
    MeetingRequest,
    MeetingSettings,
    ZoomAuthError,
    ZoomCredentials,
    ZoomDailyLimit,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomRefused,
    ZoomUnavailable,
    agenda_with_key,
    human_part,
    key_of,
)
from tests.fakes.framework import rate_limited, reset_after_commit, status, timeout
from tests.fakes.zoom import DAILY_CAP_MESSAGE, PER_SECOND_MESSAGE, FakeZoom
from tests.fakes.zoom_support import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, Clock, zoom_client

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
API_ROUTES = (
    "meetings.create",
    "meetings.list",
    "meetings.get",
    "meetings.update",
    "meetings.delete",
    "report.participants",
    "past_meetings.participants",
)


def request(key: str = "zoom:2027-01-16", start: datetime | None = None, **changes: object) -> MeetingRequest:
    fields: dict[str, object] = {
        "key": key,
        "topic": "Brain Gain meeting",
        "start": start or datetime(2027, 1, 16, 15, 0, tzinfo=ZoneInfo("Africa/Lagos")),
        "duration_minutes": 90,
        "timezone": "Africa/Lagos",
        "agenda": "1. Progress\n2. Authorship",
        "settings": MeetingSettings(),
    }
    fields.update(changes)
    return MeetingRequest(**fields)  # type: ignore[arg-type]


def api_requests(fake: FakeZoom) -> int:
    return sum(fake.count(name) for name in API_ROUTES)


# -- the token --------------------------------------------------------------------------


def test_constructing_the_client_sends_no_request(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    assert fake_zoom.requests == []
    assert client.requests_made == 0


def test_the_token_is_fetched_once_and_reused_while_it_lives(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    client.create_meeting(request())
    client.find_meeting("zoom:2027-01-16")
    token_requests = fake_zoom.requests_to("oauth.token")
    assert len(token_requests) == 1
    assert token_requests[0].body == {"grant_type": "account_credentials", "account_id": "<redacted>"}
    assert client.requests_made == 3


@pytest.mark.parametrize(
    ("credentials", "refused_with"),
    [
        (ZoomCredentials(ACCOUNT_ID, CLIENT_ID, "wrong-secret"), "Invalid client_id or client_secret"),
        (ZoomCredentials(ACCOUNT_ID, "someone-else", CLIENT_SECRET), "Invalid client_id or client_secret"),
        (ZoomCredentials("another-account", CLIENT_ID, CLIENT_SECRET), "Invalid account_id"),
    ],
)
def test_refused_credentials_raise_naming_the_variables_and_never_send_bearer_none(
    fake_zoom: FakeZoom, clock: Clock, credentials: ZoomCredentials, refused_with: str
) -> None:
    client = zoom_client(fake_zoom, clock, credentials=credentials)
    with pytest.raises(ZoomAuthError) as raised:
        client.get_meeting("81234567890")
    text = str(raised.value)
    assert refused_with in text
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"):
        assert name in text
    assert "wrong-secret" not in text
    assert CLIENT_SECRET not in text
    assert api_requests(fake_zoom) == 0  # no API call went out with a token of None
    assert fake_zoom.count("oauth.token") == 1  # a refusal is not retried


def test_the_token_is_replaced_before_its_hour_ends(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    client.get_meeting("1")
    clock.advance(3600 - 299)  # inside the last five minutes
    client.get_meeting("1")
    assert fake_zoom.count("oauth.token") == 2
    assert [r.status for r in fake_zoom.requests_to("meetings.get")] == [404, 404]  # never a 401


def test_a_token_zoom_ended_early_is_replaced_once_and_the_call_goes_through(
    fake_zoom: FakeZoom, clock: Clock
) -> None:
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    fake_zoom.expire_tokens()
    assert client.get_meeting(made.id) == made
    assert fake_zoom.count("oauth.token") == 2
    assert [r.status for r in fake_zoom.requests_to("meetings.get")] == [401, 200]


def test_a_401_after_a_fresh_token_is_an_auth_error_not_a_loop(fake_zoom: FakeZoom, clock: Clock) -> None:
    from tests.fakes.framework import expired_token

    client = zoom_client(fake_zoom, clock)
    fake_zoom.faults.add("meetings.get", expired_token(), times=2)
    with pytest.raises(ZoomAuthError, match="code 124"):
        client.get_meeting("1")
    assert fake_zoom.count("meetings.get") == 2
    assert fake_zoom.count("oauth.token") == 2


def test_a_token_endpoint_that_never_answers_times_out(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock, timeout=0.2, attempts=2)
    fake_zoom.faults.add("oauth.token", timeout(5), times=2)
    started = datetime.now(UTC)
    with pytest.raises(ZoomUnavailable, match="sign in to Zoom"):
        client.get_meeting("1")
    assert fake_zoom.count("oauth.token") == 2
    assert datetime.now(UTC) - started < timedelta(seconds=4)  # 0.2 s a try, not the fake's 5 s hold


# -- times, settings and the key ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "zone", "sent"),
    [
        (
            datetime(2027, 1, 16, 15, 0, tzinfo=ZoneInfo("Africa/Lagos")),
            "Africa/Lagos",
            "2027-01-16T14:00:00Z",
        ),
        (datetime(2027, 7, 17, 15, 0, tzinfo=LONDON), "Europe/London", "2027-07-17T14:00:00Z"),
        # The weeks when North America has moved its clocks and the UK has not.
        (datetime(2027, 3, 20, 10, 0, tzinfo=NEW_YORK), "America/New_York", "2027-03-20T14:00:00Z"),
        (datetime(2027, 3, 20, 14, 0, tzinfo=UTC), "Europe/London", "2027-03-20T14:00:00Z"),
    ],
)
def test_start_time_goes_out_as_the_same_instant_in_utc_with_the_zone(
    fake_zoom: FakeZoom, clock: Clock, start: datetime, zone: str, sent: str
) -> None:
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request(start=start, timezone=zone))
    body = fake_zoom.requests_to("meetings.create")[0].body
    assert body["start_time"] == sent
    assert body["timezone"] == zone
    assert made.start == start
    assert made.start.tzinfo == UTC
    assert made.timezone == zone


def test_a_naive_start_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        request(start=datetime(2027, 1, 16, 15, 0))
    with pytest.raises(ValueError, match="not an IANA time zone"):
        request(timezone="GMT+1 Lagos")


def test_settings_default_to_muted_on_entry_and_a_waiting_room(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    settings = fake_zoom.meetings()[0]["settings"]
    assert settings["mute_upon_entry"] is True
    assert settings["waiting_room"] is True
    assert settings["join_before_host"] is False
    assert fake_zoom.meetings()[0]["type"] == 2  # a one-off scheduled meeting, not a series
    assert made.join_url.startswith("https://zoom.us/j/")
    assert made.key == "zoom:2027-01-16"
    assert made.agenda == "1. Progress\n2. Authorship"


def test_the_key_line_survives_an_agenda_longer_than_zoom_keeps() -> None:
    key = "zoom:2027-01-16"
    long = "x" * 5000
    agenda = agenda_with_key(long, key)
    assert len(agenda) == AGENDA_LIMIT
    assert agenda.endswith("\nbraingain key: zoom:2027-01-16")
    assert key_of(agenda) == key
    assert human_part(agenda).endswith("…")
    assert agenda_with_key(human_part(agenda), key) == agenda  # trimming is stable: no update every sync
    assert agenda_with_key("", key) == "braingain key: zoom:2027-01-16"
    assert key_of("an agenda someone typed") is None
    assert key_of("braingain key: zoom:2027-01-16\nthen more text") is None  # only the last line counts


def test_a_long_agenda_is_accepted_by_zoom_with_its_key(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    client.create_meeting(request(agenda="y" * 3000))
    assert client.find_meeting("zoom:2027-01-16") is not None


# -- create, read, update, delete, find --------------------------------------------------


def test_update_moves_the_meeting_and_get_reads_it_back(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    moved = datetime(2027, 1, 23, 16, 30, tzinfo=ZoneInfo("Africa/Lagos"))
    client.update_meeting(made.id, request(start=moved, duration_minutes=60, agenda="New agenda"))
    got = client.get_meeting(made.id)
    assert got is not None
    assert (got.start, got.duration_minutes, got.agenda) == (moved, 60, "New agenda")
    assert fake_zoom.requests_to("meetings.update")[0].body["start_time"] == "2027-01-23T15:30:00Z"


def test_delete_says_whether_the_meeting_was_still_there(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    assert client.delete_meeting(made.id) is True
    assert client.delete_meeting(made.id) is False
    assert client.get_meeting(made.id) is None
    with pytest.raises(ZoomNotFound, match="3001"):
        client.update_meeting(made.id, request())


def test_find_reads_every_page_and_ignores_meetings_braingain_did_not_make(
    fake_zoom: FakeZoom, clock: Clock
) -> None:
    for number in range(320):
        fake_zoom.add_meeting(
            {"topic": f"other {number}", "start_time": "2027-02-01T10:00:00Z", "agenda": f"by hand {number}"}
        )
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request(key="zoom:2027-03-06"))
    fake_zoom.reset_counts()
    assert client.find_meeting("zoom:2027-03-06") == made
    assert client.find_meeting("zoom:2027-03-13") is None
    assert fake_zoom.count("meetings.list") == 4  # two pages, twice


def test_a_meeting_whose_agenda_zoom_lists_cut_short_is_still_found_by_its_key(
    fake_zoom: FakeZoom, clock: Clock
) -> None:
    # Zoom lists at most 250 characters of each agenda; the key is the agenda's last line.
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request(agenda="1. A long progress report. " * 20))
    fake_zoom.add_meeting({"topic": "by hand", "start_time": "2027-02-01T10:00:00Z", "agenda": "x" * 900})
    assert client.find_meeting("zoom:2027-01-16") == made


def test_a_reset_after_zoom_made_the_meeting_never_makes_a_second(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    fake_zoom.faults.add("meetings.create", reset_after_commit())
    made = client.create_meeting(request())
    assert len(fake_zoom.meetings()) == 1
    assert made.id == str(fake_zoom.meetings()[0]["id"])
    assert fake_zoom.count("meetings.create") == 1


def test_a_5xx_on_create_is_tried_again_after_looking_for_the_meeting(
    fake_zoom: FakeZoom, clock: Clock
) -> None:
    client = zoom_client(fake_zoom, clock)
    fake_zoom.faults.add("meetings.create", status(502))
    client.create_meeting(request())
    assert len(fake_zoom.meetings()) == 1
    assert fake_zoom.count("meetings.create") == 2
    assert fake_zoom.count("meetings.list") == 1


# -- limits and faults -------------------------------------------------------------------


def test_the_daily_cap_stops_until_midnight_gmt_without_retrying(fake_zoom: FakeZoom, clock: Clock) -> None:
    fake_zoom.daily_limit = 2
    client = zoom_client(fake_zoom, clock)
    first = client.create_meeting(request(key="zoom:a"))
    client.update_meeting(first.id, request(key="zoom:a", duration_minutes=30))
    with pytest.raises(ZoomDailyLimit) as raised:
        client.create_meeting(request(key="zoom:b"))
    assert raised.value.until == datetime(2027, 1, 11, 0, 0, tzinfo=UTC)
    assert "daily" in str(raised.value)
    assert "2027-01-11 00:00 GMT" in str(raised.value)
    assert fake_zoom.count("meetings.create") == 2
    assert clock.sleeps == [] or max(clock.sleeps) <= 0.1  # no back-off: only the pacing


def test_the_injected_daily_cap_answer_is_recognised_on_update(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    fake_zoom.faults.add("meetings.update", fake_zoom.daily_cap())
    with pytest.raises(ZoomDailyLimit):
        client.update_meeting(made.id, request(duration_minutes=30))
    assert fake_zoom.count("meetings.update") == 1


@pytest.mark.parametrize(
    ("headers", "message", "daily"),
    [
        # Zoom's words alone name the daily cap (a proxy may drop the header)
        ({}, DAILY_CAP_MESSAGE.format(limit=100), True),
        # Zoom's header alone names it (the words vary by endpoint and over time)
        ({"X-RateLimit-Type": "Daily-limit"}, "Too many requests.", True),
        # neither: the per-second limit, retried
        ({"X-RateLimit-Type": "QPS"}, PER_SECOND_MESSAGE, False),
        ({}, "Too many requests.", False),
    ],
)
def test_a_429_is_the_daily_cap_when_zooms_header_or_its_words_say_so_and_only_then(
    fake_zoom: FakeZoom, clock: Clock, headers: dict[str, str], message: str, daily: bool
) -> None:
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    body = json.dumps({"code": 429, "message": message})
    fake_zoom.faults.add("meetings.update", status(429, body=body, headers=headers))
    if daily:
        with pytest.raises(ZoomDailyLimit, match="00:00 GMT"):
            client.update_meeting(made.id, request(duration_minutes=30))
        assert fake_zoom.count("meetings.update") == 1  # never retried
    else:
        client.update_meeting(made.id, request(duration_minutes=30))
        assert fake_zoom.count("meetings.update") == 2  # retried once, then through


def test_the_per_second_limit_is_retried_after_the_wait_zoom_asks(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    fake_zoom.faults.add("meetings.get", rate_limited(429, retry_after=3))
    assert client.get_meeting("1") is None
    assert 3 in clock.sleeps
    assert fake_zoom.count("meetings.get") == 2


def test_a_per_second_limit_that_persists_is_a_rate_limit_error(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock, attempts=3)
    fake_zoom.faults.add("meetings.get", rate_limited(429), times=3)
    with pytest.raises(ZoomRateLimited, match="3 times"):
        client.get_meeting("1")


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_are_retried_then_reported_as_unavailable(
    fake_zoom: FakeZoom, clock: Clock, code: int
) -> None:
    client = zoom_client(fake_zoom, clock, attempts=3)
    fake_zoom.faults.add("meetings.get", status(code))
    assert client.get_meeting("1") is None
    fake_zoom.faults.add("meetings.get", status(code), times=3)
    with pytest.raises(ZoomUnavailable, match=f"HTTP {code}"):
        client.get_meeting("1")
    assert isinstance(ZoomUnavailable("x"), PlatformError)


def test_a_refusal_carries_zooms_code_and_message(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    with pytest.raises(ZoomRefused) as raised:
        client.create_meeting(request(topic="t" * 201))
    assert (raised.value.status, raised.value.code) == (400, 300)
    assert "Validation Failed" in str(raised.value)
    assert fake_zoom.count("meetings.create") == 1


def test_requests_are_paced_under_zooms_per_second_limit(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    for _ in range(5):
        client.get_meeting("1")
    gets = len(fake_zoom.requests_to("meetings.get"))
    assert gets == 5
    assert len(clock.sleeps) == 4  # the clock stands still: every request after the first waits
    assert all(abs(s - 0.1) < 1e-9 for s in clock.sleeps)


def test_the_client_timeout_reaches_every_component_unrounded(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock, timeout=0.3, attempts=1)
    assert client.timeouts == (0.3, 0.3, 0.3)  # zoomus would send its own 15 s, or int(0.3) = 0
    client.get_meeting("1")  # the token first
    fake_zoom.faults.add("meetings.get", timeout(5))
    started = datetime.now(UTC)
    with pytest.raises(ZoomUnavailable, match=r"did not answer in time|timed out"):
        client.get_meeting("1")
    assert datetime.now(UTC) - started < timedelta(seconds=3)


# -- attendance --------------------------------------------------------------------------


def held(fake: FakeZoom, meeting_id: str, people: int, uuid: str | None = None) -> str:
    given = fake.hold_meeting(meeting_id, uuid)
    start = datetime(2027, 1, 16, 14, 0, tzinfo=UTC)
    for number in range(people):
        fake.add_participant(
            meeting_id,
            f"Member {number}",
            f"member{number}@braingain.test" if number % 2 == 0 else "",
            start,
            start + timedelta(minutes=80),
        )
    return given


def test_participants_come_from_the_report_with_every_page(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    held(fake_zoom, made.id, 301)
    people = client.participants(made.id)
    assert len(people) == 301
    assert fake_zoom.count("report.participants") == 2
    assert fake_zoom.count("past_meetings.participants") == 0
    first, second = people[0], people[1]
    assert (first.name, first.email, first.duration_seconds) == ("Member 0", "member0@braingain.test", 4800)
    assert first.join == datetime(2027, 1, 16, 14, 0, tzinfo=UTC)
    assert second.email is None


def test_without_the_report_scope_participants_come_from_past_meetings(
    fake_zoom: FakeZoom, clock: Clock
) -> None:
    fake_zoom.deny_report_scope()
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    held(fake_zoom, made.id, 3)
    assert [p.name for p in client.participants(made.id)] == ["Member 0", "Member 1", "Member 2"]
    assert fake_zoom.count("report.participants") == 1
    assert fake_zoom.count("past_meetings.participants") == 1


@pytest.mark.parametrize("uuid", ["/aBc9Lq==", "ab//Cd3e==", "plainUuid4Q=="])
@pytest.mark.parametrize("report", [True, False])
def test_a_meeting_uuid_that_zoom_wants_double_encoded_is_found(
    fake_zoom: FakeZoom, clock: Clock, uuid: str, report: bool
) -> None:
    if not report:
        fake_zoom.deny_report_scope()
    client = zoom_client(fake_zoom, clock)
    made = client.create_meeting(request())
    held(fake_zoom, made.id, 2, uuid=uuid)
    assert len(client.participants(uuid)) == 2


def test_participants_of_a_meeting_never_held_is_not_found(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    with pytest.raises(ZoomNotFound):
        client.participants("81234567890")


def test_errors_never_carry_an_email_or_the_secret(fake_zoom: FakeZoom, clock: Clock) -> None:
    client = zoom_client(fake_zoom, clock)
    body = '{"code": 3001, "message": "Meeting does not exist for member0@braingain.test."}'
    fake_zoom.faults.add("meetings.update", status(404, body=body))
    with pytest.raises(ZoomNotFound) as raised:
        client.update_meeting("1", request())
    assert "@" not in str(raised.value)
    assert CLIENT_SECRET not in repr(client) + repr(CLIENT_ID)


# -- credentials -------------------------------------------------------------------------


def test_credentials_come_from_the_three_variables_or_not_at_all() -> None:
    env = {"ZOOM_ACCOUNT_ID": "a", "ZOOM_CLIENT_ID": "c", "ZOOM_CLIENT_SECRET": "s3cret"}
    credentials = ZoomCredentials.from_environment(env)
    assert credentials == ZoomCredentials("a", "c", "s3cret")
    assert "s3cret" not in repr(credentials)
    assert ZoomCredentials.from_environment({}) is None
    assert ZoomCredentials.from_environment({"ZOOM_CLIENT_ID": "  "}) is None


def test_half_set_credentials_name_what_is_missing() -> None:
    with pytest.raises(ConfigError) as raised:
        ZoomCredentials.from_environment({"ZOOM_CLIENT_ID": "c", "ZOOM_CLIENT_SECRET": "s3cret"})
    assert "ZOOM_ACCOUNT_ID" in str(raised.value)
    assert "s3cret" not in str(raised.value)
