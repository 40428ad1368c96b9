"""Auditor responses and queries: stored events, pages of the log, a pet's history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from application.audit.records import EventPage, EventRecord, PetHistory
from interface.schemas import PetDetail


class EventPublic(BaseModel):
    position: int = Field(description="Global position in the log (notification id).")
    pet_id: UUID
    version: int = Field(description="The pet's version this event made.")
    type: str = Field(description="Registered, BookingRequested, Cancelled or Scheduled.")
    timestamp: datetime
    actor: str = Field(description="`sub` of the token that caused the event.")
    data: dict[str, Any] = Field(description="What the event says, as JSON.")

    @classmethod
    def of(cls, record: EventRecord) -> EventPublic:
        return cls(
            position=record.position,
            pet_id=record.pet_id,
            version=record.version,
            type=record.type,
            timestamp=record.timestamp,
            actor=record.actor,
            data=record.data,
        )


class EventPagePublic(BaseModel):
    items: list[EventPublic]
    next_after: int = Field(
        description="Pass as `after` to read on: the last item's position, "
        "or the given `after` when the page is empty."
    )

    @classmethod
    def of(cls, page: EventPage) -> EventPagePublic:
        return cls(items=[EventPublic.of(r) for r in page.items], next_after=page.next_after)


class PetHistoryPublic(BaseModel):
    pet_id: UUID
    events: list[EventPublic]
    state: PetDetail = Field(description="The pet as built from exactly `events`.")

    @classmethod
    def of(cls, history: PetHistory) -> PetHistoryPublic:
        return cls(
            pet_id=history.pet_id,
            events=[EventPublic.of(r) for r in history.events],
            state=PetDetail.of(history.state),
        )


class HistoryQuery(BaseModel):
    as_of_version: int | None = Field(
        default=None, ge=1, le=2**63 - 1, description="Only the events up to this version."
    )
    as_of: AwareDatetime | None = Field(
        default=None, description="Only the events up to this instant (with an offset)."
    )

    @model_validator(mode="after")
    def _one_point_at_most(self) -> Self:
        if self.as_of_version is not None and self.as_of is not None:
            raise ValueError("give as_of_version or as_of, not both")
        return self
