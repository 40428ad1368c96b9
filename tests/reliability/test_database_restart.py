"""PostgreSQL restarted under load: fast 503s while down, recovery without a restart."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from tests.e2e.api import assert_problem
from tests.reliability.checks import (
    assert_projection_complete,
    listed_request_ids,
    opened_store,
    request_ids,
    run_verify,
)
from tests.reliability.cluster import PrivateCluster
from tests.reliability.conftest import Figures
from tests.reliability.load import Call, Load, acknowledged
from tests.reliability.services import ApiProcess, api_process

pytestmark = [pytest.mark.reliability, pytest.mark.postgres]

THREADS = 4
ACKNOWLEDGED_BEFORE = 20
ANSWERS_WHILE_DOWN = 3 * THREADS
# Long enough for the pool's reconnection attempts to back off and give up.
OUTAGE_SECONDS = 5.0
ACKNOWLEDGED_AFTER = 20
# A client is answered within this while the database is down: no hang.
ANSWER_BOUND_SECONDS = 10.0
# The service serves again within this once the database accepts connections.
RECOVERY_BOUND_SECONDS = 30.0


@dataclass(frozen=True)
class Outage:
    """What the clients saw, and when PostgreSQL went down and came back (monotonic)."""

    calls: list[Call]
    down: float  # `pg_ctl stop` returned
    restarting: float  # `pg_ctl start` called
    up: float  # `pg_ctl start` returned: accepting connections
    readiness: httpx.Response  # GET /readyz while down
    readiness_seconds: float

    def while_down(self) -> list[Call]:
        return [c for c in self.calls if c.within(self.down, self.restarting)]

    def first_201_after_up(self) -> float:
        return min(c.finished for c in acknowledged(self.calls) if c.started >= self.up) - self.up


def restart_under_load(api: ApiProcess, database: PrivateCluster, clinic_id: UUID) -> Outage:
    with Load(api.base_url, api.new_owner, clinic_id, THREADS) as load:
        # Bookings flow; then PostgreSQL stops in the middle of them
        load.wait_until(
            lambda calls: len(acknowledged(calls)) >= ACKNOWLEDGED_BEFORE, "bookings flowing"
        )
        database.stop("fast")
        down = time.monotonic()
        with httpx.Client(base_url=api.base_url, timeout=60.0) as client:
            readiness = client.get("/readyz")
        readiness_seconds = time.monotonic() - down
        load.wait_until(
            lambda calls: (
                sum(c.started >= down for c in calls) >= ANSWERS_WHILE_DOWN
                and any(c.started >= down + OUTAGE_SECONDS for c in calls)
            ),
            f"{OUTAGE_SECONDS} s of answers while PostgreSQL is down",
        )

        # It comes back, and the clients are served again
        restarting = time.monotonic()
        database.start()
        up = time.monotonic()
        load.wait_until(
            lambda calls: sum(c.started >= up for c in acknowledged(calls)) >= ACKNOWLEDGED_AFTER,
            "bookings acknowledged after the restart",
            timeout=RECOVERY_BOUND_SECONDS + 30,
        )
    return Outage(load.snapshot(), down, restarting, up, readiness, readiness_seconds)


def assert_unavailable(call: Call) -> None:
    """503 store_unavailable, as problem+json with Retry-After, within the bound."""
    assert call.status == 503, call.describe()
    assert call.code == "store_unavailable", call.describe()
    assert call.problem_json
    assert call.retry_after is not None
    assert call.seconds < ANSWER_BOUND_SECONDS, call.describe()


def test_a_database_restart_under_load_loses_no_acknowledged_request(
    private_postgres: PrivateCluster, secret: str, tmp_path: Path, figures: Figures
) -> None:
    database = private_postgres
    clinic_id = uuid4()
    with api_process(database.url, secret, tmp_path) as api:
        outage = restart_under_load(api, database, clinic_id)

        # Every acknowledged request reaches the pending list: the projection recovered too
        promised = request_ids(acknowledged(outage.calls))
        last = max(c.body["position"] for c in acknowledged(outage.calls))
        with opened_store(database.url) as store:
            store.wait_until_projected(last)
            with httpx.Client(base_url=api.base_url, timeout=30.0) as client:
                listed = listed_request_ids(client, api.staff(clinic_id), clinic_id, last)

    # While down: every answer a quick 503, readiness included
    assert_problem(outage.readiness, 503, "store_unavailable")
    assert outage.readiness_seconds < ANSWER_BOUND_SECONDS
    assert len(outage.while_down()) >= ANSWERS_WHILE_DOWN
    for call in outage.while_down():
        assert_unavailable(call)
    # Throughout: no 500, no transport error, no hang; only 201 or a well-formed 503
    for call in outage.calls:
        assert call.status in (201, 503), call.describe()
        if call.status == 503:
            assert_unavailable(call)
    assert outage.first_201_after_up() < RECOVERY_BOUND_SECONDS

    # The log holds every acknowledged request; the read tables equal its fold
    with opened_store(database.url) as store:
        logged = assert_projection_complete(store)
    assert promised <= listed <= set(logged.appointments)
    verified = run_verify(database.url)

    seconds = [c.seconds for c in outage.while_down()]
    figures("acknowledged (before, around, after the outage)", _split(outage))
    figures("acknowledged found in log and read table", f"{len(promised)} of {len(promised)}")
    figures("committed but not acknowledged", str(len(listed - promised)))
    figures(
        "503 while down",
        f"{len(seconds)} answers, median {statistics.median(seconds):.2f} s, "
        f"max {max(seconds):.2f} s; /readyz {outage.readiness_seconds:.2f} s",
    )
    figures("503 in total", str(sum(c.status == 503 for c in outage.calls)))
    figures("PostgreSQL down for", f"{outage.up - outage.down:.2f} s")
    figures(
        "first 201 after PostgreSQL accepted connections", f"{outage.first_201_after_up():.2f} s"
    )
    figures("verify", verified)


def _split(outage: Outage) -> str:
    ok = acknowledged(outage.calls)
    before = sum(c.finished < outage.down for c in ok)
    after = sum(c.started >= outage.up for c in ok)
    return f"{before}, {len(ok) - before - after}, {after}"
