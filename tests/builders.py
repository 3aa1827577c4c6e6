"""Small builders for tests: valid defaults, override only what a test is about."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.tasks import Icmje, Task
from braingain.core.countries import country
from braingain.core.ids import MemberId
from braingain.core.members import Degree, DigestChannel, Gender, Member, Role, Sector
from braingain.core.projects import Project, ProjectKind

LAGOS = ZoneInfo("Africa/Lagos")
LONDON = ZoneInfo("Europe/London")
TORONTO = ZoneInfo("America/Toronto")
NEW_YORK = ZoneInfo("America/New_York")
VANCOUVER = ZoneInfo("America/Vancouver")
SYDNEY = ZoneInfo("Australia/Sydney")
ZONES = (LAGOS, LONDON, TORONTO, NEW_YORK, VANCOUVER, SYDNEY)
"""The case study's zones, and one in the southern hemisphere."""

T0 = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
"""A Saturday morning: the reference instant of the tests."""


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def member(
    id: str = "m.one",
    *,
    role: Role = Role.MEMBER,
    given_names: str | None = None,
    surname: str | None = None,
    zone: str = "Africa/Lagos",
    country_code: str = "NG",
    joined_on: date = date(2021, 12, 4),
    left_on: date | None = None,
    active: bool = True,
) -> Member:
    first, _, last = id.partition(".")
    return Member.create(
        id=id,
        given_names=given_names or first.title(),
        surname=surname or (last or "Member").title(),
        email=f"{id}@example.org",
        role=role,
        zone=zone,
        country=country(country_code),
        gender=Gender.FEMALE,
        degrees=(Degree.MBBS,),
        specialization=None,
        sectors=(Sector.ACADEMIA,),
        joined_on=joined_on,
        left_on=left_on,
        digest_channel=DigestChannel.EMAIL,
        active=active,
    )


def leader(id: str = "lead.one", **kw: object) -> Member:
    return member(id, role=Role.LEADER, **kw)  # type: ignore[arg-type]


def project(id: str = "sr", *, lead: Member | None = None) -> Project:
    return Project.create(
        id=id,
        title="A systematic review",
        kind=ProjectKind.SYSTEMATIC_REVIEW,
        lead=(lead or leader()).id,
    )


def task(
    id: str = "T1",
    *,
    proj: Project | None = None,
    stage: str = "screening",
    points: Decimal | int | str = 10,
    criteria: str = "All records screened twice; conflicts resolved",
    supervisor: Member | None = None,
    role: CreditRole = CreditRole.INVESTIGATION,
    icmje: Icmje = Icmje.DESIGN_ACQUISITION_ANALYSIS,
    max_volunteers: int | None = None,
    due: date | None = None,
) -> Task:
    return Task.create(
        id=id,
        project=proj or project(),
        stage=stage,
        title=f"Task {id}",
        deliverable="A screening log",
        acceptance_criteria=criteria,
        points_worth=points,
        credit_role=role,
        icmje=icmje,
        supervisor=supervisor or leader(),
        max_volunteers=max_volunteers,
        due=due,
    )


def accepted(
    t: Task,
    team: Sequence[Member],
    *,
    by: Member | None = None,
    start: datetime = T0,
    rework: bool = False,
) -> Task:
    """Walk ``t`` from draft to accepted with ``team`` (the first is the head)."""
    boss = by or leader("lead.two")
    t = t.open(by=boss, at=start)
    t = t.assign([m.id for m in team], head=team[0].id, by=boss, at=start + timedelta(hours=1))
    t = t.start_work(by=team[0], at=start + timedelta(hours=2))
    t = t.submit(by=team[0], at=start + timedelta(days=1))
    if rework:
        t = t.request_rework(by=boss, at=start + timedelta(days=2), note="criterion 2 not met")
        t = t.resume(by=team[0], at=start + timedelta(days=3))
        t = t.submit(by=team[0], at=start + timedelta(days=4))
    return t.accept(by=boss, at=start + timedelta(days=5))


def ids(*members: Member) -> list[MemberId]:
    return [m.id for m in members]
