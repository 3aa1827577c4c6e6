"""The title page of an output as a Word document (python-docx) a co-author can paste from.

In order: the title; the authors, each name followed by their affiliation numbers in superscript
(and ``*`` on the corresponding author), then their ORCID iD; the numbered affiliations (the number
in superscript); the corresponding author (name and affiliations, the email only when asked for:
``--with-email``); the CRediT statement; the acknowledgments; and, on the last lines, what is still
missing for submission (a co-author deletes them once done).

The same report on the same day gives the same bytes: the document's core properties carry that
day (created, modified, last printed) and every part of the file the same timestamp.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import docx
from docx.shared import Pt, RGBColor

from braingain.core.reports.authorship import JournalAuthorship
from braingain.integrations.reports.authorship_formats import (
    CORRESPONDING_MARK,
    affiliation_marks,
    corresponding_line,
)

AUTHOR = "braingain"


def title_page(report: JournalAuthorship, *, day: date, with_email: bool = False, warning: str = "") -> bytes:
    """``report``'s title page as the bytes of a .docx file, dated ``day`` (see the module's
    docstring); ``warning`` (plain text), when given, is its first line, bold and red (e.g. that the
    author list is not the whole answer)."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    if warning:
        alert = document.add_paragraph().add_run(warning)
        alert.bold = True
        alert.font.color.rgb = RGBColor(0xB5, 0x47, 0x08)
    out = report.output
    document.add_heading(out.title, level=1)
    byline = document.add_paragraph()
    for index, author in enumerate(report.authors):
        if index:
            byline.add_run(", ")
        byline.add_run(author.name)
        marks = affiliation_marks(author.affiliations, corresponding=author.corresponding)
        if marks:
            byline.add_run(marks).font.superscript = True
    if not report.authors:
        byline.add_run("No authors yet.")
    for numbered in report.affiliations:
        line = document.add_paragraph()
        line.add_run(str(numbered.number)).font.superscript = True
        line.add_run(" " + numbered.affiliation.label)
    if report.authors:
        document.add_heading("ORCID iDs", level=2)
        for author in report.authors:
            document.add_paragraph(f"{author.name}: {author.orcid.uri if author.orcid else 'none recorded'}")
    document.add_heading("Corresponding author", level=2)
    corresponding = document.add_paragraph()
    corresponding.add_run(CORRESPONDING_MARK).font.superscript = True
    corresponding.add_run(" " + corresponding_line(report, with_email=with_email))
    document.add_heading("Author contributions (CRediT)", level=2)
    for statement in report.credit_statement.splitlines() or ["No authors yet."]:
        document.add_paragraph(statement)
    document.add_heading("Acknowledgments", level=2)
    document.add_paragraph("; ".join(report.acknowledgments) + "." if report.acknowledgments else "None.")
    if report.missing:
        document.add_heading("Missing for submission (delete once done)", level=2)
        for item in report.missing:
            document.add_paragraph(item, style="List Bullet")
    stamp = datetime(day.year, day.month, day.day, tzinfo=UTC)
    properties = document.core_properties
    properties.title = out.title
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.created = properties.modified = properties.last_printed = stamp
    properties.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_times(raw.getvalue(), day)


def _fixed_times(package: bytes, day: date) -> bytes:
    """``package`` (a zip) with every member stamped ``day`` at midnight, in the same order."""
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(fixed, "w") as target:
        for item in source.infolist():
            stamped = zipfile.ZipInfo(item.filename, date_time=(day.year, day.month, day.day, 0, 0, 0))
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = item.external_attr
            target.writestr(stamped, source.read(item.filename))
    return fixed.getvalue()
