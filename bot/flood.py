"""A per-user flood limit: a burst is fine, a flood is told once to slow down, then dropped.

A token bucket per user: ``burst`` updates at once, refilled at ``per_second``. The update that
finds the bucket empty starts a mute of ``mute_seconds``: it gets the one "please slow down"
(:data:`SLOW_DOWN`), every later one until the mute ends is dropped (:data:`DROP`) and
counted; the mute's end gives a full bucket again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

ALLOW = "allow"
SLOW_DOWN = "slow_down"
DROP = "drop"

# Users whose bucket is full and who are not muted are forgotten beyond this many.
_PRUNE_ABOVE = 10_000


@dataclass(frozen=True)
class FloodPolicy:
    burst: int = 20
    per_second: float = 1.0
    mute_seconds: float = 60.0


@dataclass
class _Bucket:
    tokens: float
    updated: float
    muted_until: float = 0.0
    dropped: int = 0


@dataclass(frozen=True)
class Verdict:
    action: str
    dropped: int = 0  # for ALLOW right after a mute: how many updates the mute dropped


class FloodGuard:
    """Decides, per user, whether an update is handled, answered "slow down" or dropped."""

    def __init__(
        self, policy: FloodPolicy | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.policy = policy or FloodPolicy()
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def check(self, user_id: int) -> Verdict:
        """Count one update of this user and say what to do with it."""
        now = self._clock()
        policy = self.policy
        bucket = self._buckets.get(user_id)
        if bucket is None:
            self._prune(now)
            bucket = self._buckets[user_id] = _Bucket(float(policy.burst), now)
        if bucket.muted_until:
            if now < bucket.muted_until:
                bucket.dropped += 1
                return Verdict(DROP)
            dropped, bucket.dropped, bucket.muted_until = bucket.dropped, 0, 0.0
            bucket.tokens, bucket.updated = float(policy.burst) - 1, now
            return Verdict(ALLOW, dropped)
        bucket.tokens = min(
            float(policy.burst), bucket.tokens + (now - bucket.updated) * policy.per_second
        )
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict(ALLOW)
        bucket.muted_until = now + policy.mute_seconds
        bucket.dropped = 0
        return Verdict(SLOW_DOWN)

    def _prune(self, now: float) -> None:
        if len(self._buckets) <= _PRUNE_ABOVE:
            return
        burst, rate = float(self.policy.burst), self.policy.per_second
        self._buckets = {
            user: b
            for user, b in self._buckets.items()
            if b.muted_until > now or b.tokens + (now - b.updated) * rate < burst
        }
