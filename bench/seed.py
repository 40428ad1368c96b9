"""Data the scenarios start from, written in bulk (many pets per transaction)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg import sql

from application.access import Role
from application.bookings import PetBookings
from bench.baseline.schema import create_schema
from bench.pg import BenchDatabase
from domain.pet import Pet
from interface.auth import mint_token
from interface.bootstrap import open_bookings
from interface.settings import Settings
from interface.store import store_from_settings

OWNER_SUB = "bench-owner"
CHUNK = 500
TOKEN_TTL_SECONDS = 6 * 3600


def owner_of(pet_id: UUID) -> str:
    """Every pet has an owner of its own, as in life (and as the per-owner rate limit expects)."""
    return f"owner-{pet_id}"


def open_ours(url: str, secret: str) -> PetBookings:
    """Our application on `url`, its tables created if missing."""
    return open_bookings(store_from_settings(Settings(database_url=url, jwt_secret=secret)))


@contextmanager
def our_application(url: str, secret: str) -> Iterator[PetBookings]:
    """Our application on `url`, closed afterwards."""
    bookings = open_ours(url, secret)
    try:
        yield bookings
    finally:
        bookings.close()


def register_our_pets(url: str, secret: str, count: int) -> list[UUID]:
    """`count` pets, each of its own owner, saved straight through the application."""
    with our_application(url, secret) as bookings:
        ids = save_pets(bookings, count, with_request=False)
    settle(url, secret)
    return ids


def settle(url: str, secret: str) -> None:
    """VACUUM ANALYZE the events table, as a maintained database would be.

    The PostgreSQL here runs with autovacuum off: without this a freshly
    bulk-loaded table has no statistics and no visibility map.
    """
    store = store_from_settings(Settings(database_url=url, jwt_secret=secret))
    if not store.is_postgres:
        return
    table = sql.Identifier(store.postgres_schema or "public", "petbookings_events")
    with psycopg.connect(**store.postgres_connect_kwargs(), autocommit=True) as connection:
        connection.execute(sql.SQL("VACUUM ANALYZE {}").format(table))


def save_pets(bookings: PetBookings, count: int, *, with_request: bool) -> list[UUID]:
    ids: list[UUID] = []
    for start in range(0, count, CHUNK):
        batch = [_new_pet(with_request) for _ in range(min(CHUNK, count - start))]
        bookings.save(*batch)
        ids.extend(pet.id for pet in batch)
    return ids


def _new_pet(with_request: bool) -> Pet:
    pet_id = uuid4()
    pet = Pet.register(pet_id, owner_of(pet_id), "Rex", "dog")
    if with_request:
        pet.request_booking(
            request_id=uuid4(),
            clinic_id=uuid4(),
            service="vaccination",
            preferred_date=None,
            notes=None,
            requested_by=owner_of(pet_id),
            idempotency_key=None,
        )
    return pet


def write_event_log(url: str, secret: str, events: int, processes: int = 2) -> int:
    """About `events` events (a Registered and a BookingRequested per pet), in parallel."""
    with our_application(url, secret):
        pass  # Create the tables once, before the writers start.
    pets = events // 2
    shares = [pets // processes + (1 if i < pets % processes else 0) for i in range(processes)]
    context = multiprocessing.get_context("spawn")
    opening = context.Lock()
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=_share_lock, initargs=(opening,)
    ) as pool:
        written = sum(pool.map(_write_share, [url] * processes, [secret] * processes, shares))
    settle(url, secret)
    return 2 * written


_opening: Any = None


def _share_lock(lock: Any) -> None:
    global _opening  # Set once in each worker process, by the pool's initializer.
    _opening = lock


def _write_share(url: str, secret: str, pets: int) -> int:
    # The library's start-up runs CREATE OR REPLACE FUNCTION even when everything exists,
    # and two processes doing so at once fail with "tuple concurrently updated".
    with _opening:
        bookings = open_ours(url, secret)
    try:
        return len(save_pets(bookings, pets, with_request=True))
    finally:
        bookings.close()


def register_baseline_pets(database: BenchDatabase, schema: str, count: int) -> list[UUID]:
    """`count` rows in the baseline's pets table, with COPY."""
    ids = [uuid4() for _ in range(count)]
    with database.connect() as connection:
        create_schema(connection, schema)
        with (
            connection.cursor() as cursor,
            cursor.copy(
                f'COPY "{schema}".pets (pet_id, owner_id, name, species) FROM STDIN'
            ) as copy,
        ):
            for pet_id in ids:
                copy.write_row((pet_id, owner_of(pet_id), "Rex", "dog"))
        connection.execute(f'VACUUM ANALYZE "{schema}".pets')
    return ids


def write_pet_file(path: Path, ids: Sequence[UUID], secret: str) -> Path:
    """One line per pet for wrk: its id and its owner's bearer token."""
    lines = (f"{pet_id} {owner_token(secret, pet_id)}\n" for pet_id in ids)
    path.write_text("".join(lines))
    return path


def owner_token(secret: str, pet_id: UUID) -> str:
    return mint_token(secret, role=Role.OWNER, sub=owner_of(pet_id), ttl_seconds=TOKEN_TTL_SECONDS)
