"""``hoibot backup`` and ``hoibot restore`` (``hoibot doctor``: bot/tg/doctor.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.ops import StartupError
from bot.ops.backups import BackupError, restore, rotate, take_backup


def add_ops_commands(subparsers: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add ``backup [DIR]`` and ``restore FILE`` to a CLI."""
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
