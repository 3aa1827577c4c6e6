"""A member's actions from outside the tracker (issue 11, section 2), end to end on the local workbook.

Each action is read, the core's rules and one write; the tracker's cell holds the new value after,
and the next sync takes it as if a person had typed it (an offer ranked, an acceptance awarded).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from braingain.core.ids import ProjectId
from braingain.core.tracker.schema import Cell, Snapshot, TrackerWrite, Unwritten
from braingain.integrations import compose
from braingain.integrations.config import Config
from braingain.integrations.desk import Desk, Done, Refused
from braingain.integrations.tracker.workbook import LocalWorkbook
from tests.integrations.platform_support import NOON, group_folder

AMARA = "U02AMARAO"  # a member, head of SR-T08 (in progress)
ADA = "U01ADAOBI"  # a leader who did not work on SR-T08
UYI = "U02UYIOMO"  # a member on SR-T08's team, not its head


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return group_folder(tmp_path / "group")


def desk(config: Config, backend: LocalWorkbook | None = None, at: datetime = NOON) -> Desk:
    return Desk(config, backend=backend, clock=lambda: at, wait=5)


def workbook(config: Config) -> Path:
    assert config.tracker.path is not None
    return Path(config.tracker.path)


def rows(config: Config, title: str) -> list[dict[str, Cell]]:
    """The tab's rows as dicts by header (what the tracker holds now)."""
    values = LocalWorkbook(workbook(config)).read().grids[title].values
    header = [str(h) for h in values[0]]
    return [
        dict(zip(header, row, strict=False)) for row in values[1:] if any(v not in (None, "") for v in row)
    ]


def row(config: Config, title: str, ident: str) -> dict[str, Cell]:
    return next(r for r in rows(config, title) if r["ID"] == ident)


def sync(config: Config, at: datetime = NOON) -> compose.SyncOutcome:
    return compose.run_sync(config, apply=True, at=at)


def type_cells(config: Config, title: str, ident: str, values: Mapping[str, Any]) -> None:
    """A person typing ``values`` (by header) into the row ``ident`` of the tab ``title``."""
    path = workbook(config)
    book = openpyxl.load_workbook(path)
    sheet = book[title]
    header = [c.value for c in sheet[1]]
    number = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == ident)
    for name, value in values.items():
        sheet.cell(number, header.index(name) + 1).value = value
    book.save(path)


def refused(action: Callable[[], object]) -> Refused:
    with pytest.raises(Refused) as caught:
        action()
    assert "@" not in str(caught.value)  # never an email address
    assert caught.value.reason
    assert caught.value.hint
    return caught.value


# --- who is acting ---------------------------------------------------------------------------------


def test_a_member_is_found_by_their_slack_user_id_typed_in_any_case(config: Config) -> None:
    assert desk(config).member(slack_user=" u02amarao ").id == "amara.okorafor"


def test_a_member_without_a_slack_user_id_is_found_by_their_email_in_any_case(config: Config) -> None:
    address = next(r["Email"] for r in rows(config, "Members") if r["ID"] == "chidi.okekearu")
    assert isinstance(address, str)
    found = desk(config).member(slack_user="U09NOBODY", email=f"  {address.upper()} ")
    assert found.id == "chidi.okekearu"


def test_someone_not_on_the_members_tab_is_refused_without_their_email_echoed(config: Config) -> None:
    error = refused(lambda: desk(config).member(slack_user="U09NOBODY", email="stranger@example.org"))
    assert "Members tab" in error.reason
    assert "U09NOBODY" in error.hint


def test_a_member_who_left_is_refused(config: Config) -> None:
    type_cells(config, "Members", "ehi.aigbekaen", {"Active": "no"})
    error = refused(lambda: desk(config).member(slack_user="U02EHIAIG"))
    assert "no longer an active member" in error.reason


# --- volunteering ----------------------------------------------------------------------------------


def test_a_volunteer_gets_a_new_volunteers_row_which_the_next_sync_ranks(config: Config) -> None:
    counter = desk(config)
    amara = counter.member(slack_user=AMARA)
    done = counter.volunteer(amara, " sr-t09 ", "I built the last extraction form")
    assert "SR-T09" in done.words
    assert "V-008" in done.words
    offer = row(config, "Volunteers", "V-008")
    assert offer["Task"] == "SR-T09"
    assert offer["Member"] == "amara.okorafor"
    assert offer["Volunteered at"] == "2027-01-10 13:00 Africa/Lagos"  # noon UTC on her clock, with her zone
    assert offer["Note"] == "I built the last extraction form"
    outcome = sync(config)
    assert not [p for p in outcome.read.problems if p.tab == "Volunteers"]
    ranked = row(config, "Volunteers", "V-008")
    assert isinstance(ranked["Rank"], int)
    assert ranked["Why"]
    assert sync(config).plan.write.empty  # taken as typed: nothing is written again


def test_volunteering_for_a_task_that_is_not_open_says_its_status(config: Config) -> None:
    counter = desk(config)
    error = refused(lambda: counter.volunteer(counter.member(slack_user=AMARA), "SR-T10"))
    assert "draft" in error.reason


def test_volunteering_twice_is_refused(config: Config) -> None:
    counter = desk(config)
    ehi = counter.member(slack_user="U02EHIAIG")  # already offered for SR-T09
    error = refused(lambda: counter.volunteer(ehi, "SR-T09"))
    assert "already volunteered" in error.reason
    assert len(rows(config, "Volunteers")) == 7


def test_an_unknown_task_is_refused_naming_the_close_id(config: Config) -> None:
    counter = desk(config)
    error = refused(lambda: counter.volunteer(counter.member(slack_user=AMARA), "T09"))
    assert "SR-T09" in error.hint


def test_a_task_whose_places_leaders_filled_is_refused(config: Config) -> None:
    for offer in ("V-001", "V-002"):  # SR-T09 takes 2: a leader forces two volunteers in
        type_cells(config, "Volunteers", offer, {"Leader override": "in"})
    counter = desk(config)
    error = refused(lambda: counter.volunteer(counter.member(slack_user=AMARA), "SR-T09"))
    assert "already has its 2 volunteers" in error.reason
    assert "raise the cap" in error.hint


def test_more_offers_than_places_are_taken_and_ranked(config: Config) -> None:
    counter = desk(config)
    done = counter.volunteer(counter.member(slack_user=AMARA), "SR-T09")  # 5 offers for 2 places already
    assert "6 offers for its 2 places" in done.words


def test_two_members_volunteering_at_once_get_two_rows_with_distinct_ids(config: Config) -> None:
    events: list[str] = []
    first_may_write = threading.Event()

    class Recorded(LocalWorkbook):
        def __init__(self, name: str) -> None:
            super().__init__(workbook(config))
            self.name = name

        def read(self) -> Snapshot:
            events.append(f"{self.name} reads")
            return super().read()

        def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
            if self.name == "amara":
                first_may_write.wait(timeout=30)
            events.append(f"{self.name} writes")
            return super().write(changes)

    looking = desk(config)
    members = {
        name: looking.member(slack_user=slack) for name, slack in (("amara", AMARA), ("zainab", "U02ZAINAB"))
    }
    done: dict[str, Done] = {}

    def act(name: str) -> None:
        done[name] = Desk(config, backend=Recorded(name), clock=lambda: NOON, wait=30).volunteer(
            members[name], "CS-T01"
        )

    amara = threading.Thread(target=act, args=("amara",))
    amara.start()
    while "amara reads" not in events:
        time.sleep(0.01)
    zainab = threading.Thread(target=act, args=("zainab",))
    zainab.start()
    time.sleep(0.5)  # zainab's action has had every chance to read, had it not waited
    assert events == ["amara reads"]
    first_may_write.set()
    amara.join(timeout=30)
    zainab.join(timeout=30)
    assert events[:3] == ["amara reads", "amara writes", "amara reads"]  # (the last: was it written?)
    assert events[3:5] == ["zainab reads", "zainab writes"]
    offers = {r["Member"]: r["ID"] for r in rows(config, "Volunteers") if r["Task"] == "CS-T01"}
    assert (offers["amara.okorafor"], offers["zainab.musawa"]) == ("V-008", "V-009")
    assert "V-008" in done["amara"].words
    assert "V-009" in done["zainab"].words


# --- the task lifecycle ----------------------------------------------------------------------------


def submitted(config: Config) -> Desk:
    counter = desk(config)
    counter.submit(counter.member(slack_user=AMARA), "SR-T08", "all 412 full texts screened")
    sync(config)
    return counter


def test_the_head_submits_and_a_leader_accepts_and_the_sync_awards_the_points(config: Config) -> None:
    counter = desk(config)
    amara = counter.member(slack_user=AMARA)
    counter.submit(amara, "SR-T08", "all 412 full texts screened")
    task = row(config, "Tasks", "SR-T08")
    assert (task["Status"], task["Status changed by"]) == ("submitted", "amara.okorafor")
    assert task["Review note"] == "all 412 full texts screened"
    assert not sync(config).read.problems
    done = counter.accept(counter.member(slack_user=ADA), "sr-t08", "meets every criterion")
    assert "accepted" in done.words
    assert row(config, "Tasks", "SR-T08")["Status"] == "accepted"
    outcome = sync(config)
    assert [str(c) for c in outcome.read.changes] == ["SR-T08: submitted -> accepted by ada.obiora"]
    awards = [r for r in rows(config, "Ledger") if r["Task"] == "SR-T08"]
    assert {r["Member"] for r in awards} == {
        "amara.okorafor",
        "uyi.omoregbe",
        "ngozi.ukpebor",
        "tobi.akinwale",
    }
    assert sync(config).plan.write.empty


def test_a_leader_sends_work_back_with_a_note_and_the_sync_applies_it(config: Config) -> None:
    counter = submitted(config)
    counter.rework(counter.member(slack_user=ADA), "SR-T08", "criterion 2: the PRISMA counts are missing")
    task = row(config, "Tasks", "SR-T08")
    assert (task["Status"], task["Review note"]) == (
        "needs rework",
        "criterion 2: the PRISMA counts are missing",
    )
    assert [str(c) for c in sync(config).read.changes] == ["SR-T08: submitted -> needs rework by ada.obiora"]


def test_a_rework_without_a_note_is_refused(config: Config) -> None:
    counter = submitted(config)
    error = refused(lambda: counter.rework(counter.member(slack_user=ADA), "SR-T08", "  "))
    assert "needs a note" in error.reason
    assert row(config, "Tasks", "SR-T08")["Status"] == "submitted"


def test_only_a_leader_accepts_whatever_the_caller_claims(config: Config) -> None:
    counter = submitted(config)
    amara = counter.member(slack_user=AMARA)
    claimed = type(amara).create(  # a member object that says "leader": the roster decides
        **{
            f: getattr(amara, f)
            for f in ("id", "given_names", "surname", "email", "zone", "country", "gender")
        },
        role=type(counter.member(slack_user=ADA).role).LEADER,
        joined_on=amara.joined_on,
    )
    error = refused(lambda: counter.accept(claimed, "SR-T08"))
    assert "only a leader" in error.hint
    assert row(config, "Tasks", "SR-T08")["Status"] == "submitted"


def test_submitting_a_task_that_is_not_yours_is_refused(config: Config) -> None:
    counter = desk(config)
    error = refused(lambda: counter.submit(counter.member(slack_user="U02ZAINAB"), "SR-T08"))
    assert "not yours" in error.reason


def test_a_team_member_who_is_not_the_head_may_not_submit(config: Config) -> None:
    counter = desk(config)
    error = refused(lambda: counter.submit(counter.member(slack_user=UYI), "SR-T08"))
    assert "mini-team head" in error.hint


def test_accepting_work_that_is_not_submitted_says_where_the_task_is(config: Config) -> None:
    counter = desk(config)
    error = refused(lambda: counter.accept(counter.member(slack_user=ADA), "SR-T08"))
    assert "'in progress'" in error.reason


def test_a_step_the_sync_has_not_recorded_yet_is_never_written_over(config: Config) -> None:
    counter = desk(config)
    counter.submit(counter.member(slack_user=AMARA), "SR-T08")
    error = refused(lambda: counter.accept(counter.member(slack_user=ADA), "SR-T08"))
    assert "not recorded by a sync yet" in error.reason
    assert row(config, "Tasks", "SR-T08")["Status changed by"] == "amara.okorafor"


@pytest.mark.parametrize(
    "typed",
    [
        {"Status": "needs rework", "Status changed by": "efe.ighodalo", "Review note": "redo"},
        {"Status": "cancelled"},  # the Status alone: the action's other cells go back as they were
    ],
)
def test_a_status_a_person_changed_between_the_read_and_the_write_is_not_overwritten(
    config: Config, typed: dict[str, str]
) -> None:
    counter = submitted(config)
    before = row(config, "Tasks", "SR-T08")
    path = workbook(config)

    class Typed(LocalWorkbook):
        """A leader types "needs rework" on the Tasks tab just after the action's first read."""

        def __init__(self) -> None:
            super().__init__(path)
            self.reads = 0

        def read(self) -> Snapshot:
            snapshot = super().read()
            self.reads += 1
            if self.reads == 1:
                type_cells(config, "Tasks", "SR-T08", typed)
                super().read()  # (so that the workbook lets the write through: the person's edit
                # lands in the window a shared spreadsheet leaves between a read and a write)
            return snapshot

    acting = desk(config, Typed())
    error = refused(lambda: acting.accept(counter.member(slack_user=ADA), "SR-T08", "fine"))
    assert (
        f"'{typed['Status']}'" in error.reason
    )  # tried afresh, by the rules: the person's value is there now
    task = row(config, "Tasks", "SR-T08")
    assert {h: task[h] for h in ("Status", "Status changed by", "Review note")} == {
        h: typed.get(h, before[h]) for h in ("Status", "Status changed by", "Review note")
    }


# --- disputes, excuses, dates away -----------------------------------------------------------------


def test_a_dispute_of_ones_own_entry_is_a_new_disputes_row_the_sync_reads(config: Config) -> None:
    counter = desk(config)
    done = counter.dispute(
        counter.member(slack_user=AMARA), "Award:SR-T02:amara.okorafor ", "my share was 2:1"
    )
    assert "D-004" in done.words
    raised = row(config, "Disputes", "D-004")
    assert raised["Member"] == "amara.okorafor"
    assert raised["Ledger entry"] == "award:SR-T02:amara.okorafor"
    assert raised["Reason"] == "my share was 2:1"
    assert raised["Raised at"] == "2027-01-10 13:00 Africa/Lagos"
    sync(config)
    assert row(config, "Disputes", "D-004")["Check"] == "ok"


def test_an_unknown_ledger_entry_is_refused(config: Config) -> None:
    counter = desk(config)
    error = refused(lambda: counter.dispute(counter.member(slack_user=AMARA), "award:SR-T99:amara", "why"))
    assert "no Ledger entry" in error.reason


def test_disputing_someone_elses_entry_is_refused(config: Config) -> None:
    counter = desk(config)
    error = refused(
        lambda: counter.dispute(counter.member(slack_user=AMARA), "award:SR-T01:ada.obiora", "why")
    )
    assert "members dispute their own points" in error.hint


def test_an_excuse_adds_the_member_to_the_meetings_excused_cell_and_keeps_what_was_typed(
    config: Config,
) -> None:
    type_cells(config, "Meetings", "2027-01-16", {"Excused": "efe.ighodalo"})
    counter = desk(config)
    done = counter.excuse(counter.member(slack_user=AMARA), "2027-01-16")
    assert "Saturday 16 January 2027" in done.words
    assert row(config, "Meetings", "2027-01-16")["Excused"] == "efe.ighodalo; amara.okorafor"
    outcome = sync(config)
    assert not outcome.read.problems  # excused ahead of the meeting: nothing to put right
    assert counter.excuse(counter.member(slack_user=AMARA), "2027-01-16").words  # twice: already there
    assert row(config, "Meetings", "2027-01-16")["Excused"] == "efe.ighodalo; amara.okorafor"


def test_an_excuse_for_a_meeting_already_held_is_refused(config: Config) -> None:
    counter = desk(config)
    error = refused(lambda: counter.excuse(counter.member(slack_user=AMARA), "2027-01-02"))
    assert "already held" in error.reason


def test_dates_away_are_a_new_availability_row_and_are_said_back(config: Config) -> None:
    counter = desk(config)
    amara = counter.member(slack_user=AMARA)
    counter.away(amara, date(2027, 2, 1), date(2027, 2, 5), "conference")
    added = rows(config, "Availability")[-1]
    assert added["Member"] == "amara.okorafor"
    assert added["Reason"] == "conference"
    sync(config)
    said = counter.availability(amara)
    assert "away Monday 1 February 2027 to Friday 5 February 2027: conference" in said


def test_dates_away_in_the_past_or_backwards_are_refused(config: Config) -> None:
    counter = desk(config)
    amara = counter.member(slack_user=AMARA)
    assert "in the past" in refused(lambda: counter.away(amara, date(2026, 1, 1), date(2026, 1, 2))).reason
    assert (
        "before it starts" in refused(lambda: counter.away(amara, date(2027, 3, 5), date(2027, 3, 1))).reason
    )


# --- what a member sees ----------------------------------------------------------------------------


def test_the_overview_has_my_tasks_my_points_and_the_next_meeting_in_my_time(config: Config) -> None:
    counter = desk(config)
    ada = counter.member(slack_user=ADA)
    seen = counter.overview(ada)
    amara = counter.overview(counter.member(slack_user=AMARA))
    assert [t.task_id for t in amara.tasks] == ["SR-T08"]
    assert dict(amara.points)[ProjectId("sr-migration")] > 0
    assert seen.next_meeting is not None
    assert seen.next_meeting.local_start is not None
    assert seen.next_meeting.local_start.tzinfo is not None
    assert str(seen.next_meeting.local_start.tzinfo) == "Europe/London"
    assert seen.next_meeting.meeting.id == "2027-01-16"


def test_the_join_link_comes_from_the_meetings_tab(config: Config) -> None:
    type_cells(
        config, "Meetings", "2027-01-16", {"Zoom meeting": "8123", "Join link": "https://zoom.example/j/8123"}
    )
    counter = desk(config)
    assert counter.overview(counter.member(slack_user=ADA)).join_url == "https://zoom.example/j/8123"


def test_open_tasks_are_those_taking_volunteers(config: Config) -> None:
    listed = desk(config).open_tasks()
    assert [(t.task_id, t.volunteers, t.places) for t in listed] == [("CS-T01", 2, 3), ("SR-T09", 5, 2)]


def test_points_of_one_project_typed_in_any_case(config: Config) -> None:
    table = desk(config).points(" SR-MIGRATION")
    assert [p for p, _ in table] == ["sr-migration"]
    standings = table[0][1]
    assert standings
    assert all(a.points >= b.points for a, b in itertools.pairwise(standings))
    assert "did you mean" in refused(lambda: desk(config).points("sr-migratoin")).hint


# --- the tracker's own refusals --------------------------------------------------------------------


def test_a_write_the_backend_holds_back_is_refused_to_try_again(config: Config) -> None:
    class Held(LocalWorkbook):
        def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
            return (Unwritten("Volunteers", "the row was deleted during the sync", 4),)

    counter = desk(config, Held(workbook(config)))
    error = refused(lambda: counter.volunteer(counter.member(slack_user=AMARA), "SR-T09"))
    assert "try again" in error.hint


def test_an_action_while_a_sync_holds_the_tracker_is_refused_to_try_again(config: Config) -> None:
    held = LocalWorkbook(workbook(config))
    counter = Desk(config, clock=lambda: NOON, wait=0)
    amara = counter.member(slack_user=AMARA)
    with held.exclusive(0):
        error = refused(lambda: counter.volunteer(amara, "SR-T09"))
    assert "busy" in error.reason
    assert len(rows(config, "Volunteers")) == 7


def test_an_action_on_a_later_day_is_checked_on_that_day(config: Config) -> None:
    later = desk(config, at=NOON + timedelta(days=7))  # the meeting of 16 January is over by then
    error = refused(lambda: later.excuse(later.member(slack_user=AMARA), "2027-01-16"))
    assert "already held" in error.reason
