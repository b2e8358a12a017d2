"""Emulated Telegram users and groups: they send updates to the bot and read what it sent."""

import re
import time
from collections.abc import Callable
from typing import Any

from emulator import objects
from emulator.entities import utf16_len
from emulator.models import JSON, ChatState, SentMessage
from emulator.state import JOIN_REQUEST_WINDOW, MESSAGE_ACCESS_WINDOW, World

# A command as Telegram marks it: '/' at a word start, up to 32 characters, maybe '@botname'.
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@/])")
_PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64  # stands in for photos and stickers users send


def command_entities(text: str) -> list[JSON]:
    """bot_command entities for the commands in text, with UTF-16 offsets like Telegram's."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


class ChatView:
    """What the bot sent into one chat, and ways to wait for more."""

    def __init__(self, world: World, chat: ChatState) -> None:
        self._world = world
        self._chat = chat
        self._cursor = 0  # how many bot messages next_message has handed out
        self._change_cursor = 0  # how many bot messages next_change has handed out
        self._seen_edits: dict[int, int] = {}  # message_id -> edit_count next_change handed out

    @property
    def id(self) -> int:
        """The chat id."""
        return self._chat.id

    def _bot_status_changed(self, by: JSON, old: str, new: str) -> None:
        """Tell the bot its status in this chat went from ``old`` to ``new`` (my_chat_member),
        the change made by user ``by``."""
        bot = self._world.bot_user
        self._world.push_update(
            "my_chat_member",
            {
                "chat": self._chat.info,
                "from": by,
                "date": int(time.time()),
                "old_chat_member": objects.chat_member(bot, old),
                "new_chat_member": objects.chat_member(bot, new),
            },
        )

    @property
    def state(self) -> ChatState:
        """The emulator's record of this chat."""
        return self._chat

    @property
    def messages(self) -> list[SentMessage]:
        """The bot's messages in this chat that are still there, oldest first."""
        return [message for message in self._chat.log if not message.deleted]

    @property
    def last_message(self) -> SentMessage | None:
        """The bot's latest message still in this chat."""
        return next((m for m in reversed(self._chat.log) if not m.deleted), None)

    @property
    def delivered(self) -> int:
        """How many messages the bot has sent into this chat (deleted ones included)."""
        return len(self._chat.log)

    def _summary(self) -> str:
        texts = [m.text[:60] for m in self._chat.log[-3:]]
        return f"{len(self._chat.log)} message(s) so far, the last ones: {texts}"

    # Timeout arguments (not asyncio.timeout) keep the test-facing API short.
    async def next_message(self, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The next bot message that no earlier next_message call returned, waiting for it."""
        log = self._chat.log
        try:
            await self._world.wait_until(lambda: len(log) > self._cursor, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"chat {self.id}: no new message from the bot within {timeout}s; {self._summary()}"
            ) from None
        self._cursor += 1
        return log[self._cursor - 1]

    def _pending_change(self) -> SentMessage | None:
        for message in self._chat.log[: self._change_cursor]:
            if not message.deleted and message.edit_count > self._seen_edits[message.message_id]:
                return message
        log = self._chat.log
        while len(log) > self._change_cursor and log[self._change_cursor].deleted:
            self._change_cursor += 1
        return log[self._change_cursor] if len(log) > self._change_cursor else None

    def _take(self, message: SentMessage) -> SentMessage:
        if message.message_id not in self._seen_edits:
            self._change_cursor += 1
        self._seen_edits[message.message_id] = message.edit_count
        return message

    def poll_change(self) -> SentMessage | None:
        """What next_change would return now, without waiting: None when nothing changed."""
        message = self._pending_change()
        return None if message is None else self._take(message)

    async def next_change(self, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The next bot message here that is new, or edited since next_change last returned it.

        What a chat window would redraw: edits of shown messages first, then new messages in
        order, each as it is now (several edits come as one); deleted ones are skipped.
        """
        try:
            message = await self._world.wait_until(self._pending_change, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"chat {self.id}: nothing new or edited from the bot within {timeout}s; "
                f"{self._summary()}"
            ) from None
        return self._take(message)

    async def wait_for(
        self,
        predicate: Callable[[SentMessage], Any],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> SentMessage:
        """The newest bot message here that satisfies predicate, re-checked on every send/edit."""

        def match() -> SentMessage | None:
            return next(
                (m for m in reversed(self._chat.log) if not m.deleted and predicate(m)), None
            )

        try:
            return await self._world.wait_until(match, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"chat {self.id}: no bot message matched within {timeout}s; {self._summary()}"
            ) from None


class EmulatedUser(ChatView):
    """A Telegram user: talks to the bot in their private chat (or a group) and presses buttons."""

    @property
    def user(self) -> JSON:
        """The User object Telegram sends for this user."""
        peer = self._chat.peer
        assert peer is not None  # a user's view is of their private chat, whose peer they are
        return peer

    def _target(self, chat: ChatView | None) -> ChatState:
        target = self._chat if chat is None else chat.state
        if target.is_private:
            if target.id != self.id:
                raise PermissionError(f"user {self.id} cannot write in user {target.id}'s chat")
            if target.blocked or target.deactivated:
                raise RuntimeError(f"user {self.id} has blocked the bot or is deactivated")
        else:
            status = target.members.setdefault(self.id, "member")
            if status not in objects.PRESENT:
                raise PermissionError(f"user {self.id} is not in chat {target.id} ({status})")
        return target

    async def _post(
        self,
        content: JSON,
        chat: ChatView | None,
        reply_to: SentMessage | JSON | None,
        topic: int | None = None,
    ) -> JSON:
        target = self._target(chat)
        replied = reply_to.raw if isinstance(reply_to, SentMessage) else reply_to
        message = self._world.add_user_message(target, self.user, content, replied, topic)
        target.started = True  # writing to a bot means having started it
        if target.is_private or target.bot_status not in ("left", "kicked"):
            self._world.push_update("message", message)  # a bot not in a group hears nothing
        return message

    async def send(
        self,
        text: str,
        *,
        chat: ChatView | None = None,
        entities: list[JSON] | None = None,
        reply_to: SentMessage | JSON | None = None,
        topic: int | None = None,
    ) -> JSON:
        """Send a text message (commands get their bot_command entities), into a forum's
        ``topic`` if given (see :meth:`EmulatedGroup.create_topic`); returns the Message."""
        content: JSON = {"text": text}
        found = command_entities(text) if entities is None else entities
        if found:
            content["entities"] = found
        return await self._post(content, chat, reply_to, topic)

    async def send_service(self, content: JSON, *, chat: ChatView, topic: int | None) -> JSON:
        """A service message this user's action makes in a group (a topic opened, ...)."""
        return await self._post(content, chat, None, topic)

    async def send_photo(
        self,
        caption: str | None = None,
        *,
        chat: ChatView | None = None,
        reply_to: SentMessage | JSON | None = None,
    ) -> JSON:
        """Send a photo, optionally with a caption (and as a reply)."""
        stored = self._world.store_file("photo.jpg", _PNG, "image/jpeg")
        content: JSON = {"photo": objects.photo(stored)}
        if caption:
            content["caption"] = caption
        return await self._post(content, chat, reply_to)

    async def send_sticker(self, emoji: str = "👍", *, chat: ChatView | None = None) -> JSON:
        """Send a sticker."""
        stored = self._world.store_file("sticker.webp", _PNG, "image/webp")
        return await self._post({"sticker": objects.sticker(stored, emoji)}, chat, None)

    async def send_document(
        self,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        chat: ChatView | None = None,
    ) -> JSON:
        """Send a file; the bot sees its name, size and type."""
        stored = self._world.store_file(filename, content, mime_type)
        message: JSON = {"document": objects.document(stored)}
        if caption:
            message["caption"] = caption
        return await self._post(message, chat, None)

    async def edit(self, message: JSON, text: str) -> JSON:
        """Edit one of this user's text messages; the bot gets an edited_message update."""
        chat = self._world.chats[message["chat"]["id"]]
        if chat.received.get(message["message_id"]) is None or message["from"]["id"] != self.id:
            raise LookupError("only an existing message of this user can be edited")
        edited = {**message, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        if found := command_entities(text):
            edited["entities"] = found
        chat.received[message["message_id"]] = edited
        self._world.push_update("edited_message", edited)
        return edited

    async def press(self, message: SentMessage, button: str | tuple[int, int]) -> str:
        """Press an inline button (by text, callback_data or (row, col)); returns the query id."""
        if message.deleted:
            raise LookupError(f"message {message.message_id} was deleted")
        chat = self._world.chats[message.chat_id]
        if chat.is_private and chat.id != self.id:
            raise PermissionError(f"user {self.id} cannot see chat {chat.id}")
        if not chat.is_private and chat.members.get(self.id) not in objects.PRESENT:
            raise PermissionError(f"user {self.id} is not in chat {chat.id}")
        pressed = message.button(button)
        if pressed.callback_data is None:
            raise ValueError(f"button {pressed.text!r} sends no callback (it opens {pressed.url})")
        return self._callback(message, pressed.callback_data)

    async def press_data(self, message: SentMessage, data: str) -> str:
        """Press a button that is not there: any callback data on a bot message (a forged or
        stale press, as a modified client can send); returns the query id."""
        chat = self._world.chats[message.chat_id]
        if chat.is_private and chat.id != self.id:
            raise PermissionError(f"user {self.id} cannot see chat {chat.id}")
        return self._callback(message, data)

    def _callback(self, message: SentMessage, data: str) -> str:
        """Send the bot a callback_query for ``data`` pressed on ``message``; its id."""
        query_id = self._world.new_id("")
        shown = message.raw
        if time.time() - shown["date"] > MESSAGE_ACCESS_WINDOW:
            shown = {"chat": shown["chat"], "message_id": message.message_id, "date": 0}
        query = {
            "id": query_id,
            "from": self.user,
            "message": shown,
            "chat_instance": f"{message.chat_id}",
            "data": data,
        }
        self._world.callback_queries[query_id] = query
        self._world.callback_pressed_at[query_id] = time.monotonic()
        self._world.push_update("callback_query", query)
        return query_id

    async def request_join(self, group: ChatView, *, bio: str | None = None) -> JSON:
        """Ask to join a group; the bot gets a chat_join_request and may write to us for 5 min."""
        chat = group.state
        if chat.members.get(self.id) in objects.PRESENT:
            raise RuntimeError(f"user {self.id} is already in chat {chat.id}")
        chat.join_requests[self.id] = "pending"
        self._chat.join_request_until = time.monotonic() + JOIN_REQUEST_WINDOW
        request: JSON = {
            "chat": chat.info,
            "from": self.user,
            "user_chat_id": self.id,
            "date": int(time.time()),
        }
        if bio:
            request["bio"] = bio
        self._world.push_update("chat_join_request", request)
        return request

    async def block_bot(self) -> None:
        """Block the bot: sends then fail with 403, and the bot gets a my_chat_member update."""
        self._chat.blocked = True
        self._bot_status_changed(self.user, "member", "kicked")

    async def unblock_bot(self) -> None:
        """Unblock the bot (announced by a my_chat_member update)."""
        self._chat.blocked = False
        self._bot_status_changed(self.user, "kicked", "member")

    def deactivate(self) -> None:
        """Delete this account: sends then fail with 403 'user is deactivated'."""
        self._chat.deactivated = True


class EmulatedGroup(ChatView):
    """A group, supergroup or channel the bot administers."""

    @property
    def title(self) -> str:
        """The chat's title."""
        title: str = self._chat.info["title"]
        return title

    def add_member(self, user: EmulatedUser, status: str = "member") -> None:
        """Put a user in the group with a status (creator, administrator, member, ...)."""
        self._chat.members[user.id] = status

    def member_status(self, user: EmulatedUser) -> str | None:
        """A user's status in the group, or None if they never were in it."""
        return self._chat.members.get(user.id)

    def join_request_state(self, user: EmulatedUser) -> str | None:
        """'pending', 'approved' or 'declined'; None if the user never asked."""
        return self._chat.join_requests.get(user.id)

    @property
    def invite_links(self) -> list[JSON]:
        """The invite links the bot created for this group, as ChatInviteLink objects."""
        return [i.link for i in self._world.invite_links.values() if i.chat_id == self.id]

    async def create_topic(self, name: str, *, by: EmulatedUser) -> int:
        """A user opens a topic in this forum; returns its ``message_thread_id`` (the id of
        the "topic created" service message, which the bot receives, as in Telegram)."""
        chat = self._chat
        if not chat.is_forum:
            raise ValueError(f"chat {chat.id} has no topics")
        topic = chat.next_message_id
        chat.topics[topic] = name
        created = {"forum_topic_created": {"name": name, "icon_color": 7322096}}
        await by.send_service(created, chat=self, topic=topic)
        return topic

    async def add_bot(self, *, by: EmulatedUser, status: str = "member") -> None:
        """A user adds the bot to this chat; the bot gets a my_chat_member update."""
        self._chat.bot_status = status
        self._chat.members.setdefault(by.id, "administrator")
        self._bot_status_changed(by.user, "left", status)

    async def remove_bot(self, *, by: EmulatedUser, kicked: bool = True) -> None:
        """An admin removes the bot: later sends fail with 403; the bot gets my_chat_member."""
        old = self._chat.bot_status
        self._chat.bot_status = "kicked" if kicked else "left"
        self._bot_status_changed(by.user, old, self._chat.bot_status)
