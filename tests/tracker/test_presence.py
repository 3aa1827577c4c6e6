"""A tracker that is not really there is not synced.

When a core tab (Members, Projects, Tasks, Volunteers, Ledger) is missing, renamed,
emptied or mostly unreadable, deriving results from it would blank every ranking,
selection and check that depends on it. The sync writes nothing, exits 1 and says what it
found, naming the tab that looks like the renamed one; a leader who really wants an empty
group says so with ``--allow-empty``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest

from braingain.core.tracker.presence import Absence
from braingain.core.tracker.read import read_tracker
from braingain.core.tracker.schema import Grid, Snapshot
from braingain.integrations.cli import EXIT_ERROR, EXIT_OK, main
from tests.tracker.helpers import SCHEMA, sample_settings, sample_snapshot, snapshot

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = sample_settings(TODAY)
SAMPLE = sample_snapshot(TODAY)
CORE = ["Members", "Projects", "Tasks", "Volunteers", "Ledger"]


def absent(grids: dict[str, Grid]) -> tuple[Absence, ...]:
    return read_tracker(SCHEMA, Snapshot(grids), SETTINGS, NOW).absent


def without(title: str) -> dict[str, Grid]:
    grids = dict(SAMPLE.grids)
    del grids[title]
    return grids


def renamed(title: str, to: str) -> dict[str, Grid]:
    grids = without(title)
    grids[to] = Grid(to, SAMPLE.grids[title].values)
    return grids


def emptied(title: str) -> dict[str, Grid]:
    grids = dict(SAMPLE.grids)
    grids[title] = Grid(title, SAMPLE.grids[title].values[:1])
    return grids


def loading(title: str, *, header: bool = False, share: float = 1.0) -> dict[str, Grid]:
    """The tab as Google shows an imported range that is still arriving."""
    grids = dict(SAMPLE.grids)
    values = SAMPLE.grids[title].values
    body = [
        tuple("Loading..." if (n * len(row) + i) % 100 < share * 100 else v for i, v in enumerate(row))
        for n, row in enumerate(values[1:])
    ]
    first = tuple("Loading..." for _ in values[0]) if header else values[0]
    grids[title] = Grid(title, (first, *body))
    return grids


def test_the_sample_tracker_is_all_there() -> None:
    assert absent(dict(SAMPLE.grids)) == ()


@pytest.mark.parametrize("title", CORE)
def test_a_deleted_core_tab_is_not_really_there(title: str) -> None:
    [found] = absent(without(title))
    assert found.tab == title
    assert f"there is no tab {title!r}" in found.found
    assert "restore" in found.hint


@pytest.mark.parametrize(("title", "rows"), [("Ledger", "entries"), ("Tasks", "tasks")])
def test_a_deleted_tab_braingain_remembers_rows_of_is_not_an_empty_group(title: str, rows: str) -> None:
    """--allow-empty says the group is empty; a tab whose rows braingain remembers is not empty."""
    state = read_tracker(SCHEMA, SAMPLE, SETTINGS, NOW).state
    count = len(state.ledger.texts) if rows == "entries" and state.ledger else len(state.tasks)
    assert count > 0
    [found] = absent(without(title))
    assert found.found == f"there is no tab {title!r}, but braingain remembers {count} row(s) of it"
    assert not found.emptiness
    assert "restore" in found.hint


@pytest.mark.parametrize(
    ("title", "to"),
    [
        ("Tasks", "Task list"),
        ("Members", "Group members"),
        ("Ledger", "Points ledger"),
        ("Projects", "Studies"),
    ],
)
def test_a_renamed_core_tab_is_named_as_the_likely_rename(title: str, to: str) -> None:
    [found] = absent(renamed(title, to))
    assert found.tab == title
    assert f"the tab {to!r} looks like it was renamed from it" in found.found
    assert found.hint == f"rename {to!r} back to {title!r}"


def test_a_renamed_tab_is_recognised_by_its_title_when_its_headers_are_gone_too() -> None:
    grids = without("Tasks")
    grids["Taskz"] = Grid("Taskz", ((None,),))
    [found] = absent(grids)
    assert "'Taskz' looks like it was renamed" in found.found


def test_a_renamed_tab_is_still_found_by_the_sheet_id_braingain_remembers() -> None:
    """On Google the sync remembers each tab's sheetId, so a renamed tab still reads."""
    grids = {t: Grid(t, g.values, sheet_id=100 + n) for n, (t, g) in enumerate(SAMPLE.grids.items())}
    state = grids["_braingain_state"]
    ids = tuple((f"sheet:{tab.key}", str(grids[tab.title].sheet_id)) for tab in SCHEMA.tabs)
    grids["_braingain_state"] = Grid(state.title, (*state.values, *ids), sheet_id=state.sheet_id)
    tasks = grids.pop("Tasks")
    grids["Task list"] = Grid("Task list", tasks.values, sheet_id=tasks.sheet_id)
    assert absent(grids) == ()


@pytest.mark.parametrize(
    ("title", "because"),
    [
        ("Members", "refers to it"),
        ("Projects", "Tasks row 2 (Project) refers to it"),
        ("Tasks", "Volunteers row 2 (Task) refers to it"),
        ("Ledger", "refers to it"),
    ],
)
def test_an_emptied_core_tab_that_other_rows_refer_to_is_not_really_there(title: str, because: str) -> None:
    [found] = absent(emptied(title))
    assert found.tab == title
    assert "has no rows" in found.found
    assert because in found.found


def test_an_emptied_ledger_is_noticed_from_what_braingain_remembers_even_with_no_dispute() -> None:
    grids = emptied("Ledger")
    grids["Disputes"] = Grid("Disputes", SAMPLE.grids["Disputes"].values[:1])
    [found] = absent(grids)
    assert "braingain remembers" in found.found


def test_an_emptied_tasks_tab_is_noticed_from_what_braingain_remembers_alone() -> None:
    grids = emptied("Tasks")
    for title in ("Volunteers", "Ledger", "Disputes"):
        grids[title] = Grid(title, SAMPLE.grids[title].values[:1])
    found = {a.tab: a for a in absent(grids)}
    assert "braingain remembers" in found["Tasks"].found


def test_no_volunteers_yet_is_a_normal_state_not_an_absence() -> None:
    assert absent(emptied("Volunteers")) == ()


def test_a_members_tab_still_loading_is_not_really_there_and_the_reason_says_so() -> None:
    result = read_tracker(SCHEMA, Snapshot(loading("Members")), SETTINGS, NOW)
    [found] = result.absent
    assert "still loading" in found.found
    assert "wait until the sheet shows the values" in found.hint
    assert any("still loading" in p.reason for p in result.problems)


def test_a_tab_whose_header_row_is_loading_too_says_so() -> None:
    [found] = absent(loading("Members", header=True))
    assert "header row is still loading" in found.found


def test_a_tab_full_of_formula_errors_is_not_really_there() -> None:
    grids = dict(SAMPLE.grids)
    values = SAMPLE.grids["Projects"].values
    grids["Projects"] = Grid("Projects", (values[0], *(tuple("#REF!" for _ in r) for r in values[1:])))
    [found] = absent(grids)
    assert found.tab == "Projects"
    assert "formula error" in found.found


def test_a_few_loading_cells_are_problems_of_their_rows_not_an_absent_tab() -> None:
    result = read_tracker(SCHEMA, Snapshot(loading("Members", share=0.2)), SETTINGS, NOW)
    assert result.absent == ()
    assert any(p.tab == "Members" and "still loading" in p.reason for p in result.problems)


def test_a_brand_new_tracker_is_an_empty_group_that_syncs() -> None:
    assert read_tracker(SCHEMA, snapshot({}), SETTINGS, NOW).absent == ()


def test_a_new_group_with_members_but_no_projects_yet_syncs() -> None:
    member = {"id": "ada.obiora", "given_names": "Ada", "surname": "Obiora"}
    assert read_tracker(SCHEMA, snapshot({"members": [member]}), SETTINGS, NOW).absent == ()


# --- end to end: the command on the local workbook --------------------------------------


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    workbook = tmp_path / "tracker.xlsx"
    assert main(["init", "--local", str(workbook), "--sample", "--today", TODAY.isoformat()]) == EXIT_OK
    assert (
        main(["sync", "--config", str(tmp_path / "braingain.toml"), "--today", TODAY.isoformat()]) == EXIT_OK
    )
    return workbook


def edit(workbook: Path, change: str) -> None:
    book = openpyxl.load_workbook(workbook)
    if change == "delete members":
        del book["Members"]
    elif change == "rename tasks":
        book["Tasks"].title = "Task list"
    elif change == "members loading":
        sheet = book["Members"]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.value is not None:
                    cell.value = "Loading..."
    book.save(workbook)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("delete members", "there is no tab 'Members'"),
        ("rename tasks", "rename 'Task list' back to 'Tasks'"),
        ("members loading", "still loading"),
    ],
)
@pytest.mark.parametrize("command", ["sync", "plan", "report"])
def test_the_command_writes_nothing_exits_1_and_says_what_it_found(
    tracker: Path, change: str, said: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(tracker, change)
    before = tracker.read_bytes()
    args = [command, "--config", str(tracker.parent / "braingain.toml"), "--today", TODAY.isoformat()]
    if command == "report":
        args = ["report", "authorship", "sr-migration", *args[1:]]
    capsys.readouterr()
    code = main(args)
    _, err = capsys.readouterr()
    assert code == EXIT_ERROR
    assert "nothing was written" in err
    assert said in err
    assert "Traceback" not in err
    assert tracker.read_bytes() == before


def test_a_leader_who_wants_an_empty_group_says_so_and_the_tab_is_added_back(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = openpyxl.load_workbook(tracker)
    del book["Volunteers"]
    book.save(tracker)
    config = ["--config", str(tracker.parent / "braingain.toml"), "--today", TODAY.isoformat()]
    assert main(["sync", *config]) == EXIT_ERROR
    assert "--allow-empty" in capsys.readouterr().err
    assert main(["sync", *config, "--allow-empty"]) in (EXIT_OK, 3)
    assert "Volunteers" in openpyxl.load_workbook(tracker).sheetnames


@pytest.mark.parametrize("change", ["rename tasks", "members loading"])
def test_allow_empty_never_stands_for_a_renamed_or_loading_tab(
    tracker: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    edit(tracker, change)
    before = tracker.read_bytes()
    config = ["--config", str(tracker.parent / "braingain.toml"), "--today", TODAY.isoformat()]
    capsys.readouterr()
    assert main(["sync", *config]) == EXIT_ERROR
    assert "--allow-empty" not in capsys.readouterr().err, "no hint that does not apply"
    assert main(["sync", *config, "--allow-empty"]) == EXIT_ERROR
    assert tracker.read_bytes() == before


def test_what_a_headless_tab_shows_never_quotes_an_email_address() -> None:
    grids = dict(SAMPLE.grids)
    grids["Members"] = Grid("Members", SAMPLE.grids["Members"].values[1:])  # the header row deleted
    [found] = absent(grids)
    assert "row 1 shows" in found.found
    assert "@" not in str(found)
    assert "<email>" in found.found
