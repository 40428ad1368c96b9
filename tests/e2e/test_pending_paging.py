"""Cursor paging of the pending list: stable while new requests keep arriving."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import httpx

from tests.e2e.api import (
    book_new_pet,
    json_body,
    pending_requests,
    register_pet,
    request_booking,
)
from tests.e2e.server import Server

AT_THE_START = 25
ARRIVING = 20
PAGE = 7
MAX_PAGES = 100
# The walk reads its next page only once this many more requests have arrived, so
# requests keep landing between pages however fast the walk is.
ARRIVALS_PER_PAGE = 2
WAIT_TIMEOUT_SECONDS = 15.0


def walk(
    client: httpx.Client,
    staff: dict[str, str],
    clinic_id: UUID,
    *,
    limit: int,
    min_position: int,
    between_pages: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Every page of the list, following `next`; the first one reads at `min_position`.

    `between_pages` is called with the number of pages read before each further page.
    """
    params: dict[str, str | int] = {"limit": limit, "min_position": min_position}
    pages: list[dict[str, Any]] = []
    while len(pages) < MAX_PAGES:
        page = json_body(pending_requests(client, staff, clinic_id, **params), 200)
        pages.append(page)
        if page["next"] is None:
            return pages
        if between_pages is not None:
            between_pages(len(pages))
        params = {"limit": limit, "after": page["next"]}
    raise AssertionError(f"the list did not end within {MAX_PAGES} pages")


def ids_of(pages: list[dict[str, Any]]) -> list[str]:
    return [item["request_id"] for page in pages for item in page["items"]]


def test_pages_end_with_a_null_next_and_no_empty_page(
    client: httpx.Client, owner: dict[str, str], staff: dict[str, str], clinic_id: UUID
) -> None:
    # Four requests, walked two and three at a time.
    bookings = [book_new_pet(client, owner, clinic_id) for _ in range(4)]
    position = bookings[-1]["position"]

    by_two = walk(client, staff, clinic_id, limit=2, min_position=position)
    by_three = walk(client, staff, clinic_id, limit=3, min_position=position)

    expected = [booking["request_id"] for booking in bookings]
    assert [len(page["items"]) for page in by_two] == [2, 2]
    assert [len(page["items"]) for page in by_three] == [3, 1]
    assert ids_of(by_two) == ids_of(by_three) == expected


def test_walking_the_list_while_requests_arrive_sees_each_once_and_misses_none(
    server: Server,
    client: httpx.Client,
    owner: dict[str, str],
    staff: dict[str, str],
    clinic_id: UUID,
) -> None:
    # 25 pending requests at the start, and 20 pets whose requests will arrive meanwhile.
    initial = [book_new_pet(client, owner, clinic_id) for _ in range(AT_THE_START)]
    start_ids = [booking["request_id"] for booking in initial]
    later_pets = [register_pet(client, owner)["pet_id"] for _ in range(ARRIVING)]
    start = threading.Barrier(2, timeout=WAIT_TIMEOUT_SECONDS)
    arrived = threading.Condition()
    added: list[dict[str, Any]] = []

    def keep_requesting() -> None:
        with httpx.Client(base_url=server.base_url, timeout=15.0) as http:
            start.wait()
            for pet_id in later_pets:
                booking = json_body(request_booking(http, owner, pet_id, clinic_id), 201)
                with arrived:
                    added.append(booking)
                    arrived.notify_all()

    def await_arrivals(pages_read: int) -> None:
        wanted = min(ARRIVING, ARRIVALS_PER_PAGE * pages_read)
        with arrived:
            assert arrived.wait_for(lambda: len(added) >= wanted, WAIT_TIMEOUT_SECONDS)

    with ThreadPoolExecutor(max_workers=1) as executor:
        arriving = executor.submit(keep_requesting)
        # Staff walk the list 7 at a time while the requests arrive.
        start.wait()
        pages = walk(
            client,
            staff,
            clinic_id,
            limit=PAGE,
            min_position=initial[-1]["position"],
            between_pages=await_arrivals,
        )
        arriving.result()

    # Nothing twice, nothing from the start missed, nothing that is not the clinic's.
    seen = ids_of(pages)
    added_ids = [booking["request_id"] for booking in added]
    assert len(seen) == len(set(seen))
    assert [request_id for request_id in seen if request_id in start_ids] == start_ids
    assert set(seen) <= set(start_ids) | set(added_ids)
    # Full pages until the last, which alone has a null `next`.
    assert all(len(page["items"]) == PAGE and page["next"] for page in pages[:-1])
    assert pages[-1]["next"] is None
    # Once all have arrived, a walk from the start lists all 45 in order.
    final = walk(client, staff, clinic_id, limit=PAGE, min_position=added[-1]["position"])
    assert ids_of(final) == start_ids + added_ids
