"""Two attempts instead of the library's ten, and none more after a wait spent in full.

The library retries every call on a lost connection ten times, 0.2 s apart,
each attempt waiting up to the pool timeout: while the database is down a
client hangs for half a minute. After a lost connection the datastore sweeps
the pool (datastore.py), so one more attempt finds a live connection if any.

A lock timeout, a cancelled statement and a pool timeout are never retried,
where the library retries them like any other operational error: the client
has already waited the whole timeout once, and a table or pool that stayed
busy that long is stuck. Retrying would multiply its wait; answering lets the
service say 503 with Retry-After and the client decide.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import psycopg
import psycopg_pool
from eventsourcing.persistence import InterfaceError, OperationalError

P = ParamSpec("P")
T = TypeVar("T")

# Failures of the connection or the server, not of what was asked of it.
TRANSIENT = (InterfaceError, OperationalError)
TIMEOUTS = (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled, psycopg_pool.PoolTimeout)
PAUSE_SECONDS = 0.05


def waited_in_full(error: BaseException) -> bool:
    """The call failed after waiting out a timeout (the library wraps psycopg's error)."""
    return isinstance(error.__cause__, TIMEOUTS)


def about_the_database(error: Exception) -> bool:
    """Every caller would meet this error alike: it says nothing of the caller's data."""
    return isinstance(error, TRANSIENT)


def second_chance(method: Callable[P, T]) -> Callable[P, T]:
    """Call again once after a transient failure, unless it was a timeout."""

    @functools.wraps(method)
    def attempt(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except TRANSIENT as error:
            if waited_in_full(error):
                raise
            time.sleep(PAUSE_SECONDS)  # A moment for the pool's sweep; not synchronisation.
            return method(*args, **kwargs)

    return attempt
