"""An ORCID iD is read however people paste it and refused when mistyped; affiliations are read as
papers write them ("institution…, city, country"), several to a cell."""

from __future__ import annotations

from datetime import date

import pytest

from braingain.core.authorship.icmje import UNREADABLE_RECORD, Output, OutputKind
from braingain.core.errors import InvalidValue
from braingain.core.scholarly import Orcid, affiliation, affiliations, orcid_check_character
from braingain.sample import SR, sample_group

CARBERRY = "0000-0002-1825-0097"
"""Josiah Carberry's ORCID iD: ORCID's own fictional example."""


# --- ORCID iD ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        CARBERRY,
        "0000000218250097",  # hyphenless
        " 0000-0002-1825-0097 ",
        "0000 0002 1825 0097",  # as some CVs space it
        "https://orcid.org/0000-0002-1825-0097",
        "http://orcid.org/0000-0002-1825-0097",
        "orcid.org/0000-0002-1825-0097",
        "HTTPS://ORCID.ORG/0000-0002-1825-0097",
        "ORCID: 0000-0002-1825-0097",
        "https://orcid.org/0000-0002-1825-0097/",  # pasted from the address bar
        "<https://orcid.org/0000-0002-1825-0097>",  # as a mail program quotes an address
        "<0000-0002-1825-0097>",
        "orcid.org/0000-0002-1825-0097/",
        "https://www.orcid.org/0000-0002-1825-0097",
    ],
)
def test_an_orcid_id_is_read_bare_hyphenless_or_as_its_address(typed: str) -> None:
    found = Orcid.parse(typed)
    assert found.value == CARBERRY
    assert found.uri == "https://orcid.org/0000-0002-1825-0097"


def test_an_orcid_id_ending_in_x_is_read_with_a_lower_case_x_too() -> None:
    base = "000000010001307"
    assert orcid_check_character(base) == "X"
    assert Orcid.parse("0000-0001-0001-307x").value == "0000-0001-0001-307X"
    assert Orcid.parse("000000010001307x").value == "0000-0001-0001-307X"


def _mistyped() -> list[str]:
    """Every single-digit mistyping and every swap of two neighbouring different characters of
    Carberry's iD: the check character catches each one (ISO 7064 MOD 11-2 is built to)."""
    digits = CARBERRY.replace("-", "")
    found = set()
    for i, was in enumerate(digits):
        for other in "0123456789X" if i == 15 else "0123456789":
            if other != was:
                found.add(digits[:i] + other + digits[i + 1 :])
    for i in range(15):
        if digits[i] != digits[i + 1]:
            found.add(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])
    return sorted(found)


MISTYPED = _mistyped()


def test_every_mistyped_digit_and_every_swap_of_two_neighbours_is_refused_by_the_check_character() -> None:
    assert len(MISTYPED) > 150
    for typed in MISTYPED:
        with pytest.raises(InvalidValue) as refused:
            Orcid.parse(typed)
        assert "is not a valid ORCID iD" in refused.value.reason, typed
        assert "mistyped or two are swapped" in refused.value.explained, typed


def test_a_wrong_check_character_says_which_it_should_be() -> None:
    with pytest.raises(InvalidValue) as refused:
        Orcid.parse("0000-0002-1825-0098", field="ORCID iD")
    assert refused.value.field == "ORCID iD"
    assert "should be 7" in refused.value.reason


def test_two_digits_swapped_across_a_hyphen_are_refused() -> None:
    with pytest.raises(InvalidValue, match="not a valid ORCID iD"):
        Orcid.parse("0000-0002-1852-0097")  # 25 -> 52


@pytest.mark.parametrize(
    "typed",
    [
        "0000-0002-1825-009",  # a digit short
        "0000-0002-1825-00977",  # one too many
        "0000-0002-1825",
        "0000-0002-1825-00X7",  # X only last
        "0000-0002-18250-097",
        "https://orcid.org/",
        "https://example.org/0000-0002-1825-0097",
        "Josiah Carberry",
        "10.1136/bmjopen-2021-000123",
    ],
)
def test_what_is_not_sixteen_characters_in_the_orcid_form_is_refused_with_where_to_copy_it(
    typed: str,
) -> None:
    with pytest.raises(InvalidValue) as refused:
        Orcid.parse(typed)
    assert "is not an ORCID iD" in refused.value.reason
    assert "copy it from the member's ORCID record" in refused.value.explained


# --- affiliations --------------------------------------------------------------------------------


def test_an_affiliation_is_its_institution_city_and_country() -> None:
    found = affiliation("University of Benin, Benin City, Nigeria")
    assert (found.institution, found.city, found.country.code) == ("University of Benin", "Benin City", "NG")
    assert found.label == "University of Benin, Benin City, Nigeria"


def test_a_department_first_stays_with_its_institution() -> None:
    found = affiliation(
        "Department of Paediatrics, University of Benin Teaching Hospital, Benin City, Nigeria"
    )
    assert found.institution == "Department of Paediatrics, University of Benin Teaching Hospital"
    assert found.city == "Benin City"


def test_commas_inside_the_institution_are_kept() -> None:
    found = affiliation(
        "School of Medicine, College of Medical Sciences, University of Benin, Benin City, Nigeria"
    )
    assert found.institution == "School of Medicine, College of Medical Sciences, University of Benin"


@pytest.mark.parametrize(
    ("typed", "code", "name"),
    [
        ("UCL, London, UK", "GB", "United Kingdom"),
        ("UCL, London, England", "GB", "United Kingdom"),
        ("UCL, London, GB", "GB", "United Kingdom"),
        ("Columbia University, New York, USA", "US", "United States"),
        ("Columbia University, New York, United States of America", "US", "United States"),
        ("University of Lagos, Lagos, ng", "NG", "Nigeria"),
        ("UCL, London, U.K.", "GB", "United Kingdom"),
        ("UCL, London, U.K", "GB", "United Kingdom"),
        ("Columbia University, New York, U.S.", "US", "United States"),
        ("Columbia University, New York, U.S.A.", "US", "United States"),
        ("Columbia University, New York, U. S. A.", "US", "United States"),
        ("University of Lagos, Lagos, N.G.", "NG", "Nigeria"),
        ("Seoul National University, Seoul, Korea, Republic of", "KR", "South Korea"),
        ("Muhimbili University, Dar es Salaam, Tanzania, United Republic of", "TZ", "Tanzania"),
    ],
)
def test_a_country_is_read_by_its_name_code_or_alias_even_one_written_with_a_comma(
    typed: str, code: str, name: str
) -> None:
    found = affiliation(typed)
    assert found.country.code == code
    assert found.label.endswith(f", {name}")


@pytest.mark.parametrize(
    ("typed", "city"),
    [
        ("Johns Hopkins University, Baltimore, MD, USA", "Baltimore, MD"),
        ("Stanford University, Stanford, CA 94305, USA", "Stanford, CA 94305"),
        ("Emory University, Atlanta, Georgia, United States", "Atlanta, Georgia"),
        ("Faculty of Dentistry, University of Toronto, Toronto, ON M5S 1A8, Canada", "Toronto, ON M5S 1A8"),
        ("BC Centre for Disease Control, Vancouver, British Columbia, Canada", "Vancouver, British Columbia"),
        ("Irrua Specialist Teaching Hospital, Irrua, Edo State, Nigeria", "Irrua, Edo State"),
    ],
)
def test_a_state_or_province_after_the_city_stays_with_the_city_not_the_institution(
    typed: str, city: str
) -> None:
    found = affiliation(typed)
    assert found.city == city
    assert found.label.startswith(found.institution + ", " + city)


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        ("University of Benin, Nigeria",
         "'University of Benin, Nigeria' needs an institution, a city and a country"),
        ("University of Benin", "needs an institution, a city and a country"),
        ("University of Benin, , Nigeria", "needs an institution, a city and a country"),
        ("Lagos University Teaching Hospital, Idi-Araba, Lagos",
         "in 'Lagos University Teaching Hospital, Idi-Araba, Lagos', 'Lagos' is not a country"),
        ("UCL, London, Atlantis", "'Atlantis' is not a country"),
    ],
)  # fmt: skip
def test_an_affiliation_missing_a_part_is_refused_quoting_it(typed: str, quoted: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        affiliation(typed, field="Affiliations")
    assert quoted in refused.value.reason
    assert refused.value.field == "Affiliations"
    assert refused.value.hint


def test_several_affiliations_are_read_in_order_separated_by_semicolons_or_lines() -> None:
    typed = (
        "Department of Child Health, University of Benin Teaching Hospital, Benin City, Nigeria;"
        " University of Toronto, Toronto, Canada\nUCL, London, UK"
    )
    assert [a.country.code for a in affiliations(typed)] == ["NG", "CA", "GB"]


def test_a_repeated_affiliation_is_kept_once_whatever_its_case_spacing_or_country_spelling() -> None:
    typed = (
        "University of Benin, Benin City, Nigeria; university of  benin, BENIN CITY, NG;\n"
        "University of Benin, Benin City, Nigeria"
    )
    found = affiliations(typed)
    assert len(found) == 1
    assert found[0].label == "University of Benin, Benin City, Nigeria"


def test_an_empty_cell_has_no_affiliations_and_empty_pieces_are_skipped() -> None:
    assert affiliations("") == ()
    assert affiliations(" ;\n ; ") == ()
    assert len(affiliations("UCL, London, UK;;")) == 1


def test_one_bad_affiliation_among_several_is_named_in_the_refusal() -> None:
    with pytest.raises(InvalidValue) as refused:
        affiliations("UCL, London, UK; University of Benin, Nigeria; University of Toronto, Toronto, Canada")
    assert "'University of Benin, Nigeria'" in refused.value.reason


# --- an output's record --------------------------------------------------------------------------


def test_an_outputs_record_may_be_unknown_only_field_by_field_and_says_why() -> None:
    review = sample_group(date(2026, 11, 21)).project(SR)
    output = Output.create(id="x", project=review, kind=OutputKind.GRANT, title="A grant", unknown={"venue"})
    assert output.lacks("venue") == "the venue of x could not be read (see the Problems tab)"
    assert output.lacks("status") is None
    assert set(UNREADABLE_RECORD) == {
        "status",
        "status_on",
        "venue",
        "identifier",
        "apc_waiver",
        "corresponding",
    }
    with pytest.raises(InvalidValue, match="'title' cannot be unknown"):
        Output.create(id="x", project=review, kind=OutputKind.GRANT, title="A grant", unknown={"title"})
