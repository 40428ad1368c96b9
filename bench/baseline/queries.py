"""The original fix's SQL: one statement per booking, the database enforcing the rule.

Errors are the service's own (`PendingRequestExistsError` ...), so the shared
problem+json handlers answer exactly as ours do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg import errors
from psycopg.rows import dict_row

from application.access import Actor, Role
from application.errors import ForbiddenError, PetAlreadyExistsError, PetNotFoundError
from bench.baseline.schema import LISTED, PENDING
from domain.pet import (
    IdempotencyKeyReusedError,
    NotCancellableError,
    PendingRequestExistsError,
    RequestNotFoundError,
)

Connection = psycopg.Connection[Any]

_BOOK = (
    "WITH pet AS (UPDATE pets SET version = version + 1"
    " WHERE pet_id = %(pet_id)s AND owner_id = %(owner)s RETURNING pet_id, version)"
    " INSERT INTO appointments (request_id, pet_id, clinic_id, service, preferred_date, notes,"
    " requested_by, idempotency_key, pet_version, position)"
    " SELECT %(request_id)s, pet.pet_id, %(clinic_id)s, %(service)s, %(preferred_date)s,"
    " %(notes)s, %(owner)s, %(key)s, pet.version, nextval('positions') FROM pet"
    " RETURNING *"
)
_PENDING_OF_PET = f"SELECT * FROM appointments WHERE pet_id = %s AND {PENDING}"
_BY_KEY = "SELECT * FROM appointments WHERE pet_id = %s AND idempotency_key = %s"
_LIST = (
    "SELECT a.request_id, a.pet_id, p.name AS pet_name, p.owner_id, a.service,"
    " a.preferred_date, a.notes, a.requested_at, a.position FROM appointments a"
    f" JOIN pets p USING (pet_id) WHERE a.clinic_id = %s AND {LISTED} AND a.position > %s"
    " ORDER BY a.position LIMIT %s"
)


def register_pet(
    conn: Connection, actor: Actor, name: str, species: str, pet_id: UUID | None = None
) -> dict[str, Any]:
    actor.require(Role.OWNER)
    pet_id = pet_id or uuid4()
    try:
        with conn.cursor(row_factory=dict_row) as cursor:
            cursor.execute(
                "INSERT INTO pets (pet_id, owner_id, name, species) VALUES (%s, %s, %s, %s)"
                " RETURNING *",
                (pet_id, actor.sub, name, species),
            )
            row = cursor.fetchone()
    except errors.UniqueViolation:
        raise PetAlreadyExistsError(pet_id) from None
    assert row is not None
    return row


def request_booking(
    conn: Connection,
    actor: Actor,
    pet_id: UUID,
    *,
    clinic_id: UUID,
    service: str,
    preferred_date: date | None,
    notes: str | None,
    idempotency_key: str | None,
) -> dict[str, Any]:
    """INSERT, and let the partial unique index refuse a second pending request (23505)."""
    actor.require(Role.OWNER)
    params = {
        "pet_id": pet_id,
        "owner": actor.sub,
        "request_id": uuid4(),
        "clinic_id": clinic_id,
        "service": service,
        "preferred_date": preferred_date,
        "notes": notes,
        "key": idempotency_key,
    }
    with conn.cursor(row_factory=dict_row) as cursor:
        try:
            cursor.execute(_BOOK, params)
        except errors.UniqueViolation:
            return _replay_or_raise(cursor, params)
        row = cursor.fetchone()
    if row is None:  # No such pet, or another owner's: the same 404.
        raise PetNotFoundError(pet_id)
    return row


def _replay_or_raise(
    cursor: psycopg.Cursor[dict[str, Any]], params: dict[str, Any]
) -> dict[str, Any]:
    """The index refused the row: an idempotent retry gets the original, anyone else a 409."""
    key = params["key"]
    if key is not None:
        cursor.execute(_BY_KEY, (params["pet_id"], key))
        if (earlier := cursor.fetchone()) is not None:
            if any(earlier[k] != params[k] for k in ("clinic_id", "service", "notes")):
                raise IdempotencyKeyReusedError(key)
            return earlier
    cursor.execute(_PENDING_OF_PET, (params["pet_id"],))
    pending = cursor.fetchone()
    raise PendingRequestExistsError(pending["request_id"] if pending else params["request_id"])


def cancel_booking(
    conn: Connection, actor: Actor, pet_id: UUID, request_id: UUID, reason: str | None
) -> dict[str, Any]:
    actor.require(Role.OWNER, Role.STAFF)
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cursor:
        cursor.execute(
            "SELECT a.clinic_id, a.status, p.owner_id FROM pets p LEFT JOIN appointments a"
            " ON a.pet_id = p.pet_id AND a.request_id = %s WHERE p.pet_id = %s FOR UPDATE OF p",
            (request_id, pet_id),
        )
        found = cursor.fetchone()
        if found is None or (actor.role is Role.OWNER and found["owner_id"] != actor.sub):
            raise PetNotFoundError(pet_id)
        if found["status"] is None:
            raise RequestNotFoundError(request_id)
        if actor.role is Role.STAFF and actor.clinic_id != found["clinic_id"]:
            raise ForbiddenError("staff of another clinic")
        if found["status"] == "cancelled":
            raise NotCancellableError(request_id)
        cursor.execute(
            "WITH pet AS (UPDATE pets SET version = version + 1 WHERE pet_id = %s"
            " RETURNING version) UPDATE appointments SET status = 'cancelled',"
            " cancelled_at = now(), cancel_reason = %s, position = nextval('positions'),"
            " pet_version = (SELECT version FROM pet) WHERE request_id = %s RETURNING *",
            (pet_id, reason, request_id),
        )
        row = cursor.fetchone()
    assert row is not None
    return row


@dataclass(frozen=True)
class PendingPage:
    rows: list[dict[str, Any]]
    position: int


def pending_requests(
    conn: Connection, actor: Actor, clinic_id: UUID, *, limit: int, after: int
) -> PendingPage:
    actor.require(Role.STAFF)
    actor.require_clinic(clinic_id)
    with conn.cursor(row_factory=dict_row) as cursor:
        cursor.execute(_LIST, (clinic_id, after, limit + 1))
        rows = cursor.fetchall()
        # A CRUD table is always current: the position is simply the newest one issued.
        cursor.execute("SELECT last_value FROM positions")
        head = cursor.fetchone()
    return PendingPage(rows=rows, position=int(head["last_value"]) if head else 0)
