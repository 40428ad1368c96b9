"""Bearer tokens: HS256 JWTs carrying `sub`, `role`, `clinic_id` and `exp`."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

import jwt

from application.access import Actor, Role

ALGORITHM = "HS256"


class UnauthorizedError(Exception):
    """No usable token: missing, malformed, wrongly signed, unsigned or expired."""


def mint_token(
    secret: str,
    *,
    role: Role,
    sub: str,
    clinic_id: UUID | None = None,
    ttl_seconds: int = 3600,
) -> str:
    claims: dict[str, Any] = {"sub": sub, "role": role.value, "exp": int(time.time()) + ttl_seconds}
    if clinic_id is not None:
        claims["clinic_id"] = str(clinic_id)
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def actor_from_token(token: str, secret: str) -> Actor:
    try:
        # Pinning the algorithm is what rejects `alg: none` and key-confusion tokens.
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "role"]}
        )
    except jwt.PyJWTError as error:
        raise UnauthorizedError(str(error)) from None
    return _actor(claims)


def _actor(claims: dict[str, Any]) -> Actor:
    sub, role_claim, clinic_claim = claims["sub"], claims["role"], claims.get("clinic_id")
    if not isinstance(sub, str) or not sub:
        raise UnauthorizedError("sub must be a non-empty string")
    try:
        role = Role(role_claim)
    except ValueError:
        raise UnauthorizedError(f"unknown role {role_claim!r}") from None
    clinic_id = None
    if clinic_claim is not None:
        try:
            clinic_id = UUID(str(clinic_claim))
        except ValueError:
            raise UnauthorizedError("clinic_id must be a UUID") from None
    if role is Role.STAFF and clinic_id is None:
        raise UnauthorizedError("staff tokens carry a clinic_id")
    return Actor(sub=sub, role=role, clinic_id=clinic_id)
