"""The offline console: the local Bot API emulator and the real bot in one process, and a
terminal chat in which a newcomer talks to the bot as a member or as an admin, no token needed.

The chat itself (personas, keyboards, files, replies) is :class:`Console`; the terminal
(prompt_toolkit's line editing and history, with the bot's messages printed above the line
being typed) is :mod:`bot.console_terminal`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import sys
from collections.abc import AsyncIterable
from pathlib import Path
from typing import TextIO

from bot.config import Config
from emulator import BotApiEmulator, Button, EmulatedUser, SentMessage

CONSOLE_ADMIN_ID = 1
CONSOLE_MEMBER_ID = 100_000_001
FILES_FOLDER = "console-files"

HELP = """Console commands (the console answers these, not the bot):
  <number>           press that button of the latest buttons ([1], [2], ...)
  /reply N text      reply to the bot's message marked ↩N (how an admin answers a question)
  /as admin          type as the secretariat's admin;  /as member: a member of the public
  /joinrequest       ask to join the members' group (when members_group_id is set)
  /say text          send text as it is (e.g. a number that should not press a button)
  /console           this list;  /quit (or Ctrl-D, Ctrl-C) leaves"""
HELP_HINT = "— console: <number> presses a button; /reply N text, /as admin|member, /console, /quit"
# A line of at most this many digits presses a button; longer ones (years, phones) are text.
BUTTON_DIGITS = 2


class Typed(enum.Enum):
    """What a typed line did."""

    QUIT = "quit"
    LOCAL = "local"  # the console answered it
    SENT = "sent"  # it went to the bot, which will answer


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
        # The console shows private chats only: the admin reads the secretariat's notices there.
        admin_chat_id=None,
        database=config.database.with_name("console.sqlite3"),
    )


@dataclasses.dataclass(eq=False)
class Keyboard:
    """The buttons numbers press: those of the latest answer, numbered across its messages."""

    buttons: dict[int, tuple[SentMessage, Button]] = dataclasses.field(default_factory=dict)
    next_number: int = 1
    batch_open: bool = False  # messages still arriving for the same answer continue numbering

    def forget(self, message: SentMessage) -> None:
        """Drop a message's buttons (it changed or went away)."""
        for number in [n for n, (m, _) in self.buttons.items() if m is message]:
            del self.buttons[number]

    def add(self, message: SentMessage) -> list[list[tuple[int, Button]]]:
        """Number a message's buttons (a new answer starts again at 1); its rows, numbered."""
        if not self.batch_open:
            self.buttons.clear()
            self.next_number = 1
            self.batch_open = True
        rows = []
        for row in message.buttons:
            numbered = []
            for button in row:
                self.buttons[self.next_number] = (message, button)
                numbered.append((self.next_number, button))
                self.next_number += 1
            rows.append(numbered)
        return rows


@dataclasses.dataclass(eq=False)
class Persona:
    """Someone the console types as, with their own keyboard and unread messages."""

    name: str
    user: EmulatedUser
    keyboard: Keyboard = dataclasses.field(default_factory=Keyboard)
    unread: list[SentMessage] = dataclasses.field(default_factory=list)
    shown_text: dict[int, str] = dataclasses.field(default_factory=dict)  # message_id -> text
    saved: set[int] = dataclasses.field(default_factory=set)  # message_ids whose file is saved


class Console:
    """The terminal chat over an emulator: what is typed goes to the bot as the current persona."""

    def __init__(self, emulator: BotApiEmulator, config: Config, out: TextIO | None = None) -> None:
        self.emulator = emulator
        self._out = out  # None: whatever sys.stdout is when printing (prompt_toolkit patches it)
        self.files = config.database.parent / FILES_FOLDER
        admin = emulator.user(config.admins[0], first_name="Văn phòng Hội", language_code="vi")
        guest = emulator.user(CONSOLE_MEMBER_ID, first_name="Khách", language_code="vi")
        self.personas = {"admin": Persona("admin", admin), "member": Persona("member", guest)}
        self.current = self.personas["member"]
        self.members_group = (
            emulator.group(config.members_group_id, title="Hội viên")
            if config.members_group_id is not None
            else None
        )
        self._activity = asyncio.Event()  # set whenever the console prints a bot message
        self._watchers: list[asyncio.Task[None]] = []
        self._toasts: set[asyncio.Task[None]] = set()

    @property
    def admin(self) -> EmulatedUser:
        """The secretariat's admin the console can type as."""
        return self.personas["admin"].user

    @property
    def guest(self) -> EmulatedUser:
        """The member of the public the console starts as."""
        return self.personas["member"].user

    def print(self, text: str) -> None:
        """Print a line (or several) to the terminal."""
        print(text, file=self._out or sys.stdout, flush=True)

    def notice(self, text: str) -> None:
        """A one-line remark of the console's own (not the bot's)."""
        self.print(f"— {text}")

    # -- the bot's messages ---------------------------------------------------------------------

    def start_watching(self) -> None:
        """Print the bot's messages (new and edited) to every persona as they arrive."""
        if not self._watchers:
            self._watchers = [
                asyncio.create_task(self._watch(persona)) for persona in self.personas.values()
            ]

    async def stop_watching(self) -> None:
        """Stop printing the bot's messages."""
        tasks = [*self._watchers, *self._toasts]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._watchers = []

    async def _watch(self, persona: Persona) -> None:
        while True:
            try:
                message = await persona.user.next_change(timeout=3600)
            except TimeoutError:
                continue
            self._arrived(persona, message)

    def _arrived(self, persona: Persona, message: SentMessage) -> None:
        """A new or edited message: shown to the current persona, kept for the others."""
        if persona is self.current:
            self.show(persona, message)
        elif message not in persona.unread:
            persona.unread.append(message)
            if message.message_id not in persona.shown_text:  # new to them, not an edit
                self.notice(f"a message for {persona.name}: /as {persona.name} to read it")
        self._activity.set()

    def show(self, persona: Persona, message: SentMessage) -> None:
        """Print one bot message; its buttons become the ones numbers press."""
        persona.keyboard.forget(message)
        edited = " (edited)" if message.edited else ""
        head = f"🤖 ↩{message.message_id}{edited}"
        if message.edited and persona.shown_text.get(message.message_id) == message.text:
            lines = [f"{head}: {'new buttons' if message.buttons else 'buttons removed'}"]
        else:
            lines = [f"{head} {message.text}"]
        persona.shown_text[message.message_id] = message.text
        if message.document is not None and message.message_id not in persona.saved:
            persona.saved.add(message.message_id)
            lines.append(f"   📎 {self._save(message)}")
        if message.buttons:
            for row in persona.keyboard.add(message):
                lines.append("   " + "   ".join(f"[{n}] {button.text}" for n, button in row))
        self.print("\n".join(lines))

    def _save(self, message: SentMessage) -> str:
        """Save a file the bot sent under the console's data folder; say where."""
        document = message.document
        assert document is not None
        name = Path(document.filename or f"file-{message.message_id}").name
        path = self.files / name
        counter = 1
        try:
            self.files.mkdir(parents=True, exist_ok=True)
            while path.exists() and path.read_bytes() != document.content:
                counter += 1
                path = self.files / f"{Path(name).stem}-{counter}{Path(name).suffix}"
            path.write_bytes(document.content)
        except OSError as exc:
            return f"{name} ({len(document.content)} bytes) could not be saved: {exc}"
        return f"saved to {path} ({len(document.content)} bytes)"

    # -- what is typed --------------------------------------------------------------------------

    async def handle(self, line: str) -> Typed:
        """Act on one typed line."""
        line = line.strip()
        if not line:
            return Typed.LOCAL
        command, _, rest = line.partition(" ")
        rest = rest.strip()
        if command in ("/quit", "/exit"):
            return Typed.QUIT
        if command == "/console":
            self.print(HELP)
            return Typed.LOCAL
        if command == "/as":
            return self._switch(rest)
        if line.isdigit() and len(line) <= BUTTON_DIGITS:
            return await self._press(int(line))
        if command == "/reply":
            return await self._reply(rest)
        if command == "/joinrequest":
            return await self._join_request()
        if command == "/say":
            if not rest:
                self.notice("usage: /say text, to send the text as it is")
                return Typed.LOCAL
            line = rest
        self.current.keyboard.batch_open = False
        if command.split("@")[0] == "/help":
            self.print(HELP_HINT)
        await self.current.user.send(line)
        return Typed.SENT

    def _switch(self, name: str) -> Typed:
        persona = self.personas.get(name)
        if persona is None:
            self.notice(f"you are {self.current.name}; type /as admin or /as member")
            return Typed.LOCAL
        # Whatever the watchers have not taken yet belongs to the persona being left or joined.
        for other in self.personas.values():
            while (message := other.user.poll_change()) is not None:
                self._arrived(other, message)
        self.current = persona
        user = persona.user.user
        self.notice(f"you are now {user['first_name']} ({persona.name}, id {persona.user.id})")
        unread, persona.unread = persona.unread, []
        persona.keyboard.batch_open = False
        for message in unread:
            if not message.deleted:
                self.show(persona, message)
        return Typed.LOCAL

    async def _press(self, number: int) -> Typed:
        keyboard = self.current.keyboard
        entry = keyboard.buttons.get(number)
        if entry is None:
            if keyboard.buttons:
                choices = f"{min(keyboard.buttons)}–{max(keyboard.buttons)}"
                self.notice(f"no button [{number}] now; the latest buttons are [{choices}]")
            else:
                self.notice(f"no buttons to press; to send {number} as text: /say {number}")
            return Typed.LOCAL
        message, button = entry
        if message.deleted or button not in (b for row in message.buttons for b in row):
            self.notice(f"button [{number}] is gone: its message ↩{message.message_id} changed")
            return Typed.LOCAL
        if button.callback_data is None:
            self.notice(f"this button opens {button.url}")
            return Typed.LOCAL
        keyboard.batch_open = False
        try:
            query_id = await self.current.user.press(message, button.callback_data)
        except (LookupError, PermissionError, ValueError, RuntimeError) as exc:
            self.notice(f"button [{number}] cannot be pressed: {exc}")
            return Typed.LOCAL
        toast = asyncio.create_task(self._toast(query_id))
        self._toasts.add(toast)
        toast.add_done_callback(self._toasts.discard)
        return Typed.SENT

    async def _toast(self, query_id: str) -> None:
        """Print the bot's answer to a press (Telegram's toast or alert), if it has a text."""
        answers = self.emulator.callback_answers
        try:
            answer = await self.emulator.wait_until(lambda: answers.get(query_id), 30)
        except TimeoutError:
            return
        if answer and answer.get("text"):
            self.print(f"🔔 {answer['text']}")
            self._activity.set()

    async def _reply(self, rest: str) -> Typed:
        number, _, text = rest.partition(" ")
        message = self.current.user.state.sent.get(int(number)) if number.isdigit() else None
        if message is None or message.deleted or not text.strip():
            self.notice("usage: /reply N text, to reply to the bot's message marked ↩N above")
            return Typed.LOCAL
        self.current.keyboard.batch_open = False
        await self.current.user.send(text.strip(), reply_to=message)
        return Typed.SENT

    async def _join_request(self) -> Typed:
        if self.members_group is None:
            self.notice("no members_group_id is configured")
            return Typed.LOCAL
        try:
            await self.current.user.request_join(self.members_group)
        except RuntimeError as exc:
            self.notice(str(exc))
            return Typed.LOCAL
        self.current.keyboard.batch_open = False
        return Typed.SENT

    # -- a script of lines ----------------------------------------------------------------------

    async def settle(self, *, first: float = 3.0, quiet: float = 0.3) -> None:
        """Wait for the bot's answer: its first message (up to ``first`` s), then a pause."""
        timeout = first
        while True:
            self._activity.clear()
            try:
                await asyncio.wait_for(self._activity.wait(), timeout)
            except TimeoutError:
                return
            timeout = quiet

    async def run(self, lines: AsyncIterable[str]) -> None:
        """Type lines one by one, each after the bot answered the one before; stop at /quit."""
        self.start_watching()
        try:
            async for line in lines:
                typed = await self.handle(line)
                if typed is Typed.QUIT:
                    break
                if typed is Typed.SENT:
                    await self.settle()
        finally:
            await self.stop_watching()
