"""The original fix as a FastAPI service: `uvicorn bench.baseline.app:create_app --factory`.

The same contract subset as ours (register, request, cancel, pending list), the
same settings (BOOKING_DATABASE_URL with `?schema=`, BOOKING_JWT_SECRET,
BOOKING_POOL_SIZE / _MAX_OVERFLOW), the same JWT dependency, request models,
response models and problem+json handlers; only the storage differs: a CRUD
table whose partial unique index refuses a second pending request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any
from uuid import UUID

import psycopg
import psycopg_pool
from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse

from bench.baseline import queries
from bench.baseline.schema import create_schema
from interface.auth import TokenRules
from interface.http.cursor import decode_cursor, encode_cursor
from interface.http.deps import CurrentActor
from interface.http.problems import install_problem_handlers, problem_response
from interface.http.schemas import (
    BookingRequestCreate,
    CancelBody,
    PendingItemPublic,
    PendingPagePublic,
    PetCreate,
    RequestReceiptPublic,
)
from interface.identity.verifier import TokenVerifier
from interface.public import PetPublic
from interface.secret import jwt_secret
from interface.settings import Settings
from interface.store import store_from_settings

ConnectionPool = psycopg_pool.ConnectionPool[psycopg.Connection[Any]]


def get_pool(request: Request) -> ConnectionPool:
    pool: ConnectionPool = request.app.state.pool
    return pool


# Handlers take a connection inside their own thread and give it back there: a
# generator dependency holding one across FastAPI's threadpool hops deadlocks
# once more requests wait for a connection than the threadpool has threads.
Pool = Annotated[ConnectionPool, Depends(get_pool)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$"),
]
router = APIRouter()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.post("/pets", status_code=status.HTTP_201_CREATED)
def register_pet(body: PetCreate, actor: CurrentActor, pool: Pool, response: Response) -> PetPublic:
    with pool.connection() as db:
        row = queries.register_pet(db, actor, body.name, body.species, None)
    response.headers["Location"] = f"/pets/{row['pet_id']}"
    return PetPublic(**{name: row[name] for name in PetPublic.model_fields})


@router.post("/pets/{pet_id}/booking-requests", status_code=status.HTTP_201_CREATED)
def request_booking(
    pet_id: UUID,
    body: BookingRequestCreate,
    actor: CurrentActor,
    pool: Pool,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> RequestReceiptPublic:
    with pool.connection() as db:
        row = queries.request_booking(
            db,
            actor,
            pet_id,
            clinic_id=body.clinic_id,
            service=body.service,
            preferred_date=body.preferred_date,
            notes=body.notes,
            idempotency_key=idempotency_key,
        )
    response.headers["Location"] = f"/pets/{pet_id}"
    return _receipt(row)


@router.post("/pets/{pet_id}/booking-requests/{request_id}/cancel")
def cancel_booking(
    pet_id: UUID, request_id: UUID, actor: CurrentActor, pool: Pool, body: CancelBody | None = None
) -> RequestReceiptPublic:
    reason = body.reason if body is not None else None
    with pool.connection() as db:
        return _receipt(queries.cancel_booking(db, actor, pet_id, request_id, reason))


@router.get("/clinics/{clinic_id}/pending-requests")
def pending_requests(
    clinic_id: UUID,
    actor: CurrentActor,
    pool: Pool,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[str | None, Query(max_length=100)] = None,
    min_position: Annotated[int | None, Query(ge=0)] = None,  # Always met: CRUD is current.
) -> PendingPagePublic:
    with pool.connection() as db:
        page = queries.pending_requests(
            db, actor, clinic_id, limit=limit, after=decode_cursor(after)
        )
    items = page.rows[:limit]
    more = len(page.rows) > limit
    return PendingPagePublic(
        items=[
            PendingItemPublic(**{k: r[k] for k in PendingItemPublic.model_fields}) for r in items
        ],
        next=encode_cursor(items[-1]["position"]) if more else None,
        position=page.position,
    )


def _receipt(row: dict[str, Any]) -> RequestReceiptPublic:
    fields = {name: row.get(name) for name in RequestReceiptPublic.model_fields}
    return RequestReceiptPublic(**{**fields, "version": row["pet_version"]})


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the baseline service; the pool opens in the lifespan."""
    settings = settings or Settings()
    store = store_from_settings(settings)
    if not store.is_postgres or settings.jwt_secret is None:
        msg = "the baseline needs a postgresql:// BOOKING_DATABASE_URL and BOOKING_JWT_SECRET"
        raise SystemExit(msg)
    connect = store.postgres_connect_kwargs()
    schema = store.postgres_schema or "public"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with psycopg.connect(**connect, autocommit=True) as connection:
            create_schema(connection, schema)
        pool: ConnectionPool = psycopg_pool.ConnectionPool(
            kwargs={**connect, "autocommit": True, "options": f"-c search_path={schema}"},
            min_size=settings.pool_size,
            max_size=settings.pool_size + settings.pool_max_overflow,
            timeout=settings.pool_timeout_seconds,
            open=False,
        )
        pool.open(wait=True)
        app.state.pool = pool
        # What the shared bearer-token dependency (interface/http/deps.py) reads.
        app.state.jwt_secret = jwt_secret(settings, store)
        app.state.token_rules = TokenRules.of(settings)
        app.state.verifier = TokenVerifier.of(settings, app.state.jwt_secret)
        app.state.max_token_bytes = settings.max_token_bytes
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(title="pet-booking baseline (CRUD + partial unique index)", lifespan=lifespan)
    install_problem_handlers(app)

    async def store_down(request: Request, _: Exception) -> JSONResponse:
        return problem_response(request, "store_unavailable", headers={"Retry-After": "1"})

    app.add_exception_handler(psycopg.OperationalError, store_down)
    app.add_exception_handler(psycopg_pool.PoolTimeout, store_down)
    app.include_router(router)
    return app
