"""Two syncs of one local workbook at once (issue 8, section 5): the second waits, or says another is running.

The lock is an operating-system lock (``filelock``) on a hidden file next to the workbook.
Another *process* holding it stands for a timer's sync while a leader runs one; two
syncs in two *threads* show that the second reads only after the first has written.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from braingain.core.tracker.schema import Snapshot, TrackerWrite, Unwritten
from braingain.integrations import compose
from braingain.integrations.cli import (
    EXIT_BUSY,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    MAX_WAIT,
    main,
)
from braingain.integrations.config import load_config
from braingain.integrations.errors import SyncBusy
from braingain.integrations.tracker.workbook import LocalWorkbook, WorkbookError
from tests.integrations.test_cli_local import run

TODAY = ["--today", "2026-11-25"]
DONE = (EXIT_OK, EXIT_PROBLEMS)

HOLDER = textwrap.dedent(
    """
    import sys
    from filelock import FileLock
    lock = FileLock(sys.argv[1], mode=0o666)
    lock.acquire()
    print("held", flush=True)
    sys.stdin.read()  # held until the test closes stdin, or kills this process
    lock.release()
    """
)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    """A workbook filled with the sample group, and its braingain.toml (returned)."""
    workbook = tmp_path / "tracker.xlsx"
    assert main(["init", "--local", str(workbook), "--sample", *TODAY]) == EXIT_OK
    return tmp_path / "braingain.toml"


def lock_of(workbook: Path) -> Path:
    return workbook.with_name(f".{workbook.name}.braingain.lock")


@contextmanager
def held_by_another_process(lock: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process (another sync, as far as braingain can tell) holds ``lock`` for the block."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "held"
            yield process
        finally:
            process.kill()
            process.wait()


def test_a_sync_while_another_holds_the_workbook_says_another_sync_is_running_and_writes_nothing(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    before = workbook.read_bytes()
    with held_by_another_process(lock_of(workbook)):
        code, out, err = run(capsys, "sync", "--config", str(tracker), "--wait", "0", *TODAY)
    assert code == EXIT_BUSY
    assert out == ""
    assert f"another braingain sync of {workbook} is running" in err
    assert lock_of(workbook).name in err
    assert "this sync wrote nothing" in err
    assert "run braingain sync again" in err
    assert "--wait SECONDS" in err
    assert workbook.read_bytes() == before


def test_a_sync_that_may_wait_goes_on_as_soon_as_the_other_has_finished(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    with held_by_another_process(lock_of(workbook)) as other:
        assert other.stdin is not None
        threading.Timer(0.3, other.stdin.close).start()  # the other sync finishes a moment later
        code, _, err = run(capsys, "sync", "--config", str(tracker), "--wait", "60", *TODAY)
        assert other.wait(timeout=60) == 0
    assert code in DONE, err
    assert main(["plan", "--config", str(tracker), *TODAY]) in DONE
    assert "Everything is up to date: nothing to write." in capsys.readouterr().out


def test_two_syncs_at_once_never_interleave_the_second_reads_what_the_first_wrote(tracker: Path) -> None:
    config = load_config(tracker)
    workbook = tracker.parent / "tracker.xlsx"
    events: list[str] = []
    first_may_write = threading.Event()

    class Recorded(LocalWorkbook):
        def __init__(self, name: str) -> None:
            super().__init__(workbook)
            self.name = name

        def read(self) -> Snapshot:
            events.append(f"{self.name} reads")
            return super().read()

        def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
            if self.name == "timer":
                first_may_write.wait(timeout=60)
            events.append(f"{self.name} writes")
            return super().write(changes)

    outcomes: dict[str, compose.SyncOutcome] = {}

    def sync(backend: Recorded) -> None:
        outcomes[backend.name] = compose.run_sync(config, apply=True, backend=backend, wait=60)

    timer = threading.Thread(target=sync, args=(Recorded("timer"),))
    timer.start()
    while "timer reads" not in events:
        time.sleep(0.01)
    leader = threading.Thread(target=sync, args=(Recorded("leader"),))
    leader.start()
    time.sleep(0.5)  # the leader's sync has had every chance to read, had it not waited
    assert events == ["timer reads"]
    first_may_write.set()
    timer.join(timeout=60)
    leader.join(timeout=60)
    assert events == ["timer reads", "timer writes", "leader reads"]
    assert outcomes["timer"].applied
    assert not outcomes["leader"].applied  # everything the timer wrote was already there: nothing twice
    assert outcomes["leader"].plan.write.empty


def test_the_lock_of_a_sync_that_was_killed_does_not_hold_the_next_one(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    with held_by_another_process(lock_of(workbook)) as other:
        other.send_signal(signal.SIGKILL)
        other.wait(timeout=60)
    assert lock_of(workbook).exists()  # the empty file stays, on purpose; the lock went with the process
    code, _, err = run(capsys, "sync", "--config", str(tracker), "--wait", "0", *TODAY)
    assert code in DONE, err


def test_a_link_to_the_workbook_and_the_workbook_itself_share_one_lock(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    elsewhere = tracker.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "group.xlsx").symlink_to(workbook)
    linked = elsewhere / "braingain.toml"
    linked.write_text(
        tracker.read_text(encoding="utf-8").replace('path = "tracker.xlsx"', 'path = "group.xlsx"'),
        encoding="utf-8",
    )
    with held_by_another_process(lock_of(workbook)):
        code, _, err = run(capsys, "sync", "--config", str(linked), "--wait", "0", *TODAY)
    assert code == EXIT_BUSY, err
    assert not (elsewhere / ".group.xlsx.braingain.lock").exists()


def test_planning_and_reports_never_wait_for_a_running_sync(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    with held_by_another_process(lock_of(workbook)):
        assert run(capsys, "plan", "--config", str(tracker), *TODAY)[0] in DONE
        assert run(capsys, "report", "schedule", "--config", str(tracker), *TODAY)[0] in DONE


@pytest.mark.parametrize("wait", ["-1", str(MAX_WAIT + 1), "soon", "1.5"])
def test_wait_is_a_whole_number_of_seconds_within_range(
    tracker: Path, capsys: pytest.CaptureFixture[str], wait: str
) -> None:
    code, _, err = run(capsys, "sync", "--config", str(tracker), "--wait", wait, *TODAY)
    assert code == EXIT_USAGE
    assert "--wait" in err


def test_the_lock_waits_only_as_long_as_it_is_told(tracker: Path) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    with held_by_another_process(lock_of(workbook)), pytest.raises(SyncBusy) as refused:
        compose.run_sync(load_config(tracker), apply=True, wait=0.2)
    assert ", after waiting 0.2 s" in str(refused.value)


class _Refusing:
    """A ``FileLock`` whose file the operating system refuses to open (``PermissionError``)."""

    def __init__(self, path: Path, **_: object) -> None:
        self.path = path

    def acquire(self) -> None:
        raise PermissionError(13, "Permission denied")

    def release(self) -> None:  # pragma: no cover - never acquired
        raise AssertionError("released a lock that was never taken")


def test_a_lock_file_this_account_may_not_use_is_a_clear_error_and_nothing_is_written(
    tracker: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    lock_of(workbook).touch()  # left by another account's sync
    monkeypatch.setattr("braingain.integrations.tracker.workbook.FileLock", _Refusing)
    before = workbook.read_bytes()
    code, _, err = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert f"cannot take the lock {lock_of(workbook)}" in err
    assert "Permission denied" in err
    assert f"chmod a+rw {lock_of(workbook)}" in err
    assert workbook.read_bytes() == before


def test_in_a_folder_nobody_can_save_in_a_sync_reads_without_a_lock_and_the_write_is_refused_as_before(
    tracker: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    real_access = os.access

    def read_only_folder(path: object, mode: int, **kwargs: object) -> bool:
        if Path(str(path)) == tracker.parent and mode & os.W_OK:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr("braingain.integrations.tracker.workbook.FileLock", _Refusing)
    monkeypatch.setattr(os, "access", read_only_folder)
    before = workbook.read_bytes()
    code, _, err = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert "may not create or replace files in the folder" in err  # the save's own message, not the lock's
    assert "lock" not in err
    assert workbook.read_bytes() == before


AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.skipif(AS_ROOT, reason="an administrator may write anywhere")
def test_a_really_read_only_folder_is_read_without_a_lock(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tracker.parent
    folder.chmod(0o555)
    try:
        code, _, err = run(capsys, "sync", "--config", str(tracker), *TODAY)
    finally:
        folder.chmod(0o755)
    assert code == EXIT_ERROR
    assert "may not create or replace files in the folder" in err
    assert not lock_of(folder / "tracker.xlsx").exists()


def test_a_missing_workbook_is_reported_as_missing_not_as_a_lock_problem(tmp_path: Path) -> None:
    gone = LocalWorkbook(tmp_path / "gone.xlsx")
    with pytest.raises(WorkbookError, match="does not exist"), gone.exclusive(0):
        pass
    assert not lock_of(tmp_path / "gone.xlsx").exists()
