"""The auditor's queries and the hash-chain check on the in-memory store."""

from __future__ import annotations

from uuid import uuid4

from eventsourcing.persistence import Notification

from application.access import Actor, Role
from application.audit.chain_check import HashChainCheck
from application.audit.verification import LogEntry, Verification
from application.bookings import PetBookings
from interface.auditing import open_audit

OWNER = Actor("owner-1", Role.OWNER)
AUDITOR = Actor("auditor-1", Role.AUDITOR)


def booked_pet(bookings: PetBookings) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    receipt = bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="vaccination")
    bookings.cancel_booking(OWNER, pet_id, receipt.request.request_id)


def test_a_history_carries_the_positions_of_the_pets_events(
    memory_bookings: PetBookings,
) -> None:
    booked_pet(memory_bookings)
    pet_id = memory_bookings.register_pet(OWNER, name="Luna", species="cat").pet.pet_id
    booked_pet(memory_bookings)
    memory_bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="checkup")

    history = open_audit(memory_bookings).history(AUDITOR, pet_id)

    assert [(e.version, e.position) for e in history.events] == [(1, 4), (2, 8)]


def test_an_untouched_log_passes_the_chain_check(memory_bookings: PetBookings) -> None:
    booked_pet(memory_bookings)
    booked_pet(memory_bookings)
    verification = Verification([HashChainCheck(memory_bookings.mapper)])

    found = list(verification.run(open_audit(memory_bookings).log_entries(AUDITOR)))

    assert found == []
    assert (verification.events, len(verification.pets)) == (6, 2)


def test_events_stored_out_of_order_are_reported(memory_bookings: PetBookings) -> None:
    booked_pet(memory_bookings)
    pet_id = next(iter(open_audit(memory_bookings).log_entries(AUDITOR))).pet_id
    memory_bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="checkup")
    v1, v2, v3, v4 = open_audit(memory_bookings).log_entries(AUDITOR)
    verification = Verification([HashChainCheck(memory_bookings.mapper)])

    # The log as if someone had renumbered positions: version 3 comes before 2.
    found = [(f.version, f.message) for f in verification.run([v1, v3, v2, v4])]

    assert found == [(2, "missing (removed)"), (2, "stored after version 3 (reordered)")]


def test_a_row_with_an_unknown_topic_is_an_entry_not_a_crash(
    memory_bookings: PetBookings,
) -> None:
    booked_pet(memory_bookings)
    original = next(iter(open_audit(memory_bookings).log_entries(AUDITOR))).notification
    forged = Notification(
        id=original.id,
        originator_id=original.originator_id,
        originator_version=original.originator_version,
        topic="domain.pet:Pet.Adopted",
        state=original.state,
    )

    entry = LogEntry.read(memory_bookings.mapper, forged)
    [finding] = HashChainCheck(memory_bookings.mapper).observe(entry)

    assert entry.event is None
    assert entry.problem is not None
    assert finding.message.startswith("cannot be read (altered): TopicError")
