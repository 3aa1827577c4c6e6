"""The group's Drive as a folder tree in the workspace: the embedded default, so that ``make demo`` (and a
group without Google) shows the same folders Google Drive would hold.

The tree lives in ``[drive] folder`` (``<workspace>/drive`` by default)::

    drive/
      .braingain-drive.json        the index: braingain's ids, keys and shares (never an email address)
      Okafor Lab/                  the group's folder          (Shared with.txt: the leaders)
        Minutes/                   the group's Minutes         (minutes of meetings about no one project)
        SR Drivers of health worker…/
          1 Protocol/ 2 Search/ …  a folder per stage
          Minutes/                 Minutes of the meeting of Saturday 16 January 2027.html

**Names** are made safe on every system (:func:`safe_name`): no ``/``, ``\\``, ``:`` or other
character Windows refuses, no control characters, no trailing dot or space, no name Windows keeps
for a device, cut to about 80 characters; two folders whose safe names meet in one folder (``A/B``
and ``A:B``, or ``Minutes`` and ``minutes`` on a case-blind disk) get ``A B`` and ``A B (2)``.

**The index** (:data:`INDEX`, at the tree's root) holds, by id, each file's place (relative to the
root), name, braingain key, group tag, kind, modified time and shares; it is replaced whole in one
step (a temporary file, then ``os.replace``). Ids come from :func:`secrets.token_urlsafe`. A folder is
made before it is indexed, so a folder made by a sync that stopped before indexing it is found on
disk and taken back by the next try (any try: a folder not in the index, where braingain would put
one, is adopted rather than doubled). A folder or minutes file a person deleted is forgotten the next
time braingain looks at it (:meth:`LocalDrive.look` answers ``None``).

**Shares** are records only: the local tree opens nothing to anybody and emails nobody (``notify``
is ignored). Each is kept in the index as a permission id made from the person's address with a
keyed hash (the key, random, kept in the index), its role and the member's name, and listed in the
folder's ``Shared with.txt`` (names and roles, rewritten at each change). **No email address is ever
written.** :meth:`LocalDrive.shares` answers with braingain's own records (``email`` ``""``), those
of the folders above (``inherited``) and an ``owner`` entry for this computer's user: the local tree
cannot see a share made by hand, since there is none to make.

**Minutes** are ``<safe title>.html`` (:func:`braingain.integrations.drive.render.minutes_html`) in
their folder; their ``modified`` is the file's modification time (RFC 3339, UTC, to the
microsecond), so a person's edit since braingain wrote it changes it and the engine does not write
over that edit. A file's ``url`` is its ``file://`` address.

**Files** (a project's Gantt chart, ``gantt-P1.png`` and ``.svg``) are kept under their own name in
their folder, and a new version is written over the old one in one step.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from pathvalidate import sanitize_filename

from braingain.core.drive.folders import ROLES, FileSpec, FolderSpec
from braingain.core.drive.minutes import MinutesDoc
from braingain.core.errors import quote
from braingain.core.ports import Permission, StoredFile
from braingain.integrations.drive.render import minutes_html
from braingain.integrations.errors import PlatformError
from braingain.integrations.files import replace_atomically

__all__ = [
    "INDEX",
    "SHARED_WITH",
    "DriveIndexDamaged",
    "LocalDrive",
    "LocalDriveError",
    "LocalDriveMissing",
    "LocalDriveRefused",
    "safe_name",
]

INDEX = ".braingain-drive.json"
"""The index's file name, at the root of the tree."""

SHARED_WITH = "Shared with.txt"
"""The file in each shared folder that lists who it is shared with (names and roles)."""

NAME_LIMIT = 80
"""Characters of a folder's or file's name before it is cut (a nested tree stays well within the
260 characters of a Windows path for a workspace of ordinary depth)."""

OWNER = "owner"
"""The permission id of the tree's owner: this computer's user."""

_VERSION = 1
_FOLDER = "folder"
_DOC = "doc"
_FILE = "file"
_SPACES = re.compile(r"\s+")


class LocalDriveError(PlatformError):
    """The workspace's Drive folder cannot be read or written (a folder or file cannot be made, the
    disk is full or read-only). Nothing was changed, or the change is found again by the next try;
    Drive's other actions wait for the next sync."""

    outcome_known = True


class DriveIndexDamaged(LocalDriveError):
    """The index (:data:`INDEX`) is not braingain's: not JSON, or not in its shape, or pointing
    outside the tree. Nothing was changed."""


class LocalDriveMissing(LocalDriveError):
    """The folder or file asked for is not in the workspace's Drive folder (a person deleted it, or it
    was never made): nothing was changed; Drive's other actions go on."""

    halts = False


class LocalDriveRefused(LocalDriveError):
    """A share braingain cannot record (a role that is not reader, commenter or writer; no email
    address): nothing was changed; Drive's other actions go on."""

    halts = False


def safe_name(name: str) -> str:
    """``name`` as a folder or file name every system accepts, still readable.

    Unicode NFC; control, format and line-separator characters and the characters Windows refuses
    (``/ \\ : * ? " < > |``) become spaces; runs of spaces become one; leading dots and spaces, and
    trailing dots and spaces, go; a name Windows keeps for a device (``CON``, ``nul.txt``, ``COM1``)
    gets a ``_``; more than :data:`NAME_LIMIT` characters are cut (at a word's end when one is near),
    ending with ``…``. A name left empty
    becomes ``Untitled``. Two names may give one safe name: :class:`LocalDrive` keeps them apart."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    text = sanitize_filename(text, replacement_text=" ", platform="universal", max_len=None)
    text = _SPACES.sub(" ", text).strip(" .")
    if len(text) > NAME_LIMIT:
        cut = text[: NAME_LIMIT - 1]
        space = cut.rfind(" ", NAME_LIMIT - 20)
        text = (cut[:space] if space > 0 else cut).rstrip(" .") + "…"  # at a word's end when one is near
    text = sanitize_filename(text, platform="universal", max_len=None).strip(" .")
    return text or "Untitled"


def _fold(relative: str) -> str:
    """The form two places are compared in: a case-blind disk (Windows, macOS) and macOS's
    decomposed names make ``Minutes`` and ``minutes``, ``é`` and ``é`` one place."""
    return unicodedata.normalize("NFC", relative).casefold()


def _stamp(path: Path) -> str:
    """``path``'s modification time, RFC 3339 in UTC to the microsecond (``2027-01-16T12:00:05.123456Z``)."""
    nanoseconds = path.stat().st_mtime_ns
    moment = datetime.fromtimestamp(nanoseconds // 1_000_000_000, UTC).replace(
        microsecond=(nanoseconds // 1_000) % 1_000_000
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _owner_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name known to the system
        return "this computer's user"


@dataclass
class _Grant:
    id: str
    role: str
    name: str


@dataclass
class _Entry:
    path: str
    name: str
    key: str
    tag: str
    kind: str
    modified: str
    permissions: list[_Grant] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "key": self.key,
            "tag": self.tag,
            "kind": self.kind,
            "modified": self.modified,
            "permissions": [{"id": g.id, "role": g.role, "name": g.name} for g in self.permissions],
        }


@dataclass
class _Index:
    salt: str
    files: dict[str, _Entry]


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return value


def _relative(value: object, what: str) -> str:
    """A place inside the tree, as the index keeps it (``a/b``); refuses one that reaches outside."""
    text = _text(value, what)
    parts = PurePosixPath(text).parts
    if (
        not text
        or text.startswith("/")
        or "\\" in text
        or ":" in text
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise ValueError(f"{what} is not a place inside the folder")
    return text


def _entry(file_id: str, value: object) -> _Entry:
    if not isinstance(value, dict):
        raise ValueError(f"the entry of {file_id} is not an object")
    grants = value.get("permissions", [])
    if not isinstance(grants, list) or not all(isinstance(g, dict) for g in grants):
        raise ValueError(f"the permissions of {file_id} are not a list of objects")
    kind = _text(value.get("kind"), f"the kind of {file_id}")
    if kind not in (_FOLDER, _DOC, _FILE):
        raise ValueError(f"the kind of {file_id} is not one of {_FOLDER}, {_DOC}, {_FILE}")
    return _Entry(
        path=_relative(value.get("path"), f"the path of {file_id}"),
        name=_text(value.get("name"), f"the name of {file_id}"),
        key=_text(value.get("key"), f"the key of {file_id}"),
        tag=_text(value.get("tag"), f"the tag of {file_id}"),
        kind=kind,
        modified=_text(value.get("modified"), f"the modified time of {file_id}"),
        permissions=[
            _Grant(
                _text(g.get("id"), f"a permission id of {file_id}"),
                _text(g.get("role"), f"a permission role of {file_id}"),
                _text(g.get("name"), f"a permission name of {file_id}"),
            )
            for g in grants
        ],
    )


class LocalDrive:
    """A :class:`~braingain.core.ports.Drive` kept as real folders under ``folder`` (see the module
    docstring). ``folder`` is made when the first folder is; every method reads the index afresh, so
    a person's deletion between two calls is seen. Raises :class:`LocalDriveError` and below."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index_path = folder / INDEX

    # -- the index ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _disk(self, what: str) -> Iterator[None]:
        """Turn an operating system's refusal into a :class:`LocalDriveError` saying what and why."""
        try:
            yield
        except OSError as error:
            raise LocalDriveError(
                f"could not {what} in the workspace's Drive folder {self.folder}: {error.strerror or error}",
                hint="check that the folder exists, that you may write there and that the disk is not full "
                "(or choose another folder: [drive] folder in braingain.toml); then sync again",
            ) from None

    def _damaged(self, why: str) -> DriveIndexDamaged:
        return DriveIndexDamaged(
            f"the index of the workspace's Drive folder, {self.index_path}, is damaged ({why})",
            hint=f"delete {INDEX} (or put back a copy from a backup) and sync again: the folders and files "
            f"in {self.folder} are kept; braingain makes its folders again where they belong, taking back "
            "each one already there under its name rather than making a second, saves the minutes again "
            "(beside any minutes file a person changed, never over it) and records its shares again",
        )

    def _load(self) -> _Index:
        if not self.index_path.exists():
            return _Index(secrets.token_hex(16), {})
        with self._disk("read the index"):
            raw = self.index_path.read_bytes()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._damaged("it is not JSON text") from None
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            raise self._damaged(f"it is not version {_VERSION} of braingain's index")
        files = data.get("files")
        salt = data.get("salt")
        if not isinstance(files, dict) or not isinstance(salt, str) or not salt:
            raise self._damaged("its files or its key are missing")
        try:
            return _Index(salt, {str(i): _entry(str(i), v) for i, v in files.items()})
        except ValueError as error:
            raise self._damaged(str(error)) from None

    def _save(self, index: _Index) -> None:
        data = {
            "about": "braingain's index of this folder tree (docs/drive-setup.md). Do not edit it; if it "
            "is damaged, delete it and sync again.",
            "version": _VERSION,
            "salt": index.salt,
            "files": {i: e.as_json() for i, e in index.files.items()},
        }
        content = (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        with self._disk("write the index"):
            self._root()
            replace_atomically(self.index_path, content)

    def _root(self) -> Path:
        """The tree's root, made if missing. Raises :class:`LocalDriveError` when a file is in its way."""
        blocked = next((p for p in (self.folder, *self.folder.parents) if p.exists()), None)
        if blocked is not None and not blocked.is_dir():
            raise LocalDriveError(
                f"{blocked} is a file, but braingain keeps the group's folders in a folder there",
                hint="move or rename that file, or choose another folder ([drive] folder in "
                "braingain.toml); then sync again",
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder

    def _path(self, entry: _Entry) -> Path:
        return self.folder.joinpath(*PurePosixPath(entry.path).parts)

    def _there(self, entry: _Entry) -> bool:
        path = self._path(entry)
        if path.is_symlink():
            return False
        return path.is_dir() if entry.kind == _FOLDER else path.is_file()

    def _prune(self, index: _Index) -> bool:
        """Forget every file a person deleted; whether any was."""
        gone = [i for i, e in index.files.items() if not self._there(e)]
        for file_id in gone:
            del index.files[file_id]
        return bool(gone)

    def _stored(self, file_id: str, entry: _Entry) -> StoredFile:
        path = self._path(entry)
        return StoredFile(
            id=file_id,
            url=path.absolute().as_uri(),
            name=entry.name,
            modified=_stamp(path),
            key=entry.key,
        )

    def _folder(self, index: _Index, file_id: str | None, what: str) -> str:
        """The place of the folder ``file_id`` (``""``: the root, for ``None``). Raises
        :class:`LocalDriveMissing` when it is not there."""
        if file_id is None:
            return ""
        entry = index.files.get(file_id)
        if entry is None or entry.kind != _FOLDER or not self._there(entry):
            raise LocalDriveMissing(
                f"could not {what}: the folder {file_id} is not in the workspace's Drive folder "
                f"{self.folder} (deleted, or never made)",
                hint="put it back if it was deleted by mistake, or run `braingain sync --refresh` so that "
                "braingain looks again at what the folder holds",
            )
        return entry.path

    def _place(
        self, index: _Index, parent: str, stem: str, suffix: str, *, mine: str, adopt: Callable[[Path], bool]
    ) -> str:
        """Where a new file named ``stem + suffix`` goes in the folder at ``parent``: the first of
        ``stem``, ``stem (2)``, ``stem (3)``... that no other indexed file holds and that is free on disk,
        or already holds what ``adopt`` accepts (a folder, or a file with the very same content: what a
        try that stopped before indexing it left)."""
        taken = {_fold(e.path) for i, e in index.files.items() if i != mine}
        kept = {_fold(SHARED_WITH)} | ({_fold(INDEX)} if not parent else set())
        number = 1
        while True:
            name = f"{stem}{suffix}" if number == 1 else f"{stem} ({number}){suffix}"
            number += 1
            relative = f"{parent}/{name}" if parent else name
            if _fold(relative) in taken or _fold(name) in kept:
                continue
            path = self.folder.joinpath(*PurePosixPath(relative).parts)
            if not os.path.lexists(path) or (not path.is_symlink() and adopt(path)):
                return relative

    # -- the port -----------------------------------------------------------------------------

    def new_ids(self, count: int) -> tuple[str, ...]:
        """``count`` fresh random ids (URL-safe text, 32 characters)."""
        return tuple(secrets.token_urlsafe(24) for _ in range(count))

    def find(self, tag: str) -> Mapping[str, StoredFile]:
        """Every file in the index tagged ``tag`` and still there, by its key (the first made, should
        two carry one key); files a person deleted are forgotten."""
        index = self._load()
        if self._prune(index):
            self._save(index)
        found: dict[str, StoredFile] = {}
        for file_id, entry in index.files.items():
            if entry.tag == tag and entry.key not in found:
                found[entry.key] = self._stored(file_id, entry)
        return found

    def look(self, file_id: str) -> StoredFile | None:
        """The file ``file_id``, or ``None`` when the index does not know it or a person deleted it (then
        it is forgotten)."""
        index = self._load()
        entry = index.files.get(file_id)
        if entry is None:
            return None
        if not self._there(entry):
            del index.files[file_id]
            self._save(index)
            return None
        return self._stored(file_id, entry)

    def make_folder(self, folder: FolderSpec, *, parent: str | None, file_id: str, tag: str) -> StoredFile:
        """Make ``folder`` (its safe name) in the folder ``parent`` (``None``: the tree's root) and index
        it as ``file_id``; one already indexed with that id and there is returned as it is. Raises
        :class:`LocalDriveMissing` when ``parent`` is not there."""
        index = self._load()
        entry = index.files.get(file_id)
        if entry is not None and self._there(entry):
            return self._stored(file_id, entry)
        self._prune(index)  # what a person deleted is forgotten with the new folder's save
        within = self._folder(index, parent, f"make the folder {quote(folder.name)}")
        with self._disk(f"make the folder {quote(folder.name)}"):
            self._root()
            relative = self._place(index, within, safe_name(folder.name), "", mine=file_id, adopt=Path.is_dir)
            path = self.folder.joinpath(*PurePosixPath(relative).parts)
            path.mkdir(exist_ok=True)
        index.files[file_id] = _Entry(relative, folder.name, folder.key, tag, _FOLDER, _stamp(path))
        self._save(index)
        return self._stored(file_id, index.files[file_id])

    def rename(self, file_id: str, name: str) -> StoredFile | None:
        """Give ``file_id`` the name ``name`` (its folder or file renamed on disk to the safe name, kept
        apart from the others in its folder); ``None`` when it is not there."""
        index = self._load()
        entry = index.files.get(file_id)
        if entry is None or not self._there(entry):
            return self.look(file_id)
        suffix = ".html" if entry.kind == _DOC else ""
        parent = str(PurePosixPath(entry.path).parent)
        parent = "" if parent == "." else parent
        old = self._path(entry)
        wanted = safe_name(name) + suffix
        if _fold(wanted) == _fold(old.name):
            relative = f"{parent}/{wanted}" if parent else wanted
        else:
            relative = self._place(
                index, parent, safe_name(name), suffix, mine=file_id, adopt=lambda _: False
            )
        with self._disk(f"rename {quote(entry.name)} to {quote(name)}"):
            os.replace(old, self.folder.joinpath(*PurePosixPath(relative).parts))
        for other in index.files.values():
            if other.path.startswith(entry.path + "/"):
                other.path = relative + other.path[len(entry.path) :]
        entry.path, entry.name = relative, name
        self._save(index)
        return self._stored(file_id, entry)

    def _permission(self, index: _Index, email: str) -> str:
        """The permission id of the person at ``email``: the same in every folder, and no way back to
        the address without the index's key."""
        digest = hmac.new(index.salt.encode(), email.strip().casefold().encode("utf-8"), hashlib.sha256)
        return "p" + digest.hexdigest()[:20]

    def shares(self, file_id: str) -> Sequence[Permission]:
        """The owner (this computer's user), the shares braingain recorded on the folder ``file_id``, and
        those of the folders above it (``inherited``), each ``email`` ``""``. Raises
        :class:`LocalDriveMissing` when the folder is not there."""
        index = self._load()
        self._folder(index, file_id, "list who the folder is shared with")
        entry = index.files[file_id]
        found = [Permission(OWNER, "owner", "user", name=_owner_name())]
        found += [Permission(g.id, g.role, "user", name=g.name) for g in entry.permissions]
        mine = {g.id for g in entry.permissions}
        above = PurePosixPath(entry.path).parents
        for other in index.files.values():
            if other.kind == _FOLDER and PurePosixPath(other.path) in above:
                for grant in other.permissions:
                    if grant.id not in mine:
                        mine.add(grant.id)
                        found.append(
                            Permission(grant.id, grant.role, "user", name=grant.name, inherited=True)
                        )
        return found

    def share(self, file_id: str, email: str, role: str, *, notify: bool, name: str) -> Permission:
        """Record that the folder ``file_id`` is shared with the person at ``email`` as ``role`` (their
        permission id made from the address; a second share of the same person changes the role) and
        rewrite its ``Shared with.txt``. Nobody is emailed (``notify`` has nothing to do here). Raises
        :class:`LocalDriveRefused` for a role braingain does not grant or a blank address, and
        :class:`LocalDriveMissing` when the folder is not there."""
        if role not in ROLES:
            raise LocalDriveRefused(
                f"cannot share a folder as {quote(role)}", hint=f"braingain grants only {', '.join(ROLES)}"
            )
        if "@" not in email:
            raise LocalDriveRefused(
                f"cannot share a folder with {quote(name)}: no email address was given",
                hint="add their email address on the Members tab and sync again",
            )
        index = self._load()
        self._folder(index, file_id, f"share a folder with {quote(name)}")
        entry = index.files[file_id]
        permission = self._permission(index, email)
        entry.permissions = [g for g in entry.permissions if g.id != permission]
        entry.permissions.append(_Grant(permission, role, name))
        self._save(index)
        self._list_shares(entry)
        return Permission(permission, role, "user", email=email, name=name)

    def unshare(self, file_id: str, permission_id: str) -> None:
        """Forget the share ``permission_id`` of the folder ``file_id`` and rewrite its ``Shared with.txt``;
        nothing to do when either is gone."""
        index = self._load()
        entry = index.files.get(file_id)
        if entry is None or not any(g.id == permission_id for g in entry.permissions):
            return
        entry.permissions = [g for g in entry.permissions if g.id != permission_id]
        self._save(index)
        if self._there(entry):
            self._list_shares(entry)

    def _list_shares(self, entry: _Entry) -> None:
        """Rewrite ``Shared with.txt`` in the folder of ``entry`` (removed when it is shared with nobody)."""
        target = self._path(entry) / SHARED_WITH
        with self._disk(f"write {SHARED_WITH} in {quote(entry.name)}"):
            if not entry.permissions:
                target.unlink(missing_ok=True)
                return
            lines = [
                f"{entry.name} is shared with (by braingain, as the tracker says; braingain rewrites",
                "this list whenever it changes, so change the tracker rather than this file):",
                "",
                *(f"  {g.name}: {g.role}" for g in sorted(entry.permissions, key=lambda g: (g.name, g.id))),
                "",
                "Whoever a folder above it is shared with may open it too.",
                "",
            ]
            replace_atomically(target, "\n".join(lines).encode("utf-8"))

    def save_doc(self, doc: MinutesDoc, *, parent: str, file_id: str, tag: str) -> StoredFile:
        """Write ``doc`` as ``<safe title>.html`` in the folder ``parent`` and index it as ``file_id`` with
        the key ``minutes:<meeting>``; one already indexed with that id and there is returned as it is.
        A file of that name that holds the same minutes (a try that stopped before indexing it) is taken
        back; one that holds anything else is left alone and the minutes go beside it (``… (2).html``).
        Raises :class:`LocalDriveMissing` when ``parent`` is not there."""
        content = minutes_html(doc).encode("utf-8")
        made = _Entry("", doc.title, f"minutes:{doc.meeting_id}", tag, _DOC, "")
        return self._save_new(
            file_id,
            parent,
            made,
            (safe_name(doc.title), ".html"),
            content,
            what=f"save the minutes of {doc.meeting_id}",
        )

    def replace_doc(self, file_id: str, doc: MinutesDoc) -> StoredFile | None:
        """Write ``doc`` over the minutes file ``file_id`` (in one step; its name stays); ``None`` when it
        is not there. Its ``modified`` is then the new file's time."""
        content = minutes_html(doc).encode("utf-8")
        return self._overwrite(file_id, _DOC, content, what=f"save the minutes of {doc.meeting_id}")

    def save_file(self, file: FileSpec, data: bytes, *, parent: str, file_id: str, tag: str) -> StoredFile:
        """Write ``data`` as ``file.name`` (made safe) in the folder ``parent`` and index it as ``file_id``
        with the key ``file.key``; one already indexed with that id and there is returned as it is. A
        file of that name that holds the same bytes (a try that stopped before indexing it) is taken
        back; one that holds anything else is left alone and the file goes beside it (``… (2).png``).
        Raises :class:`LocalDriveMissing` when ``parent`` is not there."""
        name = PurePosixPath(file.name)
        made = _Entry("", file.name, file.key, tag, _FILE, "")
        return self._save_new(
            file_id, parent, made, (safe_name(name.stem), name.suffix), data, what=f"save {file.what}"
        )

    def replace_file(self, file_id: str, file: FileSpec, data: bytes) -> StoredFile | None:
        """Write ``data`` over the file ``file_id`` (in one step; its name stays); ``None`` when it is not
        there (then it is forgotten)."""
        return self._overwrite(file_id, _FILE, data, what=f"save the new version of {file.what}")

    def _save_new(
        self, file_id: str, parent: str, made: _Entry, name: tuple[str, str], content: bytes, *, what: str
    ) -> StoredFile:
        """Write ``content`` as ``name`` (stem, suffix) in the folder ``parent`` and index ``made`` (its
        place and time filled in) as ``file_id`` (see :meth:`save_doc`)."""
        index = self._load()
        entry = index.files.get(file_id)
        if entry is not None and self._there(entry):
            return self._stored(file_id, entry)
        self._prune(index)
        within = self._folder(index, parent, what)

        def same(path: Path) -> bool:
            return path.is_file() and path.read_bytes() == content

        with self._disk(what):
            relative = self._place(index, within, *name, mine=file_id, adopt=same)
            path = self.folder.joinpath(*PurePosixPath(relative).parts)
            if not path.exists():
                replace_atomically(path, content)
        made.path, made.modified = relative, _stamp(path)
        index.files[file_id] = made
        self._save(index)
        return self._stored(file_id, made)

    def _overwrite(self, file_id: str, kind: str, content: bytes, *, what: str) -> StoredFile | None:
        """Write ``content`` over the file ``file_id`` of ``kind`` in one step; ``None`` when it is not
        there (then it is forgotten)."""
        index = self._load()
        entry = index.files.get(file_id)
        if entry is None or entry.kind != kind:
            return None
        if not self._there(entry):
            return self.look(file_id)
        path = self._path(entry)
        with self._disk(what):
            replace_atomically(path, content)
        entry.modified = _stamp(path)
        self._save(index)
        return self._stored(file_id, entry)
