"""An admin teaching the bot who sends a photo or a sticker where words are expected (the
search, the answer in Vietnamese, in English) is told the bot reads text only there, and
nothing is lost: no search for empty words, no answer refused for its length. A teaching
button pressed after its answer was set aside says how to go on, not "use the main menu"."""

from __future__ import annotations

from tests.test_teach import (
    FUND,
    FUND_ANSWER,
    NEW,
    SEARCH,
    SKIP,
    open_card,
    send_to_secretariat,
)


async def test_a_photo_in_the_search_is_not_searched_for(bot, member, admin) -> None:
    card = await open_card(admin, await send_to_secretariat(member, admin, FUND))
    await admin.press(card, SEARCH)
    assert "Gõ vài từ" in (await admin.next_message()).text
    await admin.send_photo()
    told = await admin.next_message()
    assert "“”" not in told.text, told.text  # not "nothing found for “”"
    assert "chữ" in told.text
    await admin.send("hội phí")
    assert "Kết quả cho “hội phí”" in (await admin.next_message()).text


async def test_a_sticker_instead_of_the_answer_is_not_called_too_short(
    bot, member, admin
) -> None:
    card = await open_card(admin, await send_to_secretariat(member, admin, FUND))
    await admin.press(card, NEW)
    assert "tiếng Việt" in (await admin.next_message()).text
    await admin.send_sticker("👍")
    told = await admin.next_message()
    assert "ký tự" not in told.text and "chữ" in told.text, told.text
    await admin.send(FUND_ANSWER)
    ask_english = await admin.next_message()
    assert "tiếng Anh" in ask_english.text
    await admin.send_photo()
    told = await admin.next_message()
    assert "ký tự" not in told.text and "chữ" in told.text, told.text
    await admin.press(ask_english, SKIP)
    assert FUND_ANSWER in (await member.next_message()).text


async def test_skip_english_pressed_after_the_answer_was_set_aside_says_how_to_go_on(
    bot, emulator, member, admin
) -> None:
    card = await open_card(admin, await send_to_secretariat(member, admin, FUND))
    await admin.press(card, NEW)
    assert "tiếng Việt" in (await admin.next_message()).text
    await admin.send(FUND_ANSWER)
    ask_english = await admin.next_message()
    await admin.send("/announce")  # another prompt: the answer being written is set aside
    assert "gác lại" in (await admin.next_message()).text

    query = await admin.press(ask_english, SKIP)
    answered = await emulator.wait_for_answer(query)
    assert answered.get("show_alert") is True
    assert "/start" not in answered["text"], answered  # not the main menu's "old button"
    assert "🎓" in answered["text"] and "#1" in answered["text"], answered
    assert await bot.services.learned.of_question(1) is None  # nothing was taught
