"""The identity provider's signing keys: cached, refreshed sparingly, kept through outages."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from interface.auth import UnauthorizedError

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 3.0
MAX_BYTES = 1024 * 1024  # A key set or discovery document is a few kilobytes.
# One algorithm per kind of key, whatever a key or a token claims: a token cannot pick a weaker
# one, nor make a public key act as an HMAC secret. Symmetric ("oct") keys are never taken.
PINNED: dict[tuple[object, object], str] = {
    ("RSA", None): "RS256",
    ("EC", "P-256"): "ES256",
    ("OKP", "Ed25519"): "EdDSA",
}


class IdentityProviderUnavailableError(Exception):
    """No key of the provider is known and it cannot be reached: nothing can be verified."""


@dataclass(frozen=True)
class SigningKey:
    key: Any  # a cryptography public key
    algorithm: str


def fetch_json(url: str) -> dict[str, Any]:
    """A JSON object from the provider: within FETCH_TIMEOUT_SECONDS in all, MAX_BYTES at most.

    httpx's timeout restarts with every byte; a provider dripping bytes must
    not hold a request thread for longer than the deadline.
    """
    deadline = time.monotonic() + FETCH_TIMEOUT_SECONDS
    body = bytearray()
    with httpx.stream("GET", url, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as answer:
        answer.raise_for_status()
        for chunk in answer.iter_bytes():
            body += chunk
            if len(body) > MAX_BYTES or time.monotonic() > deadline:
                raise ValueError(f"{url}: too large or too slow")
    document = json.loads(body)
    if not isinstance(document, dict):
        raise ValueError(f"{url} is not a JSON object")
    return document


def signing_keys(jwks: dict[str, Any]) -> dict[str, SigningKey]:
    """The usable signing keys of a key set, by `kid`; anything else is left out.

    A kid used twice is ambiguous: neither key is taken.
    """
    keys: dict[str, SigningKey] = {}
    seen: set[str] = set()
    listed = jwks.get("keys")
    for data in listed if isinstance(listed, list) else []:
        if not isinstance(data, dict) or data.get("use", "sig") != "sig":
            continue
        kid, kty = data.get("kid"), data.get("kty")
        algorithm = PINNED.get((kty, None if kty == "RSA" else data.get("crv")))
        if not isinstance(kid, str) or algorithm is None:
            continue
        if kid in seen:
            keys.pop(kid, None)
            logger.warning("identity provider key %r listed twice: ignored", kid)
            continue
        seen.add(kid)
        try:
            keys[kid] = SigningKey(jwt.PyJWK(data, algorithm).key, algorithm)
        except jwt.PyJWTError:
            logger.warning("identity provider key %r ignored: not a usable %s key", kid, algorithm)
    return keys


class ProviderKeys:
    """The provider's keys by `kid`, fetched at first use.

    A token naming an unknown `kid` refreshes the set, at most once per
    `refresh_seconds` (a flood of made-up kids costs the provider one fetch).
    If the provider is unreachable the last good keys stay; only when none was
    ever fetched is that an error (the service answers 503).
    """

    def __init__(
        self,
        jwks_url: Callable[[], str],
        refresh_seconds: float,
        fetch: Callable[[str], dict[str, Any]] = fetch_json,
        clock: Callable[[], float] = time.monotonic,
        max_age_seconds: float = 3600.0,
    ) -> None:
        self._jwks_url = jwks_url
        self._refresh_seconds = refresh_seconds
        # A key the provider withdrew stops being trusted within this long, even if no
        # token ever names an unknown kid.
        self._max_age_seconds = max_age_seconds
        self._fetch = fetch
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._refreshed_at: float | None = None  # the last refresh that brought keys
        self._refreshing = threading.Lock()

    def key(self, kid: str) -> SigningKey:
        if self._keys and self._stale():
            self._refresh_unless_busy()
        known = self._keys.get(kid)
        if known is not None:
            return known
        if self._keys:
            # Someone else may be refreshing: never queue behind a slow provider.
            self._refresh_unless_busy()
        else:
            # Nothing known yet: wait for the first fetch (bounded by its deadline).
            with self._refreshing:
                if not self._keys and self._may_refresh():
                    self._refresh()
        if not self._keys:
            raise IdentityProviderUnavailableError("no key of the identity provider is known")
        try:
            return self._keys[kid]
        except KeyError:
            raise UnauthorizedError(f"unknown signing key {kid!r}") from None

    def _refresh_unless_busy(self) -> None:
        if not self._refreshing.acquire(blocking=False):
            return
        try:
            if self._may_refresh():
                self._refresh()
        finally:
            self._refreshing.release()

    def _stale(self) -> bool:
        return self._refreshed_at is not None and (
            self._clock() - self._refreshed_at >= self._max_age_seconds
        )

    def _may_refresh(self) -> bool:
        return self._fetched_at is None or (
            self._clock() - self._fetched_at >= self._refresh_seconds
        )

    def _refresh(self) -> None:
        self._fetched_at = self._clock()
        try:
            url = self._jwks_url()
            keys = signing_keys(self._fetch(url))
        except (httpx.HTTPError, ValueError, TypeError, IdentityProviderUnavailableError) as error:
            logger.warning("identity provider keys not refreshed: %s", error)
            return
        if not keys:
            # An answer with no usable key is a broken provider, not a revocation of all.
            logger.warning("identity provider key set from %s has no usable key: kept", url)
            return
        logger.info("identity provider keys refreshed from %s: %s", url, sorted(keys))
        self._keys = keys
        self._refreshed_at = self._fetched_at
