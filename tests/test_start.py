"""First contact: /start, the main menu, /help by role, /lang, /privacy, errors, 429s."""

from __future__ import annotations

import asyncio
import json
import socket
import sys

import aiohttp
import pytest
from telegram.ext import CommandHandler

from bot.config import Config
from bot.tg.runtime import serve
from hoibot.app import build_application
from tests.harness import ADMIN_ID, ROOT, make_config


async def test_member_starts_and_gets_the_menu_in_vietnamese(bot, member) -> None:
    await member.send("/start")
    reply = await member.next_message()
    assert "Xin chào Lan" in reply.text
    assert "Hội Thư viện Việt Nam" in reply.text
    assert reply.button_texts == [
        "📜 Điều lệ",
        "🗓 Hội nghị, đại hội",
        "👥 Hội viên",
        "✍️ Đăng ký vào Hội",
        "📣 Thông báo",
        "❓ Đặt câu hỏi",
    ]


async def test_english_telegram_user_is_greeted_in_english(bot, emulator) -> None:
    visitor = emulator.user(3001, first_name="Anna", language_code="en-GB")
    await visitor.send("/start")
    reply = await visitor.next_message()
    assert "Hello Anna" in reply.text
    assert "Vietnam Library Association" in reply.text


async def test_lang_switches_to_english_and_the_menu_follows(bot, member) -> None:
    await member.send("/lang")
    choice = await member.next_message()
    await member.press(choice, "🇬🇧 English")
    saved = await member.next_message()
    assert saved.text == "Language set to English."
    assert "📜 Charter" in saved.button_texts
    await member.send("/start")
    assert "Hello Lan" in (await member.next_message()).text


async def test_chosen_language_survives_a_restart(bot, member) -> None:
    await member.send("/lang")
    await member.press(await member.next_message(), "lang:en")
    await member.next_message()
    await bot.restart()
    await member.send("/help")
    assert "You can use these commands" in (await member.next_message()).text


async def test_every_button_press_is_answered(bot, emulator, member) -> None:
    await member.send("/lang")
    query_id = await member.press(await member.next_message(), "lang:vi")
    await emulator.wait_until(lambda: query_id in emulator.callback_answers)


async def test_an_old_or_unknown_button_is_answered_not_left_spinning(
    bot, emulator, member
) -> None:
    await member.send("/start")
    menu = await member.next_message()
    # Data no feature claims: a button of a feature since removed, or a client's invention.
    query_id = await member.press_data(menu, "gone:42")
    answer = await emulator.wait_for_answer(query_id)
    assert answer["text"].startswith("Nút này đã cũ và không còn dùng được.")
    assert answer["show_alert"] is True
    await bot.idle()
    assert len(member.messages) == 1  # an alert on the press, nothing sent into the chat


async def test_idle_returns_once_the_bot_has_answered_what_it_was_sent(bot, member) -> None:
    await member.send("/start")
    await member.send("/help")
    await bot.idle()  # no wait for a message: idle covers the fetching and the handling
    greeting, help_text = member.messages
    assert "Xin chào Lan" in greeting.text
    assert help_text.text.startswith("Anh/Chị có thể dùng các lệnh sau:")


async def test_help_shows_admin_commands_only_to_admins(bot, member, admin) -> None:
    await member.send("/help")
    member_help = (await member.next_message()).text
    await admin.send("/help")
    admin_help = (await admin.next_message()).text
    assert "/lang" in member_help and "/lang" in admin_help
    assert "quản trị viên" in admin_help
    assert "quản trị viên" not in member_help


async def test_command_menus_are_registered_per_language_and_for_admins(bot, emulator) -> None:
    calls = [params for method, params, _ in emulator.calls if method.lower() == "setmycommands"]
    languages = {params.get("language_code") for params in calls}
    assert {"vi", "en"} <= languages
    admin_scopes = [
        params
        for params in calls
        if (params.get("scope") or {}).get("type") == "chat"
        and (params.get("scope") or {}).get("chat_id") == ADMIN_ID
    ]
    assert admin_scopes, "admins get their own command menu"


async def test_privacy_says_what_is_stored_and_how_to_erase_it(bot, member) -> None:
    await member.send("/privacy")
    text = (await member.next_message()).text
    assert "/mydata" in text and "/forget" in text


async def test_a_photo_outside_any_form_gets_a_polite_answer(bot, member) -> None:
    await member.send_photo()
    assert "chỉ đọc được tin nhắn dạng chữ" in (await member.next_message()).text


async def test_a_429_from_telegram_is_waited_out_and_retried(bot, emulator, member) -> None:
    emulator.fail("sendMessage", "429", times=1, retry_after=1)
    await member.send("/start")
    reply = await member.next_message(timeout=10)
    assert "Xin chào" in reply.text
    sends = [c for c in emulator.calls if c[0].lower() == "sendmessage"]
    assert len(sends) >= 2 and sends[-1][2] - sends[0][2] >= 0.9


async def test_an_error_apologises_to_the_user_and_reaches_admins_once(
    bot, emulator, member, admin
) -> None:
    async def broken(update, context) -> None:
        raise RuntimeError("the shelf fell over")

    bot.application.add_handler(CommandHandler("boom", broken))
    await member.send("/boom")
    assert "bot gặp lỗi" in (await member.next_message()).text
    report = await admin.next_message()
    assert "the shelf fell over" in report.text
    await member.send("/boom")
    assert "bot gặp lỗi" in (await member.next_message()).text
    await member.send("/privacy")
    await member.next_message()
    assert len([m for m in admin.messages if "the shelf fell over" in m.text]) == 1


async def test_an_error_report_names_the_command_but_never_the_person(
    bot, emulator, member, admin
) -> None:
    async def broken(update, context) -> None:
        raise RuntimeError("the ladder broke")

    bot.application.add_handler(CommandHandler("boom", broken))
    await member.send("/boom Nguyễn Văn Lan 0912345678 lan@example.org")
    await member.next_message()
    report = (await admin.next_message()).text
    assert "the ladder broke" in report and "/boom" in report and "private" in report
    for personal in ("Nguyễn", "0912345678", "lan@example.org", str(member.id), "Lan"):
        assert personal not in report


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode_refuses_updates_without_the_secret_token(
    tmp_path, emulator, member
) -> None:
    port = free_port()
    config: Config = make_config(
        tmp_path,
        emulator,
        telegram={
            "token": emulator.token,
            "base_url": emulator.base_url,
            "webhook": {
                "url": "https://hoibot.example.org/hook",
                "listen": "127.0.0.1",
                "port": port,
                "secret_token": "s3cret-Token_1",
            },
        },
    )
    app = build_application(config)
    stop, ready = asyncio.Event(), asyncio.Event()
    serving = asyncio.create_task(serve(app, config, stop, ready))
    try:
        await asyncio.wait_for(ready.wait(), 30)
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "/privacy",
                "chat": {"id": member.id, "type": "private", "first_name": "Lan"},
                "from": {"id": member.id, "is_bot": False, "first_name": "Lan"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
            },
        }
        url = f"http://127.0.0.1:{port}/hook"
        async with aiohttp.ClientSession() as http:
            async with http.post(
                url, data=json.dumps(update), headers={"Content-Type": "application/json"}
            ) as resp:
                assert resp.status == 403
            async with http.post(
                url,
                data=json.dumps(update),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1",
                },
            ) as resp:
                assert resp.status == 200
        reply = await member.next_message()
        assert "/forget" in reply.text
        hooks = [p for m, p, _ in emulator.calls if m.lower() == "setwebhook"]
        assert hooks and hooks[-1]["secret_token"] == "s3cret-Token_1"
        # A load balancer's probe: no secret needed, nothing secret or personal answered.
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                assert resp.status == 200
                health = await resp.json()
        assert health["status"] == "ok" and isinstance(health["uptime_s"], int)
        assert set(health) == {"status", "uptime_s"}
    finally:
        stop.set()
        await serving


@pytest.mark.slow
async def test_hoibot_run_answers_start_against_any_bot_api_url(tmp_path, emulator, member):
    config_file = tmp_path / "config.yaml"
    # The bot checks its knowledge base at start: point at the shipped one.
    config_file.write_text(
        f"database: {tmp_path / 'db.sqlite3'}\nknowledge_dir: {ROOT / 'knowledge'}\n",
        encoding="utf-8",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hoibot",
        "run",
        "--config",
        str(config_file),
        env={
            "PATH": "/usr/bin:/bin",
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await member.send("/start")
        reply = await member.next_message(timeout=30)
        assert "Xin chào Lan" in reply.text
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


async def test_editing_an_old_message_is_not_taken_as_new_input(bot, emulator, member) -> None:
    question = await member.send("hoi vien dong phi o dau")
    await member.next_message()
    await member.send("/join")
    await member.next_message()  # the form's first question
    asked = emulator.delivered(member.id)
    await member.edit(question, "ai la chu tich hoi")
    # The edit is neither answered as a question nor fed into the open form.
    await member.send("/privacy")
    await member.wait_for(lambda m: "/forget" in m.text)
    assert emulator.delivered(member.id) == asked + 1
    state = await bot.services.forms.get(member.id)
    assert state is not None and state.form == "join" and not state.data.get("answers")
