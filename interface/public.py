"""A pet, its requests and its events as JSON: the shapes every door prints.

The API answers with them, and `booking history --json` and `booking export`
print the same JSON, so they are the interface's, not one door's. Each is read
from the application's view of the same name (`model_validate(view)`): the
fields are the view's, and a field the wire does not name stays off it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    """A response read from an application view's attributes."""

    model_config = ConfigDict(from_attributes=True)


class PetPublic(View):
    pet_id: UUID
    owner_id: str
    name: str
    species: str
    version: int


class RequestPublic(View):
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


class PetDetail(PetPublic):
    requests: list[RequestPublic]


class EventPublic(View):
    position: int = Field(description="Global position in the log (notification id).")
    pet_id: UUID
    version: int = Field(description="The pet's version this event made.")
    type: str = Field(description="Registered, BookingRequested, Cancelled or Scheduled.")
    timestamp: datetime
    actor: str = Field(description="`sub` of the token that caused the event.")
    data: dict[str, Any] = Field(description="What the event says, as JSON.")


class PetHistoryPublic(View):
    pet_id: UUID
    events: list[EventPublic]
    state: PetDetail = Field(description="The pet as built from exactly `events`.")
