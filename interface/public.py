"""A pet, its requests and its events as JSON: the shapes every door prints.

The API answers with them, and `booking history --json` and `booking export`
print the same JSON, so they are the interface's, not one door's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from application.audit.records import EventRecord, PetHistory
from application.views import PetView, RequestView


class PetPublic(BaseModel):
    pet_id: UUID
    owner_id: str
    name: str
    species: str
    version: int

    @classmethod
    def of(cls, pet: PetView) -> PetPublic:
        return cls(
            pet_id=pet.pet_id,
            owner_id=pet.owner_id,
            name=pet.name,
            species=pet.species,
            version=pet.version,
        )


class RequestPublic(BaseModel):
    request_id: UUID
    clinic_id: UUID
    service: str
    preferred_date: date | None
    notes: str | None
    scheduling_status: str
    status: str
    requested_at: datetime
    scheduled_for: datetime | None
    cancelled_at: datetime | None

    @classmethod
    def fields_of(cls, request: RequestView) -> dict[str, Any]:
        return {name: getattr(request, name) for name in RequestPublic.model_fields}


class PetDetail(PetPublic):
    requests: list[RequestPublic]

    @classmethod
    def of(cls, pet: PetView) -> PetDetail:
        return cls(
            **PetPublic.of(pet).model_dump(),
            requests=[RequestPublic(**RequestPublic.fields_of(r)) for r in pet.requests],
        )


class EventPublic(BaseModel):
    position: int = Field(description="Global position in the log (notification id).")
    pet_id: UUID
    version: int = Field(description="The pet's version this event made.")
    type: str = Field(description="Registered, BookingRequested, Cancelled or Scheduled.")
    timestamp: datetime
    actor: str = Field(description="`sub` of the token that caused the event.")
    data: dict[str, Any] = Field(description="What the event says, as JSON.")

    @classmethod
    def of(cls, record: EventRecord) -> EventPublic:
        return cls(
            position=record.position,
            pet_id=record.pet_id,
            version=record.version,
            type=record.type,
            timestamp=record.timestamp,
            actor=record.actor,
            data=record.data,
        )


class PetHistoryPublic(BaseModel):
    pet_id: UUID
    events: list[EventPublic]
    state: PetDetail = Field(description="The pet as built from exactly `events`.")

    @classmethod
    def of(cls, history: PetHistory) -> PetHistoryPublic:
        return cls(
            pet_id=history.pet_id,
            events=[EventPublic.of(r) for r in history.events],
            state=PetDetail.of(history.state),
        )
