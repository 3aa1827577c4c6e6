"""A tracker that reads well, in both backends: what braingain writes wraps, shows yes or no and
real date-times, a Problems row links to its cell, and a new tracker has dropdowns, prompts, a
required or optional note on every header and a print setup.

Each test syncs the sample tracker in a backend (a real .xlsx through openpyxl, or the loopback
Google fake through the real clients) and looks at the cells as a person would see them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.styles.numbers import is_date_format

from braingain.core.tracker.plan import TrackerPlan, plan_tracker
from braingain.core.tracker.read import ReadResult, read_tracker
from braingain.core.tracker.schema import Cell, CellWrite, Owner, Snapshot, TrackerWrite, column_letter
from braingain.integrations.config import Config, TrackerConfig
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.formats import REFERENCES
from braingain.integrations.tracker.google_sheets import create_spreadsheet
from braingain.integrations.tracker.workbook import LocalWorkbook, create_workbook
from tests.fakes.fixtures import authorized_user_info, google_endpoints, hand_made_sheet, service_account_info
from tests.fakes.google import FakeGoogle
from tests.tracker.helpers import SCHEMA, sample_rows, sample_settings

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = sample_settings(TODAY)
Rows = dict[str, list[dict[str, Cell]]]


@dataclass
class Look:
    """How one cell looks: whether it wraps, whether it shows as a date, where it links to."""

    wraps: bool
    dated: bool
    link: str | None


@dataclass
class Made:
    backend: Any
    look: Callable[[str, str], Look]
    """(tab title, A1) -> the cell's look."""
    sheet_id: Callable[[str], int | None]


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[[Rows], Made]:
    def make(rows: Rows) -> Made:
        path = tmp_path / "tracker.xlsx"
        create_workbook(path, SCHEMA, rows)

        def look(title: str, a1: str) -> Look:
            cell = load_workbook(path)[title][a1]
            link = cell.hyperlink.location if cell.hyperlink is not None else None
            return Look(bool(cell.alignment.wrap_text), is_date_format(cell.number_format), link)

        return Made(LocalWorkbook(path, schema=SCHEMA), look, lambda title: None)

    return make


@pytest.fixture
def google(fake_google: FakeGoogle, tmp_path: Path) -> Callable[[Rows], Made]:
    """A Google Sheet a person made by hand (no layout at all): braingain's cells still read well."""
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps(service_account_info(fake_google)), encoding="utf-8")

    def make(rows: Rows) -> Made:
        spreadsheet_id, sheets = hand_made_sheet(fake_google, SCHEMA, SETTINGS, rows, key_file)

        def look(title: str, a1: str) -> Look:
            cell = fake_google.cell(spreadsheet_id, title, a1)
            shown = cell.get("userEnteredFormat") or {}
            runs = cell.get("textFormatRuns") or []
            link = next((r["format"]["link"]["uri"] for r in runs if "link" in r.get("format", {})), None)
            dated = (shown.get("numberFormat") or {}).get("type") in ("DATE", "DATE_TIME")
            return Look(shown.get("wrapStrategy") == "WRAP", dated, link)

        def sheet_id(title: str) -> int | None:
            return next(int(s["sheetId"]) for s in fake_google.sheets(spreadsheet_id) if s["title"] == title)

        return Made(sheets, look, sheet_id)

    return make


@pytest.fixture(params=["workbook", "google"])
def tracker(request: pytest.FixtureRequest) -> Callable[[Rows], Made]:
    make: Callable[[Rows], Made] = request.getfixturevalue(request.param)
    return make


def sync(backend: Any) -> tuple[ReadResult, TrackerPlan, Snapshot]:
    read = read_tracker(SCHEMA, backend.read(), SETTINGS, NOW)
    plan = plan_tracker(SCHEMA, read, SETTINGS, NOW)
    backend.write(plan.write)
    return read, plan, backend.read()


def settled(made: Made) -> tuple[TrackerPlan, Snapshot]:
    """The first sync's plan and what the tracker holds after it; a second sync writes nothing."""
    _, plan, after = sync(made.backend)
    _, again, _ = sync(made.backend)
    assert again.write.empty, again.summary
    return plan, after


def column_of(tab: str, key: str) -> int:
    return [c.key for c in SCHEMA.tab(tab).columns].index(key) + 1


def value(snap: Snapshot, tab: str, ident: str, key: str) -> Cell:
    grid = snap.grids[SCHEMA.tab(tab).title]
    row = next(r for r in grid.values[1:] if r and r[0] == ident)
    index = column_of(tab, key) - 1
    return row[index] if index < len(row) else None


def test_every_cell_of_several_lines_braingain_writes_wraps_in_both_backends(
    tracker: Callable[[Rows], Made],
) -> None:
    made = tracker(sample_rows(TODAY))
    plan, _ = settled(made)
    lines = [c for c in plan.write.cells if isinstance(c.value, str) and "\n" in c.value]
    assert {c.tab for c in lines} >= {"Outputs"}  # Authors in order, Acknowledged
    for cell in lines:
        assert made.look(cell.tab, cell.a1).wraps, (cell.tab, cell.a1)


def test_yes_or_no_is_what_a_person_reads_in_braingains_yes_no_cells_in_both_backends(
    tracker: Callable[[Rows], Made],
) -> None:
    made = tracker(sample_rows(TODAY))
    plan, after = settled(made)
    selected = [
        c
        for c in plan.write.cells
        if c.tab == "Volunteers" and c.column == column_of("volunteers", "selected")
    ]
    assert selected
    shown = {
        value(after, "volunteers", str(after.grids["Volunteers"].values[c.row - 1][0]), "selected")
        for c in selected
    }
    assert shown <= {"yes", "no"}
    assert shown


def test_a_meetings_start_is_a_real_date_time_in_both_backends(tracker: Callable[[Rows], Made]) -> None:
    made = tracker(sample_rows(TODAY))
    plan, after = settled(made)
    starts = [
        c for c in plan.write.cells if c.tab == "Meetings" and c.column == column_of("meetings", "starts")
    ]
    assert starts
    for cell in starts:
        assert made.look(cell.tab, cell.a1).dated, cell.a1
    grid = after.grids["Meetings"]
    read_back = [r[column_of("meetings", "starts") - 1] for r in grid.values[1:]]
    assert all(isinstance(v, datetime) for v in read_back if v is not None)


def test_a_problems_row_links_to_the_bad_cell_in_both_backends(tracker: Callable[[Rows], Made]) -> None:
    rows = sample_rows(TODAY)
    rows["tasks"][0]["points"] = "ten"
    made = tracker(rows)
    _, after = settled(made)
    problems = after.grids["Problems"].values
    number = next(i for i, r in enumerate(problems) if r and r[1] == "Tasks" and r[3] == "Points") + 1
    target = f"{column_letter(column_of('tasks', 'points'))}2"
    link = made.look("Problems", f"A{number}").link
    sheet_id = made.sheet_id("Tasks")
    assert link == (f"'Tasks'!{target}" if sheet_id is None else f"#gid={sheet_id}&range={target}")
    assert value(after, "tasks", str(rows["tasks"][0]["id"]), "points") == "ten"  # never written over


def test_a_problem_put_right_takes_its_row_and_its_link_off_the_problems_tab(
    workbook: Callable[[Rows], Made], tmp_path: Path
) -> None:
    rows = sample_rows(TODAY)
    rows["tasks"][0]["points"] = "ten"
    made = workbook(rows)
    settled(made)
    path = tmp_path / "tracker.xlsx"
    book = load_workbook(path)
    book["Tasks"].cell(row=2, column=column_of("tasks", "points")).value = 6
    book.save(path)
    made = Made(LocalWorkbook(path, schema=SCHEMA), made.look, made.sheet_id)
    settled(made)
    problems = load_workbook(path)["Problems"]
    assert all(c.hyperlink is None for row in problems.iter_rows(min_row=2) for c in row)


def test_a_cell_the_problems_tab_lists_is_highlighted_by_a_rule_that_names_its_tab_row_and_header(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tracker.xlsx"
    create_workbook(path, SCHEMA)
    book = load_workbook(path)
    for tab in SCHEMA.tabs:
        rules = [r for cf in book[tab.title].conditional_formatting for r in cf.rules]
        highlights = [r for r in rules if "Problems" in r.formula[0]]
        if tab.sync_owned:
            assert not highlights
            continue
        (rule,) = highlights
        formula = rule.formula[0]
        assert f'"{tab.title}"' in formula
        for part in ("'Problems'!B:B", "'Problems'!C:C", "'Problems'!D:D", "ROW()", "A$1"):
            assert part in formula, (tab.key, part)
        assert rule.dxf.fill.fgColor.rgb.endswith("FF9F7F")


def test_every_reference_column_has_a_dropdown_of_the_ids_on_its_tab_in_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    create_workbook(path, SCHEMA, sample_rows(TODAY))
    book = load_workbook(path)
    for tab in SCHEMA.tabs:
        by_letter = {
            str(v.sqref).split(":")[0].rstrip("0123456789"): v
            for v in book[tab.title].data_validations.dataValidation
        }
        for index, column in enumerate(tab.columns, start=1):
            if column.type in REFERENCES and column.owner is Owner.PEOPLE:
                rule = by_letter[column_letter(index)]
                names = (
                    "braingain_member_ids"
                    if column.type == "member"
                    else f"braingain_{REFERENCES[column.type]}_ids"
                )
                assert rule.formula1 == names, (tab.key, column.key)
                assert rule.showInputMessage, (tab.key, column.key)
                assert rule.prompt, (tab.key, column.key)
            if column.key == tab.id_column and column.owner is Owner.PEOPLE:
                rule = by_letter[column_letter(index)]
                assert rule.type == "custom"
                assert "COUNTIF" in rule.formula1
                assert rule.showInputMessage
                assert "never changes" in rule.prompt


def test_every_tab_prints_landscape_as_wide_as_readable_with_the_header_row_on_each_page(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tracker.xlsx"
    create_workbook(path, SCHEMA, sample_rows(TODAY))
    book = load_workbook(path)
    for tab in SCHEMA.tabs:
        sheet = book[tab.title]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight == 0  # as many pages down as the rows need
        assert 1 <= sheet.page_setup.fitToWidth <= 3
        assert sheet.print_title_rows == "$1:$1"


def test_a_new_google_sheet_has_prompts_reference_dropdowns_and_required_headers(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    key_file = tmp_path / "leader.json"  # a leader signed in as themselves: a service account owns no file
    key_file.write_text(json.dumps(authorized_user_info(fake_google)), encoding="utf-8")
    config = Config(
        source=None,
        settings=SETTINGS,
        tracker=TrackerConfig(backend="google", spreadsheet_id="", share_with_leaders=False),
        endpoints=google_endpoints(fake_google),
        environment={"GOOGLE_APPLICATION_CREDENTIALS": str(key_file)},
    )
    spreadsheet_id = create_spreadsheet(config, SCHEMA, title="t", retry=RetryPolicy(sleep=lambda _: None))
    assert fake_google.problems == []
    for tab in SCHEMA.tabs:
        rules = {
            column: v["rule"]
            for v in fake_google.validations(spreadsheet_id, tab.title)
            for column in range(v["range"]["startColumnIndex"], v["range"]["endColumnIndex"])
        }
        for index, column in enumerate(tab.columns):
            header = fake_google.cell(spreadsheet_id, tab.title, f"{column_letter(index + 1)}1")
            bold = header["userEnteredFormat"]["textFormat"]["bold"]
            assert bold is (column.required or column.owner is Owner.SYNC), (tab.key, column.key)
            if column.owner is Owner.SYNC:
                continue
            said = (
                "Required" if column.required else f"Needed {column.needed}" if column.needed else "Optional"
            )
            assert header["note"].startswith(said), (
                tab.key,
                column.key,
            )
            if column.type in REFERENCES:
                target = SCHEMA.tab(REFERENCES[column.type]).title
                assert rules[index]["condition"] == {
                    "type": "ONE_OF_RANGE",
                    "values": [{"userEnteredValue": f"='{target}'!$A$2:$A"}],
                }, (tab.key, column.key)
            if column.key == tab.id_column or column.type in REFERENCES:
                assert rules[index]["inputMessage"], (tab.key, column.key)
    gender = SCHEMA.tab("members").column("gender")
    assert not gender.required


def test_a_write_that_fills_a_blank_cell_leaves_a_value_a_person_typed_there_alone(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    create_workbook(path, SCHEMA, sample_rows(TODAY))
    column = column_of("members", "active")
    book = load_workbook(path)
    book["Members"].cell(row=2, column=column).value = "no"
    book.save(path)
    workbook = LocalWorkbook(path, schema=SCHEMA)
    workbook.read()
    workbook.write(TrackerWrite(cells=(CellWrite("Members", 2, column, "yes", fill=True, was=None),)))
    assert load_workbook(path)["Members"].cell(row=2, column=column).value == "no"


def test_a_meetings_start_on_a_renamed_google_tab_is_not_written_again(
    google: Callable[[Rows], Made], fake_google: FakeGoogle
) -> None:
    # A renamed tab's column types are unknown to the backend: the start reads as its serial number.
    made = google(sample_rows(TODAY))
    sync(made.backend)
    fake_google.rename_tab(made.backend.spreadsheet_id, "Meetings", "Meetings (old)")
    sync(made.backend)
    _, plan, _ = sync(made.backend)
    assert plan.write.empty, plan.summary
