"""A tiny pool and a stalled transaction on the events table: 503 in seconds, not minutes."""

from __future__ import annotations

import statistics
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from tests.e2e.api import register_pet
from tests.reliability.conftest import Figures
from tests.reliability.load import Call, book
from tests.reliability.locks import events_table_locked
from tests.reliability.services import ApiProcess, api_process

pytestmark = [pytest.mark.reliability, pytest.mark.postgres]

REQUESTS = 8
POOL_TIMEOUT_SECONDS = 1
LOCK_TIMEOUT_SECONDS = 1
# Every waiting client is answered within this, however many share the one connection.
ANSWER_BOUND_SECONDS = 10.0


def book_all_at_once(api: ApiProcess, pets: list[tuple[dict[str, str], str]]) -> list[Call]:
    """One booking request per pet, each on its own connection, released together."""
    barrier = threading.Barrier(len(pets))
    clinic_id = uuid4()

    def send(pet: tuple[dict[str, str], str]) -> Call:
        owner, pet_id = pet
        with httpx.Client(base_url=api.base_url, timeout=120.0) as client:
            barrier.wait(timeout=10)
            return book(client, owner, pet_id, clinic_id)

    with ThreadPoolExecutor(max_workers=len(pets)) as pool:
        return list(pool.map(send, pets))


@pytest.fixture
def tiny_pool_api(shared_db_url: str, secret: str, tmp_path: Path) -> Iterator[ApiProcess]:
    """One pooled connection, no overflow, one-second waits for it and for locks."""
    with api_process(
        shared_db_url,
        secret,
        tmp_path,
        projection="external",
        pool_size="1",
        pool_max_overflow="0",
        pool_timeout_seconds=str(POOL_TIMEOUT_SECONDS),
        lock_timeout_seconds=str(LOCK_TIMEOUT_SECONDS),
    ) as api:
        yield api


def test_a_stalled_writer_and_a_tiny_pool_answer_503_quickly_then_recover(
    tiny_pool_api: ApiProcess, shared_db_url: str, figures: Figures
) -> None:
    api = tiny_pool_api
    with httpx.Client(base_url=api.base_url, timeout=30.0) as client:
        pets = []
        for _ in range(REQUESTS):
            owner = api.new_owner()
            pets.append((owner, register_pet(client, owner)["pet_id"]))

        # Another session stalls holding the events table; eight owners book at once
        with events_table_locked(shared_db_url, "EXCLUSIVE"):
            stalled = book_all_at_once(api, pets)

        # Once it lets go, the same bookings go through, one after the other
        recovered = [book(client, owner, pet_id, uuid4()) for owner, pet_id in pets]

    for call in stalled:
        assert call.status == 503, call.describe()
        assert call.code == "store_unavailable"
        assert call.problem_json
        assert call.retry_after is not None
        assert call.seconds < ANSWER_BOUND_SECONDS, call.describe()
    for call in recovered:
        assert call.status == 201, call.describe()
    seconds = sorted(c.seconds for c in stalled)
    figures(
        "503 while the table was locked",
        f"{len(stalled)} requests, min {seconds[0]:.2f} s, median "
        f"{statistics.median(seconds):.2f} s, max {seconds[-1]:.2f} s "
        f"(pool 1+0, pool and lock timeouts {POOL_TIMEOUT_SECONDS} s)",
    )
    figures("201 after the lock was released", f"{len(recovered)} of {REQUESTS}")
