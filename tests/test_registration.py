"""Members register for a meeting, see their registrations and cancel; the last seat goes to
one person only; the waiting list moves on when a seat is freed or an offer expires."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import StoppedClock
from bot.storage.registrations import Registrant, RegistrationRepository
from emulator import EmulatedUser
from tests.announcing import has_button, press
from tests.harness import BotHarness, make_config
from tests.meeting_fixtures import in_days, knowledge_with, make_member, meeting_yaml

QUESTION = 'question: {vi: "Bạn dự phiên nào?", en: "Which session will you attend?"}'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return knowledge_with(
        tmp_path,
        meeting_yaml("ws-open", in_days(10), f"capacity: 1\n{QUESTION}"),
        meeting_yaml("ws-quick", in_days(12), "capacity: 1\noffer_hours: 0.0006"),
        meeting_yaml("ws-closed", in_days(5), f'closes: "{in_days(-1):%Y-%m-%d %H:%M}"'),
        meeting_yaml("ws-members", in_days(8), "members_only: true"),
        meeting_yaml("ws-past", in_days(-3)),
        meeting_yaml("ws-noreg", in_days(9), None),
    )


@pytest.fixture
async def bot(tmp_path, emulator, admin, admin2, folder) -> AsyncIterator[BotHarness]:
    config = make_config(tmp_path, emulator, knowledge_dir=str(folder))
    async with BotHarness(config, emulator) as harness:
        yield harness


async def fill_form(user: EmulatedUser, meeting: str, *typed: str) -> None:
    """Open registration by deep link and type the answers the bot asks for, up to the
    summary with its Confirm button."""
    await user.send(f"/start reg-{meeting}")
    for answer in typed:
        await user.wait_for(lambda m: "?" in m.text or "Câu hỏi" in m.text)
        await user.send(answer)
    await user.wait_for(has_button(f"rg:ok:{meeting}"))


async def test_a_visitor_registers_sees_it_in_myevents_and_cancels(bot, member) -> None:
    await fill_form(member, "ws-open", "Nguyễn Thị Lan", "Thư viện mẫu", "ha noi", "Phiên sáng")
    summary = member.last_message
    assert "Nguyễn Thị Lan" in summary.text and "Hà Nội" in summary.text
    assert "Phiên sáng" in summary.text
    await member.press(summary, "rg:ok:ws-open")
    done = await member.wait_for(lambda m: m.text.startswith("✅"))
    assert "Hội thảo mẫu ws-open (FICTIONAL)" in done.text

    await member.send("/myevents")
    card = await member.wait_for(has_button("rg:x:ws-open"))
    assert "đã đăng ký" in card.text
    others = await member.wait_for(lambda m: "Các hội nghị khác" in m.text)
    assert has_button("rg:go:ws-quick")(others) and not has_button("rg:go:ws-open")(others)
    await member.press(card, "rg:x:ws-open")
    await press(member, "rg:y:ws-open")
    await member.wait_for(lambda m: m.text.startswith("Đã hủy đăng ký"))
    registration = await bot.services.registrations.get("ws-open", member.id)
    assert registration.status == "cancelled"
    await member.send("/myevents")
    assert "chưa đăng ký" in (await member.wait_for(lambda m: "chưa đăng ký" in m.text)).text


async def test_a_member_is_asked_nothing_the_register_already_knows(bot, emulator) -> None:
    lan = emulator.user(2101, first_name="Lan", language_code="vi")
    await make_member(bot.services.membership, lan.id, name="Trần Văn Bình", province="Huế")
    await lan.send("/start reg-ws-members")
    summary = await lan.wait_for(has_button("rg:ok:ws-members"))
    assert "Trần Văn Bình" in summary.text and "Huế" in summary.text
    assert not any("Họ và tên" in m.text for m in lan.messages)
    await lan.press(summary, "rg:ok:ws-members")
    await lan.wait_for(lambda m: m.text.startswith("✅"))


async def test_the_meeting_card_and_the_list_carry_the_register_button(bot, member) -> None:
    await member.send("/meetings")
    listing = await member.wait_for(has_button("rg:go:ws-open"))
    assert "✍️ Đăng ký tham dự: Hội thảo mẫu ws-open (FICTIONAL)" in listing.button_texts
    assert not any("ws-noreg" in b for b in listing.button_texts if b.startswith("✍️"))
    await member.press(listing, "rg:go:ws-open")
    await member.wait_for(lambda m: "Họ và tên" in m.text)


async def test_bad_links_and_closed_meetings_get_a_clear_message(bot, member, emulator) -> None:
    for meeting, expected in (
        ("nope", "Không tìm thấy hội nghị"),
        ("ws-past", "đã diễn ra"),
        ("ws-closed", "đã đóng lúc"),
        ("ws-members", "chỉ dành cho hội viên"),
        ("ws-noreg", "không nhận đăng ký qua bot"),
    ):
        await member.send(f"/start reg-{meeting}")
        reply = await member.next_message()
        assert expected in reply.text, (meeting, reply.text)
    english = emulator.user(2102, first_name="Ann", language_code="en")
    await english.send("/start reg-ws-closed")
    assert "closed at" in (await english.next_message()).text


async def test_two_people_pressing_for_the_last_seat_at_once_one_gets_it(bot, emulator) -> None:
    lan = emulator.user(2201, first_name="Lan", language_code="vi")
    binh = emulator.user(2202, first_name="Bình", language_code="vi")
    for user, name in ((lan, "Lan"), (binh, "Bình")):
        await fill_form(user, "ws-open", name, "-", "Huế", "Chiều")
    await asyncio.gather(
        lan.press(lan.last_message, "rg:ok:ws-open"),
        binh.press(binh.last_message, "rg:ok:ws-open"),
    )
    outcomes = [
        await user.wait_for(lambda m: m.text.startswith(("✅", "⏳"))) for user in (lan, binh)
    ]
    assert sorted(m.text[0] for m in outcomes) == ["⏳", "✅"]
    counts = await bot.services.registrations.counts("ws-open")
    assert (counts.registered, counts.waiting) == (1, 1)
    waiting = binh if outcomes[1].text.startswith("⏳") else lan
    assert "vị trí số 1" in waiting.last_message.text


async def test_a_cancellation_offers_the_seat_to_the_first_waiting(bot, emulator) -> None:
    users = [emulator.user(2300 + i, first_name=f"U{i}", language_code="vi") for i in range(3)]
    for user in users:
        await fill_form(user, "ws-open", user.user["first_name"], "-", "Huế", "Sáng")
        await user.press(user.last_message, "rg:ok:ws-open")
        await user.wait_for(lambda m: m.text.startswith(("✅", "⏳")))
    first, second, third = users
    await first.send("/myevents")
    await press(first, "rg:x:ws-open")
    await press(first, "rg:y:ws-open")
    offer = await second.wait_for(has_button("rg:acc:ws-open"))
    assert "Có người vừa hủy" in offer.text
    await bot.idle()
    assert not any(has_button("rg:acc:ws-open")(m) for m in third.messages)
    await second.send("/myevents")
    card = await second.wait_for(lambda m: m is not offer and has_button("rg:acc:ws-open")(m))
    await second.press(offer, "rg:acc:ws-open")
    await second.wait_for(lambda m: m.text.startswith("✅"))
    # The offer is answered: its buttons are gone. The /myevents card still has Accept:
    # pressed now, it shows the seat rather than "offer expired".
    assert offer.buttons == []
    before = len(second.messages)
    await second.press(card, "rg:acc:ws-open")
    again = await second.wait_for(lambda m: second.messages.index(m) >= before)
    assert again.text.startswith("✅"), again.text
    status = {u.id: (await bot.services.registrations.get("ws-open", u.id)).status for u in users}
    assert status == {first.id: "cancelled", second.id: "registered", third.id: "waiting"}


async def test_an_expired_offer_passes_to_the_next_and_cannot_be_accepted(bot, emulator) -> None:
    users = [emulator.user(2400 + i, first_name=f"V{i}", language_code="vi") for i in range(3)]
    for user in users:
        await fill_form(user, "ws-quick", user.user["first_name"], "-", "Huế")
        await user.press(user.last_message, "rg:ok:ws-quick")
        await user.wait_for(lambda m: m.text.startswith(("✅", "⏳")))
    first, second, third = users
    await first.send("/myevents")
    await press(first, "rg:x:ws-quick")
    await press(first, "rg:y:ws-quick")
    offer = await second.wait_for(has_button("rg:acc:ws-quick"))
    # The offer lasts about two seconds (offer_hours: 0.0006): it lapses, the third is asked.
    await second.wait_for(lambda m: "đã hết hạn" in m.text, timeout=10)
    await third.wait_for(has_button("rg:acc:ws-quick"), timeout=10)
    await second.press(offer, "rg:acc:ws-quick")
    await second.wait_for(lambda m: "lời mời nhận chỗ" in m.text and "Rất tiếc" in m.text)
    counts = await bot.services.registrations.counts("ws-quick")
    assert (counts.offered, counts.cancelled) == (1, 2)


async def test_the_last_seat_holds_under_concurrent_writes(db) -> None:
    repo = RegistrationRepository(db)
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    people = [Registrant(user_id=i, chat_id=i, language="vi", full_name=f"P{i}") for i in range(20)]
    results = await asyncio.gather(*(repo.register("m", p, 5, now) for p in people))
    statuses = [row.status for row, _ in results]
    assert statuses.count("registered") == 5 and statuses.count("waiting") == 15


async def test_admins_see_counts_lists_and_a_csv_of_registrants(bot, admin, emulator) -> None:
    lan = emulator.user(2501, first_name="Lan", language_code="vi")
    await make_member(bot.services.membership, lan.id, name="Lê Thị Lan", province="Cần Thơ",
                      organisation="Thư viện Cần Thơ (FICTIONAL)")
    visitor = emulator.user(2502, first_name="Khách", language_code="vi")
    await lan.send("/start reg-ws-open")
    await lan.wait_for(lambda m: "Câu hỏi" in m.text)
    await lan.send("Sáng")
    await press(lan, "rg:ok:ws-open")
    await fill_form(visitor, "ws-open", "=Khách mời", "Trường mẫu", "Đà Nẵng", "Chiều")
    await visitor.press(visitor.last_message, "rg:ok:ws-open")
    await visitor.wait_for(lambda m: m.text.startswith("⏳"))

    await admin.send("/attendees")
    overview = await admin.wait_for(has_button("at:m:ws-open"))
    assert "Hội thảo mẫu ws-open (FICTIONAL)</b>: đã đăng ký 1/1 · chờ 1 · đã hủy 0" in (
        overview.html
    )
    await admin.press(overview, "at:m:ws-open")
    listing = await admin.wait_for(has_button("at:csv:ws-open"))
    assert "1. Lê Thị Lan · Thư viện Cần Thơ (FICTIONAL) · Cần Thơ · hội viên số 1" in listing.text
    assert "Danh sách chờ\n1. =Khách mời · Trường mẫu · Đà Nẵng" in listing.text
    await admin.press(listing, "at:csv:ws-open")
    export = await admin.wait_for(lambda m: m.document is not None)
    rows = export.document.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Trạng thái,Họ và tên,Nơi công tác,Tỉnh/thành phố")
    assert rows[1].startswith("Đã đăng ký,Lê Thị Lan,Thư viện Cần Thơ (FICTIONAL),Cần Thơ,1,Sáng")
    assert rows[2].startswith("Danh sách chờ,'=Khách mời,Trường mẫu,Đà Nẵng,,Chiều")


async def test_attendees_is_for_admins_only(bot, member) -> None:
    await member.send("/attendees")
    assert "chỉ dành cho Văn phòng Hội" in (await member.next_message()).text


async def test_the_waiting_list_keeps_its_order_and_a_begun_meeting_offers_nothing(db) -> None:
    from datetime import UTC, datetime, timedelta

    repo = RegistrationRepository(db)
    now = datetime.now(UTC)

    def person(i: int) -> Registrant:
        return Registrant(user_id=i, chat_id=i, language="vi", full_name=f"P{i}")

    for i in range(4):
        await repo.register("m", person(i), 1, now + timedelta(seconds=i))
    # Number 1 leaves the waiting list and comes back: now behind 2 and 3.
    await repo.cancel("m", 1, 24, now)
    await repo.register("m", person(1), 1, now + timedelta(seconds=10))
    assert [await repo.waiting_position("m", i) for i in (2, 3, 1)] == [1, 2, 3]
    offered = await repo.cancel("m", 0, 24, now + timedelta(seconds=11))
    assert offered.offer is not None and offered.offer.user_id == 2
    assert not await repo.accept_offer("m", 3, now)  # no offer for 3
    assert await repo.accept_offer("m", 2, now + timedelta(seconds=12))
    begun = await repo.cancel("m", 2, 24, now + timedelta(seconds=13), offer_seat=False)
    assert begun.registration is not None and begun.offer is None
    assert (await repo.counts("m")).waiting == 2


async def test_a_larger_capacity_after_reload_offers_the_new_seat_to_the_first_waiting(
    bot, admin, emulator, folder
) -> None:
    first = emulator.user(2601, first_name="Một", language_code="vi")
    second = emulator.user(2602, first_name="Hai", language_code="vi")
    for user in (first, second):
        await fill_form(user, "ws-open", user.user["first_name"], "-", "Huế", "Sáng")
        await user.press(user.last_message, "rg:ok:ws-open")
        await user.wait_for(lambda m: m.text.startswith(("✅", "⏳")))
    path = folder / "test_meetings.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("capacity: 1\n      question",
                                                             "capacity: 2\n      question", 1),
                    encoding="utf-8")
    await admin.send("/reload")
    offer = await second.wait_for(has_button("rg:acc:ws-open"))
    await second.press(offer, "rg:acc:ws-open")
    await second.wait_for(lambda m: m.text.startswith("✅"))
    assert (await bot.services.registrations.counts("ws-open")).registered == 2


async def test_mydata_shows_a_registration_and_forget_erases_it(bot, member) -> None:
    import json

    await fill_form(member, "ws-open", "Nguyễn Thị Lan", "Thư viện mẫu", "Huế", "Sáng")
    await member.press(member.last_message, "rg:ok:ws-open")
    await member.wait_for(lambda m: m.text.startswith("✅"))
    await member.send("/mydata")
    export = await member.wait_for(lambda m: m.document is not None)
    rows = json.loads(export.document.content)["registrations"]
    assert [(r["meeting_id"], r["full_name"], r["answer"]) for r in rows] == [
        ("ws-open", "Nguyễn Thị Lan", "Sáng")
    ]
    await member.send("/forget")
    confirm = await member.wait_for(lambda m: "Không thể hoàn tác" in m.text)
    await member.press(confirm, "🗑 Có, xóa hết")
    await member.wait_for(lambda m: "Đã xóa dữ liệu cá nhân" in m.text)
    assert await bot.services.registrations.get("ws-open", member.id) is None


async def test_a_registrant_without_a_library_reads_it_in_words_not_a_dash(
    bot, member, admin
) -> None:
    await fill_form(member, "ws-open", "Nguyễn Thị Lan", "-", "Huế", "Sáng")
    summary = member.last_message
    assert "🏛 không có" in summary.text and "—" not in summary.text
    await member.press(summary, "rg:ok:ws-open")
    await member.wait_for(lambda m: m.text.startswith("✅"))
    await admin.send("/attendees")
    await press(admin, "at:m:ws-open")
    listing = await admin.wait_for(has_button("at:csv:ws-open"))
    assert "1. Nguyễn Thị Lan · không có · Huế" in listing.text


async def test_forget_takes_back_the_attendee_list_and_csv_that_named_the_person(
    bot, member, admin
) -> None:
    await fill_form(member, "ws-open", "Nguyễn Thị Lan", "Thư viện mẫu", "Huế", "Sáng")
    await member.press(member.last_message, "rg:ok:ws-open")
    await member.wait_for(lambda m: m.text.startswith("✅"))
    await admin.send("/attendees")
    await press(admin, "at:m:ws-open")
    listing = await admin.wait_for(has_button("at:csv:ws-open"))
    assert "Nguyễn Thị Lan" in listing.text
    await press(admin, "at:csv:ws-open")
    export = await admin.wait_for(lambda m: m.document is not None)
    assert "Nguyễn Thị Lan" in export.document.content.decode("utf-8-sig")

    await member.send("/forget")
    confirm = await member.wait_for(lambda m: "Không thể hoàn tác" in m.text)
    await member.press(confirm, "🗑 Có, xóa hết")
    await member.wait_for(lambda m: "Đã xóa dữ liệu cá nhân" in m.text)
    await bot.emulator.wait_until(lambda: listing.deleted and export.deleted)
    assert not any("Nguyễn Thị Lan" in m.text for m in admin.messages)


async def test_two_connections_pressing_for_the_last_seat_give_it_to_one(db) -> None:
    """As if two bot processes shared the file: BEGIN IMMEDIATE serialises them."""
    from datetime import UTC, datetime

    from bot.storage import Database

    now = datetime.now(UTC)
    other = Database(db.path)
    await other.open()
    try:
        results = await asyncio.gather(*(
            RegistrationRepository(connection).register(
                "m", Registrant(user_id=i, chat_id=i, language="vi", full_name=f"P{i}"), 1, now
            )
            for i, connection in ((1, db), (2, other), (3, db), (4, other))
        ))
    finally:
        await other.close()
    assert sorted(row.status for row, _ in results) == ["registered", "waiting", "waiting",
                                                        "waiting"]


async def test_once_the_clock_passes_the_meeting_its_registration_is_closed(bot, member) -> None:
    """The application's clock is injectable: the story moves it past the meeting."""
    await member.send("/start reg-ws-open")
    await member.wait_for(lambda m: "Họ và tên" in m.text)
    await member.send("/cancel")
    meeting = bot.services.kb.meeting("ws-open")
    bot.services.clock = StoppedClock(meeting.starts_at(bot.config.tz) + timedelta(days=1))
    await member.send("/start reg-ws-open")
    await member.wait_for(lambda m: "đã diễn ra, không còn nhận đăng ký" in m.text)
    assert await bot.services.registrations.get("ws-open", member.id) is None
