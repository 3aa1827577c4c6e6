"""Email: messages built from plain values, sent to a real SMTP server on loopback (aiosmtpd) over
STARTTLS with AUTH, or kept in the outbox; each one parsed back."""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message, MIMEPart
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import pytest
import trustme
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from braingain.core.members import Email
from braingain.core.schedule.digests import MemberDigest
from braingain.integrations.config import load_config
from braingain.integrations.email import (
    Address,
    Attachment,
    EmailDelivery,
    EmailOutbox,
    NoEmailAddress,
    SmtpAuthRefused,
    SmtpNotSecure,
    SmtpNotSent,
    SmtpRecipientRefused,
    SmtpSender,
    SmtpUnavailable,
    compose,
    mail_for,
    message_id,
    render_email,
    smtp_settings,
)
from braingain.integrations.errors import ConfigError, PlatformError
from braingain.integrations.files import OutboxError, outbox_name
from tests.integrations.email_support import digest_message, group, invitation, reader, week_digest_message
from tests.integrations.smtp_support import PASSWORD, USERNAME, Server, free_port, serve

WHEN = datetime(2027, 1, 16, 9, 30, tzinfo=timezone(timedelta(hours=1)))
SENDER = Address("Diamante Research Group", "group@diamante.example.org")
INVITATION = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
NAMES = [
    "Adébáyọ̀ Ọlátúnjí",  # Yoruba: tone marks and dots below (combining characters)
    "Chiamaka Nwosu-Ézè",
    "Siobhán O'Brien",  # an apostrophe, a special in an address header
    "Renée Côté-Lefèvre, Jr.",  # a comma: must not split into two addresses
    'Zoë "Zee" Brontë',  # quotes
    "Ngozi Okonjo-Iweala (Abuja)",  # parentheses: a comment in an address header
    "José María Núñez de la Peña y Fernández-Villaverde Álvarez de Toledo",  # long: folded
    "Ọ" * 60,  # one long word in encoded words, split between characters
    "Ada Lovelace",
    "=?utf-8?q?Ada?=",  # text that only looks like an encoded word stays as typed
    "",
]


def _unfolded(value: str) -> str:
    """A header value as a mail client reads it (RFC 2047: no space between adjacent encoded words)."""
    return str(make_header(decode_header(value)))


def _person(value: str) -> tuple[str, str]:
    """One address header as a mail client reads it: a phrase of encoded words is decoded as a
    whole (RFC 2047), a plain one parsed with its quotes (RFC 5322)."""
    unfolded = " ".join(value.split())
    if unfolded.startswith("=?"):
        words, _, email = unfolded.rpartition(" <")
        return _unfolded(words), email.rstrip(">")
    [(name, email)] = getaddresses([unfolded])
    return name, email


def _parse(raw: bytes) -> EmailMessage:
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _parts(message: MIMEPart) -> list[MIMEPart]:
    return list(message.iter_parts())


def _read(raw: bytes) -> Message:
    return message_from_bytes(raw, policy=policy.compat32)


def _message(to: Address, *, key: str = "email:digest:2027-01-16:m-ada", **overrides: Any) -> EmailMessage:
    values: dict[str, Any] = {
        "to": to,
        "sender": SENDER,
        "subject": "Your week in the Diamante group",
        "text": "Hello,\n\nTwo tasks wait for a volunteer.\n",
        "html": "<p>Hello,</p><p>Two tasks wait for a volunteer.</p>",
        "key": key,
        "domain": "diamante.example.org",
        "date": WHEN,
    }
    values.update(overrides)
    return compose(**values)


# Building a message -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_a_name_in_any_script_reads_back_exactly_from_ascii_headers_folded_at_78(name: str) -> None:
    raw = bytes(_message(Address(name, "ada@example.org"), subject=f"Digest for {name}"))
    head = raw.split(b"\r\n\r\n", 1)[0]
    head.decode("ascii")  # pure ASCII: no SMTPUTF8 needed
    lines = head.split(b"\r\n")
    assert all(len(line) <= 78 for line in lines if not line.startswith(b"Message-ID")), lines
    parsed = _read(raw)
    assert _person(parsed["To"]) == (name, "ada@example.org")
    assert _unfolded(parsed["Subject"]) == f"Digest for {name}".strip()
    modern = message_from_bytes(raw, policy=policy.default)
    assert [a.addr_spec for a in modern["To"].addresses] == ["ada@example.org"]


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")), max_size=80))
def test_any_name_or_subject_without_spaces_reads_back_exactly(name: str) -> None:
    raw = bytes(_message(Address(name, "ada@example.org"), subject=name or "-"))
    parsed = _read(raw)
    assert _unfolded(parsed["Subject"]) == (name or "-")
    assert _person(parsed["To"]) == (name, "ada@example.org")
    assert raw.split(b"\r\n\r\n", 1)[0].isascii()
    modern = message_from_bytes(raw, policy=policy.default)
    assert [a.addr_spec for a in modern["To"].addresses] == ["ada@example.org"]


def test_a_line_break_typed_in_a_name_or_subject_becomes_one_space_not_a_second_header() -> None:
    raw = bytes(
        _message(Address("Ada\nBcc: x@evil.example", "ada@example.org"), subject="Week\r\nBcc: y@e.x")
    )
    parsed = _read(raw)
    assert parsed["Bcc"] is None
    assert _unfolded(parsed["Subject"]) == "Week Bcc: y@e.x"


def test_plain_text_and_html_are_alternatives_and_the_invitation_a_calendar_attachment() -> None:
    invitation = Attachment("invitation.ics", INVITATION, "text/calendar", {"method": "REQUEST"})
    raw = bytes(_message(Address("Ada", "ada@example.org"), attachments=[invitation]))
    parsed = _parse(raw)
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attached = _parts(parsed)
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html = _parts(alternative)
    assert plain.get_content_type() == "text/plain"
    assert plain.get_content_charset() == "utf-8"
    assert plain.get_content().replace("\r\n", "\n") == "Hello,\n\nTwo tasks wait for a volunteer.\n"
    assert html.get_content_type() == "text/html"
    assert "<p>Two tasks wait for a volunteer.</p>" in html.get_content()
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_param("method") == "REQUEST"
    assert attached.get_filename() == "invitation.ics"
    assert attached.get_payload(decode=True) == INVITATION
    assert parsed["Date"] == "Sat, 16 Jan 2027 09:30:00 +0100"


def test_the_same_values_give_the_same_bytes_with_boundaries_no_line_of_content_can_hold() -> None:
    invitation = Attachment("invitation.ics", INVITATION, "text/calendar", {"method": "REQUEST"})
    one = bytes(_message(Address("Ada", "ada@example.org"), attachments=[invitation]))
    again = bytes(_message(Address("Ada", "ada@example.org"), attachments=[invitation]))
    assert one == again
    other = bytes(_message(Address("Ada", "ada@example.org"), attachments=[invitation], text="Changed.\n"))
    boundaries = re.findall(rb'boundary="([^"]+)"', one)
    assert len(boundaries) == 2
    assert all(b.startswith(b"=_") for b in boundaries)  # "=" is "=3D" in quoted-printable, absent in base64
    assert set(boundaries).isdisjoint(re.findall(rb'boundary="([^"]+)"', other))


def test_without_html_or_attachments_the_message_is_plain_text_alone() -> None:
    parsed = message_from_bytes(
        bytes(_message(Address("Ada", "ada@example.org"), html=None)), policy=policy.default
    )
    assert parsed.get_content_type() == "text/plain"
    assert not parsed.is_multipart()


def test_the_message_id_is_the_keys_sha256_and_the_same_key_gives_the_same_message_id() -> None:
    one = _message(Address("Ada", "ada@example.org"), date=WHEN)
    again = _message(Address("Ada", "ada@example.org"), date=WHEN + timedelta(days=1), subject="Changed")
    other = _message(Address("Ada", "ada@example.org"), key="email:digest:2027-01-23:m-ada")
    assert (
        one["Message-ID"]
        == again["Message-ID"]
        == message_id("email:digest:2027-01-16:m-ada", "diamante.example.org")
    )
    digest = hashlib.sha256(b"email:digest:2027-01-16:m-ada").hexdigest()
    assert one["Message-ID"] == f"<{digest}@diamante.example.org>"
    assert other["Message-ID"] != one["Message-ID"]
    assert "m-ada" not in one["Message-ID"]


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"date": datetime(2027, 1, 16, 9, 30)}, "time zone"),
        ({"key": ""}, "needs a key"),
        ({"domain": "not a domain"}, "not a domain name"),
    ],
)
def test_a_message_without_a_zone_a_key_or_a_domain_is_refused(values: dict[str, Any], said: str) -> None:
    with pytest.raises(ValueError, match=said):
        _message(Address("Ada", "ada@example.org"), **values)


@pytest.mark.parametrize(
    "email", ["ada", "ada@", "ada@example", "ada@exämple.org", "a\n@example.org", "a..b@x.org"]
)
def test_an_address_that_is_not_plain_is_refused_without_echoing_it(email: str) -> None:
    with pytest.raises(ValueError, match="Ada") as raised:
        Address("Ada", email)
    assert email not in str(raised.value)


def test_an_address_never_shows_its_email_in_repr() -> None:
    assert "ada@example.org" not in repr(Address("Ada", "ada@example.org"))
    assert "Ada" in repr(Address("Ada", "ada@example.org"))


def test_a_message_goes_over_starttls_with_login_and_reads_back_whole(server: Server) -> None:
    invitation = Attachment("invitation.ics", INVITATION, "text/calendar", {"method": "REQUEST"})
    message = _message(Address("Adébáyọ̀ Ọlátúnjí", "ade@example.org"), attachments=[invitation])
    server.sender().send(message)
    [envelope] = server.mailbox.received
    assert server.mailbox.logins
    assert server.mailbox.logins[0] in ("LOGIN", "PLAIN")
    assert envelope.mail_from == "group@diamante.example.org"
    assert envelope.rcpt_tos == ["ade@example.org"]
    assert isinstance(envelope.content, bytes)
    parsed = _parse(envelope.content)
    assert parsed["Message-ID"] == message["Message-ID"]
    assert _person(_read(envelope.content)["To"]) == ("Adébáyọ̀ Ọlátúnjí", "ade@example.org")
    alternative, attached = _parts(parsed)
    assert [p.get_content_type() for p in _parts(alternative)] == ["text/plain", "text/html"]
    assert attached.get_payload(decode=True) == INVITATION
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_param("method") == "REQUEST"


def test_a_line_starting_with_a_dot_arrives_as_typed(server: Server) -> None:
    server.sender().send(_message(Address("Ada", "ada@example.org"), text=".\n.. two dots\nend\n", html=None))
    [envelope] = server.mailbox.received
    assert isinstance(envelope.content, bytes)
    content = message_from_bytes(envelope.content, policy=policy.default).get_content()
    assert content.replace("\r\n", "\n") == ".\n.. two dots\nend\n"


def test_a_wrong_password_is_refused_halting_with_nothing_sent_and_no_password_in_the_error(
    server: Server,
) -> None:
    with pytest.raises(SmtpAuthRefused) as raised:
        server.sender(password="wrong-" + PASSWORD).send(_message(Address("Ada", "ada@example.org")))
    assert raised.value.halts
    assert raised.value.outcome_known
    assert PASSWORD not in str(raised.value)
    assert "SMTP_PASSWORD" in str(raised.value)
    assert "535" in str(raised.value)
    assert server.mailbox.received == []


def test_a_refused_recipient_is_known_not_sent_does_not_halt_and_names_no_address(server: Server) -> None:
    server.mailbox.refused.add("gone@example.org")
    with pytest.raises(SmtpRecipientRefused) as raised:
        server.sender().send(_message(Address("Ada", "gone@example.org")))
    assert raised.value.outcome_known
    assert not raised.value.halts
    assert raised.value.code == 550
    assert "@" not in str(raised.value)
    assert "no such user" in str(raised.value)
    server.sender().send(_message(Address("Bea", "bea@example.org")))  # the next one goes on
    assert [e.rcpt_tos for e in server.mailbox.received] == [["bea@example.org"]]


def test_a_connection_lost_after_the_message_went_out_is_an_unknown_outcome_that_halts(
    server: Server,
) -> None:
    server.mailbox.drop_after_data = True
    with pytest.raises(SmtpUnavailable) as raised:
        server.sender().send(_message(Address("Ada", "ada@example.org")))
    assert type(raised.value) is SmtpUnavailable
    assert raised.value.halts
    assert not raised.value.outcome_known
    assert len(server.mailbox.received) == 1  # it did arrive: only its Message-ID can tell a resend


def test_a_server_that_closes_at_once_is_not_sent_and_halts() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def close_each() -> None:
            connection, _ = listener.accept()
            connection.close()

        closer = threading.Thread(target=close_each)
        closer.start()
        sender = SmtpSender("127.0.0.1", port, USERNAME, PASSWORD, timeout=2, helo="localhost")
        with pytest.raises(SmtpNotSent) as raised:
            sender.send(_message(Address("Ada", "ada@example.org")))
        closer.join()
    assert raised.value.halts
    assert raised.value.outcome_known
    assert PASSWORD not in str(raised.value)


def test_a_server_that_never_answers_times_out_as_not_sent() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # takes the connection, never greets
        sender = SmtpSender(
            "127.0.0.1", listener.getsockname()[1], USERNAME, PASSWORD, timeout=0.2, helo="localhost"
        )
        with pytest.raises(SmtpNotSent, match="nothing was sent"):
            sender.send(_message(Address("Ada", "ada@example.org")))


def test_nobody_listening_is_not_sent() -> None:
    sender = SmtpSender("127.0.0.1", free_port(), USERNAME, PASSWORD, timeout=1, helo="localhost")
    with pytest.raises(SmtpNotSent):
        sender.send(_message(Address("Ada", "ada@example.org")))


def test_a_certificate_not_trusted_is_refused_before_any_password_is_sent(server: Server) -> None:
    stranger = SmtpSender(
        server.host,
        server.port,
        USERNAME,
        PASSWORD,
        timeout=5,
        context=ssl.create_default_context(),
        helo="localhost",
    )
    with pytest.raises(SmtpNotSecure) as raised:
        stranger.send(_message(Address("Ada", "ada@example.org")))
    assert raised.value.halts
    assert raised.value.outcome_known
    assert server.mailbox.logins == []
    assert server.mailbox.received == []


def test_a_server_without_starttls_gets_no_password(authority: trustme.CA) -> None:
    for plain in serve(authority, tls=False):
        with pytest.raises(SmtpNotSecure, match="STARTTLS"):
            plain.sender().send(_message(Address("Ada", "ada@example.org")))
        assert plain.mailbox.logins == []


def test_login_without_tls_only_to_a_loopback_server_when_asked(authority: trustme.CA) -> None:
    for plain in serve(authority, tls=False):
        plain.sender(starttls=False).send(_message(Address("Ada", "ada@example.org")))
        assert len(plain.mailbox.received) == 1
    with pytest.raises(ValueError, match="only over TLS"):
        SmtpSender("smtp.example.org", 587, USERNAME, PASSWORD, timeout=5, starttls=False)


def test_every_email_error_is_a_platform_error() -> None:
    for kind in (SmtpAuthRefused, SmtpNotSecure, SmtpUnavailable, SmtpNotSent, SmtpRecipientRefused):
        assert issubclass(kind, PlatformError)


# Settings -----------------------------------------------------------------------------------------


def _config(tmp_path: Path, toml: str, env: dict[str, str]) -> Any:
    path = tmp_path / "braingain.toml"
    path.write_text(toml, encoding="utf-8")
    return load_config(path, environ=env)


SECRETS = {
    "SMTP_USERNAME": USERNAME,
    "SMTP_PASSWORD": PASSWORD,
    "SMTP_FROM": "Diamante <group@diamante.example.org>",
}


def test_smtp_settings_come_from_the_email_section_and_the_secrets_from_the_environment(
    tmp_path: Path,
) -> None:
    settings = smtp_settings(_config(tmp_path, '[email]\nsmtp_host = "mail.example.org"\n', SECRETS))
    assert settings is not None
    assert (settings.host, settings.port, settings.username) == ("mail.example.org", 587, USERNAME)
    assert settings.sender == Address("Diamante", "group@diamante.example.org")
    assert PASSWORD not in repr(settings)
    assert "group@" not in repr(settings)


def test_without_an_smtp_host_mail_goes_to_the_outbox(tmp_path: Path) -> None:
    assert smtp_settings(_config(tmp_path, "", SECRETS)) is None


@pytest.mark.parametrize(
    ("toml", "env", "said"),
    [
        ('[email]\nsmtp_host = "m.example.org"\n', {}, "SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM are not"),
        ('[email]\nsmtp_host = "m.example.org"\n', {**SECRETS, "SMTP_FROM": "nobody"}, "SMTP_FROM"),
        ('[email]\nsmtp_host = "m.example.org"\nsmtp_port = 465\n', SECRETS, "implicit TLS"),
    ],
)
def test_incomplete_smtp_settings_are_refused_saying_what_to_add(
    tmp_path: Path, toml: str, env: dict[str, str], said: str
) -> None:
    with pytest.raises(ConfigError, match=said) as raised:
        smtp_settings(_config(tmp_path, toml, env))
    assert PASSWORD not in str(raised.value)


# The outbox ---------------------------------------------------------------------------------------


def test_the_outbox_keeps_each_message_as_an_eml_file_a_mail_client_opens(tmp_path: Path) -> None:
    outbox = EmailOutbox(tmp_path / "outbox" / "email")
    message = _message(Address("Ada", "ada@example.org"))
    written = outbox.write("email:digest:2027-01-16:m-ada", message)
    assert written == tmp_path / "outbox" / "email" / outbox_name("email:digest:2027-01-16:m-ada", ".eml")
    assert written.name.startswith("email_digest_2027-01-16_m-ada-")
    assert written.read_bytes() == bytes(message)
    assert _read(written.read_bytes())["Message-ID"] == message["Message-ID"]


def test_the_outbox_does_not_rewrite_a_message_it_already_holds(tmp_path: Path) -> None:
    outbox = EmailOutbox(tmp_path)
    message = _message(Address("Ada", "ada@example.org"))
    first = outbox.write("k", message)
    assert first is not None
    before = first.stat().st_mtime_ns
    assert outbox.write("k", message) is None
    assert first.stat().st_mtime_ns == before
    assert outbox.write("k", _message(Address("Ada", "ada@example.org"), subject="New")) == first
    assert [p.name for p in tmp_path.iterdir()] == ["k.eml"]  # no temporary left behind


@pytest.mark.parametrize(
    ("one", "other"), [("a:b", "a_b"), ("a/b", "a_b"), ("..", "_"), ("é", "e"), ("con", "CON-x")]
)
def test_two_keys_never_share_a_file_and_none_reaches_outside_the_folder(
    tmp_path: Path, one: str, other: str
) -> None:
    outbox = EmailOutbox(tmp_path)
    assert outbox.path_of(one) != outbox.path_of(other)
    for key in (one, other, "x" * 400, "../../etc/passwd"):
        path = outbox.path_of(key)
        assert path.parent == tmp_path
        assert not path.name.startswith(".")
        assert len(path.name) <= 200
        assert path.stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}


def test_an_outbox_where_a_file_stands_is_refused_saying_which(tmp_path: Path) -> None:
    (tmp_path / "outbox").write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutboxError, match="is a file"):
        EmailOutbox(tmp_path / "outbox" / "email").write("k", _message(Address("Ada", "ada@example.org")))


def test_dates_are_written_as_given_never_from_a_clock() -> None:
    late = datetime(2027, 3, 28, 0, 59, tzinfo=UTC)
    assert _message(Address("Ada", "ada@example.org"), date=late)["Date"] == "Sun, 28 Mar 2027 00:59:00 +0000"


def test_an_attachment_named_in_any_script_keeps_its_name_in_ascii_headers() -> None:
    name = "Réunion du groupe — 16 janvier 2027 (Ọlátúnjí).ics"
    attachment = Attachment(name, INVITATION, "text/calendar", {"method": "REQUEST"})
    raw = bytes(_message(Address("Ada", "ada@example.org"), attachments=[attachment]))
    assert raw.isascii()
    assert [part.get_filename() for part in _parse(raw).iter_attachments()] == [name]


@pytest.mark.parametrize(
    ("filename", "content_type"), [("", "text/calendar"), ("a/b.ics", "text/calendar"), ("a.ics", "calendar")]
)
def test_an_attachment_without_a_file_name_or_a_mime_type_is_refused(
    filename: str, content_type: str
) -> None:
    with pytest.raises(ValueError, match="is not a"):
        Attachment(filename, INVITATION, content_type)


# Delivering a member's messages -------------------------------------------------------------------

SENT_AT = datetime(2027, 1, 11, 8, 0, tzinfo=UTC)
GROUP_FROM = Address("Diamante-style sample group", "digest@diamante.example.org")


def _by_smtp(server: Server, at: datetime = SENT_AT) -> EmailDelivery:
    return EmailDelivery(SENDER, smtp=server.sender(), clock=lambda: at)


def _text_of(part: MIMEPart) -> str:
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


def test_a_members_digest_goes_by_smtp_as_text_and_html_with_the_meetings_invitation(server: Server) -> None:
    message, invited = week_digest_message(), invitation()
    where = _by_smtp(server).send(message, reader(), group=group(), invitation=invited)
    assert where == "sent by email to Uyiosa Omoregbe"
    [envelope] = server.mailbox.received
    assert envelope.rcpt_tos == ["uyi.omoregbe@example.org"]
    assert envelope.mail_from == SENDER.email
    assert isinstance(envelope.content, bytes)
    parsed = _parse(envelope.content)
    expected = render_email(message, reader(), group(), invitation=invited)
    assert parsed["Subject"] == expected.subject
    assert parsed["Message-ID"] == message_id(message.key, "diamante.example.org")
    assert parsed["Date"] == "Mon, 11 Jan 2027 08:00:00 +0000"
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attached = _parts(parsed)
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html = _parts(alternative)
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert _text_of(plain) == expected.text
    assert _text_of(html) == expected.html
    assert invited.url is not None
    assert invited.url in _text_of(plain)  # the join link, from the invitation
    assert attached.get_content_type() == "text/calendar"
    assert attached.get_param("method") == "REQUEST"
    assert attached.get_filename() == f"{invited.meeting_id}.ics"
    ics = attached.get_payload(decode=True)
    assert isinstance(ics, bytes)
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == invited.uid
    assert str(event["ORGANIZER"]) == f"mailto:{SENDER.email}"
    assert str(event["ATTENDEE"]) == "mailto:uyi.omoregbe@example.org"
    assert event.decoded("DTSTAMP") == SENT_AT


def test_without_an_invitation_the_message_is_its_text_and_html_alone(server: Server) -> None:
    _by_smtp(server).send(digest_message(), reader(), group=group())
    [envelope] = server.mailbox.received
    assert isinstance(envelope.content, bytes)
    parsed = _parse(envelope.content)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in _parts(parsed)] == ["text/plain", "text/html"]


def test_sent_again_later_the_message_carries_the_same_message_id(server: Server) -> None:
    _by_smtp(server).send(digest_message(), reader(), group=group())
    _by_smtp(server, SENT_AT + timedelta(hours=6)).send(digest_message(), reader(), group=group())
    first, again = server.mailbox.received
    assert isinstance(first.content, bytes)
    assert isinstance(again.content, bytes)
    assert _parse(first.content)["Message-ID"] == _parse(again.content)["Message-ID"]
    assert _parse(first.content)["Date"] != _parse(again.content)["Date"]


def test_a_member_without_a_readable_email_gets_nothing_known_and_not_halting_named_without_address(
    server: Server,
) -> None:
    unread = replace(reader(), email=None, unknown=frozenset({"email"}))
    with pytest.raises(NoEmailAddress) as raised:
        _by_smtp(server).send(digest_message(), unread, group=group())
    assert raised.value.outcome_known
    assert not raised.value.halts
    assert isinstance(raised.value, PlatformError)
    assert "Uyiosa Omoregbe" in str(raised.value)
    assert "could not be read" in str(raised.value)
    assert "Email column" in str(raised.value)
    assert "@" not in str(raised.value)
    assert server.mailbox.received == []


def test_an_address_mail_cannot_carry_is_refused_without_showing_it(server: Server) -> None:
    odd = reader()
    assert odd.email is not None
    loose = Email.__new__(Email)
    object.__setattr__(loose, "address", "uyi..o@example.org")  # a reading looser than mail's
    with pytest.raises(NoEmailAddress) as raised:
        _by_smtp(server).send(digest_message(), replace(odd, email=loose), group=group())
    assert "@" not in str(raised.value)
    assert "Uyiosa Omoregbe" in str(raised.value)
    assert server.mailbox.received == []


def test_with_no_mail_server_the_message_is_kept_as_one_eml_and_sending_again_rewrites_that_file(
    tmp_path: Path,
) -> None:
    delivery = EmailDelivery(GROUP_FROM, outbox=EmailOutbox(tmp_path / "email"))
    message = digest_message()
    where = delivery.send(message, reader(), group=group(), invitation=invitation())
    [kept] = (tmp_path / "email").iterdir()
    assert where == str(kept)
    assert kept.name == outbox_name(message.key, ".eml")  # the message's key alone names it
    email = reader().email
    assert email is not None
    assert email.address.split("@")[1] not in kept.name  # nor any part of an address
    parsed = _parse(kept.read_bytes())
    assert parsed["Message-ID"] == message_id(message.key, "diamante.example.org")
    assert parsed["Date"] == "Mon, 11 Jan 2027 07:00:00 +0000"  # when it became due: the same bytes again
    assert [p.get_content_type() for p in parsed.iter_attachments()] == ["text/calendar"]
    before = kept.read_bytes()
    assert delivery.send(message, reader(), group=group(), invitation=invitation()) == where
    assert kept.read_bytes() == before
    digest = message.content
    assert isinstance(digest, MemberDigest)
    changed = replace(message, content=replace(digest, notes=("a note added since",)))
    assert delivery.send(changed, reader(), group=group()) == where
    assert [p.name for p in (tmp_path / "email").iterdir()] == [kept.name]
    assert "a note added since" in _text_of(_parts(_parse(kept.read_bytes()))[0])


def test_mail_for_keeps_mail_in_the_outbox_from_the_group_until_a_server_is_set(tmp_path: Path) -> None:
    config = _config(tmp_path, '[group]\nname = "Diamante"\n', {})
    delivery = mail_for(config, domain="diamante-0123456789.braingain.invalid")
    assert delivery.smtp is None
    assert delivery.outbox is not None
    assert delivery.outbox.folder == config.outbox / "email"
    assert delivery.sender == Address("Diamante", "meetings@diamante-0123456789.braingain.invalid")


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        (
            "Diamante mail <group@diamante.example.org>",
            Address("Diamante mail", "group@diamante.example.org"),
        ),
        ("group@diamante.example.org", Address("Diamante", "group@diamante.example.org")),
    ],
)
def test_mail_for_sends_by_smtp_from_smtp_from_named_after_the_group_when_it_names_no_one(
    tmp_path: Path, sender: str, expected: Address
) -> None:
    toml = '[group]\nname = "Diamante"\n[email]\nsmtp_host = "mail.example.org"\n'
    delivery = mail_for(
        _config(tmp_path, toml, {**SECRETS, "SMTP_FROM": sender}), domain="x.braingain.invalid"
    )
    assert delivery.outbox is None
    assert delivery.smtp is not None
    assert (delivery.smtp.host, delivery.smtp.port) == ("mail.example.org", 587)
    assert delivery.sender == expected
    assert delivery.domain == "diamante.example.org"


def test_mail_for_sends_through_the_configured_server(tmp_path: Path, server: Server) -> None:
    toml = f'[group]\nname = "Diamante"\n[email]\nsmtp_host = "{server.host}"\nsmtp_port = {server.port}\n'
    delivery = mail_for(_config(tmp_path, toml, SECRETS), domain="x.braingain.invalid")
    assert delivery.smtp is not None
    delivery.smtp.context = server.client  # the test authority's certificate
    delivery.smtp.helo = "localhost"
    assert delivery.send(digest_message(), reader(), group=group()) == "sent by email to Uyiosa Omoregbe"
    [envelope] = server.mailbox.received
    assert envelope.rcpt_tos == ["uyi.omoregbe@example.org"]
