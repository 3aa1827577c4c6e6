"""Identifiers: short, stable handles that people type in the tracker's ID columns."""

from __future__ import annotations

import re
from typing import NewType

from braingain.core.errors import InvalidValue, quote

MemberId = NewType("MemberId", str)
ProjectId = NewType("ProjectId", str)
TaskId = NewType("TaskId", str)
OutputId = NewType("OutputId", str)
EntryId = NewType("EntryId", str)
DisputeId = NewType("DisputeId", str)

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
ID_MAX = 64
ENTRY_ID_MAX = 160
"""Ledger entry ids are composed from a task id and a member id, so they may be longer."""


def check_id(value: str, field: str, *, max_length: int = ID_MAX) -> str:
    """Return ``value`` trimmed if it is a valid id, else raise :class:`InvalidValue`.

    An id is 1-64 letters, digits, dots, dashes, underscores or colons, starting with a
    letter or digit: ``adaeze.okafor``, ``SR-T07``.
    """
    cleaned = value.strip()
    if not _ID.fullmatch(cleaned) or len(cleaned) > max_length:
        raise InvalidValue(
            f"{quote(cleaned)} is not a valid id",
            field=field,
            hint=f"use 1-{max_length} letters, digits, '.', '-', '_' or ':', starting with a letter or digit",
        )
    return cleaned


def member_id(value: str, field: str = "member") -> MemberId:
    return MemberId(check_id(value, field))


def project_id(value: str, field: str = "project") -> ProjectId:
    return ProjectId(check_id(value, field))


def task_id(value: str, field: str = "task") -> TaskId:
    return TaskId(check_id(value, field))


def output_id(value: str, field: str = "output") -> OutputId:
    return OutputId(check_id(value, field))


def entry_id(value: str, field: str = "entry") -> EntryId:
    return EntryId(check_id(value, field, max_length=ENTRY_ID_MAX))


def dispute_id(value: str, field: str = "dispute") -> DisputeId:
    return DisputeId(check_id(value, field))
