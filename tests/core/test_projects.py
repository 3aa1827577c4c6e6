"""Projects: ordered stages from a template or the leader's own, and milestones."""

from __future__ import annotations

from datetime import date

import pytest

from braingain.core.errors import InvalidValue, UnknownReference
from braingain.core.projects import (
    MIXED_METHODS_STAGES,
    SYSTEMATIC_REVIEW_STAGES,
    Milestone,
    Project,
    ProjectKind,
    Stage,
)
from tests.builders import leader

LEAD = leader()


def test_a_systematic_review_gets_the_usual_stages_in_order() -> None:
    review = Project.create(id="sr", title="Review", kind=ProjectKind.SYSTEMATIC_REVIEW, lead=LEAD.id)
    assert [s.name for s in review.stages] == [
        "Protocol and registration",
        "Search strategy",
        "Searches and export",
        "Title and abstract screening",
        "Full-text review",
        "Data extraction",
        "Risk of bias assessment",
        "Synthesis",
        "Manuscript drafting",
        "Revision and submission",
    ]
    assert review.stages == SYSTEMATIC_REVIEW_STAGES


def test_a_mixed_methods_study_gets_its_own_template() -> None:
    study = Project.create(id="cs", title="Cohort", kind=ProjectKind.MIXED_METHODS, lead=LEAD.id)
    assert study.stages == MIXED_METHODS_STAGES
    assert {"qualitative-data", "quantitative-analysis", "integration"} <= {s.key for s in study.stages}


def test_leaders_can_define_their_own_stages() -> None:
    stages = (Stage.create("design", "Design the workshop"), Stage.create("deliver", "Deliver it"))
    custom = Project.create(
        id="ws", title="Grant-writing workshop", kind=ProjectKind.CUSTOM, lead=LEAD.id, stages=stages
    )
    assert [s.key for s in custom.stages] == ["design", "deliver"]
    assert custom.stage_index("deliver") == 1


def test_a_custom_project_without_stages_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidValue, match="needs its own stages") as caught:
        Project.create(id="ws", title="Workshop", kind=ProjectKind.CUSTOM, lead=LEAD.id)
    assert "systematic review" in caught.value.hint


def test_a_stage_key_may_appear_only_once() -> None:
    stages = (Stage.create("a", "A"), Stage.create("a", "Again"))
    with pytest.raises(InvalidValue, match="'a' appears more than once"):
        Project.create(id="p", title="P", kind=ProjectKind.CUSTOM, lead=LEAD.id, stages=stages)


def test_a_milestone_must_name_a_stage_of_the_project() -> None:
    with pytest.raises(UnknownReference, match="which the project does not have"):
        Project.create(
            id="sr",
            title="Review",
            kind=ProjectKind.SYSTEMATIC_REVIEW,
            lead=LEAD.id,
            milestones=(Milestone("Ethics", date(2026, 5, 1), "ethics"),),
        )


def test_milestones_are_kept_in_date_order() -> None:
    review = Project.create(
        id="sr",
        title="Review",
        kind=ProjectKind.SYSTEMATIC_REVIEW,
        lead=LEAD.id,
        milestones=(
            Milestone("Submit", date(2026, 9, 1)),
            Milestone("Register", date(2026, 2, 1), "protocol"),
        ),
    )
    assert [m.name for m in review.milestones] == ["Register", "Submit"]


def test_a_project_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidValue, match="before it starts"):
        Project.create(
            id="sr",
            title="Review",
            kind=ProjectKind.SYSTEMATIC_REVIEW,
            lead=LEAD.id,
            start=date(2026, 5, 1),
            end=date(2026, 4, 1),
        )


def test_an_unknown_stage_lists_the_stages_the_project_has() -> None:
    review = Project.create(id="sr", title="Review", kind=ProjectKind.SYSTEMATIC_REVIEW, lead=LEAD.id)
    with pytest.raises(UnknownReference) as caught:
        review.stage("meta-analysis")
    assert "screening" in caught.value.hint


@pytest.mark.parametrize("bad", ["", "has space", "-leading-dash", "x" * 65])
def test_a_project_id_must_be_a_short_handle(bad: str) -> None:
    with pytest.raises(InvalidValue, match="not a valid id"):
        Project.create(id=bad, title="Review", kind=ProjectKind.SYSTEMATIC_REVIEW, lead=LEAD.id)
