"""`braingain login google` and `logout google`: the installed-app sign-in, driven end to end through
the real google-auth-oauthlib, google-auth and gspread clients against the loopback fake. The tests
play the person at the browser: they open Google's (fake) page, which consents and redirects, and
follow the redirect back to braingain's one-request loopback server, or copy the address back."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import webbrowser
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from braingain.integrations import text
from braingain.integrations.cli import EXIT_OK, EXIT_USAGE, main
from braingain.integrations.config import Config, TrackerConfig
from braingain.integrations.errors import ConfigError
from braingain.integrations.google import login as google_login
from braingain.integrations.tracker.google_sheets import GoogleSheets, google_credentials
from tests.fakes.fixtures import (
    CLIENT_SECRET,
    LEADER_EMAIL,
    SCOPES,
    Browser,
    google_endpoints,
    installed_client,
)
from tests.fakes.framework import status
from tests.fakes.google import SCOPE_DRIVE, FakeGoogle
from tests.tracker.helpers import sample_settings

ROOT = Path(__file__).resolve().parents[2]


def ended_on(url: str) -> str:
    """The address a browser ends on after Google's page (the copy-paste way, which does not load)."""
    return requests.get(url, allow_redirects=False, timeout=5).headers["Location"]


def answer_from(said: list[str], *, code_only: bool = False) -> Callable[[str], str]:
    """The person without a browser here: opens the address braingain said on another device, and
    pastes back the address the browser ended on (or only the code in it)."""

    def paste(_: str) -> str:
        url = re.search(r"https?://\S+/o/oauth2/auth\S*", "\n".join(said))
        assert url is not None
        landed = ended_on(url.group(0))
        return parse_qs(urlsplit(landed).query)["code"][0] if code_only else landed

    return paste


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """braingain's own configuration folder (not yet there), and a project folder to run in."""
    folder = tmp_path / "config-home" / "braingain"
    monkeypatch.setenv("BRAINGAIN_CONFIG_HOME", str(folder))
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake speaks http on loopback
    project = tmp_path / "group"
    project.mkdir()
    monkeypatch.chdir(project)
    return folder


@pytest.fixture
def client_file(tmp_path: Path, fake_google: FakeGoogle) -> Path:
    path = tmp_path / "Downloads" / "client_secret_1234.apps.googleusercontent.com.json"
    path.parent.mkdir()
    path.write_text(json.dumps(installed_client(fake_google)), encoding="utf-8")
    return path


def config_for(fake: FakeGoogle, spreadsheet_id: str | None = None) -> Config:
    return Config(
        source=None,
        settings=sample_settings(date(2026, 11, 25)),
        tracker=TrackerConfig(backend="google", spreadsheet_id=spreadsheet_id),
        endpoints=google_endpoints(fake),
        environment=dict(os.environ),
    )


@pytest.fixture
def signed_in(fake_google: FakeGoogle, home: Path, client_file: Path) -> Path:
    browser = Browser()
    google_login.sign_in(config_for(fake_google), client_secrets=client_file, paste=False, opener=browser)
    browser.join()
    return home / google_login.SIGNIN_FILE


def test_login_through_the_browser_keeps_a_sign_in_readable_by_its_owner_only_outside_the_project(
    fake_google: FakeGoogle, home: Path, client_file: Path
) -> None:
    browser = Browser()
    said: list[str] = []
    signed = google_login.sign_in(
        config_for(fake_google), client_secrets=client_file, paste=False, opener=browser, say=said.append
    )
    browser.join()

    assert signed.path == home / "google-signin.json"
    assert stat.S_IMODE(signed.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "google-client.json").stat().st_mode) == 0o600
    kept = json.loads(signed.path.read_text(encoding="utf-8"))
    assert kept["type"] == "authorized_user"
    assert kept["token_uri"] == "https://oauth2.googleapis.com/token"  # Google's own, moved only when used
    assert kept["refresh_token"]
    assert list(Path.cwd().iterdir()) == []  # nothing in the project folder
    assert fake_google.refresh_grants() == [(LEADER_EMAIL, frozenset(SCOPES), False)]
    assert [page.status_code for page in browser.landed] == [200]
    assert "signed in" in browser.landed[0].text
    assert signed.how == "browser"
    # What braingain asked Google for: the two permissions, PKCE, offline access, a loopback redirect.
    asked = parse_qs(urlsplit(browser.opened[0]).query)
    assert set(asked["scope"][0].split()) == set(SCOPES)
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["access_type"] == ["offline"]
    assert re.fullmatch(r"http://localhost:\d+/", asked["redirect_uri"][0])
    assert browser.opened[0] in "\n".join(said)  # the address is said too, in case no browser opened


def test_login_without_a_browser_takes_the_address_the_browser_ended_on(
    fake_google: FakeGoogle, home: Path, client_file: Path
) -> None:
    said: list[str] = []

    paste = answer_from(said)
    signed = google_login.sign_in(
        config_for(fake_google), client_secrets=client_file, paste=True, ask=paste, say=said.append
    )

    assert signed.how == "paste"
    assert stat.S_IMODE(signed.path.stat().st_mode) == 0o600
    assert fake_google.refresh_grants() == [(LEADER_EMAIL, frozenset(SCOPES), False)]
    assert "urn:ietf:wg:oauth:2.0:oob" not in "\n".join(said)  # not Google's blocked out-of-band flow


def test_login_without_a_browser_takes_the_code_alone(
    fake_google: FakeGoogle, home: Path, client_file: Path
) -> None:
    said: list[str] = []

    paste = answer_from(said, code_only=True)
    google_login.sign_in(
        config_for(fake_google), client_secrets=client_file, paste=True, ask=paste, say=said.append
    )

    assert (home / "google-signin.json").is_file()


@pytest.mark.parametrize(
    ("pasted", "says"),
    [
        ("", "nothing was pasted"),
        ("http://127.0.0.1:1/?state=someone-elses&code=4/abc", "comes from another sign-in"),
        ("http://127.0.0.1:1/?error=access_denied", "you did not allow braingain"),
    ],
)
def test_a_paste_that_cannot_sign_in_says_why_and_keeps_nothing(
    fake_google: FakeGoogle, home: Path, client_file: Path, pasted: str, says: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        google_login.sign_in(
            config_for(fake_google),
            client_secrets=client_file,
            paste=True,
            ask=lambda _: pasted,
            say=lambda _: None,
        )

    assert says in str(refused.value)
    assert "braingain login google" in str(refused.value)
    assert not (home / "google-signin.json").exists()


def test_a_person_who_presses_cancel_on_googles_page_is_told_so(
    fake_google: FakeGoogle, home: Path, client_file: Path
) -> None:
    fake_google.consent = False
    said: list[str] = []

    paste = answer_from(said)
    with pytest.raises(ConfigError, match="you did not allow braingain"):
        google_login.sign_in(
            config_for(fake_google), client_secrets=client_file, paste=True, ask=paste, say=said.append
        )
    assert fake_google.refresh_grants() == []


def test_a_permission_left_unticked_on_googles_page_is_named_with_what_it_is_for(
    fake_google: FakeGoogle, home: Path, client_file: Path
) -> None:
    fake_google.unticked = frozenset({"https://www.googleapis.com/auth/drive.file"})
    browser = Browser()
    with pytest.raises(ConfigError) as refused:
        google_login.sign_in(config_for(fake_google), client_secrets=client_file, paste=False, opener=browser)
    browser.join()

    assert "only the Google Drive files braingain itself creates" in str(refused.value)
    assert "tick every box" in str(refused.value)
    assert not (home / "google-signin.json").exists()


def test_a_browser_that_never_comes_back_ends_the_wait_with_what_to_do(
    fake_google: FakeGoogle, home: Path, client_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(google_login, "WAIT_SECONDS", 1)
    opened: list[str] = []

    def closed_at_once(url: str) -> bool:  # the person closes the tab
        opened.append(url)
        return True

    with pytest.raises(ConfigError) as ended:
        google_login.sign_in(
            config_for(fake_google),
            client_secrets=client_file,
            paste=False,
            opener=closed_at_once,
            say=opened.append,
        )

    assert "did not come back to braingain" in str(ended.value)
    assert "--no-browser" in str(ended.value)
    assert not (home / "google-signin.json").exists()


def test_an_expired_access_token_is_refreshed_and_the_new_one_saved_back(
    fake_google: FakeGoogle, signed_in: Path
) -> None:
    sheet = fake_google.new_spreadsheet("t", {"Members": [["ID"]]})
    before = json.loads(signed_in.read_text(encoding="utf-8"))
    fake_google.expire_tokens()

    with GoogleSheets.from_config(config_for(fake_google, sheet)) as sheets:
        sheets.read()

    after = json.loads(signed_in.read_text(encoding="utf-8"))
    assert after["token"] != before["token"]
    assert after["refresh_token"] == before["refresh_token"]
    assert stat.S_IMODE(signed_in.stat().st_mode) == 0o600
    assert fake_google.count("token") >= 2


def test_logout_withdraws_the_sign_in_at_google_and_deletes_it(
    fake_google: FakeGoogle, signed_in: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_for(fake_google)

    assert google_login.sign_out(config) == (True, True)
    assert not signed_in.exists()
    assert fake_google.refresh_grants() == [(LEADER_EMAIL, frozenset(SCOPES), True)]
    with pytest.raises(ConfigError, match="not signed in to Google"):
        google_credentials(config_for(fake_google))
    assert google_login.sign_out(config) == (False, False)


def test_logout_when_google_cannot_be_reached_still_deletes_the_sign_in_and_says_where_to_withdraw_it(
    fake_google: FakeGoogle, signed_in: Path
) -> None:
    fake_google.faults.add("oauth.revoke", status(503), times=5)

    assert google_login.sign_out(config_for(fake_google)) == (True, False)
    assert not signed_in.exists()
    said = text.signed_out(signed_in, was=True, revoked=False)
    assert "myaccount.google.com/connections" in said


def test_a_sign_in_withdrawn_at_google_says_to_sign_in_again(
    fake_google: FakeGoogle, signed_in: Path
) -> None:
    sheet = fake_google.new_spreadsheet("t", {"Members": [["ID"]]})
    refresh_token = json.loads(signed_in.read_text(encoding="utf-8"))["refresh_token"]
    fake_google.revoke_refresh_token(refresh_token)
    fake_google.expire_tokens()

    with (
        pytest.raises(ConfigError) as refused,
        GoogleSheets.from_config(config_for(fake_google, sheet)) as sheets,
    ):
        sheets.read()
    assert "braingain login google" in str(refused.value)
    assert refresh_token not in str(refused.value)


def test_a_second_login_needs_no_client_file_it_was_kept_and_withdraws_the_first(
    fake_google: FakeGoogle, signed_in: Path, home: Path
) -> None:
    browser = Browser()
    google_login.sign_in(config_for(fake_google), paste=False, opener=browser)
    browser.join()
    # The earlier sign-in is withdrawn at Google: one sign-in per computer, no forgotten ones.
    assert fake_google.refresh_grants() == [
        (LEADER_EMAIL, frozenset(SCOPES), True),
        (LEADER_EMAIL, frozenset(SCOPES), False),
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ({"type": "service_account", "client_email": "x@y.iam.gserviceaccount.com"}, "service-account key"),
        ({"web": {"client_id": "a", "client_secret": "b"}}, "Web application client"),
        ({"installed": {"client_id": "a"}}, "not a Desktop app OAuth client file"),
        ([1, 2], "not an OAuth client file"),
    ],
)
def test_a_client_file_of_the_wrong_kind_is_refused_with_what_to_download(
    fake_google: FakeGoogle, home: Path, tmp_path: Path, content: object, says: str
) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ConfigError, match=says):
        google_login.sign_in(config_for(fake_google), client_secrets=wrong, paste=True, ask=lambda _: "")
    assert not home.exists() or not (home / "google-client.json").exists()


def test_login_without_a_client_file_says_where_to_get_one(fake_google: FakeGoogle, home: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        google_login.sign_in(config_for(fake_google), paste=True, ask=lambda _: "")
    assert "--client-secrets" in f"{refused.value}"
    assert "docs/google-setup.md" in f"{refused.value}"


@pytest.fixture
def moved(fake_google: FakeGoogle, home: Path) -> Path:
    """The group folder's braingain.toml, with Google's sign-in endpoints moved to the fake."""
    config = Path("braingain.toml")
    endpoints = "\n".join(f'{k} = "{fake_google.base_url}"' for k in ("google_oauth", "google_accounts"))
    config.write_text(f"[endpoints]\n{endpoints}\n", encoding="utf-8")
    return home


def test_the_cli_signs_in_and_out_and_never_prints_a_token_a_secret_or_an_email(
    moved: Path, client_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = moved
    browser = Browser()
    monkeypatch.setattr(google_login, "browser_at_hand", lambda: True)
    monkeypatch.setattr(webbrowser, "open", browser.open)

    assert main(["login", "google", "--client-secrets", str(client_file)]) == EXIT_OK
    browser.join()
    kept = json.loads((home / "google-signin.json").read_text(encoding="utf-8"))
    assert main(["logout", "google"]) == EXIT_OK
    assert main(["logout", "google"]) == EXIT_OK

    out, err = capsys.readouterr()
    said = out + err
    assert "Signed in to Google" in said
    assert "Signed out of Google" in said
    assert "was not signed in" in said
    for secret in (kept["refresh_token"], kept["token"], CLIENT_SECRET, LEADER_EMAIL):
        assert secret not in said


def test_login_with_no_browser_flag_uses_the_copy_paste_way(
    moved: Path, client_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:

    def paste(_: str) -> str:
        url = re.search(r"https?://\S+/o/oauth2/auth\S*", capsys.readouterr().err)
        assert url is not None
        return ended_on(url.group(0))

    monkeypatch.setattr("builtins.input", paste)
    assert main(["login", "google", "--no-browser", "--client-secrets", str(client_file)]) == EXIT_OK
    assert (moved / "google-signin.json").is_file()


def test_no_code_asks_google_for_the_whole_drive() -> None:
    """Least privilege: the spreadsheets, and the Drive files braingain creates (drive.file), nothing more."""
    whole_drive = re.compile(r"auth/drive(?![.\w])")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("core", "integrations", "src", "config", "sheets_templates")
        for path in (ROOT / folder).rglob("*.py")
        if whole_drive.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert SCOPE_DRIVE not in google_login.SCOPES
    assert set(google_login.SCOPES) == set(SCOPES)


def test_a_computer_without_a_screen_has_no_browser_at_hand_so_login_takes_the_copy_paste_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert google_login.browser_at_hand() is False
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "get", lambda using=None: object())
    assert google_login.browser_at_hand() is True


def test_the_fake_refuses_googles_blocked_out_of_band_redirect(fake_google: FakeGoogle) -> None:
    installed_client(fake_google)
    answer = requests.get(
        f"{fake_google.base_url}/o/oauth2/auth",
        params={
            "client_id": "1234567890-fake.apps.googleusercontent.com",
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
            "response_type": "code",
            "scope": " ".join(SCOPES),
        },
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 400
    assert "out-of-band" in answer.json()["error_description"]


def test_a_usage_error_for_an_unknown_service(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["login", "dropbox"]) == EXIT_USAGE
    assert main(["logout"]) == EXIT_USAGE
