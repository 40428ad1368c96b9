"""Tamper evidence: every pet and clinic event carries its own hash and its predecessor's.

The hash covers a canonical JSON encoding of what the event says, so editing,
dropping or reordering stored events breaks the chain where it happened.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

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


class ChainedEvent(Aggregate.Event):
    """An event that is a link of its aggregate's hash chain.

    The aggregate keeps `last_hash` (GENESIS_HASH before its first event); each
    event carries it as `previous_hash`, and its own `event_hash` (see `link`).
    Pets' and clinics' events both derive from it.
    """

    previous_hash: str
    event_hash: str

    CHAIN_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {
            "originator_id",
            "originator_version",
            "originator_topic",
            "timestamp",
            "previous_hash",
            "event_hash",
        }
    )

    @property
    def actor(self) -> str:
        raise NotImplementedError

    def data(self) -> dict[str, Any]:
        """What the event says, without the fields every event has.

        Read from the instance rather than the class's fields: an event decoded
        in the shape it was recorded in (before any upcast) then hashes exactly
        as it did when it was recorded.
        """
        return {name: value for name, value in vars(self).items() if name not in self.CHAIN_FIELDS}

    def expected_hash(self) -> str:
        return chain_hash(
            previous_hash=self.previous_hash,
            originator_id=self.originator_id,
            originator_version=self.originator_version,
            event_type=type(self).__name__,
            timestamp=self.timestamp,
            data=self.data(),
        )

    def mutate(self, aggregate: Any) -> Any:
        mutated = super().mutate(aggregate)
        assert mutated is not None
        mutated.last_hash = self.event_hash
        return mutated


def link(
    event_class: type[ChainedEvent],
    *,
    previous_hash: str,
    originator_id: UUID,
    originator_version: int,
    data: dict[str, Any],
) -> dict[str, Any]:
    """The timestamp and both hashes of the next link: keyword arguments for the event."""
    timestamp = event_class.create_timestamp()
    event_hash = chain_hash(
        previous_hash=previous_hash,
        originator_id=originator_id,
        originator_version=originator_version,
        event_type=event_class.__name__,
        timestamp=timestamp,
        data=data,
    )
    return {"timestamp": timestamp, "previous_hash": previous_hash, "event_hash": event_hash}
