"""The appointments read tables on SQLite, in the application's own database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.sqlite import SQLiteDatastore

from application.projection import PROJECTION_NAME, ReadModelIntegrityError
from application.read_model import AppointmentRow, PendingItem
from infrastructure.appointments_columns import (
    APPOINTMENT_COLUMNS,
    CLINIC_COLUMNS,
    PET_COLUMNS,
    create_table,
)
from infrastructure.appointments_sql import Cursor, SqlAppointmentsView, Tables
from infrastructure.appointments_statements import (
    ONE_PENDING_WHERE,
    PENDING_WHERE,
    Statements,
    TableNames,
    sqlite_statements,
)


class SQLiteAppointmentsView(SqlAppointmentsView):
    def __init__(self, datastore: SQLiteDatastore, tables: Tables | None = None) -> None:
        super().__init__(tables or Tables())
        self.datastore = datastore

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[Cursor]:
        try:
            with self.datastore.transaction(commit=commit) as cursor:
                # The library's wrapper hides rowcount, which the compare-and-set needs.
                yield cursor.sqlite_cursor
        except (sqlite3.IntegrityError, IntegrityError) as error:
            raise ReadModelIntegrityError(str(error)) from error

    def create_table(self) -> None:
        with self.transaction(commit=True) as cursor:
            for statement in self._ddl(self.tables):
                cursor.execute(statement)

    def statements_for(self, names: TableNames) -> Statements:
        return sqlite_statements(names)

    def execute_rows(self, cursor: Cursor, statement: str, rows: list[tuple[Any, ...]]) -> None:
        cursor.executemany(statement, [self.params(row) for row in rows])

    def qualified(self, name: str) -> str:
        return self.quote(name)

    def to_db(self, value: Any) -> Any:
        if isinstance(value, UUID):
            return str(value)
        if isinstance(value, date):  # datetime too: both as ISO 8601 text
            return value.isoformat()
        return value

    def pending_item(self, row: Any) -> PendingItem:
        return PendingItem(
            request_id=UUID(row[0]),
            pet_id=UUID(row[1]),
            pet_name=row[2],
            owner_id=row[3],
            service=row[4],
            preferred_date=_date(row[5]),
            notes=row[6],
            requested_at=datetime.fromisoformat(row[7]),
            requested_position=row[8],
        )

    def appointment_row(self, row: Any) -> AppointmentRow:
        (request_id, pet_id, clinic_id, service, preferred_date, notes, scheduling) = row[:7]
        (status, requested, scheduled, cancelled, updated, version, position, owner_id) = row[7:]
        return AppointmentRow(
            request_id=UUID(request_id),
            pet_id=UUID(pet_id),
            owner_id=owner_id,
            clinic_id=UUID(clinic_id),
            service=service,
            preferred_date=_date(preferred_date),
            notes=notes,
            scheduling_status=scheduling,
            status=status,
            requested_at=datetime.fromisoformat(requested),
            scheduled_for=_datetime(scheduled),
            cancelled_at=_datetime(cancelled),
            updated_at=datetime.fromisoformat(updated),
            pet_version=version,
            requested_position=position,
        )

    def with_tables(self, tables: Tables) -> SQLiteAppointmentsView:
        return SQLiteAppointmentsView(self.datastore, tables)

    def swap_indexes(self, cursor: Cursor, live: Tables, side: Tables) -> None:
        # SQLite cannot rename an index: build them again under their live names.
        cursor.execute(f"DROP INDEX {self.quote(side.one_pending_index)}")
        cursor.execute(f"DROP INDEX {self.quote(side.pending_index)}")
        for statement in self._ddl(live):
            cursor.execute(statement)

    @staticmethod
    def _ddl(tables: Tables) -> list[str]:
        q = '"{}"'.format
        return [
            create_table(q(tables.pets), PET_COLUMNS, "sqlite"),
            create_table(q(tables.appointments), APPOINTMENT_COLUMNS, "sqlite"),
            f"CREATE UNIQUE INDEX IF NOT EXISTS {q(tables.one_pending_index)} "
            f"ON {q(tables.appointments)} (pet_id) WHERE {ONE_PENDING_WHERE}",
            f"CREATE INDEX IF NOT EXISTS {q(tables.pending_index)} "
            f"ON {q(tables.appointments)} (clinic_id, requested_position) WHERE {PENDING_WHERE}",
            f"CREATE TABLE IF NOT EXISTS {q(tables.tracking)} "
            "(name TEXT PRIMARY KEY, position INTEGER NOT NULL)",
            f"INSERT INTO {q(tables.tracking)} VALUES ('{PROJECTION_NAME}', 0) "
            "ON CONFLICT DO NOTHING",
            create_table(q(tables.clinics), CLINIC_COLUMNS, "sqlite"),
        ]


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
