"""Reading what people typed: one spelling rule for every reader, and refusals that say why."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from enum import Enum
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.errors import InvalidValue
from braingain.core.ids import (
    check_id,
    dispute_id,
    entry_id,
    member_id,
    output_id,
    project_id,
    task_id,
)
from braingain.core.parsing import (
    before,
    clean_text,
    header_key,
    normalize_key,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_enum,
    parse_enum_list,
    parse_int,
    require_aware,
    require_text,
    split_list,
    unique,
)


class Day(Enum):
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"
    PUBLIC_HOLIDAY = "Public holiday"


DAY_ALIASES = {"Sat": Day.SATURDAY, "Sun": Day.SUNDAY, "Bank holiday": Day.PUBLIC_HOLIDAY}


# --- normalize_key and clean_text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Sat", "SAT"),
        ("saturday", "  Saturday "),
        ("Writing – original draft", "writing - original draft"),
        ("Writing — original draft", "Writing-original draft"),
        ("data_curation", "Data   curation"),
        ("Master’s", "master's"),
        ("Review & editing", "review editing"),
        ("a/b", "a b"),
        ("Ph.D.", "ph d"),
        ("Non-government\norganization", "non government organization"),
    ],
)
def test_spellings_that_differ_only_in_case_dashes_dots_or_spacing_have_the_same_key(
    one: str, other: str
) -> None:
    assert normalize_key(one) == normalize_key(other)


def test_a_key_is_lower_case_words_separated_by_single_spaces() -> None:
    assert normalize_key("  Writing – Review & Editing. ") == "writing review editing"
    assert normalize_key("Côte d’Ivoire") == "cote d'ivoire"


def test_control_characters_are_dropped_from_typed_text() -> None:
    assert clean_text("Ada\x00 Obi\x1b") == "Ada Obi"


@pytest.mark.parametrize(("one", "other"), [("MSc", "MBA"), ("Sat", "Sun"), ("PhD", "Ph D x")])
def test_different_words_keep_different_keys(one: str, other: str) -> None:
    assert normalize_key(one) != normalize_key(other)


def test_clean_text_collapses_white_space_but_keeps_case_and_punctuation() -> None:
    assert clean_text("  Ada \t Okafor\n(Lagos) ") == "Ada Okafor (Lagos)"


@pytest.mark.parametrize(
    "typed",
    [
        "SR-T01\u00a0",  # a no-break space, as pasted from a web page
        "\u202fSR-T01",  # a narrow no-break space
        "SR-\u200bT01",  # a zero-width space
        "\ufeffSR-T01",  # a byte-order mark at the start of a pasted cell
        "SR-T\u206001",  # a word joiner
        "SR-T\u00ad01",  # a soft hyphen
    ],
)
def test_invisible_and_no_break_spaces_are_cleaned_away(typed: str) -> None:
    assert clean_text(typed) == "SR-T01"


def test_zero_width_joiners_stay_in_values_because_some_scripts_need_them() -> None:
    assert clean_text("\u0915\u094d\u200d\u0937") == "\u0915\u094d\u200d\u0937"


@pytest.mark.parametrize(
    "typed",
    [
        "Max\u00a0volunteers",
        "max volunteers",
        "  MAX   VOLUNTEERS ",
        "Max\u200b volunteers",
        "Max\u200dvolunteers".replace("\u200d", " \u200d"),
        "\uff2dax volunteers",  # a full-width M
        "Max\tvolunteers",
    ],
)
def test_a_header_is_matched_whatever_spaces_and_case_it_was_typed_with(typed: str) -> None:
    assert header_key(typed) == header_key("Max volunteers")


@pytest.mark.parametrize("typed", ["Max-volunteers", "Max volunteer", "Maxvolunteers", "Max volunteers 2"])
def test_a_header_spelled_differently_is_a_different_header(typed: str) -> None:
    assert header_key(typed) != header_key("Max volunteers")


# --- require_text --------------------------------------------------------------------------------


def test_required_text_is_returned_cleaned() -> None:
    assert require_text("  A  systematic   review ", "title") == "A systematic review"


@pytest.mark.parametrize("empty", ["", " ", "\n\t "])
def test_empty_text_is_refused_where_text_is_required(empty: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        require_text(empty, "title")

    assert caught.value.field == "title"
    assert caught.value.reason == "is empty"
    assert caught.value.hint == "fill it in"
    assert str(caught.value) == "title: is empty (fill it in)"


def test_text_longer_than_the_limit_is_refused_with_its_length_and_the_limit() -> None:
    assert require_text("x" * 20, "title", max_length=20) == "x" * 20

    with pytest.raises(InvalidValue) as caught:
        require_text("x" * 21, "title", max_length=20)

    assert caught.value.field == "title"
    assert caught.value.reason == "is 21 characters long"
    assert "20 characters" in caught.value.hint


def test_the_length_limit_defaults_to_500_characters_after_cleaning() -> None:
    assert require_text("x" * 500, "note") == "x" * 500
    assert require_text("  " + "x" * 500 + "  ", "note") == "x" * 500
    with pytest.raises(InvalidValue, match="is 501 characters long"):
        require_text("x" * 501, "note")


# --- split_list ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("MBBS; MPH", ["MBBS", "MPH"]),
        ("Academia, Government", ["Academia", "Government"]),
        ("Academia\nGovernment;NGO", ["Academia", "Government", "NGO"]),
        (" Data   curation ; ; , ", ["Data curation"]),
        ("Single", ["Single"]),
        ("", []),
        (" ;, \n", []),
    ],
)
def test_a_list_cell_splits_on_semicolons_commas_and_new_lines(cell: str, parts: list[str]) -> None:
    assert split_list(cell) == parts


# --- parse_enum and parse_enum_list --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("Saturday", Day.SATURDAY),
        ("saturday", Day.SATURDAY),
        ("  SATURDAY ", Day.SATURDAY),
        ("public holiday", Day.PUBLIC_HOLIDAY),
        ("PUBLIC_HOLIDAY", Day.PUBLIC_HOLIDAY),
        ("Public-Holiday", Day.PUBLIC_HOLIDAY),
        ("Sat", Day.SATURDAY),
        ("SAT", Day.SATURDAY),
        ("sun", Day.SUNDAY),
        ("bank holiday", Day.PUBLIC_HOLIDAY),
    ],
)
def test_an_enum_is_matched_by_value_name_or_alias_in_any_spelling(typed: str, day: Day) -> None:
    assert parse_enum(Day, typed, "meeting day", aliases=DAY_ALIASES) is day


def test_an_alias_is_only_used_when_given() -> None:
    with pytest.raises(InvalidValue):
        parse_enum(Day, "Sat", "meeting day")


def test_an_unknown_enum_value_is_refused_with_the_allowed_values() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_enum(Day, "  Fun   day ", "meeting day", aliases=DAY_ALIASES)

    assert caught.value.field == "meeting day"
    assert caught.value.reason == "'Fun day' is not one of the allowed values"
    assert caught.value.hint == "use one of 'Saturday', 'Sunday', 'Public holiday'"


def test_an_enum_list_keeps_the_typed_order_and_drops_repeats() -> None:
    days = parse_enum_list(Day, "Sunday; sat, SUNDAY\nSaturday", "days", aliases=DAY_ALIASES)

    assert days == (Day.SUNDAY, Day.SATURDAY)


def test_an_empty_enum_list_is_empty() -> None:
    assert parse_enum_list(Day, " ", "days") == ()


def test_one_unknown_entry_refuses_the_whole_enum_list() -> None:
    with pytest.raises(InvalidValue, match="'Monday' is not one of the allowed values"):
        parse_enum_list(Day, "Saturday; Monday", "days")


# --- dates and times -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"), [("2026-03-14", date(2026, 3, 14)), (" 2024-02-29 ", date(2024, 2, 29))]
)
def test_an_iso_date_is_read(typed: str, day: date) -> None:
    assert parse_date(typed, "due") == day


@pytest.mark.parametrize(
    "typed",
    ["14/03/2026", "03/14/2026", "14.03.2026", "14 March 2026", "2026-02-30", "2025-02-29", "", "soon"],
)
def test_a_date_that_is_not_iso_is_refused_with_a_hint_not_guessed_at(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_date(typed, "due")

    assert caught.value.field == "due"
    assert caught.value.reason == f"{typed!r} is not a date"
    assert caught.value.hint == "write dates as YYYY-MM-DD, for example 2026-03-14"


@pytest.mark.parametrize(
    ("typed", "instant_utc", "offset"),
    [
        ("2026-03-14T10:00+01:00", datetime(2026, 3, 14, 9, 0, tzinfo=UTC), timedelta(hours=1)),
        ("2026-03-14T10:00:30-05:00", datetime(2026, 3, 14, 15, 0, 30, tzinfo=UTC), timedelta(hours=-5)),
        ("2026-03-14T10:00Z", datetime(2026, 3, 14, 10, 0, tzinfo=UTC), timedelta(0)),
        (" 2026-03-14 10:00+00:00 ", datetime(2026, 3, 14, 10, 0, tzinfo=UTC), timedelta(0)),
    ],
)
def test_a_date_and_time_with_its_offset_is_read_as_that_instant(
    typed: str, instant_utc: datetime, offset: timedelta
) -> None:
    parsed = parse_datetime(typed, "meeting")

    assert parsed == instant_utc
    assert parsed.utcoffset() == offset


@pytest.mark.parametrize("typed", ["2026-03-14T10:00", "2026-03-14 10:00:00", "2026-03-14"])
def test_a_date_and_time_without_an_offset_is_refused(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_datetime(typed, "meeting")

    assert caught.value.field == "meeting"
    assert caught.value.reason == "has no time zone"
    assert "2026-03-14T10:00+01:00" in caught.value.hint


@pytest.mark.parametrize("typed", ["tomorrow at 10", "14/03/2026 10:00", "2026-03-14T25:00+01:00", ""])
def test_text_that_is_not_a_date_and_time_is_refused_with_the_expected_form(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_datetime(typed, "meeting")

    assert caught.value.reason == f"{typed!r} is not a date and time"
    assert "YYYY-MM-DDTHH:MM with its offset" in caught.value.hint


class _NoOffset(tzinfo):
    """A zone that does not know its offset (as some third-party zones answer)."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


def test_an_aware_date_and_time_is_returned_as_it_is() -> None:
    lagos_morning = datetime(2026, 3, 7, 10, 0, tzinfo=timezone(timedelta(hours=1)))

    assert require_aware(lagos_morning, "at") is lagos_morning


@pytest.mark.parametrize(
    "naive", [datetime(2026, 3, 7, 10, 0), datetime(2026, 3, 7, 10, 0, tzinfo=_NoOffset())]
)
def test_a_date_and_time_without_a_usable_zone_is_refused(naive: datetime) -> None:
    with pytest.raises(InvalidValue) as caught:
        require_aware(naive, "submitted at")

    assert caught.value.field == "submitted at"
    assert caught.value.reason == "has no time zone"
    assert "UTC offset or a zone" in caught.value.hint


# --- yes/no --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["yes", "Yes", " YES ", "y", "Y", "true", "TRUE", "1", "x", "X", "✓"])
def test_yes_and_its_spellings_mean_true(typed: str) -> None:
    assert parse_bool(typed, "volunteer") is True


@pytest.mark.parametrize("typed", ["no", "No", "n", "N", "false", "FALSE", "0", "", "   ", "-"])
def test_no_its_spellings_and_an_empty_or_dashed_cell_mean_false(typed: str) -> None:
    assert parse_bool(typed, "volunteer") is False


@pytest.mark.parametrize("typed", ["maybe", "2", "si", "yes please", "nope"])
def test_anything_else_is_refused_as_yes_or_no(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_bool(typed, "volunteer")

    assert caught.value.field == "volunteer"
    assert caught.value.reason == f"{typed!r} is not yes or no"
    assert caught.value.hint == "write yes or no"


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("5", Decimal(5)),
        ("2.5", Decimal("2.5")),
        (" -1.25 ", Decimal("-1.25")),
        ("0.10", Decimal("0.10")),
        ("0.500", Decimal("0.5")),  # a thousands group never follows a lone zero
        ("1,000.5", Decimal("1000.5")),  # the dot says the comma groups thousands
        ("12,345.50", Decimal("12345.50")),
        ("-1,000,000", Decimal(-1000000)),  # two groups: a decimal comma appears only once
        ("12 500", Decimal(12500)),  # a space never marks decimals
        ("12\u00a0500", Decimal(12500)),
        ("1\u202f234\u202f567.25", Decimal("1234567.25")),
        ("\u22125", Decimal(-5)),  # a typographic minus
        ("2.5000", Decimal("2.5")),
        ("1e3", Decimal(1000)),
    ],
)
def test_a_number_is_read_exactly(typed: str, number: Decimal) -> None:
    parsed = parse_decimal(typed, "points")

    assert parsed == number
    assert isinstance(parsed, Decimal)


def test_decimal_numbers_add_up_exactly() -> None:
    assert parse_decimal("0.1", "points") + parse_decimal("0.2", "points") == Decimal("0.3")


@pytest.mark.parametrize(
    "typed",
    ["abc", "", "2.5 points", "five", "1.2.3", "--1", "1,,000", "1,000,0", "1'000", "50%", "1,00,000"],
)
def test_text_in_a_number_column_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_decimal(typed, "points")

    assert caught.value.field == "points"
    assert caught.value.reason == f"{typed!r} is not a number"
    assert caught.value.hint == "write a number such as 5 or 2.5"


@pytest.mark.parametrize(
    ("typed", "dotted"),
    [
        ("2,5", "2.5"),
        ("0,75", "0.75"),
        ("0,500", "0.500"),  # the Ledger adjustment that was read as 500 points
        ("-0,500", "-0.500"),
        ("1,00", "1.00"),
        ("1,0000", "1.0000"),
        (",5", "0.5"),
        ("1.234,5", "1234.5"),
        ("1 234,50", "1234.50"),
        ("12\u00a0500,5", "12500.5"),
    ],
)
def test_a_decimal_comma_is_refused_with_the_number_written_with_a_dot(typed: str, dotted: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_decimal(typed, "points")

    assert caught.value.reason == f"{clean_text(typed)!r} is not a number"
    assert "use a dot for decimals, e.g. 2.5" in caught.value.hint
    assert f"write {dotted};" in caught.value.hint
    assert parse_decimal(dotted, "points") == Decimal(dotted)  # the hint is itself readable


@pytest.mark.parametrize(
    ("typed", "small", "big", "written"),
    [
        ("1,000", "1", "1000", "1"),
        ("12,500", "12.5", "12500", "12.5"),
        ("1,234", "1.234", "1234", "1.2340"),
        ("1.000", "1", "1000", "1"),
        ("2.500", "2.5", "2500", "2.5"),
        ("-1.500", "-1.5", "-1500", "-1.5"),
        ("100.000", "100", "100000", "100"),
    ],
)
def test_one_group_of_three_digits_could_be_a_thousand_or_a_decimal_and_is_refused_with_both(
    typed: str, small: str, big: str, written: str
) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_decimal(typed, "points")

    assert caught.value.reason == f"{typed!r} could be {small} or {big}"
    assert f"write {big} (no thousands separator) or {written} (a dot for decimals)" == caught.value.hint
    assert parse_decimal(big, "points") == Decimal(big)
    assert parse_decimal(written, "points") == Decimal(small)


@pytest.mark.parametrize("typed", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf"])
def test_not_a_number_and_infinity_are_refused(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_decimal(typed, "points")

    assert caught.value.field == "points"
    assert "is not a finite number" in caught.value.reason
    assert caught.value.hint == "write a number such as 5 or 2.5"


@pytest.mark.parametrize(
    ("typed", "number"),
    [("3", 3), (" 3.0 ", 3), ("-2", -2), ("1,000,000", 1000000), ("2 000", 2000), ("0", 0)],
)
def test_a_whole_number_is_read_as_an_int(typed: str, number: int) -> None:
    parsed = parse_int(typed, "max volunteers")

    assert parsed == number
    assert type(parsed) is int


def test_a_fraction_is_refused_where_a_whole_number_is_needed() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_int("2.5", "max volunteers")

    assert caught.value.field == "max volunteers"
    assert caught.value.reason == "'2.5' is not a whole number"


@pytest.mark.parametrize("typed", ["abc", "NaN", "Infinity", "2,5", "1,000", "2.000"])
def test_a_whole_number_column_refuses_what_a_number_column_refuses(typed: str) -> None:
    with pytest.raises(InvalidValue, match=r"is not a|could be"):
        parse_int(typed, "max volunteers")


# --- unique --------------------------------------------------------------------------------------


def test_unique_values_are_returned_in_order() -> None:
    assert unique(["b", "a", "c"], "authors") == ("b", "a", "c")
    assert unique([], "authors") == ()


def test_a_repeated_value_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        unique(["ada", "bola", "ada"], "authors")

    assert caught.value.field == "authors"
    assert caught.value.reason == "'ada' appears twice"
    assert caught.value.hint == "list it once"


def test_unique_compares_values_exactly() -> None:
    assert unique(["ada", "Ada"], "authors") == ("ada", "Ada")


# --- ids -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("adaeze.okafor", "adaeze.okafor"),
        ("SR-T07", "SR-T07"),
        ("  x:y_z ", "x:y_z"),
        ("7", "7"),
        ("a" * 64, "a" * 64),
    ],
)
def test_an_id_is_1_to_64_letters_digits_and_separators(typed: str, kept: str) -> None:
    assert check_id(typed, "task") == kept


@pytest.mark.parametrize("bad", ["", "  ", "-a", ".a", "_a", ":a", "a b", "a/b", "a@b", "é", "a" * 65])
def test_anything_else_is_refused_as_an_id_with_the_rule(bad: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        check_id(bad, "task")

    assert caught.value.field == "task"
    assert caught.value.reason == f"{bad.strip()!r} is not a valid id"
    assert (
        caught.value.hint == "use 1-64 letters, digits, '.', '-', '_' or ':', starting with a letter or digit"
    )


def test_each_kind_of_id_is_checked_and_names_its_field() -> None:
    makers = [member_id, project_id, task_id, output_id, entry_id, dispute_id]
    fields = ["member", "project", "task", "output", "entry", "dispute"]
    for make, field in zip(makers, fields, strict=True):
        assert make(" ok-1 ") == "ok-1"
        with pytest.raises(InvalidValue) as caught:
            make("not ok")
        assert caught.value.field == field


def test_a_ledger_entry_id_may_be_up_to_160_characters_as_it_joins_a_task_and_a_member_id() -> None:
    assert entry_id("e" * 160) == "e" * 160
    with pytest.raises(InvalidValue) as caught:
        entry_id("e" * 161)

    assert caught.value.field == "entry"
    assert "use 1-160 letters" in caught.value.hint
    with pytest.raises(InvalidValue, match="use 1-64 letters"):
        task_id("t" * 65)


LONDON_ZONE = ZoneInfo("Europe/London")


@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
    minutes=st.integers(min_value=1, max_value=24 * 60 - 1),
)
def test_hours_before_a_moment_are_real_hours_whatever_the_clocks_do(start: datetime, minutes: int) -> None:
    at = start.replace(tzinfo=LONDON_ZONE)
    span = timedelta(minutes=minutes)
    assert before(at, span).astimezone(UTC) == at.astimezone(UTC) - span


@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
    days=st.integers(min_value=1, max_value=30),
)
def test_days_before_a_moment_keep_its_time_on_the_calendar(start: datetime, days: int) -> None:
    at = start.replace(tzinfo=LONDON_ZONE, fold=0).astimezone(UTC).astimezone(LONDON_ZONE)
    found = before(at, timedelta(days=days))
    assert found.date() == at.date() - timedelta(days=days)
    wall = datetime.combine(found.date(), at.time())
    if wall.replace(tzinfo=LONDON_ZONE).astimezone(UTC).astimezone(LONDON_ZONE).time() == at.time():
        assert found.time() == at.time()  # unless that time does not exist that day
