"""Values echoed in messages: quoted, and never longer than about 80 characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from braingain.core.errors import QUOTE_LIMIT, clip, quote


def test_a_short_value_is_quoted_whole() -> None:
    assert quote("Mars/Olympus") == "'Mars/Olympus'"
    assert quote(3.5) == "'3.5'"


def test_a_long_value_is_cut_and_its_length_said() -> None:
    shown = quote("x" * 32_000)
    assert shown.startswith("'xxxx")
    assert shown.endswith("… (32,000 characters)")
    assert len(shown) <= QUOTE_LIMIT + 10


def test_line_breaks_and_control_characters_show_escaped() -> None:
    assert quote("a\nb") == "'a\\nb'"


@given(st.text(max_size=2_000))
def test_no_value_is_ever_shown_longer_than_about_the_limit(value: str) -> None:
    assert len(quote(value)) <= 4 * QUOTE_LIMIT + 40  # each character escaped takes at most 4


def test_clip_keeps_short_text_and_says_when_it_cut() -> None:
    assert clip("fine", 10) == "fine"
    cut = clip("y" * 100, 40)
    assert len(cut) == 40
    assert cut.endswith("(shortened)")
