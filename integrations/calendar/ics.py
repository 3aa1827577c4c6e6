"""Calendar invitations as iCalendar files (RFC 5545, iTIP RFC 5546), with the icalendar library.

:func:`render` turns one :class:`~braingain.core.schedule.invitations.Invitation` into the bytes of an
``.ics`` file: ``METHOD`` REQUEST or CANCEL, one VEVENT (UID, SEQUENCE, DTSTAMP, DTSTART and
DTEND with the anchor zone's TZID, STATUS, SUMMARY, DESCRIPTION, URL and LOCATION, ORGANIZER,
one DISPLAY VALARM per reminder offset) and the VTIMEZONE of the anchor zone, generated
from zoneinfo. The same invitation and stamp give the same bytes.

:class:`CalendarOutbox` keeps them in a folder, one ``<meeting id>.ics`` per meeting,
replaced in one step, so that a member can import the file into any calendar.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vText

from braingain.core.errors import quote
from braingain.core.schedule.invitations import CANCEL, Invitation
from braingain.integrations.errors import IntegrationError
from braingain.integrations.files import keep_file

PRODUCT = "-//braingain//meeting invitations//EN"
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True, slots=True)
class CalendarAddress:
    """Someone named in an invitation: a display name and an email address (``mailto:``)."""

    name: str
    email: str


def render(
    invitation: Invitation,
    *,
    organizer: CalendarAddress,
    stamp: datetime,
    attendees: Sequence[CalendarAddress] = (),
) -> bytes:
    """The ``.ics`` bytes of ``invitation`` (CRLF line ends, lines folded at 75 octets).

    ``stamp`` (aware) becomes DTSTAMP, in UTC: when this version was made, passed in, never
    read from the clock. ``organizer`` is the ORGANIZER iTIP requires; ``attendees`` are
    written only when given (files kept in the workspace carry none, so no member's address
    is ever written there). Raises :class:`ValueError` for a naive ``stamp``.
    """
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("the invitation's stamp must be an aware datetime")
    calendar = Calendar()
    calendar.add("PRODID", PRODUCT)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", invitation.method)
    calendar.add_component(_timezone(invitation))
    calendar.add_component(_event(invitation, organizer, stamp, attendees))
    content: bytes = calendar.to_ical()
    return content


def _event(
    invitation: Invitation, organizer: CalendarAddress, stamp: datetime, attendees: Sequence[CalendarAddress]
) -> Event:
    zone = ZoneInfo(invitation.zone)
    event = Event()
    event.add("UID", invitation.uid)
    event.add("SEQUENCE", invitation.sequence)
    event.add("DTSTAMP", stamp.astimezone(UTC))
    event.add("DTSTART", _moment(invitation.start, zone))
    event.add("DTEND", _moment(invitation.end, zone))
    event.add("STATUS", "CANCELLED" if invitation.method == CANCEL else "CONFIRMED")
    event.add("SUMMARY", invitation.summary)
    event.add("DESCRIPTION", invitation.description)
    if invitation.location:
        event.add("LOCATION", invitation.location)
    if invitation.url:
        event.add("URL", invitation.url)
    event.add("ORGANIZER", _address(organizer, role=None))
    for person in attendees:
        event.add("ATTENDEE", _address(person, role="REQ-PARTICIPANT"))
    for offset in invitation.alarms:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", invitation.summary)
        alarm.add("TRIGGER", -offset)
        event.add_component(alarm)
    return event


def _moment(at: datetime, zone: ZoneInfo) -> datetime:
    """``at`` on the anchor zone's clock (written with its TZID), except the second of a wall time
    that happens twice as clocks fall back: RFC 5545 reads such a time as the first, so that
    one is written in UTC instead, and every calendar shows the right instant."""
    local = at.astimezone(zone)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return at.astimezone(UTC)
    return local


def _address(person: CalendarAddress, *, role: str | None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    if role is not None:
        address.params["ROLE"] = vText(role)
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        # braingain reads attendance from the tracker and Zoom, not from calendar replies: asking for
        # replies would only fill the organizer's mailbox (or bounce, from the outbox's address)
        address.params["RSVP"] = vText("FALSE")
    return address


def _timezone(invitation: Invitation) -> Timezone:
    """The anchor zone's VTIMEZONE from zoneinfo, covering the meeting's year and the next
    (a bounded range, so the file stays small and the same invitation gives the same bytes)."""
    year = invitation.start.year
    return Timezone.from_tzinfo(
        ZoneInfo(invitation.zone),
        invitation.zone,
        first_date=date(year - 1, 12, 1),
        last_date=date(year + 2, 1, 1),
    )


class CalendarOutbox:
    """A folder of invitations, ``<folder>/<meeting id>.ics``, one per meeting, each the latest sent."""

    def __init__(self, folder: Path, organizer: CalendarAddress | None = None) -> None:
        self.folder = folder
        self.organizer = organizer

    def issue(self, invitation: Invitation, *, at: datetime) -> str:
        """The core's :class:`~braingain.core.ports.InvitationOutbox`: write ``invitation`` (stamped
        ``at``, from the outbox's organizer) and say where it is. Writing it again is harmless."""
        if self.organizer is None:
            raise ValueError("an outbox that issues invitations needs an organizer")
        self.write([invitation], organizer=self.organizer, stamp=at)
        return str(self.path_of(invitation.meeting_id))

    def path_of(self, meeting_id: str) -> Path:
        """Where the invitation of ``meeting_id`` is kept. Raises :class:`IntegrationError` for an
        ID that cannot be a file name (a path separator, a leading dot)."""
        if not _FILE_NAME.fullmatch(meeting_id):
            raise IntegrationError(
                f"the meeting ID {quote(meeting_id)} cannot name an invitation file",
                hint="meeting IDs are dates such as 2027-01-16",
            )
        return self.folder / f"{meeting_id}.ics"

    def write(
        self,
        invitations: Iterable[Invitation],
        *,
        organizer: CalendarAddress,
        stamp: datetime,
        attendees: Sequence[CalendarAddress] = (),
    ) -> list[Path]:
        """Write each invitation to its file, replacing the one there in one step (a reader sees
        the old file or the new, never half of one), and return the files written, in order.
        A file that already holds the same bytes is left alone and not returned. Raises
        :class:`~braingain.integrations.files.OutboxError` when the folder cannot be written,
        saying which and why."""
        written: list[Path] = []
        for invitation in invitations:
            target = self.path_of(invitation.meeting_id)
            content = render(invitation, organizer=organizer, stamp=stamp, attendees=attendees)
            if keep_file(self.folder, target, content, what="invitation"):
                written.append(target)
        return written
