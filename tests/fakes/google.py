"""A loopback fake of Google's OAuth 2.0 token endpoint, Sheets API v4 and Drive API v3.

One :class:`FakeGoogle` serves all three under one base URL, so that an
:class:`~braingain.integrations.http.EndpointSession` whose ``endpoints`` map
``https://oauth2.googleapis.com``, ``https://sheets.googleapis.com`` and
``https://www.googleapis.com`` to ``fake.base_url`` drives the *real* gspread and
google-auth clients against it:

- ``POST /token``: the JWT-bearer grant of a service account (the assertion's RS256
  signature is verified against the key registered with
  :meth:`FakeGoogle.register_service_account`), the refresh-token grant of OAuth
  user credentials (:meth:`FakeGoogle.register_refresh_token`), and the
  authorization-code grant of the installed-app sign-in (PKCE checked when the code was
  asked for with a challenge). Errors come in OAuth's ``{"error", "error_description"}`` shape.
- ``GET /o/oauth2/auth``: Google's consent page, already answered: for a registered OAuth
  client (:meth:`FakeGoogle.register_oauth_client`) and a loopback ``redirect_uri`` it
  redirects (302) to ``redirect_uri`` with ``code`` and ``state``, as the person
  :attr:`FakeGoogle.signed_in_user` (``consent = False``: with ``error=access_denied``). The
  out-of-band redirect (``urn:ietf:wg:oauth:2.0:oob``), which Google blocked in 2022, is a 400.
  ``POST /revoke`` revokes a refresh or access token (and the grant behind it).
- **Service accounts own nothing**: Google gives them no Drive storage, so a spreadsheet or
  file created by one outside a shared drive is refused as Google refuses it
  (``spreadsheets.create``: 403 PERMISSION_DENIED "The caller does not have permission";
  ``files.create``: 403 ``usageLimits``/``storageQuotaExceeded``). A service account may
  create a file in a shared drive it belongs to (:meth:`FakeGoogle.new_shared_drive`,
  ``supportsAllDrives=true``); a user signed in with OAuth owns what they create.
- ``/v4/spreadsheets...``: spreadsheets.create/get/batchUpdate and the values methods.
  Request bodies are checked against the Sheets discovery document shipped with
  google-api-python-client: an unknown field or enum value is a 400, as it is from
  Google. Unknown spreadsheets are 404 NOT_FOUND; ranges that do not parse are 400
  "Unable to parse range: ...".
- ``/drive/v3/files...``: files.generateIds/create/list/get/update/delete and
  permissions.create/list/delete; ``/upload/drive/v3/files...``: files.create and files.update
  with media (``uploadType=multipart`` as googleapiclient sends it, or ``media``). A create may
  carry an id from files.generateIds (one in use is a 409 ``duplicate``, one never generated a
  400 ``fileIdNotUsable``); ``text/html`` or ``text/plain`` uploaded as
  ``application/vnd.google-apps.document`` becomes a Doc whose text tests read with
  :meth:`FakeGoogle.doc_text`. ``appProperties`` are each app's own; files.list understands
  ``name``/``mimeType`` terms, ``trashed``, parents and ``appProperties has { key= and value= }``
  joined by ``and``, pages, and the corpora of shared drives (``includeItemsFromAllDrives``); a
  search (``q``) sees a new file only :attr:`FakeGoogle.drive_search_lag` seconds after it was
  made (:meth:`FakeGoogle.catch_up_search` ends the wait), as Drive's index lags. Permissions are
  inherited down folders and from a shared drive's members, and listed with ``permissionDetails``
  (an inherited one cannot be deleted on the file below). Request bodies and query parameters are
  checked against Drive's discovery document: a field or parameter it does not describe is a
  problem of the fake (bar the v2 leftovers gspread sends, which Drive ignores).

Every API route needs a valid, unexpired Bearer token with a fitting scope, else 401
UNAUTHENTICATED (or 403 for a missing scope) in Google's error shape. Faults from
:mod:`tests.fakes.framework` render as Google renders them: ``rate_limited(403)`` is the
``usageLimits``/``rateLimitExceeded`` error, ``rate_limited(429)`` RESOURCE_EXHAUSTED,
``expired_token()`` the 401 of an expired access token.

Tables, filter views, the basic filter and named ranges keep the range they were given:
values written below them do not make them longer (the API documents no such thing);
``updateTable``, ``updateFilterView``, ``setBasicFilter`` and ``updateNamedRange`` do.
Tests make them with :meth:`FakeGoogle.add_table` and its siblings.

Cells are stored sparsely as the API's ``CellData`` (``userEnteredValue``,
``userEnteredFormat``, ``note``, ``dataValidation``...). The fake evaluates no formulas:
a formula reads back as ``""`` unless a test set its value with
:meth:`FakeGoogle.set_formula` or an error with :meth:`FakeGoogle.set_formula_error`.
A request the fake does not implement answers 400 *and* is recorded in
:attr:`FakeGoogle.problems`, so the test fails instead of passing on a fake's gap.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime as dt
import decimal
import email.parser
import email.policy
import functools
import hashlib
import html.parser
import importlib.resources
import json
import math
import pickle
import random
import re
import string
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.fakes.framework import Fault, HttpError, LoopbackServer, Request, Response, Route, route

JsonObject = dict[str, Any]
"""A JSON object as the APIs send and receive it."""

TOKEN_URI = "https://oauth2.googleapis.com/token"
TOKEN_AUDIENCES = frozenset(
    {TOKEN_URI, "https://www.googleapis.com/oauth2/v4/token", "https://accounts.google.com/o/oauth2/token"}
)
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"

SCOPE_SPREADSHEETS = "https://www.googleapis.com/auth/spreadsheets"
SCOPE_SPREADSHEETS_READONLY = "https://www.googleapis.com/auth/spreadsheets.readonly"
SCOPE_DRIVE = "https://www.googleapis.com/auth/drive"
SCOPE_DRIVE_FILE = "https://www.googleapis.com/auth/drive.file"
SCOPE_DRIVE_READONLY = "https://www.googleapis.com/auth/drive.readonly"
SCOPE_DRIVE_METADATA_READONLY = "https://www.googleapis.com/auth/drive.metadata.readonly"

SPREADSHEET_MIME_TYPE = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME_TYPE = "application/vnd.google-apps.folder"
DOCUMENT_MIME_TYPE = "application/vnd.google-apps.document"
_GOOGLE_APPS = "application/vnd.google-apps."

DEFAULT_OWNER = "owner@braingain.test"
"""Who owns a spreadsheet that a test made with :meth:`FakeGoogle.new_spreadsheet`."""

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
CELL_LIMIT = 10_000_000
MAX_COLUMNS = 18_278  # column ZZZ
ROW_PIXELS = 21
COLUMN_PIXELS = 100

_SHEETS_SERVICE = "sheets.googleapis.com"
_DRIVE_SERVICE = "drive.googleapis.com"


# --------------------------------------------------------------------------------------
# Error bodies, in each API's own shape


_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_STATUS_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: (
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
        "or other valid authentication credential. "
        "See https://developers.google.com/identity/sign-in/web/devconsole-project."
    ),
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    409: "The operation was aborted.",
    429: "Resource has been exhausted (e.g. check quota).",
    500: "Internal error encountered.",
    501: "Operation is not implemented, or supported, or enabled.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "Deadline expired before operation could complete.",
}
_MISSING_CREDENTIALS = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
_DRIVE_REASONS = {
    400: "badRequest",
    401: "authError",
    403: "forbidden",
    404: "notFound",
    409: "conflict",
    429: "rateLimitExceeded",
}
_RPC_METHODS = {
    "spreadsheets.create": "CreateSpreadsheet",
    "spreadsheets.get": "GetSpreadsheet",
    "spreadsheets.batchUpdate": "BatchUpdateSpreadsheet",
    "values.get": "GetValues",
    "values.batchGet": "BatchGetValues",
    "values.update": "UpdateValues",
    "values.batchUpdate": "BatchUpdateValues",
    "values.append": "AppendValues",
    "values.clear": "ClearValues",
    "values.batchClear": "BatchClearValues",
    "values.batchGetByDataFilter": "BatchGetValuesByDataFilter",
}
_WWW_AUTHENTICATE = 'Bearer realm="https://accounts.google.com/", error="invalid_token"'


def _family(path: str) -> str:
    if path in ("/token", "/revoke") or path.startswith("/o/oauth2/"):
        return "oauth"
    if path.startswith(("/drive/", "/upload/drive/")):
        return "drive"
    return "sheets"


def _status_message(status: int) -> str:
    return _STATUS_MESSAGES.get(status, f"HTTP {status}")


def sheets_error_body(status: int, message: str, details: Sequence[JsonObject] = ()) -> JsonObject:
    """The error of a Google "One Platform" API such as Sheets v4."""
    error: JsonObject = {"code": status, "message": message, "status": _STATUS_NAMES.get(status, "UNKNOWN")}
    if details:
        error["details"] = list(details)
    return {"error": error}


def drive_error_body(
    status: int,
    message: str,
    *,
    reason: str | None = None,
    domain: str = "global",
    location: str | None = None,
    location_type: str | None = None,
) -> JsonObject:
    """The error of Drive v3, which still carries the older ``errors`` list."""
    item: JsonObject = {
        "message": message,
        "domain": domain,
        "reason": reason or _DRIVE_REASONS.get(status, "backendError"),
    }
    if location is not None:
        item["location"] = location
        item["locationType"] = location_type or "parameter"
    return {"error": {"code": status, "message": message, "errors": [item]}}


def _error_info(reason: str, service: str, method: str | None = None) -> JsonObject:
    metadata = {"service": service}
    if method:
        metadata["method"] = method
    return {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": metadata,
    }


def _sheets_error(status: int, message: str, details: Sequence[JsonObject] = ()) -> HttpError:
    return HttpError(Response.json(sheets_error_body(status, message, details), status))


def _drive_error(
    status: int,
    message: str,
    *,
    reason: str | None = None,
    domain: str = "global",
    location: str | None = None,
    location_type: str | None = None,
) -> HttpError:
    body = drive_error_body(
        status, message, reason=reason, domain=domain, location=location, location_type=location_type
    )
    return HttpError(Response.json(body, status))


def _oauth_error(status: int, error: str, description: str) -> HttpError:
    return HttpError(Response.json({"error": error, "error_description": description}, status))


class _Invalid(Exception):
    """One batchUpdate request, or one value, is invalid; the message is Google's."""


# --------------------------------------------------------------------------------------
# Field masks (``fields=`` partial responses and the ``fields`` of update requests)

MaskTree = dict[str, "MaskTree | None"]
"""A parsed field mask: each key selects a field, ``None`` the whole of it."""


def parse_field_mask(text: str) -> MaskTree:
    """Parse ``a,b.c,d(e,f/g)`` (``.`` and ``/`` both separate path segments)."""
    position = 0

    def parse_list() -> MaskTree:
        nonlocal position
        tree: MaskTree = {}
        while True:
            start = position
            while position < len(text) and text[position] not in ",()":
                position += 1
            path = [part.strip() for part in re.split(r"[./]", text[start:position])]
            if not all(path):
                raise ValueError(f"Invalid field selection {text[start:position].strip() or text!r}")
            sub: MaskTree | None = None
            if position < len(text) and text[position] == "(":
                position += 1
                sub = parse_list()
                if position >= len(text) or text[position] != ")":
                    raise ValueError(f"Invalid field selection {text}")
                position += 1
            _mask_insert(tree, path, sub)
            if position < len(text) and text[position] == ",":
                position += 1
                continue
            return tree

    tree = parse_list()
    if position != len(text):
        raise ValueError(f"Invalid field selection {text}")
    return tree


def _mask_insert(tree: MaskTree, path: list[str], sub: MaskTree | None) -> None:
    node = tree
    for part in path[:-1]:
        if part in node and node[part] is None:
            return  # already selected whole
        child = node.get(part)
        if child is None:
            child = {}
            node[part] = child
        node = child
    last = path[-1]
    if last in node:
        existing = node[last]
        if existing is None or sub is None:
            node[last] = None
        else:
            for key, value in sub.items():
                _mask_insert(existing, [key], value)
    else:
        node[last] = sub


def apply_field_mask(value: Any, tree: MaskTree | None) -> Any:
    """The part of ``value`` that ``tree`` selects (lists are selected item by item)."""
    if tree is None:
        return value
    if isinstance(value, list):
        return [apply_field_mask(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    if "*" in tree:
        return value
    return {key: apply_field_mask(value[key], sub) for key, sub in tree.items() if key in value}


def _updated(current: JsonObject, given: Mapping[str, Any], tree: MaskTree, id_key: str) -> JsonObject:
    """A copy of ``current`` with the fields ``tree`` names taken from ``given``; its id stays."""
    candidate = copy.deepcopy(current)
    update_by_mask(candidate, given, tree)
    candidate[id_key] = current[id_key]
    return candidate


def update_by_mask(target: JsonObject, source: Mapping[str, Any], tree: MaskTree) -> None:
    """Copy the fields ``tree`` names from ``source`` into ``target``; a named field absent
    from ``source`` is cleared, as Google's update requests do."""
    if "*" in tree:
        target.clear()
        target.update(copy.deepcopy(dict(source)))
        return
    for key, sub in tree.items():
        value = source.get(key)
        if sub is None:
            if value is None:
                target.pop(key, None)
            else:
                target[key] = copy.deepcopy(value)
            continue
        child = target.get(key)
        child = child if isinstance(child, dict) else {}
        update_by_mask(child, value if isinstance(value, Mapping) else {}, sub)
        if child:
            target[key] = child
        else:
            target.pop(key, None)


# --------------------------------------------------------------------------------------
# Discovery documents: request bodies and field masks are checked against them


@functools.cache
def discovery(name: str) -> JsonObject:
    """A discovery document shipped with google-api-python-client (``sheets.v4``, ``drive.v3``)."""
    documents = importlib.resources.files("googleapiclient.discovery_cache") / "documents"
    loaded: JsonObject = json.loads((documents / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _resolve_schema(document: JsonObject, schema: JsonObject) -> tuple[str | None, JsonObject]:
    reference = schema.get("$ref")
    if isinstance(reference, str):
        resolved: JsonObject = document["schemas"][reference]
        return reference, resolved
    return None, schema


def validate_body(document: JsonObject, schema_name: str, body: Any, package: str) -> Any:
    """``body`` checked against ``schema_name``: unknown fields and enum values raise
    :class:`_Invalid` with Google's message; snake_case keys become camelCase; nulls go."""
    return _validate(document, {"$ref": schema_name}, body, "", package)


def _at(path: str) -> str:
    return f" at '{path}'" if path else ""


def _validate(document: JsonObject, schema: JsonObject, value: Any, path: str, package: str) -> Any:
    name, schema = _resolve_schema(document, schema)
    if value is None:
        return None
    kind = schema.get("type")
    type_name = f"type.googleapis.com/{package}.{name or kind}"
    if kind == "object" and "properties" in schema:
        if not isinstance(value, dict):
            raise _Invalid(
                f"Invalid JSON payload received. Expected an object{_at(path)}, got {json.dumps(value)}."
            )
        properties: JsonObject = schema["properties"]
        result: JsonObject = {}
        for key, item in value.items():
            field_name = key if key in properties else _camel(key)
            if field_name not in properties:
                raise _Invalid(
                    f'Invalid JSON payload received. Unknown name "{key}"{_at(path)}: Cannot find field.'
                )
            child_path = f"{path}.{_snake(field_name)}" if path else _snake(field_name)
            checked = _validate(document, properties[field_name], item, child_path, package)
            if checked is not None:
                result[field_name] = checked
        return result
    if kind == "object":
        if not isinstance(value, dict):
            raise _Invalid(f"Invalid JSON payload received. Expected an object{_at(path)}.")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return {k: _validate(document, extra, v, f"{path}[{k}]", package) for k, v in value.items()}
        return value
    if kind == "array":
        if not isinstance(value, list):
            raise _Invalid(
                f"Invalid value{_at(path)} ({type_name}), {json.dumps(value)}: Proto field is repeating."
            )
        items: JsonObject = schema.get("items", {})
        return [_validate(document, items, item, f"{path}[{i}]", package) for i, item in enumerate(value)]
    if "enum" in schema:
        if value not in schema["enum"]:
            raise _Invalid(f"Invalid value{_at(path)} ({type_name}), {json.dumps(value)}")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise _Invalid(f"Invalid value{_at(path)} (TYPE_INT32), {json.dumps(value)}")
        try:
            return int(value)
        except ValueError:
            raise _Invalid(f"Invalid value{_at(path)} (TYPE_INT32), {json.dumps(value)}") from None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Invalid(f"Invalid value{_at(path)} (TYPE_DOUBLE), {json.dumps(value)}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _Invalid(f"Invalid value{_at(path)} (TYPE_BOOL), {json.dumps(value)}")
        return value
    if kind == "string":
        if (
            schema.get("format") in ("int64", "uint64")
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            return str(value)
        if not isinstance(value, str):
            raise _Invalid(f"Invalid value{_at(path)} (TYPE_STRING), {json.dumps(value)}")
        return value
    return value  # "any"


def check_field_mask(document: JsonObject, schema_name: str, tree: MaskTree) -> None:
    """Raise :class:`ValueError` naming the first field ``tree`` selects that ``schema_name`` lacks."""
    _check_mask(document, {"$ref": schema_name}, tree)


def _check_mask(document: JsonObject, schema: JsonObject, tree: MaskTree) -> None:
    _, schema = _resolve_schema(document, schema)
    if schema.get("type") == "array":
        _check_mask(document, schema.get("items", {}), tree)
        return
    properties: JsonObject = schema.get("properties", {})
    for key, sub in tree.items():
        if key == "*":
            continue
        if key not in properties:
            raise ValueError(f"Invalid field selection {key}")
        if sub is not None:
            child = properties[key]
            _, resolved = _resolve_schema(document, child)
            if resolved.get("type") == "array":
                _, resolved = _resolve_schema(document, resolved.get("items", {}))
            if "properties" not in resolved:
                raise ValueError(f"Invalid field selection {key}")
            _check_mask(document, resolved, sub)


# --------------------------------------------------------------------------------------
# A1 notation


def column_index(letters: str) -> int:
    """``"A"`` -> 0, ``"AA"`` -> 26."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + (ord(letter) - ord("A") + 1)
    return index - 1


def column_letters(index: int) -> str:
    """0 -> ``"A"``, 26 -> ``"AA"``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass(frozen=True)
class Area:
    """Cells of one sheet, zero-based and half-open; an end of ``None`` is open (to the grid's edge)."""

    row: int
    end_row: int | None
    column: int
    end_column: int | None
    single: bool = False
    text: str = field(default="", compare=False)
    """The cells as the request wrote them (``A1:Z``), for messages."""


_ENDPOINT = re.compile(r"\$?([A-Za-z]{1,3})?\$?([0-9]+)?")
_PLAIN_TITLE = re.compile(r"[^\W\d]\w*")
_CELL_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*")


def parse_cells(text: str) -> Area | None:
    """The cells of ``A1``, ``A1:B2``, ``A:C``, ``2:5`` or ``A2:Z`` (``None`` if it is none of them)."""
    area = _parse_cells(text)
    return None if area is None else dataclasses.replace(area, text=text.replace("$", "").upper())


def _parse_cells(text: str) -> Area | None:
    parts = text.split(":")
    matches = [_ENDPOINT.fullmatch(part) for part in parts]
    if len(parts) > 2 or not all(matches):
        return None
    ends: list[tuple[int | None, int | None]] = []
    for match in matches:
        assert match is not None
        letters, digits = match.group(1), match.group(2)
        if not letters and not digits:
            return None
        column = column_index(letters) if letters else None
        row = int(digits) - 1 if digits else None
        if (row is not None and row < 0) or (column is not None and column >= MAX_COLUMNS):
            return None
        ends.append((column, row))
    if len(ends) == 1:
        column, row = ends[0]
        if column is None or row is None:
            return None
        return Area(row, row + 1, column, column + 1, single=True)
    (c1, r1), (c2, r2) = ends
    if c1 is not None and r1 is not None and c2 is not None and r2 is not None:
        return Area(min(r1, r2), max(r1, r2) + 1, min(c1, c2), max(c1, c2) + 1)
    if r1 is None and r2 is None and c1 is not None and c2 is not None:
        return Area(0, None, min(c1, c2), max(c1, c2) + 1)
    if c1 is None and c2 is None and r1 is not None and r2 is not None:
        return Area(min(r1, r2), max(r1, r2) + 1, 0, None)
    if c1 is not None and r1 is not None and c2 is not None and r2 is None:
        return Area(r1, None, min(c1, c2), max(c1, c2) + 1)  # A2:Z
    if c1 is not None and r1 is not None and c2 is None and r2 is not None:
        return Area(min(r1, r2), max(r1, r2) + 1, c1, None)  # A2:5
    return None


def quote_title(title: str) -> str:
    """A sheet title as Sheets writes it in a range: quoted unless it is a plain word."""
    if (
        _PLAIN_TITLE.fullmatch(title)
        and not _CELL_LIKE.fullmatch(title)
        and title.upper() not in ("TRUE", "FALSE")
    ):
        return title
    return "'" + title.replace("'", "''") + "'"


def a1_cells(row: int, end_row: int, column: int, end_column: int) -> str:
    first = f"{column_letters(column)}{row + 1}"
    if end_row - row <= 1 and end_column - column <= 1:
        return first
    return f"{first}:{column_letters(end_column - 1)}{end_row}"


def a1_range(title: str, row: int, end_row: int, column: int, end_column: int) -> str:
    return f"{quote_title(title)}!{a1_cells(row, end_row, column, end_column)}"


def a1_area(title: str, area: Area) -> str:
    """``area`` as written, open ends included (``A2:Z``, ``A:C``, ``2:5``)."""
    if area.text:
        return f"{quote_title(title)}!{area.text}"
    if area.end_row is not None and area.end_column is not None:
        return a1_range(title, area.row, area.end_row, area.column, area.end_column)
    if area.end_row is None and area.row == 0 and area.end_column is not None:
        cells = f"{column_letters(area.column)}:{column_letters(area.end_column - 1)}"
    elif area.end_column is None and area.column == 0 and area.end_row is not None:
        cells = f"{area.row + 1}:{area.end_row}"
    elif area.end_row is None and area.end_column is not None:
        cells = f"{column_letters(area.column)}{area.row + 1}:{column_letters(area.end_column - 1)}"
    else:
        cells = f"{column_letters(area.column)}{area.row + 1}:{area.end_row}"
    return f"{quote_title(title)}!{cells}"


# --------------------------------------------------------------------------------------
# Values: what typing a value does, and how Sheets renders it

_FORMULA_FUNCTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)(\s*\()")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+")
_PERCENT = re.compile(r"([+-]?(?:\d+(\.\d*)?|\.\d+))\s*%")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_DATETIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?")
_EPOCH = dt.datetime(1899, 12, 30)

ERROR_TYPES = {
    "#NULL!": "NULL_VALUE",
    "#DIV/0!": "DIVIDE_BY_ZERO",
    "#VALUE!": "VALUE",
    "#REF!": "REF",
    "#NAME?": "NAME",
    "#NUM!": "NUM",
    "#N/A": "N_A",
    "#ERROR!": "ERROR",
    "Loading...": "LOADING",
}
_ERROR_TEXT = {kind: text for text, kind in ERROR_TYPES.items()}
_DATE_TYPES = ("DATE", "TIME", "DATE_TIME")
_DEFAULT_PATTERNS = {
    "NUMBER": "#,##0.00",
    "PERCENT": "0.00%",
    "CURRENCY": '"$"#,##0.00',
    "DATE": "M/d/yyyy",
    "TIME": "h:mm:ss am/pm",
    "DATE_TIME": "M/d/yyyy H:mm:ss",
    "SCIENTIFIC": "0.00E+00",
}


def normalize_formula(formula: str) -> str:
    """Function names in upper case, outside string literals, as Sheets stores a formula."""
    parts = formula.split('"')
    for index in range(0, len(parts), 2):
        parts[index] = _FORMULA_FUNCTION.sub(lambda m: m.group(1).upper() + m.group(2), parts[index])
    return '"'.join(parts)


def _serial(moment: dt.datetime) -> float:
    return (moment - _EPOCH) / dt.timedelta(days=1)


def typed_value(text: str) -> tuple[JsonObject, JsonObject | None]:
    """What Sheets stores when a user types ``text`` (USER_ENTERED): the ExtendedValue and,
    for dates, percentages and grouped numbers, the number format it picks."""
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": normalize_formula(text)}, None
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"boolValue": stripped.upper() == "TRUE"}, None
    if _NUMBER.fullmatch(stripped) and math.isfinite(float(stripped)):
        return {"numberValue": float(stripped)}, None
    if _GROUPED.fullmatch(stripped):
        return {"numberValue": float(stripped.replace(",", ""))}, {"type": "NUMBER", "pattern": "#,##0"}
    percent = _PERCENT.fullmatch(stripped)
    if percent:
        pattern = "0.00%" if percent.group(2) and len(percent.group(2)) > 1 else "0%"
        return {"numberValue": float(percent.group(1)) / 100}, {"type": "PERCENT", "pattern": pattern}
    date = _ISO_DATE.fullmatch(stripped)
    if date:
        try:
            moment = dt.datetime(int(date.group(1)), int(date.group(2)), int(date.group(3)))
        except ValueError:
            return {"stringValue": text}, None
        return {"numberValue": _serial(moment)}, {"type": "DATE", "pattern": "yyyy-mm-dd"}
    stamp = _ISO_DATETIME.fullmatch(stripped)
    if stamp:
        numbers = [int(part) if part else 0 for part in stamp.groups()]
        try:
            moment = dt.datetime(numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])
        except ValueError:
            return {"stringValue": text}, None
        return {"numberValue": _serial(moment)}, {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
    return {"stringValue": text}, None


def json_number(value: float) -> int | float:
    """A number as the API writes it in JSON (3, not 3.0)."""
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def general_number(value: float) -> str:
    """A number in Sheets' automatic format: ``3``, ``2.5``, ``0.3333333333``, ``1E+20``."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(value, ".10g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}E{exponent[0]}{exponent[1:].lstrip('0').zfill(2)}"
    return text


_DECIMAL_PATTERN = re.compile(
    r'(?P<prefix>(?:"[^"]*"|\\.|[^0#,.%"\\])*)(?P<integer>[#,0]*0)(?:\.(?P<fraction>[0#]+))?'
    r'(?P<percent>%?)(?P<suffix>(?:"[^"]*"|\\.|[^0#,.%"\\])*)'
)


def _literal(text: str) -> str:
    return re.sub(r'"([^"]*)"|\\(.)', lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


def _format_decimal(value: float, pattern: str) -> str | None:
    sections = pattern.split(";")
    section, sign = sections[0], "-" if value < 0 else ""
    if value < 0 and len(sections) > 1:
        section, sign = sections[1], ""
    match = _DECIMAL_PATTERN.fullmatch(section)
    if match is None:
        return None
    scaled = abs(value) * (100 if match.group("percent") else 1)
    fraction = match.group("fraction") or ""
    required, places = fraction.count("0"), len(fraction)
    quantum = decimal.Decimal(1).scaleb(-places)
    rounded = decimal.Decimal(repr(scaled)).quantize(quantum, rounding=decimal.ROUND_HALF_UP)
    whole, _, decimals = f"{rounded:f}".partition(".")
    while len(decimals) > required and decimals.endswith("0"):
        decimals = decimals[:-1]
    integer = match.group("integer")
    whole = whole.zfill(integer.count("0"))
    if "," in integer:
        whole = f"{int(whole):,}"
    if rounded == 0:
        sign = ""
    body = whole + ("." + decimals if decimals else "")
    return (
        sign
        + _literal(match.group("prefix"))
        + body
        + match.group("percent")
        + _literal(match.group("suffix"))
    )


_DATE_TOKEN = re.compile(r'"[^"]*"|\\.|am/pm|AM/PM|a/p|A/P|([A-Za-z])\1*|.', re.DOTALL)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _format_date(serial: float, pattern: str) -> str | None:
    moment = _EPOCH + dt.timedelta(seconds=round(serial * 86400))
    tokens = [m.group(0) for m in _DATE_TOKEN.finditer(pattern)]
    twelve_hour = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    letters = [i for i, t in enumerate(tokens) if t[0].isalpha() and t.lower() not in ("am/pm", "a/p")]
    out: list[str] = []
    for position, token in enumerate(tokens):
        low = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif low in ("am/pm", "a/p"):
            text = "AM" if moment.hour < 12 else "PM"
            text = text if low == "am/pm" else text[0]
            out.append(text if token[0].isupper() else text.lower())
        elif not token[0].isalpha():
            out.append(token)
        elif low[0] == "y":
            out.append(str(moment.year) if len(low) != 2 else f"{moment.year % 100:02d}")
        elif low[0] == "d":
            out.append(
                {1: str(moment.day), 2: f"{moment.day:02d}", 3: _DAYS[moment.weekday()][:3]}.get(
                    len(low), _DAYS[moment.weekday()]
                )
            )
        elif low[0] == "h":
            hour = (moment.hour % 12 or 12) if twelve_hour else moment.hour
            out.append(f"{hour:02d}" if len(low) > 1 else str(hour))
        elif low[0] == "s":
            out.append(f"{moment.second:02d}" if len(low) > 1 else str(moment.second))
        elif low[0] == "m":
            index = letters.index(position)
            before = tokens[letters[index - 1]].lower() if index > 0 else ""
            after = tokens[letters[index + 1]].lower() if index + 1 < len(letters) else ""
            if len(low) <= 2 and (before.startswith("h") or after.startswith("s")):
                out.append(f"{moment.minute:02d}" if len(low) == 2 else str(moment.minute))
            elif len(low) <= 2:
                out.append(f"{moment.month:02d}" if len(low) == 2 else str(moment.month))
            else:
                name = _MONTHS[moment.month - 1]
                out.append({3: name[:3], 5: name[0]}.get(len(low), name))
        else:
            return None
    return "".join(out)


def format_number(value: float, number_format: Mapping[str, Any] | None) -> str | None:
    """``value`` as Sheets displays it under ``number_format``; ``None`` if the fake cannot."""
    if not number_format:
        return general_number(value)
    kind = str(number_format.get("type") or "")
    pattern = str(number_format.get("pattern") or "") or _DEFAULT_PATTERNS.get(kind, "")
    if kind in _DATE_TYPES:
        return _format_date(value, pattern)
    if not pattern or kind == "TEXT":
        return general_number(value)
    return _format_decimal(value, pattern)


def effective_value(cell: Mapping[str, Any]) -> JsonObject | None:
    """The value a cell shows: a formula's only if a test set it."""
    stored = cell.get("effectiveValue")
    if isinstance(stored, dict):
        return stored
    entered = cell.get("userEnteredValue")
    if not isinstance(entered, dict) or "formulaValue" in entered:
        return None
    return entered


def render_cell(
    cell: Mapping[str, Any] | None,
    render: str,
    date_time_render: str,
    problem: Callable[[str], None],
) -> object | None:
    """A cell as the values API returns it (``None`` for an empty cell)."""
    if not cell:
        return None
    entered = cell.get("userEnteredValue")
    is_formula = isinstance(entered, dict) and "formulaValue" in entered
    if render == "FORMULA" and is_formula:
        assert isinstance(entered, dict)
        return str(entered["formulaValue"])
    value = effective_value(cell)
    if value is None:
        return "" if is_formula else None
    if "errorValue" in value:
        return _ERROR_TEXT.get(str(value["errorValue"].get("type")), "#ERROR!")
    if "boolValue" in value:
        flag = bool(value["boolValue"])
        return ("TRUE" if flag else "FALSE") if render == "FORMATTED_VALUE" else flag
    if "stringValue" in value:
        return str(value["stringValue"])
    if "numberValue" in value:
        number = float(value["numberValue"])
        number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat")
        is_date = isinstance(number_format, dict) and number_format.get("type") in _DATE_TYPES
        if render == "FORMATTED_VALUE" or (is_date and date_time_render == "FORMATTED_STRING"):
            text = format_number(number, number_format)
            if text is None:
                problem(f"number format {number_format} is not supported by the fake")
                return general_number(number)
            return text
        return json_number(number)
    return None


def _trim(grid: Mapping[int, Mapping[int, object]]) -> list[list[object]]:
    """Rows of values from a sparse ``{row: {column: value}}``, trailing empties dropped."""
    if not grid:
        return []
    rows: list[list[object]] = []
    for index in range(max(grid) + 1):
        row = grid.get(index, {})
        rows.append([row.get(column, "") for column in range(max(row) + 1)] if row else [])
    return rows


# --------------------------------------------------------------------------------------
# State


@dataclass
class _Sheet:
    properties: JsonObject
    cells: dict[tuple[int, int], JsonObject] = field(default_factory=dict)
    merges: list[JsonObject] = field(default_factory=list)
    conditional_formats: list[JsonObject] = field(default_factory=list)
    protected_ranges: list[JsonObject] = field(default_factory=list)
    basic_filter: JsonObject | None = None
    filter_views: list[JsonObject] = field(default_factory=list)
    tables: list[JsonObject] = field(default_factory=list)
    row_metadata: dict[int, JsonObject] = field(default_factory=dict)
    column_metadata: dict[int, JsonObject] = field(default_factory=dict)

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid(self) -> JsonObject:
        grid: JsonObject = self.properties.setdefault("gridProperties", {})
        return grid

    @property
    def rows(self) -> int:
        return int(self.grid.get("rowCount", 0))

    @property
    def columns(self) -> int:
        return int(self.grid.get("columnCount", 0))

    def cell(self, row: int, column: int) -> JsonObject | None:
        return self.cells.get((row, column))

    def put(self, row: int, column: int, cell: JsonObject) -> None:
        if cell:
            self.cells[(row, column)] = cell
        else:
            self.cells.pop((row, column), None)

    def metadata(self, dimension: str) -> dict[int, JsonObject]:
        return self.row_metadata if dimension == "ROWS" else self.column_metadata

    def count(self, dimension: str) -> int:
        return self.rows if dimension == "ROWS" else self.columns


@dataclass
class _Spreadsheet:
    spreadsheet_id: str
    properties: JsonObject
    sheets: list[_Sheet] = field(default_factory=list)
    named_ranges: list[JsonObject] = field(default_factory=list)
    developer_metadata: list[JsonObject] = field(default_factory=list)
    """Spreadsheet-level developer metadata (the only location the fake implements)."""

    def by_id(self, sheet_id: object) -> _Sheet | None:
        try:
            wanted = int(str(sheet_id))
        except ValueError:
            return None
        return next((s for s in self.sheets if s.sheet_id == wanted), None)

    def by_title(self, title: str) -> _Sheet | None:
        wanted = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == wanted), None)

    def reindex(self) -> None:
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def total_cells(self) -> int:
        return sum(s.rows * s.columns for s in self.sheets)


def _clone(spreadsheet: _Spreadsheet) -> _Spreadsheet:
    """An independent copy to apply a request to, committed only if the whole request succeeds.

    The same as ``copy.deepcopy`` for this plain data, several times faster on a formatted tracker.
    """
    clone: _Spreadsheet = pickle.loads(pickle.dumps(spreadsheet, protocol=pickle.HIGHEST_PROTOCOL))
    return clone


@dataclass
class _File:
    file_id: str
    name: str
    mime_type: str
    owner: str
    created: str
    modified: str
    parents: list[str] = field(default_factory=list)
    permissions: list[JsonObject] = field(default_factory=list)
    trashed: bool = False
    shared_drive: bool = False
    """A shared drive (its id is a parent's id): what it holds belongs to the drive, not to a person."""
    members: tuple[str, ...] = ()
    """Who may add files to a shared drive."""
    app: str = ""
    """The app (OAuth client or service account) that created the file."""
    app_properties: dict[str, dict[str, str]] = field(default_factory=dict)
    """``appProperties`` by the app that set them: each app sees its own only."""
    text: str = ""
    """A Google Doc's text (what its HTML said, without the markup)."""
    content: bytes = b""
    """An uploaded file's bytes (not converted)."""
    searchable_at: float = 0.0
    """When (``time.monotonic()``) files.list searches (``q``) first see the file: Drive's index lags."""
    open_to_all: bool = False
    """A test's own spreadsheet (:meth:`FakeGoogle.new_spreadsheet`): every account a test signs in
    with may use it, as if shared with each. A file made through the API is its owner's alone
    until shared."""


@dataclass(frozen=True)
class _Media:
    """One part of an upload: its Content-Type and bytes."""

    mime_type: str
    data: bytes


@dataclass
class _Token:
    principal: str
    scopes: frozenset[str]
    expires_at: float
    grant: str | None = None
    """The refresh token this access token came from (revoking either revokes both)."""
    app: str = ""
    """The app it was issued to: the OAuth client's id, or the service account (``drive.file``
    reaches only the Drive files this app created)."""


@dataclass
class _AuthorizationCode:
    client_id: str
    redirect_uri: str
    principal: str
    scopes: frozenset[str]
    challenge: str | None
    method: str
    offline: bool
    used: bool = False


@dataclass(frozen=True)
class _ServiceAccount:
    email: str
    key_id: str
    public_key: rsa.RSAPublicKey


@dataclass
class _RefreshGrant:
    client_id: str
    principal: str
    scopes: frozenset[str]
    revoked: bool = False


def _now_rfc3339() -> str:
    moment = dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _permission_id(email: str) -> str:
    """A stable numeric id per account, like Drive's permission ids."""
    digest = hashlib.sha256(email.casefold().encode("utf-8")).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**20).zfill(20)


def _overlap(start: int, end: int, other_start: int, other_end: int) -> int:
    return max(0, min(end, other_end) - max(start, other_start))


def _range_keys(dimension: str) -> tuple[str, str]:
    if dimension == "ROWS":
        return "startRowIndex", "endRowIndex"
    return "startColumnIndex", "endColumnIndex"


def shift_grid_range(
    grid_range: JsonObject,
    dimension: str,
    *,
    insert: tuple[int, int] | None = None,
    delete: tuple[int, int] | None = None,
) -> bool:
    """Move ``grid_range`` for rows or columns inserted (``(at, count)``) or deleted
    (``(start, end)``); ``False`` when the deletion removed it entirely."""
    start_key, end_key = _range_keys(dimension)
    start = grid_range.get(start_key)
    end = grid_range.get(end_key)
    if insert is not None:
        at, count = insert
        if start is not None and start >= at:
            grid_range[start_key] = start + count
        if end is not None and end > at:
            grid_range[end_key] = end + count
        return True
    assert delete is not None
    first, last = delete
    begin = start if start is not None else 0
    before = _overlap(0, begin, first, last)
    if end is None:
        if start is not None:
            grid_range[start_key] = begin - before
        return True
    inside = _overlap(begin, end, first, last)
    new_start, new_end = begin - before, end - before - inside
    if new_end <= new_start:
        return False
    if start is not None:
        grid_range[start_key] = new_start
    grid_range[end_key] = new_end
    return True


def _intersects(grid_range: Mapping[str, Any], row: int, end_row: int, column: int, end_column: int) -> bool:
    r0 = int(grid_range.get("startRowIndex", 0))
    r1 = grid_range.get("endRowIndex")
    c0 = int(grid_range.get("startColumnIndex", 0))
    c1 = grid_range.get("endColumnIndex")
    rows = _overlap(r0, int(r1) if r1 is not None else end_row, row, end_row)
    columns = _overlap(c0, int(c1) if c1 is not None else end_column, column, end_column)
    return rows > 0 and columns > 0


_ID_ALPHABET = string.ascii_letters + string.digits + "-_"
_DEFAULT_FORMAT: JsonObject = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
    },
}
_WRITABLE_CELL_FIELDS = ("userEnteredValue", "userEnteredFormat", "note", "dataValidation", "textFormatRuns")
_ERROR_MESSAGES = {
    "REF": "Reference does not exist.",
    "N_A": "Did not find value.",
    "VALUE": "Function expects a number.",
    "DIVIDE_BY_ZERO": "Function DIVIDE parameter 2 cannot be zero.",
    "NAME": "Unknown function.",
    "NUM": "Result is not a number.",
    "NULL_VALUE": "Empty result.",
    "ERROR": "Formula parse error.",
}
_SHEETS_READ_SCOPES = frozenset(
    {SCOPE_SPREADSHEETS, SCOPE_SPREADSHEETS_READONLY, SCOPE_DRIVE, SCOPE_DRIVE_FILE, SCOPE_DRIVE_READONLY}
)
_SHEETS_WRITE_SCOPES = frozenset({SCOPE_SPREADSHEETS, SCOPE_DRIVE, SCOPE_DRIVE_FILE})
_DRIVE_READ_SCOPES = frozenset(
    {SCOPE_DRIVE, SCOPE_DRIVE_FILE, SCOPE_DRIVE_READONLY, SCOPE_DRIVE_METADATA_READONLY}
)
_DRIVE_WRITE_SCOPES = frozenset({SCOPE_DRIVE, SCOPE_DRIVE_FILE})
_WHOLE_DRIVE_SCOPES = frozenset({SCOPE_DRIVE, SCOPE_DRIVE_READONLY, SCOPE_DRIVE_METADATA_READONLY})
"""Scopes that reach every file the account may see (``drive.file`` reaches only the app's own)."""
_KNOWN_SCOPES = _SHEETS_READ_SCOPES | _DRIVE_READ_SCOPES | {"openid", "email", "profile"}
_PERMISSION_ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
_PERMISSION_TYPES = ("user", "group", "domain", "anyone")
_DRIVE_IGNORED_FIELDS = frozenset({"withLink"})
"""Drive v2 names that Drive v3 takes and ignores (gspread still sends ``withLink``)."""
_DRIVE_IGNORED_PARAMETERS = frozenset({"includeItemsFromAllDrives"})
"""Query parameters Drive ignores where its discovery document does not give them (gspread sends
``includeItemsFromAllDrives`` to files.get)."""
_FILE_DEFAULT_FIELDS: MaskTree = {"kind": None, "id": None, "name": None, "mimeType": None}
_PERMISSION_DEFAULT_FIELDS: MaskTree = {"kind": None, "id": None, "type": None, "role": None}
_LISTED_PERMISSION_DEFAULT_FIELDS: MaskTree = {
    "kind": None,
    "id": None,
    "type": None,
    "role": None,
    "emailAddress": None,
    "domain": None,
}
_GFE_ERROR_PAGE = (
    "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
    "  <title>Error {status} (Server Error)!!1</title>\n"
    "  <p><b>{status}.</b> <ins>That's an error.</ins>\n  <p>The server encountered a temporary error and "
    "could not complete your request.<p>Please try again in 30 seconds.  <ins>That's all we know.</ins>\n"
)


class FakeGoogle(LoopbackServer):
    """Google's token endpoint, Sheets v4 and Drive v3 on one loopback base URL.

    Tests reach the state through the helpers below (each takes :attr:`lock`); the real
    clients reach it over HTTP. ``token_lifetime`` is the ``expires_in`` of new tokens.
    """

    _BATCH_REQUESTS: ClassVar[dict[str, str]] = {
        "addSheet": "_add_sheet",
        "deleteSheet": "_delete_sheet",
        "updateSheetProperties": "_update_sheet_properties",
        "updateSpreadsheetProperties": "_update_spreadsheet_properties",
        "repeatCell": "_repeat_cell",
        "updateCells": "_update_cells",
        "setDataValidation": "_set_data_validation",
        "addProtectedRange": "_add_protected_range",
        "deleteProtectedRange": "_delete_protected_range",
        "addConditionalFormatRule": "_add_conditional_format_rule",
        "mergeCells": "_merge_cells",
        "unmergeCells": "_unmerge_cells",
        "appendDimension": "_append_dimension",
        "insertDimension": "_insert_dimension",
        "deleteDimension": "_delete_dimension",
        "updateDimensionProperties": "_update_dimension_properties",
        "autoResizeDimensions": "_auto_resize_dimensions",
        "addNamedRange": "_add_named_range",
        "deleteNamedRange": "_delete_named_range",
        "updateBorders": "_update_borders",
        "setBasicFilter": "_set_basic_filter",
        "clearBasicFilter": "_clear_basic_filter",
        "updateNamedRange": "_update_named_range",
        "updateFilterView": "_update_filter_view",
        "updateTable": "_update_table",
        "createDeveloperMetadata": "_create_developer_metadata",
        "deleteDeveloperMetadata": "_delete_developer_metadata",
        "appendCells": "_append_cells",
        "moveDimension": "_move_dimension",
    }
    """The batchUpdate request kinds the fake implements, and their handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.token_lifetime = 3599
        self._random = random.Random(0xB4A1)
        self._spreadsheets: dict[str, _Spreadsheet] = {}
        self._files: dict[str, _File] = {}
        self._tokens: dict[str, _Token] = {}
        self._service_accounts: dict[str, _ServiceAccount] = {}
        self._oauth_clients: dict[str, str] = {}
        self._refresh_grants: dict[str, _RefreshGrant] = {}
        self._notifications: list[JsonObject] = []
        self._authorization_codes: dict[str, _AuthorizationCode] = {}
        self.signed_in_user = "leader@braingain.test"
        """Who signs in on the fake consent page (``GET /o/oauth2/auth``)."""
        self.consent = True
        """Whether that person allows the sign-in (``False``: they press Cancel)."""
        self.unticked: frozenset[str] = frozenset()
        """Permissions (scopes) that person unticks on the consent page (Google's granular consent)."""
        self._principal = DEFAULT_OWNER
        self._app = ""
        self._scopes: frozenset[str] = frozenset()
        self._problem_lock = threading.Lock()
        self.refuse_unmatched_metadata_delete = False
        """Google's reference does not say whether a ``deleteDeveloperMetadata`` whose filter matches
        nothing is refused (and so fails its whole batch) or deletes nothing; this switches the fake
        from the second to the first, so that code can be shown right under both."""
        self._on_request: Callable[[str], None] | None = None
        self._generated: dict[str, str] = {}
        """Ids from files.generateIds not used yet, and the account each was generated for."""
        self.drive_search_lag = 0.0
        """Seconds a new file stays out of files.list searches (``q``), as Drive's index lags behind
        (seconds to minutes); a file is at once there for files.get. :meth:`catch_up_search` ends it."""

    # -- identities ---------------------------------------------------------------------

    def register_service_account(self, email: str, key_id: str, public_key_pem: bytes | str) -> None:
        """Accept JWT assertions from ``email`` signed by the private half of ``public_key_pem``."""
        raw = public_key_pem.encode("ascii") if isinstance(public_key_pem, str) else public_key_pem
        key = serialization.load_pem_public_key(raw)
        if not isinstance(key, rsa.RSAPublicKey):
            raise TypeError("service accounts sign with RSA keys")
        with self.lock:
            self._service_accounts[email] = _ServiceAccount(email, key_id, key)

    def register_refresh_token(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        scopes: Sequence[str],
        email: str = "leader@braingain.test",
    ) -> None:
        """Accept the refresh-token grant of OAuth user credentials (``email`` is the user)."""
        with self.lock:
            self._oauth_clients[client_id] = client_secret
            self._refresh_grants[refresh_token] = _RefreshGrant(client_id, email, frozenset(scopes))

    def revoke_refresh_token(self, refresh_token: str) -> None:
        with self.lock:
            self._refresh_grants[refresh_token].revoked = True

    def register_oauth_client(self, client_id: str, client_secret: str) -> None:
        """An OAuth client ("Desktop app") that may ask people to sign in."""
        with self.lock:
            self._oauth_clients[client_id] = client_secret

    def refresh_grants(self) -> list[tuple[str, frozenset[str], bool]]:
        """Every refresh token issued or registered, as (user, scopes, revoked): never the token."""
        with self.lock:
            return [(g.principal, g.scopes, g.revoked) for g in self._refresh_grants.values()]

    def new_shared_drive(self, name: str, members: Sequence[str]) -> str:
        """A shared drive (Google Workspace) whose ``members`` may add files to it; its id."""
        with self.lock:
            now = _now_rfc3339()
            drive = _File(self._new_file_id(), name, FOLDER_MIME_TYPE, "", now, now)
            drive.shared_drive, drive.members = True, tuple(members)
            drive.permissions = [
                {
                    "kind": "drive#permission",
                    "id": _permission_id(member),
                    "type": "user",
                    "role": "organizer",
                    "emailAddress": member,
                    "displayName": member.split("@")[0],
                    "deleted": False,
                }
                for member in members
            ]
            self._files[drive.file_id] = drive
            return drive.file_id

    def share(self, file_id: str, email: str, role: str = "writer") -> None:
        """Share a file as its owner does from the Share button (no notification); a person it is
        already shared with gets ``role`` instead (their permission keeps its id), as in Drive."""
        with self.lock:
            found = self._file(file_id)
            existing = next((p for p in found.permissions if p["id"] == _permission_id(email)), None)
            if existing is not None:
                existing["role"] = role
                return
            found.permissions.append(
                {
                    "kind": "drive#permission",
                    "id": _permission_id(email),
                    "type": "user",
                    "role": role,
                    "emailAddress": email,
                    "deleted": False,
                    "pendingOwner": False,
                }
            )

    def share_with_anyone(self, file_id: str, role: str = "reader") -> None:
        """Share a file with "anyone with the link", as a person does from the Share button."""
        with self.lock:
            self._grant(self._file(file_id), "anyone", role, email="", domain="", body={})

    def trash(self, file_id: str) -> None:
        """Move a file to the bin as a person does (a folder with everything in it)."""
        with self.lock:
            self._set_trashed(self._file(file_id), True)

    def catch_up_search(self) -> None:
        """Let Drive's search index catch up: files.list searches see every file made so far."""
        with self.lock:
            for drive_file in self._files.values():
                drive_file.searchable_at = 0.0

    def doc_text(self, file_id: str) -> str:
        """The text of a Google Doc (made by converting an upload)."""
        with self.lock:
            found = self._file(file_id)
            if found.mime_type != DOCUMENT_MIME_TYPE:
                raise KeyError(f"Drive file {file_id!r} is not a Google Doc")
            return found.text

    def app_properties(self, file_id: str) -> dict[str, str]:
        """Every app's ``appProperties`` on a file, merged."""
        with self.lock:
            merged: dict[str, str] = {}
            for properties in self._file(file_id).app_properties.values():
                merged.update(properties)
            return merged

    def owner(self, file_id: str) -> str:
        """Who owns a file ("" for a file in a shared drive)."""
        with self.lock:
            return self._file(file_id).owner

    def _is_service_account(self) -> bool:
        """Whether this request comes from a service account acting as itself (not for a user)."""
        return self._principal in self._service_accounts

    def expire_tokens(self) -> None:
        """Make every access token issued so far expired (the clients' next call gets 401)."""
        with self.lock:
            for token in self._tokens.values():
                token.expires_at = 0.0

    # -- spreadsheets, for tests -------------------------------------------------------

    def new_spreadsheet(
        self,
        title: str = "tracker",
        tabs: Mapping[str, Sequence[Sequence[object]]] | None = None,
        *,
        private: bool = False,
    ) -> str:
        """Make a spreadsheet (owned by :data:`DEFAULT_OWNER`) with ``tabs`` (title -> rows of
        values, stored as typed RAW: text stays text); return its id. The first tab's sheetId is 0.
        Every account a test signs in with may use it, unless ``private``: then only those it is
        shared with (:meth:`share`), as a person's own sheet."""
        with self.lock:
            titles = list(tabs or {"Sheet1": []})
            try:
                spreadsheet = self._build_spreadsheet({"title": title}, [{"title": t} for t in titles])
            except _Invalid as error:
                raise ValueError(str(error)) from None
            for sheet, rows in zip(spreadsheet.sheets, (tabs or {}).values(), strict=False):
                self._store_rows(spreadsheet, sheet, 0, 0, rows)
            self._register(spreadsheet, DEFAULT_OWNER, parents=()).open_to_all = not private
            return spreadsheet.spreadsheet_id

    def values(self, spreadsheet_id: str, tab_title: str) -> list[list[object]]:
        """The tab's effective values as a rectangle up to its last non-empty row and column
        (empty cells ``""``, numbers as numbers, formula errors as ``"#REF!"`` and the like)."""
        with self.lock:
            _, sheet = self._tab(spreadsheet_id, tab_title)
            grid: dict[int, dict[int, object]] = {}
            for (row, column), cell in sheet.cells.items():
                value = render_cell(cell, "UNFORMATTED_VALUE", "SERIAL_NUMBER", self._problem)
                if value is not None:
                    grid.setdefault(row, {})[column] = value
            if not grid:
                return []
            width = max(max(row) for row in grid.values()) + 1
            return [[grid.get(r, {}).get(c, "") for c in range(width)] for r in range(max(grid) + 1)]

    def set_values(
        self, spreadsheet_id: str, tab_title: str, top_left_a1: str, rows: Sequence[Sequence[object]]
    ) -> None:
        """Store values from ``top_left_a1`` on, as typed RAW (``None`` or ``""`` empties a cell;
        dates become date serials with a date format). Grows the grid as needed."""
        with self.lock:
            spreadsheet, sheet = self._tab(spreadsheet_id, tab_title)
            area = parse_cells(top_left_a1)
            if area is None:
                raise ValueError(f"not a cell reference: {top_left_a1!r}")
            self._store_rows(spreadsheet, sheet, area.row, area.column, rows)

    def set_formula(
        self, spreadsheet_id: str, tab_title: str, a1: str, formula: str, value: object = None
    ) -> None:
        """Put ``formula`` in a cell, showing ``value`` (the fake never evaluates formulas)."""
        with self.lock:
            spreadsheet, sheet = self._tab(spreadsheet_id, tab_title)
            row, column = self._cell_ref(a1)
            self._grow(spreadsheet, sheet, row + 1, column + 1)
            cell = copy.deepcopy(sheet.cell(row, column) or {})
            cell["userEnteredValue"] = {"formulaValue": normalize_formula(formula)}
            cell.pop("effectiveValue", None)
            if value is not None:
                entered, number_format = self._python_value(value)
                cell["effectiveValue"] = entered
                if number_format:
                    cell.setdefault("userEnteredFormat", {})["numberFormat"] = number_format
            sheet.put(row, column, cell)

    def set_formula_error(
        self, spreadsheet_id: str, tab_title: str, a1: str, error: str = "#REF!", message: str | None = None
    ) -> None:
        """Make a cell's formula evaluate to ``error`` (``#REF!``, ``#N/A``, ``#VALUE!``...)."""
        if error not in ERROR_TYPES:
            raise ValueError(f"unknown formula error {error!r}; known: {', '.join(ERROR_TYPES)}")
        kind = ERROR_TYPES[error]
        with self.lock:
            spreadsheet, sheet = self._tab(spreadsheet_id, tab_title)
            row, column = self._cell_ref(a1)
            self._grow(spreadsheet, sheet, row + 1, column + 1)
            cell = copy.deepcopy(sheet.cell(row, column) or {})
            entered = cell.get("userEnteredValue") or {}
            if "formulaValue" not in entered:
                cell["userEnteredValue"] = {"formulaValue": f"={error}"}
            cell["effectiveValue"] = {
                "errorValue": {"type": kind, "message": message or _ERROR_MESSAGES.get(kind, error)}
            }
            sheet.put(row, column, cell)

    def merge(
        self,
        spreadsheet_id: str,
        tab_title: str,
        first_row: int,
        first_col: int,
        last_row: int,
        last_col: int,
    ) -> None:
        """Merge the cells from (first_row, first_col) to (last_row, last_col), 1-based inclusive."""
        with self.lock:
            spreadsheet, sheet = self._tab(spreadsheet_id, tab_title)
            grid_range = {
                "sheetId": sheet.sheet_id,
                "startRowIndex": first_row - 1,
                "endRowIndex": last_row,
                "startColumnIndex": first_col - 1,
                "endColumnIndex": last_col,
            }
            try:
                self._merge_cells(spreadsheet, {"range": grid_range, "mergeType": "MERGE_ALL"})
            except _Invalid as error:
                raise ValueError(str(error)) from None

    def sheet(self, spreadsheet_id: str, title: str) -> JsonObject:
        """The sheet's ``properties`` as spreadsheets.get shows them."""
        with self.lock:
            return copy.deepcopy(self._tab(spreadsheet_id, title)[1].properties)

    def sheets(self, spreadsheet_id: str) -> list[JsonObject]:
        """Every sheet's ``properties``, in tab order."""
        with self.lock:
            return [copy.deepcopy(s.properties) for s in self._get(spreadsheet_id).sheets]

    def spreadsheet(self, spreadsheet_id: str, *, include_grid_data: bool = False) -> JsonObject:
        """The spreadsheet resource as spreadsheets.get returns it."""
        with self.lock:
            return self._render_spreadsheet(self._get(spreadsheet_id), data=include_grid_data)

    def merges(self, spreadsheet_id: str, tab_title: str) -> list[JsonObject]:
        with self.lock:
            return copy.deepcopy(self._tab(spreadsheet_id, tab_title)[1].merges)

    def validations(self, spreadsheet_id: str, tab_title: str) -> list[JsonObject]:
        """The tab's data validation as ``[{"range": GridRange, "rule": DataValidationRule}]``:
        rectangles of cells with the same rule, in reading order."""
        with self.lock:
            _, sheet = self._tab(spreadsheet_id, tab_title)
            runs: list[tuple[int, int, int, str]] = []
            for (row, column), cell in sorted(sheet.cells.items()):
                rule = cell.get("dataValidation")
                if rule is None:
                    continue
                key = json.dumps(rule, sort_keys=True)
                if runs and runs[-1][0] == row and runs[-1][2] == column and runs[-1][3] == key:
                    runs[-1] = (row, runs[-1][1], column + 1, key)
                else:
                    runs.append((row, column, column + 1, key))
            boxes: list[list[Any]] = []  # [first row, end row, first column, end column, key]
            for row, first, end, key in runs:
                box = next((b for b in boxes if b[1] == row and b[2:] == [first, end, key]), None)
                if box is not None:
                    box[1] = row + 1
                else:
                    boxes.append([row, row + 1, first, end, key])
            return [
                {
                    "range": {
                        "sheetId": sheet.sheet_id,
                        "startRowIndex": r0,
                        "endRowIndex": r1,
                        "startColumnIndex": c0,
                        "endColumnIndex": c1,
                    },
                    "rule": json.loads(key),
                }
                for r0, r1, c0, c1, key in sorted(boxes)
            ]

    def protected_ranges(self, spreadsheet_id: str) -> list[JsonObject]:
        """Every protected range of the spreadsheet, sheet by sheet."""
        with self.lock:
            spreadsheet = self._get(spreadsheet_id)
            return [copy.deepcopy(p) for s in spreadsheet.sheets for p in s.protected_ranges]

    def conditional_formats(self, spreadsheet_id: str, tab_title: str) -> list[JsonObject]:
        with self.lock:
            return copy.deepcopy(self._tab(spreadsheet_id, tab_title)[1].conditional_formats)

    def named_ranges(self, spreadsheet_id: str) -> list[JsonObject]:
        with self.lock:
            return copy.deepcopy(self._get(spreadsheet_id).named_ranges)

    def developer_metadata(self, spreadsheet_id: str) -> list[JsonObject]:
        """The spreadsheet-level developer metadata, as ``spreadsheets.get`` renders it."""
        with self.lock:
            return copy.deepcopy(self._get(spreadsheet_id).developer_metadata)

    def basic_filter(self, spreadsheet_id: str, tab_title: str) -> JsonObject | None:
        with self.lock:
            return copy.deepcopy(self._tab(spreadsheet_id, tab_title)[1].basic_filter)

    def tables(self, spreadsheet_id: str, tab_title: str) -> list[JsonObject]:
        with self.lock:
            return copy.deepcopy(self._tab(spreadsheet_id, tab_title)[1].tables)

    def filter_views(self, spreadsheet_id: str, tab_title: str) -> list[JsonObject]:
        with self.lock:
            return copy.deepcopy(self._tab(spreadsheet_id, tab_title)[1].filter_views)

    def _grid_range(
        self, spreadsheet_id: str, tab_title: str, rows: tuple[int, int], columns: tuple[int, int]
    ) -> JsonObject:
        """Rows and columns 1-based and inclusive, as a person selects them, as a GridRange."""
        _, sheet = self._tab(spreadsheet_id, tab_title)
        return {
            "sheetId": sheet.sheet_id,
            "startRowIndex": rows[0] - 1,
            "endRowIndex": rows[1],
            "startColumnIndex": columns[0] - 1,
            "endColumnIndex": columns[1],
        }

    def add_table(
        self, spreadsheet_id: str, tab_title: str, name: str, rows: tuple[int, int], columns: tuple[int, int]
    ) -> str:
        """Make a table (Sheets' "Convert to table") over rows and columns (1-based, inclusive), the
        first row its header; return its id. A basic filter over the same range becomes the table's."""
        with self.lock:
            spreadsheet, sheet = self._tab(spreadsheet_id, tab_title)
            grid_range = self._grid_range(spreadsheet_id, tab_title, rows, columns)
            try:
                self._grid(spreadsheet, grid_range)
            except _Invalid as error:
                raise ValueError(str(error)) from None
            if any(t["name"].casefold() == name.casefold() for s in spreadsheet.sheets for t in s.tables):
                raise ValueError(f"a table named {name!r} already exists")
            header = [
                render_cell(
                    sheet.cell(rows[0] - 1, c) or {}, "FORMATTED_VALUE", "SERIAL_NUMBER", self._problem
                )
                for c in range(columns[0] - 1, columns[1])
            ]
            table_id = str(
                self._new_int_id({int(t["tableId"]) for s in spreadsheet.sheets for t in s.tables})
            )
            sheet.tables.append(
                {
                    "tableId": table_id,
                    "name": name,
                    "range": grid_range,
                    "columnProperties": [
                        {"columnIndex": i, "columnName": str(h or f"Column {i + 1}"), "columnType": "TEXT"}
                        for i, h in enumerate(header)
                    ],
                }
            )
            return table_id

    def add_filter_view(
        self, spreadsheet_id: str, tab_title: str, title: str, rows: tuple[int, int], columns: tuple[int, int]
    ) -> int:
        """Make a filter view over rows and columns (1-based, inclusive); return its id."""
        with self.lock:
            spreadsheet, sheet = self._tab(spreadsheet_id, tab_title)
            grid_range = self._grid_range(spreadsheet_id, tab_title, rows, columns)
            used = {int(v["filterViewId"]) for s in spreadsheet.sheets for v in s.filter_views}
            view_id = self._new_int_id(used)
            sheet.filter_views.append({"filterViewId": view_id, "title": title, "range": grid_range})
            return view_id

    def add_named_range(
        self, spreadsheet_id: str, tab_title: str, name: str, rows: tuple[int, int], columns: tuple[int, int]
    ) -> str:
        """Name rows and columns (1-based, inclusive) of a tab; return the named range's id."""
        with self.lock:
            spreadsheet = self._get(spreadsheet_id)
            named = {"name": name, "range": self._grid_range(spreadsheet_id, tab_title, rows, columns)}
            try:
                reply = self._add_named_range(spreadsheet, {"namedRange": named})
            except _Invalid as error:
                raise ValueError(str(error)) from None
            return str(reply["namedRange"]["namedRangeId"])

    def set_basic_filter(
        self,
        spreadsheet_id: str,
        tab_title: str,
        rows: tuple[int, int],
        columns: tuple[int, int],
        **extra: Any,
    ) -> None:
        """Turn the tab's filter on over rows and columns (1-based, inclusive), with ``extra``
        BasicFilter fields (``sortSpecs``, ``filterSpecs``)."""
        with self.lock:
            spreadsheet = self._get(spreadsheet_id)
            grid_range = self._grid_range(spreadsheet_id, tab_title, rows, columns)
            self._set_basic_filter(spreadsheet, {"filter": {"range": grid_range, **extra}})

    # -- a person at the keyboard, while a client works -------------------------------

    def on_request(self, hook: Callable[[str], None] | None) -> None:
        """Call ``hook`` with the route name of every authorized API request, just before the
        fake applies it (under :attr:`lock`, so nothing else happens in between): a test's
        person edits the spreadsheet at that exact moment, e.g. between a client's read and its
        write. ``None`` removes the hook."""
        with self.lock:
            self._on_request = hook

    def insert_rows(self, spreadsheet_id: str, tab_title: str, before: int, count: int = 1) -> None:
        """Insert ``count`` empty rows above row ``before`` (1-based), as a person does from the
        row menu: the rows below move down, and so do merges, ranges, filters and tables."""
        self._person_edit(
            spreadsheet_id,
            tab_title,
            "insertDimension",
            lambda sheet: {"range": _span(sheet, "ROWS", before - 1, before - 1 + count)},
        )

    def delete_rows(self, spreadsheet_id: str, tab_title: str, first: int, count: int = 1) -> None:
        """Delete ``count`` rows from row ``first`` (1-based): the rows below move up."""
        self._person_edit(
            spreadsheet_id,
            tab_title,
            "deleteDimension",
            lambda sheet: {"range": _span(sheet, "ROWS", first - 1, first - 1 + count)},
        )

    def delete_columns(self, spreadsheet_id: str, tab_title: str, first: int, count: int = 1) -> None:
        """Delete ``count`` columns from column ``first`` (1-based): the columns right of them move left."""
        self._person_edit(
            spreadsheet_id,
            tab_title,
            "deleteDimension",
            lambda sheet: {"range": _span(sheet, "COLUMNS", first - 1, first - 1 + count)},
        )

    def delete_tab(self, spreadsheet_id: str, tab_title: str) -> None:
        self._person_edit(spreadsheet_id, tab_title, "deleteSheet", lambda sheet: {"sheetId": sheet.sheet_id})

    def move_columns(self, spreadsheet_id: str, tab_title: str, first: int, count: int, before: int) -> None:
        """Drag ``count`` columns from column ``first`` (1-based) to just before column ``before``
        (counted before the move, as Sheets counts ``destinationIndex``)."""
        self._person_edit(
            spreadsheet_id,
            tab_title,
            "moveDimension",
            lambda sheet: {
                "source": _span(sheet, "COLUMNS", first - 1, first - 1 + count),
                "destinationIndex": before - 1,
            },
        )

    def rename_tab(self, spreadsheet_id: str, tab_title: str, new_title: str) -> None:
        self._person_edit(
            spreadsheet_id,
            tab_title,
            "updateSheetProperties",
            lambda sheet: {"properties": {"sheetId": sheet.sheet_id, "title": new_title}, "fields": "title"},
        )

    def copy_spreadsheet(self, spreadsheet_id: str, title: str | None = None) -> str:
        """A copy of the whole spreadsheet under a new id (Drive's "Make a copy"); sheet ids, the owner
        and the sharing are kept."""
        with self.lock:
            copied = _clone(self._get(spreadsheet_id))
            copied.spreadsheet_id = self._new_spreadsheet_id()
            if title is not None:
                copied.properties["title"] = title
            original = self._files.get(spreadsheet_id)
            made = self._register(copied, original.owner if original else DEFAULT_OWNER, parents=())
            if original is not None:  # the copy is shared as the original was
                made.permissions = copy.deepcopy(original.permissions)
                made.open_to_all, made.app = original.open_to_all, original.app
            return copied.spreadsheet_id

    def forget(self, spreadsheet_id: str) -> None:
        """Drop a spreadsheet and its Drive file (deleted for good, not trashed)."""
        with self.lock:
            self._spreadsheets.pop(spreadsheet_id, None)
            self._files.pop(spreadsheet_id, None)

    def _person_edit(
        self, spreadsheet_id: str, tab_title: str, kind: str, request: Callable[[_Sheet], JsonObject]
    ) -> None:
        """Apply one batchUpdate request as a person's edit in the Sheets UI: all or nothing."""
        with self.lock:
            spreadsheet, sheet = self._tab(spreadsheet_id, tab_title)
            work = _clone(spreadsheet)
            handler: Callable[[_Spreadsheet, JsonObject], JsonObject | None] = getattr(
                self, self._BATCH_REQUESTS[kind]
            )
            try:
                handler(work, request(sheet))
            except _Invalid as error:
                raise ValueError(str(error)) from None
            self._commit(work)

    def cell(self, spreadsheet_id: str, tab_title: str, a1: str) -> JsonObject:
        """One cell as spreadsheets.get with grid data shows it (``{}`` when empty)."""
        with self.lock:
            _, sheet = self._tab(spreadsheet_id, tab_title)
            row, column = self._cell_ref(a1)
            stored = sheet.cell(row, column)
            return self._cell_data(stored) if stored else {}

    def dimension(self, spreadsheet_id: str, tab_title: str, dimension: str, index: int) -> JsonObject:
        """A row's or column's ``DimensionProperties`` (``dimension`` is ROWS or COLUMNS; 0-based)."""
        with self.lock:
            _, sheet = self._tab(spreadsheet_id, tab_title)
            return self._dimension_properties(sheet, dimension, index)

    # -- Drive, for tests --------------------------------------------------------------

    def permissions(self, file_id: str) -> list[JsonObject]:
        """The file's permission resources, in full."""
        with self.lock:
            return copy.deepcopy(self._file(file_id).permissions)

    def share_notifications(self, file_id: str) -> list[JsonObject]:
        """What each permissions.create asked about email: ``emailAddress``, ``role``,
        ``sendNotificationEmail`` and ``emailMessage``."""
        with self.lock:
            return [copy.deepcopy(n) for n in self._notifications if n["fileId"] == file_id]

    def file(self, file_id: str) -> JsonObject:
        """The Drive file resource, in full."""
        with self.lock:
            return self._file_resource(self._file(file_id))

    def file_bytes(self, file_id: str) -> bytes:
        """An uploaded file's bytes, as they were uploaded (not converted)."""
        with self.lock:
            return self._file(file_id).content

    def file_ids(self) -> list[str]:
        """The id of every file on the fake's Drive (spreadsheets and the bin's included; shared
        drives left out), oldest first."""
        with self.lock:
            return [f.file_id for f in self._files.values() if not f.shared_drive]

    def edit_doc(self, file_id: str, text: str) -> None:
        """A person types into a Google Doc: its text becomes ``text`` and its ``modifiedTime`` moves on."""
        with self.lock:
            found = self._file(file_id)
            if found.mime_type != DOCUMENT_MIME_TYPE:
                raise KeyError(f"Drive file {file_id!r} is not a Google Doc")
            found.text = text
            found.modified = _later_rfc3339(found.modified)

    # -- rendering errors as Google does -----------------------------------------------

    def error_response(self, status: int, message: str, request: Request, route: Route | None) -> Response:
        if route is None:
            self._problem(f"no route for {request.method} {request.path}: the fake does not implement it")
        family = _family(request.path)
        if family == "oauth":
            return Response.json({"error": _oauth_error_code(status), "error_description": message}, status)
        if family == "drive":
            return Response.json(drive_error_body(status, message), status)
        return Response.json(sheets_error_body(status, message), status)

    def fault_response(self, fault: Fault, request: Request, route: Route | None) -> Response:
        if fault.body is not None:
            return super().fault_response(fault, request, route)
        family = _family(request.path)
        if fault.kind == "expired_token":
            if family == "oauth":
                response = Response.json(
                    {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, 400
                )
            else:
                response = self._unauthenticated(family, route, "ACCESS_TOKEN_EXPIRED", missing=False)
        elif fault.kind == "rate_limited":
            response = self._rate_limited(fault.status, family, request, route)
        else:
            response = self._status_fault(fault.status, family)
        response.headers.update(dict(fault.headers))
        if fault.retry_after is not None:
            response.headers["Retry-After"] = fault.retry_after
        return response

    def _status_fault(self, status: int, family: str) -> Response:
        if family == "oauth":
            if status in (502, 504):
                page = _GFE_ERROR_PAGE.format(status=status)
                return Response.text(page, status, content_type="text/html; charset=UTF-8")
            return Response.json(
                {"error": _oauth_error_code(status), "error_description": _status_message(status)}, status
            )
        if family == "drive":
            return Response.json(drive_error_body(status, _status_message(status)), status)
        return Response.json(sheets_error_body(status, _status_message(status)), status)

    def _rate_limited(self, status: int, family: str, request: Request, route: Route | None) -> Response:
        if family == "oauth":
            return Response.json(
                {"error": "rate_limit_exceeded", "error_description": "Rate Limit Exceeded"}, status
            )
        if status == 403 or family == "drive":
            body = drive_error_body(
                status, "Rate Limit Exceeded", reason="rateLimitExceeded", domain="usageLimits"
            )
            if family == "sheets":
                body["error"]["status"] = _STATUS_NAMES.get(status, "UNKNOWN")
            return Response.json(body, status)
        kind = "Read" if request.method == "GET" else "Write"
        message = (
            f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} requests per minute "
            f"per user' of service '{_SHEETS_SERVICE}' for consumer 'project_number:000000000000'."
        )
        info = _error_info("RATE_LIMIT_EXCEEDED", _SHEETS_SERVICE, self._rpc_method(route))
        info["metadata"].update(
            {
                "quota_metric": f"sheets.googleapis.com/{kind.lower()}_requests",
                "quota_limit": f"{kind}RequestsPerMinutePerUser",
                "quota_limit_value": "60",
                "consumer": "projects/000000000000",
                "quota_location": "global",
            }
        )
        return Response.json(sheets_error_body(status, message, [info]), status)

    def _unauthenticated(self, family: str, route: Route | None, reason: str, *, missing: bool) -> Response:
        headers = {"WWW-Authenticate": _WWW_AUTHENTICATE}
        if family == "drive":
            message = "Login Required." if missing else "Invalid Credentials"
            body = drive_error_body(
                401,
                message,
                reason="required" if missing else "authError",
                location="Authorization",
                location_type="header",
            )
            return Response.json(body, 401, headers)
        message = _MISSING_CREDENTIALS if missing else _status_message(401)
        info = _error_info(reason, _SHEETS_SERVICE, self._rpc_method(route))
        return Response.json(sheets_error_body(401, message, [info]), 401, headers)

    @staticmethod
    def _rpc_method(route: Route | None) -> str | None:
        if route is None or route.name not in _RPC_METHODS:
            return None
        return f"google.apps.sheets.v4.SpreadsheetsService.{_RPC_METHODS[route.name]}"

    def _problem(self, text: str) -> None:
        with self._problem_lock:
            self.problems.append(text)

    # -- authorization -----------------------------------------------------------------

    def before_route(self, request: Request, route: Route) -> Response | None:
        if route.name in ("token", "oauth.authorize", "oauth.revoke"):
            return None
        family = "drive" if route.name.startswith("drive.") else "sheets"
        scheme, _, value = (request.header("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return self._unauthenticated(family, route, "CREDENTIALS_MISSING", missing=True)
        token = self._tokens.get(value.strip())
        if token is None:
            return self._unauthenticated(family, route, "ACCESS_TOKEN_TYPE_UNSUPPORTED", missing=False)
        if time.time() >= token.expires_at:
            return self._unauthenticated(family, route, "ACCESS_TOKEN_EXPIRED", missing=False)
        writing = request.method != "GET"
        if family == "drive":
            needed = _DRIVE_WRITE_SCOPES if writing else _DRIVE_READ_SCOPES
        else:
            needed = _SHEETS_WRITE_SCOPES if writing else _SHEETS_READ_SCOPES
        if not token.scopes & needed:
            if family == "drive":
                return Response.json(
                    drive_error_body(
                        403,
                        "Insufficient Permission: Request had insufficient authentication scopes.",
                        reason="insufficientPermissions",
                    ),
                    403,
                )
            info = _error_info("ACCESS_TOKEN_SCOPE_INSUFFICIENT", _SHEETS_SERVICE, self._rpc_method(route))
            return Response.json(
                sheets_error_body(403, "Request had insufficient authentication scopes.", [info]), 403
            )
        self._principal, self._app, self._scopes = token.principal, token.app, token.scopes
        if family == "drive":
            self._check_drive_parameters(request, route)
        if self._on_request is not None:
            self._on_request(route.name)
        return None

    # -- POST /token -------------------------------------------------------------------

    @route("POST", "/token", name="token")
    def _token(self, request: Request) -> Response:
        content_type = (request.header("Content-Type") or "").lower()
        if "application/x-www-form-urlencoded" not in content_type:
            raise _oauth_error(400, "invalid_request", "Invalid Content-Type; expected a form post.")
        form = dict(request.form())
        basic = request.header("Authorization") or ""
        if basic.lower().startswith(
            "basic "
        ):  # client_secret_basic (RFC 6749 section 2.3.1), as Google takes it
            try:
                pair = base64.b64decode(basic[6:].strip()).decode("utf-8")
            except ValueError:
                raise _oauth_error(401, "invalid_client", "Unauthorized") from None
            client_id, _, client_secret = pair.partition(":")
            form.setdefault("client_id", urllib.parse.unquote_plus(client_id))
            form.setdefault("client_secret", urllib.parse.unquote_plus(client_secret))
        grant_type = form.get("grant_type", "")
        if grant_type == JWT_BEARER_GRANT:
            principal, scopes = self._jwt_grant(form)
            extra: JsonObject = {}
        elif grant_type == "refresh_token":
            principal, scopes = self._refresh_grant(form)
            extra = {"scope": " ".join(sorted(scopes))}
        elif grant_type == "authorization_code":
            principal, scopes, extra = self._code_grant(form)
        elif not grant_type:
            raise _oauth_error(400, "invalid_request", "Missing required parameter: grant_type")
        else:
            raise _oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant_type}")
        access_token = "ya29.fake-" + "".join(self._random.choices(_ID_ALPHABET, k=64))
        grant = extra.get("refresh_token") or (
            form.get("refresh_token") if grant_type == "refresh_token" else None
        )
        app = form.get("client_id") or principal
        self._tokens[access_token] = _Token(principal, scopes, time.time() + self.token_lifetime, grant, app)
        payload = {
            "access_token": access_token,
            "expires_in": self.token_lifetime,
            **extra,
            "token_type": "Bearer",
        }
        return Response.json(
            payload, headers={"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate"}
        )

    def _jwt_grant(self, form: Mapping[str, str]) -> tuple[str, frozenset[str]]:
        assertion = form.get("assertion", "")
        if not assertion:
            raise _oauth_error(400, "invalid_request", "Missing required parameter: assertion")
        parts = assertion.split(".")
        try:
            if len(parts) != 3:
                raise ValueError("not three segments")
            header = json.loads(_b64url_decode(parts[0]))
            claims = json.loads(_b64url_decode(parts[1]))
            signature = _b64url_decode(parts[2])
            if not isinstance(header, dict) or not isinstance(claims, dict):
                raise ValueError("not JSON objects")
        except ValueError:
            raise _oauth_error(400, "invalid_grant", "Invalid JWT: malformed assertion.") from None
        if header.get("alg") != "RS256":
            raise _oauth_error(400, "invalid_grant", "Invalid JWT Signature.")
        account = self._service_accounts.get(str(claims.get("iss")))
        if account is None:
            raise _oauth_error(400, "invalid_grant", "Invalid grant: account not found")
        if header.get("kid") not in (None, account.key_id):
            raise _oauth_error(400, "invalid_grant", "Invalid JWT Signature.")
        signed = f"{parts[0]}.{parts[1]}".encode("ascii")
        try:
            account.public_key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise _oauth_error(400, "invalid_grant", "Invalid JWT Signature.") from None
        audience = claims.get("aud")
        if audience not in TOKEN_AUDIENCES:
            raise _oauth_error(
                400,
                "invalid_grant",
                f"Invalid JWT: Failed audience check. The right audience is {TOKEN_URI}; got {audience!r}.",
            )
        issued, expires, now = claims.get("iat"), claims.get("exp"), time.time()
        if (
            not isinstance(issued, int | float)
            or not isinstance(expires, int | float)
            or expires - issued > 3600
            or issued > now + 300
            or expires < now - 300
        ):
            raise _oauth_error(
                400,
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                "Check your iat and exp values in the JWT claim.",
            )
        if "target_audience" in claims:
            self._problem("token: ID-token grants (target_audience) are not implemented by the fake")
            raise _oauth_error(400, "invalid_request", "ID-token grants are not implemented by the fake.")
        scope = claims.get("scope")
        if not isinstance(scope, str) or not scope.split():
            raise _oauth_error(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        subject = claims.get("sub")
        return (subject if isinstance(subject, str) and subject else account.email), frozenset(scope.split())

    def _client(self, form: Mapping[str, str]) -> str:
        """The OAuth client a token request authenticates as (its id and secret checked)."""
        client_id = form.get("client_id", "")
        if client_id not in self._oauth_clients:
            raise _oauth_error(401, "invalid_client", "The OAuth client was not found.")
        if form.get("client_secret") != self._oauth_clients[client_id]:
            raise _oauth_error(401, "invalid_client", "Unauthorized")
        return client_id

    def _refresh_grant(self, form: Mapping[str, str]) -> tuple[str, frozenset[str]]:
        client_id = self._client(form)
        grant = self._refresh_grants.get(form.get("refresh_token", ""))
        if grant is None or grant.revoked or grant.client_id != client_id:
            raise _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
        requested = frozenset(form.get("scope", "").split())
        if requested and not requested <= grant.scopes:
            raise _oauth_error(400, "invalid_scope", "Bad Request")
        return grant.principal, requested or grant.scopes

    def _code_grant(self, form: Mapping[str, str]) -> tuple[str, frozenset[str], JsonObject]:
        client_id = self._client(form)
        code = self._authorization_codes.get(form.get("code", ""))
        if code is None or code.used or code.client_id != client_id:
            raise _oauth_error(400, "invalid_grant", "Malformed auth code.")
        if form.get("redirect_uri") != code.redirect_uri:
            raise _oauth_error(400, "redirect_uri_mismatch", "Bad Request")
        if code.challenge is not None:
            verifier = form.get("code_verifier", "")
            if not verifier:
                raise _oauth_error(400, "invalid_grant", "Missing code verifier.")
            if code.method == "S256":
                digest = hashlib.sha256(verifier.encode("ascii")).digest()
                derived = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
            else:
                derived = verifier
            if derived != code.challenge:
                raise _oauth_error(400, "invalid_grant", "Invalid code verifier.")
        code.used = True
        extra: JsonObject = {"scope": " ".join(sorted(code.scopes))}
        if code.offline:
            refresh_token = "1//fake-" + "".join(self._random.choices(_ID_ALPHABET, k=64))
            self._refresh_grants[refresh_token] = _RefreshGrant(client_id, code.principal, code.scopes)
            extra["refresh_token"] = refresh_token
        return code.principal, code.scopes, extra

    # -- the consent page and revocation ----------------------------------------------

    @route("GET", "/o/oauth2/auth", name="oauth.authorize")
    def _authorize(self, request: Request) -> Response:
        client_id = request.param("client_id") or ""
        if client_id not in self._oauth_clients:
            raise _oauth_error(401, "invalid_client", "The OAuth client was not found.")
        redirect_uri = request.param("redirect_uri") or ""
        if redirect_uri.startswith("urn:ietf:wg:oauth:2.0:oob"):
            raise _oauth_error(
                400,
                "invalid_request",
                "The out-of-band (OOB) flow has been blocked in order to keep users secure.",
            )
        target = urllib.parse.urlsplit(redirect_uri)
        if target.scheme != "http" or target.hostname not in ("localhost", "127.0.0.1", "::1"):
            raise _oauth_error(400, "redirect_uri_mismatch", "redirect_uri is not a loopback address.")
        if request.param("response_type") != "code":
            raise _oauth_error(400, "unsupported_response_type", "Only response_type=code is supported.")
        scopes = frozenset((request.param("scope") or "").split())
        if not scopes or not scopes <= _KNOWN_SCOPES:
            raise _oauth_error(400, "invalid_scope", "Some requested scopes were invalid.")
        scopes -= self.unticked
        challenge = request.param("code_challenge")
        method = request.param("code_challenge_method") or "plain"
        if challenge is not None and method not in ("S256", "plain"):
            raise _oauth_error(400, "invalid_request", "Invalid code_challenge_method.")
        answer: list[tuple[str, str]] = []
        state = request.param("state")
        if not self.consent:
            answer.append(("error", "access_denied"))
        else:
            code = "4/fake-" + "".join(self._random.choices(_ID_ALPHABET, k=48))
            self._authorization_codes[code] = _AuthorizationCode(
                client_id,
                redirect_uri,
                self.signed_in_user,
                scopes,
                challenge,
                method,
                request.param("access_type") == "offline",
            )
            answer += [("code", code), ("scope", " ".join(sorted(scopes)))]
        if state is not None:
            answer.insert(0, ("state", state))
        joiner = "&" if target.query else "?"
        return Response(302, b"", {"Location": redirect_uri + joiner + urllib.parse.urlencode(answer)})

    @route("POST", "/revoke", name="oauth.revoke")
    def _revoke(self, request: Request) -> Response:
        token = request.form().get("token") or request.param("token") or ""
        grant = self._refresh_grants.get(token)
        access = self._tokens.get(token)
        if grant is not None and not grant.revoked:
            revoked = token
        elif access is not None and time.time() < access.expires_at:
            revoked = access.grant or ""
            del self._tokens[token]
        else:
            raise _oauth_error(400, "invalid_token", "Token expired or revoked")
        if revoked in self._refresh_grants:
            self._refresh_grants[revoked].revoked = True
            for key in [k for k, t in self._tokens.items() if t.grant == revoked]:
                del self._tokens[key]
        return Response.json({})

    # -- Sheets: spreadsheets ----------------------------------------------------------

    @route("POST", "/v4/spreadsheets", name="spreadsheets.create")
    def _spreadsheets_create(self, request: Request) -> Response:
        if self._is_service_account():
            # A service account has no Drive storage: Google refuses the create (as of 2025).
            raise _sheets_error(403, _status_message(403))
        body = self._sheets_body(request, "Spreadsheet")
        given: list[JsonObject] = body.get("sheets") or []
        try:
            spreadsheet = self._build_spreadsheet(
                body.get("properties") or {}, [s.get("properties") or {} for s in given]
            )
            for sheet, sheet_body in zip(spreadsheet.sheets, given, strict=False):
                self._create_sheet_contents(spreadsheet, sheet, sheet_body)
            for named in body.get("namedRanges") or []:
                self._add_named_range(spreadsheet, {"namedRange": named})
        except _Invalid as error:
            raise _sheets_error(400, str(error)) from None
        self._register(spreadsheet, self._principal, parents=(), app=self._app)
        return self._respond(request, self._render_spreadsheet(spreadsheet), "Spreadsheet")

    @route("GET", "/v4/spreadsheets/{spreadsheetId}", name="spreadsheets.get")
    def _spreadsheets_get(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        fields = request.param("fields")
        tree = self._response_mask(fields, "Spreadsheet", "sheets") if fields else None
        if tree is None:
            data = request.flag("includeGridData")
        else:
            sheets = tree.get("sheets", {})
            data = "*" in tree or ("sheets" in tree and (sheets is None or "data" in sheets or "*" in sheets))
        rendered = self._render_spreadsheet(spreadsheet, ranges=request.params("ranges"), data=data)
        return Response.json(apply_field_mask(rendered, tree))

    @route("POST", "/v4/spreadsheets/{spreadsheetId}:batchUpdate", name="spreadsheets.batchUpdate")
    def _spreadsheets_batch_update(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        body = self._sheets_body(request, "BatchUpdateSpreadsheetRequest")
        requests_: list[JsonObject] = body.get("requests") or []
        if not requests_:
            raise _sheets_error(400, "Must specify at least one request.")
        work = _clone(spreadsheet)
        replies: list[JsonObject] = []
        for index, item in enumerate(requests_):
            kinds = [key for key, value in item.items() if value is not None]
            if len(kinds) != 1:
                if not kinds:
                    raise _sheets_error(400, f"Invalid requests[{index}]: No request kind is set.")
                raise _sheets_error(
                    400,
                    "Invalid JSON payload received. Oneof field 'kind' is already set. "
                    f"Cannot set '{kinds[1]}'",
                )
            kind = kinds[0]
            handler_name = self._BATCH_REQUESTS.get(kind)
            if handler_name is None:
                self._problem(
                    f"spreadsheets.batchUpdate: request kind {kind!r} is not implemented by the fake"
                )
                raise _sheets_error(
                    400, f"Invalid requests[{index}].{kind}: the loopback fake does not implement {kind}."
                )
            handler: Callable[[_Spreadsheet, JsonObject], JsonObject | None] = getattr(self, handler_name)
            try:
                reply = handler(work, item[kind])
            except _Invalid as error:
                raise _sheets_error(400, f"Invalid requests[{index}].{kind}: {error}") from None
            replies.append({kind: reply} if reply is not None else {})
        self._commit(work)
        response: JsonObject = {"spreadsheetId": work.spreadsheet_id, "replies": replies}
        if body.get("includeSpreadsheetInResponse"):
            response["updatedSpreadsheet"] = self._render_spreadsheet(
                work, ranges=body.get("responseRanges") or (), data=bool(body.get("responseIncludeGridData"))
            )
        return self._respond(request, response, "BatchUpdateSpreadsheetResponse")

    # -- Sheets: values ----------------------------------------------------------------

    @route("GET", "/v4/spreadsheets/{spreadsheetId}/values:batchGet", name="values.batchGet")
    def _values_batch_get(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        major, render, date_time = self._read_options(request)
        result: JsonObject = {"spreadsheetId": spreadsheet.spreadsheet_id}
        ranges = request.params("ranges")
        if ranges:
            result["valueRanges"] = [
                self._value_range(spreadsheet, text, major, render, date_time) for text in ranges
            ]
        return self._respond(request, result, "BatchGetValuesResponse")

    @route("POST", "/v4/spreadsheets/{spreadsheetId}/values:batchUpdate", name="values.batchUpdate")
    def _values_batch_update(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        body = self._sheets_body(request, "BatchUpdateValuesRequest")
        input_option = body.get("valueInputOption", "INPUT_VALUE_OPTION_UNSPECIFIED")
        if input_option not in ("RAW", "USER_ENTERED"):
            raise _sheets_error(400, f"Invalid valueInputOption: {input_option}")
        work = _clone(spreadsheet)
        responses: list[JsonObject] = []
        sheets: set[int] = set()
        for index, item in enumerate(body.get("data") or []):
            text = item.get("range")
            if not text:
                raise _sheets_error(400, f"Invalid data[{index}]: range is required.")
            sheet, area = self._resolve(work, text)
            rows = self._rows_of(item.get("values") or [], item.get("majorDimension") or "ROWS")
            responses.append(self._write(work, sheet, area, rows, input_option, f"data[{index}]."))
            sheets.add(sheet.sheet_id)
        self._commit(work)
        if body.get("includeValuesInResponse"):
            for entry in responses:
                entry["updatedData"] = self._response_values(work, entry["updatedRange"], body)
        result: JsonObject = {
            "spreadsheetId": work.spreadsheet_id,
            "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
            "totalUpdatedColumns": sum(r["updatedColumns"] for r in responses),
            "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
            "totalUpdatedSheets": len(sheets),
            "responses": responses,
        }
        return self._respond(request, result, "BatchUpdateValuesResponse")

    @route(
        "POST",
        "/v4/spreadsheets/{spreadsheetId}/values:batchGetByDataFilter",
        name="values.batchGetByDataFilter",
    )
    def _values_batch_get_by_data_filter(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        body = self._sheets_body(request, "BatchGetValuesByDataFilterRequest")
        major = body.get("majorDimension") or "ROWS"
        render = body.get("valueRenderOption") or "FORMATTED_VALUE"
        date_time = body.get("dateTimeRenderOption") or "SERIAL_NUMBER"
        filters: list[JsonObject] = body.get("dataFilters") or []
        if not filters:
            raise _sheets_error(400, "Must specify at least one data filter.")
        matched: list[JsonObject] = []
        for index, data_filter in enumerate(filters):
            kinds = [key for key, value in data_filter.items() if value is not None]
            if kinds == ["gridRange"]:
                try:
                    sheet, r0, r1, c0, c1 = self._grid(spreadsheet, data_filter["gridRange"])
                except _Invalid as error:
                    raise _sheets_error(400, f"Invalid dataFilters[{index}]: {error}") from None
                text = a1_range(sheet.title, r0, r1, c0, c1)
            elif kinds == ["a1Range"]:
                text = str(data_filter["a1Range"])
            else:
                self._problem(
                    f"values.batchGetByDataFilter: data filter {kinds} is not implemented by the fake"
                )
                raise _sheets_error(
                    400,
                    f"Invalid dataFilters[{index}]: the loopback fake only implements gridRange and a1Range.",
                )
            value_range = self._value_range(spreadsheet, text, major, render, date_time)
            matched.append({"valueRange": value_range, "dataFilters": [copy.deepcopy(data_filter)]})
        result: JsonObject = {"spreadsheetId": spreadsheet.spreadsheet_id, "valueRanges": matched}
        return self._respond(request, result, "BatchGetValuesByDataFilterResponse")

    @route("POST", "/v4/spreadsheets/{spreadsheetId}/values:batchClear", name="values.batchClear")
    def _values_batch_clear(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        body = self._sheets_body(request, "BatchClearValuesRequest")
        work = _clone(spreadsheet)
        cleared = [self._clear(work, text) for text in body.get("ranges") or []]
        self._commit(work)
        result: JsonObject = {"spreadsheetId": work.spreadsheet_id}
        if cleared:
            result["clearedRanges"] = cleared
        return self._respond(request, result, "BatchClearValuesResponse")

    @route("GET", "/v4/spreadsheets/{spreadsheetId}/values/{range}", name="values.get")
    def _values_get(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        major, render, date_time = self._read_options(request)
        result = self._value_range(spreadsheet, request.path_params["range"], major, render, date_time)
        return self._respond(request, result, "ValueRange")

    @route("PUT", "/v4/spreadsheets/{spreadsheetId}/values/{range}", name="values.update")
    def _values_update(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        input_option = self._input_option(request)
        body = self._sheets_body(request, "ValueRange")
        text = request.path_params["range"]
        work = _clone(spreadsheet)
        sheet, area = self._resolve(work, text)
        self._check_body_range(work, text, sheet, area, body)
        rows = self._rows_of(body.get("values") or [], body.get("majorDimension") or "ROWS")
        result = self._write(work, sheet, area, rows, input_option, "")
        self._commit(work)
        if request.flag("includeValuesInResponse"):
            result["updatedData"] = self._response_values(work, result["updatedRange"], request.query)
        return self._respond(request, result, "UpdateValuesResponse")

    @route("POST", "/v4/spreadsheets/{spreadsheetId}/values/{range}:append", name="values.append")
    def _values_append(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        input_option = self._input_option(request)
        insert = request.param("insertDataOption") or "OVERWRITE"
        if insert not in ("OVERWRITE", "INSERT_ROWS"):
            raise _sheets_error(
                400,
                f"Invalid value at 'insert_data_option' "
                f'(type.googleapis.com/google.apps.sheets.v4.InsertDataOption), "{insert}"',
            )
        body = self._sheets_body(request, "ValueRange")
        text = request.path_params["range"]
        work = _clone(spreadsheet)
        sheet, area = self._resolve(work, text)
        self._check_body_range(work, text, sheet, area, body)
        r0, r1, c0, c1 = self._read_area(sheet, area)
        filled = [
            key
            for key, cell in sheet.cells.items()
            if r0 <= key[0] < r1 and c0 <= key[1] < c1 and cell.get("userEnteredValue")
        ]
        rows = self._rows_of(body.get("values") or [], body.get("majorDimension") or "ROWS")
        result: JsonObject = {"spreadsheetId": work.spreadsheet_id}
        if filled:
            top, last = min(r for r, _ in filled), max(r for r, _ in filled)
            first, end = min(c for _, c in filled), max(c for _, c in filled)
            result["tableRange"] = a1_range(sheet.title, top, last + 1, first, end + 1)
            at = Area(last + 1, None, first, None, single=True)
        else:
            at = Area(r0, None, c0, None, single=True)
        if insert == "INSERT_ROWS" and rows:
            try:
                self._insert_span(work, sheet, "ROWS", min(at.row, sheet.rows), len(rows))
            except _Invalid as error:
                raise _sheets_error(400, str(error)) from None
        result["updates"] = self._write(work, sheet, at, rows, input_option, "")
        self._commit(work)
        if request.flag("includeValuesInResponse"):
            result["updates"]["updatedData"] = self._response_values(
                work, result["updates"]["updatedRange"], request.query
            )
        return self._respond(request, result, "AppendValuesResponse")

    @route("POST", "/v4/spreadsheets/{spreadsheetId}/values/{range}:clear", name="values.clear")
    def _values_clear(self, request: Request) -> Response:
        spreadsheet = self._spreadsheet_for(request)
        self._sheets_body(request, "ClearValuesRequest")
        work = _clone(spreadsheet)
        cleared = self._clear(work, request.path_params["range"])
        self._commit(work)
        return self._respond(
            request, {"spreadsheetId": work.spreadsheet_id, "clearedRange": cleared}, "ClearValuesResponse"
        )

    # -- spreadsheets.batchUpdate requests (each raises _Invalid with Google's message) -

    def _add_sheet(self, spreadsheet: _Spreadsheet, request: JsonObject) -> JsonObject:
        given: JsonObject = copy.deepcopy(request.get("properties") or {})
        sheet_id = given.get("sheetId")
        if sheet_id is None:
            sheet_id = 0 if not spreadsheet.sheets else self._new_sheet_id(spreadsheet)
        elif sheet_id < 0:
            raise _Invalid(f"Sheet ID {sheet_id} is invalid: sheet IDs must not be negative.")
        elif spreadsheet.by_id(sheet_id) is not None:
            raise _Invalid(f"A sheet with the ID {sheet_id} already exists.")
        title = given.get("title") or self._untitled(spreadsheet)
        if spreadsheet.by_title(title) is not None:
            raise _Invalid(f'A sheet with the name "{title}" already exists. Please enter another name.')
        if given.get("sheetType", "GRID") != "GRID":
            self._problem(f"addSheet: sheetType {given['sheetType']} is not implemented by the fake")
            raise _Invalid(f"the loopback fake only makes GRID sheets, not {given['sheetType']}.")
        grid_given: JsonObject = given.get("gridProperties") or {}
        grid: JsonObject = {
            "rowCount": int(grid_given.get("rowCount", DEFAULT_ROWS)),
            "columnCount": int(grid_given.get("columnCount", DEFAULT_COLUMNS)),
        }
        for key in ("frozenRowCount", "frozenColumnCount", "hideGridlines", "rowGroupControlAfter"):
            if grid_given.get(key):
                grid[key] = grid_given[key]
        if grid_given.get("columnGroupControlAfter"):
            grid["columnGroupControlAfter"] = grid_given["columnGroupControlAfter"]
        properties: JsonObject = {"sheetId": sheet_id, "title": title, "index": 0, "sheetType": "GRID"}
        properties["gridProperties"] = grid
        for key in ("hidden", "rightToLeft", "tabColor", "tabColorStyle"):
            if given.get(key):
                properties[key] = given[key]
        _sync_tab_color(properties)
        sheet = _Sheet(properties)
        self._check_grid(spreadsheet, sheet, added=True)
        index = max(0, min(int(given.get("index", len(spreadsheet.sheets))), len(spreadsheet.sheets)))
        spreadsheet.sheets.insert(index, sheet)
        spreadsheet.reindex()
        if all(s.properties.get("hidden") for s in spreadsheet.sheets):
            raise _Invalid("You can't hide all the sheets in a document.")
        return {"properties": copy.deepcopy(sheet.properties)}

    def _delete_sheet(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet = self._sheet_by_id(spreadsheet, request.get("sheetId", 0))
        if len(spreadsheet.sheets) == 1:
            raise _Invalid("You can't remove all the sheets in a document.")
        spreadsheet.sheets.remove(sheet)
        if all(s.properties.get("hidden") for s in spreadsheet.sheets):
            raise _Invalid("You can't remove all the visible sheets in a document.")
        spreadsheet.reindex()
        spreadsheet.named_ranges = [
            n for n in spreadsheet.named_ranges if (n.get("range") or {}).get("sheetId", 0) != sheet.sheet_id
        ]

    def _update_sheet_properties(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        given: JsonObject = request.get("properties") or {}
        tree = self._update_mask(request.get("fields"), "SheetProperties")
        sheet = self._sheet_by_id(spreadsheet, given.get("sheetId", 0))
        candidate = copy.deepcopy(sheet.properties)
        if "*" in tree:
            candidate = {"gridProperties": candidate["gridProperties"], **copy.deepcopy(given)}
        else:
            update_by_mask(candidate, given, tree)
            if "tabColorStyle" in tree and "tabColorStyle" not in candidate:
                candidate.pop("tabColor", None)
            elif "tabColor" in tree and "tabColor" not in candidate:
                candidate.pop("tabColorStyle", None)
        _sync_tab_color(candidate)
        candidate["sheetId"] = sheet.sheet_id
        candidate.setdefault("sheetType", "GRID")
        title = candidate.get("title")
        if not title:
            raise _Invalid("Sheet names cannot be empty.")
        other = spreadsheet.by_title(str(title))
        if other is not None and other is not sheet:
            raise _Invalid(f'A sheet with the name "{title}" already exists. Please enter another name.')
        grid: JsonObject = candidate.setdefault("gridProperties", {})
        for dimension, key, noun in (("ROWS", "rowCount", "rows"), ("COLUMNS", "columnCount", "columns")):
            count = int(grid.get(key, 0))
            if count < 1:
                raise _Invalid(f"You can't delete all the {noun} on the sheet.")
            if count < sheet.count(dimension):
                self._delete_span(spreadsheet, sheet, dimension, count, sheet.count(dimension))
        for key in ("hidden", "rightToLeft"):
            if not candidate.get(key):
                candidate.pop(key, None)
        for key in ("frozenRowCount", "frozenColumnCount", "hideGridlines"):
            if not grid.get(key):
                grid.pop(key, None)
        old_index = spreadsheet.sheets.index(sheet)
        new_index = int(candidate.get("index", old_index)) if ("index" in tree or "*" in tree) else old_index
        sheet.properties = candidate
        self._check_grid(spreadsheet, sheet)
        if candidate.get("hidden") and all(s.properties.get("hidden") for s in spreadsheet.sheets):
            raise _Invalid("You can't hide all the sheets in a document.")
        if new_index != old_index:
            spreadsheet.sheets.remove(sheet)
            target = max(0, new_index)
            if target > old_index:
                target -= 1  # indexes count "before the move", as Sheets documents
            spreadsheet.sheets.insert(min(target, len(spreadsheet.sheets)), sheet)
        spreadsheet.reindex()

    def _update_spreadsheet_properties(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        tree = self._update_mask(request.get("fields"), "SpreadsheetProperties")
        candidate = copy.deepcopy(spreadsheet.properties)
        update_by_mask(candidate, request.get("properties") or {}, tree)
        if not candidate.get("title"):
            raise _Invalid("The spreadsheet title cannot be empty.")
        spreadsheet.properties = candidate

    def _repeat_cell(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet, r0, r1, c0, c1 = self._grid(spreadsheet, request.get("range"))
        tree = self._cell_mask(request.get("fields"))
        source: JsonObject = request.get("cell") or {}
        for row in range(r0, r1):
            for column in range(c0, c1):
                self._apply_cell(sheet, row, column, source, tree)

    def _update_cells(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        tree = self._cell_mask(request.get("fields"))
        rows: list[JsonObject] = request.get("rows") or []
        if ("range" in request) == ("start" in request):
            raise _Invalid("Exactly one of range or start must be set.")
        if "range" in request:
            sheet, r0, r1, c0, c1 = self._grid(spreadsheet, request["range"])
            if len(rows) > r1 - r0 or any(len(r.get("values") or []) > c1 - c0 for r in rows):
                raise _Invalid("The rows and values extend beyond the range.")
            for row in range(r0, r1):
                values = (rows[row - r0].get("values") or []) if row - r0 < len(rows) else []
                for column in range(c0, c1):
                    index = column - c0
                    self._apply_cell(sheet, row, column, values[index] if index < len(values) else {}, tree)
            return
        start: JsonObject = request["start"]
        sheet = self._sheet_by_id(spreadsheet, start.get("sheetId", 0))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        height = len(rows)
        width = max((len(r.get("values") or []) for r in rows), default=0)
        if r0 + height > sheet.rows or c0 + width > sheet.columns:
            raise _Invalid(self._beyond_grid(sheet, r0, r0 + max(height, 1), c0, c0 + max(width, 1)))
        for i, row_data in enumerate(rows):
            for j, source in enumerate(row_data.get("values") or []):
                self._apply_cell(sheet, r0 + i, c0 + j, source, tree)

    def _set_data_validation(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet, r0, r1, c0, c1 = self._grid(spreadsheet, request.get("range"))
        rule: JsonObject | None = request.get("rule")
        if rule is not None and not rule.get("condition"):
            raise _Invalid("A data validation rule must have a condition.")
        for row in range(r0, r1):
            for column in range(c0, c1):
                cell = sheet.cells.get((row, column)) or {}
                if rule is None:
                    cell.pop("dataValidation", None)
                else:
                    cell["dataValidation"] = copy.deepcopy(rule)
                sheet.put(row, column, cell)

    def _add_protected_range(self, spreadsheet: _Spreadsheet, request: JsonObject) -> JsonObject:
        protected: JsonObject = copy.deepcopy(request.get("protectedRange") or {})
        if ("range" in protected) == ("namedRangeId" in protected):
            raise _Invalid("Exactly one of range or namedRangeId must be set.")
        if "range" in protected:
            sheet, *_ = self._grid(spreadsheet, protected["range"])
            protected["range"] = {"sheetId": sheet.sheet_id, **protected["range"]}
        else:
            named = self._named_range(spreadsheet, protected["namedRangeId"])
            sheet = self._sheet_by_id(spreadsheet, (named.get("range") or {}).get("sheetId", 0))
        for unprotected in protected.get("unprotectedRanges") or []:
            other, *_ = self._grid(spreadsheet, unprotected)
            if other is not sheet:
                raise _Invalid("Unprotected ranges must be on the same sheet as the protected range.")
        existing = {p["protectedRangeId"] for s in spreadsheet.sheets for p in s.protected_ranges}
        if "protectedRangeId" in protected:
            if protected["protectedRangeId"] in existing:
                raise _Invalid(f"A protected range with ID {protected['protectedRangeId']} already exists.")
        else:
            protected["protectedRangeId"] = self._new_int_id(existing)
        protected["requestingUserCanEdit"] = True
        if not protected.get("warningOnly") and "editors" not in protected:
            protected["editors"] = {"users": [self._principal]}
        sheet.protected_ranges.append(protected)
        return {"protectedRange": copy.deepcopy(protected)}

    def _delete_protected_range(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        wanted = request.get("protectedRangeId", 0)
        for sheet in spreadsheet.sheets:
            for protected in sheet.protected_ranges:
                if protected["protectedRangeId"] == wanted:
                    sheet.protected_ranges.remove(protected)
                    return
        raise _Invalid(f"No protected range with id: {wanted}")

    def _add_conditional_format_rule(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        rule: JsonObject = copy.deepcopy(request.get("rule") or {})
        ranges: list[JsonObject] = rule.get("ranges") or []
        if not ranges:
            raise _Invalid("A conditional format rule must have at least one range.")
        sheets = {self._grid(spreadsheet, r)[0].sheet_id for r in ranges}
        if len(sheets) != 1:
            raise _Invalid("All ranges of a conditional format rule must be on the same sheet.")
        if ("booleanRule" in rule) == ("gradientRule" in rule):
            raise _Invalid("Exactly one of booleanRule or gradientRule must be set.")
        sheet = self._sheet_by_id(spreadsheet, sheets.pop())
        rule["ranges"] = [{"sheetId": sheet.sheet_id, **r} for r in ranges]
        index = int(request.get("index", 0))
        if not 0 <= index <= len(sheet.conditional_formats):
            raise _Invalid(f"Conditional format rule index {index} is out of bounds.")
        sheet.conditional_formats.insert(index, rule)

    def _merge_cells(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet, r0, r1, c0, c1 = self._grid(spreadsheet, request.get("range"))
        merge_type = request.get("mergeType") or "MERGE_ALL"
        if merge_type == "MERGE_COLUMNS":
            boxes = [(r0, r1, c, c + 1) for c in range(c0, c1)]
        elif merge_type == "MERGE_ROWS":
            boxes = [(r, r + 1, c0, c1) for r in range(r0, r1)]
        else:
            boxes = [(r0, r1, c0, c1)]
        boxes = [b for b in boxes if (b[1] - b[0]) * (b[3] - b[2]) > 1]
        frozen_rows = int(sheet.grid.get("frozenRowCount", 0))
        frozen_columns = int(sheet.grid.get("frozenColumnCount", 0))
        if any(b[0] < frozen_rows < b[1] for b in boxes):
            raise _Invalid("You can't merge frozen and non-frozen rows.")
        if any(b[2] < frozen_columns < b[3] for b in boxes):
            raise _Invalid("You can't merge frozen and non-frozen columns.")
        kept: list[JsonObject] = []
        for merge in sheet.merges:
            if not _intersects(merge, r0, r1, c0, c1):
                kept.append(merge)
            elif not _contained(merge, r0, r1, c0, c1):
                raise _Invalid("You can't merge cells that partially overlap a merge.")
        sheet.merges = kept
        for top, bottom, left, right in boxes:
            for row in range(top, bottom):
                for column in range(left, right):
                    if (row, column) != (top, left) and (cell := sheet.cells.get((row, column))):
                        cell.pop("userEnteredValue", None)
                        cell.pop("effectiveValue", None)
                        sheet.put(row, column, cell)
            sheet.merges.append(
                {
                    "sheetId": sheet.sheet_id,
                    "startRowIndex": top,
                    "endRowIndex": bottom,
                    "startColumnIndex": left,
                    "endColumnIndex": right,
                }
            )

    def _unmerge_cells(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet, r0, r1, c0, c1 = self._grid(spreadsheet, request.get("range"))
        kept: list[JsonObject] = []
        for merge in sheet.merges:
            if not _intersects(merge, r0, r1, c0, c1):
                kept.append(merge)
            elif not _contained(merge, r0, r1, c0, c1):
                raise _Invalid("The range must not partially span any merge.")
        sheet.merges = kept

    def _append_dimension(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet = self._sheet_by_id(spreadsheet, request.get("sheetId", 0))
        dimension = _dimension(request.get("dimension"))
        length = int(request.get("length", 0))
        if length < 1:
            raise _Invalid("length must be at least 1.")
        sheet.grid["rowCount" if dimension == "ROWS" else "columnCount"] = sheet.count(dimension) + length
        self._check_grid(spreadsheet, sheet)

    def _insert_dimension(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet, dimension, start, end = self._dimension_range(spreadsheet, request.get("range"))
        if start > sheet.count(dimension):
            raise _Invalid(self._beyond_dimension(sheet, dimension, start, end))
        inherit_before = bool(request.get("inheritFromBefore"))
        if inherit_before and start == 0:
            raise _Invalid("inheritFromBefore must be false when inserting at the start of the sheet.")
        self._insert_span(spreadsheet, sheet, dimension, start, end - start)
        source = start - 1 if inherit_before else end
        if source < sheet.count(dimension):
            axis = 0 if dimension == "ROWS" else 1
            for key, cell in list(sheet.cells.items()):
                if key[axis] == source and "userEnteredFormat" in cell:
                    for position in range(start, end):
                        target = (position, key[1]) if axis == 0 else (key[0], position)
                        new_cell = sheet.cells.get(target) or {}
                        new_cell["userEnteredFormat"] = copy.deepcopy(cell["userEnteredFormat"])
                        sheet.put(*target, new_cell)

    def _delete_dimension(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet, dimension, start, end = self._dimension_range(spreadsheet, request.get("range"))
        if end > sheet.count(dimension):
            raise _Invalid(self._beyond_dimension(sheet, dimension, start, end))
        if start == 0 and end >= sheet.count(dimension):
            noun = "rows" if dimension == "ROWS" else "columns"
            raise _Invalid(f"You can't delete all the {noun} on the sheet.")
        self._delete_span(spreadsheet, sheet, dimension, start, end)

    def _append_cells(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        """Rows after the last row that holds a value (formatting, notes and dropdowns alone do not
        count), found when the request is applied; the sheet grows when they do not fit."""
        if request.get("tableId"):
            self._problem("appendCells: tableId is not implemented by the fake")
            raise _Invalid("the loopback fake does not implement appending to a table.")
        sheet = self._sheet_by_id(spreadsheet, request.get("sheetId", 0))
        tree = self._cell_mask(request.get("fields"))
        rows: list[JsonObject] = request.get("rows") or []
        width = max((len(r.get("values") or []) for r in rows), default=0)
        if width > sheet.columns:
            raise _Invalid(self._beyond_grid(sheet, 0, 1, 0, width))
        start = 1 + max(
            (row for (row, _), cell in sheet.cells.items() if cell.get("userEnteredValue")), default=-1
        )
        if start + len(rows) > sheet.rows:
            sheet.grid["rowCount"] = start + len(rows)
            self._check_grid(spreadsheet, sheet)
        for i, row_data in enumerate(rows):
            for j, source in enumerate(row_data.get("values") or []):
                self._apply_cell(sheet, start + i, j, source, tree)

    def _move_dimension(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet, dimension, start, end = self._dimension_range(spreadsheet, request.get("source"))
        count = sheet.count(dimension)
        if end > count:
            raise _Invalid(self._beyond_dimension(sheet, dimension, start, end))
        destination = int(request.get("destinationIndex", 0))
        if not 0 <= destination <= count:
            raise _Invalid(f"destinationIndex {destination} is outside the sheet.")
        if start <= destination <= end:
            return  # onto itself: nothing moves
        order = [i for i in range(count) if not start <= i < end]
        at = destination if destination < start else destination - (end - start)
        order[at:at] = list(range(start, end))
        moved = {old: new for new, old in enumerate(order)}
        count = len(order)
        axis = 0 if dimension == "ROWS" else 1
        sheet.cells = {_moved_key(key, axis, moved[key[axis]]): cell for key, cell in sheet.cells.items()}
        _set_metadata(sheet, dimension, {moved[i]: v for i, v in sheet.metadata(dimension).items()})
        start_key, end_key = _range_keys(dimension)

        def runs(grid_range: Mapping[str, Any]) -> list[tuple[int, int]]:
            """Where the cells of a range are after the move: contiguous runs of positions."""
            low = int(grid_range.get(start_key) or 0)
            high = int(grid_range[end_key]) if grid_range.get(end_key) is not None else count
            found: list[tuple[int, int]] = []
            for position in sorted(moved[i] for i in range(low, high)):
                if found and found[-1][1] == position:
                    found[-1] = (found[-1][0], position + 1)
                else:
                    found.append((position, position + 1))
            return found

        def follow(grid_range: JsonObject) -> None:
            if grid_range.get(start_key) is None and grid_range.get(end_key) is None:
                return  # whole rows or columns: they stay whole
            found = runs(grid_range)
            if len(found) != 1:
                self._problem("moveDimension: a range the move cuts in two is not implemented")
                raise _Invalid("the loopback fake does not cut a range in two.")
            grid_range[start_key], grid_range[end_key] = found[0]

        for merge in sheet.merges:
            follow(merge)
        for rule in sheet.conditional_formats:
            pieces: list[JsonObject] = []  # a conditional format cut by the move applies to each piece
            for grid_range in rule.get("ranges") or []:
                if grid_range.get(start_key) is None and grid_range.get(end_key) is None:
                    pieces.append(grid_range)
                    continue
                pieces += [{**grid_range, start_key: low, end_key: high} for low, high in runs(grid_range)]
            rule["ranges"] = pieces
        for protected in sheet.protected_ranges:
            for grid_range in [protected.get("range") or {}, *(protected.get("unprotectedRanges") or [])]:
                follow(grid_range)
        for item in [sheet.basic_filter or {}, *sheet.filter_views, *sheet.tables]:
            follow(item.setdefault("range", {}))
        for named in spreadsheet.named_ranges:
            if (named.get("range") or {}).get("sheetId", 0) == sheet.sheet_id:
                follow(named["range"])

    def _update_dimension_properties(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        if "dataSourceSheetRange" in request:
            self._problem("updateDimensionProperties: dataSourceSheetRange is not implemented by the fake")
            raise _Invalid("the loopback fake does not implement data source sheets.")
        sheet, dimension, start, end = self._dimension_range(spreadsheet, request.get("range"))
        if end > sheet.count(dimension):
            raise _Invalid(self._beyond_dimension(sheet, dimension, start, end))
        tree = self._update_mask(request.get("fields"), "DimensionProperties")
        metadata = sheet.metadata(dimension)
        for index in range(start, end):
            entry = metadata.get(index, {})
            update_by_mask(entry, request.get("properties") or {}, tree)
            if not entry.get("hiddenByUser"):
                entry.pop("hiddenByUser", None)
            if entry:
                metadata[index] = entry
            else:
                metadata.pop(index, None)

    def _auto_resize_dimensions(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        if "dataSourceSheetDimensions" in request:
            self._problem("autoResizeDimensions: dataSourceSheetDimensions is not implemented by the fake")
            raise _Invalid("the loopback fake does not implement data source sheets.")
        sheet, dimension, start, end = self._dimension_range(spreadsheet, request.get("dimensions"))
        if end > sheet.count(dimension):
            raise _Invalid(self._beyond_dimension(sheet, dimension, start, end))
        widths: dict[int, int] = {}
        if dimension == "COLUMNS":
            for (_, column), cell in sheet.cells.items():
                text = render_cell(cell, "FORMATTED_VALUE", "SERIAL_NUMBER", self._problem)
                if isinstance(text, str) and text:
                    widths[column] = max(widths.get(column, 0), 7 * len(text) + 10)
        metadata = sheet.metadata(dimension)
        for index in range(start, end):
            size = ROW_PIXELS if dimension == "ROWS" else widths.get(index, COLUMN_PIXELS)
            metadata.setdefault(index, {})["pixelSize"] = size

    _LOOKUP_FIELDS = ("metadataId", "metadataKey", "metadataValue", "visibility")

    def _create_developer_metadata(self, spreadsheet: _Spreadsheet, request: JsonObject) -> JsonObject:
        """Google's rules: a key and a visibility are required; an id, if given, must be positive
        and not in use (the message is the one Sheets gives), otherwise one is assigned."""
        entry: JsonObject = copy.deepcopy(request.get("developerMetadata") or {})
        if not entry.get("metadataKey"):
            raise _Invalid("Developer metadata must always have a key specified.")
        if entry.get("visibility") in (None, "DEVELOPER_METADATA_VISIBILITY_UNSPECIFIED"):
            raise _Invalid("Developer metadata must always have visibility specified.")
        location = entry.get("location") or {}
        if location != {"spreadsheet": True}:
            self._problem(
                "createDeveloperMetadata: the fake implements spreadsheet-level developer metadata only, "
                f"not {json.dumps(location)}"
            )
            raise _Invalid("the loopback fake implements spreadsheet-level developer metadata only.")
        used = {int(m["metadataId"]) for m in spreadsheet.developer_metadata}
        metadata_id = entry.get("metadataId")
        if metadata_id is None:
            metadata_id = self._random.randrange(1, 2**31)
            while metadata_id in used:
                metadata_id = self._random.randrange(1, 2**31)
        elif int(metadata_id) <= 0:
            raise _Invalid(f"Developer metadata ID [{metadata_id}] must be positive.")
        elif int(metadata_id) in used:
            raise _Invalid(
                f"Cannot add developer metadata with ID [{metadata_id}] because developer metadata "
                "with that ID already exists."
            )
        entry["metadataId"] = int(metadata_id)
        entry["location"] = {"locationType": "SPREADSHEET", "spreadsheet": True}
        spreadsheet.developer_metadata.append(entry)
        return {"developerMetadata": copy.deepcopy(entry)}

    def _delete_developer_metadata(self, spreadsheet: _Spreadsheet, request: JsonObject) -> JsonObject:
        """Delete every entry the lookup matches (all its given fields: an intersection)."""
        data_filter: JsonObject = request.get("dataFilter") or {}
        lookup: JsonObject | None = data_filter.get("developerMetadataLookup")
        unknown = sorted(set(lookup or {}) - {*self._LOOKUP_FIELDS, "locationType"})
        if lookup is None or unknown or lookup.get("locationType", "SPREADSHEET") != "SPREADSHEET":
            self._problem(
                f"deleteDeveloperMetadata: the fake does not implement the filter {json.dumps(data_filter)}"
            )
            raise _Invalid("the loopback fake does not implement this data filter.")
        wanted = {k: lookup[k] for k in self._LOOKUP_FIELDS if k in lookup}
        matched = [m for m in spreadsheet.developer_metadata if all(m.get(k) == v for k, v in wanted.items())]
        if not matched and self.refuse_unmatched_metadata_delete:
            raise _Invalid("No developer metadata matches the data filter.")
        spreadsheet.developer_metadata = [m for m in spreadsheet.developer_metadata if m not in matched]
        return {"deletedDeveloperMetadata": copy.deepcopy(matched)}

    def _add_named_range(self, spreadsheet: _Spreadsheet, request: JsonObject) -> JsonObject:
        named: JsonObject = copy.deepcopy(request.get("namedRange") or {})
        name = str(named.get("name", ""))
        if (
            not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,249}", name)
            or _CELL_LIKE.fullmatch(name)
            or name.upper() in ("TRUE", "FALSE")
        ):
            raise _Invalid(f'Invalid name for a named range: "{name}".')
        if any(n["name"].casefold() == name.casefold() for n in spreadsheet.named_ranges):
            raise _Invalid(f'A named range with the name "{name}" already exists.')
        sheet, *_ = self._grid(spreadsheet, named.get("range"))
        named["range"] = {"sheetId": sheet.sheet_id, **(named.get("range") or {})}
        existing = {str(n["namedRangeId"]) for n in spreadsheet.named_ranges}
        if named.get("namedRangeId") in existing:
            raise _Invalid(f"A named range with ID {named['namedRangeId']} already exists.")
        named.setdefault("namedRangeId", str(self._new_int_id({int(i) for i in existing if i.isdigit()})))
        spreadsheet.named_ranges.append(named)
        return {"namedRange": copy.deepcopy(named)}

    def _delete_named_range(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        named = self._named_range(spreadsheet, request.get("namedRangeId", ""))
        spreadsheet.named_ranges.remove(named)

    def _update_borders(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        sheet, r0, r1, c0, c1 = self._grid(spreadsheet, request.get("range"))
        rows, columns = range(r0, r1), range(c0, c1)
        edges: list[tuple[str, str, list[tuple[int, int]]]] = [
            ("top", "top", [(r0, c) for c in columns]),
            ("bottom", "bottom", [(r1 - 1, c) for c in columns]),
            ("left", "left", [(r, c0) for r in rows]),
            ("right", "right", [(r, c1 - 1) for r in rows]),
            ("innerHorizontal", "bottom", [(r, c) for r in rows[:-1] for c in columns]),
            ("innerVertical", "right", [(r, c) for r in rows for c in columns[:-1]]),
        ]
        for key, side, cells in edges:
            border = request.get(key)
            if border is None:
                continue
            for row, column in cells:
                cell = sheet.cells.get((row, column)) or {}
                cell_format: JsonObject = cell.setdefault("userEnteredFormat", {})
                borders: JsonObject = cell_format.setdefault("borders", {})
                if border.get("style") == "NONE":
                    borders.pop(side, None)
                else:
                    borders[side] = copy.deepcopy(border)
                if not borders:
                    cell_format.pop("borders")
                if not cell_format:
                    cell.pop("userEnteredFormat")
                sheet.put(row, column, cell)

    def _set_basic_filter(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        basic_filter: JsonObject = copy.deepcopy(request.get("filter") or {})
        if "tableId" in basic_filter:
            if "range" in basic_filter:
                raise _Invalid("Only one of range or tableId may be set.")
            table = next(
                (
                    t
                    for s in spreadsheet.sheets
                    for t in s.tables
                    if t["tableId"] == str(basic_filter["tableId"])
                ),
                None,
            )
            if table is None:
                raise _Invalid(f"No table with id: {basic_filter['tableId']}")
            basic_filter["range"] = copy.deepcopy(table["range"])
        sheet, *_ = self._grid(spreadsheet, basic_filter.get("range"))
        basic_filter["range"] = {"sheetId": sheet.sheet_id, **(basic_filter.get("range") or {})}
        sheet.basic_filter = basic_filter

    def _clear_basic_filter(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        self._sheet_by_id(spreadsheet, request.get("sheetId", 0)).basic_filter = None

    def _update_named_range(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        given: JsonObject = request.get("namedRange") or {}
        tree = self._update_mask(request.get("fields"), "NamedRange")
        named = self._named_range(spreadsheet, given.get("namedRangeId", ""))
        candidate = _updated(named, given, tree, "namedRangeId")
        name = str(candidate.get("name", ""))
        if any(n is not named and n["name"].casefold() == name.casefold() for n in spreadsheet.named_ranges):
            raise _Invalid(f'A named range with the name "{name}" already exists.')
        sheet, *_ = self._grid(spreadsheet, candidate.get("range"))
        candidate["range"] = {"sheetId": sheet.sheet_id, **(candidate.get("range") or {})}
        named.clear()
        named.update(candidate)

    def _update_filter_view(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        given: JsonObject = request.get("filter") or {}
        tree = self._update_mask(request.get("fields"), "FilterView")
        wanted = given.get("filterViewId")
        found = next(
            (
                (s, v)
                for s in spreadsheet.sheets
                for v in s.filter_views
                if str(v["filterViewId"]) == str(wanted)
            ),
            None,
        )
        if found is None:
            raise _Invalid(f"No filter view with id: {wanted}")
        sheet, view = found
        candidate = _updated(view, given, tree, "filterViewId")
        if any(k in candidate for k in ("tableId", "namedRangeId")):
            self._problem(
                "updateFilterView: views backed by a table or named range are not implemented by the fake"
            )
            raise _Invalid(
                "the loopback fake does not implement filter views backed by tables or named ranges."
            )
        moved_to, *_ = self._grid(spreadsheet, candidate.get("range"))
        if moved_to is not sheet:
            raise _Invalid("A filter view cannot be moved to another sheet.")
        candidate["range"] = {"sheetId": sheet.sheet_id, **(candidate.get("range") or {})}
        view.clear()
        view.update(candidate)

    def _update_table(self, spreadsheet: _Spreadsheet, request: JsonObject) -> None:
        """Change a table's name or range (the rows a person or an API adds below a table stay
        outside it until its range is updated). A basic filter backed by the table follows it."""
        given: JsonObject = request.get("table") or {}
        tree = self._update_mask(request.get("fields"), "Table")
        for key in tree:
            if key not in ("name", "range"):
                self._problem(f"updateTable: Table.{key} is not implemented by the fake")
                raise _Invalid(f"the loopback fake does not implement updating Table.{key}.")
        wanted = str(given.get("tableId", ""))
        found = next(((s, t) for s in spreadsheet.sheets for t in s.tables if t["tableId"] == wanted), None)
        if found is None:
            raise _Invalid(f"No table with id: {wanted}")
        sheet, table = found
        candidate = _updated(table, given, tree, "tableId")
        name = str(candidate.get("name", ""))
        if not name:
            raise _Invalid("A table needs a name.")
        if any(
            t is not table and t["name"].casefold() == name.casefold()
            for s in spreadsheet.sheets
            for t in s.tables
        ):
            raise _Invalid(f'A table with the name "{name}" already exists.')
        moved_to, r0, r1, c0, c1 = self._grid(spreadsheet, candidate.get("range"))
        if moved_to is not sheet:
            raise _Invalid("A table cannot be moved to another sheet.")
        if c1 - c0 != len(table.get("columnProperties") or []) or r1 - r0 < 1:
            raise _Invalid("A table's range must keep its columns and its header row.")
        for other in sheet.tables:
            if other is not table and _intersects(other["range"], r0, r1, c0, c1):
                raise _Invalid("Tables cannot overlap.")
        candidate["range"] = {"sheetId": sheet.sheet_id, **(candidate.get("range") or {})}
        table.clear()
        table.update(candidate)
        if sheet.basic_filter is not None and sheet.basic_filter.get("tableId") == wanted:
            sheet.basic_filter["range"] = copy.deepcopy(table["range"])

    # -- Drive v3 ----------------------------------------------------------------------

    @route("GET", "/drive/v3/files/generateIds", name="drive.files.generateIds")
    def _drive_files_generate_ids(self, request: Request) -> Response:
        count = _int_param(request, "count", 10, low=1, high=1000)
        space, kind = request.param("space") or "drive", request.param("type") or "files"
        if (space, kind) != ("drive", "files"):
            self._problem(f"drive.files.generateIds: space={space!r}, type={kind!r} are not implemented")
            raise _drive_error(
                400, "The loopback fake implements space=drive, type=files only.", location="space"
            )
        ids = []
        for _ in range(count):
            new = self._new_file_id()
            self._generated[new] = self._principal
            ids.append(new)
        result: JsonObject = {"kind": "drive#generatedIds", "space": "drive", "ids": ids}
        return self._drive_respond(
            request, result, "GeneratedIds", {"kind": None, "space": None, "ids": None}
        )

    @route("POST", "/drive/v3/files", name="drive.files.create")
    def _drive_files_create(self, request: Request) -> Response:
        if request.param("uploadType"):
            self._problem("drive.files.create: an upload goes to /upload/drive/v3/files")
            raise _drive_error(
                400, "Media uploads go to the /upload/drive/v3/files URI.", location="uploadType"
            )
        return self._drive_create(request, self._drive_body(request, "File"), None)

    @route("POST", "/upload/drive/v3/files", name="drive.files.create.media")
    def _drive_files_create_media(self, request: Request) -> Response:
        body, media = self._drive_upload(request)
        return self._drive_create(request, body, media)

    @route("GET", "/drive/v3/files", name="drive.files.list")
    def _drive_files_list(self, request: Request) -> Response:
        query = request.param("q") or ""
        predicates = _drive_query(query, self._app) if query.strip() else []
        if predicates is None:
            self._problem(f"drive.files.list: the fake cannot evaluate q={query!r}")
            raise _drive_error(400, "Invalid Value", reason="invalid", location="q")
        corpora = request.param("corpora") or "user"
        all_drives, drive_id = request.flag("includeItemsFromAllDrives"), request.param("driveId")
        if corpora not in ("user", "drive", "allDrives"):
            self._problem(f"drive.files.list: corpora={corpora!r} is not implemented by the fake")
            raise _drive_error(400, "Invalid Value", reason="invalid", location="corpora")
        if all_drives and not request.flag("supportsAllDrives"):
            raise _drive_error(
                403,
                "The includeItemsFromAllDrives parameter can only be set to true when supportsAllDrives "
                "is also true.",
                reason="teamDrivesParameterNotSupported",
                location="includeItemsFromAllDrives",
            )
        if (corpora == "drive") != bool(drive_id):
            raise _drive_error(
                400,
                "The driveId parameter must be specified if and only if corpora is set to drive.",
                reason="invalid",
                location="driveId",
            )
        if corpora in ("drive", "allDrives") and not all_drives:
            raise _drive_error(
                400,
                f"The includeItemsFromAllDrives parameter must be set to true when corpora is {corpora}.",
                reason="invalid",
                location="includeItemsFromAllDrives",
            )
        now = time.monotonic()

        def listed(drive_file: _File) -> bool:
            if drive_file.shared_drive or not self._may_use(drive_file, writing=False):
                return False
            if not self._reachable(drive_file):
                return False
            drive = self._shared_drive_of(drive_file)
            if drive is not None and (not all_drives or (corpora == "drive" and drive.file_id != drive_id)):
                return False
            if drive is None and corpora == "drive":
                return False
            if query.strip() and drive_file.searchable_at > now:  # the search index lags
                return False
            return all(p(drive_file) for p in predicates)

        matching = [f for f in self._files.values() if listed(f)]
        matching.sort(key=lambda f: (f.name.casefold(), f.file_id))
        page_size = _int_param(request, "pageSize", 100, low=1, high=1000)
        offset = int(request.param("pageToken") or 0)
        result: JsonObject = {"kind": "drive#fileList", "incompleteSearch": False}
        if offset + page_size < len(matching):
            result["nextPageToken"] = str(offset + page_size)
        result["files"] = [self._file_resource(f) for f in matching[offset : offset + page_size]]
        defaults: MaskTree = {
            "kind": None,
            "incompleteSearch": None,
            "nextPageToken": None,
            "files": _FILE_DEFAULT_FIELDS,
        }
        return self._drive_respond(request, result, "FileList", defaults)

    @route("GET", "/drive/v3/files/{fileId}", name="drive.files.get")
    def _drive_files_get(self, request: Request) -> Response:
        found = self._drive_file(request)
        if request.param("alt") == "media":
            self._problem("drive.files.get: downloads (alt=media) are not implemented by the fake")
            raise _drive_error(400, "The loopback fake does not implement downloads.", location="alt")
        return self._drive_respond(request, self._file_resource(found), "File", _FILE_DEFAULT_FIELDS)

    @route("PATCH", "/drive/v3/files/{fileId}", name="drive.files.update")
    def _drive_files_update(self, request: Request) -> Response:
        if request.param("uploadType"):
            self._problem("drive.files.update: an upload goes to /upload/drive/v3/files/{fileId}")
            raise _drive_error(400, "Media uploads go to the /upload URI.", location="uploadType")
        return self._drive_update(request, self._drive_body(request, "File"), None)

    @route("PATCH", "/upload/drive/v3/files/{fileId}", name="drive.files.update.media")
    def _drive_files_update_media(self, request: Request) -> Response:
        body, media = self._drive_upload(request)
        return self._drive_update(request, body, media)

    @route("DELETE", "/drive/v3/files/{fileId}", name="drive.files.delete")
    def _drive_files_delete(self, request: Request) -> Response:
        found = self._drive_file(request)
        if found.owner != self._principal:
            raise _drive_error(
                403,
                "The user does not have sufficient permissions for this file.",
                reason="insufficientFilePermissions",
            )
        del self._files[found.file_id]
        self._spreadsheets.pop(found.file_id, None)
        return Response.empty(204)

    @route("POST", "/drive/v3/files/{fileId}/permissions", name="drive.permissions.create")
    def _drive_permissions_create(self, request: Request) -> Response:
        found = self._drive_file(request)
        body = self._drive_body(request, "Permission")
        kind, role = body.get("type"), body.get("role")
        for name, value, allowed in (("type", kind, _PERMISSION_TYPES), ("role", role, _PERMISSION_ROLES)):
            if not value:
                raise _drive_error(
                    400,
                    f"The permission {name} field is required.",
                    reason="required",
                    location=f"permission.{name}",
                )
            if value not in allowed:
                raise _drive_error(
                    400,
                    f"The value of the permission {name} field is invalid.",
                    reason="invalid",
                    location=name,
                )
        email = str(body.get("emailAddress") or "")
        domain = str(body.get("domain") or "")
        if kind in ("user", "group") and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise _drive_error(
                400,
                "The permission emailAddress field is required and must be an email address.",
                reason="invalidSharingRequest",
                location="permission.emailAddress",
            )
        if kind == "domain" and not domain:
            raise _drive_error(
                400,
                "The permission domain field is required.",
                reason="required",
                location="permission.domain",
            )
        if role == "owner" and not request.flag("transferOwnership"):
            raise _drive_error(
                403,
                "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
                reason="forbidden",
            )
        permission = self._grant(found, str(kind), str(role), email=email, domain=domain, body=body)
        if kind in ("user", "group"):
            self._notifications.append(
                {
                    "fileId": found.file_id,
                    "emailAddress": email,
                    "role": role,
                    "sendNotificationEmail": request.flag("sendNotificationEmail", default=True),
                    "emailMessage": request.param("emailMessage"),
                }
            )
        listed = next(p for p in self._effective_permissions(found) if p["id"] == permission["id"])
        return self._drive_respond(request, listed, "Permission", _PERMISSION_DEFAULT_FIELDS)

    @route("GET", "/drive/v3/files/{fileId}/permissions", name="drive.permissions.list")
    def _drive_permissions_list(self, request: Request) -> Response:
        found = self._drive_file(request)
        permissions = self._effective_permissions(found)
        page_size = _int_param(request, "pageSize", 100, low=1, high=100)
        offset = int(request.param("pageToken") or 0)
        result: JsonObject = {"kind": "drive#permissionList"}
        if offset + page_size < len(permissions):
            result["nextPageToken"] = str(offset + page_size)
        result["permissions"] = permissions[offset : offset + page_size]
        defaults: MaskTree = {
            "kind": None,
            "nextPageToken": None,
            "permissions": _LISTED_PERMISSION_DEFAULT_FIELDS,
        }
        return self._drive_respond(request, result, "PermissionList", defaults)

    @route("DELETE", "/drive/v3/files/{fileId}/permissions/{permissionId}", name="drive.permissions.delete")
    def _drive_permissions_delete(self, request: Request) -> Response:
        found = self._drive_file(request)
        wanted = request.path_params["permissionId"]
        permission = next((p for p in found.permissions if p["id"] == wanted), None)
        if permission is None:
            if any(p["id"] == wanted for p in self._effective_permissions(found)):
                raise _drive_error(
                    403,
                    "The permission is inherited from a folder above and cannot be removed here.",
                    reason="cannotDeletePermission",
                )
            raise _drive_error(404, f"Permission not found: {wanted}.", location="permissionId")
        if permission["role"] == "owner":
            raise _drive_error(403, "The owner of a file cannot be removed.", reason="cannotRemoveOwner")
        found.permissions.remove(permission)
        return Response.empty(204)

    # -- Drive: creating and changing files ----------------------------------------------

    def _drive_upload(self, request: Request) -> tuple[JsonObject, _Media]:
        """The metadata and media of an upload (``uploadType=multipart`` or ``media``)."""
        kind = request.param("uploadType")
        content_type = request.header("Content-Type") or ""
        if kind == "media":
            mime_type = content_type.split(";")[0].strip() or "application/octet-stream"
            return {}, _Media(mime_type, request.body)
        if kind != "multipart":
            self._problem(
                f"{request.method} {request.path}: uploadType={kind!r} is not implemented by the fake"
            )
            raise _drive_error(400, f"Unsupported uploadType: {kind}.", location="uploadType")
        parts = _multipart(request.body, content_type)
        if parts is None or len(parts) != 2 or "json" not in parts[0].mime_type:
            raise _drive_error(
                400, "Multipart uploads carry the metadata (JSON), then the media.", reason="badContent"
            )
        try:
            raw = json.loads(parts[0].data or b"{}")
        except ValueError as error:
            raise _drive_error(400, f"Invalid JSON payload received. {error}", reason="parseError") from None
        return self._checked_body(raw, "File"), parts[1]

    def _drive_create(self, request: Request, body: JsonObject, media: _Media | None) -> Response:
        mime_type = str(body.get("mimeType") or (media.mime_type if media else "application/octet-stream"))
        parents = [str(p) for p in body.get("parents") or []]
        if len(parents) > 1:
            raise _drive_error(
                403, "A file may have one parent folder only.", reason="cannotAddParent", location="parents"
            )
        all_drives = request.flag("supportsAllDrives")
        in_shared_drive = False
        for parent in parents:
            folder = self._files.get(parent)
            drive = self._shared_drive_of(folder) if folder is not None else None
            hidden = drive is not None and (not all_drives or self._principal not in drive.members)
            if folder is None or folder.mime_type != FOLDER_MIME_TYPE or hidden:
                raise _drive_error(404, f"File not found: {parent}.", location="fileId")
            in_shared_drive = in_shared_drive or drive is not None
        if self._is_service_account() and not in_shared_drive:
            message = (
                "Service Accounts do not have storage quota. Leverage shared drives "
                "(https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth "
                "delegation (http://support.google.com/a/answer/7281227) instead."
                if parents
                else "The user's Drive storage quota has been exceeded."
            )
            raise _drive_error(403, message, reason="storageQuotaExceeded", domain="usageLimits")
        for parent in parents:
            folder = self._files[parent]
            if not folder.shared_drive and not (
                self._may_use(folder, writing=True) and self._reachable(folder)
            ):
                # drive.file: a folder this app did not make is out of its reach, as if not there
                raise _drive_error(404, f"File not found: {parent}.", location="fileId")
        file_id = self._claim_id(body.get("id"))
        owner = "" if in_shared_drive else self._principal
        text = self._converted(mime_type, media)
        if mime_type == SPREADSHEET_MIME_TYPE and media is None and file_id is None:
            title = str(body.get("name") or "Untitled spreadsheet")
            spreadsheet = self._build_spreadsheet({"title": title}, [{}])
            created = self._register(spreadsheet, owner, parents, app=self._app)
        elif mime_type.startswith(_GOOGLE_APPS) and mime_type not in (FOLDER_MIME_TYPE, DOCUMENT_MIME_TYPE):
            self._problem(f"drive.files.create: {mime_type} files are not implemented by the fake")
            raise _drive_error(400, f"The loopback fake does not implement {mime_type}.", location="mimeType")
        else:
            now = _now_rfc3339()
            untitled = "Untitled document" if mime_type == DOCUMENT_MIME_TYPE else "Untitled"
            name = str(body.get("name") or untitled)
            created = _File(file_id or self._new_file_id(), name, mime_type, owner, now, now, parents)
            created.app = self._app
            created.text = text or ""
            created.content = media.data if media is not None and text is None else b""
            if owner:
                created.permissions.append(self._owner_permission(owner))
            self._files[created.file_id] = created
        created.searchable_at = time.monotonic() + self.drive_search_lag
        self._set_app_properties(created, body.get("appProperties"))
        return self._drive_respond(request, self._file_resource(created), "File", _FILE_DEFAULT_FIELDS)

    def _claim_id(self, wanted: object) -> str | None:
        """A client-chosen id: one from files.generateIds for this account, not yet used."""
        if wanted is None:
            return None
        file_id = str(wanted)
        if file_id in self._files:
            raise _drive_error(409, "A file already exists with the provided ID.", reason="duplicate")
        if self._generated.get(file_id) != self._principal:
            raise _drive_error(
                400, "The provided file ID is not usable.", reason="fileIdNotUsable", location="file.id"
            )
        del self._generated[file_id]
        return file_id

    def _converted(self, mime_type: str, media: _Media | None) -> str | None:
        """The text of a Google Doc made from ``media`` (``None``: no conversion)."""
        if media is None or not mime_type.startswith(_GOOGLE_APPS):
            return None
        if mime_type != DOCUMENT_MIME_TYPE or media.mime_type not in ("text/html", "text/plain"):
            self._problem(f"converting {media.mime_type} to {mime_type} is not implemented by the fake")
            raise _drive_error(400, f"The loopback fake does not convert {media.mime_type} to {mime_type}.")
        raw = media.data.decode("utf-8", errors="replace")
        return html_text(raw) if media.mime_type == "text/html" else raw

    def _drive_update(self, request: Request, body: JsonObject, media: _Media | None) -> Response:
        found = self._drive_file(request)
        if not self._may_use(found, writing=True):
            raise _drive_error(
                403,
                "The user does not have sufficient permissions for this file.",
                reason="insufficientFilePermissions",
            )
        moved = [name for name in ("addParents", "removeParents") if request.param(name)]
        unsupported = sorted(set(body) - {"name", "appProperties", "trashed", "mimeType"}) + moved
        if unsupported or body.get("mimeType", found.mime_type) != found.mime_type:
            self._problem(
                f"files.update: changing {unsupported or ['mimeType']} is not implemented by the fake"
            )
            raise _drive_error(400, "The loopback fake does not implement this change.", reason="badRequest")
        if media is not None:
            text = self._converted(found.mime_type, media)
            if text is not None:
                found.text = text
            elif found.mime_type.startswith(_GOOGLE_APPS):
                self._problem(f"files.update: new content for {found.mime_type} is not implemented")
                raise _drive_error(400, "The loopback fake does not implement this upload.")
            else:
                found.content = media.data
        if "name" in body:
            found.name = str(body["name"])
            spreadsheet = self._spreadsheets.get(found.file_id)
            if spreadsheet is not None:
                spreadsheet.properties["title"] = found.name
        if "trashed" in body:
            self._set_trashed(found, bool(body["trashed"]))
        self._set_app_properties(found, body.get("appProperties"))
        found.modified = _later_rfc3339(found.modified)
        return self._drive_respond(request, self._file_resource(found), "File", _FILE_DEFAULT_FIELDS)

    def _set_app_properties(self, drive_file: _File, given: object) -> None:
        """Merge ``given`` into the app's own properties of ``drive_file`` (a ``None`` value removes one)."""
        if not isinstance(given, Mapping):
            return
        mine = drive_file.app_properties.setdefault(self._app, {})
        for key, value in given.items():
            if value is None:
                mine.pop(str(key), None)
            else:
                mine[str(key)] = str(value)

    def _set_trashed(self, drive_file: _File, trashed: bool) -> None:
        drive_file.trashed = trashed
        for child in self._files.values():
            if drive_file.file_id in child.parents:
                self._set_trashed(child, trashed)

    # -- Sheets internals --------------------------------------------------------------

    def _get(self, spreadsheet_id: str) -> _Spreadsheet:
        spreadsheet = self._spreadsheets.get(spreadsheet_id)
        if spreadsheet is None:
            raise KeyError(f"no spreadsheet {spreadsheet_id!r} in the fake")
        return spreadsheet

    def _tab(self, spreadsheet_id: str, title: str) -> tuple[_Spreadsheet, _Sheet]:
        spreadsheet = self._get(spreadsheet_id)
        sheet = spreadsheet.by_title(title)
        if sheet is None:
            titles = ", ".join(repr(s.title) for s in spreadsheet.sheets)
            raise KeyError(f"no tab {title!r} in spreadsheet {spreadsheet_id!r}; tabs: {titles}")
        return spreadsheet, sheet

    @staticmethod
    def _cell_ref(a1: str) -> tuple[int, int]:
        area = parse_cells(a1)
        if area is None or not area.single:
            raise ValueError(f"not a single cell: {a1!r}")
        return area.row, area.column

    def _spreadsheet_for(self, request: Request) -> _Spreadsheet:
        spreadsheet = self._spreadsheets.get(request.path_params["spreadsheetId"])
        if spreadsheet is None:
            raise _sheets_error(404, _status_message(404))
        drive_file = self._files.get(spreadsheet.spreadsheet_id)
        if drive_file is not None and not self._may_use(drive_file, writing=request.method != "GET"):
            raise _sheets_error(403, _status_message(403))  # Google's answer for a sheet not shared
        return spreadsheet

    def _may_use(self, drive_file: _File, *, writing: bool) -> bool:
        """Whether the signed-in account may read (or write) ``drive_file``: its owner, someone it is
        shared with (as an editor, to write), or a member of the shared drive that holds it."""
        if drive_file.open_to_all or drive_file.owner == self._principal:
            return True
        roles = {
            str(p.get("role"))
            for p in self._effective_permissions(drive_file)
            if str(p.get("emailAddress", "")).casefold() == self._principal.casefold()
            or p["type"] == "anyone"
        }
        return bool(roles & {"owner", "organizer", "fileOrganizer", "writer"} or (roles and not writing))

    def _ancestors(self, drive_file: _File) -> list[_File]:
        """The folders ``drive_file`` is in, nearest first, up to My Drive or a shared drive."""
        found: list[_File] = []
        current = drive_file
        while current.parents:
            parent = self._files.get(current.parents[0])
            if parent is None or parent in found or parent is drive_file:
                break
            found.append(parent)
            current = parent
        return found

    def _shared_drive_of(self, drive_file: _File) -> _File | None:
        """The shared drive that holds ``drive_file`` (itself when it is one), or ``None``."""
        return next((f for f in [drive_file, *self._ancestors(drive_file)] if f.shared_drive), None)

    def _reachable(self, drive_file: _File) -> bool:
        """Whether this request's app may reach ``drive_file``: with ``drive.file``, only what it made."""
        return (
            bool(self._scopes & _WHOLE_DRIVE_SCOPES) or drive_file.open_to_all or drive_file.app == self._app
        )

    def _effective_permissions(self, drive_file: _File) -> list[JsonObject]:
        """The permissions on ``drive_file``: its own and those inherited from the folders and shared
        drive above (a folder's owner excepted), one per account with every source in
        ``permissionDetails``, and the strongest role."""
        in_shared_drive = self._shared_drive_of(drive_file) is not None
        merged: dict[str, JsonObject] = {}
        for source in [drive_file, *self._ancestors(drive_file)]:
            inherited = source is not drive_file
            for permission in source.permissions:
                if inherited and permission["role"] == "owner":
                    continue
                detail: JsonObject = {
                    "permissionType": "member" if source.shared_drive else "file",
                    "role": permission["role"],
                    "inherited": inherited,
                }
                if inherited and in_shared_drive:
                    detail["inheritedFrom"] = source.file_id
                entry = merged.get(permission["id"])
                if entry is None:
                    entry = merged[permission["id"]] = copy.deepcopy(permission)
                    entry["permissionDetails"] = []
                elif _PERMISSION_ROLES.index(permission["role"]) < _PERMISSION_ROLES.index(entry["role"]):
                    entry["role"] = permission["role"]
                entry["permissionDetails"].append(detail)
        return list(merged.values())

    def _build_spreadsheet(self, properties: Mapping[str, Any], sheets: Sequence[JsonObject]) -> _Spreadsheet:
        merged: JsonObject = {
            "title": "Untitled spreadsheet",
            "locale": "en_US",
            "autoRecalc": "ON_CHANGE",
            "timeZone": "Etc/GMT",
            "defaultFormat": copy.deepcopy(_DEFAULT_FORMAT),
        }
        merged.update(copy.deepcopy(dict(properties)))
        merged["title"] = merged.get("title") or "Untitled spreadsheet"
        spreadsheet = _Spreadsheet(self._new_spreadsheet_id(), merged)
        for given in sheets or [{}]:
            self._add_sheet(spreadsheet, {"properties": given})
        return spreadsheet

    def _create_sheet_contents(
        self, spreadsheet: _Spreadsheet, sheet: _Sheet, body: Mapping[str, Any]
    ) -> None:
        supported = ("properties", "data", "merges", "conditionalFormats", "protectedRanges", "basicFilter")
        for key in body:
            if key not in supported:
                self._problem(f"spreadsheets.create: sheets[].{key} is not implemented by the fake")
                raise _Invalid(f"the loopback fake does not implement sheets[].{key}.")
        for grid_data in body.get("data") or []:
            top, left = int(grid_data.get("startRow", 0)), int(grid_data.get("startColumn", 0))
            rows: list[JsonObject] = grid_data.get("rowData") or []
            width = max((len(r.get("values") or []) for r in rows), default=0)
            self._grow(spreadsheet, sheet, top + len(rows), left + width)
            for i, row in enumerate(rows):
                for j, source in enumerate(row.get("values") or []):
                    tree: MaskTree = {key: None for key in source if key in _WRITABLE_CELL_FIELDS}
                    self._apply_cell(sheet, top + i, left + j, source, tree)
        for merge in body.get("merges") or []:
            self._merge_cells(spreadsheet, {"range": {"sheetId": sheet.sheet_id, **merge}})
        for rule in body.get("conditionalFormats") or []:
            self._add_conditional_format_rule(
                spreadsheet, {"rule": rule, "index": len(sheet.conditional_formats)}
            )
        for protected in body.get("protectedRanges") or []:
            self._add_protected_range(spreadsheet, {"protectedRange": protected})
        if body.get("basicFilter"):
            self._set_basic_filter(spreadsheet, {"filter": body["basicFilter"]})

    def _register(
        self, spreadsheet: _Spreadsheet, owner: str, parents: Sequence[str], app: str = ""
    ) -> _File:
        """Keep a spreadsheet as ``owner``'s Drive file, made by ``app`` ("": by hand, in Google Sheets)."""
        self._spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet
        now = _now_rfc3339()
        title = str(spreadsheet.properties["title"])
        created = _File(
            spreadsheet.spreadsheet_id, title, SPREADSHEET_MIME_TYPE, owner, now, now, list(parents)
        )
        created.app = app
        if owner:
            created.permissions.append(self._owner_permission(owner))
        self._files[created.file_id] = created
        return created

    def _commit(self, spreadsheet: _Spreadsheet) -> None:
        self._spreadsheets[spreadsheet.spreadsheet_id] = spreadsheet
        drive_file = self._files.get(spreadsheet.spreadsheet_id)
        if drive_file is not None:
            drive_file.name = str(spreadsheet.properties["title"])
            drive_file.modified = _now_rfc3339()

    def _sheets_body(self, request: Request, schema: str) -> JsonObject:
        raw = request.json()
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise _sheets_error(
                400, f"Invalid JSON payload received. Expected an object, got {json.dumps(raw)}."
            )
        try:
            checked: JsonObject = validate_body(discovery("sheets.v4"), schema, raw, "google.apps.sheets.v4")
        except _Invalid as error:
            raise _sheets_error(400, str(error)) from None
        return checked

    def _respond(self, request: Request, payload: JsonObject, schema: str) -> Response:
        fields = request.param("fields")
        if fields:
            payload = apply_field_mask(payload, self._response_mask(fields, schema, "sheets"))
        return Response.json(payload)

    def _response_mask(self, fields: str, schema: str, family: str) -> MaskTree:
        document = discovery("drive.v3" if family == "drive" else "sheets.v4")
        try:
            tree = parse_field_mask(fields)
            check_field_mask(document, schema, tree)
        except ValueError as error:
            if family == "drive":
                raise _drive_error(400, str(error), reason="invalidParameter", location="fields") from None
            raise _sheets_error(400, str(error)) from None
        return tree

    def _read_options(self, request: Request) -> tuple[str, str, str]:
        major = _enum_param(
            request, "majorDimension", ("ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED"), "Dimension"
        )
        render = _enum_param(
            request,
            "valueRenderOption",
            ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"),
            "ValueRenderOption",
        )
        date_time = _enum_param(
            request, "dateTimeRenderOption", ("SERIAL_NUMBER", "FORMATTED_STRING"), "DateTimeRenderOption"
        )
        return (
            "COLUMNS" if major == "COLUMNS" else "ROWS",
            render or "FORMATTED_VALUE",
            date_time or "SERIAL_NUMBER",
        )

    @staticmethod
    def _input_option(request: Request) -> str:
        value = request.param("valueInputOption")
        if not value:
            raise _sheets_error(400, "'valueInputOption' is required but not specified")
        if value == "INPUT_VALUE_OPTION_UNSPECIFIED":
            raise _sheets_error(400, f"Invalid valueInputOption: {value}")
        if value not in ("RAW", "USER_ENTERED"):
            raise _sheets_error(
                400,
                "Invalid value at 'value_input_option' "
                f'(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "{value}"',
            )
        return value

    def _resolve(self, spreadsheet: _Spreadsheet, text: str) -> tuple[_Sheet, Area]:
        parsed = self._parse_range(spreadsheet, text)
        if parsed is None:
            raise _sheets_error(400, f"Unable to parse range: {text}")
        return parsed

    def _parse_range(self, spreadsheet: _Spreadsheet, text: str) -> tuple[_Sheet, Area] | None:
        text = text.strip()
        cells: str | None
        if text.startswith("'"):
            position, title_chars = 1, []
            while position < len(text):
                if text[position] == "'":
                    if text[position + 1 : position + 2] == "'":
                        title_chars.append("'")
                        position += 2
                        continue
                    break
                title_chars.append(text[position])
                position += 1
            else:
                return None
            title, rest = "".join(title_chars), text[position + 1 :]
            if rest and not rest.startswith("!"):
                return None
            cells = rest[1:] if rest else None
        elif "!" in text:
            title, cells = text.split("!", 1)
            if not _PLAIN_TITLE.fullmatch(title):
                return None  # titles with spaces or punctuation must be quoted
        else:
            area = parse_cells(text)
            if area is not None:
                visible = [s for s in spreadsheet.sheets if not s.properties.get("hidden")]
                return (visible or spreadsheet.sheets)[0], area
            sheet = spreadsheet.by_title(text)
            if sheet is not None:
                return sheet, Area(0, None, 0, None)
            named = next(
                (n for n in spreadsheet.named_ranges if str(n["name"]).casefold() == text.casefold()), None
            )
            if named is None:
                return None
            grid_range = named.get("range") or {}
            found = spreadsheet.by_id(grid_range.get("sheetId", 0))
            if found is None:
                return None
            return found, Area(
                int(grid_range.get("startRowIndex", 0)),
                grid_range.get("endRowIndex"),
                int(grid_range.get("startColumnIndex", 0)),
                grid_range.get("endColumnIndex"),
            )
        sheet = spreadsheet.by_title(title)
        if sheet is None:
            return None
        if cells is None:
            return sheet, Area(0, None, 0, None)
        parsed = parse_cells(cells)
        return (sheet, parsed) if parsed is not None else None

    @staticmethod
    def _read_area(sheet: _Sheet, area: Area) -> tuple[int, int, int, int]:
        end_row = area.end_row if area.end_row is not None else sheet.rows
        end_column = area.end_column if area.end_column is not None else sheet.columns
        if (
            area.row >= sheet.rows
            or area.column >= sheet.columns
            or end_row > sheet.rows
            or end_column > sheet.columns
        ):
            raise _sheets_error(
                400,
                f"Range ({a1_area(sheet.title, area)}) exceeds grid limits. "
                f"Max rows: {sheet.rows}, max columns: {sheet.columns}",
            )
        return area.row, end_row, area.column, end_column

    def _value_range(
        self, spreadsheet: _Spreadsheet, text: str, major: str, render: str, date_time: str
    ) -> JsonObject:
        sheet, area = self._resolve(spreadsheet, text)
        r0, r1, c0, c1 = self._read_area(sheet, area)
        grid: dict[int, dict[int, object]] = {}
        for (row, column), cell in sheet.cells.items():
            if r0 <= row < r1 and c0 <= column < c1:
                value = render_cell(cell, render, date_time, self._problem)
                if value is None:
                    continue
                if major == "COLUMNS":
                    grid.setdefault(column - c0, {})[row - r0] = value
                else:
                    grid.setdefault(row - r0, {})[column - c0] = value
        result: JsonObject = {"range": a1_range(sheet.title, r0, r1, c0, c1), "majorDimension": major}
        values = _trim(grid)
        if values:
            result["values"] = values
        return result

    def _response_values(
        self, spreadsheet: _Spreadsheet, text: str, options: Mapping[str, Any]
    ) -> JsonObject:
        def pick(name: str, default: str) -> str:
            value = options.get(name)
            if isinstance(value, list):
                value = value[0] if value else None
            return str(value) if value else default

        render = pick("responseValueRenderOption", "FORMATTED_VALUE")
        date_time = pick("responseDateTimeRenderOption", "SERIAL_NUMBER")
        return self._value_range(spreadsheet, text, "ROWS", render, date_time)

    @staticmethod
    def _rows_of(values: Sequence[Any], major: str) -> list[list[object]]:
        rows = [list(row) for row in values]
        if major != "COLUMNS":
            return rows
        height = max((len(column) for column in rows), default=0)
        return [[column[i] if i < len(column) else None for column in rows] for i in range(height)]

    def _check_body_range(
        self, spreadsheet: _Spreadsheet, text: str, sheet: _Sheet, area: Area, body: Mapping[str, Any]
    ) -> None:
        given = body.get("range")
        if given and self._parse_range(spreadsheet, str(given)) != (sheet, area):
            raise _sheets_error(
                400, f"Requested range [{text}] does not match the range in the request body [{given}]."
            )

    def _write(
        self,
        spreadsheet: _Spreadsheet,
        sheet: _Sheet,
        area: Area,
        rows: Sequence[Sequence[object]],
        input_option: str,
        where: str,
    ) -> JsonObject:
        height = len(rows)
        width = max((len(row) for row in rows), default=0)
        if not area.single:
            written = f"Requested writing within range [{a1_area(sheet.title, area)}], but tried writing to"
            if area.end_row is not None and area.row + height > area.end_row:
                raise _sheets_error(400, f"{written} row [{area.row + height}]")
            if area.end_column is not None and area.column + width > area.end_column:
                raise _sheets_error(400, f"{written} column [{column_letters(area.column + width - 1)}]")
        try:
            self._grow(spreadsheet, sheet, area.row + height, area.column + width)
        except _Invalid as error:
            raise _sheets_error(400, str(error)) from None
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is None:
                    continue  # null leaves the cell as it is
                entered, number_format = _entered(value, input_option, f"{where}values[{i}][{j}]")
                cell = sheet.cells.get((area.row + i, area.column + j)) or {}
                cell.pop("effectiveValue", None)
                if entered is None:
                    cell.pop("userEnteredValue", None)
                else:
                    cell["userEnteredValue"] = entered
                if number_format:
                    cell.setdefault("userEnteredFormat", {})["numberFormat"] = number_format
                sheet.put(area.row + i, area.column + j, cell)
        end_row, end_column = area.row + max(height, 1), area.column + max(width, 1)
        return {
            "spreadsheetId": spreadsheet.spreadsheet_id,
            "updatedRange": a1_range(sheet.title, area.row, end_row, area.column, end_column),
            "updatedRows": height,
            "updatedColumns": width,
            "updatedCells": sum(len(row) for row in rows),
        }

    def _clear(self, spreadsheet: _Spreadsheet, text: str) -> str:
        sheet, area = self._resolve(spreadsheet, text)
        r0, r1, c0, c1 = self._read_area(sheet, area)
        for key in [k for k in sheet.cells if r0 <= k[0] < r1 and c0 <= k[1] < c1]:
            cell = sheet.cells[key]
            cell.pop("userEnteredValue", None)
            cell.pop("effectiveValue", None)
            sheet.put(*key, cell)
        return a1_range(sheet.title, r0, r1, c0, c1)

    def _grow(self, spreadsheet: _Spreadsheet, sheet: _Sheet, rows: int, columns: int) -> None:
        new_rows, new_columns = max(sheet.rows, rows), max(sheet.columns, columns)
        if (new_rows, new_columns) == (sheet.rows, sheet.columns):
            return
        if new_columns > MAX_COLUMNS:
            raise _Invalid(f"The sheet would have more than the maximum of {MAX_COLUMNS} columns.")
        total = spreadsheet.total_cells() - sheet.rows * sheet.columns + new_rows * new_columns
        if total > CELL_LIMIT:
            raise _Invalid(_cell_limit_message())
        sheet.grid["rowCount"], sheet.grid["columnCount"] = new_rows, new_columns

    def _check_grid(self, spreadsheet: _Spreadsheet, sheet: _Sheet, *, added: bool = False) -> None:
        if sheet.rows < 1 or sheet.columns < 1:
            raise _Invalid("A sheet must have at least one row and one column.")
        if sheet.columns > MAX_COLUMNS:
            raise _Invalid(f"The sheet would have more than the maximum of {MAX_COLUMNS} columns.")
        frozen_rows = int(sheet.grid.get("frozenRowCount", 0))
        frozen_columns = int(sheet.grid.get("frozenColumnCount", 0))
        if frozen_rows < 0 or frozen_columns < 0:
            raise _Invalid("Frozen row and column counts must not be negative.")
        if frozen_rows >= sheet.rows:
            raise _Invalid("You can't freeze all visible rows on the sheet.")
        if frozen_columns >= sheet.columns:
            raise _Invalid("You can't freeze all visible columns on the sheet.")
        for merge in sheet.merges:
            if merge["startRowIndex"] < frozen_rows < merge["endRowIndex"]:
                raise _Invalid("You can't freeze rows which contain only part of a merged cell.")
            if merge["startColumnIndex"] < frozen_columns < merge["endColumnIndex"]:
                raise _Invalid("You can't freeze columns which contain only part of a merged cell.")
        if spreadsheet.total_cells() + (sheet.rows * sheet.columns if added else 0) > CELL_LIMIT:
            raise _Invalid(_cell_limit_message())

    def _grid(
        self, spreadsheet: _Spreadsheet, grid_range: Mapping[str, Any] | None
    ) -> tuple[_Sheet, int, int, int, int]:
        """A GridRange as (sheet, first row, end row, first column, end column), open ends closed."""
        grid_range = grid_range or {}
        sheet = self._sheet_by_id(spreadsheet, grid_range.get("sheetId", 0))
        r0, c0 = int(grid_range.get("startRowIndex", 0)), int(grid_range.get("startColumnIndex", 0))
        r1 = int(grid_range.get("endRowIndex", sheet.rows))
        c1 = int(grid_range.get("endColumnIndex", sheet.columns))
        if min(r0, r1, c0, c1) < 0:
            raise _Invalid("GridRange indexes must not be negative.")
        if r0 > r1 or c0 > c1:
            raise _Invalid("A GridRange's start index must be less than or equal to its end index.")
        if r1 > sheet.rows or c1 > sheet.columns:
            raise _Invalid(self._beyond_grid(sheet, r0, max(r1, r0 + 1), c0, max(c1, c0 + 1)))
        return sheet, r0, r1, c0, c1

    @staticmethod
    def _beyond_grid(sheet: _Sheet, r0: int, r1: int, c0: int, c1: int) -> str:
        return (
            f"Range ({a1_range(sheet.title, r0, r1, c0, c1)}) exceeds grid limits. "
            f"Max rows: {sheet.rows}, max columns: {sheet.columns}"
        )

    @staticmethod
    def _beyond_dimension(sheet: _Sheet, dimension: str, start: int, end: int) -> str:
        if dimension == "ROWS":
            cells = f"{start + 1}:{end}"
        else:
            cells = f"{column_letters(start)}:{column_letters(end - 1)}"
        return (
            f"Range ({quote_title(sheet.title)}!{cells}) exceeds grid limits. "
            f"Max rows: {sheet.rows}, max columns: {sheet.columns}"
        )

    @staticmethod
    def _sheet_by_id(spreadsheet: _Spreadsheet, sheet_id: object) -> _Sheet:
        sheet = spreadsheet.by_id(sheet_id)
        if sheet is None:
            raise _Invalid(f"No grid with id: {sheet_id}")
        return sheet

    @staticmethod
    def _named_range(spreadsheet: _Spreadsheet, named_range_id: object) -> JsonObject:
        for named in spreadsheet.named_ranges:
            if str(named["namedRangeId"]) == str(named_range_id):
                return named
        raise _Invalid(f"No named range with id: {named_range_id}")

    def _dimension_range(
        self, spreadsheet: _Spreadsheet, dimension_range: Mapping[str, Any] | None
    ) -> tuple[_Sheet, str, int, int]:
        dimension_range = dimension_range or {}
        sheet = self._sheet_by_id(spreadsheet, dimension_range.get("sheetId", 0))
        dimension = _dimension(dimension_range.get("dimension"))
        start = int(dimension_range.get("startIndex", 0))
        end = int(dimension_range.get("endIndex", sheet.count(dimension)))
        if start < 0 or end <= start:
            raise _Invalid(f"The start index ({start}) must be less than the end index ({end}).")
        return sheet, dimension, start, end

    def _update_mask(self, fields: object, schema: str) -> MaskTree:
        if not fields:
            raise _Invalid("At least one field must be named in 'fields'.")
        try:
            tree = parse_field_mask(str(fields))
            check_field_mask(discovery("sheets.v4"), schema, tree)
        except ValueError as error:
            raise _Invalid(str(error)) from None
        return tree

    def _cell_mask(self, fields: object) -> MaskTree:
        tree = self._update_mask(fields, "CellData")
        ignored = ("effectiveValue", "formattedValue", "effectiveFormat", "hyperlink", "*")
        for key in tree:
            if key not in _WRITABLE_CELL_FIELDS and key not in ignored:
                self._problem(f"CellData.{key} is not implemented by the fake")
                raise _Invalid(f"the loopback fake does not implement CellData.{key}.")
        return tree

    @staticmethod
    def _apply_cell(sheet: _Sheet, row: int, column: int, source: Mapping[str, Any], tree: MaskTree) -> None:
        cell = sheet.cells.get((row, column)) or {}
        if "*" in tree:
            kept = {k: v for k, v in cell.items() if k not in _WRITABLE_CELL_FIELDS and k != "effectiveValue"}
            cell = {**kept, **{k: copy.deepcopy(v) for k, v in source.items() if k in _WRITABLE_CELL_FIELDS}}
        else:
            update_by_mask(cell, source, {k: v for k, v in tree.items() if k in _WRITABLE_CELL_FIELDS})
        if "*" in tree or "userEnteredValue" in tree:
            cell.pop("effectiveValue", None)
            entered = cell.get("userEnteredValue")
            if isinstance(entered, dict) and isinstance(entered.get("formulaValue"), str):
                entered["formulaValue"] = normalize_formula(entered["formulaValue"])
        sheet.put(row, column, cell)

    def _insert_span(
        self, spreadsheet: _Spreadsheet, sheet: _Sheet, dimension: str, at: int, count: int
    ) -> None:
        axis = 0 if dimension == "ROWS" else 1

        def moved(position: int) -> int:
            return position + count if position >= at else position

        sheet.cells = {_moved_key(key, axis, moved(key[axis])): cell for key, cell in sheet.cells.items()}
        _set_metadata(sheet, dimension, {moved(i): v for i, v in sheet.metadata(dimension).items()})
        self._shift_ranges(spreadsheet, sheet, dimension, insert=(at, count))
        frozen_key = "frozenRowCount" if dimension == "ROWS" else "frozenColumnCount"
        frozen = int(sheet.grid.get(frozen_key, 0))
        if at < frozen:
            sheet.grid[frozen_key] = frozen + count
        sheet.grid["rowCount" if dimension == "ROWS" else "columnCount"] = sheet.count(dimension) + count
        self._check_grid(spreadsheet, sheet)

    def _delete_span(
        self, spreadsheet: _Spreadsheet, sheet: _Sheet, dimension: str, start: int, end: int
    ) -> None:
        axis, count = (0 if dimension == "ROWS" else 1), end - start

        def moved(position: int) -> int:
            return position - count if position >= end else position

        sheet.cells = {
            _moved_key(key, axis, moved(key[axis])): cell
            for key, cell in sheet.cells.items()
            if not start <= key[axis] < end
        }
        _set_metadata(
            sheet,
            dimension,
            {moved(i): v for i, v in sheet.metadata(dimension).items() if not start <= i < end},
        )
        self._shift_ranges(spreadsheet, sheet, dimension, delete=(start, end))
        frozen_key = "frozenRowCount" if dimension == "ROWS" else "frozenColumnCount"
        frozen = int(sheet.grid.get(frozen_key, 0)) - _overlap(
            0, int(sheet.grid.get(frozen_key, 0)), start, end
        )
        if frozen:
            sheet.grid[frozen_key] = frozen
        else:
            sheet.grid.pop(frozen_key, None)
        sheet.grid["rowCount" if dimension == "ROWS" else "columnCount"] = sheet.count(dimension) - count

    @staticmethod
    def _shift_ranges(
        spreadsheet: _Spreadsheet,
        sheet: _Sheet,
        dimension: str,
        *,
        insert: tuple[int, int] | None = None,
        delete: tuple[int, int] | None = None,
    ) -> None:
        def keep(grid_range: JsonObject) -> bool:
            return shift_grid_range(grid_range, dimension, insert=insert, delete=delete)

        sheet.merges = [m for m in sheet.merges if keep(m) and _size(m) > 1]
        rules: list[JsonObject] = []
        for rule in sheet.conditional_formats:
            rule["ranges"] = [r for r in rule.get("ranges") or [] if keep(r)]
            if rule["ranges"]:
                rules.append(rule)
        sheet.conditional_formats = rules
        protected_ranges: list[JsonObject] = []
        for protected in sheet.protected_ranges:
            if "range" in protected and not keep(protected["range"]):
                continue
            if "unprotectedRanges" in protected:
                protected["unprotectedRanges"] = [r for r in protected["unprotectedRanges"] if keep(r)]
            protected_ranges.append(protected)
        sheet.protected_ranges = protected_ranges
        if sheet.basic_filter is not None and not keep(sheet.basic_filter.setdefault("range", {})):
            sheet.basic_filter = None
        sheet.filter_views = [v for v in sheet.filter_views if keep(v.setdefault("range", {}))]
        sheet.tables = [t for t in sheet.tables if keep(t.setdefault("range", {}))]
        spreadsheet.named_ranges = [
            n
            for n in spreadsheet.named_ranges
            if (n.get("range") or {}).get("sheetId", 0) != sheet.sheet_id or keep(n.setdefault("range", {}))
        ]

    @staticmethod
    def _untitled(spreadsheet: _Spreadsheet) -> str:
        number = len(spreadsheet.sheets) + 1
        while spreadsheet.by_title(f"Sheet{number}") is not None:
            number += 1
        return f"Sheet{number}"

    def _new_spreadsheet_id(self) -> str:
        while True:
            candidate = "1" + "".join(self._random.choices(_ID_ALPHABET, k=43))
            if candidate not in self._files:
                return candidate

    def _new_file_id(self) -> str:
        while True:
            candidate = "1" + "".join(self._random.choices(_ID_ALPHABET, k=32))
            if candidate not in self._files and candidate not in self._generated:
                return candidate

    def _new_sheet_id(self, spreadsheet: _Spreadsheet) -> int:
        return self._new_int_id({s.sheet_id for s in spreadsheet.sheets})

    def _new_int_id(self, existing: set[int]) -> int:
        while True:
            candidate = self._random.randint(1, 2**31 - 2)
            if candidate not in existing:
                return candidate

    def _store_rows(
        self,
        spreadsheet: _Spreadsheet,
        sheet: _Sheet,
        row: int,
        column: int,
        rows: Sequence[Sequence[object]],
    ) -> None:
        width = max((len(values) for values in rows), default=0)
        try:
            self._grow(spreadsheet, sheet, row + len(rows), column + width)
        except _Invalid as error:
            raise ValueError(str(error)) from None
        for i, values in enumerate(rows):
            for j, value in enumerate(values):
                entered, number_format = self._python_value(value)
                cell = sheet.cells.get((row + i, column + j)) or {}
                cell.pop("effectiveValue", None)
                if entered is None:
                    cell.pop("userEnteredValue", None)
                else:
                    cell["userEnteredValue"] = entered
                if number_format:
                    cell.setdefault("userEnteredFormat", {})["numberFormat"] = number_format
                sheet.put(row + i, column + j, cell)

    @staticmethod
    def _python_value(value: object) -> tuple[JsonObject | None, JsonObject | None]:
        if value is None or (isinstance(value, str) and not value):
            return None, None
        if isinstance(value, bool):
            return {"boolValue": value}, None
        if isinstance(value, int | float | decimal.Decimal):
            return {"numberValue": float(value)}, None
        if isinstance(value, dt.datetime):
            serial = _serial(value.replace(tzinfo=None))
            return {"numberValue": serial}, {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
        if isinstance(value, dt.date):
            serial = _serial(dt.datetime(value.year, value.month, value.day))
            return {"numberValue": serial}, {"type": "DATE", "pattern": "yyyy-mm-dd"}
        if isinstance(value, str):
            return {"stringValue": value}, None
        raise TypeError(f"a cell cannot hold {type(value).__name__}: {value!r}")

    def _render_spreadsheet(
        self, spreadsheet: _Spreadsheet, *, ranges: Sequence[str] = (), data: bool = False
    ) -> JsonObject:
        wanted: dict[int, list[tuple[int, int, int, int]]] = {}
        if ranges:
            for text in ranges:
                sheet, area = self._resolve(spreadsheet, text)
                wanted.setdefault(sheet.sheet_id, []).append(self._read_area(sheet, area))
        else:
            wanted = {s.sheet_id: [(0, s.rows, 0, s.columns)] for s in spreadsheet.sheets}
        rendered: list[JsonObject] = []
        for sheet in spreadsheet.sheets:
            if sheet.sheet_id not in wanted:
                continue
            areas = wanted[sheet.sheet_id]
            entry: JsonObject = {"properties": copy.deepcopy(sheet.properties)}
            if data:
                entry["data"] = [self._grid_data(sheet, *area) for area in areas]
            merges = [m for m in sheet.merges if not ranges or any(_intersects(m, *a) for a in areas)]
            if merges:
                entry["merges"] = copy.deepcopy(merges)
            if sheet.conditional_formats:
                entry["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
            if sheet.protected_ranges:
                entry["protectedRanges"] = copy.deepcopy(sheet.protected_ranges)
            if sheet.basic_filter is not None:
                entry["basicFilter"] = copy.deepcopy(sheet.basic_filter)
            if sheet.filter_views:
                entry["filterViews"] = copy.deepcopy(sheet.filter_views)
            if sheet.tables:
                entry["tables"] = copy.deepcopy(sheet.tables)
            rendered.append(entry)
        result: JsonObject = {
            "spreadsheetId": spreadsheet.spreadsheet_id,
            "properties": copy.deepcopy(spreadsheet.properties),
            "sheets": rendered,
        }
        if spreadsheet.named_ranges:
            result["namedRanges"] = copy.deepcopy(spreadsheet.named_ranges)
        if spreadsheet.developer_metadata:
            result["developerMetadata"] = copy.deepcopy(spreadsheet.developer_metadata)
        result["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{spreadsheet.spreadsheet_id}/edit"
        return result

    def _grid_data(self, sheet: _Sheet, r0: int, r1: int, c0: int, c1: int) -> JsonObject:
        grid_data: JsonObject = {}
        if r0:
            grid_data["startRow"] = r0
        if c0:
            grid_data["startColumn"] = c0
        rows: dict[int, dict[int, JsonObject]] = {}
        for (row, column), cell in sheet.cells.items():
            if r0 <= row < r1 and c0 <= column < c1:
                rendered = self._cell_data(cell)
                if rendered:
                    rows.setdefault(row - r0, {})[column - c0] = rendered
        if rows:
            grid_data["rowData"] = [
                {"values": [line.get(j, {}) for j in range(max(line) + 1)]} if (line := rows.get(i)) else {}
                for i in range(max(rows) + 1)
            ]
        grid_data["rowMetadata"] = [self._dimension_properties(sheet, "ROWS", r) for r in range(r0, r1)]
        grid_data["columnMetadata"] = [self._dimension_properties(sheet, "COLUMNS", c) for c in range(c0, c1)]
        return grid_data

    def _cell_data(self, cell: Mapping[str, Any]) -> JsonObject:
        out: JsonObject = {}
        entered = cell.get("userEnteredValue")
        if entered:
            out["userEnteredValue"] = _json_extended(entered)
        value = effective_value(cell)
        if value is not None:
            out["effectiveValue"] = _json_extended(value)
            out["formattedValue"] = render_cell(cell, "FORMATTED_VALUE", "SERIAL_NUMBER", self._problem)
        cell_format = cell.get("userEnteredFormat")
        if cell_format:
            out["userEnteredFormat"] = copy.deepcopy(cell_format)
        if value is not None or cell_format:
            out["effectiveFormat"] = _merged(_DEFAULT_FORMAT, cell_format or {})
        for key in ("note", "dataValidation", "textFormatRuns", "hyperlink"):
            if key in cell:
                out[key] = copy.deepcopy(cell[key])
        return out

    @staticmethod
    def _dimension_properties(sheet: _Sheet, dimension: str, index: int) -> JsonObject:
        entry: JsonObject = {"pixelSize": ROW_PIXELS if dimension == "ROWS" else COLUMN_PIXELS}
        entry.update(copy.deepcopy(sheet.metadata(dimension).get(index, {})))
        return entry

    # -- Drive internals ---------------------------------------------------------------

    def _file(self, file_id: str) -> _File:
        found = self._files.get(file_id)
        if found is None:
            raise KeyError(f"no Drive file {file_id!r} in the fake")
        return found

    def _drive_file(self, request: Request) -> _File:
        file_id = request.path_params["fileId"]
        found = self._files.get(file_id)
        if found is None or not self._may_use(found, writing=False):  # Drive hides what is not shared
            raise _drive_error(404, f"File not found: {file_id}.", location="fileId")
        if not self._reachable(found):
            # drive.file reaches only the files this app created (or a person opened with it)
            raise _drive_error(404, f"File not found: {file_id}.", location="fileId")
        if self._shared_drive_of(found) is not None and not request.flag("supportsAllDrives"):
            raise _drive_error(404, f"File not found: {file_id}.", location="fileId")
        return found

    def _drive_body(self, request: Request, schema: str) -> JsonObject:
        return self._checked_body(request.json(), schema)

    def _checked_body(self, raw: Any, schema: str) -> JsonObject:
        """A request body checked against Drive's discovery document: a wrong type is a 400; a field
        the document does not know is a 400 and a problem of the fake (Drive's answer is not known),
        except the v2 leftovers gspread sends (``withLink``), which Drive ignores."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise _drive_error(400, "Invalid JSON payload: expected an object.", reason="parseError")
        raw = {k: v for k, v in raw.items() if k not in _DRIVE_IGNORED_FIELDS}
        try:
            checked: JsonObject = validate_body(discovery("drive.v3"), schema, raw, "drive.v3")
        except _Invalid as error:
            if "Unknown name" in str(error):
                self._problem(f"Drive {schema} body: {error}")
            raise _drive_error(400, str(error), reason="invalid") from None
        return checked

    def _check_drive_parameters(self, request: Request, route: Route) -> None:
        """Every query parameter must be one the discovery document gives the method, or one Drive is
        known to ignore (a problem of the fake otherwise: what Drive does with it is not known here)."""
        document = discovery("drive.v3")
        _, resource, method = route.name.split(".")[:3]
        described = document["resources"][resource]["methods"][method]
        known = set(described.get("parameters", {})) | set(document["parameters"])
        for name in request.query:
            if name not in known and name not in _DRIVE_IGNORED_PARAMETERS:
                self._problem(f"{route.name}: query parameter {name!r} is not in Drive's discovery document")
                raise _drive_error(
                    400, f"Invalid parameter: {name}.", reason="invalidParameter", location=name
                )

    def _drive_respond(
        self, request: Request, payload: JsonObject, schema: str, defaults: MaskTree
    ) -> Response:
        fields = request.param("fields")
        tree = self._response_mask(fields, schema, "drive") if fields else defaults
        return Response.json(apply_field_mask(payload, tree))

    @staticmethod
    def _owner_permission(email: str) -> JsonObject:
        return {
            "kind": "drive#permission",
            "id": _permission_id(email),
            "type": "user",
            "role": "owner",
            "emailAddress": email,
            "deleted": False,
            "pendingOwner": False,
        }

    @staticmethod
    def _grant(
        drive_file: _File, kind: str, role: str, *, email: str, domain: str, body: Mapping[str, Any]
    ) -> JsonObject:
        if kind in ("user", "group"):
            permission_id = _permission_id(email)
        elif kind == "domain":
            permission_id = _permission_id(f"domain:{domain}") + "k"
        else:
            permission_id = "anyone" if body.get("allowFileDiscovery") else "anyoneWithLink"
        if role == "owner":
            for other in drive_file.permissions:
                if other["role"] == "owner":
                    other["role"] = "writer"
            drive_file.owner = email
        existing = next((p for p in drive_file.permissions if p["id"] == permission_id), None)
        if existing is not None:
            existing["role"] = role
            return existing
        permission: JsonObject = {"kind": "drive#permission", "id": permission_id, "type": kind, "role": role}
        if kind in ("user", "group"):
            permission["emailAddress"] = email
        if kind == "domain":
            permission["domain"] = domain
            permission["displayName"] = domain
        if kind in ("domain", "anyone"):
            permission["allowFileDiscovery"] = bool(body.get("allowFileDiscovery"))
        if body.get("expirationTime"):
            permission["expirationTime"] = body["expirationTime"]
        permission["deleted"] = False
        if kind == "user":
            permission["pendingOwner"] = False
        drive_file.permissions.append(permission)
        return permission

    def _file_resource(self, drive_file: _File) -> JsonObject:
        if drive_file.mime_type == SPREADSHEET_MIME_TYPE:
            link = f"https://docs.google.com/spreadsheets/d/{drive_file.file_id}/edit?usp=drivesdk"
        elif drive_file.mime_type == DOCUMENT_MIME_TYPE:
            link = f"https://docs.google.com/document/d/{drive_file.file_id}/edit?usp=drivesdk"
        elif drive_file.mime_type == FOLDER_MIME_TYPE:
            link = f"https://drive.google.com/drive/folders/{drive_file.file_id}"
        else:
            link = f"https://drive.google.com/file/d/{drive_file.file_id}/view?usp=drivesdk"
        resource: JsonObject = {
            "kind": "drive#file",
            "id": drive_file.file_id,
            "name": drive_file.name,
            "mimeType": drive_file.mime_type,
            "starred": False,
            "trashed": drive_file.trashed,
        }
        if drive_file.parents:
            resource["parents"] = list(drive_file.parents)
        if drive_file.app_properties.get(self._app):
            resource["appProperties"] = dict(drive_file.app_properties[self._app])
        drive = self._shared_drive_of(drive_file)
        if drive is not None and drive is not drive_file:
            resource["driveId"] = drive.file_id
        resource.update(
            {
                "webViewLink": link,
                "createdTime": drive_file.created,
                "modifiedTime": drive_file.modified,
                "owners": [
                    {
                        "kind": "drive#user",
                        "displayName": drive_file.owner.split("@")[0],
                        "me": drive_file.owner == self._principal,
                        "permissionId": _permission_id(drive_file.owner),
                        "emailAddress": drive_file.owner,
                    }
                ],
                "ownedByMe": drive_file.owner == self._principal,
                "shared": any(p["role"] != "owner" for p in drive_file.permissions),
                "permissions": copy.deepcopy(drive_file.permissions),
                "permissionIds": [p["id"] for p in drive_file.permissions],
            }
        )
        return resource


# --------------------------------------------------------------------------------------
# Small helpers


def _oauth_error_code(status: int) -> str:
    return {
        400: "invalid_request",
        401: "invalid_client",
        403: "access_denied",
        429: "rate_limit_exceeded",
        500: "internal_failure",
        503: "temporarily_unavailable",
    }.get(status, "server_error")


def _cell_limit_message() -> str:
    limit = f"the limit of {CELL_LIMIT} cells"
    return f"This action would increase the number of cells in the workbook above {limit}."


def _enum_param(request: Request, name: str, allowed: Sequence[str], type_name: str) -> str | None:
    value = request.param(name)
    if not value:
        return None
    if value not in allowed:
        raise _sheets_error(
            400,
            f"Invalid value at '{_snake(name)}' "
            f'(type.googleapis.com/google.apps.sheets.v4.{type_name}), "{value}"',
        )
    return value


def _entered(value: object, input_option: str, where: str) -> tuple[JsonObject | None, JsonObject | None]:
    """A value from a values request as stored, by ``valueInputOption`` (``None``: cleared)."""
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, int | float):
        return {"numberValue": float(value)}, None
    if isinstance(value, str):
        if not value:
            return None, None
        if input_option == "RAW":
            return {"stringValue": value}, None
        return typed_value(value)
    kind = "list_value" if isinstance(value, list) else "struct_value"
    raise _sheets_error(400, f"Invalid {where}: {kind}")


def _json_extended(value: Mapping[str, Any]) -> JsonObject:
    return {k: (json_number(float(v)) if k == "numberValue" else copy.deepcopy(v)) for k, v in value.items()}


def _merged(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> JsonObject:
    result: JsonObject = copy.deepcopy(dict(base))
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), dict):
            result[key] = _merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _sync_tab_color(properties: JsonObject) -> None:
    """Sheets keeps the deprecated ``tabColor`` and ``tabColorStyle`` in step."""
    style = properties.get("tabColorStyle")
    if isinstance(style, dict) and "rgbColor" in style:
        properties["tabColor"] = copy.deepcopy(style["rgbColor"])
    elif properties.get("tabColor"):
        properties["tabColorStyle"] = {"rgbColor": copy.deepcopy(properties["tabColor"])}


def _span(sheet: _Sheet, dimension: str, start: int, end: int) -> JsonObject:
    """A DimensionRange of ``sheet``, zero-based and half-open."""
    return {"sheetId": sheet.sheet_id, "dimension": dimension, "startIndex": start, "endIndex": end}


def _contained(grid_range: Mapping[str, Any], row: int, end_row: int, column: int, end_column: int) -> bool:
    return (
        row <= int(grid_range.get("startRowIndex", 0))
        and int(grid_range.get("endRowIndex", end_row)) <= end_row
        and column <= int(grid_range.get("startColumnIndex", 0))
        and int(grid_range.get("endColumnIndex", end_column)) <= end_column
    )


def _size(grid_range: Mapping[str, Any]) -> int:
    rows = int(grid_range["endRowIndex"]) - int(grid_range["startRowIndex"])
    return rows * (int(grid_range["endColumnIndex"]) - int(grid_range["startColumnIndex"]))


def _dimension(value: object) -> str:
    if value not in ("ROWS", "COLUMNS"):
        raise _Invalid(f"Invalid dimension: {value or 'DIMENSION_UNSPECIFIED'}; expected ROWS or COLUMNS.")
    return str(value)


def _moved_key(key: tuple[int, int], axis: int, position: int) -> tuple[int, int]:
    return (position, key[1]) if axis == 0 else (key[0], position)


def _set_metadata(sheet: _Sheet, dimension: str, metadata: dict[int, JsonObject]) -> None:
    if dimension == "ROWS":
        sheet.row_metadata = metadata
    else:
        sheet.column_metadata = metadata


_QUOTED = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
_QUERY_TERM = re.compile(
    rf"""\s*(?:
        (?P<field>mimeType|name)\s*(?P<op>=|!=|contains)\s*(?P<value>{_QUOTED})
      | trashed\s*=\s*(?P<trashed>true|false)
      | appProperties\s+has\s+\{{\s*key\s*=\s*(?P<key>{_QUOTED})
            \s+and\s+value\s*=\s*(?P<key_value>{_QUOTED})\s*\}}
      | (?P<parent>{_QUOTED})\s+in\s+parents
      | parents\s+in\s+(?P<parent_alt>{_QUOTED})
    )\s*""",
    re.VERBOSE,
)
_QUERY_AND = re.compile(r"and\b", re.IGNORECASE)


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _drive_query(query: str, app: str = "") -> list[Callable[[_File], bool]] | None:
    """Predicates for the Drive ``q`` terms the fake understands, joined by ``and``; ``None`` otherwise.
    ``app`` is the asking app (``appProperties`` are each app's own)."""
    predicates: list[Callable[[_File], bool]] = []
    position = 0
    while True:
        match = _QUERY_TERM.match(query, position)
        if match is None:
            return None
        if match.group("field"):
            predicates.append(
                _query_field(match.group("field"), match.group("op"), _unquote(match.group("value")))
            )
        elif match.group("trashed"):
            wanted = match.group("trashed") == "true"
            predicates.append(_trashed_is(wanted))
        elif match.group("key"):
            predicates.append(
                _app_property_is(app, _unquote(match.group("key")), _unquote(match.group("key_value")))
            )
        else:
            parent = _unquote(match.group("parent") or match.group("parent_alt"))
            predicates.append(_in_parent(parent))
        position = match.end()
        if position == len(query):
            return predicates
        joined = _QUERY_AND.match(query, position)
        if joined is None:
            return None
        position = joined.end()


def _trashed_is(wanted: bool) -> Callable[[_File], bool]:
    return lambda drive_file: drive_file.trashed == wanted


def _app_property_is(app: str, key: str, value: str) -> Callable[[_File], bool]:
    return lambda drive_file: drive_file.app_properties.get(app, {}).get(key) == value


def _in_parent(parent: str) -> Callable[[_File], bool]:
    return lambda drive_file: parent in drive_file.parents


def _query_field(name: str, operator: str, value: str) -> Callable[[_File], bool]:
    def field_value(drive_file: _File) -> str:
        return drive_file.mime_type if name == "mimeType" else drive_file.name

    if operator == "=":
        return lambda f: field_value(f) == value
    if operator == "!=":
        return lambda f: field_value(f) != value
    return lambda f: value.casefold() in field_value(f).casefold()


def _int_param(request: Request, name: str, default: int, *, low: int, high: int) -> int:
    """An integer query parameter within Drive's documented range (else Drive's 400)."""
    text = request.param(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise _drive_error(
            400,
            f"Invalid value '{text}'. Values must be within the range: [{low}, {high}]",
            reason="invalid",
            location=name,
        )
    return value


def _multipart(body: bytes, content_type: str) -> list[_Media] | None:
    """The parts of a ``multipart/related`` body, or ``None`` when it is not one."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.get_content_type() != "multipart/related":
        return None
    parts: list[_Media] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        parts.append(_Media(part.get_content_type(), payload if isinstance(payload, bytes) else b""))
    return parts


class _TextOfHtml(html.parser.HTMLParser):
    _BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "tr", "br", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "title", "script", "style"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "title", "script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._line.append(data)

    def _break(self) -> None:
        line = " ".join("".join(self._line).split())
        if line:
            self.lines.append(line)
        self._line = []


def html_text(markup: str) -> str:
    """What a Google Doc converted from ``markup`` reads: one line per paragraph, heading or list
    item, the head (title included) left out, entities decoded."""
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    parser._break()
    return "\n".join(parser.lines)


def _later_rfc3339(before: str) -> str:
    """Now, as Drive writes a time, and later than ``before`` (so that each change is seen)."""
    now = _now_rfc3339()
    if now > before:
        return now
    parsed = dt.datetime.strptime(before, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    moment = parsed + dt.timedelta(milliseconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
