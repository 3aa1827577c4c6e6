"""The engine's rules, with an in-memory Zoom port: what is done, what waits, what is refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from braingain.core.group import Group
from braingain.core.outcomes import MeetingLink, PlatformFacts
from braingain.core.schedule.attendance import Attendee
from braingain.core.schedule.availability import Weekday
from braingain.core.schedule.conferencing import DesiredMeeting
from braingain.core.schedule.meetings import Cadence, MeetingSeries
from braingain.core.schedule.slots import RecurringSlot
from braingain.integrations.engine import platforms as engine
from braingain.integrations.engine.journal import Journal
from braingain.integrations.errors import PlatformError
from tests.builders import leader, member, project

LAGOS = ZoneInfo("Africa/Lagos")
LEAD, ADA = leader("lead.one"), member("ada.a")
NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)


class Refused(PlatformError):
    outcome_known = True
    halts = False


class Down(PlatformError):
    outcome_known = False
    halts = True


@dataclass
class MemoryZoom:
    """Zoom in memory: meetings by key; ``fail`` maps a meeting ID to the error its next change raises."""

    meetings: dict[str, tuple[str, DesiredMeeting]] = field(default_factory=dict)
    fail: dict[str, PlatformError] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def _maybe_fail(self, ident: str) -> None:
        error = self.fail.pop(ident, None)
        if error is not None:
            raise error

    def existing(self) -> Mapping[str, MeetingLink]:
        self.calls.append("list")
        return {
            key: MeetingLink(zid, f"https://zoom.example/j/{zid}") for key, (zid, _) in self.meetings.items()
        }

    def create(self, meeting: DesiredMeeting) -> MeetingLink:
        self.calls.append(f"create {meeting.meeting_id}")
        self._maybe_fail(meeting.meeting_id)
        zid = str(100 + len(self.meetings))
        self.meetings[meeting.key] = (zid, meeting)
        return MeetingLink(zid, f"https://zoom.example/j/{zid}")

    def update(self, link: MeetingLink, meeting: DesiredMeeting) -> MeetingLink | None:
        self.calls.append(f"update {meeting.meeting_id}")
        self._maybe_fail(meeting.meeting_id)
        self.meetings[meeting.key] = (link.zoom_id, meeting)
        return link

    def delete(self, link: MeetingLink) -> None:
        self.calls.append(f"delete {link.zoom_id}")

    def attendees(self, link: MeetingLink) -> list[Attendee] | None:
        return []


def group() -> Group:
    slot = RecurringSlot(Weekday.SATURDAY, 15 * 60, 90, LAGOS)
    series = MeetingSeries.create(
        id="m", slot=slot, first=date(2027, 1, 2), cadence=Cadence(busy_weeks=1, quiet_weeks=1)
    )
    return Group.create("g", members=[LEAD, ADA], projects=[project("sr", lead=LEAD)], series=series)


def setup(zoom: MemoryZoom) -> engine.Setup:
    return engine.Setup(zoom=zoom, outbox=None, topic="Meeting", horizon=timedelta(weeks=3))


def test_a_refused_create_is_recorded_as_failed_and_the_other_meetings_are_still_made() -> None:
    zoom = MemoryZoom(fail={"2027-01-09": Refused("Zoom refused it", hint="")})
    journal = Journal(None)
    state = engine.known(PlatformFacts(), journal)
    done = engine.apply(group(), state, setup(zoom), journal, now=NOW)
    assert [a.subject for a, _ in done.failed] == ["2027-01-09"]
    assert sorted(state.links) == ["2027-01-02", "2027-01-16"]
    entry = journal.get("zoom:create:2027-01-09")
    assert entry is not None
    assert entry.step == "failed"


def test_a_platform_that_is_down_stops_its_other_actions_and_the_outcome_waits_for_the_next_sync() -> None:
    zoom = MemoryZoom(fail={"2027-01-09": Down("Zoom is not answering", hint="")})
    journal = Journal(None)
    state = engine.known(PlatformFacts(), journal)
    done = engine.apply(group(), state, setup(zoom), journal, now=NOW)
    assert [key for key, _ in done.waiting] == ["zoom:create:2027-01-09", "zoom:create:2027-01-16"]
    assert "not answering" in done.waiting[0][1]
    assert "create 2027-01-16" not in zoom.calls
    entry = journal.get("zoom:create:2027-01-09")
    assert entry is not None
    assert entry.unknown


def test_what_the_journal_holds_is_known_before_planning_so_nothing_is_made_again() -> None:
    zoom = MemoryZoom()
    journal = Journal(None)
    engine.apply(group(), engine.known(PlatformFacts(), journal), setup(zoom), journal, now=NOW)
    zoom.calls.clear()
    state = engine.known(PlatformFacts(), journal)  # the tracker was never written back
    assert engine.plan(group(), state, setup(zoom), now=NOW).empty
    back = engine.outcomes(PlatformFacts(), state, group=group(), now=NOW)
    assert sorted(back.links) == ["2027-01-02", "2027-01-09", "2027-01-16"]
    assert back.memory is not None
    assert zoom.calls == []


def test_an_unknown_create_is_looked_for_by_its_key_and_adopted_not_made_twice() -> None:
    zoom = MemoryZoom()
    journal = Journal(None)
    wanted = engine.plan(group(), engine.known(PlatformFacts(), journal), setup(zoom), now=NOW).actions[0]
    payload = wanted.payload
    assert isinstance(payload, DesiredMeeting)
    zoom.create(payload)  # Zoom made it; the answer never came back
    journal.start(wanted, at=NOW)
    zoom.calls.clear()

    state = engine.known(PlatformFacts(), journal)
    engine.apply(group(), state, setup(zoom), journal, now=NOW)

    assert zoom.calls[0] == "list"
    assert f"create {payload.meeting_id}" not in zoom.calls
    assert f"update {payload.meeting_id}" in zoom.calls  # this version pushed to the adopted meeting
    assert len(zoom.meetings) == 3


def test_nothing_to_do_means_no_call_at_all() -> None:
    facts = PlatformFacts()
    zoom = MemoryZoom()
    journal = Journal(None)
    engine.apply(group(), engine.known(facts, journal), setup(zoom), journal, now=NOW)
    state = engine.known(facts, journal)
    zoom.calls.clear()
    again = engine.apply(group(), state, setup(zoom), journal, now=NOW)
    assert zoom.calls == []
    assert not again.done


def test_what_was_pushed_and_sent_for_a_meeting_long_over_is_forgotten() -> None:
    zoom = MemoryZoom()
    journal = Journal(None)
    state = engine.known(PlatformFacts(), journal)
    engine.apply(group(), state, setup(zoom), journal, now=NOW)
    assert "zoom:2027-01-02" in state.memory
    weeks_later = NOW + timedelta(weeks=3)
    back = engine.outcomes(PlatformFacts(), state, group=group(), now=weeks_later)
    assert back.memory is not None
    assert "zoom:2027-01-02" not in back.memory
    assert "zoom:2027-01-16" in back.memory
    assert back.links["2027-01-02"] is not None  # its Zoom meeting stays on the Meetings tab


class CredentialsRefused(PlatformError):
    outcome_known = True
    halts = True


def test_credentials_refused_stop_every_zoom_change_and_each_is_said_to_wait() -> None:
    zoom = MemoryZoom(fail={"2027-01-02": CredentialsRefused("Zoom refused the app's credentials", hint="")})
    journal = Journal(None)
    done = engine.apply(group(), engine.known(PlatformFacts(), journal), setup(zoom), journal, now=NOW)
    assert [a.subject for a, _ in done.failed] == ["2027-01-02"]
    assert [key for key, _ in done.waiting] == ["zoom:create:2027-01-09", "zoom:create:2027-01-16"]
    assert all("waits for the next sync" in why for _, why in done.waiting)
