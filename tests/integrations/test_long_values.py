"""A value longer than anything real (a pasted paragraph, a held-down key) is one located
problem with a short quote: never a blocked sync, a system error or a traceback."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from braingain.integrations.cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main

TODAY = ["--today", "2026-11-25"]
LONG_ZONE = "Africa/" + "y" * 300


@pytest.fixture
def config(tmp_path: Path) -> Path:
    assert main(["init", "--local", str(tmp_path / "t.xlsx"), "--sample", *TODAY]) == EXIT_OK
    path = tmp_path / "braingain.toml"
    assert main(["sync", "--config", str(path), *TODAY]) == EXIT_OK
    return path


def set_cell(config: Path, tab: str, ident: str, header: str, value: str) -> None:
    path = config.parent / "t.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[tab]
    row = next(c.row for c in sheet["A"] if c.value == ident)
    column = next(c.column for c in sheet[1] if c.value == header)
    sheet.cell(row, column).value = value
    book.save(path)


@pytest.mark.parametrize(
    ("tab", "ident", "header", "value"),
    [
        ("Members", "ada.obiora", "Time zone", LONG_ZONE),
        ("Volunteers", "V-001", "Volunteered at", "2026-11-19 10:00 " + LONG_ZONE),
    ],
)
def test_a_time_zone_name_of_300_characters_in_a_cell_is_a_problem_of_that_cell(
    config: Path, capsys: pytest.CaptureFixture[str], tab: str, ident: str, header: str, value: str
) -> None:
    set_cell(config, tab, ident, header, value)
    capsys.readouterr()
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_PROBLEMS
    out, err = capsys.readouterr()
    assert f"({header})" in out
    assert "(307 characters)" in out
    assert "y" * 100 not in out + err
    assert "Traceback" not in err


def test_a_configured_zone_of_300_characters_names_file_section_and_key(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('zone = "Africa/Lagos"', f'zone = "{LONG_ZONE}"'), encoding="utf-8")
    capsys.readouterr()
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "braingain.toml [meetings] zone:" in err
    assert "y" * 100 not in err


def test_an_anchor_of_300_characters_is_a_wrong_command_line(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["schedule", "suggest", "--anchor", LONG_ZONE, "--config", str(config), *TODAY]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "is not a time zone braingain knows" in err
    assert "Traceback" not in err
