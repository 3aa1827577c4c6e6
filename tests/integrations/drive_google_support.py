"""The sample group on Google, as ``compose.platform_setup`` sets it up from a braingain.toml: its
tracker on a Google Sheet in the loopback :class:`~tests.fakes.google.FakeGoogle` and its folders on
that fake's Drive, through the real clients (gspread; googleapiclient on httplib2). What the Drive
sync tests (``test_drive_sync_google.py``) and ``make bench`` share."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.schema import column_letter
from braingain.integrations import compose, text
from braingain.integrations.config import Config, load_config, new_state_key, state_key_in
from braingain.integrations.drive.google import KEY_PROPERTY, GoogleDrive
from braingain.integrations.engine.charts import ChartSource
from braingain.integrations.tracker.google_sheets import GoogleSheets
from braingain.sample import sample_group
from tests.fakes.fixtures import authorized_user_info
from tests.fakes.google import FakeGoogle
from tests.integrations.platform_support import NOON, TODAY
from tests.integrations.test_google_sheets import tabs_of

LOCAL_TRACKER = 'backend = "local"\npath = "braingain.xlsx"'


@dataclass(frozen=True)
class GoogleGroup:
    """The sample group in a folder with its braingain.toml (tracker: a Google Sheet in the fake) and
    a .env holding its state key and GOOGLE_APPLICATION_CREDENTIALS (the leader's own sign-in, or a
    service account's key)."""

    folder: Path
    sheet: str

    @property
    def path(self) -> Path:
        return self.folder / "braingain.toml"

    @property
    def config(self) -> Config:
        return load_config(self.path, environ={})


def google_group(
    fake: FakeGoogle, folder: Path, *, account: Mapping[str, object] | None = None, drive: str = ""
) -> GoogleGroup:
    """The sample group as it stands on TODAY, on a Google Sheet, with ``drive`` as its [drive] section."""
    folder.mkdir(parents=True)
    new_state_key(folder, {})
    key = folder / "google-key.json"
    key.write_text(json.dumps(account or authorized_user_info(fake)), encoding="utf-8")
    with (folder / ".env").open("a", encoding="utf-8") as env:
        env.write(f"GOOGLE_APPLICATION_CREDENTIALS={key}\n")
    group = sample_group(TODAY)
    rows: dict[str, Any] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group), state_key_in(folder, {}))
    sheet = fake.new_spreadsheet("tracker", tabs_of(rows))
    settings = text.demo_config(group)
    assert LOCAL_TRACKER in settings
    settings = settings.replace(LOCAL_TRACKER, f'backend = "google"\nspreadsheet_id = "{sheet}"')
    endpoints = "\n".join(
        f'{name} = "{fake.base_url}"' for name in ("google_sheets", "google_apis", "google_oauth")
    )
    settings += f"\n[endpoints]\n{endpoints}\n\n[drive]\n{drive}\n"
    (folder / "braingain.toml").write_text(settings, encoding="utf-8")
    return GoogleGroup(folder, sheet)


def sync(
    group: GoogleGroup,
    at: datetime = NOON,
    *,
    apply: bool = True,
    refresh: bool = False,
    wrap: Callable[[GoogleDrive], Any] | None = None,
    charts: ChartSource | None = None,
) -> compose.SyncOutcome:
    """A sync (or, without ``apply``, a plan) at ``at`` with the platforms ``compose.platform_setup``
    builds from the group's braingain.toml; ``wrap`` puts a port around its Google Drive; ``charts``
    are kept in the project folders. The Google
    Sheet's clock is ``at`` too, so that a sync stopped dead holds the sheet only until its lease ends."""
    config = group.config
    setup = compose.platform_setup(config, strict=apply)
    assert setup.drive is not None
    assert setup.drive.live
    google = setup.drive.drive
    assert isinstance(google, GoogleDrive)
    drive = replace(setup.drive, drive=wrap(google)) if wrap is not None else setup.drive
    drive = replace(drive, charts=charts)
    sheets = GoogleSheets.from_config(config, clock=lambda: at)
    try:
        return compose.run_sync(
            config, apply=apply, at=at, backend=sheets, platforms=replace(setup, drive=drive), refresh=refresh
        )
    finally:
        google.close()
        sheets.close()


# -- what the fake holds ---------------------------------------------------------------------------


def drive_requests(fake: FakeGoogle) -> Counter[str]:
    """Requests to each Drive route since the counts were last reset."""
    return Counter(
        {
            r.name: fake.count(r.name)
            for r in fake.routes
            if r.name.startswith("drive.") and fake.count(r.name)
        }
    )


def by_key(fake: FakeGoogle) -> dict[str, list[str]]:
    """The ids of the files braingain made, by their key (``appProperties`` braingainKey)."""
    found: dict[str, list[str]] = {}
    for file_id in fake.file_ids():
        key = fake.app_properties(file_id).get(KEY_PROPERTY)
        if key:
            found.setdefault(key, []).append(file_id)
    return found


def type_into(
    fake: FakeGoogle, group: GoogleGroup, tab: str, ident: str | None, values: Mapping[str, object]
) -> None:
    """Type into the row ``ident`` of ``tab`` as a leader would (header -> value); ``None``: a new row."""
    grid = fake.values(group.sheet, tab)
    headers = [str(h) for h in grid[0]]
    if ident is None:
        row = len(grid) + 1
        fake.set_values(group.sheet, tab, f"A{row}", [[values.get(h, "") for h in headers]])
        return
    row = next(i for i, r in enumerate(grid, start=1) if r and str(r[0]) == ident)
    for header, value in values.items():
        fake.set_values(group.sheet, tab, f"{column_letter(headers.index(header) + 1)}{row}", [[value]])
