"""`braingain report gantt PROJECT` on a local workbook: files written, the chart in words and JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from braingain.integrations.cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS
from tests.integrations.test_gantt_text import GOLDEN
from tests.integrations.test_leader_words import TODAY, add_row, run, set_cell, tracker

__all__ = ["tracker"]  # the fixture: the sample group in a workbook, and its braingain.toml


def test_it_writes_the_png_and_svg_to_the_reports_folder_and_says_the_chart_in_words(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "gantt", "sr-migration", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    folder = tracker.parent / "reports"
    png, svg = folder / "gantt-sr-migration.png", folder / "gantt-sr-migration.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ids = {g.get("id") for g in ET.fromstring(svg.read_bytes()).iter("{http://www.w3.org/2000/svg}g")}
    assert {"task-SR-T01-label", "task-SR-T08-actual", "today", "milestone-4"} <= ids
    summary = (GOLDEN / "sample-sr-migration.txt").read_text(encoding="utf-8")
    assert out == f"{summary}\nWrote:\n  {png}\n  {svg}\n"


def test_out_chooses_the_folder_and_json_gives_the_chart_and_the_files(
    tracker: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "charts" / "today"
    code, out, _ = run(
        capsys, "report", "gantt", "cohort-careers", "--out", str(out_dir), "--format", "json",
        "--config", str(tracker), *TODAY,
    )  # fmt: skip
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["files"] == [
        str(out_dir / "gantt-cohort-careers.png"),
        str(out_dir / "gantt-cohort-careers.svg"),
    ]
    assert all(Path(f).is_file() for f in data["files"])
    assert not (tracker.parent / "reports").exists()
    assert data["complete"] is True
    assert [t["id"] for t in data["tasks"]] == ["CS-T01", "CS-T02"]
    assert data["tasks"][0] | {"contributors": []} == {
        "id": "CS-T01",
        "title": "Draft the cohort study protocol",
        "stage": "protocol",
        "stage_name": "Protocol and study design",
        "status": "open",
        "head": None,
        "contributors": [],
        "start": "2026-11-22",
        "due": "2027-01-04",
        "actual_start": None,
        "actual_end": None,
        "overdue": False,
    }
    assert data["today"] == "2026-11-25"
    assert len(data["fingerprint"]) == 64


def test_an_unknown_project_is_refused_naming_the_projects_there_are(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "report", "gantt", "nope", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert "there is no project 'nope' (the projects are: cohort-careers, sr-migration)" in err
    assert out == ""
    assert not (tracker.parent / "reports").exists()


def test_a_project_without_tasks_says_so_and_writes_no_file(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_row(
        tracker,
        "Projects",
        {"ID": "new-study", "Title": "A new study", "Kind": "systematic review", "Lead": "ada.obiora"},
    )
    code, out, _ = run(capsys, "report", "gantt", "new-study", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert out == "Project new-study has no tasks to draw: it has no tasks yet.\n"
    assert not (tracker.parent / "reports").exists()


def test_a_chart_drawn_while_a_task_of_the_project_cannot_be_read_says_so_first(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(tracker, "Tasks", "SR-T09", "Points", "lots")
    code, out, _ = run(capsys, "report", "gantt", "sr-migration", "--config", str(tracker), *TODAY)
    assert code == EXIT_PROBLEMS
    assert out.startswith("NOT THE WHOLE ANSWER")
    assert "Points: 'lots' is not a number" in out
    assert "SR-T09" not in out.split("Wrote:")[0].split("Gantt chart")[1]
    code, _, _ = run(capsys, "report", "gantt", "cohort-careers", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK, "another project's chart does not wait for it"


def test_a_reports_folder_that_cannot_be_made_is_a_clear_error(
    tracker: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "blocked").write_text("a file", encoding="utf-8")
    code, _, err = run(
        capsys, "report", "gantt", "sr-migration", "--out", str(tmp_path / "blocked" / "x"),
        "--config", str(tracker), *TODAY,
    )  # fmt: skip
    assert code == EXIT_ERROR
    assert f"cannot make the folder {tmp_path / 'blocked' / 'x'}: {tmp_path / 'blocked'} is a file" in err
    assert "--out DIR" in err
