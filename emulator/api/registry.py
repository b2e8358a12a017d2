"""The table of emulated Bot API methods, looked up case-insensitively like Telegram does."""

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.state import World

Handler = Callable[[World, dict[str, Any]], Any | Awaitable[Any]]

# lower-case name -> (canonical name, handler)
METHODS: dict[str, tuple[str, Handler]] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler as the Bot API method `name`."""

    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = (name, handler)
        return handler

    return register
