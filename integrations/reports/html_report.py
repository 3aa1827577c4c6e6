"""``braingain report html``: the one report a leader opens, prints or sends.

One self-contained HTML file (:mod:`.html_page`: style inline, every chart an SVG ``data:`` URI, no
script and nothing fetched from anywhere) with, in order:

1. **the group**: Table 1, the outputs record and participation (:mod:`.group_report`);
2. **each project** (by ID): its Gantt chart (:mod:`.gantt_chart`) and what is overdue, or the
   sentence saying why there is nothing to draw;
3. **the points**: each project's points table, and per output the proposed author list with the
   points chart (:mod:`.points_chart`) and what is still missing for submission;
4. **the next meetings** on every zone's clock (:mod:`.meetings_html`).

A group with no member, project or meeting yet still gets the whole page, each part saying in words
what is missing and where to add it.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from braingain.core.group import Group
from braingain.core.ids import ProjectId
from braingain.core.reports.authorship import JournalAuthorship, project_authorship
from braingain.core.reports.gantt import chart_zone, gantt
from braingain.core.reports.participation import Period
from braingain.core.words import day_said, moment_said
from braingain.integrations.reports import group_report
from braingain.integrations.reports.gantt_chart import render_gantt
from braingain.integrations.reports.html_page import Section, chart_html, page_html, paragraph, table_html
from braingain.integrations.reports.meetings_html import meetings_section
from braingain.integrations.reports.points_chart import render_points
from braingain.integrations.reports.saving import report_path, save_report

HTML_REPORT_NAME = "report"
"""The file ``report html`` writes in the reports folder: ``report.html``."""

NO_PROJECTS = "The group has no project yet: add one on the Projects tab, then its tasks on the Tasks tab."
NO_POINTS = (
    "No points recorded for this project yet: a task's contributors get its points when a leader "
    "accepts it (Tasks tab: Status 'accepted')."
)
NO_OUTPUTS = "No output of this project is on the Outputs tab yet, so there is no author list to propose."


def html_report(
    group: Group, *, at: datetime, period: Period = Period.QUARTER, meetings: int = 3, warning: str = ""
) -> str:
    """The whole report of ``group`` at ``at`` (an aware instant) as HTML text (see the module's
    docstring); ``period`` groups participation, ``meetings`` is how many meetings ahead to show,
    ``warning`` (plain text) is shown prominently at the top when given (e.g.
    :func:`braingain.integrations.text.not_whole`)."""
    found = group_report.build(group, now=at, period=period)
    sections = [
        Section("group", f"{group.name} on {day_said(found.on)}", group_report.group_body_html(found)),
        *_project_sections(group, at),
        _points_section(group),
        meetings_section(group, at, count=meetings),
    ]
    title = f"{group.name}: report"
    made = f"Made by braingain on {moment_said(at, chart_zone(group))}, from the tracker as it stood then."
    return page_html(title, made, sections, warning=warning)


def write_html_report(
    group: Group,
    folder: Path,
    *,
    at: datetime,
    period: Period = Period.QUARTER,
    meetings: int = 3,
    warning: str = "",
) -> Path:
    """Write :func:`html_report` (``warning`` at its top when given) as ``report.html`` in ``folder``
    (made if missing), in one step;
    returns its path. Raises :class:`~braingain.integrations.errors.IntegrationError` naming the folder
    or file that cannot be written, with how to choose another."""
    page = html_report(group, at=at, period=period, meetings=meetings, warning=warning)
    return save_report(report_path(folder, HTML_REPORT_NAME, ".html"), page.encode("utf-8"))


def _project_sections(group: Group, at: datetime) -> list[Section]:
    if not group.projects:
        return [Section("projects", "Projects", paragraph(NO_PROJECTS, kind="empty"))]
    today = at.astimezone(chart_zone(group)).date()
    sections = []
    for ident in sorted(group.projects):
        chart = gantt(group, ident, today)
        if chart.empty:
            body = paragraph(chart.empty, kind="empty")
        else:
            body = chart_html(render_gantt(chart))
            late = chart.overdue
            if late:
                rows = [[t.id, t.title, day_said(t.due) if t.due else "", t.status.value] for t in late]
                body += "<h3>Overdue</h3>" + table_html(["Task", "Title", "Due", "Status"], rows)
            else:
                body += paragraph("Nothing is overdue.", kind="note")
            body += "".join(paragraph(note, kind="note") for note in chart.notes)
        sections.append(Section(f"project-{ident}", f"{ident} {chart.title}", body))
    return sections


def _points_section(group: Group) -> Section:
    if not group.projects:
        return Section("points", "Points", paragraph(NO_PROJECTS, kind="empty"))
    parts = []
    for ident in sorted(group.projects):
        parts.append(f"<h3>{escape(ident)} {escape(group.projects[ident].title)}</h3>")
        parts.append(_points_table(group, ident))
        found = project_authorship(group, ident)
        if not found:
            parts.append(paragraph(NO_OUTPUTS, kind="note"))
        parts.extend(_output_html(report) for report in found)
    return Section("points", "Points and proposed authors", "".join(parts))


def _points_table(group: Group, project: ProjectId) -> str:
    standings = group.ledger.standings(project, tasks=group.tasks)
    if not standings:
        return paragraph(NO_POINTS, kind="empty")
    rows = []
    rank, above = 0, None
    for place, standing in enumerate(standings, start=1):
        if standing.exact != above:
            rank, above = place, standing.exact
        member = group.members[standing.member_id]
        rows.append([str(rank), member.name, str(standing.points), str(standing.accepted_tasks)])
    return table_html(
        ["#", "Member", "Points", "Accepted tasks"], rows, numbers=(0, 2, 3), caption="Points table"
    )


def _output_html(report: JournalAuthorship) -> str:
    output = report.output
    parts = [f"<h4>{escape(output.title)} ({escape(output.kind.value)}, {escape(output.status.value)})</h4>"]
    if report.authors:
        names = ", ".join(f"{a.name}{'*' if a.corresponding else ''}" for a in report.authors)
        said = "; * the corresponding author" if any(a.corresponding for a in report.authors) else ""
        parts.append(paragraph(f"Proposed authors, in order: {names}{said}."))
    else:
        parts.append(paragraph("No member qualifies as an author yet.", kind="note"))
    chart = render_points(report)
    if chart is not None:
        parts.append(chart_html(chart))
    if report.missing:
        items = "".join(f"<li>{escape(m)}</li>" for m in report.missing)
        parts.append(f'<p class="note">Missing for submission:</p><ul class="note">{items}</ul>')
    return "".join(parts)
