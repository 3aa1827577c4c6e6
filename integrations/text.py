"""Every piece of text braingain shows a person on the command line lives here."""

from __future__ import annotations

import io
import os
import shlex
import shutil
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table

from braingain.core.authorship.icmje import AuthorshipDecision, Criterion
from braingain.core.authorship.volunteering import Selection
from braingain.core.group import Group
from braingain.core.ids import MemberId, ProjectId
from braingain.core.roster import Roster
from braingain.core.schedule.meetings import MeetingStatus, Occurrence
from braingain.core.schedule.slots import SlotChoice
from braingain.core.tracker.ledger_trail import TrailItem
from braingain.core.tracker.rows import Hold
from braingain.core.tracker.schema import Problem
from braingain.core.words import day_said, moment_said
from braingain.integrations.config import STATE_KEY

if TYPE_CHECKING:
    pass


def _on_terminal() -> bool:
    """Whether standard output is a terminal (colour and the terminal's width), not a pipe or a file."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


PIPED_WIDTH = 1000
"""The width a table is laid out in when it is not shown on a terminal: wide enough never to wrap."""


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> str:
    """A text table (rich): a header row over a rule, columns sized to fit, the columns ``right``
    (numbers) right-aligned. On a terminal the header is bold (plain with ``NO_COLOR``) and a
    long cell wraps within the terminal's width; anywhere else it is plain text, never wrapped."""
    terminal = _on_terminal()
    styled = terminal and not os.environ.get("NO_COLOR")
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold" if styled else "")
    for i, header in enumerate(headers):
        grid.add_column(header, justify="right" if i in right else "left", overflow="fold")
    for row in rows:
        grid.add_row(*row)
    out = io.StringIO()
    console = Console(
        file=out,
        width=shutil.get_terminal_size().columns if terminal else PIPED_WIDTH,
        force_terminal=terminal,
        color_system="standard" if styled else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(grid)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").split("\n"))


def heading(text: str) -> str:
    return f"\n{text}\n{'=' * len(text)}"


def standings(group: Group, project: ProjectId) -> str:
    """The points table; members with exactly equal points share a rank (1, 2, 2, 4)."""
    rows = []
    rank, above = 0, None
    for place, standing in enumerate(group.ledger.standings(project, tasks=group.tasks), start=1):
        if standing.exact != above:
            rank, above = place, standing.exact
        member = group.members[standing.member_id]
        rows.append(
            [
                str(rank),
                member.name,
                member.country.name if member.country else "(unknown)",
                str(standing.points),
                str(standing.accepted_tasks),
            ]
        )
    title = group.projects[project].title
    if not rows:
        return (
            f"{heading(f'Points table: {title}')}\nNo points recorded for this project yet: a task's "
            "contributors get its points when a leader accepts it (Tasks tab: Status 'accepted')."
        )
    return f"{heading(f'Points table: {title}')}\n" + table(
        ["#", "Member", "Lives in", "Points", "Accepted tasks"], rows, right=(0, 3, 4)
    )


_CRITERION_SHORT = {
    Criterion.DESIGN_ACQUISITION_ANALYSIS: "1 Design/analysis",
    Criterion.DRAFTING_OR_REVISION: "2 Drafting/revision",
    Criterion.FINAL_APPROVAL: "3 Final approval",
    Criterion.ACCOUNTABILITY: "4 Accountable",
}
_HOW_TO_RECORD = {
    Criterion.DESIGN_ACQUISITION_ANALYSIS: "an accepted task whose ICMJE criterion is 1 (Tasks tab), or a "
    "leader's note in the Outputs tab's 'Leader evidence' column",
    Criterion.DRAFTING_OR_REVISION: "an accepted task whose ICMJE criterion is 2 (Tasks tab), or a "
    "leader's note in the Outputs tab's 'Leader evidence' column",
    Criterion.FINAL_APPROVAL: "their name in the Outputs tab's 'Approved the final version' column, once "
    "they have approved it",
    Criterion.ACCOUNTABILITY: "their name in the Outputs tab's 'Agreed to be accountable' column, once they "
    "have agreed",
}


def _mark(met: bool) -> str:
    return "yes" if met else "no"


def icmje_table(decision: AuthorshipDecision) -> str:
    """The ICMJE check as a table: one row per member with points for the output (authors in order,
    then the acknowledged), a yes/no per criterion and for the points threshold, and the outcome."""
    rows = []
    for author in decision.authors:
        marks = [_mark(True)] * len(Criterion)
        rows.append([author.name, str(author.points), *marks, _mark(True), f"author {author.position}"])
    for ack in decision.acknowledged:
        marks = [_mark(c not in ack.missing) for c in Criterion]
        rows.append([ack.name, str(ack.points), *marks, _mark(not ack.below_threshold), "acknowledged"])
    headers = ["Member", "Points", *_CRITERION_SHORT.values(), f"{decision.threshold}+ points", "Outcome"]
    return table(headers, rows, right=(1,))


def no_outputs(project: ProjectId) -> str:
    """What ``report authorship`` says of a project with no outputs yet."""
    return (
        f"\nProject {project} has no outputs yet, so there are no authors to decide: add the paper, "
        "protocol or abstract on the Outputs tab (its project, kind and title), then run this report again."
    )


def no_authors_written(output: str, project: str, kind: str) -> str:
    """What ``report authorship --format jats|docx`` says of an output it wrote no file for."""
    what = "JATS author list" if kind == "jats" else "title page"
    return (
        f"{output} has no authors yet, so no {what} was written for it: run "
        f"braingain report authorship {project} --output {output} to see what is missing."
    )


def why_no_authors(decision: AuthorshipDecision) -> list[str]:
    """Why an output has no authors yet and what to record in the tracker so that it has some;
    empty when it has authors."""
    if decision.authors:
        return []
    out = decision.output
    stages = f" in the stages {', '.join(sorted(out.stages))}" if out.stages else ""
    if not decision.acknowledged:
        return [
            f"No member has points for {out.id} yet: points come from accepted tasks of project "
            f"{out.project_id}{stages}. When a leader accepts a task (Tasks tab: Status 'accepted'), its "
            "contributors get its points; then record who meets each ICMJE criterion."
        ]
    lines = [
        f"No member meets all four ICMJE criteria and the points threshold ({decision.threshold}) yet. "
        "To record:"
    ]
    for criterion in Criterion:
        lacking = [a.name for a in decision.acknowledged if criterion in a.missing]
        if lacking:
            who = ", ".join(lacking[:5]) + (f" and {len(lacking) - 5} more" if len(lacking) > 5 else "")
            lines.append(f"- criterion {criterion.label}, missing for {who}: {_HOW_TO_RECORD[criterion]}")
    below = [a.name for a in decision.acknowledged if a.below_threshold and not a.missing]
    if below:
        lines.append(f"- {', '.join(below)} meet every criterion but have fewer points than the threshold")
    return lines


def authorship(decision: AuthorshipDecision) -> str:
    out = decision.output
    parts = [heading(f"Authorship: {out.title} ({out.kind.value})")]
    parts.append(
        f"Total points {decision.total_points}; an author needs all four ICMJE criteria "
        f"and at least {decision.threshold} points."
    )
    if not decision.authors:
        parts.append("\nNo authors yet\n" + "\n".join(why_no_authors(decision)))
    else:
        rows = [
            [
                str(a.position),
                a.name + (" (joint first)" if a.equal_first else ""),
                str(a.points),
                f"{a.share * 100:.1f}%",
                a.placed,
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
    if decision.authors or decision.acknowledged:
        parts.append("\nICMJE check (criteria 1 to 4, and the points threshold)\n" + icmje_table(decision))
    if decision.authors and decision.acknowledged:
        missing = [
            f"- criterion {c.label}: {_HOW_TO_RECORD[c]}"
            for c in Criterion
            if any(c in a.missing for a in decision.acknowledged)
        ]
        if missing:
            parts.append(
                "\nHow an acknowledged member's missing criterion is recorded\n" + "\n".join(missing)
            )
    if decision.authors:
        parts.append("\nCRediT contribution statement\n" + decision.contribution_statement())
    if decision.acknowledged:
        parts.append("\nAcknowledgments\n" + "; ".join(decision.acknowledgments()) + ".")
    if decision.carry_over:
        carried = ", ".join(f"{m}: {p.shown}" for m, p in sorted(decision.carry_over.items()))
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


def _hours(penalty: int) -> str:
    return "none" if penalty == 0 else f"{penalty / 60:.1f} h"


NIGHT_NOTE = (
    "Time outside 08:00-21:00 is on the worst-off member's own clock; an hour between 23:00 and 06:00 "
    "counts as three."
)


def slot_choice(group: Group, choice: SlotChoice, left_out: Sequence[tuple[MemberId, str]] = ()) -> str:
    """The best slot, the runners-up, each member's fit, and who could not be placed, with why."""
    best = choice.best
    first, last = choice.dates[0], choice.dates[-1]
    parts = [heading(f"Best meeting slot: {best.slot.label} ({best.slot.length} minutes)")]
    parts.append(
        f"Scored over {best.dates} weekly dates from {day_said(first)} to {day_said(last)}: "
        f"{best.everyone} of {best.members} members can make every date; {best.member_dates} of "
        f"{best.members * best.dates} member-dates work; the worst-off member's time outside "
        f"08:00-21:00: {_hours(best.worst_inconvenience)}."
    )
    rows = [
        [
            str(i),
            s.slot.label,
            f"{s.everyone}/{s.members}",
            str(s.member_dates),
            _hours(s.worst_inconvenience),
        ]
        for i, s in enumerate(choice.ranked, start=1)
    ]
    headers = ["#", "Slot", "Every date", "Member-dates", "Worst-off: outside 08:00-21:00"]
    parts.append("\nTop candidates\n" + table(headers, rows, right=(0, 2, 3, 4)) + "\n" + NIGHT_NOTE)
    parts.append("\nFor each member (local time per clock period; dates lost)")
    for fit in choice.fits:
        member = group.members[fit.member_id]
        periods = "; ".join(
            p.label if len(fit.periods) == 1 else f"{p.label} ({day_said(p.first)} to {day_said(p.last)})"
            for p in fit.periods
        )
        line = f"- {member.name} ({fit.zone.key}): {periods}"
        if fit.lost:
            shown = "; ".join(f"{day_said(d.date)}: {d.reason}" for d in fit.lost[:3])
            more = f"; and {len(fit.lost) - 3} more" if len(fit.lost) > 3 else ""
            line += f"\n    loses {len(fit.lost)} of {len(choice.dates)}: {shown}{more}"
        parts.append(line)
    if left_out:
        parts.append("\nLeft out (their slot cannot be worked out until this is fixed)")
        parts.extend(f"- {group.members[m].name}: {why}" for m, why in left_out)
    return "\n".join(parts)


CANNOT = "(cannot)"
"""The mark of a member who cannot make a meeting, next to its local time in ``report schedule``."""


def cannot_make(group: Group, meeting: Occurrence) -> dict[MemberId, str]:
    """Who of the group's members cannot make ``meeting``, and why (a date they are unavailable, or
    a time outside their weekly windows)."""
    found = {}
    for member in group.members.values():
        why = group.availability_of(member).cannot_make(meeting.start, meeting.length)
        if why is not None:
            found[member.id] = why
    return found


_CHANGED = (MeetingStatus.MOVED, MeetingStatus.CANCELLED)


def _meeting_label(group: Group, meeting: Occurrence) -> str:
    """A meeting's column: the day it meets in the series' zone, saying when it moved or was cancelled."""
    zone = group.series.slot.zone if group.series is not None else None
    if meeting.status is MeetingStatus.CANCELLED:
        return f"{day_said(meeting.planned)} (cancelled)"
    if meeting.status is MeetingStatus.MOVED:
        return f"{day_said(meeting.start.astimezone(zone) if zone else meeting.start)} (moved)"
    return day_said(meeting.planned)


def _meeting_change(group: Group, meeting: Occurrence) -> str:
    """One line on a meeting a leader moved or cancelled, with their note."""
    note = f": {meeting.note}" if meeting.note else ""
    if meeting.status is MeetingStatus.CANCELLED:
        return f"- The meeting of {day_said(meeting.planned)} is cancelled{note}."
    zone = group.series.slot.zone if group.series is not None else None
    return f"- The meeting of {day_said(meeting.planned)} moved to {moment_said(meeting.start, zone)}{note}."


def meetings_by_member(group: Group, meetings: Sequence[Occurrence]) -> str:
    """The next meetings as each member sees them on their own clock, marked where they cannot make
    one, with why below."""
    title = f"Next {len(meetings)} meetings, in each member's local time"
    headers = ["Member", "Zone", *(_meeting_label(group, m) for m in meetings)]
    away = [{} if m.status is MeetingStatus.CANCELLED else cannot_make(group, m) for m in meetings]
    rows = []
    left_out: list[str] = []
    for member in sorted(group.members.values(), key=lambda m: (m.zone.key if m.zone else "~", m.surname)):
        zone = member.zone
        marks = [f" {CANNOT}" if member.id in cannot else "" for cannot in away]
        if zone is None:
            left_out.append(f"- {member.lacks('zone')}: their local times are not shown")
            rows.append([member.name, "(unknown)", *(f"-{mark}" for mark in marks)])
            continue
        rows.append(
            [
                member.name,
                zone.key,
                *(
                    "cancelled"
                    if m.status is MeetingStatus.CANCELLED
                    else f"{m.start.astimezone(zone):%a %H:%M}{mark}"
                    for m, mark in zip(meetings, marks, strict=True)
                ),
            ]
        )
    parts = [heading(title), table(headers, rows)]
    reasons = [
        f"- {group.members[mid].name}, {_meeting_label(group, m)}: {why}"
        for m, cannot in zip(meetings, away, strict=True)
        for mid, why in sorted(cannot.items(), key=lambda item: group.members[item[0]].name)
    ]
    if reasons:
        parts.append(f"\nWho cannot make which meeting (marked {CANNOT} above)\n" + "\n".join(reasons))
    else:
        parts.append("\nEvery member can make every one of these meetings.")
    changed = [_meeting_change(group, m) for m in meetings if m.status in _CHANGED]
    if changed:
        parts.append("\n" + "\n".join(changed))
    if left_out:
        parts.append("\n" + "\n".join(left_out))
    return "\n".join(parts)


def incomplete(holds: Sequence[Hold], problems: Sequence[Problem]) -> str:
    """What a report says at its top when it depends on rows that cannot be read yet."""
    lines = [
        "NOT THE WHOLE ANSWER: this report depends on rows that cannot be read yet, so what",
        "follows leaves them out. Fix them (see the Problems tab) and run the report again:",
    ]
    for hold in holds:
        found = [p for p in problems if p.tab == hold.tab and p.row == hold.row]
        said = "; ".join(f"{p.column}: {p.reason}" if p.column else p.reason for p in found[:2])
        lines.append(f"  - {hold.where}" + (f": {said}" if said else ""))
    return "\n".join(lines) + "\n"


def not_whole(holds: Sequence[Hold], *, outputs_cells: int = 0) -> str:
    """The one sentence a report FILE (HTML, Markdown, Word, a chart) carries at its top while
    ``holds`` keep rows out of it, or ``outputs_cells`` Outputs cells it uses cannot be read (one of
    them non-empty): how many, and where to look; no row's content, so no email."""
    rows = len({(h.tab, h.row) for h in holds})
    said = []
    if rows:
        said.append("1 row of the tracker" if rows == 1 else f"{rows} rows of the tracker")
    if outputs_cells:
        said.append(
            "1 cell of the Outputs tab" if outputs_cells == 1 else f"{outputs_cells} cells of the Outputs tab"
        )
    return (
        f"Not the whole answer: {' and '.join(said)} cannot be read yet, so this report leaves them out "
        "(see the Problems tab; fix them and make the report again)."
    )


def unread_outputs(cells: Sequence[tuple[str, str]]) -> str:
    """What a report says at its top while Outputs cells it uses (``(output ID, field)``) cannot be
    read yet."""
    lines = [
        "NOT THE WHOLE ANSWER: these cells of the Outputs tab cannot be read yet, so the report says",
        "'could not be read' where they would be. Fix them (see the Problems tab) and run it again:",
    ]
    lines += [f"  - {output}: {field}" for output, field in cells]
    return "\n".join(lines) + "\n"


def missing_beside_jats(output: str, missing: Sequence[str]) -> list[str]:
    """The lines said under a JATS file's "Wrote": what ``output`` still lacks for submission (the
    JATS file has no place for it); none when nothing is missing."""
    if not missing:
        return []
    return [
        f"  Still missing for submission of {output} (not in the JATS file):",
        *(f"    - {m}" for m in missing),
    ]


def held_data(holds: Sequence[Hold], problems: Sequence[Problem]) -> list[dict[str, object]]:
    """The rows a report waits for, for scripts (``--format json``)."""
    return [
        {
            "tab": h.tab,
            "row": h.row,
            "problems": [
                {"column": p.column, "problem": p.reason}
                for p in problems
                if p.tab == h.tab and p.row == h.row
            ],
        }
        for h in holds
    ]


def decision_data(decision: AuthorshipDecision) -> dict[str, object]:
    """An authorship decision for scripts (``--format json``)."""
    return {
        "output": decision.output.id,
        "title": decision.output.title,
        "total_points": str(decision.total_points),
        "threshold": str(decision.threshold),
        "authors": [
            {
                "position": a.position,
                "member": a.member_id,
                "points": str(a.points),
                "share": str(a.share),
                "fixed": a.fixed,
                "placed": a.placed,
                "tied_with": list(a.tied_with),
                "equal_first": a.equal_first,
                "roles": [{"role": r.role.value, "degree": r.degree.value} for r in a.roles],
            }
            for a in decision.authors
        ],
        "acknowledged": [
            {
                "member": a.member_id,
                "points": str(a.points),
                "missing": [c.value for c in a.missing],
                "below_threshold": a.below_threshold,
            }
            for a in decision.acknowledged
        ],
        "no_authors_because": why_no_authors(decision),
        "tie_breaks": list(decision.tie_breaks),
        "carry_over": {m: str(t.shown) for m, t in sorted(decision.carry_over.items())},
        "notes": list(decision.notes),
        "credit_statement": decision.contribution_statement(),
        "jats": decision.jats(),
    }


def init_done(
    workbook: Path,
    config: Path,
    key: Path | None = None,
    *,
    kept: bool = False,
    found: bool = True,
    name: str | None = None,
    named: bool = False,
) -> str:
    """What ``init --local`` did; ``found`` is whether later commands find ``config`` without --config
    (it is ./braingain.toml), else the next steps name it; ``name`` is the group's name written in a
    new ``config``, ``named`` whether it was given (--name) rather than taken from the workbook's."""
    flag = "" if found else f" --config {shlex.quote(str(config))}"
    if kept:
        settings = f"Kept {config}: it already points at this workbook. Your settings there are unchanged"
        settings += ", so --name was not applied: edit [group] name there.\n" if named else ".\n"
    else:
        settings = f"Settings are in {config}: set your meeting slot and authorship rules there.\n"
        if name is not None:
            settings += f'The group is called "{name}"'
            settings += (
                ".\n"
                if named
                else " (from the workbook's name): pass --name or edit [group] name to change it.\n"
            )
    return (
        f"Created {workbook}.\n"
        + settings
        + _key_line(key)
        + "Next: add your members and projects to the workbook, then run "
        f"`braingain plan{flag}` and `braingain sync{flag}`."
    )


def _key_line(key: Path | None) -> str:
    if key is None:
        return ""
    return (
        f"The group's state key is in {key}: braingain needs it to trust its memory of the tracker. Keep "
        "it there (and on every machine that syncs), never in the tracker or braingain.toml.\n"
    )


def key_made(key: Path | None, folder: Path) -> str:
    if key is None:
        return (
            f"A state key ({STATE_KEY}) is already set, in the environment or in {folder / '.env'}: "
            "nothing was changed."
        )
    return _key_line(key).rstrip() + (
        "\nThe next sync finds braingain's memory without its checksum, so it rebuilds it from the tabs "
        "once, and says so; from then on a change made to it by hand is found out."
    )


def sealed_without_key(location: str) -> tuple[str, str]:
    """Message and hint: the tracker's memory is sealed with a key, and this sync has none."""
    return (
        f"braingain's memory of {location} is sealed with the group's key, but {STATE_KEY} is not set "
        "here, so the sync wrote nothing (without the key it would drop the seal, and the memory "
        "could then be changed by hand unnoticed)",
        f"run braingain next to the group's .env (where `braingain init` put the key), or set {STATE_KEY} "
        "to the group's key on this machine; `plan` and the reports still work without it",
    )


NO_KEY = (
    f"Note: braingain's memory of this tracker is not protected by a checksum ({STATE_KEY} is not set): "
    "a change made to it by hand would not be found out. Run `braingain init --key` next to braingain.toml "
    "to make a key (see docs/authorship.md)."
)


def demo_intro(group: Group, workbook: Path, now: datetime) -> str:
    countries = len({m.country.code for m in group.members.values() if m.country})
    return (
        f"braingain demo on {day_said(now)}: the sample group "
        f"({len(group.members)} invented members in {countries} countries, "
        f"{len(group.leaders())} co-leaders, {len(group.projects)} projects, "
        f"{len(group.tasks)} tasks) in the local workbook {workbook}."
    )


def demo_reports(paths: Sequence[Path]) -> str:
    """What ``make demo`` wrote to the reports folder, a line each, the one HTML report first."""
    if not paths:
        return ""
    folder = paths[0].parent
    ordered = sorted(paths, key=lambda p: (p.name != "report.html", p.name))
    return "\n".join(
        [
            heading("Reports"),
            f"In {folder}:",
            *(f"  {p.name}" for p in ordered),
            "report.html is the one to open first: the group, each project's Gantt chart, the points and the",
            "next meetings, in one file to print or send. The -title-page.docx files are title pages a",
            "co-author can paste from; the -authors.xml files are the JATS author lists journals ask for.",
        ]
    )


def demo_outro(workspace: Path) -> str:
    return (
        f"\nOpen {workspace / 'braingain.xlsx'} in Excel or LibreOffice to see the tracker braingain keeps.\n"
        f"The calendar invitations of the meetings ahead are in {workspace / 'outbox' / 'invitations'}: "
        "open one to add the meeting to your calendar.\n"
        f"Slack messages and emails are in {workspace / 'outbox' / 'slack'} and "
        f"{workspace / 'outbox' / 'email'}.\n"
        "The group's folders, as they would be on Google Drive (a folder per project with its stages and "
        f"minutes, and who each is shared with), are in {workspace / 'drive'}.\n"
        f"Try: .venv/bin/braingain plan --config {workspace / 'braingain.toml'}"
    )


DEMO_MARK = "# The demo workspace: the sample group in a local workbook."
"""The first line of a demo workspace's braingain.toml (so that a demo only ever replaces a demo)."""


def demo_config(group: Group, *, demo: bool = True) -> str:
    """The sample group's braingain.toml, from its own settings; marked as the demo's with ``demo``."""
    series = group.series
    lines = [
        DEMO_MARK if demo else "# The sample group's settings (braingain init --sample).",
        "[group]",
        f'name = "{group.name}"',
        f"open_task_limit = {group.open_task_limit or 3}",
        "",
        "[authorship]",
        f"min_share = {group.policy.min_share or 0}",
        f"project_lead_last = {'true' if group.policy.project_lead_last else 'false'}",
        "",
        "[tracker]",
        'backend = "local"',
        'path = "braingain.xlsx"',
    ]
    if series is not None:
        slot = series.slot
        lines += [
            "",
            "[meetings]",
            f'day = "{slot.weekday.short}"',
            f'time = "{slot.start // 60:02d}:{slot.start % 60:02d}"',
            f'zone = "{slot.zone.key}"',
            f"length_minutes = {slot.length}",
            f'first = "{series.first.isoformat()}"',
            f'series_id = "{series.id}"',
        ]
    return "\n".join(lines) + "\n"


def google_created(
    spreadsheet_id: str,
    *,
    shared: bool,
    key: Path | None = None,
    adopted: bool = False,
    signed_in: bool = False,
    config: Path | None = None,
    name: str | None = None,
    kept: Path | None = None,
    named: bool = False,
) -> str:
    """What ``init --google`` did: the sheet made (or adopted), the configuration written (``config``)
    with the group's ``name`` in it, or the one ``kept`` as it was (so a ``named`` group's --name was
    not applied), the state key made (``key``), and who can open the sheet."""
    lines = [
        f"Made the Google Sheet {spreadsheet_id} your tracker."
        if adopted
        else f"Created the Google Sheet {spreadsheet_id}.",
        f"Wrote {config}, the group's settings, pointing at it: read it through and set your meeting slot."
        if config is not None
        else "Put its id in braingain.toml: "
        f'[tracker] backend = "google" and spreadsheet_id = "{spreadsheet_id}".',
    ]
    if config is not None and name is not None:
        lines.append(f'The group is called "{name}": edit [group] name in {config} to change it.')
    if kept is not None and named:
        lines.append(
            f"{kept} was already there and is kept as it is, so --name was not applied: edit "
            "[group] name there."
        )
    if key is not None:
        lines.append(_key_line(key).rstrip())
    if adopted or signed_in:
        lines.append(
            "It is yours: open it at https://docs.google.com/spreadsheets/d/"
            f"{spreadsheet_id}/edit and share it with your group from its Share button."
        )
    elif not shared:
        lines.append(
            "Nobody else can open it yet: run init again with --share-with YOUR@EMAIL, "
            "or share it from Google Drive."
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Two syncs at once
# --------------------------------------------------------------------------------------------

_AGAIN = (
    "let it finish, then run braingain sync again: it works everything out afresh from what is there; "
    "to let a sync wait longer for another, pass --wait SECONDS"
)


def busy_workbook(workbook: Path, lock: Path) -> tuple[str, str]:
    """Message and hint: another sync holds the local workbook's lock file ``lock``."""
    return (
        f"another braingain sync of {workbook} is running (it holds the lock {lock.name} next to it), "
        "so this sync wrote nothing",
        f"{_AGAIN}. The lock ends with the process that holds it, so it is never left behind by a sync "
        "that was stopped; the hidden lock file itself is harmless",
    )


def lock_refused(workbook: Path, lock: Path, why: str) -> tuple[str, str]:
    """Message and hint: the lock file exists but this user may not use it."""
    return (
        f"cannot take the lock {lock} that keeps two syncs of {workbook} apart: {why}; nothing was written",
        f"let every account that syncs this workbook write the lock file (chmod a+rw {lock}), or delete it "
        "when no sync is running",
    )


def busy_google(spreadsheet: str, since: datetime | None, until: datetime) -> tuple[str, str]:
    """Message and hint: another sync's lease on the Google Sheet has not ended."""
    started = f"since {since:%H:%M:%S} UTC, " if since is not None else ""
    return (
        f"another braingain sync is writing to the Google Sheet {spreadsheet} ({started}until "
        f"{until:%H:%M:%S} UTC at the latest), so this sync wrote nothing",
        f"{_AGAIN}. A sync that was stopped half-way holds the sheet only until then",
    )


def raced_google(spreadsheet: str) -> tuple[str, str]:
    """Message and hint: another sync wrote between this sync's read and its write."""
    return (
        f"another braingain sync wrote to the Google Sheet {spreadsheet} while this sync was working out "
        "its changes, so this sync wrote nothing (its changes came from what the sheet held before)",
        "run braingain sync again: it starts from what is there now; "
        "with --wait SECONDS a sync tries again by itself",
    )


_STATUS_WORDS = {
    "intact": "intact",
    "edited": "EDITED on the tab (the recorded entry counts)",
    "moved": "MOVED on the tab",
    "deleted": "DELETED from the tab (the sync writes it back)",
    "restored": "restored",
    "new": "new (recorded from this sync on)",
    "to add": "to be added by the sync",
    "not counted": "NOT COUNTED",
}


def ledger_trail(trail: Sequence[TrailItem], *, verify: bool, head: str | None, keyed: bool) -> str:
    """Every Ledger entry that counts (``braingain report ledger``); with ``verify``, each one's status
    against what braingain recorded, what differs, and the chain that records them all."""
    parts = [heading("The Ledger, checked against what braingain recorded" if verify else "The Ledger")]
    rows = []
    for item in trail:
        e = item.entry
        row = [
            str(item.row or "-"),
            item.id,
            e.kind.value if e else "",
            e.member_id if e else "",
            e.task_id or "" if e else "",
            str(e.points) if e else "",
            e.recorded_by if e else "",
        ]
        rows.append([*row, _STATUS_WORDS[item.status]] if verify else row)
    headers = ["Row", "Entry", "Kind", "Member", "Task", "Points", "Recorded by"]
    parts.append(table([*headers, "Status"] if verify else headers, rows, right=(0, 5)))
    if verify:
        details = [
            f"- {item.id}: "
            + "; ".join(f"{h} recorded {_said(was)}, now {_said(now)}" for h, was, now in item.changes)
            for item in trail
            if item.changes
        ]
        details += [
            f"- {item.id}: written back on {day_said(date.fromisoformat(item.restored_on))}"
            for item in trail
            if item.restored_on
        ]
        details += [
            f"- {item.id} (row {item.row}): {'; '.join(item.problems)}" for item in trail if item.problems
        ]
        if details:
            parts.append("\nWhat differs\n" + "\n".join(details))
        recorded = sum(1 for t in trail if t.status not in ("not counted", "to add"))
        parts.append(
            f"\n{recorded} recorded entr{'y' if recorded == 1 else 'ies'} shown"
            + (
                f"; the Ledger's fingerprint is {head[:12]} (it changes when any entry changes: compare it "
                "with an earlier one to see that nothing changed in between). "
                if head
                else ". "
            )
            + (
                "braingain's memory is sealed with the group's key."
                if keyed
                else f"braingain's memory is not sealed: {STATE_KEY} is not set."
            )
        )
    return "\n".join(parts)


def _said(value: str) -> str:
    return repr(value) if value else "empty"


def trail_data(item: TrailItem) -> dict[str, object]:
    """One Ledger entry for scripts (``report ledger --format json``)."""
    e = item.entry
    return {
        "id": item.id,
        "status": item.status,
        "row": item.row or None,
        "kind": e.kind.value if e else None,
        "member": e.member_id if e else None,
        "project": e.project_id if e else None,
        "task": e.task_id if e else None,
        "points": str(e.points) if e else None,
        "reason": e.reason if e else None,
        "recorded_by": e.recorded_by if e else None,
        "recorded_at": e.recorded_at.isoformat() if e else None,
        "corrects": e.corrects if e else None,
        "changes": [{"column": h, "recorded": was, "typed": now} for h, was, now in item.changes],
        "restored_on": item.restored_on or None,
        "link": item.link or None,
        "problems": list(item.problems),
    }


REPORT_HTML_OPEN = (
    "Open it in any web browser: it needs nothing else (no internet, no other file), prints on A4 or "
    "Letter, and can be sent as it is."
)


def group_data(counted: Roster) -> dict[str, object]:
    """The group report for scripts (``report group --format json``)."""
    return {
        "on": counted.on.isoformat(),
        "members": counted.members,
        "active": counted.active,
        "inactive": counted.inactive,
        "by_gender": dict(counted.by_gender),
        "by_country": dict(counted.by_country),
        "co_leaders": list(counted.co_leaders),
    }


# --------------------------------------------------------------------------------------------
# Signing in to Google (braingain login google / logout google)
# --------------------------------------------------------------------------------------------

SIGN_IN_PASTE_PROMPT = "Paste the address here and press Enter: "
SIGN_IN_BROWSER_DONE = "braingain is signed in to Google. You can close this tab and go back to braingain."


def sign_in_opened(url: str, *, opened: bool) -> str:
    """What to do while braingain waits for the browser to come back."""
    first = (
        "Your browser opened Google's sign-in page: choose your account and allow braingain."
        if opened
        else "Open this address in a browser on this computer, choose your account and allow braingain:"
    )
    also = "If it did not open, open this address yourself:" if opened else ""
    return "\n".join(
        line for line in (first, also, f"  {url}", "Waiting for the browser to come back...") if line
    )


def sign_in_paste(url: str) -> str:
    """The copy-paste way: open the address anywhere, paste back where the browser ended."""
    return "\n".join(
        [
            "Open this address in a browser on any device (a phone or another computer will do):",
            f"  {url}",
            "Choose your account and allow braingain. The browser then goes to an address starting with",
            "http://127.0.0.1:1/ that does not load: that is expected. Copy that whole address from the",
            "address bar and paste it here (or only the part after code=).",
        ]
    )


def signed_in(path: Path, permissions: Sequence[str]) -> str:
    """``braingain login google`` done: where the sign-in is kept, what braingain may do."""
    lines = [
        "Signed in to Google. braingain may now:",
        *(f"  - {p}" for p in permissions),
        f"The sign-in is kept in {path} (readable by you only), never in a group's folder.",
        "Next: braingain init --google (in your group's folder) to create your tracker;",
        "braingain logout google signs braingain out again.",
    ]
    return "\n".join(lines)


def signed_out(path: Path, *, was: bool, revoked: bool) -> str:
    """``braingain logout google`` done (or nothing to do)."""
    if not was:
        return f"braingain was not signed in to Google (there is no {path})."
    if revoked:
        return f"Signed out of Google: Google withdrew braingain's access, and {path} is deleted."
    return (
        f"Deleted {path}, but Google could not be reached to withdraw braingain's access: remove "
        "braingain at https://myaccount.google.com/connections to be sure."
    )


def no_drive_storage(action: str) -> tuple[str, str]:
    """A service account was refused a new file: Google gives service accounts no Drive storage."""
    return (
        f"could not {action}: Google does not let a service account own files (it has no Drive storage; "
        "Google says storageQuotaExceeded)",
        "either sign in as yourself: braingain login google, then braingain init --google "
        "(the sheet is then yours); or create an empty Google Sheet yourself, share it as an editor with "
        "the service account (the client_email in its key file) and run braingain init --google --adopt "
        "ADDRESS; or, on Google Workspace, put it in a shared drive (docs/google-setup.md)",
    )


# --- platforms (Zoom, invitations) ------------------------------------------------------------

ZOOM_OFF = (
    "Zoom is not set up, so meetings get no Zoom link. To have braingain create them, add "
    "ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET to .env (docs/zoom-setup.md)."
)
DEMO_ZOOM_OFF = (
    "Zoom is not set up here: the demo never uses Zoom (its members are invented), even when your "
    "ZOOM_ variables are set, so meetings get no Zoom link. For your own group, docs/zoom-setup.md."
)
SLACK_OFF = (
    "Slack is not set up: messages are written to {folder} (Block Kit and plain text) instead of being "
    "posted. To post them, install the group's Slack app and put SLACK_BOT_TOKEN and "
    "SLACK_SIGNING_SECRET in .env (docs/slack-setup.md)."
)
DRIVE_OFF = (
    "The tracker is the local workbook, so the group's folders are kept in {folder} (the same "
    "folders, a file per minutes) instead of on Google Drive. To keep them on Drive, move the "
    "tracker to Google (braingain init --google; docs/drive-setup.md)."
)
DRIVE_SERVICE_ACCOUNT = (
    "Drive is not set up: braingain signs in to Google with a service account, which owns nothing "
    "outside a shared drive, so the group's folders are not made. Either sign in as the leader with "
    "`braingain login google` (and remove GOOGLE_APPLICATION_CREDENTIALS from the environment and .env), "
    "so that the folders belong to the leader, or add the service account to a shared drive as Content "
    "manager and set parent under [drive] in braingain.toml to the shared drive's id "
    "(docs/drive-setup.md). To leave Drive alone, set enabled = false under [drive]."
)
MAIL_OFF = (
    "No mail server is set up: email is written to {folder} as .eml files instead of being sent. To "
    "send it, set smtp_host under [email] in braingain.toml and SMTP_USERNAME, SMTP_PASSWORD and "
    "SMTP_FROM in .env (docs/email-setup.md)."
)
PLATFORMS_HEADING = "On Zoom, in calendars, on Drive, on Slack and by email"
PLATFORMS_NOTHING = "Nothing to change on Zoom, in calendars or on Drive, and no message to send."
PLATFORM_NAMES = {
    "zoom": "On Zoom",
    "calendar": "Calendar invitations",
    "drive": "On Drive",
    "slack": "On Slack",
    "email": "By email",
}
"""Each platform's sub-heading in a plan or a sync's report, in the order a sync applies them."""
PLATFORMS_WAITING = "Waiting for the next sync (nothing more was done on that platform)"
PLATFORMS_REFUSED = "Refused (nothing was changed)"


def platforms_done_before(count: int) -> str:
    """What a sync whose tracker write failed had already done elsewhere (never lost: its journal)."""
    return (
        f"braingain had already made {count} change{'' if count == 1 else 's'} on Zoom, in the calendar "
        "invitations, on Drive or in messages; the next sync writes what they gave to the tracker, without "
        "making or sending them again"
    )


def platform_group(platform: str, count: int) -> str:
    """The sub-heading of one platform's changes: "On Drive (12)"."""
    return f"{PLATFORM_NAMES.get(platform, platform.capitalize())} ({count})"


def platform_lead(count: int, *, applied: bool) -> str:
    """The line above the platform actions of a plan or a sync."""
    things = f"{count} change{'' if count == 1 else 's'}"
    return f"Made {things}:" if applied else f"A sync would make {things}:"


# --- braingain serve ----------------------------------------------------------------------------


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def serve_synced(
    *, cells: int, done: int, refused: int, waiting: tuple[str, ...], problems: int, held: int
) -> str:
    """The one log line of a timed sync that ran: what changed, what waits and why."""
    changed = []
    if cells:
        changed.append(f"{_count(cells, 'cell')} written")
    if done:
        changed.append(f"{_count(done, 'change')} on the platforms")
    parts = [", ".join(changed) if changed else "nothing to change"]
    if refused:
        parts.append(f"{_count(refused, 'platform change')} refused")
    if waiting:
        parts.append(f"{_count(len(waiting), 'platform change')} wait ({'; '.join(sorted(set(waiting)))})")
    if held:
        parts.append(f"{_count(held, 'cell')} held back for the next sync (someone was typing)")
    if problems:
        parts.append(f"{_count(problems, 'problem')} on the Problems tab")
    return "sync: " + "; ".join(parts)


def serve_sync_failed(reason: str) -> str:
    """The log line of a timed sync that could not run (the next one tries again)."""
    return f"sync: not done ({reason}); the next sync tries again"


def serve_sync_bug(kind: str) -> str:
    return f"sync: not done (something went wrong inside braingain: {kind}); the next sync tries again"


SERVE_SLACK_OFF = (
    "Slack is not set up (no SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket "
    "Mode, in .env): serving the timed sync and the Zoom webhook only (docs/slack-setup.md)"
)


def serve_slack_partly(*, missing: str, given: str) -> str:
    """Slack half set up: ``missing`` names the variables to add, ``given`` those that are set."""
    if given == "SLACK_BOT_TOKEN":
        messages = "syncs still post the group's messages with the bot token"
    else:
        messages = "syncs write the group's messages to the outbox folder instead of posting them"
    return (
        f"the Slack app is not served: {given} is set but {missing} is missing in .env; {messages} "
        "(docs/slack-setup.md)"
    )


SERVE_SLACK_WAYS = "SLACK_SIGNING_SECRET (HTTP mode at /slack/events) or SLACK_APP_TOKEN (Socket Mode)"
"""What a bot token needs besides, for members' commands to reach braingain."""


def serve_slack_unreachable(reason: str, retry: float) -> str:
    """Socket Mode cannot reach Slack (said once until it is back); ``retry`` in seconds."""
    return (
        f"Slack cannot be reached ({reason}): members' commands and buttons wait; braingain tries again "
        f"in {retry:g} seconds, then less and less often (at most every {SERVE_RETRY_MOST:g} seconds); "
        "the timed sync goes on"
    )


SERVE_RETRY_MOST = 300.0
"""Seconds, at most, between two attempts to reach Slack in Socket Mode."""
SERVE_SLACK_BACK = "Slack is reached again: members' commands and buttons are answered"


def serve_app_token_refused(code: str) -> str:
    """Slack refused ``SLACK_APP_TOKEN`` (``code``: Slack's error, never the token)."""
    return (
        f"Slack refused SLACK_APP_TOKEN ({code}), so the Slack app is not served (the timed sync goes "
        "on): put the app-level token (xapp-..., with the connections:write scope, from the app's Basic "
        "Information page, App-Level Tokens) in .env as SLACK_APP_TOKEN, then start braingain serve "
        "again (docs/slack-setup.md)"
    )


SERVE_NO_SUCH_HOST = "no address of this machine has that name"


def serve_cannot_listen(address: str, reason: str, number: int | None) -> tuple[str, str]:
    """Why ``braingain serve`` cannot listen on ``address`` (``host:port``) and how to fix it
    (``number``: the system's error number)."""
    import errno

    if number == errno.EADDRINUSE:
        hint = (
            "another program already listens there: change [serve] port in braingain.toml, or stop the "
            "other program (another braingain serve?)"
        )
    elif number == errno.EACCES:
        hint = (
            "ports below 1024 need administrator rights: set [serve] port to 1024 or above in braingain.toml"
        )
    else:
        hint = (
            "this machine has no such address: set [serve] host in braingain.toml to 127.0.0.1 (this "
            "machine only) or 0.0.0.0 (every network)"
        )
    return f"cannot listen on {address}: {reason}", hint


SERVE_ZOOM_HOOK_OFF = "the Zoom webhook is off (no ZOOM_WEBHOOK_SECRET_TOKEN in .env; docs/zoom-setup.md)"


def serve_started(*, every: int, mode: str, address: str) -> str:
    """What ``braingain serve`` says when it starts: how it reaches Slack, where it listens, how often
    it syncs."""
    how = {"socket": "Slack in Socket Mode", "http": "Slack over HTTP at /slack/events"}.get(mode, "no Slack")
    return f"serving ({how}); listening on http://{address}; a sync every {_count(every, 'minute')}"


SERVE_STOPPING = "stopping: finishing the sync under way, if any"
SERVE_STOPPED = "stopped"
