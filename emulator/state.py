"""The emulated Telegram: users, chats, messages, the update queue, and waiting on changes."""

import asyncio
import itertools
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from emulator.errors import bad_request, conflict, forbidden
from emulator.models import JSON, Call, ChatState, InviteLink, SentMessage, StoredFile

T = TypeVar("T")

# Telegram's default when allowed_updates was never given or given as [].
DEFAULT_UPDATES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post",
        "business_connection", "business_message", "edited_business_message",
        "deleted_business_messages", "inline_query", "chosen_inline_result", "callback_query",
        "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer",
        "my_chat_member", "chat_join_request", "chat_boost", "removed_chat_boost",
    }
)  # fmt: skip
# A join request lets the bot write to the requester for this long (Bot API: 5 minutes).
JOIN_REQUEST_WINDOW = 300.0
# A button press can be answered for this long; later answerCallbackQuery gets 400 "query is
# too old" (Telegram does not document the figure: bots report 10-15 s). A press made while
# the bot was down reaches it after a restart already too old to answer.
CALLBACK_ANSWER_WINDOW = 15.0
# A message older than this shows no content in a press of its buttons (the press carries an
# InaccessibleMessage: chat, id, date 0), and the bot can no longer delete it.
MESSAGE_ACCESS_WINDOW = 48 * 3600
_CHAT_KINDS = {"group": "group chat", "supergroup": "supergroup chat", "channel": "channel chat"}


class World:
    """Everything the emulated Telegram knows, shared by the HTTP side and the emulated users."""

    def __init__(self, token: str, bot_user_id: int, bot_username: str, bot_name: str) -> None:
        self.token = token
        self.bot_user: JSON = {
            "id": bot_user_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.strict_html = True
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, ChatState] = {}
        self.calls: list[Call] = []
        self.callback_queries: dict[str, JSON] = {}
        self.callback_answers: dict[str, JSON] = {}
        self.callback_pressed_at: dict[str, float] = {}  # query id -> time.monotonic()
        self.callback_answer_window = CALLBACK_ANSWER_WINDOW
        self.files: dict[str, StoredFile] = {}
        self.webhook: JSON | None = None
        self.invite_links: dict[str, InviteLink] = {}
        self.allowed_updates = DEFAULT_UPDATES
        self._usernames: dict[str, ChatState] = {}
        self._updates: deque[JSON] = deque()
        self._next_update_id = 1
        self._serial = itertools.count(1)
        self._poller: asyncio.Future[bool] | None = None
        self._answering = 0  # requests being answered now, long polls included
        self._waiting_polls = 0  # long polls waiting for an update
        self._changed: asyncio.Event | None = None

    # -- waiting on changes -------------------------------------------------------------------

    def notify(self) -> None:
        """Wake everything waiting on a change; costs nothing while nobody waits."""
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    # A timeout argument (not asyncio.timeout) keeps the test-facing API short.
    async def wait_until(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        what: str | None = None,
    ) -> T:
        """Return predicate()'s first truthy value, re-checked on every change of state."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what or predicate}")
            if self._changed is None:
                self._changed = asyncio.Event()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue  # one last look at the predicate before giving up

    @property
    def long_polling(self) -> bool:
        """Whether a getUpdates long poll is waiting for an update now."""
        return self._waiting_polls > 0

    @property
    def quiet(self) -> bool:
        """Every queued update was fetched and confirmed, and no request is being answered
        but a long poll waiting for updates: the bot has been told all there is to tell."""
        return not self._updates and self._answering <= self._waiting_polls

    def new_id(self, prefix: str) -> str:
        """A fresh identifier for files, callback queries and invite links."""
        return f"{prefix}{next(self._serial):06d}"

    # -- updates ------------------------------------------------------------------------------

    def push_update(self, kind: str, payload: JSON) -> JSON | None:
        """Queue an update for the bot; None when allowed_updates filters it out, as Telegram."""
        if kind not in self.allowed_updates:
            return None
        return self.add_update({kind: payload})

    def add_update(self, update: JSON) -> JSON:
        """Queue a raw update, giving it the next update_id unless it has one."""
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._updates.append(update)
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(True)
        self.notify()
        return update

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates the bot has not confirmed yet, oldest first."""
        return list(self._updates)

    def drop_updates(self) -> None:
        """Forget every pending update (deleteWebhook with drop_pending_updates)."""
        self._updates.clear()
        self.notify()

    def confirm_updates(self, offset: int) -> None:
        """Forget the updates that getUpdates' offset confirms, as Telegram does."""
        updates = self._updates
        if offset < 0:
            while len(updates) > -offset:
                updates.popleft()
        else:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        self.notify()

    async def wait_for_updates(self, seconds: float) -> None:
        """Long poll: return when an update is queued or after `seconds`.

        A newer long poll ends an older one with 409 Conflict, as Telegram answers two bots
        polling one token.
        """
        if self._updates or seconds <= 0:
            return
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(False)
        poller = self._poller = asyncio.get_running_loop().create_future()
        self._waiting_polls += 1
        try:
            woken = await asyncio.wait_for(poller, seconds)
        except TimeoutError:
            return
        finally:
            self._waiting_polls -= 1
            if self._poller is poller:
                self._poller = None
        if not woken:
            raise conflict(
                "terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )

    def release_poller(self) -> None:
        """End a waiting long poll without a conflict (the emulator is stopping)."""
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(True)

    # -- users and chats ----------------------------------------------------------------------

    def add_private_chat(self, user: JSON, *, started: bool) -> ChatState:
        """Register a user and their private chat with the bot."""
        self.users[user["id"]] = user
        info: JSON = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                info[key] = user[key]
        chat = ChatState(user["id"], info, peer=user, started=started)
        self._register(chat)
        return chat

    def add_group(
        self, chat_id: int, title: str, kind: str, username: str | None, *, forum: bool = False
    ) -> ChatState:
        """Register a group, supergroup or channel in which the bot is an administrator
        (``forum``: a supergroup with topics)."""
        if kind not in _CHAT_KINDS:
            raise ValueError(f"unknown chat type {kind!r}")
        if forum and kind != "supergroup":
            raise ValueError("only a supergroup can have topics")
        info: JSON = {"id": chat_id, "type": kind, "title": title}
        if username:
            info["username"] = username
        if forum:
            info["is_forum"] = True
        chat = ChatState(chat_id, info, bot_status="administrator")
        self._register(chat)
        return chat

    def _register(self, chat: ChatState) -> None:
        self.chats[chat.id] = chat
        if "username" in chat.info:
            self._usernames[chat.info["username"].lower()] = chat

    def resolve_chat(self, chat_id: Any) -> ChatState:
        """The chat a chat_id parameter names (an id or '@username'), or 400 chat not found."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = (
            self._usernames.get(chat_id[1:].lower())
            if isinstance(chat_id, str) and chat_id.startswith("@")
            else self.chats.get(chat_id)
        )
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def sendable_chat(self, chat_id: Any) -> ChatState:
        """The chat, if the bot may post in it now; otherwise Telegram's 400 or 403."""
        chat = self.resolve_chat(chat_id)
        if chat.is_private:
            if chat.deactivated:
                raise forbidden("user is deactivated")
            if chat.blocked:
                raise forbidden("bot was blocked by the user")
            if not chat.started and time.monotonic() > chat.join_request_until:
                raise forbidden("bot can't initiate conversation with a user")
        elif chat.bot_status in ("left", "kicked"):
            kind = _CHAT_KINDS[chat.info["type"]]
            if chat.bot_status == "kicked":
                raise forbidden(f"bot was kicked from the {kind}")
            raise forbidden(f"bot is not a member of the {kind}")
        return chat

    def user_of(self, user_id: Any) -> JSON:
        """A known user by id, or 400 user not found."""
        user = self.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return user

    # -- messages -----------------------------------------------------------------------------

    def add_user_message(
        self,
        chat: ChatState,
        user: JSON,
        content: JSON,
        reply_to: JSON | None = None,
        topic: int | None = None,
    ) -> JSON:
        """Store a message a user sent into a chat (``topic``: into that forum topic) and
        return its Message object."""
        thread = thread_fields(chat, reply_to, topic)
        message: JSON = {
            "message_id": chat.new_message_id(),
            "from": user,
            "chat": chat.info,
            "date": int(time.time()),
            **thread,
            **content,
        }
        if reply_to is not None:
            message["reply_to_message"] = _without_reply(reply_to)
        chat.received[message["message_id"]] = message
        return message

    def add_bot_message(
        self,
        chat: ChatState,
        content: JSON,
        *,
        html: str,
        params: JSON,
        text: str = "",
        entities: list[JSON] | None = None,
        reply_markup: JSON | None = None,
        reply_to: JSON | None = None,
        document: Any = None,
    ) -> SentMessage:
        """Store a message the bot sent into a chat; returns it with its Message object."""
        thread = thread_fields(chat, reply_to, params.get("message_thread_id"))
        message_id = chat.new_message_id()
        raw: JSON = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": chat.info,
            "date": int(time.time()),
            **thread,
            **content,
        }
        if reply_to is not None:
            raw["reply_to_message"] = _without_reply(reply_to)
        inline = None  # HoiBot sends no reply keyboards: only inline ones are kept
        if reply_markup is not None and "inline_keyboard" in reply_markup:
            inline = raw["reply_markup"] = reply_markup
        sent = SentMessage(
            chat.id,
            message_id,
            raw,
            text,
            html,
            params.get("parse_mode"),
            entities or [],
            inline,
            document,
            params,
        )
        chat.log.append(sent)
        chat.sent[message_id] = sent
        self.notify()
        return sent

    def edit_bot_message(
        self,
        sent: SentMessage,
        content: JSON,
        *,
        reply_markup: JSON | None,
        text: str | None = None,
        html: str | None = None,
        entities: list[JSON] | None = None,
        parse_mode: str | None = None,
    ) -> None:
        """Apply an edit: a new Message object (old updates keep the old one) and new fields."""
        raw = {k: v for k, v in sent.raw.items() if k not in content and k != "reply_markup"}
        raw.update((k, v) for k, v in content.items() if v)  # Telegram omits empty fields
        raw["edit_date"] = int(time.time())
        if reply_markup is not None:
            raw["reply_markup"] = reply_markup
        sent.raw = raw
        sent.reply_markup = reply_markup
        if text is not None:
            sent.text, sent.html, sent.parse_mode = text, html or text, parse_mode
            sent.entities = entities or []
        sent.edited = True
        sent.edit_count += 1
        self.notify()

    def store_file(self, filename: str | None, content: bytes, mime_type: str | None) -> StoredFile:
        """Keep a file under a new file_id."""
        stored = StoredFile(
            self.new_id("file-"), self.new_id("uniq-"), filename, content, mime_type
        )
        self.files[stored.file_id] = stored
        return stored


def thread_fields(chat: ChatState, reply_to: JSON | None, topic: int | None) -> JSON:
    """Where in a supergroup a new message goes, as Telegram marks it.

    In a forum (a supergroup with topics) a message sent into a topic, or replying to a
    message in one, carries the topic as ``message_thread_id`` with ``is_topic_message``;
    without either it is in the General topic. A reply outside any topic carries the id of
    its reply chain's first message as ``message_thread_id``, without ``is_topic_message``:
    that id names no topic, and a send into it is refused ("message thread not found").
    """
    if topic is not None:
        if topic not in chat.topics:
            raise bad_request("message thread not found")
        return {"message_thread_id": topic, "is_topic_message": True}
    if reply_to is None or chat.info.get("type") != "supergroup":
        return {}
    if reply_to.get("is_topic_message"):
        return {"message_thread_id": reply_to["message_thread_id"], "is_topic_message": True}
    return {"message_thread_id": reply_to.get("message_thread_id", reply_to["message_id"])}


def _without_reply(message: JSON) -> JSON:
    """A replied-to message as Telegram embeds it: without its own reply_to_message."""
    if "reply_to_message" not in message:
        return message
    return {k: v for k, v in message.items() if k != "reply_to_message"}
