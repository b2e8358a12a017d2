"""Trust nothing forged: webhook posts without the secret, replies from non-admins, invented
buttons and edited commands are never taken for the real thing."""

from __future__ import annotations

import json
import socket
from typing import Any

import aiohttp
import pytest

from bot.config import parse_config
from bot.tg.webhook import SECRET_HEADER
from tests.harness import ADMIN_ID, BotHarness, make_config, webhook_bot
from tests.updatelog import update_log

ADMIN_CHAT = -100500
HOOK_URL = "https://hoibot.example.org/hook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """A private /command from a user, as Telegram would post it."""
    person = {"id": user_id, "is_bot": False, "first_name": "Admin"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "text": text,
            "chat": {"id": user_id, "type": "private", "first_name": "Admin"},
            "from": person,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def post(port: int, update: dict[str, Any], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"http://127.0.0.1:{port}/hook", data=json.dumps(update), headers=headers
        ) as resp:
            return resp.status


def webhook_config(tmp_path, emulator, port: int, secret: str = ""):
    hook = {"url": HOOK_URL, "port": port, "secret_token": secret}
    return make_config(
        tmp_path,
        emulator,
        telegram={"token": emulator.token, "base_url": emulator.base_url, "webhook": hook},
    )


async def test_webhook_without_a_configured_secret_makes_one_and_refuses_forgeries(
    tmp_path, emulator, admin, admin2
) -> None:
    port = free_port()
    config = webhook_config(tmp_path, emulator, port)
    async with webhook_bot(config):
        secret = emulator.calls_to("setWebhook")[-1].params["secret_token"]
        assert len(secret) >= 32
        forged = command_update(1, ADMIN_ID, "/pending")  # "from" an admin
        assert await post(port, forged, None) == 403
        assert await post(port, forged, "guessed-secret") == 403
        assert await post(port, forged, secret[:-1]) == 403
        assert await post(port, command_update(2, ADMIN_ID, "/privacy"), secret) == 200
        reply = await admin.next_message()
        assert "/forget" in reply.text  # the genuine one, the forged /pending never ran
        assert len(admin.messages) == 1


async def test_webhook_with_a_configured_secret_registers_and_checks_it(
    tmp_path, emulator, member
) -> None:
    port = free_port()
    config = webhook_config(tmp_path, emulator, port, secret="s3cret-Token_1")
    async with webhook_bot(config):
        assert emulator.calls_to("setWebhook")[-1].params["secret_token"] == "s3cret-Token_1"
        assert await post(port, command_update(1, member.id, "/privacy"), None) == 403
        assert await post(port, command_update(2, member.id, "/privacy"), "s3cret-Token_1") == 200
        assert "/forget" in (await member.next_message()).text


def test_the_webhook_server_listens_on_loopback_unless_told_otherwise() -> None:
    assert parse_config({}, env={}).telegram.webhook.listen == "127.0.0.1"


async def test_only_an_admins_reply_in_the_admin_chat_reaches_the_member(
    tmp_path, emulator, admin, admin2, member
) -> None:
    secretariat = emulator.group(ADMIN_CHAT, "Ban Thư ký")
    intruder = emulator.user(4001, first_name="Kẻ mạo danh")
    for person in (admin, intruder):
        secretariat.add_member(person)
    config = make_config(tmp_path, emulator, admin_chat_id=ADMIN_CHAT)
    async with BotHarness(config, emulator) as bot:
        await member.send("Thư viện mở cửa mấy giờ ngày Tết?")
        await member.press(await member.next_message(), "✉️ Gửi câu hỏi cho Văn phòng Hội")
        await member.next_message()
        notice = await secretariat.next_message()
        await intruder.send("Thư viện đóng cửa vĩnh viễn.", chat=secretariat, reply_to=notice)
        await admin.send("Mở cửa từ 8 giờ.", chat=secretariat, reply_to=notice)
        reply = await member.next_message()
        assert "Mở cửa từ 8 giờ." in reply.text
        await bot.idle()
        assert not [m for m in member.messages if "vĩnh viễn" in m.text]


FORGED_BUTTONS = [
    *("rv:a:²", "rv:r:²", "rv:k:²", "rv:o:²", "rv:a:99999", "rv:a:-1", "rv:zz", "rv"),
    *("mb:r:²", "mb:y:²", "mb:n:²", "mb:y:99999", "mb:y:0x1"),
    *("j:p:hn:²", "j:p:²:²", "j:wd:²", "j:wy:²", "j:wn:²", "j:k:²", "j:c:²", "j:f:²", "j:zz"),
    *("an:wd:²", "an:x:²", "an:aud:²", "an:when:²", "an:ok", "an:s", "an"),
    *("ch:c:vi:²", "ch:a:vi:²", "ch:toc:²", "ch:open:²", "ch:a:zz:1"),
    *("mt:m:²", "mt:ics:²", "mt:zz"),
    *("q:e:²", "q:e:", "q:ask", "fg:²", "lang:²", "m:²", "zz:1", "²", ":"),
    # Presses a member may make (the member's share of this list comes first).
    *("fb:x:²", "fb:x:9", "fb:²:1", "fb"),
    # Admins' announcement approvals.
    *("an:apv:²", "an:rej:²", "an:apv:99999", "an:stop:²", "an:re:²"),
    # Numbers too long for SQLite's INTEGER.
    *("an:stop:" + "9" * 23, "an:re:" + "9" * 23, "tc:q:" + "9" * 23, "tc:u:" + "9" * 23),
    *("tc:l:" + "9" * 23 + ":fee",),
]
# A member presses the first 15 and these: under the flood limit of 20.
MEMBER_ONLY = ["fb:x:²", "fb:x:9", "fb:²:1", "fb"]


@pytest.mark.parametrize("who", ["admin", "member"])
async def test_a_forged_or_stale_button_gets_an_answer_never_an_exception(
    bot, emulator, admin, member, who
) -> None:
    presser = admin if who == "admin" else member
    await presser.send("/start")
    menu = await presser.next_message()
    presses = FORGED_BUTTONS if who == "admin" else FORGED_BUTTONS[:15] + MEMBER_ONLY
    with update_log() as lines:
        for data in presses:
            query = await presser.press_data(menu, data)
            await emulator.wait_for_answer(query)
    assert not lines.matching(outcome="error")
    assert not [m for m in admin.messages if "Lỗi mới" in m.text]


async def test_editing_an_old_message_into_a_command_runs_nothing(bot, emulator, admin) -> None:
    old = await admin.send("xin chào")
    await admin.next_message()
    with update_log() as lines:
        await admin.edit(old, "/pending")
        await admin.edit(old, "/start")
        await admin.send("/privacy")
        assert "/forget" in (await admin.next_message()).text
        await lines.wait_for(lambda _: len(lines.matching(kind="edited_message")) == 2)
    assert [f["outcome"] for f in lines.matching(kind="edited_message")] == ["ignored"] * 2
    assert len(admin.messages) == 2  # the answer to "xin chào" and /privacy's
