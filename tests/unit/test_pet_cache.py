"""The pet cache: bounded, least recently used out, checked out by one thread at a time."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest

from application.pet_cache import PetCache
from domain.pet import Pet

THREADS = 16


def a_pet(requests: int = 0) -> Pet:
    pet_id = uuid4()
    pet = Pet.register(pet_id, "owner-1", "Rex", "dog")
    for _ in range(requests):
        request = pet.request_booking(
            request_id=uuid4(),
            clinic_id=uuid4(),
            service="vaccination",
            preferred_date=None,
            notes=None,
            requested_by="owner-1",
            idempotency_key=None,
        )
        pet.cancel(request.request_id, reason=None, cancelled_by="owner-1")
    pet.collect_events()  # As if stored: what the cache is given.
    return pet


def test_a_pet_taken_is_gone_until_it_is_put_back() -> None:
    cache, pet = PetCache(10), a_pet()
    cache.put(pet)

    assert cache.take(pet.id) is pet
    assert cache.take(pet.id) is None
    cache.put(pet)
    assert cache.take(pet.id) is pet


def test_the_least_recently_used_pet_leaves_first() -> None:
    cache = PetCache(2)
    first, second, third = a_pet(), a_pet(), a_pet()
    cache.put(first)
    cache.put(second)
    cache.put(first)  # Used again: now the second is the oldest.

    cache.put(third)

    assert cache.take(second.id) is None
    assert cache.take(first.id) is first
    assert cache.take(third.id) is third


def test_it_never_holds_more_than_its_size() -> None:
    cache = PetCache(100)
    for _ in range(1000):
        cache.put(a_pet())

    assert cache.counts().size == 100


def test_an_older_version_never_replaces_a_newer_one() -> None:
    cache, newer = PetCache(10), a_pet(requests=1)
    older = Pet.register(newer.id, "owner-1", "Rex", "dog")
    older.collect_events()
    cache.put(newer)

    cache.put(older)

    assert cache.take(newer.id) is newer


def test_size_zero_keeps_nothing() -> None:
    cache, pet = PetCache(0), a_pet()
    cache.put(pet)

    assert cache.take(pet.id) is None
    assert cache.counts().size == 0


def test_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        PetCache(-1)


def test_threads_taking_one_pet_at_once_get_it_once() -> None:
    cache, pet = PetCache(10), a_pet()
    cache.put(pet)
    barrier = threading.Barrier(THREADS)

    def take(_: int) -> Pet | None:
        barrier.wait()
        return cache.take(pet.id)

    with ThreadPoolExecutor(THREADS) as pool:
        taken = list(pool.map(take, range(THREADS)))

    assert [p for p in taken if p is not None] == [pet]
    assert cache.counts().hits == 1
    assert cache.counts().misses == THREADS - 1


def test_threads_putting_and_taking_many_pets_keep_the_bound() -> None:
    cache, pets = PetCache(50), [a_pet() for _ in range(400)]
    barrier = threading.Barrier(THREADS)

    def churn(index: int) -> None:
        barrier.wait()
        for pet in pets[index::THREADS]:
            cache.put(pet)
            taken = cache.take(pet.id)
            if taken is not None:
                cache.put(taken)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(churn, range(THREADS)))

    assert cache.counts().size == 50
