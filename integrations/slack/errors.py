"""What can go wrong with Slack, as exceptions under :class:`~braingain.integrations.errors.PlatformError`.

::

    PlatformError                 (braingain.integrations.errors)
    └── SlackError                anything Slack refused or failed at; says how to fix it
        ├── SlackAuthError        the bot token was refused (not_authed, invalid_auth, token_revoked,
        │                         token_expired, account_inactive); halts
        ├── SlackScopeMissing     the app lacks a scope a method needs (``needed``); halts
        ├── SlackRateLimited      429 still after the retries allowed; halts, nothing was done
        ├── SlackUnavailable      5xx, a dropped connection or a timeout after the retries allowed;
        │                         halts; for a post, Slack may have posted it (outcome not known)
        └── SlackRefused          any other refusal (``error`` is Slack's code): nothing was done,
            │                     Slack's other actions go on
            └── SlackChannelTaken the channel's name belongs to an archived or private channel

Messages carry Slack's error codes and the method's name, never a token, a request or an email address.
"""

from __future__ import annotations

from braingain.integrations.errors import PlatformError

__all__ = [
    "AUTH_ERRORS",
    "SlackAuthError",
    "SlackChannelTaken",
    "SlackError",
    "SlackRateLimited",
    "SlackRefused",
    "SlackScopeMissing",
    "SlackUnavailable",
]

AUTH_ERRORS = frozenset({"not_authed", "invalid_auth", "token_revoked", "token_expired", "account_inactive"})
"""Slack's answers when the bot token itself is refused."""

REINSTALL_HINT = (
    "reinstall the group's Slack app (its Install App page in https://api.slack.com/apps) and put its "
    "Bot User OAuth Token (xoxb-...) in SLACK_BOT_TOKEN in .env or the environment"
)


class SlackError(PlatformError):
    """Slack refused a request, or kept failing after the retries allowed. ``method`` is the Web API
    method (``chat.postMessage``), ``error`` Slack's code (``""`` when Slack gave none)."""

    def __init__(self, message: str, *, method: str, error: str = "", hint: str = "") -> None:
        self.method = method
        self.error = error
        super().__init__(message, hint=hint)


class SlackAuthError(SlackError):
    """Slack refused the bot token: nothing was done, and nothing else is tried until it is fixed."""

    outcome_known = True

    def __init__(self, message: str, *, method: str, error: str) -> None:
        super().__init__(message, method=method, error=error, hint=REINSTALL_HINT)


class SlackScopeMissing(SlackError):
    """The app was installed without a scope a method needs (``needed``, as Slack names it)."""

    outcome_known = True

    def __init__(self, message: str, *, method: str, needed: str) -> None:
        self.needed = needed
        super().__init__(
            message,
            method=method,
            error="missing_scope",
            hint=f"add the {needed} scope to the app: print the app's manifest with `braingain slack "
            "manifest`, paste it on the app's App Manifest page at https://api.slack.com/apps, and "
            "reinstall the app when Slack asks",
        )


class SlackRateLimited(SlackError):
    """Slack's rate limit held through every retry allowed; nothing was done."""

    outcome_known = True


class SlackUnavailable(SlackError):
    """Slack failed (5xx, a dropped connection, a timeout) through every retry allowed. For a post the
    message may have been posted: the sync engine looks for it by its key before sending it again."""


class SlackRefused(SlackError):
    """Any other refusal: nothing was done, and Slack's other actions go on."""

    outcome_known = True
    halts = False


class SlackChannelTaken(SlackRefused):
    """A channel braingain would make has a name an archived (or private) channel already has."""
