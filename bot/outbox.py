"""The durable outbox: what follows a decision is done once, even through a crash.

A decision (approve, reject, withdraw, revoke) commits its effects ("tell the applicant",
"let them into the members' group", "update the admins' copies", ...) as outbox rows in the
same transaction as the decision itself. :meth:`Outbox.run_pending` then runs them, oldest
first, right after the commit and again at every start; each row is marked ``running``
(committed) before its effect starts and ``done`` after it succeeded.

A row found ``running`` at start was interrupted: its effect may or may not have happened.
An effect registered ``repeatable`` (editing a message, approving or declining a join
request, removing someone from a group: doing it twice changes nothing) is simply run
again. Any other (sending a message: the Bot API has no idempotency key) is never repeated:
it becomes ``unknown`` and its ``on_unknown`` callback tells the admins to check.

The core knows nothing of Telegram: features register their effects by name.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.storage.outbox import OutboxEntry, OutboxRepository, OutboxStatus

log = logging.getLogger(__name__)

Run = Callable[[dict[str, Any]], Awaitable[None]]
MAX_ATTEMPTS = 5


class RetryLater(Exception):
    """Raised by an effect that certainly did not happen (e.g. the connection was refused):
    it is tried again later, up to ``MAX_ATTEMPTS`` times."""


@dataclass(frozen=True)
class EffectSpec:
    run: Run
    repeatable: bool
    on_unknown: Run | None = None


class Outbox:
    """Runs the journalled effects of decisions, each once."""

    def __init__(self, repository: OutboxRepository) -> None:
        self.repository = repository
        self._effects: dict[str, EffectSpec] = {}
        self._lock = asyncio.Lock()

    def register(
        self, name: str, run: Run, *, repeatable: bool, on_unknown: Run | None = None
    ) -> None:
        """Declare how to carry out the effect ``name`` (see the module's docstring)."""
        self._effects[name] = EffectSpec(run, repeatable, on_unknown)

    async def recover(self) -> list[OutboxEntry]:
        """At start: rerun interrupted repeatable effects, mark the others unknown (and call
        their ``on_unknown``). Returns the entries marked unknown."""
        unknown = []
        for entry in await self.repository.interrupted():
            spec = self._effects.get(entry.effect)
            if spec is not None and spec.repeatable:
                await self.repository.finish(entry.id, OutboxStatus.PENDING)
                continue
            await self.repository.finish(entry.id, OutboxStatus.UNKNOWN, "interrupted")
            log.warning("outbox %s (%s) was interrupted: outcome unknown", entry.id, entry.effect)
            unknown.append(entry)
            if spec is not None and spec.on_unknown is not None:
                try:
                    await spec.on_unknown(entry.payload)
                except Exception:
                    log.exception("on_unknown of outbox %s failed", entry.id)
        return unknown

    async def run_pending(self) -> int:
        """Run every pending effect, oldest first; how many were done."""
        done = 0
        async with self._lock:
            for entry in await self.repository.pending():
                if await self._run(entry):
                    done += 1
        return done

    async def _run(self, entry: OutboxEntry) -> bool:
        spec = self._effects.get(entry.effect)
        if spec is None:
            return False  # registered by a feature not loaded now: left for later
        if not await self.repository.claim(entry.id):
            return False
        try:
            await spec.run(entry.payload)
        except RetryLater as exc:
            failed = entry.attempts + 1 >= MAX_ATTEMPTS
            status = OutboxStatus.FAILED if failed else OutboxStatus.PENDING
            log.info("outbox %s (%s): %s, %s", entry.id, entry.effect, exc, status)
            await self.repository.finish(entry.id, status, str(exc)[:200])
            return False
        except Exception as exc:
            # Not known to be undone: a repeatable effect may try again, another is unknown.
            log.exception("outbox %s (%s) failed", entry.id, entry.effect)
            again = spec.repeatable and entry.attempts + 1 < MAX_ATTEMPTS
            if again:
                status = OutboxStatus.PENDING
            else:
                status = OutboxStatus.FAILED if spec.repeatable else OutboxStatus.UNKNOWN
            await self.repository.finish(entry.id, status, type(exc).__name__)
            if status is OutboxStatus.UNKNOWN and spec.on_unknown is not None:
                await spec.on_unknown(entry.payload)
            return False
        await self.repository.finish(entry.id, OutboxStatus.DONE)
        return True
