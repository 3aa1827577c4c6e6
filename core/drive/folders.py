"""The group's folder tree on Drive, who may open each folder, and the actions that keep them so.

The tree (each folder named by a stable key; its Drive id is remembered once made)::

    <[drive] parent: a folder, a shared drive, or My Drive>
      <group name>/                key "root"       the leaders (their role: [drive] leaders)
        Minutes/                   key "minutes"    every active member ([drive] members), the
                                                    minutes of meetings about no one project
        P1 <title>/                key "P1"         the project's people (writer)
          1 <stage>/ 2 <stage>/    key "P1/stage:<stage key>"   ([drive] stage_folders)
          Minutes/                 key "P1/minutes"

Sharing is inherited down the tree, so the root is shared with the leaders only and each project
folder with its own people: a member opens the group's Minutes and the projects they work on,
nothing else. A project's people are its lead, each active task's supervising leader, mini-team
head and contributors; a member who has left the group, or works on none of its tasks any more,
loses the access braingain gave them.

**Only what braingain granted is ever taken away.** braingain remembers each permission it granted
(its Drive permission id and role); a share a person made by hand is never removed and is shown in
``plan`` (remembered when braingain last looked at the folder's permissions). A member already
shared by hand is not granted again.

braingain's memory (the hidden state tab, small JSON texts; never an email address):

=====================================  =========================================================
``drive.folder:<key>``                 ``{"id", "url", "name"}`` of a folder braingain made
``drive.share:<key>:<member>``         ``{"id", "role"}`` of a permission braingain granted
``drive.hand:<key>``                   ``[{"id", "role", "who"}]`` shares made by hand, as last seen
``drive.doc:<meeting>``                ``{"id", "url", "fp", "modified", "folder"}`` of a minutes Doc
``drive.file:<key>:<name>``            ``{"id", "url", "fp"}`` of a file braingain keeps in folder
                                       ``<key>`` (a project's Gantt chart: ``drive.file:P1:gantt-P1.png``)
=====================================  =========================================================

Action keys: ``drive:folder:<key>`` (make it), ``drive:rename:<key>:<fingerprint>``,
``drive:share:<key>:<member>:<role>``, ``drive:unshare:<key>:<member>``,
``drive:minutes:<meeting>`` (save the Doc), ``drive:minutes:<meeting>:<fingerprint>`` (save the
corrected minutes) and ``drive:file:<key>:<name>:<fingerprint>`` (save a file, such as a project's
Gantt chart, or put a new version in place of the one saved before: only when its fingerprint changed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from braingain.core.authorship.tasks import TaskStatus
from braingain.core.charts import PNG, SVG, Chart
from braingain.core.drive.minutes import MinutesDoc, minutes_doc, started
from braingain.core.errors import quote
from braingain.core.group import Group
from braingain.core.ids import MemberId, ProjectId
from braingain.core.members import Member
from braingain.core.platforms import Action, PlatformNote
from braingain.core.schedule.meetings import MeetingStatus

DRIVE = "drive"
ROOT = "root"
MINUTES = "minutes"
FOLDER_PREFIX = "drive.folder:"
SHARE_PREFIX = "drive.share:"
HAND_PREFIX = "drive.hand:"
DOC_PREFIX = "drive.doc:"
FILE_PREFIX = "drive.file:"

ROLES = ("reader", "commenter", "writer")
"""Drive's roles braingain grants, weakest first (never owner or organizer)."""


def stronger(role: str, other: str | None) -> str:
    """The stronger of two roles (``other`` may be ``None``)."""
    if other is None:
        return role
    return role if ROLES.index(role) >= ROLES.index(other) else other


@dataclass(frozen=True, slots=True)
class DrivePolicy:
    """How the group's Drive is kept (``[drive]`` in braingain.toml).

    ``leaders``: the role leaders get on the whole tree (``None``: none through braingain);
    ``members``: the role every active member gets on the group's Minutes folder (``None``: none);
    project folders are shared with their people as writers. ``notify``: whether Drive emails a
    person when a folder is shared with them (``sendNotificationEmail``). ``stage_folders``: one
    subfolder per stage in each project's folder; ``home`` where the group's folder is made, in words."""

    leaders: str | None = "writer"
    members: str | None = "reader"
    notify: bool = True
    stage_folders: bool = True
    home: str = "My Drive"
    """Where the group's folder is made, in words (``My Drive``, ``the folder set as [drive] parent``)."""

    def __post_init__(self) -> None:
        for role in (self.leaders, self.members):
            if role is not None and role not in ROLES:
                raise ValueError(f"no such Drive role: {quote(role)} (one of {', '.join(ROLES)})")


@dataclass(frozen=True, slots=True)
class FolderSpec:
    """One folder of the tree: its ``key``, ``name``, and the key of the folder it is in (``None``:
    the configured parent)."""

    key: str
    name: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class Grant:
    """Share folder ``folder`` with ``member`` as ``role``."""

    folder: str
    member: Member
    role: str


@dataclass(frozen=True, slots=True)
class Revoke:
    """Take away the permission ``permission`` braingain granted ``member`` on ``folder``."""

    folder: str
    member: MemberId
    name: str
    permission: str


@dataclass(frozen=True, slots=True)
class SaveMinutes:
    """Save ``doc`` as a Google Doc in its folder: a new Doc, or over ``replacing`` (the Doc braingain
    saved before, ``{"id", "modified"}``: replaced only when nobody edited it since)."""

    doc: MinutesDoc
    replacing: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class FileSpec:
    """A file braingain keeps in a folder of the tree: the folder's key, the file's ``name``
    (``gantt-P1.png``), its ``mime`` type, a ``fingerprint`` of its content (a new one: the file is
    saved again) and what it is, in words (``the Gantt chart of P1``)."""

    folder: str
    name: str
    mime: str
    fingerprint: str
    what: str

    @property
    def key(self) -> str:
        """The key the file carries on Drive (``appProperties``): ``file:<folder>/<name>``."""
        return f"file:{self.folder}/{self.name}"

    @property
    def subject(self) -> str:
        """``<folder>:<name>``: the action's subject and the memory key's tail."""
        return f"{self.folder}:{self.name}"


@dataclass(frozen=True, slots=True)
class SaveFile:
    """Save ``file`` in its folder: a new file, or a new version of ``replacing`` (the Drive id of the
    one braingain saved before)."""

    file: FileSpec
    replacing: str | None = None


def chart_files(charts: Iterable[Chart]) -> list[FileSpec]:
    """Each project's chart as the files kept in the project's folder: the PNG (to look at) and the SVG
    (to scale, or to edit for a paper), by project."""
    found: list[FileSpec] = []
    for chart in sorted(charts, key=lambda c: c.project):
        for extension, mime in (("png", PNG), ("svg", SVG)):
            what = f"{chart.what} as {extension.upper()}"
            found.append(FileSpec(chart.project, chart.name(extension), mime, chart.fingerprint, what))
    return found


@dataclass(frozen=True, slots=True)
class Held:
    """A folder braingain made: its Drive id, link and the name braingain gave it."""

    id: str
    url: str
    name: str


@dataclass(frozen=True, slots=True)
class HandShare:
    """A share a person made by hand (never touched): its permission id, role and who (a member's ID,
    a name, or words such as "anyone with the link"; never an email address)."""

    id: str
    role: str
    who: str


@dataclass
class DriveState:
    """What braingain remembers of the group's Drive (read from its memory)."""

    folders: dict[str, Held] = field(default_factory=dict)
    grants: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    """Folder key -> member ID -> (permission id, role)."""
    hand: dict[str, tuple[HandShare, ...]] = field(default_factory=dict)
    docs: dict[str, dict[str, str]] = field(default_factory=dict)
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    """``<folder key>:<name>`` -> ``{"id", "url", "fp"}`` of a file braingain saved."""

    @classmethod
    def of(cls, memory: Mapping[str, str]) -> DriveState:
        """Read from braingain's memory; a damaged value is left out (what it held is made again, or
        looked for first)."""
        state = cls()
        for key, text in memory.items():
            if not key.startswith("drive."):
                continue
            try:
                value = json.loads(text)
            except ValueError:
                continue
            if key.startswith(FOLDER_PREFIX) and isinstance(value, dict) and value.get("id"):
                state.folders[key.removeprefix(FOLDER_PREFIX)] = Held(
                    str(value["id"]), str(value.get("url", "")), str(value.get("name", ""))
                )
            elif key.startswith(SHARE_PREFIX) and isinstance(value, dict) and value.get("id"):
                folder, _, member = key.removeprefix(SHARE_PREFIX).rpartition(":")
                state.grants.setdefault(folder, {})[member] = (str(value["id"]), str(value.get("role", "")))
            elif key.startswith(HAND_PREFIX) and isinstance(value, list):
                state.hand[key.removeprefix(HAND_PREFIX)] = tuple(
                    HandShare(str(v.get("id", "")), str(v.get("role", "")), str(v.get("who", "")))
                    for v in value
                    if isinstance(v, dict)
                )
            elif key.startswith(DOC_PREFIX) and isinstance(value, dict) and value.get("id"):
                state.docs[key.removeprefix(DOC_PREFIX)] = {str(k): str(v) for k, v in value.items()}
            elif key.startswith(FILE_PREFIX) and isinstance(value, dict) and value.get("id"):
                state.files[key.removeprefix(FILE_PREFIX)] = {str(k): str(v) for k, v in value.items()}
        return state


def remember_folder(memory: MutableMapping[str, str], key: str, file_id: str, url: str, name: str) -> None:
    memory[FOLDER_PREFIX + key] = json.dumps({"id": file_id, "url": url, "name": name})


def remember_grant(
    memory: MutableMapping[str, str], folder: str, member: str, permission: str, role: str
) -> None:
    memory[f"{SHARE_PREFIX}{folder}:{member}"] = json.dumps({"id": permission, "role": role})


def forget_grant(memory: MutableMapping[str, str], folder: str, member: str) -> None:
    memory.pop(f"{SHARE_PREFIX}{folder}:{member}", None)


def remember_hand(memory: MutableMapping[str, str], folder: str, shares: Iterable[HandShare]) -> None:
    found = sorted(shares, key=lambda s: s.id)
    if found:
        memory[HAND_PREFIX + folder] = json.dumps([{"id": s.id, "role": s.role, "who": s.who} for s in found])
    else:
        memory.pop(HAND_PREFIX + folder, None)


def remember_doc(memory: MutableMapping[str, str], meeting: str, result: Mapping[str, Any]) -> None:
    memory[DOC_PREFIX + meeting] = json.dumps(
        {k: str(result[k]) for k in ("id", "url", "fp", "modified", "folder") if k in result}
    )


def remember_file(memory: MutableMapping[str, str], subject: str, result: Mapping[str, Any]) -> None:
    """Remember the file ``subject`` (``<folder key>:<name>``) braingain saved: its id, link, fingerprint."""
    memory[FILE_PREFIX + subject] = json.dumps(
        {k: str(result[k]) for k in ("id", "url", "fp") if k in result}
    )


# -- the tree as it should be -------------------------------------------------------------------


def project_folder_name(group: Group, project: ProjectId) -> str:
    found = group.projects[project]
    return f"{found.id} {found.title}"


def desired_folders(group: Group, policy: DrivePolicy) -> list[FolderSpec]:
    """Every folder of the tree, each after the folder it is in (see the module docstring)."""
    folders = [FolderSpec(ROOT, group.name, None), FolderSpec(MINUTES, "Minutes", ROOT)]
    for project in sorted(group.projects.values(), key=lambda p: p.id):
        folders.append(FolderSpec(project.id, project_folder_name(group, project.id), ROOT))
        if policy.stage_folders:
            width = len(str(len(project.stages)))  # 01 ... 12: the stages in order wherever names are sorted
            for number, stage in enumerate(project.stages, start=1):
                name = f"{number:0{width}d} {stage.name}"
                folders.append(FolderSpec(f"{project.id}/stage:{stage.key}", name, project.id))
        folders.append(FolderSpec(f"{project.id}/{MINUTES}", "Minutes", project.id))
    return folders


def project_people(group: Group, project: ProjectId, *, on: datetime) -> list[Member]:
    """Who works on ``project`` on the day of ``on``: its lead, and each task's supervising leader,
    mini-team head and contributors (tasks not cancelled), if active then; by ID."""
    ids: set[str] = {group.projects[project].lead}
    for task in group.project_tasks(project):
        if task.status is TaskStatus.CANCELLED:
            continue
        ids.add(task.supervisor)
        if task.head is not None:
            ids.add(task.head)
        ids.update(task.contributors)
    day = on.date()
    found = [group.members[MemberId(m)] for m in ids if MemberId(m) in group.members]
    return sorted((m for m in found if m.is_active_on(day)), key=lambda m: m.id)


def desired_shares(
    group: Group, policy: DrivePolicy, *, on: datetime
) -> dict[str, dict[str, tuple[Member, str]]]:
    """Folder key -> member ID -> (the member, the role braingain should grant them there)."""
    day = on.date()
    active = sorted((m for m in group.members.values() if m.is_active_on(day)), key=lambda m: m.id)
    shares: dict[str, dict[str, tuple[Member, str]]] = {ROOT: {}, MINUTES: {}}
    if policy.leaders is not None:
        shares[ROOT] = {m.id: (m, policy.leaders) for m in active if m.is_leader}
    if policy.members is not None:
        shares[MINUTES] = {
            m.id: (m, policy.members) for m in active if not m.is_leader or policy.leaders is None
        }
    inherited = policy.leaders == "writer"  # a leader already writes everywhere through the group's folder
    for project in sorted(group.projects):
        people = project_people(group, project, on=on)
        shares[project] = {m.id: (m, "writer") for m in people if not (inherited and m.is_leader)}
    return shares


# -- the actions --------------------------------------------------------------------------------


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _where(group: Group, key: str) -> str:
    """A folder in words: "the group's folder", "the folder of P1", "the Minutes folder of P1"."""
    if key == ROOT:
        return "the group's folder"
    if key == MINUTES:
        return "the group's Minutes folder"
    project, _, rest = key.partition("/")
    if not rest:
        return f"the folder of {project}"
    if rest == MINUTES:
        return f"the Minutes folder of {project}"
    return f"the folder of the stage {rest.removeprefix('stage:')} of {project}"


def minutes_folder(group: Group, meeting: str) -> str:
    """The key of the folder ``meeting``'s minutes go in: its project's Minutes, else the group's."""
    record = group.records.get(meeting)
    if record is not None and record.project is not None and record.project in group.projects:
        return f"{record.project}/{MINUTES}"
    return MINUTES


def drive_actions(
    group: Group,
    memory: Mapping[str, str],
    policy: DrivePolicy,
    *,
    now: datetime,
    files: Iterable[FileSpec] = (),
) -> tuple[list[Action[object]], list[PlatformNote]]:
    """Every Drive action due now, in the order they are applied (folders before what goes in them),
    and what a leader should know (shares made by hand, members without an email address). ``files``
    are kept in their folders (:func:`chart_files`): saved once, and again only when their fingerprint
    changes. No I/O."""
    state = DriveState.of(memory)
    actions: list[Action[object]] = []
    notes: list[PlatformNote] = []
    for folder in desired_folders(group, policy):
        held = state.folders.get(folder.key)
        where = _where(group, folder.key)
        if held is None:
            actions.append(
                Action(
                    f"{DRIVE}:folder:{folder.key}",
                    DRIVE,
                    "folder",
                    folder.key,
                    f"make the folder {quote(folder.name)} in "
                    + (_where(group, folder.parent) if folder.parent else policy.home),
                    folder,
                )
            )
        elif held.name != folder.name:
            actions.append(
                Action(
                    f"{DRIVE}:rename:{folder.key}:{_fingerprint(folder.name)}",
                    DRIVE,
                    "rename",
                    folder.key,
                    f"rename {where} from {held.name} to {folder.name}",
                    folder,
                )
            )
    wanted = desired_shares(group, policy, on=now)
    for key in sorted(set(wanted) | set(state.grants)):
        where = _where(group, key)
        hand = {s.who for s in state.hand.get(key, ())}
        granted = state.grants.get(key, {})
        for member_id, (member, role) in sorted(wanted.get(key, {}).items()):
            if member_id in hand:
                continue  # shared by hand: left as the person made it (and said below)
            mine = granted.get(member_id)
            if mine is not None and mine[1] == role:
                continue
            if member.email is None:
                notes.append(
                    PlatformNote(
                        DRIVE,
                        f"{member.name} has no email address on the Members tab, so {where} is not shared "
                        "with them: add it and sync again",
                    )
                )
                continue
            actions.append(
                Action(
                    f"{DRIVE}:share:{key}:{member_id}:{role}",
                    DRIVE,
                    "share",
                    key,
                    f"share {where} with {member.name} ({role})",
                    Grant(key, member, role),
                )
            )
        for member_id, (permission, _) in sorted(granted.items()):
            if member_id in wanted.get(key, {}):
                continue
            found = group.members.get(MemberId(member_id))
            name = found.name if found is not None else member_id
            actions.append(
                Action(
                    f"{DRIVE}:unshare:{key}:{member_id}",
                    DRIVE,
                    "unshare",
                    key,
                    f"stop sharing {where} with {name} "
                    f"(braingain shared it; {_why_not(group, key, found, now)})",
                    Revoke(key, MemberId(member_id), name, permission),
                )
            )
    for key, shares in sorted(state.hand.items()):
        where = _where(group, key)
        for share in shares:
            found = group.members.get(MemberId(share.who))
            who = found.name if found is not None else share.who
            notes.append(
                PlatformNote(
                    DRIVE,
                    f"{where[:1].upper()}{where[1:]} is also shared with {who} ({share.role}), by hand: "
                    "braingain leaves it as it is",
                )
            )
    for meeting in group.meetings_by(now):
        if meeting.status is MeetingStatus.CANCELLED or not started(meeting, now):
            continue
        into = minutes_folder(group, meeting.id)
        doc = minutes_doc(group, meeting, into)
        if doc is None:
            continue
        saved = state.docs.get(meeting.id)
        if saved is None:
            actions.append(
                Action(
                    f"{DRIVE}:minutes:{meeting.id}",
                    DRIVE,
                    "minutes",
                    meeting.id,
                    f"save the minutes of {meeting.id} as a Google Doc in {_where(group, into)}",
                    SaveMinutes(doc),
                )
            )
        elif saved.get("fp") != doc.fingerprint:
            actions.append(
                Action(
                    f"{DRIVE}:minutes:{meeting.id}:{doc.fingerprint}",
                    DRIVE,
                    "minutes",
                    meeting.id,
                    f"save the corrected minutes of {meeting.id} in {_where(group, into)}",
                    SaveMinutes(doc, saved),
                )
            )
    folder_keys = {f.key for f in desired_folders(group, policy)}
    for spec in sorted(files, key=lambda f: (f.folder, f.name)):
        if spec.folder not in folder_keys:
            continue
        saved = state.files.get(spec.subject)
        if saved is not None and saved.get("fp") == spec.fingerprint:
            continue
        verb = "save" if saved is None else "save the new version of"
        actions.append(
            Action(
                f"{DRIVE}:file:{spec.subject}:{spec.fingerprint}",
                DRIVE,
                "file",
                spec.subject,
                f"{verb} {spec.what}, {spec.name}, in {_where(group, spec.folder)}",
                SaveFile(spec, saved["id"] if saved is not None else None),
            )
        )
    return actions, notes


def _why_not(group: Group, key: str, member: Member | None, now: datetime) -> str:
    if member is None:
        return "they are no longer on the Members tab"
    if not member.is_active_on(now.date()):
        return "they have left the group"
    if key in (ROOT, MINUTES):
        return "their role changed"
    return f"they work on no task of {key.partition('/')[0]}"


def folder_links(memory: Mapping[str, str]) -> dict[str, str]:
    """Each project's folder link, by project ID (the Projects tab's Folder)."""
    state = DriveState.of(memory)
    return {
        key: held.url for key, held in state.folders.items() if key not in (ROOT, MINUTES) and "/" not in key
    }


def doc_links(memory: Mapping[str, str]) -> dict[str, str]:
    """Each meeting's minutes Doc link, by meeting ID (the Meetings tab's Minutes doc)."""
    return {meeting: doc["url"] for meeting, doc in DriveState.of(memory).docs.items() if doc.get("url")}
