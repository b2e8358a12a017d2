"""Button presses as the real Telegram treats them: a press can be answered only for a few
seconds (one made while the bot was down is too old to answer when it comes back), and the
toast or alert that answers it is plain text of at most 200 characters, not HTML."""

from __future__ import annotations

from emulator import BotApiEmulator, EmulatedUser
from tests.harness import ADMIN_ID, SECOND_ADMIN_ID, BotHarness, make_config
from tests.test_membership_e2e import apply, card, press


async def test_an_approval_pressed_while_the_bot_was_down_still_counts(
    bot, emulator, member, admin
) -> None:
    await apply(member)
    notice = await card(admin)
    await bot.stop()
    await admin.press(notice, "✅ Chấp thuận")
    # Back an hour later: Telegram no longer takes an answer to that press.
    emulator.callback_answer_window = 0.0
    await bot.start()
    done = await admin.next_message()
    assert "Đã chấp thuận đơn số 1" in done.text
    assert "Chúc mừng" in (await member.next_message()).text
    await bot.idle()
    assert not any("Xin lỗi" in m.text for m in admin.messages), "no error apology"


async def test_a_reject_pressed_too_late_to_answer_still_asks_the_reason(
    bot, emulator, member, admin
) -> None:
    await apply(member)
    notice = await card(admin)
    emulator.callback_answer_window = 0.0
    prompt = await press(admin, notice, "✖️ Từ chối")
    assert "lý do từ chối" in prompt.text


def _named_admins(emulator: BotApiEmulator, name: str) -> tuple[EmulatedUser, EmulatedUser]:
    first = emulator.user(ADMIN_ID, first_name=name, language_code="vi")
    second = emulator.user(SECOND_ADMIN_ID, first_name="Admin Hai", language_code="vi")
    return first, second


async def test_the_alert_naming_who_decided_shows_the_name_as_typed(tmp_path, emulator) -> None:
    admin, admin2 = _named_admins(emulator, "Lê & <Hà>")
    member = emulator.user(2001, first_name="Lan", language_code="vi")
    async with BotHarness(make_config(tmp_path, emulator), emulator):
        await apply(member)
        first, second = await card(admin), await card(admin2)
        approve = second.button("✅ Chấp thuận").callback_data
        assert approve is not None
        await press(admin, first, "✅ Chấp thuận")
        # The second admin's tap, sent before their copy lost its buttons.
        query = await admin2.press_data(second, approve)
        alert = await emulator.wait_for_answer(query)
    assert alert["show_alert"] is True
    assert "Lê & <Hà>" in alert["text"], alert["text"]
    assert "&amp;" not in alert["text"] and "&lt;" not in alert["text"]
