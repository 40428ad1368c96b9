"""A small OpenID provider for the tests, on 127.0.0.1 only; no real secrets.

    python -m tests.identity.provider --port N --keys DIR [--issuer URL] [--audience AUD]

Discovery, the key set (every `DIR/<kid>.pem`, read on each request), the
authorization code flow with PKCE (users and their claims in `DIR/users.json`,
the username becoming `sub`), end session, and `/stats`: how often each was
asked for, so tests see how hard the service leans on its provider.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import jwt
import uvicorn
from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from tests.identity.code_flow import (
    AuthorizationRequest,
    CodeGrant,
    TokenError,
    client_credentials,
    is_loopback_url,
    sign_in_page,
    with_query,
)
from tests.identity.keys import ALGORITHMS, newest_key, read_keys

HOST = "127.0.0.1"
DEFAULT_AUDIENCE = "authenticated"  # Supabase's


@dataclass(frozen=True)
class ProviderConfig:
    keys_dir: Path
    issuer: str
    audience: str = DEFAULT_AUDIENCE
    token_ttl_seconds: int = 300
    # When set, /token requires it (client_secret_post or HTTP Basic); otherwise a public client.
    client_secret: str | None = None


@dataclass
class ProviderState:
    """Codes not yet exchanged, and the counts /stats reports."""

    codes: dict[str, CodeGrant] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    def remember(self, code: str, grant: CodeGrant) -> None:
        with self.lock:
            self.codes[code] = grant

    def spend(self, code: str) -> CodeGrant | None:
        """The grant of `code`, once: a code is gone after its first exchange, right or wrong."""
        with self.lock:
            return self.codes.pop(code, None)


def create_provider(config: ProviderConfig) -> FastAPI:
    app = FastAPI(title="Test identity provider", docs_url=None, redoc_url=None)
    state = ProviderState()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/stats")
    def stats() -> dict[str, int]:
        with state.lock:
            return {name: state.counts[name] for name in ("jwks", "discovery", "token", "logout")}

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        state.count("discovery")
        return _discovery_document(config.issuer)

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        state.count("jwks")
        return {"keys": [key.public_jwk() for key in read_keys(config.keys_dir)]}

    @app.get("/authorize", response_class=HTMLResponse)
    def authorize_page(request: Request) -> HTMLResponse:
        authorization = _authorization(dict(request.query_params))
        return HTMLResponse(sign_in_page(authorization))

    @app.post("/authorize", response_model=None)
    async def authorize(request: Request) -> HTMLResponse | RedirectResponse:
        form = {name: str(value) for name, value in (await request.form()).items()}
        authorization = _authorization(form)
        username = form.get("username", "").strip()
        users = _users(config.keys_dir)
        if username not in users:
            page = sign_in_page(authorization, error=f"No such user: {username}")
            return HTMLResponse(page, status_code=401)
        code = authorization.grant(username, users[username])
        state.remember(code.code, code)
        target = with_query(authorization.redirect_uri, code=code.code, state=authorization.state)
        return RedirectResponse(target, status_code=303)

    @app.post("/token")
    def token(
        request: Request,
        grant_type: Annotated[str, Form()],
        code: Annotated[str, Form()] = "",
        redirect_uri: Annotated[str, Form()] = "",
        client_id: Annotated[str, Form()] = "",
        code_verifier: Annotated[str, Form()] = "",
        client_secret: Annotated[str | None, Form()] = None,
    ) -> JSONResponse:
        state.count("token")
        try:
            if grant_type != "authorization_code":
                raise TokenError("unsupported_grant_type", grant_type)
            grant = state.spend(code)
            if grant is None:
                raise TokenError("invalid_grant", "unknown or already used code")
            client = client_credentials(request, client_id, client_secret)
            if config.client_secret is not None and client.secret != config.client_secret:
                raise TokenError("invalid_client", "wrong client secret", status=401)
            grant.check(client.id, redirect_uri, code_verifier)
        except TokenError as error:
            return JSONResponse(error.body(), status_code=error.status)
        return JSONResponse(_tokens(config, grant), headers={"Cache-Control": "no-store"})

    @app.get("/logout", response_model=None)
    def logout(
        post_logout_redirect_uri: str | None = None,
        logout_state: Annotated[str | None, Query(alias="state")] = None,
    ) -> RedirectResponse | HTMLResponse:
        state.count("logout")
        if post_logout_redirect_uri is None:
            return HTMLResponse("<!doctype html><title>Signed out</title><p>Signed out.</p>")
        if not is_loopback_url(post_logout_redirect_uri):
            raise HTTPException(400, "post_logout_redirect_uri must be on loopback")
        extra = {"state": logout_state} if logout_state else {}
        return RedirectResponse(with_query(post_logout_redirect_uri, **extra), status_code=303)

    return app


def _authorization(parameters: dict[str, str]) -> AuthorizationRequest:
    try:
        return AuthorizationRequest.of(parameters)
    except ValueError as error:
        raise HTTPException(400, f"invalid_request: {error}") from None


def _discovery_document(issuer: str) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/jwks",
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "end_session_endpoint": f"{issuer}/logout",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": list(ALGORITHMS),
        "subject_types_supported": ["public"],
        "scopes_supported": ["openid"],
        "token_endpoint_auth_methods_supported": [
            "none",
            "client_secret_post",
            "client_secret_basic",
        ],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "nonce", "app_metadata"],
    }


def _users(keys_dir: Path) -> dict[str, dict[str, Any]]:
    path = keys_dir / "users.json"
    users: dict[str, dict[str, Any]] = json.loads(path.read_text()) if path.exists() else {}
    return users


def _tokens(config: ProviderConfig, grant: CodeGrant) -> dict[str, Any]:
    """The access token (audience: the API) and the ID token (audience: the client)."""
    signing_key = newest_key(config.keys_dir)
    now = int(time.time())
    times = {"iat": now, "exp": now + config.token_ttl_seconds}
    access = {**grant.claims, "iss": config.issuer, "sub": grant.sub, "aud": config.audience}
    identity = {"iss": config.issuer, "sub": grant.sub, "aud": grant.client_id, "auth_time": now}
    if grant.nonce is not None:
        identity["nonce"] = grant.nonce

    def sign(claims: dict[str, Any]) -> str:
        header = {"kid": signing_key.kid}
        return jwt.encode(
            {**claims, **times}, signing_key.key, algorithm=signing_key.algorithm, headers=header
        )

    return {
        "access_token": sign(access),
        "id_token": sign(identity),
        "token_type": "Bearer",
        "expires_in": config.token_ttl_seconds,
        "scope": grant.scope,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.identity.provider")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--keys", type=Path, required=True, help="folder of <kid>.pem files")
    parser.add_argument("--issuer", help="default: http://127.0.0.1:PORT")
    parser.add_argument("--audience", default=DEFAULT_AUDIENCE, help="the access tokens' aud")
    parser.add_argument("--token-ttl", type=int, default=300, help="seconds tokens live")
    parser.add_argument("--client-secret", help="required at /token when given")
    args = parser.parse_args(argv)
    config = ProviderConfig(
        keys_dir=args.keys,
        issuer=(args.issuer or f"http://{HOST}:{args.port}").rstrip("/"),
        audience=args.audience,
        token_ttl_seconds=args.token_ttl,
        client_secret=args.client_secret,
    )
    uvicorn.run(create_provider(config), host=HOST, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
