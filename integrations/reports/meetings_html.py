"""The next meetings, as an HTML section: each one on the clock of every zone the group lives in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from braingain.core.group import Group
from braingain.core.schedule.meetings import MeetingStatus, Occurrence
from braingain.core.words import day_said
from braingain.integrations.reports.html_page import Section, paragraph, table_html

NO_SERIES = (
    "The group has no meeting series yet: add one on the Meetings tab's first row to see meetings here."
)
NO_MEETINGS = "No meetings are scheduled in the next six months."


def upcoming(group: Group, at: datetime, count: int) -> list[Occurrence]:
    """The next ``count`` meetings starting after ``at`` (within 26 weeks), cancelled ones included."""
    return [m for m in group.meetings_by(at + timedelta(weeks=26)) if m.start > at][:count]


def zones_of(group: Group, on: datetime) -> list[ZoneInfo]:
    """The zones the group's active members live in, west to east (by UTC offset at ``on``), each once."""
    found = {m.zone.key: m.zone for m in group.members.values() if m.zone and m.is_active_on(on.date())}
    return sorted(found.values(), key=lambda z: (on.astimezone(z).utcoffset() or timedelta(0), z.key))


def meetings_section(group: Group, at: datetime, *, count: int = 3) -> Section:
    """``count`` meetings after ``at``: a row each, the time in every member zone, the status, and how
    many active members cannot make it (their availability says so)."""
    if group.series is None:
        return Section("meetings", "Next meetings", paragraph(NO_SERIES, kind="empty"))
    meetings = upcoming(group, at, count)
    if not meetings:
        return Section("meetings", "Next meetings", paragraph(NO_MEETINGS, kind="empty"))
    zones = zones_of(group, at)
    headers = ["Meeting", *(z.key.split("/")[-1].replace("_", " ") for z in zones), "Status"]
    rows: list[Sequence[str]] = []
    for meeting in meetings:
        cancelled = meeting.status is MeetingStatus.CANCELLED
        local = ["cancelled" if cancelled else f"{meeting.start.astimezone(z):%a %d %b %H:%M}" for z in zones]
        rows.append([day_said(meeting.planned), *local, meeting.status.value])
    slot = group.series.slot.label
    body = table_html(headers, rows, caption=f"The group meets {slot}.") + paragraph(
        "Times are each zone's own local time on the day, daylight saving included.", kind="note"
    )
    return Section("meetings", "Next meetings", body)
