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
from bot.tg.app import file_url_for


def add_doctor_command(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add ``doctor`` to a CLI."""
    doctor = subparsers.add_parser(
        "doctor", parents=list(parents), help="check the configuration, token, database, ..."
    )
    doctor.set_defaults(func=run_doctor, loads_config=False)


def run_doctor(args: argparse.Namespace) -> int:
    """``doctor``: one line per check, then a summary; 1 if any check failed."""
    try:
        config = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(Check("config", FAIL, str(exc)).line())
        return 1
    checks = asyncio.run(_checks(config))
    for check in checks:
        print(check.line())
    print(f"doctor: {summary(checks)}")
    return exit_status(checks)


async def _checks(config: Config) -> list[Check]:
    if not config.telegram.token:
        return [*await run_checks(config, None), Check("token", SKIP, "no token configured")]
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
    try:
        me = await bot.get_me()
    except InvalidToken:
        return Check(
            "token",
            FAIL,
            f"the Bot API at {config.telegram.base_url} rejected the token: "
            "check TELEGRAM_BOT_TOKEN (or telegram.token)",
        )
    except NetworkError as exc:
        return Check(
            "token",
            FAIL,
            f"cannot reach the Bot API at {config.telegram.base_url} ({exc}): "
            "check the network and telegram.base_url",
        )
    return Check("token", OK, f"@{me.username} (id {me.id})")


async def check_webhook(bot: Bot, config: Config) -> Check:
    """Telegram's webhook setting agrees with the configured mode."""
    info = await bot.get_webhook_info()
    wanted = config.telegram.webhook.url
    running = is_running(config.database)
    if not wanted:
        if not info.url:
            return Check("webhook", OK, "polling mode, no webhook set")
        if running:
            return Check("webhook", FAIL, f"a webhook ({info.url}) is set while the bot polls")
        return Check("webhook", WARN, f"a webhook ({info.url}) is set; polling removes it at start")
    if info.url != wanted:
        text = f"Telegram posts to {info.url or 'nowhere'}, not to {wanted}"
        if running:
            return Check("webhook", FAIL, f"{text}: restart the bot")
        return Check("webhook", WARN, f"{text} (the bot sets it when it starts)")
    if info.last_error_message:
        when = info.last_error_date.isoformat() if info.last_error_date else "recently"
        return Check(
            "webhook", WARN, f"Telegram could not deliver at {when}: {info.last_error_message}"
        )
    return Check("webhook", OK, f"Telegram posts to {wanted} ({info.pending_update_count} waiting)")


async def check_group(bot: Bot, config: Config) -> Check:
    """The bot administers the members' group with the right to invite (approve requests)."""
    group = config.members_group_id
    if group is None:
        return Check("group", SKIP, "no members_group_id configured")
    fix = "make the bot an administrator of the group with the right to invite users"
    try:
        member: Any = await bot.get_chat_member(group, bot.id)
    except TelegramError as exc:
        return Check("group", FAIL, f"cannot see the members' group {group} ({exc}): add the bot")
    if member.status == ChatMemberStatus.OWNER:
        return Check("group", OK, "the bot owns the members' group")
    if member.status != ChatMemberStatus.ADMINISTRATOR:
        return Check("group", FAIL, f"the bot is {member.status} of the members' group: {fix}")
    if not member.can_invite_users:
        return Check("group", FAIL, f"the bot cannot invite users to the members' group: {fix}")
    return Check("group", OK, "the bot can invite users and approve join requests")


async def run_checks(config: Config, bot: Bot | None) -> list[Check]:
    """Every check, in the order they are shown. ``bot``: an initialized ``Bot``, or None."""
    checks = await local_checks(config)
    if bot is None:
        return checks
    token = await check_token(bot, config)
    checks.append(token)
    if token.status != OK:
        checks += [
            Check(name, SKIP, "not checked: no working token") for name in ("webhook", "group")
        ]
        return checks
    for remote in (check_webhook, check_group):
        try:
            checks.append(await remote(bot, config))
        except TelegramError as exc:
            checks.append(Check(remote.__name__.removeprefix("check_"), FAIL, str(exc)))
    return checks
