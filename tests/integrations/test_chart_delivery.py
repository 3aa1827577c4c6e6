"""Each active project's Gantt chart delivered by the sync, as the engine drives the core's ports (a
Drive and a Slack in memory): saved in the project's folder (PNG and SVG) and saved again only when
the chart's data changes; shared in reply to the weekly group digest once; nothing twice whatever
call a sync stops after; nothing asked of anyone by a sync with nothing new."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from braingain.core.drive.folders import DrivePolicy
from braingain.core.messaging.due import MessagePolicy
from braingain.integrations import compose
from braingain.integrations.config import Config
from braingain.integrations.engine import platforms as engine
from braingain.integrations.engine.drive import DriveSetup
from braingain.integrations.engine.journal import Journal
from braingain.integrations.engine.messages import Messaging
from tests.fakes.drive import MemoryDrive
from tests.fakes.messaging import RecordingChat, RecordingMail
from tests.fakes.zoom_support import Clock
from tests.integrations.chart_support import CountingSource
from tests.integrations.platform_support import NOON, Crash, Stopper, edit_row, group_folder, setup

MONDAY = NOON + timedelta(days=1)
"""The weekly group digest is due (the sample group's digest moment passed)."""
POLICY = DrivePolicy(stage_folders=False)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def platforms(
    config: Config,
    *,
    drive: MemoryDrive | None = None,
    chat: RecordingChat | None = None,
    charts: CountingSource | None = None,
) -> engine.Setup:
    made, _ = setup(config, None, Clock())
    source = charts if charts is not None else CountingSource()
    slot = config.settings.slot
    messaging = (
        Messaging(
            chat=chat,
            mail=RecordingMail(),
            policy=MessagePolicy(zone=slot.zone if slot is not None else None),
            live=True,
            charts=source,
        )
        if chat is not None
        else None
    )
    drive_setup = DriveSetup(drive, POLICY, live=True, charts=source) if drive is not None else None
    return replace(made, drive=drive_setup, messaging=messaging)


def sync(config: Config, at: datetime = NOON, **ports: object) -> compose.SyncOutcome:
    return compose.run_sync(config, apply=True, at=at, platforms=platforms(config, **ports))  # type: ignore[arg-type]


def plan(config: Config, at: datetime = NOON, **ports: object) -> compose.SyncOutcome:
    return compose.run_sync(config, apply=False, at=at, platforms=platforms(config, **ports))  # type: ignore[arg-type]


def keys(outcome: compose.SyncOutcome, prefix: str) -> list[str]:
    return [a.key for a in outcome.platforms.actions if a.key.startswith(prefix)]


def charts_on(drive: MemoryDrive) -> dict[str, tuple[str, bytes, int]]:
    """Each file braingain kept in a project's folder: name -> (its folder's key, bytes, version)."""
    folders = {f.id: f.key for f in drive.files.values() if f.folder}
    return {
        f.name: (folders[f.parent or ""], f.data, f.version)
        for f in drive.files.values()
        if f.key.startswith("file:")
    }


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return group_folder(tmp_path / "group")


# -- Drive -----------------------------------------------------------------------------------


def test_a_plan_names_each_projects_chart_for_its_folder_and_draws_and_asks_nothing(config: Config) -> None:
    drive, charts = MemoryDrive(), CountingSource()
    planned = plan(config, drive=drive, charts=charts)
    files = keys(planned, "drive:file:")
    group = planned.read.group
    for project in group.projects:
        if group.project_tasks(project):
            assert any(k.startswith(f"drive:file:{project}:gantt-{project}.png:") for k in files)
            assert any(k.startswith(f"drive:file:{project}:gantt-{project}.svg:") for k in files)
    words = [a.words for a in planned.platforms.actions if a.key.startswith("drive:file:")]
    assert any("the Gantt chart of" in w and "in the folder of" in w for w in words)
    assert drive.calls == []
    assert charts.drawn == [], "planning fingerprints the charts; it draws none"


def test_a_sync_saves_each_chart_in_its_project_folder_as_png_and_svg_drawn_once(config: Config) -> None:
    drive, charts = MemoryDrive(), CountingSource()
    outcome = sync(config, drive=drive, charts=charts)
    assert outcome.done is not None
    assert not outcome.done.failed
    assert not outcome.done.waiting
    saved = charts_on(drive)
    group = outcome.read.group
    projects = sorted(p for p in group.projects if group.project_tasks(p))
    assert projects
    for project in projects:
        folder, png, version = saved[f"gantt-{project}.png"]
        assert (folder, version) == (project, 1)
        assert png.startswith(PNG_SIGNATURE)
        folder, svg, _ = saved[f"gantt-{project}.svg"]
        assert folder == project
        texts = {t.text for t in ET.fromstring(svg).iter() if t.text}
        titles = {t.title for t in group.project_tasks(project)}
        assert titles <= texts, "the chart shows the project's tasks"
    assert sorted(charts.drawn) == projects, "each chart drawn once for its PNG and its SVG"


def test_the_next_sync_and_the_next_day_ask_drive_nothing_and_draw_nothing(config: Config) -> None:
    drive = MemoryDrive()
    sync(config, drive=drive)
    calls = list(drive.calls)
    charts = CountingSource()
    sync(config, NOON + timedelta(days=1, hours=2), drive=drive, charts=charts)
    assert drive.calls == calls, "the chart of a project that did not change is not saved again"
    assert charts.drawn == []


def test_a_changed_project_has_its_chart_replaced_in_place_and_the_others_are_left(config: Config) -> None:
    drive = MemoryDrive()
    outcome = sync(config, drive=drive)
    group = outcome.read.group
    task = sorted(group.project_tasks(next(iter(sorted(group.projects)))), key=lambda t: t.id)[0]
    before = {name: (f.id, f.version) for name, f in ((f.name, f) for f in drive.files.values())}
    edit_row(config, "Tasks", task.id, {"Title": "A retitled task"})
    charts = CountingSource()
    later = sync(config, NOON + timedelta(hours=1), drive=drive, charts=charts)
    assert later.done is not None
    assert not later.done.failed
    assert charts.drawn == [task.project_id]
    for made in drive.files.values():
        if made.key.startswith("file:"):
            ident, version = before[made.name]
            assert made.id == ident, "a new version of the same file: its link stays"
            changed = made.name.startswith(f"gantt-{task.project_id}.")
            assert made.version == (version + 1 if changed else version), made.name
    svg = next(f.data for f in drive.files.values() if f.name == f"gantt-{task.project_id}.svg")
    assert b"A retitled task" in svg


def test_a_chart_deleted_on_drive_is_saved_again_when_it_changes(config: Config) -> None:
    drive = MemoryDrive()
    outcome = sync(config, drive=drive)
    task = sorted(outcome.read.group.tasks.values(), key=lambda t: t.id)[0]
    gone = next(f.id for f in drive.files.values() if f.name == f"gantt-{task.project_id}.png")
    del drive.files[gone]
    edit_row(config, "Tasks", task.id, {"Title": "A retitled task"})
    sync(config, NOON + timedelta(hours=1), drive=drive)
    assert [f.name for f in drive.files.values()].count(f"gantt-{task.project_id}.png") == 1


def test_a_project_that_ended_has_no_chart(config: Config) -> None:
    drive = MemoryDrive()
    group = plan(config, drive=drive).read.group
    ended = sorted(p for p in group.projects if group.project_tasks(p))[0]
    edit_row(config, "Projects", ended, {"End": date(2027, 1, 1)})
    files = keys(plan(config, drive=drive), "drive:file:")
    assert not any(k.startswith(f"drive:file:{ended}:") for k in files)
    assert files


def _drive_shape(drive: MemoryDrive) -> Counter[tuple[str, str, bytes]]:
    return Counter((f.key, f.name, f.data) for f in drive.files.values())


def test_a_sync_stopped_after_any_drive_call_saves_each_chart_once(tmp_path: Path) -> None:
    whole = group_folder(tmp_path / "whole")
    drive = MemoryDrive()
    sync(whole, drive=drive)
    expected = _drive_shape(drive)
    assert sum(1 for key, _, _ in expected if key.startswith("file:")) >= 2
    calls = len(drive.stopper.calls)
    for stop_after in range(1, calls + 1):
        config = group_folder(tmp_path / f"stop-{stop_after}")
        stopped = MemoryDrive(stopper=Stopper(stop_after))
        with pytest.raises(Crash):
            sync(config, drive=stopped)
        stopped.stopper = Stopper()
        sync(config, NOON + timedelta(minutes=5), drive=stopped)
        assert keys(plan(config, NOON + timedelta(minutes=10), drive=stopped), "drive:") == []
        assert _drive_shape(stopped) == expected, f"stopped after {stop_after}"


# -- the group digest --------------------------------------------------------------------------


def test_the_group_digest_is_followed_by_each_active_projects_chart_in_its_thread(config: Config) -> None:
    chat = RecordingChat()
    outcome = sync(config, MONDAY, chat=chat)
    assert outcome.done is not None
    assert not outcome.done.failed
    assert not outcome.done.waiting
    digest = next(p for p in chat.posts if p.key.startswith("group-digest:"))
    group = outcome.read.group
    projects = sorted(p for p in group.projects if group.project_tasks(p))
    shared = [(c, t, u.name) for c, t, u in chat.attachments]
    assert shared == [(digest.channel, digest.ts, f"gantt-{p}.png") for p in projects]
    for _, _, upload in chat.attachments:
        assert upload.data.startswith(PNG_SIGNATURE)
        assert upload.mime == "image/png"
        assert upload.title.startswith("Gantt chart of ")
        assert upload.alt.startswith("Gantt chart of ")
    again = sync(config, MONDAY + timedelta(hours=1), chat=chat)
    assert keys(again, "slack:") == []
    assert len(chat.attachments) == len(projects)


def test_no_chart_is_shared_before_the_digest_is_due_and_a_quiet_sync_asks_slack_nothing(
    config: Config,
) -> None:
    chat = RecordingChat()
    sync(config, MONDAY, chat=chat)
    calls = list(chat.stopper.calls)
    charts = CountingSource()
    sync(config, MONDAY + timedelta(days=1), chat=chat, charts=charts)
    assert chat.stopper.calls == calls
    assert charts.drawn == []


def _chat_shape(chat: RecordingChat) -> Counter[tuple[str, str]]:
    return Counter([("post", p.key) for p in chat.posts] + [("file", u.name) for _, _, u in chat.attachments])


def test_a_sync_stopped_after_any_slack_call_shares_each_chart_once_in_the_digests_thread(
    tmp_path: Path,
) -> None:
    whole = group_folder(tmp_path / "whole")
    chat = RecordingChat()
    sync(whole, MONDAY, chat=chat)
    expected = _chat_shape(chat)
    calls = chat.stopper.calls
    wanted = [n for n, c in enumerate(calls, 1) if c.startswith("attach ") or "group-digest:" in c]
    assert len(wanted) >= 2
    for stop_after in wanted:
        config = group_folder(tmp_path / f"stop-{stop_after}")
        stopped = RecordingChat(stopper=Stopper(stop_after))
        with pytest.raises(Crash):
            sync(config, MONDAY, chat=stopped)
        stopped.stopper = Stopper()
        sync(config, MONDAY + timedelta(minutes=5), chat=stopped)
        assert keys(plan(config, MONDAY + timedelta(minutes=10), chat=stopped), "slack:") == []
        assert _chat_shape(stopped) == expected, f"stopped after {calls[stop_after - 1]}"
        digest = next(p for p in stopped.posts if p.key.startswith("group-digest:"))
        assert {(c, t) for c, t, _ in stopped.attachments} == {(digest.channel, digest.ts)}


def _stopped_after_the_first_upload(config: Config) -> tuple[RecordingChat, RecordingChat]:
    """A whole sync of another copy of the group (what it shares), and this group's sync stopped dead
    right after Slack took its first chart (the journal never heard back)."""
    whole = RecordingChat()
    sync(group_folder(config.source.parent.parent / "probe"), MONDAY, chat=whole)  # type: ignore[union-attr]
    first = next(n for n, c in enumerate(whole.stopper.calls, 1) if c.startswith("attach "))
    chat = RecordingChat(stopper=Stopper(first))
    with pytest.raises(Crash):
        sync(config, MONDAY, chat=chat)
    return whole, chat


def test_an_upload_whose_answer_was_lost_is_looked_for_in_the_thread_not_shared_again(config: Config) -> None:
    calls, chat = _stopped_after_the_first_upload(config)
    lost = [e for e in Journal.beside(config.source).entries() if e.verb == "attach" and e.unknown]
    assert len(lost) == 1
    chat.stopper = Stopper()
    looks = chat.looks
    outcome = sync(config, MONDAY + timedelta(minutes=5), chat=chat)
    assert chat.looks == looks + 1, "one look in the thread"
    assert outcome.done is not None
    assert any("found in the digest's thread" in d.words for d in outcome.done.done)
    assert Counter(u.name for _, _, u in chat.attachments) == Counter(u.name for _, _, u in calls.attachments)


def test_a_chart_that_changed_after_its_upload_lost_its_answer_is_still_found_not_shared_again(
    config: Config,
) -> None:
    probe, chat = _stopped_after_the_first_upload(config)
    project = chat.attachments[-1][2].name.removeprefix("gantt-").removesuffix(".png")
    group = plan(config, MONDAY, chat=RecordingChat()).read.group
    task = sorted(group.project_tasks(project), key=lambda t: t.id)[0]  # type: ignore[arg-type]
    edit_row(config, "Tasks", task.id, {"Title": "A retitled task"})
    chat.stopper = Stopper()
    sync(config, MONDAY + timedelta(minutes=5), chat=chat)
    assert Counter(u.name for _, _, u in chat.attachments) == Counter(u.name for _, _, u in probe.attachments)
    left = [e.key for e in Journal.beside(config.source).entries() if e.verb == "attach"]
    assert left == [], "the lost upload of the old version is settled with the chart"
