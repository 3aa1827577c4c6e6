"""Where a sync's writes land on a tab that a person changed between the sync's read and its write.

A sync plans its writes on the tabs as it read them: cells by row and column number, and
rows to append below the last row. On a shared spreadsheet a person may edit a tab before
the write lands: type into any row, insert, delete or move rows and columns, rename a header
or the tab. A backend that cannot lock the spreadsheet reads the tabs again just before it
writes (a guard read) and lets :func:`place` put the planned writes where they belong now:

- a cell of an existing row goes to the row with the same ID and the column with the same
  header (a row without an ID of its own is found by what is typed in it); when that row or
  column is gone, renamed or no longer unique, the cell is not written and the sync says so
  (:class:`~braingain.core.tracker.schema.Unwritten`), and the next sync, which reads the tab as it
  is, writes it;
- rows to append come back as rows of (column as it is now, value), for the backend to append
  below whatever is there when the write is applied; a row whose ID is already there (typed by
  a person, or an earlier attempt of the same write that did land) is not appended again;
- a sync-owned tab (Problems, the state) is made to hold exactly what the plan wanted, row by
  row, whatever was typed there meanwhile; a tab with ``weeks`` (the Gantt tab, whose columns
  are its own, header row included) cell by cell, by position;
- a cell that already holds its value is not written again;
- braingain's memory (the state tab) is not written while a Ledger write is held back
  (:func:`memory_waits`), so that it never remembers an entry that is not on the tab.

Only sync-owned columns of existing rows are ever written, so nothing a person typed is
overwritten, however the rows and columns moved. Pure: grids in, writes out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from braingain.core.errors import quote
from braingain.core.parsing import clean_text, header_key
from braingain.core.tracker.schema import (
    Cell,
    CellWrite,
    Grid,
    Owner,
    Tab,
    Unwritten,
    as_text,
    cells_equal,
    column_letter,
    is_blank,
    row_id,
)

Identity = tuple[str, ...]
"""A row as the guard finds it again: ``("id", ID)``, or ``("row", header, text, ...)`` by its typed cells."""


@dataclass(frozen=True, slots=True)
class Placed:
    """A tab's planned writes, placed on the tab as it is now."""

    cells: tuple[CellWrite, ...]
    """Cells of rows that are there now (1-based row and column as the tab is now)."""
    appends: tuple[Mapping[int, Cell], ...]
    """Rows to append below the last row, in order: each a 1-based column (as now) -> value."""
    unwritten: tuple[Unwritten, ...]


def last_row(grid: Grid) -> int:
    """The last row (1-based, the header row counts) that holds anything but blanks."""
    for number in range(len(grid.values), 0, -1):
        if not all(is_blank(v) for v in grid.values[number - 1]):
            return number
    return 1


MEMORY_WAITS = (
    "braingain's memory of the Ledger waits for the Ledger rows that were not written (so that it never "
    "remembers an entry that is not on the tab); the next sync writes both"
)


def memory_waits(placed: Sequence[tuple[str, Placed]]) -> bool:
    """Whether the state tab's writes must be held back with the Ledger's (``placed``: each tab's
    writes, placed, with its schema tab key; a tab may come more than once, under two spellings).

    The state is braingain's memory of every Ledger entry it wrote (the ledger chain). Written
    while a Ledger row it records was held back, it would remember an entry that is not on the
    tab, and the next sync would report that entry deleted by hand and write it back with a
    note. Held back as well, the memory stays as it was, true to the tab, and the next sync,
    which reads both as they are, writes both.
    """
    keys = {key for key, _ in placed}
    return "state" in keys and any(key == "ledger" and p.unwritten for key, p in placed)


def place(
    tab: Tab,
    read: Grid,
    planned: Sequence[CellWrite],
    now: Grid,
    *,
    added: Mapping[int, str] | None = None,
) -> Placed:
    """``planned`` (the cells a sync planned on ``read``, one tab's) placed on ``now``.

    ``tab`` is the schema's tab; ``added`` the headers of columns the sync added after the
    read, by their 1-based position. Rows below ``read``'s last row are appends.
    """
    title = read.title
    if header_key(now.title) != header_key(title):
        reason = f"the tab was renamed to {quote(now.title)} during the sync; the next sync writes it"
        return Placed((), (), (Unwritten(title, reason, len(planned)),))
    if tab.weeks:
        return _by_position(read, now, planned)
    was = _Layout(read, tab, added or {})
    is_now = _Layout(now, tab, {})
    if tab.sync_owned:
        return _rewrite(was, is_now, planned)
    return _place_rows(was, is_now, planned)


class _Layout:
    """A grid with its header mapped: positions by header key, and rows found by identity."""

    def __init__(self, grid: Grid, tab: Tab, added: Mapping[int, str]) -> None:
        self.grid = grid
        header = [clean_text(as_text(v)) for v in (grid.values[0] if grid.values else ())]
        for position, text in added.items():
            header.extend([""] * (position - len(header)))
            header[position - 1] = text
        self.header = header
        self.positions: dict[str, list[int]] = {}
        for position, text in enumerate(header, start=1):
            if text:
                self.positions.setdefault(header_key(text), []).append(position)
        self.sync_keys = {header_key(c.header) for c in tab.columns if c.owner is Owner.SYNC}
        self.known = {header_key(c.header) for c in tab.columns}
        self.id_header = tab.column(tab.id_column).header
        self.last = last_row(grid)
        self._ids: dict[str, list[int]] | None = None
        self._rows: dict[Identity, list[int]] | None = None

    def cell(self, row: int, column: int) -> Cell:
        values = self.grid.values
        if row > len(values) or column > len(values[row - 1]):
            return None
        return values[row - 1][column - 1]

    def column(self, key: str) -> int | None:
        found = self.positions.get(key, [])
        return found[0] if len(found) == 1 else None

    def header_of(self, column: int) -> str:
        return self.header[column - 1] if column <= len(self.header) else ""

    @property
    def id_column(self) -> int | None:
        return self.column(header_key(self.id_header))

    def ids(self) -> dict[str, list[int]]:
        """The rows of each ID (any count)."""
        if self._ids is None:
            self._ids = {}
            position = self.id_column
            if position is not None:
                for number in range(2, self.last + 1):
                    ident = row_id(self.cell(number, position))
                    if ident:
                        self._ids.setdefault(ident, []).append(number)
        return self._ids

    def identity(self, row: int) -> Identity:
        """``("id", ID)`` for a row whose ID no other row has; else what people typed in it."""
        position = self.id_column
        ident = row_id(self.cell(row, position)) if position is not None else ""
        if ident and len(self.ids().get(ident, ())) == 1:
            return ("id", ident)
        typed = sorted(
            (key, as_text(value))
            for key, places in self.positions.items()
            if key not in self.sync_keys and len(places) == 1
            for value in [self.cell(row, places[0])]
            if not is_blank(value)
        )
        return ("row", *(part for pair in typed for part in pair))

    def rows(self) -> dict[Identity, list[int]]:
        if self._rows is None:
            self._rows = {}
            for number in range(2, self.last + 1):
                self._rows.setdefault(self.identity(number), []).append(number)
        return self._rows


class _Held:
    """What is not written, counted by reason (in the order first met)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.counts: dict[str, int] = {}

    def add(self, reason: str, cells: int = 1) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + cells

    def all(self) -> tuple[Unwritten, ...]:
        return tuple(Unwritten(self.title, reason, n) for reason, n in self.counts.items())


def _moved_column(was: _Layout, column: int) -> str:
    header = was.header_of(column)
    if not header:
        return f"column {column_letter(column)} had no header"
    return f"the column {quote(header)} was renamed, removed or repeated during the sync"


def _column_now(was: _Layout, now: _Layout, column: int) -> int | None:
    header = was.header_of(column)
    return now.column(header_key(header)) if header else None


def _place_rows(was: _Layout, now: _Layout, planned: Sequence[CellWrite]) -> Placed:
    held = _Held(was.grid.title)
    if was.id_column is None or now.id_column is None:
        when = "during the sync" if was.id_column is not None else "before the sync"
        held.add(
            f"the ID column {quote(was.id_header)} was renamed, removed or repeated {when}, so braingain "
            "cannot tell the rows apart",
            len(planned),
        )
        return Placed((), (), held.all())
    cells: list[CellWrite] = []
    for write in (c for c in planned if c.row <= was.last):
        identity = was.identity(write.row) if write.row > 1 else ("header",)
        if identity[0] == "id":
            found = now.ids().get(identity[1], [])
        else:
            found = [1] if write.row == 1 else now.rows().get(identity, [])
        column = _column_now(was, now, write.column)
        if column is None:
            held.add(_moved_column(was, write.column))
        elif len(found) != 1:
            held.add(_moved_row(identity, write.row, len(found)))
        elif write.fill and not cells_equal(now.cell(found[0], column), write.was):
            continue  # a person typed here since the read: theirs stays, and the next sync looks again
        elif not cells_equal(now.cell(found[0], column), write.value):
            cells.append(replace(write, tab=now.grid.title, row=found[0], column=column))
    appends = _appends(was, now, [c for c in planned if c.row > was.last], held)
    return Placed(tuple(cells), appends, held.all())


def _moved_row(identity: Identity, row: int, found: int) -> str:
    if identity[0] == "id":
        if found:
            return f"the ID {quote(identity[1])} is on {found} rows now"
        return f"the row with ID {quote(identity[1])} was deleted, or its ID changed, during the sync"
    return f"row {row}, which has no ID of its own, changed or moved during the sync"


def _appends(
    was: _Layout, now: _Layout, new: Sequence[CellWrite], held: _Held
) -> tuple[Mapping[int, Cell], ...]:
    by_row: dict[int, dict[int, Cell]] = {}
    for write in sorted(new, key=lambda c: (c.row, c.column)):
        by_row.setdefault(write.row, {})[write.column] = write.value
    needed = sorted({c for values in by_row.values() for c, v in values.items() if not is_blank(v)})
    lost = [c for c in needed if _column_now(was, now, c) is None]
    if lost:
        held.add(
            f"{_moved_column(was, lost[0])}, so the rows braingain adds at the bottom were not added",
            sum(len(v) for v in by_row.values()),
        )
        return ()
    present = now.ids()
    typed = {identity for identity in now.rows() if identity[0] == "row"}
    rows: list[Mapping[int, Cell]] = []
    for values in by_row.values():
        placed = {column: value for c, value in values.items() if (column := _column_now(was, now, c))}
        ident = row_id(values.get(was.id_column)) if was.id_column is not None else ""
        if ident in present or (not ident and _typed(was, values) in typed):
            continue  # already there: typed by a person, or an earlier attempt of this write landed
        rows.append(placed)
    return tuple(rows)


def _typed(was: _Layout, values: Mapping[int, Cell]) -> Identity:
    """What a row to append would look like to :meth:`_Layout.identity` once appended without an ID."""
    typed = sorted(
        (key, as_text(value))
        for column, value in values.items()
        if not is_blank(value) and (key := header_key(was.header_of(column))) and key not in was.sync_keys
    )
    return ("row", *(part for pair in typed for part in pair))


def _by_position(read: Grid, now: Grid, planned: Sequence[CellWrite]) -> Placed:
    """A tab braingain owns whole, header row included (``weeks``): every cell holds what the plan
    wanted of the tab as read (its writes over what was there), position by position, whatever was
    typed there meanwhile; cells inside merged cells (now) are left alone."""
    wanted: dict[tuple[int, int], Cell] = {
        (r, c): value
        for r, line in enumerate(read.values, start=1)
        for c, value in enumerate(line, start=1)
        if not is_blank(value)
    }
    for write in planned:
        wanted[write.row, write.column] = write.value
    merged = {
        (r, c)
        for m in now.merges
        for r in range(m.first_row, m.last_row + 1)
        for c in range(m.first_column, m.last_column + 1)
    }
    present = {
        (r, c)
        for r, line in enumerate(now.values, start=1)
        for c, value in enumerate(line, start=1)
        if not is_blank(value)
    }
    cells: list[CellWrite] = []
    for row, column in sorted(set(wanted) | present):
        value = wanted.get((row, column))
        found = now.values[row - 1][column - 1] if (row, column) in present else None
        if (row, column) in merged or cells_equal(found, value):
            continue
        cells.append(CellWrite(now.title, row, column, "" if value is None else value))
    return Placed(tuple(cells), (), ())


def _rewrite(was: _Layout, now: _Layout, planned: Sequence[CellWrite]) -> Placed:
    """A sync-owned tab: every managed column holds, row by row, what the plan wanted."""
    held = _Held(was.grid.title)
    wanted: dict[tuple[int, int], Cell] = {}
    for row in range(2, was.last + 1):
        for column in range(1, len(was.header) + 1):
            wanted[row, column] = was.cell(row, column)
    links = {(w.row, w.column): w.link for w in planned if w.link is not None}
    for write in planned:
        wanted[write.row, write.column] = write.value
    managed = sorted(
        {c for c in range(1, len(was.header) + 1) if header_key(was.header_of(c)) in was.known}
        | {c.column for c in planned}
    )
    bottom = max([was.last, now.last, *(c.row for c in planned)])
    cells: list[CellWrite] = []
    for column in managed:
        target = _column_now(was, now, column)
        if target is None:
            changed = [c for c in planned if c.column == column]
            if changed:
                held.add(_moved_column(was, column), len(changed))
            continue
        for row in range(2, bottom + 1):
            value = wanted.get((row, column))
            if not cells_equal(now.cell(row, target), value):
                link = links.get((row, column))
                cells.append(
                    CellWrite(now.grid.title, row, target, "" if value is None else value, link=link)
                )
    return Placed(tuple(cells), (), held.all())
