"""Specifications of the loopback Drive v3 of :class:`~tests.fakes.google.FakeGoogle`: what braingain's
Drive adapter relies on, checked against Drive's discovery document (shipped with
google-api-python-client) and spoken to over plain HTTP as a person's OAuth client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from tests.fakes.fixtures import LEADER_EMAIL, SERVICE_ACCOUNT_EMAIL, gspread_client, gspread_user_client
from tests.fakes.framework import reset_after_commit
from tests.fakes.google import DOCUMENT_MIME_TYPE, FOLDER_MIME_TYPE, FakeGoogle, discovery, html_text

FILES = "https://www.googleapis.com/drive/v3/files"
UPLOAD = "https://www.googleapis.com/upload/drive/v3/files"
BOUNDARY = "===============braingain=="


def client(fake: FakeGoogle) -> HTTPClient:
    return gspread_user_client(fake).http_client


def error_of(raised: pytest.ExceptionInfo[APIError]) -> dict[str, Any]:
    return dict(raised.value.error)


def multipart(metadata: str, media: str, media_type: str = "text/html") -> tuple[bytes, dict[str, str]]:
    """A ``multipart/related`` upload body as googleapiclient sends it."""
    body = (
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\nMIME-Version: 1.0\r\n\r\n{metadata}\r\n"
        f"--{BOUNDARY}\r\nContent-Type: {media_type}\r\nMIME-Version: 1.0\r\n"
        f"Content-Transfer-Encoding: binary\r\n\r\n{media}\r\n--{BOUNDARY}--"
    )
    return body.encode("utf-8"), {"Content-Type": f'multipart/related; boundary="{BOUNDARY}"'}


def test_every_drive_route_of_the_fake_is_a_method_of_the_discovery_document(fake_google: FakeGoogle) -> None:
    document = discovery("drive.v3")
    root = document["rootUrl"].removesuffix("/")
    drive_routes = [r for r in fake_google.routes if r.name.startswith("drive.")]

    for found in drive_routes:
        _, resource, method, *media = found.name.split(".")
        described = document["resources"][resource]["methods"][method]
        path = (
            described["mediaUpload"]["protocols"]["simple"]["path"]
            if media
            else f"/{document['servicePath']}{described['path']}".replace("//", "/")
        )
        assert found.method == described["httpMethod"], found.name
        assert re.sub(r"\{\+?(\w+)\}", r"{\1}", path) == found.pattern, found.name
        assert f"{root}{path}".startswith("https://www.googleapis.com/")
    assert {r.name for r in drive_routes} >= {
        "drive.files.generateIds",
        "drive.files.create",
        "drive.files.create.media",
        "drive.files.list",
        "drive.files.get",
        "drive.files.update",
        "drive.files.update.media",
        "drive.permissions.create",
        "drive.permissions.list",
        "drive.permissions.delete",
    }


def test_a_query_parameter_drive_does_not_describe_is_a_problem_of_the_fake(fake_google: FakeGoogle) -> None:
    with pytest.raises(APIError) as refused:
        client(fake_google).request("get", f"{FILES}/generateIds", params={"howMany": "3"})

    assert error_of(refused)["code"] == 400
    assert fake_google.problems == [
        "drive.files.generateIds: query parameter 'howMany' is not in Drive's discovery document"
    ]
    fake_google.problems.clear()


def test_generate_ids_answers_as_drive_within_its_limits(fake_google: FakeGoogle) -> None:
    http = client(fake_google)

    answer = http.request("get", f"{FILES}/generateIds", params={"count": "3"}).json()
    with pytest.raises(APIError) as too_many:
        http.request("get", f"{FILES}/generateIds", params={"count": "1001"})

    assert (answer["kind"], answer["space"]) == ("drive#generatedIds", "drive")
    assert len(set(answer["ids"])) == 3
    assert error_of(too_many)["errors"][0]["location"] == "count"


def test_a_file_takes_a_generated_id_once_and_never_one_drive_did_not_generate(
    fake_google: FakeGoogle,
) -> None:
    http = client(fake_google)
    (file_id,) = http.request("get", f"{FILES}/generateIds", params={"count": "1"}).json()["ids"]
    folder = {"id": file_id, "name": "Group", "mimeType": FOLDER_MIME_TYPE}

    made = http.request("post", FILES, json=folder, params={"fields": "id,webViewLink"}).json()
    with pytest.raises(APIError) as again:
        http.request("post", FILES, json=folder)
    with pytest.raises(APIError) as invented:
        http.request("post", FILES, json={**folder, "id": "1madeUpByTheClient0123456789abcdef"})

    assert made == {"id": file_id, "webViewLink": f"https://drive.google.com/drive/folders/{file_id}"}
    assert (error_of(again)["code"], error_of(again)["errors"][0]["reason"]) == (409, "duplicate")
    assert (error_of(invented)["code"], error_of(invented)["errors"][0]["reason"]) == (400, "fileIdNotUsable")


def test_a_search_by_app_properties_sees_a_file_only_once_the_index_caught_up(
    fake_google: FakeGoogle,
) -> None:
    fake_google.drive_search_lag = 600
    http = client(fake_google)
    body = {"name": "P1", "mimeType": FOLDER_MIME_TYPE, "appProperties": {"braingainGroup": "g1"}}
    made = http.request("post", FILES, json=body, params={"fields": "id,appProperties"}).json()
    query = "appProperties has { key='braingainGroup' and value='g1' } and trashed = false"

    before = http.request("get", FILES, params={"q": query}).json()["files"]
    at_once = http.request("get", f"{FILES}/{made['id']}").json()
    fake_google.catch_up_search()
    after = http.request("get", FILES, params={"q": query}).json()["files"]
    other = http.request("get", FILES, params={"q": query.replace("g1", "g2")}).json()["files"]

    assert made["appProperties"] == {"braingainGroup": "g1"}
    assert before == []
    assert at_once["id"] == made["id"]
    assert [f["id"] for f in after] == [made["id"]]
    assert other == []


def test_a_multipart_upload_of_html_as_a_doc_is_converted_and_an_update_replaces_its_text(
    fake_google: FakeGoogle,
) -> None:
    http = client(fake_google)
    metadata = f'{{"name": "Minutes", "mimeType": "{DOCUMENT_MIME_TYPE}"}}'
    data, headers = multipart(
        metadata, "<html><head><title>x</title></head><body><h1>Minutes</h1><p>Ok &amp; done</p>"
    )
    made = http.request(
        "post",
        UPLOAD,
        params={"uploadType": "multipart", "fields": "id,mimeType,modifiedTime,webViewLink"},
        data=data,
        headers=headers,
    ).json()
    data, headers = multipart('{"name": "Minutes (corrected)"}', "<p>Changed</p>")
    updated = http.request(
        "patch",
        f"{UPLOAD}/{made['id']}",
        params={"uploadType": "multipart", "fields": "name,modifiedTime"},
        data=data,
        headers=headers,
    ).json()

    assert made["mimeType"] == DOCUMENT_MIME_TYPE
    assert made["webViewLink"] == f"https://docs.google.com/document/d/{made['id']}/edit?usp=drivesdk"
    assert updated["name"] == "Minutes (corrected)"
    assert updated["modifiedTime"] > made["modifiedTime"]
    assert fake_google.doc_text(made["id"]) == "Changed"
    assert fake_google.count("drive.files.create.media") == fake_google.count("drive.files.update.media") == 1


def test_a_person_editing_a_doc_changes_its_text_and_moves_its_modified_time_on(
    fake_google: FakeGoogle,
) -> None:
    http = client(fake_google)
    data, headers = multipart(f'{{"name": "Minutes", "mimeType": "{DOCUMENT_MIME_TYPE}"}}', "<p>Ours</p>")
    made = http.request(
        "post",
        UPLOAD,
        params={"uploadType": "multipart", "fields": "id,modifiedTime"},
        data=data,
        headers=headers,
    ).json()

    fake_google.edit_doc(made["id"], "A person's own notes")

    seen = http.request("get", f"{FILES}/{made['id']}", params={"fields": "modifiedTime"}).json()
    assert fake_google.doc_text(made["id"]) == "A person's own notes"
    assert seen["modifiedTime"] > made["modifiedTime"]
    assert made["id"] in fake_google.file_ids()
    with pytest.raises(KeyError):
        fake_google.edit_doc(fake_google.new_spreadsheet("not a doc", {"Sheet1": []}), "text")


def test_the_text_of_a_converted_doc_keeps_one_line_per_block() -> None:
    assert (
        html_text("<title>T</title><h1>A</h1><p>b<br>c</p><ul><li>d &lt;e&gt;</li></ul>") == "A\nb\nc\nd <e>"
    )


def test_files_update_renames_and_merges_app_properties(fake_google: FakeGoogle) -> None:
    http = client(fake_google)
    body = {"name": "P1", "mimeType": FOLDER_MIME_TYPE, "appProperties": {"a": "1", "b": "2"}}
    file_id = http.request("post", FILES, json=body).json()["id"]

    answer = http.request(
        "patch",
        f"{FILES}/{file_id}",
        json={"name": "P1 Sleep", "appProperties": {"a": None, "c": "3"}},
        params={"fields": "name,appProperties"},
    ).json()

    assert answer == {"name": "P1 Sleep", "appProperties": {"b": "2", "c": "3"}}


def test_a_create_reset_after_commit_is_made_and_its_answer_lost(fake_google: FakeGoogle) -> None:
    http = client(fake_google)
    (file_id,) = http.request("get", f"{FILES}/generateIds", params={"count": "1"}).json()["ids"]
    fake_google.faults.add("drive.files.create", reset_after_commit())

    with pytest.raises(Exception, match="Connection"):
        http.request("post", FILES, json={"id": file_id, "name": "G", "mimeType": FOLDER_MIME_TYPE})

    assert fake_google.file(file_id)["name"] == "G"


def test_a_file_in_the_bin_is_still_there_for_files_get_and_out_of_a_search_for_trashed_false(
    fake_google: FakeGoogle,
) -> None:
    http = client(fake_google)
    folder = http.request("post", FILES, json={"name": "G", "mimeType": FOLDER_MIME_TYPE}).json()["id"]
    inside = http.request(
        "post", FILES, json={"name": "P", "mimeType": FOLDER_MIME_TYPE, "parents": [folder]}
    )
    fake_google.trash(folder)

    got = http.request("get", f"{FILES}/{inside.json()['id']}", params={"fields": "trashed"}).json()
    listed = http.request("get", FILES, params={"q": "trashed = false"}).json()["files"]

    assert got == {"trashed": True}  # the bin takes a folder with everything in it
    assert listed == []


def test_permissions_on_a_folder_inside_another_carry_inherited_details(fake_google: FakeGoogle) -> None:
    http = client(fake_google)
    folder = http.request("post", FILES, json={"name": "G", "mimeType": FOLDER_MIME_TYPE}).json()["id"]
    inside = http.request(
        "post", FILES, json={"name": "P", "mimeType": FOLDER_MIME_TYPE, "parents": [folder]}
    ).json()["id"]
    fake_google.share(folder, "helper@example.org", "reader")
    fake_google.share(folder, "ada@example.org", "reader")
    fake_google.share(inside, "helper@example.org", "writer")
    fake_google.share_with_anyone(inside)
    fields = "permissions(id,type,role,emailAddress,permissionDetails)"

    listed = http.request("get", f"{FILES}/{inside}/permissions", params={"fields": fields}).json()
    helper, ada = (fake_google.permissions(folder)[n]["id"] for n in (1, 2))
    with pytest.raises(APIError) as inherited_only:  # Ada's share is on the folder above only
        http.request("delete", f"{FILES}/{inside}/permissions/{ada}")
    http.request("delete", f"{FILES}/{inside}/permissions/{helper}")  # the writer share on the folder
    left = http.request("get", f"{FILES}/{inside}/permissions", params={"fields": fields}).json()

    by_who = {p.get("emailAddress", p["type"]): p for p in listed["permissions"]}
    assert by_who[LEADER_EMAIL]["permissionDetails"] == [
        {"permissionType": "file", "role": "owner", "inherited": False}
    ]
    assert by_who["helper@example.org"]["role"] == "writer"  # the stronger of the two
    assert by_who["helper@example.org"]["permissionDetails"] == [
        {"permissionType": "file", "role": "writer", "inherited": False},
        {"permissionType": "file", "role": "reader", "inherited": True},
    ]
    assert by_who["ada@example.org"]["permissionDetails"] == [
        {"permissionType": "file", "role": "reader", "inherited": True}
    ]
    assert by_who["anyone"]["id"] == "anyoneWithLink"
    assert error_of(inherited_only)["code"] == 403
    helper_left = [p for p in left["permissions"] if p["id"] == helper]
    assert [(p["role"], p["permissionDetails"][0]["inherited"]) for p in helper_left] == [("reader", True)]


def test_a_service_account_sees_a_shared_drives_files_only_when_it_asks_for_all_drives(
    fake_google: FakeGoogle,
) -> None:
    drive = fake_google.new_shared_drive("Group", members=[SERVICE_ACCOUNT_EMAIL])
    robot = gspread_client(fake_google).http_client
    everywhere: dict[str, Any] = {
        "supportsAllDrives": "true",
        "includeItemsFromAllDrives": "true",
        "corpora": "allDrives",
    }
    folder = robot.request(
        "post",
        FILES,
        json={"name": "G", "mimeType": FOLDER_MIME_TYPE, "parents": [drive]},
        params={"supportsAllDrives": "true", "fields": "id,driveId"},
    ).json()

    mine = robot.request("get", FILES).json()["files"]
    all_drives = robot.request("get", FILES, params=everywhere).json()["files"]
    with pytest.raises(APIError) as without:
        robot.request("get", f"{FILES}/{folder['id']}")

    assert folder["driveId"] == drive
    assert mine == []
    assert [f["id"] for f in all_drives] == [folder["id"]]
    assert error_of(without)["code"] == 404
