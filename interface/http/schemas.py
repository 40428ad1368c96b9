"""Request and response bodies. Clients never write server-owned fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, model_validator

from application.views import RequestReceipt
from interface.http.text_schema import Notes, PetName, Reason, Service, Species
from interface.public import RequestPublic, View


class Command(BaseModel):
    # Unknown fields are refused, so nobody can smuggle in ids, status or versions.
    model_config = ConfigDict(extra="forbid")


class PetCreate(Command):
    # No pet_id: the server chooses it, so nobody can probe or squat another owner's ids.
    name: PetName
    species: Species


class BookingRequestCreate(Command):
    clinic_id: UUID
    service: Service
    preferred_date: date | None = None
    notes: Notes | None = None


class CancelBody(Command):
    reason: Reason | None = None


class ScheduleBody(Command):
    starts_at: AwareDatetime


class RequestReceiptPublic(RequestPublic):
    # A command's request, the pet's new version and the position of its last event.
    pet_id: UUID
    version: int
    position: int

    @model_validator(mode="before")
    @classmethod
    def _flattened(cls, data: Any) -> Any:
        # On the wire a receipt is one object: the request's fields beside its own.
        if not isinstance(data, RequestReceipt):
            return data
        request = data.request
        return {
            name: getattr(request if hasattr(request, name) else data, name)
            for name in cls.model_fields
        }


class ProblemBody(BaseModel):
    """RFC 9457 problem details, with a stable machine-readable `code`."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str


class PendingItemPublic(View):
    request_id: UUID
    pet_id: UUID
    pet_name: str
    owner_id: str
    service: str
    preferred_date: date | None
    notes: str | None
    requested_at: datetime


class PendingPagePublic(BaseModel):
    items: list[PendingItemPublic]
    next: str | None
    position: int
