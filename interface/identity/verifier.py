"""Bearer tokens to actors: ours (HS256, the shared secret) or the provider's (its keys).

The token's header says which: HS256 goes to the shared secret (if still
accepted), anything else to the provider's published key named by `kid`,
verified with that key's pinned algorithm only. Verified tokens are
remembered until they expire (a bounded number), so a client sending the same
token again costs a dictionary lookup, not a signature check.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from application.access import Actor
from interface.auth import (
    ALGORITHM,
    LEEWAY_SECONDS,
    TokenRules,
    UnauthorizedError,
    bearer_of,
)
from interface.identity.claims import ClaimMapping
from interface.identity.discovery import Discovery
from interface.identity.keys import ProviderKeys
from interface.settings import Settings

REMEMBERED_TOKENS = 10_000


@dataclass(frozen=True)
class Provider:
    """The clinic's identity provider as the API sees it: keys, issuer, audience, claims."""

    keys: ProviderKeys
    issuer: str | None
    audience: str
    claims: ClaimMapping
    max_ttl_seconds: int

    def actor(self, token: str, header: dict[str, Any]) -> tuple[Actor, float]:
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise UnauthorizedError("provider tokens name their key (kid)")
        key = self.keys.key(kid)
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={
                    "require": ["exp", "iat", *(["iss"] if self.issuer else []), "aud"],
                    "verify_iss": self.issuer is not None,
                },
            )
        except jwt.PyJWTError as error:
            raise UnauthorizedError(str(error)) from None
        if claims["exp"] - claims["iat"] > self.max_ttl_seconds + LEEWAY_SECONDS:
            raise UnauthorizedError(f"token lifetime exceeds {self.max_ttl_seconds} s")
        return self.claims.actor(claims), float(claims["exp"])


class TokenVerifier:
    def __init__(
        self,
        secret: str | None,
        rules: TokenRules,
        provider: Provider | None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = secret  # None: shared-secret tokens are no longer accepted
        self._rules = rules
        self.provider = provider
        self._clock = clock
        self._verified: OrderedDict[bytes, tuple[Actor, float]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def of(cls, settings: Settings, secret: str) -> TokenVerifier:
        provider = None
        if settings.oidc_issuer or settings.jwks_url:
            discovery = Discovery(settings.oidc_issuer, settings.jwks_url)
            provider = Provider(
                keys=ProviderKeys(
                    discovery.jwks_uri,
                    settings.jwks_refresh_seconds,
                    max_age_seconds=settings.jwks_max_age_seconds,
                ),
                issuer=settings.oidc_issuer,
                audience=settings.oidc_audience,
                claims=ClaimMapping.of(settings),
                max_ttl_seconds=settings.jwt_max_ttl_seconds,
            )
        return cls(secret if settings.jwt_hs256 else None, TokenRules.of(settings), provider)

    def actor(self, token: str) -> Actor:
        digest = hashlib.sha256(token.encode()).digest()
        now = self._clock()
        with self._lock:
            remembered = self._verified.get(digest)
            if remembered is not None and remembered[1] + LEEWAY_SECONDS > now:
                self._verified.move_to_end(digest)
                return remembered[0]
        actor, expires = self._verify(token)
        with self._lock:
            self._verified[digest] = (actor, expires)
            while len(self._verified) > REMEMBERED_TOKENS:
                self._verified.popitem(last=False)
        return actor

    def _verify(self, token: str) -> tuple[Actor, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise UnauthorizedError(str(error)) from None
        if header.get("alg") == ALGORITHM:
            if self._secret is None:
                raise UnauthorizedError("shared-secret tokens are turned off (BOOKING_JWT_HS256)")
            return bearer_of(token, self._secret, self._rules)
        if self.provider is None:
            raise UnauthorizedError(f"no identity provider for {header.get('alg')!r} tokens")
        return self.provider.actor(token, header)
