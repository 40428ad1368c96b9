"""Operations over real HTTP: metrics, request ids in headers and JSON logs, abuse limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from application.access import Role
from tests.e2e.api import assert_problem, json_body, new_sub, register_pet, request_booking
from tests.e2e.server import Server, running_server

BODY_LIMIT = 2048


@pytest.fixture(scope="module")
def limited(
    e2e_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Path]]:
    """A server with tight limits: 3 booking commands at once, then 6 a minute; 2 KiB bodies."""
    workdir = tmp_path_factory.mktemp("limited")
    limits = {
        "BOOKING_RATE_LIMIT_PER_MINUTE": "6",
        "BOOKING_RATE_LIMIT_BURST": "3",
        "BOOKING_MAX_BODY_BYTES": str(BODY_LIMIT),
    }
    with running_server(e2e_db_url, workdir, extra_env=limits) as server:
        yield server, workdir / "server.log"


@pytest.fixture
def http(limited: tuple[Server, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=limited[0].base_url, timeout=15.0) as client:
        yield client


def owner(limited: tuple[Server, Path]) -> dict[str, str]:
    return limited[0].auth(Role.OWNER, sub=new_sub("owner"))


def test_an_owner_over_the_booking_rate_gets_429_with_retry_after(
    http: httpx.Client, limited: tuple[Server, Path]
) -> None:
    auth = owner(limited)
    pet_id = register_pet(http, auth)["pet_id"]

    # Registering spent one of the burst; one booking accepted, one refused by the domain,
    # then the limit answers.
    answers = [request_booking(http, auth, pet_id, uuid4()) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 409, 429]
    assert_problem(answers[2], 429, "rate_limited")
    assert int(answers[2].headers["Retry-After"]) >= 1
    # Another owner is not held back by the first one's limit.
    other = owner(limited)
    assert (
        request_booking(http, other, register_pet(http, other)["pet_id"], uuid4()).status_code
        == 201
    )


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_is_413_problem_json(
    http: httpx.Client, limited: tuple[Server, Path], chunked: bool
) -> None:
    body = json.dumps({"name": "x" * (BODY_LIMIT + 10), "species": "cat"}).encode()
    content = iter([body[:1000], body[1000:]]) if chunked else body

    response = http.post(
        "/pets", content=content, headers={**owner(limited), "Content-Type": "application/json"}
    )

    assert_problem(response, 413, "payload_too_large")


def test_a_request_id_is_kept_or_made_and_returned(http: httpx.Client) -> None:
    given = http.get("/healthz", headers={"X-Request-ID": "trace-42"})
    made = http.get("/healthz")
    unusable = http.get("/healthz", headers={"X-Request-ID": "has spaces; and {braces}"})

    assert given.headers["X-Request-ID"] == "trace-42"
    assert len(made.headers["X-Request-ID"]) == 32
    assert unusable.headers["X-Request-ID"] not in ("", "has spaces; and {braces}")


def test_logs_are_json_lines_carrying_the_request_id(
    http: httpx.Client, limited: tuple[Server, Path]
) -> None:
    http.get("/pets/not-a-uuid", headers={**owner(limited), "X-Request-ID": "find-me-7"})

    lines = [
        json.loads(line) for line in limited[1].read_text().splitlines() if line.startswith("{")
    ]
    mine = [line for line in lines if line.get("request_id") == "find-me-7"]

    assert mine, "no log line carries the request id"
    assert mine[-1]["status"] == 422
    assert mine[-1]["route"] == "/pets/{pet_id}"


def test_metrics_count_commands_by_outcome_conflicts_and_latency(
    http: httpx.Client, limited: tuple[Server, Path]
) -> None:
    auth = owner(limited)
    pet_id = register_pet(http, auth)["pet_id"]
    json_body(request_booking(http, auth, pet_id, uuid4()), 201)
    request_booking(http, auth, pet_id, uuid4())

    text = http.get("/metrics").text

    assert 'booking_commands_total{command="request_booking",outcome="ok"}' in text
    assert 'outcome="PendingRequestExistsError"' in text
    assert "booking_version_conflicts_total" in text
    assert 'booking_http_request_duration_seconds_bucket{le="0.005",method="POST"' in text
    assert "booking_projection_lag_events" in text
    assert 'booking_pool_connections{state="in_use"}' in text
