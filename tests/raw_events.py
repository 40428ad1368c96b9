"""The stored_events table edited behind the application's back, as an intruder would."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Protocol
from uuid import UUID

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql

from application.bookings import PetBookings
from interface.settings import Settings
from interface.store import store_from_settings
from tests.stores import POSTGRES_URL


class RawEvents(Protocol):
    def state(self, pet_id: UUID, version: int) -> bytes: ...

    def set_state(self, pet_id: UUID, version: int, state: bytes) -> None: ...

    def delete(self, pet_id: UUID, version: int) -> None: ...


class SQLiteRawEvents:
    """The library's SQLite recorder always names its table `stored_events`."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def state(self, pet_id: UUID, version: int) -> bytes:
        statement = (
            "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = ?"
        )
        [(state,)] = self._run(statement, pet_id, version)
        assert isinstance(state, bytes)
        return state

    def set_state(self, pet_id: UUID, version: int, state: bytes) -> None:
        statement = (
            "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?"
        )
        self._run(statement, state, pet_id, version)

    def delete(self, pet_id: UUID, version: int) -> None:
        statement = "DELETE FROM stored_events WHERE originator_id = ? AND originator_version = ?"
        self._run(statement, pet_id, version)

    def _run(self, statement: str, *params: object) -> list[tuple[object, ...]]:
        # The library keeps UUIDs as hex text in SQLite.
        values = [p.hex if isinstance(p, UUID) else p for p in params]
        with closing(sqlite3.connect(self._path)) as connection, connection:
            return connection.execute(statement, values).fetchall()


class PostgresRawEvents:
    def __init__(self, schema: str, table: str) -> None:
        self._table = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))

    def state(self, pet_id: UUID, version: int) -> bytes:
        statement = sql.SQL("SELECT state FROM {} WHERE {}").format(self._table, _PG_WHERE)
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            row = connection.execute(statement, [pet_id, version]).fetchone()
        assert row is not None
        return bytes(row[0])

    def set_state(self, pet_id: UUID, version: int, state: bytes) -> None:
        statement = sql.SQL("UPDATE {} SET state = %s WHERE {}").format(self._table, _PG_WHERE)
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(statement, [state, pet_id, version])

    def delete(self, pet_id: UUID, version: int) -> None:
        statement = sql.SQL("DELETE FROM {} WHERE {}").format(self._table, _PG_WHERE)
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(statement, [pet_id, version])


_PG_WHERE = sql.SQL("originator_id = %s AND originator_version = %s")


def raw_events(bookings: PetBookings, settings: Settings) -> RawEvents:
    """Direct access to the table where `bookings` stores its events."""
    store, recorder = store_from_settings(settings), bookings.recorder
    if isinstance(recorder, PostgresApplicationRecorder):
        assert store.postgres_schema is not None
        return PostgresRawEvents(store.postgres_schema, recorder.events_table_name)
    assert store.sqlite_path is not None
    return SQLiteRawEvents(store.sqlite_path)
