"""Signing into the console through the clinic's identity provider (OpenID Connect).

The authorization code flow with PKCE (S256), `state` and `nonce`, run by
Authlib; its state rides in a signed, short-lived cookie. The identity comes
from the access token, verified exactly as the API verifies it, and the ID
token (checked by Authlib: signature, issuer, audience, nonce) must name the
same subject. Then the console's own session starts, as after a sign-in link.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.starlette_client import OAuth
from fastapi import APIRouter, Request
from fastapi.responses import Response
from joserfc.errors import JoseError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from interface.identity.discovery import WELL_KNOWN
from interface.identity.verifier import TokenVerifier
from interface.settings import Settings
from interface.web.pages import page, see_other
from interface.web.session import (
    SignInRequiredError,
    current_session,
    retire_session,
    start_session,
)

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/oidc")

NAME = "provider"
CALLBACK = "/console/oidc/callback"
SIGNED_OUT = "/console/sign-in?signed_out=true"


def provider_client(settings: Settings) -> Any | None:
    """Authlib's client of the provider, when one is configured for the console."""
    if settings.oidc_issuer is None or settings.oidc_client_id is None:
        return None
    oauth = OAuth()
    secret = settings.oidc_client_secret
    return oauth.register(
        name=NAME,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + WELL_KNOWN,
        client_id=settings.oidc_client_id,
        client_secret=secret.get_secret_value() if secret is not None else None,
        client_kwargs={
            "scope": "openid",
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_post" if secret else "none",
        },
    )


def _client(request: Request) -> Any:
    client = request.app.state.console_oidc
    if client is None:
        raise StarletteHTTPException(404)
    return client


@router.get("/start")
async def start(request: Request) -> Response:
    """Off to the provider's sign-in page; it comes back to the callback."""
    client = _client(request)
    response: Response = await client.authorize_redirect(request, _here(request) + CALLBACK)
    return response


def _here(request: Request) -> str:
    # The configured address, never the request's Host: a forged Host must not choose
    # where the provider sends the code, or the browser after signing out.
    settings: Settings = request.app.state.settings
    return settings.public_url.rstrip("/")


@router.get("/callback")
async def callback(request: Request) -> Response:
    client = _client(request)
    try:
        token = await client.authorize_access_token(request)
    # A wrong state, a refused code, an ID token that fails its checks (joserfc's errors),
    # or a provider answering nonsense.
    except (OAuthError, JoseError, ValueError, KeyError, TypeError) as error:
        logger.warning("sign-in through the identity provider failed: %r", error)
        return page(request, "sign_in.html", None, status_code=401, alert="provider_failed")
    verifier: TokenVerifier = request.app.state.verifier
    access_token = token.get("access_token")
    max_bytes: int = request.app.state.max_token_bytes
    if not isinstance(access_token, str) or len(access_token) > max_bytes:
        return page(request, "sign_in.html", None, status_code=401, alert="provider_failed")
    actor = await run_in_threadpool(verifier.actor, access_token)
    id_subject = (token.get("userinfo") or {}).get("sub")
    if id_subject != jwt.decode(access_token, options={"verify_signature": False}).get("sub"):
        logger.warning("the provider's ID token and access token name different subjects")
        return page(request, "sign_in.html", None, status_code=401, alert="provider_failed")
    response = see_other("/console/")
    with contextlib.suppress(SignInRequiredError):
        retire_session(request, await run_in_threadpool(current_session, request))
    settings: Settings = request.app.state.settings
    start_session(request, response, actor, settings.session_ttl_seconds)
    return response


async def provider_sign_out_url(request: Request) -> str | None:
    """The provider's end-session address, coming back to the sign-in page, if it has one."""
    client = request.app.state.console_oidc
    if client is None:
        return None
    try:
        metadata = await client.load_server_metadata()
    except (httpx.HTTPError, ValueError, OAuthError):  # Unreachable: sign out of ours only.
        logger.warning("the identity provider's end-session endpoint is unknown", exc_info=True)
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not isinstance(endpoint, str):
        return None
    settings: Settings = request.app.state.settings
    back = _here(request) + SIGNED_OUT
    query = urlencode({"client_id": settings.oidc_client_id, "post_logout_redirect_uri": back})
    return f"{endpoint}?{query}"
