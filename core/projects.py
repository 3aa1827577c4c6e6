"""Research projects, their ordered stages, milestones, and the stage templates we ship."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from braingain.core.errors import Checks, InvalidValue, UnknownReference, quote
from braingain.core.ids import MemberId, ProjectId, check_id, project_id
from braingain.core.parsing import require_text
from braingain.core.words import day_said


class ProjectKind(Enum):
    SYSTEMATIC_REVIEW = "systematic review"
    MIXED_METHODS = "mixed-methods study"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of a project; ``key`` is what tasks refer to, ``name`` is what people read."""

    key: str
    name: str

    @classmethod
    def create(cls, key: str, name: str) -> Stage:
        return cls(check_id(key, "stage key"), require_text(name, "stage name", max_length=120))


@dataclass(frozen=True, slots=True)
class Milestone:
    name: str
    due: date
    stage: str | None = None


SYSTEMATIC_REVIEW_STAGES: tuple[Stage, ...] = (
    Stage("protocol", "Protocol and registration"),
    Stage("search-strategy", "Search strategy"),
    Stage("searches", "Searches and export"),
    Stage("screening", "Title and abstract screening"),
    Stage("full-text", "Full-text review"),
    Stage("extraction", "Data extraction"),
    Stage("risk-of-bias", "Risk of bias assessment"),
    Stage("synthesis", "Synthesis"),
    Stage("drafting", "Manuscript drafting"),
    Stage("submission", "Revision and submission"),
)

MIXED_METHODS_STAGES: tuple[Stage, ...] = (
    Stage("protocol", "Protocol and study design"),
    Stage("ethics", "Ethics approval"),
    Stage("instruments", "Instruments and tools"),
    Stage("quantitative-data", "Quantitative data collection"),
    Stage("qualitative-data", "Qualitative interviews"),
    Stage("data-management", "Data cleaning and management"),
    Stage("quantitative-analysis", "Quantitative analysis"),
    Stage("qualitative-analysis", "Qualitative analysis"),
    Stage("integration", "Integration of findings"),
    Stage("drafting", "Manuscript drafting"),
    Stage("submission", "Revision and submission"),
)

TEMPLATES: dict[ProjectKind, tuple[Stage, ...]] = {
    ProjectKind.SYSTEMATIC_REVIEW: SYSTEMATIC_REVIEW_STAGES,
    ProjectKind.MIXED_METHODS: MIXED_METHODS_STAGES,
}


@dataclass(frozen=True, slots=True)
class Project:
    """A research project: ordered stages, milestones, and the leader who supervises it."""

    id: ProjectId
    title: str
    kind: ProjectKind
    lead: MemberId
    stages: tuple[Stage, ...]
    milestones: tuple[Milestone, ...] = ()
    start: date | None = None
    end: date | None = None

    @classmethod
    def create(
        cls,
        *,
        id: str,
        title: str,
        kind: ProjectKind,
        lead: MemberId,
        stages: tuple[Stage, ...] | None = None,
        milestones: tuple[Milestone, ...] = (),
        start: date | None = None,
        end: date | None = None,
    ) -> Project:
        """Create a project; without ``stages`` the kind's template is used.

        Every value is checked: :class:`~braingain.core.errors.Refusals` carries all the
        refusals when more than one fails (each names its field).
        """
        checks = Checks()
        ident = ProjectId(id)
        with checks:
            ident = project_id(id, "project id")
        with checks:
            title = require_text(title, "project title", max_length=300)
        found: tuple[Stage, ...] = ()
        with checks:
            found = _stages(kind, stages, milestones)
        if start and end and end < start:
            with checks:
                raise InvalidValue(
                    f"ends on {day_said(end)} before it starts on {day_said(start)}", field="end"
                )
        checks.done()
        return cls(
            id=ident,
            title=title,
            kind=kind,
            lead=lead,
            stages=found,
            milestones=tuple(sorted(milestones, key=lambda m: (m.due, m.name))),
            start=start,
            end=end,
        )

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise UnknownReference(
            f"project {self.id} has no stage {quote(key)}",
            field="stage",
            hint=f"use one of: {', '.join(s.key for s in self.stages)}",
        )

    def stage_index(self, key: str) -> int:
        return self.stages.index(self.stage(key))


def _stages(
    kind: ProjectKind, stages: tuple[Stage, ...] | None, milestones: tuple[Milestone, ...]
) -> tuple[Stage, ...]:
    """A project's stages (the kind's template without ``stages``), checked with its milestones."""
    if stages is None:
        if kind not in TEMPLATES:
            raise InvalidValue(
                "a custom project needs its own stages",
                field="stages",
                hint="list the stages, or choose 'systematic review' or 'mixed-methods study'",
            )
        stages = TEMPLATES[kind]
    if not stages:
        raise InvalidValue("a project needs at least one stage", field="stages")
    keys = [s.key for s in stages]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise InvalidValue(
            f"stage {quote(repeated[0])} appears more than once",
            field="stages",
            hint="give each stage its own key",
        )
    for milestone in milestones:
        if milestone.stage is not None and milestone.stage not in keys:
            raise UnknownReference(
                f"milestone {quote(milestone.name)} names stage {quote(milestone.stage)}, "
                "which the project does not have",
                field="milestone stage",
                hint=f"use one of: {', '.join(keys)}",
            )
    return tuple(stages)
