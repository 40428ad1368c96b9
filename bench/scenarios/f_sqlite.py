"""(f) The embedded default: `booking serve` on a SQLite file, HTTP commands and bursts."""

from __future__ import annotations

from bench.burst import run_bursts
from bench.context import RunContext
from bench.model import SqliteResult
from bench.scenarios.common import book_distinct, http_pets, split, wait_projected, with_one_restart
from bench.seed import register_our_pets
from bench.servers import System, running

WORKERS = 1


def run(ctx: RunContext) -> SqliteResult:
    return with_one_restart(ctx, "f", f"SQLite, {WORKERS} worker", lambda: _measure(ctx))


def _measure(ctx: RunContext) -> SqliteResult:
    profile = ctx.profile
    url = f"sqlite:///{ctx.scratch('f-sqlite') / 'booking.sqlite3'}"
    sizes = (
        http_pets(ctx, profile.warmup_seconds),
        http_pets(ctx, profile.http_seconds),
        profile.burst_rounds + 1,
    )
    ctx.log("f", f"registering {sum(sizes):,} pets in {url}")
    warm, measured, burst_pets = split(register_our_pets(url, ctx.secret, sum(sizes)), *sizes)
    with running(
        System.OURS, url, workers=WORKERS, workdir=ctx.workdir, secret=ctx.secret
    ) as server:
        wait_projected(server)
        http = book_distinct(ctx, server, warm, measured, "f-sqlite")
        ctx.log("f", f"SQLite, {WORKERS} worker: {http.summary()}")
        wait_projected(server)
        burst = run_bursts(server.base_url, server.owner_token, burst_pets)
        server.check_alive()
        ctx.log("f", f"SQLite bursts: {burst.summary()}")
    return SqliteResult(workers=WORKERS, http=http, burst=burst)
