"""The hash-chain check: every pet's and clinic's events link up, versions 1, 2, 3... unaltered.

Each event carries its own hash and its predecessor's (`GENESIS_HASH` before
version 1). Editing an event breaks its own hash; removing or reordering one
breaks the link of the event after it. Unkeyed hashes cannot reveal a removed
*last* event, nor a chain rewritten from some event to its end: the read
tables' check and off-site copies of the log's head cover those.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import Mapper

from application.audit.decoding import DECODE_ERRORS, as_recorded, describe
from application.audit.verification import Finding, LogEntry
from domain.chain import GENESIS_HASH


@dataclass(frozen=True)
class _Link:
    """The last event seen of a pet: its version and hash (None when unreadable)."""

    version: int
    event_hash: str | None


class HashChainCheck:
    """Reports the pet (or clinic) and version of every event altered, removed or reordered."""

    name = "hash chain"

    def __init__(self, mapper: Mapper[UUID]) -> None:
        self._mapper = mapper
        self._links: dict[UUID, _Link] = {}

    def observe(self, entry: LogEntry) -> Iterator[Finding]:
        before = self._links.get(entry.pet_id, _Link(0, GENESIS_HASH))
        if entry.version <= before.version:
            yield self._finding(entry, f"stored after version {before.version} (reordered)")
        for missing in range(before.version + 1, entry.version):
            yield Finding(self.name, "missing (removed)", entry.pet_id, missing, entry.subject)
        claimed = yield from self._check_hashes(entry, before)
        if entry.version > before.version:
            self._links[entry.pet_id] = _Link(entry.version, claimed)

    def finish(self) -> Iterator[Finding]:
        return iter(())

    def _check_hashes(self, entry: LogEntry, before: _Link) -> Generator[Finding, None, str | None]:
        """Findings about the event's own hash and its link; returns the hash it claims."""
        try:
            event = as_recorded(self._mapper, entry.notification)
            claimed, previous, actual = event.event_hash, event.previous_hash, event.expected_hash()
        except DECODE_ERRORS as error:
            yield self._finding(entry, f"cannot be read (altered): {describe(error)}")
            return None
        if claimed != actual:
            yield self._finding(entry, "content does not match its hash (altered)")
        follows = entry.version == before.version + 1 and before.event_hash is not None
        if follows and previous != before.event_hash:
            yield self._finding(
                entry,
                f"does not link to version {before.version} "
                "(an event before it was altered, removed or reordered)",
            )
        return claimed

    def _finding(self, entry: LogEntry, message: str) -> Finding:
        return Finding(self.name, message, entry.pet_id, entry.version, entry.subject)
