"""How long an append holds the events table's commit-order lock: one database's ceiling.

Every append takes `LOCK TABLE ... IN EXCLUSIVE MODE` (infrastructure/postgres/
append.py) and holds it until its transaction has committed, so appends to one
database run one at a time whatever its cores: the lock's hold time bounds the
events/s of the whole cluster. Group commit puts concurrent commands in one
append, so what matters is the hold of an append of B events.

Measured on a copy of our append function that also reads the server's clock
right after the lock is granted and after the insert; the commit (WAL flush,
still under the lock) is timed by the client, one localhost round trip
included, so the hold is slightly overstated. One writer, nothing waiting.
"""

from __future__ import annotations

import statistics
import time
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper
from psycopg import sql

from bench.bulk import new_pet, stored_event_mapper
from bench.model import LockHold
from bench.seed import our_application
from infrastructure.postgres.recorder import FailFastPostgresApplicationRecorder

SCHEMA = "c_lock"
BATCHES = (1, 16, 64, 256)
APPENDS = 60


def measure(url: str, secret: str) -> list[LockHold]:
    with our_application(url, secret) as bookings:
        recorder = bookings.recorder
        assert isinstance(recorder, FailFastPostgresApplicationRecorder)
        function, mapper = _create_timed_append(recorder), stored_event_mapper()
        return [_hold(recorder, mapper, function, size) for size in BATCHES]


def _create_timed_append(recorder: FailFastPostgresApplicationRecorder) -> sql.Composed:
    datastore = recorder.datastore
    schema, table = sql.Identifier(datastore.schema), sql.Identifier(recorder.events_table_name)
    event_type = sql.Identifier(recorder.stored_event_type_name)
    function = sql.Identifier(datastore.schema, "timed_append")
    create = sql.SQL(
        "CREATE OR REPLACE FUNCTION {function}(events {schema}.{event_type}[]) RETURNS float8 "
        "LANGUAGE plpgsql AS $body$ DECLARE granted timestamptz; BEGIN "
        "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; granted := clock_timestamp(); "
        "NOTIFY {channel}; "
        "INSERT INTO {schema}.{table} AS t (originator_id, originator_version, topic, state) "
        "SELECT e.originator_id, e.originator_version, e.topic, e.state FROM unnest(events) AS e "
        "ON CONFLICT DO NOTHING; "
        "RETURN extract(epoch FROM clock_timestamp() - granted); END $body$"
    ).format(
        function=function,
        schema=schema,
        event_type=event_type,
        table=table,
        channel=sql.Identifier(recorder.channel_name),
    )
    with datastore.get_connection() as connection:
        connection.execute(create)
    return sql.SQL("SELECT {}(%s) AS held").format(function)


def _hold(
    recorder: FailFastPostgresApplicationRecorder,
    mapper: Mapper[UUID],
    function: sql.Composed,
    size: int,
) -> LockHold:
    holds = []
    with recorder.datastore.get_connection() as connection:  # In autocommit: BEGIN is ours.
        for _ in range(APPENDS):
            rows = _rows(recorder, mapper, size)
            connection.execute("BEGIN")
            row = connection.execute(function, (rows,)).fetchone()
            started = time.perf_counter()
            connection.execute("COMMIT")  # The WAL flush, still under the lock.
            assert row is not None
            holds.append(float(row["held"]) + time.perf_counter() - started)
    held = statistics.median(holds)
    return LockHold(events=size, held_ms=held * 1000, ceiling=size / held)


def _rows(
    recorder: FailFastPostgresApplicationRecorder, mapper: Mapper[UUID], size: int
) -> list[Any]:
    """`size` BookingRequested events of as many fresh pets, as the append function takes them."""
    rows = []
    for _ in range(size):
        pet, _pending = new_pet(2)
        stored = mapper.to_stored_event(pet.collect_events()[-1])
        rows.append(
            recorder.construct_pg_stored_event(
                stored.originator_id, stored.originator_version, stored.topic, stored.state
            )
        )
    return rows
