"""An API process SIGKILLed in the middle of a burst: nothing it acknowledged is lost.

(A projector SIGKILLed mid catch-up: tests/integration/test_projector_faults.py.)
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Role
from tests.e2e.api import new_sub
from tests.reliability.checks import (
    assert_projection_complete,
    listed_request_ids,
    opened_store,
    request_ids,
    run_verify,
)
from tests.reliability.conftest import Figures
from tests.reliability.load import Call, Load, acknowledged, book, register
from tests.reliability.services import api_process

pytestmark = [pytest.mark.reliability, pytest.mark.postgres]

THREADS = 4
ACKNOWLEDGED_BEFORE_KILL = 40
AFTER_RESTART = 5


def book_new_pet(client: httpx.Client, owner: dict[str, str], clinic_id: UUID) -> Call:
    pet = register(client, owner)
    assert pet.status == 201, pet.describe()
    booked = book(client, owner, pet.body["pet_id"], clinic_id)
    assert booked.status == 201, booked.describe()
    return booked


def test_an_api_process_killed_mid_burst_loses_no_acknowledged_request(
    shared_db_url: str, secret: str, tmp_path: Path, figures: Figures
) -> None:
    clinic_id = uuid4()
    with api_process(shared_db_url, secret, tmp_path) as api:
        staff = api.api.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic_id)

        # A burst of bookings; the process is killed while they are in flight
        with Load(api.base_url, api.new_owner, clinic_id, THREADS) as load:
            load.wait_until(
                lambda calls: len(acknowledged(calls)) >= ACKNOWLEDGED_BEFORE_KILL,
                "bookings flowing",
            )
            api.signal(signal.SIGKILL)
            killed = time.monotonic()
            assert api.wait() == -signal.SIGKILL
            load.join()  # Every client stops at its first transport error.
        calls = load.snapshot()
        cut = [c for c in calls if c.status is None and c.started < killed]

        # Restarted, it serves again; its projection resumes where the killed one stopped
        api.start()
        with httpx.Client(base_url=api.base_url, timeout=30.0) as client:
            after_restart = [
                book_new_pet(client, api.new_owner(), clinic_id) for _ in range(AFTER_RESTART)
            ]
            promised = request_ids(acknowledged(calls) + after_restart)
            last = max(c.body["position"] for c in after_restart)
            listed = listed_request_ids(client, staff, clinic_id, last)
        with opened_store(shared_db_url) as store:
            logged = assert_projection_complete(store)

    assert all(c.status in (201, None) for c in calls), {c.describe() for c in calls}
    assert promised <= listed <= set(logged.appointments)
    verified = run_verify(shared_db_url)
    before = len(acknowledged(calls))
    figures("acknowledged before the kill / after the restart", f"{before} / {AFTER_RESTART}")
    figures("acknowledged found in log and read table", f"{len(promised)} of {len(promised)}")
    figures("requests cut mid-flight by the kill", str(len(cut)))
    figures("committed but never acknowledged", str(len(listed - promised)))
    figures("verify", verified)
