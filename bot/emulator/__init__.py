"""A local Telegram Bot API emulator: the real bot runs against it, tests act as its users."""

from bot.emulator.client import ChatView, EmulatedGroup, EmulatedUser
from bot.emulator.entities import ParseError
from bot.emulator.errors import ApiError
from bot.emulator.models import Button, Call, Document, SentMessage
from bot.emulator.server import BotApiEmulator

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
