"""The charts braingain delivers on its own: one per active project, attached to the group's weekly
digest and kept in the project's folder on Drive (or the workspace's reports folder).

The core knows only what a chart is called and what it shows, by a fingerprint of its data (never
of the day it is drawn, so that a chart is saved again when its project changes, not every day); the
drawing is the integrations' (the composition root hands the engine a way to draw one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from braingain.core.group import Group
from braingain.core.ids import ProjectId

PNG = "image/png"
SVG = "image/svg+xml"


GANTT = "gantt"
"""A project's Gantt chart: kept in its folder and shared with the group digest."""
POINTS = "points"
"""A project's points per member (the points table as a chart): shared with the group digest."""

KIND_SAID: dict[str, str] = {GANTT: "Gantt chart", POINTS: "points chart"}
"""Each kind of chart, as a person says it."""


@dataclass(frozen=True, slots=True)
class Chart:
    """One project's chart as it should be delivered: ``project`` (its ID), ``title`` (what a person
    reads: "Gantt chart of P1 Drivers of …"), ``fingerprint`` (hex text that changes whenever the
    chart's data does, never with the day alone) and ``kind`` (:data:`GANTT`, :data:`POINTS`)."""

    project: ProjectId
    title: str
    fingerprint: str
    kind: str = GANTT

    def name(self, extension: str = "png") -> str:
        """The file's name: ``gantt-P1.png``, ``points-P1.png`` (``extension`` without the dot)."""
        return f"{self.kind}-{self.project}.{extension}"

    @property
    def ident(self) -> str:
        """What tells this chart from the others of its digest: the project's ID for its Gantt chart
        (as braingain has always remembered it), ``points:P1`` for its points chart."""
        return self.project if self.kind == GANTT else f"{self.kind}:{self.project}"

    @property
    def what(self) -> str:
        """``the Gantt chart of P1``, ``the points chart of P1``."""
        return f"the {KIND_SAID.get(self.kind, self.kind + ' chart')} of {self.project}"


def active_projects(group: Group, today: date) -> list[ProjectId]:
    """The projects whose charts are delivered on ``today``: every project not ended before it (a
    project without an end date is active), by ID."""
    return sorted(p.id for p in group.projects.values() if p.end is None or p.end >= today)


def chart_title(group: Group, project: ProjectId, kind: str = GANTT) -> str:
    """``Gantt chart of P1 <title>``, ``Points chart of P1 <title>``."""
    said = KIND_SAID.get(kind, f"{kind} chart")
    return f"{said[0].upper()}{said[1:]} of {project} {group.projects[project].title}"
