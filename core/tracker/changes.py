"""What a sync changes in the tracker, in words a leader reads: ``braingain plan`` and ``sync``.

:func:`describe` turns a :class:`~braingain.core.tracker.plan.TrackerPlan` and the tables it was
planned from into a :class:`Changes`:

- ``decisions``: what the group decided, first and in words, from what the decision means rather
  than from the cells: who is chosen for a task (and why, from the volunteering ranking), a
  change of author order per output, task status changes taken from the tracker, points
  awarded, disputes resolved, Ledger entries written back, meetings scheduled ahead;
- ``structure``: tabs and columns the sync adds;
- ``changes``: every cell written on an existing row, with its old value (what the tracker holds
  now) and its new one, the row's ID and what it names ("SR-T09 / Zainab Musawa"), the
  column's header;
- ``appended``: rows added below a tab (Ledger awards, meetings scheduled ahead), and the
  Problems tab's rows newly listed or no longer listed;
- ``remembered``: how many things braingain keeps in its hidden tab, when this write changes it;
- ``redrawn``: a tab braingain draws whole (the Gantt tab) in one line each: ``Gantt: 3 weeks
  added, 5 cells changed``, never cell by cell.

Everything is computed generically from the write and the read tables, whatever form a value
is written in. Values are given as a person reads them (:func:`said`): dates and date-times in
words with their weekday and year, yes/no for booleans. Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from braingain.core.authorship.ledger import EntryKind, LedgerEntry
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.authorship.volunteering import (
    Candidate,
    Selection,
    TrackRecord,
    Volunteer,
    select_volunteers,
    track_records,
    why_ahead,
)
from braingain.core.errors import BraingainError, DomainError, quote
from braingain.core.group import Group
from braingain.core.ids import MemberId, OutputId, TaskId
from braingain.core.members import time_zone
from braingain.core.tracker.cells import UTC_ZONE, boolean, datetime_value, gives_zone, items
from braingain.core.tracker.gantt_tab import said_change
from braingain.core.tracker.plan import RANKED, TrackerPlan, member_names
from braingain.core.tracker.read import ReadResult, StatusChange, import_applied
from braingain.core.tracker.schema import (
    AddColumns,
    AddTab,
    Cell,
    Merged,
    Row,
    Schema,
    Table,
    Uncalculated,
    as_text,
    index_by_id,
    is_blank,
    row_id,
)


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision in words. ``kind``: ``selection``, ``authors``, ``status``, ``award``,
    ``dispute``, ``restored`` or ``meeting``; ``about``: the ID of the task, output, dispute or
    meeting it is about; ``text``: the sentence."""

    kind: str
    about: str
    text: str


@dataclass(frozen=True, slots=True)
class CellChange:
    """One cell of an existing row: ``tab`` (its title as the tracker has it), ``row`` (1-based),
    ``id`` (the row's ID, ``""`` when it has none), ``names`` (whom or what the row is about, e.g.
    ``("SR-T09", "Zainab Musawa")``), ``column`` (the header), ``old`` and ``new`` as a person
    reads them (``""`` for an empty cell)."""

    tab: str
    row: int
    id: str
    names: tuple[str, ...]
    column: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RowChange:
    """A row the sync adds below a tab (``added``), or a Problems row it no longer lists (not
    ``added``): ``tab``, ``row`` (1-based, where it is written or was), ``id``, ``text`` (the row
    in words) and ``cells`` (each filled column's header and value, as a person reads them)."""

    tab: str
    row: int
    id: str
    text: str
    cells: tuple[tuple[str, str], ...] = ()
    added: bool = True


@dataclass(frozen=True, slots=True)
class Changes:
    """Everything a write changes, in words; see the module's docstring."""

    decisions: tuple[Decision, ...] = ()
    structure: tuple[str, ...] = ()
    changes: tuple[CellChange, ...] = ()
    appended: tuple[RowChange, ...] = ()
    remembered: int | None = None
    """How many things braingain keeps in its hidden tab after the write, when the write changes
    them (``None`` when it leaves the hidden tab as it is)."""
    redrawn: tuple[str, ...] = ()
    """Each tab braingain draws whole (``weeks``: the Gantt tab) that the write changes, in one
    line: ``Gantt: 3 weeks added, 5 cells changed``."""

    @property
    def empty(self) -> bool:
        return not (self.decisions or self.structure or self.changes or self.appended or self.redrawn) and (
            self.remembered is None
        )

    def by_tab(self) -> dict[str, list[CellChange]]:
        """The cell changes by tab, in the order the tabs are first changed."""
        grouped: dict[str, list[CellChange]] = {}
        for change in self.changes:
            grouped.setdefault(change.tab, []).append(change)
        return grouped


# --- values as a person reads them -------------------------------------------------------------

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def spoken_day(day: date, *, short: bool = False) -> str:
    """``day`` with its weekday and year: "Saturday 16 January 2027" ("Sat 16 Jan 2027" ``short``)."""
    weekday, month = _DAYS[day.weekday()], _MONTHS[day.month - 1]
    if short:
        weekday, month = weekday[:3], month[:3]
    return f"{weekday} {day.day} {month} {day.year}"


def spoken_moment(at: datetime, *, short: bool = False) -> str:
    """A date-time in words, in its own zone: "Saturday 16 January 2027 at 15:00 (Africa/Lagos)";
    a zone without a name is said as its offset from UTC ("(UTC+01:00)")."""
    zone = at.tzinfo
    named = zone.key if isinstance(zone, ZoneInfo) else ""
    if not named and at.utcoffset() is not None:
        offset = at.utcoffset() or timedelta(0)
        sign = "-" if offset < timedelta(0) else "+"
        minutes = abs(int(offset.total_seconds())) // 60
        named = "UTC" if not minutes else f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    joined = ", " if short else " at "
    return f"{spoken_day(at.date(), short=short)}{joined}{at:%H:%M}" + (f" ({named})" if named else "")


_STAMP = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"(?: ?(Z|[+-]\d{2}:?\d{2}))?"
    r"(?: (UTC|[A-Z][A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+))?)?"
    r"(?![\d:])"
)


def _spoken_stamp(found: re.Match[str]) -> str:
    """A date or date-time braingain or a spreadsheet wrote, in words; said as it is when it is part
    of a sentence (a hint's "for example 2026-03-14" shows the form to type): only a machine's time
    stamp ("2026-11-25T11:00+01:00") or a date that starts a line ("2026-12-20 Full texts
    reviewed") is said in words."""
    at, text = found.start(), found.string
    stamp = found.group(0)
    if not (len(stamp) > 10 and stamp[10] == "T") and at > 0 and text[at - 1] != "\n":
        return stamp
    year, month, day, hour, minute, offset, zone = found.groups()
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        return found.group(0)  # not a date after all: said as typed
    if hour is None:
        return spoken_day(when, short=True)
    where = zone or ("UTC" if offset == "Z" else f"UTC{offset}" if offset else "")
    return f"{spoken_day(when, short=True)}, {hour}:{minute}" + (f" ({where})" if where else "")


def said(value: Cell) -> str:
    """A cell as a person reads it: ``""`` for an empty cell, yes/no, whole numbers without
    ".0", and every date or date-time (typed, or inside a text such as "volunteered
    2026-11-25T11:00+01:00") in words with its weekday and year."""
    if value is None or isinstance(value, Uncalculated | Merged):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return spoken_moment(value, short=True) if value.tzinfo else _STAMP.sub(_spoken_stamp, as_text(value))
    if isinstance(value, date):
        return spoken_day(value, short=True)
    text = as_text(value)
    return _STAMP.sub(_spoken_stamp, text) if "-" in text else text


def ordinal(number: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def listed(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


# --- the tables before and after the write ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """One tab as read, and the writes the plan makes to it."""

    key: str
    title: str
    table: Table | None
    rows: Mapping[int, Row]
    headers: Mapping[int, str]
    keys: Mapping[int, str]
    writes: Mapping[int, Mapping[int, Cell]]
    held: Mapping[int, Mapping[int, Cell]]
    """By row and column, what a cell the write fills in (a default in a blank cell) held when it
    was read: the read tables already carry the default, which the tracker did not."""

    def before(self, number: int) -> dict[str, Cell]:
        """The row as the tracker held it when it was read."""
        row = self.rows.get(number)
        cells = dict(row.cells) if row is not None else {}
        for column, value in self.held.get(number, {}).items():
            key = self.keys.get(column)
            if key is not None:
                cells[key] = value
        return cells

    def after(self, number: int) -> dict[str, Cell]:
        cells = self.before(number)
        for column, value in self.writes.get(number, {}).items():
            key = self.keys.get(column)
            if key is not None:
                cells[key] = value
        return cells

    def numbers_after(self) -> list[int]:
        return sorted(set(self.rows) | set(self.writes))


def _views(schema: Schema, read: ReadResult, plan: TrackerPlan) -> dict[str, _View]:
    tables = {t.where: t for t in read.tables.values() if t is not None}
    writes: dict[str, dict[int, dict[int, Cell]]] = {}
    held: dict[str, dict[int, dict[int, Cell]]] = {}
    for cell in plan.write.cells:
        writes.setdefault(cell.tab, {}).setdefault(cell.row, {})[cell.column] = cell.value
        if cell.fill:
            held.setdefault(cell.tab, {}).setdefault(cell.row, {})[cell.column] = cell.was
    views: dict[str, _View] = {}
    for title in dict.fromkeys([*(c.tab for c in plan.write.cells), *tables]):
        table = tables.get(title)
        key = (
            table.tab.key if table is not None else (plan.write.tab_key(title) or _schema_key(schema, title))
        )
        if key is None:
            continue
        if table is not None:
            columns = dict(table.columns)
            tab = table.tab
        else:
            tab = schema.tab(key)
            columns = {c.key: i for i, c in enumerate(tab.columns, start=1)}
        keys = {i: k for k, i in columns.items()}
        headers = {i: tab.column(k).header for k, i in columns.items()}
        rows = {r.number: r for r in (*table.rows, *table.held)} if table is not None else {}
        views[title] = _View(
            key, title, table, rows, headers, keys, writes.get(title, {}), held.get(title, {})
        )
    return views


def _schema_key(schema: Schema, title: str) -> str | None:
    return next((t.key for t in schema.tabs if t.title == title), None)


# --- what a row is about ------------------------------------------------------------------------

_NAMED_BY: Mapping[str, tuple[str, ...]] = {
    "members": ("given_names", "surname"),
    "availability": ("member",),
    "projects": ("title",),
    "tasks": ("title",),
    "volunteers": ("task", "member"),
    "ledger": ("member", "task"),
    "disputes": ("member", "task"),
    "outputs": ("title",),
    "meetings": ("starts",),
    "agenda": ("item",),
    "actions": ("title",),
}
"""The columns that say whom or what a row of each tab is about, in the order they are said."""

NAME_LIMIT = 60
"""The most characters of a typed title said to name a row."""


def _names(group: Group, key: str, cells: Mapping[str, Cell]) -> tuple[str, ...]:
    if key == "members":
        who = group.members.get(MemberId(row_id(cells.get("id"))))
        if who is not None:
            return (who.name,)
        typed = " ".join(as_text(cells.get(k)) for k in ("given_names", "surname")).strip()
        return (typed,) if typed else ()
    found: list[str] = []
    for column in _NAMED_BY.get(key, ()):
        value = cells.get(column)
        if is_blank(value):
            continue
        if column == "member":
            who = group.members.get(MemberId(row_id(value)))
            found.append(who.name if who is not None else row_id(value))
        elif column == "starts":
            found.append(_meeting_start(value, _series_zone(group)) or said(value))
        else:
            text = " ".join(said(value).split())
            found.append(text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…")
    return tuple(found)


def _series_zone(group: Group) -> ZoneInfo:
    """The zone the Meetings tab's Starts are wall clocks in: the meeting series' slot's."""
    return group.series.slot.zone if group.series is not None else UTC_ZONE


def _meeting_start(value: Cell, zone: ZoneInfo) -> str:
    try:
        at = datetime_value(value, zone)
    except DomainError:
        return ""
    return spoken_moment(at) if at is not None else ""


def _member_name(group: Group, member: str) -> str:
    who = group.members.get(MemberId(member))
    return who.name if who is not None else member


def _task_said(group: Group, task: str) -> str:
    found = group.tasks.get(TaskId(task))
    return f"{task} ({found.title})" if found is not None and found.title else task


# --- the description ------------------------------------------------------------------------------


def describe(schema: Schema, read: ReadResult, plan: TrackerPlan, now: datetime) -> Changes:
    """Every change ``plan`` makes to the tracker ``read`` was read from, in words (see the module's
    docstring). ``now`` is the time the plan was made for (the volunteers' track records)."""
    views = _views(schema, read, plan)
    group = read.group
    changes: list[CellChange] = []
    appended: list[RowChange] = []
    remembered: int | None = None
    redrawn: list[str] = []
    for view in views.values():
        if not view.writes:
            continue
        tab = schema.tab(view.key)
        if tab.weeks:
            written = [c for c in plan.write.cells if c.tab == view.title]
            grid = view.table.grid if view.table is not None else None
            redrawn.append(f"{view.title}: {said_change(len(tab.columns), grid, written, tab.headers)}")
            continue
        if view.key == "state":
            remembered = sum(1 for n in view.numbers_after() if not is_blank(view.after(n).get("key")))
            continue
        if view.key == "problems":
            appended.extend(_problem_rows(view))
            continue
        for number in sorted(view.writes):
            if number in view.rows:
                changes.extend(_cell_changes(group, view, number))
            else:
                appended.append(_new_row(group, view, number))
    decisions = [
        *_status_decisions(group, read.changes, views),
        *_selection_decisions(read, views, now),
        *_author_decisions(group, views),
        *_ledger_decisions(group, read.new_entries, read.restores),
        *_meeting_decisions(views, _series_zone(group)),
        *_platform_decisions(group, views),
    ]
    return Changes(
        decisions=tuple(decisions),
        structure=tuple(_structure(plan)),
        changes=tuple(changes),
        appended=tuple(appended),
        remembered=remembered,
        redrawn=tuple(redrawn),
    )


def _cell_changes(group: Group, view: _View, number: int) -> list[CellChange]:
    before = view.before(number)
    ident = row_id(before.get(view.table.tab.id_column)) if view.table is not None else ""
    names = _names(group, view.key, before) or _names(group, view.key, view.after(number))
    found = []
    for column, value in sorted(view.writes[number].items()):
        typed = before.get(view.keys.get(column, ""))
        old, new = said(typed), said(value)
        if old == new and old:  # the same in words: only its form changes, and each side says its form
            old, new = f"{old} ({_form(typed)})", f"{new} ({_form(value)})"
        found.append(
            CellChange(
                tab=view.title,
                row=number,
                id=ident,
                names=names,
                column=view.headers.get(column, ""),
                old=old,
                new=new,
            )
        )
    return found


def _form(value: Cell) -> str:
    """What kind of cell ``value`` is, as a person would say it."""
    if isinstance(value, bool):
        return "yes or no"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def _new_row(group: Group, view: _View, number: int) -> RowChange:
    cells = view.after(number)
    id_column = view.table.tab.id_column if view.table is not None else "id"
    ident = row_id(cells.get(id_column))
    filled = tuple(
        (view.headers[column], as_text(value) if view.keys.get(column) == id_column else said(value))
        for column, value in sorted(view.writes[number].items())
        if column in view.headers and not is_blank(value)
    )
    if view.key == "ledger":
        text = _ledger_row_text(group, cells)
    elif view.key == "meetings":
        starts = cells.get("starts")
        text = f"a meeting on {_meeting_start(starts, _series_zone(group)) or said(starts)}"
    else:
        names = _names(group, view.key, cells)
        text = " / ".join(names) if names else "; ".join(f"{h}: {v}" for h, v in filled)
    return RowChange(view.title, number, ident, text, filled)


def _ledger_row_text(group: Group, cells: Mapping[str, Cell]) -> str:
    kind = as_text(cells.get("kind")) or "entry"
    who = _member_name(group, row_id(cells.get("member")))
    points = as_text(cells.get("points"))
    task = row_id(cells.get("task"))
    about = f" for {_task_said(group, task)}" if task else ""
    note = said(cells.get("note"))
    return f"{kind}: {points} points to {who}{about}" + (f" ({note})" if note else "")


def _problem_rows(view: _View) -> list[RowChange]:
    """The Problems rows this write lists anew, then those it no longer lists."""

    def said_rows(rows: Iterable[tuple[int, Mapping[str, Cell]]]) -> dict[str, int]:
        found: dict[str, int] = {}
        for number, cells in rows:
            where, problem = said(cells.get("where")), said(cells.get("problem"))
            if where or problem:
                found.setdefault(f"{where}: {problem}" if where else problem, number)
        return found

    before = said_rows((n, view.before(n)) for n in sorted(view.rows))
    after = said_rows((n, view.after(n)) for n in view.numbers_after())
    listed_now = [RowChange(view.title, n, "", text) for text, n in after.items() if text not in before]
    gone = [
        RowChange(view.title, n, "", text, added=False) for text, n in before.items() if text not in after
    ]
    return listed_now + gone


def _structure(plan: TrackerPlan) -> list[str]:
    found = []
    for change in plan.write.structure:
        if isinstance(change, AddTab):
            found.append(f"add the missing tab {quote(change.tab.title)}")
        elif isinstance(change, AddColumns):
            headers = [quote(c.header) for c in change.columns]
            noun = "column" if len(headers) == 1 else "columns"
            found.append(f"add the {noun} {listed(headers)} to {quote(change.where)}")
    return found


# --- decisions ------------------------------------------------------------------------------------


def _status_decisions(
    group: Group, changes: Sequence[StatusChange], views: Mapping[str, _View]
) -> list[Decision]:
    found = []
    last: Callable[[str], list[str] | None] | None = None
    for change in changes:
        said_ = (
            f"{_task_said(group, change.task)} is now {change.after.value} (it was {change.before.value}), "
            f"as {_member_name(group, change.actor)} marked it"
        )
        if change.before is TaskStatus.OPEN and change.after not in RANKED:
            last = last or chosen_reader(group, views)
            chosen = last(change.task)
            if chosen is not None:
                who = listed([_member_name(group, m) for m in chosen]) or "nobody"
                said_ += f": the selection stands ({who} chosen)" + _team_differs(group, change.task, chosen)
        found.append(Decision("status", change.task, said_))
    return found


def _team_differs(group: Group, task_id: str, chosen: Sequence[str]) -> str:
    """How the team a leader gave a task differs from the volunteers braingain chose for it ("" when
    it does not): a leader may choose otherwise, and the plan says so, in case it is a slip."""
    task = group.tasks.get(TaskId(task_id))
    if task is None or not task.contributors:
        return ""
    team, picked = set(task.contributors), set(chosen)
    added = [_member_name(group, m) for m in task.contributors if m not in picked]
    left = [_member_name(group, m) for m in chosen if m not in team]
    parts = [f"{listed(added)} {'was' if len(added) == 1 else 'were'} not chosen" if added else ""]
    parts.append(f"{listed(left)} {'is' if len(left) == 1 else 'are'} not in its team" if left else "")
    said = " and ".join(p for p in parts if p)
    return f"; its team differs: {said}" if said else ""


_CHOSEN = "chosen: "
_NOBODY = "nobody yet"


def last_chosen(text: str, written: Sequence[tuple[str, str]]) -> list[str] | None:
    """The members a Volunteer selection braingain wrote names as chosen ("chosen: Ada Obiora, Efe
    Ighodalo (3 volunteers for 2 places: ...)"), by ID; ``None`` when that cannot be told (not
    such a text, or it names someone who is no longer a member). ``written``: each member's name
    as braingain writes it, and their ID as it is, with the member's ID; longest first."""
    if not text.startswith(_CHOSEN):
        return None
    rest = text.removeprefix(_CHOSEN)
    if rest.startswith(_NOBODY):
        return []
    chosen: list[str] = []
    while True:
        found = next((p for p in written if rest.startswith(p[0])), None)
        if found is None:
            return None
        chosen.append(found[1])
        rest = rest[len(found[0]) :]
        if not rest.startswith(", "):
            return chosen if not rest or rest.startswith(" (") else None
        rest = rest[2:]


def chosen_reader(group: Group, views: Mapping[str, _View]) -> Callable[[str], list[str] | None]:
    """Who braingain last wrote as chosen for a task, from the Tasks tab's Volunteer selection as
    read (:func:`last_chosen`); the tab's rows and the members' names are worked out once."""
    view = next((v for v in views.values() if v.key == "tasks"), None)
    index = index_by_id(view.table) if view is not None and view.table is not None else {}
    name = member_names(group)
    written = sorted(
        {*((name(m), str(m)) for m in group.members), *((str(m), str(m)) for m in group.members)},
        key=lambda p: (-len(p[0]), p),
    )

    def read(task: str) -> list[str] | None:
        number = index.get(task)
        if view is None or number is None:
            return None
        return last_chosen(as_text(view.before(number).get("selection")), written)

    return read


def _chosen(view: _View, cells: Mapping[str, Cell]) -> bool:
    """Whether a Volunteers row says Selected yes, read as the tracker reads a yes/no cell (a value
    that is no yes or no is not a choice)."""
    try:
        return boolean(cells.get("selected"))
    except DomainError:
        return False


def _selection_decisions(read: ReadResult, views: Mapping[str, _View], now: datetime) -> list[Decision]:
    """Who is chosen for each task whose selection this write changes, and why. Who was chosen is
    what braingain last wrote: the task's Volunteer selection on the Tasks tab (the Volunteers
    rows' Selected, where that cannot be read), so that a row whose Member or Task was changed
    since is said as its old member leaving and its new one arriving (:class:`_Moved`)."""
    view = next((v for v in views.values() if v.key == "volunteers"), None)
    if view is None:
        return []
    group = read.group
    by_rows: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    named: dict[str, set[str]] = {}
    chosen_rows: list[tuple[int, str, str]] = []
    touched: set[str] = set()
    for number in view.numbers_after():
        old, new = view.before(number), view.after(number)
        task, member = (
            row_id(old.get("task") or new.get("task")),
            row_id(old.get("member") or new.get("member")),
        )
        if not task or not member:
            continue
        named.setdefault(task, set()).add(member)
        if _chosen(view, old):
            by_rows.setdefault(task, []).append(member)
            chosen_rows.append((number, task, member))
        if _chosen(view, new):
            after.setdefault(task, []).append(member)
        if number in view.writes:
            touched.add(task)
    touched |= _selection_written(views)
    if not touched:
        return []
    last = chosen_reader(group, views)
    before: dict[str, list[str]] = {}
    for task in sorted({*touched, *by_rows}):
        written = last(task)
        before[task] = written if written is not None else by_rows.get(task, [])
    moved = _moved(group, view, chosen_rows, before, named)
    found = []
    records: Mapping[MemberId, TrackRecord] | None = None
    offers: dict[str, list[Volunteer]] = {}
    for task in sorted(touched):
        came = [m for m in after.get(task, []) if m not in before.get(task, [])]
        went = [m for m in before.get(task, []) if m not in after.get(task, [])]
        if came or went:
            if records is None:  # worked out once, and only when a selection changes
                records = track_records(
                    group.members.values(), group.tasks.values(), group.attendance_on(now)
                )
                for offer in group.volunteers:
                    offers.setdefault(offer.task_id, []).append(offer)
            said_ = _selection_text(
                read, task, came, went, records, offers.get(task, []), moved, named.get(task, set())
            )
            found.append(Decision("selection", task, said_))
    return found + _reread_offers(group, view, moved)


_VOLUNTEERED = re.compile(r"volunteered (?P<when>[^;]*?)(?: \((?P<zone>[^()]+)\))?$")


def _reread_offers(group: Group, view: _View, moved: Mapping[tuple[str, str], str]) -> list[Decision]:
    """The offers whose rank this write changes while their Volunteered at, typed without a time
    zone, is read in another zone than before (its row names a member of another zone now): the
    Why braingain wrote says the time as it read it, in its member's zone."""
    found = []
    for number in sorted(view.writes):
        if number not in view.rows:
            continue
        old, new = view.before(number), view.after(number)
        task, member = row_id(new.get("task")), row_id(new.get("member"))
        typed = old.get("at")
        if (task, member) in moved or is_blank(typed) or gives_zone(typed):
            continue
        was, now = (_VOLUNTEERED.search(as_text(c.get("reason"))) for c in (old, new))
        ranks = (_place(old.get("rank")), _place(new.get("rank")))
        if was is None or now is None or None in ranks or ranks[0] == ranks[1]:
            continue
        try:  # the Why as braingain wrote it names its member's zone (or an offset, when it had none)
            zones = time_zone(was.group("zone") or ""), time_zone(now.group("zone") or "")
        except DomainError:
            continue
        said_ = _read_elsewhere(typed, *zones)
        if not said_:
            continue
        name = _member_name(group, member)
        ident = row_id(old.get("id")) or f"on row {number}"
        found.append(
            Decision(
                "selection",
                task,
                f"{_task_said(group, task)}: {name}'s offer (the Volunteers row {ident}) moves from "
                f"{ordinal(ranks[0] or 0)} to {ordinal(ranks[1] or 0)} place, and its Volunteered at, which "
                f"gives no time zone, is now read in {name}'s zone ({zones[1].key}) as {said_}",
            )
        )
    return found


def _place(value: Cell) -> int | None:
    """A Rank as written (a whole number), or ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        return None
    return int(value)


def _selection_written(views: Mapping[str, _View]) -> set[str]:
    """The tasks whose Volunteer selection on the Tasks tab this write changes."""
    view = next((v for v in views.values() if v.key == "tasks"), None)
    column = view.table.columns.get("selection") if view is not None and view.table is not None else None
    if view is None or column is None:
        return set()
    found = set()
    for number, written in view.writes.items():
        if column in written:
            ident = row_id(view.before(number).get("id"))
            if ident:
                found.add(ident)
    return found


def _moved(
    group: Group,
    view: _View,
    chosen_rows: Sequence[tuple[int, str, str]],
    before: Mapping[str, Sequence[str]],
    named: Mapping[str, set[str]],
) -> dict[tuple[str, str], str]:
    """Why a chosen offer changed hands on its row, by (task, member), for the member the row named
    when braingain chose it and for the one it names now: a Volunteers row braingain marked chosen
    that names a member it did not choose was edited since (its Task, else its Member)."""
    found: dict[tuple[str, str], str] = {}
    for number, task, member in chosen_rows:
        if member in before.get(task, ()):
            continue
        cells = view.before(number)
        ident = row_id(cells.get("id")) or f"on row {number}"
        was_task = next(
            (
                t
                for t, chosen in before.items()
                if t != task
                and member in chosen
                and member not in named.get(t, set())
                and (t, member) not in found
            ),
            None,
        )
        if was_task is not None:
            phrase = f"the Volunteers row {ident}'s Task changed from {was_task} to {task}"
            found[(was_task, member)] = found[(task, member)] = phrase
            continue
        was_member = next(
            (m for m in before.get(task, ()) if m not in named.get(task, set()) and (task, m) not in found),
            None,
        )
        if was_member is not None:
            phrase = f"the Volunteers row {ident}'s Member changed from {was_member} to {member}"
            phrase += _reread(group, cells.get("at"), was_member, member)
            found[(task, was_member)] = found[(task, member)] = phrase
    return found


def _reread(group: Group, typed: Cell, was: str, now: str) -> str:
    """What changes when an offer's Volunteered at, typed without a time zone, is read in the zone
    of the member ``now`` rather than of ``was`` ("" when it gives its zone, or reads the same)."""
    old, new = group.members.get(MemberId(was)), group.members.get(MemberId(now))
    if old is None or new is None or old.zone is None or new.zone is None:
        return ""
    said_ = _read_elsewhere(typed, old.zone, new.zone)
    return (
        f", and its Volunteered at, which gives no time zone, is now read in {new.name}'s zone "
        f"({new.zone.key}) as {said_}"
        if said_
        else ""
    )


def _read_elsewhere(typed: Cell, was: ZoneInfo, now: ZoneInfo) -> str:
    """A time typed without a zone read in ``now`` rather than ``was``, both said in ``was``
    ("" when it gives its zone, or reads the same instant)."""
    if is_blank(typed) or gives_zone(typed):
        return ""
    try:
        first, second = datetime_value(typed, was), datetime_value(typed, now)
    except DomainError:
        return ""
    if first is None or second is None or first == second:
        return ""
    return (
        f"{spoken_moment(second.astimezone(was), short=True)} rather than {spoken_moment(first, short=True)}"
    )


def _selection_text(
    read: ReadResult,
    task_id: str,
    came: list[str],
    went: list[str],
    records: Mapping[MemberId, TrackRecord],
    offers: Sequence[Volunteer],
    moved: Mapping[tuple[str, str], str] | None = None,
    named: Set[str] = frozenset(),
) -> str:
    group = read.group
    task = group.tasks.get(TaskId(task_id))
    chosen = _selection(read, task_id, records, offers)
    name = {m: _member_name(group, m) for m in (*came, *went)}
    ranked = {c.member_id: c for c in chosen.candidates} if chosen is not None else {}
    came.sort(key=lambda m: ranked[MemberId(m)].rank if MemberId(m) in ranked else 0)
    takes = f"the task takes {chosen.cap}" if chosen is not None and chosen.cap is not None else ""
    edited = {m: p for (t, m), p in (moved or {}).items() if t == task_id}
    pairs: list[tuple[str, str]] = []
    for leaving in [m for m in went if m in edited]:  # a row's old member, and the one it names now
        entering = next((m for m in came if edited.get(m) == edited[leaving]), None)
        if entering is not None:
            pairs.append((entering, leaving))
            came.remove(entering)
            went.remove(leaving)
    pairs += list(zip(came, went, strict=False))
    sentences = []
    for entering, leaving in pairs:
        why = _why(read, task_id, entering, leaving, records, ranked, offers, edited)
        if takes and why and takes not in why and not edited.get(leaving) and not edited.get(entering):
            why += f"; {takes}"
        sentences.append(f"{name[entering]} replaces {name[leaving]}" + (f", because {why}" if why else ""))
    rest_in = [m for m in came if m not in {e for e, _ in pairs}]
    rest_out = [m for m in went if m not in {lv for _, lv in pairs}]
    if rest_in:
        verb = "is" if len(rest_in) == 1 else "are"
        why = "; ".join(dict.fromkeys(edited[m] for m in rest_in if m in edited))
        sentences.append(
            f"{listed([name[m] for m in rest_in])} {verb} now chosen"
            + (f" ({takes})" if takes else "")
            + (f", because {why}" if why else "")
        )
    for leaving in rest_out:
        candidate = ranked.get(MemberId(leaving))
        if leaving in edited:
            why = edited[leaving]
        elif candidate is not None and not candidate.selected:  # (a chosen one is no reason to leave)
            why = _outcome(candidate, name[leaving])
        elif task is not None and task.status.value != "open":
            why = f"the task is {task.status.value}, so nobody is chosen for it any more"
        elif leaving not in named:
            why = "no row of the Volunteers tab names them any more"
        else:
            why = "their offer no longer counts (see the Problems tab)"
        sentences.append(f"{name[leaving]} is no longer chosen, because {why}")
    return f"{_task_said(group, task_id)}: " + "; ".join(sentences)


def _outcome(candidate: Candidate, name: str) -> str:
    """A candidate's place in the selection as the reason of a change ("a leader chose X")."""
    said_ = candidate.reason.split(" — ", 1)[0]
    if said_.startswith("not chosen: "):
        return said_.removeprefix("not chosen: ")
    if said_.startswith("skipped: already"):
        return f"{name} is {said_.removeprefix('skipped: ')}"
    if said_ == "chosen by a leader (override)":
        return f"a leader chose {name} (override)"
    if said_ == "left out by a leader (override)":
        return f"a leader left {name} out (override)"
    return f"{name} is {said_}"


def _why(
    read: ReadResult,
    task_id: str,
    entering: str,
    leaving: str,
    records: Mapping[MemberId, TrackRecord],
    ranked: Mapping[MemberId, Candidate],
    offers: Sequence[Volunteer],
    edited: Mapping[str, str] | None = None,
) -> str:
    """Why ``entering`` is chosen in ``leaving``'s place: a Volunteers row edited since braingain
    chose (``edited``: by member, what changed on the row that named them), an override or a skip,
    else the ranking."""
    group = read.group
    left, came_by = (edited or {}).get(leaving), (edited or {}).get(entering)
    if left is not None:
        return left if left == came_by else f"{left}, and {_member_name(group, entering)} ranks next"
    if came_by is not None:
        ranking = _why(read, task_id, entering, leaving, records, ranked, offers)
        return f"{came_by}, and " + (ranking or f"{_member_name(group, entering)} ranks higher")
    task = group.tasks.get(TaskId(task_id))
    came, went = ranked.get(MemberId(entering)), ranked.get(MemberId(leaving))
    if went is None:
        gone = _member_name(group, leaving)
        return f"{gone} no longer volunteers for it (no row of the Volunteers tab names them)"
    if task is None or came is None:
        return ""
    if not went.reason.startswith("not chosen"):
        return _outcome(went, _member_name(group, leaving))
    if not came.reason.startswith("chosen — "):
        return _outcome(came, _member_name(group, entering))
    latest = _latest(offers)
    try:
        return f"{_member_name(group, entering)} ranks higher: " + why_ahead(
            task, records, latest[MemberId(entering)], latest[MemberId(leaving)]
        )
    except KeyError:
        return ""


def _latest(offers: Sequence[Volunteer]) -> dict[MemberId, Volunteer]:
    """Each member's offer that counts: their latest, as the ranking counts it."""
    found: dict[MemberId, Volunteer] = {}
    for offer in sorted(offers, key=lambda v: v.at):
        found[offer.member_id] = offer
    return found


def _selection(
    read: ReadResult, task_id: str, records: Mapping[MemberId, TrackRecord], offers: Sequence[Volunteer]
) -> Selection | None:
    """The task's ranking, as the sync works it out, or ``None`` when it cannot be."""
    group = read.group
    task = group.tasks.get(TaskId(task_id))
    if task is None or not offers:
        return None
    forced_in, forced_out = read.overrides.get(TaskId(task_id), ([], []))
    try:
        return select_volunteers(
            task,
            offers,
            records,
            open_task_limit=group.open_task_limit,
            force_in=forced_in,
            force_out=forced_out,
        )
    except BraingainError:
        return None


def author_order(group: Group, text: str) -> list[str]:
    """The members an Authors cell names, in its order: on each line, the member whose name comes
    first (lines about ties and notes name no new author), whatever else the line says."""
    names = sorted({m.name for m in group.members.values() if m.name}, key=len, reverse=True)
    order: list[str] = []
    for line in text.splitlines():
        if line.strip().lower().startswith(("tie", "note", "cannot decide")):
            continue
        hits = [(line.find(n), n) for n in names if n in line]
        if hits:
            first = min(hits)[1]
            if first not in order:
                order.append(first)
    return order


def _author_decisions(group: Group, views: Mapping[str, _View]) -> list[Decision]:
    view = next((v for v in views.values() if v.key == "outputs"), None)
    column = view.table.columns.get("authors") if view is not None and view.table is not None else None
    if view is None or column is None:
        return []
    found = []
    for number, written in sorted(view.writes.items()):
        if column not in written:
            continue
        cells = view.before(number)
        ident = row_id(cells.get("id"))
        output = group.outputs.get(OutputId(ident))
        title = output.title if output is not None else (said(cells.get("title")) or ident)
        old, new = (
            author_order(group, as_text(cells.get("authors"))),
            author_order(group, as_text(written[column])),
        )
        if old == new:
            continue
        if not old:
            shown = listed([f"{n} ({ordinal(i)})" for i, n in enumerate(new, start=1)])
            found.append(Decision("authors", ident, f"{title}: the authors are, in order, {shown}"))
            continue
        parts = []
        for place, name in enumerate(new, start=1):
            if name not in old:
                parts.append(f"{name} becomes the {ordinal(place)} author")
            elif old.index(name) + 1 != place:
                parts.append(f"{name} moves from {ordinal(old.index(name) + 1)} to {ordinal(place)} author")
        parts.extend(f"{name} is no longer an author" for name in old if name not in new)
        found.append(Decision("authors", ident, f"{title}: " + "; ".join(parts)))
    return found


def _ledger_decisions(
    group: Group, entries: Sequence[LedgerEntry], restores: Sequence[LedgerEntry]
) -> list[Decision]:
    found = []
    awards: dict[str, list[LedgerEntry]] = {}
    for entry in entries:
        if entry.kind is EntryKind.AWARD and entry.task_id is not None:
            awards.setdefault(entry.task_id, []).append(entry)
        elif entry.kind is EntryKind.DISPUTE_RESOLUTION:
            dispute = entry.id.split(":", 1)[-1]
            sign = "+" if entry.points >= 0 else ""
            found.append(
                Decision(
                    "dispute",
                    dispute,
                    f"Dispute {dispute} is resolved: {_member_name(group, entry.member_id)} gets "
                    f"{sign}{entry.points} points on the Ledger",
                )
            )
        else:
            found.append(
                Decision(
                    "award",
                    entry.task_id or "",
                    f"{_member_name(group, entry.member_id)} gets {entry.points} points ({entry.kind.value})",
                )
            )
    for task, given in awards.items():
        shares = listed([f"{_member_name(group, e.member_id)} {e.points}" for e in given])
        found.append(Decision("award", task, f"{_task_said(group, task)}: points awarded to {shares}"))
    for entry in restores:
        about = f" for {_task_said(group, entry.task_id)}" if entry.task_id else ""
        found.append(
            Decision(
                "restored",
                entry.task_id or "",
                f"A Ledger row deleted by hand is written back: {entry.kind.value} of {entry.points} points "
                f"to {_member_name(group, entry.member_id)}{about}",
            )
        )
    return found


def _meeting_decisions(views: Mapping[str, _View], zone: ZoneInfo) -> list[Decision]:
    """The meetings a plan adds to the Meetings tab; their Starts is a wall clock in the series'
    ``zone``."""
    view = next((v for v in views.values() if v.key == "meetings"), None)
    if view is None:
        return []
    found = []
    for number in sorted(view.writes):
        if number in view.rows:
            continue
        cells = view.after(number)
        start = _meeting_start(cells.get("starts"), zone)
        if start:
            found.append(Decision("meeting", row_id(cells.get("id")), f"A meeting is scheduled for {start}"))
    return found


_PLATFORM_COLUMNS = frozenset({"zoom_id", "join_url", "attendance_from"})


def _platform_decisions(group: Group, views: Mapping[str, _View]) -> list[Decision]:
    """What a plan writes of the other platforms to the Meetings tab, a sentence per meeting and
    kind: its Zoom meeting made, changed or cleared (deleted on Zoom), and attendance imported (who
    is Present and Absent, whom the import could not match) or not applied, and why."""
    view = next((v for v in views.values() if v.key == "meetings"), None)
    if view is None:
        return []
    found: list[Decision] = []
    zone = _series_zone(group)
    for number in sorted(view.writes):
        written = {view.keys.get(c) for c in view.writes[number]} & _PLATFORM_COLUMNS
        if not written:
            continue
        before, after = view.before(number), view.after(number)
        about = row_id(after.get("id"))
        meeting = f"the meeting of {_meeting_start(after.get('starts'), zone) or about}"
        if written & {"zoom_id", "join_url"}:
            old, new = as_text(before.get("zoom_id")), as_text(after.get("zoom_id"))
            link = as_text(after.get("join_url"))
            if new and new != old:
                moved = f"moves from Zoom meeting {old} to" if old else "is on"
                text = f"{meeting[0].upper()}{meeting[1:]} {moved} Zoom meeting {new}; members join at {link}"
            elif new:
                text = f"{meeting[0].upper()}{meeting[1:]} has a new Zoom join link: {link}"
            else:
                text = (
                    f"{meeting[0].upper()}{meeting[1:]} has no Zoom meeting any more: Zoom meeting {old} "
                    "was deleted, and its link is cleared"
                )
            found.append(Decision("meeting", about, text))
        said = as_text(after.get("attendance_from"))
        if "attendance_from" in written and said:
            if import_applied(said):
                lists = []
                for key, label in (("present", "Present"), ("absent", "Absent")):
                    try:
                        names = [_member_name(group, m) for m in items(after.get(key))]
                    except DomainError:
                        names = []
                    lists.append(f"{label}: {', '.join(names) or 'nobody'}")
                text = f"Attendance at {meeting} is imported ({said}). " + "; ".join(lists)
            else:
                text = f"Attendance at {meeting} was not imported ({said})"
            found.append(Decision("meeting", about, text))
    return found
