"""A schedule that sends to all subscribers more often than daily needs a second
confirmation that says how many messages a day it means; one that never fires is refused
as such."""

from __future__ import annotations

import pytest

from tests.announcing import compose, press

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def subscribe(user) -> None:
    await user.send("/subscribe")
    await user.wait_for(lambda m: "Đã đăng ký" in m.text)


async def test_every_minute_to_all_subscribers_needs_a_second_confirmation(
    bot, emulator, admin, member
) -> None:
    await subscribe(member)
    await subscribe(emulator.user(3401, first_name="Bình"))
    await compose(admin, "Tin mỗi phút", when="cron", typed="* * * * *")
    warning = await admin.wait_for(lambda m: "nhiều hơn một lần mỗi ngày" in m.text)
    assert "1.440 lần một ngày" in warning.text and "2.880 tin nhắn mỗi ngày" in warning.text
    assert await bot.services.announcements.active_schedules() == []

    await admin.press(warning, "Có, gửi theo lịch này")
    await admin.wait_for(lambda m: "Đã lên lịch thông báo" in m.text)
    [schedule] = await bot.services.announcements.active_schedules()
    assert schedule.rule == "cron * * * * *"


async def test_a_daily_schedule_is_confirmed_once(bot, admin, member) -> None:
    await subscribe(member)
    await compose(admin, "Tin hằng ngày", when="cron", typed="0 8 * * *")
    await admin.wait_for(lambda m: "Đã lên lịch thông báo" in m.text)


async def test_a_schedule_that_never_fires_is_refused_as_such(bot, admin) -> None:
    await admin.send("/announce")
    await admin.send("Tin ngày 31 tháng 2")
    await press(admin, "an:aud:subscribers")
    await press(admin, "an:when:cron")
    await admin.wait_for(lambda m: "<code>" in m.html)
    await admin.send("0 8 31 2 *")
    refused = await admin.wait_for(lambda m: "không bao giờ chạy" in m.text)
    assert "đã qua" not in refused.text
