"""Specification of the local Drive: the group's folder tree as real folders in the workspace, with an
index that finds every folder again by its id, safe names on every system, shares recorded without
an email address, and minutes whose edits by a person are seen."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.drive.folders import FileSpec, FolderSpec
from braingain.core.drive.minutes import ActionLine, MinutesDoc
from braingain.core.ports import Drive
from braingain.integrations.drive import local
from braingain.integrations.drive.local import (
    INDEX,
    NAME_LIMIT,
    SHARED_WITH,
    DriveIndexDamaged,
    LocalDrive,
    LocalDriveError,
    LocalDriveMissing,
    LocalDriveRefused,
    safe_name,
)
from braingain.integrations.drive.render import minutes_html

TAG = "okafor-lab"
EMAILS = ("ada.obi@example.org", "Bola.Ade@Example.COM")
WINDOWS_REFUSES = set('/\\:*?"<>|')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}


def spec(key: str, name: str, parent: str | None = None) -> FolderSpec:
    return FolderSpec(key, name, parent)


def doc(
    meeting: str = "2027-01-16", minutes: str = "We agreed the protocol.", folder: str = "minutes"
) -> MinutesDoc:
    return MinutesDoc(
        meeting_id=meeting,
        folder=folder,
        title=f"Minutes of the meeting of Saturday {meeting}",
        group="Okafor Lab",
        when="Saturday 16 January 2027, 12:00 Africa/Lagos",
        minutes=minutes,
        decisions=("Register the protocol",),
        actions=(ActionLine("Draft the search", "Ada Obi", "Saturday 23 January 2027"),),
        present=("Ada Obi",),
    )


def tree(drive: LocalDrive) -> tuple[str, str, str]:
    """The group's folder, its Minutes and a project's folder: three ids."""
    ids = drive.new_ids(3)
    drive.make_folder(spec("root", "Okafor Lab"), parent=None, file_id=ids[0], tag=TAG)
    drive.make_folder(spec("minutes", "Minutes", "root"), parent=ids[0], file_id=ids[1], tag=TAG)
    drive.make_folder(spec("SR", "SR Drivers of migration", "root"), parent=ids[0], file_id=ids[2], tag=TAG)
    return ids[0], ids[1], ids[2]


def index(folder: Path) -> dict[str, object]:
    data = json.loads((folder / INDEX).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def folders_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def test_it_is_a_drive_and_gives_fresh_url_safe_ids(tmp_path: Path) -> None:
    drive: Drive = LocalDrive(tmp_path / "drive")
    ids = drive.new_ids(50)
    assert len(set(ids)) == 50
    assert all(len(i) >= 30 and i.replace("-", "").replace("_", "").isalnum() for i in ids)
    assert drive.new_ids(0) == ()
    assert not (tmp_path / "drive").exists()  # nothing is made before a folder is


def test_the_tree_is_real_folders_each_with_its_id_key_name_and_file_uri(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, minutes, project = tree(drive)
    assert folders_in(tmp_path / "drive") == [
        "Okafor Lab",
        "Okafor Lab/Minutes",
        "Okafor Lab/SR Drivers of migration",
    ]
    found = drive.look(minutes)
    assert found is not None
    assert (found.id, found.name, found.key) == (minutes, "Minutes", "minutes")
    assert (
        Path(unquote(urlparse(found.url).path)) == (tmp_path / "drive" / "Okafor Lab" / "Minutes").absolute()
    )
    assert found.url.startswith("file://")
    assert found.modified.endswith("Z")
    entry = index(tmp_path / "drive")["files"][project]  # type: ignore[index]
    assert entry["path"] == "Okafor Lab/SR Drivers of migration"
    assert (entry["key"], entry["tag"], entry["name"]) == ("SR", TAG, "SR Drivers of migration")
    assert entry["permissions"] == []
    assert root in index(tmp_path / "drive")["files"]  # type: ignore[operator]


def test_making_a_folder_again_with_the_same_id_returns_it_as_it_is(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, _, _ = tree(drive)
    first = drive.look(root)
    again = drive.make_folder(spec("root", "Another name"), parent=None, file_id=root, tag=TAG)
    assert again == first
    assert len(folders_in(tmp_path / "drive")) == 3
    assert len(index(tmp_path / "drive")["files"]) == 3  # type: ignore[arg-type]


def test_a_folder_made_by_a_try_that_stopped_before_indexing_it_is_taken_back_not_doubled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, _, _ = tree(drive)
    ids = drive.new_ids(2)

    def crash(self: LocalDrive, _: object) -> None:
        raise KeyboardInterrupt  # the sync is stopped between the folder's making and its indexing

    with monkeypatch.context() as patch:
        patch.setattr(LocalDrive, "_save", crash)
        with pytest.raises(KeyboardInterrupt):
            drive.make_folder(spec("P2", "P2 Cohort"), parent=root, file_id=ids[0], tag=TAG)
    assert (tmp_path / "drive" / "Okafor Lab" / "P2 Cohort").is_dir()
    assert drive.look(ids[0]) is None  # not indexed
    (tmp_path / "drive" / "Okafor Lab" / "P2 Cohort" / "notes.txt").write_text("a person's file")

    again = drive.make_folder(spec("P2", "P2 Cohort"), parent=root, file_id=ids[0], tag=TAG)
    assert Path(unquote(urlparse(again.url).path)).name == "P2 Cohort"
    assert (tmp_path / "drive" / "Okafor Lab" / "P2 Cohort" / "notes.txt").read_text() == "a person's file"
    # the same with an id of its own (braingain's memory of the first id was lost too)
    with monkeypatch.context() as patch:
        patch.setattr(LocalDrive, "_save", crash)
        with pytest.raises(KeyboardInterrupt):
            drive.make_folder(spec("P3", "P3 Trial"), parent=root, file_id=ids[1], tag=TAG)
    other = drive.make_folder(spec("P3", "P3 Trial"), parent=root, file_id="a-new-id", tag=TAG)
    assert Path(unquote(urlparse(other.url).path)).name == "P3 Trial"
    assert folders_in(tmp_path / "drive").count("Okafor Lab/P3 Trial") == 1
    assert not any(p.name.startswith("P3 Trial (") for p in (tmp_path / "drive" / "Okafor Lab").iterdir())


@pytest.mark.parametrize(
    ("first", "second", "names"),
    [
        ("A/B testing", "A:B testing", ("A B testing", "A B testing (2)")),
        ("Notes", "notes", ("Notes", "notes (2)")),
        ("Résumé", unicodedata.normalize("NFD", "Résumé"), ("Résumé", "Résumé (2)")),
        ("Data.", "Data", ("Data", "Data (2)")),
    ],
)
def test_two_folders_whose_safe_names_meet_in_one_folder_never_share_it(
    tmp_path: Path, first: str, second: str, names: tuple[str, str]
) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, _, _ = tree(drive)
    one = drive.make_folder(spec("X1", first), parent=root, file_id="id-1", tag=TAG)
    two = drive.make_folder(spec("X2", second), parent=root, file_id="id-2", tag=TAG)
    paths = [Path(unquote(urlparse(f.url).path)) for f in (one, two)]
    assert tuple(unicodedata.normalize("NFC", p.name) for p in paths) == names
    assert (one.name, two.name) == (first, second)  # the names given, as Drive would keep them
    assert all(p.is_dir() for p in paths)
    assert drive.find(TAG)["X1"].id == "id-1"
    assert drive.find(TAG)["X2"].id == "id-2"


UNSAFE = [
    "..",
    ".",
    "../../outside",
    "/etc/passwd",
    "C:\\Windows\\System32",
    "CON",
    "nul.txt",
    "com1",
    "Lpt9.backup",
    "trailing dots...",
    "trailing spaces   ",
    "   ",
    "",
    "tab\there\nnewline\x00null\x1bescape",
    "right\u202eto left\u200bzero width",
    'all of <>:"/\\|?* them',
    "x" * 500,
    "é" * 300,
    "line\u2028separator",
]


@pytest.mark.parametrize("name", UNSAFE)
def test_an_unsafe_name_becomes_one_safe_readable_folder_inside_its_parent(tmp_path: Path, name: str) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, _, _ = tree(drive)
    made = drive.make_folder(spec("X", name), parent=root, file_id="id-x", tag=TAG)
    path = Path(unquote(urlparse(made.url).path))
    assert path.parent == (tmp_path / "drive" / "Okafor Lab").absolute()
    assert path.is_dir()
    assert made.name == name
    check_safe(path.name)


@given(st.text(max_size=300))
def test_every_safe_name_is_one_name_every_system_accepts(name: str) -> None:
    check_safe(safe_name(name))


def check_safe(name: str) -> None:
    assert name
    assert name not in (".", "..")
    assert not WINDOWS_REFUSES & set(name)
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") for c in name)
    assert name == name.strip(" .")
    assert name.split(".")[0].upper().rstrip(" ") not in RESERVED
    assert len(name) <= NAME_LIMIT
    assert len(name.encode("utf-8")) <= 255


def test_a_long_title_is_cut_readably() -> None:
    title = (
        "SR Drivers of health worker migration among Nigerian doctors: a systematic review and meta-analysis"
    )
    assert safe_name(title) == "SR Drivers of health worker migration among Nigerian doctors a systematic…"
    assert safe_name("x" * 200) == "x" * (NAME_LIMIT - 1) + "…"


def test_find_answers_the_groups_files_by_key_and_forgets_what_a_person_deleted(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, minutes, project = tree(drive)
    drive.make_folder(spec("root", "Another group"), parent=None, file_id="other", tag="another-group")
    saved = drive.save_doc(doc(), parent=minutes, file_id="doc-1", tag=TAG)
    found = drive.find(TAG)
    assert sorted(found) == ["SR", "minutes", "minutes:2027-01-16", "root"]
    assert found["minutes:2027-01-16"] == saved
    assert drive.find("another-group")["root"].id == "other"
    (tmp_path / "drive" / "Okafor Lab" / "SR Drivers of migration").rmdir()
    assert sorted(drive.find(TAG)) == ["minutes", "minutes:2027-01-16", "root"]
    assert project not in index(tmp_path / "drive")["files"]  # type: ignore[operator]
    assert drive.find("nobody") == {}
    assert root in index(tmp_path / "drive")["files"]  # type: ignore[operator]


def test_look_says_none_for_a_file_never_made_or_deleted_by_a_person_and_forgets_it(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, minutes, project = tree(drive)
    assert drive.look("never-made") is None
    saved = drive.save_doc(doc(), parent=minutes, file_id="doc-1", tag=TAG)
    Path(unquote(urlparse(saved.url).path)).unlink()
    assert drive.look("doc-1") is None
    assert "doc-1" not in index(tmp_path / "drive")["files"]  # type: ignore[operator]
    (tmp_path / "drive" / "Okafor Lab" / "SR Drivers of migration").rmdir()
    assert drive.look(project) is None
    assert drive.look(minutes) is not None


def test_a_folder_in_a_folder_that_is_not_there_is_refused_and_nothing_else_waits(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, _, project = tree(drive)
    (tmp_path / "drive" / "Okafor Lab" / "SR Drivers of migration").rmdir()
    with pytest.raises(LocalDriveMissing) as raised:
        drive.make_folder(spec("SR/minutes", "Minutes", "SR"), parent=project, file_id="m", tag=TAG)
    assert raised.value.outcome_known
    assert not raised.value.halts
    assert project in str(raised.value)
    with pytest.raises(LocalDriveMissing):
        drive.save_doc(doc(), parent="never-made", file_id="d", tag=TAG)
    with pytest.raises(LocalDriveMissing):
        drive.shares(project)


def test_rename_moves_the_folder_and_everything_in_it_keeps_its_id(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, _, project = tree(drive)
    drive.make_folder(spec("SR/minutes", "Minutes", "SR"), parent=project, file_id="sr-min", tag=TAG)
    saved = drive.save_doc(doc(), parent="sr-min", file_id="doc-1", tag=TAG)
    renamed = drive.rename(project, "SR Drivers of migration: a review")
    assert renamed is not None
    assert renamed.name == "SR Drivers of migration: a review"
    assert folders_in(tmp_path / "drive") == [
        "Okafor Lab",
        "Okafor Lab/Minutes",
        "Okafor Lab/SR Drivers of migration a review",
        "Okafor Lab/SR Drivers of migration a review/Minutes",
    ]
    moved = drive.look("doc-1")
    assert moved is not None
    assert moved.url != saved.url
    assert Path(unquote(urlparse(moved.url).path)).read_text("utf-8") == minutes_html(doc())
    # a rename onto the safe name of another folder keeps them apart; a rename of a file keeps .html
    clash = drive.rename(project, "Minutes")
    assert clash is not None
    assert Path(unquote(urlparse(clash.url).path)).name == "Minutes (2)"
    title = drive.rename("doc-1", "Minutes: corrected")
    assert title is not None
    assert Path(unquote(urlparse(title.url).path)).name == "Minutes corrected.html"
    assert drive.rename("never-made", "x") is None
    assert drive.look(root) is not None


def test_shares_are_recorded_by_a_stable_id_per_person_and_listed_by_name_in_the_folder(
    tmp_path: Path,
) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, minutes, project = tree(drive)
    ada = drive.share(project, EMAILS[0], "writer", notify=True, name="Ada Obi")
    assert (ada.role, ada.kind, ada.email, ada.name) == ("writer", "user", EMAILS[0], "Ada Obi")
    assert drive.share(minutes, EMAILS[0].upper(), "reader", notify=False, name="Ada Obi").id == ada.id
    bola = drive.share(project, EMAILS[1], "reader", notify=False, name="Bola Ade")
    assert bola.id != ada.id
    again = drive.share(project, EMAILS[1], "commenter", notify=False, name="Bola Ade")
    assert again.id == bola.id
    lead = drive.share(root, "chi@example.net", "writer", notify=True, name="Chi Eze")

    shares = drive.shares(project)
    assert shares[0].role == "owner"
    assert shares[0].id == "owner"
    own = {(p.id, p.role, p.name, p.inherited, p.email) for p in shares[1:]}
    assert own == {
        (ada.id, "writer", "Ada Obi", False, ""),
        (bola.id, "commenter", "Bola Ade", False, ""),
        (lead.id, "writer", "Chi Eze", True, ""),
    }
    listed = (tmp_path / "drive" / "Okafor Lab" / "SR Drivers of migration" / SHARED_WITH).read_text("utf-8")
    assert "  Ada Obi: writer" in listed
    assert "  Bola Ade: commenter" in listed
    assert "Chi Eze" not in listed

    drive.unshare(project, bola.id)
    drive.unshare(project, bola.id)  # already gone: not an error
    drive.unshare(project, "never-granted")
    drive.unshare("never-made", ada.id)
    assert {p.id for p in drive.shares(project)} == {"owner", ada.id, lead.id}
    listed = (tmp_path / "drive" / "Okafor Lab" / "SR Drivers of migration" / SHARED_WITH).read_text("utf-8")
    assert "Bola Ade" not in listed
    drive.unshare(project, ada.id)
    assert not (tmp_path / "drive" / "Okafor Lab" / "SR Drivers of migration" / SHARED_WITH).exists()


def test_a_share_braingain_would_never_grant_is_refused_without_the_address(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, _, project = tree(drive)
    for role in ("owner", "organizer", "fileOrganizer", ""):
        with pytest.raises(LocalDriveRefused) as raised:
            drive.share(project, EMAILS[0], role, notify=True, name="Ada Obi")
        assert EMAILS[0] not in str(raised.value)
        assert not raised.value.halts
    with pytest.raises(LocalDriveRefused, match="Ada Obi"):
        drive.share(project, "", "writer", notify=True, name="Ada Obi")
    assert len(drive.shares(project)) == 1


def test_no_email_address_is_ever_written_anywhere_in_the_tree(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, minutes, project = tree(drive)
    for folder in (root, minutes, project):
        for email, name in zip(EMAILS, ("Ada Obi", "Bola Ade"), strict=True):
            drive.share(folder, email, "writer", notify=True, name=name)
    drive.unshare(minutes, drive.shares(minutes)[1].id)
    drive.save_doc(doc(), parent=minutes, file_id="doc-1", tag=TAG)
    drive.rename(project, "SR renamed")
    everything = list((tmp_path / "drive").rglob("*"))
    assert any(p.name == SHARED_WITH for p in everything)
    for path in everything:
        for email in EMAILS:
            for form in (email, email.casefold(), email.split("@")[0], email.split("@")[0].casefold()):
                assert form not in path.name
                if path.is_file():
                    assert form.encode() not in path.read_bytes(), path
                    assert form.casefold().encode() not in path.read_bytes().lower(), path


def test_minutes_are_saved_as_html_in_their_folder_once(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, minutes, _ = tree(drive)
    saved = drive.save_doc(doc(), parent=minutes, file_id="doc-1", tag=TAG)
    path = (
        tmp_path / "drive" / "Okafor Lab" / "Minutes" / "Minutes of the meeting of Saturday 2027-01-16.html"
    )
    assert Path(unquote(urlparse(saved.url).path)) == path.absolute()
    assert path.read_text("utf-8") == minutes_html(doc())
    assert (saved.key, saved.name) == ("minutes:2027-01-16", doc().title)
    again = drive.save_doc(doc(minutes="Other words"), parent=minutes, file_id="doc-1", tag=TAG)
    assert again == saved
    assert path.read_text("utf-8") == minutes_html(doc())
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_minutes_written_by_a_try_that_stopped_before_indexing_them_are_taken_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, minutes, _ = tree(drive)

    def crash(self: LocalDrive, _: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(LocalDrive, "_save", crash)
        with pytest.raises(KeyboardInterrupt):
            drive.save_doc(doc(), parent=minutes, file_id="doc-1", tag=TAG)
    saved = drive.save_doc(doc(), parent=minutes, file_id="doc-2", tag=TAG)
    assert len(list((tmp_path / "drive" / "Okafor Lab" / "Minutes").iterdir())) == 1
    assert drive.look("doc-2") == saved


def test_a_file_a_person_keeps_under_the_minutes_name_is_never_written_over(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, minutes, _ = tree(drive)
    folder = tmp_path / "drive" / "Okafor Lab" / "Minutes"
    theirs = folder / "Minutes of the meeting of Saturday 2027-01-16.html"
    theirs.write_text("my own notes", "utf-8")
    saved = drive.save_doc(doc(), parent=minutes, file_id="doc-1", tag=TAG)
    assert theirs.read_text("utf-8") == "my own notes"
    assert (
        Path(unquote(urlparse(saved.url).path)).name
        == "Minutes of the meeting of Saturday 2027-01-16 (2).html"
    )


def test_replacing_minutes_rewrites_them_and_changes_modified(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, minutes, _ = tree(drive)
    saved = drive.save_doc(doc(), parent=minutes, file_id="doc-1", tag=TAG)
    path = Path(unquote(urlparse(saved.url).path))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 5_000_000_000))
    before = drive.look("doc-1")
    assert before is not None
    replaced = drive.replace_doc("doc-1", doc(minutes="Corrected: we agreed the protocol."))
    assert replaced is not None
    assert replaced.id == "doc-1"
    assert replaced.url == saved.url
    assert replaced.modified != before.modified
    assert path.read_text("utf-8") == minutes_html(doc(minutes="Corrected: we agreed the protocol."))
    assert index(tmp_path / "drive")["files"]["doc-1"]["modified"] == replaced.modified  # type: ignore[index]
    assert drive.replace_doc("never-made", doc()) is None
    assert drive.replace_doc(minutes, doc()) is None  # a folder is no Doc
    path.unlink()
    assert drive.replace_doc("doc-1", doc()) is None
    assert not path.exists()


def test_a_person_editing_the_minutes_file_changes_its_modified(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, minutes, _ = tree(drive)
    saved = drive.save_doc(doc(), parent=minutes, file_id="doc-1", tag=TAG)
    path = Path(unquote(urlparse(saved.url).path))
    assert drive.look("doc-1") == saved  # unchanged while nobody touches it
    stat = path.stat()
    path.write_text(
        path.read_text("utf-8").replace("protocol", "protocol, and a person's correction"), "utf-8"
    )
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000))  # even a microsecond later is seen
    edited = drive.look("doc-1")
    assert edited is not None
    assert edited.modified != saved.modified
    assert edited.modified > saved.modified  # RFC 3339 in UTC, same width: compares as time


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{ not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "not version 1"),
        (b'{"version": 1, "salt": "s"}', "missing"),
        (
            b'{"version": 1, "salt": "s", "files": {"x": {"path": "../../etc", "name": "n", "key": "k", '
            b'"tag": "t", "kind": "folder", "modified": ""}}}',
            "not a place inside the folder",
        ),
        (
            b'{"version": 1, "salt": "s", "files": {"x": {"path": "a", "name": 3, "key": "k", '
            b'"tag": "t", "kind": "folder", "modified": ""}}}',
            "not text",
        ),
    ],
)
def test_a_damaged_index_is_named_with_how_to_fix_it_and_nothing_changes(
    tmp_path: Path, content: bytes, why: str
) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, _, _ = tree(drive)
    (tmp_path / "drive" / INDEX).write_bytes(content)
    before = folders_in(tmp_path / "drive")
    for call in (
        lambda: drive.find(TAG),
        lambda: drive.look(root),
        lambda: drive.make_folder(spec("P9", "P9"), parent=root, file_id="p9", tag=TAG),
        lambda: drive.share(root, EMAILS[0], "writer", notify=True, name="Ada Obi"),
    ):
        with pytest.raises(DriveIndexDamaged) as raised:
            call()
        message = str(raised.value)
        assert str(tmp_path / "drive" / INDEX) in message
        assert why in message
        assert f"delete {INDEX}" in raised.value.hint
        assert "sync again" in raised.value.hint
        assert raised.value.halts
    assert folders_in(tmp_path / "drive") == before
    assert (tmp_path / "drive" / INDEX).read_bytes() == content


def test_after_a_damaged_index_is_deleted_the_folders_are_taken_back_not_doubled(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    tree(drive)
    (tmp_path / "drive" / INDEX).write_text("damaged", "utf-8")
    (tmp_path / "drive" / INDEX).unlink()  # as the error says
    tree(drive)  # the next sync makes them again, with new ids
    assert folders_in(tmp_path / "drive") == [
        "Okafor Lab",
        "Okafor Lab/Minutes",
        "Okafor Lab/SR Drivers of migration",
    ]


def test_the_index_is_replaced_in_one_step_so_a_failed_write_leaves_the_last_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drive = LocalDrive(tmp_path / "drive")
    root, _, _ = tree(drive)
    before = (tmp_path / "drive" / INDEX).read_bytes()

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", full)
        with pytest.raises(LocalDriveError, match="No space left on device") as raised:
            drive.make_folder(spec("P2", "P2 Cohort"), parent=root, file_id="p2", tag=TAG)
    assert raised.value.outcome_known
    assert (tmp_path / "drive" / INDEX).read_bytes() == before
    assert [p.name for p in (tmp_path / "drive").iterdir() if p.name.startswith(".")] == [INDEX]
    again = drive.make_folder(spec("P2", "P2 Cohort"), parent=root, file_id="p2", tag=TAG)
    assert Path(unquote(urlparse(again.url).path)).name == "P2 Cohort"


def test_a_file_where_the_drive_folder_should_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "drive").write_text("not a folder")
    drive = LocalDrive(tmp_path / "drive" / "inner")
    with pytest.raises(LocalDriveError, match="is a file") as raised:
        drive.make_folder(spec("root", "Okafor Lab"), parent=None, file_id="r", tag=TAG)
    assert "[drive] folder" in raised.value.hint
    assert drive.find(TAG) == {}


def test_a_symbolic_link_in_the_tree_is_never_taken_for_a_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    drive = LocalDrive(tmp_path / "drive")
    root, _, _ = tree(drive)
    (tmp_path / "drive" / "Okafor Lab" / "P2 Cohort").symlink_to(outside, target_is_directory=True)
    made = drive.make_folder(spec("P2", "P2 Cohort"), parent=root, file_id="p2", tag=TAG)
    assert Path(unquote(urlparse(made.url).path)).name == "P2 Cohort (2)"
    assert list(outside.iterdir()) == []


def test_the_index_relative_paths_use_forward_slashes(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    tree(drive)
    files = index(tmp_path / "drive")["files"]
    assert isinstance(files, dict)
    assert all(
        PurePosixPath(e["path"]).as_posix() == e["path"] and "\\" not in e["path"] for e in files.values()
    )
    assert local.INDEX == ".braingain-drive.json"


def chart_file(name: str = "gantt-SR.png") -> FileSpec:
    return FileSpec("SR", name, "image/png", "3f2a9c1d0b", "the Gantt chart of SR")


def test_a_file_is_kept_under_its_name_in_its_folder_and_replaced_in_place(tmp_path: Path) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, _, project = tree(drive)
    (file_id,) = drive.new_ids(1)

    saved = drive.save_file(chart_file(), b"\x89PNG one", parent=project, file_id=file_id, tag=TAG)

    path = tmp_path / "drive" / "Okafor Lab" / "SR Drivers of migration" / "gantt-SR.png"
    assert path.read_bytes() == b"\x89PNG one"
    assert (saved.id, saved.key, saved.url) == (file_id, "file:SR/gantt-SR.png", path.absolute().as_uri())
    assert drive.save_file(chart_file(), b"\x89PNG one", parent=project, file_id=file_id, tag=TAG) == saved
    assert drive.find(TAG)["file:SR/gantt-SR.png"].id == file_id

    replaced = drive.replace_file(file_id, chart_file(), b"\x89PNG two")

    assert replaced is not None
    assert (replaced.id, replaced.url) == (saved.id, saved.url)
    assert path.read_bytes() == b"\x89PNG two"
    path.unlink()
    assert drive.replace_file(file_id, chart_file(), b"\x89PNG three") is None, "deleted by a person"


def test_a_file_left_by_a_save_that_stopped_before_indexing_is_taken_back_and_another_kept_beside(
    tmp_path: Path,
) -> None:
    drive = LocalDrive(tmp_path / "drive")
    _, _, project = tree(drive)
    folder = tmp_path / "drive" / "Okafor Lab" / "SR Drivers of migration"
    (folder / "gantt-SR.png").write_bytes(b"same")
    (folder / "gantt-SR.svg").write_bytes(b"a person's own drawing")
    png, svg = drive.new_ids(2)

    drive.save_file(chart_file(), b"same", parent=project, file_id=png, tag=TAG)
    drive.save_file(chart_file("gantt-SR.svg"), b"<svg/>", parent=project, file_id=svg, tag=TAG)

    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("gantt")) == [
        "gantt-SR (2).svg",
        "gantt-SR.png",
        "gantt-SR.svg",
    ]
    assert (folder / "gantt-SR.svg").read_bytes() == b"a person's own drawing"
    assert (folder / "gantt-SR (2).svg").read_bytes() == b"<svg/>"
