"""Forms half filled, as members meet them: a registration is a form like the application
(a question asked from the menu's "Ask" in the middle, or a change of language, is followed
by the registration's own question again, in the language now chosen, never by a vague
"still open" line; a sticker or an emoji for a name is asked again, in words), and an
application set aside is dropped by /cancel as /status says."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.announcing import has_button
from tests.harness import BotHarness, make_config
from tests.meeting_fixtures import in_days, knowledge_with, meeting_yaml
from tests.test_membership_e2e import answer
from tests.test_one_prompt import half_way_through_the_application, read_until

WORKSHOP_EN = "Sample workshop ws-one (FICTIONAL)"


@pytest.fixture
async def bot(tmp_path: Path, emulator, admin, admin2) -> AsyncIterator[BotHarness]:
    """The bot with a FICTIONAL meeting open for registration."""
    folder = knowledge_with(tmp_path, meeting_yaml("ws-one", in_days(10), "capacity: 5"))
    config = make_config(tmp_path, emulator, knowledge_dir=str(folder))
    async with BotHarness(config, emulator) as harness:
        yield harness


async def test_a_question_asked_half_way_through_a_registration_is_followed_by_its_question(
    bot, member
) -> None:
    await member.send("/start reg-ws-one")
    await read_until(member, lambda m: "Họ và tên" in m.text)
    await member.send("Nguyễn Thị Lan")
    await read_until(member, lambda m: "thư viện hoặc cơ quan nào" in m.text)

    await member.send("/start")
    menu = await read_until(member, has_button("m:ask"))
    await member.press(menu, "m:ask")
    assert "hỏi tiếp từ chỗ đang dừng" in (await member.next_message()).text
    await member.send("hội phí bao nhiêu")
    assert (await member.next_message()).text.startswith("Hội phí")
    assert "Đăng ký tham dự: Hội thảo mẫu ws-one" in (await member.next_message()).text
    again = await member.next_message()
    assert "thư viện hoặc cơ quan nào" in again.text, again.text
    # The answer after it is the registration's, as promised.
    await member.send("Thư viện tỉnh Nghệ An")
    assert "Tỉnh hoặc thành phố" in (await member.next_message()).text


async def test_a_change_of_language_at_a_registrations_summary_shows_it_again_in_english(
    bot, member
) -> None:
    await member.send("/start reg-ws-one")
    for typed in ("Nguyễn Thị Lan", "-", "Hà Nội"):
        await read_until(member, lambda m: "?" in m.text)
        await member.send(typed)
    await read_until(member, has_button("rg:ok:ws-one"))

    await member.send("/lang")
    choice = await member.next_message()
    await member.press(choice, "🇬🇧 English")
    assert "English" in (await member.next_message()).text
    summary = await member.next_message()
    assert WORKSHOP_EN in summary.text and "Nguyễn Thị Lan" in summary.text, summary.text
    await member.press(summary, "rg:ok:ws-one")
    assert "You are registered" in (await member.next_message()).text


async def test_cancel_drops_an_application_set_aside_as_status_says_and_stops_the_open_one_first(
    bot, member
) -> None:
    await half_way_through_the_application(member)
    await member.send("/start reg-ws-one")
    await read_until(member, lambda m: "Họ và tên" in m.text)

    # A registration is open: /status says how to go on with the application, and /cancel
    # would stop the registration, so it does not offer /cancel for the application.
    status = await answer(member, "/status")
    assert "đơn xin vào Hội" in status.text and "/join" in status.text
    assert "/cancel" not in status.text, status.text
    assert "Đã dừng đăng ký" in (await answer(member, "/cancel")).text

    # Nothing open now: /status offers /cancel for the application, and /cancel does it.
    status = await answer(member, "/status")
    assert "/join để điền tiếp, hoặc /cancel để hủy" in status.text
    assert "Đã hủy đơn" in (await answer(member, "/cancel")).text
    assert await bot.services.forms.set_aside_of(member.id, "join") is None
    assert "chưa gửi" not in (await answer(member, "/status")).text
    assert "Bước 1\n" in (await answer(member, "/join")).text  # a new application


async def test_a_sticker_or_emoji_for_a_name_in_a_registration_asks_for_words_again(
    bot, member
) -> None:
    await member.send("/start reg-ws-one")
    asked = await read_until(member, lambda m: "Họ và tên" in m.text)
    await member.send_sticker("😀")
    told = await member.next_message()
    assert "bằng chữ" in told.text, told.text
    assert (await member.next_message()).text == asked.text
    await member.send("😀😀")  # an emoji is no name either
    assert "bằng chữ" in (await member.next_message()).text
    assert (await member.next_message()).text == asked.text
    await member.send("Nguyễn Thị Lan")
    assert "thư viện hoặc cơ quan nào" in (await member.next_message()).text
    await member.send("-")  # no organisation: still fine
    assert "Tỉnh hoặc thành phố" in (await member.next_message()).text
