"""Per-principal rate limit: a token bucket per principal, in this process.

``rate_per_minute`` tokens flow in per minute up to ``burst``; a request takes one. Each API
worker process keeps its own buckets, so the effective limit behind N workers is N times the
setting (documented in ``LINTAS_RATE_LIMIT_PER_MINUTE``); a shared limiter would need Redis.
Buckets idle for ten minutes are forgotten, so memory stays bounded by active principals.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

IDLE_S = 600.0


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """``check(key)`` -> seconds to wait (0.0 = allowed now). ``rate_per_minute`` 0 disables it."""

    def __init__(self, rate_per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = float(max(1, burst))
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._swept = clock()

    def check(self, key: str) -> float:
        """Take one token for ``key``; return 0.0 if allowed, else the seconds until one is free."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        if now - self._swept > IDLE_S:
            self._buckets = {k: b for k, b in self._buckets.items() if now - b.at < IDLE_S}
            self._swept = now
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate
