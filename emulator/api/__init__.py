"""The emulated Bot API methods."""

from emulator.api import bot, chats, messages
from emulator.api.registry import METHODS

__all__ = ["METHODS", "bot", "chats", "messages"]
