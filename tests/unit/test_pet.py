"""The Pet aggregate's rules, each asserted on the events it records."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import cast
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import CanMutateAggregate
from hypothesis import given
from hypothesis import strategies as st

from domain.chain import GENESIS_HASH
from domain.pet import (
    IdempotencyKeyReusedError,
    NotCancellableError,
    NotPendingError,
    PendingRequestExistsError,
    Pet,
    RequestNotFoundError,
)
from tests.dates import PREFERRED_DATE, STARTS_AT

CLINIC = uuid4()


def registered_pet() -> Pet:
    pet = Pet.register(uuid4(), "owner-1", "Rex", "dog")
    pet.collect_events()
    return pet


def request(pet: Pet, *, key: str | None = None, service: str = "vaccination") -> UUID:
    """Request a booking; the id of the request the pet answers with (a replay: the original)."""
    return pet.request_booking(
        request_id=uuid4(),
        clinic_id=CLINIC,
        service=service,
        preferred_date=PREFERRED_DATE,
        notes=None,
        requested_by="owner-1",
        idempotency_key=key,
    ).request_id


def test_registering_records_registered_with_the_owner_as_actor() -> None:
    pet = Pet.register(uuid4(), "owner-1", "Rex", "dog")

    [event] = pet.collect_events()

    assert isinstance(event, Pet.Registered)
    assert (event.owner_id, event.name, event.species) == ("owner-1", "Rex", "dog")
    assert event.actor == "owner-1"
    assert event.originator_version == 1


def test_requesting_records_booking_requested_with_every_field() -> None:
    pet = registered_pet()

    request_id = request(pet, key="k-1")

    [event] = pet.collect_events()
    assert isinstance(event, Pet.BookingRequested)
    assert event.request_id == request_id
    assert event.clinic_id == CLINIC
    assert event.preferred_date == PREFERRED_DATE
    assert event.idempotency_key == "k-1"
    assert event.actor == "owner-1"
    assert pet.pending_request is not None
    assert pet.pending_request.request_id == request_id


def test_a_second_pending_request_is_refused_and_records_nothing() -> None:
    pet = registered_pet()
    first = request(pet)
    pet.collect_events()

    with pytest.raises(PendingRequestExistsError) as refused:
        request(pet)

    assert refused.value.pending_request_id == first
    assert pet.collect_events() == []


def test_cancelling_records_cancelled_and_frees_the_pet() -> None:
    pet = registered_pet()
    first = request(pet)
    pet.collect_events()

    pet.cancel(first, reason="moved", cancelled_by="owner-1")
    [event] = pet.collect_events()
    request(pet)

    assert isinstance(event, Pet.Cancelled)
    assert (event.request_id, event.reason, event.actor) == (first, "moved", "owner-1")
    assert [type(e) for e in pet.collect_events()] == [Pet.BookingRequested]


def test_cancelling_an_unknown_request_is_refused() -> None:
    pet = registered_pet()

    with pytest.raises(RequestNotFoundError):
        pet.cancel(uuid4(), reason=None, cancelled_by="owner-1")

    assert pet.collect_events() == []


def test_cancelling_a_cancelled_request_is_refused() -> None:
    pet = registered_pet()
    first = request(pet)
    pet.cancel(first, reason=None, cancelled_by="owner-1")
    pet.collect_events()

    with pytest.raises(NotCancellableError):
        pet.cancel(first, reason=None, cancelled_by="owner-1")

    assert pet.collect_events() == []


def test_scheduling_records_scheduled_and_frees_the_pet() -> None:
    pet = registered_pet()
    first = request(pet)
    pet.collect_events()
    starts_at = datetime.fromisoformat(STARTS_AT)

    pet.schedule(first, starts_at=starts_at, scheduled_by="staff-1")
    [event] = pet.collect_events()
    request(pet)

    assert isinstance(event, Pet.Scheduled)
    assert (event.starts_at, event.actor) == (starts_at, "staff-1")
    assert pet.requests[first].scheduled_for == starts_at


@given(st.lists(st.sampled_from(["request", "cancel", "schedule", "cancel_scheduled"])))
def test_the_pending_request_is_the_one_whose_status_says_so_however_long_the_history(
    steps: list[str],
) -> None:
    pet = registered_pet()
    events: list[CanMutateAggregate[UUID]] = []
    starts_at = datetime.fromisoformat(STARTS_AT)
    for step in steps:
        pending = pet.pending_request
        scheduled = [r for r in pet.requests.values() if r.scheduled_for and not r.cancelled_at]
        if step == "request" and pending is None:
            request(pet)
        elif step == "cancel" and pending is not None:
            pet.cancel(pending.request_id, reason=None, cancelled_by="owner-1")
        elif step == "schedule" and pending is not None:
            pet.schedule(pending.request_id, starts_at=starts_at, scheduled_by="staff-1")
        elif step == "cancel_scheduled" and scheduled:
            pet.cancel(scheduled[0].request_id, reason=None, cancelled_by="staff-1")
        events.extend(pet.collect_events())
        # What the status of every request says, and what a replay of the events says.
        by_status = [r.request_id for r in pet.requests.values() if r.is_pending]
        replayed = registered_pet_replayed(pet, events)
        assert [r.request_id for r in pet.pending_requests.values()] == by_status
        assert [r.request_id for r in replayed.pending_requests.values()] == by_status


def registered_pet_replayed(pet: Pet, events: list[CanMutateAggregate[UUID]]) -> Pet:
    """The pet rebuilt from its registration and `events`, as a repository would."""
    replayed = Pet.register(pet.id, pet.owner_id, pet.name, pet.species)
    replayed.collect_events()
    for event in events:
        event.mutate(replayed)
    return replayed


@pytest.mark.parametrize("outcome", ["scheduled", "cancelled"])
def test_scheduling_a_request_that_is_not_pending_is_refused(outcome: str) -> None:
    pet = registered_pet()
    first = request(pet)
    if outcome == "scheduled":
        pet.schedule(first, starts_at=datetime.now(UTC), scheduled_by="staff-1")
    else:
        pet.cancel(first, reason=None, cancelled_by="owner-1")
    pet.collect_events()

    with pytest.raises(NotPendingError):
        pet.schedule(first, starts_at=datetime.now(UTC), scheduled_by="staff-1")

    assert pet.collect_events() == []


def test_scheduling_an_unknown_request_is_refused() -> None:
    pet = registered_pet()

    with pytest.raises(RequestNotFoundError):
        pet.schedule(uuid4(), starts_at=datetime.now(UTC), scheduled_by="staff-1")


def test_a_scheduled_request_can_still_be_cancelled() -> None:
    pet = registered_pet()
    first = request(pet)
    pet.schedule(first, starts_at=datetime.now(UTC), scheduled_by="staff-1")
    pet.collect_events()

    pet.cancel(first, reason=None, cancelled_by="staff-1")

    assert [type(e) for e in pet.collect_events()] == [Pet.Cancelled]


def test_the_same_idempotency_key_and_payload_returns_the_original_request() -> None:
    pet = registered_pet()
    first = request(pet, key="tab-1")
    pet.collect_events()

    again = request(pet, key="tab-1")

    assert again == first
    assert pet.collect_events() == []
    assert len(pet.requests) == 1


def test_the_same_idempotency_key_with_another_payload_is_refused() -> None:
    pet = registered_pet()
    request(pet, key="tab-1")
    pet.collect_events()

    with pytest.raises(IdempotencyKeyReusedError):
        request(pet, key="tab-1", service="surgery")

    assert pet.collect_events() == []


def test_an_idempotent_replay_returns_the_original_even_after_it_was_cancelled() -> None:
    pet = registered_pet()
    first = request(pet, key="tab-1")
    pet.cancel(first, reason=None, cancelled_by="owner-1")
    pet.collect_events()

    original = pet.request_booking(
        request_id=uuid4(),
        clinic_id=CLINIC,
        service="vaccination",
        preferred_date=PREFERRED_DATE,
        notes=None,
        requested_by="owner-1",
        idempotency_key="tab-1",
    )

    assert original.request_id == first
    assert pet.collect_events() == []


def test_events_form_a_hash_chain_from_the_genesis_hash() -> None:
    pet = Pet.register(uuid4(), "owner-1", "Rex", "dog")
    first = request(pet)
    pet.cancel(first, reason=None, cancelled_by="owner-1")

    events = [cast("Pet.Event", e) for e in pet.collect_events()]

    assert events[0].previous_hash == GENESIS_HASH
    for earlier, later in itertools.pairwise(events):
        assert later.previous_hash == earlier.event_hash
    assert all(e.event_hash == e.expected_hash() for e in events)
    assert pet.last_hash == events[-1].event_hash
