"""What a person would expect to fill itself in: a default in a blank cell, on the first sync.

A new task whose Status is blank starts as a draft; a new member whose Active is blank is
active, and whose Joined is blank joined today (in the group's zone). Only a blank cell of a
row with an ID is filled, and only while it is still blank when the sync writes
(:attr:`~braingain.core.tracker.schema.CellWrite.fill`): nothing a person typed is written over. The
read takes the default at once, so the first sync reports no problem for it and the second
finds it written and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import date

from braingain.core.tracker.schema import Cell, CellWrite, Row, Table, is_blank, row_id

__all__ = ["DEFAULTS", "fill_defaults"]

DEFAULTS: Mapping[str, Mapping[str, Callable[[date], Cell]]] = {
    "tasks": {"status": lambda today: "draft"},
    "members": {"active": lambda today: "yes", "joined": lambda today: today},
}
"""The defaults, by tab key and column key: each a function of today's date."""


def fill_defaults(
    tables: Mapping[str, Table | None], today: date, *, known_tasks: Collection[str] = ()
) -> tuple[dict[str, Table | None], tuple[CellWrite, ...]]:
    """``tables`` with each default in its blank cell, and the writes that put them on the tabs.

    ``known_tasks``: IDs of tasks braingain remembers; a remembered task's blank Status is not a
    new task's, so it is left for the read to report (its lifecycle is kept)."""
    filled: dict[str, Table | None] = dict(tables)
    writes: list[CellWrite] = []
    for key, defaults in DEFAULTS.items():
        table = tables.get(key)
        if table is None:
            continue
        present = {column: table.columns[column] for column in defaults if column in table.columns}
        if not present:
            continue
        rows: list[Row] = []
        changed = False
        for row in table.rows:
            blank = [c for c in present if is_blank(row.cells.get(c))]  # the common case: none
            ident = row_id(row.get(table.tab.id_column)) if blank else ""
            if not ident or (key == "tasks" and ident in known_tasks):
                rows.append(row)
                continue
            cells = dict(row.cells)
            for column in blank:
                index = present[column]
                if (row.number, index) not in table.merged:
                    value = defaults[column](today)
                    cells[column] = value
                    writes.append(
                        CellWrite(table.where, row.number, index, value, fill=True, was=row.get(column))
                    )
            changed = changed or cells != row.cells
            rows.append(Row(row.number, cells) if cells != row.cells else row)
        if changed:
            filled[key] = replace(table, rows=tuple(rows), index={})
    return filled, tuple(writes)
