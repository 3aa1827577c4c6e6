"""``braingain serve`` on a loopback port, and requests signed the way Slack signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import requests

from braingain.integrations import compose, server
from braingain.integrations.config import Config
from braingain.integrations.slack.web import API_URL
from braingain.sample import sample_group
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.fakes.slack_support import slack_client
from tests.integrations.platform_support import NOON, TODAY, group_folder

SIGNING_SECRET = "fake-slack-signing-secret-never-logged"
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

    def command(self, user: str, text: str, **signing: Any) -> tuple[requests.Response, str]:
        """``/braingain text`` from Slack user ``user``: the HTTP answer and the command's response_url."""
        response_url = self.fake.response_url()
        body = urllib.parse.urlencode(
            {
                "token": "deprecated-verification-token",
                "team_id": "T0FAKETEAM1",
                "channel_id": "C0GROUP",
                "user_id": user,
                "command": "/braingain",
                "text": text,
                "response_url": response_url,
                "trigger_id": self.fake.trigger(user),
            }
        ).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, **signing)}
        return self.post(server.SLACK_PATH, body, headers), response_url

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

    def event(self, event: dict[str, Any]) -> requests.Response:
        body = json.dumps(
            {"type": "event_callback", "team_id": "T0FAKETEAM1", "api_app_id": "A0BRAINGAIN", "event": event}
        ).encode()
        return self.post(server.SLACK_PATH, body, {"Content-Type": "application/json", **sign(body)})


def serve_group(
    folder: Path, fake: FakeSlack | None, *, at: Callable[[], datetime] = lambda: NOON, **secrets: str
) -> Iterator[Served]:
    """The sample group served on a free loopback port (HTTP mode with ``fake``), synced at ``at()``;
    stopped after the test."""
    config = group_folder(folder)
    environment = {**config.environment, **secrets}
    endpoints = dict(config.endpoints)
    if fake is not None:
        environment |= {server.BOT_TOKEN: BOT_TOKEN, server.SIGNING_SECRET: SIGNING_SECRET}
        endpoints[API_URL] = fake.api_url  # the sync's messages go to the fake, as the app's replies do
        for member in sample_group(TODAY).members.values():
            if member.slack_user_id and member.email is not None and member.slack_user_id not in fake.users:
                fake.add_user(member.name, email=member.email.address, user_id=member.slack_user_id)
    config = replace(config, environment=environment, endpoints=endpoints)
    lines: list[str] = []
    synced: list[frozenset[str]] = []

    def run(ended: frozenset[str]) -> compose.SyncOutcome:
        synced.append(ended)
        setup = compose.platform_setup(config)
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
