from __future__ import annotations

from pathlib import Path

import pytest

from tidings.errors import ConfigError
from tidings.settings import Settings, load_settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_settings_defaults() -> None:
    s = load_settings(environ={})
    assert s.db == "tidings.duckdb"
    assert s.stage_names == [
        "clean",
        "language",
        "nlp",
        "entities",
        "dates",
        "places",
        "events",
        "quotes",
        "tags",
        "tone",
    ]
    assert s.max_input_bytes == 5_000_000


def test_settings_file_env_and_overrides_in_priority_order(tmp_path: Path) -> None:
    config = tmp_path / "tidings.toml"
    config.write_text('[tidings]\nbatch_size = 8\ndb = "from-file.duckdb"\nworkers = 3\n')
    env = {"TIDINGS_BATCH_SIZE": "16"}
    s = load_settings(config, environ=env, workers=None, db="override.duckdb")
    assert s.batch_size == 16  # env beats file
    assert s.db == "override.duckdb"  # override beats file
    assert s.workers == 3  # None override ignored


def test_settings_unknown_name_lists_valid_ones(tmp_path: Path) -> None:
    config = tmp_path / "t.toml"
    config.write_text("bach_size = 8\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'bach_size'.*batch_size"):
        load_settings(config, environ={})


@pytest.mark.parametrize(
    ("name", "value"),
    [("batch_size", "lots"), ("error_mode", "ignore"), ("workers", -1), ("fetch_timeout", 0)],
)
def test_settings_invalid_values_are_refused(name: str, value: object) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings(environ={}, **{name: value})


def test_settings_bad_toml_says_which_file(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("batch_size = = 3")
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        load_settings(config, environ={})


def test_settings_every_setting_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for name, help_text in Settings.help().items():
        assert help_text.strip(), f"setting {name} has no help text"
        assert f"`{name}`" in docs, f"setting {name} is missing from docs/settings.md"
