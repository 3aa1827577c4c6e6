"""A person typing while a sync runs on Google loses nothing: the issue's cases, and a fixed sample
of the seeded races that ``make races`` runs a thousand of (:mod:`tests.integrations.races`).

Each race edits a copy of a tracker on the loopback fake at the exact moment between the
sync's read and its write (the fake's request hook), through the real gspread and google-auth
clients, and checks what :class:`~tests.integrations.races.Outcome` describes: no person-typed
cell overwritten, no write into a wrong row, new rows below everything, every cell not
written said so, and the next syncs converging.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest

from braingain.core.ids import EntryId
from braingain.integrations import plan_text
from braingain.integrations.errors import TrackerError
from tests.integrations.races import AFTER_READ, GUARD, WRITE, Edit, Race, Races, last_row, races

SAMPLE = tuple(range(0, 1000, 34))
"""Thirty of the seeds ``make races`` runs, spread over them (the coverage test below checks they
cover every kind of edit, every base tracker and both moments)."""
AWARDS = [f"award:SR-T08:{m}" for m in ("amara.okorafor", "uyi.omoregbe", "ngozi.ukpebor", "tobi.akinwale")]


@pytest.fixture(scope="module")
def run() -> Iterator[Races]:
    with races() as made:
        yield made


def ids(rows: list[list[object]], first: int, last: int) -> list[object]:
    """The ID column (A) of rows ``first`` to ``last`` (1-based, inclusive)."""
    return [rows[n - 1][0] for n in range(first, last + 1)]


def by_header(rows: list[list[object]], row: int) -> dict[object, object]:
    return {h: v for h, v in zip(rows[0], rows[row - 1], strict=False) if h}


def assert_lost_nothing(race: Race) -> None:
    assert race.outcome.ok, str(race.outcome)


def typed_into_the_first_empty_row(
    run: Races, title: str, values: dict[str, object], moment: str = AFTER_READ
) -> tuple[Race, int]:
    """A leader types ``values`` (by column key) into the first empty row of ``title`` while the
    sync appends there; the race, and the row they typed into."""
    row = last_row(run.tabs(run.bases["accepted"][0])[title]) + 1
    race = run.race("accepted", [run.typing("accepted", title, row, values)], moment=moment)
    assert_lost_nothing(race)
    assert by_header(race.written[title], row) == by_header(race.person[title], row)
    return race, row


@pytest.mark.parametrize("seed", SAMPLE)
def test_a_seeded_race_loses_nothing_and_converges(run: Races, seed: int) -> None:
    outcome = run.run(seed)
    assert outcome.ok, str(outcome)


def test_the_sample_covers_every_kind_of_edit_every_tracker_and_every_moment(run: Races) -> None:
    cases = [run.case(seed) for seed in SAMPLE]
    kinds = Counter(e.kind for _, edits, _ in cases for e in edits)
    assert set(kinds) == {"type", "insert", "delete", "move", "rename header", "rename tab"}
    assert {base for base, _, _ in cases} == set(run.bases)
    assert any(len(edits) == 2 for _, edits, _ in cases)
    assert {late for _, _, late in cases} == {True, False}
    # the tracker missing a tab and a column is synced with a structural request first: an edit
    # landing just after the read lands before it, and the guard read still sees it
    assert any(base == "incomplete" and not late for base, _, late in cases)


def test_an_adjustment_typed_into_the_first_empty_ledger_row_while_awards_are_appended_is_kept(
    run: Races,
) -> None:
    adjustment: dict[str, object] = {
        "id": "adjust-1",
        "kind": "adjustment",
        "member": "zainab.musawa",
        "project": "sr-migration",
        "points": 1.5,
        "reason": "Methods section drafted alone",
        "recorded_by": "ada.obiora",
        "recorded_at": "2026-12-30 09:00",
    }
    race, row = typed_into_the_first_empty_row(run, "Ledger", adjustment)
    assert ids(race.written["Ledger"], row, row + 4) == [
        "adjust-1",
        *AWARDS,
    ]  # the awards land below the leader's row
    read = run.sync(race.sid, run.bases["accepted"][1]).read
    assert read.group.ledger.has(EntryId("adjust-1")), "the next sync takes the adjustment"
    assert not any(p.tab == "Ledger" for p in read.problems)


def test_a_row_typed_into_the_first_empty_ledger_row_in_the_instant_before_the_write_is_not_written_over(
    run: Races,
) -> None:
    typed: dict[str, object] = {"id": "adjust-2", "kind": "adjustment", "points": 1, "reason": "Typed last"}
    race, row = typed_into_the_first_empty_row(run, "Ledger", typed, moment=WRITE)
    assert race.outcome.moment == "spreadsheets.batchUpdate"  # after the guard read: only Google sees it
    assert ids(race.written["Ledger"], row, row + 4) == ["adjust-2", *AWARDS]


def test_a_tab_deleted_while_the_sync_writes_stops_the_whole_write_and_the_next_sync_adds_it_back(
    run: Races,
) -> None:
    base, at = run.bases["accepted"]
    sid = run.fake.copy_spreadsheet(base)
    before = run.tabs(sid)

    def delete(route: str) -> None:
        if route == GUARD:
            run.fake.on_request(None)
            run.fake.delete_tab(sid, "Outputs")

    run.fake.on_request(delete)
    with pytest.raises(TrackerError, match="removed while braingain was syncing, so nothing was written"):
        run.sync(sid, at)
    after = run.tabs(sid)
    assert after == {t: rows for t, rows in before.items() if t != "Outputs"}
    assert run.sync(sid, at).plan.write.structure, "the next sync adds the tab back"
    assert "Outputs" in run.tabs(sid)
    quiet = next((n for n in range(1, 4) if run.sync(sid, at).plan.write.empty), None)
    assert quiet is not None, "and within three syncs, one writes nothing"


def test_an_extra_meeting_typed_into_the_first_empty_meetings_row_keeps_its_id_status_note_and_minute_taker(
    run: Races,
) -> None:
    extra: dict[str, object] = {"id": "extra-1", "status": "scheduled", "note": "Extra: the protocol"}
    race, row = typed_into_the_first_empty_row(run, "Meetings", {**extra, "recorded_by": "ada.obiora"})
    after = race.written["Meetings"]
    typed = by_header(after, row)
    assert (typed["ID"], typed["Status"], typed["Note"], typed["Minutes by"]) == (
        "extra-1",
        "scheduled",
        "Extra: the protocol",
        "ada.obiora",
    )
    assert typed["Starts"] == "", "the sync writes no Starts into a row a leader typed"
    added = ids(after, row + 1, last_row(after))
    assert added, "the meetings ahead are still scheduled"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(i)) for i in added), "each meeting's ID is its date"


def test_a_row_inserted_at_the_top_of_the_ledger_while_awards_are_appended_overwrites_no_entry(
    run: Races,
) -> None:
    ledger = run.tabs(run.bases["accepted"][0])["Ledger"]
    last = last_row(ledger)
    race = run.race("accepted", [Edit("insert", "Ledger", row=2, typed=((6, "a note at the top"),))])
    assert_lost_nothing(race)
    after = race.written["Ledger"]
    assert after[last] == ledger[last - 1], "the last entry moved down one row, whole"
    assert ids(after, last + 2, last + 5) == AWARDS


def test_a_row_inserted_at_the_top_of_tasks_while_the_sync_writes_leaves_every_cell_on_its_own_task(
    run: Races,
) -> None:
    race = run.race("accepted", [Edit("insert", "Tasks", row=2, count=2)])
    assert_lost_nothing(race)
    after = race.written["Tasks"]
    accepted = next(n for n in range(2, len(after) + 1) if after[n - 1][0] == "SR-T08")
    awarded = by_header(after, accepted)["Points awarded"]
    assert (
        awarded == "Amarachi Okorafor 3.75; Uyiosa Omoregbe 3.75; Ngozi Ukpebor 3.75; Tobiloba Akinwale 3.75"
    )
    assert all(v == "" for v in after[1] + after[2]), "the inserted rows stay empty"


def test_a_tab_renamed_while_the_sync_writes_is_not_written_and_the_sync_says_so(run: Races) -> None:
    race = run.race("accepted", [Edit("rename tab", "Outputs", title="Outputs 2026")])
    assert_lost_nothing(race)
    (held,) = race.sync.unwritten
    assert held.tab == "Outputs"
    assert "renamed to 'Outputs 2026' during the sync" in held.reason
    assert race.written["Outputs 2026"] == race.person["Outputs 2026"]
    said = plan_text.outcome_text(race.sync, applied=True).plain
    assert "Someone changed the tracker while braingain was writing" in said
    assert re.search(
        r"Outputs: \d+ values? not written: the tab was renamed to 'Outputs 2026' during the sync", said
    )


def test_awards_held_back_by_a_renamed_ledger_header_are_not_remembered_nor_later_reported_deleted(
    run: Races,
) -> None:
    points = run.tabs(run.bases["accepted"][0])["Ledger"][0].index("Points") + 1
    renamed = Edit("rename header", "Ledger", column=points, title="Points (renamed)")
    race = run.race("accepted", [renamed], moment=GUARD)
    assert_lost_nothing(race)
    held = {u.tab: u.reason for u in race.sync.unwritten}
    assert "so the rows braingain adds at the bottom were not added" in held["Ledger"]
    assert "memory of the Ledger waits for the Ledger rows" in held["_braingain_state"]
    assert race.written["_braingain_state"] == race.person["_braingain_state"]
    assert not any(str(row[0]).startswith("award:SR-T08:") for row in race.written["Ledger"])

    run.fake.set_values(race.sid, "Ledger", f"{chr(64 + points)}1", [["Points"]])  # the leader puts it back
    problems = [str(p) for p in run.sync(race.sid, run.bases["accepted"][1]).read.problems]
    assert not [p for p in problems if "was deleted from the Ledger" in p], problems


def test_a_person_editing_during_the_sync_costs_it_no_request_more(run: Races) -> None:
    race = run.race("accepted", [Edit("insert", "Ledger", row=2)])
    assert_lost_nothing(race)
    assert {r: n for r, n in race.requests.items() if r != "token"} == {
        "spreadsheets.get": 1,
        "values.batchGet": 1,
        GUARD: 1,
        "spreadsheets.batchUpdate": 1,
    }
