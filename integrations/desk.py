"""What a member can do and see from outside the tracker (the Slack app calls it).

Each action reads the tracker, checks it by the core's own rules (the task lifecycle of
:mod:`braingain.core.authorship.tasks`, :func:`~braingain.core.authorship.volunteering.volunteer`,
:func:`~braingain.core.authorship.disputes.raise_dispute`), and writes the tracker once through its
backend, under the same lock (the local workbook) or lease (Google) a sync takes, so it never
interleaves with a sync. The write is made by :mod:`braingain.core.tracker.edits`: new rows are
appended below whatever is there, and a cell a person owns is written only while it still holds
what the read found (``fill``/``was``), so nothing a person typed is ever overwritten.

Who may do what comes from the roster (the Members tab's Role), never from the caller. A refused
action raises :class:`Refused`, which says why (``reason``) and what to do (``hint``), in words a
member reads; no email address is ever in them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from braingain.core.authorship.ledger import Standing
from braingain.core.ids import ProjectId
from braingain.core.members import Member
from braingain.core.ports import TrackerBackend
from braingain.core.schedule.digests import NextMeeting, TaskLine
from braingain.integrations import compose
from braingain.integrations.config import Config
from braingain.integrations.errors import IntegrationError


class Refused(IntegrationError):
    """A member's action that was not done: ``reason`` says why, ``hint`` what to do instead.
    Nothing was written. Never carries an email address."""


@dataclass(frozen=True, slots=True)
class Done:
    """An action that was recorded in the tracker."""

    words: str
    """What was recorded, in words, for the member (one or two sentences, no email address)."""


@dataclass(frozen=True, slots=True)
class Overview:
    """What a member sees of themselves (the Home tab, ``/braingain my``)."""

    member: Member
    tasks: tuple[TaskLine, ...]
    """Their tasks in hand (assigned, in progress, submitted, needs rework), soonest due first."""
    points: tuple[tuple[ProjectId, Decimal], ...]
    """Their points per project (the Ledger's sums, two places), by project ID."""
    next_meeting: NextMeeting | None
    """The group's next meeting, its start in the member's own zone (``local_start``; ``None`` while
    their zone cannot be read), or ``None`` when none is planned."""
    join_url: str | None
    """The next meeting's join link from the Meetings tab, when it has one."""


class Desk:
    """A member's actions on the group's tracker, each one read, the core's rules, and one write.

    ``backend`` is the tracker (by default the one ``config`` names); ``clock`` gives the time
    (aware), read once per action.
    """

    def __init__(
        self,
        config: Config,
        *,
        backend: TrackerBackend | None = None,
        clock: Callable[[], datetime] = compose.now,
    ) -> None:
        self._config = config
        self._backend = backend
        self._clock = clock

    def member(self, *, slack_user: str, email: str | None = None) -> Member:
        """The member with Slack user ID ``slack_user`` on the Members tab, else the one whose email
        is ``email`` (case and spaces set aside). Raises :class:`Refused` when neither names a
        member, or the member is no longer active."""
        raise NotImplementedError

    def open_tasks(self) -> tuple[TaskLine, ...]:
        """The open tasks that take volunteers, soonest due first (``volunteers`` offers so far,
        ``places`` the task's cap or ``None``)."""
        raise NotImplementedError

    def overview(self, member: Member) -> Overview:
        """``member``'s tasks in hand, their points per project, and the next meeting (in their
        local time) with its join link."""
        raise NotImplementedError

    def points(self, project: str | None = None) -> tuple[tuple[ProjectId, tuple[Standing, ...]], ...]:
        """The points table: per project (only ``project`` when given; its ID typed in any case),
        each member's standing, highest first. Raises :class:`Refused` for an unknown project."""
        raise NotImplementedError

    def availability(self, member: Member) -> tuple[str, ...]:
        """``member``'s weekly windows and the dates they are away, one line each, in words."""
        raise NotImplementedError

    def volunteer(self, member: Member, task: str, note: str = "") -> Done:
        """Offer ``member`` for the open task ``task`` (a new Volunteers row). Refused when the task
        is unknown, not open, or the member already volunteered for it."""
        raise NotImplementedError

    def submit(self, member: Member, task: str, note: str = "") -> Done:
        """Mark ``task`` submitted, as its mini-team head (Status, Status changed by, Review note).
        Refused when ``member`` is not the task's head or the task is not in progress."""
        raise NotImplementedError

    def accept(self, member: Member, task: str, note: str = "") -> Done:
        """Accept ``task``'s submitted work (leaders who did not work on it only, as the roster
        says); the next sync awards its points on the Ledger."""
        raise NotImplementedError

    def rework(self, member: Member, task: str, note: str) -> Done:
        """Send ``task``'s submitted work back (leaders only); ``note`` says which acceptance
        criteria it does not yet meet, and is required."""
        raise NotImplementedError

    def dispute(self, member: Member, entry: str, reason: str) -> Done:
        """Raise a dispute about ``member``'s own Ledger entry ``entry`` (a new Disputes row)."""
        raise NotImplementedError

    def excuse(self, member: Member, meeting: str) -> Done:
        """Add ``member`` to the Excused cell of the meeting ``meeting`` (its ID, the planned date
        ``2027-01-16``). Refused when the meeting is unknown or already started."""
        raise NotImplementedError

    def away(self, member: Member, first: date, last: date, reason: str = "") -> Done:
        """Record that ``member`` is unavailable from ``first`` to ``last`` (dates in their own zone,
        both included; a new Availability row)."""
        raise NotImplementedError
