"""The emulated Bot API methods."""

from emulator.api import bot, chats, messages
from emulator.api.registry import METHODS, SENDING

__all__ = ["METHODS", "SENDING", "bot", "chats", "messages"]
