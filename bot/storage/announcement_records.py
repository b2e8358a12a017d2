"""Announcements' records as the code sees them (schedules, broadcasts, deliveries, missed
runs) and how database rows become them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage import db_time, from_db_time


@dataclass(frozen=True)
class Schedule:
    id: int
    key: str
    text: str
    entities: list[dict[str, Any]]
    audience: str
    rule: str
    created_by: int | None
    created_at: datetime
    anchor_at: datetime
    status: str


@dataclass(frozen=True)
class Broadcast:
    id: int
    schedule_id: int
    planned_at: datetime
    text: str
    entities: list[dict[str, Any]]
    audience: str
    requested_by: int | None
    status: str
    started_at: datetime
    finished_at: datetime | None
    reported_at: datetime | None


@dataclass(frozen=True)
class Delivery:
    chat_id: int
    status: str
    part: int
    attempts: int


@dataclass(frozen=True)
class DeliveryUpdate:
    """The new state of one delivery row after a send (or an attempt at one)."""

    chat_id: int
    status: str
    part: int
    attempts: int
    error: str | None = None


@dataclass(frozen=True)
class MissedRuns:
    id: int
    schedule_id: int
    count: int
    first_planned: datetime
    last_planned: datetime


def schedule(row: Any) -> Schedule:
    return Schedule(
        id=row["id"],
        key=row["key"],
        text=row["text"],
        entities=json.loads(row["entities"]),
        audience=row["audience"],
        rule=row["rule"],
        created_by=row["created_by"],
        created_at=db_time(row["created_at"]),
        anchor_at=db_time(row["anchor_at"]),
        status=row["status"],
    )


def broadcast(row: Any) -> Broadcast:
    return Broadcast(
        id=row["id"],
        schedule_id=row["schedule_id"],
        planned_at=db_time(row["planned_at"]),
        text=row["text"],
        entities=json.loads(row["entities"]),
        audience=row["audience"],
        requested_by=row["requested_by"],
        status=row["status"],
        started_at=db_time(row["started_at"]),
        finished_at=from_db_time(row["finished_at"]),
        reported_at=from_db_time(row["reported_at"]),
    )


def entities_json(entities: Sequence[dict[str, Any]]) -> str:
    return json.dumps(list(entities), ensure_ascii=False, sort_keys=True)
