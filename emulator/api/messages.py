"""Sending, editing and deleting messages; answers to button presses."""

import time
from dataclasses import replace
from typing import Any

from emulator import objects
from emulator.api.registry import method
from emulator.errors import bad_request
from emulator.formatting import caption_text, message_text
from emulator.keyboards import check_reply_markup
from emulator.models import JSON, ChatState, Document, SentMessage, StoredFile
from emulator.params import Upload
from emulator.state import MESSAGE_ACCESS_WINDOW, World

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _reply_target(world: World, chat: ChatState, p: JSON) -> JSON | None:
    """The message a send replies to (reply_parameters or legacy reply_to_message_id)."""
    reply = p.get("reply_parameters")
    if reply is None and p.get("reply_to_message_id") is not None:
        reply = {
            "message_id": p["reply_to_message_id"],
            "allow_sending_without_reply": p.get("allow_sending_without_reply", False),
        }
    if reply is None:
        return None
    if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
        raise bad_request("can't parse reply parameters JSON object")
    source = chat if reply.get("chat_id") is None else world.resolve_chat(reply["chat_id"])
    target = source.find(reply["message_id"])
    if target is None and not reply.get("allow_sending_without_reply"):
        raise bad_request("message to be replied not found")
    return target


@method("sendMessage")
def send_message(world: World, p: JSON) -> JSON:
    """Send a text message."""
    text, entities = message_text(p, strict_html=world.strict_html)
    markup = check_reply_markup(p.get("reply_markup"))
    chat = world.sendable_chat(p.get("chat_id"))
    content: JSON = {"text": text}
    if entities:
        content["entities"] = entities
    if p.get("link_preview_options"):
        content["link_preview_options"] = p["link_preview_options"]
    sent = world.add_bot_message(
        chat,
        content,
        html=str(p["text"]),
        params=p,
        text=text,
        entities=entities,
        reply_markup=markup,
        reply_to=_reply_target(world, chat, p),
    )
    return sent.raw


def _input_file(world: World, p: JSON, field: str) -> StoredFile:
    """The file a media request sends: an upload, a known file_id or an HTTP URL."""
    value = p.get(field)
    if value is None or value == "":
        raise bad_request(f"there is no {field} in the request")
    if isinstance(value, Upload):
        if not value.content:
            raise bad_request("file must be non-empty")
        return world.store_file(value.filename, value.content, value.mime_type)
    known = world.files.get(str(value))
    if known is not None:
        return known
    if str(value).startswith(("http://", "https://")):
        # Telegram would download it; the emulator keeps the name and no content.
        return world.store_file(str(value).rsplit("/", 1)[-1] or None, b"", None)
    raise bad_request("wrong file identifier/HTTP URL specified")


def _send_media(world: World, p: JSON, field: str, media: Any, stored: StoredFile) -> JSON:
    caption, entities = caption_text(p, strict_html=world.strict_html)
    markup = check_reply_markup(p.get("reply_markup"))
    chat = world.sendable_chat(p.get("chat_id"))
    content: JSON = {field: media}
    if caption:
        content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
    document = Document(stored.filename, stored.content, caption or None, stored.mime_type)
    sent = world.add_bot_message(
        chat,
        content,
        html=str(p.get("caption") or ""),
        params=p,
        text=caption,
        entities=entities,
        reply_markup=markup,
        reply_to=_reply_target(world, chat, p),
        document=document,
    )
    return sent.raw


@method("sendDocument")
def send_document(world: World, p: JSON) -> JSON:
    """Send a file: multipart upload, file_id or URL."""
    stored = _input_file(world, p, "document")
    return _send_media(world, p, "document", objects.document(stored), stored)


@method("sendPhoto")
def send_photo(world: World, p: JSON) -> JSON:
    """Send a photo: multipart upload, file_id or URL."""
    stored = _input_file(world, p, "photo")
    return _send_media(world, p, "photo", objects.photo(stored), stored)


def _editable(world: World, p: JSON) -> SentMessage:
    if p.get("inline_message_id"):
        raise bad_request("inline messages are not emulated")
    chat = world.resolve_chat(p.get("chat_id"))
    message_id = p.get("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    sent = chat.sent.get(message_id)
    if sent is None:
        if message_id in chat.received:
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")
    return sent


@method("editMessageText")
def edit_message_text(world: World, p: JSON) -> JSON:
    """Edit a bot message's text; without reply_markup its inline keyboard goes, as in Telegram."""
    sent = _editable(world, p)
    if "text" not in sent.raw:
        raise bad_request("there is no text in the message to edit")
    text, entities = message_text(p, strict_html=world.strict_html)
    markup = check_reply_markup(p.get("reply_markup"), inline_only=True)
    if (text, entities, markup) == (sent.text, sent.entities, sent.reply_markup):
        raise bad_request(_NOT_MODIFIED)
    world.edit_bot_message(
        sent,
        {"text": text, "entities": entities},
        reply_markup=markup,
        text=text,
        html=str(p["text"]),
        entities=entities,
        parse_mode=p.get("parse_mode"),
    )
    return sent.raw


@method("editMessageCaption")
def edit_message_caption(world: World, p: JSON) -> JSON:
    """Edit the caption of a bot's media message."""
    sent = _editable(world, p)
    if "text" in sent.raw:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = caption_text(p, strict_html=world.strict_html)
    markup = check_reply_markup(p.get("reply_markup"), inline_only=True)
    if (caption, entities, markup) == (sent.text, sent.entities, sent.reply_markup):
        raise bad_request(_NOT_MODIFIED)
    content: JSON = {"caption": caption, "caption_entities": entities}
    world.edit_bot_message(
        sent,
        content,
        reply_markup=markup,
        text=caption,
        html=str(p.get("caption") or ""),
        entities=entities,
        parse_mode=p.get("parse_mode"),
    )
    if sent.document is not None:
        sent.document = replace(sent.document, caption=caption or None)
    return sent.raw


@method("editMessageReplyMarkup")
def edit_message_reply_markup(world: World, p: JSON) -> JSON:
    """Replace (or, without reply_markup, remove) a bot message's inline keyboard."""
    sent = _editable(world, p)
    markup = check_reply_markup(p.get("reply_markup"), inline_only=True)
    if markup == sent.reply_markup:
        raise bad_request(_NOT_MODIFIED)
    world.edit_bot_message(sent, {}, reply_markup=markup)
    return sent.raw


@method("deleteMessage")
def delete_message(world: World, p: JSON) -> bool:
    """Delete a message from a chat."""
    chat = world.resolve_chat(p.get("chat_id"))
    message_id = p.get("message_id")
    if not isinstance(message_id, int):  # no message has such an id
        raise bad_request("message to delete not found")
    sent = chat.sent.get(message_id)
    if sent is not None and time.time() - sent.raw["date"] > MESSAGE_ACCESS_WINDOW:
        raise bad_request("message can't be deleted for everyone")
    sent = chat.sent.pop(message_id, None)
    if sent is not None:
        sent.deleted = True
    elif chat.received.pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    world.notify()
    return True


# What answerCallbackQuery's text may hold (Bot API: 0-200 characters).
CALLBACK_ANSWER_LIMIT = 200


@method("answerCallbackQuery")
def answer_callback_query(world: World, p: JSON) -> bool:
    """Answer a button press; each press can be answered once, and only for a short while."""
    query_id = str(p.get("callback_query_id", ""))
    pressed_at = world.callback_pressed_at.get(query_id, time.monotonic())
    if (
        query_id not in world.callback_queries
        or query_id in world.callback_answers
        or time.monotonic() - pressed_at > world.callback_answer_window
    ):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    if len(str(p.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    world.callback_answers[query_id] = p
    world.notify()
    return True
