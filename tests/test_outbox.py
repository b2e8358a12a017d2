"""The outbox on its own: effects commit with their decision, run once, and what a crash or
a failure leaves is retried, failed or marked unknown as documented in bot/outbox.py."""

from __future__ import annotations

from typing import Any

import pytest

from bot.outbox import MAX_ATTEMPTS, Outbox, RetryLater
from bot.storage import utcnow
from bot.storage.outbox import OutboxRepository, enqueue


@pytest.fixture
def outbox(db) -> Outbox:
    return Outbox(OutboxRepository(db))


async def statuses(db) -> list[str]:
    return [row[0] for row in await db.fetchall("SELECT status FROM outbox ORDER BY id")]


async def test_effects_roll_back_with_their_decision(db, outbox) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await enqueue(conn, utcnow(), [("tell", {"id": 1})])
            raise RuntimeError("the decision failed")
    assert await statuses(db) == []


async def test_each_effect_runs_once_in_order(db, outbox) -> None:
    done: list[Any] = []

    async def tell(payload: dict[str, Any]) -> None:
        done.append(payload["id"])

    outbox.register("tell", tell, repeatable=False)
    await outbox.repository.add([("tell", {"id": 1}), ("tell", {"id": 2})])
    assert await outbox.run_pending() == 2
    assert await outbox.run_pending() == 0
    assert done == [1, 2]
    assert await statuses(db) == ["done", "done"]


async def test_a_retryable_failure_is_tried_again_then_given_up(db, outbox) -> None:
    async def unreachable(payload: dict[str, Any]) -> None:
        raise RetryLater("connection refused")

    outbox.register("admit", unreachable, repeatable=True)
    await outbox.repository.add([("admit", {})])
    for _ in range(MAX_ATTEMPTS - 1):
        await outbox.run_pending()
        assert await statuses(db) == ["pending"]
    await outbox.run_pending()
    assert await statuses(db) == ["failed"]


async def test_a_message_that_may_have_left_is_unknown_and_reported(db, outbox) -> None:
    reported: list[dict[str, Any]] = []

    async def timed_out(payload: dict[str, Any]) -> None:
        raise TimeoutError("no answer")

    async def unknown(payload: dict[str, Any]) -> None:
        reported.append(payload)

    outbox.register("tell", timed_out, repeatable=False, on_unknown=unknown)
    await outbox.repository.add([("tell", {"id": 7})])
    await outbox.run_pending()
    assert await statuses(db) == ["unknown"]
    assert reported == [{"id": 7}]


async def test_after_a_crash_repeatable_effects_run_again_and_others_become_unknown(
    db, outbox
) -> None:
    ran: list[str] = []
    reported: list[dict[str, Any]] = []

    async def edit(payload: dict[str, Any]) -> None:
        ran.append("edit")

    async def tell(payload: dict[str, Any]) -> None:
        ran.append("tell")

    async def unknown(payload: dict[str, Any]) -> None:
        reported.append(payload)

    outbox.register("edit", edit, repeatable=True)
    outbox.register("tell", tell, repeatable=False, on_unknown=unknown)
    await outbox.repository.add([("edit", {}), ("tell", {"id": 3})])
    for entry in await outbox.repository.pending():  # both started, then the process died
        assert await outbox.repository.claim(entry.id)

    await outbox.recover()
    await outbox.run_pending()
    assert ran == ["edit"]
    assert reported == [{"id": 3}]
    assert await statuses(db) == ["done", "unknown"]
