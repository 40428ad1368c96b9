"""OpenID Connect discovery: where the provider publishes its keys and its endpoints."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from interface.identity.keys import IdentityProviderUnavailableError, fetch_json
from interface.settings import check_provider_url

WELL_KNOWN = "/.well-known/openid-configuration"


class Discovery:
    """The provider's metadata, fetched once it is first needed and then kept."""

    def __init__(
        self,
        issuer: str | None,
        jwks_url: str | None,
        fetch: Callable[[str], dict[str, Any]] = fetch_json,
    ) -> None:
        self.issuer = issuer
        self._jwks_url = jwks_url
        self._fetch = fetch
        self._metadata: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def metadata(self) -> dict[str, Any]:
        if self.issuer is None:
            raise IdentityProviderUnavailableError("no BOOKING_OIDC_ISSUER to discover")
        with self._lock:
            if self._metadata is None:
                document = self._fetch(self.issuer.rstrip("/") + WELL_KNOWN)
                # The document must speak for the issuer we trust, or its keys could be anyone's.
                if document.get("issuer") != self.issuer:
                    raise ValueError(f"discovery names issuer {document.get('issuer')!r}")
                self._metadata = document
            return self._metadata

    def jwks_uri(self) -> str:
        url = self._jwks_url or self.metadata().get("jwks_uri")
        if not isinstance(url, str):
            raise ValueError("the provider's discovery document has no jwks_uri")
        check_provider_url(url)
        return url
