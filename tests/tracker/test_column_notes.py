"""Each column's header note says what the read really asks of it: "Required" exactly where a
blank cell is reported as empty, "Needed <when>" where a blank cell is fine until then, a default
where the first sync fills the blank in, and "Optional" only where a blank cell is never a
problem. Checked by clearing each column of the sample tracker and reading it."""

from __future__ import annotations

import pytest

from braingain.core.tracker.defaults import DEFAULTS
from braingain.core.tracker.schema import Column, Grid, Owner, Snapshot, Tab
from braingain.integrations.tracker.formats import OPTIONAL_NOTE, REQUIRED_NOTE, column_note
from tests.tracker.helpers import SCHEMA, Sample, without_ledger_memory

SAMPLE = Sample()
START = without_ledger_memory(SAMPLE.start())  # the Ledger as typed, not as remembered
COLUMNS = [
    pytest.param(tab, column, id=f"{tab.title}-{column.header}")
    for tab in SCHEMA.tabs
    if not tab.sync_owned
    for column in tab.columns
    if column.owner is Owner.PEOPLE and column.key != tab.id_column
]


def cleared(snap: Snapshot, title: str, header: str) -> Snapshot:
    """``snap`` with every cell under ``header`` on ``title`` emptied."""
    grid = snap.grids[title]
    rows = [list(r) for r in grid.values]
    index = rows[0].index(header)
    for row in rows[1:]:
        if index < len(row):
            row[index] = None
    return Snapshot({**snap.grids, title: Grid(title, tuple(tuple(r) for r in rows), grid.merges)})


@pytest.mark.parametrize(("tab", "column"), COLUMNS)
def test_a_column_is_reported_empty_only_where_its_note_says_it_is_required_or_needed(
    tab: Tab, column: Column
) -> None:
    if column.fills:
        assert column.required
        assert column.key in DEFAULTS.get(tab.key, {}), "the first sync fills it in"
        return
    read = SAMPLE.read(cleared(START, tab.title, column.header))
    empty = [
        p for p in read.problems if (p.tab, p.column) == (tab.title, column.header) and "is empty" in p.reason
    ]
    if column.required:
        assert empty, "a required column's blank cell is reported"
    elif not column.needed:
        assert not empty, "an optional column may be left empty"


@pytest.mark.parametrize(("tab", "column"), COLUMNS)
def test_a_header_note_says_required_needed_when_filled_with_what_or_optional(
    tab: Tab, column: Column
) -> None:
    note = column_note(column).split("\n\n")[0]
    if column.required:
        assert note == (
            f"Required: left empty, the first sync fills in {column.fills}."
            if column.fills
            else REQUIRED_NOTE
        )
    elif column.needed:
        assert note == f"Needed {column.needed}; may be left empty until then."
    else:
        assert note == OPTIONAL_NOTE


def test_the_task_team_is_needed_once_the_task_is_assigned_not_optional() -> None:
    tasks = SCHEMA.tab("tasks")
    for key in ("head", "contributors"):
        assert column_note(tasks.column(key)).startswith("Needed once the task is assigned")
