"""Announcements end to end: admins and members talk to the real bot through the emulator."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Job

from bot.announcements.schedule import Daily, Once, parse_rule
from bot.clock import StoppedClock
from bot.storage import Database, utcnow
from bot.storage.announcements import AnnouncementRepository
from bot.storage.users import UserRepository
from bot.text import utf16_len
from emulator import BotApiEmulator, EmulatedUser
from tests.announcing import compose, has_button, press
from tests.harness import ADMIN_ID, BotHarness, make_config

# PTB's own RetryAfter constructor warns about its int form; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def subscribe(user: EmulatedUser) -> None:
    await user.send("/subscribe")
    await user.wait_for(lambda m: "Đã đăng ký" in m.text)


def sends_to(emulator: BotApiEmulator, chat_ids: set[int]) -> list[float]:
    return [
        c.time
        for c in emulator.calls
        if c.method == "sendMessage" and c.params.get("chat_id") in chat_ids
    ]


async def test_a_member_is_refused_politely(bot, member) -> None:
    await member.send("/announce")
    reply = await member.next_message()
    assert "chỉ Văn phòng Hội" in reply.text
    await member.send("/scheduled")
    assert "chỉ dành cho Văn phòng Hội" in (await member.next_message()).text


async def test_subscribe_unsubscribe_and_the_menu_button(bot, member) -> None:
    users = bot.services.users
    await subscribe(member)
    assert (await users.get(member.id)).subscribed
    await member.send("/start announcements")
    status = await member.wait_for(has_button("an:unsub"))
    assert "đang nhận" in status.text
    await member.press(status, "an:unsub")
    await member.wait_for(lambda m: m.message_id == status.message_id and "chưa nhận" in m.text)
    assert not (await users.get(member.id)).subscribed
    await member.send("/subscribe")
    await member.send("/unsubscribe")
    await member.wait_for(lambda m: "không nhận thông báo nữa" in m.text)
    assert not (await users.get(member.id)).subscribed


async def test_blocking_and_unblocking_the_bot_is_noticed(bot, member) -> None:
    users = bot.services.users
    await subscribe(member)
    await member.block_bot()
    await bot.idle()
    assert not (await users.get(member.id)).reachable
    await member.unblock_bot()
    await bot.idle()
    assert (await users.get(member.id)).reachable


async def test_admin_composes_and_members_get_it_exactly_as_written(
    bot, admin, member, emulator
) -> None:
    others = [emulator.user(3000 + i, f"Hội viên {i}") for i in range(2)]
    for user in (member, *others):
        await subscribe(user)
    text = "Họp Ban Chấp hành <thứ Hai> & ăn trưa 🍜 tại Hội trường A&B <b>không đậm</b>"
    bold = {"type": "bold", "offset": 0, "length": 18}
    link_start = utf16_len(text) - utf16_len("Hội trường A&B <b>không đậm</b>")
    url = "https://vla.org.vn/?a=1&b=2"
    link = {"type": "text_link", "offset": link_start, "length": 14, "url": url}
    await compose(admin, text, entities=[bold, link])

    for user in (member, *others):
        got = await user.wait_for(lambda m: m.text.startswith("Họp"), timeout=10)
        assert got.text == text
        assert got.parse_mode is None
        assert [(e["type"], e["offset"], e["length"]) for e in got.entities] == [
            ("bold", 0, 18),
            ("text_link", link_start, 14),
        ]
        assert got.entities[1]["url"] == url
    # The admin saw the same message as a preview, then gets the report.
    preview = await admin.wait_for(lambda m: m.text == text)
    assert preview.entities == got.entities
    report = await admin.wait_for(lambda m: "Báo cáo" in m.text, timeout=10)
    assert "Đã gửi: 3/3" in report.text


async def test_a_long_announcement_typed_in_two_messages_arrives_in_order(
    bot, admin, member
) -> None:
    await subscribe(member)
    first = "Phần một. " + "chữ " * 900
    second = "Phần hai. " + "chữ " * 900
    await admin.send("/announce")
    await admin.send(first.strip(), entities=[])
    await admin.wait_for(has_button("an:aud:subscribers"))
    await admin.send(second.strip(), entities=[{"type": "bold", "offset": 0, "length": 9}])
    await admin.wait_for(lambda m: "2 tin nhắn" in m.text)
    await press(admin, "an:aud:subscribers")
    await press(admin, "an:when:now")
    await press(admin, "an:ok")
    await admin.wait_for(lambda m: "Báo cáo" in m.text, timeout=10)
    texts = [m for m in member.messages if m.text.startswith("Phần")]
    assert [m.text[:9] for m in texts] == ["Phần một.", "Phần hai."]
    assert texts[1].entities == [{"type": "bold", "offset": 0, "length": 9}]


async def test_broadcast_to_hundreds_with_blocked_users_and_a_429(
    tmp_path: Path, emulator: BotApiEmulator, admin
) -> None:
    config = make_config(tmp_path, emulator, announcements={"messages_per_second": 400})
    subscribers = emulator.add_users(300, start_id=500_000)
    deactivated = subscribers[10:20]  # 403 "user is deactivated" during the broadcast
    blocked = subscribers[20:30]  # blocked the bot beforehand: Telegram told the bot
    async with BotHarness(config, emulator) as bot:
        users = bot.services.users
        for user in subscribers:
            await users.seen(user.id, first_name=user.user["first_name"])
            await users.set_subscribed(user.id, True)
        for user in deactivated:
            user.deactivate()
        for user in blocked:
            await user.block_bot()
        await bot.idle()  # the bot has taken note of every block
        ids = {user.id for user in subscribers}

        await compose(admin, "Thông báo khẩn: họp lúc 14:00")
        await emulator.wait_until(lambda: len(sends_to(emulator, ids)) >= 100, timeout=20)
        emulator.fail("sendMessage", "429", retry_after=1)
        report = await admin.wait_for(lambda m: "Báo cáo" in m.text, timeout=30)

        counts = emulator.delivery_counts()
        served = [u for u in subscribers if u not in deactivated and u not in blocked]
        assert all(counts.get(u.id) == 1 for u in served)
        assert not any(counts.get(u.id) for u in [*deactivated, *blocked])
        assert "Đã gửi: 280/290" in report.text and "Đã chặn bot: 10" in report.text
        assert not any([(await users.get(u.id)).reachable for u in deactivated])
        # The 429 paused the whole broadcast for retry_after (1 s).
        times = sorted(sends_to(emulator, ids))
        assert max(b - a for a, b in itertools.pairwise(times)) >= 0.95


async def seed_daily_schedule(config, planned, *, subscribers: list[int]) -> int:
    """A daily schedule whose run at ``planned`` fell due while the bot was down."""
    db = Database(config.database)
    await db.open()
    users = UserRepository(db)
    for user_id in subscribers:
        await users.seen(user_id, first_name="U")
        await users.set_subscribed(user_id, True)
    rule = Daily(planned.astimezone(config.tz).time(), config.tz)
    schedule, _ = await AnnouncementRepository(db).add_schedule(
        key="admin:seeded",
        text="Điểm danh hằng ngày",
        entities=[],
        audience="subscribers",
        rule=rule.spec,
        created_by=ADMIN_ID,
        now=planned - timedelta(minutes=5),
        anchor=planned - timedelta(minutes=5),
    )
    await db.close()
    return schedule.id


@pytest.mark.parametrize(("hours_ago", "sent"), [(1, True), (7, False)])
async def test_a_run_missed_while_down_is_sent_in_the_grace_window_else_reported(
    tmp_path: Path, emulator: BotApiEmulator, admin, member, hours_ago: int, sent: bool
) -> None:
    config = make_config(tmp_path, emulator)  # grace: the default 6 hours
    planned = utcnow().replace(microsecond=0) - timedelta(hours=hours_ago)
    await seed_daily_schedule(config, planned, subscribers=[member.id])
    async with BotHarness(config, emulator) as bot:
        if sent:
            await member.wait_for(lambda m: m.text == "Điểm danh hằng ngày", timeout=10)
            await bot.restart()
            await admin.wait_for(lambda m: "Báo cáo" in m.text)
            await bot.idle()
            assert emulator.delivered(member.id) == 1
        else:
            missed = await admin.wait_for(lambda m: "bị lỡ" in m.text, timeout=10)
            assert "1 lần gửi" in missed.text
            await bot.restart()
            await bot.idle()
            assert emulator.delivered(member.id) == 0
            assert len([m for m in admin.messages if "bị lỡ" in m.text]) == 1


async def test_a_recurring_schedule_fires_survives_a_restart_and_is_not_duplicated(
    config, emulator, admin, admin2, member
) -> None:
    # The bot's clock stands still; the job queue's run would come minutes later in real
    # time, so the test moves the clock to the run and lets its job run, as the queue would.
    clock = StoppedClock(utcnow().replace(microsecond=0), config.tz)
    fire_at = clock.now() + timedelta(minutes=5)
    async with BotHarness(config, emulator, clock=clock) as bot:
        await subscribe(member)
        await compose(admin, "Bản tin hằng ngày", when="daily", typed=f"{fire_at:%H:%M:%S}")
        await admin.wait_for(lambda m: "Đã lên lịch" in m.text)
        await bot.restart()  # before it fires: the schedule lives in SQLite, not in the job queue
        [job] = announcement_jobs(bot)
        assert job.next_t == fire_at
        clock.advance(fire_at - clock.now())
        await job.run(bot.application)
        await member.wait_for(lambda m: m.text == "Bản tin hằng ngày")
        await bot.restart()
        await bot.idle()
        assert len([m for m in member.messages if m.text == "Bản tin hằng ngày"]) == 1
        [schedule] = await bot.services.announcements.active_schedules()
        rule = parse_rule(schedule.rule, bot.config.tz)
        assert rule.next_after(schedule.anchor_at) == fire_at + timedelta(days=1)
        [job] = announcement_jobs(bot)
        assert job.next_t == fire_at + timedelta(days=1)


async def test_scheduled_lists_and_cancels_and_the_cancel_survives_a_restart(bot, admin) -> None:
    next_year = utcnow().astimezone(bot.config.tz).year + 1
    await compose(admin, "Chúc mừng năm mới", when="at", typed=f"01/01/{next_year} 08:00")
    await admin.wait_for(lambda m: "Đã lên lịch" in m.text)
    await admin.send("/scheduled")
    item = await admin.wait_for(lambda m: "Chúc mừng năm mới" in m.text and bool(m.buttons))
    assert f"01/01/{next_year} 08:00" in item.text
    cancel = item.buttons[0][0].callback_data
    await admin.press(item, cancel)
    await admin.wait_for(lambda m: "Đã hủy thông báo" in m.text)
    await admin.press(item, cancel)  # an old button pressed again
    await admin.wait_for(lambda m: "không còn trong lịch" in m.text)
    await bot.restart()
    await admin.send("/scheduled")
    await admin.wait_for(lambda m: "Không có thông báo nào" in m.text)
    assert emulator_jobs(bot) == []


async def test_scheduled_says_in_words_when_a_schedule_has_no_run_left(bot, admin) -> None:
    now = utcnow()
    # A one-off whose time is behind its anchor: its run was begun, not yet marked done.
    await bot.services.announcements.add_schedule(
        key="test:no-run-left",
        text="Họp cuối năm",
        entities=[],
        audience="test",
        rule=Once(now - timedelta(hours=1)).spec,
        created_by=ADMIN_ID,
        now=now,
        anchor=now,
    )
    await admin.send("/scheduled")
    item = await admin.wait_for(lambda m: "Họp cuối năm" in m.text)
    assert "Lần tới: không còn lần gửi nào" in item.text
    assert "—" not in item.text


def announcement_jobs(bot: BotHarness) -> list[Job[Any]]:
    """The scheduled runs of announcements registered with the bot's job queue."""
    return [
        job
        for job in bot.application.job_queue.jobs()
        if job.name.startswith("announce:") and job.name != "announce:resume"
    ]


def emulator_jobs(bot: BotHarness) -> list[str]:
    """The announcement jobs registered with the bot's job queue."""
    return [job.name for job in announcement_jobs(bot)]
