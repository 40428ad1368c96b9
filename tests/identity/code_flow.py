"""The authorization code flow's rules for the test provider: requests, codes, PKCE (S256)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import ipaddress
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from fastapi import Request

CODE_SECONDS = 60
LOOPBACK_NAMES = {"localhost"}
HIDDEN_FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "scope",
)


class TokenError(Exception):
    """An OAuth error at /token (RFC 6749 section 5.2)."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def with_query(url: str, **parameters: str) -> str:
    separator = "&" if urlsplit(url).query else "?"
    return f"{url}{separator}{urlencode(parameters)}" if parameters else url


def s256(code_verifier: str) -> str:
    """BASE64URL(SHA256(code_verifier)), unpadded (RFC 7636)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class CodeGrant:
    """What a code stands for until it is exchanged: who signed in, for which client."""

    code: str
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    scope: str
    sub: str
    claims: dict[str, Any]
    issued_at: float

    def check(self, client_id: str, redirect_uri: str, code_verifier: str) -> None:
        """The exchange matches the authorization, in time, with the right verifier."""
        if time.monotonic() - self.issued_at > CODE_SECONDS:
            raise TokenError("invalid_grant", "code expired")
        if client_id != self.client_id:
            raise TokenError("invalid_grant", "code issued to another client")
        if redirect_uri != self.redirect_uri:
            raise TokenError("invalid_grant", "redirect_uri differs from the authorization's")
        if not code_verifier.isascii() or not hmac.compare_digest(
            s256(code_verifier), self.code_challenge
        ):
            raise TokenError("invalid_grant", "code_verifier does not match code_challenge")


@dataclass(frozen=True)
class AuthorizationRequest:
    """A valid /authorize request: code flow, PKCE S256, a loopback redirect."""

    parameters: dict[str, str]

    @classmethod
    def of(cls, parameters: dict[str, str]) -> AuthorizationRequest:
        required = ("response_type", "client_id", "redirect_uri", "code_challenge", "scope")
        missing = [name for name in required if not parameters.get(name)]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        if parameters["response_type"] != "code":
            raise ValueError("response_type must be code")
        if parameters.get("code_challenge_method") != "S256":
            raise ValueError("code_challenge_method must be S256")
        if "openid" not in parameters["scope"].split():
            raise ValueError("scope must include openid")
        if not is_loopback_url(parameters["redirect_uri"]):
            raise ValueError("redirect_uri must be on loopback")
        return cls({name: parameters[name] for name in HIDDEN_FIELDS if name in parameters})

    @property
    def redirect_uri(self) -> str:
        return self.parameters["redirect_uri"]

    @property
    def state(self) -> str:
        return self.parameters.get("state", "")

    def grant(self, username: str, claims: dict[str, Any]) -> CodeGrant:
        return CodeGrant(
            code=secrets.token_urlsafe(32),
            client_id=self.parameters["client_id"],
            redirect_uri=self.redirect_uri,
            code_challenge=self.parameters["code_challenge"],
            nonce=self.parameters.get("nonce"),
            scope=self.parameters["scope"],
            sub=username,
            claims=claims,
            issued_at=time.monotonic(),
        )


@dataclass(frozen=True)
class ClientCredentials:
    id: str
    secret: str | None


def client_credentials(request: Request, client_id: str, secret: str | None) -> ClientCredentials:
    """The client from HTTP Basic if sent, else from the form (client_secret_post or none)."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return ClientCredentials(client_id, secret)
    try:
        basic_id, _, basic_secret = base64.b64decode(encoded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise TokenError("invalid_client", "malformed Basic credentials", status=401) from None
    return ClientCredentials(unquote(basic_id), unquote(basic_secret))


def sign_in_page(authorization: AuthorizationRequest, error: str | None = None) -> str:
    """A labelled username field, a "Sign in" button, the request carried in hidden fields."""
    hidden = "\n".join(
        f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
        for name, value in authorization.parameters.items()
    )
    alert = f'<p role="alert">{html.escape(error)}</p>' if error else ""
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in: test identity provider</title></head>
<body>
<main>
<h1>Test identity provider</h1>
{alert}
<form method="post" action="/authorize">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required>
{hidden}
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
"""
