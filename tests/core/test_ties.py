"""Equal contributions compare equal: a split's odd cent never decides anything.

Ten points shared by three are 3.34, 3.33 and 3.33 on the ledger (the odd cent goes
by member id), but each of the three earned exactly 10/3. Author order, the threshold,
joint first authorship, CRediT degrees, standings and carry-over compare the exact
points; the documented tie-breaks then decide, and the decision says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from braingain.core.authorship.credit import CreditRole, Degree, degrees_for
from braingain.core.authorship.icmje import (
    AuthorshipDecision,
    AuthorshipPolicy,
    Confirmation,
    Criterion,
    LeaderEvidence,
    Output,
    OutputKind,
    decide_authorship,
)
from braingain.core.authorship.ledger import Ledger, rounding_rests, standings_of
from braingain.core.authorship.tasks import Icmje, Task
from braingain.core.ids import EntryId
from braingain.core.members import Member
from tests.builders import T0, accepted, at, leader, member, project, task

LEAD = leader("lead.senior", given_names="Sade", surname="Senior")
REVIEWER = leader("lead.reviewer", given_names="Remi", surname="Reviewer")
# The odd cent goes by member id (a., b., c.); the tie-break goes by surname (A, O, Z).
ZARA = member("a.zubairu", given_names="Zara", surname="Zubairu")
BOLA = member("b.okafor", given_names="Bola", surname="Okafor")
CHIDI = member("c.adebayo", given_names="Chidi", surname="Adebayo")
TRIO = [ZARA, BOLA, CHIDI]
MEMBERS = {m.id: m for m in [LEAD, REVIEWER, *TRIO]}
PROJECT = project("sr", lead=LEAD)
PAPER = Output.create(id="paper", project=PROJECT, kind=OutputKind.PAPER, title="The review")


class Case:
    """Accepted tasks, their ledger, confirmations and evidence for one output."""

    def __init__(self) -> None:
        self.tasks: list[Task] = []
        self.ledger = Ledger()
        self.confirmations = [Confirmation(m.id, PAPER.id, True, True, at(30)) for m in TRIO]
        self.evidence = [
            LeaderEvidence(m.id, PAPER.id, Criterion.DRAFTING_OR_REVISION, "Revised the draft", LEAD.id)
            for m in TRIO
        ]

    def work(self, team: Sequence[Member], points: int | str = 10, **kw: object) -> Task:
        t = task(f"T{len(self.tasks) + 1}", proj=PROJECT, points=points, role=CreditRole.METHODOLOGY, **kw)  # type: ignore[arg-type]
        t = accepted(t, team, by=REVIEWER)
        self.tasks.append(t)
        self.ledger.award(t, by=REVIEWER)
        return t

    def adjust(
        self, who: Member, amount: str, task: Task | None = None, corrects: Task | None = None
    ) -> None:
        self.ledger.adjust(
            member=who.id,
            project=PROJECT.id,
            amount=amount,
            reason="leader's correction",
            by=LEAD,
            at=at(40),
            task=task.id if task else None,
            corrects=EntryId(f"award:{corrects.id}:{who.id}") if corrects else None,
        )

    def decide(self, **policy: object) -> AuthorshipDecision:
        return decide_authorship(
            PAPER,
            project=PROJECT,
            members=MEMBERS,
            tasks=self.tasks,
            entries=self.ledger.entries,
            confirmations=self.confirmations,
            evidence=self.evidence,
            policy=AuthorshipPolicy(**policy),  # type: ignore[arg-type]
        )


def degrees(decision: AuthorshipDecision) -> dict[str, set[tuple[CreditRole, Degree]]]:
    return {a.name: {(r.role, r.degree) for r in a.roles} for a in decision.authors}


# --- the case ------------------------------------------------------------------


def test_three_equal_shares_of_ten_points_are_tied_and_the_tie_break_is_shown() -> None:
    case = Case()
    case.work(TRIO)
    decision = case.decide()

    assert [(a.name, a.points) for a in decision.authors] == [
        ("Chidi Adebayo", Decimal("3.33")),
        ("Bola Okafor", Decimal("3.33")),
        ("Zara Zubairu", Decimal("3.34")),
    ], "the odd cent went to Zara, but the tie-break (surname) decides, not the cent"
    assert {a.exact for a in decision.authors} == {Fraction(10, 3)}
    assert [a.placed for a in decision.authors] == ["tie-break"] * 3
    assert {a.share for a in decision.authors} == {Decimal("0.3333")}
    assert decision.authors[0].tied_with == (BOLA.id, ZARA.id)
    assert decision.tie_breaks == (
        "Chidi Adebayo before Bola Okafor: tied on points (3.33 each); "
        "order by surname in alphabetical order",
        "Bola Okafor before Zara Zubairu: tied on points (3.33 and 3.34 as shown: equal before rounding "
        "to the cent); order by surname in alphabetical order",
    )
    assert degrees(decision) == {m.name: {(CreditRole.METHODOLOGY, Degree.EQUAL)} for m in TRIO}
    assert decision.notes == ()


def test_equal_shares_of_several_tasks_stay_tied_however_the_cents_add_up() -> None:
    case = Case()
    case.work(TRIO)
    case.work(TRIO)  # Zara gets the odd cent twice: 6.68 against 6.66 and 6.66
    decision = case.decide()
    assert [a.points for a in decision.authors] == [Decimal("6.66"), Decimal("6.66"), Decimal("6.68")]
    assert [a.name for a in decision.authors] == ["Chidi Adebayo", "Bola Okafor", "Zara Zubairu"]
    assert len(decision.tie_breaks) == 2


def test_equal_shares_at_the_top_are_joint_first_authors_whoever_got_the_cent() -> None:
    case = Case()
    case.work(TRIO)
    decision = case.decide(shared_first_on_tie=True)
    assert [a.equal_first for a in decision.authors] == [True, True, True]
    assert (
        "joint first authors on equal points (3.33, 3.33 and 3.34 as shown: equal before rounding to "
        "the cent): Chidi Adebayo, Bola Okafor, Zara Zubairu"
    ) in decision.notes


def test_a_leaders_adjustment_of_one_cent_is_a_real_difference() -> None:
    case = Case()
    t1 = case.work(TRIO)
    case.adjust(CHIDI, "0.01")
    decision = case.decide()
    assert next(a.name for a in decision.authors) == "Chidi Adebayo"
    assert decision.authors[0].placed == "by points"
    assert decision.tie_breaks == (
        "Bola Okafor before Zara Zubairu: tied on points (3.33 and 3.34 as shown: equal before rounding "
        "to the cent); order by surname in alphabetical order",
    )
    assert degrees(decision)["Chidi Adebayo"] == {(CreditRole.METHODOLOGY, Degree.EQUAL)}, (
        "an adjustment that names no task changes no CRediT role"
    )

    case.adjust(BOLA, "0.01", task=t1)
    by_task = case.decide()
    assert degrees(by_task) == {
        "Chidi Adebayo": {(CreditRole.METHODOLOGY, Degree.SUPPORTING)},
        "Bola Okafor": {(CreditRole.METHODOLOGY, Degree.LEAD)},
        "Zara Zubairu": {(CreditRole.METHODOLOGY, Degree.SUPPORTING)},
    }


def test_points_that_look_equal_but_are_not_are_ordered_by_the_exact_points_and_the_note_says_why() -> None:
    case = Case()
    case.work(TRIO)
    case.adjust(ZARA, "-0.01")  # Zara now shows 3.33 like the others, but has a cent less than them
    decision = case.decide()
    assert [(a.name, a.points) for a in decision.authors] == [
        ("Chidi Adebayo", Decimal("3.33")),
        ("Bola Okafor", Decimal("3.33")),
        ("Zara Zubairu", Decimal("3.33")),
    ]
    assert decision.authors[2].placed == "by points"
    assert decision.notes == (
        "Bola Okafor before Zara Zubairu: both show 3.33 points, but Bola Okafor has more before rounding "
        "to the cent (3.333 vs 3.323)",
    )


def test_the_threshold_treats_equal_shares_alike_and_says_where_the_shown_points_mislead() -> None:
    case = Case()
    case.work(TRIO)
    above = case.decide(min_points=Decimal("3.33"), min_share=None)
    assert len(above.authors) == 3

    below = case.decide(min_points=Decimal("3.34"), min_share=None)
    assert below.authors == ()
    assert [(a.name, a.below_threshold) for a in below.acknowledged] == [
        ("Chidi Adebayo", True),
        ("Bola Okafor", True),
        ("Zara Zubairu", True),
    ], "acknowledged members with equal points are listed by surname, not by the odd cent"
    assert below.notes == (
        "Zara Zubairu shows 3.34 points but has 3.333 before rounding to the cent, which is below the "
        "threshold of 3.34",
    )


def test_a_share_threshold_compares_exact_shares() -> None:
    case = Case()
    case.work(TRIO)
    decision = case.decide(min_share=Decimal("0.334"))  # 3.34 of 10: Zara's cent would just reach it
    assert decision.threshold == Decimal("3.34")
    assert decision.authors == ()


def test_carried_over_points_keep_equal_shares_equal_on_the_next_output() -> None:
    case = Case()
    case.work([ZARA, BOLA, CHIDI])
    case.work([LEAD], points=200)
    first = case.decide(min_share=Decimal("0.05"), carry_over=True)
    assert {m: (t.shown, t.exact) for m, t in first.carry_over.items()} == {
        ZARA.id: (Decimal("3.34"), Fraction(10, 3)),
        BOLA.id: (Decimal("3.33"), Fraction(10, 3)),
        CHIDI.id: (Decimal("3.33"), Fraction(10, 3)),
    }
    nxt = decide_authorship(
        PAPER,
        project=PROJECT,
        members=MEMBERS,
        tasks=[],
        entries=[],
        confirmations=case.confirmations,
        evidence=[
            *case.evidence,
            *(
                LeaderEvidence(m.id, PAPER.id, Criterion.DESIGN_ACQUISITION_ANALYSIS, "Analysed", LEAD.id)
                for m in TRIO
            ),
        ],
        policy=AuthorshipPolicy(min_share=None),
        carried_in=first.carry_over,
    )
    assert [a.name for a in nxt.authors] == ["Chidi Adebayo", "Bola Okafor", "Zara Zubairu"]
    assert [a.placed for a in nxt.authors] == ["tie-break"] * 3


def test_an_award_taken_back_in_full_by_a_correction_leaves_no_stray_fraction_of_a_cent() -> None:
    case = Case()
    t1 = case.work(TRIO)
    case.adjust(BOLA, "-3.33", corrects=t1)
    case.adjust(ZARA, "-3.34", corrects=t1)
    decision = case.decide()
    assert [a.name for a in decision.authors] == ["Chidi Adebayo"]
    assert decision.acknowledged == ()
    assert [(s.member_id, s.exact) for s in standings_of(case.ledger.entries, {t1.id: t1})] == [
        (CHIDI.id, Fraction(10, 3)),
        (ZARA.id, Fraction(0)),
        (BOLA.id, Fraction(0)),
    ]


def test_of_two_who_share_one_cent_both_have_points() -> None:
    case = Case()
    case.work([ZARA, BOLA], points="0.01")
    decision = case.decide(min_share=None)
    assert [(a.name, a.points, a.placed) for a in decision.authors] == [
        ("Bola Okafor", Decimal("0.00"), "tie-break"),
        ("Zara Zubairu", Decimal("0.01"), "tie-break"),
    ]


def test_standings_rank_equal_shares_equal_and_an_adjustment_apart() -> None:
    case = Case()
    case.work(TRIO)
    tasks = {t.id: t for t in case.tasks}
    table = standings_of(case.ledger.entries, tasks)
    assert [(s.member_id, s.points, s.exact) for s in table] == [
        (ZARA.id, Decimal("3.34"), Fraction(10, 3)),
        (BOLA.id, Decimal("3.33"), Fraction(10, 3)),
        (CHIDI.id, Decimal("3.33"), Fraction(10, 3)),
    ]
    case.adjust(CHIDI, "0.01")
    assert next(s.member_id for s in standings_of(case.ledger.entries, tasks)) == CHIDI.id


def test_what_rounding_took_from_each_award_is_worked_out_from_its_task() -> None:
    case = Case()
    t1 = case.work(TRIO)
    entries = case.ledger.entries
    assert rounding_rests(entries, {t1.id: t1}) == {
        "award:T1:a.zubairu": (-2, 300),  # 3.34 shown, 10/3 exact: 2/300 points more than earned
        "award:T1:b.okafor": (1, 300),
        "award:T1:c.adebayo": (1, 300),
    }
    assert rounding_rests(entries, {}) == {}, "without its task an award counts as it shows"
    reshaped = dataclasses.replace(t1, points=Decimal(20))
    assert rounding_rests(entries, {t1.id: reshaped}) == {}, "so does one its task no longer explains"


def test_degrees_compare_exact_points_of_either_type() -> None:
    third = Fraction(10, 3)
    assert degrees_for({"a": third, "b": third, "c": Fraction(3)}) == {
        "a": Degree.EQUAL,
        "b": Degree.EQUAL,
        "c": Degree.SUPPORTING,
    }
    assert degrees_for({"a": Decimal("3.34"), "b": third}) == {"a": Degree.LEAD, "b": Degree.SUPPORTING}


# --- properties: neither ids nor where the cents went decide anything ------------------

NAMES = [
    ("Ada", "Adeyemi"),
    ("Bayo", "Bello"),
    ("Chi", "Chukwu"),
    ("Dapo", "Dike"),
    ("Efe", "Eze"),
    ("Funmi", "Fola"),
]
IDS = [f"m{i}.x" for i in range(len(NAMES))]


@dataclass(frozen=True)
class Work:
    """One accepted task by people (indices into NAMES), with equal or weighted shares."""

    team: tuple[int, ...]
    cents: int
    weights: tuple[int, ...] | None
    icmje: Icmje
    role: CreditRole
    day: int


@st.composite
def works(draw: st.DrawFn, people: int = len(NAMES)) -> Work:
    team = tuple(draw(st.lists(st.integers(0, people - 1), min_size=1, max_size=people, unique=True)))
    weighted = draw(st.booleans())
    return Work(
        team=team,
        cents=draw(st.integers(1, 3000)),
        weights=tuple(draw(st.integers(1, 3)) for _ in team) if weighted else None,
        icmje=draw(st.sampled_from([Icmje.DESIGN_ACQUISITION_ANALYSIS, Icmje.DRAFTING_OR_REVISION])),
        role=draw(st.sampled_from([CreditRole.METHODOLOGY, CreditRole.INVESTIGATION])),
        day=draw(st.integers(0, 2)),
    )


policies = st.builds(
    AuthorshipPolicy,
    min_points=st.sampled_from([None, Decimal("1.00"), Decimal("3.33")]),
    min_share=st.sampled_from([None, Decimal("0.05"), Decimal("0.2")]),
    shared_first_on_tie=st.booleans(),
    carry_over=st.booleans(),
)


def build(
    plan: Sequence[Work], confirmed: set[int], ids: Sequence[str], policy: AuthorshipPolicy
) -> tuple[AuthorshipDecision, dict[str, Fraction]]:
    """The decision and the exact standings, with person ``i`` known by ``ids[i]``."""
    people = [member(ids[i], given_names=g, surname=s) for i, (g, s) in enumerate(NAMES)]
    tasks: list[Task] = []
    ledger = Ledger()
    for n, work in enumerate(plan):
        team = [people[i] for i in work.team]
        t = task(f"T{n}", proj=PROJECT, points=Decimal(work.cents) / 100, icmje=work.icmje, role=work.role)
        start = T0 + timedelta(days=work.day)
        t = t.open(by=REVIEWER, at=start)
        t = t.assign([m.id for m in team], head=team[0].id, by=REVIEWER, at=start + timedelta(hours=1))
        if work.weights:
            t = t.with_shares(
                {m.id: Decimal(w) for m, w in zip(team, work.weights, strict=True)}, by=REVIEWER
            )
        t = t.start_work(by=team[0], at=start + timedelta(hours=2))
        t = t.submit(by=team[0], at=start + timedelta(days=1))
        t = t.accept(by=REVIEWER, at=start + timedelta(days=2))
        tasks.append(t)
        ledger.award(t, by=REVIEWER)
    decision = decide_authorship(
        PAPER,
        project=PROJECT,
        members={m.id: m for m in [*people, LEAD, REVIEWER]},
        tasks=tasks,
        entries=ledger.entries,
        confirmations=[Confirmation(people[i].id, PAPER.id, True, True, T0) for i in sorted(confirmed)],
        policy=policy,
    )
    name = {m.id: m.name for m in people}
    table = {name[s.member_id]: s.exact for s in standings_of(ledger.entries, {t.id: t for t in tasks})}
    return decision, table


def by_person(decision: AuthorshipDecision) -> object:
    """Everything the decision says about people, by name: ids and shown cents left out."""

    def roles(credits: Sequence[object]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((r.role.value, r.degree.value) for r in credits))  # type: ignore[attr-defined]

    return (
        decision.threshold,
        [(a.name, a.exact, a.share, a.placed, a.equal_first, roles(a.roles)) for a in decision.authors],
        [(k.name, k.exact, k.missing, k.below_threshold, roles(k.roles)) for k in decision.acknowledged],
        sorted(t.exact for t in decision.carry_over.values()),
        len(decision.tie_breaks),
    )


@given(
    st.lists(works(), min_size=1, max_size=6),
    st.sets(st.integers(0, len(NAMES) - 1)),
    st.permutations(IDS),
    policies,
)
def test_who_has_which_member_id_never_changes_a_decision(
    plan: list[Work], confirmed: set[int], shuffled: list[str], policy: AuthorshipPolicy
) -> None:
    """Renaming members moves the odd cents to other people; nothing any person is told changes."""
    first, first_table = build(plan, confirmed, IDS, policy)
    second, second_table = build(plan, confirmed, shuffled, policy)
    assert by_person(second) == by_person(first)
    assert second_table == first_table


@st.composite
def twin_plans(draw: st.DrawFn) -> tuple[list[Work], int, int]:
    """Work in which two people (``a`` and ``b``) always work together with equal weights."""
    a, b = draw(st.lists(st.integers(0, len(NAMES) - 1), min_size=2, max_size=2, unique=True))
    plan = []
    for work in draw(st.lists(works(), min_size=1, max_size=6)):
        weights = work.weights or (1,) * len(work.team)
        shares = [(i, w) for i, w in zip(work.team, weights, strict=True) if i not in (a, b)]
        if draw(st.booleans()) or not shares:
            weight = draw(st.integers(1, 3))
            shares += [(a, weight), (b, weight)]
        team = tuple(i for i, _ in shares)
        weighted = tuple(w for _, w in shares) if work.weights else None
        plan.append(dataclasses.replace(work, team=team, weights=weighted))
    return plan, a, b


@given(twin_plans(), st.sets(st.integers(0, len(NAMES) - 1)), st.booleans(), policies)
def test_members_who_did_exactly_the_same_work_compare_equal_everywhere(
    twins: tuple[list[Work], int, int], confirmed: set[int], both_confirm: bool, policy: AuthorshipPolicy
) -> None:
    plan, a, b = twins
    confirmed = (confirmed | {a, b}) if both_confirm else (confirmed - {a, b})
    decision, table = build(plan, confirmed, IDS, policy)
    name_a, name_b = (" ".join(NAMES[i]) for i in (a, b))
    assert table.get(name_a) == table.get(name_b)
    authors = {x.name: x for x in decision.authors}
    acknowledged = {x.name: x for x in decision.acknowledged}
    assert (name_a in authors) == (name_b in authors)
    assert (name_a in acknowledged) == (name_b in acknowledged)
    if name_a in authors:
        x, y = authors[name_a], authors[name_b]
        assert x.exact == y.exact
        assert x.share == y.share
        assert x.equal_first == y.equal_first
        assert {(r.role, r.degree) for r in x.roles} == {(r.role, r.degree) for r in y.roles}
        assert y.member_id in x.tied_with
        assert x.member_id in y.tied_with
        assert x.placed == y.placed == "tie-break"
    if name_a in acknowledged:
        p, q = acknowledged[name_a], acknowledged[name_b]
        assert p.exact == q.exact
        assert p.below_threshold == q.below_threshold
        assert {(r.role, r.degree) for r in p.roles} == {(r.role, r.degree) for r in q.roles}
