"""What a sync writes back to the tracker, computed from what it read.

Only sync-owned columns are ever written, plus new rows where the schema lets the
sync append (awards and dispute resolutions to the Ledger, meetings scheduled ahead to
Meetings), the Problems tab and the hidden state tab. A cell that already holds the
value is not written again, which is why a second sync right after the first writes
nothing at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from braingain.core.authorship.icmje import AuthorshipDecision
from braingain.core.authorship.ledger import EntryKind, LedgerEntry
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.authorship.volunteering import Volunteer, select_volunteers, track_records
from braingain.core.drive.folders import doc_links, folder_links
from braingain.core.errors import DomainError, clip, quote
from braingain.core.group import Group
from braingain.core.ids import EntryId, MemberId, OutputId, TaskId
from braingain.core.outcomes import AttendanceImport, PlatformOutcomes
from braingain.core.parsing import before, header_key
from braingain.core.schedule.meetings import MeetingRecord, MeetingSeries, MeetingStatus, Presence
from braingain.core.tracker.cells import UTC_ZONE, datetime_value, decimal_cell, items
from braingain.core.tracker.gantt_tab import gantt_grid, grid_writes, said_change
from braingain.core.tracker.ledger_recall import ledger_row, member_zone, restored_note
from braingain.core.tracker.read import IMPORT_NOT_APPLIED, ReadResult, Settings, meeting_rows
from braingain.core.tracker.rows import (
    AUTHORSHIP,
    AWARDED,
    MEETING,
    PROGRESS,
    SCHEDULE,
    SELECTION,
    TOTALS,
    report,
)
from braingain.core.tracker.schema import (
    AddColumns,
    AddTab,
    Cell,
    CellLink,
    CellWrite,
    Problem,
    Row,
    Schema,
    StructuralChange,
    Tab,
    Table,
    TrackerWrite,
    as_text,
    cells_equal,
    index_by_id,
    is_blank,
    new_rows,
    plan_cells,
    row_id,
    rows_wait_for,
    table_height,
)
from braingain.core.words import day_short

RANKED = frozenset({TaskStatus.DRAFT, TaskStatus.OPEN})
"""The statuses whose volunteer selection the sync works out (a draft's is empty). Past open
(assigned and on, cancelled) the selection stands as braingain last wrote it: the Tasks tab's
Volunteer selection and the Volunteers tab's Rank, Selected and Why keep the record of who was
chosen and why."""

TEXT_LIMIT = 5_000
"""The most characters the sync writes into one cell it owns (Google and Excel allow 32,767, and
a backend cuts a longer text, which the next sync would write again): a longer text is cut, and
says so."""


@dataclass(frozen=True, slots=True)
class TrackerPlan:
    write: TrackerWrite
    summary: tuple[str, ...]
    """One line per kind of change, for ``braingain plan``."""
    waiting: tuple[str, ...] = ()
    """What the sync would write but cannot yet (rows it cannot add while a header is missing),
    one line each: nothing is written for them."""


def _row_problems(problems: Sequence[Problem], title: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for problem in problems:
        if problem.tab == title and problem.row > 0:
            found.setdefault(problem.row, []).append(
                f"{problem.column}: {problem.reason}" if problem.column else problem.reason
            )
    return found


def _check_text(rows: Mapping[int, list[str]], number: int) -> str:
    """A row's Check: its problems, at most :data:`TEXT_LIMIT` long, or "ok"."""
    return clip("; ".join(rows.get(number, [])), TEXT_LIMIT) or "ok"


def _unnamed_checks(table: Table, problems: Sequence[Problem]) -> list[CellWrite]:
    """The Check of each row that has no ID of its own (none, or one an earlier row has): it is
    written by its row, since its ID cannot find it, so that it never shows a copied "ok"."""
    if "check" not in table.columns:
        return []
    named = set(index_by_id(table).values())
    rows = _row_problems(problems, table.tab.title)
    column = table.columns["check"]
    writes: list[CellWrite] = []
    for row in table.rows:
        if row.number in named or (row.number, column) in table.merged:
            continue
        check = _check_text(rows, row.number)
        if not cells_equal(row.get("check"), check):
            writes.append(CellWrite(table.where, row.number, column, check))
    return writes


def _by_id(table: Table | None, rows: Mapping[int, list[str]]) -> dict[str, str]:
    """Each row ID's problems as one Check text ("ok" when none), at most :data:`TEXT_LIMIT` long."""
    if table is None:
        return {}
    return {ident: _check_text(rows, number) for ident, number in index_by_id(table).items()}


def sync_owned_values(
    read: ReadResult, settings: Settings, now: datetime
) -> dict[str, dict[str, dict[str, Cell]]]:
    """Every sync-owned cell's value, by tab key, row ID and column key.

    A decision that waits (``read.waiting``: something it depends on cannot be read) is left
    out, so its cells keep their last written value; the Problems tab says why.
    """
    group = read.group
    tables = read.tables
    waits = read.waiting
    values: dict[str, dict[str, dict[str, Cell]]] = {}

    totals: dict[MemberId, Decimal] = {}
    by_project: dict[MemberId, dict[str, Decimal]] = {}
    awards: dict[str, list[LedgerEntry]] = {}
    for entry in group.ledger:
        totals[entry.member_id] = totals.get(entry.member_id, Decimal(0)) + entry.points
        mine = by_project.setdefault(entry.member_id, {})
        mine[entry.project_id] = mine.get(entry.project_id, Decimal(0)) + entry.points
        if entry.kind is EntryKind.AWARD and entry.task_id is not None:
            awards.setdefault(entry.task_id, []).append(entry)
    carrying: dict[MemberId, int] = {}
    for task in group.tasks.values():
        if task.status.is_active:
            for member in task.contributors:
                carrying[member] = carrying.get(member, 0) + 1
    offers: dict[str, list[Volunteer]] = {}
    for offer in group.volunteers:
        offers.setdefault(offer.task_id, []).append(offer)
    values["members"] = {
        m: {
            "points": decimal_cell(totals.get(m, Decimal(0))),
            "project_points": clip(
                "; ".join(f"{p} {v}" for p, v in sorted(by_project.get(m, {}).items())), TEXT_LIMIT
            ),
            "open_tasks": carrying.get(m, 0),
        }
        for m in group.members
        if (TOTALS, m) not in waits
    }

    values["projects"] = {}
    for project in group.projects.values():
        if (PROGRESS, project.id) in waits:
            continue
        tasks = [t for t in group.project_tasks(project.id) if t.status is not TaskStatus.CANCELLED]
        done = sum(1 for t in tasks if t.status is TaskStatus.ACCEPTED)
        share = round(100 * done / len(tasks)) if tasks else 0
        upcoming = [m for m in project.milestones if m.due >= now.date()]
        values["projects"][project.id] = {
            "progress": f"{done} of {len(tasks)} tasks accepted ({share}%)",
            "next_milestone": f"{day_short(upcoming[0].due)}: {upcoming[0].name}" if upcoming else "",
        }

    names = member_names(group)
    task_problems = _by_id(tables.get("tasks"), _row_problems(read.problems, _title(tables, "tasks")))
    overrides = read.overrides
    records = track_records(group.members.values(), group.tasks.values(), group.attendance_on(now))
    # Every row's Check, held rows' too: that is where a person sees why their row waits.
    values["tasks"] = {ident: {"check": check} for ident, check in task_problems.items()}
    values["volunteers"] = {}
    volunteer_rows = _volunteer_ids(tables.get("volunteers"))
    kept = {task for (decision, task) in waits if decision == SELECTION}
    volunteers = tables.get("volunteers")
    offers_unread = volunteers is not None and volunteers.unreadable  # no selection is made without them
    for task in group.tasks.values():
        row = values["tasks"].setdefault(task.id, {"check": "ok"})
        if (AWARDED, task.id) not in waits:
            row["awarded"] = clip(
                "; ".join(f"{names(e.member_id)} {e.points}" for e in awards.get(task.id, [])), TEXT_LIMIT
            )
        if task.id in kept or offers_unread or task.status not in RANKED:
            continue  # a selection past open stands as last written: the record of who was chosen and why
        row["selection"] = ""
        if task.status is TaskStatus.OPEN and offers.get(task.id):
            forced_in, forced_out = overrides.get(task.id, ([], []))
            try:
                chosen = select_volunteers(
                    task,
                    offers[task.id],
                    records,
                    open_task_limit=group.open_task_limit,
                    force_in=forced_in,
                    force_out=forced_out,
                )
            except DomainError as error:
                row["selection"] = clip(f"cannot rank the volunteers: {error}", TEXT_LIMIT)
            else:
                picked = ", ".join(names(m) for m in chosen.selected) or "nobody yet"
                noted = f" ({chosen.notes[0]})" if chosen.notes else ""
                row["selection"] = clip(f"chosen: {picked}{noted}", TEXT_LIMIT)
                for candidate in chosen.candidates:
                    ident = volunteer_rows.get((task.id, candidate.member_id))
                    if ident is not None:
                        values["volunteers"][ident] = {
                            "rank": candidate.rank,
                            "selected": candidate.selected,
                            "reason": clip(candidate.reason, TEXT_LIMIT),
                        }
    for offer_row in volunteers.rows if volunteers is not None else ():
        # An offer no selection ranks (a second offer of the same member among them) is blanked,
        # unless its task waits, cannot be read yet, or is past open (its selection stands).
        ident, task_id = row_id(offer_row.get("id")), row_id(offer_row.get("task"))
        offered = group.tasks.get(TaskId(task_id))
        if (
            ident
            and offered is not None
            and offered.status in RANKED
            and task_id not in kept
            and not offers_unread
        ):
            values["volunteers"].setdefault(ident, {"rank": None, "selected": None, "reason": ""})

    values["disputes"] = {
        d: {"check": c}
        for d, c in _by_id(
            tables.get("disputes"), _row_problems(read.problems, _title(tables, "disputes"))
        ).items()
    }

    values["outputs"] = {}
    for output in group.outputs.values():
        if (AUTHORSHIP, output.id) in waits:
            continue
        try:
            decision = group.decide(OutputId(output.id))
        except DomainError as error:
            values["outputs"][output.id] = {
                "authors": clip(f"cannot decide: {error}", TEXT_LIMIT),
                "acknowledged": "",
                "credit": "",
            }
            continue
        values["outputs"][output.id] = dict(output_cells(decision))

    return values | _meeting_values(read, settings, now)


CELL_LINES = 24
"""The lines a multi-line cell braingain writes may take: Excel's tallest row (409 points) holds
27 lines of 15 points; a line that wraps counts twice."""


def output_cells(decision: AuthorshipDecision) -> Mapping[str, str]:
    """An output's Authors, Acknowledged and CRediT statement cells (Outputs tab): one short line
    per author (``3. Funmilayo Lawani (3.47 points, tie-break)``), per acknowledged member
    (``Zainab Musawa (6.50 points): missing ICMJE 3, 4``; the column's note names the criteria
    once) and per CRediT role, each at most :data:`TEXT_LIMIT` characters. The tie-breaks are
    explained one a line while the Authors cell stays within :data:`CELL_LINES` (a tie line
    takes two); otherwise one line counts them and names the report that explains each."""
    ties = decision.tie_breaks
    tie_lines = (
        [f"Tie: {line}" for line in ties]
        if len(decision.authors) + 2 * len(ties) <= CELL_LINES
        else [
            f"{len(ties)} tie-breaks: braingain report authorship {decision.output.project_id} explains each"
        ]
    )
    authors = [
        f"{a.position}. {a.name} ({a.points} points" + (")" if a.placed == "by points" else f", {a.placed})")
        for a in decision.authors
    ] or [_no_authors(decision)]
    return {
        "authors": clip("\n".join(authors + tie_lines), TEXT_LIMIT),
        "acknowledged": clip(
            "\n".join(f"{a.name} ({a.points} points): {a.why}" for a in decision.acknowledged), TEXT_LIMIT
        ),
        "credit": clip(decision.credit_by_role(), TEXT_LIMIT),
    }


def _no_authors(decision: AuthorshipDecision) -> str:
    """An Authors cell that says why there are none yet, and where to look (an empty cell would
    not say whether braingain looked)."""
    report = f"braingain report authorship {decision.output.project_id} says what to record"
    if not decision.acknowledged:
        return (
            "No authors yet: no member has points for this output (they come from its project's "
            f"accepted tasks); {report}"
        )
    return (
        "No authors yet: no member meets all four ICMJE criteria with at least "
        f"{decision.threshold} points (Acknowledged says what each misses); {report}"
    )


_CELLS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    SELECTION: ("tasks", ("selection",)),
    TOTALS: ("members", ("points", "project_points", "open_tasks")),
    AUTHORSHIP: ("outputs", ("authors", "acknowledged", "credit")),
    PROGRESS: ("projects", ("progress", "next_milestone")),
    AWARDED: ("tasks", ("awarded",)),
    MEETING: ("meetings", ("starts",)),
}
"""Where each decision is written: its tab and sync-owned columns (a selection also ranks the
volunteers of its task)."""


def settle(read: ReadResult, settings: Settings, now: datetime) -> ReadResult:
    """Resolve the decisions a held row only may feed (``read.unsure``): those that working out
    again would change keep their last written value and wait, and say so; the others are
    written as usual. Returns the read with them settled (``unsure`` empty); idempotent."""
    if not read.unsure:
        return read
    open_read = replace(read, unsure={})
    values = sync_owned_values(open_read, settings, now)
    volunteers = _volunteer_ids(read.tables.get("volunteers"))
    changed: dict[tuple[str, str], str] = {}
    for (decision, ident), reason in read.unsure.items():
        key, columns = _CELLS[decision]
        wanted = {ident: {c: v for c, v in values.get(key, {}).get(ident, {}).items() if c in columns}}
        if _differs(read.tables.get(key), wanted):
            changed[(decision, ident)] = reason
        elif decision == SELECTION:
            rows = {v: values["volunteers"].get(v, {}) for (t, _), v in volunteers.items() if t == ident}
            if _differs(read.tables.get("volunteers"), rows):
                changed[(decision, ident)] = reason
    problems = sorted(
        {*read.problems, *report(changed, read.tables)}, key=lambda p: (p.tab, p.row, p.column, p.reason)
    )
    return replace(open_read, waiting={**read.waiting, **changed}, problems=tuple(problems))


def _differs(table: Table | None, wanted: Mapping[str, Mapping[str, Cell]]) -> bool:
    return table is not None and bool(plan_cells(table, wanted))


def _meeting_values(
    read: ReadResult, settings: Settings, now: datetime
) -> dict[str, dict[str, dict[str, Cell]]]:
    group, tables = read.group, read.tables
    values: dict[str, dict[str, dict[str, Cell]]] = {}
    values["meetings"] = {}
    values["agenda"] = {}
    if group.series is not None:
        slot = group.series.slot
        # One list serves both tabs: only meeting rows that exist are written.
        starts = {m.id: m for m in group.meetings_by(now + settings.schedule_ahead + timedelta(weeks=52))}
        rows = meeting_rows(tables.get("meetings"), group.series)  # a tracker made before: monthly:2027-01-16
        for meeting in starts.values():
            row = rows.get(meeting.id, meeting.id)
            if (MEETING, row) not in read.waiting:
                values["meetings"][row] = {"starts": wall_clock(meeting.start, slot.zone)}
        agenda = tables.get("agenda")
        if agenda is not None:
            for item in agenda.rows:
                ident = row_id(item.get("id"))
                meeting_id = _meeting_named(group.series, item.get("meeting"))
                held = starts.get(meeting_id)
                who = group.members.get(MemberId(row_id(item.get("added_by"))))
                waits = (MEETING, rows.get(meeting_id, meeting_id)) in read.waiting
                if not ident or held is None or who is None or waits:
                    continue
                try:  # read as the Agenda tab is read: without an offset, in the adder's zone
                    added = datetime_value(item.get("added_at"), member_zone(who) or UTC_ZONE)
                except DomainError:
                    continue
                if added is not None:
                    values["agenda"][ident] = {"late": added > before(held.start, settings.publish_agenda)}
    return values


def _meeting_named(series: MeetingSeries, value: Cell) -> str:
    """The ID braingain gives the meeting an Agenda cell names (as the Agenda tab is read), or ``""``."""
    if isinstance(value, datetime) and value.time() == time():
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return series.meeting_id(value)
    try:
        return series.key_of(row_id(value))
    except DomainError:
        return ""


def member_names(group: Group) -> Callable[[MemberId], str]:
    """How braingain's cells name a member: by name, with the ID after it where another member has
    the same name (``Ada Obiora (ada.obiora)``); an ID that is no member's, as it is."""
    spelled = {ident: member.name for ident, member in group.members.items()}
    taken = Counter(name.casefold() for name in spelled.values())
    named = {
        ident: name if taken[name.casefold()] == 1 else f"{name} ({ident})" for ident, name in spelled.items()
    }

    def name(ident: MemberId) -> str:
        found = named.get(ident)
        return str(ident) if found is None else found

    return name


def wall_clock(at: datetime, zone: ZoneInfo) -> datetime:
    """``at`` as the clock on the wall shows it in ``zone``, to the minute (naive): a real date-time
    cell, whose zone the column's header note gives."""
    return at.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)


def _title(tables: Mapping[str, Table | None], key: str) -> str:
    table = tables.get(key)
    return table.tab.title if table is not None else ""


def _zone(group: Group, member: MemberId) -> ZoneInfo:
    """The zone a member's date-times are written in (UTC, said as such, if theirs is unknown)."""
    who = group.members.get(member)
    return (member_zone(who) if who is not None else None) or UTC_ZONE


def _volunteer_ids(table: Table | None) -> dict[tuple[str, str], str]:
    if table is None:
        return {}
    found: dict[tuple[str, str], str] = {}
    for row in table.rows:
        ident = row_id(row.get("id"))
        if ident:
            found.setdefault((row_id(row.get("task")), row_id(row.get("member"))), ident)
    return found


def plan_tracker(
    schema: Schema,
    read: ReadResult,
    settings: Settings,
    now: datetime,
    *,
    state_key: bytes | None = None,
    outcomes: PlatformOutcomes | None = None,
) -> TrackerPlan:
    """Every write that brings the tracker up to date, and the state to remember (sealed with the
    group's ``state_key``, when given: :meth:`~braingain.core.tracker.read.State.rows`).

    ``outcomes``: what the other platforms' actions produced (:func:`platform_writes`): each
    meeting's Zoom meeting and join link, attendance imported, and the platforms' memory."""
    tables = read.tables
    structure: list[StructuralChange] = []
    writes: list[CellWrite] = []
    summary: list[str] = []
    waiting: list[str] = []
    sheets = dict(read.state.sheets)

    for tab in schema.tabs:
        table = tables.get(tab.key)
        if table is None and read_missing(read, tab.title):
            sheet_id = _free_sheet_id(read.sheet_ids | set(sheets.values())) if read.sheet_ids else None
            structure.append(AddTab(tab, sheet_id))
            if sheet_id is not None and tab.key != "state":
                # Remembered in this write, not the next one (the state tab itself is found by its
                # title, as the read finds it: the memory cannot say where the memory is).
                sheets[tab.key] = sheet_id
            summary.append(f"add the missing tab {quote(tab.title)}")
        added = _added_columns(table) if table is not None and not tab.weeks else None
        if added is not None:
            structure.append(added)
            summary.append(
                f"add {len(added.columns)} column(s) to {quote(tab.title)}: "
                + ", ".join(c.header for c in added.columns)
            )

    platform = platform_writes(read, outcomes, now) if outcomes is not None else _Platform()
    if platform.records:  # decisions weigh the attendance this write imports, as the next read will
        read = replace(read, group=replace(read.group, records={**read.group.records, **platform.records}))
    read = settle(read, settings, now)
    values = sync_owned_values(read, settings, now)
    for ident, cells in platform.cells.items():
        values.setdefault("meetings", {}).setdefault(ident, {}).update(cells)
    for tab_key, linked in drive_cells(read, outcomes).items():
        for ident, link in linked.items():
            values.setdefault(tab_key, {}).setdefault(ident, {}).update(link)
    for key, wanted in values.items():
        table = tables.get(key)
        if table is None:
            continue
        found = plan_cells(table, wanted) + _unnamed_checks(table, read.problems)
        if found:
            writes.extend(found)
            summary.append(f"update {len(found)} cell(s) in {quote(table.tab.title)}")

    if read.fills:
        writes.extend(read.fills)
        summary.extend(
            f"{quote(c.tab)} row {c.row}: fill the blank {_header(tables, c)} with {as_text(c.value)}"
            for c in read.fills
        )
    if platform.fills:
        writes.extend(platform.fills)
    summary.extend(platform.said)
    held = _held(read, now)
    if held:
        writes.extend(held)
        summary.extend(
            f"{quote(c.tab)} row {c.row}: the meeting is over, so scheduled becomes held" for c in held
        )

    ledger = tables.get("ledger")
    notes = _ledger_notes(read, ledger, now)
    if notes:
        writes.extend(notes)
        summary.append(f"update {len(notes)} cell(s) in {quote(ledger.where if ledger else 'Ledger')}")
    if read.restores or read.new_entries:
        note = restored_note(now.date().isoformat())
        rows = [ledger_row(e, _zone(read.group, e.recorded_by)) | {"note": note} for e in read.restores]
        rows += [ledger_row(e, _zone(read.group, e.recorded_by)) for e in read.new_entries]
        appended = _append(schema.tab("ledger"), read, rows, waiting)
        if appended is not None:
            writes.extend(appended)
            summary.extend(
                f"ledger: write back deleted {e.kind.value} {e.id} ({e.points} points), with a note"
                for e in read.restores
            )
            summary.extend(f"ledger: add {e.kind.value} {e.id} ({e.points} points)" for e in read.new_entries)

    state = replace(read.state, sheets=sheets)
    group: Group = read.group
    if group.series is not None and (SCHEDULE, "") not in read.waiting:
        scheduled = group.series.schedule_through((now + settings.schedule_ahead).date(), group.deadlines())
        meetings = tables.get("meetings")
        present = set(meeting_rows(meetings, scheduled))
        fresh = [
            m
            for m in scheduled.occurrences((now + settings.schedule_ahead).date(), group.deadlines())
            if m.id not in present and m.status is MeetingStatus.SCHEDULED and m.start > now
        ]
        fresh_rows: list[dict[str, Cell]] = [
            {
                "id": m.id,
                "starts": wall_clock(m.start, scheduled.slot.zone),
                "status": "scheduled",
                **platform.fresh.get(m.id, {}),
            }
            for m in fresh
        ]
        appended = _append(schema.tab("meetings"), read, fresh_rows, waiting)
        if appended is not None:  # what is scheduled is remembered once it is on the tab
            state = replace(state, scheduled=scheduled.scheduled)
            if appended:
                writes.extend(appended)
                summary.append(f"meetings: schedule {len(fresh)} ahead: " + ", ".join(m.id for m in fresh))

    if outcomes is not None and outcomes.memory is not None:
        state = replace(state, platforms=dict(outcomes.memory))
    # What the write itself puts right (a tab it adds, a memory it rebuilds) is not listed: the
    # Problems tab shows what is still wrong after this sync, so the next one leaves it as it is.
    shown = [p for p in read.problems if not p.repaired]
    listed = _problem_rows(shown)
    links = _problem_links(shown, tables)
    problems = _rewrite(schema, tables.get("problems"), "problems", listed, links={"where": links})
    if problems:
        writes.extend(problems)
        summary.append(f"{schema.tab('problems').title}: {len(listed)} problem(s) listed")
    for tab in schema.tabs:
        if tab.weeks:
            drawn = _weeks_tab(tab, tables.get(tab.key), read, settings, now)
            if drawn:
                writes.extend(drawn)
                summary.append(f"{quote(tab.title)}: {_said_weeks(tab, tables.get(tab.key), drawn)}")
    state_rows = [{"key": k, "value": v} for k, v in sorted(state.rows(state_key).items())]
    remembered = _rewrite(schema, tables.get("state"), "state", state_rows)
    if remembered:  # a write of the memory alone is a write too: the summary says so
        writes.extend(remembered)
        summary.append(f"remember {len(state_rows)} item(s) in braingain's hidden tab")
    named = tuple(sorted({(t.where, t.tab.key) for t in tables.values() if t is not None}))
    return TrackerPlan(TrackerWrite(tuple(structure), tuple(writes), named), tuple(summary), tuple(waiting))


def _weeks_tab(
    tab: Tab, table: Table | None, read: ReadResult, settings: Settings, now: datetime
) -> list[CellWrite]:
    """The writes that make a ``weeks`` tab (the Gantt tab) hold exactly what the group draws there
    today (in the meeting series' zone), cell by cell; none when it already does."""
    zone = settings.slot.zone if settings.slot is not None else UTC_ZONE
    wanted = [
        tuple(clip(v, TEXT_LIMIT) if isinstance(v, str) else v for v in row)
        for row in gantt_grid(read.group, tab, now.astimezone(zone).date())
    ]
    if table is None:
        return grid_writes(tab.title, wanted, None, tab.headers)
    return grid_writes(table.where, wanted, table.grid)


def _said_weeks(tab: Tab, table: Table | None, writes: Sequence[CellWrite]) -> str:
    grid = table.grid if table is not None else None
    return said_change(len(tab.columns), grid, writes, tab.headers)


def drive_cells(read: ReadResult, outcomes: PlatformOutcomes | None) -> dict[str, dict[str, dict[str, Cell]]]:
    """The links to what braingain keeps on Drive, from its memory as this sync leaves it: each
    project's Folder (Projects tab) and each meeting's Minutes doc (Meetings tab), by row ID. A link
    braingain does not know yet leaves its cell as it is."""
    memory = (
        outcomes.memory if outcomes is not None and outcomes.memory is not None else read.platforms.memory
    )
    found: dict[str, dict[str, dict[str, Cell]]] = {}
    folders = {p: url for p, url in folder_links(memory).items() if p in read.group.projects}
    if folders:
        found["projects"] = {p: {"folder": url} for p, url in folders.items()}
    series, table = read.group.series, read.tables.get("meetings")
    docs = doc_links(memory)
    if docs and series is not None and table is not None:
        rows = meeting_rows(table, series)
        found["meetings"] = {rows[m]: {"minutes_doc": url} for m, url in docs.items() if m in rows}
    return found


@dataclass(frozen=True, slots=True)
class _Platform:
    """What the platforms' outcomes write to the Meetings tab: sync-owned ``cells`` by row ID, the
    Present and Absent cells an import ``fills`` (blank as read), what a meeting row added by this
    sync holds (``fresh``, by meeting ID), and what the plan ``said`` of it."""

    cells: Mapping[str, Mapping[str, Cell]] = field(default_factory=dict)
    fills: tuple[CellWrite, ...] = ()
    fresh: Mapping[str, Mapping[str, Cell]] = field(default_factory=dict)
    said: tuple[str, ...] = ()
    records: Mapping[str, MeetingRecord] = field(default_factory=dict)
    """The meetings' records as the next read will find them once the imports are written."""


def platform_writes(read: ReadResult, outcomes: PlatformOutcomes, now: datetime) -> _Platform:
    """The Meetings tab's writes for ``outcomes``: each meeting's Zoom meeting and join link (blank
    when it was deleted), and each imported attendance not imported before. An import fills
    Present and Absent only while both are blank as read (a person's typing is never written
    over), never naming a member the row lists as Excused; Attendance from says where it came
    from, the day (``now`` in the series' zone), how many joined, and whom it could not match, or
    that it was not applied and why. A meeting whose row is not on the tab takes nothing."""
    series, table = read.group.series, read.tables.get("meetings")
    if series is None or table is None:
        return _Platform()
    rows = meeting_rows(table, series)
    numbers = index_by_id(table)
    by_number = {row.number: row for row in table.rows}
    cells: dict[str, dict[str, Cell]] = {}
    fresh: dict[str, dict[str, Cell]] = {}
    fills: list[CellWrite] = []
    said: list[str] = []
    records: dict[str, MeetingRecord] = {}
    for meeting, link in sorted(outcomes.links.items()):
        linked: dict[str, Cell] = {
            "zoom_id": link.zoom_id if link else "",
            "join_url": link.join_url if link else "",
        }
        row_ident = rows.get(meeting)
        if row_ident is None:
            fresh[meeting] = linked if link else {}
        else:
            cells.setdefault(row_ident, {}).update(linked)
    day = now.astimezone(series.slot.zone).date().isoformat()
    for meeting, found in sorted(outcomes.attendance.items()):
        row_ident = rows.get(meeting)
        if row_ident is None or meeting in read.platforms.attendance_imported:
            continue  # imported before (cleared by a person: imported again), or no row to write to
        row = by_number[numbers[row_ident]]
        why = _not_applied(table, row)
        if why is None:
            excused = set(cells_items(row.get("excused")))
            seen: dict[MemberId, Presence] = {}
            for key, who, presence in (
                ("present", found.present, Presence.PRESENT),
                ("absent", found.absent, Presence.ABSENT),
            ):
                kept = sorted(m for m in who if m not in excused)
                seen |= {m: presence for m in kept if m in read.group.members}
                if kept:
                    listed = "; ".join(kept)
                    fills.append(CellWrite(table.where, row.number, table.columns[key], listed, fill=True))
            seen |= {MemberId(m): Presence.EXCUSED for m in excused if m in read.group.members}
            record = _imported_record(read, meeting, row, seen)
            if record is not None:
                records[meeting] = record
        cells.setdefault(row_ident, {})["attendance_from"] = clip(_import_said(found, day, why), TEXT_LIMIT)
        said.append(
            f"meetings: attendance of {meeting} from {found.source}"
            + (
                f" not applied ({why})"
                if why
                else f": {len(found.present)} present, {len(found.absent)} absent"
            )
        )
    return _Platform(cells, tuple(fills), fresh, tuple(said), records)


def _imported_record(
    read: ReadResult, meeting: str, row: Row, attendance: Mapping[MemberId, Presence]
) -> MeetingRecord | None:
    """The meeting's record once an import fills its row, as the read counts it: with the minutes
    read, or, without minutes typed, the attendance alone; none for a cancelled meeting."""
    found = read.group.records.get(meeting) or MeetingRecord(meeting)  # (its agenda and actions)
    if found.has_minutes:
        return replace(found, attendance=dict(attendance))
    status = as_text(row.get("status")).casefold()
    if not is_blank(row.get("minutes")) or status == MeetingStatus.CANCELLED.value:
        return None  # minutes the read could not count: neither can the import
    return replace(found, attendance=dict(attendance))


def cells_items(value: Cell) -> list[str]:
    """The IDs a list cell names, or none when it cannot be read."""
    try:
        return items(value)
    except DomainError:
        return []


def _not_applied(table: Table, row: Row) -> str | None:
    """Why an import cannot fill the row's Present and Absent, or ``None`` when it can."""
    for key in ("present", "absent", "excused"):
        if key not in table.columns:
            return f"the {table.tab.column(key).header} column is missing"
        if (row.number, table.columns[key]) in table.merged:
            return f"{table.tab.column(key).header} is inside merged cells"
    if not is_blank(row.get("present")) or not is_blank(row.get("absent")):
        return "Present or Absent was typed already, and is kept"
    try:
        items(row.get("excused"))
    except DomainError:
        return "Excused cannot be read"
    return None


def _import_said(found: AttendanceImport, day: str, why: str | None) -> str:
    """An Attendance from cell: ``Zoom, 2027-01-16: 12 joined, 2 absent; not matched: iPhone``."""
    counts = f"{len(found.present)} joined, {len(found.absent)} absent"
    unmatched = f"; not matched: {', '.join(found.unmatched)}" if found.unmatched else ""
    if why is not None:
        return f"{found.source}, {day}: {IMPORT_NOT_APPLIED}: {why}; {found.source} saw {counts}{unmatched}"
    return f"{found.source}, {day}: {counts}{unmatched}"


def _header(tables: Mapping[str, Table | None], cell: CellWrite) -> str:
    """The header of the column ``cell`` is written to, as the tab has it."""
    for table in tables.values():
        if table is not None and table.where == cell.tab:
            return next(
                (table.tab.column(k).header for k, i in table.columns.items() if i == cell.column), "cell"
            )
    return "cell"


def _held(read: ReadResult, now: datetime) -> list[CellWrite]:
    """ "held" over "scheduled" (what braingain wrote when it added the meeting) once a meeting of
    the series is over; any other status a person typed stays."""
    table, series = read.tables.get("meetings"), read.group.series
    if table is None or series is None or "status" not in table.columns:
        return []
    column = table.columns["status"]
    over = {m.id for m in read.group.meetings_by(now) if m.status is MeetingStatus.SCHEDULED and m.end <= now}
    rows = meeting_rows(table, series)
    over = {rows[m] for m in over if m in rows}
    writes: list[CellWrite] = []
    for row in table.rows:
        typed = row.get("status")
        if (
            isinstance(typed, str)
            and typed.strip().casefold() == MeetingStatus.SCHEDULED.value
            and row_id(row.get("id")) in over
            and (row.number, column) not in table.merged
        ):
            writes.append(
                CellWrite(table.where, row.number, column, MeetingStatus.HELD.value, fill=True, was=typed)
            )
    return writes


def _append(
    tab: Tab, read: ReadResult, rows: Sequence[Mapping[str, Cell]], waiting: list[str]
) -> list[CellWrite] | None:
    """Writes that add ``rows`` below the tab's last row, or ``None`` (said in ``waiting``) while
    they cannot be added whole: the tab's ID header or a header they fill is missing (a row added
    there could not be read back, and where the rows end is not known without the ID)."""
    if not rows:
        return []
    table = read.tables.get(tab.key)
    missing = table is None and read_missing(read, tab.title)
    if missing:
        return new_rows(tab, None, 2, rows)  # into the tab this write adds
    lacking = rows_wait_for(tab, table, rows, missing=missing)
    if lacking:
        rows_wait = "1 row waits" if len(rows) == 1 else f"{len(rows)} rows wait"
        headers = (
            f"header {quote(lacking[0])} is"
            if len(lacking) == 1
            else "headers " + ", ".join(quote(h) for h in lacking) + " are"
        )
        waiting.append(
            f"{tab.title}: {rows_wait} to be added until its {headers} back (see the Problems tab)"
        )
        return None
    return new_rows(tab, table, table_height(table) + 1, rows)


SHEET_ID_LIMIT = 2**31 - 1
"""The largest id a tab can have (Google's sheetId is a 32-bit integer)."""


def _free_sheet_id(taken: Set[int]) -> int:
    """An id no tab has: the next after the largest, else the smallest free one."""
    following = max(taken, default=0) + 1
    if following <= SHEET_ID_LIMIT:
        return following
    return next(i for i in range(1, len(taken) + 2) if i not in taken)


def _ledger_notes(read: ReadResult, table: Table | None, now: datetime) -> list[CellWrite]:
    """The Sync note of every Ledger row: why braingain wrote it back, or nothing."""
    if table is None or "note" not in table.columns:
        return []
    memory = read.state.ledger
    restored = memory.restored if memory is not None else {}
    column = table.columns["note"]
    writes: list[CellWrite] = []
    for row in table.rows:
        typed = row.get("note")
        if typed is None and not restored:
            continue  # the common case: no note, and none wanted
        day = restored.get(EntryId(row_id(row.get("id")))) if restored else None
        wanted = restored_note(day) if day is not None else ""
        if not cells_equal(typed, wanted) and (row.number, column) not in table.merged:
            writes.append(CellWrite(table.where, row.number, column, wanted))
    return writes


def read_missing(read: ReadResult, title: str) -> bool:
    """Whether the tab ``title`` was found missing (braingain's own state tab says so in its notice)."""
    return any(
        p.tab == title and p.row == 0 and ("is missing" in p.reason or "was missing" in p.reason)
        for p in read.problems
    )


def _added_columns(table: Table) -> AddColumns | None:
    """The sync-owned columns the tab lacks, where :func:`read_table` placed them (and the plan
    fills them): right of everything the tab holds."""
    if not table.added:
        return None
    columns = tuple(table.tab.column(k) for k in table.added)
    return AddColumns(table.tab, columns, table.columns[table.added[0]], table.where)


def _problem_rows(problems: Sequence[Problem]) -> list[dict[str, Cell]]:
    return [
        {
            "where": p.where,
            "tab": p.tab,
            "row": p.row or None,
            "column": p.column,
            "problem": clip(p.reason, TEXT_LIMIT),
        }
        for p in problems
    ]


def _problem_links(problems: Sequence[Problem], tables: Mapping[str, Table | None]) -> list[CellLink | None]:
    """Where each problem is, as a cell to link its Problems row to (``None``: not a cell of a tab)."""
    found: dict[str, tuple[str, dict[str, int]]] = {}
    for table in tables.values():
        if table is not None:
            headers = {header_key(table.tab.column(k).header): i for k, i in table.columns.items()}
            found.setdefault(header_key(table.where), (table.where, headers))
    links: list[CellLink | None] = []
    for problem in problems:
        tab = found.get(header_key(problem.tab))
        if tab is None or problem.row < 1:
            links.append(None)
            continue
        title, headers = tab
        links.append(CellLink(title, problem.row, headers.get(header_key(problem.column), 0)))
    return links


def _rewrite(
    schema: Schema,
    table: Table | None,
    key: str,
    rows: Sequence[Mapping[str, Cell]],
    *,
    links: Mapping[str, Sequence[CellLink | None]] | None = None,
) -> list[CellWrite]:
    """Make a sync-owned tab hold exactly ``rows`` (in order), clearing what is left below;
    ``links``: by column key, the cell each row's cell there links to."""
    tab = schema.tab(key)
    title = table.where if table is not None else tab.title
    columns = table.columns if table is not None else {c.key: i for i, c in enumerate(tab.columns, start=1)}
    current: dict[int, Mapping[str, Cell]] = (
        {r.number: r.cells for r in table.rows} if table is not None else {}
    )
    merged = table.merged if table is not None else frozenset()
    writes: list[CellWrite] = []
    for offset, values in enumerate(rows):
        number = 2 + offset
        old = current.get(number, {})
        for column_key, index in columns.items():
            value = values.get(column_key)
            if merged and (number, index) in merged:
                continue  # never written; the merge is reported
            if not cells_equal(old.get(column_key), value):
                targets = (links or {}).get(column_key)
                link = targets[offset] if targets is not None else None
                writes.append(CellWrite(title, number, index, "" if value is None else value, link=link))
    last = max(current, default=1)
    for number in range(2 + len(rows), last + 1):
        for column_key, index in columns.items():
            if not is_blank(current.get(number, {}).get(column_key)) and (number, index) not in merged:
                writes.append(CellWrite(title, number, index, ""))
    return writes
