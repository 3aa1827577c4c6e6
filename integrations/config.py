"""Configuration: ``braingain.toml`` for settings, the environment (or ``.env``) for secrets.

Every error names the file, the section and the key, and says how to fix it; no secret
is ever part of a message.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from braingain.core.authorship import LAST, AuthorshipPolicy
from braingain.core.availability import Weekday
from braingain.core.errors import DomainError, quote
from braingain.core.ids import MemberId
from braingain.core.meetings import Cadence
from braingain.core.members import time_zone
from braingain.core.slots import RecurringSlot
from braingain.core.tracker_read import Settings
from braingain.integrations.errors import ConfigError
from braingain.integrations.http import GOOGLE_APIS, GOOGLE_OAUTH, GOOGLE_SHEETS

DEFAULT_NAME = "braingain.toml"
ENDPOINT_KEYS = {
    "google_sheets": GOOGLE_SHEETS,
    "google_apis": GOOGLE_APIS,
    "google_oauth": GOOGLE_OAUTH,
    "slack": "https://slack.com/api",
    "zoom": "https://api.zoom.us/v2",
    "zoom_oauth": "https://zoom.us",
}


@dataclass(frozen=True, slots=True)
class TrackerConfig:
    backend: str = "local"
    path: Path | None = None
    spreadsheet_id: str | None = None
    share_with_leaders: bool = True


@dataclass(frozen=True, slots=True)
class Config:
    source: Path | None
    settings: Settings
    tracker: TrackerConfig
    endpoints: Mapping[str, str] = field(default_factory=dict)
    outbox: Path = Path("outbox")
    environment: Mapping[str, str] = field(default_factory=dict, repr=False)

    def secret(self, name: str) -> str | None:
        """A secret from the environment or .env (never logged)."""
        return self.environment.get(name) or None


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=value lines; blank lines and # comments ignored; quotes around a value removed."""
    found: dict[str, str] = {}
    if not path.is_file():
        return found
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, sep, value = text.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path.name} line {number} is not KEY=value", hint="fix or remove that line")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found[key.strip()] = value
    return found


class _Section:
    def __init__(self, source: str, name: str, data: Mapping[str, Any]) -> None:
        self.source, self.name, self.data = source, name, data

    def fail(self, key: str, reason: str, hint: str = "") -> ConfigError:
        return ConfigError(f"{self.source} [{self.name}] {key}: {reason}", hint=hint)

    def get(self, key: str, kind: type, default: Any = None) -> Any:
        value = self.data.get(key, default)
        if value is None:
            return None
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(
                key, f"{quote(value)} is not {kind.__name__}", "see config/braingain.example.toml"
            )
        return value


def load_config(path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> Config:
    """Read ``path`` (or the built-in defaults without one) and the secrets around it."""
    data: dict[str, Any] = {}
    base = Path.cwd()
    name = "the built-in settings"
    if path is not None:
        if not path.is_file():
            raise ConfigError(
                f"there is no configuration file at {path}",
                hint="copy config/braingain.example.toml there, or pass --config with the right path",
            )
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(
                f"{path.name} is not valid TOML: {error}", hint="fix the line it names"
            ) from None
        base = path.parent
        name = path.name
    env = dict(read_dotenv(base / ".env"))
    env.update(environ if environ is not None else os.environ)
    known = {"group", "authorship", "tracker", "meetings", "endpoints", "workspace"}
    for section in data:
        if section not in known:
            raise ConfigError(
                f"{name}: unknown section [{section}]", hint=f"use only {', '.join(sorted(known))}"
            )
    group = _Section(name, "group", data.get("group", {}))
    authorship = _Section(name, "authorship", data.get("authorship", {}))
    tracker = _Section(name, "tracker", data.get("tracker", {}))
    meetings = _Section(name, "meetings", data.get("meetings", {}))
    endpoints = _Section(name, "endpoints", data.get("endpoints", {}))
    workspace = _Section(name, "workspace", data.get("workspace", {}))

    policy = _policy(authorship)
    slot, series = _meetings(meetings)
    limit = group.get("open_task_limit", int, 3)
    settings = Settings(
        name=group.get("name", str, "braingain group"),
        policy=policy,
        open_task_limit=limit,
        slot=slot,
        **series,
    )
    backend = tracker.get("backend", str, "local")
    if backend not in ("local", "google"):
        raise tracker.fail("backend", f"{quote(backend)} is not a backend", 'use "local" or "google"')
    raw_path = tracker.get("path", str, "braingain.xlsx")
    tracker_config = TrackerConfig(
        backend=backend,
        path=(base / raw_path) if raw_path else None,
        spreadsheet_id=tracker.get("spreadsheet_id", str),
        share_with_leaders=bool(tracker.get("share_with_leaders", bool, True)),
    )
    moved: dict[str, str] = {}
    for key, value in endpoints.data.items():
        if key in ("smtp_host", "smtp_port"):
            moved[key] = str(value)
            continue
        if key not in ENDPOINT_KEYS:
            raise endpoints.fail(
                key, "is not an endpoint braingain knows", f"use one of {', '.join(ENDPOINT_KEYS)}"
            )
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise endpoints.fail(key, f"{quote(value)} is not a URL", "write it as https://host/path")
        moved[ENDPOINT_KEYS[key]] = value
    return Config(
        source=path,
        settings=settings,
        tracker=tracker_config,
        endpoints=moved,
        outbox=base / workspace.get("outbox", str, "outbox"),
        environment=env,
    )


def _decimal(section: _Section, key: str) -> Decimal | None:
    value = section.data.get(key)
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise section.fail(key, f"{quote(value)} is not a number") from None


def _policy(section: _Section) -> AuthorshipPolicy:
    fixed: list[tuple[MemberId, int]] = []
    for member, position in (section.get("fixed_positions", dict, {}) or {}).items():
        if position == "last":
            fixed.append((MemberId(member), LAST))
        elif isinstance(position, int) and not isinstance(position, bool):
            fixed.append((MemberId(member), position))
        else:
            raise section.fail(
                "fixed_positions", f"{quote(position)} is not a position", 'use 1, 2, ... or "last"'
            )
    try:
        return AuthorshipPolicy(
            min_points=_decimal(section, "min_points"),
            min_share=_decimal(section, "min_share") if "min_share" in section.data else Decimal("0.05"),
            fixed_positions=tuple(fixed),
            project_lead_last=bool(section.get("project_lead_last", bool, False)),
            shared_first_on_tie=bool(section.get("shared_first_on_tie", bool, False)),
            carry_over=bool(section.get("carry_over", bool, False)),
        )
    except DomainError as error:
        raise section.fail(error.field or "policy", error.reason, error.hint) from None


def _meetings(section: _Section) -> tuple[RecurringSlot | None, dict[str, Any]]:
    if not section.data:
        return None, {}
    try:
        day = Weekday.parse(section.get("day", str, "Sat"))
        hours, _, minutes = section.get("time", str, "15:00").partition(":")
        start = int(hours) * 60 + int(minutes or 0)
        zone = time_zone(section.get("zone", str, "UTC"))
        slot = RecurringSlot(day, start, section.get("length_minutes", int, 90), zone)
        first_text = section.get("first", str)
        blackouts = frozenset(date.fromisoformat(d) for d in section.get("blackouts", list, []))
        cadence = Cadence(
            busy_weeks=section.get("busy_every_weeks", int, 2),
            quiet_weeks=section.get("quiet_every_weeks", int, 4),
            lookahead_weeks=section.get("lookahead_weeks", int, 4),
        )
    except DomainError as error:
        raise section.fail(error.field or "slot", error.reason, error.hint) from None
    except ValueError as error:
        raise section.fail(
            "time/first/blackouts", str(error), "times as HH:MM, dates as YYYY-MM-DD"
        ) from None
    series: dict[str, Any] = {
        "series_id": section.get("series_id", str, "meetings"),
        "series_first": date.fromisoformat(first_text) if first_text else None,
        "cadence": cadence,
        "blackouts": blackouts,
        "schedule_ahead": timedelta(weeks=section.get("schedule_ahead_weeks", int, 8)),
        "publish_agenda": timedelta(days=section.get("publish_agenda_days", int, 2)),
    }
    return slot, series
