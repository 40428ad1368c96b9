"""A pet's history as a table for the terminal (`booking history`)."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from application.audit.records import EventRecord, PetHistory

HEADERS = ("version", "position", "time (UTC)", "type", "actor", "data")


def render_history(history: PetHistory) -> str:
    """The pet at that point, its events one per line, then its requests."""
    state = history.state
    lines = [
        f"pet {state.pet_id}: {state.name} ({state.species}), owner {state.owner_id}, "
        f"version {state.version}",
        "",
        *_table([HEADERS, *(_row(record) for record in history.events)]),
        "",
        f"requests ({len(state.requests)}):",
    ]
    lines += [
        f"  {r.request_id}  {r.service} at clinic {r.clinic_id}: {r.status}, {r.scheduling_status}"
        + (f" for {r.scheduled_for.isoformat()}" if r.scheduled_for else "")
        for r in state.requests
    ]
    return "\n".join(lines)


def _row(record: EventRecord) -> tuple[str, ...]:
    return (
        str(record.version),
        str(record.position),
        record.timestamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        record.type,
        record.actor,
        _data(record.data),
    )


def _data(data: dict[str, Any]) -> str:
    return " ".join(f"{name}={_value(value)}" for name, value in data.items() if value is not None)


def _value(value: Any) -> str:
    text = str(value)
    # Free text with spaces is quoted, so `reason="vet ill"` reads as one value.
    return (
        json.dumps(text, ensure_ascii=False) if not text or any(c.isspace() for c in text) else text
    )


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    numeric = {0, 1}
    return [
        "  ".join(
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
