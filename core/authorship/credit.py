"""CRediT (ANSI/NISO Z39.104-2022): the 14 contributor roles, degrees, statements and JATS.

Role names are the standard's exact wording ("Writing – original draft", with an en
dash); the hyphen spelling, British "-isation" and case differences are accepted on
input. The JATS output follows JATS 1.3 and the JATS4R CRediT recommendation: one
``<role vocab="credit" ...>`` per role, with ``degree-contribution`` where known.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from braingain.core.errors import InvalidValue, quote
from braingain.core.parsing import clean_text, normalize_key

CREDIT_VOCABULARY_URI = "https://credit.niso.org/"
CREDIT_ROLE_BASE_URI = "https://credit.niso.org/contributor-roles/"
_KNOWN_ROLE_BASES = (
    CREDIT_ROLE_BASE_URI,
    "http://credit.niso.org/contributor-roles/",
    "https://casrai.org/credit/roles/",
)


class CreditRole(Enum):
    CONCEPTUALIZATION = "Conceptualization"
    DATA_CURATION = "Data curation"
    FORMAL_ANALYSIS = "Formal analysis"
    FUNDING_ACQUISITION = "Funding acquisition"
    INVESTIGATION = "Investigation"
    METHODOLOGY = "Methodology"
    PROJECT_ADMINISTRATION = "Project administration"
    RESOURCES = "Resources"
    SOFTWARE = "Software"
    SUPERVISION = "Supervision"
    VALIDATION = "Validation"
    VISUALIZATION = "Visualization"
    WRITING_ORIGINAL_DRAFT = "Writing – original draft"
    WRITING_REVIEW_EDITING = "Writing – review & editing"

    @property
    def slug(self) -> str:
        return normalize_key(self.value).replace(" ", "-")

    @property
    def uri(self) -> str:
        return f"{CREDIT_ROLE_BASE_URI}{self.slug}/"

    @classmethod
    def parse(cls, text: str, field: str = "CRediT role") -> CreditRole:
        """Accept the exact name, hyphen or en dash, "-isation", the slug or the role's URI."""
        cleaned = text.strip()
        key = normalize_key(cleaned.rstrip("/").rsplit("/", 1)[-1])
        key = key.replace("isation", "ization").replace(" and ", " ")
        foreign_uri = "://" in cleaned and not cleaned.startswith(_KNOWN_ROLE_BASES)
        role = None if foreign_uri else _BY_KEY.get(key)
        if role is None:
            raise InvalidValue(
                f"{quote(clean_text(text))} is not a CRediT role",
                field=field,
                hint="use one of the 14 CRediT roles, e.g. 'Methodology' or 'Writing – original draft', "
                f"or its URI under {CREDIT_ROLE_BASE_URI}",
            )
        return role


_BY_KEY: dict[str, CreditRole] = {}
for _role in CreditRole:
    _BY_KEY[normalize_key(_role.value)] = _role
    _BY_KEY[normalize_key(_role.slug)] = _role
    _BY_KEY[normalize_key(_role.name)] = _role


class Degree(Enum):
    """CRediT's optional degree of contribution within one role."""

    LEAD = "lead"
    EQUAL = "equal"
    SUPPORTING = "supporting"


def degrees_for(points_by_member: Mapping[str, Decimal | Fraction | int]) -> dict[str, Degree]:
    """Degree of each member in one role, from their points in that role.

    The member with the most points leads; several tied at the top contribute
    equally; everyone else supports. Members with no points are left out. Give the
    points before rounding (a :class:`~braingain.core.authorship.points.Tally`'s ``exact``, or any
    numbers in the same order, such as :func:`~braingain.core.authorship.points.comparable`'s):
    three members who shared a task equally are equal, whichever got the odd cent.
    """
    positive = {m: p for m, p in points_by_member.items() if p > 0}
    if not positive:
        return {}
    top = max(positive.values())
    at_top = [m for m, p in positive.items() if p == top]
    result: dict[str, Degree] = {}
    for member, amount in positive.items():
        if amount < top:
            result[member] = Degree.SUPPORTING
        else:
            result[member] = Degree.LEAD if len(at_top) == 1 else Degree.EQUAL
    return result


@dataclass(frozen=True, slots=True)
class RoleCredit:
    """A member's degree in one role, and their points in it as the ledger shows them."""

    role: CreditRole
    degree: Degree
    points: Decimal


@dataclass(frozen=True, slots=True)
class Contributor:
    """A person as they appear in a contribution statement."""

    given_names: str
    surname: str
    roles: tuple[RoleCredit, ...]
    equal_contribution: bool = False

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.surname}"


def _role_order(credit: RoleCredit) -> int:
    return list(CreditRole).index(credit.role)


def role_phrase(contributor: Contributor) -> str:
    """``Methodology (lead), Investigation (supporting)`` in the taxonomy's order."""
    roles = sorted(contributor.roles, key=_role_order)
    return ", ".join(f"{c.role.value} ({c.degree.value})" for c in roles)


def contribution_statement(authors: Sequence[Contributor]) -> str:
    """The CRediT author statement, one author a line, in author order."""
    lines = []
    for author in authors:
        roles = role_phrase(author) or "no CRediT role recorded"
        lines.append(f"{author.name}: {roles}.")
    return "\n".join(lines)


def credit_by_role(authors: Sequence[Contributor]) -> str:
    """The CRediT statement one role a line, in the taxonomy's order, authors in author order:
    ``Methodology: Funmilayo Lawani, Ivie Osagiede (equal); Olatunde Bakare (supporting).`` Each
    author's name is said once per role they hold rather than every role once per author, so
    a large group's statement stays short (the tracker's Outputs cell; ``contribution_statement``
    is the form a journal asks for)."""
    held: dict[CreditRole, dict[Degree, list[str]]] = {}
    for author in authors:
        for credit in author.roles:
            held.setdefault(credit.role, {}).setdefault(credit.degree, []).append(author.name)
    everyone = len(authors)
    lines = []
    for role in CreditRole:
        if role in held:
            groups = [
                f"{_names(names, everyone)} ({degree.value})"
                for degree in Degree
                if (names := held[role].get(degree))
            ]
            lines.append(f"{role.value}: {'; '.join(groups)}.")
    return "\n".join(lines)


def _names(names: Sequence[str], everyone: int) -> str:
    """``names`` joined, or ``all 12 authors`` when every one of (more than two) authors is there."""
    return f"all {everyone} authors" if len(names) == everyone > 2 else ", ".join(names)


def jats_contrib_group(authors: Sequence[Contributor]) -> str:
    """A JATS 1.3 ``<contrib-group>`` with CRediT roles, authors in order."""
    group = ET.Element("contrib-group")
    for author in authors:
        attributes = {"contrib-type": "author"}
        if author.equal_contribution:
            attributes["equal-contrib"] = "yes"
        contrib = ET.SubElement(group, "contrib", attributes)
        name = ET.SubElement(contrib, "name")
        ET.SubElement(name, "surname").text = author.surname
        ET.SubElement(name, "given-names").text = author.given_names
        for credit in sorted(author.roles, key=_role_order):
            role = ET.SubElement(
                contrib,
                "role",
                {
                    "vocab": "credit",
                    "vocab-identifier": CREDIT_VOCABULARY_URI,
                    "vocab-term": credit.role.value,
                    "vocab-term-identifier": credit.role.uri,
                    "degree-contribution": credit.degree.value,
                },
            )
            role.text = credit.role.value
    ET.indent(group)
    return ET.tostring(group, encoding="unicode")
