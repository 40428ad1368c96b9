"""Create the PostgreSQL schema named in the database URL before the library uses it."""

from __future__ import annotations

import psycopg
from psycopg import sql


def ensure_schema(
    *, host: str, port: int, dbname: str, user: str, password: str, schema: str
) -> None:
    with psycopg.connect(
        host=host, port=port, dbname=dbname, user=user, password=password, autocommit=True
    ) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
