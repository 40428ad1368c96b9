"""(g) A server's resident memory as it books ever more distinct pets: bounded by its cache.

`booking serve` (1 worker, the in-process projection on) with
BOOKING_PET_CACHE_SIZE set to the profile's cache size books fresh pets over
HTTP, each once: its resident set is read after the first few, once as many
pets as the cache holds were booked, and after all of them (several times
the cache's size; `--touched-pets` sets how many).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path
from uuid import UUID

from bench import rawhttp
from bench.bulk import CLINIC, copy_pets
from bench.context import RunContext
from bench.model import MemoryPoint
from bench.scenarios.common import wait_projected
from bench.seed import owner_token
from bench.servers import Server, System, running

SCHEMA = "g_memory"
CONNECTIONS = 16
FIRST_PETS = 200  # booked before the first reading: every code path has run once


def touch_pets(ctx: RunContext) -> list[MemoryPoint]:
    profile, url = ctx.profile, ctx.database.url(SCHEMA)
    ctx.log("g", f"booking {profile.touched_pets:,} distinct pets, cache {profile.cache_size:,}")
    ids = [pet.pet_id for pet in copy_pets(url, ctx.secret, SCHEMA, profile.touched_pets, 1)]
    cache = {"pet_cache_size": str(profile.cache_size)}
    points = []
    with running(
        System.OURS, url, workers=1, workdir=ctx.workdir, secret=ctx.secret, settings=cache
    ) as server:
        wait_projected(server)
        booked = 0
        for upto in (FIRST_PETS, profile.cache_size, profile.touched_pets):
            failed = book_each(server, ids[booked:upto])
            booked = upto
            wait_projected(server)
            server.check_alive()
            points.append(MemoryPoint(pets=booked, rss_mb=rss_mb(server.service.running.pid)))
            ctx.log("g", f"{booked:,} pets booked ({failed} not 201): {points[-1].rss_mb:.0f} MB")
    return points


def book_each(server: Server, pets: Sequence[UUID]) -> int:
    """Book every pet once over CONNECTIONS keep-alive connections; how many were not 201."""
    return asyncio.run(_book_each(server, iter(pets)))


async def _book_each(server: Server, pets: Iterator[UUID]) -> int:
    connections = await rawhttp.connect(server.base_url, CONNECTIONS)
    body = {"clinic_id": str(CLINIC), "service": "vaccination"}

    async def book(connection: rawhttp.Connection) -> int:
        failed = 0
        for pet_id in pets:  # One iterator shared by every connection: each pet once.
            headers = {"Authorization": f"Bearer {owner_token(server.secret, pet_id)}"}
            path = f"/pets/{pet_id}/booking-requests"
            answer = await connection.send(rawhttp.post_json(server.base_url, path, headers, body))
            failed += answer.status != 201
        return failed

    try:
        return sum(await asyncio.gather(*(book(c) for c in connections)))
    finally:
        for connection in connections:
            await connection.close()


def rss_mb(pid: int) -> float:
    """The process's resident set size (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    msg = f"no VmRSS for process {pid}"
    raise RuntimeError(msg)
