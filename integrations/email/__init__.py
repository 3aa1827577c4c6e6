"""Email: what a member reads (:mod:`.render`), one message per member (:mod:`.message`), sent by
SMTP with STARTTLS and login (:mod:`.smtp`, which also documents the one case SMTP cannot confirm),
or kept in the outbox as ``.eml`` files when no SMTP server is configured (:mod:`.outbox`);
:mod:`.delivery` puts them together as the core's ``Mail``."""

from braingain.integrations.email.delivery import EmailDelivery, NoEmailAddress, mail_for
from braingain.integrations.email.message import Address, Attachment, compose, message_id
from braingain.integrations.email.outbox import EmailOutbox
from braingain.integrations.email.render import EmailContent, render_email
from braingain.integrations.email.smtp import (
    EmailError,
    SmtpAuthRefused,
    SmtpNotSecure,
    SmtpNotSent,
    SmtpRecipientRefused,
    SmtpRefused,
    SmtpSender,
    SmtpSettings,
    SmtpUnavailable,
    smtp_settings,
)

__all__ = [
    "Address",
    "Attachment",
    "EmailContent",
    "EmailDelivery",
    "EmailError",
    "EmailOutbox",
    "NoEmailAddress",
    "SmtpAuthRefused",
    "SmtpNotSecure",
    "SmtpNotSent",
    "SmtpRecipientRefused",
    "SmtpRefused",
    "SmtpSender",
    "SmtpSettings",
    "SmtpUnavailable",
    "compose",
    "mail_for",
    "message_id",
    "render_email",
    "smtp_settings",
]
