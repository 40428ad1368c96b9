"""Preparing a PostgreSQL schema for the library, one process at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql


@contextmanager
def schema_prepared(connect_kwargs: dict[str, Any], schema: str) -> Iterator[None]:
    """Create the schema if missing, and hold a lock while the body creates tables.

    The library runs its DDL (CREATE OR REPLACE FUNCTION among it) on every
    start; two processes starting together fail with "tuple concurrently
    updated". A session advisory lock makes them take turns.
    """
    with psycopg.connect(**connect_kwargs, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"pet-booking:{schema}:ddl",))
        try:
            connection.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
            )
            yield
        finally:
            connection.execute(
                "SELECT pg_advisory_unlock(hashtext(%s))", (f"pet-booking:{schema}:ddl",)
            )
