"""The library's PostgreSQL datastore, made to recover at once from dropped sessions."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing.persistence import OperationalError
from eventsourcing.postgres import PostgresDatastore
from psycopg.rows import DictRow

logger = logging.getLogger(__name__)


class SweepingPostgresDatastore(PostgresDatastore):
    """Sweeps the pool when a connection turns out dead; fails fast while the server is down.

    After a server restart or a killed session, every idle pooled connection is
    dead too. Retrying a failed call would draw the next corpse from the pool;
    sweeping first gives the retry a live one.

    While the server is down the pool cannot tell a waiting caller so: each
    would wait the whole pool timeout, once per attempt. So after a failure the
    next caller first tries one connection of its own, and if the server
    refuses it, fails at once.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._failing = False  # Set after a failure, cleared by the next successful probe.
        # The pool retries a lost connection with backoff for up to five minutes,
        # so a database back after a long outage stayed unused for as long again.
        # Giving up after a client's wait lets the next client's wait connect at once.
        self.pool.reconnect_timeout = self.pool.timeout

    @classmethod
    def configured_as(cls, datastore: PostgresDatastore) -> SweepingPostgresDatastore:
        """A new datastore with every setting of `datastore`, which the library's factory built.

        The library's factory parses its settings into a datastore it constructs
        itself, with no hook to choose the class: we read them back from it.
        """
        return cls(**settings_of(datastore))

    @contextmanager
    def get_connection(self) -> Iterator[psycopg.Connection[DictRow]]:
        if self._failing:
            self._probe()
        try:
            with super().get_connection() as connection:
                yield connection
        except OperationalError:
            self._failing = True
            logger.warning("database connection failed; sweeping the pool")
            with contextlib.suppress(psycopg.Error, psycopg_pool.PoolClosed):
                self.pool.check()
            raise

    def _probe(self) -> None:
        pool = self.pool
        assert isinstance(pool.conninfo, str), "the library passes a string"
        assert isinstance(pool.kwargs, dict), "the library passes a dict"
        kwargs = {**pool.kwargs, "connect_timeout": max(2, int(pool.timeout))}  # libpq's minimum
        try:
            psycopg.connect(pool.conninfo, **kwargs).close()
        except psycopg.Error as error:
            raise OperationalError(f"database unreachable: {error}") from error
        self._failing = False


def settings_of(datastore: PostgresDatastore) -> dict[str, Any]:
    """The keyword arguments that built `datastore` (tests/unit/test_store.py checks them all)."""
    pool = datastore.pool
    assert isinstance(pool.kwargs, dict), "the library passes a dict"
    return {
        **{key: pool.kwargs[key] for key in ("dbname", "host", "port", "user", "password")},
        "connect_timeout": pool.timeout,
        "idle_in_transaction_session_timeout": datastore.idle_in_transaction_session_timeout,
        "pool_size": pool.min_size,
        "max_overflow": pool.max_size - pool.min_size,
        "max_waiting": pool.max_waiting,
        "conn_max_age": pool.max_lifetime,
        "pre_ping": datastore.pre_ping,
        "lock_timeout": datastore.lock_timeout,
        "schema": datastore.schema,
        "pool_open_timeout": datastore.pool_open_timeout,
        "get_password_func": pool.get_password_func,
        "single_row_tracking": datastore.single_row_tracking,
        "originator_id_type": datastore.originator_id_type,
        "enable_db_functions": datastore.enable_db_functions,
    }
