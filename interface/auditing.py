"""The auditor's side of the composition root: which store query finds a pet's positions."""

from __future__ import annotations

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from application.audit.ports import PetStreams
from application.audit.trail import AuditTrail
from application.bookings import PetBookings
from infrastructure.pet_streams import PostgresPetStreams, ScanningPetStreams, SQLitePetStreams


def pet_streams(recorder: ApplicationRecorder) -> PetStreams:
    if isinstance(recorder, PostgresApplicationRecorder):
        return PostgresPetStreams(recorder)
    if isinstance(recorder, SQLiteApplicationRecorder):
        return SQLitePetStreams(recorder)
    return ScanningPetStreams(recorder)


def open_audit(bookings: PetBookings) -> AuditTrail:
    """The auditor's queries on the application's store (cheap: no connection of its own)."""
    return AuditTrail(bookings, pet_streams(bookings.recorder))
