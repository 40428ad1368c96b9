"""What clinic staff read: their clinic's pending list, from the projected tables."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.access import Actor, Role
from application.projection import AppointmentsView
from application.read_model import PendingItem
from application.read_your_writes import ProjectionWaiters


@dataclass(frozen=True)
class PendingPage:
    items: list[PendingItem]
    next_after: int | None
    position: int


class ClinicQueries:
    def __init__(self, view: AppointmentsView, waiters: ProjectionWaiters) -> None:
        self.view = view
        self.waiters = waiters

    @staticmethod
    def authorize(actor: Actor, clinic_id: UUID) -> None:
        """Only the clinic's staff read its list; checked before anyone may wait for it."""
        actor.require(Role.STAFF)
        actor.require_clinic(clinic_id)

    async def wait_until_listed(self, actor: Actor, clinic_id: UUID, min_position: int) -> None:
        """Wait, holding no thread, until the list includes the event at `min_position`.

        Answers at once with PositionBeyondHeadError when no event has that
        position yet, and with ProjectionBehindError when too many readers wait.
        """
        self.authorize(actor, clinic_id)
        await self.waiters.wait_for(min_position)

    async def next_change(self, actor: Actor, clinic_id: UUID, after: int, timeout: float) -> int:
        """Wait, holding no thread, until the read tables move past `after` (or `timeout`)."""
        self.authorize(actor, clinic_id)
        return await self.waiters.next_position(after, timeout)

    def pending_requests(
        self, actor: Actor, clinic_id: UUID, *, limit: int = 50, after: int = 0
    ) -> PendingPage:
        """The clinic's pending requests, oldest first, paged by a position cursor."""
        self.authorize(actor, clinic_id)
        position, rows = self.view.pending_requests(
            clinic_id, limit=limit + 1, after_position=after
        )
        items = rows[:limit]
        next_after = items[-1].requested_position if len(rows) > limit else None
        return PendingPage(items=items, next_after=next_after, position=position)
