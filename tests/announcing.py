"""What the announcement tests do as people: an admin composing, subscribers being set up."""

from __future__ import annotations

from pathlib import Path

from bot.storage import Database
from bot.storage.announcements import AnnouncementRepository
from bot.storage.users import UserRepository
from emulator import EmulatedUser, SentMessage


def has_button(data: str):
    """A predicate: the message carries an inline button with this callback data."""

    def check(message: SentMessage) -> bool:
        return any(button.callback_data == data for row in message.buttons for button in row)

    return check


async def press(user: EmulatedUser, data: str, timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Press the newest button with this callback data in the user's chat."""
    message = await user.wait_for(has_button(data), timeout)
    await user.press(message, data)


async def compose(
    admin: EmulatedUser,
    text: str,
    *,
    entities: list[dict] | None = None,
    audience: str = "subscribers",
    when: str = "now",
    typed: str | None = None,
    timeout: float = 10.0,  # noqa: ASYNC109
) -> None:
    """/announce through to the confirm button, as an admin does it."""
    await admin.send("/announce")
    await admin.send(text, entities=entities or [])
    await press(admin, f"an:aud:{audience}", timeout)
    await press(admin, f"an:when:{when}", timeout)
    if typed is not None:
        await admin.wait_for(lambda m: "<code>" in m.html or "e.g." in m.text, timeout)
        await admin.send(typed)
    await press(admin, "an:ok", timeout)


async def seed_subscribers(database: Path, user_ids: list[int]) -> None:
    """Users who subscribed earlier (written before the bot starts, as a previous run would)."""
    db = Database(database)
    await db.open()
    users = UserRepository(db)
    for user_id in user_ids:
        await users.seen(user_id, first_name=f"Hội viên {user_id}", language_code="vi")
        await users.set_subscribed(user_id, True)
    await db.close()


async def delivery_states(database: Path) -> dict[int, str]:
    """chat id -> delivery state, over every broadcast in the database."""
    db = Database(database)
    await db.open()
    repo = AnnouncementRepository(db)
    states: dict[int, str] = {}
    broadcast_id = 1
    while (broadcast := await repo.get_broadcast(broadcast_id)) is not None:
        for row in await repo.deliveries(broadcast.id):
            states[row.chat_id] = row.status
        broadcast_id += 1
    await db.close()
    return states
