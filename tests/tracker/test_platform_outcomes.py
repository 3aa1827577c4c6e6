"""What the platforms' actions produced, written back to the tracker (issue 10): each meeting's
Zoom meeting and join link, attendance imported from Zoom, and the platforms' memory.

A person's typing is never written over: an import fills Present and Absent only while both are
blank, never names an excused member, and says when it was not applied and why. Imported
attendance counts without Minutes. A second sync with the same outcomes writes nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from braingain.core.ids import MemberId
from braingain.core.outcomes import AttendanceImport, MeetingLink, PlatformOutcomes
from braingain.core.schedule.meetings import Presence
from braingain.core.tracker.changes import describe
from braingain.core.tracker.plan import TrackerPlan, plan_tracker, settle
from braingain.core.tracker.read import ReadResult, import_applied
from braingain.core.tracker.schema import AddColumns, Grid, Snapshot
from tests.tracker.helpers import SCHEMA, Sample, apply, edit, person_typed, row_number

KEY = b"a-state-key-made-by-braingain-init-0123456789"
TODAY = date(2026, 11, 25)
MEETINGS = SCHEMA.tab("meetings").title
STATE = SCHEMA.tab("state").title
PAST = "2026-11-21"
"""A meeting of the sample group that is over (its minutes and attendance are typed)."""
AHEAD = "2026-12-05"
"""A meeting ahead, on the Meetings tab."""
LINK = MeetingLink("85746065432", "https://us02web.zoom.us/j/85746065432?pwd=abc")
ADA, EFE, ZAINAB = MemberId("ada.obiora"), MemberId("efe.ighodalo"), MemberId("zainab.musawa")


def imported(meeting: str = PAST, **kw: object) -> AttendanceImport:
    given: dict[str, object] = {
        "meeting_id": meeting,
        "present": frozenset({ADA, EFE}),
        "absent": frozenset({ZAINAB}),
        "unmatched": ("iPhone", "Dr Bello"),
        "source": "Zoom",
    }
    return AttendanceImport(**(given | kw))  # type: ignore[arg-type]


def run(
    sample: Sample, snap: Snapshot, outcomes: PlatformOutcomes | None
) -> tuple[ReadResult, TrackerPlan, Snapshot]:
    read = settle(sample.read(snap), sample.settings, sample.now)
    plan = plan_tracker(
        SCHEMA, read, sample.settings, sample.now, state_key=sample.state_key, outcomes=outcomes
    )
    return read, plan, apply(snap, plan.write)


def cell(snap: Snapshot, ident: str, header: str) -> object:
    grid = snap.grids[MEETINGS]
    column = list(grid.values[0]).index(header)
    row = grid.values[row_number(snap, MEETINGS, ident) - 1]
    return row[column] if column < len(row) else None


def without_attendance(snap: Snapshot, meeting: str = PAST) -> Snapshot:
    """``snap`` where nobody typed the meeting's minutes or attendance."""
    for header in ("Minutes", "Present", "Absent", "Excused", "Minutes by", "Decisions"):
        snap = edit(snap, MEETINGS, meeting, header, None)
    return snap


def remembered(snap: Snapshot, key: str, value: str) -> Snapshot:
    """``snap`` whose hidden state tab holds ``value`` under ``key``, as if edited by hand."""
    grid = snap.grids[STATE]
    rows = tuple((r[0], value, *r[2:]) if r and r[0] == key else r for r in grid.values)
    return Snapshot({**snap.grids, STATE: Grid(STATE, rows, grid.merges, grid.sheet_id, grid.hidden)})


@pytest.fixture(scope="module")
def sample() -> Sample:
    return Sample(TODAY)


@pytest.fixture(scope="module")
def start(sample: Sample) -> Snapshot:
    return sample.start()


def test_a_zoom_meeting_is_written_to_its_meeting_row_and_read_back(sample: Sample, start: Snapshot) -> None:
    _read, _plan, after = run(sample, start, PlatformOutcomes(links={AHEAD: LINK}))
    assert cell(after, AHEAD, "Zoom meeting") == LINK.zoom_id
    assert cell(after, AHEAD, "Join link") == LINK.join_url
    assert run(sample, after, None)[0].platforms.links == {AHEAD: LINK}
    _, again, _ = run(sample, after, PlatformOutcomes(links={AHEAD: LINK}))
    assert again.write.empty, again.summary


def test_a_deleted_zoom_meeting_is_cleared_from_its_row(sample: Sample, start: Snapshot) -> None:
    _, _, linked = run(sample, start, PlatformOutcomes(links={AHEAD: LINK}))
    _, _, cleared = run(sample, linked, PlatformOutcomes(links={AHEAD: None}))
    assert cell(cleared, AHEAD, "Zoom meeting") in (None, "")
    assert cell(cleared, AHEAD, "Join link") in (None, "")
    assert run(sample, cleared, None)[0].platforms.links == {}


def test_links_not_in_the_outcomes_keep_their_value(sample: Sample, start: Snapshot) -> None:
    _, _, linked = run(sample, start, PlatformOutcomes(links={AHEAD: LINK}))
    _, plan, _ = run(sample, linked, PlatformOutcomes())
    assert plan.write.empty, plan.summary


def test_a_meeting_added_by_this_sync_is_added_with_its_zoom_meeting() -> None:
    later = Sample(date(2026, 12, 30))
    snap = later.start()
    read = settle(later.read(snap), later.settings, later.now)
    assert read.group.series is not None
    ahead = [m.id for m in read.group.meetings_by(datetime(2027, 6, 1, tzinfo=UTC))]
    on_tab = {str(r[0]) for r in snap.grids[MEETINGS].values[1:]}
    fresh = next(m for m in ahead if m not in on_tab)
    # a sync a month on adds the meeting; the engine made its Zoom meeting in the same sync
    moved_on = Sample(date(2027, 1, 30))
    _, plan, after = run(moved_on, snap, PlatformOutcomes(links={fresh: LINK}))
    assert any(fresh in line for line in plan.summary)
    assert cell(after, fresh, "Zoom meeting") == LINK.zoom_id
    assert run(moved_on, after, PlatformOutcomes(links={fresh: LINK}))[1].write.empty


@pytest.mark.parametrize("key", [None, KEY], ids=["unsealed", "sealed"])
def test_the_platform_memory_is_kept_sealed_with_the_rest_and_read_back(key: bytes | None) -> None:
    sample = Sample(TODAY, state_key=key)
    start = sample.start()
    memory = {"zoom:2026-12-05": '{"id": "85746065432", "sequence": 1}', "zoom:daily": '{"creates": 3}'}
    _read, plan, after = run(sample, start, PlatformOutcomes(memory=memory))
    assert any("remember" in line for line in plan.summary)
    again, plan, _ = run(sample, after, PlatformOutcomes(memory=memory))
    assert again.platforms.memory == memory
    assert plan.write.empty, plan.summary
    assert not [p for p in again.problems if p.tab == STATE]
    _, kept, _ = run(sample, after, None)  # no memory given: kept as read
    assert kept.write.empty, kept.summary


def test_a_memory_edited_by_hand_is_not_trusted_under_the_groups_key() -> None:
    sample = Sample(TODAY, state_key=KEY)
    _, _, after = run(sample, sample.start(), PlatformOutcomes(memory={"zoom:x": '{"id": "1"}'}))
    forged = remembered(after, "platform:zoom:x", '{"id": "2"}')
    read = run(sample, forged, None)[0]
    assert read.platforms.memory == {}
    assert any("checksum" in p.reason for p in read.problems if p.tab == STATE)


def test_a_damaged_platform_memory_is_dropped_with_a_notice(sample: Sample, start: Snapshot) -> None:
    _, _, after = run(sample, start, PlatformOutcomes(memory={"zoom:x": '{"id": "1"}'}))
    damaged = remembered(after, "platform:zoom:x", "{not json")
    read = run(sample, damaged, None)[0]
    assert read.platforms.memory == {}
    assert any("damaged" in p.reason for p in read.problems if p.tab == STATE)


def test_a_platform_memory_that_is_not_json_is_refused_before_anything_is_written() -> None:
    with pytest.raises(ValueError, match="zoom:x"):
        PlatformOutcomes(memory={"zoom:x": "not json"})


def test_imported_attendance_fills_blank_present_and_absent_and_says_where_it_came_from(
    sample: Sample, start: Snapshot
) -> None:
    blank = without_attendance(start)
    read, plan, after = run(sample, blank, PlatformOutcomes(attendance={PAST: imported()}))
    assert cell(after, PAST, "Present") == "ada.obiora; efe.ighodalo"
    assert cell(after, PAST, "Absent") == "zainab.musawa"
    said = cell(after, PAST, "Attendance from")
    assert said == "Zoom, 2026-11-25: 2 joined, 1 absent; not matched: iPhone, Dr Bello"
    assert not [p for p in read.problems if p.tab == MEETINGS and p.row == row_number(blank, MEETINGS, PAST)]
    again, plan, _ = run(sample, after, PlatformOutcomes(attendance={PAST: imported()}))
    assert plan.write.empty, plan.summary
    assert PAST in again.platforms.attendance_imported


def test_imported_attendance_counts_without_minutes(sample: Sample, start: Snapshot) -> None:
    blank = without_attendance(start)
    before = run(sample, blank, None)[0]
    assert not before.group.records[PAST].attendance
    _, _, after = run(sample, blank, PlatformOutcomes(attendance={PAST: imported()}))
    read = run(sample, after, None)[0]
    record = read.group.records[PAST]
    assert record.attendance == {ADA: Presence.PRESENT, EFE: Presence.PRESENT, ZAINAB: Presence.ABSENT}
    counted = read.group.attendance_on(sample.now)
    uncounted = before.group.attendance_on(sample.now)
    assert counted[ADA].present == uncounted[ADA].present + 1
    assert counted[ZAINAB].absent == uncounted[ZAINAB].absent + 1
    assert not [p for p in read.problems if p.tab == MEETINGS and "not counted" in p.reason]


@pytest.mark.parametrize("header", ["Present", "Absent"])
def test_attendance_a_leader_typed_is_kept_and_the_import_says_it_was_not_applied(
    sample: Sample, start: Snapshot, header: str
) -> None:
    typed = edit(without_attendance(start), MEETINGS, PAST, header, "tobi.akinwale")
    people = person_typed(typed)
    _, plan, after = run(sample, typed, PlatformOutcomes(attendance={PAST: imported()}))
    assert person_typed(after) == people
    said = str(cell(after, PAST, "Attendance from"))
    assert said.startswith("Zoom, 2026-11-25: not applied: Present or Absent was typed already")
    assert "not matched: iPhone, Dr Bello" in said
    assert not import_applied(said)
    again, plan, _ = run(sample, after, PlatformOutcomes(attendance={PAST: imported()}))
    assert plan.write.empty, plan.summary
    assert not again.group.records[PAST].attendance  # typed attendance still counts only with minutes


def test_an_excused_member_stays_excused_and_is_never_put_in_present_or_absent(
    sample: Sample, start: Snapshot
) -> None:
    typed = edit(without_attendance(start), MEETINGS, PAST, "Excused", "zainab.musawa; ada.obiora")
    _, _, after = run(sample, typed, PlatformOutcomes(attendance={PAST: imported()}))
    assert cell(after, PAST, "Present") == "efe.ighodalo"
    assert cell(after, PAST, "Absent") in (None, "")
    assert cell(after, PAST, "Excused") == "zainab.musawa; ada.obiora"
    record = run(sample, after, None)[0].group.records[PAST]
    assert record.attendance == {EFE: Presence.PRESENT, ZAINAB: Presence.EXCUSED, ADA: Presence.EXCUSED}


def test_an_import_cleared_by_a_person_is_made_again(sample: Sample, start: Snapshot) -> None:
    _, _, after = run(sample, without_attendance(start), PlatformOutcomes(attendance={PAST: imported()}))
    cleared = edit(after, MEETINGS, PAST, "Attendance from", None)
    read, _plan, again = run(sample, cleared, PlatformOutcomes(attendance={PAST: imported()}))
    assert PAST not in read.platforms.attendance_imported
    assert str(cell(again, PAST, "Attendance from")).startswith("Zoom, 2026-11-25: not applied")


def test_a_name_reading_not_applied_does_not_undo_an_import() -> None:
    assert import_applied("Zoom, 2026-11-25: 2 joined, 1 absent; not matched: not applied: x")
    assert not import_applied("Zoom, 2026-11-25: not applied: Excused cannot be read; Zoom saw 0 joined")
    assert not import_applied("")
    assert not import_applied(None)


def old_tracker(snap: Snapshot) -> Snapshot:
    """``snap`` as a tracker made before Zoom: its Meetings tab has none of Zoom's columns."""
    grid = snap.grids[MEETINGS]
    width = list(grid.values[0]).index("Zoom meeting")
    rows = tuple(tuple(r[:width]) for r in grid.values)
    return Snapshot({**snap.grids, MEETINGS: Grid(MEETINGS, rows, grid.merges, grid.sheet_id, grid.hidden)})


def test_an_old_tracker_gets_the_zoom_columns_and_its_links_in_the_same_sync(
    sample: Sample, start: Snapshot
) -> None:
    old = old_tracker(without_attendance(start))
    outcomes = PlatformOutcomes(links={AHEAD: LINK}, attendance={PAST: imported()})
    _, plan, after = run(sample, old, outcomes)
    added = [c for c in plan.write.structure if isinstance(c, AddColumns)]
    assert [c.header for a in added for c in a.columns] == [
        "Zoom meeting",
        "Join link",
        "Attendance from",
        "Minutes doc",
    ]
    assert cell(after, AHEAD, "Zoom meeting") == LINK.zoom_id
    assert cell(after, PAST, "Present") == "ada.obiora; efe.ighodalo"
    assert run(sample, after, outcomes)[1].write.empty


def test_the_plan_says_each_platform_write_in_words(sample: Sample, start: Snapshot) -> None:
    outcomes = PlatformOutcomes(links={AHEAD: LINK}, attendance={PAST: imported()})
    blank = without_attendance(start)
    read, plan, after = run(sample, blank, outcomes)
    words = describe(SCHEMA, read, plan, sample.now)
    said = {d.about: d.text for d in words.decisions if d.kind == "meeting"}
    assert "Zoom meeting 85746065432" in said[AHEAD]
    assert LINK.join_url in said[AHEAD]
    assert "Present: Adaeze Obiora, Efe Ighodalo" in said[PAST]
    assert "Absent: Zainab Musawa" in said[PAST]
    assert "not matched: iPhone, Dr Bello" in said[PAST]
    cleared_read, cleared, _ = run(sample, after, PlatformOutcomes(links={AHEAD: None}))
    gone = {d.about: d.text for d in describe(SCHEMA, cleared_read, cleared, sample.now).decisions}
    assert "85746065432" in gone[AHEAD]
    assert "cleared" in gone[AHEAD]
