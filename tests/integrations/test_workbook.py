"""The local workbook backend: laying a tracker out, reading it back, writing to it safely."""

from __future__ import annotations

import dataclasses
import itertools
import os
import shutil
import stat
import subprocess
import zipfile
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from braingain.core.errors import BraingainError
from braingain.core.ports import TrackerBackend
from braingain.core.tracker.schema import (
    AddColumns,
    AddTab,
    Cell,
    CellWrite,
    Merge,
    Owner,
    Problem,
    Schema,
    TrackerWrite,
    Uncalculated,
    read_table,
)
from braingain.integrations.errors import TrackerError
from braingain.integrations.tracker import workbook as workbook_module
from braingain.integrations.tracker.formats import REFERENCES
from braingain.integrations.tracker.schema import load_schema
from braingain.integrations.tracker.workbook import (
    COMMON_ZONES,
    LISTS_TITLE,
    SYNC_NOTE,
    LocalWorkbook,
    WorkbookError,
    create_workbook,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")

EMAIL = "ada.obiora@example.org"

MEMBER: dict[str, Cell] = {
    "id": "ada.obiora",
    "given_names": "Ada",
    "surname": "Obiora",
    "email": EMAIL,
    "role": "leader",
    "zone": "Africa/Lagos",
    "country": "Nigeria",
    "gender": "female",
    "joined": date(2025, 1, 15),
    "digest": "email",
    "active": True,
    "points": 12.5,
    "open_tasks": 2,
}


@pytest.fixture
def schema() -> Schema:
    return load_schema()


@pytest.fixture
def path(tmp_path: Path, schema: Schema) -> Path:
    """A tracker with one member, one task and one volunteer."""
    target = tmp_path / "tracker.xlsx"
    create_workbook(
        target,
        schema,
        {
            "members": [MEMBER],
            "tasks": [{"id": "T1", "project": "P1", "title": "Screen titles", "due": date(2020, 1, 31)}],
            "volunteers": [
                {"id": "V1", "task": "T1", "member": "ada.obiora", "at": datetime(2025, 2, 1, 9, 30)}
            ],
        },
    )
    return target


def sheet_of(path: Path, title: str) -> Any:
    return load_workbook(path)[title]


def column_of(schema: Schema, tab: str, key: str) -> int:
    return [c.key for c in schema.tab(tab).columns].index(key) + 1


def letter_of(schema: Schema, tab: str, key: str) -> str:
    return str(get_column_letter(column_of(schema, tab, key)))


def validations(sheet: Any) -> dict[str, Any]:
    """Each data validation by the first cell range it covers."""
    return {str(v.sqref).split()[0]: v for v in sheet.data_validations.dataValidation}


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one file inside the .xlsx zip (how the tests stand in for Excel's own XML)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in items:
            target.writestr(info, change(content) if info.filename == part else content)


def add_part(path: Path, name: str, content: bytes, content_type: str) -> None:
    """Add a file to the .xlsx zip, declared in [Content_Types].xml."""
    rewrite_part(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode()
        ),
    )
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(name, content)


def fingerprint(path: Path, *, skip: frozenset[tuple[str, str]] = frozenset()) -> dict[str, Any]:
    """Everything a person could see or rely on in the workbook, but the cells in ``skip``."""
    book = load_workbook(path)
    found: dict[str, Any] = {"names": {k: v.attr_text for k, v in book.defined_names.items()}}
    found["order"] = [s.title for s in book.worksheets]
    for sheet in book.worksheets:
        cells = {
            (c.coordinate): (
                c.value,
                repr(c.font),  # (openpyxl's style proxies do not compare equal to each other)
                repr(c.fill),
                c.number_format,
                repr(c.alignment),
                repr(c.border),
                c.comment.text if c.comment else None,
            )
            for row in sheet.iter_rows()
            for c in row
            if (sheet.title, c.coordinate) not in skip and (c.value is not None or c.has_style or c.comment)
        }
        found[sheet.title] = {
            "cells": cells,
            "state": sheet.sheet_state,
            "freeze": sheet.freeze_panes,
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "widths": sorted(
                (d.min or 0, d.max or 0, d.width, d.hidden, d.fill.fgColor.rgb)
                for d in sheet.column_dimensions.values()
            ),
            "validations": sorted(
                (str(v.sqref), v.type, v.formula1, v.errorStyle, v.showErrorMessage)
                for v in sheet.data_validations.dataValidation
            ),
            "formatting": sorted(
                (str(cf.sqref), tuple(tuple(r.formula) for r in cf.rules))
                for cf in sheet.conditional_formatting
            ),
        }
    return found


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --------------------------------------------------------------------------------------------
# create_workbook: the layout
# --------------------------------------------------------------------------------------------


def test_a_local_workbook_is_a_tracker_backend(path: Path) -> None:
    backend: TrackerBackend = LocalWorkbook(path)
    assert backend.location == str(path)


def test_a_new_workbook_has_one_tab_per_schema_tab_in_schema_order_with_its_headers(
    path: Path, schema: Schema
) -> None:
    snapshot = LocalWorkbook(path).read()
    assert [t for t in snapshot.grids if t != LISTS_TITLE] == [tab.title for tab in schema.tabs]
    for tab in schema.tabs:
        grid = snapshot.grid(tab.title)
        assert grid is not None
        assert grid.values[0] == tab.headers


def test_rows_given_at_creation_read_back_in_their_columns_with_their_types(
    path: Path, schema: Schema
) -> None:
    snapshot = LocalWorkbook(path).read()
    members = snapshot.grids["Members"]
    row = dict(zip((c.key for c in schema.tab("members").columns), members.values[1], strict=False))
    assert row["id"] == "ada.obiora"
    assert row["joined"] == date(2025, 1, 15)
    assert type(row["joined"]) is date
    assert row["active"] == "yes"  # a yes/no column shows yes or no, never TRUE or 1
    assert row["points"] == 12.5
    assert row["open_tasks"] == 2
    assert type(row["open_tasks"]) is int
    assert row["left"] is None
    volunteers = snapshot.grids["Volunteers"]
    assert volunteers.values[1][column_of(schema, "volunteers", "at") - 1] == datetime(2025, 2, 1, 9, 30)
    assert len(snapshot.grids["Ledger"].values) == 1  # the header alone: nothing below it


def test_the_core_reads_a_new_workbook_without_a_problem(path: Path, schema: Schema) -> None:
    snapshot = LocalWorkbook(path).read()
    problems: list[Problem] = []
    for tab in schema.tabs:
        table = read_table(tab, snapshot.grid(tab.title), problems)
        assert table is not None
        assert set(table.columns) == {c.key for c in tab.columns}
        assert table.extra_headers == ()
    assert problems == []


def test_required_and_braingains_headers_are_bold_optional_ones_are_not_and_the_header_row_is_frozen(
    path: Path, schema: Schema
) -> None:
    book = load_workbook(path)
    for tab in schema.tabs:
        sheet = book[tab.title]
        assert sheet.freeze_panes == "A2"
        for index, column in enumerate(tab.columns, start=1):
            bold = bool(sheet.cell(row=1, column=index).font.b)
            assert bold is (column.required or column.owner is Owner.SYNC), (tab.key, column.key)


def test_each_header_says_whether_it_is_required_or_optional_with_the_columns_help(
    path: Path, schema: Schema
) -> None:
    book = load_workbook(path)
    for tab in schema.tabs:
        for index, column in enumerate(tab.columns, start=1):
            comment = book[tab.title].cell(row=1, column=index).comment
            assert comment is not None
            if column.owner is Owner.SYNC:
                assert comment.text.startswith(SYNC_NOTE)
            elif column.required:
                assert comment.text.startswith("Required"), (tab.key, column.key)
            elif column.needed:
                assert comment.text.startswith(f"Needed {column.needed}"), (tab.key, column.key)
            else:
                assert comment.text.startswith("Optional"), (tab.key, column.key)
            assert column.help in comment.text
    gender = book["Members"].cell(row=1, column=column_of(schema, "members", "gender")).comment
    assert gender is not None
    assert gender.text.startswith("Optional")


def test_sync_owned_columns_are_marked_grey_and_say_edits_are_overwritten(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    for tab in schema.tabs:
        sheet = book[tab.title]
        for index, column in enumerate(tab.columns, start=1):
            header = sheet.cell(row=1, column=index)
            dimension = sheet.column_dimensions[letter_of(schema, tab.key, column.key)]
            if column.owner is Owner.SYNC:
                assert header.fill.fgColor.rgb == "FFBFBFBF"
                assert dimension.fill.fgColor.rgb == "FFF2F2F2"
                assert header.comment is not None
                assert SYNC_NOTE in header.comment.text
            else:
                assert header.fill.fill_type is None
                assert header.comment is None or SYNC_NOTE not in header.comment.text
    # A value braingain filled at creation has the column's grey too.
    points = book["Members"].cell(row=2, column=column_of(schema, "members", "points"))
    assert points.fill.fgColor.rgb == "FFF2F2F2"


def test_choice_columns_have_a_dropdown_of_their_choices(path: Path, schema: Schema) -> None:
    members = validations(sheet_of(path, "Members"))
    role = members[f"{letter_of(schema, 'members', 'role')}2:{letter_of(schema, 'members', 'role')}1048576"]
    assert role.type == "list"
    assert role.formula1 == '"leader,member"'
    assert role.errorStyle == "stop"
    assert role.showErrorMessage
    assert not role.showDropDown  # (openpyxl's showDropDown=True would hide the arrow)


def test_the_credit_roles_are_too_long_to_inline_and_live_on_the_hidden_lists_tab(
    path: Path, schema: Schema
) -> None:
    book = load_workbook(path)
    letter = letter_of(schema, "tasks", "credit_role")
    credit = validations(book["Tasks"])[f"{letter}2:{letter}1048576"]
    name = book.defined_names[credit.formula1]
    sheet_title, cells = next(iter(name.destinations))
    assert sheet_title == LISTS_TITLE
    listed = [c.value for row in book[LISTS_TITLE][cells] for c in row]
    assert listed == list(schema.tab("tasks").column("credit_role").choices)
    assert book[LISTS_TITLE].sheet_state == "hidden"


def test_a_choice_list_over_excels_255_characters_goes_on_the_lists_tab(
    tmp_path: Path, schema: Schema
) -> None:
    choices = tuple(f"choice number {i:02d}" for i in range(30))
    assert len(",".join(choices)) > 255
    members = schema.tab("members")
    columns = tuple(
        dataclasses.replace(c, choices=choices) if c.key == "role" else c for c in members.columns
    )
    small = Schema(version=1, tabs=(dataclasses.replace(members, columns=columns),))
    target = tmp_path / "long.xlsx"
    create_workbook(target, small)
    book = load_workbook(target)
    (role,) = [v for v in book["Members"].data_validations.dataValidation if str(v.sqref).startswith("E2")]
    assert not role.formula1.startswith('"')
    (destination,) = book.defined_names[role.formula1].destinations
    assert [c.value for row in book[LISTS_TITLE][destination[1]] for c in row] == list(choices)


def test_bool_columns_offer_yes_or_no(path: Path, schema: Schema) -> None:
    letter = letter_of(schema, "members", "active")
    active = validations(sheet_of(path, "Members"))[f"{letter}2:{letter}1048576"]
    assert active.formula1 == '"yes,no"'


def test_member_columns_offer_the_ids_on_the_members_tab(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    letter = letter_of(schema, "tasks", "supervisor")
    supervisor = validations(book["Tasks"])[f"{letter}2:{letter}1048576"]
    formula = book.defined_names[supervisor.formula1].attr_text
    # The Members ID column, however many members there are.
    assert formula == "OFFSET('Members'!$A$2,0,0,MAX(1,COUNTA('Members'!$A:$A)-1),1)"
    assert supervisor.errorStyle == "stop"


def test_the_time_zone_dropdown_suggests_common_zones_but_accepts_any_other(
    path: Path, schema: Schema
) -> None:
    book = load_workbook(path)
    letter = letter_of(schema, "members", "zone")
    zone = validations(book["Members"])[f"{letter}2:{letter}1048576"]
    assert zone.errorStyle == "warning"  # another valid zone is kept after a warning, never refused
    (destination,) = book.defined_names[zone.formula1].destinations
    listed = [c.value for row in book[LISTS_TITLE][destination[1]] for c in row]
    assert listed == list(COMMON_ZONES)
    assert set(COMMON_ZONES) <= zoneinfo.available_timezones()
    assert {"Africa/Lagos", "Europe/London", "America/Toronto", "America/New_York"} <= set(COMMON_ZONES)


def test_sync_owned_and_free_text_columns_have_no_dropdown(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    for tab in schema.tabs:
        covered = {
            str(v.sqref).split(":")[0].rstrip("0123456789")
            for v in book[tab.title].data_validations.dataValidation
        }
        for column in tab.columns:
            letter = letter_of(schema, tab.key, column.key)
            wanted = column.owner is Owner.PEOPLE and (
                column.type in ("choice", "bool", "zone", *REFERENCES) or column.key == tab.id_column
            )
            assert (letter in covered) == wanted, (tab.key, column.key)


def test_date_columns_show_dates_and_datetimes_with_weekday_and_year(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    assert (
        book["Members"].column_dimensions[letter_of(schema, "members", "joined")].number_format
        == "ddd d mmm yyyy"
    )
    volunteered = letter_of(schema, "volunteers", "at")
    assert book["Volunteers"].column_dimensions[volunteered].number_format == "ddd d mmm yyyy hh:mm"
    assert (
        book["Members"].cell(row=2, column=column_of(schema, "members", "joined")).number_format
        == "ddd d mmm yyyy"
    )


def test_columns_are_wide_enough_for_their_headers(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    for tab in schema.tabs:
        for column in tab.columns:
            width = book[tab.title].column_dimensions[letter_of(schema, tab.key, column.key)].width
            assert len(column.header) < width <= 60


def test_tasks_are_highlighted_overdue_red_accepted_green_and_needing_rework_amber(
    path: Path, schema: Schema
) -> None:
    sheet = sheet_of(path, "Tasks")
    due, status = letter_of(schema, "tasks", "due"), letter_of(schema, "tasks", "status")
    rules = [
        (str(cf.sqref), rule)
        for cf in sheet.conditional_formatting
        for rule in cf.rules
        if "Problems" not in rule.formula[0]  # the highlight of a cell the Problems tab lists
    ]
    assert {where for where, _ in rules} == {f"A2:{letter_of(schema, 'tasks', 'selection')}1048576"}
    by_colour = {rule.dxf.fill.fgColor.rgb: rule.formula[0] for _, rule in rules}
    overdue = by_colour["FFFFC7CE"]
    assert f"${due}2<TODAY()" in overdue
    assert f'TRIM(${status}2))<>"accepted"' in overdue
    assert f'TRIM(${status}2))<>"cancelled"' in overdue
    assert by_colour["FFC6EFCE"] == f'LOWER(TRIM(${status}2))="accepted"'
    assert by_colour["FFFFEB9C"] == f'LOWER(TRIM(${status}2))="needs rework"'
    assert [rule.priority for _, rule in rules] == sorted(rule.priority for _, rule in rules)


def test_the_state_tab_is_hidden_and_a_visible_tab_is_active(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    snapshot = LocalWorkbook(path).read()
    for tab in schema.tabs:
        assert (book[tab.title].sheet_state == "hidden") is tab.hidden
        assert snapshot.grids[tab.title].hidden is tab.hidden
    assert book.active.title == "Members"
    assert [s.title for s in book.worksheets if s.sheet_view.tabSelected] == ["Members"]


def test_create_refuses_to_overwrite_unless_asked(path: Path, schema: Schema) -> None:
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="already exists") as refused:
        create_workbook(path, schema)
    assert refused.value.hint
    assert path.read_bytes() == before
    create_workbook(path, schema, overwrite=True)
    assert len(LocalWorkbook(path).read().grids["Members"].values) == 1


def test_create_refuses_rows_for_a_tab_or_column_the_schema_does_not_have(
    tmp_path: Path, schema: Schema
) -> None:
    with pytest.raises(WorkbookError, match="no tab 'nope'"):
        create_workbook(tmp_path / "a.xlsx", schema, {"nope": [{"id": "x"}]})
    with pytest.raises(WorkbookError, match="no column 'nope'"):
        create_workbook(tmp_path / "b.xlsx", schema, {"members": [{"nope": "x"}]})
    assert listing(tmp_path) == []


def test_create_wants_an_xlsx_name(tmp_path: Path, schema: Schema) -> None:
    with pytest.raises(WorkbookError, match=r"does not end in \.xlsx"):
        create_workbook(tmp_path / "tracker.xls", schema)


# --------------------------------------------------------------------------------------------
# read
# --------------------------------------------------------------------------------------------


def test_read_gives_python_values_and_trims_empty_rows_and_cells(tmp_path: Path) -> None:
    target = tmp_path / "typed.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Typed"
    sheet.append(["text", "int", "float", "bool", "date", "datetime", "midnight", "time", "empty"])
    sheet.append(["a", 3, 2.5, False, date(2026, 3, 14), datetime(2026, 3, 14, 10, 5), None, time(9, 30), ""])
    sheet["G2"] = datetime(2026, 3, 14)
    sheet["G2"].number_format = "yyyy-mm-dd hh:mm"  # a date-time that happens to be midnight stays one
    sheet["E2"].number_format = "dd/mm/yyyy"
    sheet["C40"].fill = PatternFill(fill_type="solid", start_color="FFFF0000")  # styled, but empty
    sheet["Z1"].font = Font(bold=True)
    book.save(target)
    grid = LocalWorkbook(target).read().grids["Typed"]
    assert grid.values == (
        ("text", "int", "float", "bool", "date", "datetime", "midnight", "time", "empty"),
        ("a", 3, 2.5, False, date(2026, 3, 14), datetime(2026, 3, 14, 10, 5), datetime(2026, 3, 14), "09:30"),
    )
    assert type(grid.values[1][4]) is date
    assert grid.merges == ()
    assert grid.hidden is False


def test_merged_cells_are_reported_as_merges(path: Path) -> None:
    book = load_workbook(path)
    book["Tasks"].merge_cells("B2:D3")
    book["Tasks"].merge_cells("F5:F6")
    book.save(path)
    grid = LocalWorkbook(path).read().grids["Tasks"]
    assert grid.merges == (Merge(2, 2, 3, 4), Merge(5, 6, 6, 6))
    table = read_table(load_schema().tab("tasks"), grid, [])
    assert table is not None
    assert {(2, 2), (2, 4), (3, 3), (5, 6), (6, 6)} <= table.merged


def formula_workbook(target: Path) -> None:
    """A workbook with formulas whose results are stored as Excel stores them.

    openpyxl cannot write a formula's stored result, so the results are put into the
    sheet's XML by hand, in Excel's own form: ``t="e"`` for an error, ``t="str"`` for
    text, no type for a number.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Sums"
    sheet.append(["ID", "Broken", "Total", "Label"])
    sheet.append(["S1", "=SUM(#REF!)", "=1+2", '=A2&"!"'])
    sheet["C2"].font = Font(bold=True)  # a styled formula cell is written with its style index
    book.save(target)
    stored = {
        b'<c r="B2"><f>SUM(#REF!)</f><v /></c>': b'<c r="B2" t="e"><f>SUM(#REF!)</f><v>#REF!</v></c>',
        b'<c r="C2" s="1"><f>1+2</f><v /></c>': b'<c r="C2" s="1"><f>1+2</f><v>3</v></c>',
        b'<c r="D2"><f>A2&amp;"!"</f><v /></c>': b'<c r="D2" t="str"><f>A2&amp;"!"</f><v>S1!</v></c>',
    }

    def put(xml: bytes) -> bytes:
        xml = xml.replace(b"<v></v>", b"<v />")  # (openpyxl over lxml writes <v></v>, over ElementTree <v />)
        for written, cached in stored.items():
            assert written in xml
            xml = xml.replace(written, cached)
        return xml

    rewrite_part(target, "xl/worksheets/sheet1.xml", put)


def test_formula_results_are_read_and_a_formula_error_as_its_text(tmp_path: Path) -> None:
    target = tmp_path / "formulas.xlsx"
    formula_workbook(target)
    assert LocalWorkbook(target).read().grids["Sums"].values[1] == ("S1", "#REF!", 3, "S1!")


def test_a_formula_without_a_stored_result_reads_as_uncalculated_never_as_empty(tmp_path: Path) -> None:
    """openpyxl, like any program that does not calculate, saves formulas without their results."""
    target = tmp_path / "uncalculated.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Sums"
    sheet.append(["ID", "Total", "Shared"])
    sheet.append(["S1", "=1+2", None])
    book.save(target)
    rewrite_part(  # a shared formula's later cells carry no text of their own, as Excel writes them
        target,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</row></sheetData>", b'<c r="C2"><f t="shared" si="0"/></c></row></sheetData>'
        ),
    )
    values = LocalWorkbook(target).read().grids["Sums"].values
    assert values[1] == ("S1", Uncalculated("1+2"), Uncalculated(""))


def test_a_formula_whose_result_is_empty_text_reads_as_empty(tmp_path: Path) -> None:
    target = tmp_path / "empty-result.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Sums"
    sheet.append(["ID", "Label"])
    sheet.append(["S1", '=IF(1=2,"x","")'])
    book.save(target)
    rewrite_part(
        target,
        "xl/worksheets/sheet1.xml",
        lambda xml: (
            xml.replace(b'<c r="B2"><f>', b'<c r="B2" t="str"><f>')
            .replace(b"<v /></c>", b"<v></v></c>")
            .replace(b"<v/></c>", b"<v></v></c>")
        ),
    )
    assert LocalWorkbook(target).read().grids["Sums"].values[1] == ("S1",)


def test_a_workbook_without_formulas_is_not_searched_for_them(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[bytes] = []
    original = workbook_module._uncalculated_in

    def spy(content: bytes) -> Iterator[tuple[tuple[int, int], str]]:
        parsed.append(content)
        return original(content)

    monkeypatch.setattr(workbook_module, "_uncalculated_in", spy)
    LocalWorkbook(path).read()
    assert parsed == [], "data validations (<formula1>) are not formulas"


def test_formula_results_are_still_there_after_a_write(tmp_path: Path) -> None:
    target = tmp_path / "formulas.xlsx"
    formula_workbook(target)
    workbook = LocalWorkbook(target)
    workbook.read()
    workbook.write(TrackerWrite(cells=(CellWrite("Sums", 3, 1, "S2"),)))
    assert workbook.read().grids["Sums"].values[1:] == (("S1", "#REF!", 3, "S1!"), ("S2",))
    formulas = load_workbook(target)["Sums"]
    assert [formulas[ref].value for ref in ("B2", "C2", "D2")] == ["=SUM(#REF!)", "=1+2", '=A2&"!"']
    assert load_workbook(target).calculation.fullCalcOnLoad  # Excel recalculates them on opening


def test_a_missing_workbook_says_how_to_create_it(tmp_path: Path) -> None:
    target = tmp_path / "nowhere.xlsx"
    with pytest.raises(WorkbookError) as missing:
        LocalWorkbook(target).read()
    assert str(target) in str(missing.value)
    assert "does not exist" in missing.value.reason
    assert f"braingain init --local {target}" in missing.value.hint
    assert isinstance(missing.value, TrackerError)
    assert isinstance(missing.value, BraingainError)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"ID,Name\n1,Ada\n", id="csv-renamed"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), id="old-xls"),
        pytest.param(b"", id="empty"),
        pytest.param("zip-without-workbook", id="zip-without-workbook"),
        pytest.param("truncated", id="truncated"),
    ],
)
def test_a_damaged_or_foreign_file_says_how_to_fix_it(
    tmp_path: Path, path: Path, content: bytes | str
) -> None:
    target = tmp_path / "bad.xlsx"
    if content == "zip-without-workbook":
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("hello.txt", "hi")
    elif content == "truncated":
        target.write_bytes(path.read_bytes()[:5000])
    else:
        assert isinstance(content, bytes)
        target.write_bytes(content)
    with pytest.raises(WorkbookError) as damaged:
        LocalWorkbook(target).read()
    assert "not an Excel workbook braingain can read" in damaged.value.reason
    assert "save it as an Excel workbook (.xlsx)" in damaged.value.hint
    assert "braingain init --local" in damaged.value.hint


def test_a_file_that_is_not_xlsx_is_refused_by_name(tmp_path: Path) -> None:
    target = tmp_path / "tracker.ods"
    target.write_bytes(b"whatever")
    with pytest.raises(WorkbookError, match=r"is not an \.xlsx workbook"):
        LocalWorkbook(target).read()


# --------------------------------------------------------------------------------------------
# write
# --------------------------------------------------------------------------------------------


def test_write_updates_cells_and_appends_rows_beyond_the_end(path: Path, schema: Schema) -> None:
    workbook = LocalWorkbook(path)
    workbook.read()
    points = column_of(schema, "members", "points")
    workbook.write(
        TrackerWrite(
            cells=(
                CellWrite("Members", 2, points, 14),
                CellWrite("Ledger", 2, 1, "L1"),
                CellWrite("Ledger", 2, column_of(schema, "ledger", "points"), 2.5),
                CellWrite(
                    "Ledger", 2, column_of(schema, "ledger", "recorded_at"), datetime(2026, 3, 14, 10, 0)
                ),
                CellWrite("Ledger", 5, 1, "L4"),
                CellWrite("Problems", 2, 1, "Tasks!7 (Due)"),
                CellWrite("_braingain_state", 2, 1, "last_sync"),
                CellWrite("_braingain_state", 2, 2, "2026-03-14"),
            )
        )
    )
    snapshot = workbook.read()
    assert snapshot.grids["Members"].values[1][points - 1] == 14
    ledger = snapshot.grids["Ledger"].values
    assert ledger[1][0] == "L1"
    assert ledger[1][column_of(schema, "ledger", "points") - 1] == 2.5
    assert ledger[1][column_of(schema, "ledger", "recorded_at") - 1] == datetime(2026, 3, 14, 10, 0)
    assert ledger[2:] == ((), (), ("L4",))
    assert snapshot.grids["Problems"].values[1] == ("Tasks!7 (Due)",)
    assert snapshot.grids["_braingain_state"].values[1] == ("last_sync", "2026-03-14")
    assert snapshot.grids["_braingain_state"].hidden
    recorded = sheet_of(path, "Ledger").cell(row=2, column=column_of(schema, "ledger", "recorded_at"))
    assert recorded.number_format == "ddd d mmm yyyy hh:mm"
    awarded = sheet_of(path, "Members").cell(row=2, column=points)
    assert awarded.fill.fgColor.rgb == "FFF2F2F2"  # still marked as braingain's


def test_write_keeps_everything_a_person_typed_or_formatted(path: Path, schema: Schema) -> None:
    # A person works on the workbook in their spreadsheet program.
    book = load_workbook(path)
    members, tasks = book["Members"], book["Tasks"]
    members["J2"] = "Public health"
    members["J2"].font = Font(italic=True, color="FF0000FF")
    members.cell(row=3, column=1).value = "efe.ighodalo"
    members.cell(row=3, column=column_of(schema, "members", "joined")).value = date(2025, 6, 1)
    members.cell(row=3, column=column_of(schema, "members", "joined")).number_format = "d mmm yyyy"
    members.column_dimensions["J"].width = 41
    tasks["C2"].fill = PatternFill(fill_type="solid", start_color="FFFFFF00", end_color="FFFFFF00")
    own = DataValidation(type="whole", operator="between", formula1="0", formula2="100")
    own.add("G2:G500")
    tasks.add_data_validation(own)
    tasks.merge_cells("X1:Y1")
    book["Agenda"].sheet_state = "hidden"
    book["Outputs"].freeze_panes = "B2"
    book.save(path)
    points, checked = column_of(schema, "members", "points"), column_of(schema, "tasks", "check")
    written = frozenset(
        {
            ("Members", f"{letter_of(schema, 'members', 'points')}2"),
            ("Tasks", f"{letter_of(schema, 'tasks', 'check')}2"),
        }
    )
    before = fingerprint(path, skip=written)
    workbook = LocalWorkbook(path)
    workbook.read()
    workbook.write(
        TrackerWrite(cells=(CellWrite("Members", 2, points, 20), CellWrite("Tasks", 2, checked, "ok")))
    )
    assert fingerprint(path, skip=written) == before
    snapshot = workbook.read()
    assert snapshot.grids["Members"].values[2][column_of(schema, "members", "joined") - 1] == date(2025, 6, 1)
    assert snapshot.grids["Agenda"].hidden


def test_text_that_looks_like_a_formula_is_written_as_text(path: Path) -> None:
    workbook = LocalWorkbook(path)
    workbook.read()
    sneaky = '=HYPERLINK("http://example.invalid","click")'
    workbook.write(
        TrackerWrite(cells=(CellWrite("Problems", 2, 5, sneaky), CellWrite("Problems", 3, 5, "#REF!")))
    )
    sheet = sheet_of(path, "Problems")
    assert (sheet["E2"].data_type, sheet["E2"].value) == ("s", sneaky)
    assert sheet["E3"].data_type == "s"
    assert workbook.read().grids["Problems"].values[1][4] == sneaky


def test_a_time_with_its_zone_is_written_as_iso_text_keeping_its_offset(path: Path) -> None:
    workbook = LocalWorkbook(path)
    workbook.read()
    lagos = datetime(2026, 3, 14, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    workbook.write(TrackerWrite(cells=(CellWrite("Meetings", 2, 2, lagos),)))
    assert workbook.read().grids["Meetings"].values[1][1] == "2026-03-14T10:00+01:00"
    assert datetime.fromisoformat("2026-03-14T10:00+01:00") == lagos


def test_a_number_written_over_a_date_shows_as_a_number(path: Path, schema: Schema) -> None:
    workbook = LocalWorkbook(path)
    workbook.read()
    joined = column_of(schema, "members", "joined")
    workbook.write(TrackerWrite(cells=(CellWrite("Members", 2, joined, 7),)))
    assert sheet_of(path, "Members").cell(row=2, column=joined).number_format == "General"
    assert workbook.read().grids["Members"].values[1][joined - 1] == 7


def test_a_persons_own_date_format_stays_when_a_date_is_written(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    joined = column_of(schema, "members", "joined")
    book["Members"].cell(row=2, column=joined).number_format = "d mmm yyyy"
    book.save(path)
    LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 2, joined, date(2025, 2, 1)),)))
    assert sheet_of(path, "Members").cell(row=2, column=joined).number_format == "d mmm yyyy"


def test_text_excel_cannot_hold_is_cleaned_and_cut_to_its_limit(path: Path) -> None:
    workbook = LocalWorkbook(path)
    workbook.write(
        TrackerWrite(
            cells=(CellWrite("Problems", 2, 5, "bell\x07 tab\tok"), CellWrite("Problems", 3, 5, "x" * 40_000))
        )
    )
    values = workbook.read().grids["Problems"].values
    assert values[1][4] == "bell tab\tok"
    long = values[2][4]
    assert isinstance(long, str)
    assert len(long) == 32_767
    assert long.endswith(" (truncated)")


def test_writing_none_empties_a_cell_and_creates_none(path: Path, schema: Schema) -> None:
    workbook = LocalWorkbook(path)
    workbook.read()
    points = column_of(schema, "members", "points")
    workbook.write(
        TrackerWrite(cells=(CellWrite("Members", 2, points, None), CellWrite("Ledger", 9, 3, None)))
    )
    snapshot = workbook.read()
    assert snapshot.grids["Members"].values[1][points - 1] is None
    assert len(snapshot.grids["Ledger"].values) == 1
    assert load_workbook(path)["Ledger"].max_row == 1


def test_write_adds_a_missing_tab_laid_out_from_the_schema_in_its_place(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    del book["Tasks"]
    book.save(path)
    workbook = LocalWorkbook(path, schema=schema)
    snapshot = workbook.read()
    problems: list[Problem] = []
    assert read_table(schema.tab("tasks"), snapshot.grid("Tasks"), problems) is None
    assert "missing" in problems[0].reason
    workbook.write(
        TrackerWrite(structure=(AddTab(schema.tab("tasks")),), cells=(CellWrite("Tasks", 2, 1, "T9"),))
    )
    book = load_workbook(path)
    assert [s.title for s in book.worksheets].index("Tasks") == 3
    tasks = book["Tasks"]
    assert tuple(c.value for c in tasks[1]) == schema.tab("tasks").headers
    assert tasks.freeze_panes == "A2"
    assert tasks["A1"].font.b
    assert len([r for cf in tasks.conditional_formatting for r in cf.rules]) == 4  # a problem, and 3
    kinds = {v.formula1 for v in tasks.data_validations.dataValidation}
    assert {"braingain_member_ids", "braingain_tasks_credit_role", '"1,2,none"'} <= kinds
    assert workbook.read().grids["Tasks"].values[1] == ("T9",)


def test_adding_a_tab_keeps_the_tab_a_person_had_open(path: Path, schema: Schema) -> None:
    book = load_workbook(path)
    del book["Members"]
    book.active = book["Tasks"]
    book.save(path)
    LocalWorkbook(path).write(TrackerWrite(structure=(AddTab(schema.tab("members")),)))
    book = load_workbook(path)
    assert book.worksheets[0].title == "Members"
    assert book.active.title == "Tasks"


def test_write_adds_missing_sync_columns_with_the_header_formatting(tmp_path: Path, schema: Schema) -> None:
    volunteers = schema.tab("volunteers")
    people = tuple(c for c in volunteers.columns if c.owner is Owner.PEOPLE)
    older = Schema(version=1, tabs=(dataclasses.replace(volunteers, columns=people),))
    target = tmp_path / "older.xlsx"
    create_workbook(target, older, {"volunteers": [{"id": "V1", "task": "T1", "member": "ada"}]})
    workbook = LocalWorkbook(target, schema=schema)
    table = read_table(volunteers, workbook.read().grid("Volunteers"), [])
    assert table is not None
    # What the sync asks for: the sync-owned columns the header row lacks, right of it.
    missing = tuple(volunteers.column(key) for key in table.added)
    assert missing == tuple(c for c in volunteers.columns if c.owner is Owner.SYNC)
    change = AddColumns(volunteers, missing, table.columns[table.added[0]])
    rank = change.first_column
    workbook.write(TrackerWrite(structure=(change,), cells=(CellWrite("Volunteers", 2, rank, 1),)))
    sheet = sheet_of(target, "Volunteers")
    for offset, column in enumerate(change.columns):
        header = sheet.cell(row=1, column=rank + offset)
        assert header.value == column.header
        assert header.font.b
        assert header.fill.fgColor.rgb == "FFBFBFBF"
        assert header.comment is not None
        assert SYNC_NOTE in header.comment.text
        assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=rank).fill.fgColor.rgb == "FFF2F2F2"
    again = read_table(volunteers, workbook.read().grid("Volunteers"), [])
    assert again is not None
    assert set(again.columns) == {c.key for c in volunteers.columns}
    assert again.rows[0].get("rank") == 1


def test_adding_a_column_inside_grouped_columns_splits_the_group(path: Path, schema: Schema) -> None:
    # Excel and LibreOffice store identical neighbouring columns as one range.
    book = load_workbook(path)
    outputs = book["Outputs"]
    for letter in [k for k in outputs.column_dimensions if k >= "I"]:
        del outputs.column_dimensions[letter]
    outputs.column_dimensions["I"].width = 33
    outputs.column_dimensions["I"].min, outputs.column_dimensions["I"].max = 9, 30
    tab = schema.tab("outputs")
    for index in range(9, len(tab.columns) + 1):  # the sync's columns and the record's after them
        outputs.cell(row=1, column=index).value = None
    book.save(path)
    sync = tuple(c for c in tab.columns if c.owner is Owner.SYNC)
    workbook = LocalWorkbook(path)
    workbook.write(TrackerWrite(structure=(AddColumns(tab, sync, 9),)))
    spans = sorted((d.min, d.max, d.width) for d in sheet_of(path, "Outputs").column_dimensions.values())
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))  # no overlapping ranges
    assert (12, 30, 33.0) in spans
    assert [w for low, high, w in spans if low == high == 9] == [60.0]


def test_adding_columns_that_are_already_there_does_nothing_twice(path: Path, schema: Schema) -> None:
    tab = schema.tab("outputs")
    sync = tuple(c for c in tab.columns if c.owner is Owner.SYNC)
    before = fingerprint(path)
    LocalWorkbook(path).write(TrackerWrite(structure=(AddColumns(tab, sync, 9),)))
    assert fingerprint(path) == before


def test_new_columns_never_go_over_a_header_a_person_typed(path: Path, schema: Schema) -> None:
    tab = schema.tab("outputs")
    book = load_workbook(path)
    for index in range(9, len(tab.columns) + 1):  # a gap, then a person's own column further right
        book["Outputs"].cell(row=1, column=index).value = None
    book["Outputs"]["M1"] = "My notes"
    book["Outputs"]["M2"] = "keep me"
    book.save(path)
    sync = tuple(c for c in tab.columns if c.owner is Owner.SYNC)
    LocalWorkbook(path).write(TrackerWrite(structure=(AddColumns(tab, sync, 9),)))
    header = LocalWorkbook(path).read().grids["Outputs"].values[0]
    assert header[8:] == (None, None, None, None, "My notes", *(c.header for c in sync))
    assert sheet_of(path, "Outputs")["M2"].value == "keep me"


def test_adding_a_tab_that_exists_is_refused(path: Path, schema: Schema) -> None:
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="already exists"):
        LocalWorkbook(path).write(TrackerWrite(structure=(AddTab(schema.tab("tasks")),)))
    assert path.read_bytes() == before


def test_writing_to_a_tab_that_is_not_there_is_refused_and_nothing_is_written(path: Path) -> None:
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="no tab 'Nowhere'") as refused:
        LocalWorkbook(path).write(
            TrackerWrite(cells=(CellWrite("Members", 2, 1, "changed"), CellWrite("Nowhere", 2, 1, "x")))
        )
    assert "sync again" in refused.value.hint
    assert path.read_bytes() == before


def test_tab_titles_are_found_ignoring_case_as_the_snapshot_finds_them(path: Path) -> None:
    workbook = LocalWorkbook(path)
    workbook.write(TrackerWrite(cells=(CellWrite("members", 2, 2, "Adaeze"),)))
    assert workbook.read().grids["Members"].values[1][1] == "Adaeze"


def test_an_empty_write_does_not_touch_the_file(path: Path) -> None:
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    before = (path.stat().st_mtime_ns, path.read_bytes())
    (path.parent / f"~${path.name}").write_bytes(b"")  # even when it is open elsewhere
    LocalWorkbook(path).write(TrackerWrite())
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


@pytest.mark.parametrize("lock", ["~$tracker.xlsx", ".~lock.tracker.xlsx#"], ids=["excel", "libreoffice"])
def test_a_workbook_open_in_excel_or_libreoffice_is_not_written(path: Path, lock: str) -> None:
    (path.parent / lock).write_bytes(b"someone,host,user;")
    before = (path.stat().st_mtime_ns, path.read_bytes())
    workbook = LocalWorkbook(path)
    workbook.read()  # reading an open workbook is fine
    with pytest.raises(WorkbookError, match="open in another program") as refused:
        workbook.write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "x"),)))
    assert "close it there and sync again" in refused.value.hint
    assert "nothing is lost" in refused.value.hint
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_a_workbook_saved_by_someone_else_since_it_was_read_is_not_written(path: Path) -> None:
    workbook = LocalWorkbook(path)
    workbook.read()
    book = load_workbook(path)
    book["Ledger"]["A2"] = "typed meanwhile"
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="changed after braingain read it"):
        workbook.write(TrackerWrite(cells=(CellWrite("Ledger", 2, 1, "L1"),)))
    assert path.read_bytes() == before
    workbook.read()
    workbook.write(TrackerWrite(cells=(CellWrite("Ledger", 3, 1, "L1"),)))
    workbook.write(TrackerWrite(cells=(CellWrite("Ledger", 4, 1, "L2"),)))  # its own write is no stranger
    assert [r[0] for r in workbook.read().grids["Ledger"].values[1:]] == ["typed meanwhile", "L1", "L2"]


def test_a_crash_while_saving_leaves_the_workbook_as_it_was(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (path.stat().st_mtime_ns, path.read_bytes())

    def crash(self: Any, target: Any) -> None:
        target.write(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", crash)
    with pytest.raises(WorkbookError, match="the disk is full") as failed:
        LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "x"),)))
    assert "unchanged" in failed.value.reason
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert listing(path.parent) == ["tracker.xlsx"]


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_crash_just_before_the_switch_leaves_the_workbook_and_no_temporary_file(
    path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    before = path.read_bytes()

    def crash(*args: Any) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, step, crash)
    with pytest.raises(WorkbookError):
        LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "x"),)))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert listing(path.parent) == ["tracker.xlsx"]


def test_a_crash_while_creating_leaves_nothing_behind(
    tmp_path: Path, schema: Schema, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: Any, target: Any) -> None:
        target.write(b"PK")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", crash)
    with pytest.raises(WorkbookError):
        create_workbook(tmp_path / "new.xlsx", schema)
    assert listing(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_write_keeps_who_may_read_the_file(path: Path) -> None:
    path.chmod(0o640)
    LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "x"),)))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_write_that_would_lose_a_part_openpyxl_cannot_keep_is_refused(path: Path) -> None:
    # openpyxl drops parts it does not understand (here an image no drawing refers to,
    # as it drops every image when Pillow is not installed).
    add_part(path, "xl/media/image1.png", b"\x89PNG\r\n\x1a\n", "image/png")
    before = path.read_bytes()
    workbook = LocalWorkbook(path)
    workbook.read()
    with pytest.raises(WorkbookError, match="would lose its images") as refused:
        workbook.write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "x"),)))
    assert "nothing has been changed" in refused.value.hint
    assert path.read_bytes() == before
    assert listing(path.parent) == ["tracker.xlsx"]


def test_excels_threaded_comments_do_not_stop_a_write(path: Path) -> None:
    # openpyxl keeps the note Excel writes beside each thread, with its text and replies.
    add_part(
        path,
        "xl/threadedComments/threadedComment1.xml",
        b'<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"/>',
        "application/vnd.ms-excel.threadedcomments+xml",
    )
    workbook = LocalWorkbook(path)
    workbook.write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "Adaeze"),)))
    assert workbook.read().grids["Members"].values[1][1] == "Adaeze"


X14_VALIDATION = (
    b'<extLst><ext xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" '
    b'uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations count="1" '
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" '
    b'allowBlank="1" showErrorMessage="1"><x14:formula1><xm:f>Members!$A$2:$A$9</xm:f></x14:formula1>'
    b"<xm:sqref>C2:C9</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def test_a_workbook_with_an_extension_openpyxl_would_remove_is_read_but_not_written(path: Path) -> None:
    # How Excel stores a dropdown typed as a reference to another sheet.
    rewrite_part(
        path,
        "xl/worksheets/sheet2.xml",
        lambda xml: xml.replace(b"</worksheet>", X14_VALIDATION + b"</worksheet>"),
    )
    before = path.read_bytes()
    workbook = LocalWorkbook(path)
    assert workbook.read().grids["Availability"].values[0][0] == "ID"  # no warning escapes either
    with pytest.raises(WorkbookError, match="Data Validation extension is not supported"):
        workbook.write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "x"),)))
    assert path.read_bytes() == before


def test_messages_never_show_the_value_being_written(path: Path) -> None:
    book = load_workbook(path)
    book["Members"].merge_cells("B2:C2")
    book.save(path)
    with pytest.raises(WorkbookError) as refused:
        LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 2, 3, EMAIL),)))
    assert "Members!C2 is inside merged cells" in str(refused.value)
    assert EMAIL not in str(refused.value)
    with pytest.raises(WorkbookError) as outside:
        LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 0, 3, EMAIL),)))
    assert EMAIL not in str(outside.value)


def test_write_refuses_a_number_excel_cannot_hold(path: Path) -> None:
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="no such number"):
        LocalWorkbook(path).write(TrackerWrite(cells=(CellWrite("Members", 2, 17, float("nan")),)))
    assert path.read_bytes() == before


def test_writing_to_a_missing_workbook_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="braingain init --local"):
        LocalWorkbook(tmp_path / "gone.xlsx").write(TrackerWrite(cells=(CellWrite("Members", 2, 2, "x"),)))


# --------------------------------------------------------------------------------------------
# LibreOffice: the workbook opens in a real spreadsheet program
# --------------------------------------------------------------------------------------------


def libreoffice(tmp_path: Path, source: Path, to: str) -> Path:
    """Convert ``source`` with LibreOffice into a fresh folder; return that folder."""
    assert SOFFICE is not None
    out = tmp_path / f"lo-{to.split(':')[0]}-{source.stem}"
    out.mkdir()
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out


def csv_rows(path: Path) -> Iterator[list[str]]:
    import csv

    with path.open(newline="", encoding="utf-8") as stream:
        yield from csv.reader(stream)


ALL_SHEETS_AS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@needs_libreoffice
def test_libreoffice_opens_a_new_workbook_with_every_tab(tmp_path: Path, path: Path, schema: Schema) -> None:
    out = libreoffice(tmp_path, path, ALL_SHEETS_AS_CSV)
    for tab in schema.tabs:
        rows = list(csv_rows(out / f"tracker-{tab.title}.csv"))
        assert tuple(rows[0]) == tab.headers
    members = list(csv_rows(out / "tracker-Members.csv"))
    assert members[1][0] == "ada.obiora"
    joined = members[1][column_of(schema, "members", "joined") - 1]
    # LibreOffice's CSV gives a date in its own short form, whatever the cell's display format.
    shapes = ("%Y-%m-%d", "%m/%d/%Y", "%a %d %b %Y")
    assert any(_parsed(joined, shape) == date(2025, 1, 15) for shape in shapes)


def _parsed(text: str, shape: str) -> date | None:
    try:
        return datetime.strptime(text, shape).replace(tzinfo=UTC).date()
    except ValueError:
        return None


@needs_libreoffice
def test_libreoffice_keeps_the_dropdowns_names_and_highlights(tmp_path: Path, path: Path) -> None:
    saved = libreoffice(tmp_path, path, "xlsx:Calc MS Excel 2007 XML") / "tracker.xlsx"
    book = load_workbook(saved)
    names = {k: v.attr_text for k, v in book.defined_names.items()}
    assert set(names) == {
        "braingain_member_ids",
        "braingain_projects_ids",
        "braingain_tasks_ids",
        "braingain_meetings_ids",
        "braingain_ledger_ids",
        "braingain_tasks_credit_role",
        "braingain_zones",
    }
    assert {v.formula1 for v in book["Tasks"].data_validations.dataValidation} >= {
        "braingain_member_ids",
        "braingain_tasks_credit_role",
    }
    assert len([r for cf in book["Tasks"].conditional_formatting for r in cf.rules]) == 4
    assert book["_braingain_state"].sheet_state == "hidden"
    assert book["Members"]["A1"].comment is not None


@needs_libreoffice
def test_a_workbook_saved_by_libreoffice_is_read_and_written(
    tmp_path: Path, path: Path, schema: Schema
) -> None:
    saved = libreoffice(tmp_path, path, "xlsx:Calc MS Excel 2007 XML") / "tracker.xlsx"
    workbook = LocalWorkbook(saved)
    snapshot = workbook.read()
    assert snapshot.grids["Members"].values[1][column_of(schema, "members", "joined") - 1] == date(
        2025, 1, 15
    )
    workbook.write(TrackerWrite(cells=(CellWrite("Ledger", 2, 1, "L1"), CellWrite("Members", 2, 17, 3))))
    assert workbook.read().grids["Ledger"].values[1] == ("L1",)
    again = libreoffice(tmp_path, saved, ALL_SHEETS_AS_CSV)
    assert list(csv_rows(again / "tracker-Ledger.csv"))[1][0] == "L1"


@needs_libreoffice
def test_formula_errors_libreoffice_computed_are_read_as_their_text(tmp_path: Path) -> None:
    source = tmp_path / "errors.xlsx"
    book = Workbook()
    book.active.title = "Sums"
    book.active.append(["ID", "Divided", "Missing", "Total"])
    book.active.append(["S1", "=1/0", "=NA()", "=2*3"])
    book.save(source)
    computed = libreoffice(tmp_path, source, "xlsx:Calc MS Excel 2007 XML") / "errors.xlsx"
    workbook = LocalWorkbook(computed)
    assert workbook.read().grids["Sums"].values[1] == ("S1", "#DIV/0!", "#N/A", 6)
    workbook.write(TrackerWrite(cells=(CellWrite("Sums", 3, 1, "S2"),)))
    assert workbook.read().grids["Sums"].values[1] == ("S1", "#DIV/0!", "#N/A", 6)
