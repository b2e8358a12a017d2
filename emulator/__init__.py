"""A local Telegram Bot API emulator: the real bot runs against it, tests act as its users.

    async with BotApiEmulator() as emu:              # serves on a free loopback port
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
        ...                                          # start the bot, polling the emulator
        lan = emu.user(7, "Lan")                     # a user and her private chat
        await lan.send("/start")                     # queues a message update
        reply = await lan.next_message()             # what the bot answered (SentMessage)
        await lan.press(reply, "Đăng ký")            # queues a callback_query update
        await lan.wait_for(lambda m: m.edited)       # wakes on new or edited messages
        await lan.next_change()                      # the next new or edited message, once

Sends are checked as Telegram checks them (markup, lengths, buttons, reachability);
emu.fail() injects the errors Telegram gives under load or failure (429, 403, 5xx, timeouts);
await harness.idle() (tests/harness.py) rests on emu.quiet: every update fetched, no request open.
Only what HoiBot calls is emulated: HTML or plain text, no Markdown; no file downloads.
"""

from emulator.client import ChatView, EmulatedGroup, EmulatedUser
from emulator.entities import ParseError
from emulator.errors import ApiError
from emulator.models import Button, Call, Document, SentMessage
from emulator.server import BotApiEmulator

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "Button",
    "Call",
    "ChatView",
    "Document",
    "EmulatedGroup",
    "EmulatedUser",
    "ParseError",
    "SentMessage",
]
