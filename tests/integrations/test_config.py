"""Configuration: braingain.toml for settings, the environment or .env for secrets."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from braingain.core.authorship.icmje import LAST
from braingain.integrations.cli import EXIT_ERROR, main
from braingain.integrations.config import KEYS, load_config, read_dotenv
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
    assert settings.blackouts == frozenset(), "no holidays until the group names its own"
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
        write(tmp_path, '[endpoints]\ngoogle_sheets = "http://127.0.0.1:9/sheets"\n'), environ={}
    )
    assert config.endpoints[GOOGLE_SHEETS] == "http://127.0.0.1:9/sheets"


@pytest.mark.parametrize(
    ("written", "day"), [("Mon", 0), ("monday", 0), ("Sat", 5), ("SUNDAY", 6), ("Th", 3)]
)
def test_the_digest_day_is_written_as_the_meetings_day_is(tmp_path: Path, written: str, day: int) -> None:
    config = load_config(write(tmp_path, f'[messages]\ndigest_day = "{written}"\n'), environ={})
    assert config.messages.digest_day == day


def test_the_mail_server_is_the_email_sections_and_nothing_else_knows_it(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[email]\nsmtp_host = "mail.local"\nsmtp_port = 2587\n'), environ={})
    assert (config.email.smtp_host, config.email.smtp_port) == ("mail.local", 2587)
    assert "smtp_host" not in config.endpoints
    refused = '[endpoints]\nsmtp_host = "mail.local"\n'
    with pytest.raises(
        ConfigError, match=r"\[endpoints\] smtp_host: not a setting braingain knows"
    ) as raised:
        load_config(write(tmp_path, refused), environ={})
    assert "it belongs under [email]" in raised.value.hint


# Each key's wrong values, as `braingain sync --config` reports them: (the file, where, why).
BAD_SETTINGS: list[tuple[str, str, str]] = [
    # [group]
    ("[group]\nname = 5\n", "[group] name", "5 is a whole number, not text"),
    ('[group]\nname = "  "\n', "[group] name", "is empty"),
    (
        '[group]\nopen_task_limit = "three"\n',
        "[group] open_task_limit",
        '"three" is text, not a whole number',
    ),
    (
        "[group]\nopen_task_limit = 0\n",
        "[group] open_task_limit",
        "0 is out of range (use a whole number 1 or",
    ),
    ("[group]\nopen_task_limit = -1\n", "[group] open_task_limit", "-1 is out of range"),
    ("[group]\nopen_task_limit = 2.5\n", "[group] open_task_limit", "2.5 is a number with a fraction"),
    ("[group]\nopen_task_limit = nan\n", "[group] open_task_limit", "nan is not a whole number"),
    ("[group]\nopen_task_limit = true\n", "[group] open_task_limit", "true is a true/false value"),
    # [authorship]
    ("[authorship]\nmin_share = nan\n", "[authorship] min_share", "nan is not a number"),
    ("[authorship]\nmin_share = inf\n", "[authorship] min_share", "inf is not a number"),
    ("[authorship]\nmin_share = -inf\n", "[authorship] min_share", "-inf is not a number"),
    (
        "[authorship]\nmin_share = 2\n",
        "[authorship] min_share",
        "2 is out of range (use a number from 0 to 1",
    ),
    ("[authorship]\nmin_share = -0.1\n", "[authorship] min_share", "-0.1 is out of range"),
    ('[authorship]\nmin_share = "0.05"\n', "[authorship] min_share", '"0.05" is text, not a number'),
    (
        "[authorship]\nmin_share = true\n",
        "[authorship] min_share",
        "true is a true/false value, not a number",
    ),
    (
        "[authorship]\nmin_points = -1\n",
        "[authorship] min_points",
        "-1 is out of range (use a number 0 or more",
    ),
    ("[authorship]\nmin_points = inf\n", "[authorship] min_points", "inf is not a number"),
    ('[authorship]\nmin_points = "2"\n', "[authorship] min_points", "is text, not a number"),
    (
        '[authorship]\nproject_lead_last = "yes"\n',
        "[authorship] project_lead_last",
        "is text, not true or false",
    ),
    ("[authorship]\nshared_first_on_tie = 1\n", "[authorship] shared_first_on_tie", "1 is a whole number"),
    ('[authorship]\ncarry_over = "false"\n', "[authorship] carry_over", "is text, not true or false"),
    ('[authorship]\nfixed_positions = "ada"\n', "[authorship] fixed_positions", "is text, not a table"),
    (
        '[authorship]\nfixed_positions = { "ada" = "first" }\n',
        "[authorship] fixed_positions.ada",
        '"first" is not a position',
    ),
    (
        '[authorship]\nfixed_positions = { "ada" = 0 }\n',
        "[authorship] fixed_positions.ada",
        "0 is not a position",
    ),
    (
        '[authorship]\nfixed_positions = { "ada" = -1 }\n',
        "[authorship] fixed_positions.ada",
        "-1 is not a position",
    ),
    (
        '[authorship]\nfixed_positions = { "ada" = 1.5 }\n',
        "[authorship] fixed_positions.ada",
        "1.5 is not a position",
    ),
    (
        '[authorship]\nfixed_positions = { "ada" = true }\n',
        "[authorship] fixed_positions.ada",
        "true is not a position",
    ),
    (
        '[authorship]\nfixed_positions = { "not an id!" = 1 }\n',
        "[authorship] fixed_positions.not an id!",
        "not a valid id",
    ),
    (
        '[authorship]\nfixed_positions = { "ada" = 1, "efe" = 1 }\n',
        "[authorship] fixed_positions",
        "two fixed positions clash",
    ),
    (
        '[authorship]\nproject_lead_last = true\nfixed_positions = { "ada" = "last" }\n',
        "[authorship] fixed_positions",
        "the last position is fixed twice",
    ),
    # [tracker]
    (
        '[tracker]\nbackend = "excel"\n',
        "[tracker] backend",
        '"excel" is not one braingain knows (use "local" or',
    ),
    ('[tracker]\nbackend = "locl"\n', "[tracker] backend", 'did you mean "local"?'),
    ("[tracker]\nbackend = 1\n", "[tracker] backend", "1 is a whole number, not text"),
    ('[tracker]\npath = ""\n', "[tracker] path", "is empty"),
    ('[tracker]\npath = "tracker.xls"\n', "[tracker] path", '"tracker.xls" is not an .xlsx workbook'),
    ("[tracker]\npath = 5\n", "[tracker] path", "5 is a whole number, not text"),
    ('[tracker]\nspreadsheet_id = ""\n', "[tracker] spreadsheet_id", "is empty"),
    ("[tracker]\nspreadsheet_id = 123\n", "[tracker] spreadsheet_id", "123 is a whole number, not text"),
    ('[tracker]\nshare_with_leaders = "yes"\n', "[tracker] share_with_leaders", "is text, not true or false"),
    # [meetings]
    ('[meetings]\nday = "Funday"\n', "[meetings] day", "'Funday' is not a day of the week (use Mon, Tue"),
    ("[meetings]\nday = 6\n", "[meetings] day", "6 is a whole number, not text"),
    ('[meetings]\ntime = "3pm"\n', "[meetings] time", '"3pm" is not a time of day (write it as "HH:MM"'),
    ('[meetings]\ntime = "25:99"\n', "[meetings] time", '"25:99" is not a time of day'),
    ('[meetings]\ntime = "24:00"\n', "[meetings] time", '"24:00" is not a time of day'),
    ('[meetings]\ntime = "15:60"\n', "[meetings] time", '"15:60" is not a time of day'),
    ('[meetings]\ntime = "15"\n', "[meetings] time", '"15" is not a time of day'),
    ('[meetings]\ntime = ""\n', "[meetings] time", '"" is not a time of day'),
    ("[meetings]\ntime = 1500\n", "[meetings] time", "1500 is a whole number, not a time of day"),
    ("[meetings]\ntime = 15:00:30\n", "[meetings] time", "15:00:30 is not a time in whole minutes"),
    ('[meetings]\nzone = "WAT"\n', "[meetings] zone", "'WAT' is not a time zone braingain knows"),
    ('[meetings]\nzone = "Lagos"\n', "[meetings] zone", "did you mean Africa/Lagos?"),
    ('[meetings]\nzone = "Mars/Base"\n', "[meetings] zone", "'Mars/Base' is not a time zone braingain knows"),
    ('[meetings]\nzone = "Etc/GMT+1"\n', "[meetings] zone", "'Etc/GMT+1' is not a time zone braingain knows"),
    ("[meetings]\nzone = 1\n", "[meetings] zone", "1 is a whole number, not text"),
    (
        "[meetings]\nlength_minutes = 10\n",
        "[meetings] length_minutes",
        "10 is out of range (use a whole number from 15 to 480)",
    ),
    (
        "[meetings]\nlength_minutes = 481\n",
        "[meetings] length_minutes",
        "481 is out of range (use a whole number from 15 to 480)",
    ),
    (
        "[meetings]\nlength_minutes = 0\n",
        "[meetings] length_minutes",
        "0 is out of range (use a whole number from 15 to 480)",
    ),
    ("[meetings]\nlength_minutes = -90\n", "[meetings] length_minutes", "-90 is out of range"),
    ("[meetings]\nlength_minutes = 90.5\n", "[meetings] length_minutes", "90.5 is a number with a fraction"),
    ('[meetings]\nlength_minutes = "90"\n', "[meetings] length_minutes", '"90" is text, not a whole number'),
    ("[meetings]\nlength_minutes = nan\n", "[meetings] length_minutes", "nan is not a whole number"),
    (
        '[meetings]\nfirst = "2026-03-06"\n',
        "[meetings] first",
        "2026-03-06 is a Friday, but the meetings are on",
    ),
    ('[meetings]\nfirst = "07/03/2026"\n', "[meetings] first", '"07/03/2026" is not a date (write it as'),
    ('[meetings]\nfirst = "2026-02-30"\n', "[meetings] first", '"2026-02-30" is not a date'),
    ("[meetings]\nfirst = 2026\n", "[meetings] first", "2026 is not a date"),
    ("[meetings]\nfirst = 2026-03-07T15:00:00\n", "[meetings] first", "2026-03-07T15:00:00 is not a date"),
    ('[meetings]\nseries_id = "my series!"\n', "[meetings] series_id", "'my series!' is not a valid id"),
    ('[meetings]\nseries_id = ""\n', "[meetings] series_id", "is empty"),
    ("[meetings]\nbusy_every_weeks = 0\n", "[meetings] busy_every_weeks", "0 is out of range"),
    ('[meetings]\nbusy_every_weeks = "2"\n', "[meetings] busy_every_weeks", '"2" is text'),
    (
        "[meetings]\nbusy_every_weeks = 6\n",
        "[meetings] busy_every_weeks, quiet_every_weeks",
        "every 6 and 4 weeks",
    ),
    (
        "[meetings]\nquiet_every_weeks = 13\n",
        "[meetings] busy_every_weeks, quiet_every_weeks",
        "every 2 and 13 weeks",
    ),
    ("[meetings]\nlookahead_weeks = -1\n", "[meetings] lookahead_weeks", "-1 is out of range"),
    ("[meetings]\nlookahead_weeks = 27\n", "[meetings] lookahead_weeks", "27 weeks (use 0 to 26 weeks)"),
    ('[meetings]\nblackouts = "2026-12-26"\n', "[meetings] blackouts", "is text, not a list of dates"),
    ('[meetings]\nblackouts = ["26/12/2026"]\n', "[meetings] blackouts[1]", '"26/12/2026" is not a date'),
    ('[meetings]\nblackouts = [2026-12-26, "x"]\n', "[meetings] blackouts[2]", '"x" is not a date'),
    ("[meetings]\nschedule_ahead_weeks = -1\n", "[meetings] schedule_ahead_weeks", "-1 is out of range"),
    ("[meetings]\nschedule_ahead_weeks = 1000000000\n", "[meetings] schedule_ahead_weeks", "out of range"),
    ("[meetings]\nschedule_ahead_weeks = nan\n", "[meetings] schedule_ahead_weeks", "nan is not a whole"),
    ("[meetings]\npublish_agenda_days = 0\n", "[meetings] publish_agenda_days", "0 is out of range"),
    ("[meetings]\npublish_agenda_days = 100\n", "[meetings] publish_agenda_days", "100 is out of range"),
    # [endpoints]
    ('[endpoints]\nslack = "slack.com"\n', "[endpoints] slack", '"slack.com" is not a web address'),
    ('[endpoints]\nslack = "ftp://files.example.org"\n', "[endpoints] slack", "is not a web address"),
    ('[endpoints]\nslack = "https://"\n', "[endpoints] slack", '"https://" is not a web address'),
    ("[endpoints]\nslack = 5\n", "[endpoints] slack", "5 is not a web address"),
    ("[email]\nsmtp_port = 0\n", "[email] smtp_port", "0 is out of range (use a whole number from 1"),
    ("[email]\nsmtp_port = 70000\n", "[email] smtp_port", "70000 is out of range"),
    ('[email]\nsmtp_port = "587"\n', "[email] smtp_port", '"587" is text, not a whole number'),
    ('[email]\nsmtp_host = ""\n', "[email] smtp_host", "is empty"),
    ("[email]\nsmtp_host = 5\n", "[email] smtp_host", "5 is a whole number, not text"),
    # [slack], [messages], [serve]
    ('[slack]\nchannel = "Our Group"\n', "[slack] channel", '"Our Group" is not a Slack channel name'),
    (
        '[slack]\nproject_channel_prefix = "proj #"\n',
        "[slack] project_channel_prefix",
        "is not a Slack channel",
    ),
    ('[messages]\ndigest_day = "someday"\n', "[messages] digest_day", "is not a day of the week"),
    ('[messages]\ndigest_time = "8am"\n', "[messages] digest_time", '"8am" is not a time of day'),
    ("[messages]\nnews_days = 0\n", "[messages] news_days", "0 is out of range"),
    ("[messages]\nnews_days = 61\n", "[messages] news_days", "61 is out of range"),
    ("[serve]\nport = 0\n", "[serve] port", "0 is out of range"),
    ("[serve]\nsync_minutes = 0\n", "[serve] sync_minutes", "0 is out of range"),
    # [workspace]
    ('[workspace]\noutbox = ""\n', "[workspace] outbox", "is empty"),
    ("[workspace]\noutbox = 5\n", "[workspace] outbox", "5 is a whole number, not text"),
    # sections and keys
    ("[surprise]\n", "", "unknown section [surprise] (the sections are [group], [authorship]"),
    ('[meeting]\nday = "Sat"\n', "", "unknown section [meeting] (did you mean [meetings]?"),
    ("[Group]\n", "", "unknown section [Group] (did you mean [group]?"),
    ("meetings = 5\n", "", "meetings is a whole number, but [meetings] is a section"),
    ('[[group]]\nname = "x"\n', "", "group is a list, but [group] is a section"),
    ('name = "x"\n', "", "name is outside any section (put it under [group])"),
    ("whatever = 1\n", "", "whatever is outside any section (put each setting under its section"),
    (
        "[meetings]\nlenght_minutes = 60\n",
        "[meetings] lenght_minutes",
        "not a setting braingain knows (did you",
    ),
    ('[meetings]\nDay = "Sat"\n', "[meetings] Day", "(did you mean day?)"),
    ('[group]\nbackend = "local"\n', "[group] backend", "(it belongs under [tracker])"),
    ("[tracker]\nfrobnicate = 1\n", "[tracker] frobnicate", "([tracker] takes backend, path, spreadsheet_id"),
    ('[endpoints]\nfax = "https://fax.example.org"\n', "[endpoints] fax", "not a setting braingain knows"),
    ("[meetings.extra]\n", "[meetings] extra", "not a setting braingain knows"),
    ("this is = = not toml", "", "is not valid TOML"),
]


@pytest.mark.parametrize(("text", "where", "why"), BAD_SETTINGS)
def test_every_bad_setting_is_refused_naming_the_file_section_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str, why: str
) -> None:
    config = write(tmp_path, text)
    assert main(["sync", "--config", str(config)]) == EXIT_ERROR
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"braingain: {config} {where}: " if where else f"braingain: {config}")
    assert why in err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_the_example_configuration_documents_every_key_braingain_reads() -> None:
    example = (ROOT / "config" / "braingain.example.toml").read_text(encoding="utf-8")
    # Every key, set or commented out, under its section.
    documented: dict[str, set[str]] = {}
    section = ""
    for line in example.splitlines():
        found = re.fullmatch(r"\[(\w+)\]", line.strip())
        if found:
            section = found[1]
            continue
        key = re.match(r"#? ?(\w+) = ", line)
        if key and section:
            documented.setdefault(section, set()).add(key[1])
    assert documented == {section: set(keys) for section, keys in KEYS.items()}


def test_settings_may_use_tomls_own_dates_and_times(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            '[meetings]\nday = "sat"\ntime = 09:30:00\nfirst = 2026-03-07\nblackouts = [2026-12-26]\n',
        ),
        environ={},
    )
    assert config.settings.slot is not None
    assert config.settings.slot.start == 9 * 60 + 30
    assert config.settings.series_first == date(2026, 3, 7)
    assert config.settings.blackouts == frozenset({date(2026, 12, 26)})


def test_numbers_are_read_exactly_as_written(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[authorship]\nmin_share = 0.1\nmin_points = 2\n"), environ={})
    assert config.settings.policy.min_share == Decimal("0.1")
    assert config.settings.policy.min_points == Decimal("2")


def test_a_configuration_braingain_cannot_read_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[group]\nname = "Gruppe Müller"\n'.encode("latin-1"))
    assert main(["plan", "--config", str(latin)]) == EXIT_ERROR
    assert f"braingain: {latin} is not UTF-8 text (save it as UTF-8" in capsys.readouterr().err
    assert main(["plan", "--config", str(tmp_path)]) == EXIT_ERROR
    assert f"braingain: {tmp_path} is a folder, not a configuration file" in capsys.readouterr().err
    (tmp_path / ".env").write_bytes(b"TOKEN=\xff\xfe\n")
    assert main(["plan", "--config", str(write(tmp_path, ""))]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"{tmp_path / '.env'} is not UTF-8 text" in err
    assert "Traceback" not in err


def test_fixed_positions_read_numbers_and_last(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, '[authorship]\nfixed_positions = { "ada" = 1, "efe" = "last" }\n'), environ={}
    )
    assert dict(config.settings.policy.fixed_positions) == {"ada": 1, "efe": LAST}


def test_a_missing_configuration_file_says_how_to_start_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no configuration file") as caught:
        load_config(tmp_path / "nowhere.toml", environ={})
    assert f"braingain init --local tracker.xlsx --config {tmp_path / 'nowhere.toml'}" in caught.value.hint
    assert "braingain.example.toml" not in caught.value.hint  # a file in the code folder, not the leader's
