"""`braingain slack manifest`: the group's Slack app, as the manifest a leader pastes into Slack."""

from __future__ import annotations

import json

import pytest

from braingain.integrations.cli import EXIT_OK, EXIT_USAGE, main
from braingain.integrations.errors import ConfigError
from braingain.integrations.slack.manifest import BOT_EVENTS, COMMAND, SCOPES, manifest


def test_without_an_address_the_app_uses_socket_mode_and_names_no_url() -> None:
    made = manifest("Okafor Lab")
    assert made["settings"]["socket_mode_enabled"] is True
    assert "url" not in json.dumps(made).replace("usage_hint", "")


def test_with_an_address_commands_events_and_interactions_all_go_to_its_events_path() -> None:
    made = manifest("Okafor Lab", request_url="https://lab.example.org/braingain/")
    events = "https://lab.example.org/braingain/slack/events"
    assert made["settings"]["socket_mode_enabled"] is False
    assert made["features"]["slash_commands"][0]["url"] == events
    assert made["settings"]["event_subscriptions"]["request_url"] == events
    assert made["settings"]["interactivity"]["request_url"] == events


@pytest.mark.parametrize(
    "address", ["http://lab.example.org", "lab.example.org", "https://", "https://lab.example.org/?x=1"]
)
def test_an_address_slack_cannot_send_to_is_refused_with_how_to_fix_it(address: str) -> None:
    with pytest.raises(ConfigError, match="is not an address Slack can send to") as raised:
        manifest("Okafor Lab", request_url=address)
    assert "https://" in raised.value.hint
    assert "Socket Mode" in raised.value.hint


def test_the_app_asks_only_for_the_scopes_braingain_uses_each_with_why() -> None:
    made = manifest("Okafor Lab")
    assert made["oauth_config"]["scopes"]["bot"] == list(SCOPES)
    assert all(why.strip() for why in SCOPES.values())
    assert not any(scope.endswith(":admin") or scope.startswith("admin") for scope in SCOPES)


def test_the_app_has_one_command_the_home_tab_and_interactivity() -> None:
    made = manifest("Okafor Lab")
    assert [c["command"] for c in made["features"]["slash_commands"]] == [COMMAND]
    assert made["features"]["app_home"]["home_tab_enabled"] is True
    assert made["settings"]["event_subscriptions"]["bot_events"] == list(BOT_EVENTS)
    assert made["settings"]["interactivity"]["is_enabled"] is True


def test_a_long_group_name_is_cut_to_slacks_35_characters() -> None:
    made = manifest("The Diamante Research Peer Mentorship Group of Lagos")
    assert len(made["display_information"]["name"]) <= 35
    assert len(made["features"]["bot_user"]["display_name"]) <= 35
    assert len(made["display_information"]["description"]) <= 140


def test_the_command_prints_the_manifest_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slack", "manifest", "--url", "https://lab.example.org"]) == EXIT_OK
    printed = json.loads(capsys.readouterr().out)
    assert printed["settings"]["socket_mode_enabled"] is False


@pytest.mark.parametrize(
    "address",
    [
        "https://lab.example.org/braingain",
        "https://lab.example.org/braingain/",
        "https://lab.example.org/braingain/slack/events",
        "https://lab.example.org/braingain/slack/events/",
    ],
)
def test_an_address_given_with_or_without_its_slack_events_path_names_it_once(address: str) -> None:
    made = manifest("Okafor Lab", request_url=address)
    assert made["settings"]["event_subscriptions"]["request_url"] == (
        "https://lab.example.org/braingain/slack/events"
    )


def test_the_servers_own_events_address_is_taken_as_it_is() -> None:
    made = manifest("Okafor Lab", request_url="https://x/slack/events")
    assert made["features"]["slash_commands"][0]["url"] == "https://x/slack/events"


@pytest.mark.parametrize("address", ["http://lab.example.org", "lab.example.org", "https://x/?a=1"])
def test_a_bad_url_on_the_command_line_is_a_usage_error_saying_why(
    address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["slack", "manifest", "--url", address]) == EXIT_USAGE
    said = capsys.readouterr()
    assert said.out == ""
    assert "--url" in said.err
    assert "is not an address Slack can send to" in said.err
    assert "Socket Mode" in said.err
