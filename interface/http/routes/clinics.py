"""Clinics: the directory, and the staff's pending list, read from the projected tables."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from application.clinics import ClinicDirectory
from interface.http.cursor import MAX_POSITION, decode_cursor, encode_cursor
from interface.http.deps import Clinics, CurrentActor, system_of
from interface.http.openapi import problems
from interface.http.schemas import (
    ClinicListPublic,
    ClinicPublic,
    PendingItemPublic,
    PendingPagePublic,
)

router = APIRouter(prefix="/clinics", tags=["clinics"])


def get_directory(request: Request) -> ClinicDirectory:
    return system_of(request).clinics


Directory = Annotated[ClinicDirectory, Depends(get_directory)]


@router.get("", summary="List the clinics", responses=problems("store_unavailable"))
def list_clinics(actor: CurrentActor, directory: Directory) -> ClinicListPublic:
    """Every clinic of the directory, by name (anyone signed in: owners pick one by name).

    Read from the projected `clinics` table: a clinic just added with
    `booking clinic add` is listed once the projection has applied it.
    """
    return ClinicListPublic(
        items=[ClinicPublic.model_validate(view) for view in directory.list_clinics()]
    )


@router.get(
    "/{clinic_id}/pending-requests",
    summary="List a clinic's pending requests",
    responses=problems("forbidden", "projection_behind", "store_unavailable"),
)
async def pending_requests(
    clinic_id: UUID,
    actor: CurrentActor,
    clinics: Clinics,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[
        str | None, Query(max_length=100, description="`next` of the previous page")
    ] = None,
    min_position: Annotated[
        int | None,
        Query(
            ge=0,
            le=MAX_POSITION,
            description="A command's `position`: wait (5 s at most) until it is listed; "
            "a position beyond the log's head is 422 at once",
        ),
    ] = None,
) -> PendingPagePublic:
    """The clinic's pending booking requests, oldest first (staff of that clinic).

    Paging is by cursor and stable while requests keep arriving. Passing a
    command's `position` as `min_position` reads your own write; if the list
    has not caught up within 5 s, or too many readers already wait, the answer
    is 503 `projection_behind` with `Retry-After`.
    """
    # Async so that waiting holds no worker thread; the reads themselves run on one.
    after_position = decode_cursor(after)
    if min_position:
        await clinics.wait_until_listed(actor, clinic_id, min_position)
    page = await run_in_threadpool(
        clinics.pending_requests, actor, clinic_id, limit=limit, after=after_position
    )
    return PendingPagePublic(
        items=[PendingItemPublic.model_validate(item) for item in page.items],
        next=None if page.next_after is None else encode_cursor(page.next_after),
        position=page.position,
    )
