"""`braingain demo`, as a leader runs it through `make demo`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from braingain.integrations.cli import EXIT_OK, EXIT_USAGE, main


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    workspace = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [sys.executable, "-m", "braingain.integrations.cli", "demo", "--workspace", str(workspace),
         "--today", "2026-11-25"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_demo_creates_a_workspace_plans_syncs_and_a_second_plan_changes_nothing(demo_output: str) -> None:
    assert "the sample group (16 invented members in 4 countries" in demo_output
    assert "Plan for" in demo_output
    assert "Nothing is written by a plan. A sync would make these changes:" in demo_output
    assert "Sync of" in demo_output
    assert "Wrote these changes to the tracker:" in demo_output
    assert (
        "A second plan right after the sync: nothing to change, in the tracker or elsewhere." in demo_output
    )


def test_the_demo_shows_the_plan_across_platforms_and_writes_the_groups_invitations(demo_output: str) -> None:
    assert "On Zoom, in calendars, on Drive, on Slack and by email" in demo_output
    assert "write the calendar invitation for Saturday" in demo_output
    assert "Zoom is not set up" in demo_output
    said = demo_output.split("The calendar invitations of the meetings ahead are in ", 1)[1]
    invitations = sorted(Path(said.split(": open one", 1)[0]).glob("*.ics"))
    assert invitations
    assert all(f.read_bytes().startswith(b"BEGIN:VCALENDAR") for f in invitations)


def test_the_demo_prints_standings_author_order_and_the_credit_statement(demo_output: str) -> None:
    assert "Points table: Drivers of health worker migration" in demo_output
    assert "Author order" in demo_output
    assert "Efe Ighodalo: Conceptualization (equal)" in demo_output
    assert "Volunteers for SR-T09" in demo_output
    assert "@" not in demo_output, "member emails never appear in output"


def test_the_demo_prints_the_best_slot_with_its_explanation_and_the_next_meetings_locally(
    demo_output: str,
) -> None:
    assert "Best meeting slot: Saturday 15:00 Africa/Lagos (90 minutes)" in demo_output
    # North America changes clocks on 14 March 2027, the UK on 28 March: the periods say so.
    assert (
        "Ivie Osagiede (America/Toronto): Sat 09:00 (Saturday 28 November 2026 to Saturday 13 March 2027); "
        "Sat 10:00"
    ) in demo_output
    assert (
        "Adaeze Obiora (Europe/London): Sat 14:00 (Saturday 28 November 2026 to Saturday 27 March 2027); "
        "Sat 15:00"
    ) in demo_output
    assert "loses 3 of 26: Saturday 5 December 2026: unavailable (on call);" in demo_output
    next_meetings = demo_output.split("Next 3 meetings, in each member's local time")[1]
    tobiloba = next(line for line in next_meetings.splitlines() if line.startswith("Tobiloba Akinwale"))
    assert tobiloba.split()[2:] == ["America/Vancouver", *["Sat", "06:00", "(cannot)"] * 3]
    assert "- Tobiloba Akinwale, Saturday 2 January 2027: unavailable (travel)" in next_meetings


def test_without_a_command_the_help_is_shown_and_the_exit_code_says_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == EXIT_USAGE
    assert "usage: braingain" in capsys.readouterr().out


def test_the_demo_runs_in_process_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--workspace", str(tmp_path), "--today", "2026-11-25"]) == EXIT_OK
    assert (tmp_path / "braingain.xlsx").is_file()
    assert (tmp_path / "braingain.toml").is_file()
    assert "nothing to change" in capsys.readouterr().out


def test_the_demo_never_reaches_zoom_or_slack_even_with_a_leaders_credentials_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sample group's members are invented: nothing of theirs may reach a real Zoom or Slack."""
    from braingain.integrations.zoom.client import ZoomClient

    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "SLACK_BOT_TOKEN"):
        monkeypatch.setenv(name, "a-leaders-real-value")
    asked: list[str] = []
    monkeypatch.setattr(ZoomClient, "_fetch_token", lambda self: asked.append("token"))
    monkeypatch.setattr(ZoomClient, "_authorized", lambda self, send: asked.append("call"))

    assert main(["demo", "--workspace", str(tmp_path), "--today", "2026-11-25"]) == EXIT_OK

    assert asked == []
    out = capsys.readouterr().out
    assert "the demo never uses Zoom" in out
    assert sorted(p.name for p in (tmp_path / "outbox" / "invitations").glob("*.ics"))
    # every message stays in the demo's outbox, whatever Slack token the leader has set
    assert list((tmp_path / "outbox" / "slack" / "braingain").glob("*.json"))
    assert list((tmp_path / "outbox" / "email").glob("*.eml"))


def test_the_demo_keeps_the_groups_folders_in_the_workspace_as_drive_would(demo_output: str) -> None:
    assert "On Drive (" in demo_output
    said = demo_output.split("as they would be on Google Drive", 1)[1]
    drive = Path(said.split(" are in ", 1)[1].split(".\n", 1)[0])
    (group,) = [p for p in drive.iterdir() if p.is_dir()]
    projects = sorted(p.name for p in group.iterdir() if p.is_dir() and p.name != "Minutes")
    assert [p.split(" ", 1)[0] for p in projects] == ["cohort-careers", "sr-migration"]
    review = next(p for p in group.iterdir() if p.name.startswith("sr-migration"))
    assert (review / "01 Protocol and registration").is_dir()
    assert (review / "Minutes").is_dir()
    shared = (review / "Shared with.txt").read_text(encoding="utf-8")
    assert "Zainab Musawa" in shared
    assert "@" not in shared
    minutes = sorted((group / "Minutes").glob("*.html"))
    assert minutes
    assert "Minutes of the meeting of" in minutes[0].read_text(encoding="utf-8")


def test_the_demo_writes_every_report_and_says_where_the_one_html_report_first(demo_output: str) -> None:
    said = demo_output.split("\nReports\n", 1)[1]
    folder = Path(said.split("In ", 1)[1].split(":\n", 1)[0])
    listed = [line.strip() for line in said.split(":\n", 1)[1].splitlines() if line.startswith("  ")]
    assert listed[0] == "report.html"
    assert sorted(p.name for p in folder.iterdir()) == sorted(listed)
    for name in ("gantt-sr-migration.png", "gantt-sr-migration.svg", "gantt-cohort-careers.svg",
                 "group-report.html", "group-report.md", "sr-protocol-authors.xml",
                 "sr-protocol-title-page.docx", "sr-protocol-authorship.md"):  # fmt: skip
        assert name in listed
    assert (folder / "gantt-sr-migration.png").read_bytes().startswith(b"\x89PNG")
    assert "SR-T08" in (folder / "gantt-sr-migration.svg").read_text(encoding="utf-8")
    assert "<contrib-group>" in (folder / "sr-protocol-authors.xml").read_text(encoding="utf-8")
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "Gantt chart of project sr-migration" in page
    assert "Next meetings" in page


def test_the_demo_keeps_gantt_charts_in_project_folders_and_shares_them_and_points_with_the_digest(
    demo_output: str,
) -> None:
    said = demo_output.split("as they would be on Google Drive", 1)[1]
    drive = Path(said.split(" are in ", 1)[1].split(".\n", 1)[0])
    (group,) = [p for p in drive.iterdir() if p.is_dir()]
    review = next(p for p in group.iterdir() if p.name.startswith("sr-migration"))
    assert (review / "gantt-sr-migration.png").read_bytes().startswith(b"\x89PNG")
    outbox = drive.parent / "outbox" / "slack"
    # Each project's Gantt chart, and its points chart once anyone has points in it.
    assert sorted(p.name.rsplit(".", 2)[-2] for p in outbox.rglob("group-digest*.png")) == [
        "gantt-cohort-careers",
        "gantt-sr-migration",
        "points-sr-migration",
    ]
