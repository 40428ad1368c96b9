"""The read tables have one column per field of the application's rows, declared once."""

from __future__ import annotations

from dataclasses import fields

import pytest

from application.read_model import AppointmentRow, ClinicRow, PetRow
from infrastructure.appointments_columns import (
    APPOINTMENT_COLUMNS,
    CLINIC_COLUMNS,
    PET_COLUMNS,
    Column,
    create_table,
)


@pytest.mark.parametrize(
    ("row", "columns"),
    [(PetRow, PET_COLUMNS), (AppointmentRow, APPOINTMENT_COLUMNS), (ClinicRow, CLINIC_COLUMNS)],
)
def test_every_field_of_a_row_has_exactly_one_column(
    row: type, columns: tuple[Column, ...]
) -> None:
    # A field added to the row without its column (or the reverse) fails here, not in production.
    names = [column.name for column in columns]

    assert sorted(names) == sorted(field.name for field in fields(row))
    assert len(set(names)) == len(names)


def test_both_stores_declare_the_same_columns_in_their_own_types() -> None:
    postgres = create_table('"a"', APPOINTMENT_COLUMNS, "postgres")
    sqlite = create_table('"a"', APPOINTMENT_COLUMNS, "sqlite")

    assert "request_id uuid PRIMARY KEY" in postgres
    assert "request_id TEXT PRIMARY KEY" in sqlite
    assert "requested_at timestamptz NOT NULL" in postgres
    assert "notes text," in postgres
    assert postgres.count(",") == sqlite.count(",")
