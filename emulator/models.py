"""What the emulator remembers: API calls, chats, and the messages the bot sent."""

from dataclasses import dataclass, field
from typing import Any, NamedTuple

JSON = dict[str, Any]


class Call(NamedTuple):
    """One Bot API request as the bot made it."""

    method: str  # canonical spelling, e.g. "sendMessage", whatever case the bot used
    params: JSON  # decoded: ints, bools, dicts and lists as Telegram reads them
    time: float  # time.monotonic() when it arrived


@dataclass(frozen=True, slots=True)
class Button:
    """An inline keyboard button."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A file the bot sent."""

    filename: str | None
    content: bytes
    caption: str | None
    mime_type: str | None


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file known by file_id: uploaded by the bot or sent by an emulated user."""

    file_id: str
    file_unique_id: str
    filename: str | None
    content: bytes
    mime_type: str | None


@dataclass(slots=True, eq=False)
class SentMessage:
    """A message the bot sent, as the user sees it now (edits update it in place)."""

    chat_id: int
    message_id: int
    raw: JSON  # the Message object Telegram returned for it, refreshed on every edit
    text: str  # plain text (or caption) after parsing the markup
    html: str  # the raw text or caption the bot sent, markup included
    parse_mode: str | None
    entities: list[JSON]
    reply_markup: JSON | None
    document: Document | None = None
    params: JSON = field(default_factory=dict)  # the request's parameters
    edited: bool = False
    edit_count: int = 0
    deleted: bool = False

    def make_old(self, hours: float = 72) -> None:
        """Date the message ``hours`` back, as if it had been sent then (Telegram's 48-hour
        rules then apply: presses of its buttons carry no content, it cannot be deleted)."""
        self.raw["date"] = int(self.raw["date"] - hours * 3600)

    @property
    def thread_id(self) -> int | None:
        """The forum topic the message is in (None: not in a topic, e.g. a forum's General)."""
        return self.raw.get("message_thread_id") if self.raw.get("is_topic_message") else None

    @property
    def buttons(self) -> list[list[Button]]:
        """The inline keyboard, row by row (empty without one)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
        ]

    @property
    def button_texts(self) -> list[str]:
        """The inline keyboard's button texts, row after row."""
        return [button.text for row in self.buttons for button in row]

    def button(self, key: str | tuple[int, int]) -> Button:
        """Find a button by its text, its callback_data or its (row, column)."""
        rows = self.buttons
        if isinstance(key, tuple):
            row, column = key
            return rows[row][column]
        for row_buttons in rows:
            for button in row_buttons:
                if key in (button.text, button.callback_data):
                    return button
        raise LookupError(f"no button {key!r} in message {self.message_id}: {self.button_texts}")


@dataclass(slots=True, eq=False)
class InviteLink:
    """A chat invite link the bot created."""

    chat_id: int
    link: JSON  # the ChatInviteLink object


@dataclass(slots=True, eq=False)
class ChatState:
    """A chat the emulator knows: a user's private chat with the bot, or a group."""

    id: int
    info: JSON  # the Chat object embedded in messages
    peer: JSON | None = None  # for a private chat: the user
    bot_status: str = "member"
    started: bool = True  # whether the user ever started the bot
    blocked: bool = False
    deactivated: bool = False
    join_request_until: float = 0.0  # the bot may write to a requester until then
    next_message_id: int = 1
    log: list[SentMessage] = field(default_factory=list)  # every bot message, oldest first
    sent: dict[int, SentMessage] = field(default_factory=dict)  # live bot messages by id
    received: dict[int, JSON] = field(default_factory=dict)  # users' messages by id
    members: dict[int, str] = field(default_factory=dict)  # user id -> member status
    join_requests: dict[int, str] = field(default_factory=dict)  # user id -> request state
    topics: dict[int, str] = field(default_factory=dict)  # a forum's topics: thread id -> name

    @property
    def is_private(self) -> bool:
        """Whether this is a user's private chat with the bot."""
        return self.peer is not None

    @property
    def is_forum(self) -> bool:
        """Whether this is a supergroup with topics (a forum)."""
        return bool(self.info.get("is_forum"))

    def new_message_id(self) -> int:
        """The next message id in this chat (ids grow per chat, as in Telegram)."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def find(self, message_id: int) -> JSON | None:
        """The Message object with this id, whoever sent it, or None."""
        sent = self.sent.get(message_id)
        return sent.raw if sent is not None else self.received.get(message_id)
