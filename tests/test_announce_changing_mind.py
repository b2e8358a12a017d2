"""An admin scheduling an announcement who sends a photo where a date is to be typed is asked
to type it; one who changes their mind about when (weekly, not once) presses another "When?"
button, and the draft is never lost to an "old button" alert; a date or a time that does not
exist (31/02, 25:00) is named as such, not called unreadable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import StoppedClock
from bot.storage import utcnow
from tests.announcing import has_button, press
from tests.harness import BotHarness, make_config

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def drafted(admin, text: str = "Họp Ban Chấp hành (FICTIONAL)") -> None:
    await admin.send("/announce")
    await admin.send(text)
    await press(admin, "an:aud:subscribers")


async def test_a_photo_where_the_date_is_to_be_typed_gets_the_date_asked_again(
    bot, admin
) -> None:
    await drafted(admin)
    await press(admin, "an:when:at")
    asked = await admin.wait_for(lambda m: "ngày và giờ gửi" in m.text)
    await admin.send_photo()
    again = await admin.wait_for(lambda m: m.text == asked.text and m.message_id > asked.message_id)
    [told] = [m for m in admin.messages if asked.message_id < m.message_id < again.message_id]
    assert "bấm một nút" not in told.text, told.text  # no button to press at this step
    assert "gõ" in told.text
    await admin.send_sticker("📅")
    await admin.wait_for(lambda m: m.text == asked.text and m.message_id > again.message_id)
    await admin.send("25/12/2030 08:00")
    confirm = await admin.wait_for(has_button("an:ok"))
    assert "25/12/2030 08:00" in confirm.text


async def test_another_when_pressed_after_the_first_choice_changes_the_schedule(
    bot, emulator, admin
) -> None:
    await drafted(admin)
    when = await admin.wait_for(has_button("an:when:weekly"))
    await admin.press(when, "an:when:at")
    await admin.wait_for(lambda m: "ngày và giờ gửi" in m.text)

    # Not once but every week: the same question's other button.
    query = await admin.press(when, "an:when:weekly")
    assert "text" not in await emulator.wait_for_answer(query)  # no alert
    weekday = await admin.wait_for(has_button("an:wd:0"))
    await admin.press(weekday, "an:wd:0")
    await admin.wait_for(lambda m: "08:00" in m.text)
    await admin.send("08:00")
    confirm = await admin.wait_for(has_button("an:ok"))
    assert "Thứ Hai hằng tuần" in confirm.text and "08:00" in confirm.text, confirm.text

    # At the confirmation, the schedule is the one it names: another "When?" is refused
    # with a word on what to do, not sent to the main menu; the confirmation still works.
    refused = await emulator.wait_for_answer(await admin.press(when, "an:when:now"))
    assert refused.get("show_alert") and "/cancel" in refused["text"], refused
    assert "/start" not in refused["text"]
    await admin.press(confirm, "an:ok")
    await admin.wait_for(lambda m: "Đã lên lịch thông báo" in m.text)
    [schedule] = await bot.services.announcements.active_schedules()
    assert schedule.rule.startswith("weekly"), schedule.rule


async def test_a_date_that_does_not_exist_is_named_as_such_not_as_unreadable(bot, admin) -> None:
    await drafted(admin)
    await press(admin, "an:when:at")
    asked = await admin.wait_for(lambda m: "ngày và giờ gửi" in m.text)
    await admin.send("31/02/2027 08:00")
    told = await admin.wait_for(
        lambda m: m.message_id > asked.message_id and "31/02/2027" in m.text
    )
    assert "không có ngày 31/02/2027" in told.text, told.text
    await admin.send("25/12/2027 25:00")
    told = await admin.wait_for(lambda m: "25:00" in m.text)
    assert "00:00 đến 23:59" in told.text, told.text
    await admin.send("25/12/2027 08:00")
    await admin.wait_for(has_button("an:ok"))


async def test_a_daily_time_past_midnight_says_what_hours_there_are_in_english(
    bot, admin
) -> None:
    await admin.send("/lang")
    await press(admin, "lang:en")
    await admin.wait_for(lambda m: "Language set to English" in m.text)
    await drafted(admin, "Opening hours (FICTIONAL)")
    await press(admin, "an:when:daily")
    await admin.wait_for(lambda m: "every day" in m.text)
    await admin.send("24:00")
    told = await admin.wait_for(lambda m: "24:00" in m.text)
    assert "from 00:00 to 23:59" in told.text, told.text


async def test_a_time_that_passed_while_the_confirmation_waited_is_asked_again_to_be_typed(
    tmp_path, emulator, admin, admin2
) -> None:
    config = make_config(tmp_path, emulator)
    clock = StoppedClock(utcnow().replace(second=0, microsecond=0), config.tz)
    async with BotHarness(config, emulator, clock=clock):
        await drafted(admin)
        await press(admin, "an:when:at")
        await admin.wait_for(lambda m: "ngày và giờ gửi" in m.text)
        soon = (clock.now() + timedelta(minutes=2)).astimezone(config.tz)
        await admin.send(f"{soon:%d/%m/%Y %H:%M}")
        confirm = await admin.wait_for(has_button("an:ok"))
        clock.advance(timedelta(minutes=10))  # the admin was called away

        await admin.press(confirm, "an:ok")
        await admin.wait_for(lambda m: "đã qua" in m.text)
        # Asked again to type a new time (not left to find the "When?" buttons far above).
        await admin.wait_for(
            lambda m: "ngày và giờ gửi" in m.text and m.message_id > confirm.message_id
        )
        later = (clock.now() + timedelta(hours=1)).astimezone(config.tz)
        await admin.send(f"{later:%d/%m/%Y %H:%M}")
        again = await admin.wait_for(
            lambda m: has_button("an:ok")(m) and m.message_id > confirm.message_id
        )
        assert f"{later:%d/%m/%Y %H:%M}" in again.text
