"""Specification of calendar invitations: which meetings are due an invitation, at which sequence,
with what a member sees; and what braingain remembers of what it sent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.errors import DomainError, InvalidValue
from braingain.core.group import Group
from braingain.core.schedule.availability import Weekday
from braingain.core.schedule.invitations import (
    CANCEL,
    REQUEST,
    Invitation,
    InvitationPlan,
    Sent,
    plan_invitations,
)
from braingain.core.schedule.meetings import AgendaItem, MeetingRecord, MeetingSeries
from braingain.core.schedule.reminders import ReminderPolicy
from braingain.core.schedule.slots import RecurringSlot
from tests.builders import LONDON, T0, leader, project

LEAD = leader("lead.one")
SLOT = RecurringSlot(Weekday.SATURDAY, 14 * 60, 90, LONDON)
SERIES = MeetingSeries.create(id="monthly", slot=SLOT, first=date(2026, 3, 7))
"""Every four weeks: 7 March, 4 April, 2 May, 30 May 2026 ... at 14:00 in London."""
HORIZON = T0 + timedelta(weeks=9)
"""T0 is Saturday 7 March 2026, 10:00 UTC: the horizon takes in 7 March, 4 April and 2 May."""
POLICY = ReminderPolicy()
D, H = timedelta(days=1), timedelta(hours=1)


def group(series: MeetingSeries = SERIES, records: tuple[MeetingRecord, ...] = ()) -> Group:
    return Group.create("Braingain", members=[LEAD], projects=[project("sr", lead=LEAD)], series=series,
                        records=records)  # fmt: skip


def plan(
    g: Group,
    sent: Mapping[str, Sent] | None = None,
    *,
    now: datetime = T0,
    links: Mapping[str, str] | None = None,
    policy: ReminderPolicy = POLICY,
    horizon: datetime = HORIZON,
    online: bool = True,
) -> InvitationPlan:
    return plan_invitations(
        g,
        now=now,
        join_links=links or {},
        policy=policy,
        sent=sent or {},
        domain="braingain.example.org",
        horizon=horizon,
        online=online,
    )


def only(result: InvitationPlan, meeting_id: str) -> Invitation:
    found = [i for i in result.due if i.meeting_id == meeting_id]
    assert len(found) == 1, result.due
    return found[0]


def moved(to: datetime, planned: date = date(2026, 4, 4)) -> MeetingSeries:
    return SERIES.move(planned, to, by=LEAD, note="Easter")


def cancelled(planned: date = date(2026, 4, 4)) -> MeetingSeries:
    return SERIES.cancel(planned, by=LEAD, note="Easter weekend")


# --- the first sync ----------------------------------------------------------------------


def test_every_meeting_from_now_to_the_horizon_is_invited_once_at_sequence_zero_in_date_order() -> None:
    result = plan(group())
    assert [(i.meeting_id, i.method, i.sequence) for i in result.due] == [
        ("2026-03-07", REQUEST, 0),
        ("2026-04-04", REQUEST, 0),
        ("2026-05-02", REQUEST, 0),
    ]
    assert {k: v.sequence for k, v in result.memory.items()} == {
        "2026-03-07": 0,
        "2026-04-04": 0,
        "2026-05-02": 0,
    }
    assert not any(s.cancelled for s in result.memory.values())


def test_an_invitation_holds_the_meeting_in_the_anchor_zone_with_its_length() -> None:
    april = only(plan(group()), "2026-04-04")
    assert april.zone == "Europe/London"
    assert april.start == datetime(2026, 4, 4, 14, tzinfo=LONDON)
    assert april.start.utcoffset() == H  # British Summer Time
    assert april.end.astimezone(UTC) - april.start.astimezone(UTC) == timedelta(minutes=90)
    assert april.summary == "Braingain meeting"


def test_the_uid_names_the_series_the_meeting_and_the_groups_domain() -> None:
    assert only(plan(group()), "2026-04-04").uid == "meeting-monthly-2026-04-04@braingain.example.org"


def test_the_alarms_are_the_reminder_offsets_longest_first() -> None:
    policy = ReminderPolicy(offsets=(H, 3 * D, timedelta(minutes=30)), agenda_with=3 * D)
    assert only(plan(group(), policy=policy), "2026-04-04").alarms == (3 * D, H, timedelta(minutes=30))


def test_a_meeting_past_the_horizon_or_already_over_is_not_invited() -> None:
    now = datetime(2026, 3, 7, 15, 31, tzinfo=UTC)  # the meeting of 7 March ended at 15:30 UTC
    result = plan(group(), now=now, horizon=datetime(2026, 5, 2, 12, 59, tzinfo=UTC))
    assert [i.meeting_id for i in result.due] == ["2026-04-04"]


def test_a_meeting_under_way_is_still_invited_so_members_can_find_the_link() -> None:
    result = plan(group(), now=datetime(2026, 3, 7, 14, 30, tzinfo=UTC))
    assert result.due[0].meeting_id == "2026-03-07"


def test_the_description_lists_the_agenda_and_how_to_join() -> None:
    item = AgendaItem("Protocol review", LEAD.id, T0)
    g = group(records=(MeetingRecord("2026-04-04", agenda=(item,)),))
    april = only(plan(g, links={"2026-04-04": "https://zoom.us/j/123"}), "2026-04-04")
    assert april.description == "Agenda:\n- Protocol review\nJoin on Zoom: https://zoom.us/j/123"
    assert april.url == "https://zoom.us/j/123"


def test_without_a_join_link_the_description_says_it_will_follow_and_there_is_no_url() -> None:
    april = only(plan(group()), "2026-04-04")
    assert april.url is None
    assert "the Zoom link will follow" in april.description
    assert "Agenda: none yet" in april.description


# --- later syncs -------------------------------------------------------------------------


def test_a_second_sync_with_nothing_changed_issues_nothing_and_keeps_the_memory() -> None:
    first = plan(group())
    second = plan(group(), first.memory)
    assert second.due == ()
    assert second.memory == first.memory


def test_a_moved_meeting_keeps_its_uid_with_the_sequence_raised_and_its_new_time() -> None:
    first = plan(group())
    to = datetime(2026, 4, 11, 16, tzinfo=LONDON)
    after = only(plan(group(moved(to)), first.memory), "2026-04-04")
    assert after.uid == only(first, "2026-04-04").uid
    assert (after.method, after.sequence) == (REQUEST, 1)
    assert after.start == to
    assert after.end == to + timedelta(minutes=90)
    assert after.description.startswith("Moved from Saturday 4 April 2026: Easter")


def test_a_move_given_in_another_zone_is_held_in_the_anchor_zone() -> None:
    to = datetime(2026, 4, 11, 13, tzinfo=UTC)
    april = only(plan(group(moved(to))), "2026-04-04")
    assert april.start == to
    assert april.start.tzinfo == LONDON
    assert april.start.hour == 14


def test_only_the_changed_meeting_is_due_after_a_move() -> None:
    first = plan(group())
    result = plan(group(moved(datetime(2026, 4, 11, 16, tzinfo=LONDON))), first.memory)
    assert [i.meeting_id for i in result.due] == ["2026-04-04"]
    assert result.memory["2026-04-04"].sequence == 1
    assert result.memory["2026-03-07"] == first.memory["2026-03-07"]


def test_each_further_change_raises_the_sequence_again() -> None:
    first = plan(group())
    second = plan(group(moved(datetime(2026, 4, 11, 16, tzinfo=LONDON))), first.memory)
    third = plan(group(moved(datetime(2026, 4, 11, 17, tzinfo=LONDON))), second.memory)
    assert [(i.meeting_id, i.sequence) for i in third.due] == [("2026-04-04", 2)]


def test_a_meeting_moved_beyond_the_horizon_after_it_was_sent_is_still_updated() -> None:
    first = plan(group())
    far = datetime(2026, 9, 5, 14, tzinfo=LONDON)
    result = plan(group(moved(far)), first.memory)
    assert only(result, "2026-04-04").start == far


def test_a_new_agenda_item_or_join_link_is_a_change_members_see() -> None:
    first = plan(group())
    item = AgendaItem("Protocol review", LEAD.id, T0)
    with_item = plan(group(records=(MeetingRecord("2026-04-04", agenda=(item,)),)), first.memory)
    assert [(i.meeting_id, i.sequence) for i in with_item.due] == [("2026-04-04", 1)]
    with_link = plan(group(), first.memory, links={"2026-03-07": "https://zoom.us/j/9"})
    assert [(i.meeting_id, i.sequence) for i in with_link.due] == [("2026-03-07", 1)]


def test_new_reminder_offsets_change_every_invitation() -> None:
    first = plan(group())
    policy = ReminderPolicy(offsets=(D, H, timedelta(minutes=10)))
    assert [i.sequence for i in plan(group(), first.memory, policy=policy).due] == [1, 1, 1]


def test_a_meeting_that_comes_into_the_horizon_is_invited_at_sequence_zero() -> None:
    first = plan(group())
    later = plan(group(), first.memory, now=T0 + 4 * 7 * D, horizon=HORIZON + 4 * 7 * D)
    assert [(i.meeting_id, i.sequence) for i in later.due] == [("2026-05-30", 0)]


def test_a_horizon_made_shorter_cancels_nothing_still_in_the_series() -> None:
    first = plan(group())
    shorter = plan(group(), first.memory, horizon=T0 + 2 * 7 * D)
    assert shorter.due == ()
    assert shorter.memory == first.memory


def test_a_group_without_zoom_is_promised_no_link() -> None:
    invitation = plan(group(), online=False).due[0]
    assert "Zoom" not in invitation.description
    assert invitation.location == ""
    assert plan(group()).due[0].location == "Zoom (the link will follow)"


def test_the_memory_forgets_meetings_that_are_over() -> None:
    first = plan(group())
    later = plan(group(), first.memory, now=datetime(2026, 3, 8, tzinfo=UTC))
    assert "2026-03-07" not in later.memory
    assert later.due == ()


# --- cancellations -----------------------------------------------------------------------


def test_a_cancelled_meeting_that_was_sent_gets_a_cancel_with_the_same_uid_and_a_higher_sequence() -> None:
    first = plan(group())
    result = plan(group(cancelled()), first.memory)
    cancel = only(result, "2026-04-04")
    assert (cancel.method, cancel.sequence, cancel.uid) == (CANCEL, 1, only(first, "2026-04-04").uid)
    assert cancel.description == "Cancelled: Easter weekend"
    assert cancel.alarms == ()
    assert cancel.url is None
    assert result.memory["2026-04-04"] == Sent(1, cancel.fingerprint, cancelled=True)


def test_a_cancellation_is_sent_once() -> None:
    first = plan(group())
    second = plan(group(cancelled()), first.memory)
    assert plan(group(cancelled()), second.memory).due == ()
    edited = SERIES.cancel(date(2026, 4, 4), by=LEAD, note="Easter weekend, and the venue is shut")
    assert plan(group(edited), second.memory).due == ()


def test_a_cancelled_meeting_never_sent_gets_nothing() -> None:
    result = plan(group(cancelled()))
    assert "2026-04-04" not in [i.meeting_id for i in result.due]
    assert "2026-04-04" not in result.memory


def test_a_meeting_restored_after_its_cancellation_is_invited_again_at_a_higher_sequence() -> None:
    first = plan(group())
    gone = plan(group(cancelled()), first.memory)
    back = plan(group(), gone.memory)
    assert [(i.meeting_id, i.method, i.sequence) for i in back.due] == [("2026-04-04", REQUEST, 2)]


def test_a_sent_meeting_no_longer_in_the_series_is_cancelled_at_its_planned_time() -> None:
    first = plan(group())
    later_start = MeetingSeries.create(id="monthly", slot=SLOT, first=date(2026, 4, 11))
    result = plan(group(later_start), first.memory)
    cancels = [(i.meeting_id, i.method, i.sequence) for i in result.due if i.method == CANCEL]
    assert cancels == [("2026-03-07", CANCEL, 1), ("2026-04-04", CANCEL, 1), ("2026-05-02", CANCEL, 1)]
    assert only(result, "2026-04-04").start == datetime(2026, 4, 4, 14, tzinfo=LONDON)


def test_a_group_without_a_series_invites_nothing_and_keeps_the_memory() -> None:
    g = Group.create("Braingain", members=[LEAD], projects=[project("sr", lead=LEAD)])
    memory = plan(group()).memory
    result = plan(g, memory)
    assert result.due == ()
    assert result.memory == memory


# --- determinism and refusals ------------------------------------------------------------


def test_the_plan_does_not_depend_on_the_order_of_the_memory() -> None:
    first = plan(group())
    reversed_memory = dict(reversed(list(first.memory.items())))
    assert plan(group(cancelled()), first.memory) == plan(group(cancelled()), reversed_memory)


def test_the_fingerprint_is_the_same_for_the_same_meeting_and_differs_when_it_changes() -> None:
    assert only(plan(group()), "2026-04-04").fingerprint == only(plan(group()), "2026-04-04").fingerprint
    a = only(plan(group()), "2026-04-04").fingerprint
    b = only(plan(group(moved(datetime(2026, 4, 4, 15, tzinfo=LONDON)))), "2026-04-04").fingerprint
    assert a != b


@pytest.mark.parametrize("domain", ["", "not a domain", "a/b", "-x.org", "x..org", "ex@mple.org"])
def test_a_domain_that_is_not_a_host_name_is_refused(domain: str) -> None:
    with pytest.raises(InvalidValue, match="invitation domain"):
        plan_invitations(group(), now=T0, join_links={}, policy=POLICY, sent={}, domain=domain,
                         horizon=HORIZON)  # fmt: skip


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(InvalidValue):
        plan(group(), now=datetime(2026, 3, 7, 10))


# --- the memory as text ------------------------------------------------------------------


@given(
    sequence=st.integers(min_value=0, max_value=10**6),
    fingerprint=st.text("0123456789abcdef", min_size=64, max_size=64),
    cancelled=st.booleans(),
)
def test_what_was_sent_reads_back_from_its_text(sequence: int, fingerprint: str, cancelled: bool) -> None:
    sent = Sent(sequence, fingerprint, cancelled)
    assert Sent.from_text(sent.to_text()) == sent


def test_the_memory_text_is_compact_json() -> None:
    assert (
        Sent(2, "a" * 64, False).to_text()
        == '{"cancelled":false,"fingerprint":"' + "a" * 64 + '","sequence":2}'
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '{"sequence":1,"fingerprint":"' + "a" * 64 + '"}',
        '{"sequence":1,"fingerprint":"' + "a" * 64 + '","cancelled":false,"extra":1}',
        '{"sequence":-1,"fingerprint":"' + "a" * 64 + '","cancelled":false}',
        '{"sequence":1.5,"fingerprint":"' + "a" * 64 + '","cancelled":false}',
        '{"sequence":true,"fingerprint":"' + "a" * 64 + '","cancelled":false}',
        '{"sequence":"1","fingerprint":"' + "a" * 64 + '","cancelled":false}',
        '{"sequence":1,"fingerprint":"abc","cancelled":false}',
        '{"sequence":1,"fingerprint":"' + "A" * 64 + '","cancelled":false}',
        '{"sequence":1,"fingerprint":"' + "a" * 64 + '","cancelled":"no"}',
        '{"sequence":1,"fingerprint":"' + "a" * 64 + '","cancelled":0}',
    ],
)
def test_memory_text_that_braingain_did_not_write_is_refused_with_a_domain_error(text: str) -> None:
    with pytest.raises(DomainError, match="invitation memory"):
        Sent.from_text(text)
