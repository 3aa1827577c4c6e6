"""The authorship ledger: an append-only record of every point awarded or corrected.

Points reach the ledger in three ways, each an entry with who, when and why:

* **award**: when a leader accepts a task, its points are split among its contributors;
* **adjustment**: a leader's manual correction (positive or negative), with a reason;
* **dispute resolution**: the correction a leader makes when resolving a dispute.

Nothing is ever edited or removed: a correction is a new entry that refers to the
one it corrects. Replaying the entries always gives the same standings.

An entry holds two-place points, as the Ledger tab does. An award also stands for an
exact part of its task (:func:`braingain.core.authorship.points.exact_split`), which the task
itself still says (its points, contributors and shares): :func:`rounding_rests` recovers
it, so that members who shared a task equally compare equal whoever got the odd cent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import TypeVar

from braingain.core.authorship.points import ZERO, Tally, points, whole_weights
from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.errors import InvalidValue, LedgerViolation, NotPermitted, UnknownReference, quote
from braingain.core.ids import EntryId, MemberId, ProjectId, TaskId, entry_id
from braingain.core.members import Member
from braingain.core.parsing import clean_text, require_aware

K = TypeVar("K")


class EntryKind(Enum):
    AWARD = "award"
    ADJUSTMENT = "adjustment"
    DISPUTE_RESOLUTION = "dispute resolution"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: EntryId
    kind: EntryKind
    member_id: MemberId
    project_id: ProjectId
    task_id: TaskId | None
    points: Decimal
    reason: str
    recorded_by: MemberId
    recorded_at: datetime
    corrects: EntryId | None = None


def award_entries(task: Task, *, by: Member) -> list[LedgerEntry]:
    """The award entries for an accepted task: its points split among its contributors.

    Raises as :func:`award_points`."""
    parts = award_points(task, by=by)
    accepted_at = task.accepted_at
    assert accepted_at is not None  # award_points refuses a task that was never accepted
    return [
        LedgerEntry(
            id=EntryId(f"award:{task.id}:{member}"),
            kind=EntryKind.AWARD,
            member_id=member,
            project_id=task.project_id,
            task_id=task.id,
            points=part,
            reason=f"accepted: {task.title}",
            recorded_by=by.id,
            recorded_at=accepted_at,
        )
        for member, part in parts.items()
    ]


def award_points(task: Task, *, by: Member) -> dict[MemberId, Decimal]:
    """What :func:`award_entries` gives each contributor (member -> points), without making the
    entries: what an award row on the Ledger tab is checked against, once per row.

    Raises :class:`LedgerViolation` (field ``task``) unless the task is accepted, and
    :class:`NotPermitted` (field ``recorded by``) unless ``by`` is a leader."""
    if task.status is not TaskStatus.ACCEPTED or task.accepted_at is None:
        raise LedgerViolation(
            f"task {task.id} is {task.status.value}, not accepted",
            field="task",
            hint="points are awarded only when a leader accepts the work",
        )
    if not by.is_leader:
        raise NotPermitted(
            f"{by.name} is not a leader",
            field="recorded by",
            hint="awards are recorded by the accepting leader",
        )
    return task.split_points()


Rests = Mapping[EntryId, tuple[int, int]]
"""What rounding took from an entry, by its id: ``(rest, scale)``, ``rest / scale`` points."""


def rounding_rests(entries: Iterable[LedgerEntry], tasks: Mapping[TaskId, Task]) -> Rests:
    """What rounding took from each entry that was rounded, for :func:`tally_by`.

    An award counts its contributor's exact part of the task (10 points among three is
    10/3 each, whichever of them the split gave the odd cent). An adjustment or a
    dispute resolution is exactly what was recorded, so a correction of 0.01 always
    counts; one that corrects an award (``corrects``) and takes back all of its points
    takes back its exact part, so nothing of the award is left over. An award whose task
    is not in ``tasks`` (held back by a problem, say), or whose recorded points are not
    a rounding of the member's part of the task (a cent or more away), counts as recorded.
    Entries that lost nothing to rounding are not listed.
    """
    shapes: dict[TaskId, tuple[dict[MemberId, int], int, Decimal] | None] = {}
    rests: dict[EntryId, tuple[int, int]] = {}
    awards: dict[EntryId, Decimal] = {}
    for entry in entries:
        task = tasks.get(entry.task_id) if entry.kind is EntryKind.AWARD and entry.task_id else None
        if task is not None:
            if task.id not in shapes:
                shapes[task.id] = _shape(task)
            shape = shapes[task.id]
            if shape is not None:  # the task's split rounds someone's part
                weights, whole, cent_each = shape
                weight = weights.get(entry.member_id, 0)
                # The exact part is points * weight / whole; whole times what the entry shows is off by:
                off = task.points * weight - entry.points * whole
                if weight and off and abs(off) < cent_each:
                    rests[entry.id] = int(off.scaleb(2)), 100 * whole
                    awards[entry.id] = entry.points
        elif entry.corrects in awards and entry.points == -awards[entry.corrects]:
            rest, scale = rests[entry.corrects]
            rests[entry.id] = -rest, scale
    return rests


def _shape(task: Task) -> tuple[dict[MemberId, int], int, Decimal] | None:
    """A task's weights, their sum, and a cent times it; None if its split is exact to the cent."""
    cents = int(task.points.scaleb(2))
    if not task.shares:
        if not task.contributors or cents % len(task.contributors) == 0:
            return None
        weights = dict.fromkeys(task.contributors, 1)
    else:
        weights = whole_weights(dict(task.shares))
    whole = sum(weights.values())
    if all(cents * weight % whole == 0 for weight in weights.values()):
        return None
    return weights, whole, Decimal(whole).scaleb(-2)


def tally_by(
    entries: Iterable[LedgerEntry], rests: Rests, key: Callable[[LedgerEntry], K | None]
) -> dict[K, Tally]:
    """The points of ``entries`` added up by ``key`` (None leaves an entry out), shown and
    exact: ``rests`` are :func:`rounding_rests` of (at least) these entries."""
    shown: dict[K, Decimal] = {}
    left: dict[K, dict[int, int]] = {}
    for entry in entries:
        k = key(entry)
        if k is None:
            continue
        shown[k] = shown.get(k, ZERO) + entry.points
        rounded = rests.get(entry.id)
        if rounded is not None:
            rest, scale = rounded
            mine = left.setdefault(k, {})
            mine[scale] = mine.get(scale, 0) + rest
    return {k: Tally.summed(total, left.get(k, {})) for k, total in shown.items()}


@dataclass(frozen=True, slots=True)
class Standing:
    """One member's points in a project (or across the group).

    ``points`` is the ledger's two-place sum; ``exact`` the same before rounding splits
    (see :func:`rounding_rests`), which is what standings are ranked by.
    """

    member_id: MemberId
    points: Decimal
    accepted_tasks: int
    first_acceptance: datetime | None
    exact: Fraction


class Ledger:
    """Append-only entries. There is no way to edit or remove one."""

    __slots__ = ("_awarded_pairs", "_awarded_tasks", "_awards", "_by_id", "_entries")

    def __init__(self, entries: Iterable[LedgerEntry] = ()) -> None:
        self._entries: list[LedgerEntry] = []
        self._by_id: dict[EntryId, LedgerEntry] = {}
        self._awarded_pairs: set[tuple[TaskId, MemberId]] = set()
        self._awarded_tasks: set[TaskId] = set()
        self._awards: dict[TaskId, list[LedgerEntry]] = {}
        for entry in entries:
            self.append(entry)

    def __iter__(self) -> Iterator[LedgerEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> tuple[LedgerEntry, ...]:
        return tuple(self._entries)

    def has(self, id: EntryId) -> bool:
        """Whether an entry with this id is in the ledger (looked up, not searched for)."""
        return id in self._by_id

    def get(self, id: EntryId) -> LedgerEntry:
        try:
            return self._by_id[id]
        except KeyError:
            raise UnknownReference(f"the ledger has no entry {id}", field="entry") from None

    def append(self, entry: LedgerEntry) -> None:
        """Add one entry, refusing duplicates, double awards and dangling corrections."""
        self._check(entry)
        self._store(entry)

    def keep(self, entry: LedgerEntry) -> None:
        """Add an entry braingain recorded before, as it was recorded: it was checked then, and what
        it was checked against (its task's split, a leader's role) may have changed since. One
        already in the ledger is not added again."""
        if entry.id not in self._by_id:
            self._store(entry)

    def _check(self, entry: LedgerEntry) -> None:
        """Raise if ``entry`` may not join the ledger as it stands; change nothing."""
        if entry_id(entry.id, "entry id") != entry.id:
            raise InvalidValue(
                f"{quote(entry.id)} has spaces around it",
                field="entry id",
                hint="write the id without leading or trailing spaces",
            )
        require_aware(entry.recorded_at, "recorded at")
        points(entry.points)
        if not clean_text(entry.reason):
            raise InvalidValue("an entry needs a reason", field="reason", hint="say why the points change")
        if entry.id in self._by_id:
            raise LedgerViolation(
                f"entry {entry.id} is already in the ledger",
                field="entry id",
                hint="entries are never rewritten; record a correction as a new entry",
            )
        if entry.kind is EntryKind.AWARD:
            if entry.task_id is None:
                raise InvalidValue("an award must name its task", field="task")
            pair = (entry.task_id, entry.member_id)
            if pair in self._awarded_pairs:
                raise LedgerViolation(
                    f"{entry.member_id} was already awarded points for task {entry.task_id}",
                    field="task",
                    hint="to change an award, record an adjustment",
                )
            if entry.points < 0:
                raise LedgerViolation("an award cannot be negative", field="points")
        if entry.corrects is not None and entry.corrects not in self._by_id:
            raise UnknownReference(
                f"entry {entry.id} corrects {entry.corrects}, which is not in the ledger",
                field="corrects",
            )

    def _store(self, entry: LedgerEntry) -> None:
        self._entries.append(entry)
        self._by_id[entry.id] = entry
        if entry.kind is EntryKind.AWARD and entry.task_id is not None:
            self._awarded_pairs.add((entry.task_id, entry.member_id))
            self._awarded_tasks.add(entry.task_id)
            self._awards.setdefault(entry.task_id, []).append(entry)

    def award(self, task: Task, *, by: Member) -> list[LedgerEntry]:
        """Award an accepted task's points. A task is awarded once."""
        if task.id in self._awarded_tasks:
            raise LedgerViolation(
                f"task {task.id} has already been awarded",
                field="task",
                hint="to change an award, record an adjustment",
            )
        entries = award_entries(task, by=by)
        for entry in entries:  # all or nothing: check every entry before storing any
            self._check(entry)
        for entry in entries:
            self._store(entry)
        return entries

    def adjust(
        self,
        *,
        member: MemberId,
        project: ProjectId,
        amount: Decimal | int | str,
        reason: str,
        by: Member,
        at: datetime,
        task: TaskId | None = None,
        corrects: EntryId | None = None,
        kind: EntryKind = EntryKind.ADJUSTMENT,
        id: str | None = None,
    ) -> LedgerEntry:
        """Record a leader's correction as a new entry."""
        if not by.is_leader:
            raise NotPermitted(
                f"{by.name} is not a leader", field="recorded by", hint="only leaders adjust points"
            )
        if kind is EntryKind.AWARD:
            raise LedgerViolation("awards come only from accepted tasks", field="kind")
        if not clean_text(reason):
            raise InvalidValue(
                "an adjustment needs a reason", field="reason", hint="say why the points change"
            )
        entry = LedgerEntry(
            id=EntryId(id or f"{kind.name.lower()}:{len(self._entries) + 1:05d}"),
            kind=kind,
            member_id=member,
            project_id=project,
            task_id=task,
            points=points(amount),
            reason=clean_text(reason),
            recorded_by=by.id,
            recorded_at=at,
            corrects=corrects,
        )
        self.append(entry)
        return entry

    def is_awarded(self, task: TaskId) -> bool:
        """Whether ``task``'s points are already in the ledger."""
        return task in self._awarded_tasks

    def awards_of(self, task: TaskId) -> list[LedgerEntry]:
        """The award entries of ``task``, in ledger order (looked up, not searched for)."""
        return list(self._awards.get(task, ()))

    def for_project(self, project: ProjectId) -> list[LedgerEntry]:
        return [e for e in self._entries if e.project_id == project]

    def total(self, project: ProjectId | None = None) -> Decimal:
        return sum((e.points for e in self._entries if project is None or e.project_id == project), ZERO)

    def standings(self, project: ProjectId | None = None, *, tasks: Mapping[TaskId, Task]) -> list[Standing]:
        """Points per member, replayed from the entries: see :func:`standings_of`."""
        return standings_of((e for e in self._entries if project is None or e.project_id == project), tasks)


def standings_of(entries: Iterable[LedgerEntry], tasks: Mapping[TaskId, Task]) -> list[Standing]:
    """Points per member, most first by exact points (:func:`rounding_rests`), ties by member id.

    ``tasks`` are the tasks the awards were split from; members who shared tasks
    equally stand equal, whoever got the odd cents.
    """
    entries = list(entries)
    totals = tally_by(entries, rounding_rests(entries, tasks), lambda e: e.member_id)
    accepted: dict[MemberId, set[TaskId]] = {}
    first: dict[MemberId, datetime] = {}
    for entry in entries:
        if entry.kind is EntryKind.AWARD and entry.task_id is not None:
            accepted.setdefault(entry.member_id, set()).add(entry.task_id)
            seen = first.get(entry.member_id)
            if seen is None or entry.recorded_at < seen:
                first[entry.member_id] = entry.recorded_at
    rows = [
        Standing(m, total.shown, len(accepted.get(m, ())), first.get(m), total.exact)
        for m, total in totals.items()
    ]
    return sorted(rows, key=lambda s: (-s.exact, s.member_id))


def points_by_member(entries: Iterable[LedgerEntry]) -> Mapping[MemberId, Decimal]:
    """Each member's two-place total, as the ledger shows it."""
    totals: dict[MemberId, Decimal] = {}
    for entry in entries:
        totals[entry.member_id] = totals.get(entry.member_id, ZERO) + entry.points
    return totals
