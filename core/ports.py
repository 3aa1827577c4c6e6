"""The ports: small abstractions the core owns and the adapters implement.

The core never imports an adapter; the composition root
(``braingain.integrations.compose``) picks one per platform and hands it in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from braingain.core.outcomes import MeetingLink
from braingain.core.schedule.attendance import Attendee
from braingain.core.schedule.conferencing import DesiredMeeting
from braingain.core.schedule.invitations import Invitation
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


class Conferencing(Protocol):
    """Where the group meets online (Zoom). Each method is one look or one change; an adapter raises
    its platform's errors (``braingain.integrations.errors.PlatformError`` and below)."""

    def existing(self) -> Mapping[str, MeetingLink]:
        """Every meeting ahead that carries a braingain key
        (:func:`~braingain.core.schedule.conferencing.zoom_key`), by key, in one look (all pages):
        how a create whose answer was lost is found again, never made twice."""
        ...

    def create(self, meeting: DesiredMeeting) -> MeetingLink:
        """Make ``meeting``, carrying its key."""
        ...

    def update(self, link: MeetingLink, meeting: DesiredMeeting) -> MeetingLink | None:
        """Bring the meeting at ``link`` to ``meeting``; ``None`` when it is gone (deleted by hand)."""
        ...

    def delete(self, link: MeetingLink) -> None:
        """Delete the meeting at ``link`` (one already gone is not an error)."""
        ...

    def attendees(self, link: MeetingLink) -> Sequence[Attendee] | None:
        """Everyone who joined the meeting at ``link`` once it is over, or ``None`` when the platform
        has no record of it being held."""
        ...


class InvitationOutbox(Protocol):
    """Where calendar invitations go: the workspace's invitations folder until email is set up."""

    def issue(self, invitation: Invitation, *, at: datetime) -> str:
        """Deliver ``invitation`` (RFC 5545, METHOD REQUEST or CANCEL); returns where it went, in words
        (a file's path; never an email address). ``at`` (aware) stamps it (DTSTAMP). Delivering the
        same invitation again is harmless."""
        ...
