"""The [zoom] section of braingain.toml: whose meetings, their topic, and the settings each gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from braingain.integrations.config import ZoomConfig, load_config
from braingain.integrations.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "braingain.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_zoom_section_meetings_are_the_apps_own_muted_and_behind_a_waiting_room(
    tmp_path: Path,
) -> None:
    config = load_config(write(tmp_path, '[group]\nname = "Brain Gain"\n'), environ={})
    assert config.zoom == ZoomConfig()
    assert (config.zoom.host, config.zoom.mute_upon_entry, config.zoom.waiting_room) == ("me", True, True)
    assert config.zoom.join_before_host is False
    assert config.zoom.topic_for("Brain Gain") == "Brain Gain meeting"


def test_the_example_configuration_sets_the_defaults_it_documents() -> None:
    config = load_config(ROOT / "config" / "braingain.example.toml", environ={})
    assert config.zoom == ZoomConfig()


def test_every_zoom_key_is_read(tmp_path: Path) -> None:
    text = (
        '[zoom]\nhost = "chair@braingain.test"\ntopic = "{group}: monthly check-in"\n'
        "mute_upon_entry = false\nwaiting_room = false\njoin_before_host = true\n"
    )
    config = load_config(write(tmp_path, '[group]\nname = "BG"\n' + text), environ={})
    assert config.zoom == ZoomConfig(
        host="chair@braingain.test",
        topic="{group}: monthly check-in",
        mute_upon_entry=False,
        waiting_room=False,
        join_before_host=True,
    )
    assert config.zoom.topic_for("BG") == "BG: monthly check-in"


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        ('[zoom]\nhost = ""\n', "[zoom] host", "is empty"),
        ('[zoom]\nhost = "the chair"\n', "[zoom] host", '"the chair" is not a Zoom user'),
        ("[zoom]\nhost = 5\n", "[zoom] host", "5 is a whole number, not text"),
        ('[zoom]\ntopic = "{name} meeting"\n', "[zoom] topic", "names {name}, which braingain does not fill"),
        ('[zoom]\ntopic = "' + "x" * 200 + ' {group}"\n', "[zoom] topic", "more than the 200 Zoom keeps"),
        ('[zoom]\nmute_upon_entry = "yes"\n', "[zoom] mute_upon_entry", '"yes" is text, not true or false'),
        ("[zoom]\nwaiting_room = 1\n", "[zoom] waiting_room", "1 is a whole number, not true or false"),
        ('[zoom]\njoin_before_host = "no"\n', "[zoom] join_before_host", "not true or false"),
        ("[zoom]\nmute = true\n", "[zoom] mute", "not a setting braingain knows"),
    ],
)
def test_a_bad_zoom_setting_is_refused_naming_its_key(
    tmp_path: Path, text: str, where: str, why: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as refused:
        load_config(path, environ={})
    assert f"{path} {where}: " in str(refused.value)
    assert why in str(refused.value)
