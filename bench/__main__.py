"""``make bench``: how long the core takes on groups of realistic and extreme size."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from bench.requests import measure as measure_requests
from bench.synthetic import synthetic_availability, synthetic_group, tracker_snapshot
from braingain.core.group import Group
from braingain.core.ids import MemberId, OutputId
from braingain.core.slots import find_slots
from braingain.core.tracker_plan import plan_tracker
from braingain.core.tracker_read import read_tracker
from braingain.core.volunteering import TrackRecord, track_records
from braingain.integrations.schema import load_schema

T = TypeVar("T")


def timed(label: str, work: Callable[[], T], *, repeat: int = 3) -> T:
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<48} {best * 1000:10.1f} ms")
    assert result is not None
    return result


def records_of(group: Group) -> dict[MemberId, TrackRecord]:
    return track_records(group.members.values(), group.tasks.values(), group.attendance)


def main() -> None:
    print("braingain benchmarks (best of 3; compute only, no I/O)")
    for members, tasks in ((24, 200), (1000, 10_000)):
        print(f"\n{members} members x {tasks} tasks")
        group = timed(
            "build the group and replay its ledger", partial(synthetic_group, members, tasks), repeat=1
        )
        timed("points table (standings)", partial(group.ledger.standings, tasks=group.tasks))
        timed("authorship decision for one paper", partial(group.decide, OutputId("paper")))
        timed("track records of every member", partial(records_of, group))
        open_task = next(t.id for t in group.tasks.values() if t.status.value == "open")
        timed("rank the volunteers of one task", partial(group.selection, open_task))

    print("\nsync engine compute (read + validate + model + plan), on a snapshot in memory")
    for members, tasks in ((24, 200), (1000, 10_000)):
        snap, settings = tracker_snapshot(members, tasks)
        schema = load_schema()
        moment = datetime(2026, 6, 1, 12, tzinfo=UTC)
        read = timed(
            f"{members} members x {tasks} tasks: read and validate",
            partial(read_tracker, schema, snap, settings, moment),
            repeat=1,
        )
        timed(
            f"{members} members x {tasks} tasks: plan",
            partial(plan_tracker, schema, read, settings, moment),
            repeat=1,
        )

    measure_requests(print)

    anchor = ZoneInfo("Europe/London")
    for members in (24, 1000):
        people = synthetic_availability(members)
        print(f"\nslot finder: {members} members, Sat+Sun every 30 min, 90 min meetings, 26 dates")
        timed(
            "find the best slot, with its explanation",
            partial(find_slots, people, anchor=anchor, start=date(2026, 1, 3)),
        )


if __name__ == "__main__":
    main()
