"""Pets: registration and the pet's current state."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from interface.http.deps import Bookings, CurrentActor, RateLimitedActor
from interface.http.openapi import location, problems
from interface.http.schemas import PetCreate
from interface.public import PetDetail, PetPublic

router = APIRouter(prefix="/pets", tags=["pets"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a pet",
    responses={
        201: {"description": "The pet, registered", "headers": location("pet")},
        **problems("forbidden", "payload_too_large", "rate_limited", "store_unavailable"),
    },
)
def register_pet(
    body: PetCreate, actor: RateLimitedActor, bookings: Bookings, response: Response
) -> PetPublic:
    """Register a pet owned by the caller (owners only); the service chooses its `pet_id`.

    Rate limited per owner together with booking commands (429 with `Retry-After`).
    """
    receipt = bookings.register_pet(actor, name=body.name, species=body.species)
    response.headers["Location"] = f"/pets/{receipt.pet.pet_id}"
    return PetPublic.model_validate(receipt.pet)


@router.get(
    "/{pet_id}",
    summary="Read a pet and its booking requests",
    responses=problems("pet_not_found", "store_unavailable"),
)
def get_pet(pet_id: UUID, actor: CurrentActor, bookings: Bookings) -> PetDetail:
    """The pet and its booking requests: its owner and auditors see all of them.

    Staff see a pet only if it has a request to their clinic, and then only the
    requests to their clinic. A pet the caller may not see (another owner's, or
    one with no request to the staff's clinic) answers 404 exactly like a pet
    that does not exist.
    """
    return PetDetail.model_validate(bookings.get_pet(actor, pet_id))
