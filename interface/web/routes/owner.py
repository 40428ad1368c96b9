"""Owners: their pets, a pet's requests, asking a clinic for an appointment, cancelling."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from application.access import Role
from application.owners import OwnerQueries
from domain.pet import PendingRequestExistsError
from domain.values import IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_PATTERN, InvalidValueError
from interface.rate_limit import RateLimiter
from interface.web.pages import page, see_other, system_of
from interface.web.session import Session, current_session, form_session

router = APIRouter(prefix="/pets")

Signed = Annotated[Session, Depends(current_session)]
FormSession = Annotated[Session, Depends(form_session)]


def _owners(request: Request) -> OwnerQueries:
    queries: OwnerQueries = request.app.state.console.owners
    return queries


def _owner(request: Request, session: Session) -> None:
    """A command from an owner's form (already checked to be this site's), within their rate."""
    session.actor.require(Role.OWNER)
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.take(session.actor.sub)


@router.get("")
def my_pets(request: Request, session: Signed, notice: str | None = None) -> HTMLResponse:
    session.actor.require(Role.OWNER)
    pets = _owners(request).pets(session.actor)
    return page(request, "pets.html", session, pets=pets, notice=_notice(notice))


@router.post("")
def register_pet(
    request: Request,
    session: FormSession,
    name: Annotated[str, Form(max_length=200)],
    species: Annotated[str, Form(max_length=200)],
) -> Response:
    _owner(request, session)
    bookings = system_of(request).bookings
    try:
        receipt = bookings.register_pet(session.actor, name=name, species=species)
    except InvalidValueError as error:
        pets = _owners(request).pets(session.actor)
        typed = {"name": name, "species": species}
        return page(request, "pets.html", session, 422, pets=pets, invalid=error, typed=typed)
    return see_other(f"/console/pets/{receipt.pet.pet_id}?notice=pet_registered")


@router.get("/{pet_id}")
def pet_page(
    request: Request, pet_id: UUID, session: Signed, notice: str | None = None
) -> HTMLResponse:
    session.actor.require(Role.OWNER)
    return _pet_page(request, session, pet_id, notice=_notice(notice))


def _pet_page(
    request: Request, session: Session, pet_id: UUID, status_code: int = 200, **context: object
) -> HTMLResponse:
    system = system_of(request)
    pet = system.bookings.get_pet(session.actor, pet_id)
    clinics = system.clinics.list_clinics()
    names = {clinic.clinic_id: clinic.name for clinic in clinics}
    return page(
        request,
        "pet.html",
        session,
        status_code,
        pet=pet,
        clinics=clinics,
        clinic_names=names,
        # A fresh key per form: a resubmitted form replays its request instead of a 409.
        idempotency_key=uuid4().hex,
        today=date.today().isoformat(),
        **context,
    )


@router.post("/{pet_id}/requests")
def request_booking(
    request: Request,
    pet_id: UUID,
    session: FormSession,
    clinic_id: Annotated[UUID, Form()],
    service: Annotated[str, Form(max_length=200)],
    # The API's header rule, at this door too (the domain checks it again).
    idempotency_key: Annotated[
        str,
        Form(min_length=1, max_length=IDEMPOTENCY_KEY_MAX_LENGTH, pattern=IDEMPOTENCY_KEY_PATTERN),
    ],
    preferred_date: Annotated[date | None, Form()] = None,
    notes: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    _owner(request, session)
    typed = {
        "clinic_id": str(clinic_id),
        "service": service,
        "preferred_date": preferred_date.isoformat() if preferred_date else "",
        "notes": notes,
    }
    try:
        system_of(request).bookings.request_booking(
            session.actor,
            pet_id,
            clinic_id=clinic_id,
            service=service,
            preferred_date=preferred_date,
            notes=notes or None,
            idempotency_key=idempotency_key,
        )
    except PendingRequestExistsError as error:
        # The other tab won: say so, and point at the request in the way.
        return _pet_page(
            request,
            session,
            pet_id,
            409,
            problem="pending_request_exists",
            in_the_way=error.pending_request_id,
            typed=typed,
        )
    except InvalidValueError as error:
        return _pet_page(request, session, pet_id, 422, invalid=error, typed=typed)
    return see_other(f"/console/pets/{pet_id}?notice=request_sent")


@router.post("/{pet_id}/requests/{request_id}/cancel")
def cancel_request(
    request: Request, pet_id: UUID, request_id: UUID, session: FormSession
) -> Response:
    _owner(request, session)
    system_of(request).bookings.cancel_booking(session.actor, pet_id, request_id)
    return see_other(f"/console/pets/{pet_id}?notice=request_cancelled")


NOTICES = {"pet_registered", "request_sent", "request_cancelled"}


def _notice(key: str | None) -> str | None:
    # Only our own messages: a link cannot make the page say anything else.
    return key if key in NOTICES else None
