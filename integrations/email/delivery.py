"""Email delivery: the core's :class:`~braingain.core.ports.Mail` over SMTP, or the outbox.

:class:`EmailDelivery` renders a message for its member (:mod:`.render`), makes it one email
(:func:`.message.compose`: plain text and HTML, the meeting's ``.ics`` invitation attached when
given, the Message-ID made from the message's key) and sends it with the group's mail server
(:class:`.smtp.SmtpSender`), or, while none is configured, keeps it in the workspace's outbox
(:class:`.outbox.EmailOutbox`, folder ``<outbox>/email``): one ``.eml`` file per key, which sending
again replaces.

The Message-ID's domain is the sender's, so the same message always has the same Message-ID:
what lets a mail server or client drop a copy sent again after a lost confirmation (see
:mod:`.smtp`). A message sent by SMTP is dated when it is sent; one kept in the outbox is dated when
it became due (``Outgoing.due``), so that keeping it again writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from braingain.core.group import Group
from braingain.core.members import Member
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.schedule.invitations import Invitation
from braingain.integrations.calendar.ics import CalendarAddress, render
from braingain.integrations.config import Config
from braingain.integrations.email.message import Address, Attachment, compose
from braingain.integrations.email.outbox import EmailOutbox
from braingain.integrations.email.render import render_email
from braingain.integrations.email.smtp import EmailError, SmtpSender, smtp_settings

__all__ = ["EmailDelivery", "NoEmailAddress", "mail_for"]

SMTP_TIMEOUT = 30.0
"""Seconds to wait for the mail server to connect or answer, each time."""


class NoEmailAddress(EmailError):
    """The member has no email address braingain can read: that one message is not sent (nothing
    was), the others go on."""

    outcome_known = True
    halts = False


class EmailDelivery:
    """A :class:`~braingain.core.ports.Mail` from ``sender``: through ``smtp`` when given, else into
    ``outbox`` (one of the two is required).

    ``clock`` gives the time a message sent by SMTP is dated (aware; default: the system's clock)."""

    def __init__(
        self,
        sender: Address,
        *,
        smtp: SmtpSender | None = None,
        outbox: EmailOutbox | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if (smtp is None) == (outbox is None):
            raise ValueError("an email delivery sends by SMTP or keeps mail in an outbox: give one of them")
        self.sender = sender
        self.smtp = smtp
        self.outbox = outbox
        self._clock = clock or (lambda: datetime.now(UTC))

    @property
    def domain(self) -> str:
        """The domain of the sender's address: the Message-IDs' domain."""
        return self.sender.email.rpartition("@")[2]

    def send(
        self,
        message: Outgoing,
        to: Member,
        *,
        group: Group,
        invitation: Invitation | None = None,
        handing: Callable[[], None] | None = None,
    ) -> str:
        """Send ``message`` to member ``to`` (see :class:`~braingain.core.ports.Mail`): returns
        ``"sent by email to <their name>"``, or the path of the outbox file it was kept in.

        Raises :class:`NoEmailAddress` (outcome known, not halting, naming the member, never an
        address) when ``to`` has no readable address; the errors of
        :meth:`~.smtp.SmtpSender.send` and of :meth:`~.outbox.EmailOutbox.write` as they come."""
        recipient = _address_of(to)
        date = self._clock() if self.smtp is not None else message.due
        content = render_email(message, to, group, invitation=invitation)
        attachments = []
        if invitation is not None:
            organizer = CalendarAddress(self.sender.name or group.name, self.sender.email)
            attendee = CalendarAddress(to.name, recipient.email)
            ics = render(invitation, organizer=organizer, stamp=date, attendees=[attendee])
            attachments.append(
                Attachment(
                    f"{invitation.meeting_id}.ics", ics, "text/calendar", {"method": invitation.method}
                )
            )
        email = compose(
            to=recipient,
            sender=self.sender,
            subject=content.subject,
            text=content.text,
            html=content.html,
            key=message.key,
            domain=self.domain,
            date=date,
            attachments=attachments,
        )
        if self.smtp is not None:
            self.smtp.send(email, handing=handing)
            return f"sent by email to {to.name}"
        assert self.outbox is not None
        self.outbox.write(message.key, email)
        return str(self.outbox.path_of(message.key))


def _address_of(member: Member) -> Address:
    why = member.lacks("email")
    hint = "put their address in the Email column of their row on the Members tab"
    if member.email is None:
        raise NoEmailAddress(
            f"{member.name} has no email address braingain can read{f' ({why})' if why else ''}, "
            "so no email was sent to them",
            hint=hint,
        )
    try:
        return Address(member.name, member.email.address)
    except ValueError:  # an address the tracker reads that mail cannot carry (not plain ASCII)
        raise NoEmailAddress(
            f"the email address of {member.name} is not one braingain can send mail to (a plain ASCII "
            "address, one dot at a time), so no email was sent to them",
            hint=hint,
        ) from None


def mail_for(config: Config, *, domain: str) -> EmailDelivery:
    """The group's :class:`EmailDelivery`: by SMTP when ``[email] smtp_host`` is set (from
    SMTP_FROM, named after the group when SMTP_FROM names no one; see
    :func:`~.smtp.smtp_settings`), else into ``<outbox>/email`` from
    ``"<group name>" <meetings@<domain>>`` (the organizer of the invitations kept in the outbox
    too). ``domain`` is the group's own domain name (e.g. the
    domain of its invitations' UIDs).

    Raises :class:`~braingain.integrations.errors.ConfigError` for SMTP settings that are half
    there, and :class:`ValueError` for a ``domain`` that cannot be in an address."""
    settings = smtp_settings(config)
    name = config.settings.name
    if settings is None:
        return EmailDelivery(Address(name, f"meetings@{domain}"), outbox=EmailOutbox(config.outbox / "email"))
    sender = Address(settings.sender.name or name, settings.sender.email)
    smtp = SmtpSender(
        settings.host, settings.port, settings.username, settings.password, timeout=SMTP_TIMEOUT
    )
    return EmailDelivery(sender, smtp=smtp)
