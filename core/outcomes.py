"""What braingain holds of the group's platforms (Zoom today), and what their actions produced.

The tracker keeps, per meeting, the Zoom meeting made for it (its id and join link) and where its
attendance came from; the hidden state tab keeps the platforms' memory (small JSON texts by key).
:class:`PlatformFacts` is that, as read (:mod:`braingain.core.tracker.read`);
:class:`PlatformOutcomes` is what a sync's platform actions produced, written back by
:func:`braingain.core.tracker.plan.plan_tracker`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from braingain.core.errors import quote
from braingain.core.ids import MemberId


@dataclass(frozen=True)
class MeetingLink:
    """The Zoom meeting made for one meeting of the series: Zoom's meeting id (digits, as text)
    and the link members join by."""

    zoom_id: str
    join_url: str


@dataclass(frozen=True)
class AttendanceImport:
    """Who attended ``meeting_id`` as a platform saw it (see
    :func:`braingain.core.schedule.attendance.match_attendance`).

    ``present`` and ``absent`` are disjoint and never hold an excused member; ``unmatched`` are the
    names of participants that match no member (never an email address), each once; ``source``
    names the platform in words ("Zoom").
    """

    meeting_id: str
    present: frozenset[MemberId]
    absent: frozenset[MemberId]
    unmatched: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class PlatformFacts:
    """What the tracker holds of the platforms, as read.

    ``links``: meeting id -> its Zoom meeting (the Meetings tab's "Zoom meeting" and "Join link");
    ``attendance_imported``: meeting ids whose attendance was imported ("Attendance from");
    ``memory``: remembered per-platform facts, key -> JSON text (the hidden state tab).
    """

    links: Mapping[str, MeetingLink] = field(default_factory=dict)
    attendance_imported: frozenset[str] = frozenset()
    memory: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PlatformOutcomes:
    """What the platforms' actions produced, to write back to the tracker.

    ``links``: meeting id -> its Zoom meeting, or ``None`` to clear it (the Zoom meeting was
    deleted); ``attendance``: meeting id -> its imported attendance; ``memory``: the whole platform
    memory to keep (``None``: keep it as read).
    """

    links: Mapping[str, MeetingLink | None] = field(default_factory=dict)
    attendance: Mapping[str, AttendanceImport] = field(default_factory=dict)
    memory: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        """Raises :class:`ValueError` for a memory value that is not JSON text (a programming error:
        the next read would find it damaged and drop it)."""
        for key, text in (self.memory or {}).items():
            try:
                json.loads(text)
            except ValueError:
                raise ValueError(f"the platform memory {quote(key)} is not JSON text") from None

    @property
    def empty(self) -> bool:
        """Nothing to write back."""
        return not self.links and not self.attendance and self.memory is None
