"""Random trackers and what people do to them, for the property that one sync reaches the fixed point.

A tracker is the sample group's on one of a few days, as its leaders typed it (never synced) or
after a sync. An edit is something a person does in a spreadsheet: type a value in one of the
forms people type it (``4.5``, ``"4.50"``, ``" 4.5 "``, a date as a date, a serial number or
text, a list with semicolons, commas or line breaks...), move a task along its lifecycle as its
head or leader would, resolve a dispute, record an adjustment on the Ledger, or change the
layout: delete, move or rename a column, delete or rename a tab, delete a row, leave a blank row.

Every edit is drawn with a ``draw`` function (``hypothesis``' ``data.draw``) so that a failing
case shrinks, and comes back with one line saying what it did. The hidden state tab is left
alone: losing or forging braingain's memory is a matter of its own (issue 8, section 2).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from hypothesis import strategies as st

from braingain.core.parsing import header_key
from braingain.core.tracker.cells import to_serial
from braingain.core.tracker.schema import Cell, Column, Grid, Snapshot
from tests.tracker.helpers import SCHEMA, Sample, edit, snapshot

Draw = Callable[..., Any]
"""``hypothesis``' ``data.draw``: a strategy (and a label) in, a value out."""

DAYS = (date(2026, 3, 20), date(2026, 11, 25), date(2027, 1, 10))
"""The sample group on three days: its tasks, meetings and disputes stand differently on each."""

EDITABLE = frozenset(header_key(t.title) for t in SCHEMA.tabs if not t.hidden)
"""The tabs people see (the hidden state tab is not edited here)."""

_COLUMNS = {header_key(t.title): {header_key(c.header): c for c in t.columns} for t in SCHEMA.tabs}


@functools.cache
def sample(day: date) -> Sample:
    return Sample(today=day)


@functools.cache
def trackers(day: date) -> tuple[Snapshot, Snapshot, Snapshot]:
    """The sample tracker on ``day`` as its leaders typed it, after a sync, and after a sync that
    took the work of every task in progress as submitted (so that a leader may accept it)."""
    typed = snapshot(sample(day).rows())
    synced = sample(day).start()
    submitted = synced
    for row in synced.grids["Tasks"].values[1:]:
        if row[_TASKS.index("Status")] == "in progress":
            head = row[_TASKS.index("Mini-team head")]
            submitted = edit(
                edit(submitted, "Tasks", str(row[0]), "Status", "submitted"),
                "Tasks",
                str(row[0]),
                "Status changed by",
                head,
            )
    return typed, synced, sample(day).sync(submitted)[1]


_TASKS = SCHEMA.tab("tasks").headers


def tracker(draw: Draw) -> tuple[date, Snapshot]:
    """A random tracker, and its day."""
    day = draw(st.sampled_from(DAYS), label="day")
    return day, trackers(day)[draw(st.integers(0, 2), label="synced")]


def human_edits(draw: Draw, snap: Snapshot, *, most: int = 4) -> tuple[Snapshot, list[str]]:
    """``snap`` after one to ``most`` random edits, and what each one did."""
    said: list[str] = []
    for _ in range(draw(st.integers(1, most), label="edits")):
        snap, what = human_edit(draw, snap)
        said.append(what)
    return snap, said


def human_edit(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    """``snap`` after one thing a person might do, and what it was."""
    kind = draw(st.sampled_from(sorted(_EDITS)), label="edit")
    return _EDITS[kind](draw, snap)


# --- values in the forms people type them ---------------------------------------------------------


def _column(title: str, header: Cell) -> Column | None:
    return _COLUMNS.get(header_key(title), {}).get(header_key(str(header))) if header is not None else None


def _filled(snap: Snapshot, title: str, index: int) -> list[Cell]:
    return [r[index] for r in snap.grids[title].values[1:] if index < len(r) and r[index] not in (None, "")]


def _points(least: int = -5, most: int = 40) -> st.SearchStrategy[Cell]:
    """A number of points as people type it: whole, as a number with cents, as text."""
    cents = st.decimals(min_value=least, max_value=most, places=2)
    return st.one_of(
        st.integers(least, most),
        cents.map(float),
        cents.map(lambda d: f"{d:.2f}"),
        cents.map(lambda d: f" {d.normalize()} "),
    )


def _nonzero() -> st.SearchStrategy[Cell]:
    """Points to add or take away (an adjustment of nothing is refused)."""
    return st.one_of(_points(1, 6), _points(-3, -1))


def _days() -> st.SearchStrategy[date]:
    return st.dates(date(2025, 1, 1), date(2027, 12, 31))


def _moments() -> st.SearchStrategy[Cell]:
    """A date and time as people type it (or a spreadsheet holds it)."""
    hours = st.integers(0, 23)
    return st.one_of(
        st.builds(lambda d, h: datetime(d.year, d.month, d.day, h), _days(), hours),
        st.builds(lambda d, h: f"{d.isoformat()} {h:02d}:00", _days(), hours),
        st.builds(lambda d, h: f"{d.isoformat()} {h:02d}:30 Africa/Lagos", _days(), hours),
        st.builds(lambda d, h: f"{d.isoformat()}T{h:02d}:00+01:00", _days(), hours),
        st.builds(lambda d, h: to_serial(datetime(d.year, d.month, d.day, h)), _days(), hours),
    )


def _listed(options: Sequence[str]) -> st.SearchStrategy[Cell]:
    """Several values as people list them: any separator, any spacing, any order."""
    return st.builds(
        lambda picked, separator: separator.join(picked),
        st.lists(st.sampled_from(sorted(set(options))), min_size=1, max_size=3),
        st.sampled_from(["; ", ";", ", ", "\n", " ,  "]),
    )


def _respelled(value: str) -> st.SearchStrategy[Cell]:
    return st.sampled_from([value.upper(), f"  {value} ", value.replace(" ", "  "), value.title()])


def typed_value(draw: Draw, snap: Snapshot, title: str, index: int, current: Cell) -> Cell:
    """A value a person might type into column ``index`` (0-based) of ``title``, in one of the
    forms people type values of that column's type."""
    grid = snap.grids[title]
    header = grid.values[0][index] if grid.values and index < len(grid.values[0]) else None
    column = _column(title, header)
    kind = column.type if column is not None else "text"
    seen = _filled(snap, title, index)
    options: list[st.SearchStrategy[Cell]] = [st.none(), st.just("")]
    if seen:
        options.append(st.sampled_from(seen))
    if kind in ("number", "integer"):
        options.append(_points())
    elif kind == "date":
        days = _days()
        options += [days, days.map(date.isoformat), days.map(to_serial), days.map(lambda d: f" {d} ")]
    elif kind == "datetime":
        options.append(_moments())
    elif kind == "bool":
        options += [st.booleans(), st.sampled_from(["yes", "no", "TRUE", "False", "Y", " no "])]
    elif kind in ("choice", "choices") and column is not None:
        options.append(st.sampled_from(column.choices).flatmap(_respelled))
        if kind == "choices":
            options.append(_listed(column.choices))
    elif kind in ("member", "members", "task", "project", "entry", "meeting", "output") and seen:
        options.append(_listed([str(v) for v in seen]))
    else:
        options.append(st.text(alphabet="ab XY-;,.:\n", max_size=12))
    if isinstance(current, str) and current.strip():
        options.append(_respelled(current))
    value: Cell = draw(st.one_of(options), label=f"{title}: {header}")
    return value


# --- the edits ---------------------------------------------------------------------------------------


def _tab(draw: Draw, snap: Snapshot) -> str:
    titles = sorted(t for t in snap.grids if header_key(t) in EDITABLE)
    title: str = draw(st.sampled_from(titles or sorted(snap.grids)), label="tab")
    return title


def _rows(snap: Snapshot, title: str) -> list[list[Cell]]:
    return [list(r) for r in snap.grids[title].values]


def _with(snap: Snapshot, title: str, rows: Sequence[Sequence[Cell]]) -> Snapshot:
    grid = snap.grids[title]
    return Snapshot({**snap.grids, title: Grid(title, tuple(tuple(r) for r in rows), grid.merges)})


def _set(row: list[Cell], index: int, value: Cell) -> None:
    row.extend([None] * (index + 1 - len(row)))
    row[index] = value


def _a_column(draw: Draw, snap: Snapshot) -> tuple[str, list[list[Cell]], int] | None:
    """A tab, its rows, and one of its columns (0-based); ``None`` for a tab without a header."""
    title = _tab(draw, snap)
    rows = _rows(snap, title)
    if not rows or not rows[0]:
        return None
    return title, rows, draw(st.integers(0, len(rows[0]) - 1), label="column")


def _typed(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    """Type a value into any cell, or into the first row below the table."""
    found = _a_column(draw, snap)
    if found is None:
        return snap, "nothing to type into"
    title, rows, index = found
    number = draw(st.integers(1, len(rows)), label="row")
    if number == len(rows):
        rows.append([])
    row = rows[number]
    value = typed_value(draw, snap, title, index, row[index] if index < len(row) else None)
    _set(row, index, value)
    return _with(snap, title, rows), f"{title}!{number + 1} column {index + 1}: typed {value!r}"


_NEXT = {
    "draft": ("open", "Supervising leader"),
    "assigned": ("in progress", "Mini-team head"),
    "in progress": ("submitted", "Mini-team head"),
    "submitted": ("accepted", "Supervising leader"),
    "needs rework": ("in progress", "Mini-team head"),
}
"""A task's next status on its usual way, and who moves it there."""


def _moved(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    """Move a task along its lifecycle as its head or leader would (or send submitted work back)."""
    grid = snap.grid("Tasks")
    if grid is None or not grid.values or "Status" not in grid.values[0]:
        return snap, "Tasks: no status to move"
    rows = _rows(snap, grid.title)
    header = rows[0]
    status = header.index("Status")
    movable = [n for n, r in enumerate(rows[1:], 1) if status < len(r) and str(r[status]).strip() in _NEXT]
    if not movable:
        return snap, "Tasks: no task to move"
    submitted = [n for n in movable if str(rows[n][status]).strip() == "submitted"]
    if submitted and draw(st.booleans(), label="review submitted work"):
        movable = submitted  # work waiting for review is what a leader moves most often
    number = draw(st.sampled_from(movable), label="task")
    row = rows[number]
    to, by = _NEXT[str(row[status]).strip()]
    if to == "accepted" and draw(st.booleans(), label="rework"):
        to = "needs rework"
    _set(row, status, draw(_respelled(to), label="status"))
    if "Status changed by" in header and by in header:
        who = row[header.index(by)] if header.index(by) < len(row) else None
        _set(row, header.index("Status changed by"), who)
    return _with(snap, grid.title, rows), f"Tasks: {row[0]} moved to {to}"


def _leaders(snap: Snapshot) -> list[str]:
    grid = snap.grid("Members")
    if grid is None or not grid.values or "Role" not in grid.values[0]:
        return ["ada.obiora"]
    role = grid.values[0].index("Role")
    found = [str(r[0]) for r in grid.values[1:] if role < len(r) and str(r[role]).strip() == "leader"]
    return found or ["ada.obiora"]


def _resolved(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    """Resolve an open dispute: adjusted by points typed in any form, or upheld."""
    grid = snap.grid("Disputes")
    if grid is None or not grid.values:
        return snap, "Disputes: none to resolve"
    rows = _rows(snap, grid.title)
    header = rows[0]
    needed = ("Decision", "Adjustment (points)", "Resolved by", "Resolution note")
    if not all(h in header for h in needed):
        return snap, "Disputes: a header is missing"
    decision = header.index("Decision")
    open_ = [n for n, r in enumerate(rows[1:], 1) if decision < len(r) and r[decision] == "open"]
    if not open_:
        return snap, "Disputes: none open"
    row = rows[draw(st.sampled_from(open_), label="dispute")]
    adjusted = draw(st.booleans(), label="adjusted")
    amount = draw(_nonzero(), label="adjustment") if adjusted else None
    _set(row, decision, "adjusted" if adjusted else "upheld")
    _set(row, header.index("Adjustment (points)"), amount)
    _set(row, header.index("Resolved by"), draw(st.sampled_from(_leaders(snap)), label="leader"))
    _set(row, header.index("Resolution note"), "settled at the meeting")
    return _with(snap, grid.title, rows), f"Disputes: {row[0]} resolved, adjustment {amount!r}"


def _adjustment(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    """A leader records an adjustment on the Ledger, points and time typed in any form."""
    grid = snap.grid("Ledger")
    members = snap.grid("Members")
    if grid is None or members is None or not grid.values or not members.values:
        return snap, "Ledger: cannot record an adjustment"
    rows = _rows(snap, grid.title)
    cells = {
        "ID": f"adj-{len(rows)}",
        "Kind": "adjustment",
        "Member": draw(
            st.sampled_from([str(r[0]) for r in members.values[1:] if r] or ["x"]), label="member"
        ),
        "Project": "sr-migration",
        "Points": draw(_nonzero(), label="points"),
        "Reason": "extra work on the protocol",
        "Recorded by": draw(st.sampled_from(_leaders(snap)), label="leader"),
        "Recorded at": draw(_moments(), label="recorded at"),
    }
    row: list[Cell] = []
    for index, header in enumerate(rows[0]):
        if header in cells:
            _set(row, index, cells[str(header)])
    rows.append(row)
    said = f"Ledger: adjustment {cells['Points']!r} at {cells['Recorded at']!r}"
    return _with(snap, grid.title, rows), said


def _column_deleted(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    found = _a_column(draw, snap)
    if found is None:
        return snap, "no column to delete"
    title, rows, index = found
    after = _with(snap, title, [r[:index] + r[index + 1 :] for r in rows])
    return after, f"{title}: deleted {rows[0][index]!r}"


def _columns_swapped(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    found = _a_column(draw, snap)
    if found is None:
        return snap, "no column to move"
    title, rows, a = found
    width = len(rows[0])
    b = draw(st.integers(0, width - 1), label="to")
    for row in rows:
        row.extend([None] * (width - len(row)))
        row[a], row[b] = row[b], row[a]
    return _with(snap, title, rows), f"{title}: swapped columns {a + 1} and {b + 1}"


def _header_renamed(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    found = _a_column(draw, snap)
    if found is None:
        return snap, "no header to rename"
    title, rows, index = found
    was = str(rows[0][index])
    typed = [f"{was} (old)", was.upper(), f" {was}  ", "", "Notes"]
    rows[0][index] = draw(st.sampled_from(typed), label="header")
    return _with(snap, title, rows), f"{title}: header {was!r} renamed {rows[0][index]!r}"


def _tab_deleted(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    title = _tab(draw, snap)
    return Snapshot({t: g for t, g in snap.grids.items() if t != title}), f"deleted the tab {title!r}"


def _tab_renamed(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    title = _tab(draw, snap)
    new = draw(st.sampled_from([f"{title} (old)", title.upper(), f" {title}"]), label="title")
    grids = {(new if t == title else t): g for t, g in snap.grids.items()}
    grids[new] = Grid(new, snap.grids[title].values, snap.grids[title].merges)
    return Snapshot(grids), f"renamed the tab {title!r} {new!r}"


def _row_deleted_or_blanked(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    """Delete a row, or leave a blank row in the middle of a table."""
    title = _tab(draw, snap)
    rows = _rows(snap, title)
    if len(rows) < 2:
        return snap, f"{title}: no row"
    number = draw(st.integers(1, len(rows) - 1), label="row")
    if draw(st.booleans(), label="blank"):
        return _with(snap, title, [*rows[:number], [], *rows[number:]]), f"{title}: blank row {number + 1}"
    return _with(snap, title, rows[:number] + rows[number + 1 :]), f"{title}: deleted row {number + 1}"


def _sorted(draw: Draw, snap: Snapshot) -> tuple[Snapshot, str]:
    """Sort a tab's rows by one column, as a person sorting the sheet would."""
    title = _tab(draw, snap)
    rows = _rows(snap, title)
    if len(rows) < 3:
        return snap, f"{title}: nothing to sort"
    index = draw(st.integers(0, len(rows[0]) - 1), label="by")
    body = sorted(
        rows[1:], key=lambda r: str(r[index]) if index < len(r) else "", reverse=draw(st.booleans())
    )
    return _with(snap, title, [rows[0], *body]), f"{title}: sorted by column {index + 1}"


_EDITS: dict[str, Callable[[Draw, Snapshot], tuple[Snapshot, str]]] = {
    "type a value": _typed,
    "type another value": _typed,
    "type a third value": _typed,
    "move a task": _moved,
    "move another task": _moved,
    "move a third task": _moved,
    "resolve a dispute": _resolved,
    "record an adjustment": _adjustment,
    "delete a column": _column_deleted,
    "move a column": _columns_swapped,
    "rename a header": _header_renamed,
    "delete a tab": _tab_deleted,
    "rename a tab": _tab_renamed,
    "delete a row or leave one blank": _row_deleted_or_blanked,
    "sort a tab": _sorted,
}
"""What people do, typing (and moving tasks) more often than changing the layout."""
