"""The ports: small abstractions the core owns and the adapters implement.

The core never imports an adapter; the composition root
(``braingain.integrations.compose``) picks one per platform and hands it in.
"""

from __future__ import annotations

from typing import Protocol

from braingain.core.tracker.schema import Snapshot, TrackerWrite, Unwritten


class TrackerBackend(Protocol):
    """Where the group's tracker lives: a Google Sheet or a local workbook."""

    @property
    def location(self) -> str:
        """Where the tracker is, for messages (never a secret): a path or a spreadsheet id."""
        ...

    def read(self) -> Snapshot:
        """Every tab's cells, in as few requests as the backend allows."""
        ...

    def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
        """Apply structural changes first, then every cell write, all in one go.

        Returns what was held back because a person changed the tab between the read and the
        write (empty: everything was written); the next sync writes it."""
        ...
