"""Request parameters as Telegram reads them: form values, JSON bodies and uploaded files."""

import json
from dataclasses import dataclass
from typing import Any

from emulator.errors import bad_request

# PTB sends every non-string value JSON-encoded inside a form field; Telegram decodes by field.
_JSON_FIELDS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "reply_parameters",
        "link_preview_options", "commands", "scope", "allowed_updates", "media", "permissions",
        "results", "rights", "menu_button", "explanation_entities", "options",
    }
)  # fmt: skip
_INT_FIELDS = frozenset(
    {
        "message_id", "user_id", "offset", "limit", "member_limit", "expire_date",
        "cache_time", "reply_to_message_id", "message_thread_id", "max_connections",
        "until_date", "date",
    }
)  # fmt: skip
_CHAT_FIELDS = frozenset({"chat_id", "from_chat_id"})
# Telegram wants whole seconds; fractions are accepted so tests can long-poll briefly.
_SECONDS_FIELDS = frozenset({"timeout"})
_BOOL_FIELDS = frozenset(
    {
        "disable_notification", "protect_content", "show_alert", "drop_pending_updates",
        "creates_join_request", "allow_sending_without_reply", "disable_web_page_preview",
        "disable_content_type_detection", "revoke_messages", "only_if_banned",
        "allow_paid_broadcast", "has_spoiler", "show_caption_above_media", "is_big",
        "for_channels",
    }
)  # fmt: skip
_TRUE = frozenset({"true", "True", "1"})
_FALSE = frozenset({"false", "False", "0", ""})


@dataclass(frozen=True, slots=True)
class Upload:
    """A file uploaded in a multipart request."""

    filename: str | None
    content: bytes
    mime_type: str | None


def _json(name: str, value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        if name == "reply_markup":
            raise bad_request("can't parse reply keyboard markup JSON object") from None
        raise bad_request(f"can't parse {name} JSON object") from None


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise bad_request(f'field "{name}" must be of type Integer')
    try:
        return int(value)
    except ValueError:
        raise bad_request(f'field "{name}" must be of type Integer') from None


def _seconds(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise bad_request(f'field "{name}" must be of type Integer') from None


def _chat(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        return text  # "@username", resolved (or refused) by the chat lookup


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise bad_request(f'field "{name}" must be of type Boolean')


def decode_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Turn form, query or JSON request values into Python values, field by field."""
    params: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None or isinstance(value, Upload):
            params[name] = value
        elif name in _JSON_FIELDS:
            params[name] = _json(name, value) if isinstance(value, str) else value
        elif name in _CHAT_FIELDS:
            params[name] = _chat(value)
        elif name in _INT_FIELDS:
            params[name] = _int(name, value)
        elif name in _SECONDS_FIELDS:
            params[name] = _seconds(name, value)
        elif name in _BOOL_FIELDS:
            params[name] = _bool(name, value)
        else:
            params[name] = value
    return params
