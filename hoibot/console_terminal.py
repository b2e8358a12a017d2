"""``hoibot console`` in a terminal: prompt_toolkit reads the lines, the bot runs beside it.

On a terminal the prompt has line editing and history, and the bot's messages are printed
above the line being typed (``patch_stdout``); Ctrl-C and Ctrl-D end the console at once.
With a pipe on stdin (a script, a test) each line is typed after the bot answered the one
before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import stat
import sys
from collections.abc import AsyncIterator, Iterator

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory
from prompt_toolkit.patch_stdout import patch_stdout

from bot.config import Config
from bot.flood import FloodGuard, FloodPolicy
from bot.tg.runtime import start_polling_in_process, stop_in_process
from emulator import BotApiEmulator
from handlers import guard
from hoibot.app import build_application
from hoibot.console import HELP, Console, Typed, console_config

HISTORY_FILE = "console-history"


@contextlib.contextmanager
def _logging_above_the_prompt() -> Iterator[None]:
    """Send log lines through patch_stdout's stderr too, so they never cut the typed line."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.__stderr__
    ]
    for handler in handlers:
        handler.setStream(sys.stderr)
    try:
        yield
    finally:
        for handler in handlers:
            handler.setStream(sys.__stderr__)


async def _interactive(console: Console, config: Config) -> None:
    """Read lines at a prompt until /quit, Ctrl-D or Ctrl-C."""
    history = config.database.parent / HISTORY_FILE
    session: PromptSession[str] = PromptSession(history=FileHistory(str(history)))
    console.start_watching()
    try:
        with patch_stdout(), _logging_above_the_prompt():
            while True:
                try:
                    line = await session.prompt_async("> ")
                except (EOFError, KeyboardInterrupt):
                    return
                if await console.handle(line) is Typed.QUIT:
                    return
    finally:
        await console.stop_watching()


async def _piped_lines() -> AsyncIterator[str]:
    """Lines from stdin when it is not a terminal, read without a thread."""
    if not stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode) and not sys.stdin.isatty():
        for line in sys.stdin:  # a regular file or /dev/null: reading it never waits
            yield line
        return
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        yield line.decode("utf-8", errors="replace")


async def _main(config: Config) -> None:
    async with BotApiEmulator() as emulator:
        config = console_config(config, emulator)
        config.database.parent.mkdir(parents=True, exist_ok=True)
        # The users exist before the bot starts, as real admins have opened a chat with it.
        console = Console(emulator, config)
        application = build_application(config)
        # One person at a local terminal: the flood limit (meant for Telegram's crowds) would
        # only mute a newcomer pasting a script.
        application.bot_data[guard.FLOOD_KEY] = FloodGuard(FloodPolicy(burst=1_000_000))
        await start_polling_in_process(application, poll_timeout=1.0)
        try:
            console.print(
                f"HoiBot offline console (no Telegram, data in {config.database}).\n{HELP}"
            )
            console.start_watching()
            await console.handle("/start")
            if sys.stdin.isatty() and sys.stdout.isatty():
                await _interactive(console, config)
            else:
                await console.settle()
                await console.run(_piped_lines())
        finally:
            # End the bot's long poll now rather than when it times out.
            emulator.release_poller()
            await stop_in_process(application)


def run_console(config: Config) -> int:
    """``hoibot console``: chat with the bot in the terminal."""
    # The console is for talking; the bot's own logging would drown the conversation.
    logging.getLogger().setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(config))
    return 0
