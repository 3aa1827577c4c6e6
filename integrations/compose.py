"""The composition root: the one place that picks adapters, reads the clock and runs a sync.

A sync is one pass in one direction: read the tracker, build the model (validating
every row), compute the plan of changes, apply it, and write the results back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from braingain.core.ports import TrackerBackend
from braingain.core.tracker_plan import TrackerPlan, plan_tracker, settle
from braingain.core.tracker_read import ReadResult, read_tracker
from braingain.integrations.config import Config
from braingain.integrations.errors import ConfigError, TrackerNotThere
from braingain.integrations.schema import load_schema

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def now() -> datetime:
    """The only clock braingain reads."""
    return datetime.now(UTC)


def tracker_backend(config: Config) -> TrackerBackend:
    """The tracker the configuration names: the local workbook, or the Google Sheet."""
    if config.tracker.backend == "local":
        from braingain.integrations.workbook import LocalWorkbook

        if config.tracker.path is None:
            raise ConfigError("[tracker] path is empty", hint="give the workbook's path, e.g. braingain.xlsx")
        return LocalWorkbook(config.tracker.path)
    from braingain.integrations.google_sheets import GoogleSheets

    return GoogleSheets.from_config(config)


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    location: str
    read: ReadResult
    plan: TrackerPlan
    applied: bool


def run_sync(
    config: Config,
    *,
    apply: bool,
    at: datetime | None = None,
    backend: TrackerBackend | None = None,
    progress: Progress = _quiet,
    allow_empty: bool = False,
) -> SyncOutcome:
    """Read, validate, model, plan; with ``apply``, write the plan back.

    Raises :class:`TrackerNotThere` (and writes nothing) when a core tab is missing,
    renamed, emptied or still loading, unless ``allow_empty`` says the group really is empty
    (which a tab that looks renamed or is still loading never is).
    """
    moment = at or now()
    if backend is not None:
        return _sync(config, backend, apply=apply, at=moment, progress=progress, allow_empty=allow_empty)
    tracker = tracker_backend(config)
    try:
        return _sync(config, tracker, apply=apply, at=moment, progress=progress, allow_empty=allow_empty)
    finally:
        close = getattr(tracker, "close", None)
        if callable(close):
            close()


def _sync(
    config: Config,
    tracker: TrackerBackend,
    *,
    apply: bool,
    at: datetime,
    progress: Progress,
    allow_empty: bool,
) -> SyncOutcome:
    moment = at
    schema = load_schema()
    progress(f"reading the tracker ({tracker.location})")
    snapshot = tracker.read()
    progress(f"checking {sum(len(g.values) for g in snapshot.grids.values())} rows")
    # Decisions a typo may have touched are settled first, so the outcome lists every problem.
    read = settle(read_tracker(schema, snapshot, config.settings, moment), config.settings, moment)
    # --allow-empty says the group really is empty; it never stands for a renamed or loading tab.
    if read.absent and not (allow_empty and all(a.emptiness for a in read.absent)):
        raise TrackerNotThere(tracker.location, read.absent)
    progress("planning")
    plan = plan_tracker(schema, read, config.settings, moment)
    applied = False
    if apply and not plan.write.empty:
        progress(f"writing {len(plan.write.cells)} cells")
        tracker.write(plan.write)
        applied = True
    return SyncOutcome(tracker.location, read, plan, applied)
