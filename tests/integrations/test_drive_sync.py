"""Drive in the sync, as the engine drives the core's port (a Drive in memory): the folder tree made
once, permissions that follow the roster, shares made by hand left alone, minutes saved as Docs,
and nothing made twice whatever call a sync stops after."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from braingain.core.drive.folders import DrivePolicy, desired_folders
from braingain.integrations import compose
from braingain.integrations.config import Config
from braingain.integrations.engine import platforms as engine
from braingain.integrations.engine.drive import DriveSetup
from braingain.integrations.engine.journal import Journal
from braingain.integrations.errors import PlatformError
from tests.fakes.drive import MemoryDrive
from tests.fakes.zoom_support import Clock
from tests.integrations.platform_support import NOON, Crash, Stopper, edit_row, group_folder, setup, tab_rows

LEAVER = "ngozi.ukpebor"
"""A member who works on the systematic review (sr-migration) and is not a leader."""


def platforms(config: Config, drive: MemoryDrive, policy: DrivePolicy | None = None) -> engine.Setup:
    made, _ = setup(config, None, Clock())
    return replace(made, drive=DriveSetup(drive, policy or DrivePolicy(), live=True))


def sync(
    config: Config, drive: MemoryDrive, at: datetime = NOON, *, policy: DrivePolicy | None = None
) -> compose.SyncOutcome:
    return compose.run_sync(config, apply=True, at=at, platforms=platforms(config, drive, policy))


def plan(
    config: Config,
    drive: MemoryDrive,
    at: datetime = NOON,
    *,
    refresh: bool = False,
    policy: DrivePolicy | None = None,
) -> compose.SyncOutcome:
    made = platforms(config, drive, policy)
    return compose.run_sync(config, apply=False, at=at, platforms=made, refresh=refresh)


def drive_actions(outcome: compose.SyncOutcome) -> list[str]:
    return [a.key for a in outcome.platforms.actions if a.platform == "drive"]


def email_of(config: Config, member: str) -> str:
    return str(tab_rows(config, "Members")[member]["Email"])


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return group_folder(tmp_path / "group")


def test_a_plan_lists_the_folders_shares_and_minutes_and_asks_drive_nothing(config: Config) -> None:
    drive = MemoryDrive()
    planned = plan(config, drive)
    keys = drive_actions(planned)
    assert "drive:folder:root" in keys
    assert "drive:folder:sr-migration/minutes" in keys
    assert f"drive:share:sr-migration:{LEAVER}:writer" in keys
    assert any(k.startswith("drive:minutes:") for k in keys)
    assert drive.calls == []
    assert drive.files == {}


def test_a_sync_makes_the_tree_once_and_the_next_sync_asks_drive_nothing(config: Config) -> None:
    drive = MemoryDrive()
    first = sync(config, drive)
    assert first.done is not None
    assert not first.done.failed
    assert not first.done.waiting
    group = first.read.group
    for folder in desired_folders(group, DrivePolicy()):
        made = drive.by_key(folder.key)
        assert len(made) == 1, folder.key
        assert made[0].name == folder.name
        parent = drive.folder(folder.parent).id if folder.parent else None
        assert made[0].parent == parent
    calls = list(drive.calls)
    assert calls.count("new_ids") == 1, "one request for every id the sync creates with"
    again = sync(config, drive, NOON + timedelta(hours=1))
    assert drive.calls == calls
    assert drive_actions(again) == []


def test_links_to_each_project_folder_and_minutes_doc_are_written_to_the_tracker(config: Config) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    projects = tab_rows(config, "Projects")
    assert projects["sr-migration"]["Folder"] == drive.folder("sr-migration").stored().url
    meetings = tab_rows(config, "Meetings")
    doc = drive.folder("minutes:2027-01-02")
    assert meetings["2027-01-02"]["Minutes doc"] == doc.stored().url
    assert doc.parent == drive.folder("minutes").id, "a meeting about no one project: the group's Minutes"
    assert "Reviewed progress" in doc.content
    assert not meetings["2027-01-16"]["Minutes doc"], "no minutes yet, no Doc"


def test_the_project_folder_is_shared_with_its_people_and_the_tree_with_the_leaders(config: Config) -> None:
    drive = MemoryDrive()
    outcome = sync(config, drive)
    group = outcome.read.group
    leaders = {m.email.address: "writer" for m in group.members.values() if m.is_leader and m.email}
    assert drive.writers("root") == leaders
    review = drive.writers("sr-migration")
    assert review[email_of(config, LEAVER)] == "writer"
    assert not set(review) & set(leaders), "leaders already write there through the group's folder"
    assert drive.writers("cohort-careers") == {}, "only leaders work on it: they have it from above"
    assert set(drive.writers("minutes").values()) == {"reader"}
    assert all(p.kind == "user" for f in drive.files.values() for p in f.permissions), "never anyone"


def test_whether_drive_emails_a_person_follows_the_configuration(config: Config) -> None:
    quiet, told = MemoryDrive(), MemoryDrive()
    sync(config, quiet, policy=DrivePolicy(notify=False))
    assert quiet.notified
    assert not any(quiet.notified)
    other = group_folder(config.source.parent.parent / "other") if config.source else config
    sync(other, told)
    assert told.notified
    assert all(told.notified)


def test_a_member_who_leaves_loses_what_braingain_gave_and_keeps_what_a_person_gave(config: Config) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    leaver = email_of(config, LEAVER)
    drive.share_by_hand("sr-migration", "statistician@example.org", "commenter")
    drive.share_by_hand("minutes", leaver, "writer")  # a leader gave them the minutes by hand
    edit_row(config, "Members", LEAVER, {"Left": date(2027, 1, 11), "Active": False})
    later = NOON + timedelta(days=2)
    planned = plan(config, drive, later)
    assert f"drive:unshare:sr-migration:{LEAVER}" in drive_actions(planned)
    sync(config, drive, later)
    assert leaver not in drive.writers("sr-migration")
    assert drive.writers("sr-migration")["statistician@example.org"] == "commenter"
    assert drive.writers("minutes")[leaver] == "writer", "a share made by hand is never removed"
    notes = " ".join(n.words for n in plan(config, drive, later).platforms.notes)
    assert "by hand" in notes
    assert "statistician" not in notes, "never an email address"


def test_a_share_made_by_hand_is_shown_in_plan_refresh(config: Config) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    drive.share_by_hand("cohort-careers", "", "reader", kind="anyone")
    before = len(drive.calls)
    shown = plan(config, drive, refresh=True)
    notes = [n.words for n in shown.platforms.notes if n.platform == "drive"]
    assert any("anyone with the link" in n and "cohort-careers" in n for n in notes)
    assert "drive:unshare" not in " ".join(drive_actions(shown))
    assert len(drive.calls) > before
    assert set(drive.calls[before:]) == {"look", "shares"}, "refresh looks; it changes nothing"


def test_a_folder_deleted_by_hand_is_found_by_a_refresh_and_made_again_once_with_its_shares(
    config: Config,
) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    before = drive.writers("sr-migration")
    drive.delete_by_hand("sr-migration")
    assert drive_actions(plan(config, drive)) == [], "without a refresh braingain asks Drive nothing"
    shown = plan(config, drive, refresh=True)
    notes = [n.words for n in shown.platforms.notes if n.platform == "drive"]
    assert any(n.startswith("Found on Drive: the folder 'sr-migration") for n in notes)
    assert "drive:folder:sr-migration" in drive_actions(shown)
    assert "drive:folder:sr-migration/minutes" in drive_actions(shown)
    compose.run_sync(config, apply=True, at=NOON, platforms=platforms(config, drive), refresh=True)
    assert len(drive.by_key("sr-migration")) == 1
    assert len(drive.by_key("sr-migration/minutes")) == 1
    assert drive.writers("sr-migration") == before
    assert drive_actions(plan(config, drive, refresh=True)) == []


def test_a_member_who_joins_the_group_is_given_the_minutes(config: Config) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    edit_row(
        config,
        "Members",
        None,
        {
            "ID": "new.member",
            "Given names": "New",
            "Surname": "Member",
            "Email": "new.member@example.org",
            "Role": "member",
            "Time zone": "Europe/London",
            "Joined": date(2027, 1, 11),
        },
    )
    later = NOON + timedelta(days=2)
    sync(config, drive, later)
    assert drive.writers("minutes")["new.member@example.org"] == "reader"


def test_corrected_minutes_replace_the_doc_unless_a_person_edited_it(config: Config) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    doc = drive.folder("minutes:2027-01-02")
    edit_row(config, "Meetings", "2027-01-02", {"Minutes": "Corrected: reviewed the protocol."})
    sync(config, drive, NOON + timedelta(hours=1))
    assert drive.by_key("minutes:2027-01-02") == [doc]
    assert doc.content == "Corrected: reviewed the protocol."
    drive.edit(doc.id, "A person's own notes")
    edit_row(config, "Meetings", "2027-01-02", {"Minutes": "Corrected twice."})
    sync(config, drive, NOON + timedelta(hours=2))
    docs = drive.by_key("minutes:2027-01-02")
    assert len(docs) == 2
    assert doc.content == "A person's own notes", "what a person typed is never written over"
    newer = next(d for d in docs if d is not doc)
    assert newer.content == "Corrected twice."
    assert "corrected" in newer.name
    assert tab_rows(config, "Meetings")["2027-01-02"]["Minutes doc"] == newer.stored().url


def test_corrected_minutes_replace_the_doc_once_drives_search_sees_it_without_searching(
    config: Config,
) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    doc = drive.folder("minutes:2027-01-02")
    drive.index()  # days later: a search would find the Doc the corrected minutes replace
    edit_row(config, "Meetings", "2027-01-02", {"Minutes": "Corrected: reviewed the protocol."})
    before = len(drive.calls)
    sync(config, drive, NOON + timedelta(hours=1))
    assert doc.content == "Corrected: reviewed the protocol.", "never taken for made already"
    assert "find" not in drive.calls[before:]
    assert drive.by_key("minutes:2027-01-02") == [doc]


def test_minutes_of_a_meeting_about_a_project_go_in_its_minutes_folder(config: Config) -> None:
    edit_row(config, "Meetings", "2027-01-02", {"Project": "cohort-careers"})
    drive = MemoryDrive()
    sync(config, drive)
    assert drive.folder("minutes:2027-01-02").parent == drive.folder("cohort-careers/minutes").id


def _stopped_then_finished(tmp_path: Path, stop_after: int) -> MemoryDrive:
    config = group_folder(tmp_path / f"stop-{stop_after}")
    drive = MemoryDrive(stopper=Stopper(stop_after))
    with pytest.raises(Crash):
        sync(config, drive, policy=DrivePolicy(stage_folders=False))
    drive.stopper = Stopper()
    sync(config, drive, NOON + timedelta(minutes=5), policy=DrivePolicy(stage_folders=False))
    later = plan(config, drive, NOON + timedelta(minutes=10), policy=DrivePolicy(stage_folders=False))
    assert drive_actions(later) == [], f"stopped after {stop_after}"
    return drive


def _shape(drive: MemoryDrive) -> Counter[tuple[str, str, str]]:
    """Every file by key, and every permission on it, counted (ids left out: they differ per run)."""
    found: Counter[tuple[str, str, str]] = Counter()
    for made in drive.files.values():
        found[(made.key, "file", made.name)] += 1
        for p in made.permissions:
            found[(made.key, p.email, p.role)] += 1
    return found


def test_a_sync_stopped_after_any_drive_call_is_finished_by_the_next_and_nothing_is_made_twice(
    tmp_path: Path,
) -> None:
    whole = group_folder(tmp_path / "whole")
    drive = MemoryDrive()
    sync(whole, drive, policy=DrivePolicy(stage_folders=False))
    expected = _shape(drive)
    calls = len(drive.stopper.calls)
    assert calls >= 20
    for stop_after in range(1, calls + 1):
        assert _shape(_stopped_then_finished(tmp_path, stop_after)) == expected, f"stopped after {stop_after}"


def test_folders_whose_journal_and_memory_were_lost_are_found_by_their_key_not_made_again(
    config: Config,
) -> None:
    drive = MemoryDrive(stopper=Stopper(6))
    with pytest.raises(Crash):
        sync(config, drive)
    journal = Journal.beside(config.source).path
    assert journal is not None
    journal.unlink()
    drive.stopper = Stopper()
    drive.index()  # minutes later: Drive's search sees them
    sync(config, drive, NOON + timedelta(minutes=30))
    assert all(len(drive.by_key(f.key)) == 1 for f in desired_folders(compose_group(config), DrivePolicy()))


def compose_group(config: Config):  # type: ignore[no-untyped-def]
    return compose.run_sync(
        config, apply=False, at=NOON, platforms=setup(config, None, Clock())[0]
    ).read.group


class Refused(PlatformError):
    outcome_known = True
    halts = True


def test_drive_refusing_stops_only_drive_whose_actions_wait_for_the_next_sync(config: Config) -> None:
    drive = MemoryDrive(
        fail=lambda what: Refused("Google refused braingain's sign-in") if what == "share" else None
    )
    outcome = sync(config, drive)
    assert outcome.done is not None
    waiting = [key for key, _ in outcome.done.waiting]
    assert any(k.startswith("drive:share:") for k in waiting) or outcome.done.failed
    assert any(k.startswith("drive:minutes:") for k in waiting)
    drive.fail = lambda _: None
    sync(config, drive, NOON + timedelta(hours=1))
    assert drive.writers("sr-migration")
    assert drive.by_key("minutes:2027-01-02")


def _stop_at(label: str, but: str = "") -> Stopper:
    """Stops the sync dead right after the first call whose description starts with ``label`` (and
    names ``but``)."""

    class At(Stopper):
        def tick(self, what: str) -> None:
            self.calls.append(what)
            if what.startswith(label) and but in what and not any("stopped" in c for c in self.calls):
                self.calls.append("stopped")
                raise Crash(f"stopped after {what}")

    return At()


def test_a_share_whose_answer_was_lost_stays_braingains_and_is_removed_when_the_member_leaves(
    config: Config,
) -> None:
    quick = DrivePolicy(stage_folders=False)
    drive = MemoryDrive(stopper=_stop_at("share", "Ngozi"))
    with pytest.raises(Crash):
        sync(config, drive, policy=quick)
    drive.stopper = Stopper()
    sync(config, drive, NOON + timedelta(minutes=5), policy=quick)
    leaver = email_of(config, LEAVER)
    assert leaver in drive.writers("sr-migration") or leaver in drive.writers("minutes")
    edit_row(config, "Members", LEAVER, {"Left": date(2027, 1, 11), "Active": False})
    later = NOON + timedelta(days=2)
    sync(config, drive, later, policy=quick)
    assert leaver not in drive.writers("minutes")
    assert leaver not in drive.writers("sr-migration")
    notes = " ".join(n.words for n in plan(config, drive, later, policy=quick).platforms.notes)
    assert "by hand" not in notes, "braingain's own share is never taken for one made by hand"


def test_corrected_minutes_whose_replacement_answer_was_lost_are_replaced_again_never_copied(
    config: Config,
) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    edit_row(config, "Meetings", "2027-01-02", {"Minutes": "Corrected: reviewed the protocol."})
    drive.stopper = _stop_at("replace")
    with pytest.raises(Crash):
        sync(config, drive, NOON + timedelta(hours=1))
    drive.stopper = Stopper()
    sync(config, drive, NOON + timedelta(hours=2))
    (doc,) = drive.by_key("minutes:2027-01-02")
    assert doc.content == "Corrected: reviewed the protocol."


def test_a_project_folder_deleted_on_drive_then_renamed_comes_back_whole_with_its_shares(
    config: Config,
) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    before = drive.writers("sr-migration")
    drive.delete_by_hand("sr-migration")
    edit_row(config, "Projects", "sr-migration", {"Title": "A new title"})
    sync(config, drive, NOON + timedelta(hours=1))  # the rename finds it gone
    sync(config, drive, NOON + timedelta(hours=2))
    assert drive.folder("sr-migration").name == "sr-migration A new title"
    assert len(drive.by_key("sr-migration/minutes")) == 1
    assert len(drive.by_key("sr-migration/stage:protocol")) == 1
    assert drive.writers("sr-migration") == before
    assert drive_actions(plan(config, drive, NOON + timedelta(hours=3))) == []


def test_minutes_of_a_meeting_later_given_a_project_are_saved_in_its_folder(config: Config) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    edit_row(config, "Meetings", "2027-01-02", {"Project": "sr-migration"})
    sync(config, drive, NOON + timedelta(hours=1))
    docs = drive.by_key("minutes:2027-01-02")
    moved = [d for d in docs if d.parent == drive.folder("sr-migration/minutes").id]
    assert len(moved) == 1
    assert tab_rows(config, "Meetings")["2027-01-02"]["Minutes doc"] == moved[0].stored().url


def test_leaders_get_the_configured_role_and_project_folders_then_share_with_them_as_writers(
    config: Config,
) -> None:
    drive = MemoryDrive()
    outcome = sync(config, drive, policy=DrivePolicy(leaders="reader"))
    group = outcome.read.group
    leaders = {m.email.address for m in group.members.values() if m.is_leader and m.email}
    assert drive.writers("root") == dict.fromkeys(leaders, "reader")
    working = set(drive.writers("sr-migration"))
    assert leaders & working, "a leader who works on the project writes there, shared directly"
    assert all(drive.writers("sr-migration")[e] == "writer" for e in leaders & working)


def test_after_a_first_sync_a_refresh_finds_no_share_made_by_hand(config: Config) -> None:
    drive = MemoryDrive()
    sync(config, drive)
    shown = plan(config, drive, refresh=True)
    assert [n.words for n in shown.platforms.notes if n.platform == "drive"] == []
    assert drive_actions(shown) == []
