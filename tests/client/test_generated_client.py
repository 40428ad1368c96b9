"""The README's walkthrough, and the staff's and auditor's turns, through the generated client.

Every answer is read as the typed object the generator made for it, errors
included: a 409 is a `PendingRequestExistsOrConcurrentUpdateProblem` whose `pending_request_id`
a caller can use without touching JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from application.access import Role
from tests.client.conftest import Generated
from tests.dates import PREFERRED_DATE, STARTS_AT
from tests.e2e.api import new_sub
from tests.e2e.server import Server


def call(api: Generated, operation: str, client: object, *args: Any, **kwargs: Any) -> Any:
    return api.operation(operation).sync_detailed(*args, client=client, **kwargs)


def test_the_walkthrough_runs_through_the_generated_client_with_typed_errors(
    api: Generated, server: Server, clinic_id: UUID
) -> None:
    owner = api.client(server, server.token(Role.OWNER, sub=new_sub("owner")))
    staff = api.client(server, server.token(Role.STAFF, sub="vet", clinic_id=clinic_id))
    models = api.model

    registered = call(
        api, "register_pet", owner, body=models("PetCreate")(name="Luna", species="cat")
    )
    assert registered.status_code == 201
    pet = registered.parsed
    assert isinstance(pet, models("PetPublic"))
    assert registered.headers["Location"] == f"/pets/{pet.pet_id}"

    ask = models("BookingRequestCreate")(
        clinic_id=clinic_id, service="vaccination", preferred_date=PREFERRED_DATE
    )
    booked = call(api, "request_booking", owner, pet.pet_id, body=ask, idempotency_key="tab-1")
    assert booked.status_code == 201
    receipt = booked.parsed
    assert isinstance(receipt, models("RequestReceiptPublic"))
    assert receipt.status == models("RequestStatus").ACTIVE
    assert receipt.scheduling_status == models("SchedulingStatus").PENDING_SCHEDULING
    location = f"/pets/{pet.pet_id}/booking-requests/{receipt.request_id}"
    assert booked.headers["Location"] == location
    again = call(api, "get_booking_request", owner, pet.pet_id, receipt.request_id)
    assert again.parsed.request_id == receipt.request_id

    # The second tab: a typed 409 naming the request in the way, in Spanish by default.
    refused = call(api, "request_booking", owner, pet.pet_id, body=ask, idempotency_key="tab-2")
    assert refused.status_code == 409
    problem = refused.parsed
    assert isinstance(problem, models("PendingRequestExistsOrConcurrentUpdateProblem"))
    assert (
        problem.code
        == models("PendingRequestExistsOrConcurrentUpdateProblemCode").PENDING_REQUEST_EXISTS
    )
    assert problem.pending_request_id == receipt.request_id
    assert problem.detail == "Ya existe una solicitud pendiente para esta mascota"
    in_english = call(
        api,
        "request_booking",
        owner,
        pet.pet_id,
        body=ask,
        idempotency_key="tab-3",
        accept_language="en",
    )
    assert in_english.parsed.detail == "A pending request already exists for this pet"
    assert in_english.headers["Content-Language"] == "en"

    detail = call(api, "get_pet", owner, pet.pet_id).parsed
    assert isinstance(detail, models("PetDetail"))
    assert [r.request_id for r in detail.requests] == [receipt.request_id]

    # Staff read their own write's effect on the list, then cancel without a body.
    page = call(api, "pending_requests", staff, clinic_id, min_position=receipt.position).parsed
    assert isinstance(page, models("PendingPagePublic"))
    assert [item.request_id for item in page.items] == [receipt.request_id]
    cancelled = call(api, "cancel_booking", owner, pet.pet_id, receipt.request_id)
    assert cancelled.status_code == 200
    assert cancelled.parsed.status == models("RequestStatus").CANCELLED

    rebooked = call(api, "request_booking", owner, pet.pet_id, body=ask).parsed
    when = models("ScheduleBody")(starts_at=datetime.fromisoformat(STARTS_AT))
    scheduled = call(api, "schedule_booking", staff, pet.pet_id, rebooked.request_id, body=when)
    assert scheduled.status_code == 200
    assert scheduled.parsed.scheduling_status == models("SchedulingStatus").SCHEDULED
    assert scheduled.parsed.scheduled_for == datetime.fromisoformat(STARTS_AT)

    # The auditor reads the history, each event's data typed by its type.
    auditor = api.client(server, server.token(Role.AUDITOR, sub="auditor"))
    history = call(api, "pet_history", auditor, pet.pet_id).parsed
    assert isinstance(history, models("PetHistoryPublic"))
    assert [type(event).__name__ for event in history.events] == [
        "RegisteredEvent",
        "BookingRequestedEvent",
        "CancelledEvent",
        "BookingRequestedEvent",
        "ScheduledEvent",
    ]
    assert history.events[0].data.name == "Luna"
    assert history.events[2].data.request_id == receipt.request_id
    assert history.events[4].data.starts_at == datetime.fromisoformat(STARTS_AT)
    log = call(api, "list_events", auditor, after=receipt.position - 2, limit=2).parsed
    assert isinstance(log, models("EventPagePublic"))
    assert [event.version for event in log.items] == [1, 2]


def test_each_error_arrives_as_its_responses_typed_problem(api: Generated, server: Server) -> None:
    anonymous = api.client(server, "not-a-token")
    owner = api.client(server, server.token(Role.OWNER, sub=new_sub("owner")))
    staff = api.client(server, server.token(Role.STAFF, sub="vet", clinic_id=uuid4()))
    models = api.model

    unauthorized = call(api, "get_pet", anonymous, uuid4())
    assert unauthorized.status_code == 401
    # One class per set of codes, shared by every operation that can answer it.
    assert isinstance(unauthorized.parsed, models("UnauthorizedProblem"))
    assert isinstance(call(api, "list_events", anonymous).parsed, models("UnauthorizedProblem"))
    assert unauthorized.parsed.code == models("UnauthorizedProblemCode").UNAUTHORIZED

    missing = call(api, "get_pet", owner, uuid4()).parsed
    assert missing.code == models("PetNotFoundProblemCode").PET_NOT_FOUND

    forbidden = call(
        api, "register_pet", staff, body=models("PetCreate")(name="Rex", species="dog")
    )
    assert forbidden.parsed.code == models("ForbiddenOrNoRoleProblemCode").FORBIDDEN

    invalid = call(api, "register_pet", owner, body=models("PetCreate")(name=" ", species="dog"))
    assert invalid.status_code == 422
    assert invalid.parsed.code == models("ValidationErrorProblemCode").VALIDATION_ERROR
    [issue] = invalid.parsed.errors
    assert isinstance(issue, models("ValidationIssue"))
    assert issue.loc == ["body", "name"]

    ready = call(api, "readyz", api.client(server)).parsed
    assert ready.projection.state == models("ProjectionState").RUNNING
