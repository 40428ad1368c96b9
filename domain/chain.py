"""Tamper evidence: every pet event carries its own hash and its predecessor's.

The hash covers a canonical JSON encoding of what the event says, so editing,
dropping or reordering stored events breaks the chain where it happened.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

GENESIS_HASH = "0" * 64


def _canonical(value: Any) -> str:
    if isinstance(value, (UUID, date, datetime)):
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    msg = f"{type(value).__name__} has no canonical encoding"
    raise TypeError(msg)


def chain_hash(
    *,
    previous_hash: str,
    originator_id: UUID,
    originator_version: int,
    event_type: str,
    timestamp: datetime,
    data: dict[str, Any],
) -> str:
    """Hash of one event, chained to the hash of the event before it."""
    document = {
        "previous_hash": previous_hash,
        "originator_id": str(originator_id),
        "originator_version": originator_version,
        "type": event_type,
        "timestamp": timestamp.isoformat(),
        "data": data,
    }
    encoded = json.dumps(
        document,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_canonical,
    )
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
