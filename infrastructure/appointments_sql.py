"""The appointments read tables in SQL: what the SQLite and PostgreSQL views do alike."""

from __future__ import annotations

from abc import abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projection import (
    AppointmentsView,
    PositionMovedError,
    ReadModel,
    ReadModelIntegrityError,
)
from application.read_model import (
    AppointmentRow,
    AppointmentUpdate,
    BatchChanges,
    ClinicRow,
    PendingItem,
    PetRow,
)
from infrastructure.appointments_statements import INSERTED, Statements, TableNames


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def execute(self, query: Any, params: Any = ...) -> Any: ...

    def executemany(self, query: Any, params_seq: Any) -> Any: ...

    def fetchall(self) -> list[Any]: ...


@dataclass(frozen=True)
class Tables:
    """Table and index names; a rebuild writes a second set beside the live one."""

    suffix: str = ""

    @property
    def appointments(self) -> str:
        return "appointments" + self.suffix

    @property
    def pets(self) -> str:
        return "appointment_pets" + self.suffix

    @property
    def tracking(self) -> str:
        return "appointment_tracking" + self.suffix

    @property
    def clinics(self) -> str:
        return "clinics" + self.suffix

    def names(self) -> list[str]:
        return [self.appointments, self.pets, self.tracking, self.clinics]

    @property
    def one_pending_index(self) -> str:
        return f"{self.appointments}_one_pending_per_pet"

    @property
    def pending_index(self) -> str:
        return f"{self.appointments}_pending_by_clinic"


class SqlAppointmentsView(AppointmentsView):
    """What both databases do alike; each says its statements (`statements_for`) plainly."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    @abstractmethod
    def statements_for(self, names: TableNames) -> Statements:
        """This database's statements over these tables."""

    @cached_property
    def statements(self) -> Statements:
        return self.statements_for(
            TableNames(
                pets=self.qualified(self.tables.pets),
                appointments=self.qualified(self.tables.appointments),
                tracking=self.qualified(self.tables.tracking),
                clinics=self.qualified(self.tables.clinics),
            )
        )

    @abstractmethod
    def transaction(self, *, commit: bool) -> AbstractContextManager[Cursor]:
        """A cursor in one transaction; read-model constraint errors as ReadModelIntegrityError."""

    @abstractmethod
    def qualified(self, name: str) -> str:
        """A quoted, fully qualified table name."""

    @staticmethod
    def quote(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    @abstractmethod
    def create_table(self) -> None: ...

    @abstractmethod
    def with_tables(self, tables: Tables) -> SqlAppointmentsView:
        """The same kind of view over another set of tables."""

    def lock_for_swap(self, cursor: Cursor) -> None:
        """Take the live tables before the swap drops them (a store that needs it)."""

    @abstractmethod
    def swap_indexes(self, cursor: Cursor, live: Tables, side: Tables) -> None:
        """Give the swapped-in tables' indexes their live names."""

    def fresh_copy(self) -> SqlAppointmentsView:
        rebuilt = self.with_tables(Tables(suffix="_rebuild"))
        with rebuilt.transaction(commit=True) as cursor:
            for name in rebuilt.tables.names():
                cursor.execute(f"DROP TABLE IF EXISTS {rebuilt.qualified(name)}")
        rebuilt.create_table()
        return rebuilt

    def replace_with(self, rebuilt: AppointmentsView) -> None:
        assert isinstance(rebuilt, type(self))
        live, side = self.tables, rebuilt.tables
        with self.transaction(commit=True) as cursor:
            self.lock_for_swap(cursor)
            for old, new in zip(live.names(), side.names(), strict=True):
                cursor.execute(f"DROP TABLE {self.qualified(old)}")
                cursor.execute(f"ALTER TABLE {self.qualified(new)} RENAME TO {self.quote(old)}")
            self.swap_indexes(cursor, live, side)

    @abstractmethod
    def to_db(self, value: Any) -> Any: ...

    @abstractmethod
    def pending_item(self, row: Any) -> PendingItem: ...

    @abstractmethod
    def appointment_row(self, row: Any) -> AppointmentRow: ...

    def params(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(self.to_db(v) for v in values)

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.transaction(commit=True) as cursor:
            self._move(cursor, tracking.notification_id, self._position(cursor))

    def max_tracking_id(self, application_name: str) -> int | None:
        with self.transaction(commit=False) as cursor:
            return self._position(cursor)

    def apply_batch(self, changes: BatchChanges, tracking: Tracking, expected: int) -> None:
        with self.transaction(commit=True) as cursor:
            # Compare-and-set first: a second worker's batch writes nothing at all.
            self._move(cursor, tracking.notification_id, expected)
            self._write(cursor, changes)

    def _position(self, cursor: Cursor) -> int:
        cursor.execute(self.statements.position)
        return int(cursor.fetchall()[0][0])

    def _move(self, cursor: Cursor, position: int, expected: int) -> None:
        cursor.execute(self.statements.move, (position, expected))
        if cursor.rowcount != 1:
            raise PositionMovedError(f"position is no longer {expected}")

    def _write(self, cursor: Cursor, changes: BatchChanges) -> None:
        pets = [
            (p.pet_id, p.owner_id, p.name, p.species, p.version) for p in changes.new_pets.values()
        ]
        updates = [_update_row(u) for u in changes.updates.values()]
        inserts = [tuple(getattr(r, c) for c in INSERTED) for r in changes.inserts.values()]
        versions = [(version, pet_id) for pet_id, version in changes.pet_versions.items()]
        statements = self.statements
        self._write_rows(cursor, "insert pets", statements.insert_pets, pets)
        # Updates first: they only take rows out of pending, so the unique index never clashes.
        self._write_rows(
            cursor, "update appointments", statements.update_appointments, updates, touches=True
        )
        self._write_rows(cursor, "insert appointments", statements.insert_appointments, inserts)
        self._write_rows(
            cursor, "update pet versions", statements.update_pet_versions, versions, touches=True
        )
        clinics = [
            (c.clinic_id, c.name, c.address, c.version) for c in changes.new_clinics.values()
        ]
        renames = [(r.name, r.version, r.clinic_id) for r in changes.clinic_renames.values()]
        self._write_rows(cursor, "insert clinics", statements.insert_clinics, clinics)
        self._write_rows(cursor, "rename clinics", statements.rename_clinics, renames, touches=True)

    def _write_rows(
        self,
        cursor: Cursor,
        what: str,
        statement: str,
        rows: list[tuple[Any, ...]],
        *,
        touches: bool = False,
    ) -> None:
        """Write `rows`; with `touches`, each must change exactly one existing row."""
        if not rows:
            return
        self.execute_rows(cursor, statement, rows)
        if touches and cursor.rowcount != len(rows):
            # A row the log says exists is not in the table: never carry on quietly.
            missing = len(rows) - cursor.rowcount
            raise ReadModelIntegrityError(f"{what}: {missing} of {len(rows)} rows missing")

    @abstractmethod
    def execute_rows(self, cursor: Cursor, statement: str, rows: list[tuple[Any, ...]]) -> None:
        """Write many rows with one statement, as the database does it best."""

    def pending_requests(
        self, clinic_id: UUID, *, limit: int, after_position: int
    ) -> tuple[int, list[PendingItem]]:
        with self.snapshot() as cursor:
            position = self._position(cursor)
            cursor.execute(
                self.statements.pending_list, self.params((clinic_id, after_position, limit))
            )
            return position, [self.pending_item(row) for row in cursor.fetchall()]

    def clinic_rows(self) -> list[ClinicRow]:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.statements.all_clinics)
            return [self.clinic(row) for row in cursor.fetchall()]

    def clinic_row(self, clinic_id: UUID) -> ClinicRow | None:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.statements.one_clinic, self.params((clinic_id,)))
            rows = cursor.fetchall()
        return self.clinic(rows[0]) if rows else None

    def clinic(self, row: Any) -> ClinicRow:
        return ClinicRow(self.uuid(row[0]), row[1], row[2], row[3])

    def read_model_at(self) -> tuple[int, ReadModel]:
        with self.snapshot() as cursor:
            position = self._position(cursor)
            cursor.execute(self.statements.all_pets)
            pets = [PetRow(self.uuid(r[0]), r[1], r[2], r[3], r[4]) for r in cursor.fetchall()]
            cursor.execute(self.statements.readable_appointments)
            appointments = [self.appointment_row(r) for r in cursor.fetchall()]
            cursor.execute(self.statements.unreadable_appointments)
            unreadable = {self.uuid(r[0]): self.uuid(r[1]) for r in cursor.fetchall()}
            cursor.execute(self.statements.all_clinics)
            clinics = [self.clinic(r) for r in cursor.fetchall()]
        return position, ReadModel(
            pets={p.pet_id: p for p in pets},
            appointments={a.request_id: a for a in appointments},
            unreadable=unreadable,
            clinics={c.clinic_id: c for c in clinics},
        )

    def snapshot(self) -> AbstractContextManager[Cursor]:
        """A read-only transaction whose statements all see the same data."""
        return self.transaction(commit=False)

    def uuid(self, value: Any) -> UUID:
        return value if isinstance(value, UUID) else UUID(value)


def _update_row(update: AppointmentUpdate) -> tuple[Any, ...]:
    return (
        update.status,
        update.cancelled_at,
        update.scheduling_status,
        update.scheduled_for,
        update.updated_at,
        update.pet_version,
        update.request_id,
    )
