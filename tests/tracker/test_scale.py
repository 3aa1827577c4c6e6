"""A tracker with thousands of rows, or thousands of problems, is read in time that grows with its
size: what can be worked out once per tab is never worked out again per row or per problem.

(Time itself is measured by ``make bench``; these tests pin down the work that made a tracker
with 58,000 problems take fifty seconds: every waiting decision indexed its whole tab again,
and every mistyped ID was compared with every ID.)
"""

from __future__ import annotations

from typing import Any

import pytest

from braingain.core.authorship.ledger import Ledger
from braingain.core.tracker import read as tracker_read
from braingain.core.tracker import rows as tracker_rows
from braingain.core.tracker.rows import TOTALS, Known, report
from braingain.core.tracker.schema import Table, index_by_id
from tests.tracker.helpers import Sample, edit, snapshot, sync, without_ledger_memory

AWARDED = ("SR-T01", "SR-T02", "SR-T12")

SAMPLE = Sample()


def test_the_waiting_decisions_of_a_tab_are_placed_on_its_rows_with_one_index_of_the_tab(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tables = SAMPLE.read(snapshot(SAMPLE.rows())).tables
    members = tables["members"]
    assert members is not None
    idents = [str(row.get("id")) for row in members.rows]
    calls: list[Table] = []

    def counted(table: Table) -> dict[str, int]:
        calls.append(table)
        return index_by_id(table)

    monkeypatch.setattr(tracker_rows, "index_by_id", counted)
    found = report({(TOTALS, ident): "kept as it was: waits" for ident in idents}, tables)
    assert len(calls) == 1
    assert [p.row for p in found] == sorted(r.number for r in members.rows)
    assert {p.column for p in found} == {members.tab.column("points").header}


def test_an_id_typed_in_the_wrong_letter_case_is_named_in_the_hint_however_many_rows_are_mistyped() -> None:
    snap = SAMPLE.start()
    for ident in ("V-001", "V-002", "V-003"):
        snap = edit(snap, "Volunteers", ident, "Member", "KELECHI.Nwankwo")
    problems = [p for p in SAMPLE.read(snap).problems if p.tab == "Volunteers" and p.column == "Member"]
    assert len(problems) == 3
    assert all("IDs keep their letter case: write 'kelechi.nwankwo'" in p.reason for p in problems)


def test_the_ids_a_typo_may_mean_up_to_letter_case_are_those_a_scan_finds_sorted() -> None:
    known = Known({"ada.obiora": 1, "Ada.Obiora": 2, "bola.ade": 3}, held={"ADA.OBIORA": "Members row 9"})
    assert known.by_folded_case("ada.obiora") == ["Ada.Obiora", "ada.obiora"]
    assert known.by_folded_case("bola.ade") == ["bola.ade"]
    assert known.by_folded_case("chidi") == []


def test_awards_withheld_while_ledger_rows_have_no_id_are_placed_with_one_index_of_each_tab(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def indexes_while_withholding(unnamed: int) -> tuple[int, int]:
        snap = without_ledger_memory(SAMPLE.start())  # else the awards are remembered, and none is added
        for ident in [str(row[0]) for row in snap.grids["Ledger"].values[1:]]:
            if ident.split(":")[1:2] in ([t] for t in AWARDED[:unnamed]):
                snap = edit(snap, "Ledger", ident, "ID", "")
        calls: list[Table] = []

        def counted(table: Table) -> dict[str, int]:
            calls.append(table)
            return index_by_id(table)

        with monkeypatch.context() as patch:
            patch.setattr(tracker_read, "index_by_id", counted)
            read = SAMPLE.read(snap)
        withheld = [p for p in read.problems if "not added to the Ledger yet" in p.reason]
        return len(withheld), len(calls)

    (few, calls_for_few), (many, calls_for_many) = indexes_while_withholding(1), indexes_while_withholding(3)
    assert 0 < few < many  # every award of a task whose ledger rows lost their IDs waits, and says so
    assert calls_for_many == calls_for_few


def test_resolved_disputes_find_their_ledger_entries_without_going_through_the_ledger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def ledger_walks(disputes: int) -> int:
        rows = SAMPLE.rows()
        adjusted = next(d for d in rows["disputes"] if d["decision"] == "adjusted")
        rows["disputes"] += [{**adjusted, "id": f"D-1{n:02d}"} for n in range(disputes)]
        _, _, after = sync(snapshot(rows), SAMPLE.settings, SAMPLE.now)  # their adjustments on the Ledger
        assert sum(str(r[0]).startswith("dispute:D-1") for r in after.grids["Ledger"].values) == disputes
        walks: list[None] = []
        walk = Ledger.__iter__

        def counted(ledger: Ledger) -> Any:
            walks.append(None)
            return walk(ledger)

        with monkeypatch.context() as patch:
            patch.setattr(Ledger, "__iter__", counted)
            SAMPLE.read(after)
        return len(walks)

    assert ledger_walks(4) == ledger_walks(1)
