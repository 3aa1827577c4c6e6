"""``make bench``: how long the core takes on groups of realistic and extreme size."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from bench.drive import measure as measure_drive
from bench.messages import measure as measure_messages
from bench.platforms import measure as measure_platforms
from bench.requests import measure as measure_requests
from bench.synthetic import synthetic_availability, synthetic_group, tracker_snapshot
from braingain.core.authorship.volunteering import TrackRecord, track_records
from braingain.core.group import Group
from braingain.core.ids import MemberId, OutputId
from braingain.core.memo import forget
from braingain.core.schedule.slots import find_slots
from braingain.core.tracker.plan import plan_tracker
from braingain.core.tracker.read import read_tracker
from braingain.integrations.compose import compute
from braingain.integrations.tracker.schema import load_schema

T = TypeVar("T")

JUDGED = (1000, 10_000)
TARGET_MS = 2000
"""Issue 7: reading, validating and planning 1,000 members and 10,000 tasks takes under 2 s."""


def best_of(work: Callable[[], T], repeat: int) -> tuple[T, float]:
    """``work``'s result and its best time in seconds. Each run starts with nothing remembered
    (``braingain.core.memo``), as a sync in a fresh process does."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        result = None  # the previous run's objects are freed before the clock starts, not during
        forget()
        gc.collect()  # and so is what they left in cycles, as in a fresh process
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return result, best


def timed(label: str, work: Callable[[], T], *, repeat: int = 3) -> T:
    result, best = best_of(work, repeat)
    print(f"  {label:<48} {best * 1000:10.1f} ms")
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
    for members, tasks in ((24, 200), JUDGED):
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
        if (members, tasks) == JUDGED:
            # As `braingain sync` computes it (compose.compute), from a snapshot in memory, in a
            # process that holds nothing else of that size (a sync holds no second group).
            del read, group
            _, together = best_of(partial(compute, schema, snap, settings, moment), repeat=3)
            print(
                f"\nread + validate + plan, {members} members x {tasks} tasks: {together * 1000:.0f} ms "
                f"(target < {TARGET_MS} ms)"
            )

    measure_requests(print)
    measure_platforms(print)
    measure_messages(print)
    measure_drive(print)

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
