"""braingain's memory (the hidden state tab) can be lost or damaged without harm, and cannot be forged
(issue 8, section 2).

What the tabs say (the Ledger's awards, the typed task statuses) is derived again when the memory is
missing, emptied, damaged or not trusted: nothing accepted goes back, no award is flagged, no point is
lost, and a notice says so. What cannot be derived is sealed with the group's key: a memory edited by
hand is found out, not trusted, and rebuilt from the tabs. The sync after writes nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from braingain.core.authorship.integrity import SEAL_KEY
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.tracker.read import ReadResult
from braingain.core.tracker.schema import AddTab, Grid, Snapshot
from tests.tracker.helpers import SCHEMA, Sample, append, decisions, edit, person_typed, row_number

KEY = b"a-state-key-made-by-braingain-init-0123456789"
STATE = SCHEMA.tab("state").title
PLAIN = Sample()
SEALED = Sample(state_key=KEY)
START = {None: PLAIN.start(), KEY: SEALED.start()}


def sample(key: bytes | None) -> Sample:
    return SEALED if key else PLAIN


def synced(key: bytes | None, snap: Snapshot) -> tuple[ReadResult, Snapshot]:
    """One sync of ``snap``; the sync right after it writes nothing."""
    read, after, _ = sample(key).sync(snap)
    again, _, plan = sample(key).sync(after)
    assert plan.write.empty, plan.summary
    assert again.problems == read.problems
    return read, after


def statuses(read: ReadResult) -> dict[str, TaskStatus]:
    return {t: task.status for t, task in read.group.tasks.items()}


def totals(read: ReadResult) -> dict[str, Decimal]:
    return {
        m: sum((e.points for e in read.group.ledger if e.member_id == m), Decimal(0))
        for m in read.group.members
    }


def awarded(snap: Snapshot) -> dict[tuple[str, int, str], object]:
    """What accepted work decides (points, points awarded, authorship), and when meetings start."""
    return {
        k: v
        for k, v in decisions(snap).items()
        if k[0] in ("Members", "Outputs", "Meetings") or k[2] == "Points awarded"
    }


def state_rows(snap: Snapshot) -> dict[str, str]:
    return {str(k): str(v) for k, v in snap.grids[STATE].values[1:]}


def with_state(snap: Snapshot, rows: dict[str, str] | None) -> Snapshot:
    """``snap`` with its state tab holding ``rows`` (``None``: the tab deleted)."""
    grids = {t: g for t, g in snap.grids.items() if t != STATE}
    if rows is not None:
        grids[STATE] = Grid(STATE, (("Key", "Value"), *sorted(rows.items())), hidden=True)
    return Snapshot(grids)


def forged(snap: Snapshot, task: str, **changes: object) -> Snapshot:
    """``snap`` whose state says something else of ``task``, in valid JSON, as a person could type it."""
    rows = state_rows(snap)
    memory = json.loads(rows[f"task:{task}"])
    rows[f"task:{task}"] = json.dumps(memory | changes, sort_keys=True)
    return with_state(snap, rows)


def notice(read: ReadResult) -> str:
    (found,) = [p.reason for p in read.problems if p.tab == STATE and p.column == ""]
    return found


def no_problem_but_the_notice(read: ReadResult) -> None:
    assert [p for p in read.problems if p.tab != STATE] == []


@pytest.mark.parametrize("key", [None, KEY], ids=["no key", "key"])
def test_a_deleted_state_tab_sends_no_accepted_task_back_flags_no_award_and_keeps_every_point(
    key: bytes | None,
) -> None:
    start = START[key]
    before = sample(key).read(start)
    deleted = with_state(start, None)
    read, after, plan = sample(key).sync(deleted)
    assert [c.tab.key for c in plan.write.structure if isinstance(c, AddTab)] == ["state"]
    assert statuses(read) == statuses(before)
    assert totals(read) == totals(before)
    no_problem_but_the_notice(read)
    assert "was missing, so it was not trusted. It was rebuilt from the tabs" in notice(read)
    assert awarded(after) == awarded(start)
    assert len(after.grids["Meetings"].values) == len(start.grids["Meetings"].values), "none scheduled twice"
    scheduled = "meetings:scheduled"
    assert state_rows(after)[scheduled] == state_rows(start)[scheduled], (
        "the announced meetings: the Meetings tab's"
    )
    assert person_typed(after) == person_typed(deleted)
    again, _, plan = sample(key).sync(after)
    assert plan.write.empty
    assert again.problems == read.problems, "the notice stays for a week, so the next sync writes nothing"


@pytest.mark.parametrize("key", [None, KEY], ids=["no key", "key"])
def test_an_emptied_state_tab_is_rebuilt_from_the_tabs(key: bytes | None) -> None:
    before = sample(key).read(START[key])
    read, after = synced(key, with_state(START[key], {}))
    assert statuses(read) == statuses(before)
    assert totals(read) == totals(before)
    no_problem_but_the_notice(read)
    assert "was empty" in notice(read)
    assert awarded(after) == awarded(START[key])


def test_the_rebuilt_memory_of_an_accepted_task_keeps_its_team_shares_and_when_it_was_accepted() -> None:
    before = PLAIN.read(START[None]).group.task("SR-T02")
    read, _ = synced(None, with_state(START[None], None))
    task = read.group.task("SR-T02")
    assert (task.status, set(task.contributors), task.points) == (
        before.status,
        set(before.contributors),
        before.points,
    )
    assert task.split_points() == before.split_points()
    assert task.accepted_at is not None
    assert task.accepted_at.replace(second=0, microsecond=0) == before.accepted_at.replace(  # type: ignore[union-attr]
        second=0, microsecond=0
    )


@pytest.mark.parametrize("task", ["SR-T08", "SR-T02", "CS-T01"])
def test_damaged_memory_of_one_task_is_rebuilt_from_the_tabs_and_its_status_still_moves(task: str) -> None:
    start = START[None]
    rows = state_rows(start)
    rows[f"task:{task}"] = "{not json"
    damaged = with_state(start, rows)
    before = PLAIN.read(start)
    read, after = synced(None, damaged)
    assert statuses(read) == statuses(before)
    assert totals(read) == totals(before)
    assert [p.column for p in read.problems] == [f"task:{task}"]
    assert "was damaged; it was rebuilt from the tabs" in read.problems[0].reason
    if task == "SR-T08":  # in progress: its head submits it, as before
        head = str(before.group.task(task).head)
        moved = edit(
            edit(after, "Tasks", task, "Status", "submitted"), "Tasks", task, "Status changed by", head
        )
        read, _, _ = PLAIN.sync(moved)
        assert read.group.task(task).status is TaskStatus.SUBMITTED
        assert tuple(map(str, read.changes)) == (f"{task}: in progress -> submitted by {head}",)


def test_a_sealed_memory_reads_cleanly_and_the_next_sync_writes_nothing() -> None:
    read, _ = synced(KEY, START[KEY])
    assert read.problems == ()
    assert read.keyed
    assert SEAL_KEY in state_rows(START[KEY])


def test_a_task_set_to_submitted_by_hand_in_the_sealed_memory_is_not_trusted_and_nothing_is_awarded() -> None:
    start = START[KEY]
    leader = "tunde.bakare"
    typed = edit(
        edit(start, "Tasks", "SR-T08", "Status", "accepted"), "Tasks", "SR-T08", "Status changed by", leader
    )
    read, _ = synced(KEY, forged(typed, "SR-T08", status="submitted"))
    assert "did not match its checksum: it was changed outside braingain" in notice(read)
    assert read.new_entries == (), "no award for work its head never submitted"
    assert "SR-T08" not in read.group.tasks
    (said,) = [p for p in read.problems if p.tab == "Tasks"]
    assert (said.row, said.column) == (row_number(start, "Tasks", "SR-T08"), "Status")
    assert "'accepted' cannot be confirmed: no award for it is on the Ledger" in said.reason
    assert totals(read) == totals(SEALED.read(start))


def test_a_task_its_head_submits_after_its_memory_was_lost_can_be_accepted_again() -> None:
    start = START[KEY]
    leader, head = "tunde.bakare", str(SEALED.read(start).group.task("SR-T08").head)
    typed = edit(
        edit(start, "Tasks", "SR-T08", "Status", "accepted"), "Tasks", "SR-T08", "Status changed by", leader
    )
    _, waiting = synced(KEY, forged(typed, "SR-T08", status="submitted"))
    submitted = edit(
        edit(waiting, "Tasks", "SR-T08", "Status", "submitted"), "Tasks", "SR-T08", "Status changed by", head
    )
    read, after = synced(KEY, submitted)
    assert read.group.task("SR-T08").status is TaskStatus.SUBMITTED
    accepted = edit(
        edit(after, "Tasks", "SR-T08", "Status", "accepted"), "Tasks", "SR-T08", "Status changed by", leader
    )
    read, _ = synced(KEY, accepted)
    assert tuple(map(str, read.changes)) == (f"SR-T08: submitted -> accepted by {leader}",)
    assert {e.task_id for e in read.new_entries} == {"SR-T08"}


def test_a_memory_forged_without_the_tasks_status_changing_rebuilds_the_typed_status() -> None:
    read, _ = synced(KEY, forged(START[KEY], "SR-T08", status="submitted"))
    assert read.group.task("SR-T08").status is TaskStatus.IN_PROGRESS
    assert totals(read) == totals(SEALED.read(START[KEY]))


def test_an_award_written_into_the_sealed_memory_by_hand_is_not_trusted() -> None:
    rows = state_rows(START[KEY])
    rows["entries:00001"] += (
        "\naward:SR-T09:ada.obiora\taward\tada.obiora\tsr-migration\tSR-T09\t\t5.00\tx\tefe.ighodalo\t"
        "2026-11-25T10:00:00+00:00"
    )
    read, _ = synced(KEY, with_state(START[KEY], rows))
    assert "did not match its checksum" in notice(read) or "did not match its chain head" in notice(read)
    assert totals(read) == totals(SEALED.read(START[KEY]))


def test_a_memory_without_a_checksum_is_rebuilt_once_the_group_has_a_key() -> None:
    before = PLAIN.read(START[None])
    read, after = synced(KEY, START[None])
    assert "had no checksum" in notice(read)
    assert statuses(read) == statuses(before)
    assert totals(read) == totals(before)
    assert SEAL_KEY in state_rows(after)


def test_a_memory_sealed_with_another_key_is_not_trusted() -> None:
    other = Sample(state_key=b"another-key-of-another-group-0123456789")
    read, _, _ = other.sync(START[KEY])
    assert "did not match its checksum" in notice(read)


def test_without_a_key_the_memory_is_trusted_as_it_reads_and_the_read_says_it_had_no_key() -> None:
    read, _ = synced(None, forged(START[None], "SR-T08", status="submitted"))
    assert not read.keyed
    assert read.group.task("SR-T08").status is TaskStatus.SUBMITTED


def test_the_meetings_a_lost_memory_had_announced_are_those_on_the_meetings_tab() -> None:
    # deadlines that moved since the meetings were announced would space them otherwise
    snap = START[None]
    for project in ("sr-migration", "cohort-careers"):
        snap = edit(snap, "Projects", project, "Milestones", "")
    for task in [str(r[0]) for r in START[None].grids["Tasks"].values[1:]]:
        snap = edit(snap, "Tasks", task, "Due", "2030-01-01")
    kept, _ = synced(None, snap)
    read, _ = synced(None, with_state(snap, None))
    no_problem_but_the_notice(read)
    assert read.group.series is not None
    assert kept.group.series is not None
    assert read.group.series.scheduled == kept.group.series.scheduled


@pytest.mark.parametrize("key", [None, KEY], ids=["no key", "key"])
def test_an_offer_an_accepted_task_took_stays_counted_when_its_memory_is_rebuilt_from_its_awards(
    key: bytes | None,
) -> None:
    """A memory rebuilt from the awards starts at the acceptance: when the task opened is not known,
    so an offer for it is never called one it did not take (nor its row one to delete)."""
    taken = append(
        START[key],
        "Volunteers",
        {"ID": "V-100", "Task": "SR-T01", "Member": "ada.obiora", "Volunteered at": "2026-02-04 10:00"},
    )
    read, after = synced(key, taken)
    assert [p for p in read.problems if p.tab == "Volunteers"] == []
    rebuilt, _ = synced(key, with_state(after, None))
    assert [p for p in rebuilt.problems if p.tab == "Volunteers"] == []
    no_problem_but_the_notice(rebuilt)
