"""The library's PostgreSQL persistence, made to recover at once from dropped sessions."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.utils import Environment, EnvType, retry
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


def _fewer_attempts(method: Any) -> Any:
    """The library's method with two attempts instead of ten.

    Ten attempts, each waiting up to the pool timeout, keep a client hanging for
    half a minute while the database is down. After a sweep (above) a second
    attempt finds a live connection if there is one; otherwise fail fast.
    """
    return retry((InterfaceError, OperationalError), max_attempts=2, wait=0.05)(method.__wrapped__)


class FailFastPostgresApplicationRecorder(PostgresApplicationRecorder):
    insert_events = _fewer_attempts(PostgresApplicationRecorder.insert_events)
    select_events = _fewer_attempts(PostgresApplicationRecorder.select_events)
    select_notifications = _fewer_attempts(PostgresApplicationRecorder.select_notifications)
    max_notification_id = _fewer_attempts(PostgresApplicationRecorder.max_notification_id)


class PetBookingsPostgresFactory(PostgresFactory):
    application_recorder_class = FailFastPostgresApplicationRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        # The library builds its datastore inside __init__ with no hook to choose
        # the class; the subclass adds behaviour only, no state, so this is safe.
        self.datastore.__class__ = SweepingPostgresDatastore
