"""The doctor's checks that ask the Bot API, and ``hoibot doctor`` itself.

The local checks (configuration, data folder, database, knowledge, disk, backups, admins,
contacts) are the core's (:mod:`bot.ops.doctor`); ``/health`` shows the same list.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from typing import Any

from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.config import Config, ConfigError, load_config
from bot.ops.doctor import (
    FAIL,
    OK,
    SKIP,
    WARN,
    Check,
    exit_status,
    local_checks,
    summary,
)
from bot.ops.runlock import is_running
from bot.redaction import without_urls
from bot.texts import Catalog
from bot.tg.app import file_url_for


def add_doctor_command(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add ``doctor`` to a CLI."""
    doctor = subparsers.add_parser(
        "doctor", parents=list(parents), help="check the configuration, token, database, ..."
    )
    doctor.set_defaults(func=run_doctor, loads_config=False)


def run_doctor(args: argparse.Namespace) -> int:
    """``doctor``: one line per check, then a summary; 1 if any check failed."""
    texts = Catalog.load()
    try:
        config = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(Check("config", FAIL, "config_error", {"why": exc}).line(texts))
        return 1
    checks = asyncio.run(_checks(config))
    for check in checks:
        print(check.line(texts))
    print(f"doctor: {summary(checks, texts)}")
    return exit_status(checks)


async def _checks(config: Config) -> list[Check]:
    if not config.telegram.token:
        return [*await run_checks(config, None), Check("token", SKIP, "token_none")]
    bot = Bot(
        config.telegram.token,
        base_url=config.telegram.base_url,
        base_file_url=file_url_for(config.telegram.base_url),
        request=HTTPXRequest(connection_pool_size=2, read_timeout=10),
    )
    try:
        try:
            await bot.initialize()
        except TelegramError:
            pass  # the token check says what went wrong
        return await run_checks(config, bot)
    finally:
        await bot.shutdown()


# -- checks that ask the Bot API ------------------------------------------------------------


async def check_token(bot: Bot, config: Config) -> Check:
    """``getMe`` against the configured Bot API server."""
    where = config.telegram.base_url
    try:
        me = await bot.get_me()
    except InvalidToken:
        return Check("token", FAIL, "token_rejected", {"url": where})
    except NetworkError as exc:
        why = without_urls(str(exc))
        return Check("token", FAIL, "token_unreachable", {"url": where, "why": why})
    return Check("token", OK, "token_ok", {"username": me.username, "id": me.id})


async def check_webhook(bot: Bot, config: Config) -> Check:
    """Telegram's webhook setting agrees with the configured mode."""
    info = await bot.get_webhook_info()
    wanted = config.telegram.webhook.url
    running = is_running(config.database)
    if not wanted:
        if not info.url:
            return Check("webhook", OK, "webhook_none")
        if running:
            return Check("webhook", FAIL, "webhook_set_while_polling", {"url": info.url})
        return Check("webhook", WARN, "webhook_set_before_polling", {"url": info.url})
    if info.url != wanted:
        found = {"url": info.url or "-", "wanted": wanted}
        if running:
            return Check("webhook", FAIL, "webhook_elsewhere_running", found)
        return Check("webhook", WARN, "webhook_elsewhere", found)
    if info.last_error_message:
        when = info.last_error_date.isoformat() if info.last_error_date else "-"
        return Check("webhook", WARN, "webhook_failing",
                     {"when": when, "why": info.last_error_message})
    return Check("webhook", OK, "webhook_ok",
                 {"url": wanted, "waiting": info.pending_update_count})


async def check_group(bot: Bot, config: Config) -> Check:
    """The bot administers the members' group with the right to invite (approve requests)."""
    group = config.members_group_id
    if group is None:
        return Check("group", SKIP, "group_none")
    try:
        member: Any = await bot.get_chat_member(group, bot.id)
    except TelegramError as exc:
        return Check("group", FAIL, "group_unseen", {"group": group, "why": without_urls(str(exc))})
    if member.status == ChatMemberStatus.OWNER:
        return Check("group", OK, "group_owner")
    if member.status != ChatMemberStatus.ADMINISTRATOR:
        return Check("group", FAIL, "group_not_admin", {"status": member.status})
    if not member.can_invite_users:
        return Check("group", FAIL, "group_cannot_invite")
    return Check("group", OK, "group_ok")


async def run_checks(config: Config, bot: Bot | None) -> list[Check]:
    """Every check, in the order they are shown. ``bot``: an initialized ``Bot``, or None."""
    checks = await local_checks(config)
    if bot is None:
        return checks
    token = await check_token(bot, config)
    checks.append(token)
    if token.status != OK:
        checks += [Check(name, SKIP, "no_working_token") for name in ("webhook", "group")]
        return checks
    for remote in (check_webhook, check_group):
        try:
            checks.append(await remote(bot, config))
        except TelegramError as exc:
            name = remote.__name__.removeprefix("check_")
            checks.append(Check(name, FAIL, "telegram_error", {"why": without_urls(str(exc))}))
    return checks
