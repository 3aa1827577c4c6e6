"""The ``braingain`` command: init, plan, sync, report, schedule suggest, demo.

Exit codes (also in ``braingain --help``):
  0  done, nothing wrong
  1  braingain could not do it (configuration, tracker or platform error; the message says why)
  2  the command line was wrong
  3  done, but some rows have problems (listed, and on the Problems tab); what depends on them waits
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from braingain import __version__
from braingain.core.availability import Weekday
from braingain.core.errors import BraingainError, quote
from braingain.core.ids import OutputId
from braingain.core.members import Member
from braingain.core.slots import find_slots
from braingain.core.tracker_export import group_rows, group_state, state_rows
from braingain.integrations import compose, text
from braingain.integrations.config import DEFAULT_NAME, Config, load_config
from braingain.integrations.schema import load_schema

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PROBLEMS = 3

EPILOG = """exit codes:
  0  done, nothing wrong
  1  braingain could not do it; the message says why and how to fix it
  2  the command line was wrong
  3  done, but some tracker rows have problems (listed, and on the Problems tab)

Start with `braingain demo`, or `braingain init --local braingain.xlsx` for your own group."""


def _now(args: argparse.Namespace) -> datetime:
    """Now, or noon UTC on --today (so that a run on a chosen day is repeatable)."""
    if getattr(args, "today", None):
        return datetime.combine(date.fromisoformat(args.today), time(12), tzinfo=UTC)
    return compose.now()


def _config(args: argparse.Namespace) -> Config:
    path = (
        Path(args.config) if args.config else (Path(DEFAULT_NAME) if Path(DEFAULT_NAME).is_file() else None)
    )
    return load_config(path)


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
    config = _config(args)
    outcome = compose.run_sync(config, apply=args.command == "sync", at=_now(args), progress=_progress(args))
    problems = outcome.read.problems
    data = {
        "tracker": outcome.location,
        "applied": outcome.applied,
        "changes": list(outcome.plan.summary),
        "cells": len(outcome.plan.write.cells),
        "status_changes": list(outcome.read.changes),
        "problems": [{"tab": p.tab, "row": p.row, "column": p.column, "problem": p.reason} for p in problems],
    }
    _emit(args, data, text.sync_outcome(outcome, applied=args.command == "sync"))
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    config = _config(args)
    outcome = compose.run_sync(config, apply=False, at=_now(args), progress=_progress(args))
    group = outcome.read.group
    if args.report == "authorship":
        project = group.project(args.project)
        outputs = [o for o in group.outputs.values() if o.project_id == project.id]
        if args.output:
            outputs = [group.output(args.output)]
        decisions = [group.decide(OutputId(o.id)) for o in sorted(outputs, key=lambda o: o.id)]
        data = {
            "project": project.id,
            "standings": [
                {"member": s.member_id, "points": str(s.points), "accepted_tasks": s.accepted_tasks}
                for s in group.ledger.standings(project.id)
            ],
            "outputs": [text.decision_data(d) for d in decisions],
        }
        rendered = "\n".join([text.standings(group, project.id), *(text.authorship(d) for d in decisions)])
        _emit(args, data, rendered)
    else:
        at = _now(args)
        meetings = [m for m in group.meetings_by(at + timedelta(weeks=26)) if m.start > at][: args.count]
        schedule: dict[str, Any] = {
            "slot": group.series.slot.label if group.series else None,
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
                }
                for m in meetings
            ],
        }
        rendered = text.meetings_by_member(group, meetings) if meetings else "No meetings are scheduled."
        _emit(args, schedule, rendered)
    return EXIT_OK


def _local(member: Member, instant: datetime) -> str | None:
    """``instant`` on the member's clock, or ``None`` while their zone cannot be read."""
    local = member.local(instant)
    return local.isoformat() if local is not None else None


def cmd_schedule(args: argparse.Namespace) -> int:
    config = _config(args)
    at = _now(args)
    outcome = compose.run_sync(config, apply=False, at=at, progress=_progress(args))
    group = outcome.read.group
    days = tuple(Weekday.parse(d) for d in args.days.split(","))
    anchor = group.series.slot.zone if group.series and not args.anchor else None
    from braingain.core.members import time_zone

    zone = anchor or time_zone(args.anchor or "UTC")
    people, left_out = group.schedulable(at.date())
    choice = find_slots(
        people,
        anchor=zone,
        start=at.date(),
        days=days,
        step=args.step,
        length=args.length,
        horizon=args.horizon,
    )
    data = {
        "best": choice.best.slot.label,
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
    _emit(args, data, text.slot_choice(group, choice, left_out))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    schema = load_schema()
    if args.google:
        from braingain.integrations.google_sheets import create_spreadsheet

        config = _config(args)
        rows = _sample_rows(args)
        location = create_spreadsheet(config, schema, title=args.title, rows=rows, share_with=args.share_with)
        rendered = text.google_created(location, shared=bool(args.share_with or rows))
        _emit(args, {"backend": "google", "spreadsheet_id": location}, rendered)
        return EXIT_OK
    from braingain.integrations.workbook import create_workbook

    path = Path(args.local)
    create_workbook(path, schema, _sample_rows(args), overwrite=args.force)
    config_path = path.parent / DEFAULT_NAME
    if args.sample and not config_path.exists():
        from braingain.sample import sample_group

        # The sample's own settings (its meeting series), so that its first sync is clean.
        settings = text.demo_config(sample_group(_now(args).date()))
        config_path.write_text(
            settings.replace('path = "braingain.xlsx"', f'path = "{path.name}"'), encoding="utf-8"
        )
    elif not config_path.exists():
        example = resources.files("braingain.config").joinpath("braingain.example.toml")
        config_path.write_text(
            example.read_text(encoding="utf-8").replace('path = "braingain.xlsx"', f'path = "{path.name}"'),
            encoding="utf-8",
        )
    _emit(
        args,
        {"backend": "local", "workbook": str(path), "config": str(config_path)},
        text.init_done(path, config_path),
    )
    return EXIT_OK


def _sample_rows(args: argparse.Namespace) -> dict[str, list[dict[str, Any]]] | None:
    if not getattr(args, "sample", False):
        return None
    from braingain.sample import sample_group

    group = sample_group(_now(args).date())
    rows: dict[str, list[dict[str, Any]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group))
    return rows


def cmd_demo(args: argparse.Namespace) -> int:
    """The main job on the embedded workbook: a workspace with the sample group, plan, sync, reports."""
    from braingain.integrations.workbook import create_workbook
    from braingain.sample import sample_group

    at = _now(args)
    workspace = Path(args.workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    workbook = workspace / "braingain.xlsx"
    group = sample_group(at.date())
    rows: dict[str, list[dict[str, Any]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group))
    create_workbook(workbook, load_schema(), rows, overwrite=True)
    config_path = workspace / DEFAULT_NAME
    config_path.write_text(text.demo_config(group), encoding="utf-8")
    print(text.demo_intro(group, workbook, at))
    config = load_config(config_path)
    planned = compose.run_sync(config, apply=False, at=at)
    print(text.sync_outcome(planned, applied=False))
    synced = compose.run_sync(config, apply=True, at=at)
    print(text.sync_outcome(synced, applied=True))
    again = compose.run_sync(config, apply=False, at=at)
    print(text.second_plan(again))
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
    print(text.demo_outro(workspace))
    return EXIT_OK


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def _iso_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a date (YYYY-MM-DD)") from None
    return text


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", metavar="FILE", help=f"the configuration file (default: ./{DEFAULT_NAME})"
    )
    common.add_argument(
        "--format", choices=("text", "json"), default="text", help="output for people or scripts"
    )
    common.add_argument("--progress", action="store_true", help="show progress even when not on a terminal")
    common.add_argument("--today", metavar="YYYY-MM-DD", type=_iso_date, help=argparse.SUPPRESS)

    parser = argparse.ArgumentParser(
        prog="braingain",
        description="Run a research peer-mentorship group from Google Sheets, Drive, Zoom, Slack and email.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"braingain {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser(
        "init", parents=[common], help="create a new tracker (a workbook or a Google Sheet)"
    )
    where = init.add_mutually_exclusive_group(required=True)
    where.add_argument("--local", metavar="PATH.xlsx", help="create a local workbook at PATH.xlsx")
    where.add_argument(
        "--google", action="store_true", help="create a Google Sheet (needs Google credentials)"
    )
    init.add_argument("--title", default="braingain tracker", help="the Google Sheet's title")
    init.add_argument(
        "--share-with",
        action="append",
        default=[],
        metavar="EMAIL",
        help="also share the new Google Sheet with this person (repeat for several); a sheet a service "
        "account creates is visible to nobody else until it is shared",
    )
    init.add_argument(
        "--sample", action="store_true", help="fill it with the sample group, to try things out"
    )
    init.add_argument("--force", action="store_true", help="replace an existing workbook")
    init.set_defaults(handler=cmd_init)

    for name, about in (
        ("plan", "show every change a sync would make, and change nothing"),
        ("sync", "read the tracker, check every row, and write the results back"),
    ):
        cmd = commands.add_parser(name, parents=[common], help=about, description=about)
        cmd.set_defaults(handler=cmd_plan_or_sync)

    report = commands.add_parser(
        "report", help="authorship standings or the meeting schedule, from the tracker"
    )
    reports = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    authorship = reports.add_parser(
        "authorship", parents=[common], help="points, authors and CRediT of a project"
    )
    authorship.add_argument("project", help="the project's ID (Projects tab)")
    authorship.add_argument("--output", help="only this output (Outputs tab ID)")
    schedule_report = reports.add_parser(
        "schedule", parents=[common], help="the next meetings in everyone's time"
    )
    schedule_report.add_argument("--count", type=_positive, default=3, help="how many meetings (default 3)")
    report.set_defaults(handler=cmd_report)

    schedule = commands.add_parser("schedule", help="meeting slots")
    slots = schedule.add_subparsers(dest="schedule", metavar="ACTION", required=True)
    suggest = slots.add_parser("suggest", parents=[common], help="the weekend slot that suits most members")
    suggest.add_argument("--days", default="Sat,Sun", help="allowed days, e.g. Sat,Sun (default)")
    suggest.add_argument(
        "--length", type=_positive, default=90, help="meeting length in minutes (default 90)"
    )
    suggest.add_argument(
        "--step", type=_positive, default=30, help="try a start every N minutes (default 30)"
    )
    suggest.add_argument("--horizon", type=_positive, default=26, help="weekly dates to score (default 26)")
    suggest.add_argument("--anchor", help="the time zone the slot is fixed in (default: the configured one)")
    schedule.set_defaults(handler=cmd_schedule)

    demo = commands.add_parser("demo", parents=[common], help="try braingain on the built-in sample group")
    demo.add_argument(
        "--workspace", default="demo-workspace", help="where to put the demo (default ./demo-workspace)"
    )
    demo.set_defaults(handler=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except BraingainError as error:
        print(f"braingain: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("braingain: stopped; nothing half-written (run sync again)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
