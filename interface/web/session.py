"""The console's session: a cookie holding a token like a bearer token, and CSRF checks.

The cookie is a JWT with `purpose: session` (HttpOnly, SameSite=Lax, Secure
over HTTPS, the session's lifetime), so whoever signs a person in, a sign-in
link today and the clinic's identity provider later, only has to mint one.
Every state-changing form carries a CSRF token derived from the session, and
its Origin, when the browser sends one, must be this site.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from application.access import Actor
from application.sign_ins import SpentTokens
from interface.auth import Grant, TokenRules, UnauthorizedError, grant_from_token, mint_token

COOKIE = "booking_session"
COOKIE_PATH = "/console"
SESSION = "session"
LOGIN = "login"


class SignInRequiredError(Exception):
    """No valid session: the page sends the person to sign in."""


class CrossSiteError(Exception):
    """A form without this session's CSRF token, or posted from another site."""


@dataclass(frozen=True)
class Session:
    actor: Actor
    csrf_token: str
    grant: Grant


def _keys(request: Request) -> tuple[str, TokenRules]:
    return request.app.state.jwt_secret, request.app.state.token_rules


def start_session(request: Request, response: Response, actor: Actor, ttl_seconds: int) -> None:
    secret, rules = _keys(request)
    ttl_seconds = min(ttl_seconds, rules.max_ttl_seconds)
    token = mint_token(
        secret,
        role=actor.role,
        sub=actor.sub,
        clinic_id=actor.clinic_id,
        clinic_ids=actor.clinic_ids,
        ttl_seconds=ttl_seconds,
        rules=rules,
        purpose=SESSION,
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=ttl_seconds,
        path=COOKIE_PATH,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
    )


def retire_session(request: Request, session: Session) -> None:
    """The session's token is given up: its cookie, even copied, signs nobody in again."""
    spent: SpentTokens = request.app.state.console.spent_tokens
    spent.spend(session.grant.token_id, session.grant.expires_at)


def end_session(request: Request, session: Session, response: Response) -> None:
    """Sign out: the session is retired, and the browser forgets the cookie."""
    retire_session(request, session)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax")


def read_grant(request: Request, token: str, purpose: str) -> Grant:
    secret, rules = _keys(request)
    return grant_from_token(token, secret, rules, purpose)


def current_session(request: Request) -> Session:
    token = request.cookies.get(COOKIE)
    if token is None or len(token) > request.app.state.max_token_bytes:
        raise SignInRequiredError
    try:
        grant = read_grant(request, token, SESSION)
    except UnauthorizedError:
        raise SignInRequiredError from None
    if not is_live(request, grant):  # Signed out: the cookie is dead even if replayed.
        raise SignInRequiredError
    return Session(grant.actor, _csrf_token(request, grant.token_id), grant)


def is_live(request: Request, grant: Grant) -> bool:
    """Not expired, and not retired (signed out, or signed in again over it)."""
    spent: SpentTokens = request.app.state.console.spent_tokens
    return grant.expires_at > datetime.now(UTC) and not spent.is_spent(grant.token_id)


def _csrf_token(request: Request, session_id: str) -> str:
    secret, _ = _keys(request)
    return hmac.new(secret.encode(), f"csrf:{session_id}".encode(), hashlib.sha256).hexdigest()


async def form_session(request: Request) -> Session:
    """The session of a state-changing form, after its Origin and CSRF token are checked."""
    session = await run_in_threadpool(current_session, request)
    form = await request.form()  # Parsed once: the route's Form() fields read the same.
    check_form(request, session, form.get("csrf_token"))
    return session


def check_form(request: Request, session: Session, submitted: object) -> None:
    """Refuse a state-changing form from another site, or without this session's token."""
    origin = request.headers.get("origin")
    if origin is not None and origin != _own_origin(request):
        raise CrossSiteError
    if not isinstance(submitted, str) or not hmac.compare_digest(submitted, session.csrf_token):
        raise CrossSiteError


def require_same_origin(request: Request) -> None:
    """A form with no session to tie a token to: only this site's pages may post it."""
    if request.headers.get("origin") != _own_origin(request):
        raise CrossSiteError


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"
