"""Specification of the authorship ledger (braingain.core.authorship.ledger)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.authorship.ledger import (
    EntryKind,
    Ledger,
    LedgerEntry,
    Standing,
    award_entries,
    points_by_member,
    standings_of,
)
from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.errors import InvalidValue, LedgerViolation, NotPermitted, UnknownReference
from braingain.core.ids import EntryId, MemberId, ProjectId, TaskId
from braingain.core.members import Member
from braingain.core.projects import Project
from tests.builders import T0, accepted, at, leader, member, project, task

ADA = member("ada.obi")
BOLA = member("bola.eze")
CHIDI = member("chidi.uko")
RECORDER = leader("lead.one")
REVIEWER = leader("lead.two")
SR = project("sr")
CS = project("cs")


def eid(value: str) -> EntryId:
    return EntryId(value)


def by_id(*tasks: Task) -> dict[TaskId, Task]:
    return {t.id: t for t in tasks}


def awarded_ledger(*tasks: Task) -> Ledger:
    ledger = Ledger()
    for t in tasks:
        ledger.award(t, by=RECORDER)
    return ledger


def walked_to(
    t: Task,
    status: TaskStatus,
    team: Sequence[Member],
    *,
    shares: dict[MemberId, Decimal] | None = None,
    start: datetime = T0,
) -> Task:
    """Walk ``t`` from draft towards ``status`` with ``team`` (the first is the head)."""
    if status is TaskStatus.DRAFT:
        return t
    t = t.open(by=REVIEWER, at=start)
    if status is TaskStatus.OPEN:
        return t
    t = t.assign([m.id for m in team], head=team[0].id, by=REVIEWER, at=start + timedelta(hours=1))
    if shares:
        t = t.with_shares(shares, by=REVIEWER)
    if status is TaskStatus.ASSIGNED:
        return t
    if status is TaskStatus.CANCELLED:
        return t.cancel(by=REVIEWER, at=start + timedelta(hours=2), note="no longer needed")
    t = t.start_work(by=team[0], at=start + timedelta(hours=2))
    if status is TaskStatus.IN_PROGRESS:
        return t
    t = t.submit(by=team[0], at=start + timedelta(days=1))
    if status is TaskStatus.SUBMITTED:
        return t
    if status is TaskStatus.NEEDS_REWORK:
        return t.request_rework(by=REVIEWER, at=start + timedelta(days=2), note="criterion 2 not met")
    assert status is TaskStatus.ACCEPTED
    return t.accept(by=REVIEWER, at=start + timedelta(days=3))


def adjustment(
    id: str = "adj-1",
    *,
    who: Member = ADA,
    amount: str = "1.00",
    reason: str = "extra analysis",
    when: datetime = T0,
    corrects: EntryId | None = None,
) -> LedgerEntry:
    return LedgerEntry(
        id=eid(id),
        kind=EntryKind.ADJUSTMENT,
        member_id=who.id,
        project_id=SR.id,
        task_id=None,
        points=Decimal(amount),
        reason=reason,
        recorded_by=RECORDER.id,
        recorded_at=when,
        corrects=corrects,
    )


# --- awards: only for accepted work, recorded by a leader ------------------------------


@pytest.mark.parametrize(
    "status", [TaskStatus.SUBMITTED, TaskStatus.NEEDS_REWORK, TaskStatus.IN_PROGRESS], ids=lambda s: s.name
)
def test_points_are_awarded_only_when_a_leader_accepts_the_work(status: TaskStatus) -> None:
    unfinished = walked_to(task("T1", proj=SR), status, [ADA, BOLA])
    ledger = Ledger()

    with pytest.raises(LedgerViolation) as refused:
        award_entries(unfinished, by=RECORDER)
    assert refused.value.reason == f"task T1 is {status.value}, not accepted"
    assert refused.value.hint == "points are awarded only when a leader accepts the work"

    with pytest.raises(LedgerViolation, match="points are awarded only when a leader accepts the work"):
        ledger.award(unfinished, by=RECORDER)
    assert len(ledger) == 0
    assert ledger.total() == 0


def test_an_accepted_task_awards_its_points_to_its_contributors() -> None:
    done = accepted(task("T1", proj=SR, points=6), [ADA, BOLA])
    ledger = Ledger()

    entries = ledger.award(done, by=RECORDER)

    assert [(e.member_id, e.points) for e in entries] == [
        (ADA.id, Decimal("3.00")),
        (BOLA.id, Decimal("3.00")),
    ]
    assert ledger.entries == tuple(entries)
    assert ledger.total(SR.id) == Decimal("6.00")


def test_an_award_records_who_when_and_why() -> None:
    done = accepted(task("T1", proj=SR), [ADA], start=at(days=2))

    (entry,) = award_entries(done, by=RECORDER)

    assert entry.kind is EntryKind.AWARD
    assert entry.member_id == ADA.id
    assert entry.project_id == SR.id
    assert entry.task_id == TaskId("T1")
    assert entry.points == Decimal("10.00")
    assert entry.reason == "accepted: Task T1"
    assert entry.recorded_by == RECORDER.id
    assert entry.recorded_at == done.accepted_at == at(days=7)
    assert entry.corrects is None


def test_only_a_leader_records_an_award() -> None:
    done = accepted(task("T1", proj=SR), [ADA])
    ledger = Ledger()

    with pytest.raises(NotPermitted, match="Bola Eze is not a leader"):
        award_entries(done, by=BOLA)
    with pytest.raises(NotPermitted, match="Bola Eze is not a leader"):
        ledger.award(done, by=BOLA)
    assert len(ledger) == 0


def test_points_are_split_equally_by_default() -> None:
    pair = award_entries(accepted(task("T1", proj=SR, points=10), [ADA, BOLA]), by=RECORDER)
    assert [e.points for e in pair] == [Decimal("5.00"), Decimal("5.00")]


def test_an_equal_split_never_loses_a_cent() -> None:
    trio = accepted(task("T1", proj=SR, points=10), [BOLA, CHIDI, ADA])

    parts = {e.member_id: e.points for e in award_entries(trio, by=RECORDER)}

    # The left-over cent goes to the first member id when the remainders tie.
    assert parts == {ADA.id: Decimal("3.34"), BOLA.id: Decimal("3.33"), CHIDI.id: Decimal("3.33")}
    assert sum(parts.values()) == Decimal("10.00")


def test_points_are_split_by_the_leaders_shares_when_set() -> None:
    shares = {ADA.id: Decimal(2), BOLA.id: Decimal(1), CHIDI.id: Decimal(1)}
    shared = walked_to(task("T1", proj=SR, points=10), TaskStatus.ACCEPTED, [ADA, BOLA, CHIDI], shares=shares)

    parts = {e.member_id: e.points for e in award_entries(shared, by=RECORDER)}

    assert parts == {ADA.id: Decimal("5.00"), BOLA.id: Decimal("2.50"), CHIDI.id: Decimal("2.50")}
    assert sum(parts.values()) == Decimal("10.00")


def test_award_entry_ids_are_deterministic() -> None:
    done = accepted(task("SR-T07", proj=SR), [ADA, BOLA])

    first = award_entries(done, by=RECORDER)
    again = award_entries(done, by=RECORDER)

    assert [e.id for e in first] == ["award:SR-T07:ada.obi", "award:SR-T07:bola.eze"]
    assert first == again


# --- awards are made once -------------------------------------------------------------


def test_a_task_is_awarded_once() -> None:
    done = accepted(task("T1", proj=SR), [ADA, BOLA])
    ledger = awarded_ledger(done)

    with pytest.raises(LedgerViolation) as refused:
        ledger.award(done, by=REVIEWER)

    assert refused.value.reason == "task T1 has already been awarded"
    assert refused.value.hint == "to change an award, record an adjustment"
    assert len(ledger) == 2
    assert ledger.total() == Decimal("10.00")


def test_a_second_award_entry_for_the_same_task_and_member_is_refused() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR), [ADA, BOLA]))
    first = ledger.get(eid("award:T1:ada.obi"))
    duplicate = dataclasses.replace(first, id=eid("award:T1:ada.obi:again"))

    with pytest.raises(LedgerViolation) as refused:
        ledger.append(duplicate)

    assert refused.value.reason == "ada.obi was already awarded points for task T1"
    assert refused.value.hint == "to change an award, record an adjustment"
    assert len(ledger) == 2


def test_an_award_entry_for_another_member_of_an_awarded_task_is_not_a_double_award() -> None:
    t1 = accepted(task("T1", proj=SR), [ADA])
    ledger = awarded_ledger(t1)
    first = ledger.get(eid("award:T1:ada.obi"))

    ledger.append(dataclasses.replace(first, id=eid("award:T1:bola.eze"), member_id=BOLA.id))

    assert [s.member_id for s in ledger.standings(tasks=by_id(t1))] == [ADA.id, BOLA.id]


def test_a_duplicate_entry_id_is_refused() -> None:
    ledger = Ledger([adjustment("adj-1")])

    with pytest.raises(LedgerViolation) as refused:
        ledger.append(adjustment("adj-1", who=BOLA, amount="2.00"))

    assert refused.value.reason == "entry adj-1 is already in the ledger"
    assert "record a correction as a new entry" in refused.value.hint
    assert ledger.entries == (adjustment("adj-1"),)


def test_an_entry_id_with_spaces_around_it_is_refused_rather_than_kept_as_a_second_id() -> None:
    ledger = Ledger([adjustment("adj-1")])

    with pytest.raises(InvalidValue, match="entry id: 'adj-1 ' has spaces around it"):
        ledger.append(adjustment("adj-1 "))
    with pytest.raises(InvalidValue, match="entry id: ' adj-1' has spaces around it"):
        ledger.adjust(member=ADA.id, project=SR.id, amount=1, reason="again", by=RECORDER, at=T0, id=" adj-1")
    assert len(ledger) == 1


def test_an_entry_id_must_be_a_valid_id() -> None:
    with pytest.raises(InvalidValue, match="is not a valid id"):
        Ledger().append(adjustment("not an id!"))


def test_an_award_cannot_be_negative() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR), [ADA]))
    negative = dataclasses.replace(
        ledger.get(eid("award:T1:ada.obi")),
        id=eid("award:T2:ada.obi"),
        task_id=TaskId("T2"),
        points=Decimal("-1.00"),
    )

    with pytest.raises(LedgerViolation, match="an award cannot be negative"):
        ledger.append(negative)
    assert len(ledger) == 1


def test_an_award_must_name_its_task() -> None:
    taskless = dataclasses.replace(adjustment("award:x"), kind=EntryKind.AWARD)

    with pytest.raises(InvalidValue, match="an award must name its task"):
        Ledger().append(taskless)


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_every_entry_needs_a_reason(reason: str) -> None:
    ledger = Ledger()

    with pytest.raises(InvalidValue) as refused:
        ledger.append(adjustment(reason=reason))
    assert refused.value.reason == "an entry needs a reason"
    assert refused.value.hint == "say why the points change"

    with pytest.raises(InvalidValue, match="an adjustment needs a reason"):
        ledger.adjust(member=ADA.id, project=SR.id, amount=1, reason=reason, by=RECORDER, at=T0)
    assert len(ledger) == 0


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 7, 10, 0)
    ledger = Ledger()

    with pytest.raises(InvalidValue, match="recorded at: has no time zone"):
        ledger.append(adjustment(when=naive))
    with pytest.raises(InvalidValue, match="recorded at: has no time zone"):
        ledger.adjust(member=ADA.id, project=SR.id, amount=1, reason="extra", by=RECORDER, at=naive)
    assert len(ledger) == 0


def test_points_are_kept_to_the_cent() -> None:
    ledger = Ledger()

    with pytest.raises(InvalidValue, match="more than two decimal places"):
        ledger.append(adjustment(amount="0.125"))
    with pytest.raises(InvalidValue, match="more than two decimal places"):
        ledger.adjust(member=ADA.id, project=SR.id, amount="0.125", reason="extra", by=RECORDER, at=T0)
    assert len(ledger) == 0


# --- adjustments and corrections ------------------------------------------------------


def test_only_leaders_adjust_points() -> None:
    ledger = Ledger()

    with pytest.raises(NotPermitted) as refused:
        ledger.adjust(member=ADA.id, project=SR.id, amount=5, reason="I did more", by=ADA, at=T0)

    assert refused.value.reason == "Ada Obi is not a leader"
    assert refused.value.hint == "only leaders adjust points"
    assert len(ledger) == 0


@pytest.mark.parametrize(("amount", "expected"), [("1.50", "11.50"), (-2, "8.00"), ("-10", "0.00")])
def test_an_adjustment_can_add_or_take_away_points(amount: str | int, expected: str) -> None:
    t1 = accepted(task("T1", proj=SR, points=10), [ADA])
    ledger = awarded_ledger(t1)

    entry = ledger.adjust(
        member=ADA.id,
        project=SR.id,
        amount=amount,
        reason="  re-scored   the  extraction ",
        by=REVIEWER,
        at=at(9),
    )

    assert entry.kind is EntryKind.ADJUSTMENT
    assert entry.points == Decimal(amount)
    assert entry.reason == "re-scored the extraction"
    assert entry.recorded_by == REVIEWER.id
    assert entry.recorded_at == at(9)
    assert ledger.standings(SR.id, tasks=by_id(t1))[0].points == Decimal(expected)


def test_a_correction_is_a_new_entry_never_an_edit() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR, points=10), [ADA, BOLA]))
    before = ledger.entries
    award = ledger.get(eid("award:T1:ada.obi"))

    correction = ledger.adjust(
        member=ADA.id,
        project=SR.id,
        task=TaskId("T1"),
        amount="-1.00",
        reason="share agreed as 4:6",
        by=REVIEWER,
        at=at(10),
        corrects=award.id,
    )

    assert ledger.entries == (*before, correction)
    assert ledger.get(award.id) == award
    assert award.points == Decimal("5.00")
    assert correction.corrects == award.id
    assert correction.id != award.id
    assert points_by_member(ledger.entries) == {BOLA.id: Decimal("5.00"), ADA.id: Decimal("4.00")}


def test_a_correction_must_refer_to_an_existing_entry() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR), [ADA]))

    with pytest.raises(
        UnknownReference, match=re.escape("corrects award:T9:ada.obi, which is not in the ledger")
    ):
        ledger.adjust(
            member=ADA.id,
            project=SR.id,
            amount=1,
            reason="fix",
            by=REVIEWER,
            at=at(10),
            corrects=eid("award:T9:ada.obi"),
        )
    with pytest.raises(UnknownReference, match="corrects"):
        ledger.append(adjustment(corrects=eid("nowhere")))
    assert len(ledger) == 1


def test_an_adjustment_cannot_pose_as_an_award() -> None:
    ledger = Ledger()

    with pytest.raises(LedgerViolation, match="awards come only from accepted tasks"):
        ledger.adjust(
            member=ADA.id, project=SR.id, amount=5, reason="bonus", by=RECORDER, at=T0, kind=EntryKind.AWARD
        )
    assert len(ledger) == 0


def test_adjustment_ids_are_deterministic() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR), [ADA, BOLA]))

    first = ledger.adjust(member=ADA.id, project=SR.id, amount=1, reason="a", by=REVIEWER, at=at(9))
    second = ledger.adjust(
        member=BOLA.id,
        project=SR.id,
        amount=1,
        reason="b",
        by=REVIEWER,
        at=at(9),
        kind=EntryKind.DISPUTE_RESOLUTION,
    )
    named = ledger.adjust(
        member=BOLA.id, project=SR.id, amount=1, reason="c", by=REVIEWER, at=at(9), id="fix-7"
    )

    assert [first.id, second.id, named.id] == ["adjustment:00003", "dispute_resolution:00004", "fix-7"]
    assert second.kind is EntryKind.DISPUTE_RESOLUTION


# --- nothing is ever edited or removed ------------------------------------------------


def test_the_ledger_offers_no_way_to_edit_or_remove_an_entry() -> None:
    public = {name for name in dir(Ledger) if not name.startswith("_")}

    assert public == {
        "entries", "get", "has", "append", "keep", "award", "adjust", "for_project", "total", "standings",
        "is_awarded", "awards_of",
    }  # fmt: skip


def test_an_entry_kept_as_recorded_is_added_once_and_never_replaced() -> None:
    ledger = Ledger()
    first = ledger.adjust(member=BOLA.id, project=SR.id, amount=1, reason="a", by=REVIEWER, at=at(9), id="x")
    ledger.keep(dataclasses.replace(first, points=Decimal(99)))
    assert ledger.entries == (first,)
    for name in ("__setitem__", "__delitem__", "__getitem__"):
        assert not hasattr(Ledger, name), name


def test_the_entries_cannot_be_mutated() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR), [ADA]))
    entries = ledger.entries

    assert isinstance(entries, tuple)
    with pytest.raises(AttributeError):
        ledger.entries = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entries[0].points = Decimal("99.00")  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ledger.note = "x"  # type: ignore[attr-defined]
    assert ledger.entries == entries
    assert ledger.total() == Decimal("10.00")


def test_the_entries_are_a_snapshot_that_later_entries_do_not_change() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR), [ADA]))
    snapshot = ledger.entries

    ledger.adjust(member=ADA.id, project=SR.id, amount=1, reason="extra", by=REVIEWER, at=at(9))

    assert len(snapshot) == 1
    assert len(ledger.entries) == len(ledger) == len(list(ledger)) == 2
    assert list(ledger) == list(ledger.entries)


# --- looking entries up ---------------------------------------------------------------


def test_an_entry_is_found_by_its_id() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR), [ADA, BOLA]))

    assert ledger.get(eid("award:T1:bola.eze")).member_id == BOLA.id


def test_an_unknown_entry_id_is_an_unknown_reference() -> None:
    with pytest.raises(UnknownReference) as refused:
        Ledger().get(eid("award:T1:nobody"))

    assert refused.value.reason == "the ledger has no entry award:T1:nobody"
    assert refused.value.field == "entry"


# --- standings and totals -------------------------------------------------------------


def test_standings_are_sorted_by_points_then_member_id() -> None:
    tasks = by_id(
        accepted(task("T1", proj=SR, points=4), [CHIDI, BOLA]), accepted(task("T2", proj=SR, points=1), [ADA])
    )
    ledger = awarded_ledger(*tasks.values())
    ledger.adjust(member=ADA.id, project=SR.id, amount=1, reason="tie", by=REVIEWER, at=at(9))
    ledger.adjust(member=REVIEWER.id, project=SR.id, amount="0.50", reason="checked", by=RECORDER, at=at(9))

    assert [(s.member_id, s.points) for s in ledger.standings(tasks=tasks)] == [
        (ADA.id, Decimal("2.00")),
        (BOLA.id, Decimal("2.00")),
        (CHIDI.id, Decimal("2.00")),
        (REVIEWER.id, Decimal("0.50")),
    ]

    ledger.adjust(member=CHIDI.id, project=SR.id, amount="0.01", reason="lead", by=REVIEWER, at=at(9))
    assert [s.member_id for s in ledger.standings(tasks=tasks)] == [CHIDI.id, ADA.id, BOLA.id, REVIEWER.id]


def test_standings_count_accepted_tasks_and_the_first_acceptance() -> None:
    tasks = by_id(
        accepted(task("T2", proj=SR), [ADA, BOLA], start=at(days=10)),
        accepted(task("T1", proj=SR), [ADA], start=at(days=0)),
    )
    ledger = awarded_ledger(*tasks.values())
    ledger.adjust(member=CHIDI.id, project=SR.id, amount=3, reason="helped", by=REVIEWER, at=at(1))

    assert ledger.standings(tasks=tasks) == [
        Standing(ADA.id, Decimal("15.00"), 2, at(days=5), Fraction(15)),
        Standing(BOLA.id, Decimal("5.00"), 1, at(days=15), Fraction(5)),
        Standing(CHIDI.id, Decimal("3.00"), 0, None, Fraction(3)),
    ]


def test_an_adjustment_does_not_count_as_an_accepted_task() -> None:
    t1 = accepted(task("T1", proj=SR), [ADA])
    ledger = awarded_ledger(t1)
    ledger.adjust(
        member=ADA.id, project=SR.id, task=TaskId("T1"), amount=2, reason="extra", by=REVIEWER, at=at(1)
    )

    (standing,) = ledger.standings(tasks=by_id(t1))
    assert standing.accepted_tasks == 1
    assert standing.first_acceptance == at(days=5)


def test_totals_and_standings_are_kept_per_project() -> None:
    tasks = by_id(
        accepted(task("SR-T1", proj=SR, points="7.50"), [ADA]),
        accepted(task("CS-T1", proj=CS, points=4), [ADA, BOLA]),
    )
    ledger = awarded_ledger(*tasks.values())
    ledger.adjust(member=BOLA.id, project=CS.id, amount="-0.50", reason="fix", by=REVIEWER, at=at(9))

    assert ledger.total(SR.id) == Decimal("7.50")
    assert ledger.total(CS.id) == Decimal("3.50")
    assert ledger.total(ProjectId("none")) == Decimal("0.00")
    assert ledger.total() == Decimal("11.00")
    assert [(s.member_id, s.points) for s in ledger.standings(CS.id, tasks=tasks)] == [
        (ADA.id, Decimal("2.00")),
        (BOLA.id, Decimal("1.50")),
    ]
    assert [(s.member_id, s.points) for s in ledger.standings(tasks=tasks)] == [
        (ADA.id, Decimal("9.50")),
        (BOLA.id, Decimal("1.50")),
    ]
    assert [e.id for e in ledger.for_project(CS.id)] == [
        "award:CS-T1:ada.obi",
        "award:CS-T1:bola.eze",
        "adjustment:00004",
    ]
    assert ledger.standings(ProjectId("none"), tasks=tasks) == []


def test_replaying_the_entries_refuses_what_the_ledger_refuses() -> None:
    entries = awarded_ledger(accepted(task("T1", proj=SR), [ADA])).entries

    with pytest.raises(LedgerViolation, match="already in the ledger"):
        Ledger([*entries, *entries])
    with pytest.raises(UnknownReference):
        Ledger([adjustment("fix", corrects=entries[0].id), *entries])


def test_the_first_acceptance_compares_instants_across_time_zones() -> None:
    award = dataclasses.replace(
        adjustment("award:A:ada.obi", when=at(2)), kind=EntryKind.AWARD, task_id=TaskId("A")
    )
    half_an_hour_earlier_in_lagos = (at(2) - timedelta(minutes=30)).astimezone(timezone(timedelta(hours=1)))
    earlier = dataclasses.replace(
        award, id=eid("award:B:ada.obi"), task_id=TaskId("B"), recorded_at=half_an_hour_earlier_in_lagos
    )

    (standing,) = standings_of([award, earlier], {})

    assert standing.first_acceptance == at(2) - timedelta(minutes=30)
    assert standing.accepted_tasks == 2


# --- properties -----------------------------------------------------------------------

POOL = tuple(member(f"pool.m{i}") for i in range(8))
PROJECTS = (SR, CS)
STATUSES = tuple(TaskStatus)


@st.composite
def task_specs(draw: st.DrawFn, index: int) -> tuple[Task, TaskStatus]:
    """A task of a random project, worth random points, walked by a random team to a random status."""
    proj: Project = draw(st.sampled_from(PROJECTS))
    cents = draw(st.integers(min_value=1, max_value=1_000_000))
    team = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=6, unique_by=lambda m: m.id))
    status = draw(st.sampled_from(STATUSES))
    shares: dict[MemberId, Decimal] | None = None
    if draw(st.booleans()):
        weights = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(50), places=1)
        shares = {m.id: draw(weights) for m in team}
    t = task(f"T{index}", proj=proj, points=Decimal(cents) / 100)
    return walked_to(t, status, team, shares=shares, start=at(days=index)), status


@st.composite
def task_sets(draw: st.DrawFn) -> list[tuple[Task, TaskStatus]]:
    count = draw(st.integers(min_value=1, max_value=8))
    return [draw(task_specs(i)) for i in range(count)]


@given(task_sets())
def test_a_projects_ledger_total_equals_the_points_of_its_accepted_tasks(
    specs: list[tuple[Task, TaskStatus]],
) -> None:
    ledger = Ledger()
    for t, status in specs:
        if status is TaskStatus.ACCEPTED:
            ledger.award(t, by=RECORDER)
        else:
            with pytest.raises(LedgerViolation):
                ledger.award(t, by=RECORDER)

    for proj in PROJECTS:
        expected = sum(
            (t.points for t, s in specs if s is TaskStatus.ACCEPTED and t.project_id == proj.id), Decimal(0)
        )
        assert ledger.total(proj.id) == expected
        tasks = by_id(*(t for t, _ in specs))
        assert sum((s.points for s in ledger.standings(proj.id, tasks=tasks)), Decimal(0)) == expected
        assert sum((s.exact for s in ledger.standings(proj.id, tasks=tasks)), Fraction(0)) == expected
    assert all(e.points == e.points.quantize(Decimal("0.01")) for e in ledger)


@given(task_sets(), st.lists(st.tuples(st.sampled_from(POOL), st.integers(-5000, 5000)), max_size=5))
def test_replaying_the_ledger_gives_the_same_standings(
    specs: list[tuple[Task, TaskStatus]], adjustments: list[tuple[Member, int]]
) -> None:
    ledger = Ledger()
    for t, status in specs:
        if status is TaskStatus.ACCEPTED:
            ledger.award(t, by=RECORDER)
    for who, cents in adjustments:
        ledger.adjust(
            member=who.id, project=SR.id, amount=Decimal(cents) / 100, reason="manual", by=REVIEWER, at=at(30)
        )

    replayed = Ledger(ledger.entries)
    tasks = by_id(*(t for t, _ in specs))

    assert replayed.entries == ledger.entries
    assert replayed.standings(tasks=tasks) == ledger.standings(tasks=tasks)
    for proj in PROJECTS:
        assert replayed.standings(proj.id, tasks=tasks) == ledger.standings(proj.id, tasks=tasks)
        assert replayed.total(proj.id) == ledger.total(proj.id)


@given(st.data())
def test_standings_do_not_depend_on_the_order_tasks_were_awarded(data: st.DataObject) -> None:
    specs = data.draw(task_sets())
    done = [t for t, status in specs if status is TaskStatus.ACCEPTED]
    shuffled = data.draw(st.permutations(done))

    in_order = awarded_ledger(*done)
    reordered = awarded_ledger(*shuffled)
    tasks = by_id(*done)

    assert reordered.standings(tasks=tasks) == in_order.standings(tasks=tasks)
    for proj in PROJECTS:
        assert reordered.standings(proj.id, tasks=tasks) == in_order.standings(proj.id, tasks=tasks)


def test_an_award_is_all_or_nothing_and_long_ids_fit() -> None:
    long_member = member("m." + "x" * 60)
    long_task = task("T-" + "9" * 60)
    ledger = Ledger()
    entries = ledger.award(accepted(long_task, [long_member, member("a.short")], by=REVIEWER), by=REVIEWER)
    assert len(entries) == 2
    assert all(len(e.id) > 64 for e in entries)


def test_a_refused_award_leaves_the_ledger_untouched() -> None:
    ledger = Ledger()
    done = accepted(task("T1"), [member("a.one"), member("b.two")], by=REVIEWER)
    ledger.adjust(
        id="award:T1:b.two",
        member=MemberId("b.two"),
        project=done.project_id,
        amount=1,
        reason="x",
        by=REVIEWER,
        at=T0,
    )
    with pytest.raises(LedgerViolation, match="already in the ledger"):
        ledger.award(done, by=REVIEWER)
    assert [e.id for e in ledger] == ["award:T1:b.two"]
    assert ledger.total() == Decimal("1.00")


def test_a_tasks_awards_and_an_entry_are_looked_up_as_the_entries_hold_them() -> None:
    ledger = awarded_ledger(accepted(task("T1", proj=SR), [ADA, BOLA]), accepted(task("T2", proj=SR), [BOLA]))
    awards = ledger.awards_of(TaskId("T1"))
    assert awards == [e for e in ledger if e.task_id == "T1" and e.kind is EntryKind.AWARD]
    awards.clear()  # a copy: the ledger cannot be changed through it
    assert [e.member_id for e in ledger.awards_of(TaskId("T1"))] == [ADA.id, BOLA.id]
    assert ledger.awards_of(TaskId("T3")) == []
    assert ledger.has(EntryId(f"award:T2:{BOLA.id}"))
    assert not ledger.has(EntryId("award:T2:nobody"))
