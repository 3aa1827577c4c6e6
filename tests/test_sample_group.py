"""The sample group matches Table 1 of the case study and is internally consistent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest

from braingain.core.authorship.tasks import TaskStatus
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.members import Degree, Gender, Sector
from braingain.sample import PROTOCOL_OUTPUT, SR, sample_group

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def group() -> Group:
    return sample_group(TODAY)


def test_the_sample_has_sixteen_members_and_three_co_leaders(group: Group) -> None:
    assert len(group.members) == 16
    assert len(group.leaders()) == 3


def test_the_sample_follows_table_one_of_the_case_study(group: Group) -> None:
    people = list(group.members.values())
    assert Counter(m.gender for m in people) == {Gender.FEMALE: 6, Gender.MALE: 10}
    assert sum(Degree.MBBS in m.degrees for m in people) == 11
    assert sum(Degree.BDS in m.degrees for m in people) == 5
    assert sum(Degree.PHD in m.degrees for m in people) == 2
    assert sum(any(d.is_masters for d in m.degrees) for m in people) == 10
    assert Counter(m.country.name for m in people if m.country) == {
        "Nigeria": 11,
        "United States": 2,
        "Canada": 2,
        "United Kingdom": 1,
    }
    sectors = Counter(s for m in people for s in m.sectors)
    assert sectors == {Sector.ACADEMIA: 13, Sector.CLINICAL: 11, Sector.GOVERNMENT: 12, Sector.NGO: 2}
    specializations = Counter(m.specialization or "None" for m in people)
    assert specializations["Pediatrics"] == 4
    assert specializations["None"] == 4
    assert specializations["Oral Medicine"] == 2


def test_the_leaders_are_two_phds_abroad_and_one_in_nigeria(group: Group) -> None:
    leaders = group.leaders()
    assert sorted(Degree.PHD in m.degrees for m in leaders) == [False, True, True]
    home = [m for m in leaders if Degree.PHD not in m.degrees]
    assert home[0].country is not None
    assert home[0].country.code == "NG"


def test_the_review_is_well_under_way_and_the_cohort_study_is_starting(group: Group) -> None:
    review = Counter(t.status for t in group.project_tasks(group.project(SR).id))
    assert review[TaskStatus.ACCEPTED] >= 5
    assert review[TaskStatus.IN_PROGRESS] >= 1
    assert review[TaskStatus.OPEN] >= 1
    cohort = Counter(t.status for t in group.project_tasks(group.project("cohort-careers").id))
    assert TaskStatus.ACCEPTED not in cohort


def test_the_sample_ledger_awards_every_accepted_task(group: Group) -> None:
    accepted = sum(t.points for t in group.tasks.values() if t.status is TaskStatus.ACCEPTED)
    awards = sum(e.points for e in group.ledger if e.kind.value == "award")
    assert awards == accepted


def test_the_sample_protocol_has_authors_acknowledgments_and_a_tie_break(group: Group) -> None:
    decision = group.decide(PROTOCOL_OUTPUT)
    assert decision.author_ids[-1] == "ada.obiora"  # the project lead, last as senior author
    assert len(decision.authors) == 6
    assert decision.acknowledged
    assert decision.tie_breaks


def test_the_sample_oversubscribed_task_chooses_within_its_cap(group: Group) -> None:
    chosen = group.selection("SR-T09")
    assert chosen.oversubscribed
    assert len(chosen.selected) == 2


def test_the_sample_is_the_same_whatever_day_it_is_built_on() -> None:
    one = sample_group(date(2026, 1, 10)).decide(PROTOCOL_OUTPUT)
    two = sample_group(date(2029, 6, 2)).decide(PROTOCOL_OUTPUT)
    assert one.author_ids == two.author_ids
    assert one.contribution_statement() == two.contribution_statement()


def test_the_sample_attendance_comes_from_its_meeting_minutes_with_an_excused_absence(group: Group) -> None:
    held = group.attendance_on(datetime.combine(TODAY, time(12), tzinfo=UTC))
    assert set(held) == set(group.members)
    assert held[MemberId("kelechi.nwankwo")].excused == 1
    assert all(a.present + a.absent + a.excused == 5 for a in held.values())


def test_the_sample_series_has_a_cancelled_meeting_and_an_agenda_for_the_next(group: Group) -> None:
    meetings = group.meetings(TODAY + timedelta(weeks=8))
    assert sum(m.status.value == "cancelled" for m in meetings) == 1
    upcoming = next(m for m in meetings if m.start.date() >= TODAY)
    assert len(group.records[upcoming.id].agenda) == 3
