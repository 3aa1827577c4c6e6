"""The layering written in docs/architecture.md, enforced.

import-linter (``make contracts``) keeps ``braingain.core`` free of integrations, SDKs
and I/O libraries. These tests add what an import check cannot see: the core never
reads the clock, the environment or a file, and the distribution installs a single
import name.
"""

from __future__ import annotations

import ast
import importlib.metadata
import tomllib
from pathlib import Path

import pytest

import braingain.core
from braingain.core.tracker.schema import Owner
from braingain.integrations.tracker.schema import load_schema

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core"

FORBIDDEN_CALLS = {
    ("datetime", "now"): "reads the clock: pass the time in",
    ("datetime", "utcnow"): "reads the clock: pass the time in",
    ("datetime", "today"): "reads the clock: pass the date in",
    ("date", "today"): "reads the clock: pass the date in",
    ("time", "time"): "reads the clock: pass the time in",
    ("time", "monotonic"): "reads the clock: pass the time in",
    ("os", "getenv"): "reads the environment: configuration is passed in",
    ("random", "random"): "is not deterministic",
}
FORBIDDEN_NAMES = {"open", "print", "input", "environ", "getenv"}
"""Builtins and os names that mean I/O or the environment (``task.open()`` is a domain method)."""
FORBIDDEN_ATTRIBUTES = {"environ", "getenv", "read_text", "write_text", "read_bytes", "write_bytes"}


def _core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_reads_the_clock_the_environment_or_files(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            reason = FORBIDDEN_CALLS.get((node.value.id, node.attr))
            if reason:
                problems.append(f"line {node.lineno}: {node.value.id}.{node.attr} {reason}")
            if node.attr in FORBIDDEN_ATTRIBUTES:
                problems.append(f"line {node.lineno}: .{node.attr} is I/O or environment access")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            problems.append(f"line {node.lineno}: {node.id} is I/O or environment access")
        if isinstance(node, ast.ImportFrom) and node.module == "random":
            problems.append(f"line {node.lineno}: random is not deterministic")
    assert problems == []


def test_every_package_folder_is_installed_under_the_braingain_name() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {"braingain"}
    folders = (
        ("core", "braingain.core"),
        ("integrations", "braingain.integrations"),
        ("sheets_templates", "braingain.sheets_templates"),
        ("config", "braingain.config"),
    )
    for top, name in folders:
        for init in (ROOT / top).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / top).parts
            found.add(".".join((name, *parts)))
    assert found == listed, "add new package folders to [tool.setuptools] packages in pyproject.toml"


def test_the_distribution_installs_one_top_level_import_name() -> None:
    dist = importlib.metadata.distribution("braingain")
    top_level = (dist.read_text("top_level.txt") or "").split()
    assert top_level == ["braingain"]


def test_braingain_core_is_the_core_folder_of_this_checkout() -> None:
    assert Path(braingain.core.__file__).resolve().parent == CORE


def _source_files() -> list[Path]:
    return sorted([*CORE.rglob("*.py"), *(ROOT / "integrations").rglob("*.py")])


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_messages_quote_values_through_the_one_helper_that_keeps_them_short(path: Path) -> None:
    """A value echoed with ``!r`` can be a whole pasted essay; ``errors.quote`` cuts it to about
    80 characters. Only ``__repr__`` (for developers) and ``quote`` itself may use ``!r``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    reprs = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef) and f.name in ("__repr__", "quote")
        for n in ast.walk(f)
    }
    found = [
        f"line {node.lineno}: use quote(...) instead of !r"
        for node in ast.walk(tree)
        if isinstance(node, ast.FormattedValue) and node.conversion == ord("r") and id(node) not in reprs
    ]
    assert found == []


def _documented_columns() -> dict[str, dict[str, str]]:
    """docs/tracker.md's tables: tab title -> column header -> what a bad cell does."""
    found: dict[str, dict[str, str]] = {}
    tab = None
    for line in (ROOT / "docs" / "tracker.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            tab = line[4:].strip()
            found[tab] = {}
        elif tab and line.startswith("| ") and not line.startswith(("| column", "| ---")):
            column, effect = (part.strip() for part in line.strip("|").split("|", 1))
            found[tab][column] = effect
    return found


def test_the_docs_say_for_every_column_of_every_tab_what_a_bad_cell_holds() -> None:
    documented = _documented_columns()
    for tab in load_schema().tabs:
        people = [c for c in tab.columns if c.owner is Owner.PEOPLE]
        if not people:
            continue
        assert tab.title in documented, tab.title
        table = documented[tab.title]
        assert set(table) == {c.header for c in people}, tab.title
        for column in people:
            holds = table[column.header].startswith("holds the row")
            assert holds == column.holds_row, (tab.title, column.header)
