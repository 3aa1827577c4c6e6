"""Two syncs of one Google Sheet at once (issue 8, section 5): the sync lease keeps their writes apart.

The two syncs' requests are interleaved through the loopback fake, in one thread and in a
fixed order: both read, one writes, then the other tries. The fake refuses a second
developer metadata with an id in use and applies a batch all or nothing, as Google does;
whether Google refuses a delete that matches nothing is not documented, so the tests that
depend on it run both ways (``refuse_unmatched_metadata_delete``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from braingain.core.tracker.schema import Snapshot
from braingain.integrations import cli, compose
from braingain.integrations.cli import EXIT_BUSY, main
from braingain.integrations.config import Config
from braingain.integrations.errors import SyncBusy, TrackerError
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.google_lease import (
    LEASE_ID,
    LEASE_KEY,
    TTL,
    Keeper,
    Lease,
    found,
    refused,
)
from braingain.integrations.tracker.google_sheets import GoogleSheets
from tests.fakes.fixtures import service_account_info
from tests.fakes.google import FakeGoogle
from tests.integrations.test_google_sheets import (
    NOW,
    backend,
    make_config,
    plan,
    sample_rows,
    tabs_of,
)


@pytest.fixture(params=[False, True], ids=["delete-of-nothing-deletes-nothing", "delete-of-nothing-refused"])
def fake(fake_google: FakeGoogle, request: pytest.FixtureRequest) -> FakeGoogle:
    fake_google.refuse_unmatched_metadata_delete = request.param
    return fake_google


@pytest.fixture
def account(tmp_path: Path, fake: FakeGoogle) -> Path:
    """The service account's key file braingain signs in with."""
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(service_account_info(fake)), encoding="utf-8")
    return path


@pytest.fixture
def policy() -> RetryPolicy:
    """The retry policy, with a clock that stays at NOW and a sleep that never waits."""
    return RetryPolicy(sleep=lambda _: None, random=lambda: 0.5, now=lambda: NOW)


def everything(fake: FakeGoogle, spreadsheet_id: str) -> dict[str, list[list[object]]]:
    return {s["title"]: fake.values(spreadsheet_id, s["title"]) for s in fake.sheets(spreadsheet_id)}


def lease_in(fake: FakeGoogle, spreadsheet_id: str) -> dict[str, str]:
    (entry,) = fake.developer_metadata(spreadsheet_id)
    assert (entry["metadataId"], entry["metadataKey"], entry["visibility"]) == (
        LEASE_ID,
        LEASE_KEY,
        "DOCUMENT",
    )
    value: dict[str, str] = json.loads(entry["metadataValue"])
    return value


def tabs_titles(fake: FakeGoogle, spreadsheet_id: str) -> list[str]:
    return [s["title"] for s in fake.sheets(spreadsheet_id)]


def at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


class Crashed(Exception):
    """The process of a sync died (here: between its structural batch and its cells)."""


def test_two_syncs_that_read_together_the_second_write_is_refused_whole_and_nothing_of_it_lands(
    fake: FakeGoogle, account: Path, policy: RetryPolicy
) -> None:
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of(sample_rows()))
    timer, leader = (backend(fake, account, spreadsheet_id, policy) for _ in range(2))
    timers_plan, leaders_plan = plan(timer), plan(leader)  # both read the same sheet
    meetings = len(fake.values(spreadsheet_id, "Meetings"))
    assert any(c.tab == "Meetings" and c.row > meetings for c in leaders_plan.write.cells)  # rows to append

    timer.write(timers_plan.write)
    after_timer = everything(fake, spreadsheet_id)
    timers_lease = lease_in(fake, spreadsheet_id)
    with pytest.raises(SyncBusy) as refused_write:
        leader.write(leaders_plan.write)

    assert everything(fake, spreadsheet_id) == after_timer  # not one cell of the leader's, no row twice
    assert lease_in(fake, spreadsheet_id) == timers_lease
    assert str(refused_write.value).startswith(
        f"another braingain sync wrote to the Google Sheet {spreadsheet_id} while this sync was working out "
        "its changes, so this sync wrote nothing"
    )
    assert "run braingain sync again" in refused_write.value.hint
    assert plan(leader).write.empty  # read afresh, the leader's sync finds the timer did it all


@pytest.fixture
def synced(fake: FakeGoogle, account: Path, policy: RetryPolicy) -> str:
    """The sample group's sheet, synced once (so it holds a released lease); its id."""
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of(sample_rows()))
    first = backend(fake, account, spreadsheet_id, policy)
    first.write(plan(first).write)
    return spreadsheet_id


def test_each_write_swaps_the_lease_it_read_and_leaves_it_released(
    fake: FakeGoogle, account: Path, policy: RetryPolicy, synced: str
) -> None:
    spreadsheet_id = synced
    before = fake.developer_metadata(spreadsheet_id)[0]["metadataValue"]
    fake.set_values(spreadsheet_id, "Problems", "A2", [["typed over the sync's cell"]])
    second = backend(fake, account, spreadsheet_id, policy)
    write = plan(second).write
    fake.reset_counts()

    second.write(write)

    (batch,) = fake.requests_to("spreadsheets.batchUpdate")
    delete, create = batch.body["requests"][:2]
    assert delete == {
        "deleteDeveloperMetadata": {
            "dataFilter": {"developerMetadataLookup": {"metadataId": LEASE_ID, "metadataValue": before}}
        }
    }
    assert create["createDeveloperMetadata"]["developerMetadata"]["metadataId"] == LEASE_ID
    lease = lease_in(fake, spreadsheet_id)
    assert "until" not in lease  # a write of one batch never leaves the lease held
    assert lease["sync"] != json.loads(before)["sync"]


def test_a_sync_that_may_wait_tries_again_afresh_and_finds_nothing_left_to_do(
    fake: FakeGoogle, account: Path, policy: RetryPolicy
) -> None:
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of(sample_rows()))
    config = make_config(fake, account, spreadsheet_id=spreadsheet_id)
    leaders = overtaken(config, policy)
    waited: list[float] = []
    clock = Clock()

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock.now += seconds

    outcome = compose.run_sync(config, apply=True, at=NOW, backend=leaders, wait=30, sleep=sleep, clock=clock)

    assert waited == [compose.POLL]
    assert leaders.reads == 2
    assert not outcome.applied
    assert outcome.plan.write.empty


def test_a_sync_that_may_not_wait_exits_4_saying_another_sync_wrote_first(
    fake: FakeGoogle, account: Path, policy: RetryPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of(sample_rows()))
    config = make_config(fake, account, spreadsheet_id=spreadsheet_id)
    monkeypatch.setattr(compose, "tracker_backend", lambda _: overtaken(config, policy))
    monkeypatch.setattr(cli, "_config", lambda _: config)
    before_leader: list[dict[str, list[list[object]]]] = []
    monkeypatch.setattr(
        Overtaken, "after_the_other", lambda self: before_leader.append(everything(fake, spreadsheet_id))
    )

    code = main(["sync", "--wait", "0", "--today", "2026-11-25"])

    assert code == EXIT_BUSY
    assert everything(fake, spreadsheet_id) == before_leader[0]


def test_a_write_of_two_batches_holds_the_lease_and_a_stopped_syncs_lease_ends_on_its_own(
    fake: FakeGoogle, account: Path, policy: RetryPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of(sample_rows(), leave_out_tabs=("actions",)))
    config = make_config(fake, account, spreadsheet_id=spreadsheet_id)
    stopped = GoogleSheets.from_config(config, retry=policy, clock=at(NOW))
    write = plan(stopped).write
    assert write.structure
    assert write.cells

    def dies(*_: object) -> None:
        raise Crashed

    monkeypatch.setattr(stopped, "_guard", dies)  # the guard read, just before the cells
    with pytest.raises(Crashed):
        stopped.write(write)  # the tab was added, the lease taken; then the process died
    lease = lease_in(fake, spreadsheet_id)
    assert datetime.fromisoformat(lease["until"]) == NOW + TTL

    later = NOW + TTL / 2
    waiting = GoogleSheets.from_config(config, retry=policy, clock=at(later))
    assert not plan(waiting).write.empty  # planning never waits: it writes nothing
    fake.reset_counts()
    with pytest.raises(SyncBusy) as busy:
        waiting.write(plan(waiting).write)
    assert fake.count("spreadsheets.batchUpdate") == 0  # nothing was sent
    assert str(busy.value).startswith(
        f"another braingain sync is writing to the Google Sheet {spreadsheet_id} "
        "(since 12:00:00 UTC, until 12:02:00 UTC at the latest), so this sync wrote nothing"
    )
    assert "holds the sheet only until then" in busy.value.hint

    after_it_ended = GoogleSheets.from_config(config, retry=policy, clock=at(NOW + TTL))
    after_it_ended.write(plan(after_it_ended).write)
    assert plan(after_it_ended).write.empty
    assert "until" not in lease_in(fake, spreadsheet_id)


def test_a_write_that_fails_after_its_structural_batch_gives_the_lease_back_at_once(
    fake: FakeGoogle, account: Path, policy: RetryPolicy
) -> None:
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of(sample_rows(), leave_out_tabs=("actions",)))
    failing = backend(fake, account, spreadsheet_id, policy)
    write = plan(failing).write
    assert write.structure
    assert any(c.tab == "Meetings" for c in write.cells)

    def person_deletes_a_tab(route: str) -> None:
        if route == "values.batchGetByDataFilter":  # the guard read, after the structural batch
            fake.on_request(None)
            fake.delete_tab(spreadsheet_id, "Meetings")

    fake.on_request(person_deletes_a_tab)
    with pytest.raises(TrackerError, match="so nothing was written"):
        failing.write(write)
    assert "Action items" in tabs_titles(fake, spreadsheet_id)  # the structural batch had landed
    assert "until" not in lease_in(fake, spreadsheet_id)  # given back, not held until it ends

    next_sync = backend(fake, account, spreadsheet_id, policy)  # the same moment: within the TTL
    next_sync.write(plan(next_sync).write)  # not busy: it adds the tab back
    assert "Meetings" in tabs_titles(fake, spreadsheet_id)


def test_a_syncs_own_lease_never_stops_its_own_cells(
    fake: FakeGoogle, account: Path, policy: RetryPolicy
) -> None:
    spreadsheet_id = fake.new_spreadsheet("t", tabs_of(sample_rows(), leave_out_tabs=("actions",)))
    sheets = backend(fake, account, spreadsheet_id, policy)
    fake.reset_counts()
    sheets.write(plan(sheets).write)
    assert fake.count("spreadsheets.batchUpdate") == 2
    first, second = fake.requests_to("spreadsheets.batchUpdate")
    held = json.loads(
        first.body["requests"][0]["createDeveloperMetadata"]["developerMetadata"]["metadataValue"]
    )
    assert "until" in held  # cells follow: held meanwhile
    assert second.body["requests"][0]["deleteDeveloperMetadata"]["dataFilter"]["developerMetadataLookup"][
        "metadataValue"
    ] == json.dumps(held, separators=(",", ":"))
    assert "until" not in lease_in(fake, spreadsheet_id)


def test_a_sync_with_nothing_to_write_spends_no_request_on_the_lease(
    fake: FakeGoogle, account: Path, policy: RetryPolicy, synced: str
) -> None:
    fake.reset_counts()
    idle = backend(fake, account, synced, policy)
    idle.write(plan(idle).write)
    assert {n: c for n, c in fake.counts.items() if c and n != "token"} == {
        "spreadsheets.get": 1,
        "values.batchGet": 1,
    }


# -- the lease's pieces ------------------------------------------------------------------------


def test_metadata_with_the_leases_id_but_another_key_is_refused_clearly() -> None:
    foreign = {
        "developerMetadata": [{"metadataId": LEASE_ID, "metadataKey": "someone.else", "metadataValue": "x"}]
    }
    with pytest.raises(TrackerError, match="belongs to something else"):
        found(foreign)


@pytest.mark.parametrize("value", ["", "not json", "[1, 2]", '{"sync": 3, "until": "tomorrow"}'])
def test_a_damaged_lease_value_is_a_lease_nobody_holds_and_is_swapped_away_as_read(value: str) -> None:
    lease = found(
        {"developerMetadata": [{"metadataId": LEASE_ID, "metadataKey": LEASE_KEY, "metadataValue": value}]}
    )
    assert lease == Lease(value)
    keeper = Keeper("sheet", at(NOW))
    keeper.seen(lease)
    keeper.check()
    requests, _ = keeper.swap(hold=False)
    assert (
        requests[0]["deleteDeveloperMetadata"]["dataFilter"]["developerMetadataLookup"]["metadataValue"]
        == value
    )


def test_a_lease_without_a_time_zone_never_holds_anyone() -> None:
    value = json.dumps({"sync": "other", "since": "2026-11-25T12:00:00", "until": "2999-01-01T00:00:00"})
    lease = found(
        {"developerMetadata": [{"metadataId": LEASE_ID, "metadataKey": LEASE_KEY, "metadataValue": value}]}
    )
    assert lease.until is None


def test_only_a_refusal_of_the_swap_means_another_sync_wrote() -> None:
    create = "Invalid requests[1].createDeveloperMetadata: Cannot add developer metadata with ID [1] because"
    assert refused(create, 2)
    assert refused("Invalid requests[0].deleteDeveloperMetadata: No developer metadata matches", 2)
    assert not refused(create, 1)  # a metadata request of the write itself, after the swap
    assert not refused("Invalid requests[0].updateCells: No grid with id: 4", 2)


# -- helpers -------------------------------------------------------------------------------------


class Clock:
    """A monotonic clock that only the test's sleep moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Overtaken(GoogleSheets):
    """A leader's sync that another sync (a timer's) overtakes: right after its first read, the
    other syncs the same sheet to the end."""

    timer: Callable[[], object]
    reads = 0

    def read(self) -> Snapshot:
        snapshot = super().read()
        self.reads += 1
        if self.reads == 1:
            self.timer()
            self.after_the_other()
        return snapshot

    def after_the_other(self) -> None:
        """A hook for tests: the other sync has written."""


def overtaken(config: Config, policy: RetryPolicy) -> Overtaken:
    sheets = Overtaken.from_config(config, retry=policy)
    assert isinstance(sheets, Overtaken)
    sheets.timer = lambda: compose.run_sync(
        config, apply=True, at=NOW, backend=GoogleSheets.from_config(config, retry=policy)
    )
    return sheets
