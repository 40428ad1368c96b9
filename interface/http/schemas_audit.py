"""Auditor answers and queries over HTTP: pages of the log, a point in a pet's history."""

from __future__ import annotations

from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from interface.public import EVENT_EXAMPLES, EventPublic, View


class EventPagePublic(View):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": EVENT_EXAMPLES, "next_after": 42}]}
    )

    items: list[EventPublic]
    next_after: int = Field(
        description="Pass as `after` to read on: the last item's position, "
        "or the given `after` when the page is empty."
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
