"""Authorship: ICMJE criteria decide who is an author; points decide the order."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.authorship.credit import CreditRole, Degree
from braingain.core.authorship.icmje import (
    LAST,
    AuthorshipDecision,
    AuthorshipPolicy,
    Confirmation,
    Criterion,
    LeaderEvidence,
    Output,
    OutputKind,
    decide_authorship,
)
from braingain.core.authorship.ledger import Ledger, LedgerEntry, standings_of
from braingain.core.authorship.points import Tally
from braingain.core.authorship.tasks import Icmje, Task
from braingain.core.errors import InvalidValue, UnknownReference
from braingain.core.ids import OutputId
from braingain.core.members import Member
from braingain.core.projects import Project
from tests.builders import T0, accepted, at, leader, member, project, task

C1 = Icmje.DESIGN_ACQUISITION_ANALYSIS
C2 = Icmje.DRAFTING_OR_REVISION

LEAD = leader("lead.senior", surname="Senior")
REVIEWER = leader("lead.reviewer", surname="Reviewer")
ADA = member("ada.a", surname="Adeyemi")
BAYO = member("bayo.b", surname="Bello")
CHI = member("chi.c", surname="Chukwu")
DAPO = member("dapo.d", surname="Dike")
EVERYONE = [LEAD, REVIEWER, ADA, BAYO, CHI, DAPO]
PROJECT = project("sr", lead=LEAD)
PAPER = Output.create(id="paper", project=PROJECT, kind=OutputKind.PAPER, title="The review")


class Scenario:
    """Accepted tasks, their ledger, and confirmations: the inputs of one decision."""

    def __init__(self, proj: Project = PROJECT) -> None:
        self.project = proj
        self.tasks: list[Task] = []
        self.ledger = Ledger()
        self.confirmations: list[Confirmation] = []
        self.evidence: list[LeaderEvidence] = []

    def work(
        self,
        team: Sequence[Member],
        *,
        points: int | str = 10,
        icmje: Icmje = C1,
        role: CreditRole = CreditRole.INVESTIGATION,
        stage: str = "screening",
        day: int = 0,
    ) -> Task:
        t = task(
            f"T{len(self.tasks) + 1}", proj=self.project, stage=stage, points=points, icmje=icmje, role=role
        )
        t = accepted(t, team, by=REVIEWER, start=at(days=day))
        self.tasks.append(t)
        self.ledger.award(t, by=REVIEWER)
        return t

    def confirm(self, *people: Member, output: Output = PAPER) -> None:
        for person in people:
            self.confirmations.append(Confirmation(person.id, output.id, True, True, at(days=30)))

    def decide(self, output: Output = PAPER, **policy: object) -> AuthorshipDecision:
        return decide_authorship(
            output,
            project=self.project,
            members={m.id: m for m in EVERYONE},
            tasks=self.tasks,
            entries=self.ledger.entries,
            confirmations=self.confirmations,
            evidence=self.evidence,
            policy=AuthorshipPolicy(**policy),  # type: ignore[arg-type]
        )


def both_criteria(s: Scenario, team: Sequence[Member], points: int = 10, day: int = 0) -> None:
    s.work(team, points=points, icmje=C1, day=day)
    s.work(team, points=points, icmje=C2, role=CreditRole.WRITING_ORIGINAL_DRAFT, day=day)


def test_an_author_meets_all_four_icmje_criteria_and_reaches_the_threshold() -> None:
    s = Scenario()
    both_criteria(s, [ADA, BAYO])
    s.confirm(ADA, BAYO)
    decision = s.decide()
    assert decision.author_ids == ("ada.a", "bayo.b")
    author = decision.authors[0]
    assert author.criteria.all_met
    assert "accepted task T1" in author.criteria.evidence[Criterion.DESIGN_ACQUISITION_ANALYSIS]
    assert "accepted task T2" in author.criteria.evidence[Criterion.DRAFTING_OR_REVISION]


def test_a_member_without_final_approval_is_acknowledged_with_the_criteria_they_miss() -> None:
    s = Scenario()
    both_criteria(s, [ADA, BAYO])
    s.confirmations.append(Confirmation(BAYO.id, PAPER.id, final_approval=False, accountable=True, at=T0))
    s.confirm(ADA)
    decision = s.decide()
    assert decision.author_ids == ("ada.a",)
    (ack,) = decision.acknowledged
    assert ack.member_id == "bayo.b"
    assert ack.missing == (Criterion.FINAL_APPROVAL,)
    assert ack.why == "missing ICMJE 3"
    assert not ack.below_threshold


def test_points_for_work_that_evidences_only_one_criterion_do_not_make_an_author() -> None:
    s = Scenario()
    both_criteria(s, [ADA])
    s.work([CHI], icmje=C1)
    s.confirm(ADA, CHI)
    decision = s.decide()
    assert decision.author_ids == ("ada.a",)
    assert decision.acknowledged[0].missing == (Criterion.DRAFTING_OR_REVISION,)


def test_tasks_that_evidence_no_criterion_earn_points_but_no_criterion() -> None:
    s = Scenario()
    s.work([ADA], icmje=Icmje.NONE, role=CreditRole.PROJECT_ADMINISTRATION)
    s.confirm(ADA)
    decision = s.decide()
    assert decision.author_ids == ()
    assert decision.acknowledged[0].missing == (
        Criterion.DESIGN_ACQUISITION_ANALYSIS,
        Criterion.DRAFTING_OR_REVISION,
    )


def test_evidence_a_leader_records_can_meet_criteria_one_and_two() -> None:
    s = Scenario()
    s.work([ADA], icmje=C1)
    s.evidence.append(
        LeaderEvidence(ADA.id, PAPER.id, Criterion.DRAFTING_OR_REVISION, "Revised the discussion", LEAD.id)
    )
    s.confirm(ADA)
    decision = s.decide()
    assert decision.author_ids == ("ada.a",)
    assert "Revised the discussion" in decision.authors[0].criteria.evidence[Criterion.DRAFTING_OR_REVISION]


def test_evidence_recorded_for_another_output_does_not_count() -> None:
    s = Scenario()
    s.work([ADA], icmje=C1)
    s.evidence.append(
        LeaderEvidence(ADA.id, OutputId("abstract"), Criterion.DRAFTING_OR_REVISION, "Drafted it", LEAD.id)
    )
    s.confirm(ADA)
    assert s.decide().author_ids == ()


@pytest.mark.parametrize("criterion", [Criterion.FINAL_APPROVAL, Criterion.ACCOUNTABILITY])
def test_leaders_cannot_record_criteria_three_and_four_for_a_member(criterion: Criterion) -> None:
    with pytest.raises(InvalidValue, match="criteria 1 and 2") as caught:
        LeaderEvidence(ADA.id, PAPER.id, criterion, "said so", LEAD.id)
    assert "confirmation" in caught.value.hint


def test_confirmations_count_only_for_their_own_output() -> None:
    s = Scenario()
    both_criteria(s, [ADA])
    abstract = Output.create(id="abstract", project=PROJECT, kind=OutputKind.ABSTRACT, title="Abstract")
    s.confirm(ADA, output=abstract)
    assert s.decide(PAPER).author_ids == ()
    assert s.decide(abstract).author_ids == ("ada.a",)


def test_a_share_threshold_leaves_small_contributors_acknowledged() -> None:
    s = Scenario()
    both_criteria(s, [ADA], points=50)
    both_criteria(s, [BAYO], points=1)
    s.confirm(ADA, BAYO)
    decision = s.decide(min_share=Decimal("0.05"))
    assert decision.threshold == Decimal("5.10")
    assert decision.author_ids == ("ada.a",)
    assert decision.acknowledged[0].below_threshold
    assert decision.acknowledged[0].why == "below the threshold"


def test_an_absolute_threshold_is_applied_together_with_a_share() -> None:
    s = Scenario()
    both_criteria(s, [ADA], points=10)
    both_criteria(s, [BAYO], points=4)
    s.confirm(ADA, BAYO)
    assert s.decide(min_points=Decimal(10), min_share=None).author_ids == ("ada.a",)
    assert s.decide(min_points=Decimal(8), min_share=None).author_ids == ("ada.a", "bayo.b")
    assert s.decide(min_points=Decimal(1), min_share=Decimal("0.5")).author_ids == ("ada.a",)


def test_authors_are_ordered_by_points() -> None:
    s = Scenario()
    both_criteria(s, [CHI], points=2)
    both_criteria(s, [ADA], points=9)
    both_criteria(s, [BAYO], points=5)
    s.confirm(ADA, BAYO, CHI)
    decision = s.decide(min_share=None)
    assert decision.author_ids == ("ada.a", "bayo.b", "chi.c")
    assert [a.position for a in decision.authors] == [1, 2, 3]
    assert sum(a.share for a in decision.authors) == Decimal("1.0000")


def test_the_project_lead_can_be_fixed_as_last_and_senior_author() -> None:
    s = Scenario()
    both_criteria(s, [LEAD], points=20)
    both_criteria(s, [ADA], points=5)
    both_criteria(s, [BAYO], points=3)
    s.confirm(LEAD, ADA, BAYO)
    decision = s.decide(project_lead_last=True, min_share=None)
    assert decision.author_ids == ("ada.a", "bayo.b", "lead.senior")
    assert decision.authors[-1].fixed


def test_a_fixed_position_is_not_applied_to_someone_who_is_not_an_author() -> None:
    s = Scenario()
    both_criteria(s, [ADA], points=5)
    s.confirm(ADA)
    decision = s.decide(project_lead_last=True)
    assert decision.author_ids == ("ada.a",)
    assert any("not an author" in note for note in decision.notes)


def test_fixed_numbered_positions_are_honoured_and_the_rest_fill_in_by_points() -> None:
    s = Scenario()
    for person, pts in ((ADA, 9), (BAYO, 7), (CHI, 5), (DAPO, 3)):
        both_criteria(s, [person], points=pts)
    s.confirm(ADA, BAYO, CHI, DAPO)
    decision = s.decide(fixed_positions=((DAPO.id, 1), (ADA.id, LAST)), min_share=None)
    assert decision.author_ids == ("dapo.d", "bayo.b", "chi.c", "ada.a")


def test_a_fixed_position_beyond_the_author_list_places_the_member_last_and_says_so() -> None:
    s = Scenario()
    both_criteria(s, [ADA], points=9)
    both_criteria(s, [BAYO], points=7)
    s.confirm(ADA, BAYO)
    decision = s.decide(fixed_positions=((ADA.id, 5),), min_share=None)
    assert decision.author_ids == ("bayo.b", "ada.a")
    assert any("only 2 authors" in note for note in decision.notes)


def test_equal_points_are_ordered_by_more_accepted_tasks_first() -> None:
    s = Scenario()
    both_criteria(s, [ADA], points=6)
    s.work([BAYO], icmje=C1, points=4)
    s.work([BAYO], icmje=C2, points=4, role=CreditRole.WRITING_ORIGINAL_DRAFT)
    s.work([BAYO], icmje=Icmje.NONE, points=4)
    s.confirm(ADA, BAYO)
    decision = s.decide(min_share=None)
    assert decision.author_ids == ("bayo.b", "ada.a")
    assert decision.tie_breaks == (
        "Bayo Bello before Ada Adeyemi: tied on points (12.00 each); order by more accepted tasks (3 vs 2)",
    )


def test_equal_points_and_tasks_are_ordered_by_earlier_first_acceptance() -> None:
    s = Scenario()
    both_criteria(s, [ADA], day=10)
    both_criteria(s, [BAYO], day=1)
    s.confirm(ADA, BAYO)
    decision = s.decide()
    assert decision.author_ids == ("bayo.b", "ada.a")
    assert "earlier first accepted task" in decision.tie_breaks[0]


def test_a_complete_tie_is_broken_by_surname_and_the_result_says_so() -> None:
    s = Scenario()
    both_criteria(s, [CHI, ADA])
    s.confirm(ADA, CHI)
    decision = s.decide()
    assert decision.author_ids == ("ada.a", "chi.c")
    assert decision.tie_breaks == (
        "Ada Adeyemi before Chi Chukwu: tied on points (10.00 each); order by surname in alphabetical order",
    )


def test_equal_top_points_can_share_first_position() -> None:
    s = Scenario()
    both_criteria(s, [CHI, ADA], points=10)
    both_criteria(s, [BAYO], points=2)
    s.confirm(ADA, BAYO, CHI)
    decision = s.decide(shared_first_on_tie=True, min_share=None)
    assert [(a.member_id, a.equal_first) for a in decision.authors] == [
        ("ada.a", True),
        ("chi.c", True),
        ("bayo.b", False),
    ]
    assert any("joint first authors" in note for note in decision.notes)
    contribs = ET.fromstring(decision.jats()).findall("contrib")
    assert [c.get("equal-contrib") for c in contribs] == ["yes", "yes", None]


def test_without_shared_first_nobody_is_marked_as_joint_first() -> None:
    s = Scenario()
    both_criteria(s, [CHI, ADA])
    s.confirm(ADA, CHI)
    assert not any(a.equal_first for a in s.decide().authors)


def test_sub_threshold_points_can_carry_over_to_the_next_output() -> None:
    s = Scenario()
    both_criteria(s, [ADA], points=50)
    both_criteria(s, [BAYO], points=1)
    s.confirm(ADA, BAYO)
    first = s.decide(min_share=Decimal("0.05"), carry_over=True)
    assert first.carry_over == {"bayo.b": Tally.of(Decimal("2.00"))}
    assert s.decide(min_share=Decimal("0.05")).carry_over == {}

    nxt = Scenario()
    both_criteria(nxt, [ADA], points=10)
    both_criteria(nxt, [BAYO], points=1)
    nxt.confirm(ADA, BAYO)
    without = nxt.decide(min_share=Decimal("0.15"))
    assert without.author_ids == ("ada.a",)
    with_carry = decide_authorship(
        PAPER,
        project=PROJECT,
        members={m.id: m for m in EVERYONE},
        tasks=nxt.tasks,
        entries=nxt.ledger.entries,
        confirmations=nxt.confirmations,
        policy=AuthorshipPolicy(min_share=Decimal("0.15")),
        carried_in=first.carry_over,
    )
    assert with_carry.author_ids == ("ada.a", "bayo.b")
    assert with_carry.total_points == Decimal("24.00")


def test_an_output_limited_to_stages_counts_only_the_work_of_those_stages() -> None:
    s = Scenario()
    s.work([ADA], icmje=C1, stage="protocol", points=4)
    s.work([ADA], icmje=C2, stage="protocol", points=4, role=CreditRole.WRITING_ORIGINAL_DRAFT)
    both_criteria(s, [BAYO], points=10)  # screening: outside the protocol
    protocol = Output.create(
        id="protocol", project=PROJECT, kind=OutputKind.PROTOCOL, title="Protocol", stages=["protocol"]
    )
    s.confirm(ADA, BAYO, output=protocol)
    decision = s.decide(protocol)
    assert decision.total_points == Decimal("8.00")
    assert decision.author_ids == ("ada.a",)
    assert decision.acknowledged == ()


def test_an_output_cannot_name_a_stage_its_project_does_not_have() -> None:
    with pytest.raises(UnknownReference, match="no stage 'ethics'"):
        Output.create(id="x", project=PROJECT, kind=OutputKind.ABSTRACT, title="X", stages=["ethics"])


def test_adjustments_count_toward_an_authors_points() -> None:
    s = Scenario()
    both_criteria(s, [ADA, BAYO])
    s.ledger.adjust(
        member=BAYO.id, project=PROJECT.id, amount="3", reason="Extra screening", by=LEAD, at=at(40)
    )
    s.confirm(ADA, BAYO)
    decision = s.decide()
    assert decision.author_ids == ("bayo.b", "ada.a")
    assert decision.authors[0].points == Decimal("13.00")


def test_members_whose_points_net_to_zero_are_neither_authors_nor_acknowledged() -> None:
    s = Scenario()
    both_criteria(s, [ADA])
    both_criteria(s, [BAYO], points=1)
    s.ledger.adjust(
        member=BAYO.id, project=PROJECT.id, amount="-2", reason="Duplicate award", by=LEAD, at=at(40)
    )
    s.confirm(ADA, BAYO)
    decision = s.decide()
    assert decision.author_ids == ("ada.a",)
    assert decision.acknowledged == ()


def test_points_held_by_someone_who_is_not_a_member_are_refused() -> None:
    s = Scenario()
    both_criteria(s, [ADA])
    stranger = member("x.stranger")
    s.work([stranger])
    with pytest.raises(UnknownReference, match=r"x\.stranger"):
        s.decide()


def test_an_output_of_another_project_is_refused() -> None:
    other = project("other", lead=LEAD)
    out = Output.create(id="o", project=other, kind=OutputKind.PAPER, title="Other")
    with pytest.raises(InvalidValue, match="belongs to project other"):
        Scenario().decide(out)


def test_credit_roles_come_from_accepted_tasks_with_their_degree() -> None:
    s = Scenario()
    s.work([ADA, BAYO], icmje=C1, role=CreditRole.METHODOLOGY, points=10, stage="search-strategy")
    s.work([ADA], icmje=C1, role=CreditRole.METHODOLOGY, points=4, stage="search-strategy")
    s.work([ADA, BAYO], icmje=C2, role=CreditRole.WRITING_ORIGINAL_DRAFT, points=6, stage="drafting")
    s.confirm(ADA, BAYO)
    decision = s.decide()
    roles = {str(a.member_id): {(r.role, r.degree) for r in a.roles} for a in decision.authors}
    assert roles["ada.a"] == {
        (CreditRole.METHODOLOGY, Degree.LEAD),
        (CreditRole.WRITING_ORIGINAL_DRAFT, Degree.EQUAL),
    }
    assert roles["bayo.b"] == {
        (CreditRole.METHODOLOGY, Degree.SUPPORTING),
        (CreditRole.WRITING_ORIGINAL_DRAFT, Degree.EQUAL),
    }
    assert decision.contribution_statement().splitlines() == [
        "Ada Adeyemi: Methodology (lead), Writing – original draft (equal).",
        "Bayo Bello: Methodology (supporting), Writing – original draft (equal).",
    ]


def test_the_jats_contrib_group_lists_authors_in_order_with_credit_roles() -> None:
    s = Scenario()
    s.work([ADA, BAYO], icmje=C1, role=CreditRole.METHODOLOGY, points=10)
    s.work([ADA], icmje=C2, role=CreditRole.WRITING_REVIEW_EDITING, points=4)
    s.work([BAYO], icmje=C2, role=CreditRole.WRITING_REVIEW_EDITING, points=1)
    s.confirm(ADA, BAYO)
    root = ET.fromstring(s.decide().jats())
    assert root.tag == "contrib-group"
    surnames = [c.findtext("name/surname") for c in root.findall("contrib")]
    assert surnames == ["Adeyemi", "Bello"]
    ada_roles = root.findall("contrib")[0].findall("role")
    assert [(r.get("vocab-term"), r.get("degree-contribution")) for r in ada_roles] == [
        ("Methodology", "equal"),
        ("Writing – review & editing", "lead"),
    ]
    assert (
        ada_roles[1].get("vocab-term-identifier")
        == "https://credit.niso.org/contributor-roles/writing-review-editing/"
    )
    assert all(r.get("vocab") == "credit" for r in ada_roles)


def test_acknowledgments_name_each_member_with_their_roles() -> None:
    s = Scenario()
    both_criteria(s, [ADA])
    s.work([CHI], icmje=C1, role=CreditRole.DATA_CURATION, points=2)
    s.confirm(ADA)
    assert s.decide().acknowledgments() == ["Chi Chukwu (Data curation)"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_share": Decimal("1.5")}, "not a share"),
        ({"min_points": Decimal(-1)}, "negative"),
        ({"fixed_positions": ((ADA.id, 0),)}, "count from 1"),
        ({"fixed_positions": ((ADA.id, 1), (BAYO.id, 1))}, "clash"),
        ({"fixed_positions": ((ADA.id, LAST),), "project_lead_last": True}, "last position is fixed twice"),
    ],
)
def test_an_inconsistent_policy_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        AuthorshipPolicy(**kwargs)  # type: ignore[arg-type]


# --- properties ------------------------------------------------------------------------

POOL = [member(f"p{i}.x", surname=random.Random(i).choice(["Eze", "Obi", "Ade", "Uche"])) for i in range(8)]
PROPERTY_MEMBERS = {m.id: m for m in [*POOL, LEAD, REVIEWER]}


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Task], Ledger, list[Confirmation], AuthorshipPolicy]:
    tasks: list[Task] = []
    ledger = Ledger()
    for i in range(draw(st.integers(1, 8))):
        team = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=4, unique_by=lambda m: m.id))
        t = task(
            f"P{i}",
            proj=PROJECT,
            points=str(Decimal(draw(st.integers(1, 2000))) / 100),
            icmje=draw(st.sampled_from(list(Icmje))),
            role=draw(st.sampled_from(list(CreditRole))),
        )
        t = accepted(t, team, by=REVIEWER, start=T0 + timedelta(days=draw(st.integers(0, 3))))
        tasks.append(t)
        ledger.award(t, by=REVIEWER)
    confirmed = draw(st.lists(st.sampled_from(POOL), unique_by=lambda m: m.id))
    confirmations = [Confirmation(m.id, PAPER.id, True, True, T0) for m in confirmed]
    policy = AuthorshipPolicy(
        min_share=draw(st.sampled_from([None, Decimal(0), Decimal("0.05"), Decimal("0.2")])),
        shared_first_on_tie=draw(st.booleans()),
        carry_over=draw(st.booleans()),
    )
    return tasks, ledger, confirmations, policy


def _decide(
    tasks: Sequence[Task],
    entries: Sequence[LedgerEntry],
    confirmations: Sequence[Confirmation],
    policy: AuthorshipPolicy,
) -> AuthorshipDecision:
    return decide_authorship(
        PAPER,
        project=PROJECT,
        members=PROPERTY_MEMBERS,
        tasks=tasks,
        entries=entries,
        confirmations=confirmations,
        policy=policy,
    )


@given(scenarios(), st.randoms(use_true_random=False))
def test_the_author_order_does_not_depend_on_input_order(
    case: tuple[list[Task], Ledger, list[Confirmation], AuthorshipPolicy], rnd: random.Random
) -> None:
    tasks, ledger, confirmations, policy = case
    first = _decide(tasks, ledger.entries, confirmations, policy)
    tasks2, entries2, confirmations2 = list(tasks), list(ledger.entries), list(confirmations)
    rnd.shuffle(tasks2)
    rnd.shuffle(entries2)
    rnd.shuffle(confirmations2)
    second = _decide(tasks2, entries2, confirmations2, policy)
    assert second.author_ids == first.author_ids
    assert second.acknowledged == first.acknowledged
    assert second.tie_breaks == first.tie_breaks
    assert second.jats() == first.jats()


@given(scenarios())
def test_no_author_misses_a_criterion_or_the_threshold(
    case: tuple[list[Task], Ledger, list[Confirmation], AuthorshipPolicy],
) -> None:
    tasks, ledger, confirmations, policy = case
    decision = _decide(tasks, ledger.entries, confirmations, policy)
    for author in decision.authors:
        assert author.criteria.missing == ()
        assert author.exact >= decision.threshold
        assert author.exact > 0
    positive = {s.member_id for s in standings_of(ledger.entries, {t.id: t for t in tasks}) if s.exact > 0}
    listed = [*decision.author_ids, *(a.member_id for a in decision.acknowledged)]
    assert sorted(listed) == sorted(positive)
    assert [a.position for a in decision.authors] == list(range(1, len(decision.authors) + 1))
