"""A project's Gantt chart as data: its tasks by stage, planned against actual dates, and milestones.

:func:`gantt` builds a :class:`Gantt` from a :class:`~braingain.core.group.Group`; the picture
(``braingain.integrations.reports.gantt_chart.render_gantt``), the text summary, the tracker's
Gantt tab and the digest's attachment are all drawn from it, so the names below are kept stable.

What each row shows:

- **planned**: the task's typed ``Start`` and ``Due`` (:attr:`GanttTask.start`,
  :attr:`GanttTask.due`); either may be missing. A task with neither is still a row, listed in
  :attr:`Gantt.unscheduled` and said in :attr:`Gantt.notes` ("not scheduled"), never dropped.
- **actual**: from the first step of its history into *in progress* (work begun) to the day it
  was accepted (:attr:`GanttTask.actual_start`, :attr:`GanttTask.actual_end`), each the day of
  that moment in the chart's zone (:func:`chart_zone`). Work begun and not accepted yet runs to
  ``today`` (:attr:`GanttTask.running`).
- **overdue**: its due day is before ``today`` and it is not accepted (work submitted and waiting
  for review counts: the project still waits for it).

Cancelled tasks are left out of the rows (they are no longer part of the plan): their ids are in
:attr:`Gantt.cancelled` and a note says how many. A project with nothing to draw (no tasks, or
only cancelled ones) has :attr:`Gantt.empty`, a sentence to show instead of a chart.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.group import Group
from braingain.core.ids import MemberId, ProjectId, TaskId
from braingain.core.projects import Project, Stage

FINGERPRINT_VERSION = 1
"""Raised when what a chart shows changes for the same data, so that saved copies are replaced."""


@dataclass(frozen=True, slots=True)
class GanttTask:
    """One row of the chart: a task that is not cancelled. Dates are days (no time of day)."""

    id: TaskId
    title: str
    stage: str
    """The stage's key (``Task.stage``)."""
    stage_name: str
    """The stage's name as people read it (the key itself when the project has no such stage)."""
    status: TaskStatus
    head: str | None
    """The mini-team head's name, ``None`` while there is none."""
    contributors: tuple[str, ...]
    """The contributors' names, in the team's order (the head among them)."""
    start: date | None
    """Planned start (the Tasks tab's Start), ``None`` when not typed."""
    due: date | None
    """Planned end (the Tasks tab's Due), ``None`` when not typed."""
    actual_start: date | None
    """The day work began (first move into *in progress*), ``None`` while it has not."""
    actual_end: date | None
    """The day the work was accepted, ``None`` while it is not."""
    overdue: bool
    """``due`` is before the chart's ``today`` and the task is not accepted."""

    @property
    def scheduled(self) -> bool:
        """It has a planned start or a due day."""
        return self.start is not None or self.due is not None

    @property
    def running(self) -> bool:
        """Work began and is not accepted yet: its actual bar runs to the chart's ``today``."""
        return self.actual_start is not None and self.actual_end is None


@dataclass(frozen=True, slots=True)
class GanttMilestone:
    """A milestone of the project; ``number`` (1, 2, …, in date order) names it on the chart."""

    number: int
    name: str
    due: date
    stage: str | None
    """The stage's key, ``None`` when the milestone names no stage."""
    stage_name: str | None


@dataclass(frozen=True, slots=True)
class Gantt:
    """A project's Gantt chart on ``today``.

    ``stages``: the project's stages in order (then any stage a task names that the project does
    not have); ``tasks``: the rows, grouped by stage in that order, then by planned start (else due;
    undated last), then id; ``milestones`` in date order; ``span``: the first and last day shown
    (every planned, actual and milestone day, and ``today`` while any row is not accepted or when it
    falls inside; ``(today, today)`` when there is no day at all); ``cancelled`` and
    ``unscheduled``: task ids (see the module's docstring); ``notes``: sentences for people about
    what the chart leaves out or cannot place; ``empty``: the sentence to show instead of a chart
    when there is nothing to draw, else ``""``.
    """

    project_id: ProjectId
    title: str
    stages: tuple[Stage, ...]
    tasks: tuple[GanttTask, ...]
    milestones: tuple[GanttMilestone, ...]
    span: tuple[date, date]
    today: date
    cancelled: tuple[TaskId, ...] = ()
    unscheduled: tuple[TaskId, ...] = ()
    notes: tuple[str, ...] = ()
    empty: str = ""

    @property
    def overdue(self) -> tuple[GanttTask, ...]:
        """The rows that are overdue, in row order."""
        return tuple(t for t in self.tasks if t.overdue)

    def by_stage(self) -> list[tuple[Stage, tuple[GanttTask, ...]]]:
        """Each stage that has rows, in stage order, with its rows."""
        found = [(s, tuple(t for t in self.tasks if t.stage == s.key)) for s in self.stages]
        return [(stage, rows) for stage, rows in found if rows]

    def data(self, *, with_today: bool = True) -> dict[str, Any]:
        """The chart as JSON-ready values (dates as ISO ``YYYY-MM-DD`` strings); without
        ``with_today``, leaves out ``today`` and ``span`` (which moves with it)."""
        data: dict[str, Any] = {
            "project": self.project_id,
            "title": self.title,
            "stages": [{"key": s.key, "name": s.name} for s in self.stages],
            "tasks": [_task_data(t) for t in self.tasks],
            "milestones": [
                {
                    "number": m.number,
                    "name": m.name,
                    "due": m.due.isoformat(),
                    "stage": m.stage,
                    "stage_name": m.stage_name,
                }
                for m in self.milestones
            ],
            "cancelled": list(self.cancelled),
            "unscheduled": list(self.unscheduled),
            "notes": list(self.notes),
            "empty": self.empty,
        }
        if with_today:
            data |= {"today": self.today.isoformat(), "span": [d.isoformat() for d in self.span]}
        return data

    @property
    def fingerprint(self) -> str:
        """SHA-256 (hex) of the chart's data without ``today``: equal for two charts of the same
        tasks and milestones on different days, as long as no task became overdue in between. A
        copy saved with another fingerprint is out of date. (What moves with ``today`` alone, the
        today line and the end of running bars, does not change it.)"""
        canonical = json.dumps(
            {"version": FINGERPRINT_VERSION, **self.data(with_today=False)},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _task_data(t: GanttTask) -> dict[str, Any]:
    def day(d: date | None) -> str | None:
        return d.isoformat() if d is not None else None

    return {
        "id": t.id,
        "title": t.title,
        "stage": t.stage,
        "stage_name": t.stage_name,
        "status": t.status.value,
        "head": t.head,
        "contributors": list(t.contributors),
        "start": day(t.start),
        "due": day(t.due),
        "actual_start": day(t.actual_start),
        "actual_end": day(t.actual_end),
        "overdue": t.overdue,
    }


def chart_zone(group: Group) -> tzinfo:
    """The zone whose days the chart counts in: the meeting series' zone, else UTC (as the
    digests do). ``today`` should be the date in this zone."""
    return group.series.slot.zone if group.series is not None else UTC


def gantt(group: Group, project_id: str, today: date, *, zone: tzinfo | None = None) -> Gantt:
    """The Gantt chart of project ``project_id`` on ``today``; actual days are counted in ``zone``
    (default :func:`chart_zone`).

    Raises :class:`~braingain.core.errors.UnknownReference` for a project the group does not have
    (its hint lists the projects there are, or says there are none yet).
    """
    project = group.project(project_id)
    zone = zone or chart_zone(group)
    tasks = group.project_tasks(project.id)
    cancelled = tuple(sorted(t.id for t in tasks if t.status is TaskStatus.CANCELLED))
    stages = _stages(project, tasks)
    order = {s.key: i for i, s in enumerate(stages)}
    names = {s.key: s.name for s in stages}
    rows = sorted(
        (_row(group, t, names[t.stage], today, zone) for t in tasks if t.status is not TaskStatus.CANCELLED),
        key=lambda r: (order[r.stage], _planned(r) is None, _planned(r) or today, r.id),
    )
    milestones = tuple(
        GanttMilestone(n, m.name, m.due, m.stage, names.get(m.stage) if m.stage else None)
        for n, m in enumerate(sorted(project.milestones, key=lambda m: (m.due, m.name)), start=1)
    )
    unscheduled = tuple(r.id for r in rows if not r.scheduled)
    notes = _notes(project, tasks, cancelled, unscheduled)
    empty = ""
    if not rows:
        empty = f"Project {project.id} has no tasks to draw: " + (
            f"its {_count(len(cancelled), 'task')} {_are(len(cancelled))} cancelled."
            if cancelled
            else "it has no tasks yet."
        )
    return Gantt(
        project_id=project.id,
        title=project.title,
        stages=stages,
        tasks=tuple(rows),
        milestones=milestones,
        span=_span(rows, milestones, today),
        today=today,
        cancelled=cancelled,
        unscheduled=unscheduled,
        notes=notes,
        empty=empty,
    )


def _stages(project: Project, tasks: list[Task]) -> tuple[Stage, ...]:
    """The project's stages, then (sorted) any stage key a task names that the project lacks."""
    known = {s.key for s in project.stages}
    extra = sorted({t.stage for t in tasks if t.stage not in known})
    return (*project.stages, *(Stage(key, key) for key in extra))


def _planned(row: GanttTask) -> date | None:
    return row.start or row.due


def _row(group: Group, task: Task, stage_name: str, today: date, zone: tzinfo) -> GanttTask:
    def name(who: MemberId) -> str:
        member = group.members.get(who)
        return member.name if member is not None else str(who)

    def day_of(status: TaskStatus) -> date | None:
        moment = next((e.at for e in task.history if e.to_status is status), None)
        return _day(moment, zone) if moment is not None else None

    accepted = task.status is TaskStatus.ACCEPTED
    return GanttTask(
        id=task.id,
        title=task.title,
        stage=task.stage,
        stage_name=stage_name,
        status=task.status,
        head=name(task.head) if task.head is not None else None,
        contributors=tuple(name(m) for m in task.contributors),
        start=task.start,
        due=task.due,
        actual_start=day_of(TaskStatus.IN_PROGRESS),
        actual_end=day_of(TaskStatus.ACCEPTED) if accepted else None,
        overdue=task.due is not None and task.due < today and not accepted,
    )


def _day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def _span(rows: list[GanttTask], milestones: tuple[GanttMilestone, ...], today: date) -> tuple[date, date]:
    days = [d for r in rows for d in (r.start, r.due, r.actual_start, r.actual_end) if d is not None] + [
        m.due for m in milestones
    ]
    if any(r.status is not TaskStatus.ACCEPTED for r in rows) or not days or min(days) <= today <= max(days):
        days.append(today)
    return min(days), max(days)


def _notes(
    project: Project, tasks: list[Task], cancelled: tuple[TaskId, ...], unscheduled: tuple[TaskId, ...]
) -> tuple[str, ...]:
    notes = []
    if cancelled:
        notes.append(
            f"{_count(len(cancelled), 'cancelled task')} {_are(len(cancelled))} not drawn: "
            f"{', '.join(cancelled)}."
        )
    if unscheduled:
        notes.append(
            f"{_count(len(unscheduled), 'task')} {_are(len(unscheduled))} not scheduled (no Start or Due on "
            f"the Tasks tab): {', '.join(unscheduled)}."
        )
    known = {s.key for s in project.stages}
    strays = sorted(t.id for t in tasks if t.stage not in known and t.status is not TaskStatus.CANCELLED)
    if strays:
        notes.append(
            f"{_count(len(strays), 'task')} {'names a stage' if len(strays) == 1 else 'name stages'} project "
            f"{project.id} does not have, drawn after its stages: {', '.join(strays)}."
        )
    return tuple(notes)


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"
