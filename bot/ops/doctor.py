"""Health checks: ``hoibot doctor`` on the command line, ``/health`` for admins in Telegram.

Each check gives one :class:`Check`: ok, warn (members will miss something), FAIL (the bot
cannot do its work) or skip (nothing to check). The lines are for the operator, in English
like the knowledge checker's.
"""

from __future__ import annotations

import asyncio
import html
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Config
from bot.kb.loader import read_knowledge
from bot.ops.backups import code_schema_version, newest_backup
from bot.ops.runlock import describe_os_error
from bot.storage import health
from bot.storage.backup import check_database as inspect_file
from bot.texts import Catalog, formats

OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "--"
MIB = 1024 * 1024
DISK_FAIL_BYTES = 200 * MIB
DISK_WARN_BYTES = 1024 * MIB
BACKUP_WARN_HOURS = 26  # one daily backup missed by a little
BACKUP_FAIL_HOURS = 50  # two daily backups missed


@dataclass(frozen=True)
class Check:
    """One check's outcome. Its words are the catalog's ``doctor.<key>`` (bot/texts/doctor.yaml),
    in English on the command line and in the admin's language in ``/health``."""

    name: str
    status: str
    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def detail(self, texts: Catalog, lang: str = "en") -> str:
        """What was found, and what to do about it: plain text, not HTML."""
        return html.unescape(texts.get(f"doctor.{self.key}", lang, **self.params))

    def line(self, texts: Catalog) -> str:
        """The command line's ``ok    token        @hoibot (id 123)``."""
        return f"{self.status:<5} {self.name:<12} {self.detail(texts)}"

    def entry(self, texts: Catalog, lang: str) -> str:
        """/health's ``✅ Token: @hoibot (id 123)``, in ``lang``."""
        label = texts.raw(f"doctor.name.{self.name}", lang)
        return f"{_MARKS[self.status]} {label}: {self.detail(texts, lang)}"


_MARKS = {OK: "✅", WARN: "⚠️", FAIL: "❌", SKIP: "➖"}


def summary(checks: list[Check], texts: Catalog, lang: str = "en") -> str:
    """``2 failures, 1 warning`` or ``all checks passed``, in ``lang``."""
    failures = sum(c.status == FAIL for c in checks)
    warnings = sum(c.status == WARN for c in checks)
    if not failures and not warnings:
        return html.unescape(texts.get("doctor.summary_ok", lang))
    parts = []
    if failures:
        key = "doctor.summary_failure" if failures == 1 else "doctor.summary_failures"
        parts.append(texts.get(key, lang, count=failures))
    if warnings:
        key = "doctor.summary_warning" if warnings == 1 else "doctor.summary_warnings"
        parts.append(texts.get(key, lang, count=warnings))
    return html.unescape(", ".join(parts))


def exit_status(checks: list[Check]) -> int:
    """1 if any check failed, else 0 (warnings do not fail)."""
    return int(any(c.status == FAIL for c in checks))


# -- local checks ----------------------------------------------------------------------------


def check_config(config: Config) -> Check:
    """The configuration was read; the mode; the essentials are there."""
    where = str(config.source) if config.source else "defaults and environment"
    if not config.telegram.token:
        return Check("config", FAIL, "config_no_token", {"where": where})
    hook = config.telegram.webhook.url
    if hook and not config.telegram.webhook.secret_token:
        return Check("config", WARN, "config_webhook_no_secret", {"where": where, "url": hook})
    if hook:
        return Check("config", OK, "config_webhook", {"where": where, "url": hook,
                                                      "admins": len(config.admins)})
    return Check("config", OK, "config_polling", {"where": where, "admins": len(config.admins)})


def check_data_folder(config: Config) -> Check:
    """The database's folder exists (or can be made) and takes a new file."""
    folder = config.database.parent
    probe = folder / f".hoibot-doctor-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        why = describe_os_error(exc)
        return Check("data folder", FAIL, "folder_not_writable", {"folder": folder, "why": why})
    return Check("data folder", OK, "folder_writable", {"folder": folder})


def check_database(config: Config) -> Check:
    """Integrity and schema version of the database file."""
    path = config.database
    if not path.exists():
        return Check("database", WARN, "database_missing", {"path": path})
    result = inspect_file(path)
    newest = code_schema_version()
    found = {"path": path, "version": result.version, "newest": newest}
    if not result.ok:
        return Check("database", FAIL, "database_damaged", {**found, "why": result.integrity})
    if result.version > newest:
        return Check("database", FAIL, "database_newer", found)
    if result.version < newest:
        return Check("database", WARN, "database_older", found)
    return Check("database", OK, "database_ok", found)


def check_knowledge(config: Config) -> list[Check]:
    """The knowledge checker, then what members will miss: the charter, stand-in entries."""
    directory = config.knowledge_dir
    contents, problems = read_knowledge(directory)
    if problems:
        first = problems[0].located(directory)
        return [Check("knowledge", FAIL, "knowledge_problems",
                      {"count": len(problems), "first": first})]
    checks = [Check("knowledge", OK, "knowledge_ok",
                    {"folder": directory, "count": formats.number(len(contents.entries))})]
    articles = len(contents.charter.articles) if contents.charter else 0
    if articles:
        checks.append(Check("charter", OK, "charter_ok", {"count": articles}))
    else:
        checks.append(Check("charter", WARN, "charter_missing"))
    stand_ins = [e.id for e in contents.entries if e.stands_in_for]
    if stand_ins:
        checks.append(Check("stand-ins", WARN, "stand_ins",
                            {"count": len(stand_ins), "ids": ", ".join(stand_ins[:5])}))
    return checks


def check_contacts(config: Config) -> Check:
    """Contact details members are given when the bot cannot help."""
    assoc = config.association
    empty = [key for key in ("email", "phone", "address") if not getattr(assoc, key)]
    if empty:
        keys = ", ".join(f"association.{key}" for key in empty)
        return Check("contacts", WARN, "contacts_empty", {"keys": keys})
    return Check("contacts", OK, "contacts_ok")


def check_disk(config: Config) -> Check:
    """Free space where the database and the backups are written."""
    folder = _existing_parent(config.database)
    free = shutil.disk_usage(folder).free
    database = config.database.stat().st_size if config.database.is_file() else 0
    found = {"free": formats.number(free // MIB), "folder": folder}
    if free < DISK_FAIL_BYTES:
        return Check("disk", FAIL, "disk_full", found)
    # Room for a full set of backups (each as large as the database) and for growth.
    if free < max(DISK_WARN_BYTES, (config.backups.keep + 2) * database):
        return Check("disk", WARN, "disk_low", found)
    return Check("disk", OK, "disk_ok", found)


def check_backups(config: Config, now: float | None = None) -> Check:
    """The newest backup is recent (the bot makes one daily)."""
    folder = config.backup_dir
    newest = newest_backup(folder)
    if newest is None:
        at = config.backups.time.strftime("%H:%M")
        return Check("backups", WARN, "backups_none", {"folder": folder, "at": at})
    hours = ((now or time.time()) - newest.stat().st_mtime) / 3600
    found = {"name": newest.name, "hours": f"{hours:.0f}"}
    if hours > BACKUP_FAIL_HOURS:
        return Check("backups", FAIL, "backups_failing", found)
    if hours > BACKUP_WARN_HOURS:
        return Check("backups", WARN, "backups_missed", found)
    return Check("backups", OK, "backups_ok", found)


def check_admins(config: Config) -> Check:
    """Each admin has started the bot (else Telegram refuses to let the bot write to them)."""
    if not config.admins:
        return Check("admins", FAIL, "admins_none")
    try:
        contacts = health.admin_contacts(config.database, config.admins)
    except (OSError, sqlite3.Error) as exc:
        return Check("admins", SKIP, "admins_unread", {"why": exc})
    missing = ", ".join(str(i) for i, c in contacts.items() if not c.started)
    blocked = ", ".join(str(i) for i, c in contacts.items() if c.started and not c.reachable)
    if not missing and not blocked:
        return Check("admins", OK, "admins_ok", {"count": len(contacts)})
    # With an admin chat the notices still arrive there; without, those admins miss them.
    status = WARN if config.admin_chat_id is not None else FAIL
    if missing and blocked:
        return Check("admins", status, "admins_missing_blocked",
                     {"missing": missing, "blocked": blocked})
    if missing:
        return Check("admins", status, "admins_missing", {"missing": missing})
    return Check("admins", status, "admins_blocked", {"blocked": blocked})


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
