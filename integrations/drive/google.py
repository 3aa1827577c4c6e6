"""The group's Drive on Google Drive: the :class:`~braingain.core.ports.Drive` port over Drive v3.

:class:`GoogleDrive` talks to Drive through google-api-python-client (``googleapiclient``, its
shipped discovery document, no discovery request) on httplib2, signed in with braingain's Google
credentials (:func:`~braingain.integrations.tracker.google_sheets.google_credentials`: the leader's
own sign-in, or a service account). Every request URL, the token endpoint's and the upload
endpoint's included, is moved by the configured ``[endpoints]`` as every other Google request is
(:func:`braingain.integrations.http.rewrite`): googleapiclient's ``api_endpoint`` option is not used,
because it moves the upload URL's host only (keeping ``https`` and dropping any path).

What it promises:

- **Least privilege**: braingain's scopes (``spreadsheets`` and ``drive.file``) and never the whole
  Drive; so braingain sees only what it made (and shared drives it was given).
- **Every file braingain makes carries** ``appProperties`` ``{"braingainGroup": <tag>,
  "braingainKey": <key>}`` and an id from :meth:`GoogleDrive.new_ids` (``files.generateIds``): a
  create whose answer was lost is sent again with the same id, and Drive's 409 ("already exists")
  is answered by reading that file (``files.get``), never by a search, which lags.
- **Shared drives**: every request says ``supportsAllDrives``; :meth:`GoogleDrive.find` searches all
  drives. A service account owns nothing outside a shared drive: that refusal names both fixes.
- **Retries**: 429, 5xx and Drive's rate limits under :class:`~braingain.integrations.retry.RetryPolicy`;
  a connection dropped or timed out is retried only for requests that may be sent twice (reads,
  updates, deletes, and creates with a fixed id). What still fails raises
  :mod:`braingain.integrations.drive.errors`; a lost answer is ``outcome_known = False``.
- **No member's email address** in a message or a log: Drive's words are redacted.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import google_auth_httplib2
import httplib2
import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account
from googleapiclient import discovery
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseUpload

from braingain.core.drive.folders import FileSpec, FolderSpec
from braingain.core.drive.minutes import MinutesDoc
from braingain.core.errors import quote
from braingain.core.ports import Permission, StoredFile
from braingain.integrations.config import Config
from braingain.integrations.drive.errors import (
    DriveAuthError,
    DriveError,
    DriveNoStorage,
    DriveNotFound,
    DriveParentNotFound,
    DriveRefused,
    DriveUnavailable,
)
from braingain.integrations.drive.render import minutes_html
from braingain.integrations.errors import PlatformError
from braingain.integrations.http import DEFAULT_TIMEOUT, rewrite
from braingain.integrations.retry import RetryPolicy, error_details, redact
from braingain.integrations.tracker.google_sheets import google_credentials

__all__ = ["DOC_MIME_TYPE", "FOLDER_MIME_TYPE", "GROUP_PROPERTY", "KEY_PROPERTY", "GoogleDrive", "drive_for"]

FOLDER_MIME_TYPE = "application/vnd.google-apps.folder"
DOC_MIME_TYPE = "application/vnd.google-apps.document"
GROUP_PROPERTY = "braingainGroup"
KEY_PROPERTY = "braingainKey"
CREATE_FIELDS = "id,name,webViewLink,modifiedTime,appProperties"
FILE_FIELDS = f"{CREATE_FIELDS},trashed"
LIST_FIELDS = f"nextPageToken,incompleteSearch,files({CREATE_FIELDS},createdTime)"
PERMISSION_FIELDS = "id,role,type,emailAddress,displayName,domain,permissionDetails"
SERVICE = "Google Drive"
PAGE_SIZE = 100

log = logging.getLogger(__name__)


class _MovedHttp:
    """An ``httplib2.Http`` whose official Google URLs go where ``[endpoints]`` says."""

    def __init__(self, endpoints: Mapping[str, str], timeout: float) -> None:
        self._http = httplib2.Http(timeout=timeout)
        self.endpoints = {k.rstrip("/"): v.rstrip("/") for k, v in endpoints.items()}

    def request(self, uri: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        return self._http.request(rewrite(uri, self.endpoints), method, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._http, name)


def _as_http_error(error: HttpError) -> requests.HTTPError:
    """googleapiclient's error as the :class:`requests.HTTPError` the retry policy reads."""
    response = requests.Response()
    response.status_code = int(error.resp.status)
    response._content = error.content if isinstance(error.content, bytes) else b""
    response.headers.update({str(k): str(v) for k, v in dict(error.resp).items()})
    return requests.HTTPError(response=response)


def _stored(resource: Mapping[str, Any]) -> StoredFile:
    properties = resource.get("appProperties") or {}
    return StoredFile(
        id=str(resource["id"]),
        url=str(resource.get("webViewLink") or ""),
        name=str(resource.get("name") or ""),
        modified=str(resource.get("modifiedTime") or ""),
        key=str(properties.get(KEY_PROPERTY) or ""),
    )


def _shown_name(resource: Mapping[str, Any]) -> str:
    """A name to show for a permission: a display name or a domain, never an email address."""
    if resource.get("type") == "anyone":
        return "anyone with the link"
    name = str(resource.get("displayName") or resource.get("domain") or "")
    return "" if "@" in name else name


def _permission(resource: Mapping[str, Any], name: str | None = None) -> Permission:
    details = resource.get("permissionDetails") or []
    inherited = bool(details) and all(bool(d.get("inherited")) for d in details)
    return Permission(
        id=str(resource["id"]),
        role=str(resource.get("role") or ""),
        kind=str(resource.get("type") or ""),
        email=str(resource.get("emailAddress") or ""),
        name=_shown_name(resource) if name is None else name,
        inherited=inherited,
    )


class GoogleDrive:
    """The :class:`~braingain.core.ports.Drive` port on Google Drive v3.

    ``credentials``: Google credentials with the ``drive.file`` scope; ``parent``: the Drive id of
    the folder or shared drive the group's folder goes in (``[drive] parent``; ``None``: My Drive);
    ``endpoints``: official base URL to the one to use (``[endpoints]``); ``timeout``: seconds per
    request; ``page_size``: files or permissions per listed page.
    """

    def __init__(
        self,
        credentials: Credentials,
        *,
        parent: str | None = None,
        endpoints: Mapping[str, str] | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.parent = parent
        self.retry = retry or RetryPolicy()
        self.page_size = page_size
        self.service_account = isinstance(credentials, service_account.Credentials) and not getattr(
            credentials, "_subject", None
        )
        self._http = google_auth_httplib2.AuthorizedHttp(
            credentials, http=_MovedHttp(endpoints or {}, timeout)
        )
        self._service: Any = discovery.build(
            "drive", "v3", http=self._http, static_discovery=True, cache_discovery=False
        )

    def close(self) -> None:
        """Close the connections (the object may not be used afterwards)."""
        self._service.close()

    # -- the port ------------------------------------------------------------------------------

    def new_ids(self, count: int) -> tuple[str, ...]:
        """``count`` ids from ``files.generateIds`` (at most 1000 a request)."""
        ids: list[str] = []
        while len(ids) < count:
            wanted = min(1000, count - len(ids))
            answer = self._call(
                functools.partial(
                    self._service.files().generateIds, count=wanted, space="drive", type="files"
                ),
                what="ask Google Drive for new file ids",
                idempotent=True,
            )
            ids.extend(str(i) for i in answer.get("ids", ()))
        return tuple(ids[:count])

    def find(self, tag: str) -> Mapping[str, StoredFile]:
        """Every file tagged ``tag`` not in the bin, by its key (one search, every page; the oldest
        when two carry one key). Raises :class:`DriveUnavailable` when Drive says its search was
        incomplete (a folder missed could be made twice)."""
        quoted = tag.replace("\\", "\\\\").replace("'", "\\'")
        query = f"appProperties has {{ key='{GROUP_PROPERTY}' and value='{quoted}' }} and trashed = false"
        found: dict[str, tuple[str, StoredFile]] = {}
        token: str | None = None
        while True:
            page = self._call(
                functools.partial(
                    self._service.files().list,
                    q=query,
                    corpora="allDrives",
                    includeItemsFromAllDrives=True,
                    supportsAllDrives=True,
                    pageSize=self.page_size,
                    pageToken=token,
                    fields=LIST_FIELDS,
                ),
                what="look for the group's folders on Google Drive",
                idempotent=True,
            )
            if page.get("incompleteSearch"):
                raise DriveUnavailable(
                    "Google Drive's search for the group's folders was incomplete",
                    hint="run the sync again in a few minutes; nothing was made meanwhile",
                )
            for resource in page.get("files", ()):
                stored = _stored(resource)
                created = str(resource.get("createdTime") or "")
                if stored.key and (stored.key not in found or created < found[stored.key][0]):
                    found[stored.key] = (created, stored)
            token = page.get("nextPageToken")
            if not token:
                return {key: stored for key, (_, stored) in found.items()}

    def look(self, file_id: str) -> StoredFile | None:
        resource = self._get(file_id)
        if resource is None or resource.get("trashed"):
            return None
        return _stored(resource)

    def make_folder(self, folder: FolderSpec, *, parent: str | None, file_id: str, tag: str) -> StoredFile:
        body: dict[str, Any] = {
            "id": file_id,
            "name": folder.name,
            "mimeType": FOLDER_MIME_TYPE,
            "appProperties": {GROUP_PROPERTY: tag, KEY_PROPERTY: folder.key},
        }
        return self._create(body, parent, None, what=f"make the folder {quote(folder.key)} on Google Drive")

    def rename(self, file_id: str, name: str) -> StoredFile | None:
        try:
            resource = self._call(
                lambda: self._service.files().update(
                    fileId=file_id, body={"name": name}, supportsAllDrives=True, fields=FILE_FIELDS
                ),
                what="rename a folder on Google Drive",
                idempotent=True,
            )
        except DriveNotFound:
            return None
        return _stored(resource)

    def shares(self, file_id: str) -> Sequence[Permission]:
        found: list[Permission] = []
        token: str | None = None
        while True:
            page = self._call(
                functools.partial(
                    self._service.permissions().list,
                    fileId=file_id,
                    supportsAllDrives=True,
                    pageSize=min(self.page_size, 100),
                    pageToken=token,
                    fields=f"nextPageToken,permissions({PERMISSION_FIELDS})",
                ),
                what="read who may open a folder on Google Drive",
                idempotent=True,
            )
            found.extend(_permission(p) for p in page.get("permissions", ()))
            token = page.get("nextPageToken")
            if not token:
                return found

    def share(self, file_id: str, email: str, role: str, *, notify: bool, name: str) -> Permission:
        body = {"type": "user", "role": role, "emailAddress": email}
        try:
            resource = self._call(
                lambda: self._service.permissions().create(
                    fileId=file_id,
                    body=body,
                    sendNotificationEmail=notify,
                    supportsAllDrives=True,
                    fields=PERMISSION_FIELDS,
                ),
                what=f"share a folder on Google Drive with {name or 'a member'}",
                idempotent=False,
            )
        except DriveRefused as error:
            if "invalidSharingRequest" in error.reasons and not notify:
                error.also(
                    "Drive shares without an email only with a Google account: set notify = true under "
                    "[drive] in braingain.toml so that Drive invites them, or write their Google account's "
                    "address in the tracker"
                )
            raise
        return _permission(resource, name=name)

    def unshare(self, file_id: str, permission_id: str) -> None:
        try:
            self._call(
                lambda: self._service.permissions().delete(
                    fileId=file_id, permissionId=permission_id, supportsAllDrives=True
                ),
                what="take a member's access to a folder on Google Drive away",
                idempotent=True,
            )
        except DriveNotFound:
            return  # already gone

    def save_doc(self, doc: MinutesDoc, *, parent: str, file_id: str, tag: str) -> StoredFile:
        body: dict[str, Any] = {
            "id": file_id,
            "name": doc.title,
            "mimeType": DOC_MIME_TYPE,
            "appProperties": {GROUP_PROPERTY: tag, KEY_PROPERTY: f"minutes:{doc.meeting_id}"},
        }
        return self._create(
            body, parent, self._media(doc), what=f"save the minutes of {doc.meeting_id} on Google Drive"
        )

    def save_file(self, file: FileSpec, data: bytes, *, parent: str, file_id: str, tag: str) -> StoredFile:
        """``files.create`` with the bytes as they are (a multipart upload, never converted)."""
        body: dict[str, Any] = {
            "id": file_id,
            "name": file.name,
            "mimeType": file.mime,
            "appProperties": {GROUP_PROPERTY: tag, KEY_PROPERTY: file.key},
        }
        media = _bytes(data, file.mime)
        return self._create(body, parent, media, what=f"save {file.what} on Google Drive")

    def replace_file(self, file_id: str, file: FileSpec, data: bytes) -> StoredFile | None:
        """``files.update`` of the content (a new version of the same file: its id and link stay)."""
        try:
            resource = self._call(
                lambda: self._service.files().update(
                    fileId=file_id,
                    body={"name": file.name},
                    media_body=_bytes(data, file.mime),
                    supportsAllDrives=True,
                    fields=FILE_FIELDS,
                ),
                what=f"save the new version of {file.what} on Google Drive",
                idempotent=True,
            )
        except DriveNotFound:
            return None
        if resource.get("trashed"):
            return None
        return _stored(resource)

    def replace_doc(self, file_id: str, doc: MinutesDoc) -> StoredFile | None:
        try:
            resource = self._call(
                lambda: self._service.files().update(
                    fileId=file_id,
                    body={"name": doc.title},
                    media_body=self._media(doc),
                    supportsAllDrives=True,
                    fields=FILE_FIELDS,
                ),
                what=f"save the corrected minutes of {doc.meeting_id} on Google Drive",
                idempotent=True,
            )
        except DriveNotFound:
            return None
        return _stored(resource)

    # -- requests ------------------------------------------------------------------------------

    @staticmethod
    def _media(doc: MinutesDoc) -> MediaIoBaseUpload:
        """The minutes as HTML, uploaded in one request (Drive converts it to a Doc)."""
        return MediaIoBaseUpload(
            io.BytesIO(minutes_html(doc).encode("utf-8")), mimetype="text/html", resumable=False
        )

    def _get(self, file_id: str) -> dict[str, Any] | None:
        try:
            resource: dict[str, Any] = self._call(
                lambda: self._service.files().get(fileId=file_id, supportsAllDrives=True, fields=FILE_FIELDS),
                what="look at a file on Google Drive",
                idempotent=True,
            )
        except DriveNotFound:
            return None
        return resource

    def _create(
        self, body: dict[str, Any], parent: str | None, media: MediaIoBaseUpload | None, *, what: str
    ) -> StoredFile:
        """files.create with the body's own id; one already there (an earlier try) is read instead."""
        where = parent or self.parent
        if where:
            body["parents"] = [where]
        try:
            resource = self._call(
                lambda: self._service.files().create(
                    body=body,
                    media_body=media,
                    supportsAllDrives=True,
                    fields=CREATE_FIELDS,
                ),
                what=what,
                idempotent=True,  # the id is fixed: a second create is refused (409), never a copy
            )
        except DriveRefused as error:
            if error.status == 409 and "duplicate" in error.reasons:
                existing = self._get(str(body["id"]))
                if existing is not None:
                    return _stored(existing)
            if error.status == 404:
                raise self._parent_not_found(where, configured=parent is None) from None
            raise
        return _stored(resource)

    def _parent_not_found(self, where: str | None, *, configured: bool) -> DriveParentNotFound:
        if configured:
            return DriveParentNotFound(
                f"Google Drive has no folder {where} that braingain may use (parent under [drive])",
                hint="with the drive.file permission braingain may use only folders it made itself: leave "
                "parent under [drive] out of braingain.toml (the group's folder then goes in My Drive), or "
                "give a shared drive's id; and check the id (the last part of the folder's URL)",
                configured=True,
            )
        return DriveParentNotFound(
            f"the folder {where} braingain made on Google Drive is gone or out of reach",
            hint="if it was deleted or moved to the bin, restore it from Drive's bin, or remove its row "
            "from braingain's memory so that the sync makes it again",
            configured=False,
        )

    def _call(self, build: Callable[[], Any], *, what: str, idempotent: bool) -> Any:
        """Run the request ``build`` makes, under the retry policy; Drive's refusals as DriveError."""

        def attempt() -> Any:
            try:
                return build().execute()
            except HttpError as error:
                raise _as_http_error(error) from None

        try:
            return self.retry.run(attempt, what=what, idempotent=idempotent, service=SERVICE)
        except requests.HTTPError as error:
            if error.response is None:
                raise
            raise self._refusal(error.response, what) from None
        except DriveError:
            raise
        except PlatformError as error:  # the retries ran out: whether it was done is not known
            raise DriveUnavailable(error.reason, hint=error.hint) from None
        except RefreshError as error:
            raise DriveAuthError(
                f"could not {what}: Google refused braingain's sign-in ({redact(str(error))})"
            ) from None
        except (OSError, httplib2.HttpLib2Error) as error:
            kind = "timed out" if isinstance(error, TimeoutError) else "lost its connection"
            raise DriveUnavailable(
                f"could not {what}: the request {kind}, so whether Google Drive did it is not known",
                hint="run the sync again: braingain looks before it changes anything, "
                "so nothing is made twice",
            ) from None

    def _refusal(self, response: requests.Response, what: str) -> DriveError:
        code = response.status_code
        _, reasons, message = error_details(response)
        said = f"could not {what}: Google Drive answered HTTP {code}"
        if reasons:
            said += f" ({', '.join(sorted(reasons))})"
        if message:
            said += f": {redact(message)}"
        if code == 401 or (
            code == 403 and reasons & {"insufficientPermissions", "authError", "dailyLimitExceededUnreg"}
        ):
            return DriveAuthError(said)
        if (
            code == 403
            and "storageQuotaExceeded" in reasons
            and (self.service_account or "Service Accounts" in message)
        ):
            return DriveNoStorage(said)
        if code == 404:
            return DriveNotFound(said, status=code, reasons=reasons)
        hint = ""
        if code == 403 and "storageQuotaExceeded" in reasons:
            hint = "the Google account's storage is full: free some space in Drive, or use a shared drive"
        return DriveRefused(said, status=code, reasons=reasons, hint=hint)


def _bytes(data: bytes, mime: str) -> MediaIoBaseUpload:
    """``data`` uploaded in one request (multipart: the metadata and the bytes), as they are."""
    return MediaIoBaseUpload(io.BytesIO(data), mimetype=mime, resumable=False)


def drive_for(
    config: Config, *, retry: RetryPolicy | None = None, timeout: float = DEFAULT_TIMEOUT
) -> GoogleDrive:
    """The group's Google Drive from ``config``: braingain's Google credentials, ``[endpoints]``, and
    ``[drive] parent``. Raises :class:`~braingain.integrations.errors.ConfigError` when braingain is
    not signed in to Google."""
    return GoogleDrive(
        google_credentials(config),
        parent=config.drive.parent,
        endpoints=config.endpoints,
        retry=retry,
        timeout=timeout,
    )
