"""Telling the type checker that a list read item by item has no missing item."""

from __future__ import annotations

from typing import TypeGuard, TypeVar

T = TypeVar("T")


def all_present(values: list[T | None]) -> TypeGuard[list[T]]:
    """Whether no value is None (``None not in values``, a C-speed scan), as a narrowing."""
    return None not in values
