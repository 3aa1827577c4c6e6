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

from braingain.core.countries import Country, country, known_country
from braingain.core.errors import InvalidValue, quote
from braingain.core.parsing import clean_text, normalize_key

_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])")
_ORCID_PREFIXES = (
    "https://orcid.org/",
    "http://orcid.org/",
    "https://www.orcid.org/",
    "http://www.orcid.org/",
    "www.orcid.org/",
    "orcid.org/",
    "orcid:",
    "orcid ",
)


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
        a lower-case ``x`` allowed) or as its address (``https://orcid.org/0000-0002-1825-0097``, with
        or without ``www.``, a trailing ``/``, or angle brackets around it).

        Raises :class:`InvalidValue` naming ``field`` when it is not 16 characters in the ORCID form,
        or when its last character is not the check character of the 15 before it (a digit mistyped
        or two swapped)."""
        cleaned = clean_text(text).replace(" ", "")
        if cleaned.startswith("<") and cleaned.endswith(">"):
            cleaned = cleaned[1:-1]  # <https://orcid.org/...>, as some mail programs quote an address
        cleaned = cleaned.rstrip("/")
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


# fmt: off
_REGIONS = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
})
"""The two-letter codes of the US states (and DC) and of Canada's provinces and territories."""
_REGION_NAMES = frozenset(normalize_key(name) for name in (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
    "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
    "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "Alberta",
    "British Columbia", "Manitoba", "New Brunswick", "Newfoundland and Labrador", "Nova Scotia",
    "Northwest Territories", "Nunavut", "Ontario", "Prince Edward Island", "Quebec", "Saskatchewan",
    "Yukon",
))
# fmt: on
"""The names of the same, as :func:`~braingain.core.parsing.normalize_key` folds them."""
_REGION_CODE = re.compile(r"([A-Z]{2})(?:\s+[A-Z0-9]{3,5}(?:[\s-][A-Z0-9]{3,4})?)?")
"""A US state's or Canadian province's code, with or without its postal code: "MD", "ON M5S 1A8"."""
_REGION_NAMED = re.compile(r".+\s(?:State|Province|County|Region)")
"""A region anywhere named as one: "Edo State", "Western Province"."""


def _is_region(part: str, place: Country) -> bool:
    """Whether ``part``, written between the city and ``place``, is a state or province."""
    if place.code in ("US", "CA"):
        code = _REGION_CODE.fullmatch(part)
        if (code is not None and code.group(1) in _REGIONS) or normalize_key(part) in _REGION_NAMES:
            return True
    return _REGION_NAMED.fullmatch(part) is not None


def affiliation(text: str, field: str = "affiliations") -> Affiliation:
    """One affiliation from ``"institution…, city, country"`` (see the module's docstring).

    A state or province written after the city stays with it ("Baltimore, MD, USA": the city is
    "Baltimore, MD"; "Benin City, Edo State, Nigeria"), and a country whose own name has a comma
    ("Korea, Republic of") is read whole.

    Raises :class:`InvalidValue` naming ``field`` and quoting the affiliation when a part is
    missing or the country is not one braingain knows."""
    cleaned = clean_text(text)
    parts = [clean_text(p) for p in text.split(",")]
    parts = [p for p in parts if p]
    if len(parts) < 3:
        raise InvalidValue(
            f"{quote(cleaned)} needs an institution, a city and a country",
            field=field,
            hint=AFFILIATION_HINT,
        )
    try:
        place, rest = country(parts[-1], field), parts[:-1]
    except InvalidValue as error:
        whole = ", ".join(parts[-2:])
        if len(parts) < 4 or not known_country(whole):
            raise InvalidValue(f"in {quote(cleaned)}, {error.reason}", field=field, hint=error.hint) from None
        place, rest = country(whole, field), parts[:-2]
    if len(rest) >= 3 and _is_region(rest[-1], place):
        rest = [*rest[:-2], f"{rest[-2]}, {rest[-1]}"]
    return Affiliation(", ".join(rest[:-1]), rest[-1], place)


def affiliations(text: str, field: str = "affiliations") -> tuple[Affiliation, ...]:
    """Every affiliation in a cell: separated by semicolons or lines, in the member's order, each
    once. An empty cell has none. Raises :class:`InvalidValue` for the first one that cannot be read
    (its message quotes that one)."""
    found: dict[tuple[str, str, str], Affiliation] = {}
    for piece in re.split(r"[;\n]", text):
        if clean_text(piece):
            one = affiliation(piece, field)
            found.setdefault(one.key, one)
    return tuple(found.values())
