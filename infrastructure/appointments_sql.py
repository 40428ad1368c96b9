"""The appointments read tables in SQL, shared by the SQLite and PostgreSQL views."""

from __future__ import annotations

from abc import abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projection import (
    PROJECTION_NAME,
    AppointmentsView,
    PositionMovedError,
    ReadModel,
    ReadModelIntegrityError,
)
from application.read_model import (
    ACTIVE,
    EARLIEST_STORED,
    LATEST_STORED,
    PENDING,
    AppointmentRow,
    AppointmentUpdate,
    BatchChanges,
    NewAppointment,
    PendingItem,
    PetRow,
)
from infrastructure.appointments_columns import APPOINTMENT_TYPES, PET_TYPES

APPOINTMENT_COLUMNS = ", ".join(AppointmentRow.__dataclass_fields__)
NEW_APPOINTMENT_COLUMNS = list(NewAppointment.__dataclass_fields__)
PENDING_WHERE = f"scheduling_status = '{PENDING}' AND status = '{ACTIVE}'"
# The original fix's partial unique index, kept as defence in depth.
ONE_PENDING_WHERE = f"scheduling_status = '{PENDING}' AND status <> 'cancelled'"


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

    def names(self) -> list[str]:
        return [self.appointments, self.pets, self.tracking]

    @property
    def one_pending_index(self) -> str:
        return f"{self.appointments}_one_pending_per_pet"

    @property
    def pending_index(self) -> str:
        return f"{self.appointments}_pending_by_clinic"


class SqlAppointmentsView(AppointmentsView):
    placeholder = "?"
    # Rows whose every value reads back; PostgreSQL can hold times psycopg cannot read.
    readable_appointments = "1 = 1"

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

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

    def table_names(self) -> dict[str, str]:
        return {
            "appointments": self.qualified(self.tables.appointments),
            "pets": self.qualified(self.tables.pets),
            "tracking": self.qualified(self.tables.tracking),
        }

    def sql(self, template: str) -> str:
        return template.format(**self.table_names()).replace("?", self.placeholder)

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
        cursor.execute(
            self.sql("SELECT position FROM {tracking} WHERE name = ?"), (PROJECTION_NAME,)
        )
        return int(cursor.fetchall()[0][0])

    def _move(self, cursor: Cursor, position: int, expected: int) -> None:
        cursor.execute(
            self.sql("UPDATE {tracking} SET position = ? WHERE name = ? AND position = ?"),
            (position, PROJECTION_NAME, expected),
        )
        if cursor.rowcount != 1:
            raise PositionMovedError(f"position is no longer {expected}")

    def _write(self, cursor: Cursor, changes: BatchChanges) -> None:
        pets = [
            (p.pet_id, p.owner_id, p.name, p.species, p.version) for p in changes.new_pets.values()
        ]
        updates = [_update_row(u) for u in changes.updates.values()]
        inserts = [
            tuple(getattr(r, c) for c in NEW_APPOINTMENT_COLUMNS) for r in changes.inserts.values()
        ]
        versions = [(version, pet_id) for pet_id, version in changes.pet_versions.items()]
        self._write_rows(cursor, INSERT_PETS, pets)
        # Updates first: they only take rows out of pending, so the unique index never clashes.
        self._write_rows(cursor, UPDATE_APPOINTMENTS, updates, touches_each=True)
        self._write_rows(cursor, INSERT_APPOINTMENTS, inserts)
        self._write_rows(cursor, UPDATE_PET_VERSIONS, versions, touches_each=True)

    def _write_rows(
        self,
        cursor: Cursor,
        statement: RowStatement,
        rows: list[tuple[Any, ...]],
        *,
        touches_each: bool = False,
    ) -> None:
        if not rows:
            return
        self.execute_rows(cursor, statement, rows)
        if touches_each and cursor.rowcount != len(rows):
            # A row the log says exists is not in the table: never carry on quietly.
            missing = len(rows) - cursor.rowcount
            raise ReadModelIntegrityError(
                f"{statement.name}: {missing} of {len(rows)} rows missing"
            )

    @abstractmethod
    def execute_rows(
        self, cursor: Cursor, statement: RowStatement, rows: list[tuple[Any, ...]]
    ) -> None:
        """Write many rows with one statement's shape, as the database does it best."""

    def pending_requests(
        self, clinic_id: UUID, *, limit: int, after_position: int
    ) -> list[PendingItem]:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.sql(PENDING_LIST), self.params((clinic_id, after_position, limit)))
            return [self.pending_item(row) for row in cursor.fetchall()]

    def read_model_at(self) -> tuple[int, ReadModel]:
        with self.snapshot() as cursor:
            position = self._position(cursor)
            cursor.execute(self.sql("SELECT pet_id, owner_id, name, species, version FROM {pets}"))
            pets = [PetRow(self.uuid(r[0]), r[1], r[2], r[3], r[4]) for r in cursor.fetchall()]
            readable = self.readable_appointments
            cursor.execute(
                self.sql(f"SELECT {APPOINTMENT_COLUMNS} FROM {{appointments}} WHERE {readable}")
            )
            appointments = [self.appointment_row(r) for r in cursor.fetchall()]
            cursor.execute(
                self.sql(f"SELECT request_id, pet_id FROM {{appointments}} WHERE NOT ({readable})")
            )
            unreadable = {self.uuid(r[0]): self.uuid(r[1]) for r in cursor.fetchall()}
        return position, ReadModel(
            pets={p.pet_id: p for p in pets},
            appointments={a.request_id: a for a in appointments},
            unreadable=unreadable,
        )

    def snapshot(self) -> AbstractContextManager[Cursor]:
        """A read-only transaction whose statements all see the same data."""
        return self.transaction(commit=False)

    def uuid(self, value: Any) -> UUID:
        return value if isinstance(value, UUID) else UUID(value)


@dataclass(frozen=True)
class RowStatement:
    """One write, for many rows: per-row SQL (`?`) and a set-based PostgreSQL form."""

    name: str
    per_row: str
    unnest: str


def _unnest(columns: list[tuple[str, str]]) -> str:
    arrays = ", ".join(f"%b::{kind}[]" for _, kind in columns)
    return f"unnest({arrays}) AS u({', '.join(name for name, _ in columns)})"


UPDATE_COLUMNS = [
    ("status", "text"),
    ("cancelled_at", "timestamptz"),
    ("scheduling_status", "text"),
    ("scheduled_for", "timestamptz"),
    ("updated_at", "timestamptz"),
    ("pet_version", "integer"),
    ("request_id", "uuid"),
]
# Times the read model stores (read_model.storable): every session time zone reads them back.
TIMES_READ_BACK = " AND ".join(
    f"({column} IS NULL OR {column} BETWEEN '{EARLIEST_STORED.isoformat()}' "
    f"AND '{LATEST_STORED.isoformat()}')"
    for column, kind in APPOINTMENT_TYPES.items()
    if kind == "timestamptz"
)
NEW_APPOINTMENT_LIST = ", ".join(NEW_APPOINTMENT_COLUMNS)
PET_ID_PARAMETER = NEW_APPOINTMENT_COLUMNS.index("pet_id") + 1

INSERT_PETS = RowStatement(
    "insert pets",
    per_row="INSERT INTO {pets} VALUES (?, ?, ?, ?, ?)",
    unnest=f"INSERT INTO {{pets}} SELECT * FROM {_unnest(PET_TYPES)}",
)
UPDATE_APPOINTMENTS = RowStatement(
    "update appointments",
    per_row="UPDATE {appointments} SET status = COALESCE(?, status), "
    "cancelled_at = COALESCE(?, cancelled_at), "
    "scheduling_status = COALESCE(?, scheduling_status), "
    "scheduled_for = COALESCE(?, scheduled_for), updated_at = ?, pet_version = ? "
    "WHERE request_id = ?",
    unnest="UPDATE {appointments} a SET status = COALESCE(u.status, a.status), "
    "cancelled_at = COALESCE(u.cancelled_at, a.cancelled_at), "
    "scheduling_status = COALESCE(u.scheduling_status, a.scheduling_status), "
    "scheduled_for = COALESCE(u.scheduled_for, a.scheduled_for), "
    "updated_at = u.updated_at, pet_version = u.pet_version "
    f"FROM {_unnest(UPDATE_COLUMNS)} WHERE a.request_id = u.request_id",
)
# owner_id comes from the pet's row; NOT NULL makes a missing pet loud, never silent.
INSERT_APPOINTMENTS = RowStatement(
    "insert appointments",
    per_row=f"INSERT INTO {{appointments}} ({NEW_APPOINTMENT_LIST}, owner_id) "
    f"VALUES ({', '.join(f'?{i + 1}' for i in range(len(NEW_APPOINTMENT_COLUMNS)))}, "
    f"(SELECT owner_id FROM {{pets}} WHERE pet_id = ?{PET_ID_PARAMETER}))",
    unnest=f"INSERT INTO {{appointments}} ({NEW_APPOINTMENT_LIST}, owner_id) "
    f"SELECT u.*, p.owner_id FROM "
    f"{_unnest([(c, APPOINTMENT_TYPES[c]) for c in NEW_APPOINTMENT_COLUMNS])} "
    "LEFT JOIN {pets} p ON p.pet_id = u.pet_id",
)
UPDATE_PET_VERSIONS = RowStatement(
    "update pet versions",
    per_row="UPDATE {pets} SET version = ? WHERE pet_id = ?",
    unnest="UPDATE {pets} p SET version = u.version "
    "FROM unnest(%b::integer[], %b::uuid[]) AS u(version, pet_id) WHERE p.pet_id = u.pet_id",
)
PENDING_LIST = (
    "SELECT a.request_id, a.pet_id, p.name, a.owner_id, a.service, a.preferred_date, "
    "a.notes, a.requested_at, a.requested_position "
    "FROM {appointments} a JOIN {pets} p ON p.pet_id = a.pet_id "
    f"WHERE a.clinic_id = ? AND a.{PENDING_WHERE.replace(' AND ', ' AND a.')} "
    "AND a.requested_position > ? ORDER BY a.requested_position LIMIT ?"
)


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
