"""Single-use sign-in links: a token id is spent by inserting it under a primary key.

The store's uniqueness decides, so a link works once even when two API
processes receive it at the same instant. An id is forgotten once its token
has expired, so a token at or past its expiry is never spent: otherwise a used
link replayed just after it expired would find its id forgotten and spend it
again.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

TABLE = "console_spent_tokens"


class SqliteSpentTokens:
    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS console_spent_tokens "
                "(token_id TEXT PRIMARY KEY, expires_at TEXT)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def spend(self, token_id: str, expires_at: datetime) -> bool:
        now = datetime.now(UTC)
        if expires_at <= now:
            return False
        with self._connect() as connection:
            # Forget what can no longer be replayed: its token has expired.
            connection.execute(
                "DELETE FROM console_spent_tokens WHERE expires_at < ?", (now.isoformat(),)
            )
            try:
                connection.execute(
                    "INSERT INTO console_spent_tokens VALUES (?, ?)",
                    (token_id, expires_at.isoformat()),
                )
            except sqlite3.IntegrityError:
                return False
        return True

    def is_spent(self, token_id: str) -> bool:
        with self._connect() as connection:
            found = connection.execute(
                "SELECT 1 FROM console_spent_tokens WHERE token_id = ?", (token_id,)
            )
            return found.fetchone() is not None


class MemorySpentTokens:
    """For an in-memory store: one process is all there is."""

    def __init__(self) -> None:
        self._spent: set[str] = set()
        self._lock = threading.Lock()

    def spend(self, token_id: str, expires_at: datetime) -> bool:
        with self._lock:
            if token_id in self._spent or expires_at <= datetime.now(UTC):
                return False
            self._spent.add(token_id)
            return True

    def is_spent(self, token_id: str) -> bool:
        with self._lock:
            return token_id in self._spent


class PostgresSpentTokens:
    def __init__(self, connect_kwargs: dict[str, Any], schema: str) -> None:
        self.connect_kwargs = connect_kwargs
        self.table = sql.Identifier(schema, TABLE)
        with self._connect() as connection:
            connection.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (token_id text PRIMARY KEY, "
                    "expires_at timestamptz NOT NULL)"
                ).format(self.table)
            )

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(**self.connect_kwargs, autocommit=True)

    def spend(self, token_id: str, expires_at: datetime) -> bool:
        with self._connect() as connection:
            connection.execute(
                sql.SQL("DELETE FROM {} WHERE expires_at < now()").format(self.table)
            )
            # The database's clock decides both, and this statement's now() is not
            # earlier than the DELETE's: an id it forgot is never spendable here.
            inserted = connection.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT %(id)s, %(expires)s WHERE %(expires)s > now() "
                    "ON CONFLICT DO NOTHING"
                ).format(self.table),
                {"id": token_id, "expires": expires_at},
            )
            return inserted.rowcount == 1

    def is_spent(self, token_id: str) -> bool:
        with self._connect() as connection:
            found = connection.execute(
                sql.SQL("SELECT 1 FROM {} WHERE token_id = %s").format(self.table), (token_id,)
            )
            return found.fetchone() is not None
