"""Points per member as a chart: for one output (:func:`render_points`: authors and acknowledged
members, the threshold) and for a whole project (:func:`render_project_points`: the points table the
case study's group shared regularly, sent with the weekly group digest).

Horizontal bars, most points at the top; equal points in the author list's order (authors by proposed
position, then by name, then member id). Each bar is an SVG group ``<g id="points-<member id>">`` and
the threshold ``<g id="threshold">``; every label is SVG text, so a test reads the chart back.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from matplotlib.patches import Patch

from braingain.core.group import Group
from braingain.core.ids import MemberId, ProjectId
from braingain.core.reports.authorship import JournalAuthorship
from braingain.integrations.reports.charts import Rendered, figure, rendered

AUTHOR_COLOUR = "#2b6cb0"
ACKNOWLEDGED_COLOUR = "#a0aec0"
THRESHOLD_COLOUR = "#c53030"
_LAST = 10**9


@dataclass(frozen=True, slots=True)
class _Bar:
    member_id: MemberId
    name: str
    points: Decimal
    author: bool | None  # None: the chart tells no authors apart (a project's points)
    order: int = _LAST


def render_points(report: JournalAuthorship) -> Rendered | None:
    """The points chart of ``report``'s output (see the module's docstring); ``None`` when no member
    has points for it yet (say so in words instead: an empty chart tells nobody anything)."""
    if not report.standings:
        return None
    bars = [
        _Bar(s.member_id, s.name, s.points, s.position is not None, s.position or _LAST)
        for s in report.standings
    ]
    threshold = report.decision.threshold
    authors = sum(1 for s in report.standings if s.position is not None)
    return _draw(
        f"Points for {report.output.title}",
        bars,
        threshold,
        lambda top: (
            f"Points for {report.output.title}: {len(bars)} members, {authors} of them authors; "
            f"the threshold is {threshold} points. Most: {top.name}, {top.points}."
        ),
    )


def project_points_fingerprint(group: Group, project: ProjectId, today: date | None = None) -> str | None:
    """Hex text that changes whenever :func:`render_project_points` would draw another chart (the
    project's title, its members' names and points); ``None`` when nobody has points in it yet."""
    bars = _project_bars(group, project)
    if not bars:
        return None
    data = [group.projects[project].title, *((b.member_id, b.name, str(b.points)) for b in bars)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def render_project_points(group: Group, project: ProjectId, today: date | None = None) -> Rendered | None:
    """Points per member in ``project``, replayed from the Ledger (every accepted task's award and
    every correction): the points table as a chart. ``None`` when nobody has points in it yet."""
    bars = _project_bars(group, project)
    if not bars:
        return None
    title = group.projects[project].title
    return _draw(
        f"Points in {project} {title}",
        bars,
        None,
        lambda top: (
            f"Points in {project} {title}: {len(bars)} members with points; most: {top.name}, {top.points}."
        ),
    )


def _project_bars(group: Group, project: ProjectId) -> list[_Bar]:
    return [
        _Bar(s.member_id, group.members[s.member_id].name, s.points, None)
        for s in group.ledger.standings(project, tasks=group.tasks)
        if s.member_id in group.members
    ]


LABEL_LENGTH = 40
"""The most characters of a name a bar's label shows (a longer one ends with "…")."""


def _label(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1] + "…"


def _draw(title: str, bars: Sequence[_Bar], threshold: Decimal | None, alt: object) -> Rendered:
    rows = sorted(bars, key=lambda b: (-b.points, b.order, b.name.casefold(), b.member_id))
    height = 1.2 + 0.32 * len(rows)
    with figure(7.0, height) as fig:
        axes = fig.add_subplot()
        for place, bar_of in enumerate(rows):
            colour = ACKNOWLEDGED_COLOUR if bar_of.author is False else AUTHOR_COLOUR
            (bar,) = axes.barh([place], [float(bar_of.points)], color=colour, height=0.7)
            bar.set_gid(f"points-{bar_of.member_id}")
            axes.text(float(bar_of.points), place, f" {bar_of.points}", va="center", ha="left", fontsize=8)
        axes.set_yticks(range(len(rows)), [_label(b.name) for b in rows])
        axes.invert_yaxis()
        handles: list[object] = []
        if any(b.author is not None for b in rows):
            handles += [
                Patch(color=AUTHOR_COLOUR, label="author"),
                Patch(color=ACKNOWLEDGED_COLOUR, label="acknowledged"),
            ]
        if threshold is not None:
            line = axes.axvline(
                float(threshold),
                color=THRESHOLD_COLOUR,
                linestyle="--",
                linewidth=1,
                label=f"threshold: {threshold} points",
            )
            line.set_gid("threshold")
            handles.append(line)
        if handles:
            axes.legend(handles=handles, loc="lower right", fontsize=8)
        axes.set_xlabel("Points")
        axes.set_title("\n".join(textwrap.wrap(title, 70)), loc="left", fontsize=10)
        top = max(float(rows[0].points), float(threshold or 0))
        axes.set_xlim(0, top * 1.15 if top > 0 else 1)
        said = alt(rows[0]) if callable(alt) else str(alt)
        return rendered(fig, said)
