"""Members of the group: who they are, where they live, and how they want to hear from us."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from braingain.core.countries import Country
from braingain.core.errors import Checks, InvalidValue, quote
from braingain.core.ids import MemberId, member_id
from braingain.core.parsing import require_text
from braingain.core.scholarly import Affiliation, Orcid
from braingain.core.words import day_said


class Role(Enum):
    LEADER = "leader"
    MEMBER = "member"


class Gender(Enum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non-binary"
    UNDISCLOSED = "prefer not to say"


class Degree(Enum):
    """Degrees attained or in progress. Master's degrees are grouped by ``is_masters``."""

    MBBS = "MBBS"
    BDS = "BDS"
    MD = "MD"
    DDS = "DDS"
    PHD = "PhD"
    DRPH = "DrPH"
    MPH = "MPH"
    MSC = "MSc"
    MPHIL = "MPhil"
    MBA = "MBA"
    MA = "MA"
    MHPM = "MHPM"
    MASTERS = "Master's (other)"
    FELLOWSHIP = "Postgraduate fellowship"

    @property
    def is_masters(self) -> bool:
        return self in _MASTERS

    @property
    def is_doctorate(self) -> bool:
        return self in (Degree.PHD, Degree.DRPH)


_MASTERS = frozenset(
    {Degree.MPH, Degree.MSC, Degree.MPHIL, Degree.MBA, Degree.MA, Degree.MHPM, Degree.MASTERS}
)

DEGREE_ALIASES: dict[str, Degree] = {
    "Doctor of Philosophy": Degree.PHD,
    "DPhil": Degree.PHD,
    "Master's": Degree.MASTERS,
    "Masters": Degree.MASTERS,
    "Master's degree": Degree.MASTERS,
    "MS": Degree.MSC,
    "Master of Public Health": Degree.MPH,
    "Master of Science": Degree.MSC,
    "Fellowship": Degree.FELLOWSHIP,
    "FWACS": Degree.FELLOWSHIP,
    "FWACP": Degree.FELLOWSHIP,
    "FMCPaed": Degree.FELLOWSHIP,
    "FMCOG": Degree.FELLOWSHIP,
    "FMCDS": Degree.FELLOWSHIP,
    "FDS": Degree.FELLOWSHIP,
    "MB ChB": Degree.MBBS,
    "MBChB": Degree.MBBS,
    # Dotted spellings: normalize_key turns "Ph.D." into "ph d", which no value matches.
    "M.B.B.S.": Degree.MBBS,
    "M.B.Ch.B.": Degree.MBBS,
    "B.D.S.": Degree.BDS,
    "M.D.": Degree.MD,
    "D.D.S.": Degree.DDS,
    "Ph.D.": Degree.PHD,
    "D.Phil.": Degree.PHD,
    "Dr.P.H.": Degree.DRPH,
    "M.P.H.": Degree.MPH,
    "M.Sc.": Degree.MSC,
    "M.S.": Degree.MSC,
    "M.Phil.": Degree.MPHIL,
    "M.B.A.": Degree.MBA,
    "M.A.": Degree.MA,
}


class Sector(Enum):
    """Employment sectors; a member may work in several."""

    ACADEMIA = "Academia"
    CLINICAL = "Clinical practice"
    GOVERNMENT = "Government"
    NGO = "Non-government organization"
    PRIVATE = "Private sector"


SECTOR_ALIASES: dict[str, Sector] = {
    "NGO": Sector.NGO,
    "Non-governmental organization": Sector.NGO,
    "Non-governmental organisation": Sector.NGO,
    "Non-government organisation": Sector.NGO,
    "Clinical": Sector.CLINICAL,
    "Industry": Sector.PRIVATE,
    "Private": Sector.PRIVATE,
    "University": Sector.ACADEMIA,
}


class DigestChannel(Enum):
    SLACK = "slack"
    EMAIL = "email"
    BOTH = "both"

    @property
    def wants_slack(self) -> bool:
        return self in (DigestChannel.SLACK, DigestChannel.BOTH)

    @property
    def wants_email(self) -> bool:
        return self in (DigestChannel.EMAIL, DigestChannel.BOTH)


_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


@dataclass(frozen=True, slots=True)
class Email:
    """An email address that never prints itself: ``str()`` and ``repr()`` are redacted.

    Use :attr:`address` where the real address is needed (delivery, sharing a folder).
    """

    address: str = field(repr=False)

    def __post_init__(self) -> None:
        cleaned = self.address.strip()
        local = cleaned.rsplit("@", 1)[0]
        if len(cleaned) > 254 or not _EMAIL.fullmatch(cleaned) or ".." in local or local.startswith("."):
            # The value is deliberately not echoed: emails never appear in errors or logs.
            raise InvalidValue(
                "is not a valid email address",
                field="email",
                hint="write one address: a name, a single @, then a domain such as example.org",
            )
        object.__setattr__(self, "address", cleaned)

    def __str__(self) -> str:
        return "<email redacted>"

    def __repr__(self) -> str:
        return "Email(<redacted>)"


_OFFSET_ZONE = re.compile(r"etc/gmt[+-]\d+", re.IGNORECASE)


ZONE_NAME_LIMIT = 64
"""No IANA zone name is longer (the longest, "America/Argentina/ComodRivadavia", has 32)."""


def time_zone(key: str, field: str = "time zone") -> ZoneInfo:
    """Return the IANA zone named ``key`` ("Africa/Lagos"); abbreviations and offsets are refused."""
    cleaned = key.strip()
    problem = InvalidValue(
        f"{quote(cleaned)} is not a time zone braingain knows",
        field=field,
        hint="use a Region/City name such as 'Africa/Lagos', 'Europe/London' or 'America/Toronto'",
    )
    if not cleaned or len(cleaned) > ZONE_NAME_LIMIT or cleaned.startswith(("/", ".")) or ".." in cleaned:
        raise problem
    if "/" not in cleaned and cleaned != "UTC":
        # Legacy abbreviations such as "EST" or "WAT" hide daylight saving; refuse them.
        raise problem
    if cleaned.split("/", 1)[0].casefold() in ("posix", "right"):
        # Alternative copies of the database some systems ship; "right/" zones count leap seconds.
        raise problem
    if _OFFSET_ZONE.fullmatch(cleaned):
        # "Etc/GMT+1" is an offset, and a trap: POSIX signs make it UTC-1, not UTC+1.
        raise problem
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name the system cannot open
        raise problem from None


_SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,20}")


UNREADABLE_FIELDS: dict[str, str] = {
    "email": "email address",
    "zone": "time zone",
    "country": "country of residence",
    "gender": "gender",
    "degrees": "degrees",
    "specialization": "clinical specialization",
    "sectors": "employment sectors",
    "joined_on": "date of joining",
    "left_on": "date of leaving",
    "slack_user_id": "Slack user ID",
    "digest_channel": "digest choice",
    "active": "active flag",
    "orcid": "ORCID iD",
    "affiliations": "affiliations",
}
"""The fields of a member that may be unknown (their tracker cell could not be read), in words.

Identity (id, names) and role are never unknown: without them there is no member."""

_REQUIRED_UNLESS_UNKNOWN = ("email", "zone", "country", "joined_on", "digest_channel")
"""Gender is optional: ``None`` is "not stated" (:mod:`braingain.core.roster` counts it so)."""
_ACTIVITY = frozenset({"joined_on", "left_on", "active"})


@dataclass(frozen=True, slots=True)
class Member:
    """One person in the group. Built through :meth:`create`, which checks every field.

    A field named in ``unknown`` could not be read from the tracker: its value is ``None``
    (or empty), the member stays a member, and whatever needs that field leaves them out
    and says why (:meth:`lacks`): no email digest without an email address, no local times
    or slot finding without a time zone, no reminders or digests while it is unknown when
    they belong to the group.
    """

    id: MemberId
    given_names: str
    surname: str
    email: Email | None
    role: Role
    zone: ZoneInfo | None
    country: Country | None
    gender: Gender | None
    degrees: tuple[Degree, ...]
    specialization: str | None
    sectors: tuple[Sector, ...]
    joined_on: date | None
    left_on: date | None = None
    slack_user_id: str | None = None
    digest_channel: DigestChannel | None = DigestChannel.EMAIL
    active: bool = True
    orcid: Orcid | None = None
    affiliations: tuple[Affiliation, ...] = ()
    unknown: frozenset[str] = frozenset()

    @classmethod
    def create(
        cls,
        *,
        id: str,
        given_names: str,
        surname: str,
        email: str | Email | None,
        role: Role,
        zone: str | ZoneInfo | None,
        country: Country | None,
        gender: Gender | None,
        degrees: tuple[Degree, ...] = (),
        specialization: str | None = None,
        sectors: tuple[Sector, ...] = (),
        joined_on: date | None,
        left_on: date | None = None,
        slack_user_id: str | None = None,
        digest_channel: DigestChannel | None = DigestChannel.EMAIL,
        active: bool = True,
        orcid: str | Orcid | None = None,
        affiliations: Iterable[Affiliation] = (),
        unknown: Iterable[str] = (),
    ) -> Member:
        """Check every field. ``None`` is allowed for email, zone, country, joined_on and
        digest_channel only when ``unknown`` names that field (its cell could not be read); a
        ``None`` gender is "not stated" (gender is optional).

        Raises :class:`InvalidValue` naming the field (``"email"``, ``"time zone"``, ``"left on"``...).
        """
        missing = frozenset(unknown)
        strange = sorted(missing - set(UNREADABLE_FIELDS))
        if strange:
            raise InvalidValue(f"{quote(strange[0])} cannot be unknown", field="member")
        given = {
            "email": email,
            "zone": zone,
            "country": country,
            "gender": gender,
            "joined_on": joined_on,
            "digest_channel": digest_channel,
        }
        checks = Checks()  # every refusal at once (Refusals), each naming its field
        for name in _REQUIRED_UNLESS_UNKNOWN:
            if given[name] is None and name not in missing:
                with checks:
                    raise InvalidValue("is empty", field=UNREADABLE_FIELDS[name], hint="fill it in")
        mid = MemberId(id)
        with checks:
            mid = member_id(id, "member id")
        if left_on is not None and joined_on is not None and left_on < joined_on:
            with checks:
                raise InvalidValue(
                    f"left on {day_said(left_on)} before joining on {day_said(joined_on)}",
                    field="left on",
                    hint="check both dates",
                )
        slack = (slack_user_id or "").strip() or None
        if slack and not _SLACK_USER.fullmatch(slack):
            with checks:
                raise InvalidValue(
                    f"{quote(slack)} is not a Slack user id",
                    field="slack user id",
                    hint="copy it from the member's Slack profile: it starts with U or W, e.g. U024BE7LH",
                )
        # An unreadable Slack ID is reported on its own cell, not again on the digest choice.
        if (
            digest_channel is not None
            and digest_channel.wants_slack
            and not slack
            and "slack_user_id" not in missing
        ):
            with checks:
                raise InvalidValue(
                    f"digests by {digest_channel.value} need a Slack user id",
                    field="digest channel",
                    hint="add the member's Slack user id, or choose email",
                )
        names = [given_names, surname]
        for index, (text, label) in enumerate(((given_names, "given names"), (surname, "surname"))):
            with checks:
                names[index] = require_text(text, label, max_length=100)
        address: Email | None = email if isinstance(email, Email) or email is None else None
        if isinstance(email, str):
            with checks:
                address = Email(email)
        place: ZoneInfo | None = None
        if zone is not None:
            with checks:
                place = time_zone(zone.key if isinstance(zone, ZoneInfo) else zone)
        identifier = orcid if isinstance(orcid, Orcid) or orcid is None else None
        if isinstance(orcid, str) and orcid.strip():
            with checks:
                identifier = Orcid.parse(orcid)
        checks.done()
        spec = specialization.strip() if specialization else None
        if not spec or spec.casefold() == "none":
            spec = None
        return cls(
            id=mid,
            given_names=names[0],
            surname=names[1],
            email=address,
            role=role,
            zone=place,
            country=country,
            gender=gender,
            degrees=tuple(dict.fromkeys(degrees)),
            specialization=spec,
            sectors=tuple(dict.fromkeys(sectors)),
            joined_on=joined_on,
            left_on=left_on,
            slack_user_id=slack,
            digest_channel=digest_channel,
            active=active,
            orcid=identifier,
            affiliations=tuple({a.key: a for a in affiliations}.values()),
            unknown=missing,
        )

    def lacks(self, field: str) -> str | None:
        """Why ``field`` (a name in :data:`UNREADABLE_FIELDS`) cannot be used, or ``None`` if it can."""
        if field not in self.unknown:
            return None
        return f"{self.name}'s {UNREADABLE_FIELDS[field]} could not be read (see the Problems tab)"

    @property
    def activity_known(self) -> bool:
        """Whether it is known when the member belongs to the group (joined, left, active)."""
        return not self.unknown & _ACTIVITY

    def local(self, instant: datetime) -> datetime | None:
        """``instant`` in the member's own zone, or ``None`` while their zone is unknown."""
        return instant.astimezone(self.zone) if self.zone is not None else None

    def local_date(self, instant: datetime) -> date:
        """The member's calendar date at ``instant`` (the UTC date while their zone is unknown)."""
        return instant.astimezone(self.zone or UTC).date()

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.surname}"

    @property
    def initials(self) -> str:
        parts = [*self.given_names.replace("-", " ").split(), self.surname]
        return ".".join(p[0].upper() for p in parts) + "."

    @property
    def is_leader(self) -> bool:
        return self.role is Role.LEADER

    def is_active_on(self, day: date) -> bool:
        """Whether the member belongs to the group on ``day`` (never, while that is unknown)."""
        if not self.activity_known or self.joined_on is None:
            return False
        if not self.active or day < self.joined_on:
            return False
        return self.left_on is None or day < self.left_on
