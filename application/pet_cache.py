"""Recently used pets kept in the process, so that a command need not read its pet's stream.

A cached pet is only ever a guess: another process may have written to its
stream since. The guess is safe because a command decided on it appends at
the next version, and the store's primary key (pet id, version) refuses the
append if the guess was stale (see PetBookings._decide_and_save).

A pet is checked out (`take`), not shared: the command that takes it owns it
until it puts it back, so no two threads ever mutate one object and no copy is
needed. A concurrent command on the same pet finds nothing here and reads the
store, exactly as without a cache. A pet goes back (`put`) only after its new
events were stored; whatever went wrong in between, it simply is not put back.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from uuid import UUID

from domain.pet import Pet

DEFAULT_PET_CACHE_SIZE = 10_000


@dataclass(frozen=True)
class CacheCounts:
    """How the cache has served commands, for tests and the benchmark."""

    size: int
    hits: int
    misses: int


class PetCache:
    """A bounded, thread-safe map of pet id -> Pet, least recently used out first.

    `maxsize` 0 disables it: `take` finds nothing and `put` keeps nothing.
    """

    def __init__(self, maxsize: int = DEFAULT_PET_CACHE_SIZE) -> None:
        if maxsize < 0:
            msg = f"a pet cache holds 0 or more pets, not {maxsize}"
            raise ValueError(msg)
        self.maxsize = maxsize
        self._pets: OrderedDict[UUID, Pet] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    def take(self, pet_id: UUID) -> Pet | None:
        """Check the pet out: it leaves the cache until it is put back."""
        with self._lock:
            pet = self._pets.pop(pet_id, None)
            if pet is None:
                self._misses += 1
            else:
                self._hits += 1
            return pet

    def put(self, pet: Pet) -> None:
        """Keep `pet`, exactly as stored at its version, unless a later version is kept already.

        Two commands on one pet may both succeed in turn (the second after a
        reload) and put back in either order: the later version wins.
        """
        if self.maxsize == 0:
            return
        with self._lock:
            kept = self._pets.get(pet.id)
            if kept is not None and kept.version >= pet.version:
                self._pets.move_to_end(pet.id)
                return
            self._pets[pet.id] = pet
            self._pets.move_to_end(pet.id)
            while len(self._pets) > self.maxsize:
                self._pets.popitem(last=False)

    def discard(self, pet_id: UUID) -> None:
        with self._lock:
            self._pets.pop(pet_id, None)

    def counts(self) -> CacheCounts:
        with self._lock:
            return CacheCounts(size=len(self._pets), hits=self._hits, misses=self._misses)
