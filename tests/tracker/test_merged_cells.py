"""Merged cells are a bad cell like any other: each row the merge crosses reports it on its own
column, and loses only what depends on that column. A merge over braingain's own columns is
reported once and never written into."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from braingain.core.tracker.schema import Grid, Merge, Snapshot
from braingain.integrations.cli import EXIT_OK, EXIT_PROBLEMS, main
from tests.tracker.helpers import Sample, decisions

SAMPLE = Sample()
START = SAMPLE.start()


def merged(tab: str, header: str, first: int, last: int) -> Snapshot:
    grid = START.grids[tab]
    column = list(grid.values[0]).index(header) + 1
    return Snapshot(
        {**START.grids, tab: Grid(tab, grid.values, merges=(Merge(first, column, last, column),))}
    )


def test_merged_countries_lose_only_the_country_of_those_members() -> None:
    read, after, _ = SAMPLE.sync(merged("Members", "Country of residence", 3, 5))
    mine = [p for p in read.problems if p.tab == "Members"]
    assert [(p.row, p.column) for p in mine] == [(n, "Country of residence") for n in (3, 4, 5)]
    assert all("is in merged cells" in p.reason for p in mine)
    assert len(read.group.members) == 16, "they stay members"
    assert not [p for p in read.problems if "kept as it was" in p.reason or "held:" in p.reason]
    assert decisions(after) == decisions(START), "no decision changes"


def test_merged_review_notes_hold_nothing() -> None:
    read, after, _ = SAMPLE.sync(merged("Tasks", "Review note", 4, 6))
    assert {(p.tab, p.column) for p in read.problems} == {("Tasks", "Review note")}
    assert decisions(after) == decisions(START)


def test_merged_stages_hold_their_rows_and_what_depends_on_them() -> None:
    read, after, _ = SAMPLE.sync(merged("Tasks", "Stage", 4, 6))
    assert {p.row for p in read.problems if (p.tab, p.column) == ("Tasks", "Stage")} == {4, 5, 6}
    assert any("kept as it was" in p.reason for p in read.problems)
    assert decisions(after) == decisions(START), "what waits keeps its last value"


def test_a_merge_over_braingain_columns_only_is_reported_once_and_never_written_into() -> None:
    read, _, plan = SAMPLE.sync(merged("Tasks", "Check", 4, 6))
    tasks = [p for p in read.problems if p.tab == "Tasks"]
    assert [(p.row, p.column) for p in tasks] == [(4, "Check")]
    assert "braingain does not write into them" in tasks[0].reason
    column = list(START.grids["Tasks"].values[0]).index("Check") + 1
    assert not [c for c in plan.write.cells if c.tab == "Tasks" and c.column == column and 4 <= c.row <= 6]


@pytest.mark.parametrize("cells", ["G3:G5", "V4:V6"])  # Country of residence; a Tasks sync column
def test_a_workbook_with_merged_cells_syncs_and_the_next_sync_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cells: str
) -> None:
    workbook = tmp_path / "t.xlsx"
    today = ["--today", "2026-11-25"]
    assert main(["init", "--local", str(workbook), "--sample", *today]) == EXIT_OK
    config = ["--config", str(tmp_path / "braingain.toml"), *today]
    assert main(["sync", *config]) == EXIT_OK
    book = openpyxl.load_workbook(workbook)
    book["Members" if cells.startswith("G") else "Tasks"].merge_cells(cells)
    book.save(workbook)
    assert main(["sync", *config]) == EXIT_PROBLEMS
    capsys.readouterr()
    assert main(["sync", *config, "--format", "json"]) == EXIT_PROBLEMS
    assert '"cells": 0' in capsys.readouterr().out
