"""Telegram's flood limits for every request the bot makes, without one chat holding another.

PTB's ``AIORateLimiter`` pauses *every* request after a 429 and waits inside the handler that
got it; with updates processed concurrently that still holds every other chat for the whole
``retry_after``. This limiter keeps its two limits and scopes the pauses:

- overall: at most ``overall_max_rate`` requests that name a chat per second (Telegram's ~30/s);
- per group or channel (a negative or ``@username`` chat id): ``group_max_rate`` per
  ``group_time_period`` (Telegram's 20 a minute);
- a 429 (``RetryAfter``) answered for a request to one chat pauses that chat only, for
  ``retry_after``; a 429 for a request naming no chat pauses them all;
- a reply retries a 429 up to ``max_retries`` times, after its chat's pause; a broadcast send
  (``rate_limit_args=SENDER_HANDLES_RETRY_AFTER``) gets ``RetryAfter`` raised at once: the
  broadcast sender pauses the whole broadcast itself and records the retry
  (``bot/announcements/delivery.py``), and its sends still count against the overall limit.

Its time is ``clock`` (seconds, monotonic) and ``sleep``: a test may give it a time of its
own, so a 429's pause and a group's budget end when the test moves that time, not after real
seconds. (The overall limit of one second keeps aiolimiter's loop time.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

SENDER_HANDLES_RETRY_AFTER = -1
EVERY_CHAT = "*"  # the pause key of a 429 that named no chat
# Group limiters and expired pauses are pruned beyond this many chats.
_PRUNE_ABOVE = 512

ChatKey = int | str
Sleep = Callable[[float], Awaitable[None]]


def retry_after_seconds(error: RetryAfter) -> float:
    """The pause a 429 asks for, in seconds (PTB 22 warns about its int form; both work)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        seconds = error.retry_after
    return seconds.total_seconds() if isinstance(seconds, timedelta) else float(seconds)


def _chat_key(chat_id: Any) -> ChatKey | None:
    if chat_id is None or isinstance(chat_id, int):
        return chat_id
    with contextlib.suppress(ValueError, TypeError):
        return int(chat_id)
    return str(chat_id)


def _is_group(key: ChatKey) -> bool:
    return isinstance(key, str) or key < 0


@dataclass
class _GroupBudget:
    """One group's budget as a leaky bucket (what aiolimiter's ``AsyncLimiter`` does, on the
    limiter's clock): it holds ``group_max_rate`` sends and drips them out over the period."""

    level: float = 0.0
    checked: float = 0.0


class FairRateLimiter(BaseRateLimiter[int]):
    """Overall and per-group limits for all requests; 429 pauses per chat."""

    def __init__(
        self,
        overall_max_rate: float = 30.0,
        group_max_rate: float = 20.0,
        group_time_period: float = 60.0,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._overall = AsyncLimiter(overall_max_rate, 1) if overall_max_rate else None
        self._group_max_rate = group_max_rate
        self._group_time_period = group_time_period
        self._groups: dict[ChatKey, _GroupBudget] = {}
        self._max_retries = max_retries
        self.clock = clock
        self.sleep = sleep
        self._paused_until: dict[ChatKey, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def paused_for(self, chat_id: Any) -> float:
        """Seconds left of the 429 pause that applies to requests to this chat (0 if none)."""
        now = self.clock()
        until = self._paused_until.get(EVERY_CHAT, 0.0)
        key = _chat_key(chat_id)
        if key is not None:
            until = max(until, self._paused_until.get(key, 0.0))
        return max(0.0, until - now)

    def _pause(self, key: ChatKey, seconds: float) -> None:
        now = self.clock()
        if len(self._paused_until) > _PRUNE_ABOVE:
            self._paused_until = {k: t for k, t in self._paused_until.items() if t > now}
        self._paused_until[key] = max(self._paused_until.get(key, 0.0), now + seconds)

    def _leak(self, budget: _GroupBudget) -> None:
        now = self.clock()
        drip = (now - budget.checked) * self._group_max_rate / self._group_time_period
        budget.level = max(0.0, budget.level - drip)
        budget.checked = now

    def _group_budget(self, key: ChatKey) -> _GroupBudget:
        budget = self._groups.get(key)
        if budget is None:
            if len(self._groups) > _PRUNE_ABOVE:
                for group in self._groups.values():
                    self._leak(group)
                self._groups = {k: g for k, g in self._groups.items() if g.level > 0}
            budget = self._groups[key] = _GroupBudget(checked=self.clock())
        return budget

    async def _take_from_group(self, key: ChatKey) -> None:
        """Take one send from the group's budget, waiting until it has one."""
        budget = self._group_budget(key)
        while True:
            self._leak(budget)
            if budget.level + 1 <= self._group_max_rate:
                budget.level += 1
                return
            missing = budget.level + 1 - self._group_max_rate
            await self.sleep(missing * self._group_time_period / self._group_max_rate)

    async def _within_limits(self, key: ChatKey | None) -> None:
        """Wait out the chat's 429 pause, then take from its group budget and the overall one."""
        if self._paused_until:
            # Looked at again after the sleep: a 429 meanwhile may have made the pause longer.
            while (wait := self.paused_for(key)) > 0:
                await self.sleep(wait)
        if key is None:
            return
        if self._group_max_rate and _is_group(key):
            await self._take_from_group(key)
        if self._overall is not None:
            await self._overall.acquire()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Send one request within the limits; retry a 429 after its chat's pause."""
        key = _chat_key(data.get("chat_id"))
        sender_handles = rate_limit_args == SENDER_HANDLES_RETRY_AFTER
        retries = 0 if sender_handles else (rate_limit_args or self._max_retries)
        attempt = 0
        while True:
            try:
                await self._within_limits(key)
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                self._pause(EVERY_CHAT if key is None else key, seconds)
                if attempt == retries:
                    if not sender_handles:
                        log.warning("429 for %s: gave up after %d retries", endpoint, retries)
                    raise
                attempt += 1
                log.info("429 for %s: this chat waits %.1f s", endpoint, seconds)
