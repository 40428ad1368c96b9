"""The clinic directory: clinics added and renamed as events, listed from the projected table.

Clinics share the pets' event log (PetBookings' recorder, the same positions),
so the projection that keeps the appointments tables writes the `clinics`
table in the same transactions. Clinics are managed by whoever runs
`booking clinic` (they hold the database credentials); everyone signed in
reads the list.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from application.bookings import PetBookings
from application.errors import ApplicationError
from application.read_model import ClinicRow
from domain.clinic import Clinic

# Who acts when nobody says: the operator running `booking clinic`.
OPERATOR = "operator"
MAX_ATTEMPTS = 5
# `booking serve --demo-clinic` offers it, under an id every process knows, so two
# processes starting at once cannot both add it: the store refuses the second.
DEMO_CLINIC_ID = UUID("d3e0c1a5-0b5e-4c1d-9a7e-000000000001")
DEMO_CLINIC_NAME = "Clínica Veterinaria Demo"
DEMO_CLINIC_ADDRESS = "Calle de Alcalá 1, 28014 Madrid"


class ClinicNotFoundError(ApplicationError):
    def __init__(self, clinic_id: UUID) -> None:
        super().__init__(f"clinic {clinic_id} not found")
        self.clinic_id = clinic_id


class ClinicAlreadyExistsError(ApplicationError):
    """The id is taken: by a clinic, or by another stream of the log (a pet)."""

    def __init__(self, clinic_id: UUID) -> None:
        super().__init__(f"id {clinic_id} is already taken (by a clinic or a pet)")
        self.clinic_id = clinic_id


class ClinicConcurrentUpdateError(ApplicationError):
    def __init__(self, clinic_id: UUID) -> None:
        super().__init__(f"clinic {clinic_id} changed concurrently {MAX_ATTEMPTS} times")
        self.clinic_id = clinic_id


@dataclass(frozen=True)
class ClinicView:
    clinic_id: UUID
    name: str
    address: str

    @classmethod
    def of(cls, clinic: Clinic | ClinicRow) -> ClinicView:
        clinic_id = clinic.id if isinstance(clinic, Clinic) else clinic.clinic_id
        return cls(clinic_id=clinic_id, name=clinic.name, address=clinic.address)


class ClinicRows(Protocol):
    """The projected `clinics` table (the appointments view implements it)."""

    def clinic_rows(self) -> list[ClinicRow]: ...

    def clinic_row(self, clinic_id: UUID) -> ClinicRow | None: ...

    def position(self) -> int: ...


class ClinicDirectory:
    def __init__(self, bookings: PetBookings, rows: ClinicRows) -> None:
        self._bookings = bookings
        self._rows = rows

    def add_clinic(
        self, name: str, address: str, clinic_id: UUID | None = None, *, added_by: str = OPERATOR
    ) -> ClinicView:
        """Add a clinic; the service chooses its id unless one is given (staff tokens name it).

        An id already in the log is refused (ClinicAlreadyExistsError), never overwritten.
        """
        clinic = Clinic.add(clinic_id or uuid4(), name=name, address=address, added_by=added_by)
        try:
            self._bookings.save(clinic)
        except IntegrityError:
            if self._version_is_stored(clinic.id, Clinic.INITIAL_VERSION):
                raise ClinicAlreadyExistsError(clinic.id) from None
            raise
        return ClinicView.of(clinic)

    def rename_clinic(
        self, clinic_id: UUID, name: str, *, renamed_by: str = OPERATOR
    ) -> ClinicView:
        """Give a clinic a new name; its current name again changes nothing."""
        for _ in range(MAX_ATTEMPTS):
            clinic = self._load(clinic_id)
            clinic.rename(name, renamed_by=renamed_by)
            if not clinic.pending_events:
                return ClinicView.of(clinic)
            first_new_version = clinic.pending_events[0].originator_version
            try:
                self._bookings.save(clinic)
            except IntegrityError:
                if not self._version_is_stored(clinic_id, first_new_version):
                    raise
                continue  # Renamed meanwhile: decide again on fresh state.
            return ClinicView.of(clinic)
        raise ClinicConcurrentUpdateError(clinic_id)

    def list_clinics(self) -> list[ClinicView]:
        """Every clinic, by name (accents and case aside), from the projected table."""
        views = [ClinicView.of(row) for row in self._rows.clinic_rows()]
        return sorted(views, key=lambda view: (_sort_key(view.name), view.name, view.clinic_id))

    def get_clinic(self, clinic_id: UUID) -> ClinicView | None:
        """One clinic from the projected table, or None."""
        row = self._rows.clinic_row(clinic_id)
        return None if row is None else ClinicView.of(row)

    def is_empty(self) -> bool:
        """No clinic listed, and the table has read the whole log: no clinic was ever added."""
        return (
            not self._rows.clinic_rows() and self._rows.position() >= self._bookings.head_position()
        )

    def offer_demo_clinic(self, *, added_by: str = OPERATOR) -> ClinicView | None:
        """Add the demo clinic when the directory is empty; None when nothing was added.

        Safe when several processes start at once: the demo clinic's id is fixed,
        so the store refuses all but the first, and a refusal means it is there.
        """
        if not self.is_empty():
            return None
        try:
            return self.add_clinic(
                DEMO_CLINIC_NAME, DEMO_CLINIC_ADDRESS, DEMO_CLINIC_ID, added_by=added_by
            )
        except ClinicAlreadyExistsError:
            return None

    def _load(self, clinic_id: UUID) -> Clinic:
        try:
            clinic: object = self._bookings.repository.get(clinic_id)
        except AggregateNotFoundError:
            raise ClinicNotFoundError(clinic_id) from None
        if not isinstance(clinic, Clinic):
            raise ClinicNotFoundError(clinic_id)  # a pet's id
        return clinic

    def _version_is_stored(self, clinic_id: UUID, version: int) -> bool:
        """Tell a version conflict (the store's primary key) from other integrity errors."""
        recorder = self._bookings.recorder
        return bool(recorder.select_events(clinic_id, gt=version - 1, lte=version, limit=1))


def _sort_key(name: str) -> str:
    """The name without accents, case-folded: "Ávila" sorts beside "avenida", not after "z"."""
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
