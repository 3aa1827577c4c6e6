"""The `braingain` command on a local workbook, end to end, as a leader and a script use it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from braingain.core.errors import DomainError
from braingain.core.schedule.availability import Weekday
from braingain.core.schedule.slots import find_slots
from braingain.integrations import cli, compose
from braingain.integrations.cli import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    MAX_HORIZON,
    MAX_LENGTH,
    MIN_LENGTH,
    STEPS,
    main,
)
from braingain.integrations.config import load_config, state_key_in
from braingain.integrations.engine.journal import Journal
from braingain.integrations.tracker.workbook import LocalWorkbook
from braingain.sample import sample_group

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


def test_init_writes_the_configuration_where_config_says_pointing_at_the_new_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "settings").mkdir()
    config = tmp_path / "settings" / "new.toml"
    workbook = tmp_path / "settings" / "data" / "x.xlsx"
    workbook.parent.mkdir()
    code, out, _ = run(capsys, "init", "--local", str(workbook), "--config", str(config), "--format", "json")
    assert code == EXIT_OK
    assert json.loads(out)["config"] == str(config)
    assert json.loads(out)["state_key"] == str(config.parent / ".env")
    assert 'path = "data/x.xlsx"' in config.read_text(encoding="utf-8")
    assert not (workbook.parent / "braingain.toml").exists()
    assert not (workbook.parent / ".env").exists(), "the state key is read next to the configuration"
    loaded = load_config(config, environ={})
    assert loaded.tracker.path is not None
    assert loaded.tracker.path.resolve() == workbook.resolve()
    assert state_key_in(config.parent, environ={}) is not None
    code, out, _ = run(capsys, "init", "--local", str(workbook), "--config", str(config), "--force")
    assert f"`braingain plan --config {config}`" in out, "later commands are told where the settings are"


def test_init_points_a_configuration_outside_the_workbooks_folder_at_it_by_its_full_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / 'data "quoted"').mkdir()
    config = tmp_path / "config" / "braingain.toml"
    workbook = tmp_path / 'data "quoted"' / "x.xlsx"
    assert main(["init", "--local", str(workbook), "--config", str(config), "--sample", *TODAY]) == EXIT_OK
    assert load_config(config, environ={}).tracker.path == workbook.resolve()
    code, _, _ = run(capsys, "plan", "--config", str(config), *TODAY)
    assert code == EXIT_OK, "the sample's state is sealed with the key next to the configuration"


def test_init_refuses_a_config_in_a_missing_folder_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "init", "--local", str(tmp_path / "x.xlsx"), "--config", str(tmp_path / "no" / "c.toml")
    )
    assert code == EXIT_ERROR
    assert f"there is no folder {tmp_path / 'no'}" in err
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_a_configuration_that_points_at_another_workbook_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--local", str(tmp_path / "old.xlsx")]) == EXIT_OK
    config = tmp_path / "braingain.toml"
    before = config.read_bytes(), (tmp_path / ".env").read_bytes()
    capsys.readouterr()
    code, out, err = run(capsys, "init", "--local", str(tmp_path / "new.xlsx"))
    assert code == EXIT_ERROR
    assert out == ""
    assert f"{config} already exists and points at the workbook {tmp_path / 'old.xlsx'}" in err
    assert "nothing was created" in err
    assert f"for a second group, pass --config with a new file, e.g. --config {tmp_path / 'new.toml'}" in err
    assert 'path = "new.xlsx" in ' in err
    assert not (tmp_path / "new.xlsx").exists()
    assert (config.read_bytes(), (tmp_path / ".env").read_bytes()) == before


def test_init_s_hint_for_a_second_group_never_names_the_configuration_it_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "new.toml"
    assert main(["init", "--local", str(tmp_path / "x.xlsx"), "--config", str(config)]) == EXIT_OK
    capsys.readouterr()
    code, _, err = run(capsys, "init", "--local", str(tmp_path / "new.xlsx"), "--config", str(config))
    assert code == EXIT_ERROR
    assert f"e.g. --config {tmp_path / 'new-2.toml'};" in err


def test_init_refuses_a_configuration_for_a_google_sheet_and_one_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    google = tmp_path / "google.toml"
    google.write_text('[tracker]\nbackend = "google"\nspreadsheet_id = "1AbC"\n', encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text("[tracker\n", encoding="utf-8")
    for config, says in ((google, "points at the Google Sheet 1AbC"), (broken, "is not valid TOML")):
        code, _, err = run(capsys, "init", "--local", str(tmp_path / "x.xlsx"), "--config", str(config))
        assert code == EXIT_ERROR
        assert says in err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml", "google.toml"]


def test_init_keeps_a_configuration_that_already_points_at_the_workbook_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "braingain.toml"
    config.write_text('[group]\nname = "Okafor Lab"\n[tracker]\npath = "./group.xlsx"\n', encoding="utf-8")
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "group.xlsx"))
    assert code == EXIT_OK
    assert f"Kept {config}: it already points at this workbook" in out
    assert config.read_text(encoding="utf-8").startswith('[group]\nname = "Okafor Lab"')
    assert (tmp_path / "group.xlsx").exists()
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "group.xlsx"), "--force", "--format", "json")
    assert json.loads(out)["config_kept"] is True


def test_init_names_the_group_as_given_by_name_not_as_the_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = 'Okafor "Neuro" Lab \\ Lagos'
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "g.xlsx"), "--name", f"  {name} ")
    assert code == EXIT_OK
    assert f'The group is called "{name}".' in out
    config = tmp_path / "braingain.toml"
    assert load_config(config, environ={}).settings.name == name
    assert "Diamante" not in config.read_text(encoding="utf-8")


def test_init_without_name_names_the_group_after_the_workbook_and_says_how_to_change_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "okafor_lab-2026.xlsx"))
    assert code == EXIT_OK
    assert 'The group is called "okafor lab 2026" (from the workbook\'s name)' in out
    assert "--name" in out
    assert load_config(tmp_path / "braingain.toml", environ={}).settings.name == "okafor lab 2026"


def test_init_sample_keeps_the_samples_name_unless_name_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert main(["init", "--local", str(tmp_path / "a" / "t.xlsx"), "--sample", *TODAY]) == EXIT_OK
    assert (
        main(["init", "--local", str(tmp_path / "b" / "t.xlsx"), "--sample", "--name", "Mine", *TODAY]) == 0
    )
    assert (
        load_config(tmp_path / "a" / "braingain.toml", environ={}).settings.name
        == sample_group(date(2026, 11, 25)).name
    )
    assert load_config(tmp_path / "b" / "braingain.toml", environ={}).settings.name == "Mine"


def test_init_says_a_name_was_not_applied_to_a_configuration_it_keeps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--local", str(tmp_path / "g.xlsx"), "--name", "First"]) == EXIT_OK
    capsys.readouterr()
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "g.xlsx"), "--force", "--name", "Second")
    assert code == EXIT_OK
    assert "--name was not applied: edit [group] name there" in out
    assert load_config(tmp_path / "braingain.toml", environ={}).settings.name == "First"


def test_init_refuses_name_where_no_configuration_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "init", "--key", "--name", "X", "--config", str(tmp_path / "c.toml"))
    assert code == EXIT_ERROR
    assert "--name is for init --local or --google, which write the configuration" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("today", "first"),
    [
        ("2026-11-25", date(2026, 11, 28)),
        ("2026-11-28", date(2026, 12, 5)),
        ("2026-11-29", date(2026, 12, 5)),
    ],
)
def test_init_sets_the_first_meeting_to_the_slots_next_weekday_after_today(
    tmp_path: Path, today: str, first: date
) -> None:
    assert main(["init", "--local", str(tmp_path / "g.xlsx"), "--today", today]) == EXIT_OK
    settings = load_config(tmp_path / "braingain.toml", environ={}).settings
    assert settings.slot is not None
    assert settings.slot.weekday == Weekday.SATURDAY
    assert settings.series_first == first


def test_the_generated_configuration_neither_says_to_copy_itself_nor_shows_developer_settings(
    tmp_path: Path,
) -> None:
    assert main(["init", "--local", str(tmp_path / "g.xlsx")]) == EXIT_OK
    config = (tmp_path / "braingain.toml").read_text(encoding="utf-8")
    assert "copy" not in config.lower()
    assert "[endpoints]" not in config
    assert "google_sheets =" not in config
    assert "[workspace]" in config, "the sections after the developers' one stay"
    assert load_config(tmp_path / "braingain.toml", environ={}).outbox == tmp_path / "outbox"


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
    assert "Nothing is written by a plan. A sync would make these changes:" in out
    assert "synced" not in out.lower(), "a plan never says it synced"
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
        "repaired": False,
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
    # The rows counted are the group's, below each header: none of braingain's hidden memory.
    snapshot = LocalWorkbook(load_config(tracker, environ={}).tracker.path or Path()).read()
    group_rows = sum(len(g.values) - 1 for title, g in snapshot.grids.items() if not title.startswith("_"))
    assert group_rows < sum(len(g.values) for g in snapshot.grids.values()) - len(snapshot.grids)
    assert f"braingain: checking {group_rows} rows..." in err
    code, out, err = run(capsys, "plan", "--config", str(tracker), *TODAY, "--progress", "--format", "json")
    assert err == ""
    assert json.loads(out)["cells"] > 0


def moved(workbook: Path, task: str, status: str, by: str | None = None) -> None:
    """``task``'s Status typed as ``status`` in the workbook, by ``by`` (its head when not given)."""
    book = openpyxl.load_workbook(workbook)
    tasks = book["Tasks"]
    header = [c.value for c in tasks[1]]
    row = next(r for r in range(2, tasks.max_row + 1) if tasks.cell(r, 1).value == task)
    who = by or tasks.cell(row, header.index("Mini-team head") + 1).value
    tasks.cell(row, header.index("Status") + 1, status)
    tasks.cell(row, header.index("Status changed by") + 1, who)
    book.save(workbook)


def test_a_leader_accepting_work_in_the_workbook_puts_the_awards_on_the_ledger(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    assert main(["sync", "--config", str(tracker), *TODAY]) == EXIT_OK
    moved(workbook, "SR-T08", "submitted")
    assert main(["sync", "--config", str(tracker), *TODAY]) == EXIT_OK
    moved(workbook, "SR-T08", "accepted", "efe.ighodalo")
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
        "config_kept": False,
        "group_name": "g",
        "state_key": str(tmp_path / ".env"),
    }


# A command line that can never be right: (arguments, what the message must say).
USAGE_ERRORS: list[tuple[list[str], str]] = [
    (["report", "schedule", "--count", "-1"], "argument --count: -1 is not 1 or more"),
    (["report", "schedule", "--count", "many"], "argument --count: 'many' is not a whole number"),
    (["plan", "--today", "soon"], "argument --today: 'soon' is not a date (YYYY-MM-DD)"),
    (
        ["plan", "--today", "9999-12-31"],
        "'9999-12-31' is out of range (use a date from 1900-01-01 to 2999-12-31)",
    ),
    (
        ["schedule", "suggest", "--days", "Funday"],
        "argument --days: 'Funday' is not a day of the week (use Mon,",
    ),
    (["schedule", "suggest", "--days", "Sat,Funday"], "'Funday' is not a day of the week"),
    (["schedule", "suggest", "--days", "Sat,Sat"], "argument --days: 'Sat,Sat' names a day twice"),
    (["schedule", "suggest", "--days", ""], "argument --days: '' is not a day of the week"),
    (
        ["schedule", "suggest", "--anchor", "Mars/Base"],
        "argument --anchor: 'Mars/Base' is not a time zone braingain knows",
    ),
    (["schedule", "suggest", "--anchor", "Lagos"], "did you mean Africa/Lagos?"),
    (
        ["schedule", "suggest", "--anchor", "Etc/GMT+1"],
        "argument --anchor: 'Etc/GMT+1' is not a time zone braingain knows",
    ),
    (["schedule", "suggest", "--length", "500"], "argument --length: 500 is out of range (use 15 to 480)"),
    (["schedule", "suggest", "--length", "10"], "argument --length: 10 is out of range (use 15 to 480)"),
    (["schedule", "suggest", "--length", "1.5h"], "argument --length: '1.5h' is not a whole number"),
    (
        ["schedule", "suggest", "--step", "7"],
        "argument --step: invalid choice: 7 (choose from 5, 10, 15, 20, 30, 60)",
    ),
    (["schedule", "suggest", "--horizon", "300"], "argument --horizon: 300 is out of range (use 1 to 260)"),
    (["schedule", "suggest", "--horizon", "0"], "argument --horizon: 0 is out of range (use 1 to 260)"),
    (
        ["schedule", "suggest", "--from", "2027-13-01"],
        "argument --from: '2027-13-01' is not a date (YYYY-MM-DD)",
    ),
    (["schedule", "suggest", "--from", "9999-01-01"], "argument --from: '9999-01-01' is out of range"),
    (["report", "authorship", "not!an!id"], "argument project: 'not!an!id' is not a valid id"),
    (["report", "authorship", "sr", "--output", "a b"], "argument --output: 'a b' is not a valid id"),
    (["init", "--local", "tracker.txt"], "argument --local: 'tracker.txt' does not end in .xlsx"),
    (
        ["init", "--google", "--share-with", "ada@@example..org"],
        "argument --share-with: is not a valid email",
    ),
    (["init", "--google", "--title", " "], "argument --title: is empty"),
    (["init", "--local", "g.xlsx", "--name", " "], "argument --name: is empty"),
    (["init", "--local", "g.xlsx", "--name", "Okafor\nLab"], "argument --name: holds a line break"),
    (["demo", "--workspace", ""], "argument --workspace: is empty"),
    (["sync", "--format", "yaml"], "argument --format: invalid choice: 'yaml'"),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS)
def test_a_command_line_that_can_never_be_right_is_a_usage_error_naming_the_value(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing is read or written: not even a configuration is looked for
    assert main(args) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert message in err
    assert "Traceback" not in err
    assert "ada@@example..org" not in err, "an email is never echoed"
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_the_command_lines_limits_are_the_slot_finders(tmp_path: Path) -> None:
    # The CLI refuses up front exactly what the slot finder would refuse later.
    group = sample_group(date(2026, 11, 25))
    people = [group.availability_of(m) for m in group.active_members(date(2026, 11, 25))]

    def finds(*, length: int = 90, horizon: int = 1, step: int = 30) -> bool:
        try:
            find_slots(
                people,
                anchor=ZoneInfo("UTC"),
                start=date(2026, 11, 28),
                days=(Weekday.SATURDAY,),
                length=length,
                horizon=horizon,
                step=step,
            )
        except DomainError:
            return False
        return True

    assert finds(length=MIN_LENGTH, horizon=1)
    assert not finds(length=MIN_LENGTH - 1, horizon=1)
    assert finds(length=MAX_LENGTH, horizon=1)
    assert not finds(length=MAX_LENGTH + 1, horizon=1)
    assert finds(horizon=MAX_HORIZON)
    assert not finds(horizon=MAX_HORIZON + 1)
    assert [step for step in range(1, 121) if finds(step=step, horizon=1)] == list(STEPS)


def config_with(tracker: Path, old: str, new: str) -> None:
    text = tracker.read_text(encoding="utf-8")
    assert old in text
    tracker.write_text(text.replace(old, new), encoding="utf-8")


def test_schedule_suggest_scores_meetings_of_the_configured_length(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_with(tracker, "length_minutes = 90", "length_minutes = 60")
    suggest = ["schedule", "suggest", "--config", str(tracker), *TODAY, "--format", "json"]
    code, out, _ = run(capsys, *suggest)
    assert code == EXIT_OK
    configured = json.loads(out)
    assert configured["length_minutes"] == 60
    assert configured == json.loads(run(capsys, *suggest, "--length", "60")[1])
    asked = json.loads(run(capsys, *suggest, "--length", "120")[1])
    assert asked["length_minutes"] == 120, "--length still overrides the configuration"
    assert asked["ranked"] != configured["ranked"]


def test_schedule_suggest_scores_from_the_day_given_with_from(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suggest = ["schedule", "suggest", "--config", str(tracker), *TODAY, "--format", "json"]
    today = json.loads(run(capsys, *suggest)[1])
    assert today["dates"]["from"] == "2026-11-28", "the first Saturday from --today"
    later = json.loads(run(capsys, *suggest, "--from", "2027-03-01", "--horizon", "4")[1])
    assert later["dates"] == {"from": "2027-03-06", "to": "2027-03-27"}
    code, out, _ = run(capsys, "schedule", "suggest", "--help")
    assert code == EXIT_OK
    words = " ".join(out.split())
    assert "--from YYYY-MM-DD score the weekly dates from this day on (default: today)" in words
    assert "(default: [meetings] length_minutes, else 90)" in words


def test_schedule_suggest_is_fixed_in_the_configured_zone_unless_asked(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suggest = ["schedule", "suggest", "--config", str(tracker), *TODAY, "--format", "json"]
    assert json.loads(run(capsys, *suggest)[1])["best"].endswith("Africa/Lagos")
    assert json.loads(run(capsys, *suggest, "--anchor", "Europe/London")[1])["best"].endswith("Europe/London")


def test_a_sync_on_a_read_only_workbook_writes_nothing_and_says_how_to_fix_it(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    workbook.chmod(0o444)
    before = (workbook.stat().st_mtime_ns, workbook.read_bytes())
    code, _, err = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert err.startswith(f"braingain: the workbook {workbook} is read-only")
    assert f"chmod u+w {workbook}" in err
    assert len(err.splitlines()) == 1
    assert (workbook.stat().st_mtime_ns, workbook.read_bytes()) == before
    code, _, err = run(capsys, "init", "--local", str(workbook), "--force")
    assert code == EXIT_ERROR
    assert "is read-only" in err
    assert (workbook.stat().st_mtime_ns, workbook.read_bytes()) == before


def test_the_demo_never_replaces_a_folder_holding_a_groups_own_tracker(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tracker.parent
    (folder / "braingain.xlsx").write_bytes((folder / "tracker.xlsx").read_bytes())
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, _, err = run(capsys, "demo", "--workspace", str(folder), *TODAY)
    assert code == EXIT_ERROR
    assert f"braingain: {folder} holds a tracker or configuration that is not a demo" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    code, _, err = run(capsys, "demo", "--workspace", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert f"{tracker} is a file, not a folder" in err


def test_the_demo_may_run_again_in_its_own_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "demo"
    assert main(["demo", "--workspace", str(folder), *TODAY]) == EXIT_OK
    assert main(["demo", "--workspace", str(folder), *TODAY]) == EXIT_OK


def test_a_reader_that_goes_away_ends_the_command_quietly(
    tracker: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def gone(*args: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "_emit", gone)
    code, _, err = run(capsys, "report", "schedule", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert err == ""


def test_a_system_error_anywhere_is_one_line_naming_the_file(
    tracker: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/somewhere/braingain.xlsx")

    monkeypatch.setattr(compose, "run_sync", refused)
    code, _, err = run(capsys, "plan", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert err == "braingain: cannot use /somewhere/braingain.xlsx: Permission denied\n"


def test_a_bug_is_reported_as_one_line_not_a_traceback(
    tracker: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(compose, "run_sync", bug)
    monkeypatch.delenv("BRAINGAIN_DEBUG", raising=False)
    code, _, err = run(capsys, "plan", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert err.startswith("braingain: something went wrong inside braingain (OverflowError: date value")
    assert "please report it" in err
    assert "Traceback" not in err
    monkeypatch.setenv("BRAINGAIN_DEBUG", "1")
    with pytest.raises(OverflowError):
        main(["plan", "--config", str(tracker), *TODAY])


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # every file written stops at 20 kB
from braingain.integrations.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="file size limits are POSIX")
def test_a_sync_the_disk_cannot_hold_says_so_once_without_a_traceback(tracker: Path) -> None:
    # The workbook is the file that does not fit (the journal of the Drive folders would be first).
    tracker.write_text(tracker.read_text(encoding="utf-8") + "\n[drive]\nenabled = false\n", encoding="utf-8")
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
    left = sorted(p.name for p in tracker.parent.iterdir())
    assert left == [
        ".braingain",
        ".env",
        ".tracker.xlsx.braingain.lock",
        "braingain.toml",
        "outbox",
        "tracker.xlsx",
    ]  # the lock stays; the invitations written before the save stay, and the journal holds them
    journal = Journal.beside(tracker)
    assert journal.done()
    done_on = {e.platform for e in journal.done()}  # for the next sync to write back
    assert "calendar" in done_on
    assert done_on <= {"calendar", "slack", "email"}  # the invitations and the messages kept in the outbox


def test_sync_says_nothing_to_write_only_when_nothing_was_written(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    assert main(["sync", "--config", str(tracker), *TODAY]) == EXIT_OK
    moved(workbook, "SR-T08", "submitted")
    capsys.readouterr()
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "nothing to write" not in out, "a sync that writes only braingain's memory says it wrote"
    assert "Wrote these changes to the tracker:" in out
    assert "braingain now remembers" in out  # the task's memory, and the checksum over the memory
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert "Everything is up to date: nothing to write." in out


def test_a_deleted_tab_is_put_right_in_one_sync_and_said_apart_from_the_problems(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    assert main(["sync", "--config", str(tracker), *TODAY]) == EXIT_OK
    book = openpyxl.load_workbook(workbook)
    del book["Outputs"]
    book.save(workbook)
    capsys.readouterr()
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK, "nothing is left on the Problems tab"
    assert "Put right by this sync (so not listed on the Problems tab):\n  - Outputs:" in out
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY, "--format", "json")
    assert (code, json.loads(out)["cells"], json.loads(out)["problems"]) == (EXIT_OK, 0, [])


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (
            ["plan", "--format", "json", "--today", "2026-13-01"],
            "argument --today: '2026-13-01' is not a date",
        ),
        (["init", "--local", "x.txt", "--format=json"], "argument --local: 'x.txt' does not end in .xlsx"),
        (["plan", "--format", "json", "--bogus"], "unrecognized arguments: --bogus"),
        (["report", "authorship", "--format", "json"], "the following arguments are required: project"),
        (["report", "--format=json", "nothing"], "argument REPORT: invalid choice: 'nothing'"),
        (["init", "--local", "g.xlsx", "--title", "T", "--format", "json"], "--title is for init --google"),
        (["--format", "json", "plan"], "--format goes after the command: braingain plan --format json"),
        (
            ["--format=json", "report", "group"],
            "--format goes after the command: braingain report --format=json",
        ),
    ],
)
def test_a_command_line_mistake_is_a_json_error_when_json_is_asked_for(
    words: list[str],
    said: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *words)
    assert (code, err) == (EXIT_USAGE, "")
    error = json.loads(out)["error"]
    assert error["kind"] == "usage"
    assert error["message"].startswith(said)
    assert error["exit_code"] == EXIT_USAGE
    assert error["hint"].startswith("see braingain")
    assert list(tmp_path.iterdir()) == []


def test_a_command_line_mistake_without_json_is_argparse_s_usage_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "plan", "--bogus")
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith("usage: braingain")
    assert "unrecognized arguments: --bogus" in err


@pytest.mark.parametrize(
    "words",
    [["plan"], ["sync"], ["report", "group"], ["report", "schedule"], ["schedule", "suggest"]],
)
def test_a_command_run_outside_the_group_s_folder_says_to_go_there_not_to_make_a_new_group(
    words: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, *words, "--format", "json")
    assert code == EXIT_ERROR
    error = json.loads(out)["error"]
    assert error["message"].startswith(f"there is no braingain.toml in this folder ({tmp_path})")
    assert "go to your group's folder" in error["hint"]
    assert "pass --config" in error["hint"]
    assert list(tmp_path.iterdir()) == []
