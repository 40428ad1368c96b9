"""Tamper evidence: rows edited, removed or swapped with SQL are found by pet and version."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from uuid import UUID

from application.bookings import PetBookings
from application.projection import AppointmentsView
from domain.pet import Pet
from interface.settings import Settings
from tests.integration.audit_support import findings, new_owner, pet_with_a_story
from tests.integration.projection_support import worker_for
from tests.raw_events import raw_events

VERIFY_TIMEOUT_SECONDS = 60


def where(bookings: PetBookings) -> set[tuple[UUID | None, int | None]]:
    return {(f.pet_id, f.version) for f in findings(bookings)}


def run_verify(settings: Settings, workdir: Path) -> subprocess.CompletedProcess[str]:
    """`booking verify` as a real process on the test's store."""
    assert settings.jwt_secret is not None
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": settings.database_url,
        "BOOKING_JWT_SECRET": settings.jwt_secret.get_secret_value(),
    }
    return subprocess.run(
        [sys.executable, "-m", "interface.cli", "verify"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=VERIFY_TIMEOUT_SECONDS,
        check=False,
    )


def test_an_untouched_store_verifies(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, tmp_path: Path
) -> None:
    pet_with_a_story(bookings, new_owner())
    pet_with_a_story(bookings, new_owner())
    # Verify also checks the read tables, which must have reached the log.
    worker_for(bookings, view).catch_up()

    verify = run_verify(settings, tmp_path)

    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "OK, 8 events of 2 pets" in verify.stdout


def test_an_edited_event_is_reported_by_pet_and_version(
    bookings: PetBookings, settings: Settings, tmp_path: Path
) -> None:
    pet_id = pet_with_a_story(bookings, new_owner())
    pet_with_a_story(bookings, new_owner())
    raw = raw_events(bookings, settings)

    # Someone with database access rewrites the service of the first request.
    state = raw.state(pet_id, 2)
    raw.set_state(pet_id, 2, state.replace(b'"vaccination"', b'"surgery"'))
    verify = run_verify(settings, tmp_path)

    assert verify.returncode == 1
    assert f"pet {pet_id} version 2: content does not match its hash (altered)" in verify.stdout
    assert where(bookings) == {(pet_id, 2)}


def test_a_removed_event_is_reported(bookings: PetBookings, settings: Settings) -> None:
    pet_id = pet_with_a_story(bookings, new_owner())

    raw_events(bookings, settings).delete(pet_id, 3)

    assert where(bookings) == {(pet_id, 3)}
    assert [f.message for f in findings(bookings)] == ["missing (removed)"]


def test_swapped_events_are_reported(bookings: PetBookings, settings: Settings) -> None:
    pet_id = pet_with_a_story(bookings, new_owner())
    raw = raw_events(bookings, settings)

    # The cancellation and the first request trade places.
    second, third = raw.state(pet_id, 2), raw.state(pet_id, 3)
    raw.set_state(pet_id, 2, third)
    raw.set_state(pet_id, 3, second)

    assert {(pet_id, 2), (pet_id, 3)} <= where(bookings)


def test_a_row_that_does_not_even_decode_is_reported_not_a_crash(
    bookings: PetBookings, settings: Settings
) -> None:
    pet_id = pet_with_a_story(bookings, new_owner())

    raw_events(bookings, settings).set_state(pet_id, 2, b'{"service": "vacc')

    [finding] = findings(bookings)
    assert (finding.pet_id, finding.version) == (pet_id, 2)
    assert finding.message.startswith("cannot be read (altered): JSONDecodeError")


def test_a_recomputed_hash_still_breaks_the_next_link(
    bookings: PetBookings, settings: Settings
) -> None:
    pet_id = pet_with_a_story(bookings, new_owner())
    raw = raw_events(bookings, settings)

    # A careful intruder edits the request and recomputes its own hash.
    raw.set_state(pet_id, 2, rehashed(bookings, pet_id, 2, "surgery"))

    assert [(f.version, f.message.split(" (")[0]) for f in findings(bookings)] == [
        (3, "does not link to version 2")
    ]


def rehashed(bookings: PetBookings, pet_id: UUID, version: int, service: str) -> bytes:
    """The stored state of a booking request with another service and a recomputed own hash."""
    [event] = bookings.events.get(pet_id, gt=version - 1, lte=version)
    assert isinstance(event, Pet.BookingRequested)
    edited = copy.copy(event)
    object.__setattr__(edited, "service", service)
    object.__setattr__(edited, "event_hash", edited.expected_hash())
    return bookings.mapper.to_stored_event(edited).state
