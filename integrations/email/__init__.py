"""Email: one message per member (:mod:`.message`), sent by SMTP with STARTTLS and login
(:mod:`.smtp`, which also documents the one case SMTP cannot confirm), or kept in the outbox as
``.eml`` files when no SMTP server is configured (:mod:`.outbox`)."""

from braingain.integrations.email.message import Address, Attachment, compose, message_id
from braingain.integrations.email.outbox import EmailOutbox
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
    "EmailError",
    "EmailOutbox",
    "SmtpAuthRefused",
    "SmtpNotSecure",
    "SmtpNotSent",
    "SmtpRecipientRefused",
    "SmtpRefused",
    "SmtpSender",
    "SmtpSettings",
    "SmtpUnavailable",
    "compose",
    "message_id",
    "smtp_settings",
]
