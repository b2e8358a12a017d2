"""Input rules of the application form: names of stacked accent marks are refused politely,
and an answer that reads like a question is questioned, not saved silently."""

from __future__ import annotations

from tests.test_membership_e2e import answer, press

NAME_QUESTION = "Họ và tên đầy đủ của Anh/Chị?"


async def open_form(user) -> None:
    first = await answer(user, "/join")
    asked = await press(user, first, "👤 Cá nhân")
    assert NAME_QUESTION in asked.text


async def test_a_name_of_stacked_combining_marks_is_refused_politely(bot, member) -> None:
    await open_form(member)
    zalgo = "L" + "\u0300\u0301\u0302\u0303\u0304\u0306" + "an"
    refused = await answer(member, zalgo)
    assert "quá nhiều dấu chồng lên một chữ" in refused.text
    assert NAME_QUESTION in refused.text  # the same question again
    accepted = await answer(member, "Nguyễn Thị Lan")  # Vietnamese accents are fine
    assert "thư viện hoặc cơ quan nào" in accepted.text


async def test_a_question_typed_at_the_name_step_is_answered_not_saved(bot, member) -> None:
    await open_form(member)
    unsure = await answer(member, "hội phí bao nhiêu?")
    assert "giống một câu hỏi" in unsure.text and "Họ và tên" in unsure.text
    await member.press(unsure, "❓ Không, đây là câu hỏi")
    fee = await member.next_message()
    assert fee.text.startswith("Hội phí\n") and "hội phí hằng năm" in fee.text
    again = await member.next_message()
    assert "Đơn của Anh/Chị vẫn đang mở" in again.text and NAME_QUESTION in again.text
    accepted = await answer(member, "Nguyễn Thị Lan")
    assert "thư viện hoặc cơ quan nào" in accepted.text


async def test_a_name_that_only_looks_like_a_question_is_kept_when_confirmed(bot, member) -> None:
    await open_form(member)
    unsure = await answer(member, "Phan Thế Nào")
    assert "giống một câu hỏi" in unsure.text
    kept = await press(member, unsure, "✅ Đúng, đây là câu trả lời")
    assert "thư viện hoặc cơ quan nào" in kept.text
    status = await answer(member, "/cancel")
    assert "erased" in status.text or "xóa" in status.text
