"""What the web console needs beside the system: spent sign-in tokens, owners' pet lists.

Assembled here, like the read side in read_side.py, so that only the
composition root's modules know the infrastructure.
"""

from __future__ import annotations

from dataclasses import dataclass

from application.owners import OwnerQueries
from application.sign_ins import SpentTokens
from infrastructure.appointments_sql import SqlAppointmentsView
from infrastructure.owner_pets_appointments import PetsByOwnerQuery
from infrastructure.spent_tokens import MemorySpentTokens, PostgresSpentTokens, SqliteSpentTokens
from interface.bootstrap import System


@dataclass(frozen=True)
class ConsoleSide:
    spent_tokens: SpentTokens
    owners: OwnerQueries


def open_console_side(system: System) -> ConsoleSide:
    view = system.read_side.view
    assert isinstance(view, SqlAppointmentsView)  # Both stores' views are.
    return ConsoleSide(_spent_tokens(system), OwnerQueries(PetsByOwnerQuery(view)))


def _spent_tokens(system: System) -> SpentTokens:
    store = system.store
    if store.is_postgres:
        return PostgresSpentTokens(
            store.postgres_connect_kwargs(), store.postgres_schema or "public"
        )
    if store.sqlite_path is not None:
        return SqliteSpentTokens(store.sqlite_path)
    return MemorySpentTokens()
