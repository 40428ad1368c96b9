"""Stalling the service from outside: a transaction holding a lock on the events table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import psycopg
from psycopg import sql

from tests.stores import POSTGRES_URL

EVENTS_TABLE = "petbookings_events"


def schema_of(database_url: str) -> str:
    return parse_qs(urlsplit(database_url).query)["schema"][0]


@contextmanager
def events_table_locked(database_url: str, mode: str) -> Iterator[None]:
    """Hold `LOCK TABLE <events> IN <mode> MODE` until the block ends.

    EXCLUSIVE stops every writer and lets readers through, as a stuck migration
    or a runaway batch job would; ACCESS EXCLUSIVE stops readers too.
    """
    table = sql.Identifier(schema_of(database_url), EVENTS_TABLE)
    statement = sql.SQL("LOCK TABLE {} IN {} MODE").format(table, sql.SQL(mode))
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection, connection.transaction():
        connection.execute(statement)
        yield
        # Leaving the block ends the transaction, which releases the lock.


def sessions_loading_a_pet(database_url: str) -> int:
    """Sessions waiting for a lock on the events table to load a pet.

    (The library's query for one pet's events is the one `WHERE originator_id = ...`.)
    """
    table = f'"{schema_of(database_url)}".{EVENTS_TABLE}'
    # A session of its own: within a transaction pg_stat_activity is a snapshot that never moves.
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE NOT l.granted AND l.relation = to_regclass(%s) "
            "AND a.query LIKE '%%WHERE originator_id = %%'",
            (table,),
        ).fetchone()
    assert row is not None
    count = row[0]
    assert isinstance(count, int)
    return count
