"""The Chat port over slack_sdk's WebClient, against the loopback FakeSlack: channels found, made and
joined; members invited by ID or email; messages posted at one a second per channel with their key and
found again by it; Slack's failures said in words that name the fix and never a token or an email."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from braingain.core.group import Group
from braingain.core.members import Member
from braingain.core.messaging.outgoing import Destination, Medium, Outgoing, TaskNews
from braingain.core.ports import Upload
from braingain.integrations.config import load_config
from braingain.integrations.slack.blocks import SlackMessage
from braingain.integrations.slack.errors import (
    SlackAuthError,
    SlackChannelTaken,
    SlackRateLimited,
    SlackRefused,
    SlackScopeMissing,
    SlackUnavailable,
)
from braingain.integrations.slack.manifest import SCOPES
from braingain.integrations.slack.web import EVENT_TYPE, RATE_LIMIT_RETRIES, SlackChat, slack_for
from braingain.sample import sample_group
from tests.builders import member, task
from tests.fakes.framework import expired_token, rate_limited, reset_after_commit, status, timeout
from tests.fakes.slack import BOT_TOKEN, BOT_USER_ID, FakeSlack
from tests.fakes.slack_support import slack_client
from tests.fakes.zoom_support import Clock

GROUP = sample_group(date(2027, 1, 10))


def render(message: Outgoing, group: Group) -> SlackMessage:
    """A small rendering of our own: the key as text, one section, the key in the metadata."""
    return SlackMessage(
        text=f"{group.name}: {message.key}",
        blocks=({"type": "section", "text": {"type": "mrkdwn", "text": message.words}},),
        metadata={"event_type": EVENT_TYPE, "event_payload": {"key": message.key}},
    )


def outgoing(key: str = "task-opened:T1", *, to: Destination | None = None) -> Outgoing:
    now = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    return Outgoing(
        key=key,
        to=to or Destination.group(),
        content=TaskNews("opened", task(), now),
        words=f"the news {key}",
        due=now,
        forget_after=now + timedelta(days=14),
    )


def web_chat(fake: FakeSlack, clock: Clock, token: str = BOT_TOKEN, **kwargs: Any) -> SlackChat:
    """SlackChat over the real WebClient against ``fake``, sleeping and reading time on the test clock."""
    return SlackChat(
        slack_client(fake, token),
        render=kwargs.pop("render", render),
        sleep=clock.sleep,
        clock=lambda: clock.now.timestamp(),
        **kwargs,
    )


def with_slack(person: Member, user_id: str) -> Member:
    return dataclasses.replace(person, slack_user_id=user_id)


@pytest.fixture
def chat(fake_slack: FakeSlack, clock: Clock) -> SlackChat:
    return web_chat(fake_slack, clock)


@pytest.fixture
def ada(fake_slack: FakeSlack) -> str:
    return fake_slack.add_user("ada", email="ada.obi@example.org")


@pytest.fixture
def group_channel(fake_slack: FakeSlack, ada: str) -> str:
    return fake_slack.add_channel("braingain", members=(ada, BOT_USER_ID))


# -- channels ----------------------------------------------------------------------------


def test_an_existing_channel_costs_one_list_call_and_is_remembered_after(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    assert chat.channel("braingain") == group_channel
    assert chat.channel("#braingain") == group_channel
    assert fake_slack.counts == {"conversations.list": 1}


def test_a_missing_channel_is_made_with_braingain_in_it(fake_slack: FakeSlack, chat: SlackChat) -> None:
    fake_slack.add_channel("someone-elses")
    made = chat.channel("proj-p1")
    assert fake_slack.channel("proj-p1").id == made
    assert fake_slack.channel(made).members == [BOT_USER_ID]
    assert fake_slack.counts == {"conversations.list": 1, "conversations.create": 1}
    assert chat.channel("proj-p1") == made
    assert fake_slack.counts["conversations.list"] == 1


def test_a_channel_braingain_is_not_in_is_joined(fake_slack: FakeSlack, chat: SlackChat, ada: str) -> None:
    made_by_ada = fake_slack.add_channel("braingain", members=(ada,))
    assert chat.channel("braingain") == made_by_ada
    assert fake_slack.channel(made_by_ada).members == [ada, BOT_USER_ID]
    assert fake_slack.counts == {"conversations.list": 1, "conversations.join": 1}


def test_a_channel_on_a_later_page_is_found_without_making_another(
    fake_slack: FakeSlack, chat: SlackChat
) -> None:
    for number in range(250):
        fake_slack.add_channel(f"other-{number}")
    last = fake_slack.add_channel("braingain", members=(BOT_USER_ID,))
    assert chat.channel("braingain") == last
    assert fake_slack.counts == {"conversations.list": 2}


def test_a_name_an_archived_channel_has_says_to_unarchive_it_or_choose_another(
    fake_slack: FakeSlack, chat: SlackChat, ada: str
) -> None:
    archived = fake_slack.add_channel("braingain", members=(ada, BOT_USER_ID))
    fake_slack.channel(archived).is_archived = True
    with pytest.raises(SlackChannelTaken) as raised:
        chat.channel("braingain")
    said = str(raised.value)
    assert "#braingain" in said
    assert "archived channel" in said
    assert "unarchive it" in said
    assert "[slack]" in said
    assert (raised.value.outcome_known, raised.value.halts) == (True, False)
    assert len(fake_slack.channels) == 1


def test_a_name_a_private_channel_has_is_refused_the_same_way(
    fake_slack: FakeSlack, chat: SlackChat, ada: str
) -> None:
    fake_slack.add_channel("braingain", private=True, members=(ada,))
    with pytest.raises(SlackChannelTaken, match="private channel braingain cannot see"):
        chat.channel("braingain")


def test_a_channel_name_slack_does_not_take_names_the_setting_to_change(chat: SlackChat) -> None:
    with pytest.raises(SlackRefused) as raised:
        chat.channel("Brain Gain")
    assert raised.value.error == "invalid_name_specials"
    assert "[slack]" in str(raised.value)


# -- members -----------------------------------------------------------------------------


def test_members_are_invited_by_their_user_id_or_the_account_under_their_email(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str, ada: str
) -> None:
    grace = fake_slack.add_user("grace", email="Grace.Hopper@example.org")
    linus = fake_slack.add_user("linus", email="linus.t@elsewhere.org")
    words = chat.invite(
        group_channel,
        [
            member("grace.hopper"),
            with_slack(member("linus.torvalds"), linus),
            member("ada.obi", given_names="Ada", surname="Obi"),  # already in: looked up, not an error
        ],
    )
    assert words == ()
    assert fake_slack.channel(group_channel).members == [ada, BOT_USER_ID, grace, linus]


def test_a_member_invited_to_several_channels_is_looked_up_by_email_once(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    grace = fake_slack.add_user("grace", email="grace.hopper@example.org")
    other = chat.channel("proj-sr")
    fake_slack.reset_counts()
    people = [member("grace.hopper"), member("ada.nobody", given_names="Ada", surname="Obi")]
    assert chat.invite(group_channel, people) == chat.invite(other, people)  # the absent said each time
    assert fake_slack.count("users.lookupByEmail") == 2  # one each, not one each per channel
    assert grace in fake_slack.channel(other).members


def test_one_invite_call_adds_everyone_when_nobody_is_in_yet(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    users = [fake_slack.add_user(f"user{n}", email=f"u{n}@example.org") for n in range(3)]
    people = [with_slack(member(f"user.n{n}"), user) for n, user in enumerate(users)]
    assert chat.invite(group_channel, people) == ()
    assert fake_slack.counts == {"conversations.invite": 1}


def test_a_member_without_a_slack_account_is_named_without_their_email(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    grace = fake_slack.add_user("grace", email="grace.hopper@example.org")
    words = chat.invite(
        group_channel,
        [member("ada.nobody", given_names="Ada", surname="Obi"), member("grace.hopper")],
    )
    assert words == ("Ada Obi has no Slack account under the email on the Members tab",)
    assert grace in fake_slack.channel(group_channel).members
    assert "@" not in caplog.text


def test_a_user_id_the_workspace_does_not_know_is_named_and_the_others_still_invited(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    grace = fake_slack.add_user("grace", email="grace.hopper@example.org")
    words = chat.invite(
        group_channel,
        [with_slack(member("ada.obi"), "U404404404"), with_slack(member("grace.hopper"), grace)],
    )
    assert words == (
        "Ada Obi could not be added: the Slack user ID U404404404 on the Members tab is not a member "
        "of the group's workspace",
    )
    assert grace in fake_slack.channel(group_channel).members


def test_a_lookup_the_app_may_not_make_halts_instead_of_calling_members_unknown(
    fake_slack: FakeSlack, clock: Clock, group_channel: str
) -> None:
    fake_slack.add_token("xoxb-no-email", tuple(s for s in SCOPES if s != "users:read.email"))
    with pytest.raises(SlackScopeMissing) as raised:
        web_chat(fake_slack, clock, "xoxb-no-email").invite(group_channel, [member("ada.obi")])
    assert raised.value.needed == "users:read.email"
    assert "@" not in str(raised.value)


def test_a_member_with_neither_id_nor_email_is_named(chat: SlackChat, group_channel: str) -> None:
    nameless = dataclasses.replace(member("ada.obi"), email=None)
    assert chat.invite(group_channel, [nameless]) == (
        "Ada Obi has neither a Slack user ID nor an email on the Members tab",
    )


# -- posting -----------------------------------------------------------------------------


def test_a_post_carries_its_key_text_and_blocks_and_unfurls_nothing(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    ts = chat.post(group_channel, outgoing("task-opened:T1"), group=GROUP)
    [stored] = fake_slack.messages(group_channel)
    assert stored["ts"] == ts
    assert stored["metadata"] == {"event_type": EVENT_TYPE, "event_payload": {"key": "task-opened:T1"}}
    assert stored["text"] == f"{GROUP.name}: task-opened:T1"
    assert stored["blocks"][0]["text"]["text"] == "the news task-opened:T1"
    sent = fake_slack.requests_to("chat.postMessage")[0].body
    assert (sent["unfurl_links"], sent["unfurl_media"]) == (False, False)


def test_a_post_carries_the_messages_key_whatever_the_rendering_put_in_the_metadata(
    fake_slack: FakeSlack, clock: Clock, group_channel: str
) -> None:
    def forgetful(message: Outgoing, group: Group) -> SlackMessage:
        return SlackMessage(text="hello", blocks=(), metadata={})

    web_chat(fake_slack, clock, render=forgetful).post(group_channel, outgoing("k:1"), group=GROUP)
    [stored] = fake_slack.messages(group_channel)
    assert stored["metadata"] == {"event_type": EVENT_TYPE, "event_payload": {"key": "k:1"}}
    assert "blocks" not in stored


def test_a_post_to_a_members_user_id_arrives_as_the_apps_direct_message(
    fake_slack: FakeSlack, chat: SlackChat, ada: str
) -> None:
    to_ada = Destination.member(member("ada.obi").id, Medium.SLACK)
    ts = chat.post(ada, outgoing("digest:M01", to=to_ada), group=GROUP)
    assert fake_slack.requests_to("chat.postMessage")[0].body["channel"] == ada  # to the user ID itself
    [stored] = [m for c in fake_slack.channels.values() if c.is_im for m in c.messages]
    assert stored["ts"] == ts


def test_a_burst_to_one_channel_waits_a_second_between_posts_and_two_channels_do_not(
    fake_slack: FakeSlack, chat: SlackChat, clock: Clock, group_channel: str
) -> None:
    fake_slack.post_interval = 1.0  # Slack's own limit: a post sooner would be a 429
    for number in range(3):
        chat.post(group_channel, outgoing(f"k:{number}"), group=GROUP)
    assert clock.sleeps == [1.0, 1.0]
    other = fake_slack.add_channel("other", members=(BOT_USER_ID,))
    clock.advance(5)
    clock.sleeps.clear()
    chat.post(group_channel, outgoing("a"), group=GROUP)
    chat.post(other, outgoing("b"), group=GROUP)
    assert clock.sleeps == []
    assert fake_slack.count("chat.postMessage") == 5


def test_a_429_is_waited_out_as_retry_after_asks_then_the_post_goes_once(
    fake_slack: FakeSlack, chat: SlackChat, clock: Clock, group_channel: str
) -> None:
    fake_slack.faults.add("chat.postMessage", rate_limited(retry_after=7))
    chat.post(group_channel, outgoing(), group=GROUP)
    assert clock.sleeps == [7.0]
    assert fake_slack.count("chat.postMessage") == 2
    assert len(fake_slack.messages(group_channel)) == 1


def test_a_429_that_lasts_halts_slack_with_nothing_posted(
    fake_slack: FakeSlack, chat: SlackChat, clock: Clock, group_channel: str
) -> None:
    fake_slack.faults.add("chat.postMessage", rate_limited(retry_after=2), times=50)
    with pytest.raises(SlackRateLimited) as raised:
        chat.post(group_channel, outgoing(), group=GROUP)
    assert (raised.value.halts, raised.value.outcome_known) == (True, True)
    assert fake_slack.count("chat.postMessage") == 1 + RATE_LIMIT_RETRIES
    assert clock.sleeps == [2.0] * RATE_LIMIT_RETRIES
    assert fake_slack.messages(group_channel) == []


def test_a_retry_after_longer_than_braingain_waits_halts_at_once(
    fake_slack: FakeSlack, chat: SlackChat, clock: Clock, group_channel: str
) -> None:
    fake_slack.faults.add("conversations.list", rate_limited(retry_after=600))
    with pytest.raises(SlackRateLimited):
        chat.channel("braingain")
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"channel": "C404404404"}, "channel_not_found"),
        ({"text": "x" * 40001}, "msg_too_long"),
    ],
)
def test_a_post_slack_refuses_is_known_not_posted_and_slack_goes_on(
    fake_slack: FakeSlack, clock: Clock, group_channel: str, arguments: dict[str, str], error: str
) -> None:
    def long(message: Outgoing, group: Group) -> SlackMessage:
        return SlackMessage(text=arguments.get("text", "hi"), blocks=(), metadata={})

    chat = web_chat(fake_slack, clock, render=long)
    with pytest.raises(SlackRefused) as raised:
        chat.post(arguments.get("channel", group_channel), outgoing(), group=GROUP)
    assert (raised.value.error, raised.value.outcome_known, raised.value.halts) == (error, True, False)
    assert fake_slack.messages(group_channel) == []


def test_an_archived_channel_refuses_a_post_without_halting(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    fake_slack.channel(group_channel).is_archived = True
    with pytest.raises(SlackRefused, match="is_archived") as raised:
        chat.post(group_channel, outgoing(), group=GROUP)
    assert raised.value.halts is False


# -- failures ----------------------------------------------------------------------------


def test_a_post_whose_connection_drops_after_slack_kept_it_is_unknown_and_found_again(
    fake_slack: FakeSlack, chat: SlackChat, clock: Clock, group_channel: str
) -> None:
    since = clock.now
    fake_slack.faults.add("chat.postMessage", reset_after_commit())
    with pytest.raises(SlackUnavailable) as raised:
        chat.post(group_channel, outgoing("reminder:1"), group=GROUP)
    assert (raised.value.outcome_known, raised.value.halts) == (False, True)
    assert "may or may not have been posted" in str(raised.value)
    assert fake_slack.count("chat.postMessage") == 1  # never sent twice blind
    [stored] = fake_slack.messages(group_channel)
    assert chat.find(group_channel, "reminder:1", since=since) == stored["ts"]


def test_a_post_that_times_out_is_unknown_and_not_found_when_slack_never_kept_it(
    fake_slack: FakeSlack, clock: Clock, group_channel: str
) -> None:
    chat = web_chat(fake_slack, clock)
    chat.client.timeout = 1
    since = clock.now
    fake_slack.faults.add("chat.postMessage", timeout(10))
    with pytest.raises(SlackUnavailable, match="timed out") as raised:
        chat.post(group_channel, outgoing("reminder:1"), group=GROUP)
    assert raised.value.outcome_known is False
    assert fake_slack.count("chat.postMessage") == 1
    assert chat.find(group_channel, "reminder:1", since=since) is None


def test_a_server_error_on_a_post_is_not_retried_and_its_outcome_is_unknown(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    fake_slack.faults.add("chat.postMessage", status(500))
    with pytest.raises(SlackUnavailable) as raised:
        chat.post(group_channel, outgoing(), group=GROUP)
    assert (raised.value.outcome_known, raised.value.halts) == (False, True)
    assert fake_slack.count("chat.postMessage") == 1


def test_a_read_survives_a_server_error_and_a_dropped_connection(
    fake_slack: FakeSlack, chat: SlackChat, clock: Clock, group_channel: str
) -> None:
    fake_slack.faults.add("conversations.list", status(503))
    fake_slack.faults.add("conversations.list", reset_after_commit())
    assert chat.channel("braingain") == group_channel
    assert fake_slack.count("conversations.list") == 3
    assert clock.sleeps == [1.0, 2.0]


@pytest.mark.parametrize("body", [None, "<html><body>502 Bad Gateway</body></html>"])
def test_a_server_that_stays_down_halts_slack(
    fake_slack: FakeSlack, chat: SlackChat, body: str | None
) -> None:
    fake_slack.faults.add("conversations.list", status(502, body=body), times=10)
    with pytest.raises(SlackUnavailable, match="HTTP 502") as raised:
        chat.channel("braingain")
    assert raised.value.halts is True


@pytest.mark.parametrize("how", ["unknown", "revoked", "expired"])
def test_a_refused_token_halts_with_the_fix_and_never_shows_the_token(
    fake_slack: FakeSlack, clock: Clock, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    caplog.set_level(logging.DEBUG)
    token = "xoxb-wrong-but-secret" if how == "unknown" else BOT_TOKEN
    if how == "revoked":
        fake_slack.revoke()
    if how == "expired":
        fake_slack.faults.add("conversations.list", expired_token())
    with pytest.raises(SlackAuthError) as raised:
        web_chat(fake_slack, clock, token).channel("braingain")
    error = raised.value
    assert (error.halts, error.outcome_known) == (True, True)
    assert "reinstall" in error.hint
    assert "SLACK_BOT_TOKEN" in error.hint
    shown = f"{error} {error!r} {error.args} {error.__cause__!r} {error.__context__!r}"
    assert token not in shown
    assert "xoxb-" not in str(error).replace("(xoxb-...)", "")
    assert token not in caplog.text


def test_a_missing_scope_is_named_with_where_to_add_it(fake_slack: FakeSlack, clock: Clock) -> None:
    fake_slack.add_token("xoxb-narrow", ("chat:write",))
    with pytest.raises(SlackScopeMissing) as raised:
        web_chat(fake_slack, clock, "xoxb-narrow").channel("braingain")
    assert raised.value.needed == "channels:read"
    assert "channels:read" in str(raised.value)
    assert "braingain slack manifest" in str(raised.value)
    assert (raised.value.halts, raised.value.outcome_known) == (True, True)


# -- finding -----------------------------------------------------------------------------


def test_find_ignores_other_keys_other_apps_and_messages_before_since(
    fake_slack: FakeSlack, chat: SlackChat, clock: Clock, group_channel: str
) -> None:
    client = slack_client(fake_slack)
    before = chat.post(group_channel, outgoing("reminder:1"), group=GROUP)
    clock.advance(60)
    since = clock.now
    other = {"event_type": "someone_else", "event_payload": {"key": "reminder:2"}}
    client.chat_postMessage(channel=group_channel, text="not ours", metadata=other)
    client.chat_postMessage(channel=group_channel, text="reminder:2")
    wanted = chat.post(group_channel, outgoing("reminder:2"), group=GROUP)
    chat.post(group_channel, outgoing("reminder:3"), group=GROUP)
    assert chat.find(group_channel, "reminder:2", since=since) == wanted
    assert chat.find(group_channel, "reminder:1", since=since) is None
    assert chat.find(group_channel, "reminder:1", since=since - timedelta(minutes=2)) == before


def test_find_reads_every_page_of_the_history(
    fake_slack: FakeSlack, chat: SlackChat, clock: Clock, group_channel: str
) -> None:
    since = clock.now
    wanted = chat.post(group_channel, outgoing("digest:week-1"), group=GROUP)
    client = slack_client(fake_slack)
    for number in range(250):
        client.chat_postMessage(channel=group_channel, text=f"chatter {number}")
    fake_slack.reset_counts()
    assert chat.find(group_channel, "digest:week-1", since=since) == wanted
    assert fake_slack.counts == {"conversations.history": 2}
    assert all(r.body["include_all_metadata"] == "1" for r in fake_slack.requests)


def test_a_direct_message_is_found_again_by_opening_it_once(
    fake_slack: FakeSlack, clock: Clock, ada: str
) -> None:
    since = clock.now
    ts = web_chat(fake_slack, clock).post(ada, outgoing("digest:M01"), group=GROUP)
    later = web_chat(fake_slack, clock)  # another sync: it knows nothing yet
    fake_slack.reset_counts()
    assert later.find(ada, "digest:M01", since=since) == ts
    assert later.find(ada, "digest:M02", since=since) is None
    assert fake_slack.counts == {"conversations.open": 1, "conversations.history": 2}


def test_find_wants_an_aware_moment(chat: SlackChat, group_channel: str) -> None:
    with pytest.raises(ValueError, match="aware"):
        chat.find(group_channel, "k", since=datetime(2027, 1, 10))


# -- setting it up -----------------------------------------------------------------------


def test_without_a_bot_token_there_is_no_slack() -> None:
    assert slack_for(load_config(None, environ={}), render=render) is None


def test_slack_from_the_configuration_uses_the_moved_endpoint_and_logs_no_token_or_email(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture, ada: str
) -> None:
    caplog.set_level(logging.DEBUG)
    config = dataclasses.replace(
        load_config(None, environ={"SLACK_BOT_TOKEN": BOT_TOKEN}),
        endpoints={"https://slack.com/api": f"{fake_slack.base_url}/api"},
    )
    chat = slack_for(config, render=render)
    assert chat is not None
    made = chat.channel("braingain")
    assert chat.invite(made, [member("ada.obi"), member("no.body")]) == (
        "No Body has no Slack account under the email on the Members tab",
    )
    assert ada in fake_slack.channel(made).members
    assert BOT_TOKEN not in caplog.text
    assert "@" not in caplog.text


def test_the_manifests_scopes_are_all_this_needs(fake_slack: FakeSlack, clock: Clock, ada: str) -> None:
    fake_slack.add_token("xoxb-manifest", tuple(SCOPES))
    fake_slack.add_channel("braingain", members=(ada,))
    chat = web_chat(fake_slack, clock, "xoxb-manifest")
    since = clock.now
    channel = chat.channel("braingain")
    project = chat.channel("proj-p1")
    assert chat.invite(project, [member("ada.obi")]) == ()
    posted = chat.post(channel, outgoing("group"), group=GROUP)
    direct = chat.post(ada, outgoing("direct"), group=GROUP)
    assert chat.find(channel, "group", since=since) == posted
    assert chat.find(ada, "direct", since=since) == direct


# -- files in a thread ---------------------------------------------------------------------------

CHART = Upload(
    "gantt-P1.png", "Gantt chart of P1 A review", "Gantt chart of P1: 3 tasks", "image/png", b"\x89PNG-1"
)


def test_a_chart_is_shared_in_reply_to_a_message_in_three_steps_and_found_again_by_its_name(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    ts = chat.post(group_channel, outgoing("group-digest:1"), group=GROUP)
    file_id = chat.attach(group_channel, ts, CHART)
    [upload] = fake_slack.uploads()
    assert (upload.id, upload.completed, upload.data) == (file_id, True, CHART.data)
    assert (upload.title, upload.alt_txt, upload.channel, upload.thread_ts) == (
        CHART.title,
        CHART.alt,
        group_channel,
        ts,
    )
    [reply] = fake_slack.replies(group_channel, ts)
    assert [f["name"] for f in reply["files"]] == ["gantt-P1.png"]
    assert len(fake_slack.messages(group_channel)) == 1, "a reply, not a message of its own in the channel"
    counts = {k: fake_slack.count(k) for k in ("files.getUploadURLExternal", "upload_url")}
    assert counts == {"files.getUploadURLExternal": 1, "upload_url": 1}
    assert fake_slack.count("files.completeUploadExternal") == 1
    assert chat.attached(group_channel, ts, "gantt-P1.png") == file_id
    assert chat.attached(group_channel, ts, "gantt-P2.png") is None


def test_a_share_whose_connection_drops_after_slack_kept_it_is_unknown_never_retried_and_found(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    ts = chat.post(group_channel, outgoing("group-digest:1"), group=GROUP)
    fake_slack.faults.add("files.completeUploadExternal", reset_after_commit())
    with pytest.raises(SlackUnavailable, match="may or may not have been shared") as raised:
        chat.attach(group_channel, ts, CHART)
    assert (raised.value.outcome_known, raised.value.halts) == (False, True)
    assert fake_slack.count("files.completeUploadExternal") == 1  # never completed twice blind
    assert chat.attached(group_channel, ts, "gantt-P1.png") == fake_slack.uploads()[0].id


def test_a_server_error_on_sharing_a_file_is_not_retried(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    ts = chat.post(group_channel, outgoing("group-digest:1"), group=GROUP)
    fake_slack.faults.add("files.completeUploadExternal", status(500))
    with pytest.raises(SlackUnavailable) as raised:
        chat.attach(group_channel, ts, CHART)
    assert raised.value.outcome_known is False
    assert fake_slack.count("files.completeUploadExternal") == 1
    assert chat.attached(group_channel, ts, "gantt-P1.png") is None


def test_an_upload_url_that_fails_shares_nothing_and_is_asked_for_again(
    fake_slack: FakeSlack, chat: SlackChat, group_channel: str
) -> None:
    ts = chat.post(group_channel, outgoing("group-digest:1"), group=GROUP)
    fake_slack.faults.add("files.getUploadURLExternal", status(503))
    file_id = chat.attach(group_channel, ts, CHART)
    assert fake_slack.count("files.getUploadURLExternal") == 2  # a 5xx before anything went up: retried
    assert chat.attached(group_channel, ts, "gantt-P1.png") == file_id


def test_an_app_without_the_files_scope_is_told_which_scope_to_add(
    fake_slack: FakeSlack, clock: Clock, group_channel: str
) -> None:
    fake_slack.add_token("xoxb-no-files", tuple(s for s in SCOPES if s != "files:write"))
    chat = web_chat(fake_slack, clock, token="xoxb-no-files")
    ts = chat.post(group_channel, outgoing("group-digest:1"), group=GROUP)
    with pytest.raises(SlackScopeMissing, match="files:write"):
        chat.attach(group_channel, ts, CHART)
    assert fake_slack.uploads() == []
