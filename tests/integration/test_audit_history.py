"""A pet's history on SQLite and PostgreSQL: every event, and the state at any point."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.access import Actor, Role
from application.bookings import PetBookings
from application.errors import ForbiddenError, PetNotFoundError
from interface.auditing import open_audit
from tests.integration.audit_support import AUDITOR, new_owner, pet_with_a_story


def test_the_history_lists_every_event_with_its_position_actor_and_data(
    bookings: PetBookings,
) -> None:
    owner = new_owner()
    pet_id = pet_with_a_story(bookings, owner)

    history = open_audit(bookings).history(AUDITOR, pet_id)

    types = [e.type for e in history.events]
    assert types == ["Registered", "BookingRequested", "Cancelled", "BookingRequested"]
    assert [e.version for e in history.events] == [1, 2, 3, 4]
    assert {e.actor for e in history.events} == {owner.sub}
    assert history.events[2].data["reason"] == "travelling"
    positions = [e.position for e in history.events]
    assert positions == sorted(positions)
    assert positions[-1] == bookings.head_position()
    assert history.state == bookings.get_pet(AUDITOR, pet_id)


def test_as_of_a_version_the_state_is_built_from_exactly_those_events(
    bookings: PetBookings,
) -> None:
    owner = new_owner()
    pet_id = bookings.register_pet(owner, name="Luna", species="cat").pet.pet_id
    receipt = bookings.request_booking(owner, pet_id, clinic_id=uuid4(), service="vaccination")
    # What the system believed at version 2, before anything else happened.
    believed = bookings.get_pet(AUDITOR, pet_id)
    bookings.cancel_booking(owner, pet_id, receipt.request.request_id)

    history = open_audit(bookings).history(AUDITOR, pet_id, as_of_version=2)

    assert [e.version for e in history.events] == [1, 2]
    assert history.state == believed
    assert history.state.requests[0].status == "active"


def test_as_of_an_instant_keeps_the_events_recorded_until_then(bookings: PetBookings) -> None:
    owner = new_owner()
    pet_id = pet_with_a_story(bookings, owner)
    audit = open_audit(bookings)
    cancelled_at = audit.history(AUDITOR, pet_id).events[2].timestamp

    at_cancel = audit.history(AUDITOR, pet_id, as_of=cancelled_at)
    just_before = audit.history(AUDITOR, pet_id, as_of=cancelled_at - timedelta(microseconds=1))

    assert [e.version for e in at_cancel.events] == [1, 2, 3]
    assert at_cancel.state == audit.history(AUDITOR, pet_id, as_of_version=3).state
    assert [e.version for e in just_before.events] == [1, 2]
    assert just_before.state.requests[0].status == "active"


def test_before_the_pet_existed_it_is_not_found(bookings: PetBookings) -> None:
    pet_id = pet_with_a_story(bookings, new_owner())
    audit = open_audit(bookings)
    registered_at = audit.history(AUDITOR, pet_id).events[0].timestamp

    with pytest.raises(PetNotFoundError):
        audit.history(AUDITOR, pet_id, as_of=registered_at - timedelta(seconds=1))


def test_a_version_past_the_last_gives_the_whole_history(bookings: PetBookings) -> None:
    pet_id = pet_with_a_story(bookings, new_owner())

    history = open_audit(bookings).history(AUDITOR, pet_id, as_of_version=99)

    assert history.state.version == 4
    assert len(history.events) == 4


def test_owners_read_their_own_pets_history_only(bookings: PetBookings) -> None:
    owner = new_owner()
    pet_id = pet_with_a_story(bookings, owner)
    audit = open_audit(bookings)

    assert len(audit.history(owner, pet_id).events) == 4
    # Another owner's pet looks exactly like a missing one.
    with pytest.raises(PetNotFoundError):
        audit.history(new_owner(), pet_id)
    with pytest.raises(PetNotFoundError):
        audit.history(owner, uuid4())


def test_staff_may_not_read_histories(bookings: PetBookings) -> None:
    pet_id = pet_with_a_story(bookings, new_owner())
    staff = Actor("staff-1", Role.STAFF, clinic_id=uuid4())

    with pytest.raises(ForbiddenError):
        open_audit(bookings).history(staff, pet_id)


def test_an_unknown_pet_has_no_history(bookings: PetBookings) -> None:
    with pytest.raises(PetNotFoundError):
        open_audit(bookings).history(AUDITOR, uuid4())
