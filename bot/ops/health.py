"""What the running bot remembers about its own health: when it started, its last error."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.redaction import without_urls

HEALTH_KEY = "health"


@dataclass(frozen=True)
class LastError:
    at: datetime
    summary: str  # the exception's type and the first line of its message


@dataclass
class HealthState:
    started: float = field(default_factory=time.monotonic)
    last_error: LastError | None = None

    @property
    def uptime_seconds(self) -> int:
        return int(time.monotonic() - self.started)


def health_state(application: Any) -> HealthState:
    """The application's health state (created at first use)."""
    state: HealthState = application.bot_data.setdefault(HEALTH_KEY, HealthState())
    return state


def record_error(application: Any, error: BaseException) -> None:
    """Remember an error for ``/health`` (type and first line only: no update contents)."""
    first_line = (without_urls(str(error)).splitlines() or [""])[0][:200]
    summary = f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
    health_state(application).last_error = LastError(datetime.now(UTC), summary)


def uptime_parts(seconds: int) -> tuple[str, dict[str, int]]:
    """The catalog key and figures of an uptime: ``3 d 4 h 5 min``, ``4 h 5 min``, ``5 min``."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return "ops.uptime_days", {"days": days, "hours": hours, "minutes": minutes}
    if hours:
        return "ops.uptime_hours", {"hours": hours, "minutes": minutes}
    return "ops.uptime_minutes", {"minutes": minutes}
