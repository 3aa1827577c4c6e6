"""Specification of volunteering: who may offer, what a track record counts, and who is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.authorship.volunteering import (
    DEFAULT_OPEN_TASK_LIMIT,
    Attendance,
    Ratio,
    Selection,
    TrackRecord,
    Volunteer,
    select_volunteers,
    track_records,
    volunteer,
    why_ahead,
)
from braingain.core.errors import CapacityExceeded, InvalidValue, NotPermitted, UnknownReference
from braingain.core.ids import MemberId, TaskId
from braingain.core.members import Member
from tests.builders import T0, accepted, at, ids, leader, member, task

LEAD = leader("lead.one")
REVIEWER = leader("lead.two")
ADA = member("ada.obi")
BEN = member("ben.eze")
CHI = member("chi.nna")
DAN = member("dan.umeh")

A, B, C, D = MemberId("a"), MemberId("b"), MemberId("c"), MemberId("d")


def open_task(id: str = "T1", *, stage: str = "screening", cap: int | None = None) -> Task:
    return task(id, stage=stage, max_volunteers=cap).open(by=LEAD, at=T0)


def offer(mid: MemberId, hours: float = 0, *, task_id: str = "T1") -> Volunteer:
    return Volunteer(task_id=TaskId(task_id), member_id=mid, at=at(hours=hours))


def record(
    mid: MemberId,
    *,
    stage: tuple[int, int] | None = None,
    overall: tuple[int, int] = (0, 0),
    on_time: tuple[int, int] = (0, 0),
    attendance: Attendance | None = None,
    active: int = 0,
) -> TrackRecord:
    """A track record for the screening stage, given as (hits, out of) pairs."""
    return TrackRecord(
        member_id=mid,
        first_time_by_stage={} if stage is None else {"screening": Ratio(*stage)},
        first_time_overall=Ratio(*overall),
        on_time=Ratio(*on_time),
        attendance=attendance or Attendance(),
        active_tasks=active,
    )


def records(*items: TrackRecord) -> dict[MemberId, TrackRecord]:
    return {r.member_id: r for r in items}


def order(selection: Selection) -> list[MemberId]:
    return [c.member_id for c in selection.candidates]


def reason_of(selection: Selection, mid: MemberId) -> str:
    return next(c.reason for c in selection.candidates if c.member_id == mid)


# --- volunteering --------------------------------------------------------------------------


def test_an_active_member_volunteers_for_an_open_task() -> None:
    v = volunteer(open_task(), ADA, at=at(hours=1), note="  I have   screened before ")

    assert v == Volunteer(
        task_id=TaskId("T1"), member_id=ADA.id, at=at(hours=1), note="I have screened before"
    )


@pytest.mark.parametrize("status", [TaskStatus.DRAFT, TaskStatus.ASSIGNED, TaskStatus.CANCELLED])
def test_members_can_volunteer_only_for_open_tasks(status: TaskStatus) -> None:
    t = task()
    if status is not TaskStatus.DRAFT:
        t = t.open(by=LEAD, at=T0)
    if status is TaskStatus.ASSIGNED:
        t = t.assign(ids(BEN), head=BEN.id, by=LEAD, at=at(hours=1))
    if status is TaskStatus.CANCELLED:
        t = t.cancel(by=LEAD, at=at(hours=1))

    with pytest.raises(InvalidValue) as raised:
        volunteer(t, ADA, at=at(hours=2))

    assert raised.value.reason == f"task T1 is {status.value}, not open"
    assert raised.value.hint == "members can volunteer only for open tasks"


@pytest.mark.parametrize(
    "someone",
    [
        member("ada.obi", active=False),
        member("ada.obi", left_on=date(2026, 1, 1)),
        member("ada.obi", joined_on=date(2026, 4, 1)),
    ],
    ids=["inactive", "has left", "not yet joined"],
)
def test_only_active_members_volunteer(someone: Member) -> None:
    with pytest.raises(NotPermitted) as raised:
        volunteer(open_task(), someone, at=at(hours=1))

    assert raised.value.reason == "Ada Obi is not an active member"


def test_a_member_cannot_volunteer_twice_for_the_same_task() -> None:
    t = open_task()
    first = volunteer(t, ADA, at=at(hours=1))

    with pytest.raises(InvalidValue) as raised:
        volunteer(t, ADA, at=at(hours=2), existing=[first])

    assert raised.value.reason == "Ada Obi has already volunteered for task T1"


def test_an_offer_for_another_task_does_not_count_as_volunteering_twice() -> None:
    elsewhere = volunteer(open_task("T2"), ADA, at=at(hours=1))
    theirs = volunteer(open_task(), BEN, at=at(hours=1))

    v = volunteer(open_task(), ADA, at=at(hours=2), existing=[elsewhere, theirs])

    assert v.member_id == ADA.id


def test_a_volunteering_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(InvalidValue) as raised:
        volunteer(open_task(), ADA, at=datetime(2026, 3, 7, 11, 0))

    assert raised.value.field == "volunteered at"


# --- track records ---------------------------------------------------------------------------


def test_first_time_acceptance_is_counted_per_stage_and_overall() -> None:
    done = [
        accepted(task("S1", stage="screening"), [ADA, BEN]),
        accepted(task("S2", stage="screening"), [ADA], rework=True),
        accepted(task("E1", stage="extraction"), [ADA]),
    ]

    recs = track_records([ADA, BEN], done)

    assert recs[ADA.id].proficiency_in("screening") == Ratio(1, 2)
    assert recs[ADA.id].proficiency_in("extraction") == Ratio(1, 1)
    assert recs[ADA.id].proficiency_in("synthesis") == Ratio(0, 0)
    assert recs[ADA.id].first_time_overall == Ratio(2, 3)
    assert recs[BEN.id].first_time_overall == Ratio(1, 1)


def test_only_reviewed_work_counts_towards_proficiency() -> None:
    t = task("S1").open(by=LEAD, at=T0)
    t = t.assign(ids(ADA), head=ADA.id, by=LEAD, at=at(hours=1)).start_work(by=ADA, at=at(hours=2))
    waiting = t.submit(by=ADA, at=at(days=1))
    sent_back = waiting.request_rework(by=LEAD, at=at(days=2), note="criterion 1 not met")

    assert track_records([ADA], [waiting])[ADA.id].first_time_overall == Ratio(0, 0)
    assert track_records([ADA], [t])[ADA.id].first_time_overall == Ratio(0, 0)
    assert track_records([ADA], [sent_back])[ADA.id].first_time_overall == Ratio(0, 1)
    assert track_records([ADA], [sent_back])[ADA.id].proficiency_in("screening") == Ratio(0, 1)


def test_on_time_delivery_is_counted_over_tasks_with_a_due_date_and_a_submission() -> None:
    # accepted() submits at 10:00 UTC on 8 March: still 7 March anywhere on Earth.
    on_time = accepted(task("S1", due=date(2026, 3, 7)), [ADA])
    late = accepted(task("S2", due=date(2026, 3, 6)), [ADA])
    no_due = accepted(task("S3"), [ADA])

    recs = track_records([ADA], [on_time, late, no_due])

    assert recs[ADA.id].on_time == Ratio(1, 2)


def test_active_tasks_are_those_assigned_and_not_yet_accepted_or_cancelled() -> None:
    base = task("T9").open(by=LEAD, at=T0)
    assigned = base.assign(ids(ADA, BEN), head=ADA.id, by=LEAD, at=at(hours=1))
    working = assigned.start_work(by=ADA, at=at(hours=2))
    submitted = working.submit(by=ADA, at=at(days=1))
    rework = submitted.request_rework(by=LEAD, at=at(days=2), note="redo")
    tasks = [
        base,
        assigned,
        working,
        submitted,
        rework,
        accepted(task("T8"), [ADA]),
        assigned.cancel(by=LEAD, at=at(days=1)),
    ]

    recs = track_records([ADA, BEN, CHI], tasks)

    assert recs[ADA.id].active_tasks == 4
    assert recs[BEN.id].active_tasks == 4
    assert recs[CHI.id].active_tasks == 0


def test_attendance_is_carried_into_the_record_and_defaults_to_none_recorded() -> None:
    recs = track_records([ADA, BEN], [], {ADA.id: Attendance(present=5, absent=1, excused=2)})

    assert recs[ADA.id].attendance == Attendance(5, 1, 2)
    assert recs[BEN.id].attendance == Attendance()
    assert recs[BEN.id] == TrackRecord(
        member_id=BEN.id,
        first_time_by_stage={},
        first_time_overall=Ratio(0, 0),
        on_time=Ratio(0, 0),
        attendance=Attendance(),
        active_tasks=0,
    )


def test_contributors_who_are_not_among_the_members_are_left_out() -> None:
    recs = track_records([ADA], [accepted(task(), [ADA, BEN])])

    assert set(recs) == {ADA.id}


def test_attendance_rate_does_not_count_excused_absences() -> None:
    assert Attendance(present=3, absent=1, excused=5).rate == Fraction(3, 4)
    assert Attendance(present=0, absent=0, excused=4).rate is None
    assert Attendance().rate is None


def test_commitment_is_the_average_of_on_time_delivery_and_attendance() -> None:
    both = record(A, on_time=(1, 2), attendance=Attendance(present=3, absent=1))
    only_on_time = record(A, on_time=(2, 3))
    only_attendance = record(A, attendance=Attendance(present=1, absent=4))

    assert both.commitment == Fraction(5, 8)
    assert only_on_time.commitment == Fraction(2, 3)
    assert only_attendance.commitment == Fraction(1, 5)
    assert record(A).commitment is None


def test_a_ratio_reads_as_hits_out_of_with_a_rounded_percentage() -> None:
    assert str(Ratio(2, 3)) == "2 of 3 (67%)"
    assert str(Ratio(1, 8)) == "1 of 8 (13%)"
    assert str(Ratio(0, 0)) == "none yet"
    assert Ratio(0, 0).rate is None


# --- choosing among volunteers --------------------------------------------------------------


def test_same_stage_proficiency_ranks_first() -> None:
    recs = records(
        record(A, stage=(1, 2), overall=(1, 4)),
        record(B, stage=(0, 1), overall=(9, 10), on_time=(5, 5)),
        record(C, stage=(2, 2), overall=(2, 9)),
    )

    s = select_volunteers(open_task(cap=2), [offer(A), offer(B), offer(C)], recs)

    assert order(s) == [C, A, B]
    assert s.selected == (C, A)


def test_overall_proficiency_breaks_a_tie_in_the_stage() -> None:
    recs = records(
        record(A, stage=(1, 1), overall=(1, 3), on_time=(4, 4)),
        record(B, stage=(1, 1), overall=(3, 4)),
    )

    s = select_volunteers(open_task(cap=1), [offer(A), offer(B)], recs)

    assert order(s) == [B, A]


def test_commitment_breaks_a_tie_in_proficiency() -> None:
    # A is always on time but rarely attends (5/8); B is steady at 3/4 on both (3/4).
    recs = records(
        record(A, stage=(1, 1), overall=(1, 1), on_time=(1, 1), attendance=Attendance(1, 3)),
        record(B, stage=(1, 1), overall=(1, 1), on_time=(3, 4), attendance=Attendance(3, 1)),
    )

    s = select_volunteers(open_task(cap=1), [offer(A), offer(B, hours=1)], recs)

    assert order(s) == [B, A]


def test_earlier_volunteering_breaks_a_tie_in_commitment() -> None:
    recs = records(
        record(A, overall=(1, 2), on_time=(1, 2), attendance=Attendance(1, 0)),
        record(B, overall=(1, 2), on_time=(1, 1), attendance=Attendance(1, 1)),
    )

    s = select_volunteers(open_task(cap=1), [offer(A, hours=2), offer(B, hours=1)], recs)

    assert order(s) == [B, A]


def test_member_id_breaks_the_last_tie() -> None:
    recs = records(record(C, overall=(1, 1)), record(A, overall=(1, 1)), record(B, overall=(1, 1)))

    s = select_volunteers(open_task(cap=1), [offer(C), offer(B), offer(A)], recs)

    assert order(s) == [A, B, C]
    assert [c.rank for c in s.candidates] == [1, 2, 3]


def test_members_with_no_record_rank_after_members_with_one_and_the_reason_says_so() -> None:
    recs = records(
        record(A, attendance=Attendance(10, 0), on_time=(3, 3)),
        record(B, overall=(0, 3)),
    )

    s = select_volunteers(open_task(cap=1), [offer(A), offer(B, hours=5)], recs)

    assert order(s) == [B, A]
    assert "no reviewed work yet, so ranked after members with a record" in reason_of(s, A)
    assert "no reviewed work yet" not in reason_of(s, B)


def test_the_reason_gives_the_figures_behind_the_ranking() -> None:
    recs = records(
        record(
            A,
            stage=(2, 3),
            overall=(3, 4),
            on_time=(1, 2),
            attendance=Attendance(present=3, absent=1, excused=2),
        ),
        record(B, overall=(1, 1)),
    )

    s = select_volunteers(open_task(cap=1), [offer(A), offer(B, hours=1.5)], recs)

    assert reason_of(s, A) == (
        "chosen — accepted without rework in this stage: 2 of 3 (67%); overall: 3 of 4 (75%); "
        "on time: 1 of 2 (50%); attended 3 of 4 meetings, 2 excused not counted; "
        "volunteered Saturday 7 March 2026, 10:00 (UTC)"
    )
    assert reason_of(s, B) == (
        "not chosen: the task takes 1 — accepted without rework in this stage: none yet; "
        "overall: 1 of 1 (100%); on time: none yet; no meeting attendance recorded; "
        "volunteered Saturday 7 March 2026, 11:30 (UTC)"
    )


def test_members_at_their_open_task_limit_are_skipped_with_a_reason() -> None:
    recs = records(
        record(A, stage=(1, 1), overall=(1, 1), active=DEFAULT_OPEN_TASK_LIMIT),
        record(B, overall=(0, 1), active=DEFAULT_OPEN_TASK_LIMIT - 1),
    )

    s = select_volunteers(open_task(cap=1), [offer(A), offer(B)], recs)

    assert s.selected == (B,)
    assert order(s) == [A, B]
    assert reason_of(s, A).startswith("skipped: already on 3 open tasks (limit 3) — ")


def test_the_open_task_limit_can_be_changed_or_lifted() -> None:
    recs = records(record(A, overall=(1, 1), active=1), record(B, overall=(0, 1), active=5))
    offers = [offer(A), offer(B)]

    assert select_volunteers(open_task(), offers, recs, open_task_limit=1).selected == ()
    assert select_volunteers(open_task(), offers, recs, open_task_limit=2).selected == (A,)
    assert select_volunteers(open_task(), offers, recs, open_task_limit=None).selected == (A, B)


def test_a_leader_can_force_a_member_in_whatever_their_rank() -> None:
    recs = records(record(A, overall=(3, 3)), record(B, overall=(2, 3)), record(C))

    s = select_volunteers(open_task(cap=2), [offer(A), offer(B), offer(C)], recs, force_in=[C])

    assert set(s.selected) == {A, C}
    assert order(s) == [A, B, C]
    assert reason_of(s, C).startswith("chosen by a leader (override) — ")
    assert reason_of(s, B).startswith("not chosen: the task takes 2 — ")


def test_a_member_forced_in_is_chosen_even_at_their_open_task_limit() -> None:
    recs = records(record(A, overall=(1, 1), active=7), record(B, overall=(1, 1)))

    s = select_volunteers(open_task(cap=1), [offer(A), offer(B)], recs, force_in=[A])

    assert s.selected == (A,)


def test_a_leader_can_force_a_member_out_whatever_their_rank() -> None:
    recs = records(record(A, overall=(3, 3)), record(B, overall=(2, 3)), record(C))

    s = select_volunteers(open_task(cap=1), [offer(A), offer(B), offer(C)], recs, force_out=[A])

    assert s.selected == (B,)
    assert reason_of(s, A).startswith("left out by a leader (override) — ")


def test_forcing_in_more_members_than_the_cap_is_refused() -> None:
    recs = records(record(A), record(B), record(C))
    offers = [offer(A), offer(B), offer(C)]

    with pytest.raises(CapacityExceeded) as raised:
        select_volunteers(open_task(cap=2), offers, recs, force_in=[A, B, C])

    assert raised.value.reason == "3 members forced in, but task T1 takes at most 2"
    assert select_volunteers(open_task(cap=2), offers, recs, force_in=[C, C, B]).selected == (B, C)


@pytest.mark.parametrize("override", ["force_in", "force_out"])
def test_only_volunteers_can_be_forced_in_or_out(override: str) -> None:
    recs = records(record(A), record(B))
    offers = [offer(A), offer(B, task_id="T2")]

    with pytest.raises(UnknownReference) as raised:
        select_volunteers(open_task(), offers, recs, **{override: [B]})  # type: ignore[arg-type]

    assert raised.value.reason == "b has not volunteered for task T1"
    assert raised.value.hint == "only volunteers can be forced in or out"


def test_a_member_cannot_be_forced_both_in_and_out() -> None:
    recs = records(record(A), record(B))

    with pytest.raises(InvalidValue) as raised:
        select_volunteers(open_task(), [offer(A), offer(B)], recs, force_in=[A, B], force_out=[B])

    assert raised.value.reason == "b is forced both in and out"


def test_a_volunteer_without_a_track_record_is_an_unknown_member() -> None:
    with pytest.raises(UnknownReference) as raised:
        select_volunteers(open_task(), [offer(A), offer(D)], records(record(A)))

    assert raised.value.reason == "d is not a member of the group"


def test_an_uncapped_task_chooses_everyone_eligible() -> None:
    recs = records(record(A), record(B, active=3), record(C, overall=(1, 1)), record(D))

    s = select_volunteers(open_task(), [offer(A), offer(B), offer(C), offer(D)], recs, force_out=[D])

    assert set(s.selected) == {A, C}
    assert s.cap is None
    assert s.oversubscribed is False
    assert s.notes == ()


def test_an_oversubscribed_selection_says_how_it_ranked() -> None:
    recs = records(record(A), record(B), record(C))

    s = select_volunteers(open_task(cap=2), [offer(A), offer(B), offer(C)], recs)

    assert s.oversubscribed is True
    assert s.cap == 2
    assert s.task_id == "T1"
    assert s.notes == ("3 volunteers for 2 places: ranked by proficiency, then commitment",)
    assert s.selected == (A, B)


def test_a_selection_that_fits_the_cap_is_not_oversubscribed() -> None:
    recs = records(record(A), record(B))

    s = select_volunteers(open_task(cap=2), [offer(A), offer(B)], recs)

    assert s.oversubscribed is False
    assert s.selected == (A, B)
    assert s.notes == ()


def test_repeated_offers_by_the_same_member_keep_the_earliest() -> None:
    recs = records(record(A), record(B))

    s = select_volunteers(open_task(cap=1), [offer(A, hours=5), offer(B, hours=2), offer(A, hours=1)], recs)

    assert order(s) == [A, B]
    assert s.candidates[0].volunteered_at == at(hours=1)
    assert "volunteered Saturday 7 March 2026, 11:00 (UTC)" in reason_of(s, A)


def test_offers_for_other_tasks_are_ignored() -> None:
    recs = records(record(A), record(B))

    s = select_volunteers(open_task(), [offer(A), offer(B, task_id="T2")], recs)

    assert order(s) == [A]


def test_track_records_from_real_tasks_drive_the_choice() -> None:
    history = [
        accepted(task("S1", stage="screening"), [ADA]),
        accepted(task("S2", stage="screening"), [BEN], rework=True),
        accepted(task("X1", stage="extraction"), [CHI]),
    ]
    recs = track_records([ADA, BEN, CHI, DAN], history)
    t = open_task("S3", cap=2)
    offers = [volunteer(t, m, at=at(hours=n)) for n, m in enumerate([DAN, CHI, BEN, ADA], start=1)]

    s = select_volunteers(t, offers, recs)

    assert order(s) == [ADA.id, BEN.id, CHI.id, DAN.id]
    assert s.selected == (ADA.id, BEN.id)


# --- properties -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    task: Task
    offers: list[Volunteer]
    records: dict[MemberId, TrackRecord]
    limit: int | None
    force_in: list[MemberId]
    force_out: list[MemberId]

    def select(self, offers: list[Volunteer] | None = None) -> Selection:
        return select_volunteers(
            self.task,
            self.offers if offers is None else offers,
            self.records,
            open_task_limit=self.limit,
            force_in=self.force_in,
            force_out=self.force_out,
        )


RATIOS = st.tuples(st.integers(0, 4), st.integers(0, 4)).map(lambda pair: Ratio(min(pair), max(pair)))
ATTENDANCES = st.builds(Attendance, st.integers(0, 3), st.integers(0, 3), st.integers(0, 3))
# One volunteer: proficiency by stage, overall, on time, attendance, active tasks, minutes after T0.
PEOPLE = st.lists(
    st.tuples(
        st.dictionaries(st.sampled_from(["screening", "extraction"]), RATIOS, max_size=2),
        RATIOS,
        RATIOS,
        ATTENDANCES,
        st.integers(0, 5),
        st.integers(0, 20),
    ),
    min_size=1,
    max_size=30,
)
CAPS = st.none() | st.integers(1, 10)
LIMITS = st.none() | st.integers(0, 5)
OPEN_TASKS = {cap: task(max_volunteers=cap).open(by=LEAD, at=T0) for cap in [None, *range(1, 11)]}


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    people = draw(PEOPLE)
    count = len(people)
    mids = [MemberId(f"m{n:02}") for n in range(count)]
    cap = draw(CAPS)
    recs = {
        mid: TrackRecord(
            member_id=mid,
            first_time_by_stage=by_stage,
            first_time_overall=overall,
            on_time=on_time,
            attendance=attendance,
            active_tasks=active,
        )
        for mid, (by_stage, overall, on_time, attendance, active, _) in zip(mids, people, strict=True)
    }
    offers = [
        Volunteer(task_id=TaskId("T1"), member_id=mid, at=T0 + timedelta(minutes=person[5]))
        for mid, person in zip(mids, people, strict=True)
    ]
    repeats = draw(st.lists(st.tuples(st.sampled_from(mids), st.integers(0, 20)), max_size=5))
    offers += [
        Volunteer(task_id=TaskId("T1"), member_id=mid, at=T0 + timedelta(minutes=m)) for mid, m in repeats
    ]
    shuffled = draw(st.permutations(mids))
    forced_in = shuffled[: draw(st.integers(0, count if cap is None else min(count, cap)))]
    rest = shuffled[len(forced_in) :]
    forced_out = rest[: draw(st.integers(0, len(rest)))]
    return Scenario(
        task=OPEN_TASKS[cap],
        offers=offers,
        records=recs,
        limit=draw(LIMITS),
        force_in=forced_in,
        force_out=forced_out,
    )


@given(scenarios())
def test_the_number_chosen_never_exceeds_the_cap(scenario: Scenario) -> None:
    s = scenario.select()

    if s.cap is not None:
        assert len(s.selected) <= s.cap
    assert len(s.candidates) == len({o.member_id for o in scenario.offers})


@given(scenarios(), st.data())
def test_the_ranking_does_not_depend_on_the_order_of_the_offers(
    scenario: Scenario, data: st.DataObject
) -> None:
    reordered = data.draw(st.permutations(scenario.offers))

    assert scenario.select(list(reordered)) == scenario.select()


@given(scenarios())
def test_forced_in_members_are_always_chosen_and_forced_out_members_never(scenario: Scenario) -> None:
    s = scenario.select()

    assert set(scenario.force_in) <= set(s.selected)
    assert not set(scenario.force_out) & set(s.selected)


@given(scenarios())
def test_nobody_eligible_is_passed_over_for_a_lower_ranked_member(scenario: Scenario) -> None:
    s = scenario.select()
    limit = scenario.limit

    def eligible(mid: MemberId) -> bool:
        if mid in scenario.force_in or mid in scenario.force_out:
            return False
        return limit is None or scenario.records[mid].active_tasks < limit

    ranked = [c for c in s.candidates if eligible(c.member_id)]
    chosen = [c.selected for c in ranked]
    assert chosen == sorted(chosen, reverse=True)
    if s.cap is None:
        assert all(chosen)
    else:
        assert len(s.selected) == min(s.cap, len(scenario.force_in) + len(ranked))


def test_a_cancelled_task_does_not_count_against_anyones_track_record() -> None:
    boss, head = leader("lead.two"), member("ada.a")
    t = task("TX", max_volunteers=1)
    t = t.open(by=boss, at=T0).assign([head.id], head=head.id, by=boss, at=at(1))
    t = t.start_work(by=head, at=at(2))
    t = t.submit(by=head, at=at(3)).request_rework(by=boss, at=at(4), note="criterion 1")
    t = t.cancel(by=boss, at=at(5), note="the review question changed")
    record = track_records([head], [t])[head.id]
    assert record.first_time_overall.out_of == 0
    assert record.on_time.out_of == 0
    assert record.active_tasks == 0


# --- why one volunteer ranks before another (what `plan` says when a selection changes) ---------


def _record(member_id: str, *, stage: Ratio, overall: Ratio, on_time: Ratio, present: int) -> TrackRecord:
    return TrackRecord(
        MemberId(member_id),
        first_time_by_stage={"screening": stage},
        first_time_overall=overall,
        on_time=on_time,
        attendance=Attendance(present=present, absent=4 - present),
        active_tasks=0,
    )


def _offer(member_id: str, hours: int) -> Volunteer:
    return Volunteer(TaskId("T1"), MemberId(member_id), at(hours=hours))


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        (
            _record("a", stage=Ratio(2, 2), overall=Ratio(2, 4), on_time=Ratio(0, 1), present=0),
            _record("b", stage=Ratio(1, 2), overall=Ratio(4, 4), on_time=Ratio(1, 1), present=4),
            "a better record of work accepted without rework in this stage (screening): "
            "2 of 2 (100%) against 1 of 2 (50%)",
        ),
        (
            _record("a", stage=Ratio(1, 2), overall=Ratio(3, 4), on_time=Ratio(0, 1), present=0),
            _record("b", stage=Ratio(1, 2), overall=Ratio(2, 4), on_time=Ratio(1, 1), present=4),
            "a better record of work accepted without rework overall: 3 of 4 (75%) against 2 of 4 (50%)",
        ),
        (
            _record("a", stage=Ratio(1, 2), overall=Ratio(2, 4), on_time=Ratio(1, 1), present=4),
            _record("b", stage=Ratio(1, 2), overall=Ratio(2, 4), on_time=Ratio(1, 1), present=2),
            "more commitment (work on time and meetings attended): 100% against 75%",
        ),
    ],
)
def test_why_ahead_names_the_first_criterion_of_the_ranking_that_tells_two_volunteers_apart(
    first: TrackRecord, second: TrackRecord, why: str
) -> None:
    records = {first.member_id: first, second.member_id: second}
    ahead, behind = _offer("a", 2), _offer("b", 1)
    ranked = select_volunteers(task(), [behind, ahead], records, open_task_limit=None)
    assert [c.member_id for c in ranked.candidates] == ["a", "b"], "the reason explains the real ranking"
    assert why_ahead(task(), records, ahead, behind) == why


def test_why_ahead_says_who_volunteered_first_when_records_and_commitment_tie() -> None:
    same = {
        m: _record(m, stage=Ratio(1, 2), overall=Ratio(1, 2), on_time=Ratio(1, 1), present=3) for m in "ab"
    }
    records = {MemberId(m): r for m, r in same.items()}
    assert why_ahead(task(), records, _offer("b", 1), _offer("a", 2)) == (
        "an earlier offer, with the same record and commitment"
    )


def test_an_oversubscribed_selection_for_one_place_says_place_in_the_singular() -> None:
    recs = records(record(A), record(B))

    s = select_volunteers(open_task(cap=1), [offer(A), offer(B)], recs)

    assert s.notes == ("2 volunteers for 1 place: ranked by proficiency, then commitment",)
