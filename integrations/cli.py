"""The ``braingain`` command. This is the composition root: the one place that reads the
clock and the environment and hands them to the core."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from braingain import __version__
from braingain.core.errors import BraingainError
from braingain.core.slots import find_slots
from braingain.integrations import text
from braingain.sample import PROTOCOL_OUTPUT, SR, sample_group

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def _now(value: str | None) -> datetime:
    """Now, or noon UTC on the date given (so a demo on a chosen day is repeatable)."""
    if value:
        return datetime.combine(date.fromisoformat(value), time(12), tzinfo=UTC)
    return datetime.now(UTC)


def demo(args: argparse.Namespace) -> int:
    """Run the core on the sample group and print what a leader would read."""
    now = _now(args.today)
    today = now.date()
    group = sample_group(today)
    print(f"braingain {__version__}: the sample group on {today.isoformat()}")
    countries = len({m.country.code for m in group.members.values()})
    print(
        f"{len(group.members)} members in {countries} countries, {len(group.leaders())} co-leaders, "
        f"{len(group.projects)} projects, {len(group.tasks)} tasks."
    )
    print(text.standings(group, group.project(SR).id))
    print(text.authorship(group.decide(PROTOCOL_OUTPUT)))
    print(text.selection(group, group.selection("SR-T09", now=now)))
    anchor = group.series.slot.zone if group.series else ZoneInfo("UTC")
    people = [group.availability_of(m) for m in group.active_members(today)]
    print(text.slot_choice(group, find_slots(people, anchor=anchor, start=today)))
    upcoming = [m for m in group.meetings(today + timedelta(weeks=26)) if m.start > now][:3]
    print(text.meetings_by_member(group, upcoming))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="braingain",
        description="Run a research peer-mentorship group from Google Sheets, Drive, Zoom, Slack and email.",
    )
    parser.add_argument("--version", action="version", version=f"braingain {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run_demo = commands.add_parser(
        "demo",
        help="show the sample group's points table, authorship decision and volunteer ranking",
    )
    run_demo.add_argument("--today", metavar="YYYY-MM-DD", help="pretend today is this date (default: today)")
    run_demo.set_defaults(handler=demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except BraingainError as error:
        print(f"braingain: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
