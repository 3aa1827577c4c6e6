"""Reading the tracker into the domain model: every row validated, every problem located.

``read_tracker`` turns a :class:`~braingain.core.tracker.schema.Snapshot` into a
:class:`~braingain.core.group.Group`. Each bad cell (an unknown member, a bad email, a
non-IANA zone, an impossible date, a formula error, a duplicate ID, text in a number
column, ...) becomes a Problem with its tab, row, column and reason, and every cell of
every row is read, so one sync reports them all. A bad cell invalidates only what
depends on it (``braingain.core.tracker.rows``, docs/tracker.md): a row is held only
when it cannot mean anything without that cell; otherwise the row is read without it.

Task statuses are typed by people, so they are reconciled with what the sync
remembers (the hidden state tab): a change is applied only if the person named in
"Status changed by" may make it, through the lifecycle of ``braingain.core.authorship.tasks``.
A change that is not allowed is reported and the task keeps its last accepted status;
the typed value is left as it is for the leader to correct.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.disputes import Dispute, DisputeEvent, DisputeStatus, raise_dispute
from braingain.core.authorship.icmje import (
    ApcWaiver,
    AuthorshipPolicy,
    Confirmation,
    Criterion,
    LeaderEvidence,
    Output,
    OutputKind,
    OutputStatus,
)
from braingain.core.authorship.integrity import (
    BLOCK_PREFIX,
    HEAD_KEY,
    RESTORED_PREFIX,
    SEAL_KEY,
    LedgerMemory,
    entry_text,
    read_memory,
    seal,
    sealed,
)
from braingain.core.authorship.ledger import EntryKind, Ledger, LedgerEntry, award_points
from braingain.core.authorship.points import points, split
from braingain.core.authorship.tasks import TRANSITIONS, Actor, Icmje, Task, TaskEvent, TaskStatus
from braingain.core.authorship.volunteering import Volunteer
from braingain.core.countries import country
from braingain.core.errors import DomainError, InvalidValue, UnknownReference, quote
from braingain.core.group import Group
from braingain.core.ids import EntryId, MemberId, OutputId, ProjectId, TaskId, check_id
from braingain.core.members import (
    DEGREE_ALIASES,
    SECTOR_ALIASES,
    Degree,
    DigestChannel,
    Email,
    Gender,
    Member,
    Role,
    Sector,
    time_zone,
)
from braingain.core.outcomes import MeetingLink, PlatformFacts
from braingain.core.parsing import clean_text, parse_enum, parse_enum_list, split_list
from braingain.core.projects import Milestone, Project, ProjectKind, Stage
from braingain.core.schedule.availability import Availability, Unavailability, parse_windows
from braingain.core.schedule.meetings import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Cadence,
    MeetingRecord,
    MeetingSeries,
    MeetingStatus,
    Override,
    Presence,
    meeting_date,
)
from braingain.core.schedule.slots import RecurringSlot
from braingain.core.scholarly import Affiliation, Orcid, affiliations
from braingain.core.tracker import cells
from braingain.core.tracker.defaults import fill_defaults
from braingain.core.tracker.ledger_recall import Finding, Recall, as_written, ledger_points, ledger_row
from braingain.core.tracker.ledger_recall import member_zone as member_zone  # (a name of this module too)
from braingain.core.tracker.ledger_recall import restores as ledger_restores
from braingain.core.tracker.presence import Absence, core_absences
from braingain.core.tracker.rows import (
    AUTHORSHIP,
    AWARDED,
    MEETING,
    PROGRESS,
    SCHEDULE,
    SELECTION,
    TOTALS,
    Hold,
    Known,
    Listed,
    Name,
    Reading,
    RowReader,
    Waits,
    ref,
    report,
    waiting,
)
from braingain.core.tracker.schema import (
    Cell,
    CellWrite,
    Grid,
    Problem,
    Schema,
    Snapshot,
    Table,
    as_text,
    index_by_id,
    read_table,
    row_id,
    rows_wait_for,
)
from braingain.core.words import day_said, moment_said

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the group's configuration says (from ``braingain.toml``)."""

    name: str = "braingain group"
    policy: AuthorshipPolicy = field(default_factory=AuthorshipPolicy)
    open_task_limit: int | None = 3
    slot: RecurringSlot | None = None
    series_id: str = "meetings"
    series_first: date | None = None
    cadence: Cadence = field(default_factory=Cadence)
    blackouts: frozenset[date] = frozenset()
    schedule_ahead: timedelta = timedelta(weeks=8)
    """How far ahead meetings are announced (fixed) and added to the Meetings tab."""
    publish_agenda: timedelta = timedelta(days=2)
    """Agenda items added later than this before the meeting are marked late."""


# --- what the sync remembers ---------------------------------------------------------------


_STATUSES = {status.value: status for status in TaskStatus}
"""Each status by its value: a memory holds ten thousand of them (an unknown one is a KeyError)."""
_ROLES = {role.value: role for role in CreditRole}
_CRITERIA = {criterion.value: criterion for criterion in Icmje}
"""CRediT roles and ICMJE criteria by value, as :data:`_STATUSES`."""


@dataclass(frozen=True, slots=True)
class Accepted:
    """What an accepted task's award was made on: it keeps counting whatever is typed later."""

    points: Decimal
    stage: str
    credit_role: CreditRole
    icmje: Icmje

    def to_dict(self) -> dict[str, str]:
        return {
            "points": str(self.points),
            "stage": self.stage,
            "credit_role": self.credit_role.value,
            "icmje": self.icmje.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Accepted:
        return cls(
            points(data["points"]), data["stage"], _ROLES[data["credit_role"]], _CRITERIA[data["icmje"]]
        )

    @classmethod
    def of(cls, task: Task) -> Accepted:
        return cls(task.points, task.stage, task.credit_role, task.icmje)


@dataclass(frozen=True, slots=True)
class TaskMemory:
    """A task's lifecycle as last accepted by the sync."""

    status: TaskStatus
    contributors: tuple[MemberId, ...]
    head: MemberId | None
    history: tuple[TaskEvent, ...]
    shares: tuple[tuple[MemberId, Decimal], ...] = ()
    project: ProjectId | None = None
    """The task's project, so that a typo in its Project cell holds that project's decisions."""
    accepted: Accepted | None = None
    """What its award was made on, once accepted (``None`` in a memory written before this was kept)."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "status": self.status.value,
                **({"project": self.project} if self.project else {}),
                **({"accepted": self.accepted.to_dict()} if self.accepted else {}),
                "contributors": list(self.contributors),
                "head": self.head,
                "shares": [[m, str(w)] for m, w in self.shares],
                "history": [
                    [e.at.isoformat(), e.by, e.from_status.value, e.to_status.value, e.note]
                    for e in self.history
                ],
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> TaskMemory:
        data = json.loads(text)
        return cls(
            status=_STATUSES[data["status"]],
            contributors=tuple(data["contributors"]),  # (member IDs: a NewType is its str)
            head=MemberId(data["head"]) if data.get("head") else None,
            history=tuple(
                TaskEvent(datetime.fromisoformat(at), MemberId(by), _STATUSES[a], _STATUSES[b], note)
                for at, by, a, b, note in data["history"]
            ),
            shares=tuple((MemberId(m), Decimal(w)) for m, w in data.get("shares", [])),
            project=ProjectId(data["project"]) if data.get("project") else None,
            accepted=Accepted.from_dict(data["accepted"]) if data.get("accepted") else None,
        )

    @classmethod
    def of(cls, task: Task) -> TaskMemory:
        accepted = Accepted.of(task) if task.status is TaskStatus.ACCEPTED else None
        return cls(
            task.status, task.contributors, task.head, task.history, task.shares, task.project_id, accepted
        )


@dataclass(frozen=True, slots=True)
class DisputeMemory:
    """A dispute's resolution as braingain recorded it, by Disputes column key: later typing in
    those cells changes nothing (a resolution is settled; more to settle is a new dispute)."""

    decision: DisputeStatus
    member: MemberId
    entry: str | None
    task: str | None
    reason: str
    resolver: MemberId | None
    adjustment: Decimal | None

    def cells(self) -> dict[str, str | Decimal | None]:
        """The recorded value of each Disputes column a typed change is compared with (a dispute its
        member withdrew has no resolver; only an adjusted one has an adjustment)."""
        return {
            "member": self.member,
            "entry": self.entry,
            "task": self.task,
            "reason": self.reason,
            "decision": self.decision.value,
            "resolved_by": self.resolver,
            "adjustment": self.adjustment,
        }

    @classmethod
    def of(cls, dispute: Dispute, adjustment: Decimal | None) -> DisputeMemory:
        """A resolved dispute as recorded (``adjustment``: the points its Ledger entry added)."""
        return cls(
            decision=dispute.status,
            member=dispute.member_id,
            entry=dispute.entry_id,
            task=dispute.task_id if dispute.entry_id is None else None,
            reason=dispute.reason,
            resolver=dispute.trail[-1].by if dispute.status is not DisputeStatus.WITHDRAWN else None,
            adjustment=adjustment,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "decision": self.decision.value,
                "member": self.member,
                "entry": self.entry,
                "task": self.task,
                "reason": self.reason,
                "resolver": self.resolver,
                "adjustment": None if self.adjustment is None else str(self.adjustment),
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> DisputeMemory:
        data = json.loads(text)
        return cls(
            decision=DisputeStatus(data["decision"]),
            member=MemberId(data["member"]),
            entry=data["entry"] or None,
            task=data["task"] or None,
            reason=str(data["reason"]),
            resolver=MemberId(data["resolver"]) if data["resolver"] else None,
            adjustment=points(data["adjustment"]) if data["adjustment"] is not None else None,
        )


@dataclass(frozen=True, slots=True)
class State:
    """The sync's memory, one row per key in the hidden state tab."""

    tasks: Mapping[TaskId, TaskMemory] = field(default_factory=dict)
    scheduled: tuple[date, ...] = ()
    delivered: frozenset[str] = frozenset()
    sheets: Mapping[str, int] = field(default_factory=dict)
    """Each tab's sheetId (Google), so that a renamed tab is still found."""
    disputes: Mapping[str, DisputeMemory] = field(default_factory=dict)
    """Each resolved dispute's resolution, by dispute ID (none in a memory written before they were kept)."""
    read: Mapping[TaskId, tuple[TaskMemory, str]] = field(default_factory=dict, compare=False, repr=False)
    """Each task's memory as read from the state tab, with its text: a memory that has not changed
    is written back as it was read, not serialized again (the slowest part of planning a large
    group otherwise)."""
    ledger: LedgerMemory | None = None
    """Every Ledger entry braingain recorded or accepted (``None``: none kept yet, as in a memory
    written before entries were remembered, or one that was lost: the Ledger tab is taken as it is)."""
    lost: frozenset[TaskId] = frozenset()
    """Tasks whose memory was lost (damaged, or the whole memory missing or not trusted) and is
    rebuilt from the tabs: the Ledger's awards and the typed Status."""
    rebuilt: bool = field(default=False, compare=False)
    """Whether the whole memory was lost or not trusted on this read, so that every task without
    one is rebuilt from the tabs (never written: a rebuilt memory is written whole)."""
    sealed_as: tuple[Mapping[str, str], str] | None = field(default=None, compare=False, repr=False)
    """The rows as read (without their checksum) and the checksum they carried, when it was the
    key's: rows that have not changed keep it, not worked out again."""
    notices: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """What was rebuilt, and why: ``state`` (the whole memory), ``ledger`` (its copy of the Ledger) or
    the state key of one item -> (the day, ISO; the notice). Listed on the Problems tab for
    :data:`RECENT` days, so that the sync after the one that rebuilt it writes nothing."""
    platforms: Mapping[str, str] = field(default_factory=dict)
    """What braingain remembers of the other platforms (Zoom...): key -> JSON text, kept as given
    (:attr:`braingain.core.outcomes.PlatformFacts.memory`)."""

    def rows(self, secret: bytes | None = None) -> dict[str, str]:
        """The state tab's rows: key -> value; with the group's key (``secret``), sealed by its
        checksum (:func:`~braingain.core.authorship.integrity.seal`)."""
        found = {f"task:{tid}": self._text(tid, memory) for tid, memory in self.tasks.items()}
        found.update({f"dispute:{ident}": memory.to_json() for ident, memory in self.disputes.items()})
        found.update({f"sheet:{key}": str(sheet_id) for key, sheet_id in self.sheets.items()})
        if self.scheduled:
            found["meetings:scheduled"] = json.dumps([d.isoformat() for d in self.scheduled])
        found.update({f"delivered:{key}": "sent" for key in self.delivered})
        found.update({f"{PLATFORM_PREFIX}{key}": text for key, text in self.platforms.items()})
        found.update({f"{LOST_PREFIX}{task}": LOST_TEXT for task in self.lost})
        found.update(
            {f"{NOTICE_PREFIX}{k}": f"{day}\t{said}" for k, (day, said) in self.notices.items() if day}
        )
        if self.ledger is not None:
            found.update(self.ledger.rows())
        if secret is not None:  # over the rows in the order they are kept: by key
            same = self.sealed_as is not None and self.sealed_as[0] == found
            found[SEAL_KEY] = (
                self.sealed_as[1] if self.sealed_as and same else seal(sorted(found.items()), secret) or ""
            )
        return found

    def _text(self, task: TaskId, memory: TaskMemory) -> str:
        before = self.read.get(task)
        return before[1] if before is not None and before[0] == memory else memory.to_json()

    @classmethod
    def from_rows(
        cls, rows: Mapping[str, str], problems: list[Problem], title: str, today: str = ""
    ) -> State:
        """The memory the state tab's ``rows`` hold; an item that cannot be read is rebuilt from the
        tabs, with a notice dated ``today`` (ISO; ``problems`` and ``title`` are kept for callers)."""
        tasks: dict[TaskId, TaskMemory] = {}
        texts: dict[TaskId, tuple[TaskMemory, str]] = {}
        scheduled: tuple[date, ...] = ()
        delivered: set[str] = set()
        sheets: dict[str, int] = {}
        disputes: dict[str, DisputeMemory] = {}
        lost: set[TaskId] = set()
        notices: dict[str, tuple[str, str]] = {}
        blocks: dict[str, str] = {}
        restored: dict[EntryId, str] = {}
        platforms: dict[str, str] = {}
        for key, value in rows.items():
            try:
                if key.startswith(BLOCK_PREFIX):
                    blocks[key[len(BLOCK_PREFIX) :]] = value
                elif key.startswith(LOST_PREFIX):
                    lost.add(TaskId(key[len(LOST_PREFIX) :]))
                elif key.startswith(NOTICE_PREFIX):
                    day, _, said = value.partition("\t")
                    notices[key[len(NOTICE_PREFIX) :]] = (date.fromisoformat(day).isoformat(), said)
                elif key.startswith(RESTORED_PREFIX):
                    restored[EntryId(key[len(RESTORED_PREFIX) :])] = value
                elif key.startswith("dispute:"):
                    disputes[key[8:]] = DisputeMemory.from_json(value)
                elif key.startswith("sheet:"):
                    sheets[key[6:]] = int(value)
                elif key.startswith("task:"):
                    memory = TaskMemory.from_json(value)
                    tasks[TaskId(key[5:])] = memory
                    texts[TaskId(key[5:])] = (memory, value)
                elif key == "meetings:scheduled":
                    scheduled = tuple(sorted(date.fromisoformat(d) for d in json.loads(value)))
                elif key.startswith("delivered:"):
                    delivered.add(key[10:])
                elif key.startswith(PLATFORM_PREFIX):
                    json.loads(
                        value
                    )  # a damaged memory is dropped, with a notice: the platform is asked again
                    platforms[key[len(PLATFORM_PREFIX) :]] = value
            except (ValueError, KeyError, TypeError):
                if key.startswith("task:"):
                    lost.add(TaskId(key[5:]))  # rebuilt from the tabs, as a lost memory is
                notices[key] = (today, DAMAGED)
        ledger, whole = read_memory(rows.get(HEAD_KEY), blocks, restored)
        if not whole:
            notices["ledger"] = (today, LEDGER_MEMORY_CHANGED)
        return cls(
            tasks,
            scheduled,
            frozenset(delivered),
            sheets,
            disputes,
            texts,
            ledger,
            frozenset(lost - tasks.keys()),
            notices=notices,
            platforms=platforms,
        )

    def recent(self, title: str, today: date) -> list[Problem]:
        """The notices of the last :data:`RECENT` days, as problems on the state tab ``title``."""
        return [
            Problem(
                title,
                0,
                "" if key in ("state", "ledger") else key,
                f"{said} (on {day_said(date.fromisoformat(day))})" if day else said,
            )
            for key, (day, said) in sorted(self.notices.items())
            if not day or today - date.fromisoformat(day) < RECENT
        ]


LOST_PREFIX = "lost:"
"""State keys of tasks whose memory was lost and cannot be rebuilt from the tabs yet."""
LOST_TEXT = "memory lost; rebuilt from the tabs once its typed Status can be confirmed"

PLATFORM_PREFIX = "platform:"
"""State keys of what braingain remembers of the other platforms (:attr:`State.platforms`)."""
NOTICE_PREFIX = "notice:"
"""State keys of what was rebuilt, and why (:attr:`State.notices`)."""
RECENT = timedelta(days=7)
"""How long a notice (a memory rebuilt, an entry written back) stays on the Problems tab."""
DAMAGED = "braingain's memory of this item was damaged; it was rebuilt from the tabs"
LEDGER_MEMORY_CHANGED = (
    "braingain's copy of the Ledger (kept in this hidden tab) did not match its chain head: it was "
    "changed outside braingain, so it was not trusted, and the Ledger tab was taken as it was. Check "
    "the Ledger; the copy was written again from it"
)

_STATE_LOST = {
    "missing": "was missing",
    "unreadable": "could not be read (its header row was changed)",
    "empty": "was empty",
    "unsealed": "had no checksum (it was written without the group's key, BRAINGAIN_STATE_KEY, or the "
    "checksum was removed)",
    "forged": "did not match its checksum: it was changed outside braingain, or it was sealed with another "
    "key (check that BRAINGAIN_STATE_KEY in the .env next to braingain.toml is the group's own key)",
}


def recollect(
    rows: Mapping[str, str],
    problems: list[Problem],
    title: str,
    *,
    key: bytes | None,
    present: str,
    used: bool,
    today: str,
) -> State:
    """What braingain remembers, from the state tab's ``rows``: trusted as it is, or, when the tab
    is missing, unreadable or empty (``present``: "yes", "unreadable" or "") while the tracker is in
    use (``used``: it has tasks or Ledger rows), or when the group has a ``key`` and the rows do not
    carry its checksum, rebuilt from the tabs (:attr:`State.rebuilt`), with a notice dated ``today``."""
    why = ""
    if present != "yes" or not rows:
        why = ({"": "missing", "unreadable": "unreadable"}.get(present, "empty")) if used else ""
    elif key is not None and not sealed(rows, key):
        why = "forged" if SEAL_KEY in rows else "unsealed"
    if not why:
        if not rows:
            return State()
        state = State.from_rows(rows, problems, title, today)
        if key is None:
            return state
        return replace(state, sealed_as=({k: v for k, v in rows.items() if k != SEAL_KEY}, rows[SEAL_KEY]))
    said = (
        f"braingain's memory (the hidden tab {quote(title)}) {_STATE_LOST[why]}, so it was not trusted. It "
        "was rebuilt from the tabs: accepted tasks from their awards on the Ledger, the other tasks from "
        "their typed Status, the Ledger as it was; check them. What the tabs do not show was lost with it "
        "(rework and on-time delivery of past tasks), so volunteers are now ranked without it and a "
        "selection may change: check Volunteer selection, and use Leader override to keep a choice. "
        "See docs/authorship.md"
    )
    return State(rebuilt=True, notices={"state": (today, said)})


def _find_grid(snapshot: Snapshot, title: str, sheet_id: int | None) -> Grid | None:
    """A tab by its title, or, if a leader renamed it, by the sheetId the sync remembers."""
    found = snapshot.grid(title)
    if found is not None or sheet_id is None:
        return found
    return next((g for g in snapshot.grids.values() if g.sheet_id == sheet_id), None)


# --- reading rows ----------------------------------------------------------------------------


def _choice(enum: type[Any], aliases: Mapping[str, Any] | None = None) -> Callable[[Cell], Any]:
    """A cell reader: the member of ``enum`` the cell names (by value, name or alias), or ``None``
    for an empty cell. Made once, at import (:func:`cells.remembered_reader`)."""
    return _when_given(lambda found: parse_enum(enum, found, "value", aliases=aliases))


def _when_given(make: Callable[[str], T]) -> Callable[[Cell], T | None]:
    """A cell reader: ``make`` of the cell's text (:func:`cells.text`, worked out once per cell),
    or ``None`` for an empty cell. Made once, at import (:func:`cells.remembered_reader`)."""

    def read(value: Cell) -> T | None:
        found = cells.text(value)
        return make(found) if found else None

    return cells.remembered_reader(read)


_TASK_ID = _when_given(TaskId)
_ENTRY_ID = _when_given(EntryId)
_EMAIL = _when_given(Email)
_ZONE = _when_given(time_zone)
_COUNTRY = _when_given(country)
_WINDOWS = _when_given(parse_windows)
_CREDIT_ROLE = _when_given(CreditRole.parse)
_ROLE = _choice(Role)
_GENDER = _choice(Gender)
_DIGEST = _choice(DigestChannel)
_PROJECT_KIND = _choice(ProjectKind)
_TASK_STATUS = _choice(TaskStatus)
_ENTRY_KIND = _choice(EntryKind)
_DISPUTE_STATUS = _choice(DisputeStatus)
_OUTPUT_KIND = _choice(OutputKind)
_OUTPUT_STATUS = _choice(
    OutputStatus,
    {
        "under review": OutputStatus.SUBMITTED,
        "in review": OutputStatus.SUBMITTED,
        "funded": OutputStatus.AWARDED,
        "not funded": OutputStatus.NOT_AWARDED,
    },
)
_APC_WAIVER = _choice(
    ApcWaiver, {"waived": ApcWaiver.GRANTED, "denied": ApcWaiver.REFUSED, "n/a": ApcWaiver.NOT_NEEDED}
)
_ACTION_STATUS = _choice(ActionStatus)
_MEETING_STATUS = _choice(MeetingStatus)
_TEXT = cells.remembered_reader(cells.text)
_OPTIONAL_TEXT = cells.remembered_reader(cells.optional_text)
_REQUIRED_TEXT = cells.remembered_reader(cells.required_text)
_DATE = cells.remembered_reader(cells.date_value)
_INTEGER = cells.remembered_reader(cells.integer)
_POINTS_VALUE = cells.remembered_reader(cells.points_value)


def _orcid(value: Cell) -> Orcid | None:
    """An ORCID iD cell (:meth:`Orcid.parse`), or ``None`` when empty. One typed without hyphens
    that a spreadsheet took for a number (its leading zeros gone) is read as its 16 digits."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value) and value >= 0:
        return Orcid.parse(f"{int(value):016d}")
    found = cells.text(value)
    return Orcid.parse(found) if found else None


def _affiliations(value: Cell) -> tuple[Affiliation, ...]:
    """An Affiliations cell (:func:`~braingain.core.scholarly.affiliations`): all of them, or a
    refusal that quotes the first that cannot be read."""
    return affiliations(cells.longtext(value))


_ORCID = cells.remembered_reader(_orcid)


def _moment(r: RowReader, key: str, who: Member | None) -> tuple[datetime | None, bool]:
    """A date-time that belongs to ``who``: one typed without an offset is their wall-clock time.

    Returns the moment and whether it had to be assumed: when ``who``'s zone cannot be read,
    a time without an offset is read as UTC so that the row still counts, and the problem
    says so (nothing is guessed silently); the caller holds what the exact moment decides.
    A cell that gives its own offset or zone needs no assumption.
    """
    zone = member_zone(who)
    at: datetime | None = r.need(key, lambda v: cells.datetime_value(v, zone or cells.UTC_ZONE))
    assumed = at is not None and who is not None and zone is None and not cells.gives_zone(r.raw(key))
    if assumed and who is not None:
        r.note(
            key,
            f"says no time zone, and {who.name}'s Time zone on the Members tab cannot be read, so it "
            "was read as UTC (London's winter time); fix their Time zone, or add the zone to this time "
            "(e.g. 2026-03-14 10:00 Africa/Lagos)",
        )
    return at, assumed


def _each(reading: Reading, key: str, read: Callable[[RowReader], T | None]) -> list[T]:
    """What ``read`` makes of each row of the tab ``key`` that can be read."""
    return [found for r in reading.rows(key) if (found := read(r)) is not None]


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A task's status, typed on the Tasks tab, applied by this sync: ``task`` went from ``before``
    to ``after``, as the member ``actor`` (its Changed by) marked it."""

    task: TaskId
    before: TaskStatus
    after: TaskStatus
    actor: MemberId

    def __str__(self) -> str:
        return f"{self.task}: {self.before.value} -> {self.after.value} by {self.actor}"


@dataclass(frozen=True, slots=True)
class ReadResult:
    group: Group
    problems: tuple[Problem, ...]
    tables: Mapping[str, Table | None]
    state: State
    changes: tuple[StatusChange, ...]
    """The status changes applied on this sync, in the order of the Tasks tab."""
    new_entries: tuple[LedgerEntry, ...]
    """Awards and dispute resolutions to append to the Ledger tab."""
    absent: tuple[Absence, ...] = ()
    """Core tabs that are not really there (missing, renamed, emptied, still loading): when any
    is, nothing derived may be written (see :mod:`braingain.core.tracker.presence`)."""
    waiting: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """Decisions that keep their last written value while something they depend on cannot be
    read: ``(decision, id) -> why`` (see :func:`braingain.core.tracker.rows.waiting`)."""
    unsure: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """Decisions a held row may feed through a name that matches nothing: the plan keeps those
    whose value would change (``braingain.core.tracker.plan.settle``)."""
    holds: tuple[Hold, ...] = ()
    """Every held row, and every cell whose value was lost, with what it is about."""
    overrides: Mapping[TaskId, tuple[list[MemberId], list[MemberId]]] = field(default_factory=dict)
    """Leader overrides per task, (forced in, forced out), from the offers that count."""
    restores: tuple[LedgerEntry, ...] = ()
    """Remembered entries deleted from the Ledger tab, to be written back at its foot (in this order)."""
    findings: Mapping[EntryId, Finding] = field(default_factory=dict)
    """Each remembered Ledger entry that is not on the tab as recorded (edited, moved, deleted)."""
    keyed: bool = False
    """Whether the group's state key was given, so that braingain's memory is checked by its checksum."""
    sheet_ids: frozenset[int] = frozenset()
    """The id of every tab, where the tracker names its tabs by id (Google's sheetId)."""
    fills: tuple[CellWrite, ...] = ()
    """Defaults for blank cells a person would expect filled (:mod:`~braingain.core.tracker.defaults`)."""
    platforms: PlatformFacts = field(default_factory=PlatformFacts)
    """What the tracker holds of the other platforms: the Meetings tab's Zoom meetings and imported
    attendance, and the platforms' memory from the hidden tab."""


def _state_text(value: Cell) -> str:
    try:
        return cells.text(value)
    except DomainError:
        return ""  # an unreadable memory is rebuilt, as a damaged one is


def read_tracker(
    schema: Schema,
    snapshot: Snapshot,
    settings: Settings,
    now: datetime,
    *,
    state_key: bytes | None = None,
) -> ReadResult:
    """Read every tab into the group. Every problem of every row is reported, each on its own
    column; a row is held only when a cell it cannot do without is bad, and whatever depends
    on a held row or a lost cell waits (docs/tracker.md).

    ``state_key``: the group's key (``BRAINGAIN_STATE_KEY``, as bytes), without which braingain's
    memory is trusted as it reads; with it, a memory that does not carry its checksum is not."""
    problems: list[Problem] = []
    state_tab = schema.tab("state")
    state_grid = snapshot.grid(state_tab.title)
    state_table = read_table(state_tab, state_grid, [])
    # Keys are matched as IDs are; a value is braingain's own JSON, read exactly as written.
    state_rows = (
        {cells.as_id(r.get("key")): as_text(r.get("value")) for r in state_table.rows} if state_table else {}
    )
    used = any(
        len(grid.values) > 1
        for grid in (snapshot.grid(schema.tab(k).title) for k in ("tasks", "ledger"))
        if grid is not None
    )
    state = recollect(
        state_rows,
        problems,
        state_tab.title,
        key=state_key,
        present="yes" if state_table is not None else ("unreadable" if state_grid is not None else ""),
        used=used,
        today=now.date().isoformat(),
    )
    problems.extend(state.recent(state_tab.title, now.date()))
    grids = {tab.key: _find_grid(snapshot, tab.title, state.sheets.get(tab.key)) for tab in schema.tabs}
    # braingain's own hidden tab: what is wrong with it is said by the notices above, and it is rewritten
    tables = {
        tab.key: read_table(
            tab, grids[tab.key], [] if tab.key == "state" and state_grid is None else problems
        )
        for tab in schema.tabs
    }
    zone = settings.slot.zone if settings.slot is not None else cells.UTC_ZONE
    tables, fills = fill_defaults(tables, now.astimezone(zone).date(), known_tasks=set(state.tasks))
    sheets = {  # (the state tab is found by its title: a memory that follows it could not be read)
        key: grid.sheet_id
        for key, grid in grids.items()
        if grid is not None and grid.sheet_id is not None and key != "state"
    }
    absent = core_absences(
        schema,
        snapshot,
        tables,
        grids,
        remembered={
            "tasks": len(state.tasks),
            # the entries of braingain's copy of the Ledger (or, without one, one per accepted task)
            "ledger": len(state.ledger.texts)
            if state.ledger is not None and state.ledger.texts
            else sum(1 for m in state.tasks.values() if m.status is TaskStatus.ACCEPTED),
        },
    )
    reading = Reading(tables, problems)
    reading.remembered = {
        task: {
            *(("member", m) for m in (*memory.contributors, *([memory.head] if memory.head else ()))),
            *([("project", memory.project)] if memory.project else ()),
        }
        for task, memory in state.tasks.items()
    }
    reading.statuses = {task: memory.status for task, memory in state.tasks.items()}

    members = reading.known("members", _read_members(reading))
    for who, _ in settings.policy.fixed_positions:
        if who not in members and who not in members.held:
            problems.append(
                Problem(
                    "configuration",
                    0,
                    "fixed_positions",
                    f"{quote(who)} has a fixed author position but is not a member; "
                    "use a member ID from the Members tab in [authorship] fixed_positions",
                )
            )
    availability = _read_availability(reading, members)
    projects = reading.known("projects", _read_projects(reading, members))
    changes: list[StatusChange] = []
    rebuild = _Rebuild(state, tables, members)
    found_tasks = {
        t.id: t
        for t in _each(reading, "tasks", lambda r: _task(r, members, projects, state, now, changes, rebuild))
    }
    reading.task_projects.update({t.id: t.project_id for t in found_tasks.values()})
    tasks = reading.known("tasks", found_tasks)
    volunteers, forced = _read_volunteers(reading, members, tasks, now)
    remembered = {t for t, m in state.tasks.items() if m.status is TaskStatus.ACCEPTED}
    # An award is checked against its task's split only when that task reads cleanly now (it was
    # checked when it was made, and a typo elsewhere must not drop anyone's points).
    ledger = Ledger()
    ledger_table = tables.get("ledger")
    on_sheet = (
        {row_id(r.cells.get("id")) for r in (*ledger_table.rows, *ledger_table.held)}
        if ledger_table
        else set()
    )
    recall = Recall(state.ledger, on_sheet, ledger, members, projects)
    recall.preload(reading, schema.tab("ledger").title)
    reading.entries.update(
        (e.id, e)
        for e in _each(
            reading,
            "ledger",
            lambda r: _entry(r, members, projects, tasks, remembered, ledger, state.disputes, recall),
        )
    )
    moved = recall.moved(ledger_table, problems)
    ledger = recall.ordered(moved, restoring=not reading.unnamed.get("ledger"))
    new_entries: list[LedgerEntry] = []
    awarded_on_sheet = {i.split(":")[1] for i in on_sheet if i.startswith("award:") and i.count(":") >= 2}
    task_table = tables.get("tasks")
    task_rows = index_by_id(task_table) if task_table is not None else {}
    for task in sorted(tasks.values(), key=lambda t: (t.accepted_at or now, t.id)):
        if (
            task.accepted_at is not None
            and not ledger.is_awarded(task.id)
            and task.id not in awarded_on_sheet
        ):
            by = task.history[-1].by
            reviewer = members.get(by)
            if reviewer is None:
                where = members.held.get(by, "the Members tab")
                problems.append(
                    Problem(
                        schema.tab("tasks").title,
                        task_rows.get(task.id, 0),
                        schema.tab("tasks").column("awarded").header,
                        f"the award waits for {where} ({by}, who accepted the task)",
                    )
                )
                continue
            try:
                new_entries.extend(ledger.award(task, by=reviewer))
            except DomainError as error:
                problems.append(
                    Problem(
                        schema.tab("tasks").title,
                        task_rows.get(task.id, 0),
                        schema.tab("tasks").column("awarded").header,
                        f"could not award points: {error.explained}",
                    )
                )
    entries = reading.known("ledger", {str(e.id): e for e in ledger})
    resolved: dict[str, DisputeMemory] = {}
    disputes = _each(
        reading,
        "disputes",
        lambda r: _dispute(r, members, ledger, entries, tasks, new_entries, on_sheet, state, resolved),
    )
    outputs, confirmations, evidence = _read_outputs(reading, members, projects, now)
    new_entries = _unless_unnamed(reading, new_entries)
    restores = ledger_restores(reading, recall, ledger_table, now, RECENT)
    zones = {m: member_zone(members.get(m)) or cells.UTC_ZONE for m in {e.recorded_by for e in new_entries}}
    # What the sync will add to the Ledger is remembered only if it can be added now: while a header
    # it fills is missing it waits (the plan says so), and so does its memory, or the next sync would
    # find it deleted.
    adding = [ledger_row(e, zones.get(e.recorded_by, cells.UTC_ZONE)) for e in (*restores, *new_entries)]
    adding += [{"note": "restored"}] if restores else []
    blocked = bool(rows_wait_for(schema.tab("ledger"), ledger_table, adding, missing=grids["ledger"] is None))
    memory = recall.after(
        moved,
        bool(restores) and not blocked,
        []
        if blocked
        else [
            (e, entry_text(replace(e, recorded_at=as_written(e.recorded_at, zones[e.recorded_by]))))
            for e in new_entries
        ],
        now.date().isoformat(),
    )

    series = None
    if settings.slot is not None:
        first = settings.series_first or settings.slot.first_on_or_after(now.date())
        try:
            series = MeetingSeries.create(
                id=settings.series_id,
                slot=settings.slot,
                first=settings.slot.first_on_or_after(first),
                cadence=settings.cadence,
                blackouts=settings.blackouts,
                scheduled=[
                    d
                    for d in state.scheduled or _announced(state, tables.get("meetings"), settings.series_id)
                    if d >= settings.slot.first_on_or_after(first)
                ],
            )
        except DomainError as error:
            problems.append(Problem("configuration", 0, "meetings", str(error)))
    records, overrides, meeting_refs = _read_meetings(reading, series, members, projects)
    if series is not None and overrides:
        series = replace(series, overrides=tuple(sorted(overrides, key=lambda o: o.planned)))

    group = Group.create(
        settings.name,
        members=members.values(),
        projects=projects.values(),
        tasks=tasks.values(),
        outputs=outputs,
        volunteers=volunteers,
        ledger=ledger,
        disputes=disputes,
        confirmations=confirmations,
        evidence=evidence,
        policy=settings.policy,
        open_task_limit=settings.open_task_limit,
        availability=availability.values(),
        series=series,
        records=records,
    )
    _hold_uncertain_attendance(reading, group, now)
    waits = waiting(group, reading.holds, tables)
    problems.extend(report(waits.certain, tables, schema.tab("meetings").title))
    horizon = (now + settings.schedule_ahead + timedelta(weeks=52)).date()
    _check_meetings(reading, group, meeting_refs, waits, now, horizon)
    return ReadResult(
        group=group,
        problems=tuple(sorted(set(problems), key=lambda p: (p.tab, p.row, p.column, p.reason))),
        tables=tables,
        # A task whose row has a problem (or whose tab is missing) keeps its remembered lifecycle:
        # fixing the typo must never reset accepted work to draft.
        state=replace(
            state,
            tasks={**state.tasks, **{t.id: TaskMemory.of(t) for t in tasks.values()}},
            sheets=sheets,
            disputes={**state.disputes, **resolved},
            ledger=memory,
            notices={
                k: (day, said)
                for k, (day, said) in state.notices.items()
                if day and now.date() - date.fromisoformat(day) < RECENT
            },
            # a task whose memory is lost and could not be rebuilt yet stays lost until it can
            lost=frozenset(
                TaskId(t)
                for t in ({*tasks, *tasks.held} if state.rebuilt else state.lost)
                if t not in tasks and t not in state.tasks
            ),
        ),
        changes=tuple(changes),
        new_entries=tuple(new_entries),
        platforms=platform_facts(tables.get("meetings"), group.series, state),
        fills=fills,
        restores=tuple(restores),
        findings=recall.found,
        keyed=state_key is not None,
        absent=absent,
        waiting=waits.certain,
        unsure=waits.unsure,
        holds=tuple(reading.holds),
        overrides=forced,
        sheet_ids=frozenset(g.sheet_id for g in snapshot.grids.values() if g.sheet_id is not None),
    )


def _announced(state: State, table: Table | None, series: str) -> tuple[date, ...]:
    """The meeting dates a lost memory had announced, rebuilt from the Meetings tab: a row's ID
    is its planned date (or, in a tracker made before, its series and planned date; none when
    the memory was not lost)."""
    if not state.rebuilt or table is None:
        return ()
    found: set[date] = set()
    for ident in index_by_id(table):
        try:
            found.add(meeting_date(ident, series))
        except DomainError:
            continue  # reported where the row is read
    return tuple(sorted(found))


IMPORT_NOT_APPLIED = "not applied"
"""What an Attendance from cell says when an import left Present and Absent as a person typed them."""


_NOT_APPLIED = re.compile(rf"[^;]*: {IMPORT_NOT_APPLIED}\b")


def import_applied(value: Cell) -> bool:
    """Whether an Attendance from cell says braingain filled Present and Absent from a platform
    (``Zoom, 2027-01-16: 12 joined, ...``, not ``Zoom, 2027-01-16: not applied: ...``; what
    follows the first ``;``, the names it could not match, says nothing of it)."""
    text = as_text(value)
    return bool(text) and not _NOT_APPLIED.match(text)


def zoom_meeting_id(value: Cell) -> str:
    """A Zoom meeting cell as Zoom's id: ``812 3456 7890`` (as Zoom shows it to people, spaced or
    hyphenated) is ``81234567890``; anything else is kept as typed (cleaned as every ID is)."""
    text = row_id(value)
    digits = "".join(text.replace("-", " ").split())
    return digits if digits.isdigit() else text


def platform_facts(table: Table | None, series: MeetingSeries | None, state: State) -> PlatformFacts:
    """What the Meetings tab (read as ``table``) holds of Zoom, by meeting ID (``2027-01-16``):
    each row's Zoom meeting and join link (a row without a Zoom meeting has none), and the meetings
    whose Attendance from is filled (an import was made, applied or not: never made again while it
    stays); with the platforms' memory ``state`` keeps."""
    links: dict[str, MeetingLink] = {}
    imported: set[str] = set()
    if table is not None and series is not None:
        for row in table.rows:
            try:
                meeting = series.key_of(row_id(row.get("id")))
            except DomainError:
                continue  # reported where the row is read
            zoom_id = zoom_meeting_id(row.get("zoom_id"))
            if zoom_id and meeting not in links:
                links[meeting] = MeetingLink(zoom_id, as_text(row.get("join_url")))
            if as_text(row.get("attendance_from")):
                imported.add(meeting)
    return PlatformFacts(links=links, attendance_imported=frozenset(imported), memory=dict(state.platforms))


def meeting_rows(table: Table | None, series: MeetingSeries) -> dict[str, str]:
    """The Meetings tab's row IDs by the ID braingain gives their meeting (``2027-01-16``): a
    tracker made before names its rows ``monthly:2027-01-16``, and those rows are its meetings'
    rows still (never renamed). An ID that names no meeting of the series is left out."""
    found: dict[str, str] = {}
    for ident in index_by_id(table) if table is not None else ():
        try:
            found.setdefault(series.key_of(ident), ident)
        except DomainError:
            continue  # reported where the row is read
    return found


def _unless_unnamed(reading: Reading, entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """The entries to append to the Ledger; none while a Ledger row has no ID, since it may be one
    of them (appending it again would count its points twice). Each one withheld says so, and
    what it feeds waits."""
    unnamed = reading.unnamed.get("ledger", [])
    ledger, tasks, disputes = (reading.tables.get(k) for k in ("ledger", "tasks", "disputes"))
    if not unnamed or not entries or ledger is None:
        return entries
    reason = (
        f"not added to the Ledger yet: waits for {ledger.tab.title} row {unnamed[0]}, which has no ID and "
        "may already be this entry; give it its ID"
    )
    task_rows = index_by_id(tasks) if tasks is not None else {}
    dispute_rows = index_by_id(disputes) if disputes is not None else {}
    for entry in entries:
        if entry.kind is EntryKind.AWARD and tasks is not None:
            where = (tasks, task_rows.get(entry.task_id or ""), "awarded")
        elif disputes is not None:
            where = (disputes, dispute_rows.get(entry.id.removeprefix("dispute:")), "adjustment")
        else:
            continue
        table, number, column = where
        if number is not None:
            reading.problems.append(Problem(table.tab.title, number, table.tab.column(column).header, reason))
        names = {("member", str(entry.member_id)), ("project", str(entry.project_id))}
        reading.holds.append(
            Hold(
                ledger.tab.title,
                unnamed[0],
                frozenset(names | ({("task", entry.task_id)} if entry.task_id else set())),
                frozenset({TOTALS, AUTHORSHIP, AWARDED}),
            )
        )
    return []


def _hold_uncertain_attendance(reading: Reading, group: Group, now: datetime) -> None:
    """An absence that may fall on a declared unavailable date, in a zone that cannot be read,
    holds the selections that weigh that member's attendance."""
    table = reading.tables.get("members")
    if table is None or all(m.zone is not None for m in group.members.values()):
        return
    rows = index_by_id(table)
    for member in group.attendance_uncertain(now):
        reading.holds.append(
            Hold(
                table.tab.title, rows.get(member, 0), frozenset({("member", member)}), frozenset({SELECTION})
            )
        )


# --- members and their availability ----------------------------------------------------------

_MEMBER_FIELDS = {
    "member id": "id",
    "given names": "given_names",
    "surname": "surname",
    "email": "email",
    "email address": "email",
    "time zone": "zone",
    "country of residence": "country",
    "gender": "gender",
    "date of joining": "joined",
    "left on": "left",
    "slack user id": "slack",
    "digest channel": "digest",
    "digest choice": "digest",
    "orcid id": "orcid",
    "affiliations": "affiliations",
}
"""A refusal of ``Member.create``: its field -> the column to report it on."""

_MEMBER_UNKNOWN = {
    "email": "email",
    "zone": "zone",
    "country": "country",
    "gender": "gender",
    "degrees": "degrees",
    "specialization": "specialization",
    "sectors": "sectors",
    "joined": "joined_on",
    "left": "left_on",
    "slack": "slack_user_id",
    "digest": "digest_channel",
    "active": "active",
    "orcid": "orcid",
    "affiliations": "affiliations",
}
"""A Members column that can be lost -> the member's field that is then unknown."""


def _read_members(reading: Reading) -> dict[MemberId, Member]:
    found: dict[MemberId, Member] = {}
    emails: dict[str, int] = {}
    orcids: dict[Orcid, int] = {}
    for r in reading.rows("members"):
        member = _member(r)
        if member is None:
            continue
        if member.email is not None:
            address = member.email.address.casefold()
            if address in emails:
                r.problem("email", f"the same email is on row {emails[address]}; each member needs their own")
                member = replace(member, email=None, unknown=member.unknown | {"email"})
            else:
                emails[address] = r.row.number
        orcid = member.orcid
        if orcid is not None:
            if orcid in orcids:
                r.problem(
                    "orcid",
                    f"the same ORCID iD is on row {orcids[orcid]}; an ORCID iD belongs to one person: "
                    "keep it on that person's row and type this member's own (or leave it empty)",
                )
                member = replace(member, orcid=None, unknown=member.unknown | {"orcid"})
            else:
                orcids[orcid] = r.row.number
        found[member.id] = member
    return found


def _member(r: RowReader) -> Member | None:
    given = r.need("given_names", _REQUIRED_TEXT)
    surname = r.need("surname", _REQUIRED_TEXT)
    email = r.need("email", _EMAIL)
    role = r.need("role", _ROLE)
    zone = r.need("zone", _ZONE)
    home = r.need("country", _COUNTRY)
    gender = r.get("gender", _GENDER)
    degrees = r.get(
        "degrees", lambda v: parse_enum_list(Degree, cells.text(v), "degrees", aliases=DEGREE_ALIASES)
    )
    specialization = r.get("specialization", _OPTIONAL_TEXT)
    sectors = r.get(
        "sectors", lambda v: parse_enum_list(Sector, cells.text(v), "sectors", aliases=SECTOR_ALIASES)
    )
    joined = r.need("joined", _DATE)
    left = r.get("left", _DATE)
    slack = r.get("slack", _OPTIONAL_TEXT)
    digest = r.get("digest", _DIGEST)
    active = r.get("active", lambda v: cells.boolean(v, default=True))
    orcid = r.get("orcid", _ORCID)
    listed = r.get("affiliations", _affiliations)
    if not r.usable:
        # The row is held: it is still built, with stand-ins for what failed, so that every other
        # refusal is reported in this sync too; what is built is not kept.
        given = given or "?"
        surname = surname or "?"
        role = role or Role.MEMBER
    if given is None or surname is None or role is None:
        return None
    known_role: Role = role

    def make() -> Member:
        return Member.create(
            id=r.ident,
            given_names=given,
            surname=surname,
            email=r.ok("email", email),
            role=known_role,
            zone=r.ok("zone", zone),
            country=r.ok("country", home),
            gender=r.ok("gender", gender),
            degrees=tuple(r.ok("degrees", degrees) or ()),
            specialization=r.ok("specialization", specialization),
            sectors=tuple(r.ok("sectors", sectors) or ()),
            joined_on=r.ok("joined", joined),
            left_on=r.ok("left", left),
            slack_user_id=r.ok("slack", slack),
            digest_channel=None if "digest" in r.failed else (digest or DigestChannel.EMAIL),
            active=True if active is None else active,
            orcid=r.ok("orcid", orcid),
            affiliations=r.ok("affiliations", listed) or (),
            unknown={_MEMBER_UNKNOWN[k] for k in r.failed if k in _MEMBER_UNKNOWN},
        )

    return r.build(make, _MEMBER_FIELDS)


def _read_availability(reading: Reading, members: Known[MemberId, Member]) -> dict[MemberId, Availability]:
    windows: dict[MemberId, list[Any]] = {}
    away: dict[MemberId, list[Unavailability]] = {}
    incomplete: dict[MemberId, str] = {}
    for r in reading.rows("availability"):
        who: Member | None = r.need("member", ref(members, "member", "Members"))
        found = r.get("windows", _WINDOWS)
        span = _away(r)
        if not r.usable:
            if who is not None:
                incomplete[who.id] = (
                    f"{who.name}'s availability on {r.table.tab.title} row {r.row.number} could not be read "
                    "(see the Problems tab)"
                )
            continue
        assert who is not None
        if found:
            windows.setdefault(who.id, []).extend(found)
        if span is not None:
            away.setdefault(who.id, []).append(span)
        if not found and span is None:
            r.problem("windows", "gives neither weekly windows nor unavailable dates", hold_row=False)
    return {
        m: Availability(
            m, members[m].zone, tuple(windows.get(m, ())), tuple(away.get(m, ())), incomplete.get(m, "")
        )
        for m in sorted(set(windows) | set(away) | set(incomplete))
    }


def _away(r: RowReader) -> Unavailability | None:
    """The dates an Availability row gives, if any (one date alone is a single day)."""
    first = r.get("away_from", _DATE)
    last = r.get("away_until", _DATE)
    reason = r.get("reason", _TEXT) or ""
    begin, end = first or last, last or first
    if not r.usable or begin is None or end is None:
        return None
    return r.build(lambda: Unavailability(begin, end, reason), {"unavailable": "away_until"})


# --- projects ----------------------------------------------------------------------------------

_PROJECT_FIELDS = {
    "project id": "id",
    "project title": "title",
    "stages": "stages",
    "stage key": "stages",
    "stage name": "stages",
    "milestone stage": "milestones",
    "end": "end",
}


def _read_projects(reading: Reading, members: Known[MemberId, Member]) -> dict[ProjectId, Project]:
    found: dict[ProjectId, Project] = {}
    for r in reading.rows("projects"):
        project = _project(r, members)
        if project is None:
            continue
        if "milestones" in r.failed:
            r.hold({("project", project.id)}, {PROGRESS, SCHEDULE})
        found[project.id] = project
    return found


def _project(r: RowReader, members: Known[MemberId, Member]) -> Project | None:
    title = r.need("title", _REQUIRED_TEXT)
    kind = r.need("kind", _PROJECT_KIND)
    lead: Member | None = r.need("lead", ref(members, "member", "Members"))
    stages = r.get("stages", lambda v: _parse_stages(cells.text(v)) or None)
    milestones = r.get("milestones", lambda v: _parse_milestones(cells.longtext(v)) or None)
    start = r.get("start", _DATE)
    end = r.get("end", _DATE)
    if title is None or kind is None or lead is None:
        return None  # (a row held by another cell is still built: every refusal is reported)
    return r.build(
        lambda: Project.create(
            id=r.ident,
            title=title,
            kind=kind,
            lead=lead.id,
            stages=stages,
            milestones=r.ok("milestones", milestones) or (),
            start=r.ok("start", start),
            end=r.ok("end", end),
        ),
        _PROJECT_FIELDS,
    )


# --- tasks -------------------------------------------------------------------------------------

_TASK_FIELDS = {
    "task id": "id",
    "stage": "stage",
    "title": "title",
    "deliverable": "deliverable",
    "points": "points",
    "supervisor": "supervisor",
    "max volunteers": "max_volunteers",
    "due": "due",
    "start": "start",
    "status": "status",
    "time": "status",
    "acceptance criteria": "criteria",
    "contributors": "contributors",
    "head": "head",
    "note": "note",
    "shares": "shares",
}
"""A refusal of ``Task.create`` or of a status change: its field -> the column to report it on."""

_STATUS_CELLS = ("status", "changed_by", "note", "criteria", "contributors", "head", "shares")
"""The cells a typed status change uses: while one cannot be read, the change waits."""


def _task(
    r: RowReader,
    members: Known[MemberId, Member],
    projects: Known[ProjectId, Project],
    state: State,
    now: datetime,
    changes: list[StatusChange],
    rebuild: _Rebuild,
) -> Task | None:
    project: Project | None = r.need("project", ref(projects, "project", "Projects"))
    stage = r.need("stage", _REQUIRED_TEXT)
    title = r.need("title", _REQUIRED_TEXT)
    deliverable = r.need("deliverable", _REQUIRED_TEXT)
    criteria = r.get("criteria", _TEXT) or ""
    worth = r.need("points", _POINTS_VALUE)
    role = r.need("credit_role", _CREDIT_ROLE)
    icmje = r.need("icmje", _ICMJE_READ)
    supervisor: Member | None = r.need("supervisor", ref(members, "member", "Members"))
    cap = r.get("max_volunteers", _INTEGER)
    head_member: Member | None = r.get("head", ref(members, "member", "Members"))
    team = r.listed("contributors", members, "member", "Members")
    shares = r.get("shares", _shares)
    start = r.get("start", _DATE)
    due = r.get("due", _DATE)
    typed = r.need("status", _TASK_STATUS)
    actor: Member | None = r.get("changed_by", ref(members, "member", "Members"))
    note = r.get("note", _TEXT) or ""
    memory = state.tasks.get(TaskId(r.ident))
    if typed is None and memory is None and r.usable:
        r.holding = True  # a task braingain has never seen has no status to keep: the row waits
    if (  # (a row held by another cell is still built: every refusal is reported)
        project is None
        or stage is None
        or title is None
        or deliverable is None
        or worth is None
        or role is None
        or icmje is None
        or supervisor is None
    ):
        return None
    task = r.build(
        lambda: Task.create(
            id=r.ident,
            project=project,
            stage=stage,
            title=title,
            deliverable=deliverable,
            acceptance_criteria=criteria,
            points_worth=worth,
            credit_role=role,
            icmje=icmje,
            supervisor=supervisor,
            max_volunteers=r.ok("max_volunteers", cap),
            start=start,
            due=due,
        ),
        _TASK_FIELDS,
    )
    if task is None:
        return None
    if "max_volunteers" in r.failed:
        r.hold({("task", task.id)}, {SELECTION})  # without its cap, the selection cannot be made
    if memory is None and rebuild.wanted(task.id):
        memory = _rebuilt(r, task, typed, team.found, head_member, shares, note, rebuild.awards(task.id))
        if memory is None:
            return None
    if memory is not None:
        task = task.resumed(
            status=memory.status,
            history=memory.history,
            contributors=memory.contributors,
            head=memory.head,
            shares=memory.shares,
        )
        if memory.accepted is not None and memory.status is TaskStatus.ACCEPTED:
            task = _as_accepted(r, task, memory.accepted, memory.project or task.project_id)
    for who in (*task.contributors, *([task.head] if task.head else ())):
        if who not in members:
            waits = members.held.get(who)
            if who in team.held:
                r.holding = True  # already said on the Contributors cell
                return None
            r.problem(
                "contributors",
                f"held: waits for {waits} ({who}, on this task's team), which has a problem of its own"
                if waits
                else f"{quote(who)}, on this task's team, is no longer on the Members tab; add them back",
                hold_row=True,
            )
            return None
    if (
        not task.acceptance_criteria
        and "criteria" not in r.failed
        and task.status not in (TaskStatus.DRAFT, TaskStatus.CANCELLED)
    ):
        r.problem(
            "criteria",
            f"task {task.id} is {task.status.value} but has no acceptance criteria; "
            "write what the work must meet (they were there when it opened)",
        )
    unreadable = [k for k in _STATUS_CELLS if k in r.failed] + (
        ["contributors"] if not team.complete and "contributors" not in r.failed else []
    )
    contributors = tuple(m.id for m in team.found)
    head = head_member.id if head_member else None
    if typed is not None and typed is not task.status:
        pending = r.reading.pending
        if unreadable:
            headers = ", ".join(r.table.tab.column(k).header for k in unreadable)
            r.problem(
                "status",
                f"'{typed.value}' is not applied yet, the task stays '{task.status.value}': "
                f"it waits for this row's {headers}",
                hold_row=False,
            )
            pending[task.id] = (typed, f"fix its {headers} on the {r.table.tab.title} tab")
        elif actor is None:
            r.problem("changed_by", f"the status changed to '{typed.value}': say who changed it")
            header = r.table.tab.column("changed_by").header
            pending[task.id] = (typed, f"fill in {header} on the {r.table.tab.title} tab")
        else:
            before = task.status
            try:
                task = advance(task, typed, actor, now, note, contributors, head)
                changes.append(StatusChange(task.id, before, typed, actor.id))
            except DomainError as error:
                r.problem(
                    "status",
                    f"'{typed.value}' was not applied, the task stays '{task.status.value}': "
                    f"{error.explained}",
                )
                pending[task.id] = (typed, error.explained)
    if unreadable:
        return task  # the team and the shares keep what braingain remembers until every cell reads
    if task.status in _TEAM_FINAL:
        _keep_team(r, task, contributors, head, shares)
        if task.status.is_final:
            return task
    elif task.status.is_active and (set(contributors) != set(task.contributors) or head != task.head):
        if not contributors:
            r.note(
                "contributors",
                f"is empty, but task {task.id} is {task.status.value}: the team stays "
                f"{'; '.join(task.contributors)}; put it back (a leader cancels a task nobody works on)",
            )
        else:
            try:
                task = _reassign(task, contributors, head)
            except DomainError as error:
                r.problem("contributors", error.explained)
    if shares:
        try:
            task = task.with_shares(shares, by=supervisor)
        except DomainError as error:
            r.problem("shares", error.explained)
    return task


class _Rebuild:
    """What a task whose memory was lost (:attr:`State.lost`, or the whole memory with
    :attr:`State.rebuilt`) is rebuilt from: its awards, on the Ledger braingain remembers (or, when
    that was lost too, on the Ledger tab), worked out once, when a task first asks."""

    def __init__(self, state: State, tables: Mapping[str, Table | None], members: Known[MemberId, Member]):
        self.state = state
        self.tables = tables
        self.members = members
        self._awards: dict[str, list[_Award]] | None = None

    def wanted(self, task: TaskId) -> bool:
        return self.state.rebuilt or task in self.state.lost

    def awards(self, task: TaskId) -> list[_Award]:
        if self._awards is None:
            self._awards = self._find()
        return self._awards.get(task, [])

    def _find(self) -> dict[str, list[_Award]]:
        found: dict[str, list[_Award]] = {}
        memory = self.state.ledger
        if memory is not None:
            for ident, text in memory.texts.items():
                if text.startswith(EntryKind.AWARD.value + "\t"):
                    e = memory.entry(ident)
                    found.setdefault(e.task_id or "", []).append(
                        _Award(e.member_id, e.points, e.recorded_by, e.recorded_at)
                    )
            return found
        table = self.tables.get("ledger")
        for row in table.rows if table is not None else ():
            try:
                if cells.text(row.get("kind")).casefold() != EntryKind.AWARD.value:
                    continue
                task, member, by = (cells.as_id(row.get(k)) for k in ("task", "member", "recorded_by"))
                amount = _POINTS(row.get("points"))
                at = cells.datetime_value(
                    row.get("recorded_at"), member_zone(self.members.get(MemberId(by))) or cells.UTC_ZONE
                )
            except DomainError:
                continue
            if task and member and by and amount is not None and at is not None:
                found.setdefault(task, []).append(_Award(MemberId(member), amount, MemberId(by), at))
        return found


@dataclass(frozen=True, slots=True)
class _Award:
    member: MemberId
    points: Decimal
    by: MemberId
    at: datetime


_UNCONFIRMED = (
    "braingain's memory of this task was lost, and 'accepted' cannot be confirmed: no award for it is on the "
    "Ledger. It waits: type the status the work is really at (submitted, if its head submitted it) and sync; "
    "a leader then accepts it again"
)


def _rebuilt(
    r: RowReader,
    task: Task,
    typed: TaskStatus | None,
    team: tuple[Member, ...],
    head: Member | None,
    shares: Mapping[MemberId, Decimal] | None,
    note: str,
    awards: list[_Award],
) -> TaskMemory | None:
    """A lost memory of ``task``, rebuilt from the tabs: accepted, by whom and when, with which
    team and split, from its awards on the Ledger; otherwise its typed status, team and head (the
    typed task history). ``None`` (the row held, and said why) when that cannot be done."""
    if awards:
        parts: dict[MemberId, Decimal] = {}
        for award in awards:
            parts[award.member] = parts.get(award.member, Decimal(0)) + award.points
        contributors = tuple(parts)
        total = sum(parts.values(), Decimal(0))
        kept: tuple[tuple[MemberId, Decimal], ...] = tuple(sorted(parts.items()))
        try:
            if split(total, list(contributors)) == parts:
                kept = ()
            elif shares and set(shares) == set(parts) and split(total, dict(shares)) == parts:
                kept = tuple(sorted(shares.items()))
        except DomainError:
            pass  # the awards' own points are the shares
        first = min(awards, key=lambda a: a.at)
        event = TaskEvent(
            first.at,
            first.by,
            TaskStatus.SUBMITTED,
            TaskStatus.ACCEPTED,
            note if typed is TaskStatus.ACCEPTED else "",
        )
        return TaskMemory(
            TaskStatus.ACCEPTED,
            contributors,
            head.id if head is not None and head.id in parts else None,
            (event,),
            kept,
            task.project_id,
            Accepted(total, task.stage, task.credit_role, task.icmje),
        )
    if typed is None:
        return None  # its empty Status is reported, and holds the row
    if typed is TaskStatus.ACCEPTED:
        r.problem("status", _UNCONFIRMED, hold_row=True)
        return None
    return TaskMemory(
        typed, tuple(m.id for m in team), head.id if head is not None else None, (), (), task.project_id
    )


def _as_accepted(r: RowReader, task: Task, accepted: Accepted, project: ProjectId) -> Task:
    """``task`` with the project, points, stage, CRediT role and ICMJE criterion its award was made
    on; each that is typed differently now is reported, and not applied."""
    typed = Accepted.of(task)
    if typed == accepted and task.project_id == project:
        return task
    shown = {
        "project": (task.project_id, project),
        "points": (typed.points, accepted.points),
        "stage": (typed.stage, accepted.stage),
        "credit_role": (typed.credit_role.value, accepted.credit_role.value),
        "icmje": (typed.icmje.value, accepted.icmje.value),
    }
    for key, (now, then) in shown.items():
        if now != then:
            r.note(
                key,
                f"task {task.id} was accepted with {r.table.tab.column(key).header} {quote(str(then))}, and "
                "its award was made on it: "
                f"{quote(str(now))} is not applied and {quote(str(then))} keeps counting; put it back. To "
                "correct someone's points, a leader records an adjustment on the Ledger (or the member "
                "raises a dispute)",
            )
    return replace(
        task,
        project_id=project,
        points=accepted.points,
        stage=accepted.stage,
        credit_role=accepted.credit_role,
        icmje=accepted.icmje,
    )


_TEAM_FINAL = {
    TaskStatus.SUBMITTED: "was submitted by this team and is under review: to change the team, a leader "
    "first sends the work back (Status: needs rework); until then",
    TaskStatus.ACCEPTED: "was accepted and its points were awarded to this team:",
    TaskStatus.CANCELLED: "is cancelled:",
}
"""Statuses whose team is no longer changed by typing, and why."""


def _keep_team(
    r: RowReader,
    task: Task,
    contributors: tuple[MemberId, ...],
    head: MemberId | None,
    shares: Mapping[MemberId, Decimal] | None,
) -> None:
    """Report a typed team (or, once accepted or cancelled, shares) that differs from the one the
    task keeps: the kept one counts, and the leader is told how to put it back or correct points."""
    fix = (
        "put it back; to correct someone's points, a leader records an adjustment on the Ledger "
        "(or the member raises a dispute)"
        if task.status is TaskStatus.ACCEPTED
        else "put it back"
    )
    why = f"task {task.id} {_TEAM_FINAL[task.status]} the team stays as recorded"
    pending = r.reading.pending.get(task.id)
    if pending is not None:  # the status typed is not the one the task keeps: say what it waits for
        typed, remedy = pending
        why = (
            f"task {task.id}'s Status says {typed.value} but is not applied yet ({remedy}), so the task "
            f"is still {_a_status(task.status)}: the team stays as recorded"
        )
    if set(contributors) != set(task.contributors):
        kept = "; ".join(task.contributors) or "nobody"
        r.note("contributors", f"{why} ({kept}), and this change is not applied; {fix}")
    if head != task.head:
        r.note("head", f"{why} (head: {task.head or 'nobody'}), and this change is not applied; {fix}")
    if task.status is not TaskStatus.SUBMITTED and dict(shares or {}) != dict(task.shares):
        kept = "; ".join(f"{m} {w}" for m, w in task.shares) or "equal shares"
        r.note(
            "shares",
            f"task {task.id} {_TEAM_FINAL[task.status]} the shares stay as recorded ({kept}), "
            f"and this change is not applied; {fix}",
        )


Overrides = dict[TaskId, tuple[list[MemberId], list[MemberId]]]
"""Leader overrides per task: (forced in, forced out), from the offers that count."""


@dataclass(frozen=True, slots=True)
class _Offer:
    """An offer that counts: its row, its member and the leader's override on it."""

    row: int
    member: Member
    override: str | None


def _read_volunteers(
    reading: Reading, members: Known[MemberId, Member], tasks: Known[TaskId, Task], now: datetime
) -> tuple[list[Volunteer], Overrides]:
    """The offers that count, and the leader overrides on them. An offer is refused (and said so)
    when its task does not take volunteers at that time, when its member is not active, or when
    the member already offered; a refused offer for an open task holds that task's selection."""
    found: list[Volunteer] = []
    offers: dict[TaskId, dict[MemberId, _Offer]] = {}
    task_named, member_named = ref(tasks, "task", "Tasks"), ref(members, "member", "Members")
    for r in reading.rows("volunteers"):
        task: Task | None = r.need("task", task_named)
        who: Member | None = r.need("member", member_named)
        at, assumed = _moment(r, "at", who)
        note = r.get("note", _TEXT) or ""
        override = r.get("override", _OVERRIDE)
        if ("override" in r.failed or assumed) and task is not None:
            r.hold({("task", task.id)}, {SELECTION})  # a leader's choice, or an offer's time, unknown
        if not r.usable or task is None or who is None or at is None:
            continue
        also = " (its Leader override is not applied either)" if override else ""
        closed = _not_taking(task, at, r.reading.pending.get(task.id))
        if closed:
            r.problem("task", closed + also, hold_row=False)
            continue
        earlier = offers.get(task.id, {}).get(who.id)
        if earlier is not None:
            r.problem(
                "member",
                f"{who.id} already volunteered for {task.id} on {r.table.tab.title} row {earlier.row}: "
                f"only that offer counts{also}; delete this row",
                hold_row=False,
            )
            continue
        inactive = _inactive(who, at, now) if task.status is TaskStatus.OPEN else ""
        if inactive:
            r.problem("member", f"{inactive}: this offer is not counted{also}", hold_row=False)
            r.hold({("task", task.id)}, {SELECTION})  # the selection keeps its last value
            continue
        offers.setdefault(task.id, {})[who.id] = _Offer(r.row.number, who, override)
        found.append(Volunteer(task.id, who.id, at, note))
    return found, _overrides(reading, tasks, offers)


def _a_status(status: TaskStatus) -> str:
    """A status as a sentence says it: "a draft", "assigned"."""
    return "a draft" if status is TaskStatus.DRAFT else status.value


def _not_taking(task: Task, at: datetime, pending: tuple[TaskStatus, str] | None = None) -> str:
    """Why ``task`` did not take an offer made ``at`` ("" if it did, or if that cannot be told).

    An offer counts while the task is open, and so does one made before it opened; an offer
    made after it stopped taking volunteers (assigned, cancelled), or for a task never opened,
    is not counted. ``pending``: a status typed for the task that is not applied (and what
    applies it), which the reason names rather than the status the task keeps."""
    if task.status is TaskStatus.OPEN:
        return ""
    if pending is not None:
        typed, remedy = pending
        counts = "it counts once it is" if typed is TaskStatus.OPEN else "delete this row"
        return (
            f"task {task.id}'s Status says {typed.value} but is not applied yet: {remedy}; until then "
            f"the task is {_a_status(task.status)} and this offer is not counted ({counts})"
        )
    if task.status is TaskStatus.DRAFT:
        return (
            f"task {task.id} is a draft and takes no volunteers yet: this offer is not counted; "
            "it counts once a leader opens the task (Status: open)"
        )
    closed = next((e for e in task.history if e.from_status is TaskStatus.OPEN), None)
    if closed is None:
        if (
            not task.history
            or task.history[0].from_status is not TaskStatus.DRAFT
            or any(e.to_status is TaskStatus.OPEN for e in task.history)
        ):
            # No record of when it closed, or of how it began (a memory rebuilt from its awards
            # starts at its acceptance): nothing to say.
            return ""
        return (
            f"task {task.id} was {task.status.value} without ever taking volunteers: this offer is "
            "not counted; delete this row"
        )
    if at <= closed.at:
        return ""  # an offer of its open days: history
    return (
        f"task {task.id} stopped taking volunteers on {day_said(closed.at)} (it is "
        f"{task.status.value}): this offer, made later, is not counted; delete this row"
    )


def _inactive(who: Member, at: datetime, now: datetime) -> str:
    """Why ``who`` cannot be chosen for an open task offered ``at`` ("" if they can, or while it
    cannot be read when they belong to the group: volunteering goes on as usual then)."""
    if not who.activity_known:
        return ""
    if (
        who.active
        and who.left_on is None
        and who.joined_on
        and who.joined_on + timedelta(days=2) <= at.date()
    ):
        return ""  # a member since before the offer, whatever their zone, who has not left
    for day in (who.local_date(at), who.local_date(now)):
        if not who.is_active_on(day):
            if not who.active:
                return f"{who.id} is not an active member (Members: Active)"
            if who.joined_on is not None and day < who.joined_on:
                return f"{who.id} joined the group on {day_said(who.joined_on)}, after offering"
            left = day_said(who.left_on) if who.left_on else "?"
            return f"{who.id} left the group on {left}"
    return ""


def _overrides(
    reading: Reading, tasks: Known[TaskId, Task], offers: dict[TaskId, dict[MemberId, _Offer]]
) -> Overrides:
    """The overrides of the offers that count. On an open task, forcing in more members than
    it takes is reported on each of those cells and holds the selection (it keeps its last
    value). On a task assigned since, an override its team contradicts is reported: it was not
    followed, and nothing is changed by it now."""
    table = reading.tables.get("volunteers")
    found: Overrides = {}
    if table is None:
        return found
    header = table.tab.column("override").header
    for task_id, by_member in offers.items():
        task = tasks[task_id]
        forced = [o for o in by_member.values() if o.override == "in"]
        if task.status is TaskStatus.OPEN:
            cap = task.max_volunteers
            if cap is not None and len(forced) > cap:
                reason = (
                    f"{len(forced)} members are forced in, but task {task.id} takes at most {cap} "
                    "(Tasks: Max volunteers): no selection is made from these overrides, and the last "
                    "one stays; force fewer members in, or raise Max volunteers"
                )
                for offer in forced:
                    reading.problems.append(Problem(table.tab.title, offer.row, header, reason))
                reading.holds.append(
                    Hold(
                        table.tab.title, forced[0].row, frozenset({("task", task.id)}), frozenset({SELECTION})
                    )
                )
            found[task_id] = (
                [o.member.id for o in forced],
                [o.member.id for o in by_member.values() if o.override == "out"],
            )
        elif task.status is not TaskStatus.CANCELLED and task.contributors:
            for offer in by_member.values():
                member = offer.member.id
                if (offer.override == "in") == (member in task.contributors) or offer.override is None:
                    continue
                what = (
                    "forced in, but the task was assigned without them"
                    if offer.override == "in"
                    else "left out, but the task was assigned to them"
                )
                reading.problems.append(
                    Problem(
                        table.tab.title,
                        offer.row,
                        header,
                        f"{member} is {what} (team: {'; '.join(task.contributors)}): the override was not "
                        f"followed and changes nothing now; clear it, or change the team on the Tasks tab",
                    )
                )
    return found


_POINTS = cells.remembered_reader(ledger_points)


def _override_of(value: Cell) -> str | None:
    found = cells.text(value).casefold()
    if found and found not in ("in", "out"):
        raise InvalidValue(
            f"{quote(found)} is not in or out",
            hint="in: choose them whatever the ranking; out: leave them out; empty: let the ranking decide",
        )
    return found or None


_OVERRIDE = cells.remembered_reader(_override_of)


# --- the ledger and disputes -------------------------------------------------------------------

_LEDGER_FIELDS = {
    "entry id": "id",
    "kind": "kind",
    "task": "task",
    "points": "points",
    "reason": "reason",
    "recorded by": "recorded_by",
    "recorded at": "recorded_at",
    "corrects": "corrects",
    "entry": "corrects",
}
"""A refusal of the ledger: its field -> the column to report it on."""


def _entry(
    r: RowReader,
    members: Known[MemberId, Member],
    projects: Known[ProjectId, Project],
    tasks: Known[TaskId, Task],
    remembered: set[TaskId],
    ledger: Ledger,
    disputes: Mapping[str, DisputeMemory],
    recall: Recall,
) -> LedgerEntry | None:
    """One Ledger row. A row braingain remembers is compared with what it recorded (:class:`_Recall`),
    which keeps counting; any other row is checked as a new entry."""
    recorded = recall.texts.get(EntryId(r.ident)) if recall.texts and not r.unnamed else None
    mark = len(r.reading.problems)
    kind = r.need("kind", _ENTRY_KIND)
    who: Member | None = r.need("member", ref(members, "member", "Members"))
    project: Project | None = r.need("project", ref(projects, "project", "Projects"))
    task = r.get("task", _TASK_ID)
    amount = r.need("points", _POINTS)
    reason = r.need("reason", _REQUIRED_TEXT)
    by: Member | None = r.need("recorded_by", ref(members, "member", "Members"))
    at, _ = _moment(r, "recorded_at", by)
    corrects = r.get("corrects", _ENTRY_ID)
    if (
        not r.usable
        or kind is None
        or who is None
        or project is None
        or amount is None
        or reason is None
        or by is None
        or at is None
    ):
        return recall.differs(r, recorded, mark, None) if recorded is not None else None
    if task is not None and task not in tasks and task not in tasks.held and task not in r.reading.statuses:
        r.problem("task", f"{quote(task)} is not a task (use an ID from the Tasks tab)")
        return recall.differs(r, recorded, mark, None) if recorded is not None else None
    held_task = task is not None and (task in tasks.held or (task not in tasks and task in remembered))
    entry = LedgerEntry(
        id=EntryId(r.ident),
        kind=kind,
        member_id=who.id,
        project_id=project.id,
        task_id=task,
        points=amount,
        reason=reason,
        recorded_by=by.id,
        recorded_at=at,
        corrects=corrects,
    )
    if recorded is not None:
        return recall.differs(r, recorded, mark, entry)
    if recall.renamed_from(r, entry):
        return None
    if kind is EntryKind.AWARD and not held_task:
        awarded = tasks.get(task) if task else None
        if awarded is None or awarded.status is not TaskStatus.ACCEPTED:
            r.problem("task", "an award must name an accepted task")
            return None
        shares = award_points(awarded, by=by)
        if shares.get(who.id) != entry.points:
            r.problem("points", "does not match the task's split; record a correction as an adjustment")
            return None
    elif kind is not EntryKind.AWARD and not by.is_leader:
        r.problem("recorded_by", f"{by.name} is not a leader; only leaders adjust points")
        return None
    settled = disputes.get(r.ident.removeprefix("dispute:")) if r.ident.startswith("dispute:") else None
    if settled is not None and settled.adjustment is not None:
        pairs = (("member", who.id, settled.member), ("points", amount, settled.adjustment))
        edited = [(key, now, then) for key, now, then in pairs if now != then]
        for key, now, then in edited:
            r.problem(
                key,
                f"this entry recorded the resolution of {r.ident.replace(':', ' ', 1)}, with "
                f"{quote(str(then))}: the Ledger is append-only, so {quote(str(now))} is not applied; "
                f"put {quote(str(then))} back, and record any correction as a new entry",
            )
        if edited:
            return None

    def append() -> LedgerEntry:
        ledger.append(entry)
        return entry

    return recall.accepted(r, r.build(append, _LEDGER_FIELDS))


_DISPUTE_FIELDS = {
    "dispute id": "id",
    "reason": "reason",
    "about": "entry",
    "entry": "entry",
    "project": "task",
    "raised at": "raised_at",
    "status": "decision",
    "resolved by": "resolved_by",
    "resolved at": "raised_at",
    "withdrawn by": "member",
    "withdrawn at": "raised_at",
    "note": "resolution",
    "amount": "adjustment",
    "points": "adjustment",
    "recorded by": "resolved_by",
    "entry id": "id",
    "corrects": "entry",
    "task": "task",
    "kind": "decision",
}
"""A refusal of a dispute or its resolution: its field -> the column to report it on."""


def _dispute(
    r: RowReader,
    members: Known[MemberId, Member],
    ledger: Ledger,
    entries: Known[str, LedgerEntry],
    tasks: Known[TaskId, Task],
    new_entries: list[LedgerEntry],
    on_sheet: set[str],
    state: State,
    resolved: dict[str, DisputeMemory],
) -> Dispute | None:
    who: Member | None = r.need("member", ref(members, "member", "Members"))
    entry: LedgerEntry | None = r.get("entry", ref(entries, "ledger entry", "Ledger"))
    task: Task | None = r.get("task", ref(tasks, "task", "Tasks"))
    reason = r.need("reason", _REQUIRED_TEXT)
    raised, _ = _moment(r, "raised_at", who)
    decision = r.get("decision", _DISPUTE_STATUS) or DisputeStatus.OPEN
    amount = r.get("adjustment", _POINTS_VALUE)
    resolver: Member | None = r.get("resolved_by", ref(members, "member", "Members"))
    note = r.get("resolution", _TEXT) or ""
    if not r.usable or who is None or reason is None or raised is None:
        return None
    typed: dict[str, str | Decimal | None] = {
        "member": who.id,
        "entry": entry.id if entry is not None else None,
        "task": task.id if task is not None else None,
        "reason": clean_text(reason),
        "decision": decision.value,
        "resolved_by": resolver.id if resolver is not None else None,
        "adjustment": amount,
    }
    recorded = _recorded(r, state.disputes.get(r.ident), ledger, typed)
    if recorded:  # a settled resolution: what was recorded keeps counting
        who = _kept(r, "member", members, recorded, who)
        entry = _kept(r, "entry", entries, recorded, entry)
        task = _kept(r, "task", tasks, recorded, task)
        resolver = _kept(r, "resolved_by", members, recorded, resolver)
        reason = str(recorded.get("reason", reason))
        decision = DisputeStatus(recorded.get("decision", decision.value))
        kept = recorded.get("adjustment", amount)
        amount = kept if isinstance(kept, Decimal) or kept is None else amount
        if not r.usable or who is None:
            return None
    dispute = r.build(
        lambda: raise_dispute(
            id=r.ident, member=who, ledger=ledger, reason=reason, at=raised,
            entry=entry.id if entry is not None else None,
            task=task.id if task is not None else None,
            project=task.project_id if task is not None and entry is None else None,
        ),
        _DISPUTE_FIELDS,
    )  # fmt: skip
    if dispute is None or decision is DisputeStatus.OPEN:
        return dispute
    if not recorded and _unclear(r, decision, amount, resolver):
        return dispute  # it stays open until its cells agree
    result = _resolve(r, dispute, decision, amount, resolver, note, raised, ledger, new_entries, on_sheet)
    if result is not None and r.usable:
        memory = _resolution(result, ledger, new_entries)
        if memory is not None:
            resolved[r.ident] = memory
    return result


def _recorded(
    r: RowReader,
    memory: DisputeMemory | None,
    ledger: Ledger,
    typed: Mapping[str, str | Decimal | None],
) -> dict[str, str | Decimal | None]:
    """The cells of a resolved dispute that were typed differently from its recorded resolution
    (each reported), by column key, with the recorded value; empty when nothing was changed or
    nothing is recorded. The Ledger entry a resolution appended (``dispute:<id>``) records its
    member, resolver and adjustment; braingain's memory records the rest."""
    recorded: dict[str, str | Decimal | None] = dict(memory.cells()) if memory is not None else {}
    entry_id = f"dispute:{r.ident}"
    on_ledger = _on_ledger(ledger, entry_id)
    if on_ledger is not None:
        recorded |= {
            "decision": DisputeStatus.ADJUSTED.value,
            "member": on_ledger.member_id,
            "resolved_by": on_ledger.recorded_by,
            "adjustment": on_ledger.points,
        }
    if not recorded:
        return {}
    by = recorded.get("resolved_by")
    settled = (
        str(recorded["decision"])
        + (f" by {recorded['adjustment']}" if recorded.get("adjustment") is not None else "")
        + (f", by {by}" if by else "")
    )
    where = f" (on the Ledger as {entry_id})" if on_ledger is not None else ""
    changed = {k: v for k, v in recorded.items() if typed[k] != v}
    for key, then in changed.items():
        header = r.table.tab.column(key).header
        r.note(
            key,
            f"dispute {r.ident} was resolved ({settled}) and braingain recorded it{where}, with {header} "
            f"{_shown(then)}: that keeps counting, and {_shown(typed[key])} is not applied. A resolved "
            f"dispute is not edited: {'clear it' if then is None else f'put {_shown(then)} back'}; if "
            "there is more to settle, raise a new dispute on a new row, or a leader records a correcting "
            "entry on the Ledger",
        )
    return changed


def _on_ledger(ledger: Ledger, ident: str) -> LedgerEntry | None:
    try:
        return ledger.get(EntryId(ident))
    except UnknownReference:
        return None


def _shown(value: object) -> str:
    return "empty" if value is None or value == "" else quote(str(value))


def _kept(
    r: RowReader, key: str, known: Known[Any, T], recorded: Mapping[str, object], typed: T | None
) -> T | None:
    """The row of ``known`` a resolved dispute's cell recorded (``typed`` when it was not changed);
    while that row is held, the dispute waits with it."""
    if key not in recorded:
        return typed
    ident = recorded[key]
    if ident is None:
        return None
    if ident in known:
        return known[ident]
    where = known.held.get(str(ident))
    r.problem(
        key,
        f"held: waits for {where} ({ident}, recorded with this dispute's resolution), which has a problem "
        "of its own"
        if where
        else f"{quote(str(ident))}, recorded with this dispute's resolution, can no longer be found",
        hold_row=True,
    )
    return None


def _unclear(r: RowReader, decision: DisputeStatus, amount: Decimal | None, resolver: Member | None) -> bool:
    """Whether a resolution's cells contradict each other (an adjustment on an upheld or withdrawn
    dispute, a resolver on a withdrawn one): then it is reported, and not recorded yet."""
    if amount is not None and decision is not DisputeStatus.ADJUSTED:
        r.problem(
            "adjustment",
            f"the dispute is marked {decision.value}, which changes no points, yet an adjustment is given: "
            "it stays open until they agree; clear the adjustment, or choose 'adjusted'",
            hold_row=False,
        )
        return True
    if resolver is not None and decision is DisputeStatus.WITHDRAWN:
        r.problem(
            "resolved_by",
            "the dispute is marked withdrawn (by its member), yet a leader resolved it: it stays open until "
            "they agree; clear Resolved by, or choose 'upheld' or 'adjusted'",
            hold_row=False,
        )
        return True
    return False


def _resolution(dispute: Dispute, ledger: Ledger, new_entries: list[LedgerEntry]) -> DisputeMemory | None:
    """What braingain records of a resolution it has just read; ``None`` while an adjustment is not
    on the Ledger and not being added (its entry has a problem of its own)."""
    if dispute.status is not DisputeStatus.ADJUSTED:
        return DisputeMemory.of(dispute, None)
    entry_id = EntryId(f"dispute:{dispute.id}")
    entry = next((e for e in new_entries if e.id == entry_id), None) or _on_ledger(ledger, entry_id)
    return DisputeMemory.of(dispute, entry.points) if entry is not None else None


def _resolve(
    r: RowReader,
    dispute: Dispute,
    decision: DisputeStatus,
    amount: Decimal | None,
    resolver: Member | None,
    note: str,
    raised: datetime,
    ledger: Ledger,
    new_entries: list[LedgerEntry],
    on_sheet: set[str],
) -> Dispute | None:
    if decision is DisputeStatus.WITHDRAWN:
        event = DisputeEvent(raised, dispute.member_id, "withdrawn", note)
        return replace(dispute, status=decision, trail=(*dispute.trail, event))
    if resolver is None:
        r.problem("resolved_by", f"a dispute marked {decision.value} needs the leader who resolved it")
        return None
    existing = f"dispute:{dispute.id}"
    if decision is DisputeStatus.ADJUSTED:
        if amount is None:
            r.problem("adjustment", "an adjusted dispute needs the points to add (or subtract)")
            return None
        if existing in on_sheet and not ledger.has(EntryId(existing)):
            # Its ledger row is there but has a problem of its own (reported there): never append it again.
            return replace(dispute, status=decision)
        if ledger.has(EntryId(existing)):
            entry = ledger.get(EntryId(existing))
            event = DisputeEvent(entry.recorded_at, resolver.id, f"adjusted by {entry.points}", note)
            return replace(dispute, status=decision, trail=(*dispute.trail, event), resolution_entry=entry.id)
        adjusted = r.build(
            lambda: dispute.adjust(ledger=ledger, amount=amount, by=resolver, at=raised, note=note),
            _DISPUTE_FIELDS,
        )
        if adjusted is None:
            return None
        new_entries.append(adjusted[1])
        return adjusted[0]
    return r.build(lambda: dispute.uphold(by=resolver, at=raised, note=note), _DISPUTE_FIELDS)


# --- outputs -------------------------------------------------------------------------------------

_CRITERION = {"1": Criterion.DESIGN_ACQUISITION_ANALYSIS, "2": Criterion.DRAFTING_OR_REVISION}

_OUTPUT_FIELDS = {
    "output id": "id",
    "output title": "title",
    "stage": "stages",
    "criterion": "evidence",
    "note": "evidence",
}
"""A refusal of ``Output.create`` or of leader evidence: its field -> the column to report it on."""

_OUTPUT_UNKNOWN = {
    "status": "status",
    "status_on": "status_on",
    "venue": "venue",
    "identifier": "identifier",
    "apc_waiver": "apc_waiver",
    "corresponding": "corresponding",
}
"""An Outputs column of the output's record that can be lost -> the output's field then unknown.
These never hold the row: the authorship does not depend on them."""


def _read_outputs(
    reading: Reading, members: Known[MemberId, Member], projects: Known[ProjectId, Project], now: datetime
) -> tuple[list[Output], list[Confirmation], list[LeaderEvidence]]:
    outputs: list[Output] = []
    confirmations: list[Confirmation] = []
    evidence: list[LeaderEvidence] = []
    for r in reading.rows("outputs"):
        found = _output(r, members, projects)
        if found is None:
            continue
        output, approving, owning, recorded = found
        outputs.append(output)
        evidence.extend(recorded)
        confirmations.extend(
            Confirmation(who, OutputId(output.id), who in approving, who in owning, now)
            for who in sorted(approving | owning)
        )
    return outputs, confirmations, evidence


def _output(
    r: RowReader, members: Known[MemberId, Member], projects: Known[ProjectId, Project]
) -> tuple[Output, set[MemberId], set[MemberId], list[LeaderEvidence]] | None:
    project: Project | None = r.need("project", ref(projects, "project", "Projects"))
    kind = r.need("kind", _OUTPUT_KIND)
    title = r.need("title", _REQUIRED_TEXT)
    stages = r.get("stages", lambda v: cells.items(v) or None)
    approved = r.listed("approved", members, "member", "Members")
    accountable = r.listed("accountable", members, "member", "Members")
    notes = r.get("evidence", lambda v: cells.longtext(v).strip() or None) or ""
    status = r.get("status", _OUTPUT_STATUS)
    status_on = r.get("status_on", _DATE)
    venue = r.get("venue", _OPTIONAL_TEXT)
    identifier = r.get("identifier", _OPTIONAL_TEXT)
    waiver = r.get("apc_waiver", _APC_WAIVER)
    corresponding: Member | None = r.get("corresponding", ref(members, "member", "Members"))
    recorded: list[LeaderEvidence] = []
    for line in (line.strip() for line in notes.splitlines()):
        if line:
            found = _evidence(r, line, members)
            if found is not None:
                recorded.append(found)
    if not r.usable or project is None or kind is None or title is None:
        return None
    output = r.build(
        lambda: Output.create(
            id=r.ident,
            project=project,
            kind=kind,
            title=title,
            stages=stages,
            status=r.ok("status", status) or OutputStatus.IN_PROGRESS,
            status_on=r.ok("status_on", status_on),
            venue=r.ok("venue", venue),
            identifier=r.ok("identifier", identifier),
            apc_waiver=r.ok("apc_waiver", waiver),
            corresponding=corresponding.id if corresponding is not None else None,
            unknown={_OUTPUT_UNKNOWN[k] for k in r.failed if k in _OUTPUT_UNKNOWN},
        ),
        _OUTPUT_FIELDS,
    )
    if output is None:
        return None
    return output, {m.id for m in approved.found}, {m.id for m in accountable.found}, recorded


def _evidence(r: RowReader, line: str, members: Known[MemberId, Member]) -> LeaderEvidence | None:
    """One line of leader evidence ("member; 1 or 2; what they did; leader"), or ``None`` (reported)."""
    parts = [p.strip() for p in line.split(";")]
    if len(parts) != 4 or parts[1] not in _CRITERION or parts[0] not in members or parts[3] not in members:
        waits = next((members.held[p] for p in (parts[0], parts[-1]) if p in members.held), None)
        r.problem(
            "evidence",
            f"{quote(line)}: held: waits for {waits}, which has a problem of its own"
            if waits and len(parts) == 4
            else f"{quote(line)} is not 'member; 1 or 2; what they did; leader'",
        )
        return None
    who, criterion, what, leader = MemberId(parts[0]), _CRITERION[parts[1]], parts[2], MemberId(parts[3])
    if not members[leader].is_leader:
        r.problem("evidence", f"{leader} is not a leader; evidence is recorded by leaders")
        return None
    return r.build(lambda: LeaderEvidence(who, OutputId(r.ident), criterion, what, leader), _OUTPUT_FIELDS)


# --- meetings ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ref:
    """A row that names a meeting of the series, checked once the series' meetings are known."""

    kind: str
    """What names it: "meeting" (a Meetings row), "agenda" or "action"."""
    tab: str
    row: int
    column: str
    meeting: str
    planned: date
    added: datetime | None = None
    """When an agenda item was added."""


def _read_meetings(
    reading: Reading,
    series: MeetingSeries | None,
    members: Known[MemberId, Member],
    projects: Known[ProjectId, Project],
) -> tuple[list[MeetingRecord], list[Override], list[_Ref]]:
    records: dict[str, MeetingRecord] = {}
    overrides: list[Override] = []
    refs: list[_Ref] = []
    if series is None:
        for key in ("meetings", "agenda", "actions"):
            table = reading.tables.get(key)
            if table is not None and table.rows:
                reading.problems.append(
                    Problem(table.tab.title, 0, "", "no meeting slot is configured, so meetings are not read")
                )
        return [], [], []
    seen: dict[str, int] = {}
    for r in reading.rows("meetings"):
        planned = _meeting(r, series, members, records, overrides, seen)
        about: Project | None = r.get("project", ref(projects, "project", "Projects"))
        if planned is not None and about is not None:
            meeting_key = series.meeting_id(planned)
            records[meeting_key] = replace(
                records.get(meeting_key) or MeetingRecord(meeting_key), project=about.id
            )
        if planned is not None:
            refs.append(
                _Ref(
                    "meeting",
                    r.table.tab.title,
                    r.row.number,
                    r.table.tab.column("id").header,
                    series.meeting_id(planned),
                    planned,
                )
            )

    def meeting_of(value: Cell) -> str | None:
        """The meeting a cell names, as braingain's ID (a date typed as a date names its meeting)."""
        if isinstance(value, date) and (not isinstance(value, datetime) or value.time() == time()):
            return series.meeting_id(value.date() if isinstance(value, datetime) else value)
        found = cells.text(value)
        return series.key_of(found) if found else None

    def named(kind: str, r: RowReader, meeting: str, added: datetime | None = None) -> None:
        header = r.table.tab.column("meeting").header
        planned = series.planned_of(meeting)
        refs.append(_Ref(kind, r.table.tab.title, r.row.number, header, meeting, planned, added))

    for r in reading.rows("agenda"):
        meeting = r.need("meeting", meeting_of)
        item = r.need("item", _REQUIRED_TEXT)
        who: Member | None = r.need("added_by", ref(members, "member", "Members"))
        at, _ = _moment(r, "added_at", who)
        if not r.usable or meeting is None or item is None or who is None or at is None:
            continue
        named("agenda", r, meeting, at)
        record = records.get(meeting) or MeetingRecord(meeting)
        records[meeting] = replace(record, agenda=(*record.agenda, AgendaItem(item, who.id, at)))
    for r in reading.rows("actions"):
        action = _action(r, meeting_of, members)
        if action is not None:
            named("action", r, action.meeting_id)
            record = records.get(action.meeting_id) or MeetingRecord(action.meeting_id)
            records[action.meeting_id] = replace(record, actions=(*record.actions, action))
    return list(records.values()), overrides, refs


_UNPLANNED = {
    "meeting": "what this row says is not applied; braingain adds each meeting to this tab with its ID "
    "(a moved meeting keeps its ID and gets its new time in Moved to)",
    "agenda": "this item is on no meeting's agenda; name a meeting from the Meetings tab",
    "action": "this action belongs to no meeting, so no digest lists it; name the meeting it was agreed at, "
    "from the Meetings tab",
}
"""What a row naming a date the series plans no meeting on misses, by what the row is."""


def _check_meetings(
    reading: Reading, group: Group, refs: list[_Ref], waits: Waits, now: datetime, horizon: date
) -> None:
    """Report each row that names a meeting the series does not hold as it says: a Meetings row, an
    agenda item or an action item for a date the series plans no meeting on; an agenda item for a
    cancelled meeting, or added after its meeting started; an action item of a cancelled meeting.
    A meeting whose start waits (its row cannot be read) is not judged, nor a date beyond the
    announced ones while the cadence waits."""
    series = group.series
    if series is None or not refs:
        return
    planned = {o.id: o for o in group.meetings(min(max(n.planned for n in refs), horizon))}
    rows = meeting_rows(reading.tables.get("meetings"), series)
    fixed = max(series.scheduled, default=series.first)
    unsure = (SCHEDULE, "") in waits.certain

    def later() -> str:
        upcoming = group.next_meeting(now)
        return (
            f"the next meeting ({day_said(upcoming.planned)})" if upcoming is not None else "the next meeting"
        )

    for named in refs:
        found = planned.get(named.meeting)
        reason = ""
        if found is None:
            if unsure and named.planned > fixed:
                continue  # which dates the series plans waits for what sets its cadence
            beyond = f" (meetings are planned up to {day_said(horizon)})" if named.planned > horizon else ""
            reason = (
                f"no meeting of the series {quote(series.id)} is planned on {day_said(named.planned)}"
                f"{beyond}: {_UNPLANNED[named.kind]}"
            )
        elif any((MEETING, rows.get(named.meeting)) in held for held in (waits.certain, waits.unsure)):
            continue  # when it starts cannot be known yet
        elif named.kind == "agenda" and found.status is MeetingStatus.CANCELLED:
            reason = (
                f"the meeting of {day_said(named.planned)} is cancelled, so this item is on no agenda; "
                f"move it to {later()}"
            )
        elif named.kind == "agenda" and named.added is not None and named.added >= found.start:
            start = moment_said(found.start, series.slot.zone)
            reason = (
                f"the meeting of {day_said(named.planned)} started at {start}, before this item was added, "
                f"so it was on no agenda; move it to {later()}"
            )
        elif named.kind == "action" and found.status is MeetingStatus.CANCELLED:
            reason = (
                f"the meeting of {day_said(named.planned)} was cancelled, and an action is agreed at a "
                "meeting that took place; name the meeting it was agreed at"
            )
        if reason:
            reading.problems.append(Problem(named.tab, named.row, named.column, reason))


def _action(
    r: RowReader, meeting_of: Callable[[Cell], str | None], members: Known[MemberId, Member]
) -> ActionItem | None:
    meeting = r.need("meeting", meeting_of)
    title = r.need("title", _REQUIRED_TEXT)
    owner: Member | None = r.need("owner", ref(members, "member", "Members"))
    due = r.get("due", _DATE)
    status = r.need("status", _ACTION_STATUS)
    if not r.usable or meeting is None or title is None or owner is None or status is None:
        return None
    return r.build(
        lambda: ActionItem(check_id(r.ident, "action id"), meeting, title, owner.id, due, status),
        {"action id": "id"},
    )


_MOVES = ("status", "moved_to", "note")
_MINUTES = ("minutes", "decisions", "recorded_by")
_PRESENCE = {"present": Presence.PRESENT, "absent": Presence.ABSENT, "excused": Presence.EXCUSED}


def _meeting(
    r: RowReader,
    series: MeetingSeries,
    members: Known[MemberId, Member],
    records: dict[str, MeetingRecord],
    overrides: list[Override],
    seen: dict[str, int],
) -> date | None:
    """One Meetings row: a move or cancellation, and the minutes with who attended. A bad move cell
    holds when the meeting starts; a bad minutes cell holds the attendance of everyone it names.
    The row's ID is its meeting's date (``2027-01-16``; ``monthly:2027-01-16`` in a tracker made
    before); a second row for the same meeting is held. ``seen``: the rows read so far by
    meeting. Returns the meeting's planned date (``None`` when the row is held)."""
    ident = r.ident
    planned = r.build(lambda: series.planned_of(ident), {}) if r.usable else None
    status = r.get("status", _MEETING_STATUS)
    moved_to = r.get("moved_to", lambda v: cells.datetime_value(v, series.slot.zone))
    note = r.get("note", _TEXT) or ""
    minutes = r.get("minutes", lambda v: cells.longtext(v).strip() or None)
    decisions = r.get("decisions", lambda v: [d.strip() for d in cells.longtext(v).splitlines() if d.strip()])
    lists = {key: r.listed(key, members, "member", "Members") for key in _PRESENCE}
    by: Member | None = r.get("recorded_by", ref(members, "member", "Members"))
    if not r.usable or planned is None:
        return None
    meeting_key = series.meeting_id(planned)
    if meeting_key in seen:
        r.problem(
            "id",
            f"names the same meeting ({day_said(planned)}) as row {seen[meeting_key]}, so it is not read; "
            "keep one row for each meeting (move what this row says to that one, then delete it)",
            hold_row=True,
        )
        return None
    seen[meeting_key] = r.row.number
    who = by.id if by else MemberId("unknown")
    if any(k in r.failed for k in _MOVES):
        r.hold({("meeting", ident)}, {MEETING})  # when it starts cannot be known yet
    elif status is MeetingStatus.MOVED:
        if moved_to is None:
            r.problem("moved_to", "a moved meeting needs its new date and time", hold_row=False)
            r.hold({("meeting", ident)}, {MEETING})
        else:
            overrides.append(Override(planned, moved_to, note, who))
    else:
        if status is MeetingStatus.CANCELLED:
            overrides.append(Override(planned, None, note, who))
        if moved_to is not None:
            # (said without scheduled or held: the sync itself turns the one into the other, and
            # a problem it words differently the next time would be written again)
            now_said = "cancelled" if status is MeetingStatus.CANCELLED else "not marked moved"
            r.note(
                "moved_to",
                f"is given, but the meeting is {now_said}, so it is not moved; set Status to moved "
                "(or clear Moved to)",
            )
    named = {("member", i) for key in _PRESENCE for i in _typed(r, key)}
    imported = r.has("attendance_from") and import_applied(r.raw("attendance_from"))
    if not minutes and "minutes" not in r.failed and imported and status is not MeetingStatus.CANCELLED:
        # Attendance a platform reported (Zoom) counts without minutes: nobody has to write them for it.
        record = _count_attendance(
            r, lists, named, members, lambda seen: MeetingRecord(meeting_key, attendance=seen)
        )
        if record is not None:
            records[meeting_key] = record
        return planned
    if not minutes and "minutes" not in r.failed:
        # Excused alone is how members excuse themselves ahead of a meeting (braingain's Slack app
        # writes it too): nothing is counted from it until the minutes are written, and it waits for them.
        excused_only = not decisions and not any(_typed(r, k) for k in _PRESENCE if k != "excused")
        if (named or decisions) and not excused_only:
            r.note(
                "minutes",
                "is empty, so the attendance and decisions given are not counted; write the minutes "
                "(a line will do)",
            )
            r.hold(named, {SELECTION})  # the selections weighing their attendance keep their value
        return planned
    if status is MeetingStatus.CANCELLED and "status" not in r.failed:
        r.note(
            "minutes",
            "are given, but the meeting is cancelled, so its attendance is not counted; if it took "
            "place, set Status to held (or moved)",
        )
        r.hold(named, {SELECTION})
    if (by is None or not by.is_leader) and "recorded_by" not in r.failed:
        r.problem("recorded_by", "minutes are recorded by a leader: name them in Minutes by")
    if any(k in r.failed for k in _MINUTES) or by is None or not by.is_leader or minutes is None:
        r.hold(named, {SELECTION})  # this meeting's attendance cannot be counted yet
        return planned
    record = _count_attendance(
        r,
        lists,
        named,
        members,
        lambda seen: MeetingRecord(meeting_key).record_minutes(
            minutes=minutes, decisions=decisions or (), attendance=seen, by=by
        ),
    )
    if record is not None:
        records[meeting_key] = record
    return planned


def _count_attendance(
    r: RowReader,
    lists: Mapping[str, Listed],
    named: set[Name],
    members: Known[MemberId, Member],
    make: Callable[[dict[MemberId, Presence]], MeetingRecord],
) -> MeetingRecord | None:
    """A Meetings row's record, made by ``make`` from who is Present, Absent and Excused; whose
    attendance cannot be read waits (``None`` when the record cannot be made: said on Minutes)."""
    attendance: dict[MemberId, Presence] = {}
    for key, presence in _PRESENCE.items():
        attendance |= {m.id: presence for m in lists[key].found}
    unsure = {("member", i) for listed in lists.values() for i in listed.held}
    if any(listed.unknown for listed in lists.values()):
        # A name that cannot be read could be anyone not listed: their attendance waits.
        listed_ids = {i for _, i in named}
        unsure |= {("member", m) for m in members if m not in listed_ids}
    r.hold(unsure, {SELECTION})
    try:
        return make(attendance)
    except DomainError as error:
        r.problem("minutes", error.explained, hold_row=False)
        r.hold(named, {SELECTION})
        return None


def _typed(r: RowReader, key: str) -> list[str]:
    """The items typed in a list cell, readable or not."""
    return split_list(as_text(r.raw(key))) if r.has(key) else []


def _parse_milestones(text: str) -> tuple[Milestone, ...]:
    found = []
    for line in text.splitlines():
        line = clean_text(line)  # a no-break space after the date is a space
        if not line:
            continue
        day_text, _, rest = line.partition(" ")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise InvalidValue(
                f"{quote(line)} does not start with a date", hint="one per line: YYYY-MM-DD name [stage]"
            ) from None
        stage = None
        rest = rest.strip()
        if rest.endswith("]") and "[" in rest:
            rest, _, tail = rest.rpartition("[")
            stage = tail[:-1].strip()
            rest = rest.strip()
        if not rest:
            raise InvalidValue(f"{quote(line)} has no name", hint="one per line: YYYY-MM-DD name [stage]")
        found.append(Milestone(rest, day, stage))
    return tuple(found)


def _parse_stages(text: str) -> tuple[Stage, ...]:
    stages = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        key, sep, name = part.partition(":")
        if not sep:
            raise InvalidValue(
                f"{quote(part.strip())} is not key: name", hint="e.g. design: Design the workshop"
            )
        stages.append(Stage.create(key.strip(), name.strip()))
    return tuple(stages)


_ICMJE = {"1": Icmje.DESIGN_ACQUISITION_ANALYSIS, "2": Icmje.DRAFTING_OR_REVISION, "none": Icmje.NONE}


def _icmje_of(value: Cell) -> Icmje | None:
    found = cells.text(value).casefold()
    if not found:
        return None
    if found not in _ICMJE:
        raise InvalidValue(
            f"{quote(found)} is not 1, 2 or none", hint="1: design/acquisition/analysis; 2: drafting"
        )
    return _ICMJE[found]


_ICMJE_READ = cells.remembered_reader(_icmje_of)


def _shares(value: Cell) -> dict[MemberId, Decimal] | None:
    """``ada.obiora 2; efe.ighodalo 1.5``: members separated by semicolons or new lines (or, when
    there are none, by commas), each with a weight; a weight is read as every number is."""
    typed = cells.longtext(value)
    if not typed.strip():
        return None  # most tasks split equally
    parts = (
        [text for text in (cells.text(p) for p in re.split(r"[;\n]", typed)) if text]
        if re.search(r"[;\n]", typed)
        else cells.items(value)
    )
    found: dict[MemberId, Decimal] = {}
    for part in parts:
        who, _, weight = part.rpartition(" ")
        if not who:
            comma = "; a comma separates members, so write decimals with a dot (1.5)" if "," in typed else ""
            raise InvalidValue(
                f"{quote(part)} is not 'member share'", hint=f"e.g. ada.obiora 2; efe.ighodalo 1{comma}"
            )
        found[MemberId(who.strip())] = cells.number(weight) or Decimal(0)
    return found or None


def _path(start: TaskStatus, goal: TaskStatus, allowed: set[Actor]) -> list[TaskStatus] | None:
    """The shortest chain of transitions from ``start`` to ``goal`` that ``allowed`` may make."""
    frontier: list[list[TaskStatus]] = [[start]]
    seen = {start}
    while frontier:
        path = frontier.pop(0)
        for (frm, to), who in TRANSITIONS.items():
            if frm is not path[-1] or to in seen or not who & allowed:
                continue
            if to is goal:
                return [*path[1:], to]
            seen.add(to)
            frontier.append([*path, to])
    return None


def advance(
    task: Task, goal: TaskStatus, actor: Member, now: datetime, note: str, contributors: tuple[MemberId, ...],
    head: MemberId | None,
) -> Task:  # fmt: skip
    """Move ``task`` to ``goal`` by ``actor``, step by step through the lifecycle, as a sync applies a
    Status typed on the Tasks tab (``note``: its Review note; ``contributors`` and ``head``: its
    team as typed). Raises the lifecycle's :class:`~braingain.core.errors.DomainError` (who may
    make the step, a rework without a note, a leader accepting their own work, ...)."""
    allowed = {Actor.LEADER} if actor.is_leader else set()
    if actor.id == (head or task.head):
        allowed.add(Actor.HEAD)
    steps = _path(task.status, goal, allowed)
    if steps is None:
        task.check_transition(goal, actor)  # raises with the allowed transitions and who may make them
        raise InvalidValue(f"cannot reach '{goal.value}'")  # pragma: no cover - check_transition raises
    for step in steps:
        if step is TaskStatus.OPEN:
            task = task.open(by=actor, at=now)
        elif step is TaskStatus.ASSIGNED:
            if not contributors or head is None:
                raise InvalidValue(
                    "an assigned task needs its contributors and its mini-team head",
                    hint="fill in Contributors and Mini-team head",
                )
            task = task.assign(contributors, head=head, by=actor, at=now)
        elif step is TaskStatus.ACCEPTED:
            task = task.accept(by=actor, at=now, note=note)
        elif step is TaskStatus.NEEDS_REWORK:
            task = task.request_rework(by=actor, at=now, note=note)
        elif step is TaskStatus.SUBMITTED:
            task = task.submit(by=actor, at=now, note=note)
        elif step is TaskStatus.CANCELLED:
            task = task.cancel(by=actor, at=now, note=note)
        elif task.status is TaskStatus.NEEDS_REWORK:
            task = task.resume(by=actor, at=now)
        else:
            task = task.start_work(by=actor, at=now)
    return task


def _reassign(task: Task, contributors: tuple[MemberId, ...], head: MemberId | None) -> Task:
    """A leader edited the team of an assigned task: check the cap and the head, keep the history."""
    if task.max_volunteers is not None and len(contributors) > task.max_volunteers:
        raise InvalidValue(
            f"{len(contributors)} contributors, but the task takes at most {task.max_volunteers}",
            hint="remove contributors or raise Max volunteers",
        )
    if head is None or head not in contributors:
        raise InvalidValue("the mini-team head must be one of the contributors", hint="fix Mini-team head")
    return replace(task, contributors=contributors, head=head, shares=())
