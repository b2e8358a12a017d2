"""The durable outbox at work: what a crash left undone is replayed at start, and what failed
is retried every minute for a while. Features register their effects in ``register``
(``handlers/membership/effects.py``, ``handlers/mydata.py``); see :mod:`bot.outbox`."""

from __future__ import annotations

from datetime import timedelta

from bot.services import get_services
from bot.tg.app import AnyApplication
from handlers.kit.common import Context

OUTBOX_JOB = "membership-outbox"


async def _tick(context: Context) -> None:
    await get_services(context).outbox.run_pending()


async def on_startup(application: AnyApplication) -> None:
    """Replay what a crash left undone, then keep retrying what failed for a while."""
    outbox = get_services(application).outbox
    await outbox.recover()
    await outbox.run_pending()
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _tick,
            interval=timedelta(minutes=1),
            first=timedelta(minutes=1),
            name=OUTBOX_JOB,
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )


def register(application: AnyApplication) -> None:
    """Nothing to wire: the outbox has no Telegram handlers of its own."""
