"""A group in a local workbook, synced with the real Zoom client against the loopback fake Zoom and
with invitations kept in a folder: what the platform tests share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl

from braingain.core.outcomes import MeetingLink
from braingain.core.schedule.attendance import Attendee
from braingain.core.schedule.conferencing import DesiredMeeting
from braingain.core.schedule.invitations import Invitation
from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.integrations import compose, text
from braingain.integrations.calendar.ics import CalendarAddress, CalendarOutbox
from braingain.integrations.config import Config, load_config, new_state_key, state_key
from braingain.integrations.engine import platforms as engine
from braingain.integrations.tracker.schema import load_schema
from braingain.integrations.tracker.workbook import create_workbook
from braingain.integrations.zoom.conferencing import ZoomConferencing
from braingain.sample import sample_group
from tests.fakes.zoom import FakeZoom
from tests.fakes.zoom_support import Clock, zoom_client

TODAY = date(2027, 1, 10)
"""A Sunday: the sample group's next meetings are on the Saturdays after it."""
NOON = datetime.combine(TODAY, time(12), tzinfo=UTC)


def group_folder(folder: Path, today: date = TODAY) -> Config:
    """The sample group as it stands on ``today``, in a local workbook in ``folder``, as the demo makes it."""
    folder.mkdir(parents=True, exist_ok=True)
    group = sample_group(today)
    config_path = folder / "braingain.toml"
    config_path.write_text(text.demo_config(group), encoding="utf-8")
    new_state_key(folder)
    config = load_config(config_path)
    rows: dict[str, list[dict[str, Any]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group), state_key(config))
    create_workbook(folder / "braingain.xlsx", load_schema(), rows, overwrite=True)
    return config


class Crash(BaseException):
    """The sync stops dead (a crash, Ctrl-C): not an error anything in braingain catches."""


@dataclass
class Stopper:
    """Stops the sync dead right after its ``after``-th platform call returned (the platform did it;
    the journal never heard back). ``calls`` lists every call made, in order."""

    after: int | None = None
    calls: list[str] = field(default_factory=list)

    def tick(self, what: str) -> None:
        self.calls.append(what)
        if self.after is not None and len(self.calls) == self.after:
            raise Crash(f"stopped after {what}")


@dataclass
class Stopping:
    """Zoom, as the core's port, whose every call goes through ``stopper``."""

    zoom: ZoomConferencing
    stopper: Stopper

    def existing(self) -> dict[str, MeetingLink]:
        found = dict(self.zoom.existing())
        self.stopper.tick("look up meetings")
        return found

    def create(self, meeting: DesiredMeeting) -> MeetingLink:
        link = self.zoom.create(meeting)
        self.stopper.tick(f"create {meeting.meeting_id}")
        return link

    def update(self, link: MeetingLink, meeting: DesiredMeeting) -> MeetingLink | None:
        found = self.zoom.update(link, meeting)
        self.stopper.tick(f"update {meeting.meeting_id}")
        return found

    def delete(self, link: MeetingLink) -> None:
        self.zoom.delete(link)
        self.stopper.tick(f"delete {link.zoom_id}")

    def attendees(self, link: MeetingLink) -> list[Attendee] | None:
        found = self.zoom.attendees(link)
        self.stopper.tick(f"attendance {link.zoom_id}")
        return None if found is None else list(found)


@dataclass
class StoppingOutbox:
    """The invitations folder, whose every invitation goes through ``stopper``."""

    outbox: CalendarOutbox
    stopper: Stopper

    def issue(self, invitation: Invitation, *, at: datetime) -> str:
        where = self.outbox.issue(invitation, at=at)
        self.stopper.tick(f"invitation {invitation.meeting_id}")
        return where


def setup(
    config: Config, fake: FakeZoom | None, clock: Clock, *, stop_after: int | None = None
) -> tuple[engine.Setup, Stopper]:
    """The platforms of a sync: Zoom (the real client against ``fake``, or none) and the invitations
    folder of the group's workspace, both stopping the sync dead after its ``stop_after``-th call."""
    stopper = Stopper(stop_after)
    port = None if fake is None else Stopping(ZoomConferencing(zoom_client(fake, clock)), stopper)
    outbox = CalendarOutbox(
        config.outbox / "invitations", organizer=CalendarAddress("Sample group", "meetings@sample.invalid")
    )
    made = engine.Setup(
        zoom=port,
        outbox=StoppingOutbox(outbox, stopper),
        topic="Sample group meeting",
        horizon=config.settings.schedule_ahead,
        domain="sample.braingain.invalid",
        tag=compose.group_tag(config),
        zoom_off="" if port is not None else text.ZOOM_OFF,
    )
    return made, stopper


def sync(
    config: Config, platforms: engine.Setup, at: datetime = NOON, *, apply: bool = True
) -> compose.SyncOutcome:
    return compose.run_sync(config, apply=apply, at=at, platforms=platforms)


def meetings_tab(config: Config) -> dict[str, dict[str, Any]]:
    """The Meetings tab's rows by ID: header -> value."""
    assert config.tracker.path is not None
    book = openpyxl.load_workbook(config.tracker.path)
    sheet = book["Meetings"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return {str(r[0]): dict(zip(headers, r, strict=False)) for r in rows[1:] if r and r[0]}


def edit_meeting(config: Config, ident: str, **values: Any) -> None:
    """Type into the Meetings row ``ident`` as a leader would (header -> value)."""
    edit_row(config, "Meetings", ident, values)


def edit_row(config: Config, tab: str, ident: str | None, values: Mapping[str, Any]) -> None:
    """Type into the row ``ident`` of ``tab`` as a leader would (header -> value); ``None``: a new row."""
    assert config.tracker.path is not None
    book = openpyxl.load_workbook(config.tracker.path)
    sheet = book[tab]
    headers = [c.value for c in sheet[1]]
    if ident is None:
        sheet.append([values.get(str(h)) for h in headers])
        book.save(config.tracker.path)
        return
    for row in sheet.iter_rows(min_row=2):
        if str(row[0].value) == ident:
            for header, value in values.items():
                row[headers.index(header)].value = value
            break
    else:
        raise AssertionError(f"no {tab} row {ident}")
    book.save(config.tracker.path)


def tab_rows(config: Config, tab: str) -> dict[str, dict[str, Any]]:
    """The rows of ``tab`` by ID: header -> value."""
    assert config.tracker.path is not None
    book = openpyxl.load_workbook(config.tracker.path)
    rows = list(book[tab].iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return {str(r[0]): dict(zip(headers, r, strict=False)) for r in rows[1:] if r and r[0]}


def ahead(config: Config, at: datetime = NOON) -> list[str]:
    """The IDs of the meetings a sync at ``at`` keeps on Zoom: not cancelled, starting after ``at``
    and within the schedule-ahead horizon."""
    outcome = compose.run_sync(config, apply=False, at=at, platforms=setup(config, None, Clock())[0])
    group = outcome.read.group
    horizon = at + config.settings.schedule_ahead
    return [
        m.id for m in group.meetings_by(horizon) if m.status.value != "cancelled" and at < m.start <= horizon
    ]


def one_day(at: datetime, days: int = 1) -> datetime:
    return at + timedelta(days=days)
