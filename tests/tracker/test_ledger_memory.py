"""The Ledger is append-only in fact: braingain remembers every entry it recorded or accepted, and
nothing about one (kind, member, project, task, what it corrects, points, reason, who, when) changes
without a trace (issue 8, section 1).

Each case: the change is reported on the Problems tab with the recorded and the typed value, the
recorded entry keeps counting, nothing a person typed is changed (a deleted row is written back, with
a note saying why), and the sync after writes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from braingain.core.authorship.integrity import entry_text
from braingain.core.ids import EntryId
from braingain.core.tracker.ledger_trail import ledger_trail
from braingain.core.tracker.read import LEDGER_MEMORY_CHANGED, ReadResult, read_tracker
from braingain.core.tracker.schema import Grid, Snapshot
from tests.tracker.helpers import (
    SCHEMA,
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
ADJ = EntryId("adj-001")
ADJUSTMENT: dict[str, Any] = {
    "ID": "adj-001",
    "Kind": "adjustment",
    "Member": "zainab.musawa",
    "Project": "sr-migration",
    "Points": 1.5,
    "Reason": "chaired the screening calibration",
    "Recorded by": "efe.ighodalo",
    "Recorded at": "2026-11-20 10:00",
}


def points(read: ReadResult, member: str = "zainab.musawa") -> Decimal:
    return sum((e.points for e in read.group.ledger if e.member_id == member), Decimal(0))


def totals(read: ReadResult) -> dict[str, Decimal]:
    return {m: points(read, m) for m in read.group.members}


def synced(snap: Snapshot) -> tuple[ReadResult, Snapshot]:
    """One sync of ``snap``; the sync right after it writes nothing."""
    read, after, _ = SAMPLE.sync(snap)
    again, _, plan = SAMPLE.sync(after)
    assert plan.write.empty, plan.summary
    assert again.problems == read.problems
    return read, after


def kept_typed(before: Snapshot, after: Snapshot, *, added: frozenset[tuple[str, int]] = frozenset()) -> None:
    """Every cell a person typed in ``before`` is in ``after`` as it was; new ones only on ``added`` rows."""
    was, now = person_typed(before), person_typed(after)
    assert {k: v for k, v in now.items() if k in was} == was
    assert {(tab, row) for tab, row, _ in now.keys() - was.keys()} <= added


def decided(snap: Snapshot) -> dict[tuple[str, int, str], object]:
    """Every decision the sync writes but the Ledger's notes (a row written back has one)."""
    return {k: v for k, v in decisions(snap).items() if k[0] != "Ledger"}


def problems_on(read: ReadResult, tab: str, row: int) -> list[str]:
    return [f"{p.column}: {p.reason}" for p in read.problems if (p.tab, p.row) == (tab, row)]


def without_row(snap: Snapshot, title: str, ident: str) -> Snapshot:
    grid = snap.grids[title]
    rows = tuple(r for r in grid.values if not r or r[0] != ident)
    return Snapshot({**snap.grids, title: Grid(title, rows, grid.merges, grid.sheet_id, grid.hidden)})


def swapped(snap: Snapshot, title: str, first: str, second: str) -> Snapshot:
    grid = snap.grids[title]
    rows = list(grid.values)
    a, b = row_number(snap, title, first) - 1, row_number(snap, title, second) - 1
    rows[a], rows[b] = rows[b], rows[a]
    return Snapshot({**snap.grids, title: Grid(title, tuple(rows), grid.merges, grid.sheet_id, grid.hidden)})


ACCEPTED, ADJUSTED = synced(append(START, "Ledger", ADJUSTMENT))
ROW = row_number(ADJUSTED, "Ledger", "adj-001")


def test_an_adjustment_is_remembered_once_it_is_accepted() -> None:
    assert ACCEPTED.problems == ()
    assert points(ACCEPTED) == points(SAMPLE.read(START)) + Decimal("1.5")
    memory = ACCEPTED.state.ledger
    assert memory is not None
    assert entry_text(ACCEPTED.group.ledger.get(ADJ)) == memory.texts[ADJ]


def test_a_synced_adjustment_then_deleted_is_written_back_with_a_note_and_keeps_counting() -> None:
    deleted = without_row(ADJUSTED, "Ledger", "adj-001")
    read, after = synced(deleted)
    assert points(read) == points(ACCEPTED), "1.5 points never vanish"
    assert [e.id for e in read.restores] == ["adj-001"]
    foot = len(after.grids["Ledger"].values)
    assert row_number(after, "Ledger", "adj-001") == foot
    said = problems_on(read, "Ledger", foot)
    assert len(said) == 1
    assert "entry adj-001 (adjustment, 1.50 points for zainab.musawa) was deleted from the Ledger" in said[0]
    header = list(after.grids["Ledger"].values[0])
    written = dict(zip(header, after.grids["Ledger"].values[-1], strict=False))
    assert {k: written[k] for k in ADJUSTMENT if k != "Recorded at"} == {
        k: v for k, v in ADJUSTMENT.items() if k != "Recorded at"
    }
    assert written["Recorded at"] == "2026-11-20 10:00 Africa/Lagos"
    assert (
        "restored by braingain on Wednesday 25 November 2026: this entry was deleted from the Ledger"
        in str(written["Sync note"])
    )
    kept_typed(deleted, after, added=frozenset({("Ledger", foot)}))
    assert ledger_trail(SAMPLE.read(after))[-1].status == "restored"


def test_an_entry_written_back_is_listed_for_a_week_and_its_note_stays() -> None:
    _, after = synced(without_row(ADJUSTED, "Ledger", "adj-001"))
    later = read_tracker(SCHEMA, after, SAMPLE.settings, SAMPLE.now + timedelta(days=8))
    assert not [p for p in later.problems if "adj-001" in p.reason]
    assert later.state.ledger is not None
    assert later.state.ledger.restored == {"adj-001": "2026-11-25"}


@pytest.mark.parametrize(
    ("header", "typed", "recorded"),
    [
        ("Points", 99, "'1.50'"),
        ("Points", "lots", "'1.50'"),
        ("Points", None, "'1.50'"),
        ("Kind", "dispute resolution", "'adjustment'"),
        ("Kind", "bonus", "'adjustment'"),
        ("Member", "ivie.osagiede", "'zainab.musawa'"),
        ("Member", "nobody.here", "'zainab.musawa'"),
        ("Project", "cohort-careers", "'sr-migration'"),
        ("Task", "SR-T01", "empty"),
        ("Corrects entry", "award:SR-T01:efe.ighodalo", "empty"),
        ("Reason", "a better reason", "'chaired the screening calibration'"),
        ("Recorded by", "tunde.bakare", "'efe.ighodalo'"),
        ("Recorded at", "2026-11-21 10:00", "'2026-11-20 10:00 Africa/Lagos'"),
        ("Recorded at", "yesterday", "'2026-11-20 10:00 Africa/Lagos'"),
    ],
)
def test_each_field_of_a_remembered_entry_edited_is_reported_and_the_recorded_value_counts(
    header: str, typed: Any, recorded: str
) -> None:
    changed = edit(ADJUSTED, "Ledger", "adj-001", header, typed)
    read, after = synced(changed)
    said = problems_on(read, "Ledger", ROW)
    assert len(said) == 1, said
    assert said[0].startswith(f"{header}: this entry was recorded with {header} {recorded}")
    assert "keeps counting" in said[0]
    assert read.group.ledger.get(ADJ) == ACCEPTED.group.ledger.get(ADJ)
    assert totals(read) == totals(ACCEPTED)
    assert decisions(after) == decisions(ADJUSTED)
    kept_typed(changed, after)
    assert read.findings[ADJ].status == "edited"


def test_the_points_of_an_adjustment_edited_from_1_5_to_99_are_not_taken() -> None:
    read, _ = synced(edit(ADJUSTED, "Ledger", "adj-001", "Points", 99))
    assert points(read) == points(ACCEPTED)
    (said,) = problems_on(read, "Ledger", ROW)
    assert "'99' is not applied, and '1.50' keeps counting" in said


def test_a_correcting_entry_counts_on_top_of_what_was_recorded() -> None:
    edited = edit(ADJUSTED, "Ledger", "adj-001", "Points", 99)
    correcting = {
        **ADJUSTMENT,
        "ID": "adj-002",
        "Points": 97.5,
        "Corrects entry": "adj-001",
        "Reason": "more",
    }
    read, _ = synced(append(edited, "Ledger", correcting))
    assert points(read) == points(ACCEPTED) + Decimal("97.5")
    assert problems_on(read, "Ledger", ROW), "the edited cell is still reported until it is put back"


def test_a_dispute_resolution_whose_points_are_edited_keeps_its_points_and_the_authorship() -> None:
    row = row_number(START, "Ledger", "dispute:D-002")
    changed = edit(START, "Ledger", "dispute:D-002", "Points", 10)
    read, after = synced(changed)
    (said,) = problems_on(read, "Ledger", row)
    assert "recorded with Points '1.00'" in said
    assert read.new_entries == ()
    assert totals(read) == totals(SAMPLE.read(START))
    assert decisions(after) == decisions(START), "authorship, totals and awards stay as they were"
    kept_typed(changed, after)


def test_a_deleted_dispute_resolution_is_written_back_and_never_appended_as_a_new_one() -> None:
    deleted = without_row(START, "Ledger", "dispute:D-002")
    read, after = synced(deleted)
    assert read.new_entries == ()
    assert [e.id for e in read.restores] == ["dispute:D-002"]
    ids = [r[0] for r in after.grids["Ledger"].values]
    assert ids.count("dispute:D-002") == 1
    assert totals(read) == totals(SAMPLE.read(START))
    assert decided(after) == decided(START)
    kept_typed(deleted, after, added=frozenset({("Ledger", len(ids))}))


def test_a_deleted_award_row_is_written_back_with_a_note_saying_why() -> None:
    entry = "award:SR-T02:zainab.musawa"
    deleted = without_row(START, "Ledger", entry)
    read, after = synced(deleted)
    assert read.new_entries == (), "not awarded again: written back as recorded"
    foot = len(after.grids["Ledger"].values)
    assert row_number(after, "Ledger", entry) == foot
    assert "was deleted from the Ledger" in problems_on(read, "Ledger", foot)[0]
    header = list(after.grids["Ledger"].values[0])
    assert "deleted from the Ledger" in str(after.grids["Ledger"].values[-1][header.index("Sync note")])
    assert decided(after) == decided(START)


def without_column(snap: Snapshot, title: str, header: str) -> Snapshot:
    grid = snap.grids[title]
    index = list(grid.values[0]).index(header)
    rows = tuple(tuple(c for i, c in enumerate(r) if i != index) for r in grid.values)
    return Snapshot({**snap.grids, title: Grid(title, rows, grid.merges, grid.sheet_id, grid.hidden)})


@pytest.mark.parametrize(
    ("change", "waits_for"),
    [
        (lambda snap: without_column(snap, "Projects", "Title"), "Projects row"),
        (lambda snap: without_row(snap, "Projects", "sr-migration"), "the project sr-migration"),
    ],
    ids=["its project's row has a problem", "its project's row is deleted"],
)
def test_a_deleted_row_naming_a_project_that_cannot_be_read_is_written_back_once_it_can(
    change: Any, waits_for: str
) -> None:
    entry = "award:SR-T01:efe.ighodalo"
    broken = change(without_row(START, "Ledger", entry))
    read, after = synced(broken)  # the sync after writes nothing: the entry was not written half-readable
    assert entry not in {str(r[0]) for r in after.grids["Ledger"].values}
    said = [p.reason for p in read.problems if p.tab == "Ledger" and entry in p.reason]
    assert said
    assert "keeps counting" in said[0]
    assert waits_for in said[0]
    mended = Snapshot({**after.grids, "Projects": START.grids["Projects"]})  # the leader puts it right
    _, fixed = synced(mended)
    assert row_number(fixed, "Ledger", entry) == len(fixed.grids["Ledger"].values)


def test_two_swapped_rows_are_reported_as_moved_and_count_as_recorded() -> None:
    first, second = "award:SR-T01:efe.ighodalo", "award:SR-T02:zainab.musawa"
    moved = swapped(START, "Ledger", first, second)
    read, after = synced(moved)
    found = [p for p in read.problems if p.tab == "Ledger" and "was moved" in p.reason]
    assert found, read.problems
    assert {p.row for p in found} <= {row_number(moved, "Ledger", first), row_number(moved, "Ledger", second)}
    assert totals(read) == totals(SAMPLE.read(START))
    assert decisions(after) == decisions(START)
    kept_typed(moved, after)
    back, _ = synced(swapped(after, "Ledger", first, second))
    assert not [p for p in back.problems if "was moved" in p.reason]


def test_one_row_moved_to_the_foot_is_the_only_one_reported() -> None:
    entry = "award:SR-T01:efe.ighodalo"
    grid = START.grids["Ledger"]
    moving = next(r for r in grid.values if r[0] == entry)
    rows = (*(r for r in grid.values if r[0] != entry), moving)
    read, _ = synced(Snapshot({**START.grids, "Ledger": Grid("Ledger", rows)}))
    found = [p for p in read.problems if "was moved" in p.reason]
    assert [(p.row, "recorded it as the first entry" in p.reason) for p in found] == [(len(rows), True)]


def test_a_new_row_typed_between_remembered_rows_is_not_a_move() -> None:
    grid = START.grids["Ledger"]
    header = list(grid.values[0])
    typed = tuple(ADJUSTMENT.get(str(h)) for h in header)
    rows = (*grid.values[:3], typed, *grid.values[3:])
    read, _ = synced(Snapshot({**START.grids, "Ledger": Grid("Ledger", rows)}))
    assert read.problems == ()
    assert points(read) == points(ACCEPTED)


def test_an_entry_whose_id_is_edited_is_reported_on_its_id_and_counts_once() -> None:
    changed = edit(ADJUSTED, "Ledger", "adj-001", "ID", "adj-099")
    read, after = synced(changed)
    (said,) = problems_on(read, "Ledger", ROW)
    assert said.startswith("ID: this entry was recorded as 'adj-001'")
    assert read.restores == ()
    assert points(read) == points(ACCEPTED)
    kept_typed(changed, after)


def test_an_edit_to_braingains_copy_of_the_ledger_is_found_by_its_chain_head() -> None:
    state = START.grids["_braingain_state"]
    entry = "award:SR-T01:efe.ighodalo\taward\tefe.ighodalo\tsr-migration\tSR-T01\t\t3.00\t"
    rows = [(k, str(v).replace(entry, entry.replace("3.00", "30.00"))) for k, v in state.values]
    assert rows != list(state.values)
    forged = Snapshot({**START.grids, state.title: Grid(state.title, tuple(rows), hidden=True)})
    read, _ = synced(forged)
    assert any(LEDGER_MEMORY_CHANGED in p.reason for p in read.problems)
    assert totals(read) == totals(SAMPLE.read(START)), "the Ledger tab, as it is, counts"


def test_a_memory_written_before_entries_were_remembered_takes_the_ledger_as_it_is() -> None:
    read, after = synced(without_ledger_memory(START))
    assert read.problems == ()
    memory = read.state.ledger
    assert memory is not None
    assert list(memory.texts) == [r[0] for r in START.grids["Ledger"].values[1:]]
    assert decisions(after) == decisions(START)


def test_every_entry_is_on_the_trail_with_its_status() -> None:
    changed = edit(
        without_row(ADJUSTED, "Ledger", "award:SR-T03:efe.ighodalo"), "Ledger", "adj-001", "Points", 2
    )
    trail = {t.id: t for t in ledger_trail(SAMPLE.read(changed))}
    assert trail["adj-001"].status == "edited"
    assert trail["adj-001"].changes == (("Points", "1.50", "2"),)
    assert trail["award:SR-T03:efe.ighodalo"].status == "deleted"
    assert trail["award:SR-T01:efe.ighodalo"].status == "intact"
    assert len({t.link for t in trail.values()}) == len(trail)


def test_a_remembered_entry_counts_though_what_it_was_checked_against_changed() -> None:
    # the recorder of the adjustment is no longer a leader: the entry was checked when it was recorded
    changed = edit(ADJUSTED, "Members", "efe.ighodalo", "Role", "member")
    read = SAMPLE.read(changed)
    assert read.group.ledger.get(ADJ) == ACCEPTED.group.ledger.get(ADJ)
    assert not [p for p in read.problems if p.tab == "Ledger"]


def test_the_recorded_entry_is_the_one_in_the_group() -> None:
    read, _ = synced(edit(ADJUSTED, "Ledger", "adj-001", "Reason", "other"))
    entry = read.group.ledger.get(ADJ)
    assert entry == replace(entry, reason="chaired the screening calibration")
