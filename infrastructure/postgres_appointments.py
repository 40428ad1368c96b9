"""The appointments read tables on PostgreSQL, in the application's schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import IntegrityError
from eventsourcing.postgres import PostgresDatastore
from psycopg.rows import tuple_row

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
    postgres_statements,
)


class PostgresAppointmentsView(SqlAppointmentsView):
    def __init__(self, datastore: PostgresDatastore, tables: Tables | None = None) -> None:
        super().__init__(tables or Tables())
        self.datastore = datastore

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[Cursor]:
        try:
            with self.datastore.transaction(commit=commit) as cursor:
                # Tuples, not the pool's dict rows: the shared SQL reads columns by position.
                yield cursor.connection.cursor(row_factory=tuple_row)
        except IntegrityError as error:
            raise ReadModelIntegrityError(str(error)) from error

    @contextmanager
    def snapshot(self) -> Iterator[Cursor]:
        # READ COMMITTED gives each statement its own snapshot; one is needed here.
        with self.transaction(commit=False) as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield cursor

    def lock_for_swap(self, cursor: Cursor) -> None:
        # A reader takes the tracking table first (a page's position, then its rows, in
        # one snapshot). Taken in that order here too, a swap waits for such a reader
        # instead of holding the rows' table it needs: otherwise both wait, a deadlock.
        tables = self.tables
        names = (tables.tracking, tables.pets, tables.appointments, tables.clinics)
        assert sorted(names) == sorted(tables.names())
        locked = ", ".join(self.qualified(name) for name in names)
        cursor.execute(f"LOCK TABLE {locked} IN ACCESS EXCLUSIVE MODE")

    def create_table(self) -> None:
        with self.transaction(commit=True) as cursor:
            # Two processes creating the tables at once would race on the catalog.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self._schema_key(),))
            for statement in self._ddl(self.tables):
                cursor.execute(statement)

    def statements_for(self, names: TableNames) -> Statements:
        return postgres_statements(names)

    def execute_rows(self, cursor: Cursor, statement: str, rows: list[tuple[Any, ...]]) -> None:
        # One statement over arrays, column by column: one round trip per batch.
        columns = [list(column) for column in zip(*rows, strict=True)]
        cursor.execute(statement, columns)

    def qualified(self, name: str) -> str:
        return f"{self.quote(self.datastore.schema)}.{self.quote(name)}"

    def to_db(self, value: Any) -> Any:
        return value

    def pending_item(self, row: Any) -> PendingItem:
        return PendingItem(*row)

    def appointment_row(self, row: Any) -> AppointmentRow:
        return AppointmentRow(*row)

    def with_tables(self, tables: Tables) -> PostgresAppointmentsView:
        return PostgresAppointmentsView(self.datastore, tables)

    def swap_indexes(self, cursor: Cursor, live: Tables, side: Tables) -> None:
        for old, new in (
            (live.one_pending_index, side.one_pending_index),
            (live.pending_index, side.pending_index),
        ):
            cursor.execute(f"ALTER INDEX {self.qualified(new)} RENAME TO {self.quote(old)}")

    def _schema_key(self) -> str:
        # Not the leadership key: the elected worker holds that one for as long as it leads.
        return f"pet-booking:{self.datastore.schema}:{PROJECTION_NAME}:create-tables"

    def _ddl(self, tables: Tables) -> list[str]:
        pets, appointments = self.qualified(tables.pets), self.qualified(tables.appointments)
        return [
            create_table(pets, PET_COLUMNS, "postgres"),
            create_table(appointments, APPOINTMENT_COLUMNS, "postgres"),
            f"CREATE UNIQUE INDEX IF NOT EXISTS {self.quote(tables.one_pending_index)} "
            f"ON {appointments} (pet_id) WHERE {ONE_PENDING_WHERE}",
            f"CREATE INDEX IF NOT EXISTS {self.quote(tables.pending_index)} "
            f"ON {appointments} (clinic_id, requested_position) WHERE {PENDING_WHERE}",
            f"CREATE TABLE IF NOT EXISTS {self.qualified(tables.tracking)} "
            "(name text PRIMARY KEY, position bigint NOT NULL)",
            f"INSERT INTO {self.qualified(tables.tracking)} VALUES ('{PROJECTION_NAME}', 0) "
            "ON CONFLICT DO NOTHING",
            create_table(self.qualified(tables.clinics), CLINIC_COLUMNS, "postgres"),
        ]
