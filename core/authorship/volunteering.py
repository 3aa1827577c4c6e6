"""Volunteering for tasks, and choosing among volunteers when a task is oversubscribed.

When more members volunteer than a task takes, candidates are ranked by:

1. demonstrated proficiency in the task's stage: the share of their reviewed
   submissions in that stage accepted without rework;
2. demonstrated proficiency overall (all stages);
3. commitment: the average of on-time delivery and meeting attendance (excused
   absences are not counted against anyone);
4. who volunteered first;
5. member id, so that the order never depends on anything else.

A member with no record yet ranks after members with one, and the reason says so.
Members already carrying their limit of open tasks are skipped. Leaders can
override: force a member in or out. The task's cap is never exceeded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.errors import CapacityExceeded, InvalidValue, NotPermitted, UnknownReference
from braingain.core.ids import MemberId, TaskId
from braingain.core.members import Member
from braingain.core.memo import remembered
from braingain.core.parsing import clean_text, require_aware
from braingain.core.words import moment_said

DEFAULT_OPEN_TASK_LIMIT = 3


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A member's offer to work on a task."""

    task_id: TaskId
    member_id: MemberId
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class Attendance:
    """A member's meeting attendance: excused absences count neither for nor against them."""

    present: int = 0
    absent: int = 0
    excused: int = 0

    @property
    def rate(self) -> Fraction | None:
        counted = self.present + self.absent
        return Fraction(self.present, counted) if counted else None


@dataclass(frozen=True, slots=True)
class Ratio:
    hits: int
    out_of: int

    @property
    def rate(self) -> Fraction | None:
        return _fraction(self.hits, self.out_of) if self.out_of else None

    def __str__(self) -> str:
        if not self.out_of:
            return "none yet"
        return _ratio_text(self.hits, self.out_of)


# Ranking the volunteers of every open task asks for the same few ratios thousands of times:
# pure functions of two small whole numbers, so each is worked out once.


@remembered(maxsize=4096)
def _fraction(hits: int, out_of: int) -> Fraction:
    return Fraction(hits, out_of)


@remembered(maxsize=4096)
def _ratio_text(hits: int, out_of: int) -> str:
    return f"{hits} of {out_of} ({_percent(Fraction(hits, out_of))})"


def _percent(value: Fraction) -> str:
    percent = Decimal(value.numerator) * 100 / Decimal(value.denominator)
    return f"{percent.quantize(Decimal(1), ROUND_HALF_UP)}%"


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """What a member has demonstrated so far, computed from tasks and meetings."""

    member_id: MemberId
    first_time_by_stage: Mapping[str, Ratio]
    first_time_overall: Ratio
    on_time: Ratio
    attendance: Attendance
    active_tasks: int
    commitment: Fraction | None = field(init=False, compare=False)
    """The average of on-time delivery and attendance (``None`` with neither recorded yet)."""
    commitment_rank: Rank = field(init=False, compare=False, repr=False)
    """Where the commitment ranks, best first."""
    summary: str = field(init=False, compare=False, repr=False)
    """What the record says whatever the task: overall, on time, attendance (for reasons)."""

    def __post_init__(self) -> None:
        # Worked out once per member: ranking the volunteers of every open task asks again and again.
        parts = [r for r in (self.on_time.rate, self.attendance.rate) if r is not None]
        object.__setattr__(self, "commitment", sum(parts, Fraction(0)) / len(parts) if parts else None)
        object.__setattr__(self, "commitment_rank", _best_first(self.commitment))
        object.__setattr__(self, "summary", _summary(self))

    def proficiency_in(self, stage: str) -> Ratio:
        return self.first_time_by_stage.get(stage, Ratio(0, 0))


def track_records(
    members: Iterable[Member],
    tasks: Iterable[Task],
    attendance: Mapping[MemberId, Attendance] | None = None,
) -> dict[MemberId, TrackRecord]:
    """Everyone's track record from the tasks they contributed to and their attendance."""
    attendance = attendance or {}
    ids = [m.id for m in members]
    by_stage: dict[MemberId, dict[str, list[int]]] = {m: {} for m in ids}
    overall = {m: [0, 0] for m in ids}
    on_time = {m: [0, 0] for m in ids}
    active = dict.fromkeys(ids, 0)
    for task in tasks:
        if task.status is TaskStatus.CANCELLED:
            continue  # a cancelled task says nothing about the people who worked on it
        # Worked out once per task (each looks through its history), not once per contributor.
        reviewed, hit, punctual = task.was_reviewed, int(task.accepted_first_time), task.delivered_on_time
        for member in task.contributors:
            if member not in overall:
                continue
            if task.status.is_active:
                active[member] += 1
            if reviewed:
                stage = by_stage[member].setdefault(task.stage, [0, 0])
                stage[0] += hit
                stage[1] += 1
                overall[member][0] += hit
                overall[member][1] += 1
            if punctual is not None:
                on_time[member][0] += int(punctual)
                on_time[member][1] += 1
    return {
        m: TrackRecord(
            member_id=m,
            first_time_by_stage={s: Ratio(h, n) for s, (h, n) in by_stage[m].items()},
            first_time_overall=Ratio(*overall[m]),
            on_time=Ratio(*on_time[m]),
            attendance=attendance.get(m, Attendance()),
            active_tasks=active[m],
        )
        for m in ids
    }


def volunteer(
    task: Task,
    member: Member,
    *,
    at: datetime,
    existing: Sequence[Volunteer] = (),
    note: str = "",
) -> Volunteer:
    """Record ``member``'s offer to work on ``task``; the task must be open."""
    require_aware(at, "volunteered at")
    if task.status is not TaskStatus.OPEN:
        raise InvalidValue(
            f"task {task.id} is {task.status.value}, not open",
            field="task",
            hint="members can volunteer only for open tasks",
        )
    if not member.is_active_on(at.date()):
        raise NotPermitted(
            f"{member.name} is not an active member",
            field="member",
            hint="only active members volunteer; a leader updates Active, Joined or Left on the Members tab",
        )
    if any(v.task_id == task.id and v.member_id == member.id for v in existing):
        raise InvalidValue(
            f"{member.name} has already volunteered for task {task.id}",
            field="member",
            hint="that offer stands: the task's selection says who is chosen, and why",
        )
    return Volunteer(task_id=task.id, member_id=member.id, at=at, note=clean_text(note))


@dataclass(frozen=True, slots=True)
class Candidate:
    member_id: MemberId
    rank: int
    selected: bool
    reason: str
    volunteered_at: datetime


@dataclass(frozen=True, slots=True)
class Selection:
    """The ranked volunteers of one task, who is chosen, and why."""

    task_id: TaskId
    cap: int | None
    candidates: tuple[Candidate, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def selected(self) -> tuple[MemberId, ...]:
        return tuple(c.member_id for c in self.candidates if c.selected)

    @property
    def oversubscribed(self) -> bool:
        return self.cap is not None and len(self.candidates) > self.cap


_NO_RECORD_YET = Fraction(1)
"""Where a member with no record yet ranks: after every rate (ranks are minus the rate)."""


Rank = tuple[float, Fraction]
"""A place in a ranking, best first, as a float and exactly: tuples compare the floats, quick and
in the same order as the fractions (``float`` never reverses an order), and only where the
floats are equal the fractions, so the order is exact."""


def _best_first(rate: Fraction | None) -> Rank:
    """A rate's place in a ranking, best first: minus the rate; no record yet comes after any."""
    place = _NO_RECORD_YET if rate is None else -rate
    return float(place), place


@remembered(maxsize=4096)
def _ratio_rank(hits: int, out_of: int) -> Rank:
    return _best_first(_fraction(hits, out_of) if out_of else None)


def _ranking_key(task: Task, record: TrackRecord, offer: Volunteer) -> tuple[object, ...]:
    stage, overall = record.proficiency_in(task.stage), record.first_time_overall
    return (
        *_ratio_rank(stage.hits, stage.out_of),
        *_ratio_rank(overall.hits, overall.out_of),
        *record.commitment_rank,
        offer.at,
        offer.member_id,
    )


def _reason(task: Task, record: TrackRecord, offer: Volunteer) -> str:
    stage = record.proficiency_in(task.stage)
    return (
        f"accepted without rework in this stage: {stage}; {record.summary}; "
        f"volunteered {moment_said(offer.at)}"
    )


def _summary(record: TrackRecord) -> str:
    """The part of a volunteer's reason that does not depend on the task."""
    parts = [f"overall: {record.first_time_overall}", f"on time: {record.on_time}"]
    att = record.attendance
    if att.present + att.absent:
        excused = f", {att.excused} excused not counted" if att.excused else ""
        parts.append(f"attended {att.present} of {att.present + att.absent} meetings{excused}")
    else:
        parts.append("no meeting attendance recorded")
    if record.first_time_overall.out_of == 0:
        parts.append("no reviewed work yet, so ranked after members with a record")
    return "; ".join(parts)


def select_volunteers(
    task: Task,
    volunteers: Iterable[Volunteer],
    records: Mapping[MemberId, TrackRecord],
    *,
    open_task_limit: int | None = DEFAULT_OPEN_TASK_LIMIT,
    force_in: Sequence[MemberId] = (),
    force_out: Sequence[MemberId] = (),
) -> Selection:
    """Rank ``task``'s volunteers and choose up to its cap, each with the reason.

    ``force_in`` and ``force_out`` are a leader's overrides: forced members are chosen
    (or left out) whatever their rank or their number of open tasks, and the result
    says so. Forcing in more members
    than the cap allows is refused.
    """
    offers = [v for v in volunteers if v.task_id == task.id]
    by_member = {v.member_id: v for v in sorted(offers, key=lambda v: v.at, reverse=True)}
    for forced in (*force_in, *force_out):
        if forced not in by_member:
            raise UnknownReference(
                f"{forced} has not volunteered for task {task.id}",
                field="override",
                hint="only volunteers can be forced in or out",
            )
    clash = set(force_in) & set(force_out)
    if clash:
        raise InvalidValue(f"{sorted(clash)[0]} is forced both in and out", field="override")
    cap = task.max_volunteers
    if cap is not None and len(set(force_in)) > cap:
        raise CapacityExceeded(
            f"{len(set(force_in))} members forced in, but task {task.id} takes at most {cap}",
            field="override",
            hint="force fewer members in, or raise the task's maximum",
        )
    missing = [m for m in by_member if m not in records]
    if missing:
        raise UnknownReference(f"{missing[0]} is not a member of the group", field="volunteer")

    ordered = sorted(by_member.values(), key=lambda v: _ranking_key(task, records[v.member_id], v))
    places = cap if cap is not None else len(ordered)
    chosen: list[MemberId] = list(dict.fromkeys(force_in))
    outcome: dict[MemberId, str] = dict.fromkeys(chosen, "chosen by a leader (override)")
    for offer in ordered:
        member = offer.member_id
        if member in outcome:
            continue
        record = records[member]
        if member in force_out:
            outcome[member] = "left out by a leader (override)"
        elif open_task_limit is not None and record.active_tasks >= open_task_limit:
            outcome[member] = (
                f"skipped: already on {record.active_tasks} open tasks (limit {open_task_limit})"
            )
        elif len(chosen) < places:
            chosen.append(member)
            outcome[member] = "chosen"
        else:
            outcome[member] = f"not chosen: the task takes {cap}"
    candidates = tuple(
        Candidate(
            member_id=offer.member_id,
            rank=rank,
            selected=offer.member_id in chosen,
            reason=f"{outcome[offer.member_id]} — {_reason(task, records[offer.member_id], offer)}",
            volunteered_at=offer.at,
        )
        for rank, offer in enumerate(ordered, start=1)
    )
    notes: list[str] = []
    if cap is not None and len(ordered) > cap:
        places_said = "1 place" if cap == 1 else f"{cap} places"
        notes.append(f"{len(ordered)} volunteers for {places_said}: ranked by proficiency, then commitment")
    return Selection(task_id=task.id, cap=cap, candidates=candidates, notes=tuple(notes))


def why_ahead(
    task: Task, records: Mapping[MemberId, TrackRecord], ahead: Volunteer, behind: Volunteer
) -> str:
    """Why ``ahead`` ranks before ``behind`` among ``task``'s volunteers: the first criterion of the
    ranking (stage proficiency, overall proficiency, commitment, who volunteered first, the member
    ID) on which they differ, in words, with both values ("a better record in this stage: 2 of 2
    (100%) against 1 of 2 (50%)"). Raises ``KeyError`` for a member without a record."""
    first, second = records[ahead.member_id], records[behind.member_id]
    stage_a, stage_b = first.proficiency_in(task.stage), second.proficiency_in(task.stage)
    if _ratio_rank(stage_a.hits, stage_a.out_of) != _ratio_rank(stage_b.hits, stage_b.out_of):
        return (
            f"a better record of work accepted without rework in this stage ({task.stage}): "
            f"{stage_a} against {stage_b}"
        )
    all_a, all_b = first.first_time_overall, second.first_time_overall
    if _ratio_rank(all_a.hits, all_a.out_of) != _ratio_rank(all_b.hits, all_b.out_of):
        return f"a better record of work accepted without rework overall: {all_a} against {all_b}"
    if first.commitment_rank != second.commitment_rank:
        return (
            "more commitment (work on time and meetings attended): "
            f"{_commitment_text(first)} against {_commitment_text(second)}"
        )
    if ahead.at != behind.at:
        return "an earlier offer, with the same record and commitment"
    return "the same record, commitment and time of volunteering; the member ID decides"


def _commitment_text(record: TrackRecord) -> str:
    return "none recorded yet" if record.commitment is None else _percent(record.commitment)
