"""One open prompt per person: a form opened while another one is half filled sets the first
aside, and the person is told so in their language, with how to get back to it (a half
filled application goes on at the next /join); buttons of the set-aside form, pressed
afterwards, get a clear answer; nothing already saved is lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.membership.applications import Status
from emulator import EmulatedUser, SentMessage
from tests.announcing import has_button
from tests.harness import BotHarness, make_config, office_group
from tests.meeting_fixtures import in_days, knowledge_with, meeting_yaml
from tests.test_feedback import registered_for_ended_meeting
from tests.test_membership_e2e import ADMIN_GROUP, LAN, answer, apply, card, press

WORKSHOP = "Hội thảo mẫu ws-one (FICTIONAL)"


@pytest.fixture
async def bot(tmp_path: Path, emulator, admin, admin2) -> AsyncIterator[BotHarness]:
    """The bot with two FICTIONAL meetings open for registration."""
    folder = knowledge_with(
        tmp_path,
        meeting_yaml("ws-one", in_days(10), "capacity: 5"),
        meeting_yaml("ws-two", in_days(12), "capacity: 5"),
        meeting_yaml("ws-members", in_days(8), "members_only: true"),
    )
    config = make_config(tmp_path, emulator, knowledge_dir=str(folder))
    async with BotHarness(config, emulator) as harness:
        yield harness


async def read_until(user: EmulatedUser, wanted: Callable[[SentMessage], Any]) -> SentMessage:
    """Read the bot's messages in order up to the first one that is ``wanted``."""
    while not wanted(message := await user.next_message()):
        pass
    return message


async def alert_for(emulator, query_id: str) -> str:
    """The text of the alert that answered a button press."""
    answered = await emulator.wait_for_answer(query_id)
    assert answered.get("show_alert") is True, answered
    return str(answered["text"])


async def half_way_through_the_application(user: EmulatedUser) -> SentMessage:
    """/join and every field answered: the consent question, with its buttons."""
    reply = await press(user, await answer(user, "/join"), "👤 Cá nhân")
    for value in LAN.values():
        reply = await answer(user, value)
    assert "Đồng ý xử lý dữ liệu cá nhân" in reply.text
    return reply


async def test_an_applicant_who_registers_for_a_meeting_goes_on_with_the_application_after(
    bot, emulator, member, admin
) -> None:
    binh = emulator.user(5102, first_name="Bình", language_code="vi")
    consent = await half_way_through_the_application(member)
    await press(binh, await answer(binh, "/join"), "👤 Cá nhân")  # another applicant meanwhile

    await member.send("/meetings")
    listing = await read_until(member, has_button("rg:go:ws-one"))
    await member.press(listing, "rg:go:ws-one")
    aside = await member.next_message()
    assert "Đơn xin vào Hội" in aside.text and "gác lại ở bước 8/8" in aside.text
    assert "chưa gửi cho Văn phòng Hội" in aside.text and "/join để điền tiếp" in aside.text
    assert WORKSHOP in (await member.next_message()).text
    assert "Họ và tên" in (await member.next_message()).text

    # The application's consent button, pressed meanwhile: a clear alert, no crash.
    refused = await alert_for(emulator, await member.press(consent, "✅ Tôi đồng ý"))
    assert refused.startswith("Đơn này không còn mở") and "/join" in refused
    assert await bot.services.membership.pending_of(member.id) is None

    # What the member types goes to the registration; the other applicant's form is his.
    assert "thư viện" in (await answer(member, "Nguyễn Thị Lan")).text.lower()
    assert "Bước 3/8" in (await answer(binh, "Trần Văn Bình")).text
    status = await answer(member, "/status")
    assert "đang điền dở" in status.text and "/join" in status.text

    # /join sets the registration aside in turn, and the application goes on at its consent.
    assert "đăng ký tham dự" in (await answer(member, "/join")).text
    resumed = await member.next_message()
    assert "đang điền dở" in resumed.text and "Bước 8/8" in resumed.text
    summary = await press(member, resumed, "✅ Tôi đồng ý")
    assert LAN["full_name"] in summary.text and "lan@thuvien.vn" in summary.text
    assert "đã nhận đơn số" in (await press(member, summary, "📨 Gửi đơn")).text
    assert LAN["full_name"] in (await card(admin)).text


async def test_a_registration_refused_opens_nothing_so_the_application_stays_open(
    bot, member
) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    await answer(member, "Nguyễn Thị Lan")
    refused = await answer(member, "/start reg-ws-members")
    assert "chỉ dành cho hội viên" in refused.text
    assert "Bước 4/8" in (await answer(member, "Thư viện tỉnh Nghệ An")).text
    assert not any("gác lại" in m.text for m in member.messages)


async def test_an_application_set_aside_before_anything_was_answered_is_not_kept(
    bot, member
) -> None:
    await answer(member, "/join")
    await member.send("/start reg-ws-one")
    aside = await member.next_message()
    assert "vừa mở (chưa điền gì) đã được gác lại" in aside.text
    await read_until(member, lambda m: "Họ và tên" in m.text)
    await answer(member, "/join")  # the registration's notice
    assert "Bước 1\n" in (await member.next_message()).text


async def test_forget_erases_an_application_set_aside(bot, member) -> None:
    await half_way_through_the_application(member)
    await member.send("/start reg-ws-one")
    await read_until(member, lambda m: "Họ và tên" in m.text)
    assert await bot.services.forms.set_aside_of(member.id, "join") is not None
    await member.send("/mydata")
    listed = await read_until(member, lambda m: "đã được gác lại" in m.text)
    assert "Đơn đang điền dở đã được gác lại (gõ /join để điền tiếp): 1" in listed.text
    await member.send("/forget")
    confirm = await read_until(member, lambda m: m.buttons)
    await member.press(confirm, "🗑 Có, xóa hết")
    await read_until(member, lambda m: "Đã xóa dữ liệu cá nhân" in m.text)
    assert await bot.services.forms.set_aside_of(member.id, "join") is None


async def test_an_admin_writing_an_announcement_who_rejects_an_application_gets_the_draft_back(
    bot, emulator, member, admin
) -> None:
    draft = "Họp Ban Chấp hành ngày 5/12 (FICTIONAL)"
    await admin.send("/announce")
    await admin.send(draft, entities=[{"type": "bold", "offset": 0, "length": 3}])
    audiences = await read_until(admin, has_button("an:aud:subscribers"))
    await apply(member)
    application = await card(admin)

    await admin.press(application, "✖️ Từ chối")
    aside = await admin.next_message()
    assert "Thông báo Anh/Chị đang soạn đã được gác lại" in aside.text
    assert "chưa gửi" in aside.text and "/announce" in aside.text
    returned = await admin.next_message()
    assert returned.text == draft  # as typed, its bold kept
    assert returned.raw["entities"] == [{"offset": 0, "length": 3, "type": "bold"}]
    assert "lý do từ chối" in (await admin.next_message()).text

    refused = await alert_for(emulator, await admin.press(audiences, "an:aud:subscribers"))
    assert refused.startswith("Bản thông báo này không còn mở") and "/announce" in refused
    assert "Đã từ chối đơn số 1" in (await answer(admin, "Hồ sơ thiếu thông tin")).text
    assert await bot.services.announcements.get_broadcast(1) is None  # nothing was sent

    # The draft, sent back after /announce, is the announcement again.
    assert "nội dung" in (await answer(admin, "/announce")).text.lower()
    await admin.send(returned.text, entities=[{"type": "bold", "offset": 0, "length": 3}])
    await read_until(admin, has_button("an:aud:subscribers"))


async def test_a_registration_set_aside_by_the_application_form_says_so_in_english(
    bot, emulator
) -> None:
    ann = emulator.user(5201, first_name="Ann", language_code="en")
    await ann.send("/start reg-ws-one")
    for typed in ("Ann Tran", "-", "Hue"):
        await read_until(ann, lambda m: "?" in m.text or "e.g." in m.text)
        await ann.send(typed)
    summary = await read_until(ann, has_button("rg:ok:ws-one"))

    aside = await answer(ann, "/join")
    assert "Your registration for “Sample workshop ws-one (FICTIONAL)” was set aside" in aside.text
    assert "not registered" in aside.text and "Register" in aside.text
    assert "Step 1\n" in (await ann.next_message()).text  # the application form opens

    refused = await alert_for(emulator, await ann.press(summary, "rg:ok:ws-one"))
    assert refused.startswith("This registration is no longer open") and "/myevents" in refused
    assert await bot.services.registrations.get("ws-one", ann.id) is None


async def test_registering_for_another_meeting_sets_the_first_registration_aside(
    bot, member
) -> None:
    await member.send("/start reg-ws-one")
    await read_until(member, lambda m: "Họ và tên" in m.text)
    await member.send("/start reg-ws-one")  # the same meeting again: it just starts over
    assert WORKSHOP in (await member.next_message()).text
    assert "Họ và tên" in (await member.next_message()).text
    await member.send("/start reg-ws-two")
    aside = await member.next_message()
    assert f"Việc đăng ký tham dự “{WORKSHOP}” đã được gác lại" in aside.text
    assert "Hội thảo mẫu ws-two (FICTIONAL)" in (await member.next_message()).text


async def test_a_new_reject_sets_aside_the_reason_asked_for_another_application(
    bot, emulator, admin
) -> None:
    lan, binh = emulator.user(5301, first_name="Lan"), emulator.user(5302, first_name="Bình")
    await apply(lan)
    first = await card(admin)
    await apply(binh, {**LAN, "full_name": "Trần Văn Bình", "email": "binh@thuvien.vn"})
    second = await card(admin)
    keep = await press(admin, first, "✖️ Từ chối")
    assert "lý do từ chối đơn số 1" in keep.text

    aside = await press(admin, second, "✖️ Từ chối")
    assert "Việc từ chối đơn số 1 đã được gác lại" in aside.text and "vẫn chờ xét" in aside.text
    assert "lý do từ chối đơn số 2" in (await admin.next_message()).text
    assert "Đã từ chối đơn số 2" in (await answer(admin, "Hồ sơ thiếu thông tin")).text
    assert (await bot.services.membership.get(1)).status == Status.PENDING
    # The first prompt's "never mind", pressed afterwards, says what is true.
    assert "Đơn số 1 vẫn chờ xét" in (await press(admin, keep, "↩️ Thôi, để chờ xét")).text


async def test_announce_again_over_a_written_draft_sends_the_draft_back_first(
    bot, admin
) -> None:
    await admin.send("/announce")
    asked = await admin.next_message()
    assert (await answer(admin, "/announce")).text == asked.text  # nothing written: no notice
    await admin.send("Lịch nghỉ Tết (FICTIONAL)")
    await read_until(admin, has_button("an:aud:subscribers"))
    aside = await answer(admin, "/announce")
    assert "Thông báo Anh/Chị đang soạn đã được gác lại" in aside.text
    assert (await admin.next_message()).text == "Lịch nghỉ Tết (FICTIONAL)"
    assert (await admin.next_message()).text == asked.text


async def test_a_rating_is_kept_when_the_comment_it_asks_for_is_set_aside(
    tmp_path, emulator, admin, admin2, member
) -> None:
    config = await registered_for_ended_meeting(tmp_path, emulator, member)
    async with BotHarness(config, emulator) as bot:
        question = await member.wait_for(has_button("fb:ws-done:4"))
        await member.press(question, "fb:ws-done:4")
        await member.wait_for(lambda m: "Cảm ơn Anh/Chị (4/5)" in m.text)
        await member.send("/join")
        aside = await member.wait_for(lambda m: m.text.startswith("ℹ️"))
        assert "Đánh giá của Anh/Chị về “Hội thảo đã xong (FICTIONAL)”" in aside.text
        assert "đã được ghi nhận" in aside.text
        await member.wait_for(lambda m: "Bước 1\n" in m.text)
        registration = await bot.services.registrations.get("ws-done", member.id)
        assert registration.rating == 4 and registration.comment is None


async def test_two_prompts_opened_at_once_in_two_chats_set_one_aside_with_a_notice(
    tmp_path: Path, emulator, member, admin
) -> None:
    secretariat = office_group(emulator, admin)
    config = make_config(tmp_path, emulator, admin_chat_id=ADMIN_GROUP)
    async with BotHarness(config) as bot:
        await apply(member)
        application = await secretariat.next_message()
        # The admin presses Reject in the office's group and types /announce in the private
        # chat at the same moment: the two chats' updates are handled at once.
        await asyncio.gather(admin.press(application, "✖️ Từ chối"), admin.send("/announce"))
        await secretariat.wait_for(lambda m: "lý do từ chối" in m.text)
        await admin.wait_for(lambda m: "gửi nội dung thông báo" in m.text)
        opened = await bot.services.forms.get(admin.id)
        group_notices = [m for m in secretariat.messages if m.text.startswith("ℹ️")]
        private_notices = [m for m in admin.messages if m.text.startswith("ℹ️")]
        if opened.form == "announce":  # the reason opened first, then was set aside
            assert len(group_notices) == 1 and private_notices == []
            assert "Việc từ chối đơn số 1 đã được gác lại" in group_notices[0].text
        else:
            assert opened.form == "reject", opened
            assert "Thông báo Anh/Chị vừa bắt đầu soạn" in private_notices[0].text
            assert len(private_notices) == 1 and group_notices == []
