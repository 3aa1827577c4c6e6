"""The Slack fake answers the real slack_sdk WebClient in the shapes of Slack's Web API description,
and fails as Slack fails.

The description (``shared/specs/slack_web_openapi_v2.json`` beside the repository, never copied into
it) is read when present; the checks against it are skipped on a clone without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from tests.fakes.framework import REDACTED, expired_token, rate_limited, reset_after_commit
from tests.fakes.slack import APP_TOKEN, BOT_ID, BOT_TOKEN, BOT_USER_ID, TEAM_ID, TIERS, FakeSlack
from tests.fakes.slack_support import slack_client
from tests.fakes.zoom_support import Clock
from tests.integrations.api_descriptions import JSON_TYPES, description, resolve

NEWER_THAN_THE_DESCRIPTION = {"metadata", "app_id"}
"""Message fields Slack's current reference has and its 2021 description lacks."""

HOME = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "My tasks"}}]}
MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Needs rework"}, "blocks": []}
KEY = {"event_type": "braingain_reminder", "event_payload": {"key": "reminder:2027-01-16:ada"}}


# -- the description ---------------------------------------------------------------------


SPEC = "slack_web_openapi_v2.json"


def _is(value: Any, kind: str) -> bool:
    if kind not in JSON_TYPES:
        return True
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, JSON_TYPES[kind])


def problems(schema: dict[str, Any], value: Any, where: str = "body") -> list[str]:
    """Where ``value`` breaks ``schema``: types, enums, patterns, required and unknown properties.

    The description writes "one of" as a list under ``items``; a value passes if one of them fits.
    """
    schema = resolve(SPEC, schema)
    alternatives = schema.get("items")
    if isinstance(alternatives, list):
        tried = [problems(option, value, where) for option in alternatives]
        return [] if any(not found for found in tried) else min(tried, key=len)
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    if kinds and not any(_is(value, kind) for kind in kinds):
        return [f"{where}: {value!r} is not {' or '.join(kinds)}"]
    found: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        found += [f"{where}: {key} missing" for key in schema.get("required", []) if key not in value]
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(properties) - NEWER_THAN_THE_DESCRIPTION
            found += [f"{where}: {key} not described" for key in sorted(extra)]
        for key, sub in properties.items():
            if key in value:
                found += problems(sub, value[key], f"{where}.{key}")
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            found += problems(schema["items"], item, f"{where}[{index}]")
    return found


def shape(method: str, answer: SlackResponse | dict[str, Any]) -> list[str]:
    """Problems of ``answer`` against ``method``'s success (ok) or error (not ok) schema."""
    body = answer.data if isinstance(answer, SlackResponse) else answer
    assert isinstance(body, dict)
    operation = next(iter(description(SPEC)["paths"][f"/{method}"].values()))
    schema: dict[str, Any] = operation["responses"]["200" if body["ok"] else "default"]["schema"]
    return problems(schema, body)


def slack_error(call: Any, *args: Any, **kwargs: Any) -> SlackResponse:
    with pytest.raises(SlackApiError) as raised:
        call(*args, **kwargs)
    response: SlackResponse = raised.value.response
    return response


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def ada(fake_slack: FakeSlack) -> str:
    return fake_slack.add_user("ada", email="Ada@braingain.test")


@pytest.fixture
def group(fake_slack: FakeSlack, ada: str) -> str:
    return fake_slack.add_channel("brain-gain", members=(ada, BOT_USER_ID))


# -- shapes ------------------------------------------------------------------------------

Answer = SlackResponse | dict[str, Any]


def _refused(call: Any, **kwargs: Any) -> Answer:
    return slack_error(call, **kwargs)


def _archived(fake: FakeSlack) -> str:
    ident = fake.add_channel("old-news")
    fake.channel(ident).is_archived = True
    return ident


SCENARIOS: list[tuple[str, str, Callable[[FakeSlack, WebClient, str, str], Answer]]] = [
    ("auth.test", "ok", lambda f, c, u, g: c.auth_test()),
    ("auth.test", "not_authed", lambda f, c, u, g: requests.post(f"{f.api_url}auth.test", timeout=5).json()),
    ("chat.postMessage", "ok", lambda f, c, u, g: c.chat_postMessage(channel=g, text="hi", metadata=KEY)),
    (
        "chat.postMessage",
        "channel_not_found",
        lambda f, c, u, g: _refused(c.chat_postMessage, channel="C9", text="x"),
    ),
    ("chat.postEphemeral", "ok", lambda f, c, u, g: c.chat_postEphemeral(channel=g, user=u, text="hi")),
    (
        "chat.postEphemeral",
        "user_not_in_channel",
        lambda f, c, u, g: _refused(c.chat_postEphemeral, channel=g, user="U9", text="x"),
    ),
    ("views.publish", "ok", lambda f, c, u, g: c.views_publish(user_id=u, view=HOME)),
    ("views.open", "ok", lambda f, c, u, g: c.views_open(trigger_id=f.trigger(u), view=MODAL)),
    (
        "conversations.create",
        "ok",
        lambda f, c, u, g: c.conversations_create(name="new-one", is_private=True),
    ),
    (
        "conversations.create",
        "name_taken",
        lambda f, c, u, g: _refused(c.conversations_create, name="brain-gain"),
    ),
    (
        "conversations.invite",
        "ok",
        lambda f, c, u, g: c.conversations_invite(channel=g, users=f.add_user("g", email="g@x.test")),
    ),
    (
        "conversations.invite",
        "already_in_channel",
        lambda f, c, u, g: _refused(c.conversations_invite, channel=g, users=u),
    ),
    (
        "conversations.list",
        "ok",
        lambda f, c, u, g: c.conversations_list(types="public_channel,private_channel,im"),
    ),
    (
        "conversations.replies",
        "thread_not_found",
        lambda f, c, u, g: _refused(c.conversations_replies, channel=g, ts="1.000001"),
    ),
    (
        "conversations.history",
        "ok",
        lambda f, c, u, g: c.conversations_history(channel=g, include_all_metadata=True),
    ),
    (
        "conversations.history",
        "channel_not_found",
        lambda f, c, u, g: _refused(c.conversations_history, channel="C9"),
    ),
    (
        "conversations.join",
        "ok",
        lambda f, c, u, g: c.conversations_join(channel=f.add_channel("joinable", members=(u,))),
    ),
    ("conversations.join", "ok", lambda f, c, u, g: c.conversations_join(channel=g)),
    (
        "conversations.join",
        "is_archived",
        lambda f, c, u, g: _refused(c.conversations_join, channel=_archived(f)),
    ),
    ("conversations.open", "ok", lambda f, c, u, g: c.conversations_open(users=u)),
    (
        "conversations.open",
        "user_not_found",
        lambda f, c, u, g: _refused(c.conversations_open, users="U404404404"),
    ),
    ("users.info", "ok", lambda f, c, u, g: c.users_info(user=u, include_locale=True)),
    ("users.info", "user_not_found", lambda f, c, u, g: _refused(c.users_info, user="U404404404")),
    ("users.lookupByEmail", "ok", lambda f, c, u, g: c.users_lookupByEmail(email="ada@braingain.test")),
    (
        "users.lookupByEmail",
        "users_not_found",
        lambda f, c, u, g: _refused(c.users_lookupByEmail, email="no@x.test"),
    ),
    ("users.info", "ok", lambda f, c, u, g: c.users_info(user=u)),
    ("users.info", "user_not_found", lambda f, c, u, g: _refused(c.users_info, user="U9")),
]


def test_missing_scope_has_the_described_shape(fake_slack: FakeSlack) -> None:
    fake_slack.add_token("xoxb-narrow", ("chat:write",))
    refused = slack_error(slack_client(fake_slack, "xoxb-narrow").conversations_list)
    assert refused["error"] == "missing_scope"
    assert shape("conversations.list", refused) == []


@pytest.mark.parametrize(("method", "outcome", "make"), SCENARIOS, ids=[f"{m}-{o}" for m, o, _ in SCENARIOS])
def test_each_answer_has_the_shape_slacks_description_gives(
    fake_slack: FakeSlack,
    ada: str,
    group: str,
    method: str,
    outcome: str,
    make: Callable[[FakeSlack, WebClient, str, str], Answer],
) -> None:
    client = slack_client(fake_slack)
    client.chat_postMessage(channel=ada, text="a direct message, so the list has an im")
    client.chat_postMessage(channel=group, text="earlier", metadata=KEY)
    answer = make(fake_slack, client, ada, group)
    body = answer.data if isinstance(answer, SlackResponse) else answer
    assert isinstance(body, dict)
    assert body.get("error", "ok") == outcome
    assert shape(method, answer) == []


# -- auth --------------------------------------------------------------------------------


def test_auth_test_names_the_bot_and_its_workspace(fake_slack: FakeSlack) -> None:
    answer = slack_client(fake_slack).auth_test()
    assert (answer["user_id"], answer["bot_id"], answer["team_id"]) == (BOT_USER_ID, BOT_ID, TEAM_ID)


def test_a_missing_unknown_or_revoked_token_is_refused_in_slacks_words(fake_slack: FakeSlack) -> None:
    bare = requests.post(f"{fake_slack.api_url}auth.test", timeout=5)
    assert (bare.status_code, bare.json()) == (200, {"ok": False, "error": "not_authed"})
    assert slack_error(slack_client(fake_slack, "xoxb-nobody").auth_test)["error"] == "invalid_auth"
    in_body = requests.post(f"{fake_slack.api_url}auth.test", data={"token": BOT_TOKEN}, timeout=5)
    assert in_body.json()["ok"] is True
    in_query = requests.post(f"{fake_slack.api_url}auth.test", params={"token": BOT_TOKEN}, timeout=5)
    assert in_query.json()["error"] == "not_authed"
    fake_slack.revoke()
    assert slack_error(slack_client(fake_slack).auth_test)["error"] == "token_revoked"


def test_a_token_without_the_scope_gets_missing_scope_with_needed_and_provided(
    fake_slack: FakeSlack, group: str
) -> None:
    fake_slack.add_token("xoxb-narrow", ("chat:write", "channels:read"))
    narrow = slack_client(fake_slack, "xoxb-narrow")
    refused = slack_error(narrow.conversations_list, types="public_channel,private_channel")
    assert (refused["error"], refused["needed"], refused["provided"]) == (
        "missing_scope",
        "groups:read",
        "chat:write,channels:read",
    )
    assert slack_error(narrow.users_lookupByEmail, email="ada@braingain.test")["needed"] == "users:read.email"
    assert narrow.conversations_list()["channels"][0]["id"] == group


# -- chat --------------------------------------------------------------------------------


def test_a_posted_message_keeps_its_metadata_and_history_shows_it_only_when_asked(
    fake_slack: FakeSlack, group: str
) -> None:
    client = slack_client(fake_slack)
    posted = client.chat_postMessage(channel=group, text="Meeting tomorrow", metadata=KEY)
    assert posted["message"]["metadata"] == KEY
    assert fake_slack.messages("brain-gain")[0]["metadata"] == KEY
    plain = client.conversations_history(channel=group)
    assert "metadata" not in plain["messages"][0]
    full = client.conversations_history(channel=group, include_all_metadata=True)
    assert full["messages"][0]["metadata"] == KEY
    assert full["messages"][0]["ts"] == posted["ts"]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"channel": "C999999999", "text": "hi"}, "channel_not_found"),
        ({"channel": "", "text": "hi"}, "channel_not_found"),
        ({"channel": "#brain-gain", "text": "x" * 40001}, "msg_too_long"),
        (
            {"channel": "#brain-gain", "text": "hi", "metadata": {"event_type": "k"}},
            "invalid_metadata_format",
        ),
        ({"channel": "#brain-gain", "text": "hi", "metadata": "not json"}, "invalid_metadata_format"),
        ({"channel": "#brain-gain", "text": "hi", "blocks": {"type": "section"}}, "invalid_blocks"),
        ({"channel": "#outside", "text": "hi"}, "not_in_channel"),
    ],
)
def test_a_message_slack_would_refuse_is_refused_and_not_kept(
    fake_slack: FakeSlack, group: str, ada: str, arguments: dict[str, Any], error: str
) -> None:
    fake_slack.add_channel("outside", members=(ada,))
    refused = slack_error(slack_client(fake_slack).chat_postMessage, **arguments)
    assert (refused.status_code, refused["error"]) == (200, error)
    assert fake_slack.messages(group) == []


def test_a_message_without_text_or_blocks_is_refused(fake_slack: FakeSlack, group: str) -> None:
    with pytest.warns(UserWarning, match="`text` argument is missing"):
        refused = slack_error(slack_client(fake_slack).chat_postMessage, channel=group)
    assert refused["error"] == "no_text"


def test_a_message_to_an_archived_channel_is_refused(fake_slack: FakeSlack, group: str) -> None:
    fake_slack.channel(group).is_archived = True
    assert (
        slack_error(slack_client(fake_slack).chat_postMessage, channel=group, text="hi")["error"]
        == "is_archived"
    )


def test_chat_write_public_posts_to_a_public_channel_without_joining(fake_slack: FakeSlack, ada: str) -> None:
    outside = fake_slack.add_channel("outside", members=(ada,))
    hidden = fake_slack.add_channel("hidden", private=True, members=(ada,))
    fake_slack.add_token("xoxb-public", ("chat:write", "chat:write.public"))
    client = slack_client(fake_slack, "xoxb-public")
    assert client.chat_postMessage(channel=outside, text="hi")["channel"] == outside
    assert slack_error(client.chat_postMessage, channel=hidden, text="hi")["error"] == "channel_not_found"


def test_a_message_whose_answer_was_lost_is_in_history_with_its_key(
    fake_slack: FakeSlack, group: str
) -> None:
    client = slack_client(fake_slack)
    fake_slack.faults.add("chat.postMessage", reset_after_commit())
    with pytest.raises(OSError):
        client.chat_postMessage(channel=group, text="Reminder", metadata=KEY)
    found = client.conversations_history(channel=group, include_all_metadata=True)["messages"]
    assert [m["metadata"] for m in found] == [KEY]


def test_a_message_to_a_user_id_lands_in_their_direct_message(fake_slack: FakeSlack, ada: str) -> None:
    client = slack_client(fake_slack)
    first = client.chat_postMessage(channel=ada, text="Your digest")
    second = client.chat_postMessage(channel=ada, text="Your reminder")
    assert first["channel"] == second["channel"]
    assert first["channel"].startswith("D")
    assert [m["text"] for m in fake_slack.messages(first["channel"])] == ["Your digest", "Your reminder"]
    assert float(second["ts"]) > float(first["ts"])


def test_history_pages_newest_first_between_oldest_and_latest(
    fake_slack: FakeSlack, group: str, clock: Clock
) -> None:
    client = slack_client(fake_slack)
    stamps = []
    for number in range(5):
        stamps.append(client.chat_postMessage(channel=group, text=f"m{number}")["ts"])
        clock.advance(10)
    first = client.conversations_history(channel=group, limit=2)
    assert ([m["text"] for m in first["messages"]], first["has_more"]) == (["m4", "m3"], True)
    rest = client.conversations_history(
        channel=group, limit=10, cursor=first["response_metadata"]["next_cursor"]
    )
    assert ([m["text"] for m in rest["messages"]], rest["has_more"]) == (["m2", "m1", "m0"], False)
    between = client.conversations_history(channel=group, oldest=stamps[1], latest=stamps[3])
    assert [m["text"] for m in between["messages"]] == ["m2"]
    inclusive = client.conversations_history(
        channel=group, oldest=stamps[1], latest=stamps[3], inclusive=True
    )
    assert [m["text"] for m in inclusive["messages"]] == ["m3", "m2", "m1"]
    assert (
        slack_error(client.conversations_history, channel=group, oldest="soon")["error"]
        == "invalid_ts_oldest"
    )


def test_an_ephemeral_message_reaches_only_a_member_and_stays_out_of_history(
    fake_slack: FakeSlack, group: str, ada: str
) -> None:
    client = slack_client(fake_slack)
    client.chat_postEphemeral(channel=group, user=ada, text="Cap reached: you have 3 tasks")
    assert fake_slack.ephemerals()[0]["user"] == ada
    assert fake_slack.messages(group) == []
    grace = fake_slack.add_user("grace", email="grace@braingain.test")
    refused = slack_error(client.chat_postEphemeral, channel=group, user=grace, text="hi")
    assert refused["error"] == "user_not_in_channel"


# -- views -------------------------------------------------------------------------------


def test_each_user_has_one_home_view_and_a_stale_hash_is_refused(fake_slack: FakeSlack, ada: str) -> None:
    client = slack_client(fake_slack)
    first = client.views_publish(user_id=ada, view=HOME)
    second = client.views_publish(user_id=ada, view=HOME, hash=first["view"]["hash"])
    assert fake_slack.home_views()[ada]["id"] == second["view"]["id"]
    stale = slack_error(client.views_publish, user_id=ada, view=HOME, hash=first["view"]["hash"])
    assert stale["error"] == "hash_conflict"
    assert slack_error(client.views_publish, user_id="U404404404", view=HOME)["error"] == "user_not_found"
    assert slack_error(client.views_publish, user_id=ada, view=MODAL)["error"] == "invalid_arguments"


def test_a_modal_opens_once_per_fresh_trigger(fake_slack: FakeSlack, ada: str, clock: Clock) -> None:
    client = slack_client(fake_slack)
    trigger = fake_slack.trigger(ada)
    assert client.views_open(trigger_id=trigger, view=MODAL)["view"]["type"] == "modal"
    assert slack_error(client.views_open, trigger_id=trigger, view=MODAL)["error"] == "invalid_trigger_id"
    late = fake_slack.trigger(ada)
    clock.advance(4)
    assert slack_error(client.views_open, trigger_id=late, view=MODAL)["error"] == "expired_trigger_id"
    assert [v["user_id"] for v in fake_slack.opened_views()] == [ada]


# -- conversations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "invalid_name_required"),
        ("x" * 81, "invalid_name_maxlength"),
        ("Brain-Gain", "invalid_name_specials"),
        ("brain gain", "invalid_name_specials"),
        ("brain.gain", "invalid_name_specials"),
        ("--__", "invalid_name_punctuation"),
        ("brain-gain", "name_taken"),
    ],
)
def test_a_channel_name_slack_would_refuse_is_refused(
    fake_slack: FakeSlack, group: str, name: str, error: str
) -> None:
    refused = slack_error(slack_client(fake_slack).conversations_create, name=name)
    assert refused["error"] == error
    assert len(fake_slack.channels) == 1


def test_a_created_private_channel_has_the_bot_in_it(fake_slack: FakeSlack) -> None:
    created = slack_client(fake_slack).conversations_create(name="p-" + "x" * 78, is_private=True)
    channel = fake_slack.channel(created["channel"]["id"])
    assert (channel.is_private, channel.members) == (True, [BOT_USER_ID])


def test_an_invite_slack_would_refuse_invites_nobody(fake_slack: FakeSlack, group: str, ada: str) -> None:
    client = slack_client(fake_slack)
    grace = fake_slack.add_user("grace", email="grace@braingain.test")
    for users, error in [
        (f"{grace},{ada}", "already_in_channel"),
        (f"{grace},U404404404", "user_not_found"),
        (BOT_USER_ID, "cant_invite_self"),
        ("", "no_user"),
    ]:
        refused = slack_error(client.conversations_invite, channel=group, users=users)
        assert refused["error"] == error
    assert grace not in fake_slack.channel(group).members
    client.conversations_invite(channel=group, users=[grace])
    assert fake_slack.channel(group).members == [ada, BOT_USER_ID, grace]
    outside = fake_slack.add_channel("outside", members=(ada,))
    assert slack_error(client.conversations_invite, channel=outside, users=grace)["error"] == "not_in_channel"
    hidden = fake_slack.add_channel("hidden", private=True, members=(ada,))
    assert (
        slack_error(client.conversations_invite, channel=hidden, users=grace)["error"] == "channel_not_found"
    )


def test_the_list_pages_by_cursor_and_keeps_to_the_types_asked(fake_slack: FakeSlack, ada: str) -> None:
    client = slack_client(fake_slack)
    public = [fake_slack.add_channel(f"p{n}") for n in range(3)]
    mine = fake_slack.add_channel("mine", private=True, members=(BOT_USER_ID,))
    fake_slack.add_channel("theirs", private=True, members=(ada,))
    first = client.conversations_list(limit=2)
    cursor = first["response_metadata"]["next_cursor"]
    rest = client.conversations_list(limit=2, cursor=cursor)
    assert [c["id"] for c in first["channels"] + rest["channels"]] == public
    assert rest["response_metadata"]["next_cursor"] == ""
    private = client.conversations_list(types="private_channel")
    assert [c["id"] for c in private["channels"]] == [mine]
    assert slack_error(client.conversations_list, cursor="garbage!")["error"] == "invalid_cursor"


def test_the_bot_joins_a_public_channel_once_and_never_a_private_one(fake_slack: FakeSlack, ada: str) -> None:
    client = slack_client(fake_slack)
    public = fake_slack.add_channel("made-by-ada", members=(ada,))
    joined = client.conversations_join(channel=public)
    assert (joined["channel"]["is_member"], "warning" in joined) == (True, False)
    again = client.conversations_join(channel=public)
    assert (again["warning"], again["response_metadata"]["warnings"]) == (
        "already_in_channel",
        ["already_in_channel"],
    )
    assert fake_slack.channel(public).members == [ada, BOT_USER_ID]
    hidden = fake_slack.add_channel("hidden", private=True, members=(ada,))
    assert slack_error(client.conversations_join, channel=hidden)["error"] == "channel_not_found"
    assert slack_error(client.conversations_join, channel="C404404404")["error"] == "channel_not_found"
    fake_slack.add_token("xoxb-nojoin", ("chat:write", "channels:read"))
    refused = slack_error(slack_client(fake_slack, "xoxb-nojoin").conversations_join, channel=public)
    assert (refused["error"], refused["needed"]) == ("missing_scope", "channels:join")


def test_opening_a_direct_message_gives_the_one_a_post_to_the_user_lands_in(
    fake_slack: FakeSlack, ada: str
) -> None:
    client = slack_client(fake_slack)
    first = client.conversations_open(users=ada)
    assert (first["already_open"], first["channel"]["id"][0]) == (False, "D")
    posted = client.chat_postMessage(channel=ada, text="Your digest")
    again = client.conversations_open(users=ada)
    assert again["already_open"] is True
    assert first["channel"]["id"] == again["channel"]["id"] == posted["channel"]
    assert slack_error(client.conversations_open, users="")["error"] == "users_list_not_supplied"
    fake_slack.add_token("xoxb-noim", ("chat:write",))
    refused = slack_error(slack_client(fake_slack, "xoxb-noim").conversations_open, users=ada)
    assert (refused["error"], refused["needed"]) == ("missing_scope", "im:write")


# -- users -------------------------------------------------------------------------------


def test_user_info_shows_the_email_only_with_the_email_scope(fake_slack: FakeSlack, ada: str) -> None:
    full = slack_client(fake_slack).users_info(user=ada)["user"]
    assert (full["id"], full["profile"]["email"], full["tz"]) == (ada, "Ada@braingain.test", "UTC")
    fake_slack.add_token("xoxb-names", ("users:read",))
    plain = slack_client(fake_slack, "xoxb-names").users_info(user=ada)["user"]
    assert "email" not in plain["profile"]
    assert fake_slack.users[ada]["profile"]["email"] == "Ada@braingain.test"
    fake_slack.add_token("xoxb-none", ("chat:write",))
    refused = slack_error(slack_client(fake_slack, "xoxb-none").users_info, user=ada)
    assert (refused["error"], refused["needed"]) == ("missing_scope", "users:read")


def test_lookup_by_email_ignores_case_and_says_users_not_found(fake_slack: FakeSlack, ada: str) -> None:
    client = slack_client(fake_slack)
    found = client.users_lookupByEmail(email="ada@BRAINGAIN.test")
    assert found["user"]["id"] == ada
    missing = slack_error(client.users_lookupByEmail, email="nobody@braingain.test")
    assert missing["error"] == "users_not_found"


# -- rate limits, faults and the record --------------------------------------------------


def test_tier_limits_answer_429_with_retry_after_until_the_minute_passes(
    fake_slack: FakeSlack, clock: Clock
) -> None:
    client = slack_client(fake_slack)
    fake_slack.enforce_tiers()
    for _ in range(TIERS["conversations.list"]):
        client.conversations_list()
    limited = slack_error(client.conversations_list)
    assert (limited.status_code, limited["error"], limited.headers["Retry-After"]) == (
        429,
        "ratelimited",
        "60",
    )
    client.auth_test()  # another method has its own budget
    clock.advance(60)
    assert client.conversations_list()["ok"] is True


def test_one_message_a_second_per_channel_when_a_test_asks(
    fake_slack: FakeSlack, group: str, clock: Clock
) -> None:
    client = slack_client(fake_slack)
    other = fake_slack.add_channel("other", members=(BOT_USER_ID,))
    client.chat_postMessage(channel=group, text="one")
    client.chat_postMessage(channel=group, text="two")  # off by default
    fake_slack.post_interval = 1.0
    client.chat_postMessage(channel=group, text="three")
    limited = slack_error(client.chat_postMessage, channel=group, text="four")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")
    client.chat_postMessage(channel=other, text="elsewhere")
    clock.advance(1)
    client.chat_postMessage(channel=group, text="five")
    assert [m["text"] for m in fake_slack.messages(group)] == ["one", "two", "three", "five"]


def test_injected_faults_come_in_slacks_shape(fake_slack: FakeSlack) -> None:
    client = slack_client(fake_slack)
    fake_slack.faults.add("auth.test", rate_limited(retry_after=7))
    limited = slack_error(client.auth_test)
    assert (limited.status_code, limited["error"], limited.headers["Retry-After"]) == (
        429,
        "ratelimited",
        "7",
    )
    fake_slack.faults.add("auth.test", expired_token())
    expired = slack_error(client.auth_test)
    assert (expired.status_code, expired["error"]) == (200, "token_expired")
    assert fake_slack.count("auth.test") == 2


def test_requests_are_counted_and_logged_without_tokens_or_emails(fake_slack: FakeSlack, ada: str) -> None:
    client = slack_client(fake_slack)
    client.users_lookupByEmail(email="ada@braingain.test")
    requests.post(f"{fake_slack.api_url}auth.test", data={"token": BOT_TOKEN}, timeout=5)
    assert fake_slack.counts == {"users.lookupByEmail": 1, "auth.test": 1}
    assert BOT_TOKEN not in repr(fake_slack.requests)
    assert fake_slack.requests_to("auth.test")[0].body == {"token": REDACTED}
    lookup = fake_slack.requests_to("users.lookupByEmail")[0]
    assert (lookup.headers["Authorization"], lookup.body) == (REDACTED, {"email": REDACTED})
    in_query = requests.get(
        f"{fake_slack.api_url}users.lookupByEmail",
        params={"email": "ada@braingain.test"},
        headers={"Authorization": f"Bearer {BOT_TOKEN}"},
        timeout=5,
    )
    assert in_query.json()["user"]["id"] == ada
    assert fake_slack.requests_to("users.lookupByEmail")[1].query == {"email": [REDACTED]}
    assert "ada@braingain.test" not in repr(fake_slack.requests)


def test_a_method_the_fake_lacks_is_its_problem_not_a_slack_error() -> None:
    with FakeSlack() as fake:
        answer = requests.post(f"{fake.api_url}chat.scheduleMessage", timeout=5)
        assert answer.json()["error"] == "unknown_method"
    with pytest.raises(AssertionError, match=r"does not implement POST /api/chat\.scheduleMessage"):
        fake.check()


# -- users.info, response_url, Socket Mode --------------------------------------------------------


def test_users_info_shows_the_email_only_to_a_token_with_users_read_email(
    fake_slack: FakeSlack, ada: str
) -> None:
    assert slack_client(fake_slack).users_info(user=ada)["user"]["profile"]["email"] == "Ada@braingain.test"
    fake_slack.add_token("xoxb-no-email", ("users:read",))
    shown = slack_client(fake_slack, "xoxb-no-email").users_info(user=ada)["user"]["profile"]
    assert "email" not in shown


def test_a_response_url_records_what_is_posted_to_it_without_a_token(fake_slack: FakeSlack) -> None:
    url = fake_slack.response_url()
    answer = requests.post(url, json={"text": "done", "response_type": "ephemeral"}, timeout=5)
    assert (answer.status_code, answer.text) == (200, "ok")
    assert fake_slack.responses(url) == [{"text": "done", "response_type": "ephemeral"}]
    assert requests.post(url, json={"response_type": "ephemeral"}, timeout=5).status_code == 400
    unknown = url.rsplit("/", 1)[0] + "/not-issued"
    assert requests.post(unknown, json={"text": "x"}, timeout=5).status_code == 404
    assert fake_slack.responses(url) == [{"text": "done", "response_type": "ephemeral"}]


def test_apps_connections_open_takes_the_app_level_token_only(fake_slack: FakeSlack) -> None:
    assert (
        slack_client(fake_slack, APP_TOKEN)
        .apps_connections_open(app_token=APP_TOKEN)["url"]
        .startswith("wss://")
    )
    refused = slack_error(slack_client(fake_slack).apps_connections_open, app_token=BOT_TOKEN)
    assert refused["error"] == "missing_scope"


# -- files, Slack's current way ------------------------------------------------------------------


def test_a_file_goes_up_in_three_steps_and_is_shared_as_a_reply_in_its_thread(
    fake_slack: FakeSlack, group: str
) -> None:
    client = slack_client(fake_slack)
    parent = client.chat_postMessage(channel=group, text="the digest")["ts"]
    asked = client.files_getUploadURLExternal(filename="gantt-P1.png", length=5, alt_txt="P1's tasks")
    url, file_id = str(asked["upload_url"]), str(asked["file_id"])
    assert url.startswith(fake_slack.base_url)
    assert requests.post(url, data=b"\x89PNG!", timeout=5).status_code == 200  # pre-signed: no token
    done = client.files_completeUploadExternal(
        files=[{"id": file_id, "title": "Gantt chart of P1"}], channel_id=group, thread_ts=parent
    )
    [shared] = done["files"]
    assert (shared["id"], shared["name"], shared["title"], shared["mimetype"]) == (
        file_id,
        "gantt-P1.png",
        "Gantt chart of P1",
        "image/png",
    )
    replies = client.conversations_replies(channel=group, ts=parent)["messages"]
    assert replies[0]["ts"] == parent
    assert [f["id"] for f in replies[1]["files"]] == [file_id]
    assert replies[1]["thread_ts"] == parent
    history = client.conversations_history(channel=group)["messages"]
    assert [m["ts"] for m in history] == [parent], "a reply stays out of the channel's history"
    assert fake_slack.uploads()[0].data == b"\x89PNG!"
    assert fake_slack.problems == []


def test_file_uploads_are_refused_in_slacks_words(fake_slack: FakeSlack, group: str) -> None:
    client = slack_client(fake_slack)
    assert (
        slack_error(client.files_getUploadURLExternal, filename="", length=3)["error"] == "invalid_arguments"
    )
    assert (
        slack_error(client.files_getUploadURLExternal, filename="a.png", length=0)["error"]
        == "invalid_arguments"
    )
    unknown = slack_error(
        client.files_completeUploadExternal, files=[{"id": "F404", "title": "x"}], channel_id=group
    )
    assert unknown["error"] == "file_not_found"
    outside = fake_slack.add_channel("elsewhere")
    asked = client.files_getUploadURLExternal(filename="a.png", length=1)
    requests.post(str(asked["upload_url"]), data=b"x", timeout=5)
    refused = slack_error(
        client.files_completeUploadExternal, files=[{"id": asked["file_id"]}], channel_id=outside
    )
    assert refused["error"] == "not_in_channel"
    fake_slack.add_token("xoxb-no-files", ("chat:write",))
    scoped = slack_error(
        slack_client(fake_slack, "xoxb-no-files").files_getUploadURLExternal, filename="a", length=1
    )
    assert (scoped["error"], scoped["needed"]) == ("missing_scope", "files:write")


def test_completing_an_upload_twice_is_a_gap_the_fake_reports(fake_slack: FakeSlack, group: str) -> None:
    client = slack_client(fake_slack)
    asked = client.files_getUploadURLExternal(filename="a.png", length=1)
    requests.post(str(asked["upload_url"]), data=b"x", timeout=5)
    client.files_completeUploadExternal(files=[{"id": asked["file_id"]}], channel_id=group)
    slack_error(client.files_completeUploadExternal, files=[{"id": asked["file_id"]}], channel_id=group)
    assert fake_slack.problems == [
        f"FakeSlack does not implement completing the upload {asked['file_id']} as it is"
    ]
    fake_slack.problems.clear()


def test_files_upload_v2_of_slack_sdk_takes_the_three_steps_against_the_fake(
    fake_slack: FakeSlack, group: str
) -> None:
    client = slack_client(fake_slack)
    parent = client.chat_postMessage(channel=group, text="the digest")["ts"]
    answer = client.files_upload_v2(
        channel=group,
        thread_ts=parent,
        filename="gantt-P1.png",
        content=b"\x89PNG",
        title="P1",
        alt_txt="bars",
    )
    assert answer["file"]["name"] == "gantt-P1.png"
    counts = fake_slack.counts
    assert (
        counts["files.getUploadURLExternal"],
        counts["upload_url"],
        counts["files.completeUploadExternal"],
    ) == (
        1,
        1,
        1,
    )
    assert [u.alt_txt for u in fake_slack.uploads()] == ["bars"]
