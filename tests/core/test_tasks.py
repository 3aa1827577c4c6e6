"""Specification of a task: what it must say, the lifecycle it moves through, and who moves it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.tasks import (
    TRANSITIONS,
    Actor,
    Icmje,
    Task,
    TaskEvent,
    TaskStatus,
    allowed_from,
    deadline_instant,
)
from braingain.core.errors import (
    CapacityExceeded,
    InvalidValue,
    NotPermitted,
    TransitionNotAllowed,
    UnknownReference,
)
from braingain.core.ids import MemberId
from braingain.core.members import Member
from tests.builders import T0, accepted, at, ids, leader, member, project, task

S = TaskStatus

LEAD = leader("lead.one")
REVIEWER = leader("lead.two")
ADA = member("ada.obi")
BEN = member("ben.eze")
CHI = member("chi.nna")

DUE = date(2026, 3, 20)
VANCOUVER = ZoneInfo("America/Vancouver")

# What each status may move to and who may move it, as the module docstring draws it.
NEXT: dict[TaskStatus, list[str]] = {
    S.DRAFT: ["'open' by a leader", "'cancelled' by a leader"],
    S.OPEN: ["'assigned' by a leader", "'cancelled' by a leader"],
    S.ASSIGNED: ["'in progress' by the task's mini-team head or a leader", "'cancelled' by a leader"],
    S.IN_PROGRESS: ["'submitted' by the task's mini-team head", "'cancelled' by a leader"],
    S.SUBMITTED: ["'accepted' by a leader", "'needs rework' by a leader", "'cancelled' by a leader"],
    S.NEEDS_REWORK: ["'in progress' by the task's mini-team head or a leader", "'cancelled' by a leader"],
}


def create(**changes: object) -> Task:
    """Task.create with valid arguments; override only what the test is about."""
    arguments: dict[str, object] = {
        "id": "SR-T07",
        "project": project(),
        "stage": "screening",
        "title": "  Screen   titles and abstracts ",
        "deliverable": "A screening log",
        "acceptance_criteria": "Every record screened twice",
        "points_worth": "7.5",
        "credit_role": CreditRole.INVESTIGATION,
        "icmje": Icmje.DESIGN_ACQUISITION_ANALYSIS,
        "supervisor": LEAD,
        "max_volunteers": 3,
        "start": date(2026, 3, 7),
        "due": DUE,
    }
    arguments.update(changes)
    return Task.create(**arguments)  # type: ignore[arg-type]


def at_status(status: TaskStatus, *, due: date | None = None, max_volunteers: int | None = None) -> Task:
    """A task walked to ``status`` with ADA (head) and BEN assigned, supervised by LEAD."""
    t = task(due=due, max_volunteers=max_volunteers)
    if status is S.DRAFT:
        return t
    t = t.open(by=LEAD, at=at())
    if status is S.OPEN:
        return t
    if status is S.CANCELLED:
        return t.cancel(by=LEAD, at=at(hours=1), note="no longer needed")
    t = t.assign(ids(ADA, BEN), head=ADA.id, by=LEAD, at=at(hours=1))
    if status is S.ASSIGNED:
        return t
    t = t.start_work(by=ADA, at=at(hours=2))
    if status is S.IN_PROGRESS:
        return t
    t = t.submit(by=ADA, at=at(days=1))
    if status is S.SUBMITTED:
        return t
    if status is S.ACCEPTED:
        return t.accept(by=REVIEWER, at=at(days=2))
    assert status is S.NEEDS_REWORK
    return t.request_rework(by=REVIEWER, at=at(days=2), note="criterion 2 not met")


def submitted_on(when: datetime, *, due: date | None = DUE) -> Task:
    t = at_status(S.IN_PROGRESS, due=due)
    return t.submit(by=ADA, at=when)


# --- creating a task ------------------------------------------------------------------


def test_a_task_is_created_as_a_draft_with_its_values_checked_and_cleaned() -> None:
    t = create()

    assert t.status is S.DRAFT
    assert t.id == "SR-T07"
    assert t.project_id == "sr"
    assert t.title == "Screen titles and abstracts"
    assert t.points == Decimal("7.50")
    assert t.supervisor == LEAD.id
    assert t.max_volunteers == 3
    assert (t.start, t.due) == (date(2026, 3, 7), DUE)
    assert t.contributors == ()
    assert t.head is None
    assert t.history == ()


def test_the_supervisor_must_be_a_leader() -> None:
    with pytest.raises(NotPermitted) as raised:
        create(supervisor=ADA)

    assert raised.value.field == "supervisor"
    assert "Ada Obi is not a leader" in raised.value.reason
    assert "leaders" in raised.value.hint


def test_the_stage_must_exist_in_the_project() -> None:
    with pytest.raises(UnknownReference) as raised:
        create(stage="fieldwork")

    assert raised.value.field == "stage"
    assert "'fieldwork'" in raised.value.reason
    assert "screening" in raised.value.hint


@pytest.mark.parametrize("worth", [0, "0.00", -1, "-0.5"])
def test_a_task_must_be_worth_more_than_zero_points(worth: int | str) -> None:
    with pytest.raises(InvalidValue) as raised:
        create(points_worth=worth)

    assert raised.value.field == "points"


def test_points_have_at_most_two_decimal_places() -> None:
    with pytest.raises(InvalidValue) as raised:
        create(points_worth="2.555")

    assert raised.value.field == "points"
    assert "more than two decimal places" in raised.value.reason
    assert create(points_worth="2.55").points == Decimal("2.55")
    assert create(points_worth=Decimal("0.01")).points == Decimal("0.01")


@pytest.mark.parametrize("cap", [0, -1])
def test_a_task_takes_at_least_one_volunteer_when_capped(cap: int) -> None:
    with pytest.raises(InvalidValue) as raised:
        create(max_volunteers=cap)

    assert raised.value.field == "max volunteers"


@pytest.mark.parametrize("cap", [1, None])
def test_a_cap_of_one_or_no_cap_is_allowed(cap: int | None) -> None:
    assert create(max_volunteers=cap).max_volunteers == cap


def test_the_due_date_cannot_come_before_the_start() -> None:
    with pytest.raises(InvalidValue) as raised:
        create(start=date(2026, 3, 10), due=date(2026, 3, 9))

    assert raised.value.field == "due"
    assert "before the start on Tuesday 10 March 2026" in raised.value.reason
    assert create(start=DUE, due=DUE).due == DUE


# --- the lifecycle ----------------------------------------------------------------------


def test_a_task_cannot_open_without_acceptance_criteria() -> None:
    t = create(acceptance_criteria="   \n ")

    with pytest.raises(InvalidValue) as raised:
        t.open(by=LEAD, at=T0)

    assert raised.value.field == "acceptance criteria"
    assert "before opening" in raised.value.hint


def test_a_task_moves_from_draft_to_accepted() -> None:
    t = task(max_volunteers=2)
    seen = [t.status]

    t = t.open(by=LEAD, at=at())
    seen.append(t.status)
    t = t.assign(ids(ADA, BEN), head=ADA.id, by=LEAD, at=at(hours=1))
    seen.append(t.status)
    assert (t.contributors, t.head) == ((ADA.id, BEN.id), ADA.id)
    t = t.start_work(by=ADA, at=at(hours=2))
    seen.append(t.status)
    t = t.submit(by=ADA, at=at(days=1))
    seen.append(t.status)
    t = t.accept(by=REVIEWER, at=at(days=2))
    seen.append(t.status)

    assert seen == [S.DRAFT, S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.SUBMITTED, S.ACCEPTED]


def test_work_sent_back_for_rework_is_resumed_resubmitted_and_accepted() -> None:
    t = at_status(S.SUBMITTED)

    t = t.request_rework(by=REVIEWER, at=at(days=2), note="criterion 2 not met")
    assert t.status is S.NEEDS_REWORK
    t = t.resume(by=ADA, at=at(days=3))
    assert t.status is S.IN_PROGRESS
    t = t.submit(by=ADA, at=at(days=4))
    assert t.status is S.SUBMITTED
    t = t.accept(by=REVIEWER, at=at(days=5))

    assert t.status is S.ACCEPTED
    assert [e.to_status for e in t.history] == [
        S.OPEN,
        S.ASSIGNED,
        S.IN_PROGRESS,
        S.SUBMITTED,
        S.NEEDS_REWORK,
        S.IN_PROGRESS,
        S.SUBMITTED,
        S.ACCEPTED,
    ]


def test_a_leader_may_also_start_and_resume_the_work() -> None:
    t = at_status(S.ASSIGNED).start_work(by=LEAD, at=at(hours=3))
    assert t.status is S.IN_PROGRESS

    t = at_status(S.NEEDS_REWORK).resume(by=LEAD, at=at(days=3))
    assert t.status is S.IN_PROGRESS


@pytest.mark.parametrize("status", [s for s in S if not s.is_final])
def test_a_leader_can_cancel_a_task_from_every_status_that_is_not_final(status: TaskStatus) -> None:
    t = at_status(status).cancel(by=LEAD, at=at(days=9), note="funding ended")

    assert t.status is S.CANCELLED
    assert t.history[-1].from_status is status
    assert t.history[-1].note == "funding ended"


@pytest.mark.parametrize("status", [S.ACCEPTED, S.CANCELLED])
def test_a_final_task_can_never_be_cancelled(status: TaskStatus) -> None:
    t = at_status(status)

    with pytest.raises(TransitionNotAllowed) as raised:
        t.cancel(by=LEAD, at=at(days=9))

    assert f"cannot go from '{status.value}' to 'cancelled'" in raised.value.reason
    assert raised.value.hint == f"'{status.value}' is final"


@pytest.mark.parametrize("status", [s for s in S if not s.is_final])
def test_only_leaders_cancel(status: TaskStatus) -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(status).cancel(by=ADA, at=at(days=9))

    assert raised.value.hint == "only a leader may do that"


ILLEGAL = [(frm, to) for frm in S for to in S if (frm, to) not in TRANSITIONS]


@pytest.mark.parametrize(("frm", "to"), ILLEGAL, ids=[f"{f.value}->{t.value}" for f, t in ILLEGAL])
def test_every_illegal_transition_says_where_the_task_can_go_and_who_may_move_it(
    frm: TaskStatus, to: TaskStatus
) -> None:
    t = at_status(frm)

    with pytest.raises(TransitionNotAllowed) as raised:
        t.check_transition(to, LEAD)

    assert raised.value.reason == f"task T1 cannot go from '{frm.value}' to '{to.value}'"
    assert raised.value.field == "status"
    if frm.is_final:
        assert raised.value.hint == f"'{frm.value}' is final"
    else:
        assert raised.value.hint.startswith(f"from '{frm.value}' it can go to ")
        for option in NEXT[frm]:
            assert option in raised.value.hint
        assert raised.value.hint.count(";") == len(NEXT[frm]) - 1


def test_the_hint_from_open_names_assigned_by_a_leader() -> None:
    with pytest.raises(TransitionNotAllowed) as raised:
        at_status(S.OPEN).submit(by=LEAD, at=at(days=1))

    assert str(raised.value) == (
        "status: task T1 cannot go from 'open' to 'submitted' "
        "(from 'open' it can go to 'assigned' by a leader; 'cancelled' by a leader)"
    )


def test_the_lifecycle_methods_refuse_illegal_transitions() -> None:
    with pytest.raises(TransitionNotAllowed):
        at_status(S.DRAFT).assign(ids(ADA), head=ADA.id, by=LEAD, at=at())
    with pytest.raises(TransitionNotAllowed):
        at_status(S.OPEN).start_work(by=LEAD, at=at(hours=1))
    with pytest.raises(TransitionNotAllowed):
        at_status(S.ASSIGNED).submit(by=ADA, at=at(hours=3))
    with pytest.raises(TransitionNotAllowed):
        at_status(S.IN_PROGRESS).accept(by=REVIEWER, at=at(days=1))
    with pytest.raises(TransitionNotAllowed):
        at_status(S.IN_PROGRESS).request_rework(by=REVIEWER, at=at(days=1), note="not yet")
    with pytest.raises(TransitionNotAllowed):
        at_status(S.SUBMITTED).resume(by=ADA, at=at(days=2))
    with pytest.raises(TransitionNotAllowed):
        at_status(S.OPEN).open(by=LEAD, at=at(hours=1))


def test_a_contributing_leader_accepting_unsubmitted_work_is_told_the_transition_is_not_allowed() -> None:
    t = task().open(by=LEAD, at=at())
    t = t.assign(ids(ADA, REVIEWER), head=ADA.id, by=LEAD, at=at(hours=1))
    t = t.start_work(by=ADA, at=at(hours=2))

    with pytest.raises(TransitionNotAllowed) as raised:
        t.accept(by=REVIEWER, at=at(days=1))

    assert "from 'in progress' it can go to 'submitted' by the task's mini-team head" in raised.value.hint


# --- who may act --------------------------------------------------------------------------


def test_only_leaders_open_a_task() -> None:
    with pytest.raises(NotPermitted) as raised:
        task().open(by=ADA, at=at())

    assert raised.value.reason == "Ada Obi may not move task T1 from 'draft' to 'open'"
    assert raised.value.hint == "only a leader may do that"


def test_only_leaders_assign_volunteers() -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(S.OPEN).assign(ids(ADA), head=ADA.id, by=ADA, at=at(hours=1))

    assert raised.value.hint == "only a leader may do that"


def test_a_member_who_is_not_the_head_cannot_start_the_work() -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(S.ASSIGNED).start_work(by=BEN, at=at(hours=2))

    assert raised.value.hint == "only the task's mini-team head or a leader may do that"


def test_a_member_who_is_not_the_head_cannot_submit() -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(S.IN_PROGRESS).submit(by=BEN, at=at(days=1))

    assert raised.value.reason == "Ben Eze may not move task T1 from 'in progress' to 'submitted'"
    assert raised.value.hint == "only the task's mini-team head may do that"


def test_a_leader_cannot_submit_unless_they_are_the_head() -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(S.IN_PROGRESS).submit(by=LEAD, at=at(days=1))

    assert raised.value.hint == "only the task's mini-team head may do that"

    t = task().open(by=REVIEWER, at=at())
    t = t.assign(ids(LEAD, ADA), head=LEAD.id, by=REVIEWER, at=at(hours=1))
    t = t.start_work(by=LEAD, at=at(hours=2)).submit(by=LEAD, at=at(days=1))
    assert t.status is S.SUBMITTED


def test_only_leaders_accept_work() -> None:
    t = at_status(S.SUBMITTED)

    with pytest.raises(NotPermitted) as raised:
        t.accept(by=CHI, at=at(days=2))

    assert raised.value.hint == "only a leader may do that"


def test_a_head_who_is_not_a_leader_cannot_accept() -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(S.SUBMITTED).accept(by=ADA, at=at(days=2))

    assert raised.value.hint == "only a leader may do that"


def test_only_leaders_ask_for_rework() -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(S.SUBMITTED).request_rework(by=ADA, at=at(days=2), note="redo it")

    assert raised.value.hint == "only a leader may do that"


def test_a_member_who_is_not_the_head_cannot_resume_after_rework() -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(S.NEEDS_REWORK).resume(by=BEN, at=at(days=3))

    assert raised.value.hint == "only the task's mini-team head or a leader may do that"


def test_a_leader_who_contributed_cannot_accept_another_leader_must() -> None:
    t = task().open(by=LEAD, at=at())
    t = t.assign(ids(ADA, REVIEWER), head=ADA.id, by=LEAD, at=at(hours=1))
    t = t.start_work(by=ADA, at=at(hours=2)).submit(by=ADA, at=at(days=1))

    with pytest.raises(NotPermitted) as raised:
        t.accept(by=REVIEWER, at=at(days=2))

    assert raised.value.reason == "Lead Two contributed to task T1 and cannot accept it"
    assert raised.value.hint == "another leader must review and accept it"
    assert t.accept(by=LEAD, at=at(days=2)).status is S.ACCEPTED


# --- assigning -----------------------------------------------------------------------------


def test_assigning_never_exceeds_the_cap() -> None:
    t = at_status(S.OPEN, max_volunteers=2)

    with pytest.raises(CapacityExceeded) as raised:
        t.assign(ids(ADA, BEN, CHI), head=ADA.id, by=LEAD, at=at(hours=1))

    assert raised.value.reason == "task T1 takes at most 2 volunteers, not 3"
    assert t.assign(ids(ADA, BEN), head=BEN.id, by=LEAD, at=at(hours=1)).contributors == (ADA.id, BEN.id)


def test_an_uncapped_task_takes_any_number_of_contributors() -> None:
    team = [MemberId(f"m.{n:02}") for n in range(25)]

    t = at_status(S.OPEN).assign(team, head=team[3], by=LEAD, at=at(hours=1))

    assert t.contributors == tuple(team)


def test_the_head_must_be_one_of_the_contributors() -> None:
    with pytest.raises(InvalidValue) as raised:
        at_status(S.OPEN).assign(ids(ADA, BEN), head=CHI.id, by=LEAD, at=at(hours=1))

    assert raised.value.field == "head"
    assert CHI.id in raised.value.reason


def test_repeated_contributors_are_collapsed_before_the_cap_is_checked() -> None:
    t = at_status(S.OPEN, max_volunteers=2)

    t = t.assign(ids(ADA, BEN, ADA, BEN), head=ADA.id, by=LEAD, at=at(hours=1))

    assert t.contributors == (ADA.id, BEN.id)


def test_assigning_nobody_is_refused() -> None:
    with pytest.raises(InvalidValue) as raised:
        at_status(S.OPEN).assign([], head=ADA.id, by=LEAD, at=at(hours=1))

    assert raised.value.field == "contributors"
    assert raised.value.hint == "choose at least one volunteer"


# --- rework, time and history --------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_a_rework_request_needs_a_note(note: str) -> None:
    t = at_status(S.SUBMITTED)

    with pytest.raises(InvalidValue) as raised:
        t.request_rework(by=REVIEWER, at=at(days=2), note=note)

    assert raised.value.field == "note"
    assert "acceptance criteria" in raised.value.hint
    assert t.status is S.SUBMITTED


def test_events_cannot_go_back_in_time() -> None:
    t = at_status(S.OPEN)  # opened at T0

    with pytest.raises(InvalidValue) as raised:
        t.assign(ids(ADA), head=ADA.id, by=LEAD, at=at(hours=-1))

    assert raised.value.field == "time"
    assert "before the task's last change" in raised.value.reason
    same_instant_elsewhere = T0.astimezone(timezone(timedelta(hours=1)))
    assert t.assign(ids(ADA), head=ADA.id, by=LEAD, at=same_instant_elsewhere).status is S.ASSIGNED


def test_a_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(InvalidValue) as raised:
        task().open(by=LEAD, at=datetime(2026, 3, 7, 10, 0))

    assert raised.value.field == "time"
    assert raised.value.reason == "has no time zone"


def test_the_history_records_who_when_from_and_to() -> None:
    t = accepted(task(), [ADA, BEN], by=REVIEWER, rework=True)

    assert t.history[0] == TaskEvent(at=T0, by=REVIEWER.id, from_status=S.DRAFT, to_status=S.OPEN)
    assert t.history[4] == TaskEvent(
        at=at(days=2),
        by=REVIEWER.id,
        from_status=S.SUBMITTED,
        to_status=S.NEEDS_REWORK,
        note="criterion 2 not met",
    )
    assert [(e.by, e.from_status, e.to_status) for e in t.history] == [
        (REVIEWER.id, S.DRAFT, S.OPEN),
        (REVIEWER.id, S.OPEN, S.ASSIGNED),
        (ADA.id, S.ASSIGNED, S.IN_PROGRESS),
        (ADA.id, S.IN_PROGRESS, S.SUBMITTED),
        (REVIEWER.id, S.SUBMITTED, S.NEEDS_REWORK),
        (ADA.id, S.NEEDS_REWORK, S.IN_PROGRESS),
        (ADA.id, S.IN_PROGRESS, S.SUBMITTED),
        (REVIEWER.id, S.SUBMITTED, S.ACCEPTED),
    ]
    assert [e.at for e in t.history] == sorted(e.at for e in t.history)


def test_a_refused_change_leaves_the_task_as_it_was() -> None:
    t = at_status(S.IN_PROGRESS)
    before = t.history

    with pytest.raises(NotPermitted):
        t.submit(by=BEN, at=at(days=1))

    assert t.status is S.IN_PROGRESS
    assert t.history == before


# --- derived facts ---------------------------------------------------------------------------


def test_submitted_at_and_accepted_at_are_the_first_such_events() -> None:
    t = accepted(task(), [ADA], rework=True)

    assert t.submitted_at == at(days=1)
    assert t.accepted_at == at(days=5)
    assert at_status(S.IN_PROGRESS).submitted_at is None
    assert at_status(S.SUBMITTED).accepted_at is None


def test_a_task_says_when_it_was_opened_when_its_volunteers_were_chosen_and_each_submission() -> None:
    t = accepted(task(), [ADA], rework=True)

    assert t.opened_at == at()
    assert t.assigned_at == at(hours=1)
    assert t.submissions == (at(days=1), at(days=4))
    assert (at_status(S.DRAFT).opened_at, at_status(S.OPEN).assigned_at) == (None, None)
    assert at_status(S.ASSIGNED).submissions == ()


def test_rework_count_counts_each_request() -> None:
    t = at_status(S.NEEDS_REWORK)
    t = t.resume(by=ADA, at=at(days=3)).submit(by=ADA, at=at(days=4))
    t = t.request_rework(by=REVIEWER, at=at(days=5), note="still missing the flow diagram")

    assert t.rework_count == 2
    assert at_status(S.ACCEPTED).rework_count == 0


def test_accepted_first_time_means_accepted_without_any_rework() -> None:
    assert accepted(task(), [ADA]).accepted_first_time is True
    assert accepted(task(), [ADA], rework=True).accepted_first_time is False
    assert at_status(S.SUBMITTED).accepted_first_time is False


def test_work_is_reviewed_once_a_leader_accepts_it_or_asks_for_rework() -> None:
    assert at_status(S.SUBMITTED).was_reviewed is False
    assert at_status(S.IN_PROGRESS).was_reviewed is False
    assert at_status(S.NEEDS_REWORK).was_reviewed is True
    assert at_status(S.ACCEPTED).was_reviewed is True


def test_the_deadline_is_the_end_of_the_due_date_anywhere_on_earth() -> None:
    assert deadline_instant(DUE) == datetime(2026, 3, 21, 12, 0, tzinfo=UTC)


def test_a_submission_late_on_the_due_date_in_vancouver_is_on_time() -> None:
    t = submitted_on(datetime(2026, 3, 20, 23, 30, tzinfo=VANCOUVER))

    assert t.delivered_on_time is True


def test_a_submission_the_next_day_at_13_utc_is_late() -> None:
    assert submitted_on(datetime(2026, 3, 21, 13, 0, tzinfo=UTC)).delivered_on_time is False


def test_the_deadline_instant_itself_is_late() -> None:
    assert submitted_on(datetime(2026, 3, 21, 11, 59, tzinfo=UTC)).delivered_on_time is True
    assert submitted_on(datetime(2026, 3, 21, 12, 0, tzinfo=UTC)).delivered_on_time is False


def test_on_time_is_judged_by_the_first_submission() -> None:
    t = submitted_on(datetime(2026, 3, 19, 9, 0, tzinfo=UTC))
    t = t.request_rework(by=REVIEWER, at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC), note="fix the log")
    t = t.resume(by=ADA, at=datetime(2026, 3, 21, 9, 0, tzinfo=UTC))
    t = t.submit(by=ADA, at=datetime(2026, 3, 25, 9, 0, tzinfo=UTC))

    assert t.delivered_on_time is True


def test_on_time_cannot_be_said_without_a_due_date_or_a_submission() -> None:
    assert submitted_on(at(days=1), due=None).delivered_on_time is None
    assert at_status(S.IN_PROGRESS, due=DUE).delivered_on_time is None


def test_a_task_is_overdue_after_the_deadline_until_it_is_submitted() -> None:
    before = datetime(2026, 3, 21, 11, 59, tzinfo=UTC)
    after = datetime(2026, 3, 21, 12, 0, tzinfo=UTC)

    assert at_status(S.IN_PROGRESS, due=DUE).overdue_on(before) is False
    assert at_status(S.IN_PROGRESS, due=DUE).overdue_on(after) is True
    assert at_status(S.ASSIGNED, due=DUE).overdue_on(after) is True
    assert at_status(S.NEEDS_REWORK, due=DUE).overdue_on(after) is True
    assert at_status(S.SUBMITTED, due=DUE).overdue_on(after) is False
    assert at_status(S.ACCEPTED, due=DUE).overdue_on(after) is False
    assert at_status(S.CANCELLED, due=DUE).overdue_on(after) is False
    assert at_status(S.IN_PROGRESS, due=None).overdue_on(after) is False


# --- splitting points ---------------------------------------------------------------------------


def test_points_are_split_equally_to_the_cent() -> None:
    t = at_status(S.OPEN).assign(ids(ADA, BEN, CHI), head=ADA.id, by=LEAD, at=at(hours=1))

    parts = t.split_points()

    assert parts == {ADA.id: Decimal("3.34"), BEN.id: Decimal("3.33"), CHI.id: Decimal("3.33")}
    assert sum(parts.values()) == t.points


def test_points_are_split_by_the_leaders_shares() -> None:
    t = at_status(S.ASSIGNED).with_shares({BEN.id: Decimal(1), ADA.id: Decimal(3)}, by=LEAD)

    assert t.shares == ((ADA.id, Decimal(3)), (BEN.id, Decimal(1)))
    assert t.split_points() == {ADA.id: Decimal("7.50"), BEN.id: Decimal("2.50")}


def test_shares_set_before_acceptance_are_kept() -> None:
    t = at_status(S.SUBMITTED).with_shares({ADA.id: Decimal(1), BEN.id: Decimal(4)}, by=LEAD)

    t = t.accept(by=REVIEWER, at=at(days=2))

    assert t.split_points() == {ADA.id: Decimal("2.00"), BEN.id: Decimal("8.00")}


@pytest.mark.parametrize(
    "shares",
    [
        {ADA.id: Decimal(1)},
        {ADA.id: Decimal(1), BEN.id: Decimal(1), CHI.id: Decimal(1)},
        {ADA.id: Decimal(1), CHI.id: Decimal(1)},
    ],
    ids=["missing one", "one extra", "one swapped"],
)
def test_shares_must_name_exactly_the_contributors(shares: dict[MemberId, Decimal]) -> None:
    with pytest.raises(InvalidValue) as raised:
        at_status(S.ASSIGNED).with_shares(shares, by=LEAD)

    assert raised.value.reason == "shares must name exactly the task's contributors"
    assert raised.value.hint == "give a share to each of: ada.obi, ben.eze"


def test_every_share_must_be_more_than_zero() -> None:
    with pytest.raises(InvalidValue):
        at_status(S.ASSIGNED).with_shares({ADA.id: Decimal(1), BEN.id: Decimal(0)}, by=LEAD)


def test_only_leaders_set_shares() -> None:
    with pytest.raises(NotPermitted) as raised:
        at_status(S.ASSIGNED).with_shares({ADA.id: Decimal(2), BEN.id: Decimal(1)}, by=ADA)

    assert raised.value.hint == "only leaders set shares"


@pytest.mark.parametrize("status", [S.ACCEPTED, S.CANCELLED])
def test_shares_cannot_be_set_once_the_task_is_final(status: TaskStatus) -> None:
    t = at_status(status)

    with pytest.raises(InvalidValue) as raised:
        t.with_shares({m: Decimal(1) for m in t.contributors}, by=LEAD)

    assert raised.value.field == "shares"
    assert raised.value.hint == "shares are set before acceptance"


# --- the transition table ---------------------------------------------------------------------


def test_the_transition_table_is_the_documented_lifecycle() -> None:
    assert {pair: who for pair, who in TRANSITIONS.items() if pair[1] is not S.CANCELLED} == {
        (S.DRAFT, S.OPEN): {Actor.LEADER},
        (S.OPEN, S.ASSIGNED): {Actor.LEADER},
        (S.ASSIGNED, S.IN_PROGRESS): {Actor.HEAD, Actor.LEADER},
        (S.IN_PROGRESS, S.SUBMITTED): {Actor.HEAD},
        (S.SUBMITTED, S.ACCEPTED): {Actor.LEADER},
        (S.SUBMITTED, S.NEEDS_REWORK): {Actor.LEADER},
        (S.NEEDS_REWORK, S.IN_PROGRESS): {Actor.HEAD, Actor.LEADER},
    }
    cancellable = {frm for (frm, to) in TRANSITIONS if to is S.CANCELLED}
    assert cancellable == {S.DRAFT, S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.SUBMITTED, S.NEEDS_REWORK}
    assert all(TRANSITIONS[(s, S.CANCELLED)] == {Actor.LEADER} for s in cancellable)


@pytest.mark.parametrize("status", list(S))
def test_allowed_from_lists_exactly_the_transitions_out_of_a_status(status: TaskStatus) -> None:
    expected = {(to, who) for (frm, to), who in TRANSITIONS.items() if frm is status}

    listed = allowed_from(status)

    assert set(listed) == expected
    assert len(listed) == len(expected)
    assert (listed == []) is status.is_final
    assert all(frm is not to for frm, to in TRANSITIONS)


def test_only_accepted_and_cancelled_are_final() -> None:
    assert {s for s in S if s.is_final} == {S.ACCEPTED, S.CANCELLED}


def test_active_statuses_are_those_a_contributor_is_carrying() -> None:
    assert {s for s in S if s.is_active} == {S.ASSIGNED, S.IN_PROGRESS, S.SUBMITTED, S.NEEDS_REWORK}


def test_the_people_in_these_specifications_have_the_roles_they_are_assumed_to_have() -> None:
    # Guards the fixtures this file relies on: ADA, BEN and CHI are members, LEAD and REVIEWER leaders.
    everyone: list[Member] = [ADA, BEN, CHI, LEAD, REVIEWER]
    assert [m.is_leader for m in everyone] == [False, False, False, True, True]


def test_asking_whether_a_task_is_overdue_needs_an_aware_time() -> None:
    t = task("T9", due=date(2026, 3, 1))
    with pytest.raises(InvalidValue, match="no time zone"):
        t.overdue_on(datetime(2026, 3, 9, 12))
