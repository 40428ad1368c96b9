"""Plain read views of a pet: what queries and commands hand back, never aggregates."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID

from domain.booking_request import BookingRequest
from domain.pet import Pet


@dataclass(frozen=True)
class RequestView:
    request_id: UUID
    pet_id: UUID
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
    def of(cls, pet_id: UUID, request: BookingRequest) -> RequestView:
        return cls(
            request_id=request.request_id,
            pet_id=pet_id,
            clinic_id=request.clinic_id,
            service=request.service,
            preferred_date=request.preferred_date,
            notes=request.notes,
            scheduling_status=request.scheduling_status.value,
            status=request.status.value,
            requested_at=request.requested_at,
            scheduled_for=request.scheduled_for,
            cancelled_at=request.cancelled_at,
        )


@dataclass(frozen=True)
class PetView:
    pet_id: UUID
    owner_id: str
    name: str
    species: str
    version: int
    requests: tuple[RequestView, ...]

    @classmethod
    def of(cls, pet: Pet) -> PetView:
        return cls(
            pet_id=pet.id,
            owner_id=pet.owner_id,
            name=pet.name,
            species=pet.species,
            version=pet.version,
            requests=tuple(RequestView.of(pet.id, r) for r in pet.requests.values()),
        )

    def with_requests_to(self, clinic_ids: frozenset[UUID]) -> PetView:
        """The pet as staff see it: only the requests made to their clinics."""
        return replace(self, requests=tuple(r for r in self.requests if r.clinic_id in clinic_ids))


@dataclass(frozen=True)
class PetReceipt:
    """A registered pet and the position of its `Registered` event."""

    pet: PetView
    position: int


@dataclass(frozen=True)
class RequestReceipt:
    """A command's request, the pet's new version and the position of its last event.

    An idempotent replay records nothing; its position is then the log's head,
    which is at or after the original event, so read-your-writes still holds.
    """

    request: RequestView
    version: int
    position: int
