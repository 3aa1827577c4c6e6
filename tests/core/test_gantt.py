"""A project's Gantt chart as data: rows by stage, planned against actual days, overdue, milestones."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, timedelta

import pytest

from braingain.core.authorship.tasks import TaskStatus
from braingain.core.errors import UnknownReference
from braingain.core.group import Group
from braingain.core.projects import Project, ProjectKind, Stage
from braingain.core.reports.gantt import chart_zone, gantt
from braingain.sample import sample_group
from tests.builders import LAGOS, SYDNEY, accepted, task
from tests.gantt_support import ADA, BOSS, PROJECT, REVIEWER, STAGES, TODAY, group, moment, planned, started


def test_rows_follow_the_stage_order_then_the_planned_start_or_due_then_the_id_undated_last() -> None:
    tasks = [
        planned("T9", "writing", due=date(2026, 4, 1)),
        planned("T5", "data", start=date(2026, 3, 10), due=date(2026, 3, 30)),
        planned("T4", "data", due=date(2026, 3, 5)),
        planned("T3", "data"),
        planned("T2", "data", start=date(2026, 3, 10), due=date(2026, 3, 12)),
        planned("T1", "design", start=date(2026, 1, 5), due=date(2026, 1, 30)),
    ]
    chart = gantt(group(*tasks), "p1", TODAY)
    assert [t.id for t in chart.tasks] == ["T1", "T4", "T2", "T5", "T3", "T9"]
    assert chart.stages == STAGES
    assert [(s.key, [t.id for t in rows]) for s, rows in chart.by_stage()] == [
        ("design", ["T1"]),
        ("data", ["T4", "T2", "T5", "T3"]),
        ("writing", ["T9"]),
    ]
    assert chart.tasks[0].stage_name == "Study design"
    assert gantt(group(*reversed(tasks)), "p1", TODAY) == chart, "the order typed changes nothing"


def test_planned_days_are_the_typed_start_and_due() -> None:
    chart = gantt(group(planned("T1", "data", date(2026, 3, 2), date(2026, 3, 31))), "p1", TODAY)
    (row,) = chart.tasks
    assert (row.start, row.due) == (date(2026, 3, 2), date(2026, 3, 31))
    assert row.scheduled


def test_actual_days_run_from_work_begun_to_acceptance_and_the_first_start_counts_after_rework() -> None:
    begun = started(planned("T1", "data", due=date(2026, 3, 31)), date(2026, 3, 3))
    begun = begun.submit(by=ADA, at=moment(date(2026, 3, 6)))
    begun = begun.request_rework(by=BOSS, at=moment(date(2026, 3, 7)), note="criterion 2")
    begun = begun.resume(by=ADA, at=moment(date(2026, 3, 9)))
    begun = begun.submit(by=ADA, at=moment(date(2026, 3, 10)))
    done = begun.accept(by=REVIEWER, at=moment(date(2026, 3, 11)))
    (row,) = gantt(group(done), "p1", TODAY).tasks
    assert (row.actual_start, row.actual_end) == (date(2026, 3, 3), date(2026, 3, 11))
    assert not row.running
    assert row.status is TaskStatus.ACCEPTED


def test_actual_days_are_counted_in_the_charts_zone() -> None:
    late_evening = started(planned("T1", "data"), date(2026, 3, 3), hour=23)  # 23:00 UTC
    chart = gantt(group(late_evening), "p1", TODAY, zone=LAGOS)  # 00:00 on the 4th in Lagos
    assert chart.tasks[0].actual_start == date(2026, 3, 4)
    assert gantt(group(late_evening), "p1", TODAY).tasks[0].actual_start == date(2026, 3, 3), "UTC by default"
    assert gantt(group(late_evening), "p1", TODAY, zone=SYDNEY).tasks[0].actual_start == date(2026, 3, 4)


def test_the_chart_zone_is_the_meeting_series_zone_else_utc() -> None:
    sample = sample_group(TODAY)
    assert sample.series is not None
    assert chart_zone(sample) == sample.series.slot.zone
    assert chart_zone(group()) == UTC


def test_work_begun_and_not_accepted_runs_to_today_and_the_span_reaches_today() -> None:
    running = started(planned("T1", "data", due=date(2026, 4, 30)), date(2026, 3, 3))
    chart = gantt(group(running), "p1", date(2026, 3, 25))
    (row,) = chart.tasks
    assert row.running
    assert row.actual_end is None
    assert chart.span == (date(2026, 2, 1), date(2026, 6, 1)), "milestones included"


def test_a_task_accepted_without_a_recorded_start_shows_its_acceptance_day_only() -> None:
    done = accepted(planned("T1", "data"), [ADA], by=REVIEWER, start=moment(date(2026, 3, 1)))
    rebuilt = replace(done, history=done.history[-1:])  # as a lost memory is rebuilt from the Ledger
    (row,) = gantt(group(rebuilt), "p1", TODAY).tasks
    assert (row.actual_start, row.actual_end) == (None, date(2026, 3, 6))
    assert not row.running


@pytest.mark.parametrize(
    ("status_walk", "due", "overdue"),
    [
        ("draft", date(2026, 3, 19), True),
        ("in progress", date(2026, 3, 19), True),
        ("submitted", date(2026, 3, 19), True),
        ("accepted", date(2026, 3, 1), False),
        ("in progress", TODAY, False),
        ("in progress", date(2026, 3, 21), False),
        ("draft", None, False),
    ],
)
def test_overdue_is_a_due_day_before_today_on_work_not_accepted(
    status_walk: str, due: date | None, overdue: bool
) -> None:
    t = planned("T1", "data", due=due)
    if status_walk != "draft":
        t = started(t, date(2026, 2, 1))
    if status_walk in ("submitted", "accepted"):
        t = t.submit(by=ADA, at=moment(date(2026, 2, 20)))
    if status_walk == "accepted":
        t = t.accept(by=REVIEWER, at=moment(date(2026, 3, 10)))
    chart = gantt(group(t), "p1", TODAY)
    assert chart.tasks[0].overdue is overdue
    assert [r.id for r in chart.overdue] == (["T1"] if overdue else [])


def test_cancelled_tasks_are_left_out_and_counted_in_a_note() -> None:
    cancelled = planned("T2", "data", due=date(2026, 3, 1)).cancel(by=BOSS, at=moment(date(2026, 2, 1)))
    chart = gantt(group(planned("T1", "data", due=date(2026, 4, 1)), cancelled), "p1", TODAY)
    assert [t.id for t in chart.tasks] == ["T1"]
    assert chart.cancelled == ("T2",)
    assert chart.notes == ("1 cancelled task is not drawn: T2.",)
    assert not chart.overdue, "a cancelled task is never overdue"


def test_a_task_without_dates_is_a_row_listed_as_not_scheduled() -> None:
    chart = gantt(group(planned("T1", "data"), planned("T2", "writing", due=date(2026, 4, 1))), "p1", TODAY)
    assert [t.id for t in chart.tasks] == ["T1", "T2"]
    assert not chart.tasks[0].scheduled
    assert chart.unscheduled == ("T1",)
    assert chart.notes == ("1 task is not scheduled (no Start or Due on the Tasks tab): T1.",)


def test_milestones_are_numbered_in_date_order_with_their_stage_names() -> None:
    chart = gantt(group(planned("T1", "data")), "p1", TODAY)
    assert [(m.number, m.name, m.due, m.stage, m.stage_name) for m in chart.milestones] == [
        (1, "Protocol out", date(2026, 2, 1), "design", "Study design"),
        (2, "Data locked", date(2026, 5, 1), "data", "Data collection"),
        (3, "Party", date(2026, 6, 1), None, None),
    ]


def test_heads_and_contributors_are_named_never_by_email() -> None:
    chart = gantt(group(started(planned("T1", "data"), date(2026, 3, 1))), "p1", TODAY)
    (row,) = chart.tasks
    assert (row.head, row.contributors) == ("Ada Obi", ("Ada Obi", "Ben Eze"))
    assert "@" not in str(chart.data())


def test_a_project_without_tasks_says_there_is_nothing_to_draw() -> None:
    chart = gantt(group(), "p1", TODAY)
    assert chart.empty == "Project p1 has no tasks to draw: it has no tasks yet."
    assert chart.tasks == ()
    assert chart.span == (date(2026, 2, 1), date(2026, 6, 1)), "its milestones"
    bare = replace(PROJECT, milestones=())
    assert gantt(group(projects=(bare,)), "p1", TODAY).span == (TODAY, TODAY)


def test_a_project_whose_tasks_are_all_cancelled_says_so() -> None:
    gone = [planned(f"T{n}", "data").cancel(by=BOSS, at=moment(date(2026, 2, 1))) for n in (1, 2)]
    chart = gantt(group(*gone), "p1", TODAY)
    assert chart.empty == "Project p1 has no tasks to draw: its 2 tasks are cancelled."


def test_an_unknown_project_is_refused_naming_those_there_are() -> None:
    with pytest.raises(UnknownReference) as refused:
        gantt(group(), "p2", TODAY)
    assert "there is no project 'p2'" in str(refused.value)
    assert "p1" in refused.value.hint
    with pytest.raises(UnknownReference) as none:
        gantt(Group.create("Empty", members=[BOSS], projects=[]), "p1", TODAY)
    assert none.value.hint == "the tracker has no project yet"


def test_only_the_projects_own_tasks_are_drawn() -> None:
    other = Project.create(id="p2", title="Another", kind=ProjectKind.SYSTEMATIC_REVIEW, lead=BOSS.id)
    theirs = task("X1", proj=other, supervisor=BOSS)
    chart = gantt(group(planned("T1", "data"), theirs, projects=(PROJECT, other)), "p1", TODAY)
    assert [t.id for t in chart.tasks] == ["T1"]


def test_a_task_naming_a_stage_the_project_lacks_is_drawn_after_its_stages_with_a_note() -> None:
    stray = replace(planned("T1", "data"), stage="gone")  # as a project whose stage was removed
    chart = gantt(group(stray, planned("T2", "writing")), "p1", TODAY)
    assert [t.id for t in chart.tasks] == ["T2", "T1"]
    assert chart.stages[-1] == Stage("gone", "gone")
    assert "1 task names a stage project p1 does not have, drawn after its stages: T1." in chart.notes


def test_a_finished_project_is_shown_over_its_own_days_and_today_only_when_inside() -> None:
    done = accepted(
        planned("T1", "data", due=date(2026, 3, 10)), [ADA], by=REVIEWER, start=moment(date(2026, 3, 1))
    )
    later = gantt(group(done), "p1", date(2027, 1, 1))
    assert later.span == (date(2026, 2, 1), date(2026, 6, 1))
    inside = gantt(group(done), "p1", date(2026, 4, 1))
    assert inside.span == (date(2026, 2, 1), date(2026, 6, 1))
    ongoing = gantt(group(planned("T2", "data", due=date(2026, 3, 10))), "p1", date(2027, 1, 1))
    assert ongoing.span == (date(2026, 2, 1), date(2027, 1, 1)), "work not accepted: today is shown"


def test_the_fingerprint_leaves_out_today_but_follows_the_data_and_overdue() -> None:
    tasks = [planned("T1", "data", due=date(2026, 4, 10)), planned("T2", "writing", due=date(2026, 5, 1))]
    chart = gantt(group(*tasks), "p1", TODAY)
    assert len(chart.fingerprint) == 64
    assert gantt(group(*tasks), "p1", TODAY + timedelta(days=5)).fingerprint == chart.fingerprint
    assert gantt(group(*reversed(tasks)), "p1", TODAY).fingerprint == chart.fingerprint
    assert gantt(group(*tasks), "p1", date(2026, 4, 11)).fingerprint != chart.fingerprint, "T1 became overdue"
    moved = [replace(tasks[0], due=date(2026, 4, 12)), tasks[1]]
    assert gantt(group(*moved), "p1", TODAY).fingerprint != chart.fingerprint
    begun = [started(tasks[0], date(2026, 3, 18)), tasks[1]]
    assert gantt(group(*begun), "p1", TODAY).fingerprint != chart.fingerprint
    assert "today" not in chart.data(with_today=False)
    assert chart.data()["today"] == "2026-03-20"


def test_a_change_of_status_alone_changes_the_fingerprint() -> None:
    task = planned("T1", "data", date(2026, 3, 1), date(2026, 4, 10))
    before = gantt(group(task), "p1", TODAY).fingerprint
    opened = task.open(by=BOSS, at=moment(date(2026, 3, 19)))
    assert gantt(group(opened), "p1", TODAY).fingerprint != before
