"""What braingain remembers of the Ledger is tamper-evident, and its state's checksum needs the key."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from braingain.core.authorship.integrity import (
    BLOCK_CHARACTERS,
    BLOCK_PREFIX,
    HEAD_KEY,
    SEAL_KEY,
    LedgerMemory,
    chain_head,
    chain_links,
    entry_of,
    entry_text,
    out_of_order,
    read_memory,
    seal,
    sealed,
)
from braingain.core.authorship.ledger import EntryKind, LedgerEntry
from braingain.core.ids import EntryId, MemberId, ProjectId

KEY = b"0123456789abcdef0123456789abcdef"


def entry(n: int, reason: str = "chaired the calibration") -> LedgerEntry:
    return LedgerEntry(
        id=EntryId(f"adj-{n:05d}"),
        kind=EntryKind.ADJUSTMENT,
        member_id=MemberId("ada.obiora"),
        project_id=ProjectId("sr-migration"),
        task_id=None,
        points=Decimal("1.50"),
        reason=reason,
        recorded_by=MemberId("efe.ighodalo"),
        recorded_at=datetime(2026, 11, 20, 9, n % 60, tzinfo=UTC),
    )


def memory(entries: list[LedgerEntry]) -> LedgerMemory:
    return LedgerMemory.of({e.id: entry_text(e) for e in entries}, {})


def reread(kept: LedgerMemory) -> tuple[LedgerMemory | None, bool]:
    rows = kept.rows()
    blocks = {k.removeprefix(BLOCK_PREFIX): v for k, v in rows.items() if k.startswith(BLOCK_PREFIX)}
    return read_memory(rows[HEAD_KEY], blocks, {})


def test_an_entry_reads_back_as_it_was_remembered() -> None:
    original = entry(7)
    assert entry_of(original.id, entry_text(original)) == original


def test_many_entries_are_kept_in_few_blocks_each_within_a_cell_and_read_back_whole() -> None:
    entries = [entry(n, "x" * (n % 400)) for n in range(3000)]
    kept = memory(entries)
    assert len(kept.blocks) < 60
    assert all(len(b) <= BLOCK_CHARACTERS for b in kept.blocks)
    found, whole = reread(kept)
    assert whole
    assert found is not None
    assert found.texts == kept.texts
    assert list(found.texts) == [e.id for e in entries]


def test_an_entry_longer_than_a_block_has_a_block_of_its_own() -> None:
    kept = memory([entry(1), entry(2, "y" * (BLOCK_CHARACTERS + 10)), entry(3)])
    assert [len(b) > BLOCK_CHARACTERS for b in kept.blocks] == [False, True, False]
    assert reread(kept)[0] == kept


def test_a_memory_that_was_never_kept_reads_as_none_and_whole() -> None:
    assert read_memory(None, {}, {}) == (None, True)
    assert read_memory(None, {"00001": "x"}, {}) == (None, False)


def test_a_changed_entry_a_missing_block_or_an_entry_named_twice_is_found_out() -> None:
    kept = memory([entry(n, "z" * 200) for n in range(400)])
    assert len(kept.blocks) > 2
    blocks = {f"{n:05d}": b for n, b in enumerate(kept.blocks, 1)}
    assert read_memory(kept.head, blocks, {})[1]
    assert read_memory(kept.head, {**blocks, "00002": blocks["00002"].replace("1.50", "9.50", 1)}, {}) == (
        None,
        False,
    )
    assert read_memory(kept.head, {k: v for k, v in blocks.items() if k != "00002"}, {}) == (None, False)
    twice = {**blocks, "00001": blocks["00001"] + "\n" + blocks["00001"].split("\n")[0]}
    assert read_memory(chain_head([]), twice, {}) == (None, False)
    assert read_memory(kept.head, blocks, {EntryId("adj-99999"): "2026-11-25"}) == (None, False)


def test_the_chain_head_changes_with_any_field_and_any_order_and_ends_the_links() -> None:
    a, b = entry(1), entry(2)
    items = [(a.id, entry_text(a)), (b.id, entry_text(b))]
    head = chain_head(items)
    assert chain_links(items)[-1] == head
    assert chain_head(items[::-1]) != head
    for changed in (
        replace(a, points=Decimal("1.51")),
        replace(a, reason="other"),
        replace(a, corrects=b.id),
    ):
        assert chain_head([(a.id, entry_text(changed)), items[1]]) != head


def test_the_checksum_needs_the_key_and_covers_every_row_in_its_order() -> None:
    rows = [("ledger:head", "abc"), ("task:T1", '{"status": "open"}')]
    made = seal(rows, KEY)
    assert made is not None
    assert seal(rows, b"another key of the same length!!") != made
    assert seal(rows[::-1], KEY) != made
    assert seal([*rows, (SEAL_KEY, "whatever")], KEY) == made
    assert sealed(dict([*rows, (SEAL_KEY, made)]), KEY)
    assert not sealed(dict(rows), KEY)
    assert not sealed(dict([rows[0], ("task:T1", '{"status": "submitted"}'), (SEAL_KEY, made)]), KEY)


def test_rows_that_no_checksum_can_stand_for_have_none() -> None:
    assert seal([("task:T1", "a\x00b")], KEY) is None
    assert not sealed({"task:T1": "a\x00b", SEAL_KEY: ""}, KEY)


def longest_increasing(values: list[int]) -> int:
    best: list[int] = []
    for v in values:
        at = next((i for i, b in enumerate(best) if b >= v), len(best))
        best[at : at + 1] = [v]
    return len(best)


@given(st.lists(st.integers(0, 1000), unique=True, max_size=60))
def test_the_entries_reported_moved_are_the_fewest_that_explain_the_order(positions: list[int]) -> None:
    moved = out_of_order(positions)
    stayed = [p for i, p in enumerate(positions) if i not in moved]
    assert stayed == sorted(stayed)
    assert len(moved) == len(positions) - longest_increasing(positions)


def test_two_swapped_neighbours_are_one_move_and_one_row_taken_to_the_foot_is_that_row() -> None:
    assert len(out_of_order([0, 2, 1, 3])) == 1
    assert out_of_order([1, 2, 3, 0]) == [3]
    assert out_of_order([0, 1, 2]) == []
