"""Staff: their clinic's pending list, live, with schedule and cancel on every row."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from application.access import Actor, Role
from application.read_your_writes import ProjectionBehindError
from application.staff import ClinicQueries, PendingPage
from interface.web.pages import TEMPLATES, in_clinic_time, page, see_other, system_of, texts_for
from interface.web.session import Session, current_session, form_session, is_live

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/clinic")

Signed = Annotated[Session, Depends(current_session)]
FormSession = Annotated[Session, Depends(form_session)]
Cursor = Annotated[int, Query(ge=0, le=2**63 - 1)]
PAGE_SIZE = 20
# A live page re-asks at least this often, so a dropped connection is noticed.
STREAM_WAIT_SECONDS = 15.0
# How soon a browser whose stream dropped comes back (its own default is 3 s).
RECONNECT_MILLISECONDS = 2000


def _staff(session: Session, clinic: UUID | None = None) -> tuple[Actor, UUID]:
    """The staff member and the clinic whose list they look at (theirs, or the first)."""
    actor = session.actor
    actor.require(Role.STAFF)
    chosen = clinic or actor.clinic_id
    assert chosen is not None  # Staff always work at a clinic.
    actor.require_clinic(chosen)
    return actor, chosen


def _queries(request: Request) -> ClinicQueries:
    return system_of(request).read_side.queries


@router.get("")
def pending_list(
    request: Request,
    session: Signed,
    after: Cursor = 0,
    clinic: UUID | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    actor, clinic_id = _staff(session, clinic)
    listing = _queries(request).pending_requests(actor, clinic_id, limit=PAGE_SIZE, after=after)
    return page(
        request,
        "clinic.html",
        session,
        clinic_name=_clinic_name(request, clinic_id),
        clinic_id=clinic_id,
        # Staff of several clinics switch between their lists.
        other_clinics=[
            (other, _clinic_name(request, other))
            for other in sorted(actor.clinic_ids)
            if other != clinic_id
        ],
        listing=listing,
        after=after,
        time_zone=request.app.state.settings.console_time_zone,
        notice=notice if notice in NOTICES else None,
    )


@router.get("/stream")
async def live_list(
    request: Request,
    session: Signed,
    after: Cursor = 0,
    position: Cursor = 0,
    clinic: UUID | None = None,
) -> EventSourceResponse:
    """Server-sent events: the page's rows again whenever they change.

    Each event's id is the log position it shows; a browser that reconnects
    sends it back (Last-Event-ID) and gets the rows at once if the list moved.
    Events elsewhere in the log (another clinic's) send nothing. The stream
    ends when the session does (signed out or expired).
    """
    actor, clinic_id = _staff(session, clinic)
    queries = _queries(request)
    # What the browser shows: the last event it got, or else the page it loaded.
    shown = _last_event_id(request) or position

    async def events() -> AsyncIterator[dict[str, Any]]:
        seen, sent = shown, None
        while await run_in_threadpool(is_live, request, session.grant):
            listing = await run_in_threadpool(
                queries.pending_requests, actor, clinic_id, limit=PAGE_SIZE, after=after
            )
            rows = _rows(request, session, listing, clinic_id)
            if sent is None:
                # Sent once the stream knows what it compares against, so a client
                # can tell that any change from here on reaches it.
                yield {"retry": RECONNECT_MILLISECONDS}
            if sent is None and listing.position == shown:
                sent = rows  # Nothing happened since the browser's page: it shows these.
            elif rows != sent:
                sent = rows
                yield {"event": "rows", "id": str(listing.position), "data": rows}
            seen = listing.position
            try:
                await queries.next_change(actor, clinic_id, seen, STREAM_WAIT_SECONDS)
            except ProjectionBehindError:
                return  # Halted or stopping: the browser reconnects and is told again.

    return EventSourceResponse(events(), ping=STREAM_WAIT_SECONDS, send_timeout=30)


def _last_event_id(request: Request) -> int | None:
    try:
        return int(request.headers.get("last-event-id", ""))
    except ValueError:
        return None


def _rows(request: Request, session: Session, listing: PendingPage, clinic_id: UUID) -> str:
    fragment = TEMPLATES.get_template("clinic_rows.html")
    return fragment.render(
        t=texts_for(request),
        session=session,
        listing=listing,
        clinic_id=clinic_id,
        time_zone=request.app.state.settings.console_time_zone,
    )


@router.post("/requests/{pet_id}/{request_id}/schedule")
def schedule(
    request: Request,
    pet_id: UUID,
    request_id: UUID,
    session: FormSession,
    starts_at: Annotated[datetime, Form()],
) -> Response:
    actor, _ = _staff(session)
    # The browser's date-and-time field has no zone: it is the clinic's.
    starts_at = in_clinic_time(starts_at, request.app.state.settings.console_time_zone, "starts_at")
    receipt = system_of(request).bookings.schedule_booking(
        actor, pet_id, request_id, starts_at=starts_at
    )
    return see_other(f"/console/clinic?clinic={receipt.request.clinic_id}&notice=request_scheduled")


@router.post("/requests/{pet_id}/{request_id}/cancel")
def cancel(request: Request, pet_id: UUID, request_id: UUID, session: FormSession) -> Response:
    actor, _ = _staff(session)
    receipt = system_of(request).bookings.cancel_booking(actor, pet_id, request_id)
    return see_other(f"/console/clinic?clinic={receipt.request.clinic_id}&notice=request_cancelled")


NOTICES = {"request_scheduled", "request_cancelled"}


def _clinic_name(request: Request, clinic_id: UUID) -> str:
    clinic = system_of(request).clinics.get_clinic(clinic_id)
    return clinic.name if clinic is not None else str(clinic_id)
