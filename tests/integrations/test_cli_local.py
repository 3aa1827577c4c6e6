"""The `braingain` command on a local workbook, end to end, as a leader and a script use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from braingain.integrations.cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main

TODAY = ["--today", "2026-11-25"]


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    """A workbook filled with the sample group, and its braingain.toml."""
    workbook = tmp_path / "tracker.xlsx"
    assert main(["init", "--local", str(workbook), "--sample", *TODAY]) == EXIT_OK
    config = tmp_path / "braingain.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('first = "2026-03-07"', 'first = "2026-07-04"').replace(
        'series_id = "meetings"', 'series_id = "monthly"'
    )
    config.write_text(text, encoding="utf-8")
    return config


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_a_workbook_and_a_documented_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "group.xlsx"))
    assert code == EXIT_OK
    assert "Created" in out
    config = (tmp_path / "braingain.toml").read_text(encoding="utf-8")
    assert 'path = "group.xlsx"' in config
    assert "Secrets never go in this file" in config
    titles = openpyxl.load_workbook(tmp_path / "group.xlsx").sheetnames
    assert titles[:4] == ["Members", "Availability", "Projects", "Tasks"]


def test_init_refuses_to_overwrite_a_workbook_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "group.xlsx"
    assert main(["init", "--local", str(path)]) == EXIT_OK
    capsys.readouterr()
    code, _, err = run(capsys, "init", "--local", str(path))
    assert code == EXIT_ERROR
    assert "--force" in err or "overwrite" in err


def test_plan_shows_the_changes_and_writes_nothing(tracker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    before = workbook.read_bytes()
    code, out, _ = run(capsys, "plan", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "Would write" in out
    assert workbook.read_bytes() == before


def test_sync_writes_and_a_second_sync_changes_nothing(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "Wrote" in out
    workbook = tracker.parent / "tracker.xlsx"
    after = workbook.stat().st_mtime_ns
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY, "--format", "json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["cells"] == 0
    assert data["changes"] == []
    assert data["applied"] is False
    assert workbook.stat().st_mtime_ns == after


def test_problems_in_the_workbook_are_listed_with_where_and_why_and_the_rest_syncs(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    book = openpyxl.load_workbook(workbook)
    tasks = book["Tasks"]
    header = [c.value for c in tasks[1]]
    tasks.cell(row=3, column=header.index("Points") + 1, value="ten")
    book.save(workbook)
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY, "--format", "json")
    assert code == EXIT_PROBLEMS
    data = json.loads(out)
    assert {
        "tab": "Tasks",
        "row": 3,
        "column": "Points",
        "problem": "'ten' is not a number (write a number such as 5 or 2.5)",
    } in data["problems"]
    synced = openpyxl.load_workbook(workbook)
    problems = [[c.value for c in row] for row in synced["Problems"].iter_rows(min_row=2)]
    assert any(row[1] == "Tasks" and row[2] == 3 for row in problems)
    assert synced["Tasks"].cell(row=3, column=header.index("Points") + 1).value == "ten", (
        "what a person typed stays"
    )


def test_report_authorship_prints_standings_and_decisions(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "authorship", "sr-migration", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "Points table" in out
    assert "Author order" in out
    args = ["report", "authorship", "sr-migration", "--output", "sr-protocol", "--config", str(tracker)]
    code, out, _ = run(capsys, *args, *TODAY, "--format", "json")
    decision = json.loads(out)["outputs"][0]
    assert [a["member"] for a in decision["authors"]][-1] == "ada.obiora"
    assert "<contrib-group>" in decision["jats"]


def test_report_schedule_shows_the_next_meetings_in_each_members_time(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "schedule", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "Next 3 meetings, in each member's local time" in out
    assert "America/Vancouver" in out


def test_schedule_suggest_explains_the_best_slot(tracker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schedule", "suggest", "--config", str(tracker), *TODAY, "--format", "json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["best"] == "Saturday 15:00 Africa/Lagos"
    assert len(data["members"]) == 16


def test_an_unknown_project_is_a_clear_error(tracker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "report", "authorship", "nope", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert "there is no project 'nope'" in err


def test_a_missing_workbook_says_how_to_create_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "braingain.toml"
    config.write_text('[tracker]\nbackend = "local"\npath = "missing.xlsx"\n', encoding="utf-8")
    code, _, err = run(capsys, "plan", "--config", str(config))
    assert code == EXIT_ERROR
    assert "braingain init --local" in err


def test_a_bad_configuration_names_the_file_section_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "braingain.toml"
    config.write_text('[meetings]\nday = "Sat"\ntime = "15:00"\nzone = "Lagos"\n', encoding="utf-8")
    code, _, err = run(capsys, "plan", "--config", str(config))
    assert code == EXIT_ERROR
    assert "braingain.toml [meetings]" in err
    assert "Africa/Lagos" in err


def test_a_wrong_command_line_exits_with_the_usage_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--format", "yaml"]) == EXIT_USAGE
    assert "invalid choice" in capsys.readouterr().err


def test_help_explains_the_commands_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    out = capsys.readouterr().out
    for word in ("init", "plan", "sync", "report", "schedule", "demo", "exit codes"):
        assert word in out


def test_progress_is_shown_on_stderr_when_asked_and_never_in_json(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "plan", "--config", str(tracker), *TODAY, "--progress")
    assert code == EXIT_OK
    assert "braingain: reading the tracker" in err
    assert "braingain: planning" in err
    assert "reading the tracker" not in out
    code, out, err = run(capsys, "plan", "--config", str(tracker), *TODAY, "--progress", "--format", "json")
    assert err == ""
    assert json.loads(out)["cells"] > 0


def test_a_leader_accepting_work_in_the_workbook_puts_the_awards_on_the_ledger(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    assert main(["sync", "--config", str(tracker), *TODAY]) == EXIT_OK
    book = openpyxl.load_workbook(workbook)
    tasks = book["Tasks"]
    header = [c.value for c in tasks[1]]
    row = next(r for r in range(2, tasks.max_row + 1) if tasks.cell(r, 1).value == "SR-T08")
    head = tasks.cell(row, header.index("Mini-team head") + 1).value
    tasks.cell(row, header.index("Status") + 1, "submitted")
    tasks.cell(row, header.index("Status changed by") + 1, head)
    book.save(workbook)
    assert main(["sync", "--config", str(tracker), *TODAY]) == EXIT_OK
    book = openpyxl.load_workbook(workbook)
    tasks = book["Tasks"]
    tasks.cell(row, header.index("Status") + 1, "accepted")
    tasks.cell(row, header.index("Status changed by") + 1, "efe.ighodalo")
    book.save(workbook)
    capsys.readouterr()
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY, "--format", "json")
    assert code == EXIT_OK
    assert json.loads(out)["status_changes"] == ["SR-T08: submitted -> accepted by efe.ighodalo"]
    ledger = openpyxl.load_workbook(workbook)["Ledger"]
    awards = [
        r
        for r in ledger.iter_rows(min_row=2, values_only=True)
        if r[0] and str(r[0]).startswith("award:SR-T08:")
    ]
    assert len(awards) == 4
    assert sum(float(r[5]) for r in awards) == 15
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY, "--format", "json")
    assert json.loads(out)["cells"] == 0, "a second sync writes nothing"


def test_init_speaks_json_for_scripts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "g.xlsx"), "--format", "json")
    assert code == EXIT_OK
    assert json.loads(out) == {
        "backend": "local",
        "workbook": str(tmp_path / "g.xlsx"),
        "config": str(tmp_path / "braingain.toml"),
    }


@pytest.mark.parametrize("args", [["report", "schedule", "--count", "-1"], ["plan", "--today", "soon"]])
def test_nonsense_on_the_command_line_is_a_usage_error(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == EXIT_USAGE
    assert "error:" in capsys.readouterr().err


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # every file written stops at 20 kB
from braingain.integrations.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits are POSIX")
def test_a_sync_the_disk_cannot_hold_says_so_once_without_a_traceback(tracker: Path) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    before = workbook.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "sync", "--config", str(tracker), *TODAY],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == EXIT_ERROR
    assert done.stderr.startswith(f"braingain: could not save the workbook {workbook}: ")
    assert "it is unchanged" in done.stderr
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in tracker.parent.iterdir()) == ["braingain.toml", "tracker.xlsx"]
