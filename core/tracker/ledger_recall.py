"""The Ledger tab, compared row by row with every entry braingain recorded or accepted.

braingain remembers each Ledger entry whole (:class:`~braingain.core.authorship.integrity.LedgerMemory`,
kept in its state tab). On each read, :class:`Recall` checks every row against it:

- a row as recorded counts as it is;
- a row typed differently (any field: kind, member, project, task, what it corrects, points,
  reason, who recorded it and when) is reported on each changed column, with the recorded and
  the typed value, and the recorded entry keeps counting (a correction is a new row);
- a row whose ID was changed is reported on its ID, and counts under the recorded ID;
- a remembered entry no longer on the tab counts as recorded and is written back at the foot
  of the tab, with a note in its Sync note saying why (:func:`restores`);
- a row moved to another place is reported (:meth:`Recall.moved`).

Rows braingain does not remember are new entries, checked as such (``tracker_read._entry``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from braingain.core.authorship.integrity import (
    FIELDS,
    LedgerMemory,
    entry_of,
    entry_text,
    instant_text,
    out_of_order,
)
from braingain.core.authorship.ledger import EntryKind, Ledger, LedgerEntry
from braingain.core.authorship.points import points
from braingain.core.errors import DomainError, quote
from braingain.core.ids import EntryId, MemberId, ProjectId
from braingain.core.members import Member
from braingain.core.parsing import parse_enum
from braingain.core.projects import Project
from braingain.core.tracker import cells
from braingain.core.tracker.rows import AUTHORSHIP, AWARDED, TOTALS, Hold, Known, Reading, RowReader
from braingain.core.tracker.schema import (
    Cell,
    Merged,
    Problem,
    Table,
    Uncalculated,
    as_text,
    index_by_id,
    is_unreadable,
)
from braingain.core.words import day_said


def ledger_points(value: Cell) -> Decimal | None:
    """Points to the cent, as the ledger makes them: 1 read back is the 1.00 that was written, so
    what is computed from it reads the same on every sync."""
    found = cells.points_value(value)
    return points(found) if found is not None else None


def member_zone(who: Member | None) -> ZoneInfo | None:
    """The zone a member's own date-times are read in: their Time zone (``None`` if unreadable)."""
    return who.zone if who is not None else None


def _shown(value: object) -> str:
    return "empty" if value is None or value == "" else quote(str(value))


@dataclass(frozen=True, slots=True)
class Finding:
    """What a sync found of one remembered Ledger entry that is not on the tab as recorded."""

    status: str
    """``edited``, ``moved``, ``deleted`` (written back by this sync, unless a row without an ID waits)
    or ``new`` (a row accepted now: remembered from this sync on)."""
    row: int
    """Its row on the Ledger tab (0: not there)."""
    changes: tuple[tuple[str, str, str], ...] = ()
    """Each field typed differently: (header, recorded, typed), as shown."""


class Recall:
    """The Ledger tab compared, row by row, with the entries braingain remembers
    (:class:`~braingain.core.authorship.integrity.LedgerMemory`): the recorded entry keeps counting, and
    every difference is reported on its row and column, with the recorded and the typed value."""

    def __init__(
        self,
        memory: LedgerMemory | None,
        on_sheet: set[str],
        ledger: Ledger,
        members: Known[MemberId, Member],
        projects: Known[ProjectId, Project],
    ) -> None:
        self.memory = memory
        self.texts: Mapping[EntryId, str] = memory.texts if memory is not None else {}
        self.ledger, self.members, self.projects = ledger, members, projects
        self.missing = [i for i in self.texts if i not in on_sheet]
        self._by_text = {self.texts[i]: i for i in self.missing}
        self.placed: list[tuple[int, EntryId, str | None]] = []
        """Each remembered or newly accepted entry on the tab, in the tab's order: (row, ID, the text
        of a new one)."""
        self.found: dict[EntryId, Finding] = {}
        self.renamed: dict[EntryId, str] = {}

    def preload(self, reading: Reading, title: str) -> None:
        """The entries deleted from the tab (or given another ID) count as recorded; they are in the
        ledger before any row, so that a row correcting one reads."""
        for ident in self.missing:
            entry = self.memory.entry(ident) if self.memory is not None else None
            if entry is None:
                continue
            if entry.member_id in self.members and entry.project_id in self.projects:
                self.ledger.keep(entry)
            else:  # what it refers to is held: its decisions wait, as for a held row
                names = {("member", str(entry.member_id)), ("project", str(entry.project_id))}
                reading.holds.append(
                    Hold(title, 0, frozenset(names | ({("task", entry.task_id)} if entry.task_id else set())),
                         frozenset({TOTALS, AUTHORSHIP, AWARDED}))
                )  # fmt: skip

    def accepted(self, r: RowReader, entry: LedgerEntry | None) -> LedgerEntry | None:
        """A new row, accepted (``entry``) or not (``None``): remembered from this sync on."""
        if entry is not None:
            self.placed.append((r.row.number, entry.id, entry_text(entry)))
            self.found[entry.id] = Finding("new", r.row.number)
        return entry

    def renamed_from(self, r: RowReader, entry: LedgerEntry) -> bool:
        """Whether a new row is a remembered entry whose ID was changed: then it is reported, and the
        recorded entry (under its own ID) keeps counting."""
        if not self._by_text:
            return False
        old = self._by_text.get(entry_text(entry))
        if old is None or old in self.renamed:
            return False
        self.renamed[old] = r.ident
        self.placed.append((r.row.number, old, None))
        self.found[old] = Finding("edited", r.row.number, (("ID", old, r.ident),))
        r.problem(
            "id",
            f"this entry was recorded as {quote(old)}, and the Ledger is append-only: the new ID is not "
            f"applied, and it keeps counting as {quote(old)}. Put {quote(old)} back; to change an entry, a "
            "leader records a correcting entry on a new row",
            hold_row=False,
        )
        return True

    def differs(
        self, r: RowReader, recorded: str, mark: int, entry: LedgerEntry | None
    ) -> LedgerEntry | None:
        """A remembered row: ``entry`` as typed (``None`` when it cannot be read) against ``recorded``.
        Returns the entry that counts: the one recorded."""
        ident = EntryId(r.ident)
        self.placed.append((r.row.number, ident, None))
        if entry is not None and entry_text(entry) == recorded:
            self.ledger.keep(entry)  # the common case: untouched
            return entry
        then = recorded.split("\t")
        changed = [
            (key, was, now)
            for key, was, now in zip(FIELDS, then, _typed_fields(r, self.members, then), strict=True)
            if now is not None and now != was
        ]
        if changed:
            del r.reading.problems[mark:]  # a changed cell is reported once, as a change
            r.failed.clear()
            r.holding = False
            shown = []
            for key, was, _ in changed:
                header = r.table.tab.column(key).header
                before, typed = self._shown(key, was, then), as_text(r.raw(key))
                shown.append((header, before, typed))
                r.note(
                    key,
                    f"this entry was recorded with {header} {_shown(before)}, and the Ledger is "
                    f"append-only: {_shown(typed)} is not applied, and {_shown(before)} keeps counting. Put "
                    "it back; to change an entry, a leader records a correcting entry on a new row "
                    f"(Corrects entry: {ident})",
                )
            self.found[ident] = Finding("edited", r.row.number, tuple(shown))
        # What cannot be read (a formula not calculated yet, a name that is held) is reported as
        # such, and the recorded entry counts, unless a row it names is held.
        r.holding = False
        kept = entry_of(ident, recorded)
        for key, known, what in (("member", self.members, "Members"), ("project", self.projects, "Projects")):
            named = kept.member_id if key == "member" else kept.project_id
            if named not in known:
                where = known.held.get(named)
                if key not in r.failed:
                    why = (
                        f"held: waits for {where} ({named}, recorded with this entry), which has a problem "
                        "of its own"
                        if where
                        else f"{quote(named)}, recorded with this entry, is no longer on the {what} tab; "
                        "add it back"
                    )
                    r.problem(key, why)
                r.holding = True
                r.hold({(key, named)}, {TOTALS, AUTHORSHIP, AWARDED})
                return None
        self.ledger.keep(kept)
        return kept

    def _shown(self, key: str, text: str, then: list[str]) -> str:
        """A recorded field as the tab shows it (a time in its recorder's zone)."""
        if key != "recorded_at":
            return text
        who = self.members.get(MemberId(then[FIELDS.index("recorded_by")]))
        return cells.moment_text(datetime.fromisoformat(text), member_zone(who) or cells.UTC_ZONE)

    def moved(self, table: Table | None, problems: list[Problem]) -> bool:
        """Report each remembered entry that is not where it was recorded (the fewest rows that
        explain the new order: a longest run in the recorded order stays); whether any was."""
        position = {ident: n for n, ident in enumerate(self.texts)}
        placed = [(row, ident) for row, ident, new in self.placed if new is None]
        rows = [position[ident] for _, ident in placed]
        if all(a < b for a, b in pairwise(rows)):
            return False
        order = list(self.texts)
        for index in out_of_order(rows):
            row, ident = placed[index]
            before = position[ident]
            after = f"right after {order[before - 1]}" if before else "as the first entry"
            assert table is not None  # rows were placed
            problems.append(
                Problem(
                    table.tab.title,
                    row,
                    table.tab.column("id").header,
                    f"this entry was moved: braingain recorded it {after}, and the Ledger keeps its "
                    "order. Move the row back (its points count as recorded either way)",
                )
            )
            self.found.setdefault(ident, Finding("moved", row))
        return True

    def after(
        self, moved: bool, restoring: bool, appended: list[tuple[LedgerEntry, str]], today: str
    ) -> LedgerMemory:
        """What braingain remembers after this sync: the entries in the tab's order (the recorded
        order while rows are moved, or deleted ones wait to be written back), the deleted ones at the
        foot where they are written back (``restoring``), then those this sync appends
        (``appended``: each with its text as the tab will read it)."""
        texts = self._ordered(moved, restoring)
        texts.update((e.id, text) for e, text in appended)
        restored = {i: day for i, day in (self.memory.restored.items() if self.memory else ()) if i in texts}
        if restoring:
            restored.update((i, today) for i in self.missing if i not in self.renamed)
        if (
            self.memory is not None
            and restored == self.memory.restored
            and list(texts.items()) == list(self.texts.items())
        ):
            return self.memory
        return LedgerMemory.of(texts, restored)

    def _ordered(self, moved: bool, restoring: bool) -> dict[EntryId, str]:
        """The remembered and newly accepted entries, in the order they keep: the tab's, unless rows
        were moved (or deleted ones wait to be written back), when the recorded order stands."""
        texts: dict[EntryId, str] = {}
        if moved or (self.deleted() and not restoring):
            texts.update(self.texts)
        for _, ident, new in self.placed:
            texts.setdefault(ident, new if new is not None else self.texts[ident])
        for ident, text in self.texts.items():  # deleted (written back at the foot), or on a row not read
            texts.setdefault(ident, text)
        return texts

    def ordered(self, moved: bool, restoring: bool) -> Ledger:
        """The ledger, its entries in the order they keep (:meth:`after`): a moved row or one written
        back changes no order anything is decided in. The ledger read, when that is its order."""
        if not moved and not self.missing:
            return self.ledger
        entries = {e.id: e for e in self.ledger}
        ledger = Ledger()
        for ident in self._ordered(moved, restoring):
            if ident in entries:
                ledger.keep(entries[ident])
        return ledger

    def deleted(self) -> list[EntryId]:
        """Remembered entries no longer on the tab (not even under another ID): to be written back."""
        return [i for i in self.missing if i not in self.renamed]


def _typed_fields(r: RowReader, members: Known[MemberId, Member], then: list[str]) -> list[str | None]:
    """Each of :data:`~braingain.core.authorship.integrity.FIELDS` as typed on the row, in the form it is
    remembered in (the typed text when it cannot be read); ``None`` where it cannot be compared (the
    column is missing; a time without an offset, whose recorder's zone cannot be read). A time is
    read in the zone of the recorder ``then`` recorded."""
    found: list[str | None] = []
    for key in FIELDS:
        if not r.has(key):
            found.append(None)
            continue
        raw = r.raw(key)
        if isinstance(raw, Uncalculated | Merged) or is_unreadable(raw):
            found.append(None)  # what it holds cannot be known yet: said as such, and the record counts
            continue
        try:
            if key == "kind":
                text = cells.text(raw)
                value = parse_enum(EntryKind, text, "kind").value if text else ""
            elif key == "points":
                amount = ledger_points(raw)
                value = str(amount) if amount is not None else ""
            elif key == "reason":
                value = cells.text(raw)
            elif key == "recorded_at":
                who = members.get(MemberId(then[FIELDS.index("recorded_by")]))
                zone = member_zone(who)
                if zone is None and not cells.gives_zone(raw):
                    found.append(None)
                    continue
                at = cells.datetime_value(raw, zone or cells.UTC_ZONE)
                value = instant_text(at) if at is not None else ""
            else:
                value = cells.as_id(raw)
        except DomainError:
            value = as_text(raw)
        found.append(value)
    return found


def _said(day: str) -> str:
    """An ISO date kept in braingain's memory, as a person reads it."""
    return day_said(date.fromisoformat(day))


def restored_note(day: str) -> str:
    """The Sync note of an entry braingain wrote back on ``day``."""
    return (
        f"restored by braingain on {_said(day)}: this entry was deleted from the Ledger, which is "
        "append-only, so it was written back as recorded (it kept counting). To change it, a leader "
        "records a correcting entry on a new row"
    )


def restores(
    reading: Reading, recall: Recall, table: Table | None, now: datetime, recent: timedelta
) -> list[LedgerEntry]:
    """The remembered entries deleted from the Ledger tab, to be written back at its foot (none while a
    row without an ID may be one of them, or the tab cannot be written), each reported; and the
    entries written back in the last ``recent`` days, still reported on their rows (their notes stay)."""
    deleted = recall.deleted()
    memory = recall.memory
    if memory is None or table is None:
        return []
    header = table.tab.column("id").header
    unnamed = reading.unnamed.get("ledger", [])
    rows = index_by_id(table) if memory.restored or deleted else {}
    today = now.date()
    for ident, day in memory.restored.items():
        if ident in rows and today - date.fromisoformat(day) < recent:
            reading.problems.append(
                Problem(table.tab.title, rows[ident], header, _deleted(memory, ident, day))
            )
    if not deleted:
        return []
    recall.found.update((ident, Finding("deleted", 0)) for ident in deleted)
    if unnamed:
        reading.problems.extend(
            Problem(
                table.tab.title,
                unnamed[0],
                header,
                f"entry {ident} was deleted from the Ledger: it keeps counting, and is written back once "
                "this row, which has no ID and may be it, has its ID",
            )
            for ident in deleted
        )
        return []
    # An entry naming a row that cannot be read (a member or project with a problem of its own)
    # is written back once it can: written now, the next read would hold it and say more.
    waits = {i: _held_reference(recall, memory.entry(i)) for i in deleted}
    reading.problems.extend(
        Problem(
            table.tab.title,
            0,
            header,
            f"entry {ident} was deleted from the Ledger: it keeps counting, and is written back once {where}",
        )
        for ident, where in waits.items()
        if where
    )
    written = [i for i in deleted if not waits[i]]
    for offset, ident in enumerate(written, start=1):
        reading.problems.append(
            Problem(
                table.tab.title, table.height + offset, header, _deleted(memory, ident, today.isoformat())
            )
        )
    return [memory.entry(i) for i in written]


def _held_reference(recall: Recall, entry: LedgerEntry) -> str:
    """What must be read before ``entry`` is written back: the member or project it names, held by a
    problem of its own or not on its tab (``""``: both read)."""
    named: tuple[tuple[str, Known[Any, Any], str, str], ...] = (
        (entry.member_id, recall.members, "member", "Members"),
        (entry.project_id, recall.projects, "project", "Projects"),
    )
    for ident, known, what, tab in named:
        if ident in known:
            continue
        held = known.held.get(ident)
        if held is not None:
            return f"{held} ({ident}), which it names, can be read"
        return f"the {what} {ident}, which it names, is on the {tab} tab again"
    return ""


def _deleted(memory: LedgerMemory, ident: EntryId, day: str) -> str:
    entry = memory.entry(ident)
    task = f", task {entry.task_id}" if entry.task_id else ""
    return (
        f"entry {ident} ({entry.kind.value}, {entry.points} points for {entry.member_id}{task}) was deleted "
        f"from the Ledger, which is append-only: braingain wrote it back on {_said(day)}, as recorded, "
        "and it kept counting. To change it, a leader records a correcting entry on a new row"
    )


def as_written(at: datetime, zone: ZoneInfo) -> datetime:
    """``at`` as the tab reads it back once braingain writes it (to the minute, in ``zone``)."""
    written = cells.datetime_value(cells.moment_text(at, zone), zone)
    assert written is not None
    return written


def ledger_row(entry: LedgerEntry, zone: ZoneInfo) -> dict[str, Cell]:
    """A Ledger row; ``zone`` is the recorder's, whose wall-clock time "Recorded at" shows (with the zone)."""
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "member": entry.member_id,
        "project": entry.project_id,
        "task": entry.task_id or "",
        "points": cells.decimal_cell(entry.points),
        "reason": entry.reason,
        "recorded_by": entry.recorded_by,
        "recorded_at": cells.moment_text(entry.recorded_at, zone),
        "corrects": entry.corrects or "",
    }
