"""The Google Drive adapter (:mod:`braingain.integrations.drive.google`) through the real
googleapiclient client on httplib2, against the loopback Drive v3 of :class:`~tests.fakes.google.FakeGoogle`.

Every fake here has a search lag (``drive_search_lag``): nothing may rely on a search seeing a file
right after it was made."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest

from braingain.core.drive.folders import FileSpec, FolderSpec
from braingain.core.drive.minutes import ActionLine, MinutesDoc
from braingain.core.ports import Drive
from braingain.integrations.config import Config, DriveConfig, TrackerConfig
from braingain.integrations.drive.errors import (
    DriveAuthError,
    DriveError,
    DriveNoStorage,
    DriveParentNotFound,
    DriveRefused,
    DriveUnavailable,
)
from braingain.integrations.drive.google import GoogleDrive, drive_for
from braingain.integrations.retry import RetryPolicy
from tests.fakes.fixtures import (
    LEADER_EMAIL,
    SERVICE_ACCOUNT_EMAIL,
    authorized_user_info,
    google_endpoints,
    service_account_info,
)
from tests.fakes.framework import rate_limited, reset_after_commit, status, timeout
from tests.fakes.google import DOCUMENT_MIME_TYPE, FOLDER_MIME_TYPE, FakeGoogle
from tests.tracker.helpers import sample_settings

E = TypeVar("E", bound=DriveError)
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
TAG = "group-1a2b"
LAG = 3600.0
"""Seconds a new file stays out of Drive's search in these tests: longer than any test runs."""
ROOT = FolderSpec("root", "Research group", None)


def no_email(text: str) -> None:
    assert not EMAIL_PATTERN.search(text), f"an email address leaked into: {text}"


@pytest.fixture
def fake(fake_google: FakeGoogle) -> FakeGoogle:
    fake_google.drive_search_lag = LAG
    return fake_google


def config_for(
    fake: FakeGoogle, tmp_path: Path, info: Mapping[str, object], *, parent: str | None = None
) -> Config:
    key_file = tmp_path / f"google-{len(list(tmp_path.iterdir()))}.json"
    key_file.write_text(json.dumps(info), encoding="utf-8")
    return Config(
        source=None,
        settings=sample_settings(date(2027, 1, 11)),
        tracker=TrackerConfig(backend="google", spreadsheet_id="1sheet", share_with_leaders=False),
        endpoints=google_endpoints(fake),
        drive=DriveConfig(parent=parent),
        environment={"GOOGLE_APPLICATION_CREDENTIALS": str(key_file)},
    )


def leader_drive(
    fake: FakeGoogle, tmp_path: Path, *, parent: str | None = None, timeout: float = 10.0
) -> GoogleDrive:
    """The adapter signed in as the leader (``braingain login google``): what it makes, the leader owns."""
    config = config_for(fake, tmp_path, authorized_user_info(fake), parent=parent)
    drive = drive_for(config, retry=RetryPolicy(sleep=lambda _: None), timeout=timeout)
    fake.add_cleanup(drive.close)
    return drive


def robot_drive(fake: FakeGoogle, tmp_path: Path, *, parent: str | None = None) -> GoogleDrive:
    """The adapter signed in as a service account."""
    config = config_for(fake, tmp_path, service_account_info(fake), parent=parent)
    drive = drive_for(config, retry=RetryPolicy(sleep=lambda _: None))
    fake.add_cleanup(drive.close)
    return drive


def minutes(text: str = "We chose the cohort.", title: str = "Minutes 2027-01-16") -> MinutesDoc:
    return MinutesDoc(
        meeting_id="2027-01-16",
        folder="P1/minutes",
        title=title,
        group="Research group",
        when="Sat 16 Jan 2027 14:00",
        minutes=text,
        decisions=("Use the 2026 cohort",),
        actions=(ActionLine("Draft the survey", "Ada Obiora", "2027-01-23"),),
        present=("Ada Obiora", "Efe Bello"),
    )


def query_of(fake: FakeGoogle, route: str) -> list[dict[str, list[str]]]:
    return [r.query for r in fake.requests_to(route)]


def made_root(drive: GoogleDrive) -> str:
    """The id of the group's root folder, made with ``drive`` in its configured parent."""
    (root_id,) = drive.new_ids(1)
    drive.make_folder(ROOT, parent=None, file_id=root_id, tag=TAG)
    return root_id


def made_project(drive: GoogleDrive) -> tuple[str, str]:
    """The ids of the group's root folder and of project P1's folder in it."""
    root_id = made_root(drive)
    (project_id,) = drive.new_ids(1)
    drive.make_folder(FolderSpec("P1", "P1", "root"), parent=root_id, file_id=project_id, tag=TAG)
    return root_id, project_id


def root_refused(drive: GoogleDrive, expected: type[E]) -> E:
    """What ``drive`` raised on making the group's root folder (it must raise ``expected``)."""
    (root_id,) = drive.new_ids(1)
    with pytest.raises(expected) as refused:
        drive.make_folder(ROOT, parent=None, file_id=root_id, tag=TAG)
    no_email(str(refused.value))
    return refused.value


# -- ids, folders, and finding them again ---------------------------------------------------


def test_new_ids_come_from_one_generate_ids_request_and_are_all_different(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive: Drive = leader_drive(fake, tmp_path)

    ids = drive.new_ids(7)

    assert len(set(ids)) == 7
    assert query_of(fake, "drive.files.generateIds") == [
        {"count": ["7"], "space": ["drive"], "type": ["files"], "alt": ["json"]}
    ]


def test_a_folder_is_made_with_its_id_in_my_drive_and_belongs_to_the_leader(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    root_id, project_id = drive.new_ids(2)

    root = drive.make_folder(ROOT, parent=None, file_id=root_id, tag=TAG)
    project = drive.make_folder(
        FolderSpec("P1", "P1 Sleep study", "root"), parent=root.id, file_id=project_id, tag=TAG
    )

    assert root == drive.look(root_id)
    assert (root.id, root.name, root.key) == (root_id, "Research group", "root")
    assert root.url == f"https://drive.google.com/drive/folders/{root_id}"
    assert root.modified
    assert fake.file(project_id)["parents"] == [root_id]
    assert fake.file(root_id)["mimeType"] == FOLDER_MIME_TYPE
    assert "parents" not in fake.file(root_id)  # My Drive's root
    assert fake.owner(project.id) == LEADER_EMAIL
    assert fake.app_properties(project.id) == {"braingainGroup": TAG, "braingainKey": "P1"}
    body = fake.requests_to("drive.files.create")[0]
    assert body.query["supportsAllDrives"] == ["true"]
    assert body.query["fields"] == ["id,name,webViewLink,modifiedTime,appProperties"]


def test_the_configured_parent_holds_the_groups_folder(fake: FakeGoogle, tmp_path: Path) -> None:
    first = leader_drive(fake, tmp_path)
    (holder_id,) = first.new_ids(1)
    holder = first.make_folder(FolderSpec("x", "Groups", None), parent=None, file_id=holder_id, tag="other")
    drive = leader_drive(fake, tmp_path, parent=holder.id)

    made = drive.make_folder(ROOT, parent=None, file_id=drive.new_ids(1)[0], tag=TAG)

    assert fake.file(made.id)["parents"] == [holder.id]


def test_a_create_whose_answer_was_lost_is_found_by_its_id_and_never_made_twice(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    (root_id,) = drive.new_ids(1)
    fake.faults.add("drive.files.create", reset_after_commit(), times=50)

    with pytest.raises(DriveUnavailable) as lost:
        drive.make_folder(ROOT, parent=None, file_id=root_id, tag=TAG)
    fake.faults.clear()
    again = drive.make_folder(ROOT, parent=None, file_id=root_id, tag=TAG)
    fake.catch_up_search()

    assert lost.value.outcome_known is False
    no_email(str(lost.value))
    assert again.id == root_id
    assert again.key == "root"
    assert list(drive.find(TAG)) == ["root"]
    assert fake.count("drive.files.list") == 1  # one look at the end; the create never searched
    assert fake.requests_to("drive.files.create")[-1].status == 409
    assert fake.requests_to("drive.files.get")[-1].status == 200


def test_one_dropped_answer_is_retried_with_the_same_id_and_answered_from_the_folder_made(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    (root_id,) = drive.new_ids(1)
    fake.faults.add("drive.files.create", reset_after_commit())

    made = drive.make_folder(ROOT, parent=None, file_id=root_id, tag=TAG)

    assert made.id == root_id
    assert fake.count("drive.files.create") == 2
    assert fake.count("drive.files.list") == 0


def test_find_gathers_every_page_of_the_groups_files_by_key_and_leaves_the_bin_and_other_groups_out(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    config = config_for(fake, tmp_path, authorized_user_info(fake))
    drive = drive_for(config, retry=RetryPolicy(sleep=lambda _: None))
    drive.page_size = 2
    fake.add_cleanup(drive.close)
    ids = drive.new_ids(7)
    for key, file_id in zip(("root", "minutes", "P1", "P2", "P3"), ids, strict=False):
        drive.make_folder(FolderSpec(key, f"folder {key}", None), parent=None, file_id=file_id, tag=TAG)
    drive.make_folder(FolderSpec("root", "Another group", None), parent=None, file_id=ids[5], tag="other")
    unseen_yet = drive.find(TAG)
    fake.trash(ids[4])
    fake.catch_up_search()

    found = drive.find(TAG)

    assert unseen_yet == {}  # Drive's search lags: nothing relies on it seeing new files
    assert sorted(found) == ["P1", "P2", "minutes", "root"]
    assert found["P1"].id == ids[2]
    assert found["P1"].url.endswith(ids[2])
    lists = query_of(fake, "drive.files.list")
    assert len(lists) == 1 + 2  # before the index caught up, then two pages of two (and a last one)
    assert lists[-1]["q"] == [
        f"appProperties has {{ key='braingainGroup' and value='{TAG}' }} and trashed = false"
    ]
    assert lists[-1]["corpora"] == ["allDrives"]
    assert lists[-1]["includeItemsFromAllDrives"] == ["true"]


def test_look_sees_a_new_folder_at_once_and_nothing_for_one_never_made_or_in_the_bin(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    made_id, never_id = drive.new_ids(2)
    drive.make_folder(ROOT, parent=None, file_id=made_id, tag=TAG)

    seen = drive.look(made_id)
    never = drive.look(never_id)
    fake.trash(made_id)
    binned = drive.look(made_id)

    assert seen is not None
    assert seen.id == made_id
    assert never is None
    assert binned is None


def test_rename_changes_the_name_and_a_folder_gone_is_none(fake: FakeGoogle, tmp_path: Path) -> None:
    drive = leader_drive(fake, tmp_path)
    made_id, never_id = drive.new_ids(2)
    drive.make_folder(ROOT, parent=None, file_id=made_id, tag=TAG)

    renamed = drive.rename(made_id, "Research group (2027)")

    assert renamed is not None
    assert renamed.name == "Research group (2027)"
    assert fake.file(made_id)["name"] == "Research group (2027)"
    assert drive.rename(never_id, "x") is None


# -- who may open a folder ---------------------------------------------------------------------


def test_shares_lists_the_owner_a_hand_made_share_an_inherited_one_and_anyone_with_the_link(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    root_id, project_id = made_project(drive)
    fake.share(root_id, "helper@example.org", "reader")  # by hand, on the folder above
    fake.share(project_id, "ada@example.org", "commenter")  # by hand, on the folder itself
    fake.share_with_anyone(project_id)

    shares = {p.email or p.kind: p for p in drive.shares(project_id)}

    assert set(shares) == {LEADER_EMAIL, "helper@example.org", "ada@example.org", "anyone"}
    assert (shares[LEADER_EMAIL].role, shares[LEADER_EMAIL].inherited) == ("owner", False)
    assert (shares["helper@example.org"].role, shares["helper@example.org"].inherited) == ("reader", True)
    assert (shares["ada@example.org"].role, shares["ada@example.org"].inherited) == ("commenter", False)
    assert (shares["anyone"].kind, shares["anyone"].name) == ("anyone", "anyone with the link")
    for permission in shares.values():
        no_email(permission.name)


def test_a_share_on_the_folder_and_one_inherited_for_the_same_person_is_not_inherited(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    root_id, project_id = made_project(drive)
    fake.share(root_id, "ada@example.org", "reader")

    granted = drive.share(project_id, "ada@example.org", "writer", notify=False, name="Ada Obiora")
    listed = {p.id: p for p in drive.shares(project_id)}[granted.id]

    assert (listed.role, listed.inherited) == ("writer", False)  # taking it away leaves the reader above


def test_share_always_says_whether_drive_emails_the_person(fake: FakeGoogle, tmp_path: Path) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id = made_root(drive)

    told = drive.share(folder_id, "ada@example.org", "writer", notify=True, name="Ada Obiora")
    quiet = drive.share(folder_id, "efe@example.org", "reader", notify=False, name="Efe Bello")

    sent = query_of(fake, "drive.permissions.create")
    assert [q["sendNotificationEmail"] for q in sent] == [["true"], ["false"]]
    assert all(q["supportsAllDrives"] == ["true"] for q in sent)
    assert [r.body["type"] for r in fake.requests_to("drive.permissions.create")] == ["user", "user"]
    assert [n["sendNotificationEmail"] for n in fake.share_notifications(folder_id)] == [True, False]
    assert (told.role, told.kind, told.email, told.name, told.inherited) == (
        "writer",
        "user",
        "ada@example.org",
        "Ada Obiora",
        False,
    )
    assert quiet.role == "reader"
    assert {p["id"] for p in fake.permissions(folder_id)} >= {told.id, quiet.id}


def test_unshare_takes_the_permission_away_and_one_already_gone_is_fine(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id = made_root(drive)
    granted = drive.share(folder_id, "ada@example.org", "writer", notify=False, name="Ada Obiora")

    drive.unshare(folder_id, granted.id)
    drive.unshare(folder_id, granted.id)  # a retry, or a person took it away by hand

    assert [p["role"] for p in fake.permissions(folder_id)] == ["owner"]
    assert [r.status for r in fake.requests_to("drive.permissions.delete")] == [204, 404]


# -- minutes as Google Docs --------------------------------------------------------------------


def test_save_doc_uploads_the_minutes_to_the_upload_endpoint_and_drive_converts_them_to_a_doc(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id, doc_id = drive.new_ids(2)
    drive.make_folder(FolderSpec("P1/minutes", "Minutes", None), parent=None, file_id=folder_id, tag=TAG)

    saved = drive.save_doc(minutes(), parent=folder_id, file_id=doc_id, tag=TAG)

    assert (saved.id, saved.name, saved.key) == (doc_id, "Minutes 2027-01-16", "minutes:2027-01-16")
    assert saved.url == f"https://docs.google.com/document/d/{doc_id}/edit?usp=drivesdk"
    assert fake.file(doc_id)["mimeType"] == DOCUMENT_MIME_TYPE
    assert fake.file(doc_id)["parents"] == [folder_id]
    text = fake.doc_text(doc_id)
    assert "We chose the cohort." in text
    assert "Use the 2026 cohort" in text
    assert "Draft the survey (Ada Obiora, by 2027-01-23)" in text
    (upload,) = fake.requests_to("drive.files.create.media")
    assert upload.path == "/upload/drive/v3/files"
    assert upload.query["uploadType"] == ["multipart"]


def test_a_doc_saved_twice_with_one_id_is_one_doc(fake: FakeGoogle, tmp_path: Path) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id, doc_id = drive.new_ids(2)
    drive.make_folder(FolderSpec("minutes", "Minutes", None), parent=None, file_id=folder_id, tag=TAG)
    first = drive.save_doc(minutes(), parent=folder_id, file_id=doc_id, tag=TAG)

    second = drive.save_doc(minutes(), parent=folder_id, file_id=doc_id, tag=TAG)
    fake.catch_up_search()

    assert second == first
    assert list(drive.find(TAG)) == ["minutes", "minutes:2027-01-16"]


def test_replace_doc_puts_the_corrected_minutes_in_place_and_changes_modified(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id, doc_id, never_id = drive.new_ids(3)
    drive.make_folder(FolderSpec("minutes", "Minutes", None), parent=None, file_id=folder_id, tag=TAG)
    first = drive.save_doc(minutes(), parent=folder_id, file_id=doc_id, tag=TAG)

    replaced = drive.replace_doc(doc_id, minutes("We chose the 2025 cohort after all."))

    assert replaced is not None
    assert replaced.id == doc_id
    assert replaced.modified != first.modified
    assert "We chose the 2025 cohort after all." in fake.doc_text(doc_id)
    assert "We chose the cohort." not in fake.doc_text(doc_id)
    assert fake.file(doc_id)["mimeType"] == DOCUMENT_MIME_TYPE
    assert fake.requests_to("drive.files.update.media")[0].path == f"/upload/drive/v3/files/{doc_id}"
    assert drive.replace_doc(never_id, minutes()) is None


def chart(name: str = "gantt-P1.png", fingerprint: str = "3f2a9c1d0b") -> FileSpec:
    mime = "image/svg+xml" if name.endswith(".svg") else "image/png"
    return FileSpec("P1", name, mime, fingerprint, "the Gantt chart of P1")


def project_folder(drive: GoogleDrive, count: int) -> tuple[str, ...]:
    """A project's folder made, and ``count`` more ids: (the folder's id, the others...)."""
    ids = drive.new_ids(count + 1)
    drive.make_folder(FolderSpec("P1", "P1 A review", None), parent=None, file_id=ids[0], tag=TAG)
    return ids


def test_save_file_uploads_the_bytes_as_they_are_with_its_key_in_the_project_folder(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id, png_id, svg_id = project_folder(drive, 2)

    saved = drive.save_file(chart(), b"\x89PNG chart", parent=folder_id, file_id=png_id, tag=TAG)
    drive.save_file(chart("gantt-P1.svg"), b"<svg/>", parent=folder_id, file_id=svg_id, tag=TAG)

    assert (saved.id, saved.name, saved.key) == (png_id, "gantt-P1.png", "file:P1/gantt-P1.png")
    resource = fake.file(png_id)
    assert (resource["mimeType"], resource["parents"]) == ("image/png", [folder_id])
    assert fake.file_bytes(png_id) == b"\x89PNG chart"
    assert fake.file(svg_id)["mimeType"] == "image/svg+xml"
    assert fake.file_bytes(svg_id) == b"<svg/>"
    uploads = fake.requests_to("drive.files.create.media")
    assert [u.query["uploadType"] for u in uploads] == [["multipart"], ["multipart"]]
    assert all(u.query["supportsAllDrives"] == ["true"] for u in uploads)
    fake.catch_up_search()
    assert set(drive.find(TAG)) == {"P1", "file:P1/gantt-P1.png", "file:P1/gantt-P1.svg"}


def test_a_file_saved_twice_with_one_id_is_one_file(fake: FakeGoogle, tmp_path: Path) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id, png_id = project_folder(drive, 1)
    first = drive.save_file(chart(), b"one", parent=folder_id, file_id=png_id, tag=TAG)

    second = drive.save_file(chart(), b"one", parent=folder_id, file_id=png_id, tag=TAG)

    assert second == first
    assert fake.file_bytes(png_id) == b"one"


def test_replace_file_puts_a_new_version_in_place_keeping_its_id_and_link(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id, png_id, never_id = project_folder(drive, 2)
    first = drive.save_file(chart(), b"version one", parent=folder_id, file_id=png_id, tag=TAG)

    replaced = drive.replace_file(png_id, chart(fingerprint="0b1d9c2a3f"), b"version two")

    assert replaced is not None
    assert (replaced.id, replaced.url) == (first.id, first.url)
    assert replaced.modified != first.modified
    assert fake.file_bytes(png_id) == b"version two"
    assert fake.requests_to("drive.files.update.media")[0].path == f"/upload/drive/v3/files/{png_id}"
    assert drive.replace_file(never_id, chart(), b"x") is None


# -- a service account, and shared drives --------------------------------------------------------


def test_a_service_account_outside_a_shared_drive_is_told_both_fixes(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    refused = root_refused(robot_drive(fake, tmp_path), DriveNoStorage)

    said = str(refused)
    assert "owns nothing outside a shared drive" in said
    assert "braingain login google" in said
    assert "remove GOOGLE_APPLICATION_CREDENTIALS" in said
    assert "Content manager" in said
    assert "parent under [drive]" in said
    assert (refused.outcome_known, refused.halts) == (True, True)


def test_a_service_account_keeps_the_whole_tree_in_a_shared_drive(fake: FakeGoogle, tmp_path: Path) -> None:
    shared = fake.new_shared_drive("Research group", members=[SERVICE_ACCOUNT_EMAIL])
    drive = robot_drive(fake, tmp_path, parent=shared)
    root_id, project_id, doc_id = drive.new_ids(3)

    root = drive.make_folder(ROOT, parent=None, file_id=root_id, tag=TAG)
    project = drive.make_folder(FolderSpec("P1", "P1", "root"), parent=root.id, file_id=project_id, tag=TAG)
    doc = drive.save_doc(minutes(), parent=project.id, file_id=doc_id, tag=TAG)
    granted = drive.share(project.id, "ada@example.org", "writer", notify=True, name="Ada Obiora")
    shares = {p.id: p for p in drive.shares(project.id)}
    fake.catch_up_search()
    found = drive.find(TAG)

    assert fake.owner(root_id) == fake.owner(doc.id) == ""  # the shared drive's, nobody's own
    assert fake.file(root_id)["parents"] == [shared]
    assert drive.look(project_id) == project
    assert sorted(found) == ["P1", "minutes:2027-01-16", "root"]
    assert shares[granted.id].inherited is False
    member = [p for p in shares.values() if p.email == SERVICE_ACCOUNT_EMAIL]
    assert [(p.role, p.inherited) for p in member] == [("organizer", True)]
    assert "We chose the cohort." in fake.doc_text(doc_id)


def test_a_service_account_renames_replaces_and_unshares_in_a_shared_drive(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    shared = fake.new_shared_drive("Research group", members=[SERVICE_ACCOUNT_EMAIL])
    drive = robot_drive(fake, tmp_path, parent=shared)
    root_id = made_root(drive)
    (doc_id,) = drive.new_ids(1)
    drive.save_doc(minutes(), parent=root_id, file_id=doc_id, tag=TAG)
    granted = drive.share(root_id, "ada@example.org", "writer", notify=False, name="Ada Obiora")

    renamed = drive.rename(root_id, "Research group 2027")
    replaced = drive.replace_doc(doc_id, minutes("Corrected."))
    drive.unshare(root_id, granted.id)

    assert renamed is not None
    assert renamed.name == "Research group 2027"
    assert replaced is not None
    assert fake.doc_text(doc_id).count("Corrected.") == 1
    assert granted.id not in {p.id for p in drive.shares(root_id)}


def test_a_parent_braingain_may_not_use_names_the_fixes(fake: FakeGoogle, tmp_path: Path) -> None:
    missing = root_refused(leader_drive(fake, tmp_path, parent="0BmadeByHand12345"), DriveParentNotFound)

    said = str(missing)
    assert "0BmadeByHand12345" in said
    assert "only folders it made itself" in said
    assert "shared drive's id" in said
    assert (missing.outcome_known, missing.halts) == (True, True)


def test_refused_credentials_halt_drive_and_say_how_to_sign_in_again(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    info = authorized_user_info(fake)
    drive = drive_for(config_for(fake, tmp_path, info), retry=RetryPolicy(sleep=lambda _: None))
    fake.add_cleanup(drive.close)
    fake.revoke_refresh_token(str(info["refresh_token"]))

    with pytest.raises(DriveAuthError) as refused:
        drive.new_ids(1)

    assert (refused.value.outcome_known, refused.value.halts) == (True, True)
    assert "braingain login google" in str(refused.value)
    no_email(str(refused.value))


# -- retries and unknown outcomes ------------------------------------------------------------------


def test_rate_limits_and_server_errors_are_retried(fake: FakeGoogle, tmp_path: Path) -> None:
    drive = leader_drive(fake, tmp_path)
    fake.faults.add("drive.files.generateIds", rate_limited(403))
    fake.faults.add("drive.files.generateIds", rate_limited(429))
    fake.faults.add("drive.files.generateIds", status(503))

    assert len(drive.new_ids(2)) == 2
    assert fake.count("drive.files.generateIds") == 4


def test_a_server_failing_through_every_retry_leaves_the_outcome_unknown(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id = made_root(drive)
    fake.faults.add("drive.files.update", status(503), times=10)

    with pytest.raises(DriveUnavailable) as failed:
        drive.rename(folder_id, "x")

    assert failed.value.outcome_known is False
    assert fake.count("drive.files.update") == RetryPolicy().attempts


def test_a_share_whose_answer_never_came_is_not_sent_twice_and_its_outcome_is_unknown(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    drive = leader_drive(fake, tmp_path, timeout=0.5)
    folder_id = made_root(drive)
    fake.faults.add("drive.permissions.create", timeout(5))

    with pytest.raises(DriveUnavailable) as lost:
        drive.share(folder_id, "ada@example.org", "writer", notify=True, name="Ada Obiora")

    assert lost.value.outcome_known is False
    assert fake.count("drive.permissions.create") == 1
    no_email(str(lost.value))


def test_a_refusal_is_known_and_never_names_the_member(fake: FakeGoogle, tmp_path: Path) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id = made_root(drive)
    refusal = {
        "error": {
            "code": 400,
            "message": 'Bad Request. User message: "You are trying to invite ada@example.org. Since there is '
            'no Google account associated with this email address, you must check the Notify people box."',
            "errors": [{"domain": "global", "reason": "invalidSharingRequest", "message": "Bad Request."}],
        }
    }
    fake.faults.add("drive.permissions.create", status(400, body=json.dumps(refusal)))

    with pytest.raises(DriveRefused) as refused:
        drive.share(folder_id, "ada@example.org", "writer", notify=False, name="Ada Obiora")

    assert (refused.value.outcome_known, refused.value.halts) == (True, False)
    assert "notify = true" in str(refused.value)
    no_email(str(refused.value))


def every_call(
    drive: GoogleDrive, folder_id: str, doc_id: str, permission_id: str
) -> dict[str, Callable[[], object]]:
    """One call of each port method, by the route it takes."""
    return {
        "drive.files.generateIds": lambda: drive.new_ids(1),
        "drive.files.list": lambda: drive.find(TAG),
        "drive.files.get": lambda: drive.look(folder_id),
        "drive.files.create": lambda: drive.make_folder(
            FolderSpec("P9", "P9", "root"), parent=folder_id, file_id=drive.new_ids(1)[0], tag=TAG
        ),
        "drive.files.update": lambda: drive.rename(folder_id, "Renamed"),
        "drive.permissions.list": lambda: drive.shares(folder_id),
        "drive.permissions.create": lambda: drive.share(
            folder_id, "efe@example.org", "reader", notify=False, name="Efe Bello"
        ),
        "drive.permissions.delete": lambda: drive.unshare(folder_id, permission_id),
        "drive.files.create.media": lambda: drive.save_doc(
            minutes(), parent=folder_id, file_id=drive.new_ids(1)[0], tag=TAG
        ),
        "drive.files.update.media": lambda: drive.replace_doc(doc_id, minutes("Again.")),
    }


ROUTES = (
    "drive.files.generateIds",
    "drive.files.list",
    "drive.files.get",
    "drive.files.create",
    "drive.files.update",
    "drive.permissions.list",
    "drive.permissions.create",
    "drive.permissions.delete",
    "drive.files.create.media",
    "drive.files.update.media",
)


@pytest.mark.parametrize("route", ROUTES)
def test_every_call_waits_out_a_rate_limit_and_a_server_error(
    fake: FakeGoogle, tmp_path: Path, route: str
) -> None:
    drive = leader_drive(fake, tmp_path)
    folder_id = made_root(drive)
    (doc_id,) = drive.new_ids(1)
    drive.save_doc(minutes(), parent=folder_id, file_id=doc_id, tag=TAG)
    granted = drive.share(folder_id, "ada@example.org", "writer", notify=False, name="Ada Obiora")
    call = every_call(drive, folder_id, doc_id, granted.id)[route]
    fake.reset_counts()
    fake.faults.add(route, rate_limited(429))
    fake.faults.add(route, status(500))

    call()

    assert fake.count(route) == 3
    assert [r.status for r in fake.requests_to(route)][:2] == [429, 500]


# -- least privilege ---------------------------------------------------------------------------------

FULL_DRIVE_SCOPE = re.compile(r"https://www\.googleapis\.com/auth/drive(?![.A-Za-z])")
"""The whole-Drive scope, not ``drive.file`` and its kind."""
SOURCE = Path(__file__).resolve().parents[2]


def full_drive_scope_in(text: str) -> list[int]:
    """The lines of ``text`` that ask for the whole Drive."""
    return [n for n, line in enumerate(text.splitlines(), 1) if FULL_DRIVE_SCOPE.search(line)]


def test_the_full_drive_scope_is_told_apart_from_drive_file() -> None:
    sample = "\n".join(
        [
            'SCOPES = ("https://www.googleapis.com/auth/drive.file",)',
            '"https://www.googleapis.com/auth/drive.readonly"',
            '"https://www.googleapis.com/auth/drive"',
            "https://www.googleapis.com/auth/drive ",
            "https://www.googleapis.com/auth/driveactivity",
        ]
    )

    assert full_drive_scope_in(sample) == [3, 4]


def test_no_code_of_braingain_asks_for_the_whole_drive() -> None:
    files = [p for folder in ("integrations", "core", "config", "src") for p in (SOURCE / folder).rglob("*")]
    texts = {p: p.read_text(encoding="utf-8") for p in files if p.suffix in (".py", ".toml", ".json")}

    assert len(texts) > 20
    assert {str(p): full_drive_scope_in(t) for p, t in texts.items() if full_drive_scope_in(t)} == {}
