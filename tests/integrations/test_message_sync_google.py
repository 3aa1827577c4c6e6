"""Two computers sync one Google Sheet at once (a server's `braingain serve` and a leader's laptop):
each message still goes out once. Each computer has its own journal; what keeps them apart is the
sheet's sync lease, taken before anything changes beyond the computer (Slack, a mail server, Zoom)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from braingain.core.group import Group
from braingain.core.messaging.due import MessagePolicy
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.tracker.schema import Snapshot, TrackerWrite, Unwritten
from braingain.integrations import compose
from braingain.integrations.engine import platforms as engine
from braingain.integrations.engine.messages import Messaging
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.google_sheets import GoogleSheets
from braingain.sample import SAMPLE_SLOT
from tests.fakes.fixtures import authorized_user_info
from tests.fakes.google import FakeGoogle
from tests.fakes.messaging import RecordingChat, RecordingMail
from tests.integrations.test_google_sheets import AT, NOW, make_config, sample_rows, tabs_of


class Watched:
    """A Google backend that says when it has read the sheet."""

    def __init__(self, backend: GoogleSheets) -> None:
        self.backend = backend
        self.read_once = threading.Event()

    @property
    def location(self) -> str:
        return self.backend.location

    def read(self) -> Snapshot:
        snapshot = self.backend.read()
        self.read_once.set()
        return snapshot

    def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
        return self.backend.write(changes)

    def hold(self) -> None:
        self.backend.hold()


class Slow(RecordingChat):
    """A Slack whose first post waits until the test lets it go: the moment the other computer syncs."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def post(self, channel: str, message: Outgoing, *, group: Group) -> str:
        self.entered.set()
        self.release.wait(20)
        return super().post(channel, message, group=group)


@pytest.fixture
def key(fake_google: FakeGoogle, tmp_path: Path) -> Path:
    """A leader's own Google sign-in."""
    path = tmp_path / "google-signin.json"
    path.write_text(json.dumps(authorized_user_info(fake_google)), encoding="utf-8")
    return path


def test_two_computers_syncing_one_google_sheet_at_once_send_each_message_once(
    fake_google: FakeGoogle, key: Path
) -> None:
    sheet = fake_google.new_spreadsheet("tracker", tabs_of(sample_rows()))
    chat, mail = Slow(), RecordingMail()
    outcomes: list[compose.SyncOutcome] = []
    config = make_config(fake_google, key, spreadsheet_id=sheet)  # each computer's journal: in memory
    messaging = Messaging(chat=chat, mail=mail, policy=MessagePolicy(zone=SAMPLE_SLOT.zone), live=True)
    setup = engine.Setup(zoom=None, outbox=None, topic="meeting", messaging=messaging)
    retry = RetryPolicy(sleep=lambda _: None, now=lambda: NOW)
    server, laptop = (Watched(GoogleSheets.from_config(config, retry=retry)) for _ in range(2))

    def computer(backend: Watched) -> None:
        outcomes.append(
            compose.run_sync(config, apply=True, at=AT, backend=backend, platforms=setup, wait=60)
        )

    first = threading.Thread(target=computer, args=(server,))
    first.start()
    assert chat.entered.wait(20)  # the first computer holds the sheet and is posting
    second = threading.Thread(target=computer, args=(laptop,))
    second.start()
    assert laptop.read_once.wait(20)  # the second read the sheet before the first wrote back
    chat.release.set()  # it must not post what the first posts: it waits, then works afresh
    first.join(60)
    second.join(60)
    assert len(outcomes) == 2
    assert chat.keys()
    assert len(set(chat.keys())) == len(chat.keys())
    assert len(set(mail.keys())) == len(mail.keys())


def test_a_sync_that_only_fills_the_outboxes_takes_no_lease_and_costs_no_request_more(
    fake_google: FakeGoogle, key: Path
) -> None:
    sheet = fake_google.new_spreadsheet("tracker", tabs_of(sample_rows()))
    config = make_config(fake_google, key, spreadsheet_id=sheet)
    backend = GoogleSheets.from_config(config, retry=RetryPolicy(sleep=lambda _: None, now=lambda: NOW))
    chat, mail = RecordingChat(), RecordingMail()
    messaging = Messaging(chat=chat, mail=mail, policy=MessagePolicy(zone=SAMPLE_SLOT.zone), live=False)
    setup = engine.Setup(zoom=None, outbox=None, topic="meeting", messaging=messaging)
    fake_google.reset_counts()
    compose.run_sync(config, apply=True, at=AT, backend=backend, platforms=setup)
    assert chat.keys()
    assert fake_google.count("spreadsheets.batchUpdate") == 1  # the write alone
