"""The two-tab race, for real: threads released together against SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar
from uuid import UUID, uuid4

from application.access import Actor, Role
from application.bookings import PetBookings
from application.errors import PetAlreadyExistsError
from domain.pet import IdempotencyKeyReusedError, PendingRequestExistsError, Pet

T = TypeVar("T")
OWNER = Actor("owner-1", Role.OWNER)
THREADS = 16
ROUNDS = 50


def all_at_once(count: int, action: Callable[[int], T]) -> list[T | Exception]:
    """Run `action` in `count` threads released by one barrier; collect results or errors."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T | Exception:
        barrier.wait()
        try:
            return action(index)
        except Exception as error:
            return error

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def stored_types(bookings: PetBookings, pet_id: UUID) -> Counter[str]:
    return Counter(type(e).__name__ for e in bookings.events.get(pet_id))


def race_one_pet(bookings: PetBookings) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    clinic_id = uuid4()

    # Sixteen tabs submit at the same instant.
    outcomes = all_at_once(
        THREADS,
        lambda i: bookings.request_booking(
            OWNER, pet_id, clinic_id=clinic_id, service=f"service {i}"
        ),
    )

    # One wins; every other tab is told which request is in the way.
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1
    assert all(isinstance(e, PendingRequestExistsError) for e in losers), losers
    in_the_way = {e.pending_request_id for e in losers if isinstance(e, PendingRequestExistsError)}
    assert in_the_way == {winners[0].request.request_id}
    assert stored_types(bookings, pet_id)["BookingRequested"] == 1


def test_simultaneous_requests_for_one_pet_exactly_one_wins(bookings: PetBookings) -> None:
    for _ in range(ROUNDS):
        race_one_pet(bookings)


def test_simultaneous_requests_with_one_idempotency_key_share_one_request(
    bookings: PetBookings,
) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    clinic_id = uuid4()

    outcomes = all_at_once(
        8,
        lambda _: bookings.request_booking(
            OWNER, pet_id, clinic_id=clinic_id, service="vaccination", idempotency_key="tab"
        ),
    )

    request_ids = {o.request.request_id for o in outcomes if not isinstance(o, Exception)}
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert len(request_ids) == 1
    assert stored_types(bookings, pet_id)["BookingRequested"] == 1
    try:
        bookings.request_booking(
            OWNER, pet_id, clinic_id=clinic_id, service="surgery", idempotency_key="tab"
        )
    except IdempotencyKeyReusedError:
        pass
    else:
        raise AssertionError("a reused key with another body was accepted")


def test_simultaneous_registrations_of_one_pet_id_exactly_one_wins(
    bookings: PetBookings,
) -> None:
    pet_id = uuid4()

    outcomes = all_at_once(
        8, lambda i: bookings.register_pet(OWNER, name=f"Rex {i}", species="dog", pet_id=pet_id)
    )

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(outcomes) - len(errors) == 1
    assert all(isinstance(e, PetAlreadyExistsError) for e in errors), errors
    assert stored_types(bookings, pet_id) == Counter({"Registered": 1})


def test_a_loser_is_retried_on_fresh_state_not_its_stale_copy(bookings: PetBookings) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    first = bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="x")

    # Cancel and request race: whichever order they land in, the stream stays valid.
    outcomes = all_at_once(
        2,
        lambda i: (
            bookings.cancel_booking(OWNER, pet_id, first.request.request_id)
            if i == 0
            else bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="y")
        ),
    )

    pet: Pet = bookings.repository.get(pet_id)
    versions = [e.originator_version for e in bookings.events.get(pet_id)]
    assert versions == list(range(1, pet.version + 1))
    assert sum(r.is_pending for r in pet.requests.values()) <= 1
    assert not isinstance(outcomes[0], Exception)
