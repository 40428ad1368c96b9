"""The read model as a plain fold of the event log: what the projected tables must equal.

Deliberately independent of the projection's batching and SQL, so comparing
the two (tests, `booking verify`) checks the projection rather than itself.
"""

from __future__ import annotations

from dataclasses import replace

from application.projection import ReadModel
from application.read_model import ACTIVE, CANCELLED, PENDING, SCHEDULED, AppointmentRow, PetRow
from domain.pet import Pet


class ReadModelFold:
    """The read model, one event at a time."""

    def __init__(self) -> None:
        self.model = ReadModel(pets={}, appointments={})

    def add(self, event: Pet.Event, position: int) -> None:
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
