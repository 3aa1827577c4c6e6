"""The tracker as the core sees it: a schema, a snapshot of cells, and writes to make.

A backend (the Google Sheet or the local workbook) hands the core a :class:`Snapshot`:
for each tab, its cells as a grid of plain values, with merged ranges. The core maps
headers to columns by name (a leader may reorder them), finds rows by their ID, reads
and validates every row, and reports each problem with its tab, row, column and
reason. What the sync decides to write comes back as a :class:`TrackerWrite`: cell
values for sync-owned columns and new rows, and the structural changes (a missing
tab, missing columns) a backend must make first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from operator import itemgetter
from typing import Any

from braingain.core.errors import InvalidValue, clip, quote
from braingain.core.memo import remembered
from braingain.core.parsing import clean_text, header_key


@dataclass(frozen=True, slots=True)
class Uncalculated:
    """A formula cell that holds no result: the file was written by a program that does not
    calculate (a script, a converter), so there is no value to read yet.

    Only the local workbook hands these over; Google always returns computed values.
    ``formula`` is its text when the file has it ("SUM(B2:B9)"), else empty.
    """

    formula: str = ""


UNCALCULATED = "is a formula that has not been calculated"
UNCALCULATED_HINT = "open and save the file in a spreadsheet program"


@dataclass(frozen=True, slots=True)
class Merged:
    """A cell inside merged cells below the header row: which row its value belongs to cannot be
    told, so it has none. ``span`` is the merged range in A1 notation ("C2:C4").

    :func:`read_table` puts these in place of the merged cells' values, so that each row the
    merge crosses reports the problem on its own column, and loses only what depends on it.
    """

    span: str


MERGED_HINT = "unmerge them so that every row has its own value"

Cell = str | int | float | bool | date | datetime | Uncalculated | Merged | None
"""A cell's value as a backend reads it. Formula errors arrive as their text ("#REF!"); a formula
without a stored result arrives as :class:`Uncalculated`; :func:`read_table` marks the cells of a
merge as :class:`Merged`."""

FORMULA_ERRORS = frozenset(
    {"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!", "#SPILL!"}
)

COLUMN_TYPES = frozenset(
    {
        "id", "text", "longtext", "email", "member", "members", "project", "task", "meeting",
        "entry", "output", "date", "datetime", "number", "integer", "bool", "choice", "choices",
        "zone", "country", "windows",
    }
)  # fmt: skip


class Owner(Enum):
    PEOPLE = "people"
    SYNC = "sync"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    type: str
    owner: Owner = Owner.PEOPLE
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    holds_row: bool = False
    """When this cell cannot be read, the whole row is held (its ID always is). Otherwise only
    the cell's value is lost, and only what depends on it waits (docs/tracker.md)."""
    needed: str = ""
    """When an optional column is needed after all, as its header note says it: ``once the task
    is assigned`` (empty: never)."""
    fills: str = ""
    """What the first sync fills a required column's blank cell with (``today's date``), as its
    header note says it (empty: nothing; see ``tracker_defaults.DEFAULTS``)."""
    late: bool = False
    """An optional person-owned column that came after trackers were made: a tracker without its
    header reads as before (every cell of it empty, no problem), and the sync adds it, empty,
    right of everything the tab holds, as it adds a missing sync-owned column."""


@dataclass(frozen=True, slots=True)
class Tab:
    key: str
    title: str
    id_column: str
    columns: tuple[Column, ...]
    help: str = ""
    hidden: bool = False
    sync_owned: bool = False
    sync_appends: bool = False
    core: bool = False
    """The group's decisions are derived from this tab: if it is not really there, nothing is written."""
    weeks: bool = False
    """Right of its columns, the tab has one column per week, headed by the Monday's date, that the
    sync writes (the Gantt tab): the tab is braingain's and is rewritten whole, by position."""
    _by_key: Mapping[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Looked up for every cell read and planned: index the columns once.
        object.__setattr__(self, "_by_key", {c.key: c for c in reversed(self.columns)})

    def column(self, key: str) -> Column:
        found = self._by_key.get(key)
        if found is None:
            raise KeyError(f"tab {self.key} has no column {quote(key)}")
        return found

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


@dataclass(frozen=True, slots=True)
class Schema:
    version: int
    tabs: tuple[Tab, ...]

    def tab(self, key: str) -> Tab:
        for tab in self.tabs:
            if tab.key == key:
                return tab
        raise KeyError(f"the schema has no tab {quote(key)}")


def schema_from_data(data: Mapping[str, Any]) -> Schema:
    """Build the schema from its data (``sheets_templates/tracker.toml``), checking it."""
    tabs = []
    for raw in data.get("tabs", []):
        columns = []
        for c in raw.get("columns", []):
            if c["type"] not in COLUMN_TYPES:
                raise InvalidValue(
                    f"column {quote(c['key'])} has unknown type {quote(c['type'])}", field="schema"
                )
            if c["type"] in ("choice", "choices") and not c.get("choices"):
                raise InvalidValue(f"column {quote(c['key'])} needs its choices", field="schema")
            columns.append(
                Column(
                    key=c["key"],
                    header=c["header"],
                    type=c["type"],
                    owner=Owner(c.get("owner", "people")),
                    required=bool(c.get("required", False)),
                    choices=tuple(c.get("choices", ())),
                    help=c.get("help", ""),
                    holds_row=bool(c.get("holds_row", False)) or c["key"] == raw["id"],
                    needed=c.get("needed", ""),
                    fills=c.get("fills", ""),
                    late=bool(c.get("late", False)),
                )
            )
            if columns[-1].late and (columns[-1].owner is not Owner.PEOPLE or columns[-1].required):
                raise InvalidValue(
                    f"column {quote(c['key'])} is late, so optional and people's", field="schema"
                )
        keys = [c.key for c in columns]
        headers = [header_key(c.header) for c in columns]
        if len(set(keys)) != len(keys) or len(set(headers)) != len(headers):
            raise InvalidValue(f"tab {quote(raw['key'])} repeats a column", field="schema")
        if raw["id"] not in keys:
            raise InvalidValue(f"tab {quote(raw['key'])} has no id column {quote(raw['id'])}", field="schema")
        if raw.get("weeks") and not raw.get("sync_owned"):
            raise InvalidValue(f"tab {quote(raw['key'])} has weeks but is not sync_owned", field="schema")
        tabs.append(
            Tab(
                key=raw["key"],
                title=raw["title"],
                id_column=raw["id"],
                columns=tuple(columns),
                help=raw.get("help", ""),
                hidden=bool(raw.get("hidden", False)),
                sync_owned=bool(raw.get("sync_owned", False)),
                sync_appends=bool(raw.get("sync_appends", False)),
                core=bool(raw.get("core", False)),
                weeks=bool(raw.get("weeks", False)),
            )
        )
    titles = [header_key(t.title) for t in tabs]
    if len(set(titles)) != len(titles):
        raise InvalidValue("two tabs share a title", field="schema")
    return Schema(version=int(data.get("version", 1)), tabs=tuple(tabs))


@dataclass(frozen=True, slots=True)
class Merge:
    """A merged range, 1-based and inclusive."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass(frozen=True, slots=True)
class Grid:
    """One tab as the backend read it: row 1 is the header row."""

    title: str
    values: tuple[tuple[Cell, ...], ...]
    merges: tuple[Merge, ...] = ()
    sheet_id: int | None = None
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Every tab of the tracker, by title."""

    grids: Mapping[str, Grid]

    def grid(self, title: str) -> Grid | None:
        """The tab titled ``title``: exactly, else as headers are matched (:func:`header_key`)."""
        found = self.grids.get(title)
        if found is not None:
            return found
        key = header_key(title)
        return next((g for t, g in self.grids.items() if header_key(t) == key), None)


REASON_LIMIT = 2_000
"""The most characters one Problem's reason holds."""

_EMAIL_LIKE = re.compile(r"[^\s'\"<>(),;]+@[^\s'\"<>(),;]+")


def redact(text: str) -> str:
    """``text`` with anything that looks like an email address replaced by ``<email>``."""
    return _EMAIL_LIKE.sub("<email>", text)


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """Something the sync could not read or accept, and where. Row 0 means the whole tab.

    ``repaired``: the sync's own write puts it right (a missing tab it adds, a memory it
    rebuilds), so it is told in the sync's outcome but not listed on the Problems tab, which
    shows what is still wrong after the sync (the next sync would only take it off again)."""

    tab: str
    row: int
    column: str
    reason: str
    repaired: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        # Whatever a person typed, an email address never reaches the Problems tab or a log,
        # and no reason outgrows a cell (values are quoted short; this is the safety net).
        object.__setattr__(self, "reason", clip(redact(self.reason), REASON_LIMIT))

    @property
    def where(self) -> str:
        place = self.tab if self.row == 0 else f"{self.tab} row {self.row}"
        return f"{place} ({self.column})" if self.column else place

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


_LETTERS = re.compile(r"^[A-Z]+$")


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    if index < 1:
        raise ValueError(index)
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 1, AA -> 27."""
    if not _LETTERS.match(letters):
        raise ValueError(letters)
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


@dataclass(frozen=True, slots=True)
class CellLink:
    """A cell of the tracker a written cell links to: the tab's title and 1-based row and column
    (column 0: the row as a whole)."""

    tab: str
    row: int
    column: int


@dataclass(frozen=True, slots=True)
class CellWrite:
    """Put ``value`` at (row, column) of the tab titled ``tab``; 1-based."""

    tab: str
    row: int
    column: int
    value: Cell
    fill: bool = False
    """A person-owned cell braingain fills in (a default in a blank cell, "held" for a meeting it
    scheduled): written only while the cell still holds ``was``, what the read found there, so
    nothing a person typed is ever written over."""
    was: Cell = None
    link: CellLink | None = None
    """The cell this one points to (a Problems row's Where): a link to it is set with the value."""

    @property
    def a1(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@dataclass(frozen=True, slots=True)
class AddTab:
    tab: Tab
    sheet_id: int | None = None
    """The id the new tab takes where the tracker names its tabs by id (Google's sheetId), so that
    the sync remembers it in the same write; ``None`` where tabs have no ids (the workbook)."""


@dataclass(frozen=True, slots=True)
class AddColumns:
    """Append missing columns to the right of a tab's header row, from ``first_column``."""

    tab: Tab
    columns: tuple[Column, ...]
    first_column: int
    title: str = ""
    """The tab's actual title (it may have been renamed), as :attr:`Table.where` gives it."""

    @property
    def where(self) -> str:
        return self.title or self.tab.title


StructuralChange = AddTab | AddColumns


@dataclass(frozen=True, slots=True)
class TrackerWrite:
    """Everything a sync writes to the tracker, in one go."""

    structure: tuple[StructuralChange, ...] = ()
    cells: tuple[CellWrite, ...] = ()
    tabs: tuple[tuple[str, str], ...] = ()
    """Which schema tab each tab the cells name is, as (title, tab key): a tab a leader renamed is
    written under its new title, which the schema does not know."""

    def tab_key(self, title: str) -> str | None:
        """The schema key of the tab the cells call ``title``, if the plan said."""
        return next((key for named, key in self.tabs if named == title), None)

    @property
    def empty(self) -> bool:
        return not self.structure and not self.cells

    def by_tab(self) -> dict[str, list[CellWrite]]:
        grouped: dict[str, list[CellWrite]] = {}
        for cell in self.cells:
            grouped.setdefault(cell.tab, []).append(cell)
        return grouped


@dataclass(frozen=True, slots=True)
class Unwritten:
    """Cells a backend did not write because the tab changed between the sync's read and its write
    (a person deleted the row or changed its ID, renamed a header or the tab): writing them where
    the read saw them would have hit the wrong row or column. The next sync reads the tab as it
    is and writes them; ``cells`` counts them, ``reason`` says what moved."""

    tab: str
    reason: str
    cells: int

    def __str__(self) -> str:
        values = "1 value" if self.cells == 1 else f"{self.cells} values"
        return f"{self.tab}: {values} not written: {self.reason}"


@dataclass(frozen=True, slots=True)
class Row:
    """One data row, its cells by column key (only columns the tab has)."""

    number: int
    cells: Mapping[str, Cell]

    def get(self, key: str) -> Cell:
        return self.cells.get(key)


@dataclass(frozen=True, slots=True)
class Table:
    """A tab's rows after its header was mapped; ``columns`` maps column key to 1-based index."""

    tab: Tab
    columns: Mapping[str, int]
    rows: tuple[Row, ...]
    height: int
    """The last row number holding anything, header included."""
    extra_headers: tuple[str, ...] = field(default=())
    ambiguous: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """Columns whose header appears more than once (column key -> their 1-based positions):
    neither is read or written, and while a person-owned one is ambiguous no row is read."""
    held: tuple[Row, ...] = ()
    """Rows set aside because of the layout (a person-owned header appears twice): they exist,
    but are not read."""
    merged: frozenset[tuple[int, int]] = frozenset()
    """The (row, column) of every cell inside merged cells below the header: never written."""
    index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """:func:`index_by_id`'s answer, once worked out (the rows never change)."""
    title: str = ""
    """The tab's actual title (it may have been renamed); writes go there."""
    added: tuple[str, ...] = ()
    """Sync-owned and late columns whose header is missing (deleted or renamed), by key: ``columns`` already
    places them right of everything the tab holds, where the sync adds them (:class:`AddColumns`)
    and fills them in the same write."""
    grid: Grid | None = field(default=None, compare=False, repr=False)
    """The tab as read, header row included, kept for a tab with ``weeks`` (rewritten by position)."""

    @property
    def where(self) -> str:
        return self.title or self.tab.title

    @property
    def unreadable(self) -> bool:
        """Whether a person-owned header appears twice, so that no row of the tab is read."""
        return any(self.tab.column(key).owner is Owner.PEOPLE for key in self.ambiguous)


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(tab: Tab, grid: Grid | None, problems: list[Problem]) -> Table | None:
    """Map the header row and collect the data rows, reporting what is wrong with the layout.

    Headers are matched by :func:`~braingain.core.parsing.header_key` (no-break and
    zero-width spaces, case and spacing do not matter). A missing tab, a missing header, a
    header that appears twice, blank rows between data rows and merged cells are reported;
    the cells of a merge read as :class:`Merged` (each row reports it on its own column; a
    merge over no column that people type in is reported once), and every row is set aside
    (``held``) while a
    person-owned header is ambiguous. Returns ``None`` when the tab is missing or its ID
    column cannot be found, so that the rest still syncs.
    """
    if grid is None:
        missing = f"the tab {quote(tab.title)} is missing; braingain will add it"
        problems.append(Problem(tab.title, 0, "", missing, repaired=True))
        return None
    values = grid.values
    header = [clean_text(as_text(v)) for v in (values[0] if values else ())]
    positions: dict[str, list[int]] = {}
    for index, typed in enumerate(header, start=1):
        if typed:
            positions.setdefault(header_key(typed), []).append(index)
    columns: dict[str, int] = {}
    ambiguous: dict[str, tuple[int, ...]] = {}
    for column in tab.columns:
        found = positions.get(header_key(column.header), [])
        if len(found) > 1:
            ambiguous[column.key] = tuple(found)
            problems.append(_duplicate_header(tab, column, found))
            continue
        if not found:
            if column.owner is Owner.PEOPLE and not column.late:
                problems.append(
                    Problem(
                        tab.title,
                        1,
                        column.header,
                        f"the header {quote(column.header)} is missing or was renamed; "
                        "rename it back (braingain finds columns by their header)",
                    )
                )
            continue
        columns[column.key] = found[0]
    known = {header_key(c.header) for c in tab.columns}
    extra = tuple(h for h in header if h and header_key(h) not in known)
    added = _place_missing(tab, columns, ambiguous, values)
    if tab.id_column not in columns:
        return None
    merged: dict[tuple[int, int], Merged] = {}
    people = {i for key, i in columns.items() if tab.column(key).owner is Owner.PEOPLE}
    for merge in grid.merges:
        if merge.last_row < 2:
            continue
        first, last = column_letter(merge.first_column), column_letter(merge.last_column)
        marker = Merged(f"{first}{merge.first_row}:{last}{merge.last_row}")
        spanned = range(merge.first_column, merge.last_column + 1)
        for row in range(max(2, merge.first_row), merge.last_row + 1):
            for place in spanned:
                merged[row, place] = marker
        if not people.intersection(spanned):
            named = header[merge.first_column - 1] if merge.first_column <= len(header) else ""
            problems.append(
                Problem(
                    tab.title,
                    max(2, merge.first_row),
                    named or first,
                    f"merged cells ({marker.span}): braingain does not write into them; {MERGED_HINT}",
                )
            )
    by_column = {i: key for key, i in columns.items()}
    unreadable = any(tab.column(key).owner is Owner.PEOPLE for key in ambiguous)
    rows: list[Row] = []
    held: list[Row] = []
    blank_run: list[int] = []
    height = 1
    at = [(key, i - 1) for key, i in columns.items()]
    keys = tuple(columns)
    span = max(columns.values(), default=0)
    picked = itemgetter(*(i - 1 for i in columns.values())) if len(columns) > 1 else None
    for number, raw in enumerate(values[1:], start=2):
        lead = raw[0] if raw else None
        if (lead is None or (type(lead) is str and not lead.strip())) and all(is_blank(v) for v in raw):
            # (a row mostly starts with its ID: a blank first cell is the rare case, looked at further)
            blank_run.append(number)
            continue
        height = number
        if blank_run:
            if not tab.sync_owned:  # the sync rewrites its own tabs whole, gaps closed
                problems.append(
                    Problem(
                        tab.title,
                        blank_run[0],
                        "",
                        f"blank row{'s' if len(blank_run) > 1 else ''} in the middle of the table "
                        f"(rows {blank_run[0]}-{blank_run[-1]}); rows below still sync",
                    )
                )
            blank_run = []
        width = len(raw)
        if picked is not None and width >= span:  # every column is there: picked out at C speed
            cells = dict(zip(keys, picked(raw), strict=True))
        else:  # a row without its last empty cells (Google leaves them out)
            cells = {key: raw[i] if i < width else None for key, i in at}
        if merged:
            for i, key in by_column.items():
                if (number, i) in merged:
                    cells[key] = merged[number, i]
        if unreadable:
            held.append(Row(number, cells))
            continue
        rows.append(Row(number, cells))
    return Table(
        tab=tab,
        columns=columns,
        rows=tuple(rows),
        height=height,
        extra_headers=extra,
        ambiguous=ambiguous,
        held=tuple(held),
        title=grid.title,
        merged=frozenset(merged),
        added=added,
        grid=grid if tab.weeks else None,
    )


def _place_missing(
    tab: Tab,
    columns: dict[str, int],
    ambiguous: Mapping[str, tuple[int, ...]],
    values: Sequence[Sequence[Cell]],
) -> tuple[str, ...]:
    """Place each sync-owned column whose header is missing, and each late one
    (:attr:`Column.late`), right of every cell the tab holds (a header-less column of notes is
    never written over), in ``columns``; returns their keys.

    A sync-owned tab whose ID header is missing is read this way too: the sync owns all of it."""
    missing = [
        c.key
        for c in tab.columns
        if (c.owner is Owner.SYNC or c.late) and c.key not in columns and c.key not in ambiguous
    ]
    if not missing:
        return ()
    last = 0
    for row in values:
        width = len(row)
        while width > last and is_blank(row[width - 1]):
            width -= 1
        last = max(last, width)
    for offset, key in enumerate(missing, start=1):
        columns[key] = last + offset
    return tuple(missing)


def _duplicate_header(tab: Tab, column: Column, found: Sequence[int]) -> Problem:
    letters = ", ".join(column_letter(i) for i in found[:-1]) + f" and {column_letter(found[-1])}"
    if column.owner is Owner.PEOPLE:
        effect = "until then no row of this tab is read, and nothing that depends on them changes"
    else:
        effect = "until then braingain writes into neither"
    return Problem(
        tab.title,
        1,
        column.header,
        f"the header {quote(column.header)} appears {len(found)} times (columns {letters}), so braingain "
        f"cannot tell which column to use; delete or rename all but one: {effect}",
    )


PLACEHOLDERS = frozenset({"loading...", "loading\u2026", "loading"})
"""What a spreadsheet shows while a formula (an imported range, a lookup) is still computing."""


def is_placeholder(value: Cell) -> bool:
    """Whether ``value`` is a formula's "Loading..." rather than a value."""
    if not isinstance(value, str) or len(value) >= 24:
        return False
    if value.isascii() and value.isprintable():  # the common case: cleaning only splits, folding lowers
        return " ".join(value.split()).lower() in PLACEHOLDERS
    return clean_text(value).casefold() in PLACEHOLDERS


def is_unreadable(value: Cell) -> bool:
    """Whether a cell holds no value yet: a formula error or a formula still loading."""
    return formula_error(value) is not None or is_placeholder(value)


def formula_error(value: Cell) -> str | None:
    """The formula error a cell shows ("#REF!"), or ``None``."""
    if not isinstance(value, str) or len(value) > 24 or "#" not in value:
        return None  # every formula error starts with "#"
    found = value.strip().upper()
    return found if found in FORMULA_ERRORS else None


def as_text(value: Cell) -> str:
    """A cell as the text a person typed (numbers without a spurious .0, dates in ISO)."""
    if type(value) is str:  # the common case first
        return value.strip()
    if value is None or isinstance(value, Uncalculated | Merged):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def row_id(value: Cell) -> str:
    """An ID cell as the text rows are matched by: cleaned as every value is (spacing, no-break and
    zero-width spaces), letter case kept (``SR-T01`` and ``sr-t01`` are different IDs)."""
    if type(value) is str:
        return _typed_id(value)
    return clean_text(as_text(value))


@remembered(maxsize=1 << 16)
def _typed_id(value: str) -> str:
    """:func:`row_id` of a string; remembered: a tracker names the same member and task IDs on
    row after row, and a plan matches them again."""
    return clean_text(value.strip())


def rows_with_ids(table: Table, problems: list[Problem]) -> list[tuple[Row, str]]:
    """The rows whose ID is present and unique, each with its ID (:func:`row_id`); the others are
    reported and skipped."""
    seen: dict[str, int] = {}
    result: list[tuple[Row, str]] = []
    key = table.tab.id_column
    header = table.tab.column(key).header
    for row in table.rows:
        raw = row.cells.get(key)
        ident = row_id(raw)
        # Text starting with a letter or digit (not an L) is neither a formula error ("#...") nor
        # "Loading...": the common case, checked no further.
        if not (type(raw) is str and raw[:1].isalnum() and raw[0] not in "Ll"):
            wrong = _id_problem(raw, ident)
            if wrong:
                problems.append(Problem(table.tab.title, row.number, header, wrong))
                continue
        if ident in seen:
            problems.append(
                Problem(
                    table.tab.title,
                    row.number,
                    header,
                    f"the ID {quote(ident)} is also used on row {seen[ident]}; give each row its own ID",
                )
            )
            continue
        seen[ident] = row.number
        result.append((row, ident))
    return result


def _id_problem(raw: Cell, ident: str) -> str:
    """Why an ID cell names no row (``raw`` as typed, ``ident`` its :func:`row_id`), or ``""``."""
    if isinstance(raw, Uncalculated):
        return f"the ID {UNCALCULATED} ({UNCALCULATED_HINT})"
    if isinstance(raw, Merged):
        return f"the ID is in merged cells ({raw.span}); {MERGED_HINT}"
    if not ident:
        return "has no ID; give the row an ID"
    if formula_error(ident):
        return f"the ID is a formula error {ident}; type the ID"
    if is_placeholder(ident):
        return "the ID is a formula that is still loading; wait until the sheet shows it, then sync again"
    return ""


def index_by_id(table: Table) -> dict[str, int]:
    """Row number of each ID (first occurrence): where sync-owned cells are written.

    Worked out once per table (a plan asks for it for every decision it writes); the caller
    gets its own copy."""
    if not table.index:
        key = table.tab.id_column
        for row in table.rows:
            ident = row_id(row.get(key))
            if ident and ident not in table.index:
                table.index[ident] = row.number
    return dict(table.index)


def plan_cells(
    table: Table, wanted: Mapping[str, Mapping[str, Cell]], *, equal: Any = None
) -> list[CellWrite]:
    """Writes that bring sync-owned cells of existing rows to ``wanted`` (by row ID, then column key).

    Only columns the schema marks as sync-owned are ever written; an unchanged cell is
    not written again.
    """
    same = equal or cells_equal
    rows = index_by_id(table)
    current = {r.number: r.cells for r in table.rows}
    writable = {k: i for k, i in table.columns.items() if table.tab.column(k).owner is Owner.SYNC}
    merged = table.merged
    writes: list[CellWrite] = []
    for ident, values in wanted.items():
        number = rows.get(ident)
        if number is None:
            continue
        cells = current[number]
        for key, value in values.items():
            index = writable.get(key)
            if index is None:
                table.tab.column(key)  # raises for a key the schema does not know
            elif merged and (number, index) in merged:
                continue  # a cell inside merged cells cannot be written; the merge is reported
            elif not same(cells.get(key), value):
                writes.append(CellWrite(table.where, number, index, value))
    return writes


def cells_equal(old: Cell, new: Cell) -> bool:
    """Whether writing ``new`` over ``old`` would change what a person sees."""
    if type(old) is type(new) and isinstance(old, str | int | float) and old == new:
        return True  # the common case: the cell already holds the value (a date-time compares by zone too)
    if old is None:  # an empty cell: only what shows as nothing leaves it as it is
        return is_blank(new) or as_text(new) == ""
    if is_blank(old) and is_blank(new):
        return True
    if isinstance(new, bool) or isinstance(old, bool):
        return as_text(old).casefold() in (as_text(new).casefold(), str(new).casefold())
    if isinstance(new, int | float) and isinstance(old, int | float):
        return float(old) == float(new)
    if isinstance(new, date) and isinstance(old, int | float) and getattr(new, "tzinfo", None) is None:
        # A date written as its serial number, read back by a backend that did not know the
        # column's type (a renamed tab): the number a date format shows as that date.
        from braingain.core.tracker.cells import to_serial  # (cells reads cells with this module)

        return float(old) == float(to_serial(new))
    return as_text(old) == as_text(new)


def rows_wait_for(
    tab: Tab, table: Table | None, rows: Sequence[Mapping[str, Cell]], *, missing: bool
) -> list[str]:
    """The headers a sync needs before it adds ``rows`` to ``tab`` (read as ``table``), or ``[]``:
    none while the tab is ``missing`` (the sync adds it, with every header); its ID header while
    the tab is there but that header is not (where its rows end is not known without it); each
    header the rows fill that the tab lacks (a row added there could not be read back)."""
    if missing or not rows:
        return []
    if table is None:
        return [tab.column(tab.id_column).header]
    filled = {key for row in rows for key, value in row.items() if not is_blank(value)}
    return [c.header for c in tab.columns if c.key in filled and c.key not in table.columns]


def table_height(table: Table | None) -> int:
    return table.height if table is not None else 1


def new_rows(
    tab: Tab, table: Table | None, start_row: int, rows: Sequence[Mapping[str, Cell]]
) -> list[CellWrite]:
    """Writes that append ``rows`` (by column key) below ``start_row`` - 1."""
    if not rows:
        return []
    columns = table.columns if table is not None else {c.key: i for i, c in enumerate(tab.columns, start=1)}
    title = table.where if table is not None else tab.title
    writes: list[CellWrite] = []
    for offset, values in enumerate(rows):
        for key, value in values.items():
            if key in columns and not is_blank(value):
                writes.append(CellWrite(title, start_row + offset, columns[key], value))
    return writes
