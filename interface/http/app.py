"""The HTTP API and the console it serves: one app whose lifespan runs the composition root."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from interface.auth import TokenRules
from interface.bootstrap import bootstrap, token_secret
from interface.console_side import open_console_side
from interface.http.docs import install_docs
from interface.http.limits import BodySizeLimit, HeaderSizeLimit
from interface.http.observability import Metrics, RequestObserver
from interface.http.openapi import finish_document
from interface.http.problems import (
    install_problem_handlers,
    refuse_large_body,
    refuse_large_headers,
)
from interface.http.routes import booking_requests, clinics, events, health, history, pets
from interface.http.routes import metrics as metrics_route
from interface.http.security import HardenedFastAPI
from interface.identity.verifier import TokenVerifier
from interface.rate_limit import RateLimiter
from interface.settings import Settings
from interface.web.console import install_console, refusal_page

logger = logging.getLogger(__name__)

TAGS = [
    {"name": "pets", "description": "Owners register pets; a pet is one event stream."},
    {
        "name": "booking requests",
        "description": "Ask a clinic for an appointment, cancel, schedule: "
        "at most one pending request per pet.",
    },
    {"name": "clinics", "description": "Staff: their clinic's pending list, a projection."},
    {"name": "audit", "description": "Auditors (and owners, for their pets): the event log."},
    {"name": "operations", "description": "Liveness, readiness and metrics."},
]


class BookingAPI(HardenedFastAPI):
    """The service's app: its document finished for client generators."""

    def openapi(self) -> dict[str, Any]:
        if not self.openapi_schema:
            self.openapi_schema = finish_document(super().openapi())
        return self.openapi_schema


def operation_id(route: APIRoute) -> str:
    # Generated clients name their methods after it: `register_pet`, not the URL.
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service; nothing connects until the lifespan starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.jwt_secret = token_secret(settings)
        app.state.token_rules = TokenRules.of(settings)
        app.state.verifier = TokenVerifier.of(settings, app.state.jwt_secret)
        follow = settings.projection == "inprocess"
        with bootstrap(settings, follow=follow, observer=metrics) as system:
            app.state.system = system
            app.state.console = open_console_side(system)
            metrics.watch(system)
            logger.info(
                "pet-booking serving on %s, projection %s", system.store.kind, settings.projection
            )
            yield

    metrics = Metrics()
    app = BookingAPI(
        title="pet-booking",
        version=version("pet-booking"),
        summary="Veterinary booking requests, event-sourced: one pending request per pet.",
        openapi_tags=TAGS,
        servers=[{"url": "/", "description": "The service that serves this document"}],
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
        # FastAPI's own pages load scripts from a CDN; install_docs serves /docs from here.
        docs_url=None,
        redoc_url=None,
    )
    app.state.metrics = metrics
    app.state.settings = settings
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app.state.max_token_bytes = settings.max_token_bytes
    install_problem_handlers(app)
    # The last added is outermost: every response, 413s and 431s too, gets an id and a log line.
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        refuse=refusal_page("payload_too_large", refuse_large_body),
    )
    app.add_middleware(
        HeaderSizeLimit,
        max_bytes=settings.max_header_bytes,
        refuse=refusal_page("headers_too_large", refuse_large_headers),
    )
    app.add_middleware(RequestObserver, metrics=metrics)
    app.include_router(health.router)
    app.include_router(metrics_route.router)
    app.include_router(pets.router)
    app.include_router(booking_requests.router)
    app.include_router(clinics.router)
    app.include_router(history.router)
    app.include_router(events.router)
    install_docs(app)
    install_console(app, settings)
    return app
