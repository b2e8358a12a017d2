"""What a handler's update surely carries (handlers/kit/given.py): the part, typed as present;
a part the update lacks fails as the bare attribute access it replaces did."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from telegram import CallbackQuery, Update, User

from handlers.errors import fingerprint
from handlers.kit import given
from handlers.kit.given import MissingPart


def pressed(data: str) -> Update:
    """A button press, as Telegram sends it for a message too old to carry its content."""
    lan = User(5001, "Lan", is_bot=False)
    return Update(41, callback_query=CallbackQuery("q1", lan, "instance", data=data))


def test_a_button_press_gives_its_query_and_the_presser() -> None:
    update = pressed("rv:a:7")
    assert given.query(update).data == "rv:a:7"
    assert given.user(update).first_name == "Lan"


def test_a_part_the_update_lacks_fails_as_an_attribute_error_that_names_it() -> None:
    update = pressed("rv:a:7")  # no message under the button, so no chat either
    with pytest.raises(MissingPart, match="update 41 has no chat"):
        given.chat(update)
    with pytest.raises(AttributeError, match="update 41 has no message"):
        given.text(update)
    with pytest.raises(AttributeError, match="update 42 has no callback query"):
        given.query(Update(42))


def test_handlers_missing_a_part_are_told_apart_in_the_admins_error_reports() -> None:
    def caught(reader: Callable[[Update], object]) -> MissingPart:
        with pytest.raises(MissingPart) as raised:
            reader(Update(43))
        return raised.value

    def one_handler(update: Update) -> object:
        return given.user(update)

    def another_handler(update: Update) -> object:
        return given.user(update)

    first, again, other = caught(one_handler), caught(one_handler), caught(another_handler)
    assert fingerprint(first) == fingerprint(again)  # reported once
    assert fingerprint(first) != fingerprint(other)  # not hidden behind the first
