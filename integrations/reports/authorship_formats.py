"""``report authorship`` for people and scripts: plain text, Markdown and JSON.

Each renders one :class:`~braingain.core.reports.authorship.JournalAuthorship`: the standings (points,
the ICMJE check per criterion, proposed position, what is missing), the title-page block (title,
authors with their affiliation numbers and a ``*`` on the corresponding author, the numbered
affiliations, the corresponding author, the ORCID iDs), the CRediT statement, the acknowledgments and
what is missing for submission. JATS and Word live in :mod:`.jats` and :mod:`.title_page`.

Member emails are left out unless ``with_email`` is given (``--with-email``): a title page names
the corresponding author's email, but braingain writes none where nobody asked for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from braingain.core.authorship.icmje import Criterion
from braingain.core.reports.authorship import Corresponding, JournalAuthorship
from braingain.integrations import text

CORRESPONDING_MARK = "*"

_CRITERION_HEADERS = ("ICMJE 1", "ICMJE 2", "ICMJE 3", "ICMJE 4")


def affiliation_marks(numbers: Sequence[int], *, corresponding: bool) -> str:
    """What follows an author's name, superscript on a title page: ``1,2*``."""
    return ",".join(str(n) for n in numbers) + (CORRESPONDING_MARK if corresponding else "")


def corresponding_line(report: JournalAuthorship, *, with_email: bool) -> str:
    """``Ada Obiora, University of Benin, Benin City, Nigeria`` (and the email with ``with_email``);
    or why there is none."""
    found = report.corresponding
    if found is None:
        return "None named yet (Outputs tab, 'Corresponding author')."
    places = "; ".join(a.label for a in found.affiliations) or "no affiliation recorded"
    line = f"{found.name}, {places}"
    email = corresponding_email(found) if with_email else None
    if email:
        line += f". Email: {email}"
    if not found.is_author:
        line += " (not one of the authors)"
    return line + "."


def corresponding_email(found: Corresponding) -> str | None:
    """The corresponding author's address, for a title page asked for ``--with-email``."""
    return found.member.email.address if found.member.email is not None else None


def _criteria_marks(report: JournalAuthorship) -> list[list[str]]:
    rows = []
    for standing in report.standings:
        marks = ["yes" if evidence is not None else "no" for _, evidence in standing.criteria]
        rows.append(
            [
                standing.name,
                str(standing.points),
                *marks,
                "yes" if standing.reaches_threshold else "no",
                str(standing.position) if standing.position is not None else "acknowledged",
                standing.missing or "-",
            ]
        )
    return rows


def render_text(report: JournalAuthorship, *, with_email: bool = False) -> str:
    """The decision as ``report authorship`` has always said it (order, ICMJE check, CRediT,
    acknowledgments), then the title-page block and what is missing for submission."""
    parts = [text.authorship(report.decision), text.heading("Title page"), report.output.title]
    if report.authors:
        parts.append(
            ", ".join(
                f"{a.name}^{marks}"
                if (marks := affiliation_marks(a.affiliations, corresponding=a.corresponding))
                else a.name
                for a in report.authors
            )
        )
        parts.extend(f"{n.number} {n.affiliation.label}" for n in report.affiliations)
    else:
        parts.append("No authors yet.")
    parts.append(
        f"{CORRESPONDING_MARK} Corresponding author: {corresponding_line(report, with_email=with_email)}"
    )
    orcids = [f"- {a.name}: {a.orcid.uri if a.orcid else 'none recorded'}" for a in report.authors]
    if orcids:
        parts.append("ORCID iDs\n" + "\n".join(orcids))
    parts.append(text.heading("Missing for submission"))
    parts.append("\n".join(f"- {m}" for m in report.missing) or "Nothing: ready to submit.")
    return "\n".join(parts)


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|"})


def _md(value: str) -> str:
    """``value`` with Markdown's special characters escaped (a name or title is text, never markup)."""
    return value.translate(_MD_SPECIAL)


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def render_markdown(report: JournalAuthorship, *, with_email: bool = False) -> str:
    """The same content as :func:`render_text`, as a Markdown document (GitHub-flavoured tables;
    affiliation numbers as ``<sup>``)."""
    out = report.output
    decision = report.decision
    parts = [
        f"# Authorship: {_md(out.title)}",
        "",
        f"{_md(out.kind.value.capitalize())} of the project {_md(report.project_title)}. Total points "
        f"{decision.total_points}; an author needs all four ICMJE criteria and at least "
        f"{decision.threshold} points.",
        "",
        "## Standings",
        "",
    ]
    if report.standings:
        headers = ["Member", "Points", *_CRITERION_HEADERS, "Threshold", "Proposed position", "Missing"]
        parts.append(_md_table(headers, _criteria_marks(report)))
        parts.append("")
        parts.extend(f"ICMJE {c.label}  " for c in Criterion)
    else:
        parts.append("No member has points for this output yet.")
    parts += ["", "## Title page", "", f"**{_md(out.title)}**", ""]
    if report.authors:
        names = []
        for a in report.authors:
            marks = affiliation_marks(a.affiliations, corresponding=a.corresponding)
            names.append(_md(a.name) + (f"<sup>{_md(marks)}</sup>" if marks else ""))
        parts += [", ".join(names), ""]
        parts.extend(f"<sup>{n.number}</sup> {_md(n.affiliation.label)}  " for n in report.affiliations)
    else:
        parts.append("No authors yet.")
    parts += [
        "",
        f"\\* Corresponding author: {_md(corresponding_line(report, with_email=with_email))}",
        "",
    ]
    if report.authors:
        parts += ["### ORCID iDs", ""]
        parts.extend(
            f"- {_md(a.name)}: " + (f"<{a.orcid.uri}>" if a.orcid else "none recorded")
            for a in report.authors
        )
        parts.append("")
    parts += ["## CRediT statement", ""]
    parts.append(
        "\n".join(f"{_md(line)}  " for line in report.credit_statement.splitlines())
        if report.credit_statement
        else "No authors yet."
    )
    parts += ["", "## Acknowledgments", ""]
    parts.append(_md("; ".join(report.acknowledgments) + ".") if report.acknowledgments else "None.")
    parts += ["", "## Missing for submission", ""]
    parts.append("\n".join(f"- {_md(m)}" for m in report.missing) or "Nothing: ready to submit.")
    return "\n".join(parts) + "\n"


def authorship_data(report: JournalAuthorship, *, with_email: bool = False) -> dict[str, Any]:
    """For scripts (``--format json``): the decision's data (:func:`text.decision_data`) and the
    journal-ready pieces: ``standings``, ``author_list``, ``affiliations``, ``corresponding``,
    ``credit_statement``, ``acknowledgments``, ``missing_for_submission`` and ``ready``."""
    found = report.corresponding
    data = text.decision_data(report.decision)
    data |= {
        "project_title": report.project_title,
        "standings": [
            {
                "member": s.member_id,
                "name": s.name,
                "points": str(s.points),
                "criteria": {str(c.value): evidence for c, evidence in s.criteria},
                "reaches_threshold": s.reaches_threshold,
                "position": s.position,
                "missing": s.missing,
            }
            for s in report.standings
        ],
        "author_list": [
            {
                "position": a.position,
                "member": a.member_id,
                "given_names": a.given_names,
                "surname": a.surname,
                "orcid": a.orcid.uri if a.orcid else None,
                "affiliations": list(a.affiliations),
                "corresponding": a.corresponding,
                "equal_first": a.equal_first,
            }
            for a in report.authors
        ],
        "affiliations": [
            {
                "number": n.number,
                "institution": n.affiliation.institution,
                "city": n.affiliation.city,
                "country": n.affiliation.country.name,
                "country_code": n.affiliation.country.code,
            }
            for n in report.affiliations
        ],
        "corresponding": None
        if found is None
        else {
            "member": found.member.id,
            "name": found.name,
            "is_author": found.is_author,
            "affiliations": [a.label for a in found.affiliations],
        }
        | ({"email": corresponding_email(found)} if with_email else {}),
        "acknowledgments": list(report.acknowledgments),
        "missing_for_submission": list(report.missing),
        "ready": report.ready,
    }
    return data
