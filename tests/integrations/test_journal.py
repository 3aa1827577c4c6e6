"""The sync's journal: every platform action recorded before and after, kept on disk with the group."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from braingain.core.platforms import Action
from braingain.integrations.engine.journal import Journal, JournalError

AT = datetime(2027, 1, 1, 12, tzinfo=UTC)


def act(key: str = "zoom:create:2027-01-16") -> Action[object]:
    return Action(key, "zoom", "create", "2027-01-16", "create the Zoom meeting", None)


def test_an_action_started_and_never_answered_is_read_back_as_unknown(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    journal.start(act(), at=AT)
    again = Journal(tmp_path / "journal.jsonl")
    entry = again.get("zoom:create:2027-01-16")
    assert entry is not None
    assert entry.unknown
    assert not entry.done


def test_an_answered_action_is_read_back_with_its_result(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    journal.start(act(), at=AT)
    journal.finish(act(), {"id": "85", "join_url": "https://z/j/85"}, at=AT)
    (entry,) = Journal(tmp_path / "journal.jsonl").done()
    assert entry.result == {"id": "85", "join_url": "https://z/j/85"}
    assert (entry.platform, entry.verb, entry.subject) == ("zoom", "create", "2027-01-16")


def test_a_refused_action_is_recorded_as_failed_not_done(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    journal.start(act(), at=AT)
    journal.fail(act(), "Zoom refused it (300: invalid time)", at=AT)
    entry = Journal(tmp_path / "journal.jsonl").get("zoom:create:2027-01-16")
    assert entry is not None
    assert entry.step == "failed"
    assert "invalid time" in entry.error


def test_settling_forgets_the_results_and_removes_an_empty_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = Journal(path)
    journal.finish(act("a"), {}, at=AT)
    journal.finish(act("b"), {}, at=AT)
    journal.settle(["a"])
    assert [e.key for e in Journal(path).entries()] == ["b"]
    journal.settle(["b"])
    assert not path.exists()
    assert Journal(path).empty


def test_a_last_line_cut_short_by_a_crash_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    Journal(path).finish(act("a"), {"id": "1"}, at=AT)
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"step":"start","key":"b","plat')
    journal = Journal(path)
    assert [e.key for e in journal.entries()] == ["a"]


def test_a_journal_written_after_a_line_cut_short_reads_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    Journal(path).finish(act("a"), {"id": "1"}, at=AT)
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"step":"start","key":"b","plat')  # the machine lost power here
    Journal(path).start(act("c"), at=AT)
    assert [e.key for e in Journal(path).entries()] == ["a", "c"]


def test_a_damaged_line_before_the_last_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    Journal(path).finish(act("a"), {}, at=AT)
    text = path.read_text(encoding="utf-8")
    path.write_text("not json\n" + text, encoding="utf-8")
    with pytest.raises(JournalError, match=r"line 1") as raised:
        Journal(path)
    assert str(path) in str(raised.value)


def test_a_journal_beside_a_configuration_lives_in_the_groups_braingain_folder(tmp_path: Path) -> None:
    journal = Journal.beside(tmp_path / "braingain.toml")
    assert journal.path == tmp_path / ".braingain" / "journal.jsonl"
    assert Journal.beside(None).path is None


def test_a_journal_in_memory_keeps_its_records_for_the_sync_and_writes_no_file(tmp_path: Path) -> None:
    journal = Journal(None)
    journal.finish(act("a"), {"id": "1"}, at=AT)
    assert [e.key for e in journal.done()] == ["a"]
    assert list(tmp_path.iterdir()) == []


def test_two_syncs_never_hold_the_journal_at_once(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with Journal(path).exclusive(5):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert holding.wait(5)
        with pytest.raises(JournalError, match="another sync"), Journal(path).exclusive(0.1):
            pass
    finally:
        release.set()
        thread.join()


def test_holding_the_journal_reads_what_another_sync_wrote_since(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    mine = Journal(path)
    Journal(path).finish(act("a"), {"id": "1"}, at=AT)
    with mine.exclusive(1):
        assert [e.key for e in mine.done()] == ["a"]


def test_a_file_where_the_journals_folder_goes_is_named_with_how_to_fix_it(tmp_path: Path) -> None:
    (tmp_path / ".braingain").write_text("not a folder", encoding="utf-8")
    journal = Journal.beside(tmp_path / "braingain.toml")
    with pytest.raises(JournalError, match=r"\.braingain is a file") as raised:
        journal.start(act(), at=AT)
    assert "move or rename that file" in raised.value.hint
    with pytest.raises(JournalError, match=r"\.braingain is a file"), journal.exclusive(1):
        pass
