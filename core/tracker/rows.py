"""How one tracker row is read, and what waits when a cell cannot be read.

The rule (docs/tracker.md gives it column by column): **a bad cell invalidates only
what depends on that cell.**

- Every cell of a row is read, whatever fails, so that one sync reports every problem
  of the row at once, each on its own column.
- A column marked ``holds_row`` in the schema (the ID, and what the row cannot mean
  anything without) holds the whole row when its cell cannot be read. Any other cell
  only loses its own value: the row is read without it, and what needs that value
  leaves the row out and says why.
- A row that refers to a held row is held too, and says so ("held: waits for Members
  row 7"); nothing is dropped silently.
- Every held row, and every cell whose value is lost, is a :class:`Hold`: it names the
  things it is about (members, tasks, projects, outputs, meetings) and the decisions it
  feeds. While a hold names what a decision is about, the sync keeps that decision's
  last written value and says it waits (:func:`waiting`): a typo never flips a volunteer
  selection, an author order or a points total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from braingain.core.authorship.ledger import LedgerEntry
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.errors import DomainError, UnknownReference, each, quote
from braingain.core.group import Group
from braingain.core.parsing import split_list
from braingain.core.tracker import cells
from braingain.core.tracker.schema import (
    Cell,
    Problem,
    Row,
    Table,
    as_text,
    index_by_id,
    is_blank,
    rows_with_ids,
)

T = TypeVar("T")

# --- the decisions the sync writes, and what feeds them ----------------------------------

SELECTION = "selection"
"""A task's volunteer selection (Tasks: Volunteer selection; Volunteers: Rank, Selected, Why)."""
TOTALS = "totals"
"""A member's points and open tasks (Members: Points, Points by project, Open tasks)."""
AUTHORSHIP = "authorship"
"""An output's author order, acknowledgments and CRediT statement (Outputs)."""
PROGRESS = "progress"
"""A project's progress and next milestone (Projects)."""
AWARDED = "awarded"
"""The points awarded for a task (Tasks: Points awarded)."""
MEETING = "meeting"
"""When a meeting starts (Meetings: Starts; Agenda: Late)."""
SCHEDULE = "schedule"
"""Which meetings are scheduled ahead (new Meetings rows): the cadence follows deadlines."""

FEEDS: Mapping[str, frozenset[str]] = {
    "members": frozenset({SELECTION, TOTALS}),
    "availability": frozenset({SELECTION}),
    "projects": frozenset({PROGRESS, AUTHORSHIP}),
    "tasks": frozenset({SELECTION, TOTALS, PROGRESS, AUTHORSHIP, AWARDED}),
    "volunteers": frozenset({SELECTION}),
    "ledger": frozenset({TOTALS, AUTHORSHIP, AWARDED}),
    "disputes": frozenset({TOTALS, AUTHORSHIP}),
    "outputs": frozenset({AUTHORSHIP}),
    "meetings": frozenset({SELECTION, MEETING}),
    "agenda": frozenset(),
    "actions": frozenset(),
}
"""The decisions each tab's rows feed: a held row waits every one of them that it names."""

_WHERE: Mapping[str, tuple[str, str]] = {
    SELECTION: ("tasks", "selection"),
    TOTALS: ("members", "points"),
    AUTHORSHIP: ("outputs", "authors"),
    PROGRESS: ("projects", "progress"),
    AWARDED: ("tasks", "awarded"),
    MEETING: ("meetings", "starts"),
}
"""Where the Problems tab says that a decision waits: its tab and sync-owned column."""

_OWN_KIND = {
    "members": "member",
    "projects": "project",
    "tasks": "task",
    "outputs": "output",
    "meetings": "meeting",
    "ledger": "entry",
}
_KIND_OF_TYPE = {
    "member": "member",
    "members": "member",
    "project": "project",
    "task": "task",
    "meeting": "meeting",
    "entry": "entry",
    "output": "output",
}

_ABOUT: Mapping[str, frozenset[str]] = {
    "members": frozenset({"id"}),
    "availability": frozenset({"member"}),
    "projects": frozenset({"id"}),
    "tasks": frozenset({"id", "project", "head", "contributors"}),
    "volunteers": frozenset({"task", "member"}),
    "ledger": frozenset({"id", "member", "project", "task", "corrects"}),
    "disputes": frozenset({"member", "entry", "task"}),
    "outputs": frozenset({"id", "project"}),
    "meetings": frozenset({"id", "present", "absent", "excused"}),
}
"""The cells that say what a row is about (a task's team, not who supervises or reviewed it)."""

Name = tuple[str, str]
"""What a row is about: (kind, id), e.g. ("member", "ada.obiora")."""
ANY = "*"
"""The id of a name that matches nothing known: it could stand for any row of its kind."""


@dataclass(frozen=True, slots=True)
class Hold:
    """A held row, or a cell whose value is lost, and the decisions it keeps from being recomputed."""

    tab: str
    """The title of the tab the row is on."""
    row: int
    names: frozenset[Name]
    """What the row (or the cell) is about."""
    feeds: frozenset[str]
    """The decisions that wait while it lasts (:data:`SELECTION`, :data:`TOTALS`, ...)."""

    @property
    def where(self) -> str:
        return f"{self.tab} row {self.row}"


class Pending(Exception):
    """A cell refers to a row that is held by a problem of its own."""

    def __init__(self, where: str, ident: str) -> None:
        super().__init__(where)
        self.where, self.ident = where, ident


K = TypeVar("K", bound=str)
V = TypeVar("V")


class Known(dict[K, V]):
    """Rows read from a tab by ID, and the rows held back by a problem (ID -> where: "Members row 7").
    Complete once made: nothing is added to it later."""

    def __init__(self, found: Mapping[K, V], held: Mapping[str, str] | None = None) -> None:
        super().__init__(found)
        self.held: dict[str, str] = {i: w for i, w in (held or {}).items() if i not in found}
        self._folded: dict[str, list[str]] | None = None
        self._readers: dict[tuple[str, str], Callable[[Cell], Any]] = {}

    def by_folded_case(self, folded: str) -> list[str]:
        """The IDs that are ``folded`` up to letter case, sorted (indexed on first use: a tab of
        typos would otherwise compare every typo with every ID)."""
        if self._folded is None:
            self._folded = {}
            for ident in sorted(str(k) for k in self):
                self._folded.setdefault(ident.casefold(), []).append(ident)
        return self._folded.get(folded, [])

    def reader(self, what: str, where: str) -> Callable[[Cell], Any]:
        """:func:`ref`'s reader of this tab's rows, made on first use."""
        found = self._readers.get((what, where))
        if found is None:
            found = self._readers[(what, where)] = _reader(self, what, where)
        return found


def ref(known: Mapping[Any, Any], what: str, where: str) -> Callable[[Cell], Any]:
    """A reader for a cell naming one row of ``known`` (``what``: "member"; ``where``: "Members").
    The reader of a :class:`Known` is made once and kept there (rows ask for it cell after cell)."""
    if isinstance(known, Known):
        return known.reader(what, where)
    return _reader(known, what, where)


def _reader(known: Mapping[Any, Any], what: str, where: str) -> Callable[[Cell], Any]:
    waiting: Mapping[str, str] = getattr(known, "held", {})
    seen: dict[str, Any] = {}  # typed text -> the row it names (refusals are raised each time)

    def read(value: Cell) -> Any:
        if type(value) is str:
            hit = seen.get(value)
            if hit is not None:
                return hit
            row = _named(value)
            if row is not None:
                seen[value] = row
            return row
        return _named(value)

    def _named(value: Cell) -> Any:
        found = cells.text(value)
        if not found:
            return None
        if found in waiting:
            raise Pending(waiting[found], found)
        if found not in known:
            raise UnknownReference(f"{_shown(found)} is not a {what}", hint=_case_hint(found, known, where))
        return known[found]

    return read


def _case_hint(typed: str, known: Mapping[Any, Any], where: str) -> str:
    """How to name a row of ``where``; if ``typed`` differs from an ID only in letter case, that ID."""
    folded = typed.casefold()
    if isinstance(known, Known):
        close = known.by_folded_case(folded)
    else:
        close = sorted(str(k) for k in known if str(k).casefold() == folded)
    if close:
        return f"IDs keep their letter case: write {quote(close[0])}"
    return f"use an ID from the {where} tab"


def _shown(item: str) -> str:
    return "an email address" if "@" in item else quote(item)


@dataclass(frozen=True, slots=True)
class Listed:
    """The readable items of a cell that lists several rows, and what could not be read."""

    found: tuple[Any, ...]
    held: tuple[str, ...] = ()
    """IDs of held rows it names."""
    unknown: tuple[str, ...] = ()
    """Items that name nothing."""

    @property
    def complete(self) -> bool:
        return not self.held and not self.unknown


class RowReader:
    """Reads one row's cells, recording a Problem on its column for each bad one, and never stopping.

    A bad cell in a column that ``holds_row`` holds the row (:attr:`usable` turns false);
    any other bad cell only loses its own value (:meth:`ok` gives ``None`` for it).
    """

    __slots__ = ("failed", "holding", "holds", "ident", "reading", "row", "table", "unnamed")

    def __init__(self, reading: Reading, table: Table, row: Row, ident: str | None = None) -> None:
        """``ident``: the row's ID (:func:`~braingain.core.tracker.cells.as_id`), when already known."""
        self.reading, self.table, self.row = reading, table, row
        self.failed: set[str] = set()
        self.holding = False
        self.unnamed = False
        """A row without a usable ID: held, and read only for the problems of its other cells."""
        self.holds: list[Hold] = []
        self.ident = cells.as_id(row.get(table.tab.id_column)) if ident is None else ident

    @property
    def usable(self) -> bool:
        """Whether no cell the row cannot do without has failed."""
        return not self.holding

    def problem(self, key: str, reason: str, *, hold_row: bool | None = None) -> None:
        """Report ``reason`` on the column ``key`` ("" for the whole row); holding the row if that
        column holds rows (or ``hold_row`` says so)."""
        column = self.table.tab.column(key) if key else None
        if self.unnamed and key == self.table.tab.id_column:
            return  # its ID problem is already said, once
        header = column.header if column else ""
        self.reading.problems.append(Problem(self.table.tab.title, self.row.number, header, reason))
        self.failed.add(key)
        if hold_row if hold_row is not None else (column is None or column.holds_row):
            self.holding = True

    def note(self, key: str, reason: str) -> None:
        """Report ``reason`` on the column ``key`` while keeping the cell's value (an assumption said)."""
        header = self.table.tab.column(key).header
        self.reading.problems.append(Problem(self.table.tab.title, self.row.number, header, reason))

    def hold(self, names: Iterable[Name], feeds: Iterable[str]) -> None:
        """Something this row feeds waits while one of its cells cannot be read."""
        found, fed = frozenset(names), frozenset(feeds)
        if found and fed:
            self.holds.append(Hold(self.table.tab.title, self.row.number, found, fed))

    def raw(self, key: str) -> Cell:
        return self.row.get(key)

    def has(self, key: str) -> bool:
        """Whether the tab has the column ``key``."""
        return key in self.table.columns

    def get(self, key: str, read: Callable[[Cell], T | None], *, required: bool = False) -> T | None:
        """The cell's value, or ``None`` when it is empty or bad (a bad one is reported)."""
        found = self.row.cells  # only the columns the tab has
        if key not in found:
            # The missing header is reported once, on row 1. Without a required column its value
            # is unknown (not empty); without an optional one it is simply not given.
            column = self.table.tab.column(key)
            if column.required:
                self.failed.add(key)
                if column.holds_row:
                    self.problem(
                        key, f"the column {quote(column.header)} is missing, so this row cannot be read"
                    )
            return None
        try:
            value = read(found[key])
        except Pending as wait:
            self.problem(key, f"held: waits for {wait.where} ({wait.ident}), which has a problem of its own")
            return None
        except DomainError as error:
            self.problem(key, error.explained)
            return None
        if value is None or value == "":  # (only text equals "")
            if required:
                self.problem(key, "is empty; fill it in")
            return None
        return value

    def need(self, key: str, read: Callable[[Cell], T | None]) -> T | None:
        """:meth:`get` for a required column: an empty cell is a problem too."""
        return self.get(key, read, required=True)

    def listed(self, key: str, known: Mapping[Any, Any], what: str, where: str) -> Listed:
        """A cell listing rows of ``known``: the readable ones are kept; the others are reported
        (all in one problem, which holds the row if the column does) and returned by kind, so
        the caller can hold what they feed."""
        if key not in self.table.columns:
            return Listed(())
        try:
            items = cells.items(self.raw(key))
        except DomainError as error:
            self.problem(key, error.explained)
            return Listed((), unknown=("?",))
        waiting: Mapping[str, str] = getattr(known, "held", {})
        found = tuple(known[i] for i in items if i in known)
        held = tuple(i for i in items if i in waiting)
        unknown = tuple(i for i in items if i not in known and i not in waiting)
        reasons = [f"held: waits for {waiting[i]} ({i}), which has a problem of its own" for i in held]
        if unknown:
            shown = ", ".join(_shown(i) for i in unknown[:3]) + (" ..." if len(unknown) > 3 else "")
            reasons.append(
                f"{shown} {'is' if len(unknown) == 1 else 'are'} not a {what} (use IDs from the {where} tab)"
            )
        if reasons:
            self.problem(key, "; ".join(reasons))
        return Listed(found, held, unknown)

    def ok(self, key: str, value: T | None) -> T | None:
        """``value``, or ``None`` once the cell ``key`` has failed (for :meth:`build`)."""
        return None if key in self.failed else value

    def build(self, make: Callable[[], T], fields: Mapping[str, str]) -> T | None:
        """Run a domain constructor, and report every value it refuses at once.

        Each refusal (a constructor refuses all its bad values together, as
        :class:`~braingain.core.errors.Refusals`) is reported on the column its field names
        (``fields``: the error's field -> column key; an unmapped field lands on the ID). It runs
        even on a row that another cell already holds, so that one sync lists every problem of
        the row. A refused column that does not hold the row is tried again without that cell
        (``make`` reads its values through :meth:`ok`). ``None`` when the row is held.
        """
        while True:
            try:
                found = make()
            except DomainError as error:
                again = False
                for one in each(error):
                    key = fields.get(one.field or "", self.table.tab.id_column)
                    if key in self.failed:  # refused again without the cell: the row cannot be built
                        self.problem(key, one.explained, hold_row=True)
                    else:
                        self.problem(key, one.explained)
                        again = True
                if not again or not self.usable:
                    return None
                continue
            return found if self.usable else None


class Reading:
    """What one read of the tracker has found so far: problems, and the rows and cells held."""

    def __init__(self, tables: Mapping[str, Table | None], problems: list[Problem]) -> None:
        self.tables = tables
        self.problems = problems
        self.holds: list[Hold] = []
        self.held: dict[str, dict[str, str]] = {}
        """Held rows by tab key: ID -> where ("Members row 7")."""
        self.remembered: dict[str, set[Name]] = {}
        """What a task was about when last read (its remembered team), by task ID."""
        self.entries: dict[str, LedgerEntry] = {}
        self.task_projects: dict[str, str] = {}
        self.ids: dict[str, set[str]] = {}
        """The IDs of each kind of row read so far (readable or held), to tell a typo from a row."""
        self.statuses: dict[str, TaskStatus] = {}
        """Each task's remembered status, by task ID."""
        self.pending: dict[str, tuple[TaskStatus, str]] = {}
        """A status typed on the Tasks tab but not applied, by task ID: (the status, what a person
        does so that it applies), for every message that depends on the task's status."""
        self.unnamed: dict[str, list[int]] = {}
        """Rows without an ID, by tab key: any of them may be a row the sync would append."""

    def rows(self, key: str) -> Iterator[RowReader]:
        """Each row of the tab, as a :class:`RowReader`: first those with a usable ID (after the
        caller is done with one, a held row is recorded: its ID, and a :class:`Hold` naming what
        it is about), then those without, already held, read only for their problems."""
        table = self.tables.get(key)
        if table is None:
            return
        kept = rows_with_ids(table, self.problems)
        numbers = {row.number for row, _ in kept}
        held = self.held.setdefault(key, {})
        for row in (*table.rows, *table.held):
            if row.number not in numbers:
                self._hold_row(table, row, own=row in table.held)
                if not cells.as_id(row.get(table.tab.id_column)):
                    self.unnamed.setdefault(key, []).append(row.number)
        for row in table.held:  # set aside by the layout (merged cells): rows naming them wait
            ident = cells.as_id(row.get(table.tab.id_column))
            if ident:
                held.setdefault(ident, f"{table.tab.title} row {row.number}")
        for row, ident in kept:
            reader = RowReader(self, table, row, ident)
            yield reader
            self.holds.extend(reader.holds)
            if reader.holding:
                held[reader.ident] = f"{table.tab.title} row {row.number}"
                self._hold_row(table, row)
        # A row without a usable ID (none, a duplicate, a formula error) is held, but its cells are
        # still read, so that one sync lists every problem of the row; nothing it holds is kept.
        for row in table.rows:
            if row.number not in numbers:
                reader = RowReader(self, table, row)
                reader.holding = reader.unnamed = True
                yield reader

    def known(self, key: str, found: Mapping[K, V]) -> Known[K, V]:
        """The rows read from the tab ``key``, with its held ones; names of their kind are now known."""
        known = Known(found, self.held.get(key, {}))
        if key in _OWN_KIND:
            self.ids[_OWN_KIND[key]] = set(known) | set(known.held)
        return known

    def _hold_row(self, table: Table, row: Row, *, own: bool = True) -> None:
        names = self.names_in(table, row, own=own)
        self.holds.append(Hold(table.tab.title, row.number, frozenset(names), self._feeds(table, row)))

    def _feeds(self, table: Table, row: Row) -> frozenset[str]:
        """The decisions a held row can change: what its tab feeds, less what the row's own
        remembered state rules out (a finished task carries nobody's open tasks; a dispute
        whose adjustment is on the Ledger, or that was not adjusted, changes no points)."""
        feeds = FEEDS.get(table.tab.key, frozenset())
        ident = cells.as_id(row.get(table.tab.id_column))
        if table.tab.key == "tasks":
            status = self.statuses.get(ident)
            if status is not None and not status.is_active:
                feeds -= {TOTALS}
            if not is_blank(row.get("due")) and (status is None or not status.is_final):
                feeds |= {SCHEDULE}  # its due date may change how often the group meets
            return feeds
        if table.tab.key == "projects" and not is_blank(row.get("milestones")):
            return feeds | {SCHEDULE}
        if table.tab.key == "meetings" and not ident:
            return feeds | {SCHEDULE}  # it may be a meeting already scheduled: none is added again
        if table.tab.key == "disputes":
            decision = cells.as_id(row.get("decision")).casefold()
            if f"dispute:{ident}" in self.entries or decision in ("", "open", "upheld", "withdrawn"):
                return frozenset()
        return feeds

    def names_in(self, table: Table, row: Row, *, own: bool = True) -> set[Name]:
        """What a row is about, from its typed cells (readable or not) and what is remembered."""
        names: set[Name] = set()
        about = _ABOUT.get(table.tab.key, frozenset())
        for key in table.columns:
            if key not in about:
                continue
            column = table.tab.column(key)
            kind = (
                _OWN_KIND.get(table.tab.key) if key == table.tab.id_column else _KIND_OF_TYPE.get(column.type)
            )
            if kind is None or (key == table.tab.id_column and not own):
                continue
            value = row.get(key)
            items = split_list(as_text(value)) if column.type == "members" else [cells.as_id(value)]
            known = self.ids.get(kind) if key != table.tab.id_column else None
            names.update((kind, item if known is None or item in known else ANY) for item in items if item)
        for kind, ident in list(names):
            names |= self.expand(kind, ident)
        return names

    def expand(self, kind: str, ident: str) -> set[Name]:
        """What else a name stands for: a task for its project and remembered team, a ledger
        entry for its member, project and task."""
        if kind == "task":
            found = set(self.remembered.get(ident, ()))
            if ident in self.task_projects:
                found.add(("project", self.task_projects[ident]))
            return found
        if kind != "entry":
            return set()
        if ident == ANY:
            return {("member", ANY), ("project", ANY)}
        entry = self.entries.get(ident)
        if entry is not None:
            found = {("member", str(entry.member_id)), ("project", str(entry.project_id))}
            return found | ({("task", entry.task_id)} if entry.task_id else set())
        parts = ident.split(":")
        if parts[0] == "award" and len(parts) >= 3:  # award:TASK:member, as the sync writes it
            return {("task", parts[1]), ("member", ":".join(parts[2:])), *self.expand("task", parts[1])}
        return set()


# --- what waits ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Waits:
    """The decisions that keep their last written value, ``(decision, id) -> why``."""

    certain: Mapping[tuple[str, str], str]
    """Decisions that depend on a held row or a lost cell: kept as they are."""
    unsure: Mapping[tuple[str, str], str]
    """Decisions a held row may feed, because a name in it matches nothing (a typo could stand
    for any of them): kept only where working them out again would change them."""


def waiting(group: Group, holds: Iterable[Hold], tables: Mapping[str, Table | None]) -> Waits:
    """Which decisions wait for which holds.

    Keys are ``(SELECTION, task id)``, ``(TOTALS, member id)``, ``(AUTHORSHIP, output id)``,
    ``(PROGRESS, project id)``, ``(AWARDED, task id)``, ``(MEETING, meeting id)``, and
    ``(SCHEDULE, "")`` for scheduling meetings ahead. :func:`report` says each on the Problems tab.
    """
    index: dict[tuple[str, Name], list[Hold]] = {}
    schedule: list[Hold] = []
    for hold in holds:
        for feed in hold.feeds:
            if feed == SCHEDULE:
                schedule.append(hold)
            for name in hold.names:
                index.setdefault((feed, name), []).append(hold)
    certain: dict[tuple[str, str], str] = {}
    unsure: dict[tuple[str, str], str] = {}
    if not index and not schedule:
        return Waits(certain, unsure)

    def check(decision: str, ident: str, about: list[Name]) -> None:
        by = {h for name in about for h in index.get((decision, name), ())}
        if by:
            certain[(decision, ident)] = _reason(by)
            return
        anyone = {h for kind in {k for k, _ in about} for h in index.get((decision, (kind, ANY)), ())}
        if anyone:
            unsure[(decision, ident)] = _reason(anyone)

    offers: dict[str, list[str]] = {}
    for offer in group.volunteers:
        offers.setdefault(offer.task_id, []).append(offer.member_id)
    for task in group.tasks.values():
        if task.status is TaskStatus.OPEN:
            check(SELECTION, task.id, [("task", task.id), *(("member", m) for m in offers.get(task.id, ()))])
        check(AWARDED, task.id, [("task", task.id)])
    for member in group.members:
        check(TOTALS, member, [("member", member)])
    for output in group.outputs.values():
        check(AUTHORSHIP, output.id, [("output", output.id), ("project", output.project_id)])
    for project in group.projects:
        check(PROGRESS, project, [("project", project)])
    meetings = tables.get("meetings")
    for ident in index_by_id(meetings) if meetings is not None else ():
        check(MEETING, ident, [("meeting", ident)])
    if schedule:
        certain[(SCHEDULE, "")] = _reason(set(schedule))
    return Waits(certain, unsure)


def blocking(holds: Iterable[Hold], about: Iterable[Name], feeds: Iterable[str]) -> tuple[Hold, ...]:
    """The holds an answer about ``about`` depends on, in sheet order: those that feed one of
    ``feeds`` and name one of ``about`` (or, through a name that matches nothing, any row of one
    of its kinds). A report built while any is held is not the whole answer."""
    wanted, fed = set(about), set(feeds)
    kinds = {kind for kind, _ in wanted}
    found = {
        h
        for h in holds
        if h.feeds & fed and any(n in wanted or (n[1] == ANY and n[0] in kinds) for n in h.names)
    }
    return tuple(sorted(found, key=lambda h: (h.tab, h.row)))


def _title(tables: Mapping[str, Table | None], key: str) -> str:
    table = tables.get(key)
    return table.tab.title if table is not None else ""


def _reason(holds: set[Hold]) -> str:
    places = sorted(
        {h.where for h in holds}, key=lambda w: (w.rsplit(" row ", 1)[0], int(w.rsplit(" ", 1)[1]))
    )
    shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
    return f"kept as it was: waits for {shown}, which cannot be read yet; it is worked out again once fixed"


def report(
    found: Mapping[tuple[str, str], str], tables: Mapping[str, Table | None], meetings: str = ""
) -> list[Problem]:
    """Each waiting decision as a Problem on the row and sync-owned column that hold it.

    ``meetings`` is the Meetings tab's title in the schema: scheduling that waits is said there even
    while the tab is missing (the sync adds it), so that the next sync says the same."""
    problems: list[Problem] = []
    rows: dict[str, dict[str, int]] = {}
    for (decision, ident), reason in sorted(found.items()):
        if decision == SCHEDULE:
            title = _title(tables, "meetings") or meetings
            if title:
                problems.append(Problem(title, 0, "", f"no new meetings are scheduled ahead: {reason}"))
            continue
        key, column = _WHERE[decision]
        table = tables.get(key)
        if table is None or column not in table.columns:
            continue
        if key not in rows:
            rows[key] = index_by_id(table)  # once per tab, not once per decision
        number = rows[key].get(ident)
        if number is not None:
            problems.append(Problem(table.tab.title, number, table.tab.column(column).header, reason))
    return problems
