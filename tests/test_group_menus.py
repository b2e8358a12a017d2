"""In the members' group the bot shows nothing personal: the main menu and a person's
application live in the private chat, and a button of them pressed in the group points there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import BotApiEmulator, EmulatedGroup
from tests.harness import BotHarness, make_config, office_group
from tests.test_membership_e2e import apply, card, press

MEMBERS_GROUP = -1001234567890
REASON = "Hồ sơ thiếu xác nhận của thư viện nơi Anh/Chị công tác"
POINTER = "Việc này cần làm trong tin nhắn riêng với bot"


@pytest.fixture
async def group(emulator: BotApiEmulator, member, admin) -> EmulatedGroup:
    members = emulator.group(MEMBERS_GROUP, "Hội viên")
    members.add_member(member)
    members.add_member(admin, "administrator")
    return members


@pytest.fixture
async def group_bot(
    tmp_path: Path, emulator: BotApiEmulator, group: EmulatedGroup, admin, admin2
) -> AsyncIterator[BotHarness]:
    config = make_config(tmp_path, emulator, members_group_id=group.id)
    async with BotHarness(config, emulator) as harness:
        yield harness


async def rejected(member, admin) -> None:
    """Lan applied and was turned down, with a reason meant for her alone."""
    await apply(member)
    prompt = await press(admin, await card(admin), "✖️ Từ chối")
    assert "lý do" in prompt.text
    await admin.send(REASON)
    await member.wait_for(lambda m: REASON in m.text)


async def test_choosing_a_language_in_the_group_posts_no_main_menu_there(
    group_bot, group, member
) -> None:
    await member.send("/lang", chat=group)
    await member.press(await group.next_message(), "lang:en")
    saved = await group.next_message()
    assert "Language set to English" in saved.text
    assert saved.buttons == []
    await group_bot.idle()
    assert group.messages[-1] is saved


async def test_an_application_status_button_pressed_in_the_group_shows_nothing_personal(
    group_bot, group, member, admin
) -> None:
    await rejected(member, admin)
    await member.send("/lang", chat=group)
    choice = await group.next_message()
    # A button of a membership screen (or an old menu) pressed in the group.
    for data in ("j:st", "m:membership", "m:ask", "m:menu"):
        await member.press_data(choice, data)
        pointer = await group.next_message()
        assert POINTER in pointer.text, data
        assert "t.me/" in pointer.text
    await group_bot.idle()
    assert not any(REASON in m.text for m in group.messages)
    assert not any("Đơn số 1" in m.text or "Từ chối" in m.text for m in group.messages)


async def test_a_private_chat_command_typed_in_the_group_points_to_the_private_chat(
    group_bot, group, member, admin
) -> None:
    for command in ("/charter", "/meetings", "/subscribe", "/myevents", "/start"):
        await member.send(command, chat=group)
        pointer = await group.next_message()
        assert POINTER in pointer.text, command
    assert "?start=charter" in (group.messages[0]).text
    # An admin's private-chat command, in the group, too.
    await admin.send("/announce", chat=group)
    assert POINTER in (await group.next_message()).text
    # A command the bot answers in groups is answered once, and another bot's is left alone.
    await member.send("/help", chat=group)
    await member.send("/charter@another_bot", chat=group)
    await member.send("/weather", chat=group)
    assert "/join" in (await group.next_message()).text
    await group_bot.idle()
    assert len(group.messages) == 7


async def test_cancel_in_the_admin_chat_drops_the_reason_being_typed_there(
    tmp_path, emulator, member, admin, admin2
) -> None:
    secretariat = office_group(emulator, admin)
    config = make_config(tmp_path, emulator, admin_chat_id=secretariat.id)
    async with BotHarness(config, emulator) as bot:
        await apply(member)
        await admin.press(await secretariat.next_message(), "✖️ Từ chối")
        assert "lý do" in (await secretariat.next_message()).text
        await admin.send("/cancel", chat=secretariat)
        told = await secretariat.next_message()
        assert "đơn số 1" in told.text.lower() and POINTER not in told.text
        await admin.send("Thôi để mai xem tiếp", chat=secretariat)  # no longer a reason
        await bot.idle()
        assert (await bot.services.membership.get(1)).status == "pending"
        assert not any("Thôi để mai" in m.text for m in member.messages)
