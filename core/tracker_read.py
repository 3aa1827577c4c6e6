"""Reading the tracker into the domain model: every row validated, every problem located.

``read_tracker`` turns a :class:`~braingain.core.tracker.Snapshot` into a
:class:`~braingain.core.group.Group`. Each bad row (an unknown member, a bad email, a
non-IANA zone, an impossible date, a formula error, a duplicate ID, text in a number
column, an open task without acceptance criteria, ...) becomes a Problem with its tab,
row, column and reason; that row is skipped and the rest is read.

Task statuses are typed by people, so they are reconciled with what the sync
remembers (the hidden state tab): a change is applied only if the person named in
"Status changed by" may make it, through the lifecycle of ``braingain.core.tasks``.
A change that is not allowed is reported and the task keeps its last accepted status;
the typed value is left as it is for the leader to correct.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from braingain.core import cells
from braingain.core.authorship import (
    AuthorshipPolicy,
    Confirmation,
    Criterion,
    LeaderEvidence,
    Output,
    OutputKind,
)
from braingain.core.availability import Availability, Unavailability, parse_windows
from braingain.core.countries import country
from braingain.core.credit import CreditRole
from braingain.core.disputes import Dispute, DisputeEvent, DisputeStatus, raise_dispute
from braingain.core.errors import DomainError, InvalidValue, UnknownReference
from braingain.core.group import Group
from braingain.core.ids import EntryId, MemberId, OutputId, ProjectId, TaskId, check_id
from braingain.core.ledger import EntryKind, Ledger, LedgerEntry, award_entries
from braingain.core.meetings import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Cadence,
    MeetingRecord,
    MeetingSeries,
    Override,
    Presence,
)
from braingain.core.members import (
    DEGREE_ALIASES,
    SECTOR_ALIASES,
    Degree,
    DigestChannel,
    Gender,
    Member,
    Role,
    Sector,
)
from braingain.core.parsing import clean_text, parse_enum, parse_enum_list
from braingain.core.points import points
from braingain.core.projects import Milestone, Project, ProjectKind, Stage
from braingain.core.slots import RecurringSlot
from braingain.core.tasks import TRANSITIONS, Actor, Icmje, Task, TaskEvent, TaskStatus
from braingain.core.tracker import (
    Cell,
    Grid,
    Problem,
    Row,
    Schema,
    Snapshot,
    Table,
    as_text,
    read_table,
    rows_with_ids,
)
from braingain.core.tracker_presence import Absence, core_absences
from braingain.core.volunteering import Volunteer

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the group's configuration says (from ``braingain.toml``)."""

    name: str = "braingain group"
    policy: AuthorshipPolicy = field(default_factory=AuthorshipPolicy)
    open_task_limit: int | None = 3
    slot: RecurringSlot | None = None
    series_id: str = "meetings"
    series_first: date | None = None
    cadence: Cadence = field(default_factory=Cadence)
    blackouts: frozenset[date] = frozenset()
    schedule_ahead: timedelta = timedelta(weeks=8)
    """How far ahead meetings are announced (fixed) and added to the Meetings tab."""
    publish_agenda: timedelta = timedelta(days=2)
    """Agenda items added later than this before the meeting are marked late."""


# --- what the sync remembers ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskMemory:
    """A task's lifecycle as last accepted by the sync."""

    status: TaskStatus
    contributors: tuple[MemberId, ...]
    head: MemberId | None
    history: tuple[TaskEvent, ...]
    shares: tuple[tuple[MemberId, Decimal], ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {
                "status": self.status.value,
                "contributors": list(self.contributors),
                "head": self.head,
                "shares": [[m, str(w)] for m, w in self.shares],
                "history": [
                    [e.at.isoformat(), e.by, e.from_status.value, e.to_status.value, e.note]
                    for e in self.history
                ],
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> TaskMemory:
        data = json.loads(text)
        return cls(
            status=TaskStatus(data["status"]),
            contributors=tuple(MemberId(m) for m in data["contributors"]),
            head=MemberId(data["head"]) if data.get("head") else None,
            history=tuple(
                TaskEvent(datetime.fromisoformat(at), MemberId(by), TaskStatus(a), TaskStatus(b), note)
                for at, by, a, b, note in data["history"]
            ),
            shares=tuple((MemberId(m), Decimal(w)) for m, w in data.get("shares", [])),
        )

    @classmethod
    def of(cls, task: Task) -> TaskMemory:
        return cls(task.status, task.contributors, task.head, task.history, task.shares)


@dataclass(frozen=True, slots=True)
class State:
    """The sync's memory, one row per key in the hidden state tab."""

    tasks: Mapping[TaskId, TaskMemory] = field(default_factory=dict)
    scheduled: tuple[date, ...] = ()
    delivered: frozenset[str] = frozenset()
    sheets: Mapping[str, int] = field(default_factory=dict)
    """Each tab's sheetId (Google), so that a renamed tab is still found."""

    def rows(self) -> dict[str, str]:
        """The state tab's rows: key -> value."""
        found = {f"task:{tid}": memory.to_json() for tid, memory in self.tasks.items()}
        found.update({f"sheet:{key}": str(sheet_id) for key, sheet_id in self.sheets.items()})
        if self.scheduled:
            found["meetings:scheduled"] = json.dumps([d.isoformat() for d in self.scheduled])
        found.update({f"delivered:{key}": "sent" for key in self.delivered})
        return found

    @classmethod
    def from_rows(cls, rows: Mapping[str, str], problems: list[Problem], title: str) -> State:
        tasks: dict[TaskId, TaskMemory] = {}
        scheduled: tuple[date, ...] = ()
        delivered: set[str] = set()
        sheets: dict[str, int] = {}
        for key, value in rows.items():
            try:
                if key.startswith("sheet:"):
                    sheets[key[6:]] = int(value)
                elif key.startswith("task:"):
                    tasks[TaskId(key[5:])] = TaskMemory.from_json(value)
                elif key == "meetings:scheduled":
                    scheduled = tuple(sorted(date.fromisoformat(d) for d in json.loads(value)))
                elif key.startswith("delivered:"):
                    delivered.add(key[10:])
            except (ValueError, KeyError, TypeError):
                problems.append(
                    Problem(
                        title,
                        0,
                        key,
                        "braingain's memory of this item is damaged; it was rebuilt from the tabs",
                    )
                )
        return cls(tasks, scheduled, frozenset(delivered), sheets)


def _find_grid(snapshot: Snapshot, title: str, sheet_id: int | None) -> Grid | None:
    """A tab by its title, or, if a leader renamed it, by the sheetId the sync remembers."""
    found = snapshot.grid(title)
    if found is not None or sheet_id is None:
        return found
    return next((g for g in snapshot.grids.values() if g.sheet_id == sheet_id), None)


# --- reading rows ----------------------------------------------------------------------------


class _Skip(Exception):
    """A row has a problem: skip it (the problem is already recorded)."""


class RowReader:
    """Reads one row's cells, recording a Problem for each bad one."""

    def __init__(self, table: Table, row: Row, problems: list[Problem]) -> None:
        self.table, self.row, self.problems = table, row, problems
        self.bad = False

    def problem(self, key: str, reason: str) -> None:
        header = self.table.tab.column(key).header if key else ""
        self.problems.append(Problem(self.table.tab.title, self.row.number, header, reason))
        self.bad = True

    def raw(self, key: str) -> Cell:
        return self.row.get(key)

    def get(self, key: str, read: Callable[[Cell], T | None], *, required: bool = False) -> T | None:
        if key not in self.table.columns:
            if required:
                self.problem("", f"the column {self.table.tab.column(key).header!r} is missing")
            return None
        try:
            value = read(self.raw(key))
        except _Pending:
            raise _Skip from None
        except DomainError as error:
            self.problem(key, error.explained)
            return None
        if value is None or value == "":
            if required:
                self.problem(key, "is empty; fill it in")
            return None
        return value

    def need(self, key: str, read: Callable[[Cell], T | None]) -> T:
        value = self.get(key, read, required=True)
        if value is None:
            raise _Skip
        return value

    @contextmanager
    def checking(self, key: str, *, fields: Mapping[str, str] | None = None) -> Iterator[None]:
        """Run domain code; a refusal becomes this row's problem, on the column the error names
        (through ``fields``, from the error's field to a column key) or else on ``key``, and skips the row."""
        try:
            yield
        except DomainError as error:
            column = (fields or {}).get(error.field or "", key)
            self.problem(column, error.explained)
            raise _Skip from None

    def done(self) -> None:
        if self.bad:
            raise _Skip


def _rows(table: Table | None, problems: list[Problem]) -> Iterable[tuple[RowReader, str]]:
    if table is None:
        return
    for row in rows_with_ids(table, problems):
        yield RowReader(table, row, problems), cells.text(row.get(table.tab.id_column))


def _choice(enum: type[Any], aliases: Mapping[str, Any] | None = None) -> Callable[[Cell], Any]:
    def read(value: Cell) -> Any:
        found = cells.text(value)
        return parse_enum(enum, found, "value", aliases=aliases) if found else None

    return read


def member_zone(who: Member) -> ZoneInfo | None:
    """The zone a member's own date-times are read in: their Time zone (``None`` if unreadable)."""
    return who.zone


def _moment(r: RowReader, key: str, who: Member) -> datetime:
    """A date-time that belongs to ``who``: one typed without an offset is their wall-clock time.

    If their zone is unreadable it is read as UTC, and the problem says so (nothing is
    guessed silently); a cell that gives its own offset or zone needs no assumption.
    """
    zone = member_zone(who)
    at: datetime = r.need(key, lambda v: cells.datetime_value(v, zone or cells.UTC_ZONE))
    if zone is None and not cells.gives_zone(r.raw(key)):
        header = r.table.tab.column(key).header
        r.problems.append(
            Problem(
                r.table.tab.title,
                r.row.number,
                header,
                f"has no UTC offset and {who.id}'s time zone cannot be read, so it was read as UTC; "
                "fix their Time zone on the Members tab, or add the offset (e.g. 2026-03-14 10:00 +01:00)",
            )
        )
    return at


class _Pending(Exception):
    """A row refers to a row that has its own problem: skip it quietly (the cause is reported)."""


K = TypeVar("K", bound=str)
V = TypeVar("V")


class Known(dict[K, V]):
    """Rows read from a tab, and the IDs of its rows that were held back by a problem."""

    def __init__(self, found: Mapping[K, V], held: Iterable[str] = ()) -> None:
        super().__init__(found)
        self.held = frozenset(held) - set(found)


def _held(table: Table | None, found: Mapping[Any, Any]) -> Iterable[str]:
    if table is None:
        return ()
    return {cells.as_id(r.get(table.tab.id_column)) for r in (*table.rows, *table.held)} - set(found)


def _ref(known: Mapping[Any, Any], what: str, where: str) -> Callable[[Cell], Any]:
    waiting: frozenset[str] = getattr(known, "held", frozenset())

    def read(value: Cell) -> Any:
        found = cells.text(value)
        if not found:
            return None
        if found in waiting:
            raise _Pending
        if found not in known:
            raise _unknown(found, known, what, f"use an ID from the {where} tab")
        return known[found]

    return read


def _refs(known: Mapping[Any, Any], what: str, where: str) -> Callable[[Cell], list[Any]]:
    waiting: frozenset[str] = getattr(known, "held", frozenset())

    def read(value: Cell) -> list[Any]:
        found = []
        for item in cells.items(value):
            if item in waiting:
                raise _Pending
            if item not in known:
                raise _unknown(item, known, what, f"use IDs from the {where} tab")
            found.append(known[item])
        return found

    return read


def _unknown(typed: str, known: Mapping[Any, Any], what: str, hint: str) -> UnknownReference:
    """``typed`` names no row; if it differs from an ID only in letter case, the hint names that ID."""
    shown = "an email address" if "@" in typed else repr(typed)
    folded = typed.casefold()
    close = sorted(str(k) for k in known if str(k).casefold() == folded)
    if close:
        hint = f"IDs keep their letter case: write {close[0]!r}"
    return UnknownReference(f"{shown} is not a {what}", hint=hint)


@dataclass(frozen=True, slots=True)
class ReadResult:
    group: Group
    problems: tuple[Problem, ...]
    tables: Mapping[str, Table | None]
    state: State
    changes: tuple[str, ...]
    """Status changes applied on this sync, in words."""
    new_entries: tuple[LedgerEntry, ...]
    """Awards and dispute resolutions to append to the Ledger tab."""
    absent: tuple[Absence, ...] = ()
    """Core tabs that are not really there (missing, renamed, emptied, still loading): when any
    is, nothing derived may be written (see :mod:`braingain.core.tracker_presence`)."""


def read_tracker(schema: Schema, snapshot: Snapshot, settings: Settings, now: datetime) -> ReadResult:
    """Read every tab; bad rows are reported and skipped, the rest becomes the group."""
    problems: list[Problem] = []
    state_tab = schema.tab("state")
    state_grid = snapshot.grid(state_tab.title)
    state_table = read_table(state_tab, state_grid, [])
    # Keys are matched as IDs are; a value is braingain's own JSON, read exactly as written.
    state_rows = (
        {cells.as_id(r.get("key")): as_text(r.get("value")) for r in state_table.rows} if state_table else {}
    )
    state = State.from_rows(state_rows, problems, schema.tab("state").title)
    grids = {tab.key: _find_grid(snapshot, tab.title, state.sheets.get(tab.key)) for tab in schema.tabs}
    tables = {tab.key: read_table(tab, grids[tab.key], problems) for tab in schema.tabs}
    sheets = {
        key: grid.sheet_id for key, grid in grids.items() if grid is not None and grid.sheet_id is not None
    }
    absent = core_absences(
        schema,
        snapshot,
        tables,
        grids,
        remembered={
            "tasks": len(state.tasks),
            "ledger": sum(1 for m in state.tasks.values() if m.status is TaskStatus.ACCEPTED),
        },
    )

    found_members = _read_members(tables.get("members"), problems)
    members = Known(found_members, _held(tables.get("members"), found_members))
    availability = _read_availability(tables.get("availability"), members, problems)
    found_projects = _read_projects(tables.get("projects"), members, problems)
    projects = Known(found_projects, _held(tables.get("projects"), found_projects))
    changes: list[str] = []
    found_tasks = _read_tasks(tables.get("tasks"), members, projects, state, now, problems, changes)
    tasks = Known(found_tasks, _held(tables.get("tasks"), found_tasks))
    volunteers = _read_volunteers(tables.get("volunteers"), members, tasks, problems)
    remembered = {t for t, m in state.tasks.items() if m.status is TaskStatus.ACCEPTED}
    ledger = _read_ledger(tables.get("ledger"), members, projects, tasks, problems, remembered)
    new_entries: list[LedgerEntry] = []
    on_sheet = set(_held(tables.get("ledger"), {})) | {e.id for e in ledger}
    awarded_on_sheet = {i.split(":")[1] for i in on_sheet if i.startswith("award:") and i.count(":") >= 2}
    for task in sorted(tasks.values(), key=lambda t: (t.accepted_at or now, t.id)):
        if (
            task.accepted_at is not None
            and not ledger.is_awarded(task.id)
            and task.id not in awarded_on_sheet
        ):
            reviewer = members.get(task.history[-1].by)
            if reviewer is None:
                continue
            try:
                new_entries.extend(ledger.award(task, by=reviewer))
            except DomainError as error:
                problems.append(
                    Problem(schema.tab("tasks").title, 0, task.id, f"could not award points: {error}")
                )
    disputes = _read_disputes(tables.get("disputes"), members, ledger, tasks, problems, new_entries, on_sheet)
    outputs, confirmations, evidence = _read_outputs(tables.get("outputs"), members, projects, problems, now)

    series = None
    if settings.slot is not None:
        first = settings.series_first or settings.slot.first_on_or_after(now.date())
        try:
            series = MeetingSeries.create(
                id=settings.series_id,
                slot=settings.slot,
                first=settings.slot.first_on_or_after(first),
                cadence=settings.cadence,
                blackouts=settings.blackouts,
                scheduled=[d for d in state.scheduled if d >= settings.slot.first_on_or_after(first)],
            )
        except DomainError as error:
            problems.append(Problem("configuration", 0, "meetings", str(error)))
    records, overrides = _read_meetings(tables, series, members, problems)
    if series is not None and overrides:
        series = replace(series, overrides=tuple(sorted(overrides, key=lambda o: o.planned)))

    group = Group.create(
        settings.name,
        members=members.values(),
        projects=projects.values(),
        tasks=tasks.values(),
        outputs=outputs,
        volunteers=volunteers,
        ledger=ledger,
        disputes=disputes,
        confirmations=confirmations,
        evidence=evidence,
        policy=settings.policy,
        open_task_limit=settings.open_task_limit,
        availability=availability.values(),
        series=series,
        records=records,
    )
    return ReadResult(
        group=group,
        problems=tuple(sorted(set(problems), key=lambda p: (p.tab, p.row, p.column, p.reason))),
        tables=tables,
        # A task whose row has a problem (or whose tab is missing) keeps its remembered lifecycle:
        # fixing the typo must never reset accepted work to draft.
        state=replace(
            state, tasks={**state.tasks, **{t.id: TaskMemory.of(t) for t in tasks.values()}}, sheets=sheets
        ),
        changes=tuple(changes),
        new_entries=tuple(new_entries),
        absent=absent,
    )


_MEMBER_FIELDS = {
    "email": "email",
    "time zone": "zone",
    "given names": "given_names",
    "surname": "surname",
    "slack user id": "slack",
    "digest channel": "digest",
    "left on": "left",
    "member id": "id",
}


def _read_members(table: Table | None, problems: list[Problem]) -> dict[MemberId, Member]:
    found: dict[MemberId, Member] = {}
    emails: dict[str, int] = {}
    for r, ident in _rows(table, problems):
        try:
            given = r.need("given_names", cells.required_text)
            surname = r.need("surname", cells.required_text)
            email = r.need("email", cells.required_text)
            role = r.need("role", _choice(Role))
            zone = r.need("zone", cells.required_text)
            home = r.need("country", lambda v: country(cells.text(v)) if cells.text(v) else None)
            gender = r.need("gender", _choice(Gender))
            degrees = r.get(
                "degrees", lambda v: parse_enum_list(Degree, cells.text(v), "degrees", aliases=DEGREE_ALIASES)
            )
            sectors = r.get(
                "sectors", lambda v: parse_enum_list(Sector, cells.text(v), "sectors", aliases=SECTOR_ALIASES)
            )
            joined = r.need("joined", cells.date_value)
            left = r.get("left", cells.date_value)
            slack = r.get("slack", cells.optional_text)
            digest = r.get("digest", _choice(DigestChannel)) or DigestChannel.EMAIL
            active = r.get("active", lambda v: cells.boolean(v, default=True))
            r.done()
            with r.checking("id", fields=_MEMBER_FIELDS):
                member = Member.create(
                    id=ident,
                    given_names=given,
                    surname=surname,
                    email=email,
                    role=role,
                    zone=zone,
                    country=home,
                    gender=gender,
                    degrees=tuple(degrees or ()),
                    specialization=r.get("specialization", cells.optional_text),
                    sectors=tuple(sectors or ()),
                    joined_on=joined,
                    left_on=left,
                    slack_user_id=slack,
                    digest_channel=digest,
                    active=True if active is None else active,
                )
        except _Skip:
            continue
        address = member.email.address.casefold()
        if address in emails:
            r.problem("email", f"the same email is on row {emails[address]}; each member needs their own")
            continue
        emails[address] = r.row.number
        found[member.id] = member
    return found


def _read_availability(
    table: Table | None, members: Mapping[MemberId, Member], problems: list[Problem]
) -> dict[MemberId, Availability]:
    windows: dict[MemberId, list[Any]] = {}
    away: dict[MemberId, list[Unavailability]] = {}
    for r, _ in _rows(table, problems):
        try:
            who: Member = r.need("member", _ref(members, "member", "Members"))
            found = r.get("windows", lambda v: parse_windows(cells.text(v)) if cells.text(v) else None)
            first = r.get("away_from", cells.date_value)
            last = r.get("away_until", cells.date_value)
            r.done()
            if found:
                windows.setdefault(who.id, []).extend(found)
            reason = r.get("reason", cells.text) or ""
            if first is not None or last is not None:
                begin = first or last
                end = last or first
                assert begin is not None
                assert end is not None
                with r.checking("away_until"):
                    span = Unavailability(begin, end, reason)
                away.setdefault(who.id, []).append(span)
            if not found and first is None and last is None:
                r.problem("windows", "gives neither weekly windows nor unavailable dates")
        except _Skip:
            continue
    return {
        m: Availability(m, members[m].zone, tuple(windows.get(m, ())), tuple(away.get(m, ())))
        for m in sorted(set(windows) | set(away))
    }


def _parse_milestones(text: str) -> tuple[Milestone, ...]:
    found = []
    for line in text.splitlines():
        line = clean_text(line)  # a no-break space after the date is a space
        if not line:
            continue
        day_text, _, rest = line.partition(" ")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise InvalidValue(
                f"{line!r} does not start with a date", hint="one per line: YYYY-MM-DD name [stage]"
            ) from None
        stage = None
        rest = rest.strip()
        if rest.endswith("]") and "[" in rest:
            rest, _, tail = rest.rpartition("[")
            stage = tail[:-1].strip()
            rest = rest.strip()
        if not rest:
            raise InvalidValue(f"{line!r} has no name", hint="one per line: YYYY-MM-DD name [stage]")
        found.append(Milestone(rest, day, stage))
    return tuple(found)


def _parse_stages(text: str) -> tuple[Stage, ...]:
    stages = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        key, sep, name = part.partition(":")
        if not sep:
            raise InvalidValue(f"{part.strip()!r} is not key: name", hint="e.g. design: Design the workshop")
        stages.append(Stage.create(key.strip(), name.strip()))
    return tuple(stages)


def _read_projects(
    table: Table | None, members: Mapping[MemberId, Member], problems: list[Problem]
) -> dict[ProjectId, Project]:
    found: dict[ProjectId, Project] = {}
    for r, ident in _rows(table, problems):
        try:
            title = r.need("title", cells.required_text)
            kind = r.need("kind", _choice(ProjectKind))
            lead: Member = r.need("lead", _ref(members, "member", "Members"))
            stages = r.get("stages", lambda v: _parse_stages(cells.text(v)) or None)
            milestones = r.get("milestones", lambda v: _parse_milestones(as_multiline(v)) or None)
            start = r.get("start", cells.date_value)
            end = r.get("end", cells.date_value)
            r.done()
            with r.checking("stages" if stages else "milestones"):
                project = Project.create(
                    id=ident,
                    title=title,
                    kind=kind,
                    lead=lead.id,
                    stages=stages,
                    milestones=milestones or (),
                    start=start,
                    end=end,
                )
        except _Skip:
            continue
        found[project.id] = project
    return found


def as_multiline(value: Cell) -> str:
    return "" if value is None else str(value)


_ICMJE = {"1": Icmje.DESIGN_ACQUISITION_ANALYSIS, "2": Icmje.DRAFTING_OR_REVISION, "none": Icmje.NONE}


def _icmje(value: Cell) -> Icmje | None:
    found = cells.text(value).casefold()
    if not found:
        return None
    if found not in _ICMJE:
        raise InvalidValue(
            f"{found!r} is not 1, 2 or none", hint="1: design/acquisition/analysis; 2: drafting"
        )
    return _ICMJE[found]


def _shares(value: Cell) -> dict[MemberId, Decimal] | None:
    """``ada.obiora 2; efe.ighodalo 1.5``: members separated by semicolons or new lines (or, when
    there are none, by commas), each with a weight; a weight is read as every number is."""
    typed = as_multiline(value)
    parts = (
        [text for text in (cells.text(p) for p in re.split(r"[;\n]", typed)) if text]
        if re.search(r"[;\n]", typed)
        else cells.items(value)
    )
    found: dict[MemberId, Decimal] = {}
    for part in parts:
        who, _, weight = part.rpartition(" ")
        if not who:
            comma = "; a comma separates members, so write decimals with a dot (1.5)" if "," in typed else ""
            raise InvalidValue(
                f"{part!r} is not 'member share'", hint=f"e.g. ada.obiora 2; efe.ighodalo 1{comma}"
            )
        found[MemberId(who.strip())] = cells.number(weight) or Decimal(0)
    return found or None


def _path(start: TaskStatus, goal: TaskStatus, allowed: set[Actor]) -> list[TaskStatus] | None:
    """The shortest chain of transitions from ``start`` to ``goal`` that ``allowed`` may make."""
    frontier: list[list[TaskStatus]] = [[start]]
    seen = {start}
    while frontier:
        path = frontier.pop(0)
        for (frm, to), who in TRANSITIONS.items():
            if frm is not path[-1] or to in seen or not who & allowed:
                continue
            if to is goal:
                return [*path[1:], to]
            seen.add(to)
            frontier.append([*path, to])
    return None


def _advance(
    task: Task, goal: TaskStatus, actor: Member, now: datetime, note: str, contributors: tuple[MemberId, ...],
    head: MemberId | None,
) -> Task:  # fmt: skip
    """Move ``task`` to ``goal`` by ``actor``, step by step through the lifecycle."""
    allowed = {Actor.LEADER} if actor.is_leader else set()
    if actor.id == (head or task.head):
        allowed.add(Actor.HEAD)
    steps = _path(task.status, goal, allowed)
    if steps is None:
        task.check_transition(goal, actor)  # raises with the allowed transitions and who may make them
        raise InvalidValue(f"cannot reach '{goal.value}'")  # pragma: no cover - check_transition raises
    for step in steps:
        if step is TaskStatus.OPEN:
            task = task.open(by=actor, at=now)
        elif step is TaskStatus.ASSIGNED:
            if not contributors or head is None:
                raise InvalidValue(
                    "an assigned task needs its contributors and its mini-team head",
                    hint="fill in Contributors and Mini-team head",
                )
            task = task.assign(contributors, head=head, by=actor, at=now)
        elif step is TaskStatus.ACCEPTED:
            task = task.accept(by=actor, at=now, note=note)
        elif step is TaskStatus.NEEDS_REWORK:
            task = task.request_rework(by=actor, at=now, note=note)
        elif step is TaskStatus.SUBMITTED:
            task = task.submit(by=actor, at=now, note=note)
        elif step is TaskStatus.CANCELLED:
            task = task.cancel(by=actor, at=now, note=note)
        elif task.status is TaskStatus.NEEDS_REWORK:
            task = task.resume(by=actor, at=now)
        else:
            task = task.start_work(by=actor, at=now)
    return task


def _read_tasks(
    table: Table | None,
    members: Mapping[MemberId, Member],
    projects: Mapping[ProjectId, Project],
    state: State,
    now: datetime,
    problems: list[Problem],
    changes: list[str],
) -> dict[TaskId, Task]:
    found: dict[TaskId, Task] = {}
    for r, ident in _rows(table, problems):
        try:
            project: Project = r.need("project", _ref(projects, "project", "Projects"))
            stage = r.need("stage", cells.required_text)
            title = r.need("title", cells.required_text)
            deliverable = r.need("deliverable", cells.required_text)
            criteria = r.get("criteria", cells.text) or ""
            worth = r.need("points", cells.number)
            role = r.need("credit_role", lambda v: CreditRole.parse(cells.text(v)) if cells.text(v) else None)
            icmje = r.need("icmje", _icmje)
            supervisor: Member = r.need("supervisor", _ref(members, "member", "Members"))
            cap = r.get("max_volunteers", cells.integer)
            head_member: Member | None = r.get("head", _ref(members, "member", "Members"))
            team: list[Member] = r.get("contributors", _refs(members, "member", "Members")) or []
            shares = r.get("shares", _shares)
            start = r.get("start", cells.date_value)
            due = r.get("due", cells.date_value)
            typed = r.need("status", _choice(TaskStatus))
            actor: Member | None = r.get("changed_by", _ref(members, "member", "Members"))
            note = r.get("note", cells.text) or ""
            r.done()
            with r.checking("stage"):
                task = Task.create(
                    id=ident,
                    project=project,
                    stage=stage,
                    title=title,
                    deliverable=deliverable,
                    acceptance_criteria=criteria,
                    points_worth=worth,
                    credit_role=role,
                    icmje=icmje,
                    supervisor=supervisor,
                    max_volunteers=cap,
                    start=start,
                    due=due,
                )
        except _Skip:
            continue
        contributors = tuple(m.id for m in team)
        head = head_member.id if head_member else None
        memory = state.tasks.get(task.id)
        if memory is not None:
            task = replace(
                task,
                status=memory.status,
                history=memory.history,
                contributors=memory.contributors,
                head=memory.head,
                shares=memory.shares,
            )
        if not task.acceptance_criteria and task.status not in (TaskStatus.DRAFT, TaskStatus.CANCELLED):
            r.problem(
                "criteria",
                f"task {task.id} is {task.status.value} but has no acceptance criteria; "
                "write what the work must meet (they were there when it opened)",
            )
            continue
        if typed is not task.status:
            if actor is None:
                r.problem("changed_by", f"the status changed to '{typed.value}': say who changed it")
            else:
                before = task.status
                try:
                    task = _advance(task, typed, actor, now, note, contributors, head)
                    changes.append(f"{task.id}: {before.value} -> {typed.value} by {actor.id}")
                except DomainError as error:
                    r.problem(
                        "status",
                        f"'{typed.value}' was not applied, the task stays '{task.status.value}': "
                        f"{error.explained}",
                    )
        reassigned = set(contributors) != set(task.contributors) or head != task.head
        if task.status.is_active and contributors and reassigned:
            try:
                task = _reassign(task, contributors, head)
            except DomainError as error:
                r.problem("contributors", error.explained)
        if task.status is TaskStatus.ACCEPTED:
            if shares is not None and dict(shares) != dict(task.shares) and task.shares:
                r.problem(
                    "shares", "the shares of an accepted task are final; record a correction as an adjustment"
                )
        elif shares:
            try:
                task = task.with_shares(shares, by=supervisor)
            except DomainError as error:
                r.problem("shares", error.explained)
        found[task.id] = task
    return found


def _reassign(task: Task, contributors: tuple[MemberId, ...], head: MemberId | None) -> Task:
    """A leader edited the team of an assigned task: check the cap and the head, keep the history."""
    if task.max_volunteers is not None and len(contributors) > task.max_volunteers:
        raise InvalidValue(
            f"{len(contributors)} contributors, but the task takes at most {task.max_volunteers}",
            hint="remove contributors or raise Max volunteers",
        )
    if head is None or head not in contributors:
        raise InvalidValue("the mini-team head must be one of the contributors", hint="fix Mini-team head")
    return replace(task, contributors=contributors, head=head, shares=())


def _read_volunteers(
    table: Table | None,
    members: Mapping[MemberId, Member],
    tasks: Mapping[TaskId, Task],
    problems: list[Problem],
) -> list[Volunteer]:
    found = []
    for r, _ in _rows(table, problems):
        try:
            task: Task = r.need("task", _ref(tasks, "task", "Tasks"))
            who: Member = r.need("member", _ref(members, "member", "Members"))
            at = _moment(r, "at", who)
            r.done()
        except _Skip:
            continue
        found.append(Volunteer(task.id, who.id, at, r.get("note", cells.text) or ""))
    return found


def volunteer_overrides(table: Table | None) -> dict[TaskId, tuple[list[MemberId], list[MemberId]]]:
    """Leader overrides per task: (forced in, forced out), from the Volunteers tab."""
    found: dict[TaskId, tuple[list[MemberId], list[MemberId]]] = {}
    if table is None:
        return found
    for row in table.rows:
        choice = cells.text(row.get("override")).casefold() if "override" in table.columns else ""
        if choice not in ("in", "out"):
            continue
        task, who = TaskId(cells.text(row.get("task"))), MemberId(cells.text(row.get("member")))
        forced = found.setdefault(task, ([], []))
        (forced[0] if choice == "in" else forced[1]).append(who)
    return found


def _read_ledger(
    table: Table | None,
    members: Mapping[MemberId, Member],
    projects: Mapping[ProjectId, Project],
    tasks: Mapping[TaskId, Task],
    problems: list[Problem],
    remembered: set[TaskId],
) -> Ledger:
    """Ledger rows; an award is checked against its task's split only when that task reads cleanly
    now (an award was checked when it was made, and a typo elsewhere must not drop anyone's points)."""
    ledger = Ledger()
    for r, ident in _rows(table, problems):
        try:
            kind = r.need("kind", _choice(EntryKind))
            who: Member = r.need("member", _ref(members, "member", "Members"))
            project: Project = r.need("project", _ref(projects, "project", "Projects"))
            task = r.get("task", lambda v: TaskId(cells.text(v)) if cells.text(v) else None)
            held_task = task is not None and (
                task in getattr(tasks, "held", ()) or (task not in tasks and task in remembered)
            )
            amount = r.need("points", _points)
            reason = r.need("reason", cells.required_text)
            by: Member = r.need("recorded_by", _ref(members, "member", "Members"))
            at = _moment(r, "recorded_at", by)
            corrects = r.get("corrects", lambda v: EntryId(cells.text(v)) if cells.text(v) else None)
            r.done()
            entry = LedgerEntry(
                id=EntryId(ident),
                kind=kind,
                member_id=who.id,
                project_id=project.id,
                task_id=task,
                points=amount,
                reason=reason,
                recorded_by=by.id,
                recorded_at=at,
                corrects=corrects,
            )
            if kind is EntryKind.AWARD and not held_task:
                awarded = tasks.get(task) if task else None
                if awarded is None or awarded.status is not TaskStatus.ACCEPTED:
                    r.problem("task", "an award must name an accepted task")
                    raise _Skip
                shares = {e.member_id: e.points for e in award_entries(awarded, by=by)}
                if shares.get(who.id) != entry.points:
                    r.problem(
                        "points", "does not match the task's split; record a correction as an adjustment"
                    )
                    raise _Skip
            elif not by.is_leader:
                r.problem("recorded_by", f"{by.name} is not a leader; only leaders adjust points")
                raise _Skip
            with r.checking("id"):
                ledger.append(entry)
        except _Skip:
            continue
    return ledger


def _points(value: Cell) -> Decimal | None:
    """Points to the cent, as the ledger makes them: 1 read back is the 1.00 that was written, so
    what is computed from it reads the same on every sync."""
    found = cells.number(value)
    return points(found) if found is not None else None


def _read_disputes(
    table: Table | None,
    members: Mapping[MemberId, Member],
    ledger: Ledger,
    tasks: Mapping[TaskId, Task],
    problems: list[Problem],
    new_entries: list[LedgerEntry],
    on_sheet: set[str],
) -> list[Dispute]:
    found = []
    for r, ident in _rows(table, problems):
        try:
            who: Member = r.need("member", _ref(members, "member", "Members"))
            entry = r.get("entry", lambda v: EntryId(cells.text(v)) if cells.text(v) else None)
            task = r.get("task", _ref(tasks, "task", "Tasks"))
            reason = r.need("reason", cells.required_text)
            raised = _moment(r, "raised_at", who)
            decision = r.get("decision", _choice(DisputeStatus)) or DisputeStatus.OPEN
            amount = r.get("adjustment", cells.number)
            resolver: Member | None = r.get("resolved_by", _ref(members, "member", "Members"))
            note = r.get("resolution", cells.text) or ""
            r.done()
            with r.checking("entry" if entry else "task"):
                dispute = raise_dispute(
                        id=ident, member=who, ledger=ledger, reason=reason, at=raised, entry=entry,
                        task=task.id if task is not None else None,
                        project=task.project_id if task is not None and entry is None else None,
                    )  # fmt: skip
            if decision is not DisputeStatus.OPEN:
                dispute = _resolve(
                    r, dispute, decision, amount, resolver, note, raised, ledger, new_entries, on_sheet
                )
        except _Skip:
            continue
        found.append(dispute)
    return found


def _resolve(
    r: RowReader,
    dispute: Dispute,
    decision: DisputeStatus,
    amount: Decimal | None,
    resolver: Member | None,
    note: str,
    raised: datetime,
    ledger: Ledger,
    new_entries: list[LedgerEntry],
    on_sheet: set[str],
) -> Dispute:
    if decision is DisputeStatus.WITHDRAWN:
        event = DisputeEvent(raised, dispute.member_id, "withdrawn", note)
        return replace(dispute, status=decision, trail=(*dispute.trail, event))
    if resolver is None:
        r.problem("resolved_by", f"a dispute marked {decision.value} needs the leader who resolved it")
        raise _Skip
    existing = f"dispute:{dispute.id}"
    if decision is DisputeStatus.ADJUSTED:
        if amount is None:
            r.problem("adjustment", "an adjusted dispute needs the points to add (or subtract)")
            raise _Skip
        if existing in on_sheet and not any(e.id == existing for e in ledger):
            # Its ledger row is there but has a problem of its own (reported there): never append it again.
            return replace(dispute, status=decision)
        if any(e.id == existing for e in ledger):
            entry = ledger.get(EntryId(existing))
            event = DisputeEvent(entry.recorded_at, resolver.id, f"adjusted by {entry.points}", note)
            return replace(dispute, status=decision, trail=(*dispute.trail, event), resolution_entry=entry.id)
        with r.checking("adjustment"):
            resolved, entry = dispute.adjust(ledger=ledger, amount=amount, by=resolver, at=raised, note=note)
        new_entries.append(entry)
        return resolved
    with r.checking("resolution"):
        return dispute.uphold(by=resolver, at=raised, note=note)


_CRITERION = {"1": Criterion.DESIGN_ACQUISITION_ANALYSIS, "2": Criterion.DRAFTING_OR_REVISION}


def _read_outputs(
    table: Table | None,
    members: Mapping[MemberId, Member],
    projects: Mapping[ProjectId, Project],
    problems: list[Problem],
    now: datetime,
) -> tuple[list[Output], list[Confirmation], list[LeaderEvidence]]:
    outputs: list[Output] = []
    confirmations: list[Confirmation] = []
    evidence: list[LeaderEvidence] = []
    for r, ident in _rows(table, problems):
        try:
            project: Project = r.need("project", _ref(projects, "project", "Projects"))
            kind = r.need("kind", _choice(OutputKind))
            title = r.need("title", cells.required_text)
            stages = r.get("stages", lambda v: cells.items(v) or None)
            approved: list[Member] = r.get("approved", _refs(members, "member", "Members")) or []
            accountable: list[Member] = r.get("accountable", _refs(members, "member", "Members")) or []
            notes = r.get("evidence", lambda v: as_multiline(v).strip() or None) or ""
            r.done()
            with r.checking("stages"):
                output = Output.create(id=ident, project=project, kind=kind, title=title, stages=stages)
            for line in (line.strip() for line in notes.splitlines()):
                if not line:
                    continue
                parts = [p.strip() for p in line.split(";")]
                if (
                    len(parts) != 4
                    or parts[1] not in _CRITERION
                    or parts[0] not in members
                    or parts[3] not in members
                ):
                    r.problem(
                        "evidence",
                        f"{line!r} is not 'member; 1 or 2; what they did; leader'",
                    )
                    raise _Skip
                who, criterion, what, leader = (
                    MemberId(parts[0]),
                    _CRITERION[parts[1]],
                    parts[2],
                    MemberId(parts[3]),
                )
                if not members[leader].is_leader:
                    r.problem("evidence", f"{leader} is not a leader; evidence is recorded by leaders")
                    raise _Skip
                with r.checking("evidence"):
                    evidence.append(LeaderEvidence(who, output.id, criterion, what, leader))
        except _Skip:
            continue
        outputs.append(output)
        approving = {m.id for m in approved}
        owning = {m.id for m in accountable}
        confirmations.extend(
            Confirmation(who, OutputId(output.id), who in approving, who in owning, now)
            for who in sorted(approving | owning)
        )
    return outputs, confirmations, evidence


def _read_meetings(
    tables: Mapping[str, Table | None],
    series: MeetingSeries | None,
    members: Mapping[MemberId, Member],
    problems: list[Problem],
) -> tuple[list[MeetingRecord], list[Override]]:
    records: dict[str, MeetingRecord] = {}
    overrides: list[Override] = []
    meetings = tables.get("meetings")
    if series is None:
        for key in ("meetings", "agenda", "actions"):
            table = tables.get(key)
            if table is not None and table.rows:
                problems.append(
                    Problem(table.tab.title, 0, "", "no meeting slot is configured, so meetings are not read")
                )
        return [], []
    prefix = f"{series.id}:"
    for r, ident in _rows(meetings, problems):
        try:
            if not ident.startswith(prefix):
                r.problem("id", f"{ident!r} is not a meeting of the series {series.id!r}")
                raise _Skip
            with r.checking("id"):
                planned = _planned(ident, prefix)
            status = cells.text(r.raw("status")).casefold() if "status" in r.table.columns else ""
            moved_to = r.get("moved_to", lambda v: cells.datetime_value(v, series.slot.zone))
            note = r.get("note", cells.text) or ""
            minutes = r.get("minutes", lambda v: as_multiline(v).strip() or None)
            decisions = r.get(
                "decisions", lambda v: [d.strip() for d in as_multiline(v).splitlines() if d.strip()]
            )
            present: list[Member] = r.get("present", _refs(members, "member", "Members")) or []
            absent: list[Member] = r.get("absent", _refs(members, "member", "Members")) or []
            excused: list[Member] = r.get("excused", _refs(members, "member", "Members")) or []
            by: Member | None = r.get("recorded_by", _ref(members, "member", "Members"))
            r.done()
            if status == "cancelled":
                overrides.append(Override(planned, None, note, by.id if by else MemberId("unknown")))
            elif status == "moved":
                if moved_to is None:
                    r.problem("moved_to", "a moved meeting needs its new date and time")
                    raise _Skip
                overrides.append(Override(planned, moved_to, note, by.id if by else MemberId("unknown")))
            if minutes:
                if by is None or not by.is_leader:
                    r.problem("recorded_by", "minutes are recorded by a leader: name them in Minutes by")
                    raise _Skip
                attendance = {m.id: Presence.PRESENT for m in present}
                attendance |= {m.id: Presence.ABSENT for m in absent}
                attendance |= {m.id: Presence.EXCUSED for m in excused}
                records[ident] = MeetingRecord(ident).record_minutes(
                    minutes=minutes, decisions=decisions or (), attendance=attendance, by=by
                )
        except _Skip:
            continue

    def meeting_of(value: Cell) -> str | None:
        found = cells.text(value)
        if found and not found.startswith(prefix):
            raise UnknownReference(
                f"{found!r} is not a meeting of the series", hint="use an ID from the Meetings tab"
            )
        return found or None

    for r, _ in _rows(tables.get("agenda"), problems):
        try:
            meeting = r.need("meeting", meeting_of)
            item = r.need("item", cells.required_text)
            who: Member = r.need("added_by", _ref(members, "member", "Members"))
            at = _moment(r, "added_at", who)
            r.done()
        except _Skip:
            continue
        record = records.get(meeting) or MeetingRecord(meeting)
        records[meeting] = replace(record, agenda=(*record.agenda, AgendaItem(item, who.id, at)))
    for r, ident in _rows(tables.get("actions"), problems):
        try:
            meeting = r.need("meeting", meeting_of)
            title = r.need("title", cells.required_text)
            owner: Member = r.need("owner", _ref(members, "member", "Members"))
            due = r.get("due", cells.date_value)
            action_status = r.get("status", _choice(ActionStatus)) or ActionStatus.OPEN
            r.done()
        except _Skip:
            continue
        record = records.get(meeting) or MeetingRecord(meeting)
        action = ActionItem(check_id(ident, "action id"), meeting, title, owner.id, due, action_status)
        records[meeting] = replace(record, actions=(*record.actions, action))
    return list(records.values()), overrides


def _planned(ident: str, prefix: str) -> date:
    try:
        return date.fromisoformat(ident[len(prefix) :])
    except ValueError:
        raise InvalidValue(
            f"{ident!r} does not end with the meeting's planned date", hint=f"e.g. {prefix}2026-03-07"
        ) from None
