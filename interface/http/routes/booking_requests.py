"""A pet's booking requests: request, cancel, schedule."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Response, status

from domain.values import IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_PATTERN
from interface.http.deps import Bookings, CurrentActor, RateLimitedActor
from interface.http.openapi import location, problems
from interface.http.schemas import (
    BookingRequestCreate,
    CancelBody,
    RequestReceiptPublic,
    ScheduleBody,
)
from interface.public import RequestPublic

router = APIRouter(prefix="/pets/{pet_id}/booking-requests", tags=["booking requests"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=IDEMPOTENCY_KEY_MAX_LENGTH,
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description="Retrying with the same key and body returns the original request.",
    ),
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Ask a clinic for an appointment",
    responses={
        201: {"description": "The request, pending", "headers": location("booking request")},
        **problems(
            "forbidden",
            "pet_not_found",
            "pending_request_exists",
            "concurrent_update",
            "idempotency_key_reused",
            "payload_too_large",
            "rate_limited",
            "store_unavailable",
        ),
    },
)
def request_booking(
    pet_id: UUID,
    body: BookingRequestCreate,
    actor: RateLimitedActor,
    bookings: Bookings,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> RequestReceiptPublic:
    """Ask a clinic for an appointment for the caller's pet.

    At most one request per pet is pending: another one answers 409
    `pending_request_exists` with `pending_request_id`, even when both arrive at
    the same instant.
    """
    receipt = bookings.request_booking(
        actor,
        pet_id,
        clinic_id=body.clinic_id,
        service=body.service,
        preferred_date=body.preferred_date,
        notes=body.notes,
        idempotency_key=idempotency_key,
    )
    response.headers["Location"] = f"/pets/{pet_id}/booking-requests/{receipt.request.request_id}"
    return RequestReceiptPublic.model_validate(receipt)


@router.get(
    "/{request_id}",
    summary="Read one booking request",
    responses=problems("pet_not_found", "request_not_found", "store_unavailable"),
)
def get_booking_request(
    pet_id: UUID, request_id: UUID, actor: CurrentActor, bookings: Bookings
) -> RequestPublic:
    """One request of the pet, for whoever may see it on the pet (`GET /pets/{pet_id}`).

    Staff see only their clinic's requests: another clinic's answers 404
    `request_not_found` exactly like one that does not exist.
    """
    return RequestPublic.model_validate(bookings.get_booking_request(actor, pet_id, request_id))


@router.post(
    "/{request_id}/cancel",
    summary="Cancel a booking request",
    responses=problems(
        "forbidden",
        "pet_not_found",
        "request_not_found",
        "not_cancellable",
        "concurrent_update",
        "payload_too_large",
        "rate_limited",
        "store_unavailable",
    ),
)
def cancel_booking(
    pet_id: UUID,
    request_id: UUID,
    actor: RateLimitedActor,
    bookings: Bookings,
    body: CancelBody | None = None,
) -> RequestReceiptPublic:
    """Cancel a request: the pet's owner, or staff of the request's clinic."""
    reason = body.reason if body is not None else None
    return RequestReceiptPublic.model_validate(
        bookings.cancel_booking(actor, pet_id, request_id, reason=reason)
    )


@router.post(
    "/{request_id}/schedule",
    summary="Schedule a pending request for a time",
    responses=problems(
        "forbidden",
        "pet_not_found",
        "request_not_found",
        "not_pending",
        "concurrent_update",
        "payload_too_large",
        "store_unavailable",
    ),
)
def schedule_booking(
    pet_id: UUID, request_id: UUID, body: ScheduleBody, actor: CurrentActor, bookings: Bookings
) -> RequestReceiptPublic:
    """Confirm a pending request for a time: staff of the request's clinic."""
    return RequestReceiptPublic.model_validate(
        bookings.schedule_booking(actor, pet_id, request_id, starts_at=body.starts_at)
    )
