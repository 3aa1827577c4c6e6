"""``braingain serve`` on a loopback port, and requests signed the way Slack signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Callable, Generator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import requests

from braingain.integrations import compose, server
from braingain.integrations.config import Config
from braingain.integrations.slack.web import API_URL, SlackChat
from braingain.integrations.tracker.schema import load_schema
from braingain.integrations.tracker.workbook import LocalWorkbook
from braingain.sample import sample_group
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.fakes.slack_support import slack_client
from tests.integrations.platform_support import NOON, TODAY, group_folder

SIGNING_SECRET = "fake-slack-signing-secret-never-logged"
LEADER, HEAD, MEMBER = "U01ADAOBI", "U02AMARAO", "U02OSASIG"
"""Ada (a leader), Amara (head of the in-progress task SR-T08), Osas (a member)."""
OPEN_TASK, IN_PROGRESS = "SR-T09", "SR-T08"
T = TypeVar("T")


def sign(body: bytes, *, secret: str = SIGNING_SECRET, at: float | None = None) -> dict[str, str]:
    """The headers Slack sends with ``body``: ``v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}"))``."""
    stamp = str(int(time.time() if at is None else at))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def eventually(check: Callable[[], T], *, seconds: float = 10.0) -> T:
    """``check()``'s first truthy answer, asked every 20 ms for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            assert found, "not seen in time"
            return found
        time.sleep(0.02)


@dataclass
class Served:
    """A running server for the sample group, its Slack on ``fake``, and what it logged and synced."""

    config: Config
    fake: FakeSlack
    serving: server.Server
    lines: list[str] = field(default_factory=list)
    synced: list[frozenset[str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.serving.address}"

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> requests.Response:
        return requests.post(self.url + path, data=body, headers=headers, timeout=10)

    def command_payload(self, user: str, text: str) -> dict[str, str]:
        """What Slack sends for ``/braingain text`` from Slack user ``user`` (a new response_url)."""
        return {
            "token": "deprecated-verification-token",
            "team_id": "T0FAKETEAM1",
            "channel_id": "C0GROUP",
            "user_id": user,
            "command": "/braingain",
            "text": text,
            "api_app_id": "A0BRAINGAIN",
            "response_url": self.fake.response_url(),
            "trigger_id": self.fake.trigger(user),
        }

    def command(self, user: str, text: str, **signing: Any) -> tuple[requests.Response, str]:
        """``/braingain text`` from Slack user ``user``: the HTTP answer and the command's response_url."""
        payload = self.command_payload(user, text)
        body = urllib.parse.urlencode(payload).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, **signing)}
        return self.post(server.SLACK_PATH, body, headers), payload["response_url"]

    def reply(self, response_url: str) -> str:
        """The one ephemeral answer posted to ``response_url`` (waits for it)."""
        posted = eventually(lambda: self.fake.responses(response_url))
        assert len(posted) == 1
        assert posted[0]["response_type"] == "ephemeral"
        return str(posted[0]["text"])

    def interact(self, payload: dict[str, Any]) -> requests.Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        return self.post(server.SLACK_PATH, body, headers)

    @staticmethod
    def event_payload(event: dict[str, Any]) -> dict[str, Any]:
        """The Events API's wrapper around ``event``."""
        return {
            "type": "event_callback",
            "team_id": "T0FAKETEAM1",
            "api_app_id": "A0BRAINGAIN",
            "event": event,
        }

    def event(self, event: dict[str, Any]) -> requests.Response:
        body = json.dumps(self.event_payload(event)).encode()
        return self.post(server.SLACK_PATH, body, {"Content-Type": "application/json", **sign(body)})


def serve_group(
    folder: Path, fake: FakeSlack | None, *, at: Callable[[], datetime] = lambda: NOON, **secrets: str
) -> Generator[Served, None, None]:
    """The sample group served on a free loopback port (HTTP mode with ``fake``; Socket Mode when
    ``secrets`` has SLACK_APP_TOKEN), synced at ``at()``; stopped after the test. ``secrets`` win over
    the fake's (``SLACK_SIGNING_SECRET=""``: none)."""
    config = group_folder(folder)
    environment = dict(config.environment)
    endpoints = dict(config.endpoints)
    if fake is not None:
        environment |= {server.BOT_TOKEN: BOT_TOKEN, server.SIGNING_SECRET: SIGNING_SECRET}
        endpoints[API_URL] = fake.api_url  # the sync's messages go to the fake, as the app's replies do
        for member in sample_group(TODAY).members.values():
            if member.slack_user_id and member.email is not None and member.slack_user_id not in fake.users:
                fake.add_user(member.name, email=member.email.address, user_id=member.slack_user_id)
    config = replace(config, environment=environment | secrets, endpoints=endpoints)
    lines: list[str] = []
    synced: list[frozenset[str]] = []

    def run(ended: frozenset[str]) -> compose.SyncOutcome:
        synced.append(ended)
        setup = compose.platform_setup(config)
        chat = setup.messaging.chat if setup.messaging is not None else None
        if isinstance(chat, SlackChat):
            chat.sleep = lambda _: None  # the fake takes a post a second per channel without waiting
        return compose.run_sync(
            config, apply=True, at=at(), platforms=replace(setup, ended=setup.ended | ended)
        )

    serving = server.build(
        config,
        log=lines.append,
        client=slack_client(fake) if fake is not None else None,
        run=run,
        port=0,
        clock=at,
    )
    served = Served(config, fake if fake is not None else FakeSlack(), serving, lines, synced)
    serving.syncer.soon = 0.05
    serving.start()
    try:
        eventually(lambda: any(line.startswith("sync: ") for line in lines))  # the first sync, done
        yield served
    finally:
        serving.stop()


def add_members(fake: FakeSlack) -> None:
    """Ada, Amara and Osas in the Slack workspace (their ids as on the sample group's Members tab)."""
    for name, uid in (("ada", LEADER), ("amara", HEAD), ("osas", MEMBER)):
        fake.add_user(name, email=f"{name}@slack.test", user_id=uid)


def rows(served: Served, tab: str) -> list[list[Any]]:
    """The rows of ``tab`` (its key in tracker.toml) as the workbook holds them now, headers first."""
    title = load_schema().tab(tab).title
    assert served.config.tracker.path is not None
    return [list(row) for row in LocalWorkbook(served.config.tracker.path).read().grids[title].values]


def row_of(served: Served, tab: str, ident: str) -> dict[str, Any]:
    table = rows(served, tab)
    return next(dict(zip(table[0], row, strict=False)) for row in table[1:] if row and row[0] == ident)


def offers(served: Served, task: str, member: str = "osas.igbinoba") -> int:
    """How many Volunteers rows offer ``member`` for ``task``."""
    table = rows(served, "volunteers")
    found = [dict(zip(table[0], row, strict=False)) for row in table[1:]]
    return sum(1 for r in found if r.get("Task") == task and r.get("Member") == member)


def syncs_after(served: Served, count: int) -> None:
    eventually(lambda: len(served.synced) > count)


def pressed(served: Served, user: str, action: str, task: str, *, on_message: bool = True) -> dict[str, Any]:
    """The payload of ``user`` pressing button ``action`` for ``task``, on a message (with a
    response_url) or on the Home tab."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0FAKETEAM1"},
        "user": {"id": user},
        "api_app_id": "A0BRAINGAIN",
        "trigger_id": served.fake.trigger(user),
        "actions": [
            {"action_id": action, "block_id": "b", "type": "button", "value": task, "action_ts": "1"}
        ],
    }
    if on_message:
        payload |= {
            "container": {"type": "message", "channel_id": "C0GROUP", "message_ts": "1.000001"},
            "channel": {"id": "C0GROUP"},
            "response_url": served.fake.response_url(),
        }
    else:
        payload |= {"container": {"type": "view", "view_id": "V1"}, "view": {"id": "V1", "type": "home"}}
    return payload
