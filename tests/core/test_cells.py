"""One reading of dates, times and numbers for both backends; one written form that reads back as written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from braingain.core.errors import InvalidValue
from braingain.core.tracker import cells
from braingain.core.tracker.schema import Cell

LAGOS, VANCOUVER = ZoneInfo("Africa/Lagos"), ZoneInfo("America/Vancouver")
ZONES = [
    ZoneInfo(z) for z in ("Africa/Lagos", "America/Vancouver", "Europe/London", "Australia/Lord_Howe", "UTC")
]


@pytest.mark.parametrize(
    ("serial", "moment"),
    [
        (cells.FIRST_SERIAL, datetime(1950, 1, 1)),
        (46396, datetime(2027, 1, 9)),
        (46396.75, datetime(2027, 1, 9, 18)),
        (2_958_465, datetime(9999, 12, 31)),
    ],
)
def test_a_serial_number_is_the_day_a_spreadsheet_shows_for_it(serial: float, moment: datetime) -> None:
    assert cells.serial_moment(serial) == moment
    assert cells.to_serial(moment) == serial


@pytest.mark.parametrize(
    "serial", [cells.FIRST_SERIAL - 1, 0, -1, 2026, 2_958_466, float("nan"), float("inf")]
)
def test_numbers_outside_the_dates_of_a_tracker_are_not_serial_dates(serial: float) -> None:
    assert cells.serial_moment(serial) is None


@pytest.mark.parametrize(
    "value", [46396, 46396.0, date(2027, 1, 9), datetime(2027, 1, 9), "2027-01-09", " 2027-01-09\u00a0"]
)
def test_a_date_reads_the_same_from_a_date_cell_a_serial_or_iso_text(value: Cell) -> None:
    assert cells.date_value(value) == date(2027, 1, 9)


@pytest.mark.parametrize(
    "value",
    [
        46396.25,
        datetime(2027, 1, 9, 6),
        "2027-01-09T06:00",
        "2027-01-09 06:00 Africa/Lagos",
        "2027-01-09 05:00Z",
        "2027-01-09 06:00 +01:00",
        "2027-01-09 06:00 +01:00 Africa/Lagos",
        "2027-01-09 06:00 (Africa/Lagos)",
        datetime(2027, 1, 9, 6, tzinfo=LAGOS),
    ],
)
def test_a_date_time_reads_the_same_whichever_way_it_was_written(value: Cell) -> None:
    assert cells.datetime_value(value, LAGOS) == datetime(2027, 1, 9, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "gives"),
    [
        ("2027-01-09 06:00", False),
        (datetime(2027, 1, 9, 6), False),
        (46396.25, False),
        ("2027-01-09 06:00 Africa/Lagos", True),
        ("2027-01-09 06:00+01:00", True),
        ("2027-01-09T05:00Z", True),
        (datetime(2027, 1, 9, 6, tzinfo=LAGOS), True),
    ],
)
def test_a_date_time_says_whether_it_names_its_own_zone(value: Cell, gives: bool) -> None:
    assert cells.gives_zone(value) is gives


@given(
    st.datetimes(min_value=datetime(1950, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(ZONES),
)
@example(datetime(2000, 10, 29, 0, 0, tzinfo=UTC), ZoneInfo("Europe/London"))  # 01:00 passes twice
@example(datetime(2000, 10, 29, 1, 0, tzinfo=UTC), ZoneInfo("Europe/London"))
def test_what_braingain_writes_reads_back_as_the_same_minute_and_is_written_the_same_again(
    at: datetime, zone: ZoneInfo
) -> None:
    text = cells.moment_text(at, zone)
    back = cells.datetime_value(text, VANCOUVER)  # the reader's default zone does not matter
    assert back is not None
    assert back == at.replace(second=0, microsecond=0)
    assert cells.moment_text(back, zone) == text


def test_a_time_the_clocks_pass_twice_is_written_with_its_offset() -> None:
    first = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    assert cells.moment_text(first, VANCOUVER) == "2026-11-01 01:30 -07:00 America/Vancouver"
    assert (
        cells.moment_text(first + timedelta(hours=1), VANCOUVER)
        == "2026-11-01 01:30 -08:00 America/Vancouver"
    )
    assert cells.moment_text(datetime(2026, 11, 28, 9, tzinfo=UTC), LAGOS) == "2026-11-28 10:00 Africa/Lagos"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-11-01 01:30", "happens twice in America/Vancouver"),
        ("2026-03-08 02:30", "does not exist in America/Vancouver"),
        ("2026-11-28 10:00 +25:00", "is not a UTC offset"),
        ("2026-11-28 10:00 EST", "is not a time zone braingain knows"),
        ("1949-12-31 10:00", "is before 1950"),
        (12.5, "'12.5' is not a date and time"),
        (False, "'no' is not a date and time"),
    ],
)
def test_a_date_time_that_cannot_be_placed_is_refused(value: Cell, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        cells.datetime_value(value, VANCOUVER)
    assert reason in caught.value.explained


@pytest.mark.parametrize(
    ("value", "number"), [(3, 3), (3.0, 3), ("3", 3), ("1 000", 1000), ("1,000,000", 1000000)]
)
def test_a_whole_number_cell_is_read_as_an_int(value: Cell, number: int) -> None:
    assert cells.integer(value) == number


@pytest.mark.parametrize(
    ("value", "reason"), [(2.5, "'2.5' is not a whole number"), ("2,000", "could be 2 or 2000")]
)
def test_a_whole_number_cell_refuses_a_fraction_and_an_ambiguous_grouping(value: Cell, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        cells.integer(value)
    assert reason in caught.value.explained


def test_a_hint_never_suggests_a_value_its_column_then_refuses() -> None:
    """Points take two decimal places and Max volunteers whole numbers: the hints say so."""
    with pytest.raises(InvalidValue) as refused:
        cells.points_value("7.555")
    assert "7.5550" not in refused.value.hint
    assert "write 7555" in refused.value.hint
    for typed in ("two", "2.5"):
        with pytest.raises(InvalidValue) as refused:
            cells.integer(typed)
        assert refused.value.hint == "write a whole number such as 3"
        assert "2.5" not in refused.value.hint
