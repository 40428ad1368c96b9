"""Create the PostgreSQL schema named in the database URL before the library uses it."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql


def ensure_schema(connect_kwargs: dict[str, Any], schema: str) -> None:
    with psycopg.connect(**connect_kwargs, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
