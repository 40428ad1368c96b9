"""After a fault: what the event log, the read tables and `booking verify` say."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

import httpx
import pytest
from eventsourcing.postgres import PostgresDatastore

from application.bookings import PetBookings
from application.projection import AppointmentsView, ReadModel
from application.read_your_writes import ProjectionBehindError
from infrastructure.postgres_appointments import PostgresAppointmentsView
from interface.bootstrap import open_bookings
from interface.settings import Settings
from interface.store import store_from_settings
from tests.e2e.api import json_body
from tests.integration.projection_support import expected, read_tables, wait_for_position
from tests.reliability.load import Call

PROJECTION_DEADLINE_SECONDS = 30.0
VERIFY_TIMEOUT_SECONDS = 60.0


@dataclass
class Store:
    """The service's database, read directly as an operator would."""

    bookings: PetBookings
    view: AppointmentsView

    def log(self, up_to: int | None = None) -> ReadModel:
        """The read model the event log implies (up to a position, if given)."""
        return expected(self.bookings, up_to)

    def wait_until_projected(self, position: int) -> None:
        """Poll the read tables' position, which another process moves."""
        try:
            wait_for_position(self.view, position, PROJECTION_DEADLINE_SECONDS)
        except ProjectionBehindError as behind:
            pytest.fail(f"the projection stayed at {behind.reached}, short of {position}")


@contextmanager
def opened_store(database_url: str) -> Iterator[Store]:
    """The event log and the read tables the service created (this creates none)."""
    bookings = open_bookings(store_from_settings(Settings(database_url=database_url)))
    try:
        datastore = getattr(bookings.recorder, "datastore", None)
        assert isinstance(datastore, PostgresDatastore)
        yield Store(bookings, PostgresAppointmentsView(datastore))
    finally:
        bookings.close()


def request_ids(calls: list[Call]) -> set[UUID]:
    return {UUID(call.body["request_id"]) for call in calls}


def assert_projection_complete(store: Store) -> ReadModel:
    """Once no command runs: the tables reached the log's head and equal its fold."""
    head = store.bookings.head_position()
    store.wait_until_projected(head)
    logged = store.log()
    assert store.view.position() == head
    assert read_tables(store.view) == logged, "the read tables differ from the fold of the log"
    return logged


def run_verify(database_url: str) -> str:
    """`booking verify` on the database: it must exit 0; returns its summary line."""
    result = subprocess.run(
        [sys.executable, "-m", "interface.cli", "verify"],
        env={**os.environ, "BOOKING_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=VERIFY_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def listed_request_ids(
    client: httpx.Client, auth: dict[str, str], clinic_id: UUID, min_position: int
) -> set[UUID]:
    """Every request id in a clinic's pending list, page by page, once it has `min_position`."""
    listed: list[UUID] = []
    params: dict[str, str | int] = {"limit": 500, "min_position": min_position}
    while True:
        response = client.get(f"/clinics/{clinic_id}/pending-requests", headers=auth, params=params)
        page = json_body(response, 200)
        listed += [UUID(item["request_id"]) for item in page["items"]]
        if page["next"] is None:
            break
        params = {"limit": 500, "after": page["next"]}
    assert len(listed) == len(set(listed)), "a request was listed twice"
    return set(listed)
