"""pytest plugin: the loopback Google fake, and the real clients pointed at it."""

from __future__ import annotations

import functools
import hashlib
import threading
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import gspread
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from braingain.core.tracker.read import Settings
from braingain.core.tracker.schema import Schema
from braingain.integrations.config import Config, TrackerConfig
from braingain.integrations.http import (
    GOOGLE_ACCOUNTS,
    GOOGLE_APIS,
    GOOGLE_OAUTH,
    GOOGLE_SHEETS,
    EndpointSession,
)
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.google_sheets import GoogleSheets
from tests.fakes.google import SCOPE_DRIVE_FILE, SCOPE_SPREADSHEETS, TOKEN_URI, FakeGoogle

SCOPES = (SCOPE_SPREADSHEETS, SCOPE_DRIVE_FILE)
"""What braingain asks for: the spreadsheets, and the Drive files it creates (never the whole Drive)."""
SERVICE_ACCOUNT_EMAIL = "braingain-sync@braingain-tests.iam.gserviceaccount.com"
LEADER_EMAIL = "leader@braingain.test"
"""The Google account a leader signs in with (``braingain login google``) in the tests."""
CLIENT_ID = "1234567890-fake.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-fake-client-secret"


@functools.cache
def _private_key() -> rsa.RSAPrivateKey:
    """One RSA key for the whole session: making one takes tens of milliseconds."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@functools.cache
def _public_key_pem() -> bytes:
    return (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


@functools.cache
def _private_key_pem() -> str:
    pem = _private_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem.decode("ascii")


def service_account_info(fake: FakeGoogle) -> dict[str, str]:
    """A service-account key file's contents, registered with ``fake`` so its assertions verify."""
    key_id = hashlib.sha1(_public_key_pem(), usedforsecurity=False).hexdigest()
    fake.register_service_account(SERVICE_ACCOUNT_EMAIL, key_id, _public_key_pem())
    return {
        "type": "service_account",
        "project_id": "braingain-tests",
        "private_key_id": key_id,
        "private_key": _private_key_pem(),
        "client_email": SERVICE_ACCOUNT_EMAIL,
        "client_id": "104729562781234567890",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": TOKEN_URI,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": (
            "https://www.googleapis.com/robot/v1/metadata/x509/" + urllib.parse.quote(SERVICE_ACCOUNT_EMAIL)
        ),
        "universe_domain": "googleapis.com",
    }


class Browser:
    """The person at the browser during ``braingain login google``: opens Google's page (the fake
    consents and redirects) and follows the redirect back to braingain's loopback server, in the
    background, as a browser does while braingain waits. Call it, or use it as ``webbrowser.open``."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.landed: list[requests.Response] = []
        self._visits: list[threading.Thread] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)

        def visit() -> None:
            consent = requests.get(url, allow_redirects=False, timeout=5)
            self.landed.append(requests.get(consent.headers["Location"], timeout=5))

        thread = threading.Thread(target=visit, daemon=True)
        thread.start()
        self._visits.append(thread)
        return True

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        return self(url)

    def join(self) -> None:
        """Wait for every visit to end (the browser showing braingain's page)."""
        for thread in self._visits:
            thread.join(timeout=5)


def installed_client(fake: FakeGoogle) -> dict[str, object]:
    """A "Desktop app" OAuth client file, as the Google Cloud console gives it, registered with ``fake``."""
    fake.register_oauth_client(CLIENT_ID, CLIENT_SECRET)
    return {
        "installed": {
            "client_id": CLIENT_ID,
            "project_id": "braingain-tests",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": TOKEN_URI,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_secret": CLIENT_SECRET,
            "redirect_uris": ["http://localhost"],
        }
    }


def authorized_user_info(fake: FakeGoogle, email: str = LEADER_EMAIL) -> dict[str, object]:
    """A signed-in leader's credentials (what ``braingain login google`` keeps), registered with ``fake``."""
    refresh_token = f"1//fake-refresh-{hashlib.sha1(email.encode(), usedforsecurity=False).hexdigest()}"
    fake.register_refresh_token(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=refresh_token,
        scopes=SCOPES,
        email=email,
    )
    return {
        "type": "authorized_user",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": refresh_token,
        "token_uri": TOKEN_URI,
    }


def google_endpoints(fake: FakeGoogle) -> dict[str, str]:
    """The ``endpoints`` of an EndpointSession that sends every Google request to ``fake``."""
    return {
        GOOGLE_SHEETS: fake.base_url,
        GOOGLE_APIS: fake.base_url,
        GOOGLE_OAUTH: fake.base_url,
        GOOGLE_ACCOUNTS: fake.base_url,
    }


def gspread_client(fake: FakeGoogle, *, timeout: float = 15.0) -> gspread.Client:
    """A real gspread client with service-account credentials, talking to ``fake``.

    Its session is closed when ``fake`` stops.
    """
    credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
        service_account_info(fake), scopes=SCOPES
    )
    session = EndpointSession(credentials, endpoints=google_endpoints(fake), timeout=timeout)
    fake.add_cleanup(session.close)
    return gspread.Client(credentials, session=session)


def gspread_user_client(fake: FakeGoogle, *, timeout: float = 15.0) -> gspread.Client:
    """A real gspread client signed in as the leader (OAuth user credentials), talking to ``fake``:
    what a person may create, they own (a service account may create nothing outside a shared drive)."""
    credentials = user_credentials.Credentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
        authorized_user_info(fake), scopes=SCOPES
    )
    session = EndpointSession(credentials, endpoints=google_endpoints(fake), timeout=timeout)
    fake.add_cleanup(session.close)
    return gspread.Client(credentials, session=session)


@pytest.fixture
def fake_google() -> Iterator[FakeGoogle]:
    """A started :class:`FakeGoogle`, stopped after the test; its own problems fail the test."""
    fake = FakeGoogle()
    with fake:
        yield fake
    fake.check()


def hand_made_sheet(
    fake: FakeGoogle,
    schema: Schema,
    settings: Settings,
    rows: Mapping[str, Sequence[Mapping[str, object]]],
    key_file: Path,
) -> tuple[str, GoogleSheets]:
    """A Google Sheet a person made by hand (the schema's headers, then ``rows`` per tab key; no
    layout at all) in ``fake``, and braingain's backend on it, signed in with the service account
    whose key is in ``key_file`` (made by :func:`service_account_info`); closed when the fake stops."""
    tabs: dict[str, list[list[object]]] = {}
    for tab in schema.tabs:
        tabs[tab.title] = [list(tab.headers)]
        tabs[tab.title] += [[row.get(c.key) for c in tab.columns] for row in rows.get(tab.key, ())]
    spreadsheet_id = fake.new_spreadsheet("tracker", tabs)
    config = Config(
        source=None,
        settings=settings,
        tracker=TrackerConfig(backend="google", spreadsheet_id=spreadsheet_id, share_with_leaders=False),
        endpoints=google_endpoints(fake),
        environment={"GOOGLE_APPLICATION_CREDENTIALS": str(key_file)},
    )
    sheets = GoogleSheets.from_config(config, schema=schema, retry=RetryPolicy(sleep=lambda _: None))
    fake.add_cleanup(sheets.close)
    return spreadsheet_id, sheets
