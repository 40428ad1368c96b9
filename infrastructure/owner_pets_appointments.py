"""Owners' pets, read from the projection's pet table (`appointment_pets`) on either database."""

from __future__ import annotations

from uuid import UUID

from application.owners import OwnedPet
from infrastructure.appointments_sql import SqlAppointmentsView
from infrastructure.postgres_appointments import PostgresAppointmentsView


class PetsByOwnerQuery:
    def __init__(self, view: SqlAppointmentsView) -> None:
        self.view = view
        marker = "%s" if isinstance(view, PostgresAppointmentsView) else "?"
        table = view.qualified(view.tables.pets)
        self.statement = (
            f"SELECT pet_id, name, species FROM {table} "
            f"WHERE owner_id = {marker} ORDER BY name, pet_id"
        )

    def pets_of(self, owner_id: str) -> list[OwnedPet]:
        with self.view.transaction(commit=False) as cursor:
            cursor.execute(self.statement, (owner_id,))
            return [OwnedPet(UUID(str(row[0])), row[1], row[2]) for row in cursor.fetchall()]
