"""Configuration: ``braingain.toml`` for settings, the environment (or ``.env``) for secrets.

Every value is checked when the file is read: its TOML type, its range, and what it
means (a day, a time, a zone, a date). Every error names the file, the section and the
key, quotes the value, and says how to fix it; a misspelt key or section is named with
the one it most likely meant. No secret is ever part of a message.
"""

from __future__ import annotations

import difflib
import io
import math
import os
import re
import secrets
import tomllib
import zoneinfo
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from dotenv import set_key
from dotenv.parser import parse_stream

from braingain.core.authorship.icmje import LAST, AuthorshipPolicy
from braingain.core.errors import DomainError
from braingain.core.ids import MemberId, check_id
from braingain.core.members import time_zone
from braingain.core.schedule.availability import Weekday
from braingain.core.schedule.meetings import Cadence
from braingain.core.schedule.slots import LONGEST, SHORTEST, RecurringSlot
from braingain.core.tracker.read import Settings
from braingain.integrations.errors import ConfigError
from braingain.integrations.http import GOOGLE_ACCOUNTS, GOOGLE_APIS, GOOGLE_OAUTH, GOOGLE_SHEETS

DEFAULT_NAME = "braingain.toml"
ENDPOINT_KEYS = {
    "google_sheets": GOOGLE_SHEETS,
    "google_apis": GOOGLE_APIS,
    "google_oauth": GOOGLE_OAUTH,
    "google_accounts": GOOGLE_ACCOUNTS,
    "slack": "https://slack.com/api",
    "zoom": "https://api.zoom.us/v2",
    "zoom_oauth": "https://zoom.us",
}
KEYS: dict[str, tuple[str, ...]] = {
    "group": ("name", "open_task_limit"),
    "authorship": (
        "min_share",
        "min_points",
        "project_lead_last",
        "shared_first_on_tie",
        "carry_over",
        "fixed_positions",
    ),
    "tracker": ("backend", "path", "spreadsheet_id", "share_with_leaders"),
    "meetings": (
        "day",
        "time",
        "zone",
        "length_minutes",
        "first",
        "series_id",
        "busy_every_weeks",
        "quiet_every_weeks",
        "lookahead_weeks",
        "blackouts",
        "schedule_ahead_weeks",
        "publish_agenda_days",
    ),
    "zoom": ("host", "topic", "mute_upon_entry", "waiting_room", "join_before_host"),
    "endpoints": tuple(ENDPOINT_KEYS),
    "email": ("smtp_host", "smtp_port"),
    "slack": ("channel", "project_channel_prefix"),
    "messages": ("digest_day", "digest_time", "news_days"),
    "serve": ("sync_minutes", "host", "port"),
    "drive": ("enabled", "parent", "leaders", "members", "notify", "stage_folders", "folder"),
    "workspace": ("outbox", "reports"),
}
"""Every key braingain reads, by section (``config/braingain.example.toml`` documents each)."""
T = TypeVar("T")
SEE_EXAMPLE = "the braingain.toml that `braingain init` writes explains every setting"
_TIME = re.compile(r"(?P<hours>[0-9]{1,2}):(?P<minutes>[0-9]{2})")


@dataclass(frozen=True, slots=True)
class TrackerConfig:
    backend: str = "local"
    path: Path | None = None
    spreadsheet_id: str | None = None
    share_with_leaders: bool = True


@dataclass(frozen=True, slots=True)
class ZoomConfig:
    """The [zoom] section: whose meetings (``host``: "me", a Zoom user id or email), the meeting
    ``topic`` (``{group}`` is the group's name) and the settings each meeting gets."""

    host: str = "me"
    topic: str = "{group} meeting"
    mute_upon_entry: bool = True
    waiting_room: bool = True
    join_before_host: bool = False

    def topic_for(self, group: str) -> str:
        """The topic with the group's name in it."""
        return self.topic.replace("{group}", group)


_CHANNEL = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
"""A Slack channel name: lower case letters, digits, hyphens and underscores, at most 80 characters."""


@dataclass(frozen=True, slots=True)
class SlackConfig:
    """The [slack] section: the group's channel (its name, without #) and the prefix of each project's
    channel (``proj-`` gives ``#proj-p1`` for project P1). Tokens come only from the environment:
    ``SLACK_BOT_TOKEN``, ``SLACK_SIGNING_SECRET``, and ``SLACK_APP_TOKEN`` for Socket Mode."""

    channel: str = "braingain"
    project_channel_prefix: str = "proj-"


@dataclass(frozen=True, slots=True)
class MessagesConfig:
    """The [messages] section: when the weekly digests go (``digest_day``, 0 = Monday as
    :meth:`datetime.date.weekday` counts; ``digest_minutes`` after midnight in the meetings' zone, UTC
    without one) and for how many days after it happened a piece of news is still worth sending."""

    digest_day: int = 0
    digest_minutes: int = 8 * 60
    news_days: int = 14


@dataclass(frozen=True, slots=True)
class EmailConfig:
    """The [email] section: the group's mail server (``smtp_host``; ``None``: email is kept in the
    outbox) and its submission port (STARTTLS). The login and the sender come only from the
    environment or .env: SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM."""

    smtp_host: str | None = None
    smtp_port: int = 587


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """The [serve] section: how often ``braingain serve`` syncs (minutes), and where its web server
    listens in HTTP mode (Socket Mode needs no address)."""

    sync_minutes: int = 15
    host: str = "127.0.0.1"
    port: int = 3000


@dataclass(frozen=True, slots=True)
class DriveConfig:
    """The [drive] section: where the group's folders go and who gets which role.

    ``parent``: the Drive folder or shared drive the group's folder is made in (its id; ``None``: the
    signed-in leader's My Drive); ``leaders`` and ``members``: the role leaders get on the whole tree
    and every active member on the group's Minutes folder (``reader``, ``commenter``, ``writer`` or
    ``None`` for none); project folders go to their people as writers. ``notify``: whether Drive
    emails a person a folder is shared with. ``stage_folders``: a subfolder per stage. ``folder``: the
    workspace folder that stands for Drive while the tracker is the local workbook. ``enabled``:
    whether braingain keeps the group's folders at all."""

    enabled: bool = True
    parent: str | None = None
    leaders: str | None = "writer"
    members: str | None = "reader"
    notify: bool = True
    stage_folders: bool = True
    folder: Path = Path("drive")


@dataclass(frozen=True, slots=True)
class Config:
    source: Path | None
    settings: Settings
    tracker: TrackerConfig
    endpoints: Mapping[str, str] = field(default_factory=dict)
    zoom: ZoomConfig = field(default_factory=ZoomConfig)
    outbox: Path = Path("outbox")
    reports: Path = Path("reports")
    slack: SlackConfig = field(default_factory=SlackConfig)
    messages: MessagesConfig = field(default_factory=MessagesConfig)
    serve: ServeConfig = field(default_factory=ServeConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    drive: DriveConfig = field(default_factory=DriveConfig)
    environment: Mapping[str, str] = field(default_factory=dict, repr=False)

    def secret(self, name: str) -> str | None:
        """A secret from the environment or .env (never logged)."""
        return self.environment.get(name) or None


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=value lines, read by python-dotenv (``export``, quotes, escapes and # comments as it reads
    them; no variable is expanded).

    Raises :class:`ConfigError` naming the line (never its value) when a line is not
    KEY=value, and when the file cannot be read or is not UTF-8 text.
    """
    found: dict[str, str] = {}
    if not path.is_file():
        return found
    for binding in parse_stream(io.StringIO(_read_text(path))):
        if binding.error or (binding.key is not None and binding.value is None):
            raise ConfigError(
                f"{path.name} line {binding.original.line} is not KEY=value", hint="fix or remove that line"
            )
        if binding.key is not None and binding.value is not None:
            found[binding.key] = binding.value
    return found


STATE_KEY = "BRAINGAIN_STATE_KEY"
"""The environment variable (or ``.env`` line) of the group's state key: what seals braingain's
memory in the tracker (docs/authorship.md). Never in the tracker or braingain.toml."""
MIN_KEY_LENGTH = 32


def state_key(config: Config) -> bytes | None:
    """The group's state key, as bytes; ``None`` when there is none. Raises :class:`ConfigError`
    for one too short to protect anything (its value is never shown)."""
    return _key(config.secret(STATE_KEY))


def state_key_in(folder: Path, environ: Mapping[str, str] | None = None) -> bytes | None:
    """:func:`state_key` of a configuration in ``folder``: the environment's, else its ``.env``'s."""
    return _key(
        (environ if environ is not None else os.environ).get(STATE_KEY)
        or read_dotenv(folder / ".env").get(STATE_KEY)
    )


def _key(found: str | None) -> bytes | None:
    if not found:
        return None
    if len(found.strip()) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"{STATE_KEY} is shorter than {MIN_KEY_LENGTH} characters: too short to protect braingain's "
            "memory",
            hint="remove it and run `braingain init --key` to make one",
        )
    return found.strip().encode()


def new_state_key(folder: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """Make a state key and keep it in ``folder/.env`` (created readable by its owner only), unless
    the environment or that file already has one. Returns the file written, or ``None``.

    Raises :class:`ConfigError` when the file cannot be read or written."""
    if state_key_in(folder, environ) is not None:
        return None
    return keep_state_key(folder, make_state_key())


def make_state_key() -> str:
    """A new state key: 32 random bytes, as 64 hexadecimal characters."""
    return secrets.token_hex(32)


def keep_state_key(folder: Path, key: str) -> Path:
    """Keep ``key`` as the group's state key in ``folder/.env`` (created readable by its owner only;
    its other lines are kept). Returns the file. Raises :class:`ConfigError` when it cannot be written."""
    dotenv = folder / ".env"
    try:
        set_key(dotenv, STATE_KEY, key, quote_mode="never")
    except OSError as error:
        raise ConfigError(
            f"cannot write {dotenv}: {error.strerror or error}",
            hint="check that the folder exists and can be written to",
        ) from None
    return dotenv


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path} is not UTF-8 text", hint="save it as UTF-8 (plain text) in your editor"
        ) from None
    except OSError as error:
        raise ConfigError(
            f"cannot read {path}: {error.strerror or error}",
            hint="check that the file exists and that you may read it",
        ) from None


_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "a true/false value"),  # before int: TOML's true is a Python int too
    (int, "a whole number"),
    (float, "a number with a fraction"),
    (str, "text"),
    (datetime, "a date and time"),  # before date, which it is too
    (date, "a date"),
    (time, "a time"),
    (list, "a list"),
    (dict, "a table"),
)


def _kind(value: object) -> str:
    """What a TOML value is, in words ("a whole number", "text")."""
    return next(name for kind, name in _KINDS if isinstance(value, kind))


def shown(value: object) -> str:
    """A value as it would be written in TOML, cut to a readable length."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | dict):
        return _kind(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def near(word: str, choices: Collection[str], *, cutoff: float = 0.6) -> str | None:
    """The choice ``word`` most likely meant: the same but for case, else the closest spelling."""
    folded = {choice.casefold(): choice for choice in choices}
    if word.casefold() in folded:
        return folded[word.casefold()]
    found = difflib.get_close_matches(word.casefold(), sorted(folded), n=1, cutoff=cutoff)
    return folded[found[0]] if found else None


@cache
def _zones() -> dict[str, str]:
    """Every zone braingain accepts, by its city ("lagos": "Africa/Lagos")."""
    accepted: list[str] = []
    for key in sorted(zoneinfo.available_timezones()):
        if key.startswith("Etc/"):
            continue  # no city: "Etc/GMT+1" is one hour behind, which nobody would guess
        try:
            accepted.append(time_zone(key).key)
        except DomainError:
            continue  # abbreviations, offsets and the like, which braingain refuses
    return {key.rsplit("/", 1)[-1].casefold(): key for key in accepted}


def zone_hint(text: str) -> str:
    """How to fix a zone that is not an IANA zone: the zone it most likely meant, if any."""
    cleaned = text.strip().replace(" ", "_")
    zones = _zones()
    typed_city = cleaned.rsplit("/", 1)[-1]
    city = near(typed_city, zones, cutoff=0.75) if len(typed_city) > 3 else None  # not "EST" for "West"
    guess = (
        zones.get(cleaned.casefold()) or near(cleaned, zones.values(), cutoff=0.75) or zones.get(city or "")
    )
    example = "a Region/City name such as Africa/Lagos, Europe/London or America/Toronto"
    return f"did you mean {guess}? Use {example}" if guess else f"use {example}"


class _Section:
    """One table of the file, read key by key; every refusal names file, section and key."""

    def __init__(self, source: str, name: str, data: Mapping[str, Any]) -> None:
        self.source, self.name, self.data = source, name, data

    def fail(self, key: str, reason: str, hint: str = "") -> ConfigError:
        return ConfigError(f"{self.source} [{self.name}] {key}: {reason}", hint=hint)

    def wrong(self, key: str, value: object, wanted: str, example: str) -> ConfigError:
        if isinstance(value, float) and not math.isfinite(value):
            reason = f"{shown(value)} is not {wanted}"
        else:
            reason = f"{shown(value)} is {_kind(value)}, not {wanted}"
        return self.fail(key, reason, f"write it as {key} = {example}")

    def text(self, key: str, default: str | None = None, *, example: str = '"..."') -> str | None:
        """A text value, trimmed; refused when it is not text or is empty."""
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.wrong(key, value, "text", example)
        if not value.strip():
            raise self.fail(key, "is empty", f"write it as {key} = {example}, or remove the line")
        return value.strip()

    def whole(self, key: str, default: int, *, low: int, high: int | None = None) -> int:
        """A whole number from ``low`` to ``high`` (no upper limit when ``high`` is None)."""
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong(key, value, "a whole number", str(default))
        if value < low or (high is not None and value > high):
            span = f"{low} or more" if high is None else f"from {low} to {high}"
            raise self.fail(key, f"{value} is out of range", f"use a whole number {span}")
        return value

    def number(self, key: str, *, low: Decimal, high: Decimal | None, example: str) -> Decimal | None:
        """A finite number from ``low`` to ``high``, exactly as written, or None when absent."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.wrong(key, value, "a number", example)
        if not math.isfinite(value):
            raise self.fail(key, f"{shown(value)} is not a number", f"write a number, e.g. {key} = {example}")
        exact = Decimal(str(value))  # the shortest text that gives the float back: 0.05, not 0.0500000001
        if exact < low or (high is not None and exact > high):
            span = f"{low} or more" if high is None else f"from {low} to {high}"
            raise self.fail(key, f"{shown(value)} is out of range", f"use a number {span}, e.g. {example}")
        return exact

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.wrong(key, value, "true or false", "true (or false), without quotes")
        return value

    def day(self, key: str, value: object) -> date:
        """A calendar date: a TOML date, or text as YYYY-MM-DD."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(key, f"{shown(value)} is not a date", 'write it as "YYYY-MM-DD", e.g. "2026-03-07"')

    def choose(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(key, default, example=f'"{default}"') or default
        if value.casefold() in choices:
            return value.casefold()
        guess = near(value, choices)
        options = " or ".join(f'"{c}"' for c in choices)
        hint = f'did you mean "{guess}"? Use {options}' if guess else f"use {options}"
        raise self.fail(key, f"{shown(value)} is not one braingain knows", hint)

    def domain(self, key: str, rule: Callable[[], T], fields: Mapping[str, str] | None = None) -> T:
        """``rule()``, with a refusal of the core's turned into one that names this key.

        ``fields`` names the key for a refusal by the core's ``field`` when a rule covers
        several keys.
        """
        try:
            return rule()
        except DomainError as error:
            raise self.fail((fields or {}).get(error.field or "", key), error.reason, error.hint) from None


def load_config(path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> Config:
    """Read ``path`` (or the built-in defaults without one) and the secrets around it.

    Raises :class:`ConfigError` for the first value that is wrong, naming the file, the
    section and the key.
    """
    data: dict[str, Any] = {}
    base = Path.cwd()
    name = "the built-in settings"
    if path is not None:
        if path.is_dir():
            raise ConfigError(
                f"{path} is a folder, not a configuration file",
                hint=f"pass --config with the path of the file, e.g. {path / DEFAULT_NAME}",
            )
        if not path.is_file():
            raise ConfigError(
                f"there is no configuration file at {path}",
                hint=f"to start a group there, run `braingain init --local tracker.xlsx --config {path}` (it "
                "writes the workbook and this file); or pass --config with the path of the group's file",
            )
        try:
            data = tomllib.loads(_read_text(path))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path} is not valid TOML: {error}", hint="fix the line it names") from None
        base = path.parent
        name = str(path)
    env = dict(read_dotenv(base / ".env"))
    env.update(environ if environ is not None else os.environ)
    sections = _sections(name, data)
    group, authorship, tracker = sections["group"], sections["authorship"], sections["tracker"]
    meetings, endpoints, workspace = sections["meetings"], sections["endpoints"], sections["workspace"]

    slot, series = _meetings(meetings)
    settings = Settings(
        name=group.text("name", "braingain group") or "braingain group",
        policy=_policy(authorship),
        open_task_limit=group.whole("open_task_limit", 3, low=1),
        slot=slot,
        **series,
    )
    backend = tracker.choose("backend", "local", ("local", "google"))
    raw_path = tracker.text("path", "braingain.xlsx", example='"braingain.xlsx"') or "braingain.xlsx"
    if not raw_path.lower().endswith(".xlsx"):
        raise tracker.fail(
            "path",
            f"{shown(raw_path)} is not an .xlsx workbook",
            'name the workbook, e.g. path = "tracker.xlsx"',
        )
    tracker_config = TrackerConfig(
        backend=backend,
        path=base / raw_path,
        spreadsheet_id=tracker.text("spreadsheet_id", example='"1AbC..." (the long part of its URL)'),
        share_with_leaders=tracker.flag("share_with_leaders", True),
    )
    return Config(
        source=path,
        settings=settings,
        tracker=tracker_config,
        endpoints=_endpoints(endpoints),
        zoom=_zoom(sections["zoom"], settings.name),
        outbox=base / (workspace.text("outbox", "outbox", example='"outbox"') or "outbox"),
        reports=base / (workspace.text("reports", "reports", example='"reports"') or "reports"),
        slack=_slack(sections["slack"]),
        messages=_messages(sections["messages"]),
        serve=_serve(sections["serve"]),
        email=EmailConfig(
            smtp_host=sections["email"].text("smtp_host", example='"smtp.example.org"'),
            smtp_port=sections["email"].whole("smtp_port", 587, low=1, high=65535),
        ),
        drive=_drive(sections["drive"], base),
        environment=env,
    )


def _sections(source: str, data: Mapping[str, Any]) -> dict[str, _Section]:
    """Every known section (empty when absent); an unknown section or key is refused by name."""
    home = {key: section for section, keys in KEYS.items() for key in keys}
    known = ", ".join(f"[{s}]" for s in KEYS)
    for section, table in data.items():
        if section in KEYS and isinstance(table, dict):
            continue
        if section in KEYS:
            raise ConfigError(
                f"{source}: {section} is {_kind(table)}, but [{section}] is a section",
                hint=f"write [{section}] on a line of its own, with its settings below it ({SEE_EXAMPLE})",
            )
        if not isinstance(table, dict):
            where = home.get(section)
            raise ConfigError(
                f"{source}: {section} is outside any section",
                hint=f"put it under [{where}]"
                if where
                else f"put each setting under its section ({SEE_EXAMPLE})",
            )
        guess = near(section, KEYS)
        raise ConfigError(
            f"{source}: unknown section [{section}]",
            hint=f"did you mean [{guess}]? The sections are {known}"
            if guess
            else f"the sections are {known}",
        )
    for section, keys in KEYS.items():
        for key in data.get(section, {}):
            if key in keys:
                continue
            guess = near(key, keys)
            elsewhere = home.get(key)
            if guess:
                hint = f"did you mean {guess}?"
            elif elsewhere:
                hint = f"it belongs under [{elsewhere}]"
            else:
                hint = f"[{section}] takes {', '.join(keys)}"
            raise ConfigError(f"{source} [{section}] {key}: not a setting braingain knows", hint=hint)
    return {section: _Section(source, section, data.get(section, {})) for section in KEYS}


def _policy(section: _Section) -> AuthorshipPolicy:
    positions = section.data.get("fixed_positions", {})
    if not isinstance(positions, dict):
        raise section.wrong("fixed_positions", positions, "a table", '{ "ada.obiora" = "last" }')
    fixed: list[tuple[MemberId, int]] = []
    for member, position in positions.items():
        key = f"fixed_positions.{member}"
        ident = section.domain(key, partial(check_id, member, "member"))
        if isinstance(position, str) and position.strip().casefold() == "last":
            fixed.append((MemberId(ident), LAST))
        elif isinstance(position, int) and not isinstance(position, bool) and position >= 1:
            fixed.append((MemberId(ident), position))
        else:
            raise section.fail(key, f"{shown(position)} is not a position", 'use 1, 2, ... or "last"')
    policy = partial(
        AuthorshipPolicy,
        min_points=section.number("min_points", low=Decimal(0), high=None, example="2"),
        min_share=section.number("min_share", low=Decimal(0), high=Decimal(1), example="0.05")
        if "min_share" in section.data
        else Decimal("0.05"),
        fixed_positions=tuple(fixed),
        project_lead_last=section.flag("project_lead_last", False),
        shared_first_on_tie=section.flag("shared_first_on_tie", False),
        carry_over=section.flag("carry_over", False),
    )
    return section.domain("fixed_positions", policy)  # what is left to refuse: positions that clash


def _time_of_day(section: _Section, key: str, default: str = "15:00") -> int:
    """Minutes after midnight, from "HH:MM" (24-hour clock) or a TOML time without seconds."""
    value = section.data.get(key, default)
    how = 'write it as "HH:MM" on the 24-hour clock, e.g. "15:00"'
    if isinstance(value, time):
        if value.second or value.microsecond:
            raise section.fail(key, f"{shown(value)} is not a time in whole minutes", how)
        return value.hour * 60 + value.minute
    if not isinstance(value, str):
        raise section.fail(key, f"{shown(value)} is {_kind(value)}, not a time of day", how)
    found = _TIME.fullmatch(value.strip())
    if not found or int(found["hours"]) > 23 or int(found["minutes"]) > 59:
        raise section.fail(key, f"{shown(value)} is not a time of day", how)
    return int(found["hours"]) * 60 + int(found["minutes"])


def _meetings(section: _Section) -> tuple[RecurringSlot | None, dict[str, Any]]:
    if not section.data:
        return None, {}
    day_text = section.text("day", "Sat", example='"Sat"') or "Sat"
    day = section.domain("day", lambda: Weekday.parse(day_text))
    start = _time_of_day(section, "time")
    zone_text = section.text("zone", "UTC", example='"Africa/Lagos"') or "UTC"
    try:
        zone = time_zone(zone_text)
    except DomainError as error:
        raise section.fail("zone", error.reason, zone_hint(zone_text)) from None
    length = section.whole("length_minutes", 90, low=SHORTEST, high=LONGEST)
    slot = section.domain("length_minutes", lambda: RecurringSlot(day, start, length, zone))
    first = section.day("first", section.data["first"]) if "first" in section.data else None
    if first is not None and first.weekday() != day:
        raise section.fail(
            "first",
            f"{first} is a {Weekday(first.weekday()).label}, but the meetings are on {day.label}s",
            f'start the series on a {day.label}, e.g. first = "{slot.first_on_or_after(first)}"',
        )
    blackouts = section.data.get("blackouts", [])
    if not isinstance(blackouts, list):
        raise section.wrong("blackouts", blackouts, "a list of dates", '["2026-12-26", "2027-01-02"]')
    busy = section.whole("busy_every_weeks", 2, low=1)
    quiet = section.whole("quiet_every_weeks", 4, low=1)
    lookahead = section.whole("lookahead_weeks", 4, low=0)
    series: dict[str, Any] = {
        "series_id": section.domain(
            "series_id", lambda: check_id(section.text("series_id", "meetings") or "meetings", "series id")
        ),
        "series_first": first,
        "cadence": section.domain(
            "busy_every_weeks, quiet_every_weeks",
            lambda: Cadence(busy_weeks=busy, quiet_weeks=quiet, lookahead_weeks=lookahead),
            {"cadence lookahead": "lookahead_weeks"},
        ),
        "blackouts": frozenset(section.day(f"blackouts[{n}]", d) for n, d in enumerate(blackouts, start=1)),
        "schedule_ahead": timedelta(weeks=section.whole("schedule_ahead_weeks", 8, low=0, high=104)),
        "publish_agenda": timedelta(days=section.whole("publish_agenda_days", 2, low=1, high=28)),
    }
    return slot, series


ZOOM_TOPIC_LIMIT = 200
"""Zoom keeps at most 200 characters of a meeting's topic."""
_ZOOM_HOST = re.compile(r"[^\s/?#%]+")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _zoom(section: _Section, group: str) -> ZoomConfig:
    host = section.text("host", "me", example='"me" (or the host\'s Zoom email)') or "me"
    if not _ZOOM_HOST.fullmatch(host):
        raise section.fail(
            "host",
            f"{shown(host)} is not a Zoom user",
            'write "me" (the owner of the Zoom app), or the host\'s Zoom email or user id',
        )
    topic = section.text("topic", "{group} meeting", example='"{group} meeting"') or "{group} meeting"
    unknown = sorted({name for name in _PLACEHOLDER.findall(topic) if name != "group"})
    if unknown:
        raise section.fail(
            "topic",
            f"{shown(topic)} names {', '.join('{' + name + '}' for name in unknown)}, "
            "which braingain does not fill",
            'only {group} (the group\'s name) is filled in, e.g. topic = "{group} meeting"',
        )
    config = ZoomConfig(
        host=host,
        topic=topic,
        mute_upon_entry=section.flag("mute_upon_entry", True),
        waiting_room=section.flag("waiting_room", True),
        join_before_host=section.flag("join_before_host", False),
    )
    if len(config.topic_for(group)) > ZOOM_TOPIC_LIMIT:
        raise section.fail(
            "topic",
            f"with the group's name it is {len(config.topic_for(group))} characters, "
            f"more than the {ZOOM_TOPIC_LIMIT} Zoom keeps",
            "shorten it",
        )
    return config


def _endpoints(section: _Section) -> dict[str, str]:
    moved: dict[str, str] = {}
    for key, value in section.data.items():
        parts = urlsplit(value) if isinstance(value, str) else None
        if parts is None or parts.scheme not in ("https", "http") or not parts.netloc:
            raise section.fail(
                key,
                f"{shown(value)} is not a web address",
                f'write it as https://host/path, e.g. "{ENDPOINT_KEYS[key]}"',
            )
        moved[ENDPOINT_KEYS[key]] = value
    return moved


def _channel_name(section: _Section, key: str, default: str, *, prefix: bool = False) -> str:
    value = (section.text(key, default, example=f'"{default}"') or default).strip().removeprefix("#")
    rule = _CHANNEL.fullmatch(value) if not prefix else _CHANNEL.fullmatch(value + "x")
    if not rule or len(value) > (70 if prefix else 80):
        raise section.fail(
            key,
            f"{shown(value)} is not a Slack channel name",
            "use lower case letters, digits, hyphens and underscores, at most 80 characters, "
            f'e.g. "{default}"',
        )
    return value


def _slack(section: _Section) -> SlackConfig:
    return SlackConfig(
        channel=_channel_name(section, "channel", "braingain"),
        project_channel_prefix=_channel_name(section, "project_channel_prefix", "proj-", prefix=True),
    )


def _messages(section: _Section) -> MessagesConfig:
    """The weekly digests' day is written as [meetings] day is ("Mon", "monday", "Mo")."""
    day_text = section.text("digest_day", "monday", example='"Mon"') or "monday"
    return MessagesConfig(
        digest_day=int(section.domain("digest_day", lambda: Weekday.parse(day_text))),
        digest_minutes=_time_of_day(section, "digest_time", "08:00"),
        news_days=section.whole("news_days", 14, low=1, high=60),
    )


_DRIVE_ROLES = ("reader", "commenter", "writer", "none")
_DRIVE_ID = re.compile(r"[A-Za-z0-9_-]{5,200}")


def _drive(section: _Section, base: Path) -> DriveConfig:
    """Roles are Drive's own words; a parent is a Drive id (the last part of the folder's URL)."""
    parent = (
        section.text("parent", example='"0AbCdEf..." (the last part of the folder\'s URL)') or ""
    ).strip()
    if parent.startswith("https://"):
        parent = parent.rstrip("/").rpartition("/")[2].partition("?")[0]
    if parent and not _DRIVE_ID.fullmatch(parent):
        raise section.fail(
            "parent",
            f"{shown(parent)} is not a Drive folder or shared drive id",
            "copy the last part of the folder's URL (after folders/), or leave parent out for My Drive",
        )
    leaders = section.choose("leaders", "writer", _DRIVE_ROLES)
    members = section.choose("members", "reader", _DRIVE_ROLES)
    folder = section.text("folder", "drive", example='"drive"') or "drive"
    return DriveConfig(
        enabled=section.flag("enabled", True),
        parent=parent or None,
        leaders=None if leaders == "none" else leaders,
        members=None if members == "none" else members,
        notify=section.flag("notify", True),
        stage_folders=section.flag("stage_folders", True),
        folder=base / folder,
    )


def _serve(section: _Section) -> ServeConfig:
    host = section.text("host", "127.0.0.1", example='"127.0.0.1"') or "127.0.0.1"
    return ServeConfig(
        sync_minutes=section.whole("sync_minutes", 15, low=1, high=24 * 60),
        host=host.strip(),
        port=section.whole("port", 3000, low=1, high=65535),
    )
