"""What the auditor's queries need from the store beyond the library's recorder API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import Notification


class PetStreams(Protocol):
    """A pet's stored events with their positions in the global log.

    The library's `select_events` reads one aggregate's events but drops their
    positions (notification ids); `select_notifications` has the positions but
    cannot filter by aggregate. The stores answer this with one indexed query.
    """

    def select_stream(self, pet_id: UUID) -> Sequence[Notification]:
        """Every stored event of the pet, in version order (empty for an unknown pet)."""
        ...
