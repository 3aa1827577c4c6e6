"""One member action's write (:mod:`braingain.core.tracker.edits`): a new row below the last, with a
fresh ID in the tab's own pattern, or person-owned cells written only while they hold what was read."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from braingain.core.errors import InvalidValue, UnknownReference
from braingain.core.tracker.edits import append_row, change_cells, found, listed_with, next_id
from braingain.core.tracker.schema import Cell, CellWrite, Grid, Problem, Table, read_table
from tests.tracker.helpers import SCHEMA

VOLUNTEER_HEADERS = (
    "ID",
    "Task",
    "Member",
    "Volunteered at",
    "Note",
    "Leader override",
    "Rank",
    "Selected",
    "Why",
)


def table(key: str, headers: Sequence[str], *rows: Sequence[Cell]) -> Table:
    tab = SCHEMA.tab(key)
    problems: list[Problem] = []
    read = read_table(tab, Grid(tab.title, (tuple(headers), *(tuple(r) for r in rows))), problems)
    assert read is not None
    return read


def volunteers(*ids: str) -> Table:
    return table("volunteers", VOLUNTEER_HEADERS, *((i, "T1", "ada") for i in ids))


@pytest.mark.parametrize(
    ("ids", "fresh"),
    [
        (("V0010", "V0012", "V0011"), "V0013"),  # the largest, plus one, padded as typed
        (("V-001", "V-002"), "V-003"),
        (("v-007", "V-008"), "V-009"),  # case set aside; written as the last row types it
        (("V-001", "V-002", "X-050"), "V-003"),  # the pattern most rows follow
        (("V-099",), "V-100"),  # past the padding
        ((), "V-001"),  # an empty tab: the first ID braingain types
        (("offer-a", "offer-b"), "V-001"),  # no numbered ID to follow
    ],
)
def test_a_new_row_gets_the_next_id_in_the_tabs_own_pattern(ids: tuple[str, ...], fresh: str) -> None:
    assert next_id(volunteers(*ids), "V-001") == fresh


def test_a_fresh_id_is_never_one_another_row_has_in_another_case_or_padding() -> None:
    assert next_id(volunteers("V-01", "V-02", "v-3", "V-003"), "V-001") == "V-04"


def test_a_new_row_lands_below_the_last_row_holding_anything() -> None:
    tables = {
        "volunteers": table(
            "volunteers", VOLUNTEER_HEADERS, ("V-001", "T1", "ada"), (), ("", "", "", "a note")
        )
    }
    edit = append_row(tables, "volunteers", "Volunteers", {"task": "T2", "member": "efe", "note": ""})
    assert edit.ident == "V-002"
    assert {(c.row, c.column, c.value) for c in edit.write.cells} == {
        (5, 1, "V-002"),
        (5, 2, "T2"),
        (5, 3, "efe"),
    }
    assert not any(c.fill for c in edit.write.cells)
    assert edit.write.tabs == (("Volunteers", "volunteers"),)


def test_a_new_row_is_refused_while_a_header_it_fills_is_missing() -> None:
    tables = {"volunteers": table("volunteers", ("ID", "Task", "Member"), ("V-001", "T1", "ada"))}
    with pytest.raises(InvalidValue, match="'Note'"):
        append_row(tables, "volunteers", "Volunteers", {"task": "T2", "member": "efe", "note": "keen"})


def test_a_new_row_is_refused_when_the_tab_is_not_there() -> None:
    with pytest.raises(InvalidValue, match="no Volunteers tab"):
        append_row({"volunteers": None}, "volunteers", "Volunteers", {"task": "T2"})


TASK_HEADERS = ("ID", "Title", "Status", "Status changed by", "Review note", "Check")


def test_person_cells_are_written_only_while_they_hold_what_was_read() -> None:
    tasks = table("tasks", TASK_HEADERS, ("T1", "Screen", "in progress", "efe", None, "ok"))
    edit = change_cells(
        {"tasks": tasks}, "tasks", "Tasks", "T1", {"status": "submitted", "changed_by": "efe", "note": "done"}
    )
    assert edit.write.cells == (
        CellWrite("Tasks", 2, 3, "submitted", fill=True, was="in progress"),
        CellWrite("Tasks", 2, 5, "done", fill=True, was=None),
    )  # Status changed by already says efe: not written


def test_changing_cells_of_a_row_that_is_not_there_is_refused() -> None:
    tasks = table("tasks", TASK_HEADERS, ("T1", "Screen", "open"))
    with pytest.raises(UnknownReference, match="no row 'T2'"):
        change_cells({"tasks": tasks}, "tasks", "Tasks", "T2", {"status": "open"})


def test_changing_a_cell_whose_header_is_missing_is_refused() -> None:
    tasks = table("tasks", ("ID", "Title", "Status"), ("T1", "Screen", "open"))
    with pytest.raises(InvalidValue, match="'Review note'"):
        change_cells({"tasks": tasks}, "tasks", "Tasks", "T1", {"note": "redo"})


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        (None, "ada"),
        ("", "ada"),
        ("efe", "efe; ada"),
        ("efe, tobi;", "efe, tobi; ada"),  # what was typed stays as typed
        ("efe; ada", "efe; ada"),  # already there: unchanged
    ],
)
def test_a_member_is_added_at_the_end_of_a_list_cell(typed: Cell, listed: str) -> None:
    assert listed_with(typed, "ada") == listed


def test_an_id_is_found_whatever_its_case_and_spacing() -> None:
    assert found(["SR-T09", "SR-T10"], "  sr-t09 ", "task") == "SR-T09"


def test_an_id_typed_exactly_wins_over_one_that_differs_in_case() -> None:
    assert found(["sr-t01", "SR-T01"], "SR-T01", "task") == "SR-T01"
    with pytest.raises(UnknownReference):
        found(["sr-t01", "SR-T01"], "Sr-T01", "task")  # which one is meant cannot be told


def test_an_unknown_id_is_refused_naming_the_close_ones() -> None:
    with pytest.raises(UnknownReference) as caught:
        found(["SR-T09", "SR-T10", "CS-T01"], "t09", "task")
    assert "SR-T09" in caught.value.hint
