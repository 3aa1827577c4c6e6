"""Specification of disputes about points (braingain.core.authorship.disputes)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest

from braingain.core.authorship.disputes import Dispute, DisputeEvent, DisputeStatus, raise_dispute
from braingain.core.authorship.ledger import EntryKind, Ledger
from braingain.core.errors import DisputeError, InvalidValue, NotPermitted, UnknownReference
from braingain.core.ids import EntryId, ProjectId, TaskId
from tests.builders import accepted, at, leader, member, project, task

ADA = member("ada.obi")
BOLA = member("bola.eze")
RECORDER = leader("lead.one")
REVIEWER = leader("lead.two")
THIRD = leader("lead.three")
SR = project("sr")
CS = project("cs")

ADA_T1 = EntryId("award:T1:ada.obi")
BOLA_T1 = EntryId("award:T1:bola.eze")


def ledger_with_t1() -> Ledger:
    """T1 (10 points, project sr) accepted for Ada and Bola, 5.00 each, on day 5."""
    ledger = Ledger()
    ledger.award(accepted(task("T1", proj=SR, points=10), [ADA, BOLA]), by=RECORDER)
    return ledger


def ada_disputes_her_award(ledger: Ledger, *, id: str = "D-1") -> Dispute:
    return raise_dispute(
        id=id, member=ADA, ledger=ledger, entry=ADA_T1, reason="I screened most records", at=at(6)
    )


def points_of(ledger: Ledger, who: str) -> Decimal:
    return next(s.points for s in ledger.standings(tasks={}) if s.member_id == who)


# --- raising a dispute ----------------------------------------------------------------


def test_a_member_disputes_one_of_their_own_entries() -> None:
    ledger = ledger_with_t1()

    dispute = raise_dispute(
        id=" D-1 ",
        member=ADA,
        ledger=ledger,
        entry=ADA_T1,
        reason="  I screened   most records ",
        at=at(6),
    )

    assert dispute.id == "D-1"
    assert dispute.member_id == ADA.id
    assert dispute.project_id == SR.id
    assert dispute.entry_id == ADA_T1
    assert dispute.task_id == TaskId("T1")
    assert dispute.reason == "I screened most records"
    assert dispute.status is DisputeStatus.OPEN
    assert dispute.resolution_entry is None
    assert dispute.trail == (DisputeEvent(at(6), ADA.id, "raised", "I screened most records"),)
    assert dispute.raised_at == at(6)


def test_a_member_cannot_dispute_another_members_entry() -> None:
    ledger = ledger_with_t1()

    with pytest.raises(NotPermitted) as refused:
        raise_dispute(id="D-1", member=ADA, ledger=ledger, entry=BOLA_T1, reason="too much", at=at(6))

    assert refused.value.reason == "entry award:T1:bola.eze is not Ada Obi's"
    assert refused.value.hint == "members dispute their own points"


def test_a_leader_cannot_dispute_a_members_entry_on_their_behalf() -> None:
    with pytest.raises(NotPermitted, match="is not Lead Two's"):
        raise_dispute(
            id="D-1", member=REVIEWER, ledger=ledger_with_t1(), entry=ADA_T1, reason="too little", at=at(6)
        )


def test_disputing_an_entry_that_is_not_in_the_ledger_is_refused() -> None:
    with pytest.raises(UnknownReference, match=re.escape("the ledger has no entry award:T9:ada.obi")):
        raise_dispute(
            id="D-1",
            member=ADA,
            ledger=ledger_with_t1(),
            entry=EntryId("award:T9:ada.obi"),
            reason="?",
            at=at(6),
        )


def test_a_dispute_about_a_task_takes_its_project_from_the_tasks_award() -> None:
    ledger = Ledger()
    ledger.award(accepted(task("CS-T1", proj=CS), [ADA, BOLA]), by=RECORDER)

    dispute = raise_dispute(
        id="D-1", member=ADA, ledger=ledger, task=TaskId("CS-T1"), reason="shares are wrong", at=at(6)
    )

    assert dispute.project_id == CS.id
    assert dispute.task_id == TaskId("CS-T1")
    assert dispute.entry_id is None
    assert dispute.status is DisputeStatus.OPEN


def test_a_member_left_out_of_a_tasks_award_can_dispute_the_task() -> None:
    outsider = member("chidi.uko")

    dispute = raise_dispute(
        id="D-1", member=outsider, ledger=ledger_with_t1(), task=TaskId("T1"), reason="I helped", at=at(6)
    )

    assert dispute.member_id == outsider.id
    assert dispute.project_id == SR.id


def test_a_dispute_about_a_task_without_an_award_must_name_its_project() -> None:
    ledger = ledger_with_t1()

    with pytest.raises(InvalidValue) as refused:
        raise_dispute(id="D-1", member=ADA, ledger=ledger, task=TaskId("T2"), reason="not yet paid", at=at(6))
    assert refused.value.reason == "task T2 has no award yet, so its project is unknown"
    assert refused.value.hint == "name the project as well"
    assert refused.value.field == "project"

    dispute = raise_dispute(
        id="D-1",
        member=ADA,
        ledger=ledger,
        task=TaskId("T2"),
        project=ProjectId("cs"),
        reason="not yet paid",
        at=at(6),
    )
    assert dispute.project_id == CS.id
    assert dispute.task_id == TaskId("T2")


def test_an_adjustment_is_not_an_award_that_tells_a_tasks_project() -> None:
    ledger = Ledger()
    ledger.adjust(
        member=ADA.id, project=SR.id, task=TaskId("T2"), amount=1, reason="advance", by=RECORDER, at=at(1)
    )

    with pytest.raises(InvalidValue, match="task T2 has no award yet"):
        raise_dispute(id="D-1", member=ADA, ledger=ledger, task=TaskId("T2"), reason="?", at=at(6))


@pytest.mark.parametrize(
    ("entry", "about_task"),
    [(None, None), (ADA_T1, TaskId("T1"))],
    ids=["neither", "both"],
)
def test_a_dispute_is_about_exactly_one_entry_or_one_task(
    entry: EntryId | None, about_task: TaskId | None
) -> None:
    with pytest.raises(InvalidValue) as refused:
        raise_dispute(
            id="D-1",
            member=ADA,
            ledger=ledger_with_t1(),
            entry=entry,
            task=about_task,
            reason="wrong points",
            at=at(6),
        )

    assert refused.value.reason == "a dispute is about one entry or one task"
    assert refused.value.hint == "name exactly one"


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_a_dispute_needs_a_reason(reason: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        raise_dispute(id="D-1", member=ADA, ledger=ledger_with_t1(), entry=ADA_T1, reason=reason, at=at(6))

    assert refused.value.reason == "a dispute needs a reason"
    assert refused.value.hint == "say what seems wrong with the points"


def test_a_dispute_needs_a_valid_id_and_an_aware_time() -> None:
    ledger = ledger_with_t1()

    with pytest.raises(InvalidValue, match="dispute id: 'D 1' is not a valid id"):
        raise_dispute(id="D 1", member=ADA, ledger=ledger, entry=ADA_T1, reason="low", at=at(6))
    with pytest.raises(InvalidValue, match="raised at: has no time zone"):
        raise_dispute(
            id="D-1", member=ADA, ledger=ledger, entry=ADA_T1, reason="low", at=datetime(2026, 3, 13, 9, 0)
        )


# --- upholding ------------------------------------------------------------------------


def test_a_leader_upholds_a_dispute_with_a_note_and_the_points_stand() -> None:
    ledger = ledger_with_t1()
    before = ledger.entries
    dispute = ada_disputes_her_award(ledger)

    upheld = dispute.uphold(by=REVIEWER, at=at(7), note="  The split was agreed   before the work ")

    assert upheld.status is DisputeStatus.UPHELD
    assert upheld.resolution_entry is None
    assert upheld.trail == (
        DisputeEvent(at(6), ADA.id, "raised", "I screened most records"),
        DisputeEvent(at(7), REVIEWER.id, "upheld", "The split was agreed before the work"),
    )
    assert ledger.entries == before
    assert points_of(ledger, ADA.id) == Decimal("5.00")


def test_resolving_a_dispute_returns_a_new_dispute_and_leaves_the_open_one_as_it_was() -> None:
    dispute = ada_disputes_her_award(ledger_with_t1())

    dispute.uphold(by=REVIEWER, at=at(7), note="agreed split")

    assert dispute.status is DisputeStatus.OPEN
    assert len(dispute.trail) == 1


# --- adjusting ------------------------------------------------------------------------


def test_a_leader_adjusts_a_dispute_with_a_dispute_resolution_entry() -> None:
    ledger = ledger_with_t1()
    before = ledger.entries
    dispute = ada_disputes_her_award(ledger)

    adjusted, entry = dispute.adjust(ledger=ledger, amount="1.50", by=REVIEWER, at=at(8), note="she did more")

    assert entry.kind is EntryKind.DISPUTE_RESOLUTION
    assert entry.id == EntryId("dispute:D-1")
    assert entry.corrects == ADA_T1
    assert entry.member_id == ADA.id
    assert entry.project_id == SR.id
    assert entry.task_id == TaskId("T1")
    assert entry.points == Decimal("1.50")
    assert entry.reason == "dispute D-1: she did more"
    assert entry.recorded_by == REVIEWER.id
    assert entry.recorded_at == at(8)
    assert ledger.entries == (*before, entry)
    assert ledger.get(ADA_T1).points == Decimal("5.00")
    assert points_of(ledger, ADA.id) == Decimal("6.50")
    assert points_of(ledger, BOLA.id) == Decimal("5.00")
    assert adjusted.status is DisputeStatus.ADJUSTED
    assert adjusted.resolution_entry == entry.id
    assert adjusted.trail[-1] == DisputeEvent(at(8), REVIEWER.id, "adjusted by 1.50", "she did more")


def test_an_adjustment_can_lower_the_disputed_points() -> None:
    ledger = ledger_with_t1()

    _, entry = ada_disputes_her_award(ledger).adjust(
        ledger=ledger, amount=-2, by=REVIEWER, at=at(8), note="counted twice"
    )

    assert entry.points == Decimal("-2.00")
    assert points_of(ledger, ADA.id) == Decimal("3.00")


def test_adjusting_a_task_dispute_corrects_the_members_award_for_that_task() -> None:
    ledger = ledger_with_t1()
    dispute = raise_dispute(
        id="D-2", member=BOLA, ledger=ledger, task=TaskId("T1"), reason="I did the second pass", at=at(6)
    )

    adjusted, entry = dispute.adjust(ledger=ledger, amount="0.75", by=REVIEWER, at=at(8), note="agreed")

    assert entry.task_id == TaskId("T1")
    assert entry.project_id == SR.id
    assert entry.member_id == BOLA.id
    assert entry.corrects == BOLA_T1
    assert adjusted.resolution_entry == EntryId("dispute:D-2")
    assert points_of(ledger, BOLA.id) == Decimal("5.75")


def test_an_adjustment_keeps_points_to_the_cent_and_leaves_the_dispute_open_when_refused() -> None:
    ledger = ledger_with_t1()
    before = ledger.entries
    dispute = ada_disputes_her_award(ledger)

    with pytest.raises(InvalidValue, match="more than two decimal places"):
        dispute.adjust(ledger=ledger, amount="0.125", by=REVIEWER, at=at(8), note="a bit more")

    assert ledger.entries == before
    assert dispute.status is DisputeStatus.OPEN


# --- who may resolve ------------------------------------------------------------------


def test_the_member_who_raised_a_dispute_cannot_resolve_it_even_as_a_leader() -> None:
    ledger = ledger_with_t1()
    ledger.award(accepted(task("T2", proj=SR, points=4), [REVIEWER], by=THIRD), by=RECORDER)
    before = ledger.entries
    dispute = raise_dispute(
        id="D-1",
        member=REVIEWER,
        ledger=ledger,
        entry=EntryId("award:T2:lead.two"),
        reason="worth more",
        at=at(6),
    )

    with pytest.raises(NotPermitted) as refused:
        dispute.uphold(by=REVIEWER, at=at(7), note="fine as it is")
    assert refused.value.reason == "Lead Two raised dispute D-1 and cannot resolve it"
    assert refused.value.hint == "another leader must resolve it"
    with pytest.raises(NotPermitted, match="another leader must resolve it"):
        dispute.adjust(ledger=ledger, amount=3, by=REVIEWER, at=at(7), note="I deserve it")
    assert ledger.entries == before

    adjusted, _ = dispute.adjust(ledger=ledger, amount=1, by=THIRD, at=at(7), note="one more point")
    assert adjusted.status is DisputeStatus.ADJUSTED


def test_a_member_who_is_not_a_leader_cannot_resolve_a_dispute() -> None:
    ledger = ledger_with_t1()
    before = ledger.entries
    dispute = ada_disputes_her_award(ledger)

    with pytest.raises(NotPermitted) as refused:
        dispute.uphold(by=BOLA, at=at(7), note="looks right to me")
    assert refused.value.reason == "Bola Eze is not a leader"
    assert refused.value.hint == "leaders resolve disputes"
    with pytest.raises(NotPermitted, match="leaders resolve disputes"):
        dispute.adjust(ledger=ledger, amount=1, by=BOLA, at=at(7), note="give her one")
    with pytest.raises(NotPermitted, match="Ada Obi is not a leader"):
        dispute.uphold(by=ADA, at=at(7), note="never mind")
    assert ledger.entries == before


@pytest.mark.parametrize("note", ["", "  ", "\t\n"])
def test_a_resolution_needs_a_note(note: str) -> None:
    ledger = ledger_with_t1()
    before = ledger.entries
    dispute = ada_disputes_her_award(ledger)

    with pytest.raises(InvalidValue) as refused:
        dispute.uphold(by=REVIEWER, at=at(7), note=note)
    assert refused.value.reason == "a resolution needs a note"
    assert refused.value.hint == "explain the decision to the member"
    with pytest.raises(InvalidValue, match="a resolution needs a note"):
        dispute.adjust(ledger=ledger, amount=1, by=REVIEWER, at=at(7), note=note)
    assert ledger.entries == before


def test_a_resolution_needs_an_aware_time() -> None:
    ledger = ledger_with_t1()
    before = ledger.entries
    dispute = ada_disputes_her_award(ledger)
    naive = datetime(2026, 3, 14, 10, 0)

    with pytest.raises(InvalidValue, match="has no time zone"):
        dispute.uphold(by=REVIEWER, at=naive, note="agreed split")
    with pytest.raises(InvalidValue, match="has no time zone"):
        dispute.adjust(ledger=ledger, amount=1, by=REVIEWER, at=naive, note="one more")
    assert ledger.entries == before


def test_a_dispute_cannot_be_resolved_or_withdrawn_before_it_was_raised() -> None:
    ledger = ledger_with_t1()
    before = ledger.entries
    dispute = ada_disputes_her_award(ledger)

    with pytest.raises(InvalidValue, match="before the dispute's last step") as refused:
        dispute.uphold(by=REVIEWER, at=at(5), note="agreed split")
    assert refused.value.field == "resolved at"
    with pytest.raises(InvalidValue, match="before the dispute's last step"):
        dispute.adjust(ledger=ledger, amount=1, by=REVIEWER, at=at(5), note="one more")
    with pytest.raises(InvalidValue, match="before the dispute's last step"):
        dispute.withdraw(by=ADA, at=at(5))
    assert ledger.entries == before
    assert dispute.uphold(by=REVIEWER, at=at(6), note="same instant is fine").status is DisputeStatus.UPHELD


# --- a dispute is resolved once -------------------------------------------------------


def test_an_upheld_dispute_cannot_be_resolved_again() -> None:
    ledger = ledger_with_t1()
    upheld = ada_disputes_her_award(ledger).uphold(by=REVIEWER, at=at(7), note="agreed split")
    before = ledger.entries

    with pytest.raises(DisputeError) as refused:
        upheld.uphold(by=THIRD, at=at(8), note="again")
    assert refused.value.reason == "dispute D-1 is already upheld"
    assert refused.value.hint == "raise a new dispute if there is more to discuss"
    with pytest.raises(DisputeError, match="dispute D-1 is already upheld"):
        upheld.adjust(ledger=ledger, amount=1, by=THIRD, at=at(8), note="changed my mind")
    assert ledger.entries == before


def test_an_adjusted_dispute_cannot_be_resolved_again() -> None:
    ledger = ledger_with_t1()
    adjusted, _ = ada_disputes_her_award(ledger).adjust(
        ledger=ledger, amount=1, by=REVIEWER, at=at(7), note="ok"
    )
    before = ledger.entries

    with pytest.raises(DisputeError, match="dispute D-1 is already adjusted"):
        adjusted.adjust(ledger=ledger, amount=1, by=THIRD, at=at(8), note="one more")
    with pytest.raises(DisputeError, match="dispute D-1 is already adjusted"):
        adjusted.uphold(by=THIRD, at=at(8), note="stands")
    assert ledger.entries == before
    assert points_of(ledger, ADA.id) == Decimal("6.00")


def test_a_resolved_dispute_cannot_be_withdrawn() -> None:
    ledger = ledger_with_t1()
    upheld = ada_disputes_her_award(ledger).uphold(by=REVIEWER, at=at(7), note="agreed split")
    adjusted, _ = ada_disputes_her_award(ledger, id="D-2").adjust(
        ledger=ledger, amount=1, by=REVIEWER, at=at(7), note="ok"
    )

    with pytest.raises(DisputeError, match="dispute D-1 is already upheld"):
        upheld.withdraw(by=ADA, at=at(8))
    with pytest.raises(DisputeError, match="dispute D-2 is already adjusted"):
        adjusted.withdraw(by=ADA, at=at(8))


# --- withdrawing ----------------------------------------------------------------------


def test_the_member_withdraws_an_open_dispute() -> None:
    dispute = ada_disputes_her_award(ledger_with_t1())

    withdrawn = dispute.withdraw(by=ADA, at=at(7), note="  I  misread the split ")

    assert withdrawn.status is DisputeStatus.WITHDRAWN
    assert withdrawn.resolution_entry is None
    assert withdrawn.trail[-1] == DisputeEvent(at(7), ADA.id, "withdrawn", "I misread the split")
    assert dispute.withdraw(by=ADA, at=at(7)).trail[-1].note == ""


def test_only_the_member_who_raised_a_dispute_withdraws_it() -> None:
    dispute = ada_disputes_her_award(ledger_with_t1())

    for other in (BOLA, REVIEWER):
        with pytest.raises(NotPermitted) as refused:
            dispute.withdraw(by=other, at=at(7))
        assert refused.value.reason == "only ada.obi can withdraw dispute D-1"
    assert dispute.status is DisputeStatus.OPEN


def test_a_withdrawn_dispute_cannot_be_resolved_or_withdrawn_again() -> None:
    ledger = ledger_with_t1()
    withdrawn = ada_disputes_her_award(ledger).withdraw(by=ADA, at=at(7))
    before = ledger.entries

    with pytest.raises(DisputeError, match="dispute D-1 is already withdrawn"):
        withdrawn.uphold(by=REVIEWER, at=at(8), note="stands")
    with pytest.raises(DisputeError, match="dispute D-1 is already withdrawn"):
        withdrawn.adjust(ledger=ledger, amount=1, by=REVIEWER, at=at(8), note="one more")
    with pytest.raises(DisputeError, match="dispute D-1 is already withdrawn"):
        withdrawn.withdraw(by=ADA, at=at(8))
    assert ledger.entries == before


# --- the trail ------------------------------------------------------------------------


def test_the_trail_is_complete_and_ordered() -> None:
    ledger = ledger_with_t1()
    dispute = ada_disputes_her_award(ledger)

    adjusted, _ = dispute.adjust(ledger=ledger, amount="0.50", by=REVIEWER, at=at(9), note="half a point")

    assert [(e.action, e.by) for e in adjusted.trail] == [
        ("raised", ADA.id),
        ("adjusted by 0.50", REVIEWER.id),
    ]
    assert [e.at for e in adjusted.trail] == sorted(e.at for e in adjusted.trail)
    assert [e.note for e in adjusted.trail] == ["I screened most records", "half a point"]
    assert adjusted.trail[: len(dispute.trail)] == dispute.trail
    assert adjusted.raised_at == at(6)


def test_a_task_dispute_that_names_another_project_than_the_award_is_refused() -> None:
    ledger = ledger_with_t1()
    with pytest.raises(InvalidValue, match="belongs to project") as caught:
        raise_dispute(
            id="D-9",
            member=BOLA,
            ledger=ledger,
            task=TaskId("T1"),
            project=ProjectId("elsewhere"),
            reason="wrong",
            at=at(6),
        )
    assert "leave the project out" in caught.value.hint


def test_an_adjustment_of_zero_is_refused_in_favour_of_upholding() -> None:
    ledger = ledger_with_t1()
    dispute = ada_disputes_her_award(ledger)
    with pytest.raises(InvalidValue, match="changes nothing") as caught:
        dispute.adjust(ledger=ledger, amount="0", by=REVIEWER, at=at(8), note="no change")
    assert "uphold" in caught.value.hint
