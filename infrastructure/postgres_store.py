"""The library's PostgreSQL persistence, made to recover at once from dropped sessions."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import psycopg_pool
from eventsourcing.persistence import OperationalError
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment, EnvType
from psycopg.rows import DictRow

logger = logging.getLogger(__name__)


class SweepingPostgresDatastore(PostgresDatastore):
    """Sweeps the pool when a connection turns out dead.

    After a server restart or a killed session, every idle pooled connection is
    dead too. The library retries failed calls, but each retry would draw the
    next corpse from the pool; sweeping first gives the retry a live one.
    """

    @contextmanager
    def get_connection(self) -> Iterator[psycopg.Connection[DictRow]]:
        try:
            with super().get_connection() as connection:
                yield connection
        except OperationalError:
            logger.warning("database connection failed; sweeping the pool")
            with contextlib.suppress(psycopg.Error, psycopg_pool.PoolClosed):
                self.pool.check()
            raise


class PetBookingsPostgresFactory(PostgresFactory):
    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        # The library builds its datastore inside __init__ with no hook to choose
        # the class; the subclass adds behaviour only, no state, so this is safe.
        self.datastore.__class__ = SweepingPostgresDatastore
