"""Signing in to Google as yourself: ``braingain login google`` and ``braingain logout google``.

A leader with an ordinary Google account signs braingain in once with Google's installed-app
flow (google-auth-oauthlib), using their own OAuth client (a "Desktop app" client file from the
Google Cloud console, ``--client-secrets FILE``). What braingain then creates is owned by them.

- **Two permissions, no more** (:data:`SCOPES`): ``spreadsheets`` (read and edit the Google Sheets
  you open with braingain: the tracker) and ``drive.file`` (only the Drive files braingain itself
  created: to share the new tracker with the group's leaders). Never the whole Drive.
- **The browser comes back to braingain**: a one-request web server on this computer (a loopback
  address, a free port) receives Google's answer; the browser opens by itself when one is at hand.
  Without one (``--no-browser``, or a computer with no screen) braingain prints the address to
  open on any device and asks for the address the browser ended on (or the code in it). Google
  blocked the older "out-of-band" copy-paste flow in 2022; this is not it: the code still goes to
  a loopback address, which simply does not load on the other device. PKCE guards the code either way.
- **Kept in your own configuration folder, never in the project folder**: ``google-signin.json``
  (the refresh token, the client's id and secret, the current access token and when it ends) in
  :func:`config_home` (platformdirs' ``user_config_dir("braingain")``, or ``BRAINGAIN_CONFIG_HOME``),
  the folder readable by you only (0700) and the file too (0600). The client file is kept there
  as well (``google-client.json``, 0600), so that signing in again needs no flag and the token
  can always be refreshed, whichever group folder braingain runs in.
- **Refreshed when it expires**: an access token lasts an hour; google-auth refreshes it with the
  refresh token, and the new one is saved back (:class:`KeptCredentials`).
- ``logout google`` revokes the sign-in at Google and deletes the file; signing in again
  withdraws the sign-in it replaces, so no forgotten one stays valid.

No message says a token, a secret or an email address.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import webbrowser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from google.oauth2 import credentials as user_credentials
from google_auth_oauthlib.flow import Flow, InstalledAppFlow, WSGITimeoutError  # type: ignore[import-untyped]
from oauthlib.oauth2.rfc6749.errors import OAuth2Error  # type: ignore[import-untyped]
from platformdirs import user_config_dir

from braingain.integrations.config import Config
from braingain.integrations.errors import ConfigError, PlatformError
from braingain.integrations.http import DEFAULT_TIMEOUT, GOOGLE_OAUTH, RewritingSession, rewrite
from braingain.integrations.retry import redact

__all__ = [
    "CONFIG_HOME_VARIABLE",
    "SCOPES",
    "KeptCredentials",
    "SignedIn",
    "config_home",
    "kept_credentials",
    "sign_in",
    "sign_out",
]

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.file",
)
"""What braingain asks Google for: your spreadsheets (it opens only the one a group's braingain.toml
names), and the Drive files it creates."""
PERMISSIONS = {
    SCOPES[0]: "see, edit, create and delete your Google Sheets spreadsheets (braingain uses the tracker)",
    SCOPES[1]: "see, edit, create and delete only the Google Drive files braingain itself creates "
    "(to share the new tracker with the group's leaders)",
}
CONFIG_HOME_VARIABLE = "BRAINGAIN_CONFIG_HOME"
"""Moves braingain's own configuration folder (the Google sign-in lives there)."""
SIGNIN_FILE = "google-signin.json"
CLIENT_FILE = "google-client.json"
AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
TOKEN_URI = f"{GOOGLE_OAUTH}/token"
REVOKE_URI = f"{GOOGLE_OAUTH}/revoke"
PASTE_REDIRECT = "http://127.0.0.1:1/"
"""Where Google sends the browser when braingain cannot listen for it (the copy-paste way): a
loopback address that loads nothing, whose address the leader copies back."""
WAIT_SECONDS = 300
"""How long the loopback sign-in waits for the browser to come back."""
MANAGE_ACCESS = "https://myaccount.google.com/connections"

Say = Callable[[str], None]
Ask = Callable[[str], str]
Opener = Callable[[str], bool]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)  # noqa: T201 - the sign-in talks to the person at the keyboard


def config_home(environment: Mapping[str, str]) -> Path:
    """braingain's own configuration folder: ``BRAINGAIN_CONFIG_HOME`` if set, else the platform's
    (``~/.config/braingain`` on Linux, ``~/Library/Application Support/braingain`` on macOS,
    ``%LOCALAPPDATA%\\braingain`` on Windows). Never a project folder."""
    moved = (environment.get(CONFIG_HOME_VARIABLE) or os.environ.get(CONFIG_HOME_VARIABLE) or "").strip()
    return Path(moved).expanduser() if moved else Path(user_config_dir("braingain", appauthor=False))


def _home(config: Config) -> Path:
    return config_home(config.environment)


def _keep(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` readable and writable by its owner only (0600), in a folder
    only its owner may enter (0700), replacing any earlier file in one step."""
    try:
        if not path.parent.is_dir():  # a folder someone else made (their home?) keeps its permissions
            path.parent.mkdir(mode=0o700, parents=True)
            os.chmod(path.parent, 0o700)  # whatever the umask
        partial = path.with_name(f".{path.name}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    except OSError as error:
        raise ConfigError(
            f"cannot save the Google sign-in in {path.parent}: {error.strerror or error}",
            hint=f"check that you may write there, or set {CONFIG_HOME_VARIABLE} to a folder of yours",
        ) from None


# --------------------------------------------------------------------------------------------
# The kept sign-in
# --------------------------------------------------------------------------------------------


class KeptCredentials(user_credentials.Credentials):
    """OAuth user credentials that save themselves back to their file after each refresh."""

    kept_at: Path | None = None

    def refresh(self, request: Any) -> None:
        super().refresh(request)  # type: ignore[no-untyped-call]
        if self.kept_at is not None:
            _keep(self.kept_at, _signin_json(self))


def _signin_json(credentials: user_credentials.Credentials) -> str:
    info: dict[str, object] = {
        "type": "authorized_user",
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
        "refresh_token": credentials.refresh_token,
        "token_uri": TOKEN_URI,  # Google's own; a moved endpoint is applied when it is used
        "scopes": list(credentials.scopes or SCOPES),
    }
    if credentials.token:
        info["token"] = credentials.token
    if credentials.expiry is not None:
        info["expiry"] = credentials.expiry.replace(tzinfo=None).isoformat() + "Z"
    return json.dumps(info, indent=2) + "\n"


def kept_credentials(config: Config) -> KeptCredentials | None:
    """The sign-in ``braingain login google`` kept, or ``None`` when there is none.

    Raises :class:`ConfigError` when the file is there but cannot be used (say how to sign in again)."""
    path = _home(config) / SIGNIN_FILE
    if not path.is_file():
        return None
    again = "sign in again: braingain login google"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        found = KeptCredentials.from_authorized_user_info(info, scopes=list(SCOPES))  # type: ignore[no-untyped-call]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise ConfigError(f"the Google sign-in kept in {path} cannot be read", hint=again) from None
    if not isinstance(found, KeptCredentials):  # pragma: no cover - from_authorized_user_info makes cls
        raise ConfigError(f"the Google sign-in kept in {path} cannot be read", hint=again)
    found.kept_at = path
    return found


# --------------------------------------------------------------------------------------------
# Signing in
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Where the sign-in was kept, and the permissions Google granted."""

    path: Path
    scopes: tuple[str, ...]
    how: str
    """``"browser"`` (the loopback redirect) or ``"paste"`` (the address copied back)."""


def _client_config(config: Config, client_secrets: Path | None) -> dict[str, Any]:
    """The OAuth client ("Desktop app"): from ``client_secrets`` (then kept in braingain's own
    folder), else the one kept before."""
    home = _home(config)
    kept = home / CLIENT_FILE
    source = client_secrets or kept
    if client_secrets is None and not kept.is_file():
        raise ConfigError(
            "braingain needs your OAuth client file to sign you in to Google",
            hint="download it from the Google Cloud console (APIs & Services, Credentials, your Desktop "
            "app client, Download JSON) and run: braingain login google --client-secrets FILE "
            "(docs/google-setup.md, step by step)",
        )
    try:
        info = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise ConfigError(
            f"cannot read the OAuth client file {source}",
            hint="check the path of the file you downloaded from the Google Cloud console",
        ) from None
    except ValueError:
        raise ConfigError(
            f"{source} is not JSON", hint="download the client file again (Download JSON)"
        ) from None
    if not isinstance(info, dict):
        raise ConfigError(f"{source} is not an OAuth client file", hint="download it again (Download JSON)")
    if info.get("type") == "service_account":
        raise ConfigError(
            f"{source} is a service-account key, not an OAuth client file",
            hint="for your own Google account, create an OAuth client of type Desktop app and download it; "
            "a service-account key goes in GOOGLE_APPLICATION_CREDENTIALS instead (docs/google-setup.md)",
        )
    if "web" in info:
        raise ConfigError(
            f"{source} is a Web application client; braingain signs in as a Desktop app",
            hint="in the Google Cloud console, create a client of type Desktop app and download that one",
        )
    installed = info.get("installed")
    if (
        not isinstance(installed, dict)
        or not installed.get("client_id")
        or not installed.get("client_secret")
    ):
        raise ConfigError(
            f"{source} is not a Desktop app OAuth client file",
            hint="download it again from the Google Cloud console (Credentials, Desktop app, Download JSON)",
        )
    if client_secrets is not None:
        _keep(kept, json.dumps(info, indent=2) + "\n")
    moved = dict(installed)
    moved["auth_uri"] = rewrite(str(installed.get("auth_uri") or AUTH_URI), config.endpoints)
    moved["token_uri"] = rewrite(str(installed.get("token_uri") or TOKEN_URI), config.endpoints)
    return {"installed": moved}


def browser_at_hand() -> bool:
    """Whether a web browser can be opened here (not on a computer without a screen)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def _open_in_browser(url: str) -> bool:
    return webbrowser.open(url, new=1, autoraise=True)


class _LoopbackFlow(InstalledAppFlow):  # type: ignore[misc]
    """The installed-app flow, opening the browser (and saying the address) braingain's way."""

    def authorization_url(self, **kwargs: Any) -> tuple[str, str]:
        url, state = super().authorization_url(**kwargs)
        from braingain.integrations import text

        opened = False
        with contextlib.suppress(webbrowser.Error, OSError):
            opened = bool(self.opener(url))
        self.say(text.sign_in_opened(url, opened=opened))
        return str(url), str(state)


def sign_in(
    config: Config,
    *,
    client_secrets: Path | None = None,
    paste: bool | None = None,
    opener: Opener | None = None,
    ask: Ask | None = None,
    say: Say = _stderr,
) -> SignedIn:
    """Sign in to Google as yourself and keep the sign-in (see the module's description).

    ``paste``: ``True`` for the copy-paste way, ``False`` for the loopback redirect, ``None`` to
    choose by whether a browser is at hand. ``opener`` opens an address in a browser (default: the
    system's); ``ask`` (default: :func:`input`) and ``say`` (default: standard error) talk to the
    person. Raises :class:`ConfigError` for a client file that cannot be used, a sign-in that was
    cancelled or not finished, or permissions not granted; :class:`PlatformError` when Google cannot
    be reached.
    """
    from braingain.integrations import text

    client = _client_config(config, client_secrets)
    use_paste = (not browser_at_hand()) if paste is None else paste
    try:
        if use_paste:
            flow = Flow.from_client_config(client, scopes=list(SCOPES), redirect_uri=PASTE_REDIRECT)
            url, state = flow.authorization_url(access_type="offline", prompt="consent")
            say(text.sign_in_paste(url))
            code = _code_from((ask or input)(text.SIGN_IN_PASTE_PROMPT), state)
            flow.fetch_token(code=code, timeout=DEFAULT_TIMEOUT)
        else:
            flow = _LoopbackFlow.from_client_config(client, scopes=list(SCOPES))
            flow.opener, flow.say = opener or _open_in_browser, say
            flow.run_local_server(
                host="localhost",
                port=0,
                open_browser=False,  # braingain opens it (authorization_url above) and says so
                authorization_prompt_message=None,
                success_message=text.SIGN_IN_BROWSER_DONE,
                timeout_seconds=WAIT_SECONDS,
                access_type="offline",
                prompt="consent",
            )
    except Warning as changed:  # oauthlib: Google granted other permissions than asked for
        raise _missing_permissions(getattr(changed, "new_scope", None) or ()) from None
    except OAuth2Error as error:
        raise _refused(error) from None
    except WSGITimeoutError:
        raise ConfigError(
            f"the browser did not come back to braingain within {WAIT_SECONDS // 60} minutes, so it is not "
            "signed in",
            hint="run braingain login google again; if the browser is on another device, add --no-browser",
        ) from None
    except requests.RequestException as error:
        raise PlatformError(
            f"could not reach Google to finish signing in ({type(error).__name__})",
            hint="check the internet connection and run braingain login google again",
        ) from None
    credentials = flow.credentials
    granted = tuple(sorted(set(credentials.granted_scopes or credentials.scopes or SCOPES)))
    if not set(SCOPES) <= set(granted):
        raise _missing_permissions(granted)
    if not credentials.refresh_token:
        raise ConfigError(
            "Google signed braingain in for an hour only (it gave no lasting sign-in)",
            hint=f"remove braingain at {MANAGE_ACCESS} and run braingain login google again",
        )
    path = _home(config) / SIGNIN_FILE
    earlier = _kept_token(path)
    _keep(path, _signin_json(credentials))
    if earlier and earlier != credentials.refresh_token:
        _revoke(config, earlier, DEFAULT_TIMEOUT)  # the sign-in this one replaces; best effort
    return SignedIn(path, granted, "paste" if use_paste else "browser")


def _code_from(answer: str, state: str) -> str:
    """The authorization code in what the leader pasted: the whole address the browser ended on
    (its state checked), or the code alone."""
    pasted = answer.strip()
    if not pasted:
        raise ConfigError(
            "nothing was pasted, so braingain is not signed in", hint="run braingain login google again"
        )
    if "code=" not in pasted and "error=" not in pasted and "://" not in pasted:
        return pasted
    query = parse_qs(urlsplit(pasted).query if "://" in pasted else pasted.lstrip("?"))
    if query.get("error"):
        raise _refused_by_person()
    if query.get("state", [state])[0] != state:
        raise ConfigError(
            "that address comes from another sign-in, not from the one braingain just started",
            hint="run braingain login google again and paste the address of that sign-in",
        )
    codes = query.get("code")
    if not codes or not codes[0]:
        raise ConfigError(
            "the pasted address holds no sign-in code",
            hint="paste the whole address from the browser's address bar, after you allowed braingain",
        )
    return codes[0]


def _refused_by_person() -> ConfigError:
    return ConfigError(
        "you did not allow braingain on Google's page, so it is not signed in",
        hint="run braingain login google again and press Continue (or Allow) on Google's page",
    )


def _refused(error: OAuth2Error) -> ConfigError:
    if getattr(error, "error", "") == "access_denied":
        return _refused_by_person()
    said = redact(str(getattr(error, "description", "") or getattr(error, "error", "") or ""))
    return ConfigError(
        f"Google did not sign braingain in ({getattr(error, 'error', 'error')}"
        + (f": {said}" if said else "")
        + ")",
        hint="run braingain login google again; if it happens again, download the client file again "
        "(--client-secrets FILE)",
    )


def _missing_permissions(granted: object) -> ConfigError:
    """Which of braingain's two permissions the person left unticked on Google's page, and why it needs it."""
    if isinstance(granted, str):
        given = set(granted.split())
    elif isinstance(granted, list | tuple | set | frozenset):
        given = {str(scope) for scope in granted}
    else:
        given = set()
    missing = [PERMISSIONS[s] for s in SCOPES if s not in given]
    return ConfigError(
        "braingain was not allowed everything it needs: " + "; ".join(missing),
        hint="run braingain login google again and tick every box on Google's page "
        "(docs/google-setup.md says what each permission is for)",
    )


# --------------------------------------------------------------------------------------------
# Signing out
# --------------------------------------------------------------------------------------------


def _kept_token(path: Path) -> str:
    """The refresh token kept in ``path`` ("" when there is none or it cannot be read)."""
    with contextlib.suppress(OSError, ValueError, UnicodeDecodeError):
        info = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(info, dict):
            return str(info.get("refresh_token") or info.get("token") or "")
    return ""


def _revoke(config: Config, token: str, timeout: float) -> bool:
    """Ask Google to withdraw ``token`` (and the sign-in behind it); whether it is withdrawn."""
    with RewritingSession(config.endpoints, timeout=timeout) as session:
        try:
            answer = session.post(
                REVOKE_URI,
                data={"token": token},
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        except requests.RequestException:
            return False
    # 400 invalid_token: already withdrawn (or expired), which is what was wanted
    return answer.status_code == 200 or (answer.status_code == 400 and "invalid_token" in answer.text)


def sign_out(config: Config, *, timeout: float = DEFAULT_TIMEOUT) -> tuple[bool, bool]:
    """Revoke the kept sign-in at Google and delete it: (was signed in, revoked at Google).

    The file is deleted even when Google cannot be reached (then remove braingain's access at
    Google's account page; the message says where). Raises :class:`ConfigError` when the file
    cannot be deleted."""
    path = _home(config) / SIGNIN_FILE
    if not path.is_file():
        return False, False
    token = _kept_token(path)
    revoked = _revoke(config, token, timeout) if token else False
    try:
        path.unlink()
    except OSError as error:
        raise ConfigError(
            f"cannot delete the Google sign-in {path}: {error.strerror or error}",
            hint="delete that file yourself",
        ) from None
    return True, revoked
