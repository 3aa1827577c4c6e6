"""The ``braingain`` command: init, plan, sync, report, schedule suggest, serve, slack manifest, demo,
login/logout google.

Exit codes (also in ``braingain --help``):
  0  done, nothing wrong
  1  braingain could not do it (configuration, tracker or platform error; the message says why)
  2  the command line was wrong (an unknown option, or a value that can never be right: a day
     that is not a day, a zone that is not a zone, a number out of range); nothing was read
  3  done, but some rows have problems (listed, and on the Problems tab); what depends on them waits,
     and a report that depends on them says so at its top and lists them
  4  another sync of the same tracker was running (or wrote first) for longer than --wait allowed:
     this sync wrote nothing; run it again later

A value that is well formed but does not fit what is there (a project the tracker does
not have, a workbook that already exists) is not a usage error: it exits 1. No exception
reaches the person running the command as a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from braingain import __version__
from braingain.core.errors import BraingainError, DomainError, quote
from braingain.core.group import Group
from braingain.core.ids import OutputId, check_id
from braingain.core.members import Email, Member, time_zone
from braingain.core.reports.authorship import JournalAuthorship, journal_authorship, project_authorship
from braingain.core.reports.gantt import chart_zone, gantt
from braingain.core.reports.participation import Period
from braingain.core.schedule.availability import WEEKEND, Weekday
from braingain.core.schedule.slots import find_slots
from braingain.core.tracker.export import group_rows, group_state, new_state, state_rows
from braingain.core.tracker.ledger_trail import ledger_trail
from braingain.core.tracker.read import ReadResult
from braingain.core.tracker.rows import AUTHORSHIP, MEETING, PROGRESS, SCHEDULE, TOTALS, Name, blocking
from braingain.integrations import compose, plan_text, text
from braingain.integrations.config import (
    DEFAULT_NAME,
    STATE_KEY,
    Config,
    keep_state_key,
    load_config,
    make_state_key,
    new_state_key,
    state_key,
    state_key_in,
    zone_hint,
)
from braingain.integrations.console import make_console
from braingain.integrations.errors import ConfigError, IntegrationError, SyncBusy
from braingain.integrations.reports import authorship_formats, group_report, jats, title_page
from braingain.integrations.reports.gantt_chart import save_gantt
from braingain.integrations.reports.gantt_text import gantt_summary
from braingain.integrations.reports.html_report import write_html_report
from braingain.integrations.reports.saving import report_path, save_report
from braingain.integrations.tracker.schema import load_schema

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PROBLEMS = 3
EXIT_BUSY = 4
MAX_WAIT = 3600
"""The longest --wait, in seconds."""

FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2999, 12, 31)
"""The dates --today and --from accept (the meeting series and the slot finder look years ahead)."""
MIN_LENGTH, MAX_LENGTH, DEFAULT_LENGTH = 15, 8 * 60, 90
"""Meeting lengths in minutes, as :class:`~braingain.core.schedule.slots.RecurringSlot` accepts them."""
STEPS = (5, 10, 15, 20, 30, 60)
"""The start times the slot finder can try, in minutes apart."""
MAX_HORIZON = 260
DEFAULT_TITLE = "braingain tracker"
"""A new Google Sheet's title when init --google is given no --title."""

EPILOG = """exit codes:
  0  done, nothing wrong
  1  braingain could not do it; the message says why and how to fix it
  2  the command line was wrong (the message names the value and what is allowed)
  3  done, but some tracker rows have problems (listed, and on the Problems tab); a report
     that depends on them says so at its top, lists them, and is not the whole answer; or a
     sync's Zoom or calendar changes were refused or wait for the next sync (listed, with why)
  4  another sync of the same tracker kept running longer than --wait: this sync wrote
     nothing (nothing is lost); run it again when the other has finished

Start with `braingain demo`, or `braingain init --local braingain.xlsx` for your own group."""


def _now(args: argparse.Namespace) -> datetime:
    """Now, or noon UTC on --today (so that a run on a chosen day is repeatable)."""
    if getattr(args, "today", None):
        return datetime.combine(date.fromisoformat(args.today), time(12), tzinfo=UTC)
    return compose.now()


def _config(args: argparse.Namespace) -> Config:
    """The configuration a command runs on: --config, else ./braingain.toml, else the built-in one."""
    path = (
        Path(args.config) if args.config else (Path(DEFAULT_NAME) if Path(DEFAULT_NAME).is_file() else None)
    )
    return load_config(path)


def _group_config(args: argparse.Namespace) -> Config:
    """The configuration of a command that works on the group's tracker (plan, sync, report,
    schedule). Without --config or ./braingain.toml, the built-in settings serve only where their
    workbook (./braingain.xlsx) is there; else the command is most likely run outside the group's
    folder, and says so (ConfigError)."""
    config = _config(args)
    if config.source is None and config.tracker.backend == "local" and not _exists(config.tracker.path):
        here = Path.cwd()
        raise ConfigError(
            f"there is no {DEFAULT_NAME} in this folder ({here}), so braingain does not know your group's "
            "tracker",
            hint=f"go to your group's folder (the one where init wrote {DEFAULT_NAME}: cd ~/our-group, for "
            "example), or pass --config with its path; to start a new group here, run braingain init "
            "--local tracker.xlsx",
        )
    return config


def _exists(path: Path | None) -> bool:
    return path is not None and path.exists()


def _progress(args: argparse.Namespace) -> compose.Progress:
    if args.format == "json" or not (args.progress or sys.stderr.isatty()):
        return lambda _: None
    return lambda message: print(f"braingain: {message}...", file=sys.stderr, flush=True)


def _emit(args: argparse.Namespace, data: dict[str, Any], rendered: str) -> None:
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(rendered)


def cmd_plan_or_sync(args: argparse.Namespace) -> int:
    config = _group_config(args)
    outcome = compose.run_sync(
        config,
        apply=args.command == "sync",
        at=_now(args),
        progress=_progress(args),
        allow_empty=args.allow_empty,
        refresh=args.refresh,
        wait=getattr(args, "wait", 0),
    )
    problems = outcome.read.problems
    if args.format == "json":
        print(json.dumps(plan_text.outcome_data(outcome), indent=2, ensure_ascii=False, default=str))
    else:
        make_console().print(plan_text.outcome_text(outcome, applied=args.command == "sync"))
    # Exit 3 says the Problems tab lists something (what the sync put right is not listed there), or
    # that a platform refused changes or left them for the next sync: a timed sync must flag both.
    held = outcome.done is not None and bool(outcome.done.failed or outcome.done.waiting)
    return EXIT_PROBLEMS if held or any(not p.repaired for p in problems) else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """A report is the whole answer or says it is not: while a row it depends on cannot be read,
    it says so at the top, lists those rows (JSON: ``complete`` and ``waits_for``), and exits 3."""
    config = _group_config(args)
    outcome = compose.run_sync(config, apply=False, at=_now(args), progress=_progress(args))
    read = outcome.read
    group = read.group
    data: dict[str, Any]
    if args.report == "ledger":
        return _ledger_report(args, read)
    if args.report == "gantt":
        return _gantt_report(args, config, read)
    if args.report == "group":
        return _group_report(args, read, config)
    if args.report == "html":
        return _html_report(args, read, config)
    if args.report == "authorship":
        project = group.project(args.project)
        outputs = [o for o in group.outputs.values() if o.project_id == project.id]
        if args.output:
            outputs = [group.output(args.output)]
        about: list[Name] = [("project", project.id), *(("output", o.id) for o in outputs)]
        holds = blocking(read.holds, about, (TOTALS, AUTHORSHIP))
        found = [journal_authorship(group, OutputId(o.id)) for o in sorted(outputs, key=lambda o: o.id)]
        data = {
            "project": project.id,
            "complete": not holds,
            "waits_for": text.held_data(holds, read.problems),
            "standings": [
                {"member": s.member_id, "points": str(s.points), "accepted_tasks": s.accepted_tasks}
                for s in group.ledger.standings(project.id, tasks=group.tasks)
            ],
            "outputs": [authorship_formats.authorship_data(r, with_email=args.with_email) for r in found],
        }
        parts = _authorship_parts(
            args,
            config.reports,
            found,
            text.standings(group, project.id),
            text.not_whole(holds) if holds else "",
        )
        if not found:
            parts.append(text.no_outputs(project.id))
    else:
        at = _now(args)
        meetings = [m for m in group.meetings_by(at + timedelta(weeks=26)) if m.start > at][: args.count]
        scheduling = {h for h in read.holds if SCHEDULE in h.feeds}
        holds = tuple(
            sorted(
                {*blocking(read.holds, [("meeting", m.id) for m in meetings], (MEETING,)), *scheduling},
                key=lambda h: (h.tab, h.row),
            )
        )
        data = {
            "slot": group.series.slot.label if group.series else None,
            "complete": not holds,
            "waits_for": text.held_data(holds, read.problems),
            "left_out": [
                {"member": m.id, "reason": m.lacks("zone")}
                for m in sorted(group.members.values(), key=lambda m: m.id)
                if m.zone is None
            ],
            "meetings": [
                {
                    "id": m.id,
                    "status": m.status.value,
                    "local": {mid: _local(p, m.start) for mid, p in group.members.items()},
                    "cannot_make": text.cannot_make(group, m),
                }
                for m in meetings
            ],
        }
        parts = [text.meetings_by_member(group, meetings) if meetings else "No meetings are scheduled."]
    if holds:
        parts.insert(0, text.incomplete(holds, read.problems))
    _emit(args, data, "\n".join(parts))
    return EXIT_PROBLEMS if holds else EXIT_OK


def _gantt_report(args: argparse.Namespace, config: Config, read: ReadResult) -> int:
    """``report gantt PROJECT``: the chart as PNG and SVG in --out (default [workspace] reports), and
    in words (or JSON). A project with nothing to draw says so and writes no file (exit 0); a chart
    drawn while a row of the project cannot be read says so at the top, and exits 3."""
    group = read.group
    project = group.project(args.project)
    today = (
        date.fromisoformat(args.today) if args.today else compose.now().astimezone(chart_zone(group)).date()
    )
    chart = gantt(group, project.id, today)
    holds = blocking(read.holds, [("project", project.id)], (PROGRESS,))
    warning = text.not_whole(holds) if holds else ""
    files = (
        ()
        if chart.empty
        else save_gantt(chart, Path(args.out) if args.out else config.reports, warning=warning)
    )
    data = {"complete": not holds, "waits_for": text.held_data(holds, read.problems)}
    data |= chart.data() | {"fingerprint": chart.fingerprint, "files": [str(f) for f in files]}
    parts = [gantt_summary(chart)] + (["Wrote:", *(f"  {f}" for f in files)] if files else [])
    if holds:
        parts.insert(0, text.incomplete(holds, read.problems))
    _emit(args, data, "\n".join(parts).rstrip("\n"))
    return EXIT_PROBLEMS if holds else EXIT_OK


def _authorship_parts(
    args: argparse.Namespace, reports: Path, found: Sequence[JournalAuthorship], standings: str, warning: str
) -> list[str]:
    """What ``report authorship`` prints in ``args.format``: text or Markdown, or (``jats``, ``docx``)
    the paths of the files it wrote to ``--out`` (default ``reports``), one per output with authors.
    ``warning`` (empty when the list is the whole answer) starts each Word title page, and is said
    next to each JATS file's "Wrote" (JATS has no place for it), followed by what is still missing
    for submission (the Word title page lists it in the file)."""
    email = args.with_email
    if args.format == "md":
        return [authorship_formats.render_markdown(r, with_email=email) for r in found]
    if args.format not in ("jats", "docx"):
        return [standings, *(authorship_formats.render_text(r, with_email=email) for r in found)]
    folder = Path(args.out) if args.out else reports
    lines = []
    for report in found:
        if not report.authors:
            lines.append(text.no_authors_written(report.output.id, report.output.project_id, args.format))
            continue
        if args.format == "jats":
            path = report_path(folder, f"{report.output.id}-authors", ".xml")
            save_report(path, jats.article_meta(report, with_email=email).encode("utf-8"))
            lines.append(f"Wrote {path}" + (f" ({warning})" if warning else ""))
            lines.extend(text.missing_beside_jats(report.output.id, report.missing))
            continue
        path = report_path(folder, f"{report.output.id}-title-page", ".docx")
        page = title_page.title_page(report, day=_now(args).date(), with_email=email, warning=warning)
        save_report(path, page)
        lines.append(f"Wrote {path}")
    return lines


def _html_report(args: argparse.Namespace, read: ReadResult, config: Config) -> int:
    """``report html``: the one self-contained report (integrations/reports/html_report.py) written to
    --out (default [workspace] reports), its path printed; while any row cannot be read, it says so
    first (the page is made all the same, saying so at its top) and exits 3; so does an Outputs cell
    its group report uses that cannot be read."""
    unread = group_report.unreadable(
        group_report.build(read.group, now=_now(args), period=Period(args.period))
    )
    path = write_html_report(
        read.group,
        Path(args.out) if args.out else config.reports,
        at=_now(args),
        period=Period(args.period),
        meetings=args.count,
        warning=text.not_whole(read.holds, outputs_cells=len(unread)) if read.holds or unread else "",
    )
    warning = (text.incomplete(read.holds, read.problems) if read.holds else "") + (
        text.unread_outputs(unread) if unread else ""
    )
    print(f"{warning}Wrote {path}")
    print(text.REPORT_HTML_OPEN)
    return EXIT_PROBLEMS if read.holds or unread else EXIT_OK


def _group_report(args: argparse.Namespace, read: ReadResult, config: Config) -> int:
    """``report group``: Table 1, the outputs record and participation (integrations/reports/group_report.py),
    as text, Markdown or JSON on standard output, or an HTML file in the reports folder (its path printed)."""
    found = group_report.build(read.group, now=_now(args), period=Period(args.period))
    holds = tuple(
        h for h in read.holds if h.tab in _tabs(read, "members", "outputs", "tasks", "ledger", "meetings")
    )
    unread = group_report.unreadable(found)
    warning = (text.incomplete(holds, read.problems) if holds else "") + (
        text.unread_outputs(unread) if unread else ""
    )
    inside = text.not_whole(holds, outputs_cells=len(unread)) if holds or unread else ""
    if args.format == "html":
        path = group_report.write_html(found, Path(args.out) if args.out else config.reports, warning=inside)
        print(f"{warning}Wrote {path}")
    elif args.format == "md":
        print(warning, end="", file=sys.stderr)
        print(group_report.report_markdown(found, warning=inside), end="")
    else:
        data = {"complete": not holds and not unread, "waits_for": text.held_data(holds, read.problems)}
        data |= text.group_data(found.table.roster) | group_report.report_data(found)
        _emit(args, data, warning + group_report.report_text(found))
    return EXIT_PROBLEMS if holds or unread else EXIT_OK


def _ledger_report(args: argparse.Namespace, read: ReadResult) -> int:
    """``report ledger``: every entry that counts, in the Ledger's order; with ``--verify``, each with
    its status against what braingain recorded, and the chain that records them. Exits 3 when an
    entry is edited, moved or deleted (or a row is not counted)."""
    trail = ledger_trail(read)
    if args.member:
        trail = [t for t in trail if t.entry is not None and t.entry.member_id == args.member]
    troubled = [t for t in trail if t.status not in ("intact", "restored", "new", "to add")]
    memory = read.state.ledger
    data: dict[str, Any] = {
        "entries": [text.trail_data(t) for t in trail],
        "total_points": str(
            sum((t.entry.points for t in trail if t.entry is not None and t.counts), Decimal(0))
        ),
    }
    if args.verify:
        data |= {
            "chain_head": memory.head if memory is not None else None,
            "checksum": "sealed with the group's key" if read.keyed else "none (no state key)",
            "problems": len(troubled),
        }
    _emit(
        args,
        data,
        text.ledger_trail(trail, verify=args.verify, head=data.get("chain_head"), keyed=read.keyed),
    )
    return EXIT_PROBLEMS if args.verify and troubled else EXIT_OK


def _local(member: Member, instant: datetime) -> str | None:
    """``instant`` on the member's clock, or ``None`` while their zone cannot be read."""
    local = member.local(instant)
    return local.isoformat() if local is not None else None


def cmd_schedule(args: argparse.Namespace) -> int:
    config = _group_config(args)
    at = _now(args)
    outcome = compose.run_sync(config, apply=False, at=at, progress=_progress(args))
    group = outcome.read.group
    slot = config.settings.slot  # the configured meeting: its zone and length unless asked otherwise
    zone = args.anchor or (group.series.slot.zone if group.series else slot.zone if slot else ZoneInfo("UTC"))
    people, left_out = group.schedulable(at.date())
    choice = find_slots(
        people,
        anchor=zone,
        start=args.start or at.date(),
        days=args.days,
        step=args.step,
        length=args.length or (slot.length if slot else DEFAULT_LENGTH),
        horizon=args.horizon,
    )
    data = {
        "best": choice.best.slot.label,
        "length_minutes": choice.best.slot.length,
        "dates": {"from": str(choice.dates[0]), "to": str(choice.dates[-1])},
        "ranked": [
            {"slot": s.slot.label, "every_date": s.everyone, "member_dates": s.member_dates,
             "worst_inconvenience_minutes": s.worst_inconvenience}
            for s in choice.ranked
        ],
        "members": [
            {"member": f.member_id, "periods": [{"from": str(p.first), "to": str(p.last), "local": p.label}
                                                 for p in f.periods],
             "lost": [{"date": str(d.date), "reason": d.reason} for d in f.lost]}
            for f in choice.fits
        ],
        "left_out": [{"member": m, "reason": why} for m, why in left_out],
    }  # fmt: skip
    holds = tuple(h for h in outcome.read.holds if h.tab in _tabs(outcome.read, "members", "availability"))
    data["complete"] = not holds
    data["waits_for"] = text.held_data(holds, outcome.read.problems)
    rendered = text.slot_choice(group, choice, left_out)
    if holds:
        rendered = text.incomplete(holds, outcome.read.problems) + "\n" + rendered
    _emit(args, data, rendered)
    return EXIT_PROBLEMS if holds else EXIT_OK


def _tabs(read: ReadResult, *keys: str) -> set[str]:
    """The titles of the tabs ``keys`` as this tracker names them."""
    return {table.tab.title for key in keys if (table := read.tables.get(key)) is not None}


def cmd_init(args: argparse.Namespace) -> int:
    schema = load_schema()
    if args.name is not None and args.key:
        raise IntegrationError(
            "--name is for init --local or --google, which write the configuration",
            hint="set [group] name in your braingain.toml instead",
        )
    if args.key:
        folder = Path(args.config).parent if args.config else Path.cwd()
        made = new_state_key(folder)
        _emit(args, {"state_key": str(made) if made else None}, text.key_made(made, folder))
        return EXIT_OK
    if args.adopt is not None and not args.google:
        raise IntegrationError(
            "--adopt is only for init --google", hint="run braingain init --google --adopt ADDRESS"
        )
    if args.adopt is not None and args.share_with:
        raise IntegrationError(
            "--share-with is for a Google Sheet braingain creates, not one it adopts",
            hint="share the adopted sheet from its Share button in Google Sheets (braingain may touch only "
            "the Drive files it created)",
        )
    if args.google:
        from braingain.integrations.tracker.google_sheets import adopt_spreadsheet, create_spreadsheet

        config_path = Path(args.config) if args.config else Path(DEFAULT_NAME)
        write_config = not config_path.exists()  # a new group: init writes its configuration too
        if write_config and not config_path.parent.is_dir():
            raise IntegrationError(
                f"there is no folder {config_path.parent} for the configuration {config_path}",
                hint="create the folder first, or pass --config with a path in an existing folder",
            )
        config = load_config(None if write_config else config_path)
        folder = config_path.parent
        # The group's name, for a new group: as given (--name, or typed at the prompt), else from the
        # sheet's title when one is given (the sample has its own name).
        named = args.name
        if named is None and write_config and not args.sample and _interactive(args):
            named = _ask_name(args.title or "our research group")
        name = (named or (None if args.sample else args.title)) if write_config else None
        key, fresh = _group_key(folder)
        rows = _sample_rows(args, key)
        if args.adopt is not None:
            location = adopt_spreadsheet(config, schema, args.adopt, rows=rows)
        else:
            title = args.title or (f"{named} tracker" if named else DEFAULT_TITLE)
            location = create_spreadsheet(config, schema, title=title, rows=rows, share_with=args.share_with)
        made = keep_state_key(folder, fresh) if fresh else None
        if write_config:
            example = resources.files("braingain.config").joinpath("braingain.example.toml")
            settings = _for_a_group(example.read_text(encoding="utf-8"), _now(args).date())
            settings = _set_value(settings, "backend", "google")
            settings = re.sub(
                r"^# spreadsheet_id = .*$", f"spreadsheet_id = {_toml_string(location)}", settings, flags=re.M
            )
            if name is not None:
                settings = _set_value(settings, "name", name)
            _write_text(config_path, settings)
        rendered = text.google_created(
            location,
            shared=bool(args.share_with or args.sample),
            key=made,
            adopted=args.adopt is not None,
            signed_in=_signed_in_as_a_person(config),
            config=config_path if write_config else None,
            name=name,
            kept=None if write_config else config_path,
            named=args.name is not None,
        )
        _emit(
            args,
            {
                "backend": "google",
                "spreadsheet_id": location,
                "config": str(config_path) if write_config else None,
                "group_name": name,
                "state_key": _shown_path(made),
            },
            rendered,
        )
        return EXIT_OK
    from braingain.integrations.tracker.workbook import create_workbook

    path = Path(args.local)
    config_path = Path(args.config) if args.config else path.parent / DEFAULT_NAME
    folder = config_path.parent  # the state key goes next to the configuration, where it is read
    if not folder.is_dir():
        raise IntegrationError(
            f"there is no folder {folder} for the configuration {config_path}",
            hint="create the folder first, or pass --config with a path in an existing folder",
        )
    kept = config_path.exists()
    # The group's name: as given (--name, or typed at the prompt), else (not for the sample, which
    # has its own) from the workbook's.
    named = args.name
    if named is None and not (args.sample or kept) and _interactive(args):
        named = _ask_name(_name_from(path))
    name = named or (None if args.sample or kept else _name_from(path))
    if kept:
        _check_kept_config(config_path, path)
    key, fresh = _group_key(folder)
    create_workbook(path, schema, _sample_rows(args, key), overwrite=args.force)
    made = keep_state_key(folder, fresh) if fresh else None  # once the tracker is there
    if not kept:
        if args.sample:
            from braingain.sample import sample_group

            # The sample's own settings (its meeting series), so that its first sync is clean.
            settings = text.demo_config(sample_group(_now(args).date()), demo=False)
        else:
            example = resources.files("braingain.config").joinpath("braingain.example.toml")
            settings = _for_a_group(example.read_text(encoding="utf-8"), _now(args).date())
        if name is not None:
            settings = _set_value(settings, "name", name)
        _write_text(config_path, _set_value(settings, "path", _tracker_path(path, config_path)))
    _emit(
        args,
        {
            "backend": "local",
            "workbook": str(path),
            "config": str(config_path),
            "config_kept": kept,
            "group_name": None if kept else name,
            "state_key": _shown_path(made),
        },
        text.init_done(
            path,
            config_path,
            made,
            kept=kept,
            found=config_path.resolve() == Path(DEFAULT_NAME).resolve(),
            name=name,
            named=named is not None,
        ),
    )
    return EXIT_OK


def _signed_in_as_a_person(config: Config) -> bool:
    """Whether Google credentials are a person's own (then what braingain creates is theirs)."""
    from google.oauth2 import credentials as user_credentials

    from braingain.integrations.tracker.google_sheets import google_credentials

    return isinstance(google_credentials(config), user_credentials.Credentials)


def cmd_slack_manifest(args: argparse.Namespace) -> int:
    """Print the group's Slack app manifest (JSON), for Slack's "From an app manifest" page."""
    from braingain.integrations.slack.manifest import manifest_text

    print(manifest_text(_config(args).settings.name, request_url=args.url))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve until SIGTERM or SIGINT (Ctrl-C): the timed sync, Slack, Zoom's webhook; then exit 0."""
    import signal
    import threading

    from braingain.integrations import server

    config = _group_config(args)

    def log(line: str) -> None:
        print(f"braingain: {compose.now():%Y-%m-%d %H:%M:%S}Z {line}", file=sys.stderr, flush=True)

    serving = server.build(config, log=log)
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    serving.start()
    log(text.serve_started(every=config.serve.sync_minutes, mode=serving.mode, address=serving.address))
    while not stop.wait(1.0):
        pass
    log(text.SERVE_STOPPING)
    serving.stop()
    log(text.SERVE_STOPPED)
    return EXIT_OK


def cmd_login(args: argparse.Namespace) -> int:
    from braingain.integrations.google import login as google_login

    config = _config(args)
    secrets = Path(args.client_secrets) if args.client_secrets else None
    signed = google_login.sign_in(config, client_secrets=secrets, paste=True if args.no_browser else None)
    permissions = [google_login.PERMISSIONS[s] for s in google_login.SCOPES if s in signed.scopes]
    _emit(
        args,
        {"signed_in": True, "kept_in": str(signed.path), "scopes": list(signed.scopes), "how": signed.how},
        text.signed_in(signed.path, permissions),
    )
    return EXIT_OK


def cmd_logout(args: argparse.Namespace) -> int:
    from braingain.integrations.google import login as google_login

    config = _config(args)
    was, revoked = google_login.sign_out(config)
    path = google_login.config_home(config.environment) / google_login.SIGNIN_FILE
    _emit(
        args,
        {"was_signed_in": was, "revoked": revoked, "deleted": str(path) if was else None},
        text.signed_out(path, was=was, revoked=revoked),
    )
    return EXIT_OK


def _for_a_group(example: str, today: date) -> str:
    """The example configuration as a new group's: its first meeting on the slot's next weekday after
    ``today`` (never a past date), without the developers' [endpoints] section."""
    day = Weekday.parse(str(tomllib.loads(example)["meetings"]["day"]))
    first = today + timedelta(days=(day - today.weekday() - 1) % 7 + 1)
    return re.sub(
        r"^\[endpoints\]\n(?:[^\[\n].*\n|\n)*", "", _set_value(example, "first", str(first)), flags=re.M
    )


def _interactive(args: argparse.Namespace) -> bool:
    """Whether a person at a terminal runs this command (not a script: no --format json, no pipe)."""
    return args.format != "json" and sys.stdin.isatty() and sys.stdout.isatty()


def _ask_name(default: str) -> str | None:
    """The group's name, asked at the terminal; ``None`` when the person keeps ``default`` (Enter)."""
    while True:
        try:
            answer = input(f"The group's name, as digests and reports show it [{default}]: ")
        except EOFError:
            print()
            return None
        if not answer.strip():
            return None
        try:
            return _group_name(answer)
        except argparse.ArgumentTypeError as error:
            print(f"That name {error}.")


def _name_from(workbook: Path) -> str:
    """A group's name from its workbook's file name: ``okafor_lab.xlsx`` -> ``okafor lab``."""
    return " ".join(re.split(r"[-_.\s]+", workbook.stem)).strip() or "braingain group"


def _check_kept_config(config_path: Path, workbook: Path) -> None:
    """Refuse (before anything is made) an existing configuration that points at another tracker
    than ``workbook``: init never leaves a new workbook that the configuration ignores."""
    tracker = load_config(config_path, environ={}).tracker
    if (
        tracker.backend == "local"
        and tracker.path is not None
        and tracker.path.resolve() == workbook.resolve()
    ):
        return
    where = (
        f"the Google Sheet {tracker.spreadsheet_id}"
        if tracker.backend == "google" and tracker.spreadsheet_id
        else "a Google Sheet"
        if tracker.backend == "google"
        else f"the workbook {tracker.path}"
    )
    raise IntegrationError(
        f"{config_path} already exists and points at {where}, not at {workbook}: nothing was created",
        hint=f"for a second group, pass --config with a new file, e.g. --config "
        f'{_second_config(config_path, workbook)}; to move this group, set [tracker] backend = "local" '
        f"and path = {_toml_string(_tracker_path(workbook, config_path))} in {config_path}",
    )


def _second_config(config_path: Path, workbook: Path) -> Path:
    """A configuration file for a second group beside ``config_path``, named after its ``workbook``
    (``other.xlsx`` -> ``other.toml``), never ``config_path`` itself."""
    named = config_path.with_name(f"{workbook.stem}.toml")
    return named if named.name != config_path.name else config_path.with_name(f"{workbook.stem}-2.toml")


def _tracker_path(workbook: Path, config_path: Path) -> str:
    """``[tracker] path`` for ``workbook`` in the configuration at ``config_path``: relative to the
    configuration's folder when the workbook is inside it (so that the folder can move), else absolute."""
    target, base = workbook.resolve(), config_path.parent.resolve()
    try:
        return target.relative_to(base).as_posix()
    except ValueError:
        return str(target)


def _set_value(settings: str, key: str, value: str) -> str:
    """``settings`` (TOML text) with the first ``key = ...`` line set to the string ``value``."""
    quoted = _toml_string(value)
    changed, count = re.subn(rf"^{key} = .*$", lambda _: f"{key} = {quoted}", settings, count=1, flags=re.M)
    if count != 1:
        raise IntegrationError(f"the configuration template has no {key} line", hint="reinstall braingain")
    return changed


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are TOML's, and TOML also escapes DEL)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _group_key(folder: Path) -> tuple[bytes, str | None]:
    """The state key of the group configured in ``folder`` (the environment's, else its .env's), or a
    new one, which the caller keeps (:func:`keep_state_key`) once the tracker it seals is made."""
    key = state_key_in(folder)
    if key is not None:
        return key, None
    fresh = make_state_key()
    return fresh.encode(), fresh


def _shown_path(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _write_text(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as error:
        raise IntegrationError(
            f"cannot write {path}: {error.strerror or error}",
            hint="check that the folder exists and can be written to",
        ) from None


def _refuse_a_real_tracker(workspace: Path, workbook: Path, config_path: Path) -> None:
    """The demo replaces its own workspace, never a folder that holds a group's own tracker."""
    if workspace.exists() and not workspace.is_dir():
        raise IntegrationError(
            f"{workspace} is a file, not a folder", hint="choose a folder with --workspace"
        )
    if not (workbook.exists() or config_path.exists()):
        return
    try:
        ours = config_path.read_text(encoding="utf-8").startswith(text.DEMO_MARK)
    except (OSError, UnicodeDecodeError):
        ours = False
    if not ours:
        raise IntegrationError(
            f"{workspace} holds a tracker or configuration that is not a demo; the demo would replace it",
            hint="choose an empty folder with --workspace (the demo's own folder may be reused)",
        )


def _sample_rows(args: argparse.Namespace, key: bytes | None) -> dict[str, list[dict[str, Any]]]:
    """A new tracker's rows: the sample group's with ``--sample``; braingain's memory, sealed with the
    group's ``key``, in any case."""
    if not getattr(args, "sample", False):
        return {"state": state_rows(new_state(), key)}
    from braingain.sample import sample_group

    group = sample_group(_now(args).date())
    rows: dict[str, list[dict[str, Any]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group), key)
    return rows


def cmd_demo(args: argparse.Namespace) -> int:
    """The main job on the embedded workbook: a workspace with the sample group, plan, sync, reports."""
    from braingain.integrations.tracker.workbook import create_workbook
    from braingain.sample import sample_group

    at = _now(args)
    workspace = Path(args.workspace)
    workbook = workspace / "braingain.xlsx"
    config_path = workspace / DEFAULT_NAME
    _refuse_a_real_tracker(workspace, workbook, config_path)
    try:
        workspace.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IntegrationError(
            f"cannot make the demo folder {workspace}: {error.strerror or error}",
            hint="choose another place with --workspace",
        ) from None
    group = sample_group(at.date())
    _write_text(config_path, text.demo_config(group))
    new_state_key(workspace)  # the demo's own key, in its own .env (unless the environment has one)
    config = load_config(config_path)
    # The sample group's members are invented: its meetings never reach a Zoom account, nor its
    # messages a Slack workspace or a mail server, even those whose ZOOM_, SLACK_ or SMTP_ variables
    # the leader has set for their own group: they all stay in the demo's outbox.
    outside = ("ZOOM_", "SLACK_", "SMTP_")
    config = replace(
        config, environment={k: v for k, v in config.environment.items() if not k.startswith(outside)}
    )
    platforms = replace(compose.platform_setup(config), zoom=None, zoom_off=text.DEMO_ZOOM_OFF)
    rows: dict[str, list[dict[str, Any]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group), state_key(config))
    create_workbook(workbook, load_schema(), rows, overwrite=True)
    print(text.demo_intro(group, workbook, at))
    planned = compose.run_sync(config, apply=False, at=at, platforms=platforms)
    console = make_console()
    console.print(plan_text.outcome_text(planned, applied=False))
    synced = compose.run_sync(config, apply=True, at=at, platforms=platforms)
    console.print(plan_text.outcome_text(synced, applied=True))
    again = compose.run_sync(config, apply=False, at=at, platforms=platforms)
    console.print(plan_text.second_plan(again))
    final = again.read.group
    review = max(sorted(final.projects), key=final.ledger.total)
    print(text.standings(final, review))
    outputs = sorted((o for o in final.outputs.values() if o.project_id == review), key=lambda o: o.id)
    decided = [d for d in (final.decide(OutputId(o.id)) for o in outputs) if d.authors]
    if decided:
        print(text.authorship(decided[0]))
    offers = {t: sum(1 for v in final.volunteers if v.task_id == t) for t in final.tasks}
    crowded = [t for t in sorted(final.tasks) if final.tasks[t].status.value == "open" and offers[t]]
    if crowded:
        print(text.selection(final, final.selection(max(crowded, key=lambda t: offers[t]), now=at)))
    if final.series is not None:
        people, left_out = final.schedulable(at.date())
        choice = find_slots(people, anchor=final.series.slot.zone, start=at.date())
        print(text.slot_choice(final, choice, left_out))
        upcoming = [m for m in final.meetings_by(at + timedelta(weeks=26)) if m.start > at][:3]
        print(text.meetings_by_member(final, upcoming))
    print(text.demo_reports(_demo_reports(final, config, at)))
    print(text.demo_outro(workspace))
    return EXIT_OK


def _demo_reports(group: Group, config: Config, at: datetime) -> list[Path]:
    """Every report of step 7 on the sample group, written to the demo's reports folder: each project's
    Gantt chart, the journal-ready author list (JATS, Word, Markdown) of each output with authors,
    the group report (Markdown, HTML) and the one HTML report. Returns the paths written."""
    folder = config.reports
    today = at.astimezone(chart_zone(group)).date()
    written: list[Path] = []
    for ident in sorted(group.projects):
        chart = gantt(group, ident, today)
        if not chart.empty:
            written.extend(save_gantt(chart, folder))
        for found in project_authorship(group, ident):
            if not found.authors:
                continue
            stem = found.output.id
            written.append(
                save_report(report_path(folder, f"{stem}-authors", ".xml"), jats.article_meta(found).encode())
            )
            written.append(
                save_report(
                    report_path(folder, f"{stem}-title-page", ".docx"),
                    title_page.title_page(found, day=today),
                )
            )
            written.append(
                save_report(
                    report_path(folder, f"{stem}-authorship", ".md"),
                    authorship_formats.render_markdown(found).encode(),
                )
            )
    found_group = group_report.build(group, now=at)
    written.append(
        save_report(
            report_path(folder, "group-report", ".md"), group_report.report_markdown(found_group).encode()
        )
    )
    written.append(group_report.write_html(found_group, folder))
    written.append(write_html_report(group, folder, at=at))
    return written


def _bounded(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high`` (no upper limit when ``high`` is None)."""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{quote(text)} is not a whole number") from None
        if high is None and value < low:
            raise argparse.ArgumentTypeError(f"{value} is not {low} or more")
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range (use {low} to {high})")
        return value

    return read


_positive = _bounded(1)


def _valid(rule: Callable[[str], Any]) -> Callable[[str], Any]:
    """``rule`` as an argparse type: a refusal of the core's becomes a usage error, saying why."""

    def read(text: str) -> Any:
        try:
            return rule(text)
        except DomainError as error:
            raise argparse.ArgumentTypeError(error.explained) from None

    read.__name__ = rule.__name__
    return read


def _iso_date(text: str) -> str:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a date (YYYY-MM-DD)") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise argparse.ArgumentTypeError(
            f"{quote(text)} is out of range (use a date from {FIRST_DATE} to {LAST_DATE})"
        )
    return day.isoformat()


def _start(text: str) -> date:
    return date.fromisoformat(_iso_date(text))


def _days(text: str) -> tuple[Weekday, ...]:
    """Comma-separated days ("Sat,Sun"), each once."""
    days = tuple(Weekday.parse(part, field="--days") for part in text.split(","))
    if len(set(days)) != len(days):
        raise argparse.ArgumentTypeError(
            f"{quote(text)} names a day twice (list each day once, e.g. Sat,Sun)"
        )
    return days


def _zone(text: str) -> ZoneInfo:
    try:
        return time_zone(text)
    except DomainError as error:
        raise argparse.ArgumentTypeError(f"{error.reason} ({zone_hint(text)})") from None


def _workbook_path(text: str) -> str:
    if not text.strip().lower().endswith(".xlsx"):
        raise argparse.ArgumentTypeError(
            f"{quote(text)} does not end in .xlsx (name the workbook, e.g. tracker.xlsx)"
        )
    return text


def _email(text: str) -> str:
    return Email(text).address


def _ident(text: str) -> str:
    return check_id(text, "id")


def _title(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty (give the Google Sheet a title)")
    return text.strip()


def _group_name(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError('is empty (give the group\'s name, e.g. "Okafor Lab")')
    if any(not c.isprintable() for c in text):
        raise argparse.ArgumentTypeError("holds a line break or control character (give it on one line)")
    return text.strip()


def _sheet_address(text: str) -> str:
    from braingain.integrations.tracker.google_sheets import spreadsheet_id_from

    try:
        return spreadsheet_id_from(text)
    except IntegrationError as error:
        raise argparse.ArgumentTypeError(f"{error.reason} ({error.hint})") from None


def _slack_url(text: str) -> str:
    """``--url`` of ``slack manifest``: an address Slack can send to (a usage error if not)."""
    from braingain.integrations.slack.manifest import events_url

    try:
        events_url(text)
    except IntegrationError as error:
        raise argparse.ArgumentTypeError(f"{error.reason} ({error.hint})") from None
    return text


def _folder(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty (name a folder, e.g. demo-workspace)")
    return text


def build_parser(*, json_errors: bool = False) -> argparse.ArgumentParser:
    """The command line; with ``json_errors``, its usage errors are JSON documents (see
    :class:`_JsonParser`)."""
    sub: type[argparse.ArgumentParser] = _JsonParser if json_errors else argparse.ArgumentParser
    base = argparse.ArgumentParser(add_help=False)  # what every command takes but --format
    base = argparse.ArgumentParser(add_help=False)  # every command's options but --format
    base.add_argument("--config", metavar="FILE", help=f"the configuration file (default: ./{DEFAULT_NAME})")
    base.add_argument("--progress", action="store_true", help="show progress even when not on a terminal")
    base.add_argument("--today", metavar="YYYY-MM-DD", type=_iso_date, help=argparse.SUPPRESS)
    common = argparse.ArgumentParser(add_help=False, parents=[base])
    common.add_argument(
        "--format", choices=("text", "json"), default="text", help="output for people or scripts"
    )

    parser = sub(
        prog="braingain",
        description="Run a research peer-mentorship group from Google Sheets, Drive, Zoom, Slack and email.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"braingain {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=sub)

    init = commands.add_parser(
        "init", parents=[common], help="create a new tracker (a workbook or a Google Sheet)"
    )
    where = init.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--local", metavar="PATH.xlsx", type=_workbook_path, help="create a local workbook at PATH.xlsx"
    )
    where.add_argument(
        "--google",
        action="store_true",
        help="create a Google Sheet in your Drive (sign in first: braingain login google; "
        "docs/google-setup.md)",
    )
    where.add_argument(
        "--key",
        action="store_true",
        help=f"only make the group's state key ({STATE_KEY}), in .env next to the configuration, for a "
        "tracker made without one; init --local and --google make it too",
    )
    init.add_argument(
        "--adopt",
        metavar="ADDRESS",
        type=_valid(_sheet_address),
        help="with --google: turn this empty Google Sheet (its address or id) into the tracker instead of "
        "creating one; for a service account, which may own no file (docs/google-setup.md)",
    )
    init.add_argument(
        "--title",
        type=_title,
        help="the Google Sheet's title (with --google; default: the group's name and \"tracker\", e.g. "
        '"Okafor Lab tracker", or "' + DEFAULT_TITLE + '")',
    )
    init.add_argument(
        "--share-with",
        action="append",
        default=[],
        type=_valid(_email),
        metavar="EMAIL",
        help="also share the new Google Sheet with this person as an editor (repeat for several), "
        "besides the leaders on its Members tab",
    )
    init.add_argument(
        "--sample", action="store_true", help="fill it with the sample group, to try things out"
    )
    init.add_argument(
        "--name",
        type=_group_name,
        help="the group's name, as digests and reports show it (for a new group; default: from the "
        "workbook's file name, or the Google Sheet's --title; asked at a terminal)",
    )
    init.add_argument("--force", action="store_true", help="replace an existing workbook")
    init.set_defaults(handler=cmd_init, refuse=init.error)

    for name, about in (
        ("plan", "show every change a sync would make, and change nothing"),
        ("sync", "read the tracker, check every row, and write the results back"),
    ):
        cmd = commands.add_parser(name, parents=[common], help=about, description=about)
        cmd.add_argument(
            "--allow-empty",
            action="store_true",
            help="sync even though a core tab (Members, Projects, Tasks, Volunteers, Ledger) is missing, "
            "emptied or unreadable: only when the group really is empty; braingain then adds missing tabs",
        )
        cmd.add_argument(
            "--refresh",
            action="store_true",
            help="look on Zoom (one request) and Drive (one per folder and minutes Doc) first, for meetings, "
            "folders and Docs changed or deleted outside braingain and folders shared by hand, and put "
            "them right; without it, braingain trusts what it last did and asks them nothing",
        )
        if name == "sync":
            cmd.add_argument(
                "--wait",
                type=_bounded(0, MAX_WAIT),
                default=int(compose.DEFAULT_WAIT),
                metavar="SECONDS",
                help="if another sync of the same tracker is running (a timer's, or a leader's), wait up to "
                f"SECONDS for it to finish, 0 to {MAX_WAIT} (default {int(compose.DEFAULT_WAIT)}); "
                "then this sync writes nothing and exits with code 4",
            )
        cmd.set_defaults(handler=cmd_plan_or_sync)

    report = commands.add_parser(
        "report",
        help="authorship, the meeting schedule, the ledger, the group or a Gantt chart, from the tracker",
    )
    reports = report.add_subparsers(dest="report", metavar="REPORT", required=True, parser_class=sub)
    authorship = reports.add_parser(
        "authorship",
        parents=[base],
        help="points, authors and CRediT of a project; its author list for a journal (JATS, Word)",
    )
    authorship.add_argument(
        "--format",
        choices=("text", "json", "md", "jats", "docx"),
        default="text",
        help="text, json or md (Markdown) print the report; jats writes each output's JATS 1.3 author "
        "list (<output>-authors.xml) and docx its title page (<output>-title-page.docx) to --out",
    )
    authorship.add_argument(
        "--out",
        metavar="DIR",
        type=_folder,
        help="where jats and docx files go (default: [workspace] reports)",
    )
    authorship.add_argument(
        "--with-email",
        action="store_true",
        help="give the corresponding author's email (a title page asks for it); left out by default",
    )
    authorship.add_argument("project", type=_valid(_ident), help="the project's ID (Projects tab)")
    authorship.add_argument("--output", type=_valid(_ident), help="only this output (Outputs tab ID)")
    schedule_report = reports.add_parser(
        "schedule", parents=[common], help="the next meetings in everyone's time"
    )
    schedule_report.add_argument("--count", type=_positive, default=3, help="how many meetings (default 3)")
    ledger_report = reports.add_parser(
        "ledger", parents=[common], help="every Ledger entry braingain recorded, and whether it is intact"
    )
    ledger_report.add_argument(
        "--verify",
        action="store_true",
        help="check every entry against what braingain recorded: intact, edited, moved, deleted or restored",
    )
    ledger_report.add_argument("--member", type=_valid(_ident), help="only this member's entries")
    gantt_report = reports.add_parser(
        "gantt", parents=[common], help="a project's Gantt chart (PNG and SVG) and its tasks by stage"
    )
    gantt_report.add_argument("project", type=_valid(_ident), help="the project's ID (Projects tab)")
    gantt_report.add_argument(
        "--out", metavar="DIR", help="where to write the chart (default: reports under [workspace])"
    )
    periodic = argparse.ArgumentParser(add_help=False)  # the reports that count participation
    periodic.add_argument(
        "--period",
        choices=[p.value for p in Period],
        default=Period.QUARTER.value,
        help="participation per month, quarter or year (default quarter)",
    )
    group = reports.add_parser(
        "group",
        parents=[base, periodic],
        help="Table 1 (who the members are), the outputs record, and participation per period, with charts",
    )
    group.add_argument(
        "--format",
        choices=("text", "json", "md", "html"),
        default="text",
        help="text, json or md (Markdown) on standard output; html: one self-contained file in --out",
    )
    group.add_argument(
        "--out",
        metavar="DIR",
        help="with --format html: the folder to write group-report.html in (default: the reports folder, "
        "[workspace] reports)",
    )
    html_report = reports.add_parser(
        "html",
        parents=[base, periodic],
        help="one self-contained HTML file: the group report, each project's Gantt chart, the points and "
        "the next meetings, to open, print or send",
    )
    html_report.add_argument(
        "--out", metavar="DIR", help="the folder to write report.html in (default: reports under [workspace])"
    )
    html_report.add_argument(
        "--count", type=_positive, default=3, help="how many meetings ahead to show (default 3)"
    )
    html_report.set_defaults(format="html")
    report.set_defaults(handler=cmd_report)

    schedule = commands.add_parser("schedule", help="meeting slots")
    slots = schedule.add_subparsers(dest="schedule", metavar="ACTION", required=True, parser_class=sub)
    about = "the weekend slot that suits most members"
    suggest = slots.add_parser("suggest", parents=[common], help=about, description=about)
    suggest.add_argument(
        "--days",
        type=_valid(_days),
        default=WEEKEND,
        metavar="DAYS",
        help="allowed days, comma-separated, from Mon Tue Wed Thu Fri Sat Sun (default: Sat,Sun)",
    )
    suggest.add_argument(
        "--length",
        type=_bounded(MIN_LENGTH, MAX_LENGTH),
        metavar="MINUTES",
        help=f"meeting length, {MIN_LENGTH} to {MAX_LENGTH} minutes "
        f"(default: [meetings] length_minutes, else {DEFAULT_LENGTH})",
    )
    suggest.add_argument(
        "--step",
        type=int,
        choices=STEPS,
        default=30,
        metavar="MINUTES",
        help=f"try a start every {', '.join(map(str, STEPS))} minutes (default 30)",
    )
    suggest.add_argument(
        "--horizon",
        type=_bounded(1, MAX_HORIZON),
        default=26,
        metavar="DATES",
        help=f"how many weekly dates to score, 1 to {MAX_HORIZON} (default 26)",
    )
    suggest.add_argument(
        "--from",
        dest="start",
        type=_start,
        metavar="YYYY-MM-DD",
        help="score the weekly dates from this day on (default: today)",
    )
    suggest.add_argument(
        "--anchor",
        type=_zone,
        metavar="ZONE",
        help="the time zone the slot is fixed in, as Region/City, e.g. Africa/Lagos "
        "(default: [meetings] zone, else UTC)",
    )
    schedule.set_defaults(handler=cmd_schedule)

    slack = commands.add_parser("slack", help="the group's Slack app")
    slack_actions = slack.add_subparsers(dest="slack", metavar="ACTION", required=True, parser_class=sub)
    made = slack_actions.add_parser(
        "manifest",
        parents=[common],
        help="print the Slack app's manifest, to create the app from (docs/slack-setup.md)",
        description="Print the manifest (JSON) of the group's Slack app: paste it at "
        "https://api.slack.com/apps, Create New App, From an app manifest. It asks for only the "
        "scopes braingain uses (docs/slack-setup.md says why each).",
    )
    made.add_argument(
        "--url",
        metavar="HTTPS_ADDRESS",
        type=_slack_url,
        help="where `braingain serve` is reached from the internet (HTTP mode); without it, the app "
        "uses Socket Mode, which needs no public address",
    )
    made.set_defaults(handler=cmd_slack_manifest)

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="run the group: the timed sync, the Slack app and Zoom's webhook, until stopped",
        description="One long-running process for the group: a sync every [serve] sync_minutes (and soon "
        "after an action from Slack), the Slack app (Socket Mode with SLACK_APP_TOKEN, else HTTP at "
        "/slack/events with SLACK_SIGNING_SECRET), Zoom's webhook at /zoom/events "
        "(ZOOM_WEBHOOK_SECRET_TOKEN) and /healthz, on [serve] host and port. One log line per sync. "
        "SIGTERM or Ctrl-C lets the sync under way finish, then exits 0 (docs/slack-setup.md).",
    )
    serve.set_defaults(handler=cmd_serve)

    for verb, about in (
        ("login", "sign braingain in to a service as yourself"),
        ("logout", "sign braingain out of a service, and withdraw its access"),
    ):
        account = commands.add_parser(verb, help=about, description=about)
        services = account.add_subparsers(dest="service", metavar="SERVICE", required=True, parser_class=sub)
        if verb == "login":
            google = services.add_parser(
                "google",
                parents=[common],
                help="sign in to Google with your own account (docs/google-setup.md)",
                description="Sign braingain in to Google as yourself: your browser opens Google's page, "
                "you allow braingain to see and edit your Google Sheets spreadsheets (it opens only the one "
                "a group's braingain.toml names) and the Drive files it creates, and the sign-in is kept in "
                "your own configuration folder (readable by you only).",
            )
            google.add_argument(
                "--client-secrets",
                metavar="FILE",
                help="your OAuth client file (a Desktop app client, downloaded from the Google Cloud "
                "console); needed the first time, then kept in braingain's configuration folder",
            )
            google.add_argument(
                "--no-browser",
                action="store_true",
                help="no browser on this computer: print the address to open on any device, then paste "
                "back the address the browser ends on",
            )
            google.set_defaults(handler=cmd_login)
        else:
            google = services.add_parser(
                "google",
                parents=[common],
                help="withdraw braingain's access to Google and forget the sign-in",
            )
            google.set_defaults(handler=cmd_logout)

    demo = commands.add_parser("demo", parents=[common], help="try braingain on the built-in sample group")
    demo.add_argument(
        "--workspace",
        type=_folder,
        default="demo-workspace",
        help="where to put the demo (default ./demo-workspace); never a folder with your own tracker",
    )
    demo.set_defaults(handler=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(json_errors=_asks_for_json(words))
    option = words[0].split("=")[0] if words else ""
    if (
        option in _AFTER_THE_COMMAND
    ):  # `braingain --format json plan`: argparse would say 'json' is no command
        given = words[:1] if "=" in words[0] or option == "--progress" else words[:2]
        command = words[len(given)] if len(words) > len(given) else "COMMAND"
        try:
            parser.error(f"{option} goes after the command: braingain {command} {' '.join(given)}")
        except SystemExit as exit_:
            return int(exit_.code or EXIT_USAGE)
    try:
        args = parser.parse_args(words)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    wrong = _google_only(args)
    if wrong:
        try:
            args.refuse(wrong)
        except SystemExit as exit_:
            return int(exit_.code or EXIT_USAGE)
    try:
        return int(args.handler(args))
    except SyncBusy as error:
        return _failed(args, EXIT_BUSY, error)
    except BraingainError as error:
        return _failed(args, EXIT_ERROR, error)
    except KeyboardInterrupt:
        return _failed(args, EXIT_ERROR, "stopped; nothing half-written (run sync again)", kind="stopped")
    except BrokenPipeError:
        # The reader went away (`braingain report ... | head`): nothing more to say, to anyone.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        return _failed(args, EXIT_ERROR, f"cannot use{where}: {error.strerror or error}", kind="OSError")
    except Exception as error:
        if os.environ.get("BRAINGAIN_DEBUG"):
            raise
        return _failed(
            args,
            EXIT_ERROR,
            f"something went wrong inside braingain ({type(error).__name__}: {error}); "
            "this is a bug: please report it with the command you ran "
            "(set BRAINGAIN_DEBUG=1 to see where it happened)",
            kind="bug",
        )


def _google_only(args: argparse.Namespace) -> str:
    """Why the init command line is wrong: an option for --google given with --local or --key
    (it would be silently ignored); "" when it is not."""
    if args.command != "init" or args.google:
        return ""
    given = [flag for flag, value in (("--title", args.title), ("--share-with", args.share_with)) if value]
    if not given:
        return ""
    where = "--local" if args.local else "--key"
    one = len(given) == 1
    return (
        f"{' and '.join(given)} {'is' if one else 'are'} for init --google (a Google Sheet's title and "
        f"who it is shared with), not for init {where}: leave {'it' if one else 'them'} out"
    )


def _failed(args: argparse.Namespace, code: int, error: BraingainError | str, *, kind: str = "") -> int:
    """Say why the command failed, and return its exit ``code``: a line on standard error, or, with
    ``--format json``, a JSON document on standard output ``{"error": {"kind", "message", "hint",
    "exit_code"}}`` (``kind``: the error's class, e.g. ``ConfigError``; ``message`` and ``hint`` as
    the line says them), so that a script reading the output reads its failures too."""
    line = str(error)
    if getattr(args, "format", None) == "json":
        _json_error(
            kind or type(error).__name__,
            str(getattr(error, "reason", line)),
            str(getattr(error, "hint", "") or ""),
            code,
        )
    else:
        print(f"braingain: {line}", file=sys.stderr)
    return code


def _json_error(kind: str, message: str, hint: str, code: int) -> None:
    found = {"kind": kind, "message": message, "hint": hint, "exit_code": code}
    print(json.dumps({"error": found}, indent=2, ensure_ascii=False))


_AFTER_THE_COMMAND = frozenset({"--config", "--format", "--progress", "--today"})
"""The options every command takes, after its name (``braingain plan --format json``)."""


def _asks_for_json(argv: Sequence[str]) -> bool:
    """Whether a command line asks for JSON output (``--format json`` or ``--format=json``), read
    before it is parsed: a command line argparse refuses still gets its error as JSON."""
    return any(
        word == "--format=json" or (word == "--format" and list(argv[place + 1 : place + 2]) == ["json"])
        for place, word in enumerate(argv)
    )


class _JsonParser(argparse.ArgumentParser):
    """argparse's parser for a command line that asks for JSON: its usage errors (exit 2) come as
    the JSON document of :func:`_failed` (``kind`` "usage"), not as usage text on standard error."""

    def error(self, message: str) -> NoReturn:
        _json_error("usage", message, f"see {self.prog} --help", EXIT_USAGE)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    sys.exit(main())
