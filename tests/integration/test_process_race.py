"""The race between two OS processes, each with its own application, on PostgreSQL."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from multiprocessing.queues import Queue

import pytest

from application.access import Actor, Role
from application.bookings import PetBookings
from tests.integration.process_race_worker import race

OWNER = Actor("owner-1", Role.OWNER)
PETS = 30


@pytest.mark.postgres
@pytest.mark.parametrize("store_kind", ["postgres"], indirect=True)
def test_two_processes_requesting_at_once_exactly_one_wins_per_pet(
    bookings: PetBookings, db_url: str
) -> None:
    pet_ids = [
        bookings.register_pet(OWNER, name=f"Rex {i}", species="dog").pet.pet_id for i in range(PETS)
    ]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results: Queue[list[str]] = context.Queue()
    processes = [
        context.Process(target=race, args=(db_url, pet_ids, barrier, results)) for _ in range(2)
    ]

    for process in processes:
        process.start()
    first, second = results.get(timeout=120), results.get(timeout=120)
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0

    for pet_id, outcomes in zip(pet_ids, zip(first, second, strict=True), strict=True):
        assert sorted(outcomes) == ["created", "pending_request_exists"], pet_id
        stored = Counter(type(e).__name__ for e in bookings.events.get(pet_id))
        assert stored["BookingRequested"] == 1
