"""`braingain serve`: the timed sync (one line each, never two at once), the web server's routes,
Socket Mode, and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from braingain.integrations import compose, server, text
from braingain.integrations.errors import SyncBusy
from braingain.integrations.zoom.webhook import signature_of
from tests.fakes.slack import FakeSlack
from tests.integrations.platform_support import NOON, group_folder
from tests.integrations.serve_support import Served, eventually, serve_group

ZOOM_SECRET = "fake-zoom-webhook-secret-token"


# -- the timed sync -----------------------------------------------------------------------------


def test_the_timed_sync_runs_at_once_then_every_interval_and_logs_one_line_each(tmp_path: Path) -> None:
    config = group_folder(tmp_path)
    lines: list[str] = []
    syncer = server.Syncer(
        lambda ended: compose.run_sync(config, apply=True, at=NOON, platforms=compose.platform_setup(config)),
        lines.append,
        interval=0.2,
    )
    loop = threading.Thread(target=syncer.loop)
    loop.start()
    try:
        eventually(lambda: len(lines) >= 3)
    finally:
        syncer.stop()
        loop.join()
    assert all(line.startswith("sync: ") for line in lines)
    assert lines[-1] == "sync: nothing to change"  # the sample group, synced once, has nothing more to write
    assert not any("@" in line for line in lines)


def test_a_request_brings_the_next_sync_forward(tmp_path: Path) -> None:
    ran: list[frozenset[str]] = []
    outcome = _outcome(tmp_path)

    def run(ended: frozenset[str]) -> compose.SyncOutcome:
        ran.append(ended)
        return outcome

    syncer = server.Syncer(run, lambda _: None, interval=3600, soon=0.05)
    loop = threading.Thread(target=syncer.loop)
    loop.start()
    try:
        eventually(lambda: len(ran) == 1)
        syncer.request(ended="81234567890")
        eventually(lambda: len(ran) == 2)
    finally:
        syncer.stop()
        loop.join()
    assert ran == [frozenset(), frozenset({"81234567890"})]


def _outcome(folder: Path) -> compose.SyncOutcome:
    config = group_folder(folder)
    return compose.run_sync(
        config, apply=False, at=NOON, platforms=compose.platform_setup(config, strict=False)
    )


def test_two_syncs_never_run_at_once_in_one_process(tmp_path: Path) -> None:
    outcome = _outcome(tmp_path)
    running, most = [0], [0]
    guard = threading.Lock()

    def run(_: frozenset[str]) -> compose.SyncOutcome:
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with guard:
            running[0] -= 1
        return outcome

    syncer = server.Syncer(run, lambda _: None, interval=3600)
    threads = [threading.Thread(target=syncer.sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


def test_a_sync_that_cannot_run_logs_why_and_the_next_one_tries_again(tmp_path: Path) -> None:
    lines: list[str] = []
    outcome = _outcome(tmp_path)
    answers: list[Exception | compose.SyncOutcome] = [
        SyncBusy("the tracker", "another sync is running", hint="wait"),
        outcome,
    ]

    def run(_: frozenset[str]) -> compose.SyncOutcome:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    syncer = server.Syncer(run, lines.append, interval=3600)
    syncer.request(ended="81234567890")
    syncer.sync()
    assert len(lines) == 1
    assert lines[0].startswith("sync: not done (")
    assert lines[0].endswith("the next sync tries again")
    syncer.sync()
    assert len(lines) == 2
    assert lines[1].startswith("sync: ")


def test_a_bug_in_a_sync_is_logged_by_its_kind_and_serving_goes_on(tmp_path: Path) -> None:
    lines: list[str] = []

    def run(_: frozenset[str]) -> compose.SyncOutcome:
        raise KeyError("someone@example.org")

    server.Syncer(run, lines.append, interval=3600).sync()
    assert lines == [text.serve_sync_bug("KeyError")]


# -- the web server -----------------------------------------------------------------------------


@pytest.fixture
def without_slack(tmp_path: Path) -> Iterator[Served]:
    yield from serve_group(tmp_path / "group", None, ZOOM_WEBHOOK_SECRET_TOKEN=ZOOM_SECRET)


def test_without_slack_tokens_serve_syncs_answers_zoom_and_says_slack_is_not_set_up(
    without_slack: Served,
) -> None:
    assert text.SERVE_SLACK_OFF in without_slack.lines
    assert without_slack.serving.mode == ""
    health = requests.get(without_slack.url + server.HEALTH_PATH, timeout=5)
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert requests.post(without_slack.url + server.SLACK_PATH, data=b"{}", timeout=5).status_code == 404


def _zoom_event(served: Served, body: bytes, at: float | None = None) -> requests.Response:
    stamp = str(int(time.time() if at is None else at))
    headers = {
        "x-zm-request-timestamp": stamp,
        "x-zm-signature": signature_of(ZOOM_SECRET, stamp, body),
        "Content-Type": "application/json",
    }
    return requests.post(served.url + server.ZOOM_PATH, data=body, headers=headers, timeout=5)


def test_a_meetings_end_from_zoom_asks_for_a_sync_that_imports_its_attendance(tmp_path: Path) -> None:
    for served in serve_group(
        tmp_path / "group", None, at=compose.now, ZOOM_WEBHOOK_SECRET_TOKEN=ZOOM_SECRET
    ):
        body = json.dumps(
            {"event": "meeting.ended", "payload": {"object": {"id": "81234567890", "uuid": "abc=="}}}
        ).encode()
        answer = _zoom_event(served, body)
        assert (answer.status_code, answer.json()) == (200, {"status": "accepted"})
        eventually(lambda: frozenset({"81234567890"}) in served.synced)  # noqa: B023 (used at once)
        assert _zoom_event(served, body).status_code in (200, 401)  # a new second: signed anew, or a replay
        replayed = requests.post(
            served.url + server.ZOOM_PATH,
            data=body,
            headers={"x-zm-request-timestamp": "1", "x-zm-signature": "v0=forged"},
            timeout=5,
        )
        assert replayed.status_code == 401


def test_zooms_url_check_is_answered_on_the_zoom_route(without_slack: Served) -> None:
    body = json.dumps({"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}}).encode()
    answer = _zoom_event(
        without_slack, body, at=NOON.timestamp()
    )  # the server's clock: noon on the sample's day
    assert answer.status_code == 200
    assert answer.json()["plainToken"] == "abc"


def test_slack_events_in_http_mode_are_served_at_slack_events(tmp_path: Path, fake_slack: FakeSlack) -> None:
    for served in serve_group(tmp_path / "group", fake_slack):
        assert served.serving.mode == "http"
        eventually(lambda: any(line.startswith("sync: ") for line in served.lines))  # noqa: B023


# -- the command --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sigterm_stops_braingain_serve_cleanly_while_idle(tmp_path: Path) -> None:
    config = group_folder(tmp_path)
    assert config.source is not None
    port = _free_port()
    with config.source.open("a", encoding="utf-8") as toml:
        toml.write(f"\n[serve]\nport = {port}\nsync_minutes = 60\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ZOOM_"))}
    with subprocess.Popen(
        [sys.executable, "-m", "braingain.integrations.cli", "serve", "--config", str(config.source)],
        cwd=tmp_path,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        said: list[str] = []
        while not any(line.startswith("braingain: ") and "sync: " in line for line in said):
            line = process.stderr.readline()
            assert line, f"serve ended early: {said}"
            said.append(line)
        assert requests.get(f"http://127.0.0.1:{port}{server.HEALTH_PATH}", timeout=5).status_code == 200
        process.send_signal(signal.SIGTERM)
        said += process.stderr.readlines()
        assert process.wait(timeout=20) == 0
    assert said[-1].rstrip().endswith(text.SERVE_STOPPED)
    assert any(text.SERVE_SLACK_OFF in line for line in said)
