"""Admins aim an announcement at the right people: members of a province (or several), of a
kind, readers of a language, or a meeting's registrants; the preview says how many."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.storage import utcnow
from bot.storage.announcements import AnnouncementRepository
from bot.storage.membership import MembershipRepository
from bot.storage.registrations import Registrant, RegistrationRepository
from bot.storage.users import UserRepository
from tests.announcing import has_button, press
from tests.harness import SECOND_ADMIN_ID, BotHarness, make_config
from tests.meeting_fixtures import make_member


async def subscribed_member(bot, user, province: str, kind: str = "individual") -> None:
    svc = bot.services
    await svc.users.seen(user.id, first_name=user.user["first_name"], language_code="vi")
    await make_member(svc.membership, user.id, name=user.user["first_name"], province=province,
                      kind=kind)
    await svc.users.set_subscribed(user.id, True)


async def test_an_announcement_to_one_province_reaches_exactly_its_members(
    bot, admin, emulator
) -> None:
    hanoi = [emulator.user(3101 + i, first_name=f"Hà Nội {i}") for i in range(2)]
    hue = emulator.user(3111, first_name="Huế")
    visitor = emulator.user(3121, first_name="Khách")
    for user in hanoi:
        await subscribed_member(bot, user, "Hà Nội")
    await subscribed_member(bot, hue, "Huế")
    await bot.services.users.seen(visitor.id, first_name="Khách", language_code="vi")
    await bot.services.users.set_subscribed(visitor.id, True)

    await admin.send("/announce")
    await admin.send("Họp chi hội Hà Nội tối thứ Sáu (FICTIONAL)")
    await press(admin, "an:aud:prov")
    picker = await admin.wait_for(has_button("an:ap:hanoi"))
    assert "Hà Nội (2)" in picker.button_texts and "Huế (1)" in picker.button_texts
    await admin.press(picker, "an:ap:hanoi")
    await admin.wait_for(lambda m: m is picker and "✅ Hà Nội (2)" in m.button_texts)
    await admin.press(picker, "an:apd")
    await press(admin, "an:when:now")
    confirm = await admin.wait_for(has_button("an:ok"))
    assert "Hội viên ở Hà Nội" in confirm.text
    count = await admin.wait_for(lambda m: "sẽ đến" in m.text)
    assert "sẽ đến 2 người nhận" in count.text
    await admin.press(confirm, "an:ok")
    report = await admin.wait_for(lambda m: "Báo cáo" in m.text, timeout=10)
    assert "Đã gửi: 2/2" in report.text
    for user in hanoi:
        assert any(m.text.startswith("Họp chi hội") for m in user.messages)
    await bot.idle()
    for user in (hue, visitor):
        assert not any(m.text.startswith("Họp chi hội") for m in user.messages)


async def test_kind_language_and_registrant_audiences_choose_the_right_people(db) -> None:
    users, members = UserRepository(db), MembershipRepository(db)
    registrations = RegistrationRepository(db)
    announcements = AnnouncementRepository(db, default_language="vi")
    now = datetime.now(UTC)
    for user_id, code in ((1, "vi"), (2, "en-GB"), (3, "fr"), (4, "en")):
        await users.seen(user_id, first_name=f"U{user_id}", language_code=code)
        await users.set_subscribed(user_id, True)
    await users.set_language(3, "en")
    await make_member(members, 1, name="Lan", province="Huế")
    await make_member(members, 2, name="Thư viện X", province="Huế", kind="organisation")
    await registrations.register(
        "ws", Registrant(user_id=4, chat_id=4, language="en", full_name="Ann"), None, now
    )
    await users.set_subscribed(4, False)  # registrants are reached without subscribing

    async def chosen(audience: str) -> int:
        return await announcements.count_recipients(audience)

    assert await chosen("kind:individual") == 1
    assert await chosen("kind:organisation") == 1
    assert await chosen("prov:hue") == 2
    assert await chosen("prov:hue,hanoi") == 2
    assert await chosen("lang:en") == 2  # user 2 by Telegram, user 3 by /lang
    assert await chosen("lang:vi") == 1
    assert await chosen("reg:ws") == 1
    assert await chosen("reg:ws:vi") == 0


async def test_with_second_admin_approval_an_announcement_to_all_waits_for_another_admin(
    tmp_path, emulator, admin, admin2, member
) -> None:
    secretariat = emulator.group(-100700, "Ban Thư ký")
    for person in (admin, admin2):
        secretariat.add_member(person)
    config = make_config(tmp_path, emulator, admin_chat_id=-100700,
                         announcements={"require_second_admin": True})
    async with BotHarness(config, emulator) as bot:
        await member.send("/subscribe")
        await member.wait_for(lambda m: "Đã đăng ký" in m.text)
        await admin.send("/announce")
        await admin.send("Thông báo cần duyệt (FICTIONAL)")
        await press(admin, "an:aud:subscribers")
        await press(admin, "an:when:now")
        await press(admin, "an:ok")
        await admin.wait_for(lambda m: "cần một quản trị viên khác duyệt" in m.text)
        ask = await secretariat.wait_for(lambda m: "Duyệt?" in m.text)
        assert any(m.text == "Thông báo cần duyệt (FICTIONAL)" for m in secretariat.messages)
        await bot.idle()
        assert not any("cần duyệt" in m.text for m in member.messages)
        # The author cannot approve it with their own hands.
        query = await admin.press(ask, "an:apv:1")
        refused = await emulator.wait_for_answer(query)
        assert "không tự duyệt" in refused["text"] and refused["show_alert"]
        await admin2.press(ask, "an:apv:1")
        await member.wait_for(lambda m: m.text == "Thông báo cần duyệt (FICTIONAL)")
        await admin.wait_for(lambda m: "Admin Hai đã duyệt" in m.text)
        report = await admin.wait_for(lambda m: "Báo cáo" in m.text, timeout=10)
        assert "Đã gửi: 1/1" in report.text
        # Once decided, the question loses its buttons; the text went out once.
        assert ask.buttons == []
        assert await bot.services.approvals.decide(1, SECOND_ADMIN_ID, True, utcnow()) \
            is None
        sent = [m for m in member.messages if m.text == "Thông báo cần duyệt (FICTIONAL)"]
        assert len(sent) == 1


async def test_a_rejected_announcement_is_never_sent(tmp_path, emulator, admin, admin2,
                                                     member) -> None:
    config = make_config(tmp_path, emulator, announcements={"require_second_admin": True})
    async with BotHarness(config, emulator) as bot:
        await member.send("/subscribe")
        await member.wait_for(lambda m: "Đã đăng ký" in m.text)
        await admin.send("/announce")
        await admin.send("Thông báo bị từ chối (FICTIONAL)")
        await press(admin, "an:aud:subscribers")
        await press(admin, "an:when:now")
        await press(admin, "an:ok")
        ask = await admin2.wait_for(lambda m: "Duyệt?" in m.text)
        await admin2.press(ask, ask.buttons[0][1].callback_data)
        await admin.wait_for(lambda m: "không duyệt" in m.text)
        await bot.idle()
        assert not any("bị từ chối" in m.text for m in member.messages)


async def test_an_announcement_to_a_meetings_registrants_reaches_them_only(
    bot, admin, emulator
) -> None:
    registrant = emulator.user(3201, first_name="Đã đăng ký")
    subscriber = emulator.user(3202, first_name="Chỉ nhận tin")
    for user in (registrant, subscriber):
        await bot.services.users.seen(user.id, first_name=user.user["first_name"],
                                      language_code="vi")
    await bot.services.users.set_subscribed(subscriber.id, True)
    meeting = "congress-4"
    await bot.services.registrations.register(
        meeting, Registrant(user_id=registrant.id, chat_id=registrant.id, language="vi",
                            full_name="Đã đăng ký"), None, datetime.now(UTC),
    )
    await admin.send("/announce")
    await admin.send("Tài liệu hội nghị đã có (FICTIONAL)")
    await press(admin, "an:aud:reg")
    await press(admin, f"an:ar:{meeting}")
    await press(admin, "an:when:now")
    await admin.wait_for(lambda m: "sẽ đến 1 người nhận" in m.text)
    await press(admin, "an:ok")
    await registrant.wait_for(lambda m: m.text == "Tài liệu hội nghị đã có (FICTIONAL)")
    report = await admin.wait_for(lambda m: "Báo cáo" in m.text, timeout=10)
    assert "Đã gửi: 1/1" in report.text
    await bot.idle()
    assert not any("Tài liệu" in m.text for m in subscriber.messages)


def test_the_new_announcement_settings_are_checked() -> None:
    import pytest

    from bot.config import ConfigError, parse_config

    assert parse_config({}, env={}).announcements.require_second_admin is False
    assert parse_config({}, env={}).announcements.registrant_reminder_hours == (24, 2)
    with pytest.raises(ConfigError, match=r"announcements\.require_second_admin"):
        parse_config({"announcements": {"require_second_admin": "yes"}}, env={})
    with pytest.raises(ConfigError, match=r"announcements\.registrant_reminder_hours"):
        parse_config({"announcements": {"registrant_reminder_hours": 24}}, env={})
