"""Saving the local workbook: only where a spreadsheet program would, whole or not at all, no litter.

Failures of the disk are injected (monkeypatched system calls) and a sync killed
mid-save is a real process killed with SIGKILL.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from braingain.core.tracker.schema import CellWrite, TrackerWrite
from braingain.integrations.tracker.schema import load_schema
from braingain.integrations.tracker.workbook import LocalWorkbook, WorkbookError, create_workbook

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes, links and signals as on POSIX")
as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only an administrator can give a file away"
)
CHANGE = TrackerWrite(cells=(CellWrite("Members", 2, 2, "Adaeze"),))
LEFTOVER = ".tracker.xlsx.braingain-0123456789abcdef.tmp"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A tracker with one member, in a folder of its own."""
    folder = tmp_path / "group"
    folder.mkdir()
    target = folder / "tracker.xlsx"
    create_workbook(target, load_schema(), {"members": [{"id": "ada.obiora", "given_names": "Ada"}]})
    return target


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def state(path: Path) -> tuple[int, int, bytes]:
    info = path.stat()
    return info.st_mtime_ns, stat.S_IMODE(info.st_mode), path.read_bytes()


def given_name(path: Path) -> object:
    return LocalWorkbook(path).read().grids["Members"].values[1][1]


# --------------------------------------------------------------------------------------------
# Only where a spreadsheet program would save
# --------------------------------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("mode", [0o444, 0o440, 0o400, 0o555], ids=oct)
def test_a_read_only_workbook_is_not_replaced_and_the_message_says_how_to_fix_it(
    path: Path, mode: int
) -> None:
    path.chmod(mode)
    before = state(path)
    workbook = LocalWorkbook(path)
    workbook.read()  # reading a read-only workbook is fine
    with pytest.raises(WorkbookError) as refused:
        workbook.write(CHANGE)
    assert f"the workbook {path} is read-only" in refused.value.reason
    assert f"chmod u+w {path}" in refused.value.hint
    assert state(path) == before
    assert listing(path.parent) == ["tracker.xlsx"]


def test_a_workbook_this_user_may_not_change_is_not_replaced(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Someone else's file, writable only by them (as an administrator sees no such limit,
    # the operating system's answer is injected).
    real_access = os.access

    def access(target: Any, mode: int, **kwargs: Any) -> bool:
        return False if Path(target) == path and mode & os.W_OK else real_access(target, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    before = state(path)
    with pytest.raises(WorkbookError, match="is read-only"):
        LocalWorkbook(path).write(CHANGE)
    assert state(path) == before


@posix_only
def test_init_will_not_replace_a_read_only_workbook_even_when_forced(path: Path) -> None:
    path.chmod(0o444)
    before = state(path)
    with pytest.raises(WorkbookError, match="is read-only"):
        create_workbook(path, load_schema(), overwrite=True)
    assert state(path) == before


@posix_only
def test_a_workbook_reached_through_a_link_is_saved_through_it(path: Path, tmp_path: Path) -> None:
    link = tmp_path / "shortcut.xlsx"
    link.symlink_to(path)
    LocalWorkbook(link).write(CHANGE)
    assert link.is_symlink(), "the link stays a link"
    assert given_name(path) == "Adaeze", "the real workbook has the change"
    assert listing(tmp_path) == ["group", "shortcut.xlsx"]
    assert listing(path.parent) == ["tracker.xlsx"]


@posix_only
def test_a_read_only_workbook_behind_a_link_is_named_with_the_link(path: Path, tmp_path: Path) -> None:
    link = tmp_path / "shortcut.xlsx"
    link.symlink_to(path)
    path.chmod(0o444)
    before = state(path)
    with pytest.raises(WorkbookError) as refused:
        LocalWorkbook(link).write(CHANGE)
    assert f"{link} (a link to {path}) is read-only" in refused.value.reason
    assert state(path) == before
    assert link.is_symlink()


@posix_only
def test_a_workbook_open_in_excel_under_its_real_name_is_not_written_through_a_link(
    path: Path, tmp_path: Path
) -> None:
    link = tmp_path / "shortcut.xlsx"
    link.symlink_to(path)
    (path.parent / "~$tracker.xlsx").write_bytes(b"someone")
    before = state(path)
    with pytest.raises(WorkbookError, match="open in another program"):
        LocalWorkbook(link).write(CHANGE)
    assert state(path) == before


def test_a_folder_where_the_workbook_should_be_is_named_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tracker.xlsx"
    folder.mkdir()
    (folder / "keep.txt").write_text("a person's file", encoding="utf-8")
    with pytest.raises(WorkbookError, match="is a folder, not a workbook"):
        create_workbook(folder, load_schema(), overwrite=True)
    with pytest.raises(WorkbookError, match="is not a file"):
        LocalWorkbook(folder).write(CHANGE)
    assert listing(folder) == ["keep.txt"]
    assert listing(tmp_path) == ["tracker.xlsx"]


def test_a_folder_braingain_may_not_write_in_is_named_with_the_fix(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_access = os.access

    def access(target: Any, mode: int, **kwargs: Any) -> bool:
        return False if Path(target) == path.parent else real_access(target, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    before = state(path)
    with pytest.raises(WorkbookError) as refused:
        LocalWorkbook(path).write(CHANGE)
    assert f"may not create or replace files in the folder {path.parent}" in refused.value.reason
    assert "it is unchanged" in refused.value.reason
    assert "allow writing in that folder" in refused.value.hint
    assert state(path) == before


@posix_only
def test_a_write_keeps_the_workbooks_permissions(path: Path) -> None:
    for mode in (0o600, 0o640, 0o664, 0o606):
        path.chmod(mode)
        LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 2, 2, f"mode {mode:o}"),)))
        assert stat.S_IMODE(path.stat().st_mode) == mode


@posix_only
@as_root
def test_a_write_keeps_the_workbooks_owner_and_group(path: Path) -> None:
    os.chown(path, 4242, 4343)
    LocalWorkbook(path).write(CHANGE)
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (4242, 4343)
    assert given_name(path) == "Adaeze"


# --------------------------------------------------------------------------------------------
# A failing disk: one clear message, the workbook as it was, no temporary file
# --------------------------------------------------------------------------------------------

WHY = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EIO: "the disk reported an input/output error",
    errno.EACCES: "braingain may not create or replace files in the folder",
    errno.EPERM: "braingain may not create or replace files in the folder",
    errno.EROFS: "the folder is on a read-only disk",
}


@pytest.fixture
def failing_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Make one step of saving a temporary file fail with an errno: ``failing_disk.update(step=, code=)``."""
    plan: dict[str, Any] = {}
    ours: set[int] = set()
    real_open, real_write, real_fsync, real_replace = os.open, os.write, os.fsync, os.replace

    def fail(step: str) -> None:
        if plan.get("step") == step:
            raise OSError(plan["code"], os.strerror(plan["code"]))

    def open_(file: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if ".braingain-" in str(file) and flags & os.O_CREAT:
            fail("create")
            descriptor = real_open(file, flags, mode, **kwargs)
            ours.add(descriptor)
            return descriptor
        return real_open(file, flags, mode, **kwargs)

    def write(descriptor: int, data: Any) -> int:
        if descriptor in ours and plan.get("step") == "write":
            real_write(descriptor, bytes(data[:100]))  # part of it lands on the disk first
            fail("write")
        return real_write(descriptor, data)

    def fsync(descriptor: int) -> None:
        if descriptor in ours:
            fail("fsync")
        real_fsync(descriptor)

    def replace(source: Any, target: Any, **kwargs: Any) -> None:
        if ".braingain-" in str(source):
            fail("replace")
        real_replace(source, target, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    yield plan
    gc.collect()  # anything that would complain while being collected does so inside the test


@pytest.mark.parametrize("step", ["create", "write", "fsync", "replace"])
@pytest.mark.parametrize("code", sorted(WHY), ids=lambda code: errno.errorcode[code])
def test_a_write_the_disk_refuses_leaves_the_workbook_as_it_was_and_no_temporary_file(
    path: Path, failing_disk: dict[str, Any], step: str, code: int
) -> None:
    failing_disk.update(step=step, code=code)
    before = state(path)
    with pytest.raises(WorkbookError) as failed:
        LocalWorkbook(path).write(CHANGE)
    assert f"could not save the workbook {path}: {WHY[code]}" in failed.value.reason
    assert failed.value.reason.endswith("; it is unchanged")
    assert "sync again" in failed.value.hint
    assert state(path) == before
    assert listing(path.parent) == ["tracker.xlsx"]
    failing_disk.clear()
    LocalWorkbook(path).write(CHANGE)
    assert given_name(path) == "Adaeze", "the next sync, with room on the disk, writes"


@pytest.mark.parametrize("step", ["create", "write", "fsync", "replace"])
def test_a_new_workbook_the_disk_refuses_leaves_nothing_and_says_so(
    tmp_path: Path, failing_disk: dict[str, Any], step: str
) -> None:
    failing_disk.update(step=step, code=errno.ENOSPC)
    with pytest.raises(WorkbookError) as failed:
        create_workbook(tmp_path / "new.xlsx", load_schema())
    assert failed.value.reason.endswith("the disk is full; nothing was created")
    assert failed.value.hint == "free some space on that disk, then try again"
    assert listing(tmp_path) == []


def test_an_unexpected_system_error_is_still_one_message(path: Path, failing_disk: dict[str, Any]) -> None:
    failing_disk.update(step="write", code=errno.ENXIO)
    with pytest.raises(WorkbookError) as failed:
        LocalWorkbook(path).write(CHANGE)
    assert os.strerror(errno.ENXIO) in failed.value.reason
    assert listing(path.parent) == ["tracker.xlsx"]


# --------------------------------------------------------------------------------------------
# A sync killed mid-save: its leftover is removed by the next save, and nothing else is
# --------------------------------------------------------------------------------------------

KILLED_SAVE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from braingain.core.tracker.schema import CellWrite, TrackerWrite
    from braingain.integrations.tracker.schema import load_schema
    from braingain.integrations.tracker.workbook import LocalWorkbook, create_workbook

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(os, sys.argv[2], die)
    if sys.argv[3] == "create":
        create_workbook(Path(sys.argv[1]), load_schema())
    else:
        LocalWorkbook(Path(sys.argv[1])).write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "killed"),)))
    """
)


def kill_while_saving(path: Path, at: str, what: str = "write") -> list[str]:
    """Save in another process, killed (SIGKILL) on reaching the system call ``at``; what it left."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_SAVE, str(path), at, what],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    return [name for name in listing(path.parent) if name != path.name]


@posix_only
@pytest.mark.parametrize("at", ["fsync", "replace"])
def test_a_save_killed_mid_way_leaves_the_workbook_and_the_next_save_removes_its_leftover(
    path: Path, at: str
) -> None:
    before = state(path)
    left = kill_while_saving(path, at)
    assert len(left) == 1, "the kill left its temporary file"
    assert left[0].startswith(".tracker.xlsx.braingain-")
    assert state(path) == before
    LocalWorkbook(path).write(CHANGE)
    assert listing(path.parent) == ["tracker.xlsx"]
    assert given_name(path) == "Adaeze"


@posix_only
def test_the_leftover_of_a_killed_save_is_removed_by_the_next_read_even_with_nothing_to_write(
    path: Path,
) -> None:
    before = state(path)
    assert len(kill_while_saving(path, "fsync")) == 1
    LocalWorkbook(path).read()
    assert listing(path.parent) == ["tracker.xlsx"]
    assert state(path) == before


@posix_only
def test_init_killed_mid_way_leaves_a_leftover_the_next_init_removes(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    assert kill_while_saving(path, "replace", "create") != []
    create_workbook(path, load_schema())
    assert listing(tmp_path) == ["tracker.xlsx"]


@pytest.mark.skipif(fcntl is None, reason="needs advisory locks")
def test_the_temporary_file_of_a_save_still_under_way_is_left_alone(path: Path) -> None:
    other = path.parent / LEFTOVER
    other.write_bytes(b"PK\x03\x04 being written by another sync")
    with other.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        LocalWorkbook(path).write(CHANGE)
        assert other.read_bytes() == b"PK\x03\x04 being written by another sync"
    LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "Ada"),)))
    assert listing(path.parent) == ["tracker.xlsx"], "once that process is gone, it is a leftover"


@posix_only
def test_only_braingains_own_abandoned_temporary_files_are_removed(path: Path, tmp_path: Path) -> None:
    folder = path.parent
    abandoned = {
        LEFTOVER: b"PK\x03\x04 half a workbook",
        ".tracker.xlsx.braingain-fedcba9876543210.tmp": b"",
        ".tracker.xlsx.1a2b3c4d.tmp": b"PK\x03\x04 left by braingain 0.1",
    }
    kept = {
        ".tracker.xlsx.tmp": b"PK a person's copy",
        "tracker.xlsx.braingain-0123456789abcdef.tmp": b"PK not hidden: not ours",
        ".other.xlsx.braingain-0123456789abcdef.tmp": b"PK another workbook's",
        ".tracker.xlsx.braingain-0123456789ABCDEF.tmp": b"PK not as braingain spells it",
        ".tracker.xlsx.braingain-0123456789abcdef.tmp.bak": b"PK a backup",
        ".tracker.xlsx.braingain-01234567.tmp": b"PK too short",
        ".tracker.xlsx.2b3c4d5e.tmp": b"my notes, not a workbook",
        ".tracker.xlsx.braingain-1111111111111111.tmp": b"notes in a file named like ours",
    }
    for name, content in {**abandoned, **kept}.items():
        (folder / name).write_bytes(content)
    (folder / ".tracker.xlsx.braingain-2222222222222222.tmp").mkdir()
    outside = tmp_path / "precious.xlsx"
    outside.write_bytes(b"PK a person's workbook elsewhere")
    (folder / ".tracker.xlsx.braingain-3333333333333333.tmp").symlink_to(outside)

    LocalWorkbook(path).write(CHANGE)

    assert listing(folder) == sorted(
        [
            "tracker.xlsx",
            *kept,
            ".tracker.xlsx.braingain-2222222222222222.tmp",
            ".tracker.xlsx.braingain-3333333333333333.tmp",
        ]
    )
    for name, content in kept.items():
        assert (folder / name).read_bytes() == content
    assert outside.read_bytes() == b"PK a person's workbook elsewhere"


@pytest.mark.parametrize(
    ("said", "number"),
    [
        ("IO_ENOSPC", errno.ENOSPC),
        ("IO_EFBIG", errno.EFBIG),
        ("IO_EACCES", errno.EACCES),
        ("weird", errno.EIO),
    ],
)
def test_lxml_s_serialisation_error_is_read_as_the_operating_system_s_error(said: str, number: int) -> None:
    from lxml import etree

    from braingain.integrations.tracker.workbook import _os_error_of

    found = _os_error_of(etree.SerialisationError(said))
    assert isinstance(found, OSError)
    assert found.errno == number


def test_openpyxl_writes_with_its_standard_library_writer_under_braingain() -> None:
    import openpyxl.xml

    assert openpyxl.xml.LXML is False
