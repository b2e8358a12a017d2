"""Buttons on messages older than 48 hours: Telegram sends their presses without the message's
content (an InaccessibleMessage: chat, id, date 0) and lets the bot edit but not delete such a
message. A member scrolling up to an answer of last week still gets what the button offers."""

from __future__ import annotations

from tests.announcing import has_button
from tests.harness import BotHarness
from tests.test_feedback import registered_for_ended_meeting


async def test_a_related_answer_button_of_last_week_sends_that_answer(bot, member) -> None:
    await member.send("hội phí bao nhiêu")
    answer = await member.next_message()
    assert "Hội phí" in answer.text
    answer.make_old(hours=7 * 24)
    await member.press(answer, "➡️ Cách gia nhập Hội")
    related = await member.next_message()
    assert "Nguồn:" in related.text and related.message_id != answer.message_id
    assert "Hội phí" in answer.text  # the old answer stays as it was
    await bot.idle()
    assert not any("Xin lỗi, bot gặp lỗi" in m.text for m in member.messages)


async def test_subscribing_from_an_old_status_message_subscribes_and_says_so(bot, member) -> None:
    await member.send("/start announcements")
    status = await member.wait_for(lambda m: "🔔 Nhận thông báo" in m.button_texts)
    status.make_old()
    await member.press(status, "🔔 Nhận thông báo")
    await member.wait_for(lambda m: "đang nhận" in m.text)
    assert (await bot.services.users.get(member.id)).subscribed


async def test_rating_a_meeting_days_later_is_thanked_and_asks_for_a_comment(
    tmp_path, emulator, admin, admin2, member
) -> None:
    config = await registered_for_ended_meeting(tmp_path, emulator, member)
    async with BotHarness(config, emulator) as bot:
        question = await member.wait_for(has_button("fb:ws-done:4"))
        question.make_old()
        await member.press(question, "fb:ws-done:4")
        await member.wait_for(lambda m: "Cảm ơn Anh/Chị (4/5)" in m.text)
        await member.send("Phòng hơi nóng (FICTIONAL)")
        await member.wait_for(lambda m: "Đã ghi nhận góp ý" in m.text)
        await bot.idle()
        assert not any("Xin lỗi, bot gặp lỗi" in m.text for m in member.messages)
