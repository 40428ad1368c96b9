"""Documented error responses, so /openapi.json lists every status a route returns."""

from __future__ import annotations

from typing import Any

from interface.http.problems import PROBLEM_MEDIA_TYPE, PROBLEMS
from interface.http.schemas import ProblemBody

_PROBLEM_SCHEMA = ProblemBody.model_json_schema()
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    }
}
# Headers every problem of a status carries (see problems.py), so clients and
# contract tests can rely on them.
_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The scheme to authenticate with: `Bearer`.",
            "required": True,
            "schema": {"type": "string", "pattern": "^Bearer"},
        }
    },
    429: _RETRY_AFTER,
    503: _RETRY_AFTER,
}


def problems(*codes: str, authenticated: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for the given problem codes, grouped by status."""
    by_status: dict[int, list[str]] = {}
    implied = ("unauthorized", "validation_error") if authenticated else ()
    for code in (*implied, *codes):
        by_status.setdefault(PROBLEMS[code].status, []).append(code)
    return {
        status: {
            "description": "Problem: " + ", ".join(f"`{c}`" for c in status_codes),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_SCHEMA}},
            **({"headers": _HEADERS[status]} if status in _HEADERS else {}),
        }
        for status, status_codes in sorted(by_status.items())
    }
