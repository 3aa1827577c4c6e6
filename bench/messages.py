"""Slack calls and emails per sync: the sample group in a local workbook, the real Slack adapter
(slack_sdk) against the loopback Slack fake (requests counted per method) and email through a real
SMTP server on loopback (messages counted)."""

from __future__ import annotations

import logging
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import trustme

from braingain.core.messaging.due import MessagePolicy
from braingain.integrations import compose
from braingain.integrations.email.delivery import EmailDelivery
from braingain.integrations.email.message import Address
from braingain.integrations.engine.messages import Messaging
from braingain.integrations.slack.blocks import render
from braingain.integrations.slack.web import SlackChat
from braingain.sample import sample_group
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_support import slack_client
from tests.fakes.zoom_support import Clock
from tests.integrations.chart_support import CountingSource
from tests.integrations.platform_support import NOON, TODAY, group_folder, setup
from tests.integrations.smtp_support import Server, serve

METHODS = (
    ("conversations.list", "list"),
    ("conversations.create", "create"),
    ("conversations.join", "join"),
    ("conversations.invite", "invite"),
    ("users.lookupByEmail", "lookup"),
    ("conversations.history", "history"),
    ("chat.postMessage", "post"),
    ("files.getUploadURLExternal", "upload"),
    ("files.completeUploadExternal", "share"),
)
MONDAY = NOON + timedelta(days=1)
"""Monday 11 January 2027, 12:00 UTC: the week's digests are due (Monday 08:00 in Lagos)."""


def measure(report: Callable[[str], None]) -> None:
    warnings.filterwarnings("ignore", message="Session.login_data is deprecated")  # aiosmtpd's own,
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # which it also logs
    for server in serve(trustme.CA()):
        with FakeSlack() as fake, tempfile.TemporaryDirectory() as folder:
            _measure(report, fake, server, Path(folder))


def _measure(report: Callable[[str], None], fake: FakeSlack, server: Server, folder: Path) -> None:
    mailbox = server.mailbox
    group = sample_group(TODAY)
    for member in group.members.values():
        if member.slack_user_id and member.email is not None:
            fake.add_user(member.name, email=member.email.address, user_id=member.slack_user_id)
    config = group_folder(folder / "group")
    slot = config.settings.slot
    sender = server.sender()

    def run(label: str, at: datetime) -> None:
        fake.reset_counts()
        fake.clock = lambda: at
        before = len(mailbox.received)
        made, _ = setup(config, None, Clock())
        messaging = Messaging(
            chat=SlackChat(slack_client(fake), render=render, sleep=lambda _: None),
            mail=EmailDelivery(Address("Sample group", "group@sample.example.org"), smtp=sender),
            policy=MessagePolicy(zone=slot.zone if slot is not None else None),
            live=True,
            charts=CountingSource(),
        )
        outcome = compose.run_sync(config, apply=True, at=at, platforms=replace(made, messaging=messaging))
        counts = [fake.count(method) for method, _ in METHODS]
        emails = len(mailbox.received) - before
        posts = [a for a in outcome.platforms.actions if a.verb == "post"]
        channels = Counter(a.payload.channel or a.payload.user for a in posts)  # type: ignore[attr-defined]
        digests = sum(
            1 for a in outcome.platforms.actions if a.subject.startswith(("group-digest:", "digest:"))
        )
        report(
            f"  {label:<34} "
            + " ".join(f"{n:>{len(name) + 1}}" for n, (_, name) in zip(counts, METHODS, strict=True))
            + f" {sum(fake.counts.values()):>6} {emails:>7}   "
            + f"(digests {digests}; most posts to one channel {max(channels.values(), default=0)})"
        )

    members = len(group.members)
    report(
        f"\nSlack calls and emails per sync: the sample group ({members} members; real slack_sdk against "
        "the loopback fake, a real SMTP server)"
    )
    report(f"  {'':<34} " + " ".join(f"{name:>{len(name) + 1}}" for _, name in METHODS) + "  slack  emails")
    run("a new group's first sync (Monday)", MONDAY)
    run("no-op (an hour later)", MONDAY + timedelta(hours=1))
    run("the next week's digests", MONDAY + timedelta(days=7))
    run("no-op (after the digests)", MONDAY + timedelta(days=7, hours=1))
    report(
        f"  a weekly digest is at most 1 post per channel and 1 message per member ({members} members + "
        "the group's channel)"
    )
