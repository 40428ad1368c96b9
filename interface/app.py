"""The composition root: settings -> store -> application -> FastAPI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI

from application.bookings import PetBookings
from infrastructure.postgres_schema import ensure_schema
from interface.problems import install_problem_handlers
from interface.routes import booking_requests, health, pets
from interface.secret import jwt_secret
from interface.settings import Settings
from interface.store import Store, store_from_settings

logger = logging.getLogger(__name__)


def open_bookings(store: Store) -> PetBookings:
    """The application on the configured store, its tables created if missing."""
    if store.is_postgres and store.postgres_schema:
        env = store.env
        ensure_schema(
            host=env["POSTGRES_HOST"],
            port=int(env["POSTGRES_PORT"]),
            dbname=env["POSTGRES_DBNAME"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"],
            schema=store.postgres_schema,
        )
    return PetBookings(env=store.env)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service; nothing connects until the lifespan starts."""
    settings = settings or Settings()
    store = store_from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.jwt_secret = jwt_secret(settings, store)
        app.state.bookings = open_bookings(store)
        logger.info("pet-booking serving on %s", store.kind)
        try:
            yield
        finally:
            app.state.bookings.close()

    app = FastAPI(
        title="pet-booking",
        version=version("pet-booking"),
        summary="Veterinary booking requests, event-sourced: one pending request per pet.",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(pets.router)
    app.include_router(booking_requests.router)
    return app
