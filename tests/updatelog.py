"""The bot's per-update log lines, collected so a test can wait for an update to be handled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Fields = dict[str, Any]


class UpdateLog(logging.Handler):
    """Collects the ``update`` fields of every ``hoibot.updates`` line."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[Fields] = []
        self._changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, "update", None)
        if fields is not None:
            self.lines.append(fields)
            self._changed.set()

    def matching(self, **expected: Any) -> list[Fields]:
        """The lines whose fields have these values."""
        return [f for f in self.lines if all(f.get(k) == v for k, v in expected.items())]

    async def wait_for(
        self,
        predicate: Callable[[list[Fields]], bool],
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> None:
        """Until predicate(lines) holds: each handled update re-checks it."""
        async with asyncio.timeout(timeout):
            while not predicate(self.lines):
                self._changed.clear()
                await self._changed.wait()


@contextmanager
def update_log() -> Iterator[UpdateLog]:
    """Collect the per-update lines while the block runs."""
    logger = logging.getLogger("hoibot.updates")
    handler = UpdateLog()
    old_level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
