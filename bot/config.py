"""Configuration: ``config.yaml`` plus environment overrides, validated into typed objects."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
CONFIG_ENV = "HOIBOT_CONFIG"
LANGUAGES = ("vi", "en")


class ConfigError(Exception):
    """A configuration problem, phrased as one line that names the key."""


@dataclass(frozen=True)
class WebhookConfig:
    url: str = ""
    listen: str = "127.0.0.1"  # behind a reverse proxy; "0.0.0.0" exposes it on every address
    port: int = 8443
    secret_token: str = ""


@dataclass(frozen=True)
class TelegramConfig:
    token: str = ""
    base_url: str = TELEGRAM_API_BASE_URL
    webhook: WebhookConfig = field(default_factory=WebhookConfig)


@dataclass(frozen=True)
class AssociationConfig:
    name: str = "Hội Thư viện Việt Nam"
    name_en: str = "Vietnam Library Association"
    website: str = "vla.org.vn"
    email: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class AnnouncementsConfig:
    messages_per_second: float = 25.0
    missed_run_grace_hours: float = 6.0
    meeting_reminder_days: tuple[int, ...] = (7, 1)
    chat_id: int | None = None
    # Reminders to a meeting's registrants, in hours before it starts.
    registrant_reminder_hours: tuple[float, ...] = (24, 2)
    # An announcement to all subscribers waits for a second admin's approval.
    require_second_admin: bool = False


@dataclass(frozen=True)
class LoggingConfig:
    format: str = "text"  # or "json": one object per line, for a log collector


@dataclass(frozen=True)
class RetentionConfig:
    """Days after which data about non-members is erased (see README, Data and privacy)."""

    visitor_days: int = 180
    question_days: int = 365
    delivery_days: int = 90


@dataclass(frozen=True)
class BackupsConfig:
    directory: Path | None = None  # None: a ``backups`` folder beside the database
    keep: int = 14
    time: dt_time = dt_time(3, 0)


@dataclass(frozen=True)
class Config:
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    admins: tuple[int, ...] = ()
    admin_chat_id: int | None = None
    members_group_id: int | None = None
    database: Path = Path("data/hoibot.sqlite3")
    knowledge_dir: Path = Path("knowledge")
    timezone: str = "Asia/Ho_Chi_Minh"
    default_language: str = "vi"
    association: AssociationConfig = field(default_factory=AssociationConfig)
    announcements: AnnouncementsConfig = field(default_factory=AnnouncementsConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    backups: BackupsConfig = field(default_factory=BackupsConfig)
    source: Path | None = None

    @property
    def tz(self) -> ZoneInfo:
        """The association's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def backup_dir(self) -> Path:
        """Where backups go: ``backups.dir``, else a ``backups`` folder beside the database."""
        return self.backups.directory or self.database.parent / "backups"

    def is_admin(self, user_id: int | None) -> bool:
        """Whether this Telegram user id is one of the configured admins."""
        return user_id is not None and user_id in self.admins


def _installed_share() -> Path:
    return Path(sys.prefix) / "share" / "hoibot"


def default_config_path() -> Path | None:
    """``$HOIBOT_CONFIG``, else ``./config.local.yaml`` (git-ignored, may hold secrets), else
    ``./config.yaml``, else the installed sample, else None."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    for candidate in (
        Path("config.local.yaml"),
        Path("config.yaml"),
        _installed_share() / "config.yaml",
    ):
        if candidate.is_file():
            return candidate
    return None


def _check_keys(section: str, raw: dict[str, Any], allowed: set[str]) -> None:
    for key in raw:
        if key not in allowed:
            name = f"{section}.{key}" if section else str(key)
            raise ConfigError(f"{name}: unknown configuration key")


def _mapping(name: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: must be a mapping of keys to values")
    return value


def _string(name: str, value: Any, default: str) -> str:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(f"{name}: must be text")
    return str(value)


def _integer(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise ConfigError(f"{name}: must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{name}: must be a whole number, got {value!r}")


def _days(name: str, value: Any) -> int:
    days = _integer(name, value)
    if days < 1:
        raise ConfigError(f"{name}: must be a whole number of days, at least 1")
    return days


def _optional_integer(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    return _integer(name, value)


def _number(name: str, value: Any, default: float, *, positive: bool = True) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{name}: must be a number, got {value!r}")
    if positive and value <= 0:
        raise ConfigError(f"{name}: must be greater than zero")
    return float(value)


def _id_list(name: str, value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        raise ConfigError(f"{name}: must be a list of Telegram user ids")
    return tuple(_integer(name, item) for item in value)


def _relative(base: Path | None, value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def _knowledge_dir(base: Path | None, value: Any) -> Path:
    if value is not None:
        return _relative(base, _string("knowledge_dir", value, "knowledge"))
    for candidate in (_relative(base, "knowledge"), _installed_share() / "knowledge"):
        if candidate.is_dir():
            return candidate
    return _relative(base, "knowledge")


def parse_config(
    raw: dict[str, Any] | None,
    *,
    env: dict[str, str] | None = None,
    source: Path | None = None,
) -> Config:
    """Validate a raw mapping (as read from YAML) and apply environment overrides."""
    env = dict(os.environ) if env is None else env
    raw = _mapping("config", raw)
    _check_keys(
        "",
        raw,
        {
            "telegram",
            "admins",
            "admin_chat_id",
            "members_group_id",
            "database",
            "knowledge_dir",
            "timezone",
            "default_language",
            "association",
            "announcements",
            "logging",
            "retention",
            "backups",
        },
    )
    base = source.parent if source is not None else None

    tg = _mapping("telegram", raw.get("telegram"))
    _check_keys("telegram", tg, {"token", "base_url", "webhook"})
    hook = _mapping("telegram.webhook", tg.get("webhook"))
    _check_keys("telegram.webhook", hook, {"url", "listen", "port", "secret_token"})
    secret = _string("telegram.webhook.secret_token", hook.get("secret_token"), "")
    if secret and not (
        len(secret) <= 256 and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
    ):
        raise ConfigError(
            "telegram.webhook.secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and - only"
        )
    webhook = WebhookConfig(
        url=_string("telegram.webhook.url", hook.get("url"), ""),
        listen=_string("telegram.webhook.listen", hook.get("listen"), "127.0.0.1"),
        port=_integer("telegram.webhook.port", hook.get("port", 8443)),
        secret_token=secret,
    )
    base_url = env.get("TELEGRAM_API_BASE_URL") or _string(
        "telegram.base_url", tg.get("base_url"), TELEGRAM_API_BASE_URL
    )
    token = env.get("TELEGRAM_BOT_TOKEN") or _string("telegram.token", tg.get("token"), "")
    if not base_url.startswith(("http://", "https://")):
        # The value is not echoed: a token pasted into it would end up in a terminal or a log.
        raise ConfigError("telegram.base_url: must start with http:// or https://")
    telegram = TelegramConfig(
        token=token,
        base_url=base_url,
        webhook=webhook,
    )

    admins_raw = env.get("HOIBOT_ADMINS")
    admins = (
        _id_list("HOIBOT_ADMINS", admins_raw)
        if admins_raw
        else _id_list("admins", raw.get("admins"))
    )

    timezone = _string("timezone", raw.get("timezone"), "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"timezone: unknown time zone {timezone!r}") from None

    language = _string("default_language", raw.get("default_language"), "vi")
    if language not in LANGUAGES:
        raise ConfigError(f"default_language: must be one of {', '.join(LANGUAGES)}")

    assoc = _mapping("association", raw.get("association"))
    _check_keys("association", assoc, {"name", "name_en", "website", "email", "phone", "address"})
    defaults = AssociationConfig()
    association = AssociationConfig(
        **{
            key: _string(f"association.{key}", assoc.get(key), getattr(defaults, key))
            for key in ("name", "name_en", "website", "email", "phone", "address")
        }
    )

    ann = _mapping("announcements", raw.get("announcements"))
    _check_keys(
        "announcements",
        ann,
        {"messages_per_second", "missed_run_grace_hours", "meeting_reminder_days", "chat_id",
         "registrant_reminder_hours", "require_second_admin"},
    )
    registrant_hours = ann.get("registrant_reminder_hours", [24, 2])
    if not isinstance(registrant_hours, list):
        raise ConfigError("announcements.registrant_reminder_hours: must be a list of numbers")
    second_admin = ann.get("require_second_admin", False)
    if not isinstance(second_admin, bool):
        raise ConfigError("announcements.require_second_admin: must be true or false")
    reminder_days = ann.get("meeting_reminder_days", [7, 1])
    if not isinstance(reminder_days, list):
        raise ConfigError("announcements.meeting_reminder_days: must be a list of whole numbers")
    announcements = AnnouncementsConfig(
        messages_per_second=_number(
            "announcements.messages_per_second", ann.get("messages_per_second"), 25.0
        ),
        missed_run_grace_hours=_number(
            "announcements.missed_run_grace_hours", ann.get("missed_run_grace_hours"), 6.0
        ),
        meeting_reminder_days=tuple(
            _integer("announcements.meeting_reminder_days", d) for d in reminder_days
        ),
        chat_id=_optional_integer("announcements.chat_id", ann.get("chat_id")),
        registrant_reminder_hours=tuple(
            _number("announcements.registrant_reminder_hours", h, 0.0) for h in registrant_hours
        ),
        require_second_admin=second_admin,
    )

    logs = _mapping("logging", raw.get("logging"))
    _check_keys("logging", logs, {"format"})
    log_format = _string("logging.format", logs.get("format"), "text")
    if log_format not in ("text", "json"):
        raise ConfigError("logging.format: must be text or json")
    keep = _mapping("retention", raw.get("retention"))
    _check_keys("retention", keep, {"visitor_days", "question_days", "delivery_days"})
    retention = RetentionConfig(
        **{
            key: _days(f"retention.{key}", keep.get(key) or getattr(RetentionConfig(), key))
            for key in ("visitor_days", "question_days", "delivery_days")
        }
    )

    return Config(
        telegram=telegram,
        admins=admins,
        admin_chat_id=_optional_integer("admin_chat_id", raw.get("admin_chat_id")),
        members_group_id=_optional_integer("members_group_id", raw.get("members_group_id")),
        database=_relative(base, _string("database", raw.get("database"), "data/hoibot.sqlite3")),
        knowledge_dir=_knowledge_dir(base, raw.get("knowledge_dir")),
        timezone=timezone,
        default_language=language,
        association=association,
        announcements=announcements,
        logging=LoggingConfig(format=log_format),
        retention=retention,
        backups=_backups(base, raw.get("backups")),
        source=source,
    )


def _backups(base: Path | None, value: Any) -> BackupsConfig:
    raw = _mapping("backups", value)
    _check_keys("backups", raw, {"dir", "keep", "time"})
    directory = raw.get("dir")
    keep = _integer("backups.keep", raw.get("keep", 14))
    if keep < 1:
        raise ConfigError("backups.keep: must be at least 1")
    clock = raw.get("time", "03:00")
    if isinstance(clock, int) and not isinstance(clock, bool):
        # YAML 1.1 reads an unquoted 03:00 as the sexagesimal number 180.
        clock = f"{clock // 60}:{clock % 60}"
    clock = _string("backups.time", clock, "03:00")
    try:
        hours, minutes = (int(part) for part in clock.split(":"))
        moment = dt_time(hours, minutes)
    except ValueError:
        raise ConfigError(
            f"backups.time: must be a time of day like 03:00, not {clock!r}"
        ) from None
    return BackupsConfig(
        directory=_relative(base, _string("backups.dir", directory, "")) if directory else None,
        keep=keep,
        time=moment,
    )


def load_config(path: Path | str | None = None, *, env: dict[str, str] | None = None) -> Config:
    """Read and validate the configuration file (or only defaults and env when there is none)."""
    path = Path(path) if path is not None else default_config_path()
    if path is None:
        return parse_config({}, env=env)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config: file not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"config: cannot read {path}: {exc.strerror}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"config: {where}: not valid YAML") from None
    return parse_config(raw, env=env, source=path.resolve())
