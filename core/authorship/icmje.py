"""Who is an author of an output, in what order, and with which CRediT roles.

For each output of a project (a paper, a protocol, an abstract) braingain decides:

* **points** per member, from the ledger entries of the output's project (limited to
  the output's stages when it names them), plus any points carried in;
* **the ICMJE check**, all four criteria per member: 1 (design, acquisition, analysis
  or interpretation) and 2 (drafting or critical revision) evidenced by accepted tasks
  or by evidence a leader records; 3 (final approval) and 4 (agreement to be
  accountable) by the member's own confirmation on that output;
* **authors**: members who meet all four criteria *and* reach the threshold;
  everyone else with points is **acknowledged**, with the criteria they miss, so
  that leaders can offer them the chance to meet them (ICMJE asks for this);
* **author order** by points, with fixed positions (e.g. the project lead last as
  senior author), optional joint first authorship on equal points, and otherwise
  deterministic tie-breaks (more accepted tasks, earlier first acceptance, surname)
  that are written into the result;
* **exact comparisons**: points are shown as the ledger holds them (two places), but
  every comparison (threshold, order, ties, CRediT degree, carry-over) uses each
  award's exact part of its task (:func:`braingain.core.authorship.ledger.rounding_rests`), so three
  members who shared a 10-point task (3.34, 3.33, 3.33) are tied, whoever got the cent;
* **carry-over** (optional) of sub-threshold points to the group's next output;
* **CRediT** roles with their degree, the contribution statement and JATS XML.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from fractions import Fraction

from braingain.core.authorship.credit import (
    Contributor,
    CreditRole,
    RoleCredit,
    contribution_statement,
    credit_by_role,
    degrees_for,
    jats_contrib_group,
)
from braingain.core.authorship.ledger import LedgerEntry, rounding_rests, tally_by
from braingain.core.authorship.points import ZERO, Tally, comparable, points, rounded
from braingain.core.authorship.tasks import Icmje, Task, TaskStatus
from braingain.core.errors import InvalidValue, UnknownReference, quote
from braingain.core.ids import MemberId, OutputId, TaskId, output_id
from braingain.core.members import Member
from braingain.core.parsing import clean_text, require_text
from braingain.core.projects import Project
from braingain.core.words import day_said


class OutputKind(Enum):
    PAPER = "paper"
    PROTOCOL = "protocol"
    ABSTRACT = "abstract"
    POSTER = "poster"
    PRESENTATION = "presentation"
    REPORT = "report"
    GRANT = "grant"


class OutputStatus(Enum):
    """Where an output stands. :attr:`achieved` says which count in the outputs record (a paper
    published, a protocol registered or published, an abstract, poster or talk presented, a grant
    awarded, a report published); :attr:`closed` which ended without it."""

    PLANNED = "planned"
    IN_PROGRESS = "in progress"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    PUBLISHED = "published"
    REGISTERED = "registered"
    PRESENTED = "presented"
    AWARDED = "awarded"
    NOT_AWARDED = "not awarded"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def achieved(self) -> bool:
        return self in _ACHIEVED

    @property
    def closed(self) -> bool:
        return self in (OutputStatus.NOT_AWARDED, OutputStatus.REJECTED, OutputStatus.WITHDRAWN)


_ACHIEVED = frozenset(
    {OutputStatus.PUBLISHED, OutputStatus.REGISTERED, OutputStatus.PRESENTED, OutputStatus.AWARDED}
)


class ApcWaiver(Enum):
    """An article-processing-charge waiver asked of a journal for an output."""

    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"
    NOT_NEEDED = "not needed"


UNREADABLE_RECORD: dict[str, str] = {
    "status": "status",
    "status_on": "status date",
    "venue": "venue",
    "identifier": "identifier",
    "apc_waiver": "APC waiver",
    "corresponding": "corresponding author",
}
"""The fields of an output's record that may be unknown (:attr:`Output.unknown`), in words."""


class Criterion(Enum):
    """The four ICMJE authorship criteria."""

    DESIGN_ACQUISITION_ANALYSIS = 1
    DRAFTING_OR_REVISION = 2
    FINAL_APPROVAL = 3
    ACCOUNTABILITY = 4

    @property
    def label(self) -> str:
        return _CRITERION_LABELS[self]


_CRITERION_LABELS = {
    Criterion.DESIGN_ACQUISITION_ANALYSIS: "1 (design, acquisition, analysis or interpretation)",
    Criterion.DRAFTING_OR_REVISION: "2 (drafting or critical revision)",
    Criterion.FINAL_APPROVAL: "3 (final approval of the version to be published)",
    Criterion.ACCOUNTABILITY: "4 (agreement to be accountable for the work)",
}
_FROM_TASK = {
    Icmje.DESIGN_ACQUISITION_ANALYSIS: Criterion.DESIGN_ACQUISITION_ANALYSIS,
    Icmje.DRAFTING_OR_REVISION: Criterion.DRAFTING_OR_REVISION,
}


@dataclass(frozen=True, slots=True)
class Output:
    """Something the group publishes (or applies for) from a project. ``stages`` limits which work
    counts. The record of it: ``status`` and the day it was reached (``status_on``), ``venue`` (the
    journal, registry, conference or funder), ``identifier`` (a DOI, a registration number such as
    PROSPERO's CRD42022300000, a grant number), ``apc_waiver``, and the ``corresponding`` author
    (any member: whether they are an author is for the authorship report to say). ``unknown`` names
    the record's fields whose tracker cell could not be read (:data:`UNREADABLE_RECORD`): their value
    is not "none" but not known, and the output's authorship does not depend on them."""

    id: OutputId
    project_id: str
    kind: OutputKind
    title: str
    stages: frozenset[str] | None = None
    status: OutputStatus = OutputStatus.IN_PROGRESS
    status_on: date | None = None
    venue: str | None = None
    identifier: str | None = None
    apc_waiver: ApcWaiver | None = None
    corresponding: MemberId | None = None
    unknown: frozenset[str] = frozenset()

    @classmethod
    def create(
        cls,
        *,
        id: str,
        project: Project,
        kind: OutputKind,
        title: str,
        stages: Iterable[str] | None = None,
        status: OutputStatus = OutputStatus.IN_PROGRESS,
        status_on: date | None = None,
        venue: str | None = None,
        identifier: str | None = None,
        apc_waiver: ApcWaiver | None = None,
        corresponding: MemberId | None = None,
        unknown: Iterable[str] = (),
    ) -> Output:
        """Raises :class:`InvalidValue` for an id or title that cannot be used, a stage the project
        does not have, or an ``unknown`` name that is not in :data:`UNREADABLE_RECORD`."""
        missing = frozenset(unknown)
        strange = sorted(missing - set(UNREADABLE_RECORD))
        if strange:
            raise InvalidValue(f"{quote(strange[0])} cannot be unknown", field="output")
        scope = None
        if stages is not None:
            scope = frozenset(stages)
            for key in scope:
                project.stage(key)
        return cls(
            output_id(id, "output id"),
            project.id,
            kind,
            require_text(title, "output title"),
            scope,
            status=status,
            status_on=status_on,
            venue=clean_text(venue) or None if venue is not None else None,
            identifier=clean_text(identifier) or None if identifier is not None else None,
            apc_waiver=apc_waiver,
            corresponding=corresponding,
            unknown=missing,
        )

    def lacks(self, field: str) -> str | None:
        """Why ``field`` (a name in :data:`UNREADABLE_RECORD`) cannot be used, or ``None`` if it can."""
        if field not in self.unknown:
            return None
        return f"the {UNREADABLE_RECORD[field]} of {self.id} could not be read (see the Problems tab)"


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A member's own word on an output: criteria 3 and 4."""

    member_id: MemberId
    output_id: OutputId
    final_approval: bool
    accountable: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class LeaderEvidence:
    """A leader's record that a member meets criterion 1 or 2 by work outside the task list."""

    member_id: MemberId
    output_id: OutputId
    criterion: Criterion
    note: str
    recorded_by: MemberId

    def __post_init__(self) -> None:
        if self.criterion not in (
            Criterion.DESIGN_ACQUISITION_ANALYSIS,
            Criterion.DRAFTING_OR_REVISION,
        ):
            raise InvalidValue(
                f"leaders record evidence for criteria 1 and 2, not {self.criterion.value}",
                field="criterion",
                hint="criteria 3 and 4 come from the member's own confirmation",
            )
        if not clean_text(self.note):
            raise InvalidValue("evidence needs a note", field="note", hint="say what the member did")


LAST = -1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class AuthorshipPolicy:
    """How a group decides authorship. Thresholds may be absolute, a share, or both.

    ``fixed_positions`` maps a member to a 1-based position, or :data:`LAST` (-1).
    """

    min_points: Decimal | None = None
    min_share: Decimal | None = Decimal("0.05")
    fixed_positions: tuple[tuple[MemberId, int], ...] = ()
    project_lead_last: bool = False
    shared_first_on_tie: bool = False
    carry_over: bool = False

    def __post_init__(self) -> None:
        if self.min_points is not None and self.min_points < 0:
            raise InvalidValue("cannot be negative", field="minimum points")
        if self.min_share is not None and not (0 <= self.min_share <= 1):
            raise InvalidValue(
                f"{self.min_share} is not a share",
                field="minimum share",
                hint="use a number from 0 to 1, e.g. 0.05",
            )
        positions = [p for _, p in self.fixed_positions]
        members = [m for m, _ in self.fixed_positions]
        if any(p == 0 or p < LAST for p in positions):
            raise InvalidValue(
                "positions count from 1, or are 'last'",
                field="fixed positions",
                hint="use 1, 2, ... or last",
            )
        if len(set(positions)) != len(positions) or len(set(members)) != len(members):
            raise InvalidValue(
                "two fixed positions clash",
                field="fixed positions",
                hint="give each member and position once",
            )
        if self.project_lead_last and LAST in positions:
            raise InvalidValue(
                "the last position is fixed twice",
                field="fixed positions",
                hint="either fix a member last or put the project lead last, not both",
            )


@dataclass(frozen=True, slots=True)
class CriteriaCheck:
    member_id: MemberId
    evidence: Mapping[Criterion, str]

    @property
    def missing(self) -> tuple[Criterion, ...]:
        return tuple(c for c in Criterion if c not in self.evidence)

    @property
    def all_met(self) -> bool:
        return not self.missing


@dataclass(frozen=True, slots=True)
class Author:
    """One author. ``points`` as the ledger shows them; ``exact`` before rounding splits.

    ``share`` is the exact points' fraction of the output's total (0 to 1, four places);
    ``tied_with`` lists the authors placed by rank who have exactly as many points.
    """

    position: int
    member_id: MemberId
    name: str
    points: Decimal
    exact: Fraction
    share: Decimal
    accepted_tasks: int
    first_acceptance: datetime | None
    criteria: CriteriaCheck
    roles: tuple[RoleCredit, ...]
    fixed: bool = False
    equal_first: bool = False
    tied_with: tuple[MemberId, ...] = ()

    @property
    def placed(self) -> str:
        """How the position was decided: ``fixed position``, ``tie-break`` or ``by points``."""
        if self.fixed:
            return "fixed position"
        return "tie-break" if self.tied_with else "by points"


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    member_id: MemberId
    name: str
    points: Decimal
    exact: Fraction
    missing: tuple[Criterion, ...]
    below_threshold: bool
    roles: tuple[RoleCredit, ...]

    @property
    def why(self) -> str:
        """What keeps the member from authorship, in a few words: ``missing ICMJE 3, 4; below
        the threshold`` (the criteria by number; ``Criterion.label`` says what each one is)."""
        reasons = []
        if self.missing:
            reasons.append("missing ICMJE " + ", ".join(str(c.value) for c in self.missing))
        if self.below_threshold:
            reasons.append("below the threshold")
        return "; ".join(reasons)


@dataclass(frozen=True, slots=True)
class AuthorshipDecision:
    output: Output
    total_points: Decimal
    threshold: Decimal
    authors: tuple[Author, ...]
    acknowledged: tuple[Acknowledgment, ...]
    tie_breaks: tuple[str, ...]
    notes: tuple[str, ...]
    carry_over: Mapping[MemberId, Tally] = field(default_factory=dict)
    _contributors: tuple[Contributor, ...] = ()

    @property
    def author_ids(self) -> tuple[MemberId, ...]:
        return tuple(a.member_id for a in self.authors)

    def contribution_statement(self) -> str:
        return contribution_statement(self._contributors)

    def credit_by_role(self) -> str:
        """The authors' CRediT roles one role a line (see :func:`credit_by_role`)."""
        return credit_by_role(self._contributors)

    def jats(self) -> str:
        return jats_contrib_group(self._contributors)

    def acknowledgments(self) -> list[str]:
        """One line per acknowledged member: name and, where known, CRediT roles."""
        lines = []
        for ack in self.acknowledged:
            roles = ", ".join(r.role.value for r in ack.roles)
            lines.append(f"{ack.name} ({roles})" if roles else ack.name)
        return lines


def _share(part: Fraction, total: Fraction) -> Decimal:
    if total <= 0:
        return Decimal("0.0000")
    return rounded(part / total, 4)


def decide_authorship(
    output: Output,
    *,
    project: Project,
    members: Mapping[MemberId, Member],
    tasks: Iterable[Task],
    entries: Iterable[LedgerEntry],
    confirmations: Iterable[Confirmation] = (),
    evidence: Iterable[LeaderEvidence] = (),
    policy: AuthorshipPolicy = AuthorshipPolicy(),
    carried_in: Mapping[MemberId, Decimal | Tally] | None = None,
) -> AuthorshipDecision:
    """Decide the authors of ``output``. Deterministic: input order never matters.

    Members are compared on their exact points (see the module's docstring): neither
    their ids nor where a split's odd cent went ever changes the decision. ``carried_in``
    takes a previous decision's ``carry_over`` (or plain two-place points).
    """
    if project.id != output.project_id:
        raise InvalidValue(f"output {output.id} belongs to project {output.project_id}, not {project.id}")
    task_by_id: dict[TaskId, Task] = {t.id: t for t in tasks if t.project_id == project.id}

    def in_scope(task_id: TaskId | None) -> bool:
        if task_id is None or output.stages is None:
            return True
        task = task_by_id.get(task_id)
        return task is not None and task.stage in output.stages

    scoped = [e for e in entries if e.project_id == project.id and in_scope(e.task_id)]
    rests = rounding_rests(scoped, task_by_id)

    def role_of(entry: LedgerEntry) -> tuple[str, MemberId]:  # names hash quicker than enums
        task = task_by_id.get(entry.task_id) if entry.task_id else None
        return (task.credit_role.name if task is not None else "", entry.member_id)

    # One pass: each member's points by CRediT role ("": no task), and their total from those
    # (exact sums: a total is its parts, in the order members first appear on the ledger).
    totals: dict[MemberId, Tally] = {}
    role_points: dict[CreditRole, dict[MemberId, Tally]] = {}
    for (name, member), tally in tally_by(scoped, rests, role_of).items():
        totals[member] = totals[member] + tally if member in totals else tally
        if name:
            role_points.setdefault(CreditRole[name], {})[member] = tally
    for member, carried in (carried_in or {}).items():
        extra = carried if isinstance(carried, Tally) else Tally.of(points(carried))
        totals[member] = totals.get(member, Tally()) + extra
    for member in totals:
        if member not in members:
            raise UnknownReference(f"ledger points belong to {member}, who is not a member", field="member")

    # Exact here too: of two who share 0.01, the one shown 0.00 has points just as the other.
    scored = {m: t for m, t in totals.items() if t.exact > 0}
    total = sum((t.shown for t in scored.values()), ZERO)
    total_exact = sum((t.exact for t in scored.values()), Fraction(0))
    threshold = max(
        policy.min_points if policy.min_points is not None else ZERO,
        (total * policy.min_share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if policy.min_share is not None
        else ZERO,
    )

    accepted = [
        t
        for t in task_by_id.values()
        if t.status is TaskStatus.ACCEPTED and (output.stages is None or t.stage in output.stages)
    ]
    accepted_count: dict[MemberId, int] = {}
    first_accept: dict[MemberId, datetime] = {}
    evidence_of: dict[MemberId, dict[Criterion, str]] = {}
    accepted_at = {t.id: t.accepted_at for t in accepted}  # each looks through the task's history
    for task in sorted(
        accepted, key=lambda t: (accepted_at[t.id] is None, accepted_at[t.id] or _EPOCH, t.id)
    ):
        when = accepted_at[task.id]
        for member in task.contributors:
            accepted_count[member] = accepted_count.get(member, 0) + 1
            if when is not None:
                first_accept.setdefault(member, when)
            criterion = _FROM_TASK.get(task.icmje)
            if criterion is not None:
                mine = evidence_of.setdefault(member, {})
                if criterion not in mine:  # the first accepted task is the evidence (worded once)
                    mine[criterion] = f"accepted task {task.id}: {task.title}"
    for item in sorted(evidence, key=lambda e: (e.member_id, e.criterion.value, e.note)):
        if item.output_id == output.id:
            evidence_of.setdefault(item.member_id, {}).setdefault(
                item.criterion, f"recorded by leader {item.recorded_by}: {clean_text(item.note)}"
            )
    for confirmation in sorted(confirmations, key=lambda c: (c.member_id, c.at)):
        if confirmation.output_id != output.id:
            continue
        found = evidence_of.setdefault(confirmation.member_id, {})
        if confirmation.final_approval:
            found[Criterion.FINAL_APPROVAL] = f"approved the final version on {day_said(confirmation.at)}"
        if confirmation.accountable:
            found[Criterion.ACCOUNTABILITY] = f"agreed to be accountable on {day_said(confirmation.at)}"

    checks = {m: CriteriaCheck(m, dict(evidence_of.get(m, {}))) for m in scored}
    author_ids = [m for m in scored if checks[m].all_met and scored[m].exact >= threshold]

    credits: dict[MemberId, list[RoleCredit]] = {}
    for role in CreditRole:
        in_role = {str(k): v for k, v in role_points.get(role, {}).items()}
        for holder, degree in degrees_for(comparable(in_role)).items():
            credits.setdefault(MemberId(holder), []).append(RoleCredit(role, degree, in_role[holder].shown))

    def rank_key(m: MemberId) -> tuple[object, ...]:
        person = members[m]
        first = first_accept.get(m)
        return (
            -scored[m].exact,
            -accepted_count.get(m, 0),
            first is None,
            first or _EPOCH,
            person.surname.casefold(),
            person.given_names.casefold(),
            m,
        )

    ranked = sorted(author_ids, key=rank_key)

    fixed: dict[MemberId, int] = dict(policy.fixed_positions)
    notes: list[str] = _threshold_notes(scored, threshold, members)
    if policy.project_lead_last and project.lead not in fixed:
        fixed[project.lead] = LAST
    for member in list(fixed):
        if member not in author_ids:
            name = members[member].name if member in members else member
            notes.append(
                f"{name} has a fixed position but is not an author of this output, so it was not applied"
            )
            del fixed[member]

    by_rank = [m for m in ranked if m not in fixed]
    tie_breaks = _explain_order(by_rank, scored, accepted_count, first_accept, members, notes)
    order = _place(ranked, fixed, notes, members)
    equal_first: set[MemberId] = set()
    if policy.shared_first_on_tie and order and order[0] not in fixed:
        top = scored[order[0]].exact
        leaders = [m for m in order if m not in fixed and scored[m].exact == top]
        if len(leaders) > 1 and order[: len(leaders)] == leaders:
            equal_first = set(leaders)
            names = ", ".join(members[m].name for m in leaders)
            equal = _equal_points([scored[m] for m in leaders])
            notes.append(f"joint first authors on equal points ({equal}): {names}")

    authors = tuple(
        Author(
            position=i,
            member_id=m,
            name=members[m].name,
            points=scored[m].shown,
            exact=scored[m].exact,
            share=_share(scored[m].exact, total_exact),
            accepted_tasks=accepted_count.get(m, 0),
            first_acceptance=first_accept.get(m),
            criteria=checks[m],
            roles=tuple(credits.get(m, ())),
            fixed=m in fixed,
            equal_first=m in equal_first,
            tied_with=tuple(o for o in by_rank if o != m and scored[o].exact == scored[m].exact)
            if m in by_rank
            else (),
        )
        for i, m in enumerate(order, start=1)
    )
    others = sorted(
        (m for m in scored if m not in author_ids),
        key=lambda m: (
            -scored[m].exact,
            members[m].surname.casefold(),
            members[m].given_names.casefold(),
            m,
        ),
    )
    acknowledged = tuple(
        Acknowledgment(
            member_id=m,
            name=members[m].name,
            points=scored[m].shown,
            exact=scored[m].exact,
            missing=checks[m].missing,
            below_threshold=scored[m].exact < threshold,
            roles=tuple(credits.get(m, ())),
        )
        for m in others
    )
    below = [a.member_id for a in acknowledged if a.below_threshold]
    carry = {m: scored[m] for m in below} if policy.carry_over else {}
    contributors = tuple(
        Contributor(
            given_names=members[a.member_id].given_names,
            surname=members[a.member_id].surname,
            roles=a.roles,
            equal_contribution=a.equal_first,
        )
        for a in authors
    )
    return AuthorshipDecision(
        output=output,
        total_points=total,
        threshold=threshold,
        authors=authors,
        acknowledged=acknowledged,
        tie_breaks=tuple(tie_breaks),
        notes=tuple(notes),
        carry_over=carry,
        _contributors=contributors,
    )


def _place(
    ranked: list[MemberId],
    fixed: Mapping[MemberId, int],
    notes: list[str],
    members: Mapping[MemberId, Member],
) -> list[MemberId]:
    """Put fixed members at their positions and fill the rest in ranked order."""
    size = len(ranked)
    slots: list[MemberId | None] = [None] * size
    for member, position in sorted(fixed.items(), key=lambda kv: (kv[1] == LAST, kv[1], kv[0])):
        index = size - 1 if position == LAST else position - 1
        if index >= size:
            notes.append(
                f"{members[member].name} is fixed at position {position}, "
                f"but there are only {size} authors: placed last"
            )
            index = size - 1
        while slots[index] is not None:
            index -= 1
        slots[index] = member
    rest = iter(m for m in ranked if m not in fixed)
    return [slot if slot is not None else next(rest) for slot in slots]


def _equal_points(tallies: Sequence[Tally]) -> str:
    """``3.47 each``, or ``3.34, 3.33 and 3.33 as shown: equal before rounding to the cent``."""
    shown = [str(t.shown) for t in tallies]
    if len(set(shown)) == 1:
        return f"{shown[0]} each"
    listed = ", ".join(shown[:-1]) + f" and {shown[-1]}"
    return f"{listed} as shown: equal before rounding to the cent"


def _finer(a: Fraction, b: Fraction) -> tuple[Decimal, Decimal]:
    """``a`` and ``b`` with just enough decimal places (3 to 12) to tell them apart."""
    for places in range(3, 13):
        shown = rounded(a, places), rounded(b, places)
        if shown[0] != shown[1]:
            return shown
    return shown


def _threshold_notes(
    scored: Mapping[MemberId, Tally], threshold: Decimal, members: Mapping[MemberId, Member]
) -> list[str]:
    """Where the shown points and the exact points fall on different sides of the threshold."""
    notes = []
    for m in sorted(scored):
        tally = scored[m]
        if (tally.shown >= threshold) == (tally.exact >= threshold):
            continue
        exact = _finer(tally.exact, Fraction(threshold))[0]
        side = "reaches" if tally.exact >= threshold else "is below"
        notes.append(
            f"{members[m].name} shows {tally.shown} points but has {exact} before rounding "
            f"to the cent, which {side} the threshold of {threshold}"
        )
    return notes


def _explain_order(
    ranked: list[MemberId],
    scored: Mapping[MemberId, Tally],
    accepted: Mapping[MemberId, int],
    first: Mapping[MemberId, datetime],
    members: Mapping[MemberId, Member],
    notes: list[str],
) -> list[str]:
    """A line for each neighbour pair the tie-breaks ordered; ``notes`` gets the pairs that
    look tied but are not (equal as shown, different before rounding)."""
    lines = []
    for a, b in itertools.pairwise(ranked):
        name_a, name_b = members[a].name, members[b].name
        if scored[a].exact != scored[b].exact:
            if scored[a].shown == scored[b].shown:
                more, less = _finer(scored[a].exact, scored[b].exact)
                notes.append(
                    f"{name_a} before {name_b}: both show {scored[a].shown} points, but {name_a} has "
                    f"more before rounding to the cent ({more} vs {less})"
                )
            continue
        if accepted.get(a, 0) != accepted.get(b, 0):
            why = f"more accepted tasks ({accepted.get(a, 0)} vs {accepted.get(b, 0)})"
        elif first.get(a) != first.get(b):
            fa, fb = first.get(a), first.get(b)
            dates = [day_said(d) if d else "none" for d in (fa, fb)]
            why = f"earlier first accepted task ({dates[0]} vs {dates[1]})"
        elif members[a].surname.casefold() != members[b].surname.casefold():
            why = "surname in alphabetical order"
        else:
            why = "given names, then member id, in alphabetical order"
        equal = _equal_points([scored[a], scored[b]])
        lines.append(f"{name_a} before {name_b}: tied on points ({equal}); order by {why}")
    return lines
