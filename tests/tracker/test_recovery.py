"""A problem, then its fix: nothing the group has done is forgotten, duplicated or leaked on the way."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.plan import plan_tracker
from braingain.core.tracker.read import ReadResult, read_tracker
from braingain.core.tracker.schema import Grid, Snapshot
from braingain.sample import sample_group
from tests.tracker.helpers import SCHEMA, Sample, edit, sample_settings, snapshot
from tests.tracker.helpers import sync as sync_at

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = sample_settings(TODAY)
SAMPLE = Sample(TODAY)
GROUP = sample_group(TODAY)
ROWS: dict[str, list[dict[str, Any]]] = dict(group_rows(GROUP))
ROWS["state"] = state_rows(group_state(GROUP))


def sync(snap: Snapshot) -> tuple[ReadResult, Snapshot]:
    """One sync: read, plan, and apply the plan to the snapshot (as a backend would)."""
    read, synced, _ = SAMPLE.sync(snap)
    return read, synced


def points(read: ReadResult) -> Decimal:
    return read.group.ledger.total()


def start() -> Snapshot:
    _, snap = sync(snapshot(copy.deepcopy(ROWS)))
    return snap


def test_a_typo_in_an_accepted_task_then_its_fix_keeps_the_task_accepted_and_its_points() -> None:
    snap = start()
    before, snap = sync(snap)
    broken, snap = sync(edit(snap, "Tasks", "SR-T01", "Due", "2026-02-30"))
    assert any(p.column == "Due" for p in broken.problems)
    assert points(broken) == points(before), "the ledger keeps the awards of a task whose row has a typo"
    fixed, snap = sync(edit(snap, "Tasks", "SR-T01", "Due", "2026-02-27"))
    assert fixed.problems == ()
    assert fixed.group.task("SR-T01").status.value == "accepted"
    assert points(fixed) == points(before)


def test_a_deleted_header_then_restored_resets_nothing() -> None:
    snap = start()
    before, snap = sync(snap)
    grid = snap.grids["Tasks"]
    header = list(grid.values[0])
    status = header.index("Status")
    header[status] = None
    broken, snap = sync(Snapshot({**snap.grids, "Tasks": Grid("Tasks", (tuple(header), *grid.values[1:]))}))
    assert ("Tasks", 1, "Status") in [(p.tab, p.row, p.column) for p in broken.problems]
    assert points(broken) == points(before)
    header[status] = "Status"
    restored = Snapshot(
        {**snap.grids, "Tasks": Grid("Tasks", (tuple(header), *snap.grids["Tasks"].values[1:]))}
    )
    fixed, _ = sync(restored)
    assert fixed.problems == ()
    assert {t: x.status for t, x in fixed.group.tasks.items()} == {
        t: x.status for t, x in before.group.tasks.items()
    }


def test_a_ledger_row_with_a_problem_is_never_appended_again() -> None:
    snap = start()
    snap = edit(snap, "Ledger", "award:SR-T03:efe.ighodalo", "Recorded by", "nobody.here")
    heights = []
    for _ in range(3):
        read, snap = sync(snap)
        assert not read.new_entries
        heights.append(len(snap.grids["Ledger"].values))
    assert heights[0] == heights[1] == heights[2]


def test_a_renamed_optional_header_is_reported() -> None:
    snap = start()
    grid = snap.grids["Tasks"]
    header = tuple("When due" if h == "Due" else h for h in grid.values[0])
    read, _ = sync(Snapshot({**snap.grids, "Tasks": Grid("Tasks", (header, *grid.values[1:]))}))
    assert ("Tasks", 1, "Due") in [(p.tab, p.row, p.column) for p in read.problems]


def test_an_open_task_whose_criteria_are_deleted_is_reported() -> None:
    snap = start()
    read, _ = sync(edit(snap, "Tasks", "SR-T09", "Acceptance criteria", ""))
    problem = next(p for p in read.problems if p.tab == "Tasks")
    assert problem.column == "Acceptance criteria"
    assert "no acceptance criteria" in problem.reason


def test_an_email_typed_where_a_member_id_belongs_is_not_echoed() -> None:
    snap = start()
    read, _ = sync(edit(snap, "Tasks", "SR-T10", "Supervising leader", "ada.obiora@example.org"))
    text = " ".join(str(p) for p in read.problems)
    assert "an email address is not a member" in text
    assert "example.org" not in text


def test_a_bad_time_zone_is_reported_on_the_time_zone_column() -> None:
    snap = start()
    read, _ = sync(edit(snap, "Members", "kelechi.nwankwo", "Time zone", "WAT"))
    assert ("Members", "Time zone") in [(p.tab, p.column) for p in read.problems if p.row > 1]


def test_a_renamed_tab_is_followed_by_its_sheet_id_and_written_under_its_new_title() -> None:
    base = snapshot(copy.deepcopy(ROWS))
    with_ids = Snapshot(
        {t: Grid(t, g.values, sheet_id=100 + i) for i, (t, g) in enumerate(sorted(base.grids.items()))}
    )
    _, snap = sync(with_ids)
    tasks = snap.grids["Tasks"]
    renamed = {t: g for t, g in snap.grids.items() if t != "Tasks"}
    renamed["Task list"] = Grid("Task list", tasks.values, sheet_id=with_ids.grids["Tasks"].sheet_id)
    renamed = {
        t: Grid(t, g.values, sheet_id=g.sheet_id or with_ids.grids[t].sheet_id) for t, g in renamed.items()
    }
    read = read_tracker(SCHEMA, Snapshot(renamed), SETTINGS, NOW)
    assert read.problems == ()
    assert read.group.tasks.keys() == GROUP.tasks.keys()
    plan = plan_tracker(SCHEMA, read, SETTINGS, NOW)
    assert not plan.write.structure, "no second, empty Tasks tab"
    assert all(c.tab != "Tasks" for c in plan.write.cells)


def test_meetings_are_never_appended_over_a_meetings_tab_whose_id_header_was_renamed() -> None:
    snap = start()
    grid = snap.grids["Meetings"]
    typed = {(n, i): v for n, row in enumerate(grid.values[1:], start=2) for i, v in enumerate(row) if v}
    renamed = Snapshot(
        {**snap.grids, "Meetings": Grid("Meetings", (("Meeting ID", *grid.values[0][1:]), *grid.values[1:]))}
    )
    later = datetime(2027, 3, 1, 12, tzinfo=UTC)  # meetings are due to be scheduled ahead
    read, plan, _ = sync_at(renamed, SETTINGS, later)
    assert [c for c in plan.write.cells if c.tab == "Meetings" and (c.row, c.column - 1) in typed] == []
    assert not any(c.tab == "Meetings" and c.column == 1 for c in plan.write.cells), "no rows added blind"
    assert any(p.tab == "Meetings" and p.column == "ID" for p in read.problems)
    _, fixed, _ = sync_at(snap, SETTINGS, later)  # the header put back: the meetings ahead are added
    assert any(c.tab == "Meetings" and c.row > len(grid.values) for c in fixed.write.cells)


def test_a_plan_says_which_schema_tab_a_renamed_tab_is() -> None:
    base = snapshot(copy.deepcopy(ROWS))
    ids = {t: 100 + i for i, t in enumerate(sorted(base.grids))}
    _, snap = sync(Snapshot({t: Grid(t, g.values, sheet_id=ids[t]) for t, g in base.grids.items()}))
    grids = {("Task list" if t == "Tasks" else t): g for t, g in snap.grids.items()}
    renamed = Snapshot(
        {t: Grid(t, g.values, sheet_id=g.sheet_id or ids.get(t, ids["Tasks"])) for t, g in grids.items()}
    )
    read = read_tracker(SCHEMA, renamed, SETTINGS, NOW)
    write = plan_tracker(SCHEMA, read, SETTINGS, NOW).write
    assert write.tab_key("Task list") == "tasks"
    assert write.tab_key("Members") == "members"
    assert write.tab_key("Tasks") is None


def test_two_members_with_one_email_are_reported_without_the_address() -> None:
    data = copy.deepcopy(ROWS)
    data["members"][3]["email"] = data["members"][2]["email"]
    read, _ = sync(snapshot(data))
    problem = next(p for p in read.problems if p.tab == "Members")
    assert (problem.row, problem.column) == (5, "Email")
    assert "the same email is on row 4" in problem.reason
    assert "@" not in str(problem)


def test_two_members_with_one_orcid_id_set_the_later_one_aside_without_an_address() -> None:
    data = copy.deepcopy(ROWS)
    first, later = data["members"][2], data["members"][3]
    later["orcid"] = "https://orcid.org/" + first["orcid"].replace("-", "")  # the same iD, pasted another way
    read, _ = sync(snapshot(data))
    problem = next(p for p in read.problems if p.tab == "Members")
    assert (problem.row, problem.column) == (5, "ORCID iD")
    assert "the same ORCID iD is on row 4" in problem.reason
    assert "@" not in str(problem)
    members = read.group.members
    kept = members[first["id"]].orcid
    assert kept is not None
    assert kept.value == first["orcid"]
    assert members[later["id"]].orcid is None
    assert "orcid" in members[later["id"]].unknown
    assert read.holds == (), "an ORCID iD set aside holds no row"
