"""The group aggregate refuses repeated ids and dangling references."""

from __future__ import annotations

from datetime import date

import pytest

from braingain.core.errors import InvalidValue, UnknownReference
from braingain.core.group import Group
from braingain.sample import sample_group
from tests.builders import accepted, leader, member, project, task

LEAD, REVIEWER, ADA = leader("lead.one"), leader("lead.two"), member("ada.a")
PROJECT = project("sr", lead=LEAD)


def test_two_members_with_the_same_id_are_refused() -> None:
    with pytest.raises(InvalidValue, match=r"member 'ada\.a' appears twice"):
        Group.create("g", members=[LEAD, ADA, member("ada.a")], projects=[PROJECT])


def test_a_task_whose_contributor_is_not_a_member_is_refused() -> None:
    done = accepted(task("T1", proj=PROJECT), [ADA], by=REVIEWER)
    with pytest.raises(UnknownReference, match=r"'ada\.a' is not a member") as caught:
        Group.create("g", members=[LEAD, REVIEWER], projects=[PROJECT], tasks=[done])
    assert "Members tab" in caught.value.hint


def test_a_project_led_by_a_stranger_is_refused() -> None:
    with pytest.raises(UnknownReference, match=r"lead\.one"):
        Group.create("g", members=[ADA], projects=[PROJECT])


def test_lookups_of_unknown_ids_say_what_is_missing() -> None:
    group = Group.create("g", members=[LEAD, ADA], projects=[PROJECT])
    with pytest.raises(UnknownReference, match="no task 'T9'"):
        group.task("T9")
    with pytest.raises(UnknownReference, match="no output 'paper'"):
        group.output("paper")
    with pytest.raises(UnknownReference, match="no project 'x'"):
        group.project("x")


def test_the_group_lists_its_leaders_and_active_members() -> None:
    gone = member("gone.g", active=False)
    group = Group.create("g", members=[LEAD, ADA, gone], projects=[PROJECT])
    assert [m.id for m in group.leaders()] == ["lead.one"]
    assert sorted(m.id for m in group.active_members(date(2026, 1, 1))) == [
        "ada.a",
        "lead.one",
    ]


def test_an_unknown_project_task_or_output_is_refused_with_the_ids_there_are() -> None:
    group = sample_group(date(2026, 11, 25))
    with pytest.raises(UnknownReference) as refused:
        group.project("nosuch")
    assert refused.value.hint == "the projects are: cohort-careers, sr-migration"
    with pytest.raises(UnknownReference) as refused:
        group.task("nosuch")
    assert refused.value.hint.startswith("the tasks are: CS-T01, CS-T02, SR-T01")
    assert refused.value.hint.endswith("more")
    with pytest.raises(UnknownReference) as refused:
        group.output("nosuch")
    assert "sr-paper" in refused.value.hint
