"""The process environment cannot change the store: the service's settings are its Settings.

Issue 15, point 2. The library lays `os.environ` over an application's settings,
and a variable prefixed with the application's name (`PETBOOKINGS_...`) beats
the unprefixed one the service passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from application.access import Actor, Role
from application.bookings import PetBookings
from interface.environment import LibraryEnvironmentError
from interface.store import Store
from tests.contract.service import service_store
from tests.reliability.locks import EVENTS_TABLE, schema_of
from tests.stores import POSTGRES_URL, postgres_schema_url

pytestmark = pytest.mark.postgres

OWNER = Actor("owner-env", Role.OWNER)


def stored_rows(schema_url: str) -> int:
    table = sql.Identifier(schema_of(schema_url), EVENTS_TABLE)
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        row = connection.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
    assert row is not None
    count = row[0]
    assert isinstance(count, int)
    return count


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ORIGINATOR_ID_TYPE", "text"),
        ("PETBOOKINGS_ORIGINATOR_ID_TYPE", "text"),
        ("PETBOOKINGS_PERSISTENCE_MODULE", "eventsourcing.popo"),
        ("PETBOOKINGS_POSTGRES_SCHEMA", "elsewhere"),
    ],
)
def test_a_library_variable_in_the_environment_is_refused_at_start_up_by_name(
    monkeypatch: pytest.MonkeyPatch, schema_url: str, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(LibraryEnvironmentError) as refused:
        service_store(schema_url)

    assert refused.value.names == [variable]
    assert variable in str(refused.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ORIGINATOR_ID_TYPE", "text"),
        ("PETBOOKINGS_ORIGINATOR_ID_TYPE", "text"),
        ("PETBOOKINGS_PERSISTENCE_MODULE", "eventsourcing.popo"),
    ],
)
def test_the_application_itself_ignores_the_environment(
    monkeypatch: pytest.MonkeyPatch, schema_url: str, variable: str, value: str
) -> None:
    # Built before the variable appears: the application reads its settings, not os.environ.
    store = service_store(schema_url)
    monkeypatch.setenv(variable, value)

    assert register_luna(store) == "Luna"
    assert stored_rows(schema_url) == 1


def test_the_schema_is_the_database_url_s_whatever_the_environment_says(
    monkeypatch: pytest.MonkeyPatch, schema_url: str
) -> None:
    store = service_store(schema_url)
    with postgres_schema_url() as elsewhere:
        monkeypatch.setenv("PETBOOKINGS_POSTGRES_SCHEMA", schema_of(elsewhere))

        assert register_luna(store) == "Luna"
        assert stored_rows(schema_url) == 1


def test_bare_database_variables_are_ignored_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, schema_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Container setups set these for the database server; they must not stop the service.
    monkeypatch.setenv("POSTGRES_PASSWORD", "for-the-server")

    with caplog.at_level("WARNING"):
        store = service_store(schema_url)

    assert register_luna(store) == "Luna"
    assert "POSTGRES_PASSWORD" in caplog.text


def register_luna(store: Store) -> str:
    """Register a pet through the service's application and read it back."""
    app = PetBookings(env=store.env)
    try:
        receipt = app.register_pet(OWNER, name="Luna", species="cat")
        return app.get_pet(OWNER, receipt.pet.pet_id).name
    finally:
        app.close()


def test_booking_refuses_to_start_naming_the_variable(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BOOKING_DATABASE_URL": f"sqlite:///{tmp_path / 'booking.sqlite3'}",
        "PETBOOKINGS_ORIGINATOR_ID_TYPE": "text",
    }

    refused = subprocess.run(
        [sys.executable, "-m", "interface.cli", "token", "--role", "owner"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert refused.returncode == 2
    assert "PETBOOKINGS_ORIGINATOR_ID_TYPE" in refused.stderr
