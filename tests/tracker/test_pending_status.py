"""A status typed on the Tasks tab but not applied: every message that depends on the task's status
names what it waits for, never the status the cell no longer says (issue 9: a leader typed open and
left Status changed by empty; the offers said "counts once a leader opens the task (Status: open)").

The case is a missing Status changed by; its siblings are an unreadable one, a status the task
cannot take yet (no acceptance criteria), and a status past open typed for a draft."""

from __future__ import annotations

import pytest

from braingain.core.tracker.schema import Snapshot
from tests.tracker.helpers import Sample, append, edit

SAMPLE = Sample()
START = SAMPLE.start()
CRITERIA = "Both reviewers' JBI checklists, reconciled"


def offered(snap: Snapshot) -> Snapshot:
    """An offer for SR-T10, a draft, and the acceptance criteria it needs to open."""
    snap = edit(snap, "Tasks", "SR-T10", "Acceptance criteria", CRITERIA)
    return append(
        snap,
        "Volunteers",
        {
            "ID": "V-100",
            "Task": "SR-T10",
            "Member": "funmi.lawani",
            "Volunteered at": "2026-11-24 10:00 Africa/Lagos",
        },
    )


def typed(snap: Snapshot, to: str, by: str | None) -> Snapshot:
    return edit(edit(snap, "Tasks", "SR-T10", "Status", to), "Tasks", "SR-T10", "Status changed by", by)


def offer_problem(snap: Snapshot) -> str:
    (found,) = [p.reason for p in SAMPLE.read(snap).problems if p.tab == "Volunteers"]
    return found


@pytest.mark.parametrize(
    ("to", "by", "remedy"),
    [
        ("open", None, "fill in Status changed by on the Tasks tab"),
        ("open", "nobody.here", "fix its Status changed by on the Tasks tab"),
    ],
)
def test_an_offer_for_a_task_typed_open_but_not_applied_names_what_the_status_waits_for(
    to: str, by: str | None, remedy: str
) -> None:
    said = offer_problem(typed(offered(START), to, by))
    assert said == (
        f"task SR-T10's Status says open but is not applied yet: {remedy}; until then the task is a "
        "draft and this offer is not counted (it counts once it is)"
    )
    assert "Status: open" not in said


def test_an_offer_for_a_task_that_cannot_open_yet_says_why_it_cannot() -> None:
    no_criteria = edit(
        typed(offered(START), "open", "ada.obiora"), "Tasks", "SR-T10", "Acceptance criteria", ""
    )
    said = offer_problem(no_criteria)
    assert said.startswith(
        "task SR-T10's Status says open but is not applied yet: task SR-T10 has no acceptance"
    )
    assert said.endswith(
        "until then the task is a draft and this offer is not counted (it counts once it is)"
    )


def test_an_offer_for_a_draft_typed_past_open_is_not_told_it_will_count() -> None:
    said = offer_problem(typed(offered(START), "assigned", "ada.obiora"))
    assert said.startswith("task SR-T10's Status says assigned but is not applied yet: ")
    assert said.endswith("(delete this row)")


def test_once_the_status_applies_the_offer_counts() -> None:
    opened = typed(offered(START), "open", "ada.obiora")
    assert not [p for p in SAMPLE.read(opened).problems if p.tab == "Volunteers"]


def test_an_offer_for_a_draft_nobody_typed_open_still_says_how_it_will_count() -> None:
    assert offer_problem(offered(START)) == (
        "task SR-T10 is a draft and takes no volunteers yet: this offer is not counted; "
        "it counts once a leader opens the task (Status: open)"
    )


def test_a_team_changed_with_needs_rework_typed_but_not_applied_names_the_missing_actor() -> None:
    # SR-T08 submitted; a leader types needs rework (which would let the team change) and a new
    # team, but leaves Status changed by empty.
    _, submitted, _ = SAMPLE.sync(
        edit(
            edit(START, "Tasks", "SR-T08", "Status", "submitted"),
            "Tasks",
            "SR-T08",
            "Status changed by",
            "amara.okorafor",
        )
    )
    rework = edit(
        edit(
            edit(submitted, "Tasks", "SR-T08", "Status", "needs rework"),
            "Tasks",
            "SR-T08",
            "Status changed by",
            None,
        ),
        "Tasks",
        "SR-T08",
        "Contributors",
        "amara.okorafor; uyi.omoregbe",
    )
    (said,) = [p.reason for p in SAMPLE.read(rework).problems if p.column == "Contributors"]
    assert said.startswith(
        "task SR-T08's Status says needs rework but is not applied yet (fill in Status changed by on the "
        "Tasks tab), so the task is still submitted: the team stays as recorded"
    )
    assert "(Status: needs rework)" not in said
