"""The durable broadcast sender: every recipient served at most once, at Telegram's pace.

The delivery rows of a broadcast are written before anything is sent (see
:meth:`AnnouncementRepository.start_run`). For each row the sender commits 'sending', makes
the request, then commits the outcome. A crash between the two leaves 'sending', which the
next start turns into 'unknown': the Bot API has no idempotency key, so an unknown send is
reported, never repeated blindly.

Outcomes (the sender is given a ``classify`` function that reads a failed send's error;
``bot.tg.announcements.delivery.classify`` reads python-telegram-bot's):

- 429 (``RetryAfter``): the whole broadcast pauses for ``retry_after``; the row is retried.
- 403 (``Forbidden``: blocked, deactivated): 'unreachable', and the user is marked so.
- 400 (``BadRequest``: chat not found, ...): 'failed'.
- The request certainly never reached the server (connect error or connect timeout, no free
  connection in the pool) or the server answered 500/502: retried with bounded exponential
  backoff, then 'failed'.
- The request may have reached the server (read or write timeout, connection dropped while
  waiting for the answer, 504 gateway timeout): 'unknown'. Retrying would risk a duplicate.

Several sends are kept in flight (bounded concurrency) while a pacer spaces their starts at
``1 / messages_per_second``; outcomes are committed in small group-commit batches, and each
worker waits for its outcome to be committed before it takes its next recipient.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.announcements.split import Part, split_message
from bot.storage import utcnow
from bot.storage.announcements import (
    CANCELLED,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    UNKNOWN,
    UNREACHABLE,
    AnnouncementRepository,
    Broadcast,
    Delivery,
    DeliveryUpdate,
)

log = logging.getLogger(__name__)

SendPart = Callable[[int, Part], Awaitable[object]]
# What a failed send means (bot/tg/announcements/delivery.py reads the Bot API's errors).
Classify = Callable[[BaseException], "Classified"]
ShouldStop = Callable[[], bool]

# How often waits look up to see whether the bot is stopping.
_STOP_POLL_SECONDS = 0.25


class Verdict(enum.Enum):
    """What a failed send means for its delivery row."""

    PAUSE = "pause"  # 429: pause the broadcast, then retry the row
    RETRY = "retry"  # certainly not delivered: retry with backoff
    UNREACHABLE = "unreachable"
    FAILED = "failed"
    UNKNOWN = "unknown"  # may have been delivered: never retried
    FATAL = "fatal"  # nothing can be sent (bad token): stop the broadcast


@dataclass(frozen=True)
class Classified:
    verdict: Verdict
    reason: str
    retry_after: float = 0.0


@dataclass(frozen=True)
class SenderSettings:
    messages_per_second: float
    concurrency: int = 0  # 0: derived from the rate
    max_attempts: int = 5
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 8.0
    page_size: int = 500

    @property
    def workers(self) -> int:
        """Sends in flight: enough to cover ~0.3 s of latency at the rate, within limits."""
        if self.concurrency > 0:
            return self.concurrency
        return max(2, min(MAX_CONCURRENCY, math.ceil(self.messages_per_second * 0.3)))

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        return min(self.max_backoff_seconds, self.backoff_seconds * 2.0 ** (attempt - 1))


# Sends in flight at most. Six cover 30/s up to 200 ms of Bot API latency. More would cost:
# with httpx, httpcore checked every pooled connection on each request, so against the local
# emulator (where the bot's CPU is the limit) 4-6 in flight sent fastest and 12 was 20% slower.
MAX_CONCURRENCY = 6
# Fraction of the configured rate kept free for timing jitter (see Pacer).
PACING_MARGIN = 0.02


class Pacer:
    """Spaces the starts of sends at ``1 / rate`` and pauses them all after a 429.

    The spacing keeps a small margin under the rate: a request leaves a few milliseconds
    after its slot (the claim is committed first), and at exactly the limit that jitter alone
    would put 31 sends into some one-second window of a strict limiter and earn a 429.
    """

    def __init__(
        self, rate: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.interval = 1.0 / (rate * (1.0 - PACING_MARGIN))
        self._clock = clock
        self._next = 0.0
        self._resume_at = 0.0
        self.pauses = 0

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends before ``seconds`` from now."""
        self.pauses += 1
        self._resume_at = max(self._resume_at, self._clock() + seconds)

    async def slot(self, should_stop: ShouldStop) -> bool:
        """Wait for the next free send slot; False if the bot is stopping."""
        while True:
            if should_stop():
                return False
            now = self._clock()
            at = max(now, self._next, self._resume_at)
            self._next = at + self.interval
            if at <= now:
                return True
            while (remaining := at - self._clock()) > 0:
                await asyncio.sleep(min(remaining, _STOP_POLL_SECONDS))
                if should_stop():
                    return False
            if self._resume_at <= at:
                return True
            # A 429 arrived while this slot was waiting: queue again behind the pause.


class _Journal:
    """Group commit of claims and outcomes: one transaction for whatever is waiting.

    A claim returns once committed (the send may then start). An outcome is queued and
    committed in the next transaction, at the latest together with the same worker's next
    claim, so a worker never starts a send before its previous outcome is durable; a crash
    in between leaves that row 'sending', i.e. unknown, never sent twice.
    """

    def __init__(self, repo: AnnouncementRepository, broadcast_id: int) -> None:
        self._repo = repo
        self._broadcast_id = broadcast_id
        self._claims: list[tuple[int, asyncio.Future[bool]]] = []
        self._updates: list[DeliveryUpdate] = []
        self._wake = asyncio.Event()
        self._closing = False
        self._failure: BaseException | None = None
        self._task: asyncio.Task[None] | None = None
        self.transactions = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"journal-{self._broadcast_id}")

    async def close(self) -> None:
        """Commit what is still queued, then stop."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task

    async def claim(self, chat_id: int) -> bool:
        """Commit 'sending' for a row; returns once it is durable (False: the row is gone)."""
        if self._failure is not None:
            raise self._failure
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._claims.append((chat_id, future))
        self._wake.set()
        return await future

    def record(self, update: DeliveryUpdate) -> None:
        """Queue a row's outcome for the next transaction."""
        self._updates.append(update)
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            claims, self._claims = self._claims, []
            updates, self._updates = self._updates, []
            if claims or updates:
                await self._commit(claims, updates)
            if self._closing and not self._claims and not self._updates:
                return

    async def _commit(
        self, claims: list[tuple[int, asyncio.Future[bool]]], updates: list[DeliveryUpdate]
    ) -> None:
        try:
            claimed = await self._repo.journal(
                self._broadcast_id,
                claims=[chat_id for chat_id, _ in claims],
                updates=updates,
                now=utcnow(),
            )
        except Exception as exc:
            log.exception("broadcast %s: could not record deliveries", self._broadcast_id)
            self._failure = exc
            for _, future in claims:
                if not future.done():
                    future.set_exception(exc)
        else:
            self.transactions += 1
            for chat_id, future in claims:
                if not future.done():
                    future.set_result(chat_id in claimed)


@dataclass(frozen=True)
class BroadcastReport:
    """What the admin who sent an announcement is told."""

    broadcast_id: int
    recipients: int
    delivered: int
    failed: int
    unreachable: int
    unknown: int
    pending: int
    started_at: datetime
    finished_at: datetime | None
    cancelled: int = 0  # not sent because an admin stopped the broadcast

    @property
    def duration(self) -> timedelta:
        end = self.finished_at or utcnow()
        return end - self.started_at


async def report_for(repo: AnnouncementRepository, broadcast: Broadcast) -> BroadcastReport:
    """Count a broadcast's delivery rows by outcome."""
    counts = await repo.counts(broadcast.id)
    return BroadcastReport(
        broadcast_id=broadcast.id,
        recipients=sum(counts.values()),
        delivered=counts.get(SENT, 0),
        failed=counts.get(FAILED, 0),
        unreachable=counts.get(UNREACHABLE, 0),
        unknown=counts.get(UNKNOWN, 0),
        pending=counts.get(PENDING, 0) + counts.get(SENDING, 0),
        started_at=broadcast.started_at,
        finished_at=broadcast.finished_at,
        cancelled=counts.get(CANCELLED, 0),
    )


class FatalSendError(Exception):
    """Nothing can be sent (the Bot API refuses the token): the broadcast stops, resumable."""


class Sender:
    """Works through the pending rows of one broadcast."""

    def __init__(
        self,
        repo: AnnouncementRepository,
        send: SendPart,
        settings: SenderSettings,
        *,
        classify: Classify,
        pacer: Pacer | None = None,
    ) -> None:
        self.repo = repo
        self.send = send
        self.settings = settings
        self.classify = classify
        self.pacer = pacer or Pacer(settings.messages_per_second)
        self.sent_messages = 0

    async def run(self, broadcast: Broadcast, should_stop: ShouldStop = lambda: False) -> bool:
        """Send every pending row; True when the broadcast is finished, False if stopped."""
        parts = split_message(broadcast.text, broadcast.entities)
        journal = _Journal(self.repo, broadcast.id)
        journal.start()
        queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=self.settings.workers * 4)
        stopping = False

        def stop_now() -> bool:
            nonlocal stopping
            stopping = stopping or should_stop()
            return stopping

        async def produce() -> None:
            after: int | None = None
            while not stop_now():
                page = await self.repo.pending_deliveries(
                    broadcast.id, after_chat_id=after, limit=self.settings.page_size
                )
                if not page:
                    break
                for row in page:
                    await queue.put(row)
                after = page[-1].chat_id
            for _ in range(self.settings.workers):
                await queue.put(None)

        async def work() -> None:
            while (row := await queue.get()) is not None:
                if stop_now():
                    continue  # drain the queue; the row stays pending for the next start
                await self._deliver(row, parts, journal, stop_now)

        try:
            # A task group: if one worker fails (bad token, database error) the others are
            # cancelled too; a send cut short stays 'sending' and counts as unknown.
            async with asyncio.TaskGroup() as group:
                group.create_task(produce())
                for _ in range(self.settings.workers):
                    group.create_task(work())
        except BaseExceptionGroup as failure:
            raise failure.exceptions[0] from None
        finally:
            await journal.close()
        if stopping:
            return False
        counts = await self.repo.counts(broadcast.id)
        if counts.get(PENDING, 0) or counts.get(SENDING, 0):
            return False
        await self.repo.finish_broadcast(broadcast.id, utcnow())
        return True

    async def _deliver(
        self, row: Delivery, parts: list[Part], journal: _Journal, should_stop: ShouldStop
    ) -> None:
        """Send the remaining parts of one row, recording each outcome."""
        part, attempts = row.part, row.attempts
        while part < len(parts):
            if not await self.pacer.slot(should_stop):
                return
            if not await journal.claim(row.chat_id):
                return  # the recipient erased their data (/forget) meanwhile
            try:
                await self.send(row.chat_id, parts[part])
            except Exception as error:
                outcome = self.classify(error)
                if outcome.verdict is Verdict.PAUSE:
                    log.info("429 from the Bot API: pausing for %.1f s", outcome.retry_after)
                    self.pacer.pause(outcome.retry_after)
                    journal.record(DeliveryUpdate(row.chat_id, PENDING, part, attempts))
                    continue
                if outcome.verdict is Verdict.FATAL:
                    journal.record(DeliveryUpdate(row.chat_id, PENDING, part, attempts))
                    raise FatalSendError(outcome.reason) from error
                attempts += 1
                if outcome.verdict is Verdict.RETRY and attempts < self.settings.max_attempts:
                    journal.record(
                        DeliveryUpdate(row.chat_id, PENDING, part, attempts, outcome.reason)
                    )
                    if not await _sleep(self.settings.backoff(attempts), should_stop):
                        return
                    continue
                status = {
                    Verdict.UNREACHABLE: UNREACHABLE,
                    Verdict.UNKNOWN: UNKNOWN,
                }.get(outcome.verdict, FAILED)
                log.info("delivery to %s: %s (%s)", row.chat_id, status, outcome.reason)
                journal.record(
                    DeliveryUpdate(row.chat_id, status, part, attempts, outcome.reason)
                )
                return
            part += 1
            self.sent_messages += 1
            status = SENT if part == len(parts) else PENDING
            journal.record(DeliveryUpdate(row.chat_id, status, part, attempts))


async def _sleep(seconds: float, should_stop: ShouldStop) -> bool:
    """Sleep, waking early (False) if the bot is stopping."""
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        if should_stop():
            return False
        await asyncio.sleep(min(remaining, _STOP_POLL_SECONDS))
    return not should_stop()
