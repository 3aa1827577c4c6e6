"""The Gantt chart as a picture, read back from its SVG: the right tasks, days, today and overdue work."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from braingain.core.authorship.tasks import TaskStatus
from braingain.core.reports.gantt import Gantt, gantt
from braingain.integrations.errors import IntegrationError
from braingain.integrations.reports.gantt_chart import (
    OVERDUE,
    STATUS_COLOURS,
    alt_text,
    render_gantt,
    save_gantt,
)
from braingain.sample import sample_group
from tests.gantt_support import ADA, REVIEWER, TODAY, group, moment, planned, started

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def chart() -> Gantt:
    """T1 planned 2-6 Mar, worked 2-9 Mar and accepted; T2 planned 9-25 Mar, running since 10 Mar;
    T3 due 12 Mar, not begun (overdue on 20 Mar); T4 with no dates."""
    done = started(planned("T1", "design", date(2026, 3, 2), date(2026, 3, 6)), date(2026, 3, 2))
    done = done.submit(by=ADA, at=moment(date(2026, 3, 8)))
    done = done.accept(by=REVIEWER, at=moment(date(2026, 3, 9)))
    running = started(planned("T2", "data", date(2026, 3, 9), date(2026, 3, 25)), date(2026, 3, 10))
    late = planned("T3", "data", due=date(2026, 3, 12))
    return gantt(group(done, running, late, planned("T4", "writing")), "p1", TODAY)


def groups(svg: bytes) -> dict[str, ET.Element]:
    return {g.attrib["id"]: g for g in ET.fromstring(svg).iter(f"{SVG}g") if "id" in g.attrib}


def xs(element: ET.Element) -> tuple[float, float]:
    """The leftmost and rightmost x of what ``element`` draws (a path, or a marker placed by <use>)."""
    found: list[float] = []
    for path in element.iter(f"{SVG}path"):
        if path.get("id"):  # a marker's shape, drawn where a <use> puts it
            continue
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.attrib["d"])]
        found += numbers[0::2]
    found += [float(u.attrib["x"]) for u in element.iter(f"{SVG}use")]
    assert found, f"{element.attrib.get('id')} draws nothing"
    return min(found), max(found)


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def style_of(element: ET.Element, tag: str) -> str:
    return " ".join(e.attrib.get("style", "") for e in element.iter(f"{SVG}{tag}"))


def test_each_task_stage_milestone_and_today_can_be_read_back_by_its_id() -> None:
    found = groups(render_gantt(chart()).svg)
    for ident in ("T1", "T2", "T3", "T4"):
        assert text_of(found[f"task-{ident}-label"]).startswith(f"{ident}  Task {ident}")
    assert text_of(found["stage-design"]) == "Study design"
    assert text_of(found["stage-data"]) == "Data collection"
    assert text_of(found["stage-writing"]) == "Writing"
    assert [text_of(found[f"milestone-{n}-label"]) for n in (1, 2, 3)] == [
        "Protocol out",
        "Data locked",
        "Party",
    ]
    assert text_of(found["milestone-1-date"]) == "Sun 1 Feb 2026"
    assert text_of(found["today-label"]) == "today, Fri 20 Mar 2026"
    assert {"task-T1-planned", "task-T1-actual", "task-T2-planned", "task-T2-actual", "task-T3-due"} <= set(
        found
    )
    assert not {"task-T3-actual", "task-T4-planned", "task-T4-actual", "task-T4-due"} & set(found)
    assert text_of(found["task-T4-label"]).endswith("(not scheduled)")


def test_bars_stand_at_their_days_on_one_scale_and_today_between_the_right_days() -> None:
    found = groups(render_gantt(chart()).svg)
    t1_left, t1_right = xs(found["task-T1-planned"])  # 2 Mar to the end of 6 Mar: 5 days
    t2_left, t2_right = xs(found["task-T2-planned"])  # 9 Mar to the end of 25 Mar: 17 days
    per_day = (t2_left - t1_left) / 7
    assert per_day > 0
    assert t1_right - t1_left == pytest.approx(5 * per_day, rel=1e-3)
    assert t2_right - t2_left == pytest.approx(17 * per_day, rel=1e-3)

    def at(day: date) -> float:
        return t1_left + (day - date(2026, 3, 2)).days * per_day

    assert xs(found["task-T1-actual"]) == pytest.approx(
        (at(date(2026, 3, 2)), at(date(2026, 3, 10))), abs=0.01
    )
    today, _ = xs(found["today"])
    assert today == pytest.approx(at(TODAY) + per_day / 2, abs=0.01), "the middle of 20 Mar"
    assert at(date(2026, 3, 20)) < today < at(date(2026, 3, 21))
    assert xs(found["task-T2-actual"]) == pytest.approx((at(date(2026, 3, 10)), today), abs=0.01), (
        "runs to today"
    )
    assert xs(found["task-T3-due"])[0] == pytest.approx(at(date(2026, 3, 13)), abs=0.01), "the end of 12 Mar"
    diamonds = [xs(found[f"milestone-{n}"])[0] for n in (1, 2, 3)]
    assert diamonds == pytest.approx(
        [at(d) + per_day / 2 for d in (date(2026, 2, 1), date(2026, 5, 1), date(2026, 6, 1))]
    )


def test_overdue_work_has_a_red_edge_and_says_overdue_in_red() -> None:
    found = groups(render_gantt(chart()).svg)
    label = found["task-T3-label"]
    assert text_of(label).endswith("overdue")
    assert OVERDUE in style_of(label, "text")
    assert f"stroke: {OVERDUE}" in style_of(found["task-T3-due"], "path")
    for calm in ("T1", "T2", "T4"):
        assert OVERDUE not in style_of(found[f"task-{calm}-label"], "text")
        assert "overdue" not in text_of(found[f"task-{calm}-label"])
    assert f"stroke: {OVERDUE}" not in style_of(found["task-T2-planned"], "path")
    legend = text_of(found["legend"])
    for entry in (
        "draft",
        "in progress",
        "accepted",
        "planned",
        "due",
        "actual",
        "today",
        "milestone",
        "overdue",
    ):
        assert entry in legend


def test_the_alt_text_says_the_project_tasks_overdue_and_today() -> None:
    said = render_gantt(chart()).alt
    assert said == alt_text(chart())
    assert said.startswith("Gantt chart of project p1 (A cohort study): 4 tasks in 3 stages")
    assert "1 overdue (T3)" in said
    assert "3 milestones" in said
    assert "today is Friday 20 March 2026" in said


def test_the_png_is_a_png_of_the_charts_size() -> None:
    png = render_gantt(chart()).png
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    rows = 3 + 3 + 4  # milestones, stages, tasks
    assert width == 1575  # 10.5 inches at 150 dpi
    assert height == pytest.approx((1.9 + 0.32 * rows) * 150, abs=2)
    assert len(png) > 20_000


def test_the_same_chart_gives_the_same_bytes() -> None:
    first, second = render_gantt(chart()), render_gantt(chart())
    assert first.png == second.png
    assert first.svg == second.svg


def test_an_empty_chart_is_refused_with_its_sentence() -> None:
    with pytest.raises(ValueError, match="has no tasks yet"):
        render_gantt(gantt(group(), "p1", TODAY))


def test_the_sample_groups_charts_draw_every_task() -> None:
    sample = sample_group(date(2026, 11, 25))
    for project in sample.projects:
        drawn = gantt(sample, project, date(2026, 11, 25))
        found = groups(render_gantt(drawn).svg)
        assert {f"task-{t.id}-label" for t in drawn.tasks} <= set(found)


def test_saving_writes_the_png_and_svg_and_replaces_them(tmp_path: Path) -> None:
    png, svg = save_gantt(chart(), tmp_path / "new" / "reports")
    assert (png.name, svg.name) == ("gantt-p1.png", "gantt-p1.svg")
    assert png.read_bytes() == render_gantt(chart()).png
    assert save_gantt(chart(), tmp_path / "new" / "reports") == (png, svg)
    assert sorted(p.name for p in png.parent.iterdir()) == ["gantt-p1.png", "gantt-p1.svg"], (
        "no temporary left"
    )


def test_a_folder_that_cannot_be_made_is_an_error_saying_how_to_choose_another(tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("a file in the way", encoding="utf-8")
    with pytest.raises(IntegrationError) as refused:
        save_gantt(chart(), tmp_path / "reports" / "charts")
    assert f"{tmp_path / 'reports'} is a file" in str(refused.value)
    assert "--out DIR" in refused.value.hint


def test_each_actual_bar_is_filled_with_its_status_colour() -> None:
    found = groups(render_gantt(chart()).svg)
    for task, status in (("T1", TaskStatus.ACCEPTED), ("T2", TaskStatus.IN_PROGRESS)):
        colour = STATUS_COLOURS[status].lower()
        assert f"fill: {colour}" in style_of(found[f"task-{task}-actual"], "path"), task
    assert STATUS_COLOURS[TaskStatus.ACCEPTED] != STATUS_COLOURS[TaskStatus.IN_PROGRESS]
