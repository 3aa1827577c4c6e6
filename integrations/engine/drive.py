"""Drive in the sync: the group's folders made once, shared as the roster says, minutes saved as Docs.

Planned with the rest of a sync (:func:`actions`: the core's
:func:`~braingain.core.drive.folders.drive_actions`) and applied after Zoom and the invitations
(:func:`apply`). Every action has a stable key (``drive:folder:P1``, ``drive:share:P1:M04:writer``,
``drive:unshare:P1:M04``, ``drive:minutes:2027-01-16``; see :mod:`braingain.core.drive.folders`).

Never twice, whatever stops a sync:

- **Creates carry an id asked for first** (``Drive.new_ids``, one request for all of a sync's
  creates), noted in the journal before the create is sent. A create whose answer was lost is sent
  again with the same id: Drive refuses a second file with that id, and the adapter returns the one
  made. No search is needed, and none could be trusted (Drive's search lags behind a create by
  seconds to minutes).
- **Before a sync's first create**, one search finds every file carrying the group's tag and a key
  (``appProperties``): folders made by a sync whose journal and memory were both lost are taken
  as they are, never made again.
- **Shares**: the folder's permissions are read once per folder before braingain changes any
  (``Drive.shares``). A member already shared by hand is left as the person made it (not taken over,
  so never removed); a permission braingain granted whose role a person changed is theirs from then
  on; every other share made by hand is remembered and shown in ``plan``. Only a permission braingain
  granted, and still as it granted it, is ever removed.
- **Files** (each active project's Gantt chart, PNG and SVG, in the project's folder): saved with an
  id asked for first, like a folder; a new version is put in place of the one saved (same id and
  link, so a bookmark keeps working) only when the chart's fingerprint changes, never daily. Putting
  the same bytes again is harmless, so a replacement whose answer was lost is simply sent again.
- **Minutes**: a Doc braingain saved is replaced by corrected minutes only while nobody edited it
  since (its ``modified`` is what braingain saw); otherwise the corrected minutes are saved as a new
  Doc beside it and linked instead, and the edited one is kept.

Only Drive's own actions wait when Drive halts (credentials refused, Drive unavailable after the
retries); the other platforms go on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from braingain.core.charts import GANTT
from braingain.core.drive import folders
from braingain.core.drive.folders import (
    DrivePolicy,
    FileSpec,
    FolderSpec,
    Grant,
    HandShare,
    Revoke,
    SaveFile,
    SaveMinutes,
)
from braingain.core.errors import quote
from braingain.core.group import Group
from braingain.core.platforms import Action, PlatformNote
from braingain.core.ports import Drive, Permission, StoredFile
from braingain.core.words import day_said
from braingain.integrations.engine.charts import ChartSource
from braingain.integrations.engine.journal import Entry, Journal
from braingain.integrations.errors import PlatformError

DRIVE = folders.DRIVE
"""The platform's name in action keys (``drive:...``)."""
CREATES = frozenset({"folder", "minutes", "file"})
"""The Drive verbs that make a file (with an id asked for first)."""


@dataclass(frozen=True)
class DriveSetup:
    """The group's Drive: the adapter, the policy, and whether it is Google Drive (``live``: what it
    changes leaves this computer) or the workspace's folder tree (``off`` says how to set Google up)."""

    drive: Drive | None
    policy: DrivePolicy = field(default_factory=DrivePolicy)
    live: bool = False
    off: str = ""
    """Why the folders are not on Google Drive and how to put them there (said in the plan): the
    workspace's tree stands in, or (``drive`` ``None``) nothing does until it is set up."""
    charts: ChartSource | None = None
    """The charts kept in each project's folder (``None``: none)."""

    def files(self, group: Group, now: datetime) -> list[FileSpec]:
        """The files due in the project folders now (each active project's chart, PNG and SVG)."""
        if self.charts is None:
            return []
        return folders.chart_files(self.charts.due(group, now.date(), kinds=(GANTT,)))

    def content(self, group: Group, now: datetime, spec: FileSpec) -> bytes:
        """The bytes of the file ``spec`` (its chart drawn, once a sync)."""
        assert self.charts is not None
        for chart in self.charts.due(group, now.date(), kinds=(GANTT,)):
            if chart.project == spec.folder and chart.fingerprint == spec.fingerprint:
                drawn = self.charts.rendered(group, chart, now.date())
                return drawn.svg if spec.name.endswith(".svg") else drawn.png
        raise ValueError(f"no chart is due for {spec.subject}")


def actions(
    group: Group, memory: Mapping[str, str], setup: DriveSetup, *, now: datetime
) -> tuple[list[Action[object]], list[PlatformNote]]:
    """Every Drive action due now and what a leader should know. No I/O."""
    if setup.drive is None:
        return [], [PlatformNote(DRIVE, setup.off)] if setup.off else []
    found, notes = folders.drive_actions(group, memory, setup.policy, now=now, files=setup.files(group, now))
    if found and setup.off:
        notes.append(PlatformNote(DRIVE, setup.off))
    return found, notes


def fold(entry: Entry, memory: MutableMapping[str, str]) -> None:
    """Take one finished Drive action's result into braingain's memory."""
    result, subject = entry.result, entry.subject
    if entry.verb in {"folder", "rename"}:
        if result.get("gone"):
            forget_folder(memory, subject)
        else:
            folders.remember_folder(
                memory, subject, str(result["id"]), str(result["url"]), str(result["name"])
            )
    elif entry.verb == "share":
        if result.get("id"):
            folders.remember_grant(
                memory, subject, str(result["member"]), str(result["id"]), str(result["role"])
            )
    elif entry.verb == "unshare":
        folders.forget_grant(memory, subject, str(result["member"]))
    elif entry.verb == "minutes" and result.get("id"):
        folders.remember_doc(memory, subject, result)
    elif entry.verb == "file" and result.get("id"):
        folders.remember_file(memory, subject, result)


def forget_folder(memory: MutableMapping[str, str], key: str) -> None:
    """Forget the folder ``key`` and every folder inside it (gone from Drive: the plan makes them all
    again), with what braingain granted on them and the shares seen there by hand; a minutes Doc that
    was in one of them is saved again."""
    state = folders.DriveState.of(memory)
    inside = {k for k in state.folders if k == key or k.startswith(f"{key}/")}
    if key == folders.ROOT:
        inside = set(state.folders)
    for gone in inside:
        memory.pop(folders.FOLDER_PREFIX + gone, None)
        for member in state.grants.get(gone, {}):
            folders.forget_grant(memory, gone, member)
        folders.remember_hand(memory, gone, ())
    for meeting, doc in state.docs.items():
        if doc.get("folder") in inside:
            memory.pop(folders.DOC_PREFIX + meeting, None)
    for subject in state.files:
        if subject.rpartition(":")[0] in inside:
            memory.pop(folders.FILE_PREFIX + subject, None)


def pending_shares(journal: Journal) -> set[tuple[str, str]]:
    """(folder key, member ID) of each share whose answer was lost: a permission found for that member
    there is braingain's own, never taken for one made by hand."""
    found: set[tuple[str, str]] = set()
    for entry in journal.entries():
        if entry.platform == DRIVE and entry.verb == "share" and entry.unknown:
            rest = entry.key.removeprefix(f"{DRIVE}:share:")
            folder, member, _ = rest.rsplit(":", 2)
            found.add((folder, member))
    return found


def lost_id(entry: Entry | None) -> str | None:
    """The id a create whose answer was lost was sent with (its journal note), if any."""
    if entry is None or entry.done or entry.verb not in CREATES:
        return None
    found = entry.result.get("id")
    return str(found) if found else None


class _Looked:
    """What this sync read of each folder's permissions (once per folder)."""

    def __init__(self, pending: set[tuple[str, str]] | None = None) -> None:
        self.permissions: dict[str, tuple[Permission, ...]] = {}
        self.pending = pending or set()


def apply(
    group: Group,
    memory: dict[str, str],
    setup: DriveSetup,
    journal: Journal,
    *,
    now: datetime,
    tag: str,
    run: Callable[
        [Action[object], Callable[[Action[object]], dict[str, Any]], Mapping[str, Any] | None], None
    ],
    progress: Callable[[str], None],
) -> None:
    """Apply the Drive actions due now, in order, each through ``run(action, perform, note)`` (the
    engine's journaled step, which raises the engine's halt when Drive halts). ``memory`` is updated
    as each action finishes (and with the shares found by hand)."""
    due, _ = actions(group, memory, setup, now=now)
    drive = setup.drive
    if not due or drive is None:
        return
    creates = [a for a in due if a.verb in CREATES]
    first = [a for a in creates if not _correction(a)]
    if first and not any(lost_id(journal.get(a.key)) for a in creates):
        progress("looking on Drive for folders braingain made before")
        _adopt(drive, first, journal, memory, tag, now)
        due, _ = actions(group, memory, setup, now=now)
        creates = [a for a in due if a.verb in CREATES]
    ids = {a.key: lost_id(journal.get(a.key)) for a in creates}
    fresh = [key for key, found in ids.items() if found is None]
    if fresh:
        ids.update(zip(fresh, drive.new_ids(len(fresh)), strict=True))
    looked = _Looked(pending_shares(journal))
    for action in due:
        file_id = ids.get(action.key)
        previous = journal.get(action.key)
        lost = previous is not None and previous.unknown
        note = {"id": file_id} if file_id else None
        progress(action.words)

        def perform(a: Action[object], made: str | None = file_id, again: bool = lost) -> dict[str, Any]:
            return _perform(
                a,
                drive,
                group,
                memory,
                setup,
                looked,
                made=made,
                tag=tag,
                now=now,
                again=again,
            )

        run(action, perform, note)
        entry = journal.get(action.key)
        if entry is not None and entry.done:
            fold(entry, memory)


def refresh(group: Group, memory: dict[str, str], setup: DriveSetup) -> list[str]:
    """Look at what braingain keeps on Drive (``plan --refresh``, ``sync --refresh``): each folder and
    minutes Doc it made (one look each), and who each shared folder is shared with (one look each).
    A folder or Doc deleted outside braingain (or in the bin) is forgotten, so the plan makes it
    again (a folder's shares with it); the plan shows every share made by hand, and puts back a share
    of braingain's that a person removed. Returns what was found deleted, in words."""
    if setup.drive is None:
        return []
    drive = setup.drive
    found: list[str] = []
    state = folders.DriveState.of(memory)
    for key in sorted(state.folders):
        if drive.look(state.folders[key].id) is None:
            forget_folder(memory, key)
            found.append(f"the folder {quote(state.folders[key].name)} was deleted outside braingain")
    for meeting, doc in sorted(state.docs.items()):
        if drive.look(doc["id"]) is None:
            memory.pop(folders.DOC_PREFIX + meeting, None)
            found.append(f"the minutes Doc of {meeting} was deleted outside braingain")
    for subject, saved in sorted(folders.DriveState.of(memory).files.items()):
        if drive.look(saved["id"]) is None:
            memory.pop(folders.FILE_PREFIX + subject, None)
            found.append(f"the file {quote(subject.rpartition(':')[2])} was deleted outside braingain")
    looked = _Looked()
    state = folders.DriveState.of(memory)
    shared = {folders.ROOT, folders.MINUTES, *group.projects, *state.grants}
    for key in sorted(k for k in state.folders if k in shared):
        _permissions(drive, memory, group, looked, key)
    return found


def _adopt(
    drive: Drive,
    creates: list[Action[object]],
    journal: Journal,
    memory: dict[str, str],
    tag: str,
    now: datetime,
) -> None:
    """One search for the group's files before a sync's first create: each one this sync would make
    that is already there (made by a sync whose journal and memory were lost) is taken as made."""
    found = drive.find(tag)
    for action in creates:
        key = _file_key(action)
        there = found.get(key)
        if there is None:
            continue
        journal.finish(action, _made(action, there), at=now)
        entry = journal.get(action.key)
        if entry is not None:
            fold(entry, memory)


def _correction(action: Action[object]) -> bool:
    """Whether ``action`` saves corrected minutes: the Doc carrying its key is the one it corrects (or
    keeps beside), never one a lost answer made, so no search is made for it."""
    payload = action.payload
    return isinstance(payload, SaveMinutes | SaveFile) and payload.replacing is not None


def _file_key(action: Action[object]) -> str:
    """The key a create's file carries (``appProperties``): the folder's key, ``minutes:<meeting>``, or
    ``file:<folder>/<name>``."""
    if isinstance(action.payload, SaveFile):
        return action.payload.file.key
    return action.subject if action.verb == "folder" else f"minutes:{action.subject}"


def _made(action: Action[object], stored: StoredFile) -> dict[str, Any]:
    payload = action.payload
    if isinstance(payload, SaveMinutes):
        return _doc_result(stored, payload)
    if isinstance(payload, SaveFile):
        return _file_result(stored, payload.file)
    return {"id": stored.id, "url": stored.url, "name": stored.name}


def _file_result(stored: StoredFile, spec: FileSpec) -> dict[str, Any]:
    return {"id": stored.id, "url": stored.url, "fp": spec.fingerprint, "where": stored.url}


def _doc_result(stored: StoredFile, save: SaveMinutes) -> dict[str, Any]:
    return {
        "id": stored.id,
        "url": stored.url,
        "fp": save.doc.fingerprint,
        "modified": stored.modified,
        "folder": save.doc.folder,
        "where": stored.url,
    }


def _folder_id(memory: Mapping[str, str], key: str | None) -> str | None:
    """The Drive id of the folder ``key`` braingain made (``None`` for the configured parent).

    Raises :class:`FolderWaits` when it was not made (its own create failed or waits)."""
    if key is None:
        return None
    text = memory.get(folders.FOLDER_PREFIX + key)
    held = folders.DriveState.of({folders.FOLDER_PREFIX + key: text}).folders.get(key) if text else None
    if held is None:
        raise FolderWaits(f"{key} waits for its folder to be made", hint="the next sync makes it first")
    return held.id


class FolderWaits(PlatformError):
    """What an action goes in was not made (its own create failed or waits): nothing was changed, and
    the action waits for the next sync."""

    outcome_known = False
    halts = False


def _perform(
    action: Action[object],
    drive: Drive,
    group: Group,
    memory: dict[str, str],
    setup: DriveSetup,
    looked: _Looked,
    *,
    made: str | None,
    tag: str,
    now: datetime,
    again: bool = False,
) -> dict[str, Any]:
    """One Drive action. ``again``: a sync that stopped sent it and never heard back."""
    payload, policy = action.payload, setup.policy
    if isinstance(payload, FolderSpec) and action.verb == "folder":
        assert made is not None
        stored = drive.make_folder(payload, parent=_folder_id(memory, payload.parent), file_id=made, tag=tag)
        return {"id": stored.id, "url": stored.url, "name": payload.name}
    if isinstance(payload, FolderSpec) and action.verb == "rename":
        folder = _folder_id(memory, payload.key)
        assert folder is not None
        renamed = drive.rename(folder, payload.name)
        if renamed is None:
            return {"gone": True, "where": "the folder was deleted on Drive: the next sync makes it again"}
        return {"id": renamed.id, "url": renamed.url, "name": payload.name}
    if isinstance(payload, Grant):
        return _share(drive, group, memory, policy, looked, payload)
    if isinstance(payload, Revoke):
        return _unshare(drive, group, memory, looked, payload)
    if isinstance(payload, SaveMinutes):
        assert made is not None
        return _save(drive, memory, payload, made=made, tag=tag, now=now, again=again)
    if isinstance(payload, SaveFile):
        assert made is not None
        return _save_file(drive, memory, payload, setup.content(group, now, payload.file), made=made, tag=tag)
    raise ValueError(f"no such Drive action: {action.key}")


def _permissions(
    drive: Drive, memory: dict[str, str], group: Group, looked: _Looked, key: str
) -> tuple[Permission, ...]:
    """The folder's permissions, read once per sync; the shares made by hand among them remembered
    (by member ID when one matches a member's email address; never the address itself)."""
    found = looked.permissions.get(key)
    if found is not None:
        return found
    folder = _folder_id(memory, key)
    assert folder is not None
    found = tuple(drive.shares(folder))
    looked.permissions[key] = found
    state = folders.DriveState.of(memory)
    mine = state.grants.get(key, {})
    granted = {(pid, role) for pid, role in mine.values()}
    for member, (pid, role) in list(mine.items()):
        there = next((p for p in found if p.id == pid), None)
        if there is None or there.role != role:
            folders.forget_grant(memory, key, member)  # removed by hand, or changed: the person's now
    by_email = {m.email.address.casefold(): m.id for m in group.members.values() if m.email is not None}
    hand: list[HandShare] = []
    for p in found:
        if p.role == "owner" or p.inherited or (p.id, p.role) in granted:
            continue
        member = by_email.get(p.email.casefold(), "")
        if member and (key, member) in looked.pending:  # braingain's own share, its answer lost
            folders.remember_grant(memory, key, member, p.id, p.role)
            continue
        hand.append(HandShare(p.id, p.role, member or _who(p)))
    folders.remember_hand(memory, key, hand)
    return found


def _who(permission: Permission) -> str:
    if permission.kind == "anyone":
        return "anyone with the link"
    if permission.kind == "domain":
        return f"everyone at {permission.name}" if permission.name else "a whole domain"
    return permission.name or f"a {permission.kind} braingain does not know"


def _share(
    drive: Drive, group: Group, memory: dict[str, str], policy: DrivePolicy, looked: _Looked, grant: Grant
) -> dict[str, Any]:
    _permissions(drive, memory, group, looked, grant.folder)
    hand = {s.who for s in folders.DriveState.of(memory).hand.get(grant.folder, ())}
    if grant.member.id in hand:
        return {"where": f"{grant.member.name} already has it, shared by hand: left as it is"}
    email = grant.member.email
    assert email is not None  # the plan shares only with members who have an address
    folder = _folder_id(memory, grant.folder)
    assert folder is not None
    permission = drive.share(folder, email.address, grant.role, notify=policy.notify, name=grant.member.name)
    return {"id": permission.id, "role": grant.role, "member": grant.member.id}


def _unshare(
    drive: Drive, group: Group, memory: dict[str, str], looked: _Looked, revoke: Revoke
) -> dict[str, Any]:
    found = _permissions(drive, memory, group, looked, revoke.folder)
    mine = folders.DriveState.of(memory).grants.get(revoke.folder, {}).get(revoke.member)
    if mine is None:
        gone = all(p.id != revoke.permission for p in found)
        words = "already gone" if gone else "changed by hand since braingain shared it: left as it is"
        return {"member": revoke.member, "where": words}
    folder = _folder_id(memory, revoke.folder)
    assert folder is not None
    drive.unshare(folder, mine[0])
    return {"member": revoke.member}


def _save(
    drive: Drive,
    memory: dict[str, str],
    save: SaveMinutes,
    *,
    made: str,
    tag: str,
    now: datetime,
    again: bool = False,
) -> dict[str, Any]:
    """Save the minutes: a new Doc; or the corrected minutes over the Doc braingain saved, while nobody
    edited it since (``again``: this very replacement was sent before and its answer lost, so the Doc's
    new ``modified`` may be braingain's own: it is replaced again, never copied); beside it when a
    person did. Minutes whose meeting now names another project go in that project's folder."""
    parent = _folder_id(memory, save.doc.folder)
    assert parent is not None
    before = save.replacing
    if before is not None and before.get("folder", save.doc.folder) == save.doc.folder:
        there = drive.look(before["id"])
        if there is not None and (again or there.modified == before.get("modified")):
            replaced = drive.replace_doc(there.id, save.doc)
            if replaced is not None:
                return _doc_result(replaced, save)
        if there is not None:  # edited by a person since: kept, and the corrected minutes saved beside it
            corrected = replace(save.doc, title=f"{save.doc.title} (corrected {day_said(now)})")
            return _doc_result(drive.save_doc(corrected, parent=parent, file_id=made, tag=tag), save)
    return _doc_result(drive.save_doc(save.doc, parent=parent, file_id=made, tag=tag), save)


def _save_file(
    drive: Drive, memory: dict[str, str], save: SaveFile, data: bytes, *, made: str, tag: str
) -> dict[str, Any]:
    """Save a file in its folder: a new version of the one braingain saved (its id and link stay), or,
    when there is none or it was deleted, a new file with the id ``made``."""
    spec = save.file
    parent = _folder_id(memory, spec.folder)
    assert parent is not None
    if save.replacing is not None:
        replaced = drive.replace_file(save.replacing, spec, data)
        if replaced is not None:
            return _file_result(replaced, spec)
    return _file_result(drive.save_file(spec, data, parent=parent, file_id=made, tag=tag), spec)
