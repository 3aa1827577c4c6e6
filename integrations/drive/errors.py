"""What can go wrong with Google Drive, as errors under :class:`~braingain.integrations.errors.PlatformError`.

::

    PlatformError                 (braingain.integrations.errors)
    └── DriveError                anything Drive refused or failed at; says how to fix it
        ├── DriveAuthError        the Google sign-in was refused (401, a missing permission): halts Drive
        ├── DriveNoStorage        a service account made something outside a shared drive (it owns
        │                         nothing there): names both fixes; halts Drive
        ├── DriveParentNotFound   the folder to make something in is not there or out of braingain's
        │                         reach (``drive.file``): halts Drive when it is ``[drive] parent``
        ├── DriveUnavailable      5xx, a rate limit, a reset or a timeout after the retries allowed:
        │                         whether Drive did it is not known (``outcome_known`` False)
        └── DriveRefused          any other 400-level answer: ``status`` and Drive's ``reasons``
            └── DriveNotFound     the file (or permission) is not there (HTTP 404)

Messages carry status codes and Drive's own words with email addresses and tokens blanked out
(:func:`braingain.integrations.retry.redact`); never a secret, never a member's email address.
"""

from __future__ import annotations

from braingain.integrations.errors import PlatformError

__all__ = [
    "SIGN_IN_HINT",
    "DriveAuthError",
    "DriveError",
    "DriveNoStorage",
    "DriveNotFound",
    "DriveParentNotFound",
    "DriveRefused",
    "DriveUnavailable",
]

SIGN_IN_HINT = (
    "sign in again with `braingain login google` and allow braingain to see, edit, create and delete the "
    "Google Drive files it uses; or, for a service account, check the key file named by "
    "GOOGLE_APPLICATION_CREDENTIALS"
)


class DriveError(PlatformError):
    """Google Drive refused a request, or kept failing after the retries allowed."""


class DriveAuthError(DriveError):
    """Google refused braingain's credentials (or they lack Drive's permission): nothing was changed,
    and Drive's other actions wait for the next sync."""

    outcome_known = True

    def __init__(self, message: str, *, hint: str = SIGN_IN_HINT) -> None:
        super().__init__(message, hint=hint)


class DriveNoStorage(DriveError):
    """A service account tried to make a file outside a shared drive: it owns nothing there."""

    outcome_known = True

    def __init__(self, message: str) -> None:
        super().__init__(
            message,
            hint="a service account owns nothing outside a shared drive; either sign in as the leader "
            "with `braingain login google` (and remove GOOGLE_APPLICATION_CREDENTIALS from the environment "
            "and .env), so that the folders belong to the leader, or add the service account to a shared "
            "drive as Content manager and set parent under [drive] in braingain.toml to the shared "
            "drive's id",
        )


class DriveParentNotFound(DriveError):
    """The folder to make something in is not there, or is out of braingain's reach: with the
    ``drive.file`` permission braingain may use only folders it made itself (and shared drives)."""

    outcome_known = True

    def __init__(self, message: str, *, hint: str, configured: bool) -> None:
        super().__init__(message, hint=hint)
        self.halts = configured


class DriveUnavailable(DriveError):
    """Drive failed (5xx, rate limits, a dropped connection, a timeout) through every retry allowed;
    whether a change was made is not known."""


class DriveRefused(DriveError):
    """Any other 400-level answer. ``status`` is HTTP's, ``reasons`` Drive's ``errors[].reason``."""

    outcome_known = True
    halts = False

    def __init__(
        self, message: str, *, status: int, reasons: frozenset[str] = frozenset(), hint: str = ""
    ) -> None:
        self.status = status
        self.reasons = reasons
        super().__init__(message, hint=hint)


class DriveNotFound(DriveRefused):
    """The file or permission is not on Drive (deleted, never made, or out of braingain's reach)."""
