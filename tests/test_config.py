"""Configuration: defaults, environment overrides, and one clear line for every mistake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import TELEGRAM_API_BASE_URL, ConfigError, load_config, parse_config
from emulator import BotApiEmulator
from hoibot.console import console_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_loads_with_documented_defaults() -> None:
    config = load_config(Path(__file__).parent.parent / "config.yaml", env={})
    assert config.telegram.base_url == TELEGRAM_API_BASE_URL
    assert config.timezone == "Asia/Ho_Chi_Minh"
    assert config.default_language == "vi"
    assert config.admins == ()
    assert config.knowledge_dir.name == "knowledge" and config.knowledge_dir.is_dir()
    assert config.association.website == "vla.org.vn"
    assert config.association.phone == ""  # not verified: left to the secretariat


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "telegram:\n  token: 'file-token'\n  base_url: http://file/bot\nadmins: [1]\n",
    )
    env = {
        "TELEGRAM_BOT_TOKEN": "123:abc",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
        "HOIBOT_ADMINS": "42, 43",
    }
    config = load_config(path, env=env)
    assert config.telegram.token == "123:abc"
    assert config.telegram.base_url == "http://127.0.0.1:9/bot"
    assert config.admins == (42, 43)


def test_a_data_folder_from_the_environment_holds_the_database_and_what_lies_beside_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "fresh"
    config = load_config(
        write(tmp_path, "database: db/bot.sqlite3\n"), env={"HOIBOT_DATA_DIR": str(folder)}
    )
    assert config.database == folder / "hoibot.sqlite3"
    assert config.backup_dir == folder / "backups"
    # The offline console keeps its own database, history and files in the same folder.
    assert console_config(config, BotApiEmulator()).database == folder / "console.sqlite3"


def test_relative_paths_are_read_from_the_config_files_folder(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "database: db/bot.sqlite3\n"), env={})
    assert config.database == tmp_path.resolve() / "db" / "bot.sqlite3"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("telgram:\n  token: x\n", "telgram"),
        ("telegram:\n  tokn: x\n", "telegram.tokn"),
        ("timezone: Mars/Olympus\n", "timezone"),
        ("admins: [12, abc]\n", "admins"),
        ("default_language: fr\n", "default_language"),
        ("announcements:\n  messages_per_second: -3\n", "announcements.messages_per_second"),
        (
            "telegram:\n  webhook:\n    secret_token: 'has spaces'\n",
            "telegram.webhook.secret_token",
        ),
        ("telegram:\n  base_url: ftp://x\n", "telegram.base_url"),
        ("members_group_id: [1]\n", "members_group_id"),
        ("retention:\n  visitor_days: 0\n", "retention.visitor_days"),
        ("backups:\n  directory: elsewhere\n", "backups.directory"),
        ("source: elsewhere.yaml\n", "source"),
    ],
)
def test_a_bad_key_is_named_in_the_error(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, text), env={})
    assert str(raised.value).startswith(f"{key}:")


def test_an_empty_key_means_its_default_and_a_bad_override_names_the_variable(
    tmp_path: Path,
) -> None:
    config = load_config(write(tmp_path, "backups:\nretention:\n  visitor_days:\n"), env={})
    assert (config.backups.keep, config.retention.visitor_days) == (14, 180)
    with pytest.raises(ConfigError, match=r"^backups\.keep: must be at least 1$"):
        parse_config({"backups": {"keep": 0}}, env={})
    with pytest.raises(ConfigError, match=r"^HOIBOT_ADMINS: must be a whole number$"):
        parse_config({"admins": [1]}, env={"HOIBOT_ADMINS": "42, boss"})


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "admins: [1, 2\ntimezone: x\n")
    with pytest.raises(ConfigError, match=r"config\.yaml:\d+: not valid YAML"):
        load_config(path, env={})


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml", env={})


def test_admin_check() -> None:
    config = parse_config({"admins": [7]}, env={})
    assert config.is_admin(7)
    assert not config.is_admin(8)
    assert not config.is_admin(None)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hoibot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )


def test_bad_config_stops_the_program_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = run_cli("--config", str(write(tmp_path, "timezone: Nowhere/Land\n")), "run")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1].startswith("hoibot: configuration error: timezone:")
    )


def test_run_without_a_token_says_which_key_is_missing(tmp_path: Path) -> None:
    result = run_cli("--config", str(write(tmp_path, "admins: []\n")), "run")
    assert result.returncode == 2
    assert "telegram.token" in result.stderr
    assert "Traceback" not in result.stderr
