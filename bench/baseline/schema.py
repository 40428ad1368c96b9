"""The original fix's tables: pets, and appointments with the partial unique index."""

from __future__ import annotations

import psycopg
from psycopg import sql

PENDING = "scheduling_status = 'pending_scheduling' AND status <> 'cancelled'"
LISTED = "scheduling_status = 'pending_scheduling' AND status = 'active'"

_DDL = [
    "CREATE SEQUENCE IF NOT EXISTS {schema}.positions",
    "CREATE TABLE IF NOT EXISTS {schema}.pets ("
    " pet_id uuid PRIMARY KEY, owner_id text NOT NULL, name text NOT NULL,"
    " species text NOT NULL, version integer NOT NULL DEFAULT 1)",
    "CREATE TABLE IF NOT EXISTS {schema}.appointments ("
    " request_id uuid PRIMARY KEY, pet_id uuid NOT NULL REFERENCES {schema}.pets,"
    " clinic_id uuid NOT NULL, service text NOT NULL, preferred_date date, notes text,"
    " scheduling_status text NOT NULL DEFAULT 'pending_scheduling',"
    " status text NOT NULL DEFAULT 'active', requested_at timestamptz NOT NULL DEFAULT now(),"
    " requested_by text NOT NULL, idempotency_key text, cancelled_at timestamptz,"
    " cancel_reason text, pet_version integer NOT NULL, position bigint NOT NULL)",
    # The whole fix: at most one pending request per pet, enforced by the database.
    "CREATE UNIQUE INDEX IF NOT EXISTS appointments_one_pending_per_pet"
    f" ON {{schema}}.appointments (pet_id) WHERE {PENDING}",
    "CREATE INDEX IF NOT EXISTS appointments_pending_by_clinic"
    f" ON {{schema}}.appointments (clinic_id, position) WHERE {LISTED}",
]


def create_schema(connection: psycopg.Connection[tuple[object, ...]], schema: str) -> None:
    """Create the schema and its tables if missing (idempotent)."""
    name = sql.Identifier(schema)
    with connection.transaction():
        # Two workers starting at once would race on the catalog.
        connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"baseline:{schema}",))
        connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(name))
        for statement in _DDL:
            connection.execute(sql.SQL(statement).format(schema=name))
