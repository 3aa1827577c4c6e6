"""What braingain says in Slack, in one place.

Times are written with Slack's date token (``<!date^UNIX^{date_long_pretty} at {time}|FALLBACK>``),
so each reader sees their own zone; the fallback is the time in the meeting's zone, said with
:func:`braingain.core.words.moment_said`. No text here ever holds an email address: whatever a person
typed passes through :func:`escape` (or :func:`plain`), which blanks out anything that looks like one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal

from braingain.core.authorship.ledger import Standing
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.ids import MemberId, ProjectId
from braingain.core.schedule.digests import TaskLine
from braingain.core.tracker.schema import redact
from braingain.core.words import day_said, moment_said

# ----------------------------------------------------------------------------------------------
# Messages to channels and members (integrations/slack/blocks.py)
# ----------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """A person's words, safe in Slack's mrkdwn: anything that looks like an email address blanked
    out, then ``&``, ``<`` and ``>`` written as Slack asks (``&amp;``, ``&lt;``, ``&gt;``), so that
    nothing typed becomes a mention, a link or a broadcast."""
    return redact(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> str:
    """A person's words in a ``plain_text`` object (a header, a button): shown as written, except
    anything that looks like an email address."""
    return redact(text)


def slack_date(at: datetime, zone: tzinfo | None = None) -> str:
    """``at`` (aware) in each reader's own zone, with Slack's date token; the fallback (for clients
    that cannot show the token) is ``at`` on the clock of ``zone`` (else its own), in words."""
    fallback = escape(moment_said(at, zone))
    return f"<!date^{int(at.timestamp())}^{{date_long_pretty}} at {{time}}|{fallback}>"


def link(url: str, label: str) -> str:
    """A link with a label (``<url|label>``); a URL that Slack's link syntax cannot hold (or one too
    long to keep whole in a message) is shown as text."""
    if any(c in url for c in "<>| \n") or not url.startswith(("https://", "http://")) or len(url) > 1000:
        return f"{escape(label)}: {escape(url)}"
    return f"<{url.replace('&', '&amp;')}|{escape(label)}>"


def points_said(amount: Decimal) -> str:
    """``12.50 points`` (the ledger's two places, as every report shows them)."""
    return f"{amount} points"


def period_said(since: datetime, until: datetime, zone: tzinfo | None) -> str:
    """The days a digest covers: ``Monday 2 March 2026 to Monday 9 March 2026``."""
    first, last = since.astimezone(zone), until.astimezone(zone)
    return f"{day_said(first)} to {day_said(last)}"


CONTINUED = "… (continued in the tracker)"
"""The last line of a message cut to fit Slack's limits."""

VOLUNTEER_BUTTON = "Volunteer"
SUBMIT_BUTTON = "Submit work"
ACCEPT_BUTTON = "Accept"
REWORK_BUTTON = "Needs rework"
JOIN = "Join the meeting"

TASK_OPENED = "New task"
TASK_SELECTED = "Volunteers selected"
TASK_SUBMITTED = "Work submitted for review"
TASK_ACCEPTED = "Work accepted"
DISPUTE_RAISED = "Dispute raised"
DISPUTE_RESOLVED = "Dispute resolved"
MINUTES = "Minutes"
GROUP_DIGEST = "Weekly digest"
MEMBER_DIGEST = "Your braingain digest"

PROJECT = "Project"
STAGE = "Stage"
POINTS = "Points"
DUE = "Due"
PLACES = "Places"
SUPERVISOR = "Supervisor"
TEAM = "Team"
CREDIT = "CRediT role"
DELIVERABLE = "Deliverable"
CRITERIA = "Acceptance criteria"
NO_CRITERIA = "(none given)"
ANY_NUMBER = "no limit"
REASON = "Reason"
DECISIONS = "Decisions"
ACTIONS = "Action items"
AGENDA = "Agenda"
AWAY = "Said they are away"
ABSENT = "Missed the meeting (catch up here)"
NEEDING_VOLUNTEERS = "Tasks that need volunteers"
NEWLY_ACCEPTED = "Work accepted this week"
DEADLINES = "Upcoming deadlines"
PROGRESS = "Progress"
POINTS_TABLE = "Points (top of each project)"
MY_TASKS = "Your tasks"
MY_OFFERS = "Tasks you offered for"
OFFERS_RANKED = "A leader assigns each task after the sync ranks its offers."
TO_REVIEW = "Awaiting your review"
CAN_VOLUNTEER = "Tasks you could volunteer for"
POINTS_AWARDED = "Points awarded to you"
MY_DISPUTES = "Your disputes"
NEXT_MEETING = "Next meeting"
MY_ACTIONS = "Your action items"
NOTHING = "Nothing this week."
NO_MINUTES = "(no minutes written)"


def task_title(task_id: str, title: str) -> str:
    """``T12 · Screen the records`` (plain text)."""
    return f"{task_id} · {plain(title)}"


def head_said(name: str) -> str:
    return f"{name} (head)"


def places_said(cap: int | None, offers: int) -> str:
    """A task's places and its offers so far: ``3 places, 2 left (1 offer so far)``; once every place
    is offered for, ``2 places, 5 offers so far: the sync ranks them`` (never "0 left" beside a
    Volunteer button: more offers are still ranked)."""
    so_far = f"{_offers(offers)} so far"
    if cap is None:
        return f"{ANY_NUMBER} ({so_far})"
    if offers >= cap:
        return f"{_places(cap)}, {so_far}: the sync ranks them"
    return f"{_places(cap)}, {cap - offers} left ({so_far})"


def _places(n: int) -> str:
    return f"{n} place{'' if n == 1 else 's'}"


def _offers(n: int) -> str:
    return f"{n} offer{'' if n == 1 else 's'}"


def opened_context(task_id: str, when: str) -> str:
    return f"Opened {when}. Volunteer with the button, or `/braingain volunteer {task_id}`."


def selected_context(task_id: str, when: str) -> str:
    return (
        f"Chosen {when}. The mini-team head submits the work when it meets the criteria: the button, "
        f"or `/braingain submit {task_id}`."
    )


def submitted_context(when: str) -> str:
    return (
        f"Submitted {when}. A leader who did not work on it accepts it or asks for rework "
        "(only leaders can press these)."
    )


def submitted_note(note: str) -> str:
    return f"*Note from the team:* {escape(note)}"


def accepted_context(when: str) -> str:
    return f"Accepted {when}. Points are on the Ledger tab; `/braingain points` shows the table."


def award_line(who: str, amount: Decimal) -> str:
    return f"• {who}: {points_said(amount)}"


def split_line(who: str, amount: Decimal) -> str:
    return f"• {who}: {points_said(amount)} (recorded at the next sync)"


def dispute_title(dispute_id: str, project: str) -> str:
    return f"{dispute_id} · {plain(project)}"


def dispute_raised(who: str, about: str) -> str:
    return f"{who} questions their points for {about}."


def dispute_about(entry: str | None, task: str | None) -> str:
    if entry:
        return f"Ledger entry {escape(entry)}"
    if task:
        return f"task {escape(task)}"
    return "the project"


def dispute_raised_context(when: str, dispute_id: str) -> str:
    return f"Raised {when}. A leader resolves {dispute_id} with a note (Disputes tab)."


def dispute_resolved(who: str, outcome: str, member: str) -> str:
    return f"{who} resolved it: *{escape(outcome)}*. Raised by {member}."


def resolved_context(when: str) -> str:
    return f"Resolved {when}."


def reminder_header(day: date) -> str:
    """The reminder's title: the meeting's day (never "in 7 days": a reminder sent late would say
    it wrong; the time itself is a date token in the message)."""
    return f"Group meeting: {day_said(day)}"


def meeting_when(when: str, minutes: int) -> str:
    return f"*When:* {when} ({minutes} minutes)"


def meeting_moved(note: str) -> str:
    return f":arrows_counterclockwise: This meeting was moved. {escape(note)}".rstrip()


def agenda_line(title: str, who: str, late: bool) -> str:
    return f"• {escape(title)} ({who}{', added late' if late else ''})"


def minutes_header(day: str) -> str:
    return f"Minutes of the meeting of {day}"


def action_line(title: str, who: str, due: str | None) -> str:
    return f"• {escape(title)}: {who}" + (f", due {due}" if due else "")


def digest_header(period: str) -> str:
    return f"{GROUP_DIGEST}: {period}"


def progress_line(title: str, accepted: int, total: int, percent: int, amount: Decimal) -> str:
    return f"*{escape(title)}*: {accepted} of {total} tasks accepted ({percent}%), {points_said(amount)}"


def milestone_said(name: str, day: str) -> str:
    return f"next milestone: {escape(name)}, {day}"


def task_line(task_id: str, title: str, details: str) -> str:
    return f"• *{task_id}* {escape(title)}" + (f" ({details})" if details else "")


def offers_said(volunteers: int, places: int | None) -> str:
    """``1 offer for 2 places``; ``5 offers for 2 places: all offered for, the sync ranks them``;
    ``3 offers so far, no limit``."""
    if places is None:
        return f"{_offers(volunteers)} so far, {ANY_NUMBER}"
    said = f"{_offers(volunteers)} for {_places(places)}"
    return f"{said}: all offered for, the sync ranks them" if volunteers >= places else said


def due_said(day: str) -> str:
    return f"due {day}"


OVERDUE = ":warning: overdue"


def deadline_line(day: str, what: str, project: str) -> str:
    return f"• {day}: {escape(what)} ({escape(project)})"


def standing_line(rank: int, who: str, amount: Decimal, tasks: int) -> str:
    return f"{rank}. {who}: {points_said(amount)} ({tasks} task{'' if tasks == 1 else 's'})"


REVIEW_HOW = (
    "Accept the work or send it back with the buttons, or `/braingain accept TASK` and "
    "`/braingain rework TASK note`. A leader never reviews work they contributed to."
)


YOU = "you"
"""A member named in their own message (their digest, reminder, minutes): never a mention of themselves."""


def member_digest_header(period: str) -> str:
    return f"{MEMBER_DIGEST}: {period}"


def award_said(amount: Decimal, reason: str, project: str) -> str:
    return f"• {points_said(amount)} for {escape(reason)} ({escape(project)})"


def dispute_line(dispute_id: str, status: str, about: str) -> str:
    return f"• {dispute_id} ({status}): {about}"


def missed_line(day: str) -> str:
    return f"*You missed the meeting of {day}.* Here is what happened:"


def reminder_dm_header(day: date) -> str:
    return f"Reminder: group meeting on {day_said(day)}"


AWAY_YOU = "You said you are away that day: nothing to do, unless that changed."


MISSED_YOU = "You missed this meeting: here is what happened, so that you can catch up."


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
            f"`{escape(unknown)}` is not a braingain command."
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


AWAY_USAGE = "availability away FROM [UNTIL] [reason]"


def needs(usage: str) -> str:
    """A subcommand given without what it needs."""
    return f"That needs more: `/braingain {usage}`."


def not_a_date(word: str) -> str:
    return f"`{escape(word)}` is not a date: write it as YYYY-MM-DD, e.g. 2027-03-01."


def refused(reason: str, hint: str) -> str:
    """An action refused: why, and what to do."""
    return f":no_entry: {reason}" + (f"\n{hint[:1].upper()}{hint[1:]}." if hint else "")


def done(words: str) -> str:
    return f":white_check_mark: {words}"


APP_REFUSED = (
    ":warning: braingain cannot answer just now: Slack refused its bot token. Ask the group's leader to "
    "check SLACK_BOT_TOKEN (docs/slack-setup.md); nothing was changed."
)
"""The answer when Slack refuses the bot token (revoked, or the app uninstalled)."""


def failed() -> str:
    return ":warning: braingain could not do that just now; nothing was changed. Try again in a minute."


def reply_task_line(line: TaskLine) -> str:
    """One task: its id, title and project, when it is due, its status or its places."""
    parts = [f"*{line.task_id}* {escape(line.title)} ({line.project_id})"]
    if line.due is not None:
        parts.append(("overdue since " if line.overdue else "due ") + day_said(line.due))
    parts.append(line.status.value)
    offers = f"{line.volunteers} volunteer{'' if line.volunteers == 1 else 's'}"
    if line.status is TaskStatus.OPEN and line.places is not None:
        full = ": all offered for, the sync ranks them" if line.full else ""
        parts.append(f"{offers} for {_places(line.places)}{full}")
    elif line.status is TaskStatus.OPEN and line.volunteers:
        parts.append(offers)
    return " · ".join(parts)


def task_lines(lines: Sequence[TaskLine], *, none: str) -> str:
    return "\n".join(f"• {reply_task_line(line)}" for line in lines) if lines else none


def my_points(points: Sequence[tuple[ProjectId, Decimal]]) -> str:
    """A member's points per project."""
    if not points:
        return "No points yet: they come with accepted tasks."
    return "\n".join(f"• {project}: {value} point{'' if value == 1 else 's'}" for project, value in points)


def points_table(
    table: Iterable[tuple[ProjectId, Sequence[Standing]]], names: Mapping[MemberId, str] | None = None
) -> str:
    """The points of each project, each member's standing (by name when ``names`` has it), highest first."""
    table = list(table)
    names = names or {}
    if not table:
        return "No points have been awarded yet."
    lines: list[str] = []
    for project, standings in table:
        lines.append(f"*{project}*")
        lines += [
            f"{place}. {escape(names.get(s.member_id, s.member_id))}: "
            f"{s.points} point{'' if s.points == 1 else 's'} "
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
    return "*Your availability*\n" + "\n".join(f"• {escape(line)}" for line in lines)


NO_TASKS = "You have no tasks at the moment. `/braingain tasks` lists those that need volunteers."
OPEN_TASKS = "Tasks that need volunteers"
NO_OPEN_TASKS = "No task needs volunteers at the moment."
MY_POINTS = "Your points"
NO_MEETING = "No meeting is planned yet."


REWORK_TITLE = "Needs rework"
REWORK_LABEL = "What needs doing"
REWORK_PLACEHOLDER = "Say what to change, so the volunteers can finish it"
REWORK_SEND = "Send back"
CANCEL = "Cancel"
REWORK_EMPTY = "Say what needs doing."


def rework_not_recorded(refusal: str, note: str) -> str:
    """The Home tab's notice when a rework note could not be recorded: why, and the note as typed."""
    return f"{refusal}\nYour note was not recorded; here it is to send again:\n>{escape(note)}"


def rework_intro(task: str) -> str:
    return f"Send the work on {escape(task)} back to its volunteers, with a note."


def next_meeting(start: datetime, join_url: str | None) -> str:
    line = slack_date(start)
    return f"{line}\n<{join_url}|{JOIN}>" if join_url else line
