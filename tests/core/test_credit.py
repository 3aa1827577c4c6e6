"""CRediT (ANSI/NISO Z39.104-2022): roles, degrees of contribution, statements and JATS."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from braingain.core.authorship.credit import (
    CREDIT_ROLE_BASE_URI,
    CREDIT_VOCABULARY_URI,
    Contributor,
    CreditRole,
    Degree,
    RoleCredit,
    contribution_statement,
    credit_by_role,
    degrees_for,
    jats_contrib_group,
    role_phrase,
)
from braingain.core.errors import InvalidValue

EN_DASH = "\u2013"

STANDARD_NAMES = [
    "Conceptualization",
    "Data curation",
    "Formal analysis",
    "Funding acquisition",
    "Investigation",
    "Methodology",
    "Project administration",
    "Resources",
    "Software",
    "Supervision",
    "Validation",
    "Visualization",
    f"Writing {EN_DASH} original draft",
    f"Writing {EN_DASH} review & editing",
]

SLUGS = {
    CreditRole.CONCEPTUALIZATION: "conceptualization",
    CreditRole.DATA_CURATION: "data-curation",
    CreditRole.FORMAL_ANALYSIS: "formal-analysis",
    CreditRole.FUNDING_ACQUISITION: "funding-acquisition",
    CreditRole.INVESTIGATION: "investigation",
    CreditRole.METHODOLOGY: "methodology",
    CreditRole.PROJECT_ADMINISTRATION: "project-administration",
    CreditRole.RESOURCES: "resources",
    CreditRole.SOFTWARE: "software",
    CreditRole.SUPERVISION: "supervision",
    CreditRole.VALIDATION: "validation",
    CreditRole.VISUALIZATION: "visualization",
    CreditRole.WRITING_ORIGINAL_DRAFT: "writing-original-draft",
    CreditRole.WRITING_REVIEW_EDITING: "writing-review-editing",
}


def credit(role: CreditRole, degree: Degree = Degree.LEAD, amount: str = "10") -> RoleCredit:
    return RoleCredit(role, degree, Decimal(amount))


ADA = Contributor(
    "Adaeze",
    "Okafor",
    (
        credit(CreditRole.WRITING_ORIGINAL_DRAFT, Degree.LEAD),
        credit(CreditRole.CONCEPTUALIZATION, Degree.EQUAL),
        credit(CreditRole.INVESTIGATION, Degree.SUPPORTING, "2.5"),
    ),
    equal_contribution=True,
)
BOLA = Contributor("Bola", "Adeyemi", (credit(CreditRole.WRITING_REVIEW_EDITING, Degree.LEAD),))


# --- the 14 roles --------------------------------------------------------------------------------


def test_there_are_exactly_14_roles_with_the_standards_exact_names_in_its_order() -> None:
    assert [role.value for role in CreditRole] == STANDARD_NAMES
    assert len(CreditRole) == 14


def test_the_two_writing_roles_are_spelled_with_an_en_dash_not_a_hyphen() -> None:
    assert CreditRole.WRITING_ORIGINAL_DRAFT.value == "Writing \u2013 original draft"
    assert CreditRole.WRITING_REVIEW_EDITING.value == "Writing \u2013 review & editing"
    assert all("-" not in role.value for role in CreditRole)


@pytest.mark.parametrize(("role", "slug"), list(SLUGS.items()))
def test_each_role_has_the_niso_slug_and_uri(role: CreditRole, slug: str) -> None:
    assert role.slug == slug
    assert role.uri == f"https://credit.niso.org/contributor-roles/{slug}/"


def test_the_vocabulary_and_role_uris_are_those_of_niso() -> None:
    assert CREDIT_VOCABULARY_URI == "https://credit.niso.org/"
    assert CREDIT_ROLE_BASE_URI == "https://credit.niso.org/contributor-roles/"
    assert CreditRole.WRITING_REVIEW_EDITING.uri == (
        "https://credit.niso.org/contributor-roles/writing-review-editing/"
    )
    assert len({role.uri for role in CreditRole}) == 14


# --- parsing a role ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("Writing – original draft", CreditRole.WRITING_ORIGINAL_DRAFT),
        ("Writing - original draft", CreditRole.WRITING_ORIGINAL_DRAFT),
        ("Writing—original draft", CreditRole.WRITING_ORIGINAL_DRAFT),
        ("writing original draft", CreditRole.WRITING_ORIGINAL_DRAFT),
        ("Writing – review & editing", CreditRole.WRITING_REVIEW_EDITING),
        ("Writing - review & editing", CreditRole.WRITING_REVIEW_EDITING),
        ("writing – review and editing", CreditRole.WRITING_REVIEW_EDITING),
        ("Writing - Review and Editing", CreditRole.WRITING_REVIEW_EDITING),
        ("Conceptualisation", CreditRole.CONCEPTUALIZATION),
        ("Visualisation", CreditRole.VISUALIZATION),
        ("  methodology ", CreditRole.METHODOLOGY),
        ("DATA CURATION", CreditRole.DATA_CURATION),
        ("formal-analysis", CreditRole.FORMAL_ANALYSIS),
        ("writing-review-editing", CreditRole.WRITING_REVIEW_EDITING),
        ("PROJECT_ADMINISTRATION", CreditRole.PROJECT_ADMINISTRATION),
        (
            "https://credit.niso.org/contributor-roles/writing-review-editing/",
            CreditRole.WRITING_REVIEW_EDITING,
        ),
        ("https://credit.niso.org/contributor-roles/data-curation", CreditRole.DATA_CURATION),
    ],
)
def test_a_role_is_read_from_its_name_spellings_slug_or_uri(typed: str, role: CreditRole) -> None:
    assert CreditRole.parse(typed) is role


@pytest.mark.parametrize("role", list(CreditRole))
def test_every_role_is_read_back_from_its_own_name_slug_uri_and_enum_name(role: CreditRole) -> None:
    for spelling in (role.value, role.value.upper(), role.slug, role.uri, role.name):
        assert CreditRole.parse(spelling) is role


@pytest.mark.parametrize(
    "typed", ["Writing", "Review", "Supervisor", "Data", "Drafting", "", "https://credit.niso.org/"]
)
def test_an_unknown_role_is_refused_with_a_hint(typed: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        CreditRole.parse(typed)

    assert caught.value.field == "CRediT role"
    assert caught.value.reason == f"{typed!r} is not a CRediT role"
    assert "14 CRediT roles" in caught.value.hint
    assert "'Writing – original draft'" in caught.value.hint


def test_the_refusal_of_a_role_names_the_field_asked_for() -> None:
    with pytest.raises(InvalidValue) as caught:
        CreditRole.parse("Cooking", field="task role")

    assert caught.value.field == "task role"


# --- degrees of contribution ---------------------------------------------------------------------


def test_the_member_with_the_most_points_in_a_role_leads_and_the_others_support() -> None:
    assert degrees_for({"ada": Decimal(8), "bola": Decimal(3), "chidi": Decimal("0.5")}) == {
        "ada": Degree.LEAD,
        "bola": Degree.SUPPORTING,
        "chidi": Degree.SUPPORTING,
    }


def test_members_tied_at_the_top_contribute_equally() -> None:
    assert degrees_for({"ada": Decimal(5), "bola": Decimal("5.00"), "chidi": Decimal(1)}) == {
        "ada": Degree.EQUAL,
        "bola": Degree.EQUAL,
        "chidi": Degree.SUPPORTING,
    }


def test_a_sole_contributor_leads() -> None:
    assert degrees_for({"ada": Decimal("0.01")}) == {"ada": Degree.LEAD}


def test_members_with_no_points_or_less_are_left_out() -> None:
    assert degrees_for({"ada": Decimal(0), "bola": Decimal(-2), "chidi": Decimal(1)}) == {
        "chidi": Degree.LEAD
    }


@pytest.mark.parametrize("points", [{}, {"ada": Decimal(0)}, {"ada": Decimal(0), "bola": Decimal(-1)}])
def test_no_positive_points_means_no_degrees(points: dict[str, Decimal]) -> None:
    assert degrees_for(points) == {}


def test_the_degree_values_are_the_credit_words() -> None:
    assert [d.value for d in Degree] == ["lead", "equal", "supporting"]


# --- contribution statement ----------------------------------------------------------------------


def test_a_contributors_name_is_given_names_then_surname() -> None:
    assert ADA.name == "Adaeze Okafor"


def test_a_role_phrase_lists_roles_in_the_taxonomys_order_with_their_degree() -> None:
    assert role_phrase(ADA) == (
        "Conceptualization (equal), Investigation (supporting), Writing – original draft (lead)"
    )


def test_the_contribution_statement_has_one_line_per_author_in_author_order() -> None:
    statement = contribution_statement([BOLA, ADA])

    assert statement == (
        "Bola Adeyemi: Writing – review & editing (lead).\n"
        "Adaeze Okafor: Conceptualization (equal), Investigation (supporting), "
        "Writing – original draft (lead)."
    )


def test_the_statement_by_role_names_each_author_once_per_role_grouped_by_degree_in_author_order() -> None:
    chidi = Contributor("Chidi", "Eze", (RoleCredit(CreditRole.INVESTIGATION, Degree.EQUAL, Decimal(2)),))
    dapo = Contributor("Dapo", "Bello", (RoleCredit(CreditRole.INVESTIGATION, Degree.EQUAL, Decimal(2)),))

    assert credit_by_role([BOLA, ADA, chidi, dapo]) == (
        "Conceptualization: Adaeze Okafor (equal).\n"
        "Investigation: Chidi Eze, Dapo Bello (equal); Adaeze Okafor (supporting).\n"
        "Writing – original draft: Adaeze Okafor (lead).\n"
        "Writing – review & editing: Bola Adeyemi (lead)."
    )


def test_a_role_every_one_of_three_or_more_authors_holds_alike_says_all_authors() -> None:
    def editing(given: str) -> Contributor:
        return Contributor(
            given, "Eze", (RoleCredit(CreditRole.WRITING_REVIEW_EDITING, Degree.EQUAL, Decimal(1)),)
        )

    assert (
        credit_by_role([editing("A"), editing("B"), editing("C")])
        == "Writing – review & editing: all 3 authors (equal)."
    )
    assert credit_by_role([editing("A"), editing("B")]) == "Writing – review & editing: A Eze, B Eze (equal)."


def test_an_author_without_roles_is_said_to_have_none_recorded() -> None:
    nobody = Contributor("Chidi", "Eze", ())

    assert contribution_statement([nobody]) == "Chidi Eze: no CRediT role recorded."


def test_no_authors_make_an_empty_statement() -> None:
    assert contribution_statement([]) == ""


# --- JATS ----------------------------------------------------------------------------------------


def _roles(contrib: ET.Element) -> list[ET.Element]:
    return contrib.findall("role")


def test_the_jats_contrib_group_lists_the_authors_in_order_with_their_names() -> None:
    group = ET.fromstring(jats_contrib_group([ADA, BOLA]))

    assert group.tag == "contrib-group"
    contribs = group.findall("contrib")
    assert len(contribs) == 2
    assert [c.get("contrib-type") for c in contribs] == ["author", "author"]
    names = [(c.findtext("name/surname"), c.findtext("name/given-names")) for c in contribs]
    assert names == [("Okafor", "Adaeze"), ("Adeyemi", "Bola")]
    name = contribs[0].find("name")
    assert name is not None
    assert [child.tag for child in name] == ["surname", "given-names"]
    assert [child.tag for child in contribs[0]] == ["name", "role", "role", "role"]


def test_each_credit_role_is_a_jats_role_with_the_credit_vocabulary() -> None:
    group = ET.fromstring(jats_contrib_group([ADA]))
    contrib = group.find("contrib")
    assert contrib is not None

    roles = _roles(contrib)
    expected = [
        (CreditRole.CONCEPTUALIZATION, "equal"),
        (CreditRole.INVESTIGATION, "supporting"),
        (CreditRole.WRITING_ORIGINAL_DRAFT, "lead"),
    ]
    assert len(roles) == len(expected)
    for element, (role, degree) in zip(roles, expected, strict=True):
        assert element.attrib == {
            "vocab": "credit",
            "vocab-identifier": "https://credit.niso.org/",
            "vocab-term": role.value,
            "vocab-term-identifier": role.uri,
            "degree-contribution": degree,
        }
        assert element.text == role.value


def test_equal_contribution_is_marked_only_when_set() -> None:
    group = ET.fromstring(jats_contrib_group([ADA, BOLA]))
    ada, bola = group.findall("contrib")

    assert ada.get("equal-contrib") == "yes"
    assert bola.get("equal-contrib") is None
    assert bola.attrib == {"contrib-type": "author"}


def test_the_review_and_editing_role_keeps_its_ampersand_and_en_dash_in_jats() -> None:
    xml = jats_contrib_group([BOLA])
    group = ET.fromstring(xml)
    role = group.find("contrib/role")
    assert role is not None

    assert "review &amp; editing" in xml
    assert role.get("vocab-term") == "Writing – review & editing"
    assert role.text == "Writing – review & editing"
    assert (
        role.get("vocab-term-identifier")
        == "https://credit.niso.org/contributor-roles/writing-review-editing/"
    )


def test_special_characters_in_names_are_escaped_and_round_trip() -> None:
    tricky = Contributor(
        'Zoë & "Tobi" <Jr>',
        "Ọlá-Adéyẹmí O'Neil",
        (credit(CreditRole.SOFTWARE, Degree.LEAD),),
    )

    xml = jats_contrib_group([tricky])
    contrib = ET.fromstring(xml).find("contrib")
    assert contrib is not None

    assert "<Jr>" not in xml
    assert "&amp;" in xml
    assert "&lt;Jr&gt;" in xml
    assert contrib.findtext("name/given-names") == 'Zoë & "Tobi" <Jr>'
    assert contrib.findtext("name/surname") == "Ọlá-Adéyẹmí O'Neil"


def test_an_author_without_roles_has_a_name_and_no_role_elements() -> None:
    contrib = ET.fromstring(jats_contrib_group([Contributor("Chidi", "Eze", ())])).find("contrib")
    assert contrib is not None

    assert _roles(contrib) == []
    assert contrib.findtext("name/surname") == "Eze"


def test_no_authors_make_an_empty_contrib_group() -> None:
    group = ET.fromstring(jats_contrib_group([]))

    assert group.tag == "contrib-group"
    assert list(group) == []
