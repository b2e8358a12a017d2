"""Configuration: ``config.yaml`` plus environment overrides, validated into typed objects.

Each setting is written once, as a typed field with its default; pydantic checks a file
against these classes and :func:`parse_config` turns its complaints into one line that
names the key ("backups.keep: must be at least 1").
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from datetime import time as dt_time
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo

import yaml
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    with_config,
)

from bot.clock import DEFAULT_ZONE, zone

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
CONFIG_ENV = "HOIBOT_CONFIG"
Language = Literal["vi", "en"]
LANGUAGES: tuple[str, ...] = get_args(Language)
# Environment variables that win over the file when set, and the key each one replaces.
ENV_OVERRIDES = {
    "TELEGRAM_BOT_TOKEN": ("telegram", "token"),
    "TELEGRAM_API_BASE_URL": ("telegram", "base_url"),
    "HOIBOT_ADMINS": ("admins",),
}
# A data folder of its own (e.g. a fresh one for a trial): the database is ``hoibot.sqlite3``
# in it, and what lies beside the database (backups, the console's files) is there too.
DATA_DIR_ENV = "HOIBOT_DATA_DIR"
DATABASE_FILE = "hoibot.sqlite3"


class ConfigError(Exception):
    """A configuration problem, phrased as one line that names the key."""


def _secret_token(value: str) -> str:
    if len(value) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in value):
        raise ValueError("1-256 characters of A-Z, a-z, 0-9, _ and - only")
    return value


def _web_address(value: str) -> str:
    # The value is not echoed: a token pasted into it would end up in a terminal or a log.
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value


def _time_zone(value: str) -> str:
    zone(value)
    return value


def _id_list(value: Any) -> Any:
    """``HOIBOT_ADMINS`` and friends may be written "42, 43"."""
    return [part for part in value.split(",") if part.strip()] if isinstance(value, str) else value


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


def _time_of_day(value: Any) -> dt_time:
    if isinstance(value, dt_time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value // 60}:{value % 60}"  # YAML 1.1 reads an unquoted 03:00 as 180
    try:
        hours, minutes = (int(part) for part in str(value).split(":"))
        return dt_time(hours, minutes)
    except ValueError:
        raise ValueError(f"must be a time of day like 03:00, not {value!r}") from None


def _from_config_folder(value: Path | None, info: ValidationInfo) -> Path | None:
    """A relative path is read from the config file's folder."""
    base: Path | None = (info.context or {}).get("base")
    if value is None or value.is_absolute() or base is None:
        return value
    return base / value


Days = Annotated[int, Field(ge=1)]
Positive = Annotated[float, Field(gt=0)]
OptionalId = Annotated[int | None, BeforeValidator(_blank_is_none)]
LocalPath = Annotated[Path, AfterValidator(lambda p: p.expanduser()),
                      AfterValidator(_from_config_folder)]
_STRICT = ConfigDict(extra="forbid", coerce_numbers_to_str=True, validate_default=True)


@with_config(_STRICT)
@dataclass(frozen=True)
class WebhookConfig:
    url: str = ""
    listen: str = "127.0.0.1"  # behind a reverse proxy; "0.0.0.0" exposes it on every address
    port: int = 8443
    secret_token: Annotated[str, AfterValidator(_secret_token)] = ""


@with_config(_STRICT)
@dataclass(frozen=True)
class TelegramConfig:
    token: str = ""
    base_url: Annotated[str, AfterValidator(_web_address)] = TELEGRAM_API_BASE_URL
    webhook: WebhookConfig = field(default_factory=WebhookConfig)


@with_config(_STRICT)
@dataclass(frozen=True)
class AssociationConfig:
    name: str = "Hội Thư viện Việt Nam"
    name_en: str = "Vietnam Library Association"
    website: str = "vla.org.vn"
    email: str = ""
    phone: str = ""
    address: str = ""


@with_config(_STRICT)
@dataclass(frozen=True)
class AnnouncementsConfig:
    messages_per_second: Positive = 25.0
    missed_run_grace_hours: Positive = 6.0
    meeting_reminder_days: tuple[int, ...] = (7, 1)
    chat_id: OptionalId = None
    # Reminders to a meeting's registrants, in hours before it starts.
    registrant_reminder_hours: tuple[Positive, ...] = (24, 2)
    # An announcement to all subscribers waits for a second admin's approval.
    require_second_admin: StrictBool = False


@with_config(_STRICT)
@dataclass(frozen=True)
class LoggingConfig:
    format: Literal["text", "json"] = "text"  # json: one object per line, for a log collector


@with_config(_STRICT)
@dataclass(frozen=True)
class RetentionConfig:
    """Days after which data about non-members is erased (see README, Data and privacy)."""

    visitor_days: Days = 180
    question_days: Days = 365
    delivery_days: Days = 90


@with_config(_STRICT)
@dataclass(frozen=True)
class BackupsConfig:
    # None: a ``backups`` folder beside the database.
    directory: Annotated[LocalPath | None, Field(validation_alias="dir")] = None
    keep: Annotated[int, Field(ge=1)] = 14
    time: Annotated[dt_time, BeforeValidator(_time_of_day)] = dt_time(3, 0)


@with_config(_STRICT)
@dataclass(frozen=True)
class Config:
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    admins: Annotated[tuple[int, ...], BeforeValidator(_id_list)] = ()
    admin_chat_id: OptionalId = None
    members_group_id: OptionalId = None
    database: LocalPath = Path("data/hoibot.sqlite3")
    knowledge_dir: LocalPath = Path("knowledge")
    timezone: Annotated[str, AfterValidator(_time_zone)] = DEFAULT_ZONE
    default_language: Language = "vi"
    association: AssociationConfig = field(default_factory=AssociationConfig)
    announcements: AnnouncementsConfig = field(default_factory=AnnouncementsConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    backups: BackupsConfig = field(default_factory=BackupsConfig)
    # Where the settings were read from; set by load_config, not a key of the file.
    source: Annotated[Path | None, Field(exclude=True)] = None

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


_VALIDATOR = TypeAdapter(Config)
# How each kind of complaint reads; the key is named before it. ``{...}`` come from pydantic.
_MESSAGES = {
    "unexpected_keyword_argument": "unknown configuration key",
    "dataclass_type": "must be a mapping of keys to values",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "tuple_type": "must be a list",
    "greater_than": "must be greater than {gt:g}",
    "greater_than_equal": "must be at least {ge:g}",
    "literal_error": "must be one of {expected}",
}


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


def _without_nulls(value: Any) -> Any:
    """A key left empty in YAML (``backups:``) means its default."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    return value


Replaced = dict[tuple[str, ...], str]


def _with_environment(raw: dict[str, Any], env: dict[str, str]) -> tuple[dict[str, Any], Replaced]:
    """``raw`` with the environment's overrides laid over it, and which keys they replaced."""
    replaced: Replaced = {}
    for name, key in ENV_OVERRIDES.items():
        if env.get(name):
            section = raw
            for part in key[:-1]:
                section[part] = dict(section.get(part) or {})
                section = section[part]
            section[key[-1]] = env[name]
            replaced[key] = name
    if env.get(DATA_DIR_ENV):
        raw["database"] = str(Path(env[DATA_DIR_ENV]).absolute() / DATABASE_FILE)
        replaced[("database",)] = DATA_DIR_ENV
    return raw, replaced


def _complaint(error: Any, replaced: Replaced) -> str:
    """One pydantic error as "key: what is wrong" (an index in a list is not part of the key)."""
    key = tuple(str(part) for part in error["loc"] if not isinstance(part, int))
    name = replaced.get(key) or ".".join(key) or "config"
    kind = error["type"]
    if kind == "value_error":
        return f"{name}: {error['ctx']['error']}"
    template: str = _MESSAGES.get(kind, error["msg"])
    return f"{name}: " + template.format(**error.get("ctx", {}))


def _knowledge_dir(base: Path | None) -> Path:
    """The ``knowledge`` folder beside the config file, else the installed one."""
    beside = base / "knowledge" if base is not None else Path("knowledge")
    installed = _installed_share() / "knowledge"
    return installed if not beside.is_dir() and installed.is_dir() else beside


def parse_config(
    raw: dict[str, Any] | None,
    *,
    env: dict[str, str] | None = None,
    source: Path | None = None,
) -> Config:
    """Validate a raw mapping (as read from YAML) and apply environment overrides."""
    env = dict(os.environ) if env is None else env
    raw = _without_nulls({} if raw is None else raw)
    if not isinstance(raw, dict):
        raise ConfigError("config: must be a mapping of keys to values")
    if "source" in raw:  # a field of Config, but set here, not by the file
        raise ConfigError("source: unknown configuration key")
    raw, replaced = _with_environment(raw, env)
    base = source.parent if source is not None else None
    try:
        config = _VALIDATOR.validate_python(raw, context={"base": base})
    except ValidationError as exc:
        raise ConfigError(_complaint(exc.errors()[0], replaced)) from None
    if "knowledge_dir" not in raw:
        config = replace(config, knowledge_dir=_knowledge_dir(base))
    return replace(config, source=source)


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
