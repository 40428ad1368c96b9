"""The Clinic aggregate: a clinic's name and address, as owners pick it and staff see it.

Its events are links of a hash chain like a pet's (`domain/chain.py`), so
tampering with the directory shows up in `booking verify` too.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.chain import GENESIS_HASH, ChainedEvent, link
from domain.values import ACTOR_ID, ADDRESS, CLINIC_NAME


class Clinic(Aggregate):
    class Event(ChainedEvent):
        """Every clinic event is a link of the clinic's hash chain."""

    class Added(Event, Aggregate.Created):
        name: str
        address: str
        added_by: str

        @property
        def actor(self) -> str:
            return self.added_by

    class Renamed(Event):
        name: str
        renamed_by: str

        @property
        def actor(self) -> str:
            return self.renamed_by

        def apply(self, aggregate: Aggregate) -> None:
            cast("Clinic", aggregate).name = self.name

    def __init__(self, name: str, address: str) -> None:
        self.name = name
        self.address = address
        self.last_hash = GENESIS_HASH

    @classmethod
    def add(cls, clinic_id: UUID, *, name: str, address: str, added_by: str) -> Clinic:
        """A new clinic in the directory under `clinic_id`."""
        data = {
            "name": CLINIC_NAME.clean("name", name),
            "address": ADDRESS.clean("address", address),
            "added_by": ACTOR_ID.clean("added_by", added_by),
        }
        chained = link(
            cls.Added,
            previous_hash=GENESIS_HASH,
            originator_id=clinic_id,
            originator_version=cls.INITIAL_VERSION,
            data=data,
        )
        return cls._create(cls.Added, id=clinic_id, **chained, **data)

    def rename(self, name: str, *, renamed_by: str) -> None:
        """Give the clinic a new name; its current name again records nothing."""
        data = {
            "name": CLINIC_NAME.clean("name", name),
            "renamed_by": ACTOR_ID.clean("renamed_by", renamed_by),
        }
        if data["name"] == self.name:
            return
        chained = link(
            self.Renamed,
            previous_hash=self.last_hash,
            originator_id=self.id,
            originator_version=self.version + 1,
            data=data,
        )
        self.trigger_event(self.Renamed, **chained, **data)
