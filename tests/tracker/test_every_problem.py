"""Every problem of every row in one sync, each on the column that is wrong, each short.

- A row with several bad cells reports them all at once (a new member used to take six syncs).
- A domain rule that refuses a row names the column at fault, whatever the tab.
- A value is quoted at most about 80 characters long, and no Problems or Check cell outgrows
  what Google and Excel allow in a cell.
- A formula with no stored result is said to be uncalculated, not empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from braingain.core.tracker.plan import TEXT_LIMIT
from braingain.core.tracker.schema import UNCALCULATED, UNCALCULATED_HINT, Cell, Snapshot, Uncalculated
from tests.tracker.helpers import Sample, decisions, edit, row_number, snapshot

SAMPLE = Sample()
START = SAMPLE.start()

Rows = dict[str, list[dict[str, Cell]]]


def where_of(read: Any) -> list[tuple[str, int, str]]:
    return [(p.tab, p.row, p.column) for p in read.problems]


# --- every problem of a row, at once ----------------------------------------------------------------


def test_a_new_member_missing_three_cells_is_reported_in_one_sync_and_defaults_fill_the_rest() -> None:
    # Gender is optional; a blank Joined is today (in the group's zone), a blank Active is yes, and
    # a new task with a blank Status starts as a draft: filled in by the first sync, not reported.
    rows = SAMPLE.rows()
    rows["members"].append(
        {"id": "new.member", "given_names": "Nneka", "surname": "Eze", "email": "nneka.eze@example.org"}
    )
    draft = next(r for r in rows["tasks"] if r["status"] == "draft")
    rows["tasks"].append({**draft, "id": "SR-T20", "status": "", "changed_by": ""})
    member_row, task_row = len(rows["members"]) + 1, len(rows["tasks"]) + 1

    read, synced, plan = SAMPLE.sync(snapshot(rows))

    assert sorted((c for t, r, c in where_of(read) if (t, r) == ("Members", member_row))) == sorted(
        ["Role", "Time zone", "Country of residence"]
    )
    assert [c for t, r, c in where_of(read) if (t, r) == ("Tasks", task_row)] == []
    assert all("is empty" in p.reason for p in read.problems if p.row in (member_row, task_row))
    assert cell_of(synced, "Tasks", "SR-T20", "Status") == "draft"
    assert cell_of(synced, "Members", "new.member", "Active") == "yes"
    assert cell_of(synced, "Members", "new.member", "Joined") == SAMPLE.today
    assert cell_of(synced, "Members", "new.member", "Gender") is None  # optional: left as it is
    fills = [c for c in plan.write.cells if c.fill and c.tab != "Meetings"]  # (there: "held")
    assert {(c.tab, c.row) for c in fills} == {("Members", member_row), ("Tasks", task_row)}
    assert all(c.was in (None, "") for c in fills)  # each was blank

    filled = synced
    for header, value in (
        ("Role", "member"),
        ("Time zone", "Africa/Lagos"),
        ("Country of residence", "Nigeria"),
    ):
        filled = edit(filled, "Members", "new.member", header, value)
    fixed, after, _ = SAMPLE.sync(filled)
    assert fixed.problems == ()
    assert "new.member" in fixed.group.members
    assert fixed.group.members["new.member"].gender is None  # type: ignore[index]
    assert SAMPLE.sync(after)[2].write.empty


def test_a_default_never_writes_over_what_a_person_typed() -> None:
    rows = SAMPLE.rows()
    rows["members"].append(
        {"id": "new.member", "given_names": "Nneka", "surname": "Eze", "email": "nneka.eze@example.org",
         "role": "member", "zone": "Africa/Lagos", "country": "Nigeria", "active": "no",
         "joined": "2026-10-01"}
    )  # fmt: skip
    _, synced, plan = SAMPLE.sync(snapshot(rows))
    member_row = len(rows["members"]) + 1
    assert not [c for c in plan.write.cells if c.fill and c.tab == "Members" and c.row == member_row]
    assert cell_of(synced, "Members", "new.member", "Active") == "no"
    assert cell_of(synced, "Members", "new.member", "Joined") == "2026-10-01"


def cell_of(snap: Snapshot, title: str, ident: str, header: str) -> Cell:
    grid = snap.grids[title]
    column = list(grid.values[0]).index(header)
    row = next(r for r in grid.values[1:] if r and r[0] == ident)
    return row[column] if column < len(row) else None


def test_every_bad_cell_of_one_row_is_reported_on_its_own_column() -> None:
    broken = START
    bad = {
        "Points": "ten",
        "Due": "2026-02-30",
        "CRediT role": "Dancing",
        "ICMJE criterion": "7",
        "Stage": "",
    }
    for header, value in bad.items():
        broken = edit(broken, "Tasks", "SR-T09", header, value)
    read, _, _ = SAMPLE.sync(broken)
    row = row_number(START, "Tasks", "SR-T09")
    assert {c for t, r, c in where_of(read) if (t, r) == ("Tasks", row)} >= set(bad)


# --- each refusal on the column at fault ----------------------------------------------------------

ADJUSTMENT: dict[str, Cell] = {
    "id": "adj-001", "kind": "adjustment", "member": "zainab.musawa", "project": "sr-migration", "task": "",
    "points": 1, "reason": "correction agreed at the meeting", "recorded_by": "ada.obiora",
    "recorded_at": "2026-11-20 10:00 +0000", "corrects": "",
}  # fmt: skip
DISPUTE: dict[str, Cell] = {
    "id": "D-009", "member": "efe.ighodalo", "entry": "award:SR-T01:efe.ighodalo", "task": "",
    "reason": "I framed the question alone", "raised_at": "2026-11-20 10:00 +0000", "decision": "adjusted",
    "adjustment": 1, "resolved_by": "tunde.bakare", "resolution": "Agreed",
}  # fmt: skip


def change(tab: str, ident: str, **cells: Cell) -> Callable[[Rows], None]:
    def apply(rows: Rows) -> None:
        row = next(r for r in rows[tab] if r["id"] == ident)
        row.update(cells)

    return apply


def add(tab: str, base: dict[str, Cell], **cells: Cell) -> Callable[[Rows], None]:
    def apply(rows: Rows) -> None:
        rows[tab].append({**base, **cells})

    return apply


REFUSALS = [
    # (how the rows change, tab, ID of the row at fault, the column to blame, words of the reason)
    pytest.param(
        change("tasks", "SR-T09", points=-5),
        "Tasks",
        "SR-T09",
        "Points",
        "not more than zero",
        id="task-points",
    ),
    pytest.param(
        change("tasks", "SR-T09", max_volunteers=-1),
        "Tasks",
        "SR-T09",
        "Max volunteers",
        "too few",
        id="task-cap",
    ),
    pytest.param(
        change("tasks", "SR-T09", id="SR T09"), "Tasks", "SR T09", "ID", "is not a valid id", id="task-id"
    ),
    pytest.param(
        change("tasks", "SR-T09", start="2026-12-10", due="2026-12-01"),
        "Tasks",
        "SR-T09",
        "Due",
        "before the start",
        id="task-due",
    ),
    pytest.param(
        change("tasks", "SR-T09", stage="no-such-stage"),
        "Tasks",
        "SR-T09",
        "Stage",
        "has no stage",
        id="task-stage",
    ),
    pytest.param(
        change("tasks", "SR-T09", supervisor="zainab.musawa"),
        "Tasks",
        "SR-T09",
        "Supervising leader",
        "is not a leader",
        id="task-supervisor",
    ),
    pytest.param(
        change("tasks", "SR-T09", title="t" * 201),
        "Tasks",
        "SR-T09",
        "Title",
        "characters long",
        id="task-title",
    ),
    pytest.param(
        change("tasks", "SR-T09", deliverable="d" * 1001),
        "Tasks",
        "SR-T09",
        "Deliverable",
        "characters long",
        id="task-deliverable",
    ),
    pytest.param(
        add("ledger", ADJUSTMENT, points=1e300), "Ledger", "adj-001", "Points", "too large", id="ledger-huge"
    ),
    pytest.param(
        add("ledger", ADJUSTMENT, points=0.001),
        "Ledger",
        "adj-001",
        "Points",
        "two decimal places",
        id="ledger-cents",
    ),
    pytest.param(
        add("ledger", ADJUSTMENT, corrects="no-such-entry"),
        "Ledger",
        "adj-001",
        "Corrects entry",
        "not in the ledger",
        id="ledger-corrects",
    ),
    pytest.param(
        add("ledger", ADJUSTMENT, id="adj 001"),
        "Ledger",
        "adj 001",
        "ID",
        "is not a valid id",
        id="ledger-id",
    ),
    pytest.param(
        add("ledger", ADJUSTMENT, recorded_by="zainab.musawa"),
        "Ledger",
        "adj-001",
        "Recorded by",
        "is not a leader",
        id="ledger-leader",
    ),
    pytest.param(
        change("ledger", "award:SR-T01:efe.ighodalo", points=9),  # an award braingain remembers
        "Ledger",
        "award:SR-T01:efe.ighodalo",
        "Points",
        "was recorded with Points '3.00'",
        id="ledger-award",
    ),
    pytest.param(
        add("disputes", DISPUTE, resolved_by="efe.ighodalo"),
        "Disputes",
        "D-009",
        "Resolved by",
        "cannot resolve it",
        id="dispute-own",
    ),
    pytest.param(
        add("disputes", DISPUTE, resolved_by="zainab.musawa"),
        "Disputes",
        "D-009",
        "Resolved by",
        "is not a leader",
        id="dispute-leader",
    ),
    pytest.param(
        add("disputes", DISPUTE, decision="upheld", adjustment=None, resolution=""),
        "Disputes",
        "D-009",
        "Resolution note",
        "needs a note",
        id="dispute-note",
    ),
    pytest.param(
        add("disputes", DISPUTE, adjustment=0),
        "Disputes",
        "D-009",
        "Adjustment (points)",
        "changes nothing",
        id="dispute-zero",
    ),
    pytest.param(
        add("disputes", DISPUTE, member="zainab.musawa"),
        "Disputes",
        "D-009",
        "Ledger entry",
        "is not",
        id="dispute-entry",
    ),
    pytest.param(
        add("disputes", DISPUTE, task="SR-T01"),
        "Disputes",
        "D-009",
        "Ledger entry",
        "one entry or one task",
        id="dispute-about",
    ),
    pytest.param(
        add("disputes", DISPUTE, id="D 009"), "Disputes", "D 009", "ID", "is not a valid id", id="dispute-id"
    ),
    pytest.param(
        change("members", "zainab.musawa", left="2020-01-01"),
        "Members",
        "zainab.musawa",
        "Left",
        "before joining",
        id="member-left",
    ),
    pytest.param(
        change("members", "zainab.musawa", slack="zainab"),
        "Members",
        "zainab.musawa",
        "Slack user ID",
        "not a Slack user id",
        id="member-slack",
    ),
    pytest.param(
        change("members", "zainab.musawa", slack="", digest="slack"),
        "Members",
        "zainab.musawa",
        "Digest by",
        "need a Slack user id",
        id="member-digest",
    ),
    pytest.param(
        change("members", "zainab.musawa", given_names="g" * 101),
        "Members",
        "zainab.musawa",
        "Given names",
        "characters long",
        id="member-name",
    ),
    pytest.param(
        change("members", "zainab.musawa", id="zainab musawa"),
        "Members",
        "zainab musawa",
        "ID",
        "is not a valid id",
        id="member-id",
    ),
    pytest.param(
        change("projects", "sr-migration", start="2027-12-01"),
        "Projects",
        "sr-migration",
        "End",
        "before it starts",
        id="project-end",
    ),
    pytest.param(
        change("projects", "sr-migration", milestones="2027-01-01 Party [no-such-stage]"),
        "Projects",
        "sr-migration",
        "Milestones",
        "names stage",
        id="project-milestone",
    ),
    pytest.param(
        change("projects", "cohort-careers", kind="custom", stages="a: One; a: Two"),
        "Projects",
        "cohort-careers",
        "Stages (custom projects)",
        "more than once",
        id="project-stages",
    ),
    pytest.param(
        change("projects", "sr-migration", title="p" * 301),
        "Projects",
        "sr-migration",
        "Title",
        "characters long",
        id="project-title",
    ),
    pytest.param(
        change("projects", "sr-migration", id="sr migration"),
        "Projects",
        "sr migration",
        "ID",
        "is not a valid id",
        id="project-id",
    ),
    pytest.param(
        change("outputs", "sr-paper", stages="no-such-stage"),
        "Outputs",
        "sr-paper",
        "Stages counted",
        "has no stage",
        id="output-stages",
    ),
    pytest.param(
        change("outputs", "sr-paper", evidence="zainab.musawa; 1; drafted it; zainab.musawa"),
        "Outputs",
        "sr-paper",
        "Leader evidence",
        "is not a leader",
        id="output-evidence",
    ),
    pytest.param(
        change("outputs", "sr-paper", title="o" * 501),
        "Outputs",
        "sr-paper",
        "Title",
        "characters long",
        id="output-title",
    ),
    pytest.param(
        change("outputs", "sr-paper", id="sr paper"),
        "Outputs",
        "sr paper",
        "ID",
        "is not a valid id",
        id="output-id",
    ),
    pytest.param(
        change("availability", "AV-014", away_from="2026-12-10", away_until="2026-12-01"),
        "Availability",
        "AV-014",
        "Unavailable until",
        "before it starts",
        id="away-dates",
    ),
    pytest.param(
        change("actions", "A-01", id="A 01"),
        "Action items",
        "A 01",
        "ID",
        "is not a valid id",
        id="action-id",
    ),
    pytest.param(
        change("meetings", "2027-01-02", id="2027-13-02"),
        "Meetings",
        "2027-13-02",
        "ID",
        "is not a meeting's date",
        id="meeting-id",
    ),
    pytest.param(
        change("meetings", "2027-01-02", minutes="Met.", recorded_by="zainab.musawa"),
        "Meetings",
        "2027-01-02",
        "Minutes by",
        "recorded by a leader",
        id="meeting-minutes",
    ),
]


@pytest.mark.parametrize(("changing", "tab", "ident", "column", "words"), REFUSALS)
def test_a_refusal_lands_on_the_column_at_fault(
    changing: Callable[[Rows], None], tab: str, ident: str, column: str, words: str
) -> None:
    rows = SAMPLE.rows()
    changing(rows)
    snap = snapshot(rows)
    read, _, _ = SAMPLE.sync(snap)
    row = row_number(snap, tab, ident)
    on_row = [p for p in read.problems if (p.tab, p.row) == (tab, row) and "waits for" not in p.reason]
    assert [(p.column, words in p.reason) for p in on_row] == [(column, True)], on_row


# --- short values ------------------------------------------------------------------------------------

LONG = "x" * 32_000
LONG_CELLS = [
    ("Members", "zainab.musawa", "ID"),
    ("Members", "zainab.musawa", "Time zone"),
    ("Members", "zainab.musawa", "Country of residence"),
    ("Members", "zainab.musawa", "Gender"),
    ("Members", "zainab.musawa", "Degrees"),
    ("Members", "zainab.musawa", "Joined"),
    ("Members", "zainab.musawa", "Slack user ID"),
    ("Tasks", "SR-T09", "Points"),
    ("Tasks", "SR-T09", "Max volunteers"),
    ("Tasks", "SR-T09", "Supervising leader"),
    ("Tasks", "SR-T09", "Contributors"),
    ("Tasks", "SR-T09", "Status"),
    ("Tasks", "SR-T09", "Shares"),
    ("Tasks", "SR-T09", "Stage"),
    ("Volunteers", "V-001", "Volunteered at"),
    ("Volunteers", "V-001", "Leader override"),
    ("Ledger", "award:SR-T01:efe.ighodalo", "Points"),
    ("Availability", "AV-001", "Weekly windows (local time)"),
    ("Projects", "sr-migration", "Milestones"),
    ("Outputs", "sr-paper", "Leader evidence"),
    ("Meetings", "2026-07-04", "Present"),
    ("Agenda", "AG-001", "Meeting"),
]


@pytest.mark.parametrize(("tab", "ident", "header"), LONG_CELLS)
def test_a_long_value_is_quoted_short_in_its_problem(tab: str, ident: str, header: str) -> None:
    read, synced, _ = SAMPLE.sync(edit(START, tab, ident, header, LONG))
    mine = [p for p in read.problems if p.tab == tab and p.column == header]
    assert mine, read.problems
    for problem in read.problems:
        assert len(problem.reason) < 600, problem
        assert "x" * 100 not in problem.reason
    assert any("32,000 characters" in p.reason for p in mine) or all(LONG[:10] not in p.reason for p in mine)
    assert all(len(str(v)) <= TEXT_LIMIT for v in decisions(synced).values())
    for value in (c for row in synced.grids["Problems"].values for c in row):
        assert len(str(value)) <= TEXT_LIMIT


def test_no_check_or_problems_cell_outgrows_a_spreadsheet_cell_however_many_problems_a_row_has() -> None:
    broken = START
    headers = [str(h) for h in START.grids["Tasks"].values[0]]
    for name in headers:
        if name not in ("ID", "Check", "Volunteer selection"):
            broken = edit(broken, "Tasks", "SR-T09", name, "#REF!" + "y" * 5_000)
    read, synced, _ = SAMPLE.sync(broken)
    row = synced.grids["Tasks"].values[row_number(START, "Tasks", "SR-T09") - 1]
    check = row[headers.index("Check")]
    assert isinstance(check, str)
    assert len(check) <= TEXT_LIMIT
    assert len([p for p in read.problems if p.tab == "Tasks"]) >= 10
    assert all(len(str(c)) <= TEXT_LIMIT for r in synced.grids["Problems"].values for c in r)


# --- formulas without a result ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tab", "ident", "header"),
    [
        ("Tasks", "SR-T09", "Points"),
        ("Tasks", "SR-T09", "Due"),
        ("Tasks", "SR-T09", "Acceptance criteria"),
        ("Members", "zainab.musawa", "Time zone"),
        ("Volunteers", "V-001", "Member"),
        ("Meetings", "2026-07-04", "Minutes"),
        ("Ledger", "award:SR-T01:efe.ighodalo", "Points"),
    ],
)
def test_a_formula_that_was_never_calculated_is_said_to_be_so_not_empty(
    tab: str, ident: str, header: str
) -> None:
    read, after, _ = SAMPLE.sync(edit(START, tab, ident, header, Uncalculated("B2*2")))
    problem = next(p for p in read.problems if p.tab == tab and p.column == header)
    assert problem.reason == f"{UNCALCULATED} ({UNCALCULATED_HINT})"
    assert "empty" not in problem.reason
    assert decisions(after) == decisions(START)


def test_an_id_that_is_an_uncalculated_formula_says_so() -> None:
    read, _, _ = SAMPLE.sync(edit(START, "Tasks", "SR-T09", "ID", Uncalculated('"SR-"&ROW()')))
    problem = next(p for p in read.problems if p.tab == "Tasks" and p.column == "ID")
    assert "formula that has not been calculated" in problem.reason
    assert "open and save the file in a spreadsheet program" in problem.reason
