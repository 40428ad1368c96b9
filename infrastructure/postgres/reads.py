"""The application recorder's queries, written as the library writes them.

They are ours so that they retry our way (retries.py) rather than the ten
times the library's own methods are decorated with. The library's recorder
conformance tests (tests/contract/) hold them to the library's behaviour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from psycopg import Connection, Cursor
from psycopg.rows import DictRow, TupleRow, tuple_row
from psycopg.sql import SQL, Composed, Identifier


class Reads:
    def __init__(self, datastore: PostgresDatastore, events_table_name: str) -> None:
        self.datastore = datastore
        table = SQL("{}.{}").format(Identifier(datastore.schema), Identifier(events_table_name))
        # "WHERE originator_id = " is how tests/reliability/locks.py spots a pet being loaded.
        self._select_events = SQL(
            "SELECT originator_id, originator_version, topic, state FROM {} "
            "WHERE originator_id = %s"
        ).format(table)
        self._select_notifications = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {}"
        ).format(table)
        self._max_notification_id = SQL("SELECT MAX(notification_id) FROM {}").format(table)
        self._events_statements: dict[tuple[bool, bool, bool, bool], Composed] = {}

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """One stream in version order; every command loads its pet this way."""
        optional = [value for value in (gt, lte, limit) if value is not None]
        statement = self._events_statement(gt is not None, lte is not None, desc, limit is not None)
        with self.datastore.get_connection() as connection, _tuples(connection) as cursor:
            cursor.execute(statement, [originator_id, *optional], prepare=True)
            return [
                StoredEvent(
                    originator_id=pet_id, originator_version=version, topic=topic, state=state
                )
                for pet_id, version, topic, state in cursor.fetchall()
            ]

    def _events_statement(self, gt: bool, lte: bool, desc: bool, limit: bool) -> Composed:
        key = (gt, lte, desc, limit)
        if key not in self._events_statements:
            statement = self._select_events
            if gt:
                statement += SQL(" AND originator_version > %s")
            if lte:
                statement += SQL(" AND originator_version <= %s")
            statement += SQL(
                " ORDER BY originator_version DESC" if desc else " ORDER BY originator_version ASC"
            )
            if limit:
                statement += SQL(" LIMIT %s")
            self._events_statements[key] = statement
        return self._events_statements[key]

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """Events in log order from `start`, at most `limit`, up to `stop`, of `topics` if any."""
        conditions: list[SQL] = []
        params: list[Any] = []
        if start is not None:
            conditions.append(
                SQL("notification_id >= %s" if inclusive_of_start else "notification_id > %s")
            )
            params.append(start)
        if stop is not None:
            conditions.append(SQL("notification_id <= %s"))
            params.append(stop)
        if topics:
            conditions.append(SQL("topic = ANY(%s)"))
            params.append(list(topics))
        statement = self._select_notifications
        if conditions:
            statement += SQL(" WHERE ") + SQL(" AND ").join(conditions)
        statement += SQL(" ORDER BY notification_id LIMIT %s")
        with self.datastore.get_connection() as connection, _tuples(connection) as cursor:
            cursor.execute(statement, [*params, limit], prepare=True)
            return [
                Notification(
                    id=position,
                    originator_id=pet_id,
                    originator_version=version,
                    topic=topic,
                    state=state,
                )
                for position, pet_id, version, topic, state in cursor.fetchall()
            ]

    def max_notification_id(self) -> int | None:
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(self._max_notification_id)
            row = cursor.fetchone()
        assert row is not None, "an aggregate query returns one row"
        position: int | None = row["max"]
        return position


def _tuples(connection: Connection[DictRow]) -> Cursor[TupleRow]:
    """A cursor of plain tuples: a catch-up reads millions of rows, and dicts cost a third more.

    bytea arrives as bytes (never memoryview) with psycopg's default loaders.
    """
    return connection.cursor(row_factory=tuple_row)
