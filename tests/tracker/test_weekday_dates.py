"""Dates braingain writes as text say their weekday and year: Projects' Next milestone reads
"Thu 14 Jan 2027: Protocol approved". A tracker that holds the form written before
("2027-01-14 Protocol approved") gets the new one once, and a second sync writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from braingain.core.words import day_short
from tests.tracker.helpers import Sample, edit, row_number

SAMPLE = Sample()
PROTOCOL = SAMPLE.today + timedelta(days=45)  # the cohort study's first milestone
REVIEWED = SAMPLE.today + timedelta(days=20)  # the review's next one


def next_milestone(snap: object, project: str) -> object:
    grid = snap.grids["Projects"]  # type: ignore[attr-defined]
    index = list(grid.values[0]).index("Next milestone")
    return grid.values[row_number(snap, "Projects", project) - 1][index]  # type: ignore[arg-type]


def test_a_short_day_has_its_weekday_day_month_and_year() -> None:
    assert day_short(date(2027, 1, 14)) == "Thu 14 Jan 2027"
    assert day_short(date(2026, 12, 5)) == "Sat 5 Dec 2026"


def test_the_next_milestone_says_its_day_with_the_weekday_then_its_name() -> None:
    start = SAMPLE.start()
    assert (
        next_milestone(start, "cohort-careers")
        == "Sat 9 Jan 2027: Protocol approved"
        == (f"{day_short(PROTOCOL)}: Protocol approved")
    )
    assert next_milestone(start, "sr-migration") == f"{day_short(REVIEWED)}: Full texts reviewed"


def test_a_next_milestone_written_in_the_form_before_is_written_again_once() -> None:
    before = f"{PROTOCOL.isoformat()} Protocol approved"
    old = edit(SAMPLE.start(), "Projects", "cohort-careers", "Next milestone", before)
    _, after, plan = SAMPLE.sync(old)
    assert [c.value for c in plan.write.cells if c.tab == "Projects"] == [
        f"{day_short(PROTOCOL)}: Protocol approved"
    ]
    _, _, again = SAMPLE.sync(after)
    assert again.write.empty, again.summary
