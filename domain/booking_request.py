"""A booking request as the Pet aggregate remembers it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID


class RequestStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class SchedulingStatus(StrEnum):
    PENDING_SCHEDULING = "pending_scheduling"
    SCHEDULED = "scheduled"


@dataclass
class BookingRequest:
    request_id: UUID
    clinic_id: UUID
    service: str
    preferred_date: date | None
    notes: str | None
    requested_by: str
    requested_at: datetime
    idempotency_key: str | None
    status: RequestStatus = RequestStatus.ACTIVE
    scheduling_status: SchedulingStatus = SchedulingStatus.PENDING_SCHEDULING
    scheduled_for: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None

    @property
    def is_pending(self) -> bool:
        return (
            self.status is RequestStatus.ACTIVE
            and self.scheduling_status is SchedulingStatus.PENDING_SCHEDULING
        )

    def asks_for(
        self,
        clinic_id: UUID,
        service: str,
        preferred_date: date | None,
        notes: str | None,
    ) -> bool:
        """True when a retried request carries exactly this request's payload."""
        return (clinic_id, service, preferred_date, notes) == (
            self.clinic_id,
            self.service,
            self.preferred_date,
            self.notes,
        )
