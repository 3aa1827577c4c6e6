"""Dates as a leader reads them (braingain.core.words): English names, whatever the locale."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from braingain.core.words import day_said, day_short, moment_said


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_a_day_is_said_as_strftime_says_it_in_english(day: date) -> None:
    assert day_said(day) == f"{day:%A} {day.day} {day:%B} {day.year}"
    assert day_short(day) == f"{day:%a} {day.day} {day:%b} {day.year}"


def test_a_moment_is_said_on_the_clock_of_the_zone_asked_for_with_the_zone_named() -> None:
    at = datetime(2027, 1, 16, 14, 5, tzinfo=ZoneInfo("Africa/Lagos"))
    assert moment_said(at) == "Saturday 16 January 2027, 14:05 (Africa/Lagos)"
    assert (
        moment_said(at, ZoneInfo("America/Vancouver"))
        == "Saturday 16 January 2027, 05:05 (America/Vancouver)"
    )
    assert moment_said(at - timedelta(hours=15), ZoneInfo("Asia/Tokyo")) == (
        "Saturday 16 January 2027, 07:05 (Asia/Tokyo)"
    )
