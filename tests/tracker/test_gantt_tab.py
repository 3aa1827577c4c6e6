"""The Gantt tab: one row per task, one column per week, a code in each cell (core/tracker/gantt_tab.py),
written by the sync as braingain's own tab and said in one line."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from braingain.core.authorship.tasks import TaskStatus
from braingain.core.group import Group
from braingain.core.ids import TaskId
from braingain.core.projects import Milestone
from braingain.core.tracker import gantt_tab
from braingain.core.tracker.changes import describe
from braingain.core.tracker.gantt_tab import EMPTY, MAX_WEEKS, gantt_grid, week_code, weeks
from braingain.core.tracker.guard import place
from braingain.core.tracker.schema import AddTab, Cell, Grid, Snapshot, as_text
from braingain.sample import sample_group
from tests.tracker.helpers import SCHEMA, Sample, edit
from tests.tracker.test_fixed_point import once

SAMPLE = Sample()
START = SAMPLE.start()
TAB = SCHEMA.tab("gantt")
TODAY = date(2026, 11, 25)  # a Wednesday
FIXED = len(TAB.columns)


def group_with(*changes: tuple[str, dict[str, object]], milestones: bool = True) -> Group:
    """The sample group with some tasks changed (task ID, fields), and its milestones or none."""
    group = sample_group(TODAY)
    tasks = dict(group.tasks)
    for ident, fields in changes:
        tasks[TaskId(ident)] = replace(tasks[TaskId(ident)], **fields)  # type: ignore[arg-type]
    projects = (
        group.projects if milestones else {k: replace(p, milestones=()) for k, p in group.projects.items()}
    )
    return replace(group, tasks=tasks, projects=projects)


def row_of(grid: tuple[tuple[object, ...], ...], task: str) -> dict[str, object]:
    """A task's week cells by the Monday's date, non-blank only."""
    header = grid[0]
    line = next(r for r in grid[1:] if r[2] == task)
    return {str(header[i]): v for i, v in enumerate(line) if i >= FIXED and v}


def test_the_header_is_the_tab_s_columns_then_one_monday_a_week_spanning_every_planned_date() -> None:
    group = group_with(("SR-T09", {"start": date(2026, 11, 4), "due": date(2026, 12, 16)}))
    grid = gantt_grid(group, TAB, TODAY)
    header = grid[0]
    assert header[:FIXED] == TAB.headers == (
        "Project", "Stage", "Task ID", "Task", "Head", "Status", "Start", "Due",
    )  # fmt: skip
    mondays = [date.fromisoformat(str(h)) for h in header[FIXED:]]
    assert all(d.weekday() == 0 for d in mondays)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(mondays))
    dates = [d for t in group.tasks.values() for d in (t.start, t.due) if d is not None]
    dates += [m.due for p in group.projects.values() for m in p.milestones]
    assert mondays[0] <= min(dates) < mondays[0] + timedelta(days=7)
    assert mondays[-1] <= max(dates) < mondays[-1] + timedelta(days=7)
    assert all(len(line) <= len(header) for line in grid)


def test_each_week_a_task_is_planned_in_shows_its_status() -> None:
    planned = {"start": date(2026, 12, 2), "due": date(2026, 12, 16)}  # three weeks, all ahead
    group = group_with(
        ("SR-T09", {**planned, "status": TaskStatus.OPEN}),
        ("SR-T10", {**planned, "status": TaskStatus.IN_PROGRESS}),
        ("SR-T11", {**planned, "status": TaskStatus.ACCEPTED}),
        ("SR-T08", {**planned, "status": TaskStatus.CANCELLED}),
    )
    grid = gantt_grid(group, TAB, TODAY)
    weeks_of = ["2026-11-30", "2026-12-07", "2026-12-14"]
    assert row_of(grid, "SR-T09") == dict.fromkeys(weeks_of, "planned")
    assert row_of(grid, "SR-T10") == dict.fromkeys(weeks_of, "in progress")
    assert row_of(grid, "SR-T11") == dict.fromkeys(weeks_of, "done")
    assert row_of(grid, "SR-T08") == dict.fromkeys(weeks_of, "cancelled")
    line = next(r for r in grid if r[2] == "SR-T10")
    task = group.tasks[TaskId("SR-T10")]
    stage = next(s.name for s in group.projects[task.project_id].stages if s.key == task.stage)
    assert line[:FIXED] == (
        "sr-migration", stage, "SR-T10", task.title, "", "in progress", date(2026, 12, 2), date(2026, 12, 16),
    )  # fmt: skip


def test_unfinished_work_past_its_due_is_overdue_up_to_this_week_and_finished_work_never_is() -> None:
    late = {"start": date(2026, 10, 27), "due": date(2026, 11, 6)}  # weeks of 26 Oct and 2 Nov
    group = group_with(
        ("SR-T09", {**late, "status": TaskStatus.IN_PROGRESS}),
        ("SR-T10", {**late, "status": TaskStatus.ACCEPTED}),
    )
    grid = gantt_grid(group, TAB, TODAY)
    overrun = ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert row_of(grid, "SR-T09") == dict.fromkeys(overrun, "overdue")
    assert row_of(grid, "SR-T10") == {"2026-10-26": "done", "2026-11-02": "done"}
    task = group.tasks[TaskId("SR-T09")]
    assert week_code(task, date(2026, 11, 30), TODAY) == ""  # next week: not drawn ahead of time
    assert week_code(task, date(2026, 11, 23), date(2026, 11, 5)) == ""  # before Due: not overdue
    assert week_code(task, date(2026, 11, 2), date(2026, 11, 5)) == "in progress"


def test_a_task_without_a_start_is_planned_in_its_due_s_week_and_one_without_a_due_nowhere() -> None:
    group = group_with(("SR-T09", {"start": None, "due": date(2026, 12, 10)}), ("SR-T10", {"due": None}))
    grid = gantt_grid(group, TAB, TODAY)
    assert row_of(grid, "SR-T09") == {"2026-12-07": "planned"}
    assert row_of(grid, "SR-T10") == {}


def test_each_milestone_has_its_own_row_after_its_project_s_tasks_marked_in_its_week() -> None:
    group = sample_group(TODAY)
    grid = gantt_grid(group, TAB, TODAY)
    header = grid[0]
    for project in group.projects.values():
        lines = [r for r in grid[1:] if r[0] == project.id]
        marked = [r for r in lines if r[5] == "milestone"]
        assert len(marked) == len(project.milestones)
        assert lines[-len(marked) :] == marked  # after the tasks
        for milestone, line in zip(sorted(project.milestones, key=lambda m: m.due), marked, strict=True):
            said = f"◆ {milestone.name}"
            assert line[3] == said
            assert line[7] == milestone.due
            cells = {str(header[i]): v for i, v in enumerate(line) if i >= FIXED and v}
            monday = milestone.due - timedelta(days=milestone.due.weekday())
            assert cells == {monday.isoformat(): said}


def test_a_group_without_tasks_or_milestones_says_so_in_one_cell() -> None:
    group = replace(sample_group(TODAY), tasks={})
    group = replace(group, projects={k: replace(p, milestones=()) for k, p in group.projects.items()})
    assert gantt_grid(group, TAB, TODAY) == (TAB.headers, (EMPTY,))
    assert weeks(group, TODAY) == ()


def test_a_date_typed_far_out_never_asks_for_more_than_the_most_weeks() -> None:
    group = group_with(("SR-T09", {"start": date(2026, 11, 2), "due": date(2126, 11, 2)}))
    shown = weeks(group, TODAY)
    assert len(shown) == MAX_WEEKS
    assert len(gantt_grid(group, TAB, TODAY)[0]) == FIXED + MAX_WEEKS


def test_an_old_tracker_gets_the_tab_with_a_line_saying_so_and_the_next_sync_writes_nothing() -> None:
    old = Snapshot({t: g for t, g in START.grids.items() if t != "Gantt"})
    read, plan, after = once(old)
    assert AddTab(TAB) in plan.write.structure
    assert "add the missing tab 'Gantt'" in plan.summary
    drawn = after.grids["Gantt"].values
    assert _shown(drawn) == _shown(gantt_grid(read.group, TAB, SAMPLE.today))
    assert not [p for p in read.problems if p.tab == "Gantt" and not p.repaired]


def _shown(grid: Sequence[Sequence[Cell]]) -> tuple[tuple[str, ...], ...]:
    """Rows as a person sees them: text, without blank cells at the end, and no blank rows below."""
    found = []
    for line in grid:
        cells = [as_text(v) for v in line]
        while cells and not cells[-1]:
            cells.pop()
        found.append(tuple(cells))
    while found and not found[-1]:
        found.pop()
    return tuple(found)


def test_a_deleted_gantt_tab_comes_back_on_the_next_sync() -> None:
    _, _, synced = once(START)
    gone = Snapshot({t: g for t, g in synced.grids.items() if t != "Gantt"})
    _, plan, back = once(gone)
    assert AddTab(TAB) in plan.write.structure
    assert back.grids["Gantt"].values == synced.grids["Gantt"].values


def test_a_change_of_plan_is_said_in_one_line_not_cell_by_cell() -> None:
    _, _, synced = once(START)
    later = edit(synced, "Tasks", "SR-T11", "Due", date(2027, 6, 30))  # three months past the last week
    read, plan, _ = once(later)
    said = describe(SCHEMA, read, plan, SAMPLE.now)
    assert not [c for c in said.changes if c.tab == "Gantt"]
    assert len(said.redrawn) == 1
    assert said.redrawn[0].startswith("Gantt: ")
    assert " weeks added, " in said.redrawn[0]
    assert said.redrawn[0].endswith(" cells changed")
    assert f"'Gantt': {said.redrawn[0].removeprefix('Gantt: ')}" in plan.summary


def test_what_a_person_typed_in_the_gantt_tab_is_replaced_and_said() -> None:
    _, _, synced = once(START)
    grid = synced.grids["Gantt"]
    rows = [list(r) for r in grid.values]
    rows[1][FIXED] = "my note"
    rows.append(["stray", None, "row"])
    typed = Snapshot({**synced.grids, "Gantt": Grid("Gantt", tuple(tuple(r) for r in rows))})
    read, plan, after = once(typed)
    assert _shown(after.grids["Gantt"].values) == _shown(grid.values)
    said = describe(SCHEMA, read, plan, SAMPLE.now)
    assert said.redrawn == ("Gantt: 3 cells changed",)


def test_the_guard_rewrites_the_gantt_tab_by_position_whatever_a_person_did_meanwhile() -> None:
    read = Grid("Gantt", (("Project", "Task ID", "2026-11-23"), ("p", "T1", "planned")))
    planned = list(
        gantt_tab.grid_writes(
            "Gantt", (("Project", "Task ID", "2026-11-23", "2026-11-30"), ("p", "T1", "done", "done")), read
        )
    )
    assert [(c.row, c.column, c.value) for c in planned] == [
        (1, 4, "2026-11-30"),
        (2, 3, "done"),
        (2, 4, "done"),
    ]
    now = Grid("Gantt", (("Project", "Task ID", "typed"), ("p", "T1", "planned"), ("a", "person's row")))
    placed = place(TAB, read, planned, now)
    assert placed.unwritten == ()
    assert placed.appends == ()
    assert sorted((c.row, c.column, c.value) for c in placed.cells) == [
        (1, 3, "2026-11-23"),
        (1, 4, "2026-11-30"),
        (2, 3, "done"),
        (2, 4, "done"),
        (3, 1, ""),
        (3, 2, ""),
    ]


def test_the_week_colours_are_one_rule_a_code_and_one_for_this_week() -> None:
    kinds = [(r.kind, r.text) for r in gantt_tab.RULES]
    assert sorted(t for k, t in kinds if k == "equals") == sorted(gantt_tab.CODES)
    assert ("starts", gantt_tab.MILESTONE) in kinds
    assert [k for k, _ in kinds].count("today") == 1
    assert "TODAY()" in gantt_tab.today_formula("I")
    assert "DATEVALUE(I$1)" in gantt_tab.today_formula("I")


def test_milestones_alone_draw_weeks() -> None:
    group = replace(sample_group(TODAY), tasks={})
    project = next(iter(group.projects.values()))
    only = replace(project, milestones=(Milestone("Kick-off", date(2026, 12, 3)),))
    group = replace(group, projects={project.id: only})
    assert weeks(group, TODAY) == (date(2026, 11, 30),)


@settings(max_examples=300, deadline=None)
@given(
    status=st.sampled_from(list(TaskStatus)),
    start=st.one_of(st.none(), st.integers(-120, 120)),
    due=st.one_of(st.none(), st.integers(-120, 120)),
    first=st.integers(-150, 10),
    count=st.integers(0, 50),
)
def test_a_task_s_row_of_weeks_is_its_code_in_every_week_however_it_is_worked_out(
    status: TaskStatus, start: int | None, due: int | None, first: int, count: int
) -> None:
    today = date(2026, 11, 25)
    task = replace(
        sample_group(today).tasks[TaskId("SR-T09")],
        status=status,
        start=None if start is None else today + timedelta(days=start),
        due=None if due is None else today + timedelta(days=due),
    )
    origin = gantt_tab.monday(today + timedelta(days=first))
    shown = [origin + timedelta(weeks=i) for i in range(count)]
    assert gantt_tab.week_codes(task, shown, today) == [week_code(task, w, today) for w in shown]
