"""Points: exact two-place decimals, split to the cent without ever losing one."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.authorship.points import (
    CENT,
    ZERO,
    Tally,
    comparable,
    exact_split,
    points,
    rounded,
    split,
)
from braingain.core.errors import InvalidValue

# --- points() ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (10, "10.00"),
        (0, "0.00"),
        ("2.5", "2.50"),
        (" 7 ", "7.00"),
        ("1.230", "1.23"),
        (Decimal("3.33"), "3.33"),
        (Decimal("1E+1"), "10.00"),
        (2.3, "2.30"),
        (0.1, "0.10"),
    ],
)
def test_points_are_exact_decimals_with_two_places(value: Decimal | int | float | str, text: str) -> None:
    amount = points(value)

    assert isinstance(amount, Decimal)
    assert str(amount) == text
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("value", ["1.234", "0.001", Decimal("3.335"), 2.345, "10.0001"])
def test_points_with_more_than_two_decimal_places_are_refused_not_rounded(
    value: Decimal | float | str,
) -> None:
    with pytest.raises(InvalidValue) as caught:
        points(value, "points worth")

    assert caught.value.field == "points worth"
    assert "has more than two decimal places" in caught.value.reason
    assert caught.value.hint == "round it to 0.01"


@pytest.mark.parametrize(
    "value", ["NaN", "Infinity", "-Infinity", Decimal("NaN"), float("inf"), float("nan")]
)
def test_points_that_are_not_finite_are_refused(value: Decimal | float | str) -> None:
    with pytest.raises(InvalidValue) as caught:
        points(value)

    assert caught.value.field == "points"
    assert "is not a finite number" in caught.value.reason
    assert caught.value.hint == "write a number such as 5 or 2.5"


@pytest.mark.parametrize("value", ["abc", "", "2,5", "five points"])
def test_text_that_is_not_a_number_is_refused_as_points(value: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        points(value)

    assert caught.value.field == "points"
    assert caught.value.reason == f"{value!r} is not a number"
    assert caught.value.hint == "write a number such as 5 or 2.5"


# --- split(): examples ---------------------------------------------------------------------------


def test_ten_points_shared_by_three_give_3_34_3_33_and_3_33() -> None:
    assert split(Decimal(10), ["ada", "bola", "chidi"]) == {
        "ada": Decimal("3.34"),
        "bola": Decimal("3.33"),
        "chidi": Decimal("3.33"),
    }


def test_a_left_over_cent_goes_to_the_first_key_whatever_the_listed_order() -> None:
    parts = split(Decimal(10), ["chidi", "bola", "ada"])

    assert parts == {"ada": Decimal("3.34"), "bola": Decimal("3.33"), "chidi": Decimal("3.33")}
    assert list(parts) == ["chidi", "bola", "ada"]


def test_an_equal_split_that_divides_evenly_is_even() -> None:
    assert split(Decimal(9), ["a", "b", "c"]) == {"a": Decimal(3), "b": Decimal(3), "c": Decimal(3)}


def test_one_cent_among_three_goes_to_one_of_them() -> None:
    assert split(Decimal("0.01"), ["c", "a", "b"]) == {"c": ZERO, "a": CENT, "b": ZERO}


def test_nothing_split_gives_everyone_nothing() -> None:
    assert split(Decimal(0), ["a", "b"]) == {"a": ZERO, "b": ZERO}


def test_a_weighted_split_follows_the_weights() -> None:
    parts = split(Decimal(10), {"ada": Decimal(2), "bola": Decimal(1), "chidi": Decimal(1)})

    assert parts == {"ada": Decimal("5.00"), "bola": Decimal("2.50"), "chidi": Decimal("2.50")}


def test_a_weighted_split_gives_the_left_over_cent_to_the_largest_remainder() -> None:
    # Exact shares 3.333… and 6.666…: the cent goes to the larger remainder, not the first key.
    assert split(Decimal(10), {"ada": Decimal(1), "bola": Decimal(2)}) == {
        "ada": Decimal("3.33"),
        "bola": Decimal("6.67"),
    }


def test_weights_need_not_add_up_to_anything_in_particular() -> None:
    as_percent = split(Decimal("12.50"), {"a": Decimal(60), "b": Decimal(40)})
    as_fraction = split(Decimal("12.50"), {"a": Decimal("0.6"), "b": Decimal("0.4")})

    assert as_percent == as_fraction == {"a": Decimal("7.50"), "b": Decimal("5.00")}


def test_a_single_contributor_gets_everything() -> None:
    assert split(Decimal("7.77"), ["ada"]) == {"ada": Decimal("7.77")}


def test_a_negative_total_also_splits_to_the_cent() -> None:
    parts = split(Decimal(-1), ["a", "b", "c"])

    assert sum(parts.values()) == Decimal("-1.00")
    assert sorted(parts.values()) == [Decimal("-0.34"), Decimal("-0.33"), Decimal("-0.33")]


def test_every_part_has_two_decimal_places() -> None:
    for part in split(Decimal(10), {"a": Decimal(3), "b": Decimal(7)}).values():
        assert part.as_tuple().exponent == -2


@pytest.mark.parametrize("nobody", [[], {}])
def test_splitting_among_nobody_is_refused(nobody: list[str] | dict[str, Decimal]) -> None:
    with pytest.raises(InvalidValue) as caught:
        split(Decimal(10), nobody)

    assert caught.value.field == "shares"
    assert caught.value.reason == "has no one to split among"


@pytest.mark.parametrize("bad", [Decimal(0), Decimal(-1), Decimal("-0.01")])
def test_a_share_of_zero_or_less_is_refused(bad: Decimal) -> None:
    with pytest.raises(InvalidValue) as caught:
        split(Decimal(10), {"ada": Decimal(1), "bola": bad})

    assert caught.value.field == "shares"
    assert caught.value.reason == "every share must be greater than zero"


def test_a_total_with_more_than_two_decimal_places_is_refused() -> None:
    with pytest.raises(InvalidValue, match="more than two decimal places"):
        split(Decimal("10.005"), ["a", "b"])


# --- split(): properties -------------------------------------------------------------------------

totals = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("100000.00"), places=2, allow_nan=False, allow_infinity=False
)
weight_values = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal(1000), places=2, allow_nan=False, allow_infinity=False
)
weight_maps = st.dictionaries(
    keys=st.text(alphabet="abcdefghijklmnop.-", min_size=1, max_size=8),
    values=weight_values,
    min_size=1,
    max_size=30,
)
member_lists = st.lists(
    st.text(alphabet="abcdefgh", min_size=1, max_size=6), min_size=1, max_size=30, unique=True
)


@given(total=totals, weights=weight_maps)
def test_the_parts_of_a_weighted_split_always_add_up_to_the_total_exactly(
    total: Decimal, weights: dict[str, Decimal]
) -> None:
    parts = split(total, weights)

    assert set(parts) == set(weights)
    assert sum(parts.values(), ZERO) == total
    assert all(part.as_tuple().exponent == -2 for part in parts.values())


@given(total=totals, weights=weight_maps)
def test_every_part_is_within_one_cent_of_its_exact_share(
    total: Decimal, weights: dict[str, Decimal]
) -> None:
    parts = split(total, weights)

    weight_sum = sum((Fraction(w) for w in weights.values()), Fraction(0))
    for key, weight in weights.items():
        exact_share = Fraction(total) * Fraction(weight) / weight_sum
        assert abs(Fraction(parts[key]) - exact_share) < Fraction(CENT)
        assert parts[key] >= ZERO


@given(total=totals, weights=weight_maps, data=st.data())
def test_a_split_does_not_depend_on_the_order_of_the_weights(
    total: Decimal, weights: dict[str, Decimal], data: st.DataObject
) -> None:
    reordered = dict(data.draw(st.permutations(list(weights.items()))))

    assert split(total, reordered) == split(total, weights)


@given(total=totals, members=member_lists)
def test_an_equal_split_gives_everyone_the_same_give_or_take_one_cent(
    total: Decimal, members: list[str]
) -> None:
    parts = split(total, members)

    assert sum(parts.values(), ZERO) == total
    assert max(parts.values()) - min(parts.values()) <= CENT
    # The extra cents go to the first members in key order.
    ordered = [parts[m] for m in sorted(members)]
    assert ordered == sorted(ordered, reverse=True)


# --- exact_split(), Tally and rounded(): what comparisons use ------------------------------------


def test_the_exact_split_of_ten_points_among_three_is_a_third_each() -> None:
    parts = exact_split(Decimal(10), ["chidi", "ada", "bola"])
    assert {k: (p.shown, p.exact) for k, p in parts.items()} == {
        "chidi": (Decimal("3.33"), Fraction(10, 3)),
        "ada": (Decimal("3.34"), Fraction(10, 3)),
        "bola": (Decimal("3.33"), Fraction(10, 3)),
    }
    weighted = exact_split(Decimal(10), {"ada": Decimal(2), "bola": Decimal("1.0")})
    assert {k: (p.shown, p.exact) for k, p in weighted.items()} == {
        "ada": (Decimal("6.67"), Fraction(20, 3)),
        "bola": (Decimal("3.33"), Fraction(10, 3)),
    }


def test_an_exact_split_refuses_what_a_split_refuses() -> None:
    with pytest.raises(InvalidValue, match="names someone twice"):
        exact_split(Decimal(10), ["a", "a"])
    with pytest.raises(InvalidValue, match="greater than zero"):
        exact_split(Decimal(10), {"a": Decimal(0)})


@given(total=totals, weights=weight_maps)
def test_the_exact_parts_add_up_to_the_total_and_the_split_rounds_them(
    total: Decimal, weights: dict[str, Decimal]
) -> None:
    parts = exact_split(total, weights)
    assert sum((p.exact for p in parts.values()), Fraction(0)) == total
    assert {k: p.shown for k, p in parts.items()} == split(total, weights)
    for part in parts.values():
        assert abs(Fraction(part.shown) - part.exact) < Fraction(CENT)


@given(total=totals, members=member_lists, weight=weight_values)
def test_equal_weights_give_exactly_equal_parts_whatever_the_keys(
    total: Decimal, members: list[str], weight: Decimal
) -> None:
    assert len({p.exact for p in exact_split(total, members).values()}) == 1
    assert len({p.exact for p in exact_split(total, dict.fromkeys(members, weight)).values()}) == 1


def test_a_tally_adds_shown_and_exact_points_separately() -> None:
    third = exact_split(Decimal(10), ["a", "b", "c"])["a"]
    assert (third.shown, third.exact) == (Decimal("3.34"), Fraction(10, 3))
    cent_more = third + Tally.of(Decimal("0.01"))
    assert (cent_more.shown, cent_more.exact) == (Decimal("3.35"), Fraction(10, 3) + Fraction(1, 100))
    assert Tally() + third == third
    sixth = exact_split(Decimal(1), ["a", "b", "c", "d", "e", "f"])["f"]  # 0.16 shown, 1/6 exact
    both = third + sixth
    assert (both.shown, both.exact) == (Decimal("3.50"), Fraction(7, 2))
    assert both == Tally.of(Decimal("3.50")), "tallies are equal when shown and exact points are"


def test_comparable_numbers_order_and_tie_tallies_by_their_exact_points() -> None:
    a, b, c = exact_split(Decimal(10), ["a", "b", "c"]).values()  # 3.34, 3.33, 3.33: 10/3 each
    sixth = exact_split(Decimal(1), ["a", "b", "c", "d", "e", "f"])["f"]
    keys = comparable(
        {"a": a, "b": b, "c": c, "sixth": sixth, "cent": Tally.of(Decimal("0.01")), "d": a + sixth}
    )
    assert keys["a"] == keys["b"] == keys["c"]
    assert sorted(keys, key=keys.__getitem__) == ["cent", "sixth", "a", "b", "c", "d"]
    assert comparable({}) == {}


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(10, 3), 4, "3.3333"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(-1, 8), 2, "-0.13"),
        (Fraction(5), 3, "5.000"),
    ],
)
def test_exact_points_are_shown_rounded_half_away_from_zero(value: Fraction, places: int, text: str) -> None:
    assert str(rounded(value, places)) == text
