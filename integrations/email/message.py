"""One email, built from plain values with the standard library's :mod:`email` package.

:func:`compose` makes the message braingain sends (by SMTP, :mod:`.smtp`) or keeps (:mod:`.outbox`):

- ``text/plain`` alone, or ``multipart/alternative`` (plain text, then HTML) when there is HTML;
  inside ``multipart/mixed`` when there are attachments (an ``.ics`` invitation travels as
  ``text/calendar; method=REQUEST``);
- a **stable Message-ID** made from the message's key: ``<sha256(key) in hex@domain>``, so the same
  key always gives the same Message-ID (what lets a resend be recognised as the same message);
- the ``Date`` passed in (an aware datetime; there is no clock here);
- the same values give the same bytes: the MIME boundaries are made from the content (``=_`` and a
  digest of it, which no quoted-printable or base64 line can hold), never drawn at random;
- UTF-8 throughout; headers are pure ASCII, folded at 78 characters, and names and subjects in any
  script are encoded words (RFC 2047) that read back exactly as given.

Whitespace runs in a name or a subject (a line break typed in a cell) become one space: a header is
one line. An email address must be plain ASCII (``name@example.org``); braingain does not send
SMTPUTF8 mail.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime

from braingain.core.errors import quote

__all__ = ["Address", "Attachment", "compose", "message_id"]


class _Policy(EmailPolicy):
    """:data:`email.policy.SMTP` (7-bit), with From, To and Subject folded by :class:`email.header.Header`
    whenever they hold anything but plain ASCII: the standard library's own folder (Python 3.11)
    puts spaces inside long names and words, and decodes text that only looks like an encoded
    word; whole encoded words, split between characters, read back exactly."""

    def fold(self, name: str, value: str) -> str:
        return self._own(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        own = self._own(name, value)
        return own.encode("ascii") if own else super().fold_binary(name, value)

    def _own(self, name: str, value: object) -> str | None:
        if name.lower() not in _OURS:
            return None
        addresses = getattr(value, "addresses", None)
        if addresses is None:
            text = str(value)
            if not _needs_encoding(text):
                return None
            return f"{name}: {_encode(name, text, self.linesep)}{self.linesep}"
        if len(addresses) != 1 or not _needs_encoding(addresses[0].display_name):
            return None
        person = addresses[0]
        words = _encode(name, person.display_name, self.linesep)
        last = words.rsplit(self.linesep, 1)[-1]
        between = (
            " "
            if len(last) + len(person.addr_spec) + 3 <= (self.max_line_length or 78)
            else self.linesep + " "
        )
        return f"{name}: {words}{between}<{person.addr_spec}>{self.linesep}"


_OURS = frozenset({"from", "to", "subject"})


def _needs_encoding(text: str) -> bool:
    return not text.isascii() or "=?" in text


def _encode(name: str, text: str, linesep: str) -> str:
    return Header(text, "utf-8", maxlinelen=78, header_name=name).encode(linesep=linesep)


POLICY = _Policy(linesep="\r\n", max_line_length=78, cte_type="7bit")
"""How braingain's messages are written: CRLF line ends, 7-bit (quoted-printable or base64 bodies),
headers pure ASCII and folded at 78 characters."""

_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
_DOMAIN = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)
_TOKEN = re.compile(r"[A-Za-z0-9!#$&^_.+-]+")


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Address:
    """A person's name (any script; may be empty) and their email address.

    The address never shows in ``repr`` (members' emails stay out of logs and errors). Raises
    :class:`ValueError`, without the address in its message, when ``email`` is not a plain ASCII
    address (``name@example.org``)."""

    name: str
    email: str = field(repr=False)

    def __post_init__(self) -> None:
        if not _ADDRESS.fullmatch(self.email) or ".." in self.email or self.email.startswith("."):
            raise ValueError(
                f"the email address of {quote(self.name)} is not a plain address such as name@example.org"
            )

    def header(self) -> HeaderAddress:
        """The address as the standard library's header value, its name on one line."""
        return HeaderAddress(display_name=_one_line(self.name), addr_spec=self.email)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message: its ``filename``, its ``content`` (bytes) and MIME type
    (``content_type``, e.g. ``"text/calendar"``), and parameters of that type (``{"method": "REQUEST"}``)."""

    filename: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"
    parameters: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        main, _, sub = self.content_type.partition("/")
        if not (_TOKEN.fullmatch(main) and _TOKEN.fullmatch(sub)):
            raise ValueError(f"{quote(self.content_type)} is not a MIME type such as text/calendar")
        if not self.filename.strip() or any(c in self.filename for c in "/\\\r\n"):
            raise ValueError(f"{quote(self.filename)} is not a file name")


def message_id(key: str, domain: str) -> str:
    """The Message-ID of the message with ``key``: ``<sha256 of key, 64 hex digits@domain>``.

    The same key and domain always give the same Message-ID; the key itself is not readable in it.
    Raises :class:`ValueError` when ``domain`` is not a host name."""
    if not key:
        raise ValueError("a message needs a key (its Message-ID is made from it)")
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(f"{quote(domain)} is not a domain name for a Message-ID, e.g. example.org")
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()}@{domain}>"


def compose(
    *,
    to: Address,
    sender: Address,
    subject: str,
    text: str,
    html: str | None,
    key: str,
    domain: str,
    date: datetime,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """The message from ``sender`` to ``to``: ``text`` (and ``html`` as its alternative, if given),
    with ``attachments``, dated ``date`` (aware), its Message-ID made from ``key`` and ``domain``
    (:func:`message_id`). ``bytes(message)`` is what goes over SMTP (CRLF, ASCII headers).

    Raises :class:`ValueError` for a naive ``date``, an empty key or a bad domain."""
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("a message's date must say its time zone (an aware datetime)")
    message = EmailMessage(policy=POLICY)
    message["Message-ID"] = message_id(key, domain)
    message["Date"] = format_datetime(date)
    message["From"] = sender.header()
    message["To"] = to.header()
    line = _one_line(subject)
    # the header registry decodes what looks like an encoded word: such text goes in encoded
    message["Subject"] = _encode("Subject", line, " ") if "=?" in line else line
    message["MIME-Version"] = "1.0"
    message.set_content(text, subtype="plain", charset="utf-8")
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8")
    for attachment in attachments:
        main, _, sub = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=main,
            subtype=sub,
            filename=attachment.filename,
            params=dict(attachment.parameters),
        )
    boundary = _fingerprint(key, subject, text, html, attachments)
    for n, part in enumerate([p for p in message.walk() if p.is_multipart()]):
        part.set_boundary(f"=_braingain_{boundary}_{n}")
    return message


def _fingerprint(
    key: str, subject: str, text: str, html: str | None, attachments: Sequence[Attachment]
) -> str:
    """40 hex digits of SHA-256 over everything a message holds: its boundaries' stem, so that no
    line of its content can be a boundary and the same message is always the same bytes."""
    digest = hashlib.sha256()
    for piece in (key, subject, text, html or ""):
        digest.update(piece.encode("utf-8") + b"\0")
    for attachment in attachments:
        digest.update(attachment.filename.encode("utf-8") + b"\0" + attachment.content + b"\0")
    return digest.hexdigest()[:40]
