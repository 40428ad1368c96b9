"""Another process writes behind a warm pet cache: the command still answers from the truth.

The worker is a real OS process with its own application and cache; this test
process is the other writer. Each test warms the worker's cache with a command,
writes behind it here, then checks the worker's next command answers exactly
what a fresh read of the store would have made it answer.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.access import Actor, Role
from application.bookings import PetBookings
from domain.pet import Pet
from tests.dates import STARTS_AT
from tests.integration.pet_cache_worker import Outcome, serve

OWNER = Actor("owner-1", Role.OWNER)
CLINIC, OTHER_CLINIC = uuid4(), uuid4()
ANSWER_SECONDS = 60.0


class Worker:
    def __init__(self, pipe: Connection) -> None:
        self._pipe = pipe

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Outcome:
        self._pipe.send((method, args, kwargs))
        assert self._pipe.poll(ANSWER_SECONDS), f"the worker did not answer {method}"
        outcome: Outcome = self._pipe.recv()
        return outcome

    def request(self, pet_id: UUID, key: str | None = None) -> Outcome:
        return self(
            "request_booking", OWNER, pet_id, clinic_id=CLINIC, service="x", idempotency_key=key
        )

    def cache_hits(self) -> int:
        hits: int = self("cache")["hits"]
        return hits

    def assert_cache_agrees_with(self, bookings: PetBookings, pet_id: UUID) -> None:
        """The worker caches nothing of the pet, or exactly its last stored event's state."""
        cached = self("cached", pet_id)
        if cached:
            *_, last = bookings.events.get(pet_id)
            assert isinstance(last, Pet.Event)
            assert cached == {"version": last.originator_version, "last_hash": last.event_hash}


@pytest.fixture
def worker(db_url: str, bookings: PetBookings) -> Iterator[Worker]:
    """The other process, started once this one's application has created the tables."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=serve, args=(db_url, theirs))
    process.start()
    try:
        yield Worker(ours)
    finally:
        ours.send(None)
        process.join(timeout=30)
        assert process.exitcode == 0


def test_a_request_refused_on_stale_state_is_decided_again_on_the_stored_state(
    bookings: PetBookings, worker: Worker
) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    # The worker books: its cache now holds the pet with that request pending.
    first = worker.request(pet_id)

    # Behind its back, the request is cancelled here.
    bookings.cancel_booking(OWNER, pet_id, first["request_id"])

    # The worker's cache still says "pending", but the store says it may book.
    second = worker.request(pet_id)
    assert "error" not in second, second
    assert second["version"] == 4
    assert worker.cache_hits() == 1
    worker.assert_cache_agrees_with(bookings, pet_id)


def test_a_command_decided_on_stale_state_loses_to_the_store_and_is_refused_by_the_domain(
    bookings: PetBookings, worker: Worker
) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    first = worker.request(pet_id)
    worker("cancel_booking", OWNER, pet_id, first["request_id"])  # Cached: nothing pending.

    # Behind its back, a new request is made here.
    in_the_way = bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="x")

    # The worker decides on its cache, the store refuses the version, the reload refuses it.
    refused = worker.request(pet_id)
    assert refused == {
        "error": "PendingRequestExistsError",
        "in_the_way": in_the_way.request.request_id,
    }
    assert worker.cache_hits() == 2
    # What it decided on and failed to store is not kept.
    worker.assert_cache_agrees_with(bookings, pet_id)


def test_an_idempotent_replay_on_a_warm_cache_answers_the_request_as_stored(
    bookings: PetBookings, worker: Worker
) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    first = worker.request(pet_id, key="tab-1")

    bookings.cancel_booking(OWNER, pet_id, first["request_id"])

    replay = worker.request(pet_id, key="tab-1")
    assert replay == {**first, "status": "cancelled", "version": 3}
    assert worker.cache_hits() == 1
    worker.assert_cache_agrees_with(bookings, pet_id)


def test_staff_act_on_a_request_their_process_has_not_seen_yet(
    bookings: PetBookings, worker: Worker
) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    first = worker.request(pet_id)
    # Behind the worker's back: the request cancelled, and one made to another clinic.
    bookings.cancel_booking(OWNER, pet_id, first["request_id"])
    other = bookings.request_booking(OWNER, pet_id, clinic_id=OTHER_CLINIC, service="x")

    staff = Actor("vet-1", Role.STAFF, clinic_id=OTHER_CLINIC)
    starts_at = datetime.fromisoformat(STARTS_AT)
    scheduled = worker(
        "schedule_booking", staff, pet_id, other.request.request_id, starts_at=starts_at
    )

    assert scheduled["scheduling_status"] == "scheduled", scheduled
    assert scheduled["version"] == 5
    assert worker.cache_hits() == 1
    worker.assert_cache_agrees_with(bookings, pet_id)
