"""Suite-wide rules: no test reaches beyond this machine, and property tests are repeatable."""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

import pytest

# As braingain's workbook module does before importing openpyxl: its standard-library writer, whatever
# a test module imports first (see integrations/tracker/workbook.py).
os.environ.setdefault("OPENPYXL_LXML", "False")
from hypothesis import HealthCheck, settings

pytest_plugins = [
    "tests.fakes.fixtures",
    "tests.fakes.zoom_support",
    "tests.fakes.slack_support",
    "tests.integrations.smtp_support",
]

settings.register_profile("default", deadline=None, max_examples=100)
settings.register_profile(
    "ci", deadline=None, max_examples=100, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


class NetworkAccessError(AssertionError):
    """A test tried to reach an address outside the loopback range."""


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
    else:
        return True  # AF_UNIX paths and the like stay on this machine
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that connects anywhere but loopback (127.0.0.0/8, ::1)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    real_getaddrinfo = socket.getaddrinfo

    def guard(sock: socket.socket | None, address: Any) -> None:
        if not _is_loopback(address):
            if sock is not None:
                sock.close()  # close it, so that failing the test leaks no socket
            raise NetworkAccessError(f"tests may only reach loopback addresses, not {address!r}")

    def connect(self: socket.socket, address: Any) -> None:
        guard(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        """No name lookups beyond this machine: a DNS query is network traffic too."""
        guard(None, (host, 0))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def _no_state_key_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A group's state key in the shell running the tests never stands in for the one a test makes."""
    monkeypatch.delenv("BRAINGAIN_STATE_KEY", raising=False)


@pytest.fixture(autouse=True)
def _own_configuration_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """braingain's own configuration folder (the Google sign-in) is a fresh one per test, never the
    real one of the person running the tests; no Google or Zoom credentials come from their shell either."""
    monkeypatch.setenv("BRAINGAIN_CONFIG_HOME", str(tmp_path_factory.mktemp("braingain-config-home")))
    for name in (
        "GOOGLE_APPLICATION_CREDENTIALS",
        "BRAINGAIN_GOOGLE_CLIENT_ID",
        "BRAINGAIN_GOOGLE_CLIENT_SECRET",
        "BRAINGAIN_GOOGLE_REFRESH_TOKEN",
        "ZOOM_ACCOUNT_ID",
        "ZOOM_CLIENT_ID",
        "ZOOM_CLIENT_SECRET",
        "ZOOM_WEBHOOK_SECRET_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
