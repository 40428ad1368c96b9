"""PetBookings with its pet cache, on the in-memory store: fewer reads, the same answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import OperationalError

from application.access import Actor, Role
from application.bookings import PetBookings
from application.errors import PetNotFoundError
from application.pet_cache import PetCache
from domain.pet import PendingRequestExistsError
from interface.settings import Settings

CLINIC = uuid4()
OWNER = Actor("owner-1", Role.OWNER)


def count_stream_reads(bookings: PetBookings, monkeypatch: pytest.MonkeyPatch) -> list[UUID]:
    """Every pet whose stream the application reads from now on."""
    read: list[UUID] = []
    select_events: Callable[..., Any] = bookings.recorder.select_events

    def spy(originator_id: UUID, **kwargs: Any) -> Any:
        read.append(originator_id)
        return select_events(originator_id, **kwargs)

    monkeypatch.setattr(bookings.recorder, "select_events", spy)
    return read


def stored_versions(bookings: PetBookings, pet_id: UUID) -> list[int]:
    return [event.originator_version for event in bookings.events.get(pet_id)]


def test_a_command_on_a_recently_used_pet_does_not_read_its_stream(
    memory_bookings: PetBookings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    reads = count_stream_reads(memory_bookings, monkeypatch)

    first = memory_bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="x")
    memory_bookings.cancel_booking(OWNER, pet_id, first.request.request_id)
    again = memory_bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="x")

    assert reads == []
    assert again.version == 4
    assert stored_versions(memory_bookings, pet_id) == [1, 2, 3, 4]


def test_with_size_zero_every_command_reads_its_stream(
    memory_bookings: PetBookings, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_bookings.pets = PetCache(0)
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    reads = count_stream_reads(memory_bookings, monkeypatch)

    memory_bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="x")

    assert reads == [pet_id]


def test_a_save_that_failed_leaves_nothing_it_decided_in_the_cache(
    memory_bookings: PetBookings, monkeypatch: pytest.MonkeyPatch
) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    pending = memory_bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="x")
    insert_events = memory_bookings.recorder.insert_events

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("the database went away")

    # The cancellation is decided on the cached pet, then its save fails.
    monkeypatch.setattr(memory_bookings.recorder, "insert_events", fail)
    with pytest.raises(OperationalError):
        memory_bookings.cancel_booking(OWNER, pet_id, pending.request.request_id)
    monkeypatch.setattr(memory_bookings.recorder, "insert_events", insert_events)

    # The request is still pending in the store, so the next one is refused, naming it.
    with pytest.raises(PendingRequestExistsError) as refused:
        memory_bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="x")
    assert refused.value.pending_request_id == pending.request.request_id
    assert stored_versions(memory_bookings, pet_id) == [1, 2]


def test_a_cached_pet_is_still_hidden_from_another_owner(memory_bookings: PetBookings) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id

    with pytest.raises(PetNotFoundError):
        memory_bookings.request_booking(
            Actor("owner-2", Role.OWNER), pet_id, clinic_id=CLINIC, service="x"
        )
    assert stored_versions(memory_bookings, pet_id) == [1]


def test_a_cached_pet_is_still_hidden_from_staff_of_another_clinic(
    memory_bookings: PetBookings,
) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    request = memory_bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="x")

    with pytest.raises(PetNotFoundError):
        memory_bookings.cancel_booking(
            Actor("vet-2", Role.STAFF, clinic_id=uuid4()), pet_id, request.request.request_id
        )
    assert stored_versions(memory_bookings, pet_id) == [1, 2]


def test_the_cache_size_comes_from_booking_pet_cache_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOOKING_PET_CACHE_SIZE", "0")
    assert Settings().pet_cache_size == 0
    monkeypatch.delenv("BOOKING_PET_CACHE_SIZE")
    assert Settings().pet_cache_size == 10_000
