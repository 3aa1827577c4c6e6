"""A project's Gantt chart as a picture: :func:`render_gantt` draws a
:class:`~braingain.core.reports.gantt.Gantt`.

One row per task, grouped under its stage's name (a separator line above each stage); planned
dates as a light bar with a coloured outline (or, with only a due day, an outlined triangle at
it, or with only a start, one at that), actual work as a solid bar in the status's colour (from
the day work began to the day it was accepted, or to today while it runs); overdue tasks with a
red edge and "overdue" in their label; milestones as diamonds in rows of their own at the top,
with their names; a dashed line at today, labelled; dates along the x axis.

Each drawn thing carries a ``gid``, so the SVG can be read back (``<g id="…">``):
``task-<ID>-label``, ``task-<ID>-planned`` (a planned bar), ``task-<ID>-due`` or
``task-<ID>-start`` (a planned day alone), ``task-<ID>-actual``, ``stage-<key>`` (the stage's
label), ``milestone-<n>`` (its diamond), ``milestone-<n>-label`` (its name) and
``milestone-<n>-date``, ``today`` (the line) and
``today-label``, ``legend``. Days are drawn whole: a bar from day A to day B covers A's
beginning to the end of B; the today line stands at the middle of today.
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib import dates as mdates
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from braingain.core.authorship.tasks import TaskStatus
from braingain.core.projects import Stage
from braingain.core.reports.gantt import Gantt, GanttMilestone, GanttTask
from braingain.core.words import day_said, day_short
from braingain.integrations.reports.charts import Rendered, figure, rendered
from braingain.integrations.reports.saving import report_path, save_report

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

STATUS_COLOURS: dict[TaskStatus, str] = {
    TaskStatus.DRAFT: "#9e9e9e",
    TaskStatus.OPEN: "#64b5f6",
    TaskStatus.ASSIGNED: "#1e88e5",
    TaskStatus.IN_PROGRESS: "#3949ab",
    TaskStatus.SUBMITTED: "#8e24aa",
    TaskStatus.NEEDS_REWORK: "#fb8c00",
    TaskStatus.ACCEPTED: "#43a047",
    TaskStatus.CANCELLED: "#bdbdbd",
}
"""The colour of each status (bars, outlines and the legend)."""

OVERDUE = "#d50000"
"""The edge and label colour of overdue work."""
TODAY = "#c62828"
MILESTONE = "#37474f"

_TITLE_WIDTH = 44
"""Characters of a task's title shown in its label (cut with an ellipsis beyond)."""
_ROW = 0.32
"""Height of a row, inches."""


def render_gantt(chart: Gantt, *, warning: str = "") -> Rendered:
    """The chart as PNG and SVG with an alt text (project, tasks, overdue, milestones, today);
    ``warning`` (plain text), when given, is a bold caption line at the top of the figure (SVG
    ``<g id="warning">``) and starts the alt text, e.g. that the chart is not the whole answer.

    Raises :class:`ValueError` for a chart with nothing to draw (``chart.empty``): show that
    sentence instead.
    """
    if chart.empty:
        raise ValueError(f"nothing to draw: {chart.empty}")
    rows = _layout(chart)
    height = 1.9 + _ROW * len(rows) + (0.4 if warning else 0)
    with figure(10.5, height) as fig:
        if warning:
            said = fig.suptitle(
                textwrap.fill(warning, 110), x=0.01, ha="left", fontsize=9, fontweight="bold", color=OVERDUE
            )
            said.set_gid("warning")
        ax = fig.add_subplot()
        labels: list[tuple[int, str, str, str, bool]] = []  # y, text, gid, colour, bold
        for y, item in enumerate(rows):
            if isinstance(item, Stage):
                labels.append((y, item.name, f"stage-{item.key}", "black", True))
                if y:
                    ax.axhline(y - 0.5, color="#cfd8dc", linewidth=0.8)
            elif isinstance(item, GanttMilestone):
                _milestone(ax, chart, y, item)
                labels.append((y, item.name, f"milestone-{item.number}-label", MILESTONE, False))
            else:
                _task(ax, chart, y, item)
                colour = OVERDUE if item.overdue else "black"
                labels.append((y, _label(item), f"task-{item.id}-label", colour, False))
        ax.set_yticks([y for y, *_ in labels], [text for _, text, *_ in labels])
        for tick, (_, _, gid, colour, bold) in zip(ax.get_yticklabels(), labels, strict=True):
            tick.set_gid(gid)
            tick.set_color(colour)
            if bold:
                tick.set_fontweight("bold")
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        _today(ax, chart, len(rows))
        _x_axis(ax, chart)
        ax.set_title(textwrap.fill(f"{chart.project_id}: {chart.title}", 90), loc="left", fontsize=10, pad=14)
        legend = fig.legend(handles=_legend(chart), loc="outside lower center", ncols=6, frameon=False)
        legend.set_gid("legend")
        return rendered(fig, f"{warning} {alt_text(chart)}" if warning else alt_text(chart))


def alt_text(chart: Gantt) -> str:
    """What the chart shows, in words: project, tasks and stages, overdue, milestones, today."""
    stages = len(chart.by_stage())
    overdue = chart.overdue
    said = [
        f"Gantt chart of project {chart.project_id} ({chart.title}): "
        f"{_count(len(chart.tasks), 'task')} in {_count(stages, 'stage')}, planned dates (outlined) "
        "against actual work (solid), coloured by status",
        f"{len(overdue)} overdue" + (f" ({', '.join(t.id for t in overdue)})" if overdue else ""),
        _count(len(chart.milestones), "milestone"),
        f"today is {day_said(chart.today)}",
    ]
    return "; ".join(said) + "."


def _layout(chart: Gantt) -> list[Stage | GanttMilestone | GanttTask]:
    """Rows from the top: each milestone, then each stage's name followed by its tasks."""
    rows: list[Stage | GanttMilestone | GanttTask] = list(chart.milestones)
    for stage, tasks in chart.by_stage():
        rows.append(stage)
        rows.extend(tasks)
    return rows


def _label(task: GanttTask) -> str:
    title = task.title if len(task.title) <= _TITLE_WIDTH else task.title[: _TITLE_WIDTH - 1].rstrip() + "…"
    tail = "  overdue" if task.overdue else "  (not scheduled)" if not task.scheduled else ""
    return f"{task.id}  {title}{tail}"


def _x(day: date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _task(ax: Axes, chart: Gantt, y: int, task: GanttTask) -> None:
    colour = STATUS_COLOURS[task.status]
    edge = OVERDUE if task.overdue else colour
    width = 2.0 if task.overdue else 1.2
    if task.start is not None and task.due is not None:
        bars = ax.barh(
            y - 0.17, (task.due - task.start).days + 1, left=_x(task.start), height=0.3,
            color=to_rgba(colour, 0.25), edgecolor=edge, linewidth=width,
        )  # fmt: skip
        _gid(bars.patches[0], f"task-{task.id}-planned")
    elif task.due is not None:  # planned to end at the end of its due day
        _planned_day(ax, _x(task.due) + 1, y, "<", edge, width, f"task-{task.id}-due")
    elif task.start is not None:  # planned to begin at the beginning of its start day
        _planned_day(ax, _x(task.start), y, ">", edge, width, f"task-{task.id}-start")
    begun = task.actual_start or task.actual_end
    if begun is not None:
        end = _x(task.actual_end) + 1 if task.actual_end is not None else _x(chart.today) + 0.5
        bars = ax.barh(
            y + 0.13, max(end - _x(begun), 0.5), left=_x(begun), height=0.34, color=colour,
            edgecolor=OVERDUE if task.overdue else colour, linewidth=width if task.overdue else 0,
        )  # fmt: skip
        _gid(bars.patches[0], f"task-{task.id}-actual")


def _planned_day(ax: Axes, x: float, y: int, marker: str, edge: str, width: float, gid: str) -> None:
    """A planned day alone (a due day, or a start): an outlined triangle pointing at it."""
    (line,) = ax.plot(
        [x], [y - 0.17], marker=marker, markersize=7, markerfacecolor="white",
        markeredgecolor=edge, markeredgewidth=width, linestyle="none",
    )  # fmt: skip
    _gid(line, gid)


def _milestone(ax: Axes, chart: Gantt, y: int, milestone: GanttMilestone) -> None:
    x = _x(milestone.due) + 0.5
    first, last = chart.span
    near_end = (milestone.due - first).days > 0.8 * max((last - first).days, 1)
    (diamond,) = ax.plot([x], [y], marker="D", markersize=7, color=MILESTONE, linestyle="none")
    _gid(diamond, f"milestone-{milestone.number}")
    text = ax.annotate(
        day_short(milestone.due),
        (x, y), xytext=(-7 if near_end else 7, 0), textcoords="offset points", va="center",
        ha="right" if near_end else "left", fontsize=8, color=MILESTONE,
    )  # fmt: skip
    _gid(text, f"milestone-{milestone.number}-date")


def _today(ax: Axes, chart: Gantt, rows: int) -> None:
    x = _x(chart.today) + 0.5
    line = ax.axvline(x, color=TODAY, linestyle="--", linewidth=1.2)
    _gid(line, "today")
    label = ax.annotate(
        f"today, {day_short(chart.today)}",
        (x, -0.5), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
        fontsize=8, color=TODAY, annotation_clip=False,
    )  # fmt: skip
    _gid(label, "today-label")


def _x_axis(ax: Axes, chart: Gantt) -> None:
    first, last = chart.span
    pad = max(3, (last - first).days // 30)
    ax.set_xlim(_x(first - timedelta(days=pad)), _x(last + timedelta(days=pad + 1)))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.grid(axis="x", color="#eceff1", linewidth=0.6)
    ax.set_axisbelow(True)


def _legend(chart: Gantt) -> list[Artist]:
    present = {t.status for t in chart.tasks}
    handles: list[Artist] = [
        Patch(facecolor=STATUS_COLOURS[s], label=s.value) for s in TaskStatus if s in present
    ]
    grey = "#607d8b"
    if any(t.start is not None and t.due is not None for t in chart.tasks):
        handles.append(Patch(facecolor="#eceff1", edgecolor=grey, label="planned"))
    for marker, label, drawn in (
        ("<", "due", any(t.start is None and t.due is not None for t in chart.tasks)),
        (">", "planned start", any(t.start is not None and t.due is None for t in chart.tasks)),
    ):
        if drawn:
            handles.append(
                Line2D(
                    [], [], marker=marker, markerfacecolor="white", color=grey, linestyle="none", label=label
                )
            )
    if any(t.actual_start or t.actual_end for t in chart.tasks):
        handles.append(Patch(facecolor=grey, label="actual"))
    handles.append(Line2D([], [], color=TODAY, linestyle="--", label="today"))
    if chart.milestones:
        handles.append(Line2D([], [], marker="D", color=MILESTONE, linestyle="none", label="milestone"))
    if chart.overdue:
        handles.append(Patch(facecolor="white", edgecolor=OVERDUE, linewidth=2, label="overdue"))
    return handles


def _gid(artist: Artist, gid: str) -> None:
    artist.set_gid(gid)


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def save_gantt(chart: Gantt, folder: Path, *, warning: str = "") -> tuple[Path, Path]:
    """Draw ``chart`` (``warning`` as a caption line at its top when given, see :func:`render_gantt`)
    and write it to ``folder`` (made if missing) as ``gantt-<PROJECT>.png`` and ``.svg``, each
    replaced in one step; returns their paths. Raises :class:`ValueError` for an
    empty chart (nothing is written) and
    :class:`~braingain.integrations.errors.IntegrationError` when the folder or a file cannot be
    written."""
    picture = render_gantt(chart, warning=warning)
    stem = f"gantt-{chart.project_id}"
    png = save_report(report_path(folder, stem, ".png"), picture.png)
    svg = save_report(report_path(folder, stem, ".svg"), picture.svg)
    return png, svg
