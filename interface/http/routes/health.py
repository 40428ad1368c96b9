"""Liveness and readiness."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from interface.http.deps import system_of
from interface.http.openapi import problems
from interface.http.problems import problem_response

router = APIRouter(tags=["operations"])

# A halted projection stays halted until an operator acts: no point asking every second.
HALTED_RETRY_AFTER_SECONDS = "60"


class ProjectionState(StrEnum):
    RUNNING = "running"
    HALTED = "halted"


class ProjectionStatus(BaseModel):
    position: int
    head: int
    lag: int
    state: ProjectionState


class Readiness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "store": "ok",
                    "projection": {"position": 42, "head": 42, "lag": 0, "state": "running"},
                }
            ]
        }
    )

    store: Literal["ok"]
    projection: ProjectionStatus


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: Literal["ok"]


@router.get("/healthz", summary="Is the process up")
def healthz() -> Health:
    """The process is up and serving HTTP (it does not touch the store)."""
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="Is the service ready",
    response_model=Readiness,
    responses=problems("store_unavailable", "projection_halted", authenticated=False),
)
def readyz(request: Request) -> Readiness | JSONResponse:
    """The store answers and the projection moves; how far it has got (`lag` events behind).

    503 `projection_halted`, with the same fields and `state: halted`, when an
    event could not be projected: the pending lists no longer move until an
    operator acts (see the projection's log).
    """
    system = system_of(request)
    read_side = system.read_side
    head = system.bookings.head_position()
    position = read_side.view.position()
    halted = read_side.worker.halted is not None
    projection = ProjectionStatus(
        position=position,
        head=head,
        lag=max(head - position, 0),
        state=ProjectionState.HALTED if halted else ProjectionState.RUNNING,
    )
    if halted:
        return problem_response(
            request,
            "projection_halted",
            {"store": "ok", "projection": projection.model_dump(mode="json")},
            headers={"Retry-After": HALTED_RETRY_AFTER_SECONDS},
        )
    return Readiness(store="ok", projection=projection)
