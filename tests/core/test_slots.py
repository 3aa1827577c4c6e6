"""One recurring weekend slot in a named anchor zone, scored over every meeting date.

Expected local times are worked out by hand from the known offsets (Lagos is UTC+1 all
year; the UK is UTC+0, +1 from the last Sunday of March to the last Sunday of October;
Toronto and New York are UTC-5, -4 from the second Sunday of March to the first Sunday
of November; Vancouver is three hours behind them; Sydney is UTC+10, +11 from the first
Sunday of October to the first Sunday of April) and cross-checked against zoneinfo.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from braingain.core.errors import InvalidValue
from braingain.core.ids import MemberId
from braingain.core.schedule.availability import (
    DEFAULT_WINDOWS,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    Availability,
    Unavailability,
    Weekday,
    Window,
    parse_windows,
)
from braingain.core.schedule.slots import (
    LocalPeriod,
    LostDate,
    MemberFit,
    RecurringSlot,
    SlotChoice,
    explain,
    find_slots,
    inconvenience,
)
from tests.builders import LAGOS, LONDON, NEW_YORK, SYDNEY, TORONTO, VANCOUVER, ZONES

SAT, SUN, FRI = Weekday.SATURDAY, Weekday.SUNDAY, Weekday.FRIDAY
H = timedelta(hours=1)


# --- The clock rules, by hand ------------------------------------------------------------------


def nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7, weeks=n - 1)


def last_sunday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def utc(day: date, hours: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + hours * H


def hand_offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    """The UTC offset of ``zone`` at ``instant``, from the published rules rather than the tz database."""
    y = instant.year
    if zone is LAGOS:
        return 1 * H
    if zone is LONDON:  # 01:00 UTC on the last Sundays of March and October
        summer = utc(last_sunday(y, 3), 1) <= instant < utc(last_sunday(y, 10), 1)
        return 1 * H if summer else 0 * H
    if zone in (TORONTO, NEW_YORK):  # 02:00 local on the second Sunday of March and first of November
        summer = utc(nth_sunday(y, 3, 2), 7) <= instant < utc(nth_sunday(y, 11, 1), 6)
        return -4 * H if summer else -5 * H
    if zone is VANCOUVER:
        summer = utc(nth_sunday(y, 3, 2), 10) <= instant < utc(nth_sunday(y, 11, 1), 9)
        return -7 * H if summer else -8 * H
    if zone is SYDNEY:  # 03:00 AEDT on the first Sunday of April, 02:00 AEST on the first of October
        winter = utc(nth_sunday(y, 4, 1), 3 - 11) <= instant < utc(nth_sunday(y, 10, 1), 2 - 10)
        return 10 * H if winter else 11 * H
    raise AssertionError(zone)


OFFSETS = {
    LAGOS: (1 * H,),
    LONDON: (0 * H, 1 * H),
    TORONTO: (-5 * H, -4 * H),
    NEW_YORK: (-5 * H, -4 * H),
    VANCOUVER: (-8 * H, -7 * H),
    SYDNEY: (10 * H, 11 * H),
}
"""Each zone's standard offset, then its summer-time offset."""


def hand_instant(zone: ZoneInfo, wall: datetime) -> datetime:
    """The instant a naive wall time means in ``zone``: the first of two at a fall-back, and
    moved forward by the gap at a spring-forward (read with the standard offset in force before it)."""
    as_utc = wall.replace(tzinfo=UTC)
    valid = [o for o in OFFSETS[zone] if hand_offset(zone, as_utc - o) == o]
    return as_utc - (max(valid) if valid else OFFSETS[zone][0])


def hand_local(zone: ZoneInfo, instant: datetime) -> datetime:
    """Naive local wall time of ``instant`` in ``zone``, by hand."""
    return (instant + hand_offset(zone, instant)).replace(tzinfo=None)


def wall(local: datetime) -> tuple[int, int, int]:
    return (local.weekday(), local.hour, local.minute)


def saturdays(first: date, count: int) -> list[date]:
    return [first + timedelta(weeks=n) for n in range(count)]


def test_the_hand_made_clock_rules_agree_with_zoneinfo_on_every_weekend_hour_2026_to_2030() -> None:
    day = date(2026, 1, 2)
    checked = 0
    while day <= date(2030, 12, 31):
        if day.weekday() in (FRI, SAT, SUN):
            for hour in range(24):
                instant = utc(day, hour)
                for zone in ZONES:
                    assert instant.astimezone(zone).utcoffset() == hand_offset(zone, instant), (zone, instant)
                    checked += 1
        else:
            for zone in ZONES:
                assert utc(day, 12).astimezone(zone).utcoffset() == hand_offset(zone, utc(day, 12))
        day += timedelta(days=1)
    assert checked > 100_000


def test_the_clock_change_dates_of_2026_are_the_ones_the_issue_names() -> None:
    assert nth_sunday(2026, 3, 2) == date(2026, 3, 8)  # North America springs forward
    assert last_sunday(2026, 3) == date(2026, 3, 29)  # the UK
    assert last_sunday(2026, 10) == date(2026, 10, 25)  # the UK falls back
    assert nth_sunday(2026, 11, 1) == date(2026, 11, 1)  # North America
    assert nth_sunday(2026, 4, 1) == date(2026, 4, 5)  # Sydney leaves summer time
    assert nth_sunday(2026, 10, 1) == date(2026, 10, 4)  # Sydney enters it


# --- RecurringSlot -------------------------------------------------------------------------------


def london_saturday_14_00(length: int = 90) -> RecurringSlot:
    return RecurringSlot(SAT, 14 * 60, length, LONDON)


def test_a_slot_is_labelled_by_weekday_wall_time_and_anchor_zone() -> None:
    assert london_saturday_14_00().label == "Saturday 14:00 Europe/London"
    assert RecurringSlot(SUN, 9 * 60 + 30, 60, LAGOS).label == "Sunday 09:30 Africa/Lagos"


def test_a_slot_keeps_its_wall_time_in_the_anchor_zone_not_a_fixed_utc_time() -> None:
    slot = london_saturday_14_00()
    winter, summer = slot.at(date(2026, 1, 10)), slot.at(date(2026, 7, 4))
    assert (winter.hour, winter.minute, summer.hour, summer.minute) == (14, 0, 14, 0)
    assert winter.tzinfo is LONDON
    assert summer.tzinfo is LONDON
    assert winter.astimezone(UTC) == datetime(2026, 1, 10, 14, 0, tzinfo=UTC)
    assert summer.astimezone(UTC) == datetime(2026, 7, 4, 13, 0, tzinfo=UTC)


# Saturday 14:00 in London, in the other zones (all worked out from the offsets above):
# 10 Jan: everyone on winter time; UTC 14:00.  14 Mar: North America already on summer time,
# the UK not yet; UTC 14:00.  4 Jul: both on summer time; UTC 13:00.  31 Oct: the UK back on
# GMT, North America not yet; UTC 14:00.  7 Nov: everyone on winter time again.
LONDON_14_00_ELSEWHERE = [
    (date(2026, 1, 10), LAGOS, "Sat 15:00"),
    (date(2026, 3, 14), LAGOS, "Sat 15:00"),
    (date(2026, 7, 4), LAGOS, "Sat 14:00"),
    (date(2026, 10, 31), LAGOS, "Sat 15:00"),
    (date(2026, 1, 10), LONDON, "Sat 14:00"),
    (date(2026, 7, 4), LONDON, "Sat 14:00"),
    (date(2026, 1, 10), TORONTO, "Sat 09:00"),
    (date(2026, 3, 14), TORONTO, "Sat 10:00"),
    (date(2026, 7, 4), TORONTO, "Sat 09:00"),
    (date(2026, 10, 31), TORONTO, "Sat 10:00"),
    (date(2026, 11, 7), TORONTO, "Sat 09:00"),
    (date(2026, 1, 10), NEW_YORK, "Sat 09:00"),
    (date(2026, 3, 14), NEW_YORK, "Sat 10:00"),
    (date(2026, 7, 4), NEW_YORK, "Sat 09:00"),
    (date(2026, 10, 31), NEW_YORK, "Sat 10:00"),
    (date(2026, 11, 7), NEW_YORK, "Sat 09:00"),
    (date(2026, 1, 10), VANCOUVER, "Sat 06:00"),
    (date(2026, 3, 14), VANCOUVER, "Sat 07:00"),
    (date(2026, 7, 4), VANCOUVER, "Sat 06:00"),
    (date(2026, 10, 31), VANCOUVER, "Sat 07:00"),
    (date(2026, 11, 7), VANCOUVER, "Sat 06:00"),
    (date(2026, 1, 10), SYDNEY, "Sun 01:00"),
    (date(2026, 3, 14), SYDNEY, "Sun 01:00"),
    (date(2026, 7, 4), SYDNEY, "Sat 23:00"),
    (date(2026, 10, 31), SYDNEY, "Sun 01:00"),
    (date(2026, 11, 7), SYDNEY, "Sun 01:00"),
]


@pytest.mark.parametrize(("day", "zone", "expected"), LONDON_14_00_ELSEWHERE)
def test_saturday_14_00_london_falls_at_the_hand_computed_local_time_in_each_zone(
    day: date, zone: ZoneInfo, expected: str
) -> None:
    local = london_saturday_14_00().at(day).astimezone(zone)
    assert f"{local:%a %H:%M}" == expected
    direct = datetime.combine(day, time(14, 0), tzinfo=LONDON).astimezone(UTC).astimezone(zone)
    assert f"{direct:%a %H:%M}" == expected  # zoneinfo agrees with the hand-made table


def test_saturday_14_00_london_is_15_00_in_lagos_in_winter_and_14_00_in_british_summer_time() -> None:
    slot = london_saturday_14_00()
    assert slot.at(date(2026, 1, 10)).astimezone(LAGOS).hour == 15
    assert slot.at(date(2026, 7, 4)).astimezone(LAGOS).hour == 14


def test_saturday_14_00_london_is_an_hour_later_in_new_york_while_only_north_america_has_changed() -> None:
    slot = london_saturday_14_00()
    hours = [slot.at(day).astimezone(NEW_YORK).hour for day in saturdays(date(2026, 3, 7), 5)]
    assert hours == [9, 10, 10, 10, 9]  # 7 Mar; 14, 21, 28 Mar out of step; 4 Apr


def test_a_non_existent_wall_time_in_the_uk_spring_gap_moves_forward_by_the_gap() -> None:
    slot = RecurringSlot(SUN, 60 + 30, 60, LONDON)  # 01:30 does not exist on 29 March 2026
    moved = slot.at(date(2026, 3, 29))
    assert (moved.hour, moved.minute) == (2, 30)
    assert moved.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    week_later = slot.at(date(2026, 4, 5))
    assert (week_later.hour, week_later.minute) == (1, 30)


def test_a_non_existent_wall_time_in_the_north_american_spring_gap_moves_forward_by_the_gap() -> None:
    moved = RecurringSlot(SUN, 2 * 60 + 30, 60, NEW_YORK).at(date(2026, 3, 8))
    assert (moved.hour, moved.minute) == (3, 30)
    assert moved.astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_a_non_existent_wall_time_in_the_sydney_spring_gap_moves_forward_by_the_gap() -> None:
    moved = RecurringSlot(SUN, 2 * 60 + 15, 60, SYDNEY).at(date(2026, 10, 4))
    assert (moved.hour, moved.minute) == (3, 15)
    assert moved.astimezone(UTC) == datetime(2026, 10, 3, 16, 15, tzinfo=UTC)


def test_an_ambiguous_wall_time_at_the_uk_fall_back_keeps_its_wall_time_the_first_time_round() -> None:
    at = RecurringSlot(SUN, 60 + 30, 60, LONDON).at(date(2026, 10, 25))
    assert (at.hour, at.minute) == (1, 30)
    assert at.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_date_on_the_wrong_weekday_is_refused() -> None:
    with pytest.raises(InvalidValue) as raised:
        london_saturday_14_00().at(date(2026, 3, 8))
    assert raised.value.field == "date"
    assert "Sunday 8 March 2026 is not a Saturday" in raised.value.reason


@pytest.mark.parametrize("start", [-1, MINUTES_PER_DAY, MINUTES_PER_DAY + 30])
def test_a_slot_must_start_within_the_day(start: int) -> None:
    with pytest.raises(InvalidValue):
        RecurringSlot(SAT, start, 60, LONDON)


@pytest.mark.parametrize("length", [0, 14, 481, 24 * 60])
def test_a_meeting_must_last_15_minutes_to_8_hours(length: int) -> None:
    with pytest.raises(InvalidValue) as raised:
        RecurringSlot(SAT, 14 * 60, length, LONDON)
    assert raised.value.hint == "use 15 to 480 minutes"


@pytest.mark.parametrize("length", [15, 480])
def test_meetings_of_15_minutes_and_of_8_hours_are_allowed(length: int) -> None:
    assert RecurringSlot(SAT, 14 * 60, length, LONDON).length == length


def test_weekly_dates_start_on_the_first_matching_weekday_on_or_after_the_start() -> None:
    slot = london_saturday_14_00()
    assert slot.first_on_or_after(date(2026, 3, 7)) == date(2026, 3, 7)  # a Saturday
    assert slot.first_on_or_after(date(2026, 3, 8)) == date(2026, 3, 14)
    assert slot.weekly_dates(date(2026, 3, 2), 3) == [date(2026, 3, 7), date(2026, 3, 14), date(2026, 3, 21)]


CLOCK_CHANGE_SUNDAYS = sorted(
    {
        day
        for year in range(2026, 2031)
        for day in (
            last_sunday(year, 3),
            last_sunday(year, 10),
            nth_sunday(year, 3, 2),
            nth_sunday(year, 11, 1),
            nth_sunday(year, 4, 1),
            nth_sunday(year, 10, 1),
        )
    }
)
SMALL_HOURS = st.integers(0, 4 * 60 - 1)
"""Where the clock changes happen (01:00 in the UK, 02:00 in North America and Sydney, 03:00
when Sydney falls back), so that the properties meet the gaps and overlaps often."""


@given(
    st.sampled_from(ZONES),
    st.one_of(st.sampled_from(CLOCK_CHANGE_SUNDAYS), st.dates(date(2026, 1, 1), date(2030, 12, 31))),
    st.one_of(SMALL_HOURS, st.integers(0, MINUTES_PER_DAY - 1)),
)
def test_the_wall_time_is_fixed_in_the_anchor_zone_except_inside_a_gap(
    zone: ZoneInfo, day: date, minute: int
) -> None:
    slot = RecurringSlot(Weekday(day.weekday()), minute, 60, zone)
    asked = datetime.combine(day, time(minute // 60, minute % 60))
    instant = hand_instant(zone, asked)
    got = slot.at(day)
    assert got.astimezone(UTC) == instant
    assert got.tzinfo is zone
    assert got.replace(tzinfo=None) == hand_local(zone, instant)
    assert got.replace(tzinfo=None) in (asked, asked + H)  # every gap here is one hour


# --- inconvenience --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "length", "expected"),
    [
        (8 * 60, 13 * 60, 0),  # 08:00-21:00 costs nothing
        (14 * 60, 90, 0),
        (7 * 60, 60, 60),  # early morning, weight 1
        (21 * 60, 120, 120),  # late evening, weight 1
        (23 * 60, 60, 180),  # night, weight 3
        (5 * 60 + 30, 60, 30 * 3 + 30),
        (20 * 60 + 30, 90, 0 + 60),  # 20:30-22:00: half an hour free, an hour at weight 1
        (22 * 60 + 30, 90, 30 + 60 * 3),  # 22:30-00:00 crosses into the night
        (23 * 60 + 30, 60, 60 * 3),  # across midnight
        (MINUTES_PER_DAY * 5 + 7 * 60, 60, 60),  # a minute of the week is read in its own day
    ],
)
def test_inconvenience_weighs_minutes_outside_8_to_21_local(start: int, length: int, expected: int) -> None:
    assert inconvenience(start, length) == expected


# --- explain: local time in each clock period, and the dates lost ----------------------------------


def person(
    name: str,
    zone: ZoneInfo,
    windows: str = "",
    unavailable: Sequence[Unavailability] = (),
) -> Availability:
    return Availability(MemberId(name), zone, parse_windows(windows), tuple(unavailable))


def periods_of(fit: MemberFit) -> list[tuple[date, date, str]]:
    return [(p.first, p.last, p.label) for p in fit.periods]


def test_a_london_anchored_slot_moves_for_north_americans_for_three_weeks_in_march_2026() -> None:
    dates = saturdays(date(2026, 1, 3), 26)
    members = [person("lagos", LAGOS), person("nyc", NEW_YORK), person("van", VANCOUVER)]
    lagos, nyc, van = explain(RecurringSlot(SAT, 17 * 60, 90, LONDON), members, dates)
    assert periods_of(lagos) == [
        (date(2026, 1, 3), date(2026, 3, 28), "Sat 18:00"),
        (date(2026, 4, 4), date(2026, 6, 27), "Sat 17:00"),
    ]
    assert periods_of(nyc) == [
        (date(2026, 1, 3), date(2026, 3, 7), "Sat 12:00"),
        (date(2026, 3, 14), date(2026, 3, 28), "Sat 13:00"),
        (date(2026, 4, 4), date(2026, 6, 27), "Sat 12:00"),
    ]
    assert periods_of(van) == [
        (date(2026, 1, 3), date(2026, 3, 7), "Sat 09:00"),
        (date(2026, 3, 14), date(2026, 3, 28), "Sat 10:00"),
        (date(2026, 4, 4), date(2026, 6, 27), "Sat 09:00"),
    ]


def test_a_lagos_anchored_slot_moves_for_the_uk_and_north_america_on_their_own_dates() -> None:
    dates = saturdays(date(2026, 1, 3), 26)
    members = [person("a.lagos", LAGOS), person("b.london", LONDON), person("c.toronto", TORONTO)]
    lagos, london, toronto = explain(RecurringSlot(SAT, 18 * 60, 90, LAGOS), members, dates)
    assert periods_of(lagos) == [(date(2026, 1, 3), date(2026, 6, 27), "Sat 18:00")]
    assert periods_of(london) == [
        (date(2026, 1, 3), date(2026, 3, 28), "Sat 17:00"),
        (date(2026, 4, 4), date(2026, 6, 27), "Sat 18:00"),
    ]
    assert periods_of(toronto) == [
        (date(2026, 1, 3), date(2026, 3, 7), "Sat 12:00"),
        (date(2026, 3, 14), date(2026, 6, 27), "Sat 13:00"),
    ]


def test_in_autumn_2026_the_uk_falls_back_a_week_before_north_america() -> None:
    dates = saturdays(date(2026, 10, 3), 8)
    lagos, nyc = explain(
        RecurringSlot(SAT, 17 * 60, 90, LONDON), [person("lagos", LAGOS), person("nyc", NEW_YORK)], dates
    )
    assert periods_of(lagos) == [
        (date(2026, 10, 3), date(2026, 10, 24), "Sat 17:00"),
        (date(2026, 10, 31), date(2026, 11, 21), "Sat 18:00"),
    ]
    assert periods_of(nyc) == [
        (date(2026, 10, 3), date(2026, 10, 24), "Sat 12:00"),
        (date(2026, 10, 31), date(2026, 10, 31), "Sat 13:00"),
        (date(2026, 11, 7), date(2026, 11, 21), "Sat 12:00"),
    ]


def test_in_sydney_a_london_saturday_afternoon_falls_on_sunday_or_late_saturday_through_2026() -> None:
    (sydney,) = explain(london_saturday_14_00(), [person("syd", SYDNEY)], saturdays(date(2026, 1, 3), 52))
    assert periods_of(sydney) == [
        (date(2026, 1, 3), date(2026, 3, 28), "Sun 01:00"),
        (date(2026, 4, 4), date(2026, 4, 4), "Sun 00:00"),  # the UK has changed, Sydney not yet
        (date(2026, 4, 11), date(2026, 10, 3), "Sat 23:00"),
        (date(2026, 10, 10), date(2026, 10, 24), "Sun 00:00"),  # Sydney has changed, the UK not yet
        (date(2026, 10, 31), date(2026, 12, 26), "Sun 01:00"),
    ]
    assert sydney.periods[0] == LocalPeriod(
        date(2026, 1, 3), date(2026, 3, 28), datetime(2026, 1, 4, 1, 0, tzinfo=SYDNEY)
    )


# The Saturdays on which North America is on summer time and the UK is not, by hand:
# North America changes on the second Sunday of March and the first of November, the UK
# on the last Sundays of March and October.
OUT_OF_STEP = {
    2026: [date(2026, 3, 14), date(2026, 3, 21), date(2026, 3, 28), date(2026, 10, 31)],
    2027: [date(2027, 3, 20), date(2027, 3, 27), date(2027, 11, 6)],
    2028: [date(2028, 3, 18), date(2028, 3, 25), date(2028, 11, 4)],
    2029: [date(2029, 3, 17), date(2029, 3, 24), date(2029, 11, 3)],
    2030: [date(2030, 3, 16), date(2030, 3, 23), date(2030, 3, 30), date(2030, 11, 2)],
}


@pytest.mark.parametrize("year", sorted(OUT_OF_STEP))
def test_a_london_saturday_14_00_is_10_00_in_new_york_exactly_in_the_out_of_step_weeks(year: int) -> None:
    dates = RecurringSlot(SAT, 0, 60, LONDON).weekly_dates(date(year, 1, 1), 53)
    dates = [d for d in dates if d.year == year]
    (nyc,) = explain(london_saturday_14_00(), [person("nyc", NEW_YORK)], dates)
    at_ten = [d for p in nyc.periods if p.label == "Sat 10:00" for d in dates if p.first <= d <= p.last]
    assert at_ten == OUT_OF_STEP[year]
    assert {p.label for p in nyc.periods} == {"Sat 09:00", "Sat 10:00"}
    assert len(nyc.periods) == 5  # winter, March gap, summer, autumn gap, winter


def test_explain_lists_the_dates_a_member_loses_with_the_reason() -> None:
    nyc = person(
        "nyc",
        NEW_YORK,
        "Sat 12:00-13:30",
        [Unavailability(date(2026, 2, 14), date(2026, 2, 20), "on call")],
    )
    (fit,) = explain(RecurringSlot(SAT, 17 * 60, 90, LONDON), [nyc], saturdays(date(2026, 1, 3), 26))
    assert fit.lost == (
        LostDate(date(2026, 2, 14), "unavailable (on call)"),
        LostDate(date(2026, 3, 14), "Sat 13:00-14:30 local is outside their availability"),
        LostDate(date(2026, 3, 21), "Sat 13:00-14:30 local is outside their availability"),
        LostDate(date(2026, 3, 28), "Sat 13:00-14:30 local is outside their availability"),
    )
    assert not fit.every_date


def test_unavailability_without_a_reason_is_reported_as_plainly_unavailable() -> None:
    lagos = person("lagos", LAGOS, unavailable=[Unavailability(date(2026, 1, 10), date(2026, 1, 10))])
    (fit,) = explain(london_saturday_14_00(), [lagos], saturdays(date(2026, 1, 3), 2))
    assert fit.lost == (LostDate(date(2026, 1, 10), "unavailable"),)


def test_unavailability_is_the_reason_given_when_the_slot_is_also_outside_availability() -> None:
    away = Unavailability(date(2026, 3, 14), date(2026, 3, 14), "travel")
    nyc = person("nyc", NEW_YORK, "Sat 12:00-13:30", [away])
    (fit,) = explain(RecurringSlot(SAT, 17 * 60, 90, LONDON), [nyc], [date(2026, 3, 14)])
    assert fit.lost == (LostDate(date(2026, 3, 14), "unavailable (travel)"),)


def test_unavailability_is_read_on_the_members_own_local_date() -> None:
    # Saturday 14:00 in London on 10 January 2026 is Sunday 01:00 on 11 January in Sydney.
    off_saturday = person(
        "off.saturday", SYDNEY, "Sun 00:00-03:00", [Unavailability(date(2026, 1, 10), date(2026, 1, 10))]
    )
    off_sunday = person(
        "off.sunday", SYDNEY, "Sun 00:00-03:00", [Unavailability(date(2026, 1, 11), date(2026, 1, 11))]
    )
    saturday, sunday = explain(london_saturday_14_00(), [off_sunday, off_saturday], [date(2026, 1, 10)])
    assert saturday.member_id == "off.saturday"
    assert saturday.lost == ()
    assert saturday.every_date
    assert sunday.lost == (LostDate(date(2026, 1, 10), "unavailable"),)


def test_a_member_without_windows_is_explained_against_the_default() -> None:
    lagos = person("lagos", LAGOS)
    (fit,) = explain(london_saturday_14_00(), [lagos], [date(2026, 1, 10)])
    assert fit.every_date
    (late,) = explain(london_saturday_14_00(), [lagos], [date(2026, 1, 10)], parse_windows("Sun 10:00-12:00"))
    assert late.lost == (LostDate(date(2026, 1, 10), "Sat 15:00-16:30 local is outside their availability"),)


def test_explain_lists_members_in_id_order_with_their_zones() -> None:
    fits = explain(
        london_saturday_14_00(), [person("zed", SYDNEY), person("amy", LAGOS)], [date(2026, 1, 10)]
    )
    assert [(f.member_id, f.zone) for f in fits] == [("amy", LAGOS), ("zed", SYDNEY)]


# --- find_slots: the case-study group --------------------------------------------------------------


CASE_STUDY = [
    person("ng.benin", LAGOS),
    person("uk.leeds", LONDON),
    person("ca.toronto", TORONTO),
    person("us.baltimore", NEW_YORK),
    person("ca.vancouver", VANCOUVER),
]


def test_the_case_study_group_meets_at_saturday_17_00_london_where_everyone_has_daytime() -> None:
    # Default windows (Sat 09-21, Sun 12-21). Vancouver cannot start before 09:00 (UTC 17:00 in
    # winter) and a 90-minute meeting must end by 21:00 in Lagos (UTC 20:00): Sat 17:00-18:30 London.
    choice = find_slots(CASE_STUDY, anchor=LONDON, start=date(2026, 1, 3))
    assert choice.best.slot == RecurringSlot(SAT, 17 * 60, 90, LONDON)
    assert (choice.best.everyone, choice.best.member_dates, choice.best.worst_inconvenience) == (5, 130, 0)
    assert (choice.best.members, choice.best.dates) == (5, 26)
    assert [s.slot.start for s in choice.ranked[:4]] == [17 * 60, 17 * 60 + 30, 18 * 60, 18 * 60 + 30]
    assert all(s.everyone == 5 for s in choice.ranked[:4])
    assert choice.ranked[4].everyone < 5
    assert len(choice.ranked) == 5
    assert choice.dates == tuple(saturdays(date(2026, 1, 3), 26))
    assert all(fit.every_date for fit in choice.fits)
    by_id = {str(fit.member_id): periods_of(fit) for fit in choice.fits}
    assert by_id["ca.vancouver"] == [
        (date(2026, 1, 3), date(2026, 3, 7), "Sat 09:00"),
        (date(2026, 3, 14), date(2026, 3, 28), "Sat 10:00"),
        (date(2026, 4, 4), date(2026, 6, 27), "Sat 09:00"),
    ]


def test_anchored_in_lagos_the_case_study_group_meets_at_saturday_18_00_lagos() -> None:
    choice = find_slots(CASE_STUDY, anchor=LAGOS, start=date(2026, 1, 3))
    assert choice.best.slot == RecurringSlot(SAT, 18 * 60, 90, LAGOS)
    assert choice.best.everyone == 5
    by_id = {str(fit.member_id): periods_of(fit) for fit in choice.fits}
    assert by_id["uk.leeds"] == [
        (date(2026, 1, 3), date(2026, 3, 28), "Sat 17:00"),
        (date(2026, 4, 4), date(2026, 6, 27), "Sat 18:00"),
    ]
    assert by_id["us.baltimore"] == [
        (date(2026, 1, 3), date(2026, 3, 7), "Sat 12:00"),
        (date(2026, 3, 14), date(2026, 6, 27), "Sat 13:00"),
    ]


def test_the_explanation_of_the_choice_is_explain_of_the_best_slot_on_its_dates() -> None:
    members = [*CASE_STUDY, person("au.sydney", SYDNEY)]
    choice = find_slots(members, anchor=LONDON, start=date(2026, 1, 3), horizon=10)
    assert choice.fits == tuple(explain(choice.best.slot, members, choice.dates))
    assert choice.best.everyone == 5
    (sydney,) = [f for f in choice.fits if f.member_id == "au.sydney"]
    assert len(sydney.lost) == 10


# --- find_slots: the ranking, criterion by criterion -----------------------------------------------


JANUARY = date(2026, 1, 3)  # four Saturdays: 3, 10, 17 and 24 January 2026


def away(*days: int) -> list[Unavailability]:
    return [Unavailability(date(2026, 1, d), date(2026, 1, d)) for d in days]


def lagos_choice(members: list[Availability], days: Sequence[Weekday] = (SAT,)) -> SlotChoice:
    return find_slots(members, anchor=LAGOS, start=JANUARY, days=days, step=60, length=60, horizon=4)


def test_members_available_on_every_date_outrank_more_member_dates_in_all() -> None:
    choice = lagos_choice(
        [
            person("a", LAGOS, "Sat 10:00-11:00, Sat 14:00-15:00"),
            person("b", LAGOS, "Sat 10:00-11:00"),
            person("c", LAGOS, "Sat 14:00-15:00", away(10)),
            person("d", LAGOS, "Sat 14:00-15:00", away(17)),
        ]
    )
    # 10:00 keeps a and b on every date (8 member-dates); 14:00 keeps only a (but 4 + 3 + 3 = 10).
    assert (choice.best.slot.start, choice.best.everyone, choice.best.member_dates) == (10 * 60, 2, 8)
    assert (choice.ranked[1].slot.start, choice.ranked[1].everyone, choice.ranked[1].member_dates) == (
        14 * 60,
        1,
        10,
    )


def test_more_member_dates_outrank_a_fairer_local_time() -> None:
    choice = lagos_choice(
        [
            person("a", LAGOS, "Sat 07:00-08:00, Sat 12:00-13:00"),
            person("b", LAGOS, "Sat 07:00-08:00", away(10)),
            person("c", LAGOS, "Sat 12:00-13:00", away(10, 17)),
        ]
    )
    best, second = choice.ranked[:2]
    assert (best.slot.start, best.everyone, best.member_dates, best.worst_inconvenience) == (7 * 60, 1, 7, 60)
    assert (second.slot.start, second.everyone, second.member_dates, second.worst_inconvenience) == (
        12 * 60,
        1,
        6,
        0,
    )


def test_a_fairer_local_time_outranks_an_earlier_one() -> None:
    members = [person("a", LAGOS, "Sat 07:00-13:00")]
    choice = find_slots(
        members, anchor=LAGOS, start=JANUARY, days=(SAT,), step=60, length=60, horizon=4, top=6
    )
    assert (choice.best.slot.start, choice.best.worst_inconvenience) == (8 * 60, 0)
    assert [(s.slot.start // 60, s.member_dates, s.worst_inconvenience) for s in choice.ranked] == [
        (8, 4, 0),
        (9, 4, 0),
        (10, 4, 0),
        (11, 4, 0),
        (12, 4, 0),
        (7, 4, 60),
    ]


def test_fairness_finds_the_earliest_hour_that_is_daytime_in_both_lagos_and_vancouver() -> None:
    choice = lagos_choice(
        [person("lagos", LAGOS, "Sat 00:00-24:00"), person("van", VANCOUVER, "Sat 00:00-24:00")]
    )
    # Vancouver is nine hours behind Lagos in January: 17:00 Lagos is 08:00 in Vancouver.
    assert (choice.best.slot.start, choice.best.worst_inconvenience) == (17 * 60, 0)


def test_fairness_spares_the_worst_off_member_rather_than_minimising_the_total() -> None:
    always = (Window(0, MINUTES_PER_WEEK),)
    members = [
        Availability(MemberId("lagos"), LAGOS, always),  # UTC+1
        Availability(MemberId("van"), VANCOUVER, always),  # UTC-8 in January
        Availability(MemberId("syd"), SYDNEY, always),  # UTC+11 in January
    ]
    # No hour is daytime in all three. Lagos 06:00 is 21:00 in Vancouver and 16:00 in Sydney:
    # nobody pays more than an hour at weight 1 (total 120). Lagos 20:00 costs less in total
    # (Sydney 07:00: 60) but also 60 for the worst-off, and comes later in the day.
    choice = lagos_choice(members)
    assert (choice.best.slot.start, choice.best.worst_inconvenience) == (6 * 60, 60)
    assert [s.slot.start for s in choice.ranked] == [6 * 60, 7 * 60, 20 * 60, 21 * 60, 22 * 60]


def test_ties_go_to_the_first_allowed_day_in_the_order_given() -> None:
    members = [person("a", LAGOS, "Sat 00:00-24:00, Sun 00:00-24:00")]
    assert lagos_choice(members, days=(SAT, SUN)).best.slot.weekday is SAT
    sunday_first = lagos_choice(members, days=(SUN, SAT))
    assert (sunday_first.best.slot.weekday, sunday_first.best.slot.start) == (SUN, 8 * 60)
    assert sunday_first.dates[0] == date(2026, 1, 4)
    assert [s.slot.start for s in sunday_first.ranked] == [8 * 60, 9 * 60, 10 * 60, 11 * 60, 12 * 60]


def test_the_default_days_are_saturday_and_sunday() -> None:
    members = [person("a", LAGOS, "Fri 00:00-24:00, Sun 15:00-16:00")]
    choice = find_slots(members, anchor=LAGOS, start=JANUARY, step=60, length=60, horizon=4)
    assert (choice.best.slot.weekday, choice.best.slot.start, choice.best.everyone) == (SUN, 15 * 60, 1)
    friday = find_slots(members, anchor=LAGOS, start=JANUARY, days=(FRI,), step=60, length=60, horizon=4)
    assert (friday.best.slot.weekday, friday.best.slot.start) == (FRI, 8 * 60)


def test_the_groups_default_windows_apply_to_members_who_gave_none() -> None:
    choice = find_slots(
        [person("a", LAGOS)],
        anchor=LAGOS,
        start=JANUARY,
        step=60,
        length=60,
        horizon=4,
        default_windows=parse_windows("Sun 18:00-19:00"),
    )
    assert (choice.best.slot.weekday, choice.best.slot.start, choice.best.everyone) == (SUN, 18 * 60, 1)


def test_top_limits_how_many_ranked_slots_are_returned() -> None:
    choice = find_slots(CASE_STUDY, anchor=LONDON, start=JANUARY, horizon=2, top=2)
    assert len(choice.ranked) == 2
    assert choice.ranked[0] == choice.best


def test_members_may_be_given_as_any_iterable() -> None:
    choice = find_slots(iter(CASE_STUDY), anchor=LONDON, start=JANUARY, horizon=2)
    assert choice.best.members == 5


# --- find_slots: refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"step": 0}, "step"),
        ({"step": 7}, "step"),
        ({"step": 45}, "step"),
        ({"step": 90}, "step"),
        ({"days": ()}, "days"),
        ({"horizon": 0}, "horizon"),
        ({"horizon": 261}, "horizon"),
        ({"horizon": -3}, "horizon"),
        ({"length": 14}, "meeting length"),
        ({"length": 481}, "meeting length"),
    ],
)
def test_a_bad_search_setting_is_refused_with_a_hint(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        find_slots(CASE_STUDY, anchor=LONDON, start=JANUARY, **kwargs)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert raised.value.hint


def test_an_empty_group_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidValue) as raised:
        find_slots([], anchor=LONDON, start=JANUARY)
    assert raised.value.field == "members"
    assert raised.value.hint == "add members with their time zones"


@pytest.mark.parametrize(
    "kwargs",
    [{"step": 5, "horizon": 1}, {"step": 60, "horizon": 1}, {"length": 15}, {"length": 480}, {"horizon": 1}],
)
def test_the_edges_of_the_allowed_settings_are_accepted(kwargs: dict[str, int]) -> None:
    settings_ = {"step": 60, "horizon": 2, **kwargs}
    choice = find_slots(CASE_STUDY[:1], anchor=LAGOS, start=JANUARY, **settings_)  # type: ignore[arg-type]
    assert choice.best.dates == settings_["horizon"]


def test_a_horizon_of_260_dates_five_years_is_accepted() -> None:
    choice = find_slots(CASE_STUDY[:1], anchor=LAGOS, start=JANUARY, days=(SAT,), step=60, horizon=260)
    assert len(choice.dates) == 260
    assert choice.dates[-1] == date(2030, 12, 21)


# --- Properties ---------------------------------------------------------------------------------------


@given(
    anchor=st.sampled_from(ZONES),
    zone=st.sampled_from(ZONES),
    weekday=st.one_of(st.just(SUN), st.sampled_from(list(Weekday))),
    minute=st.one_of(SMALL_HOURS, st.integers(0, MINUTES_PER_DAY - 1)).map(lambda m: m - m % 15),
    first=st.dates(date(2026, 1, 1), date(2029, 12, 31)),
    count=st.integers(1, 53),
)
def test_a_members_reported_local_times_match_the_clock_rules_on_every_date(
    anchor: ZoneInfo, zone: ZoneInfo, weekday: Weekday, minute: int, first: date, count: int
) -> None:
    slot = RecurringSlot(weekday, minute, 60, anchor)
    dates = slot.weekly_dates(first, count)
    (fit,) = explain(slot, [Availability(MemberId("m"), zone)], dates)
    # The periods are runs: in date order, covering every date once, neighbours differing.
    assert fit.periods[0].first == dates[0]
    assert fit.periods[-1].last == dates[-1]
    for earlier, later in itertools.pairwise(fit.periods):
        assert later.first == earlier.last + timedelta(weeks=1)
        assert wall(later.local_start) != wall(earlier.local_start)
    for day in dates:
        (period,) = [p for p in fit.periods if p.first <= day <= p.last]
        by_hand = hand_local(
            zone, hand_instant(anchor, datetime.combine(day, time(minute // 60, minute % 60)))
        )
        # Through UTC: astimezone() into the same zone would keep a non-existent wall time as it is.
        asked = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=anchor)
        by_zoneinfo = asked.astimezone(UTC).astimezone(zone)
        assert wall(period.local_start) == wall(by_hand) == wall(by_zoneinfo)
        if day == period.first:
            assert period.local_start.replace(tzinfo=None) == by_hand
            assert period.local_start.tzinfo is zone


# A naive, independent scorer: every candidate, every date, every member, minute by minute.


def _weight(minute_of_day: int) -> int:
    hour = minute_of_day // 60
    if 8 <= hour < 21:
        return 0
    if hour in (6, 7, 21, 22):
        return 1
    return 3


@functools.cache
def naive_inconvenience(local_minute_of_day: int, length: int) -> int:
    return sum(_weight((local_minute_of_day + i) % MINUTES_PER_DAY) for i in range(length))


@dataclass(frozen=True)
class NaiveScore:
    key: tuple[int, int, int, int, int]
    weekday: Weekday
    start: int
    lost: dict[str, list[tuple[date, str]]]


def naive_free_minutes(windows: tuple[Window, ...]) -> list[int]:
    """Prefix sums of free minutes over two weeks running, so meetings can wrap the week."""
    free = [0] * MINUTES_PER_WEEK
    for w in windows:
        for m in range(w.start, w.end):
            free[m] = 1
    prefix = [0]
    for m in free + free:
        prefix.append(prefix[-1] + m)
    return prefix


def naive_rank(
    members: Sequence[Availability],
    anchor: ZoneInfo,
    start: date,
    days: Sequence[Weekday],
    step: int,
    length: int,
    horizon: int,
    default: tuple[Window, ...],
) -> list[NaiveScore]:
    free = {m.member_id: naive_free_minutes(m.windows or default) for m in members}
    scores = []
    for day_index, day in enumerate(days):
        first = next(
            start + timedelta(days=k) for k in range(7) if (start + timedelta(days=k)).weekday() == day
        )
        dates = [first + timedelta(days=7 * k) for k in range(horizon)]
        for minute in range(0, MINUTES_PER_DAY, step):
            walls = [datetime.combine(d, time(minute // 60, minute % 60), tzinfo=anchor) for d in dates]
            instants = [w.astimezone(UTC) for w in walls]
            everyone = member_dates = worst = 0
            lost: dict[str, list[tuple[date, str]]] = {}
            for m in members:
                ok = 0
                for d, instant in zip(dates, instants, strict=True):
                    local = instant.astimezone(m.zone)
                    local_minute = local.hour * 60 + local.minute
                    worst = max(worst, naive_inconvenience(local_minute, length))
                    week_minute = local.weekday() * MINUTES_PER_DAY + local_minute
                    prefix = free[m.member_id]
                    inside = prefix[week_minute + length] - prefix[week_minute] == length
                    away = [u for u in m.unavailable if u.first <= local.date() <= u.last]
                    if away:
                        lost.setdefault(m.member_id, []).append((d, "unavailable"))
                    elif not inside:
                        lost.setdefault(m.member_id, []).append((d, "outside"))
                    else:
                        ok += 1
                member_dates += ok
                everyone += ok == horizon
            key = (-everyone, -member_dates, worst, day_index, minute)
            scores.append(NaiveScore(key, day, minute, lost))
    return sorted(scores, key=lambda s: s.key)


TEMPLATES = (
    "",
    "Sat 09:00-13:00, Sun 14:00-20:00",
    "Sat 06:30-12:00",
    "Sat 14:00-21:00",
    "Sun 22:00-02:00",
    "Fri 22:00-01:00, Sat 08:00-23:00",
    "Sat 00:00-24:00, Sun 00:00-24:00",
    "Sat 12:00-18:00, Sun 16:00-20:00",
    "Sun 13:00-11:00",
)
_CLOCK = st.tuples(st.integers(0, 23), st.sampled_from([0, 30]))


@st.composite
def random_windows(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        day = draw(st.sampled_from(["Fri", "Sat", "Sun", "Mon"]))
        start, end = draw(_CLOCK), draw(_CLOCK)
        if start != end:
            parts.append(f"{day} {start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}")
    return ", ".join(parts)


@st.composite
def groups(draw: st.DrawFn, start: date) -> list[Availability]:
    members = []
    for n in range(draw(st.integers(1, 6))):
        text = draw(st.one_of(st.sampled_from(TEMPLATES), random_windows()))
        unavailable = []
        for _ in range(draw(st.integers(0, 2))):
            first = start + timedelta(days=draw(st.integers(-3, 75)))
            last = first + timedelta(days=draw(st.integers(0, 10)))
            unavailable.append(Unavailability(first, last, draw(st.sampled_from(["", "on call", "travel"]))))
        zone = draw(st.sampled_from(ZONES))
        members.append(Availability(MemberId(f"m{n}"), zone, parse_windows(text), tuple(unavailable)))
    return members


@dataclass(frozen=True)
class Search:
    members: list[Availability]
    anchor: ZoneInfo
    start: date
    days: tuple[Weekday, ...]
    length: int
    horizon: int
    default: tuple[Window, ...]

    def run(self, members: Sequence[Availability] | None = None) -> SlotChoice:
        return find_slots(
            self.members if members is None else members,
            anchor=self.anchor,
            start=self.start,
            days=self.days,
            step=60,
            length=self.length,
            horizon=self.horizon,
            default_windows=self.default,
        )


@st.composite
def searches(draw: st.DrawFn) -> Search:
    start = draw(
        st.one_of(
            st.dates(date(2026, 1, 1), date(2030, 12, 1)),
            st.sampled_from(CLOCK_CHANGE_SUNDAYS).map(lambda d: d - timedelta(days=30)),
        )
    )
    return Search(
        members=draw(groups(start)),
        anchor=draw(st.sampled_from(ZONES)),
        start=start,
        days=draw(st.sampled_from([(SAT, SUN), (SUN, SAT), (SAT,), (SUN,), (FRI, SAT, SUN)])),
        length=draw(st.sampled_from([15, 30, 60, 90, 120, 180])),
        horizon=draw(st.integers(4, 10)),
        default=draw(st.sampled_from([DEFAULT_WINDOWS, parse_windows("Sat 06:00-10:00, Sun 18:00-23:00")])),
    )


@settings(max_examples=150)
@given(searches())
def test_the_finders_choice_equals_an_exhaustive_search_on_small_groups(search: Search) -> None:
    choice = search.run()
    naive = naive_rank(
        search.members,
        search.anchor,
        search.start,
        search.days,
        60,
        search.length,
        search.horizon,
        search.default,
    )
    got = [
        (-s.everyone, -s.member_dates, s.worst_inconvenience, search.days.index(s.slot.weekday), s.slot.start)
        for s in choice.ranked
    ]
    assert got == [s.key for s in naive[: len(got)]]
    best = naive[0]
    assert (choice.best.slot.weekday, choice.best.slot.start) == (best.weekday, best.start)
    assert choice.best.slot.zone is search.anchor
    assert choice.best.slot.length == search.length
    assert (choice.best.members, choice.best.dates) == (len(search.members), search.horizon)
    lost = {
        fit.member_id: [
            (d.date, "unavailable" if d.reason.startswith("unavailable") else "outside") for d in fit.lost
        ]
        for fit in choice.fits
        if fit.lost
    }
    assert lost == best.lost
    assert sum(fit.every_date for fit in choice.fits) == choice.best.everyone


@settings(max_examples=50)
@given(searches(), st.randoms(use_true_random=False))
def test_the_finders_choice_does_not_depend_on_the_order_members_are_given_in(
    search: Search, rng: Random
) -> None:
    shuffled = list(search.members)
    rng.shuffle(shuffled)
    assert search.run(shuffled) == search.run()
    assert search.run(list(reversed(search.members))) == search.run()


def test_a_day_allowed_twice_is_refused() -> None:
    people = [Availability(MemberId("a"), ZoneInfo("Africa/Lagos"))]
    with pytest.raises(InvalidValue, match="allowed twice"):
        find_slots(
            people,
            anchor=ZoneInfo("Africa/Lagos"),
            start=date(2026, 3, 7),
            days=(Weekday.SATURDAY, Weekday.SATURDAY),
        )


def test_asking_for_no_candidates_is_refused() -> None:
    people = [Availability(MemberId("a"), ZoneInfo("Africa/Lagos"))]
    with pytest.raises(InvalidValue, match="top 0"):
        find_slots(people, anchor=ZoneInfo("Africa/Lagos"), start=date(2026, 3, 7), top=0)
