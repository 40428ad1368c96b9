"""The composition root on both stores: what it builds, that it follows, and that it stops."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from uuid import uuid4

import pytest

from application.access import Actor, Role
from domain.values import InvalidValueError
from interface.bootstrap import bootstrap
from interface.http.app import create_app
from interface.settings import Settings
from tests.integration.projection_support import wait_for_position

CLINIC = uuid4()
OWNER = Actor("owner-1", Role.OWNER)
STAFF = Actor("staff-1", Role.STAFF, clinic_id=CLINIC)
PROJECTION_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 15.0


def test_a_following_system_lists_what_its_application_records(settings: Settings) -> None:
    with bootstrap(settings, follow=True) as system:
        # An owner books through the application ...
        pet = system.bookings.register_pet(OWNER, name="Rex", species="dog").pet
        receipt = system.bookings.request_booking(
            OWNER, pet.pet_id, clinic_id=CLINIC, service="vaccination"
        )
        # ... and the clinic's list, read through the read side, shows it.
        read_side = system.read_side
        wait_for_position(
            read_side.view, receipt.position, PROJECTION_TIMEOUT_SECONDS, read_side.worker
        )
        page = read_side.queries.pending_requests(STAFF, CLINIC)

    assert [item.request_id for item in page.items] == [receipt.request.request_id]


def test_closing_stops_every_thread_the_system_started(settings: Settings) -> None:
    before = set(threading.enumerate())
    system = bootstrap(settings, follow=True)
    system.bookings.register_pet(OWNER, name="Rex", species="dog")
    started = set(threading.enumerate()) - before

    system.close()

    assert any(thread.name == "appointments-projection" for thread in started)
    for thread in started:
        thread.join(STOP_TIMEOUT_SECONDS)
    assert [thread.name for thread in started if thread.is_alive()] == []


def test_a_system_that_does_not_follow_starts_no_projection(settings: Settings) -> None:
    # Other tests' services may still be running: only threads started here count.
    before = set(threading.enumerate())
    with bootstrap(settings, follow=False) as system:
        system.bookings.register_pet(OWNER, name="Rex", species="dog")
        started = set(threading.enumerate()) - before

    assert "appointments-projection" not in {thread.name for thread in started}


def test_every_door_gets_the_configured_booking_horizon(settings: Settings) -> None:
    narrow = settings.model_copy(update={"horizon_days": 1})
    with bootstrap(narrow, follow=False) as system:
        pet_id = system.bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id

        with pytest.raises(InvalidValueError):
            system.bookings.request_booking(
                OWNER,
                pet_id,
                clinic_id=CLINIC,
                service="vaccination",
                preferred_date=date.today() + timedelta(days=30),
            )


def test_creating_the_http_app_connects_to_nothing() -> None:
    # Nothing listens on port 1: only the lifespan, never create_app, may try to connect.
    unreachable = Settings(database_url="postgresql://nobody@127.0.0.1:1/none", jwt_secret="s" * 40)

    app = create_app(unreachable)

    assert app.title == "pet-booking"
