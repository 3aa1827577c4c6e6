"""Specification of which messages are due: news of tasks and disputes to their project's channel,
one meeting reminder and one set of minutes to the group's channel (and each email member's own copy),
the weekly digests; each with a stable key, sent once, in one order whatever the input order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.authorship.disputes import Dispute, raise_dispute
from braingain.core.authorship.ledger import Ledger
from braingain.core.authorship.tasks import Task
from braingain.core.authorship.volunteering import Volunteer
from braingain.core.errors import InvalidValue
from braingain.core.group import Group
from braingain.core.ids import EntryId
from braingain.core.members import DigestChannel, Member
from braingain.core.messaging.due import DueMessages, MessagePolicy, digest_period, messages_due
from braingain.core.messaging.outgoing import (
    Destination,
    DisputeNews,
    Medium,
    MeetingMinutes,
    MeetingReminder,
    Outgoing,
    TaskNews,
)
from braingain.core.schedule.availability import Availability, Unavailability, Weekday
from braingain.core.schedule.digests import GroupDigest, MemberDigest
from braingain.core.schedule.meetings import MeetingRecord, MeetingSeries, Occurrence, Presence
from braingain.core.schedule.reminders import FollowUp, Reminder
from braingain.core.schedule.slots import RecurringSlot
from tests.builders import LAGOS, LONDON, TORONTO, leader, member, project, task

CHICAGO = ZoneInfo("America/Chicago")
D, H = timedelta(days=1), timedelta(hours=1)
TICK = timedelta(microseconds=1)

LEAD = leader("lead.one", given_names="Ngozi", surname="Eze")
REVIEWER = leader("lead.two", given_names="Helen", surname="Park", zone="Europe/London", country_code="GB")
ADA = member("ada.o", given_names="Ada", surname="Obi")
"""Lagos; digests by email (the builders' default)."""
BEN = replace(
    member("ben.b", zone="Europe/London", country_code="GB"),
    slack_user_id="U024BE7LH",
    digest_channel=DigestChannel.SLACK,
)
CHI = replace(
    member("chi.c", zone="America/Toronto", country_code="CA"),
    slack_user_id="U024BE7LJ",
    digest_channel=DigestChannel.BOTH,
)
DAN = replace(
    member("dan.d", zone="America/Chicago", country_code="US"), email=None, unknown=frozenset({"email"})
)
"""Chooses email, but his address could not be read."""
EVE = member("eve.e", left_on=date(2026, 12, 1))
"""Left the group before the weeks of these tests."""
PEOPLE = (LEAD, REVIEWER, ADA, BEN, CHI, DAN, EVE)

SR = project("sr", lead=LEAD)
MM = project("mm", lead=REVIEWER)

SLOT = RecurringSlot(Weekday.SATURDAY, 14 * 60, 90, LONDON)
MONTHLY = MeetingSeries.create(id="monthly", slot=SLOT, first=date(2027, 1, 16))
"""Every four weeks from Saturday 16 January 2027, 14:00 in London (14:00 UTC)."""
JAN16 = SLOT.at(date(2027, 1, 16))
MEETING: Occurrence = MONTHLY.occurrences(date(2027, 1, 16))[0]

NOW = datetime(2027, 1, 15, 15, tzinfo=UTC)
"""Friday 15 January 2027, 15:00 UTC: the day before the meeting; the week's digest went on Monday
11 January at 08:00 in London."""
MONDAY = datetime(2027, 1, 11, 8, tzinfo=LONDON)
POLICY = MessagePolicy()
WINDOW = POLICY.news_window


def opened(t: Task, at: datetime) -> Task:
    return t.open(by=LEAD, at=at)


def chosen(t: Task, at: datetime, *team: Member) -> Task:
    return opened(t, at - D).assign([m.id for m in team], head=team[0].id, by=LEAD, at=at)


def submitted(t: Task, at: datetime, *team: Member) -> Task:
    return chosen(t, at - 2 * D, *team).start_work(by=team[0], at=at - D).submit(by=team[0], at=at)


def accepted_at(t: Task, at: datetime, *team: Member) -> Task:
    return submitted(t, at - D, *team).accept(by=REVIEWER, at=at)


T1 = opened(task("T1", proj=SR, max_volunteers=3), NOW - 2 * D)
"""Open for two days, three places, one offer so far."""
T2 = chosen(task("T2", proj=SR), NOW - 3 * D, ADA)
T3 = submitted(task("T3", proj=SR), NOW - D, BEN)
T4 = accepted_at(task("T4", proj=MM, stage="protocol"), NOW - D, ADA, CHI)
T5 = task("T5", proj=SR)
"""A draft."""
T6 = chosen(task("T6", proj=SR), NOW - 2 * D, BEN).cancel(by=LEAD, at=NOW - D, note="not needed")
"""Opened, its volunteer chosen, and cancelled, all within the news window."""
OFFERS = (Volunteer(T1.id, BEN.id, NOW - D),)


def book(*done: Task) -> Ledger:
    ledger = Ledger()
    for t in done:
        ledger.award(t, by=REVIEWER)
    return ledger


BOOK = book(T4)
D1 = raise_dispute(
    id="D1",
    member=ADA,
    ledger=BOOK,
    reason="I did most of it",
    at=NOW - 2 * D,
    entry=EntryId("award:T4:ada.o"),
)
D2 = raise_dispute(
    id="D2", member=CHI, ledger=BOOK, reason="Too few", at=NOW - 20 * D, entry=EntryId("award:T4:chi.c")
).uphold(by=LEAD, at=NOW - H, note="The split was agreed")
"""Raised long ago, upheld an hour ago."""
D3 = raise_dispute(
    id="D3", member=ADA, ledger=BOOK, reason="My share is wrong", at=NOW - D, entry=EntryId("award:T4:ada.o")
)
"""Ada's second dispute, open with D1 through the week to Monday 18 January."""


def group(
    *,
    people: tuple[Member, ...] = PEOPLE,
    tasks: tuple[Task, ...] = (T1, T2, T3, T4, T5, T6),
    offers: tuple[Volunteer, ...] = OFFERS,
    disputes: tuple[Dispute, ...] = (D1, D2),
    ledger: Ledger | None = None,
    series: MeetingSeries | None = MONTHLY,
    records: tuple[MeetingRecord, ...] = (),
    availability: tuple[Availability, ...] = (),
) -> Group:
    return Group.create(
        "Brain gain",
        members=people,
        projects=[SR, MM],
        tasks=tasks,
        volunteers=offers,
        ledger=BOOK if ledger is None else ledger,
        disputes=disputes,
        series=series,
        records=records,
        availability=availability,
    )


def due(
    g: Group, now: datetime = NOW, policy: MessagePolicy = POLICY, sent: tuple[str, ...] = ()
) -> DueMessages:
    return messages_due(g, now=now, policy=policy, sent=sent)


def keys(found: DueMessages, prefix: str = "") -> list[str]:
    return [m.key for m in found.messages if m.key.startswith(prefix)]


def one(found: DueMessages, key: str) -> Outgoing:
    [message] = [m for m in found.messages if m.key == key]
    return message


def lone_task(t: Task, offers: tuple[Volunteer, ...] = ()) -> Group:
    return group(tasks=(t,), offers=offers, disputes=(), ledger=Ledger(), series=None)


# --- the policy ------------------------------------------------------------------------------------


def test_by_default_the_digest_goes_on_monday_at_eight_and_news_stays_worth_sending_for_two_weeks() -> None:
    assert (POLICY.digest_day, POLICY.digest_minutes, POLICY.zone) == (0, 8 * 60, None)
    assert POLICY.news_window == POLICY.minutes_window == timedelta(days=14)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"digest_day": 7}, "digest day"),
        ({"digest_day": -1}, "digest day"),
        ({"digest_minutes": 24 * 60}, "digest time"),
        ({"digest_minutes": -1}, "digest time"),
        ({"news_window": timedelta(0)}, "news days"),
        ({"minutes_window": -D}, "minutes window"),
    ],
)
def test_a_policy_with_an_impossible_day_time_or_window_is_refused_naming_the_setting(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        MessagePolicy(**changes)  # type: ignore[arg-type]
    assert refused.value.field == field


# --- the digest's week -----------------------------------------------------------------------------


def test_the_digest_period_ends_at_the_last_digest_moment_and_starts_seven_days_before() -> None:
    since, until = digest_period(NOW, POLICY, LONDON)
    assert until == MONDAY
    assert since == datetime(2027, 1, 4, 8, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("now", "until"),
    [
        (MONDAY, MONDAY),
        (MONDAY - TICK, MONDAY - 7 * D),
        (MONDAY + 7 * D - TICK, MONDAY),
        (MONDAY + 7 * D, MONDAY + 7 * D),
    ],
)
def test_a_new_digest_period_begins_at_the_digest_moment_exactly(now: datetime, until: datetime) -> None:
    assert digest_period(now, POLICY, LONDON)[1] == until


@pytest.mark.parametrize(
    ("now", "since", "until", "hours"),
    [
        # The clocks go forward in London on Sunday 28 March 2027: the week is an hour short.
        (datetime(2027, 3, 30, 12, tzinfo=LONDON), (2027, 3, 22), (2027, 3, 29), 167),
        # They go back on Sunday 31 October 2027: the week is an hour long.
        (datetime(2027, 11, 2, 12, tzinfo=LONDON), (2027, 10, 25), (2027, 11, 1), 169),
    ],
)
def test_a_digest_period_across_a_clock_change_in_london_is_seven_calendar_days_at_eight_local(
    now: datetime, since: tuple[int, int, int], until: tuple[int, int, int], hours: int
) -> None:
    start, end = digest_period(now, POLICY, LONDON)
    assert (start.date(), start.time(), end.date(), end.time()) == (
        date(*since),
        time(8),
        date(*until),
        time(8),
    )
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)  # elapsed time


@pytest.mark.parametrize(
    ("zone", "utc_hour"),
    [(LAGOS, 7), (LONDON, 8), (TORONTO, 13), (CHICAGO, 14)],
)
def test_the_digest_moment_is_at_the_digest_time_in_the_zone_given(zone: ZoneInfo, utc_hour: int) -> None:
    _, until = digest_period(NOW, POLICY, zone)
    assert until == datetime(2027, 1, 11, utc_hour, tzinfo=UTC)
    assert until.tzinfo is zone


def test_the_digest_day_and_time_are_configurable() -> None:
    friday_five_pm = MessagePolicy(digest_day=4, digest_minutes=17 * 60)
    assert digest_period(NOW, friday_five_pm, LAGOS)[1] == datetime(2027, 1, 8, 17, tzinfo=LAGOS)
    assert digest_period(NOW + 2 * H, friday_five_pm, LAGOS)[1] == datetime(2027, 1, 15, 17, tzinfo=LAGOS)


def test_a_digest_time_the_clocks_skip_that_day_is_read_forward_by_the_gap() -> None:
    # Sunday 28 March 2027 in London: 01:00 GMT is followed by 02:00 BST; 01:30 never happens.
    sunday_half_past_one = MessagePolicy(digest_day=6, digest_minutes=90)
    after = datetime(2027, 3, 28, 2, 40, tzinfo=LONDON)
    since, until = digest_period(after, sunday_half_past_one, LONDON)
    assert until == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert since == datetime(2027, 3, 21, 1, 30, tzinfo=LONDON)
    assert digest_period(until - TICK, sunday_half_past_one, LONDON)[1] == since


@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC)),
    st.sampled_from([LAGOS, LONDON, TORONTO, CHICAGO, ZoneInfo("Australia/Sydney")]),
    st.integers(0, 6),
    st.sampled_from([0, 7 * 60, 8 * 60, 23 * 60 + 59]),
)
def test_every_moment_lies_in_the_week_after_the_last_digest_moment_on_the_digest_day_and_time(
    now: datetime, zone: ZoneInfo, day: int, minutes: int
) -> None:
    policy = MessagePolicy(digest_day=day, digest_minutes=minutes)
    since, until = digest_period(now, policy, zone)
    following = digest_period(until + 8 * D, policy, zone)[1]
    assert since < until <= now < following
    assert digest_period(until, policy, zone) == (since, until)
    assert (until.weekday(), until.hour * 60 + until.minute) == (day, minutes)
    assert until.date() - since.date() == timedelta(days=7)


def test_a_moment_without_a_zone_is_refused() -> None:
    with pytest.raises(InvalidValue, match="time zone"):
        digest_period(datetime(2027, 1, 15, 15), POLICY, LONDON)
    with pytest.raises(InvalidValue, match="time zone"):
        messages_due(group(), now=datetime(2027, 1, 15, 15), policy=POLICY)


# --- news of tasks ---------------------------------------------------------------------------------


def test_a_task_opened_within_the_news_window_is_announced_to_its_projects_channel_with_the_places_left() -> (
    None
):
    message = one(due(group()), "task-opened:T1")
    assert message.to == Destination.project(SR.id)
    assert message.content == TaskNews("opened", T1, NOW - 2 * D, offers=1)
    assert message.content.places_left == 2
    assert message.due == NOW - 2 * D
    assert message.forget_after == NOW - 2 * D + WINDOW + D
    assert (
        message.words
        == "post to project sr's channel that task T1 is open for volunteers (2 of 3 places left)"
    )


def test_a_task_without_a_cap_is_announced_with_no_count_of_places() -> None:
    t = opened(task("T9", proj=SR), NOW - D)
    message = one(due(lone_task(t)), "task-opened:T9")
    assert isinstance(message.content, TaskNews)
    assert message.content.places_left is None
    assert "no cap" in message.words


def test_a_task_whose_places_are_all_offered_has_none_left_says_its_offers_and_each_member_counts_once() -> (
    None
):
    t = opened(task("T9", proj=SR, max_volunteers=1), NOW - D)
    offers = (Volunteer(t.id, ADA.id, NOW - H), Volunteer(t.id, ADA.id, NOW), Volunteer(t.id, BEN.id, NOW))
    message = one(due(lone_task(t, offers)), "task-opened:T9")
    assert isinstance(message.content, TaskNews)
    assert (message.content.offers, message.content.places_left) == (2, 0)
    assert message.words.endswith(
        "is open for volunteers (1 place, all offered for: 2 offers so far, to be ranked)"
    )


@pytest.mark.parametrize(
    ("age", "is_due"),
    [(WINDOW, True), (WINDOW + TICK, False), (timedelta(0), True), (-TICK, False)],
)
def test_task_news_is_due_from_when_it_happened_until_the_news_window_has_passed(
    age: timedelta, is_due: bool
) -> None:
    at = NOW - age
    for t, key in (
        (opened(task("T9", proj=SR), at), "task-opened:T9"),
        (chosen(task("T9", proj=SR), at, ADA), "task-selected:T9"),
        (submitted(task("T9", proj=SR), at, ADA), "task-submitted:T9:1"),
        (accepted_at(task("T9", proj=SR), at, ADA), "task-accepted:T9"),
    ):
        assert keys(due(lone_task(t))).count(key) == int(is_due), key


def test_the_news_window_is_the_policys() -> None:
    t = opened(task("T9", proj=SR), NOW - 3 * D)
    assert keys(due(lone_task(t), policy=MessagePolicy(news_window=3 * D)), "task") == ["task-opened:T9"]
    assert keys(due(lone_task(t), policy=MessagePolicy(news_window=3 * D - TICK)), "task") == []


def test_a_task_no_longer_open_is_not_announced_as_open_but_its_chosen_volunteers_are() -> None:
    found = due(group())
    assert "task-opened:T2" not in keys(found)
    message = one(found, "task-selected:T2")
    assert message.content == TaskNews("selected", T2, NOW - 3 * D)
    assert message.words == "post to project sr's channel who was chosen for task T2"


def test_work_submitted_for_review_is_news_while_it_waits_for_review() -> None:
    message = one(due(group()), "task-submitted:T3:1")
    assert message.content == TaskNews("submitted", T3, NOW - D)
    assert message.to == Destination.project(SR.id)


def test_a_resubmission_after_rework_is_news_again_under_its_own_key() -> None:
    first = submitted(task("T9", proj=SR), NOW - 5 * D, ADA)
    reworked = first.request_rework(by=LEAD, at=NOW - 4 * D, note="criterion 2 not met")
    assert keys(due(lone_task(reworked)), "task-submitted") == []
    again = reworked.resume(by=ADA, at=NOW - 3 * D).submit(by=ADA, at=NOW - 2 * D)
    message = one(due(lone_task(again)), "task-submitted:T9:2")
    assert message.content == TaskNews("submitted", again, NOW - 2 * D)
    assert "again (submission 2)" in message.words
    assert keys(due(lone_task(again)), "task-submitted") == ["task-submitted:T9:2"]


def test_accepted_work_is_announced_with_the_points_each_contributor_was_awarded() -> None:
    found = due(group())
    message = one(found, "task-accepted:T4")
    assert message.to == Destination.project(MM.id)
    assert message.content == TaskNews("accepted", T4, NOW - D, awards=tuple(BOOK.awards_of(T4.id)))
    assert [e.member_id for e in message.content.awards] == [ADA.id, CHI.id]
    assert "task-submitted:T4:1" not in keys(found)


def test_draft_and_cancelled_tasks_make_no_news() -> None:
    found = keys(due(group()))
    assert not [k for k in found if k.endswith((":T5", ":T6")) or ":T5:" in k or ":T6:" in k]


# --- news of disputes ------------------------------------------------------------------------------


def test_a_dispute_raised_within_the_news_window_is_announced_to_its_projects_channel() -> None:
    message = one(due(group()), "dispute-raised:D1")
    assert message.to == Destination.project(MM.id)
    assert message.content == DisputeNews("raised", D1, NOW - 2 * D)
    assert message.forget_after == NOW - 2 * D + WINDOW + D
    assert message.words == "post to project mm's channel that dispute D1 was raised"


def test_a_dispute_resolved_within_the_news_window_is_announced_though_it_was_raised_long_ago() -> None:
    found = due(group())
    assert "dispute-raised:D2" not in keys(found)
    message = one(found, "dispute-resolved:D2")
    assert message.content == DisputeNews("resolved", D2, NOW - H)
    assert message.words == "post to project mm's channel that dispute D2 was closed: upheld"


def test_a_withdrawn_dispute_is_announced_as_closed() -> None:
    withdrawn = D1.withdraw(by=ADA, at=NOW - H)
    message = one(due(group(disputes=(withdrawn,))), "dispute-resolved:D1")
    assert message.words.endswith("closed: withdrawn")


@pytest.mark.parametrize(("age", "is_due"), [(WINDOW, True), (WINDOW + TICK, False), (-TICK, False)])
def test_dispute_news_is_due_until_the_news_window_has_passed(age: timedelta, is_due: bool) -> None:
    raised = raise_dispute(
        id="D9", member=ADA, ledger=BOOK, reason="Too few", at=NOW - 30 * D, entry=EntryId("award:T4:ada.o")
    )
    resolved = raised.uphold(by=LEAD, at=NOW - age, note="The split was agreed")
    assert keys(due(group(disputes=(resolved,))), "dispute") == (["dispute-resolved:D9"] if is_due else [])
    fresh = raise_dispute(
        id="D9", member=ADA, ledger=BOOK, reason="Too few", at=NOW - age, entry=EntryId("award:T4:ada.o")
    )
    assert keys(due(group(disputes=(fresh,))), "dispute") == (["dispute-raised:D9"] if is_due else [])


def test_a_dispute_id_given_twice_is_announced_once_and_the_leader_is_told() -> None:
    twin = raise_dispute(
        id="D1", member=CHI, ledger=BOOK, reason="Again", at=NOW - D, entry=EntryId("award:T4:chi.c")
    )
    found = due(group(disputes=(twin, D1)))
    assert one(found, "dispute-raised:D1").content == DisputeNews("raised", D1, NOW - 2 * D)
    assert "dispute D1 appears more than once: only the first raised is announced" in found.notes


# --- meeting reminders -----------------------------------------------------------------------------


def away(who: Member, day: date) -> Availability:
    return Availability(who.id, who.zone, unavailable=(Unavailability(day, day, "on call"),))


def with_agenda() -> MeetingRecord:
    return MeetingRecord(MEETING.id).add_agenda_item(
        MEETING, "Protocol", by=ADA, at=JAN16 - 3 * D, publish_ahead=2 * D
    )


KEY_1D = "reminder:monthly:2027-01-16@20270116T1400Z:1d"


def test_one_reminder_per_meeting_goes_to_the_groups_channel_with_its_agenda_join_link_and_who_is_away() -> (
    None
):
    g = group(records=(with_agenda(),), availability=(away(BEN, date(2027, 1, 16)),))
    found = messages_due(g, now=NOW, policy=POLICY, join_links={MEETING.id: "https://zoom.example/j/1"})
    message = one(found, KEY_1D)
    assert message.to == Destination.group()
    assert isinstance(message.content, MeetingReminder)
    assert message.content.meeting == MEETING
    assert message.content.offset == D
    assert [i.title for i in message.content.agenda] == ["Protocol"]
    assert message.content.join_url == "https://zoom.example/j/1"
    assert message.content.away == (BEN.id,)
    assert message.due == JAN16 - D
    assert message.forget_after == JAN16 + D
    assert message.words == (
        "post to the group's channel the reminder 1 day ahead of the meeting of "
        "Saturday 16 January 2027, 14:00 (Europe/London) with its agenda"
    )


def test_a_reminder_has_no_join_link_until_one_is_known() -> None:
    content = one(due(group()), KEY_1D).content
    assert isinstance(content, MeetingReminder)
    assert content.join_url is None
    assert content.away == ()


def test_members_who_chose_email_get_their_own_reminder_by_email_in_their_local_time() -> None:
    found = due(group())
    emailed = [m for m in found.messages if m.key.startswith("reminder") and m.to.medium is Medium.EMAIL]
    assert [m.key for m in emailed] == [
        f"{KEY_1D}:{who}:email" for who in ("ada.o", "chi.c", "lead.one", "lead.two")
    ]
    ada = one(found, f"{KEY_1D}:ada.o:email")
    assert ada.to == Destination.member(ADA.id, Medium.EMAIL)
    assert isinstance(ada.content, Reminder)
    assert ada.content.local_start == JAN16.astimezone(LAGOS)
    assert ada.words.startswith("email Ada Obi the reminder 1 day ahead")
    assert ada.forget_after == JAN16 + D


def test_a_member_whose_email_cannot_be_read_is_named_in_the_notes_without_any_address() -> None:
    found = due(group())
    assert not [k for k in keys(found) if "dan.d" in k]
    assert (
        "no email reminder for Dan D (the group's channel has it): "
        "Dan D's email address could not be read (see the Problems tab)"
    ) in found.notes
    assert not [n for n in found.notes if "@" in n]
    once_posted = due(group(), sent=(KEY_1D,))
    assert not [n for n in once_posted.notes if n.startswith("no email reminder")]


def test_a_sync_that_runs_late_sends_only_the_freshest_reminder() -> None:
    found = due(group(), now=JAN16 - 30 * timedelta(minutes=1))
    assert keys(found, "reminder:monthly:2027-01-16@20270116T1400Z:1h") != []
    assert [k for k in keys(found, "reminder") if not k.startswith(KEY_1D[:-2] + "1h")] == []


@pytest.mark.parametrize(("before", "label"), [(7 * D, "7d"), (D + TICK, "7d"), (D, "1d"), (H, "1h")])
def test_each_reminder_is_due_from_its_send_time(before: timedelta, label: str) -> None:
    found = due(group(), now=JAN16 - before)
    assert [k for k in keys(found, "reminder") if ":email" not in k] == [f"{KEY_1D[:-3]}:{label}"]


def test_no_reminder_is_due_once_the_meeting_has_started_or_before_the_first_send_time() -> None:
    assert keys(due(group(), now=JAN16), "reminder") == []
    assert keys(due(group(), now=JAN16 - 7 * D - TICK), "reminder") == []


def test_a_moved_meeting_is_announced_again_under_a_key_naming_its_new_start() -> None:
    to = datetime(2027, 1, 17, 16, tzinfo=LONDON)
    moved = group(series=MONTHLY.move(date(2027, 1, 16), to, by=LEAD))
    found = due(moved, now=to - D, sent=(KEY_1D, *keys(due(group()), KEY_1D)))
    assert [k for k in keys(found, "reminder") if ":email" not in k] == [
        "reminder:monthly:2027-01-16@20270117T1600Z:1d"
    ]


# --- minutes ---------------------------------------------------------------------------------------


def minutes_recorded() -> MeetingRecord:
    return MeetingRecord(MEETING.id).record_minutes(
        minutes="We agreed the protocol.",
        decisions=["Register on PROSPERO"],
        attendance={LEAD.id: Presence.PRESENT, REVIEWER.id: Presence.PRESENT, ADA.id: Presence.ABSENT},
        by=LEAD,
    )


MINUTES = "minutes:monthly:2027-01-16"


def test_the_minutes_go_once_to_the_groups_channel_naming_who_missed_the_meeting() -> None:
    after = MEETING.end + D
    message = one(due(group(records=(minutes_recorded(),)), now=after), MINUTES)
    assert message.to == Destination.group()
    assert message.content == MeetingMinutes(
        MEETING, "We agreed the protocol.", ("Register on PROSPERO",), (), (ADA.id, BEN.id, CHI.id, DAN.id)
    )
    assert message.due == MEETING.end
    assert message.forget_after == MEETING.end + POLICY.minutes_window + D


def test_members_who_chose_email_get_their_own_minutes_flagged_when_they_missed_the_meeting() -> None:
    found = due(group(records=(minutes_recorded(),)), now=MEETING.end + D)
    emailed = {m.key: m for m in found.messages if m.key.startswith(MINUTES) and m.to.medium is Medium.EMAIL}
    assert sorted(emailed) == [f"{MINUTES}:{who}:email" for who in ("ada.o", "chi.c", "lead.one", "lead.two")]
    ada = emailed[f"{MINUTES}:ada.o:email"]
    assert isinstance(ada.content, FollowUp)
    assert ada.content.missed
    assert ada.words.endswith("(they missed it)")
    assert "no email minutes for Dan D (the group's channel has it)" in "; ".join(found.notes)


@pytest.mark.parametrize(("after", "is_due"), [(3 * D, True), (3 * D + TICK, False), (timedelta(0), True)])
def test_the_minutes_are_due_until_the_minutes_window_has_passed(after: timedelta, is_due: bool) -> None:
    policy = MessagePolicy(minutes_window=3 * D)
    found = due(group(records=(minutes_recorded(),)), now=MEETING.end + after, policy=policy)
    assert (MINUTES in keys(found)) is is_due


def test_a_meeting_without_minutes_sends_none() -> None:
    assert keys(due(group(records=(with_agenda(),)), now=MEETING.end + D), "minutes") == []


# --- the weekly digests ----------------------------------------------------------------------------


def week_key(prefix: str) -> str:
    return f"{prefix}:2027-01-04..2027-01-11"


QUIET_MONDAY = datetime(2027, 1, 11, 9, tzinfo=UTC)


def test_the_group_digest_goes_to_the_groups_channel_every_week_even_when_nothing_happened() -> None:
    quiet = group(tasks=(), offers=(), disputes=(), ledger=Ledger(), series=None)
    found = due(quiet, now=QUIET_MONDAY)
    message = one(found, week_key("group-digest"))
    assert isinstance(message.content, GroupDigest)
    assert (message.content.since, message.content.until) == (datetime(2027, 1, 4, 8, tzinfo=LONDON), MONDAY)
    assert (message.due, message.forget_after) == (MONDAY, MONDAY + 8 * D)
    assert (
        message.words == "post to the group's channel the weekly digest of the week to Monday 11 January 2027"
    )


def test_without_a_series_the_digest_week_is_counted_in_utc_unless_the_policy_names_a_zone() -> None:
    quiet = group(tasks=(), offers=(), disputes=(), ledger=Ledger(), series=None)
    content = one(due(quiet, now=QUIET_MONDAY), week_key("group-digest")).content
    assert isinstance(content, GroupDigest)
    assert content.until == datetime(2027, 1, 11, 8, tzinfo=UTC)
    chicago = MessagePolicy(zone=CHICAGO)
    assert keys(due(quiet, now=QUIET_MONDAY, policy=chicago)) == ["group-digest:2026-12-28..2027-01-04"]
    later = datetime(2027, 1, 11, 14, tzinfo=UTC)
    [message] = due(quiet, now=later, policy=chicago).messages
    assert message.due == datetime(2027, 1, 11, 8, tzinfo=CHICAGO)


def open_to_all() -> Task:
    return opened(task("T9", proj=SR), datetime(2026, 12, 1, tzinfo=UTC))


def test_each_member_with_news_gets_their_digest_as_they_chose_and_both_gives_two() -> None:
    found = due(group(tasks=(open_to_all(),), offers=(), disputes=(), ledger=Ledger()), now=QUIET_MONDAY)
    digests = [m for m in found.messages if m.key.startswith("digest:")]
    assert [(m.key, m.to) for m in digests] == [
        (week_key("digest:ada.o") + ":email", Destination.member(ADA.id, Medium.EMAIL)),
        (week_key("digest:ben.b") + ":slack", Destination.member(BEN.id, Medium.SLACK)),
        (week_key("digest:chi.c") + ":email", Destination.member(CHI.id, Medium.EMAIL)),
        (week_key("digest:chi.c") + ":slack", Destination.member(CHI.id, Medium.SLACK)),
        (week_key("digest:lead.two") + ":email", Destination.member(REVIEWER.id, Medium.EMAIL)),
    ]  # lead.one supervises the task: not one for them to volunteer for, so no news for them
    chi = one(found, week_key("digest:chi.c") + ":email")
    assert isinstance(chi.content, MemberDigest)
    assert chi.content.member_id == CHI.id
    assert (chi.due, chi.forget_after) == (MONDAY, MONDAY + 8 * D)
    assert chi.words == "email Chi C the weekly digest of the week to Monday 11 January 2027"
    assert one(found, week_key("digest:ben.b") + ":slack").words.endswith("by Slack direct message")


def test_a_member_without_news_gets_no_digest() -> None:
    mine = chosen(task("T9", proj=SR), datetime(2026, 12, 1, tzinfo=UTC), ADA)
    found = due(group(tasks=(mine,), offers=(), disputes=(), ledger=Ledger()), now=QUIET_MONDAY)
    assert keys(found, "digest:") == [week_key("digest:ada.o") + ":email"]


def test_a_member_whose_only_news_is_their_offer_for_an_open_task_gets_a_digest_saying_it() -> None:
    t = opened(task("T9", proj=SR, max_volunteers=1), datetime(2026, 12, 1, tzinfo=UTC))
    offers = (Volunteer(t.id, BEN.id, datetime(2026, 12, 2, tzinfo=UTC)),)
    people = (LEAD, REVIEWER, ADA, BEN)
    found = due(
        group(people=people, tasks=(t,), offers=offers, disputes=(), ledger=Ledger()), now=QUIET_MONDAY
    )
    ben = one(found, week_key("digest:ben.b") + ":slack").content
    assert isinstance(ben, MemberDigest)
    assert [(line.task_id, line.volunteers, line.places) for line in ben.my_offers] == [("T9", 1, 1)]
    assert ben.can_volunteer == ()


def test_a_leader_whose_only_news_is_work_awaiting_review_gets_a_digest_and_a_member_none() -> None:
    work = submitted(task("T9", proj=SR), datetime(2026, 12, 1, tzinfo=UTC), BEN)
    found = due(group(tasks=(work,), offers=(), disputes=(), ledger=Ledger(), series=None), now=QUIET_MONDAY)
    assert keys(found, "digest:") == [
        week_key("digest:ben.b") + ":slack",  # his own work, in hand
        week_key("digest:lead.one") + ":email",
        week_key("digest:lead.two") + ":email",
    ]
    lead = one(found, week_key("digest:lead.one") + ":email").content
    assert isinstance(lead, MemberDigest)
    assert [line.task_id for line in lead.to_review] == ["T9"]


def test_a_leader_is_not_asked_to_review_work_they_contributed_to() -> None:
    work = submitted(task("T9", proj=SR), datetime(2026, 12, 1, tzinfo=UTC), REVIEWER, BEN)
    found = due(group(tasks=(work,), offers=(), disputes=(), ledger=Ledger(), series=None), now=QUIET_MONDAY)
    reviewer = one(found, week_key("digest:lead.two") + ":email").content
    assert isinstance(reviewer, MemberDigest)
    assert (reviewer.to_review, [line.task_id for line in reviewer.my_tasks]) == ((), ["T9"])
    lead = one(found, week_key("digest:lead.one") + ":email").content
    assert isinstance(lead, MemberDigest)
    assert [line.task_id for line in lead.to_review] == ["T9"]


def test_a_member_who_left_the_group_gets_no_digest() -> None:
    found = due(group(tasks=(open_to_all(),), offers=(), disputes=(), ledger=Ledger()), now=QUIET_MONDAY)
    assert not [k for k in keys(found) if "eve.e" in k]


def test_what_a_digest_cannot_do_for_a_member_goes_into_the_notes_once_naming_them() -> None:
    g = group(tasks=(open_to_all(),), offers=(), disputes=(), ledger=Ledger(), series=None)
    assert due(g, now=QUIET_MONDAY).notes == (
        "no email digest: Dan D's email address could not be read (see the Problems tab)",
    )


def test_a_digest_note_without_the_members_name_is_given_their_name() -> None:
    nameless = replace(member("fay.f", zone="Europe/London", country_code="GB"), email=None)
    g = group(
        people=(LEAD, REVIEWER, nameless),
        tasks=(open_to_all(),),
        offers=(),
        disputes=(),
        ledger=Ledger(),
        series=None,
    )
    assert due(g, now=QUIET_MONDAY).notes == ("Fay F: no email digest: no email address",)


def test_a_digest_is_due_all_week_once_and_a_member_it_cannot_reach_stays_in_the_notes() -> None:
    g = group(
        tasks=(open_to_all(),), offers=(), disputes=(), ledger=Ledger(), people=(LEAD, REVIEWER, CHI, DAN)
    )
    late = MONDAY + 7 * D - TICK
    first = due(g, now=late)
    assert keys(first, "digest:chi.c") == [
        week_key("digest:chi.c") + ":email",
        week_key("digest:chi.c") + ":slack",
    ]
    again = due(g, now=late, sent=tuple(keys(first)))
    assert again.messages == ()
    assert again.notes == first.notes  # Dan still cannot be reached: nothing was sent to him
    assert keys(due(g, now=MONDAY + 7 * D), "digest:chi.c") == [
        "digest:chi.c:2027-01-11..2027-01-18:email",
        "digest:chi.c:2027-01-11..2027-01-18:slack",
    ]


def test_a_digest_note_stays_while_the_members_digest_is_due_and_goes_once_it_is_sent() -> None:
    slack_only = replace(CHI, email=None, unknown=frozenset({"email"}))
    g = group(
        people=(LEAD, REVIEWER, slack_only),
        tasks=(open_to_all(),),
        offers=(),
        disputes=(),
        ledger=Ledger(),
        series=None,
    )
    first = due(g, now=QUIET_MONDAY)
    assert keys(first, "digest:chi.c") == [week_key("digest:chi.c") + ":slack"]
    assert first.notes == ("no email digest: Chi C's email address could not be read (see the Problems tab)",)
    assert due(g, now=QUIET_MONDAY, sent=tuple(keys(first))).notes == ()


def test_a_member_who_chose_slack_but_has_no_slack_user_gets_the_digest_and_reminders_by_email() -> None:
    unreachable = replace(BEN, slack_user_id=None, unknown=frozenset({"slack_user_id"}))
    g = group(
        people=(LEAD, REVIEWER, unreachable),
        tasks=(open_to_all(),),
        offers=(),
        disputes=(),
        ledger=Ledger(),
    )
    first = due(g, now=QUIET_MONDAY)
    assert keys(first, "digest:ben.b") == [week_key("digest:ben.b") + ":email"]
    assert first.notes == (
        "the digest goes by email instead of Slack: "
        "Ben B's Slack user ID could not be read (see the Problems tab)",
    )
    reminded = due(g, now=JAN16 - D + H)
    assert [m.key for m in reminded.messages if m.key.endswith(":ben.b:email")]


# --- the whole -------------------------------------------------------------------------------------


def test_sent_keys_are_not_due_again_and_nothing_else_is_held_back() -> None:
    everything = due(group(records=(minutes_recorded(),)), now=MEETING.end + H)
    sent = tuple(keys(everything)[::2])
    rest = due(group(records=(minutes_recorded(),)), now=MEETING.end + H, sent=sent)
    assert keys(rest) == keys(everything)[1::2]


def test_messages_come_group_channel_first_then_projects_by_id_then_members_by_id() -> None:
    found = due(group(tasks=(T1, T2, T3, T4, open_to_all()), records=(with_agenda(),)))
    order = [(m.to.kind, m.to.ident) for m in found.messages]
    assert order == sorted(order, key=lambda o: ({"group": 0, "project": 1, "member": 2}[o[0]], o[1]))
    assert {kind for kind, _ in order} == {"group", "project", "member"}
    assert [ident for kind, ident in dict.fromkeys(order) if kind == "project"] == ["mm", "sr"]


def test_no_two_messages_share_a_key_and_no_words_carry_an_email_address() -> None:
    g = group(records=(minutes_recorded(),), tasks=(T1, T2, T3, T4, T5, T6, open_to_all()))
    for now in (NOW, MEETING.end + H, MONDAY + 7 * D + H):
        found = due(g, now=now)
        assert len(set(keys(found))) == len(found.messages)
        assert not [m for m in found.messages if "@" in m.words or "example.org" in m.words]


def test_the_same_group_at_the_same_moment_gives_the_same_messages() -> None:
    assert due(group(records=(with_agenda(),))) == due(group(records=(with_agenda(),)))


EXTRA_OFFER = Volunteer(T1.id, ADA.id, NOW - H)


def everything_at(
    now: datetime,
    people: tuple[Member, ...] = PEOPLE,
    tasks: tuple[Task, ...] = (T1, T2, T3, T4, T5, T6),
    offers: tuple[Volunteer, ...] = (*OFFERS, EXTRA_OFFER),
    disputes: tuple[Dispute, ...] = (D1, D2, D3),
) -> DueMessages:
    g = group(people=people, tasks=tasks, offers=offers, disputes=disputes, records=(minutes_recorded(),))
    return due(g, now=now)


@given(
    st.sampled_from([NOW, MEETING.end + H, MONDAY + 7 * D + H]),
    st.permutations(PEOPLE),
    st.permutations((T1, T2, T3, T4, T5, T6)),
    st.permutations((*OFFERS, EXTRA_OFFER)),
    st.permutations((D1, D2, D3)),
)
def test_whatever_order_the_group_comes_in_the_messages_and_notes_come_in_one_order(
    now: datetime, people: list[Member], tasks: list[Task], offers: list[Volunteer], disputes: list[Dispute]
) -> None:
    shuffled = everything_at(now, tuple(people), tuple(tasks), tuple(offers), tuple(disputes))
    assert shuffled == everything_at(now)


class Counted(tuple[Volunteer, ...]):
    """The group's offers, counting how often they are read through."""

    reads = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.reads += 1
        return super().__iter__()


def offers_read(people: int) -> int:
    crowd = tuple(member(f"m{n:03d}.x") for n in range(people))
    g = group(people=(*PEOPLE, *crowd), tasks=(T1, T2, open_to_all()), disputes=(), series=None)
    offers = Counted((*OFFERS, *(Volunteer(T1.id, m.id, NOW - H) for m in crowd)))
    due(replace(g, volunteers=offers))
    return offers.reads


def test_the_members_digests_read_the_groups_offers_a_fixed_number_of_times_however_many_members() -> None:
    assert offers_read(40) == offers_read(4) > 0
