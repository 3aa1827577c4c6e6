"""When members can meet: weekly windows in their own local time, and dated exceptions."""

from __future__ import annotations

import itertools
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.errors import InvalidValue
from braingain.core.ids import MemberId
from braingain.core.schedule.availability import (
    DEFAULT_WINDOWS,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    WEEKEND,
    Availability,
    Unavailability,
    Weekday,
    Window,
    covered,
    hhmm,
    merge,
    parse_windows,
)
from tests.builders import LAGOS

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def at(day: Weekday, hours: int, minutes: int = 0) -> int:
    """Minute of the week, worked out by hand: Monday 00:00 is 0."""
    return day * MINUTES_PER_DAY + hours * 60 + minutes


def window(day: Weekday, start: tuple[int, int], end_day: Weekday, end: tuple[int, int]) -> Window:
    return Window(at(day, *start), at(end_day, *end))


SAT, SUN, MON, FRI = Weekday.SATURDAY, Weekday.SUNDAY, Weekday.MONDAY, Weekday.FRIDAY
SAT_9_TO_13 = window(SAT, (9, 0), SAT, (13, 0))


# --- Weekday ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Sat", Weekday.SATURDAY),
        ("sat", Weekday.SATURDAY),
        ("SATURDAY", Weekday.SATURDAY),
        (" Saturday ", Weekday.SATURDAY),
        ("sa", Weekday.SATURDAY),
        ("Sun", Weekday.SUNDAY),
        ("su", Weekday.SUNDAY),
        ("Mon", Weekday.MONDAY),
        ("Tue", Weekday.TUESDAY),
        ("Tues", Weekday.TUESDAY),
        ("tu", Weekday.TUESDAY),
        ("Wednesday", Weekday.WEDNESDAY),
        ("Thu", Weekday.THURSDAY),
        ("Thur", Weekday.THURSDAY),
        ("Thurs", Weekday.THURSDAY),
        ("th", Weekday.THURSDAY),
        ("Fri", Weekday.FRIDAY),
    ],
)
def test_a_day_may_be_written_in_full_abbreviated_or_in_any_case(text: str, day: Weekday) -> None:
    assert Weekday.parse(text) is day


@pytest.mark.parametrize("text", ["Satur", "S", "Funday", "", "6"])
def test_a_word_that_is_not_a_day_is_refused_with_the_day_spellings_as_hint(text: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Weekday.parse(text, field="meeting day")
    assert raised.value.field == "meeting day"
    assert "Mon, Tue, Wed, Thu, Fri, Sat or Sun" in raised.value.hint


def test_weekdays_are_numbered_as_date_weekday_numbers_them() -> None:
    assert date(2026, 3, 7).weekday() == Weekday.SATURDAY  # a Saturday
    assert date(2026, 3, 8).weekday() == Weekday.SUNDAY
    assert date(2026, 3, 9).weekday() == Weekday.MONDAY


def test_a_weekday_has_a_short_name_and_a_label() -> None:
    assert Weekday.SATURDAY.short == "Sat"
    assert Weekday.SATURDAY.label == "Saturday"
    assert WEEKEND == (Weekday.SATURDAY, Weekday.SUNDAY)


# --- hhmm ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "00:00"), (545, "09:05"), (1439, "23:59"), (1440, "24:00")]
)
def test_minutes_after_midnight_are_written_as_hh_mm_and_midnight_at_the_end_as_24_00(
    minutes: int, text: str
) -> None:
    assert hhmm(minutes) == text


# --- parse_windows ------------------------------------------------------------------------------


def test_the_issue_example_parses_to_a_saturday_morning_and_a_sunday_afternoon() -> None:
    assert parse_windows("Sat 09:00-13:00, Sun 14:00-20:00") == (
        Window(5 * 1440 + 9 * 60, 5 * 1440 + 13 * 60),
        Window(6 * 1440 + 14 * 60, 6 * 1440 + 20 * 60),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Sat 09:00-13:00",
        "Saturday 09:00-13:00",
        "sat 9-13",
        "SA 0900-1300",
        "Sat 9:00 to 13:00",
        "Sat 09:00 - 13:00",
        "Sat 09:00–13:00",
        "Sat 09:00 — 13:00",
        "  Sat   09:00-13:00  ",
    ],
)
def test_windows_may_be_written_with_any_day_spelling_and_time_style(text: str) -> None:
    assert parse_windows(text) == (SAT_9_TO_13,)


@pytest.mark.parametrize(
    "text",
    [
        "Sat 09:00-13:00, Sun 14:00-20:00",
        "Sat 09:00-13:00; Sun 14:00-20:00",
        "Sat 09:00-13:00\nSun 14:00-20:00",
    ],
)
def test_windows_may_be_separated_by_commas_semicolons_or_new_lines(text: str) -> None:
    assert parse_windows(text) == (SAT_9_TO_13, window(SUN, (14, 0), SUN, (20, 0)))


def test_an_empty_cell_means_no_windows_so_the_default_applies() -> None:
    assert parse_windows("") == ()
    assert parse_windows(" , ; ") == ()


def test_windows_are_returned_in_week_order_whatever_order_they_were_written_in() -> None:
    assert parse_windows("Sun 14:00-20:00, Mon 18:00-19:00, Sat 09:00-13:00") == (
        window(MON, (18, 0), MON, (19, 0)),
        SAT_9_TO_13,
        window(SUN, (14, 0), SUN, (20, 0)),
    )


def test_a_window_crossing_midnight_runs_into_the_next_day() -> None:
    # Split at midnight, then joined again because the two halves touch.
    assert parse_windows("Fri 22:00-01:00") == (window(FRI, (22, 0), SAT, (1, 0)),)


def test_a_sunday_night_window_is_split_at_the_week_boundary_into_monday_morning() -> None:
    assert parse_windows("Sun 22:00-02:00") == (
        window(MON, (0, 0), MON, (2, 0)),
        Window(at(SUN, 22), MINUTES_PER_WEEK),
    )


def test_a_window_ending_at_midnight_may_be_written_as_24_00_or_00_00() -> None:
    expected = (window(SAT, (20, 0), SUN, (0, 0)),)
    assert parse_windows("Sat 20:00-24:00") == expected
    assert parse_windows("Sat 20:00-00:00") == expected


def test_sunday_until_midnight_ends_at_the_end_of_the_week() -> None:
    assert parse_windows("Sun 20:00-00:00") == (Window(at(SUN, 20), MINUTES_PER_WEEK),)


def test_overlapping_and_touching_windows_are_merged_and_separate_ones_kept_apart() -> None:
    assert parse_windows("Sat 11:00-13:00, Sat 09:00-12:00, Sat 13:00-14:00, Sat 15:00-16:00") == (
        window(SAT, (9, 0), SAT, (14, 0)),
        window(SAT, (15, 0), SAT, (16, 0)),
    )


def test_a_window_inside_another_is_absorbed() -> None:
    assert parse_windows("Sat 09:00-17:00, Sat 10:00-11:00") == (window(SAT, (9, 0), SAT, (17, 0)),)


def test_a_saturday_window_to_midnight_joins_a_sunday_window_from_midnight() -> None:
    assert parse_windows("Sat 09:00-24:00, Sun 00:00-20:00") == (window(SAT, (9, 0), SUN, (20, 0)),)


def test_merge_sorts_and_joins_windows_given_in_any_order() -> None:
    assert merge([Window(300, 400), Window(100, 200), Window(200, 250), Window(390, 500)]) == (
        Window(100, 250),
        Window(300, 500),
    )
    assert merge([]) == ()


@pytest.mark.parametrize(
    "text",
    [
        "Saturday morning",
        "09:00-13:00",
        "Sat 09:00",
        "Sat 9am-1pm",
        "Sat 09:00-13:00 Sun 14:00-20:00",
        "Sat 09:00/13:00",
        "Sat 9:5-13:00",
    ],
)
def test_text_that_is_not_a_window_is_refused_with_a_hint_naming_the_format(text: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_windows(text)
    assert raised.value.field == "availability"
    assert "Sat 09:00-13:00, Sun 14:00-20:00" in raised.value.hint


def test_a_bad_window_names_the_column_it_came_from() -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_windows("Sat 09:00-13:00, whenever", field="Weekly availability")
    assert raised.value.field == "Weekly availability"
    assert "'whenever'" in raised.value.reason


def test_an_unknown_day_is_refused_with_the_day_spellings_as_hint() -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_windows("Sad 09:00-13:00")
    assert "Sat or Sun" in raised.value.hint


@pytest.mark.parametrize(
    "text", ["Sat 25:00-26:00", "Sat 09:60-10:00", "Sat 10:00-24:30", "Sat 99:00-10:00", "Sat 10:00-10:75"]
)
def test_impossible_times_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_windows(text)
    assert "impossible time" in raised.value.reason
    assert raised.value.hint == "use 00:00 to 24:00"


@pytest.mark.parametrize("text", ["Sat 09:00-09:00", "Sat 00:00-00:00", "Sat 24:00-24:00"])
def test_a_window_that_ends_where_it_starts_is_refused_as_empty(text: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_windows(text)
    assert "empty" in raised.value.reason
    assert raised.value.hint


# --- Window --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [(10, 10), (20, 10), (-1, 30), (0, MINUTES_PER_WEEK + 1)])
def test_a_window_must_be_non_empty_and_within_one_week(start: int, end: int) -> None:
    with pytest.raises(InvalidValue):
        Window(start, end)


def test_a_window_may_span_the_whole_week() -> None:
    assert Window(0, MINUTES_PER_WEEK).end == 7 * 24 * 60


@pytest.mark.parametrize(
    ("win", "text"),
    [
        (SAT_9_TO_13, "Sat 09:00-13:00"),
        (window(MON, (0, 0), MON, (2, 30)), "Mon 00:00-02:30"),
        (window(FRI, (22, 0), SAT, (1, 0)), "Fri 22:00-01:00"),
        (window(SAT, (20, 0), SUN, (0, 0)), "Sat 20:00-24:00"),
        (Window(at(SUN, 22), MINUTES_PER_WEEK), "Sun 22:00-24:00"),
        (window(SAT, (13, 0), SUN, (12, 0)), "Sat 13:00-12:00"),
    ],
)
def test_a_window_is_written_as_its_day_and_local_times(win: Window, text: str) -> None:
    assert str(win) == text


@pytest.mark.parametrize(
    ("win", "text"),
    [
        (window(SAT, (9, 0), SUN, (20, 0)), "Sat 09:00-24:00, Sun 00:00-20:00"),
        (window(SAT, (9, 0), SUN, (9, 0)), "Sat 09:00-24:00, Sun 00:00-09:00"),
        (Window(at(SAT, 0), MINUTES_PER_WEEK), "Sat 00:00-24:00, Sun 00:00-24:00"),
        (window(FRI, (18, 0), SUN, (2, 0)), "Fri 18:00-24:00, Sat 00:00-24:00, Sun 00:00-02:00"),
    ],
)
def test_a_window_of_a_day_or_more_is_written_day_by_day(win: Window, text: str) -> None:
    assert str(win) == text


_DAY = st.sampled_from(DAY_NAMES)
_CLOCK = st.tuples(st.integers(0, 24), st.sampled_from([0, 15, 30, 45])).filter(
    lambda t: t[0] < 24 or t[1] == 0
)


@st.composite
def window_texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        start, end = draw(_CLOCK), draw(_CLOCK)
        if start == end or start == (24, 0):
            continue
        parts.append(f"{draw(_DAY)} {start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}")
    return ", ".join(parts)


@given(window_texts())
def test_written_windows_read_back_as_the_same_windows(text: str) -> None:
    windows = parse_windows(text)
    assert parse_windows(", ".join(str(w) for w in windows)) == windows


@given(window_texts())
def test_parsed_windows_are_sorted_within_the_week_and_neither_touch_nor_overlap(text: str) -> None:
    windows = parse_windows(text)
    for w in windows:
        assert 0 <= w.start < w.end <= MINUTES_PER_WEEK
    for earlier, later in itertools.pairwise(windows):
        assert earlier.end < later.start


@given(window_texts())
def test_parsing_keeps_exactly_the_minutes_that_were_written(text: str) -> None:
    written: set[int] = set()
    for part in filter(None, text.split(", ")):
        day_name, times = part.split(" ")
        first, last = times.split("-")
        start = DAY_NAMES.index(day_name) * 1440 + int(first[:2]) * 60 + int(first[3:])
        length = (int(last[:2]) * 60 + int(last[3:]) - (start % 1440)) % 1440 or 1440
        written |= {(start + i) % MINUTES_PER_WEEK for i in range(length)}
    kept = {m for w in parse_windows(text) for m in range(w.start, w.end)}
    assert kept == written


# --- covered -------------------------------------------------------------------------------------


def test_a_meeting_is_covered_only_if_it_lies_wholly_inside_a_window() -> None:
    windows = parse_windows("Sat 09:00-13:00")
    assert covered(windows, at(SAT, 9), 240)
    assert covered(windows, at(SAT, 11, 30), 90)
    assert not covered(windows, at(SAT, 11, 30), 91)
    assert not covered(windows, at(SAT, 8, 59), 60)
    assert not covered(windows, at(SUN, 9), 60)


def test_a_meeting_straddling_two_separate_windows_is_not_covered() -> None:
    windows = parse_windows("Sat 09:00-11:00, Sat 11:30-13:00")
    assert not covered(windows, at(SAT, 10, 30), 60)


def test_a_meeting_across_two_touching_windows_is_covered_because_they_merge() -> None:
    windows = parse_windows("Sat 09:00-11:00, Sat 11:00-13:00")
    assert covered(windows, at(SAT, 10, 30), 60)


def test_a_meeting_may_cross_midnight_inside_a_window_that_crosses_midnight() -> None:
    windows = parse_windows("Fri 22:00-01:00")
    assert covered(windows, at(FRI, 23, 30), 90)
    assert not covered(windows, at(FRI, 23, 30), 91)


def test_a_sunday_night_meeting_is_covered_across_the_week_boundary_into_monday() -> None:
    windows = parse_windows("Sun 22:00-02:00")
    assert covered(windows, at(SUN, 23), 120)
    assert covered(windows, at(SUN, 22), 240)
    assert not covered(windows, at(SUN, 23), 181)
    assert not covered(windows, at(SUN, 21, 30), 60)
    assert covered(windows, at(MON, 0, 30), 60)


def test_a_sunday_window_to_midnight_does_not_cover_monday_without_a_monday_window() -> None:
    windows = parse_windows("Sun 20:00-24:00, Mon 09:00-10:00")
    assert covered(windows, at(SUN, 23), 60)
    assert not covered(windows, at(SUN, 23), 61)


def test_a_meeting_start_beyond_the_week_wraps_round_to_the_same_minute_of_the_week() -> None:
    windows = parse_windows("Sat 09:00-13:00")
    assert covered(windows, at(SAT, 10) + MINUTES_PER_WEEK, 60)
    assert covered(windows, at(SAT, 10) - MINUTES_PER_WEEK, 60)


def test_a_window_covering_the_whole_week_covers_a_meeting_across_the_week_boundary() -> None:
    assert covered((Window(0, MINUTES_PER_WEEK),), at(SUN, 23, 30), 60)


def test_no_windows_cover_nothing() -> None:
    assert not covered((), at(SAT, 12), 15)


@given(window_texts(), st.integers(0, MINUTES_PER_WEEK - 1), st.integers(15, 480))
def test_covered_agrees_with_a_minute_by_minute_check(text: str, start: int, length: int) -> None:
    windows = parse_windows(text)
    free = {m for w in windows for m in range(w.start, w.end)}
    expected = all((start + i) % MINUTES_PER_WEEK in free for i in range(length))
    assert covered(windows, start, length) is expected


# --- Availability and the default ---------------------------------------------------------------


def test_the_default_is_weekend_daytime_saturday_09_to_21_and_sunday_12_to_21() -> None:
    weekend_daytime = (window(SAT, (9, 0), SAT, (21, 0)), window(SUN, (12, 0), SUN, (21, 0)))
    assert weekend_daytime == DEFAULT_WINDOWS
    assert [str(w) for w in DEFAULT_WINDOWS] == ["Sat 09:00-21:00", "Sun 12:00-21:00"]


def test_a_member_with_no_windows_gets_the_default() -> None:
    member = Availability(MemberId("ada.obiora"), LAGOS)
    assert member.effective_windows() == DEFAULT_WINDOWS


def test_the_default_is_configurable() -> None:
    member = Availability(MemberId("ada.obiora"), LAGOS)
    evenings = parse_windows("Fri 18:00-21:00")
    assert member.effective_windows(evenings) == evenings


def test_a_member_with_windows_keeps_their_own_not_the_default() -> None:
    own = parse_windows("Sun 14:00-20:00")
    member = Availability(MemberId("uyi.omoregbe"), LAGOS, own)
    assert member.effective_windows() == own
    assert member.effective_windows(parse_windows("Sat 09:00-10:00")) == own


# --- Unavailability ------------------------------------------------------------------------------


def test_unavailability_includes_its_first_and_last_dates() -> None:
    away = Unavailability(date(2026, 3, 14), date(2026, 3, 21), "on call")
    assert not away.covers(date(2026, 3, 13))
    assert away.covers(date(2026, 3, 14))
    assert away.covers(date(2026, 3, 17))
    assert away.covers(date(2026, 3, 21))
    assert not away.covers(date(2026, 3, 22))


def test_unavailability_may_be_a_single_day() -> None:
    away = Unavailability(date(2026, 3, 14), date(2026, 3, 14))
    assert away.covers(date(2026, 3, 14))
    assert not away.covers(date(2026, 3, 15))
    assert away.reason == ""


def test_unavailability_ending_before_it_starts_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidValue) as raised:
        Unavailability(date(2026, 3, 21), date(2026, 3, 14), "travel")
    assert raised.value.field == "unavailable"
    assert "Saturday 14 March 2026" in raised.value.reason
    assert "Saturday 21 March 2026" in raised.value.reason
    assert raised.value.hint == "check both dates"


def test_a_member_is_unavailable_on_a_date_inside_any_of_their_periods_with_its_reason() -> None:
    on_call = Unavailability(date(2026, 3, 14), date(2026, 3, 15), "on call")
    travel = Unavailability(date(2026, 4, 1), date(2026, 4, 10), "travel")
    member = Availability(MemberId("segun.adeyemo"), LAGOS, unavailable=(on_call, travel))
    assert member.unavailable_on(date(2026, 3, 15)) == on_call
    assert member.unavailable_on(date(2026, 4, 4)) == travel
    assert member.unavailable_on(date(2026, 3, 16)) is None
    assert member.unavailable_on(date(2026, 3, 31)) is None


def test_a_member_who_declared_nothing_is_never_unavailable() -> None:
    member = Availability(MemberId("ada.obiora"), LAGOS)
    assert member.unavailable_on(date(2026, 3, 14)) is None


def test_touching_windows_given_directly_are_joined_so_a_meeting_across_the_join_fits() -> None:
    sat = 5 * 24 * 60
    person = Availability(
        MemberId("a"), ZoneInfo("Africa/Lagos"), (Window(sat + 540, sat + 660), Window(sat + 660, sat + 780))
    )
    assert person.windows == (Window(sat + 540, sat + 780),)
    assert covered(person.windows, sat + 600, 90)


def test_a_window_starting_at_24_00_is_refused_with_a_hint_to_start_the_next_day() -> None:
    with pytest.raises(InvalidValue, match="starts at 24:00") as caught:
        parse_windows("Sat 24:00-02:00")
    assert "00:00 on the next day" in caught.value.hint
