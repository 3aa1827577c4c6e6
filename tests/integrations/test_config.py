"""Configuration: braingain.toml for settings, the environment or .env for secrets."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from braingain.core.authorship import LAST
from braingain.integrations.config import load_config, read_dotenv
from braingain.integrations.errors import ConfigError
from braingain.integrations.http import GOOGLE_SHEETS

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "braingain.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_configuration_loads_as_documented(tmp_path: Path) -> None:
    config = load_config(ROOT / "config" / "braingain.example.toml", environ={})
    settings = config.settings
    assert settings.name == "Diamante Research Group"
    assert settings.policy.min_share == Decimal("0.05")
    assert settings.policy.project_lead_last
    assert settings.slot is not None
    assert settings.slot.label == "Saturday 15:00 Africa/Lagos"
    assert settings.series_first == date(2026, 3, 7)
    assert date(2026, 12, 26) in settings.blackouts
    assert settings.schedule_ahead == timedelta(weeks=8)
    assert config.tracker.backend == "local"
    assert config.tracker.path == ROOT / "config" / "braingain.xlsx"


def test_without_a_file_the_built_in_settings_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(None, environ={})
    assert config.tracker.backend == "local"
    assert config.settings.slot is None


def test_secrets_come_from_the_environment_over_a_dot_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "# secrets\nexport BRAINGAIN_GOOGLE_CLIENT_ID='from-dotenv'\nOTHER=\"quoted value\"\n\n",
        encoding="utf-8",
    )
    config = load_config(write(tmp_path, ""), environ={"BRAINGAIN_GOOGLE_CLIENT_ID": "from-environment"})
    assert config.secret("BRAINGAIN_GOOGLE_CLIENT_ID") == "from-environment"
    assert config.secret("OTHER") == "quoted value"
    assert config.secret("MISSING") is None
    assert "from-environment" not in repr(config)


def test_a_malformed_dot_env_line_is_named_without_its_value(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("GOOD=1\nthis is not a setting\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2 is not KEY=value"):
        read_dotenv(tmp_path / ".env")


def test_every_endpoint_can_be_moved(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path, '[endpoints]\ngoogle_sheets = "http://127.0.0.1:9/sheets"\nsmtp_host = "mail.local"\n'
        ),
        environ={},
    )
    assert config.endpoints[GOOGLE_SHEETS] == "http://127.0.0.1:9/sheets"
    assert config.endpoints["smtp_host"] == "mail.local"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[group]\nopen_task_limit = "three"\n', "[group] open_task_limit: 'three' is not int"),
        ('[tracker]\nbackend = "excel"\n', "[tracker] backend: 'excel' is not a backend"),
        ('[meetings]\nzone = "WAT"\n', "[meetings]"),
        ('[meetings]\nday = "Someday"\n', "is not a day of the week"),
        ('[meetings]\ntime = "25:99"\n', "[meetings]"),
        ("[authorship]\nmin_share = 2\n", "[authorship]"),
        ('[authorship]\nfixed_positions = { "ada" = "first" }\n', "is not a position"),
        ('[endpoints]\nslack = "slack.com"\n', "is not a URL"),
        ('[endpoints]\nfax = "https://fax"\n', "is not an endpoint braingain knows"),
        ("[surprise]\n", "unknown section [surprise]"),
        ("this is = = not toml", "is not valid TOML"),
    ],
)
def test_a_bad_setting_names_the_file_section_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), environ={})
    assert message in str(caught.value)
    assert "braingain.toml" in str(caught.value)


def test_fixed_positions_read_numbers_and_last(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, '[authorship]\nfixed_positions = { "ada" = 1, "efe" = "last" }\n'), environ={}
    )
    assert dict(config.settings.policy.fixed_positions) == {"ada": 1, "efe": LAST}


def test_a_missing_configuration_file_says_how_to_start_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no configuration file") as caught:
        load_config(tmp_path / "nowhere.toml", environ={})
    assert "braingain.example.toml" in caught.value.hint
