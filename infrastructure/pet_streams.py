"""One pet's stored events with their positions: the query the library's recorders lack.

Each store answers from its primary key (pet id, version), on the recorder's
own connections, table and schema, so it reads exactly what the library wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from application.log_pages import log_pages


class PostgresPetStreams:
    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self._datastore = recorder.datastore
        self._statement = SQL(
            "SELECT notification_id, originator_version, topic, state FROM {}.{} "
            "WHERE originator_id = %s ORDER BY originator_version"
        ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))

    def select_stream(self, pet_id: UUID) -> Sequence[Notification]:
        with self._datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(self._statement, [pet_id], prepare=True)
            rows = cursor.fetchall()
        return [_notification(pet_id, row["notification_id"], row) for row in rows]


class SQLitePetStreams:
    def __init__(self, recorder: SQLiteApplicationRecorder) -> None:
        self._datastore = recorder.datastore
        # The table name is the library's own setting, never user input.
        self._statement = (
            f"SELECT rowid, originator_version, topic, state FROM {recorder.events_table_name} "  # noqa: S608
            "WHERE originator_id = ? ORDER BY originator_version"
        )

    def select_stream(self, pet_id: UUID) -> Sequence[Notification]:
        with self._datastore.transaction(commit=False) as cursor:
            # The library stores UUIDs as hex text in SQLite.
            cursor.execute(self._statement, [pet_id.hex])
            rows = cursor.fetchall()
        return [_notification(pet_id, row["rowid"], row) for row in rows]


class ScanningPetStreams:
    """Any recorder, by scanning the whole log: for the library's in-memory store (tests)."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self._recorder = recorder

    def select_stream(self, pet_id: UUID) -> Sequence[Notification]:
        found = [
            n
            for page in log_pages(self._recorder)
            for n in page
            if UUID(str(n.originator_id)) == pet_id
        ]
        return sorted(found, key=lambda n: n.originator_version)


def _notification(pet_id: UUID, position: int, row: Any) -> Notification:
    """A row of either driver (psycopg dict row or sqlite3.Row) as the library's notification."""
    return Notification(
        id=position,
        originator_id=pet_id,
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )
