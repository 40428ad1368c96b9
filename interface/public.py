"""A pet, its requests and the log's events as JSON: the shapes every door prints.

The API answers with them, and `booking history --json` and `booking export`
print the same JSON, so they are the interface's, not one door's. Each is read
from the application's view of the same name (`model_validate(view)`): the
fields are the view's, and a field the wire does not name stays off it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue, TypeAdapter
from pydantic.config import JsonDict

from domain.booking_request import RequestStatus, SchedulingStatus

PET_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
REQUEST_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
CLINIC_ID = "5b6f8c1e-2f7a-4c39-9a55-0c7d6e2b1a10"
REQUEST_EXAMPLE: JsonDict = {
    "request_id": REQUEST_ID,
    "clinic_id": CLINIC_ID,
    "service": "vaccination",
    "preferred_date": "2026-12-14",
    "notes": "Le dan miedo los gatos",
    "scheduling_status": "pending_scheduling",
    "status": "active",
    "requested_at": "2026-12-02T10:15:00Z",
    "scheduled_for": None,
    "cancelled_at": None,
}
PET_EXAMPLE: JsonDict = {
    "pet_id": PET_ID,
    "owner_id": "alice",
    "name": "Rex",
    "species": "dog",
    "version": 1,
}


class View(BaseModel):
    """A response read from an application view's attributes."""

    model_config = ConfigDict(from_attributes=True)


class PetPublic(View):
    model_config = ConfigDict(json_schema_extra={"examples": [PET_EXAMPLE]})

    pet_id: UUID
    owner_id: str = Field(description="`sub` of the owner who registered the pet.")
    name: str
    species: str
    version: int = Field(description="How many events the pet has: its stream's version.")


class RequestPublic(View):
    model_config = ConfigDict(json_schema_extra={"examples": [REQUEST_EXAMPLE]})

    request_id: UUID
    clinic_id: UUID
    service: str
    preferred_date: date | None
    notes: str | None
    scheduling_status: SchedulingStatus = Field(
        description="`pending_scheduling` until staff schedule it, then `scheduled`."
    )
    status: RequestStatus = Field(description="`active`, or `cancelled` once cancelled.")
    requested_at: datetime
    scheduled_for: datetime | None
    cancelled_at: datetime | None


class PetDetail(PetPublic):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**PET_EXAMPLE, "version": 2, "requests": [REQUEST_EXAMPLE]}]
        }
    )

    requests: list[RequestPublic]


# What each event says: its class's fields in the domain, as JSON.
class RegisteredData(BaseModel):
    owner_id: str
    name: str
    species: str


class BookingRequestedData(BaseModel):
    request_id: UUID
    clinic_id: UUID
    service: str
    preferred_date: date | None
    notes: str | None
    requested_by: str
    idempotency_key: str | None


class CancelledData(BaseModel):
    request_id: UUID
    reason: str | None
    cancelled_by: str


class ScheduledData(BaseModel):
    request_id: UUID
    starts_at: datetime
    scheduled_by: str


class ClinicAddedData(BaseModel):
    name: str
    address: str
    added_by: str


class ClinicRenamedData(BaseModel):
    name: str
    renamed_by: str


class _Event(View):
    position: int = Field(description="Global position in the log (notification id).")
    pet_id: UUID
    version: int = Field(description="The pet's version this event made.")
    type: str  # Each event narrows it to its own name: the union's discriminator.
    timestamp: datetime
    actor: str = Field(description="`sub` of the token that caused the event.")


class RegisteredEvent(_Event):
    type: Literal["Registered"]
    data: RegisteredData


class BookingRequestedEvent(_Event):
    type: Literal["BookingRequested"]
    data: BookingRequestedData


class CancelledEvent(_Event):
    type: Literal["Cancelled"]
    data: CancelledData


class ScheduledEvent(_Event):
    type: Literal["Scheduled"]
    data: ScheduledData


class _ClinicEvent(View):
    """A clinic's event: like a pet's, with `clinic_id` where a pet's has `pet_id`."""

    position: int = Field(description="Global position in the log (notification id).")
    clinic_id: UUID
    version: int = Field(description="The clinic's version this event made.")
    type: str
    timestamp: datetime
    actor: str = Field(description="Who caused the event (`booking clinic`'s operator).")


class ClinicAddedEvent(_ClinicEvent):
    type: Literal["ClinicAdded"]
    data: ClinicAddedData


class ClinicRenamedEvent(_ClinicEvent):
    type: Literal["ClinicRenamed"]
    data: ClinicRenamedData


PET_EVENT_MODELS = (RegisteredEvent, BookingRequestedEvent, CancelledEvent, ScheduledEvent)
CLINIC_EVENT_MODELS = (ClinicAddedEvent, ClinicRenamedEvent)
EVENT_MODELS = (*PET_EVENT_MODELS, *CLINIC_EVENT_MODELS)
# One event of a pet's history; `type` says which, and so what its `data` holds.
PetEventPublic = Annotated[
    RegisteredEvent | BookingRequestedEvent | CancelledEvent | ScheduledEvent,
    Field(discriminator="type"),
]
# One stored event of the log: a pet's, or a clinic's.
EventPublic = Annotated[
    RegisteredEvent
    | BookingRequestedEvent
    | CancelledEvent
    | ScheduledEvent
    | ClinicAddedEvent
    | ClinicRenamedEvent,
    Field(discriminator="type"),
]
EVENT = TypeAdapter[EventPublic](EventPublic)

EVENT_EXAMPLES: list[JsonValue] = [
    {
        "position": 41,
        "pet_id": PET_ID,
        "version": 1,
        "type": "Registered",
        "timestamp": "2026-12-02T10:14:00Z",
        "actor": "alice",
        "data": {"owner_id": "alice", "name": "Rex", "species": "dog"},
    },
    {
        "position": 42,
        "pet_id": PET_ID,
        "version": 2,
        "type": "BookingRequested",
        "timestamp": "2026-12-02T10:15:00Z",
        "actor": "alice",
        "data": {
            "request_id": REQUEST_ID,
            "clinic_id": CLINIC_ID,
            "service": "vaccination",
            "preferred_date": "2026-12-14",
            "notes": "Le dan miedo los gatos",
            "requested_by": "alice",
            "idempotency_key": "b7a1c1f0",
        },
    },
]


class PetHistoryPublic(View):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pet_id": PET_ID,
                    "events": EVENT_EXAMPLES,
                    "state": {**PET_EXAMPLE, "version": 2, "requests": [REQUEST_EXAMPLE]},
                }
            ]
        }
    )

    pet_id: UUID
    events: list[PetEventPublic]
    state: PetDetail = Field(description="The pet as built from exactly `events`.")
