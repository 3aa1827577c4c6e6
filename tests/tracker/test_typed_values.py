"""Headers, numbers, dates and times the way people type them, read the same way through every sync.

Each case runs a whole sync (read, plan, apply) on the sample tracker and checks the
Problems it lists (tab, row, column, reason), what the group becomes, that no cell a
person typed changes, and that a second sync writes nothing.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from braingain.core.ids import EntryId, MemberId, ProjectId, TaskId
from braingain.core.members import Member
from braingain.core.tracker import read as tracker_read
from braingain.core.tracker.read import ReadResult
from braingain.core.tracker.schema import Grid, Problem, Snapshot, column_letter
from braingain.sample import sample_group
from tests.tracker.helpers import SCHEMA, edit, person_typed, sample_rows, sample_settings, snapshot, sync

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = sample_settings(TODAY)
GROUP = sample_group(TODAY)
ROWS = sample_rows(TODAY)
LAGOS, VANCOUVER, NEW_YORK = (
    ZoneInfo("Africa/Lagos"),
    ZoneInfo("America/Vancouver"),
    ZoneInfo("America/New_York"),
)


def rows() -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(ROWS)


def synced(data: dict[str, list[dict[str, Any]]] | None = None) -> Snapshot:
    """The sample tracker (or ``data``) after one sync: what a leader has in front of them."""
    return sync(snapshot(data if data is not None else rows()), SETTINGS, NOW)[2]


def settle(snap: Snapshot) -> tuple[ReadResult, Snapshot]:
    """Sync ``snap`` once; check that nothing a person typed changed and that a second sync writes nothing."""
    read, _, after = sync(snap, SETTINGS, NOW)
    typed_before = person_typed(snap)
    typed_after = person_typed(after)
    changed = {k: typed_after.get(k) for k in typed_before if typed_after.get(k) != typed_before[k]}
    # braingain's own "scheduled" becomes "held" once the meeting is over; nothing else changes
    assert all(typed_before[k] == "scheduled" and v == "held" for k, v in changed.items()), changed
    again, plan, _ = sync(after, SETTINGS, NOW)
    assert plan.write.empty, plan.summary
    assert again.problems == read.problems
    return read, after


def with_header(snap: Snapshot, title: str, header: str, typed: str) -> Snapshot:
    grid = snap.grids[title]
    top = tuple(typed if h == header else h for h in grid.values[0])
    return Snapshot({**snap.grids, title: Grid(title, (top, *grid.values[1:]))})


def with_column_copy(snap: Snapshot, title: str, header: str, change: dict[str, Any]) -> Snapshot:
    """``snap`` with a second column titled ``header`` at the right end of ``title``, holding the
    first column's values except ``change`` (row ID -> value)."""
    grid = snap.grids[title]
    width = max(len(r) for r in grid.values)
    source = grid.values[0].index(header)
    body = []
    for row in grid.values[1:]:
        padded = (*row, *([None] * (width - len(row))))
        value = row[source] if source < len(row) else None
        body.append((*padded, change.get(str(row[0]), value)))
    top = (*grid.values[0], *([None] * (width - len(grid.values[0]))), header)
    return Snapshot({**snap.grids, title: Grid(title, (top, *body))})


def cell(snap: Snapshot, title: str, ident: str, header: str) -> Any:
    grid = snap.grids[title]
    column = grid.values[0].index(header)
    row = next(r for r in grid.values[1:] if r and r[0] == ident)
    return row[column] if column < len(row) else None


def where(read: ReadResult) -> list[tuple[str, int, str]]:
    return [(p.tab, p.row, p.column) for p in read.problems]


def only(read: ReadResult, tab: str) -> Problem:
    (found,) = [p for p in read.problems if p.tab == tab]
    return found


def row_of(data: dict[str, list[dict[str, Any]]], tab: str, ident: str) -> int:
    return 2 + [r["id"] for r in data[tab]].index(ident)


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------

SR_T09 = "SR-T09"  # open, takes two, five volunteers


@pytest.mark.parametrize(
    "typed",
    [
        "Max\u00a0volunteers",  # a no-break space, as a web page or word processor pastes it
        "Max\u202fvolunteers",
        " Max  volunteers ",
        "max volunteers",
        "MAX VOLUNTEERS",
        "Max \u200bvolunteers",  # a zero-width space after the space
        "\ufeffMax volunteers",  # a byte-order mark
    ],
)
def test_a_header_that_looks_the_same_is_the_same_header_and_the_cap_still_holds(typed: str) -> None:
    clean = synced()
    read, after = settle(with_header(clean, "Tasks", "Max volunteers", typed))
    assert read.problems == ()
    assert read.group.tasks[TaskId(SR_T09)].max_volunteers == 2
    selection = str(cell(after, "Tasks", SR_T09, "Volunteer selection"))
    assert selection == cell(clean, "Tasks", SR_T09, "Volunteer selection")
    assert len(selection.removeprefix("chosen: ").split(" (")[0].split(", ")) == 2


@pytest.mark.parametrize(
    ("title", "header", "typed"),
    [
        ("Members", "ID", "\ufeffID"),  # the first cell of an imported CSV
        ("Members", "Time zone", "Time\u00a0zone"),
        ("Volunteers", "Volunteered at", "volunteered AT"),
        ("Ledger", "Points", "Points\u00a0"),
        ("Disputes", "Adjustment (points)", "Adjustment\u00a0(points)"),
        ("Tasks", "Check", "Check\u00a0"),  # a column braingain writes
        ("Meetings", "Starts", "STARTS"),
    ],
)
def test_every_tab_finds_its_headers_whatever_spaces_and_case_they_were_typed_with(
    title: str, header: str, typed: str
) -> None:
    clean = synced()
    read, after = settle(with_header(clean, title, header, typed))
    assert read.problems == ()
    assert after.grids[title].values[0].count(typed) == 1, "no second column was added"
    assert after.grids[title].values[1:] == clean.grids[title].values[1:]


def test_a_tab_title_with_a_no_break_space_is_found_and_no_second_tab_is_added() -> None:
    clean = synced()
    grids = {("Ledger\u00a0" if t == "Ledger" else t): g for t, g in clean.grids.items()}
    renamed = Snapshot({**grids, "Ledger\u00a0": Grid("Ledger\u00a0", clean.grids["Ledger"].values)})
    read, plan, _ = sync(renamed, SETTINGS, NOW)
    assert read.problems == ()
    assert not plan.write.structure
    assert read.group.ledger.total() == GROUP.ledger.total()


def test_a_header_that_appears_twice_is_named_with_both_columns_and_no_selection_is_guessed() -> None:
    clean = synced()
    doubled = with_column_copy(clean, "Tasks", "Max volunteers", {SR_T09: 5})
    read, after = settle(doubled)
    first = column_letter(clean.grids["Tasks"].values[0].index("Max volunteers") + 1)
    second = column_letter(len(doubled.grids["Tasks"].values[0]))
    problem = next(p for p in read.problems if p.row == 1)
    assert (problem.tab, problem.row, problem.column) == ("Tasks", 1, "Max volunteers")
    assert f"appears 2 times (columns {first} and {second})" in problem.reason
    assert "delete or rename all but one" in problem.reason
    assert not read.group.tasks, "no task is read while its cap is ambiguous"
    for ident in [str(r["id"]) for r in ROWS["tasks"]]:
        for header in ("Volunteer selection", "Check"):
            assert cell(after, "Tasks", ident, header) == cell(clean, "Tasks", ident, header)
    for volunteer in [str(r["id"]) for r in ROWS["volunteers"]]:
        for header in ("Rank", "Selected", "Why"):
            assert cell(after, "Volunteers", volunteer, header) == cell(
                clean, "Volunteers", volunteer, header
            )
    assert read.group.ledger.total() == GROUP.ledger.total(), "awards of tasks that wait are kept"


def test_a_volunteers_header_that_appears_twice_leaves_every_selection_as_it_was() -> None:
    clean = synced()
    doubled = with_column_copy(clean, "Volunteers", "Leader override", {"V-003": "in"})
    read, after = settle(doubled)
    found = [(p.tab, p.row, p.column) for p in read.problems if "kept as it was" not in p.reason]
    assert found == [("Volunteers", 1, "Leader override")]
    assert not read.group.volunteers
    for ident in [str(r["id"]) for r in ROWS["tasks"]]:
        assert cell(after, "Tasks", ident, "Volunteer selection") == cell(
            clean, "Tasks", ident, "Volunteer selection"
        )
    assert after.grids["Volunteers"].values[1:] == doubled.grids["Volunteers"].values[1:]


def test_a_sync_owned_header_that_appears_twice_is_written_into_neither_and_not_added_again() -> None:
    clean = synced()
    doubled = with_column_copy(clean, "Tasks", "Check", {})
    data = edit(doubled, "Tasks", "SR-T10", "Points", "ten")  # a problem that would change a Check cell
    read, plan, after = sync(data, SETTINGS, NOW)
    assert ("Tasks", 1, "Check") in where(read)
    assert "writes into neither" in next(p.reason for p in read.problems if p.row == 1)
    assert not plan.write.structure
    check_columns = [i + 1 for i, h in enumerate(data.grids["Tasks"].values[0]) if h == "Check"]
    assert not [c for c in plan.write.cells if c.tab == "Tasks" and c.column in check_columns]
    assert read.group.tasks.keys() == GROUP.tasks.keys() - {TaskId("SR-T10")}, "the other rows are read"
    assert after.grids["Tasks"].values[0] == data.grids["Tasks"].values[0]


def test_an_id_header_that_appears_twice_makes_the_tab_unreadable_but_not_missing() -> None:
    clean = synced()
    doubled = with_column_copy(clean, "Volunteers", "ID", {})
    read, plan, _ = sync(doubled, SETTINGS, NOW)
    assert where(read) == [("Volunteers", 1, "ID")]
    assert not read.group.volunteers
    assert not plan.write.structure, "the tab is there: it is not added again"
    assert not [c for c in plan.write.cells if c.tab == "Volunteers"]


@pytest.mark.parametrize("typed", ["SR-T09\u00a0", "\u200bSR-T09", "SR-T09\ufeff", " SR-T09 "])
def test_an_id_with_invisible_spaces_is_the_same_id_on_every_tab(typed: str) -> None:
    clean = synced()
    snap = edit(clean, "Tasks", SR_T09, "ID", typed)
    snap = edit(snap, "Volunteers", "V-002", "Task", typed)
    read, after = settle(snap)
    assert read.problems == ()
    assert cell(after, "Tasks", typed, "Volunteer selection") == cell(
        clean, "Tasks", SR_T09, "Volunteer selection"
    )
    assert cell(after, "Volunteers", "V-002", "Rank") == cell(clean, "Volunteers", "V-002", "Rank")


def test_the_memory_of_a_task_is_found_when_its_key_has_invisible_spaces() -> None:
    data = rows()
    for row in data["state"]:
        if row["key"] == f"task:{SR_T09}":
            row["key"] = f"task:{SR_T09}\u00a0"
    read, _ = settle(synced(data))
    assert read.problems == ()
    assert read.group.tasks[TaskId(SR_T09)].status.value == "open"


def test_a_reference_that_differs_only_in_letter_case_names_the_id_to_write() -> None:
    data = rows()
    data["volunteers"][1]["member"] = "Zainab.Musawa"
    read, _ = settle(synced(data))
    problem = only(read, "Volunteers")
    assert (problem.row, problem.column) == (3, "Member")
    assert "'Zainab.Musawa' is not a member" in problem.reason
    assert "write 'zainab.musawa'" in problem.reason


def test_a_milestone_typed_with_a_no_break_space_after_its_date_is_read() -> None:
    data = rows()
    project = next(r for r in data["projects"] if r["id"] == "cohort-careers")
    project["milestones"] = str(project["milestones"]).replace(" ", "\u00a0", 1)
    read, _ = settle(synced(data))
    assert read.problems == ()
    cohort = ProjectId("cohort-careers")
    assert read.group.projects[cohort].milestones == GROUP.projects[cohort].milestones


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


def adjustment(points: Any, **extra: Any) -> dict[str, Any]:
    return {
        "id": "ADJ-1",
        "kind": "adjustment",
        "member": "osas.igbinoba",
        "project": "sr-migration",
        "points": points,
        "reason": "Extra screening help",
        "recorded_by": "efe.ighodalo",
        "recorded_at": "2026-11-20 10:00",
    } | extra


def test_an_adjustment_typed_with_a_decimal_comma_is_refused_not_read_as_500_points() -> None:
    data = rows()
    data["ledger"].append(adjustment("0,500"))
    clean = synced()
    ledger = snapshot(data).grids["Ledger"]
    read, after = settle(
        Snapshot(
            {**clean.grids, "Ledger": Grid("Ledger", (*clean.grids["Ledger"].values, ledger.values[-1]))}
        )
    )
    problem = only(read, "Ledger")
    assert (problem.row, problem.column) == (len(data["ledger"]) + 1, "Points")
    assert "'0,500' is not a number" in problem.reason
    assert "write 0.500" in problem.reason
    assert read.group.ledger.total() == GROUP.ledger.total()
    assert cell(after, "Members", "osas.igbinoba", "Points (all projects)") == cell(
        clean, "Members", "osas.igbinoba", "Points (all projects)"
    )


@pytest.mark.parametrize(
    ("typed", "points"),
    [("0.5", Decimal("0.5")), ("0.500", Decimal("0.5")), ("1,000.00", Decimal(1000)), (0.5, Decimal("0.5"))],
)
def test_an_adjustment_written_unambiguously_is_read(typed: Any, points: Decimal) -> None:
    data = rows()
    data["ledger"].append(adjustment(typed))
    read, _ = settle(synced(data))
    assert read.problems == ()
    assert read.group.ledger.total() == GROUP.ledger.total() + points


@pytest.mark.parametrize(
    ("tab", "ident", "column", "header", "typed", "said"),
    [
        ("tasks", "SR-T10", "points", "Points", "2,5", "write 2.5"),
        ("tasks", "SR-T11", "points", "Points", "10,000", "'10,000' could be 10 or 10000"),
        ("tasks", SR_T09, "max_volunteers", "Max volunteers", "2,0", "write 2.0"),
        ("tasks", SR_T09, "max_volunteers", "Max volunteers", "2.000", "'2.000' could be 2 or 2000"),
        ("tasks", "SR-T02", "shares", "Shares", "amara.okorafor 2,5; zainab.musawa 1", "write 2.5"),
        (
            "tasks",
            "SR-T11",
            "shares",
            "Shares",
            "ada.obiora 0,5, tobi.akinwale 1",
            "write decimals with a dot",
        ),
        ("disputes", "D-002", "adjustment", "Adjustment (points)", "1,000", "could be 1 or 1000"),
        ("disputes", "D-003", "adjustment", "Adjustment (points)", "0,5", "write 0.5"),
    ],
)
def test_a_number_with_a_comma_is_never_reinterpreted_in_any_number_column(
    tab: str, ident: str, column: str, header: str, typed: str, said: str
) -> None:
    data = rows()
    row = next(r for r in data[tab] if r["id"] == ident)
    row[column] = typed
    if ident == "D-003":
        row |= {"decision": "adjusted", "resolved_by": "efe.ighodalo"}
    read, _ = settle(synced(data))
    title = SCHEMA.tab(tab).title
    problem = next(p for p in read.problems if p.tab == title)
    assert (problem.row, problem.column) == (row_of(data, tab, ident), header)
    assert said in problem.reason
    assert read.group.ledger.total() == GROUP.ledger.total()


def test_a_dispute_resolved_by_an_adjustment_is_appended_once_and_reads_back_the_same() -> None:
    data = rows()
    dispute = next(r for r in data["disputes"] if r["id"] == "D-003")
    dispute |= {
        "decision": "adjusted",
        "adjustment": "1.5",
        "resolved_by": "efe.ighodalo",
        "resolution": "Agreed",
    }
    read, after = settle(synced(data))  # the next sync rewrites no total (1.50 written, 1.5 read back)
    assert read.problems == ()
    entry = read.group.ledger.get(EntryId("dispute:D-003"))
    assert entry.points == Decimal("1.50")
    header = after.grids["Ledger"].values[0]
    row = next(r for r in after.grids["Ledger"].values if r[0] == "dispute:D-003")
    assert row[header.index("Recorded at")] == "2026-11-22 13:00 Africa/Lagos"  # raised then, in efe's zone


def test_points_grouped_with_spaces_or_commas_and_a_decimal_point_are_read() -> None:
    data = rows()
    row = next(r for r in data["tasks"] if r["id"] == "SR-T11")
    row["points"] = "1\u00a0000.50"
    read, _ = settle(synced(data))
    assert read.problems == ()
    assert read.group.tasks[TaskId("SR-T11")].points == Decimal("1000.50")


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

SERIAL = 46396  # 2027-01-09, as a spreadsheet stores it in a cell formatted "General"


@pytest.mark.parametrize("serial", [SERIAL, float(SERIAL)])
def test_a_due_date_stored_as_a_serial_number_is_that_date(serial: float) -> None:
    data = rows()
    row = next(r for r in data["tasks"] if r["id"] == "SR-T11")
    row["start"] = None  # the sample plans it later than this due day
    row["due"] = serial
    read, _ = settle(synced(data))
    assert read.problems == ()
    assert read.group.tasks[TaskId("SR-T11")].due == date(2027, 1, 9)


@pytest.mark.parametrize(
    ("tab", "ident", "column", "read_as"),
    [
        (
            "members",
            "kelechi.nwankwo",
            "joined",
            lambda r: r.group.members[MemberId("kelechi.nwankwo")].joined_on,
        ),
        ("projects", "cohort-careers", "end", lambda r: r.group.projects["cohort-careers"].end),
        (
            "actions",
            "A-01",
            "due",
            lambda r: next(a.due for rec in r.group.records.values() for a in rec.actions if a.id == "A-01"),
        ),
    ],
)
def test_every_date_column_reads_a_serial_number_as_its_date(
    tab: str, ident: str, column: str, read_as: Any
) -> None:
    data = rows()
    next(r for r in data[tab] if r["id"] == ident)[column] = SERIAL
    read, _ = settle(synced(data))
    assert [p for p in read.problems if p.tab == SCHEMA.tab(tab).title] == []
    assert read_as(read) == date(2027, 1, 9)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (
            2026,
            "'2026' (as a spreadsheet date, Tuesday 18 July 1905) is not a date",
        ),  # a year, not a day number
        ("1926-11-28", "1926-11-28 is before 1950"),  # a typo in the year
        (46396.5, "2027-01-09 12:00 has a time"),
        ("46396", "'46396' is not a date"),  # text is read as text: write the date
        (True, "'yes' is not a date"),
        ("2027/01/09", "is not a date"),
    ],
)
def test_a_number_or_text_that_is_not_a_date_is_refused_on_its_cell(typed: Any, said: str) -> None:
    data = rows()
    next(r for r in data["tasks"] if r["id"] == "SR-T11")["due"] = typed
    read, _ = settle(synced(data))
    problem = only(read, "Tasks")
    assert (problem.row, problem.column) == (row_of(data, "tasks", "SR-T11"), "Due")
    assert said in problem.reason
    assert "YYYY-MM-DD" in problem.reason


# --------------------------------------------------------------------------------------------
# Date-times: a time without an offset is the wall-clock time of the member it belongs to
# --------------------------------------------------------------------------------------------


def newcomer(ident: str, zone: str, country: str) -> dict[str, Any]:
    base = next(r for r in ROWS["members"] if r["id"] == "chidi.okekearu")
    return base | {
        "id": ident,
        "given_names": ident.split(".")[0].title(),
        "email": f"{ident}@example.org",
        "zone": zone,
        "country": country,
        "slack": "",
        "digest": "email",
        "orcid": "",  # an ORCID iD is one person's: not copied from the row this one starts from
    }


def with_newcomers_volunteering(lagos_at: Any, vancouver_at: Any) -> dict[str, list[dict[str, Any]]]:
    """Two new members with no record yet (Lagos, Vancouver) offering for a task that takes one."""
    data = rows()
    data["members"] += [
        newcomer("nia.okoro", "Africa/Lagos", "Nigeria"),
        newcomer("sam.lee", "America/Vancouver", "Canada"),
    ]
    task = next(r for r in data["tasks"] if r["id"] == "SR-T11")
    task |= {"status": "open", "changed_by": "ada.obiora", "max_volunteers": 1}
    data["volunteers"] += [
        {"id": "V-101", "task": "SR-T11", "member": "sam.lee", "at": vancouver_at},
        {"id": "V-102", "task": "SR-T11", "member": "nia.okoro", "at": lagos_at},
    ]
    return data


def test_a_time_typed_without_an_offset_is_the_volunteers_own_time_so_the_earlier_offer_wins() -> None:
    # 10:00 in Vancouver is 18:00 UTC; 11:00 in Lagos is 10:00 UTC: Lagos offered eight hours earlier.
    read, after = settle(synced(with_newcomers_volunteering("2026-11-24 11:00", "2026-11-24 10:00")))
    assert read.problems == ()
    offers = {v.member_id: v.at for v in read.group.volunteers if v.task_id == "SR-T11"}
    assert offers[MemberId("nia.okoro")] == datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert offers[MemberId("sam.lee")] == datetime(2026, 11, 24, 18, tzinfo=UTC)
    assert str(cell(after, "Tasks", "SR-T11", "Volunteer selection")).startswith("chosen: Nia Okekearu ")
    assert cell(after, "Volunteers", "V-102", "Rank") == 1
    assert "volunteered Tuesday 24 November 2026, 10:00 (America/Vancouver)" in str(
        cell(after, "Volunteers", "V-101", "Why")
    )


@pytest.mark.parametrize(
    ("lagos", "vancouver"),
    [
        ("2026-11-24 10:00 Africa/Lagos", "2026-11-24 10:00 America/Vancouver"),  # as braingain writes them
        ("2026-11-24T09:00Z", "2026-11-24 10:00 -08:00"),  # offsets
        (datetime(2026, 11, 24, 10), datetime(2026, 11, 24, 10)),  # the spreadsheet's own date-times
        (46350 + 10 / 24, 46350 + 10 / 24),  # serial numbers: 2026-11-24 10:00
    ],
)
def test_every_way_of_writing_a_date_time_is_read_in_the_volunteers_zone_unless_it_names_its_own(
    lagos: Any, vancouver: Any
) -> None:
    read, after = settle(synced(with_newcomers_volunteering(lagos, vancouver)))
    assert read.problems == ()
    offers = {v.member_id: v.at for v in read.group.volunteers if v.task_id == "SR-T11"}
    assert offers[MemberId("nia.okoro")] == datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert offers[MemberId("sam.lee")] == datetime(2026, 11, 24, 18, tzinfo=UTC)
    assert str(cell(after, "Tasks", "SR-T11", "Volunteer selection")).startswith("chosen: Nia Okekearu ")


def settled_with(tab: str, row: dict[str, Any]) -> tuple[ReadResult, Snapshot]:
    """The sample tracker with ``row`` added to ``tab``, settled; that row reads without a problem."""
    data = rows()
    data[tab].append(row)
    read, after = settle(synced(data))
    assert read.problems == ()
    return read, after


def test_the_ledger_reads_recorded_at_in_the_recorders_zone() -> None:
    read, _ = settled_with(
        "ledger", adjustment(1, recorded_by="tunde.bakare", recorded_at="2026-11-20 09:00")
    )
    assert read.group.ledger.get(EntryId("ADJ-1")).recorded_at == datetime(2026, 11, 20, 14, tzinfo=UTC)


def test_a_dispute_is_raised_at_the_time_of_the_member_raising_it() -> None:
    dispute = {"id": "D-009", "member": "tobi.akinwale", "task": "SR-T05", "reason": "My share"}
    read, _ = settled_with("disputes", dispute | {"raised_at": "2026-11-20 17:30", "decision": "open"})
    raised = next(d.raised_at for d in read.group.disputes if d.id == "D-009")
    assert raised == datetime(2026, 11, 21, 1, 30, tzinfo=UTC)


def test_an_agenda_item_is_late_by_the_clock_of_the_member_who_added_it() -> None:
    # Agenda closes two days before Saturday 2026-12-05 15:00 Lagos: Thursday 15:00 Lagos (14:00 UTC).
    # 10:00 in New York is 15:00 UTC, after it; read as UTC it would have been in time.
    item = {"id": "AG-099", "meeting": "2026-12-05", "item": "Budget", "added_by": "tunde.bakare"}
    read, after = settled_with("agenda", item | {"added_at": "2026-12-03 10:00"})
    assert cell(after, "Agenda", "AG-099", "Late") is True
    added = next(i for i in read.group.records["2026-12-05"].agenda if i.title == "Budget")
    assert added.added_at == datetime(2026, 12, 3, 15, tzinfo=UTC)


def test_a_moved_meeting_is_read_in_the_meeting_zone() -> None:
    data = rows()
    meeting = next(r for r in data["meetings"] if r["id"] == "2026-12-05")
    meeting |= {"status": "moved", "moved_to": "2026-12-06 15:00", "recorded_by": "efe.ighodalo"}
    read, after = settle(synced(data))
    assert read.problems == ()
    assert read.group.series is not None
    moved = next(o for o in read.group.series.overrides if o.planned == date(2026, 12, 5))
    assert moved.moved_to == datetime(2026, 12, 6, 14, tzinfo=UTC)
    assert cell(after, "Meetings", "2026-12-05", "Starts") == datetime(2026, 12, 6, 15, 0)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2026-11-01 01:30", "happens twice in America/Vancouver"),  # the clocks go back
        ("2026-03-08 02:30", "does not exist in America/Vancouver"),  # the clocks skip it
        ("2026-11-24 10:00 PST", "'PST' is not a time zone braingain knows"),
        ("2026-11-24 10:00 +01:00 America/Vancouver", "America/Vancouver is not at +01:00"),
        ("24/11/2026 10:00", "is not a date and time"),
    ],
)
def test_a_time_that_cannot_be_placed_is_refused_with_what_to_write(typed: str, said: str) -> None:
    data = with_newcomers_volunteering("2026-11-24 11:00", typed)
    read, _ = settle(synced(data))
    problem = only(read, "Volunteers")
    assert (problem.row, problem.column) == (row_of(data, "volunteers", "V-101"), "Volunteered at")
    assert said in problem.reason


def test_a_time_of_a_member_whose_zone_is_unreadable_is_read_as_utc_and_the_problem_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = tracker_read.member_zone

    def unreadable(who: Member) -> ZoneInfo | None:
        return None if who.id == "sam.lee" else real(who)

    monkeypatch.setattr(tracker_read, "member_zone", unreadable)
    data = with_newcomers_volunteering("2026-11-24 11:00", "2026-11-24 10:00")
    read, _ = settle(synced(data))
    problem = only(read, "Volunteers")
    assert (problem.row, problem.column) == (row_of(data, "volunteers", "V-101"), "Volunteered at")
    assert (
        "Time zone on the Members tab cannot be read, so it was read as UTC (London's winter time)"
        in problem.reason
    )
    offers = {v.member_id: v.at for v in read.group.volunteers if v.task_id == "SR-T11"}
    assert offers[MemberId("sam.lee")] == datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_a_time_that_names_its_own_zone_needs_no_assumption_when_the_members_zone_is_unreadable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tracker_read, "member_zone", lambda who: None)
    data = with_newcomers_volunteering("2026-11-24 11:00 Africa/Lagos", "2026-11-24 10:00 -08:00")
    read, _ = settle(synced(data))
    assert not [p for p in read.problems if p.tab == "Volunteers"]


# --------------------------------------------------------------------------------------------
# What the sync writes: date-times with their zone, read back as written
# --------------------------------------------------------------------------------------------


def test_awards_are_written_with_the_time_and_zone_of_the_leader_who_accepted() -> None:
    data = rows()
    task = next(r for r in data["tasks"] if r["id"] == "SR-T08")
    task |= {"status": "submitted", "changed_by": task["head"]}
    snap = synced(data)
    snap = edit(snap, "Tasks", "SR-T08", "Status", "accepted")
    snap = edit(snap, "Tasks", "SR-T08", "Status changed by", "efe.ighodalo")
    read, after = settle(snap)
    assert read.problems == ()
    added = [r for r in after.grids["Ledger"].values[1:] if str(r[0]).startswith("award:SR-T08:")]
    header = after.grids["Ledger"].values[0]
    assert added
    assert {r[header.index("Recorded at")] for r in added} == {"2026-11-25 13:00 Africa/Lagos"}
    again = sync(after, SETTINGS, NOW)[0]
    assert again.group.ledger.get(EntryId(str(added[0][0]))).recorded_at == NOW


def test_meetings_are_written_as_real_date_times_on_the_clock_of_the_slots_zone() -> None:
    _, after = settle(snapshot(rows()))
    starts = [r[1] for r in after.grids["Meetings"].values[1:] if r[1]]
    assert starts
    assert all(isinstance(s, datetime) and s.tzinfo is None and (s.hour, s.minute) == (15, 0) for s in starts)
    assert "time zone" in SCHEMA.tab("meetings").column("starts").help  # the header's note gives the zone


def test_a_meeting_braingain_scheduled_is_marked_held_once_it_is_over_and_a_typed_status_stays() -> None:
    data = rows()
    past = [r for r in data["meetings"] if r["status"] == "scheduled" and str(r["id"]) < "2026-11-25"]
    assert len(past) >= 2
    past[1]["status"] = "cancelled"
    ahead = [r for r in data["meetings"] if str(r["id"]) > "2026-11-26"]
    _, _, after = sync(snapshot(data), SETTINGS, NOW)
    assert cell(after, "Meetings", str(past[0]["id"]), "Status") == "held"
    assert cell(after, "Meetings", str(past[1]["id"]), "Status") == "cancelled"
    assert all(cell(after, "Meetings", str(r["id"]), "Status") == r["status"] for r in ahead)
    again, _ = settle(after)
    assert not [p for p in again.problems if p.column == "Status"]  # "held" reads as a status
    assert sync(after, SETTINGS, NOW)[1].write.empty
