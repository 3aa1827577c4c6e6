"""Fixtures shared by the integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from braingain.integrations.cli import EXIT_OK, main

SAMPLE_DAY = ["--today", "2026-11-25"]
"""The day the shared sample tracker is made and first synced on."""


@pytest.fixture
def sample_tracker(tmp_path: Path) -> Path:
    """The sample group's local workbook after its first sync (on :data:`SAMPLE_DAY`); returns its
    braingain.toml."""
    workbook = tmp_path / "tracker.xlsx"
    assert main(["init", "--local", str(workbook), "--sample", *SAMPLE_DAY]) == EXIT_OK
    config = tmp_path / "braingain.toml"
    assert main(["sync", "--config", str(config), *SAMPLE_DAY]) == EXIT_OK
    return config
