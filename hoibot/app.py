"""HoiBot's application: the Telegram layer (``bot.tg``) running HoiBot's features."""

from __future__ import annotations

from collections.abc import Sequence

from telegram.request import BaseRequest

from bot.config import Config
from bot.services import Services
from bot.tg.app import AnyApplication, Features, MenuCommand
from bot.tg.app import build_application as build_telegram_application
from handlers import guard
from handlers.registry import COMMAND_SPECS_KEY, register_all, startup_all


def _commands(application: AnyApplication) -> Sequence[MenuCommand]:
    commands: Sequence[MenuCommand] = application.bot_data.get(COMMAND_SPECS_KEY, [])
    return commands


FEATURES = Features(
    register=register_all,
    start=startup_all,
    commands=_commands,
    chat_of=guard.chat_of,
    describe=guard.describer,
)


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    services: Services | None = None,
) -> AnyApplication:
    """The whole bot for a config: every feature of ``handlers/registry.py``."""
    return build_telegram_application(
        config,
        FEATURES,
        request=request,
        get_updates_request=get_updates_request,
        services=services,
    )
