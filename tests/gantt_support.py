"""A small project to chart: stages, milestones, and tasks planned, begun and accepted on chosen days."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from braingain.core.authorship.tasks import Task
from braingain.core.group import Group
from braingain.core.projects import Milestone, Project, ProjectKind, Stage
from tests.builders import leader, member, task

TODAY = date(2026, 3, 20)
BOSS = leader("lead.one")
REVIEWER = leader("lead.two")
ADA = member("ada.obi", given_names="Ada", surname="Obi")
BEN = member("ben.eze", given_names="Ben", surname="Eze")
STAGES = (Stage("design", "Study design"), Stage("data", "Data collection"), Stage("writing", "Writing"))
PROJECT = Project.create(
    id="p1",
    title="A cohort study",
    kind=ProjectKind.CUSTOM,
    lead=BOSS.id,
    stages=STAGES,
    milestones=(
        Milestone("Data locked", date(2026, 5, 1), "data"),
        Milestone("Protocol out", date(2026, 2, 1), "design"),
        Milestone("Party", date(2026, 6, 1)),
    ),
)


def planned(id: str, stage: str, start: date | None = None, due: date | None = None) -> Task:
    return replace(task(id, proj=PROJECT, stage=stage, supervisor=BOSS, due=due), start=start)


def moment(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def started(t: Task, on: date, hour: int = 12) -> Task:
    """``t`` opened, assigned to Ada (head) and Ben, and begun on ``on``."""
    t = t.open(by=BOSS, at=moment(on, 0))
    t = t.assign([ADA.id, BEN.id], head=ADA.id, by=BOSS, at=moment(on, 1))
    return t.start_work(by=ADA, at=moment(on, hour))


def group(*tasks: Task, projects: tuple[Project, ...] = (PROJECT,)) -> Group:
    return Group.create("Test group", members=[BOSS, REVIEWER, ADA, BEN], projects=projects, tasks=tasks)
