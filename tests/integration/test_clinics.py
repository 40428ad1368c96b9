"""The clinic directory on a real store: commands, the projected table, and the pets beside it."""

from __future__ import annotations

import threading
from uuid import uuid4

import pytest

from application.access import Actor, Role
from application.bookings import PetBookings
from application.clinics import (
    ClinicAlreadyExistsError,
    ClinicDirectory,
    ClinicNotFoundError,
    ClinicView,
)
from application.errors import PetNotFoundError
from application.projection import AppointmentsView
from domain.clinic import Clinic
from interface.auditing import open_audit
from tests.integration.audit_support import AUDITOR, new_owner
from tests.integration.projection_support import worker_for

THREADS = 4


@pytest.fixture
def directory(bookings: PetBookings, view: AppointmentsView) -> ClinicDirectory:
    return ClinicDirectory(bookings, view)


def projected(bookings: PetBookings, view: AppointmentsView) -> None:
    worker_for(bookings, view).catch_up()


def test_an_added_clinic_is_listed_once_projected(
    bookings: PetBookings, view: AppointmentsView, directory: ClinicDirectory
) -> None:
    added = directory.add_clinic(" Clínica Norte ", "Calle Mayor 1")

    # Read from the projected table: nothing until the projection applies the event.
    assert directory.list_clinics() == []
    projected(bookings, view)

    assert added == ClinicView(added.clinic_id, "Clínica Norte", "Calle Mayor 1")
    assert directory.list_clinics() == [added]
    assert directory.get_clinic(added.clinic_id) == added
    assert directory.get_clinic(uuid4()) is None


def test_clinics_are_listed_by_name_accents_and_case_aside(
    bookings: PetBookings, view: AppointmentsView, directory: ClinicDirectory
) -> None:
    for name in ("zeta", "Ávila", "Burgos", "avenida"):
        directory.add_clinic(name, "Calle 1")
    projected(bookings, view)

    assert [c.name for c in directory.list_clinics()] == ["avenida", "Ávila", "Burgos", "zeta"]


def test_an_operator_may_name_the_id_and_a_taken_id_is_refused_not_overwritten(
    bookings: PetBookings, view: AppointmentsView, directory: ClinicDirectory
) -> None:
    clinic_id = uuid4()
    pet_id = bookings.register_pet(new_owner(), name="Rex", species="dog").pet.pet_id
    directory.add_clinic("Norte", "Calle 1", clinic_id)
    head = bookings.head_position()

    with pytest.raises(ClinicAlreadyExistsError):
        directory.add_clinic("Impostora", "Calle 2", clinic_id)
    with pytest.raises(ClinicAlreadyExistsError):
        directory.add_clinic("Impostora", "Calle 2", pet_id)

    projected(bookings, view)
    assert bookings.head_position() == head
    assert directory.list_clinics() == [ClinicView(clinic_id, "Norte", "Calle 1")]


def test_renaming_changes_the_listed_name(
    bookings: PetBookings, view: AppointmentsView, directory: ClinicDirectory
) -> None:
    clinic_id = directory.add_clinic("Norte", "Calle 1").clinic_id
    projected(bookings, view)

    renamed = directory.rename_clinic(clinic_id, "Sur")
    projected(bookings, view)

    assert renamed == ClinicView(clinic_id, "Sur", "Calle 1")
    assert directory.list_clinics() == [renamed]
    row = view.clinic_row(clinic_id)
    assert row is not None
    assert row.version == 2


def test_renaming_an_unknown_id_or_a_pets_id_is_not_found(
    bookings: PetBookings, directory: ClinicDirectory
) -> None:
    pet_id = bookings.register_pet(new_owner(), name="Rex", species="dog").pet.pet_id

    for unknown in (uuid4(), pet_id):
        with pytest.raises(ClinicNotFoundError):
            directory.rename_clinic(unknown, "Sur")


def test_renames_racing_on_one_clinic_all_succeed_one_after_another(
    bookings: PetBookings, view: AppointmentsView, directory: ClinicDirectory
) -> None:
    clinic_id = directory.add_clinic("Norte", "Calle 1").clinic_id
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def rename(name: str) -> None:
        barrier.wait()
        try:
            directory.rename_clinic(clinic_id, name)
        except BaseException as error:  # Reported by the assertion below.
            errors.append(error)

    threads = [threading.Thread(target=rename, args=(f"Sur {i}",)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Each decided on fresh state after losing: every rename is one more version.
    assert errors == []
    clinic: object = bookings.repository.get(clinic_id)
    assert isinstance(clinic, Clinic)
    assert clinic.version == 1 + THREADS


def test_a_clinics_id_is_no_pet(bookings: PetBookings, directory: ClinicDirectory) -> None:
    clinic_id = directory.add_clinic("Norte", "Calle 1").clinic_id
    owner = new_owner()

    for actor in (owner, AUDITOR, Actor("staff-1", Role.STAFF, clinic_id=clinic_id)):
        with pytest.raises(PetNotFoundError):
            bookings.get_pet(actor, clinic_id)
    with pytest.raises(PetNotFoundError):
        bookings.request_booking(owner, clinic_id, clinic_id=clinic_id, service="vaccination")
    with pytest.raises(PetNotFoundError):
        open_audit(bookings).history(AUDITOR, clinic_id)


def test_the_demo_clinic_is_offered_to_an_empty_directory_only_once(
    bookings: PetBookings, view: AppointmentsView, directory: ClinicDirectory
) -> None:
    offered = directory.offer_demo_clinic()
    projected(bookings, view)

    assert offered is not None
    assert directory.list_clinics() == [offered]
    # A restart: the directory is not empty any more.
    assert directory.offer_demo_clinic() is None
    assert len(directory.list_clinics()) == 1


def test_the_demo_clinic_is_not_offered_beside_a_clinic_the_tables_have_not_reached(
    bookings: PetBookings, view: AppointmentsView, directory: ClinicDirectory
) -> None:
    directory.add_clinic("Norte", "Calle 1")

    assert directory.offer_demo_clinic() is None


def test_a_demo_clinic_another_process_added_first_is_success_not_an_error(
    bookings: PetBookings,
    view: AppointmentsView,
    directory: ClinicDirectory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both processes saw an empty directory; the other one stored the demo clinic first.
    other = directory.offer_demo_clinic()
    monkeypatch.setattr(directory, "is_empty", lambda: True)

    assert directory.offer_demo_clinic() is None

    assert other is not None
    projected(bookings, view)
    assert directory.list_clinics() == [other]
    assert [e.type for e in open_audit(bookings).events(AUDITOR).items] == ["ClinicAdded"]
