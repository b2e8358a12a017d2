"""Runs announcements inside the bot: schedules on the job queue, broadcasts as tasks.

Schedules live in SQLite; the job queue only holds the next run of each (one ``run_once``
job named ``announce:<id>``), re-registered at every start. Jobs are added with
``misfire_grace_time=None``: APScheduler's default of one second would silently drop a run
delayed by a busy event loop (PTB #3642). Lateness is judged by
:meth:`AnnouncementService.fire` instead, with the configured grace window.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, cast

from telegram import Message, MessageEntity
from telegram.ext import Application, CallbackContext, JobQueue

from bot.announcements.delivery import BroadcastReport, SenderSettings, report_for
from bot.announcements.service import AnnouncementService
from bot.announcements.split import Part
from bot.storage.announcements import AnnouncementRepository, Broadcast, MissedRuns, Schedule
from bot.tg.announcements.delivery import telegram_sender
from bot.tg.ratelimit import SENDER_HANDLES_RETRY_AFTER

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
RUNNER_KEY = "announcement_runner"
JOB_PREFIX = "announce:"
JOB_KWARGS = {"misfire_grace_time": None, "coalesce": True}

ReportBroadcast = Callable[[Broadcast, BroadcastReport], Awaitable[bool]]
ReportMissed = Callable[[Schedule, MissedRuns], Awaitable[bool]]
ReportStarted = Callable[[Broadcast], Awaitable[None]]


async def send_part(
    application: AnyApplication, chat_id: int, part: Part, *, broadcast: bool = False
) -> Message:
    """Send one part exactly as members see it: the admin's text and entities, no parse mode."""
    message: Message = await application.bot.send_message(
        chat_id=chat_id,
        text=part.text,
        entities=[MessageEntity.de_json(entity, None) for entity in part.entities] or None,
        parse_mode=None,
        rate_limit_args=SENDER_HANDLES_RETRY_AFTER if broadcast else None,
    )
    return message


class BroadcastRunner:
    """Registers schedules with the job queue and runs their broadcasts in the background."""

    def __init__(
        self,
        application: AnyApplication,
        service: AnnouncementService,
        settings: SenderSettings,
        *,
        report: ReportBroadcast,
        report_missed: ReportMissed,
        report_started: ReportStarted | None = None,
    ) -> None:
        self.application = application
        self.service = service
        self.settings = settings
        self._report = report
        self._report_missed = report_missed
        self._report_started = report_started
        self._tasks: dict[int, Any] = {}
        self._to_start: list[Broadcast] = []
        self._stopped: set[int] = set()  # broadcasts an admin stopped

    @property
    def repo(self) -> AnnouncementRepository:
        return self.service.repo

    @property
    def job_queue(self) -> JobQueue[Any]:
        """The application's job queue (the factory's applications have one: job-queue extra)."""
        if self.application.job_queue is None:
            raise RuntimeError("announcements need PTB's job queue")
        return self.application.job_queue

    async def recover(self) -> None:
        """Before polling starts: settle a crash, apply the missed-run policy, and plan the
        broadcasts (interrupted or due) to start once the application runs."""
        recovery = await self.service.recover()
        self._to_start = recovery.broadcasts
        # Broadcasts start once the application runs (its tasks are awaited at stop).
        self.job_queue.run_once(
            self._after_start, when=0, name=f"{JOB_PREFIX}resume", job_kwargs=JOB_KWARGS
        )

    async def _after_start(self, _context: CallbackContext[Any, Any, Any, Any]) -> None:
        for broadcast in self._to_start:
            self.start(broadcast)
            await self._started(broadcast)
        self._to_start = []
        await self.send_pending_reports()

    # Schedules

    async def schedule_all(self) -> None:
        """(Re-)register the next run of every active schedule."""
        for schedule in await self.repo.active_schedules():
            await self.schedule(schedule)

    async def schedule(self, schedule: Schedule) -> datetime | None:
        """Register a schedule's next run with the job queue; its time, or None if done."""
        self.unschedule(schedule.id)
        planned = self.service.next_run(schedule)
        if planned is None:
            await self.repo.complete_schedule(schedule.id)
            return None
        self.job_queue.run_once(
            self._fire,
            when=planned,
            data={"schedule_id": schedule.id, "planned_at": planned.isoformat()},
            name=f"{JOB_PREFIX}{schedule.id}",
            job_kwargs=JOB_KWARGS,
        )
        return planned

    def unschedule(self, schedule_id: int) -> None:
        """Forget a schedule's registered run (it was cancelled, retired or rescheduled)."""
        for job in self.job_queue.get_jobs_by_name(f"{JOB_PREFIX}{schedule_id}"):
            job.schedule_removal()

    async def _fire(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        if context.job is None:
            return
        data = cast(dict[str, Any], context.job.data)
        broadcast = await self.fire(data["schedule_id"], datetime.fromisoformat(data["planned_at"]))
        if broadcast is not None:
            await self._started(broadcast)

    async def _started(self, broadcast: Broadcast) -> None:
        """A broadcast nobody pressed "send now" for started: its progress message (with the
        Stop button) goes where its report will go."""
        if self._report_started is None:
            return
        try:
            await self._report_started(broadcast)
        except Exception:
            log.exception("could not announce the start of broadcast %s", broadcast.id)

    async def fire(self, schedule_id: int, planned_at: datetime) -> Broadcast | None:
        """A run is due: start its broadcast (or report it missed), then plan the next run."""
        fired = await self.service.fire(schedule_id, planned_at)
        if fired.broadcast is not None:
            self.start(fired.broadcast)
        if fired.missed:
            await self.send_pending_reports()
        schedule = await self.repo.get_schedule(schedule_id)
        if schedule is not None and schedule.status == "active":
            await self.schedule(schedule)
        return fired.broadcast

    async def send_now(self, schedule: Schedule) -> Broadcast | None:
        """Start a one-off schedule created to be sent at once."""
        planned = self.service.next_run(schedule)
        if planned is None:
            return None
        return await self.fire(schedule.id, planned)

    # Broadcasts

    def start(self, broadcast: Broadcast) -> None:
        """Send a broadcast in the background (once: a running one is not started again)."""
        task = self._tasks.get(broadcast.id)
        if task is not None and not task.done():
            return
        self._tasks[broadcast.id] = self.application.create_task(
            self._run(broadcast), name=f"broadcast-{broadcast.id}"
        )

    async def stop(self, broadcast_id: int) -> int:
        """An admin stops a broadcast: sends in flight finish, every other delivery is
        cancelled, then the report goes out. Returns how many deliveries were cancelled."""
        self._stopped.add(broadcast_id)
        cancelled = await self.repo.cancel_pending(broadcast_id, self.service.now())
        broadcast = await self.repo.get_broadcast(broadcast_id)
        if broadcast is not None and not self.running(broadcast_id):
            self.start(broadcast)  # not sending in this process: record the end and report
        return cancelled

    def running(self, broadcast_id: int) -> bool:
        """Whether a broadcast is being sent by this process."""
        task = self._tasks.get(broadcast_id)
        return task is not None and not task.done()

    async def _run(self, broadcast: Broadcast) -> None:
        async def send(chat_id: int, part: Part) -> None:
            await send_part(self.application, chat_id, part, broadcast=True)

        sender = telegram_sender(self.repo, send, self.settings)
        log.info("broadcast %s: sending", broadcast.id)
        # A stopping bot lets the sends in flight finish; the rest resume at the next start.
        finished = await sender.run(
            broadcast,
            should_stop=lambda: not self.application.running or broadcast.id in self._stopped,
        )
        if not finished and broadcast.id in self._stopped and self.application.running:
            # Stopped by an admin: its rows are cancelled, so this run only records the end.
            finished = await telegram_sender(self.repo, send, self.settings).run(broadcast)
            self._stopped.discard(broadcast.id)
        log.info(
            "broadcast %s: %s after %d messages",
            broadcast.id,
            "finished" if finished else "paused for shutdown",
            sender.sent_messages,
        )
        if finished:
            await self._send_report(broadcast.id)

    async def _send_report(self, broadcast_id: int) -> None:
        broadcast = await self.repo.get_broadcast(broadcast_id)
        if broadcast is None or broadcast.reported_at is not None:
            return
        report = await report_for(self.repo, broadcast)
        if await self._report(broadcast, report):
            await self.repo.mark_reported(broadcast.id, self.service.now())

    async def send_pending_reports(self) -> None:
        """Reports not sent yet (the bot stopped first) and missed runs not yet reported."""
        for broadcast in await self.repo.unreported_broadcasts():
            if not self.running(broadcast.id):
                await self._send_report(broadcast.id)
        for missed in await self.repo.unreported_missed():
            schedule = await self.repo.get_schedule(missed.schedule_id)
            if schedule is not None and await self._report_missed(schedule, missed):
                await self.repo.mark_missed_reported(missed.id, self.service.now())


def get_runner(application: AnyApplication) -> BroadcastRunner:
    """The running bot's announcement runner."""
    runner: BroadcastRunner = application.bot_data[RUNNER_KEY]
    return runner
