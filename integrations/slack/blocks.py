"""A Slack message as braingain posts it (placeholder: the rendering of every content arrives with
the Block Kit module of issue 11; only the value both sides share is here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """What ``chat.postMessage`` is given: the ``text`` (notifications and screen readers), the Block
    Kit ``blocks``, and the message ``metadata`` (``event_type`` and ``event_payload``)."""

    text: str
    blocks: tuple[dict[str, Any], ...]
    metadata: dict[str, Any]
