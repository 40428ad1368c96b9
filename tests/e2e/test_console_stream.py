"""The staff console's live stream over real HTTP: what it sends, what it skips, when it ends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID, uuid4

import httpx

from application.access import Role
from interface.auth import mint_token
from tests.e2e.api import book_new_pet, json_body, new_sub, pending_requests
from tests.e2e.server import Server


@contextmanager
def console_session(server: Server, clinic_id: UUID) -> Iterator[httpx.Client]:
    """A client signed into the console as staff of `clinic_id`, as a browser would be."""
    link = mint_token(
        server.secret, role=Role.STAFF, sub=new_sub("vet"), clinic_id=clinic_id, purpose="login"
    )
    # Below the stream's 15 s keep-alive: a stream that should have ended fails the test.
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        answer = http.post(
            "/console/login", data={"token": link}, headers={"Origin": server.base_url}
        )
        assert answer.status_code == 303
        yield http


@contextmanager
def live_events(
    http: httpx.Client, last_event_id: int | None = None
) -> Iterator[Iterator[tuple[str, str]]]:
    """The stream's events, as (id, data), as they arrive.

    Entered once the server has read the list it compares against (its `retry:`
    field), so whatever happens inside the block is news to the stream.
    """
    headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
    with http.stream("GET", "/console/clinic/stream", headers=headers) as stream:
        lines = stream.iter_lines()
        for line in lines:
            if line.startswith("retry:"):
                break

        def events() -> Iterator[tuple[str, str]]:
            event_id, data = "", []
            for line in lines:
                if line.startswith("id:"):
                    event_id = line[3:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
                elif not line and data:
                    yield event_id, "\n".join(data)
                    event_id, data = "", []

        yield events()


def request_ids(rows: str) -> list[str]:
    return re.findall(r'id="request-([0-9a-f-]{36})"', rows)


def test_a_reconnecting_browser_gets_what_it_missed_at_once(
    client: httpx.Client, server: Server, owner: dict[str, str]
) -> None:
    clinic_id = uuid4()
    booked = book_new_pet(client, owner, clinic_id)
    staff = server.auth(Role.STAFF, sub=new_sub("vet"), clinic_id=clinic_id)
    json_body(pending_requests(client, staff, clinic_id, min_position=booked["position"]), 200)

    # The browser last showed the list before the request arrived.
    with (
        console_session(server, clinic_id) as http,
        live_events(http, last_event_id=booked["position"] - 1) as events,
    ):
        event_id, rows = next(events)

    assert int(event_id) >= booked["position"]
    assert request_ids(rows) == [booked["request_id"]]


def test_another_clinics_requests_send_nothing_and_its_own_send_the_rows(
    client: httpx.Client, server: Server, owner: dict[str, str]
) -> None:
    mine, theirs = uuid4(), uuid4()
    head = book_new_pet(client, owner, mine)["position"]
    my_staff = server.auth(Role.STAFF, sub=new_sub("vet"), clinic_id=mine)
    their_staff = server.auth(Role.STAFF, sub=new_sub("vet"), clinic_id=theirs)
    # The list the browser shows is the one at `head`: the stream has nothing to send yet.
    json_body(pending_requests(client, my_staff, mine, min_position=head), 200)
    with console_session(server, mine) as http, live_events(http, last_event_id=head) as events:
        # Elsewhere first, and listed before anything happens here.
        elsewhere = book_new_pet(client, owner, theirs)
        json_body(
            pending_requests(client, their_staff, theirs, min_position=elsewhere["position"]),
            200,
        )
        here = book_new_pet(client, owner, mine)

        event_id, rows = next(events)

    # The first event is this clinic's news: none was sent for the other clinic's.
    assert int(event_id) >= here["position"]
    assert here["request_id"] in request_ids(rows)
    assert elsewhere["request_id"] not in rows


def test_the_stream_ends_when_the_session_is_signed_out(
    client: httpx.Client, server: Server, owner: dict[str, str]
) -> None:
    clinic_id = uuid4()
    head = book_new_pet(client, owner, clinic_id)["position"]
    with (
        console_session(server, clinic_id) as http,
        live_events(http, last_event_id=head) as events,
    ):
        page = http.get("/console/clinic").text
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
        assert token is not None
        signed_out = http.post(
            "/console/sign-out",
            data={"csrf_token": token.group(1)},
            headers={"Origin": server.base_url},
        )
        assert signed_out.status_code == 303
        # News for this clinic wakes the stream, which finds the session over.
        booked = book_new_pet(client, owner, clinic_id)

        sent = list(events)

    assert all(booked["request_id"] not in rows for _, rows in sent)
