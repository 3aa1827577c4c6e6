"""Matching a platform's participants to members: email first, then a folded name."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from braingain.core.errors import InvalidValue
from braingain.core.group import Group
from braingain.core.ids import MemberId
from braingain.core.members import Member
from braingain.core.parsing import normalize_key
from braingain.core.schedule.attendance import (
    _DEGREES,
    _HONORIFICS,
    UNNAMED,
    Attendee,
    match_attendance,
    name_key,
)
from braingain.core.schedule.availability import Weekday
from braingain.core.schedule.meetings import MeetingSeries
from braingain.core.schedule.slots import RecurringSlot
from tests.builders import LONDON, leader, member, project

FIRST = date(2027, 1, 16)  # a Saturday
MEETING = FIRST.isoformat()

LEAD = leader("lead.one", given_names="Adaeze", surname="Okafor")
BELLO = member("tunde.bello", given_names="Tunde", surname="Bello")
NGOZI = member("ngozi.eze", given_names="Ngozí", surname="Eze-Obi")
LEFT = member("gone.before", given_names="Gone", surname="Before", left_on=date(2026, 12, 1))
LATER = member("joins.later", given_names="Joins", surname="Later", joined_on=date(2027, 2, 1))


def group(*people: Member) -> Group:
    everyone = people or (LEAD, BELLO, NGOZI, LEFT, LATER)
    series = MeetingSeries.create(
        id="monthly", slot=RecurringSlot(Weekday.SATURDAY, 14 * 60, 90, LONDON), first=FIRST
    )
    return Group.create("g", members=everyone, projects=[project("sr", lead=everyone[0])], series=series)


def ids(*people: Member) -> frozenset[MemberId]:
    return frozenset(p.id for p in people)


def joined(name: str, email: str | None = None, seconds: int = 3600) -> Attendee:
    return Attendee(name, email, seconds)


def test_a_participant_is_matched_by_email_whatever_name_they_show() -> None:
    found = match_attendance(group(), MEETING, [joined("iPad", "Tunde.Bello@EXAMPLE.org")], excused=set())
    assert found.present == ids(BELLO)
    assert found.unmatched == ()


def test_names_match_across_case_accents_spacing_honorifics_and_last_first_order() -> None:
    attendees = [
        joined("  dr.   ADAEZE okafor (she/her)"),
        joined("Bello, Tunde"),
        joined("Prof Ngozi EZE OBI, PhD"),
    ]
    found = match_attendance(group(), MEETING, attendees, excused=set())
    assert found.present == ids(LEAD, BELLO, NGOZI)
    assert found.absent == frozenset()
    assert found.unmatched == ()


def test_everyone_active_who_did_not_join_and_is_not_excused_is_absent() -> None:
    found = match_attendance(group(), MEETING, [joined("Tunde Bello")], excused={NGOZI.id})
    assert found.present == ids(BELLO)
    assert found.absent == ids(LEAD)  # not Ngozi (excused), nor who left or joins later


def test_an_excused_member_who_joined_stays_excused_as_the_leader_typed() -> None:
    found = match_attendance(group(), MEETING, [joined("Tunde Bello")], excused={BELLO.id})
    assert BELLO.id not in found.present | found.absent


def test_the_same_person_joining_twice_counts_once() -> None:
    attendees = [joined("Tunde Bello", seconds=60), joined("tunde bello", "tunde.bello@example.org")]
    found = match_attendance(group(), MEETING, attendees, excused=set())
    assert found.present == ids(BELLO)
    assert found.unmatched == ()


def test_a_name_that_fits_two_members_is_ambiguous_and_stays_unmatched() -> None:
    twin = member("tunde.bello2", given_names="Tunde", surname="Bello")
    found = match_attendance(group(LEAD, BELLO, twin), MEETING, [joined("Dr Tunde Bello")], excused=set())
    assert found.present == frozenset()
    assert found.absent == ids(LEAD, BELLO, twin)
    assert found.unmatched == ("Dr Tunde Bello",)


def test_unmatched_names_are_listed_once_each_and_never_as_an_email() -> None:
    attendees = [
        joined("iPhone"),
        joined("iPhone", "stranger@elsewhere.org"),
        joined("guest@elsewhere.org", "guest@elsewhere.org"),
        joined("   ", None),
    ]
    found = match_attendance(group(), MEETING, attendees, excused=set())
    assert found.unmatched == ("iPhone", UNNAMED)
    assert not any("@" in name for name in found.unmatched)


def test_a_member_who_has_left_is_not_matched_nor_counted_absent() -> None:
    found = match_attendance(group(), MEETING, [joined("Gone Before")], excused=set())
    assert LEFT.id not in found.present | found.absent
    assert found.unmatched == ("Gone Before",)


def test_a_meeting_the_series_does_not_hold_is_refused_with_its_id() -> None:
    with pytest.raises(InvalidValue, match="2027-01-17"):
        match_attendance(group(), "2027-01-17", [], excused=set())
    with pytest.raises(InvalidValue, match="not a meeting"):
        match_attendance(group(), "next week", [], excused=set())


def test_a_meeting_id_with_its_series_prefix_names_the_same_meeting() -> None:
    found = match_attendance(group(), f"monthly:{MEETING}", [joined("Tunde Bello")], excused=set())
    assert found.present == ids(BELLO)


NAMES = st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=20)


@given(given_names=NAMES, surname=NAMES, title=st.sampled_from(["", "Dr ", "Prof. ", "MRS "]))
def test_a_name_key_ignores_honorifics_case_and_last_first_order(
    given_names: str, surname: str, title: str
) -> None:
    plain = name_key(f"{given_names} {surname}")
    assert name_key(f"{title}{given_names.upper()}  {surname}") == name_key(
        f"{title}{given_names} {surname}".upper()
    )
    # Turned round, the name must not start or end with a word read as a title or a degree ("Mr", "MD").
    words = set(normalize_key(given_names).split()) | set(normalize_key(surname).split())
    if "," not in given_names + surname and not words & (_HONORIFICS | _DEGREES):
        assert name_key(f"{surname}, {given_names}") == plain


@given(
    order=st.permutations([0, 1, 2, 3, 4, 5]),
    excused=st.sets(st.sampled_from([LEAD.id, BELLO.id, NGOZI.id])),
)
def test_present_absent_and_excused_split_the_active_members_whatever_the_join_order(
    order: list[int], excused: set[MemberId]
) -> None:
    pool = [
        joined("Adaeze Okafor"),
        joined("x", "tunde.bello@example.org"),
        joined("Adaeze Okafor"),
        joined("iPhone"),
        joined("Gone Before"),
        joined("iPhone"),
    ]
    found = match_attendance(group(), MEETING, [pool[i] for i in order], excused=excused)
    active = ids(LEAD, BELLO, NGOZI)
    assert found.present | found.absent | excused == active
    assert not found.present & found.absent
    assert not (found.present | found.absent) & excused
    assert found.present == ids(LEAD, BELLO) - excused
    assert sorted(found.unmatched) == ["Gone Before", "iPhone"]
