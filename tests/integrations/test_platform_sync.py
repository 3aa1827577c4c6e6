"""One sync across platforms, end to end: the sample group in a local workbook, the real Zoom client
against the loopback fake Zoom, invitations written to the workspace."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from braingain.integrations import compose, plan_text
from braingain.integrations.config import Config
from braingain.integrations.engine.journal import Journal
from tests.fakes.zoom import FakeZoom
from tests.fakes.zoom_support import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, Clock, zoom_client
from tests.integrations.platform_support import (
    NOON,
    Crash,
    ahead,
    edit_meeting,
    group_folder,
    meetings_tab,
    setup,
    sync,
)

LAGOS = ZoneInfo("Africa/Lagos")


def zoom_meetings(fake: FakeZoom) -> dict[str, dict[str, object]]:
    """Zoom's meetings by braingain key without the group's tag (``zoom:2027-01-16``), for a Zoom
    account that one group uses (a key twice fails the test: a duplicate)."""
    found: dict[str, dict[str, object]] = {}
    for meeting in fake.meetings():
        agenda = str(meeting.get("agenda") or "")
        key = agenda.rsplit("braingain key: ", 1)[-1].strip() if "braingain key: " in agenda else ""
        platform, _, ident = key.partition(":")
        key = f"{platform}:{ident.rpartition(':')[2]}"
        assert key not in found, f"two Zoom meetings carry {key}"
        found[key] = meeting
    return found


def changes(fake: FakeZoom) -> int:
    """Meeting changes Zoom received (creates, updates, deletes)."""
    return sum(fake.count(name) for name in ("meetings.create", "meetings.update", "meetings.delete"))


def synced_group(folder: Path, fake: FakeZoom, clock: Clock) -> Config:
    """The sample group after its first sync with Zoom."""
    config = group_folder(folder)
    sync(config, setup(config, fake, clock)[0])
    return config


def zoom_id_of(config: Config, ident: str) -> str:
    """The Zoom meeting id the Meetings tab holds for the meeting ``ident``."""
    return str(meetings_tab(config)[ident]["Zoom meeting"])


def first_ahead(config: Config) -> tuple[str, str]:
    """The first meeting ahead of a synced group: its ID and its Zoom meeting's id."""
    ident = ahead(config)[0]
    return ident, zoom_id_of(config, ident)


def invitation(config: Config, ident: str) -> icalendar.Calendar:
    """The invitation file of the meeting ``ident``, parsed."""
    return icalendar.Calendar.from_ical((config.outbox / "invitations" / f"{ident}.ics").read_bytes())


def test_a_first_sync_creates_one_zoom_meeting_per_meeting_ahead_and_writes_ids_and_links_back(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = group_folder(tmp_path / "group")
    platforms, _ = setup(config, fake_zoom, clock)
    wanted = ahead(config)
    assert wanted

    outcome = sync(config, platforms)

    on_zoom = zoom_meetings(fake_zoom)
    assert sorted(on_zoom) == sorted(f"zoom:{ident}" for ident in wanted)
    assert fake_zoom.count("meetings.create") == len(wanted)
    tab = meetings_tab(config)
    for ident in wanted:
        meeting = on_zoom[f"zoom:{ident}"]
        assert tab[ident]["Zoom meeting"] == str(meeting["id"])
        assert tab[ident]["Join link"] == meeting["join_url"]
        assert meeting["timezone"] == "Africa/Lagos"
        settings = meeting["settings"]
        assert isinstance(settings, dict)
        assert settings["mute_upon_entry"] is True
        assert settings["waiting_room"] is True
        start = datetime.fromisoformat(str(meeting["start_time"]).replace("Z", "+00:00"))
        assert start.astimezone(LAGOS).hour == 15
        assert start.astimezone(LAGOS).weekday() == 5
    assert outcome.done is not None
    assert not outcome.done.waiting
    assert not outcome.done.failed
    assert Journal.beside(config.source).empty


def test_the_plan_lists_every_platform_action_in_words_and_json_and_changes_nothing(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = group_folder(tmp_path / "group")
    platforms, _ = setup(config, fake_zoom, clock)
    planned = sync(config, platforms, apply=False)
    keys = [a.key for a in planned.platforms.actions]
    assert keys[: len(ahead(config))] == [f"zoom:create:{i}" for i in ahead(config)]
    assert any(k.startswith("calendar:request:") for k in keys)
    words = plan_text.outcome_text(planned, applied=False).plain
    assert "create the Zoom meeting for Saturday" in words
    data = plan_text.outcome_data(planned)
    assert [a["key"] for a in data["platforms"]["actions"]] == keys
    json.dumps(data)
    assert fake_zoom.meetings() == []
    assert changes(fake_zoom) == 0
    assert not (config.outbox / "invitations").exists()


def test_a_second_sync_makes_no_zoom_request_and_writes_nothing(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = group_folder(tmp_path / "group")
    platforms, _ = setup(config, fake_zoom, clock)
    sync(config, platforms)
    files = {p: p.stat().st_mtime_ns for p in (config.outbox / "invitations").iterdir()}
    fake_zoom.reset_counts()

    again = sync(config, setup(config, fake_zoom, clock)[0])

    assert sum(fake_zoom.counts.values()) == 0
    assert again.plan.write.empty
    assert again.platforms.empty
    assert {p: p.stat().st_mtime_ns for p in (config.outbox / "invitations").iterdir()} == files


def test_a_moved_meeting_is_one_zoom_update_and_a_new_invitation_sequence(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[1]
    moved_to = datetime.fromisoformat(ident).replace(hour=17, tzinfo=LAGOS) + timedelta(days=1)
    edit_meeting(config, ident, Status="moved", **{"Moved to": moved_to.replace(tzinfo=None)})
    fake_zoom.reset_counts()

    sync(config, setup(config, fake_zoom, clock)[0])

    assert changes(fake_zoom) == 1
    assert fake_zoom.count("meetings.update") == 1
    meeting = zoom_meetings(fake_zoom)[f"zoom:{ident}"]
    start = datetime.fromisoformat(str(meeting["start_time"]).replace("Z", "+00:00"))
    assert start == moved_to.astimezone(UTC)
    event = next(iter(invitation(config, ident).walk("VEVENT")))
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTART") == moved_to
    assert str(event["URL"]) == meeting["join_url"]


def test_a_cancelled_meeting_is_deleted_from_zoom_and_its_invitation_cancelled(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[0]
    edit_meeting(config, ident, Status="cancelled", Note="The leaders are at a conference")

    sync(config, setup(config, fake_zoom, clock)[0])

    assert f"zoom:{ident}" not in zoom_meetings(fake_zoom)
    assert meetings_tab(config)[ident]["Zoom meeting"] in (None, "")
    assert str(invitation(config, ident)["METHOD"]) == "CANCEL"


Prepare = Callable[[Config, FakeZoom], None]
"""What happens before the sync under test (a first sync, a leader's edits)."""


def calls_of_a_whole_sync(folder: Path, clock: Clock, prepare: Prepare) -> list[str]:
    """Every platform call of the sync ``prepare`` leads to, uninterrupted, on a fresh group and Zoom."""
    with FakeZoom() as fake:
        fake.clock = clock
        fake.register_app(ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)
        config = group_folder(folder)
        prepare(config, fake)
        platforms, stopper = setup(config, fake, clock)
        sync(config, platforms)
        return stopper.calls


def first_sync(config: Config, fake: FakeZoom) -> None:
    """Nothing before: the sync under test is the group's first with Zoom."""


def moved_and_cancelled(config: Config, fake: FakeZoom) -> None:
    """After a first sync with Zoom, a leader moves one meeting ahead and cancels another."""
    sync(config, setup(config, fake, Clock())[0])
    first, second = ahead(config)[:2]
    moved_to = datetime.fromisoformat(first).replace(hour=17) + timedelta(days=1)
    edit_meeting(config, first, Status="moved", **{"Moved to": moved_to})
    edit_meeting(config, second, Status="cancelled", Note="Public holiday")


def check_zoom_holds_exactly_the_meetings_ahead(config: Config, fake: FakeZoom, clock: Clock) -> None:
    """One Zoom meeting per meeting ahead, at its time and with its settings, its id on the Meetings tab;
    the journal empty; and a sync after makes no Zoom call."""
    outcome = sync(config, setup(config, fake, clock)[0], apply=False)
    group = outcome.read.group
    meetings = {m.id: m for m in group.meetings_by(NOON + config.settings.schedule_ahead)}
    on_zoom = zoom_meetings(fake)
    wanted = ahead(config)
    assert sorted(on_zoom) == sorted(f"zoom:{i}" for i in wanted)
    tab = meetings_tab(config)
    for ident in wanted:
        meeting = on_zoom[f"zoom:{ident}"]
        start = datetime.fromisoformat(str(meeting["start_time"]).replace("Z", "+00:00"))
        assert start == meetings[ident].start.astimezone(UTC)
        assert meeting["duration"] == meetings[ident].length
        settings = meeting["settings"]
        assert isinstance(settings, dict)
        assert settings["mute_upon_entry"] is True
        assert settings["waiting_room"] is True
        assert tab[ident]["Zoom meeting"] == str(meeting["id"])
        assert tab[ident]["Join link"] == meeting["join_url"]
    assert Journal.beside(config.source).empty
    fake.reset_counts()
    again = sync(config, setup(config, fake, clock)[0])
    assert sum(fake.counts.values()) == 0
    assert again.plan.write.empty


@pytest.mark.parametrize("prepare", [first_sync, moved_and_cancelled])
def test_a_sync_stopped_after_each_platform_call_in_turn_is_finished_by_the_next_without_a_duplicate(
    tmp_path: Path, clock: Clock, prepare: Prepare
) -> None:
    calls = calls_of_a_whole_sync(tmp_path / "whole", clock, prepare)
    assert len(calls) >= 4
    for stop_after in range(1, len(calls) + 1):
        with FakeZoom() as fake:
            fake.clock = clock
            fake.register_app(ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)
            config = group_folder(tmp_path / f"stopped-{stop_after}")
            prepare(config, fake)
            with pytest.raises(Crash):
                sync(config, setup(config, fake, clock, stop_after=stop_after)[0])

            sync(config, setup(config, fake, clock)[0])

            check_zoom_holds_exactly_the_meetings_ahead(config, fake, clock)
            fake.check()


def test_a_lost_journal_never_makes_a_meeting_twice(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = group_folder(tmp_path / "group")
    with pytest.raises(Crash):
        sync(config, setup(config, fake_zoom, clock, stop_after=2)[0])
    journal = Journal.beside(config.source)
    assert journal.path is not None
    journal.path.unlink()

    sync(config, setup(config, fake_zoom, clock)[0])

    assert sorted(zoom_meetings(fake_zoom)) == sorted(f"zoom:{i}" for i in ahead(config))


def test_zooms_daily_limit_stops_zoom_changes_until_midnight_gmt_and_the_next_sync_finishes(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = group_folder(tmp_path / "group")
    fake_zoom.faults.add("meetings.create", fake_zoom.daily_cap(), times=1)
    outcome = sync(config, setup(config, fake_zoom, clock)[0])
    assert outcome.done is not None
    assert fake_zoom.count("meetings.create") == 1  # never retried
    assert any("00:00 GMT" in why for _, why in outcome.done.failed + outcome.done.waiting)
    words = plan_text.outcome_text(outcome, applied=True).plain
    assert "00:00 GMT" in words

    fake_zoom.reset_counts()  # the same day: Zoom is asked nothing, and the sync says why
    later = sync(config, setup(config, fake_zoom, clock)[0], at=NOON + timedelta(hours=6))
    assert sum(fake_zoom.counts.values()) == 0
    assert (
        "asks Zoom nothing until 00:00 GMT on Monday 11 January 2027"
        in plan_text.outcome_text(later, applied=True).plain
    )
    assert later.done is not None  # every create that waits is listed (and the sync exits 3)
    waiting = [key for key, _ in later.done.waiting]
    assert waiting
    assert all(key.startswith("zoom:create:") for key in waiting)

    sync(config, setup(config, fake_zoom, clock)[0], at=NOON + timedelta(days=1))
    assert sorted(zoom_meetings(fake_zoom)) == sorted(
        f"zoom:{i}" for i in ahead(config, NOON + timedelta(days=1))
    )


def test_without_zoom_the_plan_says_how_to_set_it_up_and_invitations_are_still_written(
    tmp_path: Path,
) -> None:
    config = group_folder(tmp_path / "group")
    platforms, _ = setup(config, None, Clock())
    outcome = sync(config, platforms)
    assert "ZOOM_ACCOUNT_ID" in plan_text.outcome_text(outcome, applied=True).plain
    files = sorted((config.outbox / "invitations").glob("*.ics"))
    assert [f.stem for f in files][: len(ahead(config))] == ahead(config)
    event = next(iter(icalendar.Calendar.from_ical(files[0].read_bytes()).walk("VEVENT")))
    assert "URL" not in event


def test_attendance_is_imported_once_a_meeting_is_over_and_unmatched_names_are_listed(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = group_folder(tmp_path / "group")
    first = sync(config, setup(config, fake_zoom, clock)[0])
    ident = ahead(config)[0]
    zoom_id = zoom_id_of(config, ident)
    members = sorted(
        (m for m in first.read.group.members.values() if m.active and m.email is not None), key=lambda m: m.id
    )
    by_email, by_name = members[0], members[1]
    assert by_email.email is not None
    fake_zoom.hold_meeting(zoom_id)
    fake_zoom.add_participant(zoom_id, "Someone's phone", email=by_email.email.address)
    fake_zoom.add_participant(zoom_id, f"Dr {by_name.name}")
    fake_zoom.add_participant(zoom_id, "iPhone")
    after = datetime.fromisoformat(ident).replace(hour=18, tzinfo=LAGOS)

    outcome = sync(config, setup(config, fake_zoom, clock)[0], at=after)

    row = meetings_tab(config)[ident]
    present = str(row["Present"])
    assert set(present.split("; ")) == {by_email.id, by_name.id}
    assert row["Absent"]
    assert "iPhone" in str(row["Attendance from"])
    assert "@" not in str(row["Attendance from"]) + present
    assert any(a.key == f"zoom:attendance:{ident}" for a in outcome.platforms.actions)
    fake_zoom.reset_counts()
    sync(config, setup(config, fake_zoom, clock)[0], at=after + timedelta(hours=1))
    assert sum(fake_zoom.counts.values()) == 0


def test_zooms_word_that_a_meeting_ended_early_imports_its_attendance_at_once(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    from braingain.integrations import compose
    from braingain.integrations.zoom import webhook

    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[0]
    zoom_id = zoom_id_of(config, ident)
    fake_zoom.hold_meeting(zoom_id)
    fake_zoom.add_participant(zoom_id, "iPhone")
    early = datetime.fromisoformat(ident).replace(hour=15, minute=40, tzinfo=LAGOS)  # planned to 16:30
    secret = "webhook-secret-token"
    body = json.dumps(
        {"event": "meeting.ended", "payload": {"object": {"id": zoom_id, "uuid": "abc=="}}}
    ).encode()
    stamp = str(int(early.timestamp()))
    headers = {
        "x-zm-request-timestamp": stamp,
        "x-zm-signature": webhook.signature_of(secret, stamp, body),
    }
    ended: list[str] = []

    def on_end(meeting: str, uuid: str) -> None:
        ended.append(meeting)
        compose.meeting_ended(config, meeting, at=early, platforms=setup(config, fake_zoom, clock)[0])

    answer = webhook.handle(
        headers, body, secret_token=secret, now=early, seen=webhook.ReplayGuard(), on_meeting_ended=on_end
    )

    assert answer.status == 200
    assert ended == [zoom_id]
    assert "iPhone" in str(meetings_tab(config)[ident]["Attendance from"])


def test_a_sync_stopped_before_its_write_back_is_written_back_by_the_next_without_asking_zoom_again(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from braingain.integrations.tracker.workbook import LocalWorkbook

    config = group_folder(tmp_path / "group")

    def stopped(self: LocalWorkbook, changes: object) -> tuple[()]:
        raise Crash("stopped before the write-back")

    with monkeypatch.context() as patch:
        patch.setattr(LocalWorkbook, "write", stopped)
        with pytest.raises(Crash):
            sync(config, setup(config, fake_zoom, clock)[0])
    made = len(fake_zoom.meetings())
    assert made == len(ahead(config))
    assert all(not row.get("Zoom meeting") for row in meetings_tab(config).values())
    fake_zoom.reset_counts()

    planned = sync(config, setup(config, fake_zoom, clock)[0], apply=False)
    assert not any(a.key.startswith("zoom:") for a in planned.platforms.actions)

    sync(config, setup(config, fake_zoom, clock)[0])

    assert sum(fake_zoom.counts.values()) == 0
    assert len(fake_zoom.meetings()) == made
    tab = meetings_tab(config)
    assert all(tab[i]["Zoom meeting"] for i in ahead(config))
    assert Journal.beside(config.source).empty


def test_two_groups_on_one_zoom_account_meeting_on_the_same_dates_never_touch_each_others_meetings(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    ours = synced_group(tmp_path / "ours", fake_zoom, clock)
    theirs = synced_group(tmp_path / "theirs", fake_zoom, clock)
    dates = ahead(ours)
    assert ahead(theirs) == dates
    assert len(fake_zoom.meetings()) == 2 * len(dates)
    our_links = {i: meetings_tab(ours)[i]["Join link"] for i in dates}
    assert not set(our_links.values()) & {meetings_tab(theirs)[i]["Join link"] for i in dates}

    edit_meeting(theirs, dates[0], Status="cancelled", Note="Their holiday")
    sync(theirs, setup(theirs, fake_zoom, clock)[0])

    assert {i: meetings_tab(ours)[i]["Join link"] for i in dates} == our_links
    kept = {str(m["join_url"]) for m in fake_zoom.meetings()}
    assert set(our_links.values()) <= kept
    assert len(kept) == 2 * len(dates) - 1


def test_a_host_not_on_the_zoom_account_is_named_with_how_to_fix_it_and_the_sync_exits_3(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from braingain.integrations import cli
    from braingain.integrations.config import load_config
    from braingain.integrations.zoom import conferencing

    config = group_folder(tmp_path / "group")
    assert config.source is not None
    text = config.source.read_text(encoding="utf-8")
    config.source.write_text(text + '\n[zoom]\nhost = "nobody.here@example.org"\n', encoding="utf-8")
    moved = load_config(config.source)

    def zoom_of(given: Config) -> conferencing.ZoomConferencing:
        # As zoom_for builds it, pointed at the fake.
        return conferencing.ZoomConferencing(zoom_client(fake_zoom, clock, host=given.zoom.host))

    monkeypatch.setattr(conferencing, "zoom_for", zoom_of)
    outcome = sync(moved, replace(compose.platform_setup(moved), zoom=zoom_of(moved)))
    words = plan_text.outcome_text(outcome, applied=True).plain
    assert "check host under [zoom] in braingain.toml" in words
    assert "nobody.here@example.org" not in words
    assert outcome.done is not None
    assert len(outcome.done.waiting) + len(outcome.done.failed) > len(ahead(moved))
    code = cli.main(["sync", "--config", str(moved.source), "--today", "2027-01-10"])
    assert code == cli.EXIT_PROBLEMS


def test_a_half_set_up_zoom_stops_a_sync_before_anything_but_not_a_plan_or_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from braingain.integrations import cli

    config = group_folder(tmp_path / "group")
    monkeypatch.setenv("ZOOM_ACCOUNT_ID", "an-account")
    today = ["--today", "2027-01-10"]
    assert cli.main(["plan", "--config", str(config.source), *today]) in (cli.EXIT_OK, cli.EXIT_PROBLEMS)
    assert "ZOOM_CLIENT_ID" in capsys.readouterr().out
    assert cli.main(["report", "schedule", "--config", str(config.source), *today]) in (0, 3)
    capsys.readouterr()
    before = (tmp_path / "group" / "braingain.xlsx").read_bytes()
    assert cli.main(["sync", "--config", str(config.source), *today]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert "Zoom is half configured" in err
    assert "an-account" not in err
    assert (tmp_path / "group" / "braingain.xlsx").read_bytes() == before
    assert not (config.outbox / "invitations").exists()


def test_a_refresh_finds_a_zoom_meeting_deleted_outside_braingain_and_makes_it_again(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[1]
    old = zoom_id_of(config, ident)
    assert zoom_client(fake_zoom, clock).delete_meeting(old)
    fake_zoom.reset_counts()
    assert sync(config, setup(config, fake_zoom, clock)[0]).platforms.empty  # trusted: nothing asked
    assert sum(fake_zoom.counts.values()) == 0

    planned = compose.run_sync(
        config, apply=False, at=NOON, platforms=setup(config, fake_zoom, clock)[0], refresh=True
    )
    assert [a.key for a in planned.platforms.actions if a.platform == "zoom"] == [f"zoom:create:{ident}"]
    assert any("deleted outside braingain" in n.words for n in planned.platforms.notes)
    cleared = [c for c in plan_text.outcome_data(planned)["changes"] if c["column"] == "Zoom meeting"]
    assert cleared == []  # made again by the sync: the plan does not show its link cleared
    compose.run_sync(config, apply=True, at=NOON, platforms=setup(config, fake_zoom, clock)[0], refresh=True)

    new = meetings_tab(config)[ident]
    assert new["Zoom meeting"] != old
    assert f"zoom:{ident}" in zoom_meetings(fake_zoom)
    assert str(next(iter(invitation(config, ident).walk("VEVENT")))["URL"]) == new["Join link"]
    fake_zoom.reset_counts()
    compose.run_sync(config, apply=True, at=NOON, platforms=setup(config, fake_zoom, clock)[0], refresh=True)
    assert fake_zoom.count("meetings.list") == 1
    assert sum(fake_zoom.count(r) for r in ("meetings.create", "meetings.update", "meetings.delete")) == 0


def test_a_tracker_that_cannot_be_written_after_zoom_changes_says_they_were_made_and_are_not_lost(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from braingain.integrations.tracker.workbook import LocalWorkbook, WorkbookError

    config = group_folder(tmp_path / "group")

    def locked(self: LocalWorkbook, changes: object) -> tuple[()]:
        raise WorkbookError("the workbook is open in LibreOffice", hint="close it and sync again")

    with monkeypatch.context() as patch:
        patch.setattr(LocalWorkbook, "write", locked)
        with pytest.raises(WorkbookError) as raised:
            sync(config, setup(config, fake_zoom, clock)[0])
    said = str(raised.value)
    assert said.startswith("the workbook is open in LibreOffice (close it and sync again; ")
    assert "already made" in said
    assert "without making or sending them again" in said
    fake_zoom.reset_counts()
    sync(config, setup(config, fake_zoom, clock)[0])
    assert fake_zoom.count("meetings.create") == 0
    assert all(meetings_tab(config)[i]["Zoom meeting"] for i in ahead(config))


def test_the_plan_after_a_stopped_sync_says_a_create_it_may_have_made_is_looked_for_first(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = group_folder(tmp_path / "group")
    with pytest.raises(Crash):
        sync(config, setup(config, fake_zoom, clock, stop_after=2)[0])  # the listing, then a create
    planned = sync(config, setup(config, fake_zoom, clock)[0], apply=False)
    first = next(a for a in planned.platforms.actions if a.verb == "create")
    assert "may have made it: braingain looks on Zoom first" in first.words
    others = [a for a in planned.platforms.actions if a.verb == "create" and a is not first]
    assert all("may have made it" not in a.words for a in others)


@pytest.mark.parametrize("as_typed", ["spaced", "hyphenated", "a number"])
def test_a_zoom_id_typed_as_zoom_shows_it_is_the_same_meeting_and_nothing_is_made_again(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock, as_typed: str
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[0]
    zoom_id = zoom_id_of(config, ident)
    typed: object = {
        "spaced": f"{zoom_id[:3]} {zoom_id[3:7]} {zoom_id[7:]}",
        "hyphenated": f"{zoom_id[:3]}-{zoom_id[3:7]}-{zoom_id[7:]}",
        "a number": int(zoom_id),
    }[as_typed]
    edit_meeting(config, ident, **{"Zoom meeting": typed})
    fake_zoom.reset_counts()

    again = sync(config, setup(config, fake_zoom, clock)[0])

    assert sum(fake_zoom.counts.values()) == 0
    assert again.plan.write.empty  # what the leader typed stays as typed
    assert sorted(zoom_meetings(fake_zoom)) == sorted(f"zoom:{i}" for i in ahead(config))

    fake_zoom.hold_meeting(zoom_id)
    fake_zoom.add_participant(zoom_id, "iPhone")
    sync(
        config,
        setup(config, fake_zoom, clock)[0],
        at=datetime.fromisoformat(ident).replace(hour=18, tzinfo=LAGOS),
    )
    assert "iPhone" in str(meetings_tab(config)[ident]["Attendance from"])  # read from the right meeting


def test_a_zoom_id_in_the_tracker_that_zoom_does_not_know_is_looked_for_by_key_never_made_twice(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[0]
    zoom_id = zoom_id_of(config, ident)
    edit_meeting(config, ident, **{"Zoom meeting": "89999999999"})  # a slip of the keyboard
    fake_zoom.reset_counts()

    sync(config, setup(config, fake_zoom, clock)[0])

    assert fake_zoom.count("meetings.create") == 0
    assert sorted(zoom_meetings(fake_zoom)) == sorted(f"zoom:{i}" for i in ahead(config))
    assert meetings_tab(config)[ident]["Zoom meeting"] == zoom_id
    check_zoom_holds_exactly_the_meetings_ahead(config, fake_zoom, clock)


def test_a_meeting_deleted_on_zoom_by_hand_is_made_again_once_when_it_next_changes(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[1]
    gone = zoom_id_of(config, ident)
    assert zoom_client(fake_zoom, clock).delete_meeting(gone)
    moved_to = datetime.fromisoformat(ident).replace(hour=17, tzinfo=LAGOS) + timedelta(days=1)
    edit_meeting(config, ident, Status="moved", **{"Moved to": moved_to.replace(tzinfo=None)})
    fake_zoom.reset_counts()

    sync(config, setup(config, fake_zoom, clock)[0])

    assert fake_zoom.count("meetings.create") == 1
    made = zoom_meetings(fake_zoom)[f"zoom:{ident}"]
    assert str(made["id"]) != gone
    assert meetings_tab(config)[ident]["Zoom meeting"] == str(made["id"])
    check_zoom_holds_exactly_the_meetings_ahead(config, fake_zoom, clock)


def test_a_meeting_deleted_on_zoom_by_hand_is_made_again_once_even_when_the_sync_stopped_right_after(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[0]
    zoom_client(fake_zoom, clock).delete_meeting(zoom_id_of(config, ident))
    moved_to = datetime.fromisoformat(ident).replace(hour=17, tzinfo=LAGOS)
    edit_meeting(config, ident, Status="moved", **{"Moved to": moved_to.replace(tzinfo=None)})
    with pytest.raises(Crash):  # the update found it gone, Zoom made it again; the journal never heard back
        sync(config, setup(config, fake_zoom, clock, stop_after=2)[0])

    sync(config, setup(config, fake_zoom, clock)[0])

    made = zoom_meetings(fake_zoom)[f"zoom:{ident}"]  # (a duplicate fails here)
    assert meetings_tab(config)[ident]["Zoom meeting"] == str(made["id"])
    start = datetime.fromisoformat(str(made["start_time"]).replace("Z", "+00:00"))
    assert start == moved_to.astimezone(UTC)


def test_an_invitations_folder_that_cannot_be_written_holds_back_only_the_invitations(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = group_folder(tmp_path / "group")
    config.outbox.mkdir(parents=True, exist_ok=True)
    (config.outbox / "invitations").write_text("a file where the folder should be", encoding="utf-8")

    outcome = sync(config, setup(config, fake_zoom, clock)[0])

    assert outcome.done is not None
    assert any("invitation" in why for _, why in outcome.done.failed + outcome.done.waiting)
    tab = meetings_tab(config)
    assert all(tab[i]["Zoom meeting"] for i in ahead(config))  # Zoom's ids and links are written back
    (config.outbox / "invitations").unlink()
    fake_zoom.reset_counts()

    sync(config, setup(config, fake_zoom, clock)[0])

    assert sum(fake_zoom.counts.values()) == 0
    written = sorted(p.stem for p in (config.outbox / "invitations").glob("*.ics"))
    assert written[: len(ahead(config))] == ahead(config)
    assert Journal.beside(config.source).empty


def test_two_groups_on_one_zoom_account_each_get_their_own_meetings(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    first = synced_group(tmp_path / "first", fake_zoom, clock)
    second = group_folder(tmp_path / "second")

    sync(second, setup(second, fake_zoom, clock)[0])

    wanted = ahead(first)
    assert len(fake_zoom.meetings()) == 2 * len(wanted)
    ids_first = {meetings_tab(first)[i]["Zoom meeting"] for i in wanted}
    ids_second = {meetings_tab(second)[i]["Zoom meeting"] for i in wanted}
    assert not ids_first & ids_second


def test_attendance_zoom_has_no_record_of_yet_is_asked_again_by_the_next_sync_not_recorded_as_not_held(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident, zoom_id = first_ahead(config)
    ended = datetime.fromisoformat(ident).replace(hour=16, minute=35, tzinfo=LAGOS)  # Zoom: no report yet

    sync(config, setup(config, fake_zoom, clock)[0], at=ended)

    assert not meetings_tab(config)[ident]["Attendance from"]
    fake_zoom.hold_meeting(zoom_id)  # Zoom's report is ready
    fake_zoom.add_participant(zoom_id, "iPhone")
    sync(config, setup(config, fake_zoom, clock)[0], at=ended + timedelta(minutes=30))
    assert "iPhone" in str(meetings_tab(config)[ident]["Attendance from"])


def test_a_meeting_zoom_still_has_no_record_of_a_day_after_its_end_is_recorded_as_not_held_once(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[0]
    later = datetime.fromisoformat(ident).replace(hour=18, tzinfo=LAGOS) + timedelta(days=1)

    sync(config, setup(config, fake_zoom, clock)[0], at=later)

    assert "no record" in str(meetings_tab(config)[ident]["Attendance from"])
    fake_zoom.reset_counts()
    sync(config, setup(config, fake_zoom, clock)[0], at=later + timedelta(hours=1))
    assert fake_zoom.count("report.participants") + fake_zoom.count("past_meetings.participants") == 0


def test_a_cancelled_meeting_restored_gets_one_new_zoom_meeting_and_a_new_invitation_with_its_link(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    ident = ahead(config)[0]
    edit_meeting(config, ident, Status="cancelled", Note="Strike")
    sync(config, setup(config, fake_zoom, clock)[0])
    edit_meeting(config, ident, Status="scheduled", Note=None)

    sync(config, setup(config, fake_zoom, clock)[0])

    made = zoom_meetings(fake_zoom)[f"zoom:{ident}"]
    assert meetings_tab(config)[ident]["Zoom meeting"] == str(made["id"])
    calendar = invitation(config, ident)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("SEQUENCE") == 2
    assert str(event["URL"]) == made["join_url"]
    fake_zoom.reset_counts()
    sync(config, setup(config, fake_zoom, clock)[0])
    assert sum(fake_zoom.counts.values()) == 0


def test_zooms_daily_limit_holds_creates_and_updates_but_not_a_deletion(
    tmp_path: Path, fake_zoom: FakeZoom, clock: Clock
) -> None:
    config = synced_group(tmp_path / "group", fake_zoom, clock)
    first, second = ahead(config)[:2]
    moved_to = datetime.fromisoformat(first).replace(hour=17, tzinfo=LAGOS)
    edit_meeting(config, first, Status="moved", **{"Moved to": moved_to.replace(tzinfo=None)})
    fake_zoom.faults.add("meetings.update", fake_zoom.daily_cap(), times=1)
    sync(config, setup(config, fake_zoom, clock)[0])  # the update meets the daily limit
    edit_meeting(config, second, Status="cancelled", Note="Holiday")
    fake_zoom.reset_counts()

    outcome = sync(config, setup(config, fake_zoom, clock)[0], at=NOON + timedelta(hours=1))

    assert fake_zoom.count("meetings.delete") == 1
    assert fake_zoom.count("meetings.update") == 0
    assert f"zoom:{second}" not in zoom_meetings(fake_zoom)
    assert outcome.done is not None
    assert [key.rsplit(":", 1)[0] for key, _ in outcome.done.waiting] == [f"zoom:update:{first}"]


def test_the_schedule_report_shows_a_cancelled_meeting_as_cancelled_and_a_moved_one_at_its_new_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from braingain.integrations import cli

    config = group_folder(tmp_path / "group")
    first, second = ahead(config)[:2]
    moved_to = datetime.fromisoformat(second).replace(hour=17) + timedelta(days=1)
    edit_meeting(config, first, Status="cancelled", Note="Public holiday")
    edit_meeting(config, second, Status="moved", **{"Moved to": moved_to})
    cli.main(["report", "schedule", "--config", str(config.source), "--today", "2027-01-10"])
    shown = capsys.readouterr().out
    assert "(cancelled)" in shown
    assert "is cancelled: Public holiday." in shown
    assert "(moved)" in shown
    assert "moved to Sunday" in shown
    assert "Sun 17:00" in shown  # a member in Lagos sees the new time
