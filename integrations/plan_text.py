"""What ``braingain plan`` and ``sync`` print: every change, before (plan) or after (sync) it is made.

Like ``terraform plan``, a leader is never surprised by a sync: the plan says, in this order,

1. the decisions, in words (who is chosen for a task and why, author order, task status,
   points awarded, disputes resolved, meetings scheduled);
2. the tabs and columns the sync adds;
3. every cell it changes, per tab, one line per row (its ID, whom or what it names, its row
   number) with each column's old value and new value; a long or multi-line value gets
   its own lines below;
4. the rows it adds below a tab, and the Problems rows it lists or no longer lists;
5. what braingain remembers in its hidden tab, in one line.

``sync`` prints the same in the past tense, for what it wrote; ``plan`` says what a sync would do
and never that anything was synced. :func:`outcome_text` gives styled text (a person's terminal
shows it in colour, :mod:`braingain.integrations.console`); :func:`outcome_data` the same content
for ``--format json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from braingain.core.errors import quote
from braingain.core.tracker.changes import CellChange, Changes, RowChange
from braingain.integrations import text
from braingain.integrations.text import NO_KEY

if TYPE_CHECKING:
    from braingain.integrations.compose import SyncOutcome

INLINE = 60
"""The longest value shown on its row's line; a longer or multi-line one gets its own lines."""

UP_TO_DATE = "Everything is up to date: nothing to write."
HEADING, DECISION, OLD, NEW, QUIET, WARN = "bold", "bold", "red", "green", "dim", "yellow"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _changes(outcome: SyncOutcome) -> Changes:
    if outcome.changes is None:
        raise ValueError("the outcome carries no description of its changes (compose.describe_outcome)")
    return outcome.changes


def outcome_text(outcome: SyncOutcome, *, applied: bool) -> Text:
    """The plan (``applied`` false: what a sync would change) or the sync (what it changed)."""
    changes = _changes(outcome)
    wrote = applied and outcome.applied
    out = Text()
    title = f"Sync of {outcome.location}" if applied else f"Plan for {outcome.location}"
    out.append(f"\n{title}\n{'=' * len(title)}\n", style=HEADING)
    if outcome.plan.write.empty:
        out.append("Nothing to write.\n" if outcome.plan.waiting else f"{UP_TO_DATE}\n")
    elif wrote:
        out.append("Wrote these changes to the tracker:\n")
    elif applied:
        out.append("Nothing was written.\n")
    else:
        out.append("Nothing is written by a plan. A sync would make these changes:\n")
    if not outcome.plan.write.empty:
        _body(out, changes, past=wrote)
    if outcome.plan.waiting:
        _section(out, "Waiting (nothing is written for these yet)", outcome.plan.waiting)
    repaired = [str(p) for p in outcome.read.problems if p.repaired]
    if repaired:
        said = "Put right by this sync" if wrote else "The sync would put right"
        _section(out, f"{said} (so not listed on the Problems tab)", repaired)
    if outcome.unwritten:
        _section(
            out,
            "Someone changed the tracker while braingain was writing; so that nothing they typed is "
            "written over, these were not written (sync again to write them)",
            [
                f"{u.tab}: {_plural(u.cells, 'value', 'values')} not written: {u.reason}"
                for u in outcome.unwritten
            ],
            style=WARN,
        )
    _platforms(out, outcome, applied=applied)
    if not outcome.read.keyed:
        out.append(f"\n{NO_KEY}\n", style=QUIET)
    problems = [str(p) for p in outcome.read.problems if not p.repaired]
    if problems:
        rest = "the rest was written" if wrote else "the rest would be written"
        _section(
            out,
            f"{_plural(len(problems), 'problem', 'problems')}; only what depends on each one waits "
            f"(see the Problems tab), {rest}",
            problems,
            style=WARN,
        )
    out.rstrip()
    return out


def _platforms(out: Text, outcome: SyncOutcome, *, applied: bool) -> None:
    """Zoom and the invitations: every action in words (a plan), or what was done (a sync)."""
    plan, done = outcome.platforms, outcome.done
    out.append(f"\n{text.PLATFORMS_HEADING}\n", style=HEADING)
    if applied and done is not None:
        if done.done:
            out.append(f"{text.platform_lead(len(done.done), applied=True)}\n")
            _by_platform(out, [(d.action.platform, d.words) for d in done.done])
        if done.failed:
            _section(out, text.PLATFORMS_REFUSED, [f"{a.words}: {why}" for a, why in done.failed], style=WARN)
        if done.waiting:
            _section(out, text.PLATFORMS_WAITING, [why for _, why in done.waiting], style=WARN)
    elif plan.actions:
        out.append(f"{text.platform_lead(len(plan.actions), applied=False)}\n")
        _by_platform(out, [(a.platform, a.words) for a in plan.actions])
    else:
        out.append(f"{text.PLATFORMS_NOTHING}\n")
    for note in plan.notes:
        out.append(f"{note.words}\n", style=QUIET)


def _by_platform(out: Text, items: Sequence[tuple[str, str]]) -> None:
    """Each platform's changes under its own sub-heading, in the order they are made."""
    grouped: dict[str, list[str]] = {}
    for platform, words in items:
        grouped.setdefault(platform, []).append(words)
    for platform, lines in grouped.items():
        out.append(f"  {text.platform_group(platform, len(lines))}:\n")
        for line in lines:
            out.append(f"    - {line}\n")


def _section(out: Text, title: str, lines: Sequence[str], *, style: str = HEADING) -> None:
    out.append(f"\n{title}:\n", style=style)
    for line in lines:
        out.append(f"  - {line}\n")


def _body(out: Text, changes: Changes, *, past: bool) -> None:
    if changes.decisions:
        out.append("\nDecisions\n", style=HEADING)
        for decision in changes.decisions:
            out.append("  - ")
            out.append(decision.text, style=DECISION)
            out.append("\n")
    if changes.structure:
        _section(out, "Tabs and columns added" if past else "Tabs and columns to add", changes.structure)
    for tab, found in changes.by_tab().items():
        rows: dict[int, list[CellChange]] = {}
        for change in found:
            rows.setdefault(change.row, []).append(change)
        verb = "Changed" if past else "Changes"
        out.append(f"\n{verb} on {quote(tab)} ({_plural(len(rows), 'row', 'rows')})\n", style=HEADING)
        for cells in rows.values():
            _row(out, cells)
    if changes.redrawn:
        _section(out, "Redrawn" if past else "To redraw", changes.redrawn)
    if changes.appended:
        out.append(f"\n{'Rows added' if past else 'Rows to add'}\n", style=HEADING)
        for row in changes.appended:
            out.append(f"  - {_appended(row, past=past)}\n")
    if changes.remembered is not None:
        things = _plural(changes.remembered, "thing", "things")
        said = f"now remembers {things}" if past else f"would remember {things}"
        out.append(f"\nbraingain {said} in its hidden tab (what it decided, to compare with next time).\n")


def row_label(change: CellChange | RowChange, names: Sequence[str] = ()) -> str:
    """A row as a person finds it: what it names, its ID (unless it is one of braingain's own
    keys, which names say better) and its number ("SR-T09 / Zainab Musawa (V-002, row 3)")."""
    shown = " / ".join(names)
    ident = change.id if change.id and ":" not in change.id and change.id not in names else ""
    where = f"{ident}, row {change.row}" if ident else f"row {change.row}"
    return f"{shown} ({where})" if shown else where


def _value(text: str) -> str:
    return text if text else "(empty)"


def _long(text: str) -> bool:
    return "\n" in text or len(text) > INLINE


def _row(out: Text, cells: Sequence[CellChange]) -> None:
    first = cells[0]
    out.append(f"  {row_label(first, first.names)}: ")
    short = [c for c in cells if not (_long(c.old) or _long(c.new))]
    for i, change in enumerate(short):
        if i:
            out.append("; ")
        out.append(f"{change.column} ")
        out.append(_value(change.old), style=OLD)
        out.append(" → ")
        out.append(_value(change.new), style=NEW)
    if not short:
        out.append(", ".join(c.column for c in cells), style=QUIET)
    out.append("\n")
    for change in cells:
        if change in short:
            continue
        out.append(f"      {change.column}:\n")
        _block(out, "was", change.old, OLD)
        _block(out, "now", change.new, NEW)


def _block(out: Text, label: str, text: str, style: str) -> None:
    lines = text.splitlines() or [""]
    for i, line in enumerate(lines):
        lead = f"        {label}: " if i == 0 else " " * (len(label) + 10)
        out.append(lead, style=QUIET)
        out.append(_value(line) if i == 0 else line, style=style)
        out.append("\n")


def _appended(row: RowChange, *, past: bool) -> str:
    if row.tab and not row.added:
        return f"{row.tab}: no longer listed: {row.text}"
    if row.id == "" and row.text and not row.cells:
        return f"{row.tab}: {'listed' if past else 'to be listed'}: {row.text}"
    return f"{row.tab} row {row.row}: {row.text}"


def second_plan(outcome: SyncOutcome) -> Text:
    """What the demo says of a plan made right after its sync."""
    if outcome.plan.write.empty and outcome.platforms.empty:
        return Text("\nA second plan right after the sync: nothing to change, in the tracker or elsewhere.")
    out = Text("\nA second plan right after the sync still has changes:\n")
    _body(out, _changes(outcome), past=False)
    for action in outcome.platforms.actions:
        out.append(f"  - {action.words}\n")
    out.rstrip()
    return out


def outcome_data(outcome: SyncOutcome) -> dict[str, Any]:
    """The plan or the sync for scripts (``--format json``); its keys are stable:

    - ``tracker`` (where it is), ``applied`` (whether this run wrote), ``up_to_date`` (nothing to
      write), ``cells`` (how many values are written), ``status_changes`` (as the tracker's
      statuses were taken, one line each);
    - ``decisions``: ``[{"kind", "about", "text"}]`` (see
      :class:`~braingain.core.tracker.changes.Decision`);
    - ``structure``: the tabs and columns added, one sentence each;
    - ``changes``: ``[{"tab", "row", "id", "names", "column", "old", "new"}]``, every cell of an
      existing row (``old`` and ``new`` as a person reads them, ``""`` for an empty cell);
    - ``appended``: ``[{"tab", "row", "id", "text", "cells", "added"}]``: rows added below a tab
      (``cells``: header to value), and Problems rows no longer listed (``added`` false);
    - ``state``: ``{"remembered": N}`` when the hidden tab changes, else ``null``;
    - ``redrawn``: each tab braingain draws whole (the Gantt tab) that changes, one line each
      (``Gantt: 3 weeks added, 5 cells changed``);
    - ``waiting``, ``not_written`` (``[{"tab", "cells", "reason"}]``) and ``problems``
      (``[{"tab", "row", "column", "problem", "repaired"}]``);
    - ``platforms``: ``{"actions": [{"key", "platform", "verb", "subject", "words"}], "notes":
      [{"platform", "words"}]}``, every platform action of the plan in order (keys are stable:
      ``zoom:create:2027-01-16``), and for a sync ``"done"`` (the same shape), ``"refused"``
      (``[{"key", "why"}]``) and ``"waiting"`` (``[{"key", "why"}]``).
    """
    changes = _changes(outcome)
    return {
        "tracker": outcome.location,
        "applied": outcome.applied,
        "up_to_date": outcome.plan.write.empty,
        "cells": len(outcome.plan.write.cells),
        "status_changes": [str(change) for change in outcome.read.changes],
        "decisions": [{"kind": d.kind, "about": d.about, "text": d.text} for d in changes.decisions],
        "structure": list(changes.structure),
        "changes": [
            {
                "tab": c.tab,
                "row": c.row,
                "id": c.id,
                "names": list(c.names),
                "column": c.column,
                "old": c.old,
                "new": c.new,
            }
            for c in changes.changes
        ],
        "appended": [
            {
                "tab": r.tab,
                "row": r.row,
                "id": r.id,
                "text": r.text,
                "cells": dict(r.cells),
                "added": r.added,
            }
            for r in changes.appended
        ],
        "state": None if changes.remembered is None else {"remembered": changes.remembered},
        "redrawn": list(changes.redrawn),
        "waiting": list(outcome.plan.waiting),
        "not_written": [{"tab": u.tab, "cells": u.cells, "reason": u.reason} for u in outcome.unwritten],
        "problems": [
            {"tab": p.tab, "row": p.row, "column": p.column, "problem": p.reason, "repaired": p.repaired}
            for p in outcome.read.problems
        ],
        "platforms": _platform_data(outcome),
    }


def _platform_data(outcome: SyncOutcome) -> dict[str, Any]:
    data: dict[str, Any] = {
        "actions": [a.data() for a in outcome.platforms.actions],
        "notes": [{"platform": n.platform, "words": n.words} for n in outcome.platforms.notes],
    }
    if outcome.done is not None:
        data["done"] = [item.action.data() | {"words": item.words} for item in outcome.done.done]
        data["refused"] = [{"key": a.key, "why": why} for a, why in outcome.done.failed]
        data["waiting"] = [{"key": key, "why": why} for key, why in outcome.done.waiting]
    return data
