"""A service account may own no file (Google gives it no Drive storage): creating a tracker with one is
refused with a plain message naming both fixes, and `init --google --adopt` turns an empty sheet a
leader made and shared into a tracker. Real gspread and google-auth clients against the loopback fake."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.schema import Cell
from braingain.integrations import compose
from braingain.integrations.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main
from braingain.integrations.config import Config, TrackerConfig
from braingain.integrations.errors import ConfigError, TrackerError
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.google_sheets import (
    GoogleSheets,
    adopt_spreadsheet,
    create_spreadsheet,
    spreadsheet_id_from,
)
from braingain.integrations.tracker.schema import load_schema
from braingain.sample import sample_group
from tests.fakes.fixtures import (
    SERVICE_ACCOUNT_EMAIL,
    authorized_user_info,
    google_endpoints,
    service_account_info,
)
from tests.fakes.framework import status
from tests.fakes.google import DEFAULT_OWNER, FakeGoogle
from tests.tracker.helpers import sample_settings

SCHEMA = load_schema()
TODAY = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BOTH_FIXES = ("braingain login google", "--adopt", "shared drive")


@pytest.fixture
def service_key(tmp_path: Path, fake_google: FakeGoogle) -> Path:
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(service_account_info(fake_google)), encoding="utf-8")
    return path


def config_for(fake: FakeGoogle, key: Path, spreadsheet_id: str | None = None) -> Config:
    return Config(
        source=None,
        settings=sample_settings(TODAY),
        tracker=TrackerConfig(backend="google", spreadsheet_id=spreadsheet_id, share_with_leaders=True),
        endpoints=google_endpoints(fake),
        environment={"GOOGLE_APPLICATION_CREDENTIALS": str(key)},
    )


def retry() -> RetryPolicy:
    return RetryPolicy(sleep=lambda _: None, random=lambda: 0.5, now=lambda: AT)


def sample_rows() -> dict[str, list[dict[str, Cell]]]:
    group = sample_group(TODAY)
    rows: dict[str, list[dict[str, Cell]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group))
    return rows


def blank_sheet_shared_with_the_service_account(fake: FakeGoogle, title: str = "Okafor Lab tracker") -> str:
    """What a leader does in Google Sheets: Blank spreadsheet, then Share with the account as an editor."""
    sheet = fake.new_spreadsheet(title, private=True)
    fake.share(sheet, SERVICE_ACCOUNT_EMAIL)
    return sheet


def test_a_service_account_asked_to_create_a_tracker_is_told_both_fixes_and_nothing_is_made(
    fake_google: FakeGoogle, service_key: Path
) -> None:
    with pytest.raises(TrackerError) as refused:
        create_spreadsheet(config_for(fake_google, service_key), SCHEMA, title="t", retry=retry())

    said = f"{refused.value}"
    assert "does not let a service account own files" in said
    for fix in BOTH_FIXES:
        assert fix in said
    assert SERVICE_ACCOUNT_EMAIL not in said
    assert fake_google.count("spreadsheets.create") == 1  # asked once, never again
    assert fake_google.count("spreadsheets.batchUpdate") == 0


QUOTA = json.dumps(
    {
        "error": {
            "code": 403,
            "message": "The user's Drive storage quota has been exceeded.",
            "errors": [
                {
                    "message": "The user's Drive storage quota has been exceeded.",
                    "domain": "usageLimits",
                    "reason": "storageQuotaExceeded",
                }
            ],
        }
    }
)
"""Google's answer when a file's owner has no Drive storage left (a 403 of domain usageLimits)."""


def test_storage_quota_exceeded_from_any_request_of_a_service_account_gets_the_plain_message(
    fake_google: FakeGoogle, service_key: Path
) -> None:
    """Never retried as a rate limit, though its domain is usageLimits."""
    sheet = blank_sheet_shared_with_the_service_account(fake_google)
    adopt_spreadsheet(config_for(fake_google, service_key), SCHEMA, sheet, rows=sample_rows(), retry=retry())
    fake_google.reset_counts()
    fake_google.faults.add("spreadsheets.batchUpdate", status(403, body=QUOTA))
    with pytest.raises(TrackerError) as refused:
        compose.run_sync(
            config_for(fake_google, service_key, sheet),
            apply=True,
            at=AT,
            backend=GoogleSheets.from_config(config_for(fake_google, service_key, sheet), retry=retry()),
        )
    for fix in BOTH_FIXES:
        assert fix in f"{refused.value}"
    assert fake_google.count("spreadsheets.batchUpdate") == 1


def test_a_person_whose_own_drive_is_full_is_told_so_not_about_service_accounts(
    fake_google: FakeGoogle, tmp_path: Path
) -> None:
    key = tmp_path / "google-signin.json"
    key.write_text(json.dumps(authorized_user_info(fake_google)), encoding="utf-8")
    fake_google.faults.add("spreadsheets.create", status(403, body=QUOTA))
    with pytest.raises(TrackerError) as refused:
        create_spreadsheet(config_for(fake_google, key), SCHEMA, title="t", retry=retry())
    assert "your Google Drive is full" in str(refused.value)
    assert "service account" not in str(refused.value)


@pytest.mark.parametrize(
    "given",
    [
        "{id}",
        "https://docs.google.com/spreadsheets/d/{id}/edit#gid=0",
        "https://docs.google.com/spreadsheets/u/1/d/{id}/edit?usp=sharing",
        "  https://docs.google.com/spreadsheets/d/{id}  ",
    ],
)
def test_adopting_an_empty_sheet_lays_the_tracker_out_in_it_and_a_sync_runs(
    fake_google: FakeGoogle, service_key: Path, given: str
) -> None:
    sheet = blank_sheet_shared_with_the_service_account(fake_google)
    adopted = adopt_spreadsheet(
        config_for(fake_google, service_key),
        SCHEMA,
        given.format(id=sheet),
        rows=sample_rows(),
        retry=retry(),
    )

    assert adopted == sheet
    assert [s["title"] for s in fake_google.sheets(sheet)] == [tab.title for tab in SCHEMA.tabs]
    assert fake_google.owner(sheet) == DEFAULT_OWNER  # still the leader's, with its title
    assert fake_google.spreadsheet(sheet)["properties"]["title"] == "Okafor Lab tracker"
    assert fake_google.protected_ranges(sheet)  # laid out as init lays a new one out
    outcome = compose.run_sync(
        config_for(fake_google, service_key, sheet),
        apply=True,
        at=AT,
        backend=GoogleSheets.from_config(config_for(fake_google, service_key, sheet), retry=retry()),
    )
    assert outcome.read.problems == ()
    again = compose.run_sync(
        config_for(fake_google, service_key, sheet),
        apply=True,
        at=AT,
        backend=GoogleSheets.from_config(config_for(fake_google, service_key, sheet), retry=retry()),
    )
    assert again.plan.write.empty


@pytest.mark.parametrize(
    ("tabs", "where"),
    [
        ({"Sheet1": [["", ""], ["", "Budget"]]}, "tab 'Sheet1', cell B2"),
        ({"Sheet1": [], "Notes": [[None, None, 0]]}, "tab 'Notes', cell C1"),
        ({"Sheet1": [[False]]}, "tab 'Sheet1', cell A1"),
    ],
)
def test_adopting_a_sheet_that_holds_anything_is_refused_saying_where_and_changes_nothing(
    fake_google: FakeGoogle, service_key: Path, tabs: dict[str, list[list[object]]], where: str
) -> None:
    sheet = fake_google.new_spreadsheet("Budget 2026", tabs)
    fake_google.share(sheet, SERVICE_ACCOUNT_EMAIL)
    before = fake_google.spreadsheet(sheet, include_grid_data=True)
    fake_google.reset_counts()

    with pytest.raises(TrackerError) as refused:
        adopt_spreadsheet(config_for(fake_google, service_key), SCHEMA, sheet, retry=retry())

    said = f"{refused.value}"
    assert where in said
    assert "adopts only an empty spreadsheet" in said
    assert "Blank spreadsheet" in said
    assert fake_google.count("spreadsheets.batchUpdate") == 0
    assert fake_google.spreadsheet(sheet, include_grid_data=True) == before


def test_adopting_a_sheet_not_shared_with_the_service_account_says_to_share_it_and_changes_nothing(
    fake_google: FakeGoogle, service_key: Path
) -> None:
    sheet = fake_google.new_spreadsheet("Okafor Lab tracker", private=True)
    with pytest.raises(TrackerError) as refused:
        adopt_spreadsheet(config_for(fake_google, service_key), SCHEMA, sheet, retry=retry())
    assert "share the sheet as an editor with the account braingain signs in as" in str(refused.value)
    assert "client_email" in str(refused.value)
    assert [s["title"] for s in fake_google.sheets(sheet)] == ["Sheet1"]


def test_adopting_a_tracker_again_is_refused_and_says_to_use_its_id(
    fake_google: FakeGoogle, service_key: Path
) -> None:
    sheet = blank_sheet_shared_with_the_service_account(fake_google)
    adopt_spreadsheet(config_for(fake_google, service_key), SCHEMA, sheet, retry=retry())

    with pytest.raises(TrackerError) as refused:
        adopt_spreadsheet(config_for(fake_google, service_key), SCHEMA, sheet, retry=retry())
    assert "spreadsheet_id" in refused.value.hint


@pytest.mark.parametrize("given", ["", "my tracker", "https://docs.google.com/document/d/", "abc"])
def test_an_address_that_is_not_a_sheets_is_refused_on_the_command_line(
    given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ConfigError, match="not the address or the id of a Google Sheet"):
        spreadsheet_id_from(given)
    assert main(["init", "--google", "--adopt", given]) == EXIT_USAGE
    assert "address bar" in capsys.readouterr().err


def test_adopt_is_only_for_google(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["init", "--local", str(tmp_path / "t.xlsx"), "--adopt", "1" * 44])
    assert code == EXIT_ERROR
    assert "--adopt is only for init --google" in capsys.readouterr().err


def test_adopt_shares_with_nobody_the_sheets_owner_does(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["init", "--google", "--adopt", "1" * 44, "--share-with", "coordinator@example.org"])
    assert code == EXIT_ERROR
    said = capsys.readouterr().err
    assert "Share button" in said
    assert "coordinator@example.org" not in said


def test_the_cli_adopts_with_a_service_account_and_the_group_syncs_as_it_says(
    fake_google: FakeGoogle,
    service_key: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet = blank_sheet_shared_with_the_service_account(fake_google)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(service_key))
    endpoints = "\n".join(
        f'{k} = "{fake_google.base_url}"' for k in ("google_sheets", "google_apis", "google_oauth")
    )
    Path("braingain.toml").write_text(f"[endpoints]\n{endpoints}\n", encoding="utf-8")

    url = f"https://docs.google.com/spreadsheets/d/{sheet}/edit"
    assert main(["init", "--google", "--adopt", url, "--today", "2026-11-25"]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"Made the Google Sheet {sheet} your tracker" in out
    assert f'spreadsheet_id = "{sheet}"' in out
    with Path("braingain.toml").open("a", encoding="utf-8") as settings:  # as the message says
        settings.write(f'\n[tracker]\nbackend = "google"\nspreadsheet_id = "{sheet}"\n')
    assert main(["sync", "--today", "2026-11-25"]) == EXIT_OK
    capsys.readouterr()
    assert main(["plan", "--today", "2026-11-25", "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["changes"] == []
