"""``braingain report group``: Table 1, the outputs record and participation, as text, Markdown, JSON
or one self-contained HTML file.

:func:`build` gathers the three (pure, :mod:`braingain.core.reports`) for a group on a day;
:func:`report_text`, :func:`report_markdown` and :func:`report_data` render them; :func:`group_section_html`
is the report's HTML ``<section>`` (every value escaped, charts inline as ``data:`` URIs), which
:func:`report_html` wraps into a whole page and the one HTML report reuses. Charts
(:func:`participation_chart`, :func:`outputs_chart`) are drawn only when there is something to draw:
``None`` otherwise, and the report says so in words.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from matplotlib.ticker import MaxNLocator

from braingain.core.authorship.icmje import UNREADABLE_RECORD, Output, OutputKind
from braingain.core.group import Group
from braingain.core.reports.participation import Participation, Period, participation
from braingain.core.reports.record import KINDS, Record, Year, record
from braingain.core.reports.table_one import MULTIPLE_NOTE, TableOne, table_one
from braingain.core.words import day_said
from braingain.integrations.reports.charts import Rendered, figure, rendered
from braingain.integrations.reports.html_page import Section, chart_html, page_html, table_html
from braingain.integrations.reports.saving import save_report
from braingain.integrations.text import heading, table

HTML_NAME = "group-report.html"
"""The file ``report group --format html`` writes in the reports folder."""


@dataclass(frozen=True, slots=True)
class GroupReport:
    """Everything the group report says about ``name`` on ``on``; ``co_leaders`` by name."""

    name: str
    on: date
    table: TableOne
    record: Record
    participation: Participation
    co_leaders: tuple[str, ...]


def build(group: Group, *, now: datetime, period: Period = Period.QUARTER) -> GroupReport:
    """The group report of ``group`` at ``now`` (an aware instant; Table 1 counts on its date)."""
    on = now.date()
    counted = table_one(group.members.values(), on)
    return GroupReport(
        name=group.name,
        on=on,
        table=counted,
        record=record(group.outputs.values()),
        participation=participation(group, now=now, period=period),
        co_leaders=tuple(group.members[m].name for m in counted.roster.co_leaders),
    )


# --- words shared by every format ---------------------------------------------------------------

NO_MEMBERS = (
    "No member is active on this day, so there is no Table 1 to show (Members tab: Joined, Left, Active)."
)
NO_OUTPUTS = (
    "No outputs are recorded yet: add protocols, papers, abstracts, presentations and grants "
    "on the Outputs tab."
)
NO_PARTICIPATION = (
    "No participation to show yet: no meeting attendance, accepted task or Ledger entry is recorded."
)
UNDATED = "undated"
DATE_UNREAD = "date could not be read"
"""Said instead of a status date whose cell could not be read (not :data:`UNDATED`: it may have one)."""
USED_RECORD = ("status", "status_on", "venue", "identifier", "apc_waiver")
"""The fields of an output's record the group report shows (names of :data:`UNREADABLE_RECORD`)."""
_IDENTIFIER = {OutputKind.PROTOCOL: "registration", OutputKind.GRANT: "grant number"}
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/\S+", re.IGNORECASE)


def _identifier_said(output: Output) -> str:
    """What an output's identifier is called: a DOI (``10.<registrant>/<suffix>``, whatever the kind),
    else by kind (a protocol's registration, a grant's number)."""
    if _DOI.match(output.identifier or ""):
        return "DOI"
    return _IDENTIFIER.get(output.kind, "identifier")


def _membership(report: GroupReport) -> list[str]:
    counted = report.table.roster
    leaders = ", ".join(report.co_leaders) if report.co_leaders else "none"
    return [
        f"{counted.members} member{'' if counted.members == 1 else 's'}: {counted.active} active, "
        f"{counted.inactive} not active (left, marked not active, not joined yet, or dates unreadable).",
        f"Co-leaders ({len(report.co_leaders)}): {leaders}.",
    ]


def _table_title(report: GroupReport) -> str:
    return f"Table 1. Demographic information of group members (N = {report.table.n})"


def _multiple_note(report: GroupReport) -> str:
    """The note under Table 1 on the sections whose percentages exceed 100%."""
    multiple = [s.title for s in report.table.sections if s.multiple]
    return f"{' and '.join(multiple)}: {MULTIPLE_NOTE}."


def _cell(count: int, percent: object) -> str:
    return f"{count} ({percent})"


def _output_facts(output: Output) -> str:
    """What the record says of one output after its title: kind, status and day, venue, identifier, waiver."""
    status = (
        f"{UNREADABLE_RECORD['status']} could not be read" if output.lacks("status") else output.status.value
    )
    if output.lacks("status_on"):
        day = DATE_UNREAD
    else:
        day = day_said(output.status_on) if output.status_on else UNDATED
    facts = [output.kind.value, f"{status}, {day}"]
    if output.venue:
        facts.append(output.venue)
    if output.identifier:
        facts.append(f"{_identifier_said(output)} {output.identifier}")
    if output.apc_waiver is not None:
        facts.append(f"APC waiver {output.apc_waiver.value}")
    facts += [
        f"{UNREADABLE_RECORD[f]} could not be read"
        for f in ("venue", "identifier", "apc_waiver")
        if output.lacks(f)
    ]
    return "; ".join(facts)


def unreadable(report: GroupReport) -> list[tuple[str, str]]:
    """The cells of the Outputs tab the report uses that could not be read, as ``(output ID, field
    in words)`` (e.g. ``("sr-paper", "status date")``), in the record's order; the report shows each
    as could not be read, and is not the whole answer while any is left."""
    seen = {o.id: o for part in report.record.sections for o in part.outputs}
    return [(o.id, UNREADABLE_RECORD[f]) for o in seen.values() for f in USED_RECORD if o.lacks(f)]


def _kind_heading(kind: OutputKind) -> str:
    return {OutputKind.PAPER: "Papers", OutputKind.PRESENTATION: "Presentations"}.get(
        kind, kind.value.capitalize() + "s"
    )


def _year_label(year: Year) -> str:
    return str(year.year) if year.year is not None else UNDATED.capitalize()


def _summary_rows(found: Record) -> list[Year]:
    return [*found.years, *([found.undated] if found.undated is not None else [])]


def _rate(value: object) -> str:
    return f"{value}%" if value is not None else "-"


def _participation_header(found: Participation) -> list[str]:
    return [found.period.value.capitalize(), "Meetings", "Attendance rate", "Present", "Absent", "Excused",
            "Tasks completed", "Points awarded"]  # fmt: skip


def _participation_rows(found: Participation) -> list[list[str]]:
    return [
        [
            row.label,
            str(row.meetings),
            _rate(row.rate_percent),
            str(row.attendance.present),
            str(row.attendance.absent),
            str(row.attendance.excused),
            str(row.tasks_completed),
            str(row.points),
        ]
        for row in found.rows
    ]


ATTENDANCE_NOTE = (
    "Attendance rate: present out of present and absent; an excused absence counts neither for nor against."
)


def _earlier(found: Participation) -> str | None:
    seen = found.earlier
    if not (seen.present + seen.absent + seen.excused):
        return None
    return (
        "Attendance counted before meetings were tracked (no dates, so in no period): "
        f"{seen.present} present, {seen.absent} absent, {seen.excused} excused."
    )


# --- text ---------------------------------------------------------------------------------------


def report_text(report: GroupReport) -> str:
    """The report for a person at a terminal or in an email."""
    parts = [heading(f"{report.name} on {day_said(report.on)}"), *_membership(report)]
    parts.append(heading(_table_title(report)))
    if report.table.n:
        rows: list[list[str]] = []
        for section in report.table.sections:
            rows.append([section.title, ""])
            rows.extend([f"  {row.label}", _cell(row.count, row.percent)] for row in section.rows)
        parts.append(table(["Category", "Number (percent)"], rows, right=(1,)))
        parts.append(_multiple_note(report))
    else:
        parts.append(NO_MEMBERS)
    parts.append(heading("Outputs record"))
    if report.record.empty:
        parts.append(NO_OUTPUTS)
    else:
        for part in report.record.sections:
            parts.append(f"\n{part.title}")
            parts.extend(f"  - {o.title} ({_output_facts(o)})" for o in part.outputs)
            if not part.outputs:
                parts.append("  none yet")
        parts.append("\nArticle-processing-charge waivers")
        parts.extend(
            f"  - {o.title}: {o.apc_waiver.value if o.apc_waiver else ''}" for o in report.record.waivers
        )
        if not report.record.waivers:
            parts.append("  none asked for")
        parts.append("\nAchieved per year (published, registered, presented or awarded)")
        headers, rows_, numbers = _summary_table(report.record)
        parts.append(table(headers, rows_, right=numbers))
    parts.append(heading(f"Participation per {report.participation.period.value}"))
    if report.participation.rows:
        parts.append(
            table(
                _participation_header(report.participation),
                _participation_rows(report.participation),
                right=range(1, 8),
            )
        )
        parts.append(ATTENDANCE_NOTE)
    else:
        parts.append(NO_PARTICIPATION)
    earlier = _earlier(report.participation)
    if earlier:
        parts.append(earlier)
    return "\n".join(parts)


def _summary_table(found: Record) -> tuple[list[str], list[list[str]], range]:
    kinds = _summary_kinds(found)
    headers = ["Year", *(_kind_heading(k) for k in kinds), "Total", "APC waivers granted"]
    rows = [
        [_year_label(y), *(str(dict(y.achieved)[k]) for k in kinds), str(y.total), str(y.waivers_granted)]
        for y in _summary_rows(found)
    ]
    return headers, rows, range(1, len(headers))


def _summary_kinds(found: Record) -> list[OutputKind]:
    """The kinds the summary has a column for: those the group has outputs of, in :data:`KINDS` order."""
    present = {o.kind for s in found.sections for o in s.outputs}
    return [k for k in KINDS if k in present]


# --- Markdown -----------------------------------------------------------------------------------


def _md(value: object) -> str:
    """A value in a Markdown table cell or line: pipes, backslashes and markup characters escaped."""
    text = str(value).replace("\\", "\\\\")
    for char in "|*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(_md(c) for c in row) + " |" for row in rows)
    return lines


def report_markdown(report: GroupReport, *, warning: str = "") -> str:
    """The report as Markdown (GitHub-flavoured tables), for a README, an issue or a paper's draft;
    ``warning`` (plain text), when given, is a bold block quote under the title."""
    lines = [
        f"# {_md(report.name)} on {day_said(report.on)}",
        "",
        *([f"> **{_md(warning)}**", ""] if warning else []),
        *(_md(line) for line in _membership(report)),
    ]
    lines += ["", f"## {_md(_table_title(report))}", ""]
    if report.table.n:
        lines += ["| Category | Number (percent) |", "|---|---:|"]
        for section in report.table.sections:
            lines.append(f"| **{_md(section.title)}** | |")
            lines += [f"| {_md(row.label)} | {_cell(row.count, row.percent)} |" for row in section.rows]
        lines += ["", _md(_multiple_note(report))]
    else:
        lines.append(_md(NO_MEMBERS))
    lines += ["", "## Outputs record", ""]
    if report.record.empty:
        lines.append(_md(NO_OUTPUTS))
    else:
        for part in report.record.sections:
            lines += [f"### {_md(part.title)}", ""]
            lines += [f"- {_md(o.title)} ({_md(_output_facts(o))})" for o in part.outputs] or ["none yet"]
            lines.append("")
        lines += ["### Article-processing-charge waivers", ""]
        waivers = report.record.waivers
        lines += [f"- {_md(o.title)}: {_md(o.apc_waiver.value if o.apc_waiver else '')}" for o in waivers]
        lines += [] if waivers else ["none asked for"]
        headers, rows, _ = _summary_table(report.record)
        lines += ["", "### Achieved per year (published, registered, presented or awarded)", ""]
        lines += _md_table(headers, rows)
    lines += ["", f"## Participation per {report.participation.period.value}", ""]
    if report.participation.rows:
        lines += _md_table(
            _participation_header(report.participation), _participation_rows(report.participation)
        )
        lines += ["", _md(ATTENDANCE_NOTE)]
    else:
        lines.append(_md(NO_PARTICIPATION))
    earlier = _earlier(report.participation)
    if earlier:
        lines += ["", _md(earlier)]
    return "\n".join(lines) + "\n"


# --- JSON ---------------------------------------------------------------------------------------


def _output_data(output: Output) -> dict[str, Any]:
    return {
        "id": output.id,
        "project": output.project_id,
        "kind": output.kind.value,
        "title": output.title,
        "status": output.status.value,
        "status_on": output.status_on.isoformat() if output.status_on else None,
        "venue": output.venue,
        "identifier": output.identifier,
        "apc_waiver": output.apc_waiver.value if output.apc_waiver else None,
        "could_not_be_read": [UNREADABLE_RECORD[f] for f in USED_RECORD if output.lacks(f)],
    }


def _year_data(year: Year) -> dict[str, Any]:
    return {
        "year": year.year,
        "achieved": {k.value: n for k, n in year.achieved},
        "total": year.total,
        "apc_waivers_granted": year.waivers_granted,
    }


def report_data(report: GroupReport) -> dict[str, Any]:
    """The report for scripts (``--format json``): numbers as numbers, percentages as strings
    (``"68.8"``: one decimal, exact), dates as ISO dates."""
    found = report.participation
    return {
        "table_one": {
            "n": report.table.n,
            "sections": [
                {
                    "title": s.title,
                    "multiple": s.multiple,
                    "rows": [{"label": r.label, "count": r.count, "percent": str(r.percent)} for r in s.rows],
                }
                for s in report.table.sections
            ],
        },
        "record": {
            "sections": [
                {"title": s.title, "outputs": [_output_data(o) for o in s.outputs]}
                for s in report.record.sections
            ],
            "apc_waivers": [_output_data(o) for o in report.record.waivers],
            "years": [_year_data(y) for y in _summary_rows(report.record)],
        },
        "participation": {
            "period": found.period.value,
            "rows": [
                {
                    "period": row.label,
                    "start": row.start.isoformat(),
                    "end": row.end.isoformat(),
                    "meetings": row.meetings,
                    "present": row.attendance.present,
                    "absent": row.attendance.absent,
                    "excused": row.attendance.excused,
                    "attendance_rate": str(row.rate_percent) if row.rate_percent is not None else None,
                    "tasks_completed": row.tasks_completed,
                    "points": str(row.points),
                }
                for row in found.rows
            ],
            "earlier": {
                "present": found.earlier.present,
                "absent": found.earlier.absent,
                "excused": found.earlier.excused,
            },
        },
    }


# --- charts -------------------------------------------------------------------------------------


def participation_chart(found: Participation) -> Rendered | None:
    """Attendance rate per period (a line, %), tasks completed and points awarded (bars); ``None`` when
    there is no period to show. SVG groups: ``attendance-rate`` (the line), ``tasks-completed-<start>`` and
    ``points-awarded-<start>`` (one bar each, ``<start>`` the period's first day, ISO)."""
    if not found.rows:
        return None
    labels = [row.label for row in found.rows]
    places = list(range(len(labels)))
    with figure(max(5.0, 0.7 * len(labels) + 2), 5.4) as fig:
        rate_axes, task_axes, point_axes = fig.subplots(3, 1, sharex=True)
        rates = [float(r.rate_percent) if r.rate_percent is not None else float("nan") for r in found.rows]
        rate_axes.plot(places, rates, marker="o", color="#1f6f8b", gid="attendance-rate")
        rate_axes.set_ylim(0, 105)
        rate_axes.set_ylabel("Attendance (%)")
        tasks = task_axes.bar(places, [r.tasks_completed for r in found.rows], color="#4c9a2a")
        task_axes.set_ylabel("Tasks completed")
        points = point_axes.bar(places, [float(r.points) for r in found.rows], color="#c77c02")
        for row, task_bar, point_bar in zip(found.rows, tasks.patches, points.patches, strict=True):
            task_bar.set_gid(f"tasks-completed-{row.start.isoformat()}")
            point_bar.set_gid(f"points-awarded-{row.start.isoformat()}")
        point_axes.set_ylabel("Points awarded")
        point_axes.set_xticks(
            places, labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center"
        )
        fig.suptitle(f"Participation per {found.period.value}")
        alt = (
            f"Attendance rate, tasks completed and points awarded per {found.period.value}, "
            f"{labels[0]} to {labels[-1]}."
        )
        return rendered(fig, alt)


def outputs_chart(found: Record) -> Rendered | None:
    """Outputs achieved per year (bars stacked by kind, undated last); ``None`` when none is achieved.
    SVG groups: one per bar, ``outputs-<kind>-<year>`` (``outputs-paper-2024``,
    ``outputs-presentation-undated``)."""
    years = [y for y in _summary_rows(found) if y.total]
    if not years:
        return None
    rows = _summary_rows(found)
    labels = [_year_label(y) for y in rows]
    places = list(range(len(rows)))
    with figure(max(4.0, 0.8 * len(rows) + 2.5), 3.2) as fig:
        axes = fig.subplots()
        below = [0] * len(rows)
        for kind in KINDS:
            counts = [dict(y.achieved)[kind] for y in rows]
            if any(counts):
                bars = axes.bar(
                    places, counts, bottom=below, label=_kind_heading(kind), gid=f"outputs-{kind.value}"
                )
                for bar, label in zip(bars.patches, labels, strict=True):
                    bar.set_gid(f"outputs-{kind.value}-{label.casefold()}")
                below = [b + c for b, c in zip(below, counts, strict=True)]
        axes.set_xticks(places, labels)
        axes.set_ylabel("Outputs achieved")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(frameon=False, fontsize=8)
        fig.suptitle("Outputs achieved per year")
        total = sum(y.total for y in years)
        alt = f"Outputs achieved per year ({total} in all), {labels[0]} to {labels[-1]}, by kind."
        return rendered(fig, alt)


# --- HTML ---------------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def group_heading(report: GroupReport) -> str:
    """The group report's heading: ``"<group> on <day>"``."""
    return f"{report.name} on {day_said(report.on)}"


def group_section_html(report: GroupReport) -> str:
    """The group report as one HTML ``<section id="group-report">`` with its ``<h2>`` heading and
    :func:`group_body_html`."""
    return (
        f'<section id="group-report"><h2>{_e(group_heading(report))}</h2>\n'
        f"{group_body_html(report)}\n</section>"
    )


def group_body_html(report: GroupReport) -> str:
    """The group report's body in HTML (headings from ``<h3>``): every value escaped, charts inline
    (``data:`` URIs, no remote resource), in :mod:`.html_page`'s classes; for :func:`report_html` and
    the one HTML report (:mod:`.html_report`)."""
    parts: list[str] = []
    parts.extend(f"<p>{_e(line)}</p>" for line in _membership(report))
    parts.append(f"<h3>{_e(_table_title(report))}</h3>")
    if report.table.n:
        rows = []
        for section in report.table.sections:
            rows.append(f'<tr class="section"><td colspan="2">{_e(section.title)}</td></tr>')
            rows.extend(
                f'<tr><td class="sub">{_e(r.label)}</td>'
                f'<td class="n">{_e(_cell(r.count, r.percent))}</td></tr>'
                for r in section.rows
            )
        parts.append(
            '<table><thead><tr><th>Category</th><th class="n">Number (percent)</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        parts.append(f'<p class="note">{_e(_multiple_note(report))}</p>')
    else:
        parts.append(f"<p>{_e(NO_MEMBERS)}</p>")
    parts.append("<h3>Outputs record</h3>")
    if report.record.empty:
        parts.append(f"<p>{_e(NO_OUTPUTS)}</p>")
    else:
        for part in report.record.sections:
            items = "".join(f"<li>{_e(o.title)} ({_e(_output_facts(o))})</li>" for o in part.outputs)
            parts.append(f"<h4>{_e(part.title)}</h4>" + (f"<ul>{items}</ul>" if items else "<p>none yet</p>"))
        waivers = "".join(
            f"<li>{_e(o.title)}: {_e(o.apc_waiver.value if o.apc_waiver else '')}</li>"
            for o in report.record.waivers
        )
        parts.append(
            "<h4>Article-processing-charge waivers</h4>"
            + (f"<ul>{waivers}</ul>" if waivers else "<p>none asked for</p>")
        )
        headers, rows_, numbers = _summary_table(report.record)
        parts.append("<h4>Achieved per year (published, registered, presented or awarded)</h4>")
        parts.append(table_html(headers, rows_, numbers=numbers))
        chart = outputs_chart(report.record)
        if chart is not None:
            parts.append(chart_html(chart))
    found = report.participation
    parts.append(f"<h3>Participation per {_e(found.period.value)}</h3>")
    if found.rows:
        parts.append(
            table_html(_participation_header(found), _participation_rows(found), numbers=range(1, 8))
        )
        parts.append(f'<p class="note">{_e(ATTENDANCE_NOTE)}</p>')
        chart = participation_chart(found)
        if chart is not None:
            parts.append(chart_html(chart))
    else:
        parts.append(f"<p>{_e(NO_PARTICIPATION)}</p>")
    earlier = _earlier(found)
    if earlier:
        parts.append(f'<p class="note">{_e(earlier)}</p>')
    return "\n".join(parts)


def report_html(report: GroupReport, *, warning: str = "") -> str:
    """A whole HTML page of :func:`group_body_html` (:func:`.html_page.page_html`: inline style, no
    script, no remote resource), ``warning`` (plain text) shown prominently at its top when given."""
    title = f"{report.name}: group report, {day_said(report.on)}"
    made = f"Made by braingain on {day_said(report.on)}, from the tracker as it stood then."
    sections = [Section("group-report", group_heading(report), group_body_html(report))]
    return page_html(title, made, sections, warning=warning)


def write_html(report: GroupReport, folder: Path, *, warning: str = "") -> Path:
    """Write :func:`report_html` (``warning`` at its top when given) as :data:`HTML_NAME` in
    ``folder`` (made if missing), in one step;
    returns its path. Raises :class:`~braingain.integrations.errors.IntegrationError` naming the folder
    or file that cannot be written, with how to choose another."""
    return save_report(folder / HTML_NAME, report_html(report, warning=warning).encode("utf-8"))
