"""Abuse limits: caps on request headers and bodies, and a per-owner rate of booking commands."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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


class PayloadTooLargeError(HTTPException):
    """Raised mid-read for streamed bodies; an HTTPException so FastAPI passes it on."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class SizeLimit:
    """A middleware that answers with `refuse` what is over `max_bytes`."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        refuse: Callable[[Scope, Receive, Send], Awaitable[None]],
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refuse = refuse


class BodySizeLimit(SizeLimit):
    """Refuses bodies over `max_bytes`, declared or streamed, before a handler reads them."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self.refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise PayloadTooLargeError
            return message

        await self.app(scope, counting_receive, send)


class HeaderSizeLimit(SizeLimit):
    """Refuses requests whose headers together exceed `max_bytes`, before anything reads them."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Counted as on the wire: "name: value" and its line end.
        if scope["type"] == "http" and self.max_bytes < sum(
            len(name) + len(value) + 4 for name, value in scope["headers"]
        ):
            await self.refuse(scope, receive, send)
            return
        await self.app(scope, receive, send)
