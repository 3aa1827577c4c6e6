"""A member whose cell cannot be read stays a member: what needs that field leaves them out, saying why."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import pytest

from braingain.core.errors import InvalidValue
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.members import UNREADABLE_FIELDS, DigestChannel, Member, Role
from braingain.core.schedule.availability import Availability, Unavailability
from braingain.core.schedule.digests import member_digest
from braingain.core.schedule.meetings import (
    MeetingRecord,
    MeetingSeries,
    MeetingStatus,
    Occurrence,
    Presence,
    presence_of,
    presence_uncertain,
)
from braingain.core.schedule.reminders import reminders_due
from braingain.core.schedule.slots import find_slots
from braingain.sample import SAMPLE_SLOT
from tests.builders import LAGOS, leader, member, project

T = TypeVar("T")
ADA, BEN = MemberId("ada.a"), MemberId("ben.b")


def unknown(person: Member, *fields: str) -> Member:
    """``person`` as the tracker reads them when the cells of ``fields`` cannot be read."""

    def lost(name: str, value: T) -> T | None:
        return None if name in fields else value

    return Member.create(
        id=person.id,
        given_names=person.given_names,
        surname=person.surname,
        email=lost("email", person.email),
        role=person.role,
        zone=lost("zone", person.zone),
        country=lost("country", person.country),
        gender=lost("gender", person.gender),
        degrees=person.degrees,
        specialization=person.specialization,
        sectors=person.sectors,
        joined_on=lost("joined_on", person.joined_on),
        left_on=lost("left_on", person.left_on),
        slack_user_id=lost("slack_user_id", person.slack_user_id),
        digest_channel=lost("digest_channel", person.digest_channel),
        active=person.active,
        unknown=fields,
    )


def test_a_required_field_may_be_none_only_when_it_is_named_unknown() -> None:
    base = member("ada.a")
    with pytest.raises(InvalidValue) as caught:
        Member.create(
            id="ada.a", given_names="Ada", surname="A", email=None, role=Role.MEMBER, zone=base.zone,
            country=base.country, gender=base.gender, joined_on=base.joined_on,
        )  # fmt: skip
    assert caught.value.field == "email address"
    kept = Member.create(
        id="ada.a", given_names="Ada", surname="A", email=None, role=Role.MEMBER, zone=None,
        country=None, gender=None, joined_on=None, digest_channel=None,
        unknown={"email", "zone", "country", "gender", "joined_on", "digest_channel"},
    )  # fmt: skip
    assert (kept.email, kept.zone, kept.country, kept.gender, kept.joined_on) == (None,) * 5
    with pytest.raises(InvalidValue):
        Member.create(
            id="ada.a", given_names="Ada", surname="A", email=None, role=Role.MEMBER, zone=None,
            country=None, gender=None, joined_on=None, unknown={"role"},
        )  # fmt: skip


def test_an_unreadable_slack_id_is_not_reported_again_on_the_digest_choice() -> None:
    made = Member.create(
        id="ada.a", given_names="Ada", surname="A", email="ada@example.org", role=Role.MEMBER,
        zone="Africa/Lagos", country=None, gender=None, joined_on=date(2024, 1, 1),
        digest_channel=DigestChannel.SLACK, unknown={"slack_user_id", "country", "gender"},
    )  # fmt: skip
    assert made.slack_user_id is None
    assert made.lacks("slack_user_id") == "Ada A's Slack user ID could not be read (see the Problems tab)"


@pytest.mark.parametrize("field", sorted(UNREADABLE_FIELDS))
def test_each_field_that_can_be_unknown_says_so_in_words(field: str) -> None:
    person = unknown(member("ada.a"), field)
    reason = person.lacks(field)
    assert reason is not None
    assert UNREADABLE_FIELDS[field] in reason
    assert member("ada.a").lacks(field) is None


@pytest.mark.parametrize("field", ["joined_on", "left_on", "active"])
def test_while_it_is_unknown_when_someone_belongs_to_the_group_they_are_not_counted_as_active(
    field: str,
) -> None:
    person = unknown(member("ada.a"), field)
    assert not person.activity_known
    assert not person.is_active_on(date(2026, 3, 7))
    assert member("ada.a").is_active_on(date(2026, 3, 7))


def test_local_times_need_the_zone_and_dates_fall_back_to_utc() -> None:
    instant = datetime(2026, 3, 7, 23, 30, tzinfo=UTC)
    known = member("ada.a")
    assert known.local(instant) == instant.astimezone(LAGOS)
    assert known.local_date(instant) == date(2026, 3, 8)
    lost = unknown(known, "zone")
    assert lost.local(instant) is None
    assert lost.local_date(instant) == date(2026, 3, 7)


# --- availability and attendance without a zone ----------------------------------------------------

MEETING_START = datetime(2026, 3, 7, 13, 0, tzinfo=UTC)
"""13:00 UTC: 7 March at UTC-12, 8 March at UTC+14."""


def test_an_unavailable_date_is_matched_in_every_zone_while_the_zone_is_unknown() -> None:
    both = Availability(ADA, None, unavailable=(Unavailability(date(2026, 3, 7), date(2026, 3, 8)),))
    neither = Availability(ADA, None, unavailable=(Unavailability(date(2026, 3, 1), date(2026, 3, 2)),))
    one = Availability(ADA, None, unavailable=(Unavailability(date(2026, 3, 8), date(2026, 3, 9)),))
    placed = Availability(ADA, LAGOS, unavailable=(Unavailability(date(2026, 3, 8), date(2026, 3, 9)),))
    assert both.unavailable_at(MEETING_START) is True
    assert neither.unavailable_at(MEETING_START) is False
    assert one.unavailable_at(MEETING_START) is None, "the 8th in Auckland, the 7th in Lagos"
    assert placed.unavailable_at(MEETING_START) is False


def test_an_absence_that_may_fall_on_a_declared_date_is_excused_and_flagged_uncertain() -> None:
    lead = leader()
    meeting = Occurrence("m:2026-03-07", date(2026, 3, 7), MEETING_START, 90, MeetingStatus.SCHEDULED)
    record = MeetingRecord(meeting.id).record_minutes(
        minutes="Met.",
        attendance={ADA: Presence.ABSENT, BEN: Presence.ABSENT},
        by=lead,
    )
    one = Availability(ADA, None, unavailable=(Unavailability(date(2026, 3, 8), date(2026, 3, 9)),))
    assert presence_of(ADA, meeting, record, one) is Presence.EXCUSED
    assert presence_uncertain(ADA, meeting, record, one)
    assert not presence_uncertain(BEN, meeting, record, None)
    known = replace(one, zone=LAGOS)
    assert presence_of(ADA, meeting, record, known) is Presence.ABSENT
    assert not presence_uncertain(ADA, meeting, record, known)


def test_slot_finding_leaves_out_who_cannot_be_placed_and_says_why() -> None:
    lead = leader()
    ada, ben = unknown(member("ada.a"), "zone"), member("ben.b", zone="Europe/London", country_code="GB")
    away = Availability(
        ben.id, ben.zone, incomplete="Ben B's availability on Availability row 4 could not be read"
    )
    group = Group.create("g", members=[lead, ada, ben], projects=[project(lead=lead)], availability=[away])
    placed, left_out = group.schedulable(date(2026, 3, 7))
    assert [a.member_id for a in placed] == [lead.id]
    assert dict(left_out) == {
        ada.id: "Ada A's time zone could not be read (see the Problems tab)",
        ben.id: "Ben B's availability on Availability row 4 could not be read",
    }
    with pytest.raises(InvalidValue):
        find_slots([group.availability_of(ada)], anchor=LAGOS, start=date(2026, 3, 7))
    assert find_slots(placed, anchor=LAGOS, start=date(2026, 3, 7)).fits


def test_a_digest_says_what_it_cannot_do_without_an_email_a_zone_or_a_digest_choice() -> None:
    lead = leader()
    no_email = unknown(member("ada.a"), "email")
    no_zone = unknown(member("ben.b"), "zone")
    no_choice = unknown(member("chi.c"), "digest_channel")
    group = Group.create("g", members=[lead, no_email, no_zone, no_choice], projects=[project(lead=lead)])
    since, until = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC)
    digest = member_digest(group, no_email.id, since=since, until=until)
    assert (digest.by_email, digest.notes) == (
        False,
        ("no email digest: Ada A's email address could not be read (see the Problems tab)",),
    )
    digest = member_digest(group, no_zone.id, since=since, until=until)
    assert digest.by_email
    assert digest.notes == (
        "meeting times are not in local time: Ben B's time zone could not be read (see the Problems tab)",
    )
    digest = member_digest(group, no_choice.id, since=since, until=until)
    assert (digest.by_email, digest.by_slack) == (False, False)
    assert digest.notes[0].startswith("no digest is sent")
    assert member_digest(group, lead.id, since=since, until=until).notes == ()


def test_a_reminder_without_the_members_zone_gives_no_local_time_and_says_why() -> None:
    lead = leader()
    no_zone = unknown(member("ada.a"), "zone")
    series = MeetingSeries.create(
        id="m", slot=SAMPLE_SLOT, first=SAMPLE_SLOT.first_on_or_after(date(2026, 3, 1))
    )
    group = Group.create("g", members=[lead, no_zone], projects=[project(lead=lead)], series=series)
    now = series.occurrences(date(2026, 4, 1))[0].start - timedelta(days=1)
    due = [r for r in reminders_due(group, now) if r.member_id == no_zone.id]
    assert due
    assert all(r.local_start is None and "time zone could not be read" in r.note for r in due)
    assert all(
        r.local_start is not None and not r.note for r in reminders_due(group, now) if r.member_id == lead.id
    )
