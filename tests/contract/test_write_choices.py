"""Where our writes differ from the library's recorder, or might: each choice pinned.

Issue 15, point 4.
"""

from __future__ import annotations

import time
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from application.bookings import PetBookings
from tests.contract.batching import event
from tests.contract.service import service_store
from tests.reliability.locks import events_table_locked

pytestmark = pytest.mark.postgres

LOCK_TIMEOUT_SECONDS = 2


def test_an_empty_write_returns_none_as_the_library_s_does(service: PetBookings) -> None:
    assert service.recorder.insert_events([]) is None


def test_a_write_of_one_version_twice_is_refused_and_stores_nothing(
    service: PetBookings,
) -> None:
    pet = uuid4()

    with pytest.raises(IntegrityError):
        service.recorder.insert_events([event(pet, 1), event(pet, 2), event(pet, 1)])

    assert service.recorder.select_events(pet) == []


def test_a_lock_timeout_is_answered_after_one_wait_never_retried(schema_url: str) -> None:
    """The library retries it up to ten times; each would wait the whole lock timeout again.

    A client that already waited `BOOKING_LOCK_TIMEOUT_SECONDS` for a stuck
    table is answered then (503 over HTTP) instead of after ten waits.
    """
    app = PetBookings(env=service_store(schema_url, lock_timeout_seconds=LOCK_TIMEOUT_SECONDS).env)
    try:
        with events_table_locked(schema_url, "EXCLUSIVE"):
            started = time.monotonic()
            with pytest.raises(OperationalError) as refused:
                app.recorder.insert_events([event(uuid4(), 1)])
            waited = time.monotonic() - started
    finally:
        app.close()

    assert isinstance(refused.value.__cause__, psycopg.errors.LockNotAvailable)
    assert LOCK_TIMEOUT_SECONDS <= waited < 1.75 * LOCK_TIMEOUT_SECONDS
