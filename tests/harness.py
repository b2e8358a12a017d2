"""The real application, polling the local Bot API emulator in-process, for end-to-end tests."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.config import Config, parse_config
from bot.emulator import BotApiEmulator
from bot.services import Services, get_services
from bot.tg.runtime import serve, start_polling_in_process, stop_in_process
from hoibot.app import build_application

ROOT = Path(__file__).parent.parent
ADMIN_ID = 1001
SECOND_ADMIN_ID = 1002
MEMBER_ID = 2001


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


class BotHarness:
    """Starts, stops and restarts the bot in the test's event loop, on one database."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.application: Any = None

    @property
    def services(self) -> Services:
        return get_services(self.application)

    async def start(self) -> None:
        """Build a fresh application (as a new process would) and start polling."""
        self.application = build_application(self.config)
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

    async def __aenter__(self) -> BotHarness:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


@asynccontextmanager
async def webhook_bot(config: Config) -> AsyncIterator[None]:
    """The bot in webhook mode, started and stopped as ``hoibot run`` does it."""
    stop, ready = asyncio.Event(), asyncio.Event()
    serving = asyncio.create_task(serve(build_application(config), config, stop, ready))
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
