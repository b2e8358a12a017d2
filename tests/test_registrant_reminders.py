"""Registrants are reminded before their meeting, in their language, with the venue and a
map link; subscribers who did not register are not; a restart never sends one twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import StoppedClock
from tests.harness import BotHarness, make_config
from tests.meeting_fixtures import TZ, knowledge_with, meeting_yaml
from tests.test_registration import fill_form

# When the reminder is due, from the start. The bot's clock stands still: real time never
# gets there during the test (the job queue's run would come an hour later); the test moves
# the clock past it while the bot is down.
MARGIN = timedelta(hours=1)


async def test_reminders_reach_registrants_only_and_survive_a_restart_without_duplicates(
    tmp_path, emulator, admin, admin2
) -> None:
    clock = StoppedClock(datetime.now(UTC).replace(microsecond=0), TZ)
    start = (clock.now() + timedelta(days=1, minutes=10)).replace(second=0)
    fire_at = clock.utcnow() + MARGIN
    hours = (start - fire_at).total_seconds() / 3600
    folder = knowledge_with(tmp_path, meeting_yaml(
        "ws-remind", start, "capacity: 10",
        '    coordinates: "21.0285, 105.8542"\n',
    ))
    config = make_config(tmp_path, emulator, knowledge_dir=str(folder),
                         announcements={"registrant_reminder_hours": [hours]})
    lan = emulator.user(4001, first_name="Lan", language_code="vi")
    ann = emulator.user(4002, first_name="Ann", language_code="en")
    other = emulator.user(4003, first_name="Khác", language_code="vi")
    bot = BotHarness(config, clock=clock)
    await bot.start()
    for user, name in ((lan, "Lan"), (ann, "Ann")):
        await fill_form(user, "ws-remind", name, "-", "Hà Nội")
        await user.press(user.last_message, "rg:ok:ws-remind")
        await user.wait_for(lambda m: m.text.startswith("✅"))
    await other.send("/subscribe")
    await other.wait_for(lambda m: "Đã đăng ký" in m.text)
    # The bot is down when the reminder is due, and starts again after.
    await bot.stop()
    clock.advance(MARGIN + timedelta(minutes=1))
    await bot.start()
    reminder_vi = await lan.wait_for(lambda m: "Nhắc lịch cho người đã đăng ký" in m.text)
    assert "Hội thảo mẫu ws-remind (FICTIONAL)" in reminder_vi.text
    assert f"{start:%d/%m/%Y %H:%M}" in reminder_vi.text
    assert "Hội trường mẫu, Hà Nội (FICTIONAL)" in reminder_vi.text
    assert "https://www.google.com/maps?q=21.0285,105.8542" in reminder_vi.text
    reminder_en = await ann.wait_for(lambda m: "A reminder for registrants" in m.text)
    assert "Sample hall, Hanoi (FICTIONAL)" in reminder_en.text
    await admin.wait_for(lambda m: "Báo cáo" in m.text, timeout=10)

    await bot.restart()
    await lan.send("/myevents")
    await lan.wait_for(lambda m: "Đăng ký của Anh/Chị" in m.text)
    await bot.stop()
    registrants = ("A reminder for registrants", "Nhắc lịch cho người đã đăng ký")
    for user in (lan, ann):
        reminders = [m for m in user.messages if any(r in m.text for r in registrants)]
        assert len(reminders) == 1
    # The subscriber who did not register gets no registrant's reminder (the subscribers'
    # general reminder, "🗓 Nhắc lịch: ...", falls in this hour when the test runs between
    # 07:00 and 08:00 in Hanoi, and is theirs).
    assert not any(text in m.text for m in other.messages for text in registrants)


def test_a_meeting_with_registration_keeps_only_the_general_notice_for_subscribers(
    tmp_path, emulator
) -> None:
    from bot.announcements.knowledge import definitions
    from bot.kb import KnowledgeBase
    from bot.texts import Catalog

    start = (datetime.now(TZ) + timedelta(days=20)).replace(hour=8, minute=30, second=0,
                                                             microsecond=0)
    folder = knowledge_with(tmp_path, meeting_yaml("ws-notice", start, "capacity: 5"))
    config = make_config(tmp_path, emulator, knowledge_dir=str(folder))
    found = {
        d.key: d
        for d in definitions(KnowledgeBase.load(folder), config, Catalog.load(),
                             datetime.now(UTC))
        if d.key.startswith("meeting:ws-notice")
    }
    assert sorted(found) == [
        "meeting:ws-notice:7",
        "meeting:ws-notice:reg24h:en",
        "meeting:ws-notice:reg24h:vi",
        "meeting:ws-notice:reg2h:en",
        "meeting:ws-notice:reg2h:vi",
    ]
    assert found["meeting:ws-notice:7"].audience == "subscribers"
    assert "gõ /meetings và bấm Đăng ký tham dự" in found["meeting:ws-notice:7"].text
    assert found["meeting:ws-notice:reg2h:en"].audience == "reg:ws-notice:en"
    assert found["meeting:ws-notice:reg2h:en"].rule.at == start - timedelta(hours=2)
