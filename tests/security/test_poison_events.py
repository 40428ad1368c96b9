"""Issue 10, finding 1: events already stored with text or times no read table can hold.

A NUL in a pet's name froze every clinic's pending list on PostgreSQL. The
domain now refuses such text, but events recorded before (or written by someone
with database access) stay in the log forever, so the read side must still
project them. These tests write such events straight into the event store,
past the domain's rules, with hash links as valid as the service's own.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast
from uuid import UUID, uuid4

import pytest

from application.bookings import PetBookings
from application.projection import AppointmentsView
from application.projection_worker import ProjectionWorker
from domain.pet import Pet
from interface.settings import Settings
from tests.integration.projection_support import read_tables, worker_for
from tests.integration.test_tamper_evidence import run_verify
from tests.integration.test_verify_read_tables import execute
from tests.raw_events import raw_events

OWNER = "owner-poison"
DEADLINE_SECONDS = 20.0
CLI_TIMEOUT_SECONDS = 60
# 23:00 on the last day Python can hold, five hours west of UTC: year 10000 in UTC.
BEYOND_YEAR_9999_IN_UTC = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
# application.read_model.LATEST_STORED: a day short of Python's end, read back in any time zone.
LATEST_READABLE = datetime(9999, 12, 30, tzinfo=UTC)


def registered(name: str = "Rex") -> Pet:
    """A new pet whose `Registered` event says `name`, whatever the domain would accept."""
    pet = Pet.register(uuid4(), OWNER, "Rex", "dog")
    [event] = pet.pending_events
    object.__setattr__(event, "name", name)
    _relink(pet, cast("Pet.Event", event))
    return pet


def forge(pet: Pet, event_class: type[Pet.Event], **data: Any) -> None:
    """Append to `pet` an event its commands would refuse, linked into its hash chain."""
    pet.trigger_event(
        event_class,
        timestamp=event_class.create_timestamp(),
        previous_hash=pet.last_hash,
        event_hash="",
        **data,
    )
    _relink(pet, cast("Pet.Event", pet.pending_events[-1]))


def _relink(pet: Pet, event: Pet.Event) -> None:
    object.__setattr__(event, "event_hash", event.expected_hash())
    pet.last_hash = event.event_hash


def request(pet: Pet, clinic_id: UUID, *, notes: str | None = None) -> UUID:
    """Forge a booking request (pending or not, the aggregate is not asked)."""
    request_id = uuid4()
    forge(
        pet,
        Pet.BookingRequested,
        request_id=request_id,
        clinic_id=clinic_id,
        service="vaccination",
        preferred_date=None,
        notes=notes,
        requested_by=OWNER,
        idempotency_key=None,
    )
    return request_id


def save(bookings: PetBookings, pet: Pet) -> int:
    """Store the pet's new events; the position of the last one."""
    return bookings.save(pet)[-1].notification.id


def wait_projected(worker: ProjectionWorker, view: AppointmentsView, position: int) -> None:
    with worker.progressed:
        worker.progressed.wait_for(
            lambda: view.position() >= position or worker.halted is not None, DEADLINE_SECONDS
        )
    assert worker.halted is None, worker.halted
    assert view.position() >= position, f"the projection is stuck at {view.position()}"


def run_booking(settings: Settings, workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A `booking` command as a real process on the test's store."""
    assert settings.jwt_secret is not None
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": settings.database_url,
        "BOOKING_JWT_SECRET": settings.jwt_secret.get_secret_value(),
    }
    return subprocess.run(
        [sys.executable, "-m", "interface.cli", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )


def repair_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What each projection warning says before its explanation: pet, version, fields."""
    return [
        r.getMessage().split(" stored in a safe form")[0]
        for r in caplog.records
        if r.name == "application.projection" and r.levelno == logging.WARNING
    ]


def test_stored_nul_text_reaches_the_pending_list_as_replacement_characters(
    bookings: PetBookings, view: AppointmentsView, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    clinic_id = uuid4()
    pet = registered("Re\x00x")
    request(pet, clinic_id, notes="left\x00right")
    save(bookings, pet)

    worker_for(bookings, view).catch_up()

    _, [item] = view.pending_requests(clinic_id, limit=10, after_position=0)
    assert (item.pet_name, item.notes) == ("Re\ufffdx", "left\ufffdright")
    # One warning per event, naming where the text was replaced.
    assert repair_warnings(caplog) == [
        f"pet {pet.id} version 1: name",
        f"pet {pet.id} version 2: notes",
    ]


def test_stored_lone_surrogates_reach_the_pending_list_as_replacement_characters(
    bookings: PetBookings, view: AppointmentsView, settings: Settings
) -> None:
    clinic_id = uuid4()
    pet = registered()
    request(pet, clinic_id, notes="half SURROGATE of a pair")
    save(bookings, pet)
    # JSON can carry half a UTF-16 pair; no UTF-8 text can, so no hash can cover it.
    raw = raw_events(bookings, settings)
    raw.set_state(pet.id, 2, raw.state(pet.id, 2).replace(b"SURROGATE", b"\\ud83d"))

    worker_for(bookings, view).catch_up()

    _, [item] = view.pending_requests(clinic_id, limit=10, after_position=0)
    assert item.notes == "half \ufffd of a pair"


def test_a_poisoned_event_holds_up_no_clinic(bookings: PetBookings, view: AppointmentsView) -> None:
    worker = worker_for(bookings, view)
    worker.start()
    try:
        poisoned = registered("Re\x00x")
        request(poisoned, uuid4(), notes="\x00")
        save(bookings, poisoned)
        # Another clinic's request, stored after it, reaches that clinic's list.
        other_clinic = uuid4()
        pet = registered("Luna")
        request_id = request(pet, other_clinic)
        wait_projected(worker, view, save(bookings, pet))
    finally:
        worker.stop()

    _, listed = view.pending_requests(other_clinic, limit=10, after_position=0)
    assert [item.request_id for item in listed] == [request_id]
    assert read_tables(view).pets[poisoned.id].name == "Re\ufffdx"


def test_booking_rebuild_projects_a_log_with_nul_text_and_verify_agrees(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, tmp_path: Path
) -> None:
    clinic_id = uuid4()
    pet = registered("Re\x00x")
    request(pet, clinic_id, notes="left\x00right")
    save(bookings, pet)

    rebuilt = run_booking(settings, tmp_path, "rebuild")

    assert rebuilt.returncode == 0, rebuilt.stderr
    _, [item] = view.pending_requests(clinic_id, limit=10, after_position=0)
    assert (item.pet_name, item.notes) == ("Re\ufffdx", "left\ufffdright")
    verified = run_verify(settings, tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_time_beyond_year_9999_in_utc_is_stored_as_the_latest_readable_instant(
    bookings: PetBookings,
    view: AppointmentsView,
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    pet = registered()
    request_id = request(pet, uuid4())
    forge(
        pet,
        Pet.Scheduled,
        request_id=request_id,
        starts_at=BEYOND_YEAR_9999_IN_UTC,
        scheduled_by="staff-1",
    )
    save(bookings, pet)

    worker_for(bookings, view).catch_up()

    assert read_tables(view).appointments[request_id].scheduled_for == LATEST_READABLE
    assert repair_warnings(caplog) == [f"pet {pet.id} version 3: scheduled_for"]
    verified = run_verify(settings, tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("store_kind", ["postgres"], indirect=True)
def test_verify_names_a_row_an_older_projection_stored_beyond_what_it_reads_back(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, tmp_path: Path
) -> None:
    pet = registered()
    request_id = request(pet, uuid4())
    save(bookings, pet)
    worker_for(bookings, view).catch_up()
    # What the projection stored for BEYOND_YEAR_9999_IN_UTC before it bounded times.
    execute(
        settings,
        view,
        "UPDATE appointments SET scheduled_for = '10000-01-01 04:00:00+00' WHERE request_id = ?",
        request_id,
    )

    verified = run_verify(settings, tmp_path)

    assert verified.returncode == 1
    assert "Traceback" not in verified.stderr, verified.stderr
    assert (
        f"read tables: pet {pet.id}: appointment {request_id} cannot be read back "
        "(a time out of range): run `booking rebuild`"
    ) in verified.stdout
