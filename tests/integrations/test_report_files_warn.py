"""A report FILE made while tracker rows cannot be read says so inside it.

The terminal says "NOT THE WHOLE ANSWER" and the command exits 3; the file a leader opens, prints
or emails (HTML, Markdown, the Word title page, the Gantt chart's PNG and SVG) carries one sentence
at its top saying how many rows cannot be read yet and where to look, never a row's content (no
email). JATS has no place for such a sentence, so the terminal says it next to "Wrote".
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest

from braingain.integrations.cli import EXIT_OK, EXIT_PROBLEMS, main
from tests.integrations.test_leader_words import set_cell

TODAY = ["--today", "2026-11-25"]
SAID = "Not the whole answer: "
ALERT = '<p class="warning" role="alert">' + SAID
SENTENCE = re.compile(
    r"Not the whole answer: (1 row|\d+ rows) of the tracker cannot be read yet, .*see the Problems tab"
)


def run(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--config", str(config), *TODAY])
    said = capsys.readouterr()
    return code, said.out, said.err


def held(config: Path) -> None:
    """One Tasks row of sr-migration that cannot be read: Points 'lots'."""
    set_cell(config, "Tasks", "SR-T09", "Points", "lots")


def test_the_html_report_says_at_its_top_that_it_is_not_whole(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, sample_tracker, "report", "html", "--out", str(tmp_path / "a"))[0] == EXIT_OK
    assert 'class="warning"' not in (tmp_path / "a" / "report.html").read_text(encoding="utf-8")
    held(sample_tracker)
    assert run(capsys, sample_tracker, "report", "html", "--out", str(tmp_path / "b"))[0] == EXIT_PROBLEMS
    page = (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
    assert page.index(ALERT) < page.index("<main>")
    alert = SAID + page.split(ALERT, 1)[1].split("</p>")[0]
    assert SENTENCE.match(alert)
    assert "@" not in alert


@pytest.mark.parametrize("form", ["html", "md"])
def test_the_group_report_file_says_at_its_top_that_it_is_not_whole(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, form: str
) -> None:
    args = ("report", "group", "--format", form, "--out", str(tmp_path))
    code, out, _ = run(capsys, sample_tracker, *args)
    assert code == EXIT_OK
    assert "Not the whole answer" not in out + (
        (tmp_path / "group-report.html").read_text(encoding="utf-8") if form == "html" else ""
    )
    held(sample_tracker)
    code, out, err = run(capsys, sample_tracker, *args)
    assert code == EXIT_PROBLEMS
    if form == "html":
        assert "NOT THE WHOLE ANSWER" in out
        assert ALERT in (tmp_path / "group-report.html").read_text(encoding="utf-8")
    else:
        assert out.startswith("# "), "standard output is the Markdown document alone"
        assert out.splitlines()[2].startswith(f"> **{SAID}")
        assert err.startswith("NOT THE WHOLE ANSWER"), "the rows and their problems go to the terminal"


def test_the_word_title_page_starts_with_the_warning_and_jats_says_it_next_to_wrote(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ("report", "authorship", "sr-migration", "--output", "sr-protocol", "--out", str(tmp_path))
    assert run(capsys, sample_tracker, *args, "--format", "docx")[0] == EXIT_OK
    page = docx.Document(io.BytesIO((tmp_path / "sr-protocol-title-page.docx").read_bytes()))
    assert not page.paragraphs[0].text.startswith("Not the whole answer")
    held(sample_tracker)
    assert run(capsys, sample_tracker, *args, "--format", "docx")[0] == EXIT_PROBLEMS
    page = docx.Document(io.BytesIO((tmp_path / "sr-protocol-title-page.docx").read_bytes()))
    assert page.paragraphs[0].text.startswith(SAID)
    assert page.paragraphs[0].runs[0].bold
    code, out, _ = run(capsys, sample_tracker, *args, "--format", "jats")
    assert code == EXIT_PROBLEMS
    wrote = next(line for line in out.splitlines() if line.startswith("Wrote "))
    assert SAID in wrote
    assert "Not the whole" not in (tmp_path / "sr-protocol-authors.xml").read_text(encoding="utf-8")


def test_the_gantt_pictures_carry_the_warning_as_a_caption_line(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ("report", "gantt", "sr-migration", "--out", str(tmp_path))
    assert run(capsys, sample_tracker, *args)[0] == EXIT_OK
    assert 'id="warning"' not in (tmp_path / "gantt-sr-migration.svg").read_text(encoding="utf-8")
    whole = (tmp_path / "gantt-sr-migration.png").read_bytes()
    held(sample_tracker)
    assert run(capsys, sample_tracker, *args)[0] == EXIT_PROBLEMS
    svg = (tmp_path / "gantt-sr-migration.svg").read_text(encoding="utf-8")
    assert 'id="warning"' in svg
    assert "Not the whole answer" in svg.split('id="warning"')[1][:4000]
    assert (tmp_path / "gantt-sr-migration.png").read_bytes() != whole


@pytest.mark.parametrize("form", ["text", "md", "html", "json"])
def test_an_unreadable_status_date_is_said_as_such_in_the_group_report_which_is_not_whole(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, form: str
) -> None:
    set_cell(sample_tracker, "Outputs", "cs-grant", "Status date", "sometime soon")
    code, out, _ = run(capsys, sample_tracker, "report", "group", "--format", form, "--out", str(tmp_path))
    assert code == EXIT_PROBLEMS
    said = (tmp_path / "group-report.html").read_text(encoding="utf-8") if form == "html" else out
    if form == "json":
        data = json.loads(out)
        assert data["complete"] is False
        listed = [o for part in data["record"]["sections"] for o in part["outputs"]]
        grant = next(o for o in listed if o["id"] == "cs-grant")
        assert (grant["status_on"], grant["could_not_be_read"]) == (None, ["status date"])
        assert all(o["could_not_be_read"] == [] for o in listed if o["id"] != "cs-grant")
    else:
        assert "submitted, date could not be read" in said
        assert "submitted, undated" not in said
        assert "Not the whole answer: 1 cell of the Outputs tab cannot be read yet" in said or form == "text"
    if form == "text":
        assert out.startswith("NOT THE WHOLE ANSWER: these cells of the Outputs tab cannot be read yet")
        assert "  - cs-grant: status date\n" in out


def test_the_html_report_too_says_an_unreadable_status_date_and_is_not_whole(
    sample_tracker: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    set_cell(sample_tracker, "Outputs", "cs-grant", "Status date", "sometime soon")
    code, out, _ = run(capsys, sample_tracker, "report", "html", "--out", str(tmp_path))
    assert code == EXIT_PROBLEMS
    assert "  - cs-grant: status date\n" in out
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "submitted, date could not be read" in page
    assert ALERT + "1 cell of the Outputs tab cannot be read yet" in page
