"""Specification of the invitation files: each parsed back with icalendar holds the meeting at the
right instant (checked against zoneinfo and against the file's own VTIMEZONE) across the weeks
when the UK and North America change their clocks on different dates; a move raises SEQUENCE,
a cancellation is a CANCEL, the UID never changes; the alarms are the reminder offsets; and
the outbox writes each file in one step, and only when it changed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component, Event

from braingain.core.group import Group
from braingain.core.schedule.availability import Weekday
from braingain.core.schedule.invitations import CANCEL, Invitation, InvitationPlan, Sent, plan_invitations
from braingain.core.schedule.meetings import Cadence, MeetingSeries
from braingain.core.schedule.reminders import ReminderPolicy
from braingain.core.schedule.slots import RecurringSlot
from braingain.integrations.calendar import CalendarAddress, CalendarOutbox, render
from braingain.integrations.errors import IntegrationError
from tests.builders import leader, member, project

LAGOS, LONDON, TORONTO = ZoneInfo("Africa/Lagos"), ZoneInfo("Europe/London"), ZoneInfo("America/Toronto")
LEAD = leader("lead.one")
ADA = member("ada.a", zone="Europe/London", country_code="GB")
ORGANIZER = CalendarAddress("Braingain", "meetings@braingain.example.org")
STAMP = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
POLICY = ReminderPolicy()
WEEKLY = Cadence(1, 1, 0)

OUT_OF_STEP = [
    pytest.param(date(2026, 3, 1), 6, id="spring-2026: North America 8 March, UK 29 March"),
    pytest.param(date(2027, 3, 7), 5, id="spring-2027: North America 14 March, UK 28 March"),
    pytest.param(date(2026, 10, 18), 4, id="autumn-2026: UK 25 October, North America 1 November"),
    pytest.param(date(2027, 10, 24), 4, id="autumn-2027: UK 31 October, North America 7 November"),
]
"""The first Sunday a week before each out-of-step period, and how many weeks cover it."""


def weekly(zone: ZoneInfo, weekday: Weekday, minute: int, first: date) -> Group:
    slot = RecurringSlot(weekday, minute, 90, zone)
    series = MeetingSeries.create(id="weekly", slot=slot, first=slot.first_on_or_after(first), cadence=WEEKLY)
    return Group.create("Braingain", members=[LEAD, ADA], projects=[project("sr", lead=LEAD)], series=series)


def planned(
    g: Group, start: date, weeks: int, sent: Mapping[str, Sent] | None = None, **links: str
) -> InvitationPlan:
    """The invitations of the meetings in the ``weeks`` weeks from ``start`` (a Sunday), the day before."""
    now = datetime.combine(start, time(), tzinfo=UTC) - timedelta(days=1)
    return plan_invitations(
        g,
        now=now,
        join_links={k.replace("_", "-").removeprefix("m"): v for k, v in links.items()},
        policy=POLICY,
        sent=sent or {},
        domain="braingain.example.org",
        horizon=datetime.combine(start + timedelta(weeks=weeks, days=-1), time(23, 59), tzinfo=UTC),
    )


def parse(content: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(content)
    assert isinstance(calendar, Calendar)
    (event,) = calendar.events
    return calendar, event


def written(tmp_path: Path, invitations: tuple[Invitation, ...]) -> list[tuple[Calendar, Event]]:
    paths = CalendarOutbox(tmp_path).write(invitations, organizer=ORGANIZER, stamp=STAMP)
    return [parse(p.read_bytes()) for p in paths]


def vtimezone_instant(calendar: Calendar, event: Event, name: str) -> datetime:
    """The instant of ``name`` read with the file's own VTIMEZONE (not the system's zone data),
    as a calendar without the IANA database would."""
    value = prop(event, name)
    moment: datetime = value.dt
    if "TZID" not in value.params:
        return moment.astimezone(UTC)
    (component,) = [z for z in calendar.timezones if z.tz_name == value.params["TZID"]]
    zone: tzinfo = component.to_tz(lookup_tzid=False)
    return moment.replace(tzinfo=zone).astimezone(UTC)


def prop(component: Component, name: str) -> Any:
    """A property as icalendar parsed it (typed loosely: its class depends on the property)."""
    return component[name]


# --- the instant is right across every clock change ------------------------------------


@pytest.mark.parametrize(("first", "weeks"), OUT_OF_STEP)
@pytest.mark.parametrize("anchor", [LAGOS, LONDON, TORONTO], ids=lambda z: z.key)
@pytest.mark.parametrize(
    ("weekday", "minute"),
    [(Weekday.SATURDAY, 14 * 60), (Weekday.SUNDAY, 90), (Weekday.SUNDAY, 150)],
    ids=["Sat 14:00", "Sun 01:30", "Sun 02:30"],
)
def test_every_invitation_reads_back_at_the_instant_zoneinfo_gives_for_the_anchor_wall_time(
    tmp_path: Path, first: date, weeks: int, anchor: ZoneInfo, weekday: Weekday, minute: int
) -> None:
    g = weekly(anchor, weekday, minute, first)
    files = written(tmp_path, planned(g, first, weeks).due)
    assert len(files) == weeks
    meetings = g.meetings(first + timedelta(weeks=weeks, days=-1))
    for (calendar, event), meeting in zip(files, meetings, strict=True):
        wall = datetime.combine(meeting.planned, time(minute // 60, minute % 60))
        expected = wall.replace(tzinfo=anchor).astimezone(UTC)  # zoneinfo; a missing wall time moves on
        start, end = event.start, event.end
        assert isinstance(start, datetime)
        assert isinstance(end, datetime)
        assert start.astimezone(UTC) == expected
        assert end.astimezone(UTC) == expected + timedelta(minutes=90)
        assert vtimezone_instant(calendar, event, "DTSTART") == expected
        assert vtimezone_instant(calendar, event, "DTEND") == expected + timedelta(minutes=90)
        if "TZID" in event["DTSTART"].params:
            assert event["DTSTART"].params["TZID"] == anchor.key
        assert calendar.get_missing_tzids() == set()


@pytest.mark.parametrize(
    ("anchor", "first", "seen_in", "hours"),
    [
        # Saturday 14:00 in London: 09:00 in Toronto, but 10:00 while only North America has changed
        (LONDON, date(2026, 3, 1), TORONTO, [9, 10, 10, 10, 9, 9]),
        (LONDON, date(2026, 10, 18), TORONTO, [9, 10, 9, 9]),
        # Saturday 14:00 in Toronto: 19:00 in London, but 18:00 in the same weeks
        (TORONTO, date(2027, 3, 7), LONDON, [19, 18, 18, 19, 19]),
        (TORONTO, date(2027, 10, 24), LONDON, [19, 18, 19, 19]),
        # Saturday 14:00 in Lagos (no clock changes): 13:00 then 14:00 in London, 08:00 then 09:00 in Toronto
        (LAGOS, date(2026, 3, 1), LONDON, [13, 13, 13, 13, 14, 14]),
        (LAGOS, date(2026, 3, 1), TORONTO, [8, 9, 9, 9, 9, 9]),
        (LAGOS, date(2026, 10, 18), TORONTO, [9, 9, 8, 8]),
    ],
)
def test_members_elsewhere_see_the_hour_the_clocks_of_their_own_country_give(
    tmp_path: Path, anchor: ZoneInfo, first: date, seen_in: ZoneInfo, hours: list[int]
) -> None:
    files = written(
        tmp_path, planned(weekly(anchor, Weekday.SATURDAY, 14 * 60, first), first, len(hours)).due
    )
    seen = []
    for calendar, event in files:
        assert (
            prop(event, "DTSTART").dt.astimezone(anchor).hour == 14
        )  # the series never drifts in its own zone
        seen.append(vtimezone_instant(calendar, event, "DTSTART").astimezone(seen_in).hour)
    assert seen == hours


def test_the_second_of_a_wall_time_that_happens_twice_is_written_in_utc_so_it_is_not_read_as_the_first(
    tmp_path: Path,
) -> None:
    g = weekly(LONDON, Weekday.SATURDAY, 14 * 60, date(2026, 10, 18))
    assert g.series is not None
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT, after 01:30 BST
    g = Group.create(
        "Braingain",
        members=[LEAD],
        projects=[project("sr", lead=LEAD)],
        series=g.series.move(date(2026, 10, 24), second, by=LEAD),
    )
    due = planned(g, date(2026, 10, 18), 2).due
    (calendar, event) = written(tmp_path, tuple(i for i in due if i.meeting_id == "2026-10-24"))[0]
    assert event.start == second
    assert "TZID" not in event["DTSTART"].params
    assert vtimezone_instant(calendar, event, "DTEND") == second + timedelta(minutes=90)


# --- UID, SEQUENCE, METHOD -------------------------------------------------------------


def test_a_move_raises_sequence_with_the_same_uid_and_a_cancellation_is_a_cancel(tmp_path: Path) -> None:
    g = weekly(LONDON, Weekday.SATURDAY, 14 * 60, date(2026, 3, 1))
    assert g.series is not None
    first = planned(g, date(2026, 3, 1), 2)
    outbox = CalendarOutbox(tmp_path)
    outbox.write(first.due, organizer=ORGANIZER, stamp=STAMP)
    path = outbox.path_of("2026-03-14")
    calendar, before = parse(path.read_bytes())
    assert (calendar["METHOD"], before["STATUS"], before.sequence) == ("REQUEST", "CONFIRMED", 0)

    to = datetime(2026, 3, 15, 16, tzinfo=LONDON)
    moved = Group.create("Braingain", members=[LEAD], projects=[project("sr", lead=LEAD)],
                         series=g.series.move(date(2026, 3, 14), to, by=LEAD))  # fmt: skip
    second = planned(moved, date(2026, 3, 1), 2, first.memory)
    assert outbox.write(second.due, organizer=ORGANIZER, stamp=STAMP) == [path]
    calendar, after = parse(path.read_bytes())
    assert (calendar["METHOD"], after.sequence, after["UID"]) == ("REQUEST", 1, before["UID"])
    assert after.start == to

    gone = Group.create("Braingain", members=[LEAD], projects=[project("sr", lead=LEAD)],
                        series=g.series.cancel(date(2026, 3, 14), by=LEAD, note="Half term"))  # fmt: skip
    third = planned(gone, date(2026, 3, 1), 2, second.memory)
    assert [i.method for i in third.due] == [CANCEL]
    outbox.write(third.due, organizer=ORGANIZER, stamp=STAMP)
    calendar, cancelled = parse(path.read_bytes())
    assert (calendar["METHOD"], cancelled["STATUS"], cancelled.sequence) == ("CANCEL", "CANCELLED", 2)
    assert cancelled["UID"] == before["UID"]
    assert cancelled.walk("VALARM") == []


def test_the_event_holds_what_itip_needs_and_what_a_member_reads(tmp_path: Path) -> None:
    g = weekly(LAGOS, Weekday.SATURDAY, 15 * 60, date(2026, 12, 1))
    link = "https://zoom.us/j/98765432100"
    invitation = planned(g, date(2026, 12, 1), 1, m2026_12_05=link).due[0]
    calendar, event = parse(render(invitation, organizer=ORGANIZER, stamp=STAMP))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert event["UID"] == "meeting-weekly-2026-12-05@braingain.example.org"
    assert prop(event, "DTSTAMP").dt == STAMP
    assert event["SUMMARY"] == "Braingain meeting"
    assert event["DESCRIPTION"] == invitation.description
    assert f"Join on Zoom: {link}" in str(event["DESCRIPTION"])
    assert event["URL"] == link
    assert event["LOCATION"] == link
    assert event["ORGANIZER"] == "mailto:meetings@braingain.example.org"
    assert event["ORGANIZER"].params["CN"] == "Braingain"


def test_the_alarms_are_one_display_alarm_per_reminder_offset(tmp_path: Path) -> None:
    g = weekly(TORONTO, Weekday.SATURDAY, 14 * 60, date(2026, 12, 1))
    (_, event) = written(tmp_path, planned(g, date(2026, 12, 1), 1).due)[0]
    alarms = event.walk("VALARM")
    assert [a["ACTION"] for a in alarms] == ["DISPLAY"] * 3
    assert [prop(a, "TRIGGER").dt for a in alarms] == [-o for o in POLICY.ordered]
    assert all(a["DESCRIPTION"] == "Braingain meeting" for a in alarms)


def test_no_member_address_is_written_unless_attendees_are_given(tmp_path: Path) -> None:
    g = weekly(LONDON, Weekday.SATURDAY, 14 * 60, date(2026, 12, 1))
    invitation = planned(g, date(2026, 12, 1), 1).due[0]
    plain = render(invitation, organizer=ORGANIZER, stamp=STAMP)
    assert b"ATTENDEE" not in plain
    assert b"ada.a@" not in plain
    assert b"lead.one@" not in plain
    _, event = parse(
        render(
            invitation, organizer=ORGANIZER, stamp=STAMP, attendees=[CalendarAddress("Ada A", "ada@x.org")]
        )
    )
    (attendee,) = event.get("ATTENDEE") if isinstance(event.get("ATTENDEE"), list) else [event["ATTENDEE"]]
    assert attendee == "mailto:ada@x.org"
    assert (attendee.params["CN"], attendee.params["RSVP"]) == ("Ada A", "FALSE")  # no replies asked


def test_the_same_invitation_and_stamp_give_the_same_bytes_and_a_naive_stamp_is_refused() -> None:
    g = weekly(LONDON, Weekday.SATURDAY, 14 * 60, date(2026, 12, 1))
    invitation = planned(g, date(2026, 12, 1), 1).due[0]
    assert render(invitation, organizer=ORGANIZER, stamp=STAMP) == render(
        invitation, organizer=ORGANIZER, stamp=STAMP.astimezone(TORONTO)
    )
    with pytest.raises(ValueError, match="aware"):
        render(invitation, organizer=ORGANIZER, stamp=datetime(2026, 1, 1))


# --- the outbox ----------------------------------------------------------------------------


def test_the_outbox_writes_one_file_per_meeting_and_nothing_when_the_bytes_are_the_same(
    tmp_path: Path,
) -> None:
    g = weekly(LONDON, Weekday.SATURDAY, 14 * 60, date(2026, 12, 1))
    due = planned(g, date(2026, 12, 1), 3).due
    outbox = CalendarOutbox(tmp_path / "invitations")
    paths = outbox.write(due, organizer=ORGANIZER, stamp=STAMP)
    assert [p.name for p in paths] == ["2026-12-05.ics", "2026-12-12.ics", "2026-12-19.ics"]
    assert sorted(p.name for p in (tmp_path / "invitations").iterdir()) == [p.name for p in paths]
    before = {p: p.stat().st_mtime_ns for p in paths}
    assert outbox.write(due, organizer=ORGANIZER, stamp=STAMP) == []
    assert {p: p.stat().st_mtime_ns for p in paths} == before


@pytest.mark.parametrize("ident", ["../escape", ".hidden", "a/b", "", "2026:12:05"])
def test_the_outbox_refuses_a_meeting_id_that_cannot_be_a_file_name(tmp_path: Path, ident: str) -> None:
    with pytest.raises(IntegrationError, match="cannot name an invitation file"):
        CalendarOutbox(tmp_path).path_of(ident)


def test_the_outbox_says_which_file_it_could_not_write(tmp_path: Path) -> None:
    (tmp_path / "2026-12-05.ics").mkdir()  # a folder where the file should be
    g = weekly(LONDON, Weekday.SATURDAY, 14 * 60, date(2026, 12, 1))
    with pytest.raises(IntegrationError, match=r"cannot write the invitation .*2026-12-05\.ics"):
        CalendarOutbox(tmp_path).write(planned(g, date(2026, 12, 1), 1).due, organizer=ORGANIZER, stamp=STAMP)
    assert (tmp_path / "2026-12-05.ics").is_dir()


def test_a_file_where_the_invitations_folder_goes_is_named_with_how_to_fix_it(tmp_path: Path) -> None:
    (tmp_path / "outbox").write_text("not a folder", encoding="utf-8")
    outbox = CalendarOutbox(tmp_path / "outbox" / "invitations")
    due = planned(weekly(LONDON, Weekday.SATURDAY, 14 * 60, date(2026, 12, 1)), date(2026, 12, 1), 1).due
    with pytest.raises(IntegrationError, match=r"outbox is a file") as raised:
        outbox.write(due, organizer=ORGANIZER, stamp=STAMP)
    assert "move or rename that file" in raised.value.hint
