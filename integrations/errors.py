"""Errors raised outside the core, all :class:`~braingain.core.errors.BraingainError`.

::

    BraingainError
    ├── DomainError                 (braingain.core.errors: a rule of the group was broken)
    └── IntegrationError            something outside the core went wrong; says how to fix it
        ├── ConfigError             braingain.toml or .env is wrong (names file, section, key)
        ├── TrackerError            the tracker cannot be read or written
        │   └── WorkbookError       the local workbook (missing, corrupt, open in Excel)
        └── PlatformError           a platform refused or failed after the retries allowed
"""

from __future__ import annotations

from braingain.core.errors import BraingainError


class IntegrationError(BraingainError):
    def __init__(self, message: str, *, hint: str = "") -> None:
        self.reason = message
        self.hint = hint
        super().__init__(f"{message} ({hint})" if hint else message)


class ConfigError(IntegrationError):
    """The configuration is wrong."""


class TrackerError(IntegrationError):
    """The tracker cannot be read or written."""


class PlatformError(IntegrationError):
    """A platform refused a request, or kept failing after the retries allowed."""
