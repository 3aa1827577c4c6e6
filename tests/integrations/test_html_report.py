"""``braingain report html``: one self-contained file, checked in a real browser (headless Chromium).

The browser must load it with no console error, no request beyond the file itself and its ``data:``
URIs, and every image drawn; each test keeps its screenshot beside the page (``report.png``) for a
person to look at.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from braingain.core.group import Group
from braingain.core.ids import ProjectId
from braingain.integrations.cli import EXIT_OK, EXIT_PROBLEMS, main
from braingain.integrations.reports.html_report import NO_PROJECTS, html_report, write_html_report
from braingain.integrations.reports.meetings_html import NO_SERIES
from braingain.sample import sample_group
from tests.integrations.browser import PageReport, open_page
from tests.integrations.test_leader_words import set_cell

AT = datetime(2026, 12, 1, 9, tzinfo=UTC)
TODAY = ["--today", "2026-11-25"]


def seen(group: Group, tmp_path: Path) -> PageReport:
    page = write_html_report(group, tmp_path / "reports", at=AT)
    report = open_page(page, tmp_path)
    (tmp_path / "report.png").write_bytes(report.screenshot)
    return report


def test_the_sample_group_s_report_opens_in_a_browser_with_every_chart_drawn_and_nothing_fetched(
    tmp_path: Path,
) -> None:
    group = sample_group(AT.date())
    report = seen(group, tmp_path)
    assert report.console == []
    assert report.remote == []
    assert report.title == f"{group.name}: report"
    alts = [i.alt for i in report.images]
    assert all(i.loaded and i.width > 100 and i.height > 50 for i in report.images), alts
    gantts = [a for a in alts if a.startswith("Gantt chart of project")]
    assert len(gantts) == len(group.projects)
    assert any(a.startswith("Outputs achieved per year") for a in alts)
    assert any(a.startswith("Attendance rate") for a in alts)
    outputs_with_points = [
        o
        for o in group.outputs.values()
        if group.ledger.standings(ProjectId(o.project_id), tasks=group.tasks)
    ]
    assert sum(a.startswith("Points for") for a in alts) == len(outputs_with_points)
    for project in group.projects.values():
        assert project.title in report.text
    for heading in ("Table 1. Demographic information of group members (N = 16)", "Outputs record",
                    "Points and proposed authors", "Next meetings", "Points table"):  # fmt: skip
        assert heading in report.text
    assert report.screenshot.startswith(b"\x89PNG")
    assert report.width <= 1200  # nothing wider than the window: it prints without cutting


def test_a_group_with_nothing_yet_gets_the_whole_page_each_part_saying_what_to_add(tmp_path: Path) -> None:
    empty = Group.create("New group", members=[], projects=[])
    report = seen(empty, tmp_path)
    assert report.console == []
    assert report.images == []
    assert NO_PROJECTS in report.text
    assert NO_SERIES in report.text
    assert "No member is active on this day" in report.text
    assert "No outputs are recorded yet" in report.text


def test_what_people_typed_is_shown_as_text_never_run_as_html(tmp_path: Path) -> None:
    group = sample_group(AT.date())
    hostile = '<img src="x" onerror="console.error(1)"><script>console.error(2)</script>'
    first = min(group.projects)
    projects = dict(group.projects)
    projects[first] = replace(projects[first], title=f"Study {hostile}")
    members = dict(group.members)
    scorer = group.ledger.standings(None, tasks=group.tasks)[0].member_id  # in every points table
    members[scorer] = replace(members[scorer], surname=f"Okoro {hostile}")
    images = len(seen(group, tmp_path / "plain").images)
    report = seen(replace(group, name=f"Lab & {hostile}", projects=projects, members=members), tmp_path)
    assert report.console == []
    assert all(i.loaded for i in report.images)
    assert len(report.images) == images  # no <img> typed in a cell became one
    assert f"Study {hostile}" in report.text
    assert f"Okoro {hostile}" in report.text
    assert report.title.startswith(f"Lab & {hostile}")


def test_the_same_group_at_the_same_moment_gives_the_same_file() -> None:
    group = sample_group(AT.date())
    assert html_report(group, at=AT) == html_report(group, at=AT)


def test_report_html_writes_report_html_in_the_reports_folder_or_out_and_says_where(
    sample_tracker: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["report", "html", "--config", str(sample_tracker), *TODAY]) == EXIT_OK
    said = capsys.readouterr().out
    written = tmp_path / "reports" / "report.html"
    assert said.startswith(f"Wrote {written}\n")
    assert "Open it in any web browser" in said
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out = tmp_path / "elsewhere"
    assert (
        main(["report", "html", "--config", str(sample_tracker), "--out", str(out), "--count", "1", *TODAY])
        == EXIT_OK
    )
    assert f"Wrote {out / 'report.html'}" in capsys.readouterr().out
    assert (out / "report.html").read_text(encoding="utf-8").count("<tr><td>") >= 1


def test_report_html_made_while_a_row_cannot_be_read_says_so_first_and_exits_3(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(sample_tracker, "Tasks", "SR-T08", "Due", "someday")
    capsys.readouterr()
    assert main(["report", "html", "--config", str(sample_tracker), *TODAY]) == EXIT_PROBLEMS
    said = capsys.readouterr().out
    assert said.index("NOT THE WHOLE ANSWER") < said.index("Wrote ")
    assert (sample_tracker.parent / "reports" / "report.html").is_file()


def test_a_reports_folder_that_cannot_be_made_is_said_with_how_to_choose_another(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = sample_tracker.parent / "blocked"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    assert (
        main(["report", "html", "--config", str(sample_tracker), "--out", str(blocker / "sub"), *TODAY])
        != EXIT_OK
    )
    said = capsys.readouterr().err
    assert "is a file" in said
    assert "--out DIR" in said


def test_dates_in_the_page_follow_the_day_given(tmp_path: Path) -> None:
    group = sample_group(date(2026, 12, 1))
    page = html_report(group, at=AT)
    assert "Tuesday 1 December 2026" in page
