"""The lock a running bot holds on its database, so restore (and a second bot) can tell.

An ``flock`` on ``<database>.lock``: the kernel drops it when the process ends, even on
``kill -9``, so a stale lock file never blocks anything. The file holds the holder's pid,
for the message only.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from pathlib import Path

from bot.ops import StartupError


class AlreadyRunning(StartupError):
    """Another process holds the database's run lock."""


def lock_path(database: Path) -> Path:
    """The lock file of a database."""
    return database.with_name(database.name + ".lock")


def describe_os_error(exc: OSError) -> str:
    """``Read-only file system``, ``Permission denied``, ... (without the errno number)."""
    return exc.strerror or errno.errorcode.get(exc.errno or 0, str(exc))


class RunLock:
    """Held by the running bot for as long as its database is open."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`AlreadyRunning` or :class:`StartupError`."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StartupError(
                f"cannot write to the data folder {folder} ({describe_os_error(exc)}): make it "
                "writable for the user that runs hoibot, or set `database:` in the configuration"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            raise AlreadyRunning(
                f"hoibot is already running on {self.database} (pid {holder}): stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Let go (closing the file drops the lock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        return str(int(os.pread(fd, 32, 0).decode().strip()))
    return "unknown"


def is_running(database: Path) -> bool:
    """Whether a bot holds the run lock of this database now."""
    try:
        fd = os.open(lock_path(database), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
