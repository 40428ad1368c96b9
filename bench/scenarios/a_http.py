"""(a) HTTP booking commands/s on distinct pets, ours vs the baseline, 1 and 2 workers."""

from __future__ import annotations

from functools import partial
from uuid import UUID

from bench.config import CONNECTIONS, WORKER_COUNTS
from bench.context import RunContext
from bench.model import HttpPoint, HttpResult
from bench.scenarios.common import (
    book_distinct,
    http_pets,
    split,
    wait_projected,
    with_one_restart,
)
from bench.seed import register_baseline_pets, register_our_pets
from bench.servers import System, running
from bench.wrk import WrkResult


def run(ctx: RunContext) -> HttpResult:
    points = []
    for workers in WORKER_COUNTS:
        for system in (System.BASELINE, System.OURS):
            what = f"{system.value}, {workers} worker(s)"
            result = with_one_restart(ctx, "a", what, partial(_point, ctx, system, workers))
            ctx.log("a", f"{what}: {result.summary()}")
            points.append(HttpPoint(system=system.value, workers=workers, wrk=result))
    return HttpResult(connections=CONNECTIONS, points=points)


def register(ctx: RunContext, system: System, schema: str, count: int) -> list[UUID]:
    """Fresh pets in the system's own tables, written in bulk."""
    if system is System.OURS:
        return register_our_pets(ctx.database.url(schema), ctx.secret, count)
    return register_baseline_pets(ctx.database, schema, count)


def _point(ctx: RunContext, system: System, workers: int) -> WrkResult:
    sizes = (http_pets(ctx, ctx.profile.warmup_seconds), http_pets(ctx, ctx.profile.http_seconds))
    schema = f"a_{system.value}"
    warm, measured = split(register(ctx, system, schema, sum(sizes)), *sizes)
    url = ctx.database.url(schema)
    with running(system, url, workers=workers, workdir=ctx.workdir, secret=ctx.secret) as server:
        if system is System.OURS:
            wait_projected(server)
        return book_distinct(ctx, server, warm, measured, f"a-{system.value}-{workers}")
