"""Building tracker snapshots in memory, as a backend would hand them to the core."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from braingain.core.parsing import header_key
from braingain.core.tracker import Cell, CellWrite, Grid, Owner, Schema, Snapshot, TrackerWrite
from braingain.core.tracker_export import group_rows, group_state, state_rows
from braingain.core.tracker_plan import TrackerPlan, plan_tracker
from braingain.core.tracker_read import ReadResult, Settings, read_tracker
from braingain.integrations.schema import load_schema
from braingain.sample import GROUP_NAME, SAMPLE_SLOT, sample_group

SCHEMA: Schema = load_schema()


def snapshot(rows: Mapping[str, Sequence[Mapping[str, Cell]]], schema: Schema = SCHEMA) -> Snapshot:
    """A snapshot whose tabs hold ``rows`` (by tab key, then column key) under the schema's headers."""
    grids = {}
    for tab in schema.tabs:
        header = tuple(c.header for c in tab.columns)
        body = tuple(tuple(row.get(c.key) for c in tab.columns) for row in rows.get(tab.key, ()))
        grids[tab.title] = Grid(tab.title, (header, *body))
    return Snapshot(grids)


def sample_rows(today: date) -> dict[str, list[dict[str, Cell]]]:
    """The sample group's rows (by tab key) as a leader would have typed them, with the sync's memory."""
    group = sample_group(today)
    rows = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group))
    return rows


def sample_snapshot(today: date) -> Snapshot:
    return snapshot(sample_rows(today))


def sample_settings(today: date) -> Settings:
    group = sample_group(today)
    assert group.series is not None
    return Settings(
        name=GROUP_NAME,
        policy=group.policy,
        slot=SAMPLE_SLOT,
        series_id=group.series.id,
        series_first=group.series.first,
    )


def apply(snap: Snapshot, write: TrackerWrite, schema: Schema = SCHEMA) -> Snapshot:
    """What a backend does with a write: structure first, then the cells."""
    grids = {title: [list(r) for r in g.values] for title, g in snap.grids.items()}
    for change in write.structure:
        tab = change.tab
        if tab.title not in grids:
            grids[tab.title] = [[c.header for c in tab.columns]]
        else:
            header = grids[tab.title][0]
            for offset, column in enumerate(getattr(change, "columns", ())):
                index = getattr(change, "first_column", len(header) + 1) + offset - 1
                header.extend([None] * (index + 1 - len(header)))
                header[index] = column.header
    for cell in write.cells:
        rows = grids.setdefault(cell.tab, [[]])
        while len(rows) < cell.row:
            rows.append([])
        row = rows[cell.row - 1]
        row.extend([None] * (cell.column - len(row)))
        row[cell.column - 1] = cell.value
    return Snapshot({t: Grid(t, tuple(tuple(r) for r in rows)) for t, rows in grids.items()})


def cells_of(write: TrackerWrite, tab: str) -> list[CellWrite]:
    return [c for c in write.cells if c.tab == tab]


def sync(
    snap: Snapshot, settings: Settings, now: datetime, schema: Schema = SCHEMA
) -> tuple[ReadResult, TrackerPlan, Snapshot]:
    """One sync: read, plan, and the snapshot after a backend applied the plan."""
    read = read_tracker(schema, snap, settings, now)
    plan = plan_tracker(schema, read, settings, now)
    return read, plan, apply(snap, plan.write, schema)


def edit(snap: Snapshot, title: str, ident: str, header: str, value: Any) -> Snapshot:
    """``snap`` with the cell under ``header`` of the row whose first cell is ``ident`` set to ``value``."""
    grid = snap.grids[title]
    rows = [list(r) for r in grid.values]
    column = rows[0].index(header)
    for row in rows[1:]:
        if row and row[0] == ident:
            row.extend([None] * (column + 1 - len(row)))
            row[column] = value
    return Snapshot({**snap.grids, title: Grid(title, tuple(tuple(r) for r in rows), grid.merges)})


def person_typed(snap: Snapshot, schema: Schema = SCHEMA) -> dict[tuple[str, int, int], Cell]:
    """Every non-empty cell a person owns (tab title, row, column), header rows included."""
    found: dict[tuple[str, int, int], Cell] = {}
    for title, grid in snap.grids.items():
        tab = next((t for t in schema.tabs if header_key(t.title) == header_key(title)), None)
        if tab is None or tab.sync_owned:
            continue
        synced = {header_key(c.header) for c in tab.columns if c.owner is Owner.SYNC}
        header = grid.values[0] if grid.values else ()
        sync_columns = {i for i, h in enumerate(header) if h is not None and header_key(str(h)) in synced}
        for number, row in enumerate(grid.values, start=1):
            for index, value in enumerate(row):
                if value is not None and (number == 1 or index not in sync_columns):
                    found[(title, number, index + 1)] = value
    return found
