"""One bad cell in a local workbook, end to end through `braingain sync`: the Problems tab names
the tab, row, column and reason; nothing else changes; a second sync writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from braingain.integrations.cli import EXIT_OK, EXIT_PROBLEMS, main
from braingain.integrations.tracker.workbook import LocalWorkbook

TODAY = ["--today", "2026-11-25"]


@pytest.fixture
def tracker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The sample group's workbook after its first sync, and its configuration."""
    workbook = tmp_path / "tracker.xlsx"
    assert main(["init", "--local", str(workbook), "--sample", *TODAY]) == EXIT_OK
    config = tmp_path / "braingain.toml"
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
    capsys.readouterr()
    return config


def sync(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["sync", "--config", str(config), *TODAY, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def type_into(config: Path, tab: str, ident: str, header: str, value: object) -> int:
    """Type ``value`` as a person would (openpyxl saves formulas without a result); the row number."""
    workbook = config.parent / "tracker.xlsx"
    book = openpyxl.load_workbook(workbook)
    sheet = book[tab]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == ident)
    sheet.cell(row, headers.index(header) + 1, value)
    book.save(workbook)
    return row


def owned(config: Path) -> dict[tuple[str, int, int], object]:
    """Every sync-owned decision cell of the workbook (Check and the Problems tab aside)."""
    grids = LocalWorkbook(config.parent / "tracker.xlsx").read().grids
    found: dict[tuple[str, int, int], object] = {}
    for title, headers in (
        ("Members", ("Points (all projects)", "Points by project", "Open tasks")),
        ("Projects", ("Progress", "Next milestone")),
        ("Tasks", ("Points awarded", "Volunteer selection")),
        ("Volunteers", ("Rank", "Selected", "Why")),
        ("Outputs", ("Authors (in order)", "Acknowledged (and what they miss)", "CRediT statement")),
    ):
        values = grids[title].values
        for header in headers:
            column = list(values[0]).index(header)
            for number, row in enumerate(values[1:], start=2):
                found[(title, number, column)] = row[column] if column < len(row) else None
    return found


def problems_tab(config: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(config.parent / "tracker.xlsx")
    return [tuple(c.value for c in row[1:5]) for row in book["Problems"].iter_rows(min_row=2)]


@pytest.mark.parametrize(
    ("header", "value", "words"),
    [
        ("Time zone", "Etc/GMT+1", "is not a time zone braingain knows"),
        ("Email", "name@@example..org", "is not a valid email address"),
        ("Country of residence", "Atlantis", "is not a country we know"),
        ("Joined", "2026-02-30", "is not a date"),
        ("Digest by", "pigeon", "is not one of the allowed values"),
    ],
)
def test_a_bad_member_cell_is_the_only_problem_and_changes_nothing_else(
    tracker: Path, capsys: pytest.CaptureFixture[str], header: str, value: str, words: str
) -> None:
    before = owned(tracker)
    row = type_into(tracker, "Members", "zainab.musawa", header, value)
    code, data = sync(tracker, capsys)
    assert code == EXIT_PROBLEMS
    assert [(p["tab"], p["row"], p["column"]) for p in data["problems"]] == [("Members", row, header)]
    assert words in data["problems"][0]["problem"]
    assert "name@@" not in json.dumps(data)
    assert problems_tab(tracker) == [("Members", row, header, data["problems"][0]["problem"])]
    assert owned(tracker) == before
    code, data = sync(tracker, capsys)
    assert (code, data["cells"]) == (EXIT_PROBLEMS, 0)


def test_a_held_member_row_keeps_every_selection_and_total_and_the_problems_tab_says_what_waits(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = owned(tracker)
    row = type_into(tracker, "Members", "zainab.musawa", "Role", "boss")
    code, data = sync(tracker, capsys)
    assert code == EXIT_PROBLEMS
    where = {(p["tab"], p["column"]) for p in data["problems"]}
    assert ("Members", "Role") in where
    assert ("Volunteers", "Member") in where
    assert ("Tasks", "Volunteer selection") in where
    listed = problems_tab(tracker)
    assert any(r[0] == "Volunteers" and f"held: waits for Members row {row}" in str(r[3]) for r in listed)
    assert any(r[0] == "Tasks" and "kept as it was" in str(r[3]) for r in listed)
    assert owned(tracker) == before
    assert sync(tracker, capsys)[1]["cells"] == 0
    type_into(tracker, "Members", "zainab.musawa", "Role", "member")
    code, data = sync(tracker, capsys)
    assert (code, data["problems"]) == (EXIT_OK, [])
    assert owned(tracker) == before


def test_a_formula_a_program_wrote_without_calculating_is_reported_as_such(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = owned(tracker)
    row = type_into(tracker, "Tasks", "SR-T09", "Points", "=2+3")
    code, data = sync(tracker, capsys)
    assert code == EXIT_PROBLEMS
    assert {
        "tab": "Tasks",
        "row": row,
        "column": "Points",
        "problem": "is a formula that has not been calculated "
        "(open and save the file in a spreadsheet program)",
        "repaired": False,
    } in data["problems"]
    assert owned(tracker) == before
    book = openpyxl.load_workbook(tracker.parent / "tracker.xlsx")
    headers = [c.value for c in book["Tasks"][1]]
    assert book["Tasks"].cell(row, headers.index("Points") + 1).value == "=2+3", "the formula stays"


def test_a_member_whose_zone_cannot_be_read_is_left_out_of_local_times_and_slot_finding_with_why(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    type_into(tracker, "Members", "zainab.musawa", "Time zone", "Etc/GMT+1")
    assert main(["report", "schedule", "--config", str(tracker), *TODAY, "--format", "json"]) == EXIT_OK
    schedule = json.loads(capsys.readouterr().out)
    assert all(m["local"]["zainab.musawa"] is None for m in schedule["meetings"])
    assert all(m["local"]["ada.obiora"] for m in schedule["meetings"])
    assert [(m["member"], "time zone" in m["reason"]) for m in schedule["left_out"]] == [
        ("zainab.musawa", True)
    ]
    assert main(["report", "schedule", "--config", str(tracker), *TODAY]) == EXIT_OK
    assert "Zainab Musawa's time zone could not be read" in capsys.readouterr().out

    assert main(["schedule", "suggest", "--config", str(tracker), *TODAY, "--format", "json"]) == EXIT_OK
    suggestion = json.loads(capsys.readouterr().out)
    assert "zainab.musawa" not in {m["member"] for m in suggestion["members"]}
    assert [m["member"] for m in suggestion["left_out"]] == ["zainab.musawa"]
    assert main(["schedule", "suggest", "--config", str(tracker), *TODAY]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Left out" in out
    assert "Zainab Musawa's time zone could not be read" in out
