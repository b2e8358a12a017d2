"""The bot itself: getMe, getUpdates, webhooks and command lists."""

import re
from typing import Any

from emulator.api.registry import method
from emulator.errors import bad_request, conflict
from emulator.models import JSON
from emulator.state import DEFAULT_UPDATES, World

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_SCOPES = frozenset(
    {
        "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
        "chat_administrators", "chat_member",
    }
)  # fmt: skip


@method("getMe")
def get_me(world: World, p: JSON) -> JSON:
    """The bot's own User object."""
    return {
        **world.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


@method("getUpdates")
async def get_updates(world: World, p: JSON) -> list[JSON]:
    """Confirm updates below offset, then return pending ones, long-polling up to timeout."""
    if world.webhook is not None:
        raise conflict(
            "can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
    allowed = p.get("allowed_updates")
    if allowed is not None:
        world.allowed_updates = frozenset(allowed) or DEFAULT_UPDATES
    if p.get("offset"):
        world.confirm_updates(p["offset"])
    limit = p.get("limit") or 100
    await world.wait_for_updates(float(p.get("timeout") or 0))
    return world.pending_updates[: max(1, min(limit, 100))]


@method("setWebhook")
def set_webhook(world: World, p: JSON) -> bool:
    """Record a webhook (updates are not pushed to it); getUpdates then answers 409."""
    url = p.get("url") or ""
    secret = p.get("secret_token")
    if secret is not None and not _SECRET.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if url and not str(url).startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    world.webhook = {"url": url, **p} if url else None
    if p.get("drop_pending_updates"):
        world.drop_updates()
    return True


@method("deleteWebhook")
def delete_webhook(world: World, p: JSON) -> bool:
    """Forget the webhook, optionally dropping pending updates."""
    world.webhook = None
    if p.get("drop_pending_updates"):
        world.drop_updates()
    return True


@method("getWebhookInfo")
def get_webhook_info(world: World, p: JSON) -> JSON:
    """The recorded webhook, as WebhookInfo."""
    info: JSON = {
        "url": (world.webhook or {}).get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(world.pending_updates),
    }
    if world.webhook is not None:
        for key in ("max_connections", "ip_address", "allowed_updates"):
            if key in world.webhook:
                info[key] = world.webhook[key]
    return info


def check_scope(world: World, scope: Any) -> None:
    """Refuse a BotCommandScope Telegram refuses (unknown type, chat or user)."""
    if scope is None:
        return
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = scope["type"]
    if kind in ("chat", "chat_administrators", "chat_member"):
        world.resolve_chat(scope.get("chat_id"))
    if kind == "chat_member":
        world.user_of(scope.get("user_id"))


def _check_language(p: JSON) -> None:
    language = p.get("language_code") or ""
    if language and not _LANGUAGE.fullmatch(language):
        raise bad_request("invalid language code specified")


@method("setMyCommands")
def set_my_commands(world: World, p: JSON) -> bool:
    """Check a command list for one scope and language (the calls record it)."""
    commands = p.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        if not _COMMAND.fullmatch(str(command.get("command", "")).removeprefix("/")):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description") or "")) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    check_scope(world, p.get("scope"))
    _check_language(p)
    return True
