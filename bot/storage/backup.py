"""Copies of the database file through SQLite itself: online backup, checks, restore.

Plain ``sqlite3`` (blocking) on purpose: these run from the command line or in a worker
thread, on their own connections, while the bot's aiosqlite connection keeps writing. The
online backup API copies a consistent snapshot, which a file copy of a WAL database is not.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

FILE_MODE = 0o600


@dataclass(frozen=True)
class DatabaseCheck:
    """What ``PRAGMA integrity_check`` and ``PRAGMA user_version`` say about a file."""

    integrity: str  # "ok", or SQLite's first complaint
    version: int

    @property
    def ok(self) -> bool:
        return self.integrity == "ok"


def _connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_database(path: Path) -> DatabaseCheck:
    """Integrity and schema version of a database file (read only).

    A file that is not a database at all reads as an integrity failure, not an exception.
    """
    try:
        with contextlib.closing(_connect_read_only(path)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            rows = conn.execute("PRAGMA integrity_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        return DatabaseCheck(integrity=str(exc), version=0)
    integrity = " ".join(str(rows[0][0]).split()) if rows else "no answer"
    return DatabaseCheck(integrity=integrity, version=version)


def copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` into the new file ``target`` (mode 0600) with the online backup API.

    One backup step copies every page under one read transaction: the copy is the database
    as it was at one instant, whatever the bot writes meanwhile.
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(fd)
    try:
        with contextlib.closing(_connect_read_only(source)) as src:
            with contextlib.closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
                # A backup is one self-contained file: no -wal beside it.
                dst.execute("PRAGMA journal_mode=DELETE")
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the database file, so the file alone is complete."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
