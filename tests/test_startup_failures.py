"""Start-up failures are one line naming the cause and the remedy: no traceback, no warnings."""

from __future__ import annotations

import socket

import pytest

from tests.ops_cli import Finished, hoibot, read_only_wrapper, write_config

pytestmark = pytest.mark.slow


def assert_one_line(result: Finished, *expected: str) -> str:
    """The process failed with exactly one line on stderr, containing ``expected``."""
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hoibot: cannot start: "), lines[0]
    for text in expected:
        assert text in lines[0], lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert "Unclosed" not in result.stdout + result.stderr
    return lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_a_token_the_bot_api_rejects(tmp_path, emulator):
    config = write_config(tmp_path)
    result = await hoibot(config, "run", emulator=emulator, token="123456:WRONG")
    shown = assert_one_line(result, "rejected the token", "TELEGRAM_BOT_TOKEN")
    assert "WRONG" not in shown


async def test_verbose_shows_the_details_of_the_same_failure(tmp_path, emulator):
    config = write_config(tmp_path)
    result = await hoibot(config, "-v", "run", emulator=emulator, token="123456:WRONG")
    assert result.returncode == 1
    assert "InvalidToken" in result.stderr and "Traceback" in result.stderr
    assert "Unclosed" not in result.stderr


async def test_a_bot_api_server_nobody_answers_at(tmp_path):
    config = write_config(tmp_path)
    base_url = f"http://127.0.0.1:{free_port()}/bot"
    result = await hoibot(config, "run", token="123456:TEST-TOKEN", base_url=base_url)
    assert_one_line(result, f"cannot reach the Bot API server at {base_url}", "refused")


async def test_a_webhook_port_already_in_use(tmp_path, emulator):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        webhook = {"url": "https://hoibot.example.org/hook", "listen": "127.0.0.1", "port": port}
        config = write_config(tmp_path, telegram={"webhook": webhook})
        result = await hoibot(config, "run", emulator=emulator)
    assert_one_line(result, f"port {port} on 127.0.0.1 is already in use", "webhook.port")


async def test_a_data_folder_that_cannot_be_written(tmp_path, emulator):
    data = tmp_path / "data"
    data.mkdir()
    config = write_config(tmp_path, database=str(data / "hoibot.sqlite3"))
    result = await hoibot(config, "run", emulator=emulator, wrapper=read_only_wrapper(data))
    assert_one_line(result, f"cannot write to the data folder {data}", "writable")


async def test_a_second_bot_on_the_same_database(tmp_path, emulator, bot):
    config = write_config(tmp_path, database=str(bot.config.database))
    result = await hoibot(config, "run", emulator=emulator)
    assert_one_line(result, "already running", "stop it first")
