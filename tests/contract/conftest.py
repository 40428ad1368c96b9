"""Fixtures for our own probes of the store: a fresh schema, the service's application on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from application.bookings import PetBookings
from infrastructure.postgres.recorder import FailFastPostgresApplicationRecorder
from tests.contract.service import service_store
from tests.stores import postgres_schema_url


@pytest.fixture
def schema_url() -> Iterator[str]:
    with postgres_schema_url() as url:
        yield url


@pytest.fixture
def service(schema_url: str) -> Iterator[PetBookings]:
    """PetBookings as the service builds it, with a lock timeout long enough to queue writers."""
    app = PetBookings(env=service_store(schema_url, lock_timeout_seconds=20).env)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def recorder(service: PetBookings) -> FailFastPostgresApplicationRecorder:
    """The service's application recorder: ours, as PERSISTENCE_MODULE chose it."""
    recorder = service.recorder
    assert isinstance(recorder, FailFastPostgresApplicationRecorder)
    return recorder
