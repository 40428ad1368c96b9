"""Bearer tokens: HS256 JWTs carrying `sub`, `role`, `clinic_id`, `iat` and `exp`.

The console's session cookie and its sign-in links are the same kind of token
with a `purpose` claim (`session`, `login`); each is accepted only for its
purpose, and a token with a purpose is never a bearer token.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
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
    purpose: str | None = None,
    clinic_ids: frozenset[UUID] = frozenset(),
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
    if len(clinic_ids) > 1:  # Staff of several clinics (their provider said so).
        claims["clinic_ids"] = sorted(str(clinic) for clinic in clinic_ids)
    if purpose is not None:
        # A fresh id per token: what a single-use link is spent by.
        claims["purpose"], claims["jti"] = purpose, uuid.uuid4().hex
    if rules.issuer is not None:
        claims["iss"] = rules.issuer
    if rules.audience is not None:
        claims["aud"] = rules.audience
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


@dataclass(frozen=True)
class Grant:
    """Who a token with a purpose names, its id, and until when it holds."""

    actor: Actor
    token_id: str
    expires_at: datetime


def actor_from_token(token: str, secret: str, rules: TokenRules | None = None) -> Actor:
    """The bearer of an API token (one without a purpose)."""
    return bearer_of(token, secret, rules or TokenRules())[0]


def bearer_of(token: str, secret: str, rules: TokenRules) -> tuple[Actor, float]:
    """The bearer of an API token, and when the token expires (a POSIX time)."""
    claims = _claims(token, secret, rules, purpose=None)
    return _actor(claims), float(claims["exp"])


def grant_from_token(token: str, secret: str, rules: TokenRules, purpose: str) -> Grant:
    """A session's or sign-in link's grant: only a token minted for `purpose` is one."""
    claims = _claims(token, secret, rules, purpose=purpose)
    # No leeway here: these tokens are ours, and a used one is remembered only until
    # its `exp`; honouring the leeway would let a used link sign in again after it.
    if claims["exp"] <= time.time():
        raise UnauthorizedError("token has expired")
    token_id = claims.get("jti")
    if not isinstance(token_id, str):
        raise UnauthorizedError("jti must be a string")
    return Grant(_actor(claims), token_id, datetime.fromtimestamp(claims["exp"], UTC))


def _claims(token: str, secret: str, rules: TokenRules, purpose: str | None) -> dict[str, Any]:
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
    if claims.get("purpose") != purpose:
        raise UnauthorizedError(f"token is not for {purpose or 'the API'}")
    return claims


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
    clinics_claim = claims.get("clinic_ids", [])
    try:
        clinic_id = None if clinic_claim is None else UUID(str(clinic_claim))
        clinic_ids = (
            frozenset(UUID(str(c)) for c in clinics_claim) if clinics_claim else frozenset()
        )
    except (ValueError, TypeError):
        raise UnauthorizedError("clinic_id and clinic_ids must be UUIDs") from None
    if role is Role.STAFF and clinic_id is None and not clinic_ids:
        raise UnauthorizedError("staff tokens carry a clinic_id")
    return Actor(sub=sub, role=role, clinic_id=clinic_id, clinic_ids=clinic_ids)
