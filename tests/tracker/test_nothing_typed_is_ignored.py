"""Nothing a person types is silently ignored, or refused only inside a derived cell.

Each case below is something typed that braingain cannot apply: an offer for a task that
takes no volunteers, a leader override it cannot follow, a change to a task whose work was
accepted. Each is reported on the Problems tab on its own tab, row and column, with why and
how to fix it (so the sync exits 3); no decision changes because of it (what was recorded
keeps counting); no person-typed cell is changed; and a second sync writes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from braingain.core.ids import MemberId
from braingain.core.tracker.read import ReadResult, TaskMemory
from braingain.core.tracker.schema import Snapshot
from tests.tracker.helpers import (
    Sample,
    append,
    decisions,
    edit,
    person_typed,
    row_number,
    without_ledger_memory,
)

SAMPLE = Sample()
START = SAMPLE.start()
SR_T09 = "SR-T09"  # open, capped at 2, five volunteers (V-001..V-005)


def sync(snap: Snapshot) -> Snapshot:
    """``snap`` after one sync that reports nothing (a step of a case's set-up)."""
    read, after, _ = SAMPLE.sync(snap)
    assert read.problems == (), read.problems
    return after


def status(snap: Snapshot, task: str, to: str, by: str) -> Snapshot:
    """``snap`` with ``task``'s Status typed as ``to`` by ``by``."""
    return edit(edit(snap, "Tasks", task, "Status", to), "Tasks", task, "Status changed by", by)


def moved(snap: Snapshot, task: str, to: str, by: str) -> Snapshot:
    """``snap`` after a sync that moved ``task`` to ``to`` (typed by ``by``)."""
    return sync(status(snap, task, to, by))


def reported(snap: Snapshot, tab: str, row: int, header: str, *words: str) -> tuple[ReadResult, Snapshot]:
    """Sync ``snap``: a problem on (tab, row, header) says ``words``; nothing else changes (on a row
    just added, the sync may fill in its own cells)."""
    read, after, _ = SAMPLE.sync(snap)
    found = [p for p in read.problems if (p.tab, p.row, p.column) == (tab, row, header)]
    assert found, read.problems
    for word in words:
        assert word in found[0].reason, found[0].reason
    new = row == len(snap.grids[tab].values) and row > len(START.grids[tab].values)
    kept = {k: v for k, v in decisions(after).items() if not (new and k[:2] == (tab, row))}
    assert kept == {k: v for k, v in decisions(snap).items() if k in kept}, (
        "no decision changes because of it"
    )
    assert person_typed(after) == person_typed(snap), "nothing a person typed is changed"
    again, _, second = SAMPLE.sync(after)
    assert second.write.empty, second.summary
    assert again.problems == read.problems
    return read, after


def offer(snap: Snapshot, task: str, member: str, at: str, **more: Any) -> tuple[Snapshot, int]:
    """``snap`` with a new Volunteers row, and its row number."""
    after = append(
        snap, "Volunteers", {"ID": "V-100", "Task": task, "Member": member, "Volunteered at": at, **more}
    )
    return after, len(after.grids["Volunteers"].values)


def selected(read: ReadResult, task: str = SR_T09) -> tuple[str, ...]:
    return read.group.selection(task, now=SAMPLE.now).selected


# --- offers for a task that takes no volunteers -------------------------------------------------


def test_an_offer_for_a_draft_task_is_reported_and_not_counted() -> None:
    snap, row = offer(START, "SR-T10", "zainab.musawa", "2026-11-24 10:00")
    read, _ = reported(snap, "Volunteers", row, "Task", "SR-T10 is a draft", "not counted", "opens the task")
    assert not [v for v in read.group.volunteers if v.task_id == "SR-T10"]


def test_an_offer_for_a_draft_task_counts_once_the_task_opens() -> None:
    snap, _ = offer(START, "SR-T11", "zainab.musawa", "2026-11-24 10:00")
    opened = status(snap, "SR-T11", "open", "ada.obiora")
    read, after, _ = SAMPLE.sync(opened)
    assert read.problems == ()
    assert [v.member_id for v in read.group.volunteers if v.task_id == "SR-T11"] == ["zainab.musawa"]
    assert SAMPLE.sync(after)[2].write.empty


def test_an_offer_made_after_a_task_was_assigned_is_reported_and_one_made_while_it_was_open_is_not() -> None:
    history, _ = offer(START, "SR-T08", "zainab.musawa", "2026-08-18 10:00")
    assert SAMPLE.sync(history)[0].problems == (), "an offer of its open days is history"
    snap, row = offer(START, "SR-T08", "zainab.musawa", "2026-11-24 10:00")
    reported(
        snap,
        "Volunteers",
        row,
        "Task",
        "stopped taking volunteers on Thursday 20 August 2026",
        "in progress",
        "delete this row",
    )


def test_an_offer_for_an_accepted_task_is_reported() -> None:
    snap, row = offer(START, "SR-T02", "kelechi.nwankwo", "2026-11-24 10:00")
    reported(snap, "Volunteers", row, "Task", "SR-T02 stopped taking volunteers", "accepted")


def test_an_offer_for_a_task_cancelled_before_it_opened_is_reported() -> None:
    cancelled = moved(START, "CS-T02", "cancelled", "tunde.bakare")
    snap, row = offer(cancelled, "CS-T02", "kelechi.nwankwo", "2026-11-26 10:00")
    reported(snap, "Volunteers", row, "Task", "cancelled without ever taking volunteers")


def test_an_offer_made_after_an_open_task_was_cancelled_is_reported_and_its_earlier_offers_are_history() -> (
    None
):
    cancelled = moved(START, "CS-T01", "cancelled", "tunde.bakare")
    snap, row = offer(cancelled, "CS-T01", "kelechi.nwankwo", "2026-11-26 10:00")
    read, _ = reported(
        snap,
        "Volunteers",
        row,
        "Task",
        "stopped taking volunteers on Wednesday 25 November 2026",
        "cancelled",
    )
    assert [p.row for p in read.problems] == [row], "V-006 and V-007 were made while it was open"


def test_an_offer_whose_override_is_dropped_with_it_says_so() -> None:
    snap, row = offer(START, "SR-T10", "zainab.musawa", "2026-11-24 10:00", **{"Leader override": "in"})
    reported(snap, "Volunteers", row, "Task", "its Leader override is not applied either")


# --- offers by someone who cannot be chosen, or who already offered ---------------------------------


@pytest.mark.parametrize(
    ("member", "header", "value", "words"),
    [
        ("kelechi.nwankwo", "Active", False, "is not an active member"),
        ("zainab.musawa", "Left", "2026-11-20", "left the group on Friday 20 November 2026"),
        ("chidi.okekearu", "Left", "2026-11-24", "left the group on Tuesday 24 November 2026"),
        (
            "ose.idahor",
            "Joined",
            "2026-11-24",
            "joined the group on Tuesday 24 November 2026, after offering",
        ),
    ],
)
def test_an_offer_by_a_member_who_is_not_active_is_reported_and_the_selection_keeps_its_value(
    member: str, header: str, value: Any, words: str
) -> None:
    snap = edit(START, "Members", member, header, value)
    row = next(r for r, v in enumerate(snap.grids["Volunteers"].values, start=1) if v[2] == member)
    read, _ = reported(snap, "Volunteers", row, "Member", words, "not counted")
    assert member not in {v.member_id for v in read.group.volunteers}
    waits = next(p for p in read.problems if p.column == "Volunteer selection")
    assert waits.row == row_number(START, "Tasks", SR_T09)
    assert waits.reason.startswith("kept as it was: waits for Volunteers row")


def test_an_offer_by_a_member_whose_joining_date_cannot_be_read_counts_as_usual() -> None:
    read, after, _ = SAMPLE.sync(edit(START, "Members", "kelechi.nwankwo", "Joined", "2026-02-30"))
    assert [(p.tab, p.column) for p in read.problems] == [("Members", "Joined")]
    assert "kelechi.nwankwo" in {v.member_id for v in read.group.volunteers}
    assert decisions(after) == decisions(START)


def test_a_second_offer_by_the_same_member_for_the_same_task_is_reported_and_only_the_first_counts() -> None:
    before = SAMPLE.read(START)
    snap, row = offer(START, SR_T09, "zainab.musawa", "2026-11-18 09:00")  # earlier than her first offer
    first = row_number(START, "Volunteers", "V-002")
    read, _ = reported(
        snap,
        "Volunteers",
        row,
        "Member",
        f"already volunteered for SR-T09 on Volunteers row {first}",
        "delete this row",
    )
    assert selected(read) == selected(before)
    assert [v.at for v in read.group.volunteers if v.member_id == "zainab.musawa"] == [
        v.at for v in before.group.volunteers if v.member_id == "zainab.musawa"
    ]


# --- leader overrides -------------------------------------------------------------------------------


def test_forcing_in_more_than_the_task_takes_is_reported_on_each_override_and_the_selection_stays() -> None:
    snap = START
    for ident in ("V-001", "V-002", "V-003"):
        snap = edit(snap, "Volunteers", ident, "Leader override", "in")
    read, after = reported(
        snap,
        "Volunteers",
        row_number(START, "Volunteers", "V-001"),
        "Leader override",
        "3 members are forced in",
        "takes at most 2",
        "raise Max volunteers",
    )
    rows = {p.row for p in read.problems if p.column == "Leader override"}
    assert rows == {row_number(START, "Volunteers", i) for i in ("V-001", "V-002", "V-003")}
    assert ("selection", SR_T09) in read.waiting
    cell = after.grids["Tasks"].values[row_number(START, "Tasks", SR_T09) - 1]
    assert not any("cannot rank" in str(v) for v in cell), "never refused only inside a Tasks cell"


def test_forcing_in_as_many_as_the_task_takes_is_followed() -> None:
    snap = edit(
        edit(START, "Volunteers", "V-001", "Leader override", "in"),
        "Volunteers",
        "V-002",
        "Leader override",
        "in",
    )
    read, after, _ = SAMPLE.sync(snap)
    assert read.problems == ()
    chosen = after.grids["Tasks"].values[row_number(START, "Tasks", SR_T09) - 1]
    assert "chosen: Zainab Musawa, Kelechi Nwankwo" in " ".join(str(v) for v in chosen)


@pytest.mark.parametrize(
    ("member", "override", "words"),
    [
        ("zainab.musawa", "in", "forced in, but the task was assigned without them"),
        ("amara.okorafor", "out", "left out, but the task was assigned to them"),
    ],
)
def test_an_override_the_assigned_team_contradicts_is_reported(
    member: str, override: str, words: str
) -> None:
    snap, row = offer(START, "SR-T08", member, "2026-08-18 10:00", **{"Leader override": override})
    reported(snap, "Volunteers", row, "Leader override", words, "changes nothing now")


def test_an_override_the_assigned_team_agrees_with_is_history() -> None:
    snap, _ = offer(START, "SR-T08", "amara.okorafor", "2026-08-18 10:00", **{"Leader override": "in"})
    assert SAMPLE.sync(snap)[0].problems == ()


# --- the team, shares and award of a task past its work ----------------------------------------------


@pytest.mark.parametrize(
    ("task", "header", "value", "words"),
    [
        ("SR-T02", "Contributors", "amara.okorafor; zainab.musawa", "awarded to this team"),
        ("SR-T02", "Contributors", "", "amara.okorafor; zainab.musawa; osas.igbinoba"),
        ("SR-T02", "Mini-team head", "zainab.musawa", "head: amara.okorafor"),
        ("SR-T02", "Shares", "", "amara.okorafor 2"),
        ("SR-T02", "Shares", "amara.okorafor 1; zainab.musawa 1; osas.igbinoba 1", "shares stay as recorded"),
        ("SR-T01", "Shares", "efe.ighodalo 2; ada.obiora 1", "equal shares"),
    ],
)
def test_the_team_or_shares_of_an_accepted_task_changed_are_reported_and_the_award_stands(
    task: str, header: str, value: str, words: str
) -> None:
    before = SAMPLE.read(START)
    read, _ = reported(
        edit(START, "Tasks", task, header, value),
        "Tasks",
        row_number(START, "Tasks", task),
        header,
        words,
        "adjustment on the Ledger",
    )
    kept = read.group.task(task)
    assert (kept.contributors, kept.head, kept.shares) == (
        before.group.task(task).contributors,
        before.group.task(task).head,
        before.group.task(task).shares,
    )
    assert read.group.ledger.total() == before.group.ledger.total()


@pytest.mark.parametrize(
    ("header", "value", "kept"),
    [
        ("Project", "cohort-careers", "'sr-migration'"),
        ("Points", 20, "'10.00'"),
        ("Stage", "searches", "'protocol'"),
        ("CRediT role", "Software", "'Writing – original draft'"),
        ("ICMJE criterion", "none", "'2'"),
    ],
)
def test_what_an_accepted_tasks_award_was_made_on_keeps_counting_when_it_is_changed(
    header: str, value: Any, kept: str
) -> None:
    before = SAMPLE.read(START)
    read, _ = reported(
        edit(START, "Tasks", "SR-T02", header, value),
        "Tasks",
        row_number(START, "Tasks", "SR-T02"),
        header,
        f"was accepted with {header} {kept}",
        "keeps counting",
        "put it back",
    )
    assert [p.tab for p in read.problems] == ["Tasks"], "its ledger awards still read as recorded"
    task = read.group.task("SR-T02")
    was = before.group.task("SR-T02")
    assert (task.project_id, task.points, task.stage, task.credit_role, task.icmje) == (
        was.project_id,
        was.points,
        was.stage,
        was.credit_role,
        was.icmje,
    )


def test_a_task_accepted_by_the_sync_keeps_what_its_award_was_made_on() -> None:
    submitted = submit_sr_t08(START)
    accepted = moved(submitted, "SR-T08", "accepted", "ada.obiora")
    read, _ = reported(
        edit(accepted, "Tasks", "SR-T08", "Points", 30),
        "Tasks",
        row_number(START, "Tasks", "SR-T08"),
        "Points",
        "'15.00' keeps counting",
    )
    assert sum(e.points for e in read.group.ledger if e.task_id == "SR-T08") == 15


def test_a_memory_written_before_awards_were_remembered_still_reads_and_then_remembers_them() -> None:
    state = START.grids["_braingain_state"]
    old = [tuple(row) for row in state.values]
    for i, (key, value) in enumerate(old):
        if str(key).startswith("task:"):
            data = TaskMemory.from_json(str(value))
            old[i] = (
                key,
                TaskMemory(
                    data.status, data.contributors, data.head, data.history, data.shares, data.project
                ).to_json(),
            )
    snap = Snapshot({**START.grids, "_braingain_state": type(state)(state.title, tuple(old))})
    read, after, _ = SAMPLE.sync(snap)
    assert read.problems == ()
    assert decisions(after) == decisions(START)
    assert SAMPLE.sync(after)[2].write.empty
    reported(
        edit(after, "Tasks", "SR-T02", "Points", 20),
        "Tasks",
        row_number(START, "Tasks", "SR-T02"),
        "Points",
        "'10.00' keeps counting",
    )


def submit_sr_t08(snap: Snapshot) -> Snapshot:
    return moved(snap, "SR-T08", "submitted", "amara.okorafor")


@pytest.mark.parametrize(
    ("header", "value", "words"),
    [
        ("Contributors", "amara.okorafor; uyi.omoregbe", "sends the work back (Status: needs rework)"),
        ("Mini-team head", "uyi.omoregbe", "head: amara.okorafor"),
    ],
)
def test_the_team_of_submitted_work_is_kept_until_a_leader_sends_it_back(
    header: str, value: str, words: str
) -> None:
    submitted = submit_sr_t08(START)
    reported(
        edit(submitted, "Tasks", "SR-T08", header, value),
        "Tasks",
        row_number(START, "Tasks", "SR-T08"),
        header,
        words,
    )


def test_shares_set_while_submitted_work_is_reviewed_apply() -> None:
    submitted = submit_sr_t08(START)
    shares = "amara.okorafor 2; uyi.omoregbe 1; ngozi.ukpebor 1; tobi.akinwale 1"
    read, _, _ = SAMPLE.sync(edit(submitted, "Tasks", "SR-T08", "Shares", shares))
    assert read.problems == ()
    assert dict(read.group.task("SR-T08").shares)[MemberId("amara.okorafor")] == 2


def test_a_cancelled_tasks_team_is_kept_and_its_unchanged_shares_are_not_a_problem() -> None:
    shares = "amara.okorafor 2; uyi.omoregbe 1; ngozi.ukpebor 1; tobi.akinwale 1"
    snap = sync(edit(START, "Tasks", "SR-T08", "Shares", shares))
    cancelled = moved(snap, "SR-T08", "cancelled", "ada.obiora")
    assert SAMPLE.sync(cancelled)[0].problems == ()
    reported(
        edit(cancelled, "Tasks", "SR-T08", "Contributors", "amara.okorafor"),
        "Tasks",
        row_number(START, "Tasks", "SR-T08"),
        "Contributors",
        "is cancelled",
    )


def test_emptying_the_team_of_a_task_in_progress_is_reported_and_the_team_stays() -> None:
    before = SAMPLE.read(START)
    read, _ = reported(
        edit(START, "Tasks", "SR-T08", "Contributors", ""),
        "Tasks",
        row_number(START, "Tasks", "SR-T08"),
        "Contributors",
        "is empty",
        "the team stays",
    )
    assert read.group.task("SR-T08").contributors == before.group.task("SR-T08").contributors


# --- a resolved dispute -------------------------------------------------------------------------------

D_001 = "D-001"  # upheld by efe.ighodalo
D_002 = "D-002"  # adjusted by 1.00 by tunde.bakare: its entry dispute:D-002 is on the Ledger
D_003 = "D-003"  # open


@pytest.mark.parametrize(
    ("dispute", "header", "value", "kept"),
    [
        (D_002, "Adjustment (points)", 40, "'1.00'"),
        (D_002, "Adjustment (points)", -1, "'1.00'"),
        (D_002, "Decision", "open", "'adjusted'"),
        (D_002, "Decision", "upheld", "'adjusted'"),
        (D_002, "Decision", "withdrawn", "'adjusted'"),
        (D_002, "Member", "osas.igbinoba", "'zainab.musawa'"),
        (D_002, "Task", "SR-T01", "'SR-T02'"),
        (D_002, "Reason", "Something else", "'I drafted the whole methods section"),
        (D_002, "Resolved by", "ada.obiora", "'tunde.bakare'"),
        (D_001, "Decision", "open", "'upheld'"),
        (D_001, "Decision", "adjusted", "'upheld'"),
        (D_001, "Adjustment (points)", 5, "empty"),
        (D_001, "Resolved by", "tunde.bakare", "'efe.ighodalo'"),
        (D_001, "Ledger entry", "award:SR-T07:ehi.aigbekaen", "'award:SR-T12:ehi.aigbekaen'"),
    ],
)
def test_an_edit_of_a_resolved_dispute_is_reported_and_its_recorded_resolution_keeps_counting(
    dispute: str, header: str, value: Any, kept: str
) -> None:
    before = SAMPLE.read(START)
    read, _ = reported(
        edit(START, "Disputes", dispute, header, value),
        "Disputes",
        row_number(START, "Disputes", dispute),
        header,
        f"dispute {dispute} was resolved",
        f"with {header} {kept}",
        "is not applied",
        "raise a new dispute",
    )
    assert [p.tab for p in read.problems] == ["Disputes"]
    assert read.new_entries == ()
    assert read.group.ledger.total() == before.group.ledger.total()
    now = next(d for d in read.group.disputes if d.id == dispute)
    was = next(d for d in before.group.disputes if d.id == dispute)
    assert (now.status, now.member_id, now.entry_id, now.task_id, now.reason, now.trail[-1].by) == (
        was.status,
        was.member_id,
        was.entry_id,
        was.task_id,
        was.reason,
        was.trail[-1].by,
    )


def test_a_resolved_adjustment_is_found_on_the_ledger_even_in_a_memory_that_never_kept_disputes() -> None:
    state = START.grids["_braingain_state"]
    kept = tuple(row for row in state.values if not str(row[0]).startswith("dispute:"))
    old = Snapshot({**START.grids, state.title: type(state)(state.title, kept)})
    read, _ = reported(
        edit(old, "Disputes", D_002, "Adjustment (points)", 40),
        "Disputes",
        row_number(START, "Disputes", D_002),
        "Adjustment (points)",
        "on the Ledger as dispute:D-002",
        "'1.00': that keeps counting",
    )
    assert read.new_entries == ()


def test_a_memory_that_never_kept_disputes_still_reads_and_then_keeps_them() -> None:
    state = START.grids["_braingain_state"]
    kept = tuple(row for row in state.values if not str(row[0]).startswith("dispute:"))
    read, after, _ = SAMPLE.sync(Snapshot({**START.grids, state.title: type(state)(state.title, kept)}))
    assert read.problems == ()
    assert SAMPLE.sync(after)[2].write.empty
    reported(
        edit(after, "Disputes", D_001, "Decision", "open"),
        "Disputes",
        row_number(START, "Disputes", D_001),
        "Decision",
        "'upheld': that keeps counting",
    )


def resolve(snap: Snapshot, dispute: str, **typed: Any) -> Snapshot:
    for header, value in typed.items():
        snap = edit(snap, "Disputes", dispute, header.replace("_", " ").capitalize(), value)
    return snap


def test_a_dispute_adjusted_by_this_sync_keeps_the_adjustment_it_recorded() -> None:
    adjusted = resolve(
        START, D_003, decision="adjusted", resolved_by="tunde.bakare", resolution_note="Agreed"
    )
    read, after, _ = SAMPLE.sync(edit(adjusted, "Disputes", D_003, "Adjustment (points)", 2))
    assert read.problems == ()
    assert [(str(e.id), e.points) for e in read.new_entries] == [("dispute:D-003", Decimal(2))]
    read, _ = reported(
        edit(after, "Disputes", D_003, "Adjustment (points)", 3),
        "Disputes",
        row_number(START, "Disputes", D_003),
        "Adjustment (points)",
        "'2.00': that keeps counting",
    )
    assert read.new_entries == ()


def test_a_withdrawn_dispute_set_back_to_open_is_reported() -> None:
    withdrawn = sync(edit(START, "Disputes", D_003, "Decision", "withdrawn"))
    reported(
        edit(withdrawn, "Disputes", D_003, "Decision", "open"),
        "Disputes",
        row_number(START, "Disputes", D_003),
        "Decision",
        "'withdrawn': that keeps counting",
    )
    reported(
        edit(withdrawn, "Disputes", D_003, "Resolved by", "tunde.bakare"),
        "Disputes",
        row_number(START, "Disputes", D_003),
        "Resolved by",
        "with Resolved by empty",
        "clear it",
    )


@pytest.mark.parametrize(
    ("decision", "header", "value"),
    [
        ("upheld", "Adjustment (points)", 2),
        ("withdrawn", "Adjustment (points)", 2),
        ("withdrawn", "Resolved by", "tunde.bakare"),
    ],
)
def test_a_resolution_whose_cells_disagree_is_reported_and_the_dispute_stays_open_until_they_agree(
    decision: str, header: str, value: Any
) -> None:
    typed = resolve(START, D_003, decision=decision, resolution_note="Agreed")
    if decision == "upheld":
        typed = edit(typed, "Disputes", D_003, "Resolved by", "tunde.bakare")
    read, after = reported(
        edit(typed, "Disputes", D_003, header, value),
        "Disputes",
        row_number(START, "Disputes", D_003),
        header,
        "it stays open until they agree",
    )
    assert next(d for d in read.group.disputes if d.id == D_003).status.value == "open"
    agreed, _, _ = SAMPLE.sync(edit(after, "Disputes", D_003, header, None))
    assert agreed.problems == ()
    assert next(d for d in agreed.group.disputes if d.id == D_003).status.value == decision


def test_an_edited_ledger_entry_of_a_dispute_resolution_is_reported_and_what_depends_on_it_waits() -> None:
    entry = "dispute:D-002"  # in a memory that keeps no Ledger entries (tests/tracker/test_ledger_memory.py)
    read, _ = reported(
        edit(without_ledger_memory(START), "Ledger", entry, "Points", 40),
        "Ledger",
        row_number(START, "Ledger", entry),
        "Points",
        "resolution of dispute D-002, with '1.00'",
        "append-only",
    )
    assert read.new_entries == (), "the resolution is never appended again"
    assert ("totals", "zainab.musawa") in read.waiting


# --- meetings, agenda and action items ------------------------------------------------------------------


def added(snap: Snapshot, tab: str, **typed: Any) -> tuple[Snapshot, int]:
    after = append(
        snap, tab, {("ID" if k == "id" else k.replace("_", " ").capitalize()): v for k, v in typed.items()}
    )
    return after, len(after.grids[tab].values)


def agenda(meeting: str, at: str) -> tuple[Snapshot, int]:
    return added(
        START,
        "Agenda",
        id="AG-100",
        meeting=meeting,
        item="Data extraction",
        added_by="ada.obiora",
        added_at=at,
    )


def action(meeting: str) -> tuple[Snapshot, int]:
    return added(
        START,
        "Action items",
        id="A-100",
        meeting=meeting,
        action="Share the form",
        owner="ada.obiora",
        due="2026-12-10",
        status="open",
    )


@pytest.mark.parametrize(
    ("meeting", "at", "words"),
    [
        (
            "2026-12-12",
            "2026-11-24 10:00",
            "no meeting of the series 'monthly' is planned on Saturday 12 December 2026",
        ),
        ("2026-11-22", "2026-11-20 10:00", "is planned on Sunday 22 November 2026"),
        ("2030-12-07", "2026-11-24 10:00", "meetings are planned up to"),
        (
            "2026-08-29",
            "2026-08-20 10:00",
            "the meeting of Saturday 29 August 2026 is cancelled, so this item is on no agenda",
        ),
        (
            "2026-11-21",
            "2026-11-24 10:00",
            "started at Saturday 21 November 2026, 15:00 (Africa/Lagos), before this item was added",
        ),
        ("monthy:2026-12-05", "2026-11-24 10:00", "is not a meeting of the series"),
        ("2026-12-5", "2026-11-24 10:00", "is not a meeting's date"),
    ],
)
def test_an_agenda_item_for_a_meeting_the_series_does_not_hold_is_reported(
    meeting: str, at: str, words: str
) -> None:
    snap, row = agenda(meeting, at)
    reported(snap, "Agenda", row, "Meeting", words)


def test_an_agenda_item_added_before_its_meeting_is_not_a_problem_even_once_the_meeting_is_past() -> None:
    snap, _ = agenda("2026-11-21", "2026-11-14 10:00")
    assert SAMPLE.sync(snap)[0].problems == ()


def test_an_agenda_item_is_not_judged_while_when_its_meeting_starts_cannot_be_read() -> None:
    snap, _ = agenda("2026-11-21", "2026-11-24 10:00")  # after it started, as it stands
    read, _, _ = SAMPLE.sync(edit(snap, "Meetings", "2026-11-21", "Status", "postponed"))
    assert [p.tab for p in read.problems if "Meetings" not in p.reason] == ["Meetings"]
    assert not [p for p in read.problems if p.tab == "Agenda"]


@pytest.mark.parametrize(
    ("meeting", "words"),
    [
        ("2026-11-22", "this action belongs to no meeting, so no digest lists it"),
        ("2026-08-29", "was cancelled, and an action is agreed at a meeting that took place"),
    ],
)
def test_an_action_item_for_a_meeting_that_did_not_take_place_is_reported(meeting: str, words: str) -> None:
    snap, row = action(meeting)
    reported(snap, "Action items", row, "Meeting", words)


def test_a_meetings_row_for_a_date_the_series_plans_no_meeting_on_is_reported() -> None:
    snap, row = added(
        START,
        "Meetings",
        id="2026-12-12",
        status="cancelled",
        note="Holiday",
        minutes_by="ada.obiora",
    )
    read, _ = reported(snap, "Meetings", row, "ID", "is planned on Saturday 12 December 2026", "not applied")
    assert "2026-12-12" not in {m.id for m in read.group.meetings(SAMPLE.today.replace(year=2027))}


@pytest.mark.parametrize("status", ["scheduled", "cancelled", ""])
def test_a_new_time_for_a_meeting_that_is_not_marked_moved_is_reported(status: str) -> None:
    meeting = "2026-12-19"  # no agenda yet
    snap = edit(
        sync(edit(START, "Meetings", meeting, "Status", status)),
        "Meetings",
        meeting,
        "Moved to",
        "2026-12-20 15:00",
    )
    reported(
        snap,
        "Meetings",
        row_number(START, "Meetings", meeting),
        "Moved to",
        "so it is not moved",
        "set Status to moved",
    )


def test_attendance_without_minutes_is_reported_and_the_selections_weighing_it_keep_their_value() -> None:
    meeting = "2026-11-21"
    read, _ = reported(
        edit(START, "Meetings", meeting, "Minutes", ""),
        "Meetings",
        row_number(START, "Meetings", meeting),
        "Minutes",
        "attendance and decisions given are not counted",
    )
    assert ("selection", SR_T09) in read.waiting


def test_minutes_of_a_cancelled_meeting_are_reported() -> None:
    meeting = "2026-08-29"
    reported(
        edit(START, "Meetings", meeting, "Minutes", "We met anyway"),
        "Meetings",
        row_number(START, "Meetings", meeting),
        "Minutes",
        "the meeting is cancelled, so its attendance is not counted",
    )
