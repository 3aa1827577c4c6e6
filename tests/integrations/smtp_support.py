"""A real SMTP server on loopback (aiosmtpd) with STARTTLS and a login, for the email tests."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from braingain.integrations.email import SmtpSender

PASSWORD = "s3cret-Pa55word"
USERNAME = "group-mailer"


# The server -------------------------------------------------------------------


@dataclass
class Mailbox:
    """What the server received, and how it behaves."""

    received: list[Envelope] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    drop_after_data: bool = False
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refused:
            return f"550 5.1.1 <{address}>: no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        self.received.append(envelope)
        if self.drop_after_data:
            assert isinstance(server.transport, asyncio.Transport)
            server.transport.abort()  # the message was taken; the 250 never reaches the client
        return "250 OK: queued"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.logins.append(mechanism)
        ok = auth_data.login == USERNAME.encode() and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself


@dataclass
class Server:
    host: str
    port: int
    mailbox: Mailbox
    client: ssl.SSLContext

    def sender(self, *, password: str = PASSWORD, timeout: float = 5.0, starttls: bool = True) -> SmtpSender:
        return SmtpSender(
            self.host,
            self.port,
            USERNAME,
            password,
            timeout=timeout,
            starttls=starttls,
            context=self.client,
            helo="localhost",
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def serve(authority: trustme.CA, *, tls: bool = True) -> Iterator[Server]:
    mailbox = Mailbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        server_hostname="mail.test",
        tls_context=context if tls else None,
        require_starttls=tls,
        auth_required=tls,  # aiosmtpd warns, rightly, of a server that requires AUTH without TLS
        auth_require_tls=tls,
        authenticator=mailbox.authenticate,
        enable_SMTPUTF8=False,
    )
    client = ssl.create_default_context()
    authority.configure_trust(client)
    controller.start()
    try:
        yield Server("127.0.0.1", controller.port, mailbox, client)
    finally:
        controller.stop()


@pytest.fixture
def server(authority: trustme.CA) -> Iterator[Server]:
    yield from serve(authority)
