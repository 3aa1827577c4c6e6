"""One sync reaches the fixed point in both backends: what the sync writes reads back as written.

The same cases as ``tests/tracker/test_fixed_point.py``, through a real .xlsx (openpyxl) and
the loopback Google fake (the real clients): the local workbook keeps numbers, booleans and
dates as cells, Google takes values RAW and gives them back unformatted (yes/no for a boolean,
serial numbers for dates), and neither may turn ``8.75``, ``"sr-migration 9.00"`` or a
date-time with its zone into something that the next sync would write again.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from braingain.core.ports import TrackerBackend
from braingain.core.tracker.plan import TrackerPlan
from braingain.core.tracker.read import ReadResult
from braingain.core.tracker.schema import Cell, Snapshot, as_text
from braingain.integrations.compose import compute
from braingain.integrations.config import Config, TrackerConfig
from braingain.integrations.errors import TrackerNotThere
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.google_sheets import GoogleSheets
from braingain.integrations.tracker.workbook import LocalWorkbook
from tests.fakes.fixtures import google_endpoints, gspread_client, service_account_info
from tests.fakes.google import FakeGoogle
from tests.tracker import edits
from tests.tracker.helpers import SCHEMA, Sample, decisions

SAMPLE = Sample()
START = SAMPLE.start()


@dataclass
class Made:
    """A tracker in one backend, and how a person types into it there."""

    backend: TrackerBackend
    put: Callable[[str, int, int, Cell], None]
    """(tab title, row, column, value), 1-based, as a person types it."""

    def type(self, title: str, ident: str, header: str, value: Cell) -> None:
        grid = self.backend.read().grid(title)
        assert grid is not None
        row = 1 + next(i for i, r in enumerate(grid.values[1:], start=1) if r and r[0] == ident)
        self.put(title, row, list(grid.values[0]).index(header) + 1, value)


Make = Callable[[Snapshot], Made]


@pytest.fixture
def workbook(tmp_path: Path) -> Make:
    count = itertools.count()

    def make(snap: Snapshot) -> Made:
        path = tmp_path / f"tracker-{next(count)}.xlsx"
        book = Workbook()
        book.remove(book.active)
        for title, grid in snap.grids.items():
            sheet = book.create_sheet(title)
            for number, row in enumerate(grid.values, start=1):
                for index, value in enumerate(row, start=1):
                    if value is not None:
                        _typed(sheet.cell(number, index), value)
            if grid.hidden:
                sheet.sheet_state = "hidden"
        book.save(path)

        def put(title: str, row: int, column: int, value: Cell) -> None:
            book = load_workbook(path)
            _typed(book[title].cell(row, column), value)
            book.save(path)

        return Made(LocalWorkbook(path, schema=SCHEMA), put)

    return make


def _typed(cell: Any, value: Cell) -> None:
    """What Excel keeps of a value typed into a cell: text stays text, dates are dates."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


@pytest.fixture
def google(fake_google: FakeGoogle, tmp_path: Path) -> Make:
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps(service_account_info(fake_google)), encoding="utf-8")

    def make(snap: Snapshot) -> Made:
        tabs = {title: [list(r) for r in grid.values] for title, grid in snap.grids.items()}
        spreadsheet_id = fake_google.new_spreadsheet("tracker", tabs)
        config = Config(
            source=None,
            settings=SAMPLE.settings,
            tracker=TrackerConfig(backend="google", spreadsheet_id=spreadsheet_id, share_with_leaders=False),
            endpoints=google_endpoints(fake_google),
            environment={"GOOGLE_APPLICATION_CREDENTIALS": str(key_file)},
        )
        sheets = GoogleSheets.from_config(config, schema=SCHEMA, retry=RetryPolicy(sleep=lambda _: None))
        fake_google.add_cleanup(sheets.close)

        def put(title: str, row: int, column: int, value: Cell) -> None:
            fake_google.set_values(spreadsheet_id, title, f"{get_column_letter(column)}{row}", [[value]])

        return Made(sheets, put)

    return make


@pytest.fixture(params=["workbook", "google"])
def make(request: pytest.FixtureRequest) -> Make:
    """A tracker in each backend in turn."""
    maker: Make = request.getfixturevalue(request.param)
    return maker


def sync(backend: TrackerBackend, day: date = SAMPLE.today) -> tuple[ReadResult, TrackerPlan] | None:
    """One sync as the command runs it (``None``: a core tab is not really there, nothing written)."""
    sample = edits.sample(day)
    try:
        read, plan = compute(SCHEMA, backend.read(), sample.settings, sample.now)
    except TrackerNotThere:
        return None
    backend.write(plan.write)
    return read, plan


def once(backend: TrackerBackend, day: date = SAMPLE.today) -> tuple[ReadResult, TrackerPlan]:
    """A sync that writes, after which the next sync writes nothing."""
    done = sync(backend, day)
    assert done is not None
    again = sync(backend, day)
    assert again is not None
    plan = again[1]
    assert plan.write.empty, (plan.summary, plan.write.structure, plan.write.cells[:8])
    return done


def test_after_a_normal_acceptance_the_next_sync_writes_nothing(make: Make) -> None:
    made = make(START)
    made.type("Tasks", "SR-T08", "Status", "submitted")
    made.type("Tasks", "SR-T08", "Status changed by", "amara.okorafor")
    once(made.backend)
    made.type("Tasks", "SR-T08", "Status", "accepted")
    made.type("Tasks", "SR-T08", "Status changed by", "ada.obiora")
    read, plan = once(made.backend)
    assert len(read.new_entries) == 4
    assert any("'Members'" in line for line in plan.summary)


@pytest.mark.parametrize("typed", [4.5, "4.50", " 4.5 ", -1.25, 2])
def test_a_dispute_adjustment_typed_in_any_form_is_written_once(make: Make, typed: Cell) -> None:
    made = make(START)
    for header, value in [
        ("Decision", "adjusted"),
        ("Adjustment (points)", typed),
        ("Resolved by", "tunde.bakare"),
        ("Resolution note", "agreed"),
    ]:
        made.type("Disputes", "D-003", header, value)
    read, _ = once(made.backend)
    assert [e.id for e in read.new_entries] == ["dispute:D-003"]
    assert read.problems == ()


@pytest.mark.parametrize(("title", "header"), [("Members", "Points by project"), ("Volunteers", "Selected")])
def test_a_deleted_sync_column_is_added_back_and_filled_in_the_same_sync(
    make: Make, title: str, header: str
) -> None:
    grid = START.grids[title]
    index = list(grid.values[0]).index(header)
    cut = tuple(tuple(r[:index]) + tuple(r[index + 1 :]) for r in grid.values)
    made = make(Snapshot({**START.grids, title: type(grid)(title, cut)}))
    once(made.backend)
    shown = {k: as_text(v) for k, v in decisions(made.backend.read()).items()}
    assert shown == {k: as_text(v) for k, v in decisions(START).items()}


@pytest.mark.parametrize("title", ["Outputs", "Problems", "Meetings"])
def test_a_deleted_tab_is_added_back_and_the_next_sync_writes_nothing(make: Make, title: str) -> None:
    made = make(Snapshot({t: g for t, g in START.grids.items() if t != title}))
    read, _ = once(made.backend)
    assert [p.repaired for p in read.problems if p.tab == title] == [True]
    assert made.backend.read().grid(title) is not None


def test_on_google_a_renamed_tab_found_by_its_id_gets_a_deleted_column_back_in_one_sync(
    fake_google: FakeGoogle, google: Make
) -> None:
    made = google(START)
    once(made.backend)  # braingain now remembers the id of every tab
    assert isinstance(made.backend, GoogleSheets)
    sheet = gspread_client(fake_google).open_by_key(made.backend.spreadsheet_id).worksheet("Outputs")
    sheet.delete_columns(list(START.grids["Outputs"].values[0]).index("CRediT statement") + 1)
    sheet.update_title("Our outputs")
    once(made.backend)
    outputs = made.backend.read().grid("Our outputs")
    assert outputs is not None
    assert made.backend.read().grid("Outputs") is None, "found by its id, not added again"
    assert {k[1:]: v for k, v in decisions(Snapshot({"Outputs": outputs})).items()} == {
        k[1:]: v for k, v in decisions(START).items() if k[0] == "Outputs"
    }


@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
@given(st.data())
def test_after_any_sync_of_any_tracker_people_edited_the_next_sync_writes_nothing(
    make: Make, data: st.DataObject
) -> None:
    day, snap = edits.tracker(data.draw)
    for _ in range(data.draw(st.integers(1, 2), label="rounds")):
        snap, said = edits.human_edits(data.draw, snap, most=3)
        note("\n".join(said))
        backend = make(snap).backend
        if sync(backend, day) is None:
            return  # a core tab is not really there: nothing is written
        again = sync(backend, day)
        assert again is not None
        plan = again[1]
        assert plan.write.empty, (plan.summary, plan.write.structure, plan.write.cells[:8])
        snap = backend.read()
