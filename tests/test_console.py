"""The offline console: a newcomer types, presses buttons by number, and switches roles."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import datetime

from hoibot.console import CONSOLE_MEMBER_ID, Console, console_config
from tests.announcing import compose
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
    assert "you are now Văn phòng Hội" in shown
    assert "quản trị viên" in shown  # the admin's /help
    assert shown.count("dành cho quản trị viên") == 1  # nothing is read after /quit


def test_make_run_without_a_token_opens_the_console(tmp_path):
    config_file = tmp_path / "config.yaml"
    # The bot checks its knowledge base at start: point at the shipped one.
    config_file.write_text(
        f"database: {tmp_path / 'bot.sqlite3'}\nknowledge_dir: {ROOT / 'knowledge'}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "hoibot", "--config", str(config_file)],
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


def test_the_console_reads_a_script_from_a_file(tmp_path):
    config_file = tmp_path / "config.yaml"
    config_file.write_text(
        f"database: {tmp_path / 'bot.sqlite3'}\nknowledge_dir: {ROOT / 'knowledge'}\n",
        encoding="utf-8",
    )
    script = tmp_path / "script.txt"
    script.write_text("/privacy\n", encoding="utf-8")  # no /quit: the end of the file ends it
    with script.open() as stdin:
        result = subprocess.run(
            [sys.executable, "-m", "hoibot", "console", "--config", str(config_file)],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin"},
        )
    assert result.returncode == 0, result.stderr
    assert "/forget" in result.stdout  # the answer to /privacy


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


async def test_an_edited_message_is_shown_again_and_its_buttons_are_the_ones_numbers_press(
    config, emulator
):
    config = console_config(config, emulator)
    out = io.StringIO()
    console = Console(emulator, config, out=out)
    async with BotHarness(config):
        # Once this killed the console: the second 1 pressed a button the edit had removed.
        await console.run(lines("/meetings", "1", "1", "1"))
    shown = out.getvalue()
    assert shown.count("(edited) 🗓 Hội nghị, đại hội") == 1  # back to the list
    assert shown.count("(edited) Đại hội lần thứ IV") == 2
    assert "[1] ⬅️ Danh sách hội nghị" in shown


async def test_each_persona_has_its_own_buttons_and_a_wrong_number_gets_a_notice(config, emulator):
    config = console_config(config, emulator)
    out = io.StringIO()
    console = Console(emulator, config, out=out)
    async with BotHarness(config):
        # Once: PermissionError, the admin pressing a button of the member's chat.
        await console.run(lines("/start", "/as admin", "1", "/as member", "9", "2"))
    shown = out.getvalue()
    assert "— no buttons to press; to send 1 as text: /say 1" in shown
    assert "— no button [9] now; the latest buttons are [1–6]" in shown
    assert "Sắp tới: 0 · Đã diễn ra: 7" in shown  # the member's 2: the meetings


async def test_every_schedule_of_a_multi_message_list_can_be_cancelled(config, emulator):
    config = console_config(config, emulator)
    out = io.StringIO()
    console = Console(emulator, config, out=out)
    async with BotHarness(config) as bot:
        console.start_watching()  # the admin's messages wait while the console is the member
        next_year = datetime.now(config.tz).year + 1
        for number, text in enumerate(("Chúc mừng năm mới", "Họp tổng kết năm"), start=1):
            await compose(console.admin, text, when="at", typed=f"01/01/{next_year} 08:00")
            await console.admin.wait_for(lambda m, n=number: f"lịch thông báo #{n}." in m.text)
        await console.run(lines("/as admin", "/scheduled"))
        listed = out.getvalue()[out.getvalue().rindex("Thông báo đã lên lịch") :]
        assert re.findall(r"\[(\d+)\] ✖️ Hủy #(\d+)", listed) == [("1", "1"), ("2", "2")]
        await console.run(lines("2"))
        await console.admin.wait_for(lambda m: "Đã hủy thông báo #2" in m.text)
        [left] = await bot.services.announcements.active_schedules()
    assert left.id == 1


async def test_an_admin_replies_to_a_members_question_with_reply_n(config, emulator):
    config = console_config(config, emulator)
    out = io.StringIO()
    console = Console(emulator, config, out=out)
    async with BotHarness(config):
        await console.run(lines("hội phí bao nhiêu tiền một năm", "3", "/as admin"))
        notice = re.findall(r"↩(\d+) ❓ Câu hỏi #1", out.getvalue())[-1]
        await console.run(lines("/reply 99 nope", f"/reply {notice} Hội phí 100.000 đồng."))
        await console.run(lines("/as member"))
    shown = out.getvalue()
    assert "— usage: /reply N text" in shown  # 99 is no message of the bot
    assert "✅ Đã gửi câu trả lời cho Khách (câu hỏi #1)." in shown
    assert "Văn phòng Hội trả lời" in shown
    assert "Hội phí 100.000 đồng." in shown


async def test_files_the_bot_sends_are_saved_under_the_data_folder(config, emulator):
    config = console_config(config, emulator)
    out = io.StringIO()
    console = Console(emulator, config, out=out)
    async with BotHarness(config):
        await console.run(lines("/subscribe", "/mydata"))
    files = config.database.parent / "console-files"
    [saved] = files.iterdir()
    assert f"📎 saved to {saved} (" in out.getvalue()
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert str(CONSOLE_MEMBER_ID) in json.dumps(data)
