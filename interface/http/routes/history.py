"""A pet's history: its events and its state at any point."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from interface.http.deps import Audit, CurrentActor
from interface.http.openapi import problems
from interface.http.schemas_audit import HistoryQuery
from interface.public import PetHistoryPublic

router = APIRouter(prefix="/pets/{pet_id}/history", tags=["audit"])


@router.get(
    "",
    summary="Read a pet's history",
    responses=problems("forbidden", "pet_not_found", "store_unavailable"),
)
def pet_history(
    pet_id: UUID, query: Annotated[HistoryQuery, Query()], actor: CurrentActor, audit: Audit
) -> PetHistoryPublic:
    """Every event of the pet, oldest first, and the pet's state built from exactly them.

    For auditors and the pet's owner; staff get 403, and another owner's pet
    answers 404 `pet_not_found` exactly like a pet that does not exist.

    With `as_of_version` only the events up to that version count (a version
    past the pet's last one gives its whole history); with `as_of` only those
    recorded at or before that instant. The `state` is then what the system
    believed at that point. A pet that did not exist yet at `as_of` answers
    404 `pet_not_found`. Giving both parameters is a 422 `validation_error`.
    """
    history = audit.history(actor, pet_id, as_of_version=query.as_of_version, as_of=query.as_of)
    return PetHistoryPublic.model_validate(history)
