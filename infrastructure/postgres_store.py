"""The library's PostgreSQL persistence, made to recover at once from dropped sessions."""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg
import psycopg_pool
from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import (
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from eventsourcing.utils import Environment, EnvType
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier, Literal

from infrastructure.group_commit import GroupCommit, Submission

logger = logging.getLogger(__name__)
T = TypeVar("T")


class SweepingPostgresDatastore(PostgresDatastore):
    """Sweeps the pool when a connection turns out dead; fails fast while the server is down.

    After a server restart or a killed session, every idle pooled connection is
    dead too. The library retries failed calls, but each retry would draw the
    next corpse from the pool; sweeping first gives the retry a live one.

    While the server is down the pool cannot tell a waiting caller so: each
    would wait the whole pool timeout, once per attempt. So after a failure the
    next caller first tries one connection of its own, and if the server
    refuses it, fails at once.
    """

    _failing = False  # Set after a failure, cleared by the next successful probe.

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


Accepted = list[Submission[Sequence[StoredEvent], list[int]]]


def _version_taken() -> IntegrityError:
    return IntegrityError("version already taken: a concurrent command won")


# Waits already spent in full: retrying one would only double the client's wait.
TIMEOUTS = (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled, psycopg_pool.PoolTimeout)


def _second_chance(method: Callable[..., T]) -> Callable[..., T]:
    """Two attempts instead of the library's ten, and none more after a timeout.

    Ten attempts, each waiting up to the pool timeout, keep a client hanging for
    half a minute while the database is down. After a lost connection the pool
    is swept (above), so one more attempt finds a live connection if any.
    """

    @functools.wraps(method)
    def attempt(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except (InterfaceError, OperationalError) as error:
            if isinstance(error.__cause__, TIMEOUTS):
                raise
            time.sleep(0.05)
            return method(*args, **kwargs)

    return attempt


def _fewer_attempts(method: Any) -> Any:
    """The library's method, unwrapped from its own retries, with ours."""
    return _second_chance(method.__wrapped__)


class FailFastPostgresApplicationRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.group_commit: GroupCommit[Sequence[StoredEvent], list[int]] = GroupCommit(
            self._write_group,
            shared=lambda error: isinstance(error, (InterfaceError, OperationalError)),
        )
        self._insert_statement = SQL(
            "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state "
            "FROM unnest(%s::{0}.{2}[])"
        ).format(
            Identifier(datastore.schema),
            Identifier(events_table_name),
            Identifier(self.stored_event_type_name),
        )
        self._returning = " RETURNING originator_id, originator_version, notification_id"
        self._select_taken_statement = SQL(
            "SELECT originator_id, originator_version FROM {0}.{1} "
            "WHERE (originator_id, originator_version) IN "
            "(SELECT * FROM unnest(%s::uuid[], %s::bigint[]))"
        ).format(Identifier(datastore.schema), Identifier(events_table_name))
        function = Identifier(datastore.schema, f"{events_table_name}_append")
        self.sql_create_statements.append(self._append_function(function))
        self._call_append = SQL("SELECT * FROM {0}(%s)").format(function)

    def _append_function(self, function: Identifier) -> Composed:
        """One statement, one round trip: lock, insert what no one took, notify, commit.

        The library's pipelined transaction costs two round trips and, in
        psycopg's pipeline machinery, a third of a command's CPU. The table lock
        is held to the end of the statement's own transaction, so positions
        still commit in order.
        """
        return SQL(
            "CREATE OR REPLACE FUNCTION {function}(events {schema}.{event_type}[]) "
            "RETURNS TABLE (originator_id uuid, originator_version bigint, notification_id bigint) "
            "LANGUAGE plpgsql AS $body$ "
            "#variable_conflict use_column\n"
            "BEGIN "
            "SET LOCAL lock_timeout = '{lock_timeout}s'; "
            "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "NOTIFY {channel}; "
            "RETURN QUERY INSERT INTO {schema}.{table} AS t "
            "(originator_id, originator_version, topic, state) "
            "SELECT e.originator_id, e.originator_version, e.topic, e.state "
            "FROM unnest(events) AS e "
            "ON CONFLICT DO NOTHING "
            "RETURNING t.originator_id, t.originator_version, t.notification_id; "
            "END $body$"
        ).format(
            function=function,
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
            event_type=Identifier(self.stored_event_type_name),
            lock_timeout=Literal(int(self.datastore.lock_timeout)),
            channel=Identifier(self.channel_name),
        )

    @_second_chance
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        """Insert one command's events, in a transaction shared with concurrent commands.

        A version another command took raises IntegrityError for this command
        alone, as the primary key would have; the rest of the group commits.
        """
        return self.group_commit.submit(stored_events) if stored_events else []

    def _write_group(self, group: Sequence[Submission[Sequence[StoredEvent], list[int]]]) -> None:
        accepted = self._first_claims(group)
        if any(len(submission.item) > 1 for submission in accepted):
            with self.datastore.transaction(commit=True) as cursor:
                self._lock_table(cursor)
                self._insert(cursor, self._not_taken(cursor, accepted), conflicts="")
            return
        # One event per command (all of ours): the insert itself finds the conflicts.
        events = [event for submission in accepted for event in submission.item]
        if not events:
            return
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(self._call_append, (self._rows(events),), prepare=True)
            self._settle(accepted, cursor.fetchall())

    @staticmethod
    def _first_claims(group: Sequence[Submission[Sequence[StoredEvent], list[int]]]) -> Accepted:
        """Two commands of one group on the same pet version: the first wins."""
        claimed: set[tuple[object, int]] = set()
        accepted = []
        for submission in group:
            wanted = {(e.originator_id, e.originator_version) for e in submission.item}
            if wanted & claimed:
                submission.error = _version_taken()
                continue
            claimed |= wanted
            accepted.append(submission)
        return accepted

    def _not_taken(self, cursor: Cursor[DictRow], accepted: Accepted) -> Accepted:
        keys = [(e.originator_id, e.originator_version) for s in accepted for e in s.item]
        cursor.execute(self._select_taken_statement, ([k[0] for k in keys], [k[1] for k in keys]))
        taken = {(row["originator_id"], row["originator_version"]) for row in cursor.fetchall()}
        free = []
        for submission in accepted:
            if any((e.originator_id, e.originator_version) in taken for e in submission.item):
                submission.error = _version_taken()
            else:
                free.append(submission)
        return free

    def _insert(self, cursor: Cursor[DictRow], accepted: Accepted, *, conflicts: str) -> None:
        events = [event for submission in accepted for event in submission.item]
        if not events:
            return
        self._notify_channel(cursor)
        cursor.execute(
            self._insert_statement + SQL(conflicts + self._returning), (self._rows(events),)
        )
        self._settle(accepted, cursor.fetchall())

    def _rows(self, events: list[StoredEvent]) -> list[Any]:
        return [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in events
        ]

    @staticmethod
    def _settle(accepted: Accepted, returned: list[DictRow]) -> None:
        """Each command gets its positions, or a version conflict if its event was refused."""
        stored = {
            (row["originator_id"], row["originator_version"]): row["notification_id"]
            for row in returned
        }
        for submission in accepted:
            ids = [stored.get((e.originator_id, e.originator_version)) for e in submission.item]
            if None in ids:
                submission.error = _version_taken()
            else:
                submission.result = [i for i in ids if i is not None]

    select_events = _fewer_attempts(PostgresApplicationRecorder.select_events)
    select_notifications = _fewer_attempts(PostgresApplicationRecorder.select_notifications)
    max_notification_id = _fewer_attempts(PostgresApplicationRecorder.max_notification_id)


class PetBookingsPostgresFactory(PostgresFactory):
    application_recorder_class = FailFastPostgresApplicationRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        # The library builds its datastore inside __init__ with no hook to choose
        # the class; the subclass adds behaviour and one flag with a class default
        # (nothing __init__ must set), so this is safe.
        self.datastore.__class__ = SweepingPostgresDatastore
        # The pool retries a lost connection with backoff for up to five minutes,
        # so a database back after a long outage stayed unused for as long again.
        # Giving up after a client's wait lets the next client's wait connect at once.
        self.datastore.pool.reconnect_timeout = self.datastore.pool.timeout
