"""What braingain says in Slack, in one place.

Times are written with Slack's date token (``<!date^UNIX^{date_long_pretty} at {time}|FALLBACK>``),
so each reader sees their own zone; the fallback is the time in the meeting's zone, said with
:func:`braingain.core.words.moment_said`. No text here ever holds an email address.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from braingain.core.authorship.ledger import Standing
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.ids import ProjectId
from braingain.core.schedule.digests import TaskLine
from braingain.core.words import day_said, moment_said

# ----------------------------------------------------------------------------------------------
# The app's replies: /braingain, the Home tab, buttons and the rework modal (integrations/slack/app.py)
# ----------------------------------------------------------------------------------------------

COMMAND_HELP: tuple[tuple[str, str], ...] = (
    ("tasks", "the open tasks that need volunteers"),
    ("volunteer TASK [note]", "offer to do a task, e.g. `/braingain volunteer T12 I did the last review`"),
    ("my", "your tasks and your points"),
    ("submit TASK [note]", "hand in your work on a task for review"),
    ("points [PROJECT]", "authorship points, of the group or of one project"),
    ("dispute ENTRY reason", "dispute a Ledger entry, e.g. `/braingain dispute L7 my share is missing`"),
    ("excuse MEETING", "say you cannot come to a meeting (its date, e.g. 2027-01-16)"),
    ("availability", "your dates away; `availability away FROM [UNTIL] [reason]` adds some"),
    ("help", "this list"),
)
"""Every member's subcommands, with what each does."""

LEADER_HELP: tuple[tuple[str, str], ...] = (
    ("accept TASK [note]", "accept submitted work (the points are awarded at the next sync)"),
    ("rework TASK note", "send submitted work back, saying what needs doing"),
)
"""The leaders' subcommands."""


def help_text(*, leader: bool, unknown: str = "", closest: str = "") -> str:
    """The list of subcommands (with the leaders' for a leader); first, for a word that is not one,
    what it was and the closest subcommand."""
    lines: list[str] = []
    if unknown:
        lines.append(
            f"`{_plain(unknown)}` is not a braingain command."
            + (f" Did you mean `{closest}`?" if closest else "")
        )
    lines.append("*/braingain* commands:")
    lines += [f"• `{usage}`: {about}" for usage, about in COMMAND_HELP]
    if leader:
        lines.append("For leaders:")
        lines += [f"• `{usage}`: {about}" for usage, about in LEADER_HELP]
    return "\n".join(lines)


LEADERS_ONLY = "Only a leader can send work back for rework."
LEADERS_ONLY_HINT = "ask one of the group's leaders"


def needs(usage: str) -> str:
    """A subcommand given without what it needs."""
    return f"That needs more: `/braingain {usage}`."


def not_a_date(word: str) -> str:
    return f"`{_plain(word)}` is not a date: write it as YYYY-MM-DD, e.g. 2027-03-01."


def refused(reason: str, hint: str) -> str:
    """An action refused: why, and what to do."""
    return f":no_entry: {reason}" + (f"\n{hint[:1].upper()}{hint[1:]}." if hint else "")


def done(words: str) -> str:
    return f":white_check_mark: {words}"


def failed() -> str:
    return ":warning: braingain could not do that just now; nothing was changed. Try again in a minute."


def slack_date(at: datetime) -> str:
    """An aware ``at`` in each reader's own zone (Slack's date token); the fallback (a client that
    cannot show the token) is ``at`` in its own zone, the meeting's."""
    return f"<!date^{int(at.timestamp())}^{{date_long_pretty}} at {{time}}|{moment_said(at)}>"


def task_line(line: TaskLine) -> str:
    """One task: its id, title and project, when it is due, its status or its places."""
    parts = [f"*{line.task_id}* {_plain(line.title)} ({line.project_id})"]
    if line.due is not None:
        parts.append(("overdue since " if line.overdue else "due ") + day_said(line.due))
    parts.append(line.status.value)
    offers = f"{line.volunteers} volunteer{'' if line.volunteers == 1 else 's'}"
    if line.status is TaskStatus.OPEN and line.places is not None:
        parts.append(f"{offers} for {line.places} place{'' if line.places == 1 else 's'}")
    elif line.status is TaskStatus.OPEN and line.volunteers:
        parts.append(offers)
    return " · ".join(parts)


def task_lines(lines: Sequence[TaskLine], *, none: str) -> str:
    return "\n".join(f"• {task_line(line)}" for line in lines) if lines else none


def my_points(points: Sequence[tuple[ProjectId, Decimal]]) -> str:
    """A member's points per project."""
    if not points:
        return "No points yet: they come with accepted tasks."
    return "\n".join(f"• {project}: {value} point{'' if value == 1 else 's'}" for project, value in points)


def points_table(table: Sequence[tuple[ProjectId, Sequence[Standing]]]) -> str:
    """The points of each project, each member's standing, highest first."""
    if not table:
        return "No points have been awarded yet."
    lines: list[str] = []
    for project, standings in table:
        lines.append(f"*{project}*")
        lines += [
            f"{place}. {s.member_id}: {s.points} point{'' if s.points == 1 else 's'} "
            f"({s.accepted_tasks} task{'' if s.accepted_tasks == 1 else 's'})"
            for place, s in enumerate(standings, 1)
        ] or ["no points yet"]
    return "\n".join(lines)


def availability(lines: Sequence[str]) -> str:
    if not lines:
        return (
            "You have given no weekly windows or dates away. "
            "`/braingain availability away FROM [UNTIL] [reason]` adds dates away."
        )
    return "*Your availability*\n" + "\n".join(f"• {_plain(line)}" for line in lines)


HOME_TITLE = "braingain"
MY_TASKS = "Your tasks"
NO_TASKS = "You have no tasks at the moment. `/braingain tasks` lists those that need volunteers."
OPEN_TASKS = "Tasks that need volunteers"
NO_OPEN_TASKS = "No task needs volunteers at the moment."
MY_POINTS = "Your points"
NEXT_MEETING = "Next meeting"
NO_MEETING = "No meeting is planned yet."
JOIN = "Join on Zoom"
NOT_A_MEMBER_HOME = "This Slack account is not on the group's Members tab yet."

VOLUNTEER = "Volunteer"
SUBMIT = "Submit"
ACCEPT = "Accept"
REWORK = "Needs rework"

REWORK_TITLE = "Needs rework"
REWORK_LABEL = "What needs doing"
REWORK_PLACEHOLDER = "Say what to change, so the volunteers can finish it"
REWORK_SEND = "Send back"
CANCEL = "Cancel"
REWORK_EMPTY = "Say what needs doing."


def rework_intro(task: str) -> str:
    return f"Send the work on {_plain(task)} back to its volunteers, with a note."


def next_meeting(start: datetime, join_url: str | None) -> str:
    line = slack_date(start)
    return f"{line}\n<{join_url}|{JOIN}>" if join_url else line


def _plain(text: str) -> str:
    """A person's words shown back without Slack markup (&, <, > escaped as Slack asks)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
