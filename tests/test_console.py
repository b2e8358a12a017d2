"""The offline console: a newcomer types, presses buttons by number, and switches roles."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import AsyncIterator

from bot.console import Console, console_config
from tests.harness import ROOT, BotHarness


async def lines(*typed: str) -> AsyncIterator[str]:
    for line in typed:
        yield line


async def test_console_presses_buttons_by_number_and_switches_to_admin(config, emulator):
    config = console_config(config, emulator)
    out = io.StringIO()
    console = Console(emulator, config, out=out)
    async with BotHarness(config):
        await console.run(lines("/start", "/lang", "2", "/as admin", "/help", "/quit", "/help"))
    shown = out.getvalue()
    assert "[1] 📜 Điều lệ" in shown
    assert "Language set to English." in shown
    assert "[1] 📜 Charter" in shown
    assert "you are now Thư ký" in shown
    assert "quản trị viên" in shown  # the admin's /help
    assert shown.count("bạn là quản trị viên") == 1  # nothing is read after /quit


def test_make_run_without_a_token_opens_the_console(tmp_path):
    config_file = tmp_path / "config.yaml"
    # The bot checks its knowledge base at start: point at the shipped one.
    config_file.write_text(
        f"database: {tmp_path / 'bot.sqlite3'}\nknowledge_dir: {ROOT / 'knowledge'}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config_file)],
        input="/privacy\n/quit\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "starting the offline console" in result.stderr
    assert "Xin chào Khách" in result.stdout
    assert "/forget" in result.stdout  # the answer to /privacy
    assert (tmp_path / "console.sqlite3").exists()


async def test_messages_for_the_other_persona_are_shown_when_switching_to_it(config, emulator):
    config = console_config(config, emulator)
    out = io.StringIO()
    console = Console(emulator, config, out=out)
    async with BotHarness(config):
        await console.run(
            lines("/subscribe", "/as admin", "/announce", "Họp BCH <ngày> & 8h", "1", "1", "1")
        )
        # The member's copy arrives while the admin is typing: announced, not shown yet.
        await emulator.wait_until(lambda: console.personas["member"].unread)
        shown_as_message = " Họp BCH <ngày> & 8h\n"
        assert out.getvalue().count(shown_as_message) == 1  # the admin's preview only
        await console.run(lines("/as member"))
    assert out.getvalue().count(shown_as_message) == 2
