"""Each meeting's Zoom meeting: what it should be, and the actions that bring Zoom there."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from braingain.core.errors import InvalidValue
from braingain.core.group import Group
from braingain.core.outcomes import MeetingLink
from braingain.core.schedule.availability import Weekday
from braingain.core.schedule.conferencing import (
    ConferenceSettings,
    Pushed,
    ZoomFacts,
    desired_meetings,
    remembered,
    zoom_actions,
    zoom_key,
)
from braingain.core.schedule.meetings import Cadence, MeetingRecord, MeetingSeries
from braingain.core.schedule.slots import RecurringSlot
from tests.builders import leader, member, project

LAGOS = ZoneInfo("Africa/Lagos")
LONDON = ZoneInfo("Europe/London")
LEAD, ADA = leader("lead.one"), member("ada.a")
PROJECT = project("sr", lead=LEAD)
WEEKLY = Cadence(busy_weeks=1, quiet_weeks=1)
NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)
HORIZON = NOW + timedelta(weeks=4)
SETTINGS = ConferenceSettings()


def series(zone: ZoneInfo = LAGOS, first: date = date(2027, 1, 2)) -> MeetingSeries:
    slot = RecurringSlot(Weekday.SATURDAY, 15 * 60, 90, zone)
    return MeetingSeries.create(id="meetings", slot=slot, first=first, cadence=WEEKLY)


def group(s: MeetingSeries | None = None, *records: MeetingRecord) -> Group:
    return Group.create("g", members=[LEAD, ADA], projects=[PROJECT], series=s or series(), records=records)


def plan(g: Group, facts: ZoomFacts, now: datetime = NOW) -> list[str]:
    wanted = desired_meetings(
        g, now=now, horizon=now + timedelta(weeks=4), topic="Meeting", settings=SETTINGS
    )
    return [a.key for a in zoom_actions(g, wanted, facts, now=now, horizon=now + timedelta(weeks=4))]


def pushed_all(g: Group, now: datetime = NOW) -> ZoomFacts:
    """What braingain knows once every meeting ahead was created and pushed as it is now."""
    wanted = desired_meetings(
        g, now=now, horizon=now + timedelta(weeks=4), topic="Meeting", settings=SETTINGS
    )
    links = {w.meeting_id: MeetingLink(f"9{i}", f"https://zoom.example/j/9{i}") for i, w in enumerate(wanted)}
    pushed = {w.meeting_id: Pushed(links[w.meeting_id].zoom_id, w.fingerprint) for w in wanted}
    return ZoomFacts(links, pushed)


def test_a_new_group_creates_one_zoom_meeting_per_meeting_ahead_in_time_order() -> None:
    assert plan(group(), ZoomFacts({}, {})) == [
        "zoom:create:2027-01-02",
        "zoom:create:2027-01-09",
        "zoom:create:2027-01-16",
        "zoom:create:2027-01-23",
    ]  # 30 January is beyond the four weeks ahead


def test_nothing_changed_means_no_zoom_action_at_all() -> None:
    g = group()
    assert plan(g, pushed_all(g)) == []


def test_a_moved_meeting_is_updated_under_a_key_naming_its_new_version() -> None:
    g = group()
    facts = pushed_all(g)
    moved = g.series.move(date(2027, 1, 16), datetime(2027, 1, 17, 16, tzinfo=LAGOS), by=LEAD)  # type: ignore[union-attr]
    keys = plan(group(moved), facts)
    assert len(keys) == 1
    assert keys[0].startswith("zoom:update:2027-01-16:")


def test_an_agenda_item_changes_the_zoom_meeting_and_so_updates_it() -> None:
    g = group()
    facts = pushed_all(g)
    record = MeetingRecord("2027-01-09").add_agenda_item(
        next(m for m in g.meetings_by(HORIZON) if m.id == "2027-01-09"),
        "Screening progress",
        by=ADA,
        at=NOW,
        publish_ahead=timedelta(days=2),
    )
    assert [k.split(":")[:3] for k in plan(group(g.series, record), facts)] == [
        ["zoom", "update", "2027-01-09"]
    ]


def test_a_cancelled_meeting_ahead_has_its_zoom_meeting_deleted() -> None:
    g = group()
    facts = pushed_all(g)
    cancelled = g.series.cancel(date(2027, 1, 23), by=LEAD, note="Holiday")  # type: ignore[union-attr]
    assert plan(group(cancelled), facts) == ["zoom:delete:2027-01-23"]


def test_a_meeting_over_has_its_attendance_imported_once() -> None:
    g = group()
    facts = pushed_all(g)
    after = datetime(2027, 1, 2, 17, tzinfo=UTC)  # 15:00-16:30 in Lagos is 14:00-15:30 UTC
    keys = plan(g, facts, now=after)
    assert "zoom:attendance:2027-01-02" in keys
    imported = ZoomFacts(facts.links, facts.pushed, frozenset({"2027-01-02"}))
    assert "zoom:attendance:2027-01-02" not in plan(g, imported, now=after)


def test_a_meeting_in_progress_is_neither_updated_nor_imported() -> None:
    g = group()
    facts = pushed_all(g)
    during = datetime(2027, 1, 2, 14, 30, tzinfo=UTC)
    assert [k for k in plan(g, facts, now=during) if "2027-01-02" in k] == []


def test_the_same_wall_clock_time_in_london_is_a_different_utc_instant_after_the_clocks_change() -> None:
    g = group(series(LONDON, first=date(2027, 3, 20)))
    now = datetime(2027, 3, 15, tzinfo=UTC)
    wanted = desired_meetings(g, now=now, horizon=now + timedelta(weeks=3), topic="M", settings=SETTINGS)
    utc = [w.start.astimezone(UTC).hour for w in wanted]
    assert [w.start.hour for w in wanted] == [15, 15, 15]
    assert utc == [15, 15, 14]  # British Summer Time starts on Sunday 28 March 2027
    assert {w.zone for w in wanted} == {"Europe/London"}


def test_the_key_of_a_meeting_names_the_group_by_its_tag_and_the_meeting_by_its_id() -> None:
    assert zoom_key("2027-01-16", "3fa2c1d9e0") == "zoom:3fa2c1d9e0:2027-01-16"
    assert zoom_key("2027-01-16") == "zoom:2027-01-16"
    g = group()
    wanted = desired_meetings(g, now=NOW, horizon=HORIZON, topic="M", settings=SETTINGS, tag="3fa2c1d9e0")
    assert wanted[0].key == "zoom:3fa2c1d9e0:2027-01-02"


def test_what_was_pushed_is_remembered_as_text_and_read_back() -> None:
    memory = {"zoom:2027-01-16": Pushed("123", "abcd").to_text(), "calendar:2027-01-16": "{}"}
    assert remembered(memory) == {"2027-01-16": Pushed("123", "abcd")}


def test_an_unreadable_memory_is_refused_and_then_left_out_so_the_meeting_is_pushed_again() -> None:
    with pytest.raises(InvalidValue):
        Pushed.from_text("not json")
    assert remembered({"zoom:2027-01-16": "[1, 2]"}) == {}


def test_the_fingerprint_is_the_same_for_the_same_instant_whatever_the_zone_it_is_given_in() -> None:
    g = group()
    wanted = desired_meetings(g, now=NOW, horizon=HORIZON, topic="M", settings=SETTINGS)[0]
    from dataclasses import replace

    assert replace(wanted, start=wanted.start.astimezone(UTC)).fingerprint == wanted.fingerprint
    assert replace(wanted, minutes=60).fingerprint != wanted.fingerprint
    assert replace(wanted, settings=ConferenceSettings(waiting_room=False)).fingerprint != wanted.fingerprint


def test_a_meeting_moved_beyond_the_horizon_has_its_zoom_meeting_moved_too() -> None:
    g = group()
    facts = pushed_all(g)
    later = datetime(2027, 3, 13, 15, tzinfo=LAGOS)  # ten weeks ahead: beyond the four
    moved = g.series.move(date(2027, 1, 16), later, by=LEAD)  # type: ignore[union-attr]
    g2 = group(moved)
    wanted = desired_meetings(
        g2, now=NOW, horizon=HORIZON, topic="Meeting", settings=SETTINGS, linked=facts.links.keys()
    )
    keys = [a.key for a in zoom_actions(g2, wanted, facts, now=NOW, horizon=HORIZON)]
    assert [k.split(":")[:3] for k in keys] == [["zoom", "update", "2027-01-16"]]
    assert next(w for w in wanted if w.meeting_id == "2027-01-16").start == later


def test_a_meeting_no_longer_in_the_series_has_its_zoom_meeting_deleted() -> None:
    g = group()
    facts = pushed_all(g)
    # The leader moves the series from Saturdays to Sundays: the Saturday meetings ahead are gone.
    sunday = MeetingSeries.create(
        id="meetings",
        slot=RecurringSlot(Weekday.SUNDAY, 15 * 60, 90, LAGOS),
        first=date(2027, 1, 3),
        cadence=WEEKLY,
    )
    keys = plan(group(sunday), facts)
    assert [k for k in keys if k.startswith("zoom:delete:")] == [
        "zoom:delete:2027-01-02",
        "zoom:delete:2027-01-09",
        "zoom:delete:2027-01-16",
        "zoom:delete:2027-01-23",
    ]
