"""Specification of the meeting series: cadence, blackouts, moves and cancellations, what each
meeting holds (agenda, minutes, decisions, action items, attendance), and how attendance
feeds the commitment measure used to choose volunteers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.tasks import Icmje, TaskStatus
from braingain.core.authorship.volunteering import Attendance, Volunteer
from braingain.core.errors import InvalidValue, NotPermitted, UnknownReference
from braingain.core.group import Group
from braingain.core.ids import MemberId, TaskId
from braingain.core.projects import Milestone, Project, ProjectKind
from braingain.core.schedule.availability import Availability, Unavailability, Weekday
from braingain.core.schedule.meetings import (
    ActionItem,
    ActionStatus,
    Cadence,
    MeetingRecord,
    MeetingSeries,
    MeetingStatus,
    Occurrence,
    Presence,
    attendance_summary,
    presence_of,
)
from braingain.core.schedule.slots import RecurringSlot
from braingain.core.words import day_said
from tests.builders import (
    LAGOS,
    LONDON,
    NEW_YORK,
    SYDNEY,
    VANCOUVER,
    ZONES,
    leader,
    member,
    project,
    task,
)

LEAD = leader("lead.one")
ADA = member("ada.a")
BEN = member("ben.b", zone="Europe/London", country_code="GB")
CHI = member("chi.c", zone="Australia/Sydney", country_code="AU")
PROJECT = project("sr", lead=LEAD)

SAT_1400_LONDON = RecurringSlot(Weekday.SATURDAY, 14 * 60, 90, LONDON)
FIRST = date(2026, 3, 7)
"""A Saturday, the day before North America changes its clocks (the UK follows on 29 March)."""

WEEKLY = Cadence(busy_weeks=1, quiet_weeks=1, lookahead_weeks=0)


def series(
    *,
    slot: RecurringSlot = SAT_1400_LONDON,
    first: date = FIRST,
    cadence: Cadence | None = None,
    blackouts: tuple[date, ...] = (),
) -> MeetingSeries:
    return MeetingSeries.create(id="s", slot=slot, first=first, cadence=cadence, blackouts=blackouts)


def saturdays(*days: str) -> list[date]:
    return [date.fromisoformat(d) for d in days]


def gaps_in_weeks(dates: list[date]) -> list[int]:
    return [(b - a).days // 7 for a, b in pairwise(dates)]


# --- cadence ---------------------------------------------------------------------------


def test_without_deadlines_the_series_meets_every_four_weeks() -> None:
    assert series().planned_dates(date(2026, 7, 1)) == saturdays(
        "2026-03-07", "2026-04-04", "2026-05-02", "2026-05-30", "2026-06-27"
    )


def test_while_a_deadline_falls_in_the_next_four_weeks_the_series_meets_every_two_weeks() -> None:
    # From 7 March the deadline of 20 April is more than four weeks away: the next meeting is
    # four weeks on. From 4 and 18 April it is within four weeks: two-week gaps until it passes.
    dates = series().planned_dates(date(2026, 7, 1), deadlines=[date(2026, 4, 20)])
    assert dates == saturdays(
        "2026-03-07", "2026-04-04", "2026-04-18", "2026-05-02", "2026-05-30", "2026-06-27"
    )


def test_a_deadline_exactly_four_weeks_ahead_counts_and_one_a_day_later_does_not() -> None:
    assert series().planned_dates(date(2026, 3, 21), deadlines=[date(2026, 4, 4)])[1] == date(2026, 3, 21)
    assert series().planned_dates(date(2026, 4, 4), deadlines=[date(2026, 4, 5)])[1] == date(2026, 4, 4)


def test_a_deadline_on_the_meeting_day_or_already_past_does_not_make_the_series_busy() -> None:
    dates = series().planned_dates(date(2026, 4, 4), deadlines=[date(2026, 3, 1), date(2026, 3, 7)])
    assert dates == saturdays("2026-03-07", "2026-04-04")


def test_the_busy_and_quiet_gaps_and_the_lookahead_are_configurable() -> None:
    cadence = Cadence(busy_weeks=1, quiet_weeks=3, lookahead_weeks=2)
    dates = series(cadence=cadence).planned_dates(date(2026, 5, 31), deadlines=[date(2026, 4, 10)])
    # 7 Mar: 10 Apr is beyond two weeks -> +3; 28 Mar: within -> +1; 4 Apr: within -> +1; 11 Apr: past -> +3
    assert dates == saturdays(
        "2026-03-07", "2026-03-28", "2026-04-04", "2026-04-11", "2026-05-02", "2026-05-23"
    )


def test_the_default_cadence_is_two_weeks_busy_four_weeks_quiet_with_a_four_week_lookahead() -> None:
    assert Cadence() == Cadence(busy_weeks=2, quiet_weeks=4, lookahead_weeks=4)


@pytest.mark.parametrize(
    ("busy", "quiet", "lookahead"),
    [(0, 4, 4), (3, 2, 4), (2, 13, 4), (-1, 4, 4), (2, 4, -1), (2, 4, 27)],
)
def test_a_cadence_outside_its_limits_is_refused(busy: int, quiet: int, lookahead: int) -> None:
    with pytest.raises(InvalidValue, match="cadence") as caught:
        Cadence(busy_weeks=busy, quiet_weeks=quiet, lookahead_weeks=lookahead)
    assert caught.value.hint


@pytest.mark.parametrize(("busy", "quiet", "lookahead"), [(1, 1, 0), (12, 12, 26), (2, 4, 4), (3, 3, 1)])
def test_a_cadence_within_its_limits_is_accepted(busy: int, quiet: int, lookahead: int) -> None:
    assert Cadence(busy, quiet, lookahead).quiet_weeks == quiet


def test_without_a_cadence_the_series_uses_the_default() -> None:
    assert series().cadence == Cadence()


# --- blackouts -------------------------------------------------------------------------


def test_a_meeting_on_a_blackout_date_moves_to_the_following_week() -> None:
    dates = series(blackouts=(date(2026, 4, 4),)).planned_dates(date(2026, 5, 31))
    assert date(2026, 4, 4) not in dates
    assert dates[:2] == saturdays("2026-03-07", "2026-04-11")


def test_consecutive_blackouts_are_all_skipped() -> None:
    holidays = (date(2026, 12, 19), date(2026, 12, 26), date(2027, 1, 2))
    dates = series(first=date(2026, 11, 21), blackouts=holidays).planned_dates(date(2027, 2, 1))
    assert dates[:2] == saturdays("2026-11-21", "2027-01-09")


def test_a_first_meeting_on_a_blackout_date_moves_to_the_following_week() -> None:
    assert series(blackouts=(FIRST,)).planned_dates(date(2026, 3, 31))[0] == date(2026, 3, 14)


def test_a_blackout_that_is_not_a_meeting_day_changes_nothing() -> None:
    plain = series().planned_dates(date(2026, 12, 31))
    assert series(blackouts=(date(2026, 4, 3), date(2026, 5, 1))).planned_dates(date(2026, 12, 31)) == plain


def test_no_planned_date_is_ever_a_blackout() -> None:
    holidays = tuple(date(2026, 3, 7) + timedelta(weeks=n) for n in range(0, 40, 3))
    dates = series(blackouts=holidays).planned_dates(date(2027, 3, 1), deadlines=[date(2026, 6, 1)])
    assert not set(dates) & set(holidays)


# --- the series and its occurrences ----------------------------------------------------


def test_a_series_must_start_on_the_slot_weekday_and_the_hint_gives_the_next_right_date() -> None:
    with pytest.raises(InvalidValue, match="Thursday 5 March 2026 is not a Saturday") as caught:
        series(first=date(2026, 3, 5))
    assert "Saturday 7 March 2026" in caught.value.hint
    assert "Saturday" in caught.value.hint


def test_a_series_needs_a_valid_id() -> None:
    with pytest.raises(InvalidValue, match="series id"):
        MeetingSeries.create(id="bad id", slot=SAT_1400_LONDON, first=FIRST)


def test_nothing_is_planned_before_the_first_meeting() -> None:
    assert series().planned_dates(date(2026, 3, 6)) == []
    assert series().occurrences(date(2026, 3, 6)) == []


def test_occurrence_ids_are_the_planned_date_a_leader_reads() -> None:
    meetings = series().occurrences(date(2026, 4, 30))
    assert [m.id for m in meetings] == ["2026-03-07", "2026-04-04"]


@pytest.mark.parametrize("typed", ["2026-03-07", "s:2026-03-07"], ids=["date", "series-and-date-as-before"])
def test_a_meeting_id_names_its_planned_date_in_either_form(typed: str) -> None:
    assert series().planned_of(typed) == date(2026, 3, 7)
    assert series().key_of(typed) == "2026-03-07"


@pytest.mark.parametrize(
    ("typed", "error"),
    [("other:2026-03-07", UnknownReference), ("s:2026-3-7x", InvalidValue), ("March", InvalidValue)],
)
def test_a_meeting_id_of_another_series_or_without_a_date_is_refused_with_a_hint(
    typed: str, error: type[Exception]
) -> None:
    with pytest.raises(error, match="Meetings tab"):
        series().planned_of(typed)
    assert series().meeting_id(date(2026, 4, 4)) == "2026-04-04"


def test_occurrence_ids_do_not_change_when_the_horizon_grows_or_a_meeting_moves() -> None:
    short = series().occurrences(date(2026, 5, 1))
    moved = series().move(date(2026, 4, 4), datetime(2026, 4, 5, 15, tzinfo=LONDON), by=LEAD)
    longer = moved.occurrences(date(2026, 12, 31))
    assert [m.id for m in longer][: len(short)] == [m.id for m in short]


def test_a_meeting_lasts_the_slot_length() -> None:
    meeting = series().occurrences(FIRST)[0]
    assert meeting.length == 90
    assert meeting.end - meeting.start == timedelta(minutes=90)


def test_every_meeting_starts_at_the_slot_time_in_the_anchor_zone_across_both_clock_changes() -> None:
    meetings = series(cadence=WEEKLY).occurrences(date(2026, 11, 7))
    assert {(m.start.astimezone(LONDON).weekday(), m.start.astimezone(LONDON).time()) for m in meetings} == {
        (Weekday.SATURDAY, time(14, 0))
    }
    utc = {m.planned: m.start.astimezone(UTC).hour for m in meetings}
    assert utc[date(2026, 3, 28)] == 14  # GMT
    assert utc[date(2026, 4, 4)] == 13  # BST from 29 March
    assert utc[date(2026, 10, 24)] == 13
    assert utc[date(2026, 10, 31)] == 14  # GMT again from 25 October


def test_a_lagos_anchored_series_keeps_its_utc_time_all_year() -> None:
    slot = RecurringSlot(Weekday.SATURDAY, 15 * 60, 90, LAGOS)
    meetings = series(slot=slot, cadence=WEEKLY).occurrences(date(2027, 1, 1))
    assert {m.start.astimezone(UTC).time() for m in meetings} == {time(14, 0)}


@pytest.mark.parametrize(
    ("zone", "weekday", "day", "wall", "expected"),
    [
        (LONDON, Weekday.SUNDAY, date(2026, 3, 29), time(1, 30), time(2, 30)),
        (NEW_YORK, Weekday.SUNDAY, date(2026, 3, 8), time(2, 30), time(3, 30)),
        (VANCOUVER, Weekday.SUNDAY, date(2027, 3, 14), time(2, 0), time(3, 0)),
        (SYDNEY, Weekday.SUNDAY, date(2026, 10, 4), time(2, 45), time(3, 45)),
    ],
)
def test_a_wall_time_that_does_not_exist_that_day_moves_forward_by_the_gap(
    zone: ZoneInfo, weekday: Weekday, day: date, wall: time, expected: time
) -> None:
    slot = RecurringSlot(weekday, wall.hour * 60 + wall.minute, 60, zone)
    meetings = series(slot=slot, first=day, cadence=WEEKLY).occurrences(day + timedelta(weeks=1))
    assert meetings[0].start.astimezone(zone).time() == expected
    assert meetings[0].start.astimezone(zone).date() == day
    assert meetings[1].start.astimezone(zone).time() == wall  # the week after, the clock is back on time


def test_a_wall_time_that_happens_twice_is_the_first_of_the_two() -> None:
    slot = RecurringSlot(Weekday.SUNDAY, 90, 60, LONDON)
    meeting = series(slot=slot, first=date(2026, 10, 25)).occurrences(date(2026, 10, 25))[0]
    assert meeting.start.astimezone(LONDON).time() == time(1, 30)
    assert meeting.start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# --- moving and cancelling one meeting -------------------------------------------------


def test_a_leader_moves_one_meeting_and_every_other_meeting_keeps_its_date() -> None:
    before = series().occurrences(date(2026, 12, 31))
    to = datetime(2026, 4, 12, 16, tzinfo=LONDON)
    moved = series().move(date(2026, 4, 4), to, by=LEAD, note="Easter weekend")
    after = moved.occurrences(date(2026, 12, 31))
    assert moved.planned_dates(date(2026, 12, 31)) == series().planned_dates(date(2026, 12, 31))
    changed = [m for m in after if m.id == "2026-04-04"]
    assert changed == [
        Occurrence("2026-04-04", date(2026, 4, 4), to, 90, MeetingStatus.MOVED, "Easter weekend")
    ]
    assert [m for m in after if m.id != "2026-04-04"] == [m for m in before if m.id != "2026-04-04"]


def test_a_leader_cancels_one_meeting_with_a_note_and_every_other_meeting_keeps_its_date() -> None:
    before = series().occurrences(date(2026, 12, 31))
    cancelled = series().cancel(date(2026, 5, 2), by=LEAD, note="  Too few   members available ")
    after = cancelled.occurrences(date(2026, 12, 31))
    assert len(after) == len(before)
    gone = next(m for m in after if m.planned == date(2026, 5, 2))
    assert gone.status is MeetingStatus.CANCELLED
    assert gone.note == "Too few members available"
    assert gone.start == SAT_1400_LONDON.at(date(2026, 5, 2))
    assert [m for m in after if m is not gone] == [m for m in before if m.planned != date(2026, 5, 2)]


def test_a_meeting_moved_past_the_next_one_is_listed_in_time_order() -> None:
    moved = series(cadence=WEEKLY).move(date(2026, 3, 7), datetime(2026, 3, 15, 10, tzinfo=UTC), by=LEAD)
    meetings = moved.occurrences(date(2026, 3, 21))
    assert [m.id for m in meetings] == ["2026-03-14", "2026-03-07", "2026-03-21"]
    assert [m.start for m in meetings] == sorted(m.start for m in meetings)


def test_a_later_change_to_the_same_meeting_replaces_the_earlier_one() -> None:
    moved = series().move(date(2026, 4, 4), datetime(2026, 4, 11, 14, tzinfo=LONDON), by=LEAD)
    again = moved.cancel(date(2026, 4, 4), by=LEAD, note="no quorum")
    assert len(again.overrides) == 1
    meeting = next(m for m in again.occurrences(date(2026, 4, 30)) if m.planned == date(2026, 4, 4))
    assert meeting.status is MeetingStatus.CANCELLED


def test_changes_to_different_meetings_are_all_kept() -> None:
    to = datetime(2026, 4, 12, 16, tzinfo=LONDON)
    changed = series().cancel(date(2026, 5, 2), by=LEAD, note="exams").move(date(2026, 4, 4), to, by=LEAD)
    statuses = {m.planned: m.status for m in changed.occurrences(date(2026, 6, 1))}
    assert statuses == {
        date(2026, 3, 7): MeetingStatus.SCHEDULED,
        date(2026, 4, 4): MeetingStatus.MOVED,
        date(2026, 5, 2): MeetingStatus.CANCELLED,
        date(2026, 5, 30): MeetingStatus.SCHEDULED,
    }


def test_a_change_records_who_made_it() -> None:
    changed = series().cancel(date(2026, 4, 4), by=LEAD, note="holiday")
    assert changed.overrides[0].by == LEAD.id


def test_a_member_who_is_not_a_leader_cannot_move_or_cancel_a_meeting() -> None:
    with pytest.raises(NotPermitted, match="not a leader") as caught:
        series().move(date(2026, 4, 4), datetime(2026, 4, 11, 14, tzinfo=LONDON), by=ADA)
    assert "leaders" in caught.value.hint
    with pytest.raises(NotPermitted, match="not a leader"):
        series().cancel(date(2026, 4, 4), by=ADA, note="holiday")


@pytest.mark.parametrize("note", ["", "   ", "\t\n"])
def test_a_cancellation_needs_a_note(note: str) -> None:
    with pytest.raises(InvalidValue, match="needs a note") as caught:
        series().cancel(date(2026, 4, 4), by=LEAD, note=note)
    assert "absent members" in caught.value.hint


@pytest.mark.parametrize("planned", [date(2026, 3, 14), date(2026, 4, 5), date(2026, 2, 28)])
def test_changing_a_date_on_which_no_meeting_is_planned_is_refused_with_a_hint(planned: date) -> None:
    with pytest.raises(
        UnknownReference, match=f"no meeting of series s is planned on {day_said(planned)}"
    ) as caught:
        series().cancel(planned, by=LEAD, note="holiday")
    assert "planned date" in caught.value.hint
    with pytest.raises(UnknownReference):
        series().move(planned, datetime(2026, 4, 11, 14, tzinfo=LONDON), by=LEAD)


def test_a_date_planned_only_because_of_a_deadline_is_changed_with_the_same_deadlines() -> None:
    deadlines = [date(2026, 4, 20)]
    changed = series().cancel(date(2026, 4, 18), by=LEAD, note="conference", deadlines=deadlines)
    meeting = next(
        m for m in changed.occurrences(date(2026, 5, 1), deadlines) if m.planned == date(2026, 4, 18)
    )
    assert meeting.status is MeetingStatus.CANCELLED


def test_a_move_needs_a_time_with_a_zone() -> None:
    with pytest.raises(InvalidValue, match="no time zone"):
        series().move(date(2026, 4, 4), datetime(2026, 4, 11, 14), by=LEAD)


def test_a_blackout_skipped_meeting_is_changed_by_its_new_date() -> None:
    holiday = series(blackouts=(date(2026, 4, 4),))
    with pytest.raises(UnknownReference):
        holiday.cancel(date(2026, 4, 4), by=LEAD, note="x")
    changed = holiday.cancel(date(2026, 4, 11), by=LEAD, note="x")
    assert changed.occurrences(date(2026, 4, 30))[1].status is MeetingStatus.CANCELLED


# --- the agenda ------------------------------------------------------------------------

MEETING = series().occurrences(FIRST)[0]
"""Saturday 7 March 2026, 14:00 London (14:00 UTC)."""
PUBLISH = timedelta(days=2)


def test_anyone_adds_agenda_items_before_the_agenda_is_published_and_they_are_not_late() -> None:
    record = MeetingRecord(MEETING.id)
    record = record.add_agenda_item(
        MEETING, "  Protocol   draft ", by=ADA, at=datetime(2026, 3, 1, 9, tzinfo=UTC), publish_ahead=PUBLISH
    )
    record = record.add_agenda_item(
        MEETING, "Ethics", by=LEAD, at=datetime(2026, 3, 5, 14, tzinfo=UTC), publish_ahead=PUBLISH
    )
    assert [(i.title, i.added_by, i.late) for i in record.agenda] == [
        ("Protocol draft", ADA.id, False),
        ("Ethics", LEAD.id, False),
    ]
    assert record.agenda[0].added_at == datetime(2026, 3, 1, 9, tzinfo=UTC)


def test_an_item_added_after_the_agenda_is_published_is_marked_late() -> None:
    item = (
        MeetingRecord(MEETING.id)
        .add_agenda_item(
            MEETING, "AOB", by=BEN, at=datetime(2026, 3, 5, 14, 1, tzinfo=UTC), publish_ahead=PUBLISH
        )
        .agenda[0]
    )
    assert item.late


def test_the_publication_time_is_configurable() -> None:
    at = datetime(2026, 3, 6, 14, tzinfo=UTC)
    record = MeetingRecord(MEETING.id)
    assert record.add_agenda_item(MEETING, "x", by=ADA, at=at, publish_ahead=timedelta(days=2)).agenda[0].late
    assert (
        not record.add_agenda_item(MEETING, "x", by=ADA, at=at, publish_ahead=timedelta(hours=12))
        .agenda[0]
        .late
    )


def test_adding_an_item_once_the_meeting_has_started_is_refused_with_a_hint() -> None:
    for at in (MEETING.start, MEETING.start + timedelta(minutes=5), MEETING.end + timedelta(days=1)):
        with pytest.raises(InvalidValue, match="already started") as caught:
            MeetingRecord(MEETING.id).add_agenda_item(
                MEETING, "late idea", by=ADA, at=at, publish_ahead=PUBLISH
            )
        assert "next meeting" in caught.value.hint


def test_an_item_added_a_moment_before_the_start_is_accepted_and_late() -> None:
    just = MEETING.start - timedelta(seconds=1)
    record = MeetingRecord(MEETING.id).add_agenda_item(MEETING, "x", by=ADA, at=just, publish_ahead=PUBLISH)
    assert record.agenda[0].late


def test_adding_an_item_to_a_cancelled_meeting_is_refused() -> None:
    cancelled = series().cancel(FIRST, by=LEAD, note="holiday").occurrences(FIRST)[0]
    with pytest.raises(InvalidValue, match="cancelled"):
        MeetingRecord(cancelled.id).add_agenda_item(
            cancelled, "x", by=ADA, at=datetime(2026, 3, 1, tzinfo=UTC), publish_ahead=PUBLISH
        )


def test_a_moved_meeting_takes_agenda_items_until_its_new_start() -> None:
    to = datetime(2026, 3, 8, 18, tzinfo=LONDON)
    moved = series().move(FIRST, to, by=LEAD).occurrences(FIRST)[0]
    at = datetime(2026, 3, 7, 15, tzinfo=LONDON)  # after the planned start, before the new one
    assert MeetingRecord(moved.id).add_agenda_item(moved, "x", by=ADA, at=at, publish_ahead=PUBLISH).agenda


@pytest.mark.parametrize("title", ["", "   ", "x" * 301])
def test_an_agenda_item_needs_a_title_of_reasonable_length(title: str) -> None:
    with pytest.raises(InvalidValue, match="agenda item"):
        MeetingRecord(MEETING.id).add_agenda_item(
            MEETING, title, by=ADA, at=datetime(2026, 3, 1, tzinfo=UTC), publish_ahead=PUBLISH
        )


def test_an_agenda_item_needs_a_time_with_a_zone() -> None:
    with pytest.raises(InvalidValue, match="no time zone"):
        MeetingRecord(MEETING.id).add_agenda_item(
            MEETING, "x", by=ADA, at=datetime(2026, 3, 1), publish_ahead=PUBLISH
        )


# --- minutes, decisions and action items -----------------------------------------------


def action(id: str = "A1", *, owner: MemberId = ADA.id, meeting: str = MEETING.id) -> ActionItem:
    return ActionItem(id, meeting, "Draft the search strategy", owner, date(2026, 3, 21))


def test_a_leader_records_minutes_decisions_action_items_and_attendance() -> None:
    record = MeetingRecord(MEETING.id).record_minutes(
        minutes="  We agreed the protocol. ",
        decisions=["Register on PROSPERO", "  ", "Meet fortnightly"],
        actions=[action()],
        attendance={ADA.id: Presence.PRESENT, BEN.id: Presence.ABSENT},
        by=LEAD,
    )
    assert record.has_minutes
    assert record.minutes == "We agreed the protocol."
    assert record.decisions == ("Register on PROSPERO", "Meet fortnightly")
    assert record.actions == (action(),)
    assert record.actions[0].status is ActionStatus.OPEN
    assert record.attendance == {ADA.id: Presence.PRESENT, BEN.id: Presence.ABSENT}


def test_recording_minutes_keeps_the_agenda() -> None:
    record = MeetingRecord(MEETING.id).add_agenda_item(
        MEETING, "Protocol", by=ADA, at=datetime(2026, 3, 1, tzinfo=UTC), publish_ahead=PUBLISH
    )
    recorded = record.record_minutes(minutes="Done", attendance={}, by=LEAD)
    assert recorded.agenda == record.agenda


def test_a_record_without_minutes_has_none() -> None:
    assert not MeetingRecord(MEETING.id).has_minutes


def test_only_a_leader_records_the_minutes() -> None:
    with pytest.raises(NotPermitted, match="not a leader") as caught:
        MeetingRecord(MEETING.id).record_minutes(minutes="x", attendance={}, by=ADA)
    assert "leader records the minutes" in caught.value.hint


def test_minutes_cannot_be_empty() -> None:
    with pytest.raises(InvalidValue, match="minutes"):
        MeetingRecord(MEETING.id).record_minutes(minutes="  ", attendance={}, by=LEAD)


def test_an_action_item_of_another_meeting_is_refused() -> None:
    with pytest.raises(InvalidValue, match="A9 belongs to another meeting"):
        MeetingRecord(MEETING.id).record_minutes(
            minutes="x", actions=[action("A9", meeting="2026-04-04")], attendance={}, by=LEAD
        )


def test_an_action_item_becomes_a_draft_task_with_its_title_owner_meeting_and_due_date() -> None:
    made = action().to_task(
        task_id="T9",
        project=PROJECT,
        stage="search-strategy",
        acceptance_criteria="Peer reviewed with PRESS",
        points_worth="4.5",
        credit_role=CreditRole.METHODOLOGY,
        icmje=Icmje.DESIGN_ACQUISITION_ANALYSIS,
        supervisor=LEAD,
        max_volunteers=2,
    )
    assert made.id == TaskId("T9")
    assert made.status is TaskStatus.DRAFT
    assert made.title == "Draft the search strategy"
    assert "2026-03-07" in made.deliverable
    assert made.due == date(2026, 3, 21)
    assert made.points == Decimal("4.5")
    assert made.project_id == PROJECT.id
    assert made.max_volunteers == 2
    assert made.supervisor == LEAD.id


def test_an_action_item_becomes_a_task_only_under_a_leader() -> None:
    with pytest.raises(NotPermitted):
        action().to_task(
            task_id="T9",
            project=PROJECT,
            stage="screening",
            acceptance_criteria="x",
            points_worth=1,
            credit_role=CreditRole.INVESTIGATION,
            icmje=Icmje.NONE,
            supervisor=ADA,
        )


# --- attendance ------------------------------------------------------------------------


def held(meeting: Occurrence, attendance: dict[MemberId, Presence]) -> MeetingRecord:
    return MeetingRecord(meeting.id).record_minutes(minutes="Notes", attendance=attendance, by=LEAD)


def away(who: MemberId, zone: ZoneInfo, first: date, last: date | None = None) -> Availability:
    return Availability(who, zone, unavailable=(Unavailability(first, last or first, "on call"),))


def test_an_absence_on_a_date_the_member_declared_unavailable_counts_as_excused() -> None:
    record = held(MEETING, {ADA.id: Presence.ABSENT})
    assert presence_of(ADA.id, MEETING, record, away(ADA.id, LAGOS, FIRST)) is Presence.EXCUSED
    assert presence_of(ADA.id, MEETING, record, away(ADA.id, LAGOS, date(2026, 3, 8))) is Presence.ABSENT
    assert presence_of(ADA.id, MEETING, record, None) is Presence.ABSENT


def test_whether_an_absence_is_excused_depends_on_the_date_in_the_members_own_zone() -> None:
    # 14:00 in London on Saturday 7 March is 01:00 on Sunday 8 March in Sydney.
    record = held(MEETING, {CHI.id: Presence.ABSENT})
    assert presence_of(CHI.id, MEETING, record, away(CHI.id, SYDNEY, date(2026, 3, 8))) is Presence.EXCUSED
    assert presence_of(CHI.id, MEETING, record, away(CHI.id, SYDNEY, FIRST)) is Presence.ABSENT


def test_presence_and_a_recorded_excuse_stand_whatever_the_member_declared() -> None:
    record = held(MEETING, {ADA.id: Presence.PRESENT, BEN.id: Presence.EXCUSED})
    assert presence_of(ADA.id, MEETING, record, away(ADA.id, LAGOS, FIRST)) is Presence.PRESENT
    assert presence_of(BEN.id, MEETING, record, None) is Presence.EXCUSED


def test_a_member_without_recorded_attendance_has_none() -> None:
    assert presence_of(ADA.id, MEETING, None, None) is None
    assert presence_of(ADA.id, MEETING, held(MEETING, {BEN.id: Presence.PRESENT}), None) is None


def test_the_attendance_summary_counts_present_absent_and_excused_per_member() -> None:
    meetings = series(cadence=WEEKLY).occurrences(date(2026, 3, 21))
    records = {
        meetings[0].id: held(meetings[0], {ADA.id: Presence.PRESENT, BEN.id: Presence.ABSENT}),
        meetings[1].id: held(meetings[1], {ADA.id: Presence.ABSENT, BEN.id: Presence.EXCUSED}),
        meetings[2].id: held(meetings[2], {ADA.id: Presence.ABSENT, BEN.id: Presence.PRESENT}),
    }
    availability = {ADA.id: away(ADA.id, LAGOS, date(2026, 3, 21))}
    summary = attendance_summary(meetings, records, availability, before=datetime(2026, 4, 1, tzinfo=UTC))
    assert summary == {
        ADA.id: Attendance(present=1, absent=1, excused=1),
        BEN.id: Attendance(present=1, absent=1, excused=1),
    }


def test_the_attendance_summary_counts_only_meetings_that_started_before_the_given_time() -> None:
    meetings = series(cadence=WEEKLY).occurrences(date(2026, 3, 14))
    records = {m.id: held(m, {ADA.id: Presence.PRESENT}) for m in meetings}
    second = meetings[1].start
    assert attendance_summary(meetings, records, {}, before=second) == {ADA.id: Attendance(present=1)}
    later = second + timedelta(seconds=1)
    assert attendance_summary(meetings, records, {}, before=later) == {ADA.id: Attendance(present=2)}


def test_the_attendance_summary_skips_cancelled_meetings_and_meetings_without_a_record() -> None:
    plan = series(cadence=WEEKLY).cancel(date(2026, 3, 14), by=LEAD, note="holiday")
    meetings = plan.occurrences(date(2026, 3, 21))
    records = {m.id: held(m, {ADA.id: Presence.ABSENT}) for m in meetings[:2]}
    summary = attendance_summary(meetings, records, {}, before=datetime(2026, 4, 1, tzinfo=UTC))
    assert summary == {ADA.id: Attendance(absent=1)}


def test_the_attendance_summary_needs_a_time_with_a_zone() -> None:
    with pytest.raises(InvalidValue, match="no time zone"):
        attendance_summary([], {}, {}, before=datetime(2026, 4, 1))


# --- attendance feeds the choice of volunteers, end to end -----------------------------

DAN = member("dan.d")
NOW = datetime(2026, 4, 1, 12, tzinfo=UTC)
OPEN_TASK = task("T1", proj=PROJECT, supervisor=LEAD, max_volunteers=1).open(
    by=LEAD, at=datetime(2026, 3, 1, tzinfo=UTC)
)


def group_with(
    records: list[MeetingRecord],
    offers: list[tuple[MemberId, int]],
    availability: tuple[Availability, ...] = (),
) -> Group:
    return Group.create(
        "g",
        members=[LEAD, ADA, BEN, DAN],
        projects=[PROJECT],
        tasks=[OPEN_TASK],
        volunteers=[
            Volunteer(OPEN_TASK.id, who, datetime(2026, 3, 20, hour, tzinfo=UTC)) for who, hour in offers
        ],
        series=series(cadence=WEEKLY),
        records=records,
        availability=availability,
    )


SATURDAYS = series(cadence=WEEKLY).occurrences(date(2026, 3, 21))


def test_group_attendance_counts_the_meetings_held_before_the_given_time() -> None:
    records = [
        held(SATURDAYS[0], {ADA.id: Presence.PRESENT, BEN.id: Presence.ABSENT}),
        held(SATURDAYS[1], {ADA.id: Presence.PRESENT, BEN.id: Presence.PRESENT}),
    ]
    group = group_with(records, [])
    assert group.attendance_on(NOW) == {
        ADA.id: Attendance(present=2),
        BEN.id: Attendance(present=1, absent=1),
    }
    assert group.attendance_on(SATURDAYS[1].start) == {
        ADA.id: Attendance(present=1),
        BEN.id: Attendance(absent=1),
    }


def test_a_member_who_missed_meetings_ranks_below_an_otherwise_equal_member_who_attended() -> None:
    records = [
        held(SATURDAYS[0], {ADA.id: Presence.PRESENT, BEN.id: Presence.ABSENT}),
        held(SATURDAYS[1], {ADA.id: Presence.PRESENT, BEN.id: Presence.PRESENT}),
    ]
    # Ben offered first, so without attendance he would be chosen.
    group = group_with(records, [(BEN.id, 8), (ADA.id, 9)])
    assert [c.member_id for c in group.selection("T1").candidates] == [BEN.id, ADA.id]
    ranked = group.selection("T1", now=NOW)
    assert [c.member_id for c in ranked.candidates] == [ADA.id, BEN.id]
    assert ranked.selected == (ADA.id,)
    assert "attended 1 of 2 meetings" in ranked.candidates[1].reason


def test_an_excused_absence_does_not_count_against_anyone() -> None:
    # Dan missed the first meeting on a date he had declared unavailable; Ada attended both.
    records = [
        held(SATURDAYS[0], {ADA.id: Presence.PRESENT, DAN.id: Presence.ABSENT}),
        held(SATURDAYS[1], {ADA.id: Presence.PRESENT, DAN.id: Presence.PRESENT}),
    ]
    group = group_with(records, [(DAN.id, 8), (ADA.id, 9)], (away(DAN.id, LAGOS, FIRST),))
    assert group.attendance_on(NOW)[DAN.id] == Attendance(present=1, absent=0, excused=1)
    ranked = group.selection("T1", now=NOW)
    # Equal commitment, so the earlier offer wins (the ids alone would put Ada first).
    assert [c.member_id for c in ranked.candidates] == [DAN.id, ADA.id]
    assert "1 excused not counted" in ranked.candidates[0].reason


def test_the_same_absence_undeclared_counts_against_the_member() -> None:
    records = [
        held(SATURDAYS[0], {ADA.id: Presence.PRESENT, DAN.id: Presence.ABSENT}),
        held(SATURDAYS[1], {ADA.id: Presence.PRESENT, DAN.id: Presence.PRESENT}),
    ]
    group = group_with(records, [(DAN.id, 8), (ADA.id, 9)])
    assert [c.member_id for c in group.selection("T1", now=NOW).candidates] == [ADA.id, DAN.id]


def test_meetings_after_the_given_time_do_not_affect_the_ranking() -> None:
    records = [held(SATURDAYS[2], {ADA.id: Presence.PRESENT, BEN.id: Presence.ABSENT})]
    group = group_with(records, [(BEN.id, 8), (ADA.id, 9)])
    before_it = SATURDAYS[2].start - timedelta(minutes=1)
    assert [c.member_id for c in group.selection("T1", now=before_it).candidates] == [BEN.id, ADA.id]


def test_a_deadline_in_the_group_makes_its_meetings_busy() -> None:
    with_milestone = Project.create(
        id="sr",
        title="A systematic review",
        kind=ProjectKind.SYSTEMATIC_REVIEW,
        lead=LEAD.id,
        milestones=(Milestone("Protocol registered", date(2026, 4, 20)),),
    )
    group = Group.create("g", members=[LEAD], projects=[with_milestone], series=series())
    assert [m.planned for m in group.meetings(date(2026, 5, 2))] == saturdays(
        "2026-03-07", "2026-04-04", "2026-04-18", "2026-05-02"
    )


# --- properties ------------------------------------------------------------------------


def expected_wall_time(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The slot's local start on ``day``: its wall time, or shifted forward by a spring-forward gap."""
    naive = datetime.combine(day, time(minute // 60, minute % 60))
    before = zone.utcoffset(naive.replace(fold=0))
    after = zone.utcoffset(naive.replace(fold=1))
    exists = naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive
    assert before is not None
    assert after is not None
    return naive if exists else naive + (after - before)


@st.composite
def plans(draw: st.DrawFn) -> tuple[MeetingSeries, list[date], date]:
    zone = draw(st.sampled_from(ZONES))
    weekday = draw(st.sampled_from(list(Weekday)))
    minute = draw(st.integers(0, 24 * 60 - 1))
    slot = RecurringSlot(weekday, minute, draw(st.integers(15, 180)), zone)
    first = slot.first_on_or_after(draw(st.dates(date(2026, 1, 1), date(2030, 12, 20))))
    busy = draw(st.integers(1, 4))
    cadence = Cadence(busy, draw(st.integers(busy, 6)), draw(st.integers(0, 8)))
    blackouts = [first + timedelta(weeks=n) for n in draw(st.lists(st.integers(0, 60), max_size=8))]
    deadlines = draw(st.lists(st.dates(date(2025, 12, 1), date(2031, 12, 31)), max_size=10))
    until = first + timedelta(days=draw(st.integers(0, 400)))
    plan = MeetingSeries.create(id="p", slot=slot, first=first, cadence=cadence, blackouts=blackouts)
    if draw(st.booleans()):  # some meetings already announced, under the deadlines of the time
        earlier = draw(st.lists(st.dates(date(2025, 12, 1), date(2031, 12, 31)), max_size=10))
        plan = plan.schedule_through(first + timedelta(days=draw(st.integers(0, 300))), earlier)
    return plan, deadlines, until


@given(plans())
def test_a_series_never_drifts_in_its_anchor_zone(case: tuple[MeetingSeries, list[date], date]) -> None:
    plan, deadlines, until = case
    slot = plan.slot
    meetings = plan.occurrences(until, deadlines)
    for meeting in meetings:
        local = meeting.start.astimezone(slot.zone)
        assert meeting.status is MeetingStatus.SCHEDULED
        assert local.date() == meeting.planned
        assert local.weekday() == slot.weekday
        assert local.replace(tzinfo=None) == expected_wall_time(meeting.planned, slot.start, slot.zone)
        assert meeting.id == meeting.planned.isoformat()
        assert meeting.planned not in plan.blackouts
        assert plan.first <= meeting.planned <= until
    planned = [m.planned for m in meetings]
    assert planned == plan.planned_dates(until, deadlines)
    assert all(a < b for a, b in pairwise(planned))
    assert all((b - a).days % 7 == 0 for a, b in pairwise(planned))
    for gap in gaps_in_weeks(planned):
        assert plan.cadence.busy_weeks <= gap <= plan.cadence.quiet_weeks + len(plan.blackouts)


@given(plans())
def test_each_gap_after_the_announced_meetings_follows_the_cadence_and_skips_only_blackouts(
    case: tuple[MeetingSeries, list[date], date],
) -> None:
    plan, deadlines, until = case
    planned = plan.planned_dates(until, deadlines)
    lookahead = timedelta(weeks=plan.cadence.lookahead_weeks)
    announced = [d for d in plan.scheduled if d <= until]
    assert planned[: len(announced)] == announced
    for a, b in pairwise(planned[max(len(announced) - 1, 0) :]):
        busy = any(a < d <= a + lookahead for d in deadlines)
        due = a + timedelta(weeks=plan.cadence.busy_weeks if busy else plan.cadence.quiet_weeks)
        assert b >= due
        skipped = [due + timedelta(weeks=n) for n in range((b - due).days // 7)]
        assert all(day in plan.blackouts for day in skipped)


@given(plans(), st.data())
def test_moving_or_cancelling_one_meeting_leaves_every_other_meeting_unchanged(
    case: tuple[MeetingSeries, list[date], date], data: st.DataObject
) -> None:
    plan, deadlines, until = case
    before = plan.occurrences(until, deadlines)
    assume(before)
    target = data.draw(st.sampled_from(before))
    if data.draw(st.booleans()):
        hours = data.draw(st.integers(-24 * 21, 24 * 21))
        to = target.start + timedelta(hours=hours)
        changed = plan.move(target.planned, to, by=LEAD, note="clash", deadlines=deadlines)
        expected = Occurrence(target.id, target.planned, to, target.length, MeetingStatus.MOVED, "clash")
    else:
        changed = plan.cancel(target.planned, by=LEAD, note="holiday", deadlines=deadlines)
        expected = Occurrence(
            target.id, target.planned, target.start, target.length, MeetingStatus.CANCELLED, "holiday"
        )
    after = changed.occurrences(until, deadlines)
    assert changed.planned_dates(until, deadlines) == plan.planned_dates(until, deadlines)
    assert [m for m in after if m.id != target.id] == [m for m in before if m.id != target.id]
    assert [m for m in after if m.id == target.id] == [expected]
    assert [m.start for m in after] == sorted(m.start for m in after)


@given(plans(), st.lists(st.dates(date(2025, 12, 1), date(2031, 12, 31)), max_size=10))
def test_announced_meetings_keep_their_dates_whatever_the_deadlines_become(
    case: tuple[MeetingSeries, list[date], date], later: list[date]
) -> None:
    plan, deadlines, until = case
    announced = plan.schedule_through(until, deadlines)
    fixed = list(announced.scheduled)
    assert fixed == plan.planned_dates(until, deadlines)
    for horizon in (until, until + timedelta(weeks=30)):
        dates = announced.planned_dates(horizon, later)
        # The announced dates stay, with nothing slipped in between; the cadence resumes after them.
        assert dates[: len(fixed)] == fixed
        if fixed:
            assert all(d > fixed[-1] for d in dates[len(fixed) :])


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/London", date(2026, 3, 29)),  # clocks go forward at 01:00
        ("Europe/London", date(2026, 10, 25)),  # clocks go back at 02:00
        ("America/Toronto", date(2026, 3, 8)),
        ("America/Toronto", date(2026, 11, 1)),
    ],
)
def test_a_meeting_across_a_clock_change_lasts_its_length_in_elapsed_time(zone: str, day: date) -> None:
    start = datetime.combine(day, time(1, 30), tzinfo=ZoneInfo(zone))
    meeting = Occurrence(day.isoformat(), day, start, 90, MeetingStatus.SCHEDULED)
    assert meeting.end.astimezone(UTC) - meeting.start.astimezone(UTC) == timedelta(minutes=90)
    assert meeting.end.tzinfo == ZoneInfo(zone)
