"""Google Drive requests per sync: the sample group on a Google Sheet with its folders on Drive, the
real clients (gspread; googleapiclient on httplib2) against the loopback Google fake, as
``compose.platform_setup`` sets them up (requests counted by the fake, per Drive route)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from braingain.sample import sample_group
from tests.fakes.google import FakeGoogle
from tests.integrations.chart_support import CountingSource
from tests.integrations.drive_google_support import drive_requests, google_group, sync, type_into
from tests.integrations.platform_support import NOON, TODAY

ROUTES = (
    ("drive.files.list", "search"),
    ("drive.files.generateIds", "ids"),
    ("drive.files.create", "folder"),
    ("drive.files.create.media", "upload"),
    ("drive.files.get", "get"),
    ("drive.files.update.media", "replace"),
    ("drive.permissions.list", "read"),
    ("drive.permissions.create", "share"),
    ("drive.permissions.delete", "unshare"),
)
LAG = 3600.0
"""Seconds Drive's search lags behind a new file: nothing may count on it."""


def measure(report: Callable[[str], None]) -> None:
    with FakeGoogle() as fake, tempfile.TemporaryDirectory() as folder:
        fake.drive_search_lag = LAG
        group = google_group(fake, Path(folder) / "group")

        def run(label: str, at: datetime) -> int:
            fake.reset_counts()
            sync(group, at, charts=CountingSource())
            counts = drive_requests(fake)
            report(
                f"  {label:<34} "
                + " ".join(f"{counts[route]:>{len(name) + 1}}" for route, name in ROUTES)
                + f" {sum(counts.values()):>6}"
            )
            return sum(counts.values())

        sample = sample_group(TODAY)
        report(
            f"\nGoogle Drive requests per sync: the sample group ({len(sample.members)} members, "
            f"{len(sample.projects)} projects, a folder per stage; real googleapiclient against the loopback "
            "fake; each project's Gantt chart as PNG and SVG)"
        )
        report(f"  {'':<34} " + " ".join(f"{name:>{len(name) + 1}}" for _, name in ROUTES) + "  drive")
        run("a new group's first sync", NOON)
        idle = run("no-op (an hour later)", NOON + timedelta(hours=1))
        type_into(fake, group, "Members", "ngozi.ukpebor", {"Left": date(2027, 1, 11), "Active": False})
        run("a member leaves", NOON + timedelta(days=2))
        idle += run("no-op (after the leave)", NOON + timedelta(days=2, hours=1))
        type_into(fake, group, "Meetings", "2027-01-02", {"Minutes": "Corrected: reviewed the protocol."})
        run("minutes corrected", NOON + timedelta(days=2, hours=2))
        type_into(fake, group, "Tasks", "SR-T01", {"Title": "Protocol drafted and registered"})
        run("a task retitled (its Gantt chart)", NOON + timedelta(days=2, hours=3))
        idle += run("no-op (the next day)", NOON + timedelta(days=3, hours=3))
        report(f"  a no-op sync asks Drive nothing: {idle} requests (must be 0)")
        if idle:
            raise SystemExit("a no-op sync made Drive requests")
