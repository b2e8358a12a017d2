"""Figures the bot tells people are written as people read them (docs/voice.md): 5.000 and
1.440 in Vietnamese, 5,000 and 1,440 in English, also in the form's "too long" and in the
warning about a schedule sending many times a day."""

from __future__ import annotations

import pytest

from tests.announcing import compose
from tests.test_membership_e2e import answer, press

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_a_name_pasted_five_thousand_characters_long_is_counted_as_people_read_it(
    bot, member
) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    told = await answer(member, "L" * 5000)
    assert "Câu trả lời quá dài (5.000 ký tự): tối đa 80 ký tự" in told.text, told.text


async def test_the_warning_on_a_schedule_every_minute_writes_its_figures_in_english(
    bot, emulator, admin
) -> None:
    for user_id in range(3501, 3504):
        reader = emulator.user(user_id, first_name="Reader", language_code="vi")
        await reader.send("/subscribe")
        await reader.wait_for(lambda m: "Đã đăng ký" in m.text)
    await admin.send("/lang")
    choice = await admin.next_message()
    await admin.press(choice, "🇬🇧 English")
    await admin.wait_for(lambda m: "Language set to English" in m.text)
    await compose(admin, "Every minute (FICTIONAL)", when="cron", typed="* * * * *")
    warning = await admin.wait_for(lambda m: "more than once a day" in m.text)
    assert "1,440 times a day" in warning.text and "4,320 messages a day" in warning.text, (
        warning.text
    )
