"""The statements that append events to the log, and the PL/pgSQL function behind the first.

Every way in takes the table's EXCLUSIVE lock first, as the library's recorder
does, so that positions commit in the order they are given and log readers
never pass a gap that fills in later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier, Literal

Key = tuple[UUID, int]  # (pet id, version): the table's primary key


class AppendStatements:
    """Single events in one call; several events per write in one locked transaction."""

    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self.datastore = datastore = recorder.datastore
        schema, table = Identifier(datastore.schema), Identifier(recorder.events_table_name)
        event_type, channel = Identifier(recorder.stored_event_type_name), recorder.channel_name
        function = Identifier(datastore.schema, f"{recorder.events_table_name}_append")
        lock_timeout = Literal(int(datastore.lock_timeout))
        self.create_function = _append_function(
            function, schema, table, event_type, lock_timeout, Identifier(channel)
        )
        self._call = SQL("SELECT * FROM {}(%s)").format(function)
        self._lock = [
            SQL("SET LOCAL lock_timeout = '{}s'").format(lock_timeout),
            SQL("LOCK TABLE {}.{} IN EXCLUSIVE MODE").format(schema, table),
        ]
        self._notify = SQL("NOTIFY {}").format(Identifier(channel))
        self._select_taken = SQL(
            "SELECT originator_id, originator_version FROM {}.{} "
            "WHERE (originator_id, originator_version) IN "
            "(SELECT * FROM unnest(%s::uuid[], %s::bigint[]))"
        ).format(schema, table)
        self._insert = SQL(
            "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state FROM unnest(%s::{0}.{2}[]) "
            "RETURNING originator_id, originator_version, notification_id"
        ).format(schema, table, event_type)

    def append_single_events(self, rows: Sequence[Any]) -> list[DictRow]:
        """Lock, notify, insert what no one took, commit: what was inserted comes back.

        One statement and one round trip in autocommit: the library's pipelined
        transaction costs two, and in psycopg's pipeline machinery a third of a
        command's CPU. A version already taken is left out (ON CONFLICT DO
        NOTHING), which is safe only because each write here is one event.
        """
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(self._call, (rows,), prepare=True)
            return cursor.fetchall()

    def lock(self, cursor: Cursor[DictRow]) -> None:
        """Lock the table to the end of `cursor`'s transaction, waiting at most the lock timeout."""
        for statement in self._lock:
            cursor.execute(statement, prepare=True)

    def taken(self, cursor: Cursor[DictRow], keys: Sequence[Key]) -> set[Key]:
        """Which of `keys` are stored already (call it holding the table lock)."""
        cursor.execute(self._select_taken, ([k[0] for k in keys], [k[1] for k in keys]))
        return {(row["originator_id"], row["originator_version"]) for row in cursor.fetchall()}

    def insert(self, cursor: Cursor[DictRow], rows: Sequence[Any]) -> list[DictRow]:
        """Notify and insert every row or none: a taken version fails the whole statement."""
        cursor.execute(self._notify)
        cursor.execute(self._insert, (list(rows),))
        return cursor.fetchall()


def _append_function(
    function: Identifier,
    schema: Identifier,
    table: Identifier,
    event_type: Identifier,
    lock_timeout: Literal,
    channel: Identifier,
) -> Composed:
    # The table lock is held to the end of the call's own transaction, so
    # positions still commit in order.
    return SQL(
        "CREATE OR REPLACE FUNCTION {function}(events {schema}.{event_type}[]) "
        "RETURNS TABLE (originator_id uuid, originator_version bigint, notification_id bigint) "
        "LANGUAGE plpgsql AS $body$ "
        "#variable_conflict use_column\n"
        "BEGIN "
        "SET LOCAL lock_timeout = '{lock_timeout}s'; "
        "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
        "NOTIFY {channel}; "
        "RETURN QUERY INSERT INTO {schema}.{table} AS t "
        "(originator_id, originator_version, topic, state) "
        "SELECT e.originator_id, e.originator_version, e.topic, e.state "
        "FROM unnest(events) AS e "
        "ON CONFLICT DO NOTHING "
        "RETURNING t.originator_id, t.originator_version, t.notification_id; "
        "END $body$"
    ).format(
        function=function,
        schema=schema,
        table=table,
        event_type=event_type,
        lock_timeout=lock_timeout,
        channel=channel,
    )
