"""What a sync computes, as the composition root runs it: the same read and plan, with Python's
cyclic garbage collector paused while they run and resumed after, whatever happens."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

from braingain.core.tracker.plan import plan_tracker
from braingain.core.tracker.schema import Snapshot
from braingain.integrations import compose
from braingain.integrations.errors import TrackerNotThere
from tests.tracker.helpers import SCHEMA, Sample, snapshot

SAMPLE = Sample()


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_sync_computes_the_plan_the_core_makes_with_the_collector_paused_and_resumes_it(
    monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    seen: list[bool] = []

    def planned(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return plan_tracker(*args, **kwargs)

    monkeypatch.setattr(compose, "plan_tracker", planned)
    snap = snapshot(SAMPLE.rows())
    read, plan = compose.compute(SCHEMA, snap, SAMPLE.settings, SAMPLE.now)
    assert seen == [False]
    assert gc.isenabled()
    read_alone, _, plan_alone = SAMPLE.sync(snap)
    assert read.problems == read_alone.problems
    assert plan == plan_alone


def test_the_collector_resumes_when_a_core_tab_is_not_there(collector_on: None) -> None:
    empty = Snapshot({})
    with pytest.raises(TrackerNotThere):
        compose.compute(SCHEMA, empty, SAMPLE.settings, SAMPLE.now, location="tracker.xlsx")
    assert gc.isenabled()
    read, _ = compose.compute(SCHEMA, empty, SAMPLE.settings, SAMPLE.now, allow_empty=True)
    assert read.absent


def test_a_collector_the_caller_paused_stays_paused() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with compose.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_what_a_compute_made_joins_the_oldest_generation_and_a_cycle_it_left_is_still_collected(
    collector_on: None,
) -> None:
    class Node:
        me: object = None

    with compose.collector_paused():
        made = [Node() for _ in range(50_000)]  # young objects, as a compute makes by the million
        looped = Node()
        looped.me = looped
        left = weakref.ref(looped)
        del looped
    assert gc.get_count()[0] < 1_000, "the next pass of the youngest generation does not walk them all"
    assert gc.get_freeze_count() == 0, "nothing stays frozen"
    del made
    gc.collect()
    assert left() is None, "a cycle a compute left is collected"
