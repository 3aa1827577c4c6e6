"""Every cell braingain writes fits in one row of the workbook: no row needs more than Excel's
tallest (409 points), so no line of a multi-line cell is cut off on screen or on paper.

The height a cell needs is estimated the way the workbook sizes its rows: a wrapped line holds
1.2 characters per unit of the column's width, and a line is 15 points tall.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.icmje import (
    AuthorshipPolicy,
    Confirmation,
    Output,
    OutputKind,
    decide_authorship,
)
from braingain.core.authorship.ledger import Ledger
from braingain.core.authorship.tasks import Icmje, Task
from braingain.core.members import Member
from braingain.core.tracker.plan import output_cells, plan_tracker
from braingain.core.tracker.read import read_tracker
from braingain.integrations.tracker.workbook import LocalWorkbook, create_workbook
from tests.builders import accepted, at, leader, member, project, task
from tests.tracker.helpers import SCHEMA, sample_rows, sample_settings

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TALLEST_ROW = 409.0
LINE_HEIGHT = 15.0
CHARACTERS_PER_WIDTH = 1.2


def needed_height(text: str, width: float) -> float:
    """Points a wrapped ``text`` needs in a column ``width`` characters wide."""
    per_line = max(1.0, width * CHARACTERS_PER_WIDTH)
    lines = sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))
    return LINE_HEIGHT * lines + 3


def synced_sample(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.xlsx"
    create_workbook(path, SCHEMA, sample_rows(TODAY))
    book = LocalWorkbook(path, schema=SCHEMA)
    settings = sample_settings(TODAY)
    read = read_tracker(SCHEMA, book.read(), settings, NOW)
    book.write(plan_tracker(SCHEMA, read, settings, NOW).write)
    return path


def text_cells(path: Path) -> Iterator[tuple[str, str, str, float, str]]:
    """(tab, A1, header, column width, text) of every text cell below the header of a visible tab."""
    for sheet in load_workbook(path):
        if sheet.sheet_state != "visible":
            continue
        headers = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    width = sheet.column_dimensions[get_column_letter(cell.column)].width or 8.43
                    yield sheet.title, cell.coordinate, str(headers[cell.column - 1]), width, cell.value


def test_no_cell_of_the_synced_sample_needs_a_row_taller_than_excel_allows(tmp_path: Path) -> None:
    too_tall = [
        (tab, a1, header, needed_height(text, width))
        for tab, a1, header, width, text in text_cells(synced_sample(tmp_path))
        if needed_height(text, width) > TALLEST_ROW
    ]
    assert not too_tall


def test_the_sample_papers_acknowledged_cell_says_each_member_once_in_one_short_line(tmp_path: Path) -> None:
    acknowledged = "\n".join(
        text
        for tab, _, header, _, text in text_cells(synced_sample(tmp_path))
        if (tab, header) == ("Outputs", "Acknowledged (and what they miss)")
    )
    assert "Zainab Musawa (6.50 points): missing ICMJE 3, 4" in acknowledged.splitlines()
    assert "does not yet meet" not in acknowledged
    assert all(len(line) <= 80 for line in acknowledged.splitlines())


def outputs_widths(tmp_path: Path) -> dict[str, float]:
    """The Outputs columns' widths (by column key) in a new workbook."""
    path = tmp_path / "new.xlsx"
    create_workbook(path, SCHEMA, {})
    sheet = load_workbook(path)[SCHEMA.tab("outputs").title]
    return {
        c.key: sheet.column_dimensions[get_column_letter(i)].width or 8.43
        for i, c in enumerate(SCHEMA.tab("outputs").columns, start=1)
    }


GIVEN = ["Chidiebere", "Oluwaseun", "Ngozi", "Olusegun", "Adaeze", "Tobiloba", "Ehimare", "Funmilayo"]
SURNAMES = ["Okekearu", "Aigbekaen", "Igbinoba", "Omoregbe", "Ukpebor", "Akinwale"]
ROLES = [
    (CreditRole.CONCEPTUALIZATION, Icmje.DESIGN_ACQUISITION_ANALYSIS),
    (CreditRole.METHODOLOGY, Icmje.DESIGN_ACQUISITION_ANALYSIS),
    (CreditRole.INVESTIGATION, Icmje.DESIGN_ACQUISITION_ANALYSIS),
    (CreditRole.DATA_CURATION, Icmje.DESIGN_ACQUISITION_ANALYSIS),
    (CreditRole.FORMAL_ANALYSIS, Icmje.DESIGN_ACQUISITION_ANALYSIS),
    (CreditRole.WRITING_ORIGINAL_DRAFT, Icmje.DRAFTING_OR_REVISION),
]


def twenty_four() -> list[Member]:
    return [
        member(f"m{i:02}.x", given_names=GIVEN[i % 8], surname=SURNAMES[(i // 8 + i) % 6]) for i in range(24)
    ]


@pytest.mark.parametrize("confirming", [1, 2, 24], ids=["everyone-confirms", "half-confirm", "one-confirms"])
def test_every_outputs_cell_of_a_twenty_four_member_group_fits_in_a_row(
    tmp_path: Path, confirming: int
) -> None:
    """Six tasks of eight overlapping members (each member in two, with different roles and
    shares) and one task everyone shares equally (so many ties); every ``confirming``-th member
    confirms the final version, so 24, 12 or 1 are authors and the rest acknowledged."""
    people = twenty_four()
    boss = leader("lead.boss")
    proj = project("sr", lead=boss)
    paper = Output.create(id="paper", project=proj, kind=OutputKind.PAPER, title="The review")
    ledger = Ledger()
    tasks: list[Task] = []
    teams = [(people * 2)[4 * n : 4 * n + 8] for n in range(6)]
    work = [
        (role, icmje, team, 8 + n) for n, ((role, icmje), team) in enumerate(zip(ROLES, teams, strict=True))
    ]
    work.append((CreditRole.WRITING_REVIEW_EDITING, Icmje.DRAFTING_OR_REVISION, people, 48))
    for n, (role, icmje, team, worth) in enumerate(work):
        made = task(f"T{n}", proj=proj, points=worth, role=role, icmje=icmje)
        done = accepted(made, team, by=boss, start=at(n))
        ledger.award(done, by=boss)
        tasks.append(done)
    confirmations = [Confirmation(p.id, paper.id, True, True, at(30)) for p in people[::confirming]]
    decision = decide_authorship(
        paper,
        project=proj,
        members={m.id: m for m in [*people, boss]},
        tasks=tasks,
        entries=ledger.entries,
        confirmations=confirmations,
        policy=AuthorshipPolicy(min_share=None),
    )
    assert len(decision.authors) == len(people[::confirming])
    widths = outputs_widths(tmp_path)
    heights = {key: needed_height(text, widths[key]) for key, text in output_cells(decision).items()}
    assert all(h <= TALLEST_ROW for h in heights.values()), heights
