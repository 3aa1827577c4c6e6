"""`report authorship` for journals: golden text, JSON, Markdown and JATS; JATS valid against the JATS
1.3 DTD (Biopython's packaged copy); the Word title page read back; the points chart read back.

Regenerate the golden files with ``BRAINGAIN_GOLDEN=update``.
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

import docx
import pytest
from lxml import etree

from braingain.core.group import Group
from braingain.core.ids import MemberId, ProjectId
from braingain.core.reports.authorship import JournalAuthorship, journal_authorship
from braingain.core.scholarly import Orcid, affiliations
from braingain.integrations.cli import EXIT_OK, main
from braingain.integrations.reports import authorship_formats, jats, points_chart, title_page
from braingain.sample import PAPER_OUTPUT, PROTOCOL_OUTPUT, sample_group
from tests.integrations.test_leader_words import set_cell

DAY = date(2026, 11, 25)
GOLDEN = Path(__file__).parent.parent / "golden" / "authorship"
PLACES = {
    "efe.ighodalo": ("University of Benin, Benin City, Nigeria", "0000-0002-1825-0097"),
    "amara.okorafor": ("University of Benin Teaching Hospital, Benin City, Nigeria", None),
    "funmi.lawani": ("Baylor College of Medicine, Houston, USA", "0000-0001-5109-3700"),
    "ivie.osagiede": ("University of Toronto, Toronto, Canada; university of benin, Benin City, NG", None),
    "ada.obiora": ("University of Oxford, Oxford, UK; University of Benin, Benin City, Nigeria",
                   "0000-0002-1694-233X"),
}  # fmt: skip


def journal_group() -> Group:
    """The sample group with affiliations and ORCID iDs for five of the protocol's six authors (one
    without an ORCID iD, one without an affiliation), Adaeze Obiora corresponding."""
    group = sample_group(DAY)
    # Only what this module says: the sample's own ORCID iDs, affiliations and corresponding authors
    # are set aside, so that these files change only when the rules do.
    members = {k: replace(v, orcid=None, affiliations=()) for k, v in group.members.items()}
    for ident, (places, orcid) in PLACES.items():
        members[MemberId(ident)] = replace(
            members[MemberId(ident)],
            affiliations=affiliations(places),
            orcid=Orcid.parse(orcid) if orcid else None,
        )
    outputs = {k: replace(v, corresponding=None) for k, v in group.outputs.items()}
    outputs[PROTOCOL_OUTPUT] = replace(outputs[PROTOCOL_OUTPUT], corresponding=MemberId("ada.obiora"))
    return replace(group, members=members, outputs=outputs)


@pytest.fixture(scope="module")
def report() -> JournalAuthorship:
    return journal_authorship(journal_group(), PROTOCOL_OUTPUT)


def golden(name: str, actual: str | bytes) -> None:
    path = GOLDEN / name
    data = actual.encode() if isinstance(actual, str) else actual
    if os.environ.get("BRAINGAIN_GOLDEN") == "update":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.read_bytes() == data, (
        f"{name} differs from its golden file (BRAINGAIN_GOLDEN=update to accept)"
    )


def test_text_matches_its_golden_file(report: JournalAuthorship) -> None:
    golden("sr-protocol.txt", authorship_formats.render_text(report) + "\n")


def test_markdown_matches_its_golden_file(report: JournalAuthorship) -> None:
    golden("sr-protocol.md", authorship_formats.render_markdown(report))


def test_json_matches_its_golden_file(report: JournalAuthorship) -> None:
    data = authorship_formats.authorship_data(report)
    assert "email" not in data["corresponding"], "no email unless asked for"
    golden("sr-protocol.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def test_jats_matches_its_golden_file(report: JournalAuthorship) -> None:
    golden("sr-protocol.xml", jats.article_meta(report))


def test_the_title_page_names_authors_with_affiliation_numbers_and_the_corresponding_mark(
    report: JournalAuthorship,
) -> None:
    said = authorship_formats.render_text(report)
    assert (
        "Efe Ighodalo^1, Amarachi Okorafor^2, Funmilayo Lawani^3, Ivie Osagiede^1,4, Olatunde Bakare, "
        "Adaeze Obiora^1,5*" in said
    )
    assert "Olatunde Bakare has no affiliation (Members tab, 'Affiliations')" in said
    assert "example.org" not in said
    assert "ada.obiora@example.org" in authorship_formats.render_text(report, with_email=True)


JATS_DTD = "JATS-archivearticle1-3-mathml3.dtd"


def jats_dtd() -> etree.DTD:
    """The JATS 1.3 (Archiving and Interchange) DTD that Biopython ships in Bio/Entrez/DTDs."""
    path = resources.files("Bio.Entrez") / "DTDs" / JATS_DTD
    return etree.DTD(str(path))


def test_jats_is_valid_against_the_jats_1_3_dtd(report: JournalAuthorship) -> None:
    dtd = jats_dtd()
    fragment = etree.fromstring(jats.article_meta(report, with_email=True).encode())
    assert dtd.validate(fragment), dtd.error_log.filter_from_errors()
    tree = ET.fromstring(jats.article_meta(report))
    contribs = tree.findall("contrib-group/contrib")
    assert next(c.findtext("name/surname") for c in contribs) == "Ighodalo"
    assert (
        contribs[0].findtext("contrib-id[@contrib-id-type='orcid']")
        == "https://orcid.org/0000-0002-1825-0097"
    )
    obiora = contribs[-1]
    assert obiora.get("corresp") == "yes"
    assert [x.get("rid") for x in obiora.findall("xref")] == ["aff1", "aff5", "cor1"]
    assert tree.find("author-notes/corresp[@id='cor1']") is not None
    countries = [c.get("country") for c in tree.iter("country")]
    assert countries == ["NG", "NG", "US", "CA", "GB"]


@pytest.mark.parametrize(
    ("breakage", "fault"),
    [
        (lambda m: m.find("contrib-group/aff").set("id", "aff9"), "'aff1', which is no <aff>"),
        (lambda m: m.find("contrib-group/aff/country").set("country", "XX"), "'XX' is not an ISO 3166-1"),
        (lambda m: m.find("contrib-group/aff[2]").set("id", "aff1"), "the id 'aff1' is used 2 times"),
        (
            lambda m: m.find("contrib-group").insert(0, m.find("contrib-group/aff")),
            "expected one or more contrib",
        ),
        (
            lambda m: m.find("contrib-group/contrib").append(m.find("contrib-group/contrib/contrib-id")),
            "expected contrib-ids, then one name",
        ),
        (
            lambda m: m.find("contrib-group/contrib/contrib-id").__setattr__("text", "0000-0002-1825-0097"),
            "ORCID",
        ),
        (lambda m: m.find("contrib-group/contrib/name").clear(), "<name> holds nothing"),
    ],
)
def test_the_checker_and_the_dtd_both_refuse_a_broken_fragment(
    report: JournalAuthorship, breakage: object, fault: str
) -> None:
    meta = ET.fromstring(jats.article_meta(report))
    assert jats.check(meta) == []
    breakage(meta)  # type: ignore[operator]
    faults = jats.check(meta)
    assert any(fault in f for f in faults), faults
    # The DTD types neither ORCID iDs nor country codes, and Archiving lets contrib-id come anywhere.
    if not any(word in fault for word in ("ORCID", "ISO", "contrib-ids")):
        assert not jats_dtd().validate(etree.fromstring(ET.tostring(meta)))


def test_jats_refuses_an_output_without_authors() -> None:
    empty = journal_authorship(journal_group(), PAPER_OUTPUT)
    with pytest.raises(jats.JatsError, match="sr-paper has no authors yet"):
        jats.article_meta(empty)


def test_the_word_title_page_reads_back_with_superscripts_in_order(report: JournalAuthorship) -> None:
    data = title_page.title_page(report, day=DAY)
    assert data == title_page.title_page(report, day=DAY), "the same bytes for the same day"
    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == report.output.title
    byline = paragraphs[1]
    superscripts = [r.text for r in byline.runs if r.font.superscript]
    assert superscripts == ["1", "2", "3", "1,4", "1,5*"]
    assert "Olatunde Bakare" in byline.text
    affiliations_said = [p.text for p in paragraphs[2:7]]
    assert affiliations_said == [
        "1 University of Benin, Benin City, Nigeria",
        "2 University of Benin Teaching Hospital, Benin City, Nigeria",
        "3 Baylor College of Medicine, Houston, United States",
        "4 University of Toronto, Toronto, Canada",
        "5 University of Oxford, Oxford, United Kingdom",
    ]
    assert all(p.runs[0].font.superscript for p in paragraphs[2:7])
    whole = "\n".join(p.text for p in paragraphs)
    assert "Efe Ighodalo: https://orcid.org/0000-0002-1825-0097" in whole
    assert "Corresponding author" in whole
    assert "example.org" not in whole
    assert "Efe Ighodalo: Conceptualization (equal)" in whole
    assert document.core_properties.created.date() == DAY
    with_email = docx.Document(io.BytesIO(title_page.title_page(report, day=DAY, with_email=True)))
    assert "ada.obiora@example.org" in "\n".join(p.text for p in with_email.paragraphs)


SVG = "{http://www.w3.org/2000/svg}"


def test_the_points_chart_has_a_bar_per_member_sorted_and_the_threshold(report: JournalAuthorship) -> None:
    chart = points_chart.render_points(report)
    assert chart is not None
    assert chart == points_chart.render_points(report), "the same bytes for the same chart"
    svg = ET.fromstring(chart.svg)
    bars = [g.get("id") for g in svg.iter(f"{SVG}g") if (g.get("id") or "").startswith("points-")]
    assert bars[:3] == ["points-efe.ighodalo", "points-amara.okorafor", "points-zainab.musawa"]
    assert len(bars) == len(report.standings)
    assert any(g.get("id") == "threshold" for g in svg.iter(f"{SVG}g"))
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert "Efe Ighodalo" in texts
    assert "threshold: 1.55 points" in texts
    assert "1.55 points" in chart.alt


def test_no_points_no_chart() -> None:
    group = journal_group()
    nobody = replace(group, ledger=type(group.ledger)())
    assert points_chart.render_points(journal_authorship(nobody, PROTOCOL_OUTPUT)) is None


TODAY = ["--today", "2026-11-25"]


def test_cli_writes_jats_and_docx_and_prints_markdown(
    sample_tracker: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "authorship", "sr-migration", "--config", str(sample_tracker), *TODAY]
    out = tmp_path / "papers"
    assert main([*args, "--format", "jats", "--out", str(out)]) == EXIT_OK
    said = capsys.readouterr().out
    assert f"Wrote {out / 'sr-protocol-authors.xml'}" in said
    assert "sr-paper has no authors yet, so no JATS author list was written" in said
    assert jats_dtd().validate(etree.parse(str(out / "sr-protocol-authors.xml")))
    assert main([*args, "--format", "docx"]) == EXIT_OK
    written = sample_tracker.parent / "reports" / "sr-protocol-title-page.docx"
    assert f"Wrote {written}" in capsys.readouterr().out
    assert docx.Document(str(written)).paragraphs[0].text.startswith("Protocol:")
    assert main([*args, "--format", "md", "--output", "sr-protocol"]) == EXIT_OK
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Authorship: Protocol:")
    assert "## Missing for submission" in markdown
    assert main([*args, "--format", "json", "--output", "sr-protocol"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)["outputs"][0]
    assert data["author_list"][0]["member"] == data["authors"][0]["member"]
    corresponding = [a["member"] for a in data["author_list"] if a["corresponding"]]
    assert corresponding == ["efe.ighodalo"]  # the sample's Outputs tab names Efe for the protocol
    assert "corresponding" not in " ".join(data["missing_for_submission"])


def test_a_project_s_points_chart_draws_each_member_with_points_most_first_and_follows_the_ledger() -> None:
    group = sample_group(DAY)
    project = ProjectId("sr-migration")
    chart = points_chart.render_project_points(group, project)
    assert chart is not None
    root = ET.fromstring(chart.svg)
    bars = [
        g.attrib["id"]
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("id", "").startswith("points-")
    ]
    standings = group.ledger.standings(project, tasks=group.tasks)
    assert bars == [f"points-{s.member_id}" for s in standings]  # most points first
    assert chart.alt.startswith(f"Points in {project} ")
    stamp = points_chart.project_points_fingerprint(group, project)
    assert stamp == points_chart.project_points_fingerprint(group, project)
    nobody = replace(group, ledger=type(group.ledger)())
    assert points_chart.render_project_points(nobody, project) is None
    assert points_chart.project_points_fingerprint(nobody, project) is None
    renamed = dict(group.members)
    renamed[standings[0].member_id] = replace(renamed[standings[0].member_id], surname="Renamed")
    assert points_chart.project_points_fingerprint(replace(group, members=renamed), project) != stamp


def test_missing_for_submission_asks_criteria_3_and_4_only_of_a_member_who_would_be_an_author() -> None:
    group = journal_group()
    efe = MemberId("efe.ighodalo")
    unconfirmed = replace(group, confirmations=tuple(c for c in group.confirmations if c.member_id != efe))
    missing = journal_authorship(unconfirmed, PROTOCOL_OUTPUT).missing
    assert (
        "Efe Ighodalo has not confirmed criterion 3 (final approval of the version to be published)"
        in missing
    )
    assert "Efe Ighodalo has not confirmed criterion 4 (agreement to be accountable for the work)" in missing
    said = "\n".join(missing)
    assert "Osaretin Igbinoba" not in said, "misses criterion 1: confirming 3 and 4 would not make an author"
    assert "Olusegun Adeyemo" not in said, "below the points threshold"


def test_cli_jats_says_what_is_still_missing_for_submission_beside_wrote(
    sample_tracker: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "authorship", "sr-migration", "--output", "sr-protocol", *TODAY]
    args += ["--config", str(sample_tracker)]
    assert main([*args, "--format", "jats", "--out", str(tmp_path)]) == EXIT_OK
    wrote = f"Wrote {tmp_path / 'sr-protocol-authors.xml'}"
    assert capsys.readouterr().out == wrote + "\n", "nothing is missing: nothing more is said"
    set_cell(sample_tracker, "Outputs", "sr-protocol", "Corresponding author", "osas.igbinoba")
    assert main([*args, "--format", "json"]) == EXIT_OK
    missing = json.loads(capsys.readouterr().out)["outputs"][0]["missing_for_submission"]
    assert "the corresponding author, Osaretin Igbinoba, is not one of the authors" in " ".join(missing)
    assert main([*args, "--format", "jats", "--out", str(tmp_path)]) == EXIT_OK
    said = capsys.readouterr().out.splitlines()
    assert said[0] == wrote
    assert said[1] == "  Still missing for submission of sr-protocol (not in the JATS file):"
    assert said[2:] == [f"    - {m}" for m in missing]
