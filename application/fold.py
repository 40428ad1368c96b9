"""The read model as a plain fold of the event log: what the projected tables must equal.

Deliberately independent of the projection's batching and SQL, so comparing
the two (tests, `booking verify`) checks the projection rather than itself.
"""

from __future__ import annotations

from dataclasses import replace

from application.events import LoggedEvent
from application.projection import ReadModel
from application.read_model import (
    ACTIVE,
    CANCELLED,
    PENDING,
    SCHEDULED,
    AppointmentRow,
    ClinicRow,
    PetRow,
)
from domain.clinic import Clinic
from domain.pet import Pet


class ReadModelFold:
    """The read model, one event at a time."""

    def __init__(self) -> None:
        self.model = ReadModel(pets={}, appointments={})

    def add(self, event: LoggedEvent, position: int) -> None:
        if isinstance(event, Clinic.Event):
            self._add_clinic_event(event)
            return
        pets, rows = self.model.pets, self.model.appointments
        pet_id, version, at = event.originator_id, event.originator_version, event.timestamp
        if isinstance(event, Pet.Registered):
            pets[pet_id] = PetRow(pet_id, event.owner_id, event.name, event.species, version)
            return
        pets[pet_id] = replace(pets[pet_id], version=version)
        if isinstance(event, Pet.BookingRequested):
            rows[event.request_id] = AppointmentRow(
                request_id=event.request_id,
                pet_id=pet_id,
                owner_id=pets[pet_id].owner_id,
                clinic_id=event.clinic_id,
                service=event.service,
                preferred_date=event.preferred_date,
                notes=event.notes,
                scheduling_status=PENDING,
                status=ACTIVE,
                requested_at=at,
                scheduled_for=None,
                cancelled_at=None,
                updated_at=at,
                pet_version=version,
                requested_position=position,
            )
        elif isinstance(event, Pet.Cancelled):
            rows[event.request_id] = replace(
                rows[event.request_id],
                status=CANCELLED,
                cancelled_at=at,
                updated_at=at,
                pet_version=version,
            )
        elif isinstance(event, Pet.Scheduled):
            rows[event.request_id] = replace(
                rows[event.request_id],
                scheduling_status=SCHEDULED,
                scheduled_for=event.starts_at,
                updated_at=at,
                pet_version=version,
            )

    def _add_clinic_event(self, event: Clinic.Event) -> None:
        clinics, clinic_id = self.model.clinics, event.originator_id
        version = event.originator_version
        if isinstance(event, Clinic.Added):
            clinics[clinic_id] = ClinicRow(clinic_id, event.name, event.address, version)
        elif isinstance(event, Clinic.Renamed):
            clinics[clinic_id] = replace(clinics[clinic_id], name=event.name, version=version)
