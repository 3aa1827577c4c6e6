"""Journal-ready authorship: numbered affiliations, ORCID iDs, the corresponding author, what is missing."""

from __future__ import annotations

from dataclasses import replace

from braingain.core.authorship.icmje import Confirmation, Output, OutputKind
from braingain.core.authorship.ledger import Ledger
from braingain.core.authorship.tasks import Icmje
from braingain.core.group import Group
from braingain.core.ids import MemberId, OutputId
from braingain.core.members import Member
from braingain.core.reports.authorship import journal_authorship, project_authorship
from braingain.core.scholarly import Orcid, affiliations
from tests.builders import accepted, at, leader, member, project, task

LEAD = leader("lead.senior", surname="Senior")
BENIN = "University of Benin, Benin City, Nigeria"
OXFORD = "University of Oxford, Oxford, UK"
TORONTO = "University of Toronto, Toronto, Canada"
CARBERRY = "0000-0002-1825-0097"


def with_places(person: Member, places: str = "", orcid: str | None = CARBERRY) -> Member:
    return replace(person, affiliations=affiliations(places), orcid=Orcid.parse(orcid) if orcid else None)


def group_of(
    people: list[Member], *, corresponding: str | None = None, confirm: list[Member] | None = None
) -> Group:
    """``people`` share two accepted tasks (criteria 1 and 2), points falling in list order."""
    proj = project("sr", lead=LEAD)
    ledger = Ledger()
    tasks = []
    for number, (icmje, worth) in enumerate(
        ((Icmje.DESIGN_ACQUISITION_ANALYSIS, 10), (Icmje.DRAFTING_OR_REVISION, 10))
    ):
        t = accepted(
            task(f"T{number}", proj=proj, points=worth, icmje=icmje, supervisor=LEAD),
            people,
            by=LEAD,
            start=at(days=number),
        )
        ledger.award(t, by=LEAD)
        tasks.append(t)
    paper = Output.create(
        id="paper",
        project=proj,
        kind=OutputKind.PAPER,
        title="The review",
        corresponding=MemberId(corresponding) if corresponding else None,
    )
    confirmations = [
        Confirmation(p.id, paper.id, True, True, at(days=30))
        for p in (people if confirm is None else confirm)
    ]
    return Group.create(
        "g", members=[LEAD, *people], projects=[proj], tasks=tasks, outputs=[paper], ledger=ledger,
        confirmations=confirmations,
    )  # fmt: skip


ADA = member("ada.a", surname="Adeyemi")
BAYO = member("bayo.b", surname="Bello")
CHI = member("chi.c", surname="Chukwu")


def test_affiliations_are_numbered_by_first_appearance_down_the_author_list_and_shared() -> None:
    people = [
        with_places(ADA, f"{OXFORD}; {BENIN}"),
        with_places(BAYO, f"{TORONTO}; university of benin,  benin city, NG"),
        with_places(CHI, OXFORD),
    ]
    found = journal_authorship(group_of(people, corresponding="ada.a"), OutputId("paper"))
    assert [a.member_id for a in found.authors] == ["ada.a", "bayo.b", "chi.c"]
    assert [(n.number, n.affiliation.institution) for n in found.affiliations] == [
        (1, "University of Oxford"),
        (2, "University of Benin"),
        (3, "University of Toronto"),
    ]
    assert [a.affiliations for a in found.authors] == [(1, 2), (2, 3), (1,)], (
        "the same place, the same number"
    )


def test_orcid_ids_and_the_corresponding_author_are_on_the_author_list() -> None:
    found = journal_authorship(
        group_of([with_places(ADA, BENIN), with_places(BAYO, BENIN)], corresponding="bayo.b"),
        OutputId("paper"),
    )
    assert [str(a.orcid) for a in found.authors] == [CARBERRY, CARBERRY]
    assert [a.corresponding for a in found.authors] == [False, True]
    assert found.corresponding is not None
    assert found.corresponding.is_author
    assert found.ready
    assert found.missing == ()


def test_no_corresponding_author_is_none_and_said_missing() -> None:
    found = journal_authorship(group_of([with_places(ADA, BENIN)]), OutputId("paper"))
    assert found.corresponding is None
    assert not any(a.corresponding for a in found.authors)
    assert found.missing == ("paper names no corresponding author (Outputs tab, 'Corresponding author')",)


def test_a_corresponding_member_who_is_not_an_author_is_shown_and_said_missing() -> None:
    people = [with_places(ADA, BENIN), with_places(BAYO, TORONTO)]
    found = journal_authorship(group_of(people, corresponding="bayo.b", confirm=[ADA]), OutputId("paper"))
    assert [a.member_id for a in found.authors] == ["ada.a"]
    assert found.corresponding is not None
    assert not found.corresponding.is_author
    assert found.corresponding.affiliations[0].city == "Toronto"
    assert [n.affiliation.city for n in found.affiliations] == ["Benin City"], (
        "a non-author's place is not numbered"
    )
    assert any("Bayo Bello, is not one of the authors" in m for m in found.missing)


def test_missing_lists_orcid_affiliation_and_unconfirmed_criteria_in_words() -> None:
    people = [with_places(ADA, "", orcid=None), with_places(BAYO, BENIN)]
    found = journal_authorship(group_of(people, corresponding="ada.a", confirm=[ADA]), OutputId("paper"))
    assert found.missing == (
        "Ada Adeyemi has no ORCID iD (Members tab, 'ORCID iD')",
        "Ada Adeyemi has no affiliation (Members tab, 'Affiliations')",
        "Bayo Bello has not confirmed criterion 3 (final approval of the version to be published)",
        "Bayo Bello has not confirmed criterion 4 (agreement to be accountable for the work)",
    )
    bayo = next(s for s in found.standings if s.member_id == "bayo.b")
    assert (bayo.position, bayo.outcome, bayo.missing) == (None, "acknowledged", "missing ICMJE 3, 4")
    assert [evidence is not None for _, evidence in bayo.criteria] == [True, True, False, False]


def test_an_unreadable_orcid_is_said_to_be_unreadable_not_absent() -> None:
    ada = replace(with_places(ADA, BENIN, orcid=None), unknown=frozenset({"orcid"}))
    found = journal_authorship(group_of([ada], corresponding="ada.a"), OutputId("paper"))
    assert found.missing == ("Ada Adeyemi's ORCID iD could not be read (see the Problems tab)",)


def test_an_output_without_authors_says_so_and_a_project_lists_its_outputs() -> None:
    g = group_of([with_places(ADA, BENIN)], corresponding="ada.a", confirm=[])
    (found,) = project_authorship(g, g.project("sr").id)
    assert found.authors == ()
    assert not found.ready
    assert found.missing[0].startswith("paper has no authors yet")
