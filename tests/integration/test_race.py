"""The two-tab race, for real: threads released together against SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import TypeVar
from uuid import UUID, uuid4

from application.access import Actor, Role
from application.bookings import PetBookings
from application.errors import PetAlreadyExistsError
from application.views import RequestReceipt
from domain.pet import IdempotencyKeyReusedError, NotPendingError, PendingRequestExistsError
from interface.http.observability import Metrics
from tests.dates import STARTS_AT

T = TypeVar("T")
OWNER = Actor("owner-1", Role.OWNER)
THREADS = 16
ROUNDS = 50
RETRY_ROUNDS = 20
CLINIC = uuid4()
SOON = datetime.fromisoformat(STARTS_AT)


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
    # The service's own metrics count the races lost; they are what shows a retry happened.
    metrics = Metrics()
    bookings.observer = metrics
    for _ in range(RETRY_ROUNDS):
        pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
        pending = bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="x")
        request_id = pending.request.request_id

        # Cancel and schedule race: both are allowed on the state they load.
        outcomes = all_at_once(2, partial(_cancel_or_schedule, bookings, pet_id, request_id))

        # The loser was decided again on the winner's state: cancelling a scheduled request
        # succeeds; scheduling a cancelled one is the domain's NotPendingError. Never a
        # ConcurrentUpdateError, which is what retrying a stale copy ends in.
        cancelled, scheduled = outcomes
        assert not isinstance(cancelled, Exception), cancelled
        assert not isinstance(scheduled, Exception) or isinstance(scheduled, NotPendingError)
        types = [type(e).__name__ for e in bookings.events.get(pet_id)]
        assert types[2:] in (["Cancelled"], ["Scheduled", "Cancelled"])
    lost = [
        metrics.registry.get_sample_value("booking_version_conflicts_total", {"command": command})
        for command in ("cancel_booking", "schedule_booking")
    ]
    assert sum(count or 0 for count in lost) >= 1, "no round lost a race: nothing was retried"


def _cancel_or_schedule(
    bookings: PetBookings, pet_id: UUID, request_id: UUID, index: int
) -> RequestReceipt:
    if index == 0:
        return bookings.cancel_booking(OWNER, pet_id, request_id)
    staff = Actor("staff-1", Role.STAFF, clinic_id=CLINIC)
    return bookings.schedule_booking(staff, pet_id, request_id, starts_at=SOON)
