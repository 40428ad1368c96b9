"""The appointments projection on a real store: exactly once, restartable, rebuildable."""

from __future__ import annotations

import threading
import time
from itertools import islice
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import Tracking

from application.access import Actor, Role
from application.bookings import PetBookings
from application.projection import (
    AppointmentsView,
    PositionMovedError,
    ProjectionHaltedError,
)
from application.read_model import BatchChanges
from application.read_your_writes import ProjectionWaiters
from application.rebuild import rebuild_read_model
from application.staff import ClinicQueries
from domain.pet import Pet
from infrastructure.postgres_appointments import PostgresAppointmentsView
from tests.integration.projection_support import (
    expected,
    logged_events,
    read_tables,
    wait_for_position,
    worker_for,
)
from tests.stores import POSTGRES_URL

OWNER = Actor("owner-1", Role.OWNER)
CLINIC = uuid4()


def book(bookings: PetBookings, clinic_id: UUID = CLINIC) -> tuple[UUID, UUID, int]:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    receipt = bookings.request_booking(OWNER, pet_id, clinic_id=clinic_id, service="vaccination")
    return pet_id, receipt.request.request_id, receipt.position


def test_replaying_an_applied_batch_changes_nothing(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    pet_id = bookings.register_pet(OWNER, name="Rex", species="dog").pet.pet_id
    [registered] = list(bookings.events.get(pet_id))
    changes = BatchChanges()
    changes.add(registered, 1)  # type: ignore[arg-type]
    view.apply_batch(changes, Tracking("appointments", 1), expected=0)
    before = read_tables(view)

    # The same batch again, as a crashed-and-restarted worker would try it.
    with pytest.raises(PositionMovedError):
        view.apply_batch(changes, Tracking("appointments", 1), expected=0)

    assert read_tables(view) == before
    assert view.position() == 1


def test_a_restarted_worker_resumes_from_its_tracked_position(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    for _ in range(5):
        book(bookings)
    # A worker applies one batch of three, then stops, as a killed one would.
    first_batch = list(islice(logged_events(bookings), 3))
    worker_for(bookings, view, batch_size=3).projection.process_batch(first_batch, 0)

    # A new worker, as after a restart, knows nothing but the tables.
    worker_for(bookings, view, batch_size=3).catch_up()

    assert read_tables(view) == expected(bookings)


def test_the_pending_list_shows_only_pending_requests_of_the_clinic_oldest_first(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    first = book(bookings)
    second = book(bookings)
    cancelled = book(bookings)
    book(bookings, clinic_id=uuid4())
    bookings.cancel_booking(OWNER, cancelled[0], cancelled[1])
    worker_for(bookings, view).catch_up()

    page = ClinicQueries(view, waiters_of(bookings, view)).pending_requests(
        Actor("staff", Role.STAFF, clinic_id=CLINIC), CLINIC, limit=10
    )

    assert [item.request_id for item in page.items] == [first[1], second[1]]
    assert page.items[0].pet_name == "Rex"
    assert page.position == bookings.head_position()


def test_a_pending_page_is_the_list_as_of_its_position_when_a_batch_lands_mid_read(
    bookings: PetBookings, view: AppointmentsView, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = book(bookings)
    worker_for(bookings, view).catch_up()
    shown_at = view.position()
    book(bookings)
    read_position = view._position  # type: ignore[attr-defined]
    landed = threading.Event()

    def position_then_a_batch_lands(cursor: Any) -> int:
        # The reader has its position; the projector commits the next batch before
        # the reader's next statement, as another thread would at the worst moment.
        position = int(read_position(cursor))
        if not landed.is_set():
            landed.set()
            projector = threading.Thread(target=worker_for(bookings, view).catch_up)
            projector.start()
            projector.join()
        return position

    monkeypatch.setattr(view, "_position", position_then_a_batch_lands)
    page = ClinicQueries(view, waiters_of(bookings, view)).pending_requests(
        Actor("staff", Role.STAFF, clinic_id=CLINIC), CLINIC, limit=10
    )

    assert view.position() > shown_at  # The batch did land, during the read.
    # The rows are the list at the position the page names, without the newer request.
    assert page.position == shown_at
    assert [item.request_id for item in page.items] == [first[1]]


def test_an_event_breaking_the_one_pending_rule_halts_the_projection_naming_it(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    pet_id, _, position = book(bookings)
    pet: Pet = bookings.repository.get(pet_id)
    # Forge what the aggregate never allows: a second pending request, written raw.
    fields: dict[str, Any] = {
        "originator_id": pet_id,
        "originator_version": pet.version + 1,
        "timestamp": Pet.BookingRequested.create_timestamp(),
        "previous_hash": pet.last_hash,
        "event_hash": "forged",
        "request_id": uuid4(),
        "clinic_id": CLINIC,
        "service": "forged",
        "preferred_date": None,
        "notes": None,
        "requested_by": "intruder",
        "idempotency_key": None,
    }
    forged = Pet.BookingRequested(**fields)
    bookings.events.put([forged])
    worker = worker_for(bookings, view, batch_size=1000)

    with pytest.raises(ProjectionHaltedError) as halted:
        worker.catch_up()

    assert (halted.value.pet_id, halted.value.version) == (pet_id, 3)
    assert str(pet_id) in str(halted.value)
    assert view.position() == position


def test_a_running_worker_follows_new_commands(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    worker = worker_for(bookings, view)
    worker.start()
    try:
        for _ in range(10):
            *_, position = book(bookings)
            wait_for_position(view, position, 5, worker)
    finally:
        worker.stop()

    assert read_tables(view) == expected(bookings)


def test_rebuild_swaps_in_tables_equal_to_the_fold_while_readers_keep_the_old_ones(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    booked = [book(bookings) for _ in range(6)]
    bookings.cancel_booking(OWNER, booked[0][0], booked[0][1])
    worker_for(bookings, view).catch_up()
    live = read_tables(view)
    seen_during_rebuild = []

    def read_live_tables(_: int) -> None:
        seen_during_rebuild.append(read_tables(view))

    rebuild_read_model(bookings, view, batch_size=4, progress=read_live_tables)

    assert seen_during_rebuild
    assert all(model == live for model in seen_during_rebuild)
    assert read_tables(view) == expected(bookings)
    assert view.position() == bookings.head_position()


def test_events_stored_during_a_rebuild_reach_the_rebuilt_tables(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    book(bookings)
    live_worker = worker_for(bookings, view)
    live_worker.catch_up()
    once = threading.Event()

    def write_meanwhile(_: int) -> None:
        if not once.is_set():
            once.set()
            book(bookings)

    rebuild_read_model(bookings, view, batch_size=1, progress=write_meanwhile)
    live_worker.catch_up()

    assert read_tables(view) == expected(bookings)


def waiters_of(bookings: PetBookings, view: AppointmentsView) -> ProjectionWaiters:
    """Async readers' waiters, unstarted: these tests read or wait synchronously."""
    return ProjectionWaiters(view.position, bookings.head_position, None, capacity=1)


@pytest.mark.postgres
@pytest.mark.parametrize("store_kind", ["postgres"], indirect=True)
def test_a_rebuild_swap_waits_for_a_page_being_read_instead_of_deadlocking(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    assert isinstance(view, PostgresAppointmentsView)
    book(bookings)
    worker_for(bookings, view).catch_up()
    rebuilt = view.fresh_copy()
    failures: list[BaseException] = []

    def swap() -> None:
        try:
            view.replace_with(rebuilt)
        except BaseException as error:
            failures.append(error)

    swapper = threading.Thread(target=swap)
    with view.snapshot() as reader:
        # A page being read: its position first, as pending_requests does.
        reader.execute(view.statements.position)
        swapper.start()
        wait_until_blocked_on_a_lock(view.qualified(view.tables.tracking))
        # The rows next: a swap that already holds their table deadlocks with this read.
        reader.execute(view.statements.pending_list, (CLINIC, 0, 10))
        rows = reader.fetchall()
    swapper.join(timeout=30)

    assert not swapper.is_alive()
    assert failures == []
    assert len(rows) == 1


def wait_until_blocked_on_a_lock(table: str) -> None:
    """Until a session working on `table`'s schema waits for a lock (the swap, blocked)."""
    schema = table.split(".")[0].strip('"')
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        for _ in range(2000):
            waiting = admin.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND position(%s in query) > 0",
                (schema,),
            ).fetchone()
            if waiting is not None and waiting[0] > 0:
                return
            time.sleep(0.005)  # Polling the database for the state, not waiting it out.
    pytest.fail(f"no session on {schema} ever waited for a lock")
