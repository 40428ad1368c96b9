"""The read tables' columns, once: both stores' DDL and the set-based statements use them.

A column per field of the application's rows (`PetRow`, `AppointmentRow`, `ClinicRow`);
tests/unit/test_read_table_columns.py fails when a field has no column here or
a column no field. Adding a field to a booking request therefore touches the
event, the view and row (application/), this list, and a migration of the
existing tables (or `booking rebuild`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dialect = Literal["postgres", "sqlite"]
REQUIRED = "NOT NULL"
OPTIONAL = ""


@dataclass(frozen=True)
class Column:
    name: str
    postgres: str
    sqlite: str
    constraint: str = REQUIRED

    def type_in(self, dialect: Dialect) -> str:
        return self.postgres if dialect == "postgres" else self.sqlite

    def definition(self, dialect: Dialect) -> str:
        return " ".join(
            part for part in (self.name, self.type_in(dialect), self.constraint) if part
        )


def _uuid(name: str, constraint: str = REQUIRED) -> Column:
    # SQLite has no uuid type: the library, and we, keep UUIDs as text there.
    return Column(name, "uuid", "TEXT", constraint)


def _text(name: str, constraint: str = REQUIRED) -> Column:
    return Column(name, "text", "TEXT", constraint)


def _time(name: str, constraint: str = REQUIRED) -> Column:
    # ISO 8601 text in SQLite, which sorts and compares as the instants do.
    return Column(name, "timestamptz", "TEXT", constraint)


PET_COLUMNS: tuple[Column, ...] = (
    _uuid("pet_id", "PRIMARY KEY"),
    _text("owner_id"),
    _text("name"),
    _text("species"),
    Column("version", "integer", "INTEGER"),
)

APPOINTMENT_COLUMNS: tuple[Column, ...] = (
    _uuid("request_id", "PRIMARY KEY"),
    _uuid("pet_id"),
    _text("owner_id"),
    _uuid("clinic_id"),
    _text("service"),
    Column("preferred_date", "date", "TEXT", OPTIONAL),
    _text("notes", OPTIONAL),
    _text(
        "scheduling_status",
        "NOT NULL CHECK (scheduling_status IN ('pending_scheduling', 'scheduled'))",
    ),
    _text("status", "NOT NULL CHECK (status IN ('active', 'cancelled'))"),
    _time("requested_at"),
    _time("scheduled_for", OPTIONAL),
    _time("cancelled_at", OPTIONAL),
    _time("updated_at"),
    Column("pet_version", "integer", "INTEGER"),
    Column("requested_position", "bigint", "INTEGER"),
)

CLINIC_COLUMNS: tuple[Column, ...] = (
    _uuid("clinic_id", "PRIMARY KEY"),
    _text("name"),
    _text("address"),
    Column("version", "integer", "INTEGER"),
)

APPOINTMENT_TYPES = {column.name: column.postgres for column in APPOINTMENT_COLUMNS}
PET_TYPES = [(column.name, column.postgres) for column in PET_COLUMNS]


def create_table(qualified_name: str, columns: tuple[Column, ...], dialect: Dialect) -> str:
    definitions = ", ".join(column.definition(dialect) for column in columns)
    return f"CREATE TABLE IF NOT EXISTS {qualified_name} ({definitions})"
