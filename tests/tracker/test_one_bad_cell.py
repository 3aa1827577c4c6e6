"""One bad cell changes nothing for anyone else: it is reported on its own column, what depends
on it waits (and says so), every decision keeps its last written value, and a second sync
writes nothing.

The sweep below types a bad value into every people-owned column of every tab of a synced
sample tracker, one at a time; the cases after it follow the issue's examples through.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from braingain.core.ids import MemberId
from braingain.core.schedule.digests import member_digest
from braingain.core.schedule.reminders import reminders_due
from braingain.core.tracker.read import ReadResult
from braingain.core.tracker.schema import Cell, Grid, Merge, Owner, Snapshot
from braingain.integrations import text
from tests.tracker.helpers import SCHEMA, Sample, decisions, edit, row_number, snapshot, without_ledger_memory

SAMPLE = Sample()
START = SAMPLE.start()
BEFORE = SAMPLE.read(START)
SR_T09 = "SR-T09"

BAD: dict[str, str] = {
    "id": "",  # every tab refuses a row without an ID
    "text": "#REF!",
    "longtext": "#REF!",
    "email": "name@@example..org",
    "member": "nobody.here",
    "members": "nobody.here",
    "project": "no-such-project",
    "task": "NO-SUCH-TASK",
    "meeting": "other:2026-01-01",
    "entry": "no-such-entry",
    "date": "2026-02-30",
    "datetime": "yesterday",
    "number": "ten",
    "integer": "ten",
    "bool": "maybe",
    "choice": "nonsense",
    "choices": "nonsense",
    "zone": "Etc/GMT+1",
    "country": "Atlantis",
    "windows": "Funday 09:00-10:00",
}
"""A value each kind of column refuses."""

ROWS: dict[str, tuple[str, ...]] = {
    "members": ("zainab.musawa", "ada.obiora"),  # a volunteer on accepted tasks; a leader who reviews
    "availability": ("AV-001",),
    "projects": ("sr-migration",),
    "tasks": (SR_T09, "SR-T02", "SR-T08"),  # open with volunteers; accepted; in progress
    "volunteers": ("V-001",),
    "ledger": ("award:SR-T02:zainab.musawa", "dispute:D-002"),
    "disputes": ("D-001", "D-002", "D-003"),  # upheld; adjusted; open
    "outputs": ("sr-paper", "sr-protocol"),
    "meetings": ("2026-07-04", "2026-12-05"),  # held, with minutes; ahead
    "agenda": ("AG-001",),
    "actions": ("A-01",),
}
"""The rows of each tab that get the bad value: ones that others depend on, in different states."""

CASES = [
    pytest.param(tab.key, ident, column.key, id=f"{tab.title}-{ident}-{column.header}")
    for tab in SCHEMA.tabs
    if tab.key in ROWS
    for ident in ROWS[tab.key]
    for column in tab.columns
    if column.owner is Owner.PEOPLE
]


def title(key: str) -> str:
    return SCHEMA.tab(key).title


def header(key: str, column: str) -> str:
    return SCHEMA.tab(key).column(column).header


def sync(snap: Snapshot) -> tuple[ReadResult, Snapshot, Any]:
    return SAMPLE.sync(snap)


def test_the_synced_sample_reads_without_a_problem_and_a_second_sync_writes_nothing() -> None:
    read, _, plan = sync(START)
    assert read.problems == ()
    assert plan.write.empty


@pytest.mark.parametrize(("tab", "ident", "column"), CASES)
def test_a_bad_cell_is_reported_on_its_column_and_changes_no_decision(
    tab: str, ident: str, column: str
) -> None:
    where = (title(tab), row_number(START, title(tab), ident), header(tab, column))
    broken = edit(START, title(tab), ident, header(tab, column), BAD[SCHEMA.tab(tab).column(column).type])
    read, after, plan = sync(broken)

    assert where in [(p.tab, p.row, p.column) for p in read.problems], read.problems
    for problem in read.problems:
        if (problem.tab, problem.row) != where[:2]:
            # Rows that named the edited row wait for it (or, when its ID changed, name what is gone).
            assert "waits for" in problem.reason or ident in problem.reason, problem
    assert decisions(after) == decisions(START), "no decision changes while the cell is bad"
    for cell in plan.write.cells:
        written = next(t for t in SCHEMA.tabs if t.title == cell.tab)
        assert written.sync_owned or written.columns[cell.column - 1].owner is Owner.SYNC, cell
    again, _, second = sync(after)
    assert second.write.empty, second.summary
    assert again.problems == read.problems


@pytest.mark.parametrize("member", ["zainab.musawa", "kelechi.nwankwo", "ehi.aigbekaen", "ada.obiora"])
def test_a_refused_time_zone_leaves_the_member_a_member_out_only_of_what_needs_the_zone(
    member: MemberId,
) -> None:
    row = row_number(START, "Members", member)
    read, after, _ = sync(edit(START, "Members", member, "Time zone", "Etc/GMT+1"))

    assert [(p.tab, p.row, p.column) for p in read.problems] == [("Members", row, "Time zone")]
    assert "is not a time zone braingain knows" in read.problems[0].reason
    group = read.group
    person = group.members[member]
    assert person.zone is None
    assert group.ledger.total() == BEFORE.group.ledger.total()
    assert [t.id for t in group.tasks.values() if member in t.contributors] == [
        t.id for t in BEFORE.group.tasks.values() if member in t.contributors
    ]
    assert group.attendance_on(SAMPLE.now) == BEFORE.group.attendance_on(SAMPLE.now)
    chosen = group.selection(SR_T09, now=SAMPLE.now).selected
    assert chosen == BEFORE.group.selection(SR_T09, now=SAMPLE.now).selected
    assert decisions(after) == decisions(START)

    placed, left_out = group.schedulable(SAMPLE.today)
    assert member not in {a.member_id for a in placed}
    assert [(m, "time zone" in why) for m, why in left_out if m == member] == [(member, True)]
    shown = text.meetings_by_member(group, group.meetings(SAMPLE.today.replace(year=2027))[-2:])
    assert f"{person.name}'s time zone could not be read" in shown
    digest = member_digest(group, person.id, since=SAMPLE.now.replace(month=10), until=SAMPLE.now)
    assert any("time zone" in note for note in digest.notes)
    assert all(r.note for r in reminders_due(group, SAMPLE.now) if r.member_id == member)
    assert sync(after)[2].write.empty


@pytest.mark.parametrize("member", ["zainab.musawa", "ada.obiora", "efe.ighodalo", "ose.idahor"])
def test_an_invalid_email_leaves_the_member_on_every_meeting_and_task_and_changes_nothing(
    member: MemberId,
) -> None:
    row = row_number(START, "Members", member)
    read, after, _ = sync(edit(START, "Members", member, "Email", "name@@example..org"))

    assert [(p.tab, p.row, p.column) for p in read.problems] == [("Members", row, "Email")]
    assert "name@@" not in read.problems[0].reason
    group = read.group
    assert group.members[member].email is None
    assert member in group.members
    attended = {r.meeting_id for r in group.records.values() if member in r.attendance}
    assert attended == {r.meeting_id for r in BEFORE.group.records.values() if member in r.attendance}
    assert {t.id for t in group.tasks.values() if member in (*t.contributors, t.supervisor)} == {
        t.id for t in BEFORE.group.tasks.values() if member in (*t.contributors, t.supervisor)
    }
    assert group.selection(SR_T09, now=SAMPLE.now) == BEFORE.group.selection(SR_T09, now=SAMPLE.now)
    assert decisions(after) == decisions(START), "progress, selections and points stay as they were"
    digest = member_digest(group, member, since=SAMPLE.now.replace(month=10), until=SAMPLE.now)
    assert not digest.by_email
    channel = group.members[member].digest_channel
    if channel is not None and channel.wants_email:
        assert any(note.startswith("no email digest") for note in digest.notes)
    assert sync(after)[2].write.empty


def test_a_member_whose_row_is_held_is_waited_for_by_every_row_that_names_them() -> None:
    member = "zainab.musawa"
    row = row_number(START, "Members", member)
    read, after, _ = sync(edit(START, "Members", member, "Role", "boss"))

    assert ("Members", row, "Role") in [(p.tab, p.row, p.column) for p in read.problems]
    assert member not in read.group.members
    held = [p for p in read.problems if f"held: waits for Members row {row} ({member})" in p.reason]
    held_tabs = {p.tab for p in held}
    assert {"Volunteers", "Tasks", "Ledger"} <= held_tabs
    meeting = next(r for r in BEFORE.group.records.values() if member in r.attendance)
    others = set(meeting.attendance) - {member}
    assert others <= set(read.group.records[meeting.meeting_id].attendance), "the others' attendance stays"
    assert decisions(after) == decisions(START)


def test_a_decision_that_waits_keeps_its_value_says_why_and_is_worked_out_again_once_fixed() -> None:
    candidate = "zainab.musawa"
    broken = edit(START, "Members", candidate, "Surname", "#REF!")
    read, after, _ = sync(broken)
    task_row = row_number(START, "Tasks", SR_T09)
    waiting = next(
        p for p in read.problems if (p.tab, p.row, p.column) == ("Tasks", task_row, "Volunteer selection")
    )
    assert "kept as it was" in waiting.reason
    offer = row_number(START, "Volunteers", "V-002")
    assert f"Volunteers row {offer}" in waiting.reason, (
        "her offer waits for her row, the selection for her offer"
    )
    assert next(p for p in read.problems if (p.tab, p.row) == ("Volunteers", offer)).reason.startswith(
        f"held: waits for Members row {row_number(START, 'Members', candidate)}"
    )
    assert decisions(after) == decisions(START)
    points = next(p for p in read.problems if p.tab == "Members" and p.column == "Points (all projects)")
    assert "kept as it was" in points.reason
    fixed, synced, _ = sync(edit(after, "Members", candidate, "Surname", "Musawa"))
    assert fixed.problems == ()
    assert decisions(synced) == decisions(START)
    assert sync(synced)[2].write.empty


def test_a_held_ledger_row_keeps_the_members_total_and_the_projects_author_order() -> None:
    entry = "award:SR-T02:zainab.musawa"  # in a memory that keeps no entries: one it keeps counts as recorded
    read, after, _ = sync(edit(without_ledger_memory(START), "Ledger", entry, "Points", 1e300))
    row = row_number(START, "Ledger", entry)
    assert ("Ledger", row, "Points") in [(p.tab, p.row, p.column) for p in read.problems]
    assert read.group.ledger.total() < BEFORE.group.ledger.total(), "the entry is held out of the ledger"
    kept = {(p.tab, p.column) for p in read.problems if "kept as it was" in p.reason}
    assert {("Members", "Points (all projects)"), ("Outputs", "Authors (in order)")} <= kept
    assert decisions(after) == decisions(START)


def test_a_meeting_naming_someone_who_is_not_a_member_keeps_everyone_elses_attendance() -> None:
    meeting = "2026-07-04"
    record = BEFORE.group.records[meeting]
    present = sorted(m for m, s in record.attendance.items() if s.value == "present")
    typo = present[0].replace(".", "..")
    read, after, _ = sync(edit(START, "Meetings", meeting, "Present", "; ".join([typo, *present[1:]])))
    problem = next(p for p in read.problems if p.tab == "Meetings")
    assert (problem.row, problem.column) == (row_number(START, "Meetings", meeting), "Present")
    kept = read.group.records[meeting].attendance
    assert set(kept) == set(record.attendance) - {present[0]}
    assert decisions(after) == decisions(START), "whoever the typo stands for, their selections wait"


def test_a_cap_that_cannot_be_read_holds_only_that_tasks_selection() -> None:
    read, after, _ = sync(edit(START, "Tasks", SR_T09, "Max volunteers", -1))
    row = row_number(START, "Tasks", SR_T09)
    assert {(p.row, p.column) for p in read.problems} == {
        (row, "Max volunteers"),
        (row, "Volunteer selection"),
    }
    assert SR_T09 in read.group.tasks
    assert decisions(after) == decisions(START)


def test_a_leader_override_that_cannot_be_read_holds_the_selection_it_would_change() -> None:
    read, after, _ = sync(edit(START, "Volunteers", "V-001", "Leader override", "inn"))
    assert ("Volunteers", row_number(START, "Volunteers", "V-001"), "Leader override") in [
        (p.tab, p.row, p.column) for p in read.problems
    ]
    assert "is not in or out" in next(p for p in read.problems if p.tab == "Volunteers").reason
    assert (("selection", SR_T09)) in read.waiting
    assert decisions(after) == decisions(START)


def test_a_held_task_with_a_due_date_holds_scheduling_meetings_ahead() -> None:
    later = SAMPLE.now.replace(year=2027, month=1)
    sample = Sample(later.date())
    start = sample.start()
    task = next(r for r in sample.rows()["tasks"] if r["due"] and r["status"] == "open")
    read, after, _ = sample.sync(edit(start, "Tasks", str(task["id"]), "Stage", "#REF!"))
    assert ("schedule", "") in read.waiting
    assert any(p.tab == "Meetings" and p.row == 0 and "no new meetings" in p.reason for p in read.problems)
    assert len(after.grids["Meetings"].values) == len(start.grids["Meetings"].values)


def test_rows_set_aside_by_merged_cells_are_waited_for_by_the_rows_that_name_them() -> None:
    grid = START.grids["Tasks"]
    row = row_number(START, "Tasks", SR_T09)
    merged = Snapshot({**START.grids, "Tasks": Grid("Tasks", grid.values, merges=(Merge(row, 3, row, 4),))})
    read, after, _ = sync(merged)
    offers = [p for p in read.problems if p.tab == "Volunteers"]
    assert offers
    assert all(p.reason.startswith(f"held: waits for Tasks row {row} ({SR_T09})") for p in offers)
    assert decisions(after) == decisions(START)


def test_an_absence_that_an_unknown_zone_could_excuse_holds_the_selections_weighing_it() -> None:
    member, meeting = "kelechi.nwankwo", "2026-08-01"  # absent at 14:00 UTC on 1 August
    rows = SAMPLE.rows()
    away: dict[str, Cell] = {
        "id": "AV-099",
        "member": member,
        "away_from": date(2026, 8, 2),
        "away_until": date(2026, 8, 2),
    }
    rows["availability"].append(away)  # 2 August: already so in Auckland, not yet in Lagos
    _, start, _ = SAMPLE.sync(snapshot(rows))
    before = SAMPLE.read(start)
    assert before.problems == ()
    assert before.group.records[meeting].attendance[MemberId(member)].value == "absent"

    read, after, _ = sync(edit(start, "Members", member, "Time zone", "Etc/GMT+1"))
    row = row_number(start, "Members", member)
    assert ("selection", SR_T09) in read.waiting
    assert f"waits for Members row {row}" in read.waiting[("selection", SR_T09)]
    assert decisions(after) == decisions(start)
    assert sync(after)[2].write.empty


@pytest.mark.parametrize("header", ["Approved the final version", "Agreed to be accountable"])
def test_a_typo_among_an_outputs_confirmations_holds_the_output_and_keeps_its_authors(header: str) -> None:
    grid = START.grids["Outputs"]
    row = row_number(START, "Outputs", "sr-protocol")
    typed = str(grid.values[row - 1][list(grid.values[0]).index(header)])
    read, after, _ = sync(
        edit(START, "Outputs", "sr-protocol", header, typed.replace("ada.obiora", "ada.obiorra"))
    )
    assert ("Outputs", row, header) in [(p.tab, p.row, p.column) for p in read.problems]
    assert "sr-protocol" not in read.group.outputs
    assert decisions(after) == decisions(START), "the author order stays as it was"


def test_no_award_is_appended_while_a_ledger_row_has_no_id_and_none_is_lost_once_it_is_back() -> None:
    entry = "award:SR-T02:zainab.musawa"
    ledger_row = row_number(START, "Ledger", entry)
    task = next(r for r in SAMPLE.rows()["tasks"] if r["id"] == "SR-T08")
    snap = edit(START, "Tasks", "SR-T08", "Status", "submitted")
    snap = edit(snap, "Tasks", "SR-T08", "Status changed by", task["head"])
    _, snap, _ = sync(snap)
    snap = edit(edit(snap, "Ledger", entry, "ID", ""), "Tasks", "SR-T08", "Status", "accepted")
    snap = edit(snap, "Tasks", "SR-T08", "Status changed by", "efe.ighodalo")
    height = len(snap.grids["Ledger"].values)

    read, snap, _ = sync(snap)
    assert tuple(map(str, read.changes)) == ("SR-T08: submitted -> accepted by efe.ighodalo",)
    assert read.new_entries == ()
    assert len(snap.grids["Ledger"].values) == height
    here = ("Tasks", row_number(START, "Tasks", "SR-T08"), "Points awarded")
    withheld = next(p for p in read.problems if (p.tab, p.row, p.column) == here and "not added" in p.reason)
    assert f"waits for Ledger row {ledger_row}, which has no ID" in withheld.reason

    grid = snap.grids["Ledger"]
    values = [list(r) for r in grid.values]
    values[ledger_row - 1][0] = entry
    restored = Snapshot({**snap.grids, "Ledger": Grid("Ledger", tuple(tuple(r) for r in values))})
    read, snap, _ = sync(restored)
    assert sorted(e.member_id for e in read.new_entries) == sorted(str(task["contributors"]).split("; "))
    assert len(snap.grids["Ledger"].values) == height + len(read.new_entries)
    again, _, plan = sync(snap)
    assert (again.problems, again.new_entries) == ((), ())
    assert plan.write.empty
