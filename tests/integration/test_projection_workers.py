"""Two projection workers started by mistake: one is elected, and events land once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

from application.access import Actor, Role
from application.bookings import PetBookings
from application.projection import AppointmentsView
from interface.read_side import build_read_side
from interface.settings import Settings
from interface.store import store_from_settings
from tests.integration.projection_support import expected, read_tables, wait_for_position

OWNER = Actor("owner-1", Role.OWNER)


def test_only_one_of_two_workers_is_elected_until_it_steps_down(
    bookings: PetBookings, settings: Settings
) -> None:
    store = store_from_settings(settings)
    first = build_read_side(store, bookings, settings, follow=False).worker.leadership
    second = build_read_side(store, bookings, settings, follow=False).worker.leadership

    elected = first.try_acquire()
    refused = not second.try_acquire()
    first.release()
    taken_over = second.try_acquire()
    second.release()

    assert (elected, refused, taken_over) == (True, True, True)


def test_two_running_workers_apply_every_event_exactly_once(
    bookings: PetBookings, view: AppointmentsView, settings: Settings
) -> None:
    store = store_from_settings(settings)
    sides = [build_read_side(store, bookings, settings, follow=False) for _ in range(2)]
    for side in sides:
        side.start()
    try:
        for _ in range(20):
            pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
            receipt = bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="x")
        wait_for_position(view, receipt.position, 10)
    finally:
        for side in sides:
            side.stop()

    assert read_tables(view) == expected(bookings)


def test_booking_rebuild_replaces_damaged_tables_with_exact_ones(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, tmp_path: Path
) -> None:
    for _ in range(5):
        pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
        bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="x")
    # Tables that were never projected stand in for damaged ones.

    result = subprocess.run(
        [sys.executable, "-m", "interface.cli", "rebuild"],
        env={**os.environ, "BOOKING_DATABASE_URL": settings.database_url},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "rebuilt the read tables from 10 events" in result.stderr
    assert read_tables(view) == expected(bookings)
