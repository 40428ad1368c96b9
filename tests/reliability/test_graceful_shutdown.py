"""SIGTERM to `booking serve`: requests in flight finish, the projection stops cleanly.

(`booking project` exiting 0 on SIGTERM: tests/integration/test_projector_faults.py.)
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from tests.e2e.api import register_pet
from tests.integration.projection_support import read_tables
from tests.reliability.checks import opened_store, request_ids
from tests.reliability.conftest import Figures
from tests.reliability.load import Call, acknowledged, book
from tests.reliability.locks import events_table_locked, sessions_loading_a_pet
from tests.reliability.services import ApiProcess, api_process

pytestmark = [pytest.mark.reliability, pytest.mark.postgres]

IN_FLIGHT = 6
DEADLINE_SECONDS = 30.0


def poll(condition: Callable[[], bool], what: str) -> None:
    """Watch another process's state until `condition()` holds, within a deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.02)


def send_bookings(
    api: ApiProcess, pool: ThreadPoolExecutor, pets: list[tuple[dict[str, str], str]]
) -> list[Future[Call]]:
    clinic_id = uuid4()

    def send(owner: dict[str, str], pet_id: str) -> Call:
        with httpx.Client(base_url=api.base_url, timeout=60.0) as client:
            return book(client, owner, pet_id, clinic_id)

    return [pool.submit(send, owner, pet_id) for owner, pet_id in pets]


@pytest.fixture
def api(shared_db_url: str, secret: str, tmp_path: Path) -> Iterator[ApiProcess]:
    # No pet cache: each booking then reads its pet, so all six wait in the database where
    # the test counts them (a cached pet goes straight to the append, where group commit
    # queues all but one inside the process).
    with api_process(shared_db_url, secret, tmp_path, pet_cache_size="0") as running:
        yield running


def test_sigterm_finishes_requests_in_flight_and_stops_the_projection_cleanly(
    api: ApiProcess, shared_db_url: str, figures: Figures
) -> None:
    with httpx.Client(base_url=api.base_url, timeout=30.0) as client:
        pets = []
        for _ in range(IN_FLIGHT):
            owner = api.new_owner()
            pets.append((owner, register_pet(client, owner)["pet_id"]))

    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        with events_table_locked(shared_db_url, "ACCESS EXCLUSIVE"):
            # Six bookings reach the service and wait on the database
            futures = send_bookings(api, pool, pets)
            poll(lambda: sessions_loading_a_pet(shared_db_url) >= IN_FLIGHT, "the bookings wait")

            # SIGTERM: the service stops listening, but keeps the requests it has
            api.signal(signal.SIGTERM)
            terminated = time.monotonic()
            poll(lambda: not api.accepts_connections(), "the service stops listening")
            assert api.running.poll() is None
        # The database lets go: they all complete
        calls = [future.result() for future in futures]
    exit_code = api.wait()
    stopped = time.monotonic() - terminated

    for call in calls:
        assert call.status == 201, call.describe()
    assert exit_code in (0, -signal.SIGTERM), api.log()
    assert "Application shutdown complete" in api.log()
    with opened_store(shared_db_url) as store:
        position = store.view.position()
        assert read_tables(store.view) == store.log(up_to=position)
        assert request_ids(acknowledged(calls)) <= set(store.log().appointments)
        head = store.bookings.head_position()
    figures("in flight at SIGTERM, completed with 201", f"{len(calls)} of {IN_FLIGHT}")
    figures("SIGTERM to exit", f"{stopped:.2f} s (exit code {exit_code})")
    figures("projection stopped at", f"position {position} of head {head}, tables = fold")


def test_booking_serve_exits_0_on_sigterm(api: ApiProcess) -> None:
    api.signal(signal.SIGTERM)

    assert api.wait() == 0, "exit code: a clean shutdown on request should be 0\n" + api.log()
