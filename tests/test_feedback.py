"""After a meeting, its registrants are asked once for a rating and a comment; the admins
read the summary in /attendees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.storage import Database
from bot.storage.registrations import Registrant, RegistrationRepository
from tests.announcing import has_button
from tests.harness import BotHarness, make_config
from tests.meeting_fixtures import TZ, knowledge_with


def ended_meeting_yaml() -> str:
    start = datetime.now(TZ) - timedelta(hours=3)
    end = datetime.now(TZ) - timedelta(minutes=1)
    return (
        "  - id: ws-done\n    kind: other\n"
        '    title: {vi: "Hội thảo đã xong (FICTIONAL)", en: "Finished workshop (FICTIONAL)"}\n'
        f'    date: {{start: "{start:%Y-%m-%d %H:%M}", end: "{end:%Y-%m-%d %H:%M}"}}\n'
        '    summary: {vi: "Giả (FICTIONAL).", en: "Fake (FICTIONAL)."}\n'
        '    source: {vi: "Thử (FICTIONAL)", en: "Test (FICTIONAL)"}\n'
        "    registration:\n      feedback: true\n"
    )


async def registered_for_ended_meeting(tmp_path: Path, emulator: Any, member: Any) -> Config:
    """A bot's config whose knowledge base has a meeting that ended a minute ago, for which
    ``member`` registered two days ago."""
    folder = knowledge_with(tmp_path, ended_meeting_yaml())
    config = make_config(tmp_path, emulator, knowledge_dir=str(folder))
    db = Database(config.database)
    await db.open()
    await RegistrationRepository(db).register(
        "ws-done",
        Registrant(user_id=member.id, chat_id=member.id, language="vi", full_name="Lan"),
        None,
        datetime.now(UTC) - timedelta(days=2),
    )
    await db.close()
    return config


async def test_registrants_rate_the_meeting_once_and_admins_see_the_summary(
    tmp_path, emulator, admin, admin2, member
) -> None:
    config = await registered_for_ended_meeting(tmp_path, emulator, member)
    bot = BotHarness(config)
    await bot.start()
    try:
        question = await member.wait_for(has_button("fb:ws-done:4"))
        assert "Hội thảo đã xong (FICTIONAL)" in question.text
        await member.press(question, "fb:ws-done:4")
        await member.wait_for(lambda m: "Cảm ơn Anh/Chị (4/5)" in m.text)
        await member.send("Phòng hơi nóng (FICTIONAL)")
        await member.wait_for(lambda m: "Đã ghi nhận góp ý" in m.text)
        # The meeting is over: no longer among "my events", and its link says so.
        await member.send("/myevents")
        await member.wait_for(lambda m: "chưa đăng ký hội nghị nào" in m.text)
        await member.send("/start reg-ws-done")
        await member.wait_for(lambda m: "đã diễn ra" in m.text)

        await bot.restart()
        await admin.send("/attendees")
        overview = await admin.wait_for(has_button("at:m:ws-done"))
        assert "⭐ 4.0/5 từ 1 đánh giá, 1 góp ý" in overview.text
        await admin.press(overview, "at:m:ws-done")
        listing = await admin.wait_for(has_button("at:csv:ws-done"))
        assert "💬 Phòng hơi nóng (FICTIONAL)" in listing.text
        asked = [m for m in member.messages if "đánh giá hội nghị" in m.text]
        assert len(asked) == 1
    finally:
        await bot.stop()
