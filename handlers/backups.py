"""The daily backup: a checked copy of the database at ``backups.time``, the oldest rotated out."""

from __future__ import annotations

import asyncio
import logging

from bot.ops.backups import rotate, take_backup
from bot.ops.health import record_error
from bot.services import get_services
from bot.tg.app import AnyApplication
from handlers.kit.common import Context
from handlers.kit.notify import notify_admins

log = logging.getLogger(__name__)
JOB_NAME = "daily-backup"


async def daily_backup(context: Context) -> None:
    """Take today's backup and keep the newest ``backups.keep``; tell the admins on failure."""
    config = get_services(context).config
    folder = config.backup_dir
    try:
        made = await asyncio.to_thread(take_backup, config.database, folder, config.tz)
        removed = await asyncio.to_thread(rotate, folder, config.backups.keep)
    except Exception as exc:  # a full disk, a lost mount...: the admins must hear of it
        log.error("the daily backup failed: %s", exc)
        record_error(context.application, exc)
        await notify_admins(context, "ops.backup_failed", error=str(exc), folder=str(folder))
        return
    log.info("daily backup %s (%d KiB), %d old removed", made.path, made.size // 1024, len(removed))


def register(application: AnyApplication) -> None:
    """Nothing to handle: the job is scheduled at start."""


async def on_startup(application: AnyApplication) -> None:
    """Schedule the daily backup in the association's time zone."""
    config = get_services(application).config
    if application.job_queue is None:
        raise RuntimeError("the daily backup needs PTB's job queue")
    application.job_queue.run_daily(
        daily_backup,
        time=config.backups.time.replace(tzinfo=config.tz),
        name=JOB_NAME,
        # Run even if the bot was busy at the minute (APScheduler's default drops it after 1 s).
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )
