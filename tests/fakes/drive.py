"""A Drive as the core's port sees it, with observable state: what the engine's Drive tests count
(every folder by its key, every permission, every Doc) and stop dead after any call.

Like Google Drive: a file made with an id already in use is the same file (never a second one), a
search does not see a file until its index caught up (:meth:`MemoryDrive.index`; Drive's search
lags by seconds to minutes), permission ids are stable per person, and a person may share a folder
by hand, remove a share, or edit a Doc (:meth:`MemoryDrive.share_by_hand`,
:meth:`MemoryDrive.edit`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from braingain.core.drive.folders import FileSpec, FolderSpec
from braingain.core.drive.minutes import MinutesDoc
from braingain.core.ports import Permission, StoredFile
from braingain.integrations.errors import PlatformError
from tests.integrations.platform_support import Stopper

OWNER = "leader@example.org"


def permission_id(email: str) -> str:
    return hashlib.sha256(email.casefold().encode()).hexdigest()[:12]


@dataclass
class Stored:
    id: str
    name: str
    parent: str | None
    key: str
    tag: str
    folder: bool
    content: str = ""
    data: bytes = b""
    mime: str = ""
    version: int = 1
    permissions: list[Permission] = field(default_factory=list)

    @property
    def modified(self) -> str:
        return f"2027-01-01T00:00:{self.version:02d}.000Z"

    def stored(self) -> StoredFile:
        kind = "drive/folders" if self.folder else "file/d" if self.mime else "document/d"
        return StoredFile(self.id, f"https://drive.test/{kind}/{self.id}", self.name, self.modified, self.key)


@dataclass
class MemoryDrive:
    """Google Drive in memory. ``fail(what)`` may refuse a call (``what``: the method's name)."""

    stopper: Stopper = field(default_factory=Stopper)
    files: dict[str, Stored] = field(default_factory=dict)
    indexed: set[str] = field(default_factory=set)
    issued: int = 0
    notified: list[bool] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    fail: Callable[[str], PlatformError | None] = lambda _: None

    def _check(self, what: str) -> None:
        self.calls.append(what)
        error = self.fail(what)
        if error is not None:
            raise error

    # -- what a test looks at ---------------------------------------------------------------

    def by_key(self, key: str) -> list[Stored]:
        return [f for f in self.files.values() if f.key == key]

    def folder(self, key: str) -> Stored:
        (found,) = self.by_key(key)
        return found

    def writers(self, key: str) -> dict[str, str]:
        """Who the folder ``key`` is shared with, by email, with their role (the owner left out)."""
        return {p.email: p.role for p in self.folder(key).permissions if p.role != "owner"}

    def index(self) -> None:
        """Drive's search catches up: every file is found by a search from now on."""
        self.indexed = set(self.files)

    def share_by_hand(self, key: str, email: str, role: str = "writer", kind: str = "user") -> None:
        found = self.folder(key)
        ident = "anyoneWithLink" if kind == "anyone" else permission_id(email)
        found.permissions = [p for p in found.permissions if p.id != ident]
        found.permissions.append(Permission(ident, role, kind, email if kind == "user" else "", "By hand"))

    def remove_by_hand(self, key: str, email: str) -> None:
        found = self.folder(key)
        found.permissions = [p for p in found.permissions if p.email != email]

    def delete_by_hand(self, key: str) -> None:
        """A person deletes the folder ``key`` with everything in it."""
        gone = {self.folder(key).id}
        while True:
            inside = {f.id for f in self.files.values() if f.parent in gone} - gone
            if not inside:
                break
            gone |= inside
        for file_id in gone:
            del self.files[file_id]

    def edit(self, file_id: str, content: str) -> None:
        """A person edits the Doc ``file_id``."""
        found = self.files[file_id]
        found.content, found.version = content, found.version + 1

    # -- the port -------------------------------------------------------------------------------

    def new_ids(self, count: int) -> tuple[str, ...]:
        self._check("new_ids")
        made = tuple(f"F{self.issued + n + 1:05d}" for n in range(count))
        self.issued += count
        self.stopper.tick(f"new ids {count}")
        return made

    def find(self, tag: str) -> dict[str, StoredFile]:
        self._check("find")
        found = {f.key: f.stored() for f in self.files.values() if f.tag == tag and f.id in self.indexed}
        self.stopper.tick("find")
        return found

    def look(self, file_id: str) -> StoredFile | None:
        self._check("look")
        found = self.files.get(file_id)
        self.stopper.tick(f"look {file_id}")
        return found.stored() if found is not None else None

    def _make(self, file_id: str, made: Stored) -> StoredFile:
        if not file_id.startswith("F") or int(file_id[1:]) > self.issued:
            raise AssertionError(f"{file_id} was never issued by new_ids")
        there = self.files.get(file_id)
        if there is None:
            self.files[file_id] = there = made
            there.permissions.append(Permission(permission_id(OWNER), "owner", "user", OWNER, "Leader"))
        return there.stored()

    def make_folder(self, folder: FolderSpec, *, parent: str | None, file_id: str, tag: str) -> StoredFile:
        self._check("make_folder")
        if parent is not None and parent not in self.files:
            raise AssertionError(f"no parent folder {parent}")
        made = self._make(file_id, Stored(file_id, folder.name, parent, folder.key, tag, folder=True))
        self.stopper.tick(f"folder {folder.key}")
        return made

    def rename(self, file_id: str, name: str) -> StoredFile | None:
        self._check("rename")
        found = self.files.get(file_id)
        if found is not None:
            found.name = name
        self.stopper.tick(f"rename {file_id}")
        return found.stored() if found is not None else None

    def shares(self, file_id: str) -> Sequence[Permission]:
        self._check("shares")
        found = list(self.files[file_id].permissions)
        self.stopper.tick(f"shares {file_id}")
        return found

    def share(self, file_id: str, email: str, role: str, *, notify: bool, name: str) -> Permission:
        self._check("share")
        found = self.files[file_id]
        ident = permission_id(email)
        found.permissions = [p for p in found.permissions if p.id != ident]
        granted = Permission(ident, role, "user", email, name)
        found.permissions.append(granted)
        self.notified.append(notify)
        self.stopper.tick(f"share {file_id} {name}")
        return granted

    def unshare(self, file_id: str, permission_id: str) -> None:
        self._check("unshare")
        found = self.files[file_id]
        found.permissions = [p for p in found.permissions if p.id != permission_id]
        self.stopper.tick(f"unshare {file_id}")

    def save_doc(self, doc: MinutesDoc, *, parent: str, file_id: str, tag: str) -> StoredFile:
        self._check("save_doc")
        if parent not in self.files:
            raise AssertionError(f"no parent folder {parent}")
        made = self._make(
            file_id,
            Stored(
                file_id,
                doc.title,
                parent,
                f"minutes:{doc.meeting_id}",
                tag,
                folder=False,
                content=doc.minutes,
            ),
        )
        self.stopper.tick(f"doc {doc.meeting_id}")
        return made

    def replace_doc(self, file_id: str, doc: MinutesDoc) -> StoredFile | None:
        self._check("replace_doc")
        found = self.files.get(file_id)
        if found is not None:
            found.content, found.name, found.version = doc.minutes, doc.title, found.version + 1
        self.stopper.tick(f"replace {file_id}")
        return found.stored() if found is not None else None

    def save_file(self, file: FileSpec, data: bytes, *, parent: str, file_id: str, tag: str) -> StoredFile:
        self._check("save_file")
        if parent not in self.files:
            raise AssertionError(f"no parent folder {parent}")
        made = self._make(
            file_id,
            Stored(file_id, file.name, parent, file.key, tag, folder=False, data=data, mime=file.mime),
        )
        self.stopper.tick(f"file {file.subject}")
        return made

    def replace_file(self, file_id: str, file: FileSpec, data: bytes) -> StoredFile | None:
        self._check("replace_file")
        found = self.files.get(file_id)
        if found is not None:
            found.data, found.mime, found.version = data, file.mime, found.version + 1
        self.stopper.tick(f"replace file {file_id}")
        return found.stored() if found is not None else None
