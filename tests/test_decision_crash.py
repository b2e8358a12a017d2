"""What follows an admin's decision survives a crash of the bot.

The bot runs as a real process and is SIGKILLed right after an approval was committed:
after the restart the new member is welcomed and let into the members' group all the same.
A welcome whose send was in flight at the kill (it may have arrived) is not sent twice:
the admins are told to check instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import BotApiEmulator
from tests.process import BotProcess, write_config
from tests.test_membership_e2e import apply, card

pytestmark = pytest.mark.slow

ADMIN_ID = 42
MEMBERS_GROUP = -1001234567890
WELCOME = "Chúc mừng"


async def test_an_approval_interrupted_by_a_kill_is_carried_out_after_the_restart(
    tmp_path: Path,
) -> None:
    async with BotApiEmulator() as emulator:
        group = emulator.group(MEMBERS_GROUP, "Hội viên")
        admin = emulator.user(ADMIN_ID, "Thư ký", language_code="vi")
        member = emulator.user(2001, "Lan", language_code="vi")
        config = write_config(tmp_path, admins=[ADMIN_ID], members_group_id=MEMBERS_GROUP)
        bot = BotProcess(config, emulator)
        bot.start()
        try:
            await bot.wait_polling()
            await member.request_join(group)
            await member.next_message()
            await apply(member)
            notice = await card(admin)
            # The bot hangs on the first thing it does after committing the decision.
            emulator.fail("editMessageText", "timeout", times=None, hold=60)
            edits = len(emulator.calls_to("editMessageText"))
            await admin.press(notice, "✅ Chấp thuận")
            await emulator.wait_until(
                lambda: len(emulator.calls_to("editMessageText")) > edits, timeout=10
            )
            bot.kill()
            emulator.clear_faults()
            assert not [m for m in member.messages if WELCOME in m.text]

            bot.start()
            await bot.wait_polling()
            welcome = await member.wait_for(lambda m: WELCOME in m.text, timeout=10)
            assert "Số hội viên của Anh/Chị: 1" in welcome.text
            assert "Yêu cầu vào nhóm hội viên của Anh/Chị cũng đã được chấp thuận" in welcome.text
            assert group.join_request_state(member) == "approved"
            await admin.wait_for(
                lambda m: m.message_id == notice.message_id and "đã chấp thuận" in m.text
            )
        finally:
            await bot.stop()


async def test_a_welcome_in_flight_at_the_kill_is_not_sent_twice_and_the_admins_check(
    tmp_path: Path,
) -> None:
    async with BotApiEmulator() as emulator:
        admin = emulator.user(ADMIN_ID, "Thư ký", language_code="vi")
        member = emulator.user(2001, "Lan", language_code="vi")
        config = write_config(tmp_path, admins=[ADMIN_ID])
        bot = BotProcess(config, emulator)
        bot.start()
        try:
            await bot.wait_polling()
            await apply(member)
            notice = await card(admin)
            # The welcome arrives, but the bot never hears back before it is killed.
            emulator.fail("sendMessage", "timeout", chat_id=member.id, delivered=True, hold=60)
            await admin.press(notice, "✅ Chấp thuận")
            await member.wait_for(lambda m: WELCOME in m.text, timeout=10)
            bot.kill()
            emulator.clear_faults()

            bot.start()
            await bot.wait_polling()
            await admin.wait_for(lambda m: "không rõ tin đã tới chưa" in m.text, timeout=10)
        finally:
            await bot.stop()
        assert len([m for m in member.messages if WELCOME in m.text]) == 1
