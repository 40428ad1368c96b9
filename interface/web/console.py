"""The console as an app mounted at /console: its pages, assets and error pages.

It shares the API's state (the system bootstrapped by the lifespan, the token
secret, the rate limiter), so it calls the same application with the same
authorization; only how errors look differs: pages in the user's language,
not problem+json.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from eventsourcing.persistence import InterfaceError, InternalError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from domain.values import InvalidValueError
from interface.auth import UnauthorizedError
from interface.language import language_headers
from interface.problem_catalogue import ERROR_CODES, PROBLEMS, problem_code
from interface.rate_limit import RateLimitedError
from interface.settings import Settings
from interface.web.pages import HERE, page, see_other
from interface.web.routes import auditor, owner, provider, signing, staff
from interface.web.routes.provider import provider_client
from interface.web.session import CrossSiteError, SignInRequiredError, current_session
from interface.web.state_cookie import SignedStateCookie

logger = logging.getLogger(__name__)
ASGIRefusal = Callable[[Scope, Receive, Send], Awaitable[None]]
STORE_ERRORS = (OperationalError, InterfaceError, InternalError)


def refusal_page(code: str, api_refusal: ASGIRefusal) -> ASGIRefusal:
    """A limit's refusal (413, 431) as a page under /console, as problem+json elsewhere."""

    async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
        if not scope.get("path", "").startswith("/console"):
            await api_refusal(scope, receive, send)
            return
        # Only the language is read: the headers may be what was too large.
        request = Request({**scope, "headers": language_headers(scope["headers"])})
        problem = PROBLEMS[code]
        await page(request, "error.html", None, problem.status, problem=code)(scope, receive, send)

    return refuse


def install_console(app: FastAPI, settings: Settings) -> None:
    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console.state = app.state  # The same system, secret and limits as the API.
    app.state.console_oidc = provider_client(settings)
    # The provider sign-in's state (state, nonce, PKCE verifier) for ten minutes.
    console.add_middleware(
        SignedStateCookie,
        secret=lambda: app.state.jwt_secret,
        https=settings.public_url.startswith("https://"),
    )
    console.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in (signing.router, owner.router, staff.router, auditor.router, provider.router):
        console.include_router(router)
    _install_error_pages(console)
    app.mount("/console", console)

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return see_other("/console/")


async def error_page(request: Request, status_code: int, **message: Any) -> Response:
    """The error in the person's language, under the header of their session if they have one."""
    try:
        session = await run_in_threadpool(current_session, request)
    except (SignInRequiredError, *STORE_ERRORS):  # With the store down, still say what failed.
        session = None
    return page(request, "error.html", session, status_code, **message)


def _install_error_pages(console: FastAPI) -> None:
    async def sign_in(request: Request, _: Exception) -> Response:
        return see_other("/console/sign-in")

    async def cross_site(request: Request, _: Exception) -> Response:
        return await error_page(request, 403, alert="forbidden_form")

    async def mapped(request: Request, error: Exception) -> Response:
        code = problem_code(error) or "internal_error"
        return await error_page(request, PROBLEMS[code].status, problem=code)

    async def invalid(request: Request, error: Exception) -> Response:
        if isinstance(error, InvalidValueError):
            return await error_page(request, 422, invalid=error)
        return await error_page(request, 422, problem="validation_error")

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        # Starlette answers 400 for a form it cannot parse: for people that is invalid input.
        code = {404: "not_found", 405: "method_not_allowed"}.get(
            error.status_code, "validation_error"
        )
        status = error.status_code if error.status_code in (404, 405) else 422
        return await error_page(request, status, problem=code)

    async def rate_limited(request: Request, error: Exception) -> Response:
        assert isinstance(error, RateLimitedError)
        response = await error_page(request, 429, problem="rate_limited")
        response.headers["Retry-After"] = str(error.retry_after_seconds)
        return response

    async def store_down(request: Request, error: Exception) -> Response:
        logger.warning("event store unavailable: %s", error)
        return page(request, "error.html", None, 503, problem="store_unavailable")

    async def bug(request: Request, error: Exception) -> Response:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        return page(request, "error.html", None, 500, problem="internal_error")

    async def not_signed_in(request: Request, error: Exception) -> Response:
        logger.warning("console sign-in refused: %s", error)
        return page(request, "sign_in.html", None, 401, alert="provider_failed")

    async def provider_down(request: Request, error: Exception) -> Response:
        logger.warning("identity provider unreachable: %s", error)
        return await error_page(request, 503, problem="identity_provider_unavailable")

    console.add_exception_handler(httpx.HTTPError, provider_down)
    console.add_exception_handler(SignInRequiredError, sign_in)
    console.add_exception_handler(UnauthorizedError, not_signed_in)
    console.add_exception_handler(CrossSiteError, cross_site)
    for error_class in ERROR_CODES:
        console.add_exception_handler(error_class, mapped)
    console.add_exception_handler(RateLimitedError, rate_limited)
    console.add_exception_handler(InvalidValueError, invalid)
    console.add_exception_handler(RequestValidationError, invalid)
    console.add_exception_handler(StarletteHTTPException, http_error)
    for store_error in STORE_ERRORS:
        console.add_exception_handler(store_error, store_down)
    console.add_exception_handler(Exception, bug)
