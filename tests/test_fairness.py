"""Fair and concurrent: no chat, user or group holds another; the bot stays where it belongs.

Each story makes one chat wait (a 429, a group's 20-a-minute budget, a flood) and shows that
a quiet user is answered *while* that chat is still waiting: an ordering of events, not a
measured time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from emulator import BotApiEmulator
from tests.harness import BotHarness, make_config
from tests.updatelog import update_log

ADMIN_CHAT = -100500
MEMBERS_GROUP = -100200
QUIET_ID = 3001


@pytest.fixture
def quiet(emulator: BotApiEmulator):
    return emulator.user(QUIET_ID, first_name="Yên", language_code="vi")


def sends_to(emulator: BotApiEmulator, chat_id: int) -> int:
    return sum(1 for call in emulator.calls_to("sendMessage") if call.params["chat_id"] == chat_id)


class StoppedTime:
    """The rate limiter's time, standing still until the test moves it: a chat's 429 pause
    lasts until then, however long the rest takes."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._moved = asyncio.Condition()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        until = self.now + seconds
        async with self._moved:
            await self._moved.wait_for(lambda: self.now >= until)

    async def advance(self, seconds: float) -> None:
        async with self._moved:
            self.now += seconds
            self._moved.notify_all()


def stop_the_limiters_time(bot: BotHarness) -> StoppedTime:
    """Put the running bot's rate limiter on a stopped time."""
    limiter = bot.application.bot.rate_limiter
    limiter.clock = time = StoppedTime()
    limiter.sleep = time.sleep
    return time


@pytest.fixture
async def limiter_time(bot) -> AsyncIterator[StoppedTime]:
    """The bot's rate limiter on a stopped time (its waits released at the end)."""
    time = stop_the_limiters_time(bot)
    yield time
    await time.advance(3600)  # a test that failed half-way leaves no request waiting


async def test_a_429_on_one_chat_does_not_hold_another(
    bot, emulator, member, quiet, limiter_time
) -> None:
    limiter = bot.application.bot.rate_limiter
    emulator.fail("sendMessage", "429", chat_id=member.id, retry_after=5)
    await member.send("/start")
    await emulator.wait_until(lambda: limiter.paused_for(member.id) == 5)  # got the 429
    await quiet.send("/start")
    assert "Xin chào" in (await quiet.next_message()).text
    assert member.delivered == 0  # the 429'd chat is still waiting out its retry_after
    await limiter_time.advance(5)
    assert "Xin chào" in (await member.next_message()).text  # then retried
    assert sends_to(emulator, member.id) == 2


async def test_a_group_waiting_for_its_minute_budget_does_not_hold_a_private_chat(
    tmp_path, emulator, admin, admin2, quiet
) -> None:
    group = emulator.group(MEMBERS_GROUP, "Hội viên")
    group.add_member(admin)
    async with BotHarness(make_config(tmp_path, emulator, members_group_id=MEMBERS_GROUP)) as bot:
        time = stop_the_limiters_time(bot)
        try:
            for _ in range(22):  # Telegram allows 20 messages a minute into one group
                await admin.send("/help", chat=group)
            await group.wait_for(lambda m: group.delivered == 20)
            await quiet.send("/start")
            assert "Xin chào" in (await quiet.next_message()).text
            assert group.delivered == 20  # the group's next reply still waits for its budget
            await time.advance(3)  # the budget refills by one every 3 seconds
            await group.wait_for(lambda m: group.delivered == 21)
        finally:
            await time.advance(3600)


async def test_each_chat_gets_its_answers_in_the_order_it_asked(bot, member) -> None:
    await member.send("/privacy")
    await member.send("/start")
    await member.send("/lang")
    first, second, third = [await member.next_message() for _ in range(3)]
    assert "/forget" in first.text
    assert "Xin chào" in second.text
    assert "English" in " ".join(third.button_texts)


async def test_a_flooding_user_is_asked_once_to_slow_down_then_dropped(
    bot, emulator, member, quiet, caplog
) -> None:
    caplog.set_level(logging.WARNING, logger="handlers.guard")
    with update_log() as lines:
        for _ in range(30):
            await member.send("/privacy")
        await quiet.send("/start")
        assert "Xin chào" in (await quiet.next_message()).text
        await lines.wait_for(lambda _: len(lines.matching(feature="/privacy")) == 30)
    notices = [m for m in member.messages if "chậm lại" in m.text]
    answers = [m for m in member.messages if "/forget" in m.text]
    assert len(notices) == 1
    assert len(answers) == 20  # the burst
    assert len(lines.matching(feature="/privacy", outcome="dropped")) == 10
    assert any("flood" in r.getMessage() for r in caplog.records)


async def test_admins_are_not_flood_limited(bot, admin) -> None:
    with update_log() as lines:
        for _ in range(30):
            await admin.send("/privacy")
        await lines.wait_for(lambda _: len(lines.matching(feature="/privacy")) == 30)
    await admin.wait_for(lambda m: len([m for m in admin.messages if "/forget" in m.text]) == 30)
    await bot.idle()
    assert not [m for m in admin.messages if "chậm lại" in m.text]


async def test_added_to_a_group_it_does_not_serve_the_bot_says_one_line_and_leaves(
    bot, emulator, member
) -> None:
    stranger = emulator.group(-100777, "Chợ sách cũ")
    await stranger.add_bot(by=member)
    goodbye = await stranger.next_message()
    assert "rời nhóm" in goodbye.text
    await emulator.wait_until(lambda: stranger.state.bot_status == "left")
    await bot.idle()
    assert stranger.delivered == 1


async def test_a_message_from_a_group_it_does_not_serve_makes_the_bot_leave_silently(
    bot, emulator, member
) -> None:
    stranger = emulator.group(-100777, "Chợ sách cũ")
    stranger.add_member(member)
    await member.send("/help", chat=stranger)
    await emulator.wait_until(lambda: stranger.state.bot_status == "left")
    await bot.idle()
    assert stranger.delivered == 0


async def test_the_bot_stays_and_answers_in_the_members_group(
    tmp_path, emulator, admin, admin2, member
) -> None:
    group = emulator.group(MEMBERS_GROUP, "Hội viên")
    group.add_member(member)
    async with BotHarness(make_config(tmp_path, emulator, members_group_id=MEMBERS_GROUP)):
        await member.send("/help", chat=group)
        await group.next_message()
        assert group.state.bot_status == "administrator"


async def test_admin_commands_with_personal_data_stay_out_of_other_groups(
    tmp_path, emulator, admin, admin2, member
) -> None:
    group = emulator.group(MEMBERS_GROUP, "Hội viên")
    secretariat = emulator.group(ADMIN_CHAT, "Ban Thư ký")
    for chat in (group, secretariat):
        chat.add_member(admin)
    group.add_member(member)
    config = make_config(
        tmp_path, emulator, members_group_id=MEMBERS_GROUP, admin_chat_id=ADMIN_CHAT
    )
    async with BotHarness(config):
        await member.send("/members", chat=group)  # a non-admin: silence, not even a refusal
        for command in ("/pending", "/members", "/member lan", "/unanswered"):
            await admin.send(command, chat=group)
            nudge = await admin.next_message()  # told privately where it works
            assert "nhóm quản trị" in nudge.text
        assert group.delivered == 0
        await admin.send("/pending", chat=secretariat)
        assert "đơn" in (await secretariat.next_message()).text.lower()
        await admin.send("/pending")
        assert "đơn" in (await admin.next_message()).text.lower()


async def test_members_chatting_in_their_group_are_not_taken_for_a_flood(
    tmp_path, emulator, admin, admin2, member
) -> None:
    group = emulator.group(MEMBERS_GROUP, "Hội viên")
    group.add_member(member)
    async with BotHarness(make_config(tmp_path, emulator, members_group_id=MEMBERS_GROUP)):
        for n in range(30):
            await member.send(f"Chào cả nhà, tin thứ {n}", chat=group)
        await member.send("/help", chat=group)
        answer = await group.next_message()
        assert "chậm lại" not in answer.text and "/start" in answer.text
        assert group.delivered == 1
