"""Application errors: library errors translated into our own, in one place."""

from __future__ import annotations

from uuid import UUID


class ApplicationError(Exception):
    """A command or query that cannot be answered as asked."""


class PetNotFoundError(ApplicationError):
    """No such pet, or not one the actor may see (the two are not told apart)."""

    def __init__(self, pet_id: UUID) -> None:
        super().__init__(f"pet {pet_id} not found")
        self.pet_id = pet_id


class PetAlreadyExistsError(ApplicationError):
    def __init__(self, pet_id: UUID) -> None:
        super().__init__(f"pet {pet_id} is already registered")
        self.pet_id = pet_id


class ForbiddenError(ApplicationError):
    """The actor is known, but their role or clinic does not allow this."""


class ConcurrentUpdateError(ApplicationError):
    """The pet kept changing under a command for every allowed retry."""

    def __init__(self, pet_id: UUID, attempts: int) -> None:
        super().__init__(f"pet {pet_id} changed concurrently {attempts} times")
        self.pet_id = pet_id
