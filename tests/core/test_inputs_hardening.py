"""Typed input that used to slip through: each case is refused, or read as a person meant it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from braingain.core.authorship.credit import Contributor, CreditRole, jats_contrib_group
from braingain.core.authorship.points import points, split
from braingain.core.countries import country
from braingain.core.errors import InvalidValue
from braingain.core.members import Email, time_zone
from braingain.core.parsing import require_text


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Cote d'Ivoire", "CI"),
        ("Turkiye", "TR"),
        ("Curacao", "CW"),
        ("Reunion", "RE"),
        ("Aland Islands", "AX"),
    ],
)
def test_a_country_typed_without_its_accents_is_still_found(typed: str, code: str) -> None:
    assert country(typed).code == code


@pytest.mark.parametrize("key", ["right/UTC", "posix/Europe/London", "RIGHT/Africa/Lagos"])
def test_alternative_copies_of_the_zone_database_are_not_accepted(key: str) -> None:
    with pytest.raises(InvalidValue, match="not a time zone braingain knows"):
        time_zone(key)


@pytest.mark.parametrize("address", ["a..b@example.org", ".ab@example.org"])
def test_an_email_with_misplaced_dots_is_refused_without_echoing_it(address: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Email(address)
    assert address not in str(caught.value)


def test_absurdly_large_points_are_refused_with_a_hint() -> None:
    with pytest.raises(InvalidValue, match="too large") as caught:
        points("1e30")
    assert "below" in caught.value.hint


def test_a_split_that_names_someone_twice_is_refused() -> None:
    with pytest.raises(InvalidValue, match="twice"):
        split(Decimal(10), ["a", "a", "b"])


def test_a_split_with_an_infinite_weight_is_refused() -> None:
    with pytest.raises(InvalidValue, match="greater than zero"):
        split(Decimal(10), {"a": Decimal("Infinity"), "b": Decimal(1)})


def test_a_uri_outside_the_credit_vocabulary_is_not_a_role() -> None:
    with pytest.raises(InvalidValue, match="not a CRediT role"):
        CreditRole.parse("https://example.org/methodology")
    assert CreditRole.parse("https://casrai.org/credit/roles/methodology") is CreditRole.METHODOLOGY


def test_names_with_control_characters_still_make_well_formed_jats() -> None:
    name = require_text("Ada\x07 \x1bObi", "given names")
    xml = jats_contrib_group([Contributor(name, "Okafor", ())])
    assert ET.fromstring(xml).findtext("contrib/name/given-names") == "Ada Obi"
