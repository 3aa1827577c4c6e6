"""Requests per sync against the loopback Google fake, through the real gspread and google-auth clients."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.synthetic import synthetic_group
from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.read import Settings
from braingain.core.tracker.schema import Cell
from braingain.integrations import compose
from braingain.integrations.config import Config, TrackerConfig
from braingain.integrations.tracker.google_sheets import create_spreadsheet
from braingain.integrations.tracker.schema import load_schema
from tests.fakes.fixtures import authorized_user_info, google_endpoints
from tests.fakes.google import FakeGoogle

READS = ("spreadsheets.get", "values.batchGet")
GUARD = "values.batchGetByDataFilter"
"""The guard read: the tabs to write, read again just before the write."""
BATCH = "spreadsheets.batchUpdate"
WRITES = frozenset(
    {
        "updateCells",
        "appendCells",
        "appendDimension",
        "updateTable",
        "setBasicFilter",
        "updateFilterView",
        "updateNamedRange",
        "deleteDeveloperMetadata",
        "createDeveloperMetadata",
    }
)
"""What the write's batchUpdate holds (its cells, the tab's growth, and the sync lease's swap, which
every batch starts with); a batchUpdate with anything else adds tabs or columns (structural)."""


def _structural(fake: FakeGoogle) -> int:
    return sum(
        1
        for request in fake.requests_to(BATCH)
        if any(next(iter(r)) not in WRITES for r in request.body.get("requests", []))
    )


def _config(fake: FakeGoogle, key: Path, spreadsheet_id: str | None, settings: Settings) -> Config:
    return Config(
        source=None,
        settings=settings,
        tracker=TrackerConfig(backend="google", spreadsheet_id=spreadsheet_id, share_with_leaders=False),
        endpoints=google_endpoints(fake),
        environment={"GOOGLE_APPLICATION_CREDENTIALS": str(key)},
    )


def measure(report: Callable[[str], None]) -> None:
    group = synthetic_group(24, 200)
    rows: dict[str, list[dict[str, Cell]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group))
    settings = Settings(name=group.name, policy=group.policy)
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    schema = load_schema()
    with FakeGoogle() as fake, tempfile.TemporaryDirectory() as folder:
        key = Path(folder) / "key.json"
        key.write_text(json.dumps(authorized_user_info(fake)), encoding="utf-8")
        sheet = create_spreadsheet(_config(fake, key, None, settings), schema, title="bench", rows=rows)
        config = _config(fake, key, sheet, settings)

        def sync(label: str) -> None:
            fake.reset_counts()
            outcome = compose.run_sync(config, apply=True, at=now)
            token, guard = fake.count("token"), fake.count(GUARD)
            reads = sum(fake.count(route) for route in READS)
            structural = _structural(fake)
            writes = fake.count(BATCH) - structural + fake.count("values.batchUpdate")
            api = sum(fake.counts.values()) - token  # the Sheets requests; the token is sign-in
            report(
                f"  {label:<34} {token:>5} {reads:>6} {guard:>6} {writes:>7} {structural:>11} {api:>6}"
                f"   ({len(outcome.plan.write.cells)} cells)"
            )

        report("\nrequests per sync on Google: 24 members x 200 tasks (real clients, loopback fake)")
        columns = ("token", 5), ("reads", 6), ("guard", 6), ("writes", 7), ("structural", 11), ("Sheets", 6)
        report(f"  {'':<34} " + " ".join(f"{name:>{width}}" for name, width in columns))
        sync("cold start (first sync)")
        sync("no-op (second sync)")
        grid = fake.values(sheet, "Tasks")
        header = grid[0]
        check = header.index("Check")
        title = header.index("Title")
        fake.set_values(sheet, "Tasks", f"{chr(65 + title)}2", [[f"{grid[1][title]} (renamed)"]])
        fake.set_values(sheet, "Tasks", f"{chr(65 + check)}2", [[""]])
        sync("one change")
        column = chr(65 + check)
        fake.set_values(sheet, "Tasks", f"{column}2", [[""] for _ in range(200)])
        sync("200 changes")
        fake.delete_columns(sheet, "Tasks", check + 1)
        sync("a column deleted (added back)")
