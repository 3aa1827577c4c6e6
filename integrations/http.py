"""The one HTTP boundary of the Google clients: an authorized session whose endpoints can be moved.

Every Google request braingain makes (Sheets, Drive, the OAuth token and revocation endpoints)
goes through :class:`EndpointSession`. Its ``endpoints`` map rewrites the official base
URLs, which is how tests point the real gspread and google-auth clients at loopback
fakes, and how a deployment reaches a private or regional endpoint. Token requests go
through a second, plain :class:`RewritingSession` that google-auth uses to refresh
credentials, so that they are moved too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import requests
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession, Request
from requests.adapters import HTTPAdapter

GOOGLE_SHEETS = "https://sheets.googleapis.com"
GOOGLE_APIS = "https://www.googleapis.com"
GOOGLE_OAUTH = "https://oauth2.googleapis.com"
GOOGLE_ACCOUNTS = "https://accounts.google.com"
"""Google's sign-in page (the consent screen of ``braingain login google``)."""

DEFAULT_TIMEOUT = 30.0


def rewrite(url: str, endpoints: Mapping[str, str]) -> str:
    """``url`` with its official base replaced by the configured one, if any."""
    for official, replacement in endpoints.items():
        if url == official or url.startswith(official + "/"):
            return replacement + url[len(official) :]
    return url


def _normalized(endpoints: Mapping[str, str] | None) -> dict[str, str]:
    return {k.rstrip("/"): v.rstrip("/") for k, v in (endpoints or {}).items()}


class RewritingSession(requests.Session):
    """A plain session that moves official endpoints: google-auth refreshes tokens through it."""

    def __init__(
        self, endpoints: Mapping[str, str] | None = None, *, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        super().__init__()
        self.endpoints = _normalized(endpoints)
        self.default_timeout = timeout
        # As google-auth's own token session: retry a dropped connection a few times.
        self.mount("https://", HTTPAdapter(max_retries=3))

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = kwargs.get("timeout") or self.default_timeout
        target = rewrite(url.decode() if isinstance(url, bytes) else url, self.endpoints)
        return super().request(method, target, *args, **kwargs)


class EndpointSession(AuthorizedSession):
    """An :class:`AuthorizedSession` that rewrites base URLs, for API and token requests alike."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        endpoints: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._token_session = RewritingSession(endpoints, timeout=timeout)
        super().__init__(credentials, auth_request=Request(self._token_session))  # type: ignore[no-untyped-call]
        self.endpoints = _normalized(endpoints)
        self.default_timeout = timeout

    def rewrite(self, url: str) -> str:
        return rewrite(url, self.endpoints)

    def request(  # type: ignore[override]
        self, method: str, url: str, data: Any = None, headers: Any = None, **kwargs: Any
    ) -> requests.Response:
        kwargs["timeout"] = kwargs.get("timeout") or self.default_timeout
        response = super().request(  # type: ignore[no-untyped-call]
            method, self.rewrite(url), data=data, headers=headers, **kwargs
        )
        return cast(requests.Response, response)

    def close(self) -> None:
        self._token_session.close()
        super().close()  # type: ignore[no-untyped-call]
