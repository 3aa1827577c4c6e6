"""The sync's journal: every platform action recorded before and after, so a stopped sync is
finished by the next one and never duplicated.

A sync applies its platform actions (create a Zoom meeting, issue an invitation) before it writes
their results (ids, links, sequences) back to the tracker. It may stop anywhere: a crash, a lost
connection, a person pressing Ctrl-C. So each action is written to the journal

1. ``start`` before the call: from here its outcome is unknown until step 2;
2. ``done`` with its result after the call answered (``failed`` when the platform refused it,
   which changed nothing);

and once the tracker holds the results, every ``done`` entry is ``settled`` and the journal
forgets it. The next sync folds the done-but-unsettled results into what it knows before it plans
(so it neither repeats them nor loses their ids), and before repeating an action that was started
but never answered it looks for it on the platform by its key
(:mod:`braingain.integrations.engine.apply`).

The journal is a JSON-lines file kept with the group's state, in the group's folder
(``.braingain/journal.jsonl`` beside ``braingain.toml``). Every record is flushed and fsync'ed
before the call it announces is made; a record cut short by a crash (the file's last line) is
ignored, as the action it would have announced was never made (and cut off before the next record
is written). Records hold keys, ids, links and
counts: never a secret or an email. Without a folder (a configuration built in memory) the journal
lives in memory only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from braingain.core.platforms import Action
from braingain.integrations.errors import IntegrationError

FOLDER = ".braingain"
NAME = "journal.jsonl"
STARTED, DONE, FAILED, SETTLED = "start", "done", "failed", "settled"


@dataclass(frozen=True, slots=True)
class Entry:
    """The journal's last word on one action key: ``step`` is ``start`` (outcome unknown), ``done``
    (``result`` holds what the platform answered) or ``failed`` (``error`` says why; nothing changed).
    ``platform``, ``verb`` and ``subject`` are the action's (see :class:`braingain.core.platforms.Action`)."""

    key: str
    step: str
    platform: str
    verb: str
    subject: str
    result: Mapping[str, Any] = field(default_factory=dict)
    error: str = ""
    at: str = ""

    @property
    def unknown(self) -> bool:
        return self.step == STARTED

    @property
    def done(self) -> bool:
        return self.step == DONE


class JournalError(IntegrationError):
    """The journal cannot be read or written (names the file and how to fix it)."""


class JournalBusy(JournalError):
    """Another sync of the group holds the journal (it is applying its platform actions)."""


class Journal:
    """The journal at ``path`` (``None``: in memory only). Not thread-safe: one sync at a time,
    which :meth:`exclusive` ensures across processes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, Entry] = {}
        self._order: list[str] = []
        if path is not None and path.exists():
            self._load(path)

    @classmethod
    def beside(cls, config_file: Path | None) -> Journal:
        """The journal of the group whose configuration is ``config_file`` (in memory when ``None``)."""
        if config_file is None:
            return cls(None)
        return cls(config_file.parent / FOLDER / NAME)

    # -- reading --------------------------------------------------------------------------------

    def _load(self, path: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise JournalError(
                f"braingain's journal {path} cannot be read ({error})",
                hint="check the file's permissions; do not edit or delete it while a sync runs",
            ) from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                self._take(record)
            except (ValueError, KeyError, TypeError):
                if number == len(lines):
                    continue  # cut short by a crash while it was written: its action was never made
                raise JournalError(
                    f"braingain's journal {path} line {number} cannot be read",
                    hint="it was edited by hand; restore it from a backup, or delete the file and run "
                    "`braingain plan` to see what the next sync will do",
                ) from None

    def _take(self, record: Mapping[str, Any]) -> None:
        step = record["step"]
        if step == SETTLED:
            for key in record["keys"]:
                if key in self._entries:
                    del self._entries[key]
                    self._order.remove(key)
            return
        if step not in {STARTED, DONE, FAILED}:
            raise ValueError(step)
        entry = Entry(
            key=str(record["key"]),
            step=step,
            platform=str(record["platform"]),
            verb=str(record["verb"]),
            subject=str(record["subject"]),
            result=dict(record.get("result") or {}),
            error=str(record.get("error") or ""),
            at=str(record.get("at") or ""),
        )
        if entry.key in self._entries:
            self._order.remove(entry.key)
        self._entries[entry.key] = entry
        self._order.append(entry.key)

    def get(self, key: str) -> Entry | None:
        return self._entries.get(key)

    def entries(self) -> list[Entry]:
        """Every entry not yet settled, in the order their last record was written."""
        return [self._entries[k] for k in self._order]

    def done(self) -> list[Entry]:
        """Every ``done`` entry not yet settled, oldest first: results the tracker may not hold yet."""
        return [e for e in self.entries() if e.done]

    @property
    def empty(self) -> bool:
        return not self._entries

    # -- writing --------------------------------------------------------------------------------

    def _write(self, record: Mapping[str, Any]) -> None:
        self._take(record)
        if self.path is None:
            return
        line = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        self._folder()
        try:
            _mend_tail(self.path)
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(line)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as error:
            raise JournalError(
                f"braingain's journal {self.path} cannot be written ({error.strerror or error})",
                hint="free some disk space or fix the folder's permissions, then sync again",
            ) from None

    def start(self, action: Action[object], *, at: datetime, note: Mapping[str, Any] | None = None) -> None:
        """Record that ``action`` is about to be made (before the call), or, with ``note``, how far it
        got (an email handed to the mail server: ``{"handed": true}``); ``note`` becomes the entry's
        ``result`` while its outcome is unknown."""
        record = self._record(STARTED, action, at)
        self._write(record | {"result": dict(note)} if note else record)

    def finish(self, action: Action[object], result: Mapping[str, Any], *, at: datetime) -> None:
        """Record what the platform answered to ``action`` (after the call)."""
        self._write(self._record(DONE, action, at) | {"result": dict(result)})

    def fail(self, action: Action[object], error: str, *, at: datetime) -> None:
        """Record that the platform refused ``action``, changing nothing (``error`` never holds a secret)."""
        self._write(self._record(FAILED, action, at) | {"error": error})

    @staticmethod
    def _record(step: str, action: Action[object], at: datetime) -> dict[str, Any]:
        return {
            "step": step,
            "key": action.key,
            "platform": action.platform,
            "verb": action.verb,
            "subject": action.subject,
            "at": at.isoformat(timespec="seconds"),
        }

    def settle(self, keys: list[str]) -> None:
        """The tracker now holds these keys' results: forget them. When nothing is left, the file
        is removed (so a journal on disk always means there is something to finish)."""
        keys = [k for k in keys if k in self._entries]
        if not keys:
            return
        self._write({"step": SETTLED, "keys": keys})
        if self.path is not None and self.empty:
            with suppress(OSError):  # an empty journal on disk is harmless: read as nothing to finish
                self.path.unlink(missing_ok=True)

    def _folder(self) -> None:
        """Make the journal's folder, or say plainly why it cannot be made."""
        assert self.path is not None
        folder = self.path.parent
        if folder.exists() and not folder.is_dir():
            raise JournalError(
                f"{folder} is a file, but braingain keeps its journal in a folder of that name",
                hint="move or rename that file (braingain never wrote it), then sync again",
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise JournalError(
                f"cannot make the folder {folder} for braingain's journal ({error.strerror or error})",
                hint="check that you may write in the group's folder, then sync again",
            ) from None

    @contextmanager
    def exclusive(self, wait: float) -> Iterator[None]:
        """Hold the journal for one sync's platform actions (an operating-system lock beside it),
        waiting at most ``wait`` seconds. Raises :class:`JournalError` when another sync holds it."""
        if self.path is None:
            yield
            return
        self._folder()
        lock = FileLock(str(self.path.with_name(f".{self.path.name}.lock")), timeout=max(wait, 0.0))
        try:
            with lock:
                # Another sync may have written since this journal was read: read it afresh.
                self._entries.clear()
                self._order.clear()
                if self.path.exists():
                    self._load(self.path)
                yield
        except Timeout:
            raise JournalBusy(
                f"another sync of this group is running: reading the tracker, talking to Zoom or sending "
                f"messages ({self.path.parent})",
                hint="wait for it to finish, then sync again",
            ) from None


def _mend_tail(path: Path) -> None:
    """Before appending: a last record cut short by a crash (read as never written) is cut off, so
    that the next record starts on a line of its own rather than being read as part of it; a whole
    last record missing only its line end gets one."""
    try:
        with path.open("rb") as stream:
            stream.seek(0, os.SEEK_END)
            size = stream.tell()
            if size == 0:
                return
            stream.seek(size - 1)
            if stream.read(1) == b"\n":
                return
            stream.seek(0)
            data = stream.read()
    except FileNotFoundError:
        return
    keep = data.rfind(b"\n") + 1
    try:
        json.loads(data[keep:])
    except ValueError:
        with path.open("r+b") as stream:
            stream.truncate(keep)
            os.fsync(stream.fileno())
        return
    with path.open("ab") as stream:
        stream.write(b"\n")
        os.fsync(stream.fileno())
