"""Building tracker snapshots in memory, as a backend would hand them to the core."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from braingain.core.tracker import Cell, CellWrite, Grid, Schema, Snapshot, TrackerWrite
from braingain.core.tracker_export import group_rows, group_state, state_rows
from braingain.core.tracker_read import Settings
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


def sample_snapshot(today: date) -> Snapshot:
    group = sample_group(today)
    rows = group_rows(group)
    rows["state"] = state_rows(group_state(group))
    return snapshot(rows)


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
