"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from interface.http.deps import system_of
from interface.http.openapi import problems

router = APIRouter(tags=["operations"])

# A halted projection stays halted until an operator acts: no point asking every second.
HALTED_RETRY_AFTER_SECONDS = "60"


class ProjectionStatus(BaseModel):
    position: int
    head: int
    lag: int
    state: str


class Readiness(BaseModel):
    store: str
    projection: ProjectionStatus


def _readiness_responses() -> dict[int | str, dict[str, Any]]:
    responses = problems("store_unavailable", authenticated=False)
    # The same status has two bodies: the store's problem, or this readiness, halted.
    responses[503] = {
        **responses[503],
        "model": Readiness,
        "description": responses[503]["description"]
        + "; or the projection is halted: the readiness (`state: halted`), as JSON",
    }
    return responses


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up and serving HTTP (it does not touch the store)."""
    return {"status": "ok"}


@router.get("/readyz", responses=_readiness_responses())
def readyz(request: Request, response: Response) -> Readiness:
    """The store answers and the projection moves; how far it has got (`lag` events behind).

    503 with `state: halted` when an event could not be projected: the pending
    lists no longer move until an operator acts (see the projection's log).
    """
    system = system_of(request)
    read_side = system.read_side
    head = system.bookings.head_position()
    position = read_side.view.position()
    halted = read_side.worker.halted is not None
    if halted:
        response.status_code = 503
        response.headers["Retry-After"] = HALTED_RETRY_AFTER_SECONDS
    return Readiness(
        store="ok",
        projection=ProjectionStatus(
            position=position,
            head=head,
            lag=max(head - position, 0),
            state="halted" if halted else "running",
        ),
    )
