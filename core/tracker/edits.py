"""What one member action writes to the tracker: a new row, or person-owned cells changed.

A sync writes only braingain's own columns; a member acting from outside the tracker (the Slack
app) writes what a person would type: a Volunteers, Disputes or Availability row, a task's
Status with who changed it and the review note, a meeting's Excused cell. Each edit is one
:class:`~braingain.core.tracker.schema.TrackerWrite`, made from the tables the read found, so
that a backend applies it as it applies a sync's write:

- a new row goes below the tab's last row (:func:`~braingain.core.tracker.schema.new_rows`,
  as the sync appends awards), with a fresh ID in the tab's own pattern (``V-012`` -> ``V-013``);
- a person-owned cell is written with ``fill`` and ``was`` (what the read found there), so a
  value a person typed since the read is never written over: the backend leaves it, and the
  caller sees the cell does not hold the new value.

Pure: tables in, writes out. A refusal is a :class:`~braingain.core.errors.DomainError` that says
why and what to do.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches

from braingain.core.errors import InvalidValue, UnknownReference, quote
from braingain.core.parsing import split_list
from braingain.core.tracker.schema import (
    Cell,
    CellWrite,
    Row,
    Table,
    TrackerWrite,
    as_text,
    index_by_id,
    is_blank,
    new_rows,
    row_id,
    rows_wait_for,
    table_height,
)

FIRST_IDS: Mapping[str, str] = {"volunteers": "V-001", "disputes": "D-001", "availability": "AV-001"}
"""The first ID of a tab that holds no ID yet, in the form ``braingain init`` types (the sample's)."""

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


@dataclass(frozen=True, slots=True)
class Edit:
    """One member action's write, and where it lands."""

    write: TrackerWrite
    key: str
    """The tab written (its schema key)."""
    ident: str
    """The ID of the row written (a new row's fresh ID)."""
    cells: Mapping[str, Cell]
    """What the row holds once written, by column key: how the caller checks the write landed."""


def next_id(table: Table | None, first: str) -> str:
    """A fresh ID for a new row of ``table``, in the pattern most of its IDs are typed in (a prefix,
    then a number padded to a width: ``V-012``, ``V0012``): one more than the largest number with
    that prefix (its case set aside), never an ID another row has in any case. ``first`` when the
    tab holds no numbered ID."""
    rows = (*table.rows, *table.held) if table is not None else ()
    taken = {row_id(r.get(table.tab.id_column)).casefold() for r in rows if table is not None} - {""}
    patterns: Counter[tuple[str, int]] = Counter()
    largest: dict[str, int] = {}
    for ident in taken:
        found = _NUMBERED.match(ident)
        if found is None:
            continue
        prefix, digits = found.group(1), found.group(2)
        patterns[prefix, len(digits)] += 1
        largest[prefix] = max(largest.get(prefix, 0), int(digits))
    if not patterns:
        found = _NUMBERED.match(first)
        assert found is not None  # the first IDs above are numbered
        prefix, width, number = found.group(1), len(found.group(2)), int(found.group(2))
    else:
        (prefix, width), _ = min(patterns.items(), key=lambda p: (-p[1], p[0]))
        number = largest[prefix] + 1
    typed = _typed_prefix(table, prefix) if patterns else prefix
    while f"{prefix}{number:0{width}d}".casefold() in taken:
        number += 1  # (a number wider than the pattern's width may be taken in another padding)
    return f"{typed}{number:0{width}d}"


def _typed_prefix(table: Table | None, folded: str) -> str:
    """The prefix as the tab's last row with it types it (``V-``, not ``v-``)."""
    for row in reversed(table.rows if table is not None else ()):
        ident = row_id(row.get(table.tab.id_column)) if table is not None else ""
        found = _NUMBERED.match(ident)
        if found is not None and found.group(1).casefold() == folded:
            return found.group(1)
    return folded


def append_row(
    tables: Mapping[str, Table | None],
    key: str,
    title: str,
    values: Mapping[str, Cell],
    *,
    ident: str | None = None,
) -> Edit:
    """A new row of the tab ``key`` (``title`` as people call it) holding ``values`` (by column key),
    below its last row, with ``ident`` or else a fresh ID (:func:`next_id`). Raises
    :class:`~braingain.core.errors.InvalidValue` when the tab is missing, or lacks a header the row
    fills (it could not be read back)."""
    table = tables.get(key)
    if table is None:
        raise InvalidValue(
            f"the tracker has no {title} tab (or its ID header is missing)",
            hint=f"a leader puts the {title} tab back (a sync names what is wrong), then try again",
        )
    ident = ident or next_id(table, FIRST_IDS.get(key, "1"))
    row = {table.tab.id_column: ident, **values}
    lacking = rows_wait_for(table.tab, table, [row], missing=False)
    if lacking:
        headers = ", ".join(quote(h) for h in lacking)
        raise InvalidValue(
            f"the {table.where} tab has no column {headers}",
            hint="a leader puts the header back (a sync adds nothing there meanwhile), then try again",
        )
    cells = new_rows(table.tab, table, table_height(table) + 1, [row])
    return Edit(TrackerWrite(cells=tuple(cells), tabs=((table.where, key),)), key, ident, row)


def change_cells(
    tables: Mapping[str, Table | None], key: str, title: str, ident: str, values: Mapping[str, Cell]
) -> Edit:
    """Person-owned cells of the row ``ident`` of the tab ``key`` set to ``values`` (by column key),
    each only while it still holds what the read found (``fill``, ``was``). A cell that already
    holds its value is not written. Raises :class:`~braingain.core.errors.InvalidValue` when the
    row or a column is not there, or a cell is inside merged cells."""
    table = tables.get(key)
    row = _row(table, ident)
    if table is None or row is None:
        raise UnknownReference(f"the {title} tab has no row {quote(ident)}", hint="check the ID on the tab")
    writes: list[CellWrite] = []
    for column, value in values.items():
        header = table.tab.column(column).header
        if column not in table.columns:
            raise InvalidValue(
                f"the {table.where} tab has no column {quote(header)}",
                hint="a leader puts the header back, then try again",
            )
        where = table.columns[column]
        if (row.number, where) in table.merged:
            raise InvalidValue(
                f"{table.where} row {row.number}, {header}, is inside merged cells",
                hint="a leader unmerges them, then try again",
            )
        was = row.get(column)
        if as_text(was) != as_text(value):
            writes.append(CellWrite(table.where, row.number, where, value, fill=True, was=was))
    return Edit(TrackerWrite(cells=tuple(writes), tabs=((table.where, key),)), key, ident, dict(values))


def _row(table: Table | None, ident: str) -> Row | None:
    if table is None:
        return None
    number = index_by_id(table).get(ident)
    return next((r for r in table.rows if r.number == number), None)


def listed_with(typed: Cell, ident: str) -> str:
    """A list cell (Present, Absent, Excused) as typed, with ``ident`` added at its end (``"; "``
    before it); the names typed stay as they are. Unchanged when it already names ``ident``."""
    text = as_text(typed).rstrip().rstrip(";,").rstrip()
    if ident in split_list(text):
        return as_text(typed)
    return f"{text}; {ident}" if not is_blank(text) else ident


def found(ids: Iterable[str], typed: str, what: str) -> str:
    """The ID among ``ids`` that ``typed`` names: as typed, else the one that matches with case and
    spaces set aside. Raises :class:`~braingain.core.errors.UnknownReference`, naming the closest
    IDs, when none does (or two differ only in case, and neither is typed exactly)."""
    wanted = " ".join(typed.split())
    known = sorted(set(ids))
    if wanted in known:
        return wanted
    folded = [i for i in known if i.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    close = closest(known, wanted)
    hint = f"did you mean {' or '.join(close)}?" if close else f"check the {what} ID"
    raise UnknownReference(f"there is no {what} {quote(wanted)}", field=what, hint=hint)


def closest(known: Sequence[str], typed: str) -> list[str]:
    """Up to three of ``known`` that look like ``typed`` (case set aside), closest first."""
    folded = {k.casefold(): k for k in known}
    near = get_close_matches(typed.casefold(), list(folded), n=3, cutoff=0.6)
    tail = [k for k in known if k.casefold().endswith(typed.casefold()) and k.casefold() not in near]
    return [folded[n] for n in near] + tail[: max(0, 3 - len(near))]
