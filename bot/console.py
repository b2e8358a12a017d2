"""The offline console: the local Bot API emulator and the real bot in one process, and a
terminal chat in which a newcomer talks to the bot as a member or as an admin, no token needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import sys
from typing import Any, TextIO

from bot.app import build_application
from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.runtime import start_polling_in_process, stop_in_process

CONSOLE_ADMIN_ID = 1
CONSOLE_MEMBER_ID = 100_000_001

HELP = """Type a message or a command (/start, /help, ...) and press Enter.
  <number>           press that button of the latest message with buttons
  /as admin          type as the secretariat's admin
  /as member         type as a member of the public
  /joinrequest       ask to join the members' group (when members_group_id is set)
  /quit              leave the console"""


def console_config(config: Config, emulator: BotApiEmulator) -> Config:
    """The configured bot, pointed at the emulator, on a console database of its own."""
    admins = config.admins or (CONSOLE_ADMIN_ID,)
    return dataclasses.replace(
        config,
        telegram=dataclasses.replace(
            config.telegram,
            token=emulator.token,
            base_url=emulator.base_url,
            webhook=dataclasses.replace(config.telegram.webhook, url=""),
        ),
        admins=admins,
        database=config.database.with_name("console.sqlite3"),
    )


def render(message: Any, first_button: int) -> tuple[str, list[Any]]:
    """A bot message as terminal text, its buttons numbered from ``first_button``."""
    lines = [f"🤖 {'(edited) ' if message.edited else ''}{message.text}"]
    if message.document is not None:
        lines.append(f"   📎 {message.document.filename} ({len(message.document.content)} bytes)")
    buttons = [button for row in message.buttons for button in row]
    number = first_button
    for row in message.buttons:
        cells = []
        for button in row:
            cells.append(f"[{number}] {button.text}")
            number += 1
        lines.append("   " + "   ".join(cells))
    return "\n".join(lines), buttons


class Console:
    """The terminal chat loop over an emulator."""

    def __init__(self, emulator: BotApiEmulator, config: Config, out: TextIO = sys.stdout) -> None:
        self.emulator = emulator
        self.out = out
        self.admin = emulator.user(config.admins[0], first_name="Văn phòng Hội", language_code="vi")
        self.guest = emulator.user(CONSOLE_MEMBER_ID, first_name="Khách", language_code="vi")
        self.user = self.guest
        self.members_group = (
            emulator.group(config.members_group_id, title="Hội viên")
            if config.members_group_id is not None
            else None
        )
        self.buttons: list[tuple[Any, Any]] = []  # (message, button) of the latest keyboard
        self.unread: dict[int, list[Any]] = {}  # messages for the persona not being typed as

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def watch(self, who: Any) -> None:
        """Print every message the bot sends to ``who`` as it arrives."""
        while True:
            try:
                message = await who.next_message(timeout=3600)
            except TimeoutError:
                continue
            if who is not self.user:
                self.unread.setdefault(who.id, []).append(message)
                self.print(f"   (message for {who.user['first_name']}, type /as to switch)")
                continue
            self.show(message)

    def show(self, message: Any) -> None:
        """Print one bot message; its buttons become the ones numbers press."""
        text, buttons = render(message, 1)
        if buttons:
            self.buttons = [(message, button) for button in buttons]
        self.print(text)

    async def handle(self, line: str) -> bool:
        """Act on one typed line; False when the user leaves."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        if line.startswith("/as"):
            who = line[3:].strip()
            self.user = self.admin if who == "admin" else self.guest
            self.print(f"— you are now {self.user.user['first_name']} (id {self.user.id})")
            for message in self.unread.pop(self.user.id, []):
                self.show(message)
            return True
        if line == "/joinrequest":
            if self.members_group is None:
                self.print("— no members_group_id is configured")
            else:
                await self.user.request_join(self.members_group)
            return True
        if line == "/console":
            self.print(HELP)
            return True
        if line.isdigit() and self.buttons:
            index = int(line) - 1
            if 0 <= index < len(self.buttons):
                message, button = self.buttons[index]
                if button.callback_data is None:
                    self.print(f"— this button opens {button.url}")
                else:
                    await self.user.press(message, button.callback_data)
                return True
        await self.user.send(line)
        return True

    async def run(self, lines: Any) -> None:
        """Read lines from the async iterator ``lines`` until it ends or the user quits."""
        watchers = [asyncio.create_task(self.watch(who)) for who in (self.admin, self.guest)]
        try:
            async for line in lines:
                if not await self.handle(line):
                    break
                # Let the bot answer before the next prompt, so output does not interleave.
                await asyncio.sleep(0.3)
        finally:
            for task in watchers:
                task.cancel()
            await asyncio.gather(*watchers, return_exceptions=True)


async def _stdin_lines() -> Any:
    loop = asyncio.get_running_loop()
    while True:
        try:
            line = await loop.run_in_executor(None, input, "> ")
        except EOFError:
            return
        yield line


async def _main(config: Config) -> None:
    async with BotApiEmulator() as emulator:
        config = console_config(config, emulator)
        # The users exist before the bot starts, as real admins have opened a chat with it.
        console = Console(emulator, config)
        application = build_application(config)
        await start_polling_in_process(application, poll_timeout=1.0)
        try:
            console.print(
                f"HoiBot offline console (no Telegram, data in {config.database}).\n{HELP}"
            )
            await console.handle("/start")
            await console.run(_stdin_lines())
        finally:
            await stop_in_process(application)


def run_console(config: Config) -> int:
    """``hoibot console``: chat with the bot in the terminal."""
    # The console is for talking; the bot's own logging would drown the conversation.
    logging.getLogger().setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(config))
    return 0
