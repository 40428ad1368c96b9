"""Signing in with a one-time link, signing out, and each role's home page."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from application.access import Role
from application.sign_ins import SpentTokens
from interface.auth import UnauthorizedError
from interface.web.pages import page, see_other
from interface.web.routes.provider import provider_sign_out_url
from interface.web.session import (
    LOGIN,
    Session,
    SignInRequiredError,
    current_session,
    end_session,
    form_session,
    read_grant,
    require_same_origin,
    retire_session,
    start_session,
)

router = APIRouter()

HOMES = {Role.OWNER: "/console/pets", Role.STAFF: "/console/clinic", Role.AUDITOR: "/console/audit"}


@router.get("/")
def home(request: Request) -> Response:
    try:
        session = current_session(request)
    except SignInRequiredError:
        return see_other("/console/sign-in")
    return see_other(HOMES[session.actor.role])


@router.get("/sign-in")
def sign_in_page(request: Request, signed_out: bool = False) -> HTMLResponse:
    return page(request, "sign_in.html", None, signed_out=signed_out)


def sign_in_failed(request: Request, status_code: int, alert: str) -> HTMLResponse:
    return page(request, "sign_in.html", None, status_code=status_code, alert=alert)


@router.get("/login")
def login_link_page(
    request: Request, token: Annotated[str, Query(max_length=4096)] = ""
) -> Response:
    """A link printed by `booking login-link`: a page asking to continue, nothing spent yet.

    Opening the link changes nothing, so a mail scanner that fetches it does
    not use it up; the person continues with a same-site POST.
    """
    try:
        grant = read_grant(request, token, LOGIN)
    except UnauthorizedError:
        return page(request, "sign_in.html", None, status_code=401, alert="link_invalid")
    return page(request, "continue.html", None, grant=grant, token=token)


@router.post("/login")
def use_login_link(request: Request, token: Annotated[str, Form(max_length=4096)] = "") -> Response:
    """Sign in: the link is spent (once, across processes) and any earlier session ends."""
    # No session yet to derive a CSRF token from: the Origin must be this site, so no
    # other site can sign a visitor in as someone else.
    require_same_origin(request)
    try:
        grant = read_grant(request, token, LOGIN)
    except UnauthorizedError:
        return page(request, "sign_in.html", None, status_code=401, alert="link_invalid")
    spent: SpentTokens = request.app.state.console.spent_tokens
    if not spent.spend(grant.token_id, grant.expires_at):
        return page(request, "sign_in.html", None, status_code=401, alert="link_invalid")
    response = see_other(HOMES[grant.actor.role])
    with contextlib.suppress(SignInRequiredError):  # An earlier session in this browser ends.
        retire_session(request, current_session(request))
    start_session(request, response, grant.actor, request.app.state.settings.session_ttl_seconds)
    return response


@router.post("/sign-out")
async def sign_out(
    request: Request, session: Annotated[Session, Depends(form_session)]
) -> Response:
    """Ours ends here; where the provider offers it, its session ends too."""
    response = see_other(await provider_sign_out_url(request) or "/console/sign-in?signed_out=true")
    await run_in_threadpool(end_session, request, session, response)
    return response
