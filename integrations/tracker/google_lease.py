"""The Google Sheet's sync lease: one developer-metadata entry that keeps two syncs' writes apart.

Two syncs of one tracker (a timer's and a leader's) must never interleave their writes, and
on Google a sync may spend no request on it: a sync that writes nothing costs two requests,
one that writes costs its reads, the guard read and one write (see ``docs/architecture.md``,
"Two syncs at once"). So the lease rides in requests the sync sends anyway:

- **The entry.** Spreadsheet-level developer metadata with the fixed id :data:`LEASE_ID`, the
  key :data:`LEASE_KEY` and ``DOCUMENT`` visibility (every Cloud project that can edit the
  sheet sees it; no person does). Its value is JSON: the writing sync's random token, when it
  took the lease, and, while the lease is held, when it ends (``until``).
- **Read for free.** The metadata read asks for it (:data:`FIELDS` in its field mask).
- **Every write batch starts with a swap** (:meth:`Keeper.swap`): delete the entry *as this
  sync read it* (its id and its value), then create it anew with this sync's value. Google
  refuses to create developer metadata with an id that is in use, and applies a batchUpdate
  all or nothing. So if another sync wrote since this sync read (every write replaces the
  value, and every value is new), the delete finds nothing, the create is refused, and
  nothing of this sync's batch (none of its cells) is applied: :class:`SyncBusy`, written
  nothing. Whether Google refuses the delete that finds nothing or the create after it, the
  batch fails either way; :func:`refused` knows both.
- **A write of two batches holds the lease between them.** A sync that must add tabs or
  columns first writes ``until`` (its clock plus :data:`TTL`) with that structural batch and
  releases the lease (no ``until``) in its last batch, or, when that batch fails for another
  reason, in one batch of its own (:meth:`Keeper.holds`). Another sync that reads a held lease
  does not write (:meth:`Keeper.check`): it waits and tries again, or says another sync is
  running. A sync that was stopped between the two batches holds the sheet only until
  ``until``; after that the next sync swaps the stale lease away like any other.
- **A lease is never trusted for safety.** Clocks may disagree and a lease may expire while
  its sync still writes; the swap is what keeps writes apart, the lease only keeps a second
  sync from doing work that the swap would then refuse.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from braingain.core.errors import quote
from braingain.integrations.errors import SyncBusy, TrackerError
from braingain.integrations.text import busy_google, raced_google

JSON = dict[str, Any]

LEASE_ID = 1_651_665_257
"""The lease's developer-metadata id: fixed, positive, 32 bits (the bytes ``b"brai"`` as a number)."""
LEASE_KEY = "braingain.sync"
FIELDS = "developerMetadata(metadataId,metadataKey,metadataValue)"
"""What the metadata read adds to its field mask to see the lease (spreadsheet-level metadata only)."""
TTL = timedelta(minutes=2)
"""How long a lease taken for a write of two batches lasts, from the holder's clock."""

PLATFORMS_TTL = timedelta(minutes=15)
"""How long a lease taken before a sync's platform actions (Zoom, Slack, email) lasts, from the
holder's clock: its write releases it sooner; a sync stopped dead holds the sheet no longer."""

_WHERE = {"spreadsheet": True}
_REFUSAL = re.compile(r"Invalid requests\[(\d+)\]\.(?:create|delete)DeveloperMetadata\b")


@dataclass(frozen=True, slots=True)
class Lease:
    """The lease entry as a read found it; ``raw`` is ``None`` when there is none."""

    raw: str | None = None
    sync: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def held_against(self, token: str, now: datetime) -> bool:
        """Whether another sync than ``token``'s holds the lease at ``now`` (an aware datetime)."""
        return self.until is not None and self.sync != token and now < self.until


def found(metadata: JSON) -> Lease:
    """The lease in a ``spreadsheets.get`` answer that asked for :data:`FIELDS`.

    Raises :class:`TrackerError` when the id is taken by developer metadata that is not
    braingain's (another program's), which would make every write fail. A value that is not
    braingain's JSON is a lease nobody holds (it is still swapped away exactly as read).
    """
    entries = metadata.get("developerMetadata")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("metadataId") != LEASE_ID:
            continue
        if entry.get("metadataKey") != LEASE_KEY:
            raise TrackerError(
                f"the Google Sheet's developer metadata {LEASE_ID} belongs to something else "
                f"(key {quote(str(entry.get('metadataKey')))}), and braingain needs that id to keep "
                "two syncs apart, so nothing was written",
                hint="remove that developer metadata (it is not visible in the sheet itself) or copy the "
                "tabs into a new sheet, then sync again",
            )
        raw = entry.get("metadataValue")
        return _parsed(raw if isinstance(raw, str) else "")
    return Lease()


def _parsed(raw: str) -> Lease:
    try:
        data = json.loads(raw)
    except ValueError:
        return Lease(raw)
    if not isinstance(data, dict):
        return Lease(raw)
    sync = data.get("sync")
    return Lease(
        raw, sync if isinstance(sync, str) else None, _moment(data.get("since")), _moment(data.get("until"))
    )


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def refused(message: str, swapped: int) -> bool:
    """Whether Google's 400 ``message`` refused one of the first ``swapped`` requests: the swap."""
    match = _REFUSAL.match(message)
    return match is not None and int(match.group(1)) < swapped


class Keeper:
    """One sync's side of the lease: what its plan is based on, and the requests that swap the lease.

    ``spreadsheet`` is the sheet's id (for messages); ``clock`` gives aware datetimes; ``token``
    names this sync (random unless given).
    """

    def __init__(self, spreadsheet: str, clock: Callable[[], datetime], *, token: str | None = None) -> None:
        self.spreadsheet = spreadsheet
        self.clock = clock
        self.token = token or secrets.token_hex(8)
        self.expected = Lease()
        """The entry as it is if no other sync has written: as read, then as this sync's batches left it."""

    def seen(self, lease: Lease) -> None:
        """A read found ``lease``: this sync's plan is based on it."""
        self.expected = lease

    def check(self) -> None:
        """Raise :class:`SyncBusy` (before anything is sent) if another sync holds the lease now."""
        lease = self.expected
        if lease.until is not None and lease.held_against(self.token, self.clock()):
            message, hint = busy_google(self.spreadsheet, lease.since, lease.until)
            raise SyncBusy(self.spreadsheet, message, hint=hint)

    def holds(self) -> bool:
        """Whether this sync holds the lease (its last batch took it with an ``until``): the next
        batch must be sent, if only to release it."""
        lease = self.expected
        return lease.until is not None and lease.sync == self.token

    def swap(self, *, hold: bool, ttl: timedelta = TTL) -> tuple[list[JSON], str]:
        """The requests that start a write batch, and the value they put in the entry.

        ``hold``: more batches of this write follow (or the sync's platform actions:
        :data:`PLATFORMS_TTL`), so the lease is held until now + ``ttl``.
        """
        now = self.clock()
        value: JSON = {"sync": self.token, "since": now.isoformat(timespec="seconds")}
        if hold:
            value["until"] = (now + ttl).isoformat(timespec="seconds")
        text = json.dumps(value, separators=(",", ":"))
        requests_: list[JSON] = []
        if self.expected.raw is not None:
            lookup = {"metadataId": LEASE_ID, "metadataValue": self.expected.raw}
            requests_.append({"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": lookup}}})
        entry = {
            "metadataId": LEASE_ID,
            "metadataKey": LEASE_KEY,
            "metadataValue": text,
            "location": _WHERE,
            "visibility": "DOCUMENT",
        }
        requests_.append({"createDeveloperMetadata": {"developerMetadata": entry}})
        return requests_, text

    def landed(self, value: str) -> None:
        """The batch that put ``value`` in the entry was applied."""
        self.expected = _parsed(value)

    def settle(self, now_seen: Lease, expected: Lease, attempted: str) -> bool:
        """After a batch whose answer was lost: whether it landed (``now_seen`` holds ``attempted``).

        ``False``: it did not land and may be sent again (the entry is still ``expected``).
        Raises :class:`SyncBusy` when another sync wrote meanwhile.
        """
        if now_seen.raw == attempted:
            self.landed(attempted)
            return True
        self.expected = expected
        if now_seen.raw != expected.raw:
            raise self.raced()
        return False

    def raced(self) -> SyncBusy:
        """Another sync wrote between this sync's read and its write: nothing of this batch was applied."""
        message, hint = raced_google(self.spreadsheet)
        return SyncBusy(self.spreadsheet, message, hint=hint)
