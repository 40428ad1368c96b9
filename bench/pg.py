"""A fresh PostgreSQL database per run (bench_<random>), dropped at the end."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_ADMIN_URL = os.environ.get(
    "BOOKING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True)
class BenchDatabase:
    """The run's database; each scenario works in schemas of its own inside it."""

    admin_url: str
    name: str

    @property
    def base_url(self) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{self.name}", "", ""))

    def url(self, schema: str) -> str:
        """A BOOKING_DATABASE_URL for one schema of this database."""
        return f"{self.base_url}?schema={schema}"

    def connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.base_url, autocommit=True)

    def server_version(self) -> str:
        with self.connect() as connection:
            row = connection.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"

    def libpq_args(self) -> list[str]:
        """-h -p -U and the database name, for pgbench."""
        parts = urlsplit(self.base_url)
        return [
            "-h",
            parts.hostname or "127.0.0.1",
            "-p",
            str(parts.port or 5432),
            "-U",
            parts.username or "postgres",
            self.name,
        ]


@contextmanager
def bench_database(
    admin_url: str = DEFAULT_ADMIN_URL, *, keep: bool = False
) -> Iterator[BenchDatabase]:
    database = BenchDatabase(admin_url=admin_url, name=f"bench_{secrets.token_hex(4)}")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.name)))
    try:
        yield database
    finally:
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database.name)
                    )
                )
