"""`braingain demo`, as a leader runs it through `make demo`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from braingain.integrations.cli import EXIT_OK, EXIT_USAGE, main


def test_the_demo_prints_standings_author_order_and_the_credit_statement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--today", "2026-11-21"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Points table" in out
    assert "Author order" in out
    assert "CRediT contribution statement" in out
    assert "Efe Ighodalo: Conceptualization (equal)" in out
    assert "Volunteers for SR-T09" in out
    assert "@" not in out, "member emails never appear in output"


def test_without_a_command_the_help_is_shown_and_the_exit_code_says_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == EXIT_USAGE
    assert "usage: braingain" in capsys.readouterr().out


def test_the_installed_command_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "braingain.integrations.cli", "demo", "--today", "2026-11-21"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Author order" in result.stdout
