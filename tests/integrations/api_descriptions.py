"""The official API descriptions the fakes are checked against, read from ``shared/specs/``
beside the clone (or ``$BRAINGAIN_SPECS``), never copied into the repository.

A test that needs a description it cannot find is skipped, so a clone without them still runs.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "null": (type(None),),
}
"""Python types of each JSON schema ``type``; a bool is never an integer or number (check that apart)."""


def _path(file_name: str) -> Path | None:
    named = os.environ.get("BRAINGAIN_SPECS")
    candidates = [Path(named)] if named else []
    candidates += [parent / "shared" / "specs" for parent in Path(__file__).resolve().parents]
    for folder in candidates:
        if (folder / file_name).is_file():
            return folder / file_name
    return None


@cache
def description(file_name: str) -> dict[str, Any]:
    """The parsed description ``file_name``; skips the calling test when it is not found."""
    path = _path(file_name)
    if path is None:
        pytest.skip(f"the API description shared/specs/{file_name} is not beside this clone")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def resolve(file_name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its ``$ref`` chain followed inside the description ``file_name``."""
    while "$ref" in schema:
        node: Any = description(file_name)
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema
