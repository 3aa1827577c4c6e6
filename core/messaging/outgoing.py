"""One message the group is sent: its stable key, where it goes, and what it says, as typed content.

Where a message goes (:class:`Destination`):

==========================  =====================================================================
``group``                   the group's channel (Slack; the outbox until Slack is set up)
``project:P1``              the channel of project P1
``member:M04:slack``        member M04 by direct message on Slack
``member:M04:email``        member M04 by email
==========================  =====================================================================

What it says (:data:`Content`) is one of the core's own values: news of a task (opened for
volunteers, volunteers selected, work accepted with its points), news of a dispute (raised,
resolved), a meeting's reminder to the group's channel (one message: Slack shows each reader the
time in their own zone), the minutes and action items after a meeting, the weekly group digest, a
member's weekly digest, and, by email, a member's own reminder and minutes (in their local time,
flagged when they missed the meeting).

Every :class:`Outgoing` has a key that names the message itself, never the moment it is planned
(``task-opened:T12``, ``reminder:monthly:2027-01-16@20270116T1400Z:1d``,
``group-digest:2027-01-04..2027-01-11``, ``digest:M04:2027-01-04..2027-01-11:email``), so that the
engine sends each one once, however often the sync runs, and finds an unconfirmed one again by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Literal

from braingain.core.authorship.disputes import Dispute
from braingain.core.authorship.ledger import LedgerEntry
from braingain.core.authorship.tasks import Task
from braingain.core.ids import MemberId, ProjectId
from braingain.core.schedule.digests import GroupDigest, MemberDigest
from braingain.core.schedule.meetings import ActionItem, AgendaItem, Occurrence
from braingain.core.schedule.reminders import FollowUp, Reminder


class Medium(Enum):
    """How a message reaches its readers."""

    SLACK = "slack"
    EMAIL = "email"


DestinationKind = Literal["group", "project", "member"]


@dataclass(frozen=True, slots=True)
class Destination:
    """Where one message goes: the group's channel, a project's channel, or one member by Slack direct
    message or by email. ``ident`` is the project's or the member's ID (empty for the group)."""

    kind: DestinationKind
    ident: str = ""
    medium: Medium = Medium.SLACK

    @classmethod
    def group(cls) -> Destination:
        return cls("group")

    @classmethod
    def project(cls, project_id: ProjectId) -> Destination:
        return cls("project", str(project_id))

    @classmethod
    def member(cls, member_id: MemberId, medium: Medium) -> Destination:
        return cls("member", str(member_id), medium)

    @property
    def key(self) -> str:
        """``group``, ``project:P1``, ``member:M04:slack`` or ``member:M04:email``."""
        if self.kind == "group":
            return "group"
        if self.kind == "project":
            return f"project:{self.ident}"
        return f"member:{self.ident}:{self.medium.value}"


TaskNewsKind = Literal["opened", "selected", "submitted", "accepted"]


@dataclass(frozen=True, slots=True)
class TaskNews:
    """A task opened for volunteers, its volunteers selected (with the mini-team head), its work
    submitted for review (leaders accept it or ask for rework), or its work accepted (with the points
    each contributor was awarded: ``awards``, from the Ledger)."""

    kind: TaskNewsKind
    task: Task
    at: datetime
    """When it happened (the task's lifecycle step)."""
    offers: int = 0
    """For ``opened``: how many members have offered for it so far (each once)."""
    awards: tuple[LedgerEntry, ...] = ()

    @property
    def places_left(self) -> int | None:
        """For ``opened``: how many more volunteers its cap takes, never below 0 (``None``: no cap).
        At 0 members may still offer: offers beyond the cap are ranked, and the best chosen."""
        cap = self.task.max_volunteers
        return None if cap is None else max(0, cap - self.offers)


DisputeNewsKind = Literal["raised", "resolved"]


@dataclass(frozen=True, slots=True)
class DisputeNews:
    """A dispute raised by a member, or resolved by a leader (the last step of its trail says how)."""

    kind: DisputeNewsKind
    dispute: Dispute
    at: datetime


@dataclass(frozen=True, slots=True)
class MeetingReminder:
    """A meeting's reminder to the group's channel, ``offset`` before it starts, with its agenda when
    this is the reminder that carries it, the join link once known, and who said they are away."""

    meeting: Occurrence
    offset: timedelta
    agenda: tuple[AgendaItem, ...]
    join_url: str | None
    away: tuple[MemberId, ...]


@dataclass(frozen=True, slots=True)
class MeetingMinutes:
    """A held meeting's minutes, decisions and action items, so that absent members catch up."""

    meeting: Occurrence
    minutes: str
    decisions: tuple[str, ...]
    actions: tuple[ActionItem, ...]
    absent: tuple[MemberId, ...]


Content = (
    TaskNews
    | DisputeNews
    | MeetingReminder
    | MeetingMinutes
    | GroupDigest
    | MemberDigest
    | Reminder
    | FollowUp
)
"""What a message says. ``Reminder`` and ``FollowUp`` (a member's own, in their local time) go by email;
``MemberDigest`` by Slack direct message or email; the others to a channel."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message due: its stable ``key`` (see the module docstring), where it goes, what it says,
    one sentence a leader reads in ``plan`` (``words``; never an email address), when it became due,
    and until when braingain must remember having sent it (``forget_after``: after that it is never
    due again, so the memory of it can go)."""

    key: str
    to: Destination
    content: Content
    words: str
    due: datetime
    forget_after: datetime
