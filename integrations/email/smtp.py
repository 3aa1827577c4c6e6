"""Sending a message by SMTP (the standard library's :mod:`smtplib`): STARTTLS, then login.

:class:`SmtpSender` opens one connection per message: EHLO, STARTTLS (the server's certificate
checked against the system's authorities, or the context given), EHLO again, login (the best
of LOGIN and PLAIN the server offers, LOGIN first, tried once), MAIL FROM, RCPT TO, DATA. Without TLS it
logs in only to a loopback test server, and only when told so (``starttls=False``).

What can go wrong, under :class:`~braingain.integrations.errors.PlatformError`::

    PlatformError
    └── EmailError               anything the mail server refused or failed at
        ├── SmtpAuthRefused      login refused, or no login offered (halts; outcome known: nothing sent)
        ├── SmtpNotSecure        no STARTTLS, or a certificate not trusted (halts; outcome known)
        ├── SmtpUnavailable      the connection failed, timed out or dropped (halts; outcome unknown)
        │   └── SmtpNotSent      ... before the message's end was sent (outcome known: nothing sent)
        └── SmtpRefused          the server refused the sender or the message (outcome known; others go on)
            └── SmtpRecipientRefused  ... the recipient

Messages carry SMTP's reply codes and the server's words with email addresses blanked out
(:func:`braingain.integrations.retry.redact`), never the password.

**The one case SMTP cannot confirm.** When the connection drops (or times out, or braingain is
stopped) after the whole message went out (the final ``.`` of DATA) and before the server's ``250``,
the server may or may not have taken it. :class:`SmtpUnavailable` says so (``outcome_known``
false). ``send`` calls ``handing`` just before the message itself goes out, so that the sync
engine's journal can tell this case from a failure before it: braingain's choice is to **never send
such a message again** (the server had the whole message, so it most likely arrived; a member never
gets two copies), and the sync lists it as unconfirmed so a leader can ask
(:mod:`braingain.integrations.engine.messages`). Every message carries a Message-ID made from its
key (:func:`braingain.integrations.email.message.message_id`), so even a copy sent by hand is
recognised as the same message. Failures before that point (:class:`SmtpNotSent`) certainly
delivered nothing, so sending again is always safe.
"""

from __future__ import annotations

import ipaddress
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from braingain.integrations.config import Config
from braingain.integrations.email.message import Address
from braingain.integrations.errors import ConfigError, PlatformError
from braingain.integrations.retry import redact

__all__ = [
    "EmailError",
    "SmtpAuthRefused",
    "SmtpNotSecure",
    "SmtpNotSent",
    "SmtpRecipientRefused",
    "SmtpRefused",
    "SmtpSender",
    "SmtpSettings",
    "SmtpUnavailable",
    "smtp_settings",
]

CREDENTIALS_HINT = (
    "check SMTP_USERNAME and SMTP_PASSWORD in .env or the environment (for Gmail and Microsoft 365, "
    "an app password), and smtp_host and smtp_port under [email] in braingain.toml"
)
DEFAULT_PORT = 587
IMPLICIT_TLS_PORT = 465


class EmailError(PlatformError):
    """The mail server refused a message, or could not be reached."""


class SmtpAuthRefused(EmailError):
    """The server refused the username and password, or offers no way to log in."""

    outcome_known = True

    def __init__(self, message: str, *, hint: str = CREDENTIALS_HINT) -> None:
        super().__init__(message, hint=hint)


class SmtpNotSecure(EmailError):
    """The server offers no STARTTLS, or its certificate is not trusted: nothing was sent, and no
    password either."""

    outcome_known = True


class SmtpUnavailable(EmailError):
    """The connection failed, timed out or dropped after the whole message was sent, before the
    server confirmed it: it may have been delivered (see the module's note)."""


class SmtpNotSent(SmtpUnavailable):
    """The connection failed, timed out or dropped before the message's end was sent: not delivered."""

    outcome_known = True


class SmtpRefused(EmailError):
    """The server refused the sender or the message itself (``code`` is SMTP's reply code)."""

    outcome_known = True
    halts = False

    def __init__(self, message: str, *, code: int, hint: str = "") -> None:
        self.code = code
        super().__init__(message, hint=hint)


class SmtpRecipientRefused(SmtpRefused):
    """The server refused the recipient (``code`` is SMTP's reply code): that one message is not
    sent; the others go on."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and as whom braingain sends mail: ``[email] smtp_host`` and ``smtp_port`` of
    braingain.toml; SMTP_USERNAME, SMTP_PASSWORD and SMTP_FROM from .env or the environment."""

    host: str
    port: int
    username: str
    password: str = field(repr=False)
    sender: Address


def smtp_settings(config: Config) -> SmtpSettings | None:
    """The group's SMTP settings, or ``None`` when ``smtp_host`` is not set (mail goes to the outbox).

    Raises :class:`ConfigError` when the host is set but a secret is missing, SMTP_FROM is not an
    address, or the port is 465 (implicit TLS, which braingain does not speak)."""
    host = config.email.smtp_host
    if not host:
        return None
    port = config.email.smtp_port
    if port == IMPLICIT_TLS_PORT:
        raise ConfigError(
            "[email] smtp_port = 465 is SMTP over implicit TLS, which braingain does not use",
            hint="use the server's submission port with STARTTLS, usually smtp_port = 587",
        )
    missing = [name for name in ("SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_FROM") if not config.secret(name)]
    if missing:
        raise ConfigError(
            f"[email] smtp_host is set, but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            "not in .env or the environment",
            hint="add them to .env beside braingain.toml (SMTP_FROM as: Group name <group@example.org>), "
            "or remove smtp_host to keep mail in the outbox",
        )
    name, email = parseaddr(config.secret("SMTP_FROM") or "")
    try:
        sender = Address(name, email)
    except ValueError:
        raise ConfigError(
            "SMTP_FROM in .env or the environment is not an email address",
            hint="write it as: Group name <group@example.org>",
        ) from None
    return SmtpSettings(
        host=host,
        port=port,
        username=config.secret("SMTP_USERNAME") or "",
        password=config.secret("SMTP_PASSWORD") or "",
        sender=sender,
    )


_DOT = re.compile(rb"(?m)^\.")


class SmtpSender:
    """Sends :class:`~email.message.EmailMessage` s (one From, one To) through ``host``:``port``.

    ``timeout`` is in seconds, for connecting and for each reply. ``starttls=False`` is refused
    (:class:`ValueError`) unless ``host`` is a loopback address: a password never crosses a
    network in the clear. ``context`` checks the server's certificate (default: the system's
    authorities); ``helo`` is the name this computer gives (default: its fully qualified name)."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        password: str,
        *,
        timeout: float,
        starttls: bool = True,
        context: ssl.SSLContext | None = None,
        helo: str | None = None,
    ) -> None:
        if not starttls and not _loopback(host):
            raise ValueError(
                f"braingain logs in to a mail server only over TLS (STARTTLS); {host} is not this "
                "computer, so starttls=False is refused"
            )
        if timeout <= 0:
            raise ValueError("the timeout must be a positive number of seconds")
        self.host = host
        self.port = port
        self.username = username
        self._password = password
        self.timeout = timeout
        self.starttls = starttls
        self.context = context if context is not None else ssl.create_default_context()
        self.helo = helo

    def __repr__(self) -> str:
        return f"SmtpSender({self.host!r}, {self.port})"

    def send(self, message: EmailMessage, *, handing: Callable[[], None] | None = None) -> None:
        """Send ``message`` to its one To address, from its From address. ``handing`` is called once
        the server accepted the sender, the recipient and DATA, just before the message goes out.

        Raises an :class:`EmailError` (see the module): which one says whether it may have been
        delivered and whether the other messages should wait."""
        sender, recipient = _single(message, "From"), _single(message, "To")
        data = _DOT.sub(b"..", bytes(message))
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        data += b".\r\n"
        sent = False
        try:
            # connecting in the constructor: it keeps the host name STARTTLS checks the certificate for
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout, local_hostname=self.helo) as smtp:
                self._secure_and_log_in(smtp)
                code, reply = smtp.mail(sender)
                if code != 250:
                    raise self._refused(SmtpRefused, "the sender", code, reply)
                code, reply = smtp.rcpt(recipient)
                if code not in (250, 251):
                    raise self._refused(SmtpRecipientRefused, "the recipient", code, reply)
                code, reply = smtp.docmd("DATA")
                if code != 354:
                    raise self._refused(SmtpRefused, "the message", code, reply)
                if handing is not None:
                    handing()
                smtp.send(data)
                sent = True
                code, reply = smtp.getreply()
                if code != 250:
                    raise self._refused(SmtpRefused, "the message", code, reply)
        except EmailError:
            raise
        except ssl.SSLError as error:
            raise SmtpNotSecure(
                f"the TLS connection to {self.host}:{self.port} failed: {self._clean(str(error))}",
                hint="check smtp_host (the name on the server's certificate) and smtp_port in braingain.toml",
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            words = self._clean(str(error)) or type(error).__name__
            if sent:
                raise SmtpUnavailable(
                    f"the connection to {self.host}:{self.port} was lost after the message was sent, "
                    f"before the server confirmed it ({words})",
                    hint="it most likely arrived: braingain does not send it again, so that nobody gets it "
                    "twice, and lists it as unconfirmed",
                ) from None
            raise SmtpNotSent(
                f"the mail server {self.host}:{self.port} could not be reached or dropped the "
                f"connection ({words}); nothing was sent",
                hint="check smtp_host and smtp_port in braingain.toml and the network; the next sync "
                "tries again",
            ) from None

    def _secure_and_log_in(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo()
        if self.starttls:
            if not smtp.has_extn("starttls"):
                raise SmtpNotSecure(
                    f"the mail server {self.host}:{self.port} does not offer STARTTLS, so braingain "
                    "sends no password to it",
                    hint="use the server's submission port (usually smtp_port = 587) under [email]",
                )
            smtp.starttls(context=self.context)
            smtp.ehlo()
        offered = smtp.esmtp_features.get("auth", "").upper().split()
        mechanism = next((m for m in ("LOGIN", "PLAIN") if m in offered), None)
        if mechanism is None:
            raise SmtpAuthRefused(
                f"the mail server {self.host}:{self.port} offers no login braingain can use (LOGIN or PLAIN)",
                hint="use the server's submission port (usually smtp_port = 587), where it asks for a login",
            )
        smtp.user, smtp.password = self.username, self._password
        login = smtp.auth_login if mechanism == "LOGIN" else smtp.auth_plain
        try:  # one mechanism, once: a refused password is not tried again another way
            smtp.auth(mechanism, login, initial_response_ok=False)
        except smtplib.SMTPAuthenticationError as error:
            raise SmtpAuthRefused(
                f"the mail server {self.host}:{self.port} refused the login "
                f"({error.smtp_code} {self._clean(_text(error.smtp_error))})"
            ) from None

    def _refused(self, kind: type[SmtpRefused], what: str, code: int, reply: bytes) -> EmailError:
        words = self._clean(_text(reply))
        if 400 <= code < 500:  # a temporary refusal: nothing was taken, try again later
            return SmtpNotSent(
                f"the mail server {self.host}:{self.port} put off {what} ({code} {words}); nothing was sent",
                hint="the next sync tries again",
            )
        return kind(f"the mail server {self.host}:{self.port} refused {what} ({code} {words})", code=code)

    def _clean(self, text: str) -> str:
        if self._password:
            text = text.replace(self._password, "<redacted>")
        if self.username:
            text = text.replace(self.username, "<username>")
        return redact(text)


def _single(message: EmailMessage, header: str) -> str:
    found = message.get(header)
    addresses: tuple[Any, ...] = getattr(found, "addresses", ())
    if len(addresses) != 1:
        raise ValueError(f"a message braingain sends has exactly one {header} address")
    return str(addresses[0].addr_spec)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
