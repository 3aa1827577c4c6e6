"""What a journal asks for, on the tracker: a member's ORCID iD and affiliations (Members), and each
output's record (Outputs: Status, Status date, Venue, Identifier, APC waiver, Corresponding author).

These cells are the record only: a bad one is a problem on its own cell, its value is unknown, and
the member stays a member, the output keeps its authorship. A tracker made before these columns
reads exactly as before, and the sync adds them, empty.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from braingain.core.authorship.icmje import ApcWaiver, Output, OutputStatus
from braingain.core.group import Group
from braingain.core.ids import MemberId, OutputId
from braingain.core.members import Member
from braingain.core.scholarly import Orcid, affiliations
from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.read import ReadResult, read_tracker
from braingain.core.tracker.schema import AddColumns, Cell, Schema, Snapshot
from braingain.integrations.tracker.workbook import LocalWorkbook, create_workbook
from braingain.sample import (
    ABSTRACT_OUTPUT,
    GRANT_OUTPUT,
    PAPER_OUTPUT,
    PROTOCOL_OUTPUT,
    REGISTRATION_OUTPUT,
    sample_group,
)
from tests.tracker.helpers import SCHEMA, Sample, decisions, edit, row_number, snapshot

SAMPLE = Sample()
START = SAMPLE.start()
BEFORE = SAMPLE.read(START)
GROUP = sample_group(SAMPLE.today)

LATE = {
    "members": ("orcid", "affiliations"),
    "outputs": ("status", "status_on", "venue", "identifier", "apc_waiver", "corresponding"),
}
"""The columns this step added, by tab."""


def record(output: Output) -> tuple[Any, ...]:
    return (output.status, output.status_on, output.venue, output.identifier, output.apc_waiver,
            output.corresponding)  # fmt: skip


def scholarly(member: Member) -> tuple[Any, ...]:
    return member.orcid, member.affiliations


def assert_the_sample_record(group: Group) -> None:
    for member in GROUP.members.values():
        assert scholarly(group.members[member.id]) == scholarly(member), member.id
    assert set(group.outputs) == set(GROUP.outputs)
    for output in GROUP.outputs.values():
        assert record(group.outputs[output.id]) == record(output), output.id
        assert group.outputs[output.id].unknown == frozenset()


def where(tab: str, ident: str, header: str) -> tuple[str, int, str]:
    title = SCHEMA.tab(tab).title
    return title, row_number(START, title, ident), header


# --- the sample, read back ---------------------------------------------------------------------


def test_the_sample_trackers_orcids_affiliations_and_outputs_record_read_back_as_the_sample_group() -> None:
    assert BEFORE.problems == ()
    assert_the_sample_record(BEFORE.group)


def test_the_sample_group_has_a_record_like_the_case_studys() -> None:
    outputs = GROUP.outputs
    assert outputs[REGISTRATION_OUTPUT].status is OutputStatus.REGISTERED
    assert outputs[REGISTRATION_OUTPUT].venue == "PROSPERO"
    assert (outputs[REGISTRATION_OUTPUT].identifier or "").startswith("CRD42")
    assert (outputs[PROTOCOL_OUTPUT].status, outputs[PROTOCOL_OUTPUT].venue) == (
        OutputStatus.PUBLISHED,
        "BMJ Open",
    )
    assert outputs[PROTOCOL_OUTPUT].apc_waiver is ApcWaiver.GRANTED
    assert outputs[PAPER_OUTPUT].venue == "BMJ Global Health"
    assert outputs[ABSTRACT_OUTPUT].status is OutputStatus.PRESENTED
    assert "University of Benin College of Medicine" in (outputs[ABSTRACT_OUTPUT].venue or "")
    assert outputs[GRANT_OUTPUT].kind.value == "grant"
    assert all(o.corresponding in GROUP.members for o in outputs.values())
    for output in (REGISTRATION_OUTPUT, PROTOCOL_OUTPUT, ABSTRACT_OUTPUT):
        assert outputs[output].corresponding in GROUP.decide(output).author_ids


def test_the_sample_members_have_valid_orcids_and_affiliations_in_four_countries() -> None:
    members = GROUP.members.values()
    assert GROUP.members[MemberId("ada.obiora")].orcid == Orcid("0000-0002-1825-0097")
    assert all(Orcid.parse(m.orcid.value) == m.orcid for m in members if m.orcid)
    assert sum(m.orcid is not None for m in members) == 14
    assert {a.country.code for m in members for a in m.affiliations} == {"NG", "GB", "US", "CA"}
    assert all(m.affiliations for m in members)
    keys = [a.key for m in members for a in m.affiliations]
    assert len(keys) > len(set(keys)), "two members share an affiliation (one number in an author list)"


# --- good cells, typed as people type them -------------------------------------------------------


@pytest.mark.parametrize(
    ("tab", "ident", "header", "typed", "field", "expected"),
    [
        ("members", "ada.obiora", "ORCID iD", "https://orcid.org/0000-0002-1825-0097", "orcid", Orcid(
            "0000-0002-1825-0097")),
        ("members", "ada.obiora", "ORCID iD", "0000000218250097", "orcid", Orcid("0000-0002-1825-0097")),
        ("members", "ada.obiora", "ORCID iD", 218250097, "orcid", Orcid("0000-0002-1825-0097")),  # a number
        ("members", "ada.obiora", "ORCID iD", "", "orcid", None),
        ("members", "ada.obiora", "Affiliations", "UCL, London, UK\nUniversity of Benin, Benin City, NG",
         "affiliations",
         affiliations("UCL, London, United Kingdom; University of Benin, Benin City, Nigeria")),
        ("members", "ada.obiora", "Affiliations", "", "affiliations", ()),
        ("outputs", "sr-paper", "Status", "Under review", "status", OutputStatus.SUBMITTED),
        ("outputs", "sr-paper", "Status", "", "status", OutputStatus.IN_PROGRESS),
        ("outputs", "sr-paper", "Status date", "2026-10-02", "status_on", date(2026, 10, 2)),
        ("outputs", "sr-paper", "Status date", date(2026, 10, 2), "status_on", date(2026, 10, 2)),
        ("outputs", "sr-paper", "Venue", "  BMJ  Global Health ", "venue", "BMJ Global Health"),
        ("outputs", "sr-paper", "Identifier", "10.1136/bmjgh-2026-000123", "identifier",
         "10.1136/bmjgh-2026-000123"),
        ("outputs", "sr-paper", "APC waiver", "Granted", "apc_waiver", ApcWaiver.GRANTED),
        ("outputs", "sr-paper", "APC waiver", "not-needed", "apc_waiver", ApcWaiver.NOT_NEEDED),
        ("outputs", "sr-paper", "Corresponding author", "kelechi.nwankwo", "corresponding",
         "kelechi.nwankwo"),
    ],
)  # fmt: skip
def test_a_record_cell_reads_as_people_type_it(
    tab: str, ident: str, header: str, typed: Cell, field: str, expected: object
) -> None:
    read = SAMPLE.read(edit(START, SCHEMA.tab(tab).title, ident, header, typed))
    assert read.problems == ()
    found = read.group.members[MemberId(ident)] if tab == "members" else read.group.outputs[OutputId(ident)]
    assert getattr(found, field) == expected


# --- bad cells: a problem on the cell, and nothing held -----------------------------------------

BAD = [
    ("members", "ada.obiora", "ORCID iD", "0000-0002-1825-0098", "orcid", "its last character should be 7"),
    ("members", "zainab.musawa", "ORCID iD", "0000-0001-0521-6756", "orcid", "two are swapped"),
    ("members", "zainab.musawa", "ORCID iD", "0000-0001-0521-676", "orcid", "is not an ORCID iD"),
    ("members", "zainab.musawa", "ORCID iD", "#REF!", "orcid", "formula error"),
    ("members", "efe.ighodalo", "Affiliations", "University of Benin, Benin City, Nigeria; UBTH, Nigeria",
     "affiliations", "'UBTH, Nigeria' needs an institution, a city and a country"),
    ("members", "efe.ighodalo", "Affiliations", "University of Benin, Benin City, Atlantis", "affiliations",
     "'Atlantis' is not a country"),
    ("outputs", "sr-protocol", "Status", "publised", "status", "is not one of the allowed values"),
    ("outputs", "sr-protocol", "Status date", "2026-02-30", "status_on", ""),
    ("outputs", "sr-protocol", "Venue", "#REF!", "venue", "formula error"),
    ("outputs", "sr-protocol", "Identifier", "#N/A", "identifier", "formula error"),
    ("outputs", "sr-protocol", "APC waiver", "yes please", "apc_waiver", "is not one of the allowed values"),
    ("outputs", "sr-protocol", "Corresponding author", "nobody.here", "corresponding", "is not a member"),
    ("outputs", "sr-protocol", "Corresponding author", "Efe.Ighodalo", "corresponding",
     "write 'efe.ighodalo'"),
]  # fmt: skip


@pytest.mark.parametrize(("tab", "ident", "header", "typed", "field", "reason"), BAD)
def test_a_bad_record_cell_is_a_problem_on_that_cell_its_value_unknown_and_nothing_held(
    tab: str, ident: str, header: str, typed: str, field: str, reason: str
) -> None:
    broken = edit(START, SCHEMA.tab(tab).title, ident, header, typed)
    read, after, _plan = SAMPLE.sync(broken)

    assert [(p.tab, p.row, p.column) for p in read.problems] == [where(tab, ident, header)], read.problems
    assert reason in read.problems[0].reason
    assert not read.holds, "a record cell holds nothing: no row, no decision"
    assert not read.waiting
    if tab == "members":
        member = read.group.members[MemberId(ident)]
        assert field in member.unknown
        assert getattr(member, field) in (None, ())
        assert member.lacks(field)
        before = BEFORE.group.members[MemberId(ident)]
        assert replace(member, **{field: getattr(before, field)}, unknown=before.unknown) == before
    else:
        output = read.group.outputs[OutputId(ident)]
        assert output.unknown == {field}
        assert output.lacks(field)
        assert record(output) == record(
            replace(BEFORE.group.outputs[OutputId(ident)], **{field: getattr(output, field)})
        )
        decided, before_decided = read.group.decide(output.id), BEFORE.group.decide(output.id)
        assert replace(decided, output=before_decided.output) == before_decided, "the authorship is as before"
    assert decisions(after) == decisions(START), "no decision changes while the cell is bad"
    again, _, second = SAMPLE.sync(after)
    assert second.write.empty
    assert again.problems == read.problems


def test_a_corresponding_author_whose_members_row_is_held_waits_with_it_and_the_output_still_counts() -> None:
    corresponds = edit(START, "Outputs", "sr-paper", "Corresponding author", "kelechi.nwankwo")
    held = edit(corresponds, "Members", "kelechi.nwankwo", "Given names", "")
    read = SAMPLE.read(held)
    problem = next(p for p in read.problems if p.column == "Corresponding author")
    assert (problem.tab, problem.row) == ("Outputs", row_number(START, "Outputs", "sr-paper"))
    assert f"waits for Members row {row_number(START, 'Members', 'kelechi.nwankwo')}" in problem.reason
    paper = read.group.outputs[PAPER_OUTPUT]
    assert paper.corresponding is None
    assert "corresponding" in paper.unknown


def test_a_corresponding_author_need_not_be_an_author() -> None:
    read = SAMPLE.read(edit(START, "Outputs", "sr-protocol", "Corresponding author", "kelechi.nwankwo"))
    assert read.problems == ()
    protocol = read.group.outputs[PROTOCOL_OUTPUT]
    assert protocol.corresponding == "kelechi.nwankwo"
    assert "kelechi.nwankwo" not in read.group.decide(PROTOCOL_OUTPUT).author_ids


# --- a tracker made before these columns -------------------------------------------------------


def without_late(schema: Schema) -> Schema:
    """The schema as it was before this step: without the late columns."""
    tabs = tuple(
        replace(tab, columns=tuple(c for c in tab.columns if c.key not in LATE.get(tab.key, ())))
        for tab in schema.tabs
    )
    return replace(schema, tabs=tabs)


OLD = without_late(SCHEMA)


def blank_late(rows: dict[str, list[dict[str, Cell]]]) -> dict[str, list[dict[str, Cell]]]:
    """``rows`` as a tracker made before this step holds them: without the late columns' cells."""
    return {
        key: [{k: v for k, v in row.items() if k not in LATE.get(key, ())} for row in tab_rows]
        for key, tab_rows in rows.items()
    }


def read_snapshot(snap: Snapshot) -> ReadResult:
    return read_tracker(SCHEMA, snap, SAMPLE.settings, SAMPLE.now)


def test_a_tracker_without_the_new_columns_reads_exactly_as_one_with_them_empty() -> None:
    rows = blank_late(SAMPLE.rows())
    old = read_snapshot(snapshot(rows, OLD))
    new = read_snapshot(snapshot(rows))
    assert old.problems == new.problems == ()
    for part in ("members", "projects", "tasks", "outputs", "volunteers", "disputes", "confirmations",
                 "evidence", "availability", "records", "series"):  # fmt: skip
        assert getattr(old.group, part) == getattr(new.group, part), part
    assert list(old.group.ledger) == list(new.group.ledger)
    assert old.holds == new.holds
    for member in old.group.members.values():
        assert (member.orcid, member.affiliations, member.unknown) == (None, (), frozenset())
    for output in old.group.outputs.values():
        assert (output.status, output.unknown) == (OutputStatus.IN_PROGRESS, frozenset())
        assert record(output)[1:] == (None,) * 5


def test_the_sync_adds_the_new_columns_empty_to_an_old_tracker_and_then_writes_nothing() -> None:
    old = snapshot(SAMPLE.rows(), OLD)
    read, after, plan = SAMPLE.sync(old)
    assert read.problems == ()
    added = {
        (c.tab.key, col.key) for c in plan.write.structure if isinstance(c, AddColumns) for col in c.columns
    }
    assert added == {(tab, key) for tab, keys in LATE.items() for key in keys}
    typed = {(c.tab, c.column) for c in plan.write.cells}
    for tab, keys in LATE.items():
        title = SCHEMA.tab(tab).title
        header = after.grids[title].values[0]
        for key in keys:
            column = header.index(SCHEMA.tab(tab).column(key).header) + 1
            assert (title, column) not in typed, "nothing is written into a column people own"
    again, _, second = SAMPLE.sync(after)
    assert again.problems == ()
    assert second.write.empty, second.summary


# --- the local workbook: written by the demo's rows, read back --------------------------------------


def workbook_rows(group: Group) -> dict[str, list[dict[str, Cell]]]:
    rows: dict[str, list[dict[str, Cell]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group))
    return rows


def test_the_record_round_trips_through_a_local_workbook(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    create_workbook(path, SCHEMA, workbook_rows(GROUP))
    read = read_snapshot(LocalWorkbook(path).read())
    assert read.problems == ()
    assert_the_sample_record(read.group)


def test_an_old_workbook_without_the_columns_reads_without_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    create_workbook(path, OLD, blank_late(workbook_rows(GROUP)))
    workbook = LocalWorkbook(path, schema=SCHEMA)
    read = read_snapshot(workbook.read())
    assert read.problems == ()
    assert all(m.orcid is None and not m.affiliations for m in read.group.members.values())
    assert set(read.group.outputs) == set(GROUP.outputs)
