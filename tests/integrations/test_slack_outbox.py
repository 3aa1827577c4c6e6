"""Specification of the Slack outbox: with no Slack app, each message is kept once as Block Kit JSON
and readable text, in a folder per channel, named from its key (never an email address), and found
again by its key; nothing to make or invite."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from braingain.core.ids import MemberId
from braingain.core.messaging.outgoing import Destination, Medium, Outgoing, TaskNews
from braingain.core.ports import Upload
from braingain.integrations.files import OutboxError, outbox_name
from braingain.integrations.slack.blocks import VOLUNTEER, SlackMessage, render
from braingain.integrations.slack.outbox import SlackOutbox
from tests.integrations.slack_checks import EMAIL, check
from tests.integrations.test_slack_blocks import GROUP, KINDS, NOW, message, task


def opened(key: str = "task-opened:SR-T09") -> Outgoing:
    return message(TaskNews("opened", task("SR-T09"), NOW, offers=5), key=key)


def test_a_channel_is_its_name_and_nothing_is_invited(tmp_path: Path) -> None:
    outbox = SlackOutbox(tmp_path)
    assert outbox.channel("proj-sr") == "#proj-sr"
    assert outbox.invite("#proj-sr", list(GROUP.members.values())) == ()
    assert list(tmp_path.iterdir()) == []


def test_a_post_keeps_block_kit_json_and_readable_text_in_the_channels_folder(tmp_path: Path) -> None:
    outbox = SlackOutbox(tmp_path)
    ts = outbox.post("#braingain", opened(), group=GROUP)
    kept = tmp_path / "braingain" / outbox_name("task-opened:SR-T09", ".json")
    assert ts == f"outbox:braingain/{outbox_name('task-opened:SR-T09', '.json')}"
    payload = json.loads(kept.read_text("utf-8"))
    assert payload["channel"] == "#braingain"
    assert payload["metadata"] == {
        "event_type": "braingain_message",
        "event_payload": {"key": "task-opened:SR-T09"},
    }
    check(SlackMessage(payload["text"], tuple(payload["blocks"]), payload["metadata"]))
    assert payload["blocks"] == list(render(opened(), GROUP).blocks)
    assert any(e.get("action_id") == VOLUNTEER for b in payload["blocks"] for e in b.get("elements", ()))
    text = kept.with_suffix(".txt").read_text("utf-8")
    assert text.startswith("New task: SR-T09")
    assert "<@" not in text
    assert "<!date" not in text
    assert "&amp;" not in text
    assert sorted(p.name for p in (tmp_path / "braingain").iterdir()) == [
        outbox_name("task-opened:SR-T09", ".json"),
        outbox_name("task-opened:SR-T09", ".txt"),
    ]


def test_a_message_is_found_again_by_its_key_and_only_in_its_channel(tmp_path: Path) -> None:
    outbox = SlackOutbox(tmp_path)
    assert outbox.find("#braingain", "task-opened:SR-T09", since=NOW) is None
    ts = outbox.post("#braingain", opened(), group=GROUP)
    assert outbox.find("#braingain", "task-opened:SR-T09", since=NOW - timedelta(days=1)) == ts
    assert SlackOutbox(tmp_path).find("#braingain", "task-opened:SR-T09", since=NOW) == ts
    assert outbox.find("#proj-sr", "task-opened:SR-T09", since=NOW) is None
    assert outbox.find("#braingain", "task-opened:SR-T0", since=NOW) is None


def test_posting_the_same_message_again_writes_nothing(tmp_path: Path) -> None:
    outbox = SlackOutbox(tmp_path)
    first = outbox.post("#braingain", opened(), group=GROUP)
    kept = tmp_path / "braingain" / outbox_name("task-opened:SR-T09", ".json")
    stamp = kept.stat().st_mtime_ns
    os.utime(kept, ns=(stamp - 10**9, stamp - 10**9))
    assert outbox.post("#braingain", opened(), group=GROUP) == first
    assert kept.stat().st_mtime_ns == stamp - 10**9  # the same bytes: not written again
    assert len(list((tmp_path / "braingain").iterdir())) == 2


def test_a_direct_message_goes_in_the_members_folder_and_every_name_is_free_of_emails(tmp_path: Path) -> None:
    outbox = SlackOutbox(tmp_path)
    to = Destination.member(MemberId("osas.igbinoba"), Medium.SLACK)
    digest = KINDS["member digest"]
    for kind, content in KINDS.items():
        outbox.post("#braingain", message(content, key=f"{kind}:2026-03-09"), group=GROUP)
    outbox.post(
        "U02OSASIG", message(digest, to, key="digest:osas.igbinoba:2026-03-02..2026-03-09"), group=GROUP
    )
    assert (
        tmp_path / "U02OSASIG" / outbox_name("digest:osas.igbinoba:2026-03-02..2026-03-09", ".json")
    ).is_file()
    for path in tmp_path.rglob("*"):
        assert not EMAIL.search(path.name)
        assert not any(c in path.name for c in '<>:"/\\|?*')  # safe on Windows
        if path.is_file():
            assert not EMAIL.search(path.read_text("utf-8"))


def test_an_outbox_that_cannot_be_written_says_which_file_is_in_the_way(tmp_path: Path) -> None:
    blocker = tmp_path / "outbox"
    blocker.write_text("not a folder")
    with pytest.raises(OutboxError, match="is a file"):
        SlackOutbox(blocker).post("#braingain", opened(), group=GROUP)
    assert SlackOutbox(blocker).find("#braingain", "task-opened:SR-T09", since=NOW) is None


def test_a_chart_shared_in_reply_to_a_digest_is_kept_beside_the_digests_files(tmp_path: Path) -> None:
    outbox = SlackOutbox(tmp_path)
    digest = opened("group-digest:2027-01-04..2027-01-11")
    ts = outbox.post("#braingain", digest, group=GROUP)
    chart = Upload(
        "gantt-SR.png", "Gantt chart of SR", "Gantt chart of SR: 3 tasks", "image/png", b"\x89PNG-1"
    )

    kept = outbox.attach("#braingain", ts, chart)

    stem = outbox_name("group-digest:2027-01-04..2027-01-11", "")
    path = tmp_path / "braingain" / f"{stem}.gantt-SR.png"
    assert path.read_bytes() == b"\x89PNG-1"
    assert kept == f"outbox:braingain/{stem}.gantt-SR.png"
    assert outbox.attached("#braingain", ts, "gantt-SR.png") == kept
    assert outbox.attached("#braingain", ts, "gantt-P2.png") is None
    assert sorted(p.name for p in (tmp_path / "braingain").iterdir()) == sorted(
        [f"{stem}.json", f"{stem}.txt", f"{stem}.gantt-SR.png"]
    )


def test_a_chart_for_a_message_the_outbox_does_not_hold_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    outbox = SlackOutbox(tmp_path)
    chart = Upload("gantt-SR.png", "Gantt chart of SR", "alt", "image/png", b"\x89PNG-1")
    with pytest.raises(OutboxError, match="holds no message"):
        outbox.attach("#braingain", "1700000000.000100", chart)
    assert outbox.attached("#braingain", "1700000000.000100", "gantt-SR.png") is None
    assert list(tmp_path.iterdir()) == []
