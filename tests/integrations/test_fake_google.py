"""Specifications of the loopback Google fake, through the real gspread and google-auth clients."""

from __future__ import annotations

import datetime as dt
import gc
import warnings
from typing import Any

import gspread
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.exceptions import RefreshError
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account
from gspread.exceptions import APIError, SpreadsheetNotFound
from gspread.utils import ValueInputOption, ValueRenderOption

from braingain.integrations.http import GOOGLE_SHEETS, EndpointSession
from tests.conftest import NetworkAccessError
from tests.fakes.fixtures import (
    LEADER_EMAIL,
    SCOPES,
    SERVICE_ACCOUNT_EMAIL,
    google_endpoints,
    gspread_client,
    gspread_user_client,
    service_account_info,
)
from tests.fakes.framework import expired_token, rate_limited, reset_after_commit, status, timeout
from tests.fakes.google import TOKEN_URI, FakeGoogle

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"


def open_tracker(fake: FakeGoogle, tabs: dict[str, list[list[object]]] | None = None) -> gspread.Spreadsheet:
    spreadsheet_id = fake.new_spreadsheet("tracker", tabs or {"Members": [["Name", "Points"]]})
    return gspread_client(fake).open_by_key(spreadsheet_id)


def raised(error: pytest.ExceptionInfo[APIError]) -> dict[str, Any]:
    """The ``error`` object of the API's response body."""
    return dict(error.value.error)


# -- spreadsheets and worksheets -----------------------------------------------------------


def test_a_spreadsheet_created_with_gspread_by_a_signed_in_person_has_one_sheet_and_is_theirs(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = gspread_user_client(fake_google).create("Research group tracker")

    assert spreadsheet.title == "Research group tracker"
    assert [s["title"] for s in fake_google.sheets(spreadsheet.id)] == ["Sheet1"]
    assert fake_google.sheet(spreadsheet.id, "Sheet1")["sheetId"] == 0
    owner = fake_google.permissions(spreadsheet.id)[0]
    assert (owner["role"], owner["emailAddress"]) == ("owner", LEADER_EMAIL)
    assert fake_google.owner(spreadsheet.id) == LEADER_EMAIL
    assert fake_google.count("drive.files.create") == 1


def test_a_service_account_may_not_create_a_file_in_drive_as_google_refuses_it(
    fake_google: FakeGoogle,
) -> None:
    """Google gives service accounts no Drive storage: the 403 of files.create, usageLimits and all."""
    with pytest.raises(APIError) as error:
        gspread_client(fake_google).create("Research group tracker")

    body = raised(error)
    assert body["code"] == 403
    assert body["message"] == "The user's Drive storage quota has been exceeded."
    assert body["errors"] == [
        {
            "message": "The user's Drive storage quota has been exceeded.",
            "domain": "usageLimits",
            "reason": "storageQuotaExceeded",
        }
    ]
    assert fake_google.count("drive.files.create") == 1


def test_a_service_account_may_not_create_a_file_in_a_folder_of_a_persons_drive_either(
    fake_google: FakeGoogle,
) -> None:
    folder = (
        gspread_user_client(fake_google)
        .http_client.request(
            "post", DRIVE_FILES, json={"name": "Group", "mimeType": "application/vnd.google-apps.folder"}
        )
        .json()["id"]
    )
    body = {"name": "t", "mimeType": "application/vnd.google-apps.spreadsheet", "parents": [folder]}
    with pytest.raises(APIError) as error:
        gspread_client(fake_google).http_client.request("post", DRIVE_FILES, json=body)

    found = raised(error)
    assert found["code"] == 403
    assert found["errors"][0]["reason"] == "storageQuotaExceeded"
    assert found["message"].startswith("Service Accounts do not have storage quota. Leverage shared drives")


def test_a_service_account_may_not_create_a_spreadsheet_with_the_sheets_api(fake_google: FakeGoogle) -> None:
    with pytest.raises(APIError) as error:
        gspread_client(fake_google).http_client.request("post", SHEETS, json={"properties": {"title": "t"}})

    assert raised(error)["code"] == 403
    assert raised(error)["status"] == "PERMISSION_DENIED"
    assert raised(error)["message"] == "The caller does not have permission"


def test_a_service_account_may_create_a_spreadsheet_in_a_shared_drive_it_belongs_to(
    fake_google: FakeGoogle,
) -> None:
    drive = fake_google.new_shared_drive("Group", members=[SERVICE_ACCOUNT_EMAIL])
    body = {"name": "t", "mimeType": "application/vnd.google-apps.spreadsheet", "parents": [drive]}
    client = gspread_client(fake_google).http_client
    with pytest.raises(APIError) as hidden:  # without supportsAllDrives a shared drive is not found
        client.request("post", DRIVE_FILES, json=body)
    created = client.request("post", DRIVE_FILES, json=body, params={"supportsAllDrives": "true"}).json()

    assert raised(hidden)["code"] == 404
    assert fake_google.owner(created["id"]) == ""  # the drive's, nobody's own
    assert [s["title"] for s in fake_google.sheets(created["id"])] == ["Sheet1"]


def test_a_persons_sheet_is_theirs_alone_until_shared_and_a_reader_may_not_write(
    fake_google: FakeGoogle,
) -> None:
    sheet = fake_google.new_spreadsheet("mine", private=True)
    robot = gspread_client(fake_google).http_client
    with pytest.raises(APIError) as unshared:
        robot.request("get", f"{SHEETS}/{sheet}")
    with pytest.raises(APIError) as hidden:
        robot.request("get", f"{DRIVE_FILES}/{sheet}")
    fake_google.share(sheet, SERVICE_ACCOUNT_EMAIL, role="reader")
    read = robot.request("get", f"{SHEETS}/{sheet}").json()
    rename = {
        "requests": [{"updateSpreadsheetProperties": {"properties": {"title": "x"}, "fields": "title"}}]
    }
    with pytest.raises(APIError) as reader:
        robot.request("post", f"{SHEETS}/{sheet}:batchUpdate", json=rename)
    fake_google.share(sheet, SERVICE_ACCOUNT_EMAIL, role="writer")
    robot.request("post", f"{SHEETS}/{sheet}:batchUpdate", json=rename)

    assert (raised(unshared)["code"], raised(unshared)["message"]) == (
        403,
        "The caller does not have permission",
    )
    assert raised(hidden)["code"] == 404  # Drive hides a file that is not shared
    assert read["spreadsheetId"] == sheet
    assert raised(reader)["code"] == 403
    assert fake_google.spreadsheet(sheet)["properties"]["title"] == "x"  # an editor may


def test_drive_file_reaches_only_the_files_the_app_created_while_sheets_reaches_every_shared_sheet(
    fake_google: FakeGoogle,
) -> None:
    """braingain asks for drive.file, not the whole Drive: what a person made by hand stays out of
    Drive's reach (as if it did not exist), though the spreadsheets permission still opens it."""
    by_hand = fake_google.new_spreadsheet("made in Google Sheets", private=True)
    fake_google.share(by_hand, LEADER_EMAIL)
    client = gspread_user_client(fake_google)
    made = client.create("made by braingain")

    with pytest.raises(APIError) as out_of_reach:
        client.http_client.request("get", f"{DRIVE_FILES}/{by_hand}")
    opened = client.http_client.request("get", f"{SHEETS}/{by_hand}").json()
    mine = client.http_client.request("get", f"{DRIVE_FILES}/{made.id}").json()

    assert raised(out_of_reach)["code"] == 404
    assert opened["spreadsheetId"] == by_hand
    assert mine["id"] == made.id


def test_spreadsheets_create_answers_the_whole_spreadsheet_with_its_sheets(fake_google: FakeGoogle) -> None:
    client = gspread_user_client(fake_google)
    body = {
        "properties": {"title": "tracker"},
        "sheets": [{"properties": {"title": "Members"}}, {"properties": {"title": "Tasks", "index": 0}}],
    }
    created = client.http_client.request("post", SHEETS, json=body).json()

    assert [s["properties"]["title"] for s in created["sheets"]] == ["Tasks", "Members"]
    assert created["properties"]["locale"] == "en_US"
    assert fake_google.count("spreadsheets.create") == 1
    assert fake_google.values(created["spreadsheetId"], "Members") == []


def test_added_worksheets_get_sheet_ids_and_their_grid_size(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    tasks = spreadsheet.add_worksheet("Tasks", rows=20, cols=6)

    properties = fake_google.sheet(spreadsheet.id, "Tasks")
    assert properties["sheetId"] == tasks.id != 0
    assert properties["gridProperties"] == {"rowCount": 20, "columnCount": 6}
    assert [w.title for w in spreadsheet.worksheets()] == ["Members", "Tasks"]


def test_a_second_sheet_with_the_same_title_is_refused(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    with pytest.raises(APIError) as error:
        spreadsheet.add_worksheet("members", rows=5, cols=5)

    assert error.value.code == 400
    assert 'A sheet with the name "members" already exists' in raised(error)["message"]


# -- values ----------------------------------------------------------------------------------


def test_values_written_with_update_read_back_with_get_all_values(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")

    worksheet.update([["Ada", 3], ["Grace", 2.5]], "A2")

    assert worksheet.get_all_values() == [["Name", "Points"], ["Ada", "3"], ["Grace", "2.5"]]
    assert fake_google.values(worksheet.spreadsheet_id, "Members") == [
        ["Name", "Points"],
        ["Ada", 3],
        ["Grace", 2.5],
    ]


def test_batch_update_writes_every_range_and_reports_the_totals(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")

    response = worksheet.batch_update(
        [{"range": "A2:B3", "values": [["Ada", 1], ["Grace", 2]]}, {"range": "D1", "values": [["Notes"]]}]
    )

    assert response["totalUpdatedRows"] == 3
    assert response["totalUpdatedColumns"] == 3
    assert response["totalUpdatedCells"] == 5
    assert response["totalUpdatedSheets"] == 1
    assert [r["updatedRange"] for r in response["responses"]] == ["Members!A2:B3", "Members!D1"]
    assert worksheet.get_all_values() == [
        ["Name", "Points", "", "Notes"],
        ["Ada", "1", "", ""],
        ["Grace", "2", "", ""],
    ]


def test_batch_get_returns_each_range_normalized_and_trimmed(fake_google: FakeGoogle) -> None:
    tabs: dict[str, list[list[object]]] = {"Members": [["Name", "Points", ""], ["Ada", "", ""], ["", "", ""]]}
    worksheet = open_tracker(fake_google, tabs).worksheet("Members")

    first, empty = worksheet.batch_get(["A1:C5", "E1:F2"])

    assert first.range == "Members!A1:C5"
    assert list(first) == [["Name", "Points"], ["Ada"]]
    assert empty.range == "Members!E1:F2"
    assert list(empty) == []


def test_values_get_omits_trailing_empty_rows_and_cells_but_keeps_inner_gaps(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google, {"Members": [["a", "", "c", ""], ["", ""], ["", "x"], ["", ""]]})

    response = spreadsheet.values_get("Members!A1:Z")

    assert response == {
        "range": "Members!A1:Z1000",
        "majorDimension": "ROWS",
        "values": [["a", "", "c"], [], ["", "x"]],
    }


def test_columns_major_reads_transpose_the_values(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google, {"Members": [["Name", "Points"], ["Ada", 3]]})

    response = spreadsheet.values_get("Members", params={"majorDimension": "COLUMNS"})

    assert response["values"] == [["Name", "Ada"], ["Points", "3"]]


def test_user_entered_text_becomes_numbers_booleans_formulas_and_dates(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")
    worksheet.update(
        [["3", "2.5", "true", "=sum(A1:B1)", "'007", "2026-01-15", "50%", "plain"]],
        "A1",
        value_input_option=ValueInputOption.user_entered,
    )
    serial = (dt.date(2026, 1, 15) - dt.date(1899, 12, 30)).days

    formatted = worksheet.get("A1:H1")
    unformatted = worksheet.get("A1:H1", value_render_option=ValueRenderOption.unformatted)
    formulas = worksheet.get("A1:H1", value_render_option=ValueRenderOption.formula)

    assert list(formatted) == [["3", "2.5", "TRUE", "", "007", "2026-01-15", "50%", "plain"]]
    assert list(unformatted) == [[3, 2.5, True, "", "007", serial, 0.5, "plain"]]
    assert list(formulas) == [[3, 2.5, True, "=SUM(A1:B1)", "007", serial, 0.5, "plain"]]


def test_dates_render_as_formatted_strings_when_asked(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google, {"Members": [[dt.date(2026, 3, 7)]]})

    response = spreadsheet.values_get(
        "Members!A1",
        params={"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "FORMATTED_STRING"},
    )

    assert response["values"] == [["2026-03-07"]]


def test_raw_input_keeps_text_as_text(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")

    worksheet.update([["3", "=1+1", "TRUE"]], "A1", raw=True)

    unformatted = worksheet.get("A1:C1", value_render_option=ValueRenderOption.unformatted)
    assert list(unformatted) == [["3", "=1+1", "TRUE"]]


def test_a_formula_shows_the_value_a_test_gave_it_and_its_text_with_formula_render(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google, {"Members": [[2, 3]]})
    fake_google.set_formula(spreadsheet.id, "Members", "C1", "=A1+B1", value=5)

    assert spreadsheet.values_get("Members!C1")["values"] == [["5"]]
    assert spreadsheet.values_get("Members!C1", params={"valueRenderOption": "FORMULA"})["values"] == [
        ["=A1+B1"]
    ]
    assert fake_google.values(spreadsheet.id, "Members") == [[2, 3, 5]]


def test_a_formula_error_reads_back_as_its_error_code(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google, {"Members": [["=VLOOKUP(A9, Tasks!A:B, 2)"]]})
    fake_google.set_formula(spreadsheet.id, "Members", "A1", "=VLOOKUP(A9, Tasks!A:B, 2)")
    fake_google.set_formula_error(spreadsheet.id, "Members", "A1", "#REF!")

    assert spreadsheet.values_get("Members!A1")["values"] == [["#REF!"]]
    unformatted = spreadsheet.values_get("Members!A1", params={"valueRenderOption": "UNFORMATTED_VALUE"})
    assert unformatted["values"] == [["#REF!"]]
    assert spreadsheet.values_get("Members!A1", params={"valueRenderOption": "FORMULA"})["values"] == [
        ["=VLOOKUP(A9, Tasks!A:B, 2)"]
    ]


def test_a_formula_without_a_value_reads_as_empty_text(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")

    worksheet.update([["=TODAY()"]], "C1", raw=False)

    assert worksheet.get_all_values() == [["Name", "Points", ""]]


def test_append_rows_go_after_the_last_row_of_the_table(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google, {"Members": [["Name", "Points"], ["Ada", 3]]}).worksheet("Members")

    response = worksheet.append_rows([["Grace", 2], ["Katherine", 4]])

    assert response["tableRange"] == "Members!A1:B2"
    assert response["updates"]["updatedRange"] == "Members!A3:B4"
    assert fake_google.values(worksheet.spreadsheet_id, "Members")[2:] == [["Grace", 2], ["Katherine", 4]]


def test_batch_clear_empties_values_but_keeps_the_rest(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google, {"Members": [["Name", "Points"], ["Ada", 3]]}).worksheet("Members")

    response = worksheet.batch_clear(["A2:B2"])

    assert response["clearedRanges"] == ["Members!A2:B2"]
    assert worksheet.get_all_values() == [["Name", "Points"]]


# -- A1 notation -------------------------------------------------------------------------


def test_quoted_sheet_names_with_spaces_and_apostrophes_address_their_sheets(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    actions = spreadsheet.add_worksheet("Action items", rows=10, cols=4)
    notes = spreadsheet.add_worksheet("It's", rows=10, cols=4)

    actions.update([["Draft protocol"]], "A1")
    notes.update([["remember"]], "B2")

    assert spreadsheet.values_get("'Action items'!A1:D")["values"] == [["Draft protocol"]]
    assert spreadsheet.values_get("'It''s'!B2")["range"] == "'It''s'!B2"
    assert fake_google.values(spreadsheet.id, "It's") == [["", ""], ["", "remember"]]


def test_an_unquoted_name_with_a_space_does_not_parse(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    spreadsheet.add_worksheet("Action items", rows=10, cols=4)

    with pytest.raises(APIError) as error:
        spreadsheet.values_get("Action items!A1")

    assert error.value.code == 400
    assert raised(error)["message"] == "Unable to parse range: Action items!A1"


def test_an_unknown_sheet_in_a_range_is_unable_to_parse(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    with pytest.raises(APIError) as error:
        spreadsheet.values_get("'Tasks'!A1:C3")

    assert raised(error) == {
        "code": 400,
        "message": "Unable to parse range: 'Tasks'!A1:C3",
        "status": "INVALID_ARGUMENT",
    }


def test_an_unknown_spreadsheet_is_not_found(fake_google: FakeGoogle) -> None:
    client = gspread_client(fake_google)

    with pytest.raises(SpreadsheetNotFound):
        client.open_by_key("1NoSuchSpreadsheet")
    with pytest.raises(APIError) as error:
        client.http_client.values_get("1NoSuchSpreadsheet", "A1")

    assert raised(error)["status"] == "NOT_FOUND"
    assert error.value.code == 404


def test_a_write_beyond_the_grid_grows_it(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    small = spreadsheet.add_worksheet("Small", rows=5, cols=3)

    small.update([["far"]], "E10")

    assert fake_google.sheet(spreadsheet.id, "Small")["gridProperties"] == {"rowCount": 10, "columnCount": 5}
    assert small.get("E10") == [["far"]]


def test_a_read_beyond_the_grid_exceeds_its_limits(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    with pytest.raises(APIError) as error:
        spreadsheet.values_get("Members!A1001")

    assert (
        raised(error)["message"]
        == "Range (Members!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    )


def test_writing_past_the_end_of_a_bounded_range_is_refused(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    with pytest.raises(APIError) as error:
        spreadsheet.values_update("Members!A1:B1", {"valueInputOption": "RAW"}, {"values": [[1, 2], [3, 4]]})

    assert "Requested writing within range [Members!A1:B1], but tried writing to row [2]" in str(error.value)


# -- metadata and batchUpdate ------------------------------------------------------------


def test_metadata_shows_merges_frozen_rows_and_hidden_sheets(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    members = spreadsheet.worksheet("Members")
    spreadsheet.add_worksheet("Archive", rows=10, cols=3).hide()

    members.merge_cells("A1:B1")
    members.freeze(rows=1)
    fake_google.merge(spreadsheet.id, "Members", 3, 1, 4, 2)

    metadata = spreadsheet.fetch_sheet_metadata({"fields": "sheets(properties,merges)"})
    first, archive = metadata["sheets"]
    assert set(metadata) == {"sheets"}
    assert first["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert [(m["startRowIndex"], m["endColumnIndex"]) for m in first["merges"]] == [(0, 2), (2, 2)]
    assert archive["properties"]["hidden"] is True
    assert "merges" not in archive
    assert not [w.title for w in spreadsheet.worksheets(exclude_hidden=True) if w.title == "Archive"]


def test_freezing_part_of_a_merge_is_refused(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    members = spreadsheet.worksheet("Members")
    members.merge_cells("A1:A3")

    with pytest.raises(APIError) as error:
        members.freeze(rows=1)

    assert "You can't freeze rows which contain only part of a merged cell." in raised(error)["message"]


def test_batch_update_applies_each_request_and_replies_in_order(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    members_id = spreadsheet.worksheet("Members").id
    one_of = {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "open"}, {"userEnteredValue": "done"}]}
    column_b = {
        "sheetId": members_id,
        "startRowIndex": 1,
        "endRowIndex": 4,
        "startColumnIndex": 1,
        "endColumnIndex": 2,
    }

    response = spreadsheet.batch_update(
        {
            "requests": [
                {"addSheet": {"properties": {"title": "Ledger", "tabColorStyle": {"rgbColor": {"red": 1}}}}},
                {"setDataValidation": {"range": column_b, "rule": {"condition": one_of, "strict": True}}},
                {
                    "addProtectedRange": {
                        "protectedRange": {"range": {"sheetId": members_id}, "warningOnly": True}
                    }
                },
                {
                    "addConditionalFormatRule": {
                        "rule": {
                            "ranges": [column_b],
                            "booleanRule": {
                                "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "done"}]},
                                "format": {"backgroundColor": {"green": 1}},
                            },
                        }
                    }
                },
                {"addNamedRange": {"namedRange": {"name": "Points", "range": column_b}}},
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": members_id, "title": "People", "index": 2},
                        "fields": "title,index",
                    }
                },
            ]
        }
    )

    replies = response["replies"]
    assert [list(r) for r in replies] == [["addSheet"], [], ["addProtectedRange"], [], ["addNamedRange"], []]
    assert replies[0]["addSheet"]["properties"]["tabColor"] == {"red": 1}
    protected_id = replies[2]["addProtectedRange"]["protectedRange"]["protectedRangeId"]
    assert [p["protectedRangeId"] for p in fake_google.protected_ranges(spreadsheet.id)] == [protected_id]
    assert fake_google.validations(spreadsheet.id, "People") == [
        {"range": column_b, "rule": {"condition": one_of, "strict": True}}
    ]
    assert fake_google.conditional_formats(spreadsheet.id, "People")[0]["ranges"] == [column_b]
    assert [s["title"] for s in fake_google.sheets(spreadsheet.id)] == ["Ledger", "People"]


def test_append_cells_lands_after_the_last_row_holding_a_value_when_it_is_applied(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google, {"Ledger": [["ID", "Points"], ["a1", 3]]})
    ledger = spreadsheet.worksheet("Ledger").id
    formatted = {
        "sheetId": ledger,
        "startRowIndex": 1,
        "endRowIndex": 20,
        "startColumnIndex": 1,
        "endColumnIndex": 2,
    }
    spreadsheet.batch_update(
        {"requests": [{"repeatCell": {"range": formatted, "cell": {"note": "n"}, "fields": "note"}}]}
    )  # notes and formats below the rows hold no value: appends do not go below them
    typed = {"values": [{"userEnteredValue": {"stringValue": "typed"}}]}
    new = {"values": [{"userEnteredValue": {"stringValue": "a2"}}, {"userEnteredValue": {"numberValue": 2}}]}

    spreadsheet.batch_update(
        {
            "requests": [
                {
                    "updateCells": {
                        "start": {"sheetId": ledger, "rowIndex": 2},
                        "rows": [typed],
                        "fields": "*",
                    }
                },
                {"appendCells": {"sheetId": ledger, "rows": [new, {}], "fields": "userEnteredValue"}},
            ]
        }
    )

    assert fake_google.values(spreadsheet.id, "Ledger") == [
        ["ID", "Points"],
        ["a1", 3],
        ["typed", ""],
        ["a2", 2],
    ]
    assert fake_google.cell(spreadsheet.id, "Ledger", "B4")["note"] == "n", "only the values named are set"


def test_append_cells_grows_a_full_sheet(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    sheet = spreadsheet.add_worksheet("Full", rows=2, cols=2)
    row = {"values": [{"userEnteredValue": {"stringValue": "x"}}]}
    spreadsheet.batch_update(
        {"requests": [{"appendCells": {"sheetId": sheet.id, "rows": [row] * 3, "fields": "*"}}]}
    )
    assert fake_google.sheet(spreadsheet.id, "Full")["gridProperties"]["rowCount"] == 3
    assert fake_google.values(spreadsheet.id, "Full") == [["x"], ["x"], ["x"]]


def test_move_dimension_moves_cells_widths_and_the_ranges_on_them(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google, {"Tasks": [["ID", "Title", "Check"], ["T1", "Screen", "ok"]]})
    tasks = spreadsheet.worksheet("Tasks").id
    column_c = {"sheetId": tasks, "startColumnIndex": 2, "endColumnIndex": 3}
    whole = {"sheetId": tasks, "startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 3}
    rule = {"condition": {"type": "NOT_BLANK"}, "format": {"backgroundColor": {"green": 1}}}
    spreadsheet.batch_update(
        {
            "requests": [
                {"addProtectedRange": {"protectedRange": {"range": column_c, "warningOnly": True}}},
                {"addConditionalFormatRule": {"rule": {"ranges": [whole], "booleanRule": rule}}},
                {
                    "updateDimensionProperties": {
                        "range": {"sheetId": tasks, "dimension": "COLUMNS", "startIndex": 2, "endIndex": 3},
                        "properties": {"pixelSize": 222},
                        "fields": "pixelSize",
                    }
                },
            ]
        }
    )

    fake_google.move_columns(spreadsheet.id, "Tasks", 3, 1, 1)  # Check dragged to the front

    assert fake_google.values(spreadsheet.id, "Tasks") == [["Check", "ID", "Title"], ["ok", "T1", "Screen"]]
    assert fake_google.dimension(spreadsheet.id, "Tasks", "COLUMNS", 0)["pixelSize"] == 222
    protected = fake_google.protected_ranges(spreadsheet.id)[0]["range"]
    assert (protected["startColumnIndex"], protected["endColumnIndex"]) == (0, 1)
    assert fake_google.conditional_formats(spreadsheet.id, "Tasks")[0]["ranges"] == [whole]
    fake_google.move_columns(spreadsheet.id, "Tasks", 1, 1, 5)  # and out past the rule's columns
    pieces = fake_google.conditional_formats(spreadsheet.id, "Tasks")[0]["ranges"]
    assert [(p["startColumnIndex"], p["endColumnIndex"]) for p in pieces] == [(0, 2), (3, 4)]


def test_a_person_inserting_deleting_and_renaming_moves_rows_and_keeps_sheet_ids(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet_id = fake_google.new_spreadsheet("t", {"Tasks": [["ID"], ["T1"], ["T2"], ["T3"]]})
    sheet_id = fake_google.sheet(spreadsheet_id, "Tasks")["sheetId"]
    fake_google.insert_rows(spreadsheet_id, "Tasks", 2, 2)
    fake_google.delete_rows(spreadsheet_id, "Tasks", 5)
    fake_google.rename_tab(spreadsheet_id, "Tasks", "Task list")
    assert fake_google.values(spreadsheet_id, "Task list") == [["ID"], [""], [""], ["T1"], ["T3"]]
    assert fake_google.sheet(spreadsheet_id, "Task list")["sheetId"] == sheet_id
    copied = fake_google.copy_spreadsheet(spreadsheet_id)
    fake_google.set_values(copied, "Task list", "A2", [["only in the copy"]])
    assert fake_google.values(spreadsheet_id, "Task list")[1] == [""]


def test_batch_get_by_data_filter_reads_a_whole_sheet_by_its_id_under_its_title_now(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google, {"Tasks": [["ID", "Due"], ["T1", 46088]]})
    tasks = spreadsheet.worksheet("Tasks").id
    fake_google.rename_tab(spreadsheet.id, "Tasks", "Task list")
    body = {
        "dataFilters": [{"gridRange": {"sheetId": tasks}}],
        "valueRenderOption": "UNFORMATTED_VALUE",
        "majorDimension": "ROWS",
    }

    answer = spreadsheet.client.request(
        "post", f"{SHEETS}/{spreadsheet.id}/values:batchGetByDataFilter", json=body
    ).json()

    (matched,) = answer["valueRanges"]
    assert matched["dataFilters"] == body["dataFilters"]
    assert matched["valueRange"] == {
        "range": "'Task list'!A1:Z1000",
        "majorDimension": "ROWS",
        "values": [["ID", "Due"], ["T1", 46088]],
    }
    assert fake_google.count("values.batchGetByDataFilter") == 1
    body["dataFilters"] = [{"gridRange": {"sheetId": 4242}}]
    with pytest.raises(APIError) as error:
        spreadsheet.client.request(
            "post", f"{SHEETS}/{spreadsheet.id}/values:batchGetByDataFilter", json=body
        )
    assert raised(error)["message"] == "Invalid dataFilters[0]: No grid with id: 4242"


def test_the_request_hook_runs_a_persons_edit_just_before_the_request_is_applied(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google, {"Ledger": [["ID"], ["a1"]]})
    ledger = spreadsheet.worksheet("Ledger").id
    seen: list[str] = []

    def person(route: str) -> None:
        seen.append(route)
        if route == "spreadsheets.batchUpdate":
            fake_google.set_values(spreadsheet.id, "Ledger", "A3", [["typed first"]])

    fake_google.on_request(person)
    row = {"values": [{"userEnteredValue": {"stringValue": "a2"}}]}
    spreadsheet.batch_update(
        {"requests": [{"appendCells": {"sheetId": ledger, "rows": [row], "fields": "*"}}]}
    )
    fake_google.on_request(None)

    assert seen == ["spreadsheets.batchUpdate"]
    assert fake_google.values(spreadsheet.id, "Ledger") == [["ID"], ["a1"], ["typed first"], ["a2"]]


def test_a_batch_update_with_one_bad_request_changes_nothing(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    with pytest.raises(APIError) as error:
        spreadsheet.batch_update(
            {
                "requests": [
                    {"addSheet": {"properties": {"title": "Ledger"}}},
                    {"deleteSheet": {"sheetId": 4242}},
                ]
            }
        )

    assert raised(error)["message"] == "Invalid requests[1].deleteSheet: No grid with id: 4242"
    assert [s["title"] for s in fake_google.sheets(spreadsheet.id)] == ["Members"]


# -- developer metadata (the sync lease) ---------------------------------------------------


def spreadsheet_metadata(key: str, value: str, metadata_id: int | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "metadataKey": key,
        "metadataValue": value,
        "location": {"spreadsheet": True},
        "visibility": "DOCUMENT",
    }
    if metadata_id is not None:
        entry["metadataId"] = metadata_id
    return {"createDeveloperMetadata": {"developerMetadata": entry}}


def test_developer_metadata_is_created_with_its_id_and_shown_by_a_get_that_asks_for_it(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google)

    answer = spreadsheet.batch_update({"requests": [spreadsheet_metadata("k", "v", 77)]})

    made = answer["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    assert made["metadataId"] == 77
    assert made["location"] == {"locationType": "SPREADSHEET", "spreadsheet": True}
    got = spreadsheet.client.request(
        "get", f"{SHEETS}/{spreadsheet.id}", params={"fields": "developerMetadata(metadataId,metadataValue)"}
    ).json()
    assert got == {"developerMetadata": [{"metadataId": 77, "metadataValue": "v"}]}


def test_a_second_developer_metadata_with_an_id_in_use_is_refused_and_its_batch_changes_nothing(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google)
    spreadsheet.batch_update({"requests": [spreadsheet_metadata("k", "first", 77)]})

    with pytest.raises(APIError) as error:
        spreadsheet.batch_update(
            {
                "requests": [
                    {"addSheet": {"properties": {"title": "Ledger"}}},
                    spreadsheet_metadata("k", "second", 77),
                ]
            }
        )

    assert raised(error) == {
        "code": 400,
        "message": "Invalid requests[1].createDeveloperMetadata: Cannot add developer metadata with ID [77] "
        "because developer metadata with that ID already exists.",
        "status": "INVALID_ARGUMENT",
    }
    assert [s["title"] for s in fake_google.sheets(spreadsheet.id)] == ["Members"]
    assert [m["metadataValue"] for m in fake_google.developer_metadata(spreadsheet.id)] == ["first"]


def test_deleting_by_id_and_value_then_creating_the_same_id_in_one_batch_replaces_the_entry(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google)
    spreadsheet.batch_update({"requests": [spreadsheet_metadata("k", "first", 77)]})
    lookup = {"developerMetadataLookup": {"metadataId": 77, "metadataValue": "first"}}

    answer = spreadsheet.batch_update(
        {
            "requests": [
                {"deleteDeveloperMetadata": {"dataFilter": lookup}},
                spreadsheet_metadata("k", "next", 77),
            ]
        }
    )

    assert [
        m["metadataValue"]
        for m in answer["replies"][0]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"]
    ] == ["first"]
    assert [m["metadataValue"] for m in fake_google.developer_metadata(spreadsheet.id)] == ["next"]


@pytest.mark.parametrize("refused", [False, True])
def test_a_delete_whose_lookup_matches_nothing_deletes_nothing_or_is_refused_as_the_switch_says(
    fake_google: FakeGoogle, refused: bool
) -> None:
    spreadsheet = open_tracker(fake_google)
    spreadsheet.batch_update({"requests": [spreadsheet_metadata("k", "first", 77)]})
    fake_google.refuse_unmatched_metadata_delete = refused
    stale = {"developerMetadataLookup": {"metadataId": 77, "metadataValue": "something else"}}
    batch = {"requests": [{"deleteDeveloperMetadata": {"dataFilter": stale}}]}

    if refused:
        with pytest.raises(APIError) as error:
            spreadsheet.batch_update(batch)
        assert raised(error)["message"].startswith("Invalid requests[0].deleteDeveloperMetadata: ")
    else:
        answer = spreadsheet.batch_update(batch)
        assert answer["replies"][0]["deleteDeveloperMetadata"] == {"deletedDeveloperMetadata": []}
    assert [m["metadataValue"] for m in fake_google.developer_metadata(spreadsheet.id)] == ["first"]


def test_developer_metadata_without_a_key_or_a_visibility_is_refused(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    keyless = spreadsheet_metadata("", "v")
    hidden = spreadsheet_metadata("k", "v")
    del hidden["createDeveloperMetadata"]["developerMetadata"]["visibility"]
    for request, said in ((keyless, "a key"), (hidden, "visibility")):
        with pytest.raises(APIError) as error:
            spreadsheet.batch_update({"requests": [request]})
        assert said in raised(error)["message"]
    assert fake_google.developer_metadata(spreadsheet.id) == []


def test_an_unknown_field_in_a_request_body_is_refused_as_google_does(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    with pytest.raises(APIError) as error:
        spreadsheet.batch_update({"requests": [{"addSheet": {"properties": {"name": "Ledger"}}}]})

    assert raised(error)["message"] == (
        "Invalid JSON payload received. Unknown name \"name\" at 'requests[0].add_sheet.properties': "
        "Cannot find field."
    )


def test_a_request_kind_the_fake_lacks_is_refused_and_recorded_as_its_problem(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google)

    with pytest.raises(APIError) as error:
        spreadsheet.batch_update({"requests": [{"sortRange": {"range": {"sheetId": 0}}}]})

    assert error.value.code == 400
    assert "sortRange" in raised(error)["message"]
    assert fake_google.problems == [
        "spreadsheets.batchUpdate: request kind 'sortRange' is not implemented by the fake"
    ]
    with pytest.raises(AssertionError, match="sortRange"):
        fake_google.check()
    fake_google.problems.clear()


def test_an_endpoint_the_fake_lacks_is_recorded_as_its_problem(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    with pytest.raises(APIError):
        spreadsheet.export()

    assert len(fake_google.problems) == 1
    assert "the fake does not implement it" in fake_google.problems[0]
    fake_google.problems.clear()


# -- OAuth tokens -----------------------------------------------------------------------------


def test_one_token_exchange_serves_every_call(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    worksheet = spreadsheet.worksheet("Members")

    worksheet.update([["Ada", 1]], "A2")
    worksheet.get_all_values()

    assert fake_google.count("token") == 1
    exchange = fake_google.requests_to("token")[0]
    assert exchange.body == {
        "assertion": "<redacted>",
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
    }


def test_an_expired_token_is_refreshed_transparently(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")
    fake_google.reset_counts()

    fake_google.expire_tokens()
    values = worksheet.get_all_values()

    assert values == [["Name", "Points"]]
    assert fake_google.count("token") == 1
    assert [r.status for r in fake_google.requests_to("values.get")] == [401, 200]


def test_an_expired_token_fault_is_refreshed_transparently(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")
    fake_google.faults.add("values.get", expired_token())

    assert worksheet.get_all_values() == [["Name", "Points"]]
    assert fake_google.count("token") == 2


def test_a_request_without_a_valid_bearer_token_is_unauthenticated(fake_google: FakeGoogle) -> None:
    spreadsheet_id = fake_google.new_spreadsheet()
    with requests.Session() as session:
        response = session.get(f"{fake_google.base_url}/v4/spreadsheets/{spreadsheet_id}", timeout=2)
        forged = session.get(
            f"{fake_google.base_url}/v4/spreadsheets/{spreadsheet_id}",
            headers={"Authorization": "Bearer ya29.forged"},
            timeout=2,
        )

    assert response.status_code == forged.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"
    assert forged.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_without_the_needed_scope_is_refused(fake_google: FakeGoogle) -> None:
    info = service_account_info(fake_google)
    readonly = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
        info, scopes=["https://www.googleapis.com/auth/spreadsheets.readonly"]
    )
    session = EndpointSession(readonly, endpoints=google_endpoints(fake_google), timeout=2)
    fake_google.add_cleanup(session.close)
    spreadsheet = gspread.Client(readonly, session=session).open_by_key(fake_google.new_spreadsheet())

    with pytest.raises(APIError) as error:
        spreadsheet.sheet1.update([["x"]], "A1")

    assert error.value.code == 403
    assert raised(error)["message"] == "Request had insufficient authentication scopes."


def test_an_assertion_signed_with_another_key_is_an_invalid_grant(fake_google: FakeGoogle) -> None:
    client = gspread_client(fake_google)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    pem = other.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    key_id = service_account_info(fake_google)["private_key_id"]
    fake_google.register_service_account(SERVICE_ACCOUNT_EMAIL, key_id, pem)

    with pytest.raises(RefreshError, match="Invalid JWT Signature"):
        client.open_by_key(fake_google.new_spreadsheet())

    assert [r.status for r in fake_google.requests_to("token")] == [400]


def test_user_credentials_are_refreshed_with_their_refresh_token(fake_google: FakeGoogle) -> None:
    fake_google.register_refresh_token(
        client_id="client-1.apps.googleusercontent.com",
        client_secret="s3cret",
        refresh_token="1//refresh",
        scopes=SCOPES,
    )
    credentials = user_credentials.Credentials(  # type: ignore[no-untyped-call]
        None,
        refresh_token="1//refresh",
        client_id="client-1.apps.googleusercontent.com",
        client_secret="s3cret",
        token_uri=TOKEN_URI,
        scopes=list(SCOPES),
    )
    session = EndpointSession(credentials, endpoints=google_endpoints(fake_google), timeout=2)
    fake_google.add_cleanup(session.close)

    spreadsheet = gspread.Client(credentials, session=session).open_by_key(fake_google.new_spreadsheet())
    fake_google.revoke_refresh_token("1//refresh")
    fake_google.expire_tokens()

    assert spreadsheet.title == "tracker"
    assert fake_google.requests_to("token")[0].body["refresh_token"] == "<redacted>"
    with pytest.raises(RefreshError, match="Token has been expired or revoked"):
        spreadsheet.worksheets()


def test_a_bad_gateway_on_the_token_endpoint_fails_the_refresh_at_once(fake_google: FakeGoogle) -> None:
    client = gspread_client(fake_google)
    fake_google.faults.add("token", status(502))

    with pytest.raises(RefreshError):
        client.open_by_key(fake_google.new_spreadsheet())

    assert fake_google.count("token") == 1


def test_a_token_endpoint_outage_is_retried_by_google_auth(fake_google: FakeGoogle) -> None:
    client = gspread_client(fake_google)
    fake_google.faults.add("token", status(503))

    spreadsheet = client.open_by_key(fake_google.new_spreadsheet())

    assert spreadsheet.title == "tracker"
    assert [r.status for r in fake_google.requests_to("token")] == [503, 200]


# -- faults as the client sees them ------------------------------------------------------


@pytest.mark.parametrize(("code", "state"), [(500, "INTERNAL"), (503, "UNAVAILABLE"), (409, "ABORTED")])
def test_a_status_fault_surfaces_as_an_api_error_with_its_code(
    fake_google: FakeGoogle, code: int, state: str
) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")
    fake_google.faults.add("values.get", status(code))

    with pytest.raises(APIError) as error:
        worksheet.get_all_values()

    assert error.value.code == code
    assert raised(error)["status"] == state
    assert worksheet.get_all_values() == [["Name", "Points"]]


def test_a_403_rate_limit_carries_the_usage_limits_reason_and_retry_after(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")
    fake_google.faults.add("values.batchUpdate", rate_limited(403, retry_after=7))

    with pytest.raises(APIError) as error:
        worksheet.batch_update([{"range": "A2", "values": [["Ada"]]}])

    assert error.value.code == 403
    assert raised(error)["errors"] == [
        {"message": "Rate Limit Exceeded", "domain": "usageLimits", "reason": "rateLimitExceeded"}
    ]
    assert error.value.response.headers["Retry-After"] == "7"
    assert fake_google.values(worksheet.spreadsheet_id, "Members") == [["Name", "Points"]]


def test_a_429_rate_limit_is_resource_exhausted(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    fake_google.faults.add("spreadsheets.get", rate_limited(429))

    with pytest.raises(APIError) as error:
        spreadsheet.fetch_sheet_metadata()

    assert raised(error)["status"] == "RESOURCE_EXHAUSTED"
    assert raised(error)["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"


def test_a_reset_after_a_values_batch_update_loses_the_answer_but_keeps_the_change(
    fake_google: FakeGoogle,
) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")
    fake_google.faults.add("values.batchUpdate", reset_after_commit())

    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        worksheet.batch_update([{"range": "A2", "values": [["Ada", 3]]}])

    assert fake_google.values(worksheet.spreadsheet_id, "Members") == [["Name", "Points"], ["Ada", 3]]
    assert fake_google.requests_to("values.batchUpdate")[0].status is None


def test_a_reset_after_a_spreadsheet_batch_update_keeps_the_change(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)
    fake_google.faults.add("spreadsheets.batchUpdate", reset_after_commit())

    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        spreadsheet.add_worksheet("Ledger", rows=10, cols=5)

    assert [s["title"] for s in fake_google.sheets(spreadsheet.id)] == ["Members", "Ledger"]


def test_a_timeout_fault_times_the_client_out_and_applies_nothing(fake_google: FakeGoogle) -> None:
    spreadsheet = gspread_client(fake_google, timeout=0.3).open_by_key(fake_google.new_spreadsheet())
    fake_google.faults.add("values.update", timeout(0.6))

    with pytest.raises((requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError)):
        spreadsheet.sheet1.update([["late"]], "A1")

    assert fake_google.values(spreadsheet.id, "Sheet1") == []


# -- counting, Drive, and the suite's guard ----------------------------------------------


def test_requests_are_counted_per_route(fake_google: FakeGoogle) -> None:
    worksheet = open_tracker(fake_google).worksheet("Members")
    fake_google.reset_counts()

    worksheet.batch_get(["A1:B2", "C1"])
    worksheet.batch_update([{"range": "A2", "values": [["Ada"]]}])
    worksheet.update([["Grace"]], "A3")

    assert fake_google.counts == {"values.batchGet": 1, "values.batchUpdate": 1, "values.update": 1}


def test_sharing_creates_a_drive_permission_and_records_the_notification_choice(
    fake_google: FakeGoogle,
) -> None:
    spreadsheet = open_tracker(fake_google)

    spreadsheet.share("leader@example.org", perm_type="user", role="writer", notify=False)
    spreadsheet.share("leader@example.org", perm_type="user", role="reader", notify=True, email_message="Hi")

    listed = spreadsheet.list_permissions()
    assert [(p["role"], p.get("emailAddress")) for p in listed] == [
        ("owner", "owner@braingain.test"),
        ("reader", "leader@example.org"),
    ]
    assert fake_google.permissions(spreadsheet.id)[1]["id"] == listed[1]["id"]
    assert [
        (n["sendNotificationEmail"], n["emailMessage"])
        for n in fake_google.share_notifications(spreadsheet.id)
    ] == [
        (False, None),
        (True, "Hi"),
    ]
    assert fake_google.count("drive.permissions.create") == 2


def test_drive_file_metadata_answers_the_fields_asked_for(fake_google: FakeGoogle) -> None:
    spreadsheet = open_tracker(fake_google)

    metadata = spreadsheet.client.get_file_drive_metadata(spreadsheet.id)

    assert set(metadata) == {"id", "name", "createdTime", "modifiedTime"}
    assert metadata["name"] == "tracker"


def test_the_network_guard_still_stops_clients_pointed_off_loopback(fake_google: FakeGoogle) -> None:
    info = service_account_info(fake_google)
    credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
        info, scopes=list(SCOPES)
    )
    endpoints = {**google_endpoints(fake_google), GOOGLE_SHEETS: "http://192.0.2.1"}
    session = EndpointSession(credentials, endpoints=endpoints, timeout=2)
    fake_google.add_cleanup(session.close)

    client = gspread.Client(credentials, session=session)

    with warnings.catch_warnings():
        # The guard raises an AssertionError, and urllib3 closes a half-made socket only on
        # OSError: the socket is left to the garbage collector, which would warn.
        warnings.simplefilter("ignore", ResourceWarning)
        with pytest.raises(NetworkAccessError, match="loopback"):
            client.open_by_key("1AnySpreadsheet")
        gc.collect()

    assert fake_google.count("token") == 1
    assert fake_google.count("spreadsheets.get") == 0
