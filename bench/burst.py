"""Same-pet bursts: BURST_SIZE simultaneous booking requests for one pet, pet after pet."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

from bench import rawhttp
from bench.config import BURST_SIZE
from bench.stats import percentile

ANSWER_TIMEOUT = 30.0
PENDING_DETAIL = "Ya existe una solicitud pendiente para esta mascota"
CLINIC = "6f1c2a44-5b7e-4c2d-9a51-0d6f3e8b9c10"


@dataclass(frozen=True)
class BurstResult:
    pets: int
    burst: int
    pets_exact: int  # pets that got exactly one 201 and burst-1 friendly 409s
    created: int  # 201s
    refused: int  # 409 pending_request_exists, with the Spanish detail
    server_errors: int  # 5xx
    other: int  # any other answer
    unanswered: int  # no answer within ANSWER_TIMEOUT, or the connection failed
    p50_ms: float  # time until all of one pet's requests are answered
    p99_ms: float
    max_ms: float

    def summary(self) -> str:
        return (
            f"{self.pets_exact}/{self.pets} pets exact, 5xx {self.server_errors}, other"
            f" {self.other}, unanswered {self.unanswered}; all answered p50"
            f" {self.p50_ms:.0f} ms, p99 {self.p99_ms:.0f} ms"
        )


TokenFor = Callable[[UUID], str]


def run_bursts(base_url: str, token_for: TokenFor, pets: Sequence[UUID]) -> BurstResult:
    """Each pet's owner books it BURST_SIZE times at once; the first pet only warms up."""
    return asyncio.run(_bursts(base_url, token_for, pets))


async def _bursts(base_url: str, token_for: TokenFor, pets: Sequence[UUID]) -> BurstResult:
    connections = await rawhttp.connect(base_url, BURST_SIZE)
    outcomes: Counter[str] = Counter()
    exact, times = 0, []
    try:
        await _one_pet(connections, base_url, token_for, pets[0])
        connections = await rawhttp.replace_broken(base_url, connections)
        for pet_id in pets[1:]:
            answers, seconds = await _one_pet(connections, base_url, token_for, pet_id)
            connections = await rawhttp.replace_broken(base_url, connections)
            outcomes.update(answers)
            exact += answers["created"] == 1 and answers["refused"] == BURST_SIZE - 1
            times.append(seconds * 1000)
    finally:
        for connection in connections:
            await connection.close()
    return BurstResult(
        pets=len(pets) - 1,
        burst=BURST_SIZE,
        pets_exact=exact,
        created=outcomes["created"],
        refused=outcomes["refused"],
        server_errors=outcomes["server_error"],
        other=outcomes["other"],
        unanswered=outcomes["unanswered"],
        p50_ms=percentile(times, 50),
        p99_ms=percentile(times, 99),
        max_ms=max(times, default=0.0),
    )


async def _one_pet(
    connections: list[rawhttp.Connection], base_url: str, token_for: TokenFor, pet_id: UUID
) -> tuple[Counter[str], float]:
    """Every connection sends the same request at once; the time until the last answer."""
    path = f"/pets/{pet_id}/booking-requests"
    headers = {"Authorization": f"Bearer {token_for(pet_id)}"}
    request = rawhttp.post_json(
        base_url, path, headers, {"clinic_id": CLINIC, "service": "vaccination"}
    )
    go = asyncio.Event()

    async def book(connection: rawhttp.Connection) -> str:
        await go.wait()
        try:
            return _outcome(await asyncio.wait_for(connection.send(request), ANSWER_TIMEOUT))
        except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError):
            connection.broken = True  # A late answer would be read as the next one's.
            return "unanswered"

    tasks = [asyncio.create_task(book(c)) for c in connections]
    await asyncio.sleep(0)  # Every task is now waiting on `go`.
    started = time.perf_counter()
    go.set()
    answers = await asyncio.gather(*tasks)
    return Counter(answers), time.perf_counter() - started


def _outcome(answer: rawhttp.Answer) -> str:
    if answer.status == 201:
        return "created"
    if answer.status >= 500:
        return "server_error"
    if answer.status == 409:
        body = answer.json()
        if body.get("code") == "pending_request_exists" and body.get("detail") == PENDING_DETAIL:
            return "refused"
    return "other"
