"""Request and response bodies. Clients never write server-owned fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from application.views import RequestReceipt
from interface.http.text_schema import Notes, PetName, Reason, Service, Species
from interface.public import CLINIC_ID, PET_ID, REQUEST_EXAMPLE, REQUEST_ID, RequestPublic, View


class Command(BaseModel):
    # Unknown fields are refused, so nobody can smuggle in ids, status or versions.
    model_config = ConfigDict(extra="forbid")


class PetCreate(Command):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Rex", "species": "dog"}]})

    # No pet_id: the server chooses it, so nobody can probe or squat another owner's ids.
    name: PetName
    species: Species


class BookingRequestCreate(Command):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "clinic_id": CLINIC_ID,
                    "service": "vaccination",
                    "preferred_date": "2026-12-14",
                    "notes": "Le dan miedo los gatos",
                }
            ]
        }
    )

    clinic_id: UUID
    service: Service
    preferred_date: date | None = None
    notes: Notes | None = None


class CancelBody(Command):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "Ya está mejor"}]})

    reason: Reason | None = None


class ScheduleBody(Command):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"starts_at": "2026-12-14T09:30:00+01:00"}]}
    )

    starts_at: AwareDatetime


class RequestReceiptPublic(RequestPublic):
    """A command's request, the pet's new version and the position of its last event."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**REQUEST_EXAMPLE, "pet_id": PET_ID, "version": 2, "position": 42}]
        }
    )

    pet_id: UUID
    version: int = Field(description="The pet's version after the command.")
    position: int = Field(
        description="The log position of the command's last event: pass it as "
        "`min_position` to read your write on the pending list."
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "request_id": REQUEST_ID,
                            "pet_id": PET_ID,
                            "pet_name": "Rex",
                            "owner_id": "alice",
                            "service": "vaccination",
                            "preferred_date": "2026-12-14",
                            "notes": "Le dan miedo los gatos",
                            "requested_at": "2026-12-02T10:15:00Z",
                        }
                    ],
                    "next": "cDo0Mg",
                    "position": 42,
                }
            ]
        }
    )

    items: list[PendingItemPublic]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last.")
    position: int = Field(description="The log position the list reflects.")


CLINIC_EXAMPLE: dict[str, Any] = {
    "clinic_id": CLINIC_ID,
    "name": "Clínica Veterinaria Demo",
    "address": "Calle de Alcalá 1, 28014 Madrid",
}


class ClinicPublic(View):
    model_config = ConfigDict(json_schema_extra={"examples": [CLINIC_EXAMPLE]})

    clinic_id: UUID = Field(description="What a booking request's `clinic_id` names.")
    name: str
    address: str


class ClinicListPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [CLINIC_EXAMPLE]}]})

    items: list[ClinicPublic] = Field(description="Every clinic, by name.")
