"""Messages in the sync (step 5): each planned with a stable key, journaled, sent exactly once.

The sample group in a local workbook, synced with a chat and a mail server that record every post and
email by key (``tests/fakes/messaging.py``) and stop the sync dead after any call."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from braingain.core.group import Group
from braingain.core.messaging.due import MessagePolicy
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.tracker.schema import Snapshot, TrackerWrite, Unwritten
from braingain.integrations import compose
from braingain.integrations.config import Config
from braingain.integrations.engine import messages as engine_messages
from braingain.integrations.engine import platforms as engine
from braingain.integrations.engine.journal import Journal
from braingain.integrations.engine.messages import Messaging
from braingain.integrations.errors import PlatformError
from tests.fakes.messaging import RecordingChat, RecordingMail
from tests.fakes.zoom_support import Clock
from tests.integrations.platform_support import NOON, Crash, Stopper, group_folder, setup

MONDAY = NOON + timedelta(days=1)
"""Monday 11 January 2027, 12:00 UTC: the weekly digests (Monday 08:00 in Lagos) are due."""


class Refused(PlatformError):
    outcome_known = True
    halts = True


def platforms(
    config: Config, chat: RecordingChat | None, mail: RecordingMail | None, *, live: bool = True
) -> engine.Setup:
    made, _ = setup(config, None, Clock())
    slot = config.settings.slot
    policy = MessagePolicy(zone=slot.zone if slot is not None else None)
    return replace(made, messaging=Messaging(chat=chat, mail=mail, policy=policy, live=live))


def sync(
    config: Config, chat: RecordingChat | None, mail: RecordingMail | None, at: datetime = MONDAY
) -> compose.SyncOutcome:
    return compose.run_sync(config, apply=True, at=at, platforms=platforms(config, chat, mail))


def plan(
    config: Config, chat: RecordingChat, mail: RecordingMail, at: datetime = MONDAY
) -> compose.SyncOutcome:
    return compose.run_sync(config, apply=False, at=at, platforms=platforms(config, chat, mail))


def looked(config: Config, at: datetime = MONDAY) -> compose.SyncOutcome:
    """A plan with no platform set up: how the tests read the tracker and braingain's memory."""
    return compose.run_sync(config, apply=False, at=at, platforms=platforms(config, None, None))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return group_folder(tmp_path / "group")


def test_a_plan_lists_every_message_due_and_sends_nothing(config: Config) -> None:
    chat, mail = RecordingChat(), RecordingMail()
    planned = plan(config, chat, mail)
    posts = [a for a in planned.platforms.actions if a.verb == "post"]
    emails = [a for a in planned.platforms.actions if a.verb == "send"]
    assert any(a.subject.startswith("group-digest:") for a in posts)
    assert emails, "the sample group's email members get their weekly digest"
    assert chat.posts == []
    assert mail.sent == []
    assert chat.channels == {}


def test_a_sync_sends_each_message_once_and_the_next_sync_sends_nothing(config: Config) -> None:
    chat, mail = RecordingChat(), RecordingMail()
    first = sync(config, chat, mail)
    assert first.done is not None
    assert not first.done.failed
    assert not first.done.waiting
    posted, mailed = chat.keys(), mail.keys()
    assert posted
    assert mailed
    assert len(set(posted)) == len(posted)
    assert len(set(mailed)) == len(mailed)
    again = sync(config, chat, mail, at=MONDAY + timedelta(hours=1))
    assert chat.keys() == posted
    assert mail.keys() == mailed
    assert not [a for a in again.platforms.actions if a.platform in {"slack", "email"}]


def test_the_weekly_digest_costs_one_message_per_channel_and_one_per_member_at_most(config: Config) -> None:
    chat, mail = RecordingChat(), RecordingMail()
    sync(config, chat, mail)
    digests = [p for p in chat.posts if p.key.startswith(("group-digest:", "digest:"))]
    per_channel = Counter(p.channel for p in digests)
    assert all(n == 1 for n in per_channel.values())
    group = compose.run_sync(
        config, apply=False, at=MONDAY, platforms=platforms(config, None, None)
    ).read.group
    emailed = Counter(m.member for m in mail.sent if m.key.startswith("digest:"))
    assert all(n == 1 for n in emailed.values())
    assert len(per_channel) + len(emailed) <= 1 + len(group.members)


def test_channels_are_made_and_members_invited_once_on_a_live_slack(config: Config) -> None:
    chat, mail = RecordingChat(), RecordingMail()
    sync(config, chat, mail)
    made = dict(chat.channels)
    assert "braingain" in made
    assert any(name.startswith("proj-") for name in made)
    assert chat.members[made["braingain"]]
    calls = len(chat.stopper.calls)
    sync(config, chat, mail, at=MONDAY + timedelta(hours=2))
    assert len(chat.stopper.calls) == calls, "a second sync asks Slack nothing"


def test_the_outbox_chat_is_never_asked_to_make_channels(config: Config) -> None:
    chat, mail = RecordingChat(), RecordingMail()
    made, _ = setup(config, None, Clock())
    outbox = replace(made, messaging=Messaging(chat=chat, mail=mail, live=False))
    planned = compose.run_sync(config, apply=False, at=MONDAY, platforms=outbox)
    assert not [a for a in planned.platforms.actions if a.verb in {"channel", "invite"}]


def _delivered_after_stopping(tmp_path: Path, stop_after: int) -> tuple[RecordingChat, RecordingMail]:
    config = group_folder(tmp_path / f"stopped-{stop_after}")
    chat, mail = RecordingChat(), RecordingMail()
    stopper = Stopper(stop_after)
    chat.stopper = mail.stopper = stopper
    with pytest.raises(Crash):
        sync(config, chat, mail)
    chat.stopper = mail.stopper = Stopper()
    sync(config, chat, mail, at=MONDAY + timedelta(minutes=5))
    sync(config, chat, mail, at=MONDAY + timedelta(minutes=10))
    return chat, mail


def test_a_sync_stopped_after_any_call_is_finished_by_the_next_and_nothing_is_sent_twice(
    tmp_path: Path,
) -> None:
    whole = group_folder(tmp_path / "whole")
    chat, mail = RecordingChat(), RecordingMail()
    sync(whole, chat, mail)
    expected_posts, expected_mail = Counter(chat.keys()), Counter(mail.keys())
    calls = len(chat.stopper.calls)
    assert calls >= 5
    for stop_after in range(1, calls + 1):
        stopped_chat, stopped_mail = _delivered_after_stopping(tmp_path, stop_after)
        assert Counter(stopped_chat.keys()) == expected_posts, f"stopped after call {stop_after}"
        assert Counter(stopped_mail.keys()) == expected_mail, f"stopped after call {stop_after}"


def test_a_post_whose_answer_was_lost_is_looked_for_before_it_is_posted_again(tmp_path: Path) -> None:
    config = group_folder(tmp_path / "group")
    chat, mail = RecordingChat(), RecordingMail()
    first_post = next(i for i, c in enumerate(_calls(tmp_path), start=1) if c.startswith("post "))
    chat.stopper = Stopper(first_post)
    with pytest.raises(Crash):
        sync(config, chat, mail)
    lost = chat.posts[-1].key
    assert Journal.beside(config.source).get(f"slack:post:{lost}").unknown  # type: ignore[union-attr]
    chat.stopper = Stopper()
    outcome = sync(config, chat, mail, at=MONDAY + timedelta(minutes=5))
    assert chat.looks == 1
    assert chat.keys().count(lost) == 1
    assert outcome.done is not None
    assert any(engine_messages.FOUND in d.words for d in outcome.done.done)


def _calls(tmp_path: Path) -> list[str]:
    config = group_folder(tmp_path / "calls")
    chat, mail = RecordingChat(), RecordingMail()
    chat.stopper = mail.stopper = Stopper()
    sync(config, chat, mail)
    return chat.stopper.calls


def test_an_email_handed_over_whose_answer_was_lost_is_not_sent_again_and_the_sync_says_so(
    tmp_path: Path,
) -> None:
    config = group_folder(tmp_path / "group")
    chat, mail = RecordingChat(), RecordingMail()
    first_email = next(i for i, c in enumerate(_calls(tmp_path), start=1) if c.startswith("email "))
    chat.stopper = mail.stopper = Stopper(first_email)
    with pytest.raises(Crash):
        sync(config, chat, mail)
    lost = mail.sent[-1].key
    chat.stopper = mail.stopper = Stopper()
    outcome = sync(config, chat, mail, at=MONDAY + timedelta(minutes=5))
    assert mail.keys().count(lost) == 1
    assert outcome.done is not None
    assert any(engine_messages.UNCONFIRMED in d.words for d in outcome.done.done)


def test_an_email_that_never_reached_the_server_is_sent_by_the_next_sync(config: Config) -> None:
    chat, mail = RecordingChat(), RecordingMail()

    class NotSent(PlatformError):
        outcome_known = False
        halts = True

    mail.fail = lambda key: NotSent("the connection dropped before the message was handed over")
    first = sync(config, chat, mail)
    assert first.done is not None
    assert first.done.waiting
    assert mail.sent == []
    mail.fail = lambda key: None
    sync(config, chat, mail, at=MONDAY + timedelta(minutes=5))
    assert mail.sent
    assert len(set(mail.keys())) == len(mail.keys())


def test_slack_refusing_stops_only_slack_messages_which_wait_for_the_next_sync(config: Config) -> None:
    chat, mail = RecordingChat(), RecordingMail()
    chat.fail = lambda what: Refused("Slack refused braingain's token", hint="reinstall the app")
    first = sync(config, chat, mail)
    assert chat.posts == []
    assert mail.sent
    assert first.done is not None
    assert first.done.waiting
    chat.fail = lambda what: None
    sync(config, chat, mail, at=MONDAY + timedelta(minutes=5))
    assert chat.posts
    assert len(set(chat.keys())) == len(chat.keys())


def test_what_was_sent_is_forgotten_once_it_can_never_be_due_again(config: Config) -> None:
    chat, mail = RecordingChat(), RecordingMail()
    sync(config, chat, mail)
    remembered = looked(config).read.platforms.memory
    assert any(k.startswith(engine_messages.MESSAGE_PREFIX) for k in remembered)
    later = MONDAY + timedelta(days=40)
    sync(config, chat, mail, at=later)
    memory = compose.run_sync(
        config, apply=False, at=later, platforms=platforms(config, None, None)
    ).read.platforms.memory
    sent_first = {f"{engine_messages.MESSAGE_PREFIX}{k}" for k in chat.keys()[:3]}
    assert not sent_first & set(memory)


def test_a_lost_post_slack_could_not_look_for_stays_in_the_journal_and_is_found_by_a_later_sync(
    tmp_path: Path,
) -> None:
    config = group_folder(tmp_path / "group")
    chat, mail = RecordingChat(), RecordingMail()
    calls = _calls(tmp_path)
    first_post = next(i for i, c in enumerate(calls, start=1) if c.startswith("post "))
    chat.stopper = Stopper(first_post)
    with pytest.raises(Crash):
        sync(config, chat, mail)
    lost = f"slack:post:{chat.posts[-1].key}"
    chat.fail = lambda what: Refused("Slack is down", hint="later") if what == "find" else None
    chat.stopper = Stopper()
    sync(config, chat, mail, at=MONDAY + timedelta(minutes=5))
    entry = Journal.beside(config.source).get(lost)
    assert entry is not None
    assert entry.unknown
    chat.fail = lambda what: None
    sync(config, chat, mail, at=MONDAY + timedelta(hours=3))  # its channel read from the first try on
    assert chat.keys().count(lost.removeprefix("slack:post:")) == 1
    assert Journal.beside(config.source).get(lost) is None


class Unlocked:
    """The group's workbook as a backend with no lock of its own (as Google's is): what keeps two
    syncs of the group apart on one computer is then the journal alone."""

    def __init__(self, config: Config) -> None:
        from braingain.integrations.tracker.workbook import LocalWorkbook

        assert config.tracker.path is not None
        self.book = LocalWorkbook(config.tracker.path)

    @property
    def location(self) -> str:
        return self.book.location

    def read(self) -> Snapshot:
        return self.book.read()

    def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
        return self.book.write(changes)


def test_two_syncs_at_once_on_one_computer_send_each_message_once(config: Config) -> None:
    entered, release = threading.Event(), threading.Event()

    class Slow(RecordingChat):
        def post(self, channel: str, message: Outgoing, *, group: Group) -> str:
            entered.set()
            release.wait(10)
            return super().post(channel, message, group=group)

    chat, mail = Slow(), RecordingMail()

    def run() -> None:
        compose.run_sync(
            config, apply=True, at=MONDAY, platforms=platforms(config, chat, mail), backend=Unlocked(config)
        )

    first = threading.Thread(target=run)
    first.start()
    assert entered.wait(10)
    second = threading.Thread(target=run)
    second.start()  # reads only once the first has written back
    release.set()
    first.join(30)
    second.join(30)
    assert chat.keys()
    assert len(set(chat.keys())) == len(chat.keys())
    assert len(set(mail.keys())) == len(mail.keys())
