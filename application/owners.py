"""What owners read: their own pets, from the projected tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from application.access import Actor, Role


@dataclass(frozen=True)
class OwnedPet:
    pet_id: UUID
    name: str
    species: str


class PetsByOwner(Protocol):
    def pets_of(self, owner_id: str) -> list[OwnedPet]:
        """The owner's pets, by name."""
        ...


class OwnerQueries:
    def __init__(self, pets: PetsByOwner) -> None:
        self._pets = pets

    def pets(self, actor: Actor) -> list[OwnedPet]:
        """The caller's pets (owners only): a pet is listed once its registration is projected."""
        actor.require(Role.OWNER)
        return self._pets.pets_of(actor.sub)
