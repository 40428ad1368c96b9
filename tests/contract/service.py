"""Our store exactly as the service builds it: Settings -> store_from_settings -> PetBookings.

Every test gets a fresh PostgreSQL schema (tests/stores.py), so the library's
tests that expect the first positions (1, 2, 3) find an empty table.
"""

from __future__ import annotations

from typing import Any
from unittest import TestCase

from eventsourcing.utils import Environment

from application.bookings import PetBookings
from interface.settings import Settings
from interface.store import Store, store_from_settings
from tests.stores import postgres_schema_url

SECRET = "contract-test-secret-" + "x" * 32


def service_store(url: str, **settings: Any) -> Store:
    """What `booking serve` would use for BOOKING_DATABASE_URL=url and these settings."""
    defaults: dict[str, Any] = {"jwt_secret": SECRET, "pool_size": 12}
    return store_from_settings(Settings(database_url=url, **{**defaults, **settings}))


class OnOurStore(TestCase):
    """A fresh schema, and PetBookings on it as the service builds it (tables created).

    `env` is a copy of the settings PetBookings was built with, which the
    library's factory tests build their own factory from.
    """

    env: Environment

    def setUp(self) -> None:
        url = self.enterContext(postgres_schema_url())
        self.store = service_store(url)
        self.bookings = PetBookings(env=self.store.env)
        # Cleanups run last in, first out: the pools close before the schema is dropped.
        self.addCleanup(self.bookings.close)
        self.env = Environment(self.bookings.name, self.bookings.env)
        super().setUp()
