"""Shared steps of the auditor tests: actors, a pet with a story, and verification."""

from __future__ import annotations

from uuid import UUID, uuid4

from application.access import Actor, Role
from application.audit.chain_check import HashChainCheck
from application.audit.verification import Finding, Verification
from application.bookings import PetBookings
from interface.auditing import open_audit

AUDITOR = Actor("auditor-1", Role.AUDITOR)


def new_owner() -> Actor:
    return Actor(f"owner-{uuid4().hex}", Role.OWNER)


def pet_with_a_story(bookings: PetBookings, owner: Actor) -> UUID:
    """A pet registered (v1), booked (v2), cancelled (v3) and booked again (v4)."""
    pet_id = bookings.register_pet(owner, name="Luna", species="cat").pet.pet_id
    clinic_id = uuid4()
    first = bookings.request_booking(owner, pet_id, clinic_id=clinic_id, service="vaccination")
    bookings.cancel_booking(owner, pet_id, first.request.request_id, reason="travelling")
    bookings.request_booking(owner, pet_id, clinic_id=clinic_id, service="checkup")
    return pet_id


def findings(bookings: PetBookings) -> list[Finding]:
    """What `booking verify`'s hash-chain check finds in the whole log."""
    verification = Verification([HashChainCheck(bookings.mapper)])
    return list(verification.run(open_audit(bookings).log_entries(AUDITOR)))
