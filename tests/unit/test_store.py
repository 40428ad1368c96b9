"""BOOKING_DATABASE_URL and the signing secret: what starts, and what refuses to."""

from __future__ import annotations

import inspect
import stat
from pathlib import Path

import pytest
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import Environment

from infrastructure.postgres.datastore import SweepingPostgresDatastore, settings_of
from interface.secret import SecretConfigError, jwt_secret, secret_file_for
from interface.settings import Settings
from interface.store import DatabaseUrlError, store_from_settings


def test_the_default_is_an_embedded_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOOKING_DATABASE_URL", raising=False)

    store = store_from_settings(Settings())

    assert store.kind == "sqlite"
    assert store.env["SQLITE_DBNAME"] == "./booking.sqlite3"
    assert store.sqlite_path == Path("booking.sqlite3")


def test_an_absolute_sqlite_path_keeps_its_leading_slash() -> None:
    store = store_from_settings(Settings(database_url="sqlite:////var/lib/booking/db.sqlite3"))

    assert store.env["SQLITE_DBNAME"] == "/var/lib/booking/db.sqlite3"


def test_sqlite_memory_is_one_shared_database_per_application() -> None:
    first = store_from_settings(Settings(database_url="sqlite:///:memory:"))
    second = store_from_settings(Settings(database_url="sqlite:///:memory:"))

    assert "mode=memory&cache=shared" in first.env["SQLITE_DBNAME"]
    assert first.env["SQLITE_DBNAME"] != second.env["SQLITE_DBNAME"]
    assert first.sqlite_path is None


def test_a_postgres_url_becomes_the_library_environment_with_short_timeouts() -> None:
    settings = Settings(
        database_url="postgresql://app:p%40ss@db.internal:6543/booking?schema=clinic",
        pool_size=7,
        pool_timeout_seconds=2,
        lock_timeout_seconds=4,
    )

    env = store_from_settings(settings).env

    assert env["PERSISTENCE_MODULE"] == "infrastructure.postgres.factory:PetBookingsPostgresFactory"
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("app", "p@ss")
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == ("db.internal", "6543")
    assert (env["POSTGRES_DBNAME"], env["POSTGRES_SCHEMA"]) == ("booking", "clinic")
    assert env["POSTGRES_POOL_SIZE"] == "7"
    assert env["POSTGRES_CONNECT_TIMEOUT"] == "2"
    assert env["POSTGRES_LOCK_TIMEOUT"] == "4"
    assert env["POSTGRES_ENABLE_DB_FUNCTIONS"] == "n"


@pytest.mark.parametrize(
    "url",
    ["mysql://x/y", "sqlite://relative.db", "sqlite:///", "postgresql://host-only", "nonsense"],
)
def test_an_unusable_url_is_refused_with_the_accepted_forms(url: str) -> None:
    with pytest.raises(DatabaseUrlError, match="expected sqlite:///PATH"):
        store_from_settings(Settings(database_url=url))


def test_embedded_sqlite_generates_one_owner_only_secret_beside_the_database(
    tmp_path: Path,
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    store = store_from_settings(settings)

    first, second = jwt_secret(settings, store), jwt_secret(settings, store)

    secret_file = secret_file_for(tmp_path / "db.sqlite3")
    assert first == second
    assert len(first) >= 32
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_postgres_without_a_secret_refuses_to_start() -> None:
    settings = Settings(database_url="postgresql://postgres@127.0.0.1/test")

    with pytest.raises(SecretConfigError, match="BOOKING_JWT_SECRET is not set"):
        jwt_secret(settings, store_from_settings(settings))


def test_a_short_secret_is_refused() -> None:
    settings = Settings(database_url="sqlite:///:memory:", jwt_secret="too-short")

    with pytest.raises(SecretConfigError, match="at least 32"):
        jwt_secret(settings, store_from_settings(settings))


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("ORIGINATOR_ID_TYPE", "text"),
        ("PETBOOKINGS_ORIGINATOR_ID_TYPE", "TEXT"),
        ("POSTGRES_ENABLE_DB_FUNCTIONS", "y"),
        ("APPLICATION_RECORDER_TOPIC", "eventsourcing.postgres:PostgresApplicationRecorder"),
    ],
)
def test_a_library_setting_the_postgres_store_cannot_honour_is_refused_by_name(
    setting: str, value: str
) -> None:
    store = store_from_settings(Settings(database_url="postgresql://postgres@127.0.0.1/test"))
    env = Environment("PetBookings", {**store.env, setting: value})

    # Refused while the factory is built, before any connection is made.
    with pytest.raises(OSError, match=setting):
        InfrastructureFactory.construct(env)


def test_the_sweeping_datastore_is_built_with_every_setting_the_library_parsed() -> None:
    def get_password() -> str:
        return "from-a-vault"

    given: dict[str, object] = {
        "dbname": "booking",
        "host": "db.internal",
        "port": "6543",
        "user": "app",
        "password": "secret",
        "connect_timeout": 4.0,
        "idle_in_transaction_session_timeout": 7.0,
        "pool_size": 3,
        "max_overflow": 2,
        "max_waiting": 9,
        "conn_max_age": 120.0,
        "pre_ping": True,
        "lock_timeout": 6,
        "schema": "clinic",
        "pool_open_timeout": 1.5,
        "get_password_func": get_password,
        "single_row_tracking": False,
        "originator_id_type": "uuid",
        "enable_db_functions": True,
    }
    # A setting the library adds later must be carried over too: this list must name it.
    assert set(given) == set(inspect.signature(PostgresDatastore).parameters)
    library = PostgresDatastore(**given)  # type: ignore[arg-type]

    ours = SweepingPostgresDatastore.configured_as(library)

    assert settings_of(ours) == given
    assert ours.pool.reconnect_timeout == ours.pool.timeout
    library.close()
    ours.close()
