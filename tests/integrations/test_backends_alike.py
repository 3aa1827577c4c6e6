"""The local workbook and the Google Sheet read what people type the same way, and keep appended
rows inside the tables, filters and named ranges that cover a tab.

Each test builds the sample tracker in a backend (a real .xlsx through openpyxl, or the
loopback Google fake through the real clients), syncs it with the core, and checks what the
sync read, what it wrote, and that a second sync writes nothing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table, TableStyleInfo

from braingain.core.ids import EntryId, MemberId, TaskId
from braingain.core.outcomes import AttendanceImport, MeetingLink, PlatformOutcomes
from braingain.core.ports import TrackerBackend
from braingain.core.schedule.meetings import Presence
from braingain.core.tracker.plan import TrackerPlan, plan_tracker
from braingain.core.tracker.read import ReadResult, read_tracker
from braingain.core.tracker.schema import Cell
from braingain.integrations.tracker.google_sheets import GoogleSheets
from braingain.integrations.tracker.workbook import LocalWorkbook, create_workbook
from tests.fakes.fixtures import hand_made_sheet, service_account_info
from tests.fakes.framework import reset_after_commit
from tests.fakes.google import FakeGoogle
from tests.tracker.helpers import SCHEMA, sample_rows, sample_settings

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = sample_settings(TODAY)
ROWS = sample_rows(TODAY)
Rows = dict[str, list[dict[str, Cell]]]


@dataclass
class Made:
    """A tracker in one backend, and how a person would retitle one of its headers there."""

    backend: TrackerBackend
    retitle: Callable[[str, str, str], None]
    """(tab title, header, what the person typed instead)."""


def headers_of(title: str) -> list[str]:
    return [c.header for c in next(t for t in SCHEMA.tabs if t.title == title).columns]


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[[Rows], Made]:
    def make(rows: Rows) -> Made:
        path = tmp_path / "tracker.xlsx"
        create_workbook(path, SCHEMA, rows)

        def retitle(title: str, header: str, typed: str) -> None:
            book = load_workbook(path)
            book[title].cell(row=1, column=headers_of(title).index(header) + 1).value = typed
            book.save(path)

        return Made(LocalWorkbook(path, schema=SCHEMA), retitle)

    return make


@pytest.fixture
def google(fake_google: FakeGoogle, tmp_path: Path) -> Callable[[Rows], Made]:
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps(service_account_info(fake_google)), encoding="utf-8")

    def make(rows: Rows) -> Made:
        spreadsheet_id, sheets = hand_made_sheet(fake_google, SCHEMA, SETTINGS, rows, key_file)

        def retitle(title: str, header: str, typed: str) -> None:
            letter = get_column_letter(headers_of(title).index(header) + 1)
            fake_google.set_values(spreadsheet_id, title, f"{letter}1", [[typed]])

        return Made(sheets, retitle)

    return make


@pytest.fixture(params=["workbook", "google"])
def tracker(request: pytest.FixtureRequest) -> Callable[[Rows], Made]:
    """The tracker in each backend in turn."""
    make: Callable[[Rows], Made] = request.getfixturevalue(request.param)
    return make


def sync(backend: TrackerBackend) -> tuple[ReadResult, TrackerPlan]:
    read = read_tracker(SCHEMA, backend.read(), SETTINGS, NOW)
    plan = plan_tracker(SCHEMA, read, SETTINGS, NOW)
    backend.write(plan.write)
    return read, plan


def settle(backend: TrackerBackend) -> ReadResult:
    """Sync twice: the second sync reads what the first wrote and writes nothing."""
    read, _ = sync(backend)
    again, plan = sync(backend)
    assert plan.write.empty, plan.summary
    assert again.problems == read.problems
    return read


def rows_with(tab: str, ident: str, **cells: Cell) -> Rows:
    rows = copy.deepcopy(ROWS)
    next(r for r in rows[tab] if r["id"] == ident).update(cells)
    return rows


# --------------------------------------------------------------------------------------------
# Both backends read alike
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("serial", [46396, 46396.0])
def test_a_due_date_stored_as_a_serial_number_is_that_date_in_both_backends(
    tracker: Callable[[Rows], Made], serial: float
) -> None:
    read = settle(tracker(rows_with("tasks", "SR-T11", due=serial, start=None)).backend)
    assert read.problems == ()
    assert read.group.tasks[TaskId("SR-T11")].due == date(2027, 1, 9)


@pytest.mark.parametrize("typed", [2026, "46396"])
def test_a_year_or_a_text_number_in_a_date_column_is_refused_alike_in_both_backends(
    tracker: Callable[[Rows], Made], typed: Cell
) -> None:
    read = settle(tracker(rows_with("tasks", "SR-T11", due=typed)).backend)
    (problem,) = [p for p in read.problems if "kept as it was" not in p.reason]  # and what waits on it
    assert (problem.tab, problem.column) == ("Tasks", "Due")
    assert "is not a date" in problem.reason


@pytest.mark.parametrize(
    "typed",
    [datetime(2026, 11, 19, 10, 0), "2026-11-19 10:00", "2026-11-19 10:00 Africa/Lagos", 46345 + 10 / 24],
)
def test_a_date_time_is_the_volunteers_own_time_in_both_backends(
    tracker: Callable[[Rows], Made], typed: Cell
) -> None:
    read = settle(tracker(rows_with("volunteers", "V-001", at=typed)).backend)
    assert read.problems == ()
    offer = next(v for v in read.group.volunteers if v.member_id == MemberId("kelechi.nwankwo"))
    assert offer.at == datetime(2026, 11, 19, 9, 0, tzinfo=UTC)  # 10:00 in Lagos


@pytest.mark.parametrize(
    ("header", "typed"), [("Due", "Due\u00a0"), ("Max volunteers", "max\u00a0volunteers")]
)
def test_a_header_with_a_no_break_space_is_the_same_column_in_both_backends(
    tracker: Callable[[Rows], Made], header: str, typed: str
) -> None:
    made = tracker(rows_with("tasks", "SR-T11", due=46396, start=None))
    made.retitle("Tasks", header, typed)
    read = settle(made.backend)
    assert read.problems == ()
    assert read.group.tasks[TaskId("SR-T11")].due == date(2027, 1, 9)  # typed as a date column on Google too
    assert read.group.tasks[TaskId("SR-T09")].max_volunteers == 2
    assert made.backend.read().grids["Tasks"].values[0].count(typed) == 1


def test_zoom_links_imported_attendance_and_platform_memory_are_written_and_read_back_alike(
    tracker: Callable[[Rows], Made],
) -> None:
    blank = dict.fromkeys(("minutes", "decisions", "present", "absent", "excused", "recorded_by"))
    backend = tracker(rows_with("meetings", "2026-11-21", **blank)).backend
    link = MeetingLink("85746065432", "https://us02web.zoom.us/j/85746065432?pwd=abc")
    joined = AttendanceImport(
        "2026-11-21",
        frozenset({MemberId("ada.obiora"), MemberId("efe.ighodalo")}),
        frozenset({MemberId("zainab.musawa")}),
        ("iPhone",),
        "Zoom",
    )
    outcomes = PlatformOutcomes(
        links={"2026-12-05": link}, attendance={"2026-11-21": joined}, memory={"zoom:x": '{"id": 1}'}
    )
    for _ in range(2):  # the second sync with the same outcomes writes nothing
        read = read_tracker(SCHEMA, backend.read(), SETTINGS, NOW)
        plan = plan_tracker(SCHEMA, read, SETTINGS, NOW, outcomes=outcomes)
        backend.write(plan.write)
    assert plan.write.empty, plan.summary
    assert read.platforms.links == {"2026-12-05": link}
    assert read.platforms.attendance_imported == {"2026-11-21"}
    assert read.platforms.memory == {"zoom:x": '{"id": 1}'}
    record = read.group.records["2026-11-21"]
    assert record.attendance == {
        MemberId("ada.obiora"): Presence.PRESENT,
        MemberId("efe.ighodalo"): Presence.PRESENT,
        MemberId("zainab.musawa"): Presence.ABSENT,
    }


def test_an_adjustment_with_a_decimal_comma_is_refused_in_both_backends(
    tracker: Callable[[Rows], Made],
) -> None:
    rows = copy.deepcopy(ROWS)
    rows["ledger"].append(
        {
            "id": "ADJ-1",
            "kind": "adjustment",
            "member": "osas.igbinoba",
            "project": "sr-migration",
            "points": "0,500",
            "reason": "Extra screening help",
            "recorded_by": "efe.ighodalo",
            "recorded_at": "2026-11-20 10:00",
        }
    )
    read = settle(tracker(rows).backend)
    (problem,) = [p for p in read.problems if "kept as it was" not in p.reason]  # and the totals that wait
    assert (problem.tab, problem.row, problem.column) == ("Ledger", len(rows["ledger"]) + 1, "Points")
    assert "write 0.500" in problem.reason
    assert EntryId("ADJ-1") not in {e.id for e in read.group.ledger}


# --------------------------------------------------------------------------------------------
# Appended rows stay inside what covers the tab
# --------------------------------------------------------------------------------------------

RESOLVED = rows_with(
    "disputes",
    "D-003",
    decision="adjusted",
    adjustment=1,
    resolved_by="efe.ighodalo",
    resolution="One more point",
)
"""The sample tracker with a dispute just resolved by an adjustment: the sync appends it to the Ledger."""
LEDGER_ROWS = len(ROWS["ledger"]) + 1  # the header and the rows, before the sync appends one
LEDGER_WIDTH = get_column_letter(len(headers_of("Ledger")))


def appended(read: ReadResult) -> None:
    assert read.problems == ()
    assert [e.id for e in read.new_entries] == [EntryId("dispute:D-003")]
    assert read.group.ledger.get(EntryId("dispute:D-003")).points == Decimal(1)


@pytest.fixture
def resolved_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.xlsx"
    create_workbook(path, SCHEMA, RESOLVED)
    return path


def test_rows_appended_below_an_excel_table_over_the_ledger_join_the_table(resolved_workbook: Path) -> None:
    book = load_workbook(resolved_workbook)
    table = Table(displayName="LedgerTable", ref=f"A1:{LEDGER_WIDTH}{LEDGER_ROWS}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    book["Ledger"].add_table(table)
    book["Meetings"].add_table(Table(displayName="FirstMeetings", ref="A1:C3"))  # a part: left as it is
    book.save(resolved_workbook)

    workbook = LocalWorkbook(resolved_workbook, schema=SCHEMA)
    appended(settle(workbook))
    after = load_workbook(resolved_workbook)
    assert after["Ledger"].tables["LedgerTable"].ref == f"A1:{LEDGER_WIDTH}{LEDGER_ROWS + 1}"
    assert after["Ledger"].cell(row=LEDGER_ROWS + 1, column=1).value == "dispute:D-003"
    assert after["Meetings"].tables["FirstMeetings"].ref == "A1:C3"


def test_rows_appended_below_a_filter_and_names_over_the_ledger_join_them(resolved_workbook: Path) -> None:
    book = load_workbook(resolved_workbook)
    ledger = book["Ledger"]
    ledger.auto_filter.ref = f"A1:{LEDGER_WIDTH}{LEDGER_ROWS}"
    ledger.print_area = f"A1:{LEDGER_WIDTH}{LEDGER_ROWS}"
    book.defined_names["ledger_all"] = DefinedName(
        "ledger_all", attr_text=f"Ledger!$A$2:${LEDGER_WIDTH}${LEDGER_ROWS}"
    )
    book.defined_names["ledger_first"] = DefinedName(
        "ledger_first", attr_text=f"Ledger!$A$2:${LEDGER_WIDTH}$3"
    )
    ledger.defined_names["mine"] = DefinedName("mine", attr_text=f"Ledger!$A$1:$A${LEDGER_ROWS}")
    book.defined_names["whole_columns"] = DefinedName("whole_columns", attr_text="Ledger!$A:$B")
    book.save(resolved_workbook)

    appended(settle(LocalWorkbook(resolved_workbook, schema=SCHEMA)))
    after = load_workbook(resolved_workbook)
    grown = LEDGER_ROWS + 1
    assert after["Ledger"].auto_filter.ref == f"A1:{LEDGER_WIDTH}{grown}"
    assert after["Ledger"].print_area == f"'Ledger'!$A$1:${LEDGER_WIDTH}${grown}"
    names = {k: v.attr_text for k, v in after.defined_names.items()}
    assert names["ledger_all"] == f"Ledger!$A$2:${LEDGER_WIDTH}${grown}"
    assert names["ledger_first"] == f"Ledger!$A$2:${LEDGER_WIDTH}$3", "a name over some rows stays as it was"
    assert names["whole_columns"] == "Ledger!$A:$B"
    assert after["Ledger"].defined_names["mine"].attr_text == f"Ledger!$A$1:$A${grown}"


def test_a_table_with_a_totals_row_is_left_as_it_is(resolved_workbook: Path) -> None:
    book = load_workbook(resolved_workbook)
    table = Table(displayName="Totals", ref=f"A1:{LEDGER_WIDTH}{LEDGER_ROWS}", totalsRowCount=1)
    book["Ledger"].add_table(table)
    book.save(resolved_workbook)
    sync(LocalWorkbook(resolved_workbook, schema=SCHEMA))
    assert (
        load_workbook(resolved_workbook)["Ledger"].tables["Totals"].ref == f"A1:{LEDGER_WIDTH}{LEDGER_ROWS}"
    )


def google_sheets(google: Callable[[Rows], Made], rows: Rows) -> GoogleSheets:
    sheets = google(rows).backend
    assert isinstance(sheets, GoogleSheets)
    return sheets


COVERS = frozenset({"updateTable", "setBasicFilter", "updateFilterView", "updateNamedRange"})
"""The requests that make a table, filter or named range reach the rows a sync appends."""


def cover_requests(fake: FakeGoogle) -> list[str]:
    """The requests of every batchUpdate sent that grow a range over a tab, by kind."""
    kinds = [
        next(iter(r))
        for batch in fake.requests_to("spreadsheets.batchUpdate")
        for r in batch.body["requests"]
    ]
    return sorted(k for k in kinds if k in COVERS)


def test_rows_appended_below_a_google_table_filter_view_and_named_range_join_them_in_the_write_itself(
    fake_google: FakeGoogle, google: Callable[[Rows], Made]
) -> None:
    sheets = google_sheets(google, RESOLVED)
    sid = sheets.spreadsheet_id
    width = len(headers_of("Ledger"))
    table = fake_google.add_table(sid, "Ledger", "Ledger", (1, LEDGER_ROWS), (1, width))
    view = fake_google.add_filter_view(sid, "Ledger", "Mine", (1, LEDGER_ROWS), (1, width))
    everything = fake_google.add_named_range(sid, "Ledger", "ledger_rows", (2, LEDGER_ROWS), (1, width))
    some = fake_google.add_named_range(sid, "Ledger", "first_rows", (2, 3), (1, width))
    meetings_filter = {"sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}]}
    fake_google.set_basic_filter(sid, "Meetings", (1, 3), (1, 3), **meetings_filter)  # a part of the tab
    fake_google.reset_counts()

    read, _ = sync(sheets)

    appended(read)
    assert {n: c for n, c in fake_google.counts.items() if c and n != "token"} == {
        "spreadsheets.get": 1,
        "values.batchGet": 1,
        "values.batchGetByDataFilter": 1,
        "spreadsheets.batchUpdate": 1,
    }
    (batch,) = fake_google.requests_to("spreadsheets.batchUpdate")
    kinds = [next(iter(r)) for r in batch.body["requests"]]
    assert "appendCells" in kinds
    assert kinds.index("createDeveloperMetadata") < kinds.index("appendCells")  # the sync lease first
    assert kinds.index("appendCells") < min(kinds.index(k) for k in COVERS if k in kinds)
    assert cover_requests(fake_google) == [
        "updateFilterView",
        "updateNamedRange",
        "updateTable",
    ], "only what covered the rows"
    ((grown_table,),) = [fake_google.tables(sid, "Ledger")]
    assert grown_table["tableId"] == table
    assert grown_table["range"]["endRowIndex"] == LEDGER_ROWS + 1
    assert fake_google.filter_views(sid, "Ledger")[0]["filterViewId"] == view
    assert fake_google.filter_views(sid, "Ledger")[0]["range"]["endRowIndex"] == LEDGER_ROWS + 1
    named = {n["namedRangeId"]: n["range"]["endRowIndex"] for n in fake_google.named_ranges(sid)}
    assert named == {everything: LEDGER_ROWS + 1, some: 3}
    basic = fake_google.basic_filter(sid, "Meetings")
    assert basic is not None
    assert (basic["range"]["endRowIndex"], basic["sortSpecs"]) == (3, meetings_filter["sortSpecs"])

    fake_google.reset_counts()
    _, plan = sync(sheets)
    assert plan.write.empty
    assert "spreadsheets.batchUpdate" not in {n for n, c in fake_google.counts.items() if c}


def test_a_google_basic_filter_over_the_ledger_keeps_its_sort_and_criteria_when_it_grows(
    fake_google: FakeGoogle, google: Callable[[Rows], Made]
) -> None:
    sheets = google_sheets(google, RESOLVED)
    sid = sheets.spreadsheet_id
    criteria = {
        "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "ASCENDING"}],
        "filterSpecs": [{"columnIndex": 1, "filterCriteria": {"hiddenValues": ["award"]}}],
    }
    fake_google.set_basic_filter(sid, "Ledger", (1, LEDGER_ROWS), (1, len(headers_of("Ledger"))), **criteria)

    appended(settle(sheets))
    basic = fake_google.basic_filter(sid, "Ledger")
    assert basic is not None
    assert basic["range"]["endRowIndex"] == LEDGER_ROWS + 1
    assert basic["sortSpecs"] == criteria["sortSpecs"]
    assert basic["filterSpecs"] == criteria["filterSpecs"]


def test_a_sync_that_appends_nothing_grows_no_range(
    fake_google: FakeGoogle, google: Callable[[Rows], Made]
) -> None:
    sheets = google_sheets(google, ROWS)
    sync(sheets)  # the first sync writes the sync-owned cells
    fake_google.add_table(
        sheets.spreadsheet_id, "Ledger", "Ledger", (1, LEDGER_ROWS), (1, len(headers_of("Ledger")))
    )
    fake_google.reset_counts()
    read, _ = sync(sheets)
    assert not read.new_entries
    assert cover_requests(fake_google) == []


def test_a_lost_answer_to_the_batch_that_grows_a_table_sends_nothing_twice(
    fake_google: FakeGoogle, google: Callable[[Rows], Made]
) -> None:
    sheets = google_sheets(google, RESOLVED)
    width = len(headers_of("Ledger"))
    fake_google.add_table(sheets.spreadsheet_id, "Ledger", "Ledger", (1, LEDGER_ROWS), (1, width))
    read = read_tracker(SCHEMA, sheets.read(), SETTINGS, NOW)
    write = plan_tracker(SCHEMA, read, SETTINGS, NOW).write
    fake_google.faults.add("spreadsheets.batchUpdate", reset_after_commit())
    fake_google.reset_counts()

    sheets.write(write)

    # the write (rows and table) landed, the answer was lost: a look at the lease shows it landed,
    # so neither the rows nor the table's growth are sent twice
    assert {n: c for n, c in fake_google.counts.items() if c and n != "token"} == {
        "spreadsheets.get": 1,  # a look at the lease: it holds the lost write's value
        "values.batchGetByDataFilter": 1,
        "spreadsheets.batchUpdate": 1,
    }
    (table,) = fake_google.tables(sheets.spreadsheet_id, "Ledger")
    assert table["range"]["endRowIndex"] == LEDGER_ROWS + 1
    assert sync(sheets)[1].write.empty
