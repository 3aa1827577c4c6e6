"""`braingain serve`: the timed sync (one line each, never two at once), the web server's routes,
Socket Mode, and a clean stop on SIGTERM."""

from __future__ import annotations

import itertools
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
from slack_sdk import WebClient

from braingain.integrations import compose, server, text
from braingain.integrations.cli import main
from braingain.integrations.config import Config
from braingain.integrations.errors import ConfigError, SyncBusy
from braingain.integrations.slack import words
from braingain.integrations.zoom.webhook import signature_of
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.fakes.slack_support import slack_client
from tests.integrations.platform_support import NOON, group_folder
from tests.integrations.serve_support import Served, eventually, serve_group, sign

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


# -- what serve says when Slack is half set up, out of reach, or refuses ----------------------------


def _slack_env(folder: Path, **secrets: str) -> Config:
    config = group_folder(folder)
    return replace(config, environment={**config.environment, **secrets})


def _other_sync(folder: Path) -> server.SyncRun:
    outcome = _outcome(folder)
    return lambda _: outcome


def _out_of_reach(config: Config) -> Config:
    """``config`` with Slack's Web API on a loopback port that refuses connections (no network)."""
    return replace(
        config, endpoints={**config.endpoints, server.SLACK_API: f"http://127.0.0.1:{_free_port()}"}
    )


@pytest.mark.parametrize(
    ("given", "missing", "messages"),
    [
        ({server.BOT_TOKEN: BOT_TOKEN}, ["SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"], "still post"),
        ({server.APP_TOKEN: APP_TOKEN}, ["SLACK_BOT_TOKEN"], "outbox"),
        ({server.SIGNING_SECRET: "a-signing-secret-never-said"}, ["SLACK_BOT_TOKEN"], "outbox"),
    ],
)
def test_slack_half_set_up_names_exactly_what_is_missing_and_where_messages_go(
    tmp_path: Path, given: dict[str, str], missing: list[str], messages: str
) -> None:
    lines: list[str] = []
    serving = server.build(
        _slack_env(tmp_path, **given), log=lines.append, run=_other_sync(tmp_path / "o"), port=0
    )
    serving.stop()
    said = next(line for line in lines if "Slack app is not served" in line)
    assert text.SERVE_SLACK_OFF not in lines
    assert serving.mode == ""
    assert all(name in said.split(" but ")[1].split(" is missing")[0] for name in missing)
    assert all(f"{name} is set" in said for name in given)
    assert messages in said
    assert not any(secret in line for line in lines for secret in given.values())


def test_serve_with_a_bot_token_prints_nothing_stray(
    tmp_path: Path,
    fake_slack: FakeSlack,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = _slack_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET="a-secret")
    with caplog.at_level(logging.DEBUG):
        serving = server.build(
            config,
            log=lambda _: None,
            client=slack_client(fake_slack),
            run=_other_sync(tmp_path / "o"),
            port=0,
        )
        serving.stop()
    assert capsys.readouterr() == ("", "")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_port_in_use_names_the_address_and_how_to_free_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = group_folder(tmp_path)
    assert config.source is not None
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with config.source.open("a", encoding="utf-8") as toml:
            toml.write(f"\n[serve]\nport = {port}\n")
        assert main(["serve", "--config", str(config.source)]) == 1
    said = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in said
    assert "change [serve] port in braingain.toml, or stop the other program" in said


def test_a_host_that_names_no_address_here_is_named_with_how_to_fix_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unknown(host: object, *_: object, **__: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)  # the answer of a lookup, without the network
    config = group_folder(tmp_path)
    config = replace(config, serve=replace(config.serve, host="braingain.invalid"))
    with pytest.raises(ConfigError) as raised:
        server.build(config, log=lambda _: None, run=_other_sync(tmp_path / "o"), port=8080)
    assert "cannot listen on braingain.invalid:8080" in str(raised.value)
    assert "[serve] host" in raised.value.hint


def _signed_post(url: str, body: bytes, content_type: str) -> requests.Response:
    headers = {"Content-Type": content_type, **sign(body, secret="the-apps-signing-secret")}
    return requests.post(url + server.SLACK_PATH, data=body, headers=headers, timeout=20)


def test_a_command_while_slacks_api_is_out_of_reach_is_told_so_in_one_log_line_without_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _slack_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET="the-apps-signing-secret")
    serving = server.build(_out_of_reach(config), log=lambda _: None, run=_other_sync(tmp_path / "o"), port=0)
    serving.start()
    url = f"http://{serving.address}"
    try:
        with caplog.at_level(logging.INFO):
            command = urllib.parse.urlencode(
                {
                    "team_id": "T0FAKETEAM1",
                    "user_id": "U02OSASIG",
                    "command": "/braingain",
                    "text": "tasks",
                    "response_url": "http://127.0.0.1:9/commands/T/1/x",
                    "trigger_id": "1.2.3",
                }
            ).encode()
            answer = _signed_post(url, command, "application/x-www-form-urlencoded")
            assert (answer.status_code, answer.text) == (200, words.failed())
            click = json.dumps(
                {
                    "type": "block_actions",
                    "team": {"id": "T0FAKETEAM1"},
                    "user": {"id": "U02OSASIG"},
                    "actions": [{"action_id": "bg_volunteer", "value": "SR-T09"}],
                    "trigger_id": "1.2.3",
                }
            )
            body = urllib.parse.urlencode({"payload": click}).encode()
            answer = _signed_post(url, body, "application/x-www-form-urlencoded")
            assert (answer.status_code, answer.text) == (200, "")
    finally:
        serving.stop()
    said = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in said] == [
        "a Slack request was not answered: Slack cannot be reached ([Errno 111] Connection refused)"
    ] * 2
    assert all(r.exc_info is None for r in said)
    assert "Traceback" not in capsys.readouterr().err
    assert not any(BOT_TOKEN in r.getMessage() or "@" in r.getMessage() for r in caplog.records)


def _socket_mode(
    folder: Path, lines: list[str], client: WebClient | None = None, app_token: str = APP_TOKEN
) -> server.Server:
    config = _slack_env(folder, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=app_token)
    return server.build(
        _out_of_reach(config), log=lines.append, client=client, run=_other_sync(folder / "o"), port=0
    )


def test_socket_mode_out_of_reach_at_start_keeps_serving_says_so_once_and_tries_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "RETRY_FIRST", 0.1)
    monkeypatch.setattr(text, "SERVE_RETRY_MOST", 0.8)
    lines: list[str] = []
    serving = _socket_mode(tmp_path, lines)
    client = serving.socket_mode.client.web_client
    client.retry_handlers = []  # each try, one request: their times are the waits between them
    tries: list[float] = []
    opened = client.apps_connections_open

    def counted(**arguments: Any) -> Any:
        tries.append(time.monotonic())
        return opened(**arguments)

    monkeypatch.setattr(client, "apps_connections_open", counted)
    serving.start()  # no exception: the timed sync and the web server go on
    try:
        eventually(lambda: len(tries) >= 6)
        eventually(lambda: any(line.startswith("sync: ") for line in lines))
        assert requests.get(f"http://{serving.address}{server.HEALTH_PATH}", timeout=5).status_code == 200
    finally:
        serving.stop()
    unreachable = [line for line in lines if line.startswith("Slack cannot be reached")]
    assert len(unreachable) == 1
    assert "tries again" in unreachable[0]
    assert "Connection refused" in unreachable[0]
    gaps = [later - earlier for earlier, later in itertools.pairwise(tries)]
    assert gaps[2] > gaps[0] * 2  # waits longer each time...
    assert max(gaps) < 1.8  # ...up to its bound
    assert not any(APP_TOKEN in line or BOT_TOKEN in line for line in lines)


@pytest.mark.parametrize("app_token", ["xapp-1-not-an-app-token-slack-knows", BOT_TOKEN])
def test_an_app_token_slack_refuses_is_a_clear_error_naming_slack_app_token_never_the_token(
    tmp_path: Path, fake_slack: FakeSlack, app_token: str
) -> None:
    serving = _socket_mode(tmp_path, [], slack_client(fake_slack), app_token=app_token)
    try:
        with pytest.raises(ConfigError) as raised:
            serving.start()
    finally:
        serving.stop()
    said = str(raised.value)
    assert "Slack refused SLACK_APP_TOKEN" in said
    assert "xapp-..." in said
    assert app_token not in said
