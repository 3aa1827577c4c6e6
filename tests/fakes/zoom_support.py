"""The Zoom fake with a registered app, a shared clock, and the real client pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from braingain.integrations.retry import RetryPolicy
from braingain.integrations.zoom import ZoomClient, ZoomCredentials
from tests.fakes.zoom import FakeZoom

ACCOUNT_ID = "fake-account-Xy12"
CLIENT_ID = "fakeClientId01"
CLIENT_SECRET = "fake-zoom-client-secret-do-not-log"
CREDENTIALS = ZoomCredentials(ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)


class Clock:
    """An aware UTC clock that moves only when told to, or when someone sleeps."""

    def __init__(self, start: datetime = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake_zoom(clock: Clock) -> Iterator[FakeZoom]:
    fake = FakeZoom()
    fake.clock = clock
    fake.register_app(ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)
    with fake:
        yield fake
    fake.check()


def zoom_client(
    fake: FakeZoom,
    clock: Clock,
    *,
    credentials: ZoomCredentials = CREDENTIALS,
    timeout: float = 5.0,
    attempts: int = 5,
    random: Callable[[], float] = lambda: 0.5,
    host: str = "me",
) -> ZoomClient:
    """The real client (over the real zoomus components) against ``fake``, on ``clock``."""
    retry = RetryPolicy(attempts=attempts, sleep=clock.sleep, random=random, now=clock)
    return ZoomClient(
        credentials,
        api_url=fake.api_url,
        oauth_url=fake.base_url,
        timeout=timeout,
        clock=clock,
        sleep=clock.sleep,
        retry=retry,
        host=host,
    )
