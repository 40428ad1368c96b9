"""Electing the one projection worker: a PostgreSQL advisory lock, or a lock file."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import Any

import psycopg

logger = logging.getLogger(__name__)


class PostgresLeadership:
    """Held while its own session holds `pg_try_advisory_lock(key)`.

    A killed session drops the lock, so another worker can take over.
    """

    def __init__(self, connect_kwargs: dict[str, Any], key: str) -> None:
        self.connect_kwargs = connect_kwargs
        self.key = key
        self._connection: psycopg.Connection[Any] | None = None

    def try_acquire(self) -> bool:
        self._close()
        connection = psycopg.connect(**self.connect_kwargs, autocommit=True)
        row = connection.execute(
            "SELECT pg_try_advisory_lock(hashtext(%s))", (self.key,)
        ).fetchone()
        if row is not None and row[0]:
            self._connection = connection
            return True
        connection.close()
        return False

    def still_held(self) -> bool:
        if self._connection is None:
            return False
        try:
            self._connection.execute("SELECT 1")
        except psycopg.Error:
            logger.warning("lost the projection's leadership session")
            self._close()
            return False
        return True

    def release(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(psycopg.Error):
                self._connection.close()
            self._connection = None


class FileLeadership:
    """An exclusive `flock` on a file beside the SQLite database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def still_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # Closing the descriptor releases the lock.
            self._fd = None
