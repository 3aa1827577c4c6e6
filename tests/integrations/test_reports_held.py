"""Reports never present a partial answer as the answer.

While a row a report depends on cannot be read (merged cells, a bad value in a column the
row cannot do without, a reference to such a row), the report says so at its top, lists
those rows with their problems, and exits 3, in text and in JSON. A report that does not
depend on them is whole, and exits 0.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from braingain.integrations.cli import EXIT_OK, EXIT_PROBLEMS, main

TODAY = ["--today", "2026-11-25"]
HEADLINE = "NOT THE WHOLE ANSWER"


def change(config: Path, how: Callable[[openpyxl.Workbook], None]) -> None:
    path = config.parent / "tracker.xlsx"
    book = openpyxl.load_workbook(path)
    how(book)
    book.save(path)


def row_of(sheet: Worksheet, ident: str) -> int:
    return next(int(c.row) for c in sheet["A"] if c.value == ident)


def column_of(sheet: Worksheet, header: str) -> int:
    return next(int(c.column) for c in sheet[1] if c.value == header)


def merge_tasks(book: openpyxl.Workbook) -> None:
    """Three Tasks rows grouped by merging their Stage cells: CS-T01, CS-T02 and SR-T01."""
    sheet = book["Tasks"]
    stage = column_of(sheet, "Stage")
    first = row_of(sheet, "CS-T01")
    sheet.merge_cells(start_row=first, end_row=first + 2, start_column=stage, end_column=stage)


def report(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> tuple[int, str, dict[str, Any]]:
    capsys.readouterr()
    code = main([*args, "--config", str(config), *TODAY])
    text = capsys.readouterr().out
    assert main([*args, "--config", str(config), *TODAY, "--format", "json"]) == code
    data = json.loads(capsys.readouterr().out)
    return code, text, data


AUTHORSHIP = ("report", "authorship", "sr-migration", "--output", "sr-protocol")


def test_a_whole_report_says_nothing_more_and_exits_0(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text, data = report(capsys, sample_tracker, *AUTHORSHIP)
    assert code == EXIT_OK
    assert HEADLINE not in text
    assert data["complete"] is True
    assert data["waits_for"] == []


def test_merged_task_rows_make_the_authorship_report_say_it_is_not_whole_and_exit_3(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, whole = report(capsys, sample_tracker, *AUTHORSHIP)
    change(sample_tracker, merge_tasks)
    code, text, data = report(capsys, sample_tracker, *AUTHORSHIP)
    assert code == EXIT_PROBLEMS
    assert text.startswith(HEADLINE)
    top = text.split("\n\n", 1)[0]
    assert "Tasks row 4: Stage: is in merged cells (C2:C4)" in top
    assert "Tasks row 2" not in top, "CS-T01 is another project's task: this report does not wait for it"
    assert data["complete"] is False
    assert data["waits_for"] == [
        {
            "tab": "Tasks",
            "row": 4,
            "problems": [
                {
                    "column": "Stage",
                    "problem": "is in merged cells (C2:C4) "
                    "(unmerge them so that every row has its own value)",
                }
            ],
        }
    ]
    assert data["outputs"] != whole["outputs"], "the answer it prints does lack the held task"


def test_a_report_on_another_project_does_not_wait_for_rows_it_does_not_depend_on(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def merge_cohort_tasks(book: openpyxl.Workbook) -> None:
        sheet = book["Tasks"]
        first = row_of(sheet, "CS-T01")
        stage = column_of(sheet, "Stage")
        sheet.merge_cells(start_row=first, end_row=first + 1, start_column=stage, end_column=stage)

    change(sample_tracker, merge_cohort_tasks)
    code, text, data = report(capsys, sample_tracker, "report", "authorship", "sr-migration")
    assert (code, data["complete"]) == (EXIT_OK, True)
    assert HEADLINE not in text


def test_a_held_ledger_row_of_the_project_makes_its_report_not_whole(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    added: list[int] = []

    def new_entry_with_bad_points(book: openpyxl.Workbook) -> None:
        sheet = book["Ledger"]
        typed = {"ID": "adj-009", "Kind": "adjustment", "Member": "efe.ighodalo", "Project": "sr-migration",
                 "Points": "lots", "Reason": "chaired the search", "Recorded by": "ada.obiora",
                 "Recorded at": "2026-11-20 10:00"}  # fmt: skip
        added.append(sheet.max_row + 1)
        for header, value in typed.items():
            sheet.cell(added[0], column_of(sheet, header)).value = value

    change(sample_tracker, new_entry_with_bad_points)
    code, text, data = report(capsys, sample_tracker, "report", "authorship", "sr-migration")
    assert code == EXIT_PROBLEMS
    assert data["complete"] is False
    assert [(w["tab"], w["row"]) for w in data["waits_for"]] == [("Ledger", added[0])]
    assert f"Ledger row {added[0]}: Points: 'lots' is not a number" in text


def test_an_edited_ledger_row_braingain_recorded_leaves_the_report_whole(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def bad_points(book: openpyxl.Workbook) -> None:
        sheet = book["Ledger"]
        sheet.cell(row_of(sheet, "award:SR-T01:efe.ighodalo"), column_of(sheet, "Points")).value = "lots"

    code, _, before = report(capsys, sample_tracker, "report", "authorship", "sr-migration")
    change(sample_tracker, bad_points)
    code, _, data = report(capsys, sample_tracker, "report", "authorship", "sr-migration")
    assert (code, data["complete"]) == (EXIT_OK, True), "the recorded entry counts"
    assert data["standings"] == before["standings"]


def test_the_schedule_report_waits_for_a_meeting_row_it_lists(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, data = report(capsys, sample_tracker, "report", "schedule", "--count", "2")
    assert code == EXIT_OK
    upcoming = [m["id"] for m in data["meetings"]]

    def bad_move(book: openpyxl.Workbook) -> None:
        sheet = book["Meetings"]
        row = row_of(sheet, upcoming[0])
        sheet.cell(row, column_of(sheet, "Status")).value = "moved"
        sheet.cell(row, column_of(sheet, "Moved to")).value = "next Tuesday-ish"

    change(sample_tracker, bad_move)
    code, text, data = report(capsys, sample_tracker, "report", "schedule", "--count", "2")
    assert code == EXIT_PROBLEMS
    assert data["complete"] is False
    assert text.startswith(HEADLINE)
    assert "Meetings row" in text.split("\n\n", 1)[0]


def test_schedule_suggest_is_not_whole_while_an_availability_row_is_held(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def bad_member(book: openpyxl.Workbook) -> None:
        sheet = book["Availability"]
        sheet.cell(row_of(sheet, "AV-002"), column_of(sheet, "Member")).value = "nobody.here"

    change(sample_tracker, bad_member)
    code, text, data = report(capsys, sample_tracker, "schedule", "suggest")
    assert code == EXIT_PROBLEMS
    assert data["complete"] is False
    assert "Availability row 3: Member: 'nobody.here' is not a member" in text
