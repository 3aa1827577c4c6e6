"""Scheduled meetings stay put: members plan around them, and minutes are filed under them."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from braingain.core.errors import InvalidValue
from braingain.core.schedule.availability import Weekday
from braingain.core.schedule.meetings import MeetingSeries
from braingain.core.schedule.slots import RecurringSlot

SLOT = RecurringSlot(Weekday.SATURDAY, 15 * 60, 90, ZoneInfo("Africa/Lagos"))
FIRST = date(2026, 3, 7)


def series() -> MeetingSeries:
    return MeetingSeries.create(id="s", slot=SLOT, first=FIRST)


def test_a_deadline_that_goes_away_does_not_move_meetings_already_scheduled() -> None:
    busy = [date(2026, 3, 20), date(2026, 4, 3), date(2026, 4, 17)]
    announced = series().schedule_through(date(2026, 4, 30), busy)
    before = announced.planned_dates(date(2026, 4, 30), busy)
    assert before == [date(2026, 3, 7), date(2026, 3, 21), date(2026, 4, 4), date(2026, 4, 18)]
    # The tasks are accepted, so their due dates no longer make the cadence busy:
    assert announced.planned_dates(date(2026, 4, 30), []) == before
    # ...whereas an unannounced series would have fallen back to every four weeks.
    assert series().planned_dates(date(2026, 4, 30), []) == [date(2026, 3, 7), date(2026, 4, 4)]


def test_the_cadence_continues_from_the_last_scheduled_meeting() -> None:
    announced = series().schedule_through(date(2026, 3, 21), [date(2026, 3, 20)])
    assert announced.scheduled == (date(2026, 3, 7), date(2026, 3, 21))
    later = announced.planned_dates(date(2026, 6, 1), [])
    assert later == [date(2026, 3, 7), date(2026, 3, 21), date(2026, 4, 18), date(2026, 5, 16)]
    assert all(b - a in (timedelta(weeks=2), timedelta(weeks=4)) for a, b in itertools.pairwise(later))


def test_a_scheduled_date_must_fall_on_the_slots_weekday_within_the_series() -> None:
    with pytest.raises(InvalidValue, match="cannot be a meeting") as caught:
        MeetingSeries.create(id="s", slot=SLOT, first=FIRST, scheduled=[date(2026, 3, 8)])
    assert "Saturday" in caught.value.hint
    with pytest.raises(InvalidValue, match="cannot be a meeting"):
        MeetingSeries.create(id="s", slot=SLOT, first=FIRST, scheduled=[date(2026, 2, 28)])
