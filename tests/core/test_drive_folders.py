"""The words of the core's Drive plan (:mod:`braingain.core.drive.folders`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from braingain.core.drive.folders import DrivePolicy, HandShare, drive_actions, remember_hand
from braingain.sample import sample_group

NOON = datetime(2027, 1, 10, 12, tzinfo=UTC)


def test_a_share_made_by_hand_is_said_with_the_folders_own_capitals() -> None:
    group = sample_group(date(2027, 1, 10))
    memory: dict[str, str] = {}
    remember_hand(memory, "minutes", [HandShare("1", "writer", "ngozi.ukpebor")])
    remember_hand(memory, "sr-migration/minutes", [HandShare("2", "reader", "anyone with the link")])
    _, notes = drive_actions(group, memory, DrivePolicy(), now=NOON)
    said = [n.words for n in notes]
    assert (
        "The group's Minutes folder is also shared with Ngozi Ukpebor (writer), by hand: "
        "braingain leaves it as it is"
    ) in said
    assert (
        "The Minutes folder of sr-migration is also shared with anyone with the link (reader), by hand: "
        "braingain leaves it as it is"
    ) in said
