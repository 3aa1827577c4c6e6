"""Every piece of text braingain shows a person on the command line lives here."""

from __future__ import annotations

from collections.abc import Sequence

from braingain.core.authorship import AuthorshipDecision
from braingain.core.group import Group
from braingain.core.ids import ProjectId
from braingain.core.volunteering import Selection


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> str:
    """A plain-text table: columns sized to fit, numbers right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def heading(text: str) -> str:
    return f"\n{text}\n{'=' * len(text)}"


def standings(group: Group, project: ProjectId) -> str:
    rows = []
    for rank, standing in enumerate(group.ledger.standings(project), start=1):
        member = group.members[standing.member_id]
        rows.append(
            [
                str(rank),
                member.name,
                member.country.name,
                str(standing.points),
                str(standing.accepted_tasks),
            ]
        )
    title = group.projects[project].title
    return f"{heading(f'Points table: {title}')}\n" + table(
        ["#", "Member", "Lives in", "Points", "Accepted tasks"], rows, right=(0, 3, 4)
    )


def authorship(decision: AuthorshipDecision) -> str:
    out = decision.output
    parts = [heading(f"Authorship: {out.title} ({out.kind.value})")]
    parts.append(
        f"Total points {decision.total_points}; an author needs all four ICMJE criteria "
        f"and at least {decision.threshold} points."
    )
    rows = [
        [
            str(a.position),
            a.name + (" (joint first)" if a.equal_first else ""),
            str(a.points),
            f"{a.share * 100:.1f}%",
            "fixed position" if a.fixed else "by points",
        ]
        for a in decision.authors
    ]
    parts.append(
        "\nAuthor order\n" + table(["#", "Author", "Points", "Share", "Placed"], rows, right=(0, 2, 3))
    )
    if decision.tie_breaks:
        parts.append("\nTie-breaks\n" + "\n".join(f"- {line}" for line in decision.tie_breaks))
    if decision.notes:
        parts.append("\nNotes\n" + "\n".join(f"- {line}" for line in decision.notes))
    if decision.acknowledged:
        lines = [f"- {a.name} ({a.points} points): {a.why}" for a in decision.acknowledged]
        parts.append("\nAcknowledged, with what is still missing\n" + "\n".join(lines))
    parts.append("\nCRediT contribution statement\n" + decision.contribution_statement())
    if decision.acknowledged:
        parts.append("\nAcknowledgments\n" + "; ".join(decision.acknowledgments()) + ".")
    if decision.carry_over:
        carried = ", ".join(f"{m}: {p}" for m, p in sorted(decision.carry_over.items()))
        parts.append(f"\nCarried over to the next output: {carried}")
    return "\n".join(parts)


def selection(group: Group, chosen: Selection) -> str:
    task = group.tasks[chosen.task_id]
    cap = "no cap" if chosen.cap is None else f"takes {chosen.cap}"
    parts = [heading(f"Volunteers for {task.id}: {task.title} ({cap})")]
    parts.extend(chosen.notes)
    for candidate in chosen.candidates:
        mark = "chosen" if candidate.selected else "      "
        name = group.members[candidate.member_id].name
        parts.append(f"{candidate.rank:>2}. [{mark}] {name}: {candidate.reason}")
    return "\n".join(parts)
