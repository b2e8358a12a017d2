"""Members ask questions in their own words; what the knowledge base cannot answer goes to the
secretariat, whose Telegram reply comes back to the member."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator import SentMessage
from handlers.questions.answering import MAX_OPEN_QUESTIONS_PER_DAY
from tests.harness import ADMIN_ID, BotHarness, make_config, office_group
from tests.kb_fixtures import copy_knowledge, entry_yaml, write_knowledge_file
from tests.test_membership_e2e import apply, card, press

SEND = "✉️ Gửi câu hỏi cho Văn phòng Hội"
WEATHER = "Thời tiết Hà Nội hôm nay thế nào?"


def quotes(reply: SentMessage, question: dict) -> bool:
    """Whether the bot's message is a Telegram reply to the member's message."""
    return reply.raw.get("reply_to_message", {}).get("message_id") == question["message_id"]


async def send_to_secretariat(member, admin, question: str) -> tuple[SentMessage, SentMessage]:
    """The member asks something the bot cannot answer and sends it on; the admin's notice."""
    await member.send(question)
    unknown = await member.next_message()
    await member.press(unknown, SEND)
    confirmation = await member.next_message()
    assert "Đã gửi câu hỏi của Anh/Chị tới Văn phòng Hội" in confirmation.text
    return confirmation, await admin.next_message()


# -- answers from the knowledge base ---------------------------------------------------------


async def test_member_asks_with_diacritics_and_gets_the_fee_answer_with_its_source(
    bot, member
) -> None:
    asked = await member.send("Hội phí bao nhiêu?")
    answer = await member.next_message()
    assert answer.text.startswith("Hội phí\n")
    assert "hội phí hằng năm" in answer.text
    assert "Nguồn: Điều lệ Hội (tóm tắt)" in answer.text
    assert quotes(answer, asked)
    assert SEND in answer.button_texts
    assert "➡️ Cách gia nhập Hội" in answer.button_texts  # "see also"


async def test_member_asks_without_diacritics_and_gets_the_same_entry(bot, member) -> None:
    await member.send("hoi vien dong phi o dau")
    answer = await member.next_message()
    assert answer.text.startswith("Hội phí\n")
    assert "Nguồn:" in answer.text


async def test_a_typo_still_finds_the_president(bot, member) -> None:
    await member.send("chủ tịcg hội là ai")
    answer = await member.next_message()
    assert "Nguyễn Hữu Giới" in answer.text
    assert "Nguồn:" in answer.text


async def test_a_question_in_english_is_answered_in_english(bot, member) -> None:
    # Lan's Telegram is in Vietnamese and she never chose a language: her question decides.
    await member.send("How much is the membership fee?")
    answer = await member.next_message()
    assert answer.text.startswith("Membership fee\n")
    assert "Source: Charter (summary)" in answer.text
    assert "✉️ Ask the Association's Office" in answer.button_texts


async def test_a_language_chosen_with_lang_wins_over_the_question_language(bot, member) -> None:
    await member.send("/lang")
    await member.press(await member.next_message(), "lang:vi")
    await member.next_message()
    await member.send("How much is the membership fee?")
    answer = await member.next_message()
    assert answer.text.startswith("Hội phí\n")
    assert "Nguồn:" in answer.text


async def test_a_see_also_button_opens_the_related_entry(bot, member) -> None:
    asked = await member.send("Hội phí bao nhiêu?")
    answer = await member.next_message()
    await member.press(answer, "➡️ Cách gia nhập Hội")
    related = await member.next_message()
    assert related.text.startswith("Cách gia nhập Hội\n")
    assert "/join" in related.text
    assert quotes(related, asked)


@pytest.fixture
def clubs_knowledge(tmp_path: Path) -> Path:
    """Two FICTIONAL reading clubs asked about in the same words: the bot cannot choose."""
    folder = copy_knowledge(tmp_path)
    write_knowledge_file(
        folder,
        "clubs.yaml",
        "entries:\n"
        + entry_yaml(
            "club-hanoi",
            "Câu lạc bộ đọc sách Hà Nội (FICTIONAL)",
            "Câu lạc bộ đọc sách Hà Nội sinh hoạt khi nào?",
            "Chiều thứ Bảy hằng tuần (FICTIONAL).",
        )
        + entry_yaml(
            "club-hue",
            "Câu lạc bộ đọc sách Huế (FICTIONAL)",
            "Câu lạc bộ đọc sách Huế sinh hoạt khi nào?",
            "Sáng Chủ nhật đầu tháng (FICTIONAL).",
        ),
    )
    return folder


async def test_two_questions_in_one_get_the_first_answer_and_a_button_for_the_second(
    bot, member
) -> None:
    asked = await member.send("hội thành lập năm nào và chủ tịch đầu tiên là ai")
    answer = await member.next_message()
    assert quotes(answer, asked)
    assert "Nguồn:" in answer.text
    second = [text for text in answer.button_texts if text.startswith("🔎 ")]
    assert len(second) == 1
    await member.press(answer, second[0])
    other = await member.next_message()
    assert "Nguồn:" in other.text and other.text != answer.text


async def test_the_second_answer_is_offered_once(bot, member) -> None:
    """The members count's "see also" lists the branches; asked both ("... với bao nhiêu
    chi hội"), the branches are offered once, as the rest of the question."""
    await member.send("hoi minh co tong cong bao nhieu hoi vien voi bao nhieu chi hoi vay anh")
    answer = await member.next_message()
    titles = [text.split(" ", 1)[1] for text in answer.button_texts]
    second = [text for text in answer.button_texts if text.startswith("🔎 ")]
    assert second == ["🔎 Các chi hội và liên chi hội"]
    assert titles.count("Các chi hội và liên chi hội") == 1


async def test_an_uncertain_question_offers_did_you_mean_buttons(
    tmp_path, emulator, admin, admin2, member, clubs_knowledge
) -> None:
    config = make_config(tmp_path, emulator, knowledge_dir=str(clubs_knowledge))
    async with BotHarness(config):
        asked = await member.send("clb doc sach sinh hoat luc nao")
        unsure = await member.next_message()
        assert "Có phải Anh/Chị muốn hỏi" in unsure.text
        assert unsure.button_texts == [
            "🔎 Câu lạc bộ đọc sách Hà Nội (FICTIONAL)",
            "🔎 Câu lạc bộ đọc sách Huế (FICTIONAL)",
            SEND,
        ]
        assert unsure.button("🔎 Câu lạc bộ đọc sách Huế (FICTIONAL)").callback_data == (
            "q:e:club-hue"
        )
        await member.press(unsure, "🔎 Câu lạc bộ đọc sách Huế (FICTIONAL)")
        chosen = await member.next_message()
        assert "Sáng Chủ nhật đầu tháng" in chosen.text
        assert "Nguồn: Nguồn thử nghiệm (FICTIONAL)" in chosen.text
        assert quotes(chosen, asked)


async def test_an_article_asked_before_the_charter_is_imported_says_where_the_text_is(
    bot, member
) -> None:
    await member.send("dieu 5")
    reply = await member.next_message()
    assert "chưa có toàn văn Điều lệ" in reply.text
    assert "Điều 5" in reply.text
    assert "vla.org.vn" in reply.text
    assert "📜 Xem Điều lệ" in reply.button_texts


async def test_questions_in_a_group_are_ignored(bot, emulator, member) -> None:
    group = emulator.group(-100777, "Hội viên")
    group.add_member(member)
    await member.send("Hội phí bao nhiêu?", chat=group)
    await bot.idle()
    assert group.messages == []


@pytest.fixture
def long_knowledge(tmp_path: Path) -> Path:
    """A FICTIONAL entry whose answer is three long paragraphs (about 7,500 characters)."""
    folder = copy_knowledge(tmp_path)
    paragraph = "Đoạn văn thử nghiệm rất dài về lịch sử thư viện mẫu (FICTIONAL). " * 40
    write_knowledge_file(
        folder,
        "long.yaml",
        "entries:\n"
        + entry_yaml(
            "long-history",
            "Lịch sử thư viện mẫu (FICTIONAL)",
            "Kể lịch sử thư viện mẫu",
            "\\n\\n".join(f"{n}. {paragraph}" for n in (1, 2, 3)),
        ),
    )
    return folder


async def test_a_long_answer_is_split_at_paragraphs_into_several_messages(
    tmp_path, emulator, admin, admin2, member, long_knowledge
) -> None:
    config = make_config(tmp_path, emulator, knowledge_dir=str(long_knowledge))
    async with BotHarness(config):
        await member.send("kể lịch sử thư viện mẫu")
        first = await member.next_message()
        second = await member.next_message()
        assert first.text.startswith("Lịch sử thư viện mẫu (FICTIONAL)\n\n1. ")
        assert all(len(m.text) <= 4096 for m in (first, second))
        assert first.buttons == []
        parts = [first.text, second.text]
        if "Nguồn:" not in second.text:  # three parts, if the paragraphs fill the messages
            parts.append((await member.next_message()).text)
        whole = "\n\n".join(parts)
        assert all(f"{n}. Đoạn văn" in whole for n in (1, 2, 3))
        last = member.last_message
        assert "Nguồn: Nguồn thử nghiệm (FICTIONAL)" in last.text
        assert SEND in last.button_texts


# -- questions to the secretariat --------------------------------------------------------------


async def test_an_unanswerable_question_reaches_the_admins_and_their_reply_the_member(
    bot, member, admin, admin2
) -> None:
    asked = await member.send(WEATHER)
    unknown = await member.next_message()
    assert "chưa có câu trả lời" in unknown.text
    assert unknown.button_texts == [SEND]
    assert quotes(unknown, asked)

    await member.press(unknown, SEND)
    assert "Đã gửi câu hỏi của Anh/Chị tới Văn phòng Hội" in (await member.next_message()).text
    await member.wait_for(lambda m: m is unknown and SEND not in m.button_texts)

    notice = await admin.next_message()
    assert "Câu hỏi #1" in notice.text
    assert "Lan Nguyễn" in notice.text and WEATHER in notice.text
    assert WEATHER in (await admin2.next_message()).text  # no admin chat: each admin privately

    await admin.send("/unanswered")
    listing = await admin.next_message()
    assert "Câu hỏi chờ trả lời: 1" in listing.text
    assert "#1 · 0 phút trước · Lan Nguyễn" in listing.text and WEATHER in listing.text

    await admin.send("Trời nắng đẹp, 30 độ. Chúc bạn một ngày vui!", reply_to=notice)
    reply = await member.next_message()
    assert reply.text.startswith("💬 Văn phòng Hội trả lời câu hỏi của Anh/Chị: " + WEATHER)
    assert "Trời nắng đẹp, 30 độ." in reply.text
    assert quotes(reply, asked)
    confirmation = await admin.next_message()
    assert "Đã gửi câu trả lời cho Lan Nguyễn (câu hỏi #1)" in confirmation.text

    await admin.send("/unanswered")
    assert "Không có câu hỏi nào đang chờ trả lời" in (await admin.next_message()).text


async def test_the_admin_reply_is_not_taken_for_a_question_of_the_admin(bot, member, admin) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    await admin.send("hội phí bao nhiêu", reply_to=notice)  # looks like a question: it is not
    await member.next_message()
    confirmation = await admin.next_message()
    assert "Đã gửi câu trả lời" in confirmation.text
    await admin.send("/privacy")
    assert "Dữ liệu cá nhân" in (await admin.next_message()).text  # nothing else came before


async def test_a_reply_to_the_unanswered_list_says_how_to_answer_and_is_not_searched(
    bot, member, admin
) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    await admin.send("/unanswered")
    listing = await admin.next_message()
    assert "Câu hỏi chờ trả lời: 1" in listing.text
    before = member.delivered
    for _ in range(2):  # the list is recognised again after a restart
        await admin.send("Hội phí bao nhiêu?", reply_to=listing)
        told = await admin.next_message()
        assert "danh sách" in told.text and "chưa được gửi" in told.text
        assert "“Trả lời” trên tin nhắn báo câu hỏi" in told.text and "🎓" in told.text
        assert "Nguồn:" not in told.text and "Hội phí" not in told.text
        await admin.send("/privacy")
        assert "Dữ liệu cá nhân" in (await admin.next_message()).text  # nothing else came before
        await bot.restart()
    assert member.delivered == before
    await admin.send("Trời nắng.", reply_to=notice)  # the notice itself still answers
    assert "Trời nắng." in (await member.next_message()).text


async def test_a_reply_to_the_first_part_of_a_long_unanswered_list_is_not_searched(
    bot, emulator, admin
) -> None:
    filler = " ".join(["trời mưa to, đường ngập, gió mạnh, mất điện cả buổi chiều"] * 5)
    for user_id in (2001, 2002, 2003):
        asker = emulator.user(user_id, first_name=f"Người hỏi {user_id}", language_code="vi")
        for n in range(5):
            await send_to_secretariat(asker, admin, f"Thời tiết ngày {n} ra sao? {filler}")
    await admin.send("/unanswered")
    first = await admin.next_message()
    last = await admin.next_message()
    assert "Câu hỏi chờ trả lời: 15" in first.text and first.buttons == []
    assert "🎓" in " ".join(last.button_texts)  # the buttons are under the last part only
    await admin.send("Hội phí bao nhiêu?", reply_to=first)
    told = await admin.next_message()
    assert "danh sách" in told.text and "Nguồn:" not in told.text


async def test_in_the_admin_chat_any_admin_replies_there(
    tmp_path, emulator, admin, admin2, member
) -> None:
    secretariat = emulator.group(-100500, "Văn phòng Hội")
    secretariat.add_member(admin)
    config = make_config(tmp_path, emulator, admin_chat_id=-100500)
    async with BotHarness(config):
        await member.send(WEATHER)
        await member.press(await member.next_message(), SEND)
        await member.next_message()
        notice = await secretariat.next_message()
        assert WEATHER in notice.text
        assert admin.messages == []  # the chat, not each admin
        await admin.send("Trời mưa (trả lời từ nhóm).", chat=secretariat, reply_to=notice)
        assert "Trời mưa (trả lời từ nhóm)." in (await member.next_message()).text
        assert "Đã gửi câu trả lời" in (await secretariat.next_message()).text


async def test_the_question_mapping_survives_a_restart(bot, member, admin) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    await bot.restart()
    await admin.send("Trả lời sau khi bot khởi động lại.", reply_to=notice)
    assert "Trả lời sau khi bot khởi động lại." in (await member.next_message()).text


async def test_html_in_a_question_is_forwarded_escaped(bot, member, admin) -> None:
    question = "<b>& là gì?"
    _, notice = await send_to_secretariat(member, admin, question)
    assert question in notice.text  # shown as typed, not as markup
    assert "&lt;b&gt;&amp; là gì?" in notice.html
    await admin.send("Đó là thẻ <b> & dấu và.", reply_to=notice)
    reply = await member.next_message()
    assert "Đó là thẻ <b> & dấu và." in reply.text


async def test_a_reply_full_of_ampersands_is_measured_as_telegram_counts_it(
    bot, member, admin
) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    # 3,500 characters as Telegram counts them, 17,500 once written as "&amp;" in HTML.
    await admin.send("&" * 3500, reply_to=notice)
    reply = await member.next_message()
    assert reply.text.endswith("&" * 3500)
    assert "Đã gửi câu trả lời" in (await admin.next_message()).text
    assert len(member.messages) == 3  # "no answer yet", "sent on", and the one reply


async def test_a_second_reply_still_goes_through_and_the_admin_is_told_it_was_answered(
    bot, member, admin, admin2
) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    notice2 = await admin2.next_message()
    await admin.send("Trả lời thứ nhất.", reply_to=notice)
    await member.next_message()
    await admin.next_message()
    await admin2.send("Trả lời thứ hai.", reply_to=notice2)
    assert "Trả lời thứ hai." in (await member.next_message()).text
    told = await admin2.next_message()
    assert "đã được Admin trả lời" in told.text
    rows = await bot.services.db.fetchall("SELECT admin_id FROM question_replies ORDER BY id")
    assert [row[0] for row in rows] == [ADMIN_ID, admin2.id]


async def test_a_member_who_blocked_the_bot_cannot_be_answered_and_the_admin_is_told(
    bot, member, admin
) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    await member.block_bot()
    await admin.send("Câu trả lời không tới được.", reply_to=notice)
    told = await admin.next_message()
    assert "Không gửi được câu trả lời cho Lan Nguyễn" in told.text
    assert (await bot.services.users.get(member.id)).reachable is False


async def test_pressing_send_twice_sends_the_question_once(bot, emulator, member, admin) -> None:
    await member.send(WEATHER)
    unknown = await member.next_message()
    await member.press(unknown, SEND)
    second = await member.press(unknown, SEND)  # a quick double tap, before the first is done
    assert "Đã gửi câu hỏi" in (await member.next_message()).text
    answer = await emulator.wait_for_answer(second)
    assert "đã được gửi tới Văn phòng Hội rồi" in answer["text"]
    await admin.next_message()
    assert len(admin.messages) == 1


async def test_too_many_open_questions_in_a_day_are_refused_politely(bot, member, admin) -> None:
    for n in range(MAX_OPEN_QUESTIONS_PER_DAY):
        await send_to_secretariat(member, admin, f"Câu hỏi khó số {n} về thời tiết?")
    await member.send("Thêm một câu hỏi về thời tiết?")
    await member.press(await member.next_message(), SEND)
    refusal = await member.next_message()
    assert f"Anh/Chị đang có {MAX_OPEN_QUESTIONS_PER_DAY} câu hỏi" in refusal.text
    assert len(admin.messages) == MAX_OPEN_QUESTIONS_PER_DAY


async def test_the_ask_menu_item_says_to_just_type(bot, member) -> None:
    await member.send("/start")
    await member.press(await member.next_message(), "❓ Đặt câu hỏi")
    assert "Anh/Chị cứ gõ câu hỏi" in (await member.next_message()).text


async def test_unanswered_is_for_admins_only(bot, member) -> None:
    await member.send("/unanswered")
    assert "chỉ dành cho Văn phòng Hội" in (await member.next_message()).text


async def test_a_members_questions_are_exported_and_erased_with_the_admin_copies(
    bot, member, admin, admin2
) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    await admin.send("Trời nắng.", reply_to=notice)
    await member.next_message()
    await admin.next_message()  # the confirmation: the reply is recorded
    exported = await bot.services.questions.export_for_user(member.id)
    assert [(q["question"], q["status"]) for q in exported] == [(WEATHER, "answered")]
    assert exported[0]["replies"][0]["text"] == "Trời nắng."

    assert await bot.services.privacy.forget_questions(member.id) == 1
    assert notice.deleted
    assert await bot.services.questions.export_for_user(member.id) == []
    before = member.delivered
    await admin.send("Trả lời khi câu hỏi đã bị xóa.", reply_to=notice.raw)
    await admin.send("/unanswered")
    assert "Không có câu hỏi nào" in (await admin.wait_for(lambda m: "Không có" in m.text)).text
    assert member.delivered == before  # nothing left to answer, nobody to send it to


async def test_mydata_includes_questions_and_replies_and_forget_erases_them(
    bot, emulator, member, admin
) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    await admin.send("Văn phòng Hội chỉ trả lời về Hội ạ.", reply_to=notice.raw)
    await member.wait_for(lambda m: "Văn phòng Hội chỉ trả lời" in m.text)

    await member.send("/mydata")
    export = await member.wait_for(lambda m: m.document is not None)
    exported = json.loads(export.document.content)["questions"]
    assert exported[0]["question"] == WEATHER
    assert "Văn phòng Hội chỉ trả lời về Hội ạ." in json.dumps(exported, ensure_ascii=False)

    await member.send("/forget")
    confirm = await member.wait_for(lambda m: "Có, xóa hết" in " ".join(m.button_texts))
    await member.press(confirm, "🗑 Có, xóa hết")
    await member.wait_for(lambda m: "Đã xóa dữ liệu cá nhân" in m.text)
    # The admins' copy of the question is deleted with it.
    await emulator.wait_until(lambda: notice.deleted)
    await member.send("/mydata")
    after = await member.wait_for(lambda m: m.document is not None and m is not export)
    assert json.loads(after.document.content)["questions"] == []


async def test_asking_from_the_menu_half_way_through_the_form_answers_and_keeps_the_form(
    bot, member
) -> None:
    await member.send("/join")
    await member.press(await member.next_message(), "👤 Cá nhân")
    assert "Bước 2/8" in (await member.next_message()).text
    await member.send("Nguyễn Thị Lan")
    assert "Bước 3/8" in (await member.next_message()).text
    await member.send("/start")
    await member.press(await member.next_message(), "❓ Đặt câu hỏi")
    prompt = await member.next_message()
    assert "Anh/Chị cứ gõ câu hỏi" in prompt.text
    assert "đang điền dở" in prompt.text  # the open form is named, not hidden
    # A question without a question mark: the form alone would take it for a library's name.
    await member.send("hội phí hằng năm")
    answer = await member.next_message()
    assert "Hội phí" in answer.text and "Nguồn:" in answer.text
    back = await member.next_message()
    assert "Bước 3/8" in back.text  # the form asks its question again
    await member.send("Thư viện tỉnh Nghệ An")
    assert "Bước 4/8" in (await member.next_message()).text
    state = await bot.services.forms.get(member.id)
    assert state is not None
    assert state.data["organisation"] == "Thư viện tỉnh Nghệ An"
    assert "hội phí" not in json.dumps(state.data, ensure_ascii=False)


async def test_an_admin_asking_from_the_menu_while_a_reason_is_awaited_is_told_it_still_is(
    bot, member, admin
) -> None:
    await apply(member)
    prompt = await press(admin, await card(admin), "✖️ Từ chối")
    assert "lý do từ chối" in prompt.text
    await admin.send("/start")
    await admin.press(await admin.next_message(), "❓ Đặt câu hỏi")
    assert "đang điền dở" in (await admin.next_message()).text
    await admin.send("hội phí hằng năm")
    assert "Hội phí" in (await admin.next_message()).text
    again = await admin.next_message()  # the reason asked for again, with its button
    assert "lý do từ chối" in again.text and again.buttons
    await admin.send("Hồ sơ chưa đủ thông tin")
    assert "Đã từ chối đơn số 1" in (await admin.next_message()).text


async def test_ask_then_cancel_leaves_no_question_waiting_for_the_next_form(bot, member) -> None:
    await member.send("/join")
    assert "Bước 1\n" in (await member.next_message()).text
    await member.send("/start ask")
    assert "đang điền dở" in (await member.next_message()).text
    await member.send("/cancel")
    await member.next_message()
    await member.send("/join")
    assert "Bước 1\n" in (await member.next_message()).text
    await member.send("ca nhan")  # the kind typed instead of pressed: a form answer
    assert "Bước 2/8" in (await member.next_message()).text


async def test_a_reply_in_the_admin_chat_by_a_non_admin_is_told_it_was_not_passed_on(
    tmp_path, emulator, admin, admin2, member
) -> None:
    secretariat = emulator.group(-100500, "Văn phòng Hội")
    # An admin posting anonymously in the group: Telegram shows the bot GroupAnonymousBot.
    anonymous = emulator.user(1087968824, first_name="Group", username="GroupAnonymousBot")
    secretariat.add_member(anonymous)
    config = make_config(tmp_path, emulator, admin_chat_id=secretariat.id)
    async with BotHarness(config, emulator) as bot:
        await member.send(WEATHER)
        await member.press(await member.next_message(), SEND)
        await member.next_message()
        notice = await secretariat.next_message()
        await anonymous.send("Trời nắng.", chat=secretariat, reply_to=notice)
        told = await secretariat.next_message()
        assert "chưa được chuyển" in told.text
        await bot.idle()
    assert not [m for m in member.messages if "Trời nắng." in m.text]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Cảm ơn ạ!", "Không có gì"),
        ("cam on nhieu", "Không có gì"),
        ("ok", "cứ gõ câu hỏi"),
        ("👍", "bằng chữ"),
        ("???", "bằng chữ"),
        ("Xin chào", "Xin chào Lan"),
        ("alo", "Xin chào Lan"),
    ],
)
async def test_thanks_greetings_and_emoji_are_not_taken_for_unanswerable_questions(
    bot, member, said, expected
) -> None:
    await member.send(said)
    reply = await member.next_message()
    assert expected in reply.text
    assert "chưa có câu trả lời" not in reply.text and SEND not in reply.button_texts


async def test_thanks_inside_a_real_question_still_gets_the_answer(bot, member) -> None:
    await member.send("cảm ơn, cho hỏi hội phí bao nhiêu")
    assert "Hội phí" in (await member.next_message()).text


async def test_a_photo_replied_to_a_question_is_not_lost_silently(
    tmp_path: Path, emulator, member, admin, admin2
) -> None:
    secretariat = office_group(emulator, admin)
    config = make_config(tmp_path, emulator, admin_chat_id=secretariat.id)
    async with BotHarness(config, emulator) as bot:
        _, notice = await send_to_secretariat(member, secretariat, WEATHER)
        await admin.send_photo("Dự báo thời tiết hôm nay", chat=secretariat, reply_to=notice)
        told = await secretariat.next_message()
        assert "chưa được gửi tới người hỏi" in told.text
        assert quotes(told, secretariat.state.received[max(secretariat.state.received)])
        # The answer typed as text afterwards reaches the member, once.
        await admin.send("Trời nắng, 30 độ.", chat=secretariat, reply_to=notice)
        assert "Trời nắng, 30 độ." in (await member.next_message()).text
        await bot.idle()
        assert [m for m in member.messages if "Dự báo" in m.text] == []


async def test_a_photo_replied_in_private_is_not_taken_for_a_question(
    bot, member, admin
) -> None:
    _, notice = await send_to_secretariat(member, admin, WEATHER)
    await admin.send_photo("Ảnh dự báo", reply_to=notice)
    told = await admin.next_message()
    assert "chưa được gửi tới người hỏi" in told.text
    assert "gõ câu hỏi" not in told.text
