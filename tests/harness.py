"""The real application, polling the local Bot API emulator in-process, for end-to-end tests."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.config import Config, parse_config
from bot.kb.knowledge import KnowledgeBase
from bot.kb.learned import knowledge_base, read_contents
from bot.kb.loader import Contents
from bot.kb.service import KnowledgeService
from bot.services import Services, get_services
from bot.storage import Database
from bot.texts import Catalog
from bot.tg.runtime import serve, start_polling_in_process, stop_in_process
from emulator import BotApiEmulator
from emulator.client import EmulatedGroup, EmulatedUser
from hoibot.app import build_application

ROOT = Path(__file__).parent.parent
ADMIN_ID = 1001
SECOND_ADMIN_ID = 1002
MEMBER_ID = 2001
# idle(): how many checks in a row, one event-loop turn apart, must find nothing going on.
IDLE_TURNS = 3
IDLE_POLL_SECONDS = 0.005
# Knowledge folders read and built this session (a few: most tests use the shipped one).
KNOWLEDGE_KEPT = 4


def make_config(tmp_path: Path, emulator: BotApiEmulator, **overrides: Any) -> Config:
    """A config for the emulator: two admins, a temporary database, the shipped knowledge."""
    raw: dict[str, Any] = {
        "telegram": {"token": emulator.token, "base_url": emulator.base_url},
        "admins": [ADMIN_ID, SECOND_ADMIN_ID],
        "database": str(tmp_path / "hoibot.sqlite3"),
        "knowledge_dir": str(ROOT / "knowledge"),
    }
    raw.update(overrides)
    return parse_config(raw, env={})


_catalogs: dict[str, Catalog] = {}
_knowledge: OrderedDict[tuple[object, ...], tuple[Contents, KnowledgeBase]] = OrderedDict()


# The secretariat's group of the stories (its chat id, a supergroup's).
OFFICE_GROUP = -1009876543210


def office_group(emulator: BotApiEmulator, admin: EmulatedUser, *,
                 forum: bool = False) -> EmulatedGroup:
    """The secretariat's group, "Văn phòng Hội", with ``admin`` an administrator in it
    (give its id to :func:`make_config` as ``admin_chat_id``)."""
    group = emulator.group(OFFICE_GROUP, "Văn phòng Hội", forum=forum)
    group.add_member(admin, "administrator")
    return group


def _folder_state(folder: Path) -> tuple[object, ...]:
    """What a knowledge folder holds, as far as a change goes: every file's path, size, mtime."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return (
        folder.resolve(),
        *((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in files),
    )


def services_for(config: Config, clock: Clock | None = None) -> Services:
    """The services a new bot process creates (``Services.create``), with the catalog and an
    unchanged knowledge folder read and built once per test session: that reading is most of
    what a start costs, and tests start the bot hundreds of times. A folder a test changed is
    read again, as a new process would. ``clock``: the bot's time (a ``StoppedClock``), else
    the real one."""
    language = config.default_language
    if language not in _catalogs:
        _catalogs[language] = Catalog.load(default_language=language)
    folder = Path(config.knowledge_dir)
    state = _folder_state(folder)
    if state in _knowledge:
        _knowledge.move_to_end(state)
    else:
        contents = read_contents(folder)  # raises KnowledgeError for a broken folder
        _knowledge[state] = (contents, knowledge_base(contents))
        while len(_knowledge) > KNOWLEDGE_KEPT:
            _knowledge.popitem(last=False)
    contents, kb = _knowledge[state]
    return Services.create(
        config,
        Database(config.database),
        texts=_catalogs[language],
        knowledge=KnowledgeService(folder, kb, contents),
        clock=clock,
    )


class BotHarness:
    """Starts, stops and restarts the bot in the test's event loop, on one database.

    Given the emulator it polls, ``await harness.idle()`` waits until nothing is going on.
    Given a ``clock`` (a ``bot.clock.StoppedClock``), every start reads the time from it.
    """

    def __init__(
        self, config: Config, emulator: BotApiEmulator | None = None, clock: Clock | None = None
    ) -> None:
        self.config = config
        self.emulator = emulator
        self.clock = clock
        self.application: Any = None

    @property
    def services(self) -> Services:
        return get_services(self.application)

    async def start(self) -> None:
        """Build a fresh application (as a new process would) and start polling."""
        services = services_for(self.config, self.clock)
        self.application = build_application(self.config, services=services)
        await start_polling_in_process(self.application, poll_timeout=0.5)

    async def stop(self) -> None:
        """Stop gracefully, as on SIGTERM."""
        if self.application is not None:
            await stop_in_process(self.application)
            self.application = None

    async def restart(self, **config_changes: Any) -> None:
        """Stop and start again on the same database (optionally with config changes)."""
        await self.stop()
        if config_changes:
            self.config = dataclasses.replace(self.config, **config_changes)
        await self.start()

    async def idle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has fetched and handled every update the emulator queued and has
        no request, task or due job left: what it has not done by then, it will not do until
        a user acts or a timer comes due. Assert "nothing happened" after this, not a sleep."""
        if self.emulator is None:
            raise RuntimeError("idle() needs the emulator: BotHarness(config, emulator)")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        still = 0
        while still < IDLE_TURNS:
            if self.emulator.quiet and not self.busy():
                still += 1
                await asyncio.sleep(0)
                continue
            still = 0
            if loop.time() > deadline:
                raise TimeoutError(f"the bot was still busy after {timeout}s")
            await asyncio.sleep(IDLE_POLL_SECONDS)

    def busy(self) -> bool:
        """Whether the bot has an update, a task or a job in hand (or a job due now)."""
        application = self.application
        if application is None or not application.running:
            return False
        if application.update_queue.qsize():
            return True
        if application.update_processor.current_concurrent_updates:
            return True
        if any(not task.done() for task in _ptb_tasks(application)):
            return True
        now = datetime.now(UTC)
        return any(job.next_t is not None and job.next_t <= now for job in _scheduled(application))

    async def __aenter__(self) -> BotHarness:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


def _ptb_tasks(application: Any) -> list[asyncio.Future[Any]]:
    """What PTB is running for the bot: the tasks of ``create_task`` (updates handled
    concurrently, broadcasts, error handlers) and the jobs being run. PTB keeps both in private
    sets it offers no accessor for; a PTB release that renames them fails here, loudly."""
    tasks = application._Application__create_task_tasks
    jobs = application.job_queue._executor._pending_futures if application.job_queue else ()
    return [*tasks, *jobs]


def _scheduled(application: Any) -> list[Any]:
    """The jobs waiting in the job queue (none before the scheduler runs)."""
    if application.job_queue is None or not application.job_queue.scheduler.running:
        return []
    return list(application.job_queue.jobs())


@asynccontextmanager
async def webhook_bot(config: Config) -> AsyncIterator[None]:
    """The bot in webhook mode, started and stopped as ``hoibot run`` does it."""
    stop, ready = asyncio.Event(), asyncio.Event()
    application = build_application(config, services=services_for(config))
    serving = asyncio.create_task(serve(application, config, stop, ready))
    started = asyncio.create_task(ready.wait())
    await asyncio.wait({serving, started}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if serving.done():
        started.cancel()
        serving.result()  # the start-up failure, raised here
    try:
        yield
    finally:
        stop.set()
        await serving
