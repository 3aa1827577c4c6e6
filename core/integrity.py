"""What braingain remembers of the Ledger, and the keyed checksum that keeps its memory honest.

The Ledger tab is typed by people, so braingain keeps its own copy of every entry it wrote
(awards, dispute resolutions) or accepted (a leader's entry that read cleanly): all its fields,
in the Ledger's order, in the hidden state tab (:class:`LedgerMemory`). Each sync compares the
tab with that copy, entry by entry (``braingain.core.tracker_read``): an entry edited on the tab
is reported with the recorded and the typed value, and the recorded value keeps counting; one
deleted is written back at the foot of the tab with a note saying why; one moved is reported.

The copy is tamper-evident: :func:`chain_head` is a SHA-256 over every remembered entry in
order, kept with the copy, so an entry changed in the state tab without it no longer matches.
Anyone can work out a SHA-256, though, so when the group has a key (``BRAINGAIN_STATE_KEY``,
made by ``braingain init``), :func:`seal` adds an HMAC-SHA256 of the whole state, chain head
included, that only the key can make: a state edited by hand is then found out and not trusted.

Pure: the key arrives as bytes from the composition root; nothing here reads the environment.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from braingain.core.ids import EntryId, MemberId, ProjectId, TaskId
from braingain.core.ledger import EntryKind, LedgerEntry

FIELDS: tuple[str, ...] = (
    "kind",
    "member",
    "project",
    "task",
    "corrects",
    "points",
    "reason",
    "recorded_by",
    "recorded_at",
)
"""The Ledger columns an entry is remembered by (its ID aside), in the order they are kept; the
last is never empty, so a remembered text never ends in a separator a spreadsheet would trim."""

ENTRY_PREFIX = "entry:"
"""State keys of remembered entries: ``entry:<entry id>`` -> ``<position>\\t<fields>``."""
RESTORED_PREFIX = "restored:"
"""State keys of entries braingain wrote back after they were deleted: ``restored:<id>`` -> the day."""
HEAD_KEY = "ledger:head"
"""The state key of :func:`chain_head` over the remembered entries."""
SEAL_KEY = "checksum"
"""The state key of :func:`seal`."""

_UTC = UTC


def instant_text(at: datetime) -> str:
    """An entry's "Recorded at" as remembered: the instant in UTC, ISO 8601."""
    return at.astimezone(_UTC).isoformat()


def entry_fields(entry: LedgerEntry) -> tuple[str, ...]:
    """``entry``'s fields as remembered, in :data:`FIELDS` order (points to the cent, the time in UTC)."""
    return (
        entry.kind.value,
        entry.member_id,
        entry.project_id,
        entry.task_id or "",
        entry.corrects or "",
        str(entry.points),
        entry.reason,
        entry.recorded_by,
        instant_text(entry.recorded_at),
    )


def entry_text(entry: LedgerEntry) -> str:
    """``entry`` as remembered: its fields joined by tabs (a cleaned value never holds a tab)."""
    return "\t".join(entry_fields(entry))


def entry_of(ident: str, text: str) -> LedgerEntry:
    """The entry a remembered text stands for. Raises ``ValueError`` (or ``KeyError``) when the
    text is damaged."""
    kind, member, project, task, corrects, amount, reason, by, at = text.split("\t")
    recorded_at = datetime.fromisoformat(at)
    if recorded_at.tzinfo is None:
        raise ValueError("a remembered time has no offset")
    return LedgerEntry(
        id=EntryId(ident),
        kind=EntryKind(kind),
        member_id=MemberId(member),
        project_id=ProjectId(project),
        task_id=TaskId(task) if task else None,
        points=Decimal(amount),
        reason=reason,
        recorded_by=MemberId(by),
        recorded_at=recorded_at,
        corrects=EntryId(corrects) if corrects else None,
    )


def _chained(items: Iterable[tuple[str, str]]) -> Iterator[bytes]:
    for ident, text in items:
        yield f"{ident}\t{text}\n".encode()


_CHAIN_START = b"braingain ledger v1\n"


def chain_head(items: Iterable[tuple[str, str]]) -> str:
    """The SHA-256 (hex) over remembered entries ``(id, text)`` in the Ledger's order: any change
    to an entry, its place or the list changes it. Each entry is hashed once."""
    digest = hashlib.sha256(_CHAIN_START)
    digest.update(b"".join(_chained(items)))
    return digest.hexdigest()


def chain_links(items: Iterable[tuple[str, str]]) -> list[str]:
    """Each entry's link (hex): the SHA-256 over every entry up to and including it, so that the
    last link is :func:`chain_head`. For ``braingain report ledger --verify``."""
    digest = hashlib.sha256(_CHAIN_START)
    links: list[str] = []
    for line in _chained(items):
        digest.update(line)
        links.append(digest.hexdigest())
    return links


@dataclass(frozen=True, slots=True)
class LedgerMemory:
    """Every Ledger entry braingain recorded or accepted, as recorded, in the Ledger's order."""

    texts: Mapping[EntryId, str] = field(default_factory=dict)
    """Each entry's :func:`entry_text`, by ID, in the Ledger's order (a dict keeps its order)."""
    restored: Mapping[EntryId, str] = field(default_factory=dict)
    """Entries braingain wrote back after they were deleted from the tab: ID -> the day (ISO)."""
    head: str = ""
    """:func:`chain_head` of ``texts`` (as read, or worked out by :meth:`of`)."""

    @classmethod
    def of(cls, texts: Mapping[EntryId, str], restored: Mapping[EntryId, str]) -> LedgerMemory:
        return cls(texts, restored, chain_head(texts.items()))

    def rows(self) -> dict[str, str]:
        """The state rows that keep this memory: key -> value."""
        found = {
            f"{ENTRY_PREFIX}{ident}": f"{n}\t{text}" for n, (ident, text) in enumerate(self.texts.items(), 1)
        }
        found.update({f"{RESTORED_PREFIX}{ident}": day for ident, day in self.restored.items()})
        found[HEAD_KEY] = self.head
        return found

    def entry(self, ident: EntryId) -> LedgerEntry:
        """The remembered entry ``ident`` (a KeyError if there is none)."""
        return entry_of(ident, self.texts[ident])


def read_memory(rows: Mapping[str, str]) -> tuple[LedgerMemory | None, bool]:
    """The ledger memory kept in the state ``rows``, and whether it is whole.

    ``(None, True)``: none is kept (a state written before braingain remembered entries). A
    memory whose positions are not 1, 2, 3, ... or whose chain head does not match its entries
    was changed outside braingain: ``(None, False)``, and it is not used.
    """
    head = rows.get(HEAD_KEY)
    placed: dict[int, tuple[EntryId, str]] = {}
    restored: dict[EntryId, str] = {}
    whole = True
    for key, value in rows.items():
        if key.startswith(ENTRY_PREFIX):
            n, _, text = value.partition("\t")
            if not n.isdigit() or int(n) in placed:
                whole = False
                continue
            placed[int(n)] = (EntryId(key[len(ENTRY_PREFIX) :]), text)
        elif key.startswith(RESTORED_PREFIX):
            restored[EntryId(key[len(RESTORED_PREFIX) :])] = value
    if head is None:
        return None, whole and not placed and not restored
    texts = {ident: text for _, (ident, text) in sorted(placed.items())}
    if (
        not whole
        or sorted(placed) != list(range(1, len(placed) + 1))
        or not restored.keys() <= texts.keys()
        or not hmac.compare_digest(chain_head(texts.items()), head)
    ):
        return None, False
    return LedgerMemory(texts, restored, head), True


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n") if "\n" in value or "\\" in value else value


_SEAL_START = b"braingain state v1\n"


def seal(rows: Mapping[str, str], key: bytes) -> str:
    """The keyed checksum (HMAC-SHA256, hex) of the state ``rows``: every row but the remembered
    entries (which the chain head, a row, covers) and the checksum itself, in key order."""
    mac = hmac.new(key, _SEAL_START, hashlib.sha256)
    mac.update(
        "".join(
            f"{k}\t{_escaped(v)}\n"
            for k, v in sorted(rows.items())
            if k != SEAL_KEY and not k.startswith(ENTRY_PREFIX)
        ).encode()
    )
    return mac.hexdigest()


def sealed(rows: Mapping[str, str], key: bytes) -> bool:
    """Whether the state ``rows`` carry the checksum ``key`` makes of them (none is not)."""
    return hmac.compare_digest(rows.get(SEAL_KEY, ""), seal(rows, key))


def out_of_order(positions: list[int]) -> list[int]:
    """The indexes of ``positions`` (distinct numbers) outside one longest increasing run: the
    fewest items whose moving explains the order (ties go to the run that ends first)."""
    tails: list[int] = []  # tails[k]: index of the smallest last item of an increasing run of length k + 1
    before: list[int] = [-1] * len(positions)
    for index, value in enumerate(positions):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if positions[tails[middle]] < value:
                low = middle + 1
            else:
                high = middle
        before[index] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    kept: set[int] = set()
    at = tails[-1] if tails else -1
    while at >= 0:
        kept.add(at)
        at = before[at]
    return [i for i in range(len(positions)) if i not in kept]
