"""Health checks: ``hoibot doctor`` on the command line, ``/health`` for admins in Telegram.

Each check gives one :class:`Check`: ok, warn (members will miss something), FAIL (the bot
cannot do its work) or skip (nothing to check). The lines are for the operator, in English
like the knowledge checker's.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.kb.loader import read_knowledge
from bot.ops.backups import code_schema_version, newest_backup
from bot.ops.runlock import describe_os_error
from bot.storage import health
from bot.storage.backup import check_database as inspect_file

OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "--"
MIB = 1024 * 1024
DISK_FAIL_BYTES = 200 * MIB
DISK_WARN_BYTES = 1024 * MIB
BACKUP_WARN_HOURS = 26  # one daily backup missed by a little
BACKUP_FAIL_HOURS = 50  # two daily backups missed


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str

    def line(self) -> str:
        """``ok    token        @hoibot (id 123)``."""
        return f"{self.status:<5} {self.name:<12} {self.detail}"


def summary(checks: list[Check]) -> str:
    """``2 failures, 1 warning`` or ``all checks passed``."""
    failures = sum(c.status == FAIL for c in checks)
    warnings = sum(c.status == WARN for c in checks)
    if not failures and not warnings:
        return "all checks passed"
    parts = []
    if failures:
        parts.append(f"{failures} failure{'s' * (failures != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return ", ".join(parts)


def exit_status(checks: list[Check]) -> int:
    """1 if any check failed, else 0 (warnings do not fail)."""
    return int(any(c.status == FAIL for c in checks))


# -- local checks ----------------------------------------------------------------------------


def check_config(config: Config) -> Check:
    """The configuration was read; the mode; the essentials are there."""
    where = str(config.source) if config.source else "defaults and environment"
    mode = (
        f"webhook mode ({config.telegram.webhook.url})"
        if config.telegram.webhook.url
        else ("polling mode")
    )
    if not config.telegram.token:
        return Check("config", FAIL, f"{where}: no bot token (set TELEGRAM_BOT_TOKEN)")
    if config.telegram.webhook.url and not config.telegram.webhook.secret_token:
        return Check("config", WARN, f"{where}: {mode} without telegram.webhook.secret_token")
    return Check("config", OK, f"{where}: {mode}, {len(config.admins)} admin(s)")


def check_data_folder(config: Config) -> Check:
    """The database's folder exists (or can be made) and takes a new file."""
    folder = config.database.parent
    probe = folder / f".hoibot-doctor-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return Check(
            "data folder",
            FAIL,
            f"{folder} is not writable ({describe_os_error(exc)}): make it "
            "writable for the user that runs hoibot",
        )
    return Check("data folder", OK, f"{folder} is writable")


def check_database(config: Config) -> Check:
    """Integrity and schema version of the database file."""
    path = config.database
    if not path.exists():
        return Check("database", WARN, f"{path} does not exist yet (the bot creates it at start)")
    result = inspect_file(path)
    newest = code_schema_version()
    if not result.ok:
        return Check(
            "database",
            FAIL,
            f"{path} is damaged ({result.integrity}): restore a backup (hoibot restore FILE)",
        )
    if result.version > newest:
        return Check(
            "database",
            FAIL,
            f"schema {result.version} is newer than this HoiBot's ({newest}): upgrade HoiBot",
        )
    if result.version < newest:
        return Check(
            "database",
            WARN,
            f"schema {result.version}, this HoiBot's is {newest}: the "
            "migrations run at the next start",
        )
    return Check("database", OK, f"{path}: integrity ok, schema {result.version}")


def check_knowledge(config: Config) -> list[Check]:
    """The knowledge checker, then what members will miss: the charter, stand-in entries."""
    directory = config.knowledge_dir
    contents, problems = read_knowledge(directory)
    if problems:
        first = problems[0].located(directory)
        return [
            Check(
                "knowledge",
                FAIL,
                f"{len(problems)} problem(s), first: {first} (hoibot kb check lists them all)",
            )
        ]
    checks = [Check("knowledge", OK, f"{directory}: {len(contents.entries)} entries")]
    articles = len(contents.charter.articles) if contents.charter else 0
    if articles:
        checks.append(Check("charter", OK, f"{articles} articles imported"))
    else:
        checks.append(
            Check(
                "charter",
                WARN,
                "the charter's text is not imported: members cannot read its "
                "articles (hoibot kb import-charter FILE)",
            )
        )
    # Entries that answer in place of a missing item carry ``stands_in_for`` (knowledge
    # feature); read defensively so this check works before and after that field exists.
    stand_ins = [e.id for e in contents.entries if getattr(e, "stands_in_for", None)]
    if stand_ins:
        checks.append(
            Check(
                "stand-ins",
                WARN,
                f"{len(stand_ins)} stand-in entries still answer "
                f"({', '.join(stand_ins[:5])}): replace them with the real texts",
            )
        )
    return checks


def check_contacts(config: Config) -> Check:
    """Contact details members are given when the bot cannot help."""
    assoc = config.association
    empty = [key for key in ("email", "phone", "address") if not getattr(assoc, key)]
    if empty:
        keys = ", ".join(f"association.{key}" for key in empty)
        return Check("contacts", WARN, f"{keys} empty: members are not shown them")
    return Check("contacts", OK, "e-mail, phone and address are set")


def check_disk(config: Config) -> Check:
    """Free space where the database and the backups are written."""
    folder = _existing_parent(config.database)
    free = shutil.disk_usage(folder).free
    database = config.database.stat().st_size if config.database.is_file() else 0
    text = f"{free // MIB} MiB free in {folder}"
    if free < DISK_FAIL_BYTES:
        return Check("disk", FAIL, f"only {text}: free some space")
    # Room for a full set of backups (each as large as the database) and for growth.
    if free < max(DISK_WARN_BYTES, (config.backups.keep + 2) * database):
        return Check("disk", WARN, f"{text}: little room for the database and its backups")
    return Check("disk", OK, text)


def check_backups(config: Config, now: float | None = None) -> Check:
    """The newest backup is recent (the bot makes one daily)."""
    folder = config.backup_dir
    newest = newest_backup(folder)
    at = config.backups.time.strftime("%H:%M")
    if newest is None:
        return Check("backups", WARN, f"none yet in {folder} (the bot makes one daily at {at})")
    hours = ((now or time.time()) - newest.stat().st_mtime) / 3600
    text = f"newest {newest.name}, {hours:.0f} h old"
    if hours > BACKUP_FAIL_HOURS:
        return Check("backups", FAIL, f"{text}: daily backups are failing (see the log)")
    if hours > BACKUP_WARN_HOURS:
        return Check("backups", WARN, f"{text}: the last daily backup was missed")
    return Check("backups", OK, text)


def check_admins(config: Config) -> Check:
    """Each admin has started the bot (else Telegram refuses to let the bot write to them)."""
    if not config.admins:
        return Check("admins", FAIL, "no admins configured")
    try:
        contacts = health.admin_contacts(config.database, config.admins)
    except (OSError, sqlite3.Error) as exc:
        return Check("admins", SKIP, f"not checked: cannot read the database ({exc})")
    missing = [str(i) for i, c in contacts.items() if not c.started]
    blocked = [str(i) for i, c in contacts.items() if c.started and not c.reachable]
    if not missing and not blocked:
        return Check("admins", OK, f"all {len(contacts)} admin(s) have started the bot")
    parts = []
    if missing:
        parts.append(f"never started the bot: {', '.join(missing)}")
    if blocked:
        parts.append(f"blocked the bot: {', '.join(blocked)}")
    # With an admin chat the notices still arrive there; without, those admins miss them.
    status = WARN if config.admin_chat_id is not None else FAIL
    return Check("admins", status, "; ".join(parts) + " (each should open the bot, press Start)")


def _existing_parent(path: Path) -> Path:
    for candidate in (path.parent, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


async def local_checks(config: Config) -> list[Check]:
    """The checks that need no Bot API, in the order they are shown."""
    local: list[Callable[[], Check | list[Check]]] = [
        lambda: check_config(config),
        lambda: check_data_folder(config),
        lambda: check_database(config),
        lambda: check_knowledge(config),
        lambda: check_disk(config),
        lambda: check_backups(config),
        lambda: check_admins(config),
        lambda: check_contacts(config),
    ]
    checks: list[Check] = []
    for check in local:
        result = await asyncio.to_thread(check)  # integrity checks read whole files
        checks.extend(result if isinstance(result, list) else [result])
    return checks
