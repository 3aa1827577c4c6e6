"""Countries of residence: ISO 3166-1 alpha-2 codes and their short English names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from braingain.core.errors import InvalidValue, quote
from braingain.core.parsing import clean_text, normalize_key

_TABLE = """
AD Andorra|AE United Arab Emirates|AF Afghanistan|AG Antigua and Barbuda|AI Anguilla|AL Albania
AM Armenia|AO Angola|AQ Antarctica|AR Argentina|AS American Samoa|AT Austria|AU Australia|AW Aruba
AX Åland Islands|AZ Azerbaijan|BA Bosnia and Herzegovina|BB Barbados|BD Bangladesh|BE Belgium
BF Burkina Faso|BG Bulgaria|BH Bahrain|BI Burundi|BJ Benin|BL Saint Barthélemy|BM Bermuda
BN Brunei Darussalam|BO Bolivia|BQ Bonaire, Sint Eustatius and Saba|BR Brazil|BS Bahamas|BT Bhutan
BV Bouvet Island|BW Botswana|BY Belarus|BZ Belize|CA Canada|CC Cocos (Keeling) Islands
CD Democratic Republic of the Congo|CF Central African Republic|CG Congo|CH Switzerland
CI Côte d'Ivoire|CK Cook Islands|CL Chile|CM Cameroon|CN China|CO Colombia|CR Costa Rica|CU Cuba
CV Cabo Verde|CW Curaçao|CX Christmas Island|CY Cyprus|CZ Czechia|DE Germany|DJ Djibouti
DK Denmark|DM Dominica|DO Dominican Republic|DZ Algeria|EC Ecuador|EE Estonia|EG Egypt
EH Western Sahara|ER Eritrea|ES Spain|ET Ethiopia|FI Finland|FJ Fiji|FK Falkland Islands
FM Micronesia|FO Faroe Islands|FR France|GA Gabon|GB United Kingdom|GD Grenada|GE Georgia
GF French Guiana|GG Guernsey|GH Ghana|GI Gibraltar|GL Greenland|GM Gambia|GN Guinea|GP Guadeloupe
GQ Equatorial Guinea|GR Greece|GS South Georgia and the South Sandwich Islands|GT Guatemala|GU Guam
GW Guinea-Bissau|GY Guyana|HK Hong Kong|HM Heard Island and McDonald Islands|HN Honduras|HR Croatia
HT Haiti|HU Hungary|ID Indonesia|IE Ireland|IL Israel|IM Isle of Man|IN India
IO British Indian Ocean Territory|IQ Iraq|IR Iran|IS Iceland|IT Italy|JE Jersey|JM Jamaica
JO Jordan|JP Japan|KE Kenya|KG Kyrgyzstan|KH Cambodia|KI Kiribati|KM Comoros
KN Saint Kitts and Nevis|KP North Korea|KR South Korea|KW Kuwait|KY Cayman Islands|KZ Kazakhstan
LA Lao People's Democratic Republic|LB Lebanon|LC Saint Lucia|LI Liechtenstein|LK Sri Lanka
LR Liberia|LS Lesotho|LT Lithuania|LU Luxembourg|LV Latvia|LY Libya|MA Morocco|MC Monaco
MD Moldova|ME Montenegro|MF Saint Martin|MG Madagascar|MH Marshall Islands|MK North Macedonia
ML Mali|MM Myanmar|MN Mongolia|MO Macao|MP Northern Mariana Islands|MQ Martinique|MR Mauritania
MS Montserrat|MT Malta|MU Mauritius|MV Maldives|MW Malawi|MX Mexico|MY Malaysia|MZ Mozambique
NA Namibia|NC New Caledonia|NE Niger|NF Norfolk Island|NG Nigeria|NI Nicaragua|NL Netherlands
NO Norway|NP Nepal|NR Nauru|NU Niue|NZ New Zealand|OM Oman|PA Panama|PE Peru|PF French Polynesia
PG Papua New Guinea|PH Philippines|PK Pakistan|PL Poland|PM Saint Pierre and Miquelon|PN Pitcairn
PR Puerto Rico|PS Palestine|PT Portugal|PW Palau|PY Paraguay|QA Qatar|RE Réunion|RO Romania
RS Serbia|RU Russian Federation|RW Rwanda|SA Saudi Arabia|SB Solomon Islands|SC Seychelles
SD Sudan|SE Sweden|SG Singapore|SH Saint Helena, Ascension and Tristan da Cunha|SI Slovenia
SJ Svalbard and Jan Mayen|SK Slovakia|SL Sierra Leone|SM San Marino|SN Senegal|SO Somalia
SR Suriname|SS South Sudan|ST Sao Tome and Principe|SV El Salvador|SX Sint Maarten|SY Syria
SZ Eswatini|TC Turks and Caicos Islands|TD Chad|TF French Southern Territories|TG Togo
TH Thailand|TJ Tajikistan|TK Tokelau|TL Timor-Leste|TM Turkmenistan|TN Tunisia|TO Tonga
TR Türkiye|TT Trinidad and Tobago|TV Tuvalu|TW Taiwan|TZ Tanzania|UA Ukraine|UG Uganda
UM United States Minor Outlying Islands|US United States|UY Uruguay|UZ Uzbekistan
VA Holy See|VC Saint Vincent and the Grenadines|VE Venezuela|VG British Virgin Islands
VI U.S. Virgin Islands|VN Viet Nam|VU Vanuatu|WF Wallis and Futuna|WS Samoa|YE Yemen|YT Mayotte
ZA South Africa|ZM Zambia|ZW Zimbabwe
"""

_ALIASES = {
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "USA": "US",
    "United States of America": "US",
    "America": "US",
    "Ivory Coast": "CI",
    "Turkey": "TR",
    "Russia": "RU",
    "Vietnam": "VN",
    "Laos": "LA",
    "Czech Republic": "CZ",
    "Swaziland": "SZ",
    "Cape Verde": "CV",
    "DR Congo": "CD",
    "DRC": "CD",
    "Republic of the Congo": "CG",
    "Korea": "KR",
    "Republic of Korea": "KR",
    "Macedonia": "MK",
    "The Gambia": "GM",
    "The Bahamas": "BS",
    "The Netherlands": "NL",
    "Holland": "NL",
    # ISO 3166-1's official short names, inverted with a comma (as some institutions write them)
    "Korea, Republic of": "KR",
    "Korea, Democratic People's Republic of": "KP",
    "Iran, Islamic Republic of": "IR",
    "Tanzania, United Republic of": "TZ",
    "Congo, Democratic Republic of the": "CD",
    "Congo, The Democratic Republic of the": "CD",
    "Moldova, Republic of": "MD",
    "Venezuela, Bolivarian Republic of": "VE",
    "Bolivia, Plurinational State of": "BO",
    "Micronesia, Federated States of": "FM",
    "Palestine, State of": "PS",
    "Taiwan, Province of China": "TW",
}


@dataclass(frozen=True, slots=True, order=True)
class Country:
    """A country of residence, by ISO 3166-1 alpha-2 code."""

    code: str
    name: str

    def __str__(self) -> str:
        return self.name


def _load() -> dict[str, Country]:
    table: dict[str, Country] = {}
    for line in _TABLE.strip().splitlines():
        for item in line.split("|"):
            code, name = item.strip().split(" ", 1)
            table[code] = Country(code, name)
    return table


COUNTRIES: dict[str, Country] = _load()
_BY_KEY: dict[str, Country] = {normalize_key(c.name): c for c in COUNTRIES.values()}
_BY_KEY.update({normalize_key(alias): COUNTRIES[code] for alias, code in _ALIASES.items()})


_DOTTED = re.compile(r"[A-Za-z](?:\.\s*[A-Za-z])+\.?")
"""Letters with dots between them: ``U.K.``, ``U.S.A.``, ``U. S.``."""


def _find(cleaned: str) -> Country | None:
    if _DOTTED.fullmatch(cleaned):
        cleaned = re.sub(r"[.\s]", "", cleaned)  # U.S.A. is USA, U.K. is UK
    if len(cleaned) == 2 and cleaned.upper() in COUNTRIES:
        return COUNTRIES[cleaned.upper()]
    return _BY_KEY.get(normalize_key(cleaned))


def country(text: str, field: str = "country") -> Country:
    """Find a country by its two-letter code ("NG") or its name ("Nigeria", "UK"), initials written
    with dots too ("U.K.", "U.S.A."). Raises :class:`InvalidValue` naming ``field`` for any other
    text."""
    cleaned = clean_text(text)
    found = _find(cleaned)
    if found is None:
        raise InvalidValue(
            f"{quote(cleaned)} is not a country we know",
            field=field,
            hint="use the country's English name or its two-letter ISO code, e.g. 'Nigeria' or 'NG'",
        )
    return found


def known_country(text: str) -> bool:
    """Whether :func:`country` reads ``text`` as a country."""
    return _find(clean_text(text)) is not None
