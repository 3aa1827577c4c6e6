"""Shortcuts taken for speed give exactly the answers, and the refusals, of the plain code.

Reading a large tracker takes shortcuts: a fast path for clean ASCII cells, remembered results
of pure functions (a spelling's key, an enum's table, a task's split, a typed date-time, a
ratio's text), a memory written back as it was read. Each is checked here against the plain
computation it stands for: same value, or the same error (type, message, field and hint). A
whole read gives the same problems and the same plan with the remembered results cleared, kept
from an earlier read of the same tracker, or kept from a read of a different one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import braingain.core
from braingain.core import memo
from braingain.core.authorship import volunteering
from braingain.core.authorship.ledger import award_entries, award_points
from braingain.core.authorship.points import split
from braingain.core.authorship.tasks import TaskStatus
from braingain.core.authorship.volunteering import Ratio
from braingain.core.errors import DomainError, InvalidValue
from braingain.core.ids import MemberId, TaskId
from braingain.core.members import Gender, Role
from braingain.core.parsing import clean_text, normalize_key, parse_enum
from braingain.core.projects import ProjectKind
from braingain.core.schedule.meetings import ActionStatus
from braingain.core.tracker import cells
from braingain.core.tracker import schema as tracker
from braingain.core.tracker.presence import _unreadable_share
from braingain.core.tracker.read import State, TaskMemory
from braingain.core.tracker.schema import (
    FORMULA_ERRORS,
    PLACEHOLDERS,
    Cell,
    Row,
    Table,
    cells_equal,
    plan_cells,
)
from tests.builders import accepted, leader, member, task
from tests.tracker.helpers import SCHEMA, Sample, edit, snapshot

# --- the plain code the shortcuts stand for ---------------------------------------------------------


def plain_formula_error(value: Cell) -> str | None:
    if not isinstance(value, str) or len(value) > 24:
        return None
    found = value.strip().upper()
    return found if found in FORMULA_ERRORS else None


def plain_is_placeholder(value: Cell) -> bool:
    return isinstance(value, str) and len(value) < 24 and clean_text(value).casefold() in PLACEHOLDERS


def plain_text(value: Cell) -> str:
    cells._check_formula(value)
    return clean_text(tracker.as_text(value))


def plain_parse_enum(enum_type: type[Enum], text: str) -> Enum:
    key = normalize_key.__wrapped__(text)
    for item in enum_type:
        if key in (normalize_key.__wrapped__(str(item.value)), normalize_key.__wrapped__(item.name)):
            return item
    raise LookupError(text)


def outcome(work: Callable[[], Any]) -> tuple[str, Any]:
    """What ``work`` gives: ("value", it) or ("error", everything a Problem is made of)."""
    try:
        return "value", work()
    except DomainError as error:
        return "error", (type(error), str(error), error.field, error.hint, error.explained)


def clear_caches() -> None:
    memo.forget()


# Cell text built from what the shortcuts look at: formula errors and "Loading..." in any case and
# spacing, other letters, every kind of space, invisible and control characters, non-ASCII.
PIECES = [
    *FORMULA_ERRORS, *(e.lower() for e in FORMULA_ERRORS), "#", "loading", "Loading", "LOADING", "...",
    "\u2026", "lo", "ading", "a", "b", "SR-T01", "ada.obiora", " ", "  ", "\u00a0", "\u2009", "\u200b",
    "\ufeff", "\u00ad", "\t", "\n", "\x00", "\x7f", "é", "e\u0301", "ﬁ", "İ", "K", "ß",
]  # fmt: skip
typed = st.lists(st.sampled_from(PIECES), max_size=6).map("".join) | st.text(max_size=30)
SEEN = [
    "#N/A", " #ref! ", "#DIV/0!", "# N/A", "Loading...", "  LOADING  ", "loading\u2026", "lo\u200bading",
    "Lo\u00a0ading", "plain", "  two  spaces ", "x\ty", "a\x00b", "", "   ", "x" * 30, "#N/A" + " " * 22,
]  # fmt: skip


@pytest.mark.parametrize("value", [*SEEN, None, 3, 2.5, 2.0, True, date(2026, 3, 14), tracker.Uncalculated()])
def test_a_cell_reads_as_the_same_text_or_the_same_refusal_as_the_plain_reading(value: Cell) -> None:
    assert outcome(lambda: cells.text(value)) == outcome(lambda: plain_text(value))
    assert tracker.formula_error(value) == plain_formula_error(value)
    assert tracker.is_placeholder(value) == plain_is_placeholder(value)


@given(typed)
def test_any_typed_text_reads_as_the_plain_reading_gives_it(value: str) -> None:
    assert outcome(lambda: cells.text(value)) == outcome(lambda: plain_text(value))
    assert tracker.formula_error(value) == plain_formula_error(value)
    assert tracker.is_placeholder(value) == plain_is_placeholder(value)
    assert tracker.as_text(value) == value.strip()


@pytest.mark.parametrize("value", [*SEEN, None, 3, 2.5, 2.0, True, date(2026, 3, 14), tracker.Uncalculated()])
def test_a_cells_row_id_is_its_cleaned_text_as_typed_before_and_after_it_is_remembered(value: Cell) -> None:
    plain = clean_text(tracker.as_text(value))
    assert tracker.row_id(value) == plain
    assert tracker.row_id(value) == plain  # once remembered, still the same


@given(typed)
def test_any_typed_id_is_matched_by_its_cleaned_text_case_kept(value: str) -> None:
    assert tracker.row_id(value) == clean_text(value.strip())
    assert tracker.row_id(value) == clean_text(value.strip())


@given(st.text(max_size=40))
def test_a_remembered_spelling_key_is_the_key(text: str) -> None:
    assert normalize_key(text) == normalize_key.__wrapped__(text)
    assert normalize_key(text) == normalize_key.__wrapped__(text)  # once remembered, still the same


class Twin(Enum):
    """Two members whose values fold to one key: the first wins, as in a scan in order."""

    FIRST = "a-b"
    SECOND = "a b"


ENUMS: list[type[Enum]] = [TaskStatus, Role, Gender, ProjectKind, ActionStatus, Twin]
spellings = st.sampled_from(
    [s for e in ENUMS for m in e for s in (str(m.value), m.name, str(m.value).upper(), f" {m.name.lower()} ")]
)


@given(st.sampled_from(ENUMS), spellings | st.text(max_size=12))
def test_a_choice_is_read_as_a_scan_of_the_enum_reads_it(enum_type: type[Enum], text: str) -> None:
    found = outcome(lambda: parse_enum(enum_type, text, "status"))
    try:
        assert found == ("value", plain_parse_enum(enum_type, text))
    except LookupError:
        assert found[0] == "error"
        assert "is not one of the allowed values" in found[1][1]


def test_a_choice_both_members_of_an_enum_spell_alike_is_the_first() -> None:
    assert parse_enum(Twin, "a b", "x") is Twin.FIRST


def test_a_refused_choice_is_refused_alike_every_time() -> None:
    first = outcome(lambda: parse_enum(TaskStatus, "Acepted", "status"))
    assert first[0] == "error"
    assert outcome(lambda: parse_enum(TaskStatus, "Acepted", "status")) == first


# --- remembered results: a task's split, a typed moment, a ratio ------------------------------------


def test_a_tasks_remembered_split_is_the_split_and_cannot_be_changed_through_what_it_returns() -> None:
    team = ["bola.b", "ada.a", "chidi.c"]
    done = accepted(task("T1", points=10), [member(m) for m in team])
    first = done.split_points()
    assert first == split(Decimal(10), team)
    first[MemberId("ada.a")] = Decimal(99)
    assert done.split_points() == split(Decimal(10), team)
    assert list(done.split_points()) == team  # in the order of the contributors


def test_a_refused_split_is_refused_alike_every_time() -> None:
    nobody = task("T2", points=10)
    first = outcome(nobody.split_points)
    assert first[0] == "error"
    assert outcome(nobody.split_points) == first


def test_an_award_row_is_checked_against_the_points_its_entries_would_give() -> None:
    boss = leader("lead.one")
    done = accepted(task("T3", points=10), [member("xena.x"), member("yusuf.y"), member("zara.z")])
    assert award_points(done, by=boss) == {e.member_id: e.points for e in award_entries(done, by=boss)}
    refusals = [(task("T4", points=3), boss), (done, member("not.leader"))]
    for unfit, by in refusals:
        refused = outcome(partial(award_points, unfit, by=by))
        assert refused[0] == "error"
        assert refused == outcome(partial(award_entries, unfit, by=by))


@pytest.mark.parametrize(
    "typed_moment",
    ["2026-11-28 10:00 Africa/Lagos", "2026-11-28 10:00", "2026-03-29 01:30 Europe/London",
     "2026-11-28 25:00", "2026-11-28 10:00 Mars/Base", "2026-10-25 01:30 Europe/London",
     "2026-11-28T10:00+01:00"],
)  # fmt: skip
def test_a_typed_moment_reads_the_same_and_is_refused_the_same_every_time(typed_moment: str) -> None:
    zone = ZoneInfo("America/Vancouver")
    clear_caches()
    first = outcome(lambda: cells.datetime_value(typed_moment, zone))
    again = outcome(lambda: cells.datetime_value(typed_moment, zone))
    assert again == first
    if first[0] == "value":
        assert again[1].tzinfo == first[1].tzinfo  # the same instant in the same zone, not just equal
    other = outcome(lambda: cells.datetime_value(typed_moment, ZoneInfo("Asia/Tokyo")))
    if "Africa" not in typed_moment and "+" not in typed_moment and first[0] == "value":
        assert other != first  # a time without a zone is the member's own: never another zone's answer


_WRITTEN_ZONES = [
    "Africa/Lagos",
    "Europe/London",
    "America/New_York",
    "UTC",
    "Z",
    "EST",
    "Etc/GMT+1",
    "Mars/Base",
    "(Africa/Lagos)",
    "Africa/Lagos)",
    "America/Argentina/Buenos_Aires",
    "+01:00",
]


@given(
    st.dates(date(1890, 1, 1), date(2200, 12, 31)),
    st.integers(0, 25),
    st.integers(0, 61),
    st.sampled_from(_WRITTEN_ZONES),
    st.sampled_from(["{d} {h:02d}:{m:02d} {z}", "{d} {h}:{m:02d} {z}", "{d}T{h:02d}:{m:02d} {z}",
                     "{d} {h:02d}:{m:02d}  {z}", "{d} {h:02d}:{m:02d}:00 {z}", " {d} {h:02d}:{m:02d} {z}"]),
)  # fmt: skip
def test_a_date_time_in_the_written_form_reads_as_the_full_pattern_reads_it(
    day: date, hour: int, minute: int, zone: str, form: str
) -> None:
    typed = form.format(d=day.isoformat(), h=hour, m=minute, z=zone)
    member = ZoneInfo("Asia/Tokyo")
    clear_caches()

    def plain() -> datetime:
        found = cells._parse_moment(typed, member)  # the full pattern, never the written form's parts
        cells._plausible(found.date())
        return found

    expected = outcome(plain)
    for _ in range(2):  # read afresh, then remembered
        found = outcome(lambda: cells.datetime_value(typed, member))
        assert found == expected
        if found[0] == "value":
            assert found[1].tzinfo == expected[1].tzinfo
            assert found[1].fold == expected[1].fold


@pytest.mark.parametrize("typed", ["2026-03-29 01:30 Europe/London", "2026-10-25 01:30 Europe/London"])
def test_a_written_date_time_the_clocks_skip_or_pass_twice_is_refused_with_the_choices(typed: str) -> None:
    with pytest.raises(DomainError, match="clocks"):
        cells.datetime_value(typed, ZoneInfo("UTC"))


def test_a_remembered_cell_reader_reads_text_numbers_and_empty_cells_once_and_refuses_each_time() -> None:
    calls: list[Cell] = []

    def read(value: Cell) -> str:
        calls.append(value)
        if value == "bad":
            raise InvalidValue("is bad")
        return f"{type(value).__name__}:{value}"

    reader = cells.remembered_reader(read)
    assert [reader(v) for v in ("a", "a", 1, 1, None, None)] == [
        "str:a",
        "str:a",
        "int:1",
        "int:1",
        "NoneType:None",
        "NoneType:None",
    ]
    assert calls == ["a", 1, None]
    # True and 1.0 equal the 1 already read, but may read differently: each is read as it is.
    odd: tuple[Cell, ...] = (True, 1.0)
    assert [reader(v) for v in odd * 2] == ["bool:True", "float:1.0"] * 2
    assert calls[3:] == [True, 1.0] * 2
    for _ in range(2):
        with pytest.raises(InvalidValue, match="is bad"):
            reader("bad")
    assert calls.count("bad") == 2
    memo.forget()
    reader("a")
    assert calls.count("a") == 2  # forgotten with every other remembered result


def test_a_resumed_task_is_the_task_with_its_remembered_lifecycle_replaced() -> None:
    draft = task("SR-T01", points=10, max_volunteers=3, due=date(2026, 12, 1))
    done = accepted(draft, [member("m1"), member("m2")])
    lifecycle: dict[str, Any] = {
        "status": done.status,
        "history": done.history,
        "contributors": done.contributors,
        "head": MemberId("m1"),
        "shares": ((MemberId("m1"), Decimal(2)), (MemberId("m2"), Decimal(1))),
    }
    resumed = draft.resumed(**lifecycle)
    assert resumed == replace(draft, **lifecycle)
    for name in draft.__dataclass_fields__:  # every field in its place, not just equal overall
        assert getattr(resumed, name) == getattr(replace(draft, **lifecycle), name), name


@given(st.lists(st.fractions(min_value=-1, max_value=1, max_denominator=10**12) | st.none(), max_size=30))
def test_a_ranks_float_never_orders_rates_otherwise_than_their_exact_fractions(
    rates: list[Fraction | None],
) -> None:
    exact = sorted(rates, key=lambda r: (1, Fraction(0)) if r is None else (0, -r))
    assert [r for r in sorted(rates, key=lambda r: volunteering._best_first(r)) if r is not None] == [
        r for r in exact if r is not None
    ]
    near = Fraction(1, 3), Fraction(1, 3) + Fraction(1, 10**20)  # one float, two fractions
    assert volunteering._best_first(near[0])[0] == volunteering._best_first(near[1])[0]
    assert volunteering._best_first(near[1]) < volunteering._best_first(near[0])


@given(st.integers(0, 60), st.integers(0, 60))
def test_a_ratio_reads_as_its_plain_fraction_and_text(hits: int, out_of: int) -> None:
    from fractions import Fraction

    from braingain.core.authorship.volunteering import _percent

    ratio = Ratio(hits, out_of)
    assert ratio.rate == (Fraction(hits, out_of) if out_of else None)
    assert str(ratio) == (
        f"{hits} of {out_of} ({_percent(Fraction(hits, out_of))})" if out_of else "none yet"
    )


# --- tables: the unreadable share, planned cells, the state written back ---------------------------


values = st.sampled_from([None, "", "  ", "#N/A", " #ref! ", "Loading...", "x", 1, 1.0, True, 0, False, "1"])


@given(st.lists(st.lists(values, min_size=3, max_size=3), max_size=12))
def test_the_unreadable_share_of_a_tab_counts_every_cell_as_a_cell_by_cell_count_does(
    grid: list[list[Cell]],
) -> None:
    tab = SCHEMA.tab("members")
    keys = [c.key for c in tab.columns[:3]]
    table = Table(
        tab,
        {k: i for i, k in enumerate(keys, 1)},
        tuple(Row(n, dict(zip(keys, r, strict=True))) for n, r in enumerate(grid, 2)),
        1,
    )
    filled = [v for r in grid for v in r if not tracker.is_blank(v)]
    bad = [v for v in filled if plain_formula_error(v) is not None or plain_is_placeholder(v)]
    assert _unreadable_share(table) == (len(bad) / len(filled) if filled else 0.0)


def plain_cells_equal(old: Cell, new: Cell) -> bool:
    if tracker.is_blank(old) and tracker.is_blank(new):
        return True
    if isinstance(new, bool) or isinstance(old, bool):
        return tracker.as_text(old).casefold() in (tracker.as_text(new).casefold(), str(new).casefold())
    if isinstance(new, int | float) and isinstance(old, int | float):
        return float(old) == float(new)
    naive = isinstance(new, date) and not (isinstance(new, datetime) and new.tzinfo is not None)
    if naive and isinstance(old, int | float):  # a date read back as its serial number
        return float(old) == float(cells.to_serial(new))  # type: ignore[arg-type]
    return tracker.as_text(old) == tracker.as_text(new)


CELLS: list[Cell] = [
    None, "", " ", "\u00a0", "x", " x ", "yes", "no", "True", "3", 0, 1, 3, 0.0, 1.5, 3.0, float("nan"),
    46023, 46023.5, True, False, date(2026, 1, 1), datetime(2026, 1, 1, 12), datetime(2026, 1, 1, tzinfo=UTC),
    tracker.Uncalculated(),
    tracker.Uncalculated("SUM(A1)"),
]  # fmt: skip


@pytest.mark.parametrize("old", CELLS)
def test_whether_a_cell_changes_is_decided_as_the_plain_comparison_decides_it(old: Cell) -> None:
    assert [cells_equal(old, new) for new in CELLS] == [plain_cells_equal(old, new) for new in CELLS]


def test_a_cell_holding_the_same_instant_in_another_zone_is_written_again() -> None:
    lagos = datetime(2026, 3, 14, 10, tzinfo=ZoneInfo("Africa/Lagos"))
    assert not cells_equal(lagos.astimezone(UTC), lagos)  # it shows another time
    assert cells_equal("chosen: ada", "chosen: ada")
    assert cells_equal(3, 3.0)
    assert cells_equal(True, "yes")


def test_a_column_the_schema_does_not_know_is_still_refused_when_cells_are_planned() -> None:
    sample = Sample()
    table = sample.read(snapshot(sample.rows())).tables["tasks"]
    assert table is not None
    with pytest.raises(KeyError, match="no column"):
        plan_cells(table, {"SR-T01": {"not_a_column": 1}})


def test_an_unchanged_memory_is_written_back_as_it_was_read_and_a_changed_one_afresh() -> None:
    memory = TaskMemory(TaskStatus.OPEN, (), None, ())
    typed_text = " " + memory.to_json()  # read back the same, though not as braingain writes it
    state = State.from_rows({"task:T1": typed_text, "task:T2": typed_text}, [], "state")
    changed = TaskMemory(TaskStatus.CANCELLED, (), None, ())
    later = State(tasks={**state.tasks, TaskId("T2"): changed}, read=state.read)
    assert later.rows() == {"task:T1": typed_text, "task:T2": changed.to_json()}
    assert TaskMemory.from_json(later.rows()["task:T1"]) == memory


# --- a whole read --------------------------------------------------------------------------------


def test_a_read_gives_the_same_problems_and_plan_with_remembered_results_cleared_kept_or_from_another() -> (
    None
):
    sample = Sample()
    start = sample.start()
    bad = start
    for ident in ("SR-T01", "SR-T02", "CS-T01"):
        bad = edit(bad, "Tasks", ident, "Status", "Acepted")
        bad = edit(bad, "Tasks", ident, "Due", "2026-13-01")
        bad = edit(bad, "Tasks", ident, "Points", "#N/A")
        bad = edit(bad, "Tasks", ident, "CRediT role", "Loading...")
    for ident in ("ada.obiora", "tunde.bakare"):
        bad = edit(bad, "Members", ident, "Time zone", "Etc/GMT+1")
        bad = edit(bad, "Members", ident, "Gender", "#REF!")
    bad = edit(bad, "Volunteers", "V-001", "Volunteered at", "2026-11-28 25:00")
    bad = edit(bad, "Volunteers", "V-002", "Volunteered at", "2026-11-28 25:00")

    def run(snap: Any) -> tuple[Any, ...]:
        read, _, plan = sample.sync(snap)
        return read.problems, read.waiting, read.changes, plan.write, plan.summary

    clear_caches()
    cold = run(bad)
    assert any(p.reason for p in cold[0])  # the edits are reported
    assert run(bad) == cold  # remembered from the same tracker
    run(start)
    assert run(bad) == cold  # remembered from another tracker
    clear_caches()
    assert run(bad) == cold


def test_the_core_remembers_results_only_through_memo_so_that_all_can_be_forgotten() -> None:
    assert {c.__name__ for c in memo.caches()} >= {"normalize_key", "_split_points", "_parse_moment"}
    core = Path(braingain.core.__file__).resolve().parent
    for path in core.glob("*.py"):
        if path.name != "memo.py":
            source = path.read_text(encoding="utf-8")
            assert "lru_cache" not in source, path.name
            assert "functools.cache" not in source, path.name


def test_forgetting_clears_every_remembered_result() -> None:
    normalize_key("Some Spelling")
    assert normalize_key.cache_info().currsize > 0
    memo.forget()
    assert all(c.cache_info().currsize == 0 for c in memo.caches())
