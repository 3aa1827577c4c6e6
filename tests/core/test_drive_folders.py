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


def test_a_cancelled_task_gives_its_people_no_access_to_the_project_folder() -> None:
    from dataclasses import replace

    from braingain.core.authorship.tasks import TaskStatus
    from braingain.core.drive.folders import project_people

    day = date(2027, 1, 10)
    group = sample_group(day)
    at = datetime(2027, 1, 10, 12, tzinfo=UTC)
    project = next(p for p in group.projects if any(t.contributors for t in group.project_tasks(p)))
    people = {m.id for m in project_people(group, project, on=at)}
    lead = group.projects[project].lead
    cancelled = {
        ident: replace(t, status=TaskStatus.CANCELLED) if t.project_id == project else t
        for ident, t in group.tasks.items()
    }
    after = {m.id for m in project_people(replace(group, tasks=cancelled), project, on=at)}
    assert people > {lead}, "tasks not cancelled give their people the folder"
    assert after == {lead}, "once every task of the project is cancelled, only its lead keeps it"
