"""Errors raised outside the core, all :class:`~braingain.core.errors.BraingainError`.

::

    BraingainError
    ├── DomainError                 (braingain.core.errors: a rule of the group was broken)
    └── IntegrationError            something outside the core went wrong; says how to fix it
        ├── ConfigError             braingain.toml or .env is wrong (names file, section, key)
        ├── TrackerError            the tracker cannot be read or written
        │   ├── TrackerNotThere     a core tab is missing, renamed, emptied or still loading
        │   ├── SyncBusy            another sync of the same tracker is running, or wrote first
        │   └── WorkbookError       the local workbook (missing, corrupt, open in Excel)
        └── PlatformError           a platform refused or failed after the retries allowed
            └── ZoomError           Zoom's own tree: braingain.integrations.zoom.errors
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from braingain.core.errors import BraingainError
from braingain.core.tracker.presence import Absence


class IntegrationError(BraingainError):
    def __init__(self, message: str, *, hint: str = "") -> None:
        self.reason = message
        self.hint = hint
        super().__init__(f"{message} ({hint})" if hint else message)

    def also(self, more: str) -> None:
        """Add ``more`` to the hint (what else the person should know), keeping the error's kind."""
        self.hint = f"{self.hint}; {more}" if self.hint else more
        self.args = (f"{self.reason} ({self.hint})",)


class ConfigError(IntegrationError):
    """The configuration is wrong."""


class TrackerError(IntegrationError):
    """The tracker cannot be read or written."""


class PlatformError(IntegrationError):
    """A platform refused a request, or kept failing after the retries allowed.

    Two class attributes tell the sync engine what to do next (``braingain.integrations.engine``):
    ``outcome_known``: the platform certainly changed nothing (a refusal), so the action is recorded
    as failed rather than left for the next sync to look for; ``halts``: the platform's other
    actions wait for the next sync (credentials refused, the daily limit, the platform down).
    """

    outcome_known: bool = False
    halts: bool = True
    until: datetime | None = None
    """When the platform takes changes again, if it said (aware): the sync engine asks it nothing
    before then (Zoom's daily limit)."""


class TrackerNotThere(TrackerError):
    """A core tab is not really there, so nothing was written (see :mod:`braingain.core.tracker.presence`).

    ``absent`` lists each such tab with what was found and how to put it right.
    """

    def __init__(self, location: str, absent: Sequence[Absence]) -> None:
        self.absent = tuple(absent)
        found = "\n".join(f"  - {a}" for a in self.absent)
        if all(a.emptiness for a in self.absent):
            then = (
                "Put them right and sync again; if the group really is empty, "
                "run the sync with --allow-empty."
            )
            self_hint = (
                "put them right and sync again, or run with --allow-empty if the group really is empty"
            )
        else:  # a renamed or still-loading tab is not an empty group: --allow-empty does not apply
            then = "Put them right and sync again."
            self_hint = "put them right and sync again"
        super().__init__(
            f"nothing was written to {location}, because the tabs the group's results come from "
            f"are not all there:\n{found}\n{then}"
        )
        self.hint = self_hint


class SyncBusy(TrackerError):
    """Another sync of the same tracker is running (or wrote while this one worked): nothing was written.

    ``location`` is the tracker; ``message`` and ``hint`` come from :mod:`braingain.integrations.text`.
    A sync that may wait tries again until its wait is over (:func:`braingain.integrations.compose.run_sync`).
    """

    def __init__(self, location: str, message: str, *, hint: str) -> None:
        self.location = location
        super().__init__(message, hint=hint)

    def after_waiting(self, seconds: float) -> SyncBusy:
        """The same refusal, saying how long this sync waited (``seconds``) before it gave up."""
        if seconds <= 0:
            return self
        return SyncBusy(self.location, f"{self.reason}, after waiting {seconds:g} s", hint=self.hint)
