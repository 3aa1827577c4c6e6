"""Building tracker snapshots in memory, as a backend would hand them to the core."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from braingain.core.parsing import header_key
from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.plan import TrackerPlan, plan_tracker, settle
from braingain.core.tracker.read import ReadResult, Settings, read_tracker
from braingain.core.tracker.schema import (
    AddTab,
    Cell,
    CellWrite,
    Grid,
    Owner,
    Schema,
    Snapshot,
    TrackerWrite,
    is_blank,
)
from braingain.integrations.tracker.schema import load_schema
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
    """What a backend does with a write: structure first, then the cells; tabs are found by title
    as the backends find them (exactly, else as headers are matched)."""
    grids = {title: [list(r) for r in g.values] for title, g in snap.grids.items()}

    def found(title: str) -> str:
        if title in grids:
            return title
        return next((t for t in grids if header_key(t) == header_key(title)), title)

    for change in write.structure:
        if isinstance(change, AddTab):
            if found(change.tab.title) not in grids:
                grids[change.tab.title] = [[c.header for c in change.tab.columns]]
            continue
        header = grids[found(change.where)][0]
        for offset, column in enumerate(change.columns):
            index = change.first_column + offset - 1
            header.extend([None] * (index + 1 - len(header)))
            assert is_blank(header[index]), f"column {index + 1} of {change.where} already has a header"
            header[index] = column.header
    for cell in write.cells:
        rows = grids.setdefault(found(cell.tab), [[]])
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
    """One sync as the composition root runs it: read, settle, plan, and the snapshot after a
    backend applied the plan."""
    read = settle(read_tracker(schema, snap, settings, now), settings, now)
    plan = plan_tracker(schema, read, settings, now)
    return read, plan, apply(snap, plan.write, schema)


def edit(snap: Snapshot, title: str, ident: str, header: str, value: Any) -> Snapshot:
    """``snap`` with the cell under ``header`` of the row whose ID is ``ident`` set to ``value``."""
    grid = snap.grids[title]
    rows = [list(r) for r in grid.values]
    column = rows[0].index(header)
    for row in rows[1:]:
        if row and row[0] == ident:
            row.extend([None] * (column + 1 - len(row)))
            row[column] = value
    return Snapshot({**snap.grids, title: Grid(title, tuple(tuple(r) for r in rows), grid.merges)})


def append(snap: Snapshot, title: str, cells: Mapping[str, Any]) -> Snapshot:
    """``snap`` with a row added at the foot of ``title``, ``cells`` given by header."""
    grid = snap.grids[title]
    header = list(grid.values[0])
    unknown = set(cells) - set(header)
    assert not unknown, f"no such headers on {title}: {unknown}"
    row = tuple(cells.get(str(h)) for h in header)
    return Snapshot({**snap.grids, title: Grid(title, (*grid.values, row), grid.merges)})


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


def without_ledger_memory(snap: Snapshot, schema: Schema = SCHEMA) -> Snapshot:
    """``snap`` whose state tab keeps no Ledger entries, as one written before braingain remembered
    them: the Ledger tab is then taken as it is."""
    title = schema.tab("state").title
    grid = snap.grids[title]
    kept = tuple(
        row for row in grid.values if not str(row[0]).startswith(("entries:", "restored:", "ledger:"))
    )
    return Snapshot({**snap.grids, title: Grid(title, kept, grid.merges, grid.sheet_id, grid.hidden)})


def row_number(snap: Snapshot, title: str, ident: str) -> int:
    """The sheet row (header = 1) of the row whose ID is ``ident``."""
    return 1 + next(i for i, r in enumerate(snap.grids[title].values[1:], start=1) if r and r[0] == ident)


def decisions(snap: Snapshot, schema: Schema = SCHEMA) -> dict[tuple[str, int, str], Cell]:
    """Every sync-owned cell that holds a decision (not a Check, not the Problems or state tab),
    by (tab title, row number, header)."""
    found: dict[tuple[str, int, str], Cell] = {}
    for tab in schema.tabs:
        grid = snap.grids.get(tab.title)
        if grid is None or tab.sync_owned or not grid.values:
            continue
        header = list(grid.values[0])
        for column in tab.columns:
            if column.owner is not Owner.SYNC or column.key == "check" or column.header not in header:
                continue
            index = header.index(column.header)
            for number, row in enumerate(grid.values[1:], start=2):
                found[(tab.title, number, column.header)] = row[index] if index < len(row) else None
    return found


@dataclass
class Sample:
    """The sample group's tracker on one day, and syncs of it as a backend would apply them."""

    today: date = date(2026, 11, 25)
    state_key: bytes | None = None
    """The group's state key: braingain's memory is sealed with it, and checked (none: trusted as read)."""
    settings: Settings = field(init=False)
    now: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.settings = sample_settings(self.today)
        self.now = datetime.combine(self.today, datetime.min.time().replace(hour=12), tzinfo=UTC)

    def rows(self) -> dict[str, list[dict[str, Cell]]]:
        group = sample_group(self.today)
        rows: dict[str, list[dict[str, Cell]]] = dict(group_rows(group))
        rows["state"] = state_rows(group_state(group), self.state_key)
        return copy.deepcopy(rows)

    def read(self, snap: Snapshot) -> ReadResult:
        return read_tracker(SCHEMA, snap, self.settings, self.now, state_key=self.state_key)

    def sync(self, snap: Snapshot) -> tuple[ReadResult, Snapshot, TrackerPlan]:
        """One sync: read, plan, and the snapshot with the plan applied."""
        read = settle(self.read(snap), self.settings, self.now)
        plan = plan_tracker(SCHEMA, read, self.settings, self.now, state_key=self.state_key)
        return read, apply(snap, plan.write), plan

    def start(self) -> Snapshot:
        """The sample tracker after its first sync: every decision written."""
        return self.sync(snapshot(self.rows()))[1]
