"""Bad input in the tracker: each problem is located and explained, that row is skipped, the rest syncs.

Nothing a person typed is ever overwritten: every write lands in a sync-owned column,
a sync-owned tab, or a new row.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from typing import Any

import pytest

from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.plan import plan_tracker
from braingain.core.tracker.read import ReadResult, read_tracker
from braingain.core.tracker.schema import Grid, Merge, Owner, Snapshot
from braingain.sample import sample_group
from tests.tracker.helpers import SCHEMA, sample_settings, snapshot

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = sample_settings(TODAY)
GROUP = sample_group(TODAY)
ROWS: dict[str, list[dict[str, Any]]] = dict(group_rows(GROUP))
ROWS["state"] = state_rows(group_state(GROUP))


def rows() -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(ROWS)


def read(data: dict[str, list[dict[str, Any]]] | Snapshot) -> ReadResult:
    snap = data if isinstance(data, Snapshot) else snapshot(data)
    return read_tracker(SCHEMA, snap, SETTINGS, NOW)


def where(result: ReadResult) -> list[tuple[str, int, str]]:
    return [(p.tab, p.row, p.column) for p in result.problems]


def row_of(tab: str, ident: str) -> int:
    """The sheet row number of ``ident`` in the sample rows (header is row 1)."""
    return 2 + [r["id"] for r in ROWS[tab]].index(ident)


def test_the_sample_tracker_reads_without_problems() -> None:
    assert read(rows()).problems == ()


def test_an_unknown_member_is_reported_on_its_cell_and_only_that_row_is_held() -> None:
    data = rows()
    data["tasks"][3]["supervisor"] = "nobody.here"
    result = read(data)
    task = data["tasks"][3]["id"]
    row = row_of("tasks", task)
    assert ("Tasks", row, "Supervising leader") in where(result)
    cause = next(p for p in result.problems if p.column == "Supervising leader")
    assert "'nobody.here' is not a member" in cause.reason
    assert "Members tab" in cause.reason
    assert task not in result.group.tasks
    assert len(result.group.tasks) == len(GROUP.tasks) - 1
    others = [p for p in result.problems if p is not cause]
    assert others, "what depends on the held task says it waits"
    assert all(f"Tasks row {row}" in p.reason for p in others), others


def test_a_bad_email_is_reported_without_echoing_the_address() -> None:
    data = rows()
    data["members"][2]["email"] = "not-an-address@"
    result = read(data)
    assert where(result) == [("Members", 4, "Email")]
    assert "not-an-address" not in str(result.problems[0])
    assert len(result.group.members) == len(GROUP.members)
    assert result.group.members[data["members"][2]["id"]].email is None


@pytest.mark.parametrize("zone", ["WAT", "GMT+1", "Lagos", "Etc/GMT-1"])
def test_a_zone_that_is_not_iana_is_reported_with_a_hint(zone: str) -> None:
    data = rows()
    data["members"][0]["zone"] = zone
    result = read(data)
    assert ("Members", 2) in [(t, r) for t, r, _ in where(result)]
    assert "Africa/Lagos" in str(result.problems)


@pytest.mark.parametrize("typed", ["2026-02-30", "30/01/2026", "soon"])
def test_an_impossible_or_badly_written_date_is_reported(typed: str) -> None:
    data = rows()
    data["tasks"][0]["due"] = typed
    result = read(data)
    problem = next(p for p in result.problems if p.tab == "Tasks")
    assert problem.column == "Due"
    assert "YYYY-MM-DD" in problem.reason


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#VALUE!"])
def test_a_formula_error_is_reported_as_such(error: str) -> None:
    data = rows()
    data["tasks"][1]["points"] = error
    result = read(data)
    problem = next(p for p in result.problems if p.tab == "Tasks")
    assert (problem.column, f"formula error {error}" in problem.reason) == ("Points", True)


def test_a_duplicate_id_is_reported_and_the_second_row_skipped() -> None:
    data = rows()
    data["members"].append({**data["members"][0], "email": "someone.else@example.org"})
    result = read(data)
    last = len(data["members"]) + 1
    assert where(result) == [("Members", last, "ID")]
    assert "also used on row 2" in result.problems[0].reason


def test_text_in_a_number_column_is_reported() -> None:
    data = rows()
    data["tasks"][2]["points"] = "ten"
    result = read(data)
    problem = next(p for p in result.problems if p.tab == "Tasks")
    assert problem.column == "Points"
    assert "'ten' is not a number" in problem.reason


def test_an_open_task_without_acceptance_criteria_stays_draft_and_says_why() -> None:
    data = rows()
    draft = next(r for r in data["tasks"] if r["status"] == "draft")
    draft["status"] = "open"
    draft["criteria"] = ""
    draft["changed_by"] = "ada.obiora"
    result = read(data)
    problem = next(p for p in result.problems if p.tab == "Tasks")
    assert problem.column == "Status"
    assert "no acceptance criteria" in problem.reason
    assert result.group.tasks[draft["id"]].status.value == "draft"


def test_a_renamed_required_header_is_reported_and_the_tab_still_partly_reads() -> None:
    snap = snapshot(rows())
    grid = snap.grids["Members"]
    header = tuple("Mail" if h == "Email" else h for h in grid.values[0])
    renamed = Snapshot({**snap.grids, "Members": Grid("Members", (header, *grid.values[1:]))})
    result = read(renamed)
    assert ("Members", 1, "Email") in where(result)
    assert "rename it back" in str(result.problems)


def test_columns_are_found_by_header_so_a_leader_may_reorder_them() -> None:
    snap = snapshot(rows())
    grid = snap.grids["Tasks"]
    flipped = tuple(tuple(reversed(r + (None,) * (len(grid.values[0]) - len(r)))) for r in grid.values)
    result = read(Snapshot({**snap.grids, "Tasks": Grid("Tasks", flipped)}))
    assert result.problems == ()
    assert result.group.tasks.keys() == GROUP.tasks.keys()


def test_a_missing_tab_is_reported_and_added_back_by_the_plan() -> None:
    snap = snapshot(rows())
    without = Snapshot({t: g for t, g in snap.grids.items() if t != "Agenda"})
    result = read(without)
    assert ("Agenda", 0, "") in where(result)
    plan = plan_tracker(SCHEMA, result, SETTINGS, NOW)
    assert [c.tab.title for c in plan.write.structure] == ["Agenda"]


def test_merged_cells_are_reported_on_every_row_they_cross_and_those_rows_are_skipped() -> None:
    snap = snapshot(rows())
    grid = snap.grids["Tasks"]
    merged = Snapshot({**snap.grids, "Tasks": Grid("Tasks", grid.values, merges=(Merge(3, 4, 4, 4),))})
    result = read(merged)
    header = grid.values[0][3]
    assert {("Tasks", 3, header), ("Tasks", 4, header)} <= set(where(result))
    found = [p for p in result.problems if p.tab == "Tasks" and p.column == header]
    assert all(
        p.reason == "is in merged cells (D3:D4) (unmerge them so that every row has its own value)"
        for p in found
    )
    assert len(result.group.tasks) == len(GROUP.tasks) - 2


def test_blank_rows_in_the_middle_are_reported_and_the_rows_below_still_sync() -> None:
    data = rows()
    data["members"].insert(5, {})
    result = read(data)
    assert ("Members", 7, "") in where(result)
    assert len(result.group.members) == len(GROUP.members)


def test_an_illegal_status_change_is_reported_and_the_task_keeps_its_status() -> None:
    data = rows()
    task = next(r for r in data["tasks"] if r["status"] == "in progress")
    task["status"] = "accepted"
    task["changed_by"] = "ada.obiora"
    result = read(data)
    problem = next(p for p in result.problems if p.tab == "Tasks")
    assert problem.column == "Status"
    assert "'accepted' was not applied" in problem.reason
    assert "from 'in progress' it can go to" in problem.reason
    assert result.group.tasks[task["id"]].status.value == "in progress"


def test_a_status_change_without_who_made_it_is_reported() -> None:
    data = rows()
    task = next(r for r in data["tasks"] if r["status"] == "in progress")
    task["status"] = "submitted"
    task["changed_by"] = ""
    result = read(data)
    assert next(p for p in result.problems if p.tab == "Tasks").column == "Status changed by"


def test_acceptance_typed_by_a_leader_awards_the_points_on_the_ledger() -> None:
    data = rows()
    task = next(r for r in data["tasks"] if r["status"] == "in progress")
    task["status"] = "submitted"
    task["changed_by"] = task["head"]
    first = read(data)
    assert first.problems == ()
    assert tuple(map(str, first.changes)) == (f"{task['id']}: in progress -> submitted by {task['head']}",)
    data["state"] = [{"key": k, "value": v} for k, v in sorted(first.state.rows().items())]
    task["status"] = "accepted"
    task["changed_by"] = "efe.ighodalo"
    second = read(data)
    assert second.problems == ()
    assert sorted(e.member_id for e in second.new_entries) == sorted(task["contributors"].split("; "))
    assert sum(e.points for e in second.new_entries) == second.group.tasks[task["id"]].points


def test_one_bad_row_in_every_tab_never_stops_the_rest() -> None:
    data = rows()
    for key in ("members", "tasks", "volunteers", "ledger", "disputes", "outputs", "projects"):
        data[key][-1]["id"] = data[key][0]["id"]  # a duplicate ID at the end of each tab
    result = read(data)
    tabs = {p.tab for p in result.problems}
    assert tabs >= {"Members", "Tasks", "Volunteers", "Ledger", "Outputs", "Projects"}
    assert len(result.group.members) == len(GROUP.members) - 1


def test_the_plan_never_writes_over_a_value_people_typed() -> None:
    # It fills a blank cell with its default, and turns its own "scheduled" into "held" once the
    # meeting is over, each only while the cell still holds what was read (CellWrite.fill).
    data = rows()
    data["tasks"][0]["points"] = "ten"
    data["members"][1]["zone"] = "Mars/Olympus"
    result = read(data)
    plan = plan_tracker(SCHEMA, result, SETTINGS, NOW)
    heights = {t.title: (len(ROWS.get(t.key, [])) + 1) for t in SCHEMA.tabs}
    for cell in plan.write.cells:
        tab = next(t for t in SCHEMA.tabs if t.title == cell.tab)
        if tab.weeks:
            continue  # the Gantt tab is braingain's whole, its week columns right of its own included
        column = tab.columns[cell.column - 1]
        appended = cell.row > heights[tab.title] and tab.sync_appends
        filled = cell.fill and cell.was in (None, "", "scheduled")
        assert column.owner is Owner.SYNC or tab.sync_owned or appended or filled, (cell, column.header)


def test_authorship_waits_only_for_the_outputs_of_the_project_a_held_row_feeds() -> None:
    data = rows()
    task = next(r for r in data["tasks"] if r["project"] == "sr-migration" and r["status"] == "accepted")
    task["supervisor"] = "nobody.here"
    result = read(data)
    plan = plan_tracker(SCHEMA, result, SETTINGS, NOW)
    written = {c.row for c in plan.write.cells if c.tab == "Outputs"}
    outputs = {o["id"]: row_of("outputs", o["id"]) for o in data["outputs"]}
    waiting = {o for o, r in outputs.items() if data["outputs"][r - 2]["project"] == "sr-migration"}
    assert waiting
    assert not written & {outputs[o] for o in waiting}
    for output in waiting:
        problem = next(p for p in result.problems if p.tab == "Outputs" and p.row == outputs[output])
        assert problem.column == "Authors (in order)"
        assert f"waits for Tasks row {row_of('tasks', task['id'])}" in problem.reason
    clean = plan_tracker(SCHEMA, read(rows()), SETTINGS, NOW)
    assert {c.row for c in clean.write.cells if c.tab == "Outputs"} >= {outputs[o] for o in waiting}
    elsewhere = rows()
    next(r for r in elsewhere["tasks"] if r["project"] != "sr-migration")["supervisor"] = "nobody.here"
    other = plan_tracker(SCHEMA, read(elsewhere), SETTINGS, NOW)
    review_rows = {outputs[o] for o in waiting}
    assert [c for c in other.write.cells if c.tab == "Outputs" and c.row in review_rows] == [
        c for c in clean.write.cells if c.tab == "Outputs" and c.row in review_rows
    ], "a held row of another project holds none of these outputs"


def test_an_agenda_item_for_a_meeting_of_no_series_is_reported_on_its_meeting_cell() -> None:
    data = rows()
    data["agenda"][0]["meeting"] = "other:2026-12-05"
    result = read(data)
    assert where(result) == [("Agenda", 2, "Meeting")]
    assert "is not a meeting of the series" in result.problems[0].reason
    assert "Meetings tab" in result.problems[0].reason
