"""What a journal asks of each author at submission: an ORCID iD and affiliations.

- :class:`Orcid`: an ORCID iD, its check character verified (ISO 7064 MOD 11-2, as ORCID's
  "Structure of the ORCID Identifier" describes: https://support.orcid.org/hc/en-us/articles/360006897674).
- :class:`Affiliation`: an institution, its city and country, written the way papers write them:
  ``"Department of Paediatrics, University of Benin Teaching Hospital, Benin City, Nigeria"``: the
  last part is the country, the one before it the city, everything before those the institution
  (with its department). :func:`affiliations` reads a tracker cell of several, separated by
  semicolons or lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from braingain.core.countries import Country, country
from braingain.core.errors import InvalidValue, quote
from braingain.core.parsing import clean_text

_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")
_ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/", "orcid:", "orcid ")


def orcid_check_character(base: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 15 digits of an ORCID iD (``"0"`` to ``"9"``
    or ``"X"``). ``base`` is 15 digits, no hyphens."""
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


@dataclass(frozen=True, slots=True)
class Orcid:
    """An ORCID iD such as ``0000-0002-1825-0097``; :attr:`uri` is its https://orcid.org/ form,
    the form JATS and journals want (JATS4R: ``<contrib-id contrib-id-type="orcid">``)."""

    value: str

    @classmethod
    def parse(cls, text: str, field: str = "ORCID iD") -> Orcid:
        """Read an ORCID iD as people paste it: bare (``0000-0002-1825-0097``, with or without hyphens,
        a lower-case ``x`` allowed) or as its address (``https://orcid.org/0000-0002-1825-0097``).

        Raises :class:`InvalidValue` naming ``field`` when it is not 16 characters in the ORCID form,
        or when its last character is not the check character of the 15 before it (a digit mistyped
        or two swapped)."""
        cleaned = clean_text(text).replace(" ", "")
        lowered = cleaned.casefold()
        for prefix in _ORCID_PREFIXES:
            if lowered.startswith(prefix.replace(" ", "")):
                cleaned = cleaned[len(prefix.replace(" ", "")) :]
                break
        found = _ORCID.fullmatch(cleaned.upper())
        if found is None:
            raise InvalidValue(
                f"{quote(text.strip())} is not an ORCID iD",
                field=field,
                hint="copy it from the member's ORCID record: 16 characters such as 0000-0002-1825-0097",
            )
        digits = "".join(found.groups())
        expected = orcid_check_character(digits[:15])
        if digits[15] != expected:
            raise InvalidValue(
                f"{quote(text.strip())} is not a valid ORCID iD: its last character should be "
                f"{expected} for the digits before it",
                field=field,
                hint="a digit is mistyped or two are swapped: copy it again from orcid.org",
            )
        return cls("-".join(digits[i : i + 4] for i in range(0, 16, 4)))

    @property
    def uri(self) -> str:
        return f"https://orcid.org/{self.value}"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Affiliation:
    """One affiliation of a member: ``institution`` (with its department, as written), ``city`` and
    ``country``. Two members with the same affiliation share one number in an author list."""

    institution: str
    city: str
    country: Country

    @property
    def label(self) -> str:
        """As a title page writes it: ``"University of Benin, Benin City, Nigeria"``."""
        return f"{self.institution}, {self.city}, {self.country.name}"

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two affiliations the same one: case and spacing set aside."""
        return (
            " ".join(self.institution.casefold().split()),
            " ".join(self.city.casefold().split()),
            self.country.code,
        )


AFFILIATION_HINT = (
    "write each affiliation as 'institution, city, country' (a department first if you like), "
    "several separated by semicolons: University of Benin, Benin City, Nigeria; "
    "University of Toronto, Toronto, Canada"
)


def affiliation(text: str, field: str = "affiliations") -> Affiliation:
    """One affiliation from ``"institution…, city, country"`` (see the module's docstring).

    Raises :class:`InvalidValue` naming ``field`` when a part is missing or the country is not one
    braingain knows."""
    parts = [clean_text(p) for p in text.split(",")]
    parts = [p for p in parts if p]
    if len(parts) < 3:
        raise InvalidValue(
            f"{quote(clean_text(text))} needs an institution, a city and a country",
            field=field,
            hint=AFFILIATION_HINT,
        )
    place = country(parts[-1], field)
    return Affiliation(", ".join(parts[:-2]), parts[-2], place)


def affiliations(text: str, field: str = "affiliations") -> tuple[Affiliation, ...]:
    """Every affiliation in a cell: separated by semicolons or lines, in the member's order, each
    once. An empty cell has none. Raises :class:`InvalidValue` for the first one that cannot be read."""
    found: dict[tuple[str, str, str], Affiliation] = {}
    for piece in re.split(r"[;\n]", text):
        if clean_text(piece):
            one = affiliation(piece, field)
            found.setdefault(one.key, one)
    return tuple(found.values())
