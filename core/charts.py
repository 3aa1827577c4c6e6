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


@dataclass(frozen=True, slots=True)
class Chart:
    """One project's chart as it should be delivered: ``project`` (its ID), ``title`` (what a person
    reads: "Gantt chart of P1 Drivers of …") and ``fingerprint`` (hex text that changes whenever the
    chart's data does, never with the day alone)."""

    project: ProjectId
    title: str
    fingerprint: str

    def name(self, extension: str = "png") -> str:
        """The file's name: ``gantt-P1.png`` (``extension`` without the dot: ``png`` or ``svg``)."""
        return f"gantt-{self.project}.{extension}"


def active_projects(group: Group, today: date) -> list[ProjectId]:
    """The projects whose charts are delivered on ``today``: every project not ended before it (a
    project without an end date is active), by ID."""
    return sorted(p.id for p in group.projects.values() if p.end is None or p.end >= today)


def chart_title(group: Group, project: ProjectId) -> str:
    """``Gantt chart of P1 <title>``."""
    return f"Gantt chart of {project} {group.projects[project].title}"
