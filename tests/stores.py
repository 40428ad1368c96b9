"""Test databases: a fresh SQLite file or a fresh PostgreSQL schema per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

POSTGRES_URL = os.environ.get(
    "BOOKING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
POSTGRES_REQUIRED = os.environ.get("BOOKING_REQUIRE_POSTGRES") == "1"


def _connect() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)


def require_postgres() -> None:
    """Skip visibly when PostgreSQL is absent; fail instead when CI demands it."""
    try:
        with _connect():
            pass
    except psycopg.OperationalError as error:
        message = f"PostgreSQL not reachable at {POSTGRES_URL}: {error}"
        if POSTGRES_REQUIRED:
            pytest.fail(message + " (BOOKING_REQUIRE_POSTGRES=1)")
        pytest.skip(message)


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    require_postgres()
    schema = f"test_{uuid4().hex[:12]}"
    with _connect() as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    separator = "&" if urlsplit(POSTGRES_URL).query else "?"
    try:
        yield f"{POSTGRES_URL}{separator}schema={schema}"
    finally:
        with _connect() as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def sqlite_file_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'booking.sqlite3'}"


@contextmanager
def database_url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "postgres":
        with postgres_schema_url() as url:
            yield url
    else:
        yield sqlite_file_url(tmp_path)
