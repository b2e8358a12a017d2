"""``hoibot backup``, ``hoibot restore`` and ``hoibot doctor``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.config import Config, ConfigError, load_config
from bot.ops import StartupError
from bot.ops.backups import BackupError, restore, rotate, take_backup
from bot.ops.doctor import FAIL, SKIP, Check, exit_status, run_checks, summary


def add_ops_commands(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add ``backup [DIR]``, ``restore FILE`` and ``doctor`` to a CLI."""
    parents = list(parents)
    backup = subparsers.add_parser(
        "backup",
        parents=parents,
        help="copy the database (safe while the bot runs) into DIR, checked",
    )
    backup.add_argument(
        "directory", nargs="?", type=Path, metavar="DIR", help="default: backups.dir"
    )
    backup.set_defaults(func=run_backup)
    restore_cmd = subparsers.add_parser(
        "restore",
        parents=parents,
        help="replace the database by a backup (the bot must be stopped)",
    )
    restore_cmd.add_argument("file", type=Path, metavar="FILE")
    restore_cmd.set_defaults(func=run_restore)
    doctor = subparsers.add_parser(
        "doctor", parents=parents, help="check the configuration, token, database, ..."
    )
    doctor.set_defaults(func=run_doctor, loads_config=False)


def run_backup(args: argparse.Namespace) -> int:
    """``backup [DIR]``: 0 and the file written, or 1 and why."""
    config: Config = args.config
    directory = args.directory or config.backup_dir
    try:
        made = take_backup(config.database, directory, config.tz)
    except BackupError as exc:
        print(f"hoibot: backup failed: {exc}", file=sys.stderr)
        return 1
    if args.directory is None:
        rotate(directory, config.backups.keep)
    print(f"{made.path} ({made.size // 1024} KiB, integrity ok)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """``restore FILE``: 0 and where the previous database went, or 1 and why."""
    config: Config = args.config
    try:
        aside = restore(args.file, config.database, config.tz)
    except (BackupError, StartupError) as exc:
        print(f"hoibot: not restored: {exc}", file=sys.stderr)
        return 1
    if aside is not None:
        print(f"the previous database is kept as {aside}")
    print(f"restored {args.file} into {config.database}; start the bot")
    return 0


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
    from telegram import Bot
    from telegram.error import TelegramError
    from telegram.request import HTTPXRequest

    from bot.app import file_url_for

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
