"""Every error as application/problem+json, its detail in Spanish or English."""

from __future__ import annotations

import logging
from typing import Any

from eventsourcing.persistence import InterfaceError, InternalError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from application.read_your_writes import PositionBeyondHeadError, ProjectionBehindError
from domain.pet import PendingRequestExistsError
from domain.values import InvalidValueError
from interface.auth import UnauthorizedError
from interface.language import language_headers, prefers_english
from interface.problem_catalogue import ERROR_CODES, PROBLEMS, problem_code
from interface.rate_limit import RateLimitedError

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
RETRY_AFTER_SECONDS = "1"


async def refuse_large_body(scope: Scope, receive: Receive, send: Send) -> None:
    await problem_response(Request(scope), "payload_too_large")(scope, receive, send)


async def refuse_large_headers(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request({**scope, "headers": language_headers(scope["headers"])})
    await problem_response(request, "headers_too_large")(scope, receive, send)


def problem_response(
    request: Request,
    code: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    problem = PROBLEMS[code]
    english = prefers_english(request.headers.get("accept-language"))
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.english if english else problem.spanish,
        "code": code,
        **(extra or {}),
    }
    return JSONResponse(
        body,
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={"Content-Language": "en" if english else "es", **(headers or {})},
    )


def _extra(error: Exception) -> dict[str, Any]:
    if isinstance(error, PendingRequestExistsError):
        # Lets the client show, or cancel, the request that is in the way.
        return {"pending_request_id": str(error.pending_request_id)}
    if isinstance(error, ProjectionBehindError):
        return {"position": error.reached, "min_position": error.wanted}
    return {}


def install_problem_handlers(app: FastAPI) -> None:
    async def on_mapped(request: Request, error: Exception) -> JSONResponse:
        # Starlette picks this handler along the same hierarchy, so a code is always found.
        code = problem_code(error)
        if code is None:
            raise error
        headers = {"Retry-After": RETRY_AFTER_SECONDS} if PROBLEMS[code].status == 503 else None
        return problem_response(request, code, _extra(error), headers)

    async def on_unauthorized(request: Request, _: Exception) -> JSONResponse:
        return problem_response(request, "unauthorized", headers={"WWW-Authenticate": "Bearer"})

    async def on_invalid(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        issues = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()
        ]
        return problem_response(request, "validation_error", {"errors": issues})

    async def on_http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        # Starlette answers 400 for bodies its JSON parser cannot read at all
        # (invalid UTF-8, absurd nesting): for clients that is invalid input too.
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            error.status_code, "validation_error"
        )
        return problem_response(request, code, headers=dict(error.headers or {}))

    async def on_store_down(request: Request, error: Exception) -> JSONResponse:
        logger.warning("event store unavailable: %s", error)
        return problem_response(
            request, "store_unavailable", headers={"Retry-After": RETRY_AFTER_SECONDS}
        )

    async def on_bug(request: Request, error: Exception) -> JSONResponse:
        # Logged with its traceback: a 500 is a bug to fix, never a hidden one.
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        return problem_response(request, "internal_error")

    for error_class in ERROR_CODES:
        app.add_exception_handler(error_class, on_mapped)

    async def on_beyond_head(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, PositionBeyondHeadError)
        issue = {
            "loc": ["query", "min_position"],
            "msg": f"beyond the log's head ({error.head}): no event has that position yet",
            "type": "value_error",
        }
        return problem_response(request, "validation_error", {"errors": [issue]})

    async def on_invalid_value(request: Request, error: Exception) -> JSONResponse:
        # The domain refused a field the boundary let through (a date outside the horizon).
        assert isinstance(error, InvalidValueError)
        issue = {"loc": ["body", error.field], "msg": error.reason, "type": "value_error"}
        return problem_response(request, "validation_error", {"errors": [issue]})

    async def on_rate_limited(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RateLimitedError)
        return problem_response(
            request, "rate_limited", headers={"Retry-After": str(error.retry_after_seconds)}
        )

    app.add_exception_handler(UnauthorizedError, on_unauthorized)
    app.add_exception_handler(RateLimitedError, on_rate_limited)
    app.add_exception_handler(InvalidValueError, on_invalid_value)
    app.add_exception_handler(PositionBeyondHeadError, on_beyond_head)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(OperationalError, on_store_down)
    app.add_exception_handler(InterfaceError, on_store_down)
    # A connection that broke mid-transaction can surface as an internal error.
    app.add_exception_handler(InternalError, on_store_down)
    app.add_exception_handler(Exception, on_bug)
