"""Zoom as the core's :class:`~braingain.core.ports.Conferencing` port: the group's meetings on Zoom.

A thin adapter over :class:`~braingain.integrations.zoom.client.ZoomClient`: it turns the core's
:class:`~braingain.core.schedule.conferencing.DesiredMeeting` into a Zoom meeting request (the
start as the same instant in UTC with the anchor zone's IANA name, the agenda ending in the
meeting's key, the group's settings) and Zoom's answers into the core's
:class:`~braingain.core.outcomes.MeetingLink` and
:class:`~braingain.core.schedule.attendance.Attendee`. Errors are the client's
(:mod:`braingain.integrations.zoom.errors`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from braingain.core.outcomes import MeetingLink
from braingain.core.schedule.attendance import Attendee
from braingain.core.schedule.conferencing import DesiredMeeting
from braingain.integrations.config import Config
from braingain.integrations.zoom.client import API_URL, OAUTH_URL, ZoomClient
from braingain.integrations.zoom.errors import ZoomNotFound
from braingain.integrations.zoom.models import MeetingRequest, MeetingSettings, ZoomCredentials


class ZoomConferencing:
    """The group's meetings on Zoom, through ``client`` (see the module docstring)."""

    def __init__(self, client: ZoomClient) -> None:
        self.client = client

    @property
    def requests_made(self) -> int:
        """HTTP requests sent to Zoom so far (token requests included)."""
        return self.client.requests_made

    def existing(self) -> Mapping[str, MeetingLink]:
        found: dict[str, MeetingLink] = {}
        for meeting in sorted(self.client.scheduled_meetings(), key=lambda m: (len(m.id), m.id)):
            if meeting.key is not None:
                found.setdefault(meeting.key, MeetingLink(meeting.id, meeting.join_url))
        return found

    def create(self, meeting: DesiredMeeting) -> MeetingLink:
        made = self.client.create_meeting(request(meeting))
        return MeetingLink(made.id, made.join_url)

    def update(self, link: MeetingLink, meeting: DesiredMeeting) -> MeetingLink | None:
        try:
            self.client.update_meeting(link.zoom_id, request(meeting))
        except ZoomNotFound:
            return None
        return link

    def delete(self, link: MeetingLink) -> None:
        self.client.delete_meeting(link.zoom_id)

    def attendees(self, link: MeetingLink) -> Sequence[Attendee] | None:
        try:
            joined = self.client.participants(link.zoom_id)
        except ZoomNotFound:
            return None
        return [Attendee(p.name, p.email, p.duration_seconds) for p in joined]


def request(meeting: DesiredMeeting) -> MeetingRequest:
    """The Zoom meeting request for ``meeting`` (its key marked in the agenda by the client)."""
    settings = meeting.settings
    return MeetingRequest(
        key=meeting.key,
        topic=meeting.topic,
        start=meeting.start,
        duration_minutes=meeting.minutes,
        timezone=meeting.zone,
        agenda=meeting.agenda,
        settings=MeetingSettings(
            mute_upon_entry=settings.mute_upon_entry,
            waiting_room=settings.waiting_room,
            join_before_host=settings.join_before_host,
        ),
    )


def zoom_for(config: Config) -> ZoomConferencing | None:
    """Zoom for the group ``config`` describes, or ``None`` when its credentials are not set
    (``ZOOM_ACCOUNT_ID``, ``ZOOM_CLIENT_ID``, ``ZOOM_CLIENT_SECRET`` in the environment or .env).
    Raises :class:`~braingain.integrations.errors.ConfigError` when only some are set."""
    credentials = ZoomCredentials.from_environment(config.environment)
    if credentials is None:
        return None
    client = ZoomClient(
        credentials,
        api_url=config.endpoints.get(API_URL, API_URL),
        oauth_url=config.endpoints.get(OAUTH_URL, OAUTH_URL),
        host=config.zoom.host,
    )
    return ZoomConferencing(client)
