"""The secretariat teaches the bot from Telegram: a question it could not answer is linked to
an existing answer or gets a new one; the member is answered at once and next time too."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot.kb.cli import main as kb_cli
from bot.kb.service import KnowledgeService
from emulator import SentMessage
from tests.harness import ROOT, BotHarness, make_config
from tests.kb_fixtures import copy_knowledge, entry_yaml, write_knowledge_file
from tests.test_membership_e2e import apply, card

SEND = "✉️ Gửi câu hỏi cho Văn phòng Hội"
TEACH = "🎓 Dạy bot trả lời câu này"
SEARCH = "🔎 Tìm trong cơ sở tri thức"
NEW = "✍️ Viết câu trả lời mới"
SKIP = "⏭ Bỏ qua tiếng Anh"
UNDO = "↩️ Hoàn tác"
CONTACT = "🔗 Liên hệ Văn phòng Hội"
INTERNATIONAL = "🔗 Hợp tác quốc tế (CONSAL, IFLA)"

# The knowledge base has no answer to these today (checked below, before teaching).
VISIT = "Tôi muốn gặp trực tiếp các anh chị trong hội thì tới đâu?"
VISIT_AGAIN = "toi muon gap truc tiep cac anh chi cua hoi thi den dau"
FUND = "Hội có quỹ hỗ trợ thủ thư gặp khó khăn không?"
FUND_AGAIN = "có quỹ nào hỗ trợ thủ thư khó khăn không"
FUND_ANSWER = "Hội có Quỹ Tương trợ thủ thư (FICTIONAL): hội viên gửi đơn về Văn phòng Hội."
FUND_ANSWER_EN = "The association runs a Librarians' Mutual Aid Fund (FICTIONAL)."


async def send_to_secretariat(member, admin, question: str) -> SentMessage:
    """The member asks, the bot is not sure, the member sends it on: the admin's notice."""
    await member.send(question)
    await member.press(await member.next_message(), SEND)
    assert "Đã gửi câu hỏi" in (await member.next_message()).text
    return await admin.next_message()


async def answer_to(member, question: str) -> SentMessage:
    """What the bot answers the member now."""
    await member.send(question)
    return await member.next_message()


def answers_contact(answer: SentMessage) -> bool:
    """Whether the bot answered with the secretariat's contact entry."""
    return answer.text.startswith("Liên hệ Văn phòng Hội\n")


async def open_card(admin, notice: SentMessage) -> SentMessage:
    await admin.press(notice, TEACH)
    card = await admin.next_message()
    assert "Dạy bot: câu hỏi #" in card.text
    return card


async def link_by_search(member, admin, question: str, words: str, button: str) -> SentMessage:
    """The admin finds the answer by words and links the question to it; the member's copy."""
    card = await open_card(admin, await send_to_secretariat(member, admin, question))
    await admin.press(card, SEARCH)
    assert "Gõ vài từ" in (await admin.next_message()).text
    await admin.send(words)
    results = await admin.next_message()
    assert "Kết quả cho “" + words in results.text
    await admin.press(results, button)
    return await member.next_message()


async def write_new_answer(member, admin, question: str, english: str | None) -> SentMessage:
    """The admin writes a new answer (English optional); the member's copy."""
    card = await open_card(admin, await send_to_secretariat(member, admin, question))
    await admin.press(card, NEW)
    assert "tiếng Việt" in (await admin.next_message()).text
    await admin.send(FUND_ANSWER)
    ask_english = await admin.next_message()
    assert "tiếng Anh" in ask_english.text
    if english is None:
        await admin.press(ask_english, SKIP)
    else:
        await admin.send(english)
    return await member.next_message()


async def test_linking_a_question_answers_the_member_now_and_the_same_question_next_time(
    bot, member, admin
) -> None:
    assert not answers_contact(await answer_to(member, VISIT_AGAIN))
    answered = await link_by_search(member, admin, VISIT, "liên hệ văn phòng", CONTACT)
    assert answered.text.startswith("💬 Văn phòng Hội trả lời câu hỏi của Anh/Chị: " + VISIT)
    assert "Liên hệ Văn phòng Hội" in answered.text and "Nguồn:" in answered.text
    done = await admin.next_message()
    assert "câu hỏi #1 từ nay dẫn tới “Liên hệ Văn phòng Hội”" in done.text
    assert done.button_texts == [UNDO]

    for asked in (VISIT, VISIT_AGAIN):  # the very question, and a paraphrase without marks
        answer = await answer_to(member, asked)
        assert answers_contact(answer), asked
        assert "Nguồn:" in answer.text
    await admin.send("/unanswered")
    assert "Không có câu hỏi nào" in (await admin.next_message()).text


async def test_an_admin_picks_one_of_the_top_matches_from_unanswered(bot, member, admin) -> None:
    question = "Hội có tổ chức đi tham quan thư viện nước ngoài không?"
    await send_to_secretariat(member, admin, question)
    await admin.send("/unanswered")
    listing = await admin.next_message()
    await admin.press(listing, "🎓 #1")
    card = await admin.next_message()
    assert INTERNATIONAL in card.button_texts
    await admin.press(card, INTERNATIONAL)
    assert "Hợp tác quốc tế" in (await member.next_message()).text
    await admin.wait_for(lambda m: m is card and m.buttons == [])  # the card is used up
    answer = await answer_to(member, "hoi co to chuc tham quan thu vien o nuoc ngoai khong")
    assert answer.text.startswith("Hợp tác quốc tế (CONSAL, IFLA)\n")


async def test_a_new_answer_becomes_an_entry_in_both_languages(bot, member, admin) -> None:
    assert FUND_ANSWER not in (await answer_to(member, FUND_AGAIN)).text
    answered = await write_new_answer(member, admin, FUND, FUND_ANSWER_EN)
    assert FUND_ANSWER in answered.text
    assert "Nguồn: Văn phòng Hội trả lời (" in answered.text
    done = await admin.next_message()
    assert "Đã thêm câu trả lời mới “Hội có quỹ hỗ trợ thủ thư gặp khó khăn không?”" in done.text

    assert FUND_ANSWER in (await answer_to(member, FUND)).text
    assert FUND_ANSWER in (await answer_to(member, FUND_AGAIN)).text
    await member.send("/lang")
    await member.press(await member.next_message(), "lang:en")
    await member.next_message()
    english = await answer_to(member, FUND_AGAIN)
    assert FUND_ANSWER_EN in english.text
    assert "Source: Answered by the Association's Office (" in english.text


async def test_without_english_the_english_reader_gets_the_vietnamese_answer(
    bot, member, admin
) -> None:
    await write_new_answer(member, admin, FUND, None)
    await admin.next_message()
    await member.send("/lang")
    await member.press(await member.next_message(), "lang:en")
    await member.next_message()
    assert FUND_ANSWER in (await answer_to(member, FUND)).text


async def test_teaching_survives_reload_and_restart_and_undo_removes_it(
    bot, emulator, member, admin
) -> None:
    await link_by_search(member, admin, VISIT, "liên hệ", CONTACT)
    linked = await admin.next_message()
    await write_new_answer(member, admin, FUND, None)
    await admin.next_message()

    await admin.send("/reload")
    assert "Đã nạp lại" in (await admin.next_message()).text
    assert answers_contact(await answer_to(member, VISIT_AGAIN))
    await bot.restart()
    assert answers_contact(await answer_to(member, VISIT_AGAIN))
    assert FUND_ANSWER in (await answer_to(member, FUND_AGAIN)).text

    await admin.send("/learned")
    listing = await admin.next_message()
    assert "Bot đã học từ Văn phòng Hội: 2" in listing.text
    assert "🔗 " + VISIT + " → Liên hệ Văn phòng Hội · đang dùng" in listing.text
    assert "Admin" in listing.text  # who taught it
    assert listing.button_texts == ["↩️ Bỏ #2", "↩️ Bỏ #1"]
    await admin.press(listing, "↩️ Bỏ #1")
    assert "Đã hoàn tác bài học #1" in (await admin.next_message()).text
    assert not answers_contact(await answer_to(member, VISIT_AGAIN))
    assert FUND_ANSWER in (await answer_to(member, FUND_AGAIN)).text  # the other one stays

    again = await admin.press(linked, UNDO)  # the same lesson's undo under the confirmation
    assert "đã được hoàn tác rồi" in (await emulator.wait_for_answer(again))["text"]
    await bot.restart()
    assert not answers_contact(await answer_to(member, VISIT_AGAIN))


async def test_teaching_again_after_an_undo_does_not_answer_the_member_a_second_time(
    bot, member, admin
) -> None:
    notice = await send_to_secretariat(member, admin, VISIT)
    card = await open_card(admin, notice)
    await admin.press(card, SEARCH)
    await admin.next_message()
    await admin.send("liên hệ")
    await admin.press(await admin.next_message(), CONTACT)
    assert "Liên hệ Văn phòng Hội" in (await member.next_message()).text
    await admin.next_message()
    await admin.send("/learned")
    await admin.press(await admin.next_message(), "↩️ Bỏ #1")
    assert "Đã hoàn tác bài học #1" in (await admin.next_message()).text
    answered = len(member.messages)

    # The notice's teach button, still there: the question is taught again...
    await admin.press(await open_card(admin, notice), SEARCH)
    await admin.next_message()
    await admin.send("liên hệ")
    await admin.press(await admin.next_message(), CONTACT)
    done = await admin.next_message()
    assert "câu hỏi #1 từ nay dẫn tới “Liên hệ Văn phòng Hội”" in done.text
    # ...and the admin is told the member already has the answer, which is not sent again.
    assert "đã nhận câu trả lời cho câu hỏi này ngày" in done.text
    assert "không gửi lại" in done.text
    assert len(member.messages) == answered
    assert answers_contact(await answer_to(member, VISIT_AGAIN))


async def test_rejecting_while_writing_an_answer_says_the_answer_was_set_aside_and_quotes_it(
    bot, emulator, admin
) -> None:
    applicant = emulator.user(4101, first_name="Bình", language_code="vi")
    asker = emulator.user(4102, first_name="Hoa", language_code="vi")
    await apply(applicant)
    application = await card(admin)
    await admin.press(await open_card(admin, await send_to_secretariat(asker, admin, FUND)), NEW)
    await admin.next_message()
    await admin.send(FUND_ANSWER)
    assert "tiếng Anh" in (await admin.next_message()).text

    await admin.press(application, "✖️ Từ chối")
    aside = await admin.next_message()
    assert "Câu trả lời mới cho câu hỏi #1 đã được gác lại" in aside.text
    assert "“" + FUND_ANSWER + "”" in aside.text  # what was typed is not lost
    assert "lý do từ chối" in (await admin.next_message()).text
    await admin.send("Hồ sơ thiếu thông tin")
    await applicant.wait_for(lambda m: "Hồ sơ thiếu thông tin" in m.text)
    assert await bot.services.learned.lessons() == []  # nothing taught behind the admin's back


async def test_teaching_another_question_sets_aside_the_answer_being_written(
    bot, emulator, member, admin
) -> None:
    fund = await open_card(admin, await send_to_secretariat(member, admin, FUND))
    visit = await open_card(admin, await send_to_secretariat(member, admin, VISIT))
    await admin.press(fund, NEW)
    await admin.next_message()
    await admin.send(FUND_ANSWER)
    ask_english = await admin.next_message()
    assert "tiếng Anh" in ask_english.text

    await admin.press(visit, NEW)
    aside = await admin.next_message()
    assert "Câu trả lời mới cho câu hỏi #1 đã được gác lại" in aside.text
    assert "“" + FUND_ANSWER + "”" in aside.text
    assert "Câu hỏi #2" in (await admin.next_message()).text
    # The first answer's Skip button, pressed afterwards: an alert, nothing taught.
    query = await admin.press(ask_english, SKIP)
    assert (await emulator.wait_for_answer(query))["show_alert"] is True
    assert await bot.services.learned.lessons() == []
    await admin.press(visit, NEW)  # the same question again, nothing typed: no notice
    assert "Câu hỏi #2" in (await admin.next_message()).text


async def test_a_non_admin_forged_teach_button_is_refused(
    bot, emulator, member, admin
) -> None:
    await send_to_secretariat(member, admin, VISIT)
    unknown = member.messages[-2]
    query = {
        "id": "forged-1",
        "from": member.user,
        "message": unknown.raw,
        "chat_instance": str(member.id),
        "data": "tc:l:1:contact",
    }
    emulator.callback_queries[query["id"]] = query
    await emulator.inject_update({"callback_query": query})
    refusal = await emulator.wait_for_answer("forged-1")
    assert "chỉ quản trị viên của Hội mới dạy được bot" in refusal["text"]
    assert await bot.services.learned.lessons() == []
    assert not answers_contact(await answer_to(member, VISIT))


async def test_stale_buttons_get_a_polite_answer(bot, emulator, member, admin, admin2) -> None:
    notice = await send_to_secretariat(member, admin, VISIT)
    notice2 = await admin2.next_message()
    card2 = await open_card(admin2, notice2)
    await admin.press(await open_card(admin, notice), SEARCH)
    await admin.next_message()
    await admin.send("liên hệ")
    await admin.press(await admin.next_message(), CONTACT)
    await member.next_message()
    await admin.next_message()

    pressed = await admin2.press(card2, (0, 0))  # a second admin, a moment too late
    assert "đã được dạy cho bot rồi" in (await emulator.wait_for_answer(pressed))["text"]
    assert len(await bot.services.learned.lessons()) == 1

    fund_card = await open_card(admin, await send_to_secretariat(member, admin, FUND))
    await bot.services.privacy.forget_questions(member.id)  # the member's /forget
    pressed = await admin.press(fund_card, NEW)
    assert "không còn nữa" in (await emulator.wait_for_answer(pressed))["text"]
    # What was taught is the association's: it stays, without the member's identity.
    lessons = await bot.services.learned.lessons()
    assert [lesson.phrasing for lesson in lessons] == [VISIT]
    assert answers_contact(await answer_to(member, VISIT))


async def test_the_export_merged_into_the_knowledge_folder_passes_the_check(
    bot, member, admin, tmp_path: Path, capsys
) -> None:
    await link_by_search(member, admin, VISIT, "liên hệ", CONTACT)
    await admin.next_message()
    await write_new_answer(member, admin, FUND, FUND_ANSWER_EN)
    await admin.next_message()

    folder = tmp_path / "merged"
    shutil.copytree(ROOT / "knowledge", folder)
    exported = folder / "learned.yaml"
    database = str(bot.config.database)
    # The command line, as the secretariat runs it beside the running bot.
    assert await asyncio.to_thread(kb_cli, ["kb", "export-learned", str(exported), "--database",
                                            database, "--knowledge-dir", str(folder)]) == 0
    assert "wrote 2 lesson(s)" in capsys.readouterr().out
    text = exported.read_text(encoding="utf-8")
    assert "more_questions:\n- id: contact" in text and FUND_ANSWER in text
    assert kb_cli(["kb", "check", "--knowledge-dir", str(folder)]) == 0
    assert ": OK: 26 entries" in capsys.readouterr().out

    # Merged, the files say it all: the lessons add nothing, and a new export is empty.
    service = KnowledgeService.load(folder)
    assert service.kb.ask(VISIT_AGAIN).entry_id == "contact"
    assert FUND_ANSWER in service.kb.render_answer(
        service.kb.ask(FUND_AGAIN).entry_id, "vi", bot.config.association
    ).text
    service.use_lessons(bot.services.learned.lessons)
    await service.refresh()
    assert set(service.lesson_status.values()) == {"merged"}
    assert await asyncio.to_thread(kb_cli, ["kb", "export-learned", "--database", database,
                                            "--knowledge-dir", str(folder)]) == 0
    empty = capsys.readouterr().out
    assert "\nmore_questions:" not in empty and "\nentries:" not in empty


async def test_in_the_admin_group_the_teach_card_comes_privately(
    tmp_path, emulator, admin, admin2, member
) -> None:
    secretariat = emulator.group(-100500, "Ban Thư ký")
    secretariat.add_member(admin)
    async with BotHarness(make_config(tmp_path, emulator, admin_chat_id=-100500)):
        notice = await send_to_secretariat(member, secretariat, VISIT)
        await admin.press(notice, TEACH)
        card = await admin.next_message()  # in the admin's private chat, not in the group
        assert "Dạy bot: câu hỏi #1" in card.text
        await admin.press(card, SEARCH)
        await admin.next_message()
        await admin.send("liên hệ")
        await admin.press(await admin.next_message(), CONTACT)
        assert "Liên hệ Văn phòng Hội" in (await member.next_message()).text
        assert [m.text for m in secretariat.messages] == [notice.text]


async def test_an_answer_the_files_overtook_while_it_was_written_is_not_used(
    tmp_path, emulator, admin, admin2, member
) -> None:
    folder = copy_knowledge(tmp_path)
    config = make_config(tmp_path, emulator, knowledge_dir=str(folder))
    async with BotHarness(config, emulator):
        card = await open_card(admin, await send_to_secretariat(member, admin, FUND))
        await admin.press(card, NEW)
        await admin.next_message()
        await admin.send(FUND_ANSWER)
        await admin.next_message()
        # Meanwhile a colleague adds the same question to the files and reloads.
        write_knowledge_file(folder, "fund.yaml", "entries:\n" + entry_yaml(
            "fund", "Quỹ tương trợ (FICTIONAL)", FUND, "Quỹ do Văn phòng Hội quản lý."))
        await admin2.send("/reload")
        # admin2 had the member's question too: wait for the reload's own reply.
        await admin2.wait_for(lambda m: "Đã nạp lại cơ sở tri thức" in m.text)
        await admin.send(FUND_ANSWER_EN)
        told = await admin.next_message()
        assert "Bài học #1 đã được ghi nhưng chưa dùng được (trùng với tệp, không dùng)" in (
            told.text
        )
        assert told.button_texts == [UNDO]
        assert "Quỹ do Văn phòng Hội quản lý." in (await answer_to(member, FUND)).text


async def test_learned_lists_lessons_only_in_private_or_the_admin_chat(
    tmp_path, emulator, admin, admin2
) -> None:
    group = emulator.group(-1001234567890, "Hội viên")
    group.add_member(admin)
    config = make_config(tmp_path, emulator, members_group_id=group.id)
    async with BotHarness(config, emulator) as bot:
        await admin.send("/learned", chat=group)
        told = await admin.next_message()
        assert "/learned" in told.text and "nhóm quản trị" in told.text
        await bot.idle()
    assert group.messages == []
