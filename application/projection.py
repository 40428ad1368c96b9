"""The appointments projection: the view port, and events -> view calls in batches.

It projects the whole log: pets' events into the appointments tables, clinics'
events into the clinic directory's table, in the same transactions.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    DataError,
    IntegrityError,
    NotSupportedError,
    ProgrammingError,
    Tracking,
    TrackingRecorder,
)
from eventsourcing.projection import Projection

from application.audit.decoding import DECODE_ERRORS, describe
from application.events import LoggedEvent, subject_of
from application.read_model import (
    EARLIEST_STORED,
    LATEST_STORED,
    AppointmentRow,
    BatchChanges,
    ClinicRow,
    PendingItem,
    PetRow,
    storable,
)

PROJECTION_NAME = "appointments"
logger = logging.getLogger(__name__)


class PositionMovedError(Exception):
    """Another worker moved the projection's position first; nothing was written."""


class ReadModelIntegrityError(Exception):
    """A write broke a read-table constraint (e.g. a second pending request for a pet)."""


class ProjectionHaltedError(Exception):
    """An event cannot be projected: stop before it, never skip it."""

    def __init__(
        self,
        pet_id: UUID,
        version: int,
        position: int,
        cause: Exception,
        what: str = "event",
        subject: str = "pet",
    ) -> None:
        # One line, whatever the driver's message spans: it is logged once, as is.
        reason = " ".join(describe(cause).split())
        super().__init__(
            f"projection halted before position {position}: {what} version {version} "
            f"of {subject} {pet_id} cannot be projected ({reason})"
        )
        self.pet_id = pet_id
        self.version = version
        self.position = position

    @classmethod
    def at(cls, event: LoggedEvent, position: int, cause: Exception) -> ProjectionHaltedError:
        what, subject = type(event).__name__, subject_of(event)
        return cls(event.originator_id, event.originator_version, position, cause, what, subject)


# What writing an event's rows can raise that writing them again would raise again:
# the store refuses the values or the read model's constraints, or the event is not
# whole (DECODE_ERRORS: a field missing or of the wrong type, text with no UTF-8 form).
# Lost connections and restarts are OperationalError, InterfaceError or InternalError.
PERMANENT_ERRORS: tuple[type[Exception], ...] = (
    ReadModelIntegrityError,
    DataError,
    IntegrityError,
    ProgrammingError,
    NotSupportedError,
    *DECODE_ERRORS,
)


@dataclass(frozen=True)
class ReadModel:
    pets: dict[UUID, PetRow]
    appointments: dict[UUID, AppointmentRow]
    # Rows the store holds but cannot hand back (request id -> pet id), e.g. a time
    # past year 9999 in UTC that an older version of the projection stored.
    unreadable: dict[UUID, UUID] = field(default_factory=dict)
    clinics: dict[UUID, ClinicRow] = field(default_factory=dict)

    def as_stored(self) -> ReadModel:
        """The rows as the read tables hold them (`storable`), e.g. for a fold of the log."""
        return ReadModel(
            pets={key: storable(row)[0] for key, row in self.pets.items()},
            appointments={key: storable(row)[0] for key, row in self.appointments.items()},
            unreadable=dict(self.unreadable),
            clinics={key: storable(row)[0] for key, row in self.clinics.items()},
        )


class AppointmentsView(TrackingRecorder, ABC):
    """The read tables. PostgreSQL and SQLite implement it in `infrastructure/`."""

    @abstractmethod
    def apply_batch(self, changes: BatchChanges, tracking: Tracking, expected: int) -> None:
        """Write the rows and move the position from `expected` in ONE transaction.

        Raises PositionMovedError when the stored position is not `expected`,
        ReadModelIntegrityError when a read-table constraint refuses the rows.
        """

    @abstractmethod
    def pending_requests(
        self, clinic_id: UUID, *, limit: int, after_position: int
    ) -> tuple[int, list[PendingItem]]:
        """The clinic's pending requests, oldest first, after a cursor position.

        With the position they reflect, read from the same snapshot: exactly the
        list as of that position, so a page never shows more than its position says.
        """

    @abstractmethod
    def clinic_rows(self) -> list[ClinicRow]:
        """Every clinic of the directory, in no particular order."""

    @abstractmethod
    def clinic_row(self, clinic_id: UUID) -> ClinicRow | None:
        """One clinic of the directory, or None."""

    @abstractmethod
    def read_model_at(self) -> tuple[int, ReadModel]:
        """Every row and the position they reflect, read from one snapshot."""

    @abstractmethod
    def fresh_copy(self) -> AppointmentsView:
        """An empty set of side tables to rebuild into while readers use these."""

    @abstractmethod
    def replace_with(self, rebuilt: AppointmentsView) -> None:
        """Swap the rebuilt tables in for these, in one transaction."""

    def position(self) -> int:
        return self.max_tracking_id(PROJECTION_NAME) or 0


class AppointmentsProjection(Projection[AppointmentsView]):
    """Maps pet and clinic events to read-table rows, a whole batch per transaction."""

    name = PROJECTION_NAME

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.process_batch([(domain_event, tracking.notification_id)], self.view.position())

    def process_batch(self, events: Sequence[tuple[LoggedEvent, int]], expected: int) -> None:
        """Apply events (with their positions) on top of position `expected`.

        Raises ProjectionHaltedError, naming the event, when one cannot be
        projected; the events before it are applied.
        """
        changes = BatchChanges()
        try:
            for event, position in events:
                changes.add(event, position)
            self.view.apply_batch(changes, self._tracking(changes.last_position), expected)
        except PERMANENT_ERRORS:
            self._apply_one_by_one(events, expected)
            return
        _log_repairs(changes)

    def _apply_one_by_one(self, events: Sequence[tuple[LoggedEvent, int]], expected: int) -> None:
        # Pinpoint the event that cannot be projected; the ones before it are sound.
        for event, position in events:
            changes = BatchChanges()
            try:
                changes.add(event, position)
                self.view.apply_batch(changes, self._tracking(position), expected)
            except PERMANENT_ERRORS as error:
                raise ProjectionHaltedError.at(event, position, error) from error
            _log_repairs(changes)
            expected = position

    def _tracking(self, position: int) -> Tracking:
        return Tracking(application_name=self.name, notification_id=position)


def _log_repairs(changes: BatchChanges) -> None:
    for repair in changes.repairs:
        logger.warning(
            "%s %s version %s: %s stored in a safe form (U+FFFD for NUL and lone "
            "surrogates, times within %s..%s UTC)",
            repair.subject,
            repair.pet_id,
            repair.version,
            ", ".join(repair.fields),
            EARLIEST_STORED.date(),
            LATEST_STORED.date(),
            extra={
                "fields": {
                    f"{repair.subject}_id": str(repair.pet_id),
                    "version": repair.version,
                    "repaired": list(repair.fields),
                }
            },
        )
