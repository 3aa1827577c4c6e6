"""The whole trail of the Ledger, entry by entry, for ``braingain report ledger --verify``.

Every entry braingain remembers (:class:`~braingain.core.authorship.integrity.LedgerMemory`), in the
Ledger's order, with what counts, its status against what was recorded, and its link in the
chain; then every Ledger row that does not count, with why.
"""

from __future__ import annotations

from dataclasses import dataclass

from braingain.core.authorship.integrity import chain_links, entry_of
from braingain.core.authorship.ledger import LedgerEntry
from braingain.core.ids import EntryId
from braingain.core.tracker.read import ReadResult
from braingain.core.tracker.schema import row_id

STATUSES = ("intact", "edited", "moved", "deleted", "restored", "new", "to add", "not counted")
"""What an entry's status may be: as recorded; typed differently on the tab (the recorded entry
counts); moved from its place; deleted from the tab (written back by the sync); written back after
it was deleted; accepted now from a new row; about to be added by the sync (an award or a dispute
resolution); a row on the tab that does not count (see its problems)."""


@dataclass(frozen=True, slots=True)
class TrailItem:
    id: str
    status: str
    """One of :data:`STATUSES`."""
    entry: LedgerEntry | None
    """The entry as recorded (what counts); ``None`` for a row that does not count."""
    row: int
    """Its row on the Ledger tab (0: not there now)."""
    link: str = ""
    """Its link in the chain (hex): the SHA-256 over every remembered entry up to it."""
    changes: tuple[tuple[str, str, str], ...] = ()
    """What is typed differently: (header, recorded, typed)."""
    restored_on: str = ""
    problems: tuple[str, ...] = ()

    @property
    def counts(self) -> bool:
        return self.entry is not None and self.status != "not counted"


def ledger_trail(read: ReadResult) -> list[TrailItem]:
    """Every entry braingain remembers after ``read`` (in the Ledger's order), then every Ledger row
    that does not count."""
    memory = read.state.ledger
    table = read.tables.get("ledger")
    rows: dict[str, int] = {}
    for r in table.rows if table is not None else ():
        rows.setdefault(row_id(r.get("id")), r.number)
    counted = {e.id: e for e in read.group.ledger}
    adding = {e.id for e in read.new_entries}
    found: list[TrailItem] = []
    texts = memory.texts if memory is not None else {}
    for (ident, text), link in zip(texts.items(), chain_links(texts.items()), strict=True):
        finding = read.findings.get(ident)
        restored = memory.restored.get(ident, "") if memory is not None else ""
        status = (
            finding.status
            if finding is not None
            else "to add"
            if ident in adding
            else "restored"
            if restored
            else "intact"
        )
        found.append(
            TrailItem(
                ident,
                status,
                counted.get(ident) or entry_of(ident, text),
                finding.row if finding is not None else rows.get(ident, 0),
                link,
                finding.changes if finding is not None else (),
                restored,
            )
        )
    title = table.tab.title if table is not None else ""
    for typed, number in rows.items():
        if typed and EntryId(typed) not in texts and typed not in read.findings:
            said = tuple(
                f"{p.column}: {p.reason}" for p in read.problems if p.tab == title and p.row == number
            )
            found.append(TrailItem(typed, "not counted", None, number, problems=said))
    return found
