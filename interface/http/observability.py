"""Metrics in Prometheus format, and one access-log line per request with its id."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.bookings import PetBookings
from interface.bootstrap import System
from interface.logs import request_id

access_log = logging.getLogger("booking.access")
REQUEST_ID_HEADER = "x-request-id"
# A caller's own id is kept only when it is short and plain, so logs stay parseable.
ACCEPTABLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class Metrics:
    """The service's metrics; also the application's CommandObserver."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "booking_commands_total",
            "Commands by outcome: ok, or the error that ended them",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.conflicts = Counter(
            "booking_version_conflicts_total",
            "Commands that lost a race on a pet's version and were retried",
            ["command"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "booking_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route", "status"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )

    def command_finished(self, command: str, outcome: str) -> None:
        self.commands.labels(command, outcome).inc()

    def version_conflict(self, command: str) -> None:
        self.conflicts.labels(command).inc()

    def watch(self, system: System) -> None:
        self.registry.register(_StateCollector(system))


class _StateCollector(Collector):
    """Read at scrape time: the projection's progress and the connection pool."""

    def __init__(self, system: System) -> None:
        self.system = system

    def collect(self) -> Iterator[GaugeMetricFamily]:
        bookings, read_side = self.system.bookings, self.system.read_side
        head, position = bookings.head_position(), read_side.view.position()
        yield GaugeMetricFamily("booking_log_head_position", "Newest event position", head)
        yield GaugeMetricFamily("booking_projection_position", "Projected position", position)
        yield GaugeMetricFamily(
            "booking_projection_lag_events", "Events not yet projected", head - position
        )
        yield GaugeMetricFamily(
            "booking_projection_halted",
            "1 when an event could not be projected",
            1 if read_side.worker.halted else 0,
        )
        yield GaugeMetricFamily(
            "booking_read_your_writes_waiting",
            "Readers waiting for the projection to reach their position (min_position)",
            read_side.queries.waiters.waiting,
        )
        pool = GaugeMetricFamily("booking_pool_connections", "Pooled connections", labels=["state"])
        for state, count in _pool_usage(bookings).items():
            pool.add_metric([state], count)
        yield pool


def _pool_usage(bookings: PetBookings) -> dict[str, int]:
    pool: Any = getattr(getattr(bookings.recorder, "datastore", None), "pool", None)
    if pool is None:
        return {}
    if hasattr(pool, "get_stats"):  # psycopg_pool
        stats = pool.get_stats()
        size, idle = stats.get("pool_size", 0), stats.get("pool_available", 0)
        return {"in_use": size - idle, "idle": idle, "waiting": stats.get("requests_waiting", 0)}
    return {"in_use": pool.num_in_use, "idle": pool.num_in_pool}


class RequestObserver:
    """Request id in, request id out; latency histogram; one JSON access line."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        rid = given if ACCEPTABLE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
                # Logged before the client can see the answer, so the line is never late.
                self._log(scope, status, time.perf_counter() - started)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = _route(scope)
            elapsed = time.perf_counter() - started
            self.metrics.latency.labels(scope["method"], route, str(status)).observe(elapsed)
            request_id.reset(token)

    @staticmethod
    def _log(scope: Scope, status: int, elapsed: float) -> None:
        fields = {"status": status, "route": _route(scope), "duration_ms": round(elapsed * 1000, 2)}
        access_log.info(
            "%s %s %s", scope["method"], scope["path"], status, extra={"fields": fields}
        )


def _route(scope: Scope) -> str:
    return str(getattr(scope.get("route"), "path", "unmatched"))
