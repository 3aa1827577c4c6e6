"""`braingain serve` in Socket Mode end to end: the app's real SocketModeHandler (slack_bolt over
slack_sdk's built-in client) connects to the fake's loopback Socket Mode endpoint, acks Slack's
envelopes, writes the sample group's local workbook, answers on the fake, and stops cleanly."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
import requests

from braingain.integrations import server
from braingain.integrations.slack import app as slack_app
from tests.fakes.slack import APP_TOKEN, FakeSlack
from tests.fakes.slack_socket import SocketMode
from tests.integrations.serve_support import (
    HEAD,
    IN_PROGRESS,
    MEMBER,
    OPEN_TASK,
    Served,
    add_members,
    eventually,
    offers,
    pressed,
    row_of,
    rows,
    serve_group,
    syncs_after,
)


def serve_over_socket(folder: Path, fake: FakeSlack) -> Generator[Served, None, None]:
    """:func:`serve_group` as a group sets Socket Mode up: the app-level token, no signing secret."""
    assert (server.APP_TOKEN, server.SIGNING_SECRET) == ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
    return serve_group(folder, fake, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET="")


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[Served, SocketMode]]:
    """One server in Socket Mode for the tests that each touch their own rows (its first sync, the
    slow part, made once): the sample group, its Slack on a fake of its own."""
    with FakeSlack() as fake:
        add_members(fake)
        endpoint = fake.socket_mode()
        with tempfile.TemporaryDirectory() as folder:
            for served in serve_over_socket(Path(folder) / "group", fake):
                yield served, endpoint
    fake.check()


@pytest.fixture
def served(shared: tuple[Served, SocketMode]) -> Served:
    return shared[0]


@pytest.fixture
def endpoint(shared: tuple[Served, SocketMode]) -> SocketMode:
    return shared[1]


@pytest.fixture
def own_endpoint(fake_slack: FakeSlack) -> SocketMode:
    add_members(fake_slack)
    return fake_slack.socket_mode()


@pytest.fixture
def own_served(tmp_path: Path, fake_slack: FakeSlack, own_endpoint: SocketMode) -> Iterator[Served]:
    """A server of the test's own (its connections are the test's to count and end)."""
    yield from serve_over_socket(tmp_path / "group", fake_slack)


def command(served: Served, endpoint: SocketMode, user: str, text: str) -> tuple[dict[str, object], str]:
    """``/braingain text`` from ``user`` over the socket: the app's ack and the command's response_url."""
    payload = served.command_payload(user, text)
    ack = endpoint.push("slash_commands", payload, accepts_response_payload=True)
    return ack, payload["response_url"]


def test_with_an_app_token_serve_connects_over_socket_mode_and_is_greeted(
    served: Served, endpoint: SocketMode
) -> None:
    assert served.serving.mode == "socket"
    connection = endpoint.connected()
    assert served.fake.count("apps.connections.open") == 1
    assert connection.received == []  # nothing to say before an envelope comes
    # Slack's events do not come over HTTP in Socket Mode
    answer = requests.post(served.url + server.SLACK_PATH, data=b"{}", timeout=5)
    assert answer.status_code == 404


def test_volunteer_over_the_socket_is_acked_writes_the_offer_and_answers_on_the_response_url(
    served: Served, endpoint: SocketMode
) -> None:
    synced = len(served.synced)
    ack, url = command(served, endpoint, MEMBER, f"volunteer {OPEN_TASK} I did the last review")
    assert set(ack) == {"envelope_id"}  # acked at once; the answer goes to the response_url
    assert served.reply(url).startswith(":white_check_mark:")
    assert offers(served, OPEN_TASK) == 1
    syncs_after(served, synced)


def test_a_members_accept_over_the_socket_is_refused_as_for_leaders_and_writes_nothing(
    served: Served, endpoint: SocketMode
) -> None:
    synced = len(served.synced)
    _, url = command(served, endpoint, HEAD, f"submit {IN_PROGRESS}")
    assert served.reply(url).startswith(":white_check_mark:")
    syncs_after(served, synced)  # the sync the submission asked for, done before the tracker is read
    served.serving.syncer.finished()
    before = rows(served, "tasks")
    ack, url = command(served, endpoint, MEMBER, f"accept {IN_PROGRESS}")
    assert set(ack) == {"envelope_id"}
    said = served.reply(url)
    assert said.startswith(":no_entry:")
    assert "leader" in said.lower()
    assert rows(served, "tasks") == before
    assert row_of(served, "tasks", IN_PROGRESS)["Status"] == "submitted"


def test_app_home_opened_over_the_socket_publishes_the_home_tab(served: Served, endpoint: SocketMode) -> None:
    event = served.event_payload({"type": "app_home_opened", "user": HEAD, "tab": "home"})
    ack = endpoint.push("events_api", event, accepts_response_payload=False)
    assert set(ack) == {"envelope_id"}
    view = eventually(lambda: served.fake.home_views().get(HEAD) or {})
    assert "Your points" in str(view["blocks"])


def test_a_button_over_the_socket_is_acked_and_records_the_offer(
    served: Served, endpoint: SocketMode
) -> None:
    payload = pressed(served, HEAD, slack_app.VOLUNTEER, OPEN_TASK)
    ack = endpoint.push("interactive", payload, accepts_response_payload=False)
    assert set(ack) == {"envelope_id"}
    assert served.reply(payload["response_url"]).startswith(":white_check_mark:")
    assert offers(served, OPEN_TASK, member="amara.okorafor") == 1  # not Osas: the server is shared


def test_slacks_disconnect_notice_makes_serve_open_a_new_connection_and_go_on(
    own_served: Served, own_endpoint: SocketMode
) -> None:
    served, endpoint = own_served, own_endpoint
    first = endpoint.connected()
    endpoint.disconnect("refresh_requested")
    second = endpoint.connected(count=2)
    assert second is not first
    assert served.fake.count("apps.connections.open") == 2
    eventually(lambda: first.close_code is not None)  # the old one is dropped by the app
    _, url = command(served, endpoint, MEMBER, f"volunteer {OPEN_TASK}")
    assert served.reply(url).startswith(":white_check_mark:")
    assert second.received
    assert not first.received


def test_stopping_serve_closes_the_socket_from_the_apps_side_and_leaves_no_thread(
    tmp_path: Path, fake_slack: FakeSlack, own_endpoint: SocketMode
) -> None:
    endpoint = own_endpoint
    before = set(threading.enumerate())
    serving = serve_over_socket(tmp_path / "group", fake_slack)
    served = next(serving)
    _, url = command(served, endpoint, MEMBER, f"volunteer {OPEN_TASK}")
    served.reply(url)
    serving.close()  # serve_group's end: Server.stop()
    connections = endpoint.closed()  # by the app: the fake is still up and keeps it open otherwise
    assert len(connections) == 1
    assert endpoint.open_connections() == []
    left = [t.name for t in threading.enumerate() if t not in before and t.is_alive()]
    assert left == []
