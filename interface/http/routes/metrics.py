"""Prometheus metrics of this process."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from interface.http.observability import Metrics

router = APIRouter(tags=["operations"])

METRICS_EXAMPLE = 'booking_commands_total{command="request_booking",outcome="ok"} 42.0\n'


@router.get(
    "/metrics",
    response_class=Response,
    summary="Prometheus metrics",
    responses={
        200: {
            "description": "Prometheus text format",
            "content": {
                "text/plain": {
                    "schema": {"type": "string"},
                    "example": METRICS_EXAMPLE,
                }
            },
        }
    },
)
def metrics(request: Request) -> Response:
    """Commands by outcome, version conflicts, request latency, projection lag, pool usage.

    Each API process reports its own; scrape every process.
    """
    registry: Metrics = request.app.state.metrics
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
