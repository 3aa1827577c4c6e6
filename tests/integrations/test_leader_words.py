"""What a leader reads: tables, the ICMJE check, outputs without authors, who cannot make a meeting,
the group report, init's questions, and no developer's words ("cell(s)", "IANA", an ISO stamp).

The leaders are doctors, not programmers: every report, error and Problems note says dates with
their weekday and year, names meetings by their date, and never shows an internal key.
"""

from __future__ import annotations

import builtins
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from braingain.core.countries import country
from braingain.core.members import Gender, Member, Role
from braingain.core.roster import NOT_STATED, UNREADABLE, roster
from braingain.core.tracker.schema import Grid, Snapshot
from braingain.integrations import text
from braingain.integrations.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from tests.tracker.helpers import Sample, append, edit

TODAY = ["--today", "2026-11-25"]
BANNED = re.compile(
    r"cell\(s\)|IANA|weighted hours|\b\d{4}-\d{2}-\d{2}T\d{2}|\bmonthly:\d{4}|\bmeetings:\d{4}",
    re.IGNORECASE,
)
"""Words a leader never reads: a hedged plural, a standards body, a score's unit, an ISO stamp, a
meeting's internal key."""
REPORTS = [
    ["report", "authorship", "sr-migration"],
    ["report", "schedule"],
    ["report", "ledger", "--verify"],
    ["report", "group"],
    ["schedule", "suggest"],
]
"""Every report with a table."""


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    """The sample group in a local workbook, and its braingain.toml."""
    assert main(["init", "--local", str(tmp_path / "tracker.xlsx"), "--sample", *TODAY]) == EXIT_OK
    return tmp_path / "braingain.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def set_cell(config: Path, tab: str, ident: str, header: str, value: Any) -> None:
    """Type ``value`` under ``header`` on the row of ``ident`` in the workbook next to ``config``."""
    path = config.parent / "tracker.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[tab]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == ident:
            sheet.cell(row=row[0].row, column=headers.index(header) + 1, value=value)
    book.save(path)


def add_row(config: Path, tab: str, cells: dict[str, Any]) -> None:
    path = config.parent / "tracker.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[tab]
    headers = [c.value for c in sheet[1]]
    sheet.append([cells.get(str(h)) for h in headers])
    book.save(path)


# --- tables -----------------------------------------------------------------------------------------


def test_a_table_right_aligns_its_numbers_under_a_rule_and_never_wraps_when_piped() -> None:
    long = "x" * 400
    shown = text.table(["#", "Member", "Points"], [["1", "Ada", "6.50"], ["10", long, "12.00"]], right=(0, 2))
    lines = shown.splitlines()
    assert len(lines) == 4, "a header, a rule and one line per row: a long cell is not wrapped"
    assert set(lines[1].strip()) == {"─"}
    assert [line[:3] for line in lines[2:]] == [" 1 ", "10 "]
    assert [line[-6:] for line in lines[2:]] == ["  6.50", " 12.00"]
    assert "\x1b[" not in shown, "no colour codes in a pipe or a file"


def test_a_table_markup_in_a_name_is_shown_as_typed() -> None:
    assert "[bold]Ada[/bold]" in text.table(["Member"], [["[bold]Ada[/bold]"]])


def test_on_a_terminal_the_header_is_bold_unless_no_color_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "_on_terminal", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[1m" in text.table(["Member"], [["Ada"]])
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in text.table(["Member"], [["Ada"]])


def test_every_report_with_a_table_shows_it_with_a_rule_and_no_hand_drawn_dashes(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for report in REPORTS:
        code, out, _ = run(capsys, *report, "--config", str(tracker), *TODAY)
        assert code == EXIT_OK, report
        assert "─" * 10 in out, report
        assert not re.search(r"^-+  -+", out, re.M), f"{report}: the old hand-drawn table"


# --- the ICMJE check, and outputs without authors --------------------------------------------------------


def output_report(capsys: pytest.CaptureFixture[str], tracker: Path, output: str, *more: str) -> str:
    """``report authorship sr-migration --output OUTPUT``, which succeeds."""
    code, out, err = run(capsys, "report", "authorship", "sr-migration", "--output", output,
                         "--config", str(tracker), *more, *TODAY)  # fmt: skip
    assert code == EXIT_OK, err
    return out


def icmje_rows(out: str, output_title: str) -> dict[str, list[str]]:
    section = out.split(f"Authorship: {output_title}")[1].split("ICMJE check")[1].split("\n\n")[0]
    lines = section.splitlines()[3:]  # the heading, the table's header and its rule
    return {" ".join(line.split()[:2]): line.split()[2:] for line in lines}


def test_the_icmje_check_is_a_table_with_a_mark_per_member_per_criterion(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = output_report(capsys, tracker, "sr-protocol")
    rows = icmje_rows(out, "Protocol")
    assert rows["Efe Ighodalo"] == ["5.80", "yes", "yes", "yes", "yes", "yes", "author", "1"]
    assert rows["Osaretin Igbinoba"] == ["2.50", "no", "yes", "no", "no", "yes", "acknowledged"]
    assert rows["Olusegun Adeyemo"] == ["0.80", "no", "yes", "yes", "yes", "no", "acknowledged"]
    assert len(rows) == 10, "every member with points for the output, once"
    assert "does not yet meet ICMJE criterion" not in out, "no sentence repeated per member"
    assert "'Approved the final version'" in out, "how a missing criterion is recorded, once"


def test_an_output_whose_members_miss_criteria_says_it_has_no_authors_yet_and_what_to_record(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = output_report(capsys, tracker, "sr-paper")
    assert "No authors yet" in out
    assert "Author order" not in out
    assert "CRediT contribution statement" not in out
    assert "criterion 3 (final approval of the version to be published), missing for" in out
    assert "Outputs tab's 'Approved the final version' column" in out
    assert "Outputs tab's 'Agreed to be accountable' column" in out
    (paper,) = json.loads(output_report(capsys, tracker, "sr-paper", "--format", "json"))["outputs"]
    assert paper["authors"] == []
    assert any("Approved the final version" in line for line in paper["no_authors_because"])


def test_an_output_without_points_says_where_points_come_from(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_row(tracker, "Outputs", {"ID": "cc-paper", "Project": "cohort-careers", "Kind": "paper",
                                 "Title": "Career intentions"})  # fmt: skip
    code, out, _ = run(capsys, "report", "authorship", "cohort-careers", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "No points recorded for this project yet" in out
    assert "No member has points for cc-paper yet" in out
    assert "Status 'accepted'" in out
    assert "ICMJE check" not in out, "no empty table"


def test_a_project_without_outputs_says_to_add_one(tracker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(
        tracker, "Outputs", "cs-grant", "Project", "sr-migration"
    )  # the sample's one output of the study
    code, out, _ = run(capsys, "report", "authorship", "cohort-careers", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "has no outputs yet" in out
    assert "Outputs tab" in out


# --- who cannot make which meeting -------------------------------------------------------------------


def test_report_schedule_marks_who_cannot_make_which_meeting_and_says_why(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "schedule", "--count", "4", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    header = next(line for line in out.splitlines() if line.startswith("Member"))
    dates = ["Saturday 5 December 2026", "Saturday 19 December 2026", "Saturday 2 January 2027"]
    assert all(day in header for day in dates)
    segun = next(line for line in out.splitlines() if line.startswith("Olusegun Adeyemo"))
    on_call = ["Sat", "15:00", "(cannot)"]
    assert segun.split("Africa/Lagos")[1].split() == [*on_call, *on_call, "Sat", "15:00", "Sat", "15:00"]
    assert "- Olusegun Adeyemo, Saturday 19 December 2026: unavailable (on call)" in out
    ada = next(line for line in out.splitlines() if line.startswith("Adaeze Obiora"))
    assert "(cannot)" not in ada
    code, out, _ = run(capsys, "report", "schedule", "--count", "4", "--config", str(tracker),
                       "--format", "json", *TODAY)  # fmt: skip
    meetings = json.loads(out)["meetings"]
    assert meetings[1]["cannot_make"]["segun.adeyemo"] == "unavailable (on call)"
    assert "segun.adeyemo" not in meetings[2]["cannot_make"]
    assert "ada.obiora" not in meetings[1]["cannot_make"]


def test_a_member_outside_their_weekly_windows_is_marked_with_their_local_time(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "report", "schedule", "--config", str(tracker), *TODAY)
    assert (
        "- Tobiloba Akinwale, Saturday 5 December 2026: Sat 06:00-07:30 local is outside their availability"
        in out
    )


# --- the group report --------------------------------------------------------------------------------


def member(
    ident: str, gender: Gender | None, where: str | None, *, leader: bool = False, **more: Any
) -> Member:
    return Member.create(
        id=ident, given_names=ident.title(), surname="Test", email=f"{ident}@example.org",
        role=Role.LEADER if leader else Role.MEMBER, zone="Africa/Lagos",
        country=country(where) if where else None, gender=gender, joined_on=date(2025, 1, 1),
        unknown={"country"} if where is None else (), **more,
    )  # fmt: skip


def test_the_group_report_counts_a_missing_gender_as_not_stated() -> None:
    members = [
        member("ada", Gender.FEMALE, "Nigeria", leader=True),
        member("bola", Gender.FEMALE, "Nigeria"),
        member("chidi", Gender.MALE, "Canada", leader=True),
        member("dayo", None, "Nigeria"),
        member("ebi", None, "United Kingdom"),
        member("femi", Gender.UNDISCLOSED, None),
        member("gozi", Gender.MALE, "Nigeria", left_on=date(2026, 6, 1)),
        member("hadi", Gender.MALE, "Nigeria", active=False, leader=True),
    ]
    counted = roster(members, date(2026, 11, 25))
    assert (counted.members, counted.active, counted.inactive) == (8, 6, 2)
    assert counted.by_gender == (("female", 2), ("male", 1), ("prefer not to say", 1), (NOT_STATED, 2))
    assert counted.by_country == (("Nigeria", 3), ("Canada", 1), ("United Kingdom", 1), (UNREADABLE, 1))
    assert counted.co_leaders == ("ada", "chidi"), "an inactive leader is not a co-leader"


def test_the_group_report_in_words_and_json(tracker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(tracker, "Members", "zainab.musawa", "Left", "2026-11-01")
    set_cell(tracker, "Members", "ngozi.ukpebor", "Gender", "prefer not to say")
    code, out, _ = run(capsys, "report", "group", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "on Wednesday 25 November 2026" in out
    assert "16 members: 15 active, 1 not active" in out
    assert "Co-leaders (3): Olatunde Bakare, Efe Ighodalo, Adaeze Obiora." in out
    counts = {line.rsplit(maxsplit=2)[0].strip(): line.split(maxsplit=-1)[-2] for line in out.splitlines()
              if re.fullmatch(r".*\s\d+ \(\d+\.\d\)", line)}  # fmt: skip  # Table 1: "Female   4 (26.7)"
    assert [counts[g] for g in ("Female", "Male", "Prefer not to say")] == ["4", "10", "1"]
    assert [counts[c] for c in ("Canada", "Nigeria", "United Kingdom", "United States")] == [
        "2",
        "10",
        "1",
        "2",
    ]
    assert "Table 1. Demographic information of group members (N = 15)" in out
    code, out, _ = run(capsys, "report", "group", "--config", str(tracker), "--format", "json", *TODAY)
    data = json.loads(out)
    assert data["by_gender"] == {"female": 4, "male": 10, "prefer not to say": 1}
    assert data["complete"] is True
    assert data["co_leaders"] == ["tunde.bakare", "efe.ighodalo", "ada.obiora"]


def test_the_group_report_says_it_is_not_the_whole_answer_while_a_member_row_cannot_be_read(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(tracker, "Members", "zainab.musawa", "Role", "captain")
    code, out, _ = run(capsys, "report", "group", "--config", str(tracker), *TODAY)
    assert code == EXIT_PROBLEMS
    assert out.startswith("NOT THE WHOLE ANSWER")


# --- init: the group's name, and options for Google only ---------------------------------------------------


class Terminal:
    """A person at a terminal answering ``answers`` in turn; records the questions."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
        self.answers: list[str] = list(answers)
        self.asked: list[str] = []
        monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        monkeypatch.setattr(builtins, "input", self)

    def __call__(self, prompt: str = "") -> str:
        self.asked.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)


def name_in(config: Path) -> str:
    return next(
        line for line in config.read_text(encoding="utf-8").splitlines() if line.startswith("name = ")
    )


def test_init_at_a_terminal_asks_the_groups_name_offering_the_workbooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    person = Terminal(monkeypatch, "", "Okafor\tLab", "  Okafor Lab ")
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "okafor_lab.xlsx"))
    assert code == EXIT_OK
    assert person.asked[0].endswith("[okafor lab]: ")
    assert len(person.asked) == 1, "Enter keeps the name offered"
    assert name_in(tmp_path / "braingain.toml") == 'name = "okafor lab"'
    (tmp_path / "braingain.toml").unlink()
    (tmp_path / "okafor_lab.xlsx").unlink()
    person = Terminal(monkeypatch, "Okafor\tLab", "  Okafor Lab ")
    code, out, _ = run(capsys, "init", "--local", str(tmp_path / "okafor_lab.xlsx"))
    assert code == EXIT_OK
    assert len(person.asked) == 2, "a name with a control character is asked again"
    assert name_in(tmp_path / "braingain.toml") == 'name = "Okafor Lab"'
    assert 'The group is called "Okafor Lab".' in out


@pytest.mark.parametrize(
    "extra",
    [["--name", "Given Lab"], ["--format", "json"], ["--sample"]],
    ids=["name given", "json", "sample"],
)
def test_init_asks_nothing_when_the_name_is_given_or_a_script_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    person = Terminal(monkeypatch)
    assert run(capsys, "init", "--local", str(tmp_path / "lab.xlsx"), *extra, *TODAY)[0] == EXIT_OK
    assert person.asked == []


def test_init_asks_nothing_when_not_at_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    person = Terminal(monkeypatch)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert run(capsys, "init", "--local", str(tmp_path / "lab.xlsx"))[0] == EXIT_OK
    assert person.asked == []
    assert name_in(tmp_path / "braingain.toml") == 'name = "lab"'


def test_init_at_a_terminal_keeps_the_offered_name_when_input_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Terminal(monkeypatch)  # Ctrl-D
    assert run(capsys, "init", "--local", str(tmp_path / "lab.xlsx"))[0] == EXIT_OK
    assert name_in(tmp_path / "braingain.toml") == 'name = "lab"'


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--title", "Our tracker"], "--title is for init --google"),
        (["--share-with", "ada@example.org"], "--share-with is for init --google"),
        (
            ["--title", "T", "--share-with", "ada@example.org"],
            "--title and --share-with are for init --google",
        ),
    ],
)
@pytest.mark.parametrize("where", [["--local", "lab.xlsx"], ["--key"]], ids=["local", "key"])
def test_options_for_a_google_sheet_are_refused_as_usage_errors_elsewhere(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    said: str,
    where: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "init", *where, *options)
    assert code == EXIT_USAGE
    assert said in err
    assert "not for init" in err
    assert list(tmp_path.iterdir()) == [], "nothing was created"


# --- no developer's words in what a leader reads -------------------------------------------------------


def banned_in(said: str) -> list[str]:
    return BANNED.findall(said)


def test_no_report_of_the_sample_group_shows_a_developers_word_or_an_iso_stamp(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for report in [
        *REPORTS,
        ["report", "authorship", "cohort-careers"],
        ["report", "schedule", "--count", "9"],
    ]:
        code, out, err = run(capsys, *report, "--config", str(tracker), *TODAY)
        assert code == EXIT_OK, (report, err)
        assert banned_in(out + err) == [], report


SAMPLE = Sample()
START = SAMPLE.start()


def bad_tracker() -> Snapshot:
    """The sample tracker with a bad value of every kind a leader is told about."""
    snap = START
    for tab, ident, header, value in [
        ("Members", "zainab.musawa", "Time zone", "WAT"),
        ("Members", "ngozi.ukpebor", "Left", "2020-01-01"),
        ("Members", "uyi.omoregbe", "Joined", 2026),
        ("Members", "ivie.osagiede", "Gender", "robot"),
        ("Members", "tobi.akinwale", "Country of residence", "Atlantis"),
        ("Tasks", "SR-T09", "Start", "2026-12-01"),
        ("Tasks", "SR-T09", "Due", "2026-11-30"),
        ("Availability", "AV-002", "Unavailable from", "2026-12-20"),
        ("Availability", "AV-002", "Unavailable until", "2026-12-10"),
        ("Tasks", "SR-T11", "Points", "ten"),
        ("Projects", "cohort-careers", "End", "2020-01-01"),
    ]:
        snap = edit(snap, tab, ident, header, value)
    snap = append(snap, "Agenda", {"ID": "AG-900", "Meeting": "2026-08-29", "Item": "Data",
                                   "Added by": "ada.obiora", "Added at": "2026-08-20 10:00"})  # fmt: skip
    snap = append(snap, "Agenda", {"ID": "AG-901", "Meeting": "2026-11-21", "Item": "Data",
                                   "Added by": "ada.obiora", "Added at": "2026-11-24 10:00"})  # fmt: skip
    snap = append(snap, "Volunteers", {"ID": "V-900", "Task": "SR-T01", "Member": "zainab.musawa",
                                       "Volunteered at": "2026-11-24 10:00"})  # fmt: skip
    ledger = snap.grids["Ledger"]
    kept = tuple(row for row in ledger.values if row[0] != "award:SR-T01:efe.ighodalo")  # deleted by hand
    snap = Snapshot({**snap.grids, "Ledger": Grid("Ledger", kept, ledger.merges)})
    return append(snap, "Meetings", {"ID": "2026-12-12", "Status": "cancelled"})


def test_no_problems_note_of_a_bad_tracker_shows_a_developers_word_or_an_iso_stamp() -> None:
    read, after, plan = SAMPLE.sync(bad_tracker())
    assert len(read.problems) >= 10, [p.reason for p in read.problems]
    for problem in read.problems:
        assert banned_in(str(problem)) == [], str(problem)
    problems_tab = after.grids["Problems"].values
    assert banned_in(" ".join(str(c) for row in problems_tab for c in row if c is not None)) == []
    assert banned_in("\n".join(plan.waiting)) == []


def test_no_error_message_shows_a_developers_word(
    tracker: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = [
        ["report", "schedule", "--config", str(tmp_path / "missing.toml")],
        ["schedule", "suggest", "--anchor", "WAT", "--config", str(tracker)],
        ["schedule", "suggest", "--from", "2026-02-30", "--config", str(tracker)],
        ["report", "authorship", "nope", "--config", str(tracker)],
        ["init", "--local", str(tmp_path / "x.xlsx"), "--title", "T"],
    ]
    tracker.write_text(tracker.read_text(encoding="utf-8") + '\n[extra]\nzone = "WAT"\n', encoding="utf-8")
    failing.append(["plan", "--config", str(tracker)])
    for command in failing:
        code, out, err = run(capsys, *command)
        assert code != EXIT_OK, command
        assert banned_in(out + err) == [], (command, out + err)
    code, out, err = run(capsys, "schedule", "suggest", "--help")
    assert banned_in(out) == []


def test_the_words_a_leader_reads_in_the_shipped_text_files_are_plain() -> None:
    root = Path(__file__).resolve().parents[2]
    for relative in ["README.md", "config/braingain.example.toml", "sheets_templates/tracker.toml",
                     "docs/scheduling.md", "docs/tracker.md", "docs/authorship.md"]:  # fmt: skip
        said = (root / relative).read_text(encoding="utf-8")
        assert banned_in(said) == [], relative


# --- the README's own-group commands, as a leader follows them ---------------------------------------


def test_the_readmes_own_group_commands_keep_the_groups_files_in_its_own_folder(tmp_path: Path) -> None:
    """``ln -sf .venv/bin/braingain ~/.local/bin/braingain``, then ``mkdir ~/our-group && cd ~/our-group
    && braingain init --local tracker.xlsx --name ...``: the command runs through the link, from any
    folder, and the workbook, the configuration and the key are in the group's folder."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert 'ln -sf "$PWD/.venv/bin/braingain" ~/.local/bin/braingain' in readme
    assert (
        'mkdir ~/our-group && cd ~/our-group\nbraingain init --local tracker.xlsx --name "Okafor Lab"'
        in readme
    )
    local_bin, group = tmp_path / "home" / ".local" / "bin", tmp_path / "home" / "our-group"
    local_bin.mkdir(parents=True)
    group.mkdir()
    (local_bin / "braingain").symlink_to(Path(sys.executable).parent / "braingain")
    env = {"PATH": f"{local_bin}:/usr/bin:/bin", "HOME": str(tmp_path / "home")}

    def braingain(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["braingain", *args], cwd=group, env=env, capture_output=True, text=True,
                              check=False, timeout=120)  # fmt: skip

    made = braingain("init", "--local", "tracker.xlsx", "--name", "Okafor Lab")
    assert made.returncode == EXIT_OK, made.stderr
    assert sorted(p.name for p in group.iterdir()) == [".env", "braingain.toml", "tracker.xlsx"]
    assert name_in(group / "braingain.toml") == 'name = "Okafor Lab"'
    assert braingain("plan").returncode == EXIT_OK
    assert braingain("report", "group").stdout.splitlines()[1].startswith("Okafor Lab on ")
