"""`braingain report authorship` on a workbook where three members shared a task equally.

The leader types the cohort protocol task (CS-T01, 10 points) through to accepted with
three contributors; the Ledger tab gets 3.34 / 3.33 / 3.33 (the odd cent by member id).
The report then shows the three tied, ordered by the documented tie-break, in text
and JSON, with CRediT "equal" for each.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from braingain.integrations.cli import EXIT_OK, main
from tests.integrations.test_cli_local import TODAY, run
from tests.integrations.test_cli_local import tracker as tracker  # the fixture: a sample workbook

TRIO = ["funmi.lawani", "osas.igbinoba", "zainab.musawa"]
REPORT = ["report", "authorship", "cohort-careers", "--output", "cs-protocol"]


def set_cells(workbook: Path, tab: str, ident: str | None, values: dict[str, object]) -> None:
    """Type ``values`` (by header) into the row of ``ident``, or into a new row if ``ident`` is None."""
    book = openpyxl.load_workbook(workbook)
    sheet = book[tab]
    header = [c.value for c in sheet[1]]
    if ident is None:
        row = sheet.max_row + 1
    else:
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == ident)
    for name, value in values.items():
        sheet.cell(row, header.index(name) + 1, value)
    book.save(workbook)


@pytest.fixture
def equal_shares(tracker: Path) -> Path:
    """The sample workbook after a leader accepted CS-T01 from three equal contributors."""
    workbook = tracker.parent / "tracker.xlsx"
    set_cells(
        workbook,
        "Outputs",
        None,
        {
            "ID": "cs-protocol",
            "Project": "cohort-careers",
            "Kind": "protocol",
            "Title": "Protocol: career intentions of early-career doctors",
            "Stages counted": "protocol",
            "Approved the final version": "; ".join(TRIO),
            "Agreed to be accountable": "; ".join(TRIO),
            "Leader evidence": "\n".join(f"{m}; 2; Revised the protocol draft; tunde.bakare" for m in TRIO),
        },
    )
    steps = [("in progress", "tunde.bakare"), ("submitted", "osas.igbinoba"), ("accepted", "tunde.bakare")]
    for status, by in steps:
        set_cells(
            workbook,
            "Tasks",
            "CS-T01",
            {
                "Contributors": "; ".join(TRIO),
                "Mini-team head": "osas.igbinoba",
                "Status": status,
                "Status changed by": by,
            },
        )
        assert main(["sync", "--config", str(tracker), *TODAY]) == EXIT_OK
    return tracker


def test_the_report_shows_equal_shares_tied_and_the_tie_break_that_ordered_them(
    equal_shares: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, out, _ = run(capsys, *REPORT, "--config", str(equal_shares), *TODAY)
    assert code == EXIT_OK
    order = out[out.index("Author order") : out.index("Tie-breaks")].splitlines()[3:6]
    assert [line.split() for line in order] == [
        ["1", "Osaretin", "Igbinoba", "3.33", "33.3%", "tie-break"],
        ["2", "Funmilayo", "Lawani", "3.34", "33.3%", "tie-break"],
        ["3", "Zainab", "Musawa", "3.33", "33.3%", "tie-break"],
    ]
    assert (
        "- Osaretin Igbinoba before Funmilayo Lawani: tied on points (3.33 and 3.34 as shown: equal before "
        "rounding to the cent); order by surname in alphabetical order"
    ) in out
    assert "Funmilayo Lawani: Methodology (equal)." in out
    assert "(lead)" not in out.split("CRediT contribution statement")[-1]


def test_the_json_report_says_who_is_tied_with_whom_and_how_they_were_placed(
    equal_shares: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, out, _ = run(capsys, *REPORT, "--config", str(equal_shares), *TODAY, "--format", "json")
    assert code == EXIT_OK
    (decision,) = json.loads(out)["outputs"]
    assert [
        (a["member"], a["points"], a["share"], a["placed"], a["tied_with"]) for a in decision["authors"]
    ] == [
        ("osas.igbinoba", "3.33", "0.3333", "tie-break", ["funmi.lawani", "zainab.musawa"]),
        ("funmi.lawani", "3.34", "0.3333", "tie-break", ["osas.igbinoba", "zainab.musawa"]),
        ("zainab.musawa", "3.33", "0.3333", "tie-break", ["osas.igbinoba", "funmi.lawani"]),
    ]
    assert {r["degree"] for a in decision["authors"] for r in a["roles"]} == {"equal"}
    assert len(decision["tie_breaks"]) == 2
    assert all("order by surname in alphabetical order" in line for line in decision["tie_breaks"])


def test_the_points_table_gives_equal_shares_the_same_rank(
    equal_shares: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, out, _ = run(
        capsys, "report", "authorship", "cohort-careers", "--config", str(equal_shares), *TODAY
    )
    assert code == EXIT_OK
    table = out[out.index("Points table") : out.index("Authorship:")].splitlines()[4:7]
    assert [(line.split()[0], line.split()[-2]) for line in table] == [
        ("1", "3.34"),
        ("1", "3.33"),
        ("1", "3.33"),
    ]
