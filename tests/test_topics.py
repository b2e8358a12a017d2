"""Forum topics: in a group with topics, the bot answers in the topic it was spoken to in.

Telegram puts a message sent without ``message_thread_id`` into the forum's General topic,
so a member who typed /help in "Hỏi đáp" would find the answer somewhere else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import ApiError, BotApiEmulator, EmulatedGroup
from emulator.api.messages import send_message
from tests.harness import BotHarness, make_config, office_group

MEMBERS_GROUP = -1001234567890
ADMIN_GROUP = -1009876543210


@pytest.fixture
async def forum(emulator: BotApiEmulator, member, admin) -> EmulatedGroup:
    group = emulator.group(MEMBERS_GROUP, "Hội viên", forum=True)
    group.add_member(member)
    group.add_member(admin, "administrator")
    return group


@pytest.fixture
async def forum_bot(
    tmp_path: Path, emulator: BotApiEmulator, forum: EmulatedGroup, admin, admin2
) -> AsyncIterator[BotHarness]:
    config = make_config(tmp_path, emulator, members_group_id=forum.id)
    async with BotHarness(config, emulator) as harness:
        yield harness


async def test_the_emulator_keeps_messages_in_their_topic(
    emulator, forum, member, admin
) -> None:
    topic = await forum.create_topic("Hỏi đáp", by=admin)
    in_topic = await member.send("chào cả nhà", chat=forum, topic=topic)
    in_general = await member.send("chào", chat=forum)
    reply_in_general = await member.send("ừ", chat=forum, reply_to=in_general)
    assert in_topic["message_thread_id"] == topic and in_topic["is_topic_message"]
    assert "message_thread_id" not in in_general
    # A reply outside a topic names its reply chain, which is no topic.
    assert reply_in_general["message_thread_id"] == in_general["message_id"]
    assert "is_topic_message" not in reply_in_general
    # The bot cannot send into a reply chain as if it were a topic, as in Telegram.
    thread = reply_in_general["message_thread_id"]
    with pytest.raises(ApiError, match="message thread not found"):
        send_message(emulator, {"chat_id": forum.id, "text": "…", "message_thread_id": thread})
    sent = send_message(emulator, {"chat_id": forum.id, "text": "…", "message_thread_id": topic})
    assert sent["message_thread_id"] == topic and sent["is_topic_message"]


async def test_help_typed_in_a_topic_is_answered_in_that_topic(
    forum_bot, forum, member, admin
) -> None:
    topic = await forum.create_topic("Hỏi đáp", by=admin)
    await member.send("/help", chat=forum, topic=topic)
    answer = await forum.next_message()
    assert "/join" in answer.text
    assert answer.thread_id == topic


async def test_a_personal_command_in_a_topic_points_to_the_private_chat_from_that_topic(
    forum_bot, forum, member, admin
) -> None:
    topic = await forum.create_topic("Thủ tục", by=admin)
    await member.send("/join", chat=forum, topic=topic)
    pointer = await forum.next_message()
    assert "t.me/" in pointer.html
    assert pointer.thread_id == topic


async def test_an_admin_command_refused_in_a_topic_is_refused_there(
    forum_bot, forum, member, admin
) -> None:
    topic = await forum.create_topic("Chung", by=admin)
    await member.send("/stats", chat=forum, topic=topic)
    refusal = await forum.next_message()
    assert "chỉ dành cho Văn phòng Hội" in refusal.text
    assert refusal.thread_id == topic


async def test_in_the_general_topic_the_bot_answers_in_general(
    forum_bot, forum, member
) -> None:
    said = await member.send("/help", chat=forum)
    await member.send("/help", chat=forum, reply_to=said)  # a reply chain is no topic
    first, second = await forum.next_message(), await forum.next_message()
    assert first.thread_id is None and second.thread_id is None


async def test_a_button_pressed_in_a_topic_answers_in_that_topic(
    forum_bot, forum, member, admin
) -> None:
    topic = await forum.create_topic("Hỏi đáp", by=admin)
    await member.send("/lang", chat=forum, topic=topic)
    choice = await forum.next_message()
    assert choice.thread_id == topic
    await member.press(choice, "lang:en")
    saved = await forum.next_message()
    assert saved.thread_id == topic


async def test_the_secretariat_works_in_a_topic_of_its_admin_chat(
    tmp_path, emulator, member, admin, admin2
) -> None:
    secretariat = office_group(emulator, admin, forum=True)
    config = make_config(tmp_path, emulator, admin_chat_id=ADMIN_GROUP)
    async with BotHarness(config, emulator):
        topic = await secretariat.create_topic("Câu hỏi của hội viên", by=admin)
        await member.send("Thời tiết Hà Nội hôm nay thế nào?")
        await member.press(await member.next_message(), "✉️ Gửi câu hỏi cho Văn phòng Hội")
        await member.next_message()
        notice = await secretariat.next_message()
        assert notice.thread_id is None  # nobody asked in a topic: General
        await admin.send("/unanswered", chat=secretariat, topic=topic)
        listed = await secretariat.next_message()
        assert "Thời tiết Hà Nội" in listed.text
        assert listed.thread_id == topic
        # A reply to the list, in the topic, is told how to answer, in the topic.
        await admin.send("Trời nắng", chat=secretariat, reply_to=listed)
        told = await secretariat.next_message()
        assert "🎓" in told.text or "Trả lời" in told.text
        assert told.thread_id == topic
        # The reply to the notice (in General) reaches the member; its confirmation stays there.
        await admin.send("Anh/Chị xem dự báo thời tiết nhé.", chat=secretariat, reply_to=notice)
        assert "Anh/Chị xem dự báo thời tiết nhé." in (await member.next_message()).text
        confirmed = await secretariat.next_message()
        assert "Đã gửi câu trả lời cho Lan" in confirmed.text
        assert confirmed.thread_id is None


async def test_a_question_put_to_the_bot_in_a_topic_is_pointed_to_the_private_chat_there(
    forum_bot, forum, member, admin
) -> None:
    topic = await forum.create_topic("Hỏi đáp", by=admin)
    mention = "@hoibot_test_bot"
    asked = await member.send(
        f"{mention} hội phí bao nhiêu?", chat=forum, topic=topic,
        entities=[{"type": "mention", "offset": 0, "length": len(mention)}],
    )
    pointer = await forum.next_message()
    assert "tin nhắn riêng" in pointer.text and "?start=ask" in pointer.text
    assert pointer.thread_id == topic
    assert pointer.raw["reply_to_message"]["message_id"] == asked["message_id"]
    # Members talking among themselves, or naming another bot, are left alone.
    await member.send("hội phí bao nhiêu nhỉ?", chat=forum, topic=topic)
    await member.send("@other_bot hội phí?", chat=forum, topic=topic,
                      entities=[{"type": "mention", "offset": 0, "length": 10}])
    await forum_bot.idle()
    assert forum.messages[-1] is pointer
