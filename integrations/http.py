"""The one HTTP boundary of the Google clients: an authorized session whose endpoints can be moved.

Every Google request braingain makes (Sheets, Drive, the OAuth token endpoint) goes
through :class:`EndpointSession`. Its ``endpoints`` map rewrites the official base
URLs, which is how tests point the real gspread and google-auth clients at loopback
fakes, and how a deployment reaches a private or regional endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import requests
from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession

GOOGLE_SHEETS = "https://sheets.googleapis.com"
GOOGLE_APIS = "https://www.googleapis.com"
GOOGLE_OAUTH = "https://oauth2.googleapis.com"

DEFAULT_TIMEOUT = 30.0


class EndpointSession(AuthorizedSession):
    """An :class:`AuthorizedSession` that rewrites base URLs and always sets a timeout."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        endpoints: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(credentials)  # type: ignore[no-untyped-call]
        self.endpoints = {k.rstrip("/"): v.rstrip("/") for k, v in (endpoints or {}).items()}
        self.default_timeout = timeout

    def rewrite(self, url: str) -> str:
        for official, replacement in self.endpoints.items():
            if url == official or url.startswith(official + "/"):
                return replacement + url[len(official) :]
        return url

    def request(  # type: ignore[override]
        self, method: str, url: str, data: Any = None, headers: Any = None, **kwargs: Any
    ) -> requests.Response:
        kwargs["timeout"] = kwargs.get("timeout") or self.default_timeout
        response = super().request(  # type: ignore[no-untyped-call]
            method, self.rewrite(url), data=data, headers=headers, **kwargs
        )
        return cast(requests.Response, response)
