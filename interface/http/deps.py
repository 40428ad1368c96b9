"""Dependencies handlers declare: the application, its read side and audit trail, the actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from application.access import Actor
from application.audit.trail import AuditTrail
from application.bookings import PetBookings
from application.staff import ClinicQueries
from interface.auth import UnauthorizedError
from interface.bootstrap import System
from interface.identity.verifier import TokenVerifier
from interface.rate_limit import RateLimiter

_bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    description="A JWT: minted by `booking token` (HS256), or the clinic's identity provider's "
    '(RS256, ES256 or EdDSA, with `kid`); README "Signing in"',
)


def system_of(request: Request) -> System:
    """What the lifespan bootstrapped (a plain function: a dependency would cost a thread hop)."""
    system: System = request.app.state.system
    return system


def get_bookings(request: Request) -> PetBookings:
    return system_of(request).bookings


def get_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None:
        raise UnauthorizedError("missing bearer token")
    # Refused unread: decoding costs in proportion to the token, and no token we mint is this big.
    max_token_bytes: int = request.app.state.max_token_bytes
    if len(credentials.credentials) > max_token_bytes:
        raise UnauthorizedError("bearer token too large")
    verifier: TokenVerifier = request.app.state.verifier
    return verifier.actor(credentials.credentials)


Bookings = Annotated[PetBookings, Depends(get_bookings)]
CurrentActor = Annotated[Actor, Depends(get_actor)]


def get_rate_limited_actor(request: Request, actor: CurrentActor) -> Actor:
    """The actor, after spending one of their booking-command tokens."""
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.take(actor.sub)
    return actor


RateLimitedActor = Annotated[Actor, Depends(get_rate_limited_actor)]


def get_clinic_queries(request: Request) -> ClinicQueries:
    return system_of(request).read_side.queries


Clinics = Annotated[ClinicQueries, Depends(get_clinic_queries)]


def get_audit(request: Request) -> AuditTrail:
    return system_of(request).audit


Audit = Annotated[AuditTrail, Depends(get_audit)]
