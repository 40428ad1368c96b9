"""Two API processes and one projector on one database: one pet, one pending request."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Role
from tests.e2e.api import assert_problem, cancel, json_body, new_sub, register_pet, schedule
from tests.reliability.checks import assert_projection_complete, opened_store, run_verify
from tests.reliability.conftest import Figures
from tests.reliability.services import ApiProcess, api_process, projector_process

pytestmark = [pytest.mark.reliability, pytest.mark.postgres]

PETS = 30
SENDERS_PER_SERVER = 4
CLINICS = 3
BARRIER_TIMEOUT_SECONDS = 10.0
LISTED_FIELDS = ("request_id", "pet_id", "pet_name", "owner_id")

Sender = tuple[int, httpx.Client]  # (index of the server it talks to, its client)


@pytest.fixture
def servers(shared_db_url: str, secret: str, tmp_path: Path) -> Iterator[list[ApiProcess]]:
    """`booking project` and two `booking serve` that only read the tables it writes.

    The projector starts first, as in a deployment where API processes are
    started, or restarted, while it runs.
    """
    with ExitStack() as stack:
        stack.enter_context(projector_process(shared_db_url, secret, tmp_path))
        yield [
            stack.enter_context(
                api_process(shared_db_url, secret, tmp_path, name, projection="external")
            )
            for name in ("api-a", "api-b")
        ]


@pytest.fixture
def clients(servers: list[ApiProcess]) -> Iterator[list[httpx.Client]]:
    """One client per server, for the calls that are not part of a burst."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(httpx.Client(base_url=s.base_url, timeout=30.0)) for s in servers
        ]


@pytest.fixture
def senders(servers: list[ApiProcess]) -> Iterator[list[Sender]]:
    """Eight browser tabs, each with its own connection, four on each server."""
    with ExitStack() as stack:
        yield [
            (index, stack.enter_context(httpx.Client(base_url=s.base_url, timeout=30.0)))
            for index, s in enumerate(servers)
            for _ in range(SENDERS_PER_SERVER)
        ]


def burst(
    senders: list[Sender], owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> list[tuple[int, httpx.Response]]:
    """One booking request per sender, all released at once."""
    barrier = threading.Barrier(len(senders))
    body = {"clinic_id": str(clinic_id), "service": "vaccination"}

    def send(sender: Sender) -> tuple[int, httpx.Response]:
        server, client = sender
        barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
        return server, client.post(f"/pets/{pet_id}/booking-requests", headers=owner, json=body)

    with ThreadPoolExecutor(max_workers=len(senders)) as pool:
        return list(pool.map(send, senders))


def the_one_winner(answers: list[tuple[int, httpx.Response]]) -> tuple[int, dict[str, Any]]:
    """Exactly one 201; every other answer is the 409 naming it. (server index, its body)"""
    [(server, winner)] = [(s, r) for s, r in answers if r.status_code == 201]
    won = json_body(winner, 201)
    for _, loser in answers:
        if loser is not winner:
            problem = assert_problem(loser, 409, "pending_request_exists")
            assert problem["pending_request_id"] == won["request_id"]
    return server, won


@dataclass(frozen=True)
class Booked:
    """A pet's winning request: who owns the pet, and the 201's body."""

    owner_id: str
    pet_name: str
    receipt: dict[str, Any]

    def listed(self) -> dict[str, str]:
        """How the pending list must show it."""
        ids = {key: self.receipt[key] for key in ("request_id", "pet_id")}
        return {**ids, "pet_name": self.pet_name, "owner_id": self.owner_id}


def settle_some(
    booked: list[Booked], clients: list[httpx.Client], api: ApiProcess
) -> tuple[list[Booked], int]:
    """Staff schedule every fifth request on one server, owners cancel others on the other.

    Returns the requests still pending, and the position of the last command.
    """
    a, b = clients
    pending, positions = [], [one.receipt["position"] for one in booked]
    for i, one in enumerate(booked):
        pet_id, request_id = one.receipt["pet_id"], one.receipt["request_id"]
        if i % 5 == 1:
            owner = api.api.auth(Role.OWNER, sub=one.owner_id)
            positions.append(json_body(cancel(b, owner, pet_id, request_id), 200)["position"])
        elif i % 5 == 3:
            staff = api.staff(UUID(one.receipt["clinic_id"]))
            positions.append(json_body(schedule(a, staff, pet_id, request_id), 200)["position"])
        else:
            pending.append(one)
    return pending, max(positions)


def pending_list(
    client: httpx.Client, staff: dict[str, str], clinic_id: UUID, at: int
) -> list[Any]:
    params = {"min_position": at, "limit": 500}
    response = client.get(f"/clinics/{clinic_id}/pending-requests", headers=staff, params=params)
    return [{key: item[key] for key in LISTED_FIELDS} for item in json_body(response, 200)["items"]]


def test_simultaneous_requests_across_two_servers_accept_one_per_pet_and_both_list_it(
    servers: list[ApiProcess],
    clients: list[httpx.Client],
    senders: list[Sender],
    shared_db_url: str,
    figures: Figures,
) -> None:
    api = servers[0]
    clinics = [uuid4() for _ in range(CLINICS)]

    # Each pet is booked by eight tabs at once, four on each server
    booked: list[Booked] = []
    won_on: Counter[int] = Counter()
    for i in range(PETS):
        owner_id = new_sub()
        owner = api.api.auth(Role.OWNER, sub=owner_id)
        pet_id = register_pet(clients[i % 2], owner, name=f"Pet {i}")["pet_id"]
        server, won = the_one_winner(burst(senders, owner, pet_id, clinics[i % CLINICS]))
        booked.append(Booked(owner_id, f"Pet {i}", won))
        won_on[server] += 1

    # Staff schedule some on one server, owners cancel others on the other
    pending, last = settle_some(booked, clients, api)

    # Either server's list, read at the last write, is exactly what remains pending
    for clinic_id in clinics:
        wanted = [
            one.listed()
            for one in sorted(pending, key=lambda one: int(one.receipt["position"]))
            if one.receipt["clinic_id"] == str(clinic_id)
        ]
        for client in clients:
            assert pending_list(client, api.staff(clinic_id), clinic_id, last) == wanted

    # The log holds one request per pet; the projector's tables equal its fold
    with opened_store(shared_db_url) as store:
        logged = assert_projection_complete(store)
    assert {str(r) for r in logged.appointments} == {one.receipt["request_id"] for one in booked}
    verified = run_verify(shared_db_url)
    figures("pets, simultaneous requests", f"{PETS}, {PETS * SENDERS_PER_SERVER * 2}")
    figures("201 per server", f"a={won_on[0]}, b={won_on[1]}; every other answer 409")
    figures("verify", verified)
