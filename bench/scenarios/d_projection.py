"""(d) The projection: catch-up events/s over a long log, and live lag under load."""

from __future__ import annotations

import time

from bench.config import CONNECTIONS, LIVE_LOAD_SHARE, WORKER_COUNTS
from bench.context import RunContext
from bench.lag import POLL_SECONDS, PositionPoller, commit_to_visible_ms
from bench.model import CatchUp, LiveLag, ProjectionResult
from bench.scenarios.common import (
    book_distinct,
    http_pets,
    split,
    wait_projected,
    with_one_restart,
)
from bench.seed import our_application, register_our_pets, write_event_log, write_pet_file
from bench.servers import System, running
from bench.stats import percentile
from bench.wrk import book_args, run_wrk, script
from interface.read_side import build_read_side
from interface.settings import Settings
from interface.store import store_from_settings

CATCH_UP_SCHEMA = "d_catchup"
LIVE_SCHEMA = "d_live"
CALIBRATION_SECONDS = 3.0
DRAIN_SECONDS = 30.0


def run(ctx: RunContext) -> ProjectionResult:
    caught_up = catch_up(ctx)
    live = with_one_restart(ctx, "d", "the live-lag service", lambda: live_lag(ctx))
    return ProjectionResult(catch_up=caught_up, live=live)


def catch_up(ctx: RunContext) -> CatchUp:
    """A fresh worker's catch_up over a bulk-written log (VACUUM ANALYZEd, as a settled table)."""
    url = ctx.database.url(CATCH_UP_SCHEMA)
    ctx.log("d", f"writing {ctx.profile.catch_up_events:,} events in bulk")
    events = write_event_log(url, ctx.secret, ctx.profile.catch_up_events)
    ctx.event_logs[CATCH_UP_SCHEMA] = events
    with ctx.database.connect() as connection:
        connection.execute(f'VACUUM ANALYZE "{CATCH_UP_SCHEMA}".petbookings_events')
    result = time_catch_up(url, ctx.secret)
    ctx.log("d", f"catch-up: {result.events:,} events in {result.seconds:.1f} s"
            f" = {result.rate:,.0f} events/s")  # fmt: skip
    return result


def time_catch_up(url: str, secret: str) -> CatchUp:
    """A fresh worker's catch_up from position 0 to the head, timed in this process."""
    settings = Settings(database_url=url, jwt_secret=secret)
    with our_application(url, secret) as bookings:
        read_side = build_read_side(store_from_settings(settings), bookings, settings, follow=False)
        started = time.perf_counter()
        applied = read_side.worker.catch_up()
        seconds = time.perf_counter() - started
    return CatchUp(events=applied, seconds=seconds, rate=applied / seconds)


def live_lag(ctx: RunContext) -> LiveLag:
    """Commands at LIVE_LOAD_SHARE of (a)'s best rate for ours; lag of every event they write."""
    profile = ctx.profile
    best = ctx.results.a.best(System.OURS.value) if ctx.results.a else None
    workers = best.workers if best else max(WORKER_COUNTS)
    probe = (
        (0, 0)
        if best
        else (http_pets(ctx, profile.warmup_seconds), http_pets(ctx, profile.http_seconds))
    )
    calibration = int(profile.max_http_rate * LIVE_LOAD_SHARE * CALIBRATION_SECONDS) + 100
    paced = int(profile.max_http_rate * LIVE_LOAD_SHARE * profile.live_seconds) + 100
    url = ctx.database.url(LIVE_SCHEMA)
    ids = register_our_pets(url, ctx.secret, sum(probe) + calibration + paced)
    warm, measured, trial_ids, paced_ids = split(ids, *probe, calibration, paced)
    with running(
        System.OURS, url, workers=workers, workdir=ctx.workdir, secret=ctx.secret
    ) as server:
        wait_projected(server)
        max_rps = (
            best.wrk.rps if best else book_distinct(ctx, server, warm, measured, "d-probe").rps
        )
        target = max_rps * LIVE_LOAD_SHARE
        args = [
            book_args(write_pet_file(ctx.workdir / f"d-{name}.pets", part, server.secret))
            for name, part in (("trial", trial_ids), ("paced", paced_ids))
        ]
        # Closed loop with a pause: rate = connections / (latency + pause). Calibrate once.
        pause = CONNECTIONS / target
        trial = run_wrk(
            ctx.wrk,
            server.base_url,
            script(ctx.workdir, "book", delay_ms=pause * 1000),
            args[0],
            seconds=CALIBRATION_SECONDS,
        )
        pause = max(0.0, CONNECTIONS / target - (CONNECTIONS / trial.rps - pause))
        wait_projected(server)
        poller = PositionPoller(ctx.database.base_url, LIVE_SCHEMA)
        poller.start()
        try:
            lua = script(ctx.workdir, "book", delay_ms=pause * 1000)
            load = run_wrk(ctx.wrk, server.base_url, lua, args[1], seconds=profile.live_seconds)
            server.check_alive()
            _drain(poller)
        finally:
            poller.stop()
    if poller.error is not None:
        msg = f"the lag poller failed: {poller.error}"
        raise RuntimeError(msg)
    lags, unresolved = commit_to_visible_ms(poller.samples)
    result = LiveLag(
        workers=workers,
        max_rps=max_rps,
        target_rps=target,
        load=load,
        samples=len(lags),
        unresolved=unresolved,
        poll_ms=POLL_SECONDS * 1000,
        p50_ms=percentile(lags, 50),
        p99_ms=percentile(lags, 99),
        max_ms=max(lags, default=0.0),
    )
    ctx.log(
        "d",
        f"live at {load.rps:,.0f} req/s (target {target:,.0f}): lag p50 {result.p50_ms:.1f} ms,"
        f" p99 {result.p99_ms:.1f} ms over {len(lags):,} events",
    )
    return result


def _drain(poller: PositionPoller) -> None:
    """Keep polling until the read table has every event committed under load."""
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        latest = poller.latest()
        if latest is not None and latest[2] >= latest[1]:
            return
        time.sleep(0.05)
