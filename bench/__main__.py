"""``make bench``: how long the core takes on groups of realistic and extreme size."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from bench.synthetic import synthetic_group
from braingain.core.volunteering import track_records

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


def main() -> None:
    print("braingain benchmarks (best of 3; compute only, no I/O)")
    for members, tasks in ((24, 200), (1000, 10_000)):
        print(f"\n{members} members x {tasks} tasks")
        group = timed("build the group and replay its ledger", lambda m=members, t=tasks: synthetic_group(m, t), repeat=1)
        timed("points table (standings)", lambda g=group: g.ledger.standings())
        timed("authorship decision for one paper", lambda g=group: g.decide("paper"))
        timed(
            "track records of every member",
            lambda g=group: track_records(g.members.values(), g.tasks.values(), g.attendance),
        )
        open_task = next(t.id for t in group.tasks.values() if t.status.value == "open")
        timed("rank the volunteers of one task", lambda g=group, t=open_task: g.selection(t))


if __name__ == "__main__":
    main()
