"""Shared fixtures: the local Bot API emulator, the real bot polling it, emulated users."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Config
from bot.storage import Database
from emulator import BotApiEmulator
from tests.harness import ADMIN_ID, MEMBER_ID, SECOND_ADMIN_ID, BotHarness, make_config

# The sentence encoder (bot/kb/semantic.py) reads a charter's articles in about 10 s: the
# tests of other features (and the bots they start as processes) do without it; those of
# its own switch it on (tests/test_semantic.py).
os.environ.setdefault("HOIBOT_SENTENCE_ENCODER", "off")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """An opened, migrated database in a temporary folder."""
    database = Database(tmp_path / "bot.sqlite3")
    await database.open()
    yield database
    await database.close()


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A started emulator on a free loopback port, stopped after the test."""
    async with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
def config(tmp_path: Path, emulator: BotApiEmulator) -> Config:
    return make_config(tmp_path, emulator)


@pytest.fixture
async def bot(
    config: Config, emulator: BotApiEmulator, admin, admin2
) -> AsyncIterator[BotHarness]:
    """The bot, started after its admins opened a chat with it (as real admins do)."""
    async with BotHarness(config, emulator) as harness:
        yield harness


@pytest.fixture
def member(emulator: BotApiEmulator):
    return emulator.user(MEMBER_ID, first_name="Lan", last_name="Nguyễn", language_code="vi")


@pytest.fixture
def admin(emulator: BotApiEmulator):
    return emulator.user(ADMIN_ID, first_name="Admin", language_code="vi")


@pytest.fixture
def admin2(emulator: BotApiEmulator):
    return emulator.user(SECOND_ADMIN_ID, first_name="Admin Hai", language_code="vi")
