"""`plan` and `sync` show every change before (or as) it is made: decisions in words first, then each
cell's old and new value by tab and row, then the rows added; the same in JSON (issue 9, §3 and §5).

The issue's case is a typo in the tracker that flips who is chosen for a task; its siblings are an
author order change, a status change, a new award, a meeting scheduled, a Problems row listed and
one no longer listed, a renamed tab and a leader's override typed on the wrong row."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.text import Text

from braingain.core.ids import TaskId
from braingain.core.tracker.changes import (
    Changes,
    describe,
    last_chosen,
    ordinal,
    said,
    spoken_day,
    spoken_moment,
)
from braingain.core.tracker.schema import Grid, Snapshot
from braingain.integrations import plan_text
from braingain.integrations.cli import EXIT_ERROR, EXIT_OK, main
from braingain.integrations.compose import SyncOutcome, compute
from braingain.integrations.console import make_console
from tests.tracker.helpers import SCHEMA, Sample, append, apply, edit, snapshot

SAMPLE = Sample()
START = SAMPLE.start()
"""The sample tracker after its first sync: a plan of it changes nothing."""
TASK = "SR-T09 (Design and pilot the data extraction form)"


def _synced(snap: Snapshot, at: datetime = SAMPLE.now) -> Snapshot:
    _, plan = compute(SCHEMA, snap, SAMPLE.settings, at)
    return apply(snap, plan.write)


AFTER = _synced(START)


def planned(
    snap: Snapshot, at: datetime = SAMPLE.now, *, applied: bool = False
) -> tuple[Changes, str, dict[str, Any]]:
    """What `plan` (or, ``applied``, `sync`) says of ``snap``: the changes, the text, the JSON."""
    read, plan = compute(SCHEMA, snap, SAMPLE.settings, at)
    changes = describe(SCHEMA, read, plan, at)
    outcome = SyncOutcome("the tracker", read, plan, applied, changes=changes)
    text = plan_text.outcome_text(outcome, applied=applied).plain
    data = json.loads(json.dumps(plan_text.outcome_data(outcome), default=str))
    assert_in_a_leaders_words(text, applied=applied)
    return changes, text, data


ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
INTERNAL_KEY = re.compile(r"\b[a-z]+:(\d{4}-\d{2}-\d{2}|SR-T\d+)")


def assert_in_a_leaders_words(text: str, *, applied: bool) -> None:
    assert "cell(s)" not in text
    assert not ISO_STAMP.search(text), ISO_STAMP.search(text)
    assert not INTERNAL_KEY.search(text), INTERNAL_KEY.search(text)
    if not applied:
        assert "synced" not in text.lower(), "a plan never says it synced"
        assert "Wrote" not in text


def status(snap: Snapshot, task: str, to: str, by: str) -> Snapshot:
    """``task``'s Status typed as ``to`` by ``by``."""
    return edit(edit(snap, "Tasks", task, "Status", to), "Tasks", task, "Status changed by", by)


def change(data: dict[str, Any], tab: str, ident: str, column: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        c for c in data["changes"] if (c["tab"], c["id"], c["column"]) == (tab, ident, column)
    ]
    assert len(found) == 1, found
    return found[0]


def decisions(changes: Changes, kind: str) -> list[str]:
    return [d.text for d in changes.decisions if d.kind == kind]


# --- the case: a typo flips who is chosen -----------------------------------------------------


def test_a_typo_that_flips_who_is_chosen_is_a_decision_in_words_with_the_ranking_s_reason() -> None:
    # Chidiebere's offer (V-003) typed with Funmilayo's ID: she ranks above Osemwegie, so the
    # second place of SR-T09 changes hands.
    changes, text, data = planned(edit(AFTER, "Volunteers", "V-003", "Member", "funmi.lawani"))
    flipped = (
        f"{TASK}: Funmilayo Lawani replaces Osemwegie Idahor, because Funmilayo Lawani ranks higher: "
        "more commitment (work on time and meetings attended): 80% against 40%; the task takes 2"
    )
    assert decisions(changes, "selection") == [flipped]
    assert {"kind": "selection", "about": "SR-T09", "text": flipped} in data["decisions"]
    assert change(data, "Volunteers", "V-004", "Selected") == {
        "tab": "Volunteers", "row": 5, "id": "V-004", "names": ["SR-T09", "Osemwegie Idahor"],
        "column": "Selected", "old": "yes", "new": "no",
    }  # fmt: skip
    now_chosen = change(data, "Volunteers", "V-003", "Selected")
    assert (now_chosen["names"], now_chosen["old"], now_chosen["new"]) == (
        ["SR-T09", "Funmilayo Lawani"], "no", "yes"
    )  # fmt: skip
    selection = change(data, "Tasks", "SR-T09", "Volunteer selection")
    assert "Osemwegie Idahor" in selection["old"]
    assert "Funmilayo Lawani" in selection["new"]
    # Decisions first, then the cells per tab, each row once with its columns' old → new.
    assert text.index(flipped) < text.index("Changes on 'Volunteers'")
    assert "  SR-T09 / Osemwegie Idahor (V-004, row 5): Rank 2 → 3; Selected yes → no\n" in text


def test_a_leader_s_override_typed_on_the_wrong_row_says_who_replaces_whom_and_why() -> None:
    changes, _, _ = planned(edit(AFTER, "Volunteers", "V-002", "Leader override", "in"))
    assert decisions(changes, "selection") == [
        f"{TASK}: Zainab Musawa replaces Osemwegie Idahor, because a leader chose Zainab Musawa "
        "(override); the task takes 2"
    ]


def test_a_typo_in_a_task_s_places_says_who_is_no_longer_chosen_and_who_now_is() -> None:
    fewer, _, _ = planned(edit(AFTER, "Tasks", "SR-T09", "Max volunteers", 1))
    assert decisions(fewer, "selection") == [
        f"{TASK}: Osemwegie Idahor is no longer chosen, because the task takes 1"
    ]
    more, _, _ = planned(edit(AFTER, "Tasks", "SR-T09", "Max volunteers", 3))
    assert decisions(more, "selection") == [f"{TASK}: Zainab Musawa is now chosen (the task takes 3)"]


def test_a_typo_in_a_chosen_offer_s_member_says_who_replaces_whom_because_the_row_changed() -> None:
    # V-005 is Ehimare's offer, chosen first; typed with Funmilayo's ID, it is hers now. The
    # Selected column as read says the row was chosen: who was chosen is what braingain wrote.
    changes, text, data = planned(edit(AFTER, "Volunteers", "V-005", "Member", "funmi.lawani"))
    said_ = (
        f"{TASK}: Funmilayo Lawani replaces Ehimare Aigbekaen, because the Volunteers row V-005's "
        "Member changed from ehi.aigbekaen to funmi.lawani"
    )
    assert decisions(changes, "selection") == [said_]
    assert data["decisions"] == [{"kind": "selection", "about": "SR-T09", "text": said_}]
    assert text.index(said_) < text.index("Changes on 'Tasks'")


def test_a_member_typo_to_someone_not_chosen_says_who_takes_the_place_and_the_row_s_offer_is_cleared() -> (
    None
):
    # Kelechi already offered (V-001): V-005 is a second offer of his, not counted.
    changes, _, data = planned(edit(AFTER, "Volunteers", "V-005", "Member", "kelechi.nwankwo"))
    assert decisions(changes, "selection") == [
        f"{TASK}: Zainab Musawa replaces Ehimare Aigbekaen, because the Volunteers row V-005's Member "
        "changed from ehi.aigbekaen to kelechi.nwankwo, and Zainab Musawa ranks next"
    ]
    cleared = change(data, "Volunteers", "V-005", "Selected")
    assert (cleared["old"], cleared["new"]) == ("yes", ""), "a second offer is not shown as chosen"


def test_a_chosen_offer_moved_to_another_task_is_said_for_both_tasks() -> None:
    changes, _, _ = planned(edit(AFTER, "Volunteers", "V-005", "Task", "CS-T01"))
    moved = "the Volunteers row V-005's Task changed from SR-T09 to CS-T01"
    assert decisions(changes, "selection") == [
        f"CS-T01 (Draft the cohort study protocol): Ehimare Aigbekaen is now chosen (the task takes 3), "
        f"because {moved}",
        f"{TASK}: Zainab Musawa replaces Ehimare Aigbekaen, because {moved}, and Zainab Musawa ranks next",
    ]


def test_a_deleted_chosen_offer_says_its_member_no_longer_volunteers() -> None:
    grid = AFTER.grids["Volunteers"]
    kept = Grid("Volunteers", tuple(r for r in grid.values if r[0] != "V-005"), grid.merges)
    changes, _, _ = planned(Snapshot({**AFTER.grids, "Volunteers": kept}))
    assert decisions(changes, "selection") == [
        f"{TASK}: Zainab Musawa replaces Ehimare Aigbekaen, because Ehimare Aigbekaen no longer volunteers "
        "for it (no row of the Volunteers tab names them); the task takes 2"
    ]


def test_a_new_offer_that_ranks_higher_says_whom_it_displaces_and_why() -> None:
    offered = append(
        AFTER,
        "Volunteers",
        {
            "ID": "V-100",
            "Task": "SR-T09",
            "Member": "funmi.lawani",
            "Volunteered at": "2026-11-24 10:00 Africa/Lagos",
        },
    )
    changes, _, _ = planned(offered)
    assert decisions(changes, "selection") == [
        f"{TASK}: Funmilayo Lawani replaces Osemwegie Idahor, because Funmilayo Lawani ranks higher: "
        "more commitment (work on time and meetings attended): 80% against 40%; the task takes 2"
    ]


def test_an_offer_time_without_a_zone_re_read_in_the_new_member_s_zone_is_said() -> None:
    typed = edit(AFTER, "Volunteers", "V-005", "Volunteered at", "2026-11-23 14:00")
    changes, _, _ = planned(edit(typed, "Volunteers", "V-005", "Member", "funmi.lawani"))
    assert decisions(changes, "selection") == [
        f"{TASK}: Funmilayo Lawani replaces Ehimare Aigbekaen, because the Volunteers row V-005's Member "
        "changed from ehi.aigbekaen to funmi.lawani, and its Volunteered at, which gives no time zone, is "
        "now read in Funmilayo Lawani's zone (America/Chicago) as Mon 23 Nov 2026, 21:00 (Africa/Lagos) "
        "rather than Mon 23 Nov 2026, 14:00 (Africa/Lagos)"
    ]


def test_who_was_chosen_is_read_from_the_selection_braingain_wrote_by_name_or_id() -> None:
    written = [
        ("Ada Obiora (ada.obiora)", "ada.obiora"),
        ("Ada Obiora (ada.o)", "ada.o"),
        ("Efe Ighodalo", "efe"),
    ]
    written += [("ada.obiora", "ada.obiora"), ("efe", "efe")]
    written.sort(key=lambda p: -len(p[0]))
    assert last_chosen(
        "chosen: Ada Obiora (ada.o), Efe Ighodalo (2 volunteers for 1 place: ...)", written
    ) == [
        "ada.o",
        "efe",
    ]
    assert last_chosen("chosen: efe, ada.obiora", written) == ["efe", "ada.obiora"]
    assert last_chosen("chosen: nobody yet", written) == []
    assert last_chosen("chosen: Someone Gone, Efe Ighodalo", written) is None, "not a member now"
    assert last_chosen("cannot rank the volunteers: ...", written) is None
    assert last_chosen("", written) is None


def test_an_offer_re_read_in_another_zone_that_changes_rank_is_said_even_when_its_row_was_not_chosen() -> (
    None
):
    # V-001 (Kelechi, Lagos, 5th) typed without a zone, then with Adaeze's ID (London): her record
    # puts it 1st, and its time is now read an hour later.
    typed = edit(AFTER, "Volunteers", "V-001", "Volunteered at", "2026-11-19 10:00")
    changes, _, _ = planned(edit(typed, "Volunteers", "V-001", "Member", "ada.obiora"))
    assert decisions(changes, "selection")[1:] == [
        f"{TASK}: Adaeze Obiora's offer (the Volunteers row V-001) moves from 5th to 1st place, and its "
        "Volunteered at, which gives no time zone, is now read in Adaeze Obiora's zone (Europe/London) as "
        "Thu 19 Nov 2026, 11:00 (Africa/Lagos) rather than Thu 19 Nov 2026, 10:00 (Africa/Lagos)"
    ]


# --- its siblings ---------------------------------------------------------------------------------------


def test_an_author_order_change_is_said_per_output_with_the_old_and_new_authors() -> None:
    adjusted = append(
        AFTER,
        "Ledger",
        {
            "ID": "ADJ-1", "Kind": "adjustment", "Member": "ivie.osagiede", "Project": "sr-migration",
            "Task": "SR-T04", "Points": 0.1, "Reason": "ran the extra searches", "Recorded by": "ada.obiora",
            "Recorded at": "2026-11-24 10:00 Europe/London",
        },
    )  # fmt: skip
    changes, text, data = planned(adjusted)
    moved = "Ivie Osagiede moves from 4th to 3rd author; Funmilayo Lawani moves from 3rd to 4th author"
    assert decisions(changes, "authors") == [  # each output whose stages count SR-T04, in sheet order
        "Why doctors leave: a systematic review of health worker migration from LMICs (work in progress): "
        "Ivie Osagiede moves from 2nd to 1st author; Zainab Musawa moves from 1st to 2nd author",
        f"PROSPERO registration: drivers of health worker migration from LMICs: {moved}",
        f"Protocol: drivers of health worker migration from LMICs: {moved}",
    ]
    authors = change(data, "Outputs", "sr-protocol", "Authors (in order)")
    assert "3. Funmilayo Lawani" in authors["old"]
    assert "3. Ivie Osagiede" in authors["new"]
    assert "        was: 1. Efe Ighodalo (5.80 points)\n" in text
    assert change(data, "Members", "ivie.osagiede", "Points (all projects)")["names"] == ["Ivie Osagiede"]


def test_a_status_taken_from_the_tracker_is_a_decision_and_braingain_s_memory_one_plain_line() -> None:
    moved = status(AFTER, "SR-T08", "submitted", "amara.okorafor")
    changes, text, data = planned(moved)
    said_ = (
        "SR-T08 (Full-text review against the eligibility criteria) is now submitted (it was in "
        "progress), as Amarachi Okorafor marked it"
    )
    assert decisions(changes, "status") == [said_]
    remembered = changes.remembered
    assert remembered is not None
    assert remembered > 0
    assert f"braingain would remember {remembered} things in its hidden tab" in text
    assert data["state"] == {"remembered": remembered}
    assert "_braingain_state" not in text
    _, done, _ = planned(moved, applied=True)
    assert f"braingain now remembers {remembered} things in its hidden tab" in done


def test_a_new_award_is_a_decision_and_its_ledger_rows_are_said_as_rows_added() -> None:
    submitted = _synced(status(AFTER, "SR-T08", "submitted", "amara.okorafor"))
    accepted = status(submitted, "SR-T08", "accepted", "ada.obiora")
    changes, text, data = planned(accepted)
    assert decisions(changes, "award") == [
        "SR-T08 (Full-text review against the eligibility criteria): points awarded to Amarachi Okorafor "
        "3.75, Uyiosa Omoregbe 3.75, Ngozi Ukpebor 3.75 and Tobiloba Akinwale 3.75"
    ]
    rows = [a for a in data["appended"] if a["tab"] == "Ledger"]
    assert [r["id"] for r in rows] == [
        "award:SR-T08:amara.okorafor", "award:SR-T08:uyi.omoregbe", "award:SR-T08:ngozi.ukpebor",
        "award:SR-T08:tobi.akinwale",
    ]  # fmt: skip
    assert rows[0]["cells"]["Points"] == "3.75"
    assert (
        "  - Ledger row 28: award: 3.75 points to Amarachi Okorafor for SR-T08 "
        "(Full-text review against the eligibility criteria)\n" in text
    )
    points = change(data, "Members", "amara.okorafor", "Points (all projects)")
    assert (points["old"], points["new"]) == ("5", "8.75")


def test_a_meeting_scheduled_ahead_is_said_with_its_weekday_date_year_and_time_in_the_group_s_zone() -> None:
    later = SAMPLE.now + timedelta(days=21)
    changes, text, data = planned(AFTER, later)
    assert decisions(changes, "meeting") == [
        "A meeting is scheduled for Saturday 30 January 2027 at 15:00 (Africa/Lagos)"
    ]
    assert "  - Meetings row 12: a meeting on Saturday 30 January 2027 at 15:00 (Africa/Lagos)\n" in text
    (row,) = [a for a in data["appended"] if a["tab"] == "Meetings"]
    assert row["cells"]["Starts"] == "Sat 30 Jan 2027, 15:00"  # a wall clock; the header note names its zone


def test_a_problems_row_listed_and_then_no_longer_listed_are_each_said() -> None:
    typo = edit(AFTER, "Tasks", "SR-T10", "Due", "2026-13-45")
    _, text, data = planned(typo)
    listed = (
        "Tasks row 13 (Due): '2026-13-45' is not a date (write dates as YYYY-MM-DD, for example 2026-03-14)"
    )
    assert f"  - Problems: to be listed: {listed}\n" in text
    check = change(data, "Tasks", "SR-T10", "Check")
    assert (check["old"], check["new"]) == ("ok", listed.removeprefix("Tasks row 13 (").replace(")", "", 1))
    fixed = edit(_synced(typo), "Tasks", "SR-T10", "Due", date(2027, 1, 30))
    _, text, data = planned(fixed)
    assert f"  - Problems: no longer listed: {listed}\n" in text
    assert any(a["text"] == listed and a["added"] is False for a in data["appended"])


def test_a_renamed_tab_is_said_as_the_tab_the_sync_adds() -> None:
    grids = {t: g for t, g in AFTER.grids.items() if t != "Outputs"}
    grids["Papers"] = Grid("Papers", AFTER.grids["Outputs"].values)
    changes, text, data = planned(Snapshot(grids))
    assert changes.structure == ("add the missing tab 'Outputs'",)
    assert "Tabs and columns to add:\n  - add the missing tab 'Outputs'\n" in text
    assert data["structure"] == ["add the missing tab 'Outputs'"]


def test_a_plan_with_nothing_to_change_says_so_and_lists_nothing() -> None:
    changes, text, data = planned(AFTER)
    assert changes.empty
    assert "Everything is up to date: nothing to write." in text
    assert (data["up_to_date"], data["decisions"], data["changes"], data["appended"], data["state"]) == (
        True, [], [], [], None
    )  # fmt: skip


def test_sync_says_the_same_in_the_past_tense_and_plan_never_says_it_synced() -> None:
    typo = edit(AFTER, "Volunteers", "V-003", "Member", "funmi.lawani")
    _, plan, _ = planned(typo)
    _, done, _ = planned(typo, applied=True)
    assert "Nothing is written by a plan. A sync would make these changes:" in plan
    assert "Wrote these changes to the tracker:" in done
    assert "Changes on 'Volunteers'" in plan
    assert "Changed on 'Volunteers'" in done
    assert "would" not in done.split("\nNote:")[0]


def test_the_first_plan_of_a_group_names_every_author_in_order() -> None:
    changes, _, _ = planned(snapshot(SAMPLE.rows()))
    assert (
        "Protocol: drivers of health worker migration from LMICs: the authors are, in order, Efe Ighodalo "
        "(1st), Amarachi Okorafor (2nd), Funmilayo Lawani (3rd), Ivie Osagiede (4th), Olatunde Bakare (5th) "
        "and Adaeze Obiora (6th)"
    ) in decisions(changes, "authors")


# --- words ----------------------------------------------------------------------------------------------


def test_dates_and_times_are_said_with_their_weekday_and_year_and_hints_keep_the_form_to_type() -> None:
    lagos = ZoneInfo("Africa/Lagos")
    assert spoken_day(date(2027, 1, 16)) == "Saturday 16 January 2027"
    assert spoken_moment(datetime(2027, 1, 16, 15, tzinfo=lagos)) == (
        "Saturday 16 January 2027 at 15:00 (Africa/Lagos)"
    )
    assert said("volunteered 2026-11-25T11:00+01:00") == "volunteered Wed 25 Nov 2026, 11:00 (UTC+01:00)"
    assert said("2026-11-28 11:00 Africa/Lagos") == "Sat 28 Nov 2026, 11:00 (Africa/Lagos)"
    assert said("2026-12-20 Full texts reviewed") == "Sun 20 Dec 2026 Full texts reviewed"
    assert said(date(2026, 11, 28)) == "Sat 28 Nov 2026"
    assert said("write dates as YYYY-MM-DD, for example 2026-03-14") == (
        "write dates as YYYY-MM-DD, for example 2026-03-14"
    )
    assert (said(True), said(False), said(5.0), said(None)) == ("yes", "no", "5", "")
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
    ]  # fmt: skip


# --- colour ----------------------------------------------------------------------------------------------

ANSI = "\x1b["


def printed(**kw: Any) -> str:
    out = io.StringIO()
    make_console(out, **kw).print(Text("changed", style="green"))
    return out.getvalue()


def test_colour_shows_in_a_terminal_and_is_off_with_no_color_when_piped_and_for_json() -> None:
    assert ANSI in printed(terminal=True, environ={})
    assert ANSI not in printed(terminal=True, environ={"NO_COLOR": "1"})
    assert ANSI in printed(terminal=True, environ={"NO_COLOR": ""}), "an empty NO_COLOR is not set"
    assert ANSI not in printed(environ={}), "a file is not a terminal: piped output has no colour"
    assert ANSI not in printed(terminal=True, json_output=True, environ={})


# --- the command line ----------------------------------------------------------------------------------

TODAY = ["--today", "2026-11-25"]


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    assert main(["init", "--local", str(tmp_path / "tracker.xlsx"), "--sample", *TODAY]) == EXIT_OK
    return tmp_path / "braingain.toml"


def test_plan_prints_every_change_without_colour_when_piped_and_as_json(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "--config", str(tracker), *TODAY]) == EXIT_OK
    out = capsys.readouterr().out
    assert ANSI not in out
    assert "Decisions\n" in out
    assert_in_a_leaders_words(out, applied=False)
    assert main(["plan", "--config", str(tracker), *TODAY, "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert {"decisions", "structure", "changes", "appended", "state"} <= set(data)
    assert all(set(c) == {"tab", "row", "id", "names", "column", "old", "new"} for c in data["changes"])
    assert data["changes"], "the sample's first plan fills braingain's columns"


@pytest.mark.parametrize("command", ["plan", "sync"])
def test_plan_and_sync_fail_as_json_with_format_json(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.toml"
    assert main([command, "--config", str(missing), "--format", "json"]) == EXIT_ERROR
    found = json.loads(capsys.readouterr().out)["error"]
    assert found["exit_code"] == EXIT_ERROR
    assert found["message"]


# --- old values are what the tracker held when read -----------------------------------------------------


def test_a_default_filled_into_a_new_member_s_blank_cells_is_said_as_empty_before() -> None:
    joined = append(
        AFTER,
        "Members",
        {"ID": "new.member", "Given names": "Nneka", "Surname": "Obi", "Role": "member",
         "Time zone": "Africa/Lagos", "Country of residence": "Nigeria"},
    )  # fmt: skip
    _, text, data = planned(joined)
    for column, new in (("Joined", "Wed 25 Nov 2026"), ("Active", "yes")):
        filled = change(data, "Members", "new.member", column)
        assert (filled["old"], filled["new"]) == ("", new)
    assert "Joined (empty) → Wed 25 Nov 2026" in text
    assert "Active (empty) → yes" in text


def test_a_default_filled_into_a_new_task_s_blank_status_is_said_as_empty_before() -> None:
    header, first = AFTER.grids["Tasks"].values[:2]
    row: dict[str, Any] = {str(h): v for h, v in zip(header, first, strict=True)}
    fresh = row | {"ID": "CS-T99", "Status": None, "Status changed by": None, "Volunteer selection": None}
    _, text, data = planned(append(AFTER, "Tasks", fresh))
    filled = change(data, "Tasks", "CS-T99", "Status")
    assert (filled["old"], filled["new"]) == ("", "draft")
    assert "Status (empty) → draft" in text
    assert "draft → draft" not in text


# --- a selection past open stands -----------------------------------------------------------------------

SR_T09_TEAM = {"Contributors": "ehi.aigbekaen; ose.idahor", "Mini-team head": "ehi.aigbekaen"}


def assigned(snap: Snapshot) -> Snapshot:
    """SR-T09 assigned to the two members braingain chose, by a leader."""
    for header, value in SR_T09_TEAM.items():
        snap = edit(snap, "Tasks", "SR-T09", header, value)
    return status(snap, "SR-T09", "assigned", "ada.obiora")


def selection_record(snap: Snapshot, task: str = "SR-T09") -> dict[str, Any]:
    """The task's Volunteer selection and each of its Volunteers rows' Rank, Selected and Why."""
    tasks, offers = snap.grids["Tasks"].values, snap.grids["Volunteers"].values
    picked = tasks[0].index("Volunteer selection")
    found: dict[str, Any] = {task: next(r[picked] for r in tasks[1:] if r[0] == task)}
    columns = [offers[0].index(h) for h in ("Member", "Rank", "Selected", "Why")]
    task_at = offers[0].index("Task")
    for row in offers[1:]:
        if row[task_at] == task:
            found[str(row[0])] = tuple(row[i] for i in columns)
    return found


def test_assigning_a_task_keeps_who_was_chosen_and_why_and_says_the_selection_stands() -> None:
    changes, text, data = planned(assigned(AFTER))
    assert decisions(changes, "selection") == []
    assert decisions(changes, "status") == [
        f"{TASK} is now assigned (it was open), as Adaeze Obiora marked it: the selection stands "
        "(Ehimare Aigbekaen and Osemwegie Idahor chosen)"
    ]
    assert not [c for c in data["changes"] if c["tab"] == "Volunteers"]
    assert not [c for c in data["changes"] if c["column"] == "Volunteer selection"]
    assert "because Osemwegie Idahor is chosen" not in text
    synced = _synced(assigned(AFTER))
    assert selection_record(synced) == selection_record(AFTER)
    assert planned(synced)[0].empty, "the fixed point holds: a second sync writes nothing"


@pytest.mark.parametrize(
    ("steps", "last"),
    [
        ([], "cancelled"),
        (["assigned"], "in progress"),
        (["assigned", "in progress"], "submitted"),
        (["assigned", "in progress", "submitted"], "accepted"),
    ],
)
def test_the_selection_stands_through_every_status_past_open(steps: list[str], last: str) -> None:
    snap = AFTER
    for step in steps:
        snap = _synced(assigned(snap) if step == "assigned" else status(snap, "SR-T09", step, _actor(step)))
    snap = _synced(status(snap, "SR-T09", last, _actor(last)) if last != "cancelled" else _cancelled(snap))
    read, _ = compute(SCHEMA, snap, SAMPLE.settings, SAMPLE.now)
    assert read.group.tasks[TaskId("SR-T09")].status.value == last, "every step was applied"
    assert selection_record(snap) == selection_record(AFTER)
    assert planned(snap)[0].empty


def _actor(step: str) -> str:
    return "ehi.aigbekaen" if step in ("in progress", "submitted") else "ada.obiora"


def _cancelled(snap: Snapshot) -> Snapshot:
    return status(snap, "SR-T09", "cancelled", "ada.obiora")


def test_a_lost_state_tab_leaves_a_selection_past_open_as_it_was_written() -> None:
    synced = _synced(assigned(AFTER))
    lost = Snapshot({t: g for t, g in synced.grids.items() if t != "_braingain_state"})
    assert "_braingain_state" in synced.grids
    assert selection_record(_synced(lost)) == selection_record(AFTER)


@pytest.mark.parametrize("typed", ["2026-08-01 15:00", "2026-08-01T15:00"])
def test_a_value_that_only_changes_form_says_each_side_s_form_not_the_new_value_twice(typed: str) -> None:
    first_august = next(
        row for row in AFTER.grids["Meetings"].values[1:] if str(row[0]).startswith("2026-08-01")
    )
    _, text, data = planned(edit(AFTER, "Meetings", str(first_august[0]), "Starts", typed))
    starts = change(data, "Meetings", str(first_august[0]), "Starts")
    assert (starts["old"], starts["new"]) == (
        "Sat 1 Aug 2026, 15:00 (text)",
        "Sat 1 Aug 2026, 15:00 (a date and time)",
    )
    assert "Starts Sat 1 Aug 2026, 15:00 (text) → Sat 1 Aug 2026, 15:00 (a date and time)" in text


def test_an_output_without_authors_says_why_in_its_authors_cell_and_where_to_read_more() -> None:
    outputs = AFTER.grids["Outputs"].values
    authors = outputs[0].index("Authors (in order)")
    (paper,) = [row for row in outputs[1:] if row[0] == "sr-paper"]
    assert paper[authors] == (
        "No authors yet: no member meets all four ICMJE criteria with at least 3.05 points (Acknowledged "
        "says what each misses); braingain report authorship sr-migration says what to record"
    )


def test_assigning_a_task_to_another_team_than_the_chosen_one_says_how_it_differs() -> None:
    snap = edit(AFTER, "Tasks", "SR-T09", "Contributors", "ehi.aigbekaen; kelechi.nwankwo")
    snap = edit(snap, "Tasks", "SR-T09", "Mini-team head", "ehi.aigbekaen")
    changes, _, _ = planned(status(snap, "SR-T09", "assigned", "ada.obiora"))
    assert decisions(changes, "status") == [
        f"{TASK} is now assigned (it was open), as Adaeze Obiora marked it: the selection stands "
        "(Ehimare Aigbekaen and Osemwegie Idahor chosen); its team differs: Kelechi Nwankwo was not chosen "
        "and Osemwegie Idahor is not in its team"
    ]
