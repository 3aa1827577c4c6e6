"""The suite's own guard: tests never touch the network."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import NetworkAccessError


def test_connecting_outside_loopback_fails_the_test() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NetworkAccessError, match="loopback"),
    ):
        sock.connect(("192.0.2.1", 80))


def test_loopback_connections_are_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass


def test_looking_up_a_remote_name_fails_the_test() -> None:
    with pytest.raises(NetworkAccessError, match="loopback"):
        socket.getaddrinfo("sheets.googleapis.com", 443)
