"""The composition root: settings -> store -> application -> read side -> auditing, clinics.

Every door (the HTTP API, the CLI, the coming web console) gets its system from
`bootstrap` and stops it with `System.close()`; none builds its own.
"""

from __future__ import annotations

import contextlib
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType

from application.audit.trail import AuditTrail
from application.bookings import PetBookings
from application.clinics import ClinicDirectory
from application.observer import CommandObserver
from application.pet_cache import PetCache
from domain.values import BookingHorizon
from infrastructure.postgres_schema import schema_prepared
from interface.auditing import open_audit
from interface.read_side import ReadSide, build_read_side
from interface.secret import jwt_secret
from interface.settings import Settings
from interface.store import Store, create_sqlite_file, store_from_settings


@dataclass
class System:
    """The running service: what the doors call, and how it all stops."""

    settings: Settings
    store: Store
    bookings: PetBookings
    read_side: ReadSide
    audit: AuditTrail
    clinics: ClinicDirectory
    _stops: ExitStack = field(repr=False)

    def close(self) -> None:
        """Stop following the log, then close the application: the reverse of building."""
        self._stops.close()

    def __enter__(self) -> System:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def bootstrap(
    settings: Settings,
    *,
    follow: bool,
    observer: CommandObserver | None = None,
) -> System:
    """Build the system; `follow`: this process projects the log into the read tables.

    Nothing is left open when a step fails: what was built is stopped again.
    """
    store = store_from_settings(settings)
    with ExitStack() as stops:
        bookings = open_bookings(store)
        stops.callback(bookings.close)
        bookings.horizon = BookingHorizon(days_ahead=settings.horizon_days)
        bookings.pets = PetCache(settings.pet_cache_size)
        if observer is not None:
            bookings.observer = observer
        read_side = build_read_side(store, bookings, settings, follow=follow)
        stops.callback(read_side.stop)
        if follow:
            read_side.start()
        return System(
            settings,
            store,
            bookings,
            read_side,
            open_audit(bookings),
            ClinicDirectory(bookings, read_side.view),
            _stops=stops.pop_all(),
        )


def open_bookings(store: Store) -> PetBookings:
    """The application on the configured store, its tables created if missing."""
    create_sqlite_file(store)
    prepared = (
        schema_prepared(store.postgres_connect_kwargs(), store.postgres_schema or "public")
        if store.is_postgres
        else contextlib.nullcontext()
    )
    with prepared:
        return PetBookings(env=store.env)


def token_secret(settings: Settings) -> str:
    """The secret tokens are signed with; it needs no connection to the store."""
    return jwt_secret(settings, store_from_settings(settings))
