"""What can go wrong with Zoom, as exceptions under :class:`~braingain.integrations.errors.PlatformError`.

::

    PlatformError                 (braingain.integrations.errors)
    └── ZoomError                 anything Zoom refused or failed at; says how to fix it
        ├── ZoomAuthError         the Server-to-Server OAuth app's credentials were refused
        │                         (names ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET)
        ├── ZoomNotFound          the meeting is not there (HTTP 404)
        ├── ZoomHostUnknown       the host ``[zoom] host`` names is not a user of the Zoom account
        ├── ZoomDailyLimit        the user's 100 meeting creates and updates of the day are spent;
        │                         ``until`` is the next 00:00 GMT; never retried
        ├── ZoomRateLimited       Zoom's per-second limit still held after the retries allowed
        ├── ZoomUnavailable       5xx, a reset or a timeout after the retries allowed (or a create
        │                         whose outcome is unknown)
        └── ZoomRefused           any other 400-level refusal: ``status``, Zoom's ``code`` and ``message``

Messages carry status codes and Zoom's own words with email addresses and tokens blanked out
(:func:`braingain.integrations.retry.redact`); never a secret.
"""

from __future__ import annotations

from datetime import datetime

from braingain.integrations.errors import PlatformError

__all__ = [
    "ZoomAuthError",
    "ZoomDailyLimit",
    "ZoomError",
    "ZoomHostUnknown",
    "ZoomNotFound",
    "ZoomRateLimited",
    "ZoomRefused",
    "ZoomUnavailable",
]

CREDENTIALS_HINT = (
    "check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET in .env or the environment: they are "
    "on the App Credentials page of the group's Server-to-Server OAuth app in the Zoom App Marketplace"
)


class ZoomError(PlatformError):
    """Zoom refused a request, or kept failing after the retries allowed."""


class ZoomAuthError(ZoomError):
    """Zoom refused the app's credentials or the token made from them."""

    outcome_known = True

    def __init__(self, message: str, *, hint: str = CREDENTIALS_HINT) -> None:
        super().__init__(message, hint=hint)


class ZoomNotFound(ZoomError):
    """The meeting (or the user) is not on Zoom."""

    outcome_known = True
    halts = False


class ZoomHostUnknown(ZoomError):
    """The Zoom user braingain makes meetings for (``[zoom] host``) is not on the app's account."""

    outcome_known = True

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            hint='check host under [zoom] in braingain.toml: "me" (the owner of the Zoom app), or the '
            "email or user id of someone on the same Zoom account",
        )


class ZoomDailyLimit(ZoomError):
    """The host's meeting creates and updates for the day are spent (Zoom allows 100 a user a day).

    ``until`` (aware, UTC) is the next 00:00 GMT, when Zoom takes them again. Never retried.
    """

    outcome_known = True

    def __init__(self, message: str, *, until: datetime) -> None:
        self.until = until
        super().__init__(
            message,
            hint=f"Zoom takes meeting changes again at {until:%Y-%m-%d %H:%M} GMT; run the sync after that, "
            "and it finishes what is left",
        )


class ZoomRateLimited(ZoomError):
    """Zoom's per-second rate limit held through every retry allowed."""


class ZoomUnavailable(ZoomError):
    """Zoom failed (5xx, a dropped connection, a timeout) through every retry allowed."""


class ZoomRefused(ZoomError):
    """Any other 400-level answer. ``status`` is HTTP's, ``code`` and ``zoom_message`` are Zoom's."""

    outcome_known = True
    halts = False

    def __init__(
        self, message: str, *, status: int, code: int | None, zoom_message: str, hint: str = ""
    ) -> None:
        self.status = status
        self.code = code
        self.zoom_message = zoom_message
        super().__init__(message, hint=hint)
