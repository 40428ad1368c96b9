"""Simultaneous HTTP requests for one pet: exactly one is accepted, the rest get 409."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import httpx
import pytest

from tests.e2e.api import assert_problem, get_pet, json_body, register_pet
from tests.e2e.server import Server

PETS_PER_TEST = 10
BARRIER_TIMEOUT_SECONDS = 10.0


@pytest.fixture
def clients(server: Server) -> Iterator[list[httpx.Client]]:
    """Eight clients, each with its own connections, like eight browser tabs."""
    tabs = [httpx.Client(base_url=server.base_url, timeout=30.0) for _ in range(8)]
    try:
        yield tabs
    finally:
        for tab in tabs:
            tab.close()


def _burst(
    tabs: list[httpx.Client], auth: dict[str, str], pet_id: str, headers: dict[str, str]
) -> list[httpx.Response]:
    """Send one booking request per tab, all released at the same instant."""
    barrier = threading.Barrier(len(tabs))
    body = {"clinic_id": str(uuid4()), "service": "vaccination"}

    def send(tab: httpx.Client) -> httpx.Response:
        barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
        path = f"/pets/{pet_id}/booking-requests"
        return tab.post(path, headers={**auth, **headers}, json=body)

    with ThreadPoolExecutor(max_workers=len(tabs)) as pool:
        return list(pool.map(send, tabs))


@pytest.mark.parametrize("tabs", [2, 8])
def test_simultaneous_requests_for_one_pet_accept_exactly_one(
    client: httpx.Client,
    clients: list[httpx.Client],
    owner: dict[str, str],
    tabs: int,
) -> None:
    for _ in range(PETS_PER_TEST):
        pet_id = register_pet(client, owner)["pet_id"]

        # All tabs submit at once
        responses = _burst(clients[:tabs], owner, pet_id, {})

        # One wins; every other tab is told which request is in the way
        [winner] = [r for r in responses if r.status_code == 201]
        request_id = winner.json()["request_id"]
        for loser in (r for r in responses if r is not winner):
            problem = assert_problem(loser, 409, "pending_request_exists")
            assert problem["pending_request_id"] == request_id
        requests = get_pet(client, owner, pet_id)["requests"]
        assert [r["request_id"] for r in requests] == [request_id]


def test_simultaneous_retries_with_one_key_all_get_the_same_request(
    client: httpx.Client, clients: list[httpx.Client], owner: dict[str, str]
) -> None:
    pet_id = register_pet(client, owner)["pet_id"]
    key = {"Idempotency-Key": f"retry-{uuid4()}"}

    responses = _burst(clients, owner, pet_id, key)

    ids = {json_body(r, 201)["request_id"] for r in responses}
    assert len(ids) == 1
    assert [r["request_id"] for r in get_pet(client, owner, pet_id)["requests"]] == list(ids)
