"""``braingain report group``: Table 1, the outputs record and participation in text, Markdown, JSON and
one self-contained HTML file, checked against golden files (``BRAINGAIN_GOLDEN=update`` rewrites them),
and the charts read back from their SVG."""

from __future__ import annotations

import base64
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from braingain.core.group import Group
from braingain.core.ids import OutputId
from braingain.core.reports.participation import Period
from braingain.integrations.cli import EXIT_OK, EXIT_USAGE, main
from braingain.integrations.reports.group_report import (
    NO_MEMBERS,
    NO_OUTPUTS,
    NO_PARTICIPATION,
    GroupReport,
    build,
    group_section_html,
    outputs_chart,
    participation_chart,
    report_data,
    report_html,
    report_markdown,
    report_text,
)
from tests.builders import project
from tests.core.test_reports_record_participation import ADA, BEN, CASE_OUTPUTS, PROJECT, meeting_group
from tests.core.test_table_one import case_study

GOLDEN = Path(__file__).parent.parent / "golden" / "group"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"
TODAY = ["--today", "2026-11-25"]


def case_group(name: str = "Diamante Research Group") -> Group:
    """The case study's sixteen members, its outputs record, and a year of meetings."""
    members = case_study()
    meetings = meeting_group()
    lead = members[0].id
    stand_in = {ADA.id: members[3].id, BEN.id: members[4].id}
    return Group.create(
        name,
        members=members,
        projects=[project(PROJECT.id, lead=members[0])],
        outputs=CASE_OUTPUTS,
        series=meetings.series,
        records=[
            replace(r, attendance={stand_in[m]: p for m, p in r.attendance.items()}, recorded_by=lead)
            for r in meetings.records.values()
        ],
    )  # fmt: skip


def report(group: Group | None = None, period: Period = Period.QUARTER) -> GroupReport:
    return build(group or case_group(), now=NOW, period=period)


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("BRAINGAIN_GOLDEN") == "update":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with BRAINGAIN_GOLDEN=update and read what it wrote"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (BRAINGAIN_GOLDEN=update rewrites it)"


class Text(HTMLParser):
    """An HTML page's visible text (lines), its images' src and alt, and its tags."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.images: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._skip += tag in ("style", "title")
        if tag == "img":
            found = dict(attrs)
            self.images.append((found.get("src") or "", found.get("alt") or ""))

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.lines.append(" ".join(data.split()))


def page(html: str) -> Text:
    parsed = Text()
    parsed.feed(html)
    return parsed


def svg_texts(svg: bytes) -> tuple[ET.Element, list[str]]:
    root = ET.fromstring(svg)
    return root, ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def height(group: ET.Element) -> float:
    """The vertical extent of the first path in an SVG group (a bar's height, in the SVG's units)."""
    path = group.find(f".//{SVG}path")
    assert path is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d") or "")]
    return max(numbers[1::2]) - min(numbers[1::2])


def test_the_text_report_is_its_golden_file() -> None:
    golden("report.txt", report_text(report()) + "\n")


def test_the_markdown_report_is_its_golden_file() -> None:
    golden("report.md", report_markdown(report(period=Period.MONTH)))


def test_the_json_report_is_its_golden_file() -> None:
    golden("report.json", json.dumps(report_data(report()), indent=2, ensure_ascii=False) + "\n")


def test_the_html_report_s_text_is_its_golden_file_and_it_needs_nothing_from_elsewhere() -> None:
    html = report_html(report())
    parsed = page(html)
    golden("report.html.txt", "\n".join(parsed.lines) + "\n")
    assert "script" not in parsed.tags
    assert "link" not in parsed.tags
    assert len(parsed.images) == 2
    assert all(src.startswith("data:image/svg+xml;base64,") and alt for src, alt in parsed.images)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "a remote resource"


def test_the_participation_chart_shows_each_quarter_s_rate_tasks_and_points() -> None:
    chart = participation_chart(report().participation)
    assert chart is not None
    root, texts = svg_texts(chart.svg)
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert {"attendance-rate", "tasks-completed-2026-01-01", "points-awarded-2026-04-01"} <= ids
    assert {"Q1 2026", "Q2 2026", "Attendance (%)", "Tasks completed", "Points awarded"} <= set(texts)
    line = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "attendance-rate")
    assert line.find(f".//{SVG}path") is not None
    assert chart.alt == "Attendance rate, tasks completed and points awarded per quarter, Q1 2026 to Q2 2026."
    assert chart.png.startswith(b"\x89PNG")


def test_the_outputs_chart_stacks_each_year_s_achieved_outputs_by_kind_undated_last() -> None:
    chart = outputs_chart(report().record)
    assert chart is not None
    root, texts = svg_texts(chart.svg)
    bars = {
        g.get("id"): height(g) for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("outputs-")
    }
    unit = bars["outputs-paper-2024"]
    assert unit > 0
    assert {k: round(v / unit, 6) for k, v in bars.items() if v} == {
        "outputs-protocol-2022": 2, "outputs-abstract-2023": 1, "outputs-paper-2024": 1,
        "outputs-presentation-undated": 1,
    }, "a grant applied for is not achieved"  # fmt: skip
    assert [t for t in texts if t in ("2022", "2023", "2024", "Undated")] == [
        "2022",
        "2023",
        "2024",
        "Undated",
    ]
    assert "5 in all" in chart.alt


def test_the_html_section_escapes_every_value() -> None:
    section = group_section_html(report(case_group('Lab <script>alert("x")</script> & co')))
    assert "<script>" not in section
    assert "Lab &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in section
    assert section.startswith('<section id="group-report">')
    assert section.endswith("</section>")


def test_an_empty_group_says_so_in_words_and_draws_no_chart() -> None:
    empty = report(Group.create("Empty", members=[], projects=[]))
    assert participation_chart(empty.participation) is None
    assert outputs_chart(empty.record) is None
    for said in (report_text(empty), report_markdown(empty), "\n".join(page(report_html(empty)).lines)):
        assert NO_MEMBERS in said
        assert NO_OUTPUTS in said
        assert NO_PARTICIPATION in said
    assert page(report_html(empty)).images == []
    assert report_data(empty)["table_one"] == {"n": 0, "sections": []}


# --- the command ---------------------------------------------------------------------------------------


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    assert main(["init", "--local", str(tmp_path / "tracker.xlsx"), "--sample", *TODAY]) == EXIT_OK
    return tmp_path / "braingain.toml"


def test_report_group_writes_text_markdown_and_json_to_standard_output(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    for fmt, starts in (("text", "\nDiamante"), ("md", "# Diamante")):
        assert main(["report", "group", "--config", str(tracker), "--format", fmt, *TODAY]) == EXIT_OK
        out = capsys.readouterr().out
        assert out.startswith(starts)
        assert "Table 1. Demographic information of group members (N = 16)" in out
    assert (
        main(["report", "group", "--config", str(tracker), "--format", "json", "--period", "year", *TODAY])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] is True
    assert data["active"] == 16
    assert data["table_one"]["n"] == 16
    assert data["participation"]["period"] == "year"


def test_report_group_html_writes_one_file_in_the_reports_folder_or_out_and_prints_its_path(
    tracker: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["report", "group", "--config", str(tracker), "--format", "html", *TODAY]) == EXIT_OK
    written = Path(capsys.readouterr().out.strip().removeprefix("Wrote "))
    assert written.resolve() == (tmp_path / "reports" / "group-report.html").resolve()
    parsed = page(written.read_text(encoding="utf-8"))
    assert "Table 1. Demographic information of group members (N = 16)" in parsed.lines
    chart = next(src for src, _ in parsed.images if src)
    root, texts = svg_texts(base64.b64decode(chart.split(",", 1)[1]))
    assert root.tag == f"{SVG}svg"
    assert texts
    out = tmp_path / "elsewhere"
    assert (
        main(["report", "group", "--config", str(tracker), "--format", "html", "--out", str(out), *TODAY])
        == 0
    )
    assert capsys.readouterr().out.strip() == f"Wrote {out / 'group-report.html'}"


def test_only_the_group_report_takes_md_and_html(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "schedule", "--format", "md"]) == EXIT_USAGE
    assert "invalid choice: 'md'" in capsys.readouterr().err


def test_an_identifier_is_called_a_doi_when_it_is_one_else_by_the_output_s_kind() -> None:
    group = case_group()
    outputs = dict(group.outputs)
    protocol_paper = OutputId("protocol-paper")
    outputs[protocol_paper] = replace(outputs[protocol_paper], identifier="10.1136/bmjopen-2022-061234")
    said = report_text(report(replace(group, outputs=outputs)))
    assert "DOI 10.1136/bmjopen-2022-061234" in said
    assert "registration CRD42022300000" in said
    assert "registration 10.1136" not in said
