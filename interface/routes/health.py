"""Liveness."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up and serving HTTP (it does not touch the store)."""
    return {"status": "ok"}
