"""Event logs in bulk: real events, encoded by our own mapper, COPYed into the events table.

Writing a million events through the application would take longer than the
whole benchmark; here each pet's events come from the domain (so their hash
chains are valid and they decode like any stored event), the application's
mapper encodes them (same transcodings, same JSON), and binary COPY writes
them. Two processes share the work. Positions come from the table's sequence,
as they would.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from uuid import UUID, uuid4

import psycopg
from eventsourcing.persistence import Mapper
from psycopg import sql

from application.bookings import PetBookings
from bench.seed import our_application, owner_of, settle
from domain.pet import Pet

CHUNK = 5_000  # pets per COPY
TABLE = "petbookings_events"
CLINIC = UUID("6f1c2a44-5b7e-4c2d-9a51-0d6f3e8b9c10")


@dataclass(frozen=True)
class LoggedPet:
    pet_id: UUID
    events: int
    pending: UUID | None  # the request left pending, if the last event is a request


def copy_pets(
    url: str, secret: str, schema: str, pets: int, events_per_pet: int, processes: int = 2
) -> list[LoggedPet]:
    """`pets` pets of `events_per_pet` events each (Registered, then request, cancel, ...)."""
    with our_application(url, secret):
        pass  # The tables, created once before the writers start.
    shares = [pets // processes + (1 if i < pets % processes else 0) for i in range(processes)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        parts = pool.map(
            _copy_share,
            [url] * processes,
            [schema] * processes,
            shares,
            [events_per_pet] * processes,
        )
        logged = [pet for part in parts for pet in part]
    settle(url, secret)
    return logged


def _copy_share(url: str, schema: str, pets: int, events_per_pet: int) -> list[LoggedPet]:
    mapper = stored_event_mapper()
    statement = sql.SQL(
        "COPY {} (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
    ).format(sql.Identifier(schema, TABLE))
    logged: list[LoggedPet] = []
    with psycopg.connect(url.split("?", 1)[0], autocommit=True) as connection:
        for start in range(0, pets, CHUNK):
            batch = [new_pet(events_per_pet) for _ in range(min(CHUNK, pets - start))]
            with connection.cursor() as cursor, cursor.copy(statement) as copy:
                copy.set_types(["uuid", "int8", "text", "bytea"])
                for pet, _ in batch:
                    for event in pet.collect_events():
                        stored = mapper.to_stored_event(event)
                        copy.write_row(
                            (stored.originator_id, stored.originator_version, stored.topic,
                             stored.state)
                        )  # fmt: skip
            logged += [LoggedPet(pet.id, events_per_pet, pending) for pet, pending in batch]
    return logged


def stored_event_mapper() -> Mapper[UUID]:
    """The application's mapper, from an in-memory instance: it needs no database."""
    app = PetBookings(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    mapper = app.mapper
    app.close()
    return mapper


def new_pet(events: int) -> tuple[Pet, UUID | None]:
    """A pet of `events` events, not yet stored, and the request it left pending (if any)."""
    pet_id = uuid4()
    owner = owner_of(pet_id)
    pet = Pet.register(pet_id, owner, "Rex", "dog")
    pending = None
    for version in range(2, events + 1):
        if pending is None:
            pending = _request(pet, owner, version)
        else:
            pet.cancel(pending, reason=None, cancelled_by=owner)
            pending = None
    return pet, pending


def _request(pet: Pet, owner: str, version: int) -> UUID:
    request = pet.request_booking(
        request_id=uuid4(),
        clinic_id=CLINIC,
        service="vaccination",
        preferred_date=None,
        notes=f"visit {version}",
        requested_by=owner,
        idempotency_key=None,
    )
    return request.request_id


def split_by(pets: Sequence[LoggedPet], parts: int) -> Iterator[list[LoggedPet]]:
    """`parts` disjoint shares of the pets, one per thread."""
    for index in range(parts):
        yield list(pets[index::parts])
