"""The tracker as a Google Sheet: the :class:`~braingain.core.ports.TrackerBackend` over Sheets v4.

:class:`GoogleSheets` reads and writes one spreadsheet through gspread's HTTP client on
an :class:`~braingain.integrations.http.EndpointSession` (so every request, the token
endpoint's included, can be pointed elsewhere), with every request under one bounded
:class:`~braingain.integrations.retry.RetryPolicy`. :func:`create_spreadsheet` lays a
new tracker out from the schema (what ``braingain init --google`` runs).

What this module promises:

- **A read costs two requests** (after signing in): ``spreadsheets.get`` with a field
  mask for the tabs' properties, merges, tables, filters, named ranges and the sync lease,
  then one ``values.batchGet`` of every tab.
  Values are read unformatted, so numbers arrive as numbers, booleans as booleans and
  text as text; a formula error arrives as its text ("#REF!"). Dates are read as serial
  numbers and turned into :class:`~datetime.date` (date columns) or naive
  :class:`~datetime.datetime` (date-time columns) by the column's type in the schema,
  whatever display format a person gave the cells, by the core's one rule
  (:func:`~braingain.core.tracker.cells.serial_moment`, which the local workbook's plain numbers
  meet in the core): a number outside 1950..9999 stays a number. Headers are matched
  as the core matches them (:func:`~braingain.core.parsing.header_key`).
- **A write costs two requests, three when tabs or columns are added**, and nothing a person
  typed since the read is overwritten, whatever they did: the structural ``batchUpdate`` (only
  when tabs or columns must be added: ``addSheet``, headers, notes, formats, dropdowns,
  protections); then the *guard read*, ``values.batchGetByDataFilter`` of every tab to write
  by its sheetId (so a renamed tab is still found, and seen renamed); then one
  ``spreadsheets.batchUpdate`` with every cell. The cells were planned on the last read; the
  guard read places them on the tabs as they are now
  (:func:`~braingain.core.tracker.guard.place`): a cell goes to the row with its ID and the
  column with its header (``updateCells`` by sheetId), rows the sync adds go in as
  ``appendCells``, which Google appends below the last row holding a value when it applies
  the write, so a row a person typed meanwhile is never written over. What cannot be placed
  (a row deleted or its ID changed, a header or the tab renamed, during the sync) is not
  written and is returned (:class:`~braingain.core.tracker.schema.Unwritten`); the next sync
  writes it. The same batch makes a tab grow when the cells do not fit (``appendDimension``),
  and makes the tables, basic filters, filter views and named ranges that covered a tab's rows
  reach its new last row (``updateTable``, ``setBasicFilter`` with the filter as it was,
  ``updateFilterView``, ``updateNamedRange``). An empty write sends nothing.
  Google has no conditional write of cells, so a person's edit in the instant between the guard read and the
  write (one request's round trip) is not seen: new rows still land below whatever it adds,
  but a row inserted or deleted, or a column moved, in that instant can put the sync's cells
  one row or column off.
  An added tab takes the sheetId the core chose (so the sync remembers it in the same write)
  unless a tab has it, and added columns go from the column the core chose (right of
  everything the tab holds).
  Values go in as Sheets stores what is typed RAW (``stringValue``: text stays text, a note
  starting with "=" included; ``numberValue``), so no text a person reads is ever
  reinterpreted; dates go in as serial numbers into date columns (which carry a date
  format with the weekday, ddd d mmm yyyy), so the next read gives back exactly what was
  written and a second sync writes nothing. Yes/no values are written as "yes"/"no",
  the values of the column's dropdown. A date-time with a time zone, or a date in a
  column that is not a date column, is written as ISO text (``isoformat()``, the
  text the core compares cells with).
- **Two syncs never interleave their writes**: each write batch (the structural one and the
  cells') starts by swapping the sync lease (:mod:`braingain.integrations.tracker.google_lease`), so
  a batch is applied only if no other sync wrote since this sync's read, and a sync does not
  write while another holds the lease
  (:class:`~braingain.integrations.errors.SyncBusy`, nothing written); it costs no request.
- **Retries never duplicate anything, and never widen the window**: before a batch whose
  answer was lost is sent again, braingain looks at the lease (one request, only then): if
  that batch was applied, the lease holds its value and nothing is sent again. A retry of the
  write then reads the tabs again (the guard read), so rows that did land are not appended
  again and a cell that holds its value is not written again; before a structural batch is
  sent again, the spreadsheet is read afresh and only what is still missing is added
  (``addSheet`` is not idempotent).
- **No secret and no email address appears in a message or a log**: errors quote
  Google's status and reason, with anything that looks like an address blanked out.
"""

from __future__ import annotations

import json
import logging
import math
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, cast

import gspread
import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import GoogleAuthError, RefreshError
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.urls import DRIVE_FILES_API_V3_URL, SPREADSHEETS_API_V4_BASE_URL

from braingain.core.errors import InvalidValue, quote
from braingain.core.members import Email
from braingain.core.parsing import header_key
from braingain.core.tracker.cells import serial_moment, to_serial
from braingain.core.tracker.gantt_tab import RULES, today_formula
from braingain.core.tracker.guard import MEMORY_WAITS, Placed, last_row, memory_waits, place
from braingain.core.tracker.schema import (
    AddColumns,
    AddTab,
    Cell,
    CellWrite,
    Column,
    Grid,
    Merge,
    Owner,
    Schema,
    Snapshot,
    Tab,
    TrackerWrite,
    Unwritten,
    as_text,
    column_index,
    column_letter,
    is_blank,
)
from braingain.integrations import text
from braingain.integrations.config import Config
from braingain.integrations.errors import ConfigError, IntegrationError, PlatformError, SyncBusy, TrackerError
from braingain.integrations.google import login as google_login
from braingain.integrations.http import DEFAULT_TIMEOUT, GOOGLE_OAUTH, EndpointSession
from braingain.integrations.retry import RetryPolicy, classify, error_details, redact
from braingain.integrations.tracker import google_lease
from braingain.integrations.tracker.formats import (
    COMMON_ZONES,
    DATE_FORMAT,
    DATETIME_FORMAT,
    PROBLEM_FILL,
    REFERENCES,
    SYNC_NOTE,
    WRAPPED,
    column_note,
    problem_formula,
    prompt,
)
from braingain.integrations.tracker.google_lease import FIELDS as LEASE_FIELDS
from braingain.integrations.tracker.schema import load_schema

__all__ = [
    "CREDENTIAL_VARIABLES",
    "SCOPES",
    "TOKEN_URI",
    "GoogleSheets",
    "adopt_spreadsheet",
    "create_spreadsheet",
    "google_credentials",
    "google_session",
    "leader_emails",
    "quote_title",
    "read_value",
    "spreadsheet_id_from",
    "value_ranges",
    "written_value",
]

T = TypeVar("T")
JSON = dict[str, Any]
"""A request or response body of the Sheets or Drive API (a JSON object)."""

SCOPES = google_login.SCOPES
"""Least privilege: the spreadsheets, and only the Drive files braingain creates (never the whole Drive)."""
TOKEN_URI = f"{GOOGLE_OAUTH}/token"
SERVICE_ACCOUNT_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS"
OAUTH_VARIABLES = (
    "BRAINGAIN_GOOGLE_CLIENT_ID",
    "BRAINGAIN_GOOGLE_CLIENT_SECRET",
    "BRAINGAIN_GOOGLE_REFRESH_TOKEN",
)
CREDENTIAL_VARIABLES = (SERVICE_ACCOUNT_VARIABLE, *OAUTH_VARIABLES)

SERVICE = "Google Sheets"
METADATA_FIELDS = (
    "sheets(properties(sheetId,title,index,hidden,sheetType,gridProperties),merges,basicFilter,"
    "filterViews(filterViewId,range,namedRangeId,tableId),tables(tableId,range)),"
    f"namedRanges(namedRangeId,range),{LEASE_FIELDS}"
)
"""What a read asks for besides the cells: the tabs, their merges, and the ranges that cover a tab
(tables, basic filters, filter views, named ranges), which rows appended by a sync must join; and the
sync lease (:mod:`braingain.integrations.tracker.google_lease`)."""
PROTECTION_FIELDS = "sheets(properties(sheetId,title),protectedRanges(protectedRangeId))"
READ_OPTIONS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
GROW_MARGIN = 200
"""Rows added beyond what a write needs when a tab is full, so that it does not grow every sync."""
MAX_TEXT = 50_000
"""Google Sheets' limit on the characters in one cell."""
HEADER_NOTE = "braingain finds each column by this header: keep it as it is (columns may be reordered)."

_WIDTHS = {"longtext": 360, "members": 220, "choices": 220, "windows": 240, "email": 220, "text": 180,
           "date": 120, "datetime": 160}  # fmt: skip
"""Column widths in pixels; a date shows its weekday (Sat 16 Jan 2027 14:00)."""
_BLACK = {"red": 0.0, "green": 0.0, "blue": 0.0}
_SYNC_HEADER = {"red": 0.749, "green": 0.749, "blue": 0.749}
_SYNC_COLUMN = {"red": 0.949, "green": 0.949, "blue": 0.949}
_OVERDUE = {"red": 1.0, "green": 0.78, "blue": 0.808}
_ACCEPTED = {"red": 0.776, "green": 0.937, "blue": 0.808}
_REWORK = {"red": 1.0, "green": 0.922, "blue": 0.612}
_OPTIONAL = {"red": 0.25, "green": 0.25, "blue": 0.25}
_PROBLEM = {
    "red": int(PROBLEM_FILL[0:2], 16) / 255,
    "green": int(PROBLEM_FILL[2:4], 16) / 255,
    "blue": int(PROBLEM_FILL[4:6], 16) / 255,
}

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Credentials
# --------------------------------------------------------------------------------------------


def _how_to_sign_in() -> str:
    return (
        "sign in as yourself with `braingain login google` (docs/google-setup.md); or, for a service "
        f"account on Google Workspace, set {SERVICE_ACCOUNT_VARIABLE} to the path of its key file (JSON) "
        "in the environment or in the .env file next to braingain.toml"
    )


def google_credentials(config: Config) -> Credentials:
    """Google credentials, scoped for Sheets and the Drive files braingain creates (:data:`SCOPES`).

    In this order: a key file named by ``GOOGLE_APPLICATION_CREDENTIALS`` (a service account, or
    authorized-user credentials), set for this group in the environment or its .env; OAuth user
    credentials from ``BRAINGAIN_GOOGLE_CLIENT_ID``, ``BRAINGAIN_GOOGLE_CLIENT_SECRET`` and
    ``BRAINGAIN_GOOGLE_REFRESH_TOKEN``; else, the default, the leader's own sign-in kept by
    ``braingain login google`` (:mod:`braingain.integrations.google.login`), saved back whenever
    it is refreshed. The token endpoint is reached through the same rewritten endpoints as the
    APIs (see :func:`google_session`), so a signed assertion keeps Google's own token URI as its
    audience. Raises :class:`ConfigError` saying how to sign in; no secret is ever part of a message.
    """
    key_file = config.secret(SERVICE_ACCOUNT_VARIABLE)
    if key_file:
        return _from_key_file(key_file)
    present = [name for name in OAUTH_VARIABLES if config.secret(name)]
    if len(present) == len(OAUTH_VARIABLES):
        client_id, client_secret, refresh_token = (config.secret(name) for name in OAUTH_VARIABLES)
        return user_credentials.Credentials(  # type: ignore[no-untyped-call]
            token=None,
            refresh_token=refresh_token,
            client_id=client_id,
            client_secret=client_secret,
            token_uri=TOKEN_URI,
            scopes=list(SCOPES),
        )
    if present:
        missing = [name for name in OAUTH_VARIABLES if name not in present]
        raise ConfigError(
            f"Google OAuth credentials are incomplete: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set",
            hint=f"set all three of {', '.join(OAUTH_VARIABLES)}, or remove them and sign in with "
            "`braingain login google`",
        )
    kept = google_login.kept_credentials(config)
    if kept is not None:
        return kept
    raise ConfigError("braingain is not signed in to Google", hint=_how_to_sign_in())


def _from_key_file(path: str) -> Credentials:
    unreadable = ConfigError(
        f"the file named by {SERVICE_ACCOUNT_VARIABLE} cannot be read",
        hint=f"check that {SERVICE_ACCOUNT_VARIABLE} holds the path of the service-account key file "
        "(JSON) you downloaded from the Google Cloud console, and that braingain may read it",
    )
    try:
        with open(path, encoding="utf-8") as stream:
            info = json.load(stream)
    except (OSError, UnicodeDecodeError):
        raise unreadable from None
    except ValueError:
        raise ConfigError(
            f"the file named by {SERVICE_ACCOUNT_VARIABLE} is not JSON",
            hint="download the service account's key again (Google Cloud console: IAM, Service accounts, "
            "Keys, Add key, JSON)",
        ) from None
    if not isinstance(info, dict):
        raise unreadable
    kind = info.get("type")
    try:
        if kind == "service_account":
            found: Credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=list(SCOPES)
            )
            return found
        if kind == "authorized_user":
            info = {"token_uri": TOKEN_URI, **info}
            user: Credentials = user_credentials.Credentials.from_authorized_user_info(  # type: ignore[no-untyped-call]
                info, scopes=list(SCOPES)
            )
            return user
    except (ValueError, KeyError, GoogleAuthError):
        raise ConfigError(
            f"the key file named by {SERVICE_ACCOUNT_VARIABLE} is incomplete or damaged",
            hint="download the service account's key again from the Google Cloud console",
        ) from None
    if "installed" in info or "web" in info:
        raise ConfigError(
            f"the file named by {SERVICE_ACCOUNT_VARIABLE} is an OAuth client file, "
            "not a service-account key",
            hint="for your own Google account, run `braingain login google --client-secrets FILE` with it "
            f"(and remove {SERVICE_ACCOUNT_VARIABLE}); {SERVICE_ACCOUNT_VARIABLE} takes a service-account "
            "key",
        )
    raise ConfigError(
        f"the file named by {SERVICE_ACCOUNT_VARIABLE} is not a service-account key",
        hint="download a JSON key for a service account from the Google Cloud console",
    )


def google_session(config: Config, *, timeout: float = DEFAULT_TIMEOUT) -> EndpointSession:
    """An authorized session for Google from ``config``: credentials, moved endpoints, a timeout."""
    credentials = google_credentials(config)
    return EndpointSession(credentials, endpoints=config.endpoints, timeout=timeout)


def _client(config: Config, timeout: float) -> HTTPClient:
    authorized = google_session(config, timeout=timeout)
    return gspread.Client(authorized.credentials, session=authorized).http_client


# --------------------------------------------------------------------------------------------
# Requests, with retries and errors people can act on
# --------------------------------------------------------------------------------------------


class _Requests:
    """Every Google request braingain sends for one spreadsheet, under the retry policy."""

    def __init__(self, http: HTTPClient, retry: RetryPolicy) -> None:
        self.http = http
        self.retry = retry
        credentials = getattr(http.session, "credentials", None)
        self.service_account = isinstance(credentials, service_account.Credentials) and not getattr(
            credentials, "_subject", None
        )
        """Whether braingain signs in as a service account acting as itself (which may own no file)."""

    def call(
        self,
        operation: Callable[[], T],
        *,
        what: str,
        idempotent: bool,
        spreadsheet: str | None,
        hint: str = "",
        creating: bool = False,
    ) -> T:
        """Run ``operation`` under the retry policy; ``creating`` says it makes a new file (which a
        service account is refused: it owns nothing)."""
        try:
            return self.retry.run(operation, what=what, idempotent=idempotent, hint=hint, service=SERVICE)
        except (APIError, requests.HTTPError) as error:
            raise _refused(
                error, what, spreadsheet, service_account=self.service_account, creating=creating
            ) from None
        except RefreshError as error:
            if error.retryable:
                raise PlatformError(
                    f"could not {what}: Google's sign-in service kept failing",
                    hint=hint or "wait a few minutes and run the command again",
                ) from None
            raise ConfigError(
                f"Google did not accept braingain's credentials, so it could not {what}"
                + (f" ({redact(str(error.args[0]))})" if error.args else ""),
                hint="a sign-in ends when it is withdrawn, unused for six months, or after seven days while "
                "your Google Cloud app is in testing: " + _how_to_sign_in(),
            ) from None
        except (requests.RequestException, GoogleAuthError, OSError) as error:
            failure = classify(error, idempotent=idempotent, now=self.retry.now())
            description = failure.description if failure is not None else type(error).__name__
            raise PlatformError(
                f"could not {what}: {description}",
                hint=hint
                or "check the internet connection and run the command again; braingain works out again "
                "what is left to do",
            ) from None

    def close(self) -> None:
        self.http.session.close()

    def json(self, method: str, url: str, **kwargs: Any) -> JSON:
        """One request through gspread's client; the answer as a JSON object."""
        response = self.http.request(method, url, **kwargs)
        try:
            body: object = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise PlatformError(
                f"{SERVICE} answered in a shape braingain does not understand",
                hint="run the command again; if it keeps happening, report it",
            )
        return cast(JSON, body)


def _refused(
    error: APIError | requests.HTTPError,
    what: str,
    spreadsheet: str | None,
    *,
    service_account: bool = False,
    creating: bool = False,
) -> Exception:
    """The error a person reads for a refused request. A service account (``service_account``) asked
    to make a file (``creating``) is refused by Google whatever it says (Sheets: 403
    PERMISSION_DENIED), and so is any request it makes that Google answers with storageQuotaExceeded;
    the same answer to a person means their own Drive is full."""
    response = error.response
    code = response.status_code if response is not None else 0
    status, reasons, message = error_details(response) if response is not None else ("", frozenset[str](), "")
    if code == 403 and service_account and ("storageQuotaExceeded" in reasons or creating):
        reason, hint = text.no_drive_storage(what)
        return TrackerError(reason, hint=hint)
    if code == 403 and "storageQuotaExceeded" in reasons:
        return TrackerError(
            f"could not {what}: your Google Drive is full (Google says storageQuotaExceeded)",
            hint="make room in Google Drive (empty its bin too) or add storage to your Google account, "
            "then run the command again",
        )
    said = " ".join(part for part in (f"HTTP {code}", status) if part)
    if reasons:
        said += f" ({', '.join(sorted(reasons))})"
    if message:
        said += f": {redact(message)}"
    where = f"the Google Sheet {spreadsheet}" if spreadsheet else "Google Sheets"
    if code == 404:
        return TrackerError(
            f"could not {what}: {where} does not exist, or was deleted ({said})",
            hint="check [tracker] spreadsheet_id in braingain.toml (the long part of the sheet's URL), "
            "or run braingain init --google to create a tracker",
        )
    if code == 403:
        return TrackerError(
            f"could not {what}: Google refused access to {where} ({said})",
            hint="share the sheet as an editor with the account braingain signs in as (for a service "
            "account, the client_email in its key file), and check that the Google Sheets and Google "
            "Drive APIs are enabled for its Cloud project",
        )
    if code == 400 and ("Unable to parse range" in message or "No grid with id" in message):
        return TrackerError(
            f"could not {what}: a tab was renamed, added or removed while braingain was syncing, "
            "so nothing was written",
            hint="run the command again",
        )
    if code == 401:
        return ConfigError(
            f"could not {what}: Google did not accept braingain's credentials ({said})",
            hint=_how_to_sign_in(),
        )
    return PlatformError(
        f"could not {what}: {SERVICE} refused the request ({said})",
        hint="if the tracker was changed by hand in an unusual way (protected or renamed tabs), "
        "put it back; otherwise report this as a braingain bug",
    )


# --------------------------------------------------------------------------------------------
# The layout of a spreadsheet, as the last read saw it
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cover:
    """A table, basic filter, filter view or named range over (part of) a tab, as read."""

    kind: str  # "table", "basicFilter", "filterView" or "namedRange"
    key: str
    range: JSON
    body: JSON = field(default_factory=dict)
    """The whole basic filter, which ``setBasicFilter`` replaces (its sort and criteria are kept)."""

    def grown(self, last: int, now: int) -> JSON | None:
        """The request that makes this cover reach down to row ``now`` (1-based), if it covered the
        tab's rows (from the header or the row under it to the last row, ``last``) and stops short."""
        start, end = _int(self.range.get("startRowIndex")), self.range.get("endRowIndex")
        if not isinstance(end, int) or start > 1 or not last <= end < now:
            return None  # a part of the tab, an unbounded range, or already long enough
        grown = {**self.range, "endRowIndex": now}
        if self.kind == "table":
            return {"updateTable": {"table": {"tableId": self.key, "range": grown}, "fields": "range"}}
        if self.kind == "basicFilter":
            return {"setBasicFilter": {"filter": {**self.body, "range": grown}}}
        if self.kind == "filterView":
            filter_view = {"filterViewId": int(self.key), "range": grown}
            return {"updateFilterView": {"filter": filter_view, "fields": "range"}}
        return {
            "updateNamedRange": {"namedRange": {"namedRangeId": self.key, "range": grown}, "fields": "range"}
        }


@dataclass(slots=True)
class _Sheet:
    sheet_id: int
    title: str
    index: int
    hidden: bool
    rows: int
    columns: int
    merges: tuple[Merge, ...] = ()
    covers: tuple[_Cover, ...] = ()


@dataclass(slots=True)
class _Layout:
    sheets: list[_Sheet]
    headers: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Each tab's header row as text, by sheetId."""
    grids: dict[int, Grid] = field(default_factory=dict)
    """Each tab's cells as read, by sheetId: what a write was planned on."""

    def find(self, title: str) -> _Sheet | None:
        """The tab titled ``title``: exactly, else as the core finds it (:func:`header_key`)."""
        exact = next((s for s in self.sheets if s.title == title), None)
        if exact is not None:
            return exact
        key = header_key(title)
        return next((s for s in self.sheets if header_key(s.title) == key), None)


@dataclass(frozen=True, slots=True)
class _Target:
    """One tab a write goes to: the schema's tab, its sheet id, the grid the cells were planned on
    (with the headers of columns the sync adds, by position), the cells, and the ranges over it."""

    tab: Tab
    sheet_id: int
    read: Grid
    added: Mapping[int, str]
    cells: tuple[CellWrite, ...]
    covers: tuple[_Cover, ...]
    size: tuple[int, int]
    """(rows, columns) of the grid as read: what the write assumes when the guard read does not say."""


_EXTENT = re.compile(r"([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)")


def _range_extent(text: object) -> tuple[str, tuple[int, int] | None]:
    """The tab title and (rows, columns) of a whole tab's A1 range as Google names it
    ("'It''s'!A1:Z1000"): Google reads a whole tab up to the edge of its grid."""
    if not isinstance(text, str) or "!" not in text:
        return "", None
    title, cells = text.rsplit("!", 1)
    if title.startswith("'") and title.endswith("'") and len(title) > 1:
        title = title[1:-1].replace("''", "'")
    found = _EXTENT.fullmatch(cells)
    if found is None or found.group(1) != "A" or found.group(2) != "1":
        return title, None
    return title, (int(found.group(4)), column_index(found.group(3)))


def _cell_data(value: str | int | float) -> JSON:
    """A written value as the CellData of updateCells and appendCells: text stays text (RAW), as
    the values API writes it; an empty text clears the cell."""
    if isinstance(value, str):
        return {"userEnteredValue": {"stringValue": value}} if value else {}
    return {"userEnteredValue": {"numberValue": value}}


_DATE_FORMATS: dict[str | None, JSON] = {
    "date": {"type": "DATE", "pattern": DATE_FORMAT},
    "datetime": {"type": "DATE_TIME", "pattern": DATETIME_FORMAT},
}
"""The number format of a date and a date-time column's cells."""


def _appended(value: str | int | float, kind: str | None) -> JSON:
    """A cell of an appended row: a date or date-time column's cell shows as one, even when empty."""
    data = _cell_data(value)
    if kind in _DATE_FORMATS:
        data["userEnteredFormat"] = {"numberFormat": _DATE_FORMATS[kind]}
    return data


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _sheets_of(metadata: JSON) -> list[_Sheet]:
    found: list[_Sheet] = []
    raw_sheets = metadata.get("sheets")
    for raw in raw_sheets if isinstance(raw_sheets, list) else []:
        if not isinstance(raw, dict):
            continue
        props = raw.get("properties")
        if not isinstance(props, dict) or not isinstance(props.get("title"), str):
            continue
        if props.get("sheetType", "GRID") != "GRID":
            continue  # charts and data-source sheets hold no cells
        grid = props.get("gridProperties")
        grid = grid if isinstance(grid, dict) else {}
        raw_merges = raw.get("merges")
        merges = [
            Merge(
                _int(merge.get("startRowIndex")) + 1,
                _int(merge.get("startColumnIndex")) + 1,
                _int(merge.get("endRowIndex")),
                _int(merge.get("endColumnIndex")),
            )
            for merge in (raw_merges if isinstance(raw_merges, list) else [])
            if isinstance(merge, dict)
        ]
        merges.sort(key=lambda m: (m.first_row, m.first_column, m.last_row, m.last_column))
        sheet_id = _int(props.get("sheetId"))
        found.append(
            _Sheet(
                sheet_id=sheet_id,
                title=props["title"],
                index=_int(props.get("index")),
                hidden=bool(props.get("hidden", False)),
                rows=_int(grid.get("rowCount"), DEFAULT_ROWS),
                columns=_int(grid.get("columnCount"), DEFAULT_COLUMNS),
                merges=tuple(merges),
                covers=tuple(_covers(raw, metadata, sheet_id)),
            )
        )
    found.sort(key=lambda s: s.index)
    return found


def _objects(value: object) -> list[JSON]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _covers(raw: JSON, metadata: JSON, sheet_id: int) -> list[_Cover]:
    """The tables, basic filter, filter views and named ranges over a tab. A filter backed by a
    table or named range follows it, so only the table or range itself is listed."""
    found = [
        _Cover("table", str(t["tableId"]), t["range"])
        for t in _objects(raw.get("tables"))
        if "tableId" in t and isinstance(t.get("range"), dict)
    ]
    basic = raw.get("basicFilter")
    if isinstance(basic, dict) and isinstance(basic.get("range"), dict) and "tableId" not in basic:
        found.append(_Cover("basicFilter", "", basic["range"], basic))
    found += [
        _Cover("filterView", str(v["filterViewId"]), v["range"])
        for v in _objects(raw.get("filterViews"))
        if "filterViewId" in v and isinstance(v.get("range"), dict)
        and "tableId" not in v and "namedRangeId" not in v
    ]  # fmt: skip
    found += [
        _Cover("namedRange", str(n["namedRangeId"]), n["range"])
        for n in _objects(metadata.get("namedRanges"))
        if "namedRangeId" in n
        and isinstance(n.get("range"), dict)
        and _int(n["range"].get("sheetId")) == sheet_id
    ]
    return found


def quote_title(title: str) -> str:
    """A tab title as A1 notation wants it: 'It''s here'."""
    return "'" + title.replace("'", "''") + "'"


def _schema_tab(schema: Schema, title: str) -> Tab | None:
    key = header_key(title)
    return next((t for t in schema.tabs if header_key(t.title) == key), None)


def _types_by_position(tab: Tab | None, header: Sequence[Cell]) -> dict[int, str]:
    """Column type by 0-based position, from the header row: columns are found by header, matched
    as the core matches them (:func:`header_key`); a header that appears twice gives no type."""
    if tab is None:
        return {}
    by_header = {header_key(c.header): c.type for c in tab.columns}
    keys = [header_key(as_text(value)) for value in header]
    types: dict[int, str] = {}
    for position, key in enumerate(keys):
        kind = by_header.get(key)
        if kind is not None and keys.count(key) == 1:
            types[position] = kind
    return types


# --------------------------------------------------------------------------------------------
# Values: what is read and what is written
# --------------------------------------------------------------------------------------------


def _from_serial(serial: float, kind: str) -> Cell:
    """A serial number in a date or date-time column as a date or a naive datetime, by the core's
    rule (:func:`~braingain.core.tracker.cells.serial_moment`); a number outside it stays a number."""
    moment = serial_moment(serial)
    if moment is None:
        return serial
    if kind == "date" and moment.time() == datetime.min.time():
        return moment.date()
    return moment


def read_value(raw: object, kind: str | None) -> Cell:
    """One cell of a values response as the core sees it (``kind``: the column's type, if known)."""
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float):
        if kind in ("date", "datetime") and math.isfinite(raw):
            return _from_serial(float(raw), kind)
        return raw
    if isinstance(raw, str):
        return raw if raw else None
    return json.dumps(raw)


def written_value(value: Cell, kind: str | None, where: str) -> str | int | float:
    """``value`` as a RAW value for a cell of type ``kind``; reading it back gives the same Cell."""
    if value is None:
        return ""  # an empty string clears the cell; null would leave it as it is
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TrackerError(f"cannot write {value} to {where}: Google Sheets has no such number")
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()  # Sheets has no time zones: keep the offset, as text
    if isinstance(value, date):
        # A date column gets a serial number (a real date); elsewhere the text the core compares with.
        return to_serial(value) if kind in ("date", "datetime") else as_text(value)
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 12] + " (truncated)"
    raise TrackerError(f"cannot write a {type(value).__name__} to {where}")


def _blocks(
    cells: Mapping[tuple[int, int], str | int | float],
) -> list[tuple[int, int, int, int, list[list[str | int | float]]]]:
    """Cells (by 1-based row and column) as rectangles: contiguous cells in a row, then rows of the
    same span; each (top, left, bottom, right, rows of values)."""
    runs: list[tuple[int, int, int, list[str | int | float]]] = []  # row, first, last column, values
    for row, column in sorted(cells):
        if runs and runs[-1][0] == row and runs[-1][2] == column - 1:
            _, first, _, values = runs[-1]
            values.append(cells[(row, column)])
            runs[-1] = (row, first, column, values)
        else:
            runs.append((row, column, column, [cells[(row, column)]]))
    blocks: list[tuple[int, int, int, int, list[list[str | int | float]]]] = []
    open_blocks: dict[tuple[int, int], int] = {}
    for row, first, last, values in runs:
        index = open_blocks.get((first, last))
        if index is not None and blocks[index][2] == row - 1:
            top, left, _, right, grid = blocks[index]
            grid.append(values)
            blocks[index] = (top, left, row, right, grid)
            continue
        open_blocks[(first, last)] = len(blocks)
        blocks.append((row, first, row, last, [values]))
    return blocks


def value_ranges(title: str, cells: Mapping[tuple[int, int], str | int | float]) -> list[JSON]:
    """The cells of one tab as A1 ranges: contiguous cells in a row, then rows of the same span."""
    quoted = quote_title(title)
    ranges: list[JSON] = []
    for top, left, bottom, right, grid in _blocks(cells):
        start, end = f"{column_letter(left)}{top}", f"{column_letter(right)}{bottom}"
        ranges.append(
            {
                "range": f"{quoted}!{start}" if start == end else f"{quoted}!{start}:{end}",
                "majorDimension": "ROWS",
                "values": grid,
            }
        )
    return ranges


# --------------------------------------------------------------------------------------------
# Laying a tab out: the same requests for a new spreadsheet, a missing tab, missing columns
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ids:
    """Where a tab's IDs are: its title and its ID column (1-based)."""

    title: str
    column: int

    @property
    def source(self) -> str:
        letter = column_letter(self.column)
        return f"={quote_title(self.title)}!${letter}$2:${letter}"


def _schema_ids(schema: Schema) -> dict[str, _Ids]:
    """Where each tab's IDs are in a tracker laid out from ``schema``, by tab key."""
    return {t.key: _Ids(t.title, [c.key for c in t.columns].index(t.id_column) + 1) for t in schema.tabs}


def _width(column: Column, tab: Tab) -> int:
    base = _WIDTHS.get(column.type, 120)
    if column.key == tab.id_column and tab.sync_appends:
        base = 220  # the IDs braingain makes (award:SR-T04:funmi.lawani) are longer than typed ones
    if column.type == "choice" and column.choices:
        base = max(base, 8 * max(len(c) for c in column.choices) + 30)
    return min(420, max(base, 8 * min(len(column.header), 24) + 24))


def _listed(values: Sequence[str], message: str, *, strict: bool = True) -> JSON:
    return {
        "condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": v} for v in values]},
        "inputMessage": message,
        "strict": strict,
        "showCustomUi": True,
    }


def _rule(tab: Tab, column: Column, index: int, ids: Mapping[str, _Ids]) -> JSON | None:
    """The data-validation rule of a people-owned column at ``index`` (0-based), if it has one:
    a dropdown, or (the ID column) a warning for an ID another row has; each with its prompt."""
    if column.owner is Owner.SYNC:
        return None
    message = prompt(tab, column)
    if column.key == tab.id_column:
        letter = column_letter(index + 1)
        return {
            "condition": {
                "type": "CUSTOM_FORMULA",
                "values": [{"userEnteredValue": f"=COUNTIF(${letter}:${letter},{letter}2)<=1"}],
            },
            "inputMessage": message,
            "strict": False,
        }
    if column.type == "choice" and column.choices:
        return _listed(column.choices, message)
    if column.type == "bool":
        return _listed(("yes", "no"), message)
    kind = REFERENCES.get(column.type)
    if kind is not None and kind in ids:
        return {
            "condition": {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": ids[kind].source}]},
            "inputMessage": message,
            "strict": column.type == "member",
            "showCustomUi": True,
        }
    if column.type == "zone":
        return _listed(
            COMMON_ZONES,
            "A common time zone from the list, or any other Region/City zone (e.g. Asia/Kathmandu).",
            strict=False,
        )
    return None


def _body_format(column: Column) -> tuple[JSON, list[str]]:
    """The look of a column's cells below the header, and the fields it sets."""
    look: JSON = {"verticalAlignment": "TOP"}
    fields: list[str] = ["userEnteredFormat.verticalAlignment"]
    if column.type in _DATE_FORMATS:
        look["numberFormat"] = _DATE_FORMATS[column.type]
        fields.append("userEnteredFormat.numberFormat")
    if column.type in WRAPPED:
        look["wrapStrategy"] = "WRAP"
        fields.append("userEnteredFormat.wrapStrategy")
    if column.owner is Owner.SYNC:
        look["backgroundColor"] = _SYNC_COLUMN
        fields.append("userEnteredFormat.backgroundColor")
    return look, fields


def _lay_out(
    sheet_id: int,
    tab: Tab,
    columns: Sequence[Column],
    first_column: int,
    ids: Mapping[str, _Ids],
    *,
    whole_tab: bool,
    schema: Schema | None = None,
) -> list[JSON]:
    """Header, notes, widths, formats, dropdowns and protections of ``columns`` from ``first_column``.

    ``whole_tab``: the tab is new, so the header row, a sync-owned tab, the highlight of a cell
    the Problems tab lists (``schema`` given) and the Tasks highlighting are set up too.
    """
    requests_: list[JSON] = []
    start = first_column - 1
    header_cells = []
    for column in columns:
        sync = column.owner is Owner.SYNC
        strong = sync or column.required
        look: JSON = {
            "textFormat": {"bold": strong, "foregroundColor": _BLACK if strong else _OPTIONAL},
            "wrapStrategy": "WRAP",
            "verticalAlignment": "TOP",
        }
        if sync:
            look["backgroundColor"] = _SYNC_HEADER
        cell: JSON = {"userEnteredValue": {"stringValue": column.header}, "userEnteredFormat": look}
        cell["note"] = column_note(column)
        header_cells.append(cell)
    requests_.append(
        {
            "updateCells": {
                "range": {
                    "sheetId": sheet_id,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": start,
                    "endColumnIndex": start + len(columns),
                },
                "rows": [{"values": header_cells}],
                "fields": "userEnteredValue,userEnteredFormat,note",
            }
        }
    )
    for offset, column in enumerate(columns):
        index = start + offset
        span = {"sheetId": sheet_id, "startColumnIndex": index, "endColumnIndex": index + 1}
        requests_.append(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": index,
                        "endIndex": index + 1,
                    },
                    "properties": {"pixelSize": _width(column, tab)},
                    "fields": "pixelSize",
                }
            }
        )
        look, fields = _body_format(column)
        if fields:
            requests_.append(
                {
                    "repeatCell": {
                        "range": {**span, "startRowIndex": 1},
                        "cell": {"userEnteredFormat": look},
                        "fields": ",".join(fields),
                    }
                }
            )
        rule = _rule(tab, column, index, ids)
        if rule is not None:
            requests_.append({"setDataValidation": {"range": {**span, "startRowIndex": 1}, "rule": rule}})
        if column.owner is Owner.SYNC and not tab.sync_owned:
            requests_.append(
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": span,
                            "description": f"{tab.title}: {column.header}. {SYNC_NOTE}",
                            "warningOnly": True,
                        }
                    }
                }
            )
    if whole_tab:
        requests_.append(
            {
                "addProtectedRange": {
                    "protectedRange": {
                        "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                        "description": f"{tab.title}: the header row. {HEADER_NOTE}",
                        "warningOnly": True,
                    }
                }
            }
        )
        if tab.sync_owned:
            requests_.append(
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {"sheetId": sheet_id},
                            "description": f"{tab.title}: {SYNC_NOTE}",
                            "warningOnly": True,
                        }
                    }
                }
            )
        highlight = (
            problem_formula(tab.title, schema, "A") if schema is not None and not tab.sync_owned else None
        )
        if highlight is not None:
            requests_.append(_highlight_problems(sheet_id, tab, highlight))
        if tab.key == "tasks":
            requests_.extend(_highlight_tasks(sheet_id, tab, first=int(highlight is not None)))
        if tab.weeks:
            requests_.extend(week_rules(sheet_id, tab))
    return requests_


def _colour(hex_rgb: str) -> JSON:
    return {
        "red": int(hex_rgb[0:2], 16) / 255,
        "green": int(hex_rgb[2:4], 16) / 255,
        "blue": int(hex_rgb[4:6], 16) / 255,
    }


def week_rules(sheet_id: int, tab: Tab) -> list[JSON]:
    """The Gantt tab's conditional format rules (:data:`~braingain.core.tracker.gantt_tab.RULES`),
    one ``addConditionalFormatRule`` each, in order: a code's colour on every week cell right of the
    tab's columns (unbounded to the right and down, so that weeks the sync adds later are covered
    and no rule is ever added again), and this week's column by ``TODAY()`` (header and blank cells)."""
    first = len(tab.columns)
    letter = column_letter(first + 1)
    body = {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": first}
    whole = {"sheetId": sheet_id, "startRowIndex": 0, "startColumnIndex": first}
    found: list[JSON] = []
    for index, rule in enumerate(RULES):
        if rule.kind == "equals":
            ranges, condition = body, {"type": "TEXT_EQ", "values": [{"userEnteredValue": rule.text}]}
        elif rule.kind == "starts":
            condition = {"type": "TEXT_STARTS_WITH", "values": [{"userEnteredValue": rule.text}]}
            ranges = body
        else:
            formula = "=" + today_formula(letter)
            ranges, condition = whole, {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}
        look: JSON = {"backgroundColor": _colour(rule.colour)}
        if rule.bold:
            look["textFormat"] = {"bold": True}
        found.append(
            {
                "addConditionalFormatRule": {
                    "index": index,
                    "rule": {"ranges": [ranges], "booleanRule": {"condition": condition, "format": look}},
                }
            }
        )
    return found


def _highlight_problems(sheet_id: int, tab: Tab, formula: str) -> JSON:
    """A cell the Problems tab lists stands out (the first rule: it wins) until it is fixed; a
    conditional format, so that a person's own formatting and value are never touched."""
    cells = {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": 0}
    return {
        "addConditionalFormatRule": {
            "index": 0,
            "rule": {
                "ranges": [{**cells, "endColumnIndex": max(len(tab.columns), DEFAULT_COLUMNS)}],
                "booleanRule": {
                    "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": "=" + formula}]},
                    "format": {"backgroundColor": _PROBLEM, "textFormat": {"bold": True}},
                },
            },
        }
    }


def _highlight_tasks(sheet_id: int, tab: Tab, *, first: int = 0) -> list[JSON]:
    """Overdue tasks red, accepted green, needs rework amber (by the columns' schema positions)."""
    keys = [c.key for c in tab.columns]
    if "status" not in keys:
        return []
    status = column_letter(keys.index("status") + 1)
    state = f"LOWER(TRIM(${status}2))"
    rules: list[tuple[str, JSON]] = []
    if "due" in keys:
        due = column_letter(keys.index("due") + 1)
        rules.append(
            (
                f'=AND(ISNUMBER(${due}2),${due}2<TODAY(),{state}<>"accepted",{state}<>"cancelled")',
                _OVERDUE,
            )
        )
    rules.append((f'={state}="accepted"', _ACCEPTED))
    rules.append((f'={state}="needs rework"', _REWORK))
    cells = {
        "sheetId": sheet_id,
        "startRowIndex": 1,
        "startColumnIndex": 0,
        "endColumnIndex": len(keys),
    }
    return [
        {
            "addConditionalFormatRule": {
                "index": first + index,
                "rule": {
                    "ranges": [cells],
                    "booleanRule": {
                        "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]},
                        "format": {"backgroundColor": colour},
                    },
                },
            }
        }
        for index, (formula, colour) in enumerate(rules)
    ]


def _sheet_properties(tab: Tab, *, sheet_id: int | None, index: int, rows: int) -> JSON:
    properties: JSON = {
        "title": tab.title,
        "index": index,
        "hidden": tab.hidden,
        "gridProperties": {
            "rowCount": rows,
            "columnCount": max(DEFAULT_COLUMNS, len(tab.columns)),
            "frozenRowCount": 1,
        },
    }
    if sheet_id is not None:
        properties["sheetId"] = sheet_id
    return properties


def _position(titles: Sequence[str], tab: Tab, schema: Schema) -> int:
    """Where a new tab goes: after the last tab before it in the schema."""
    folded = [t.casefold() for t in titles]
    order = [t.title.casefold() for t in schema.tabs]
    wanted = tab.title.casefold()
    if wanted in order:
        before = set(order[: order.index(wanted)])
        found = [i for i, title in enumerate(folded) if title in before]
        if found:
            return max(found) + 1
        if any(title in order for title in folded):
            return 0
    return len(titles)


def _new_sheet_id(used: set[int]) -> int:
    while True:
        candidate = secrets.randbelow(2_000_000_000) + 1
        if candidate not in used:
            used.add(candidate)
            return candidate


# --------------------------------------------------------------------------------------------
# The backend
# --------------------------------------------------------------------------------------------


class GoogleSheets:
    """The tracker as a Google Sheet (the :class:`~braingain.core.ports.TrackerBackend` port).

    ``http`` is gspread's HTTP client on an authorized session; ``retry`` the policy every
    request runs under; ``schema`` gives column types (for dates) and lays out added
    tabs and columns; ``clock`` (aware datetimes, default the retry policy's) times the sync
    lease. One instance is one sync's view of the sheet. Build one with :meth:`from_config`.
    """

    def __init__(
        self,
        spreadsheet_id: str,
        http: HTTPClient,
        *,
        schema: Schema | None = None,
        retry: RetryPolicy | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not spreadsheet_id.strip():
            raise ConfigError("the spreadsheet id is empty", hint="put the id in braingain.toml")
        self.spreadsheet_id = spreadsheet_id.strip()
        self._requests = _Requests(http, retry or RetryPolicy())
        self._schema = schema
        self._layout: _Layout | None = None
        self._sheet_ids: dict[str, int] = {}  # each tab's id by case-folded title, as the write found them
        self._lease = google_lease.Keeper(self.spreadsheet_id, clock or self._requests.retry.now)

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        schema: Schema | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        clock: Callable[[], datetime] | None = None,
    ) -> GoogleSheets:
        """The Google Sheet named by ``[tracker] spreadsheet_id``, signed in from the environment."""
        spreadsheet_id = (config.tracker.spreadsheet_id or "").strip()
        if not spreadsheet_id:
            where = config.source.name if config.source is not None else "braingain.toml"
            raise ConfigError(
                f"{where} [tracker] spreadsheet_id: no Google Sheet is configured",
                hint="run `braingain init --google` to create the tracker, then put the id it prints in "
                'braingain.toml as [tracker] spreadsheet_id = "..."',
            )
        return cls(spreadsheet_id, _client(config, timeout), schema=schema, retry=retry, clock=clock)

    def __repr__(self) -> str:
        return f"GoogleSheets({self.spreadsheet_id!r})"

    def close(self) -> None:
        """Close the HTTP connections (the backend can still be used: they reopen)."""
        self._requests.close()

    def __enter__(self) -> GoogleSheets:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        return self.spreadsheet_id

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            self._schema = load_schema()
        return self._schema

    # -- reading ---------------------------------------------------------------------------

    def read(self) -> Snapshot:
        """Every tab's values, merged ranges and hidden flag, by title, in two requests."""
        metadata = self._requests.call(
            lambda: self._requests.json(
                "get",
                f"{SPREADSHEETS_API_V4_BASE_URL}/{self.spreadsheet_id}",
                params={"includeGridData": "false", "fields": METADATA_FIELDS},
            ),
            what="read the tracker's tabs",
            idempotent=True,
            spreadsheet=self.spreadsheet_id,
        )
        self._lease.seen(google_lease.found(metadata))
        sheets = _sheets_of(metadata)
        layout = _Layout(sheets)
        if not sheets:
            self._layout = layout
            return Snapshot(grids={})
        ranges = [quote_title(s.title) for s in sheets]
        answer = self._requests.call(
            lambda: self._requests.json(
                "get",
                f"{SPREADSHEETS_API_V4_BASE_URL}/{self.spreadsheet_id}/values:batchGet",
                params={**READ_OPTIONS, "ranges": ranges},
            ),
            what="read the tracker's cells",
            idempotent=True,
            spreadsheet=self.spreadsheet_id,
        )
        found = answer.get("valueRanges")
        value_ranges_ = found if isinstance(found, list) else []
        if len(value_ranges_) != len(sheets):
            raise PlatformError(
                f"{SERVICE} answered with {len(value_ranges_)} tabs' cells for {len(sheets)} tabs",
                hint="a tab was probably added, removed or renamed during the sync: run it again",
            )
        grids: dict[str, Grid] = {}
        for sheet, value_range in zip(sheets, value_ranges_, strict=True):
            raw = value_range.get("values") if isinstance(value_range, dict) else None
            grid = self._grid(sheet, raw if isinstance(raw, list) else [])
            grids[sheet.title] = grid
            layout.headers[sheet.sheet_id] = tuple(
                as_text(v) for v in (grid.values[0] if grid.values else ())
            )
            layout.grids[sheet.sheet_id] = grid
        self._layout = layout
        return Snapshot(grids=grids)

    def _grid(self, sheet: _Sheet, raw_rows: list[object], tab: Tab | None = None) -> Grid:
        """A tab's cells from a values response; ``tab`` gives the column types (by default, the
        schema's tab of that title)."""
        header_raw = raw_rows[0] if raw_rows and isinstance(raw_rows[0], list) else []
        header = [read_value(v, None) for v in header_raw]
        types = _types_by_position(tab or _schema_tab(self.schema, sheet.title), header)
        rows: list[tuple[Cell, ...]] = []
        for number, raw in enumerate(raw_rows):
            cells = raw if isinstance(raw, list) else []
            values = [read_value(v, types.get(i) if number else None) for i, v in enumerate(cells)]
            while values and values[-1] is None:
                values.pop()
            rows.append(tuple(values))
        while rows and not rows[-1]:
            rows.pop()
        return Grid(
            title=sheet.title,
            values=tuple(rows),
            merges=sheet.merges,
            sheet_id=sheet.sheet_id,
            hidden=sheet.hidden,
        )

    # -- writing ---------------------------------------------------------------------------

    def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
        """Add tabs and columns (one batchUpdate, only when needed), read the tabs to write again
        (the guard), then write every cell in one batchUpdate.

        The cells are planned on the last :meth:`read` (without one, the tracker is read
        first); the guard read puts them where they belong now, in case a person edited the
        tabs since (:func:`~braingain.core.tracker.guard.place`): a cell goes to the row with
        its ID and the column with its header, and rows to append go in as ``appendCells``,
        below whatever is there when Google applies the write. Returns what could not be
        placed (a row deleted, a header or a tab renamed during the sync), which the next
        sync writes. An empty write sends nothing. Raises
        :class:`~braingain.integrations.errors.SyncBusy`, having written nothing, when another
        sync holds the lease, or wrote since that read (see
        :mod:`~braingain.integrations.tracker.google_lease`).
        """
        if changes.empty:
            self._release()  # a lease taken for the platforms' actions is given back
            return ()
        if self._layout is None:
            self.read()
        read = self._layout
        assert read is not None
        self._lease.check()
        ids = {s.title.casefold(): s.sheet_id for s in read.sheets}
        if self._structure(changes, read)[0]:
            ids |= self._apply_structure(changes, hold=bool(changes.cells))
        self._sheet_ids = ids
        targets = self._targets(changes, read, ids)
        if not targets:
            return ()
        held: list[Unwritten] = []
        attempted: str | None = None

        def attempt() -> None:
            nonlocal attempted
            if attempted is not None and self._lease.settle(self._peek(), self._lease.expected, attempted):
                return  # the last try was applied before its answer was lost
            # Each try reads again first: the window between the guard and the write stays one request.
            requests_, unwritten = self._guarded(targets, self._guard(targets))
            held[:] = unwritten
            # Sent even when the guard left no cell to write (another sync may have written them
            # all): the swap alone says whether anyone wrote since the read, and releases a held lease.
            swap, attempted = self._lease.swap(hold=False)
            self._batch([*swap, *requests_], len(swap))
            self._lease.landed(attempted)

        try:
            self._requests.call(
                attempt,
                what=f"write {len(changes.cells)} cells to the tracker",
                idempotent=True,  # made so: a retry looks at the lease, then reads the tabs again
                spreadsheet=self.spreadsheet_id,
            )
        except SyncBusy:
            raise
        except IntegrationError:
            self._release()
            raise
        self._layout = None  # the rows moved on: the next write reads again
        for unwritten in held:
            log.warning("not written, the tracker changed during the sync: %s", unwritten)
        return tuple(held)

    def _batch(self, requests_: list[JSON], swapped: int) -> JSON:
        """One ``spreadsheets.batchUpdate`` whose first ``swapped`` requests swap the lease; Google's
        refusal of the swap is :class:`~braingain.integrations.errors.SyncBusy` (nothing applied)."""
        try:
            return self._requests.json(
                "post",
                f"{SPREADSHEETS_API_V4_BASE_URL}/{self.spreadsheet_id}:batchUpdate",
                json={"requests": requests_, "includeSpreadsheetInResponse": False},
            )
        except APIError as error:
            response = error.response
            if (
                response is not None
                and response.status_code == 400
                and google_lease.refused(error_details(response)[2], swapped)
            ):
                raise self._lease.raced() from None
            raise

    def hold(self) -> None:
        """Take the sync lease before this sync changes anything on the other platforms (Zoom, Slack,
        email), until its write releases it (or :data:`~.google_lease.PLATFORMS_TTL` passes): a sync
        on another computer that read the sheet before cannot then repeat what this one sends, as its
        own hold or write is refused and it works afresh from what this one wrote. One request.

        Raises :class:`~braingain.integrations.errors.SyncBusy`, having sent nothing, when another
        sync holds the lease or wrote since this sync's read."""
        self._lease.check()
        if self._lease.holds():
            return
        attempted: str | None = None

        def attempt() -> None:
            nonlocal attempted
            if attempted is not None and self._lease.settle(self._peek(), self._lease.expected, attempted):
                return  # the last try was applied before its answer was lost
            swap, attempted = self._lease.swap(hold=True, ttl=google_lease.PLATFORMS_TTL)
            self._batch(swap, len(swap))
            self._lease.landed(attempted)

        self._requests.call(
            attempt,
            what="take the sync lease before changing other platforms",
            idempotent=True,  # made so: a retry looks at the lease first
            spreadsheet=self.spreadsheet_id,
        )

    def _release(self) -> None:
        """After a failed cells write, give back a lease this sync's structural batch holds, so that
        the next sync need not wait for it to end; one try, and a failure is left to the lease's end."""
        if not self._lease.holds():
            return
        swap, value = self._lease.swap(hold=False)
        try:
            self._requests.call(
                lambda: self._batch(swap, len(swap)),
                what="give the sync lease back",
                idempotent=False,  # one try: the lease ends on its own anyway
                spreadsheet=self.spreadsheet_id,
            )
        except IntegrationError:
            return
        self._lease.landed(value)

    def _peek(self) -> google_lease.Lease:
        """The lease as it is now (one request; only when a write's answer was lost)."""
        return google_lease.found(
            self._requests.json(
                "get",
                f"{SPREADSHEETS_API_V4_BASE_URL}/{self.spreadsheet_id}",
                params={"fields": LEASE_FIELDS},
            )
        )

    def _apply_structure(self, changes: TrackerWrite, *, hold: bool) -> dict[str, int]:
        """Send the structural batch, taking the lease (held until the cells release it if
        ``hold``); before any retry, read afresh and send only what is missing. Returns the sheet
        id of every tab, those added included, by case-folded title."""
        attempted: str | None = None
        added: dict[str, int] = {}

        def attempt() -> None:
            nonlocal attempted
            landed = False
            if attempted is not None:
                expected = self._lease.expected
                self.read()  # the batch may have been applied before the connection dropped
                landed = self._lease.settle(self._lease.expected, expected, attempted)
            layout = self._layout
            assert layout is not None
            requests_, new = self._structure(changes, layout)
            added.update({s.title.casefold(): s.sheet_id for s in layout.sheets})
            added.update(new)
            if landed or not requests_:
                return
            swap, attempted = self._lease.swap(hold=hold)
            self._batch([*swap, *requests_], len(swap))
            self._lease.landed(attempted)

        tabs = sum(1 for c in changes.structure if isinstance(c, AddTab))
        columns = sum(len(c.columns) for c in changes.structure if isinstance(c, AddColumns))
        self._requests.call(
            attempt,
            what=f"add {tabs} tab(s) and {columns} column(s) to the tracker",
            idempotent=True,  # made so: a retry checks the lease, reads again, adds only what is missing
            spreadsheet=self.spreadsheet_id,
        )
        self._layout = None  # tabs, headers and sizes changed: the next write reads again
        return added

    def _targets(self, changes: TrackerWrite, read: _Layout, ids: Mapping[str, int]) -> list[_Target]:
        """Each tab the cells go to, with the grid the cells were planned on."""
        targets: list[_Target] = []
        for title, cells in changes.by_tab().items():
            for cell in cells:
                _check_place(cell)
            sheet = read.find(title)
            key = changes.tab_key(title)
            tab = self.schema.tab(key) if key else _schema_tab(self.schema, title)
            sheet_id = sheet.sheet_id if sheet is not None else ids.get(title.casefold())
            if sheet_id is None or tab is None:
                raise TrackerError(
                    f"the Google Sheet has no tab {quote(title)} to write to",
                    hint="sync again; braingain adds missing tabs first",
                )
            if sheet is None:  # added by this sync: its header row is the schema's
                grid = Grid(title=tab.title, values=(tab.headers,), sheet_id=sheet_id)
                covers: tuple[_Cover, ...] = ()
                size = (DEFAULT_ROWS, max(DEFAULT_COLUMNS, len(tab.columns)))
            else:
                grid = read.grids.get(sheet.sheet_id) or Grid(title=sheet.title, values=())
                covers, size = sheet.covers, (sheet.rows, sheet.columns)
            added = {
                change.first_column + offset: column.header
                for change in changes.structure
                if isinstance(change, AddColumns) and change.tab.key == tab.key
                for offset, column in enumerate(change.columns)
            }
            targets.append(_Target(tab, sheet_id, grid, added, tuple(cells), covers, size))
        return targets

    def _guard(self, targets: Sequence[_Target]) -> dict[int, tuple[Grid, tuple[int, int] | None]]:
        """The guard read: every tab to write, by sheet id (so a renamed tab is still found), as it
        is now, with its grid size when Google says it. One request."""
        body = {"dataFilters": [{"gridRange": {"sheetId": t.sheet_id}} for t in targets], **READ_OPTIONS}
        answer = self._requests.json(
            "post",
            f"{SPREADSHEETS_API_V4_BASE_URL}/{self.spreadsheet_id}/values:batchGetByDataFilter",
            json=body,
        )
        found: dict[int, tuple[Grid, tuple[int, int] | None]] = {}
        by_id = {t.sheet_id: t for t in targets}
        for matched in _objects(answer.get("valueRanges")):
            filters = _objects(matched.get("dataFilters"))
            grid_range = filters[0].get("gridRange") if filters else None
            value_range = matched.get("valueRange")
            if not isinstance(grid_range, dict) or not isinstance(value_range, dict):
                continue
            target = by_id.get(_int(grid_range.get("sheetId"), -1))
            if target is None:
                continue
            title, size = _range_extent(value_range.get("range"))
            raw = value_range.get("values")
            sheet = _Sheet(target.sheet_id, title or target.read.title, 0, False, 0, 0)
            found[target.sheet_id] = (
                self._grid(sheet, raw if isinstance(raw, list) else [], target.tab),
                size,
            )
        return found

    def _guarded(
        self, targets: Sequence[_Target], now: Mapping[int, tuple[Grid, tuple[int, int] | None]]
    ) -> tuple[list[JSON], list[Unwritten]]:
        """The write batch for the tabs as the guard read them, and what cannot be placed."""
        placed: list[Placed] = []
        for target in targets:
            if target.sheet_id in now:
                grid = now[target.sheet_id][0]
                placed.append(place(target.tab, target.read, target.cells, grid, added=target.added))
            else:
                gone = Unwritten(target.read.title, "the tab was deleted during the sync", len(target.cells))
                placed.append(Placed((), (), (gone,)))
        if memory_waits([(t.tab.key, p) for t, p in zip(targets, placed, strict=True)]):
            placed = [
                Placed((), (), (Unwritten(t.read.title, MEMORY_WAITS, len(t.cells)),))
                if t.tab.key == "state"
                else p
                for t, p in zip(targets, placed, strict=True)
            ]
        requests_: list[JSON] = []
        unwritten: list[Unwritten] = []
        for target, found in zip(targets, placed, strict=True):
            unwritten.extend(found.unwritten)
            if target.sheet_id in now:
                grid, size = now[target.sheet_id]
                requests_.extend(self._tab_requests(target, grid, size, found))
        return requests_, unwritten

    def _tab_requests(
        self, target: _Target, grid: Grid, size: tuple[int, int] | None, placed: Placed
    ) -> list[JSON]:
        """updateCells for the placed cells, appendCells for the new rows, after growing the tab
        when they do not fit, and the ranges the new rows must join, made long enough."""
        if not placed.cells and not placed.appends:
            return []
        sheet_id = target.sheet_id
        types = _types_by_position(target.tab, grid.values[0] if grid.values else ())
        requests_: list[JSON] = []
        rows, columns = size or target.size
        tall = max((c.row for c in placed.cells), default=0)
        wide = max([c.column for c in placed.cells] + [max(r, default=0) for r in placed.appends])
        if tall > rows:
            requests_.append(_append(sheet_id, "ROWS", tall - rows + GROW_MARGIN))
        if wide > columns:
            requests_.append(_append(sheet_id, "COLUMNS", wide - columns))
        values: dict[tuple[int, int], str | int | float] = {}
        for cell in placed.cells:
            value = written_value(cell.value, types.get(cell.column - 1), f"{grid.title}!{cell.a1}")
            kind = types.get(cell.column - 1)
            if (
                cell.link is not None
                or (isinstance(value, str) and "\n" in value)
                or (kind in _DATE_FORMATS and not isinstance(value, str))
            ):
                requests_.append(self._shown(sheet_id, cell, value, kind))  # with its look: one cell
            else:
                values[(cell.row, cell.column)] = value
        for top, left, bottom, right, block in _blocks(values):
            span = {"startRowIndex": top - 1, "endRowIndex": bottom, "startColumnIndex": left - 1}
            requests_.append(
                {
                    "updateCells": {
                        "range": {"sheetId": sheet_id, **span, "endColumnIndex": right},
                        "rows": [{"values": [_cell_data(v) for v in line]} for line in block],
                        "fields": "userEnteredValue",
                    }
                }
            )
        if placed.appends:
            where = f"{grid.title} (a new row)"
            requests_.append(
                {
                    "appendCells": {
                        "sheetId": sheet_id,
                        "rows": [
                            {
                                "values": [
                                    _appended(
                                        written_value(row.get(c), types.get(c - 1), where), types.get(c - 1)
                                    )
                                    for c in range(1, max(row, default=0) + 1)
                                ]
                            }
                            for row in placed.appends
                        ],
                        "fields": "userEnteredValue,userEnteredFormat.numberFormat",
                    }
                }
            )
        last = last_row(grid)
        filled = [c.row for c in placed.cells if not is_blank(c.value)]
        end = max([last + len(placed.appends), *filled])
        requests_.extend(r for c in target.covers if (r := c.grown(last, end)) is not None)
        return requests_

    def _shown(self, sheet_id: int, cell: CellWrite, value: str | int | float, kind: str | None) -> JSON:
        """updateCells for one cell that must look a certain way: several lines wrap, top-aligned;
        a date or date-time shows as one (not as its serial number); a link (a Problems row's
        Where) goes to its cell, ``#gid=...&range=...``."""
        data = _cell_data(value)
        fields = ["userEnteredValue"]
        if isinstance(value, str) and "\n" in value:
            data["userEnteredFormat"] = {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"}
            fields += ["userEnteredFormat.wrapStrategy", "userEnteredFormat.verticalAlignment"]
        if kind in _DATE_FORMATS and not isinstance(value, str):
            data["userEnteredFormat"] = {"numberFormat": _DATE_FORMATS[kind]}
            fields.append("userEnteredFormat.numberFormat")
        link = cell.link
        target = self._sheet_ids.get(link.tab.casefold()) if link is not None else None
        if link is not None and target is not None and isinstance(value, str) and value:
            where = f"{column_letter(max(link.column, 1))}{link.row}"
            data["textFormatRuns"] = [
                {"startIndex": 0, "format": {"link": {"uri": f"#gid={target}&range={where}"}}}
            ]
            fields.append("textFormatRuns")
        row, column = cell.row - 1, cell.column - 1
        return {
            "updateCells": {
                "range": {
                    "sheetId": sheet_id,
                    "startRowIndex": row,
                    "endRowIndex": row + 1,
                    "startColumnIndex": column,
                    "endColumnIndex": column + 1,
                },
                "rows": [{"values": [data]}],
                "fields": ",".join(fields),
            }
        }

    def _structure(self, changes: TrackerWrite, layout: _Layout) -> tuple[list[JSON], dict[str, int]]:
        """The batchUpdate requests still needed against ``layout`` to add tabs and columns (none:
        nothing to do), and the sheet id each added tab gets, by case-folded title."""
        schema = self.schema
        requests_: list[JSON] = []
        used = {s.sheet_id for s in layout.sheets}
        titles = [s.title for s in layout.sheets]
        sizes = {s.sheet_id: (s.rows, s.columns) for s in layout.sheets}
        rows_needed: dict[str, int] = {}
        for cell in changes.cells:
            key = cell.tab.casefold()
            rows_needed[key] = max(rows_needed.get(key, 0), cell.row)
        added: dict[str, tuple[int, Tab]] = {}
        ids = self._id_columns(changes, layout)
        for change in changes.structure:
            folded = change.tab.title.casefold()
            if isinstance(change, AddTab):
                if layout.find(change.tab.title) is not None or folded in added:
                    continue
                wanted = change.sheet_id
                sheet_id = wanted if wanted is not None and wanted not in used else _new_sheet_id(used)
                used.add(sheet_id)
                index = _position(titles, change.tab, schema)
                rows = max(DEFAULT_ROWS, rows_needed.get(folded, 0) + GROW_MARGIN)
                properties = _sheet_properties(change.tab, sheet_id=sheet_id, index=index, rows=rows)
                requests_.append({"addSheet": {"properties": properties}})
                titles.insert(index, change.tab.title)
                added[folded] = (sheet_id, change.tab)
                requests_.extend(
                    _lay_out(sheet_id, change.tab, change.tab.columns, 1, ids, whole_tab=True, schema=schema)
                )
                continue
            sheet = layout.find(change.where)
            if sheet is None:
                if folded in added:
                    continue  # the new tab has every column
                raise TrackerError(
                    f"the tab {quote(change.where)} is missing, so its columns cannot be added",
                    hint="sync again; braingain adds missing tabs first",
                )
            header = layout.headers.get(sheet.sheet_id, ())
            present = {header_key(h) for h in header if header_key(h)}
            missing = [c for c in change.columns if header_key(c.header) not in present]
            if not missing:
                continue
            start = max(change.first_column, 1)
            occupied = [i for i, h in enumerate(header, start=1) if header_key(h)]
            if any(i >= start for i in occupied):
                start = max(occupied) + 1
            rows, columns = sizes[sheet.sheet_id]
            end = start + len(missing) - 1
            if end > columns:
                requests_.append(_append(sheet.sheet_id, "COLUMNS", end - columns))
                sizes[sheet.sheet_id] = (rows, end)
            requests_.extend(_lay_out(sheet.sheet_id, change.tab, missing, start, ids, whole_tab=False))
        return requests_, {folded: sheet_id for folded, (sheet_id, _) in added.items()}

    def _id_columns(self, changes: TrackerWrite, layout: _Layout) -> dict[str, _Ids]:
        """Where the IDs of each tab a reference column names are, by tab key: on the tab as it
        is, or where a tab this write adds puts them."""
        found: dict[str, _Ids] = {}
        adding = {c.tab.title.casefold() for c in changes.structure if isinstance(c, AddTab)}
        for kind in set(REFERENCES.values()):
            try:
                tab = self.schema.tab(kind)
            except KeyError:
                continue
            id_header = header_key(tab.column(tab.id_column).header)
            sheet = layout.find(tab.title)
            if sheet is not None:
                header = layout.headers.get(sheet.sheet_id, ())
                position = next(
                    (i for i, h in enumerate(header, start=1) if header_key(h) == id_header), None
                )
                if position is not None:
                    found[kind] = _Ids(sheet.title, position)
            elif tab.title.casefold() in adding:
                found[kind] = _schema_ids(self.schema)[kind]
        return found


def _check_place(cell: CellWrite) -> None:
    if cell.row < 1 or cell.column < 1:
        raise TrackerError(f"cannot write to row {cell.row}, column {cell.column} of {quote(cell.tab)}")


def _append(sheet_id: int, dimension: str, length: int) -> JSON:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": length}}


# --------------------------------------------------------------------------------------------
# Creating a tracker
# --------------------------------------------------------------------------------------------


def create_spreadsheet(
    config: Config,
    schema: Schema,
    *,
    title: str,
    rows: Mapping[str, Sequence[Mapping[str, Cell]]] | None = None,
    share_with: Sequence[str] = (),
    retry: RetryPolicy | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """A new, ready tracker spreadsheet; returns its id (what ``braingain init --google`` runs).

    Three requests, plus one per leader shared with: ``spreadsheets.create`` with one
    tab per schema tab (the state tab hidden, every header row frozen); one
    ``batchUpdate`` for headers, notes, formats, dropdowns, protections (warnings only)
    and the Tasks highlighting; one ``values.batchUpdate`` for ``rows`` (by tab key,
    then column key; skipped without rows). With ``[tracker] share_with_leaders`` the
    sheet is then shared with every active leader on the Members rows (writer, no
    notification email).

    A create whose answer was lost (the connection dropped) is not sent again, since it
    would make a second spreadsheet: the error says to look in Google Drive first. The
    layout batch and the values are retried safely (a retry of the layout first checks
    whether it was applied).
    """
    if not title.strip():
        raise ConfigError("the Google Sheet needs a title", hint="pass --title")
    layout_rows = _rows_by_tab(schema, rows or {})
    calls = _Requests(_client(config, timeout), retry or RetryPolicy())
    try:
        return _create(calls, config, schema, title, rows or {}, layout_rows, share_with)
    finally:
        calls.close()


def _create(
    calls: _Requests,
    config: Config,
    schema: Schema,
    title: str,
    rows: Mapping[str, Sequence[Mapping[str, Cell]]],
    layout_rows: Mapping[str, Mapping[tuple[int, int], str | int | float]],
    share_with: Sequence[str] = (),
) -> str:
    body = {
        "properties": {"title": title},
        "sheets": [
            {
                "properties": _sheet_properties(
                    tab,
                    sheet_id=None,
                    index=index,
                    rows=max(DEFAULT_ROWS, len(layout_rows.get(tab.key, ())) + 1 + GROW_MARGIN),
                )
            }
            for index, tab in enumerate(schema.tabs)
        ],
    }
    created = calls.call(
        lambda: calls.json("post", SPREADSHEETS_API_V4_BASE_URL, json=body),
        what="create the Google Sheet",
        idempotent=False,  # sent twice, it would make two spreadsheets
        spreadsheet=None,
        hint="look in Google Drive for a spreadsheet with that title before running init again",
        creating=True,
    )
    spreadsheet_id = created.get("spreadsheetId")
    if not isinstance(spreadsheet_id, str) or not spreadsheet_id:
        raise PlatformError(
            f"{SERVICE} created a spreadsheet but did not say its id",
            hint="look for it in Google Drive and put its id in braingain.toml",
        )
    sheet_ids = {s.title.casefold(): s.sheet_id for s in _sheets_of(created)}
    missing = [tab.title for tab in schema.tabs if tab.title.casefold() not in sheet_ids]
    if missing:
        raise PlatformError(
            f"{SERVICE} created the spreadsheet {spreadsheet_id} without the tabs {', '.join(missing)}",
            hint="delete it in Google Drive and run braingain init --google again",
        )
    delete_hint = (
        f"the spreadsheet {spreadsheet_id} was created but is not ready: delete it in Google Drive "
        "and run braingain init --google again"
    )
    share_rows = rows if config.tracker.share_with_leaders else {}
    share = bool(config.tracker.share_with_leaders or share_with)
    _fill(calls, schema, spreadsheet_id, sheet_ids, [], layout_rows, delete_hint)
    if share:
        _share_with_leaders(calls, spreadsheet_id, schema, share_rows, share_with)
    return spreadsheet_id


def _fill(
    calls: _Requests,
    schema: Schema,
    spreadsheet_id: str,
    sheet_ids: Mapping[str, int],
    first: Sequence[JSON],
    layout_rows: Mapping[str, Mapping[tuple[int, int], str | int | float]],
    delete_hint: str,
) -> None:
    """Lay the tracker out in ``spreadsheet_id`` (tabs by casefolded title in ``sheet_ids``), after
    the requests ``first`` in the same atomic batch, and write ``layout_rows`` below the headers."""
    ids = _schema_ids(schema)
    requests_: list[JSON] = list(first)
    for tab in schema.tabs:
        requests_.extend(
            _lay_out(sheet_ids[tab.title.casefold()], tab, tab.columns, 1, ids, whole_tab=True, schema=schema)
        )
    attempts = 0

    def lay_out() -> None:
        nonlocal attempts
        attempts += 1
        if attempts > 1 and _already_laid_out(calls, spreadsheet_id):
            return  # the batch was applied before the connection dropped; it is atomic
        calls.json(
            "post",
            f"{SPREADSHEETS_API_V4_BASE_URL}/{spreadsheet_id}:batchUpdate",
            json={"requests": requests_, "includeSpreadsheetInResponse": False},
        )

    calls.call(
        lay_out,
        what="lay the new Google Sheet out",
        idempotent=True,  # made so: a retry first checks whether the batch was applied
        spreadsheet=spreadsheet_id,
        hint=delete_hint,
    )
    data: list[JSON] = []
    for tab in schema.tabs:
        cells = layout_rows.get(tab.key)
        if cells:
            data.extend(value_ranges(tab.title, cells))
    if data:
        body_values = {"valueInputOption": "RAW", "includeValuesInResponse": False, "data": data}
        calls.call(
            lambda: calls.json(
                "post",
                f"{SPREADSHEETS_API_V4_BASE_URL}/{spreadsheet_id}/values:batchUpdate",
                json=body_values,
            ),
            what="fill the new Google Sheet",
            idempotent=True,
            spreadsheet=spreadsheet_id,
            hint=delete_hint,
        )


_SHEET_URL = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_SHEET_ID = re.compile(r"[A-Za-z0-9_-]{10,}")


def spreadsheet_id_from(address: str) -> str:
    """The spreadsheet id in a Google Sheet's address (``https://docs.google.com/spreadsheets/d/ID/edit...``)
    or a bare id. Raises :class:`ConfigError` for anything else."""
    given = address.strip()
    found = _SHEET_URL.search(given)
    if found is not None:
        return found.group(1)
    if _SHEET_ID.fullmatch(given):
        return given
    raise ConfigError(
        f"{quote(given)} is not the address or the id of a Google Sheet",
        hint="open the spreadsheet in your browser and copy its whole address from the address bar "
        "(https://docs.google.com/spreadsheets/d/.../edit)",
    )


def adopt_spreadsheet(
    config: Config,
    schema: Schema,
    address: str,
    *,
    rows: Mapping[str, Sequence[Mapping[str, Cell]]] | None = None,
    retry: RetryPolicy | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Turn an existing, empty spreadsheet into a tracker; returns its id (``init --google --adopt``).

    ``address`` is the sheet's address or id. For a service account, which may own no file: a
    leader creates a blank spreadsheet and shares it with the account as an editor. The sheet keeps
    its title, owner and sharing; its empty tabs give way to the tracker's.

    Refuses (:class:`TrackerError`, nothing changed) a spreadsheet with a value in any cell, naming
    the tab and the cell, so nothing a person typed is lost. Costs two reads (``spreadsheets.get``,
    ``values.batchGet``), one ``batchUpdate`` that adds the tracker's tabs, removes the empty ones
    and lays the tabs out at once (all or nothing), and one ``values.batchUpdate`` for ``rows``. It
    shares the sheet with nobody: braingain may touch only the Drive files it created (the
    ``drive.file`` permission), and the sheet's owner shares it from its Share button.
    """
    spreadsheet_id = spreadsheet_id_from(address)
    layout_rows = _rows_by_tab(schema, rows or {})
    calls = _Requests(_client(config, timeout), retry or RetryPolicy())
    try:
        metadata = calls.call(
            lambda: calls.json(
                "get",
                f"{SPREADSHEETS_API_V4_BASE_URL}/{spreadsheet_id}",
                params={
                    "includeGridData": "false",
                    "fields": "sheets(properties(sheetId,title,index,sheetType))",
                },
            ),
            what="open the Google Sheet to adopt",
            idempotent=True,
            spreadsheet=spreadsheet_id,
        )
        sheets = [
            raw.get("properties", {})
            for raw in _objects(metadata.get("sheets"))
            if isinstance(raw.get("properties"), dict)
        ]
        _refuse_unless_empty(calls, spreadsheet_id, sheets)
        used = {_int(p.get("sheetId")) for p in sheets}
        sheet_ids = {tab.title.casefold(): _new_sheet_id(used) for tab in schema.tabs}
        first: list[JSON] = [
            {
                "addSheet": {
                    "properties": _sheet_properties(
                        tab,
                        sheet_id=sheet_ids[tab.title.casefold()],
                        index=index,
                        rows=max(DEFAULT_ROWS, len(layout_rows.get(tab.key, ())) + 1 + GROW_MARGIN),
                    )
                }
            }
            for index, tab in enumerate(schema.tabs)
        ]
        first += [{"deleteSheet": {"sheetId": _int(p.get("sheetId"))}} for p in sheets]
        hint = f"run braingain init --google --adopt {spreadsheet_id} again: nothing was changed"
        _fill(calls, schema, spreadsheet_id, sheet_ids, first, layout_rows, hint)
        return spreadsheet_id
    finally:
        calls.close()


def _refuse_unless_empty(calls: _Requests, spreadsheet_id: str, sheets: Sequence[JSON]) -> None:
    """Raise :class:`TrackerError` (where, why, how) when any tab of the spreadsheet holds a value
    or is not a grid of cells (a chart)."""
    why = "braingain adopts only an empty spreadsheet, so that nothing typed in it is lost"
    how = (
        "create a new blank spreadsheet (in Google Sheets: Blank spreadsheet), share it as an editor with "
        "the account braingain signs in as, and run braingain init --google --adopt with its address; if "
        "this one already is your braingain tracker, put its id in braingain.toml as [tracker] "
        'spreadsheet_id = "..."'
    )
    for properties in sheets:
        if properties.get("sheetType", "GRID") != "GRID":
            title = quote(str(properties.get("title")))
            raise TrackerError(
                f"the Google Sheet {spreadsheet_id} is not empty: its tab {title} is a chart; {why}",
                hint=how,
            )
    titles = [str(p.get("title")) for p in sheets]
    if not titles:
        return
    found = calls.call(
        lambda: calls.json(
            "get",
            f"{SPREADSHEETS_API_V4_BASE_URL}/{spreadsheet_id}/values:batchGet",
            params={"ranges": [quote_title(t) for t in titles], **READ_OPTIONS},
        ),
        what="read the Google Sheet to adopt",
        idempotent=True,
        spreadsheet=spreadsheet_id,
    )
    for title, value_range in zip(titles, _objects(found.get("valueRanges")), strict=False):
        for row_number, row in enumerate(_objects_or_lists(value_range.get("values")), start=1):
            for column_number, value in enumerate(row, start=1):
                if value is not None and value != "":
                    raise TrackerError(
                        f"the Google Sheet {spreadsheet_id} is not empty: tab {quote(title)}, cell "
                        f"{column_letter(column_number)}{row_number} holds a value; {why}",
                        hint=how,
                    )


def _objects_or_lists(value: object) -> list[list[object]]:
    return [row for row in value if isinstance(row, list)] if isinstance(value, list) else []


def _rows_by_tab(
    schema: Schema, rows: Mapping[str, Sequence[Mapping[str, Cell]]]
) -> dict[str, dict[tuple[int, int], str | int | float]]:
    """``rows`` (tab key -> rows by column key) as cell values below each header, in schema order."""
    found: dict[str, dict[tuple[int, int], str | int | float]] = {}
    for key, tab_rows in rows.items():
        try:
            tab = schema.tab(key)
        except KeyError:
            raise TrackerError(
                f"the schema has no tab {quote(key)} to fill", hint="use a tab key from the schema"
            ) from None
        positions = {column.key: (index, column.type) for index, column in enumerate(tab.columns, start=1)}
        cells: dict[tuple[int, int], str | int | float] = {}
        for number, row in enumerate(tab_rows, start=2):
            for column_key, value in row.items():
                if column_key not in positions:
                    raise TrackerError(
                        f"the tab {quote(tab.title)} has no column {quote(column_key)}",
                        hint="use a column key from the schema",
                    )
                if value is None or (isinstance(value, str) and not value):
                    continue
                index, kind = positions[column_key]
                cells[(number, index)] = written_value(
                    value, kind, f"{tab.title}!{column_letter(index)}{number}"
                )
        found[key] = cells
    return found


def _already_laid_out(calls: _Requests, spreadsheet_id: str) -> bool:
    """Whether the layout batch of a new spreadsheet was applied (it adds protected ranges)."""
    found = calls.json(
        "get",
        f"{SPREADSHEETS_API_V4_BASE_URL}/{spreadsheet_id}",
        params={"includeGridData": "false", "fields": PROTECTION_FIELDS},
    )
    sheets = found.get("sheets")
    return any(
        isinstance(sheet, dict) and bool(sheet.get("protectedRanges"))
        for sheet in (sheets if isinstance(sheets, list) else [])
    )


def leader_emails(schema: Schema, rows: Mapping[str, Sequence[Mapping[str, Cell]]]) -> list[str]:
    """The emails of the active leaders on the Members rows, each once (never logged)."""
    try:
        tab = schema.tab("members")
    except KeyError:
        return []
    emails: dict[str, str] = {}
    for row in rows.get(tab.key, ()):
        if as_text(row.get("role")).casefold() != "leader":
            continue
        active = row.get("active")
        if active is False or as_text(active).casefold() in ("no", "false", "n", "0"):
            continue
        if as_text(row.get("left")):
            continue
        try:
            email = Email(as_text(row.get("email"))).address
        except InvalidValue:
            continue  # not a usable address (reported by the sync, on the Email cell)
        emails.setdefault(email.casefold(), email)
    return list(emails.values())


def _share_with_leaders(
    calls: _Requests,
    spreadsheet_id: str,
    schema: Schema,
    rows: Mapping[str, Sequence[Mapping[str, Cell]]],
    also: Sequence[str] = (),
) -> None:
    """Share with every leader on the Members rows, and with ``also`` (``init --share-with``)."""
    emails = list(dict.fromkeys([*leader_emails(schema, rows), *(e.strip() for e in also if e.strip())]))
    if not emails:
        log.info("no leader with an email on the Members rows: the new sheet is not shared")
        return
    failed: list[str] = []
    for number, email in enumerate(emails, start=1):
        try:
            calls.call(
                _permission(calls, spreadsheet_id, email),
                what=f"share the Google Sheet with leader {number} of {len(emails)}",
                idempotent=True,  # the same person with the same role: Drive keeps one permission
                spreadsheet=spreadsheet_id,
            )
        except (PlatformError, TrackerError, ConfigError) as error:
            failed.append(error.reason)
    log.info("shared the new sheet with %d of %d leaders", len(emails) - len(failed), len(emails))
    if failed:
        raise PlatformError(
            f"created the Google Sheet {spreadsheet_id} but could not share it with "
            f"{len(failed)} of {len(emails)} leaders: {failed[0]}",
            hint="share it with them from Google Drive (Share, as editors), or check their emails on the "
            "Members tab; the sheet itself is ready",
        )


def _permission(calls: _Requests, spreadsheet_id: str, email: str) -> Callable[[], JSON]:
    def share() -> JSON:
        return calls.json(
            "post",
            f"{DRIVE_FILES_API_V3_URL}/{spreadsheet_id}/permissions",
            params={"sendNotificationEmail": "false", "supportsAllDrives": "true", "fields": "id"},
            json={"type": "user", "role": "writer", "emailAddress": email},
        )

    return share
