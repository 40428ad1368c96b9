"""(b) Same-pet bursts: BURST_SIZE simultaneous requests per pet, over many pets."""

from __future__ import annotations

from functools import partial

from bench.burst import BurstResult, run_bursts
from bench.config import WORKER_COUNTS
from bench.context import RunContext
from bench.model import BurstRun, BurstScenario
from bench.scenarios.a_http import register
from bench.scenarios.common import wait_projected, with_one_restart
from bench.servers import System, running

WORKERS = max(WORKER_COUNTS)  # Two processes racing for one pet, not only two threads.


def run(ctx: RunContext) -> BurstScenario:
    runs = []
    for system in (System.BASELINE, System.OURS):
        what = f"{system.value}, {WORKERS} workers"
        result = with_one_restart(ctx, "b", what, partial(_bursts, ctx, system))
        ctx.log("b", f"{what}: {result.summary()}")
        runs.append(BurstRun(system=system.value, store="postgres", workers=WORKERS, burst=result))
    return BurstScenario(runs=runs)


def _bursts(ctx: RunContext, system: System) -> BurstResult:
    schema = f"b_{system.value}"
    pets = register(ctx, system, schema, ctx.profile.burst_rounds + 1)  # +1: the warm-up pet
    url = ctx.database.url(schema)
    with running(system, url, workers=WORKERS, workdir=ctx.workdir, secret=ctx.secret) as server:
        if system is System.OURS:
            wait_projected(server)
        result = run_bursts(server.base_url, server.owner_token, pets)
        server.check_alive()
        return result
