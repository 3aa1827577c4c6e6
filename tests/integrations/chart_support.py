"""A stand-in for the Gantt chart module in the delivery tests: a project's tasks as one bar each,
drawn with the charts module every chart uses, and a fingerprint of the tasks (never of the day)."""

from __future__ import annotations

import hashlib
from datetime import date

from braingain.core.group import Group
from braingain.core.ids import ProjectId
from braingain.integrations.engine.charts import ChartSource
from braingain.integrations.reports.charts import Rendered, figure, rendered


def fingerprint(group: Group, project: ProjectId, today: date) -> str | None:
    """Ten hex digits of the project's tasks (``None`` for a project without any)."""
    tasks = sorted(group.project_tasks(project), key=lambda t: t.id)
    if not tasks:
        return None
    text = repr([(t.id, t.title, t.stage, t.start, t.status) for t in tasks])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def draw(group: Group, project: ProjectId, today: date) -> Rendered:
    """One bar per task, its title as the label."""
    tasks = sorted(group.project_tasks(project), key=lambda t: t.id)
    with figure(4, 1 + len(tasks) * 0.3) as fig:
        axes = fig.add_subplot()
        for row, task in enumerate(tasks):
            axes.barh(row, 1, gid=f"task-{task.id}")
        axes.set_yticks(range(len(tasks)), labels=[t.title for t in tasks])
        axes.set_title(f"{project} {group.projects[project].title}")
        return rendered(fig, alt=f"Gantt chart of {project}: {len(tasks)} tasks")


class CountingSource(ChartSource):
    """The stand-in, counting how many charts it drew."""

    def __init__(self) -> None:
        self.drawn: list[str] = []

        def counted(group: Group, project: ProjectId, today: date) -> Rendered:
            self.drawn.append(project)
            return draw(group, project, today)

        super().__init__(fingerprint, counted)
