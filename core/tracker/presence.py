"""Whether the tabs the group's decisions come from are really there.

A sync derives rankings, selections, checks, points and authorship from the core tabs
(those marked ``core = true`` in ``sheets_templates/tracker.toml``: Members, Projects,
Tasks, Volunteers and the Ledger). If one of them is missing, renamed, emptied or still
loading, deriving from it would blank or overwrite every result that depends on it. So
before anything is written, each core tab is checked, and a tab that is not really there
is described here as an :class:`Absence`; the composition root then writes nothing and
says what it found, unless a leader says explicitly that the group really is empty.

A core tab is not really there when:

- **missing**: no tab has its title (nor, on Google, the sheetId the sync remembers). A
  tab whose header row carries the missing tab's headers is named as the likely rename;
- **no header**: the tab exists, but its ID column's header is not on row 1;
- **empty**: it has no data rows while the rest of the tracker shows it had some: a row
  of another tab refers to it (a task names a project, an award names a member), or
  braingain remembers something that lives there (a task's lifecycle, an accepted
  task's award). A brand-new tracker, empty everywhere, is a new group and syncs;
- **unreadable**: more than half of its non-blank cells hold no value yet: a formula
  still loading (Google shows "Loading..." while an imported range arrives) or a formula
  error (#REF!, #N/A, ...).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

from braingain.core.errors import quote
from braingain.core.parsing import header_key
from braingain.core.tracker.schema import (
    Grid,
    Owner,
    Schema,
    Snapshot,
    Tab,
    Table,
    is_blank,
    is_unreadable,
    redact,
)

REFERS_TO = {
    "member": "members",
    "members": "members",
    "project": "projects",
    "task": "tasks",
    "entry": "ledger",
}
"""Column types whose values name a row of another tab, and that tab's key."""

UNREADABLE_SHARE = 0.5
"""A core tab whose non-blank cells are more than this share unreadable is not really there."""


@dataclass(frozen=True, slots=True)
class Absence:
    """A core tab that is not really there: what was found, and how to put it right."""

    tab: str
    """The schema's title of the tab (Members, Tasks, ...)."""
    found: str
    hint: str
    emptiness: bool = False
    """Whether a group that really is empty would look like this (a tab missing with no likely
    rename, or a tab with no rows): only then may a leader say so (``--allow-empty``)."""

    def __post_init__(self) -> None:
        # What was found quotes the sheet (a header row may be a row of data): no email gets out.
        object.__setattr__(self, "found", redact(self.found))
        object.__setattr__(self, "hint", redact(self.hint))

    def __str__(self) -> str:
        return f"{self.tab}: {self.found}; {self.hint}"


def core_absences(
    schema: Schema,
    snapshot: Snapshot,
    tables: Mapping[str, Table | None],
    grids: Mapping[str, Grid | None],
    remembered: Mapping[str, int],
) -> tuple[Absence, ...]:
    """Every core tab that is missing, headless, emptied or mostly unreadable.

    ``tables`` and ``grids`` are by tab key, as the reader mapped them (``None`` when the
    tab or its header is missing). ``remembered`` counts, by tab key, the rows braingain's
    memory says live in that tab (tasks it keeps a lifecycle for, awards it recorded).
    """
    found: list[Absence] = []
    referred = _referred(schema, tables)
    for tab in schema.tabs:
        if not tab.core:
            continue
        grid, table = grids.get(tab.key), tables.get(tab.key)
        if grid is None:
            missing = _missing(schema, tab, snapshot)
            count = remembered.get(tab.key, 0)
            if missing.emptiness and count:  # not an empty group: braingain remembers rows of it
                missing = Absence(
                    tab.title,
                    f"{missing.found}, but braingain remembers {count} row(s) of it",
                    missing.hint,
                )
            found.append(missing)
        elif table is None:
            found.append(_headless(tab, grid))
        elif not table.rows and not table.held:
            why = _why_not_empty(tab, referred, remembered)
            if why:
                found.append(
                    Absence(
                        tab.title,
                        f"the tab {quote(grid.title)} has no rows, but {why}",
                        "undo the deletion (File > Version history on Google), or restore the rows",
                        emptiness=True,
                    )
                )
        else:
            share = _unreadable_share(table)
            if share > UNREADABLE_SHARE:
                found.append(
                    Absence(
                        tab.title,
                        f"{round(100 * share)}% of the cells of {quote(grid.title)} hold no value yet "
                        "(a formula still loading, such as an imported range, or a formula error)",
                        "wait until the sheet shows the values, or fix the formulas, then sync again",
                    )
                )
    return tuple(found)


def _headless(tab: Tab, grid: Grid) -> Absence:
    header = [v for v in (grid.values[0] if grid.values else ()) if not is_blank(v)]
    what = f"the tab {quote(grid.title)} has no {quote(tab.column(tab.id_column).header)} header on row 1"
    if header and sum(is_unreadable(v) for v in header) > UNREADABLE_SHARE * len(header):
        return Absence(
            tab.title,
            f"{what}: its header row is still loading or shows formula errors",
            "wait until the sheet shows the values, or fix the formulas, then sync again",
        )
    shown = ", ".join(repr(str(v)) for v in header[:4])
    return Absence(
        tab.title,
        f"{what} (row 1 shows {shown})" if shown else f"{what} (row 1 is empty)",
        "put the headers back on row 1 (braingain finds columns by their header)",
    )


def _missing(schema: Schema, tab: Tab, snapshot: Snapshot) -> Absence:
    known = {header_key(t.title) for t in schema.tabs}
    strangers = [g for t, g in snapshot.grids.items() if header_key(t) not in known]
    wanted = {header_key(c.header) for c in tab.columns if c.owner is Owner.PEOPLE}
    best: tuple[float, str] | None = None
    for grid in strangers:
        header = {header_key(str(v)) for v in (grid.values[0] if grid.values else ()) if not is_blank(v)}
        overlap = len(wanted & header) / len(wanted) if wanted else 0.0
        has_id = header_key(tab.column(tab.id_column).header) in header
        if has_id and overlap >= 0.5 and (best is None or overlap > best[0]):
            best = (overlap, grid.title)
    if best is None:
        titles = {header_key(g.title): g.title for g in strangers}
        close = difflib.get_close_matches(header_key(tab.title), list(titles), n=1, cutoff=0.6)
        if close:
            best = (0.0, titles[close[0]])
    if best is not None:
        return Absence(
            tab.title,
            f"there is no tab {quote(tab.title)}, "
            f"but the tab {quote(best[1])} looks like it was renamed from it",
            f"rename {quote(best[1])} back to {quote(tab.title)}",
        )
    return Absence(
        tab.title,
        f"there is no tab {quote(tab.title)}",
        "restore it (File > Version history on Google, or an earlier copy of the workbook)",
        emptiness=True,
    )


def _referred(schema: Schema, tables: Mapping[str, Table | None]) -> dict[str, str]:
    """For each tab key, the first row elsewhere that names one of its rows, in words."""
    found: dict[str, str] = {}
    for tab in schema.tabs:
        table = tables.get(tab.key)
        if table is None or tab.sync_owned:
            continue
        for column in tab.columns:
            target = REFERS_TO.get(column.type)
            if target is None or target == tab.key or target in found or column.key not in table.columns:
                continue
            row = next((r for r in table.rows if not is_blank(r.get(column.key))), None)
            if row is not None:
                found[target] = f"{table.where} row {row.number} ({column.header}) refers to it"
    return found


def _why_not_empty(tab: Tab, referred: Mapping[str, str], remembered: Mapping[str, int]) -> str:
    if tab.key in referred:
        return referred[tab.key]
    count = remembered.get(tab.key, 0)
    if count:
        return f"braingain remembers {count} row(s) of it"
    return ""


def _unreadable_share(table: Table) -> float:
    people = [k for k in table.columns if table.tab.column(k).owner is Owner.PEOPLE]
    if not people:
        return 0.0
    # Each distinct value is looked at once: a tab repeats its IDs, choices and dates thousands of
    # times. (Values that compare equal across types, 1 and 1.0 and True, are numbers: all readable.)
    typed = map(itemgetter(*people), (row.cells for row in (*table.rows, *table.held)))
    counts = Counter(chain.from_iterable(typed) if len(people) > 1 else typed)
    filled = counts.total() - counts[None]
    unreadable = 0
    for value in counts:
        # Only text can be blank or unreadable, and only text that does not start with a letter or
        # digit other than an L: an error starts with "#", "Loading..." with an L (after any spaces).
        if type(value) is not str or (value[:1].isalnum() and value[0] not in "Ll"):
            continue
        if is_blank(value):
            filled -= counts[value]
        elif is_unreadable(value):
            unreadable += counts[value]
    return unreadable / filled if filled else 0.0
