"""Telegram's limits, scoped: a 429 pauses the chat it was answered for, not the others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import RetryAfter

from bot.flood import ALLOW, DROP, SLOW_DOWN, FloodGuard, FloodPolicy
from bot.tg.ratelimit import SENDER_HANDLES_RETRY_AFTER, FairRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def refuse(seconds: int):
    raise RetryAfter(timedelta(seconds=seconds))


async def test_a_429_for_one_chat_pauses_that_chat_only() -> None:
    clock = Clock()
    limiter = FairRateLimiter(clock=clock)
    with pytest.raises(RetryAfter):
        await limiter.process_request(
            refuse, (8,), {}, "sendMessage", {"chat_id": 7}, SENDER_HANDLES_RETRY_AFTER
        )
    assert limiter.paused_for(7) == 8
    assert limiter.paused_for(8) == 0
    assert limiter.paused_for(-100123) == 0
    clock.now += 8
    assert limiter.paused_for(7) == 0


async def test_a_429_for_a_request_naming_no_chat_pauses_every_chat() -> None:
    limiter = FairRateLimiter(clock=Clock())
    with pytest.raises(RetryAfter):
        await limiter.process_request(
            refuse, (3,), {}, "answerCallbackQuery", {}, SENDER_HANDLES_RETRY_AFTER
        )
    assert limiter.paused_for(7) == 3 and limiter.paused_for(-100123) == 3


async def test_a_group_gets_twenty_sends_at_once_then_one_every_three_seconds() -> None:
    clock = Clock()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.now += seconds

    async def send() -> str:
        return "sent"

    limiter = FairRateLimiter(overall_max_rate=0, clock=clock, sleep=sleep)
    for _ in range(22):
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": -100123}, None)
    assert waits == [3.0, 3.0]
    await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": -100456}, None)
    await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, None)
    assert waits == [3.0, 3.0]  # another group has its own budget; a private chat has none
    clock.now += 60
    for _ in range(20):  # a quiet minute later the group has its twenty again
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": -100123}, None)
    assert waits == [3.0, 3.0]


def test_a_burst_is_fine_a_flood_is_told_once_then_dropped_until_the_mute_ends() -> None:
    clock = Clock()
    guard = FloodGuard(FloodPolicy(burst=3, per_second=1.0, mute_seconds=60), clock=clock)
    assert [guard.check(1).action for _ in range(3)] == [ALLOW] * 3
    assert guard.check(2).action == ALLOW  # another user has their own budget
    assert guard.check(1).action == SLOW_DOWN
    assert [guard.check(1).action for _ in range(5)] == [DROP] * 5
    clock.now += 59
    assert guard.check(1).action == DROP
    clock.now += 2
    heard = guard.check(1)
    assert heard.action == ALLOW and heard.dropped == 6


def test_a_steady_pace_under_the_refill_rate_is_never_limited() -> None:
    clock = Clock()
    guard = FloodGuard(FloodPolicy(burst=3, per_second=1.0), clock=clock)
    for _ in range(100):
        assert guard.check(1).action == ALLOW
        clock.now += 1.0
