"""A meeting's ID is its date (``2026-12-05``), as a leader reads it; a tracker made before, whose
meetings are ``monthly:2026-12-05`` on the Meetings tab and in the Agenda and Action items people
typed, keeps working: its rows are its meetings' rows, its references still resolve, and nothing
typed is rewritten."""

from __future__ import annotations

import re
from datetime import datetime

from braingain.core.tracker.schema import Grid, Snapshot
from tests.tracker.helpers import Sample, append, decisions, person_typed, row_number

SAMPLE = Sample()
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def made_before(snap: Snapshot) -> Snapshot:
    """``snap`` as a tracker made before would hold it: every meeting ID and reference typed with
    the series' ID before the date."""
    grids = dict(snap.grids)
    for title, column in (("Meetings", "ID"), ("Agenda", "Meeting"), ("Action items", "Meeting")):
        grid = grids[title]
        index = list(grid.values[0]).index(column)
        rows = [list(r) for r in grid.values]
        for row in rows[1:]:
            named = row[index]
            if isinstance(named, str) and DATE.fullmatch(named):
                row[index] = f"monthly:{named}"
        grids[title] = Grid(title, tuple(tuple(r) for r in rows), grid.merges)
    return Snapshot(grids)


def test_braingain_names_each_meeting_by_its_date_on_every_tab_a_leader_reads() -> None:
    start = SAMPLE.start()
    for title, column in (("Meetings", "ID"), ("Agenda", "Meeting"), ("Action items", "Meeting")):
        grid = start.grids[title]
        index = list(grid.values[0]).index(column)
        named = [row[index] for row in grid.values[1:]]
        assert named, title
        assert all(DATE.fullmatch(str(v)) for v in named), (title, named)


def test_a_tracker_made_before_reads_and_decides_as_the_same_tracker_with_dates() -> None:
    new = SAMPLE.start()
    old = made_before(new)
    read_new, after_new, _ = SAMPLE.sync(new)
    read_old, after_old, plan = SAMPLE.sync(old)
    assert read_old.problems == read_new.problems == ()
    assert set(read_old.group.records) == set(read_new.group.records)
    assert read_old.group.records == read_new.group.records  # minutes, attendance, agenda, actions
    assert decisions(after_old) == decisions(after_new)
    assert person_typed(after_old) == person_typed(old), "no ID or reference a person typed is rewritten"
    assert len(after_old.grids["Meetings"].values) == len(old.grids["Meetings"].values), "no meeting twice"
    assert plan.write.empty, plan.summary


def test_an_old_tracker_gets_the_meetings_ahead_dated_and_keeps_its_own_rows() -> None:
    old = made_before(SAMPLE.start())
    grid = old.grids["Meetings"]
    kept = (grid.values[0], *[r for r in grid.values[1:] if str(r[0]) < "monthly:2026-12-19"])
    trimmed = Snapshot({**old.grids, "Meetings": Grid("Meetings", kept, grid.merges)})
    _, after, _ = SAMPLE.sync(trimmed)
    ids = [str(r[0]) for r in after.grids["Meetings"].values[1:]]
    assert ids[: len(kept) - 1] == [str(r[0]) for r in kept[1:]]
    added = ids[len(kept) - 1 :]
    assert added
    assert all(DATE.fullmatch(i) for i in added)
    assert not {f"monthly:{i}" for i in added} & set(ids), "a meeting already on the tab is not added again"
    _, _, plan = SAMPLE.sync(after)
    assert plan.write.empty, plan.summary


def test_a_reference_of_either_form_or_typed_as_a_date_names_its_meeting() -> None:
    start = SAMPLE.start()
    item = {"Item": "Budget", "Added by": "tunde.bakare", "Added at": "2026-11-25 09:00"}
    snap = append(start, "Agenda", {"ID": "AG-901", "Meeting": "monthly:2026-12-05", **item})
    snap = append(snap, "Agenda", {"ID": "AG-902", "Meeting": datetime(2026, 12, 5), **item})
    snap = append(snap, "Agenda", {"ID": "AG-903", "Meeting": "2026-12-05", **item})
    read, after, _ = SAMPLE.sync(snap)
    assert read.problems == ()
    agenda = read.group.records["2026-12-05"].agenda
    assert [i.title for i in agenda].count("Budget") == 3
    late = list(after.grids["Agenda"].values[0]).index("Late")
    for ident in ("AG-901", "AG-902", "AG-903"):
        assert after.grids["Agenda"].values[row_number(after, "Agenda", ident) - 1][late] is False


def test_a_second_row_for_the_same_meeting_in_either_form_is_reported_and_the_first_is_kept() -> None:
    start = SAMPLE.start()
    snap = append(
        start, "Meetings", {"ID": "monthly:2026-07-04", "Minutes": "Met again", "Minutes by": "ada.obiora"}
    )
    read, _, _ = SAMPLE.sync(snap)
    problem = read.problems[0]
    assert (problem.tab, problem.row, problem.column) == ("Meetings", 12, "ID")
    assert {(p.tab, p.row) for p in read.problems} == {("Meetings", 12)}, "nothing else changes"
    assert "names the same meeting (Saturday 4 July 2026) as row 2" in problem.reason
    assert read.group.records["2026-07-04"].minutes != "Met again"


def test_a_meeting_of_another_series_is_reported_where_it_is_typed() -> None:
    item = {"ID": "AG-909", "Meeting": "weekly:2026-12-05", "Item": "Budget", "Added by": "tunde.bakare",
            "Added at": "2026-11-25 09:00"}  # fmt: skip
    read, _, _ = SAMPLE.sync(append(SAMPLE.start(), "Agenda", item))
    (problem,) = read.problems
    assert (problem.tab, problem.column) == ("Agenda", "Meeting")
    assert "is not a meeting of the series 'monthly'" in problem.reason
