"""What clinic staff read: their clinic's pending list, from the projected tables."""

from __future__ import annotations

import time
from dataclasses import dataclass
from uuid import UUID

from application.access import Actor, Role
from application.errors import ApplicationError
from application.projection import AppointmentsView
from application.projection_worker import ProjectionWorker
from application.read_model import PendingItem

READ_YOUR_WRITES_TIMEOUT_SECONDS = 5.0
# Between checks of a projector that may run in another process.
RECHECK_SECONDS = 0.05


class ProjectionBehindError(ApplicationError):
    """The read tables did not reach the asked position in time."""

    def __init__(self, wanted: int, reached: int) -> None:
        super().__init__(f"projection at {reached}, asked for {wanted}")
        self.wanted = wanted
        self.reached = reached


@dataclass(frozen=True)
class PendingPage:
    items: list[PendingItem]
    next_after: int | None
    position: int


class ClinicQueries:
    def __init__(self, view: AppointmentsView, worker: ProjectionWorker | None) -> None:
        self.view = view
        # The in-process worker, if any, wakes readers the moment a batch lands.
        self.worker = worker

    def pending_requests(
        self,
        actor: Actor,
        clinic_id: UUID,
        *,
        limit: int = 50,
        after: int = 0,
        min_position: int | None = None,
        timeout: float = READ_YOUR_WRITES_TIMEOUT_SECONDS,
    ) -> PendingPage:
        """The clinic's pending requests, oldest first, paged by a position cursor.

        With `min_position` (a command's `position`), waits until the tables
        include that event: the caller reads its own write.
        """
        actor.require(Role.STAFF)
        actor.require_clinic(clinic_id)
        position = self.wait_for(min_position, timeout) if min_position else self.view.position()
        rows = self.view.pending_requests(clinic_id, limit=limit + 1, after_position=after)
        items = rows[:limit]
        next_after = items[-1].requested_position if len(rows) > limit else None
        return PendingPage(items=items, next_after=next_after, position=position)

    def wait_for(self, wanted: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while (reached := self.view.position()) < wanted:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ProjectionBehindError(wanted, reached)
            self._await_progress(min(remaining, RECHECK_SECONDS))
        return reached

    def _await_progress(self, seconds: float) -> None:
        if self.worker is None:
            time.sleep(seconds)
            return
        with self.worker.progressed:
            self.worker.progressed.wait(seconds)
