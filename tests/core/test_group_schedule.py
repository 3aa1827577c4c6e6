"""The group's view of its meetings: what was held by when, what comes next, and attendance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from braingain.core.authorship.volunteering import Attendance
from braingain.core.errors import InvalidValue, UnknownReference
from braingain.core.group import Group
from braingain.core.schedule.availability import Availability, Weekday
from braingain.core.schedule.meetings import Cadence, MeetingRecord, MeetingSeries, Presence
from braingain.core.schedule.slots import RecurringSlot
from tests.builders import leader, member, project

LEAD, ADA = leader("lead.one"), member("ada.a")
PROJECT = project("sr", lead=LEAD)
SYDNEY = RecurringSlot(Weekday.SUNDAY, 8 * 60, 60, ZoneInfo("Australia/Sydney"))


def group(series: MeetingSeries, *records: MeetingRecord, **kw: object) -> Group:
    return Group.create("g", members=[LEAD, ADA], projects=[PROJECT], series=series, records=records, **kw)  # type: ignore[arg-type]


def held(series: MeetingSeries, planned: date, presence: Presence) -> MeetingRecord:
    return MeetingRecord(series.meeting_id(planned)).record_minutes(
        minutes="Notes", attendance={ADA.id: presence}, by=LEAD
    )


def test_a_meeting_east_of_utc_counts_as_held_as_soon_as_it_ends() -> None:
    series = MeetingSeries.create(id="s", slot=SYDNEY, first=date(2026, 3, 8))
    g = group(series, held(series, date(2026, 3, 8), Presence.PRESENT))
    # Sunday 08:00 in Sydney is Saturday 21:00 UTC: by Saturday 23:00 UTC it has been held.
    now = datetime(2026, 3, 7, 23, 0, tzinfo=UTC)
    assert g.attendance_on(now)[ADA.id] == Attendance(present=1)


def test_a_meeting_moved_earlier_counts_once_it_has_been_held() -> None:
    series = MeetingSeries.create(id="s", slot=SYDNEY, first=date(2026, 3, 8))
    planned = date(2026, 4, 5)
    moved = series.move(planned, datetime(2026, 3, 15, 8, tzinfo=ZoneInfo("Australia/Sydney")), by=LEAD)
    g = group(moved, held(moved, planned, Presence.ABSENT))
    assert g.attendance_on(datetime(2026, 3, 20, tzinfo=UTC))[ADA.id] == Attendance(absent=1)


def test_attendance_at_recorded_meetings_adds_to_earlier_history() -> None:
    series = MeetingSeries.create(id="s", slot=SYDNEY, first=date(2026, 3, 8))
    g = group(
        series, held(series, date(2026, 3, 8), Presence.PRESENT), attendance={ADA.id: Attendance(2, 1, 1)}
    )
    assert g.attendance_on(datetime(2026, 3, 9, tzinfo=UTC))[ADA.id] == Attendance(3, 1, 1)


def test_the_next_meeting_is_found_however_far_ahead_it_is() -> None:
    quiet = Cadence(busy_weeks=12, quiet_weeks=12)
    series = MeetingSeries.create(id="s", slot=SYDNEY, first=date(2026, 3, 8), cadence=quiet)
    for planned in series.planned_dates(date(2027, 6, 1))[1:4]:
        series = series.cancel(planned, by=LEAD, note="no quorum")
    nxt = group(series).next_meeting(datetime(2026, 3, 9, tzinfo=UTC))
    assert nxt is not None
    assert nxt.planned == date(2027, 2, 7)  # 12 weeks after the third cancelled one (2026-11-15)


def test_two_records_for_the_same_meeting_are_refused() -> None:
    series = MeetingSeries.create(id="s", slot=SYDNEY, first=date(2026, 3, 8))
    record = held(series, date(2026, 3, 8), Presence.PRESENT)
    with pytest.raises(InvalidValue, match="appears twice"):
        group(series, record, record)


def test_a_record_for_a_meeting_of_no_series_of_the_group_is_refused() -> None:
    series = MeetingSeries.create(id="s", slot=SYDNEY, first=date(2026, 3, 8))
    with pytest.raises(UnknownReference, match="not a meeting of this group's series") as caught:
        group(series, MeetingRecord("other:2026-03-08"))
    assert "Meetings tab" in caught.value.hint


def test_two_availabilities_for_one_member_are_refused() -> None:
    series = MeetingSeries.create(id="s", slot=SYDNEY, first=date(2026, 3, 8))
    twice = [Availability(ADA.id, ADA.zone), Availability(ADA.id, ADA.zone)]
    with pytest.raises(InvalidValue, match="appears twice"):
        group(series, availability=twice)


def test_without_a_series_there_are_no_meetings() -> None:
    g = Group.create("g", members=[LEAD, ADA], projects=[PROJECT])
    now = datetime(2026, 3, 9, tzinfo=UTC)
    assert g.meetings_by(now) == []
    assert g.next_meeting(now) is None
    assert g.attendance_on(now) == {}
    assert g.meetings(now.date() + timedelta(weeks=4)) == []
