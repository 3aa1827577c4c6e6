"""A project's Gantt chart in words (``braingain report gantt``): per stage, each task's status,
planned and actual days, and whether it is overdue; the milestones; what the chart leaves out.

For scripts, :meth:`braingain.core.reports.gantt.Gantt.data` is the same chart as JSON values.
"""

from __future__ import annotations

from braingain.core.reports.gantt import Gantt, GanttTask
from braingain.core.words import day_said, day_short

_INDENT = "  "


def gantt_summary(chart: Gantt) -> str:
    """The chart as text, one block per stage (lines end with a newline); an empty chart is its
    sentence (``chart.empty``) alone."""
    if chart.empty:
        return chart.empty + "\n"
    overdue = len(chart.overdue)
    first, last = chart.span
    lines = [
        f"Gantt chart of project {chart.project_id}: {chart.title}",
        f"Today is {day_said(chart.today)}. {_count(len(chart.tasks), 'task')} in "
        f"{_count(len(chart.by_stage()), 'stage')}, {overdue} overdue; "
        f"shown from {day_short(first)} to {day_short(last)}.",
    ]
    if chart.milestones:
        lines += ["", "Milestones"]
        for m in chart.milestones:
            where = f" ({m.stage_name})" if m.stage_name else ""
            passed = " (passed)" if m.due < chart.today else ""
            lines.append(f"{_INDENT}{m.number}. {m.name}: {day_short(m.due)}{where}{passed}")
    for stage, tasks in chart.by_stage():
        lines += ["", stage.name]
        for task in tasks:
            lines.append(f"{_INDENT}{task.id}  {task.title}")
            lines.append(f"{_INDENT * 4}{_facts(task)}")
    if chart.notes:
        lines += ["", "Notes"]
        lines += [f"{_INDENT}- {note}" for note in chart.notes]
    return "\n".join(lines) + "\n"


def _facts(task: GanttTask) -> str:
    parts = ["OVERDUE" if task.overdue else "", task.status.value, _planned(task), _actual(task)]
    if task.head:
        parts.append(f"head {task.head}")
    return "; ".join(p for p in parts if p)


def _planned(task: GanttTask) -> str:
    if task.start is not None and task.due is not None:
        return f"planned {day_short(task.start)} to {day_short(task.due)}"
    if task.due is not None:
        return f"planned: due {day_short(task.due)} (no start)"
    if task.start is not None:
        return f"planned from {day_short(task.start)} (no due day)"
    return "not scheduled"


def _actual(task: GanttTask) -> str:
    if task.actual_start is not None and task.actual_end is not None:
        return f"actual {day_short(task.actual_start)} to {day_short(task.actual_end)}"
    if task.actual_start is not None:
        return f"actual: since {day_short(task.actual_start)}"
    if task.actual_end is not None:
        return f"actual: accepted {day_short(task.actual_end)} (its start is not recorded)"
    return "not begun"


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"
