"""Shared fixtures: the local Bot API emulator."""

from collections.abc import AsyncIterator

import pytest

from bot.emulator import BotApiEmulator


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A started emulator on a free loopback port, stopped after the test."""
    async with BotApiEmulator() as emu:
        yield emu
