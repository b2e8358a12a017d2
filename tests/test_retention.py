"""Who is recorded, and how long: only people who use the bot, for a configured time.

A member of some group the bot is in, or someone who types its name in an inline query,
is not recorded. Visitors who never applied, questions and delivery records are erased by
the daily retention job (which also runs at start) after `retention.*` days.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.storage import to_db_time, utcnow
from tests.test_membership_e2e import answer, apply, card
from tests.test_questions import WEATHER, send_to_secretariat


async def test_group_members_and_inline_query_users_are_not_recorded(bot, emulator, member) -> None:
    group = emulator.group(-1007777, "Một nhóm bất kỳ")
    stranger = emulator.user(3301, first_name="Người lạ")
    await stranger.send("chào cả nhà", chat=group)
    browser = emulator.user(3302, first_name="Người tìm")
    await emulator.inject_update(
        {"inline_query": {"id": "77", "from": browser.user, "query": "hoi phi", "offset": ""}}
    )
    await answer(member, "/start")  # handled after the two updates above
    users = bot.services.users
    assert await users.get(member.id) is not None
    assert await users.get(stranger.id) is None
    assert await users.get(browser.id) is None


async def test_silent_visitors_old_questions_and_old_deliveries_are_erased(
    bot, emulator, member, admin
) -> None:
    visitor = emulator.user(3303, first_name="Khách")
    await answer(visitor, "/start")
    subscriber = emulator.user(3304, first_name="Đọc tin")
    await answer(subscriber, "/subscribe")
    asker = emulator.user(3305, first_name="Hỏi")
    _, notice = await send_to_secretariat(asker, admin, WEATHER)
    assert WEATHER in notice.text
    await apply(member)
    await card(admin)
    db = bot.services.db
    await db.execute(
        "INSERT INTO announcement_schedules (key, text, audience, rule, created_at, anchor_at,"
        " status) VALUES ('t', 'x', 'subscribers', ?, ?, ?, 'done')",
        (f"once {to_db_time(utcnow())}", to_db_time(utcnow()), to_db_time(utcnow())),
    )
    await db.execute(
        "INSERT INTO broadcasts (schedule_id, planned_at, text, audience, status, started_at,"
        " finished_at) VALUES (1, ?, 'x', 'subscribers', 'done', ?, ?)",
        (to_db_time(utcnow()),) * 3,
    )
    await db.execute(
        "INSERT INTO deliveries (broadcast_id, chat_id, user_id, status) VALUES (1, ?, ?, 'sent')",
        (subscriber.id, subscriber.id),
    )
    # Two hundred days pass (the defaults: visitors 180, questions 365, deliveries 90).
    old = to_db_time(utcnow() - timedelta(days=200))
    await db.execute("UPDATE users SET last_seen = ?, first_seen = ?", (old, old))
    await db.execute("UPDATE questions SET asked_at = ?", (old,))
    await db.execute("UPDATE broadcasts SET finished_at = ?", (old,))

    await bot.restart()  # the retention job runs at every start

    users = bot.services.users
    assert await users.get(visitor.id) is None
    assert await users.get(member.id) is not None  # an applicant
    assert await users.get(subscriber.id) is not None  # chose to receive announcements
    assert await users.get(asker.id) is not None  # their question is still kept
    assert await bot.services.db.fetchone("SELECT * FROM deliveries") is None
    assert await bot.services.questions.count_open() == 1

    await bot.restart(retention=dataclasses.replace(bot.config.retention, question_days=100))
    assert await bot.services.questions.count_open() == 0
    assert await bot.services.users.get(asker.id) is None
    # The secretariat's copy of the erased question is taken back too.
    assert [m.text for m in admin.messages if WEATHER in m.text] == []
