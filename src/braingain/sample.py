"""The sample group used by ``make demo``, the docs and the tests.

Sixteen invented members (never real people) in the proportions of Table 1 of the
case study: 6 women and 10 men; 11 MBBS and 5 BDS; 2 PhDs and 10 master's degrees;
11 in Nigeria, 2 in the United States, 2 in Canada and 1 in the United Kingdom;
13 in academia, 11 in clinical practice, 12 in government, 2 in NGOs; and the
table's clinical specializations. (Table 1 lists six dental specializations for
five BDS graduates; the sample keeps every count, so one MBBS member carries the
sixth.) Three co-leaders: two PhDs abroad and one in Nigeria completing a master's
in health policy.

A systematic review is well under way and a mixed-methods cohort study is starting.
Every date is relative to ``today`` so that the demo always looks current.

What a journal asks of each author: fourteen members have an ORCID iD (Josiah Carberry's
0000-0002-1825-0097, ORCID's own fictional example, and others below the block ORCID issues
from, 0000-0001-5000-0007, so that none is a real person's record); everyone has affiliations
in Nigeria, the United Kingdom, the United States or Canada (a department first for most;
two members share one). The outputs record follows the case study's as far as the sample's
review has come: the protocol registered on PROSPERO, then published in BMJ Open with its
article-processing charge waived; an abstract presented at the University of Benin College of
Medicine's scientific conference; the review itself written for BMJ Global Health; and a
grant application for the cohort study.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from braingain.core.authorship.credit import CreditRole
from braingain.core.authorship.disputes import raise_dispute
from braingain.core.authorship.icmje import (
    ApcWaiver,
    AuthorshipPolicy,
    Confirmation,
    Criterion,
    LeaderEvidence,
    Output,
    OutputKind,
    OutputStatus,
)
from braingain.core.authorship.ledger import Ledger
from braingain.core.authorship.tasks import Icmje, Task
from braingain.core.authorship.volunteering import Volunteer
from braingain.core.countries import country
from braingain.core.group import Group
from braingain.core.ids import EntryId, MemberId, OutputId, TaskId
from braingain.core.members import Degree, DigestChannel, Gender, Member, Role, Sector
from braingain.core.projects import Milestone, Project, ProjectKind
from braingain.core.schedule.availability import Availability, Unavailability, Weekday, parse_windows
from braingain.core.schedule.meetings import (
    ActionItem,
    ActionStatus,
    MeetingRecord,
    MeetingSeries,
    MeetingStatus,
    Presence,
)
from braingain.core.schedule.slots import RecurringSlot
from braingain.core.scholarly import affiliations

A, C, G, N = Sector.ACADEMIA, Sector.CLINICAL, Sector.GOVERNMENT, Sector.NGO
F, M = Gender.FEMALE, Gender.MALE

# id, given names, surname, gender, country, zone, role, degrees, specialization, sectors, slack id
_PEOPLE: list[tuple[str, str, str, Gender, str, str, Role, tuple[Degree, ...], str | None, tuple[Sector, ...], str | None]] = [
    ("ada.obiora", "Adaeze", "Obiora", F, "GB", "Europe/London", Role.LEADER, (Degree.MBBS, Degree.PHD), "Pediatrics", (A, C), "U01ADAOBI"),
    ("tunde.bakare", "Olatunde", "Bakare", M, "US", "America/New_York", Role.LEADER, (Degree.MBBS, Degree.PHD, Degree.MPH), None, (A, N), "U01TUNDEB"),
    ("efe.ighodalo", "Efe", "Ighodalo", M, "NG", "Africa/Lagos", Role.LEADER, (Degree.MBBS, Degree.MHPM), "Pediatrics", (A, C, G), "U01EFEIGH"),
    ("osas.igbinoba", "Osaretin", "Igbinoba", M, "NG", "Africa/Lagos", Role.MEMBER, (Degree.BDS, Degree.MPH), "Community Dentistry", (A, C, G), "U02OSASIG"),
    ("ngozi.ukpebor", "Ngozi", "Ukpebor", F, "NG", "Africa/Lagos", Role.MEMBER, (Degree.BDS,), "Oral Medicine", (A, C, G), None),
    ("uyi.omoregbe", "Uyiosa", "Omoregbe", M, "NG", "Africa/Lagos", Role.MEMBER, (Degree.BDS, Degree.MSC), "Oral Medicine", (A, C, G), "U02UYIOMO"),
    ("ivie.osagiede", "Ivie", "Osagiede", F, "CA", "America/Toronto", Role.MEMBER, (Degree.BDS, Degree.MPH), "Oral Pathology", (A,), "U02IVIEOS"),
    ("kelechi.nwankwo", "Kelechi", "Nwankwo", M, "NG", "Africa/Lagos", Role.MEMBER, (Degree.BDS,), "Restorative Dentistry", (C, G), None),
    ("amara.okorafor", "Amarachi", "Okorafor", F, "NG", "Africa/Lagos", Role.MEMBER, (Degree.MBBS, Degree.MPH), "Pediatrics", (A, C, G), "U02AMARAO"),
    ("segun.adeyemo", "Olusegun", "Adeyemo", M, "NG", "Africa/Lagos", Role.MEMBER, (Degree.MBBS,), "Obstetrics and Gynecology", (A, C, G), None),
    ("ehi.aigbekaen", "Ehimare", "Aigbekaen", M, "NG", "Africa/Lagos", Role.MEMBER, (Degree.MBBS, Degree.MSC), "Orthopedic Surgery", (A, C, G), "U02EHIAIG"),
    ("funmi.lawani", "Funmilayo", "Lawani", F, "US", "America/Chicago", Role.MEMBER, (Degree.MBBS, Degree.MPH), "Pediatrics", (A, C), "U02FUNMIL"),
    ("ose.idahor", "Osemwegie", "Idahor", M, "NG", "Africa/Lagos", Role.MEMBER, (Degree.MBBS,), "Preventive Dentistry", (G, N), None),
    ("tobi.akinwale", "Tobiloba", "Akinwale", M, "CA", "America/Vancouver", Role.MEMBER, (Degree.MBBS, Degree.MPH), None, (G,), "U02TOBIAK"),
    ("chidi.okekearu", "Chidiebere", "Okekearu", M, "NG", "Africa/Lagos", Role.MEMBER, (Degree.MBBS,), None, (A, C, G), None),
    ("zainab.musawa", "Zainab", "Musawa", F, "NG", "Africa/Lagos", Role.MEMBER, (Degree.MBBS, Degree.MPH), None, (A, G), "U02ZAINAB"),
]  # fmt: skip

SR = "sr-migration"
COHORT = "cohort-careers"
PROTOCOL_OUTPUT = OutputId("sr-protocol")
PAPER_OUTPUT = OutputId("sr-paper")
REGISTRATION_OUTPUT = OutputId("sr-prospero")
ABSTRACT_OUTPUT = OutputId("sr-abstract")
GRANT_OUTPUT = OutputId("cs-grant")

_UBTH = "University of Benin Teaching Hospital, Benin City, Nigeria"
_SCHOLARLY: dict[str, tuple[str | None, str]] = {
    "ada.obiora": ("0000-0002-1825-0097", "UCL Great Ormond Street Institute of Child Health, University College London, London, UK"),
    "tunde.bakare": ("0000-0001-0442-3236", "Department of Epidemiology, Columbia University Mailman School of Public Health, New York, NY, USA"),
    "efe.ighodalo": ("0000-0001-0221-8343", f"Department of Child Health, {_UBTH}; School of Medicine, College of Medical Sciences, University of Benin, Benin City, Nigeria"),
    "osas.igbinoba": ("0000-0001-0062-9042", f"Department of Preventive and Community Dentistry, {_UBTH}"),
    "ngozi.ukpebor": ("0000-0001-0214-7629", f"Department of Oral Medicine, {_UBTH}"),
    "uyi.omoregbe": ("0000-0001-0453-7890", f"Department of Oral Medicine, {_UBTH}"),
    "ivie.osagiede": ("0000-0001-0656-5158", "Faculty of Dentistry, University of Toronto, Toronto, ON, Canada"),
    "kelechi.nwankwo": (None, "Department of Restorative Dentistry, Lagos University Teaching Hospital, Lagos, Nigeria"),
    "amara.okorafor": ("0000-0001-0947-8922", "Department of Paediatrics, University of Nigeria Teaching Hospital, Enugu, Nigeria"),
    "segun.adeyemo": ("0000-0001-0778-2437", "Department of Obstetrics and Gynaecology, Irrua Specialist Teaching Hospital, Irrua, Edo State, Nigeria"),
    "ehi.aigbekaen": ("0000-0001-0285-4577", "National Orthopaedic Hospital, Igbobi, Lagos, Nigeria"),
    "funmi.lawani": ("0000-0001-0494-6299", "Department of Pediatrics, Northwestern University Feinberg School of Medicine, Chicago, IL, USA"),
    "ose.idahor": (None, "Edo State Primary Health Care Development Agency, Benin City, Nigeria"),
    "tobi.akinwale": ("0000-0001-0001-307X", "BC Centre for Disease Control, Vancouver, BC, Canada"),
    "chidi.okekearu": ("0000-0001-0783-9333", "Delta State University Teaching Hospital, Oghara, Nigeria"),
    "zainab.musawa": ("0000-0001-0521-6765", "Department of Community Medicine, Ahmadu Bello University, Zaria, Nigeria"),
}  # fmt: skip
"""Each member's ORCID iD (``None``: they have none yet) and affiliations, as typed on the Members tab."""


def sample_members(today: date) -> list[Member]:
    joined = today - timedelta(days=700)
    return [
        Member.create(
            id=mid,
            given_names=given,
            surname=surname,
            email=f"{mid}@example.org",
            role=role,
            zone=zone,
            country=country(code),
            gender=gender,
            degrees=degrees,
            specialization=spec,
            sectors=sectors,
            joined_on=joined,
            slack_user_id=slack,
            digest_channel=DigestChannel.SLACK if slack else DigestChannel.EMAIL,
            orcid=_SCHOLARLY[mid][0],
            affiliations=affiliations(_SCHOLARLY[mid][1]),
        )
        for mid, given, surname, gender, code, zone, role, degrees, spec, sectors, slack in _PEOPLE
    ]


def sample_group(today: date) -> Group:
    """The sample group as it stands on ``today``."""

    def at(days: int, hour: int = 12) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=UTC)

    def day(days: int) -> date:
        return today + timedelta(days=days)

    members = sample_members(today)
    who = {m.id: m for m in members}

    def m(mid: str) -> Member:
        return who[MemberId(mid)]

    ada, tunde, efe = m("ada.obiora"), m("tunde.bakare"), m("efe.ighodalo")
    review = Project.create(
        id=SR,
        title="Drivers of health worker migration from low- and middle-income countries: a systematic review",
        kind=ProjectKind.SYSTEMATIC_REVIEW,
        lead=ada.id,
        start=day(-300),
        end=day(120),
        milestones=(
            Milestone("Protocol registered", day(-240), "protocol"),
            Milestone("Searches exported", day(-170), "searches"),
            Milestone("Full texts reviewed", day(20), "full-text"),
            Milestone("Manuscript submitted", day(120), "submission"),
        ),
    )
    cohort = Project.create(
        id=COHORT,
        title="Career intentions of early-career doctors in Nigeria: a mixed-methods cohort study",
        kind=ProjectKind.MIXED_METHODS,
        lead=tunde.id,
        start=day(-10),
        end=day(420),
        milestones=(
            Milestone("Protocol approved", day(45), "protocol"),
            Milestone("Ethics approval", day(100), "ethics"),
        ),
    )

    def task(
        tid: str,
        project: Project,
        stage: str,
        title: str,
        worth: int,
        role: CreditRole,
        icmje: Icmje,
        *,
        due: date,
        start: date | None = None,
        max_volunteers: int | None = None,
        supervisor: Member = ada,
        criteria: str = "Complete, follows the protocol and the group's template; checked by the head first",
    ) -> Task:
        return Task.create(
            id=tid,
            project=project,
            stage=stage,
            title=title,
            deliverable=f"{title} (shared in the project folder)",
            acceptance_criteria=criteria,
            points_worth=worth,
            credit_role=role,
            icmje=icmje,
            supervisor=supervisor,
            max_volunteers=max_volunteers,
            start=start,
            due=due,
        )

    def run(t: Task, team: list[str], *, opened: int, done: int | None, reviewer: Member,
            rework: bool = False, late: bool = False, shares: dict[str, str] | None = None) -> Task:  # fmt: skip
        """Walk a task through its lifecycle, the way the group did."""
        head = m(team[0])
        t = t.open(by=ada if t.supervisor == ada.id else m(t.supervisor), at=at(opened))
        t = t.assign([MemberId(x) for x in team], head=head.id, by=reviewer, at=at(opened + 3))
        if shares:
            t = t.with_shares({MemberId(k): Decimal(v) for k, v in shares.items()}, by=reviewer)
        t = t.start_work(by=head, at=at(opened + 4))
        if done is None:
            return t
        submitted = done + (5 if late else -2)
        t = t.submit(by=head, at=at(submitted))
        if rework:
            t = t.request_rework(
                by=reviewer, at=at(submitted + 2), note="Two criteria not yet met; see comments"
            )
            t = t.resume(by=head, at=at(submitted + 3))
            t = t.submit(by=head, at=at(submitted + 8))
            submitted += 8
        return t.accept(by=reviewer, at=at(submitted + 2))

    pr, ss, se = "protocol", "search-strategy", "searches"
    tasks = [
        run(task("SR-T01", review, pr, "Frame the review question (PICO)", 6, CreditRole.CONCEPTUALIZATION,
                 Icmje.DESIGN_ACQUISITION_ANALYSIS, start=day(-295), due=day(-275)),
            ["efe.ighodalo", "ada.obiora"], opened=-295, done=-275, reviewer=tunde),
        run(task("SR-T02", review, pr, "Write the review protocol", 10, CreditRole.WRITING_ORIGINAL_DRAFT,
                 Icmje.DRAFTING_OR_REVISION, max_volunteers=3, start=day(-280), due=day(-255)),
            ["amara.okorafor", "zainab.musawa", "osas.igbinoba"], opened=-280, done=-255, reviewer=ada,
            rework=True, shares={"amara.okorafor": "2", "zainab.musawa": "1", "osas.igbinoba": "1"}),
        run(task("SR-T03", review, pr, "Register the protocol on PROSPERO", 2, CreditRole.PROJECT_ADMINISTRATION,
                 Icmje.NONE, start=day(-250), due=day(-240)),
            ["efe.ighodalo"], opened=-250, done=-240, reviewer=ada),
        run(task("SR-T04", review, ss, "Build and peer-review the search strategy", 8, CreditRole.METHODOLOGY,
                 Icmje.DESIGN_ACQUISITION_ANALYSIS, max_volunteers=3, start=day(-235), due=day(-200)),
            ["funmi.lawani", "ivie.osagiede", "tunde.bakare"], opened=-235, done=-200, reviewer=ada),
        run(task("SR-T12", review, pr, "Critically revise the protocol draft", 4, CreditRole.WRITING_REVIEW_EDITING,
                 Icmje.DRAFTING_OR_REVISION, max_volunteers=5, start=day(-258), due=day(-246)),
            ["ehi.aigbekaen", "segun.adeyemo", "ivie.osagiede", "funmi.lawani", "efe.ighodalo"],
            opened=-258, done=-246, reviewer=ada),
        run(task("SR-T05", review, se, "Run the searches in four databases and export", 6, CreditRole.INVESTIGATION,
                 Icmje.DESIGN_ACQUISITION_ANALYSIS, max_volunteers=3, start=day(-195), due=day(-170)),
            ["tobi.akinwale", "funmi.lawani", "segun.adeyemo"], opened=-195, done=-170, reviewer=tunde),
        run(task("SR-T06", review, "screening", "Title and abstract screening, batch 1", 12, CreditRole.INVESTIGATION,
                 Icmje.DESIGN_ACQUISITION_ANALYSIS, max_volunteers=4, start=day(-165), due=day(-120), supervisor=efe),
            ["uyi.omoregbe", "ngozi.ukpebor", "kelechi.nwankwo", "chidi.okekearu"], opened=-165, done=-120,
            reviewer=efe, rework=True),
        run(task("SR-T07", review, "screening", "Title and abstract screening, batch 2", 12, CreditRole.INVESTIGATION,
                 Icmje.DESIGN_ACQUISITION_ANALYSIS, max_volunteers=4, start=day(-165), due=day(-120), supervisor=efe),
            ["ivie.osagiede", "ehi.aigbekaen", "ose.idahor", "zainab.musawa"], opened=-165, done=-120,
            reviewer=efe, late=True),
        run(task("SR-T08", review, "full-text", "Full-text review against the eligibility criteria", 15,
                 CreditRole.INVESTIGATION, Icmje.DESIGN_ACQUISITION_ANALYSIS, max_volunteers=4, start=day(-100), due=day(18)),
            ["amara.okorafor", "uyi.omoregbe", "ngozi.ukpebor", "tobi.akinwale"], opened=-100, done=None,
            reviewer=ada),
    ]  # fmt: skip
    extraction = task(
        "SR-T09", review, "extraction", "Design and pilot the data extraction form", 8, CreditRole.DATA_CURATION,
        Icmje.DESIGN_ACQUISITION_ANALYSIS, max_volunteers=2, start=day(-3), due=day(40),
        criteria="Form covers every outcome in the protocol; piloted on 5 included studies; agreement >= 80%",
    ).open(by=ada, at=at(-6))  # fmt: skip
    tasks += [
        extraction,
        task("SR-T10", review, "risk-of-bias", "Assess risk of bias (JBI checklists)", 10, CreditRole.FORMAL_ANALYSIS,
             Icmje.DESIGN_ACQUISITION_ANALYSIS, max_volunteers=3, start=day(35), due=day(70), criteria=""),
        task("SR-T11", review, "drafting", "Draft the introduction and methods", 10, CreditRole.WRITING_ORIGINAL_DRAFT,
             Icmje.DRAFTING_OR_REVISION, max_volunteers=3, start=day(60), due=day(95)),
        task("CS-T01", cohort, "protocol", "Draft the cohort study protocol", 10, CreditRole.METHODOLOGY,
             Icmje.DESIGN_ACQUISITION_ANALYSIS, max_volunteers=3, start=day(-3), due=day(40), supervisor=tunde).open(by=tunde, at=at(-5)),
        task("CS-T02", cohort, "ethics", "Prepare the ethics application", 6, CreditRole.PROJECT_ADMINISTRATION,
             Icmje.NONE, max_volunteers=2, start=day(35), due=day(95), supervisor=efe),
    ]  # fmt: skip
    volunteers = tuple(
        [
            Volunteer(TaskId("SR-T09"), MemberId(mid), at(-6 + i, 9 + i))
            for i, mid in enumerate(
                ["kelechi.nwankwo", "zainab.musawa", "chidi.okekearu", "ose.idahor", "ehi.aigbekaen"]
            )
        ]
        + [
            Volunteer(TaskId("CS-T01"), MemberId(mid), at(-4, 10 + i))
            for i, mid in enumerate(["funmi.lawani", "osas.igbinoba"])
        ]
    )

    ledger = Ledger()
    for t in sorted((t for t in tasks if t.accepted_at), key=lambda t: (t.accepted_at, t.id)):
        ledger.award(t, by=m("efe.ighodalo") if t.supervisor == efe.id else ada)

    zainab, ehi = m("zainab.musawa"), m("ehi.aigbekaen")
    upheld = raise_dispute(
        id="D-001", member=ehi, ledger=ledger, entry=EntryId("award:SR-T12:ehi.aigbekaen"), at=at(-240),
        reason="I revised two sections; an equal split undervalues that",
    ).uphold(by=efe, at=at(-236), note="The task was agreed as an equal split among five reviewers")  # fmt: skip
    adjusted, _ = raise_dispute(
        id="D-002", member=zainab, ledger=ledger, task=TaskId("SR-T02"), at=at(-230),
        reason="I drafted the whole methods section, which the 2:1:1 shares do not reflect",
    ).adjust(ledger=ledger, amount="1.00", by=tunde, at=at(-225),
             note="Agreed: methods section drafted alone; one extra point")  # fmt: skip
    still_open = raise_dispute(
        id="D-003", member=m("osas.igbinoba"), ledger=ledger, task=TaskId("SR-T02"), at=at(-3),
        reason="My share of the protocol task seems low",
    )  # fmt: skip

    registration = Output.create(
        id=REGISTRATION_OUTPUT, project=review, kind=OutputKind.PROTOCOL,
        title="PROSPERO registration: drivers of health worker migration from LMICs",
        stages=["protocol", "search-strategy"],
        status=OutputStatus.REGISTERED, status_on=day(-240), venue="PROSPERO", identifier="CRD42021000123",
        corresponding=efe.id,
    )  # fmt: skip
    protocol = Output.create(
        id=PROTOCOL_OUTPUT, project=review, kind=OutputKind.PROTOCOL,
        title="Protocol: drivers of health worker migration from LMICs", stages=["protocol", "search-strategy"],
        status=OutputStatus.PUBLISHED, status_on=day(-150), venue="BMJ Open",
        identifier="10.1136/bmjopen-2021-000123", apc_waiver=ApcWaiver.GRANTED, corresponding=efe.id,
    )  # fmt: skip
    paper = Output.create(
        id=PAPER_OUTPUT, project=review, kind=OutputKind.PAPER, title=review.title,
        status=OutputStatus.IN_PROGRESS, venue="BMJ Global Health", corresponding=ada.id,
    )  # fmt: skip
    abstract = Output.create(
        id=ABSTRACT_OUTPUT, project=review, kind=OutputKind.ABSTRACT,
        title="Why doctors leave: a systematic review of health worker migration from LMICs (work in progress)",
        stages=["protocol", "search-strategy", "searches", "screening"], status=OutputStatus.PRESENTED,
        status_on=day(-60), corresponding=efe.id,
        venue="Inaugural University of Benin College of Medicine Scientific Conference, Benin City",
    )  # fmt: skip
    grant = Output.create(
        id=GRANT_OUTPUT, project=cohort, kind=OutputKind.GRANT,
        title="Career intentions of early-career doctors in Nigeria: a cohort study (grant application)",
        status=OutputStatus.SUBMITTED, status_on=day(-7), venue="Africa Research Excellence Fund",
        corresponding=tunde.id,
    )  # fmt: skip
    confirmed = ["efe.ighodalo", "amara.okorafor", "funmi.lawani", "ivie.osagiede", "ada.obiora", "tunde.bakare",
                 "zainab.musawa", "ehi.aigbekaen", "segun.adeyemo"]  # fmt: skip
    confirmations = [
        Confirmation(MemberId(c), output, True, True, at(when))
        for output, when in ((registration.id, -242), (protocol.id, -242), (abstract.id, -64))
        for c in confirmed
    ]
    evidence = [
        LeaderEvidence(who, output, criterion, note, leader)
        for output in (registration.id, protocol.id)
        for who, criterion, note, leader in (
            (ada.id, Criterion.DRAFTING_OR_REVISION, "Critically revised every protocol draft", tunde.id),
            (tunde.id, Criterion.DRAFTING_OR_REVISION, "Critically revised the methods and search sections", ada.id),
            (MemberId("amara.okorafor"), Criterion.DESIGN_ACQUISITION_ANALYSIS, "Designed the eligibility criteria",
             ada.id),
        )
    ]  # fmt: skip

    def build(series: MeetingSeries | None = None, records: tuple[MeetingRecord, ...] = ()) -> Group:
        return Group.create(
            GROUP_NAME,
            members=members,
            projects=[review, cohort],
            tasks=tasks,
            outputs=[registration, protocol, paper, abstract, grant],
            volunteers=volunteers,
            ledger=ledger,
            disputes=(upheld, adjusted, still_open),
            confirmations=confirmations,
            evidence=evidence,
            policy=AuthorshipPolicy(min_share=Decimal("0.05"), project_lead_last=True),
            availability=sample_availability(members, today),
            series=series,
            records=records,
        )

    series = MeetingSeries.create(
        id="monthly", slot=SAMPLE_SLOT, first=SAMPLE_SLOT.first_on_or_after(today - timedelta(days=150))
    )
    series = series.schedule_through(today + timedelta(weeks=6), build(series).deadlines())
    draft = build(series)
    held = [m for m in draft.meetings(today) if m.start.date() < today]
    series = series.cancel(
        held[2].planned, by=efe, note="Nationwide power outage; the agenda moves to the next meeting",
        deadlines=draft.deadlines(),
    )  # fmt: skip
    return build(series, tuple(_sample_records(build(series), today)))


GROUP_NAME = "Diamante-style sample group"
SAMPLE_SLOT = RecurringSlot(Weekday.SATURDAY, 15 * 60, 90, ZoneInfo("Africa/Lagos"))
"""The slot the sample group adopted: Saturday 15:00 in Lagos, for 90 minutes."""

_WINDOWS = {
    "ada.obiora": "Sat 09:00-17:00, Sun 14:00-18:00",
    "tunde.bakare": "Sat 08:00-14:00, Sun 13:00-17:00",
    "funmi.lawani": "Sat 07:00-13:00",
    "ivie.osagiede": "Sat 08:30-15:00, Sun 12:00-16:00",
    "tobi.akinwale": "Sat 06:30-12:00",
    "efe.ighodalo": "Sat 10:00-20:00, Sun 15:00-20:00",
    "amara.okorafor": "Sat 13:00-19:00",
    "segun.adeyemo": "Sat 12:00-18:00, Sun 16:00-20:00",
    "kelechi.nwankwo": "Sat 14:00-21:00",
    "zainab.musawa": "Sat 10:00-16:30",
    "uyi.omoregbe": "Sun 14:00-20:00",
}


def sample_availability(members: list[Member], today: date) -> list[Availability]:
    """Weekly windows in each member's own zone; members not listed use the default."""
    away = {
        "segun.adeyemo": (Unavailability(today + timedelta(days=10), today + timedelta(days=24), "on call"),),
        "tobi.akinwale": (Unavailability(today + timedelta(days=30), today + timedelta(days=40), "travel"),),
        "kelechi.nwankwo": (
            Unavailability(today - timedelta(days=40), today - timedelta(days=25), "on call"),
        ),
    }
    return [
        Availability(
            m.id, m.zone, parse_windows(_WINDOWS[m.id]) if m.id in _WINDOWS else (), away.get(m.id, ())
        )
        for m in members
    ]


def _sample_records(group: Group, today: date) -> list[MeetingRecord]:
    """Minutes, decisions, actions and attendance of past meetings, and the next meeting's agenda."""
    ada, efe = group.member("ada.obiora"), group.member("efe.ighodalo")
    records = []
    members = sorted(group.members.values(), key=lambda m: m.id)
    meetings = group.meetings(today + timedelta(weeks=10))
    held = [m for m in meetings if m.start.date() < today and m.status is not MeetingStatus.CANCELLED]
    for k, meeting in enumerate(held):
        attendance = {
            m.id: Presence.ABSENT
            if (i + k) % 6 == 0
            or (i * k) % 13 == 7
            or group.availability_of(m).unavailable_on(m.local_date(meeting.start))
            else Presence.PRESENT
            for i, m in enumerate(members)
        }
        action = ActionItem(
            id=f"A-{k + 1:02d}",
            meeting_id=meeting.id,
            title="Circulate the screening conflicts for resolution"
            if k % 2
            else "Share the updated Gantt chart",
            owner=members[(k * 5 + 3) % len(members)].id,
            due=meeting.planned + timedelta(days=14),
            status=ActionStatus.DONE if k < len(held) - 1 else ActionStatus.OPEN,
        )
        record = MeetingRecord(meeting.id).record_minutes(
            minutes=f"Reviewed progress of the systematic review (meeting {k + 1}). Tasks and points table updated.",
            decisions=["Screening conflicts are resolved by a third reviewer"] if k == 1 else [],
            actions=[action],
            attendance=attendance,
            by=efe,
        )
        records.append(record)
    upcoming = next(
        m for m in meetings if m.start.date() >= today and m.status is not MeetingStatus.CANCELLED
    )
    agenda = MeetingRecord(upcoming.id)
    publish = timedelta(days=2)
    earliest = upcoming.start - timedelta(days=6)
    for n, (title, who) in enumerate(
        [
            ("Full-text review: progress and conflicts", ada),
            ("Volunteers for data extraction (SR-T09)", efe),
            ("Cohort study protocol: first draft", group.member("tunde.bakare")),
        ]
    ):
        agenda = agenda.add_agenda_item(
            upcoming, title, by=who, at=earliest + timedelta(hours=n), publish_ahead=publish
        )
    records.append(agenda)
    return records
