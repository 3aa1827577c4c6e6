"""Issue 9's "done when", on Google: a leader who has never seen braingain goes from a fresh folder to
their own group's first sync on a Google Sheet they own, doing only what README.md and
docs/google-setup.md say, with the sign-in driven as a browser would drive it.

The harness replaces the network and nothing else: Google is the loopback fake (every configuration
braingain loads has its endpoints moved there, as a developer's `[endpoints]` section would), and the
test plays the person at the browser and at the keyboard."""

from __future__ import annotations

import dataclasses
import json
import re
import stat
import webbrowser
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from braingain.core.tracker.export import group_rows
from braingain.core.tracker.schema import column_letter
from braingain.integrations import cli
from braingain.integrations.cli import EXIT_OK, main
from braingain.integrations.config import Config, load_config
from braingain.integrations.google import login as google_login
from braingain.integrations.tracker.schema import load_schema
from braingain.sample import sample_group
from tests.fakes.fixtures import CLIENT_SECRET, LEADER_EMAIL, Browser, google_endpoints, installed_client
from tests.fakes.google import FakeGoogle

TODAY = "2026-11-25"
README = Path(__file__).resolve().parents[2] / "README.md"
SETUP = Path(__file__).resolve().parents[2] / "docs" / "google-setup.md"


def commands_in(text: str) -> list[str]:
    """The braingain commands a page shows in its shell blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [
        line.split("#")[0].strip() for block in blocks for line in block.splitlines() if "braingain" in line
    ]


@pytest.fixture
def leader(
    fake_google: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, Browser]:
    """A fresh group folder, the client file in Downloads, and a browser at hand."""
    folder = tmp_path / "okafor-lab"
    folder.mkdir()
    monkeypatch.chdir(folder)
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    client = downloads / "client_secret_1234-fake.apps.googleusercontent.com.json"
    client.write_text(json.dumps(installed_client(fake_google)), encoding="utf-8")
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake speaks http on loopback
    real_load = load_config

    def moved(path: Path | None = None, **kwargs: Any) -> Config:
        return dataclasses.replace(real_load(path, **kwargs), endpoints=google_endpoints(fake_google))

    monkeypatch.setattr(cli, "load_config", moved)
    browser = Browser()
    monkeypatch.setattr(google_login, "browser_at_hand", lambda: True)
    monkeypatch.setattr(webbrowser, "open", browser.open)
    return folder, client, browser


def test_the_docs_show_the_commands_this_test_runs() -> None:
    readme = commands_in(README.read_text(encoding="utf-8"))
    setup = commands_in(SETUP.read_text(encoding="utf-8"))
    for shown in (readme, setup):
        assert any(c.startswith("braingain login google --client-secrets") for c in shown)
        assert any(c.startswith("braingain init --google") for c in shown)
        assert "braingain sync" in shown
    assert any("init --google --adopt" in c for c in setup)


def test_a_leader_goes_from_a_fresh_folder_to_the_first_sync_on_a_sheet_they_own(
    fake_google: FakeGoogle,
    leader: tuple[Path, Path, Browser],
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, client, browser = leader

    # 1. braingain login google --client-secrets ~/Downloads/client_secret_....json
    assert main(["login", "google", "--client-secrets", str(client)]) == EXIT_OK
    browser.join()
    assert any("signed in to Google" in page.text for page in browser.landed)
    signin = google_login.config_home({}) / "google-signin.json"
    assert stat.S_IMODE(signin.stat().st_mode) == 0o600
    assert not (folder / "google-signin.json").exists()

    # 2. braingain init --google --name "Okafor Lab"
    assert main(["init", "--google", "--name", "Okafor Lab", "--today", TODAY]) == EXIT_OK
    said = capsys.readouterr()
    sheet = re.search(r"Created the Google Sheet (\S+)\.", said.out)
    assert sheet is not None
    sheet_id = sheet.group(1)
    assert fake_google.owner(sheet_id) == LEADER_EMAIL  # the leader owns their tracker
    settings = load_config(folder / "braingain.toml", environ={})
    assert (settings.tracker.backend, settings.tracker.spreadsheet_id) == ("google", sheet_id)
    assert settings.settings.name == "Okafor Lab"
    assert fake_google.spreadsheet(sheet_id)["properties"]["title"] == "Okafor Lab tracker"
    assert (folder / ".env").is_file()  # the group's state key, next to braingain.toml

    # 3. The leader types their group into the sheet (two members, as the Members tab asks).
    schema = load_schema()
    members = schema.tab("members")
    rows = group_rows(sample_group(date.fromisoformat(TODAY)))["members"][:2]
    headers = [str(h) for h in fake_google.values(sheet_id, members.title)[0]]
    by_header = {c.header: c.key for c in members.columns}
    typed = [[_typed(row.get(by_header.get(h, ""))) for h in headers] for row in rows]
    fake_google.set_values(sheet_id, members.title, f"A2:{column_letter(len(headers))}3", typed)

    # 4. braingain plan, then braingain sync: the group's first sync, on the leader's own sheet.
    assert main(["plan", "--today", TODAY]) == EXIT_OK
    capsys.readouterr()
    fake_google.reset_counts()
    assert main(["sync", "--today", TODAY, "--format", "json"]) == EXIT_OK
    first = json.loads(capsys.readouterr().out)
    assert first["changes"]
    assert fake_google.count("spreadsheets.batchUpdate") >= 1
    assert main(["sync", "--today", TODAY, "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["changes"] == []

    # Nothing secret in the group's folder or in anything braingain said.
    kept = json.loads(signin.read_text(encoding="utf-8"))
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_text(encoding="utf-8", errors="replace")
            assert kept["refresh_token"] not in content
            assert CLIENT_SECRET not in content
    assert kept["refresh_token"] not in said.out + said.err


def _typed(value: object) -> object:
    """A value as a person types it into a cell."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture
def signed_in(leader: tuple[Path, Path, Browser]) -> Path:
    """The leader signed in (login google, the browser driven); their group's folder."""
    folder, client, browser = leader
    assert main(["login", "google", "--client-secrets", str(client)]) == EXIT_OK
    browser.join()
    return folder


def test_init_google_names_a_new_group_and_never_renames_a_kept_one(
    signed_in: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = signed_in
    assert main(["init", "--google", "--title", "Lab sheet", "--today", TODAY]) == EXIT_OK
    assert 'The group is called "Lab sheet"' in capsys.readouterr().out
    assert load_config(folder / "braingain.toml", environ={}).settings.name == "Lab sheet"

    assert main(["init", "--google", "--name", "Another", "--today", TODAY, "--format", "json"]) == EXIT_OK
    said = json.loads(capsys.readouterr().out)
    assert (said["config"], said["group_name"]) == (None, None)
    assert load_config(folder / "braingain.toml", environ={}).settings.name == "Lab sheet"
    assert main(["init", "--google", "--name", "Another", "--today", TODAY]) == EXIT_OK
    assert "--name was not applied" in capsys.readouterr().out
