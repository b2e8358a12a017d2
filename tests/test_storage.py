"""Storage: migrations, WAL, serialised writes, users and forms."""

from __future__ import annotations

import ast
import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import Database, migrations
from bot.storage.forms import FormRepository, FormState
from bot.storage.users import UserRepository


@pytest.fixture
async def db(tmp_path: Path):
    database = Database(tmp_path / "sub" / "bot.sqlite3")
    await database.open()
    yield database
    await database.close()


async def test_opening_applies_every_migration_and_enables_wal(db: Database) -> None:
    assert await db.schema_version() == migrations()[-1][0]
    row = await db.fetchone("PRAGMA journal_mode")
    assert row[0] == "wal"


async def test_reopening_does_not_reapply_migrations(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = Database(path)
    await first.open()
    await UserRepository(first).seen(1, first_name="An")
    await first.close()
    second = Database(path)
    await second.open()
    assert await second.migrate() == []
    assert (await UserRepository(second).get(1)).first_name == "An"
    await second.close()


async def test_failed_transaction_rolls_back(db: Database) -> None:
    users = UserRepository(db)
    await users.seen(1, first_name="An")
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("UPDATE users SET first_name = 'Bình' WHERE id = 1")
            raise RuntimeError("boom")
    assert (await users.get(1)).first_name == "An"


async def test_concurrent_writers_take_turns(db: Database) -> None:
    users = UserRepository(db)
    await asyncio.gather(*(users.seen(i, first_name=f"U{i}") for i in range(200)))
    assert await users.count() == 200


async def test_user_is_recorded_with_first_and_last_seen(db: Database) -> None:
    users = UserRepository(db)
    monday = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    await users.seen(5, first_name="Lan", language_code="en", at=monday)
    first = await users.get(5)
    await users.seen(5, first_name="Lan Anh", language_code="en", at=monday + timedelta(days=1))
    again = await users.get(5)
    assert again.first_name == "Lan Anh"
    assert again.first_seen == first.first_seen
    assert again.first_seen == monday and again.last_seen == monday + timedelta(days=1)
    assert again.first_seen.tzinfo is not None


async def test_chosen_language_wins_over_telegrams(db: Database) -> None:
    users = UserRepository(db)
    await users.seen(5, first_name="Lan", language_code="en-US")
    assert await users.language_of(5) == "en-US"
    await users.set_language(5, "vi")
    assert await users.language_of(5) == "vi"
    assert await users.language_of(999) is None


async def test_a_form_survives_reopening_the_database(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = Database(path)
    await first.open()
    await FormRepository(first).save(
        FormState(user_id=3, chat_id=3, form="join", step="email", data={"name": "Nguyễn <b>"})
    )
    await first.close()
    second = Database(path)
    await second.open()
    state = await FormRepository(second).get(3)
    assert state == FormState(3, 3, "join", "email", {"name": "Nguyễn <b>"})
    await FormRepository(second).clear(3)
    assert await FormRepository(second).get(3) is None
    await second.close()


async def test_subscription_and_reachability_flags(db: Database) -> None:
    users = UserRepository(db)
    await users.seen(9, first_name="Hoa")
    assert not (await users.get(9)).subscribed
    await users.set_subscribed(9, True)
    await users.set_reachable(9, False)
    user = await users.get(9)
    assert user.subscribed and not user.reachable


# The queries' statuses come from the StrEnums (f"status = '{Status.PENDING}'"): a status
# typed as a literal in a query would silently match nothing once the enum's value changes.
STATUS_LITERAL = re.compile(r"\b(?:status|kind)\s*(?:!?=|IN\s*\()\s*'\w", re.IGNORECASE)


def test_no_query_compares_a_status_with_a_typed_literal() -> None:
    storage = Path(__file__).parent.parent / "bot" / "storage"
    typed = []
    for module in sorted(storage.glob("*.py")):  # not the migrations: they are history
        tree = ast.parse(module.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docstrings:
                    found = STATUS_LITERAL.findall(node.value)
                    typed += [f"{module.name}:{node.lineno}: {literal}" for literal in found]
    assert typed == []
