"""The `braingain` command on a Google Sheet, end to end through the real gspread and google-auth
clients against the loopback fake, with the request counts the issue promises."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from braingain.integrations.cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, main
from braingain.integrations.tracker.google_sheets import CREDENTIAL_VARIABLES
from tests.fakes.fixtures import LEADER_EMAIL, authorized_user_info, gspread_user_client
from tests.fakes.google import FakeGoogle

TODAY = ["--today", "2026-11-25"]
API_READS = ("spreadsheets.get", "values.batchGet")
API_WRITES = ("values.batchUpdate", "spreadsheets.batchUpdate")
GUARD = "values.batchGetByDataFilter"
"""The guard read: the tabs to write, read again just before the write."""


@pytest.fixture
def configured(
    fake_google: FakeGoogle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[Path, str]:
    """A Google tracker made by `braingain init --google --sample` by a leader signed in as themselves
    (`braingain login google` kept their sign-in in braingain's own configuration folder), and its
    braingain.toml."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("BRAINGAIN_CONFIG_HOME", str(home))
    home.mkdir(mode=0o700)
    (home / "google-signin.json").write_text(json.dumps(authorized_user_info(fake_google)), encoding="utf-8")
    endpoints = "\n".join(
        f'{k} = "{fake_google.base_url}"' for k in ("google_sheets", "google_apis", "google_oauth")
    )
    meetings = (
        '[meetings]\nday = "Sat"\ntime = "15:00"\nzone = "Africa/Lagos"\n'
        'first = "2026-07-04"\nseries_id = "monthly"\n'
    )
    settings = f'[tracker]\nbackend = "google"\n\n{meetings}\n[endpoints]\n{endpoints}\n'
    config = tmp_path / "braingain.toml"
    config.write_text(settings, encoding="utf-8")
    code = main(
        [
            "init",
            "--google",
            "--sample",
            "--share-with",
            "coordinator@example.org",
            "--config",
            str(config),
            *TODAY,
        ]
    )
    assert code == EXIT_OK
    found = re.search(r"Created the Google Sheet (\S+)\.", capsys.readouterr().out)
    assert found is not None
    sheet = found.group(1)
    config.write_text(
        settings.replace('backend = "google"', f'backend = "google"\nspreadsheet_id = "{sheet}"')
    )
    return config, sheet


def api_calls(fake: FakeGoogle, routes: tuple[str, ...]) -> int:
    return sum(fake.count(r) for r in routes)


def test_init_shares_the_sheet_with_the_leaders_and_whoever_is_named(
    fake_google: FakeGoogle, configured: tuple[Path, str]
) -> None:
    _, sheet = configured
    assert fake_google.owner(sheet) == LEADER_EMAIL  # the leader who signed in owns it
    shared = {p.get("emailAddress") for p in fake_google.permissions(sheet)}
    assert "coordinator@example.org" in shared
    assert {"ada.obiora@example.org", "tunde.bakare@example.org", "efe.ighodalo@example.org"} <= shared


def test_cold_start_reads_in_two_requests_guards_in_one_and_writes_in_one(
    fake_google: FakeGoogle, configured: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = configured
    fake_google.reset_counts()
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
    assert "Wrote" in capsys.readouterr().out
    assert api_calls(fake_google, API_READS) == 2
    assert fake_google.count(GUARD) == 1
    lease, write = fake_google.requests_to("spreadsheets.batchUpdate")
    # The sheet's lease first: the sync makes the group's folders on Drive, beyond this computer.
    assert {next(iter(r)) for r in lease.body["requests"]} <= {
        "deleteDeveloperMetadata",
        "createDeveloperMetadata",
    }
    assert any("updateCells" in r or "appendCells" in r for r in write.body["requests"])
    assert fake_google.count("values.batchUpdate") == 0


def test_a_second_sync_right_after_costs_two_reads_and_no_write(
    fake_google: FakeGoogle, configured: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = configured
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
    capsys.readouterr()
    fake_google.reset_counts()
    assert main(["sync", "--config", str(config), *TODAY, "--format", "json"]) == EXIT_OK
    outcome = json.loads(capsys.readouterr().out)
    assert api_calls(fake_google, API_READS) <= 2
    assert api_calls(fake_google, API_WRITES) == 0
    assert outcome.get("cells", 0) == 0


def test_one_change_in_the_sheet_costs_two_reads_a_guard_read_the_lease_and_one_write(
    fake_google: FakeGoogle, configured: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    config, sheet = configured
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
    capsys.readouterr()
    grid = fake_google.values(sheet, "Tasks")
    header = grid[0]
    row = next(i for i, r in enumerate(grid) if r[header.index("ID")] == "SR-T08") + 1
    status = header.index("Status")
    changed_by = header.index("Status changed by")
    head = grid[row - 1][header.index("Mini-team head")]
    fake_google.set_values(sheet, "Tasks", f"{chr(65 + status)}{row}", [["submitted"]])
    fake_google.set_values(sheet, "Tasks", f"{chr(65 + changed_by)}{row}", [[head]])
    fake_google.reset_counts()
    assert main(["sync", "--config", str(config), *TODAY, "--format", "json"]) == EXIT_OK
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["status_changes"] == [f"SR-T08: in progress -> submitted by {head}"]
    assert outcome["not_written"] == []  # nobody changed the sheet during the sync
    assert api_calls(fake_google, API_READS) == 2
    assert fake_google.count(GUARD) == 1
    # A status is on the project's Gantt chart: its copy on Drive is replaced (PNG and SVG), so the
    # sync takes the sheet's lease first (one batch) before its write (the other).
    assert fake_google.count("drive.files.update.media") == 2
    assert fake_google.count("spreadsheets.batchUpdate") == 2
    assert fake_google.count("values.batchUpdate") == 0


@pytest.mark.parametrize("change", ["delete", "rename"])
def test_a_deleted_members_tab_on_google_is_not_synced_but_a_renamed_one_is_still_found(
    fake_google: FakeGoogle, configured: tuple[Path, str], capsys: pytest.CaptureFixture[str], change: str
) -> None:
    """A renamed tab is found by the sheetId the sync remembers; a deleted one stops the sync."""
    config, sheet = configured
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
    capsys.readouterr()
    client = gspread_user_client(fake_google)
    members = client.open_by_key(sheet).worksheet("Members")
    if change == "delete":
        client.open_by_key(sheet).del_worksheet(members)
    else:
        members.update_title("People")
    fake_google.reset_counts()
    code = main(["sync", "--config", str(config), *TODAY])
    _, err = capsys.readouterr()
    if change == "delete":
        assert code == EXIT_ERROR
        assert "there is no tab 'Members'" in err
        assert api_calls(fake_google, API_WRITES) == 0
    else:
        assert code == EXIT_OK
        assert api_calls(fake_google, API_WRITES) == 0


def test_a_deleted_ledger_row_on_google_is_written_back_with_a_note_and_the_next_sync_writes_nothing(
    fake_google: FakeGoogle, configured: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    config, sheet = configured
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
    capsys.readouterr()
    ledger = gspread_user_client(fake_google).open_by_key(sheet).worksheet("Ledger")
    ids = ledger.col_values(1)
    ledger.delete_rows(ids.index("award:SR-T02:zainab.musawa") + 1)
    assert main(["sync", "--config", str(config), *TODAY, "--format", "json"]) == EXIT_PROBLEMS
    outcome = json.loads(capsys.readouterr().out)
    assert {
        "kind": "restored",
        "about": "SR-T02",
        "text": "A Ledger row deleted by hand is written back: award of 2.50 points to Zainab Musawa for "
        "SR-T02 (Write the review protocol)",
    } in outcome["decisions"]
    (row,) = [r for r in outcome["appended"] if r["tab"] == "Ledger"]
    assert row["id"] == "award:SR-T02:zainab.musawa"
    grid = fake_google.values(sheet, "Ledger")
    header = grid[0]
    written = dict(zip(header, grid[-1], strict=False))
    assert written["ID"] == "award:SR-T02:zainab.musawa"
    assert "deleted from the Ledger" in str(written["Sync note"])
    assert [r[0] for r in grid].count("award:SR-T02:zainab.musawa") == 1
    fake_google.reset_counts()
    assert main(["sync", "--config", str(config), *TODAY, "--format", "json"]) == EXIT_PROBLEMS
    assert json.loads(capsys.readouterr().out)["changes"] == []
    assert api_calls(fake_google, API_WRITES) == 0


def test_a_deleted_state_tab_on_google_is_added_back_rebuilt_from_the_tabs_and_nothing_accepted_goes_back(
    fake_google: FakeGoogle, configured: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    config, sheet = configured
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
    capsys.readouterr()
    book = gspread_user_client(fake_google).open_by_key(sheet)
    book.del_worksheet(book.worksheet("_braingain_state"))
    assert main(["sync", "--config", str(config), *TODAY, "--format", "json"]) == EXIT_PROBLEMS
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["status_changes"] == []
    assert [p["tab"] for p in outcome["problems"]] == ["_braingain_state"]
    assert "was missing, so it was not trusted" in outcome["problems"][0]["problem"]
    fake_google.reset_counts()
    assert main(["sync", "--config", str(config), *TODAY, "--format", "json"]) == EXIT_PROBLEMS
    assert json.loads(capsys.readouterr().out)["changes"] == []
    assert api_calls(fake_google, API_WRITES) == 0


def test_a_no_op_sync_with_zoom_configured_reads_the_sheet_twice_and_asks_zoom_nothing(
    fake_google: FakeGoogle,
    configured: tuple[Path, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.fakes.zoom import FakeZoom
    from tests.fakes.zoom_support import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET

    config, _ = configured
    with FakeZoom() as fake_zoom:
        fake_zoom.register_app(ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)
        for name, value in (
            ("ZOOM_ACCOUNT_ID", ACCOUNT_ID),
            ("ZOOM_CLIENT_ID", CLIENT_ID),
            ("ZOOM_CLIENT_SECRET", CLIENT_SECRET),
        ):
            monkeypatch.setenv(name, value)
        text = config.read_text(encoding="utf-8")
        zoom_endpoints = f'zoom = "{fake_zoom.api_url}"\nzoom_oauth = "{fake_zoom.base_url}"\n'
        config.write_text(text.replace("[endpoints]\n", "[endpoints]\n" + zoom_endpoints), encoding="utf-8")
        assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
        capsys.readouterr()
        assert fake_zoom.count("meetings.create") > 0  # Zoom is really in play
        fake_google.reset_counts()
        fake_zoom.reset_counts()

        assert main(["sync", "--config", str(config), *TODAY, "--format", "json"]) == EXIT_OK

        capsys.readouterr()
        assert fake_zoom.counts == {}
        assert api_calls(fake_google, API_READS) == 2
        assert {k: v for k, v in fake_google.counts.items() if k not in API_READS} == {}
        fake_zoom.check()
