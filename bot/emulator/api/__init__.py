"""The emulated Bot API methods."""

from bot.emulator.api import bot, chats, messages
from bot.emulator.api.registry import METHODS, SENDING

__all__ = ["METHODS", "SENDING", "bot", "chats", "messages"]
