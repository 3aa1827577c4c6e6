"""What a person typed and braingain cannot apply, end to end through `braingain sync` on a local
workbook: it is listed on the Problems tab (tab, row, column, why), the sync exits 3, no decision
changes, and a second sync writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from braingain.integrations.cli import EXIT_PROBLEMS
from tests.integrations.test_bad_cells_local import owned, problems_tab, sync, tracker, type_into

__all__ = ["tracker"]  # the sample group's workbook after its first sync (a fixture)

Typing = Callable[[Path], list[tuple[str, int, str]]]
"""Types into the workbook; returns the cells that must be reported (tab, row, header)."""


def add_row(config: Path, tab: str, cells: dict[str, object]) -> int:
    """Type a new row at the foot of ``tab`` (``cells`` by header); its row number."""
    workbook = config.parent / "tracker.xlsx"
    book = openpyxl.load_workbook(workbook)
    sheet = book[tab]
    headers = [c.value for c in sheet[1]]
    row: int = sheet.max_row + 1
    for header, value in cells.items():
        sheet.cell(row, headers.index(header) + 1, value)
    book.save(workbook)
    return row


def a_meeting_the_series_does_not_plan(config: Path) -> str:
    return "2026-12-12"  # a Saturday between two meetings two weeks apart


def offer_for_a_draft_task(config: Path) -> list[tuple[str, int, str]]:
    row = add_row(
        config,
        "Volunteers",
        {"ID": "V-100", "Task": "SR-T10", "Member": "zainab.musawa", "Volunteered at": "2026-11-24 10:00"},
    )
    return [("Volunteers", row, "Task")]


def agenda_for_a_meeting_not_in_the_series(config: Path) -> list[tuple[str, int, str]]:
    meeting = a_meeting_the_series_does_not_plan(config)
    item = {"ID": "AG-100", "Meeting": meeting, "Item": "Data extraction", "Added by": "ada.obiora"}
    row = add_row(config, "Agenda", {**item, "Added at": "2026-11-24 10:00"})
    return [("Agenda", row, "Meeting")]


def adjustment_of_a_resolved_dispute_changed(config: Path) -> list[tuple[str, int, str]]:
    return [
        ("Disputes", type_into(config, "Disputes", "D-002", "Adjustment (points)", 40), "Adjustment (points)")
    ]


def resolved_dispute_set_back_to_open(config: Path) -> list[tuple[str, int, str]]:
    return [("Disputes", type_into(config, "Disputes", "D-002", "Decision", "open"), "Decision")]


def contributors_of_an_accepted_task_changed(config: Path) -> list[tuple[str, int, str]]:
    row = type_into(config, "Tasks", "SR-T02", "Contributors", "amara.okorafor; zainab.musawa")
    return [("Tasks", row, "Contributors")]


def more_forced_in_than_the_cap(config: Path) -> list[tuple[str, int, str]]:
    return [
        ("Volunteers", type_into(config, "Volunteers", ident, "Leader override", "in"), "Leader override")
        for ident in ("V-001", "V-002", "V-003")
    ]


@pytest.mark.parametrize(
    "typing",
    [
        offer_for_a_draft_task,
        agenda_for_a_meeting_not_in_the_series,
        adjustment_of_a_resolved_dispute_changed,
        resolved_dispute_set_back_to_open,
        contributors_of_an_accepted_task_changed,
        more_forced_in_than_the_cap,
    ],
)
def test_what_braingain_cannot_apply_is_on_the_problems_tab_and_the_sync_exits_3(
    tracker: Path, capsys: pytest.CaptureFixture[str], typing: Typing
) -> None:
    before = owned(tracker)
    expected = typing(tracker)
    code, data = sync(tracker, capsys)
    assert code == EXIT_PROBLEMS
    reported = {(p["tab"], p["row"], p["column"]) for p in data["problems"]}
    assert set(expected) <= reported, data["problems"]
    listed = {(tab, row, column) for tab, row, column, _ in problems_tab(tracker)}
    assert set(expected) <= listed
    after = owned(tracker)
    assert {k: after[k] for k in before} == before, "no decision changes"
    code, data = sync(tracker, capsys)
    assert (code, data["cells"]) == (EXIT_PROBLEMS, 0)
