"""The group's Slack app, as a Slack app manifest: what `braingain slack manifest` prints.

A leader creates the app at https://api.slack.com/apps with "Create New App", "From an app manifest",
and pastes this manifest (JSON). It asks for exactly the scopes braingain uses (:data:`SCOPES`, each
with why), one slash command, ``/braingain``, the Home tab, and interactivity (buttons and modals).

Two ways to reach braingain (``braingain serve``):

- **Socket Mode** (no ``request_url``): braingain opens the connection to Slack, so no public
  address is needed; it needs an app-level token (``SLACK_APP_TOKEN``, ``xapp-…``) with the
  ``connections:write`` scope, made on the app's Basic Information page.
- **HTTP** (``request_url`` given, ``https://…``): Slack sends commands, events and interactions to
  ``<request_url>/slack/events``, signed with the app's signing secret (``SLACK_SIGNING_SECRET``).

Source: Slack's app manifest reference (``display_information``, ``features``, ``oauth_config``,
``settings``; ``_metadata`` major version 1).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from braingain.core.errors import quote
from braingain.integrations.errors import ConfigError

COMMAND = "/braingain"
EVENTS_PATH = "/slack/events"

SCOPES: dict[str, str] = {
    "commands": "the /braingain command",
    "chat:write": "messages in the group's channels and reminders, digests and replies to members",
    "channels:manage": "a channel per project, made when it is missing, and members invited to it",
    "channels:read": "finding the group's and the projects' channels by name",
    "channels:join": "joining the group's or a project's channel when a person made it first",
    "channels:history": "reading back braingain's own messages by their key, so none is sent twice",
    "im:write": "a member's digest by direct message, and opening it again to look for a message",
    "im:history": "reading back braingain's own direct messages by their key, so none is sent twice",
    "users:read": "members' Slack names and time zones",
    "users:read.email": "finding a member's Slack account by the email on the Members tab",
    "files:write": "each project's Gantt chart, shared in reply to the weekly group digest",
}
"""Every bot scope the app asks for, with why (nothing else is asked)."""

BOT_EVENTS = ("app_home_opened",)
"""The Home tab is drawn when a member opens it."""


def manifest(group: str, *, request_url: str | None = None) -> dict[str, Any]:
    """The app manifest for the group named ``group``; Socket Mode without ``request_url``, else HTTP
    to ``<request_url>/slack/events`` (:func:`events_url`). Raises :class:`ConfigError` for a
    ``request_url`` that is not an ``https://`` address without a query or fragment."""
    name = _app_name(group)
    events = events_url(request_url) if request_url is not None else None
    command: dict[str, Any] = {
        "command": COMMAND,
        "description": "Tasks, volunteering, points and meetings of the group",
        "usage_hint": "tasks | volunteer TASK | my | submit TASK | points [PROJECT] | help",
        "should_escape": False,
    }
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": list(BOT_EVENTS)},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": events is None,
        "token_rotation_enabled": False,
    }
    if events is not None:
        command["url"] = events
        settings["event_subscriptions"]["request_url"] = events
        settings["interactivity"]["request_url"] = events
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": f"{group}: tasks, authorship points and meetings, from the group's tracker"[:140],
            "background_color": "#1d4e89",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": {"scopes": {"bot": list(SCOPES)}},
        "settings": settings,
    }


def manifest_text(group: str, *, request_url: str | None = None) -> str:
    """:func:`manifest` as the JSON Slack's "From an app manifest" page takes."""
    return json.dumps(manifest(group, request_url=request_url), indent=2, ensure_ascii=False)


def _app_name(group: str) -> str:
    """The app's name: the group's, within Slack's 35 characters."""
    cleaned = " ".join(group.split()) or "braingain"
    return cleaned if len(cleaned) <= 35 else cleaned[:34].rstrip() + "…"


def events_url(request_url: str) -> str:
    """Where Slack sends the app's requests: ``https://host[/path]/slack/events`` for ``request_url``
    given with or without its ``/slack/events`` (and a trailing ``/``). Raises :class:`ConfigError`
    (saying how to fix it) for an address that is not ``https://`` or has a query or fragment."""
    parts = urlsplit(request_url.strip())
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"{quote(request_url)} is not an address Slack can send to",
            hint="give the https:// address where `braingain serve` is reached, e.g. "
            "https://group.example.org (or leave --url out for Socket Mode, which needs no public address)",
        )
    path = parts.path.rstrip("/")
    if path.endswith(EVENTS_PATH):  # the whole address, as Slack's settings pages show it
        path = path[: -len(EVENTS_PATH)]
    return f"https://{parts.netloc}{path}{EVENTS_PATH}"
