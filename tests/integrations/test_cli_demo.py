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


def test_the_demo_prints_the_best_slot_with_its_explanation_and_the_next_meetings_locally(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--today", "2026-11-25"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Best meeting slot: Saturday 15:00 Africa/Lagos (90 minutes)" in out
    assert "Top candidates" in out
    # North America changes clocks on 14 March 2027, the UK on 28 March: the periods say so.
    assert "Ivie Osagiede (America/Toronto): Sat 09:00 (2026-11-28 to 2027-03-13); Sat 10:00" in out
    assert "Adaeze Obiora (Europe/London): Sat 14:00 (2026-11-28 to 2027-03-27); Sat 15:00" in out
    assert "loses 3 of 26: 2026-12-05 (unavailable (on call))" in out
    next_meetings = out.split("Next 3 meetings, in each member's local time")[1]
    assert "Tobiloba Akinwale    America/Vancouver  Sat 06:00  Sat 06:00  Sat 06:00" in next_meetings
