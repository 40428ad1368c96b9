"""The appointments projection: the view port, and events -> view calls in batches."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.projection import Projection

from application.read_model import AppointmentRow, BatchChanges, PendingItem, PetRow
from domain.pet import Pet

PROJECTION_NAME = "appointments"


class PositionMovedError(Exception):
    """Another worker moved the projection's position first; nothing was written."""


class ReadModelIntegrityError(Exception):
    """A write broke a read-table constraint (e.g. a second pending request for a pet)."""


class ProjectionHaltedError(Exception):
    """An event cannot be projected without breaking the read model: stop, never skip."""

    def __init__(self, event: Pet.Event, position: int, cause: Exception) -> None:
        super().__init__(
            f"projection halted at position {position}: {type(event).__name__} "
            f"version {event.originator_version} of pet {event.originator_id} "
            f"breaks the read model ({cause})"
        )
        self.pet_id = event.originator_id
        self.version = event.originator_version
        self.position = position


@dataclass(frozen=True)
class ReadModel:
    pets: dict[UUID, PetRow]
    appointments: dict[UUID, AppointmentRow]


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
    ) -> list[PendingItem]:
        """The clinic's pending requests, oldest first, after a cursor position."""

    @abstractmethod
    def read_model(self) -> ReadModel:
        """Every row, for verification."""

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
    """Maps pet events to read-table rows, a whole batch per transaction."""

    name = PROJECTION_NAME

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.process_batch([(domain_event, tracking.notification_id)], self.view.position())

    def process_batch(self, events: Sequence[tuple[Pet.Event, int]], expected: int) -> None:
        """Apply events (with their positions) on top of position `expected`."""
        changes = BatchChanges()
        for event, position in events:
            changes.add(event, position)
        try:
            self.view.apply_batch(changes, self._tracking(changes.last_position), expected)
        except ReadModelIntegrityError:
            self._apply_one_by_one(events, expected)
            raise

    def _apply_one_by_one(self, events: Sequence[tuple[Pet.Event, int]], expected: int) -> None:
        # Pinpoint the event that breaks the read model; the ones before it are sound.
        for event, position in events:
            changes = BatchChanges()
            changes.add(event, position)
            try:
                self.view.apply_batch(changes, self._tracking(position), expected)
            except ReadModelIntegrityError as error:
                raise ProjectionHaltedError(event, position, error) from error
            expected = position

    def _tracking(self, position: int) -> Tracking:
        return Tracking(application_name=self.name, notification_id=position)
