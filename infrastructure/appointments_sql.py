"""The appointments read tables in SQL, shared by the SQLite and PostgreSQL views."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import astuple, dataclass
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Tracking

from application.projection import (
    PROJECTION_NAME,
    AppointmentsView,
    PositionMovedError,
    ReadModel,
)
from application.read_model import (
    ACTIVE,
    PENDING,
    AppointmentRow,
    BatchChanges,
    PendingItem,
    PetRow,
)

APPOINTMENT_COLUMNS = ", ".join(AppointmentRow.__dataclass_fields__)
NEW_APPOINTMENT_COLUMNS = [c for c in AppointmentRow.__dataclass_fields__ if c != "owner_id"]
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

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    @abstractmethod
    def transaction(self, *, commit: bool) -> AbstractContextManager[Cursor]:
        """A cursor in one transaction; read-model constraint errors as ReadModelIntegrityError."""

    @abstractmethod
    def qualified(self, name: str) -> str:
        """A quoted, fully qualified table name."""

    @abstractmethod
    def to_db(self, value: Any) -> Any: ...

    @abstractmethod
    def pending_item(self, row: Any) -> PendingItem: ...

    @abstractmethod
    def appointment_row(self, row: Any) -> AppointmentRow: ...

    def sql(self, template: str) -> str:
        names = {
            "appointments": self.qualified(self.tables.appointments),
            "pets": self.qualified(self.tables.pets),
            "tracking": self.qualified(self.tables.tracking),
        }
        return template.format(**names).replace("?", self.placeholder)

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
        many = self._executemany
        many(
            cursor,
            "INSERT INTO {pets} VALUES (?, ?, ?, ?, ?)",
            map(astuple, changes.new_pets.values()),
        )
        # Updates first: they only take rows out of pending, so the unique index never clashes.
        many(cursor, UPDATE_APPOINTMENT, (_update_params(u) for u in changes.updates.values()))
        many(cursor, INSERT_APPOINTMENT, (_insert_params(r) for r in changes.inserts.values()))
        many(
            cursor,
            "UPDATE {pets} SET version = ? WHERE pet_id = ?",
            ((version, pet_id) for pet_id, version in changes.pet_versions.items()),
        )

    def _executemany(self, cursor: Cursor, template: str, rows: Iterator[tuple[Any, ...]]) -> None:
        params = [self.params(row) for row in rows]
        if params:
            cursor.executemany(self.sql(template), params)

    def pending_requests(
        self, clinic_id: UUID, *, limit: int, after_position: int
    ) -> list[PendingItem]:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.sql(PENDING_LIST), self.params((clinic_id, after_position, limit)))
            return [self.pending_item(row) for row in cursor.fetchall()]

    def read_model(self) -> ReadModel:
        with self.transaction(commit=False) as cursor:
            cursor.execute(self.sql("SELECT pet_id, owner_id, name, species, version FROM {pets}"))
            pets = [PetRow(self.uuid(r[0]), r[1], r[2], r[3], r[4]) for r in cursor.fetchall()]
            cursor.execute(self.sql(f"SELECT {APPOINTMENT_COLUMNS} FROM {{appointments}}"))
            appointments = [self.appointment_row(r) for r in cursor.fetchall()]
        return ReadModel(
            pets={p.pet_id: p for p in pets},
            appointments={a.request_id: a for a in appointments},
        )

    def uuid(self, value: Any) -> UUID:
        return value if isinstance(value, UUID) else UUID(value)


UPDATE_APPOINTMENT = (
    "UPDATE {appointments} SET status = COALESCE(?, status), "
    "cancelled_at = COALESCE(?, cancelled_at), "
    "scheduling_status = COALESCE(?, scheduling_status), "
    "scheduled_for = COALESCE(?, scheduled_for), updated_at = ?, pet_version = ? "
    "WHERE request_id = ?"
)
# owner_id comes from the pet's row; NOT NULL makes a missing pet loud, never silent.
INSERT_APPOINTMENT = (
    f"INSERT INTO {{appointments}} ({', '.join(NEW_APPOINTMENT_COLUMNS)}, owner_id) "
    f"VALUES ({', '.join('?' * len(NEW_APPOINTMENT_COLUMNS))}, "
    "(SELECT owner_id FROM {pets} WHERE pet_id = ?))"
)
PENDING_LIST = (
    "SELECT a.request_id, a.pet_id, p.name, a.owner_id, a.service, a.preferred_date, "
    "a.notes, a.requested_at, a.requested_position "
    "FROM {appointments} a JOIN {pets} p ON p.pet_id = a.pet_id "
    f"WHERE a.clinic_id = ? AND a.{PENDING_WHERE.replace(' AND ', ' AND a.')} "
    "AND a.requested_position > ? ORDER BY a.requested_position LIMIT ?"
)


def _update_params(update: Any) -> tuple[Any, ...]:
    return (
        update.status,
        update.cancelled_at,
        update.scheduling_status,
        update.scheduled_for,
        update.updated_at,
        update.pet_version,
        update.request_id,
    )


def _insert_params(row: Any) -> tuple[Any, ...]:
    return (*(getattr(row, c) for c in NEW_APPOINTMENT_COLUMNS), row.pet_id)
