"""The global log on SQLite and PostgreSQL: pages in position order, read while written."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest

from application.audit.trail import AuditTrail
from application.bookings import PetBookings
from application.errors import ForbiddenError, PetAlreadyExistsError
from interface.auditing import open_audit
from tests.integration.audit_support import AUDITOR, new_owner, pet_with_a_story

WRITERS = 8
ROUNDS = 10
PAGE = 5


def stored_positions(bookings: PetBookings) -> list[int]:
    notifications = bookings.recorder.select_notifications(start=None, limit=1_000_000)
    return [n.id for n in notifications]


def test_pages_follow_the_log_in_position_order(bookings: PetBookings) -> None:
    pet_with_a_story(bookings, new_owner())
    pet_with_a_story(bookings, new_owner())
    audit = open_audit(bookings)

    first = audit.events(AUDITOR, after=0, limit=3)
    rest = audit.events(AUDITOR, after=first.next_after, limit=100)
    beyond = audit.events(AUDITOR, after=rest.next_after, limit=100)

    read = [e.position for e in (*first.items, *rest.items)]
    assert read == stored_positions(bookings)
    assert first.next_after == first.items[-1].position
    # At the head the page is empty and the cursor stays put, ready to poll.
    assert beyond.items == ()
    assert beyond.next_after == rest.next_after == bookings.head_position()
    assert [(e.type, e.version) for e in first.items] == [
        ("Registered", 1),
        ("BookingRequested", 2),
        ("Cancelled", 3),
    ]


def test_only_auditors_read_the_log(bookings: PetBookings) -> None:
    owner = new_owner()
    pet_with_a_story(bookings, owner)

    with pytest.raises(ForbiddenError):
        open_audit(bookings).events(owner)


def test_reading_the_whole_log_fetches_page_after_page_as_it_goes(bookings: PetBookings) -> None:
    owner = new_owner()
    pet_id = bookings.register_pet(owner, name="Luna", species="cat").pet.pet_id
    reader = open_audit(bookings).all_events(AUDITOR)

    # The reader has the first event; an event written now is still ahead of it.
    assert next(reader).type == "Registered"
    bookings.request_booking(owner, pet_id, clinic_id=uuid4(), service="vaccination")

    assert [e.type for e in reader] == ["BookingRequested"]


def test_a_reader_tailing_the_log_sees_every_position_once_while_8_writers_write(
    bookings: PetBookings,
) -> None:
    audit = open_audit(bookings)
    barrier = threading.Barrier(WRITERS + 1)
    writers_done = threading.Event()

    with ThreadPoolExecutor(max_workers=WRITERS + 1) as pool:
        reader = pool.submit(tail, audit, barrier, writers_done)
        writers = [pool.submit(write, bookings, barrier) for _ in range(WRITERS)]
        try:
            for writer in writers:
                writer.result()
        finally:
            writers_done.set()
        seen, caught_up_while_writing = reader.result()

    # No position skipped, none read twice, in the order they are stored.
    stored = stored_positions(bookings)
    assert seen == stored
    assert len(stored) == WRITERS * (1 + 2 * ROUNDS)
    # The reader raced the writers at the head of the log, not only behind them.
    assert caught_up_while_writing > 0


def write(bookings: PetBookings, barrier: threading.Barrier) -> None:
    owner = new_owner()
    barrier.wait()
    pet_id = bookings.register_pet(owner, name="Rex", species="dog").pet.pet_id
    for _ in range(ROUNDS):
        receipt = bookings.request_booking(owner, pet_id, clinic_id=uuid4(), service="checkup")
        bookings.cancel_booking(owner, pet_id, receipt.request.request_id)
        # Refused; a PostgreSQL sequence may still burn a position: a gap to step over.
        with pytest.raises(PetAlreadyExistsError):
            bookings.register_pet(owner, name="Rex", species="dog", pet_id=pet_id)


def tail(
    audit: AuditTrail, barrier: threading.Barrier, writers_done: threading.Event
) -> tuple[list[int], int]:
    """Page through the log until the writers are done and a page read after that is empty."""
    seen: list[int] = []
    after, caught_up = 0, 0
    barrier.wait()
    while True:
        # Read the flag before the page: an empty page read after it proves the end.
        done = writers_done.is_set()
        page = audit.events(AUDITOR, after=after, limit=PAGE)
        seen += [e.position for e in page.items]
        after = page.next_after
        if done and not page.items:
            return seen, caught_up
        if not done and len(page.items) < PAGE:
            caught_up += 1
