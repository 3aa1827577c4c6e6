"""Messages end to end: the sample group's sync posts through the real slack_sdk client to the loopback
Slack fake and sends through a real SMTP server on loopback (STARTTLS, login); stopped dead after
each post and each email in turn and run again, every message arrives exactly once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import trustme

from braingain.core.group import Group
from braingain.core.members import Member
from braingain.core.messaging.due import MessagePolicy
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.ports import Upload
from braingain.core.schedule.invitations import Invitation
from braingain.integrations import compose
from braingain.integrations.config import Config
from braingain.integrations.email.delivery import EmailDelivery
from braingain.integrations.email.message import Address
from braingain.integrations.engine import platforms as engine
from braingain.integrations.engine.charts import ChartSource
from braingain.integrations.engine.messages import Messaging
from braingain.integrations.slack.blocks import render
from braingain.integrations.slack.web import SlackChat
from braingain.sample import sample_group
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_support import slack_client
from tests.fakes.zoom_support import Clock
from tests.integrations.chart_support import CountingSource
from tests.integrations.platform_support import NOON, TODAY, Crash, Stopper, group_folder, setup
from tests.integrations.smtp_support import Server, serve

MONDAY = NOON + timedelta(days=1)
SENDER = Address("Sample group", "group@sample.example.org")


@dataclass
class StoppingChat:
    """The real Slack adapter, stopping the sync dead right after a post Slack took."""

    chat: SlackChat
    stopper: Stopper

    def channel(self, name: str) -> str:
        return self.chat.channel(name)

    def invite(self, channel: str, members: Sequence[Member]) -> tuple[str, ...]:
        return self.chat.invite(channel, members)

    def post(self, channel: str, message: Outgoing, *, group: Group) -> str:
        ts = self.chat.post(channel, message, group=group)
        self.stopper.tick(f"post {message.key}")
        return ts

    def find(self, channel: str, key: str, *, since: datetime) -> str | None:
        return self.chat.find(channel, key, since=since)

    def attach(self, channel: str, thread: str, upload: Upload) -> str:
        shared = self.chat.attach(channel, thread, upload)
        self.stopper.tick(f"attach {upload.name}")
        return shared

    def attached(self, channel: str, thread: str, name: str) -> str | None:
        return self.chat.attached(channel, thread, name)


@dataclass
class StoppingMail:
    """The real email delivery, stopping the sync dead right after the server took a message."""

    mail: EmailDelivery
    stopper: Stopper

    def send(
        self,
        message: Outgoing,
        to: Member,
        *,
        group: Group,
        invitation: Invitation | None = None,
        handing: Callable[[], None] | None = None,
    ) -> str:
        where = self.mail.send(message, to, group=group, invitation=invitation, handing=handing)
        self.stopper.tick(f"email {message.key}")
        return where


def workspace(fake: FakeSlack) -> None:
    """The sample group's members with their Slack accounts."""
    for member in sample_group(TODAY).members.values():
        if member.slack_user_id and member.email is not None:
            fake.add_user(member.name, email=member.email.address, user_id=member.slack_user_id)


def platforms(
    config: Config, fake: FakeSlack, server: Server, stopper: Stopper, charts: ChartSource | None = None
) -> engine.Setup:
    made, _ = setup(config, None, Clock())
    chat = SlackChat(slack_client(fake), render=render, sleep=lambda _: None)
    mail = EmailDelivery(SENDER, smtp=server.sender(), clock=lambda: MONDAY)
    slot = config.settings.slot
    messaging = Messaging(
        chat=StoppingChat(chat, stopper),
        mail=StoppingMail(mail, stopper),
        policy=MessagePolicy(zone=slot.zone if slot is not None else None),
        live=True,
        charts=charts,
    )
    return replace(made, messaging=messaging)


def run(
    config: Config,
    fake: FakeSlack,
    server: Server,
    stopper: Stopper,
    at: datetime,
    charts: ChartSource | None = None,
) -> None:
    fake.clock = lambda: at  # Slack's clock and braingain's agree, as they do in life
    compose.run_sync(config, apply=True, at=at, platforms=platforms(config, fake, server, stopper, charts))


def posted(fake: FakeSlack) -> Counter[str]:
    """Every message in every channel of the workspace, by the key its metadata carries."""
    keys: Counter[str] = Counter()
    for ident in list(fake.channels):
        for message in fake.messages(ident):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            keys[str(payload.get("key"))] += 1
    return keys


def mailed(server: Server) -> Counter[str]:
    """Every email the server took, by its Message-ID."""
    ids: Counter[str] = Counter()
    for envelope in server.mailbox.received:
        raw = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        ids[str(message_from_bytes(raw, policy=policy.default)["Message-ID"])] += 1
    return ids


@pytest.fixture
def smtp(authority: trustme.CA) -> Iterator[Server]:
    yield from serve(authority)


def test_a_whole_sync_posts_on_slack_and_sends_email_each_once_and_a_second_sync_nothing(
    tmp_path: Path, smtp: Server
) -> None:
    config = group_folder(tmp_path / "group")
    with FakeSlack() as fake:
        workspace(fake)
        run(config, fake, smtp, Stopper(), MONDAY)
        first_posts, first_mail = posted(fake), mailed(smtp)
        assert first_posts
        assert first_mail
        assert set(first_posts.values()) == {1}
        assert set(first_mail.values()) == {1}
        assert fake.channel("braingain").members
        assert fake.channel("proj-sr-migration").members
        fake.reset_counts()
        run(config, fake, smtp, Stopper(), MONDAY + timedelta(hours=1))
        assert posted(fake) == first_posts
        assert mailed(smtp) == first_mail
        assert sum(fake.counts.values()) == 0, "a sync with nothing new asks Slack nothing"


@contextmanager
def stopped_then_finished(
    tmp_path: Path, smtp: Server, stop_after: int, *, charts: bool = False
) -> Iterator[FakeSlack]:
    """A fresh copy of the group synced on a fresh Slack, stopped dead after its ``stop_after``-th call,
    then synced twice more; the Slack, as it then is (the mailbox emptied first)."""
    smtp.mailbox.received.clear()
    config = group_folder(tmp_path / f"stopped-{stop_after}")
    with FakeSlack() as fake:
        workspace(fake)
        with pytest.raises(Crash):
            run(config, fake, smtp, Stopper(stop_after), MONDAY, CountingSource() if charts else None)
        for later in (5, 10):
            run(
                config,
                fake,
                smtp,
                Stopper(),
                MONDAY + timedelta(minutes=later),
                CountingSource() if charts else None,
            )
        yield fake


def test_stopped_after_each_post_and_each_email_in_turn_every_message_arrives_exactly_once(
    tmp_path: Path, smtp: Server
) -> None:
    whole = group_folder(tmp_path / "whole")
    counting = Stopper()
    with FakeSlack() as fake:
        workspace(fake)
        run(whole, fake, smtp, counting, MONDAY)
        expected_posts, expected_mail = posted(fake), mailed(smtp)
    sends = len(counting.calls)
    assert sends == sum(expected_posts.values()) + sum(expected_mail.values())
    for stop_after in range(1, sends + 1):
        with stopped_then_finished(tmp_path, smtp, stop_after) as fake:
            assert posted(fake) == expected_posts, f"stopped after {counting.calls[stop_after - 1]}"
        assert mailed(smtp) == expected_mail, f"stopped after {counting.calls[stop_after - 1]}"


def shared_charts(fake: FakeSlack) -> Counter[tuple[str, str]]:
    """Every file shared in a thread of the group's channel: (the parent's key, the file's name)."""
    found: Counter[tuple[str, str]] = Counter()
    for message in fake.messages("braingain"):
        key = str(((message.get("metadata") or {}).get("event_payload") or {}).get("key"))
        for reply in fake.replies("braingain", str(message["ts"])):
            for shared in reply.get("files") or ():
                found[(key, str(shared["name"]))] += 1
    return found


def test_the_group_digests_charts_are_shared_in_its_thread_once_whatever_call_a_sync_stops_after(
    tmp_path: Path, smtp: Server
) -> None:
    whole = group_folder(tmp_path / "whole")
    counting = Stopper()
    with FakeSlack() as fake:
        workspace(fake)
        run(whole, fake, smtp, counting, MONDAY, CountingSource())
        expected, expected_posts = shared_charts(fake), posted(fake)
        uploads = fake.uploads()
        fake.reset_counts()
        run(whole, fake, smtp, Stopper(), MONDAY + timedelta(hours=1), CountingSource())
        assert sum(fake.counts.values()) == 0, "a sync with nothing new asks Slack nothing"
    assert expected
    assert {key for key, _ in expected} == {k for k in expected_posts if k.startswith("group-digest:")}
    assert set(expected.values()) == {1}
    assert all(u.completed and u.data and u.data.startswith(b"\x89PNG") and u.alt_txt for u in uploads)
    stops = [n for n, c in enumerate(counting.calls, 1) if c.startswith(("attach ", "post group-digest:"))]
    assert len(stops) == len(expected) + 1
    for stop_after in stops:
        with stopped_then_finished(tmp_path, smtp, stop_after, charts=True) as fake:
            assert shared_charts(fake) == expected, f"stopped after {counting.calls[stop_after - 1]}"
            assert posted(fake) == expected_posts
