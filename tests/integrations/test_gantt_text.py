"""The Gantt chart in words, compared byte for byte with golden files.

To accept a deliberate change of wording, regenerate them and read the difference before committing::

    BRAINGAIN_GOLDEN=update .venv/bin/python -m pytest -q tests/integrations/test_gantt_text.py
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from braingain.core.ids import TaskId
from braingain.core.reports.gantt import Gantt, gantt
from braingain.integrations.reports.gantt_text import gantt_summary
from braingain.sample import sample_group
from tests.gantt_support import ADA, BOSS, REVIEWER, TODAY, group, moment, planned, started

GOLDEN = Path(__file__).parent.parent / "golden" / "gantt"
SAMPLE_DAY = date(2026, 11, 25)


def matches_golden(name: str, text: str) -> None:
    """``text`` is the golden file ``name``'s content (written instead with BRAINGAIN_GOLDEN=update)."""
    path = GOLDEN / name
    if os.environ.get("BRAINGAIN_GOLDEN") == "update":
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"no golden file {path}: run with BRAINGAIN_GOLDEN=update to write it"
    assert text.encode("utf-8") == path.read_bytes()


def edges() -> Gantt:
    """Every kind of row: planned and accepted, running, overdue and submitted, due only, start
    only, not scheduled, accepted without a recorded start, cancelled."""
    done = started(planned("T1", "design", date(2026, 3, 2), date(2026, 3, 6)), date(2026, 3, 2))
    done = done.submit(by=ADA, at=moment(date(2026, 3, 8))).accept(by=REVIEWER, at=moment(date(2026, 3, 9)))
    waiting = started(planned("T5", "data", due=date(2026, 3, 15)), date(2026, 3, 1))
    waiting = waiting.submit(by=ADA, at=moment(date(2026, 3, 14)))
    rebuilt = replace(
        done, id=TaskId("T7"), history=done.history[-1:]
    )  # a lost memory, rebuilt from the Ledger
    return gantt(
        group(
            done,
            started(planned("T2", "data", date(2026, 3, 9), date(2026, 3, 25)), date(2026, 3, 10)),
            planned("T3", "data", due=date(2026, 3, 12)),
            planned("T4", "writing"),
            waiting,
            planned("T6", "writing", start=date(2026, 4, 1)),
            rebuilt,
            planned("T8", "writing", due=date(2026, 5, 1)).cancel(by=BOSS, at=moment(date(2026, 3, 1))),
        ),
        "p1",
        TODAY,
    )


@pytest.mark.parametrize("project", ["sr-migration", "cohort-careers"])
def test_the_sample_groups_charts_in_words(project: str) -> None:
    chart = gantt(sample_group(SAMPLE_DAY), project, SAMPLE_DAY)
    matches_golden(f"sample-{project}.txt", gantt_summary(chart))


def test_every_kind_of_row_in_words() -> None:
    matches_golden("edges.txt", gantt_summary(edges()))


def test_an_empty_project_in_words_is_its_sentence_alone() -> None:
    chart = gantt(group(), "p1", TODAY)
    assert gantt_summary(chart) == "Project p1 has no tasks to draw: it has no tasks yet.\n"
