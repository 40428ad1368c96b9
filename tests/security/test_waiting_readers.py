"""Finding 3: readers waiting for their own write (min_position) starved the service.

Forty such readers held every worker thread for 5 s, so /healthz and commands
stalled. Now waiting holds no thread, a position beyond the log's head is
refused at once, and past BOOKING_MAX_WAITING_READERS a reader gets 503 at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Role
from tests.conftest import STORES
from tests.e2e.api import assert_problem, json_body, new_sub, register_pet, request_booking
from tests.e2e.server import Server, running_server
from tests.stores import database_url

READERS = 60
CAPACITY = 4
# What "answers at once" means here: far below the 5 s a reader may wait.
PROMPT_SECONDS = 1.0
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.02


@pytest.fixture(params=STORES)
def unprojected_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """A server whose projection never runs (external, and no `booking project`)."""
    settings = {"BOOKING_PROJECTION": "external", "BOOKING_MAX_WAITING_READERS": "100"}
    with (
        database_url(request.param, tmp_path) as url,
        running_server(url, tmp_path, settings) as server,
    ):
        yield server


@pytest.fixture(params=STORES)
def small_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    settings = {"BOOKING_PROJECTION": "external", "BOOKING_MAX_WAITING_READERS": str(CAPACITY)}
    with (
        database_url(request.param, tmp_path) as url,
        running_server(url, tmp_path, settings) as server,
    ):
        yield server


def _booked(server: Server, clinic: UUID) -> int:
    """Book once at `clinic`; the command's position, which the list will not reach."""
    owner = server.auth(Role.OWNER, sub=new_sub())
    with httpx.Client(base_url=server.base_url, timeout=15) as client:
        pet_id = register_pet(client, owner)["pet_id"]
        position: int = json_body(request_booking(client, owner, pet_id, clinic), 201)["position"]
    return position


def _readers_client(server: Server) -> httpx.Client:
    """One client for every reader thread: building sixty would itself take seconds of CPU."""
    limits = httpx.Limits(max_connections=READERS + 10, max_keepalive_connections=READERS + 10)
    return httpx.Client(base_url=server.base_url, timeout=30, limits=limits)


def _read(
    client: httpx.Client, staff: dict[str, str], clinic: UUID, position: int
) -> httpx.Response:
    return client.get(
        f"/clinics/{clinic}/pending-requests", headers=staff, params={"min_position": position}
    )


def test_health_and_commands_answer_while_sixty_readers_wait(unprojected_server: Server) -> None:
    server, clinic = unprojected_server, uuid4()
    staff = server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic)
    position = _booked(server, clinic)
    owner = server.auth(Role.OWNER, sub=new_sub())

    with ThreadPoolExecutor(READERS) as pool, _readers_client(server) as client:
        # Sixty readers wait for a position the list will not reach...
        readers = [pool.submit(_read, client, staff, clinic, position) for _ in range(READERS)]
        _until_waiting(client, READERS)
        # ...while the service answers everyone else at once.
        started = time.monotonic()
        health = client.get("/healthz", timeout=PROMPT_SECONDS)
        registered = client.post(
            "/pets", headers=owner, json={"name": "Rex", "species": "dog"}, timeout=PROMPT_SECONDS
        )
        answered_in = time.monotonic() - started
        waited = [reader.result() for reader in readers]

    assert health.status_code == 200
    json_body(registered, 201)
    assert answered_in < PROMPT_SECONDS
    # Each reader waited its 5 s and was then told the list is behind.
    for response in waited:
        assert_problem(response, 503, "projection_behind")
        assert response.headers["Retry-After"]


def test_past_capacity_a_reader_is_refused_at_once(small_server: Server) -> None:
    server, clinic = small_server, uuid4()
    staff = server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic)
    position = _booked(server, clinic)

    with ThreadPoolExecutor(CAPACITY) as pool, _readers_client(server) as client:
        waiting = [pool.submit(_read, client, staff, clinic, position) for _ in range(CAPACITY)]
        _until_waiting(client, CAPACITY)
        started = time.monotonic()
        refused = _read(client, staff, clinic, position)
        refused_in = time.monotonic() - started
        for reader in waiting:
            assert_problem(reader.result(), 503, "projection_behind")

    assert_problem(refused, 503, "projection_behind")
    assert refused.headers["Retry-After"]
    assert refused_in < PROMPT_SECONDS


def test_a_position_beyond_the_head_is_refused_at_once(unprojected_server: Server) -> None:
    server, clinic = unprojected_server, uuid4()
    staff = server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic)
    position = _booked(server, clinic)

    started = time.monotonic()
    with _readers_client(server) as client:
        response = _read(client, staff, clinic, position + 1_000_000)

    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["query", "min_position"]
    assert time.monotonic() - started < PROMPT_SECONDS


def _until_waiting(client: httpx.Client, count: int) -> None:
    """Block until `count` readers wait, as the server's own gauge says."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if _waiting_readers(client) >= count:
            return
        time.sleep(POLL_SECONDS)  # pacing only: the loop waits on the gauge, not the clock
    pytest.fail(f"{count} readers never waited (gauge: {_waiting_readers(client)})")


def _waiting_readers(client: httpx.Client) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith("booking_read_your_writes_waiting "):
            return float(line.split()[1])
    return 0.0
