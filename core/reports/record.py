"""The group's outputs record (``braingain report group``): what it registered, published, presented
and applied for, with the article-charge waivers, and a summary per year.

Built from ``Group.outputs`` (each :class:`~braingain.core.authorship.icmje.Output` with its status,
the day it reached it, venue, identifier and APC waiver):

- **sections** by kind: protocols (with their registration, e.g. PROSPERO's CRD number, as the
  identifier), publications (papers and reports), abstracts, posters and presentations, grants. Every
  output is listed whatever its status (a grant applied for is ``submitted``); within a section by
  date (undated last), then id.
- **waivers**: every output for which an APC waiver was asked (any ``apc_waiver``), with its outcome.
- **years**: per calendar year of ``status_on``, the outputs *achieved* that year
  (:attr:`OutputStatus.achieved`: published, registered, presented, awarded) by kind, and the waivers
  granted (an output with ``apc_waiver`` granted, counted in the year of its ``status_on``); every year
  from the first to the last appears, a year with nothing as zeros. Outputs without a ``status_on`` are
  never dropped: they are listed as undated in their section and counted in :attr:`Record.undated`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from braingain.core.authorship.icmje import ApcWaiver, Output, OutputKind

_SECTIONS: tuple[tuple[str, frozenset[OutputKind]], ...] = (
    ("Protocols and their registration", frozenset({OutputKind.PROTOCOL})),
    ("Publications", frozenset({OutputKind.PAPER, OutputKind.REPORT})),
    (
        "Abstracts and presentations",
        frozenset({OutputKind.ABSTRACT, OutputKind.POSTER, OutputKind.PRESENTATION}),
    ),
    ("Grants", frozenset({OutputKind.GRANT})),
)
KINDS: tuple[OutputKind, ...] = tuple(OutputKind)
"""The kinds, in the order the yearly summary counts them."""


@dataclass(frozen=True, slots=True)
class RecordSection:
    """One section of the record: its ``title`` and its ``outputs`` (date order, undated last, then id)."""

    title: str
    outputs: tuple[Output, ...]


@dataclass(frozen=True, slots=True)
class Year:
    """One row of the yearly summary: ``year`` (``None``: undated), ``achieved`` per kind in
    :data:`KINDS` order (``(kind, count)``, zeros included), ``waivers_granted``."""

    year: int | None
    achieved: tuple[tuple[OutputKind, int], ...]
    waivers_granted: int

    @property
    def total(self) -> int:
        return sum(count for _, count in self.achieved)


@dataclass(frozen=True, slots=True)
class Record:
    """The outputs record: ``sections`` (all four, possibly empty), ``waivers`` (outputs with an APC
    waiver asked), ``years`` (first to last dated year, zeros between), ``undated`` (the summary row of
    outputs achieved without a date: ``None`` when there is none: an undated output still in
    progress is listed in its section, and counts in no year)."""

    sections: tuple[RecordSection, ...]
    waivers: tuple[Output, ...]
    years: tuple[Year, ...]
    undated: Year | None

    @property
    def empty(self) -> bool:
        return not any(s.outputs for s in self.sections)


def _order(output: Output) -> tuple[bool, date, str]:
    return (output.status_on is None, output.status_on or date.min, output.id)


def _summary(year: int | None, outputs: list[Output]) -> Year:
    achieved = [o for o in outputs if o.status.achieved]
    return Year(
        year,
        tuple((kind, sum(1 for o in achieved if o.kind is kind)) for kind in KINDS),
        sum(1 for o in outputs if o.apc_waiver is ApcWaiver.GRANTED),
    )


def record(outputs: Iterable[Output]) -> Record:
    """The outputs record of ``outputs`` (see the module's docstring)."""
    everything = sorted(outputs, key=_order)
    sections = tuple(
        RecordSection(title, tuple(o for o in everything if o.kind in kinds)) for title, kinds in _SECTIONS
    )
    waivers = tuple(o for o in everything if o.apc_waiver is not None)
    by_year: dict[int, list[Output]] = {}
    for output in everything:
        if output.status_on is not None:
            by_year.setdefault(output.status_on.year, []).append(output)
    years = tuple(
        _summary(y, by_year.get(y, [])) for y in range(min(by_year, default=0), max(by_year, default=-1) + 1)
    )
    undated = _summary(None, [o for o in everything if o.status_on is None])
    return Record(sections, waivers, years, undated if undated.total or undated.waivers_granted else None)
