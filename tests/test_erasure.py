"""/forget takes back every message that showed the person, and nothing stays on disk.

Stories through the emulator: an applicant's data is shown to the secretariat in many
messages (cards, the /pending list, the reject-reason prompt, notices, member search results,
the CSV); after /forget none of them shows it any more. The database keeps no readable copy
(secure_delete and a WAL checkpoint), and its folder and files are the bot's alone.
"""

from __future__ import annotations

import stat

from emulator import EmulatedUser
from tests.test_membership_e2e import LAN, answer, apply, card, press

NAME = LAN["full_name"]
EMAIL = LAN["email"]


def shows_applicant(message) -> bool:
    return NAME in message.text or EMAIL in message.text


async def forget(user: EmulatedUser) -> None:
    await user.send("/forget")
    confirm = await user.wait_for(lambda m: "Không thể hoàn tác" in m.text)
    await user.press(confirm, "🗑 Có, xóa hết")
    await user.wait_for(lambda m: "Đã xóa dữ liệu cá nhân" in m.text)


async def test_forget_deletes_the_pending_list_the_opened_card_and_the_reason_prompt(
    bot, emulator, member, admin
) -> None:
    await apply(member)
    await card(admin)
    listed = await answer(admin, "/pending")
    assert NAME in listed.text
    opened = await press(admin, listed, f"#1 {NAME}")
    assert EMAIL in opened.text
    prompt = await press(admin, opened, "✖️ Từ chối")
    assert NAME in prompt.text and "lý do từ chối" in prompt.text
    # Telegram lets a bot delete its messages for 48 hours only: an older one is blanked.
    emulator.fail("deleteMessage", "400", description="Bad Request: message can't be deleted")

    await forget(member)

    await admin.wait_for(lambda m: "(đã xóa theo yêu cầu" in m.text)
    assert [m.text for m in admin.messages if shows_applicant(m)] == []


async def test_forget_takes_back_the_unreachable_notice_with_the_email(bot, member, admin) -> None:
    await apply(member)
    notice = await card(admin)
    await member.block_bot()
    await admin.press(notice, "✅ Chấp thuận")
    warning = await admin.wait_for(lambda m: "Không gửi được tin" in m.text)
    assert EMAIL in warning.text
    await member.unblock_bot()

    await forget(member)

    await admin.wait_for(lambda m: "yêu cầu xóa dữ liệu" in m.text)
    assert [m.text for m in admin.messages if shows_applicant(m)] == []


async def test_forget_takes_back_member_search_results_and_the_register(bot, member, admin) -> None:
    await apply(member)
    await admin.press(await card(admin), "✅ Chấp thuận")
    await admin.wait_for(lambda m: "Đã chấp thuận đơn số 1" in m.text)
    await admin.send("/member lan")
    await admin.wait_for(lambda m: "Hội viên số 1" in m.text and EMAIL in m.text)
    await admin.send("/members")
    export = await admin.wait_for(lambda m: m.document is not None)
    assert EMAIL.encode() in export.document.content

    await forget(member)

    await admin.wait_for(lambda m: "yêu cầu xóa dữ liệu" in m.text)
    assert [m.text for m in admin.messages if shows_applicant(m)] == []
    assert [m for m in admin.messages if m.document is not None] == []


async def test_erased_data_is_not_left_in_the_database_file_or_its_wal(bot, member, admin) -> None:
    await apply(member)
    await card(admin)
    await forget(member)
    path = bot.config.database
    assert EMAIL.encode() not in path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or EMAIL.encode() not in wal.read_bytes()


async def test_only_the_bots_account_can_read_the_database(bot, member) -> None:
    await answer(member, "/start")
    path = bot.config.database
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
