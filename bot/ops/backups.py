"""Backups named by time in one folder, their rotation, and restoring one of them."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.ops.runlock import RunLock
from bot.storage import migrations
from bot.storage.backup import check_database, checkpoint, copy_database

_NAME = re.compile(r"^hoibot-\d{8}-\d{6}(?:-\d+)?\.sqlite3$")


class BackupError(Exception):
    """A backup or a restore that did not happen, phrased as one line."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int


def code_schema_version() -> int:
    """The newest schema this code knows (its highest migration)."""
    return migrations()[-1][0]


def list_backups(directory: Path) -> list[Path]:
    """The backups in a folder, oldest first (their names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if _NAME.match(p.name) and p.is_file())


def _new_name(directory: Path, moment: datetime) -> Path:
    stem = f"hoibot-{moment:%Y%m%d-%H%M%S}"
    path = directory / f"{stem}.sqlite3"
    serial = 1
    while path.exists():
        serial += 1
        path = directory / f"{stem}-{serial}.sqlite3"
    return path


def take_backup(database: Path, directory: Path, tz: ZoneInfo) -> Backup:
    """Copy the database (running or not) into ``directory``, checked, mode 0600."""
    if not database.is_file():
        raise BackupError(f"no database at {database}: nothing to back up")
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = _new_name(directory, datetime.now(tz))
        partial = target.with_name(target.name + ".partial")
        copy_database(database, partial)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"cannot write a backup into {directory}: {_reason(exc)}") from exc
    check = check_database(partial)
    if not check.ok:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy of {database} failed its integrity check: {check.integrity}")
    os.replace(partial, target)
    return Backup(target, target.stat().st_size)


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups; the deleted ones."""
    backups = list_backups(directory)
    removed = backups[: max(0, len(backups) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def newest_backup(directory: Path) -> Path | None:
    """The most recent backup of a folder, if any."""
    backups = list_backups(directory)
    return backups[-1] if backups else None


def restore(backup: Path, database: Path, tz: ZoneInfo) -> Path | None:
    """Replace the database by a checked backup; the current one is kept aside (returned).

    Refuses (:class:`bot.ops.runlock.AlreadyRunning`) while a bot runs on the database, and
    (:class:`BackupError`) a damaged file or one from a newer version of HoiBot.
    """
    if not backup.is_file():
        raise BackupError(f"{backup}: no such file: nothing was changed")
    with RunLock(database):
        check = check_database(backup)
        if not check.ok:
            raise BackupError(
                f"{backup} is damaged or not a database ({check.integrity}): nothing was changed"
            )
        newest = code_schema_version()
        if check.version == 0:
            raise BackupError(f"{backup} is not a HoiBot database: nothing was changed")
        if check.version > newest:
            raise BackupError(
                f"{backup} was made by a newer HoiBot (schema {check.version}, this one knows "
                f"{newest}): upgrade HoiBot first; nothing was changed"
            )
        aside = _set_aside(database, datetime.now(tz)) if database.exists() else None
        incoming = database.with_name(database.name + ".restoring")
        incoming.unlink(missing_ok=True)
        copy_database(backup, incoming)
        os.replace(incoming, database)
        return aside


def _set_aside(database: Path, moment: datetime) -> Path:
    """Rename the database (and its -wal/-shm files) with a time stamp; the new name."""
    with contextlib.suppress(sqlite3.Error):
        checkpoint(database)  # a damaged database is still set aside, WAL and all
    aside = database.with_name(f"{database.name}.before-restore-{moment:%Y%m%d-%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        current = database.with_name(database.name + suffix)
        if current.exists():
            os.replace(current, aside.with_name(aside.name + suffix))
    return aside


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
