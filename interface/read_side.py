"""Composition of the read side: the view, its worker, and what wakes the worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from application.bookings import PetBookings
from application.projection import PROJECTION_NAME, AppointmentsProjection, AppointmentsView
from application.projection_worker import Leadership, ProjectionWorker, SoleLeader
from application.read_your_writes import ProjectionWaiters
from application.staff import ClinicQueries
from infrastructure.leadership import FileLeadership, PostgresLeadership
from infrastructure.postgres_appointments import PostgresAppointmentsView
from infrastructure.postgres_listener import PostgresListener
from infrastructure.sqlite_appointments import SQLiteAppointmentsView
from interface.settings import Settings
from interface.store import Store


@dataclass
class ReadSide:
    view: AppointmentsView
    worker: ProjectionWorker
    listener: PostgresListener | None
    queries: ClinicQueries

    def start(self) -> None:
        """Follow the log: the LISTEN wake-up, then the worker."""
        if self.listener is not None:
            self.listener.start()
        self.worker.start()

    def stop(self) -> None:
        self.queries.waiters.stop()
        self.worker.stop()
        if self.listener is not None:
            self.listener.stop()


def open_view(store: Store, bookings: PetBookings) -> AppointmentsView:
    """The read tables beside the application's events, created if missing."""
    datastore = getattr(bookings.recorder, "datastore", None)
    view: PostgresAppointmentsView | SQLiteAppointmentsView
    if isinstance(datastore, PostgresDatastore):
        view = PostgresAppointmentsView(datastore)
    elif isinstance(datastore, SQLiteDatastore):
        view = SQLiteAppointmentsView(datastore)
    else:
        msg = f"no appointments view for a {store.kind} store"
        raise TypeError(msg)
    view.create_table()
    return view


def build_read_side(
    store: Store, bookings: PetBookings, settings: Settings, *, follow: bool
) -> ReadSide:
    """The view and a worker; `follow` adds the LISTEN wake-up the worker uses live."""
    view = open_view(store, bookings)
    worker = ProjectionWorker(
        bookings,
        AppointmentsProjection(view),
        leadership=_leadership(store),
        news=bookings.news,
        batch_size=settings.projection_batch_size,
        poll_interval=settings.projection_poll_seconds,
    )
    listener = None
    if follow and store.is_postgres:
        recorder = bookings.recorder
        assert isinstance(recorder, PostgresApplicationRecorder)
        listener = PostgresListener(
            store.postgres_connect_kwargs(), recorder.channel_name, bookings.news
        )
    waiters = ProjectionWaiters(
        view.position,
        bookings.head_position,
        worker.progressed if follow else None,
        capacity=settings.max_waiting_readers,
        halted=lambda: worker.halted is not None,
    )
    # Readers wait for their writes whether this process projects or another one does.
    waiters.start()
    return ReadSide(
        view=view, worker=worker, listener=listener, queries=ClinicQueries(view, waiters)
    )


def _leadership(store: Store) -> Leadership:
    if store.is_postgres:
        key = f"pet-booking:{store.postgres_schema or 'public'}:{PROJECTION_NAME}"
        return PostgresLeadership(store.postgres_connect_kwargs(), key)
    if store.sqlite_path is not None:
        return FileLeadership(Path(f"{store.sqlite_path}.projection.lock"))
    return SoleLeader()
