"""What braingain remembers of the Ledger, and the keyed checksum that keeps its memory honest.

The Ledger tab is typed by people, so braingain keeps its own copy of every entry it wrote
(awards, dispute resolutions) or accepted (a leader's entry that read cleanly): all its fields,
in the Ledger's order, in the hidden state tab (:class:`LedgerMemory`). Each sync compares the
tab with that copy, entry by entry (``braingain.core.tracker.read``): an entry edited on the tab
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import chain

from braingain.core.authorship.ledger import EntryKind, LedgerEntry
from braingain.core.ids import EntryId, MemberId, ProjectId, TaskId

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

BLOCK_PREFIX = "entries:"
"""State keys of the remembered entries: ``entries:00001`` -> lines of ``<entry id>\\t<fields>``, in order."""
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


_CHAIN_START = b"braingain ledger v1\n"


def _lines(items: Iterable[tuple[str, str]]) -> str:
    """Remembered entries as kept: one ``id<TAB>text`` line each, in order."""
    return "".join([f"{ident}\t{text}\n" for ident, text in items])


def chain_head(items: Iterable[tuple[str, str]]) -> str:
    """The SHA-256 (hex) over remembered entries ``(id, text)`` in the Ledger's order: any change
    to an entry, its place or the list changes it. Each entry is hashed once."""
    return _head(_lines(items))


def _head(lines: str) -> str:
    return hashlib.sha256(_CHAIN_START + lines.encode()).hexdigest()


def chain_links(items: Iterable[tuple[str, str]]) -> list[str]:
    """Each entry's link (hex): the SHA-256 over every entry up to and including it, so that the
    last link is :func:`chain_head`. For ``braingain report ledger --verify``."""
    digest = hashlib.sha256(_CHAIN_START)
    links: list[str] = []
    for ident, text in items:
        digest.update(f"{ident}\t{text}\n".encode())
        links.append(digest.hexdigest())
    return links


BLOCK_CHARACTERS = 30_000
"""The most characters of entries one state cell holds (Excel's limit is 32,767): the memory is kept
in blocks of whole lines, so that ten thousand entries take a few hundred rows, not ten thousand."""


def _blocks(lines: str) -> tuple[str, ...]:
    """``lines`` cut into blocks of whole lines, each at most :data:`BLOCK_CHARACTERS` long (a longer
    line alone), without their last line break."""
    blocks: list[str] = []
    start, end = 0, len(lines)
    while start < end:
        stop = min(start + BLOCK_CHARACTERS, end)
        if stop < end:
            cut = lines.rfind("\n", start, stop)
            stop = cut + 1 if cut >= start else lines.find("\n", stop) + 1
        blocks.append(lines[start : stop - 1])
        start = stop
    return tuple(blocks)


@dataclass(frozen=True, slots=True)
class LedgerMemory:
    """Every Ledger entry braingain recorded or accepted, as recorded, in the Ledger's order."""

    texts: Mapping[EntryId, str] = field(default_factory=dict)
    """Each entry's :func:`entry_text`, by ID, in the Ledger's order (a dict keeps its order)."""
    restored: Mapping[EntryId, str] = field(default_factory=dict)
    """Entries braingain wrote back after they were deleted from the tab: ID -> the day (ISO)."""
    head: str = ""
    """:func:`chain_head` of ``texts`` (as read, or worked out by :meth:`of`)."""
    blocks: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """``texts`` as the state tab keeps them (:data:`BLOCK_PREFIX` rows), as read or made by :meth:`of`."""

    @classmethod
    def of(cls, texts: Mapping[EntryId, str], restored: Mapping[EntryId, str]) -> LedgerMemory:
        lines = _lines(texts.items())
        return cls(texts, restored, _head(lines), _blocks(lines))

    def rows(self) -> dict[str, str]:
        """The state rows that keep this memory: key -> value."""
        found = {f"{BLOCK_PREFIX}{n:05d}": block for n, block in enumerate(self.blocks, 1)}
        found.update({f"{RESTORED_PREFIX}{ident}": day for ident, day in self.restored.items()})
        found[HEAD_KEY] = self.head
        return found

    def entry(self, ident: EntryId) -> LedgerEntry:
        """The remembered entry ``ident`` (a KeyError if there is none)."""
        return entry_of(ident, self.texts[ident])


def read_memory(
    head: str | None, blocks: Mapping[str, str], restored: Mapping[EntryId, str]
) -> tuple[LedgerMemory | None, bool]:
    """The ledger memory the state keeps (its chain ``head``, its :data:`BLOCK_PREFIX` rows by
    number, the entries it wrote back), and whether it is whole.

    ``(None, True)``: none is kept (a state written before braingain remembered entries). A
    memory whose blocks are not numbered 1, 2, 3, ..., that names an entry twice, or whose chain
    head does not match its entries was changed outside braingain: ``(None, False)``, not used.
    """
    if head is None:
        return None, not blocks and not restored
    numbers = sorted(blocks)
    if numbers != [f"{n:05d}" for n in range(1, len(numbers) + 1)]:
        return None, False
    kept = tuple(blocks[n] for n in numbers)
    lines = "\n".join(kept) + "\n" if kept else ""
    texts: dict[EntryId, str] = {}
    for line in lines[:-1].split("\n") if lines else ():
        ident, _, text = line.partition("\t")
        texts[EntryId(ident)] = text
    if (
        not hmac.compare_digest(_head(lines), head)
        or len(texts) != lines.count("\n")  # an entry named twice
        or not restored.keys() <= texts.keys()
    ):
        return None, False
    return LedgerMemory(texts, restored, head, kept), True


_SEAL_START = b"braingain state v1\n"


def seal(rows: Iterable[tuple[str, str]], key: bytes) -> str | None:
    """The keyed checksum (HMAC-SHA256, hex) of the state ``rows`` (key, value) in the order they are
    kept, the checksum's own row left out. ``None`` for rows no checksum can stand for (a key or
    value holding a NUL character, which separates them)."""
    kept = [(k, v) for k, v in rows if k != SEAL_KEY]
    text = "\x00".join(chain.from_iterable(kept))
    if text.count("\x00") != max(2 * len(kept) - 1, 0):
        return None
    return hmac.new(key, _SEAL_START + text.encode(), hashlib.sha256).hexdigest()


def sealed(rows: Mapping[str, str], key: bytes) -> bool:
    """Whether the state ``rows`` (in the order they are kept) carry the checksum ``key`` makes of
    them (none is not)."""
    made = seal(rows.items(), key)
    return made is not None and hmac.compare_digest(rows.get(SEAL_KEY, ""), made)


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
