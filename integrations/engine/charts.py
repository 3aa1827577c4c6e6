"""The charts a sync delivers (each active project's Gantt chart), drawn at most once a sync.

The composition root hands the engine a :class:`ChartSource`: how to fingerprint a project's chart
(its data, never the day it is drawn) and how to draw it (PNG, SVG and alt text,
:class:`~braingain.integrations.reports.charts.Rendered`). Drive keeps each chart in the project's
folder (saved again only when the fingerprint changes) and Slack attaches it to the group's weekly
digest. Planning asks only for fingerprints; a chart is drawn when an action needs its bytes, and
once per sync however many actions do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from braingain.core.charts import GANTT, Chart, active_projects, chart_title
from braingain.core.group import Group
from braingain.core.ids import ProjectId

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn, never for a sync without one
    from braingain.integrations.reports.charts import Rendered

Fingerprint = Callable[[Group, ProjectId, date], "str | None"]
"""A project's chart's fingerprint on a day (hex text that changes with its data, not with the day),
or ``None`` when there is nothing to draw (a project without tasks or dates)."""
Draw = Callable[[Group, ProjectId, date], "Rendered"]
"""A project's chart on a day, drawn."""


class ChartSource:
    """How the charts a sync delivers are made: ``fingerprint`` and ``draw`` of the Gantt chart (see
    the module), and of each other kind in ``more`` (``{kind: (fingerprint, draw)}``, such as
    :data:`~braingain.core.charts.POINTS`)."""

    def __init__(
        self, fingerprint: Fingerprint, draw: Draw, *, more: dict[str, tuple[Fingerprint, Draw]] | None = None
    ) -> None:
        self.kinds: dict[str, tuple[Fingerprint, Draw]] = {GANTT: (fingerprint, draw), **(more or {})}
        self._drawn: dict[tuple[str, str, str], Rendered] = {}

    def due(self, group: Group, today: date, *, kinds: tuple[str, ...] | None = None) -> list[Chart]:
        """Each chart of each active project (:func:`~braingain.core.charts.active_projects`) that has
        something to draw, by project ID then kind (the Gantt chart first); only ``kinds`` if given."""
        found: list[Chart] = []
        for project in active_projects(group, today):
            for kind, (fingerprint, _) in self.kinds.items():
                if kinds is not None and kind not in kinds:
                    continue
                stamp = fingerprint(group, project, today)
                if stamp is not None:
                    found.append(Chart(project, chart_title(group, project, kind), stamp, kind))
        return found

    def rendered(self, group: Group, chart: Chart, today: date) -> Rendered:
        """``chart`` drawn (once per source: the same chart and fingerprint are not drawn again)."""
        key = (chart.kind, chart.project, chart.fingerprint)
        found = self._drawn.get(key)
        if found is None:
            found = self._drawn[key] = self.kinds[chart.kind][1](group, chart.project, today)
        return found
