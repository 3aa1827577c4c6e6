"""A row with several bad values reports every one of them in one sync, each on its own column,
whichever of them would have been found first: a domain constructor refuses all its bad values
together (``Refusals``), and it runs even on a row another cell already holds."""

from __future__ import annotations

from typing import Any

import pytest

from braingain.core.tracker.schema import Snapshot
from tests.tracker.helpers import Sample, edit

SAMPLE = Sample()
START = SAMPLE.start()


def columns_of(snap: Snapshot, tab: str, ident: str) -> set[str]:
    read, _, _ = SAMPLE.sync(snap)
    number = 1 + next(i for i, r in enumerate(snap.grids[tab].values[1:], start=1) if r and r[0] == ident)
    return {p.column for p in read.problems if (p.tab, p.row) == (tab, number)}


def edited(tab: str, ident: str, changes: dict[str, Any]) -> Snapshot:
    snap = START
    for header, value in changes.items():
        snap = edit(snap, tab, ident, header, value)
    return snap


TASK_FAULTS = {"Points": -5, "Max volunteers": -1, "Start": "2027-04-01", "Due": "2027-03-10"}


@pytest.mark.parametrize(
    "faults",
    [
        TASK_FAULTS,
        {**TASK_FAULTS, "Status": "nonsense"},
        {"Max volunteers": -1, "Status": "nonsense", "Stage": "no-such-stage"},
        {"Points": -5, "Supervising leader": "kelechi.nwankwo"},
    ],
    ids=["points-cap-dates", "and-a-bad-status", "cap-status-stage", "points-and-a-non-leader"],
)
def test_every_bad_value_of_a_task_row_is_reported_at_once(faults: dict[str, Any]) -> None:
    found = columns_of(edited("Tasks", "SR-T10", faults), "Tasks", "SR-T10")
    expected = {h for h in faults if h != "Start"} | ({"Due"} if "Start" in faults else set())
    assert expected <= found


def test_every_bad_value_of_a_member_row_is_reported_at_once() -> None:
    faults = {"Left": "2020-01-01", "Slack user ID": "not-a-slack-id", "Role": "boss"}
    found = columns_of(edited("Members", "ngozi.ukpebor", faults), "Members", "ngozi.ukpebor")
    assert {"Left", "Slack user ID", "Role"} <= found


def test_every_bad_value_of_a_project_row_is_reported_at_once() -> None:
    faults = {
        "Start": "2027-06-01",
        "End": "2027-01-01",
        "Milestones": "2027-01-09 Protocol approved [nowhere]",
    }
    found = columns_of(edited("Projects", "cohort-careers", faults), "Projects", "cohort-careers")
    assert {"End", "Milestones"} <= found


TASK_ROW: dict[str, Any] = {
    str(h): v for h, v in zip(START.grids["Tasks"].values[0], START.grids["Tasks"].values[13], strict=False)
}


def appended(tab: str, values: dict[str, Any]) -> tuple[Snapshot, int]:
    """``START`` with one more row on ``tab`` (values by header); the row's number."""
    grid = START.grids[tab]
    header = grid.values[0]
    row = tuple(values.get(str(h)) for h in header)
    body = [r for r in grid.values[1:] if any(v not in (None, "") for v in r)]
    values_ = (header, *body, row)
    return Snapshot({**START.grids, tab: type(grid)(grid.title, values_)}), len(values_)


@pytest.mark.parametrize(
    ("tab", "values", "expected"),
    [
        ("Members", {"Given names": "New", "Surname": "Member", "Role": "boss", "Time zone": "Mars/Base"},
         {"ID", "Role", "Time zone"}),
        ("Tasks", {**TASK_ROW, "ID": None, "Points": -5, "Max volunteers": -1},
         {"ID", "Points", "Max volunteers"}),
        ("Ledger", {"Kind": "bogus", "Points": "1e300", "Member": "ada.obiora"}, {"ID", "Kind", "Points"}),
        ("Members", {"ID": "ada.obiora", "Given names": "Again", "Surname": "Twice", "Role": "boss"},
         {"ID", "Role"}),
    ],
    ids=["member-without-id", "task-without-id", "ledger-without-id", "member-with-a-taken-id"],
)  # fmt: skip
def test_a_row_without_a_usable_id_still_has_every_other_problem_reported(
    tab: str, values: dict[str, Any], expected: set[str]
) -> None:
    snap, number = appended(tab, values)
    read, _, _ = SAMPLE.sync(snap)
    found = {p.column for p in read.problems if (p.tab, p.row) == (tab, number)}
    assert expected <= found
    assert sum(1 for p in read.problems if (p.tab, p.row, p.column) == (tab, number, "ID")) == 1


@pytest.mark.parametrize("ident", ["SR-T10", None], ids=["a-copied-id", "no-id"])
def test_a_pasted_row_gets_its_own_check_not_the_copied_ok(ident: str | None) -> None:
    row = {**TASK_ROW, "ID": ident, "Points": "abc"}
    assert row["Check"] == "ok", "the pasted row carries its source's Check"
    snap, number = appended("Tasks", row)
    _, after, _ = SAMPLE.sync(snap)
    header = list(after.grids["Tasks"].values[0])
    check = after.grids["Tasks"].values[number - 1][header.index("Check")]
    assert "Points" in str(check)
    assert "ID" in str(check)
    _, _, again = SAMPLE.sync(after)
    assert again.write.empty


def test_a_fixed_author_position_for_someone_who_is_not_a_member_is_a_problem() -> None:
    from dataclasses import replace

    from braingain.core.ids import MemberId
    from braingain.core.tracker.plan import plan_tracker, settle
    from braingain.core.tracker.read import read_tracker
    from tests.tracker.helpers import SCHEMA

    policy = replace(SAMPLE.settings.policy, fixed_positions=((MemberId("ngozi.ezee"), 2),))
    settings = replace(SAMPLE.settings, policy=policy)
    read = settle(read_tracker(SCHEMA, START, settings, SAMPLE.now), settings, SAMPLE.now)
    [problem] = [p for p in read.problems if p.tab == "configuration"]
    assert problem.column == "fixed_positions"
    assert "'ngozi.ezee' has a fixed author position but is not a member" in problem.reason
    assert plan_tracker(SCHEMA, read, settings, SAMPLE.now).write.cells, "it is listed on the Problems tab"
