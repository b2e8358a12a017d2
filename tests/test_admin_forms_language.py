"""An admin who changes language with a rejection's reason awaited gets the prompt again in
the new language, with its "keep pending" button (composing an announcement: its current
step again); with the reason awaited in the office's
group, /lang or the menu's Ask in the private chat concern that chat only (nothing typed there
answers the group's prompt, so the bot does not say it would)."""

from __future__ import annotations

from pathlib import Path

from tests.announcing import has_button
from tests.harness import BotHarness, make_config, office_group
from tests.test_membership_e2e import ADMIN_GROUP, apply, card


async def choose_english(admin) -> None:
    before = admin.messages[-1].message_id if admin.messages else 0
    await admin.send("/lang")
    choice = await admin.wait_for(lambda m: m.message_id > before and m.buttons)
    await admin.press(choice, "🇬🇧 English")
    await admin.wait_for(
        lambda m: m.message_id > choice.message_id and "Language set to English" in m.text
    )


async def test_a_change_of_language_asks_for_the_rejection_reason_again_in_english(
    bot, member, admin
) -> None:
    await apply(member)
    await admin.press(await card(admin), "✖️ Từ chối")
    await admin.wait_for(lambda m: "lý do từ chối" in m.text)
    await choose_english(admin)
    again = await admin.wait_for(lambda m: "reason for rejecting" in m.text)
    assert "application 1 (Nguyễn Thị Lan)" in again.text
    assert again.buttons and again.buttons[0][0].callback_data == "rv:k:1"
    await admin.send("Incomplete file (FICTIONAL)")
    await admin.wait_for(lambda m: "Application 1 rejected" in m.text)


async def test_lang_in_private_with_a_reason_awaited_in_the_group_shows_the_menu(
    tmp_path: Path, emulator, member, admin, admin2
) -> None:
    secretariat = office_group(emulator, admin)
    config = make_config(tmp_path, emulator, admin_chat_id=ADMIN_GROUP)
    async with BotHarness(config, emulator) as bot:
        await apply(member)
        application = await secretariat.next_message()
        await admin.press(application, "✖️ Từ chối")
        await secretariat.wait_for(lambda m: "lý do từ chối" in m.text)
        await choose_english(admin)
        await bot.idle()
        saved = admin.messages[-1]
        assert saved.text == "Language set to English.", [m.text for m in admin.messages]
        assert saved.buttons  # the main menu, as with no form open here
        assert not [m for m in admin.messages if "still open" in m.text]


async def test_ask_in_private_with_a_reason_awaited_in_the_group_promises_no_form_after(
    tmp_path: Path, emulator, member, admin, admin2
) -> None:
    secretariat = office_group(emulator, admin)
    config = make_config(tmp_path, emulator, admin_chat_id=ADMIN_GROUP)
    async with BotHarness(config, emulator):
        await apply(member)
        application = await secretariat.next_message()
        await admin.press(application, "✖️ Từ chối")
        await secretariat.wait_for(lambda m: "lý do từ chối" in m.text)
        await admin.send("/start")
        menu = await admin.wait_for(lambda m: m.buttons)
        await admin.press(menu, "❓ Đặt câu hỏi")
        prompt = await admin.wait_for(lambda m: m.text.startswith("❓"))
        assert "điền dở" not in prompt.text, prompt.text  # nothing half filled here
        # The reason is still awaited in the group.
        await admin.send("Hồ sơ thiếu (FICTIONAL)", chat=secretariat)
        await secretariat.wait_for(lambda m: "Đã từ chối đơn số 1" in m.text)


async def test_a_change_of_language_while_composing_shows_the_step_again_in_english(
    bot, admin
) -> None:
    await admin.send("/announce")
    await admin.send("Họp Ban Chấp hành (FICTIONAL)")
    when = await admin.wait_for(has_button("an:aud:subscribers"))
    await admin.press(when, "an:aud:subscribers")
    await admin.wait_for(has_button("an:when:weekly"))
    await choose_english(admin)
    asked = await admin.wait_for(lambda m: has_button("an:when:weekly")(m) and "When" in m.text)
    assert not [m for m in admin.messages if "still open" in m.text]
    await admin.press(asked, "an:when:daily")
    await admin.wait_for(lambda m: "every day" in m.text)
    await choose_english(admin)  # again, at a step where the time is typed
    await admin.wait_for(lambda m: "every day" in m.text and m.message_id > asked.message_id + 3)
    await admin.send("08:00")
    confirm = await admin.wait_for(has_button("an:ok"))
    assert "every day at 08:00" in confirm.text, confirm.text
