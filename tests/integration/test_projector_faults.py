"""The projection across faults: a SIGKILLed projector, killed database connections."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest

from application.access import Actor, Role
from application.bookings import PetBookings
from application.projection import AppointmentsView
from domain.pet import Pet
from interface.bootstrap import open_bookings
from interface.read_side import ReadSide, build_read_side
from interface.settings import Settings
from interface.store import store_from_settings
from tests.integration.projection_support import expected, read_tables, wait_for_position
from tests.stores import POSTGRES_URL

OWNER = Actor("owner-1", Role.OWNER)
EVENTS = 20_000
DEADLINE_SECONDS = 120.0


def store_pets_in_bulk(bookings: PetBookings, pets: int, chunk: int = 500) -> None:
    """Two events per pet (registered, booking requested), many pets per transaction."""
    for start in range(0, pets, chunk):
        batch = []
        for _ in range(min(chunk, pets - start)):
            pet = Pet.register(uuid4(), OWNER.sub, "Rex", "dog")
            pet.request_booking(
                request_id=uuid4(),
                clinic_id=uuid4(),
                service="vaccination",
                preferred_date=None,
                notes=None,
                requested_by=OWNER.sub,
                idempotency_key=None,
            )
            batch.append(pet)
        bookings.save(*batch)


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Observe another process's progress, within a deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.005)


def start_projector(settings: Settings, workdir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": settings.database_url,
        "BOOKING_PROJECTION_BATCH_SIZE": "100",
        "BOOKING_LOG_LEVEL": "warning",
    }
    log = (workdir / "projector.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "interface.cli", "project"],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_a_projector_killed_mid_catch_up_loses_nothing_and_applies_nothing_twice(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, tmp_path: Path
) -> None:
    store_pets_in_bulk(bookings, EVENTS // 2)
    head = bookings.head_position()

    # Kill the projector with SIGKILL somewhere in the middle of its catch-up.
    projector = start_projector(settings, tmp_path)
    wait_until(lambda: view.position() >= head // 10, "the projector is under way")
    projector.send_signal(signal.SIGKILL)
    projector.wait(timeout=10)
    killed_at = view.position()

    # A new projector resumes from the tracked position and finishes.
    projector = start_projector(settings, tmp_path)
    wait_until(lambda: view.position() == head, "the projector caught up")
    projector.send_signal(signal.SIGTERM)

    assert projector.wait(timeout=20) == 0
    assert 0 < killed_at < head
    assert read_tables(view) == expected(bookings)


@pytest.mark.postgres
@pytest.mark.parametrize("store_kind", ["postgres"], indirect=True)
def test_killed_database_connections_only_delay_the_projection(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tag this application's sessions so only they are terminated.
    application_name = f"pet-booking-test-{uuid4().hex[:8]}"
    monkeypatch.setenv("PGAPPNAME", application_name)
    store = store_from_settings(settings)
    bookings = open_bookings(store)
    read_side = build_read_side(store, bookings, settings, follow=True)
    read_side.start()
    try:
        book_and_wait(bookings, read_side)

        # The database drops every session of the service: pool, LISTEN and leadership.
        with psycopg.connect(POSTGRES_URL, autocommit=True, application_name="killer") as admin:
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s",
                (application_name,),
            ).fetchone()
        assert killed is not None
        assert killed[0] >= 2

        # New commands are projected once the worker has reconnected by itself.
        for _ in range(3):
            book_and_wait(bookings, read_side, timeout=30)
    finally:
        read_side.stop()
    try:
        assert read_side.worker.halted is None
        assert read_tables(read_side.view) == expected(bookings)
    finally:
        bookings.close()


def book_and_wait(bookings: PetBookings, read_side: ReadSide, timeout: float = 5) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    receipt = bookings.request_booking(OWNER, pet_id, clinic_id=uuid4(), service="x")
    wait_for_position(read_side.view, receipt.position, timeout, read_side.worker)
