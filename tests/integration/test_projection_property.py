"""Property: whatever owners and staff do, the projected tables equal the fold of the log."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.access import Actor, Role
from application.bookings import PetBookings
from application.errors import ApplicationError
from application.projection import AppointmentsView
from domain.pet import DomainError
from tests.integration.projection_support import expected, read_tables, worker_for

CLINICS = [uuid4() for _ in range(3)]
OWNERS = [Actor(f"owner-{i}", Role.OWNER) for i in range(2)]


@dataclass(frozen=True)
class Command:
    kind: str
    pet: int
    clinic: int
    key: str | None


commands = st.lists(
    st.builds(
        Command,
        kind=st.sampled_from(["register", "request", "request", "cancel", "schedule"]),
        pet=st.integers(0, 3),
        clinic=st.integers(0, len(CLINICS) - 1),
        key=st.sampled_from([None, None, "k1", "k2"]),
    ),
    max_size=25,
)


def run(bookings: PetBookings, pets: list[UUID], command: Command) -> None:
    if command.kind == "register" or not pets:
        owner = OWNERS[command.pet % len(OWNERS)]
        pets.append(
            bookings.register_pet(owner, name=f"pet {command.pet}", species="cat").pet.pet_id
        )
        return
    pet_id = pets[command.pet % len(pets)]
    state = bookings.get_pet(Actor("auditor", Role.AUDITOR), pet_id)
    owner = Actor(state.owner_id, Role.OWNER)
    clinic_id = CLINICS[command.clinic]
    if command.kind == "request":
        bookings.request_booking(
            owner, pet_id, clinic_id=clinic_id, service="check-up", idempotency_key=command.key
        )
    elif state.requests:
        request = state.requests[-1]
        staff = Actor("staff", Role.STAFF, clinic_id=request.clinic_id)
        if command.kind == "cancel":
            bookings.cancel_booking(staff, pet_id, request.request_id, reason="property")
        else:
            bookings.schedule_booking(
                staff, pet_id, request.request_id, starts_at=datetime.now(UTC)
            )


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    script=commands,
    checkpoint=st.integers(0, 25),
    batch_size=st.sampled_from([1, 2, 5, 1000]),
)
def test_projected_tables_equal_the_fold_of_the_log(
    bookings: PetBookings,
    view: AppointmentsView,
    script: list[Command],
    checkpoint: int,
    batch_size: int,
) -> None:
    worker = worker_for(bookings, view, batch_size)
    pets: list[UUID] = []
    for index, command in enumerate(script):
        # Sometimes the projection catches up half-way, so batches split anywhere.
        if index == checkpoint:
            worker.catch_up()
        # Refused commands record nothing; the fold must agree.
        with contextlib.suppress(DomainError, ApplicationError):
            run(bookings, pets, command)

    worker.catch_up()

    assert read_tables(view) == expected(bookings)
    assert view.position() == bookings.head_position()
