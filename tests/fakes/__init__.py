"""Loopback fakes of the HTTP services braingain talks to (see :mod:`tests.fakes.framework`)."""
