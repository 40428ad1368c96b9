"""PetBookings on the in-memory store: access rules, receipts, error translation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from application.access import Actor, Role
from application.bookings import PetBookings
from application.errors import ForbiddenError, PetAlreadyExistsError, PetNotFoundError
from domain.pet import PendingRequestExistsError
from tests.dates import PREFERRED_DATE

CLINIC = uuid4()
OWNER = Actor("owner-1", Role.OWNER)
STAFF = Actor("staff-1", Role.STAFF, clinic_id=CLINIC)


def test_commands_return_the_new_version_and_the_position_of_the_last_event(
    memory_bookings: PetBookings,
) -> None:
    registered = memory_bookings.register_pet(OWNER, name="Rex", species="dog")

    receipt = memory_bookings.request_booking(
        OWNER, registered.pet.pet_id, clinic_id=CLINIC, service="vaccination"
    )

    assert (registered.pet.version, registered.position) == (1, 1)
    assert (receipt.version, receipt.position) == (2, 2)
    assert memory_bookings.head_position() == 2


def test_an_idempotent_replay_answers_the_original_request_at_the_head_position(
    memory_bookings: PetBookings,
) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    first = memory_bookings.request_booking(
        OWNER, pet_id, clinic_id=CLINIC, service="vaccination", idempotency_key="k"
    )
    memory_bookings.register_pet(OWNER, name="Other", species="cat")

    replay = memory_bookings.request_booking(
        OWNER, pet_id, clinic_id=CLINIC, service="vaccination", idempotency_key="k"
    )

    assert replay.request == first.request
    assert replay.version == first.version
    assert replay.position == 3


def test_a_client_chosen_pet_id_cannot_be_registered_twice(
    memory_bookings: PetBookings,
) -> None:
    pet_id = uuid4()
    memory_bookings.register_pet(OWNER, name="Rex", species="dog", pet_id=pet_id)

    with pytest.raises(PetAlreadyExistsError):
        memory_bookings.register_pet(OWNER, name="Rex", species="dog", pet_id=pet_id)


def test_another_owners_pet_looks_like_a_missing_pet(memory_bookings: PetBookings) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    stranger = Actor("owner-2", Role.OWNER)

    with pytest.raises(PetNotFoundError):
        memory_bookings.get_pet(stranger, pet_id)
    with pytest.raises(PetNotFoundError):
        memory_bookings.request_booking(stranger, pet_id, clinic_id=CLINIC, service="x")

    assert memory_bookings.get_pet(OWNER, pet_id).version == 1


def test_a_missing_pet_is_reported_as_not_found(memory_bookings: PetBookings) -> None:
    with pytest.raises(PetNotFoundError):
        memory_bookings.get_pet(OWNER, uuid4())


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR])
def test_only_owners_register_pets_and_request_bookings(
    memory_bookings: PetBookings, role: Role
) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    actor = Actor("someone", role, clinic_id=CLINIC)

    with pytest.raises(ForbiddenError):
        memory_bookings.register_pet(actor, name="Rex", species="dog")
    with pytest.raises(ForbiddenError):
        memory_bookings.request_booking(actor, pet_id, clinic_id=CLINIC, service="x")


def test_staff_cancel_and_schedule_only_requests_made_to_their_clinic(
    memory_bookings: PetBookings,
) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    request_id = memory_bookings.request_booking(
        OWNER, pet_id, clinic_id=CLINIC, service="x"
    ).request.request_id
    elsewhere = Actor("staff-2", Role.STAFF, clinic_id=uuid4())

    # To staff of another clinic the pet does not exist.
    with pytest.raises(PetNotFoundError):
        memory_bookings.cancel_booking(elsewhere, pet_id, request_id)
    with pytest.raises(PetNotFoundError):
        memory_bookings.schedule_booking(elsewhere, pet_id, request_id, starts_at=datetime.now(UTC))
    scheduled = memory_bookings.schedule_booking(
        STAFF, pet_id, request_id, starts_at=datetime.now(UTC) + timedelta(days=30)
    )

    assert scheduled.request.scheduling_status == "scheduled"
    assert scheduled.version == 3


def test_owners_cannot_schedule(memory_bookings: PetBookings) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    request_id = memory_bookings.request_booking(
        OWNER, pet_id, clinic_id=CLINIC, service="x"
    ).request.request_id

    with pytest.raises(ForbiddenError):
        memory_bookings.schedule_booking(OWNER, pet_id, request_id, starts_at=datetime.now(UTC))


def test_the_pending_rule_holds_through_the_application(memory_bookings: PetBookings) -> None:
    pet_id = memory_bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    first = memory_bookings.request_booking(
        OWNER, pet_id, clinic_id=CLINIC, service="x", preferred_date=PREFERRED_DATE
    )

    with pytest.raises(PendingRequestExistsError) as refused:
        memory_bookings.request_booking(OWNER, pet_id, clinic_id=CLINIC, service="y")

    assert refused.value.pending_request_id == first.request.request_id
    assert len(memory_bookings.get_pet(OWNER, pet_id).requests) == 1
