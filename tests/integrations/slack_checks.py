"""A structural check of Block Kit messages, independent of the renderer: every block of a kind Slack
knows, with its required fields, within Slack's limits (Block Kit reference), and read back by
slack_sdk's own block models, whose validators must pass too."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import Block

from braingain.integrations.slack.blocks import SlackMessage, size

EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _text_object(obj: Any, *, limit: int, plain_only: bool = False) -> str:
    assert isinstance(obj, dict), obj
    assert obj.get("type") in (("plain_text",) if plain_only else ("plain_text", "mrkdwn")), obj
    text = obj.get("text")
    assert isinstance(text, str), obj
    assert text, obj
    assert size(text) <= limit, (size(text), limit)
    if obj["type"] == "mrkdwn":
        _balanced(text)
    return text


def _balanced(text: str) -> None:
    """Every ``<`` opens a token that ``>`` closes on the same text, and every ``&`` is an entity."""
    depth = 0
    for char in text:
        if char == "<":
            assert depth == 0, text
            depth = 1
        elif char == ">":
            assert depth == 1, text
            depth = 0
    assert depth == 0, text
    for match in re.finditer("&", text):
        assert re.match(r"&(amp|lt|gt);", text[match.start() :]), text


def _button(element: dict[str, Any]) -> None:
    assert element["type"] == "button"
    _text_object(element["text"], limit=75, plain_only=True)
    assert 0 < len(element["action_id"]) <= 255
    assert 0 < len(element.get("value", "x")) <= 2000
    assert element.get("style") in (None, "primary", "danger")


def check(message: SlackMessage) -> None:
    """Raise AssertionError unless ``message`` is one Slack accepts."""
    blocks = message.blocks
    assert 0 < len(blocks) <= 50
    assert 0 < size(message.text) <= 4000
    assert message.metadata["event_type"] == "braingain_message"
    assert isinstance(message.metadata["event_payload"]["key"], str)
    total = 0
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            total += size(_text_object(block["text"], limit=150, plain_only=True))
        elif kind == "section":
            assert "text" in block or "fields" in block, block
            if "text" in block:
                total += size(_text_object(block["text"], limit=3000))
            fields = block.get("fields", [])
            assert len(fields) <= 10
            total += sum(size(_text_object(f, limit=2000)) for f in fields)
            if "accessory" in block:
                _button(block["accessory"])
        elif kind == "context":
            assert 0 < len(block["elements"]) <= 10
            total += sum(size(_text_object(e, limit=3000)) for e in block["elements"])
        elif kind == "actions":
            assert 0 < len(block["elements"]) <= 25
            for element in block["elements"]:
                _button(element)
        else:
            assert kind == "divider", block
            assert set(block) == {"type"}
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    assert total <= 12000
    assert blocks[0]["type"] != "divider"
    assert blocks[-1]["type"] != "divider"


def everything_said(message: SlackMessage) -> str:
    """Every character of the message (text, blocks, metadata) as one string."""
    return repr((message.text, message.blocks, message.metadata))
