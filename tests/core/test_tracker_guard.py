"""Placing a sync's writes on a tab a person changed between the read and the write
(:func:`braingain.core.tracker.guard.place`): by row ID and header, never by position."""

from __future__ import annotations

from collections.abc import Sequence

from braingain.core.tracker.guard import Placed, last_row, memory_waits, place
from braingain.core.tracker.schema import Cell, CellWrite, Grid, Unwritten
from tests.tracker.helpers import SCHEMA

TASKS = SCHEMA.tab("tasks")
LEDGER = SCHEMA.tab("ledger")
PROBLEMS = SCHEMA.tab("problems")


def grid(title: str, *rows: Sequence[Cell]) -> Grid:
    return Grid(title, tuple(tuple(r) for r in rows))


TASKS_READ = grid(
    "Tasks",
    ("ID", "Title", "Check", "Note"),
    ("T1", "Screen", "ok", None),
    ("T2", "Extract", "ok", None),
    ("T3", "Draft", "ok", "typed"),
)


def check(row: int, value: str) -> CellWrite:
    return CellWrite("Tasks", row, 3, value)


def test_a_cell_follows_its_row_when_a_person_inserts_rows_above_it() -> None:
    now = grid("Tasks", TASKS_READ.values[0], ("new", "typed by a person"), *TASKS_READ.values[1:])
    placed = place(TASKS, TASKS_READ, [check(3, "late")], now)
    assert placed.cells == (CellWrite("Tasks", 4, 3, "late"),)  # T2 is on row 4 now
    assert placed.unwritten == ()


def test_a_cell_follows_its_column_when_a_person_moves_columns() -> None:
    now = grid("Tasks", ("Check", "ID", "Title", "Note"), ("ok", "T1", "Screen"), ("ok", "T2", "Extract"))
    placed = place(TASKS, TASKS_READ, [check(2, "late")], now)
    assert placed.cells == (CellWrite("Tasks", 2, 1, "late"),)


def test_a_cell_whose_row_was_deleted_is_not_written_and_the_sync_says_so() -> None:
    now = grid("Tasks", TASKS_READ.values[0], TASKS_READ.values[1], TASKS_READ.values[3])
    placed = place(TASKS, TASKS_READ, [check(3, "late")], now)
    assert placed.cells == ()
    (held,) = placed.unwritten
    assert (held.tab, held.cells) == ("Tasks", 1)
    assert "the row with ID 'T2' was deleted, or its ID changed, during the sync" in held.reason


def test_a_cell_whose_id_is_now_on_two_rows_is_not_written() -> None:
    now = grid("Tasks", *TASKS_READ.values, ("T2", "typed again"))
    placed = place(TASKS, TASKS_READ, [check(3, "late")], now)
    assert placed.cells == ()
    assert "the ID 'T2' is on 2 rows now" in placed.unwritten[0].reason


def test_a_cell_under_a_renamed_header_is_not_written_anywhere() -> None:
    now = grid("Tasks", ("ID", "Title", "Check (mine)", "Note"), *TASKS_READ.values[1:])
    placed = place(TASKS, TASKS_READ, [check(2, "late")], now)
    assert placed.cells == ()
    assert "the column 'Check' was renamed, removed or repeated during the sync" in placed.unwritten[0].reason


def test_nothing_is_written_to_a_tab_whose_id_header_was_renamed() -> None:
    now = grid("Tasks", ("Task", "Title", "Check", "Note"), *TASKS_READ.values[1:])
    placed = place(TASKS, TASKS_READ, [check(2, "late"), CellWrite("Tasks", 5, 1, "T4")], now)
    assert (placed.cells, placed.appends) == ((), ())
    assert placed.unwritten[0].cells == 2
    assert "the ID column 'ID' was renamed" in placed.unwritten[0].reason


def test_a_row_without_an_id_is_found_by_what_is_typed_in_it_and_left_alone_once_it_changed() -> None:
    read = grid("Tasks", ("ID", "Title", "Check"), (None, "No id yet", "ok"), ("T1", "Screen", "ok"))
    moved = grid(
        "Tasks", ("ID", "Title", "Check"), ("T0", "new"), (None, "No id yet", "ok"), ("T1", "Screen")
    )
    assert place(TASKS, read, [check(2, "has no ID")], moved).cells == (
        CellWrite("Tasks", 3, 3, "has no ID"),
    )
    typed = grid("Tasks", ("ID", "Title", "Check"), (None, "No id yet, edited", "ok"))
    placed = place(TASKS, read, [check(2, "has no ID")], typed)
    assert placed.cells == ()
    assert "row 2, which has no ID of its own, changed or moved during the sync" in placed.unwritten[0].reason


def test_a_cell_that_already_holds_its_value_is_not_written_again() -> None:
    done = grid("Tasks", TASKS_READ.values[0], ("T1", "Screen", "late"))
    assert place(TASKS, TASKS_READ, [check(2, "late")], done).cells == ()


LEDGER_READ = grid("Ledger", ("ID", "Kind", "Points"), ("a1", "award", 3))


def award(row: int, ident: str, points: float) -> list[CellWrite]:
    return [
        CellWrite("Ledger", row, 1, ident),
        CellWrite("Ledger", row, 2, "award"),
        CellWrite("Ledger", row, 3, points),
    ]


def test_new_rows_come_back_in_order_with_columns_as_they_are_now_and_no_row_number() -> None:
    # a person typed into the first empty row and moved the Points column first
    now = grid("Ledger", ("Points", "ID", "Kind"), (3, "a1", "award"), (1.5, "adj1", "adjustment"))
    placed = place(LEDGER, LEDGER_READ, [*award(3, "a2", 2), *award(4, "a3", 1)], now)
    assert placed.cells == ()
    assert placed.appends == ({2: "a2", 3: "award", 1: 2}, {2: "a3", 3: "award", 1: 1})


def test_a_new_row_already_there_is_not_added_again() -> None:
    landed = grid("Ledger", *LEDGER_READ.values, ("a2", "award", 2))  # an earlier attempt landed
    placed = place(LEDGER, LEDGER_READ, [*award(3, "a2", 2), *award(4, "a3", 1)], landed)
    assert placed.appends == ({1: "a3", 2: "award", 3: 1},)


def test_new_rows_are_not_added_when_a_column_they_fill_is_gone() -> None:
    now = grid("Ledger", ("ID", "Kind", "Points (renamed)"), ("a1", "award", 3))
    placed = place(LEDGER, LEDGER_READ, award(3, "a2", 2), now)
    assert placed.appends == ()
    assert "'Points' was renamed, removed or repeated during the sync, so the rows braingain adds" in (
        placed.unwritten[0].reason
    )


def test_nothing_is_written_to_a_tab_renamed_during_the_sync() -> None:
    now = Grid("Ledger 2026", LEDGER_READ.values)
    placed = place(LEDGER, LEDGER_READ, award(3, "a2", 2), now)
    assert (placed.cells, placed.appends) == ((), ())
    assert "the tab was renamed to 'Ledger 2026' during the sync" in placed.unwritten[0].reason


def test_a_column_the_sync_added_is_found_by_its_header() -> None:
    read = grid("Tasks", ("ID", "Title"), ("T1", "Screen"))
    now = grid(
        "Tasks", ("ID", "Title", "Note", "Check"), ("T1", "Screen")
    )  # added after Note, typed meanwhile
    placed = place(TASKS, read, [check(2, "ok")], now, added={3: "Check"})
    assert placed.cells == (CellWrite("Tasks", 2, 4, "ok"),)


def test_a_sync_owned_tab_holds_what_the_plan_wanted_whatever_was_typed_there() -> None:
    read = grid("Problems", ("Where", "Problem"), ("Tasks!2", "old"), ("Tasks!3", "old too"))
    plan = [
        CellWrite("Problems", 2, 2, "new"),
        CellWrite("Problems", 3, 1, ""),
        CellWrite("Problems", 3, 2, ""),
    ]
    now = grid(
        "Problems", ("Problem", "Where"), ("typed", "here"), ("old", "Tasks!2"), ("old too", "Tasks!3")
    )
    placed = place(PROBLEMS, read, plan, now)
    after = {(c.row, c.column): c.value for c in placed.cells}
    assert after == {(2, 1): "new", (2, 2): "Tasks!2", (3, 1): "", (3, 2): "", (4, 1): "", (4, 2): ""}


def test_the_last_row_is_the_last_that_holds_anything_but_blanks() -> None:
    assert last_row(grid("T", ("ID",), ("a",), (" ",), (None,))) == 2
    assert last_row(grid("T", ("ID",))) == 1


def test_the_memory_waits_when_a_ledger_write_is_held_back_and_only_then() -> None:
    held = Placed((), (), (Unwritten("Ledger", "the column 'Points' was renamed during the sync", 9),))
    written = Placed((CellWrite("Ledger", 2, 11, "a note"),), ({1: "award:T1:ada"},), ())
    state = Placed((CellWrite("_braingain_state", 2, 2, "{}"),), (), ())
    assert memory_waits([("ledger", held), ("state", state)])
    assert memory_waits([("ledger", written), ("ledger", held), ("state", state)])  # "Ledger" and "ledger"
    assert not memory_waits([("ledger", written), ("state", state)])
    assert not memory_waits(
        [("tasks", held), ("state", state)]
    )  # only the Ledger is remembered entry by entry
    assert not memory_waits([("ledger", held)])  # no memory to hold back
