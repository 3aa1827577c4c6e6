"""Loading the tracker schema that ships in ``braingain.sheets_templates``."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from braingain.core.tracker.schema import Schema, schema_from_data


@cache
def load_schema() -> Schema:
    """The tracker schema (``sheets_templates/tracker.toml``), checked and cached."""
    text = resources.files("braingain.sheets_templates").joinpath("tracker.toml").read_text(encoding="utf-8")
    return schema_from_data(tomllib.loads(text))
