"""The Gantt tab on both backends: added to an old tracker with its colour rules (conditional
formatting, never static fills), filled in the normal write, and then left alone: a second sync
writes nothing and sends no request beyond the reads, and the rules are never added twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.formatting.rule import Rule as ExcelRule

from braingain.core.tracker import gantt_tab
from braingain.core.tracker.schema import Snapshot, as_text
from braingain.integrations.tracker.google_sheets import GoogleSheets
from braingain.integrations.tracker.workbook import LocalWorkbook
from tests.fakes.google import FakeGoogle
from tests.integrations.test_fixed_point_backends import Made, Make, once, sync
from tests.integrations.test_fixed_point_backends import google as google  # the fixture: a Sheet
from tests.integrations.test_fixed_point_backends import workbook as workbook  # the fixture: a .xlsx
from tests.tracker.helpers import SCHEMA, Sample

SAMPLE = Sample()
START = SAMPLE.start()
OLD = Snapshot({t: g for t, g in START.grids.items() if t != "Gantt"})
"""A tracker made before the Gantt tab."""
TAB = SCHEMA.tab("gantt")
FIRST_WEEK = len(TAB.columns)  # 0-based: column I
GUARD = "values.batchGetByDataFilter"
WRITE = "spreadsheets.batchUpdate"


def _excel_rules(path: Path) -> list[tuple[str, ExcelRule]]:
    sheet = load_workbook(path)["Gantt"]
    return [(str(cf.sqref), rule) for cf in sheet.conditional_formatting for rule in cf.rules]


def _gantt_shown(backend: Any) -> list[list[str]]:
    grid = backend.read().grid("Gantt")
    assert grid is not None
    return [[as_text(v) for v in row] for row in grid.values]


def test_the_workbook_gets_the_tab_with_its_rules_filled_in_one_sync_and_then_nothing_changes(
    workbook: Make,
) -> None:
    made = workbook(OLD)
    backend = made.backend
    assert isinstance(backend, LocalWorkbook)
    _read, plan = once(backend)
    assert "add the missing tab 'Gantt'" in plan.summary
    shown = _gantt_shown(backend)
    assert shown[0][: FIRST_WEEK + 1] == [*TAB.headers, shown[0][FIRST_WEEK]]
    assert {"planned", "in progress", "done"} <= {v for row in shown[1:] for v in row[FIRST_WEEK:]}
    rules = _excel_rules(backend.path)
    assert len(rules) == len(gantt_tab.RULES)
    body = f"I2:XFD{1_048_576}"
    equals = sorted(r.formula[0] for area, r in rules if r.type == "cellIs" and area == body)
    assert equals == sorted(f'"{code}"' for code in gantt_tab.CODES)
    formulas = [r.formula[0] for _, r in rules if r.type == "expression"]
    assert gantt_tab.today_formula("I") in formulas
    assert gantt_tab.starts_formula("I", gantt_tab.MILESTONE) in formulas
    sheet = load_workbook(backend.path)["Gantt"]
    assert all(c.fill.fill_type is None for row in sheet.iter_rows(min_col=FIRST_WEEK + 1) for c in row)
    before = backend.path.read_bytes()
    for _ in range(2):
        again = sync(backend)
        assert again is not None
        assert again[1].write.empty
    assert backend.path.read_bytes() == before  # a sync with nothing to write leaves the file alone
    assert len(_excel_rules(backend.path)) == len(gantt_tab.RULES)


def test_a_workbook_whose_gantt_tab_was_deleted_gets_it_back_with_its_rules_once(workbook: Make) -> None:
    made = workbook(OLD)
    backend = made.backend
    assert isinstance(backend, LocalWorkbook)
    once(backend)
    drawn = _gantt_shown(backend)
    book = load_workbook(backend.path)
    del book["Gantt"]
    book.save(backend.path)
    _, plan = once(backend)
    assert "add the missing tab 'Gantt'" in plan.summary
    assert _gantt_shown(backend) == drawn
    assert len(_excel_rules(backend.path)) == len(gantt_tab.RULES)


def _gantt_rules(fake: FakeGoogle, spreadsheet_id: str) -> list[dict[str, Any]]:
    return fake.conditional_formats(spreadsheet_id, "Gantt")


def test_google_adds_the_tab_and_its_rules_in_the_structural_batch_and_the_cells_in_the_write(
    google: Make, fake_google: FakeGoogle
) -> None:
    made = google(OLD)
    sheets = made.backend
    assert isinstance(sheets, GoogleSheets)
    fake_google.reset_counts()
    done = sync(sheets)
    assert done is not None
    batches = [r.body["requests"] for r in fake_google.requests_to(WRITE)]
    assert len(batches) == 2  # the structural batch, then the cells
    structural, cells = batches
    added = [r["addConditionalFormatRule"] for r in structural if "addConditionalFormatRule" in r]
    assert len(added) == len(gantt_tab.RULES)
    conditions = [a["rule"]["booleanRule"]["condition"] for a in added]
    assert sorted(c["values"][0]["userEnteredValue"] for c in conditions if c["type"] == "TEXT_EQ") == sorted(
        gantt_tab.CODES
    )
    assert {"type": "TEXT_STARTS_WITH", "values": [{"userEnteredValue": gantt_tab.MILESTONE}]} in conditions
    assert "=" + gantt_tab.today_formula("I") in [
        c["values"][0]["userEnteredValue"] for c in conditions if c["type"] == "CUSTOM_FORMULA"
    ]
    for a in added:  # from the first week column to the right edge and the bottom, whatever they become
        (area,) = a["rule"]["ranges"]
        assert area["startColumnIndex"] == FIRST_WEEK
        assert "endColumnIndex" not in area
        assert "endRowIndex" not in area
    assert any(
        "addProtectedRange" in r and "Gantt" in r["addProtectedRange"]["protectedRange"]["description"]
        for r in structural
    )
    assert not any("addConditionalFormatRule" in r or "repeatCell" in r for r in cells)
    assert fake_google.counts[GUARD] == 1
    rules = _gantt_rules(fake_google, sheets.spreadsheet_id)
    assert len(rules) == len(gantt_tab.RULES)
    values = fake_google.values(sheets.spreadsheet_id, "Gantt")
    assert values[0][:FIRST_WEEK] == list(TAB.headers)
    assert len(values[0]) > 26  # the tab grew to hold every week

    for _ in range(3):
        fake_google.reset_counts()
        again = sync(sheets)
        assert again is not None
        assert again[1].write.empty
        assert WRITE not in fake_google.counts
        assert GUARD not in fake_google.counts
        assert sum(fake_google.counts.values()) == 2  # the two reads, nothing else
    assert _gantt_rules(fake_google, sheets.spreadsheet_id) == rules


def _drawn_on_google(google: Make, fake: FakeGoogle) -> tuple[Made, GoogleSheets, list[list[Any]]]:
    """An old tracker on Google after its first sync (and a second that wrote nothing), and its
    Gantt tab's values."""
    made = google(OLD)
    sheets = made.backend
    assert isinstance(sheets, GoogleSheets)
    once(sheets)
    return made, sheets, fake.values(sheets.spreadsheet_id, "Gantt")


def test_a_google_gantt_tab_deleted_by_a_leader_comes_back_once_with_its_rules(
    google: Make, fake_google: FakeGoogle
) -> None:
    _, sheets, drawn = _drawn_on_google(google, fake_google)
    fake_google.delete_tab(sheets.spreadsheet_id, "Gantt")
    _, plan = once(sheets)
    assert "add the missing tab 'Gantt'" in plan.summary
    assert fake_google.values(sheets.spreadsheet_id, "Gantt") == drawn
    assert len(_gantt_rules(fake_google, sheets.spreadsheet_id)) == len(gantt_tab.RULES)


def test_what_a_person_types_in_the_google_gantt_tab_is_replaced_by_the_next_sync(
    google: Make, fake_google: FakeGoogle
) -> None:
    made, sheets, drawn = _drawn_on_google(google, fake_google)
    made.put("Gantt", 2, FIRST_WEEK + 1, "my own note")
    made.put("Gantt", len(drawn) + 2, 1, "a stray row")
    _, plan = once(sheets)
    assert "'Gantt': 2 cells changed" in plan.summary
    assert fake_google.values(sheets.spreadsheet_id, "Gantt") == drawn
