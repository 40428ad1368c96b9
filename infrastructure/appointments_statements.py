"""Every statement the read tables' view runs, written out plainly for each database.

SQLite writes a batch row by row (`executemany`, `?` parameters); PostgreSQL
writes each table's rows with one statement over arrays (`unnest`, `%s` and
`%b` parameters). The column lists come from appointments_columns.py; the SQL
around them is spelled out here, one function per database.
"""

from __future__ import annotations

from dataclasses import dataclass

from application.projection import PROJECTION_NAME
from application.read_model import (
    ACTIVE,
    EARLIEST_STORED,
    LATEST_STORED,
    PENDING,
    AppointmentRow,
    ClinicRow,
    NewAppointment,
)
from infrastructure.appointments_columns import APPOINTMENT_TYPES

# Every column of a row, in the order the view's rows are built from.
SELECTED = ", ".join(AppointmentRow.__dataclass_fields__)
INSERTED = list(NewAppointment.__dataclass_fields__)
CLINIC_SELECTED = ", ".join(ClinicRow.__dataclass_fields__)
PENDING_WHERE = f"scheduling_status = '{PENDING}' AND status = '{ACTIVE}'"
# The original fix's partial unique index, kept as defence in depth.
ONE_PENDING_WHERE = f"scheduling_status = '{PENDING}' AND status <> 'cancelled'"
PENDING_ITEM = (
    "a.request_id, a.pet_id, p.name, a.owner_id, a.service, a.preferred_date, "
    "a.notes, a.requested_at, a.requested_position"
)
# The parameters of the update statement, in order (see AppointmentUpdate).
UPDATED = [
    "status",
    "cancelled_at",
    "scheduling_status",
    "scheduled_for",
    "updated_at",
    "pet_version",
    "request_id",
]


@dataclass(frozen=True)
class TableNames:
    """Quoted, qualified names of one set of read tables."""

    pets: str
    appointments: str
    tracking: str
    clinics: str


@dataclass(frozen=True)
class Statements:
    position: str
    move: str
    insert_pets: str
    update_appointments: str
    insert_appointments: str
    update_pet_versions: str
    pending_list: str
    all_pets: str
    readable_appointments: str
    unreadable_appointments: str
    insert_clinics: str
    rename_clinics: str
    all_clinics: str
    one_clinic: str


def sqlite_statements(t: TableNames) -> Statements:
    # owner_id comes from the pet's row; NOT NULL makes a missing pet loud, never silent.
    values = ", ".join(f"?{i}" for i in range(1, len(INSERTED) + 1))
    pet_id = INSERTED.index("pet_id") + 1
    return Statements(
        position=f"SELECT position FROM {t.tracking} WHERE name = '{PROJECTION_NAME}'",
        move=f"UPDATE {t.tracking} SET position = ? WHERE name = '{PROJECTION_NAME}' "
        "AND position = ?",
        insert_pets=f"INSERT INTO {t.pets} VALUES (?, ?, ?, ?, ?)",
        update_appointments=f"UPDATE {t.appointments} SET status = COALESCE(?, status), "
        "cancelled_at = COALESCE(?, cancelled_at), "
        "scheduling_status = COALESCE(?, scheduling_status), "
        "scheduled_for = COALESCE(?, scheduled_for), updated_at = ?, pet_version = ? "
        "WHERE request_id = ?",
        insert_appointments=f"INSERT INTO {t.appointments} ({', '.join(INSERTED)}, owner_id) "
        f"VALUES ({values}, (SELECT owner_id FROM {t.pets} WHERE pet_id = ?{pet_id}))",
        update_pet_versions=f"UPDATE {t.pets} SET version = ? WHERE pet_id = ?",
        pending_list=f"SELECT {PENDING_ITEM} FROM {t.appointments} a "
        f"JOIN {t.pets} p ON p.pet_id = a.pet_id "
        f"WHERE a.clinic_id = ? AND a.scheduling_status = '{PENDING}' "
        f"AND a.status = '{ACTIVE}' AND a.requested_position > ? "
        "ORDER BY a.requested_position LIMIT ?",
        all_pets=f"SELECT pet_id, owner_id, name, species, version FROM {t.pets}",
        # Every time SQLite holds is ISO text that reads back.
        readable_appointments=f"SELECT {SELECTED} FROM {t.appointments}",
        unreadable_appointments=f"SELECT request_id, pet_id FROM {t.appointments} WHERE 1 = 0",
        insert_clinics=f"INSERT INTO {t.clinics} VALUES (?, ?, ?, ?)",
        rename_clinics=f"UPDATE {t.clinics} SET name = ?, version = ? WHERE clinic_id = ?",
        all_clinics=f"SELECT {CLINIC_SELECTED} FROM {t.clinics}",
        one_clinic=f"SELECT {CLINIC_SELECTED} FROM {t.clinics} WHERE clinic_id = ?",
    )


def postgres_statements(t: TableNames) -> Statements:
    # Times the read model stores (read_model.storable): every session time zone reads them back.
    readable = " AND ".join(
        f"({column} IS NULL OR {column} BETWEEN '{EARLIEST_STORED.isoformat()}' "
        f"AND '{LATEST_STORED.isoformat()}')"
        for column, kind in APPOINTMENT_TYPES.items()
        if kind == "timestamptz"
    )
    return Statements(
        position=f"SELECT position FROM {t.tracking} WHERE name = '{PROJECTION_NAME}'",
        move=f"UPDATE {t.tracking} SET position = %s WHERE name = '{PROJECTION_NAME}' "
        "AND position = %s",
        insert_pets=f"INSERT INTO {t.pets} SELECT * FROM unnest(%b::uuid[], %b::text[], "
        "%b::text[], %b::text[], %b::integer[]) AS u(pet_id, owner_id, name, species, version)",
        update_appointments=f"UPDATE {t.appointments} a "
        "SET status = COALESCE(u.status, a.status), "
        "cancelled_at = COALESCE(u.cancelled_at, a.cancelled_at), "
        "scheduling_status = COALESCE(u.scheduling_status, a.scheduling_status), "
        "scheduled_for = COALESCE(u.scheduled_for, a.scheduled_for), "
        "updated_at = u.updated_at, pet_version = u.pet_version "
        f"FROM {_unnest(UPDATED)} WHERE a.request_id = u.request_id",
        # owner_id comes from the pet's row; NOT NULL makes a missing pet loud, never silent.
        insert_appointments=f"INSERT INTO {t.appointments} ({', '.join(INSERTED)}, owner_id) "
        f"SELECT u.*, p.owner_id FROM {_unnest(INSERTED)} "
        f"LEFT JOIN {t.pets} p ON p.pet_id = u.pet_id",
        update_pet_versions=f"UPDATE {t.pets} p SET version = u.version "
        "FROM unnest(%b::integer[], %b::uuid[]) AS u(version, pet_id) WHERE p.pet_id = u.pet_id",
        pending_list=f"SELECT {PENDING_ITEM} FROM {t.appointments} a "
        f"JOIN {t.pets} p ON p.pet_id = a.pet_id "
        f"WHERE a.clinic_id = %s AND a.scheduling_status = '{PENDING}' "
        f"AND a.status = '{ACTIVE}' AND a.requested_position > %s "
        "ORDER BY a.requested_position LIMIT %s",
        all_pets=f"SELECT pet_id, owner_id, name, species, version FROM {t.pets}",
        readable_appointments=f"SELECT {SELECTED} FROM {t.appointments} WHERE {readable}",
        unreadable_appointments=f"SELECT request_id, pet_id FROM {t.appointments} "
        f"WHERE NOT ({readable})",
        insert_clinics=f"INSERT INTO {t.clinics} SELECT * FROM unnest(%b::uuid[], %b::text[], "
        "%b::text[], %b::integer[]) AS u(clinic_id, name, address, version)",
        rename_clinics=f"UPDATE {t.clinics} c SET name = u.name, version = u.version "
        "FROM unnest(%b::text[], %b::integer[], %b::uuid[]) AS u(name, version, clinic_id) "
        "WHERE c.clinic_id = u.clinic_id",
        all_clinics=f"SELECT {CLINIC_SELECTED} FROM {t.clinics}",
        one_clinic=f"SELECT {CLINIC_SELECTED} FROM {t.clinics} WHERE clinic_id = %s",
    )


def _unnest(columns: list[str]) -> str:
    arrays = ", ".join(f"%b::{APPOINTMENT_TYPES[column]}[]" for column in columns)
    return f"unnest({arrays}) AS u({', '.join(columns)})"
