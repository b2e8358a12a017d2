"""Secrets never leave: not in the log at any level, not in error texts, not in config errors;
and the log says what happened to each update without saying what anyone wrote."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from telegram.error import NetworkError
from telegram.ext import CommandHandler

from bot import logs
from bot.config import ConfigError, default_config_path, parse_config
from bot.tg.announcements.delivery import classify
from bot.tg.app import bot_api_request
from tests.harness import ROOT, BotHarness, make_config, webhook_bot
from tests.updatelog import update_log

SECRET = "hook-Secret_0123456789"


@contextmanager
def bot_log(**settings: object) -> Iterator[io.StringIO]:
    """The bot's own log set-up (``bot.logs.configure``), written to a buffer; restored after."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    out = io.StringIO()
    logs.configure(stream=out, **settings)  # type: ignore[arg-type]
    try:
        yield out
    finally:
        for handler in root.handlers[:]:
            root.removeHandler(handler)
        for handler in saved:
            root.addHandler(handler)
        root.setLevel(level)


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """As with ``hoibot -v``."""
    with bot_log(verbose=True) as out:
        yield out


@pytest.fixture
def info_log() -> Iterator[io.StringIO]:
    """As with ``hoibot``."""
    with bot_log() as out:
        yield out


async def test_the_debug_log_never_holds_the_token_or_the_webhook_secret(
    tmp_path, emulator, member, debug_log
) -> None:
    hook = {"url": "https://hoibot.example.org/hook", "port": 0, "secret_token": SECRET}
    telegram = {"token": emulator.token, "base_url": emulator.base_url, "webhook": hook}
    config = make_config(tmp_path, emulator, telegram=telegram)
    async with webhook_bot(config):  # PTB logs setWebhook's parameters at DEBUG, the secret too
        pass
    library = logging.getLogger("telegram.ext")
    library.debug("request to %s/getMe", emulator.base_url + emulator.token)
    try:
        raise NetworkError(f"failed: {emulator.base_url}{emulator.token}/sendMessage")
    except NetworkError:
        library.exception("a traceback that names the token")
    written = debug_log.getvalue()
    assert "setWebhook" in written and "a traceback that names the token" in written
    assert emulator.token not in written
    assert SECRET not in written


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999/bot123456:AAH-secret-token-secret-token/x",
        "http://127.0.0.1:abc/bot123456:AAH-secret-token-secret-token/x",
        "ftp://127.0.0.1/bot123456:AAH-secret-token-secret-token/x",
    ],
)
async def test_a_transport_error_carries_no_url(url: str) -> None:
    request = bot_api_request()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(url)
    finally:
        await request.shutdown()
    assert "127.0.0.1" not in str(raised.value) and "AAH-secret" not in str(raised.value)


def test_a_delivery_error_is_recorded_without_its_url() -> None:
    error = NetworkError("boom at https://api.telegram.org/bot123456:AAHsecrettokensecrettoken/x")
    reason = classify(error).reason
    assert "api.telegram.org" not in reason and "AAHsecret" not in reason


async def test_an_error_report_to_admins_names_no_url_and_no_token(bot, emulator, member, admin):
    async def broken(update, context) -> None:
        raise RuntimeError(f"could not fetch {emulator.base_url}{emulator.token}/getFile")

    bot.application.add_handler(CommandHandler("boom", broken))
    with update_log() as lines:
        await member.send("/boom")
        report = await admin.next_message()
        await lines.wait_for(lambda _: bool(lines.matching(feature="/boom")))
    assert lines.matching(feature="/boom")[0]["outcome"] == "error"
    assert "could not fetch" in report.text
    assert emulator.token not in report.text and emulator.base_url not in report.text
    await admin.send("/health")
    health = await admin.wait_for(lambda m: "could not fetch" in m.text)
    assert emulator.token not in health.text and emulator.base_url not in health.text


def test_a_malformed_base_url_does_not_echo_the_token() -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    with pytest.raises(ConfigError) as raised:
        parse_config({"telegram": {"base_url": f"api.telegram.org/bot{token}"}}, env={})
    assert "telegram.base_url" in str(raised.value)
    assert token not in str(raised.value) and "AAHdq" not in str(raised.value)


async def test_each_update_gets_one_log_line_without_what_was_written(
    bot, member, info_log
) -> None:
    with update_log() as handled:  # a line is written once its update's handling ended
        await member.send("Hội phí năm nay bao nhiêu, chị Lan ở Hà Nội hỏi")
        await member.next_message()
        await member.send("/privacy")
        await member.next_message()
        await handled.wait_for(lambda _: len(handled.matching()) == 2)
    lines = [line for line in info_log.getvalue().splitlines() if "hoibot.updates" in line]
    assert len(lines) == 2
    assert " message text private " in lines[0] and lines[0].endswith(" ok")
    assert " message /privacy private " in lines[1]
    assert "Hội phí" not in info_log.getvalue()
    assert "Lan" not in "\n".join(lines) and str(member.id) not in "\n".join(lines)


async def test_the_log_can_be_json_lines_for_a_collector(tmp_path, emulator, admin, admin2, member):
    config = make_config(tmp_path, emulator, logging={"format": "json"})
    with bot_log(fmt=config.logging.format) as out:
        async with BotHarness(config):
            await member.send("/start")
            await member.next_message()
    entries = [json.loads(line) for line in out.getvalue().splitlines()]
    updates = [e["update"] for e in entries if e["logger"] == "hoibot.updates"]
    assert updates and updates[0]["kind"] == "message" and updates[0]["feature"] == "/start"
    assert updates[0]["outcome"] == "ok" and updates[0]["latency_ms"] >= 0


def test_a_local_config_file_is_read_first_and_git_ignores_it(tmp_path, monkeypatch) -> None:
    (tmp_path / "config.yaml").write_text("default_language: vi\n", encoding="utf-8")
    (tmp_path / "config.local.yaml").write_text("default_language: en\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HOIBOT_CONFIG", raising=False)
    assert default_config_path() == Path("config.local.yaml")
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "config.local.yaml" in ignored
