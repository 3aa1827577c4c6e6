"""A synthetic group of any size, built through the domain API like a real one."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.icmje import AuthorshipPolicy, Confirmation, Output, OutputKind
from braingain.core.authorship.ledger import Ledger
from braingain.core.authorship.tasks import Icmje, Task
from braingain.core.authorship.volunteering import Volunteer
from braingain.core.countries import country
from braingain.core.group import Group
from braingain.core.ids import MemberId, TaskId
from braingain.core.members import Degree, Gender, Member, Role, Sector
from braingain.core.projects import Project, ProjectKind
from braingain.core.schedule.availability import Availability, Unavailability, parse_windows
from braingain.core.tracker.export import group_rows, group_state, state_rows
from braingain.core.tracker.read import Settings
from braingain.core.tracker.schema import Cell, Grid, Snapshot
from braingain.integrations.tracker.schema import load_schema

ZONES = [
    ("NG", "Africa/Lagos"),
    ("GB", "Europe/London"),
    ("US", "America/New_York"),
    ("CA", "America/Toronto"),
    ("CA", "America/Vancouver"),
    ("AU", "Australia/Sydney"),
]
T0 = datetime(2026, 1, 3, 10, tzinfo=UTC)


def synthetic_group(members: int, tasks: int, *, seed: int = 7) -> Group:
    rnd = random.Random(seed)
    people = []
    for i in range(members):
        code, zone = ZONES[i % len(ZONES)]
        people.append(
            Member.create(
                id=f"m{i:05d}",
                given_names=f"Given{i}",
                surname=f"Surname{rnd.randrange(members)}",
                email=f"m{i}@example.org",
                role=Role.LEADER if i < 3 else Role.MEMBER,
                zone=zone,
                country=country(code),
                gender=Gender.FEMALE if i % 3 == 0 else Gender.MALE,
                degrees=(Degree.MBBS,),
                sectors=(Sector.ACADEMIA,),
                joined_on=date(2021, 12, 4),
            )
        )
    leaders = people[:3]
    project = Project.create(id="sr", title="Review", kind=ProjectKind.SYSTEMATIC_REVIEW, lead=leaders[0].id)
    stages = [s.key for s in project.stages]
    ledger = Ledger()
    built: list[Task] = []
    volunteers: list[Volunteer] = []
    for n in range(tasks):
        reviewer = leaders[n % 3]
        t = Task.create(
            id=f"T{n:05d}",
            project=project,
            stage=rnd.choice(stages),
            title=f"Task {n}",
            deliverable="A deliverable",
            acceptance_criteria="Meets the protocol",
            points_worth=rnd.randint(1, 20),
            credit_role=rnd.choice(list(CreditRole)),
            icmje=rnd.choice(list(Icmje)),
            supervisor=reviewer,
            max_volunteers=4,
        )
        start = T0 + timedelta(hours=n)
        t = t.open(by=reviewer, at=start)
        if n % 5 == 4:
            for k, person in enumerate(rnd.sample(people[3:], min(8, len(people) - 3))):
                volunteers.append(Volunteer(TaskId(t.id), person.id, start + timedelta(minutes=k)))
            built.append(t)
            continue
        team = rnd.sample(people[3:], min(rnd.randint(1, 4), len(people) - 3))
        t = t.assign([p.id for p in team], head=team[0].id, by=reviewer, at=start + timedelta(minutes=1))
        t = t.start_work(by=team[0], at=start + timedelta(minutes=2))
        t = t.submit(by=team[0], at=start + timedelta(minutes=3))
        if n % 3 == 0:
            t = t.request_rework(by=reviewer, at=start + timedelta(minutes=4), note="criterion 1")
            t = t.resume(by=team[0], at=start + timedelta(minutes=5))
            t = t.submit(by=team[0], at=start + timedelta(minutes=6))
        t = t.accept(by=reviewer, at=start + timedelta(minutes=7))
        ledger.award(t, by=reviewer)
        built.append(t)
    paper = Output.create(id="paper", project=project, kind=OutputKind.PAPER, title="Paper")
    confirmations = tuple(Confirmation(p.id, paper.id, True, True, T0) for p in people[: members // 2])
    return Group.create(
        "synthetic",
        members=people,
        projects=[project],
        tasks=built,
        outputs=[paper],
        volunteers=tuple(volunteers),
        ledger=ledger,
        confirmations=confirmations,
        policy=AuthorshipPolicy(project_lead_last=True),
    )


WINDOW_TEMPLATES = [
    "Sat 09:00-13:00, Sun 14:00-20:00",
    "Sat 08:00-14:00",
    "Sat 10:00-18:00, Sun 12:00-18:00",
    "Sat 13:00-21:00",
    "Sun 10:00-16:00",
    "Sat 06:30-12:00",
    "Sat 14:00-22:00, Sun 15:00-20:00",
    "Fri 20:00-23:00, Sat 09:00-12:00",
]


def synthetic_availability(members: int, *, seed: int = 11) -> list[Availability]:
    """``members`` people across six zones with varied windows and some dated absences."""
    rnd = random.Random(seed)
    people = []
    start = date(2026, 1, 3)
    for i in range(members):
        _, zone = ZONES[i % len(ZONES)]
        windows = () if i % 9 == 0 else parse_windows(rnd.choice(WINDOW_TEMPLATES))
        away: tuple[Unavailability, ...] = ()
        if i % 4 == 0:
            first = start + timedelta(days=rnd.randrange(180))
            away = (Unavailability(first, first + timedelta(days=rnd.randrange(1, 15)), "on call"),)
        people.append(Availability(MemberId(f"m{i:05d}"), ZoneInfo(zone), windows, away))
    return people


def tracker_snapshot(members: int, tasks: int) -> tuple[Snapshot, Settings]:
    """The synthetic group as a tracker snapshot (every tab, with the sync's memory)."""
    group = synthetic_group(members, tasks)
    rows: dict[str, list[dict[str, Cell]]] = dict(group_rows(group))
    rows["state"] = state_rows(group_state(group))
    schema = load_schema()
    grids = {}
    for tab in schema.tabs:
        header = tuple(c.header for c in tab.columns)
        body = tuple(tuple(row.get(c.key) for c in tab.columns) for row in rows.get(tab.key, ()))
        grids[tab.title] = Grid(tab.title, (header, *body))
    return Snapshot(grids), Settings(name=group.name, policy=group.policy)
