"""The Google Sheets backend, end to end: the real gspread and google-auth clients against the loopback fake.

Every test drives :class:`GoogleSheets` and :func:`create_spreadsheet` over HTTP to
:class:`~tests.fakes.google.FakeGoogle` (the fixture ``fake_google``), counting the
requests each operation costs and injecting Google's faults. The retry policy gets a
recording sleep, so no test waits; a timeout fault costs the client's (short) timeout.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from braingain.core.ports import TrackerBackend
from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.plan import TrackerPlan, plan_tracker
from braingain.core.tracker.read import Settings, read_tracker
from braingain.core.tracker.schema import (
    AddColumns,
    AddTab,
    Cell,
    CellWrite,
    Schema,
    TrackerWrite,
    cells_equal,
    column_letter,
)
from braingain.integrations import compose
from braingain.integrations.cli import EXIT_OK, main
from braingain.integrations.config import Config, TrackerConfig
from braingain.integrations.errors import ConfigError, PlatformError, TrackerError
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.google_sheets import (
    CREDENTIAL_VARIABLES,
    GoogleSheets,
    create_spreadsheet,
    google_credentials,
    leader_emails,
    read_value,
    value_ranges,
    written_value,
)
from braingain.integrations.tracker.schema import load_schema
from braingain.integrations.tracker.workbook import SYNC_NOTE
from braingain.sample import sample_group
from tests.fakes.fixtures import SCOPES, authorized_user_info, google_endpoints, service_account_info
from tests.fakes.framework import expired_token as expired_token_fault
from tests.fakes.framework import rate_limited, reset_after_commit, status, timeout
from tests.fakes.google import FakeGoogle
from tests.tracker.helpers import sample_settings

SCHEMA: Schema = load_schema()
TODAY = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
SHORT_TIMEOUT = 1.0
"""The client's timeout in the timeout tests (seconds): a timeout fault costs this much wall time."""
GUARD = "values.batchGetByDataFilter"
"""The guard read: the tabs to write, read again just before the write."""
WRITE = "spreadsheets.batchUpdate"
GUARDED_WRITE = {GUARD: 1, WRITE: 1}
"""What a write of cells costs: the guard read, then one batchUpdate."""


class Sleeps:
    """The retry policy's sleep: records what it was asked to wait, and never waits."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)


@pytest.fixture
def fake(fake_google: FakeGoogle) -> FakeGoogle:
    return fake_google


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def retry(sleeps: Sleeps) -> RetryPolicy:
    return RetryPolicy(sleep=sleeps, random=lambda: 0.5, now=lambda: NOW)


@pytest.fixture
def key_file(tmp_path: Path, fake: FakeGoogle) -> Path:
    """The leader's own Google sign-in (authorized-user credentials): what they create, they own."""
    path = tmp_path / "google-signin.json"
    path.write_text(json.dumps(authorized_user_info(fake)), encoding="utf-8")
    return path


@pytest.fixture
def service_key(tmp_path: Path, fake: FakeGoogle) -> Path:
    """A service account's key file (Workspace groups): it may use a sheet shared with it, never own one."""
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(service_account_info(fake)), encoding="utf-8")
    return path


def make_config(
    fake: FakeGoogle,
    key_file: Path | None,
    *,
    spreadsheet_id: str | None = None,
    share: bool = True,
    settings: Settings | None = None,
    environment: Mapping[str, str] | None = None,
) -> Config:
    env = dict(environment or {})
    if key_file is not None:
        env["GOOGLE_APPLICATION_CREDENTIALS"] = str(key_file)
    return Config(
        source=None,
        settings=settings or sample_settings(TODAY),
        tracker=TrackerConfig(backend="google", spreadsheet_id=spreadsheet_id, share_with_leaders=share),
        endpoints=google_endpoints(fake),
        environment=env,
    )


def sample_rows() -> dict[str, list[dict[str, Cell]]]:
    group = sample_group(TODAY)
    rows: dict[str, list[dict[str, Cell]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group))
    return rows


def tabs_of(
    rows: Mapping[str, Sequence[Mapping[str, Cell]]],
    *,
    schema: Schema = SCHEMA,
    leave_out_tabs: Sequence[str] = (),
    leave_out_columns: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[list[object]]]:
    """Tabs (title -> rows) as a person might have typed them, for ``fake.new_spreadsheet``."""
    tabs: dict[str, list[list[object]]] = {}
    for tab in schema.tabs:
        if tab.key in leave_out_tabs:
            continue
        columns = [c for c in tab.columns if c.key not in (leave_out_columns or {}).get(tab.key, ())]
        body: list[list[object]] = [[row.get(c.key) for c in columns] for row in rows.get(tab.key, ())]
        tabs[tab.title] = [[c.header for c in columns], *body]
    return tabs


def backend(
    fake: FakeGoogle, key_file: Path, spreadsheet_id: str, retry: RetryPolicy, *, timeout: float = 10.0
) -> GoogleSheets:
    config = make_config(fake, key_file, spreadsheet_id=spreadsheet_id)
    return GoogleSheets.from_config(config, retry=retry, timeout=timeout)


def plan(sheets: TrackerBackend, settings: Settings | None = None) -> TrackerPlan:
    settings = settings or sample_settings(TODAY)
    read = read_tracker(SCHEMA, sheets.read(), settings, AT)
    return plan_tracker(SCHEMA, read, settings, AT)


def col(tab: str, key: str) -> int:
    """The 1-based position of a column in the schema (and in a tracker laid out from it)."""
    return [c.key for c in SCHEMA.tab(tab).columns].index(key) + 1


def a1(tab: str, key: str, row: int) -> str:
    return f"{column_letter(col(tab, key))}{row}"


def no_email(text: str) -> None:
    assert not EMAIL_PATTERN.search(text), f"an email address leaked into: {text}"


def counts(fake: FakeGoogle) -> dict[str, int]:
    return {name: n for name, n in fake.counts.items() if n}


@pytest.fixture
def small_sheet(fake: FakeGoogle) -> str:
    """A tracker typed by hand: two members, one task, an empty state tab."""
    ada: dict[str, Cell] = {
        "id": "ada",
        "given_names": "Ada",
        "surname": "Obiora",
        "email": "ada@example.org",
    }
    ada |= {"role": "leader", "joined": date(2025, 1, 15), "active": True, "points": 12.5, "open_tasks": 2}
    efe: dict[str, Cell] = {
        "id": "efe",
        "given_names": "Efe",
        "surname": "Ighodalo",
        "email": "efe@example.org",
    }
    efe |= {"role": "member", "joined": date(2025, 2, 1), "active": False}
    task: dict[str, Cell] = {"id": "T1", "project": "P1", "title": "Screen titles", "points": 3}
    task |= {"due": date(2026, 1, 31), "status": "open"}
    rows = {"members": [ada, efe], "tasks": [task]}
    return fake.new_spreadsheet("tracker", tabs_of(rows))


# --------------------------------------------------------------------------------------------
# The pieces: values and ranges
# --------------------------------------------------------------------------------------------


def test_cells_are_grouped_into_contiguous_ranges() -> None:
    cells: dict[tuple[int, int], str | int | float] = {
        (2, 1): "a", (2, 2): "b", (3, 1): "c", (3, 2): "d",  # a 2x2 block
        (2, 5): 1,  # alone
        (5, 1): "e", (5, 2): "f", (5, 3): "g",  # a row
    }  # fmt: skip
    ranges = value_ranges("It's", cells)
    assert ranges == [
        {"range": "'It''s'!A2:B3", "majorDimension": "ROWS", "values": [["a", "b"], ["c", "d"]]},
        {"range": "'It''s'!E2", "majorDimension": "ROWS", "values": [[1]]},
        {"range": "'It''s'!A5:C5", "majorDimension": "ROWS", "values": [["e", "f", "g"]]},
    ]


def test_a_column_of_cells_is_one_range() -> None:
    cells: dict[tuple[int, int], str | int | float] = {(row, 3): row for row in range(2, 102)}
    (only,) = value_ranges("Tasks", cells)
    assert only["range"] == "'Tasks'!C2:C101"
    assert len(only["values"]) == 100


@pytest.mark.parametrize(
    ("value", "kind", "written", "read_back"),
    [
        (None, "text", "", None),
        ("=SUM(A1:A3)", "text", "=SUM(A1:A3)", "=SUM(A1:A3)"),
        (True, "bool", "yes", "yes"),
        (False, "bool", "no", "no"),
        (3, "integer", 3, 3),
        (2.5, "number", 2.5, 2.5),
        (date(2026, 3, 7), "date", 46088, date(2026, 3, 7)),
        (date(2026, 3, 7), "text", "2026-03-07", "2026-03-07"),
        (datetime(2026, 3, 7, 15, 30), "datetime", 46088 + 15.5 / 24, datetime(2026, 3, 7, 15, 30)),
        (datetime(2026, 3, 7, 15, 30), "text", "2026-03-07T15:30:00", "2026-03-07T15:30:00"),
        (
            datetime(2026, 3, 7, 15, 30, tzinfo=timezone(timedelta(hours=1))),
            "datetime",
            "2026-03-07T15:30:00+01:00",
            "2026-03-07T15:30:00+01:00",
        ),
    ],
)
def test_values_are_written_so_that_they_read_back_the_same(
    value: Cell, kind: str, written: object, read_back: Cell
) -> None:
    out = written_value(value, kind, "Tab!A2")
    assert out == written
    assert read_value(out, kind) == read_back
    assert cells_equal(read_value(out, kind), value)


def test_serial_numbers_become_dates_only_in_date_columns() -> None:
    assert read_value(46088, "date") == date(2026, 3, 7)
    assert read_value(46088.25, "date") == datetime(2026, 3, 7, 6, 0)
    assert read_value(46088, "datetime") == datetime(2026, 3, 7, 0, 0)
    assert read_value(46088, "number") == 46088
    assert read_value(46088, None) == 46088
    assert read_value(-5, "date") == -5
    assert read_value(True, "date") is True
    assert read_value("#REF!", "date") == "#REF!"
    assert read_value("", "text") is None


def test_what_cannot_be_written_is_refused_clearly() -> None:
    with pytest.raises(TrackerError, match="Tab!B2"):
        written_value(float("nan"), "number", "Tab!B2")
    long = written_value("x" * 60_000, "longtext", "Tab!B2")
    assert isinstance(long, str)
    assert len(long) <= 50_000
    assert long.endswith("(truncated)")


# --------------------------------------------------------------------------------------------
# Creating a tracker
# --------------------------------------------------------------------------------------------


def test_a_leader_whose_email_cannot_be_read_is_not_shared_with() -> None:
    rows = sample_rows()
    leader = next(r for r in rows["members"] if r["role"] == "leader")
    leader["email"] = "name@@example..org"
    shared = leader_emails(SCHEMA, rows)
    assert len(shared) == 2
    assert "name@@example..org" not in shared


def test_create_makes_a_ready_tracker_in_three_requests_and_one_per_leader(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rows = sample_rows()
    leaders = leader_emails(SCHEMA, rows)
    assert len(leaders) == 3

    spreadsheet_id = create_spreadsheet(
        make_config(fake, key_file), SCHEMA, title="Diamante tracker", rows=rows, retry=retry
    )

    assert counts(fake) == {
        "token": 1,
        "spreadsheets.create": 1,
        "spreadsheets.batchUpdate": 1,
        "values.batchUpdate": 1,
        "drive.permissions.create": len(leaders),
    }
    sheets = fake.sheets(spreadsheet_id)
    assert [s["title"] for s in sheets] == [t.title for t in SCHEMA.tabs]
    for properties, tab in zip(sheets, SCHEMA.tabs, strict=True):
        assert properties["gridProperties"].get("frozenRowCount") == 1, tab.title
        assert bool(properties.get("hidden")) is tab.hidden, tab.title
    assert fake.sheet(spreadsheet_id, "_braingain_state").get("hidden") is True

    members = fake.values(spreadsheet_id, "Members")
    assert members[0] == [c.header for c in SCHEMA.tab("members").columns]
    assert len(members) == 1 + len(rows["members"])
    header = fake.cell(spreadsheet_id, "Members", "A1")
    assert header["userEnteredFormat"]["textFormat"]["bold"] is True
    assert "never changes" in header["note"]
    points = fake.cell(spreadsheet_id, "Members", a1("members", "points", 1))
    assert points["formattedValue"] == "Points (all projects)"
    assert SYNC_NOTE in points["note"]
    assert "backgroundColor" in points["userEnteredFormat"]
    assert (
        "backgroundColor"
        in fake.cell(spreadsheet_id, "Members", a1("members", "points", 2))["userEnteredFormat"]
    )
    at = fake.cell(spreadsheet_id, "Volunteers", a1("volunteers", "at", 2))
    assert at["userEnteredFormat"]["numberFormat"] == {"type": "DATE_TIME", "pattern": "ddd d mmm yyyy hh:mm"}
    joined = fake.cell(spreadsheet_id, "Members", a1("members", "joined", 2))
    assert joined["userEnteredFormat"]["numberFormat"] == {"type": "DATE", "pattern": "ddd d mmm yyyy"}
    day = rows["members"][0]["joined"]
    assert isinstance(day, date)
    assert joined["formattedValue"] == f"{day:%a} {day.day} {day:%b} {day.year}"  # Sat 7 Mar 2026

    rules = {
        (v["range"]["startColumnIndex"], v["range"]["startRowIndex"]): v["rule"]
        for v in fake.validations(spreadsheet_id, "Members")
    }
    role = rules[(col("members", "role") - 1, 1)]
    choices = [{"userEnteredValue": "leader"}, {"userEnteredValue": "member"}]
    assert role["condition"] == {"type": "ONE_OF_LIST", "values": choices}
    assert role["strict"] is True
    zone = rules[(col("members", "zone") - 1, 1)]
    assert zone["strict"] is False  # any IANA zone is fine: the list only helps
    assert [
        v["userEnteredValue"] for v in rules[(col("members", "active") - 1, 1)]["condition"]["values"]
    ] == ["yes", "no"]
    assert (col("members", "points") - 1, 1) not in rules  # sync-owned columns have no dropdown
    tasks = {v["range"]["startColumnIndex"]: v["rule"] for v in fake.validations(spreadsheet_id, "Tasks")}
    supervisor = [c.key for c in SCHEMA.tab("tasks").columns].index("supervisor")
    assert tasks[supervisor]["condition"] == {
        "type": "ONE_OF_RANGE",
        "values": [{"userEnteredValue": "='Members'!$A$2:$A"}],
    }

    protected = fake.protected_ranges(spreadsheet_id)
    assert protected
    assert all(p["warningOnly"] for p in protected)
    by_sheet: dict[int, list[dict[str, Any]]] = {}
    for p in protected:
        by_sheet.setdefault(p["range"]["sheetId"], []).append(p["range"])
    ids = {s["title"]: s["sheetId"] for s in sheets}
    assert {
        "sheetId": ids["Members"],
        "startColumnIndex": col("members", "points") - 1,
        "endColumnIndex": col("members", "points"),
    } in by_sheet[ids["Members"]]
    assert {"sheetId": ids["Members"], "startRowIndex": 0, "endRowIndex": 1} in by_sheet[ids["Members"]]
    assert {"sheetId": ids["Problems"]} in by_sheet[ids["Problems"]]
    assert {"sheetId": ids["_braingain_state"]} in by_sheet[ids["_braingain_state"]]

    formats = fake.conditional_formats(spreadsheet_id, "Tasks")
    formulas = [f["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for f in formats]
    assert len(formulas) == 4
    assert formulas[0].startswith("=COUNTIFS(INDIRECT(\"'Problems'!")  # a listed cell stands out first
    assert "TODAY()" in formulas[1]
    assert '"accepted"' in formulas[1]
    assert '"cancelled"' in formulas[1]
    assert formulas[2].endswith('="accepted"')
    assert formulas[3].endswith('="needs rework"')
    assert all(f["booleanRule"]["condition"]["type"] == "CUSTOM_FORMULA" for f in formats)

    shared = {
        p["emailAddress"]: p["role"] for p in fake.permissions(spreadsheet_id) if p.get("type") == "user"
    }
    assert {email: shared.get(email) for email in leaders} == dict.fromkeys(leaders, "writer")
    notices = fake.share_notifications(spreadsheet_id)
    assert len(notices) == len(leaders)
    assert all(n["sendNotificationEmail"] is False for n in notices)
    no_email(caplog.text)


def test_create_without_rows_and_without_sharing_takes_two_requests(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    spreadsheet_id = create_spreadsheet(
        make_config(fake, key_file, share=False), SCHEMA, title="t", retry=retry
    )
    assert counts(fake) == {"token": 1, "spreadsheets.create": 1, "spreadsheets.batchUpdate": 1}
    assert fake.values(spreadsheet_id, "Tasks") == [[c.header for c in SCHEMA.tab("tasks").columns]]
    assert fake.share_notifications(spreadsheet_id) == []


def test_a_new_tracker_reads_back_what_init_wrote_and_syncs_to_a_fixed_point(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    rows = sample_rows()
    spreadsheet_id = create_spreadsheet(
        make_config(fake, key_file, share=False), SCHEMA, title="t", rows=rows, retry=retry
    )
    sheets = backend(fake, key_file, spreadsheet_id, retry)
    snapshot = sheets.read()
    for tab in SCHEMA.tabs:
        grid = snapshot.grids[tab.title]
        assert grid.values[0] == tab.headers
        for number, row in enumerate(rows.get(tab.key, ()), start=1):
            for index, column in enumerate(tab.columns):
                got = grid.values[number][index] if index < len(grid.values[number]) else None
                assert cells_equal(got, row.get(column.key)), (tab.title, number, column.header, got)
    members = snapshot.grids["Members"].values
    assert isinstance(members[1][col("members", "joined") - 1], date)  # a date, not a serial number
    assert snapshot.grids["_braingain_state"].hidden is True

    first_plan = plan(sheets)
    assert first_plan.write.cells
    assert not first_plan.write.structure
    fake.reset_counts()
    sheets.write(first_plan.write)
    assert counts(fake) == GUARDED_WRITE

    fake.reset_counts()
    second = plan(sheets)
    assert second.write.empty, second.summary
    assert counts(fake) == {"spreadsheets.get": 1, "values.batchGet": 1}


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def test_a_cold_read_costs_two_requests_and_gives_faithful_values(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    fake.set_formula_error(small_sheet, "Members", a1("members", "slack", 3), "#REF!")
    fake.set_values(small_sheet, "Volunteers", "A2", [["V1", "T1", "ada", datetime(2025, 2, 1, 9, 30)]])
    fake.merge(small_sheet, "Tasks", 5, 1, 6, 2)
    sheets = backend(fake, key_file, small_sheet, retry)

    snapshot = sheets.read()

    assert counts(fake) == {"token": 1, "spreadsheets.get": 1, "values.batchGet": 1}
    members = snapshot.grids["Members"]
    ada, efe = members.values[1], members.values[2]
    assert ada[0] == "ada"
    assert ada[col("members", "joined") - 1] == date(2025, 1, 15)
    assert ada[col("members", "active") - 1] is True
    assert ada[col("members", "points") - 1] == 12.5
    assert ada[col("members", "open_tasks") - 1] == 2
    assert efe[col("members", "active") - 1] is False
    assert efe[col("members", "slack") - 1] == "#REF!"
    assert snapshot.grids["Volunteers"].values[1][3] == datetime(2025, 2, 1, 9, 30)
    assert snapshot.grids["Tasks"].merges[0].first_row == 5
    assert snapshot.grids["Members"].sheet_id == 0
    assert snapshot.grids["_braingain_state"].hidden is False  # typed by hand: nothing hid it
    assert set(snapshot.grids) == {t.title for t in SCHEMA.tabs}
    fake.reset_counts()
    sheets.read()
    assert counts(fake) == {"spreadsheets.get": 1, "values.batchGet": 1}  # the token is reused


def test_tabs_with_awkward_titles_are_read(fake: FakeGoogle, key_file: Path, retry: RetryPolicy) -> None:
    spreadsheet_id = fake.new_spreadsheet(
        "odd", {"It's mine": [["ID"], ["x"]], "A1": [["ID"], ["y"]], "2026 plan": [["ID"], [3]]}
    )
    snapshot = backend(fake, key_file, spreadsheet_id, retry).read()
    assert snapshot.grids["It's mine"].values == (("ID",), ("x",))
    assert snapshot.grids["A1"].values == (("ID",), ("y",))
    assert snapshot.grids["2026 plan"].values == (("ID",), (3,))


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def test_an_empty_write_sends_nothing(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.write(TrackerWrite())
    assert counts(fake) == {}


def test_many_cells_are_written_in_one_batch_that_starts_by_taking_the_sync_lease_after_one_guard_read(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.read()
    cells = [
        CellWrite("Problems", row, column, f"r{row}c{column}")
        for row in range(2, 102)
        for column in (1, 2, 5)
    ]
    points, open_tasks = col("members", "points"), col("members", "open_tasks")
    cells += [
        CellWrite("members", 2, points, 20),
        CellWrite("Members", 3, open_tasks, 0),
    ]  # any case finds the tab
    fake.reset_counts()

    sheets.write(TrackerWrite(cells=tuple(cells)))

    assert counts(fake) == GUARDED_WRITE
    (request,) = fake.requests_to(WRITE)
    kinds = [next(iter(r)) for r in request.body["requests"]]
    # the lease first (a new sheet has none to swap away), then A2:B101, E2:E101 and the two members' cells
    assert kinds == ["createDeveloperMetadata"] + ["updateCells"] * 4
    assert all(r["updateCells"]["fields"] == "userEnteredValue" for r in request.body["requests"][1:])
    problems = fake.values(small_sheet, "Problems")
    assert problems[1][:2] == ["r2c1", "r2c2"]
    assert problems[100][4] == "r101c5"
    assert fake.values(small_sheet, "Members")[1][points - 1] == 20


def test_what_is_written_reads_back_the_same(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    ids = [[f"m{n}"] for n in range(2, 17)]
    fake.set_values(small_sheet, "Members", "A2", ids)  # a row for each value: the sync writes existing rows
    fake.set_values(small_sheet, "Volunteers", "A2", ids)
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.read()
    aware = datetime(2026, 3, 7, 15, 30, tzinfo=timezone(timedelta(hours=1)))
    written: list[tuple[str, int, Cell, Cell]] = [  # tab, column, written, read back
        ("_braingain_state", 2, "a note", "a note"),
        ("_braingain_state", 2, "=1+2", "=1+2"),  # RAW: text stays text
        ("_braingain_state", 2, "#REF!", "#REF!"),
        ("_braingain_state", 2, "0012", "0012"),
        ("_braingain_state", 2, None, None),
        ("_braingain_state", 2, date(2026, 3, 7), "2026-03-07"),
        (
            "_braingain_state",
            2,
            datetime(2026, 3, 7, 9, 0),
            "2026-03-07T09:00:00",
        ),  # not a date column: ISO text
        ("_braingain_state", 2, aware, "2026-03-07T15:30:00+01:00"),
        ("Members", col("members", "left"), date(2026, 3, 7), date(2026, 3, 7)),  # a date column
        ("Volunteers", col("volunteers", "at"), datetime(2026, 3, 7, 15, 30), datetime(2026, 3, 7, 15, 30)),
        ("Members", col("members", "points"), 3, 3),
        ("Members", col("members", "points"), 2.5, 2.5),
        ("Volunteers", col("volunteers", "selected"), True, "yes"),  # yes/no: the dropdowns' values
        ("Volunteers", col("volunteers", "selected"), False, "no"),
    ]
    cells = tuple(CellWrite(tab, 2 + n, column, value) for n, (tab, column, value, _) in enumerate(written))
    sheets.write(TrackerWrite(cells=cells))
    grids = sheets.read().grids
    for n, (tab, column, value, expected) in enumerate(written):
        rows = grids[tab].values
        row = rows[1 + n] if len(rows) > 1 + n else ()
        got = row[column - 1] if len(row) >= column else None
        assert got == expected, (value, got)
        assert type(got) is type(expected)
        assert cells_equal(got, value)


def test_dates_go_into_date_columns_as_dates(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.read()
    sheets.write(TrackerWrite(cells=(CellWrite("Members", 3, col("members", "left"), date(2026, 6, 30)),)))
    assert (
        fake.values(small_sheet, "Members")[2][col("members", "left") - 1] == 46203
    )  # a serial number, so a real date
    assert sheets.read().grids["Members"].values[2][col("members", "left") - 1] == date(2026, 6, 30)


def test_a_new_tab_and_new_columns_cost_one_structural_request_a_guard_read_and_one_write(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    rows = sample_rows()
    spreadsheet_id = fake.new_spreadsheet(
        "typed by hand",
        tabs_of(rows, leave_out_tabs=("actions", "problems"), leave_out_columns={"disputes": ("check",)}),
    )
    sheets = backend(fake, key_file, spreadsheet_id, retry)
    first = plan(sheets)
    assert {type(c) for c in first.write.structure} == {AddTab, AddColumns}
    fake.reset_counts()

    sheets.write(first.write)

    assert counts(fake) == {WRITE: 2, GUARD: 1}  # the structural batch, the guard read, the write
    titles = [s["title"] for s in fake.sheets(spreadsheet_id)]
    assert titles.index("Action items") == titles.index("Agenda") + 1
    assert titles.index("Problems") == titles.index("Gantt") + 1
    actions = fake.sheet(spreadsheet_id, "Action items")
    assert actions["gridProperties"]["frozenRowCount"] == 1
    assert fake.values(spreadsheet_id, "Action items") == [[c.header for c in SCHEMA.tab("actions").columns]]
    assert fake.validations(spreadsheet_id, "Action items")
    disputes = fake.values(spreadsheet_id, "Disputes")[0]
    assert disputes[-1] == "Check"
    check = fake.cell(spreadsheet_id, "Disputes", f"{column_letter(len(disputes))}1")
    assert SYNC_NOTE in check["note"]
    assert check["userEnteredFormat"]["textFormat"]["bold"] is True
    disputes_id = fake.sheet(spreadsheet_id, "Disputes")["sheetId"]
    protected = [p for p in fake.protected_ranges(spreadsheet_id) if p["range"]["sheetId"] == disputes_id]
    assert [p["range"].get("startColumnIndex") for p in protected] == [len(disputes) - 1]
    assert all(p["warningOnly"] for p in fake.protected_ranges(spreadsheet_id))

    sheets.write(plan(sheets).write)  # the new column is filled on the next sync, as the core plans
    assert plan(sheets).write.empty


def test_a_full_tab_grows_before_it_is_written(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.read()
    rows_before = fake.sheet(small_sheet, "Problems")["gridProperties"]["rowCount"]
    fake.reset_counts()
    sheets.write(TrackerWrite(cells=(CellWrite("Problems", rows_before + 5, 1, "far down"),)))
    assert counts(fake) == GUARDED_WRITE  # the tab grows in the write itself, right after the lease
    (request,) = fake.requests_to(WRITE)
    assert [next(iter(r)) for r in request.body["requests"][:2]] == [
        "createDeveloperMetadata",
        "appendDimension",
    ]
    assert fake.values(small_sheet, "Problems")[rows_before + 4][0] == "far down"


def test_a_write_without_a_read_reads_the_layout_first(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.write(TrackerWrite(cells=(CellWrite("Problems", 2, 1, "x"),)))
    assert counts(fake) == {"token": 1, "spreadsheets.get": 1, "values.batchGet": 1, **GUARDED_WRITE}


def test_a_write_to_a_missing_tab_is_refused_clearly(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    sheets = backend(fake, key_file, small_sheet, retry)
    with pytest.raises(TrackerError, match="no tab 'Nowhere'"):
        sheets.write(TrackerWrite(cells=(CellWrite("Nowhere", 2, 1, "x"),)))


# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------


def test_a_429_with_retry_after_in_seconds_is_waited_out(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, sleeps: Sleeps, small_sheet: str
) -> None:
    fake.faults.add("values.batchGet", rate_limited(429, retry_after=7))
    snapshot = backend(fake, key_file, small_sheet, retry).read()
    assert snapshot.grids["Members"].values[1][0] == "ada"
    assert sleeps.asked == [7.0]
    assert fake.count("values.batchGet") == 2


def test_a_429_with_retry_after_as_a_date_is_waited_out(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, sleeps: Sleeps, small_sheet: str
) -> None:
    fake.faults.add(WRITE, rate_limited(429, retry_after=NOW + timedelta(seconds=30)))
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.read()
    sheets.write(TrackerWrite(cells=(CellWrite("Problems", 2, 1, "x"),)))
    assert sleeps.asked == [30.0]
    assert fake.count(WRITE) == 2
    assert fake.count(GUARD) == 2  # after the wait, the tabs are read again: the window stays narrow
    assert fake.values(small_sheet, "Problems")[1][0] == "x"


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_server_errors_are_retried(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, sleeps: Sleeps, small_sheet: str, code: int
) -> None:
    fake.faults.add("spreadsheets.get", status(code), times=2)
    backend(fake, key_file, small_sheet, retry).read()
    assert fake.count("spreadsheets.get") == 3
    assert len(sleeps.asked) == 2


def test_a_rate_limit_403_is_retried(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    fake.faults.add(WRITE, rate_limited(403))
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.read()
    sheets.write(TrackerWrite(cells=(CellWrite("Problems", 2, 1, "x"),)))
    assert fake.count(WRITE) == 2


def test_a_plain_403_is_not_retried_and_says_what_to_do(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, sleeps: Sleeps, small_sheet: str
) -> None:
    fake.faults.add("spreadsheets.get", status(403))
    with pytest.raises(TrackerError) as raised:
        backend(fake, key_file, small_sheet, retry).read()
    assert fake.count("spreadsheets.get") == 1
    assert sleeps.asked == []
    text = str(raised.value)
    assert "HTTP 403 PERMISSION_DENIED" in text
    assert "share the sheet" in text
    no_email(text)


def test_an_unknown_spreadsheet_is_a_clear_404(fake: FakeGoogle, key_file: Path, retry: RetryPolicy) -> None:
    with pytest.raises(TrackerError) as raised:
        backend(fake, key_file, "no-such-sheet", retry).read()
    assert fake.count("spreadsheets.get") == 1
    assert "no-such-sheet does not exist" in str(raised.value)
    assert "spreadsheet_id" in raised.value.hint


def test_persistent_server_errors_give_up_after_five_attempts(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, sleeps: Sleeps, small_sheet: str
) -> None:
    fake.faults.add("values.batchGet", status(503), times=10)
    with pytest.raises(PlatformError) as raised:
        backend(fake, key_file, small_sheet, retry).read()
    assert fake.count("values.batchGet") == 5
    assert len(sleeps.asked) == 4
    assert "could not read the tracker's cells" in str(raised.value)
    assert "5 times" in str(raised.value)
    assert "run the command again" in raised.value.hint


def test_a_timeout_is_retried_for_a_read(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    fake.faults.add("values.batchGet", timeout(10))
    snapshot = backend(fake, key_file, small_sheet, retry, timeout=SHORT_TIMEOUT).read()
    assert snapshot.grids["Members"].values[1][0] == "ada"
    assert fake.count("values.batchGet") == 2


def test_a_reset_after_commit_on_the_write_appends_nothing_twice_the_lease_says_it_was_applied(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    rows = sample_rows()
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of(rows))
    sheets = backend(fake, key_file, spreadsheet_id, retry)
    first = plan(sheets)
    meetings_before = len(fake.values(spreadsheet_id, "Meetings"))
    assert any(c.tab == "Meetings" and c.row > meetings_before for c in first.write.cells)
    fake.faults.add(WRITE, reset_after_commit())
    fake.reset_counts()

    sheets.write(first.write)

    # applied, the answer lost: a look at the lease finds this write's value, so nothing is sent again
    assert counts(fake) == {GUARD: 1, WRITE: 1, "spreadsheets.get": 1}
    meetings = fake.values(spreadsheet_id, "Meetings")
    ids = [row[0] for row in meetings[1:]]
    assert len(ids) == len(set(ids))
    assert len(meetings) == meetings_before + sum(
        1 for c in first.write.cells if c.tab == "Meetings" and c.column == 1 and c.row > meetings_before
    )
    assert plan(sheets).write.empty


def test_a_reset_after_commit_on_the_structural_batch_adds_nothing_twice(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    rows = sample_rows()
    spreadsheet_id = fake.new_spreadsheet(
        "t",
        tabs_of(rows, leave_out_tabs=("actions",), leave_out_columns={"members": ("points", "open_tasks")}),
    )
    sheets = backend(fake, key_file, spreadsheet_id, retry)
    first = plan(sheets)
    fake.faults.add("spreadsheets.batchUpdate", reset_after_commit())
    protected_before = len(fake.protected_ranges(spreadsheet_id))
    fake.reset_counts()

    sheets.write(first.write)

    # the batch was applied, the answer lost: the tracker is read again and nothing is sent twice
    assert counts(fake) == {WRITE: 2, "spreadsheets.get": 1, "values.batchGet": 1, GUARD: 1}
    titles = [s["title"] for s in fake.sheets(spreadsheet_id)]
    assert titles.count("Action items") == 1
    header = fake.values(spreadsheet_id, "Members")[0]
    assert header.count("Points (all projects)") == 1
    added = len(fake.protected_ranges(spreadsheet_id)) - protected_before
    assert added == 2 + 1  # the two sync columns of Members; the new tab's header row
    sheets.write(plan(sheets).write)  # the new columns are filled on the next sync, as the core plans
    assert plan(sheets).write.empty


def test_a_timeout_on_the_structural_batch_is_retried_safely(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of({}, leave_out_tabs=("actions",)))
    sheets = backend(fake, key_file, spreadsheet_id, retry, timeout=SHORT_TIMEOUT)
    sheets.read()
    fake.faults.add("spreadsheets.batchUpdate", timeout(10))  # held past the client's timeout, never applied
    fake.reset_counts()
    sheets.write(TrackerWrite(structure=(AddTab(SCHEMA.tab("actions")),)))
    assert counts(fake) == {"spreadsheets.batchUpdate": 2, "spreadsheets.get": 1, "values.batchGet": 1}
    assert [s["title"] for s in fake.sheets(spreadsheet_id)].count("Action items") == 1


def test_an_expired_token_is_refreshed_without_anyone_noticing(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, small_sheet: str
) -> None:
    sheets = backend(fake, key_file, small_sheet, retry)
    sheets.read()
    fake.expire_tokens()
    fake.reset_counts()
    sheets.write(TrackerWrite(cells=(CellWrite("Problems", 2, 1, "x"),)))
    assert counts(fake) == {"token": 1, GUARD: 2, WRITE: 1}  # a 401, a new token, the same request
    fake.faults.add("spreadsheets.get", expired_token_fault())
    fake.reset_counts()
    sheets.read()
    assert counts(fake) == {"token": 1, "spreadsheets.get": 2, "values.batchGet": 1}


def test_a_reset_after_commit_on_the_layout_of_a_new_tracker_is_not_applied_twice(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    small = Schema(1, tuple(t for t in SCHEMA.tabs if t.key in ("members", "tasks", "problems", "state")))
    fake.faults.add("spreadsheets.batchUpdate", reset_after_commit())
    spreadsheet_id = create_spreadsheet(
        make_config(fake, key_file, share=False), small, title="t", retry=retry
    )
    assert counts(fake) == {
        "token": 1,
        "spreadsheets.create": 1,
        "spreadsheets.batchUpdate": 1,
        "spreadsheets.get": 1,
    }
    assert len(fake.conditional_formats(spreadsheet_id, "Tasks")) == 4  # the problem highlight, and three
    ranges = [json.dumps(p["range"], sort_keys=True) for p in fake.protected_ranges(spreadsheet_id)]
    assert len(ranges) == len(set(ranges))


def test_a_lost_answer_to_create_is_not_sent_again(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    fake.faults.add("spreadsheets.create", reset_after_commit())
    with pytest.raises(PlatformError) as raised:
        create_spreadsheet(make_config(fake, key_file, share=False), SCHEMA, title="Mine", retry=retry)
    assert fake.count("spreadsheets.create") == 1
    assert "look in Google Drive" in raised.value.hint


def test_a_lost_answer_to_sharing_is_sent_again_and_shares_once(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy
) -> None:
    small = Schema(1, tuple(t for t in SCHEMA.tabs if t.key in ("members", "state")))
    rows: dict[str, list[dict[str, Cell]]] = {
        "members": [{"id": "ada", "email": "ada.obiora@example.org", "role": "leader", "active": True}]
    }
    fake.faults.add("drive.permissions.create", reset_after_commit())
    spreadsheet_id = create_spreadsheet(make_config(fake, key_file), small, title="t", rows=rows, retry=retry)
    assert fake.count("drive.permissions.create") == 2
    shared = [
        p for p in fake.permissions(spreadsheet_id) if p.get("emailAddress") == "ada.obiora@example.org"
    ]
    assert [p["role"] for p in shared] == ["writer"]


def test_sharing_failures_never_show_an_email(
    fake: FakeGoogle, key_file: Path, retry: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    small = Schema(1, tuple(t for t in SCHEMA.tabs if t.key in ("members", "state")))
    rows: dict[str, list[dict[str, Cell]]] = {
        "members": [
            {"id": "ada", "email": "ada.obiora@example.org", "role": "leader", "active": True},
            {"id": "bo", "email": "bo.leader@example.org", "role": "Leader"},
            {"id": "efe", "email": "efe@example.org", "role": "member"},
            {"id": "old", "email": "old@example.org", "role": "leader", "active": False},
        ]
    }
    refusal = {
        "code": 400,
        "message": 'Bad Request. User message: "ada.obiora@example.org is not a Google account"',
        "errors": [{"reason": "invalidSharingRequest"}],
    }
    fake.faults.add("drive.permissions.create", status(400, body=json.dumps({"error": refusal})))
    with pytest.raises(PlatformError) as raised:
        create_spreadsheet(make_config(fake, key_file), small, title="t", rows=rows, retry=retry)
    assert fake.count("drive.permissions.create") == 2  # two active leaders; the 400 is not retried
    text = f"{raised.value} {raised.value.hint}"
    assert "1 of 2 leaders" in text
    no_email(text)
    no_email(caplog.text)


# --------------------------------------------------------------------------------------------
# Configuration and credentials
# --------------------------------------------------------------------------------------------


def test_without_a_spreadsheet_id_it_says_how_to_get_one(fake: FakeGoogle, key_file: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        GoogleSheets.from_config(make_config(fake, key_file))
    assert "braingain init --google" in raised.value.hint
    assert "spreadsheet_id" in raised.value.hint


def test_the_composition_root_picks_the_google_sheet(
    fake: FakeGoogle, key_file: Path, small_sheet: str
) -> None:
    found = compose.tracker_backend(make_config(fake, key_file, spreadsheet_id=small_sheet))
    assert isinstance(found, GoogleSheets)
    assert found.location == small_sheet


def test_without_credentials_it_says_to_sign_in_or_name_a_service_account_key(fake: FakeGoogle) -> None:
    with pytest.raises(ConfigError) as raised:
        google_credentials(make_config(fake, None))
    text = f"{raised.value} {raised.value.hint}"
    assert "not signed in to Google" in text
    assert "braingain login google" in text
    assert "GOOGLE_APPLICATION_CREDENTIALS" in text
    assert "docs/google-setup.md" in text


def test_incomplete_oauth_credentials_name_what_is_missing(fake: FakeGoogle) -> None:
    config = make_config(
        fake,
        None,
        environment={"BRAINGAIN_GOOGLE_CLIENT_ID": "id-123", "BRAINGAIN_GOOGLE_CLIENT_SECRET": "s3cr3t"},
    )
    with pytest.raises(ConfigError) as raised:
        google_credentials(config)
    text = f"{raised.value} {raised.value.hint}"
    assert "BRAINGAIN_GOOGLE_REFRESH_TOKEN is not set" in text
    assert "s3cr3t" not in text
    assert "id-123" not in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot be read"),
        ("{not json", "is not JSON"),
        ('{"installed": {"client_id": "x"}}', "OAuth client file"),
        ('{"type": "service_account", "client_email": "x@y.z"}', "incomplete or damaged"),
        ("[1, 2]", "cannot be read"),
    ],
)
def test_a_bad_key_file_is_explained_without_its_path_or_contents(
    fake: FakeGoogle, tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "secret-folder" / "key.json"
    if content is not None:
        path.parent.mkdir()
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        google_credentials(make_config(fake, path))
    text = f"{raised.value} {raised.value.hint}"
    assert expected in text
    assert "secret-folder" not in text
    assert "GOOGLE_APPLICATION_CREDENTIALS" in text


def test_oauth_user_credentials_work_end_to_end(
    fake: FakeGoogle, retry: RetryPolicy, small_sheet: str
) -> None:
    fake.register_refresh_token(
        client_id="client-1", client_secret="secret-1", refresh_token="refresh-1", scopes=SCOPES
    )
    environment = {
        "BRAINGAIN_GOOGLE_CLIENT_ID": "client-1",
        "BRAINGAIN_GOOGLE_CLIENT_SECRET": "secret-1",
        "BRAINGAIN_GOOGLE_REFRESH_TOKEN": "refresh-1",
    }
    config = make_config(fake, None, spreadsheet_id=small_sheet, environment=environment)
    snapshot = GoogleSheets.from_config(config, retry=retry).read()
    assert snapshot.grids["Members"].values[1][0] == "ada"
    (token,) = fake.requests_to("token")
    assert token.body["grant_type"] == "refresh_token"


def test_refused_credentials_are_a_configuration_error(
    fake: FakeGoogle, retry: RetryPolicy, small_sheet: str
) -> None:
    fake.register_refresh_token(
        client_id="client-1", client_secret="secret-1", refresh_token="refresh-1", scopes=SCOPES
    )
    fake.revoke_refresh_token("refresh-1")
    environment = {
        "BRAINGAIN_GOOGLE_CLIENT_ID": "client-1",
        "BRAINGAIN_GOOGLE_CLIENT_SECRET": "secret-1",
        "BRAINGAIN_GOOGLE_REFRESH_TOKEN": "refresh-1",
    }
    config = make_config(fake, None, spreadsheet_id=small_sheet, environment=environment)
    with pytest.raises(ConfigError) as raised:
        GoogleSheets.from_config(config, retry=retry).read()
    text = f"{raised.value} {raised.value.hint}"
    assert "did not accept" in text
    assert "refresh-1" not in text
    assert "secret-1" not in text


# --------------------------------------------------------------------------------------------
# The command line, wired as a leader runs it
# --------------------------------------------------------------------------------------------


def test_the_command_line_creates_a_google_sheet_and_syncs_it(
    fake: FakeGoogle,
    key_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text(f"GOOGLE_APPLICATION_CREDENTIALS={key_file}\n", encoding="utf-8")
    config = tmp_path / "braingain.toml"
    endpoints = "\n".join(
        f'{key} = "{fake.base_url}"' for key in ("google_sheets", "google_apis", "google_oauth")
    )
    settings = f'[tracker]\nbackend = "google"\nshare_with_leaders = false\n\n[endpoints]\n{endpoints}\n'
    config.write_text(settings, encoding="utf-8")

    assert main(["init", "--google", "--config", str(config), "--title", "Our group"]) == EXIT_OK
    created = re.search(r"Created the Google Sheet (\S+)\.", capsys.readouterr().out)
    assert created is not None
    spreadsheet_id = created.group(1)
    settings = settings.replace(
        'backend = "google"', f'backend = "google"\nspreadsheet_id = "{spreadsheet_id}"'
    )
    config.write_text(settings, encoding="utf-8")

    assert main(["sync", "--config", str(config), "--today", "2026-11-25"]) == EXIT_OK
    capsys.readouterr()
    assert main(["plan", "--config", str(config), "--today", "2026-11-25", "--format", "json"]) == EXIT_OK
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["tracker"] == spreadsheet_id
    assert outcome["cells"] == 0
