"""Specification of reminders and follow-ups: who is reminded of which meeting, when, in which
local time, with what; and who receives the minutes after a meeting."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.errors import InvalidValue
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.members import Member
from braingain.core.schedule.availability import Availability, Unavailability, Weekday
from braingain.core.schedule.meetings import (
    ActionItem,
    Cadence,
    MeetingRecord,
    MeetingSeries,
    MeetingStatus,
    Occurrence,
    Presence,
)
from braingain.core.schedule.reminders import (
    FollowUp,
    Reminder,
    ReminderPolicy,
    follow_ups_due,
    offset_label,
    reminders_due,
)
from braingain.core.schedule.slots import RecurringSlot
from tests.builders import LONDON, SYDNEY, ZONES, leader, member, project

LEAD = leader("lead.one")
ADA = member("ada.a")
BEN = member("ben.b", zone="Europe/London", country_code="GB")
TOM = member("tom.t", zone="America/Toronto", country_code="CA")
NIA = member("nia.n", zone="America/New_York", country_code="US")
VAL = member("val.v", zone="America/Vancouver", country_code="CA")
SYD = member("syd.s", zone="Australia/Sydney", country_code="AU")
PROJECT = project("sr", lead=LEAD)

SAT_1400_LONDON = RecurringSlot(Weekday.SATURDAY, 14 * 60, 90, LONDON)
MONTHLY = MeetingSeries.create(id="s", slot=SAT_1400_LONDON, first=date(2026, 3, 7))
"""Every four weeks (no deadlines): 7 March, 4 April, 2 May, 30 May 2026..."""
WEEKLY = MeetingSeries.create(id="w", slot=SAT_1400_LONDON, first=date(2026, 1, 3), cadence=Cadence(1, 1, 0))
APRIL = SAT_1400_LONDON.at(date(2026, 4, 4))
"""The meeting of Saturday 4 April 2026, 14:00 in London (BST), 13:00 UTC."""

H, D = timedelta(hours=1), timedelta(days=1)


def group(
    *people: Member,
    plan: MeetingSeries | None = MONTHLY,
    records: tuple[MeetingRecord, ...] = (),
    availability: tuple[Availability, ...] = (),
) -> Group:
    return Group.create(
        "g",
        members=[LEAD, *people],
        projects=[PROJECT],
        series=plan,
        records=records,
        availability=availability,
    )


def due(g: Group, now: datetime, policy: ReminderPolicy | None = None) -> list[tuple[str, str, MemberId]]:
    return [(r.meeting.id, offset_label(r.offset), r.member_id) for r in reminders_due(g, now, policy)]


def away(who: Member, day: date) -> Availability:
    return Availability(who.id, who.zone, unavailable=(Unavailability(day, day, "on call"),))


def with_agenda(meeting_id: str = "2026-04-04") -> MeetingRecord:
    meeting = next(m for m in MONTHLY.occurrences(date(2026, 5, 1)) if m.id == meeting_id)
    return MeetingRecord(meeting_id).add_agenda_item(
        meeting, "Protocol", by=ADA, at=APRIL - 3 * D, publish_ahead=2 * D
    )


# --- the policy ------------------------------------------------------------------------


def test_by_default_reminders_go_seven_days_one_day_and_one_hour_before() -> None:
    policy = ReminderPolicy()
    assert policy.ordered == (7 * D, D, H)
    assert policy.agenda_with == D
    assert policy.publish_agenda == 2 * D


def test_offsets_are_ordered_from_the_earliest_reminder_whatever_order_they_are_given_in() -> None:
    assert ReminderPolicy(offsets=(H, 7 * D, D)).ordered == (7 * D, D, H)


@pytest.mark.parametrize(
    ("offsets", "agenda_with", "message"),
    [
        ((), D, "after zero"),
        ((D, timedelta(0)), D, "after zero"),
        ((D, -H), D, "after zero"),
        ((D, H, D), D, "repeated"),
        ((7 * D, H), D, "agenda must go with one of the reminders"),
        ((D, timedelta(hours=24)), D, "repeated"),
    ],
)
def test_a_policy_with_impossible_offsets_is_refused(
    offsets: tuple[timedelta, ...], agenda_with: timedelta, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        ReminderPolicy(offsets=offsets, agenda_with=agenda_with)


@pytest.mark.parametrize(
    "odd", [timedelta(seconds=30), timedelta(minutes=1, seconds=30), timedelta(microseconds=1)]
)
def test_an_offset_that_is_not_a_whole_number_of_minutes_is_refused(odd: timedelta) -> None:
    with pytest.raises(InvalidValue, match="whole minutes"):
        ReminderPolicy(offsets=(D, timedelta(minutes=1), odd))


@pytest.mark.parametrize(
    ("offset", "label"),
    [
        (7 * D, "7d"),
        (D, "1d"),
        (timedelta(hours=24), "1d"),
        (H, "1h"),
        (36 * H, "36h"),
        (timedelta(minutes=90), "90m"),
    ],
)
def test_each_offset_has_a_short_label(offset: timedelta, label: str) -> None:
    assert offset_label(offset) == label


@given(st.lists(st.integers(1, 60 * 24 * 60), min_size=2, max_size=6, unique=True))
def test_different_offsets_of_a_valid_policy_never_share_a_label(minutes: list[int]) -> None:
    offsets = tuple(timedelta(minutes=m) for m in minutes)
    policy = ReminderPolicy(offsets=offsets, agenda_with=offsets[0])
    assert len({offset_label(o) for o in policy.offsets}) == len(offsets)


# --- when a reminder is due ------------------------------------------------------------


@pytest.mark.parametrize(
    ("before_start", "expected"),
    [
        (8 * D, None),
        (7 * D + timedelta(seconds=1), None),
        (7 * D, "7d"),
        (3 * D, "7d"),
        (D + timedelta(seconds=1), "7d"),
        (D, "1d"),
        (2 * H, "1d"),
        (H, "1h"),
        (timedelta(minutes=1), "1h"),
        (timedelta(0), None),
        (-H, None),
    ],
)
def test_a_reminder_is_due_from_its_send_time_until_the_next_closer_one_is_due_or_the_meeting_starts(
    before_start: timedelta, expected: str | None
) -> None:
    found = due(group(ADA), APRIL - before_start)
    assert found == (
        [] if expected is None else [("2026-04-04", expected, ADA.id), ("2026-04-04", expected, LEAD.id)]
    )


def test_a_sync_that_runs_late_sends_only_the_freshest_reminder() -> None:
    reminders = reminders_due(group(), APRIL - 30 * timedelta(minutes=1))
    assert [(r.offset, r.send_at) for r in reminders] == [(H, APRIL - H)]


def test_every_active_member_gets_the_reminder_in_member_id_order() -> None:
    found = due(group(TOM, ADA, SYD, BEN), APRIL - D)
    assert [who for _, _, who in found] == ["ada.a", "ben.b", "lead.one", "syd.s", "tom.t"]


def test_the_offsets_are_configurable() -> None:
    policy = ReminderPolicy(offsets=(2 * D, 3 * H), agenda_with=3 * H)
    g = group(ADA)
    assert due(g, APRIL - 7 * D, policy) == []
    assert {label for _, label, _ in due(g, APRIL - 2 * D, policy)} == {"2d"}
    assert {label for _, label, _ in due(g, APRIL - 3 * H, policy)} == {"3h"}
    assert due(g, APRIL - H, policy)[0][1] == "3h"


def test_the_agenda_goes_with_the_one_day_reminder_only() -> None:
    g = group(ADA, records=(with_agenda(),))
    week, day, hour = (reminders_due(g, APRIL - offset) for offset in (7 * D, D, H))
    assert [i.title for i in day[0].agenda] == ["Protocol"]
    assert all(r.agenda == () for r in (*week, *hour))


def test_the_agenda_goes_with_whichever_reminder_the_policy_names() -> None:
    policy = ReminderPolicy(agenda_with=H)
    g = group(ADA, records=(with_agenda(),))
    assert reminders_due(g, APRIL - D, policy)[0].agenda == ()
    assert [i.title for i in reminders_due(g, APRIL - H, policy)[0].agenda] == ["Protocol"]


def test_a_meeting_without_a_record_is_reminded_with_an_empty_agenda() -> None:
    assert reminders_due(group(ADA), APRIL - D)[0].agenda == ()


def test_a_reminder_says_when_it_was_meant_to_go_and_which_meeting_it_is_for() -> None:
    reminder = reminders_due(group(), APRIL - 5 * D)[0]
    assert reminder.send_at == APRIL - 7 * D
    assert reminder.meeting.id == "2026-04-04"
    assert reminder.meeting.start == APRIL
    assert reminder.offset == 7 * D


def test_a_cancelled_meeting_gets_no_reminders() -> None:
    plan = MONTHLY.cancel(date(2026, 4, 4), by=LEAD, note="Easter")
    for offset in (7 * D, D, H):
        assert due(group(ADA, plan=plan), APRIL - offset) == []


def test_a_moved_meeting_is_reminded_at_its_new_time() -> None:
    to = datetime(2026, 4, 11, 16, tzinfo=LONDON)
    g = group(ADA, plan=MONTHLY.move(date(2026, 4, 4), to, by=LEAD))
    assert due(g, APRIL - D) == []
    reminders = reminders_due(g, to - D)
    assert {(r.meeting.id, r.offset, r.meeting.start) for r in reminders} == {("2026-04-04", D, to)}


@pytest.mark.parametrize("weeks_earlier", [1, 2, 3])
def test_a_meeting_moved_weeks_earlier_gets_every_reminder_on_time(weeks_earlier: int) -> None:
    to = APRIL - timedelta(weeks=weeks_earlier)
    g = group(ADA, plan=MONTHLY.move(date(2026, 4, 4), to, by=LEAD))
    for offset in (7 * D, D, H):
        found = reminders_due(g, to - offset)
        assert {(r.meeting.id, r.offset, r.member_id) for r in found} >= {("2026-04-04", offset, ADA.id)}


def test_without_a_series_there_are_no_reminders() -> None:
    assert reminders_due(group(ADA, plan=None), APRIL - D) == []


def test_reminders_need_a_time_with_a_zone() -> None:
    with pytest.raises(InvalidValue, match="no time zone"):
        reminders_due(group(), datetime(2026, 4, 3, 13))


# --- who is reminded, in which local time ----------------------------------------------


def test_members_who_are_inactive_on_the_meeting_day_get_no_reminder() -> None:
    paused = member("pau.p", active=False)
    left = member("lef.t", left_on=date(2026, 4, 1))
    leaving = member("lea.v", left_on=date(2026, 4, 5))
    new = member("new.n", joined_on=date(2026, 4, 5))
    found = due(group(ADA, paused, left, leaving, new), APRIL - D)
    assert sorted(who for _, _, who in found) == ["ada.a", "lea.v", "lead.one"]


def test_a_member_is_active_or_not_by_the_meeting_date_in_their_own_zone() -> None:
    # The London Saturday-afternoon meeting falls on Sunday 5 April in Sydney.
    joins_sunday = member("joi.n", zone="Australia/Sydney", country_code="AU", joined_on=date(2026, 4, 5))
    assert ("2026-04-04", "1d", "joi.n") in due(group(joins_sunday), APRIL - D)


def test_a_member_who_declared_the_meeting_day_unavailable_is_still_reminded_and_flagged_expected_away() -> (
    None
):
    g = group(ADA, BEN, availability=(away(ADA, date(2026, 4, 4)), away(BEN, date(2026, 4, 5))))
    flags = {r.member_id: r.expected_away for r in reminders_due(g, APRIL - D)}
    assert flags == {ADA.id: True, BEN.id: False, LEAD.id: False}


def test_expected_away_is_judged_by_the_date_in_the_members_own_zone() -> None:
    # 14:00 in London on Saturday 4 April is 00:00 on Sunday 5 April in Sydney.
    sunday = group(SYD, availability=(away(SYD, date(2026, 4, 5)),))
    saturday = group(SYD, availability=(away(SYD, date(2026, 4, 4)),))
    assert next(r for r in reminders_due(sunday, APRIL - D) if r.member_id == SYD.id).expected_away
    assert not next(r for r in reminders_due(saturday, APRIL - D) if r.member_id == SYD.id).expected_away


def local_start(day: date, who: Member) -> datetime:
    start = SAT_1400_LONDON.at(day)
    found = [
        r
        for r in reminders_due(group(who, plan=WEEKLY), start - D)
        if r.member_id == who.id and r.meeting.planned == day
    ]
    assert len(found) == 1
    assert found[0].local_start is not None
    return found[0].local_start


@pytest.mark.parametrize(
    ("day", "who", "weekday", "clock"),
    [
        # Winter everywhere north: London on GMT, North America on standard time, Sydney on AEDT.
        (date(2026, 2, 28), TOM, Weekday.SATURDAY, time(9)),
        (date(2026, 2, 28), NIA, Weekday.SATURDAY, time(9)),
        (date(2026, 2, 28), VAL, Weekday.SATURDAY, time(6)),
        (date(2026, 2, 28), ADA, Weekday.SATURDAY, time(15)),
        (date(2026, 2, 28), BEN, Weekday.SATURDAY, time(14)),
        (date(2026, 2, 28), SYD, Weekday.SUNDAY, time(1)),
        # 8-29 March 2026: North America has sprung forward, the UK has not.
        (date(2026, 3, 14), TOM, Weekday.SATURDAY, time(10)),
        (date(2026, 3, 28), NIA, Weekday.SATURDAY, time(10)),
        (date(2026, 3, 28), VAL, Weekday.SATURDAY, time(7)),
        (date(2026, 3, 28), ADA, Weekday.SATURDAY, time(15)),
        # Summer: the UK on BST; Sydney still on AEDT until 5 April, then AEST.
        (date(2026, 4, 4), TOM, Weekday.SATURDAY, time(9)),
        (date(2026, 4, 4), ADA, Weekday.SATURDAY, time(14)),
        (date(2026, 4, 4), SYD, Weekday.SUNDAY, time(0)),
        (date(2026, 4, 11), SYD, Weekday.SATURDAY, time(23)),
        (date(2026, 6, 13), TOM, Weekday.SATURDAY, time(9)),
        (date(2026, 6, 13), VAL, Weekday.SATURDAY, time(6)),
        (date(2026, 6, 13), ADA, Weekday.SATURDAY, time(14)),
        (date(2026, 6, 13), BEN, Weekday.SATURDAY, time(14)),
        # 25 October - 1 November 2026: the UK has fallen back, North America has not.
        (date(2026, 10, 31), TOM, Weekday.SATURDAY, time(10)),
        (date(2026, 10, 31), VAL, Weekday.SATURDAY, time(7)),
        (date(2026, 10, 31), ADA, Weekday.SATURDAY, time(15)),
        (date(2026, 10, 31), SYD, Weekday.SUNDAY, time(1)),
        (date(2026, 11, 7), TOM, Weekday.SATURDAY, time(9)),
        # Later years: the same out-of-step weeks move with the calendar.
        (date(2028, 10, 28), TOM, Weekday.SATURDAY, time(9)),
        (date(2028, 11, 4), TOM, Weekday.SATURDAY, time(10)),
        (date(2030, 3, 16), NIA, Weekday.SATURDAY, time(10)),
        (date(2030, 4, 6), NIA, Weekday.SATURDAY, time(9)),
    ],
)
def test_each_reminder_shows_the_meeting_time_in_the_members_own_zone(
    day: date, who: Member, weekday: Weekday, clock: time
) -> None:
    local = local_start(day, who)
    assert local.tzinfo == who.zone
    assert (local.weekday(), local.time()) == (weekday, clock)
    assert local == SAT_1400_LONDON.at(day)


# --- stable keys -----------------------------------------------------------------------


def test_a_reminder_key_names_the_meeting_the_offset_and_the_member() -> None:
    assert [r.key for r in reminders_due(group(ADA), APRIL - D)] == [
        "reminder:s:2026-04-04@20260404T1300Z:1d:ada.a",
        "reminder:s:2026-04-04@20260404T1300Z:1d:lead.one",
    ]


def test_the_same_reminder_has_the_same_key_however_often_and_whenever_in_its_window_it_is_computed() -> None:
    g = group(ADA, TOM)
    first = [r.key for r in reminders_due(g, APRIL - 7 * D)]
    assert first == [r.key for r in reminders_due(group(ADA, TOM), APRIL - 2 * D)]
    assert first == [r.key for r in reminders_due(g, APRIL - 7 * D)]


def test_reminder_keys_differ_per_meeting_offset_and_member() -> None:
    g = group(ADA, TOM)
    keys = [
        r.key
        for start in (APRIL, SAT_1400_LONDON.at(date(2026, 5, 2)))
        for offset in (7 * D, D, H)
        for r in reminders_due(g, start - offset)
    ]
    assert len(keys) == 2 * 3 * 3
    assert len(set(keys)) == len(keys)


# --- follow-ups ------------------------------------------------------------------------

MARCH = MONTHLY.occurrences(date(2026, 3, 7))[0]
"""The meeting of Saturday 7 March 2026, 14:00-15:30 UTC."""
AFTER = MARCH.end + H


def minutes_of(
    meeting: Occurrence, attendance: dict[MemberId, Presence], actions: tuple[ActionItem, ...] = ()
) -> MeetingRecord:
    return MeetingRecord(meeting.id).record_minutes(
        minutes="Protocol agreed", decisions=["Register it"], actions=actions, attendance=attendance, by=LEAD
    )


ACTION = ActionItem("A1", MARCH.id, "Register the protocol", BEN.id, date(2026, 3, 21))


def test_after_a_meeting_with_minutes_everyone_gets_the_minutes_and_action_items() -> None:
    record = minutes_of(
        MARCH,
        {
            LEAD.id: Presence.PRESENT,
            ADA.id: Presence.PRESENT,
            BEN.id: Presence.ABSENT,
            TOM.id: Presence.EXCUSED,
        },
        (ACTION,),
    )
    found = follow_ups_due(group(ADA, BEN, TOM, SYD, records=(record,)), AFTER)
    assert [(f.member_id, f.missed) for f in found] == [
        (ADA.id, False),
        (BEN.id, True),
        (LEAD.id, False),
        (SYD.id, True),
        (TOM.id, True),
    ]
    assert {(f.minutes, f.decisions, f.actions, f.meeting) for f in found} == {
        ("Protocol agreed", ("Register it",), (ACTION,), MARCH)
    }


def test_an_absence_on_a_declared_unavailable_day_is_flagged_as_missed_too() -> None:
    record = minutes_of(MARCH, {ADA.id: Presence.ABSENT})
    g = group(ADA, records=(record,), availability=(away(ADA, date(2026, 3, 7)),))
    assert [f.missed for f in follow_ups_due(g, AFTER) if f.member_id == ADA.id] == [True]


def test_a_follow_up_key_names_the_meeting_and_the_member_and_is_stable() -> None:
    g = group(ADA, records=(minutes_of(MARCH, {}),))
    keys = [f.key for f in follow_ups_due(g, AFTER)]
    assert keys == ["minutes:s:2026-03-07:ada.a", "minutes:s:2026-03-07:lead.one"]
    assert keys == [f.key for f in follow_ups_due(g, AFTER + 5 * D)]


def test_a_meeting_without_minutes_gets_no_follow_up() -> None:
    agenda_only = MeetingRecord(MARCH.id).add_agenda_item(
        MARCH, "x", by=ADA, at=MARCH.start - D, publish_ahead=2 * D
    )
    assert follow_ups_due(group(ADA, records=(agenda_only,)), AFTER) == []
    assert follow_ups_due(group(ADA), AFTER) == []


def test_follow_ups_go_once_the_meeting_has_ended_and_for_a_configurable_time_after() -> None:
    g = group(ADA, records=(minutes_of(MARCH, {}),))
    assert follow_ups_due(g, MARCH.end - timedelta(seconds=1)) == []
    assert len(follow_ups_due(g, MARCH.end)) == 2
    assert len(follow_ups_due(g, MARCH.end + 14 * D)) == 2
    assert follow_ups_due(g, MARCH.end + 14 * D + timedelta(seconds=1)) == []
    assert len(follow_ups_due(g, MARCH.end + 20 * D, within=21 * D)) == 2


def test_a_cancelled_meeting_gets_no_follow_up() -> None:
    plan = MONTHLY.cancel(date(2026, 3, 7), by=LEAD, note="holiday")
    assert follow_ups_due(group(ADA, plan=plan, records=(minutes_of(MARCH, {}),)), AFTER) == []


def test_members_inactive_on_the_meeting_day_get_no_follow_up() -> None:
    gone = member("gon.e", left_on=date(2026, 3, 1))
    later = member("lat.e", joined_on=date(2026, 3, 8))
    g = group(ADA, gone, later, records=(minutes_of(MARCH, {}),))
    assert [f.member_id for f in follow_ups_due(g, AFTER)] == [ADA.id, LEAD.id]


def test_a_meeting_moved_weeks_earlier_is_followed_up_as_soon_as_it_ends() -> None:
    to = APRIL - timedelta(weeks=3)
    plan = MONTHLY.move(date(2026, 4, 4), to, by=LEAD)
    moved = next(m for m in plan.occurrences(date(2026, 4, 4)) if m.id == "2026-04-04")
    g = group(ADA, plan=plan, records=(minutes_of(moved, {ADA.id: Presence.PRESENT}),))
    found = follow_ups_due(g, moved.end + H)
    assert [(f.key, f.missed) for f in found] == [
        ("minutes:s:2026-04-04:ada.a", False),
        ("minutes:s:2026-04-04:lead.one", True),
    ]


def test_a_meeting_anchored_east_of_utc_is_followed_up_as_soon_as_it_ends_whatever_zone_now_is_given_in() -> (
    None
):
    # Sunday 8 March 2026, 08:00 in Sydney is Saturday 7 March, 21:00 UTC.
    slot = RecurringSlot(Weekday.SUNDAY, 8 * 60, 90, SYDNEY)
    plan = MeetingSeries.create(id="syd", slot=slot, first=date(2026, 3, 8))
    meeting = plan.occurrences(date(2026, 3, 8))[0]
    g = group(SYD, plan=plan, records=(minutes_of(meeting, {SYD.id: Presence.PRESENT}),))
    now = datetime(2026, 3, 7, 23, 0, tzinfo=UTC)
    assert meeting.end <= now
    assert [f.member_id for f in follow_ups_due(g, now)] == [LEAD.id, SYD.id]


def test_follow_ups_need_a_time_with_a_zone() -> None:
    with pytest.raises(InvalidValue, match="no time zone"):
        follow_ups_due(group(), datetime(2026, 3, 8))


def test_follow_ups_are_frozen_values() -> None:
    found = follow_ups_due(group(records=(minutes_of(MARCH, {}),)), AFTER)
    assert isinstance(found[0], FollowUp)
    with pytest.raises(AttributeError):
        found[0].missed = False  # type: ignore[misc]


# --- properties ------------------------------------------------------------------------

PEOPLE = tuple(
    member(f"p{i}.{zone.key.split('/')[1].lower()}", zone=zone.key) for i, zone in enumerate(ZONES)
)


@st.composite
def situations(draw: st.DrawFn) -> tuple[Group, datetime, ReminderPolicy]:
    anchor = draw(st.sampled_from(ZONES))
    slot = RecurringSlot(draw(st.sampled_from(list(Weekday))), draw(st.integers(0, 24 * 60 - 1)), 60, anchor)
    first = slot.first_on_or_after(draw(st.dates(date(2026, 1, 1), date(2030, 11, 30))))
    busy = draw(st.integers(1, 4))
    plan = MeetingSeries.create(
        id="p", slot=slot, first=first, cadence=Cadence(busy, draw(st.integers(busy, 4)), 4)
    )
    people = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique_by=lambda m: m.id))
    g = Group.create("g", members=[LEAD, *people], projects=[PROJECT], series=plan)
    meetings = plan.occurrences(first + timedelta(weeks=30))
    target = draw(st.sampled_from(meetings))
    minutes = draw(st.integers(-60, 9 * 24 * 60))
    zone = draw(st.sampled_from((UTC, *ZONES)))
    now = (target.start - timedelta(minutes=minutes)).astimezone(zone)
    policy = draw(
        st.sampled_from(
            (
                ReminderPolicy(),
                ReminderPolicy(offsets=(3 * D, 2 * H, timedelta(minutes=10)), agenda_with=2 * H),
            )
        )
    )
    return g, now, policy


@given(situations())
def test_a_reminders_local_start_is_the_meeting_start_in_the_members_zone(
    case: tuple[Group, datetime, ReminderPolicy],
) -> None:
    g, now, policy = case
    for reminder in reminders_due(g, now, policy):
        zone = g.members[reminder.member_id].zone
        assert zone is not None
        assert reminder.local_start is not None
        assert reminder.local_start == reminder.meeting.start.astimezone(ZoneInfo(zone.key))
        assert reminder.local_start.astimezone(UTC) == reminder.meeting.start.astimezone(UTC)
        assert reminder.local_start.tzinfo == ZoneInfo(zone.key)


@given(situations())
def test_exactly_the_freshest_reminder_of_each_upcoming_meeting_is_due_for_each_active_member(
    case: tuple[Group, datetime, ReminderPolicy],
) -> None:
    g, now, policy = case
    expected = set()
    for meeting in g.meetings((now + 30 * D).date()):
        if meeting.status is MeetingStatus.CANCELLED or meeting.start <= now:
            continue
        passed = [o for o in policy.offsets if meeting.start - o <= now]
        if passed:
            expected |= {(meeting.id, min(passed), m) for m in g.members}
    found = reminders_due(g, now, policy)
    assert {(r.meeting.id, r.offset, r.member_id) for r in found} == expected
    assert len(found) == len(expected)
    for reminder in found:
        assert reminder.send_at == reminder.meeting.start - reminder.offset <= now < reminder.meeting.start
        start = reminder.meeting.start.astimezone(UTC).strftime("%Y%m%dT%H%MZ")
        label = offset_label(reminder.offset)
        assert g.series is not None
        sent_as = f"{g.series.id}:{reminder.meeting.planned.isoformat()}"  # as keys always named it
        assert reminder.key == f"reminder:{sent_as}@{start}:{label}:{reminder.member_id}"
    assert reminders_due(g, now, policy) == found


def test_reminders_are_frozen_values() -> None:
    reminder = reminders_due(group(), APRIL - D)[0]
    assert isinstance(reminder, Reminder)
    with pytest.raises(AttributeError):
        reminder.expected_away = True  # type: ignore[misc]


def test_a_moved_meeting_is_reminded_again_under_a_new_key() -> None:
    g = group(ADA)
    before = {r.key for r in reminders_due(g, APRIL - D)}
    assert g.series is not None
    moved = g.series.move(APRIL.date(), APRIL + timedelta(hours=2), by=LEAD)
    after = {r.key for r in reminders_due(replace(g, series=moved), APRIL - D)}
    assert before
    assert after
    assert before.isdisjoint(after)


def test_a_reminder_counts_real_hours_on_the_morning_the_clocks_go_forward() -> None:
    # 03:00 in London on Sunday 28 March 2027 is 02:00 UTC: the clocks went forward at 01:00 UTC.
    # On the wall clock, an hour before is 02:00, a time that does not exist that morning, which
    # Python would read as 02:00 UTC: the meeting itself. An hour of real time before is 01:00 UTC.
    london = ZoneInfo("Europe/London")
    slot = RecurringSlot(Weekday.SUNDAY, 3 * 60, 60, london)
    series = MeetingSeries.create(id="s", slot=slot, first=date(2027, 3, 28))
    g = Group.create("g", members=[LEAD], projects=[], series=series)
    policy = ReminderPolicy(offsets=(timedelta(hours=1),), agenda_with=timedelta(hours=1))
    due = reminders_due(g, datetime(2027, 3, 28, 1, 30, tzinfo=UTC), policy)
    assert [r.send_at.astimezone(UTC) for r in due] == [datetime(2027, 3, 28, 1, 0, tzinfo=UTC)]
    assert reminders_due(g, datetime(2027, 3, 28, 0, 59, tzinfo=UTC), policy) == []
