"""Updates handled concurrently, each chat's in arrival order, each one timed and logged.

PTB handles one update at a time by default: whatever a handler awaits (a group's 20-a-minute
budget, a 429's ``retry_after``, a slow request) then holds every other user. This processor
runs the updates of different chats at once and those of one chat one after another (a lock
per chat, taken in arrival order), so a conversation still sees its messages in order.

Bounds: at most ``max_running`` updates are being handled at once; a chat with more than
``max_queued_per_chat`` updates waiting gets the excess dropped (and logged), so one flooding
chat cannot pile up unbounded work.

Every update ends with one INFO line on the ``hoibot.updates`` logger: its kind, the feature
that handled it, its latency (from arrival here to the end of its handling, waiting included)
and its outcome. The line carries no message text and no user or chat id; the same fields go
to the JSON log as ``update``.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import BaseUpdateProcessor

from bot.tg import topics

log = logging.getLogger("hoibot.updates")

OK = "ok"
ERROR = "error"
DROPPED = "dropped"
IGNORED = "ignored"
REFUSED = "refused"
# Updates being handled at once, at most (the rest wait for a free place).
MAX_RUNNING = 64


@dataclass
class UpdateRecord:
    """What the per-update log line says; handlers may set ``feature`` and ``outcome``."""

    update_id: int | None
    kind: str
    feature: str
    chat_type: str = ""
    outcome: str = OK
    started: float = field(default_factory=time.monotonic)

    def fields(self, latency_ms: float) -> dict[str, Any]:
        """The record as log fields."""
        return {
            "update_id": self.update_id,
            "kind": self.kind,
            "feature": self.feature,
            "chat_type": self.chat_type,
            "latency_ms": round(latency_ms, 1),
            "outcome": self.outcome,
        }


Describe = Callable[[object], UpdateRecord]
ChatOf = Callable[[object], Hashable | None]

_current: contextvars.ContextVar[UpdateRecord | None] = contextvars.ContextVar(
    "hoibot_update", default=None
)


def current_record() -> UpdateRecord | None:
    """The record of the update being handled in this task, if any."""
    return _current.get()


def mark(outcome: str, feature: str | None = None) -> None:
    """Set the outcome (and optionally the feature) of the update being handled."""
    record = _current.get()
    if record is not None:
        record.outcome = outcome
        if feature is not None:
            record.feature = feature


@dataclass
class _ChatQueue:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential within a chat; bounded; one log line per update."""

    def __init__(
        self,
        *,
        chat_of: ChatOf,
        describe: Describe,
        max_running: int = MAX_RUNNING,
        max_queued_per_chat: int = 200,
        max_pending: int = 10_000,
    ) -> None:
        # PTB's own semaphore counts updates waiting for their chat too: it is the overall cap.
        super().__init__(max_pending)
        self._chat_of = chat_of
        self._describe = describe
        self._max_running = max_running
        self._running: asyncio.Semaphore | None = None
        self._max_queued = max_queued_per_chat
        self._chats: dict[Hashable, _ChatQueue] = {}

    async def initialize(self) -> None:
        """Create the semaphore in the running event loop."""
        self._running = asyncio.Semaphore(self._max_running)
        self._chats.clear()

    async def shutdown(self) -> None:
        """Nothing to release: handlers still running finish on their own."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle the update after the earlier ones of its chat; log how it went."""
        record = self._describe(update)
        token = _current.set(record)
        try:
            with topics.handling(update):
                await self._in_turn(self._chat_of(update), record, coroutine)
        except Exception:
            record.outcome = ERROR
            raise
        finally:
            _current.reset(token)
            fields = record.fields((time.monotonic() - record.started) * 1000)
            log.info(
                "update %s %s %s %s %s ms %s",
                fields["update_id"],
                fields["kind"],
                fields["feature"],
                fields["chat_type"] or "-",
                fields["latency_ms"],
                fields["outcome"],
                extra={"update": fields},
            )

    async def _in_turn(
        self, key: Hashable | None, record: UpdateRecord, coroutine: Awaitable[Any]
    ) -> None:
        if self._running is None:
            await self.initialize()
        assert self._running is not None
        if key is None:
            async with self._running:
                await coroutine
            return
        queue = self._chats.setdefault(key, _ChatQueue())
        if queue.waiting >= self._max_queued:
            _close(coroutine)
            record.outcome = DROPPED
            log.warning("a chat has %d updates waiting: dropping the newest", queue.waiting)
            return
        queue.waiting += 1
        try:
            async with queue.lock, self._running:
                await coroutine
        finally:
            queue.waiting -= 1
            if queue.waiting == 0:
                del self._chats[key]


def _close(coroutine: Awaitable[Any]) -> None:
    """Discard a coroutine that will never run (without the "never awaited" warning)."""
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
