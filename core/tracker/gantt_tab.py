"""The tracker's Gantt tab: one row per task, one column per week, a short code in each cell.

The tab is braingain's (``sync_owned`` with ``weeks`` in ``tracker.toml``): the sync rewrites it
whole, by position, from the group, so that a leader who lives in the sheet sees every project's
plan at a glance. Colours come from conditional formatting rules the backends set once, when the
tab is made (:data:`RULES`), so they follow the codes, and this week's column is found by the
spreadsheet's own ``TODAY()``: no write is needed as the days pass.

Layout (:func:`gantt_grid`):

- row 1: the tab's fixed headers (Project, Stage, Task ID, Task, Head, Status, Start, Due), then
  one header per week, the Monday's date as ISO text (``2027-01-04``);
- then, project by project (by ID), its tasks in stage order (then start, due, ID), each with a
  code in every week its planned dates touch (:func:`week_code`), and after them its milestones,
  one row each (``◆ name`` in the milestone's week);
- weeks span every task's planned dates and every milestone (and this week, while a task is
  overdue, so that its overrun shows), at most :data:`MAX_WEEKS` columns;
- a group with no task and no milestone: one cell that says so (:data:`EMPTY`).

Pure: the day is passed in. (After issue 13 lands, ``core/reports/gantt.py``'s model of a project's
Gantt could feed :func:`gantt_grid`; this tab needs only the group's planned dates and statuses.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from braingain.core.authorship.tasks import Task, TaskStatus
from braingain.core.group import Group
from braingain.core.projects import Project
from braingain.core.tracker.schema import Cell, CellWrite, Grid, Tab, cells_equal, is_blank

PLANNED = "planned"
IN_PROGRESS = "in progress"
DONE = "done"
OVERDUE = "overdue"
CANCELLED = "cancelled"
MILESTONE = "◆"
"""A milestone's cell starts with this, then its name: ``◆ Protocol registered``."""

CODES: tuple[str, ...] = (PLANNED, IN_PROGRESS, DONE, OVERDUE, CANCELLED)
"""Every code a task's week cell may hold (blank: the week is outside its plan)."""

MAX_WEEKS = 260
"""The most week columns the tab holds (five years): a date typed a century out would otherwise
ask for thousands of columns. Weeks past it are left out, from the latest."""

EMPTY = (
    "No tasks or milestones yet: give tasks a Start and a Due on the Tasks tab (or projects "
    "Milestones) and braingain draws them here, one column a week."
)

_STARTED = frozenset(
    {TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, TaskStatus.NEEDS_REWORK}
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A conditional format rule of the Gantt tab's week cells, as both backends set it.

    ``equals``: the cell's text is exactly this code; ``starts``: it starts with this text;
    ``today``: the column is this week (its header's Monday to Sunday), by ``TODAY()``, for the
    header cell and blank week cells. ``colour``: the background, ``RRGGBB``."""

    kind: str  # "equals", "starts" or "today"
    text: str
    colour: str
    bold: bool = False


RULES: tuple[Rule, ...] = (
    Rule("equals", DONE, "B7E1CD"),
    Rule("equals", IN_PROGRESS, "9FC5E8"),
    Rule("equals", PLANNED, "D9D9D9"),
    Rule("equals", OVERDUE, "F4B6B6", bold=True),
    Rule("equals", CANCELLED, "EFEFEF"),
    Rule("starts", MILESTONE, "FFD966", bold=True),
    Rule("today", "", "FFF2CC", bold=True),
)
"""The Gantt tab's colours, first to last (one rule a code; they never overlap)."""


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_code(task: Task, week: date, today: date) -> str:
    """What ``task``'s cell in the week starting on Monday ``week`` says, or ``""``.

    A week its planned dates (Start to Due) touch shows its status: ``done`` (accepted),
    ``cancelled``, ``in progress`` (assigned, in progress, submitted, needs rework) or ``planned``
    (draft, open); ``overdue`` instead for unfinished work whose Due has passed, which also fills
    the weeks after Due up to this week, so the overrun shows. A task without a Start is planned
    in its Due's week only; one without a Due: ``""``."""
    if task.due is None:
        return ""
    start = min(task.start or task.due, task.due)
    end = week + timedelta(days=6)
    late = task.due < today and not task.status.is_final
    planned = start <= end and task.due >= week
    if late and (planned or (task.due < week and week <= today)):
        return OVERDUE
    if not planned:
        return ""
    if task.status is TaskStatus.ACCEPTED:
        return DONE
    if task.status is TaskStatus.CANCELLED:
        return CANCELLED
    return IN_PROGRESS if task.status in _STARTED else PLANNED


def week_codes(task: Task, shown: Sequence[date], today: date) -> list[str]:
    """:func:`week_code` of ``task`` in each of ``shown`` (consecutive Mondays), in one pass over the
    weeks the task touches rather than over every week (a group's tab may be 10,000 tasks wide)."""
    row = [""] * len(shown)
    if task.due is None or not shown:
        return row
    first = shown[0]

    def index(day: date) -> int:
        return (monday(day) - first).days // 7

    low, high = index(min(task.start or task.due, task.due)), index(task.due)
    if task.due < today and not task.status.is_final:
        code, high = OVERDUE, max(high, index(today))
    elif task.status is TaskStatus.ACCEPTED:
        code = DONE
    elif task.status is TaskStatus.CANCELLED:
        code = CANCELLED
    else:
        code = IN_PROGRESS if task.status in _STARTED else PLANNED
    for place in range(max(low, 0), min(high, len(shown) - 1) + 1):
        row[place] = code
    return row


def weeks(group: Group, today: date) -> tuple[date, ...]:
    """The Mondays of every week the tab shows, in order (at most :data:`MAX_WEEKS`)."""
    days: list[date] = []
    for task in group.tasks.values():
        if task.due is not None:
            days += [task.start or task.due, task.due]
            if task.due < today and not task.status.is_final:
                days.append(today)
    for project in group.projects.values():
        days += [m.due for m in project.milestones]
    if not days:
        return ()
    first, last = monday(min(days)), monday(max(days))
    count = min(MAX_WEEKS, (last - first).days // 7 + 1)
    return tuple(first + timedelta(weeks=i) for i in range(count))


def _stage_name(project: Project, key: str | None) -> str:
    return next((s.name for s in project.stages if s.key == key), key or "")


def _task_order(project: Project) -> Mapping[str, int]:
    return {s.key: i for i, s in enumerate(project.stages)}


def gantt_grid(group: Group, tab: Tab, today: date) -> tuple[tuple[Cell, ...], ...]:
    """The whole Gantt tab as rows of cells, header row first (see the module's docstring).

    ``tab`` is the schema's Gantt tab (its fixed columns, in order); ``today`` decides what is
    overdue. Member names as the Members tab gives them; dates as dates."""
    shown = weeks(group, today)
    header: tuple[Cell, ...] = (*tab.headers, *(w.isoformat() for w in shown))
    rows: list[tuple[Cell, ...]] = [header]
    keys = [c.key for c in tab.columns]
    for project in sorted(group.projects.values(), key=lambda p: p.id):
        order = _task_order(project)
        tasks = sorted(
            group.project_tasks(project.id),
            key=lambda t: (order.get(t.stage, len(order)), t.start or date.max, t.due or date.max, t.id),
        )
        for task in tasks:
            head = group.members.get(task.head) if task.head is not None else None
            fixed: Mapping[str, Cell] = {
                "project": project.id,
                "stage": _stage_name(project, task.stage),
                "task": task.id,
                "title": task.title,
                "head": head.name if head is not None else "",
                "status": task.status.value,
                "start": task.start,
                "due": task.due,
            }
            rows.append((*(fixed.get(k) for k in keys), *week_codes(task, shown, today)))
        for milestone in sorted(project.milestones, key=lambda m: (m.due, m.name)):
            said = f"{MILESTONE} {milestone.name}"
            fixed = {
                "project": project.id,
                "stage": _stage_name(project, milestone.stage) if milestone.stage else "",
                "title": said,
                "status": "milestone",
                "due": milestone.due,
            }
            at = monday(milestone.due)
            rows.append((*(fixed.get(k) for k in keys), *(said if w == at else "" for w in shown)))
    if len(rows) == 1:
        rows.append((EMPTY,))
    return tuple(rows)


def grid_writes(
    title: str, wanted: Sequence[Sequence[Cell]], read: Grid | None, header: Sequence[Cell] = ()
) -> list[CellWrite]:
    """Writes that make the tab titled ``title`` hold exactly ``wanted`` (rows of cells, the header
    row first), position by position, and nothing beyond it: each cell that differs from what was
    ``read`` (``None``: the tab is being added with ``header`` as its first row), and a blank over
    every other cell that holds anything. A cell inside merged cells is never written."""
    values: Sequence[Sequence[Cell]] = read.values if read is not None else (tuple(header),)
    merged = {
        (r, c)
        for m in (read.merges if read is not None else ())
        for r in range(m.first_row, m.last_row + 1)
        for c in range(m.first_column, m.last_column + 1)
    }
    height = max(len(wanted), len(values))
    writes: list[CellWrite] = []
    for number in range(1, height + 1):
        want = wanted[number - 1] if number <= len(wanted) else ()
        have = values[number - 1] if number <= len(values) else ()
        if tuple(want) == tuple(have):
            continue  # the common case once drawn: the row holds it already
        if not have and not merged:  # a new row (or a new tab): every cell it holds, nothing to compare
            writes.extend(
                CellWrite(title, number, column, value)
                for column, value in enumerate(want, start=1)
                if value is not None and value != ""
            )
            continue
        for column in range(1, max(len(want), len(have)) + 1):
            new = want[column - 1] if column <= len(want) else None
            old = have[column - 1] if column <= len(have) else None
            if (number, column) in merged or _same(old, new):
                continue
            writes.append(CellWrite(title, number, column, "" if new is None else new))
    return writes


def _same(old: Cell, new: Cell) -> bool:
    if old is new or (type(old) is type(new) and old == new):
        return True  # (the common cases: both empty, the same text)
    if new is None or new == "":
        return is_blank(old)
    return cells_equal(old, new)


def said_change(
    fixed: int, read: Grid | None, writes: Sequence[CellWrite], header: Sequence[Cell] = ()
) -> str:
    """A Gantt write in one line: ``3 weeks added, 5 cells changed`` (``fixed``: how many fixed
    columns come before the weeks; ``read``: the tab as read, ``None`` when it is being added with
    ``header``). Empty when ``writes`` is."""
    if not writes:
        return ""
    values: Sequence[Sequence[Cell]] = read.values if read is not None else (tuple(header),)
    top = values[0] if values else ()

    def old(column: int) -> Cell:
        return top[column - 1] if column <= len(top) else None

    heads = [w for w in writes if w.row == 1 and w.column > fixed]
    added = sum(1 for w in heads if is_blank(old(w.column)) and not is_blank(w.value))
    removed = sum(1 for w in heads if not is_blank(old(w.column)) and is_blank(w.value))
    renamed = len(heads) - added - removed
    body = len(writes) - len(heads)
    counts: tuple[tuple[str, str, int], ...] = (
        ("week", "added", added),
        ("week", "removed", removed),
        ("week header", "moved", renamed),
        ("cell", "changed", body),
    )
    return ", ".join(f"{n} {noun}{'s' if n != 1 else ''} {verb}" for noun, verb, n in counts if n)


def today_formula(column: str) -> str:
    """The formula (without "=") that is true, for a cell of a week column whose range starts at
    ``column`` row 1, when that column is this week: its header cell, and its blank cells below.
    The header is the Monday as ISO text, read by ``DATEVALUE`` (Excel, LibreOffice and Sheets)."""
    week = f"IFERROR(AND(TODAY()>=DATEVALUE({column}$1),TODAY()<DATEVALUE({column}$1)+7),FALSE)"
    return f"AND(OR(ROW()=1,LEN({column}1)=0),{week})"


def starts_formula(column: str, text: str) -> str:
    """The formula (without "=") true for a cell, in a range starting at ``column`` row 2, whose
    text starts with ``text``."""
    return f'LEFT({column}2,{len(text)})="{text}"'
