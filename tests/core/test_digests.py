"""Specification of digests: what one member's digest and the group's digest hold for a period,
and the stable key that makes each go out once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.authorship.disputes import Dispute, DisputeStatus, raise_dispute
from braingain.core.authorship.ledger import Ledger
from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.authorship.volunteering import Volunteer
from braingain.core.errors import InvalidValue, UnknownReference
from braingain.core.group import Group
from braingain.core.ids import EntryId, MemberId, ProjectId, TaskId
from braingain.core.members import Member
from braingain.core.projects import Milestone, Project, ProjectKind
from braingain.core.schedule.availability import Availability, Unavailability, Weekday
from braingain.core.schedule.digests import (
    Deadline,
    ProjectProgress,
    TaskLine,
    group_digest,
    member_digest,
    task_line,
)
from braingain.core.schedule.meetings import (
    ActionItem,
    ActionStatus,
    Cadence,
    MeetingRecord,
    MeetingSeries,
    MeetingStatus,
    Occurrence,
    Presence,
)
from braingain.core.schedule.slots import RecurringSlot
from tests.builders import LAGOS, LONDON, SYDNEY, TORONTO, VANCOUVER, accepted, leader, member, project, task

LEAD = leader("lead.one")
REVIEWER = leader("lead.two", zone="Europe/London", country_code="GB")
ADA = member("ada.a")
BEN = member("ben.b", zone="Europe/London", country_code="GB")
CHI = member("chi.c", zone="Australia/Sydney", country_code="AU")
TOM = member("tom.t", zone="America/Toronto", country_code="CA")

SINCE = datetime(2026, 3, 2, tzinfo=UTC)
UNTIL = datetime(2026, 3, 9, tzinfo=UTC)
"""The week to Monday 9 March 2026 (UTC)."""


def utc(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


SR = Project.create(
    id="sr",
    title="Malaria in pregnancy: a systematic review",
    kind=ProjectKind.SYSTEMATIC_REVIEW,
    lead=LEAD.id,
    milestones=(
        Milestone("Screening complete", date(2026, 6, 30)),
        Milestone("Protocol registered", date(2026, 3, 20)),
    ),
)
MM = project("mm", lead=REVIEWER)


ASSIGNED_AT = datetime(2026, 2, 20, tzinfo=UTC)


def assigned(t: Task, *team: MemberId, at: datetime = ASSIGNED_AT) -> Task:
    return t.open(by=LEAD, at=at).assign(list(team), head=team[0], by=LEAD, at=at + timedelta(hours=1))


T1 = assigned(task("T1", proj=SR, due=date(2026, 3, 5)), ADA.id, BEN.id)
"""Ada and Ben's, due 5 March, not yet submitted: overdue by 9 March."""
T2 = assigned(task("T2", proj=SR, stage="extraction", due=date(2026, 3, 25)), ADA.id).start_work(
    by=ADA, at=utc(2, 22)
)
T3 = task("T3", proj=SR, max_volunteers=2).open(by=LEAD, at=utc(2, 1))
T4 = task("T4", proj=SR).open(by=LEAD, at=utc(2, 1))
T5 = task("T5", proj=SR, max_volunteers=1).open(by=LEAD, at=utc(2, 1))
T6 = accepted(task("T6", proj=SR), [BEN], by=REVIEWER, start=utc(3, 1))
"""Accepted on 6 March, inside the period."""
T7 = accepted(task("T7", proj=MM, stage="protocol"), [ADA], by=REVIEWER, start=utc(2, 1))
"""Accepted on 6 February, before the period."""
T8 = accepted(task("T8", proj=MM, stage="protocol"), [ADA], by=REVIEWER, start=utc(3, 2))
"""Accepted on 7 March, inside the period."""
T9 = task("T9", proj=SR, due=date(2026, 3, 15)).cancel(by=LEAD, at=utc(2, 1))
T10 = (
    assigned(task("T10", proj=SR, due=date(2026, 3, 4)), ADA.id)
    .start_work(by=ADA, at=utc(2, 21))
    .submit(by=ADA, at=utc(3, 3))
)
"""Ada's, submitted on time and waiting for review: not overdue."""

OFFERS = (
    Volunteer(T3.id, BEN.id, utc(2, 2)),
    Volunteer(T4.id, ADA.id, utc(2, 2)),
    Volunteer(T5.id, CHI.id, utc(2, 2)),
)


def ledger() -> Ledger:
    book = Ledger()
    for done in (T7, T6, T8):
        book.award(done, by=REVIEWER)
    return book


def award_of(t: Task, who: MemberId) -> EntryId:
    return EntryId(f"award:{t.id}:{who}")


BOOK = ledger()
D1 = raise_dispute(
    id="D1", member=ADA, ledger=BOOK, reason="my share looks low", at=utc(2, 10), entry=award_of(T7, ADA.id)
)
D2 = raise_dispute(
    id="D2", member=ADA, ledger=BOOK, reason="again", at=utc(2, 11), entry=award_of(T7, ADA.id)
).uphold(by=LEAD, at=utc(2, 15), note="the split was agreed")
D3 = raise_dispute(
    id="D3", member=ADA, ledger=BOOK, reason="typo", at=utc(3, 8), entry=award_of(T8, ADA.id)
).withdraw(by=ADA, at=utc(3, 8, 12))
D4 = raise_dispute(
    id="D4", member=BEN, ledger=BOOK, reason="missing points", at=utc(3, 3), entry=award_of(T6, BEN.id)
)

SAT_1400_LONDON = RecurringSlot(Weekday.SATURDAY, 14 * 60, 90, LONDON)
SERIES = MeetingSeries.create(id="s", slot=SAT_1400_LONDON, first=date(2026, 2, 7))


def meeting_on(g: Group, day: date) -> Occurrence:
    return next(m for m in g.meetings(day) if m.planned == day)


def plain_group(**changes: object) -> Group:
    """The group without meeting records (to find the meetings the cadence gives)."""
    values: dict[str, object] = {
        "members": [LEAD, REVIEWER, ADA, BEN, CHI, TOM],
        "projects": [SR, MM],
        "tasks": [T1, T2, T3, T4, T5, T6, T7, T8, T9, T10],
        "volunteers": OFFERS,
        "ledger": ledger(),
        "disputes": [D1, D2, D3, D4],
        "series": SERIES,
    }
    values.update(changes)
    return Group.create("g", **values)  # type: ignore[arg-type]


PLAIN = plain_group()
FEB = meeting_on(PLAIN, date(2026, 2, 21))
MAR = meeting_on(PLAIN, date(2026, 3, 7))
NEXT = meeting_on(PLAIN, date(2026, 3, 21))

A1 = ActionItem("A1", FEB.id, "Update the search", ADA.id, date(2026, 3, 1))
A2 = ActionItem("A2", FEB.id, "Book the room", ADA.id, None, ActionStatus.DONE)
A3 = ActionItem("A3", FEB.id, "Ask the librarian", BEN.id, date(2026, 3, 1))
A4 = ActionItem("A4", MAR.id, "Resolve conflicts", ADA.id, date(2026, 3, 14))


def records() -> tuple[MeetingRecord, ...]:
    feb = MeetingRecord(FEB.id).record_minutes(
        minutes="Search strategy agreed",
        actions=[A1, A2, A3],
        attendance={ADA.id: Presence.ABSENT, BEN.id: Presence.PRESENT},
        by=LEAD,
    )
    mar = MeetingRecord(MAR.id).record_minutes(
        minutes="Screening started",
        decisions=["Two reviewers per record"],
        actions=[A4],
        attendance={ADA.id: Presence.ABSENT, BEN.id: Presence.PRESENT, TOM.id: Presence.EXCUSED},
        by=LEAD,
    )
    upcoming = MeetingRecord(NEXT.id).add_agenda_item(
        NEXT, "Screening progress", by=BEN, at=utc(3, 10), publish_ahead=timedelta(days=2)
    )
    return (feb, mar, upcoming)


GROUP = plain_group(records=records())


def test_the_fixture_meets_as_the_cadence_says() -> None:
    # Deadlines on 4, 5, 20 and 25 March keep the series fortnightly until they pass.
    assert [m.planned for m in GROUP.meetings(date(2026, 5, 1))] == [
        date(2026, 2, 7),
        date(2026, 2, 21),
        date(2026, 3, 7),
        date(2026, 3, 21),
        date(2026, 4, 4),
    ]


# --- the member digest -----------------------------------------------------------------


def ada() -> tuple[TaskLine, ...]:
    return member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).my_tasks


def test_my_tasks_are_the_active_tasks_i_work_on_soonest_due_first_with_overdue_ones_flagged() -> None:
    assert [(t.task_id, t.status, t.due, t.overdue) for t in ada()] == [
        ("T10", TaskStatus.SUBMITTED, date(2026, 3, 4), False),
        ("T1", TaskStatus.ASSIGNED, date(2026, 3, 5), True),
        ("T2", TaskStatus.IN_PROGRESS, date(2026, 3, 25), False),
    ]


def test_the_overdue_list_holds_only_the_overdue_tasks() -> None:
    digest = member_digest(GROUP, BEN.id, since=SINCE, until=UNTIL)
    assert [t.task_id for t in digest.overdue] == ["T1"]
    assert [t.task_id for t in digest.my_tasks] == ["T1"]


def test_a_task_is_overdue_only_once_its_due_date_has_passed_everywhere() -> None:
    # 5 March ends at 12:00 UTC on 6 March (the last time zone to reach midnight).
    early = member_digest(GROUP, BEN.id, since=SINCE, until=utc(3, 6, 11))
    late = member_digest(GROUP, BEN.id, since=SINCE, until=utc(3, 6, 12))
    assert [t.overdue for t in early.my_tasks] == [False]
    assert [t.overdue for t in late.my_tasks] == [True]


def test_a_task_line_says_which_project_and_how_many_have_volunteered_for_how_many_places() -> None:
    line = next(
        t for t in member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).can_volunteer if t.task_id == "T3"
    )
    assert line == TaskLine(TaskId("T3"), ProjectId("sr"), "Task T3", TaskStatus.OPEN, None, False, 1, 2)


def test_i_could_volunteer_for_open_tasks_i_have_not_offered_for_and_do_not_work_on() -> None:
    assert [t.task_id for t in member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).can_volunteer] == [
        "T3",
        "T5",
    ]
    assert [t.task_id for t in member_digest(GROUP, BEN.id, since=SINCE, until=UNTIL).can_volunteer] == [
        "T4",
        "T5",
    ]


def test_i_could_not_volunteer_for_tasks_i_supervise() -> None:
    assert [t.supervisor for t in (T3, T4, T5)] == [LEAD.id] * 3
    assert member_digest(GROUP, LEAD.id, since=SINCE, until=UNTIL).can_volunteer == ()
    assert [t.task_id for t in member_digest(GROUP, REVIEWER.id, since=SINCE, until=UNTIL).can_volunteer] == [
        "T3",
        "T4",
        "T5",
    ]


def test_i_could_not_volunteer_for_an_open_task_i_already_head_or_work_on() -> None:
    headed = replace(task("T11", proj=SR).open(by=LEAD, at=utc(2, 1)), head=TOM.id, contributors=(TOM.id,))
    joined = replace(task("T12", proj=SR).open(by=LEAD, at=utc(2, 1)), contributors=(CHI.id,))
    g = plain_group(tasks=[headed, joined], volunteers=())
    assert [t.task_id for t in member_digest(g, TOM.id, since=SINCE, until=UNTIL).can_volunteer] == ["T12"]
    assert [t.task_id for t in member_digest(g, CHI.id, since=SINCE, until=UNTIL).can_volunteer] == ["T11"]
    assert [t.task_id for t in member_digest(g, ADA.id, since=SINCE, until=UNTIL).can_volunteer] == [
        "T11",
        "T12",
    ]


def test_a_task_whose_places_are_all_offered_for_is_still_one_to_volunteer_for_and_says_it_is_full() -> None:
    [t5] = [
        t for t in member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).can_volunteer if t.task_id == "T5"
    ]
    assert (t5.volunteers, t5.places, t5.full) == (1, 1, True)
    [t3] = [
        t for t in member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).can_volunteer if t.task_id == "T3"
    ]
    assert (t3.volunteers, t3.places, t3.full) == (1, 2, False)
    assert not TaskLine(TaskId("T4"), SR.id, "Task T4", TaskStatus.OPEN, None, volunteers=9).full


def test_a_member_who_offered_twice_counts_once_in_every_task_line() -> None:
    twice = (*OFFERS, Volunteer(T3.id, BEN.id, utc(2, 3)), Volunteer(T3.id, ADA.id, utc(2, 3)))
    g = plain_group(volunteers=twice)
    [t3] = member_digest(g, BEN.id, since=SINCE, until=UNTIL).my_offers
    assert t3.volunteers == 2
    assert task_line(g, T3, UNTIL).volunteers == 2
    assert [t.volunteers for t in group_digest(g, since=SINCE, until=UNTIL).needing_volunteers] == [1]


def test_my_offers_are_the_open_tasks_i_offered_for_with_their_offers_and_places() -> None:
    assert member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).my_offers == (
        TaskLine(TaskId("T4"), ProjectId("sr"), "Task T4", TaskStatus.OPEN, None, False, 1, None),
    )
    assert [
        (t.task_id, t.volunteers, t.places)
        for t in member_digest(GROUP, CHI.id, since=SINCE, until=UNTIL).my_offers
    ] == [("T5", 1, 1)]
    assert member_digest(GROUP, TOM.id, since=SINCE, until=UNTIL).my_offers == ()


def test_an_offer_for_a_task_no_longer_open_is_not_one_of_my_offers() -> None:
    chosen = assigned(task("T3", proj=SR, max_volunteers=2), BEN.id)
    g = plain_group(tasks=[chosen, T4, T5], volunteers=OFFERS)
    assert member_digest(g, BEN.id, since=SINCE, until=UNTIL).my_offers == ()


def test_an_offer_of_mine_alone_is_news() -> None:
    mine = task("T3", proj=SR, max_volunteers=2).open(by=LEAD, at=utc(2, 1))
    g = Group.create(
        "g",
        members=[LEAD, ADA],
        projects=[SR],
        tasks=[mine],
        volunteers=[Volunteer(mine.id, ADA.id, utc(2, 2))],
    )
    digest = member_digest(g, ADA.id, since=SINCE, until=UNTIL)
    assert (digest.my_tasks, digest.can_volunteer, digest.points_awarded) == ((), (), ())
    assert [t.task_id for t in digest.my_offers] == ["T3"]
    assert digest.has_news


def test_a_leader_reviews_the_submitted_work_they_did_not_contribute_to() -> None:
    own = (
        assigned(task("T11", proj=SR, due=date(2026, 3, 6)), REVIEWER.id, BEN.id)
        .start_work(by=REVIEWER, at=utc(2, 22))
        .submit(by=REVIEWER, at=utc(3, 4))
    )
    g = plain_group(tasks=[T1, T2, T10, own], volunteers=())
    assert [t.task_id for t in member_digest(g, LEAD.id, since=SINCE, until=UNTIL).to_review] == [
        "T10",
        "T11",
    ]
    assert [t.task_id for t in member_digest(g, REVIEWER.id, since=SINCE, until=UNTIL).to_review] == ["T10"]
    assert [t.status for t in member_digest(g, LEAD.id, since=SINCE, until=UNTIL).to_review] == [
        TaskStatus.SUBMITTED
    ] * 2


def test_members_who_are_not_leaders_have_nothing_to_review() -> None:
    for who in (ADA, BEN, CHI, TOM):
        assert member_digest(GROUP, who.id, since=SINCE, until=UNTIL).to_review == ()


def test_work_sent_back_for_rework_or_accepted_awaits_no_review() -> None:
    back = T10.request_rework(by=LEAD, at=utc(3, 5), note="criterion 2 not met")
    done = T10.accept(by=LEAD, at=utc(3, 5))
    for t in (back, done):
        assert (
            member_digest(
                plain_group(tasks=[t], volunteers=()), REVIEWER.id, since=SINCE, until=UNTIL
            ).to_review
            == ()
        )


def test_work_awaiting_my_review_alone_is_news() -> None:
    g = Group.create("g", members=[LEAD, REVIEWER, ADA], projects=[SR], tasks=[T10])
    digest = member_digest(g, REVIEWER.id, since=SINCE, until=UNTIL)
    assert [t.task_id for t in digest.to_review] == ["T10"]
    assert digest.has_news
    assert not member_digest(g, LEAD.id, since=SINCE, until=UNTIL).can_volunteer


def test_a_leader_who_has_left_is_asked_to_review_nothing() -> None:
    gone = leader("lead.gone", left_on=date(2026, 3, 1))
    g = plain_group(members=[LEAD, REVIEWER, ADA, BEN, CHI, TOM, gone])
    assert member_digest(g, gone.id, since=SINCE, until=UNTIL).to_review == ()


def test_a_member_who_has_left_is_offered_no_tasks() -> None:
    gone = member("gon.e", left_on=date(2026, 3, 1))
    g = plain_group(members=[LEAD, REVIEWER, ADA, BEN, CHI, TOM, gone])
    assert member_digest(g, gone.id, since=SINCE, until=UNTIL).can_volunteer == ()


def test_points_awarded_to_me_are_those_recorded_in_the_period() -> None:
    digest = member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL)
    assert [(e.task_id, e.points) for e in digest.points_awarded] == [("T8", Decimal("10.00"))]
    earlier = member_digest(GROUP, ADA.id, since=utc(2, 1), until=utc(2, 8))
    assert [e.task_id for e in earlier.points_awarded] == ["T7"]


def test_the_period_includes_its_end_and_excludes_its_start() -> None:
    accepted_at = T8.accepted_at
    assert accepted_at is not None
    ending = member_digest(GROUP, ADA.id, since=accepted_at - timedelta(days=1), until=accepted_at)
    starting = member_digest(GROUP, ADA.id, since=accepted_at, until=accepted_at + timedelta(days=1))
    assert [e.task_id for e in ending.points_awarded] == ["T8"]
    assert starting.points_awarded == ()


def dispute_ids(disputes: tuple[Dispute, ...]) -> list[str]:
    return [d.id for d in disputes]


def test_my_disputes_are_the_open_ones_and_those_closed_in_the_period() -> None:
    digest = member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL)
    assert dispute_ids(digest.disputes) == ["D1", "D3"]
    assert [d.status for d in digest.disputes] == [DisputeStatus.OPEN, DisputeStatus.WITHDRAWN]
    assert dispute_ids(member_digest(GROUP, BEN.id, since=SINCE, until=UNTIL).disputes) == ["D4"]


def test_my_disputes_are_listed_in_the_order_they_were_raised_whatever_order_the_tracker_holds_them() -> None:
    later = raise_dispute(
        id="D0", member=ADA, ledger=BOOK, reason="and this one", at=utc(3, 4), entry=award_of(T8, ADA.id)
    )
    for held in ((D1, D2, D3, D4, later), (later, D4, D3, D2, D1)):
        digest = member_digest(plain_group(disputes=held), ADA.id, since=SINCE, until=UNTIL)
        assert dispute_ids(digest.disputes) == ["D1", "D0", "D3"]


def test_the_next_meeting_is_shown_in_my_local_time_with_its_agenda() -> None:
    digest = member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL)
    assert digest.next_meeting is not None
    assert digest.next_meeting.meeting == NEXT
    assert digest.next_meeting.local_start == datetime(2026, 3, 21, 15, tzinfo=LAGOS)
    assert digest.next_meeting.local_start.tzinfo == LAGOS
    assert [i.title for i in digest.next_meeting.agenda] == ["Screening progress"]


@pytest.mark.parametrize(
    ("who", "clock", "weekday"),
    [
        (TOM, time(10), Weekday.SATURDAY),  # North America has sprung forward, the UK has not
        (BEN, time(14), Weekday.SATURDAY),
        (CHI, time(1), Weekday.SUNDAY),
        (ADA, time(15), Weekday.SATURDAY),
    ],
)
def test_the_next_meeting_time_follows_each_members_zone(who: Member, clock: time, weekday: Weekday) -> None:
    digest = member_digest(GROUP, who.id, since=SINCE, until=UNTIL)
    assert digest.next_meeting is not None
    local = digest.next_meeting.local_start
    assert local is not None
    assert (local.weekday(), local.time()) == (weekday, clock)
    assert local == NEXT.start


def test_the_next_meeting_without_a_record_has_an_empty_agenda() -> None:
    digest = member_digest(PLAIN, ADA.id, since=SINCE, until=UNTIL)
    assert digest.next_meeting is not None
    assert digest.next_meeting.agenda == ()


def test_a_cancelled_meeting_is_not_the_next_meeting() -> None:
    plan = SERIES.cancel(date(2026, 3, 21), by=LEAD, note="Easter", deadlines=PLAIN.deadlines())
    digest = member_digest(plain_group(series=plan), ADA.id, since=SINCE, until=UNTIL)
    assert digest.next_meeting is not None
    assert digest.next_meeting.meeting.planned == date(2026, 4, 4)


def test_a_meeting_that_started_before_the_end_of_the_period_is_not_the_next_one() -> None:
    digest = member_digest(GROUP, ADA.id, since=SINCE, until=MAR.start)
    assert digest.next_meeting is not None
    assert digest.next_meeting.meeting == NEXT


def quiet_group(plan: MeetingSeries) -> Group:
    return Group.create("g", members=[LEAD, ADA], projects=[project("sr", lead=LEAD)], series=plan)


def test_the_next_meeting_is_found_however_long_the_quiet_cadence() -> None:
    plan = MeetingSeries.create(
        id="q", slot=SAT_1400_LONDON, first=date(2026, 3, 7), cadence=Cadence(2, 12, 4)
    )
    digest = member_digest(quiet_group(plan), ADA.id, since=utc(3, 7), until=utc(3, 14))
    assert digest.next_meeting is not None
    assert digest.next_meeting.meeting.planned == date(2026, 5, 30)


def test_the_next_meeting_is_found_after_several_cancelled_ones() -> None:
    plan = MeetingSeries.create(id="q", slot=SAT_1400_LONDON, first=date(2026, 3, 7))
    plan = plan.cancel(date(2026, 4, 4), by=LEAD, note="Easter").cancel(
        date(2026, 5, 2), by=LEAD, note="exams"
    )
    digest = member_digest(quiet_group(plan), ADA.id, since=utc(3, 1), until=utc(3, 8))
    assert digest.next_meeting is not None
    assert digest.next_meeting.meeting.planned == date(2026, 5, 30)


def test_the_next_meeting_may_be_one_moved_forward_from_a_later_date() -> None:
    plan = MeetingSeries.create(
        id="q", slot=SAT_1400_LONDON, first=date(2026, 3, 7), cadence=Cadence(2, 12, 4)
    )
    to = datetime(2026, 4, 11, 14, tzinfo=LONDON)
    plan = plan.move(date(2026, 8, 22), to, by=LEAD)
    digest = member_digest(quiet_group(plan), ADA.id, since=utc(3, 8), until=utc(3, 15))
    assert digest.next_meeting is not None
    assert (digest.next_meeting.meeting.id, digest.next_meeting.meeting.start) == ("2026-08-22", to)


def test_the_next_meeting_before_a_series_starts_is_its_first_meeting() -> None:
    plan = MeetingSeries.create(id="q", slot=SAT_1400_LONDON, first=date(2026, 9, 5))
    digest = member_digest(quiet_group(plan), ADA.id, since=utc(3, 1), until=utc(3, 8))
    assert digest.next_meeting is not None
    assert digest.next_meeting.meeting.planned == date(2026, 9, 5)


def test_without_a_series_there_is_no_next_meeting_and_nothing_missed() -> None:
    digest = member_digest(plain_group(series=None), ADA.id, since=SINCE, until=UNTIL)
    assert digest.next_meeting is None
    assert digest.missed == ()
    assert digest.my_actions == ()


def test_my_actions_are_the_open_action_items_assigned_to_me_from_meetings_held_so_far() -> None:
    assert member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).my_actions == (A1, A4)
    assert member_digest(GROUP, BEN.id, since=SINCE, until=UNTIL).my_actions == (A3,)
    assert member_digest(GROUP, ADA.id, since=utc(2, 1), until=utc(2, 28)).my_actions == (A1,)


def test_i_get_the_minutes_of_meetings_in_the_period_that_i_missed() -> None:
    digest = member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL)
    assert [(m.meeting, m.minutes, m.decisions, m.actions) for m in digest.missed] == [
        (MAR, "Screening started", ("Two reviewers per record",), (A4,))
    ]
    assert digest.missed[0].local_start == datetime(2026, 3, 7, 15, tzinfo=LAGOS)


def test_members_who_attended_get_no_minutes_and_the_excused_or_unrecorded_do() -> None:
    assert member_digest(GROUP, BEN.id, since=SINCE, until=UNTIL).missed == ()
    assert [m.meeting for m in member_digest(GROUP, TOM.id, since=SINCE, until=UNTIL).missed] == [MAR]
    assert [m.meeting for m in member_digest(GROUP, CHI.id, since=SINCE, until=UNTIL).missed] == [MAR]


def test_an_absence_on_a_declared_unavailable_day_still_gets_the_minutes() -> None:
    excused = (
        Availability(ADA.id, LAGOS, unavailable=(Unavailability(date(2026, 3, 7), date(2026, 3, 7)),)),
    )
    g = plain_group(records=records(), availability=excused)
    assert [m.meeting for m in member_digest(g, ADA.id, since=SINCE, until=UNTIL).missed] == [MAR]


def test_only_meetings_that_ended_in_the_period_count_as_missed() -> None:
    during = member_digest(GROUP, ADA.id, since=SINCE, until=MAR.end - timedelta(minutes=1))
    assert during.missed == ()
    assert [m.meeting for m in member_digest(GROUP, ADA.id, since=utc(2, 14), until=UNTIL).missed] == [
        FEB,
        MAR,
    ]


def test_an_upcoming_meeting_alone_is_not_news() -> None:
    g = quiet_group(MeetingSeries.create(id="q", slot=SAT_1400_LONDON, first=date(2026, 3, 14)))
    digest = member_digest(g, ADA.id, since=SINCE, until=UNTIL)
    assert digest.next_meeting is not None
    assert not digest.has_news
    assert member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).has_news


def test_a_task_open_for_volunteers_is_news() -> None:
    g = Group.create(
        "g", members=[LEAD, ADA], projects=[SR], tasks=[task("T3", proj=SR).open(by=LEAD, at=utc(2, 1))]
    )
    assert member_digest(g, ADA.id, since=SINCE, until=UNTIL).has_news


def test_a_digest_for_an_unknown_member_is_refused() -> None:
    with pytest.raises(UnknownReference, match=r"'zed\.z' is not a member"):
        member_digest(GROUP, MemberId("zed.z"), since=SINCE, until=UNTIL)


# --- keys and periods ------------------------------------------------------------------


def test_a_member_digest_key_names_the_member_and_the_period_in_utc_dates() -> None:
    assert member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).key == "digest:ada.a:2026-03-02..2026-03-09"


def test_the_same_period_given_in_another_zone_has_the_same_key() -> None:
    lagos = member_digest(GROUP, ADA.id, since=SINCE.astimezone(LAGOS), until=UNTIL.astimezone(VANCOUVER))
    assert lagos.key == member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL).key


def test_digest_keys_differ_per_member_and_per_period() -> None:
    keys = {
        member_digest(GROUP, who, since=SINCE + timedelta(weeks=n), until=UNTIL + timedelta(weeks=n)).key
        for who in (ADA.id, BEN.id, TOM.id)
        for n in range(3)
    }
    assert len(keys) == 9


def test_the_same_inputs_give_the_same_digest() -> None:
    assert member_digest(GROUP, ADA.id, since=SINCE, until=UNTIL) == member_digest(
        GROUP, ADA.id, since=SINCE, until=UNTIL
    )
    assert group_digest(GROUP, since=SINCE, until=UNTIL) == group_digest(GROUP, since=SINCE, until=UNTIL)


@pytest.mark.parametrize(
    ("since", "until"),
    [(UNTIL, SINCE), (SINCE, SINCE), (UNTIL, UNTIL - timedelta(microseconds=1))],
)
def test_a_period_that_ends_before_it_starts_is_refused(since: datetime, until: datetime) -> None:
    with pytest.raises(InvalidValue, match="digest period"):
        member_digest(GROUP, ADA.id, since=since, until=until)
    with pytest.raises(InvalidValue, match="digest period"):
        group_digest(GROUP, since=since, until=until)


def test_a_period_needs_times_with_zones() -> None:
    naive = datetime(2026, 3, 9)
    with pytest.raises(InvalidValue, match="until: has no time zone"):
        member_digest(GROUP, ADA.id, since=SINCE, until=naive)
    with pytest.raises(InvalidValue, match="since: has no time zone"):
        group_digest(GROUP, since=datetime(2026, 3, 2), until=UNTIL)


@given(
    st.datetimes(
        datetime(2026, 1, 1), datetime(2030, 12, 31), timezones=st.sampled_from([UTC, LAGOS, SYDNEY])
    ),
    st.timedeltas(timedelta(hours=1), timedelta(days=31)),
    st.sampled_from([ADA.id, BEN.id, TOM.id]),
)
def test_a_digest_key_depends_only_on_the_member_and_the_utc_dates_of_the_period(
    since: datetime, length: timedelta, who: MemberId
) -> None:
    until = (since.astimezone(UTC) + length).astimezone(since.tzinfo)  # elapsed time, not wall time
    digest = member_digest(PLAIN, who, since=since, until=until)
    first, last = since.astimezone(UTC).date(), until.astimezone(UTC).date()
    assert digest.key == f"digest:{who}:{first}..{last}"
    assert digest.key == member_digest(PLAIN, who, since=since.astimezone(TORONTO), until=until).key
    assert group_digest(PLAIN, since=since, until=until).key == f"group-digest:{first}..{last}"


# --- the group digest ------------------------------------------------------------------


def test_the_group_digest_shows_progress_per_project() -> None:
    digest = group_digest(GROUP, since=SINCE, until=UNTIL)
    assert digest.progress == (
        ProjectProgress(ProjectId("mm"), "A systematic review", 2, 2, Decimal("20.00"), None),
        ProjectProgress(
            ProjectId("sr"),
            "Malaria in pregnancy: a systematic review",
            1,
            7,
            Decimal("10.00"),
            ("Protocol registered", date(2026, 3, 20)),
        ),
    )
    assert [p.percent for p in digest.progress] == [100, 14]


def test_a_project_without_tasks_is_at_zero_percent() -> None:
    empty = Group.create("g", members=[LEAD], projects=[project("x", lead=LEAD)])
    progress = group_digest(empty, since=SINCE, until=UNTIL).progress
    assert [(p.accepted, p.total, p.percent, p.points) for p in progress] == [(0, 0, 0, Decimal(0))]


def test_the_next_milestone_is_the_first_not_yet_past() -> None:
    later = group_digest(GROUP, since=utc(3, 20), until=utc(3, 21))
    assert later.progress[1].next_milestone == ("Screening complete", date(2026, 6, 30))
    on_the_day = group_digest(GROUP, since=utc(3, 19), until=utc(3, 20, 12))
    assert on_the_day.progress[1].next_milestone == ("Protocol registered", date(2026, 3, 20))


def test_tasks_needing_volunteers_are_open_tasks_with_places_left() -> None:
    digest = group_digest(GROUP, since=SINCE, until=UNTIL)
    assert [(t.task_id, t.volunteers, t.places) for t in digest.needing_volunteers] == [
        ("T3", 1, 2),
        ("T4", 1, None),
    ]


def test_newly_accepted_work_is_what_was_accepted_in_the_period() -> None:
    digest = group_digest(GROUP, since=SINCE, until=UNTIL)
    assert [(t.task_id, t.status) for t in digest.newly_accepted] == [
        ("T6", TaskStatus.ACCEPTED),
        ("T8", TaskStatus.ACCEPTED),
    ]
    assert [t.task_id for t in group_digest(GROUP, since=utc(2, 1), until=utc(2, 8)).newly_accepted] == ["T7"]


def test_upcoming_deadlines_are_milestones_and_unfinished_tasks_due_within_the_window_soonest_first() -> None:
    digest = group_digest(GROUP, since=SINCE, until=UNTIL)
    assert digest.upcoming_deadlines == (
        Deadline(date(2026, 3, 20), "milestone: Protocol registered", ProjectId("sr")),
        Deadline(date(2026, 3, 25), "T2 due: Task T2", ProjectId("sr")),
    )


def test_the_deadline_window_is_configurable() -> None:
    digest = group_digest(GROUP, since=SINCE, until=UNTIL, deadline_window=timedelta(weeks=17))
    assert [d.due for d in digest.upcoming_deadlines] == [
        date(2026, 3, 20),
        date(2026, 3, 25),
        date(2026, 6, 30),
    ]
    short = group_digest(GROUP, since=SINCE, until=UNTIL, deadline_window=timedelta(days=12))
    assert [d.due for d in short.upcoming_deadlines] == [date(2026, 3, 20)]


def test_overdue_cancelled_and_accepted_tasks_are_not_upcoming_deadlines() -> None:
    done = accepted(task("T11", proj=SR, due=date(2026, 3, 18)), [BEN], by=REVIEWER, start=utc(3, 1))
    g = plain_group(tasks=[T1, T9, T10, done], volunteers=())
    assert [d.what for d in group_digest(g, since=SINCE, until=UNTIL).upcoming_deadlines] == [
        "milestone: Protocol registered"
    ]


def test_the_points_table_ranks_members_per_project() -> None:
    table = group_digest(GROUP, since=SINCE, until=UNTIL).points_table
    assert [(p, [(s.member_id, s.points) for s in rows]) for p, rows in table] == [
        ("mm", [("ada.a", Decimal("20.00"))]),
        ("sr", [("ben.b", Decimal("10.00"))]),
    ]


def test_a_group_digest_key_names_the_period_in_utc_dates() -> None:
    assert group_digest(GROUP, since=SINCE, until=UNTIL).key == "group-digest:2026-03-02..2026-03-09"
    assert (
        group_digest(GROUP, since=SINCE, until=UNTIL + timedelta(days=1)).key
        != group_digest(GROUP, since=SINCE, until=UNTIL).key
    )


@st.composite
def changed_series(draw: st.DrawFn) -> tuple[Group, datetime]:
    zone = draw(st.sampled_from([LAGOS, LONDON, TORONTO, VANCOUVER, SYDNEY]))
    slot = RecurringSlot(draw(st.sampled_from(list(Weekday))), draw(st.integers(0, 24 * 60 - 1)), 60, zone)
    first = slot.first_on_or_after(draw(st.dates(date(2026, 1, 1), date(2030, 6, 30))))
    busy = draw(st.integers(1, 12))
    plan = MeetingSeries.create(
        id="q",
        slot=slot,
        first=first,
        cadence=Cadence(busy, draw(st.integers(busy, 12)), draw(st.integers(0, 26))),
        blackouts=[first + timedelta(weeks=n) for n in draw(st.lists(st.integers(0, 80), max_size=6))],
    )
    planned = plan.planned_dates(first + timedelta(weeks=104))
    for day in draw(st.lists(st.sampled_from(planned), max_size=6, unique=True)):
        if draw(st.booleans()):
            plan = plan.cancel(day, by=LEAD, note="holiday")
        else:
            shift = timedelta(hours=draw(st.integers(-24 * 70, 24 * 70)))
            plan = plan.move(day, plan.slot.at(day) + shift, by=LEAD)
    until = datetime.combine(first, time(12), tzinfo=UTC) + timedelta(days=draw(st.integers(-30, 400)))
    return quiet_group(plan), until


@given(changed_series())
def test_the_next_meeting_is_always_the_first_one_held_after_the_period(case: tuple[Group, datetime]) -> None:
    g, until = case
    everything = g.meetings(until.date() + timedelta(weeks=200))
    expected = next(
        (m for m in everything if m.status is not MeetingStatus.CANCELLED and m.start > until), None
    )
    digest = member_digest(g, ADA.id, since=until - timedelta(days=7), until=until)
    assert digest.next_meeting is not None
    assert digest.next_meeting.meeting == expected
