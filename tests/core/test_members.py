"""Members and countries: who a member is, where they live, and how they hear from the group."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from braingain.core.countries import COUNTRIES, Country, country
from braingain.core.errors import InvalidValue
from braingain.core.members import (
    DEGREE_ALIASES,
    SECTOR_ALIASES,
    Degree,
    DigestChannel,
    Email,
    Gender,
    Member,
    Role,
    Sector,
    time_zone,
)
from braingain.core.parsing import parse_enum_list
from tests.builders import leader, member

JOINED = date(2022, 1, 8)
LEFT = date(2024, 6, 30)


def create(**overrides: Any) -> Member:
    """A valid member; each test overrides only the field it is about."""
    fields: dict[str, Any] = {
        "id": "ada.okafor",
        "given_names": "Adaeze",
        "surname": "Okafor",
        "email": "ada.okafor@example.org",
        "role": Role.MEMBER,
        "zone": "Africa/Lagos",
        "country": country("NG"),
        "gender": Gender.FEMALE,
        "joined_on": JOINED,
    }
    fields.update(overrides)
    return Member.create(**fields)


# --- Member.create ------------------------------------------------------------------------------


def test_a_member_keeps_the_values_it_was_created_with_trimmed_and_typed() -> None:
    ada = create(
        id="  ada.okafor ",
        given_names="  Adaeze   Chioma ",
        surname=" Okafor ",
        email=" ada.okafor@example.org ",
        zone=" Africa/Lagos ",
        degrees=(Degree.MBBS, Degree.MPH),
        specialization=" Paediatrics ",
        sectors=(Sector.CLINICAL,),
    )

    assert ada.id == "ada.okafor"
    assert ada.given_names == "Adaeze Chioma"
    assert ada.surname == "Okafor"
    assert ada.name == "Adaeze Chioma Okafor"
    assert ada.email is not None
    assert ada.email.address == "ada.okafor@example.org"
    assert ada.zone == ZoneInfo("Africa/Lagos")
    assert ada.country == Country("NG", "Nigeria")
    assert ada.degrees == (Degree.MBBS, Degree.MPH)
    assert ada.specialization == "Paediatrics"
    assert ada.sectors == (Sector.CLINICAL,)
    assert ada.left_on is None
    assert ada.slack_user_id is None
    assert ada.digest_channel is DigestChannel.EMAIL
    assert ada.active


def test_a_member_can_be_given_a_ready_made_email_and_zone() -> None:
    email = Email("ada.okafor@example.org")
    zone = ZoneInfo("Europe/London")

    ada = create(email=email, zone=zone)

    assert ada.email is email
    assert ada.zone is zone


@pytest.mark.parametrize("bad_id", ["", "   ", "ada okafor", ".ada", "-ada", "ada/okafor", "adá", "a" * 65])
def test_a_member_id_that_is_not_a_valid_id_is_refused(bad_id: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        create(id=bad_id)

    assert caught.value.field == "member id"
    assert "is not a valid id" in caught.value.reason
    assert "1-64 letters, digits" in caught.value.hint


@pytest.mark.parametrize("good_id", ["a", "ada.okafor", "SR-T07", "m_2:x", "a" * 64])
def test_a_member_id_of_1_to_64_letters_digits_and_punctuation_is_accepted(good_id: str) -> None:
    assert create(id=good_id).id == good_id


@pytest.mark.parametrize(("field", "label"), [("given_names", "given names"), ("surname", "surname")])
@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_given_names_and_surname_are_required(field: str, label: str, blank: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        create(**{field: blank})

    assert caught.value.field == label
    assert caught.value.reason == "is empty"
    assert caught.value.hint == "fill it in"


@pytest.mark.parametrize(("field", "label"), [("given_names", "given names"), ("surname", "surname")])
def test_a_name_longer_than_100_characters_is_refused(field: str, label: str) -> None:
    assert getattr(create(**{field: "N" * 100}), field) == "N" * 100

    with pytest.raises(InvalidValue) as caught:
        create(**{field: "N" * 101})

    assert caught.value.field == label
    assert caught.value.reason == "is 101 characters long"
    assert "100 characters" in caught.value.hint


def test_a_member_cannot_leave_before_joining() -> None:
    with pytest.raises(InvalidValue) as caught:
        create(joined_on=date(2022, 1, 8), left_on=date(2022, 1, 7))

    assert caught.value.field == "left on"
    assert "Friday 7 January 2022" in caught.value.reason
    assert "Saturday 8 January 2022" in caught.value.reason
    assert caught.value.hint == "check both dates"


def test_a_member_may_leave_on_the_day_they_joined() -> None:
    assert create(joined_on=JOINED, left_on=JOINED).left_on == JOINED


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("U024BE7LH", "U024BE7LH"), ("W012A3CDE", "W012A3CDE"), ("  U024BE7LH ", "U024BE7LH"), ("U12", "U12")],
)
def test_a_slack_user_id_starts_with_u_or_w_followed_by_capitals_and_digits(typed: str, kept: str) -> None:
    assert create(slack_user_id=typed).slack_user_id == kept


@pytest.mark.parametrize(
    "bad", ["u024be7lh", "024BE7LH", "U1", "@ada", "ada.okafor", "U024BE7LH!", "C024BE7LH", "U" + "1" * 21]
)
def test_anything_else_is_refused_as_a_slack_user_id_with_a_hint_where_to_find_it(bad: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        create(slack_user_id=bad)

    assert caught.value.field == "slack user id"
    assert repr(bad) in caught.value.reason
    assert "Slack profile" in caught.value.hint
    assert "starts with U or W" in caught.value.hint


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_slack_user_id_means_none(empty: str | None) -> None:
    assert create(slack_user_id=empty).slack_user_id is None


@pytest.mark.parametrize("channel", [DigestChannel.SLACK, DigestChannel.BOTH])
def test_digests_by_slack_or_both_require_a_slack_user_id(channel: DigestChannel) -> None:
    with pytest.raises(InvalidValue) as caught:
        create(digest_channel=channel)

    assert caught.value.field == "digest channel"
    assert f"digests by {channel.value} need a Slack user id" in caught.value.reason
    assert "add the member's Slack user id, or choose email" in caught.value.hint


@pytest.mark.parametrize("channel", list(DigestChannel))
def test_every_digest_channel_is_allowed_once_a_slack_user_id_is_known(channel: DigestChannel) -> None:
    assert create(digest_channel=channel, slack_user_id="U024BE7LH").digest_channel is channel


def test_digests_by_email_need_no_slack_user_id() -> None:
    assert create(digest_channel=DigestChannel.EMAIL).slack_user_id is None


@pytest.mark.parametrize(
    ("channel", "slack", "email"),
    [
        (DigestChannel.SLACK, True, False),
        (DigestChannel.EMAIL, False, True),
        (DigestChannel.BOTH, True, True),
    ],
)
def test_a_digest_channel_says_which_ways_it_delivers(
    channel: DigestChannel, slack: bool, email: bool
) -> None:
    assert channel.wants_slack is slack
    assert channel.wants_email is email


@pytest.mark.parametrize("none", [None, "", "   ", "None", "none", " NONE "])
def test_a_specialization_of_none_or_blank_means_no_specialization(none: str | None) -> None:
    assert create(specialization=none).specialization is None


def test_a_specialization_is_kept_trimmed() -> None:
    assert create(specialization="  Community medicine ").specialization == "Community medicine"


def test_repeated_degrees_and_sectors_are_dropped_keeping_the_first_order() -> None:
    ada = create(
        degrees=(Degree.MBBS, Degree.MPH, Degree.MBBS, Degree.PHD, Degree.MPH),
        sectors=(Sector.NGO, Sector.ACADEMIA, Sector.NGO),
    )

    assert ada.degrees == (Degree.MBBS, Degree.MPH, Degree.PHD)
    assert ada.sectors == (Sector.NGO, Sector.ACADEMIA)


def test_an_invalid_email_refuses_the_member_without_echoing_the_address() -> None:
    with pytest.raises(InvalidValue) as caught:
        create(email="zainab.secret-at-example.org")

    assert caught.value.field == "email"
    assert "zainab" not in str(caught.value)


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (date(2022, 1, 7), False),  # the day before joining
        (JOINED, True),
        (date(2023, 5, 1), True),
        (date(2024, 6, 29), True),  # the last day in the group
        (LEFT, False),  # gone from the day they left
        (date(2025, 1, 1), False),
    ],
)
def test_a_member_is_active_from_the_day_they_join_until_the_day_they_leave(day: date, active: bool) -> None:
    assert create(joined_on=JOINED, left_on=LEFT).is_active_on(day) is active


def test_a_member_who_has_not_left_stays_active() -> None:
    ada = create(joined_on=JOINED)

    assert ada.is_active_on(date(2099, 12, 31))
    assert not ada.is_active_on(date(2022, 1, 7))


@pytest.mark.parametrize("day", [JOINED, date(2023, 5, 1), date(2099, 1, 1)])
def test_a_member_marked_inactive_is_never_active(day: date) -> None:
    assert not create(joined_on=JOINED, active=False).is_active_on(day)


@pytest.mark.parametrize(
    ("given_names", "surname", "initials"),
    [
        ("Adaeze", "Okafor", "A.O."),
        ("Adaeze Chioma", "Okafor", "A.C.O."),
        ("Mary-Jane", "Smith", "M.J.S."),
        ("ada", "okafor", "A.O."),
        ("Oluwaseun", "Adé-Bello", "O.A."),
        ("Émile", "Zola", "É.Z."),
    ],
)
def test_initials_take_each_given_name_and_the_surname(given_names: str, surname: str, initials: str) -> None:
    assert create(given_names=given_names, surname=surname).initials == initials


def test_only_a_leader_is_a_leader() -> None:
    assert leader().is_leader
    assert create(role=Role.LEADER).is_leader
    assert not member().is_leader
    assert not create(role=Role.MEMBER).is_leader


# --- Email ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "ada@example.org",
        "first.last+mentor@sub.example.co.uk",
        "o'neil@example.ie",
        "a_b-c@x-y.org",
        "x@y.io",
    ],
)
def test_a_well_formed_email_address_is_accepted(address: str) -> None:
    assert Email(address).address == address


def test_an_email_address_is_trimmed() -> None:
    assert Email("  ada@example.org\n").address == "ada@example.org"


@pytest.mark.parametrize(
    "address",
    [
        "",
        "zainab",
        "zainab@",
        "@example.org",
        "zainab@example",
        "zainab okafor@example.org",
        "zainab@exa mple.org",
        "zainab@-example.org",
        "zainab@example.org.",
        "zainab@@example.org",
        "zainab@example.org, ada@example.org",
        "zainab" + "z" * 250 + "@example.org",
    ],
)
def test_an_invalid_email_is_refused_without_the_value_in_the_error(address: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Email(address)

    error = caught.value
    assert error.field == "email"
    assert error.reason == "is not a valid email address"
    assert error.hint == "write one address: a name, a single @, then a domain such as example.org"
    # Emails never appear in errors or logs: not even the part before the @.
    for text in (str(error), repr(error), error.reason, error.hint, *map(str, error.args)):
        assert "zainab" not in text


def test_an_address_longer_than_254_characters_is_refused() -> None:
    domain = "@example.org"
    longest = "a" * (254 - len(domain)) + domain

    assert Email(longest).address == longest
    with pytest.raises(InvalidValue, match="is not a valid email address"):
        Email("a" + longest)


def test_an_email_never_appears_in_its_repr_or_str() -> None:
    email = Email("zainab.secret@example.org")

    for text in (str(email), repr(email), f"{email}", f"{email!r}", str([email]), str({"to": email})):
        assert "zainab" not in text
        assert "example.org" not in text
    assert str(email) == "<email redacted>"
    assert repr(email) == "Email(<redacted>)"


def test_an_email_never_appears_in_a_members_repr_or_str() -> None:
    zainab = create(email="zainab.secret@example.org")

    assert "zainab.secret" not in repr(zainab)
    assert "zainab.secret" not in str(zainab)
    assert "Email(<redacted>)" in repr(zainab)


def test_two_emails_with_the_same_address_are_equal() -> None:
    assert Email("ada@example.org") == Email(" ada@example.org ")
    assert Email("ada@example.org") != Email("ade@example.org")
    assert len({Email("ada@example.org"), Email("ada@example.org")}) == 1


# --- time zones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "january", "july"),
    [
        ("Africa/Lagos", 1, 1),
        ("Europe/London", 0, 1),
        ("America/Toronto", -5, -4),
        ("Australia/Sydney", 11, 10),
        ("UTC", 0, 0),
    ],
)
def test_a_real_iana_zone_is_accepted_with_its_daylight_saving(key: str, january: int, july: int) -> None:
    zone = time_zone(key)

    assert zone.key == key
    assert datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset() == timedelta(hours=january)
    assert datetime(2026, 7, 15, 12, tzinfo=zone).utcoffset() == timedelta(hours=july)


def test_a_zone_name_is_trimmed() -> None:
    assert time_zone("  Europe/London ").key == "Europe/London"


def _assert_refused_with_hint(key: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        time_zone(key)

    assert caught.value.field == "time zone"
    assert "is not a time zone braingain knows" in caught.value.reason
    assert "Region/City" in caught.value.hint
    assert "'Africa/Lagos'" in caught.value.hint


@pytest.mark.parametrize(
    "abbreviation", ["EST", "WAT", "GMT", "CET", "PST", "BST", "EST5EDT", "Lagos", "utc"]
)
def test_a_legacy_abbreviation_such_as_est_is_not_accepted_as_a_time_zone(abbreviation: str) -> None:
    _assert_refused_with_hint(abbreviation)


@pytest.mark.parametrize(
    "offset", ["+01:00", "-0500", "UTC+1", "GMT+1", "Etc/GMT+1", "Etc/GMT-14", "etc/gmt+5"]
)
def test_a_utc_offset_is_not_accepted_as_a_time_zone(offset: str) -> None:
    _assert_refused_with_hint(offset)


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "../etc/passwd", "Europe/../../etc/passwd", "./Europe/London", ".hidden/zone", "Europe/"],
)
def test_a_file_path_is_not_accepted_as_a_time_zone(path: str) -> None:
    _assert_refused_with_hint(path)


@pytest.mark.parametrize("unknown", ["", "   ", "Europe/Nowhere", "Mars/Olympus_Mons", "Africa/Lagos/Ikeja"])
def test_an_unknown_or_empty_zone_is_refused(unknown: str) -> None:
    _assert_refused_with_hint(unknown)


def test_the_refusal_of_a_zone_names_the_value_and_the_field_asked_for() -> None:
    with pytest.raises(InvalidValue) as caught:
        time_zone("EST", field="meeting zone")

    assert caught.value.field == "meeting zone"
    assert "'EST'" in str(caught.value)


def test_a_member_with_an_abbreviated_zone_is_refused() -> None:
    with pytest.raises(InvalidValue, match="not a time zone braingain knows"):
        create(zone="WAT")


# --- degrees and sectors -------------------------------------------------------------------------


def test_masters_degrees_are_exactly_the_seven_masters() -> None:
    masters = {d for d in Degree if d.is_masters}

    assert masters == {
        Degree.MPH,
        Degree.MSC,
        Degree.MPHIL,
        Degree.MBA,
        Degree.MA,
        Degree.MHPM,
        Degree.MASTERS,
    }


def test_doctorates_are_the_phd_and_the_drph_only() -> None:
    assert {d for d in Degree if d.is_doctorate} == {Degree.PHD, Degree.DRPH}
    assert not Degree.MD.is_doctorate
    assert not Degree.MBBS.is_masters


def _degrees(text: str) -> tuple[Degree, ...]:
    return parse_enum_list(Degree, text, "degrees", aliases=DEGREE_ALIASES)


def _sectors(text: str) -> tuple[Sector, ...]:
    return parse_enum_list(Sector, text, "sectors", aliases=SECTOR_ALIASES)


@pytest.mark.parametrize(
    ("typed", "degrees"),
    [
        ("MBBS; MPH", (Degree.MBBS, Degree.MPH)),
        ("mbbs, mph, PhD", (Degree.MBBS, Degree.MPH, Degree.PHD)),
        ("Ph.D.", (Degree.PHD,)),
        ("Ph. D.", (Degree.PHD,)),
        ("PhD; Ph.D.; Doctor of Philosophy; DPhil", (Degree.PHD,)),
        ("M.Sc.", (Degree.MSC,)),
        ("M.P.H.", (Degree.MPH,)),
        ("MB ChB", (Degree.MBBS,)),
        ("Master of Public Health", (Degree.MPH,)),
        ("Masters", (Degree.MASTERS,)),
        ("Master’s", (Degree.MASTERS,)),
        ("Master's (other)", (Degree.MASTERS,)),
        ("FWACS\nFMCPaed", (Degree.FELLOWSHIP,)),
        ("DrPH", (Degree.DRPH,)),
        ("", ()),
    ],
)
def test_degrees_are_read_from_a_list_cell_by_value_or_alias(typed: str, degrees: tuple[Degree, ...]) -> None:
    assert _degrees(typed) == degrees


def test_an_unknown_degree_is_refused_with_the_allowed_degrees() -> None:
    with pytest.raises(InvalidValue) as caught:
        _degrees("MBBS; BSc")

    assert caught.value.field == "degrees"
    assert "'BSc' is not one of the allowed values" in caught.value.reason
    assert "'PhD'" in caught.value.hint
    assert repr("Master's (other)") in caught.value.hint


@pytest.mark.parametrize(
    ("typed", "sectors"),
    [
        ("NGO", (Sector.NGO,)),
        ("Academia, Government", (Sector.ACADEMIA, Sector.GOVERNMENT)),
        ("Non-governmental organisation", (Sector.NGO,)),
        ("non government organization", (Sector.NGO,)),
        ("University; Academia; NGO", (Sector.ACADEMIA, Sector.NGO)),
        ("Clinical practice; Industry", (Sector.CLINICAL, Sector.PRIVATE)),
        ("private_sector", (Sector.PRIVATE,)),
    ],
)
def test_sectors_are_read_from_a_list_cell_by_value_or_alias(typed: str, sectors: tuple[Sector, ...]) -> None:
    assert _sectors(typed) == sectors


def test_an_unknown_sector_is_refused_with_the_allowed_sectors() -> None:
    with pytest.raises(InvalidValue) as caught:
        _sectors("Military")

    assert "'Military'" in caught.value.reason
    assert "'Academia'" in caught.value.hint
    assert "'Non-government organization'" in caught.value.hint


# --- countries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("NG", "NG"),
        ("ng", "NG"),
        (" gh ", "GH"),
        ("Nigeria", "NG"),
        ("nigeria", "NG"),
        ("NIGERIA", "NG"),
        ("Niger", "NE"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("England", "GB"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("Côte d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("DRC", "CD"),
        ("Congo", "CG"),
        ("Guinea-Bissau", "GW"),
        ("The Gambia", "GM"),
        ("Holland", "NL"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("U.K.", "GB"),
        ("u.k.", "GB"),
        ("U.S.", "US"),
        ("U.S.A.", "US"),
        ("U.S.A", "US"),
        ("U. S. A.", "US"),
        ("N.G.", "NG"),
        ("D.R.C.", "CD"),
    ],
)
def test_a_country_is_found_by_code_name_or_common_alias(typed: str, code: str) -> None:
    assert country(typed).code == code


@pytest.mark.parametrize("unknown", ["Narnia", "XX", "UKK", "", "Nigeria, Ghana", "X.X.", "U.K.K.", "."])
def test_an_unknown_country_is_refused_with_a_hint(unknown: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        country(unknown)

    assert caught.value.field == "country"
    assert "is not a country we know" in caught.value.reason
    assert repr(unknown.strip()) in caught.value.reason
    assert "two-letter ISO code" in caught.value.hint


def test_the_refusal_of_a_country_names_the_field_asked_for() -> None:
    with pytest.raises(InvalidValue) as caught:
        country("Atlantis", field="country of residence")

    assert caught.value.field == "country of residence"


def test_the_country_table_has_249_unique_two_letter_codes() -> None:
    assert len(COUNTRIES) == 249
    assert len({c.code for c in COUNTRIES.values()}) == 249
    assert len({c.name for c in COUNTRIES.values()}) == 249
    for code, found in COUNTRIES.items():
        assert found.code == code
        assert len(code) == 2
        assert code.isascii()
        assert code.isupper()


def test_every_country_is_found_by_its_own_code_and_name() -> None:
    for found in COUNTRIES.values():
        assert country(found.code) == found
        assert country(found.code.lower()) == found
        assert country(found.name) == found


def test_a_country_prints_as_its_name_and_sorts_by_code() -> None:
    nigeria, ghana = country("NG"), country("GH")

    assert str(nigeria) == "Nigeria"
    assert sorted([nigeria, ghana]) == [ghana, nigeria]


@pytest.mark.parametrize("length", [65, 300, 5000])
def test_a_time_zone_name_longer_than_any_iana_name_is_refused_with_a_short_quote(length: int) -> None:
    """The system cannot even open such a name as a file ("File name too long"): it is a typo."""
    with pytest.raises(InvalidValue) as refused:
        time_zone("Africa/" + "y" * (length - 7))
    assert "is not a time zone braingain knows" in refused.value.reason
    assert f"({length:,} characters)" in refused.value.reason or length <= 80
    assert len(refused.value.reason) < 200
