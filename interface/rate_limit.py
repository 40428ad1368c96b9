"""Booking commands per user: a token bucket each, shared by the API and the console."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimitedError(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


class RateLimiter:
    """A token bucket per key, in this process; `per_minute=0` turns it off.

    Each API process limits on its own: with N processes an owner gets up to N
    times the rate, which still bounds abuse without a shared store.
    """

    MAX_KEYS = 100_000

    def __init__(
        self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        """Spend one token of `key`'s bucket, or raise RateLimitedError."""
        if self.rate <= 0:
            return
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                raise RateLimitedError(math.ceil((1 - tokens) / self.rate))
            self._buckets[key] = (tokens - 1, now)
            while len(self._buckets) > self.MAX_KEYS:
                self._buckets.popitem(last=False)  # The least recently seen owner.
