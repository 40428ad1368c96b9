"""Request and response bodies. Clients never write server-owned fields."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

from application.read_model import PendingItem
from application.views import RequestReceipt
from interface.http.text_schema import Notes, PetName, Reason, Service, Species
from interface.public import RequestPublic


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
    pet_id: UUID
    version: int
    position: int

    @classmethod
    def of(cls, receipt: RequestReceipt) -> RequestReceiptPublic:
        return cls(
            **RequestPublic.fields_of(receipt.request),
            pet_id=receipt.request.pet_id,
            version=receipt.version,
            position=receipt.position,
        )


class ProblemBody(BaseModel):
    """RFC 9457 problem details, with a stable machine-readable `code`."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str


class PendingItemPublic(BaseModel):
    request_id: UUID
    pet_id: UUID
    pet_name: str
    owner_id: str
    service: str
    preferred_date: date | None
    notes: str | None
    requested_at: datetime

    @classmethod
    def of(cls, item: PendingItem) -> PendingItemPublic:
        return cls(**{name: getattr(item, name) for name in cls.model_fields})


class PendingPagePublic(BaseModel):
    items: list[PendingItemPublic]
    next: str | None
    position: int
