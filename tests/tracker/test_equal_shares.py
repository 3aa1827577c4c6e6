"""Equal shares through a sync: the Ledger shows 3.34 / 3.33 / 3.33, the decision sees a tie.

A leader assigns the cohort protocol (CS-T01, 10 points, Methodology) to three members
and accepts it. The odd cent goes by member id to Funmilayo (funmi.lawani), but the
three contributed equally: the author order comes from the documented tie-breaks
(here surname: Igbinoba, Lawani, Musawa), says so, and everyone's CRediT degree is
"equal". The Ledger tab keeps its two-place points, and a second sync writes nothing.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from braingain.core.ids import OutputId
from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.plan import plan_tracker
from braingain.core.tracker.read import ReadResult, read_tracker
from braingain.core.tracker.schema import Snapshot
from braingain.sample import sample_group
from tests.tracker.helpers import SCHEMA, apply, edit, sample_settings, snapshot

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = sample_settings(TODAY)
GROUP = sample_group(TODAY)
TRIO = "funmi.lawani; osas.igbinoba; zainab.musawa"
COHORT_PROTOCOL = {
    "id": "cs-protocol",
    "project": "cohort-careers",
    "kind": "protocol",
    "title": "Protocol: career intentions of early-career doctors",
    "stages": "protocol",
    "approved": TRIO,
    "accountable": TRIO,
    "evidence": "\n".join(
        f"{m}; 2; Revised the protocol draft; tunde.bakare"
        for m in ("funmi.lawani", "osas.igbinoba", "zainab.musawa")
    ),
}


def sync(snap: Snapshot) -> tuple[ReadResult, Snapshot, int]:
    """One sync: read, plan, apply. Returns what was read, the tracker after, and the cells written."""
    read = read_tracker(SCHEMA, snap, SETTINGS, NOW)
    plan = plan_tracker(SCHEMA, read, SETTINGS, NOW)
    return read, apply(snap, plan.write), len(plan.write.cells)


def accepted_by_three() -> tuple[ReadResult, Snapshot]:
    rows: dict[str, list[dict[str, Any]]] = copy.deepcopy(dict(group_rows(GROUP)))
    rows["state"] = state_rows(group_state(GROUP))
    rows["outputs"].append(COHORT_PROTOCOL)
    _, snap, _ = sync(snapshot(rows))
    for status, by in (
        ("in progress", "tunde.bakare"),
        ("submitted", "osas.igbinoba"),
        ("accepted", "tunde.bakare"),
    ):
        snap = edit(snap, "Tasks", "CS-T01", "Contributors", TRIO)
        snap = edit(snap, "Tasks", "CS-T01", "Mini-team head", "osas.igbinoba")
        snap = edit(snap, "Tasks", "CS-T01", "Status", status)
        snap = edit(snap, "Tasks", "CS-T01", "Status changed by", by)
        read, snap, _ = sync(snap)
        assert read.problems == (), read.problems
    return read, snap


def test_the_ledger_tab_keeps_two_place_points_with_the_odd_cent_by_id() -> None:
    _, snap = accepted_by_three()
    header, *body = snap.grids["Ledger"].values
    points = {row[0]: row[header.index("Points")] for row in body if str(row[0]).startswith("award:CS-T01:")}
    assert {k: Decimal(str(v)) for k, v in points.items()} == {
        "award:CS-T01:funmi.lawani": Decimal("3.34"),
        "award:CS-T01:osas.igbinoba": Decimal("3.33"),
        "award:CS-T01:zainab.musawa": Decimal("3.33"),
    }


def test_three_equal_shares_are_ordered_by_the_tie_break_and_it_is_shown() -> None:
    read, snap = accepted_by_three()
    decision = read.group.decide(OutputId("cs-protocol"))
    assert [(a.name, str(a.points), a.placed) for a in decision.authors] == [
        ("Osaretin Igbinoba", "3.33", "tie-break"),
        ("Funmilayo Lawani", "3.34", "tie-break"),
        ("Zainab Musawa", "3.33", "tie-break"),
    ]
    assert decision.tie_breaks == (
        "Osaretin Igbinoba before Funmilayo Lawani: tied on points (3.33 and 3.34 as shown: equal before "
        "rounding to the cent); order by surname in alphabetical order",
        "Funmilayo Lawani before Zainab Musawa: tied on points (3.34 and 3.33 as shown: equal before "
        "rounding to the cent); order by surname in alphabetical order",
    )
    assert decision.contribution_statement().splitlines() == [
        "Osaretin Igbinoba: Methodology (equal).",
        "Funmilayo Lawani: Methodology (equal).",
        "Zainab Musawa: Methodology (equal).",
    ]
    header, *body = snap.grids["Outputs"].values
    (row,) = [r for r in body if r[0] == "cs-protocol"]
    assert str(row[header.index("Authors (in order)")]).splitlines() == [
        "1. Osaretin Igbinoba (3.33 points, tie-break)",
        "2. Funmilayo Lawani (3.34 points, tie-break)",
        "3. Zainab Musawa (3.33 points, tie-break)",
        *(f"Tie: {line}" for line in decision.tie_breaks),
    ]


def test_the_sync_after_the_acceptance_writes_nothing() -> None:
    _, snap = accepted_by_three()
    _, _, written = sync(snap)
    assert written == 0
