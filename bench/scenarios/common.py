"""Helpers several scenarios share: pet slices, waiting for the projection, one HTTP point."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import httpx

from bench.context import RunContext
from bench.seed import write_pet_file
from bench.servers import Server
from bench.wrk import WrkResult, book_args, run_wrk, script
from tests.processes import ServiceDiedError

PROJECTION_WAIT_SECONDS = 300.0
T = TypeVar("T")


def http_pets(ctx: RunContext, seconds: float) -> int:
    """Enough fresh pets for `seconds` of wrk at a rate no server here reaches."""
    return int(ctx.profile.max_http_rate * seconds) + 100


def split(ids: Sequence[UUID], *sizes: int) -> list[list[UUID]]:
    parts, start = [], 0
    for size in sizes:
        parts.append(list(ids[start : start + size]))
        start += size
    if start > len(ids):
        msg = f"asked for {start} pets, have {len(ids)}"
        raise ValueError(msg)
    return parts


def wait_projected(server: Server, timeout: float = PROJECTION_WAIT_SECONDS) -> None:
    """Until ours' in-process projection has caught up, so it does not run during a measure."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server.check_alive()
        if _projection_lag(server) == 0:
            return
        time.sleep(0.25)
    msg = f"the projection did not catch up within {timeout:.0f} s"
    raise RuntimeError(msg)


def _projection_lag(server: Server) -> int | None:
    try:
        response = httpx.get(f"{server.base_url}/readyz", timeout=10.0)
    except httpx.TransportError:
        return None
    if response.status_code != 200:
        return None
    lag: int = response.json()["projection"]["lag"]
    return lag


def book_distinct(
    ctx: RunContext, server: Server, warm: Sequence[UUID], measured: Sequence[UUID], tag: str
) -> WrkResult:
    """A discarded warm-up, then the measured wrk run; each request books a fresh pet."""
    lua = script(ctx.workdir, "book")
    files: list[Path] = []
    for name, ids in (("warm", warm), ("measured", measured)):
        files.append(write_pet_file(ctx.workdir / f"{tag}-{name}.pets", ids, server.secret))
    run_wrk(ctx.wrk, server.base_url, lua, book_args(files[0]), seconds=ctx.profile.warmup_seconds)
    server.check_alive()
    result = run_wrk(
        ctx.wrk, server.base_url, lua, book_args(files[1]), seconds=ctx.profile.http_seconds
    )
    server.check_alive()
    return result


def with_one_restart(ctx: RunContext, scenario: str, what: str, attempt: Callable[[], T]) -> T:
    """Run `attempt` (which starts its own server); if that server dies, note it, run it again.

    A dying service is a finding, so it is noted under the table; the second
    attempt still gets the figure. A second death fails the scenario.
    """
    try:
        return attempt()
    except ServiceDiedError as error:
        incident = f"({scenario}) {what}: the service died ({error}); measured again"
        ctx.results.incidents.append(incident)
        ctx.log(scenario, incident)
        return attempt()
