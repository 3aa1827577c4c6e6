"""The Slack fake on the shared test clock, and the real slack_sdk WebClient pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.fakes.zoom_support import Clock


@pytest.fixture
def fake_slack(clock: Clock) -> Iterator[FakeSlack]:
    """A workspace with only the bot in it, rate limits off; fails the test on a gap in the fake."""
    fake = FakeSlack()
    fake.clock = clock
    with fake:
        yield fake
    fake.check()


def slack_client(fake: FakeSlack, token: str = BOT_TOKEN) -> WebClient:
    """The real WebClient against ``fake`` (no retry handlers: a 429 surfaces as SlackApiError)."""
    client = WebClient(token=token, base_url=fake.api_url, timeout=5)
    client.retry_handlers = []
    return client
