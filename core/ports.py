"""The ports: small abstractions the core owns and the adapters implement.

The core never imports an adapter; the composition root
(``braingain.integrations.compose``) picks one per platform and hands it in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from braingain.core.drive.folders import FileSpec, FolderSpec
from braingain.core.drive.minutes import MinutesDoc
from braingain.core.group import Group
from braingain.core.members import Member
from braingain.core.messaging.outgoing import Outgoing
from braingain.core.outcomes import MeetingLink
from braingain.core.schedule.attendance import Attendee
from braingain.core.schedule.conferencing import DesiredMeeting
from braingain.core.schedule.invitations import Invitation
from braingain.core.tracker.schema import Snapshot, TrackerWrite, Unwritten


class TrackerBackend(Protocol):
    """Where the group's tracker lives: a Google Sheet or a local workbook."""

    @property
    def location(self) -> str:
        """Where the tracker is, for messages (never a secret): a path or a spreadsheet id."""
        ...

    def read(self) -> Snapshot:
        """Every tab's cells, in as few requests as the backend allows."""
        ...

    def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
        """Apply structural changes first, then every cell write, all in one go.

        Returns what was held back because a person changed the tab between the read and the
        write (empty: everything was written); the next sync writes it."""
        ...


class Conferencing(Protocol):
    """Where the group meets online (Zoom). Each method is one look or one change; an adapter raises
    its platform's errors (``braingain.integrations.errors.PlatformError`` and below)."""

    def existing(self) -> Mapping[str, MeetingLink]:
        """Every meeting ahead that carries a braingain key
        (:func:`~braingain.core.schedule.conferencing.zoom_key`), by key, in one look (all pages):
        how a create whose answer was lost is found again, never made twice."""
        ...

    def create(self, meeting: DesiredMeeting) -> MeetingLink:
        """Make ``meeting``, carrying its key."""
        ...

    def update(self, link: MeetingLink, meeting: DesiredMeeting) -> MeetingLink | None:
        """Bring the meeting at ``link`` to ``meeting``; ``None`` when it is gone (deleted by hand)."""
        ...

    def delete(self, link: MeetingLink) -> None:
        """Delete the meeting at ``link`` (one already gone is not an error)."""
        ...

    def attendees(self, link: MeetingLink) -> Sequence[Attendee] | None:
        """Everyone who joined the meeting at ``link`` once it is over, or ``None`` when the platform
        has no record of it being held."""
        ...


class InvitationOutbox(Protocol):
    """Where calendar invitations go: the workspace's invitations folder until email is set up."""

    def issue(self, invitation: Invitation, *, at: datetime) -> str:
        """Deliver ``invitation`` (RFC 5545, METHOD REQUEST or CANCEL); returns where it went, in words
        (a file's path; never an email address). ``at`` (aware) stamps it (DTSTAMP). Delivering the
        same invitation again is harmless."""
        ...


@dataclass(frozen=True, slots=True)
class Upload:
    """A file to share in a thread: its ``name`` (``gantt-P1.png``), ``title`` (what a person reads),
    ``alt`` (a sentence saying what an image shows, for a screen reader), ``mime`` type and ``data``."""

    name: str
    title: str
    alt: str
    mime: str
    data: bytes


class Chat(Protocol):
    """Where the group talks: Slack, or the workspace's outbox until Slack is set up. Each method is
    one look or one change; an adapter raises its platform's errors
    (``braingain.integrations.errors.PlatformError`` and below)."""

    def channel(self, name: str) -> str:
        """The id of the public channel ``name`` (without #), made when missing, with braingain in it
        (joined when it was not). Asking again for the same name is harmless."""
        ...

    def invite(self, channel: str, members: Sequence[Member]) -> tuple[str, ...]:
        """Add ``members`` to ``channel`` (by their Slack user ID, or found by their email address);
        one already in it is not an error. Returns, in words, who could not be added and why (a
        member's name, never their email address)."""
        ...

    def post(self, channel: str, message: Outgoing, *, group: Group) -> str:
        """Post ``message`` to ``channel`` (a channel id, or a member's Slack user ID for a direct
        message), carrying its key so that it can be found again; returns its timestamp (``ts``).
        ``group`` is the group it is about (members' names, tasks' titles for the rendering)."""
        ...

    def find(self, channel: str, key: str, *, since: datetime) -> str | None:
        """The timestamp of the message carrying ``key`` that was posted to ``channel`` since ``since``,
        or ``None``: how a post whose answer was lost is found again, never sent twice."""
        ...

    def attach(self, channel: str, thread: str, upload: Upload) -> str:
        """Share ``upload`` in ``channel`` as a reply to the message ``thread`` (its ``ts``, as
        :meth:`post` returned it); returns the file's id (or where it was kept, for an outbox)."""
        ...

    def attached(self, channel: str, thread: str, name: str) -> str | None:
        """The id of the file named ``name`` shared in reply to ``thread`` in ``channel``, or ``None``:
        how an upload whose answer was lost is found again, never shared twice."""
        ...


class Mail(Protocol):
    """Where email goes: the group's mail server, or the workspace's outbox until it is set up."""

    def send(
        self,
        message: Outgoing,
        to: Member,
        *,
        group: Group,
        invitation: Invitation | None = None,
        handing: Callable[[], None] | None = None,
    ) -> str:
        """Send ``message`` to ``to`` (their email address), with ``invitation`` attached (RFC 5545) when
        given, under a Message-ID made from the message's key (the same message whenever it is sent).
        ``group`` is the group it is about. ``handing`` is called once the server took the sender and
        recipient, just before the message itself is handed over (SMTP's DATA): from then on the
        outcome may be unknown (see ``braingain.integrations.engine.messages``). Returns where it
        went, in words (never an email address)."""
        ...


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file or folder on the group's Drive, as the adapter found or made it.

    ``id``: Drive's file id; ``url``: where a person opens it (``webViewLink``, or a local path);
    ``name``; ``modified``: when its content last changed (RFC 3339 text, compared only for equality);
    ``key``: the braingain key it carries (its ``appProperties``), ``""`` when none."""

    id: str
    url: str
    name: str
    modified: str = ""
    key: str = ""


@dataclass(frozen=True, slots=True)
class Permission:
    """One permission on a folder: Drive's ``id`` and ``role``, its ``kind`` (``user``, ``group``,
    ``domain``, ``anyone``), the ``email`` it names (kept in memory only, never written or logged),
    a ``name`` to show (a display name or a domain; never an email address), and whether it is
    ``inherited`` from a folder above (only permissions set on the folder itself are changed)."""

    id: str
    role: str
    kind: str
    email: str = ""
    name: str = ""
    inherited: bool = False


class Drive(Protocol):
    """Where the group keeps its documents: Google Drive, or a folder tree in the workspace until it
    is set up. Each method is one look or one change; an adapter raises its platform's errors
    (``braingain.integrations.errors.PlatformError`` and below)."""

    def new_ids(self, count: int) -> tuple[str, ...]:
        """``count`` fresh file ids to create with (Drive's ``files.generateIds``): a create whose answer
        was lost is then found again by its id at once, never by a search (which lags)."""
        ...

    def find(self, tag: str) -> Mapping[str, StoredFile]:
        """Every file braingain made for the group tagged ``tag`` (not in the bin), by its key, in one
        look (all pages): how folders are found again when braingain's memory of them was lost."""
        ...

    def look(self, file_id: str) -> StoredFile | None:
        """The file ``file_id``, or ``None`` when it is not there (never made, deleted, or in the bin)."""
        ...

    def make_folder(self, folder: FolderSpec, *, parent: str | None, file_id: str, tag: str) -> StoredFile:
        """Make ``folder`` with the id ``file_id`` (from :meth:`new_ids`) in the folder ``parent`` (a
        Drive id; ``None``: the configured parent), carrying ``tag`` and its key. When a file with that
        id already exists (an earlier try did make it), it is returned as it is."""
        ...

    def rename(self, file_id: str, name: str) -> StoredFile | None:
        """Give the file ``file_id`` the name ``name``; ``None`` when it is not there."""
        ...

    def shares(self, file_id: str) -> Sequence[Permission]:
        """Every permission on the folder ``file_id`` (all pages), its owner's too."""
        ...

    def share(self, file_id: str, email: str, role: str, *, notify: bool, name: str) -> Permission:
        """Share the folder ``file_id`` with the person at ``email`` as ``role``, telling them by email
        when ``notify`` (``sendNotificationEmail``, always sent explicitly); ``name`` is the member's
        name, for an adapter that shows who a folder is shared with (never their email address)."""
        ...

    def unshare(self, file_id: str, permission_id: str) -> None:
        """Take the permission ``permission_id`` off the folder ``file_id`` (one already gone is not an
        error)."""
        ...

    def save_doc(self, doc: MinutesDoc, *, parent: str, file_id: str, tag: str) -> StoredFile:
        """Save ``doc`` as a Google Doc (converted on upload) with the id ``file_id`` in the folder
        ``parent``, carrying ``tag`` and the key ``minutes:<meeting>``; one already made with that id
        is returned as it is."""
        ...

    def replace_doc(self, file_id: str, doc: MinutesDoc) -> StoredFile | None:
        """Put ``doc`` in place of the content of the Doc ``file_id``; ``None`` when it is not there."""
        ...

    def save_file(self, file: FileSpec, data: bytes, *, parent: str, file_id: str, tag: str) -> StoredFile:
        """Save ``data`` (``file.mime``, uploaded as it is, never converted) as ``file.name`` with the id
        ``file_id`` in the folder ``parent``, carrying ``tag`` and the key ``file.key``; one already made
        with that id is returned as it is."""
        ...

    def replace_file(self, file_id: str, file: FileSpec, data: bytes) -> StoredFile | None:
        """Put ``data`` in place of the content of the file ``file_id`` (a new version; its id and link
        stay); ``None`` when it is not there (deleted, or in the bin)."""
        ...
