"""Finding 4: dates were unbounded (a `starts_at` in year 9999 made `booking verify` crash).

The rule (domain/values.py): a preferred date from today (in any time zone) to
BOOKING_HORIZON_DAYS ahead; a scheduled time from now (5 minutes of clock
tolerance) to the same horizon, with a UTC offset.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import httpx
import pytest

from domain.pet import Pet
from domain.values import BookingHorizon, InvalidValueError
from tests.e2e.api import assert_problem, get_pet, json_body, request_booking, schedule

TODAY = datetime.now(UTC).date()
NOW = datetime.now(UTC).replace(microsecond=0)

BAD_PREFERRED_DATES = {
    "last week": (TODAY - timedelta(days=7)).isoformat(),
    "three years ahead": (TODAY + timedelta(days=3 * 365)).isoformat(),
    "year 9999": "9999-12-31",
}
BAD_STARTS_AT = {
    "an hour ago": (NOW - timedelta(hours=1)).isoformat(),
    "three years ahead": (NOW + timedelta(days=3 * 365)).isoformat(),
    "year 9999, west of UTC": "9999-12-31T23:00:00-05:00",
}


@pytest.mark.parametrize("value", BAD_PREFERRED_DATES.values(), ids=BAD_PREFERRED_DATES.keys())
def test_a_preferred_date_outside_the_horizon_is_refused(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID, value: str
) -> None:
    response = request_booking(client, owner, pet_id, clinic_id, preferred_date=value)

    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "preferred_date"]
    assert get_pet(client, owner, pet_id)["requests"] == []


@pytest.mark.parametrize("value", BAD_STARTS_AT.values(), ids=BAD_STARTS_AT.keys())
def test_a_scheduled_time_outside_the_horizon_is_refused(
    client: httpx.Client,
    owner: dict[str, str],
    staff: dict[str, str],
    pet_id: str,
    request_id: str,
    value: str,
) -> None:
    body = assert_problem(
        schedule(client, staff, pet_id, request_id, value), 422, "validation_error"
    )

    assert body["errors"][0]["loc"] == ["body", "starts_at"]
    assert get_pet(client, owner, pet_id)["requests"][0]["scheduling_status"] == (
        "pending_scheduling"
    )


def test_today_and_the_horizons_last_day_are_accepted(
    client: httpx.Client, owner: dict[str, str], pet_id: str, clinic_id: UUID
) -> None:
    for day in (TODAY, TODAY + timedelta(days=730)):
        booked = json_body(
            request_booking(client, owner, pet_id, clinic_id, preferred_date=day.isoformat()), 201
        )
        path = f"/pets/{pet_id}/booking-requests/{booked['request_id']}/cancel"
        json_body(client.post(path, headers=owner, json={}), 200)


def test_the_horizon_is_configurable_in_the_domain() -> None:
    pet = Pet.register(uuid4(), "owner-1", "Luna", "cat")
    in_ten_days = TODAY + timedelta(days=10)

    def request_within(days_ahead: int) -> None:
        pet.request_booking(
            request_id=uuid4(),
            clinic_id=uuid4(),
            service="vaccination",
            preferred_date=in_ten_days,
            notes=None,
            requested_by="owner-1",
            idempotency_key=None,
            horizon=BookingHorizon(days_ahead=days_ahead),
        )

    with pytest.raises(InvalidValueError):
        request_within(7)
    request_within(30)
