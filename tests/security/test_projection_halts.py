"""Issue 10, finding 1: the projection never freezes silently.

An event the read tables refuse halts it at that event, once and loudly (one
ERROR line, /readyz 503, the halted metric, `booking verify`); a database that
goes away for a moment only delays it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import psycopg
import pytest
from fastapi import FastAPI

from application.bookings import PetBookings
from application.projection import AppointmentsView
from application.projection_worker import ProjectionWorker
from domain.pet import Pet
from interface.http.app import create_app
from interface.settings import Settings
from tests.integration.projection_support import expected, read_tables, worker_for
from tests.integration.test_tamper_evidence import run_verify
from tests.raw_events import raw_events
from tests.security.test_poison_events import (
    DEADLINE_SECONDS,
    OWNER,
    registered,
    request,
    save,
    wait_projected,
)
from tests.stores import POSTGRES_URL


def wait_halted(worker: ProjectionWorker) -> None:
    with worker.progressed:
        worker.progressed.wait_for(lambda: worker.halted is not None, DEADLINE_SECONDS)
    assert worker.halted is not None, "the projection did not halt"


async def halted_service_says(app: FastAPI) -> tuple[httpx.Response, str]:
    """/readyz and /metrics of the service, in process, once its projection halted."""
    async with app.router.lifespan_context(app):
        wait_halted(app.state.system.read_side.worker)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            return await client.get("/readyz"), (await client.get("/metrics")).text


def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_event_the_read_tables_refuse_halts_the_projection_loudly_and_once(
    bookings: PetBookings, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    clinic_id = uuid4()
    pet = registered()
    request(pet, clinic_id)
    before = save(bookings, pet)
    # A second pending request for the pet: the one-pending index refuses its row.
    request(pet, clinic_id)
    forged_at = save(bookings, pet)

    readiness, metrics = asyncio.run(halted_service_says(create_app(settings)))

    assert readiness.status_code == 503
    assert readiness.json()["code"] == "projection_halted"
    assert readiness.json()["projection"] == {
        "position": before,
        "head": forged_at,
        "lag": forged_at - before,
        "state": "halted",
    }
    assert "booking_projection_halted 1.0" in metrics
    [error] = errors(caplog)
    assert f"before position {forged_at}:" in error.getMessage()
    assert f"BookingRequested version 3 of pet {pet.id}" in error.getMessage()
    verified = run_verify(settings, tmp_path)
    assert verified.returncode == 1
    assert f"read tables: at position {before}, behind the log at {forged_at}" in verified.stdout


@pytest.mark.postgres
@pytest.mark.parametrize("store_kind", ["postgres"], indirect=True)
def test_a_value_the_database_refuses_halts_the_projection_at_that_event(
    bookings: PetBookings, view: AppointmentsView, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    pet = registered()
    request_id = request(pet, uuid4())
    before = save(bookings, pet)
    # A version past the read table's integer column: PostgreSQL refuses it (a DataError).
    fields: dict[str, Any] = {
        "originator_id": pet.id,
        "originator_version": 2**31,
        "timestamp": Pet.Cancelled.create_timestamp(),
        "previous_hash": pet.last_hash,
        "event_hash": "",
        "request_id": request_id,
        "reason": None,
        "cancelled_by": OWNER,
    }
    cancelled = Pet.Cancelled(**fields)
    [recording] = bookings.events.put([cancelled])
    worker = worker_for(bookings, view)

    worker.start()
    try:
        wait_halted(worker)
    finally:
        worker.stop()

    assert worker.halted is not None
    assert (worker.halted.pet_id, worker.halted.version) == (pet.id, 2**31)
    assert worker.halted.position == recording.notification.id
    assert view.position() == before
    [error] = errors(caplog)
    assert "DataError" in error.getMessage()


def test_a_stored_event_that_does_not_decode_halts_the_projection_before_it(
    bookings: PetBookings,
    view: AppointmentsView,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    pet = registered()
    request(pet, uuid4())
    positions = [r.notification.id for r in bookings.save(pet)]
    raw_events(bookings, settings).set_state(pet.id, 2, b'{"not": "whole"')
    worker = worker_for(bookings, view)

    worker.start()
    try:
        wait_halted(worker)
    finally:
        worker.stop()

    assert worker.halted is not None
    assert (worker.halted.version, worker.halted.position) == (2, positions[1])
    assert view.position() == positions[0]
    assert len(errors(caplog)) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("store_kind", ["postgres"], indirect=True)
def test_a_session_killed_mid_batch_only_delays_the_projection(
    bookings: PetBookings, view: AppointmentsView, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    worker = worker_for(bookings, view)
    tracking = f"{bookings.recorder.datastore.schema}.appointment_tracking"  # type: ignore[attr-defined]
    worker.start()
    try:
        # Hold the projection's next write on a lock, then kill the session that waits.
        admin = psycopg.connect(POSTGRES_URL, autocommit=True)
        with admin, admin.transaction():
            admin.execute(f"LOCK TABLE {tracking} IN EXCLUSIVE MODE")
            pet = registered()
            request(pet, uuid4())
            position = save(bookings, pet)
            admin.execute("SELECT pg_terminate_backend(%s)", (_waiting_for(admin, tracking),))
        wait_projected(worker, view, position)
    finally:
        worker.stop()

    assert worker.halted is None
    assert read_tables(view) == expected(bookings)
    assert errors(caplog) == []
    assert any(
        r.name == "application.projection_worker" and "OperationalError" in r.getMessage()
        for r in caplog.records
    )


def _waiting_for(admin: psycopg.Connection[tuple[object, ...]], table: str) -> int:
    """The backend waiting for `table`'s lock, once there is one."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        row = admin.execute(
            "SELECT pid FROM pg_locks WHERE relation = %s::regclass AND NOT granted", (table,)
        ).fetchone()
        if row is not None:
            return int(str(row[0]))
        time.sleep(0.01)
    pytest.fail("the projection never waited for the lock")
