"""An admin stops a broadcast from its progress message, and the report names the recipients
whose outcome is unknown, with a button to send it to them again on purpose."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import StoppedClock
from bot.storage import utcnow
from emulator import BotApiEmulator
from tests.announcing import compose
from tests.harness import BotHarness, make_config

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def sent_to(emulator: BotApiEmulator, chat_ids: set[int]) -> int:
    return sum(
        1
        for c in emulator.calls
        if c.method == "sendMessage" and c.params.get("chat_id") in chat_ids
    )


async def test_the_stop_button_cancels_what_is_not_sent_yet_and_the_report_says_so(
    tmp_path: Path, emulator: BotApiEmulator, admin
) -> None:
    config = make_config(tmp_path, emulator, announcements={"messages_per_second": 20})
    subscribers = emulator.add_users(200, start_id=600_000)
    async with BotHarness(config) as bot:
        for user in subscribers:
            await bot.services.users.seen(user.id, first_name="Hội viên")
            await bot.services.users.set_subscribed(user.id, True)
        ids = {user.id for user in subscribers}

        await compose(admin, "Mời họp Ban Chấp hành")
        progress = await admin.wait_for(lambda m: "Đang gửi thông báo" in m.text)
        await emulator.wait_until(lambda: sent_to(emulator, ids) >= 10, timeout=10)
        await admin.press(progress, "⏹ Dừng gửi")
        stopping = await admin.wait_for(lambda m: "Đang dừng thông báo" in m.text)
        report = await admin.wait_for(lambda m: "Đã gửi:" in m.text, timeout=10)

        delivered = sent_to(emulator, ids)
        assert delivered < 100
        assert f"Đã gửi: {delivered}/200" in report.text
        assert f"{200 - delivered} người chưa được gửi" in report.text
        assert "tin chưa gửi đã được hủy" in stopping.text
        assert max(emulator.delivery_counts().get(u.id, 0) for u in subscribers) == 1
        await admin.wait_for(lambda m: m.message_id == progress.message_id and not m.buttons)


async def test_the_report_names_the_recipients_whose_outcome_is_unknown(
    tmp_path: Path, emulator: BotApiEmulator, admin
) -> None:
    config = make_config(tmp_path, emulator)
    binh = emulator.user(700_001, first_name="Bình", last_name="Đỗ")
    others = emulator.add_users(4, start_id=700_100)
    async with BotHarness(config) as bot:
        for user in [binh, *others]:
            await bot.services.users.seen(
                user.id, first_name=user.user["first_name"], last_name=user.user.get("last_name")
            )
            await bot.services.users.set_subscribed(user.id, True)
        # Telegram takes the message but the answer never comes back (a 504 after a wait).
        emulator.fail("sendMessage", "timeout", chat_id=binh.id, delivered=True, hold=0.1)

        await compose(admin, "Thông báo nghỉ lễ")
        report = await admin.wait_for(lambda m: "Đã gửi:" in m.text, timeout=10)

        assert "Không rõ: 1" in report.text
        assert f"Bình Đỗ ({binh.id})" in report.text
        assert len(binh.messages) == 1  # it did arrive, and was not sent again

        # The admin chooses to send it again to those recipients, on purpose, once.
        await admin.press(report, "🔁 Gửi lại cho 1 người chưa rõ")
        again = await admin.wait_for(lambda m: "Đã gửi: 1/1" in m.text, timeout=10)
        assert not again.buttons
        assert [m.text for m in binh.messages] == ["Thông báo nghỉ lễ"] * 2
        assert all(len(user.messages) == 1 for user in others)
        await admin.press(report, "🔁 Gửi lại cho 1 người chưa rõ")
        await admin.wait_for(lambda m: "đã được xử lý rồi" in m.text)
        assert len(binh.messages) == 2


async def test_a_scheduled_run_shows_its_progress_with_a_stop_button(
    tmp_path: Path, emulator: BotApiEmulator, admin
) -> None:
    config = make_config(tmp_path, emulator, announcements={"messages_per_second": 5})
    subscribers = emulator.add_users(60, start_id=800_000)
    # The bot's clock stands still: the test moves it to the run and lets the run's job
    # start, as the job queue would minutes later in real time.
    clock = StoppedClock(utcnow().replace(microsecond=0), config.tz)
    async with BotHarness(config, clock=clock) as bot:
        for user in subscribers:
            await bot.services.users.seen(user.id, first_name="Hội viên")
            await bot.services.users.set_subscribed(user.id, True)
        fire_at = clock.now() + timedelta(minutes=5)
        await compose(admin, "Bản tin hằng ngày", when="daily", typed=f"{fire_at:%H:%M:%S}")
        await admin.wait_for(lambda m: "Đã lên lịch" in m.text)
        [job] = bot.application.job_queue.get_jobs_by_name("announce:1")
        assert job.next_t == fire_at
        clock.advance(fire_at - clock.now())
        await job.run(bot.application)

        progress = await admin.wait_for(lambda m: "Đang gửi thông báo" in m.text, timeout=10)
        await admin.press(progress, "⏹ Dừng gửi")
        report = await admin.wait_for(lambda m: "Đã gửi:" in m.text, timeout=10)
        assert "người chưa được gửi" in report.text
        assert sent_to(emulator, {u.id for u in subscribers}) < 60
        [schedule] = await bot.services.announcements.active_schedules()  # tomorrow still on
        assert schedule.rule.startswith("daily")


async def test_a_recipient_without_a_name_is_named_in_words_in_the_report(
    tmp_path: Path, emulator: BotApiEmulator, admin
) -> None:
    config = make_config(tmp_path, emulator)
    nameless = emulator.add_users(1, start_id=710_001)[0]
    async with BotHarness(config) as bot:
        await bot.services.users.seen(nameless.id)  # known by id only, as after an erasure
        await bot.services.users.set_subscribed(nameless.id, True)
        emulator.fail("sendMessage", "timeout", chat_id=nameless.id, delivered=True, hold=0.1)

        await compose(admin, "Thông báo nghỉ lễ")
        report = await admin.wait_for(lambda m: "Đã gửi:" in m.text, timeout=10)

        assert "Không rõ: 1" in report.text
        assert f"không rõ tên ({nameless.id})" in report.text
        assert f"- ({nameless.id})" not in report.text
