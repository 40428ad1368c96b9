"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from interface.deps import Bookings
from interface.openapi import problems
from interface.read_side import ReadSide

router = APIRouter(tags=["operations"])


class ProjectionStatus(BaseModel):
    position: int
    head: int
    lag: int
    state: str


class Readiness(BaseModel):
    store: str
    projection: ProjectionStatus


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up and serving HTTP (it does not touch the store)."""
    return {"status": "ok"}


@router.get("/readyz", responses=problems("store_unavailable", authenticated=False))
def readyz(request: Request, bookings: Bookings) -> Readiness:
    """The store answers; how far the projection has got (`lag` events behind the log).

    `state` is `halted` when an event could not be projected: see the logs.
    """
    read_side: ReadSide = request.app.state.read_side
    head = bookings.head_position()
    position = read_side.view.position()
    state = "halted" if read_side.worker.halted else "running"
    return Readiness(
        store="ok",
        projection=ProjectionStatus(
            position=position, head=head, lag=max(head - position, 0), state=state
        ),
    )
