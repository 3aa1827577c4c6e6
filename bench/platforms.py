"""Zoom calls per sync: the sample group in a local workbook, the real Zoom client against the
loopback fake Zoom (requests counted by the fake, per route)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from tests.fakes.zoom import FakeZoom
from tests.fakes.zoom_support import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, Clock
from tests.integrations.platform_support import (
    NOON,
    ahead,
    edit_meeting,
    group_folder,
    setup,
    sync,
)

ROUTES = (
    ("oauth.token", "token"),
    ("meetings.list", "list"),
    ("meetings.create", "create"),
    ("meetings.update", "update"),
    ("meetings.delete", "delete"),
)


def measure(report: Callable[[str], None]) -> None:
    clock = Clock()
    with FakeZoom() as fake, tempfile.TemporaryDirectory() as folder:
        fake.clock = clock
        fake.register_app(ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)
        config = group_folder(Path(folder) / "group")
        meetings = len(ahead(config))

        def run(label: str, at: datetime = NOON) -> None:
            fake.reset_counts()
            platforms, _ = setup(config, fake, clock)
            outcome = sync(config, platforms, at=at)
            counts = [fake.count(route) for route, _ in ROUTES]
            invitations = sum(1 for a in outcome.platforms.actions if a.platform == "calendar")
            report(
                f"  {label:<36} "
                + " ".join(f"{n:>{len(name) + 1}}" for n, (_, name) in zip(counts, ROUTES, strict=True))
                + f" {sum(fake.counts.values()):>7}   ({invitations} invitations written)"
            )

        report(
            f"\nZoom calls per sync: the sample group, {meetings} meetings ahead (real client, loopback fake)"
        )
        report(f"  {'':<36} " + " ".join(f"{name:>{len(name) + 1}}" for _, name in ROUTES) + "   total")
        run("a new group's first sync")
        run("no-op (second sync)")
        ident = ahead(config)[1]
        moved = datetime.fromisoformat(ident).replace(hour=17) + timedelta(days=1)
        edit_meeting(config, ident, Status="moved", **{"Moved to": moved})
        run("one meeting moved")
        run("no-op (after the move)")
