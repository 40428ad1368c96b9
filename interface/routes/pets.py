"""Pets: registration and the pet's current state."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from interface.deps import Bookings, CurrentActor
from interface.openapi import problems
from interface.schemas import PetCreate, PetDetail, PetPublic

router = APIRouter(prefix="/pets", tags=["pets"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=problems("forbidden", "pet_exists", "payload_too_large", "store_unavailable"),
)
def register_pet(
    body: PetCreate, actor: CurrentActor, bookings: Bookings, response: Response
) -> PetPublic:
    """Register a pet owned by the caller (owners only).

    Clinics importing existing pets may choose the `pet_id`; an id already
    registered answers 409 `pet_exists`.
    """
    receipt = bookings.register_pet(actor, name=body.name, species=body.species, pet_id=body.pet_id)
    response.headers["Location"] = f"/pets/{receipt.pet.pet_id}"
    return PetPublic.of(receipt.pet)


@router.get("/{pet_id}", responses=problems("pet_not_found", "store_unavailable"))
def get_pet(pet_id: UUID, actor: CurrentActor, bookings: Bookings) -> PetDetail:
    """The pet and all its booking requests (its owner, staff and auditors).

    Another owner's pet answers 404 exactly like a pet that does not exist.
    """
    return PetDetail.of(bookings.get_pet(actor, pet_id))
