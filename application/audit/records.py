"""Plain records of stored events, as auditors read them: never aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.events import LoggedEvent
from application.views import PetView
from domain.clinic import Clinic
from domain.pet import Pet


@dataclass(frozen=True)
class EventRecord:
    """One stored event: where it is in the log, whose it is, who caused it, what it says."""

    position: int
    pet_id: UUID
    version: int
    type: str
    timestamp: datetime
    actor: str
    data: dict[str, Any]

    @classmethod
    def of(cls, position: int, event: Pet.Event) -> EventRecord:
        return cls(
            position=position,
            pet_id=event.originator_id,
            version=event.originator_version,
            type=type(event).__name__,
            timestamp=event.timestamp,
            actor=event.actor,
            data={name: jsonable(value) for name, value in event.data().items()},
        )


@dataclass(frozen=True)
class ClinicEventRecord:
    """One stored clinic event: like a pet's, with `clinic_id`; its type is `Clinic...`.

    The prefix keeps every type in the log distinct (a pet could one day be
    "Renamed" too), while the domain class keeps its short name.
    """

    position: int
    clinic_id: UUID
    version: int
    type: str
    timestamp: datetime
    actor: str
    data: dict[str, Any]

    @classmethod
    def of(cls, position: int, event: Clinic.Event) -> ClinicEventRecord:
        return cls(
            position=position,
            clinic_id=event.originator_id,
            version=event.originator_version,
            type=f"Clinic{type(event).__name__}",
            timestamp=event.timestamp,
            actor=event.actor,
            data={name: jsonable(value) for name, value in event.data().items()},
        )


LogRecord = EventRecord | ClinicEventRecord


def record_of(position: int, event: LoggedEvent) -> LogRecord:
    """The auditor's record of any event in the log."""
    if isinstance(event, Clinic.Event):
        return ClinicEventRecord.of(position, event)
    return EventRecord.of(position, event)


@dataclass(frozen=True)
class EventPage:
    """A page of the global log; pass `next_after` as `after` to read on."""

    items: tuple[LogRecord, ...]
    next_after: int


@dataclass(frozen=True)
class PetHistory:
    """A pet's events up to a point, and its state built from exactly those events."""

    pet_id: UUID
    events: tuple[EventRecord, ...]
    state: PetView


def jsonable(value: Any) -> Any:
    """Event field values as JSON primitives (ids as strings, dates and times in ISO 8601)."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
