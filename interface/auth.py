"""Bearer tokens: HS256 JWTs carrying `sub`, `role`, `clinic_id`, `iat` and `exp`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import jwt

from application.access import Actor, Role
from domain.values import ACTOR_ID, InvalidValueError
from interface.settings import Settings

ALGORITHM = "HS256"
# Clocks of the minting and the verifying host differ a little.
LEEWAY_SECONDS = 30


@dataclass(frozen=True)
class TokenRules:
    """What a token must say besides its signature (BOOKING_JWT_* settings)."""

    max_ttl_seconds: int = 24 * 3600
    issuer: str | None = None
    audience: str | None = None

    @classmethod
    def of(cls, settings: Settings) -> TokenRules:
        return cls(settings.jwt_max_ttl_seconds, settings.jwt_issuer, settings.jwt_audience)


class UnauthorizedError(Exception):
    """No usable token: missing, malformed, wrongly signed, unsigned or expired."""


def mint_token(
    secret: str,
    *,
    role: Role,
    sub: str,
    clinic_id: UUID | None = None,
    ttl_seconds: int = 3600,
    rules: TokenRules | None = None,
) -> str:
    """A token that passes `rules`; a lifetime longer than they allow is refused here too."""
    rules = rules or TokenRules()
    if ttl_seconds > rules.max_ttl_seconds:
        msg = f"a token may live at most {rules.max_ttl_seconds} s (BOOKING_JWT_MAX_TTL_SECONDS)"
        raise ValueError(msg)
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub,
        "role": role.value,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if clinic_id is not None:
        claims["clinic_id"] = str(clinic_id)
    if rules.issuer is not None:
        claims["iss"] = rules.issuer
    if rules.audience is not None:
        claims["aud"] = rules.audience
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def actor_from_token(token: str, secret: str, rules: TokenRules | None = None) -> Actor:
    rules = rules or TokenRules()
    required = ["exp", "sub", "role"]
    required += ["iss"] if rules.issuer is not None else []
    required += ["aud"] if rules.audience is not None else []
    try:
        # Pinning the algorithm is what rejects `alg: none` and key-confusion tokens.
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=rules.issuer,
            audience=rules.audience,
            leeway=LEEWAY_SECONDS,
            options={"require": required, "verify_aud": rules.audience is not None},
        )
    except jwt.PyJWTError as error:
        raise UnauthorizedError(str(error)) from None
    _check_lifetime(claims, rules)
    return _actor(claims)


def _check_lifetime(claims: dict[str, Any], rules: TokenRules) -> None:
    """A token may not outlive the maximum, counted from its issue or, without `iat`, from now."""
    issued = claims.get("iat")
    start = issued if isinstance(issued, int | float) else time.time()
    if claims["exp"] - start > rules.max_ttl_seconds + LEEWAY_SECONDS:
        raise UnauthorizedError(f"token lifetime exceeds {rules.max_ttl_seconds} s")


def _actor(claims: dict[str, Any]) -> Actor:
    sub, role_claim, clinic_claim = claims["sub"], claims["role"], claims.get("clinic_id")
    if not isinstance(sub, str):
        raise UnauthorizedError("sub must be a string")
    try:
        # The same rule the domain applies to every actor it records.
        if ACTOR_ID.clean("sub", sub) != sub:
            raise UnauthorizedError("sub must be trimmed and in NFC")
    except InvalidValueError as error:
        raise UnauthorizedError(str(error)) from None
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
