"""How the fuzzer is run: bounded and reproducible, steered to seeded data.

Schema-scoped hooks (they apply only to the schema they are registered on):
`after_call` counts the cases sent; `flatmap_case` sometimes swaps generated
ids for seeded ones, so schema-valid cases reach real pets, requests and the
clinic's list instead of only 404s; `filter_failure` drops only the
contract's own answers that no OpenAPI document can tell from a bug (listed
below, each matched by its problem code or its 422 error location); every
other failure stands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from schemathesis import Case, Config, HookContext, Response
from schemathesis.core.failures import Failure
from schemathesis.schemas import BaseSchema

from tests.fuzz.seed import Seed, Seeds

# A case of any operation (schemathesis parametrises `Case` by its operation type).
AnyCase = Case[Any]

# Per operation and generation mode; the coverage phase adds its boundary cases on top.
MAX_EXAMPLES = 40
# Stateful journeys (sequences following the links inferred from the responses).
MAX_JOURNEYS = 15
JOURNEY_MAX_STEPS = 8
SEED = 20_240_601
REQUEST_TIMEOUT_SECONDS = 15

# Every built-in check but object-level authorization (it needs a second identity configured).
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
)
SKIPPED_CHECKS = ("object_level_authorization",)

PENDING_LIST = "GET /clinics/{clinic_id}/pending-requests"
# Schema-valid requests the service rightly refuses with 422, for reasons OpenAPI cannot state:
# `after` must be a cursor the service issued, `min_position` a position the log has reached,
# dates fall inside the booking horizon (from today), and the history takes one of its two points.
UNDESCRIBABLE_REJECTIONS: dict[str, set[tuple[str, ...]]] = {
    PENDING_LIST: {("query", "after"), ("query", "min_position")},
    "GET /pets/{pet_id}/history": {("query",)},
    "POST /pets/{pet_id}/booking-requests": {("body", "preferred_date")},
    "POST /pets/{pet_id}/booking-requests/{request_id}/schedule": {("body", "starts_at")},
}
# ...and one that depends on an earlier request, not on this one: its key came with another body.
STATE_DEPENDENT_REJECTIONS = {"idempotency_key_reused"}
REJECTED_POSITIVE_DATA = "ST202"
# The contract's one 5xx on a healthy store: a `min_position` the list did not reach in 5 s.
SERVER_ERROR = "ST101"
PROJECTION_BEHIND = (PENDING_LIST, 503, "projection_behind")


def fuzz_config(token: str | None) -> Config:
    """Bounded, derandomized generation: the same cases on every run, in CI too.

    With a `token`, every request carries it (the `HTTPBearer` scheme of the
    document); without, the fuzzer sends no or made-up credentials.
    """
    auth = {"auth": {"openapi": {"HTTPBearer": {"bearer": token}}}} if token else {}
    return Config.from_dict(
        {
            **auth,
            "seed": SEED,
            # Timing is not a finding: a busy CI machine must not fail the run.
            "suppress-health-check": ["too_slow"],
            "request-timeout": REQUEST_TIMEOUT_SECONDS,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"max-steps": JOURNEY_MAX_STEPS}},
            "checks": {
                **{name: {"enabled": True} for name in CHECKS},
                **{name: {"enabled": False} for name in SKIPPED_CHECKS},
            },
        }
    )


def install_hooks(schema: BaseSchema, seeds: Seeds, count: Callable[[], None]) -> None:
    def after_call(context: HookContext, case: AnyCase, response: Response) -> None:
        count()

    def flatmap_case(context: HookContext, case: AnyCase) -> st.SearchStrategy[AnyCase]:
        meta = case.meta
        if meta is not None and meta.generation.mode.is_negative:
            return st.just(case)  # Its invalid part is the point; a seeded id changes nothing.
        return _steered(case, seeds.current)

    schema.hook(after_call)
    schema.hook(flatmap_case)
    schema.hook(filter_failure)


@st.composite
def _steered(draw: st.DrawFn, case: AnyCase, seed: Seed) -> AnyCase:
    path = case.path_parameters
    if "request_id" in path and draw(st.booleans()):
        pet_id, request_id = draw(st.sampled_from(seed.requests))
        case.path_parameters = {**path, "pet_id": pet_id, "request_id": request_id}
    elif "pet_id" in path and draw(st.booleans()):
        case.path_parameters = {**path, "pet_id": draw(st.sampled_from(seed.pet_ids))}
    if "clinic_id" in path and draw(st.booleans()):
        case.path_parameters = {**case.path_parameters, "clinic_id": str(seed.clinic_id)}
        if "min_position" in case.query:
            # A position the list has reached: one it has not costs a 5 s wait per case.
            case.query = {**case.query, "min_position": draw(st.integers(0, seed.head))}
    body = case.body
    if isinstance(body, dict) and "clinic_id" in body and draw(st.booleans()):
        case.body = {**body, "clinic_id": str(seed.clinic_id)}
    after = case.query.get("after")
    if isinstance(after, str) and draw(st.booleans()):
        case.query = {**case.query, "after": draw(st.sampled_from(seed.cursors))}
    return case


def filter_failure(
    context: HookContext, failure: Failure, case: AnyCase, response: Response
) -> bool:
    """Keep every failure but the contract's own answers that a schema cannot tell apart."""
    label, body = case.operation.label, _problem(response)
    if failure.code == SERVER_ERROR:
        return (label, response.status_code, body.get("code")) != PROJECTION_BEHIND
    if failure.code != REJECTED_POSITIVE_DATA:
        return True
    if body.get("code") in STATE_DEPENDENT_REJECTIONS:
        return False
    allowed = UNDESCRIBABLE_REJECTIONS.get(label, set())
    errors: list[dict[str, Any]] = body.get("errors", [])
    return not errors or any(tuple(error["loc"]) not in allowed for error in errors)


def _problem(response: Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
