"""Members look up meetings: upcoming and past, each with its details; an upcoming one goes
into their calendar as an .ics file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.harness import BotHarness, make_config
from tests.kb_fixtures import copy_knowledge, write_knowledge_file

SOON = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=10)
SOON_VI = f"{SOON:%d/%m/%Y}"


@pytest.fixture
def upcoming_knowledge(tmp_path: Path) -> Path:
    """The shipped knowledge plus one FICTIONAL conference ten days from now."""
    folder = copy_knowledge(tmp_path)
    write_knowledge_file(
        folder,
        "upcoming.yaml",
        f"""\
        meetings:
          - id: bch-test-upcoming
            kind: executive-committee
            term: term-4
            title:
              vi: "Hội nghị thử nghiệm sắp tới (FICTIONAL)"
              en: "Upcoming test conference (FICTIONAL)"
            date: "{SOON:%Y-%m-%d} 08:30"
            place:
              vi: "Hội trường mẫu, Hà Nội (FICTIONAL)"
              en: "Sample hall, Hanoi (FICTIONAL)"
            attendance:
              vi: "Ủy viên Ban Chấp hành (FICTIONAL)"
              en: "Executive Committee members (FICTIONAL)"
            summary:
              vi: "Hội nghị giả để kiểm thử lịch (FICTIONAL)."
              en: "A fake conference to test calendars (FICTIONAL)."
            decisions:
              - {{vi: "Chưa có quyết định (FICTIONAL).", en: "No decisions yet (FICTIONAL)."}}
            source: {{vi: "Giấy mời thử nghiệm (FICTIONAL)", en: "Test invitation (FICTIONAL)"}}
        """,
    )
    return folder


@pytest.fixture
async def meetings_bot(
    tmp_path, emulator, admin, admin2, upcoming_knowledge
) -> AsyncIterator[BotHarness]:
    config = make_config(tmp_path, emulator, knowledge_dir=str(upcoming_knowledge))
    async with BotHarness(config, emulator) as harness:
        yield harness


async def test_the_list_shows_upcoming_first_then_past_newest_first(meetings_bot, member) -> None:
    await member.send("/meetings")
    listing = await member.next_message()
    assert "Sắp tới: 1 · Đã diễn ra: 7" in listing.text
    buttons = listing.button_texts
    assert buttons[0] == f"🔜 {SOON_VI} · Hội nghị thử nghiệm sắp tới (FICTIONAL)"
    assert buttons[1] == "21/06/2022 · Đại hội lần thứ IV"
    assert buttons[-1] == "22/10/2006 · Đại hội thành lập Hội (Đại hội lần thứ I)"


async def test_an_upcoming_meeting_opens_with_its_details_and_a_calendar_file(
    meetings_bot, member
) -> None:
    await member.send("/meetings")
    listing = await member.next_message()
    await member.press(listing, (0, 0))
    details = await member.wait_for(lambda m: m is listing and "Thời gian" in m.text)
    assert details.text.startswith("Hội nghị thử nghiệm sắp tới (FICTIONAL)\n")
    assert f"Thời gian: {SOON_VI} 08:30" in details.text
    assert "Địa điểm: Hội trường mẫu, Hà Nội (FICTIONAL)" in details.text
    assert "Khóa: Khóa IV (2022–2027)" in details.text
    assert "Thành phần: Ủy viên Ban Chấp hành (FICTIONAL)" in details.text
    assert "Nội dung chính:\n- Chưa có quyết định (FICTIONAL)." in details.text
    assert "Nguồn: Giấy mời thử nghiệm (FICTIONAL)" in details.text
    assert details.button_texts == ["📆 Thêm vào lịch (.ics)", "⬅️ Danh sách hội nghị"]

    await member.press(details, "📆 Thêm vào lịch (.ics)")
    calendar = await member.next_message()
    assert calendar.document is not None
    assert calendar.document.filename == "bch-test-upcoming.ics"
    ics = calendar.document.content.decode("utf-8")
    assert "BEGIN:VEVENT" in ics
    assert "SUMMARY:Hội nghị thử nghiệm sắp tới (FICTIONAL)" in ics
    assert f"DTSTART:{SOON.replace(hour=1, minute=30):%Y%m%dT%H%M}00Z" in ics  # 08:30 at +07

    await member.press(details, "⬅️ Danh sách hội nghị")
    await member.wait_for(lambda m: m is listing and "Sắp tới: 1" in m.text)


async def test_a_past_meeting_has_its_details_but_no_calendar_file(bot, member) -> None:
    await member.send("/meetings")
    listing = await member.next_message()
    await member.press(listing, "22/05/2014 · Hội nghị Ban Chấp hành mở rộng lần thứ 4, khóa…")
    details = await member.wait_for(lambda m: m is listing and "Tham quan" in m.text)
    assert "Hơn 40 đại biểu" in details.text
    assert "Thư viện tỉnh Quảng Ninh" in details.text
    assert "Nguồn: Tin hoạt động (2014)" in details.text
    assert "📆 Thêm vào lịch (.ics)" not in details.button_texts


async def test_the_menu_opens_the_meetings_in_english(bot, emulator) -> None:
    visitor = emulator.user(3001, first_name="Anna", language_code="en")
    await visitor.send("/start")
    await visitor.press(await visitor.next_message(), "🗓 Meetings")
    listing = await visitor.next_message()
    assert "Upcoming: 0 · Past: 7" in listing.text
    assert "21/06/2022 · 4th Congress" in listing.button_texts


async def test_myevents_with_nothing_registered_or_open_promises_no_list(bot, member) -> None:
    await member.send("/myevents")
    reply = await member.next_message()
    assert "chưa đăng ký hội nghị nào" in reply.text
    assert "bên dưới" not in reply.text and reply.buttons == []
    assert "/meetings" in reply.text
