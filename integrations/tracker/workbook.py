"""The local workbook: the tracker as an .xlsx file, for groups that do not use Google.

:class:`LocalWorkbook` implements the core's
:class:`~braingain.core.ports.TrackerBackend` port over one .xlsx file, and
:func:`create_workbook` lays a new workbook out from the tracker schema (what
``braingain init --local PATH.xlsx`` and ``make demo`` use).

What this module promises:

- **Reads** give formula results, never formulas; a cached formula error arrives as its
  text ("#REF!"), and a formula with no stored result at all (a file written by a program
  that does not calculate) as :class:`~braingain.core.tracker.schema.Uncalculated`, never as an
  empty cell. A date-only cell arrives as a :class:`~datetime.date`.
- **Writes** keep everything they do not touch: other cells, formatting, validations,
  column widths, frozen panes, hidden tabs, and the last computed result of every
  formula (openpyxl drops those on save; they are put back, see :func:`_restore_results`).
- **Writes are atomic**: the new workbook is made in memory, written to a hidden
  temporary file in the same folder (``.NAME.braingain-<16 hex>.tmp``) and moved over the
  old one, so a crash never leaves half a workbook. A save killed on the way leaves that
  file, and the next save removes it (only such files, and only when no running save
  holds them). A failing disk (full, quota, I/O error, no permission) is one
  :class:`WorkbookError`, the workbook as it was and no temporary file left.
- **Writes go only where a spreadsheet program would save**: a workbook open in Excel
  or LibreOffice, saved by someone else since it was read, or read-only by its own
  permissions is never written: the sync tries again next time and nothing is lost. A
  workbook reached through a symbolic link is saved through it; its mode, and its owner
  and group where the system allows, are kept.
- A write that would make openpyxl drop something it cannot keep (a newer kind of data
  validation, slicers, shapes, images without Pillow...) is refused rather than
  silently destroying a person's work; reading such a workbook is fine.
- **One sync at a time**: :meth:`LocalWorkbook.exclusive` holds an operating-system lock
  (``filelock``) on a hidden file next to the workbook (``.NAME.braingain.lock``) from a
  sync's read to the end of its write; a second sync waits for it, a bounded time, or
  says another sync is running. The lock ends with the process that holds it, so a sync
  that was killed never leaves it held; the empty file stays, harmless, on purpose
  (removing it could let two syncs lock two different files).
"""

from __future__ import annotations

import contextlib
import copy
import errno
import io
import math
import os
import posixpath
import re
import secrets
import stat
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

try:
    import fcntl
except ImportError:  # Windows: a file open in another process cannot be removed anyway
    fcntl = None  # type: ignore[assignment]

# openpyxl writes through lxml when it is installed (python-docx brings it), into temporary files whose
# failures (a full disk) leave a generator open that Python reports on exit. Its standard-library
# writer, the one braingain was built and tested with, fails cleanly with an OSError: keep it, unless
# the environment chose otherwise (lxml's error is mapped too: see _os_error_of).
os.environ.setdefault("OPENPYXL_LXML", "False")

from filelock import FileLock, Timeout
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.numbers import is_datetime
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.hyperlink import Hyperlink

from braingain.core.errors import quote
from braingain.core.parsing import header_key
from braingain.core.tracker.gantt_tab import RULES, starts_formula, today_formula
from braingain.core.tracker.schema import (
    AddColumns,
    AddTab,
    Cell,
    CellLink,
    CellWrite,
    Column,
    Grid,
    Merge,
    Owner,
    Schema,
    Snapshot,
    Tab,
    TrackerWrite,
    Uncalculated,
    Unwritten,
    cells_equal,
)
from braingain.integrations.errors import SyncBusy, TrackerError
from braingain.integrations.text import busy_workbook, lock_refused
from braingain.integrations.tracker.formats import (
    COMMON_ZONES,
    DATE_FORMAT,
    DATETIME_FORMAT,
    PROBLEM_FILL,
    REFERENCES,
    SYNC_NOTE,
    WRAPPED,
    column_note,
    problem_formula,
    prompt,
)
from braingain.integrations.tracker.schema import load_schema

__all__ = ["COMMON_ZONES", "LISTS_TITLE", "SYNC_NOTE", "LocalWorkbook", "WorkbookError", "create_workbook"]

Results = dict[str, dict[str, tuple[str | None, str]]]
"""The stored results of formula cells: sheet title -> cell reference -> (type, text)."""

# openpyxl ships no type information: its objects are ``Any`` here, and never leave this module.
Sheet = Any
Book = Any

SUFFIX = ".xlsx"
MAX_ROW = 1_048_576
MAX_COLUMN = 16_384
MAX_TEXT = 32_767
"""Excel's limit on the characters in one cell."""
INLINE_LIST_LIMIT = 200
"""The longest dropdown list typed into the validation itself; longer ones go on the lists tab.

Excel refuses inline lists over 255 characters and some versions count separators and
non-ASCII letters differently, so the margin is generous: the CRediT roles (224
characters, with en dashes) live on the lists tab."""

LISTS_TITLE = "_lists"
"""The hidden tab holding dropdown lists too long (or too awkward) to type into a validation."""
MEMBER_IDS = "braingain_member_ids"
ZONES = "braingain_zones"
AUTHOR = "braingain"

_HEADER_FONT = Font(bold=True)
_SYNC_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFBFBFBF", end_color="FFBFBFBF")
_SYNC_COLUMN_FILL = PatternFill(fill_type="solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
_OVERDUE_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
_ACCEPTED_FILL = PatternFill(fill_type="solid", start_color="FFC6EFCE", end_color="FFC6EFCE")
_REWORK_FILL = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
_PROBLEM_FILL = PatternFill(fill_type="solid", start_color="FF" + PROBLEM_FILL, end_color="FF" + PROBLEM_FILL)
_PROBLEM_FONT = Font(bold=True, color="FF9C0006")
_LINK_COLOUR = "FF0563C1"
_OPTIONAL_HEADER_FONT = Font(bold=False, color="FF404040")
_LINE_HEIGHT = 15.0
"""Points per line of a wrapped cell (Calibri 11)."""
_MAX_ROW_HEIGHT = 409.0
"""Excel's tallest row, in points."""
_DEFAULT_WIDTH = 8.43
_CHARACTERS_PER_WIDTH = 1.2
"""Characters of ordinary text on one line of a column one unit wide (a unit is a digit's width)."""
_HEADER_HEIGHT = 2 * _LINE_HEIGHT + 2
"""The header row holds two lines: a long header wraps rather than widening its column."""
_PAGE_WIDTH = 200.0
"""The column widths (in characters) one landscape A4 page prints at about two thirds of full size:
a tab wider than this prints on more pages across, never smaller."""

"""Offered in the Time zone dropdown; any other IANA zone is accepted too (with a warning)."""

_WIDTHS = {
    "id": 16, "text": 22, "longtext": 40, "email": 28, "member": 16, "members": 28, "project": 12,
    "task": 12, "meeting": 14, "entry": 12, "output": 12, "date": 16, "datetime": 22, "number": 10,
    "integer": 10, "bool": 9, "choice": 14, "choices": 28, "zone": 20, "country": 20, "windows": 30,
}  # fmt: skip
_MAX_WIDTH = 60
_APPENDED_ID_WIDTH = 28
"""The IDs braingain makes (award:SR-T04:funmi.lawani) are longer than typed ones."""

# openpyxl warns when it reads something it will not write back; those would be lost on save.
_LOSS = re.compile(
    r"remov|lost|drop|ignor|discard|not supported|unable to read|cannot be (located|set)|invalid|treated as",
    re.IGNORECASE,
)

_INIT_HINT = "run braingain init --local {path} to create it"


class WorkbookError(TrackerError):
    """The local workbook cannot be read or written (missing, damaged, open in Excel...).

    ``reason`` says what is wrong and ``hint`` how to put it right; neither ever holds a
    cell's value.
    """


# --------------------------------------------------------------------------------------------
# The backend
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Seen:
    """What the file looked like when it was last read or written (to notice other writers)."""

    mtime_ns: int
    size: int


class LocalWorkbook:
    """The tracker as a local .xlsx workbook (the :class:`~braingain.core.ports.TrackerBackend` port).

    ``schema`` is used when a write adds a tab whose member dropdowns must find the
    Members tab; it defaults to the schema that ships with braingain.
    """

    def __init__(self, path: str | os.PathLike[str], *, schema: Schema | None = None) -> None:
        self.path = Path(path)
        self._schema = schema
        self._seen: _Seen | None = None

    def __repr__(self) -> str:
        return f"LocalWorkbook({str(self.path)!r})"

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            self._schema = load_schema()
        return self._schema

    @contextmanager
    def exclusive(self, wait: float) -> Iterator[None]:
        """Hold this workbook's sync lock for the block, so that no other sync reads or writes it meanwhile.

        Waits up to ``wait`` seconds (0: one try) for another sync to finish, then raises
        :class:`~braingain.integrations.errors.SyncBusy`. The lock is the hidden file
        ``.NAME.braingain.lock`` beside the workbook (beside its target, for a symbolic link),
        created readable and writable by everyone who may sync it. In a folder nobody can
        save in, no lock is needed (nothing can be written there), and the sync goes on
        without one; a lock file this user may not use is a :class:`WorkbookError`.
        """
        _stat(self.path)  # a missing workbook is reported as such, not as a lock problem
        target = Path(os.path.realpath(self.path))
        path = target.with_name(_LOCK.format(name=target.name))
        lock = FileLock(path, timeout=wait, mode=0o666)
        try:
            lock.acquire()
        except Timeout:
            message, hint = busy_workbook(self.path, path)
            raise SyncBusy(str(self.path), message, hint=hint) from None
        except OSError as error:
            if path.exists() or os.access(target.parent, os.W_OK | os.X_OK):
                message, hint = lock_refused(self.path, path, error.strerror or type(error).__name__)
                raise WorkbookError(message, hint=hint) from None
            locked = False  # a folder nobody can save in: reading is safe, and a write is refused anyway
        else:
            locked = True
        try:
            yield
        finally:
            if locked:
                lock.release()

    def read(self) -> Snapshot:
        """Every sheet's values (formula results), merged ranges and hidden flag, by title."""
        seen = _stat(self.path)
        book, _ = _load(self.path, data_only=True)
        pending = _uncalculated(self.path)
        try:
            grids = {sheet.title: _grid(sheet, pending.get(sheet.title, {})) for sheet in book.worksheets}
        finally:
            book.close()
        self._seen = seen
        # A save that was killed may have left its temporary file; it is ours, so tidy it now
        # rather than wait for a sync that has something to write (a live save's file is locked).
        _remove_leftovers(Path(os.path.realpath(self.path)))
        return Snapshot(grids=grids)

    def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
        """Add tabs and columns, then write every cell; atomically, keeping everything else.

        Refused (with :class:`WorkbookError`, the file untouched) when the workbook is
        open in Excel or LibreOffice, when it changed since :meth:`read`, or when saving
        would lose something openpyxl cannot keep, so nothing is ever held back (the
        answer is empty). An empty write does not touch the file.
        """
        if changes.empty:
            return ()
        _refuse_if_open(self.path)
        seen = _stat(self.path)
        _refuse_unwritable(self.path)
        if self._seen is not None and seen != self._seen:
            raise WorkbookError(
                f"the workbook {self.path} changed after braingain read it (it was saved during the sync)",
                hint="sync again; nothing is lost, braingain works the changes out again from what is there",
            )
        book, lost = _load(self.path, data_only=False)
        try:
            if lost:
                raise WorkbookError(
                    f"the workbook {self.path} has something braingain cannot keep when it saves: "
                    + "; ".join(sorted(set(lost))),
                    hint="remove it (or keep it in a separate workbook) so that braingain can write its "
                    "results; nothing has been changed",
                )
            results = _formula_results(self.path)
            active = book.active  # kept by title: openpyxl remembers it by position
            for change in changes.structure:
                if isinstance(change, AddTab):
                    _add_tab(book, change.tab, self.schema)
                else:
                    _add_columns(book, change, self.schema)
            if active is not None:
                book.active = active
            for tab_title, cells in changes.by_tab().items():
                sheet = _sheet(book, tab_title)
                if sheet is None:
                    raise WorkbookError(
                        f"the workbook {self.path} has no tab {quote(tab_title)} to write to",
                        hint="sync again; braingain adds missing tabs first",
                    )
                last = _last_row(sheet)
                for cell in cells:
                    _write_cell(sheet, cell)
                _grow_ranges(book, sheet, last, _last_row(sheet))
            if results:
                book.calculation.fullCalcOnLoad = True
            _save(book, self.path, results, keep_from=self.path)
        finally:
            book.close()
        self._seen = _stat(self.path)
        return ()


# --------------------------------------------------------------------------------------------
# Creating a workbook
# --------------------------------------------------------------------------------------------


def create_workbook(
    path: str | os.PathLike[str],
    schema: Schema,
    rows: Mapping[str, Sequence[Mapping[str, Cell]]] | None = None,
    *,
    overwrite: bool = False,
) -> LocalWorkbook:
    """A new tracker workbook at ``path``, one tab per schema tab, optionally with data rows.

    ``rows`` maps a tab key to its rows, each by column key; they fill the rows below
    the header in schema column order. An existing file is kept unless ``overwrite``.
    """
    target = Path(path)
    if target.suffix.lower() != SUFFIX:
        raise WorkbookError(
            f"{target} does not end in {SUFFIX}",
            hint=f"give a file name ending in {SUFFIX}, e.g. tracker.xlsx",
        )
    if target.exists() and not target.is_dir() and not overwrite:
        raise WorkbookError(
            f"{target} already exists; braingain will not overwrite it",
            hint="choose another file name, or move the old workbook away first",
        )
    if not _through_link(target).parent.is_dir():
        raise WorkbookError(
            f"the folder {_through_link(target).parent} does not exist", hint="create the folder first"
        )
    _refuse_if_open(target)
    _refuse_unwritable(target)
    book = Workbook()
    try:
        placeholder = book.active
        for tab in schema.tabs:
            _add_tab(book, tab, schema)
        book.remove(placeholder)
        for key, tab_rows in (rows or {}).items():
            _fill_rows(book, schema, key, tab_rows)
        _make_sane(book)
        _save(book, target, {})
    finally:
        book.close()
    return LocalWorkbook(target, schema=schema)


def _fill_rows(book: Book, schema: Schema, key: str, rows: Sequence[Mapping[str, Cell]]) -> None:
    try:
        tab = schema.tab(key)
    except KeyError:
        raise WorkbookError(
            f"the schema has no tab {quote(key)} to fill", hint="use a tab key from the schema"
        ) from None
    sheet = _sheet(book, tab.title)
    positions = {column.key: index for index, column in enumerate(tab.columns, start=1)}
    for number, row in enumerate(rows, start=2):
        for column_key, value in row.items():
            if column_key not in positions:
                raise WorkbookError(
                    f"the tab {quote(tab.title)} has no column {quote(column_key)}",
                    hint="use a column key from the schema",
                )
            _write_cell(sheet, CellWrite(tab.title, number, positions[column_key], value))


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _grid(sheet: Sheet, uncalculated: Mapping[tuple[int, int], str]) -> Grid:
    """The sheet's values; ``uncalculated`` holds the formulas without a stored result, by (row, column)."""
    rows: list[tuple[Cell, ...]] = []
    for raw in sheet.iter_rows(min_row=1, min_col=1, max_row=sheet.max_row, max_col=sheet.max_column):
        values = [_value(cell) for cell in raw]
        if uncalculated:
            values = [
                Uncalculated(uncalculated[cell.row, cell.column])
                if value is None and (cell.row, cell.column) in uncalculated
                else value
                for cell, value in zip(raw, values, strict=True)
            ]
        while values and values[-1] is None:
            values.pop()
        rows.append(tuple(values))
    while rows and not rows[-1]:
        rows.pop()
    merges = sorted(
        (Merge(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges),
        key=lambda m: (m.first_row, m.first_column, m.last_row, m.last_column),
    )
    return Grid(
        title=str(sheet.title),
        values=tuple(rows),
        merges=tuple(merges),
        hidden=sheet.sheet_state != "visible",
    )


def _value(cell: Any) -> Cell:
    """A cell's value as the core sees it (formula errors are their text)."""
    value: object = cell.value
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None and is_datetime(cell.number_format) == "date":
            return value.date()
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        return value.isoformat(timespec="minutes" if not (value.second or value.microsecond) else "seconds")
    if isinstance(value, timedelta):
        minutes = round(value.total_seconds() / 60)
        sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
        return f"{sign}{minutes // 60}:{minutes % 60:02d}"
    return str(value)  # rich text and anything else openpyxl hands back: its text


# --------------------------------------------------------------------------------------------
# Writing cells
# --------------------------------------------------------------------------------------------


def _write_cell(sheet: Sheet, write: CellWrite) -> None:
    where = f"{sheet.title}!{write.a1}" if 1 <= write.column <= MAX_COLUMN else sheet.title
    if not (1 <= write.row <= MAX_ROW and 1 <= write.column <= MAX_COLUMN):
        raise WorkbookError(
            f"cannot write to {where} (row {write.row}, column {write.column}): outside a sheet"
        )
    value = write.value
    if write.fill and not cells_equal(_value(sheet.cell(row=write.row, column=write.column)), write.was):
        return  # a person's own value stays
    if value is None or value == "":
        existing = sheet._cells.get((write.row, write.column))  # no new, empty cell for nothing
        if existing is not None and not isinstance(existing, MergedCell):
            existing.value = None
            if existing.hyperlink is not None and existing.hyperlink.location and not write.link:
                existing.hyperlink = None  # braingain's link to a problem that is gone
        return
    cell = sheet.cell(row=write.row, column=write.column)
    if isinstance(cell, MergedCell):
        raise WorkbookError(
            f"{where} is inside merged cells", hint="unmerge them so that every row has its own values"
        )
    if not cell.has_style:
        style = _column_style(sheet, write.column)
        if style is not None:
            cell._style = style  # the column's look, as Excel gives a cell typed there
    if write.link is not None:
        _link(cell, write.link)
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = _aware_text(value)  # Excel has no time zones: keep the offset, as text
    if isinstance(value, bool):
        value = "yes" if value else "no"  # as people type it, and as Google shows it
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 12] + " (truncated)"
        cell.value = text
        cell.data_type = "s"  # text, even when it starts with "=" or looks like "#REF!"
        if "\n" in text or (
            cell.alignment.wrap_text and len(text) > _column_width(sheet, cell.column) * _CHARACTERS_PER_WIDTH
        ):
            _wrap(sheet, cell, text)
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise WorkbookError(f"cannot write {value} to {where}: Excel has no such number")
    if not isinstance(value, bool | int | float | date):
        raise WorkbookError(f"cannot write a {type(value).__name__} to {where}")
    cell.value = value
    shown_as = is_datetime(cell.number_format)
    if isinstance(value, datetime):
        if shown_as != "datetime":  # a person's own date-time format stays
            cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        if shown_as != "date":
            cell.number_format = DATE_FORMAT
    elif shown_as:
        cell.number_format = "General"  # a number in a date-formatted cell would show as a date


def _wrap(sheet: Sheet, cell: Any, text: str) -> None:
    """A cell of several lines wraps, top-aligned, and its row is tall enough to show them all
    (a row a person made taller stays as tall)."""
    if not cell.alignment.wrap_text:
        alignment = copy.copy(cell.alignment)
        alignment.wrap_text, alignment.vertical = True, "top"
        cell.alignment = alignment
    width = _column_width(sheet, cell.column)
    per_line = max(1.0, width * _CHARACTERS_PER_WIDTH)
    lines = sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))
    height = min(_MAX_ROW_HEIGHT, _LINE_HEIGHT * lines + 3)
    row = sheet.row_dimensions[cell.row]
    if row.height is None or row.height < height:
        row.height = height


def _column_width(sheet: Sheet, index: int) -> float:
    """Column ``index``'s width, in characters."""
    for dimension in sheet.column_dimensions.values():
        low, high = _span(dimension)
        if low <= index <= high and dimension.width:
            return float(dimension.width)
    return _DEFAULT_WIDTH


def _link(cell: Any, link: CellLink) -> None:
    """``cell`` links to the tracker's cell ``link`` (a link inside the workbook)."""
    column = get_column_letter(max(link.column, 1))
    cell.hyperlink = Hyperlink(
        ref=cell.coordinate, location=f"{quote_sheetname(link.tab)}!{column}{link.row}"
    )
    font = copy.copy(cell.font)
    font.color, font.underline = _LINK_COLOUR, "single"  # the cell's own font, as a link
    cell.font = font


# --------------------------------------------------------------------------------------------
# Appended rows stay inside the tables, filters and names that cover the tab
# --------------------------------------------------------------------------------------------

_AREA = re.compile(r"(\$?[A-Z]{1,3}\$?)(\d+):(\$?[A-Z]{1,3}\$?)(\d+)")


def _last_row(sheet: Sheet) -> int:
    """The last row holding a value (1 when only the header, or nothing, is there)."""
    return max((row for (row, _), cell in sheet._cells.items() if cell.value not in (None, "")), default=1)


def _grown(area: str, last: int, now: int) -> str | None:
    """``area`` ("A1:J12", "$A$1:$J$12") reaching down to row ``now``, if it covered the tab's rows
    (it starts at the header or the first row under it, and reaches its last row ``last``) but
    stops short of ``now``; else ``None`` (it was a part of the tab, or already reaches far enough)."""
    found = _AREA.fullmatch(area)
    if found is None:
        return None
    first_row, last_row = int(found[2]), int(found[4])
    if first_row > 2 or not last <= last_row < now:
        return None
    return f"{found[1]}{first_row}:{found[3]}{now}"


def _grow_ranges(book: Book, sheet: Sheet, last: int, now: int) -> None:
    """Rows appended below row ``last`` (down to ``now``) join every Excel table, autofilter, print
    area and defined name that covered the tab, as they would if a person had typed them there.

    A table with a totals row is left alone (its last row is the totals, not data).
    """
    if now <= last:
        return
    for table in sheet.tables.values():
        grown = None if table.totalsRowCount else _grown(str(table.ref), last, now)
        if grown is not None:
            table.ref = grown
            if table.autoFilter is not None and table.autoFilter.ref:
                table.autoFilter.ref = grown
    if sheet.auto_filter.ref:
        grown = _grown(str(sheet.auto_filter.ref), last, now)
        if grown is not None:
            sheet.auto_filter.ref = grown
    if sheet.print_area:
        areas = [_in_sheet(part, sheet) for part in str(sheet.print_area).split(",")]
        if len(areas) == 1 and areas[0] is not None and (grown := _grown(areas[0], last, now)) is not None:
            sheet.print_area = grown
    for names in (book.defined_names, sheet.defined_names):
        for name in names.values():
            reference = str(name.attr_text or "")
            area = _in_sheet(reference, sheet)
            grown = _grown(area, last, now) if area is not None else None
            if grown is not None:
                name.attr_text = reference[: reference.rindex("!") + 1] + grown  # the tab as it was written


def _in_sheet(reference: str, sheet: Sheet) -> str | None:
    """The cell area of ``'Tab'!$A$1:$J$12`` if it is one area of ``sheet``, else ``None``."""
    where, bang, area = reference.strip().rpartition("!")
    if not bang:
        return None
    title = where[1:-1].replace("''", "'") if where.startswith("'") and where.endswith("'") else where
    return area if title == sheet.title and _AREA.fullmatch(area) else None


def _aware_text(value: datetime) -> str:
    return value.isoformat(timespec="minutes" if not (value.second or value.microsecond) else "seconds")


def _column_style(sheet: Sheet, index: int) -> Any:
    for dimension in sheet.column_dimensions.values():
        low, high = _span(dimension)
        if low <= index <= high:
            return copy.copy(dimension._style) if dimension.has_style else None
    return None


def _span(dimension: Any) -> tuple[int, int]:
    if dimension.min and dimension.max:
        return int(dimension.min), int(dimension.max)
    index = int(column_index_from_string(dimension.index))
    return index, index


def _column_dimension(sheet: Sheet, index: int) -> Any:
    """The dimension of column ``index`` alone, splitting a range of columns that covers it.

    Excel and LibreOffice group identical columns into one ``<col min max>``; writing
    a second dimension over part of one would make overlapping ranges, which Excel
    reports as damage.
    """
    letter = get_column_letter(index)
    dimensions = sheet.column_dimensions
    for key, dimension in list(dimensions.items()):
        low, high = _span(dimension)
        if not low <= index <= high or (low, high) == (index, index):
            continue
        del dimensions[key]
        for start, end in ((low, index - 1), (index, index), (index + 1, high)):
            if start > end:
                continue
            part = ColumnDimension(
                sheet,
                index=get_column_letter(start),
                width=dimension.width,
                bestFit=dimension.bestFit,
                hidden=dimension.hidden,
                outlineLevel=dimension.outlineLevel,
                collapsed=dimension.collapsed,
                min=start,
                max=end,
            )
            part._style = copy.copy(dimension._style)
            dimensions[get_column_letter(start)] = part
        break
    dimension = dimensions[letter]
    dimension.min = dimension.max = index
    return dimension


# --------------------------------------------------------------------------------------------
# Laying tabs out from the schema
# --------------------------------------------------------------------------------------------


def _add_tab(book: Book, tab: Tab, schema: Schema) -> None:
    if len(tab.title) > 31 or re.search(r"[\[\]:*?/\\]", tab.title) or tab.title.strip("'") != tab.title:
        raise WorkbookError(
            f"the tab title {quote(tab.title)} is not allowed in Excel",
            hint="titles have at most 31 characters and none of [ ] : * ? / \\",
        )
    if _sheet(book, tab.title) is not None:
        raise WorkbookError(
            f"the tab {quote(tab.title)} already exists",
            hint="sync again; braingain only adds tabs that are missing",
        )
    sheet = book.create_sheet(title=tab.title, index=_position(book, tab, schema))
    for index, column in enumerate(tab.columns, start=1):
        _lay_column(book, sheet, tab, column, index, schema)
    sheet.freeze_panes = "A2"
    if tab.hidden:
        sheet.sheet_state = "hidden"
    _print_setup(sheet, tab)
    sheet.row_dimensions[1].height = _HEADER_HEIGHT
    if not tab.sync_owned:
        _highlight_problems(sheet, tab, schema)
    if tab.key == "tasks":
        _highlight_tasks(sheet, tab)
    if tab.weeks:
        week_rules(sheet, tab)
    name = ids_name(tab.key)
    if name in book.defined_names:
        del book.defined_names[name]  # it pointed at the tab that went missing
        _ids(book, schema, tab.key)


def _print_setup(sheet: Sheet, tab: Tab) -> None:
    """Landscape; as few pages across as keep the text readable (:data:`_PAGE_WIDTH`), the header
    row and the ID column on every page, the grid printed, and the tab and page in the footer."""
    across = math.ceil(sum(_width(c, tab) for c in tab.columns) / _PAGE_WIDTH)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = max(1, across)
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    if across > 1:
        sheet.print_title_cols = "A:A"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "&A, page &P of &N"


def _highlight_problems(sheet: Sheet, tab: Tab, schema: Schema) -> None:
    """A cell the Problems tab lists stands out until the Problems tab no longer lists it: a
    conditional format, so that a person's own formatting and value are never touched."""
    formula = problem_formula(tab.title, schema, "A")
    if formula is None:
        return
    cells = f"A2:{get_column_letter(max(len(tab.columns), 26))}{MAX_ROW}"
    sheet.conditional_formatting.add(
        cells, FormulaRule(formula=[formula], fill=_PROBLEM_FILL, font=_PROBLEM_FONT, stopIfTrue=True)
    )


def _position(book: Book, tab: Tab, schema: Schema) -> int:
    """Where a new tab goes: after the last tab before it in the schema, before the lists."""
    titles = [header_key(str(s.title)) for s in book.worksheets]
    order = [header_key(t.title) for t in schema.tabs]
    wanted = header_key(tab.title)
    if wanted in order:
        before = set(order[: order.index(wanted)])
        found = [i for i, title in enumerate(titles) if title in before]
        if found:
            return max(found) + 1
        if any(title in order for title in titles):
            return 0
    lists = header_key(LISTS_TITLE)
    return titles.index(lists) if lists in titles else len(titles)


def _add_columns(book: Book, change: AddColumns, schema: Schema) -> None:
    """Append the columns right of the header row, from ``change.first_column`` if it is free.

    A column whose header is already there is left alone (the change was made before),
    and if ``first_column`` or a column after it already holds a header the new ones go
    right of the last header instead: nothing a person typed is ever written over.
    """
    sheet = _sheet(book, change.where)
    if sheet is None:
        raise WorkbookError(
            f"the tab {quote(change.where)} is missing, so its columns cannot be added", hint="sync again"
        )
    headers = {
        index: header_key(str(value))
        for index in range(1, sheet.max_column + 1)
        if (value := sheet.cell(row=1, column=index).value) is not None and header_key(str(value))
    }
    present = set(headers.values())  # matched as the core matches headers
    missing = [c for c in change.columns if header_key(c.header) not in present]
    start = max(change.first_column, 1)
    if any(index >= start for index in headers):
        start = max(headers) + 1
    if start + len(missing) - 1 > MAX_COLUMN:
        raise WorkbookError(f"the tab {quote(sheet.title)} has no room left for more columns")
    for index, column in enumerate(missing, start=start):
        _lay_column(book, sheet, change.tab, column, index, schema)


def _lay_column(book: Book, sheet: Sheet, tab: Tab, column: Column, index: int, schema: Schema) -> None:
    """Header (bold when required), note, width, column look and dropdown of one schema column."""
    letter = get_column_letter(index)
    sync = column.owner is Owner.SYNC
    header = sheet.cell(row=1, column=index)
    header.value = column.header
    header.data_type = "s"
    header.font = _HEADER_FONT if sync or column.required else _OPTIONAL_HEADER_FONT
    header.alignment = Alignment(wrap_text=True, vertical="top")
    if sync:
        header.fill = _SYNC_HEADER_FILL
    header.comment = Comment(column_note(column), AUTHOR, height=140, width=300)
    dimension = _column_dimension(sheet, index)
    dimension.width = _width(column, tab)
    if sync:
        dimension.fill = _SYNC_COLUMN_FILL
    dimension.alignment = Alignment(wrap_text=column.type in WRAPPED, vertical="top")
    if column.type == "date":
        dimension.number_format = DATE_FORMAT
    elif column.type == "datetime":
        dimension.number_format = DATETIME_FORMAT
    if not sync:
        validation = _validation(book, tab, column, schema, letter)
        if validation is not None:
            text = prompt(tab, column)
            if text:
                validation.showInputMessage = True
                validation.promptTitle = column.header[:32]
                validation.prompt = text[:255]
            validation.add(f"{letter}2:{letter}{MAX_ROW}")
            sheet.add_data_validation(validation)


def _width(column: Column, tab: Tab) -> float:
    base = _WIDTHS.get(column.type, 16)
    if column.key == tab.id_column and tab.sync_appends:
        base = _APPENDED_ID_WIDTH
    if column.type == "choice" and column.choices:
        base = max(base, max(len(c) for c in column.choices) + 4)
    if column.type == "longtext" and column.owner is Owner.SYNC:
        base = _MAX_WIDTH  # braingain's long answers (authors, reasons): one line per member or role
    return float(min(_MAX_WIDTH, max(base, min(len(column.header), 24) + 4)))


def _validation(book: Book, tab: Tab, column: Column, schema: Schema, letter: str) -> Any:
    if column.key == tab.id_column:
        return DataValidation(
            type="custom",
            formula1=f"COUNTIF(${letter}:${letter},{letter}2)<=1",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="ID used twice",
            error="Another row has this ID. Each row needs its own ID: choose No to change it.",
        )
    if column.type == "choice" and column.choices:
        inline = ",".join(column.choices)
        if (
            len(inline) <= INLINE_LIST_LIMIT
            and inline.isascii()
            and not any("," in c or '"' in c for c in column.choices)
        ):
            source = f'"{inline}"'
        else:
            source = _list_name(book, f"braingain_{tab.key}_{column.key}", column.choices)
        return _dropdown(source, f"Choose one of the {column.header} values in the list.")
    if column.type == "bool":
        return _dropdown('"yes,no"', "Choose yes or no.")
    if column.type in REFERENCES:
        kind = REFERENCES[column.type]
        ids = _ids(book, schema, kind)
        if ids is None:
            return None
        title = schema.tab(kind).title
        if column.type == "member":
            return _dropdown(ids, "Choose a member ID from the Members tab (add new members there first).")
        return _dropdown(
            ids, f"This is not an ID on the {title} tab. Choose Yes to keep it anyway.", warning=True
        )
    if column.type == "zone":
        return _dropdown(
            _list_name(book, ZONES, COMMON_ZONES),
            "This is not one of the common time zones in the list. Any other Region/City zone "
            "(e.g. Asia/Kathmandu) is fine: choose Yes to keep it.",
            warning=True,
        )
    return None


def _dropdown(source: str, message: str, *, warning: bool = False) -> Any:
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning" if warning else "stop",
        errorTitle="Not in the list",
        error=message,
    )


def _list_name(book: Book, name: str, values: Sequence[str]) -> str:
    """A workbook name for ``values`` kept in a column of the hidden lists tab."""
    lists = _sheet(book, LISTS_TITLE)
    if lists is None:
        lists = book.create_sheet(title=LISTS_TITLE)
        lists.sheet_state = "hidden"
    index = next(
        (c for c in range(1, lists.max_column + 1) if lists.cell(row=1, column=c).value == name), None
    )
    if index is None:
        used = lists.max_column if lists.cell(row=1, column=1).value is not None else 0
        index = used + 1
    old_height = lists.max_row
    lists.cell(row=1, column=index).value = name
    lists.cell(row=1, column=index).font = _HEADER_FONT
    for row, value in enumerate(values, start=2):
        lists.cell(row=row, column=index).value = value
        lists.cell(row=row, column=index).data_type = "s"
    for row in range(len(values) + 2, old_height + 1):
        lists.cell(row=row, column=index).value = None
    lists.column_dimensions[get_column_letter(index)].width = float(
        min(_MAX_WIDTH, max(len(name), *(len(v) for v in values)) + 2)
    )
    letter = get_column_letter(index)
    _define(book, name, f"{quote_sheetname(LISTS_TITLE)}!${letter}$2:${letter}${len(values) + 1}")
    return name


def ids_name(kind: str) -> str:
    """The workbook name of the IDs on the tab ``kind`` (a tab key)."""
    return MEMBER_IDS if kind == "members" else f"braingain_{kind}_ids"


def _ids(book: Book, schema: Schema, kind: str) -> str | None:
    """A workbook name for the IDs on the tab ``kind`` (however many there are), if it exists."""
    name = ids_name(kind)
    if name in book.defined_names:
        return name
    try:
        tab = schema.tab(kind)
    except KeyError:
        return None
    sheet = _sheet(book, tab.title)
    if sheet is None:
        return None
    header = header_key(tab.column(tab.id_column).header)
    index = next(
        (
            c
            for c in range(1, sheet.max_column + 1)
            if header_key(str(sheet.cell(row=1, column=c).value or "")) == header
        ),
        None,
    )
    if index is None:
        return None
    letter = get_column_letter(index)
    where = quote_sheetname(sheet.title)
    _define(book, name, f"OFFSET({where}!${letter}$2,0,0,MAX(1,COUNTA({where}!${letter}:${letter})-1),1)")
    return name


def _define(book: Book, name: str, formula: str) -> None:
    book.defined_names[name] = DefinedName(name, attr_text=formula)


def _highlight_tasks(sheet: Sheet, tab: Tab) -> None:
    """Overdue tasks red, accepted green, needs rework amber (by the columns' schema positions)."""
    keys = [c.key for c in tab.columns]
    if "status" not in keys:
        return
    status = get_column_letter(keys.index("status") + 1)
    cells = f"A2:{get_column_letter(len(keys))}{MAX_ROW}"
    state = f"LOWER(TRIM(${status}2))"
    if "due" in keys:
        due = get_column_letter(keys.index("due") + 1)
        overdue = f'AND(ISNUMBER(${due}2),${due}2<TODAY(),{state}<>"accepted",{state}<>"cancelled")'
        sheet.conditional_formatting.add(
            cells, FormulaRule(formula=[overdue], fill=_OVERDUE_FILL, stopIfTrue=True)
        )
    sheet.conditional_formatting.add(
        cells, FormulaRule(formula=[f'{state}="accepted"'], fill=_ACCEPTED_FILL, stopIfTrue=True)
    )
    sheet.conditional_formatting.add(
        cells, FormulaRule(formula=[f'{state}="needs rework"'], fill=_REWORK_FILL, stopIfTrue=True)
    )


def week_rules(sheet: Sheet, tab: Tab) -> None:
    """The Gantt tab's conditional format rules (:data:`~braingain.core.tracker.gantt_tab.RULES`),
    in order: a code's colour on every week cell right of the tab's columns (to the sheet's last
    column and row, so that weeks the sync adds later are covered and no rule is added again), and
    this week's column by ``TODAY()`` (its header and blank cells)."""
    letter = get_column_letter(len(tab.columns) + 1)
    body = f"{letter}2:{get_column_letter(MAX_COLUMN)}{MAX_ROW}"
    whole = f"{letter}1:{get_column_letter(MAX_COLUMN)}{MAX_ROW}"
    for rule in RULES:
        fill = PatternFill(fill_type="solid", start_color="FF" + rule.colour, end_color="FF" + rule.colour)
        font = Font(bold=True) if rule.bold else None
        if rule.kind == "equals":
            made = CellIsRule(operator="equal", formula=[f'"{rule.text}"'], fill=fill, font=font)
            sheet.conditional_formatting.add(body, made)
        elif rule.kind == "starts":
            made = FormulaRule(formula=[starts_formula(letter, rule.text)], fill=fill, font=font)
            sheet.conditional_formatting.add(body, made)
        else:
            made = FormulaRule(formula=[today_formula(letter)], fill=fill, font=font)
            sheet.conditional_formatting.add(whole, made)


def _make_sane(book: Book) -> None:
    """A visible tab is the active one and the only one selected (Excel objects otherwise)."""
    visible = [i for i, s in enumerate(book.worksheets) if s.sheet_state == "visible"]
    if not visible:
        raise WorkbookError("every tab of the workbook is hidden", hint="unhide at least one tab")
    active = book.active
    if active is None or active.sheet_state != "visible":
        book.active = visible[0]
        active = book.active
    for sheet in book.worksheets:
        for view in sheet.views.sheetView:
            view.tabSelected = sheet is active


def _sheet(book: Book, title: str) -> Sheet | None:
    """The sheet titled ``title`` (exactly, else as headers are matched), as the Snapshot finds it."""
    sheets = book.worksheets
    found = next((s for s in sheets if s.title == title), None)
    if found is not None:
        return found
    key = header_key(title)
    return next((s for s in sheets if header_key(str(s.title)) == key), None)


# --------------------------------------------------------------------------------------------
# Files: loading, locks, atomic saving
# --------------------------------------------------------------------------------------------


def _stat(path: Path) -> _Seen:
    _check_suffix(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise WorkbookError(
            f"the workbook {path} does not exist", hint=_INIT_HINT.format(path=path)
        ) from None
    except OSError as error:
        raise WorkbookError(
            f"cannot open the workbook {path}: {error.strerror or type(error).__name__}"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookError(f"{path} is not a file", hint="give the path of an .xlsx workbook")
    return _Seen(info.st_mtime_ns, info.st_size)


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() != SUFFIX:
        raise WorkbookError(
            f"{path} is not an .xlsx workbook",
            hint="save it from Excel or LibreOffice as an Excel workbook (.xlsx), "
            f"or {_INIT_HINT.format(path=path.with_suffix(SUFFIX))}",
        )


def _load(path: Path, *, data_only: bool) -> tuple[Book, list[str]]:
    """The workbook, and what openpyxl said it would not keep."""
    _check_suffix(path)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            book = load_workbook(path, data_only=data_only)
        except FileNotFoundError:
            raise WorkbookError(
                f"the workbook {path} does not exist", hint=_INIT_HINT.format(path=path)
            ) from None
        except OSError as error:
            if isinstance(error, zipfile.BadZipFile):
                raise _damaged(path) from error
            raise WorkbookError(f"cannot open the workbook {path}: {error.strerror or error}") from None
        except Exception as error:  # openpyxl raises many kinds on a damaged file
            raise _damaged(path) from error
    lost = [str(w.message) for w in said if _LOSS.search(str(w.message))]
    return book, lost


def _damaged(path: Path) -> WorkbookError:
    return WorkbookError(
        f"{path} is not an Excel workbook braingain can read (it is damaged, or in another format)",
        hint="open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx), "
        f"or move it away and {_INIT_HINT.format(path=path)}",
    )


def _lock_files(path: Path) -> list[Path]:
    """The lock files Excel (~$NAME) and LibreOffice (.~lock.NAME#) keep next to an open workbook.

    A workbook reached through a symbolic link may be open under either name.
    """
    names = dict.fromkeys((path, _through_link(path)))
    candidates = [
        lock
        for name in names
        for lock in (name.with_name(f"~${name.name}"), name.with_name(f".~lock.{name.name}#"))
    ]
    return [lock for lock in candidates if lock.exists()]


def _refuse_if_open(path: Path) -> None:
    locks = _lock_files(path)
    if locks:
        raise WorkbookError(
            f"the workbook {path} is open in another program (Excel or LibreOffice left {locks[0].name} "
            "next to it), so braingain did not write to it",
            hint="close it there and sync again; nothing is lost, braingain works the changes out again "
            f"on the next sync. If it is not open anywhere, delete {locks[0]}",
        )


def _through_link(path: Path) -> Path:
    """The file a save replaces: the target of a symbolic link, as spreadsheet programs save through it.

    Replacing the link itself would leave the real workbook behind, unchanged, and the
    link turned into a copy.
    """
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _refuse_unwritable(path: Path) -> None:
    """Refuse, before anything is written, to save where a spreadsheet program would not.

    A workbook whose own permissions say read-only is not replaced (a rename needs only a
    writable folder, so the file's mode must be asked): nobody may write it, or this user
    may not. The folder must take the new copy that is swapped in.
    """
    target = _through_link(path)
    shown = path if target == path else f"{path} (a link to {target})"
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise WorkbookError(f"cannot open the workbook {shown}: {error.strerror or error}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise WorkbookError(
                f"{shown} is a folder, not a workbook",
                hint="give the path of an .xlsx file, e.g. tracker.xlsx",
            )
        if not stat.S_ISREG(info.st_mode):
            raise WorkbookError(f"{shown} is not a file", hint="give the path of an .xlsx workbook")
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise WorkbookError(
                f"the workbook {shown} is read-only (its file permissions do not allow changes), "
                "so braingain did not write to it",
                hint=f"make it writable (chmod u+w {target}, or untick Read-only in its properties) and "
                "sync again; nothing is lost, braingain works the changes out again on the next sync",
            )
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise _save_failed(path, PermissionError(errno.EACCES, "Permission denied"), existed=info is not None)


_WHY: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full", "free some space on that disk"),
    errno.EIO: ("the disk reported an input/output error", "check the disk (or the network share)"),
    errno.EROFS: ("the folder is on a read-only disk", "move the workbook to a disk that can be written to"),
    errno.EFBIG: (
        "the file would be larger than this system allows there",
        "move the workbook to another disk, or raise the file size limit (ulimit -f)",
    ),
    errno.EACCES: (
        "braingain may not create or replace files in the folder {folder}",
        "allow writing in that folder (braingain saves a new copy next to the workbook, then swaps it in), "
        "or move the workbook to a folder you can write to",
    ),
}
_WHY[errno.EPERM] = _WHY[errno.EACCES]
if hasattr(errno, "EDQUOT"):
    _WHY[errno.EDQUOT] = ("your disk quota is used up", "free some space, or ask for a larger quota")


def _os_error_of(error: etree.SerialisationError) -> OSError:
    """The operating system's error behind lxml's ``IO_<ERRNO>`` serialisation error (EIO if unnamed)."""
    name = str(error).strip().removeprefix("IO_")
    number = getattr(errno, name, errno.EIO) if name.isupper() else errno.EIO
    return OSError(number, os.strerror(number))


def _save_failed(path: Path, error: OSError, *, existed: bool) -> WorkbookError:
    """One clear message for a save the system refused: where, why, and how to put it right."""
    known = _WHY.get(error.errno or 0)
    if known is None:
        why, fix = error.strerror or str(error) or type(error).__name__, "put that right, then"
    else:
        why, fix = known[0].format(folder=_through_link(path).parent), f"{known[1]}, then"
    if existed:
        return WorkbookError(
            f"could not save the workbook {path}: {why}; it is unchanged",
            hint=f"{fix} sync again; nothing is lost, braingain works the changes out again on the next sync",
        )
    return WorkbookError(
        f"could not save the workbook {path}: {why}; nothing was created", hint=f"{fix} try again"
    )


def _save(book: Book, path: Path, results: Results, *, keep_from: Path | None = None) -> None:
    """Save ``book`` over ``path`` atomically, with formula ``results`` put back.

    The whole workbook is made in memory first, so a failing disk can only interrupt
    plain writes of finished bytes. With ``keep_from`` (the workbook as it was), refuse
    if the saved workbook lost images, charts, comments or other parts the original had.
    Raises :class:`WorkbookError` for every failure, the workbook as it was.
    """

    def check(saved: Path) -> None:
        if keep_from is None:
            return
        lost = _lost_parts(keep_from, saved)
        if lost:
            raise WorkbookError(
                f"saving the workbook {path} would lose its {', '.join(lost)}, which braingain cannot keep",
                hint="move them to another workbook so that braingain can write its results; "
                "nothing has been changed",
            )

    target = _through_link(path)
    existed = target.exists()
    try:
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
        if results:
            restored = io.BytesIO()
            _restore_results(content, results, restored)
            content = restored.getvalue()
        _replace_atomically(target, content, check)
    except OSError as error:
        raise _save_failed(path, error, existed=existed) from error
    except etree.SerialisationError as error:
        # openpyxl writes each sheet through lxml into a temporary file when lxml is installed: a
        # disk that is full (or a file size limit) reaches us as lxml's error, named "IO_ENOSPC".
        raise _save_failed(path, _os_error_of(error), existed=existed) from error


_LOCK = ".{name}.braingain.lock"
"""The sync lock's file: hidden, next to the workbook, named for it (see :meth:`LocalWorkbook.exclusive`)."""

# A save's temporary file: hidden, next to the workbook, named for it and for braingain.
# Versions before 0.2 named it ".NAME.<8 hex>.tmp"; their leftovers are recognised too.
_TEMPORARY = ".{name}.braingain-{token}.tmp"
_LEFTOVER = r"\.{name}\.(?:braingain-[0-9a-f]{{16}}|[0-9a-f]{{8}})\.tmp"


def _replace_atomically(target: Path, content: bytes, check: Callable[[Path], None]) -> None:
    """Write ``content`` to a temporary file next to ``target``, ``check`` it, then move it over ``target``.

    The temporary file keeps the workbook's mode and (where allowed) its owner and
    group. While it exists it is locked, so that a later save can tell a leftover of a
    sync that was killed (removed, see :func:`_remove_leftovers`) from a save under way.
    """
    _remove_leftovers(target)
    try:
        before: os.stat_result | None = target.stat()
    except FileNotFoundError:
        before = None
    temporary = target.with_name(_TEMPORARY.format(name=target.name, token=secrets.token_hex(8)))
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o666)
    open_ = True
    try:
        _lock(descriptor)
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
        check(temporary)
        if before is not None:
            _keep_owner_and_mode(descriptor, temporary, before)
        if os.name != "posix":  # Windows cannot rename a file that is still open
            os.close(descriptor)
            open_ = False
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    finally:
        if open_:
            os.close(descriptor)
    _sync_folder(target.parent)


def _lock(descriptor: int) -> None:
    """Hold an advisory lock on a temporary file for as long as this process keeps it open."""
    if fcntl is not None:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _keep_owner_and_mode(descriptor: int, temporary: Path, before: os.stat_result) -> None:
    """Give the new copy the workbook's permissions, and its owner and group where the system allows."""
    if hasattr(os, "fchown"):
        try:
            os.fchown(descriptor, before.st_uid, before.st_gid)  # only an administrator may give a file away
        except OSError:
            with contextlib.suppress(OSError):
                os.fchown(descriptor, -1, before.st_gid)  # a group the user belongs to
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, stat.S_IMODE(before.st_mode))
    else:
        os.chmod(temporary, stat.S_IMODE(before.st_mode))


def _remove_leftovers(target: Path) -> None:
    """Remove temporary files a save of this workbook left when its process was killed.

    Only files named as braingain names them for this workbook are considered, and only
    those that hold nothing or the start of a workbook and that no running save holds
    locked; anything else (a person's file, a link, a folder) is never touched.
    """
    pattern = re.compile(_LEFTOVER.format(name=re.escape(target.name)))
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if pattern.fullmatch(name):
            with contextlib.suppress(OSError):
                _remove_if_abandoned(target.parent / name)


def _remove_if_abandoned(leftover: Path) -> None:
    if not stat.S_ISREG(os.lstat(leftover).st_mode):
        return
    descriptor = os.open(leftover, os.O_RDWR | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        if os.read(descriptor, 2) not in (b"", b"PK"):
            return  # not a workbook braingain was writing
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a save under way, in another process
        os.unlink(leftover)  # (on Windows this fails while another process has it open)
    finally:
        os.close(descriptor)


# Parts a person put in the workbook that openpyxl may not write back (images without
# Pillow, shapes, slicers, form controls...), by a marker in their content type. Excel's
# threaded comments are the exception: openpyxl keeps the note Excel stores beside each
# thread (its text and replies), so losing the thread itself does not stop a write.
_KEEP: dict[str, str | None] = {
    "threadedcomments": None,
    "image/": "images",
    "drawingml.chart": "charts",
    "drawing+xml": "drawings",
    "comments+xml": "comments",
    "slicer": "slicers",
    "timeline": "timelines",
    "controlproperties": "form controls",
    "activex": "ActiveX controls",
    "pivottable": "pivot tables",
    "table+xml": "tables",
}


def _lost_parts(before: Path, after: Path) -> list[str]:
    """The kinds of part ``after`` has fewer of than ``before`` (e.g. ["images"])."""
    try:
        with zipfile.ZipFile(before) as old, zipfile.ZipFile(after) as new:
            had, has = _kinds(old), _kinds(new)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return []  # openpyxl read the original, so it is a workbook; nothing to compare here
    return sorted(kind for kind, count in had.items() if has.get(kind, 0) < count)


def _kinds(archive: zipfile.ZipFile) -> dict[str, int]:
    types = ElementTree.fromstring(archive.read("[Content_Types].xml"))  # noqa: S314 (the person's workbook)
    namespace = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {
        str(e.get("Extension", "")).lower(): str(e.get("ContentType", ""))
        for e in types.iter(f"{namespace}Default")
    }
    overrides = {
        str(e.get("PartName", "")): str(e.get("ContentType", "")) for e in types.iter(f"{namespace}Override")
    }
    counts: dict[str, int] = {}
    for name in archive.namelist():
        kind_of = overrides.get("/" + name) or defaults.get(posixpath.splitext(name)[1][1:].lower(), "")
        kind_of = kind_of.lower()
        if name.startswith("xl/embeddings/"):
            kind_of = "embedded objects"
            counts[kind_of] = counts.get(kind_of, 0) + 1
            continue
        kind = next((k for marker, k in _KEEP.items() if marker in kind_of), None)
        if kind is not None:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# --------------------------------------------------------------------------------------------
# Keeping formula results across a save
# --------------------------------------------------------------------------------------------
#
# openpyxl writes a formula without its last computed result, so until someone opens and
# saves the workbook in Excel or LibreOffice every formula would read as empty. The results
# are copied from the workbook as it was into the one openpyxl wrote, cell by cell, exactly
# as they were stored (a result may be stale if it depends on a cell this write changed;
# Excel and LibreOffice recalculate on opening, as the write asks them to).

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOCUMENT_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RESULT_TYPES = frozenset({None, "n", "b", "e", "str"})
# A formula cell as openpyxl writes it: <c r="B2" s="3"><f>A2*2</f><v /></c> (over ElementTree),
# <v></v> (over lxml, installed for other work: openpyxl uses it whenever it can be imported)
_WRITTEN_FORMULA = re.compile(
    rb'<c r="(?P<ref>[A-Z]{1,3}[0-9]{1,7})"(?P<attrs>[^>]*)>(?P<f><f\b[^>]*>[^<]*</f>|<f\b[^>]*/>)'
    rb"(?:<v\s*/>|<v></v>)</c>"
)


def _formula_results(path: Path) -> Results:
    """The stored result of every formula cell, by sheet title and cell reference."""
    results: Results = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for title, part in _sheet_parts(archive).items():
                found = dict(_results_in(archive, part))
                if found:
                    results[title] = found
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}  # openpyxl read it; if these parts are odd, formulas simply go without results
    return results


# A formula element, whatever its namespace prefix ("<f>", "<f t=\"shared\" .../>", "<x:f>");
# "<formula1>" of a data validation is not one.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_TEXT_RESULTS = frozenset({"str", "s", "inlineStr"})


def _uncalculated(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """The formula cells that hold no result, by sheet title, then (row, column): their formula text.

    A formula whose result is the empty text keeps ``t="str"`` and counts as calculated. A
    sheet with no formula at all is not parsed, so a read stays one pass over the values.
    """
    found: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for title, part in _sheet_parts(archive).items():
                content = archive.read(part)
                if not _FORMULA_TAG.search(content):
                    continue
                cells = dict(_uncalculated_in(content))
                if cells:
                    found[title] = cells
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}  # openpyxl read it; if these parts are odd, such cells simply read as empty
    return found


def _uncalculated_in(content: bytes) -> Iterator[tuple[tuple[int, int], str]]:
    cell_tag, formula_tag, value_tag = (f"{{{_MAIN}}}{name}" for name in ("c", "f", "v"))
    for _, element in ElementTree.iterparse(io.BytesIO(content)):  # noqa: S314 (the person's own workbook)
        if element.tag != cell_tag:
            continue
        formula, value, ref = element.find(formula_tag), element.find(value_tag), element.get("r")
        no_result = value is None or (not value.text and element.get("t") not in _TEXT_RESULTS)
        if formula is not None and ref and no_result:
            letters = ref.rstrip("0123456789")
            yield (int(ref[len(letters) :]), column_index_from_string(letters)), formula.text or ""
        element.clear()


def _results_in(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[str, tuple[str | None, str]]]:
    content = archive.read(part)
    if b"<f" not in content and b":f" not in content:  # no formula at all (":f": a prefixed tag)
        return
    cell_tag, formula_tag, value_tag = (f"{{{_MAIN}}}{name}" for name in ("c", "f", "v"))
    for _, element in ElementTree.iterparse(io.BytesIO(content)):  # noqa: S314 (the person's own workbook)
        if element.tag != cell_tag:
            continue
        formula, value, kind, ref = (
            element.find(formula_tag),
            element.find(value_tag),
            element.get("t"),
            element.get("r"),
        )
        if formula is not None and value is not None and value.text and ref and kind in _RESULT_TYPES:
            yield ref, (kind, value.text)
        element.clear()


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """The part (file in the zip) holding each worksheet, by title."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314 (as above)
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    targets = {
        r.get("Id"): str(r.get("Target")) for r in relations.iter(f"{{{_PACKAGE_RELATIONS}}}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_DOCUMENT_RELATIONS}}}id"))
        title = sheet.get("name")
        if target and title:
            parts[title] = target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return parts


def _restore_results(written: bytes, results: Results, out: IO[bytes]) -> None:
    with (
        zipfile.ZipFile(io.BytesIO(written)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target,
    ):
        parts = {part: results[title] for title, part in _sheet_parts(source).items() if title in results}
        for info in source.infolist():
            content = source.read(info)
            if info.filename in parts:
                content = _with_results(content, parts[info.filename])
            target.writestr(info, content)


def _with_results(xml: bytes, results: Mapping[str, tuple[str | None, str]]) -> bytes:
    def put(match: re.Match[bytes]) -> bytes:
        found = results.get(match["ref"].decode("ascii"))
        if found is None or b" t=" in match["attrs"]:
            return match[0]
        kind, text = found
        kind_attribute = f' t="{kind}"'.encode() if kind not in (None, "n") else b""
        value = escape(text).encode("utf-8")
        return b'<c r="%s"%s%s>%s<v>%s</v></c>' % (
            match["ref"],
            match["attrs"],
            kind_attribute,
            match["f"],
            value,
        )

    return _WRITTEN_FORMULA.sub(put, xml)
