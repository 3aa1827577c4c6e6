"""Seeded races on Google: a person edits the tracker at the exact moment between a sync's read and
its write, and nothing they typed is lost.

A case (one seed) takes one of three base trackers made with ``braingain init --google`` on
the loopback fake: a new one on its first sync (every Check, the meetings ahead, the Problems
tab); the same with a tab and a column deleted (so that the sync adds them first, in a
structural request, before it reads again and writes); or one a month later where a leader
has just accepted a task (four awards appended to the Ledger, meetings appended, points and
progress updated, every tab one row short of full). The seed picks one or two
person's edits (:class:`Edit`): type into any row of any tab (the first empty row of the
Ledger and of Meetings included), insert rows at the top, in the middle or at the bottom
(and type into them), delete rows, move a column, rename a header, rename a tab. The fake's
request hook applies them to a copy of the base just before the first request that follows
the sync's read (the structural request or the guard read), or, in about one case in three,
just before the guard read: the sync planned on the tracker as it was, and writes to the
tracker as the person left it.

What a case checks (:class:`Outcome`):

- **no person-typed cell is overwritten**: after the raced sync, every cell outside the
  sync-owned columns of the rows that were there (every cell of a tab the schema does not
  know, a renamed one included; every header) holds what it held right after the edit;
- **no write lands in a wrong row**: every sync-owned cell the raced sync changed is a cell
  it planned for the row with that identity (its ID, or what is typed in a row without one)
  and the column with that header, and holds the planned value;
- **appended rows land below everything**: the rows below the last row the person left are
  exactly the rows the sync planned to append whose IDs were not there yet, in order, each
  cell under its header (or none of a tab's rows, when the sync said it could not place them);
- **every cell the sync did not write, it said so**: a planned change that did not land (its
  row deleted, its ID changed or repeated, its header renamed, its tab renamed) is in what
  the sync reports as not written (:class:`~braingain.core.tracker.schema.Unwritten`);
- **the next sync converges**: the checks above make the tracker after the race exactly what
  it would be had the sync written its plan just before the person's edit (each cell on its
  row and under its header, the new rows below everything), less what the sync said it did
  not write. From there, the syncs that follow write only what the edit and the cells held
  back call for, and then nothing: the race adds no sync to the way to the fixed point. A
  sync that writes nothing comes within as many syncs as the same edit needs without a race
  (two calm syncs of a copy where the edit came first: one that writes, one that does not,
  once every sync reaches the fixed point). Where the edit makes the tracker refuse to sync
  without a race (a core tab renamed before braingain knew its sheet), a refusal after the
  race is that same answer.

``python -m tests.integrations.races 1000`` (``make races``) runs seeds 0..999 and prints a
summary; ``tests/integrations/test_races.py`` runs a fixed sample of them in ``make test``.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TextIO

import gspread

from braingain.core.parsing import header_key
from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.schema import (
    AddColumns,
    Cell,
    CellWrite,
    Owner,
    Tab,
    TrackerWrite,
    Unwritten,
    cells_equal,
    column_letter,
    row_id,
)
from braingain.integrations import compose
from braingain.integrations.config import Config, TrackerConfig
from braingain.integrations.errors import TrackerNotThere
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.google_sheets import (
    GoogleSheets,
    create_spreadsheet,
    google_session,
    read_value,
)
from braingain.integrations.tracker.schema import load_schema
from braingain.sample import sample_group
from tests.fakes.fixtures import authorized_user_info, google_endpoints
from tests.fakes.google import FakeGoogle
from tests.tracker.helpers import sample_settings

SCHEMA = load_schema()
TODAY = date(2026, 11, 25)
T0 = datetime(2026, 11, 25, 12, tzinfo=UTC)
LATER = T0 + timedelta(days=35)
SETTLE = 4
"""The most syncs a case runs after the race before it calls the tracker unsettled."""
GUARD = "values.batchGetByDataFilter"
READ = "values.batchGet"
AFTER_READ = "the first request after the read"
WRITE = "the write, after the guard read"
"""When a person's edit lands: just before the first request after the sync's read, just before
the guard read, or just before the write itself (in the instant after the guard read)."""
Tabs = dict[str, list[list[object]]]
"""A tracker's cells as the fake holds them: tab title -> rows of values ("" for an empty cell)."""


def schema_tab(title: str) -> Tab | None:
    return next((t for t in SCHEMA.tabs if header_key(t.title) == header_key(title)), None)


def cell(rows: Sequence[Sequence[object]], row: int, column: int) -> object:
    """A cell of ``rows`` (1-based), ``""`` beyond them."""
    if row > len(rows) or column > len(rows[row - 1]):
        return ""
    return rows[row - 1][column - 1]


def last_row(rows: Sequence[Sequence[object]]) -> int:
    """The last row (1-based) holding anything but blanks; 1 for a header alone."""
    for number in range(len(rows), 1, -1):
        if any(str(v).strip() for v in rows[number - 1]):
            return number
    return 1


def headers(rows: Sequence[Sequence[object]]) -> list[str]:
    return [header_key(str(v)) for v in (rows[0] if rows else [])]


# --------------------------------------------------------------------------------------------
# A person's edits
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One thing a person does in the Sheets UI. Rows and columns are 1-based."""

    kind: str  # "type", "insert", "delete", "move", "rename header", "rename tab"
    tab: str
    row: int = 0
    count: int = 1
    column: int = 0
    to: int = 0
    typed: tuple[tuple[int, object], ...] = ()
    """(column, value) typed into ``row`` (for an insert: into the first inserted row)."""
    title: str = ""

    def apply(self, fake: FakeGoogle, sid: str) -> None:
        if self.kind == "insert":
            fake.insert_rows(sid, self.tab, self.row, self.count)
        elif self.kind == "delete":
            fake.delete_rows(sid, self.tab, self.row, self.count)
        elif self.kind == "move":
            fake.move_columns(sid, self.tab, self.column, 1, self.to)
        elif self.kind == "rename header":
            fake.set_values(sid, self.tab, f"{column_letter(self.column)}1", [[self.title]])
        elif self.kind == "rename tab":
            fake.rename_tab(sid, self.tab, self.title)
        for column, value in self.typed:
            fake.set_values(sid, self.tab, f"{column_letter(column)}{self.row}", [[value]])

    def __str__(self) -> str:
        where = f"{self.tab}!{self.row}" if self.row else self.tab
        typed = f", typing {dict(self.typed)}" if self.typed else ""
        if self.kind == "move":
            return f"move {self.tab} column {column_letter(self.column)} before {column_letter(self.to)}"
        if self.kind in ("rename header", "rename tab"):
            what = f"column {column_letter(self.column)} of {self.tab}" if self.column else self.tab
            return f"{self.kind}: {what} -> {self.title!r}"
        return f"{self.kind} {self.count if self.kind != 'type' else ''} at {where}{typed}".replace("  ", " ")


VOCABULARY: tuple[object, ...] = ("typed during the sync", "a leader's note", 7, 2.5, "yes", "0012", "")


def _people_columns(tab: Tab, rows: Sequence[Sequence[object]]) -> list[int]:
    """The columns of ``rows`` whose header is a person-owned column of ``tab``, or no column at all."""
    sync = {header_key(c.header) for c in tab.columns if c.owner is Owner.SYNC}
    return [i for i, key in enumerate(headers(rows), start=1) if key not in sync]


def _realistic(tab: Tab, rows: Sequence[Sequence[object]], seed: int) -> dict[str, object]:
    """What a leader types into the first empty row of the Ledger or Meetings (by column key)."""
    if tab.key == "ledger":
        return {
            "id": f"adjust-race-{seed}",
            "kind": "adjustment",
            "member": "zainab.musawa",
            "project": "sr-migration",
            "points": 1.5,
            "reason": "Typed while the sync ran",
            "recorded_by": "ada.obiora",
            "recorded_at": "2026-11-25 09:00",
        }
    return {
        "id": f"extra-{seed}",
        "status": "scheduled",
        "note": "An extra meeting",
        "recorded_by": "ada.obiora",
    }


def edits_for(rng: random.Random, tabs: Tabs, seed: int, then: Callable[[Edit], Tabs]) -> tuple[Edit, ...]:
    """One edit, or two (about one case in three), chosen by ``rng`` on the tracker ``tabs``; the
    second on the tracker as the first left it (``then`` applies an edit and answers that)."""
    first = _edit(rng, tabs, seed)
    if rng.random() >= 0.3:
        return (first,)
    return (first, _edit(rng, then(first), seed))


def _edit(rng: random.Random, tabs: Tabs, seed: int) -> Edit:
    titles = [t for t in tabs if (tab := schema_tab(t)) is not None and not tab.sync_owned]
    kind = rng.choice(["type", "type", "insert", "insert", "delete", "move", "rename header", "rename tab"])
    if kind == "rename tab":
        title = rng.choice(sorted(tabs))
        return Edit(kind, title, title=f"{title} (old)")
    title = rng.choice(titles)
    rows = tabs[title]
    tab = schema_tab(title)
    assert tab is not None
    last = last_row(rows)
    width = max(len(headers(rows)), 1)
    if kind in ("move", "rename header"):
        column = rng.randint(1, width)
        if kind == "move":
            to = rng.choice([c for c in range(1, width + 2) if c not in (column, column + 1)])
            return Edit(kind, title, column=column, to=to)
        return Edit(kind, title, column=column, title=f"{cell(rows, 1, column)} (renamed)")
    row = rng.choice([2, 2, rng.randint(2, max(last, 2)), last, last + 1])
    if kind == "delete":
        return Edit(kind, title, row=min(row, max(last, 2)), count=rng.choice([1, 1, 2]))
    people = _people_columns(tab, rows)
    if kind == "type" and tab.key in ("ledger", "meetings") and rng.random() < 0.5:
        row = last + 1  # the first empty row of a tab the sync appends to
        by_key = {header_key(c.header): c.key for c in tab.columns}
        values = _realistic(tab, rows, seed)
        typed = tuple(
            (i, values[by_key[key]])
            for i, key in enumerate(headers(rows), start=1)
            if by_key.get(key) in values
        )
        return Edit(kind, title, row=row, typed=typed)
    if kind == "type" and rng.random() < 0.15:
        row = last + rng.randint(2, 4)  # a note well below the table
    picked = sorted(rng.sample(people, min(len(people), rng.randint(1, 3)))) if people else [width + 1]
    typed = tuple((c, rng.choice(VOCABULARY)) for c in picked)
    if kind == "insert":
        return Edit(
            kind, title, row=row, count=rng.choice([1, 1, 2]), typed=typed if rng.random() < 0.6 else ()
        )
    return Edit(kind, title, row=row, typed=typed)


# --------------------------------------------------------------------------------------------
# The races
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one seeded race did, and every way it lost something (each list empty: nothing lost)."""

    seed: int
    base: str
    edits: tuple[Edit, ...]
    moment: str = ""
    """The request just before which the edits landed."""
    written: int = 0
    unwritten: tuple[Unwritten, ...] = ()
    overwritten: list[str] = field(default_factory=list)
    wrong_rows: list[str] = field(default_factory=list)
    appends: list[str] = field(default_factory=list)
    diverged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.moment) and not (
            self.overwritten or self.wrong_rows or self.appends or self.diverged
        )

    def __str__(self) -> str:
        lines = [f"seed {self.seed} ({self.base} tracker), edits landing before {self.moment or 'nothing'}:"]
        lines += [f"  edit: {e}" for e in self.edits]
        lines += [f"  not written: {u}" for u in self.unwritten]
        for name in ("overwritten", "wrong_rows", "appends", "diverged"):
            lines += [f"  {name.replace('_', ' ')}: {problem}" for problem in getattr(self, name)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Race:
    """One race: what it did wrong (``outcome``), the raced copy (settled since), the raced sync,
    and the tracker as the person left it and as the raced sync left it."""

    outcome: Outcome
    sid: str
    sync: compose.SyncOutcome
    person: Tabs
    written: Tabs
    requests: Mapping[str, int]
    """What the raced sync cost, by route (the token's included)."""


class Races:
    """The fake, a signed-in client and the base trackers, shared by every case."""

    def __init__(self, fake: FakeGoogle, folder: Path) -> None:
        self.fake = fake
        key = folder / "google-signin.json"
        key.write_text(json.dumps(authorized_user_info(fake)), encoding="utf-8")
        self.settings = sample_settings(TODAY)
        self.environment = {"GOOGLE_APPLICATION_CREDENTIALS": str(key)}
        group = sample_group(TODAY)
        rows = dict(group_rows(group))
        rows["state"] = state_rows(group_state(group))
        new = create_spreadsheet(self.config(None), SCHEMA, title="races", rows=rows)
        session = google_session(self.config(new))
        fake.add_cleanup(session.close)
        self.http = gspread.Client(session.credentials, session=session).http_client
        self._trim(new, spare=6)
        later = fake.copy_spreadsheet(new)
        self.sync(later, T0)
        self._type(later, "SR-T08", {"Status": "submitted", "Status changed by": "amara.okorafor"})
        self.sync(later, T0)
        self._type(later, "SR-T08", {"Status": "accepted", "Status changed by": "ada.obiora"})
        self._trim(later, spare=1)  # appends must grow the tab
        gaps = fake.copy_spreadsheet(new)  # its first sync adds a tab and a column first
        fake.delete_tab(gaps, "Action items")
        fake.delete_columns(gaps, "Disputes", fake.values(gaps, "Disputes")[0].index("Check") + 1)
        self.bases = {"new": (new, T0), "accepted": (later, LATER), "incomplete": (gaps, T0)}

    def typing(self, base_name: str, title: str, row: int, values: Mapping[str, object]) -> Edit:
        """A person typing ``values`` (by column key) into ``row`` of a base tracker's tab ``title``."""
        tab = schema_tab(title)
        assert tab is not None
        keys = headers(self.tabs(self.bases[base_name][0])[title])
        typed = [(keys.index(header_key(tab.column(key).header)) + 1, value) for key, value in values.items()]
        return Edit("type", title, row=row, typed=tuple(sorted(typed)))

    def config(self, sid: str | None) -> Config:
        tracker = TrackerConfig(backend="google", spreadsheet_id=sid, share_with_leaders=False)
        return Config(
            source=None,
            settings=self.settings,
            tracker=tracker,
            endpoints=google_endpoints(self.fake),
            environment=self.environment,
        )

    def sync(self, sid: str, at: datetime) -> compose.SyncOutcome:
        sheets = GoogleSheets(sid, self.http, schema=SCHEMA, retry=RetryPolicy(sleep=lambda _: None))
        return compose.run_sync(self.config(sid), apply=True, at=at, backend=sheets)

    def tabs(self, sid: str) -> Tabs:
        return {s["title"]: self.fake.values(sid, s["title"]) for s in self.fake.sheets(sid)}

    def _trim(self, sid: str, *, spare: int) -> None:
        """Make each tab ``spare`` rows longer than what it holds (a smaller grid copies faster)."""
        for sheet in self.fake.sheets(sid):
            keep = last_row(self.fake.values(sid, sheet["title"])) + spare
            rows = sheet["gridProperties"]["rowCount"]
            if rows > keep:
                self.fake.delete_rows(sid, sheet["title"], keep + 1, rows - keep)

    def _type(self, sid: str, task: str, values: Mapping[str, object]) -> None:
        rows = self.fake.values(sid, "Tasks")
        number = next(i for i, r in enumerate(rows, start=1) if r and r[0] == task)
        for header, value in values.items():
            column = rows[0].index(header) + 1
            self.fake.set_values(sid, "Tasks", f"{column_letter(column)}{number}", [[value]])

    def case(self, seed: int) -> tuple[str, tuple[Edit, ...], bool]:
        """What the race of ``seed`` is: its base tracker, its edits, and whether they land just
        before the guard read (else just before the first request after the read)."""
        rng = random.Random(seed)
        base_name = rng.choice(sorted(self.bases))
        base, _ = self.bases[base_name]
        scratch = self.fake.copy_spreadsheet(base)

        def then(edit: Edit) -> Tabs:
            edit.apply(self.fake, scratch)
            return self.tabs(scratch)

        edits = edits_for(rng, self.tabs(base), seed, then)
        self.fake.forget(scratch)
        return base_name, edits, rng.random() < 0.3

    def run(self, seed: int) -> Outcome:
        """The race of ``seed``: its base, its edits and their moment all follow from the seed."""
        base_name, edits, late = self.case(seed)
        race = self.race(base_name, edits, moment=GUARD if late else AFTER_READ, seed=seed)
        self.fake.forget(race.sid)
        return race.outcome

    def race(
        self, base_name: str, edits: Sequence[Edit], *, moment: str = AFTER_READ, seed: int = -1
    ) -> Race:
        """A sync of a copy of a base tracker, ``edits`` landing between its read and its write
        (``moment``: :data:`AFTER_READ`, :data:`GUARD` or :data:`WRITE`), checked
        (:class:`Outcome`), then synced until it writes nothing."""
        base, at = self.bases[base_name]
        before = self.tabs(base)
        outcome = Outcome(seed, base_name, tuple(edits))
        raced = self.fake.copy_spreadsheet(base)
        person: Tabs = {}
        self.fake.reset_counts()
        with self._person(raced, edits, moment=moment, outcome=outcome, seen=person):
            first = self.sync(raced, at)
        requests = {route: n for route, n in self.fake.counts.items() if n}
        outcome.written = len(first.plan.write.cells)
        outcome.unwritten = first.unwritten
        written = self.tabs(raced)
        if not outcome.moment:
            outcome.diverged.append("the sync wrote nothing, so the edit never raced it")
            return Race(outcome, raced, first, person, written, requests)
        _check_written(outcome, before, person, written, first.plan.write)
        after = self._writing_syncs(raced, at)
        if after != 0:  # anything but a quiet next sync is measured against the same edit without a race
            calm = self.fake.copy_spreadsheet(base)
            for edit in edits:
                edit.apply(self.fake, calm)
            _check_converged(outcome, after, self._writing_syncs(calm, at))
            self.fake.forget(calm)
        return Race(outcome, raced, first, person, written, requests)

    @contextmanager
    def _person(
        self, sid: str, edits: Sequence[Edit], *, moment: str, outcome: Outcome, seen: Tabs
    ) -> Iterator[None]:
        """Apply ``edits`` just before the request ``moment`` names (the first request after the
        sync's read, the guard read, or the write after it), and keep the tracker as the person
        left it in ``seen``."""
        seen_routes: set[str] = set()
        failed: list[Exception] = []

        def hook(route: str) -> None:
            if outcome.moment:
                return
            due = (
                (moment == AFTER_READ and READ in seen_routes)
                or (moment == GUARD and route == GUARD)
                or (moment == WRITE and GUARD in seen_routes)
            )
            seen_routes.add(route)
            if not due:
                return
            outcome.moment = route
            try:
                for edit in edits:
                    edit.apply(self.fake, sid)
            except Exception as error:  # the test's own mistake: raised in the test, not in the fake
                failed.append(error)
            seen.update(self.tabs(sid))

        self.fake.on_request(hook)
        try:
            yield
        finally:
            self.fake.on_request(None)
        if failed:
            raise failed[0]

    def _writing_syncs(self, sid: str, at: datetime) -> int | str:
        """How many syncs write before one writes nothing (at most :data:`SETTLE`), or why a sync
        refused to write (a string)."""
        for count in range(SETTLE + 1):
            try:
                if self.sync(sid, at).plan.write.empty:
                    return count
            except TrackerNotThere as refused:
                return f"refused ({refused.reason})"
        return f"still writing after {SETTLE} syncs"


# --------------------------------------------------------------------------------------------
# What a race must not do
# --------------------------------------------------------------------------------------------


class _Rows:
    """A tab's rows with its header read once: rows found again by identity."""

    def __init__(self, tab: Tab, rows: Sequence[Sequence[object]]) -> None:
        self.rows = rows
        self.keys = headers(rows)
        self.sync = {header_key(c.header) for c in tab.columns if c.owner is Owner.SYNC}
        id_key = header_key(tab.column(tab.id_column).header)
        self.id_column = self.keys.index(id_key) + 1 if self.keys.count(id_key) == 1 else 0
        self.ids = Counter(self.id_of(n) for n in range(2, last_row(rows) + 1))
        self.typed = [
            (i, key)
            for i, key in enumerate(self.keys, start=1)
            if key and key not in self.sync and self.keys.count(key) == 1
        ]

    def id_of(self, number: int) -> str:
        return row_id(_as_cell(cell(self.rows, number, self.id_column))) if self.id_column else ""

    def identity(self, number: int) -> tuple[object, ...]:
        """A row as the test finds it again: its ID when no other row has it, else its typed cells."""
        ident = self.id_of(number)
        if ident and self.ids[ident] == 1:
            return ("id", ident)
        typed = ((key, str(cell(self.rows, number, i)).strip()) for i, key in self.typed)
        return ("row", *sorted(pair for pair in typed if pair[1]))


def _as_cell(value: object) -> Cell:
    return value if isinstance(value, str | int | float | bool) else None


def _typed_value(tab: Tab, header: str, raw: object) -> Cell:
    column = next((c for c in tab.columns if header_key(c.header) == header), None)
    return read_value(raw, column.type if column is not None else None)


Planned = dict[tuple[object, ...], Cell]


def _planned(
    before: Tabs, write: TrackerWrite
) -> tuple[Planned, dict[str, list[dict[str, Cell]]], dict[tuple[object, ...], CellWrite]]:
    """The raced sync's plan, by (tab, row identity, header) for existing rows, the rows it
    appends (by header) by tab key, both as the tracker was when it was read, and the cells of
    people's columns it fills (a default in a blank cell, "held" over its own "scheduled"), by
    (tab, row identity, header): written only where the cell still holds what was read."""
    by_identity: Planned = {}
    fills: dict[tuple[object, ...], CellWrite] = {}
    appended: dict[str, dict[int, dict[str, Cell]]] = {}
    indexes: dict[str, _Rows] = {}
    added = {
        (change.tab.key, change.first_column + offset): header_key(column.header)
        for change in write.structure
        if isinstance(change, AddColumns)
        for offset, column in enumerate(change.columns)
    }
    for write_ in write.cells:
        key = write.tab_key(write_.tab)
        tab = SCHEMA.tab(key) if key else schema_tab(write_.tab)
        rows = before.get(write_.tab)
        if tab is None or rows is None:
            continue
        index = indexes.get(write_.tab) or indexes.setdefault(write_.tab, _Rows(tab, rows))
        keys = index.keys
        header = keys[write_.column - 1] if write_.column <= len(keys) else ""
        header = header or added.get((tab.key, write_.column), "")
        if write_.row > last_row(rows):
            appended.setdefault(tab.key, {}).setdefault(write_.row, {})[header] = write_.value
        elif write_.fill:
            fills[(tab.key, index.identity(write_.row), header)] = write_
        else:
            by_identity[(tab.key, index.identity(write_.row), header)] = write_.value
    return by_identity, {key: [rows[n] for n in sorted(rows)] for key, rows in appended.items()}, fills


def _check_written(outcome: Outcome, before: Tabs, person: Tabs, written: Tabs, write: TrackerWrite) -> None:
    """The tracker after the race is what the person left with the plan written into it: nothing
    they typed overwritten, each planned cell on the row and under the header it was planned for
    (or said not written), new rows below everything."""
    planned, appended, fills = _planned(before, write)
    held = {header_key(u.tab) for u in outcome.unwritten}
    placed: set[tuple[object, ...]] = set()
    for title, rows in person.items():
        tab = schema_tab(title)
        now = written.get(title)
        if now is None:
            outcome.overwritten.append(f"the tab {title!r} is gone")
            continue
        if tab is not None and tab.sync_owned:
            _check_rewritten(outcome, tab, before.get(title, []), now, write, title)
            continue
        # a column the sync added has its header now, and none in what the person left
        width = max(len(rows[0]) if rows else 0, len(now[0]) if now else 0)
        keys = [
            a or b for a, b in zip(_padded(headers(rows), width), _padded(headers(now), width), strict=True)
        ]
        index = _Rows(tab, rows) if tab is not None else None
        sync = index.sync if index is not None else set()
        for number in range(1, last_row(rows) + 1):
            identity = index.identity(number) if index is not None and number > 1 else ()
            for column in range(1, width + 1):
                was, got = cell(rows, number, column), cell(now, number, column)
                key = keys[column - 1]
                where = f"{title}!{column_letter(column)}{number}"
                if number == 1 or tab is None or key not in sync:
                    fill = fills.get((tab.key, identity, key)) if tab is not None else None
                    if (
                        fill is not None
                        and tab is not None
                        and cells_equal(_typed_value(tab, key, was), fill.was)  # still as it was read
                        and cells_equal(_typed_value(tab, key, got), fill.value)
                    ):
                        continue  # filled as planned: nothing a person typed is written over
                    if got != was and not (number == 1 and was == ""):  # a header the sync adds
                        outcome.overwritten.append(f"{where}: {was!r} became {got!r}")
                    continue
                if (tab.key, identity, key) not in planned:
                    if got != was:
                        outcome.wrong_rows.append(f"{where} ({key}): {was!r} became {got!r}, not planned")
                    continue
                wanted = planned[tab.key, identity, key]
                if keys.count(key) == 1:
                    placed.add((tab.key, identity, key))
                if not cells_equal(_typed_value(tab, key, got), wanted):
                    outcome.wrong_rows.append(f"{where} ({key}): holds {got!r}, planned {wanted!r}")
        if tab is not None:
            _check_appended(outcome, tab, rows, now, appended.get(tab.key, []), held)
    for key in sorted({str(k[0]) for k in planned if k not in placed}):
        if not SCHEMA.tab(key).sync_owned and header_key(SCHEMA.tab(key).title) not in held:
            outcome.wrong_rows.append(
                f"{SCHEMA.tab(key).title}: planned cells neither written nor said not written"
            )


def _padded(keys: list[str], width: int) -> list[str]:
    return keys + [""] * (width - len(keys))


def _check_rewritten(
    outcome: Outcome,
    tab: Tab,
    before: Sequence[Sequence[object]],
    now: Sequence[Sequence[object]],
    write: TrackerWrite,
    title: str,
) -> None:
    """A sync-owned tab holds, under each of its headers, what was read with the plan written over it."""
    if header_key(tab.title) in {header_key(u.tab) for u in outcome.unwritten}:
        return
    wanted: dict[tuple[int, str], Cell] = {}
    keys_before = headers(before)
    for number in range(2, last_row(before) + 1):
        for column, key in enumerate(keys_before, start=1):
            wanted[number, key] = _typed_value(tab, key, cell(before, number, column))
    for planned in write.cells:
        if header_key(planned.tab) == header_key(title) and planned.column <= len(keys_before):
            wanted[planned.row, keys_before[planned.column - 1]] = planned.value
    keys_now = headers(now)
    bottom = max([last_row(now), *(row for row, _ in wanted)], default=1)
    for schema_column in tab.columns:
        key = header_key(schema_column.header)
        if keys_now.count(key) != 1:
            continue
        position = keys_now.index(key) + 1
        for number in range(2, bottom + 1):
            got, value = _typed_value(tab, key, cell(now, number, position)), wanted.get((number, key))
            if not cells_equal(got, value):
                where = f"{title}!{column_letter(position)}{number}"
                outcome.wrong_rows.append(f"{where}: holds {got!r}, planned {value!r}")


def _check_appended(
    outcome: Outcome,
    tab: Tab,
    rows: Sequence[Sequence[object]],
    now: Sequence[Sequence[object]],
    planned: Sequence[Mapping[str, Cell]],
    held: set[str],
) -> None:
    id_key = header_key(tab.column(tab.id_column).header)
    present = {
        row_id(_as_cell(cell(rows, n, c)))
        for n in range(2, last_row(rows) + 1)
        for c in [_index(rows, id_key)]
        if c
    }
    expected = [row for row in planned if row_id(row.get(id_key)) not in present]
    keys = headers(now)
    got = [
        {key: _typed_value(tab, key, cell(now, n, i)) for i, key in enumerate(keys, start=1) if key}
        for n in range(last_row(rows) + 1, last_row(now) + 1)
    ]
    if not got and header_key(tab.title) in held:
        return  # the sync said it could not place this tab's new rows: the next sync adds them
    if len(got) != len(expected):
        outcome.appends.append(
            f"{tab.title}: {len(got)} row(s) below the person's rows, {len(expected)} planned"
        )
        return
    for found, wanted in zip(got, expected, strict=True):
        for key, value in wanted.items():
            if not cells_equal(found.get(key), value):
                outcome.appends.append(
                    f"{tab.title}: a new row has {found.get(key)!r} under {key!r}, not {value!r}"
                )


def _index(rows: Sequence[Sequence[object]], key: str) -> int:
    keys = headers(rows)
    return keys.index(key) + 1 if keys.count(key) == 1 else 0


def _check_converged(outcome: Outcome, raced: int | str, calm: int | str) -> None:
    """After the race, a sync that writes nothing comes as soon as it does after the same edit
    without a race; a refusal after the race only where the edit alone brings one too."""
    if isinstance(raced, int) and (isinstance(calm, str) or raced <= calm):
        return
    if isinstance(raced, str) and isinstance(calm, str) and raced.startswith("refused"):
        return
    outcome.diverged.append(
        f"after the race: {_syncs(raced)}; after the same edit without a race: {_syncs(calm)}"
    )


def _syncs(found: int | str) -> str:
    return found if isinstance(found, str) else f"{found} writing sync(s) before one writes nothing"


# --------------------------------------------------------------------------------------------
# make races
# --------------------------------------------------------------------------------------------


@contextmanager
def races() -> Iterator[Races]:
    with FakeGoogle() as fake, tempfile.TemporaryDirectory() as folder:
        yield Races(fake, Path(folder))
        fake.check()


def _say(line: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(line + "\n")


def main(argv: Sequence[str] = ()) -> int:
    cases = int(argv[0]) if argv else 1000
    # each sync that holds cells back logs them; the summary counts them instead
    logging.getLogger("braingain.integrations.tracker.google_sheets").setLevel(logging.ERROR)
    started = time.perf_counter()
    failed: list[Outcome] = []
    kinds: Counter[str] = Counter()
    moments: Counter[str] = Counter()
    held = 0
    with races() as run:
        for seed in range(cases):
            outcome = run.run(seed)
            kinds.update(e.kind for e in outcome.edits)
            moments[outcome.moment] += 1
            held += bool(outcome.unwritten)
            if not outcome.ok:
                failed.append(outcome)
                _say(str(outcome), sys.stderr)
    seconds = time.perf_counter() - started
    _say(f"{cases} seeded races (seeds 0-{cases - 1}) in {seconds:.0f} s")
    _say("  edits: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    _say("  landing just before: " + ", ".join(f"{k} {n}" for k, n in sorted(moments.items())))
    _say(f"  syncs that held cells back and said so: {held}")
    for name in ("overwritten", "wrong_rows", "appends", "diverged"):
        count = sum(len(getattr(o, name)) for o in failed)
        _say(f"  {name.replace('_', ' ')}: {count}")
    _say("  all converged" if not failed else f"  FAILED: {len(failed)} case(s): {[o.seed for o in failed]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
