"""The process environment cannot change the store: the service's settings are its Settings.

Issue 15, point 2. The library lays `os.environ` over an application's settings,
and a variable prefixed with the application's name (`PETBOOKINGS_...`) beats
the unprefixed one the service passes.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from application.access import Actor, Role
from application.bookings import PetBookings
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
    ],
)
def test_a_library_variable_in_the_environment_leaves_the_store_as_configured(
    monkeypatch: pytest.MonkeyPatch, schema_url: str, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    assert register_luna(schema_url) == "Luna"
    assert stored_rows(schema_url) == 1


def test_the_schema_is_the_database_url_s_whatever_the_environment_says(
    monkeypatch: pytest.MonkeyPatch, schema_url: str
) -> None:
    with postgres_schema_url() as elsewhere:
        monkeypatch.setenv("PETBOOKINGS_POSTGRES_SCHEMA", schema_of(elsewhere))

        assert register_luna(schema_url) == "Luna"
        assert stored_rows(schema_url) == 1


def register_luna(schema_url: str) -> str:
    """Register a pet through the service's application and read it back."""
    app = PetBookings(env=service_store(schema_url).env)
    try:
        receipt = app.register_pet(OWNER, name="Luna", species="cat")
        return app.get_pet(OWNER, receipt.pet.pet_id).name
    finally:
        app.close()
