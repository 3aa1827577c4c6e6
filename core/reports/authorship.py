"""What a journal asks for at submission, built on the authorship decision of an output.

:func:`journal_authorship` takes a group and one of its outputs, asks the group for its decision
(:meth:`braingain.core.group.Group.decide`: who is an author, in what order, with which CRediT
roles; nothing is decided again here) and adds what a submission needs:

- **standings**: every member with points for the output, their points, the ICMJE check per
  criterion (the evidence, or ``None`` where it is missing), their proposed position (``None``
  when acknowledged) and what keeps them from authorship, in words;
- **the author list**, in the decision's order, each author with their ORCID iD and the numbers of
  their affiliations; **numbered affiliations**: numbers in order of first appearance down the
  author list (each author's numbers then ascending, as title pages print them), and authors who share
  an affiliation (:attr:`~braingain.core.scholarly.Affiliation.key`: case and spacing set aside)
  share its number;
- **the corresponding author**: the output's ``corresponding`` member. When none is named there
  is none (braingain never picks one: the group decides who answers the journal) and
  :attr:`JournalAuthorship.missing` says so; when the member named is not one of the authors they
  are still shown, marked ``is_author=False``, and ``missing`` says so too;
- the **CRediT statement** and the **acknowledgments** (the decision's own wording);
- **missing**: what stands between this author list and a submission, one sentence each (an
  author without an ORCID iD or an affiliation, no corresponding author, a member who would be an
  author but has not confirmed criterion 3 or 4, no authors at all).

Pure and deterministic: the same group gives the same result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from braingain.core.authorship.credit import RoleCredit
from braingain.core.authorship.icmje import Acknowledgment, AuthorshipDecision, Criterion, Output
from braingain.core.group import Group
from braingain.core.ids import MemberId, OutputId, ProjectId
from braingain.core.members import Member
from braingain.core.scholarly import Affiliation, Orcid

_CONFIRMED_BY_MEMBER = (Criterion.FINAL_APPROVAL, Criterion.ACCOUNTABILITY)


@dataclass(frozen=True, slots=True)
class Standing:
    """One member with points for the output. ``criteria`` pairs each ICMJE criterion (1 to 4, in
    order) with its evidence in words, or ``None`` when it is missing; ``position`` is the proposed
    author position (1-based) or ``None`` for an acknowledged member; ``missing`` says what keeps
    them from authorship (empty for an author)."""

    member_id: MemberId
    name: str
    points: Decimal
    criteria: tuple[tuple[Criterion, str | None], ...]
    reaches_threshold: bool
    position: int | None
    missing: str

    @property
    def outcome(self) -> str:
        """``author 2`` or ``acknowledged``."""
        return f"author {self.position}" if self.position is not None else "acknowledged"


@dataclass(frozen=True, slots=True)
class NumberedAffiliation:
    number: int
    affiliation: Affiliation


@dataclass(frozen=True, slots=True)
class ListedAuthor:
    """An author as a title page lists them: ``affiliations`` are numbers into
    :attr:`JournalAuthorship.affiliations`, in the member's own order."""

    position: int
    member_id: MemberId
    given_names: str
    surname: str
    orcid: Orcid | None
    affiliations: tuple[int, ...]
    corresponding: bool
    equal_first: bool
    roles: tuple[RoleCredit, ...]

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.surname}"


@dataclass(frozen=True, slots=True)
class Corresponding:
    """The output's corresponding author; ``is_author`` is false when they are not on the author list
    (then their affiliations are not numbered and are given here in full)."""

    member: Member
    is_author: bool
    affiliations: tuple[Affiliation, ...]

    @property
    def name(self) -> str:
        return self.member.name


@dataclass(frozen=True, slots=True)
class JournalAuthorship:
    """Everything a submission asks about the authors of one output (see the module's docstring)."""

    output: Output
    project_title: str
    decision: AuthorshipDecision
    standings: tuple[Standing, ...]
    authors: tuple[ListedAuthor, ...]
    affiliations: tuple[NumberedAffiliation, ...]
    corresponding: Corresponding | None
    credit_statement: str
    acknowledgments: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def ready(self) -> bool:
        """Whether nothing is missing for submission."""
        return not self.missing


def journal_authorship(group: Group, output: OutputId) -> JournalAuthorship:
    """The journal-ready authorship of ``output`` (see the module's docstring).

    Raises :class:`~braingain.core.errors.UnknownReference` when the group has no such output."""
    decision = group.decide(output)
    target = decision.output
    members = group.members
    numbers: dict[tuple[str, str, str], int] = {}
    numbered: list[NumberedAffiliation] = []
    authors: list[ListedAuthor] = []
    for author in decision.authors:
        person = members[author.member_id]
        mine: list[int] = []
        for place in person.affiliations:
            if place.key not in numbers:
                numbers[place.key] = len(numbers) + 1
                numbered.append(NumberedAffiliation(numbers[place.key], place))
            if numbers[place.key] not in mine:
                mine.append(numbers[place.key])
        authors.append(
            ListedAuthor(
                position=author.position,
                member_id=author.member_id,
                given_names=person.given_names,
                surname=person.surname,
                orcid=person.orcid,
                affiliations=tuple(sorted(mine)),
                corresponding=author.member_id == target.corresponding,
                equal_first=author.equal_first,
                roles=author.roles,
            )
        )
    corresponding = None
    if target.corresponding is not None and target.corresponding in members:
        person = members[target.corresponding]
        corresponding = Corresponding(person, person.id in decision.author_ids, person.affiliations)
    return JournalAuthorship(
        output=target,
        project_title=group.project(target.project_id).title,
        decision=decision,
        standings=_standings(decision),
        authors=tuple(authors),
        affiliations=tuple(numbered),
        corresponding=corresponding,
        credit_statement=decision.contribution_statement(),
        acknowledgments=tuple(decision.acknowledgments()),
        missing=tuple(_missing(decision, members, corresponding)),
    )


def project_authorship(group: Group, project: ProjectId) -> tuple[JournalAuthorship, ...]:
    """:func:`journal_authorship` of every output of ``project``, by output id; empty when it has none.

    Raises :class:`~braingain.core.errors.UnknownReference` when the group has no such project."""
    found = group.project(project)
    return tuple(
        journal_authorship(group, o.id)
        for o in sorted(group.outputs.values(), key=lambda o: o.id)
        if o.project_id == found.id
    )


def _standings(decision: AuthorshipDecision) -> tuple[Standing, ...]:
    rows = [
        Standing(
            member_id=a.member_id,
            name=a.name,
            points=a.points,
            criteria=tuple((c, a.criteria.evidence.get(c)) for c in Criterion),
            reaches_threshold=True,
            position=a.position,
            missing="",
        )
        for a in decision.authors
    ]
    # An acknowledged member's evidence is not kept by the decision, only what they miss.
    rows.extend(
        Standing(
            member_id=ack.member_id,
            name=ack.name,
            points=ack.points,
            criteria=tuple((c, None if c in ack.missing else "met") for c in Criterion),
            reaches_threshold=not ack.below_threshold,
            position=None,
            missing=ack.why,
        )
        for ack in decision.acknowledged
    )
    return tuple(rows)


def _would_be_author(ack: Acknowledgment) -> bool:
    """Whether ``ack`` would be an author once they confirm criteria 3 and 4 themselves: at or above
    the points threshold and meeting criteria 1 and 2 (only then is a 3/4 gap worth asking about)."""
    return not ack.below_threshold and all(c in _CONFIRMED_BY_MEMBER for c in ack.missing)


def _missing(
    decision: AuthorshipDecision, members: Mapping[MemberId, Member], corresponding: Corresponding | None
) -> list[str]:
    out = decision.output
    found: list[str] = []
    if not decision.authors:
        found.append(
            f"{out.id} has no authors yet: no member meets all four ICMJE criteria and the points "
            f"threshold ({decision.threshold})"
        )
    for author in decision.authors:
        person = members[author.member_id]
        if person.orcid is None:
            if "orcid" in person.unknown:
                found.append(f"{person.name}'s ORCID iD could not be read (see the Problems tab)")
            else:
                found.append(f"{person.name} has no ORCID iD (Members tab, 'ORCID iD')")
        if not person.affiliations:
            if "affiliations" in person.unknown:
                found.append(f"{person.name}'s affiliations could not be read (see the Problems tab)")
            else:
                found.append(f"{person.name} has no affiliation (Members tab, 'Affiliations')")
    if out.corresponding is None:
        found.append(f"{out.id} names no corresponding author (Outputs tab, 'Corresponding author')")
    elif corresponding is None:
        found.append(f"{out.id} names {out.corresponding} as its corresponding author, who is not a member")
    elif not corresponding.is_author:
        found.append(
            f"the corresponding author, {corresponding.name}, is not one of the authors of {out.id}: "
            "name an author, or make sure they meet the criteria"
        )
    for ack in decision.acknowledged:
        if not _would_be_author(ack):
            continue
        found.extend(
            f"{ack.name} has not confirmed criterion {c.label}"
            for c in _CONFIRMED_BY_MEMBER
            if c in ack.missing
        )
    return found
