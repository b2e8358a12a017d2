"""Membership end to end, as applicants and admins live it, through the local Bot API emulator.

Every test talks to the real application only as Telegram users: it types, presses buttons
and reads what the bot sent. The emulator checks the HTML of every message like Telegram
does, so a name with unescaped markup would fail the send.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.membership import form
from emulator import BotApiEmulator, EmulatedUser, SentMessage
from tests.harness import ADMIN_ID, BotHarness, make_config, office_group, services_for

MEMBERS_GROUP = -1001234567890
ADMIN_GROUP = -1009876543210

LAN = {
    "full_name": "Nguyễn Thị Lan",
    "organisation": "Thư viện tỉnh Nghệ An",
    "position": "Thủ thư",
    "province": "ha noi",
    "email": "lan@thuvien.vn",
    "phone": "0912 345 678",
}


async def answer(user: EmulatedUser, text: str) -> SentMessage:
    """Type an answer and return the bot's reply."""
    await user.send(text)
    return await user.next_message()


async def press(user: EmulatedUser, message: SentMessage, button: str) -> SentMessage:
    """Press a button and return the bot's next message to this user."""
    await user.press(message, button)
    return await user.next_message()


async def fill_form(
    user: EmulatedUser, answers: dict[str, str] = LAN, kind: str = "👤 Cá nhân"
) -> SentMessage:
    """Open the form, answer everything, give consent; returns the summary."""
    first = await answer(user, "/join")
    assert "Bước 1\n" in first.text
    reply = await press(user, first, kind)
    for value in answers.values():
        reply = await answer(user, value)
    assert "Đồng ý xử lý dữ liệu cá nhân" in reply.text
    summary = await press(user, reply, "✅ Tôi đồng ý")
    assert "Anh/Chị kiểm tra lại đơn" in summary.text
    return summary


async def apply(user: EmulatedUser, answers: dict[str, str] = LAN) -> SentMessage:
    """Fill the form and send it; returns the receipt."""
    receipt = await press(user, await fill_form(user, answers), "📨 Gửi đơn")
    assert "đã nhận đơn số" in receipt.text
    return receipt


async def card(admin: EmulatedUser) -> SentMessage:
    """The next application card the admin receives."""
    message = await admin.next_message()
    assert "Đơn xin vào Hội số" in message.text, message.text
    return message


@pytest.fixture
async def group_bot(tmp_path: Path, emulator: BotApiEmulator) -> AsyncIterator[BotHarness]:
    """The bot administering a members' group."""
    emulator.group(MEMBERS_GROUP, "Hội viên Hội Thư viện Việt Nam")
    config = make_config(tmp_path, emulator, members_group_id=MEMBERS_GROUP)
    async with BotHarness(config, emulator) as harness:
        yield harness


# The applicant's form ---------------------------------------------------------------------


async def test_applicant_fixes_bad_email_and_phone_edits_a_field_and_sends(
    bot, member, admin, admin2
) -> None:
    first = await answer(member, "/join")
    assert "Đơn xin vào Hội" in first.text and "/cancel" in first.text
    assert first.button_texts == ["👤 Cá nhân", "🏛 Tổ chức"]
    reply = await press(member, first, "👤 Cá nhân")
    assert "Họ và tên đầy đủ" in reply.text and "Ví dụ" in reply.text
    for value in ("Nguyễn Thị Lan", "Thư viện tỉnh Nghệ An", "Thủ thư"):
        reply = await answer(member, value)
    assert "Tỉnh hoặc thành phố" in reply.text
    reply = await answer(member, "tp hcm")
    assert "e-mail" in reply.text

    reply = await answer(member, "lan@thuvien")
    assert "e-mail này có vẻ chưa đúng" in reply.text
    assert "Bước 6/8" in reply.text  # the same question again, nothing else lost
    reply = await answer(member, "lan@thuvien.vn")
    assert "Số điện thoại" in reply.text

    reply = await answer(member, "0612 345 678")
    assert "không phải số điện thoại Việt Nam" in reply.text and "Bước 7/8" in reply.text
    reply = await answer(member, "091 234 567")
    assert "10 số" in reply.text
    consent = await answer(member, "+84 912 345 678")
    assert "91/2025/QH15" in consent.text
    assert consent.button_texts == ["✅ Tôi đồng ý", "✖️ Tôi không đồng ý"]

    summary = await press(member, consent, "✅ Tôi đồng ý")
    for shown in (
        "Cá nhân",
        "Nguyễn Thị Lan",
        "Thư viện tỉnh Nghệ An",
        "Thủ thư",
        "TP. Hồ Chí Minh",
        "lan@thuvien.vn",
        "0912 345 678",  # stored as +84912345678, shown as people write it
    ):
        assert shown in summary.text
    assert summary.button_texts == ["📨 Gửi đơn", "✏️ Sửa", "✖️ Hủy đơn"]

    fields = await press(member, summary, "✏️ Sửa")
    question = await press(member, fields, "E-mail")
    assert "hiện tại: lan@thuvien.vn" in question.text
    summary = await answer(member, "lan.nguyen@nlv.gov.vn")
    assert "lan.nguyen@nlv.gov.vn" in summary.text and "lan@thuvien.vn" not in summary.text
    assert "Nguyễn Thị Lan" in summary.text and "0912 345 678" in summary.text

    receipt = await press(member, summary, "📨 Gửi đơn")
    assert "đã nhận đơn số 1" in receipt.text
    for secretary in (admin, admin2):
        notice = await card(secretary)
        assert "lan.nguyen@nlv.gov.vn" in notice.text and "Lan Nguyễn" in notice.text
        assert notice.button_texts == ["✅ Chấp thuận", "✖️ Từ chối"]
    # The old summary cannot be sent twice.
    assert summary.buttons == []

    status = await answer(member, "/status")
    assert "Đơn số 1" in status.text and "đang chờ xét" in status.text


async def test_deep_link_and_membership_screen_open_the_form(bot, member) -> None:
    first = await answer(member, "/start join")
    assert "Bước 1\n" in first.text
    await answer(member, "/cancel")
    await member.send("/start")
    menu = await member.next_message()
    screen = await press(member, menu, "👥 Hội viên")
    # The screen states no fact about membership itself: those answers come from the
    # knowledge base, where the Association's Office edits them.
    assert "hai loại hội viên" not in screen.text
    assert screen.button_texts == [
        "✍️ Nộp đơn", "📋 Trạng thái đơn",
        "➡️ Ai được gia nhập Hội", "➡️ Hội viên tập thể", "➡️ Hội phí",
    ]
    first = await press(member, screen, "✍️ Nộp đơn")
    # The kind may be typed as well as pressed.
    assert "Họ và tên đầy đủ" in (await answer(member, "ca nhan")).text


async def test_an_english_speaker_applies_and_is_answered_in_english(bot, emulator, admin) -> None:
    anna = emulator.user(3005, first_name="Anna", language_code="en")
    first = await answer(anna, "/join")
    assert "Step 1\n" in first.text
    reply = await press(anna, first, "👤 Individual")
    for value in ("Anna Smith", "British Council Library", "Librarian", "Hanoi"):
        reply = await answer(anna, value)
    reply = await answer(anna, "anna@")
    assert "does not look right" in reply.text
    await answer(anna, "anna@example.org")
    consent = await answer(anna, "+84 24 3825 1234")
    assert "Personal Data Protection Law" in consent.text
    summary = await press(anna, consent, "✅ I agree")
    assert "Please check your application" in summary.text and "Hà Nội" in summary.text
    receipt = await press(anna, summary, "📨 Send")
    assert "has received your application" in receipt.text
    await admin.press(await card(admin), "✅ Chấp thuận")
    assert "Congratulations" in (await anna.next_message()).text


async def test_a_photo_or_sticker_gets_a_polite_answer_and_the_same_question(bot, member) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    await member.send_sticker()
    reply = await member.next_message()
    assert "cần câu trả lời gõ bằng chữ" in reply.text and "Họ và tên đầy đủ" in reply.text
    await member.send_photo()
    reply = await member.next_message()
    assert "cần câu trả lời gõ bằng chữ" in reply.text
    reply = await answer(member, "Nguyễn Thị Lan")
    assert "thư viện hoặc cơ quan" in reply.text


async def test_html_in_a_name_is_kept_as_text_and_shown_escaped(bot, member, admin) -> None:
    name = "Lan <b>Nguyễn</b> & <i>*An*</i>"
    summary = await fill_form(member, {**LAN, "full_name": name})
    assert name in summary.text
    await press(member, summary, "📨 Gửi đơn")
    assert name in (await card(admin)).text
    # Pressing Approve puts the name in more messages: all must go through.
    done = await press(admin, admin.messages[-1], "✅ Chấp thuận")
    assert name in done.text
    assert "Chúc mừng" in (await member.next_message()).text


async def test_the_step_count_never_changes_under_the_applicants_eyes(bot, member) -> None:
    # Whether the form has 8 or 9 steps depends on the first answer: the first step shows
    # no total, and once the kind is chosen every step shows the same one.
    for kind, total in (("🏛 Tổ chức", "9"), ("👤 Cá nhân", "8")):
        first = await answer(member, "/join")
        assert "Bước 1\n" in first.text
        shown = [first.text, (await press(member, first, kind)).text]
        shown.append((await answer(member, "Nguyễn Thị Lan")).text)
        assert set(re.findall(r"Bước \d+/(\d+)", "\n".join(shown))) == {total}, shown
        await answer(member, "/cancel")


async def test_an_organisation_is_asked_for_its_representative_and_a_merged_province_noted(
    bot, member, admin
) -> None:
    first = await answer(member, "/join")
    reply = await press(member, first, "🏛 Tổ chức")
    assert "người liên hệ" in reply.text and "Bước 2/9" in reply.text
    await answer(member, "Nguyễn Thị Lan")
    reply = await answer(member, "Thư viện Trường THPT số 1 Bình Dương")
    assert "Chức vụ" in reply.text
    await answer(member, "Phó Giám đốc")
    reply = await answer(member, "Binh Duong")
    assert "Bình Dương đã hợp nhất vào TP. Hồ Chí Minh" in reply.text
    await answer(member, "thuvien@thpt1.edu.vn")
    reply = await answer(member, "0274 3822 123")
    assert "người đứng đầu" in reply.text
    consent = await answer(member, "Trần Văn Bình")
    summary = await press(member, consent, "✅ Tôi đồng ý")
    assert "Người đại diện: Trần Văn Bình" in summary.text
    assert "027 4382 2123" in summary.text
    await press(member, summary, "📨 Gửi đơn")
    notice = await card(admin)
    assert "(tổ chức)" in notice.text and "Trần Văn Bình" in notice.text


async def test_an_unclear_province_offers_choices(bot, member) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    for value in ("Nguyễn Thị Lan", "Thư viện Quảng", "Thủ thư"):
        await answer(member, value)
    reply = await answer(member, "quang nma")
    assert "tỉnh/thành phố nào" in reply.text
    choice = next(text for text in reply.button_texts if text.startswith("Quảng Nam"))
    reply = await press(member, reply, choice)
    assert "Quảng Nam đã hợp nhất vào Đà Nẵng" in reply.text and "e-mail" in reply.text


async def test_an_unknown_province_is_asked_again(bot, member) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    for value in ("Nguyễn Thị Lan", "Thư viện Pháp ngữ", "Thủ thư"):
        await answer(member, value)
    reply = await answer(member, "Paris")
    assert "chưa nhận ra tỉnh/thành phố" in reply.text and "Bước 5/8" in reply.text


async def test_without_consent_nothing_is_sent_or_kept(bot, member, admin) -> None:
    first = await answer(member, "/join")
    reply = await press(member, first, "👤 Cá nhân")
    for value in LAN.values():
        reply = await answer(member, value)
    declined = await press(member, reply, "✖️ Tôi không đồng ý")
    assert "không được gửi" in declined.text and "đã được xóa" in declined.text
    status = await answer(member, "/status")
    assert "chưa có đơn" in status.text
    await bot.idle()
    assert admin.messages == []


async def test_cancel_works_at_any_step(bot, member) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    await answer(member, "Nguyễn Thị Lan")
    cancelled = await answer(member, "/cancel")
    assert "Đã hủy đơn" in cancelled.text
    again = await answer(member, "/join")
    assert "Bước 1\n" in again.text and "đang điền dở" not in again.text


async def test_a_half_filled_form_survives_a_restart(bot, member, admin) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    await answer(member, "Nguyễn Thị Lan")
    await answer(member, "Thư viện tỉnh Nghệ An")
    await bot.restart()
    reply = await answer(member, "Thủ thư")
    assert "Tỉnh hoặc thành phố" in reply.text
    for value in ("Nghệ An", "lan@thuvien.vn"):
        reply = await answer(member, value)
    await bot.restart()
    consent = await answer(member, "0912345678")
    summary = await press(member, consent, "✅ Tôi đồng ý")
    assert "Nguyễn Thị Lan" in summary.text and "Thư viện tỉnh Nghệ An" in summary.text
    await press(member, summary, "📨 Gửi đơn")
    assert "Nguyễn Thị Lan" in (await card(admin)).text


async def test_resuming_with_join_continues_where_the_applicant_stopped(bot, member) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    await answer(member, "Nguyễn Thị Lan")
    resumed = await answer(member, "/join")
    assert "đang điền dở" in resumed.text and "thư viện hoặc cơ quan" in resumed.text


async def test_switching_language_half_way_asks_the_same_step_again_in_the_new_language(
    bot, member
) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    await answer(member, "Nguyễn Thị Lan")
    await member.send("/lang")
    saved = await press(member, await member.next_message(), "lang:en")
    assert saved.text == "Language set to English."
    assert saved.buttons == []  # no main menu over the form
    again = await member.next_message()
    assert "Your application form is still open" in again.text
    assert "Step 3/8" in again.text and "library or agency" in again.text
    assert "Step 4/8" in (await answer(member, "Thư viện tỉnh Nghệ An")).text


async def test_status_names_a_half_filled_form_and_how_to_go_on(bot, member) -> None:
    await press(member, await answer(member, "/join"), "👤 Cá nhân")
    await answer(member, "Nguyễn Thị Lan")
    status = await answer(member, "/status")
    assert "chưa có đơn" not in status.text
    assert "đang điền dở" in status.text and "/join" in status.text
    await answer(member, "/cancel")
    assert "chưa có đơn xin vào Hội nào" in (await answer(member, "/status")).text


async def test_status_after_a_revocation_says_the_membership_ended_under_its_application(
    bot, member, admin
) -> None:
    await apply(member)
    await admin.press(await card(admin), "✅ Chấp thuận")
    await admin.next_message()
    await member.next_message()
    confirm = await answer(admin, "/revoke 1")
    await press(admin, confirm, "Có, chấm dứt")
    await member.wait_for(lambda m: "chấm dứt" in m.text)
    await member.send("/status")
    status = await member.wait_for(lambda m: "Trạng thái:" in m.text)
    application = status.text[status.text.index("Đơn số 1") :]
    assert "đã được chấp thuận" not in application
    assert "Trạng thái: đã chấp thuận, tư cách hội viên đã chấm dứt" in application
    assert "được chấp thuận, số hội viên 1" in application
    assert re.search(r"• \d\d/\d\d/\d{4} \d\d:\d\d: tư cách hội viên chấm dứt", application)


async def test_one_open_application_per_person_and_withdrawing_it(bot, member, admin) -> None:
    await apply(member)
    notice = await card(admin)
    again = await answer(member, "/join")
    assert "đã có đơn số 1 đang chờ xét" in again.text
    status = await answer(member, "/status")
    confirm = await press(member, status, "↩️ Rút đơn")
    withdrawn = await press(member, confirm, "Có, rút đơn")
    assert "Đã rút đơn số 1" in withdrawn.text
    await admin.wait_for(lambda m: m.message_id == notice.message_id and "đã rút đơn" in m.text)
    assert notice.buttons == []
    reopened = await answer(member, "/join")
    assert "Bước 1\n" in reopened.text


# The admins' review -------------------------------------------------------------------------


async def test_two_admins_approving_at_once_make_one_decision(
    bot, emulator, member, admin, admin2
) -> None:
    await apply(member)
    first, second = await card(admin), await card(admin2)
    queries = await asyncio.gather(
        admin.press(first, "✅ Chấp thuận"), admin2.press(second, "✅ Chấp thuận")
    )
    answers = [await emulator.wait_for_answer(query) for query in queries]
    replies = [await admin.next_message(), await admin2.next_message()]
    winners = [r for r in replies if "Đã chấp thuận đơn số 1" in r.text]
    losers = [r for r in replies if "đã được" in r.text and "xử lý" in r.text]
    assert len(winners) == 1 and len(losers) == 1
    winner_name = "Admin" if winners[0].chat_id == ADMIN_ID else "Admin Hai"
    assert f"đã được {winner_name} xử lý" in losers[0].text
    assert sum(bool(a.get("show_alert")) for a in answers) == 1  # the loser's alert
    congratulations = await member.next_message()
    assert "Chúc mừng" in congratulations.text
    assert "Số hội viên của Anh/Chị: 1" in congratulations.text
    await bot.idle()
    assert [m.text for m in member.messages].count(congratulations.text) == 1
    # Both admins' copies now show the outcome, without buttons.
    for copy in (first, second):
        assert "đã chấp thuận lúc" in copy.text and copy.buttons == []
    status = await answer(member, "/status")
    assert "hội viên số 1" in status.text
    assert "Hội viên đang hoạt động: 1" in (await answer(admin, "/members")).text


async def test_rejection_asks_a_reason_which_survives_a_restart(bot, member, admin, admin2) -> None:
    await apply(member)
    notice, other = await card(admin), await card(admin2)
    prompt = await press(admin, notice, "✖️ Từ chối")
    assert "lý do từ chối" in prompt.text
    await bot.restart()
    bad = await answer(admin, "x")
    assert "Lý do cần từ 3 đến 500 ký tự" in bad.text
    await admin.next_message()  # the question again
    done = await answer(admin, "Hồ sơ chưa ghi rõ nơi công tác <hiện tại>")
    assert "Đã từ chối đơn số 1" in done.text
    told = await member.next_message()
    assert "chưa được chấp thuận" in told.text
    assert "Hồ sơ chưa ghi rõ nơi công tác <hiện tại>" in told.text
    # The second admin's copy says who decided, and why; its buttons are gone.
    assert "Admin đã từ chối lúc" in other.text and "<hiện tại>" in other.text
    assert other.buttons == []
    status = await answer(member, "/status")
    assert "không được chấp thuận" in status.text and "nơi công tác <hiện tại>" in status.text


async def test_keep_pending_instead_of_typing_a_reason(bot, member, admin) -> None:
    await apply(member)
    prompt = await press(admin, await card(admin), "✖️ Từ chối")
    kept = await press(admin, prompt, "↩️ Thôi, để chờ xét")
    assert "vẫn chờ xét" in kept.text
    pending = await answer(admin, "/pending")
    assert "1 đơn đang chờ xét" in pending.text and "Nguyễn Thị Lan" in pending.text
    opened = await press(admin, pending, "#1 Nguyễn Thị Lan")
    assert "Đơn xin vào Hội số 1" in opened.text
    assert opened.button_texts == ["✅ Chấp thuận", "✖️ Từ chối"]


async def test_never_mind_on_an_old_reason_prompt_does_not_say_a_decided_one_is_pending(
    bot, member, admin, admin2
) -> None:
    await apply(member)
    prompt = await press(admin, await card(admin), "✖️ Từ chối")
    await admin.send("Hồ sơ chưa đủ")
    assert "Đã từ chối đơn số 1" in (await admin.next_message()).text
    # The prompt kept its "Never mind" button; pressed afterwards, it must not say "pending".
    query = await admin.press(prompt, "↩️ Thôi, để chờ xét")
    await admin.next_message()
    await bot.idle()
    assert not any("vẫn chờ xét" in m.text for m in admin.messages)
    assert "đã được Admin xử lý" in (await bot.emulator.wait_for_answer(query))["text"]
    assert (await bot.services.membership.get(1)).status == "rejected"


async def test_non_admin_in_the_admin_group_cannot_decide(
    tmp_path: Path, emulator: BotApiEmulator, member, admin
) -> None:
    secretariat = emulator.group(ADMIN_GROUP, "Văn phòng Hội")
    volunteer = emulator.user(3003, first_name="Tình nguyện viên")
    for person in (admin, volunteer):
        secretariat.add_member(person)
    config = make_config(tmp_path, emulator, admin_chat_id=ADMIN_GROUP)
    async with BotHarness(config):
        await apply(member)
        notice = await secretariat.next_message()
        query = await volunteer.press(notice, "✅ Chấp thuận")
        refused = await emulator.wait_for_answer(query)
        assert "Chỉ Văn phòng Hội" in refused["text"] and refused["show_alert"]
        assert notice.button_texts == ["✅ Chấp thuận", "✖️ Từ chối"]
        # A volunteer's chatter in the group is not taken as a reason.
        await admin.press(notice, "✖️ Từ chối")
        prompt = await secretariat.next_message()
        assert "lý do từ chối" in prompt.text
        await volunteer.send("tôi nghĩ nên duyệt", chat=secretariat)
        await admin.send("Chưa đủ điều kiện theo Điều lệ", chat=secretariat)
        done = await secretariat.next_message()
        assert "Đã từ chối đơn số 1" in done.text
        told = await member.next_message()
        assert "Chưa đủ điều kiện theo Điều lệ" in told.text
        assert "tôi nghĩ nên duyệt" not in told.text


async def test_non_admin_commands_are_refused_politely(bot, member) -> None:
    for command in ("/pending", "/members", "/member lan", "/revoke 1"):
        assert "chỉ dành cho Văn phòng Hội" in (await answer(member, command)).text


async def test_a_private_message_is_no_reason_for_a_rejection_begun_in_the_admin_group(
    tmp_path: Path, emulator: BotApiEmulator, member, admin
) -> None:
    secretariat = office_group(emulator, admin)
    config = make_config(tmp_path, emulator, admin_chat_id=ADMIN_GROUP)
    async with BotHarness(config) as bot:
        await apply(member)
        await admin.press(await secretariat.next_message(), "✖️ Từ chối")
        assert "lý do từ chối" in (await secretariat.next_message()).text
        # Meanwhile, in the private chat, the admin asks the bot something of their own.
        await admin.send("Hội phí năm nay bao nhiêu?")
        assert "Hội phí" in (await admin.next_message()).text
        assert (await bot.services.membership.get(1)).status == "pending"
        await admin.send("Chưa đủ điều kiện theo Điều lệ", chat=secretariat)
        told = await member.wait_for(lambda m: "Lý do" in m.text)
        assert "Chưa đủ điều kiện theo Điều lệ" in told.text
        assert "Hội phí năm nay" not in told.text


async def test_an_applicant_who_blocked_the_bot_keeps_the_decision(bot, member, admin) -> None:
    await apply(member)
    notice = await card(admin)
    await member.block_bot()
    await admin.press(notice, "✅ Chấp thuận")
    warning = await admin.wait_for(lambda m: "Không gửi được tin" in m.text)
    assert "lan@thuvien.vn" in warning.text
    await member.unblock_bot()
    assert "hội viên số 1" in (await answer(member, "/status")).text


async def test_a_card_cut_off_by_a_crash_is_announced_and_the_application_waits_in_pending(
    bot, member, admin, admin2
) -> None:
    await admin2.send("/lang")  # the second admin reads the bot in English
    await admin2.press(await admin2.next_message(), "lang:en")
    await admin2.next_message()
    await bot.stop()
    # What a crash while the card was being sent leaves: the application written and its
    # card's outbox entry started ("running"), never finished (as tests/test_outbox.py does).
    svc = services_for(bot.config)
    await svc.db.open()
    try:
        data = form.give_consent(
            {"kind": "individual", **LAN, "province": "Hà Nội", "phone": "+84912345678"},
            datetime.now(UTC),
            "vi",
        )
        submitted = await svc.decisions.submit(member.id, member.id, data, "vi")
        [entry] = await svc.outbox.repository.pending()
        assert await svc.outbox.repository.claim(entry.id)
    finally:
        await svc.db.close()

    await bot.start()
    notice = await admin.wait_for(lambda m: "Có đơn mới số" in m.text)
    assert f"số {submitted.id} tới trong lúc bot dừng đột ngột" in notice.text
    notice_en = await admin2.wait_for(lambda m: "New application" in m.text)
    assert f"New application {submitted.id} arrived while the bot stopped" in notice_en.text
    for each in (notice, notice_en):
        assert "/pending" in each.text
        assert "Nguyễn Thị Lan" not in each.text  # the notice names no one
    await bot.idle()
    assert len([m for m in admin.messages if "Có đơn mới số" in m.text]) == 1
    assert len([m for m in admin2.messages if "New application" in m.text]) == 1
    for each in (admin, admin2):  # the card itself is not sent again
        assert not [m for m in each.messages if "Đơn xin vào Hội số" in m.text]
        assert not [m for m in each.messages if "Membership application" in m.text]
    await admin.send("/pending")
    listing = await admin.wait_for(lambda m: "đang chờ xét" in m.text)
    assert f"Số {submitted.id}: Nguyễn Thị Lan" in listing.text


# The members' group ---------------------------------------------------------------------------


async def test_join_request_waits_for_the_application_and_is_approved_with_it(
    group_bot, emulator, member, admin
) -> None:
    group = emulator.group(MEMBERS_GROUP)
    await member.request_join(group)
    invite = await member.next_message()
    assert "Hội viên Hội Thư viện Việt Nam" in invite.text
    assert group.join_request_state(member) == "pending"
    first = await press(member, invite, "✍️ Nộp đơn")
    assert "Bước 1\n" in first.text
    reply = await press(member, first, "👤 Cá nhân")
    for value in LAN.values():
        reply = await answer(member, value)
    summary = await press(member, reply, "✅ Tôi đồng ý")
    await press(member, summary, "📨 Gửi đơn")
    await group_bot.restart()  # the pending request is kept in SQLite
    await admin.press(await card(admin), "✅ Chấp thuận")
    told = await member.next_message()
    assert "Yêu cầu vào nhóm hội viên của Anh/Chị cũng đã được chấp thuận" in told.text
    assert group.join_request_state(member) == "approved"
    assert group.member_status(member) == "member"


async def test_join_request_is_declined_when_the_application_is_rejected(
    group_bot, emulator, member, admin
) -> None:
    group = emulator.group(MEMBERS_GROUP)
    await member.request_join(group)
    await member.next_message()
    await apply(member)
    await press(admin, await card(admin), "✖️ Từ chối")
    await answer(admin, "Không phải người làm công tác thư viện")
    await member.next_message()
    assert group.join_request_state(member) == "declined"


async def test_an_active_member_is_let_in_at_once_and_other_chats_are_ignored(
    group_bot, emulator, member, admin
) -> None:
    await apply(member)
    await admin.press(await card(admin), "✅ Chấp thuận")
    welcome = await member.next_message()
    # No request was pending: a one-person invite link comes with the welcome.
    [link] = emulator.group(MEMBERS_GROUP).invite_links
    assert link["member_limit"] == 1 and link["invite_link"] in welcome.text
    group = emulator.group(MEMBERS_GROUP)
    await member.request_join(group)
    await emulator.wait_until(lambda: group.join_request_state(member) == "approved", 5.0)
    other = emulator.group(-1005555, "Nhóm khác")
    stranger = emulator.user(3004, first_name="Khách")
    await stranger.request_join(other)
    await group_bot.idle()
    assert other.join_request_state(stranger) == "pending"
    assert stranger.messages == []


# Admin tools ----------------------------------------------------------------------------------


async def test_members_statistics_csv_search_and_revoke(bot, emulator, admin) -> None:
    people = [
        (3101, "Nguyễn Thị Lan", "Hà Nội"),
        (3102, "Đỗ Văn Bình", "hue"),
        (3103, '=HYPERLINK("x") Trần', "Ha Noi"),
    ]
    for user_id, name, province in people:
        applicant = emulator.user(user_id, first_name=name.split()[-1])
        await apply(applicant, {**LAN, "full_name": name, "province": province})
        await admin.press(await card(admin), "✅ Chấp thuận")
        await admin.next_message()
    stats = await answer(admin, "/members")
    assert "Hội viên đang hoạt động: 3" in stats.text
    assert "Hà Nội: 2" in stats.text and "Huế: 1" in stats.text
    export = await admin.next_message()
    assert export.document is not None and export.document.filename.endswith(".csv")
    content = export.document.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "Đỗ Văn Bình" in text and "0912 345 678" in text
    assert "'=HYPERLINK" in text  # never a formula in Excel

    found = await answer(admin, "/member do van binh")
    assert "Hội viên số 2" in found.text and "Đỗ Văn Bình" in found.text
    assert "Không tìm thấy" in (await answer(admin, "/member Paris")).text
    # Digits that are no number SQLite can hold (a superscript, 23 digits) find nobody.
    assert "Không tìm thấy" in (await answer(admin, "/member ²")).text
    assert "Không tìm thấy" in (await answer(admin, "/member 99999999999999999999999")).text

    confirm = await press(admin, found, "Chấm dứt số 2")
    assert "Chấm dứt tư cách hội viên số 2" in confirm.text
    done = await press(admin, confirm, "Có, chấm dứt")
    assert "Đã chấm dứt tư cách hội viên số 2" in done.text
    binh = emulator.user(3102)
    assert "đã chấm dứt" in (await binh.wait_for(lambda m: "chấm dứt" in m.text)).text
    again = await answer(admin, "/revoke 2")
    assert "Không có hội viên đang hoạt động nào mang số 2" in again.text
    confirm = await answer(admin, "/revoke 1")
    kept = await press(admin, confirm, "Không")
    assert "Đã giữ nguyên hội viên số 1" in kept.text
    assert "Hội viên đang hoạt động: 2" in (await answer(admin, "/members")).text


# Personal data rights -------------------------------------------------------------------------


async def test_mydata_shows_everything_and_forget_erases_it(bot, member, admin) -> None:
    await apply(member)
    notice = await card(admin)
    await admin.press(notice, "✅ Chấp thuận")
    await member.next_message()

    summary = await answer(member, "/mydata")
    assert "Hội viên số 1" in summary.text and "Đơn xin vào Hội: 1" in summary.text
    assert "ngôn ngữ Tiếng Việt" in summary.text  # a language's name, not its code
    export = await member.next_message()
    data = json.loads(export.document.content)
    assert data["applications"][0]["email"] == "lan@thuvien.vn"
    assert data["applications"][0]["consent_version"]
    assert data["members"][0]["number"] == 1
    assert data["users"][0]["first_name"] == "Lan"

    confirm = await answer(member, "/forget")
    assert "hội viên số 1" in confirm.text and "Không thể hoàn tác" in confirm.text
    done = await press(member, confirm, "🗑 Có, xóa hết")
    assert "Đã xóa dữ liệu cá nhân" in done.text
    await admin.wait_for(lambda m: "yêu cầu xóa dữ liệu" in m.text)
    await admin.wait_for(lambda m: m.message_id == notice.message_id and "đã được xóa" in m.text)

    summary = await answer(member, "/mydata")
    assert "Đơn xin vào Hội" not in summary.text and "Hội viên số" not in summary.text
    data = json.loads((await member.next_message()).document.content)
    assert data["applications"] == [] and data["members"] == []
    await admin.send("/members")
    # No member is active any more: said in words, with where new members come from.
    empty = await admin.wait_for(lambda m: "Chưa có hội viên nào đang hoạt động" in m.text)
    assert "/pending" in empty.text and "Theo tỉnh" not in empty.text
    export = await admin.wait_for(lambda m: m.document is not None)
    csv_text = export.document.content.decode("utf-8-sig")
    assert "Nguyễn Thị Lan" not in csv_text and "lan@thuvien.vn" not in csv_text
    assert "(dữ liệu cá nhân đã xóa theo yêu cầu)" in csv_text
    await admin.send("/member 1")
    erased = await admin.wait_for(lambda m: m.text.startswith("Hội viên số 1:"))
    assert "chỉ còn số và ngày vào Hội" in erased.text and "- ·" not in erased.text


async def test_forget_can_be_called_off(bot, member) -> None:
    await apply(member)
    kept = await press(member, await answer(member, "/forget"), "Không, giữ lại")
    assert "không xóa gì" in kept.text
    assert "Đơn số 1" in (await answer(member, "/status")).text
