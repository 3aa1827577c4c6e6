"""The group's state key and the Ledger's trail on the command line (issue 8): `init` makes the key
in .env, a sync without one says so once, and `report ledger --verify` shows every entry's status."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import openpyxl
import pytest

from braingain.integrations.cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, main
from braingain.integrations.config import STATE_KEY, read_dotenv
from braingain.integrations.text import NO_KEY
from tests.integrations.test_cli_local import run

TODAY = ["--today", "2026-11-25"]


@pytest.fixture
def tracker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The sample group in a workbook made by `init --local --sample`, synced once."""
    assert main(["init", "--local", str(tmp_path / "tracker.xlsx"), "--sample", *TODAY]) == EXIT_OK
    config = tmp_path / "braingain.toml"
    assert main(["sync", "--config", str(config), *TODAY]) == EXIT_OK
    capsys.readouterr()
    return config


def delete_ledger_row(config: Path, ident: str) -> None:
    path = config.parent / "tracker.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Ledger"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == ident)
    sheet.delete_rows(row)
    book.save(path)


def test_init_keeps_a_new_state_key_in_dot_env_readable_by_its_owner_only(tmp_path: Path) -> None:
    assert main(["init", "--local", str(tmp_path / "g.xlsx")]) == EXIT_OK
    dotenv = tmp_path / ".env"
    key = read_dotenv(dotenv)[STATE_KEY]
    assert len(key) == 64
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    assert key not in (tmp_path / "braingain.toml").read_text(encoding="utf-8")


def test_a_new_tracker_syncs_cleanly_with_its_key_and_says_nothing_about_keys(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "Everything is up to date" in out
    assert NO_KEY not in out


def test_init_key_makes_a_key_once_and_never_replaces_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "braingain.toml"
    config.write_text("", encoding="utf-8")
    (tmp_path / ".env").write_text("OTHER=kept\n", encoding="utf-8")
    code, out, _ = run(capsys, "init", "--key", "--config", str(config))
    assert code == EXIT_OK
    made = read_dotenv(tmp_path / ".env")
    assert made["OTHER"] == "kept"
    assert made[STATE_KEY] not in out, "a key is never shown"
    code, out, _ = run(capsys, "init", "--key", "--config", str(config))
    assert code == EXIT_OK
    assert "is already set" in out
    assert read_dotenv(tmp_path / ".env") == made


def test_a_sync_without_a_key_says_so_once_and_still_syncs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--local", str(tmp_path / "tracker.xlsx"), "--sample", *TODAY]) == EXIT_OK
    (tmp_path / ".env").unlink()  # a group that never had a key: its memory was never sealed
    book = openpyxl.load_workbook(tmp_path / "tracker.xlsx")
    state = book["_braingain_state"]
    state.delete_rows(next(r for r in range(2, state.max_row + 1) if state.cell(r, 1).value == "checksum"))
    book.save(tmp_path / "tracker.xlsx")
    code, out, _ = run(capsys, "sync", "--config", str(tmp_path / "braingain.toml"), *TODAY)
    assert code == EXIT_OK
    assert out.count(NO_KEY) == 1


def test_a_sync_without_the_key_of_a_sealed_memory_writes_nothing_and_says_where_the_key_is(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tracker.parent / "tracker.xlsx"
    before = workbook.read_bytes()
    (tracker.parent / ".env").rename(tracker.parent / "elsewhere.env")
    code, _, err = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert "is sealed with the group's key, but BRAINGAIN_STATE_KEY is not set here" in err
    assert "so the sync wrote nothing" in err
    assert workbook.read_bytes() == before, "the seal is never dropped"
    code, out, _ = run(capsys, "plan", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK, "a plan writes nothing, so it still works without the key"
    (tracker.parent / "elsewhere.env").rename(tracker.parent / ".env")
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert (code, "Everything is up to date" in out) == (EXIT_OK, True), "nothing was lost meanwhile"


def test_a_key_too_short_to_protect_anything_is_refused_without_being_shown(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tracker.parent / ".env").write_text(f"{STATE_KEY}=tooshort\n", encoding="utf-8")
    code, _, err = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_ERROR
    assert f"{STATE_KEY} is shorter than 32 characters" in err
    assert "tooshort" not in err


def test_the_ledger_report_verifies_every_entry_and_a_deleted_one_is_written_back(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "report", "ledger", "--verify", "--config", str(tracker), *TODAY, "--format", "json"
    )
    assert code == EXIT_OK
    data = json.loads(out)
    assert {e["status"] for e in data["entries"]} == {"intact"}
    assert data["checksum"] == "sealed with the group's key"
    assert len(data["chain_head"]) == 64
    assert data["entries"][-1]["link"] == data["chain_head"]

    delete_ledger_row(tracker, "award:SR-T01:efe.ighodalo")
    code, out, _ = run(capsys, "report", "ledger", "--verify", "--config", str(tracker), *TODAY)
    assert code == EXIT_PROBLEMS
    assert "award:SR-T01:efe.ighodalo" in out
    assert "DELETED from the tab" in out

    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert code == EXIT_PROBLEMS
    said = "A Ledger row deleted by hand is written back: award of 3.00 points to Efe Ighodalo for SR-T01"
    assert said in out
    code, out, _ = run(capsys, "sync", "--config", str(tracker), *TODAY, "--format", "json")
    assert json.loads(out)["cells"] == 0, "the sync after writes nothing"
    code, out, _ = run(
        capsys, "report", "ledger", "--verify", "--member", "efe.ighodalo", "--config", str(tracker), *TODAY,
        "--format", "json",
    )  # fmt: skip
    assert code == EXIT_OK
    entries = {e["id"]: e for e in json.loads(out)["entries"]}
    assert entries["award:SR-T01:efe.ighodalo"]["status"] == "restored"
    assert entries["award:SR-T01:efe.ighodalo"]["restored_on"] == "2026-11-25"
    assert {e["member"] for e in entries.values()} == {"efe.ighodalo"}


def test_the_ledger_report_without_verify_lists_what_counts(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", "ledger", "--config", str(tracker), *TODAY)
    assert code == EXIT_OK
    assert "dispute:D-002" in out
    assert "Status" not in out


def test_an_init_that_cannot_make_the_tracker_leaves_no_key_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "g.xlsx").write_bytes(b"not ours")
    code, _, _ = run(capsys, "init", "--local", str(tmp_path / "g.xlsx"))
    assert code == EXIT_ERROR
    assert not (tmp_path / ".env").exists()


def test_with_format_json_a_refusal_is_a_json_document_on_standard_output(
    tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tracker.parent / ".env").rename(tracker.parent / "elsewhere.env")
    code, out, err = run(capsys, "sync", "--config", str(tracker), *TODAY, "--format", "json")
    assert (code, err) == (EXIT_ERROR, "")
    found = json.loads(out)["error"]
    assert found["kind"] == "ConfigError"
    assert found["exit_code"] == EXIT_ERROR
    assert found["message"].startswith("braingain's memory of ")
    assert "is sealed with the group's key" in found["message"]
    assert ".env" in found["hint"]
    code, out, err = run(capsys, "sync", "--config", str(tracker), *TODAY)
    assert (code, out) == (EXIT_ERROR, "")
    assert err.startswith("braingain: braingain's memory of "), "without --format json, a line on stderr"


def test_with_format_json_a_missing_configuration_is_a_json_document_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "report", "ledger", "--config", str(tmp_path / "none.toml"), "--format", "json"
    )
    assert (code, err) == (EXIT_ERROR, "")
    found = json.loads(out)["error"]
    assert found["kind"] == "ConfigError"
    assert "none.toml" in found["message"]
