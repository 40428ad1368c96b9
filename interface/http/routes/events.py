"""The global event log, in position order, for auditors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from application.audit.trail import MAX_PAGE
from interface.http.cursor import MAX_POSITION
from interface.http.deps import Audit, CurrentActor
from interface.http.openapi import problems
from interface.http.schemas_audit import EventPagePublic

router = APIRouter(prefix="/events", tags=["audit"])


@router.get(
    "",
    summary="Read the event log",
    responses=problems("forbidden", "store_unavailable"),
)
def list_events(
    actor: CurrentActor,
    audit: Audit,
    after: Annotated[
        int, Query(ge=0, le=MAX_POSITION, description="Read events after this position.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> EventPagePublic:
    """The events after position `after`, oldest first (auditors only).

    Follow `next_after` to read on; at the head of the log the page is empty
    and `next_after` stays put, so a client can poll it to tail the log. No
    event committed later is ever passed over.
    """
    return EventPagePublic.model_validate(audit.events(actor, after=after, limit=limit))
