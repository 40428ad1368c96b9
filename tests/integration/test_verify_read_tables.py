"""`booking verify` compares the projected tables with the fold of the log."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from uuid import UUID

import psycopg
import pytest

from application.audit.read_tables_check import ReadTablesCheck
from application.audit.verification import Finding, Verification
from application.bookings import PetBookings
from application.projection import AppointmentsView
from interface.auditing import open_audit
from interface.settings import Settings
from tests.integration.audit_support import AUDITOR, new_owner, pet_with_a_story
from tests.integration.projection_support import worker_for
from tests.integration.test_tamper_evidence import run_verify
from tests.raw_events import raw_events
from tests.stores import POSTGRES_URL


def read_table_findings(bookings: PetBookings, view: AppointmentsView) -> tuple[list[Finding], int]:
    check = ReadTablesCheck(bookings, view)
    found = list(Verification([check]).run(open_audit(bookings).log_entries(AUDITOR)))
    return found, check.not_compared


def execute(settings: Settings, view: AppointmentsView, sql: str, *params: object) -> None:
    """Raw SQL on the read tables, as someone with database access would."""
    if settings.database_url.startswith("postgresql"):
        schema = settings.database_url.rsplit("schema=", 1)[1]
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'SET search_path TO "{schema}"')
            connection.execute(sql.replace("?", "%s"), params)
        return
    path = settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(sql, params)


@pytest.fixture
def projected_pets(bookings: PetBookings, view: AppointmentsView) -> list[UUID]:
    pets = [pet_with_a_story(bookings, new_owner()) for _ in range(3)]
    worker_for(bookings, view).catch_up()
    return pets


def test_tables_equal_to_the_log_pass(
    bookings: PetBookings, view: AppointmentsView, projected_pets: list[UUID]
) -> None:
    found, not_compared = read_table_findings(bookings, view)

    assert (found, not_compared) == ([], 0)


def test_an_edited_read_row_is_reported_with_its_pet(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, projected_pets: list[UUID]
) -> None:
    pet_id = projected_pets[1]
    execute(
        settings,
        view,
        "UPDATE appointments SET service = 'forged' WHERE pet_id = ?",
        _stored(settings, pet_id),
    )

    found, _ = read_table_findings(bookings, view)
    assert {f.pet_id for f in found} == {pet_id}
    assert all("forged" in f.message for f in found)


def test_a_removed_last_event_the_chain_cannot_see_is_caught_by_the_tables(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, projected_pets: list[UUID]
) -> None:
    pet_id = projected_pets[0]

    # Removing a pet's last event leaves a valid, shorter chain...
    raw_events(bookings, settings).delete(pet_id, 4)

    # ...but the read tables still hold what it did.
    found, _ = read_table_findings(bookings, view)
    assert {f.pet_id for f in found} == {pet_id}


def test_pets_with_events_past_the_projection_are_left_out_and_the_lag_reported(
    bookings: PetBookings, view: AppointmentsView, projected_pets: list[UUID]
) -> None:
    position = view.position()
    pet_with_a_story(bookings, new_owner())

    found, not_compared = read_table_findings(bookings, view)

    # The pet is not compared, but tables that stay behind the log are a problem.
    assert not_compared == 1
    assert [f.message.split(":")[0] for f in found] == [
        f"at position {position}, behind the log at {bookings.head_position()}"
    ]


def test_booking_verify_exits_1_naming_the_pet_of_a_damaged_read_row(
    bookings: PetBookings,
    view: AppointmentsView,
    settings: Settings,
    projected_pets: list[UUID],
    tmp_path: Path,
) -> None:
    clean = run_verify(settings, tmp_path)
    pet_id = projected_pets[2]
    execute(
        settings, view, "DELETE FROM appointment_pets WHERE pet_id = ?", _stored(settings, pet_id)
    )

    damaged = run_verify(settings, tmp_path)

    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "checked: hash chain, read tables" in clean.stdout
    assert damaged.returncode == 1
    assert f"read tables: pet {pet_id}" in damaged.stdout


def _stored(settings: Settings, pet_id: UUID) -> object:
    return str(pet_id) if settings.database_url.startswith("sqlite") else pet_id
