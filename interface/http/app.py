"""The composition root: settings -> store -> application -> FastAPI."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI

from application.bookings import PetBookings
from domain.values import BookingHorizon
from infrastructure.postgres_schema import schema_prepared
from interface.auth import TokenRules
from interface.http.docs import install_docs
from interface.http.limits import BodySizeLimit, HeaderSizeLimit, RateLimiter
from interface.http.observability import Metrics, RequestObserver
from interface.http.problems import (
    install_problem_handlers,
    refuse_large_body,
    refuse_large_headers,
)
from interface.http.routes import booking_requests, clinics, events, health, history, pets
from interface.http.routes import metrics as metrics_route
from interface.http.security import HardenedFastAPI
from interface.read_side import build_read_side
from interface.secret import jwt_secret
from interface.settings import Settings
from interface.store import Store, create_sqlite_file, store_from_settings

logger = logging.getLogger(__name__)


def open_bookings(store: Store) -> PetBookings:
    """The application on the configured store, its tables created if missing."""
    create_sqlite_file(store)
    prepared = (
        schema_prepared(store.postgres_connect_kwargs(), store.postgres_schema or "public")
        if store.is_postgres
        else contextlib.nullcontext()
    )
    with prepared:
        return PetBookings(env=store.env)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    store = store_from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.jwt_secret = jwt_secret(settings, store)
        app.state.token_rules = TokenRules.of(settings)
        app.state.bookings = bookings = open_bookings(store)
        follow = settings.projection == "inprocess"
        app.state.read_side = read_side = build_read_side(store, bookings, settings, follow=follow)
        bookings.observer = metrics
        bookings.horizon = BookingHorizon(days_ahead=settings.horizon_days)
        metrics.watch(bookings, read_side)
        if follow:
            read_side.start()
        logger.info("pet-booking serving on %s, projection %s", store.kind, settings.projection)
        try:
            yield
        finally:
            read_side.stop()
            bookings.close()

    metrics = Metrics()
    app = HardenedFastAPI(
        title="pet-booking",
        version=version("pet-booking"),
        summary="Veterinary booking requests, event-sourced: one pending request per pet.",
        lifespan=lifespan,
        # FastAPI's own pages load scripts from a CDN; install_docs serves /docs from here.
        docs_url=None,
        redoc_url=None,
    )
    app.state.metrics = metrics
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app.state.max_token_bytes = settings.max_token_bytes
    install_problem_handlers(app)
    # The last added is outermost: every response, 413s and 431s too, gets an id and a log line.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, refuse=refuse_large_body)
    app.add_middleware(
        HeaderSizeLimit, max_bytes=settings.max_header_bytes, refuse=refuse_large_headers
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
    return app
