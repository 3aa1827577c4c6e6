"""The outputs record with its yearly summary, and participation per period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from braingain.core.authorship.icmje import ApcWaiver, Output, OutputKind, OutputStatus
from braingain.core.authorship.ledger import Ledger
from braingain.core.authorship.volunteering import Attendance
from braingain.core.group import Group
from braingain.core.reports.participation import Period, participation
from braingain.core.reports.record import record
from braingain.core.schedule.availability import Availability, Unavailability, Weekday
from braingain.core.schedule.meetings import Cadence, MeetingRecord, MeetingSeries, Presence
from braingain.core.schedule.slots import RecurringSlot
from tests.builders import accepted, leader, member, project, task

LEAD, ADA, BEN = leader("lead.one"), member("ada.a"), member("ben.b")
PROJECT = project("sr", lead=LEAD)


def output(ident: str, kind: OutputKind, status: OutputStatus, on: date | None, **kw: object) -> Output:
    return Output.create(id=ident, project=PROJECT, kind=kind, title=f"Title {ident}", status=status,
                         status_on=on, **kw)  # type: ignore[arg-type]  # fmt: skip


CASE_OUTPUTS = [
    output("protocol", OutputKind.PROTOCOL, OutputStatus.REGISTERED, date(2022, 3, 1), venue="PROSPERO",
           identifier="CRD42022300000"),
    output("protocol-paper", OutputKind.PROTOCOL, OutputStatus.PUBLISHED, date(2022, 9, 1), venue="BMJ Open",
           apc_waiver=ApcWaiver.GRANTED),
    output("review", OutputKind.PAPER, OutputStatus.PUBLISHED, date(2024, 2, 1), venue="BMJ Global Health",
           apc_waiver=ApcWaiver.GRANTED),
    output("abstract", OutputKind.ABSTRACT, OutputStatus.PRESENTED, date(2023, 8, 20)),
    output("grant", OutputKind.GRANT, OutputStatus.SUBMITTED, date(2024, 1, 10), venue="A funder"),
    output("talk", OutputKind.PRESENTATION, OutputStatus.PRESENTED, None),
    output("draft", OutputKind.PAPER, OutputStatus.IN_PROGRESS, None, apc_waiver=ApcWaiver.REQUESTED),
]  # fmt: skip


def test_the_record_lists_every_output_in_its_section_dated_first_and_undated_ones_never_dropped() -> None:
    found = record(reversed(CASE_OUTPUTS))
    assert [(s.title, [o.id for o in s.outputs]) for s in found.sections] == [
        ("Protocols and their registration", ["protocol", "protocol-paper"]),
        ("Publications", ["review", "draft"]),
        ("Abstracts and presentations", ["abstract", "talk"]),
        ("Grants", ["grant"]),
    ]
    assert [o.id for o in found.waivers] == ["protocol-paper", "review", "draft"]
    assert found.sections[0].outputs[0].identifier == "CRD42022300000"


def test_the_yearly_summary_counts_achieved_outputs_and_granted_waivers_with_every_year_between() -> None:
    found = record(CASE_OUTPUTS)
    years = {y.year: ({k.value: n for k, n in y.achieved if n}, y.waivers_granted) for y in found.years}
    assert years == {
        2022: ({"protocol": 2}, 1),
        2023: ({"abstract": 1}, 0),
        2024: ({"paper": 1}, 1),  # the grant was only applied for: not achieved
    }
    assert found.undated is not None
    assert (found.undated.total, dict(found.undated.achieved)[OutputKind.PRESENTATION]) == (1, 1)
    gap = record([CASE_OUTPUTS[0], CASE_OUTPUTS[2]])
    assert [(y.year, y.total) for y in gap.years] == [(2022, 1), (2023, 0), (2024, 1)]
    assert gap.undated is None


def test_no_outputs_is_an_empty_record() -> None:
    found = record([])
    assert found.empty
    assert found.years == ()
    assert found.undated is None
    assert found.waivers == ()


SLOT = RecurringSlot(Weekday.SATURDAY, 14 * 60, 60, ZoneInfo("Africa/Lagos"))
FIRST = date(2026, 1, 3)


def meeting_group(**kw: object) -> Group:
    series = MeetingSeries.create(id="s", slot=SLOT, first=FIRST, cadence=Cadence(4, 4, 0))
    days = series.planned_dates(date(2026, 12, 31))
    marks = {
        days[0]: {ADA.id: Presence.PRESENT, BEN.id: Presence.ABSENT},  # January
        days[1]: {ADA.id: Presence.PRESENT, BEN.id: Presence.EXCUSED},  # January 31
        days[6]: {ADA.id: Presence.ABSENT, BEN.id: Presence.ABSENT},  # June
    }
    records = [
        MeetingRecord(series.meeting_id(d)).record_minutes(minutes="Notes", attendance=who, by=LEAD)
        for d, who in marks.items()
    ]
    return Group.create("g", members=[LEAD, ADA, BEN], projects=[PROJECT], series=series, records=records,
                        **kw)  # type: ignore[arg-type]  # fmt: skip


NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_attendance_per_quarter_excused_absences_count_neither_for_nor_against() -> None:
    rows = participation(meeting_group(), now=NOW).rows
    assert [r.label for r in rows] == ["Q1 2026", "Q2 2026"]
    assert rows[0].attendance == Attendance(present=2, absent=1, excused=1)
    assert (rows[0].meetings, rows[0].rate_percent) == (2, Decimal("66.7"))
    assert (rows[1].attendance, rows[1].rate_percent) == (Attendance(absent=2), Decimal("0.0"))


def test_an_absence_on_a_declared_unavailable_day_is_excused() -> None:
    series_days = MeetingSeries.create(id="s", slot=SLOT, first=FIRST, cadence=Cadence(4, 4, 0))
    away = Availability(BEN.id, BEN.zone, unavailable=(Unavailability(FIRST, FIRST, "travel"),))
    rows = participation(meeting_group(availability=[away]), now=NOW).rows
    assert series_days.planned_dates(FIRST)[0] == FIRST
    assert rows[0].attendance == Attendance(present=2, absent=0, excused=2)
    assert rows[0].rate_percent == Decimal("100.0")


def test_months_between_the_first_and_last_activity_are_listed_as_zeros() -> None:
    rows = participation(meeting_group(), now=NOW, period=Period.MONTH).rows
    months = ["January", "February", "March", "April", "May", "June"]
    assert [r.label for r in rows] == [f"{m} 2026" for m in months]
    quiet = rows[2]
    assert (quiet.meetings, quiet.attendance, quiet.rate, quiet.tasks_completed, quiet.points) == (
        0, Attendance(), None, 0, Decimal("0.00"),
    )  # fmt: skip
    assert [r.label for r in participation(meeting_group(), now=NOW, period=Period.YEAR).rows] == ["2026"]


def test_tasks_completed_and_points_awarded_per_period_corrections_counted_when_recorded() -> None:
    start = datetime(2025, 12, 20, 9, tzinfo=UTC)
    one = accepted(task("T1", proj=PROJECT, points=10, supervisor=LEAD), [ADA, BEN], by=LEAD, start=start)
    two = accepted(task("T2", proj=PROJECT, points=4, supervisor=LEAD), [ADA], by=LEAD,
                   start=datetime(2026, 5, 1, tzinfo=UTC))  # fmt: skip
    ledger = Ledger()
    ledger.award(one, by=LEAD)
    ledger.award(two, by=LEAD)
    ledger.adjust(member=BEN.id, project=PROJECT.id, amount="-1.5", reason="double counted", by=LEAD,
                  at=datetime(2026, 7, 2, tzinfo=UTC))  # fmt: skip
    group = Group.create("g", members=[LEAD, ADA, BEN], projects=[PROJECT], tasks=[one, two], ledger=ledger)
    rows = participation(group, now=NOW).rows
    assert [(r.label, r.tasks_completed, r.points) for r in rows] == [
        ("Q4 2025", 1, Decimal("10.00")),  # accepted on 25 December 2025
        ("Q1 2026", 0, Decimal("0.00")),
        ("Q2 2026", 1, Decimal("4.00")),
        ("Q3 2026", 0, Decimal("-1.50")),
    ]
    assert all(r.rate is None and r.rate_percent is None for r in rows)


def test_attendance_counted_before_meetings_were_tracked_is_given_apart_not_dropped() -> None:
    group = Group.create(
        "g", members=[LEAD, ADA], projects=[PROJECT], attendance={ADA.id: Attendance(3, 1, 2)}
    )
    found = participation(group, now=NOW)
    assert found.rows == ()
    assert found.earlier == Attendance(3, 1, 2)
    assert not found.empty


def test_a_group_with_no_activity_has_no_periods() -> None:
    found = participation(Group.create("g", members=[LEAD], projects=[PROJECT]), now=NOW)
    assert found.empty
    assert found.rows == ()


@pytest.mark.parametrize("period", list(Period))
def test_each_period_ends_where_the_next_begins(period: Period) -> None:
    start = period.start_of(date(2026, 11, 30))
    after = period.after(start)
    assert period.start_of(after - timedelta(days=1)) == start
    assert period.start_of(after) == after


def test_an_undated_output_still_in_progress_is_listed_but_makes_no_undated_summary_row() -> None:
    draft = output("draft-2", OutputKind.PAPER, OutputStatus.IN_PROGRESS, None)
    found = record([draft])
    assert [o.id for o in found.sections[1].outputs] == ["draft-2"]
    assert found.undated is None
    published = output("old-paper", OutputKind.PAPER, OutputStatus.PUBLISHED, None)
    assert record([draft, published]).undated is not None
    waived = output("waived", OutputKind.PAPER, OutputStatus.SUBMITTED, None, apc_waiver=ApcWaiver.GRANTED)
    row = record([draft, waived]).undated
    assert row is not None
    assert (row.total, row.waivers_granted) == (0, 1)


def test_an_output_counts_in_the_year_of_its_day_at_either_end_of_the_year() -> None:
    found = record(
        [
            output("new-year", OutputKind.PAPER, OutputStatus.PUBLISHED, date(2024, 1, 1)),
            output("year-end", OutputKind.ABSTRACT, OutputStatus.PRESENTED, date(2024, 12, 31)),
            output("next", OutputKind.GRANT, OutputStatus.AWARDED, date(2025, 1, 1)),
        ]
    )
    assert [(y.year, y.total) for y in found.years] == [(2024, 2), (2025, 1)]
